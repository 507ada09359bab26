//! Team meetings in a room: scheduled with `!spotkanie`, answered with a native poll (tak / nie
//! / może), reminded of before they start, and announced at the start, where the call's link
//! will go once szpon has calls.
//!
//! Pure, like the task lists: the store's view comes in, [`MeetingChange`]s go out with the
//! answers. Numbers are per room and never reused.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedRoomId, OwnedUserId, RoomId, UserId};
use serde::{Deserialize, Serialize};

use crate::{
    Action, Job, Lang, Notice, PollChoice,
    booking::{Effect, format},
    i18n::message_with,
    tasks::{DueError, MODERATOR_POWER, explain, split_title},
};

/// How long a meeting lasts when the command does not say.
pub const DEFAULT_MINUTES: u32 = 60;
/// The longest meeting, in minutes: a working day.
pub const MAX_MINUTES: u32 = 12 * 60;
/// How long before the start the reminder goes out.
pub const SOON_BEFORE: Duration = Duration::minutes(15);
/// Meetings shown in one list at most.
pub const LIST_LIMIT: usize = 20;

/// A meeting of a room's team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub room_id: OwnedRoomId,
    /// The meeting's number in its room, from 1.
    pub number: i64,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub organizer: OwnedUserId,
    pub lang: Lang,
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Where the call is held. Empty until szpon has calls (through `media`, Janus); the start
    /// announcement carries it when it is set.
    pub video_link: Option<String>,
}

/// Someone's answer to a meeting's poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rsvp {
    Yes,
    No,
    Maybe,
}

impl Rsvp {
    pub fn as_str(self) -> &'static str {
        match self {
            Rsvp::Yes => "yes",
            Rsvp::No => "no",
            Rsvp::Maybe => "maybe",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Rsvp::Yes, Rsvp::No, Rsvp::Maybe].into_iter().find(|r| r.as_str() == text)
    }

    /// The id of this answer in a meeting's poll: it names the meeting, so a vote needs nothing
    /// else to be recorded.
    pub fn poll_answer_id(self, number: i64) -> String {
        format!("meeting:{number}:{}", self.as_str())
    }

    /// The meeting and answer a poll answer's id names, if it is a meeting's.
    pub fn from_poll_answer(id: &str) -> Option<(i64, Self)> {
        let mut parts = id.strip_prefix("meeting:")?.splitn(2, ':');
        let number = parts.next()?.parse().ok().filter(|n| *n > 0)?;
        Some((number, Rsvp::parse(parts.next()?)?))
    }
}

/// Who answered what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub yes: Vec<OwnedUserId>,
    pub no: Vec<OwnedUserId>,
    pub maybe: Vec<OwnedUserId>,
}

impl Answers {
    pub fn add(&mut self, user: OwnedUserId, rsvp: Rsvp) {
        match rsvp {
            Rsvp::Yes => self.yes.push(user),
            Rsvp::No => self.no.push(user),
            Rsvp::Maybe => self.maybe.push(user),
        }
    }

    /// The people who said they would or might come: the ones to remind.
    pub fn coming(&self) -> impl Iterator<Item = &OwnedUserId> {
        self.yes.iter().chain(&self.maybe)
    }
}

/// A change to meetings, written with the turn's answers or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingChange {
    /// Fails as a whole if the number was taken meanwhile; the turn is then decided again.
    Schedule(Meeting),
    /// A later answer of the same person replaces the earlier one; an answer to a meeting the
    /// room does not have is dropped.
    Answer {
        room_id: OwnedRoomId,
        number: i64,
        user: OwnedUserId,
        rsvp: Rsvp,
        at: DateTime<Utc>,
    },
    Cancel {
        room_id: OwnedRoomId,
        number: i64,
        at: DateTime<Utc>,
    },
}

/// The meeting commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingCommand {
    /// `!spotkanie <kiedy> <tytuł> [czas trwania]`
    Schedule(String),
    /// `!spotkania`: the room's coming meetings.
    List,
    /// `!spotkanie odwołaj N`
    Cancel(Option<i64>),
}

