//! A course's LIVE sessions: `!na-żywo <kurs> <kiedy> <temat> [czas]`, by one of the office's
//! trainers, from anywhere. A session is a LIVE event of the course's room: the room is
//! reminded, the broadcast opens there at the start, and questions are asked there and listed
//! with `!pytania`, as for any event. What a course adds is its learners, who may not have
//! joined the room: each is invited in their direct chat, reminded there a day and 15 minutes
//! before, and sent their own link at the start.

use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedRoomId, OwnedUserId};

use super::{
    LiveAlert, LiveChange, LiveCommand, LiveDesk, LiveEvent, LiveTurn, alert_jobs, event_args,
    reminders_promised,
};
use crate::{
    Action, Lang, Notice, booking::Effect, calls::CallAction, i18n::message_with, learning::DirectMessage,
    meetings::timed_title,
};

/// The course `!na-żywo` names, as the store found it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseTarget {
    pub course_id: String,
    pub title: String,
    /// The course's room, where its sessions are held; none for a course without one.
    pub room: Option<OwnedRoomId>,
    /// A number no event of that room has had yet.
    pub next_number: i64,
    /// The learners enrolled now (not those who left), each with their language.
    pub learners: Vec<(OwnedUserId, Lang)>,
}

/// `!na-żywo`'s arguments: the course (its short name, or one word of its title), then the
/// time and the topic as `!wydarzenie` reads them.
pub fn parse_course_session(arguments: &str) -> LiveCommand {
    let arguments = arguments.trim();
    let (course, rest) = arguments.split_once(char::is_whitespace).unwrap_or((arguments, ""));
    let course = course.trim_matches(['„', '”', '"', '“', '\'', '<', '>']);
    if course.is_empty() || rest.trim().is_empty() {
        return LiveCommand::ForCourseUsage;
    }
    LiveCommand::ForCourse { course: course.to_owned(), rest: rest.trim().to_owned() }
}

impl LiveDesk<'_> {
    pub(super) fn schedule_for_course(&self, asked: &str, rest: &str) -> LiveTurn {
        if !self.trainer {
            return self.say("live-course-trainers-only", vec![]);
        }
        let Some(course) = &self.view.course else {
            return self.course_not_found(asked);
        };
        let title = FluentValue::from(course.title.clone());
        let Some(room) = &course.room else {
            return self.say("live-course-no-room", vec![("course", title)]);
        };
        let timed = match timed_title(rest, "live-course", self.now, self.zone, self.lang) {
            Ok(timed) => timed,
            Err(notice) => return LiveTurn { actions: vec![self.send(notice)], effects: Vec::new() },
        };
        let event = self.new_event(room.clone(), course.next_number, timed, Some(course.course_id.clone()));
        let learners: Vec<&(OwnedUserId, Lang)> =
            course.learners.iter().filter(|(learner, _)| learner != self.sender).collect();
        let jobs = alert_jobs(&event, self.now);
        let mut args = event_args(&event, self.zone).to_vec();
        args.push(("course", title));
        args.push(("learners", learners.len().into()));
        args.push(("reminders", reminders_promised(jobs.len()).into()));
        let mut actions = vec![
            self.send(self.text("live-course-scheduled", &args)),
            Action::SendNotice { room_id: room.clone(), notice: self.text("live-course-announced", &args) },
        ];
        actions.extend(learners.iter().map(|(learner, lang)| {
            direct(learner, *lang, "live-course-invitation", &event, &course.title, self.zone)
        }));
        let mut effects = vec![Effect::Live(LiveChange::Schedule(event))];
        effects.extend(jobs);
        LiveTurn { actions, effects }
    }

    fn course_not_found(&self, asked: &str) -> LiveTurn {
        let candidates = &self.view.course_candidates;
        let Some((example, _)) = candidates.first() else {
            return self.say("live-course-not-found", vec![("course", asked.to_owned().into())]);
        };
        let titles: Vec<String> = candidates.iter().map(|(id, title)| format!("„{title}” ({id})")).collect();
        let joint = if self.lang == Lang::En { " or " } else { " czy " };
        let courses = match titles.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}{joint}{last}", rest.join(", ")),
            _ => titles.join(""),
        };
        self.say("live-course-which", vec![("courses", courses.into()), ("example", example.clone().into())])
    }
}

/// A course session's learners at one of its alerts: a reminder in their direct chats, or at
/// the start their own link to the broadcast (none if it did not open: the room says why).
pub(super) fn learners_alert(
    event: &LiveEvent,
    learners: &[(OwnedUserId, Lang)],
    course: &str,
    alert: LiveAlert,
    zone: Tz,
) -> Vec<Action> {
    match alert {
        LiveAlert::DayBefore => learners_told(event, learners, course, "live-course-tomorrow", zone),
        LiveAlert::Soon => learners_told(event, learners, course, "live-course-soon", zone),
        LiveAlert::Start => learners
            .iter()
            .filter(|(learner, _)| *learner != event.presenter)
            .map(|(learner, lang)| Action::Call {
                room_id: event.room_id.clone(),
                call: CallAction::Ticket { user: learner.clone(), lang: *lang, quiet: true },
            })
            .collect(),
    }
}

/// A notice about the session in each of its learners' direct chats, the presenter aside.
pub(super) fn learners_told(
    event: &LiveEvent,
    learners: &[(OwnedUserId, Lang)],
    course: &str,
    key: &str,
    zone: Tz,
) -> Vec<Action> {
    learners
        .iter()
        .filter(|(learner, _)| *learner != event.presenter)
        .map(|(learner, lang)| direct(learner, *lang, key, event, course, zone))
        .collect()
}

/// A notice about the session in a learner's direct chat, in their language (its time too).
fn direct(learner: &OwnedUserId, lang: Lang, key: &str, event: &LiveEvent, course: &str, zone: Tz) -> Action {
    let in_their_language = LiveEvent { lang, ..event.clone() };
    let mut args = event_args(&in_their_language, zone).to_vec();
    args.push(("course", course.to_owned().into()));
    let text = message_with(lang, key, &args);
    Action::Direct { user_id: learner.clone(), message: DirectMessage::Notice(Notice::from_plain(text)) }
}
