//! The helpdesk on simulated time: answers, handover, the queue, claiming, closing and handing
//! back, and who may do what.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use ruma::{OwnedRoomId, OwnedUserId, owned_event_id, owned_room_id, owned_user_id};
use szpon_bots::{
    Action, BotConfig, Input, Lang, MessageContent, OfficeBot, Outcome, Person, RoomKind, UserMessage,
    booking::{DEMO_OFFICE, Effect, Office},
    helpdesk::{
        HelpdeskChange, HelpdeskView, StaffCommand, Ticket, TicketChange, TicketKind, TicketRef, TicketState,
        parse_staff_command,
    },
    learning::DirectMessage,
};

const TEAM_ROOM: &str = "!wsparcie:localhost";
const CITIZEN_DM: &str = "!dm-jan:localhost";

fn bot() -> OfficeBot {
    let source = DEMO_OFFICE.replacen(
        "[helpdesk]\n",
        &format!(
            "[helpdesk]\nroom = \"{TEAM_ROOM}\"\n"
        ),
        1,
    )
    .replacen(
        "  { user_id = \"@wsparcie:localhost\", name = \"Ewa Zielińska\", lead = true },\n",
        "  { user_id = \"@wsparcie:localhost\", name = \"Ewa Zielińska\", lead = true },\n  { user_id = \"@marek:localhost\", name = \"Marek Nowicki\" },\n  { user_id = \"@ola:localhost\", name = \"Ola Kwiatkowska\" },\n",
        1,
    );
    let office = Arc::new(Office::parse(&source).unwrap());
    assert!(office.helpdesk.as_ref().unwrap().room.is_some());
    OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina").with_office(Some(office)))
}

fn warsaw(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

/// Tuesday 24 November 2026, 10:00 in Warsaw: the support team works.
fn tuesday() -> DateTime<Utc> {
    warsaw(2026, 11, 24, 10, 0)
}

fn input(sender: &str, room: &str, kind: RoomKind, body: &str) -> Input {
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

fn citizen_says(body: &str, person: &Person, view: &HelpdeskView, now: DateTime<Utc>) -> Outcome {
    let input = input("@jan:localhost", CITIZEN_DM, RoomKind::Direct, body);
    common::decide(&bot(), &input, person, &common::Held { tickets: view.clone(), ..Default::default() }, now)
}

fn staff_says(sender: &str, room: &str, kind: RoomKind, body: &str, view: &HelpdeskView) -> Outcome {
    decided_on_tuesday(&input(sender, room, kind, body), view)
}

/// The bot's answer to `input` from someone it knows nothing of, on Tuesday, with these tickets.
fn decided_on_tuesday(input: &Input, view: &HelpdeskView) -> Outcome {
    let held = common::Held { tickets: view.clone(), ..Default::default() };
    common::decide(&bot(), input, &Person::default(), &held, tuesday())
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

fn notice_to(outcome: &Outcome, room: &str) -> String {
    notices(outcome).into_iter().find(|(r, _)| r == room).map(|(_, text)| text).unwrap_or_default()
}

fn changes(outcome: &Outcome) -> Vec<TicketChange> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Helpdesk(HelpdeskChange::Ticket(change)) => Some(change.clone()),
            _ => None,
        })
        .collect()
}

fn ticket(id: i64, state: TicketState, assignee: Option<&str>) -> Ticket {
    Ticket {
        id,
        kind: TicketKind::Chat,
        state,
        citizen: owned_user_id!("@jan:localhost"),
        room_id: OwnedRoomId::try_from(CITIZEN_DM).unwrap(),
        topic: Some("faq/dowod_utrata".into()),
        summary: vec!["zgubiłem dowód".into()],
        lang: Lang::Pl,
        created_at: tuesday() - Duration::minutes(20),
        waiting_since: tuesday() - Duration::minutes(20),
        assignee: assignee.map(|a| OwnedUserId::try_from(a).unwrap()),
        first_response_at: None,
        resolved_at: None,
        first_response_due: None,
        resolution_due: None,
        callback: None,
        satisfaction: None,
    }
}

fn view_of(ticket: Ticket) -> HelpdeskView {
    HelpdeskView {
        active_in_room: ticket.state.is_active().then(|| ticket.clone()),
        named: Some(ticket.clone()),
        queue: vec![ticket],
        next_id: 8,
        ..HelpdeskView::default()
    }
}

#[test]
fn an_answer_asks_whether_it_helped_and_a_no_hands_over_with_a_summary() {
    let empty = HelpdeskView { next_id: 7, ..HelpdeskView::default() };
    let first =
        citizen_says("zgubiłem dowód osobisty, co mam zrobić?", &Person::default(), &empty, tuesday());
    let answer = notice_to(&first, CITIZEN_DM);
    assert!(
        answer
            .ends_with("Czy to pomogło? Jeśli nie, napisz „nie pomogło”, a przekażę rozmowę konsultantowi."),
        "{answer}"
    );
    assert!(changes(&first).is_empty());
    let person = first.person.unwrap();

    let second = citizen_says("nie pomogło", &person, &empty, tuesday());
    let reply = notice_to(&second, CITIZEN_DM);
    assert!(reply.starts_with("Przekazuję rozmowę konsultantowi — to zgłoszenie nr 7."), "{reply}");
    let team = notice_to(&second, TEAM_ROOM);
    assert!(team.starts_with("Nowe zgłoszenie nr 7 od @jan:localhost — utratę dowodu osobistego."), "{team}");
    assert!(team.contains("> zgubiłem dowód osobisty, co mam zrobić?\n> nie pomogło"), "{team}");
    assert!(team.ends_with("Przyjmij: „!przyjmij 7”."), "{team}");
    let [TicketChange::Open(opened)] = &changes(&second)[..] else { panic!("one ticket opened") };
    assert_eq!(
        (opened.id, opened.state, opened.topic.as_deref()),
        (7, TicketState::Pending, Some("faq/dowod_utrata"))
    );
    assert_eq!(opened.room_id.as_str(), CITIZEN_DM);
    // The memory starts afresh after a handover.
    assert!(second.person.unwrap().helpdesk.recent.is_empty());
}

