# Rozmowy wideo w pokojach (!wideo, !dołącz, !zakończ).
calls-in-rooms = Rozmowę wideo zaczyna się w pokoju, z którego uczestnicy mają do niej dołączyć: napisz tam „!wideo”.
calls-link-sent = W tym pokoju trwa już rozmowa wideo. Osobisty link wysłałem Ci na czacie prywatnym.
calls-none = W tym pokoju nie trwa żadna rozmowa wideo. Aby ją zacząć, napisz „!wideo”.
calls-end-refused = Rozmowę może zakończyć osoba, która ją zaczęła, albo moderator pokoju.
calls-started = { $by } zaczyna rozmowę wideo: { $link }
    W Element Web i Desktop otworzysz ją z widżetu pokoju. W innej aplikacji napisz tu „!dołącz”, a wyślę Ci osobisty link na czacie prywatnym. Aby zakończyć rozmowę, napisz „!zakończ”.
calls-no-widget = Nie mogę dodać widżetu rozmowy do tego pokoju, bo mam za małe uprawnienia (potrzebny poziom moderatora, 50). Link działa i bez widżetu.
calls-your-link = Twój osobisty link do rozmowy wideo: { $link }
    Link jest jednorazowy i ważny { $minutes } min. Nie przekazuj go nikomu: to Twoje osobiste wejście. Gdy wygaśnie, napisz w pokoju „!dołącz”.
calls-ended-by = Rozmowę wideo zakończył(a) { $by }. Trwała { $minutes } min.
calls-ended-empty = Rozmowa wideo zakończona, bo nikogo w niej nie było. Trwała { $minutes } min.
calls-unavailable = Nie mogę teraz zacząć rozmowy wideo: serwer wideo urzędu nie odpowiada. Spróbuj za kilka minut, a jeśli to się powtórzy, zgłoś to administratorowi.
calls-not-configured = W tym urzędzie rozmowy wideo nie są włączone. Administrator włącza je w konfiguracji (sekcja [calls]).
calls-widget-name = Rozmowa wideo
