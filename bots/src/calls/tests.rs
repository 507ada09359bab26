use ruma::{owned_room_id, owned_user_id};

use super::*;

#[test]
fn commands_are_read_with_and_without_diacritics() {
    assert_eq!(parse_call_command("!wideo"), Some(CallCommand::Start));
    assert_eq!(parse_call_command(" !Spotkanie  TERAZ "), Some(CallCommand::Start));
    assert_eq!(parse_call_command("!dołącz"), Some(CallCommand::Join));
    assert_eq!(parse_call_command("!dolacz"), Some(CallCommand::Join));
    assert_eq!(parse_call_command("!zakończ"), Some(CallCommand::End));
    assert_eq!(parse_call_command("!ZAKONCZ"), Some(CallCommand::End));
    assert_eq!(parse_call_command("!spotkanie jutro o 10 Narada"), None, "a meeting, not a call");
    assert_eq!(parse_call_command("wideo"), None);
}

fn desk<'a>(view: &'a CallsView, sender: &'a UserId, power: i64) -> CallDesk<'a> {
    CallDesk { room: ruma::room_id!("!team:example.org"), sender, power, direct: false, view, lang: Lang::Pl }
}

fn active(by: &UserId) -> CallsView {
    CallsView {
        active: Some(ActiveCall {
            id: "abc".to_owned(),
            started_by: by.to_owned(),
            started_at: DateTime::UNIX_EPOCH,
            live: false,
        }),
    }
}

fn notice_text(action: &Action) -> &str {
    match action {
        Action::SendNotice { notice, .. } => &notice.plain,
        other => panic!("not a notice: {other:?}"),
    }
}

#[test]
fn a_call_starts_once_per_room_and_a_second_start_sends_a_link() {
    let ewa = owned_user_id!("@ewa:example.org");
    let none = CallsView::default();
    let started = desk(&none, &ewa, 0).handle(CallCommand::Start);
    assert_eq!(
        started,
        vec![Action::Call {
            room_id: owned_room_id!("!team:example.org"),
            call: CallAction::Start { by: ewa.clone(), lang: Lang::Pl, visit: None },
        }]
    );
    let jan = owned_user_id!("@jan:example.org");
    let running = active(&ewa);
    let again = desk(&running, &jan, 0).handle(CallCommand::Start);
    assert!(matches!(&again[0], Action::Call { call: CallAction::Ticket { user, .. }, .. } if *user == jan));
    assert!(notice_text(&again[1]).contains("czacie prywatnym"), "{again:?}");
}

#[test]
fn only_the_starter_or_a_moderator_ends_a_call() {
    let ewa = owned_user_id!("@ewa:example.org");
    let jan = owned_user_id!("@jan:example.org");
    let running = active(&ewa);
    assert!(notice_text(&desk(&running, &jan, 0).handle(CallCommand::End)[0]).contains("moderator"));
    assert!(matches!(
        desk(&running, &jan, 50).handle(CallCommand::End)[0],
        Action::Call { call: CallAction::End { .. }, .. }
    ));
    assert!(matches!(
        desk(&running, &ewa, 0).handle(CallCommand::End)[0],
        Action::Call { call: CallAction::End { .. }, .. }
    ));
    let none = CallsView::default();
    assert!(notice_text(&desk(&none, &ewa, 100).handle(CallCommand::End)[0]).contains("nie trwa"));
}

#[test]
fn calls_are_made_in_rooms_not_in_the_direct_chat() {
    let ewa = owned_user_id!("@ewa:example.org");
    let none = CallsView::default();
    let mut in_direct = desk(&none, &ewa, 0);
    in_direct.direct = true;
    assert!(notice_text(&in_direct.handle(CallCommand::Start)[0]).contains("w pokoju"));
}

#[test]
fn the_announcement_gives_the_link_and_says_when_the_widget_is_missing() {
    let ewa = ruma::user_id!("@ewa:example.org");
    let with = announcement(Lang::Pl, ewa, "https://szpon.example/rozmowa/abc", true);
    assert!(
        with.plain.contains("https://szpon.example/rozmowa/abc") && with.plain.contains("!dołącz"),
        "{}",
        with.plain
    );
    let without = announcement(Lang::Pl, ewa, "https://szpon.example/rozmowa/abc", false);
    assert!(without.plain.contains("uprawnie"), "{}", without.plain);
    assert!(announcement(Lang::En, ewa, "x", true).plain.contains("video call"));
}

/// A broadcast is said as one: its link is to the broadcast, and its presenter ends it.
#[test]
fn a_broadcast_under_way_is_called_a_broadcast() {
    let trainer = ruma::user_id!("@trenerka:example.org");
    let mut view = active(trainer);
    if let Some(call) = view.active.as_mut() {
        call.live = true;
    }
    let jan = ruma::user_id!("@jan:example.org");
    let joined = desk(&view, jan, 0).handle(CallCommand::Join);
    assert_eq!(
        notice_text(&joined[1]),
        "W tym pokoju trwa transmisja na żywo. Osobisty link do niej wysłałem Ci na czacie prywatnym."
    );
    let refused = desk(&view, jan, 0).handle(CallCommand::End);
    assert_eq!(notice_text(&refused[0]), "Transmisję może zakończyć jej prowadzący albo moderator pokoju.");
}
