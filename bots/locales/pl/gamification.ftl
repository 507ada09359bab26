# Punkty, serie, odznaki i rankingi (!postępy, !ranking).
gamification-badge-awarded = Gratulacje! { $count ->
        [one] Zdobywasz odznakę { $badges }.
       *[other] Zdobywasz odznaki: { $badges }.
    }{ $xp ->
        [0] { "" }
       *[other] { " " }Masz już { $xp } XP, poziom: { $level }.
    }
gamification-badge-first-course = Pierwszy ukończony kurs
gamification-badge-perfect = Bezbłędnie: { $course }
gamification-badge-streak7 = 7 dni nauki z rzędu
gamification-badge-streak30 = 30 dni nauki z rzędu
gamification-mine-in-private = Swoje postępy zobaczysz na naszym prywatnym czacie: napisz tam „!postępy”.
gamification-nothing-yet = Nie masz jeszcze punktów. Zapisz się na kurs („!kursy” pokaże dostępne): za każdą lekcję i dobrą odpowiedź dostaniesz XP.
gamification-mine = Masz { $xp } XP, poziom: { $level }. W tym tygodniu: { $week } XP.
gamification-next-level = Do poziomu „{ $level }” brakuje { $missing } XP.
gamification-no-streak = Nie masz teraz serii dni nauki. Wystarczy jedna lekcja dziennie, by zacząć nową.
gamification-streak = Seria: { $days } { $days ->
        [one] dzień
       *[other] dni
    } nauki z rzędu.{ $freeze ->
        [yes] { " " }Jeden opuszczony dzień jej nie przerwie.
       *[no] { "" }
    }
gamification-streak-at-risk = Seria: { $days } { $days ->
        [one] dzień
       *[other] dni
    } nauki z rzędu. Dziś nie było jeszcze nauki: wystarczy jedna lekcja, by seria trwała.
gamification-badges = Odznaki: { $badges }.
gamification-hidden = Nie pokazujemy Cię w rankingach. Jeśli zechcesz w nich być, napisz „!ranking pokaż”.
gamification-shown = Pokazujemy Cię w rankingach, z Twoimi punktami. Jeśli wolisz ich nie pokazywać, napisz „!ranking ukryj”.
gamification-ranking-usage = Napisz „!ranking”, by zobaczyć najlepszych uczestników szkoleń w urzędzie, „!ranking wydział” — w Twoim wydziale, „!ranking <kurs>” — w jednym kursie (np. „!ranking rodo”). „!ranking ukryj” sprawi, że nie będziemy Cię pokazywać w rankingach, a „!ranking pokaż” — że będziemy.
gamification-ranking-empty = W rankingu nie ma jeszcze nikogo. Pokazujemy w nim tylko osoby, które się na to zgodziły („!ranking pokaż”).
gamification-ranking-header = Ranking uczestników szkoleń:
gamification-ranking-course-header = Ranking kursu „{ $course }”:
gamification-ranking-department-header = Ranking Twojego wydziału ({ $department }):
gamification-ranking-no-course = Nie znam kursu „{ $course }”. Skróty kursów pokazuje „!kursy”; napisz „!ranking” i skrót jednego z nich.
gamification-ranking-which-course = Który kurs masz na myśli: { $courses }? Napisz na przykład „!ranking { $example }”.
gamification-ranking-no-department = Ranking wydziału pokazuję pracownikom, których wydział podaje katalog urzędu, a Twojego w nim nie ma. Ranking całego urzędu pokaże „!ranking”.
gamification-ranking-place = Twoje miejsce: { $place } ({ $xp } XP{ $board ->
        [course] { " " }w tym kursie
       *[other] { "" }
    }).
gamification-ranking-no-xp = { $board ->
        [course] Nie masz jeszcze punktów w tym kursie, więc nie ma Cię w jego rankingu.
       *[other] Nie masz jeszcze punktów, więc nie ma Cię w rankingu.
    }
gamification-ranking-hidden = Ciebie w rankingu nie pokazujemy. Jeśli chcesz w nim być, napisz „!ranking pokaż”.
gamification-streak-reminder = Twoja seria { $days } { $days ->
        [one] dnia
       *[other] dni
    } nauki skończy się dziś o północy. Wystarczy jedna lekcja albo jedno pytanie: napisz „dalej”.
gamification-weekly = Twój tydzień nauki ({ $from } – { $to }): { $xp } XP. Lekcje: { $lessons }, dobre odpowiedzi: { $answers }, ukończone kursy: { $courses }. Masz razem { $total } XP, poziom: { $level }.{ $streak ->
        [0] { "" }
        [one] { " " }Seria: 1 dzień nauki z rzędu.
       *[other] { " " }Seria: { $streak } dni nauki z rzędu.
    } Powodzenia w tym tygodniu!