#[test]
fn a_waiting_ticket_is_not_opened_twice() {
    let waiting = view_of(ticket(3, TicketState::Pending, None));
    let out = citizen_says("konsultant", &Person::default(), &waiting, tuesday());
    assert_eq!(
        notice_to(&out, CITIZEN_DM),
        "Twoje zgłoszenie nr 3 już czeka na konsultanta. Dam znać, gdy ktoś je przyjmie; możesz dopisać tu szczegóły."
    );
    assert!(changes(&out).is_empty());
}

#[test]
fn twice_not_understood_goes_to_a_person() {
    let empty = HelpdeskView { next_id: 1, ..HelpdeskView::default() };
    let first = citizen_says("qwrtzp xkcd vbnm", &Person::default(), &empty, tuesday());
    assert!(notice_to(&first, CITIZEN_DM).contains("napisz „konsultant”"), "{:?}", notices(&first));
    assert!(changes(&first).is_empty());
    let second = citizen_says("zzkq plmk ghrt", &first.person.unwrap(), &empty, tuesday());
    assert!(matches!(changes(&second)[..], [TicketChange::Open(_)]), "{:?}", notices(&second));
}

#[test]
fn outside_working_hours_the_citizen_learns_when_the_team_is_back() {
    let empty = HelpdeskView { next_id: 1, ..HelpdeskView::default() };
    // Friday 27 November, 15:30: the team works until 15:00 on Fridays.
    let out = citizen_says(
        "chcę rozmawiać z człowiekiem",
        &Person::default(),
        &empty,
        warsaw(2026, 11, 27, 15, 30),
    );
    let reply = notice_to(&out, CITIZEN_DM);
    assert!(reply.contains("wróci w poniedziałek, 30 listopada, o 8:00."), "{reply}");
    assert!(matches!(changes(&out)[..], [TicketChange::Open(_)]));
    // In English, on the eve of a holiday week-end: back after Christmas.
    let person = Person { chosen_language: Some(Lang::En), ..Person::default() };
    let out = citizen_says("human", &person, &empty, warsaw(2026, 12, 24, 9, 0));
    assert!(
        notice_to(&out, CITIZEN_DM).contains("back on Monday, 28 December, at 08:00."),
        "{:?}",
        notices(&out)
    );
}

#[test]
fn only_agents_claim_and_the_first_claim_wins() {
    let waiting = view_of(ticket(7, TicketState::Pending, None));
    let out = staff_says("@jan:localhost", TEAM_ROOM, RoomKind::Group, "!przyjmij 7", &waiting);
    assert_eq!(notice_to(&out, TEAM_ROOM), "To polecenie jest tylko dla zespołu wsparcia.");
    assert!(changes(&out).is_empty());

    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!przyjmij 7", &waiting);
    let [TicketChange::Claim { id: 7, agent, .. }] = &changes(&out)[..] else {
        panic!("{:?}", changes(&out))
    };
    assert_eq!(agent.as_str(), "@marek:localhost");
    assert_eq!(
        notice_to(&out, CITIZEN_DM),
        "Dołącza do nas konsultant: Marek Nowicki. Możesz pisać jak zwykle — odpowie tutaj."
    );
    assert!(out.actions.contains(&Action::InviteUser {
        room_id: owned_room_id!("!dm-jan:localhost"),
        user_id: owned_user_id!("@marek:localhost"),
    }));
    assert_eq!(notice_to(&out, TEAM_ROOM), "Zgłoszenie nr 7 przyjmuje Marek Nowicki.");

    // The second agent sees the ticket as the store has it after the first claim.
    let taken = view_of(ticket(7, TicketState::Open, Some("@marek:localhost")));
    let out = staff_says("@ola:localhost", TEAM_ROOM, RoomKind::Group, "!przyjmij 7", &taken);
    assert_eq!(notice_to(&out, TEAM_ROOM), "Zgłoszenie nr 7 prowadzi już Marek Nowicki.");
    assert!(changes(&out).is_empty());
}

#[test]
fn the_queue_is_shown_only_where_citizens_cannot_read_it() {
    let view = HelpdeskView {
        queue: vec![
            ticket(7, TicketState::Pending, None),
            ticket(5, TicketState::Open, Some("@ola:localhost")),
        ],
        ..HelpdeskView::default()
    };
    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!zgłoszenia", &view);
    let text = notice_to(&out, TEAM_ROOM);
    assert!(text.starts_with("2 otwarte zgłoszenia:"), "{text}");
    assert!(
        text.contains(
            "• nr 7 — czeka od 9:40 (20 min) — utratę dowodu osobistego — @jan:localhost — „!przyjmij 7”"
        ),
        "{text}"
    );
    assert!(text.contains("• nr 5 — prowadzi Ola Kwiatkowska"), "{text}");

    // Asked in a citizen's conversation, the queue (which names citizens) goes to the agent's
    // private chat; the conversation learns only that it went there.
    let out = staff_says("@marek:localhost", CITIZEN_DM, RoomKind::Group, "!zgłoszenia", &view);
    assert_eq!(
        notice_to(&out, CITIZEN_DM),
        "@marek:localhost, odpowiedź wysłałem Ci w naszej prywatnej, szyfrowanej rozmowie: są w niej dane tylko dla Ciebie."
    );
    let private: Vec<_> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Direct { user_id, message: DirectMessage::Notice(n) }
                if user_id == "@marek:localhost" =>
            {
                Some(n.plain.clone())
            }
            _ => None,
        })
        .collect();
    assert!(private.len() == 1 && private[0].starts_with("2 otwarte zgłoszenia:"), "{private:?}");
    let out = staff_says(
        "@marek:localhost",
        "!marek-dm:localhost",
        RoomKind::Direct,
        "!kolejka",
        &HelpdeskView::default(),
    );
    assert_eq!(notice_to(&out, "!marek-dm:localhost"), "Brak otwartych zgłoszeń.");
    // A room of two that was not opened as a private chat is no place for it either.
    let mut two_of_us = input("@marek:localhost", "!two:localhost", RoomKind::Direct, "!kolejka");
    let Input::Message(message) = &mut two_of_us else { unreachable!() };
    message.private_chat = false;
    let out = decided_on_tuesday(&two_of_us, &view);
    assert!(
        notice_to(&out, "!two:localhost").starts_with("@marek:localhost, odpowiedź wysłałem Ci"),
        "{:?}",
        notices(&out)
    );
    assert!(out.actions.iter().any(|a| matches!(a, Action::Direct { .. })));
}

