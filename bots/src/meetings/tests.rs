use chrono::TimeZone;
use ruma::{owned_room_id, owned_user_id, room_id, user_id};

use super::*;

const ZONE: Tz = chrono_tz::Europe::Warsaw;

/// Tuesday, 24 November 2026, 10:00 in Warsaw.
fn tuesday_ten() -> DateTime<Utc> {
    ZONE.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap().to_utc()
}

fn desk<'a>(view: &'a MeetingsView, sender: &'a UserId, power: i64) -> MeetingDesk<'a> {
    MeetingDesk {
        room: room_id!("!zespol:localhost"),
        sender,
        power,
        view,
        zone: ZONE,
        now: tuesday_ten(),
        lang: Lang::Pl,
    }
}

fn schedule(text: &str) -> MeetingTurn {
    let view = MeetingsView { next_number: 3, ..MeetingsView::default() };
    desk(&view, user_id!("@anna:localhost"), 0).handle(&MeetingCommand::Schedule(text.into()))
}

fn said(turn: &MeetingTurn) -> Vec<String> {
    turn.actions
        .iter()
        .map(|action| match action {
            Action::SendNotice { notice, .. } => notice.plain.clone(),
            Action::SendPoll { question, choices, .. } => {
                let ids: Vec<&str> = choices.iter().map(|c| c.id.as_str()).collect();
                format!("POLL {question} {}", ids.join(" "))
            }
            other => format!("{other:?}"),
        })
        .collect()
}

fn meeting(number: i64) -> Meeting {
    let start = ZONE.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap().to_utc();
    Meeting {
        room_id: owned_room_id!("!zespol:localhost"),
        number,
        title: "Narada zespołu".into(),
        start,
        end: start + Duration::minutes(45),
        organizer: owned_user_id!("@anna:localhost"),
        lang: Lang::Pl,
        created_at: tuesday_ten(),
        cancelled_at: None,
        video_link: None,
    }
}

#[test]
fn commands_in_both_languages() {
    assert_eq!(parse_meeting_command("!spotkania"), Some(MeetingCommand::List));
    assert_eq!(parse_meeting_command("!meetings"), Some(MeetingCommand::List));
    assert_eq!(parse_meeting_command("!spotkanie"), Some(MeetingCommand::List));
    assert_eq!(
        parse_meeting_command("!spotkanie jutro o 10 Narada"),
        Some(MeetingCommand::Schedule("jutro o 10 Narada".into()))
    );
    assert_eq!(parse_meeting_command("!spotkanie odwołaj 2"), Some(MeetingCommand::Cancel(Some(2))));
    assert_eq!(parse_meeting_command("!meeting cancel #2"), Some(MeetingCommand::Cancel(Some(2))));
    assert_eq!(parse_meeting_command("!spotkanie odwołaj dwa"), Some(MeetingCommand::Cancel(None)));
    assert_eq!(parse_meeting_command("!zadanie x"), None);
}

#[test]
fn a_meeting_is_announced_with_a_poll_and_reminders_before_and_at_the_start() {
    let turn = schedule("jutro o 10 Narada zespołu 45 min");
    assert_eq!(
        said(&turn),
        [
            "Spotkanie nr 3 „Narada zespołu”: środa, 25 listopada, 10:00–10:45. Odpowiedz w ankiecie \
             poniżej, czy będziesz. Przypomnę 15 minut przed początkiem.",
            "POLL Czy będziesz na spotkaniu „Narada zespołu” (środa, 25 listopada, 10:00–10:45)? \
             meeting:3:yes meeting:3:no meeting:3:maybe",
        ]
    );
    let start = ZONE.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap().to_utc();
    let scheduled: Vec<(MeetingAlert, DateTime<Utc>)> = turn
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Schedule { job: Job::Meeting(MeetingJob::Alert { alert, .. }), due } => {
                Some((*alert, *due))
            }
            _ => None,
        })
        .collect();
    assert_eq!(scheduled, [(MeetingAlert::Soon, start - SOON_BEFORE), (MeetingAlert::Start, start)]);
    assert!(matches!(
        &turn.effects[0],
        Effect::Meeting(MeetingChange::Schedule(m)) if m.end == start + Duration::minutes(45)
    ));
}

#[test]
fn an_hour_is_the_default_length_and_bad_times_get_clear_answers() {
    let turn = schedule("w piątek o 13:30 Szkolenie BHP");
    assert!(said(&turn)[0].contains("piątek, 27 listopada, 13:30–14:30"), "{:?}", said(&turn));
    let cases = [
        ("Narada zespołu", "Kiedy ma być spotkanie?"),
        ("jutro Narada", "O której ma być spotkanie?"),
        ("jutro o 10", "Spotkanie potrzebuje tematu"),
        ("jutro o 10 Narada 13 h", "Spotkanie może trwać od 5 minut do 12 godzin, a podano 780 min."),
        ("co poniedziałek o 9 Narada", "Na razie planuję pojedyncze spotkania."),
        ("dziś o 9 Narada", "Ten termin już minął."),
    ];
    for (text, answer) in cases {
        let turn = schedule(text);
        assert!(turn.effects.is_empty(), "{text}");
        assert!(said(&turn)[0].starts_with(answer), "{text}: {:?}", said(&turn));
    }
}

#[test]
fn votes_name_their_meeting() {
    assert_eq!(Rsvp::from_poll_answer("meeting:7:maybe"), Some((7, Rsvp::Maybe)));
    assert_eq!(Rsvp::from_poll_answer(&Rsvp::Yes.poll_answer_id(12)), Some((12, Rsvp::Yes)));
    for bad in ["meeting:0:yes", "meeting:x:yes", "meeting:3:perhaps", "rating:3:5", "meeting:3"] {
        assert_eq!(Rsvp::from_poll_answer(bad), None, "{bad}");
    }
}

