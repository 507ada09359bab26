help =
    Dzień dobry! Jestem asystentem { $office }.
    Piszę po polsku; if you prefer English, write „!język en”.
    Co mogę teraz zrobić:
    • „wizyta” albo „chcę umówić wizytę” — rezerwacja wizyty w urzędzie,
    • „moje wizyty” — Twoje wizyty; „odwołaj” lub „zmień termin” z kodem wizyty,
    • pytania o sprawy urzędu, np. „gdzie oddać elektrośmieci?” albo „jak się zameldować?”,
    • „!kursy” — kursy i szkolenia urzędu; „dalej” — następna część kursu,
    • „!postępy” — Twoje punkty, seria dni nauki i odznaki; „!ranking” — najlepsi uczestnicy szkoleń (też „!ranking wydział” i „!ranking <kurs>”),
    • „!powtórka” — powtórzenie pytań z testów, które sprawiły Ci trudność,
    • „pomoc” — ta lista,
    • „!język pl” albo „!język en” — zmiana języka odpowiedzi.
greeting = Dzień dobry! W czym mogę pomóc? Napisz „pomoc”, a pokażę, co potrafię.
thanks = Proszę bardzo! Gdyby coś jeszcze było potrzebne, jestem tutaj.
not-understood = Nie rozumiem jeszcze tej wiadomości. Napisz „pomoc”, a pokażę, w czym mogę pomóc.
unknown-command = Nie znam polecenia „{ $command }”. Napisz „pomoc”, aby zobaczyć dostępne polecenia.
turn-failed = Przepraszam, przy tej wiadomości coś poszło nie tak i już się tym zajmujemy. Proszę spróbować za chwilę albo napisać to inaczej.
empty-message = Wiadomość jest pusta. Napisz, w czym mogę pomóc, albo „pomoc”, aby zobaczyć listę poleceń.
too-long =
    Ta wiadomość jest za długa: ma { $length } { $count ->
        [one] znak
        [few] znaki
       *[many] znaków
    }, a mogę przyjąć najwyżej { $limit }. Proszę napisać krócej, najlepiej w kilku zdaniach.
non-text = Na razie rozumiem tylko wiadomości tekstowe. Proszę opisać sprawę słowami albo napisać „pomoc”.
unreadable = Nie mogę odczytać Twojej ostatniej wiadomości: nie dotarł do mnie klucz, którym została zaszyfrowana. Wyślij ją proszę jeszcze raz. Jeśli to się powtórzy, zacznij ze mną nowy czat.
language-set = Dobrze, od teraz odpowiadam po polsku.
language-unknown = Nie znam języka „{ $language }”. Mogę pisać po polsku („!język pl”) albo po angielsku („!język en”).
invite-refused = Ten asystent obsługuje tylko użytkowników z serwerów: { $servers }.

## Booking visits
booking-unavailable = Ten urząd nie prowadzi jeszcze zapisów na wizyty przez czat. Zadzwoń lub przyjdź do biura podawczego.
booking-choose-service =
    W jakiej sprawie chcesz się umówić? Napisz numer albo nazwę sprawy:
    { $list }
booking-service-unclear =
    Nie jestem pewien, o którą sprawę chodzi. Napisz numer:
    { $list }
booking-offers =
    { $service } — najbliższe wolne terminy:
    { $list }
    Napisz numer terminu. Możesz też zawęzić wybór, np. „jutro”, „w piątek”, „po 14” albo „inny termin”.
booking-no-times = Niestety, { $days ->
        [one] na najbliższy dzień
       *[other] w ciągu najbliższych { $days } dni
    } nie ma już wolnych terminów na „{ $service }”. Spróbuj ponownie za kilka dni — nowe terminy pojawiają się codziennie.
booking-no-times-filtered = Nie ma wolnych terminów na „{ $service }”, które spełniają te warunki. Napisz inny dzień lub godzinę (np. „w poniedziałek”, „po 10”) albo „inny termin”.
booking-closed-day = { $day }, urząd jest nieczynny.
booking-number-out-of-range = Nie ma pozycji o numerze { $number }. { $max ->
        [1] Jest tylko jedna: napisz „tak”, aby ją wybrać.
       *[other] Wybierz numer od 1 do { $max }.
    }
booking-hint-service = { $max ->
        [1] Napisz „tak”, aby wybrać tę sprawę, albo nazwę innej.
       *[other] Napisz numer sprawy (od 1 do { $max }) albo jej nazwę.
    } Aby przerwać, napisz „anuluj”.
booking-hint-time = { $max ->
        [1] Napisz „tak”, aby zarezerwować ten termin, „inny termin”
       *[other] Napisz numer terminu (od 1 do { $max }), „inny termin”
    } albo np. „jutro po 12”. Aby przerwać, napisz „anuluj”.
booking-hint-visit = { $max ->
        [1] Napisz „tak”, aby wybrać tę wizytę, albo jej kod.
       *[other] Napisz numer wizyty (od 1 do { $max }) albo jej kod.
    } Aby przerwać, napisz „anuluj”.
booking-stopped = Dobrze, przerywam. Gdy zechcesz wrócić do rezerwacji, napisz „wizyta”.
visit-confirm-cancel = Czy na pewno odwołać wizytę { $when } — { $service } ({ $code })? Napisz „tak”, aby ją odwołać, albo „nie”, aby ją zostawić.
booking-hint-confirm = Napisz „tak”, aby odwołać tę wizytę, albo „nie”, aby ją zostawić.
booking-stopped-cancel = Dobrze, niczego nie odwołuję: Twoje wizyty zostają bez zmian.
booking-stopped-move = Dobrze, termin zostaje bez zmian.
booking-nothing-open = Nie ma teraz żadnego otwartego pytania, więc nie ma czego przerywać. Aby odwołać wizytę, napisz „odwołaj wizytę”; listę wizyt pokaże „moje wizyty”.
booking-expired = Rozmowa o rezerwacji wygasła, bo przez dłuższy czas nie było odpowiedzi. Nic nie zostało zarezerwowane. Gdy zechcesz, napisz „wizyta”, a zaczniemy od nowa.
booking-expired-note = (Poprzednia rozmowa o rezerwacji wygasła, więc zaczynam od nowa.)
booking-time-passed = Ten termin już minął.
booking-limit-reached =
    Masz już { $max ->
        [one] zaplanowaną wizytę
        [few] { $max } zaplanowane wizyty
       *[other] { $max } zaplanowanych wizyt
    } — tyle, ile urząd pozwala zarezerwować jednocześnie:
    { $list }
    Aby umówić kolejną, odwołaj jedną z nich („odwołaj” i kod) albo zmień jej termin („zmień termin” i kod).
booking-taken = Przepraszam, ten termin został właśnie zajęty przez inną osobę.
booking-documents =
    Zabierz ze sobą:
    { $list }
booking-confirmed =
    Gotowe! Wizyta jest zarezerwowana.
    • Sprawa: { $service }
    • Termin: { $when }
    • Miejsce: { $desk }
    • Kod wizyty: { $code }
    { $documents }
    Po przyjściu podaj kod w biletomacie lub w okienku. Przypomnę Ci o wizycie. Aby ją zmienić lub odwołać, napisz „moje wizyty”.
booking-moved =
    Gotowe! Termin wizyty został zmieniony.
    • Sprawa: { $service }
    • Nowy termin: { $when }
    • Miejsce: { $desk }
    • Kod wizyty (bez zmian): { $code }
    { $documents }
