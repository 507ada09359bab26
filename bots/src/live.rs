//! LIVE events: one presenter broadcasts to a room. `!wydarzenie <kiedy> <tytuł>` schedules one
//! (a trainer, a clerk or a room moderator), the room is reminded the day before and shortly
//! before, and at the start the broadcast opens: the presenter sends video, everyone else only
//! watches. Questions are asked in the room (`!pytanie …`, or any message ending with "?" while
//! the event is on), upvoted with reactions, and `!pytania` lists them, most upvoted first.
//!
//! A course's LIVE session (`!na-żywo`, [`course`]) is an event of the course's room whose
//! learners are told in their direct chats too.
//!
//! Pure, like the meetings: the store's [`LiveView`] comes in, [`LiveChange`]s go out with the
//! answers. The broadcast itself is a call of the room's, opened at the edge
//! ([`crate::calls::CallAction::Live`]).

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, RoomId, UserId};
use serde::{Deserialize, Serialize};

mod course;

pub use course::{CourseTarget, parse_course_session};

use crate::{
    Action, Job, Lang, Notice,
    booking::Effect,
    calls::{CallAction, MODERATOR_POWER},
    i18n::message_with,
    meetings::{span, timed_title},
};

/// How long before the start the first reminder goes out, and the second.
pub const DAY_BEFORE: Duration = Duration::hours(24);
pub const SOON_BEFORE: Duration = Duration::minutes(15);
/// From when before the start questions are taken.
pub const QUESTIONS_OPEN_BEFORE: Duration = Duration::hours(1);
/// How long after its end an event's questions are still listed.
pub const QUESTIONS_KEPT: Duration = Duration::hours(24);
/// Questions listed at most, and events.
pub const LIST_LIMIT: usize = 15;
/// The longest question kept, in characters; longer ones are cut, on a character boundary.
pub const MAX_QUESTION_CHARS: usize = 500;

/// A scheduled broadcast of a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub room_id: OwnedRoomId,
    /// The event's number in its room, from 1, never reused.
    pub number: i64,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The one person who sends video: who scheduled it.
    pub presenter: OwnedUserId,
    pub lang: Lang,
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The course whose session it is (`!na-żywo`): its learners are told in their direct chats.
    #[serde(default)]
    pub course_id: Option<String>,
}

impl LiveEvent {
    /// Whether questions are taken now: from an hour before the start until the end.
    pub fn takes_questions(&self, now: DateTime<Utc>) -> bool {
        self.cancelled_at.is_none() && self.start - QUESTIONS_OPEN_BEFORE <= now && now < self.end
    }
}

/// A question asked during an event, with its upvotes (the distinct people who reacted to it,
/// the asker aside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub event_id: OwnedEventId,
    pub asker: OwnedUserId,
    pub text: String,
    pub asked_at: DateTime<Utc>,
    pub upvotes: i64,
}

/// A change to events and their questions, written with the turn's answers or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LiveChange {
    /// Fails as a whole if the number was taken meanwhile; the turn is then decided again.
    Schedule(LiveEvent),
    Cancel {
        room_id: OwnedRoomId,
        number: i64,
        at: DateTime<Utc>,
    },
    /// A question for the room's event `number`, asked in the message `event_id`.
    Ask {
        room_id: OwnedRoomId,
        number: i64,
        event_id: OwnedEventId,
        asker: OwnedUserId,
        text: String,
        at: DateTime<Utc>,
    },
    /// A reaction to a message: an upvote if the message is a question of the room's (and the
    /// voter not its asker); dropped otherwise.
    Upvote {
        room_id: OwnedRoomId,
        question: OwnedEventId,
        voter: OwnedUserId,
        reaction: OwnedEventId,
    },
    /// An event deleted from the room: a reaction (its upvote goes) or a question (it goes).
    Withdraw {
        room_id: OwnedRoomId,
        redacted: OwnedEventId,
    },
}

