//! One turn's vocabulary, shared by every feature: the person the store keeps, what a bot
//! asks the homeserver to do, and what one input produced.

use chrono::{DateTime, Utc};
use ruma::{OwnedRoomId, OwnedUserId};
use serde::{Deserialize, Serialize};
use szpon_nlp::{Lang, clear_language, detect_language};

use crate::{
    booking::Dialogue,
    booking::Visit,
    helpdesk::HelpdeskMemory,
    html::{plain_to_html, sanitize_html},
};

/// What the store keeps about one person for the office bot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The language the person asked for with `!język`; it wins over detection.
    pub chosen_language: Option<Lang>,
    /// The language of the person's last message that showed one, for messages that show none.
    pub detected_language: Option<Lang>,
    /// Where the person's booking conversation stands, if one is under way.
    pub dialogue: Option<Dialogue>,
    /// What a ticket would need to know of the conversation, should the person ask for help.
    pub helpdesk: HelpdeskMemory,
    /// How fast the person has been writing, to slow a flood down politely.
    pub pace: Pace,
}

/// Messages the bot answered in the current window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pace {
    pub window_start: Option<DateTime<Utc>>,
    pub answered: u32,
    pub warned: bool,
}

/// Kept in `people.pace`.
impl crate::durable::Durable for Pace {}

/// The window in which [`BotConfig::answers_per_window`] answers are given at most; one message
/// more is told to slow down, the rest of the window goes unanswered.
pub const PACE_WINDOW_SECONDS: i64 = 30;

impl Pace {
    /// The pace after one more answer at `now`, and whether to give it.
    pub(crate) fn after_one_more(&self, now: DateTime<Utc>, limit: u32) -> (Pace, PaceVerdict) {
        let fresh = self
            .window_start
            .is_none_or(|start| now - start >= chrono::Duration::seconds(PACE_WINDOW_SECONDS));
        if fresh {
            return (Pace { window_start: Some(now), answered: 1, warned: false }, PaceVerdict::Answer);
        }
        let answered = self.answered.saturating_add(1);
        let verdict = match (limit > 0 && answered > limit, self.warned) {
            (false, _) => PaceVerdict::Answer,
            (true, false) => PaceVerdict::SlowDown,
            (true, true) => PaceVerdict::Quiet,
        };
        let warned = self.warned || verdict == PaceVerdict::SlowDown;
        (Pace { window_start: self.window_start, answered, warned }, verdict)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PaceVerdict {
    Answer,
    SlowDown,
    Quiet,
}

impl Person {
    /// The language to answer in, and the person with it remembered. Only `!język` or a
    /// message clearly in the other language changes it ("a moze we wtorek kolo 10?" is not
    /// English), and never while a dialogue is open: it ends in the language it began in.
    pub(crate) fn reply_language(&self, text: Option<&str>) -> (Lang, Person) {
        if let Some(chosen) = self.chosen_language {
            return (chosen, self.clone());
        }
        let detected = match (self.detected_language, text) {
            (Some(known), _) if self.dialogue.is_some() => Some(known),
            (Some(known), Some(text)) => Some(clear_language(text).unwrap_or(known)),
            (None, Some(text)) => detect_language(text),
            (known, None) => known,
        };
        let updated = Person { detected_language: detected, ..self.clone() };
        (detected.unwrap_or_default(), updated)
    }
}

/// A message from a bot: a plain body for every client and sanitised HTML for rich ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub plain: String,
    pub html: String,
    /// People the message is meant for (`m.mentions`): their clients notify them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<OwnedUserId>,
}

impl Notice {
    pub fn from_plain(plain: String) -> Self {
        let html = sanitize_html(&plain_to_html(&plain));
        Self { plain, html, mentions: Vec::new() }
    }

    /// Plain text and its HTML, as given.
    pub fn new(plain: String, html: String) -> Self {
        Self { plain, html: sanitize_html(&html), mentions: Vec::new() }
    }

