# Powtórki pytań z kursów (!powtórka).
review-sitting = Czas na powtórkę: { $count } { $count ->
        [one] pytanie
        [few] pytania
       *[many] pytań
    } ({ $courses }). Zaznacz odpowiedź w każdej ankiecie.{ $more ->
        [0] { "" }
       *[other] { " " }Kolejne pytania dostaniesz, gdy znów napiszesz „!powtórka”.
    }
review-empty = Nie masz pytań do powtórki. Pytania, na które w quizach odpowiesz źle albo tylko częściowo dobrze, wrócą tu w odpowiednim czasie.
review-all-done = Na dziś wszystko powtórzone. W kolejce { $count ->
        [one] czeka 1 pytanie
        [few] czekają { $count } pytania
       *[many] czeka { $count } pytań
    }, najbliższa powtórka { $day }. { $nudges ->
        [on] Tego dnia rano Ci o niej przypomnę.
       *[off] Porannych przypomnień nie wysyłam; włączysz je, pisząc „!powtórka włącz”.
    }
review-nudge = Dzień dobry! { $count ->
        [one] Czeka na Ciebie 1 pytanie
        [few] Czekają na Ciebie { $count } pytania
       *[many] Czeka na Ciebie { $count } pytań
    } do powtórki, to minuta lub dwie. Napisz „!powtórka”, kiedy zechcesz. Jeśli wolisz bez tych przypomnień, napisz „!powtórka wyłącz”.
review-nudges-off = Dobrze, nie będę już przypominać o powtórkach. Pytania nadal czekają: wystarczy napisać „!powtórka”. Przypomnienia przywróci „!powtórka włącz”.
review-nudges-on = Dobrze, rano przypomnę, gdy będą pytania do powtórki.
review-usage = Napisz „!powtórka”, by powtórzyć czekające pytania, „!powtórka wyłącz”, by nie dostawać porannych przypomnień, albo „!powtórka włącz”, by je przywrócić.
review-stale = To pytanie jest już powtórzone. Napisz „!powtórka”, by dostać pytania, które czekają teraz.
review-answered = Odpowiedź zapisana.
review-right-answer = Poprawna odpowiedź: { $answers }.
review-learnt = To pytanie masz już opanowane i nie będzie wracać.
review-again-soon = To pytanie wróci przy następnej powtórce.
review-comes-back = To pytanie wróci { $day }.
review-sitting-done = Na dziś to wszystkie powtórki. Brawo!
review-in-private = Pytania do powtórki wysyłam na nasz prywatny czat.