/// The commands of LIVE events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveCommand {
    /// `!wydarzenie <kiedy> <tytuł> [czas trwania]`
    Schedule(String),
    /// `!wydarzenia`: the room's coming events.
    List,
    /// `!wydarzenie odwołaj N`
    Cancel(Option<i64>),
    /// `!pytanie <treść>`, or (`said_aloud`) a message in the room ending with "?", which is a
    /// question only while an event is on.
    Ask { text: String, said_aloud: bool },
    /// `!pytania`: the event's questions, most upvoted first.
    Questions,
    /// `!na-żywo <kurs> <kiedy> <temat> [czas trwania]`: a course's session, in its room.
    ForCourse { course: String, rest: String },
    /// `!na-żywo` without its course or its time and topic.
    ForCourseUsage,
}

/// The LIVE command a text addressed to the bot is, if it is one.
pub fn parse_live_command(text: &str) -> Option<LiveCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let (name, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let arguments = arguments.trim();
    match szpon_nlp::fold_diacritics(&name.to_lowercase()).as_str() {
        "wydarzenia" | "events" => Some(LiveCommand::List),
        "na-zywo" | "nazywo" | "na_zywo" | "live" => Some(parse_course_session(arguments)),
        "pytania" | "questions" => Some(LiveCommand::Questions),
        "pytanie" | "question" => Some(LiveCommand::Ask { text: arguments.to_owned(), said_aloud: false }),
        "wydarzenie" | "event" => {
            let (first, number) = arguments.split_once(char::is_whitespace).unwrap_or((arguments, ""));
            match szpon_nlp::fold_diacritics(&first.to_lowercase()).as_str() {
                "odwolaj" | "anuluj" | "cancel" => {
                    let number = number.trim().trim_start_matches('#');
                    Some(LiveCommand::Cancel(number.parse().ok().filter(|n| *n > 0)))
                }
                "" => Some(LiveCommand::List),
                _ => Some(LiveCommand::Schedule(arguments.to_owned())),
            }
        }
        _ => None,
    }
}

/// A message in a room not addressed to the bot that may be a question for an event on now.
pub fn room_question(body: &str) -> Option<LiveCommand> {
    let text = body.trim();
    let question = text.ends_with('?') && text.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    question.then(|| LiveCommand::Ask { text: text.to_owned(), said_aloud: true })
}

/// What the store knows about a room's events that a command needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveView {
    /// The coming events (not ended, not cancelled), soonest first, [`LIST_LIMIT`] at most.
    pub upcoming: Vec<LiveEvent>,
    /// The event a command names by number.
    pub named: Option<LiveEvent>,
    /// A number no event of the room has had yet.
    pub next_number: i64,
    /// The event whose questions are asked and listed now: the one taking questions, or else
    /// the last one that ended within [`QUESTIONS_KEPT`].
    pub current: Option<LiveEvent>,
    /// The current event's questions, most upvoted first, then oldest first.
    pub questions: Vec<Question>,
    /// The course `!na-żywo` names, with its room and learners.
    pub course: Option<CourseTarget>,
    /// The courses that fit what `!na-żywo` named about as well, each its ID and title.
    pub course_candidates: Vec<(String, String)>,
}

/// The LIVE events' work for later, kept in the store until it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveJob {
    /// Remind a room of a LIVE event, or open its broadcast; ignored if the event was cancelled
    /// or moved since.
    #[serde(rename = "live")]
    Alert { room_id: OwnedRoomId, number: i64, alert: LiveAlert, start: DateTime<Utc> },
}

impl LiveJob {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self) -> String {
        let LiveJob::Alert { room_id, number, alert, start } = self;
        format!("live:{room_id}:{number}:{}:{}", alert.as_str(), start.timestamp())
    }
}

/// A job about an event: the reminders before it, and the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveAlert {
    DayBefore,
    Soon,
    Start,
}

impl LiveAlert {
    pub fn as_str(self) -> &'static str {
        match self {
            LiveAlert::DayBefore => "day_before",
            LiveAlert::Soon => "soon",
            LiveAlert::Start => "start",
        }
    }
}

/// One turn's answers and what it writes.
#[derive(Debug, Default)]
pub struct LiveTurn {
    pub actions: Vec<Action>,
    pub effects: Vec<Effect>,
}