booking-reminder =
    Przypomnienie: { $when } masz wizytę w { $office } — { $service }, { $desk }. Kod wizyty: { $code }.
    { $documents }
    Jeśli nie możesz przyjść, napisz „odwołaj { $code }” — termin przyda się komuś innemu.
visits-none = Nie masz zaplanowanych wizyt. Aby się umówić, napisz „wizyta”.
visits-list =
    Twoje zaplanowane wizyty:
    { $list }
    Aby odwołać wizytę, napisz „odwołaj” i jej kod; aby zmienić termin — „zmień termin” i kod.
visit-choose-cancel =
    Którą wizytę odwołać? Napisz numer:
    { $list }
visit-choose-move =
    Której wizyty termin chcesz zmienić? Napisz numer:
    { $list }
visit-unknown-code = Nie znalazłem wśród Twoich zaplanowanych wizyt żadnej o kodzie { $code }. Napisz „moje wizyty”, aby zobaczyć swoje wizyty.
visit-service-gone = Wizyty { $code } nie da się zmienić przez czat, bo tej sprawy nie ma już w ofercie. Skontaktuj się z urzędem.
visit-moving = Zmieniamy termin wizyty { $when }.
visit-cancelled = Wizyta { $when } ({ $service }, kod { $code }) została odwołana. Dziękujemy za informację — termin trafi do innej osoby.

## Department rooms (always Polish: the clerks' working language)
team-room-department-topic = Wizyty i kolejka działu „{ $department }”. Polecenia: !agenda, !następny, !przyjęto KOD.
team-room-support-name = Wsparcie — zgłoszenia
team-room-support-topic = Zgłoszenia z czatu z mieszkańcami. Polecenia: !zgłoszenia, !przyjmij N, !zamknij N, !oddaj N.
department-new = Nowa wizyta { $code }: { $when } — { $service }; { $clerk }, { $desk }.
department-moved = Przełożona wizyta { $code }: { $old } { $when } — { $service }; { $clerk }, { $desk }.
department-cancelled = Odwołana wizyta { $code }: { $when } — { $service }; { $clerk }, { $desk }.

## Clerks
clerk-only = To polecenie jest tylko dla pracowników urzędu. Jeśli chcesz umówić wizytę, napisz „wizyta”.
clerk-wrong-room = Polecenia dla pracowników działają w czacie bezpośrednim z asystentem albo w pokoju działu.
clerk-bad-date = Nie rozpoznaję daty „{ $text }”. Napisz np. „jutro”, „piątek”, „12.12” albo „2026-12-12”.
clerk-bad-range = Napisz okres jako „OD..DO”, np. „!urlop 1.12..3.12”, albo jeden dzień, np. „!urlop 1.12”.
clerk-range-backwards = Koniec okresu jest wcześniej niż początek. Napisz np. „!urlop 1.12..3.12”.
clerk-range-too-long = Okres jest dłuższy niż rok. Podaj krótszy.
clerk-range-past = Ten termin już minął — zmiany można wprowadzać od dziś.
clerk-agenda =
    Wizyty — { $day } — { $whose }:
    { $list }
    Razem: { $count } { $count ->
        [one] wizyta
        [few] wizyty
       *[many] wizyt
    }.
clerk-agenda-empty = { $day } — { $whose }: brak zarezerwowanych wizyt.
visit-status-booked = zarezerwowana
visit-status-checked_in = czeka w kolejce
visit-status-called = wezwany
visit-status-no_show = nieobecność
visit-status-cancelled = odwołana
clerk-code-needed = Podaj kod wizyty, np. „!przyjęto K3MX7P”.
clerk-no-such-visit-today = Nie ma dziś wizyty o kodzie { $code }.
clerk-other-department = Wizyta { $code } należy do innego działu.
clerk-wrong-status = Wizyta { $code } ma status: { $status }.
clerk-checked-in = Przyjęto { $code }. W kolejce { $waiting ->
        [one] czeka { $waiting } osoba
        [few] czekają { $waiting } osoby
       *[many] czeka { $waiting } osób
    }. Wezwij następną osobę poleceniem „!następny”.
clerk-queue-empty = Nikt nie czeka teraz w kolejce.
clerk-called = Wezwano { $code } — { $service } ({ $citizen }). W kolejce pozostało: { $left }.
clerk-too-early-for-no-show = Nieobecność na wizycie { $code } można zaznaczyć od { $at }.
clerk-no-show = Wizyta { $code } oznaczona jako nieobecność; termin jest zwolniony.
clerk-leave-saved = Zapisano nieobecność: { $what }. { $count ->
        [0] Żadna wizyta jej nie dotyczy.
        [one] Jedna osoba ({ $codes }) dostała propozycję nowego terminu.
        [few] { $count } osoby ({ $codes }) dostały propozycję nowego terminu.
       *[many] { $count } osób ({ $codes }) dostało propozycję nowego terminu.
    }
clerk-hours-saved = Zapisano godziny pracy — { $what }. { $count ->
        [0] Żadna wizyta nie wypada poza nimi.
        [one] Jedna osoba ({ $codes }) dostała propozycję nowego terminu.
        [few] { $count } osoby ({ $codes }) dostały propozycję nowego terminu.
       *[many] { $count } osób ({ $codes }) dostało propozycję nowego terminu.
    }
clerk-hours-usage = Napisz dzień i godziny, np. „!godziny 5.12 9:00-13:00” albo „!godziny sobota 9:00-12:00, 12:30-14:00”. Samo „!godziny” pokazuje Twój plan.
clerk-hours =
    Twój plan pracy:
    { $list }
feed-whose-clerk = Twoje wizyty i zadania
feed-whose-personal = Twoje zadania
feed-whose-room = zadania tego pokoju
feed-address =
    Kalendarz ({ $whose }) do subskrypcji w Outlooku, Thunderbirdzie lub telefonie:
    { $url }
    Ten adres jest tylko Twój i tajny — nie udostępniaj go. Zapisz go teraz: ze względów bezpieczeństwa nie przechowujemy go, więc nie pokażę go ponownie. „!kalendarz nowy” tworzy nowy adres, a poprzedni przestaje działać.
feed-address-room =
    Kalendarz ({ $whose }) do subskrypcji w Outlooku, Thunderbirdzie lub telefonie:
    { $url }
    Ten adres jest tylko Twój i działa, dopóki należysz do tego pokoju — nie udostępniaj go. Zapisz go teraz: ze względów bezpieczeństwa nie przechowujemy go, więc nie pokażę go ponownie. „!kalendarz nowy” tworzy nowy adres, a poprzedni przestaje działać.
feed-address-held = Masz już swój adres kalendarza ({ $whose }). Ze względów bezpieczeństwa nie przechowujemy go, więc nie mogę go pokazać ponownie. Jeśli go nie masz, napisz „!kalendarz nowy”: dostaniesz nowy adres, a poprzedni przestanie działać.
feed-rotated =
    Nowy adres kalendarza ({ $whose }):
    { $url }
    Poprzedni adres już nie działa. Zapisz ten teraz — nie pokażę go ponownie.
clerk-not-your-department = Nie pracujesz w dziale „{ $department }”.

