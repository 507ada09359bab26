//! Fuzzing the booking parsers and dialogues with arbitrary input: every input gets an
//! answer or a clean refusal, never a panic.

mod common;

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use ruma::{OwnedEventId, owned_room_id, owned_user_id};
use szpon_bots::{
    BotConfig, Input, MessageContent, OfficeBot, Person, RoomKind, Route, UserMessage,
    booking::{
        BookingView, DEMO_OFFICE, Office,
        clerk::{days_needed, parse_clerk_command},
    },
};

static OFFICE: LazyLock<Arc<Office>> = LazyLock::new(|| Arc::new(Office::parse(DEMO_OFFICE).unwrap()));

fn now() -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap().with_timezone(&Utc)
}

fn bot() -> OfficeBot {
    OfficeBot::new(
        BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina").with_office(Some(OFFICE.clone())),
    )
}

fn message(sender: &str, body: &str) -> Input {
    Input::Message(UserMessage {
        event_id: OwnedEventId::try_from("$e").unwrap(),
        room_id: owned_room_id!("!dm:localhost"),
        sender: sender.try_into().unwrap(),
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

/// Text that looks like what people type to the bot, commands and dates included.
fn chat_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,80}",
        "(!agenda|!urlop|!godziny|!przyjęto|!nieobecny|!kalendarz|!wizyta|odwołaj|zmień termin|wizyta|moje wizyty) [0-9a-zA-Z.:\\- ]{0,30}",
        "(!spotkanie|!spotkania|!spotkanie odwołaj|!dokumenty|!zadanie|!kalendarz nowy) (jutro |w piątek |o [0-9]{1,2} |[0-9,.]{1,5} ?(min|h|godziny) |pół godziny |\\PC{0,12}){0,4}",
        "[0-9]{1,4}",
        "(jutro|w piątek|po [0-9]{1,2}(:[0-9]{2})?|inny termin|[0-9]{1,2}\\.[0-9]{1,2}(\\.[0-9]{1,6})?)",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Damaged office files are refused with a message, never a panic.
    #[test]
    fn damaged_office_files_are_refused_cleanly(cut in 0usize..DEMO_OFFICE.len(), insert in "\\PC{0,12}") {
        let mut source = DEMO_OFFICE.to_owned();
        let at = (0..=cut).rev().find(|i| source.is_char_boundary(*i)).unwrap_or(0);
        source.insert_str(at, &insert);
        if let Err(error) = Office::parse(&source) {
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn arbitrary_office_files_are_refused_cleanly(source in "\\PC{0,300}") {
        prop_assert!(Office::parse(&source).is_err());
    }

    /// A clerk's and a citizen's conversation of random messages, with time passing.
    #[test]
    fn conversations_of_any_messages_always_get_answers(texts in proptest::collection::vec(chat_text(), 1..8), clerk in any::<bool>()) {
        let bot = bot();
        let sender = if clerk { "@urzednik:localhost" } else { "@jan:localhost" };
        let mut person = Person::default();
        let view = BookingView { new_code: "K3MX7P".into(), new_token: "T".repeat(32), ..BookingView::default() };
        let mut at = now();
        for text in &texts {
            let input = message(sender, text);
            if let Route::Clerk { command, .. } = bot.route(&input, at) {
                let _ = days_needed(&OFFICE, &command, at);
            }
            let outcome = common::decide(&bot, &input, &person, &common::Held { visits: view.clone(), ..Default::default() }, at);
            if !text.trim().is_empty() {
                prop_assert!(!outcome.actions.is_empty(), "no answer to {text:?}");
            }
            if let Some(next) = outcome.person {
                person = next;
            }
            at += Duration::minutes(7);
        }
        let _ = parse_clerk_command(&texts[0]);
    }
}
