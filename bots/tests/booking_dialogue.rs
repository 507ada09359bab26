//! The citizen's booking conversation, turn by turn, on simulated time.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use ruma::{OwnedEventId, owned_room_id, owned_user_id};
use szpon_bots::{
    Action, BotConfig, Input, Job, JobContext, MessageContent, OfficeBot, Outcome, Person, RoomKind,
    UserMessage,
    booking::{
        BookingChange, BookingJob, BookingView, DEMO_OFFICE, Dialogue, Effect, Office, Visit, VisitStatus,
    },
};

fn warsaw(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

struct Chat {
    bot: OfficeBot,
    person: Person,
    view: BookingView,
    now: DateTime<Utc>,
    turn: u32,
}

impl Chat {
    fn new() -> Self {
        Self::with_office(DEMO_OFFICE)
    }

    fn with_office(source: &str) -> Self {
        let office = Arc::new(Office::parse(source).unwrap());
        let config = BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina").with_office(Some(office));
        let view = BookingView { new_code: "K3MX7P".into(), ..BookingView::default() };
        // Monday 23 November 2026, 10:00 in Warsaw.
        Self {
            bot: OfficeBot::new(config),
            person: Person::default(),
            view,
            now: warsaw(2026, 11, 23, 10, 0),
            turn: 0,
        }
    }

    fn input(&mut self, body: &str) -> Input {
        self.turn += 1;
        Input::Message(UserMessage {
            event_id: OwnedEventId::try_from(format!("$e{}", self.turn)).unwrap(),
            room_id: owned_room_id!("!dm:localhost"),
            sender: owned_user_id!("@jan:localhost"),
            room_kind: RoomKind::Direct,
            content: MessageContent::Text { body: body.to_owned() },
            sender_power: 0,
            mentions: Vec::new(),
            members_named: Vec::new(),
            room_encrypted: true,
            private_chat: true,
            in_reply_to: None,
        })
    }

    /// Sends a message; returns the replies and keeps the person's new state.
    fn say(&mut self, body: &str) -> (String, Outcome) {
        let input = self.input(body);
        let outcome = common::decide(
            &self.bot,
            &input,
            &self.person,
            &common::Held { visits: self.view.clone(), ..Default::default() },
            self.now,
        );
        // What the store does: the state goes through JSON.
        if let Some(person) = &outcome.person {
            self.person = serde_json::from_str(&serde_json::to_string(person).unwrap()).unwrap();
        }
        (texts(&outcome), outcome)
    }
}

fn texts(outcome: &Outcome) -> String {
    outcome
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::SendNotice { notice, .. } => Some(notice.plain.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n---\n")
}

fn booked(outcome: &Outcome) -> Visit {
    outcome
        .effects
        .iter()
        .find_map(|e| if let Effect::Booking(BookingChange::Book(v)) = e { Some(v.clone()) } else { None })
        .expect("a booking")
}

#[test]
fn a_citizen_books_a_visit_in_plain_polish() {
    let mut chat = Chat::new();
    let (reply, _) = chat.say("Dzień dobry, chcę umówić wizytę");
    assert!(reply.contains("W jakiej sprawie"), "{reply}");
    assert!(reply.contains("1. Dowód osobisty — złożenie wniosku"), "{reply}");
    let (reply, _) = chat.say("dowod osobisty");
    assert!(reply.starts_with("Dowód osobisty — złożenie wniosku — najbliższe wolne terminy:"), "{reply}");
    assert!(reply.contains("1. wtorek, 24 listopada, godz. 8:00"), "{reply}");
    assert!(reply.contains("2. wtorek, 24 listopada, godz. 8:15"), "{reply}");
    let (reply, outcome) = chat.say("2");
    assert!(reply.contains("Wizyta jest zarezerwowana"), "{reply}");
    assert!(reply.contains("Termin: wtorek, 24 listopada, godz. 8:15"), "{reply}");
    assert!(reply.contains("Miejsce: pokój 12"), "{reply}");
    assert!(reply.contains("Kod wizyty: K3MX7P"), "{reply}");
    assert!(reply.contains("• aktualne zdjęcie 35×45 mm"), "{reply}");
    let visit = booked(&outcome);
    assert_eq!(visit.time.start, warsaw(2026, 11, 24, 8, 15));
    assert_eq!(visit.time.held_until, warsaw(2026, 11, 24, 8, 40));
    assert_eq!(visit.citizen, "@jan:localhost");
    let reminders: Vec<_> = outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Schedule { job: Job::Booking(BookingJob::Reminder { .. }), due } => Some(*due),
            _ => None,
        })
        .collect();
    assert_eq!(
        reminders,
        [warsaw(2026, 11, 23, 8, 15), warsaw(2026, 11, 24, 7, 15)]
            .into_iter()
            .filter(|d| *d > chat.now)
            .collect::<Vec<_>>()
    );
    assert_eq!(chat.person.dialogue, None);
}

