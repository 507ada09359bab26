//! The clerk's side on simulated time: agenda, queue calling, leave, hours and feeds.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use ruma::{OwnedRoomId, OwnedUserId, owned_event_id, owned_user_id};
use szpon_bots::{
    Action, BotConfig, Input, Lang, MessageContent, OfficeBot, Outcome, Person, RoomKind, Route, UserMessage,
    booking::{
        BookingChange, BookingView, DEMO_OFFICE, Dialogue, Effect, Feed, Office, Visit, VisitStatus,
        VisitTime,
    },
    learning::DirectMessage,
};

fn warsaw(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

const CLERK_ROOM: &str = "!ewidencja:localhost";

fn bot() -> OfficeBot {
    let source = DEMO_OFFICE.replacen(
        "name_en = \"Residents' register and ID cards\"",
        &format!("name_en = \"Residents' register and ID cards\"\nroom = \"{CLERK_ROOM}\""),
        1,
    );
    let office = Arc::new(Office::parse(&source).unwrap());
    OfficeBot::new(
        BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina")
            .with_office(Some(office))
            .with_web_url("https://urzad.example.pl"),
    )
}

fn visit(
    code: &str,
    citizen: &str,
    clerk: &str,
    service: &str,
    start: DateTime<Utc>,
    status: VisitStatus,
) -> Visit {
    Visit {
        code: code.into(),
        citizen: OwnedUserId::try_from(citizen).unwrap(),
        room_id: OwnedRoomId::try_from(format!("!dm-{code}:localhost")).unwrap(),
        service: service.into(),
        time: VisitTime {
            clerk: OwnedUserId::try_from(clerk).unwrap(),
            start,
            end: start + Duration::minutes(20),
            held_from: start,
            held_until: start + Duration::minutes(25),
        },
        status,
        lang: Lang::Pl,
        checked_in_at: None,
    }
}

/// Tuesday 24 November 2026 in Warsaw: Anna (ewidencja) works 8–16.
fn today(h: u32, m: u32) -> DateTime<Utc> {
    warsaw(2026, 11, 24, h, m)
}

fn agenda() -> Vec<Visit> {
    vec![
        visit(
            "AAAAAA",
            "@jan:localhost",
            "@urzednik:localhost",
            "dowod-osobisty",
            today(8, 0),
            VisitStatus::Booked,
        ),
        visit(
            "CCCCCC",
            "@ola:localhost",
            "@urzednik:localhost",
            "meldunek",
            today(9, 0),
            VisitStatus::CheckedIn,
        ),
        visit(
            "DDDDDD",
            "@ewa:localhost",
            "@wisniewska:localhost",
            "meldunek",
            today(8, 30),
            VisitStatus::Booked,
        ),
        visit(
            "EEEEEE",
            "@adam:localhost",
            "@kowalski:localhost",
            "prawo-jazdy",
            today(8, 0),
            VisitStatus::CheckedIn,
        ),
    ]
}

fn say(
    sender: &str,
    room: &str,
    kind: RoomKind,
    body: &str,
    view: &BookingView,
    now: DateTime<Utc>,
) -> Outcome {
    common::decide(
        &bot(),
        &message(sender, room, kind, body),
        &Person::default(),
        &common::Held { visits: view.clone(), ..Default::default() },
        now,
    )
}

/// A message as the engine hands it over: a one-to-one room is taken as the sender's private
/// chat (opened with `is_direct`, encrypted).
fn message(sender: &str, room: &str, kind: RoomKind, body: &str) -> Input {
    Input::Message(UserMessage {
        event_id: owned_event_id!("$e"),
        room_id: OwnedRoomId::try_from(room).unwrap(),
        sender: OwnedUserId::try_from(sender).unwrap(),
        room_kind: kind,
        content: MessageContent::Text { body: body.into() },
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: true,
        private_chat: kind == RoomKind::Direct,
        in_reply_to: None,
    })
}

/// Direct messages to a person, with their plain text.
fn direct_notices(outcome: &Outcome) -> Vec<(String, String)> {
    outcome
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Direct { user_id, message: DirectMessage::Notice(notice) } => {
                Some((user_id.to_string(), notice.plain.clone()))
            }
            _ => None,
        })
        .collect()
}