#[test]
fn only_the_organizer_or_a_moderator_cancels_and_the_coming_are_told() {
    let mut answers = Answers::default();
    answers.add(owned_user_id!("@ewa:localhost"), Rsvp::Yes);
    answers.add(owned_user_id!("@piotr:localhost"), Rsvp::No);
    let view = MeetingsView { named: Some((meeting(2), answers)), ..MeetingsView::default() };
    let refused = desk(&view, user_id!("@piotr:localhost"), 0).handle(&MeetingCommand::Cancel(Some(2)));
    assert!(refused.effects.is_empty());
    assert!(said(&refused)[0].starts_with("Spotkanie nr 2 może odwołać osoba"));
    let turn = desk(&view, user_id!("@kierownik:localhost"), 50).handle(&MeetingCommand::Cancel(Some(2)));
    assert_eq!(said(&turn), ["Odwołano spotkanie nr 2 „Narada zespołu” (środa, 25 listopada, 10:00–10:45)."]);
    let Action::SendNotice { notice, .. } = &turn.actions[0] else { panic!("a notice") };
    assert_eq!(notice.mentions, [owned_user_id!("@ewa:localhost")]);
    assert!(matches!(turn.effects[..], [Effect::Meeting(MeetingChange::Cancel { number: 2, .. })]));
    let missing = desk(&view, user_id!("@anna:localhost"), 0).handle(&MeetingCommand::Cancel(Some(9)));
    assert!(said(&missing)[0].starts_with("W tym pokoju nie ma spotkania nr 9."));
}

#[test]
fn reminders_mention_who_comes_and_a_cancelled_or_moved_meeting_says_nothing() {
    let mut answers = Answers::default();
    answers.add(owned_user_id!("@ewa:localhost"), Rsvp::Yes);
    answers.add(owned_user_id!("@piotr:localhost"), Rsvp::Maybe);
    answers.add(owned_user_id!("@jan:localhost"), Rsvp::No);
    let held = (meeting(1), answers);
    let start = held.0.start;
    let soon = meeting_alert(Some(&held), MeetingAlert::Soon, start, ZONE, start - SOON_BEFORE).unwrap();
    assert_eq!(
        soon.plain,
        "Za 15 minut spotkanie nr 1 „Narada zespołu” (środa, 25 listopada, 10:00–10:45).\n\
         @ewa:localhost, @piotr:localhost"
    );
    assert_eq!(soon.mentions.len(), 2);
    let link = Some("https://wideo.urzad.example/r/1".to_owned());
    let with_call = (Meeting { video_link: link, ..held.0.clone() }, held.1.clone());
    let started = meeting_alert(Some(&with_call), MeetingAlert::Start, start, ZONE, start).unwrap();
    assert!(
        started.plain.contains("\nDołącz do rozmowy wideo: https://wideo.urzad.example/r/1\n"),
        "{}",
        started.plain
    );
    let cancelled = (Meeting { cancelled_at: Some(tuesday_ten()), ..held.0.clone() }, held.1.clone());
    assert_eq!(meeting_alert(Some(&cancelled), MeetingAlert::Start, start, ZONE, start), None);
    assert_eq!(
        meeting_alert(Some(&held), MeetingAlert::Start, start + Duration::hours(1), ZONE, start),
        None
    );
    assert_eq!(meeting_alert(None, MeetingAlert::Start, start, ZONE, start), None);
    // After downtime: no "in 15 minutes" once it started, no "starting" once it ended.
    assert_eq!(
        meeting_alert(Some(&held), MeetingAlert::Soon, start, ZONE, start + Duration::minutes(1)),
        None
    );
    assert!(
        meeting_alert(Some(&held), MeetingAlert::Start, start, ZONE, start + Duration::minutes(30)).is_some()
    );
    assert_eq!(meeting_alert(Some(&held), MeetingAlert::Start, start, ZONE, held.0.end), None);
}

#[test]
fn a_meeting_gets_the_offices_video_call_as_it_starts() {
    let held = (meeting(1), Answers::default());
    let start = held.0.start;
    let context = crate::JobContext::Meeting(Some(held.clone()));
    let job =
        |alert| Job::Meeting(MeetingJob::Alert { room_id: held.0.room_id.clone(), number: 1, alert, start });
    let with_calls = crate::OfficeBot::new(
        crate::BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina").with_calls(true),
    );
    let started = with_calls.handle_job(&job(MeetingAlert::Start), &context, start);
    let call = crate::calls::CallAction::Start {
        by: owned_user_id!("@anna:localhost"),
        lang: Lang::Pl,
        visit: None,
    };
    assert_eq!(started.actions[1], Action::Call { room_id: held.0.room_id.clone(), call });
    let soon = with_calls.handle_job(&job(MeetingAlert::Soon), &context, start - SOON_BEFORE);
    assert_eq!(soon.actions.len(), 1, "the reminder before it starts no call");
    let without = crate::OfficeBot::new(crate::BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina"));
    assert_eq!(
        without.handle_job(&job(MeetingAlert::Start), &context, start).actions.len(),
        1,
        "no Janus, no call"
    );
    let linked = (Meeting { video_link: Some("https://wideo.example/1".into()), ..held.0.clone() }, held.1);
    let own_link = crate::JobContext::Meeting(Some(linked));
    assert_eq!(
        with_calls.handle_job(&job(MeetingAlert::Start), &own_link, start).actions.len(),
        1,
        "its own link"
    );
}