/// The meeting command a text is, if it is one.
pub fn parse_meeting_command(text: &str) -> Option<MeetingCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let (name, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let arguments = arguments.trim();
    match szpon_nlp::fold_diacritics(&name.to_lowercase()).as_str() {
        "spotkania" | "meetings" => Some(MeetingCommand::List),
        "spotkanie" | "meeting" => {
            let (first, number) = arguments.split_once(char::is_whitespace).unwrap_or((arguments, ""));
            match szpon_nlp::fold_diacritics(&first.to_lowercase()).as_str() {
                "odwolaj" | "anuluj" | "cancel" => {
                    let number = number.trim().trim_start_matches('#');
                    Some(MeetingCommand::Cancel(number.parse().ok().filter(|n| *n > 0)))
                }
                "" => Some(MeetingCommand::List),
                _ => Some(MeetingCommand::Schedule(arguments.to_owned())),
            }
        }
        _ => None,
    }
}

/// What the store knows about a room's meetings that a command needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingsView {
    /// The coming meetings, soonest first, [`LIST_LIMIT`] at most, with their answers.
    pub upcoming: Vec<(Meeting, Answers)>,
    /// The meeting a command names by number.
    pub named: Option<(Meeting, Answers)>,
    /// A number no meeting of the room has had yet.
    pub next_number: i64,
}

/// The meetings' work for later, kept in the store until it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MeetingJob {
    /// Remind a room of a meeting, or announce its start; ignored if the meeting was cancelled
    /// or moved since.
    #[serde(rename = "meeting")]
    Alert { room_id: OwnedRoomId, number: i64, alert: MeetingAlert, start: DateTime<Utc> },
}

impl MeetingJob {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self) -> String {
        let MeetingJob::Alert { room_id, number, alert, start } = self;
        format!("meeting:{room_id}:{number}:{}:{}", alert.as_str(), start.timestamp())
    }
}

/// A job about a meeting: the reminder before it, or the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingAlert {
    Soon,
    Start,
}

impl MeetingAlert {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingAlert::Soon => "soon",
            MeetingAlert::Start => "start",
        }
    }
}

/// One turn's answers and what it writes.
#[derive(Debug, Default)]
pub struct MeetingTurn {
    pub actions: Vec<Action>,
    pub effects: Vec<Effect>,
}

/// The meeting desk for one message in a room.
pub struct MeetingDesk<'a> {
    pub room: &'a RoomId,
    pub sender: &'a UserId,
    pub power: i64,
    pub view: &'a MeetingsView,
    pub zone: Tz,
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