## Citizens, told of what clerks did
citizen-checked-in = Dziękujemy, jesteś w kolejce. Wezwiemy Cię wiadomością w tym czacie.
citizen-called = Zapraszamy { $to } — { $clerk }. Kod wizyty: { $code }.
citizen-no-show = Wizyta { $when } (kod { $code }) przepadła, ponieważ nie odnotowaliśmy Twojego przybycia. Aby umówić nową, napisz „wizyta”.
citizen-visit-affected =
    Niestety, wizyta { $when } ({ $service }, kod { $code }) nie może się odbyć w tym terminie — urzędnik będzie nieobecny. Przepraszamy!
    Wolne terminy:
    { $list }
    Napisz numer nowego terminu albo „odwołaj { $code }”, jeśli wizyta nie jest już potrzebna.
citizen-visit-affected-no-times = Niestety, wizyta { $when } ({ $service }, kod { $code }) nie może się odbyć w tym terminie — urzędnik będzie nieobecny. Przepraszamy! Na razie nie ma wolnych terminów; napisz „zmień termin { $code }” za kilka dni albo skontaktuj się z urzędem.
help-clerk =
    Polecenia dla pracowników (w czacie ze mną lub w pokoju działu):
    • „!agenda [dzień]” — wizyty dnia (w pokoju działu: całego działu),
    • „!przyjęto KOD”, „!następny”, „!nieobecny KOD” — kolejka,
    • „!urlop OD..DO”, „!godziny [dzień godziny]” — nieobecność i godziny pracy,
    • „!kalendarz” — adres kalendarza do Outlooka lub Thunderbirda („!kalendarz nowy” — nowy adres).

# Free text, as the NLU understood it.
clarify = Nie jestem pewien, o co chodzi: o { $first } czy o { $second }? Napisz proszę jeszcze raz, innymi słowami.
out-of-scope = Tym się nie zajmuję — pomagam w sprawach urzędu: wizytach, dokumentach, odpadach, podatkach i innych. Napisz „pomoc”, aby zobaczyć, w czym mogę pomóc.
human-not-yet = Przekazywanie rozmowy pracownikowi przez czat jeszcze nie działa. Z urzędnikiem porozmawiasz na wizycie (napisz „umów wizytę”) albo telefonicznie — numery wydziałów są w BIP urzędu.
intent-label = { $intent ->
    [book_visit] umówienie wizyty
    [move_visit] zmianę terminu wizyty
    [cancel_visit] odwołanie wizyty
    [my_visits] Twoje wizyty
    [tasks] listę zadań
    [courses] kursy i szkolenia
    [help] pomoc w korzystaniu z czatu
    [human] rozmowę z pracownikiem urzędu
    [callback] telefon od urzędu
    [greet] przywitanie
    [thanks] podziękowanie
    [out_of_scope] sprawę spoza urzędu
    [faq-dowod_osobisty] wyrobienie dowodu osobistego
    [faq-dowod_utrata] utratę dowodu osobistego
    [faq-meldunek_staly] zameldowanie na pobyt stały
    [faq-meldunek_czasowy] zameldowanie na pobyt czasowy
    [faq-wymeldowanie] wymeldowanie
    [faq-akt_urodzenia] odpisy aktów stanu cywilnego
    [faq-slub] ślub cywilny
    [faq-zgon] zgłoszenie zgonu
    [faq-segregacja] segregację odpadów
    [faq-odbior_odpadow] odbiór odpadów
    [faq-elektrosmieci] elektrośmieci i PSZOK
    [faq-gabaryty] odpady wielkogabarytowe
    [faq-oplata_smieci] opłatę za odpady
    [faq-podatek_nieruchomosci] podatek od nieruchomości
    [faq-platnosci] płatności w urzędzie
    [faq-pozwolenie_budowa] pozwolenie na budowę
    [faq-warunki_zabudowy] warunki zabudowy i plan miejscowy
    [faq-godziny_otwarcia] godziny otwarcia urzędu
    [faq-adres_dojazd] adres i dojazd
    [faq-kontakt] kontakt z urzędem
    [faq-profil_zaufany] profil zaufany i mObywatel
    [faq-prawo_jazdy] prawo jazdy
    [faq-rejestracja_pojazdu] rejestrację pojazdu
    [faq-karta_duzej_rodziny] Kartę Dużej Rodziny
    [faq-dzialalnosc_gospodarcza] działalność gospodarczą
    [faq-pomoc_spoleczna] pomoc społeczną
    [faq-wycinka_drzew] wycinkę drzew
    [faq-paszport] paszport
    [faq-wybory] głosowanie w wyborach
    [faq-zezwolenie_alkohol] zezwolenia na alkohol
    [faq-psy] zwierzęta i schronisko
    [faq-oplata_psy] opłatę od posiadania psa
    [faq-zmiana_nazwiska] zmianę nazwiska
    [faq-drogi_awarie] zgłoszenie usterki drogi lub oświetlenia
    [faq-pojazd_sprowadzony] rejestrację sprowadzonego samochodu
    [faq-swiadczenie_800] świadczenie 800+
   *[other] inną sprawę
}

# Helpdesk: tickets handed to the support team.
helpdesk-did-it-help = Czy to pomogło? Jeśli nie, napisz „nie pomogło”, a przekażę rozmowę konsultantowi.
helpdesk-not-understood = Nie rozumiem tej wiadomości. Spróbuj napisać inaczej albo napisz „konsultant”, a przekażę rozmowę pracownikowi urzędu.
helpdesk-handed-over = Przekazuję rozmowę konsultantowi — to zgłoszenie nr { $id }. Ktoś z zespołu wsparcia dołączy do tej rozmowy, zwykle w ciągu kilkunastu minut. Możesz dopisać tu szczegóły.
helpdesk-handed-over-closed = Przekazuję rozmowę konsultantowi — to zgłoszenie nr { $id }. Zespół wsparcia pracuje teraz poza godzinami przyjęć i wróci { $back }. Zgłoszenie czeka w kolejce; dam znać, gdy ktoś je przyjmie.
helpdesk-handed-over-away = Przekazuję rozmowę konsultantowi — to zgłoszenie nr { $id }. Zgłoszenie czeka w kolejce; dam znać, gdy ktoś je przyjmie.
helpdesk-queue-callback = {" "}— tel. { $phone }{ $when }
helpdesk-callback-added = Dopisałem do zgłoszenia nr { $id } prośbę o telefon: { $phone }{ $when }. Przekazałem to zespołowi wsparcia.
helpdesk-callback-added-team = Zgłoszenie nr { $id } od { $citizen }: prośba o telefon — { $phone }{ $when }.
helpdesk-already-waiting = Twoje zgłoszenie nr { $id } już czeka na konsultanta. Dam znać, gdy ktoś je przyjmie; możesz dopisać tu szczegóły.
helpdesk-write-directly = Z konsultantem porozmawiasz w prywatnym czacie: napisz do mnie bezpośrednio „konsultant”.
helpdesk-agent-joins = Dołącza do nas konsultant: { $agent }. Możesz pisać jak zwykle — odpowie tutaj.
helpdesk-closed = Konsultant zakończył rozmowę; zgłoszenie nr { $id } jest zamknięte. Jeśli potrzebujesz czegoś jeszcze, po prostu napisz.
helpdesk-back-to-queue = Konsultant opuścił rozmowę, a zgłoszenie nr { $id } wraca do kolejki — odezwie się kolejna osoba z zespołu wsparcia.
helpdesk-back-to-bot = Konsultant opuścił rozmowę. Dalej pomagam ja, asystent urzędu; gdyby był potrzebny człowiek, napisz „konsultant”.
helpdesk-staff-only = To polecenie jest tylko dla zespołu wsparcia.
helpdesk-wrong-room = Kolejkę zgłoszeń widać tylko w pokoju zespołu wsparcia albo w czacie bezpośrednim ze mną.
helpdesk-bad-number = „{ $text }” nie jest numerem zgłoszenia. Napisz np. „!przyjmij 12”.
helpdesk-no-such-ticket = Nie ma zgłoszenia nr { $id }.
helpdesk-which-ticket = Podaj numer zgłoszenia, np. „!zamknij 12” (bez numeru polecenie działa w rozmowie, do której dołączyłeś).
helpdesk-queue-empty = Brak otwartych zgłoszeń.
helpdesk-queue = { $count ->
    [one] Jedno otwarte zgłoszenie:
    [few] { $count } otwarte zgłoszenia:
   *[many] { $count } otwartych zgłoszeń:
}
    { $tickets }
