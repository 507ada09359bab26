# Wydarzenia LIVE (!wydarzenie, !wydarzenia, !pytanie, !pytania).
live-in-rooms = Wydarzenia LIVE planuje się w pokoju, w którym mają je oglądać uczestnicy: napisz tam np. „!wydarzenie jutro o 10 Nowe zasady naboru 45 min”.
live-presenters-only = Wydarzenia LIVE planują trenerzy, urzędnicy i moderatorzy pokoju. Jeśli chcesz coś przedstawić, poproś jedną z tych osób.
live-scheduled = Wydarzenie LIVE nr { $number } „{ $title }”: { $when }. Prowadzi { $presenter }.
    { $reminders ->
        [both] Przypomnę o nim dzień wcześniej i { $minutes } minut przed początkiem.
        [soon] Przypomnę o nim { $minutes } minut przed początkiem.
       *[none] Zaczyna się niebawem.
    } Na początku wyślę tu link do transmisji; obraz i dźwięk nadaje tylko prowadzący. Pytania zadawaj tutaj („!pytanie …” albo po prostu zdanie ze znakiem zapytania), a cudze popieraj reakcją, np. 👍.
live-none = W tym pokoju nie ma zaplanowanych wydarzeń LIVE. Zaplanuj: „!wydarzenie jutro o 10 Nowe zasady naboru”.
live-header = Wydarzenia LIVE tego pokoju ({ $count }):
live-line = • nr { $number } „{ $title }” — { $when }, prowadzi { $presenter }
live-number-needed = Podaj numer wydarzenia, np. „!wydarzenie odwołaj 2”. Numery pokazuje „!wydarzenia”.
live-not-found = W tym pokoju nie ma wydarzenia nr { $number }. Numery pokazuje „!wydarzenia”.
live-already-cancelled = Wydarzenie nr { $number } jest już odwołane.
live-already-over = Wydarzenie nr { $number } już się odbyło.
live-not-yours = Wydarzenie nr { $number } może odwołać jego prowadzący albo moderator pokoju.
live-cancelled = Odwołano wydarzenie LIVE nr { $number } „{ $title }” ({ $when }).
live-bad-duration = Wydarzenie może trwać od 5 minut do 12 godzin, a podano { $minutes } min. Napisz np. „45 min” albo „1,5 h”.
live-no-title = Wydarzenie potrzebuje tytułu, np. „!wydarzenie jutro o 10 Nowe zasady naboru”.
live-no-repeat = Na razie planuję pojedyncze wydarzenia. Podaj jeden termin, np. „w czwartek o 12”.
live-when-needed = Kiedy ma być wydarzenie? Napisz dzień i godzinę, np. „!wydarzenie jutro o 10 Nowe zasady naboru”.
live-hour-needed = O której ma się zacząć wydarzenie? Dopisz godzinę, np. „o 10” albo „o 13:30”.
live-tomorrow = Jutro wydarzenie LIVE nr { $number } „{ $title }” ({ $when }), prowadzi { $presenter }. Link do transmisji wyślę tu na początku.
live-soon = Za { $minutes } minut wydarzenie LIVE nr { $number } „{ $title }” ({ $when }). Link do transmisji pojawi się tu na początku.
live-on-air = 🔴 NA ŻYWO: „{ $title }”, prowadzi { $presenter }. Oglądaj: { $link }
    Oglądających teraz: { $viewers }.
    { $widget ->
        [yes] W Element Web i Desktop transmisja jest w widżecie pokoju. W innej aplikacji napisz tu „!dołącz”, a wyślę Ci osobisty link na czacie prywatnym.
       *[no] Aby oglądać, napisz tu „!dołącz”, a wyślę Ci osobisty link na czacie prywatnym.
    } Pytania zadawaj w pokoju; „!pytania” pokazuje je od najczęściej popieranych.
live-in-call-under-way = W tym pokoju trwa już rozmowa wideo, więc wydarzenie „{ $title }” odbędzie się w niej: prowadzący dostał link na czacie prywatnym, a pozostali dołączają, pisząc „!dołącz”.
live-off-air = Transmisja „{ $title }” zakończona. Trwała { $minutes } min; najwięcej oglądających naraz: { $viewers }. „!pytania” pokazuje pytania z transmisji.
live-no-questions-now = Teraz nie trwa żadne wydarzenie LIVE, więc nie mam gdzie zapisać pytania. Pytania zbieram od godziny przed początkiem wydarzenia do jego końca; „!wydarzenia” pokazuje terminy.
live-question-empty = Napisz pytanie po „!pytanie”, np. „!pytanie Czy wniosek można złożyć online?”.
live-question-noted = Pytanie zapisane. Inni mogą je poprzeć reakcją, np. 👍; „!pytania” pokazuje kolejkę.
live-no-event = W tym pokoju nie trwa żadne wydarzenie LIVE ani nie skończyło się w ciągu ostatniej doby, więc nie ma pytań do pokazania.
live-no-questions = Do wydarzenia nr { $number } „{ $title }” nikt jeszcze nie zadał pytania.
live-questions-header = Pytania do wydarzenia nr { $number } „{ $title }” ({ $count }), od najczęściej popieranych:
live-question-line = { $place }. { $text } — { $asker } · { $upvotes ->
        [0] bez poparcia
        [one] { $upvotes } głos
        [few] { $upvotes } głosy
       *[many] { $upvotes } głosów
    }