impl MeetingDesk<'_> {
    pub fn handle(&self, command: &MeetingCommand) -> MeetingTurn {
        match command {
            MeetingCommand::Schedule(text) => self.schedule(text),
            MeetingCommand::List => self.say(self.list()),
            MeetingCommand::Cancel(None) => self.say(self.text("meetings-number-needed", vec![])),
            MeetingCommand::Cancel(Some(number)) => self.cancel(*number),
        }
    }

    fn schedule(&self, text: &str) -> MeetingTurn {
        let timed = match timed_title(text, "meetings", self.now, self.zone, self.lang) {
            Ok(timed) => timed,
            Err(notice) => return self.say(notice),
        };
        let (start, minutes, parts) = (timed.start, timed.minutes, timed.parts);
        let meeting = Meeting {
            room_id: self.room.to_owned(),
            number: self.view.next_number.max(1),
            title: parts.title,
            start,
            end: start + Duration::minutes(i64::from(minutes)),
            organizer: self.sender.to_owned(),
            lang: self.lang,
            created_at: self.now,
            cancelled_at: None,
            video_link: None,
        };
        let mut effects = vec![Effect::Meeting(MeetingChange::Schedule(meeting.clone()))];
        effects.extend(alert_jobs(&meeting, self.now));
        let mut notice = self.text(
            "meetings-scheduled",
            vec![
                ("number", meeting.number.into()),
                ("title", meeting.title.clone().into()),
                ("when", when(&meeting, self.zone, self.lang).into()),
                ("minutes", SOON_BEFORE.num_minutes().into()),
            ],
        );
        if let Some(invited) = &parts.assignee {
            notice = notice.with_mention(invited);
        }
        let actions = vec![self.send(notice), self.poll(&meeting)];
        MeetingTurn { actions, effects }
    }

    /// The native poll members answer: tak / nie / może.
    fn poll(&self, meeting: &Meeting) -> Action {
        let label = |key: &str| message_with(self.lang, key, &[]);
        let question = message_with(
            self.lang,
            "meetings-poll-question",
            &[("title", meeting.title.clone().into()), ("when", when(meeting, self.zone, self.lang).into())],
        );
        let choices =
            [(Rsvp::Yes, "meetings-yes"), (Rsvp::No, "meetings-no"), (Rsvp::Maybe, "meetings-maybe")]
                .into_iter()
                .map(|(rsvp, key)| PollChoice { id: rsvp.poll_answer_id(meeting.number), label: label(key) })
                .collect::<Vec<_>>();
        let fallback = format!(
            "{question}\n{}",
            choices
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{}. {}", i + 1, c.label))
                .collect::<Vec<_>>()
                .join("\n")
        );
        Action::SendPoll { room_id: self.room.to_owned(), question, fallback, choices, max_selections: 1 }
    }

    fn list(&self) -> Notice {
        if self.view.upcoming.is_empty() {
            return self.text("meetings-none", vec![]);
        }
        let mut plain =
            message_with(self.lang, "meetings-header", &[("count", self.view.upcoming.len().into())]);
        for (meeting, answers) in &self.view.upcoming {
            plain.push('\n');
            plain.push_str(&line(meeting, answers, self.zone, self.lang));
        }
        Notice::from_plain(plain)
    }

    fn cancel(&self, number: i64) -> MeetingTurn {
        let Some((meeting, answers)) = self.view.named.as_ref().filter(|(m, _)| m.number == number) else {
            return self.say(self.text("meetings-not-found", vec![("number", number.into())]));
        };
        if meeting.cancelled_at.is_some() {
            return self.say(self.text("meetings-already-cancelled", vec![("number", number.into())]));
        }
        if meeting.organizer != self.sender && self.power < MODERATOR_POWER {
            return self.say(self.text("meetings-not-yours", vec![("number", number.into())]));
        }
        let change = MeetingChange::Cancel { room_id: self.room.to_owned(), number, at: self.now };
        let mut notice = self.text(
            "meetings-cancelled",
            vec![
                ("number", number.into()),
                ("title", meeting.title.clone().into()),
                ("when", when(meeting, self.zone, self.lang).into()),
            ],
        );
        for user in answers.coming() {
            notice = notice.with_mention(user);
        }
        MeetingTurn { actions: vec![self.send(notice)], effects: vec![Effect::Meeting(change)] }
    }

    fn say(&self, notice: Notice) -> MeetingTurn {
        MeetingTurn { actions: vec![self.send(notice)], effects: Vec::new() }
    }

    fn send(&self, notice: Notice) -> Action {
        Action::SendNotice { room_id: self.room.to_owned(), notice }
    }

    fn text(&self, key: &str, args: Vec<(&'static str, FluentValue<'static>)>) -> Notice {
        Notice::from_plain(message_with(self.lang, key, &args))
    }
}

/// A title with its time, as a command that schedules something gives it: "jutro o 10 Narada
/// 45 min".
pub struct Timed {
    pub start: DateTime<Utc>,
    pub minutes: u32,
    pub parts: crate::tasks::TaskText,
}

/// Reads a title with one future day and hour and an optional duration; what is wrong is said
/// with the messages of `feature` (`{feature}-when-needed`, `-hour-needed`, `-no-title`,
/// `-no-repeat`, `-bad-duration`).
pub fn timed_title(
    text: &str,
    feature: &str,
    now: DateTime<Utc>,
    zone: Tz,
    lang: Lang,
) -> Result<Timed, Notice> {
    let say = |key: &str, args: Vec<(&'static str, FluentValue<'static>)>| {
        Notice::from_plain(message_with(lang, &format!("{feature}-{key}"), &args))
    };
    let (minutes, rest) = szpon_nlp::take_duration(text);
    let minutes = minutes.unwrap_or(DEFAULT_MINUTES);
    if !(5..=MAX_MINUTES).contains(&minutes) {
        return Err(say("bad-duration", vec![("minutes", minutes.into())]));
    }
    let parts = match split_title(&rest, now, zone) {
        Ok(parts) => parts,
        Err(DueError::NoTitle) => return Err(say("no-title", vec![])),
        Err(error) => return Err(explain(&error, lang)),
    };
    if parts.repeat.is_some() {
        return Err(say("no-repeat", vec![]));
    }
    let Some(due) = parts.due else { return Err(say("when-needed", vec![])) };
    let Some(time) = due.time else { return Err(say("hour-needed", vec![])) };
    let start = crate::calendar::local_to_utc(due.date.and_time(time), zone);
    if start <= now {
        return Err(Notice::from_plain(message_with(lang, "tasks-date-past", &[])));
    }
    Ok(Timed { start, minutes, parts })
}

