# Rozmowy wideo w pokojach (!wideo, !dołącz, !zakończ).
calls-in-rooms = Rozmowę wideo zaczyna się w pokoju, z którego uczestnicy mają do niej dołączyć: napisz tam „!wideo”.
calls-link-sent = W tym pokoju trwa już rozmowa wideo. Osobisty link wysłałem Ci na czacie prywatnym.
calls-link-sent-live = W tym pokoju trwa transmisja na żywo. Osobisty link do niej wysłałem Ci na czacie prywatnym.
calls-none = W tym pokoju nie trwa żadna rozmowa wideo. Aby ją zacząć, napisz „!wideo”.
calls-end-refused = Rozmowę może zakończyć osoba, która ją zaczęła, albo moderator pokoju.
calls-end-refused-live = Transmisję może zakończyć jej prowadzący albo moderator pokoju.
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
# Strona rozmowy (/rozmowa/…).
calls-page-title = Rozmowa wideo
calls-page-connecting = Łączę z rozmową…
calls-page-joined = Jesteś w rozmowie.
calls-page-refused = Nie udało się wejść do rozmowy.
calls-page-disconnected = Połączenie z rozmową zostało przerwane. Aby wrócić, odśwież tę stronę albo napisz w pokoju „!dołącz”.
calls-page-left = Rozmowa opuszczona. Aby wrócić, odśwież tę stronę albo napisz w pokoju „!dołącz”.
calls-page-no-camera = Nie mam dostępu do kamery ani mikrofonu: inni Cię nie widzą i nie słyszą, ale Ty widzisz i słyszysz ich.
calls-page-outside-widget = Ta strona otwiera rozmowę w widżecie pokoju w Element Web i Desktop. W innej aplikacji napisz w pokoju „!dołącz”, a wyślę Ci osobisty link na czacie prywatnym.
calls-page-you = Ty
calls-page-participant = Uczestnik
calls-page-media-error = Nie udało się odebrać obrazu jednego z uczestników.
calls-page-participants = Uczestnicy
calls-page-mute = Wycisz mikrofon
calls-page-camera = Wyłącz kamerę
calls-page-leave = Opuść rozmowę
calls-page-link-refused-title = Link nie działa
calls-page-link-refused = Ten link do rozmowy został już użyty albo wygasł, albo rozmowa się skończyła. Napisz w pokoju „!dołącz”, a wyślę Ci nowy.
calls-page-enter = To Twój osobisty link do rozmowy wideo. Przeglądarka zapyta o dostęp do kamery i mikrofonu.
calls-page-enter-button = Dołącz do rozmowy
calls-page-not-member = Tylko członkowie pokoju mogą dołączyć do tej rozmowy.
calls-page-ended = Ta rozmowa już się skończyła.
calls-page-unavailable = Rozmowy wideo są chwilowo niedostępne. Spróbuj za chwilę.
calls-help = Rozmowy wideo: „!wideo” (albo „!spotkanie teraz”) zaczyna rozmowę w tym pokoju, „!dołącz” wysyła Ci osobisty link, „!zakończ” kończy rozmowę.
calls-visit-started = Zaczyna się Twoja wizyta online (kod { $code }). Urzędnik dostał swój link; Ty dołączysz tutaj: { $link }
    W Element Web i Desktop otworzysz rozmowę z widżetu tego czatu. Osobisty link do przeglądarki wysłałem Ci osobno.