live-help = Wydarzenia LIVE: „!wydarzenie jutro o 10 Tytuł” planuje transmisję (trenerzy, urzędnicy, moderatorzy), „!wydarzenia” pokazuje terminy, „!pytanie …” zadaje pytanie, „!pytania” pokazuje je od najczęściej popieranych.
# Strona transmisji (/rozmowa/…), dla oglądających.
live-page-waiting = Czekam, aż prowadzący zacznie nadawać…
live-page-watching = Oglądasz transmisję.
live-page-viewers = Oglądających: { $viewers }
live-page-presenting = Nadajesz. Widzowie widzą i słyszą tylko Ciebie.
# Sesje na żywo kursów (!na-żywo).
live-course-usage = Sesję na żywo kursu planuje trener: „!na-żywo <kurs> <kiedy> <temat>”, np. „!na-żywo rodo w czwartek o 12 Pytania i odpowiedzi 45 min”. Odbędzie się w pokoju kursu, a uczestnicy kursu dostaną zaproszenie i przypomnienia na czacie prywatnym.
live-course-trainers-only = Sesje na żywo kursów planują trenerzy urzędu. Jeśli prowadzisz szkolenia, poproś administratora, by dopisał Cię do sekcji [courses] pliku urzędu.
live-course-not-found = Nie znam kursu „{ $course }”. Podaj skrót kursu, który widać w „!kursy”, np. „!na-żywo rodo jutro o 10 Pytania i odpowiedzi”.
live-course-which = Który kurs masz na myśli: { $courses }? Napisz na przykład „!na-żywo { $example } jutro o 10 Pytania i odpowiedzi”.
live-course-no-room = Kurs „{ $course }” nie ma pokoju, a sesje na żywo odbywają się w pokoju kursu. Dodaj „room: true” do pliku kursu i opublikuj go ponownie.
live-course-scheduled = Sesja na żywo kursu „{ $course }” (wydarzenie nr { $number } w pokoju kursu): „{ $title }”, { $when }. Prowadzisz Ty. { $learners ->
        [0] Kurs nie ma jeszcze uczestników.
        [one] Zaproszenie poszło do 1 uczestnika kursu.
       *[other] Zaproszenie poszło do { $learners } uczestników kursu.
    } { $reminders ->
        [both] Przypomnę o sesji dzień wcześniej i { $minutes } minut przed początkiem.
        [soon] Przypomnę o sesji { $minutes } minut przed początkiem.
       *[none] Zaczyna się niebawem.
    } Na początku link pojawi się w pokoju kursu, a każdy uczestnik dostanie swój na czacie prywatnym.
live-course-announced = Sesja na żywo kursu „{ $course }”: „{ $title }”, { $when }. Prowadzi { $presenter }. Link do transmisji pojawi się tu na początku. Pytania można zadawać tutaj („!pytanie …” albo zdanie zakończone znakiem zapytania), a cudze poprzeć reakcją, np. 👍.
live-course-invitation = Zaproszenie na sesję na żywo kursu „{ $course }”: „{ $title }”, { $when }. Prowadzi { $presenter }. Na początku wyślę Ci tu osobisty link do transmisji; pytania można zadawać w pokoju kursu.
live-course-tomorrow = Jutro sesja na żywo kursu „{ $course }”: „{ $title }” ({ $when }). Na początku wyślę Ci tu osobisty link.
live-course-soon = Za { $minutes } minut sesja na żywo kursu „{ $course }”: „{ $title }” ({ $when }). Osobisty link wyślę Ci tu na początku.
live-course-cancelled = Odwołano sesję na żywo kursu „{ $course }”: „{ $title }” ({ $when }). Link nie przyjdzie; o nowym terminie dam znać, gdy trener go wyznaczy.
live-course-bad-duration = Sesja może trwać od 5 minut do 12 godzin, a podano { $minutes } min. Napisz np. „45 min” albo „1,5 h”.
live-course-no-title = Podaj temat sesji, np. „!na-żywo rodo jutro o 10 Pytania i odpowiedzi”.
live-course-no-repeat = Na razie planuję pojedyncze sesje. Podaj jeden termin, np. „w czwartek o 12”.
live-course-when-needed = Kiedy ma być sesja? Napisz dzień i godzinę, np. „!na-żywo rodo jutro o 10 Pytania i odpowiedzi”.
live-course-hour-needed = O której zaczyna się sesja? Dodaj godzinę, np. „o 10” albo „o 13:30”.