#[test]
fn closing_removes_the_agent_and_tells_the_citizen() {
    let open = view_of(ticket(7, TicketState::Open, Some("@marek:localhost")));
    let out = staff_says("@ola:localhost", CITIZEN_DM, RoomKind::Group, "!zamknij 7", &open);
    assert!(
        notice_to(&out, CITIZEN_DM).starts_with("Zgłoszenie nr 7 prowadzi Marek Nowicki"),
        "{:?}",
        notices(&out)
    );
    assert!(changes(&out).is_empty());

    // In the citizen's conversation, without a number.
    let out = staff_says("@marek:localhost", CITIZEN_DM, RoomKind::Group, "!zamknij", &open);
    assert!(matches!(changes(&out)[..], [TicketChange::Resolve { id: 7, .. }]));
    assert!(
        notice_to(&out, CITIZEN_DM)
            .starts_with("Konsultant zakończył rozmowę; zgłoszenie nr 7 jest zamknięte.")
    );
    let removal = out
        .actions
        .iter()
        .position(|a| matches!(a, Action::RemoveUser { user_id, .. } if user_id == "@marek:localhost"));
    let goodbye = out
        .actions
        .iter()
        .position(|a| matches!(a, Action::SendNotice { room_id, .. } if room_id == CITIZEN_DM));
    assert!(goodbye < removal && removal.is_some(), "the citizen is told before the agent leaves");
    assert_eq!(notice_to(&out, TEAM_ROOM), "Zgłoszenie nr 7 zamknięte (Marek Nowicki).");

    // The lead may close anyone's ticket; a closed one stays closed.
    let out = staff_says("@wsparcie:localhost", TEAM_ROOM, RoomKind::Group, "!zamknij 7", &open);
    assert!(matches!(changes(&out)[..], [TicketChange::Resolve { id: 7, .. }]));
    let closed = view_of(ticket(7, TicketState::Resolved, Some("@marek:localhost")));
    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!zamknij 7", &closed);
    assert_eq!(notice_to(&out, TEAM_ROOM), "Zgłoszenie nr 7 jest już zamknięte.");
}

#[test]
fn handing_back_to_the_queue_or_to_the_bot() {
    let open = view_of(ticket(7, TicketState::Open, Some("@marek:localhost")));
    let out = staff_says("@marek:localhost", CITIZEN_DM, RoomKind::Group, "!oddaj", &open);
    assert!(matches!(changes(&out)[..], [TicketChange::Release { id: 7, to: TicketState::Pending, .. }]));
    assert!(notice_to(&out, CITIZEN_DM).contains("wraca do kolejki"));
    assert!(out.actions.iter().any(|a| matches!(a, Action::RemoveUser { .. })));

    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!oddaj 7 bot", &open);
    assert!(matches!(changes(&out)[..], [TicketChange::Release { id: 7, to: TicketState::Bot, .. }]));
    assert!(notice_to(&out, CITIZEN_DM).starts_with("Konsultant opuścił rozmowę. Dalej pomagam ja"));
    assert_eq!(notice_to(&out, TEAM_ROOM), "Zgłoszenie nr 7 oddane asystentowi (Marek Nowicki).");
}

#[test]
fn staff_commands_parse_numbers_and_refuse_the_rest() {
    assert_eq!(parse_staff_command("!przyjmij #12"), Some(StaffCommand::Claim(TicketRef::Number(12))));
    assert_eq!(parse_staff_command("!Przyjmij nr 3"), Some(StaffCommand::Claim(TicketRef::Number(3))));
    assert_eq!(parse_staff_command("!zamknij"), Some(StaffCommand::Close(TicketRef::Here)));
    assert_eq!(
        parse_staff_command("!oddaj 4 bot"),
        Some(StaffCommand::Release { ticket: TicketRef::Number(4), to_bot: true })
    );
    assert_eq!(parse_staff_command("!przyjmij abc"), Some(StaffCommand::Claim(TicketRef::Bad("abc".into()))));
    assert_eq!(parse_staff_command("przyjmij 12"), None);
    let out =
        staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!przyjmij abc", &HelpdeskView::default());
    assert_eq!(notice_to(&out, TEAM_ROOM), "„abc” nie jest numerem zgłoszenia. Napisz np. „!przyjmij 12”.");
    let out =
        staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!przyjmij 99", &HelpdeskView::default());
    assert_eq!(notice_to(&out, TEAM_ROOM), "Nie ma zgłoszenia nr 99.");
}

