//! Task lists through the engine on SQLite and PostgreSQL: what people see after each command,
//! stable numbers, who may change what, concurrent changes, and reminders that fire once.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, user_id};
use szpon::{engine::Engine, metrics::Metrics, store::Store};
use szpon_bots::{
    Action, BotConfig, Clock, Input, ManualClock, MessageContent, OfficeBot, RoomKind, UserMessage,
    tasks::{TaskCommand, TaskFilter, TaskList},
};
use szpon_homeserver_bridge::FakeHomeserver;

use super::each_backend;

pub(crate) const TEAM: &str = "!zespol:localhost";

/// Tuesday, 24 November 2026, 10:00 in Warsaw.
pub(crate) fn tuesday_ten() -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap().to_utc()
}

/// An office on a manual clock, a fake homeserver and the store under test.
pub(crate) struct Office {
    pub(crate) engine: Arc<Engine>,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) store: Store,
    pub(crate) homeserver: FakeHomeserver,
    events: std::sync::atomic::AtomicU32,
}

impl Office {
    pub(crate) fn new(store: Store) -> Self {
        let clock = Arc::new(ManualClock::new(tuesday_ten()));
        let config = BotConfig::new(user_id!("@urzad:localhost").to_owned(), "Urząd");
        // One person sends dozens of commands within seconds here; the flood limit has its own tests.
        let bot = OfficeBot::new(config.with_answers_per_window(0));
        let engine = Engine::new(store.clone(), bot, clock.clone(), Metrics::new());
        Office { engine, clock, store, homeserver: FakeHomeserver::new(), events: Default::default() }
    }

    pub(crate) fn message(&self, who: &str, room: &str, power: i64, body: &str) -> Input {
        let n = self.events.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // The bot hears only rooms it is in.
        self.homeserver.join(ruma::RoomId::parse(room).unwrap().as_ref());
        Input::Message(UserMessage {
            event_id: OwnedEventId::try_from(format!("$e{n}")).unwrap(),
            room_id: OwnedRoomId::try_from(room).unwrap(),
            sender: OwnedUserId::try_from(who).unwrap(),
            room_kind: if room == TEAM { RoomKind::Group } else { RoomKind::Direct },
            content: MessageContent::Text { body: body.to_owned() },
            sender_power: power,
            mentions: Vec::new(),
            members_named: team_members_named(room, body),
            room_encrypted: true,
            private_chat: false,
            in_reply_to: None,
        })
    }

    /// What the bot answers to `body` from `who` in `room`, as plain text.
    pub(crate) async fn says(&self, who: &str, room: &str, power: i64, body: &str) -> String {
        // Everyone's own room here is the direct chat they opened with "Start chat".
        if room != TEAM {
            let (user, room) = (user_id(who), ruma::RoomId::parse(room).unwrap());
            self.store.record_private_chat(&user, &room, self.clock.now()).await.unwrap();
        }
        self.engine.process(&self.message(who, room, power, body)).await.unwrap();
        self.delivered().await.join("\n---\n")
    }