/// The events desk for one message in a room.
pub struct LiveDesk<'a> {
    pub room: &'a RoomId,
    pub sender: &'a UserId,
    /// The message itself: a question is upvoted by reacting to it.
    pub event_id: &'a ruma::EventId,
    /// Whether the sender may schedule broadcasts: a trainer or a clerk of the office.
    pub staff: bool,
    /// Whether the sender is one of the office's trainers, who alone schedule courses' sessions.
    pub trainer: bool,
    pub power: i64,
    pub direct: bool,
    pub view: &'a LiveView,
    pub zone: Tz,
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

impl LiveDesk<'_> {
    pub fn handle(&self, command: &LiveCommand) -> LiveTurn {
        match command {
            LiveCommand::Ask { said_aloud: true, .. } if self.direct => LiveTurn::default(),
            LiveCommand::Ask { text, said_aloud } => self.ask(text, *said_aloud),
            LiveCommand::ForCourse { course, rest } => self.schedule_for_course(course, rest),
            LiveCommand::ForCourseUsage => self.say("live-course-usage", vec![]),
            _ if self.direct => self.say("live-in-rooms", vec![]),
            LiveCommand::Schedule(text) => self.schedule(text),
            LiveCommand::List => LiveTurn { actions: vec![self.send(self.list())], effects: Vec::new() },
            LiveCommand::Cancel(None) => self.say("live-number-needed", vec![]),
            LiveCommand::Cancel(Some(number)) => self.cancel(*number),
            LiveCommand::Questions => {
                LiveTurn { actions: vec![self.send(self.questions())], effects: Vec::new() }
            }
        }
    }

    fn schedule(&self, text: &str) -> LiveTurn {
        if !self.staff && self.power < MODERATOR_POWER {
            return self.say("live-presenters-only", vec![]);
        }
        let timed = match timed_title(text, "live", self.now, self.zone, self.lang) {
            Ok(timed) => timed,
            Err(notice) => return LiveTurn { actions: vec![self.send(notice)], effects: Vec::new() },
        };
        let event = self.new_event(self.room.to_owned(), self.view.next_number, timed, None);
        let jobs = alert_jobs(&event, self.now);
        let mut args = event_args(&event, self.zone).to_vec();
        args.push(("reminders", reminders_promised(jobs.len()).into()));
        let notice = self.text("live-scheduled", &args);
        let mut effects = vec![Effect::Live(LiveChange::Schedule(event))];
        effects.extend(jobs);
        LiveTurn { actions: vec![self.send(notice)], effects }
    }

    /// The event the sender schedules, presenting it: numbered `number` (from 1) in `room_id`.
    fn new_event(
        &self,
        room_id: OwnedRoomId,
        number: i64,
        timed: crate::meetings::Timed,
        course_id: Option<String>,
    ) -> LiveEvent {
        LiveEvent {
            room_id,
            number: number.max(1),
            title: timed.parts.title,
            start: timed.start,
            end: timed.start + Duration::minutes(i64::from(timed.minutes)),
            presenter: self.sender.to_owned(),
            lang: self.lang,
            created_at: self.now,
            cancelled_at: None,
            course_id,
        }
    }

    fn list(&self) -> Notice {
        if self.view.upcoming.is_empty() {
            return self.text("live-none", &[]);
        }
        let mut plain = message_with(self.lang, "live-header", &[("count", self.view.upcoming.len().into())]);
        for event in &self.view.upcoming {
            plain.push('\n');
            plain.push_str(&message_with(self.lang, "live-line", &event_args(event, self.zone)));
        }
        Notice::from_plain(plain)
    }

    fn cancel(&self, number: i64) -> LiveTurn {
        let Some(event) = self.view.named.as_ref().filter(|e| e.number == number) else {
            return self.say("live-not-found", vec![("number", number.into())]);
        };
        if event.cancelled_at.is_some() {
            return self.say("live-already-cancelled", vec![("number", number.into())]);
        }
        if event.end <= self.now {
            return self.say("live-already-over", vec![("number", number.into())]);
        }
        if event.presenter != self.sender && self.power < MODERATOR_POWER {
            return self.say("live-not-yours", vec![("number", number.into())]);
        }
        let change = LiveChange::Cancel { room_id: self.room.to_owned(), number, at: self.now };
        let mut actions = vec![self.send(self.text("live-cancelled", &event_args(event, self.zone)))];
        // A course's learners were invited in their direct chats: they are told there too.
        if let (Some(_), Some(course)) = (&event.course_id, &self.view.course) {
            actions.extend(course::learners_told(
                event,
                &course.learners,
                &course.title,
                "live-course-cancelled",
                self.zone,
            ));
        }
        if event.start <= self.now {
            // On air: the broadcast ends with it.
            let end = CallAction::End { by: Some(self.sender.to_owned()), lang: self.lang };
            actions.push(Action::Call { room_id: self.room.to_owned(), call: end });
        }
        LiveTurn { actions, effects: vec![Effect::Live(change)] }
    }

    fn ask(&self, text: &str, said_aloud: bool) -> LiveTurn {
        let current = self.view.current.as_ref().filter(|e| e.takes_questions(self.now));
        let Some(event) = current else {
            return match said_aloud {
                true => LiveTurn::default(),
                false => self.say("live-no-questions-now", vec![]),
            };
        };
        let text = text.trim();
        if text.is_empty() {
            return self.say("live-question-empty", vec![]);
        }
        let change = LiveChange::Ask {
            room_id: self.room.to_owned(),
            number: event.number,
            event_id: self.event_id.to_owned(),
            asker: self.sender.to_owned(),
            text: text.chars().take(MAX_QUESTION_CHARS).collect(),
            at: self.now,
        };
        let effects = vec![Effect::Live(change)];
        // A question said aloud is noted quietly: the room is in the middle of a broadcast.
        let actions = match said_aloud {
            true => Vec::new(),
            false => vec![self.send(self.text("live-question-noted", &[]))],
        };
        LiveTurn { actions, effects }
    }

    fn questions(&self) -> Notice {
        let Some(event) = &self.view.current else { return self.text("live-no-event", &[]) };
        let args = event_args(event, self.zone);
        if self.view.questions.is_empty() {
            return self.text("live-no-questions", &args);
        }
        let mut args = args.to_vec();
        args.push(("count", self.view.questions.len().into()));
        let mut plain = message_with(self.lang, "live-questions-header", &args);
        for (index, question) in self.view.questions.iter().take(LIST_LIMIT).enumerate() {
            let line = message_with(
                self.lang,
                "live-question-line",
                &[
                    ("place", (index + 1).into()),
                    ("text", question.text.clone().into()),
                    ("asker", question.asker.to_string().into()),
                    ("upvotes", question.upvotes.into()),
                ],
            );
            plain.push('\n');
            plain.push_str(&line);
        }
        Notice::from_plain(plain)
    }

    fn say(&self, key: &str, args: Vec<(&'static str, FluentValue<'static>)>) -> LiveTurn {
        LiveTurn { actions: vec![self.send(self.text(key, &args))], effects: Vec::new() }
    }

    fn send(&self, notice: Notice) -> Action {
        Action::SendNotice { room_id: self.room.to_owned(), notice }
    }

    fn text(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> Notice {
        Notice::from_plain(message_with(self.lang, key, args))
    }
}