#[test]
fn the_service_can_be_named_at_once_and_times_narrowed() {
    let mut chat = Chat::new();
    let (reply, _) = chat.say("umów mnie na rejestracje samochodu");
    assert!(reply.starts_with("Rejestracja pojazdu — najbliższe"), "{reply}");
    let (reply, _) = chat.say("w piątek po 14");
    assert!(reply.contains("1. piątek, 27 listopada, godz. 14:05"), "{reply}");
    let (reply, _) = chat.say("inny termin");
    assert!(!reply.contains("godz. 14:05"), "{reply}");
    let (reply, _) = chat.say("7");
    assert!(reply.contains("Nie ma pozycji o numerze 7. Wybierz numer od 1 do 5."), "{reply}");
    assert!(matches!(chat.person.dialogue, Some(Dialogue::ChoosingTime { .. })));
    let (reply, _) = chat.say("bla bla");
    assert!(reply.contains("Napisz numer terminu (od 1 do 5)"), "{reply}");
    let (reply, _) = chat.say("anuluj");
    assert!(reply.contains("przerywam"), "{reply}");
    assert_eq!(chat.person.dialogue, None);
}

#[test]
fn a_time_taken_meanwhile_is_refused_with_new_offers() {
    let mut chat = Chat::new();
    chat.say("wizyta zameldowanie");
    let Some(Dialogue::ChoosingTime { offers, .. }) = chat.person.dialogue.clone() else { panic!() };
    let first = &offers[0];
    chat.view.busy.push(szpon_bots::booking::Busy {
        clerk: first.clerk.clone(),
        start: first.start,
        end: first.start + Duration::minutes(15),
    });
    let (reply, outcome) = chat.say("1");
    assert!(reply.starts_with("Przepraszam, ten termin został właśnie zajęty"), "{reply}");
    assert!(outcome.effects.iter().all(|e| !matches!(e, Effect::Booking(BookingChange::Book(_)))));
    assert!(reply.contains("1. "), "{reply}");
}

#[test]
fn a_time_that_passed_while_the_citizen_thought_is_not_booked() {
    // An office that books for today too.
    let mut chat = Chat::with_office(&DEMO_OFFICE.replace("close_days_before = 1", "close_days_before = 0"));
    chat.now = warsaw(2026, 11, 23, 7, 50);
    let (reply, _) = chat.say("wizyta zameldowanie");
    assert!(reply.contains("1. poniedziałek, 23 listopada, godz. 8:00"), "{reply}");
    chat.now = warsaw(2026, 11, 23, 8, 10);
    let (reply, outcome) = chat.say("1");
    assert!(reply.contains("Ten termin już minął"), "{reply}");
    assert!(outcome.effects.iter().all(|e| !matches!(e, Effect::Booking(BookingChange::Book(_)))));
}

#[test]
fn a_dialogue_left_waiting_expires_politely() {
    let mut chat = Chat::new();
    let (_, outcome) = chat.say("wizyta");
    let timeout = outcome.effects.iter().find_map(|e| match e {
        Effect::Schedule { job: job @ Job::Booking(BookingJob::DialogueTimeout { .. }), due } => {
            Some((job.clone(), *due))
        }
        _ => None,
    });
    let (job, due) = timeout.expect("a timeout job");
    assert_eq!(due, chat.now + Duration::minutes(30));
    let context = JobContext::Person(chat.person.clone());
    let fired = chat.bot.handle_job(&job, &context, due);
    assert!(texts(&fired).contains("Rozmowa o rezerwacji wygasła"), "{}", texts(&fired));
    assert_eq!(fired.person.unwrap().dialogue, None);
    // A later step makes the old timeout moot.
    chat.now += Duration::minutes(5);
    chat.say("1");
    let context = JobContext::Person(chat.person.clone());
    assert!(chat.bot.handle_job(&job, &context, due).actions.is_empty());
    // If the job has not run yet, the next message notices.
    chat.now += Duration::hours(2);
    let (reply, _) = chat.say("2");
    assert!(reply.contains("Rozmowa o rezerwacji wygasła"), "{reply}");
    assert_eq!(chat.person.dialogue, None);
}