/// "wtorek, 1 grudnia, 10:00–11:00"
pub fn when(meeting: &Meeting, zone: Tz, lang: Lang) -> String {
    span(meeting.start, meeting.end, zone, lang)
}

/// "wtorek, 1 grudnia, 10:00–11:00", for any span of time.
pub fn span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let start = start.with_timezone(&zone);
    let end = end.with_timezone(&zone);
    let day = format::day(start.date_naive(), lang);
    if end.date_naive() == start.date_naive() {
        format!("{day}, {}–{}", start.format("%-H:%M"), end.format("%-H:%M"))
    } else {
        format!(
            "{day}, {} – {}, {}",
            start.format("%-H:%M"),
            format::day(end.date_naive(), lang),
            end.format("%-H:%M")
        )
    }
}

fn line(meeting: &Meeting, answers: &Answers, zone: Tz, lang: Lang) -> String {
    let counts = message_with(
        lang,
        "meetings-counts",
        &[
            ("yes", answers.yes.len().into()),
            ("no", answers.no.len().into()),
            ("maybe", answers.maybe.len().into()),
        ],
    );
    format!("• nr {} „{}” — {} · {counts}", meeting.number, meeting.title, when(meeting, zone, lang))
}

/// The reminder before a meeting and the announcement at its start.
pub fn alert_jobs(meeting: &Meeting, now: DateTime<Utc>) -> Vec<Effect> {
    let job = |alert, due| Effect::Schedule {
        job: Job::Meeting(MeetingJob::Alert {
            room_id: meeting.room_id.clone(),
            number: meeting.number,
            alert,
            start: meeting.start,
        }),
        due,
    };
    let soon = meeting.start - SOON_BEFORE;
    let mut jobs = Vec::new();
    if soon > now {
        jobs.push(job(MeetingAlert::Soon, soon));
    }
    jobs.push(job(MeetingAlert::Start, meeting.start));
    jobs
}

/// What a meeting's job says, if the meeting still stands at the same time (a meeting cancelled
/// or gone says nothing). A job run late, after szpon was down, says nothing once it would be
/// wrong: no "in 15 minutes" after the start, no "starting" after the end.
pub fn meeting_alert(
    meeting: Option<&(Meeting, Answers)>,
    alert: MeetingAlert,
    start: DateTime<Utc>,
    zone: Tz,
    now: DateTime<Utc>,
) -> Option<Notice> {
    let (meeting, answers) = meeting.filter(|(m, _)| m.cancelled_at.is_none() && m.start == start)?;
    let too_late = match alert {
        MeetingAlert::Soon => now >= meeting.start,
        MeetingAlert::Start => now >= meeting.end,
    };
    if too_late {
        return None;
    }
    let lang = meeting.lang;
    let args = [
        ("number", FluentValue::from(meeting.number)),
        ("title", meeting.title.clone().into()),
        ("when", when(meeting, zone, lang).into()),
        ("minutes", SOON_BEFORE.num_minutes().into()),
    ];
    let mut plain = match alert {
        MeetingAlert::Soon => message_with(lang, "meetings-soon", &args),
        MeetingAlert::Start => message_with(lang, "meetings-start", &args),
    };
    if let (MeetingAlert::Start, Some(link)) = (alert, &meeting.video_link) {
        plain.push('\n');
        plain.push_str(&message_with(lang, "meetings-video-link", &[("link", link.clone().into())]));
    }
    let coming: Vec<&OwnedUserId> = answers.coming().collect();
    if !coming.is_empty() {
        plain.push('\n');
        plain.push_str(&coming.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", "));
    }
    Some(coming.into_iter().fold(Notice::from_plain(plain), |notice, user| notice.with_mention(user)))
}

#[cfg(test)]
mod tests;