/// What every message about an event names: its number, title, time and presenter.
fn event_args(event: &LiveEvent, zone: Tz) -> [(&'static str, FluentValue<'static>); 5] {
    [
        ("number", event.number.into()),
        ("title", event.title.clone().into()),
        ("when", span(event.start, event.end, zone, event.lang).into()),
        ("presenter", event.presenter.to_string().into()),
        ("minutes", SOON_BEFORE.num_minutes().into()),
    ]
}

/// Which reminders an announcement promises, from the number of an event's jobs: only those
/// that will come.
fn reminders_promised(jobs: usize) -> &'static str {
    match jobs {
        3 => "both",
        2 => "soon",
        _ => "none",
    }
}

/// The reminders before an event (those still ahead) and its start.
pub fn alert_jobs(event: &LiveEvent, now: DateTime<Utc>) -> Vec<Effect> {
    let job = |alert, due| Effect::Schedule {
        job: Job::Live(LiveJob::Alert {
            room_id: event.room_id.clone(),
            number: event.number,
            alert,
            start: event.start,
        }),
        due,
    };
    let mut jobs = Vec::new();
    for (alert, before) in [(LiveAlert::DayBefore, DAY_BEFORE), (LiveAlert::Soon, SOON_BEFORE)] {
        // A reminder only where it says something new: none a day before an event an hour away.
        if event.start - before > now && event.start - now > before + before / 2 {
            jobs.push(job(alert, event.start - before));
        }
    }
    jobs.push(job(LiveAlert::Start, event.start));
    jobs
}