helpdesk-queue-line = { $state ->
    [open] • nr { $id } — prowadzi { $agent } — { $topic } — { $citizen }{ $callback }
   *[pending] • nr { $id } — czeka od { $since } ({ $minutes } min) — { $topic } — { $citizen }{ $callback } — „!przyjmij { $id }”
}
helpdesk-new-ticket =
    Nowe zgłoszenie nr { $id } od { $citizen } — { $topic }.
    Ostatnie wiadomości:
    { $summary }
    Przyjmij: „!przyjmij { $id }”.
helpdesk-no-topic = temat nierozpoznany
helpdesk-claimed = Zgłoszenie nr { $id } przyjmuje { $agent }.
helpdesk-claimed-you = Zgłoszenie nr { $id } jest Twoje: zaprosiłem Cię do rozmowy z mieszkańcem. Zakończysz je poleceniem „!zamknij” w tej rozmowie.
helpdesk-already-taken = Zgłoszenie nr { $id } prowadzi już { $agent }.
helpdesk-not-waiting = Zgłoszenie nr { $id } nie czeka w kolejce.
helpdesk-not-active = Zgłoszenie nr { $id } jest już zamknięte.
helpdesk-not-yours = Zgłoszenie nr { $id } prowadzi { $agent }; zamknąć je lub oddać może ta osoba albo kierownik zespołu.
helpdesk-closed-team = Zgłoszenie nr { $id } zamknięte ({ $agent }).
helpdesk-released-queue = Zgłoszenie nr { $id } wraca do kolejki ({ $agent }).
helpdesk-released-bot = Zgłoszenie nr { $id } oddane asystentowi ({ $agent }).
helpdesk-kick-reason-closed = Zgłoszenie zamknięte.
helpdesk-kick-reason-released = Zgłoszenie oddane.
help-helpdesk =
    • „konsultant” — rozmowa z pracownikiem urzędu (zespół wsparcia dołączy do tego czatu),
    • „!zgłoszenia” — Twoje zgłoszenia.
help-staff =
    Polecenia zespołu wsparcia (w pokoju zespołu lub w czacie ze mną):
    • „!zgłoszenia” — kolejka zgłoszeń,
    • „!przyjmij N” — przejęcie zgłoszenia: zaproszę Cię do rozmowy z mieszkańcem,
    • „!zamknij [N]”, „!oddaj [N] [bot]” — zamknięcie, zwrot do kolejki albo do asystenta,
    • „!szablony”, „!szablon nazwa” — gotowe odpowiedzi (kierownik: „!szablon dodaj nazwa treść”, „!szablon usuń nazwa”),
    • „!statystyki [dziś|tydzień|miesiąc|N dni]” — liczby, czasy odpowiedzi, terminy i oceny (kierownik).
helpdesk-sla-first-response-warning = Uwaga: zgłoszenie nr { $id } czeka na konsultanta od { $minutes } min; termin pierwszej odpowiedzi mija { $due }. Przyjmij: „!przyjmij { $id }”.
helpdesk-sla-first-response-breach = Przekroczony termin pierwszej odpowiedzi: zgłoszenie nr { $id } wciąż czeka (termin minął { $due }). Kierownictwo zespołu: { $leads } — proszę o przydzielenie.
helpdesk-sla-resolution-warning = Uwaga: zgłoszenie nr { $id } { $status }; termin rozwiązania mija { $due }.
helpdesk-status-queued = czeka w kolejce
helpdesk-status-held = prowadzi { $agent }
helpdesk-sla-resolution-breach = Przekroczony termin rozwiązania zgłoszenia nr { $id } (minął { $due }). Kierownictwo zespołu: { $leads } — proszę o decyzję.
slow-down = Piszesz szybciej, niż nadążam czytać. Odpowiem na kolejne wiadomości za pół minuty — nic się nie zgubi, jeśli napiszesz wszystko w jednej wiadomości.
helpdesk-templates-empty = Nie ma jeszcze szablonów. Kierownik zespołu doda je poleceniem „!szablon dodaj nazwa treść”.
helpdesk-templates = { $count ->
    [one] Jeden szablon:
    [few] { $count } szablony:
   *[many] { $count } szablonów:
}
    { $names }
    W rozmowie z mieszkańcem: „!szablon nazwa”.
helpdesk-template-unknown = Nie ma szablonu „{ $name }”. Listę pokaże „!szablony”.
helpdesk-template-preview =
    Szablon „{ $name }”:
    { $body }
helpdesk-template-signed =
    { $body }
    — { $agent }, zespół wsparcia
helpdesk-template-leads-only = Szablony dodaje i usuwa kierownik zespołu.
helpdesk-template-bad-name = Nazwa szablonu to jedno słowo z liter, cyfr i myślników (do 32 znaków), np. „dowod-utrata”.
helpdesk-template-no-body = Podaj treść szablonu: „!szablon dodaj nazwa treść”.
helpdesk-template-too-long = Szablon może mieć najwyżej { $limit } znaków.
helpdesk-template-saved = Zapisano szablon „{ $name }”.
helpdesk-template-deleted = Usunięto szablon „{ $name }”.
helpdesk-own-tickets-empty = Nie masz żadnych zgłoszeń. Jeśli chcesz porozmawiać z pracownikiem urzędu, napisz „konsultant”.
helpdesk-own-tickets =
    Twoje zgłoszenia:
    { $tickets }
helpdesk-own-ticket-line = { $state ->
    [pending] • nr { $id } — czeka na konsultanta (zgłoszone { $date })
    [open] • nr { $id } — prowadzi { $agent } (zgłoszone { $date })
    [resolved] • nr { $id } — zamknięte (zgłoszone { $date })
   *[bot] • nr { $id } — wróciło do asystenta (zgłoszone { $date })
}
helpdesk-callback-number = Chętnie zadzwonimy. Podaj proszę numer telefonu i kiedy najlepiej dzwonić, np. „600 123 456, jutro po 14”.
helpdesk-callback-taken = Przyjąłem prośbę o telefon — to zgłoszenie nr { $id }. Zadzwonimy pod numer { $phone }{ $when }. Dam znać, gdy ktoś z zespołu wsparcia je przyjmie.
helpdesk-callback-taken-closed = Przyjąłem prośbę o telefon — to zgłoszenie nr { $id }. Zadzwonimy pod numer { $phone }{ $when }. Zespół wsparcia wróci { $back }.
helpdesk-callback-new-ticket =
    Prośba o telefon nr { $id } od { $citizen }: { $phone }{ $when } — { $topic }.
    Ostatnie wiadomości:
    { $summary }
    Przyjmij: „!przyjmij { $id }”.