fn clerk_dm(body: &str, view: &BookingView, now: DateTime<Utc>) -> Outcome {
    say("@urzednik:localhost", "!clerk-dm:localhost", RoomKind::Direct, body, view, now)
}

fn notices(outcome: &Outcome) -> Vec<(String, String)> {
    outcome
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::SendNotice { room_id, notice } => Some((room_id.to_string(), notice.plain.clone())),
            _ => None,
        })
        .collect()
}

fn view() -> BookingView {
    BookingView { agenda: agenda(), new_token: "T".repeat(32), ..BookingView::default() }
}

#[test]
fn a_clerk_sees_their_own_day_and_the_department_room_sees_the_department() {
    let out = clerk_dm("!agenda", &view(), today(7, 30));
    let text = &notices(&out)[0].1;
    assert!(text.starts_with("Wizyty — wtorek, 24 listopada — Anna Nowak (pokój 12):"), "{text}");
    assert!(
        text.contains(
            "• 8:00–8:20 Dowód osobisty — złożenie wniosku — @jan:localhost — AAAAAA (zarezerwowana)"
        ),
        "{text}"
    );
    assert!(text.contains("CCCCCC (czeka w kolejce)"), "{text}");
    assert!(!text.contains("DDDDDD") && !text.contains("EEEEEE"), "{text}");
    assert!(text.ends_with("Razem: 2 wizyty."), "{text}");

    let out =
        say("@wisniewska:localhost", CLERK_ROOM, RoomKind::Group, "!agenda dziś", &view(), today(7, 30));
    let text = &notices(&out)[0].1;
    assert!(
        text.starts_with("Wizyty — wtorek, 24 listopada — Ewidencja ludności i dowody osobiste:"),
        "{text}"
    );
    assert!(text.contains("DDDDDD") && text.contains("AAAAAA") && !text.contains("EEEEEE"), "{text}");
    assert!(text.contains("— Maria Wiśniewska"), "{text}");

    let out = clerk_dm("!agenda w piątek", &view(), today(7, 30));
    assert!(notices(&out)[0].1.contains("brak zarezerwowanych wizyt"), "{:?}", notices(&out));
    let out = clerk_dm("!agenda kiedyś", &view(), today(7, 30));
    assert!(notices(&out)[0].1.starts_with("Nie rozpoznaję daty „kiedyś”"), "{:?}", notices(&out));
}

#[test]
fn a_clerk_asks_for_the_agenda_in_words() {
    let input = |body: &str| {
        Input::Message(UserMessage {
            event_id: owned_event_id!("$e"),
            room_id: OwnedRoomId::try_from("!clerk-dm:localhost").unwrap(),
            sender: owned_user_id!("@urzednik:localhost"),
            room_kind: RoomKind::Direct,
            content: MessageContent::Text { body: body.into() },
            sender_power: 0,
            mentions: Vec::new(),
            members_named: Vec::new(),
            room_encrypted: true,
            private_chat: true,
            in_reply_to: None,
        })
    };
    // The engine loads the day the words name before the bot answers.
    let Route::Clerk { from_clerk: true, days, .. } =
        bot().route(&input("kogo mam jutro przyjąć?"), today(7, 30))
    else {
        panic!("a clerk's question about tomorrow is their agenda");
    };
    assert_eq!(days, Some((warsaw(2026, 11, 25, 0, 0), warsaw(2026, 11, 26, 0, 0))));

    let out = clerk_dm("jakie mam dzisiaj wizyty?", &view(), today(7, 30));
    let text = &notices(&out)[0].1;
    assert!(text.starts_with("Wizyty — wtorek, 24 listopada — Anna Nowak (pokój 12):"), "{text}");
    assert!(text.contains("AAAAAA") && !text.contains("DDDDDD"), "{text}");
    let out = clerk_dm("pokaż moją agendę na piątek", &view(), today(7, 30));
    assert_eq!(
        notices(&out)[0].1,
        "piątek, 27 listopada — Anna Nowak (pokój 12): brak zarezerwowanych wizyt."
    );

    // A citizen's same words are about their own visits, never a clerk's agenda.
    let citizen = say(
        "@jan:localhost",
        "!dm:localhost",
        RoomKind::Direct,
        "jakie mam dzisiaj wizyty?",
        &view(),
        today(7, 30),
    );
    assert!(
        notices(&citizen).iter().all(|(_, text)| !text.starts_with("Wizyty —")),
        "{:?}",
        notices(&citizen)
    );
}

