//! The conversation corpus (`tests/conversations/*.txt`): scripted chats with the office bot,
//! each turn with the reply patterns a citizen would check, run against the pure bot on
//! simulated time.
//!
//! The format, one line each:
//! - `== title` starts a new conversation: a fresh citizen on Monday 23 November 2026, 10:00 in
//!   Warsaw, with the demo office;
//! - `> text` is what the citizen writes in their direct chat;
//! - `< text`: the bot's reply contains it; `<! text`: it does not;
//! - `+ 30m`, `+ 2h`, `+ 1d`: time passes;
//! - `#` starts a comment.
//!
//! Visits booked, moved and cancelled in a conversation are kept as the store would keep them.

mod common;

use std::{path::PathBuf, sync::Arc};

use chrono::{DateTime, Duration, TimeZone, Utc};
use ruma::{OwnedEventId, owned_room_id, owned_user_id};
use szpon_bots::{
    Action, BotConfig, Input, MessageContent, OfficeBot, Person, RoomKind, UserMessage,
    booking::{BookingChange, BookingView, DEMO_OFFICE, Effect, Office, VisitStatus},
};

struct Conversation {
    bot: OfficeBot,
    person: Person,
    view: BookingView,
    now: DateTime<Utc>,
    turn: u32,
    codes: std::vec::IntoIter<&'static str>,
}

impl Conversation {
    fn new(bot: OfficeBot) -> Self {
        let mut codes = vec!["K3MX7P", "R8TW2N", "H4QZ9D", "P2LV6C", "M7XN3T"].into_iter();
        let view = BookingView { new_code: codes.next().unwrap().into(), ..BookingView::default() };
        let now =
            chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap().with_timezone(&Utc);
        Self { bot, person: Person::default(), view, now, turn: 0, codes }
    }

    fn say(&mut self, body: &str) -> String {
        self.turn += 1;
        let input = Input::Message(UserMessage {
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
        });
        let outcome = common::decide(
            &self.bot,
            &input,
            &self.person,
            &common::Held { visits: self.view.clone(), ..Default::default() },
            self.now,
        );
        if let Some(person) = &outcome.person {
            self.person = serde_json::from_str(&serde_json::to_string(person).unwrap()).unwrap();
        }
        for effect in &outcome.effects {
            self.keep(effect);
        }
        outcome
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::SendNotice { notice, .. } => Some(notice.plain.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What the store does with the visits a turn changed.
    fn keep(&mut self, effect: &Effect) {
        match effect {
            Effect::Booking(BookingChange::Book(visit)) => {
                self.view.own_visits.push(visit.clone());
                self.view.new_code = self.codes.next().unwrap_or("Z9Z9Z9").into();
            }
            Effect::Booking(BookingChange::Move { code, time }) => {
                self.view
                    .own_visits
                    .iter_mut()
                    .filter(|v| &v.code == code)
                    .for_each(|v| v.time = time.clone());
            }
            Effect::Booking(BookingChange::SetStatus { code, status, .. })
                if *status == VisitStatus::Cancelled =>
            {
                self.view.own_visits.retain(|v| &v.code != code);
            }
            _ => {}
        }
    }
}

fn elapsed(text: &str) -> Duration {
    let (number, unit) = text.trim().split_at(text.trim().len() - 1);
    let number: i64 = number.parse().expect("a number before m, h or d");
    match unit {
        "m" => Duration::minutes(number),
        "h" => Duration::hours(number),
        "d" => Duration::days(number),
        other => panic!("unknown unit {other}"),
    }
}

/// Runs one file; returns what did not hold, as "file:line: …".
fn run(path: &PathBuf, bot: &OfficeBot) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let mut failures = Vec::new();
    let mut chat = Conversation::new(bot.clone());
    let mut last = (String::new(), String::new());
    for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end())) {
        let at = format!("{name}:{number}");
        if let Some(_title) = line.strip_prefix("== ") {
            chat = Conversation::new(bot.clone());
        } else if let Some(message) = line.strip_prefix("> ") {
            last = (message.to_owned(), chat.say(message));
        } else if let Some(absent) = line.strip_prefix("<! ") {
            if last.1.contains(absent) {
                failures.push(format!("{at}: after „{}” the reply has „{absent}”:\n{}", last.0, last.1));
            }
        } else if let Some(present) = line.strip_prefix("< ") {
            if !last.1.contains(present) {
                failures.push(format!("{at}: after „{}” the reply lacks „{present}”:\n{}", last.0, last.1));
            }
        } else if let Some(time) = line.strip_prefix("+ ") {
            chat.now += elapsed(time);
        } else {
            assert!(line.is_empty() || line.starts_with('#'), "{at}: cannot read „{line}”");
        }
    }
    failures
}

#[test]
fn the_conversation_corpus_holds() {
    let office = Arc::new(Office::parse(DEMO_OFFICE).unwrap());
    let bot = OfficeBot::new(
        BotConfig::new(owned_user_id!("@urzad:localhost"), "Urząd Gminy Przykładowo")
            .with_office(Some(office)),
    );
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/conversations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "the corpus is in {}", dir.display());
    let failures: Vec<String> = files.iter().flat_map(|f| run(f, &bot)).collect();
    assert!(failures.is_empty(), "{} turns did not hold:\n\n{}", failures.len(), failures.join("\n\n"));
}
