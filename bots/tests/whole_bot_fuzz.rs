//! The whole office bot under hostile text: arbitrary Unicode (very long, multi-byte, combining
//! marks, right-to-left, emoji, control characters, empty) from every role, in direct chats and
//! group rooms, as replies to files and to the bot's notices, and as poll answers. No turn may
//! panic, and every message addressed to the bot gets an answer.
//!
//! One message with a cut inside a letter once silenced a whole office; this test is the
//! guard for that class of failure. Cases it finds are kept in
//! `whole_bot_fuzz.proptest-regressions`.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, owned_user_id};
use szpon_bots::{
    Action, BotConfig, Input, MessageContent, OfficeBot, Person, PollVote, RepliedTo, RoomKind, UserMessage,
    booking::{DEMO_OFFICE, Office},
};

static BOT: LazyLock<OfficeBot> = LazyLock::new(|| {
    let office = Arc::new(Office::parse(DEMO_OFFICE).expect("the demo office parses"));
    OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina").with_office(Some(office)))
});

/// The roles of the demo office: a citizen, a clerk, a support agent and a trainer.
const SENDERS: [&str; 4] =
    ["@obywatel:localhost", "@urzednik:localhost", "@wsparcie:localhost", "@trener:localhost"];

fn now() -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap().with_timezone(&Utc)
}

/// Text as hostile as people (and scripts) send: every kind of character, long runs of
/// multi-byte letters, combining marks, right-to-left and bidi controls, emoji with joiners,
/// control characters, and commands with such arguments.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "\\PC{0,40}",
        "[\\u{0}-\\u{1f}\\u{7f}-\\u{9f}]{0,8}",
        "[a\\u{301}\\u{302}\\u{334}\\u{20dd}]{0,30}",
        "[\\u{5d0}-\\u{5ea}\\u{627}-\\u{64a}\\u{200e}\\u{200f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]{0,20}",
        "[\\u{1f600}-\\u{1f64f}\\u{1f3fb}-\\u{1f3ff}\\u{200d}\\u{fe0f}]{0,20}",
        "[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ ]{0,60}",
        "(!agenda|!zadanie|!zadania|!przypisz|!termin|!spotkanie|!kurs|!kursy|!zapisz|!wyniki|!ankieta|!zgłoszenia|!przyjmij|!zamknij|!oddaj|!szablon|!statystyki|!urlop|!godziny|!przyjęto|!kalendarz|!język|!wizyta|odwołaj|zmień termin|pomoc|dalej|ponów|@urzad:localhost|urzad:) ?",
        "[0-9 .:,/-]{0,12}",
        Just("\u{212a}".to_owned()),
        Just(String::new()),
    ];
    prop_oneof![
        8 => prop::collection::vec(piece, 0..8).prop_map(|parts| parts.concat()),
        // Past the length limit, starting with a one-byte letter so that a byte cut lands
        // inside a two-byte one.
        1 => ("\\PC{0,3}", "[żółćęą🙂\\u{301}]{1,4}", 1000usize..1600)
            .prop_map(|(head, unit, times)| format!("{head}{}", unit.repeat(times))),
    ]
}

fn replied_to() -> impl Strategy<Value = Option<RepliedTo>> {
    prop_oneof![
        3 => Just(None),
        1 => hostile_text().prop_map(|text| Some(RepliedTo { bot_text: Some(text), ..event() })),
        1 => hostile_text().prop_map(|text| Some(RepliedTo { file_text: Some(text), ..event() })),
        1 => prop::collection::vec(any::<u8>(), 0..256)
            .prop_map(|bytes| Some(RepliedTo { file_package: Some(bytes), ..event() })),
    ]
}

fn event() -> RepliedTo {
    RepliedTo::event(OwnedEventId::try_from("$replied:localhost").unwrap())
}

fn message(sender: usize, kind: RoomKind, body: String, in_reply_to: Option<RepliedTo>) -> Input {
    Input::Message(UserMessage {
        event_id: OwnedEventId::try_from("$e:localhost").unwrap(),
        room_id: OwnedRoomId::try_from("!room:localhost").unwrap(),
        sender: OwnedUserId::try_from(SENDERS[sender]).unwrap(),
        room_kind: kind,
        content: MessageContent::Text { body },
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: true,
        private_chat: kind == RoomKind::Direct,
        in_reply_to: in_reply_to.map(Box::new),
    })
}

fn answers_in_room(outcome: &szpon_bots::Outcome) -> bool {
    outcome.actions.iter().any(|action| {
        matches!(action, Action::SendNotice { room_id, .. } if room_id.as_str() == "!room:localhost")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// In a direct chat every message is addressed to the bot: each one gets an answer there.
    #[test]
    fn every_direct_message_from_any_role_is_answered(
        sender in 0..SENDERS.len(),
        body in hostile_text(),
        replied in replied_to(),
    ) {
        let input = message(sender, RoomKind::Direct, body, replied);
        let outcome = BOT.handle(&input, &Person::default(), now());
        prop_assert!(answers_in_room(&outcome), "no answer: {:?}", outcome.actions);
    }

    /// In a group room the bot hears only what is addressed to it; a command always gets an
    /// answer, and nothing panics.
    #[test]
    fn group_room_commands_from_any_role_are_answered(
        sender in 0..SENDERS.len(),
        body in hostile_text(),
        replied in replied_to(),
    ) {
        let command = format!("!{}", body.trim_start());
        let input = message(sender, RoomKind::Group, command.clone(), replied.clone());
        let outcome = BOT.handle(&input, &Person::default(), now());
        if command.chars().count() <= BOT.config().max_message_chars {
            prop_assert!(answers_in_room(&outcome), "no answer to {command:?}: {:?}", outcome.actions);
        }
        let input = message(sender, RoomKind::Group, body, replied);
        let _ = BOT.handle(&input, &Person::default(), now());
    }

    /// Poll answers with any ids, from any role, in any room: no panic.
    #[test]
    fn poll_answers_of_any_shape_never_panic(
        sender in 0..SENDERS.len(),
        answers in prop::collection::vec(
            prop_oneof![hostile_text(), "kurs:\\PC{0,10}:[0-9]{0,3}:[0-9]{0,3}:\\PC{0,6}", "(tak|nie|może|spotkanie):\\PC{0,12}"],
            0..4,
        ),
    ) {
        let vote = Input::PollVote(PollVote {
            event_id: OwnedEventId::try_from("$v:localhost").unwrap(),
            room_id: OwnedRoomId::try_from("!room:localhost").unwrap(),
            sender: OwnedUserId::try_from(SENDERS[sender]).unwrap(),
            poll_id: OwnedEventId::try_from("$poll:localhost").unwrap(),
            answers,
        });
        let _ = BOT.handle(&vote, &Person::default(), now());
    }
}

/// The route the engine asks of the bot before a turn reads the same hostile text.
#[test]
fn routing_never_panics_on_hostile_text() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(300));
    runner
        .run(&(0..SENDERS.len(), hostile_text(), replied_to()), |(sender, body, replied)| {
            for kind in [RoomKind::Direct, RoomKind::Group] {
                let input = message(sender, kind, body.clone(), replied.clone());
                let route = BOT.route(&input, now());
                let _ = route.wants_catalogue();
                let _ = BOT.replied_file_needed(&input, &route);
            }
            Ok(())
        })
        .unwrap();
}