    pub(crate) async fn delivered(&self) -> Vec<String> {
        let before = self.homeserver.performed().len();
        while self.engine.deliver_due(&self.homeserver).await.unwrap() > 0 {}
        self.homeserver.performed()[before..]
            .iter()
            .map(|action| match action {
                Action::SendNotice { notice, .. } => notice.plain.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    pub(crate) async fn team(&self, who: &str, body: &str) -> String {
        self.says(who, TEAM, 0, body).await
    }
}

/// What the bridge reads from the room's state: which of the user IDs a message names are
/// in the team room (Anna, Ewa and Piotr are).
fn team_members_named(room: &str, body: &str) -> Vec<OwnedUserId> {
    let members = [ANNA, EWA, PIOTR];
    body.split_whitespace()
        .map(|word| word.trim_end_matches([',', '.', ';']))
        .filter(|word| room == TEAM && members.contains(word))
        .map(|word| OwnedUserId::try_from(word).unwrap())
        .collect()
}

pub(crate) const ANNA: &str = "@anna:localhost";
pub(crate) const EWA: &str = "@ewa:localhost";
pub(crate) const PIOTR: &str = "@piotr:localhost";

#[tokio::test]
async fn a_team_builds_its_list_and_sees_it_filtered() {
    each_backend(|store| async move {
        let office = Office::new(store);
        let added = office.team(ANNA, "!zadanie Raport kwartalny @ewa:localhost do piątku !pilne").await;
        assert_eq!(
            added,
            "Dodano zadanie nr 1:\n☐ #1 Raport kwartalny — termin: piątek, 27 listopada · @ewa:localhost · ‼ pilne"
        );
        office.team(ANNA, "!zadanie Zamówić papier jutro o 12").await;
        office.team(PIOTR, "!zadanie Sprawdzić gaśnice").await;
        let list = office.team(PIOTR, "!zadania").await;
        assert_eq!(
            list,
            "Zadania tego pokoju do zrobienia (3):\n\
             ☐ #2 Zamówić papier — termin: środa, 25 listopada, 12:00\n\
             ☐ #1 Raport kwartalny — termin: piątek, 27 listopada · @ewa:localhost · ‼ pilne\n\
             ☐ #3 Sprawdzić gaśnice"
        );
        let mine = office.team(EWA, "!zadania moje").await;
        assert_eq!(mine.lines().count(), 2, "{mine}");
        assert!(mine.starts_with("Zadania przypisane do Ciebie (1):\n☐ #1 Raport kwartalny"), "{mine}");
        assert_eq!(office.team(EWA, "!zadania zaległe").await, "Żadne zadanie nie jest po terminie.");

        // Two days later the paper is overdue.
        office.clock.advance(Duration::days(2));
        let overdue = office.team(ANNA, "!zadania zaległe").await;
        assert!(overdue.starts_with("Zadania po terminie (1):\n☐ #2 Zamówić papier — ⚠ termin:"), "{overdue}");
        assert!(overdue.contains("po terminie"), "{overdue}");

        // The list as HTML: the title escaped, the list a list.
        office.team(ANNA, "!zadanie <script>alert(1)</script> Plakat").await;
        office.engine.process(&office.message(ANNA, TEAM, 0, "!zadania")).await.unwrap();
        while office.engine.deliver_due(&office.homeserver).await.unwrap() > 0 {}
        let Some(Action::SendNotice { notice, .. }) = office.homeserver.performed().last().cloned() else {
            panic!("no list")
        };
        assert!(notice.html.contains("<ul>") && notice.html.contains("<li>"), "{}", notice.html);
        assert!(notice.html.contains("&lt;script&gt;"), "{}", notice.html);
        assert!(!notice.html.contains("<script>"), "{}", notice.html);
    })
    .await;
}

/// A room's task goes only to a member of the room: someone outside could not even see it.
#[tokio::test]
async fn a_task_is_given_only_to_a_member_of_its_room() {
    each_backend(|store| async move {
        let office = Office::new(store);
        let refused = office.team(ANNA, "!zadanie Sprawdzić wnioski @obcy:localhost do środy").await;
        assert_eq!(
            refused,
            "@obcy:localhost nie należy do tego pokoju, więc nie może dostać jego zadania. Zaproś tę osobę \
             do pokoju albo przypisz zadanie komuś z jego członków."
        );
        assert!(
            office.team(ANNA, "!zadania").await.starts_with("Lista zadań jest pusta."),
            "nothing was added"
        );
        assert!(office.team(ANNA, "!zadanie Sprawdzić wnioski").await.starts_with("Dodano zadanie nr 1:"));
        let refused = office.says(ANNA, TEAM, 50, "!przypisz 1 @obcy:localhost").await;
        assert!(refused.starts_with("@obcy:localhost nie należy do tego pokoju"), "{refused}");
        let task = office.store.task(&TaskList::Room(TEAM.try_into().unwrap()), 1).await.unwrap().unwrap();
        assert_eq!(task.assignee, None);
        let given = office.team(ANNA, "!przypisz 1 @ewa:localhost").await;
        assert_eq!(given, "Zadanie nr 1 przypisano do @ewa:localhost.");
    })
    .await;
}

#[tokio::test]
async fn numbers_stay_stable_and_only_the_right_people_change_tasks() {
    each_backend(|store| async move {
        let office = Office::new(store);
        office.team(ANNA, "!zadanie Pierwsze").await;
        office.team(ANNA, "!zadanie Drugie @ewa:localhost").await;
        office.team(ANNA, "!zadanie Trzecie").await;
        assert_eq!(
            office.team(ANNA, "!usuń 2").await,
            "Usunięto zadanie nr 2 „Drugie”. Jego numer nie przejdzie na inne zadanie."
        );
        assert!(office.team(ANNA, "!zadanie Czwarte").await.starts_with("Dodano zadanie nr 4:"));
        assert_eq!(
            office.team(ANNA, "!zrobione 2").await,
            "Na tej liście nie ma zadania nr 2. Numery pokazuje „!zadania”."
        );

        // Piotr neither wrote nor has task 1; a moderator may change it all the same.
        let refused = office.team(PIOTR, "!zrobione 1").await;
        assert_eq!(
            refused,
            "Zadanie nr 1 może zmienić jego autor, osoba, do której jest przypisane, albo moderator pokoju."
        );
        let moderator = office.says(PIOTR, TEAM, 50, "!przypisz 1 @piotr:localhost").await;
        assert_eq!(moderator, "Zadanie nr 1 przypisano do @piotr:localhost.");
        // Now assigned to him, Piotr may finish it himself.
        assert_eq!(office.team(PIOTR, "!zrobione 1").await, "Zrobione: nr 1 „Pierwsze”. Dziękuję!");
        assert_eq!(office.team(ANNA, "!zrobione 1").await, "Zadanie nr 1 jest już zrobione.");

        let all = office.team(ANNA, "!zadania wszystkie").await;
        assert!(all.contains("☐ #3 Trzecie"), "{all}");
        assert!(all.contains("✓ #1 Pierwsze — @piotr:localhost · zrobione we wtorek, 24 listopada"), "{all}");
        assert!(!all.contains("Drugie"), "deleted tasks are gone from every list: {all}");

        let task = office.store.task(&TaskList::Room(TEAM.try_into().unwrap()), 1).await.unwrap().unwrap();
        assert_eq!(task.done_by.as_deref(), Some(user_id!("@piotr:localhost")));
    })
    .await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_answer_and_writes_nothing() {
    each_backend(|store| async move {
        let office = Office::new(store);
        office.team(ANNA, "!zadanie Raport").await;
        let answers = [
            ("!zadanie jutro", "Zadanie potrzebuje tytułu"),
            ("!zadanie Raport dziś o 8", "Ten termin już minął."),
            ("!termin 1 kiedyś", "Nie rozumiem terminu „kiedyś”."),
            ("!termin 7 jutro", "Na tej liście nie ma zadania nr 7."),
            ("!zrobione trzy", "Podaj numer zadania"),
            ("!przypisz 1 ewa", "„ewa” nie wygląda jak identyfikator Matrix."),
            ("!zadania jutrzejsze", "Nie znam listy „jutrzejsze”."),
            ("!podsumowanie 8:30", "Godzinę podsumowania pokoju ustawia moderator pokoju."),
            ("!zadanie Raport cron 0 0 30 2 *", "Ta reguła nigdy nie wypada (np. 30 lutego)"),
            ("!zadanie Raport cron * * * * *", "Zadanie może się powtarzać najwyżej raz dziennie"),
            ("!termin 1 cron 0 9 * * 9", "Nie rozumiem reguły „0 9 * * 9”. Reguła cron ma pięć pól"),
            ("!termin 1 jednorazowo", "Zadanie nr 1 i tak się nie powtarza."),
        ];
        for (command, start) in answers {
            let answer = office.team(ANNA, command).await;
            assert!(answer.starts_with(start), "{command}: {answer}");
        }
        let long_title = format!("!zadanie {}", "a".repeat(3000));
        assert!(
            office
                .team(ANNA, &long_title)
                .await
                .starts_with("Tytuł ma 3000 znaków, a może mieć najwyżej 200.")
        );
        let list = office.team(ANNA, "!zadania wszystkie").await;
        assert_eq!(list, "Wszystkie zadania, także zrobione (1):\n☐ #1 Raport", "nothing half-written");
    })
    .await;
}

#[tokio::test]
async fn a_recurring_task_comes_back_at_its_next_time_with_its_reminders() {
    each_backend(|store| async move {
        let office = Office::new(store);
        let added = office.team(ANNA, "!zadanie Raport tygodniowy @ewa:localhost co poniedziałek o 9").await;
        assert_eq!(
            added,
            "Dodano zadanie nr 1:\n☐ #1 Raport tygodniowy — termin: poniedziałek, 30 listopada, 9:00 · \
             ↻ co poniedziałek o 9 · @ewa:localhost"
        );
        // Done early, on Saturday: it comes back a week after the Monday it was due.
        office.clock.advance(Duration::days(4));
        let done = office.team(EWA, "!zrobione 1").await;
        assert_eq!(
            done,
            "Zrobione: nr 1 „Raport tygodniowy”. Dziękuję! Następny raz: poniedziałek, 7 grudnia, 9:00."
        );
        let list = office.team(ANNA, "!zadania").await;
        assert!(list.contains("☐ #1 Raport tygodniowy — termin: poniedziałek, 7 grudnia, 9:00 · ↻"), "{list}");

        // Only the new time's reminders come: none for 30 November.
        let mut heard = Vec::new();
        for _ in 0..(10 * 24) {
            office.clock.advance(Duration::hours(1));
            office.engine.run_due_jobs().await.unwrap();
            heard.extend(office.delivered().await);
        }
        assert_eq!(heard.len(), 2, "{heard:#?}");
        assert!(heard[0].starts_with("Przypomnienie: zbliża się termin zadania nr 1 „Raport tygodniowy” (poniedziałek, 7 grudnia, 9:00)"));
        assert!(heard[1].starts_with("Zadanie nr 1 „Raport tygodniowy” jest po terminie (poniedziałek, 7 grudnia, 9:00)"));

        // Done late (it is now 8 December): the next time is counted from today.
        let done = office.team(EWA, "!zrobione 1").await;
        assert!(done.ends_with("Następny raz: poniedziałek, 14 grudnia, 9:00."), "{done}");
        let task = office.store.task(&TaskList::Room(TEAM.try_into().unwrap()), 1).await.unwrap().unwrap();
        assert!(!task.is_done());
        assert_eq!(task.repeat.as_ref().map(|r| r.cron.as_str()), Some("0 0 9 * * Mon"));

        // The rule changes with !termin, and stops with "jednorazowo".
        let changed = office.team(ANNA, "!termin 1 pierwszego dnia miesiąca").await;
        assert_eq!(
            changed,
            "Zadanie nr 1 powtarza się pierwszego dnia miesiąca. Najbliższy termin: piątek, 1 stycznia."
        );
        assert_eq!(office.team(ANNA, "!termin 1 jednorazowo").await, "Zadanie nr 1 już się nie powtarza; termin zostaje.");
        assert_eq!(office.team(EWA, "!zrobione 1").await, "Zrobione: nr 1 „Raport tygodniowy”. Dziękuję!");
    })
    .await;
}

#[tokio::test]
async fn a_personal_list_is_its_owners_alone() {
    each_backend(|store| async move {
        let office = Office::new(store);
        let dm = "!anna-dm:localhost";
        let added = office.says(ANNA, dm, 0, "!zadanie Odebrać legitymację w piątek").await;
        assert!(
            added.starts_with("Dodano zadanie nr 1:\n☐ #1 Odebrać legitymację — termin: piątek"),
            "{added}"
        );
        assert!(
            office
                .says(ANNA, dm, 0, "!zadanie Raport @ewa:localhost")
                .await
                .starts_with("Osobista lista jest tylko Twoja")
        );
        assert!(office.says(ANNA, dm, 0, "!zadania").await.starts_with("Twoja lista do zrobienia (1):"));
        // Ewa's own chat with the bot shows her own list, never Anna's.
        assert!(
            office.says(EWA, "!ewa-dm:localhost", 0, "!zadania").await.starts_with("Lista zadań jest pusta.")
        );
        assert!(
            office.says(EWA, "!ewa-dm:localhost", 0, "!zrobione 1").await.starts_with("Na tej liście nie ma")
        );
        // Nor does the team room.
        assert!(office.team(ANNA, "!zadania").await.starts_with("Lista zadań jest pusta."));
    })
    .await;
}

#[tokio::test]
async fn two_people_adding_at_once_get_two_numbers_and_changes_to_one_task_both_stay() {
    each_backend(|store| async move {
        let office = Arc::new(Office::new(store));
        let adds = (0..8).map(|i| {
            let office = office.clone();
            tokio::spawn(async move {
                let input = office.message(ANNA, TEAM, 0, &format!("!zadanie Zadanie {i}"));
                office.engine.process(&input).await.unwrap();
            })
        });
        for add in adds {
            add.await.unwrap();
        }
        let answers = office.delivered().await;
        let mut numbers: Vec<String> = answers.iter().map(|a| a.lines().next().unwrap().to_owned()).collect();
        numbers.sort();
        let expected: Vec<String> = (1..=8).map(|n| format!("Dodano zadanie nr {n}:")).collect();
        assert_eq!(numbers, expected);

        // An assignment and a deadline for task 1, at once: both are kept.
        let assign = office.message(ANNA, TEAM, 0, "!przypisz 1 @ewa:localhost");
        let due = office.message(ANNA, TEAM, 0, "!termin 1 w piątek o 12");
        let (a, b) = tokio::join!(office.engine.process(&assign), office.engine.process(&due));
        a.unwrap();
        b.unwrap();
        let list = TaskList::Room(TEAM.try_into().unwrap());
        let task = office.store.task(&list, 1).await.unwrap().unwrap();
        assert_eq!(task.assignee.as_deref(), Some(user_id!("@ewa:localhost")));
        assert_eq!(task.due.and_then(|d| d.time).map(|t| t.to_string()), Some("12:00:00".into()));
    })
    .await;
}

#[tokio::test]
async fn reminders_come_once_before_the_deadline_and_at_it_and_not_for_done_tasks() {
    each_backend(|store| async move {
        let office = Office::new(store);
        office.team(ANNA, "!zadanie Protokół @ewa:localhost dziś o 15").await;
        office.team(ANNA, "!zadanie Zrobione wcześniej dziś o 16").await;
        office.team(ANNA, "!zrobione 2").await;
        office.team(ANNA, "!zadanie Przesunięte dziś o 13").await;
        office.team(ANNA, "!termin 3 jutro o 13").await;

        let mut heard = Vec::new();
        for _ in 0..(6 * 12) {
            office.clock.advance(Duration::minutes(5));
            office.engine.run_due_jobs().await.unwrap();
            heard.extend(office.delivered().await);
        }
        assert_eq!(
            heard,
            [
                "Przypomnienie: zbliża się termin zadania nr 1 „Protokół” (wtorek, 24 listopada, 15:00). @ewa:localhost",
                "Zadanie nr 1 „Protokół” jest po terminie (wtorek, 24 listopada, 15:00). @ewa:localhost, gdy będzie \
                 gotowe, napisz „!zrobione 1”.",
            ]
        );
        let Some(Action::SendNotice { notice, .. }) = office.homeserver.performed().last().cloned() else {
            panic!("no nudge")
        };
        assert_eq!(notice.mentions, [user_id!("@ewa:localhost").to_owned()]);
        assert!(notice.html.contains("href=\"https://matrix.to/#/@ewa:localhost\""), "{}", notice.html);
    })
    .await;
}

#[tokio::test]
async fn the_daily_digest_comes_at_the_rooms_hour_until_it_is_stopped() {
    each_backend(|store| async move {
        let office = Office::new(store);
        office.team(ANNA, "!zadanie Raport jutro").await;
        office.team(ANNA, "!zadanie Plakat").await;
        let set = office.says(ANNA, TEAM, 100, "!podsumowanie 8:30").await;
        assert_eq!(set, "Codziennie o 8:30 wyślę tu podsumowanie zadań do zrobienia.");

        let mut heard = Vec::new();
        for _ in 0..(3 * 24) {
            office.clock.advance(Duration::hours(1));
            office.engine.run_due_jobs().await.unwrap();
            heard.extend(office.delivered().await.into_iter().filter(|m| !m.starts_with("Przypomnienie")));
            heard.retain(|m| !m.starts_with("Zadanie nr 1"));
            if heard.len() == 2 {
                office.says(ANNA, TEAM, 100, "!podsumowanie wyłącz").await;
            }
        }
        assert_eq!(heard.len(), 2, "{heard:#?}");
        assert!(heard[0].starts_with(
            "Podsumowanie — środa, 25 listopada: 2 zadania do zrobienia, w tym po terminie: 0."
        ));
        assert!(heard[1].starts_with(
            "Podsumowanie — czwartek, 26 listopada: 2 zadania do zrobienia, w tym po terminie: 1."
        ));
        assert!(heard[1].contains("☐ #1 Raport"), "{}", heard[1]);
    })
    .await;
}

#[tokio::test]
async fn the_view_a_list_command_loads_is_capped_and_counted() {
    each_backend(|store| async move {
        let office = Office::new(store);
        for i in 1..=45 {
            office.team(ANNA, &format!("!zadanie Zadanie {i}")).await;
        }
        let list = TaskList::Room(TEAM.try_into().unwrap());
        let view = office
            .store
            .tasks_view(
                &list,
                &TaskCommand::List(TaskFilter::Open),
                user_id!("@anna:localhost"),
                office.clock.now(),
            )
            .await
            .unwrap();
        assert_eq!((view.listed.len(), view.matching), (30, 45));
        let shown = office.team(ANNA, "!zadania").await;
        assert!(
            shown.ends_with("… i jeszcze 15 zadań. Zawęź listę: „!zadania moje” albo „!zadania zaległe”."),
            "{shown}"
        );
    })
    .await;
}

fn user_id(who: &str) -> OwnedUserId {
    OwnedUserId::try_from(who).unwrap()
}

/// What was said privately when asked in a shared room: the room hears only where it went.
fn privately(answers: &str) -> String {
    let (pointer, private) = answers.split_once("\n---\n").expect("a pointer, then the private answer");
    assert!(
        pointer.starts_with('@')
            && pointer.contains(", odpowiedź wysłałem Ci w naszej prywatnej, szyfrowanej rozmowie"),
        "{answers}"
    );
    private.to_owned()
}

/// The token in a `!kalendarz` answer's address.
fn feed_token(answer: &str) -> String {
    let start = answer.find("/kalendarz/").expect("an address") + "/kalendarz/".len();
    answer[start..start + 32].to_owned()
}

#[tokio::test]
async fn room_and_personal_feeds_give_each_person_their_own_address_shown_once() {
    use szpon_bots::booking::Feed;
    each_backend(|store| async move {
        let office = Office::new(store);
        office.team(ANNA, "!zadanie Raport kwartalny @ewa:localhost do piątku").await;
        office.team(ANNA, "!zadanie Bez terminu").await;
        office.says(EWA, "!ewa:localhost", 0, "!zadanie Zamówić papier jutro").await;

        let first = privately(&office.team(PIOTR, "!kalendarz").await);
        assert!(first.starts_with("Kalendarz (zadania tego pokoju) do subskrypcji"), "{first}");
        let piotrs = feed_token(&first);
        let room = Feed::Room(OwnedRoomId::try_from(TEAM).unwrap());
        let piotr = OwnedUserId::try_from(PIOTR).unwrap();
        assert_eq!(office.store.feed_of_token(&piotrs).await.unwrap(), Some((room.clone(), piotr.clone())));
        let again = privately(&office.team(PIOTR, "!kalendarz").await);
        assert!(again.starts_with("Masz już swój adres kalendarza (zadania tego pokoju)."), "{again}");
        assert!(!again.contains(&piotrs), "the address is never shown twice");
        let ewas = feed_token(&privately(&office.team(EWA, "!kalendarz").await));
        assert_ne!(ewas, piotrs, "each person has their own");
        // Anyone replaces their own address, and only theirs.
        let rotated = privately(&office.team(PIOTR, "!kalendarz nowy").await);
        assert!(rotated.starts_with("Nowy adres kalendarza (zadania tego pokoju):"), "{rotated}");
        assert_ne!(feed_token(&rotated), piotrs);
        assert_eq!(office.store.feed_of_token(&piotrs).await.unwrap(), None, "the old one is revoked");
        assert_eq!(
            office.store.feed_of_token(&feed_token(&rotated)).await.unwrap(),
            Some((room.clone(), piotr))
        );
        let ewa = OwnedUserId::try_from(EWA).unwrap();
        assert_eq!(office.store.feed_of_token(&ewas).await.unwrap(), Some((room, ewa.clone())));

        let personal = office.says(EWA, "!ewa:localhost", 0, "!kalendarz").await;
        assert!(personal.starts_with("Kalendarz (Twoje zadania) do subskrypcji"), "{personal}");
        let feed = office.store.feed_of_token(&feed_token(&personal)).await.unwrap();
        assert_eq!(feed, Some((Feed::Person(ewa.clone()), ewa.clone())));
        // Her feed: her own to-do and the task assigned to her in the room, not the room's others.
        let since = office.clock.now() - Duration::days(30);
        let mut titles: Vec<String> = office
            .store
            .feed_tasks(&[TaskList::Personal(ewa.clone())], Some(&ewa), since)
            .await
            .unwrap()
            .into_iter()
            .map(|task| task.title)
            .collect();
        titles.sort();
        assert_eq!(titles, ["Raport kwartalny", "Zamówić papier"]);
    })
    .await;
}

impl Office {
    fn file(&self, who: &str, room: &str, event: &str, name: &str) -> Input {
        self.homeserver.join(ruma::RoomId::parse(room).unwrap().as_ref());
        Input::Message(UserMessage {
            event_id: OwnedEventId::try_from(event).unwrap(),
            room_id: OwnedRoomId::try_from(room).unwrap(),
            sender: OwnedUserId::try_from(who).unwrap(),
            room_kind: if room == TEAM { RoomKind::Group } else { RoomKind::Direct },
            content: MessageContent::File(szpon_bots::documents::SharedFile {
                name: name.into(),
                mimetype: Some("application/pdf".into()),
                size: Some(240_000),
                url: "mxc://localhost/plik".into(),
            }),
            sender_power: 0,
            mentions: Vec::new(),
            members_named: Vec::new(),
            room_encrypted: true,
            private_chat: false,
            in_reply_to: None,
        })
    }

    async fn reply(&self, who: &str, to: &str, body: &str) -> String {
        let Input::Message(mut message) = self.message(who, TEAM, 0, body) else { unreachable!() };
        message.in_reply_to =
            Some(Box::new(szpon_bots::RepliedTo::event(OwnedEventId::try_from(to).unwrap())));
        self.engine.process(&Input::Message(message)).await.unwrap();
        self.delivered().await.join("\n---\n")
    }
}

#[tokio::test]
async fn files_shared_in_a_room_form_its_register_and_attach_to_tasks_until_deleted() {
    each_backend(|store| async move {
        let office = Office::new(store);
        assert!(office.team(ANNA, "!dokumenty").await.starts_with("W tym pokoju nikt jeszcze nie udostępnił"));
        let umowa = office.file(EWA, TEAM, "$umowa", "Umowa najmu sali.pdf");
        office.engine.process(&umowa).await.unwrap();
        // The same event seen again (after a restart) is one entry, and a file makes no noise in a room.
        office.engine.process(&umowa).await.unwrap();
        office.engine.process(&office.file(PIOTR, TEAM, "$plan", "Plan sesji.docx")).await.unwrap();
        assert!(office.delivered().await.is_empty());
        // A file shared in someone's direct chat is not this room's.
        office.engine.process(&office.file(PIOTR, "!piotr-dm:localhost", "$prywatny", "CV.pdf")).await.unwrap();
        let told = office.delivered().await;
        assert_eq!(told.len(), 1);
        assert!(told[0].starts_with("Plik „CV.pdf” jest w dokumentach tego czatu"), "{told:?}");

        let register = office.team(ANNA, "!dokumenty").await;
        let lines: Vec<&str> = register.lines().collect();
        assert_eq!(lines[0], "Dokumenty udostępnione w tym pokoju (2):");
        assert_eq!(lines.len(), 3, "{register}");
        assert!(lines[1..].iter().any(|l| l.starts_with("📄 Umowa najmu sali.pdf — @ewa:localhost, wtorek, 24 listopada, 10:00, 240 kB")), "{register}");
        assert!(lines[1..].iter().any(|l| l.starts_with("📄 Plan sesji.docx — @piotr:localhost")), "{register}");

        let added = office.reply(ANNA, "$umowa", "!zadanie Podpisać umowę jutro").await;
        assert_eq!(
            added,
            "Dodano zadanie nr 1:\n☐ #1 Podpisać umowę — termin: środa, 25 listopada · 📎 Umowa najmu sali.pdf"
        );
        let named = office.reply(PIOTR, "$plan", "!zadanie").await;
        assert_eq!(named, "Dodano zadanie nr 2:\n☐ #2 Plan sesji.docx — 📎 Plan sesji.docx");
        // A reply to something that is not a known file is a plain task.
        let plain = office.reply(PIOTR, "$zwykla-wiadomosc", "!zadanie Oddzwonić").await;
        assert_eq!(plain, "Dodano zadanie nr 3:\n☐ #3 Oddzwonić");

        // Ewa deletes her file from the room: it leaves the register and the task.
        let redaction = Input::Redaction(szpon_bots::Redaction {
            event_id: OwnedEventId::try_from("$usun").unwrap(),
            room_id: OwnedRoomId::try_from(TEAM).unwrap(),
            sender: OwnedUserId::try_from(EWA).unwrap(),
            redacts: OwnedEventId::try_from("$umowa").unwrap(),
        });
        office.engine.process(&redaction).await.unwrap();
        let register = office.team(ANNA, "!dokumenty").await;
        assert!(register.starts_with("Dokumenty udostępnione w tym pokoju (1):\n📄 Plan sesji.docx"), "{register}");
        let list = office.team(ANNA, "!zadania").await;
        assert!(list.contains("☐ #1 Podpisać umowę — termin: środa, 25 listopada\n"), "{list}");
        assert!(!list.contains("Umowa najmu"), "{list}");
    })
    .await;
}

impl Office {
    fn vote(&self, who: &str, answer: &str) -> Input {
        let n = self.events.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Input::PollVote(szpon_bots::PollVote {
            event_id: OwnedEventId::try_from(format!("$v{n}")).unwrap(),
            room_id: OwnedRoomId::try_from(TEAM).unwrap(),
            sender: OwnedUserId::try_from(who).unwrap(),
            poll_id: OwnedEventId::try_from("$ankieta").unwrap(),
            answers: vec![answer.to_owned()],
        })
    }
}

#[tokio::test]
async fn meetings_collect_answers_remind_once_and_reach_calendars() {
    each_backend(|store| async move {
        let office = Office::new(store);
        let scheduled = office.team(ANNA, "!spotkanie jutro o 10 Narada zespołu 45 min").await;
        assert!(
            scheduled.starts_with("Spotkanie nr 1 „Narada zespołu”: środa, 25 listopada, 10:00–10:45."),
            "{scheduled}"
        );
        assert!(scheduled.contains("SendPoll"), "the poll follows the announcement: {scheduled}");
        office.team(ANNA, "!spotkanie pojutrze o 12 Szkolenie BHP").await;
        for (who, answer) in [
            (EWA, "meeting:1:no"),
            (PIOTR, "meeting:1:maybe"),
            (EWA, "meeting:1:yes"),
            (ANNA, "meeting:9:yes"),
        ] {
            office.engine.process(&office.vote(who, answer)).await.unwrap();
        }
        assert!(office.delivered().await.is_empty(), "votes are not answered");
        let list = office.team(PIOTR, "!spotkania").await;
        assert_eq!(
            list,
            "Spotkania tego pokoju (2):\n\
             • nr 1 „Narada zespołu” — środa, 25 listopada, 10:00–10:45 · tak: 1 · nie: 0 · może: 1\n\
             • nr 2 „Szkolenie BHP” — czwartek, 26 listopada, 12:00–13:00 · tak: 0 · nie: 0 · może: 0"
        );
        assert!(office.team(PIOTR, "!spotkanie odwołaj 2").await.starts_with("Spotkanie nr 2 może odwołać"));
        assert!(office.team(ANNA, "!spotkanie odwołaj 2").await.starts_with("Odwołano spotkanie nr 2"));
        assert!(
            office.team(ANNA, "!spotkanie odwołaj 2").await.starts_with("Spotkanie nr 2 jest już odwołane")
        );

        // Ewa said yes: her own calendar has the meeting; the room's has both, one cancelled.
        let since = office.clock.now() - Duration::days(30);
        let ewa = OwnedUserId::try_from(EWA).unwrap();
        let hers = office.store.feed_meetings(&[], Some(&ewa), since).await.unwrap();
        assert_eq!(hers.iter().map(|(m, _)| m.number).collect::<Vec<_>>(), [1]);
        let room = OwnedRoomId::try_from(TEAM).unwrap();
        let rooms = office.store.feed_meetings(&[room], None, since).await.unwrap();
        let shown: Vec<(i64, bool)> =
            rooms.iter().map(|(m, _)| (m.number, m.cancelled_at.is_some())).collect();
        assert_eq!(shown, [(1, false), (2, true)]);

        // A day on, the reminder and the start come once each; the cancelled meeting says nothing.
        let mut heard = Vec::new();
        for _ in 0..(2 * 24 * 4) {
            office.clock.advance(Duration::minutes(15));
            office.engine.run_due_jobs().await.unwrap();
            heard.extend(office.delivered().await);
        }
        assert_eq!(
            heard,
            [
                "Za 15 minut spotkanie nr 1 „Narada zespołu” (środa, 25 listopada, 10:00–10:45).\n\
                 @ewa:localhost, @piotr:localhost",
                "Zaczyna się spotkanie nr 1 „Narada zespołu” (środa, 25 listopada, 10:00–10:45).\n\
                 @ewa:localhost, @piotr:localhost",
            ]
        );
    })
    .await;
}