#[test]
fn the_office_file_names_helpdesk_mistakes() {
    let broken = DEMO_OFFICE.replacen("name = \"Ewa Zielińska\"", "name = \" \"", 1);
    let error = Office::parse(&broken).unwrap_err().to_string();
    assert!(error.contains("key `helpdesk.agents[0].name`"), "{error}");
    let broken = DEMO_OFFICE.replacen("friday = [\"08:00-15:00\"] }", "friday = [\"15:00-08:00\"] }", 1);
    let error = Office::parse(&broken).unwrap_err().to_string();
    assert!(error.contains("key `helpdesk.hours.friday[0]`"), "{error}");
    let broken = DEMO_OFFICE.replacen("[helpdesk]\n", "[helpdesk]\nsla = { first_response = \"soon\" }\n", 1);
    let error = Office::parse(&broken).unwrap_err().to_string();
    assert!(error.contains("key `helpdesk.sla.first_response`: \"soon\" is not a duration"), "{error}");
}

#[test]
fn the_help_offers_a_person_and_shows_agents_their_commands() {
    let empty = HelpdeskView::default();
    let citizen = notice_to(&citizen_says("pomoc", &Person::default(), &empty, tuesday()), CITIZEN_DM);
    assert!(citizen.contains("• „konsultant” — rozmowa z pracownikiem urzędu"), "{citizen}");
    assert!(!citizen.contains("!przyjmij"), "{citizen}");
    let agent = staff_says("@marek:localhost", "!marek-dm:localhost", RoomKind::Direct, "pomoc", &empty);
    let text = notice_to(&agent, "!marek-dm:localhost");
    assert!(text.contains("„!przyjmij N” — przejęcie zgłoszenia"), "{text}");
}

fn jobs(outcome: &Outcome) -> Vec<(szpon_bots::Job, DateTime<Utc>)> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Schedule { job, due } => Some((job.clone(), *due)),
            _ => None,
        })
        .collect()
}

#[test]
fn targets_are_counted_in_working_time_and_watched_by_jobs() {
    use szpon_bots::{
        Job,
        helpdesk::{HelpdeskJob, SlaStage},
    };
    let empty = HelpdeskView { next_id: 4, ..HelpdeskView::default() };
    // Tuesday 10:00; targets 1 h and 16 h of a Monday–Friday 8–16 (Friday 8–15) team.
    let out = citizen_says("konsultant", &Person::default(), &empty, tuesday());
    let [TicketChange::Open(ticket)] = &changes(&out)[..] else { panic!("{:?}", changes(&out)) };
    assert_eq!(ticket.first_response_due, Some(warsaw(2026, 11, 24, 11, 0)));
    assert_eq!(
        ticket.resolution_due,
        Some(warsaw(2026, 11, 26, 10, 0)),
        "6 h on Tuesday, 8 on Wednesday, 2 on Thursday"
    );
    let stage = |stage| Job::Helpdesk(HelpdeskJob::TicketSla { id: 4, stage });
    assert_eq!(
        jobs(&out),
        [
            (stage(SlaStage::FirstResponseWarning), warsaw(2026, 11, 24, 10, 45)),
            (stage(SlaStage::FirstResponseBreach), warsaw(2026, 11, 24, 11, 0)),
            (stage(SlaStage::ResolutionWarning), warsaw(2026, 11, 26, 9, 45)),
            (stage(SlaStage::ResolutionBreach), warsaw(2026, 11, 26, 10, 0)),
        ]
    );

    // Friday 14:30: half an hour that day, the other half on Monday morning.
    let out = citizen_says("konsultant", &Person::default(), &empty, warsaw(2026, 11, 27, 14, 30));
    let [TicketChange::Open(ticket)] = &changes(&out)[..] else { panic!() };
    assert_eq!(ticket.first_response_due, Some(warsaw(2026, 11, 30, 8, 30)));
    // Christmas Eve and Christmas are days off: Wednesday 23 December 15:30 runs on to Monday.
    let out = citizen_says("konsultant", &Person::default(), &empty, warsaw(2026, 12, 23, 15, 30));
    let [TicketChange::Open(ticket)] = &changes(&out)[..] else { panic!() };
    assert_eq!(ticket.first_response_due, Some(warsaw(2026, 12, 28, 8, 30)));
}

#[test]
fn alerts_go_to_the_team_only_while_the_ticket_needs_them() {
    use szpon_bots::{
        Job, JobContext,
        helpdesk::{HelpdeskJob, SlaStage},
    };
    let mut waiting = ticket(4, TicketState::Pending, None);
    waiting.first_response_due = Some(warsaw(2026, 11, 24, 11, 0));
    waiting.resolution_due = Some(warsaw(2026, 11, 26, 10, 0));
    let fire = |ticket: &Ticket, stage, now| {
        let context = JobContext::Ticket(Some(ticket.clone()));
        bot().handle_job(&Job::Helpdesk(HelpdeskJob::TicketSla { id: ticket.id, stage }), &context, now)
    };
    let out = fire(&waiting, SlaStage::FirstResponseWarning, warsaw(2026, 11, 24, 10, 45));
    assert_eq!(
        notice_to(&out, TEAM_ROOM),
        "Uwaga: zgłoszenie nr 4 czeka na konsultanta od 65 min; termin pierwszej odpowiedzi mija o 11:00. Przyjmij: „!przyjmij 4”."
    );
    let out = fire(&waiting, SlaStage::FirstResponseBreach, warsaw(2026, 11, 24, 11, 0));
    assert_eq!(
        notice_to(&out, TEAM_ROOM),
        "Przekroczony termin pierwszej odpowiedzi: zgłoszenie nr 4 wciąż czeka (termin minął o 11:00). Kierownictwo zespołu: Ewa Zielińska (@wsparcie:localhost) — proszę o przydzielenie."
    );

    let mut answered = waiting.clone();
    answered.state = TicketState::Open;
    answered.assignee = Some(owned_user_id!("@marek:localhost"));
    answered.first_response_at = Some(warsaw(2026, 11, 24, 10, 50));
    assert!(fire(&answered, SlaStage::FirstResponseBreach, warsaw(2026, 11, 24, 11, 0)).actions.is_empty());
    let out = fire(&answered, SlaStage::ResolutionWarning, warsaw(2026, 11, 26, 9, 45));
    assert_eq!(
        notice_to(&out, TEAM_ROOM),
        "Uwaga: zgłoszenie nr 4 prowadzi Marek Nowicki; termin rozwiązania mija o 10:00."
    );
    let mut resolved = answered.clone();
    resolved.state = TicketState::Resolved;
    assert!(fire(&resolved, SlaStage::ResolutionBreach, warsaw(2026, 11, 26, 10, 0)).actions.is_empty());
}