#[test]
fn clerk_commands_are_refused_to_citizens_and_in_other_rooms() {
    let out = say("@jan:localhost", "!dm:localhost", RoomKind::Direct, "!agenda", &view(), today(7, 30));
    assert_eq!(
        notices(&out)[0].1,
        "To polecenie jest tylko dla pracowników urzędu. Jeśli chcesz umówić wizytę, napisz „wizyta”."
    );
    assert!(out.effects.is_empty());
    let out = say("@jan:localhost", "!dm:localhost", RoomKind::Direct, "!następny", &view(), today(7, 30));
    assert!(notices(&out)[0].1.starts_with("To polecenie jest tylko dla pracowników"));
    let out =
        say("@urzednik:localhost", "!random:localhost", RoomKind::Group, "!agenda", &view(), today(7, 30));
    assert!(notices(&out)[0].1.starts_with("Polecenia dla pracowników działają"), "{:?}", notices(&out));
}

#[test]
fn queue_calling_checks_in_calls_the_next_and_marks_no_shows() {
    let out = clerk_dm("!przyjęto aaaaaa", &view(), today(7, 55));
    let sent = notices(&out);
    assert_eq!(
        sent[0].1,
        "Przyjęto AAAAAA. W kolejce czekają 2 osoby. Wezwij następną osobę poleceniem „!następny”."
    );
    assert_eq!(
        sent[1],
        (
            "!dm-AAAAAA:localhost".into(),
            "Dziękujemy, jesteś w kolejce. Wezwiemy Cię wiadomością w tym czacie.".into()
        )
    );
    assert!(
        matches!(&out.effects[0], Effect::Booking(BookingChange::SetStatus { code, status: VisitStatus::CheckedIn, .. }) if code == "AAAAAA")
    );

    // Another department's visit, an unknown code, a visit already in the queue.
    assert_eq!(
        notices(&clerk_dm("!przyjęto EEEEEE", &view(), today(7, 55)))[0].1,
        "Wizyta EEEEEE należy do innego działu."
    );
    assert_eq!(
        notices(&clerk_dm("!przyjęto FFFFFF", &view(), today(7, 55)))[0].1,
        "Nie ma dziś wizyty o kodzie FFFFFF."
    );
    assert_eq!(
        notices(&clerk_dm("!przyjęto CCCCCC", &view(), today(7, 55)))[0].1,
        "Wizyta CCCCCC ma status: czeka w kolejce."
    );
    assert!(notices(&clerk_dm("!przyjęto", &view(), today(7, 55)))[0].1.starts_with("Podaj kod wizyty"));

    let out = clerk_dm("!następny", &view(), today(8, 1));
    let sent = notices(&out);
    assert!(
        sent[0].1.starts_with("Wezwano CCCCCC — Zameldowanie lub wymeldowanie (@ola:localhost)."),
        "{sent:?}"
    );
    assert_eq!(
        sent[1],
        ("!dm-CCCCCC:localhost".into(), "Zapraszamy do pokoju 12 — Anna Nowak. Kod wizyty: CCCCCC.".into())
    );
    assert!(matches!(
        &out.effects[0],
        Effect::Booking(BookingChange::SetStatus { status: VisitStatus::Called, .. })
    ));

    let empty = BookingView { agenda: vec![], ..view() };
    assert_eq!(notices(&clerk_dm("!następny", &empty, today(8, 1)))[0].1, "Nikt nie czeka teraz w kolejce.");

    let early = clerk_dm("!nieobecny AAAAAA", &view(), today(8, 5));
    assert_eq!(notices(&early)[0].1, "Nieobecność na wizycie AAAAAA można zaznaczyć od 8:10.");
    assert!(early.effects.is_empty());
    let out = clerk_dm("!nieobecny AAAAAA", &view(), today(8, 15));
    let sent = notices(&out);
    assert_eq!(sent[0].1, "Wizyta AAAAAA oznaczona jako nieobecność; termin jest zwolniony.");
    assert!(sent[1].1.contains("przepadła"), "{sent:?}");
    assert!(matches!(
        &out.effects[0],
        Effect::Booking(BookingChange::SetStatus { status: VisitStatus::NoShow, .. })
    ));
}