helpdesk-callback-agent-calls = { $agent } z zespołu wsparcia zadzwoni do Ciebie pod numer { $phone }.
helpdesk-callback-claimed-you = Zgłoszenie nr { $id } jest Twoje: zadzwoń pod { $phone }{ $when }. Po rozmowie napisz „!zamknij { $id }”.
helpdesk-callback-closed = Prośba o telefon (zgłoszenie nr { $id }) jest zamknięta. Jeśli potrzebujesz czegoś jeszcze, po prostu napisz.
helpdesk-when = , { $when }
helpdesk-rating-question = Jak oceniasz pomoc w sprawie zgłoszenia nr { $id }?
helpdesk-rating-answer = { $score ->
    [1] 1 — bardzo źle
    [2] 2 — źle
    [3] 3 — średnio
    [4] 4 — dobrze
   *[5] 5 — bardzo dobrze
}
helpdesk-rating-thanks = Dziękujemy za ocenę — pomoże nam pracować lepiej.
helpdesk-queue-more = … i { $count } kolejnych (najdłużej czekające są wyżej).
helpdesk-stats-leads-only = Statystyki zgłoszeń widzi kierownik zespołu.
helpdesk-stats-today = dziś ({ $date })
helpdesk-stats-days = ostatnie { $count } dni ({ $from } – { $until })
helpdesk-stats-rating = średnio { $average } z 5 ({ $count ->
    [one] jedna ocena
    [few] { $count } oceny
   *[many] { $count } ocen
})
helpdesk-stats-no-rating = brak ocen
helpdesk-chart-title = Zgłoszenia i pierwsza odpowiedź — { $period }
helpdesk-chart-tickets = Zgłoszenia dziennie
helpdesk-chart-minutes = Mediana pierwszej odpowiedzi (min)
helpdesk-chart-caption = Wykres: zgłoszenia dziennie (słupki) i mediana czasu pierwszej odpowiedzi w minutach (linia z punktami), { $period }. Najwięcej zgłoszeń: { $most } ({ $day }).
helpdesk-stats =
    Statystyki zgłoszeń — { $period }:
    • zgłoszenia: { $total } (czat { $chat }, telefon { $callback }); rozwiązane { $resolved }, w kolejce { $pending }, w toku { $open }, oddane asystentowi { $bot }
    • pierwsza odpowiedź: mediana { $first }
    • rozwiązanie: mediana { $resolution }
    • przekroczone terminy: pierwszej odpowiedzi { $first_breaches }, rozwiązania { $resolution_breaches }
    • ocena: { $rating }
    Dzień po dniu (zgłoszenia / mediana pierwszej odpowiedzi):
    { $days }

## Task lists (a room's shared list; a personal list in the direct chat with the bot)
tasks-help =
    Zadania (w pokoju — wspólna lista pokoju, w czacie ze mną — Twoja osobista):
    • „!zadanie Tytuł [@osoba] [termin] [!pilne]” — nowe zadanie, np. „!zadanie Raport kwartalny @ewa:urzad.pl do piątku !pilne”,
    • „!zadania [moje|zaległe|wszystkie]” — lista,
    • „!zrobione N”, „!przypisz N @osoba”, „!termin N jutro o 12”, „!usuń N” — zmiany,
    • zadania powtarzalne: „co poniedziałek o 9”, „w dni robocze o 8”, „pierwszego dnia miesiąca” albo „cron 0 9 * * 1” w tytule lub w „!termin N …”; „!zrobione N” przenosi je na następny raz,
    • „!podsumowanie 8:30” — codzienne podsumowanie o tej godzinie („!podsumowanie wyłącz” — bez niego),
    • „!kalendarz” — zadania z terminami w Twoim kalendarzu (Outlook, Thunderbird, telefon),
    • „!dokumenty” — pliki udostępnione w pokoju,
    • „!spotkanie jutro o 10 Narada zespołu 45 min” — spotkanie z ankietą obecności („!spotkania” — lista, „!spotkanie odwołaj N”).
tasks-unknown-filter = Nie znam listy „{ $filter }”. Napisz „!zadania”, „!zadania moje”, „!zadania zaległe” albo „!zadania wszystkie”.
tasks-number-needed = Podaj numer zadania, np. „!zrobione 3”. Numery pokazuje „!zadania”.
tasks-personal-no-assignee = Osobista lista jest tylko Twoja, więc zadań z niej nie przypisuję innym. Wspólne zadania dodaj w pokoju zespołu.
tasks-added = Dodano zadanie nr { $number }:
tasks-header-room = Zadania tego pokoju do zrobienia ({ $count }):
tasks-header-personal = Twoja lista do zrobienia ({ $count }):
tasks-header-mine = Zadania przypisane do Ciebie ({ $count }):
tasks-header-overdue = Zadania po terminie ({ $count }):
tasks-header-all = Wszystkie zadania, także zrobione ({ $count }):
tasks-empty = Lista zadań jest pusta. Dodaj pierwsze: „!zadanie Tytuł [@osoba] [termin] [!pilne]”.
tasks-empty-mine = Nie masz przypisanych zadań do zrobienia.
tasks-empty-overdue = Żadne zadanie nie jest po terminie.
tasks-more = … i { $count ->
    [one] jeszcze jedno zadanie
    [few] jeszcze { $count } zadania
   *[many] jeszcze { $count } zadań
    }. Zawęź listę: „!zadania moje” albo „!zadania zaległe”.
tasks-not-found = Na tej liście nie ma zadania nr { $number }. Numery pokazuje „!zadania”.
tasks-not-yours = Zadanie nr { $number } może zmienić jego autor, osoba, do której jest przypisane, albo moderator pokoju.
tasks-already-done = Zadanie nr { $number } jest już zrobione.
tasks-done = Zrobione: nr { $number } „{ $title }”. Dziękuję!
tasks-bad-user = „{ $user }” nie wygląda jak identyfikator Matrix. Napisz go w pełnej postaci, np. „@ewa:urzad.pl”, albo „nikt”, by zdjąć przypisanie.
tasks-assigned = Zadanie nr { $number } przypisano do { $user }.
tasks-not-a-member = { $user } nie należy do tego pokoju, więc nie może dostać jego zadania. Zaproś tę osobę do pokoju albo przypisz zadanie komuś z jego członków.
tasks-unassigned = Zadanie nr { $number } nie jest już nikomu przypisane.
tasks-due-set = Termin zadania nr { $number }: { $due }.
tasks-due-cleared = Zadanie nr { $number } nie ma już terminu.
tasks-done-next = Zrobione: nr { $number } „{ $title }”. Dziękuję! Następny raz: { $due }.
tasks-repeat-set = Zadanie nr { $number } powtarza się { $rule }. Najbliższy termin: { $due }.
tasks-repeat-stopped = Zadanie nr { $number } już się nie powtarza; termin zostaje.
tasks-not-repeating = Zadanie nr { $number } i tak się nie powtarza.
tasks-repeat-bad-cron = Nie rozumiem reguły „{ $rule }”. Reguła cron ma pięć pól: minuty, godzina, dzień miesiąca, miesiąc, dzień tygodnia, np. „cron 0 9 * * 1” (w poniedziałki o 9). Można też napisać „co poniedziałek o 9”.
tasks-repeat-never = Ta reguła nigdy nie wypada (np. 30 lutego), więc zadanie nie miałoby terminu. Podaj inną.
tasks-repeat-too-often = Zadanie może się powtarzać najwyżej raz dziennie, np. „codziennie o 8”.
tasks-repeat-mark = ↻ { $rule }
tasks-deleted = Usunięto zadanie nr { $number } „{ $title }”. Jego numer nie przejdzie na inne zadanie.
tasks-digest-moderators = Godzinę podsumowania pokoju ustawia moderator pokoju.
tasks-digest-off = Codzienne podsumowanie zadań wyłączone.
tasks-digest-bad-hour = Nie rozumiem godziny „{ $text }”. Napisz np. „!podsumowanie 8:30”, albo „!podsumowanie wyłącz”.
tasks-digest-set = Codziennie o { $hour } wyślę tu podsumowanie zadań do zrobienia.
tasks-bad-date = Nie rozumiem terminu „{ $text }”. Napisz np. „jutro”, „w piątek o 12”, „za 3 dni”, „31.12” albo „31 grudnia 17:00”; „brak” zdejmuje termin.
tasks-date-past = Ten termin już minął. Podaj termin w przyszłości, np. „jutro o 12”.
tasks-no-title = Zadanie potrzebuje tytułu, np. „!zadanie Przygotować salę na sesję jutro”.
tasks-title-too-long = Tytuł ma { $length } znaków, a może mieć najwyżej { $limit }. Skróć go; szczegóły napisz w pokoju.
tasks-due = termin: { $due }
tasks-overdue-mark = po terminie
tasks-done-mark = zrobione { $day }
tasks-alert-soon = Przypomnienie: zbliża się termin zadania nr { $number } „{ $title }” ({ $due }). { $user }
tasks-alert-overdue = Zadanie nr { $number } „{ $title }” jest po terminie ({ $due }). { $user }, gdy będzie gotowe, napisz „!zrobione { $number }”.
tasks-digest = Podsumowanie — { $day }: { $count ->
    [one] jedno zadanie do zrobienia
    [few] { $count } zadania do zrobienia
   *[many] { $count } zadań do zrobienia
    }, w tym po terminie: { $overdue }.

