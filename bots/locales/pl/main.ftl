help =
    Dzień dobry! Jestem asystentem urzędu { $office }.
    Piszę po polsku; if you prefer English, write „!język en”.
    Co mogę teraz zrobić:
    • „pomoc” — ta lista,
    • „!język pl” albo „!język en” — zmiana języka odpowiedzi.
    Rezerwacja wizyt, zadania, kursy i rozmowa z konsultantem pojawią się tu wkrótce.
greeting = Dzień dobry! W czym mogę pomóc? Napisz „pomoc”, a pokażę, co potrafię.
thanks = Proszę bardzo! Gdyby coś jeszcze było potrzebne, jestem tutaj.
not-understood = Nie rozumiem jeszcze tej wiadomości. Napisz „pomoc”, a pokażę, w czym mogę pomóc.
unknown-command = Nie znam polecenia „{ $command }”. Napisz „pomoc”, aby zobaczyć dostępne polecenia.
empty-message = Wiadomość jest pusta. Napisz, w czym mogę pomóc, albo „pomoc”, aby zobaczyć listę poleceń.
too-long =
    Ta wiadomość jest za długa: ma { $length } { $count ->
        [one] znak
        [few] znaki
       *[many] znaków
    }, a mogę przyjąć najwyżej { $limit }. Proszę napisać krócej, najlepiej w kilku zdaniach.
non-text = Na razie rozumiem tylko wiadomości tekstowe. Proszę opisać sprawę słowami albo napisać „pomoc”.
language-set = Dobrze, od teraz odpowiadam po polsku.
language-unknown = Nie znam języka „{ $language }”. Mogę pisać po polsku („!język pl”) albo po angielsku („!język en”).
invite-refused = Ten asystent obsługuje tylko użytkowników z serwerów: { $servers }.