fn visit(code: &str, start: DateTime<Utc>) -> Visit {
    Visit {
        code: code.into(),
        citizen: owned_user_id!("@jan:localhost"),
        room_id: owned_room_id!("!dm:localhost"),
        service: "meldunek".into(),
        time: szpon_bots::booking::VisitTime {
            clerk: owned_user_id!("@urzednik:localhost"),
            start,
            end: start + Duration::minutes(15),
            held_from: start,
            held_until: start + Duration::minutes(15),
        },
        status: VisitStatus::Booked,
        lang: szpon_bots::Lang::Pl,
        checked_in_at: None,
    }
}

#[test]
fn citizens_list_cancel_and_move_their_own_visits_only() {
    let mut chat = Chat::new();
    let (reply, _) = chat.say("moje wizyty");
    assert!(reply.contains("Nie masz zaplanowanych wizyt"), "{reply}");
    chat.view.own_visits =
        vec![visit("AAAAAA", warsaw(2026, 11, 25, 9, 0)), visit("CCCCCC", warsaw(2026, 11, 26, 9, 0))];
    let (reply, _) = chat.say("moje wizyty");
    assert!(
        reply.contains(
            "1. środa, 25 listopada, godz. 9:00 — Zameldowanie lub wymeldowanie, pokój 12 (AAAAAA)"
        ),
        "{reply}"
    );
    // Someone else's code is answered exactly like a code that does not exist.
    let (reply, outcome) = chat.say("odwołaj K3MX7P");
    assert!(
        reply.contains("Nie znalazłem wśród Twoich zaplanowanych wizyt żadnej o kodzie K3MX7P"),
        "{reply}"
    );
    assert!(outcome.effects.is_empty());
    let (reply, _) = chat.say("odwołaj wizytę");
    assert!(reply.contains("Którą wizytę odwołać?"), "{reply}");
    // A six-letter word is not a visit's code, and a question on the way is no answer.
    let (reply, outcome) = chat.say("gdzie zgłosić dziurę w drodze");
    assert!(!reply.contains("DZIURE"), "{reply}");
    assert!(
        outcome.effects.iter().all(|e| !matches!(e, Effect::Booking(BookingChange::SetStatus { .. }))),
        "{:?}",
        outcome.effects
    );
    // A number is easily sent by mistake: cancelling by number is confirmed first.
    let (reply, outcome) = chat.say("2");
    assert_eq!(
        reply,
        "Czy na pewno odwołać wizytę w czwartek, 26 listopada, o 9:00 — Zameldowanie lub \
         wymeldowanie (CCCCCC)? Napisz „tak”, aby ją odwołać, albo „nie”, aby ją zostawić."
    );
    assert!(
        outcome.effects.iter().all(|e| !matches!(e, Effect::Booking(BookingChange::SetStatus { .. }))),
        "{:?}",
        outcome.effects
    );
    let (reply, outcome) = chat.say("tak");
    assert!(reply.contains("Wizyta w czwartek, 26 listopada, o 9:00 (Zameldowanie lub wymeldowanie, kod CCCCCC) została odwołana"), "{reply}");
    assert!(
        matches!(&outcome.effects[..], [Effect::Booking(BookingChange::SetStatus { code, status: VisitStatus::Cancelled, .. })] if code == "CCCCCC")
    );
    let (reply, _) = chat.say("zmień termin aaaaaa");
    assert!(reply.contains("Zmieniamy termin wizyty ze środy, 25 listopada, godz. 9:00."), "{reply}");
    let (reply, outcome) = chat.say("1");
    assert!(reply.contains("Termin wizyty został zmieniony"), "{reply}");
    assert!(reply.contains("Kod wizyty (bez zmian): AAAAAA"), "{reply}");
    assert!(
        matches!(&outcome.effects[0], Effect::Booking(BookingChange::Move { code, .. }) if code == "AAAAAA")
    );
}