    /// The notice meant for `user`: their ID becomes a link that clients show as a pill, and
    /// their client notifies them.
    pub fn with_mention(mut self, user: &ruma::UserId) -> Self {
        let link = format!("<a href=\"https://matrix.to/#/{user}\">{user}</a>");
        self.html = sanitize_html(&self.html.replace(user.as_str(), &link));
        self.mentions.push(user.to_owned());
        self
    }
}

/// Something a bot wants done on the homeserver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Action {
    /// Send an `m.notice` into a room.
    SendNotice {
        room_id: OwnedRoomId,
        notice: Notice,
    },
    JoinRoom {
        room_id: OwnedRoomId,
    },
    /// Leave (or refuse the invitation to) a room, saying why first where possible.
    LeaveRoom {
        room_id: OwnedRoomId,
        reason: String,
    },
    /// Invite someone into a room the bot is in (an agent into a citizen's conversation).
    InviteUser {
        room_id: OwnedRoomId,
        user_id: OwnedUserId,
    },
    /// Remove someone from a room the bot is in, saying why.
    RemoveUser {
        room_id: OwnedRoomId,
        user_id: OwnedUserId,
        reason: String,
    },
    /// Start a native poll; `fallback` is what clients without polls show.
    SendPoll {
        room_id: OwnedRoomId,
        question: String,
        fallback: String,
        choices: Vec<PollChoice>,
        /// How many answers one person may choose.
        #[serde(default = "one")]
        max_selections: u32,
    },
    /// Close a poll (a poll end event), with the results as its text.
    EndPoll {
        room_id: OwnedRoomId,
        poll_id: ruma::OwnedEventId,
        text: String,
    },
    /// Say something in a person's direct chat with the bot, opening one if there is none.
    Direct {
        user_id: OwnedUserId,
        message: crate::learning::DirectMessage,
    },
    /// Post a bar chart as a picture, drawn on delivery.
    SendBarChart {
        room_id: OwnedRoomId,
        chart: crate::chart::BarChart,
        caption: String,
    },
    /// Create a course's room, or invite or remove a learner there.
    CourseRoom {
        course_id: String,
        action: crate::learning::CourseRoomAction,
    },
    /// Post a small text file (a CSV export), encrypted in encrypted rooms.
    SendFile {
        room_id: OwnedRoomId,
        name: String,
        mime: String,
        text: String,
    },
    /// Post a chart as a picture (`m.image`; encrypted in encrypted rooms), drawn on delivery;
    /// the caption stands in for it where it cannot be seen.
    SendChart {
        room_id: OwnedRoomId,
        chart: crate::chart::DailyChart,
        caption: String,
    },
    /// Post a course's file (a lesson's picture or file, or the course exported), read from the
    /// store on delivery: the outbox keeps only its name.
    SendCourseFile {
        room_id: OwnedRoomId,
        file: crate::learning::CourseFile,
    },
    /// Start, join or end a room's video call, through the video gateway.
    Call {
        room_id: OwnedRoomId,
        call: crate::calls::CallAction,
    },
    /// Add a room widget (Element's `im.vector.modular.widgets` state event), or remove it with
    /// `None`.
    SetWidget {
        room_id: OwnedRoomId,
        widget_id: String,
        widget: Option<Widget>,
    },
}

/// Kept in the outbox until it is carried out.
impl crate::durable::Durable for Action {}

/// A room widget as Element reads it: a page shown beside the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Widget {
    /// `m.custom`: a page of szpon's own (not `jitsi`, which Element would load from elsewhere).
    #[serde(rename = "type")]
    pub kind: String,
    /// The page, with the client's template variables (`$matrix_user_id`…) left for it to fill.
    pub url: String,
    pub name: String,
    #[serde(default)]
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// One answer of a poll: a stable id, and what people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollChoice {
    pub id: String,
    pub label: String,
}

fn one() -> u32 {
    1
}

impl Action {
    /// The queue the action waits in: its room, or the person whose direct chat it is for.
    /// Actions of one queue are carried out in order.
    pub fn queue(&self) -> &str {
        match self {
            Action::SendNotice { room_id, .. }
            | Action::JoinRoom { room_id }
            | Action::LeaveRoom { room_id, .. }
            | Action::InviteUser { room_id, .. }
            | Action::RemoveUser { room_id, .. }
            | Action::SendPoll { room_id, .. }
            | Action::EndPoll { room_id, .. }
            | Action::SendBarChart { room_id, .. }
            | Action::SendFile { room_id, .. }
            | Action::SendChart { room_id, .. }
            | Action::SendCourseFile { room_id, .. }
            | Action::Call { room_id, .. }
            | Action::SetWidget { room_id, .. } => room_id.as_str(),
            Action::Direct { user_id, .. } => user_id.as_str(),
            // Course IDs have neither "!" nor "@": their queue is apart from every room's and person's.
            Action::CourseRoom { course_id, .. } => course_id.as_str(),
        }
    }
}