#[test]
fn canned_replies_are_used_by_agents_and_kept_by_leads() {
    use szpon_bots::helpdesk::CannedReply;
    let view = HelpdeskView {
        templates: vec![CannedReply {
            name: "dowod-utrata".into(),
            body: "Zgłoś utratę dowodu w mObywatelu.".into(),
        }],
        ..HelpdeskView::default()
    };
    let out = staff_says("@marek:localhost", CITIZEN_DM, RoomKind::Group, "!szablon dowod-utrata", &view);
    assert_eq!(
        notice_to(&out, CITIZEN_DM),
        "Zgłoś utratę dowodu w mObywatelu.\n— Marek Nowicki, zespół wsparcia"
    );
    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!szablon dowod-utrata", &view);
    assert!(
        notice_to(&out, TEAM_ROOM).starts_with("Szablon „dowod-utrata”:\n"),
        "a preview where no citizen reads"
    );
    // Typed in a citizen's chat, the list (or a name that is no template) is the agent's alone.
    for command in ["!szablony", "!szablon nieznany"] {
        let out = staff_says("@marek:localhost", CITIZEN_DM, RoomKind::Group, command, &view);
        assert!(
            notice_to(&out, CITIZEN_DM).starts_with("@marek:localhost, odpowiedź wysłałem Ci"),
            "{:?}",
            notices(&out)
        );
        let to_marek =
            |a: &Action| matches!(a, Action::Direct { user_id, .. } if user_id == "@marek:localhost");
        assert!(out.actions.iter().any(to_marek), "{command}");
    }
    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!szablony", &view);
    assert!(notice_to(&out, TEAM_ROOM).starts_with("Jeden szablon:\n• dowod-utrata"), "{:?}", notices(&out));
    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!szablon nieznany", &view);
    assert_eq!(notice_to(&out, TEAM_ROOM), "Nie ma szablonu „nieznany”. Listę pokaże „!szablony”.");

    // Only leads change them.
    let add = "!szablon dodaj powitanie Dzień dobry,\nw czym mogę pomóc?";
    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, add, &view);
    assert_eq!(notice_to(&out, TEAM_ROOM), "Szablony dodaje i usuwa kierownik zespołu.");
    assert!(out.effects.is_empty());
    let out = staff_says("@wsparcie:localhost", TEAM_ROOM, RoomKind::Group, add, &view);
    assert_eq!(notice_to(&out, TEAM_ROOM), "Zapisano szablon „powitanie”.");
    let [
        Effect::Helpdesk(HelpdeskChange::Template(szpon_bots::helpdesk::TemplateChange::Set {
            reply, ..
        })),
    ] = &out.effects[..]
    else {
        panic!("{:?}", out.effects)
    };
    assert_eq!(reply.body, "Dzień dobry,\nw czym mogę pomóc?", "line breaks are kept");
    let out =
        staff_says("@wsparcie:localhost", TEAM_ROOM, RoomKind::Group, "!szablon dodaj <b>x</b> tekst", &view);
    assert!(notice_to(&out, TEAM_ROOM).starts_with("Nazwa szablonu to jedno słowo"));
    let out =
        staff_says("@wsparcie:localhost", TEAM_ROOM, RoomKind::Group, "!szablon usuń dowod-utrata", &view);
    assert!(matches!(
        &out.effects[..],
        [Effect::Helpdesk(HelpdeskChange::Template(szpon_bots::helpdesk::TemplateChange::Delete { .. }))]
    ));
}

#[test]
fn a_citizen_sees_only_their_own_tickets() {
    let mut mine = ticket(3, TicketState::Open, Some("@marek:localhost"));
    mine.created_at = warsaw(2026, 11, 24, 9, 0);
    let view = HelpdeskView {
        own_tickets: vec![mine],
        queue: vec![ticket(9, TicketState::Pending, None)],
        ..HelpdeskView::default()
    };
    let out = citizen_says("!zgłoszenia", &Person::default(), &view, tuesday());
    assert_eq!(
        notice_to(&out, CITIZEN_DM),
        "Twoje zgłoszenia:\n• nr 3 — prowadzi Marek Nowicki (zgłoszone 24 listopada, 9:00)"
    );
    assert!(out.effects.is_empty());
}

