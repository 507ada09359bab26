//! Visits, and the changes the booking dialogues ask the store to make.

use chrono::{DateTime, Utc};
use ruma::{OwnedRoomId, OwnedUserId};
use serde::{Deserialize, Serialize};

use super::{Dialogue, office::Exception};
use crate::Lang;

pub use szpon_nlp::entities::{CODE_ALPHABET, CODE_LENGTH, is_code};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    Booked,
    /// The citizen has arrived and waits to be called.
    CheckedIn,
    /// A clerk called the citizen in.
    Called,
    NoShow,
    Cancelled,
}

impl VisitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VisitStatus::Booked => "booked",
            VisitStatus::CheckedIn => "checked_in",
            VisitStatus::Called => "called",
            VisitStatus::NoShow => "no_show",
            VisitStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Booked, Self::CheckedIn, Self::Called, Self::NoShow, Self::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// Whether the visit still holds its time.
    pub fn is_active(self) -> bool {
        matches!(self, VisitStatus::Booked | VisitStatus::CheckedIn | VisitStatus::Called)
    }
}

/// When and with whom a visit takes place, and the clerk's time it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitTime {
    pub clerk: OwnedUserId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Start and end with the service's buffers: the time no other visit may touch.
    pub held_from: DateTime<Utc>,
    pub held_until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub code: String,
    pub citizen: OwnedUserId,
    /// The citizen's chat with the bot, where reminders and calls go.
    pub room_id: OwnedRoomId,
    pub service: String,
    pub time: VisitTime,
    pub status: VisitStatus,
    pub lang: Lang,
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// A booking's work for later, kept in the store until it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BookingJob {
    /// Remind the citizen of a visit; ignored if the visit was cancelled or moved since.
    Reminder { code: String, start: DateTime<Utc> },
    /// Close a dialogue left waiting, politely; ignored if the person went on since.
    DialogueTimeout { user_id: OwnedUserId, room_id: OwnedRoomId, since: DateTime<Utc> },
}

impl BookingJob {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self, due: DateTime<Utc>) -> String {
        match self {
            BookingJob::Reminder { code, start } => {
                format!("reminder:{code}:{}:{}", start.timestamp(), due.timestamp())
            }
            BookingJob::DialogueTimeout { user_id, since, .. } => {
                format!("timeout:{user_id}:{}", since.timestamp_millis())
            }
        }
    }
}

/// A change to booked visits, the clerks' exceptions, a booking dialogue or a calendar feed,
/// made in the same transaction as the answer that announces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookingChange {
    /// Fails as a whole, with the answer, if the time was taken meanwhile.
    Book(Visit),
    /// Fails as a whole if the new time was taken meanwhile; the old time is kept then.
    Move {
        code: String,
        time: VisitTime,
    },
    SetStatus {
        code: String,
        status: VisitStatus,
        at: DateTime<Utc>,
    },
    AddException(Exception),
    /// Sets where another person's booking dialogue stands (a clerk's leave offers them times).
    SetDialogue {
        user_id: OwnedUserId,
        dialogue: Option<Dialogue>,
    },
    /// Gives `holder` a new secret address of a calendar feed (the store keeps only its hash);
    /// their old one stops working, other people's do not.
    NewFeedToken {
        feed: Feed,
        holder: OwnedUserId,
        token: String,
    },
}

/// Whose calendar a feed shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Feed {
    /// A person's: their visits if they are a clerk, their own to-dos and the tasks assigned to
    /// them anywhere.
    Person(OwnedUserId),
    /// A department's visits.
    Department(String),
    /// A room's tasks.
    Room(OwnedRoomId),
}

impl Feed {
    pub fn kind(&self) -> &'static str {
        match self {
            Feed::Person(_) => "person",
            Feed::Department(_) => "department",
            Feed::Room(_) => "room",
        }
    }

    pub fn owner(&self) -> &str {
        match self {
            Feed::Person(user_id) => user_id.as_str(),
            Feed::Department(id) => id,
            Feed::Room(room_id) => room_id.as_str(),
        }
    }

    /// The feed a stored kind and owner name, if they still make one.
    pub fn parse(kind: &str, owner: &str) -> Option<Self> {
        match kind {
            "person" => OwnedUserId::try_from(owner).ok().map(Feed::Person),
            "department" => Some(Feed::Department(owner.to_owned())),
            "room" => OwnedRoomId::try_from(owner).ok().map(Feed::Room),
            _ => None,
        }
    }
}