#[test]
fn leave_over_booked_visits_tells_the_citizens_and_offers_them_new_times() {
    // Monday: Anna takes Tuesday off; two of her Tuesday visits are still ahead.
    let now = warsaw(2026, 11, 23, 12, 0);
    let out = clerk_dm("!urlop 24.11..25.11", &view(), now);
    let sent = notices(&out);
    assert!(
        sent[0].1.starts_with(
            "Zapisano nieobecność: wtorek, 24 listopada – środa, 25 listopada. 2 osoby (AAAAAA, CCCCCC)"
        ),
        "{sent:?}"
    );
    assert!(matches!(&out.effects[0], Effect::Booking(BookingChange::AddException(e)) if e.to.is_some()));
    let to_jan = sent.iter().find(|(room, _)| room == "!dm-AAAAAA:localhost").unwrap();
    assert!(
        to_jan.1.starts_with(
            "Niestety, wizyta we wtorek, 24 listopada, o 8:00 (Dowód osobisty — złożenie wniosku, kod AAAAAA)"
        ),
        "{}",
        to_jan.1
    );
    assert!(to_jan.1.contains("1. "), "{}", to_jan.1);
    assert!(!to_jan.1.contains("24 listopada, godz. 8:15"), "no times with the absent clerk: {}", to_jan.1);
    let offered = out.effects.iter().find_map(|e| match e {
        Effect::Booking(BookingChange::SetDialogue {
            user_id,
            dialogue: Some(Dialogue::ChoosingTime { moving, offers, .. }),
        }) if user_id == "@jan:localhost" => Some((moving.clone(), offers.clone())),
        _ => None,
    });
    let (moving, offers) = offered.expect("Jan can pick a new time with one number");
    assert_eq!(moving.as_deref(), Some("AAAAAA"));
    assert!(offers.iter().all(|s| s.clerk != "@urzednik:localhost" || s.start >= warsaw(2026, 11, 26, 0, 0)));

    for bad in ["!urlop 3.12..1.12", "!urlop wczoraj..jutro", "!urlop", "!urlop 1.12..3.12..5.12"] {
        let out = clerk_dm(bad, &view(), now);
        assert!(out.effects.is_empty(), "{bad}: {:?}", out.effects);
    }
    assert_eq!(
        notices(&clerk_dm("!urlop 3.12..1.12", &view(), now))[0].1,
        "Koniec okresu jest wcześniej niż początek. Napisz np. „!urlop 1.12..3.12”."
    );
}

#[test]
fn hours_are_shown_and_changed_for_a_day() {
    let now = warsaw(2026, 11, 23, 12, 0);
    let text = notices(&clerk_dm("!godziny", &view(), now))[0].1.clone();
    assert!(text.starts_with("Twój plan pracy:\n• poniedziałek: 08:00-16:00"), "{text}");
    assert!(text.contains("• przerwa: 12:00-12:30"), "{text}");
    let out = clerk_dm("!godziny 24.11 8:45-12:00", &view(), now);
    let sent = notices(&out);
    // AAAAAA at 8:00 no longer fits; CCCCCC at 9:00 does.
    assert!(
        sent[0]
            .1
            .starts_with("Zapisano godziny pracy — wtorek, 24 listopada: 8:45-12:00. Jedna osoba (AAAAAA)"),
        "{sent:?}"
    );
    assert!(
        notices(&clerk_dm("!godziny 24.11 9-12", &view(), now))[0].1.starts_with("Napisz dzień i godziny")
    );
}