#[test]
fn a_callback_request_asks_for_the_number_and_reaches_the_team_with_it() {
    use szpon_bots::helpdesk::{Callback, TicketKind};
    let empty = HelpdeskView { next_id: 5, ..HelpdeskView::default() };
    let first = citizen_says("proszę o telefon", &Person::default(), &empty, tuesday());
    assert_eq!(
        notice_to(&first, CITIZEN_DM),
        "Chętnie zadzwonimy. Podaj proszę numer telefonu i kiedy najlepiej dzwonić, np. „600 123 456, jutro po 14”."
    );
    assert!(changes(&first).is_empty());
    // The number on its own, with a time: a callback ticket.
    let second = citizen_says("600-123-456, jutro po 14", &first.person.unwrap(), &empty, tuesday());
    let [TicketChange::Open(ticket)] = &changes(&second)[..] else { panic!("{:?}", notices(&second)) };
    assert_eq!(ticket.kind, TicketKind::Callback);
    assert_eq!(
        ticket.callback,
        Some(Callback {
            phone: "+48600123456".into(), when: Some("w środę, 25 listopada, po 14:00".into())
        })
    );
    assert_eq!(
        notice_to(&second, CITIZEN_DM),
        "Przyjąłem prośbę o telefon — to zgłoszenie nr 5. Zadzwonimy pod numer 600 123 456, w środę, 25 listopada, po 14:00. Dam znać, gdy ktoś z zespołu wsparcia je przyjmie."
    );
    assert!(
        notice_to(&second, TEAM_ROOM).starts_with(
            "Prośba o telefon nr 5 od @jan:localhost: 600 123 456, w środę, 25 listopada, po 14:00 — "
        ),
        "{}",
        notice_to(&second, TEAM_ROOM)
    );
    // All in one message works too; a stray number later is not a callback.
    let once = citizen_says("zadzwońcie do mnie proszę 501 222 333", &Person::default(), &empty, tuesday());
    assert!(
        matches!(&changes(&once)[..], [TicketChange::Open(t)] if t.callback.as_ref().unwrap().when.is_none())
    );
    let later = citizen_says("ile kosztuje dowód? 501 222 333", &second.person.unwrap(), &empty, tuesday());
    assert!(changes(&later).is_empty());
}

#[test]
fn a_callback_is_claimed_without_an_invitation_and_closed() {
    use szpon_bots::helpdesk::{Callback, TicketKind};
    let mut waiting = ticket(5, TicketState::Pending, None);
    waiting.kind = TicketKind::Callback;
    waiting.callback = Some(Callback { phone: "+48600123456".into(), when: Some("po 14:00".into()) });
    let out =
        staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!przyjmij 5", &view_of(waiting.clone()));
    assert!(!out.actions.iter().any(|a| matches!(a, Action::InviteUser { .. })));
    assert_eq!(
        notice_to(&out, CITIZEN_DM),
        "Marek Nowicki z zespołu wsparcia zadzwoni do Ciebie pod numer 600 123 456."
    );
    let team: Vec<String> =
        notices(&out).into_iter().filter(|(r, _)| r == TEAM_ROOM).map(|(_, t)| t).collect();
    assert_eq!(
        team,
        [
            "Zgłoszenie nr 5 przyjmuje Marek Nowicki.",
            "Zgłoszenie nr 5 jest Twoje: zadzwoń pod 600 123 456, po 14:00. Po rozmowie napisz „!zamknij 5”."
        ]
    );
    let mut claimed = waiting;
    claimed.state = TicketState::Open;
    claimed.assignee = Some(owned_user_id!("@marek:localhost"));
    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!zamknij 5", &view_of(claimed));
    assert!(!out.actions.iter().any(|a| matches!(a, Action::RemoveUser { .. })));
    assert!(notice_to(&out, CITIZEN_DM).starts_with("Prośba o telefon (zgłoszenie nr 5) jest zamknięta."));
}

#[test]
fn old_tickets_are_forgotten_daily_at_three() {
    use szpon_bots::gamification::GamificationJob;
    use szpon_bots::review::ReviewJob;
    use szpon_bots::{Job, JobContext, helpdesk::HelpdeskJob};
    let standing = bot().standing_jobs(tuesday());
    let tomorrow = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let next_monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    // Beside the learners' streak reminders this evening and review nudges, since the office has
    // courses.
    assert_eq!(
        standing,
        [
            Effect::Schedule {
                job: Job::Helpdesk(HelpdeskJob::TicketRetention { day: tomorrow }),
                due: warsaw(2026, 11, 25, 3, 0)
            },
            Effect::Schedule {
                job: Job::Gamification(GamificationJob::StreakReminders { day: today }),
                due: warsaw(2026, 11, 24, 19, 0)
            },
            // Next Monday's weekly summaries.
            Effect::Schedule {
                job: Job::Gamification(GamificationJob::WeeklySummaries { monday: next_monday }),
                due: warsaw(2026, 11, 30, 8, 0)
            },
            // At ten, this morning's review nudge has gone: tomorrow's.
            Effect::Schedule {
                job: Job::Review(ReviewJob::Nudges { day: tomorrow }),
                due: warsaw(2026, 11, 25, 9, 0)
            }
        ]
    );
    let out = bot().handle_job(
        &Job::Helpdesk(HelpdeskJob::TicketRetention { day: tomorrow }),
        &JobContext::default(),
        warsaw(2026, 11, 25, 3, 0),
    );
    let thursday = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    assert_eq!(
        out.effects,
        [
            Effect::Helpdesk(HelpdeskChange::Forget {
                before: warsaw(2026, 11, 25, 3, 0) - Duration::days(365)
            }),
            Effect::Schedule {
                job: Job::Helpdesk(HelpdeskJob::TicketRetention { day: thursday }),
                due: warsaw(2026, 11, 26, 3, 0),
            },
        ]
    );
    assert!(out.actions.is_empty());
    let broken = DEMO_OFFICE.replacen("[helpdesk]\n", "[helpdesk]\nretention_days = 0\n", 1);
    let error = Office::parse(&broken).unwrap_err().to_string();
    assert!(error.contains("key `helpdesk.retention_days`: must be between 1 and 3650 days"), "{error}");
}