/// A change a turn asks the store to make, in the same transaction as its answer: each
/// feature's own, applied by that feature's store module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// Visits, clerks' leave and hours, booking dialogues and calendar feeds.
    Booking(crate::booking::BookingChange),
    /// Helpdesk tickets, the canned replies and the retention of old tickets.
    Helpdesk(crate::helpdesk::HelpdeskChange),
    /// Adds, changes or deletes a task.
    Task(crate::tasks::TaskChange),
    /// Records a shared file in its room's register, or forgets a deleted one.
    Document(crate::documents::DocumentChange),
    /// Schedules, answers or cancels a meeting.
    Meeting(crate::meetings::MeetingChange),
    /// Publishes a course's new version.
    Course(crate::courses::CourseChange),
    /// Adds or removes a person of the directory, as a room's membership changed.
    Directory(crate::courses::DirectoryChange),
    /// Schedules or cancels a LIVE event, or notes a question or an upvote.
    Live(crate::live::LiveChange),
    /// Records learning that counts, a learner's standing and badges, or their leaderboard choice.
    Gamification(crate::gamification::GamificationChange),
    /// Adds a missed question to a learner's review queue, or keeps a reviewed one's next time.
    Review(crate::review::ReviewChange),
    /// Keeps a learner's certificate of a course, once.
    Certificate(crate::certificates::CertificateChange),
    /// Schedules a job for `due`; scheduling the same job twice is harmless.
    Schedule { job: Job, due: DateTime<Utc> },
}

/// What handling one input produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub actions: Vec<Action>,
    /// The person's state to store, if it changed.
    pub person: Option<Person>,
    /// Changes to visits and jobs, stored with the actions or not at all.
    pub effects: Vec<Effect>,
}

/// Work for later, kept in the store until it is due: one variant per feature, each the
/// feature's own job enum. Stored as the feature's job alone, whose `kind` names it, so rows
/// stored before the split read the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Job {
    Booking(crate::booking::BookingJob),
    Helpdesk(crate::helpdesk::HelpdeskJob),
    Task(crate::tasks::TaskJob),
    Meeting(crate::meetings::MeetingJob),
    Course(crate::learning::CourseJob),
    Live(crate::live::LiveJob),
    Gamification(crate::gamification::GamificationJob),
    Review(crate::review::ReviewJob),
}

/// Kept in `jobs` until it is due.
impl crate::durable::Durable for Job {}

impl Job {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self, due: DateTime<Utc>) -> String {
        match self {
            Job::Booking(job) => job.key(due),
            Job::Helpdesk(job) => job.key(),
            Job::Task(job) => job.key(),
            Job::Meeting(job) => job.key(),
            Job::Course(job) => job.key(),
            Job::Live(job) => job.key(),
            Job::Gamification(job) => job.key(),
            Job::Review(job) => job.key(),
        }
    }
}

/// What the store loaded for a job that fell due, by its kind: each variant holds only what
/// that job reads, as it is now.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum JobContext {
    /// The job reads nothing (a day's deletion of old tickets).
    #[default]
    Nothing,
    /// A visit's reminder: the visit, unless it is gone.
    Visit(Option<Visit>),
    /// A dialogue's time-out: the person.
    Person(Person),
    /// A ticket's target: the ticket, unless it is gone.
    Ticket(Option<crate::helpdesk::Ticket>),
    /// A task's deadline: the task, unless it was deleted.
    Task(Option<crate::tasks::Task>),
    /// What a list's daily digest shows.
    Digest(crate::tasks::DigestContext),
    /// A meeting's reminder or start: the meeting with its answers, unless it is gone.
    Meeting(Option<(crate::meetings::Meeting, crate::meetings::Answers)>),
    /// A lesson time: the course's versions and active learners.
    Course(Option<(Vec<crate::learning::CourseVersion>, Vec<crate::learning::Enrolment>)>),
    /// A LIVE event's reminder or start: the event (unless it is gone), and for a course's
    /// session the course's learners.
    Live(crate::live::AlertContext),
    /// A learner's standing: their recorded learning and badges.
    Learner(crate::gamification::LearnerRecord),
    /// The evening reminders: the learners whose streak may end tonight, with their records.
    Learners(Vec<(ruma::OwnedUserId, crate::gamification::LearnerRecord)>),
    /// The morning nudges: the learners with questions due, who did not turn the nudge off.
    DueReviews(Vec<crate::review::DueReviews>),
}