## The document register (files shared in a room)
documents-header = Dokumenty udostępnione w tym pokoju ({ $count }):
documents-empty = W tym pokoju nikt jeszcze nie udostępnił pliku. Wyślij plik, a trafi do rejestru; odpowiedz na niego „!zadanie …”, by dołączyć go do zadania.
documents-more = … i jeszcze { $count ->
        [one] jeden starszy
        [few] { $count } starsze
       *[many] { $count } starszych
    }.
documents-recorded = Plik „{ $name }” jest w dokumentach tego czatu („!dokumenty”). Aby dołączyć go do zadania, odpowiedz na niego „!zadanie …”.
tasks-visit-follow-up = Sprawa z wizyty { $code }
tasks-visit-mark = ↪ wizyta { $code }
tasks-attachment-mark = 📎 { $name }

## Team meetings
meetings-in-rooms = Spotkania planuje się w pokoju zespołu: napisz tam np. „!spotkanie jutro o 10 Narada zespołu 45 min”.
meetings-scheduled = Spotkanie nr { $number } „{ $title }”: { $when }. Odpowiedz w ankiecie poniżej, czy będziesz. Przypomnę { $minutes } minut przed początkiem.
meetings-poll-question = Czy będziesz na spotkaniu „{ $title }” ({ $when })?
meetings-yes = tak
meetings-no = nie
meetings-maybe = może
meetings-none = W tym pokoju nie ma zaplanowanych spotkań. Zaplanuj: „!spotkanie jutro o 10 Narada zespołu 45 min”.
meetings-header = Spotkania tego pokoju ({ $count }):
meetings-counts = tak: { $yes } · nie: { $no } · może: { $maybe }
meetings-number-needed = Podaj numer spotkania, np. „!spotkanie odwołaj 2”. Numery pokazuje „!spotkania”.
meetings-not-found = W tym pokoju nie ma spotkania nr { $number }. Numery pokazuje „!spotkania”.
meetings-already-cancelled = Spotkanie nr { $number } jest już odwołane.
meetings-not-yours = Spotkanie nr { $number } może odwołać osoba, która je zaplanowała, albo moderator pokoju.
meetings-cancelled = Odwołano spotkanie nr { $number } „{ $title }” ({ $when }).
meetings-bad-duration = Spotkanie może trwać od 5 minut do 12 godzin, a podano { $minutes } min. Napisz np. „45 min” albo „1,5 h”.
meetings-no-title = Spotkanie potrzebuje tematu, np. „!spotkanie jutro o 10 Narada zespołu”.
meetings-no-repeat = Na razie planuję pojedyncze spotkania. Podaj jeden termin, np. „w poniedziałek o 9”.
meetings-when-needed = Kiedy ma być spotkanie? Napisz dzień i godzinę, np. „!spotkanie jutro o 10 Narada zespołu”.
meetings-hour-needed = O której ma być spotkanie? Dopisz godzinę, np. „o 10” albo „o 13:30”.
meetings-soon = Za { $minutes } minut spotkanie nr { $number } „{ $title }” ({ $when }).
meetings-start = Zaczyna się spotkanie nr { $number } „{ $title }” ({ $when }).
meetings-video-link = Dołącz do rozmowy wideo: { $link }

## Courses, the trainers' side
courses-trainers-only = Kursy publikują trenerzy urzędu. Jeśli prowadzisz szkolenia, poproś administratora o wpisanie Cię do sekcji [courses] pliku urzędu.
courses-usage = Aby opublikować kurs, wyślij jego plik (.md albo paczkę .zip z obrazami i plikami lekcji) i odpowiedz na niego poleceniem „!kurs opublikuj”. „!kurs eksport <kurs>” odsyła kurs do poprawek, „!kurs edytor” daje link do edytora, a „!na-żywo <kurs> <kiedy> <temat>” planuje sesję na żywo w pokoju kursu.
courses-reply-to-file = Odpowiedz poleceniem „!kurs opublikuj” na wiadomość z plikiem kursu (.md albo paczką .zip), a sprawdzę go i opublikuję.
courses-not-a-course-file = To nie jest plik kursu: odpowiedz na plik tekstowy (.md, do 1 MB) z nagłówkiem między liniami „---” albo na paczkę .zip (do 20 MB) z takim plikiem.
courses-file-unavailable = Nie udało się teraz pobrać pliku z serwera Matrix. Spróbuj za chwilę jeszcze raz: odpowiedz na plik poleceniem „!kurs opublikuj”.
courses-invalid = Kurs nie został opublikowany: wiersz { $line }: { $error }. Popraw plik i wyślij go jeszcze raz.
courses-invalid-package = Kurs nie został opublikowany: { $error }. Popraw paczkę i wyślij ją jeszcze raz.
courses-exported = Kurs „{ $title }” (wersja { $version }) w pliku poniżej: Markdown z pytaniami w formacie GIFT{ $package ->
        [yes] , w paczce .zip z obrazami i plikami lekcji
       *[no] {""}
    }. Możesz go poprawić i opublikować jako nową wersję.
courses-published = Opublikowano kurs „{ $title }” ({ $id }): { $lessons ->
        [one] 1 lekcja
        [few] { $lessons } lekcje
       *[many] { $lessons } lekcji
    }, { $questions ->
        [one] 1 pytanie
        [few] { $questions } pytania
       *[many] { $questions } pytań
    }, { $surveys ->
        [one] 1 ankieta
        [few] { $surveys } ankiety
       *[many] { $surveys } ankiet
    }.

