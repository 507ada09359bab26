//! Task lists in chat: every room has one, and a direct chat with the bot holds a personal
//! to-do list.
//!
//! Pure: the store's view of a list comes in, [`TaskChange`]s go out, to be written with the
//! answers or not at all. Numbers are per list and never reused, so "zadanie 7" means the same
//! task for as long as the list exists.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use ruma::{OwnedRoomId, OwnedUserId, UserId};
use serde::{Deserialize, Serialize};

use crate::{
    Lang, RoomKind, UserMessage,
    documents::{Attachment, Document, DocumentsView},
};

mod command;
mod desk;
mod due;
mod repeat;

pub use command::{TaskCommand, TaskFilter, parse_task_command};
pub use desk::{TaskDesk, TaskTurn, alert_jobs, digest, digest_job, due_alert, explain};
pub use due::{DueError, DueSetting, TaskText, parse_due, split_title};
pub use repeat::{Repeat, RepeatError, take_repeat};

/// The longest task title, in characters: a title is read in a list, not a letter.
pub const MAX_TITLE_CHARS: usize = 200;
/// Tasks shown in one answer at most; the rest are counted.
pub const LIST_LIMIT: usize = 30;
/// Power level from which a room member may change anyone's tasks (Matrix's moderators).
pub const MODERATOR_POWER: i64 = 50;

/// The visit a bot's notice is about, if it names exactly one (an agenda names many, and a
/// task follows up one).
pub fn visit_followed_up(notice: &str) -> Option<String> {
    let mut codes = szpon_nlp::entities::codes_in(notice);
    codes.sort();
    codes.dedup();
    match <[String; 1]>::try_from(codes) {
        Ok([code]) => Some(code),
        Err(_) => None,
    }
}

/// Whose list a task is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskList {
    /// A room's shared list, seen by its members.
    Room(OwnedRoomId),
    /// A person's own to-do list, kept in their direct chat with the bot.
    Personal(OwnedUserId),
}

impl TaskList {
    /// The list a message's commands are about.
    pub fn of(message: &UserMessage) -> Self {
        match message.room_kind {
            RoomKind::Direct => TaskList::Personal(message.sender.clone()),
            RoomKind::Group => TaskList::Room(message.room_id.clone()),
        }
    }

    /// How the store names the list.
    pub fn key(&self) -> String {
        match self {
            TaskList::Room(room) => format!("room:{room}"),
            TaskList::Personal(user) => format!("user:{user}"),
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        if let Some(room) = key.strip_prefix("room:") {
            return room.try_into().ok().map(TaskList::Room);
        }
        key.strip_prefix("user:")?.try_into().ok().map(TaskList::Personal)
    }

    pub fn is_personal(&self) -> bool {
        matches!(self, TaskList::Personal(_))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent]
            .into_iter()
            .find(|p| p.as_str() == text)
    }

    /// The priority a `!word` in a task's text asks for ("!pilne", "!wysoki", "!low").
    pub fn from_flag(word: &str) -> Option<Self> {
        let word = szpon_nlp::fold_diacritics(&word.strip_prefix('!')?.to_lowercase());
        match word.as_str() {
            "pilne" | "pilny" | "pilna" | "urgent" => Some(Priority::Urgent),
            "wysoki" | "wazne" | "wazny" | "wazna" | "high" | "important" => Some(Priority::High),
            "normalny" | "normalne" | "normal" => Some(Priority::Normal),
            "niski" | "niskie" | "low" => Some(Priority::Low),
            _ => None,
        }
    }

    /// The mark shown before a task, if its priority is not the usual one.
    pub fn mark(self, lang: Lang) -> Option<&'static str> {
        match (self, lang) {
            (Priority::Urgent, Lang::En) => Some("‼ urgent"),
            (Priority::Urgent, _) => Some("‼ pilne"),
            (Priority::High, Lang::En) => Some("! high"),
            (Priority::High, _) => Some("! ważne"),
            (Priority::Low, Lang::En) => Some("low"),
            (Priority::Low, _) => Some("niski"),
            (Priority::Normal, _) => None,
        }
    }
}

/// When a task is due: a day, and the hour if one was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Due {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

impl Due {
    /// The moment the task becomes overdue: its hour, or the end of its day.
    pub fn deadline(&self, zone: Tz) -> DateTime<Utc> {
        let time = self.time.unwrap_or_else(|| NaiveTime::from_hms_opt(23, 59, 0).expect("23:59 exists"));
        crate::calendar::local_to_utc(self.date.and_time(time), zone)
    }
}

/// A task on a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub list: TaskList,
    /// The task's number on its list, from 1.
    pub number: i64,
    /// Where the task's reminders go: the room, or the owner's direct chat.
    pub room_id: OwnedRoomId,
    pub title: String,
    pub creator: OwnedUserId,
    pub assignee: Option<OwnedUserId>,
    pub due: Option<Due>,
    /// How the task comes back once done: its due time moves to the rule's next time.
    #[serde(default)]
    pub repeat: Option<Repeat>,
    pub priority: Priority,
    /// The file it was added in reply to: a reference to the file's event, not the file.
    #[serde(default)]
    pub attachment: Option<Attachment>,
    /// The visit it follows up, by code: added in reply to the bot's notice of that visit.
    #[serde(default)]
    pub visit: Option<String>,
    /// The language of the person who added it, for its reminders.
    pub lang: Lang,
    pub created_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<OwnedUserId>,
}