#[test]
fn reminders_go_out_for_standing_visits_only() {
    let chat = Chat::new();
    let start = warsaw(2026, 11, 25, 9, 0);
    let job = Job::Booking(BookingJob::Reminder { code: "AAAAAA".into(), start });
    let standing = JobContext::Visit(Some(visit("AAAAAA", start)));
    let fired = chat.bot.handle_job(&job, &standing, start - Duration::days(1));
    let text = texts(&fired);
    assert!(
        text.starts_with(
            "Przypomnienie: w środę, 25 listopada, o 9:00 masz wizytę w Urzędzie Gminy Przykładowo"
        ),
        "{text}"
    );
    assert!(text.contains("odwołaj AAAAAA"), "{text}");
    let mut cancelled = visit("AAAAAA", start);
    cancelled.status = VisitStatus::Cancelled;
    let context = JobContext::Visit(Some(cancelled));
    assert!(chat.bot.handle_job(&job, &context, start - Duration::days(1)).actions.is_empty());
    let moved = JobContext::Visit(Some(visit("AAAAAA", start + Duration::days(1))));
    assert!(chat.bot.handle_job(&job, &moved, start - Duration::days(1)).actions.is_empty());
}

#[test]
fn english_speakers_book_in_english() {
    let mut chat = Chat::new();
    let (reply, _) = chat.say("I would like to book an appointment for vehicle registration");
    assert!(reply.starts_with("Vehicle registration — the earliest free times:"), "{reply}");
    assert!(reply.contains("1. Tuesday, 24 November at 07:35"), "{reply}");
    let (reply, _) = chat.say("1");
    assert!(reply.contains("Your visit is booked"), "{reply}");
    assert!(reply.contains("• proof of ownership"), "{reply}");
}

#[test]
fn a_full_window_is_said_plainly_in_good_polish() {
    let mut chat = Chat::with_office(&DEMO_OFFICE.replace("window_days = 14", "window_days = 1"));
    let Some(clerk) =
        Office::parse(DEMO_OFFICE).unwrap().clerks.into_iter().find(|c| c.user_id == "@zielinski:localhost")
    else {
        panic!()
    };
    // Tuesday 24 November, the only day in the window: Zieliński (USC) is booked solid.
    chat.view.busy.push(szpon_bots::booking::Busy {
        clerk: clerk.user_id,
        start: warsaw(2026, 11, 24, 0, 0),
        end: warsaw(2026, 11, 25, 0, 0),
    });
    let (reply, _) = chat.say("wizyta odpis aktu");
    assert!(
        reply.starts_with(
            "Niestety, na najbliższy dzień nie ma już wolnych terminów na „Odpis aktu stanu cywilnego”."
        ),
        "{reply}"
    );
    let mut chat = Chat::new();
    // The office is closed on Saturdays: that is said, with the nearest times instead.
    let (reply, _) = chat.say("wizyta odpis aktu w sobotę");
    assert!(reply.starts_with("W sobotę, 28 listopada, urząd jest nieczynny.\n"), "{reply}");
}

#[test]
fn a_citizen_holds_at_most_three_visits_and_is_told_how_to_free_one() {
    let mut chat = Chat::new();
    chat.say("wizyta zameldowanie");
    // Two visits already held when the dialogue started; a third comes from another chat
    // before this one is confirmed.
    chat.view.own_visits = vec![
        visit("AAAAAA", warsaw(2026, 11, 25, 9, 0)),
        visit("BBBBBB", warsaw(2026, 11, 26, 9, 0)),
        visit("CCCCCC", warsaw(2026, 11, 27, 9, 0)),
    ];
    let (reply, outcome) = chat.say("1");
    assert!(reply.contains("Masz już 3 zaplanowane wizyty"), "{reply}");
    assert!(reply.contains("(BBBBBB)"), "{reply}");
    assert!(reply.contains("odwołaj"), "{reply}");
    assert!(
        !outcome.effects.iter().any(|e| matches!(e, Effect::Booking(BookingChange::Book(_)))),
        "{:?}",
        outcome.effects
    );
    let (reply, _) = chat.say("chcę umówić wizytę na rejestrację samochodu");
    assert!(reply.contains("Masz już 3 zaplanowane wizyty"), "{reply}");
    // Moving a visit is not a new one.
    let (reply, _) = chat.say("zmień termin aaaaaa");
    assert!(reply.contains("Zmieniamy termin wizyty"), "{reply}");
    let (reply, outcome) = chat.say("1");
    assert!(reply.contains("Termin wizyty został zmieniony"), "{reply}");
    assert!(
        matches!(&outcome.effects[0], Effect::Booking(BookingChange::Move { code, .. }) if code == "AAAAAA")
    );
    // A cancelled one frees its place.
    chat.view.own_visits[2].status = VisitStatus::Cancelled;
    let (reply, _) = chat.say("wizyta zameldowanie");
    assert!(!reply.contains("Masz już"), "{reply}");
}