#[test]
fn closing_asks_for_a_rating_and_only_the_citizen_gives_it() {
    use szpon_bots::{PollVote, helpdesk::parse_rating};
    let open = view_of(ticket(7, TicketState::Open, Some("@marek:localhost")));
    let out = staff_says("@marek:localhost", CITIZEN_DM, RoomKind::Group, "!zamknij", &open);
    let poll = out.actions.iter().find_map(|a| match a {
        Action::SendPoll { room_id, question, choices, .. } if room_id == CITIZEN_DM => {
            Some((question, choices))
        }
        _ => None,
    });
    let (question, choices) = poll.expect("a satisfaction poll in the citizen's chat");
    assert_eq!(question, "Jak oceniasz pomoc w sprawie zgłoszenia nr 7?");
    let labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["1 — bardzo źle", "2 — źle", "3 — średnio", "4 — dobrze", "5 — bardzo dobrze"]);
    assert_eq!(parse_rating(&choices[4].id), Some((7, 5)));

    let resolved = view_of(ticket(7, TicketState::Resolved, Some("@marek:localhost")));
    let vote = |sender: &str, answer: &str, view: &HelpdeskView| {
        let input = Input::PollVote(PollVote {
            event_id: owned_event_id!("$vote"),
            room_id: OwnedRoomId::try_from(CITIZEN_DM).unwrap(),
            sender: OwnedUserId::try_from(sender).unwrap(),
            poll_id: owned_event_id!("$poll"),
            answers: vec![answer.to_owned()],
        });
        decided_on_tuesday(&input, view)
    };
    let out = vote("@jan:localhost", &choices[3].id, &resolved);
    assert!(matches!(changes(&out)[..], [TicketChange::Rate { id: 7, score: 4, .. }]));
    assert_eq!(notice_to(&out, CITIZEN_DM), "Dziękujemy za ocenę — pomoże nam pracować lepiej.");
    // Someone else's vote, a forged answer, or a ticket still open: nothing.
    assert!(vote("@marek:localhost", &choices[0].id, &resolved).effects.is_empty());
    assert!(vote("@jan:localhost", "ocena-7-9", &resolved).effects.is_empty());
    assert!(vote("@jan:localhost", &choices[0].id, &open).effects.is_empty());
    // A changed vote is recorded without thanking twice.
    let mut rated = ticket(7, TicketState::Resolved, Some("@marek:localhost"));
    rated.satisfaction = Some(4);
    let out = vote("@jan:localhost", &choices[4].id, &view_of(rated));
    assert!(matches!(changes(&out)[..], [TicketChange::Rate { id: 7, score: 5, .. }]));
    assert!(out.actions.is_empty());
}

#[test]
fn leads_see_the_figures_of_the_last_days() {
    // Three tickets this week: answered in 10 and 30 minutes, one still waiting past its target.
    let mut quick = ticket(1, TicketState::Resolved, Some("@marek:localhost"));
    quick.created_at = warsaw(2026, 11, 20, 9, 0);
    quick.first_response_at = Some(warsaw(2026, 11, 20, 9, 10));
    quick.first_response_due = Some(warsaw(2026, 11, 20, 10, 0));
    quick.resolved_at = Some(warsaw(2026, 11, 20, 10, 0));
    quick.satisfaction = Some(5);
    let mut slow = ticket(2, TicketState::Resolved, Some("@ola:localhost"));
    slow.created_at = warsaw(2026, 11, 23, 14, 0);
    slow.first_response_at = Some(warsaw(2026, 11, 23, 14, 30));
    slow.first_response_due = Some(warsaw(2026, 11, 23, 14, 20));
    slow.resolved_at = Some(warsaw(2026, 11, 23, 17, 0));
    slow.satisfaction = Some(4);
    let mut waiting = ticket(3, TicketState::Pending, None);
    waiting.created_at = warsaw(2026, 11, 24, 8, 0);
    waiting.first_response_due = Some(warsaw(2026, 11, 24, 9, 0));
    let view = HelpdeskView {
        period_tickets: [quick, slow, waiting].iter().map(szpon_bots::helpdesk::TicketTimes::from).collect(),
        ..HelpdeskView::default()
    };

    let out = staff_says("@wsparcie:localhost", TEAM_ROOM, RoomKind::Group, "!statystyki", &view);
    let text = notice_to(&out, TEAM_ROOM);
    assert!(
        text.starts_with("Statystyki zgłoszeń — ostatnie 7 dni (18 listopada – 24 listopada):\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "• zgłoszenia: 3 (czat 3, telefon 0); rozwiązane 2, w kolejce 1, w toku 0, oddane asystentowi 0"
        ),
        "{text}"
    );
    assert!(text.contains("• pierwsza odpowiedź: mediana 20 min"), "{text}");
    assert!(text.contains("• rozwiązanie: mediana 2 h"), "{text}");
    assert!(text.contains("• przekroczone terminy: pierwszej odpowiedzi 2, rozwiązania 0"), "{text}");
    assert!(text.contains("• ocena: średnio 4,5 z 5 (2 oceny)"), "{text}");
    assert!(text.contains("• 20.11: 1 / 10 min\n• 21.11: 0 / —"), "{text}");
    assert!(text.ends_with("• 24.11: 1 / —"), "{text}");
    the_chart_shows_the_week(&out);

    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!statystyki", &view);
    assert_eq!(notice_to(&out, TEAM_ROOM), "Statystyki zgłoszeń widzi kierownik zespołu.");
    let out = staff_says("@wsparcie:localhost", CITIZEN_DM, RoomKind::Group, "!statystyki", &view);
    assert!(notice_to(&out, CITIZEN_DM).starts_with("Kolejkę zgłoszeń widać tylko"));
    assert_eq!(parse_staff_command("!statystyki miesiąc"), Some(StaffCommand::Stats { days: 30 }));
    assert_eq!(parse_staff_command("!statystyki 1000 dni"), Some(StaffCommand::Stats { days: 366 }));
    assert_eq!(parse_staff_command("!statystyki dziś"), Some(StaffCommand::Stats { days: 1 }));
}

#[test]
fn a_long_queue_lists_the_longest_waiting_and_counts_the_rest() {
    let queue: Vec<Ticket> = (1..=1000).map(|id| ticket(id, TicketState::Pending, None)).collect();
    let view = HelpdeskView { queue, ..HelpdeskView::default() };
    let out = staff_says("@marek:localhost", TEAM_ROOM, RoomKind::Group, "!zgłoszenia", &view);
    let text = notice_to(&out, TEAM_ROOM);
    assert!(text.starts_with("1000 otwartych zgłoszeń:\n• nr 1 — "), "{}", &text[..80]);
    assert!(text.ends_with("… i 975 kolejnych (najdłużej czekające są wyżej)."), "{text}");
    assert!(text.len() < 8000, "a queue message stays far below the homeserver's 64 KiB limit");
}