## Courses, the learners' side
learning-how = Kursy urzędu bierzesz tutaj, w czacie. Napisz „!kursy”, aby zobaczyć dostępne, a „!zapisz <kurs>”, aby się zapisać.
learning-in-direct-chat = Kursami zajmuję się w rozmowie prywatnej: napisz do mnie bezpośrednio.
learning-courses-header = Kursy dla Ciebie:
learning-course-line = • { $id } — „{ $title }” { $status ->
        [active] (w trakcie)
        [finished] (ukończony)
        [left] (wypisano; „!zapisz { $id }”, aby wrócić)
       *[none] („!zapisz { $id }”, aby się zapisać)
    }
learning-no-courses = Nie ma teraz kursów, na które możesz się zapisać.
learning-enrol-usage = Napisz „!zapisz” i nazwę kursu albo jej część, np. „!zapisz segregacja”. Listę kursów pokaże „!kursy”.
learning-which-course =
    Pasuje kilka kursów — napisz proszę skrót tego, o który chodzi:
    { $list }
learning-unknown-course = Nie znam kursu „{ $id }”. Listę kursów pokaże „!kursy”.
learning-not-in-audience = Ten kurs jest przeznaczony dla innej grupy osób, więc nie mogę Cię na niego zapisać.
learning-already-enrolled = Już bierzesz udział w tym kursie. Napisz „dalej”, aby przejść do następnej części.
learning-already-finished = Ten kurs masz już ukończony.
learning-nothing-to-leave = Nie bierzesz teraz udziału w żadnym takim kursie.
learning-leave-which = Bierzesz udział w kilku kursach: napisz „!wypisz” i skrót kursu.
learning-left = Wypisano Cię z kursu „{ $title }”. Twoje dotychczasowe wyniki zostają zapisane.
learning-released = Kurs „{ $title }” nie jest już przeznaczony dla Twojej grupy, więc wypisano Cię z niego. Twoje wyniki zostają zapisane.
learning-pace-on-demand = Kolejne części dostaniesz, gdy napiszesz „dalej”.
learning-pace-next = Pierwsza lekcja przyjdzie: { $when }.
learning-welcome = Zapisano Cię na kurs „{ $title }” ({ $id }): { $sections ->
        [one] 1 część
        [few] { $sections } części
       *[many] { $sections } części
    }. { $pace } Aby się wypisać, napisz „!wypisz { $id }”.
learning-lesson = Lekcja { $number } z { $total }: { $title }
learning-quiz-started = Test „{ $title }”: { $questions ->
        [one] 1 pytanie
        [few] { $questions } pytania
       *[many] { $questions } pytań
    }, podejście { $attempt } z { $attempts }. Na pytania z opcjami odpowiedz w ankiecie; do zamknięcia testu liczy się Twoja ostatnia odpowiedź.
learning-type-answer = Odpowiedz, pisząc wiadomość.
learning-type-number = Odpowiedz liczbą, np. 5 albo 2,5.
learning-type-matching = Odpowiedz, łącząc numery z literami, np. „1b 2a 3c”.
learning-unreadable = Nie rozumiem tej odpowiedzi. Spróbuj jeszcze raz.
learning-right = Dobrze!
learning-partly = Częściowo dobrze ({ $score }%).
learning-wrong = Niestety nie.
learning-received = Dziękuję, odpowiedź zapisana. Przeczyta ją prowadzący.
learning-quiz-closed = Koniec testu: { $score }%{ $passed ->
        [yes] { " " }— zaliczony.
       *[no] , a do zaliczenia potrzeba { $pass }%. { $left ->
            [0] Nie masz już kolejnych podejść.
            [one] Masz jeszcze 1 podejście: napisz „ponów”, aby spróbować jeszcze raz, albo „dalej”, aby iść dalej.
            [few] Masz jeszcze { $left } podejścia: napisz „ponów”, aby spróbować jeszcze raz, albo „dalej”, aby iść dalej.
           *[many] Masz jeszcze { $left } podejść: napisz „ponów”, aby spróbować jeszcze raz, albo „dalej”, aby iść dalej.
        }
    }
learning-poll-closed = Test zamknięty. Wynik: { $score }%{ $passed ->
        [yes] , zaliczony.
       *[no] .
    }
learning-survey-poll-ended = Ankieta zamknięta — dziękuję za odpowiedzi.
learning-survey-started = Ankieta „{ $title }”: { $items ->
        [one] 1 pytanie
        [few] { $items } pytania
       *[many] { $items } pytań
    }.{ $anonymous ->
        [yes] { " " }Jest anonimowa: odpowiedzi zapisuję bez Twojego nazwiska.
       *[no] {""}
    }
learning-survey-sent = Dziękuję za wypełnienie ankiety!
learning-completed = Kurs ukończony{ $score ->
        [-1] .
       *[other] : wynik { $score }%{ $passed ->
            [yes] , zaliczony.
           *[no] , niezaliczony.
        }
    } Dziękuję za udział!
learning-answer-first = Najpierw odpowiedz na ostatnie pytanie.
learning-closed = Ten test lub ankieta jest już zamknięta; odpowiedź nie została zapisana.
learning-not-enrolled-vote = Nie bierzesz udziału w tym kursie, więc odpowiedź nie została zapisana.
learning-nothing-to-retry = Nie ma testu do powtórzenia.
learning-nothing-more = To już wszystkie części kursu.
learning-nothing-to-continue = Nie bierzesz teraz udziału w żadnym kursie. Napisz „!kursy”, aby zobaczyć dostępne.

## The course editor (web; always Polish, as trainers are staff)
editor-title = Edytor kursów
editor-signed-out = Aby otworzyć edytor, napisz do bota urzędu „!kurs edytor”: przyśle Ci jednorazowy link.
editor-link-refused-title = Link nieważny
editor-link-refused = Ten link wygasł albo został już użyty. Napisz do bota „!kurs edytor”, a przyśle nowy.
editor-enter = Ten link otwiera edytor kursów jeden raz i jest ważny przez kwadrans.
editor-enter-button = Otwórz edytor
editor-signed-out-title = Wylogowano
editor-session-ended = Sesja edytora jest zakończona.
editor-no-courses = Nie ma jeszcze opublikowanych kursów.
editor-course-line = wersja { $version }, zapisanych: { $enrolled }
editor-office-unnamed = urzędu
editor-valid =
    Plik jest poprawny: kurs „{ $title }” ({ $id }), { $parts } { $count ->
        [one] część
       *[other] części
    }.
editor-save-failed = Nie udało się zapisać kursu; spróbuj jeszcze raz za chwilę.
editor-file-save-failed = Nie udało się zapisać pliku; spróbuj jeszcze raz za chwilę.
editor-bad-file-name = „{ $name }” nie może być nazwą pliku lekcji.
editor-empty-file = Plik „{ $name }” jest pusty.
editor-files-too-large = Pliki lekcji mogą mieć razem najwyżej { $megabytes } MB i { $files } sztuk; usuń niepotrzebne.

## Courses, the trainers' reports
courses-report-usage = Podaj skrót kursu, np. „!wyniki segregacja” albo „!ankieta segregacja”.
courses-id-needed = Podaj skrót kursu, np. „!kurs { $verb } segregacja”.
courses-results = Wyniki kursu „{ $title }”: zapisanych { $enrolled }, w trakcie { $active }, ukończyło { $finished }, wypisanych { $left }. Zaliczyło { $passed }{ $average ->
        [-1] .
       *[other] , średni wynik { $average }%.
    } Szczegóły w pliku CSV.