impl Task {
    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }

    pub fn is_overdue(&self, now: DateTime<Utc>, zone: Tz) -> bool {
        !self.is_done() && self.due.is_some_and(|due| due.deadline(zone) < now)
    }

    /// Whether `user` may change or delete the task: its creator, its assignee, or a moderator
    /// of the room (power level `power`).
    pub fn may_be_changed_by(&self, user: &UserId, power: i64) -> bool {
        self.creator == user || self.assignee.as_deref() == Some(user) || power >= MODERATOR_POWER
    }
}

/// A change to tasks, written with the turn's answers or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskChange {
    /// Fails as a whole if the number was taken meanwhile; the turn is then decided again.
    Add {
        task: Task,
        deadline: Option<DateTime<Utc>>,
    },
    /// Each change below touches one field, so that two people's changes to different fields
    /// of one task both stay; each fails as a whole if the task was deleted meanwhile.
    Done {
        list: TaskList,
        number: i64,
        by: OwnedUserId,
        at: DateTime<Utc>,
    },
    Assign {
        list: TaskList,
        number: i64,
        assignee: Option<OwnedUserId>,
    },
    /// The due time and the rule it comes back by: set together, as one "when".
    SetDue {
        list: TaskList,
        number: i64,
        due: Option<Due>,
        repeat: Option<Repeat>,
        deadline: Option<DateTime<Utc>>,
    },
    Delete {
        list: TaskList,
        number: i64,
        at: DateTime<Utc>,
    },
    /// The hour of a room's daily digest, or none to stop it.
    SetDigest {
        list: TaskList,
        room_id: OwnedRoomId,
        at: Option<NaiveTime>,
    },
}

/// What the store knows about a list that a task command needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TasksView {
    /// The tasks a list command asks for, in the order shown, [`LIST_LIMIT`] at most.
    pub listed: Vec<Task>,
    /// How many tasks the list command's filter matches in all.
    pub matching: u64,
    /// The task a command names by number, unless it was deleted.
    pub named: Option<Task>,
    /// A number no task of the list has had yet, for a task added in this turn.
    pub next_number: i64,
    /// The shared file a `!zadanie` replies to, if it replies to one the register knows.
    pub replied_file: Option<Document>,
    /// The room's register, for `!dokumenty`.
    pub documents: DocumentsView,
    /// The visit named by the bot's notice a `!zadanie` replies to.
    pub replied_visit: Option<crate::booking::Visit>,
    /// For `!kalendarz`: the list's feed, if the writer already holds its address (only its
    /// hash is kept).
    pub feeds_held: Vec<crate::booking::Feed>,
    /// For `!kalendarz`: a fresh secret token, for a feed address made in this turn.
    pub new_token: String,
}

/// A task list's work for later, kept in the store until it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskJob {
    /// Remind of a task's deadline, or nudge at it; ignored if the task was done, deleted or
    /// given another deadline since.
    #[serde(rename = "task_due")]
    Due { list: TaskList, number: i64, alert: DueAlert, deadline: DateTime<Utc> },
    /// Post a list's daily digest; ignored if the list's digest hour changed since.
    #[serde(rename = "task_digest")]
    Digest { list: TaskList, room_id: OwnedRoomId, day: NaiveDate, at: NaiveTime },
}

impl TaskJob {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self) -> String {
        match self {
            TaskJob::Due { list, number, alert, deadline } => {
                format!("task:{}:{number}:{}:{}", list.key(), alert.as_str(), deadline.timestamp())
            }
            TaskJob::Digest { list, day, at, .. } => format!("digest:{}:{day}:{at}", list.key()),
        }
    }
}

/// What a due-time job needs: the task, as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueAlert {
    /// Shortly before the deadline, to the assignee (or the list's owner).
    Soon,
    /// At the deadline, if the task is still open.
    Overdue,
}

impl DueAlert {
    pub fn as_str(self) -> &'static str {
        match self {
            DueAlert::Soon => "soon",
            DueAlert::Overdue => "overdue",
        }
    }
}

/// What the store holds for a room's daily digest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestContext {
    /// The digest hour the room has now (a job for an hour changed since does nothing).
    pub at: Option<NaiveTime>,
    /// The open tasks, in the order shown, [`LIST_LIMIT`] at most.
    pub open: Vec<Task>,
    pub open_count: u64,
    /// Of the open tasks, how many are overdue.
    pub overdue_count: u64,
}

#[cfg(test)]
mod tests {
    use super::visit_followed_up;

    #[test]
    fn a_notice_of_one_visit_names_it_and_an_agenda_does_not() {
        assert_eq!(
            visit_followed_up(
                "Nowa wizyta K7M3PX: środa, 25 listopada, 10:00 — Dowód osobisty; Anna Nowak, pokój 12."
            ),
            Some("K7M3PX".to_owned())
        );
        assert_eq!(visit_followed_up("Wizyty — 25.11:\n• 10:00 K7M3PX …\n• 10:20 H4RT9W …"), None);
        assert_eq!(visit_followed_up("Zadania tego pokoju do zrobienia (3):"), None);
    }
}