#[test]
fn calendar_feeds_have_secret_addresses_shown_once_and_replaced_on_request() {
    let clerk = owned_user_id!("@urzednik:localhost");
    let out = clerk_dm("!kalendarz", &view(), today(7, 0));
    let token = "T".repeat(32);
    assert!(notices(&out)[0].1.contains(&format!("https://urzad.example.pl/kalendarz/{token}.ics")));
    assert!(notices(&out)[0].1.contains("nie pokażę go ponownie"), "{:?}", notices(&out));
    assert!(
        matches!(&out.effects[..], [Effect::Booking(BookingChange::NewFeedToken { feed: Feed::Person(_), holder, .. })] if *holder == clerk)
    );
    let existing = BookingView { feeds_held: vec![Feed::Person(clerk.clone())], ..view() };
    let out = clerk_dm("!kalendarz", &existing, today(7, 0));
    assert!(out.effects.is_empty());
    assert!(!notices(&out)[0].1.contains("/kalendarz/"), "{:?}", notices(&out));
    assert!(
        notices(&out)[0].1.starts_with("Masz już swój adres kalendarza (Twoje wizyty i zadania)."),
        "{:?}",
        notices(&out)
    );
    assert!(notices(&out)[0].1.contains("„!kalendarz nowy”"));
    let out = clerk_dm("!kalendarz nowy", &existing, today(7, 0));
    assert!(
        notices(&out)[0].1.starts_with("Nowy adres kalendarza (Twoje wizyty i zadania):"),
        "{:?}",
        notices(&out)
    );
    assert!(notices(&out)[0].1.contains(&token));
    let out = clerk_dm("!kalendarz dział ewidencja", &existing, today(7, 0));
    assert!(
        matches!(&out.effects[..], [Effect::Booking(BookingChange::NewFeedToken { feed: Feed::Department(d), holder, .. })] if d == "ewidencja" && *holder == clerk)
    );
    let out = clerk_dm("!kalendarz dział usc", &view(), today(7, 0));
    assert_eq!(notices(&out)[0].1, "Nie pracujesz w dziale „usc”.");
}

#[test]
fn agendas_and_feed_addresses_go_only_to_the_clerks_private_chat() {
    // A room with the clerk and the bot alone, not opened as a direct chat: someone may be
    // invited later, or read it from another account. It gets only a word of where it went.
    let mut input = message("@urzednik:localhost", "!two-of-us:localhost", RoomKind::Direct, "!agenda");
    let Input::Message(msg) = &mut input else { unreachable!() };
    msg.private_chat = false;
    let out = common::decide(
        &bot(),
        &input,
        &Person::default(),
        &common::Held { visits: view(), ..Default::default() },
        today(7, 30),
    );
    let said = notices(&out);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].0, "!two-of-us:localhost");
    assert!(said[0].1.contains("prywatnej, szyfrowanej rozmowie"), "{said:?}");
    let private = direct_notices(&out);
    assert_eq!(private.len(), 1, "{private:?}");
    assert_eq!(private[0].0, "@urzednik:localhost");
    assert!(
        private[0].1.starts_with("Wizyty — wtorek, 24 listopada — Anna Nowak (pokój 12):"),
        "{private:?}"
    );

    // The department's room sees the department's day, but a clerk's feed address there is
    // theirs alone.
    let out = say("@wisniewska:localhost", CLERK_ROOM, RoomKind::Group, "!agenda", &view(), today(7, 30));
    assert!(direct_notices(&out).is_empty() && notices(&out)[0].1.starts_with("Wizyty"));
    let out = say("@wisniewska:localhost", CLERK_ROOM, RoomKind::Group, "!kalendarz", &view(), today(7, 30));
    assert!(!notices(&out)[0].1.contains("/kalendarz/"), "{:?}", notices(&out));
    assert!(direct_notices(&out)[0].1.contains(&format!("/kalendarz/{}.ics", "T".repeat(32))));
    assert!(matches!(
        &out.effects[..],
        [Effect::Booking(BookingChange::NewFeedToken { feed: Feed::Department(_), .. })]
    ));
}

#[test]
fn clerks_find_their_commands_in_the_help() {
    let text = notices(&clerk_dm("pomoc", &view(), today(7, 0)))[0].1.clone();
    assert!(text.contains("Polecenia dla pracowników") && text.contains("!następny"), "{text}");
    let out = say("@jan:localhost", "!dm:localhost", RoomKind::Direct, "pomoc", &view(), today(7, 0));
    assert!(!notices(&out)[0].1.contains("Polecenia dla pracowników"));
}