/// Short Polish without diacritics in the middle of a booking once flipped the rest of the
/// dialogue into English. The language holds until the dialogue ends, and only a clear change
/// (or `!język`) changes it afterwards.
#[test]
fn the_language_of_a_dialogue_holds_to_its_end() {
    let mut chat = Chat::new();
    let (reply, _) = chat.say("Dzień dobry, chcę umówić wizytę w sprawie dowodu osobistego");
    assert!(reply.starts_with("Dowód osobisty — złożenie wniosku — najbliższe wolne terminy:"), "{reply}");
    let (reply, _) = chat.say("a moze we wtorek kolo 10?");
    assert!(!reply.contains("earliest") && !reply.contains("Done"), "{reply}");
    let (reply, _) = chat.say("Hello, I would like to book a visit please");
    assert!(!reply.contains("earliest") && !reply.contains("Done"), "still the Polish dialogue: {reply}");
    assert!(reply.contains("najbliższe wolne terminy") || reply.contains("W jakiej sprawie"), "{reply}");
    assert_eq!(chat.person.detected_language, Some(szpon_bots::Lang::Pl));

    // With no dialogue open, a message clearly in English is answered in English; a short
    // Polish one without diacritics brings no flip back and forth.
    let mut chat = Chat::new();
    let (reply, _) = chat.say("dzień dobry");
    assert!(!reply.is_empty());
    let (_, _) = chat.say("a moze jutro");
    assert_eq!(chat.person.detected_language, Some(szpon_bots::Lang::Pl));
    let (reply, _) = chat.say("Hello, what are the opening hours of the office please?");
    assert_eq!(chat.person.detected_language, Some(szpon_bots::Lang::En), "{reply}");
}

/// "nie", "nieważne", "stop", "anuluj" and "rezygnuję" end whatever question is open, in words
/// that fit it; with nothing open, "anuluj" starts nothing.
#[test]
fn exit_words_end_the_open_question_and_start_nothing() {
    let mut chat = Chat::new();
    let (reply, outcome) = chat.say("anuluj");
    assert!(reply.starts_with("Nie ma teraz żadnego otwartego pytania"), "{reply}");
    assert!(outcome.effects.is_empty() && chat.person.dialogue.is_none());

    chat.view.own_visits =
        vec![visit("AAAAAA", warsaw(2026, 11, 25, 9, 0)), visit("CCCCCC", warsaw(2026, 11, 26, 9, 0))];
    for refusal in ["nie, nic nie odwołuj", "stop", "Nieważne.", "rezygnuję", "anuluj"] {
        // A minute apart, as a person writes: the flood limit has its own tests.
        chat.now += Duration::minutes(1);
        let (reply, _) = chat.say("odwołaj wizytę");
        assert!(reply.contains("Którą wizytę odwołać?"), "{reply}");
        let (reply, outcome) = chat.say(refusal);
        assert_eq!(reply, "Dobrze, niczego nie odwołuję: Twoje wizyty zostają bez zmian.", "{refusal}");
        assert!(
            outcome.effects.iter().all(|e| !matches!(e, Effect::Booking(BookingChange::SetStatus { .. }))),
            "{refusal}"
        );
        assert!(chat.person.dialogue.is_none(), "{refusal}");
    }
    chat.now += Duration::minutes(1);
    let (reply, _) = chat.say("zmień termin aaaaaa");
    assert!(reply.contains("Zmieniamy termin wizyty"), "{reply}");
    let (reply, _) = chat.say("nie, jednak zostawiam");
    assert_eq!(reply, "Dobrze, termin zostaje bez zmian.");
    // "nie pasuje, inny termin" still asks within the question.
    let (reply, _) = chat.say("chcę umówić wizytę w sprawie dowodu osobistego");
    assert!(reply.contains("najbliższe wolne terminy"), "{reply}");
    let (reply, _) = chat.say("nie pasuje mi, inny termin");
    assert!(!reply.starts_with("Dobrze, przerywam"), "{reply}");
    let (reply, _) = chat.say("nie");
    assert!(reply.starts_with("Dobrze, przerywam."), "{reply}");
}