/// The picture after the figures: a chart of the seven days, described for those who cannot
/// see it, drawn as a PNG when it is delivered.
fn the_chart_shows_the_week(out: &Outcome) {
    let charts: Vec<(&szpon_bots::chart::DailyChart, &String)> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::SendChart { room_id, chart, caption } if room_id == TEAM_ROOM => Some((chart, caption)),
            _ => None,
        })
        .collect();
    assert_eq!(charts.len(), 1, "{:?}", out.actions);
    let (chart, caption) = charts[0];
    assert_eq!(
        caption,
        "Wykres: zgłoszenia dziennie (słupki) i mediana czasu pierwszej odpowiedzi w minutach (linia z punktami), ostatnie 7 dni (18 listopada – 24 listopada). Najwięcej zgłoszeń: 1 (20.11)."
    );
    let counts: Vec<u32> = chart.days.iter().map(|d| d.count).collect();
    assert_eq!(counts, [0, 0, 1, 0, 0, 1, 1]);
    let seconds: Vec<Option<u32>> = chart.days.iter().map(|d| d.seconds).collect();
    assert_eq!(seconds, [None, None, Some(600), None, None, Some(1800), None]);

    let png = chart.render().expect("the chart draws");
    let decoder = png::Decoder::new(std::io::Cursor::new(png.bytes.as_slice()));
    let mut reader = decoder.read_info().expect("a PNG");
    assert_eq!((reader.info().width, reader.info().height), (png.width, png.height));
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    reader.next_frame(&mut pixels).expect("the pixels");
    let bar = |p: &[u8]| p == [0x1f, 0x5f, 0xa6];
    let line = |p: &[u8]| p == [0xb3, 0x4a, 0x00];
    assert!(pixels.chunks(3).filter(|p| bar(p)).count() > 1000, "three days have a bar");
    assert!(pixels.chunks(3).filter(|p| line(p)).count() > 100, "two days have a first response");
}

#[test]
fn a_number_given_while_the_ticket_waits_goes_on_the_ticket_and_into_the_queue() {
    use szpon_bots::helpdesk::Callback;
    let waiting = view_of(ticket(3, TicketState::Pending, None));
    let out = citizen_says(
        "proszę o telefon 600 123 456 w poniedziałek po 14",
        &Person::default(),
        &waiting,
        tuesday(),
    );
    let callback = Callback {
        phone: "+48600123456".into(),
        when: Some("w poniedziałek, 30 listopada, po 14:00".into()),
    };
    assert_eq!(changes(&out), [TicketChange::AddCallback { id: 3, callback: callback.clone() }]);
    assert_eq!(
        notice_to(&out, CITIZEN_DM),
        "Dopisałem do zgłoszenia nr 3 prośbę o telefon: 600 123 456, w poniedziałek, 30 listopada, po 14:00. \
         Przekazałem to zespołowi wsparcia."
    );
    assert_eq!(
        notice_to(&out, TEAM_ROOM),
        "Zgłoszenie nr 3 od @jan:localhost: prośba o telefon — 600 123 456, w poniedziałek, 30 listopada, po 14:00."
    );

    let mut with_number = ticket(3, TicketState::Pending, None);
    with_number.callback = Some(callback);
    let queue =
        staff_says("@wsparcie:localhost", TEAM_ROOM, RoomKind::Group, "!kolejka", &view_of(with_number));
    let listed = notice_to(&queue, TEAM_ROOM);
    assert!(
        listed.contains(
            "— @jan:localhost — tel. 600 123 456, w poniedziałek, 30 listopada, po 14:00 — „!przyjmij 3”"
        ),
        "{listed}"
    );
}

#[test]
fn a_ticket_is_about_this_conversation_not_an_earlier_answer() {
    let empty = HelpdeskView { next_id: 9, ..HelpdeskView::default() };
    let wedding = citizen_says("jak wziąć ślub cywilny?", &Person::default(), &empty, tuesday());
    let person = wedding.person.unwrap();
    assert_eq!(person.helpdesk.topic.as_deref(), Some("faq/slub"));

    // Hours later, a new conversation: the wedding is not what this ticket is about.
    let later = citizen_says("konsultant", &person, &empty, tuesday() + Duration::hours(3));
    let [TicketChange::Open(opened)] = &changes(&later)[..] else { panic!("{:?}", notices(&later)) };
    assert_eq!(opened.topic, None);
    assert_eq!(opened.summary, ["konsultant"]);

    // Right after it, a question the bot could not answer is what the person needs help with.
    let unclear = citizen_says("qwrtzp xkcd vbnm", &person, &empty, tuesday() + Duration::minutes(2));
    let asked =
        citizen_says("konsultant", &unclear.person.unwrap(), &empty, tuesday() + Duration::minutes(3));
    let [TicketChange::Open(opened)] = &changes(&asked)[..] else { panic!("{:?}", notices(&asked)) };
    assert_eq!(opened.topic, None);
    assert!(
        notice_to(&asked, TEAM_ROOM).contains("> qwrtzp xkcd vbnm\n> konsultant"),
        "{}",
        notice_to(&asked, TEAM_ROOM)
    );

    // A person asked for straight after an answer: that answer's topic stands.
    let asked = citizen_says("konsultant", &person, &empty, tuesday() + Duration::minutes(2));
    let [TicketChange::Open(opened)] = &changes(&asked)[..] else { panic!("{:?}", notices(&asked)) };
    assert_eq!(opened.topic.as_deref(), Some("faq/slub"));
}