/// What an event's job reads: the event, and for a course's session the course's learners,
/// each with their language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertContext {
    pub event: Option<LiveEvent>,
    pub learners: Vec<(OwnedUserId, Lang)>,
    /// The course's title, for its learners.
    pub course_title: String,
}

/// What an event's job does, if the event still stands at the same time (one cancelled or
/// moved says nothing). A job run late, after szpon was down, says nothing once it would be
/// wrong: no reminder after the start, no start after the end. A course's learners are told
/// in their direct chats too.
pub fn live_alert(
    context: &AlertContext,
    alert: LiveAlert,
    start: DateTime<Utc>,
    zone: Tz,
    now: DateTime<Utc>,
) -> Vec<Action> {
    let Some(event) = context.event.as_ref().filter(|e| e.cancelled_at.is_none() && e.start == start) else {
        return Vec::new();
    };
    // A day-before reminder run late (szpon was down, or its clock jumped) once the 15-minute
    // one is due would say "tomorrow" of an event about to start: that one speaks instead.
    let too_late = match alert {
        LiveAlert::DayBefore => now >= event.start - SOON_BEFORE,
        LiveAlert::Soon => now >= event.start,
        LiveAlert::Start => now >= event.end,
    };
    if too_late {
        return Vec::new();
    }
    let mut actions = vec![room_alert(event, alert, zone)];
    if event.course_id.is_some() {
        actions.extend(course::learners_alert(event, &context.learners, &context.course_title, alert, zone));
    }
    actions
}

/// What the event's room is told: a reminder, or at the start the broadcast itself.
fn room_alert(event: &LiveEvent, alert: LiveAlert, zone: Tz) -> Action {
    let key = match alert {
        LiveAlert::DayBefore => "live-tomorrow",
        LiveAlert::Soon => "live-soon",
        LiveAlert::Start => {
            let call = CallAction::Live {
                presenter: event.presenter.clone(),
                title: event.title.clone(),
                lang: event.lang,
            };
            return Action::Call { room_id: event.room_id.clone(), call };
        }
    };
    let notice = Notice::from_plain(message_with(event.lang, key, &event_args(event, zone)));
    Action::SendNotice { room_id: event.room_id.clone(), notice }
}

/// The room's broadcast under way, as its announcement says it (edited as viewers come and go):
/// the title, the presenter, the link and how many watch.
pub fn on_air(lang: Lang, title: &str, presenter: &UserId, link: &str, viewers: i64, widget: bool) -> Notice {
    let args = [
        ("title", title.to_owned().into()),
        ("presenter", presenter.to_string().into()),
        ("link", link.to_owned().into()),
        ("viewers", viewers.into()),
        ("widget", if widget { "yes" } else { "no" }.into()),
    ];
    let text = message_with(lang, "live-on-air", &args);
    match widget {
        true => Notice::from_plain(text),
        false => Notice::from_plain(format!("{text}\n{}", message_with(lang, "calls-no-widget", &[]))),
    }
}

/// The broadcast's start found a call of the room's under way: it is held there.
pub fn in_call_under_way(lang: Lang, title: &str) -> Notice {
    Notice::from_plain(message_with(lang, "live-in-call-under-way", &[("title", title.to_owned().into())]))
}

/// The announcement once the broadcast ended: how long, and the most who watched at once.
pub fn off_air(lang: Lang, title: &str, minutes: i64, most_viewers: i64) -> Notice {
    let args =
        [("title", title.to_owned().into()), ("minutes", minutes.into()), ("viewers", most_viewers.into())];
    Notice::from_plain(message_with(lang, "live-off-air", &args))
}

#[cfg(test)]
mod tests;