/// "koło 10" and "między 10 a 12" narrow the offers; narrowing adds up ("we wtorek", then
/// "po 10" is Tuesday after 10); a day the office is closed is said so, with the nearest times.
#[test]
fn times_are_narrowed_as_people_say_them() {
    let mut chat = Chat::new();
    let (reply, _) = chat.say("chcę umówić wizytę w sprawie dowodu osobistego");
    assert!(reply.contains("1. wtorek, 24 listopada, godz. 8:00"), "{reply}");
    let (reply, _) = chat.say("a moze w czwartek kolo 10?");
    assert!(reply.contains("1. czwartek, 26 listopada, godz. 9:00"), "{reply}");
    assert!(!reply.contains("godz. 11:"), "{reply}");
    let (reply, _) = chat.say("między 13 a 15");
    assert!(reply.contains("1. czwartek, 26 listopada, godz. 13:00"), "the day stays: {reply}");
    assert!(!reply.contains("godz. 15:") && !reply.contains("27 listopada"), "{reply}");

    let mut chat = Chat::new();
    chat.say("chcę umówić wizytę w sprawie dowodu osobistego");
    let (reply, _) = chat.say("we wtorek");
    assert!(reply.contains("1. wtorek, 24 listopada, godz. 8:00"), "{reply}");
    let (reply, _) = chat.say("po 10");
    assert!(reply.contains("1. wtorek, 24 listopada, godz. 10:00"), "Tuesday after 10: {reply}");
    assert!(!reply.contains("23 listopada") && !reply.contains("godz. 9:"), "{reply}");

    let (reply, _) = chat.say("w niedzielę");
    assert!(reply.starts_with("W niedzielę, 29 listopada, urząd jest nieczynny.\n"), "{reply}");
    assert!(reply.contains("najbliższe wolne terminy"), "{reply}");
}

#[test]
fn an_online_visit_opens_its_video_call_as_it_starts() {
    let office = Arc::new(Office::parse(DEMO_OFFICE).unwrap());
    let config = BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina")
        .with_office(Some(office))
        .with_calls(true);
    let bot = OfficeBot::new(config);
    let start = warsaw(2026, 11, 25, 9, 0);
    let online = Visit { service: "odpady".into(), ..visit("BBBBBB", start) };
    let job = Job::Booking(BookingJob::Reminder { code: "BBBBBB".into(), start });
    let context = JobContext::Visit(Some(online.clone()));
    let fired = bot.handle_job(&job, &context, start);
    let calls: Vec<_> = fired
        .actions
        .iter()
        .filter_map(|action| match action {
            Action::Call { room_id, call } => Some((room_id.as_str(), call.clone())),
            _ => None,
        })
        .collect();
    use szpon_bots::calls::CallAction;
    assert_eq!(
        calls,
        [
            (
                "!dm:localhost",
                CallAction::Start {
                    by: owned_user_id!("@jan:localhost"),
                    lang: szpon_bots::Lang::Pl,
                    visit: Some("BBBBBB".into())
                }
            ),
            (
                "!dm:localhost",
                CallAction::Ticket {
                    user: owned_user_id!("@urzednik:localhost"),
                    lang: szpon_bots::Lang::Pl,
                    quiet: false
                }
            ),
        ]
    );
    // A visit at the desk gets no call, nor does one that was cancelled or is over.
    let at_desk = JobContext::Visit(Some(visit("BBBBBB", start)));
    assert!(bot.handle_job(&job, &at_desk, start).actions.is_empty());
    let over = bot.handle_job(&job, &context, start + Duration::minutes(15));
    assert!(over.actions.is_empty());
    let cancelled = Visit { status: VisitStatus::Cancelled, ..online };
    let context = JobContext::Visit(Some(cancelled));
    assert!(bot.handle_job(&job, &context, start).actions.is_empty());
}
