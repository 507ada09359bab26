use chrono::TimeZone;
use proptest::prelude::*;
use ruma::{event_id, owned_event_id, owned_room_id, owned_user_id, room_id, user_id};

use super::*;
use crate::learning::DirectMessage;

const ZONE: Tz = chrono_tz::Europe::Warsaw;

/// Monday, 7 December 2026, 9:00 in Warsaw.
fn monday_nine() -> DateTime<Utc> {
    ZONE.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap().to_utc()
}

fn desk<'a>(
    view: &'a LiveView,
    sender: &'a UserId,
    staff: bool,
    power: i64,
    now: DateTime<Utc>,
) -> LiveDesk<'a> {
    LiveDesk {
        room: room_id!("!szkolenia:localhost"),
        sender,
        event_id: event_id!("$wiadomosc"),
        staff,
        trainer: staff,
        power,
        direct: false,
        view,
        zone: ZONE,
        now,
        lang: Lang::Pl,
    }
}

fn said(turn: &LiveTurn) -> Vec<String> {
    turn.actions
        .iter()
        .map(|action| match action {
            Action::SendNotice { notice, .. } => notice.plain.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

/// Wednesday, 9 December 2026, 12:00–13:00, by the trainer.
fn event(number: i64) -> LiveEvent {
    let start = ZONE.with_ymd_and_hms(2026, 12, 9, 12, 0, 0).unwrap().to_utc();
    LiveEvent {
        room_id: owned_room_id!("!szkolenia:localhost"),
        number,
        title: "Nowe zasady naboru".into(),
        start,
        end: start + Duration::minutes(60),
        presenter: owned_user_id!("@trenerka:localhost"),
        lang: Lang::Pl,
        created_at: monday_nine(),
        cancelled_at: None,
        course_id: None,
    }
}

/// An event's job's context, for an event of no course.
fn alone(event: &LiveEvent) -> AlertContext {
    AlertContext { event: Some(event.clone()), ..AlertContext::default() }
}

fn question(text: &str, upvotes: i64) -> Question {
    Question {
        event_id: owned_event_id!("$pytanie"),
        asker: owned_user_id!("@jan:localhost"),
        text: text.into(),
        asked_at: monday_nine(),
        upvotes,
    }
}

#[test]
fn commands_in_both_languages_with_and_without_diacritics() {
    assert_eq!(parse_live_command("!wydarzenia"), Some(LiveCommand::List));
    assert_eq!(parse_live_command("!events"), Some(LiveCommand::List));
    assert_eq!(parse_live_command("!wydarzenie"), Some(LiveCommand::List));
    assert_eq!(
        parse_live_command("!wydarzenie w środę o 12 Nowe zasady"),
        Some(LiveCommand::Schedule("w środę o 12 Nowe zasady".into()))
    );
    assert_eq!(parse_live_command("!wydarzenie odwołaj 2"), Some(LiveCommand::Cancel(Some(2))));
    assert_eq!(parse_live_command("!WYDARZENIE odwolaj #2"), Some(LiveCommand::Cancel(Some(2))));
    assert_eq!(parse_live_command("!event cancel x"), Some(LiveCommand::Cancel(None)));
    assert_eq!(parse_live_command("!pytania"), Some(LiveCommand::Questions));
    assert_eq!(
        parse_live_command("!pytanie Czy będzie nagranie?"),
        Some(LiveCommand::Ask { text: "Czy będzie nagranie?".into(), said_aloud: false })
    );
    assert_eq!(parse_live_command("!spotkanie jutro"), None);
    assert_eq!(
        room_question("  czy slajdy beda w pokoju?  "),
        Some(LiveCommand::Ask { text: "czy slajdy beda w pokoju?".into(), said_aloud: true })
    );
    assert_eq!(room_question("??"), None, "no words, no question");
    assert_eq!(room_question("dzień dobry"), None);
}

#[test]
fn a_trainer_schedules_an_event_with_reminders_the_day_before_shortly_before_and_the_start() {
    let view = LiveView { next_number: 2, ..LiveView::default() };
    let trainer = user_id!("@trenerka:localhost");
    let turn = desk(&view, trainer, true, 0, monday_nine())
        .handle(&LiveCommand::Schedule("w środę o 12 Nowe zasady naboru".into()));
    let text = said(&turn).join("\n");
    assert!(
        text.starts_with("Wydarzenie LIVE nr 2 „Nowe zasady naboru”: środa, 9 grudnia, 12:00–13:00."),
        "{text}"
    );
    assert!(
        text.contains("Prowadzi @trenerka:localhost.\nPrzypomnę o nim dzień wcześniej i 15 minut przed"),
        "{text}"
    );
    let Effect::Live(LiveChange::Schedule(scheduled)) = &turn.effects[0] else {
        panic!("{:?}", turn.effects)
    };
    assert_eq!(scheduled.presenter, trainer);
    let jobs: Vec<_> = turn.effects[1..]
        .iter()
        .map(|effect| match effect {
            Effect::Schedule { job: Job::Live(LiveJob::Alert { alert, .. }), due } => {
                (*alert, due.with_timezone(&ZONE).format("%d %H:%M").to_string())
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        jobs,
        [
            (LiveAlert::DayBefore, "08 12:00".to_owned()),
            (LiveAlert::Soon, "09 11:45".to_owned()),
            (LiveAlert::Start, "09 12:00".to_owned())
        ]
    );
}

#[test]
fn an_event_within_the_day_gets_no_reminder_the_day_before() {
    let view = LiveView::default();
    let turn = desk(&view, user_id!("@trenerka:localhost"), true, 0, monday_nine())
        .handle(&LiveCommand::Schedule("dziś o 15 Dyżur ekspertów".into()));
    let alerts: Vec<LiveAlert> = turn
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Schedule { job: Job::Live(LiveJob::Alert { alert, .. }), .. } => Some(*alert),
            _ => None,
        })
        .collect();
    assert_eq!(alerts, [LiveAlert::Soon, LiveAlert::Start]);
    let text = said(&turn).join("\n");
    assert!(
        text.contains("\nPrzypomnę o nim 15 minut przed początkiem."),
        "only the reminder that comes: {text}"
    );
    let soon = desk(&view, user_id!("@trenerka:localhost"), true, 0, monday_nine())
        .handle(&LiveCommand::Schedule("dziś o 9:10 Krótki komunikat".into()));
    let text = said(&soon).join("\n");
    assert!(
        text.contains("\nZaczyna się niebawem. Na początku wyślę tu link"),
        "no reminder promised: {text}"
    );
}

#[test]
fn only_trainers_clerks_and_moderators_schedule_and_bad_times_are_explained() {
    let view = LiveView::default();
    let citizen = user_id!("@jan:localhost");
    let refused =
        desk(&view, citizen, false, 0, monday_nine()).handle(&LiveCommand::Schedule("jutro o 10 X".into()));
    assert!(said(&refused)[0].contains("trenerzy, urzędnicy i moderatorzy"), "{:?}", said(&refused));
    assert!(refused.effects.is_empty());
    let moderator = desk(&view, citizen, false, 50, monday_nine());
    assert!(moderator.handle(&LiveCommand::Schedule("jutro o 10 Szkolenie".into())).effects.len() > 1);
    for (text, expected) in [
        ("jutro Szkolenie", "O której ma się zacząć wydarzenie?"),
        ("Szkolenie", "Kiedy ma być wydarzenie?"),
        ("jutro o 10", "Wydarzenie potrzebuje tytułu"),
        ("jutro o 10 Szkolenie 2 min", "od 5 minut do 12 godzin"),
        ("codziennie o 10 Szkolenie", "pojedyncze wydarzenia"),
    ] {
        let turn = moderator.handle(&LiveCommand::Schedule(text.into()));
        assert!(said(&turn)[0].contains(expected), "{text}: {:?}", said(&turn));
        assert!(turn.effects.is_empty(), "{text}");
    }
}

#[test]
fn a_question_is_noted_only_while_an_event_takes_questions() {
    let on_air = event(1).start + Duration::minutes(10);
    let view = LiveView { current: Some(event(1)), ..LiveView::default() };
    let jan = user_id!("@jan:localhost");
    let asked = desk(&view, jan, false, 0, on_air)
        .handle(&LiveCommand::Ask { text: "Czy będzie nagranie?".into(), said_aloud: false });
    assert!(said(&asked)[0].starts_with("Pytanie zapisane."), "{:?}", said(&asked));
    let Effect::Live(LiveChange::Ask { number, event_id, text, .. }) = &asked.effects[0] else { panic!() };
    assert_eq!((*number, event_id.as_str(), text.as_str()), (1, "$wiadomosc", "Czy będzie nagranie?"));

    let aloud = desk(&view, jan, false, 0, on_air)
        .handle(&LiveCommand::Ask { text: "a slajdy?".into(), said_aloud: true });
    assert!(aloud.actions.is_empty(), "a question said to the room gets no answer");
    assert_eq!(aloud.effects.len(), 1);

    let after = desk(&view, jan, false, 0, event(1).end);
    assert!(
        after.handle(&LiveCommand::Ask { text: "a slajdy?".into(), said_aloud: true }).effects.is_empty()
    );
    let explained = after.handle(&LiveCommand::Ask { text: "Pytanie".into(), said_aloud: false });
    assert!(
        said(&explained)[0].starts_with("Teraz nie trwa żadne wydarzenie LIVE"),
        "{:?}",
        said(&explained)
    );
    assert!(explained.effects.is_empty());
}

#[test]
fn a_long_multibyte_question_is_cut_on_a_character_boundary() {
    let view = LiveView { current: Some(event(1)), ..LiveView::default() };
    let long = "żółć🙂".repeat(400);
    let turn = desk(&view, user_id!("@jan:localhost"), false, 0, event(1).start)
        .handle(&LiveCommand::Ask { text: long, said_aloud: false });
    let Effect::Live(LiveChange::Ask { text, .. }) = &turn.effects[0] else { panic!() };
    assert_eq!(text.chars().count(), MAX_QUESTION_CHARS);
}

#[test]
fn questions_are_listed_most_upvoted_first_with_polish_plurals() {
    let view = LiveView {
        current: Some(event(1)),
        questions: vec![
            question("Czy będzie nagranie?", 5),
            question("Do kiedy nabór?", 1),
            question("A ja?", 0),
        ],
        ..LiveView::default()
    };
    let turn =
        desk(&view, user_id!("@trenerka:localhost"), true, 0, event(1).start).handle(&LiveCommand::Questions);
    assert_eq!(
        said(&turn)[0],
        "Pytania do wydarzenia nr 1 „Nowe zasady naboru” (3), od najczęściej popieranych:\n\
         1. Czy będzie nagranie? — @jan:localhost · 5 głosów\n\
         2. Do kiedy nabór? — @jan:localhost · 1 głos\n\
         3. A ja? — @jan:localhost · bez poparcia"
    );
    let none = LiveView { current: Some(event(1)), ..LiveView::default() };
    let turn =
        desk(&none, user_id!("@jan:localhost"), false, 0, event(1).start).handle(&LiveCommand::Questions);
    assert!(said(&turn)[0].starts_with("Do wydarzenia nr 1"), "{:?}", said(&turn));
}

#[test]
fn cancelling_is_for_the_presenter_or_a_moderator_and_ends_a_broadcast_on_air() {
    let view = LiveView { named: Some(event(1)), ..LiveView::default() };
    let jan = user_id!("@jan:localhost");
    let refused = desk(&view, jan, false, 0, monday_nine()).handle(&LiveCommand::Cancel(Some(1)));
    assert!(said(&refused)[0].contains("może odwołać jego prowadzący"), "{:?}", said(&refused));
    let trainer = user_id!("@trenerka:localhost");
    let cancelled = desk(&view, trainer, true, 0, monday_nine()).handle(&LiveCommand::Cancel(Some(1)));
    assert!(said(&cancelled)[0].starts_with("Odwołano wydarzenie LIVE nr 1"), "{:?}", said(&cancelled));
    assert_eq!(cancelled.actions.len(), 1, "nothing on air to end");
    let on_air = desk(&view, trainer, true, 0, event(1).start + Duration::minutes(5))
        .handle(&LiveCommand::Cancel(Some(1)));
    assert!(
        matches!(on_air.actions[1], Action::Call { call: CallAction::End { .. }, .. }),
        "{:?}",
        on_air.actions
    );
    let missing = desk(&view, trainer, true, 0, monday_nine()).handle(&LiveCommand::Cancel(Some(7)));
    assert!(said(&missing)[0].contains("nie ma wydarzenia nr 7"));
}

#[test]
fn in_a_direct_chat_events_are_pointed_to_rooms() {
    let view = LiveView::default();
    let mut desk = desk(&view, user_id!("@trenerka:localhost"), true, 0, monday_nine());
    desk.direct = true;
    assert!(said(&desk.handle(&LiveCommand::List))[0].starts_with("Wydarzenia LIVE planuje się w pokoju"));
    assert!(desk.handle(&LiveCommand::Ask { text: "czy?".into(), said_aloud: true }).actions.is_empty());
}

#[test]
fn the_start_opens_the_broadcast_and_a_late_or_cancelled_job_says_nothing() {
    let held = event(1);
    let start = held.start;
    let opened = live_alert(&alone(&held), LiveAlert::Start, start, ZONE, start + Duration::seconds(3));
    assert!(
        matches!(&opened[..], [Action::Call { call: CallAction::Live { presenter, .. }, .. }] if presenter == &held.presenter),
        "{opened:?}"
    );
    let reminder = live_alert(&alone(&held), LiveAlert::Soon, start, ZONE, start - SOON_BEFORE);
    let [Action::SendNotice { notice, .. }] = &reminder[..] else { panic!("{reminder:?}") };
    assert!(notice.plain.starts_with("Za 15 minut wydarzenie LIVE nr 1"), "{}", notice.plain);
    assert!(
        live_alert(&alone(&held), LiveAlert::DayBefore, start, ZONE, start - SOON_BEFORE).is_empty(),
        "a day-before reminder run late, once the 15-minute one is due, says nothing"
    );
    assert!(
        live_alert(&alone(&held), LiveAlert::Soon, start, ZONE, start).is_empty(),
        "no reminder after the start"
    );
    assert!(
        live_alert(&alone(&held), LiveAlert::Start, start, ZONE, held.end).is_empty(),
        "no start after the end"
    );
    let moved = live_alert(&alone(&held), LiveAlert::Start, start - Duration::hours(1), ZONE, start);
    assert!(moved.is_empty(), "the event was moved");
    let cancelled = LiveEvent { cancelled_at: Some(start), ..held };
    assert!(live_alert(&alone(&cancelled), LiveAlert::Start, start, ZONE, start).is_empty());
}

#[test]
fn the_announcement_keeps_the_viewer_count() {
    let notice =
        on_air(Lang::Pl, "Nowe zasady", user_id!("@trenerka:localhost"), "https://u/rozmowa/x", 2, true);
    assert!(notice.plain.starts_with("🔴 NA ŻYWO: „Nowe zasady”, prowadzi @trenerka:localhost. Oglądaj: https://u/rozmowa/x\nOglądających teraz: 2."), "{}", notice.plain);
    assert!(
        notice.plain.contains("\nW Element Web i Desktop transmisja jest w widżecie pokoju."),
        "{}",
        notice.plain
    );
    let without =
        on_air(Lang::Pl, "Nowe zasady", user_id!("@trenerka:localhost"), "https://u/rozmowa/x", 0, false);
    assert!(
        !without.plain.contains("w widżecie pokoju"),
        "no widget promised where there is none: {}",
        without.plain
    );
    assert!(without.plain.contains("Aby oglądać, napisz tu „!dołącz”"), "{}", without.plain);
    assert!(off_air(Lang::En, "X", 45, 12).plain.contains("most viewers at once: 12"));
}

fn course_view(room: bool) -> LiveView {
    LiveView {
        course: Some(CourseTarget {
            course_id: "rodo".into(),
            title: "RODO w urzędzie".into(),
            room: room.then(|| owned_room_id!("!kurs-rodo:localhost")),
            next_number: 3,
            learners: vec![
                (owned_user_id!("@ola:localhost"), Lang::Pl),
                (owned_user_id!("@john:localhost"), Lang::En),
                (owned_user_id!("@trenerka:localhost"), Lang::Pl),
            ],
        }),
        ..LiveView::default()
    }
}

#[test]
fn na_zywo_reads_the_course_then_the_time_and_topic() {
    assert_eq!(
        parse_live_command("!na-żywo rodo w środę o 12 Pytania i odpowiedzi"),
        Some(LiveCommand::ForCourse {
            course: "rodo".into(),
            rest: "w środę o 12 Pytania i odpowiedzi".into()
        })
    );
    assert_eq!(
        parse_live_command("!NA-ZYWO „rodo” jutro o 9 Start"),
        Some(LiveCommand::ForCourse { course: "rodo".into(), rest: "jutro o 9 Start".into() })
    );
    assert_eq!(parse_live_command("!na-żywo"), Some(LiveCommand::ForCourseUsage));
    assert_eq!(parse_live_command("!na-żywo rodo"), Some(LiveCommand::ForCourseUsage));
}

#[test]
fn a_trainer_schedules_a_course_session_in_its_room_and_each_learner_is_invited() {
    let view = course_view(true);
    let trainer = user_id!("@trenerka:localhost");
    let command = parse_live_command("!na-żywo rodo w środę o 12 Pytania i odpowiedzi 45 min").unwrap();
    let turn = desk(&view, trainer, true, 0, monday_nine()).handle(&command);
    let [Effect::Live(LiveChange::Schedule(event)), jobs @ ..] = turn.effects.as_slice() else {
        panic!("{:?}", turn.effects)
    };
    assert_eq!((event.room_id.as_str(), event.number), ("!kurs-rodo:localhost", 3));
    assert_eq!(event.course_id.as_deref(), Some("rodo"));
    assert_eq!(event.title, "Pytania i odpowiedzi");
    assert_eq!(jobs.len(), 3, "a day before, 15 minutes before, and the start");
    let [
        Action::SendNotice { room_id: asked_in, notice: reply },
        Action::SendNotice { room_id: course_room, notice: announced },
        invitations @ ..,
    ] = turn.actions.as_slice()
    else {
        panic!("{:?}", turn.actions)
    };
    assert_eq!((asked_in.as_str(), course_room.as_str()), ("!szkolenia:localhost", "!kurs-rodo:localhost"));
    assert_eq!(
        reply.plain,
        "Sesja na żywo kursu „RODO w urzędzie” (wydarzenie nr 3 w pokoju kursu): „Pytania i odpowiedzi”, \
         środa, 9 grudnia, 12:00–12:45. Prowadzisz Ty. Zaproszenie poszło do 2 uczestników kursu. \
         Przypomnę o sesji dzień wcześniej i 15 minut przed początkiem. Na początku link pojawi się w pokoju \
         kursu, a każdy uczestnik dostanie swój na czacie prywatnym."
    );
    assert!(
        announced.plain.starts_with("Sesja na żywo kursu „RODO w urzędzie”: „Pytania i odpowiedzi”"),
        "{}",
        announced.plain
    );
    let invited: Vec<(&str, &str)> = invitations
        .iter()
        .map(|action| match action {
            Action::Direct { user_id, message: DirectMessage::Notice(notice) } => {
                (user_id.as_str(), notice.plain.as_str())
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(invited.len(), 2, "the trainer is not invited to her own session: {invited:?}");
    assert!(invited[0].1.starts_with("Zaproszenie na sesję na żywo kursu „RODO w urzędzie”"), "{invited:?}");
    assert!(invited[1].1.starts_with("You are invited to a live session of the course “RODO w urzędzie”: “Pytania i odpowiedzi”, Wednesday"), "{invited:?}");
}

#[test]
fn a_course_session_is_refused_clearly_without_a_trainer_a_course_or_a_room() {
    let command = parse_live_command("!na-żywo rodo w środę o 12 Pytania").unwrap();
    let ola = user_id!("@ola:localhost");
    let refused = said(&desk(&course_view(true), ola, false, 100, monday_nine()).handle(&command));
    assert!(refused[0].starts_with("Sesje na żywo kursów planują trenerzy urzędu."), "{refused:?}");
    let trainer = user_id!("@trenerka:localhost");
    let unknown = said(&desk(&LiveView::default(), trainer, true, 0, monday_nine()).handle(&command));
    assert!(unknown[0].starts_with("Nie znam kursu „rodo”."), "{unknown:?}");
    let roomless = said(&desk(&course_view(false), trainer, true, 0, monday_nine()).handle(&command));
    assert!(roomless[0].starts_with("Kurs „RODO w urzędzie” nie ma pokoju"), "{roomless:?}");
    let no_time = parse_live_command("!na-żywo rodo Pytania").unwrap();
    let asked = said(&desk(&course_view(true), trainer, true, 0, monday_nine()).handle(&no_time));
    assert!(asked[0].starts_with("Kiedy ma być sesja?"), "{asked:?}");
    let usage =
        said(&desk(&course_view(true), ola, false, 0, monday_nine()).handle(&LiveCommand::ForCourseUsage));
    assert!(usage[0].starts_with("Sesję na żywo kursu planuje trener"), "{usage:?}");
}

#[test]
fn a_cancelled_course_session_is_cancelled_in_the_learners_direct_chats_too() {
    let held = LiveEvent { course_id: Some("rodo".into()), ..event(2) };
    let view = LiveView { named: Some(held), ..course_view(true) };
    let trainer = user_id!("@trenerka:localhost");
    let turn = desk(&view, trainer, true, 0, monday_nine()).handle(&LiveCommand::Cancel(Some(2)));
    let told: Vec<(&str, &str)> = turn
        .actions
        .iter()
        .filter_map(|action| match action {
            Action::Direct { user_id, message: DirectMessage::Notice(notice) } => {
                Some((user_id.as_str(), notice.plain.as_str()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(told.len(), 2, "both learners, not the presenter: {told:?}");
    assert!(
        told[0].1.starts_with("Odwołano sesję na żywo kursu „RODO w urzędzie”: „Nowe zasady naboru”"),
        "{told:?}"
    );
    assert!(told[1].1.starts_with("The live session of the course “RODO w urzędzie”"), "{told:?}");
}

#[test]
fn a_course_sessions_learners_are_reminded_in_private_and_sent_their_own_link_at_the_start() {
    let held = LiveEvent { course_id: Some("rodo".into()), ..event(1) };
    let context = AlertContext {
        event: Some(held.clone()),
        learners: vec![
            (owned_user_id!("@ola:localhost"), Lang::Pl),
            (owned_user_id!("@trenerka:localhost"), Lang::Pl),
        ],
        course_title: "RODO w urzędzie".into(),
    };
    let soon = live_alert(&context, LiveAlert::Soon, held.start, ZONE, held.start - SOON_BEFORE);
    let [Action::SendNotice { .. }, Action::Direct { user_id, message: DirectMessage::Notice(notice) }] =
        soon.as_slice()
    else {
        panic!("{soon:?}")
    };
    assert_eq!(user_id.as_str(), "@ola:localhost", "the presenter is not reminded of her own session");
    assert!(
        notice.plain.starts_with("Za 15 minut sesja na żywo kursu „RODO w urzędzie”: „Nowe zasady naboru”"),
        "{}",
        notice.plain
    );
    let start = live_alert(&context, LiveAlert::Start, held.start, ZONE, held.start);
    let [
        Action::Call { call: CallAction::Live { .. }, .. },
        Action::Call { room_id, call: CallAction::Ticket { user, quiet: true, .. } },
    ] = start.as_slice()
    else {
        panic!("{start:?}")
    };
    assert_eq!((room_id, user.as_str()), (&held.room_id, "@ola:localhost"));
}

proptest! {
    /// No text makes a command or a question panic, in either language.
    #[test]
    fn any_text_is_answered_without_panicking(text in "\\PC{0,600}", aloud in any::<bool>()) {
        let view = LiveView { current: Some(event(1)), next_number: 1, named: Some(event(1)), ..LiveView::default() };
        let desk = desk(&view, user_id!("@trenerka:localhost"), true, 0, event(1).start);
        for command in [parse_live_command(&format!("!wydarzenie {text}")), parse_live_command(&format!("!pytanie {text}")), parse_live_command(&format!("!na-żywo {text}")), room_question(&text)].into_iter().flatten() {
            let turn = desk.handle(&command);
            let answered = !turn.actions.is_empty();
            let quiet = matches!(command, LiveCommand::Ask { said_aloud: true, .. });
            prop_assert!(answered || quiet, "no answer to {:?}", command);
        }
        let _ = aloud;
    }
}