courses-score-chart = Rozkład wyników: { $title }
courses-learners-label = Liczba osób
courses-score-chart-caption = Wykres: liczba osób w przedziałach wyniku (co 10%).
courses-survey-results = Wyniki ankiet kursu „{ $title }”:
courses-anonymous = { " " }(anonimowa)
courses-answers-label = Liczba odpowiedzi
courses-survey-chart-caption = Wykres: rozkład odpowiedzi na pierwsze pytanie ankiety.
courses-no-surveys = Ten kurs nie ma ankiet.
courses-migrated = Przeniesiono na wersję { $version } kursu „{ $title }”: { $count ->
        [one] 1 osobę
        [few] { $count } osoby
       *[many] { $count } osób
    }. Każda kontynuuje od tej samej części.
learning-migrated = Kurs „{ $title }” ma nową wersję: kontynuujesz w niej od tej samej części.
learning-room-name = Kurs: { $title }
learning-room-topic = Rozmowy o kursie ({ $id }). Lekcje, testy i ankiety przychodzą w rozmowie prywatnej z botem urzędu.
learning-room-left = Wypisano Cię z kursu „{ $title }”.
learning-not-your-poll = Na pytania kursu odpowiadasz w naszej rozmowie prywatnej; ta odpowiedź nie została zapisana.
courses-editor-sent = Wysłałem Ci link do edytora kursów w naszej rozmowie prywatnej.
private-reply-sent = { $person }, odpowiedź wysłałem Ci w naszej prywatnej, szyfrowanej rozmowie: są w niej dane tylko dla Ciebie.
courses-editor-link = Edytor kursów: { $link }
    Link działa 15 minut i tylko raz; nie przekazuj go nikomu. Nowy dostaniesz poleceniem „!kurs edytor”.

## A course file's errors (the line is said before them)
course-error-too-large = plik ma { $bytes } bajtów, a przyjmuję najwyżej { $max }
course-error-no-front-matter = plik musi zaczynać się nagłówkiem między dwiema liniami „---”
course-error-front-matter = nie umiem odczytać nagłówka: { $detail }
course-error-bad-id = skrót „{ $id }” może mieć tylko małe litery bez polskich znaków, cyfry i myślniki
course-error-audience = reguła odbiorców (znak { $column }): { $detail }
course-error-bad-pacing = tempo „{ $pacing }” to ani „na żądanie”, ani harmonogram cron, np. „0 9 * * 1-5”
course-error-bad-pass-score = próg zaliczenia { $score } jest większy niż 100
course-error-bad-hours = liczba godzin „{ $hours }” nie jest liczbą od 0 do 1000, np. 2 albo 1.5
course-error-badges-too-many = kurs może mieć najwyżej { $max } odznak, a ma { $count }
course-error-badge-name = nazwa odznaki „{ $name }” musi mieć od 1 do { $max } znaków
course-error-badge-same-name = dwie odznaki nazywają się „{ $name }”
course-error-badge-rule = „{ $rule }” nie mówi, za co jest odznaka; napisz „ukończenie”, „bezbłędnie”, „wynik 90” albo „lekcja 2”
course-error-badge-no-quiz = odznaka „{ $name }” jest za wynik, a kurs nie ma testu
course-error-badge-no-lesson = odznaka „{ $name }” jest za lekcję { $number }, a kurs ma { $lessons ->
        [one] jedną lekcję
        [few] { $lessons } lekcje
       *[other] { $lessons } lekcji
    }
course-error-unknown-section = „{ $heading }” nie jest sekcją; nagłówek zaczyna się od „Lekcja:”, „Test:” albo „Ankieta:”
course-error-text-before-sections = tekst przed pierwszą sekcją
course-error-no-sections = kurs nie ma żadnej sekcji
course-error-unclosed-block = blok ``` nie jest zamknięty
course-error-missing-block = sekcja „{ $section }” nie ma bloku ```{ $block }
course-error-question = pytanie testu: { $detail }
course-error-quiz-description = test ma same pytania, bez opisu
course-error-bad-survey-item = „{ $item }” nie jest pytaniem ankiety; napisz „skala: …”, „wybór: … | … | …” albo „tekst: …”
course-error-aiken-question = pytanie w formacie Aiken: { $detail }
course-error-remote-image = obraz „{ $url }” jest w sieci, a komunikatory pokazują tylko obrazy wysłane razem z wiadomością; dołącz go do paczki kursu (.zip)
course-error-bad-file-name = „{ $name }” musi być ścieżką pliku w paczce kursu, bez „..”
course-error-missing-file = w paczce kursu nie ma pliku „{ $name }”; wyślij kurs jako paczkę .zip z plikiem kursu (.md) i wszystkimi obrazami i plikami lekcji
course-error-not-an-image = „{ $name }” nie jest obrazem (PNG, JPEG, GIF ani WebP)
aiken-error-too-few-options = pytanie potrzebuje co najmniej dwóch odpowiedzi, „A. …” i „B. …”
aiken-error-no-answer = pytanie nie ma wiersza „ANSWER: <litera>”
aiken-error-unknown-answer = odpowiedź „{ $answer }” nie jest literą żadnej z możliwości
aiken-error-unexpected = „{ $text }” to ani odpowiedź („A. …”), ani klucz („ANSWER: A”)
package-error-too-large = paczka ma { $bytes } bajtów, a przyjmuję najwyżej { $max }
package-error-not-zip = plik nie jest paczką .zip
package-error-no-course-file = w paczce nie ma pliku kursu (.md) poza folderami
package-error-several-course-files = w paczce jest kilka plików kursu ({ $names }), a ma być jeden
package-error-file-too-large = plik „{ $name }” ma po rozpakowaniu { $bytes } bajtów, a przyjmuję najwyżej { $max }
package-error-unpacks-too-large = paczka po rozpakowaniu ma więcej niż { $max } bajtów
package-error-too-many-files = paczka ma więcej niż { $max } plików
package-error-not-text = plik kursu w paczce nie jest tekstem UTF-8
gift-error-unclosed = blok odpowiedzi otwarty „{"{"}” nie jest zamknięty
gift-error-unopened = „{"}"}” zamyka blok, który nie był otwarty
gift-error-several-blocks = pytanie ma jeden blok odpowiedzi, a to ma kilka
gift-error-no-text = pytanie nie ma treści
gift-error-unclosed-title = tytuł otwarty „::” nie jest zamknięty
gift-error-bad-answers = nie umiem odczytać odpowiedzi „{ $block }”
gift-error-no-right-answer = żadna odpowiedź nie jest dobra (potrzeba „=” albo dodatniej wagi)
gift-error-bad-weight = waga „{ $weight }” nie jest procentem od -100 do 100
gift-error-bad-number = „{ $number }” nie jest liczbą
gift-error-too-few-pairs = pytanie o dopasowanie potrzebuje co najmniej dwóch par „lewa -> prawa”
gift-error-empty-answer = odpowiedź jest pusta
rule-error-unknown-attribute = nieznana cecha „{ $name }”; znane to office, department, role, kind i audience
rule-error-unknown-audience = nieznana grupa „{ $name }”; znane to all-citizens, all-staff i everyone
rule-error-expected = oczekiwano { $expected }, a jest „{ $found }”
rule-error-unclosed = cudzysłów nie jest zamknięty
rule-error-empty = reguła jest pusta
