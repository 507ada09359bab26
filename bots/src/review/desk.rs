//! The learner's side of spaced repetition: the quiz answers that put a question in the review
//! queue, `!powtórka`'s sitting of due questions as polls, a review poll's answer, and the
//! morning nudge to learners with reviews waiting.

use std::{collections::BTreeMap, sync::Arc};

use chrono::{DateTime, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{EventId, OwnedUserId, RoomId, UserId};
use serde::{Deserialize, Serialize};
use szpon_course_engine::{
    Ask, Course, Delivery, Event, Graded, Question, Section, grade_choices, learner::ask, right_options,
};

use super::{Answer, QuestionRef, ReviewItem, due_now};
use crate::{
    Action, Effect, Job, Lang, Notice,
    booking::format::on_day,
    i18n::{message, message_with},
    learning::{DirectMessage, question_message},
};

/// Questions asked in one sitting at most: a minute or two of work.
pub const SITTING: usize = 5;

/// When the morning nudge goes out, in the office's time zone.
pub const NUDGE_HOUR: u32 = 9;

/// What the store keeps of the review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewChange {
    /// A question missed in a quiz joins the queue, unless it is there already.
    Add { user_id: OwnedUserId, item: ReviewItem },
    /// A question reviewed, with its next time.
    Save { user_id: OwnedUserId, item: ReviewItem },
    /// A question learnt, or one whose course version is gone, leaves the queue.
    Remove { user_id: OwnedUserId, course_id: String, question: QuestionRef },
    /// `!powtórka wyłącz` or `!powtórka włącz`: the morning nudge.
    Nudges { user_id: OwnedUserId, on: bool },
}

/// Spaced repetition's work for later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReviewJob {
    /// The morning of `day`: a nudge to each learner with questions due.
    #[serde(rename = "review_nudges")]
    Nudges { day: NaiveDate },
}

impl ReviewJob {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self) -> String {
        match self {
            ReviewJob::Nudges { day } => format!("review-nudges:{day}"),
        }
    }
}

/// The next morning's nudges' job after `now`: today's, if its hour has not come yet.
pub fn next_nudges_job(now: DateTime<Utc>, zone: chrono_tz::Tz) -> Option<Effect> {
    crate::calendar::next_day_at_hour(now, NUDGE_HOUR, zone).map(|day| nudges_job(day, zone))
}

/// The morning nudges' job for `day`.
pub fn nudges_job(day: NaiveDate, zone: chrono_tz::Tz) -> Effect {
    let due = crate::calendar::day_at_hour(day, NUDGE_HOUR, zone);
    Effect::Schedule { job: Job::Review(ReviewJob::Nudges { day }), due }
}

/// A learner with questions due, as the morning's job reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReviews {
    pub user_id: OwnedUserId,
    pub due: usize,
    pub lang: Lang,
}

/// The morning of `day`: a nudge to each learner who has questions due and did not turn the
/// nudge off, and tomorrow morning's job. A day gone by (szpon was down, or its clock moved on)
/// sends nothing: its nudges would come late, one per day missed.
pub fn nudges(
    learners: &[DueReviews],
    day: NaiveDate,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> (Vec<Action>, Vec<Effect>) {
    if day < now.with_timezone(&zone).date_naive() {
        return (Vec::new(), next_nudges_job(now, zone).into_iter().collect());
    }
    let actions = learners
        .iter()
        .filter(|learner| learner.due > 0)
        .map(|learner| {
            let text = message_with(learner.lang, "review-nudge", &[("count", learner.due.into())]);
            direct(&learner.user_id, text)
        })
        .collect();
    (actions, day.succ_opt().map(|tomorrow| nudges_job(tomorrow, zone)).into_iter().collect())
}

/// The questions a learner turn of a quiz puts in the review queue: those answered in a poll
/// wrong, or only partly right. Questions typed in, or answered right, do not enter it.
pub fn missed(
    learner: &UserId,
    course: &Course,
    version: i64,
    event: &Event<'_>,
    said: &[Delivery],
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let Event::Chosen { section, question, .. } = event else { return Vec::new() };
    let question = QuestionRef { version, section: *section, question: *question };
    said.iter()
        .filter_map(|delivery| match delivery {
            Delivery::Feedback { graded } => {
                ReviewItem::after_quiz(&course.id, question, answer_of(graded), now)
            }
            _ => None,
        })
        .map(|item| Effect::Review(ReviewChange::Add { user_id: learner.to_owned(), item }))
        .collect()
}

fn answer_of(graded: &Graded) -> Answer {
    if graded.is_right() {
        Answer::Right
    } else if graded.fraction > 0.0 {
        Answer::RightWithDifficulty
    } else {
        Answer::Wrong
    }
}

/// A learner's `!powtórka`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewCommand {
    /// The questions due now, as polls.
    Sitting,
    /// `!powtórka wyłącz` / `włącz`: the morning nudge off or on.
    Nudges(bool),
    /// Something else after the command.
    Usage,
}

/// `!powtórka` (`!powtorka`, `!review`), with `wyłącz` or `włącz` for the morning nudge.
pub fn parse_review_command(text: &str) -> Option<ReviewCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let (name, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !matches!(
        szpon_nlp::fold_diacritics(&name.to_lowercase()).as_str(),
        "powtorka" | "powtorki" | "review"
    ) {
        return None;
    }
    Some(match szpon_nlp::fold_diacritics(&arguments.trim().to_lowercase()).as_str() {
        "" => ReviewCommand::Sitting,
        "wylacz" | "stop" | "off" | "nie przypominaj" => ReviewCommand::Nudges(false),
        "wlacz" | "start" | "on" | "przypominaj" => ReviewCommand::Nudges(true),
        _ => ReviewCommand::Usage,
    })
}

/// A vote in a review poll: the question and when it was due as asked, so that an old poll
/// (the question reviewed since) changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewVote {
    pub course_id: String,
    pub question: QuestionRef,
    pub asked_due: i64,
    pub choices: Vec<usize>,
}

/// A review poll's answer identifier.
fn answer_id(item: &ReviewItem, choice: usize) -> String {
    let QuestionRef { version, section, question } = item.question;
    let due = item.due().timestamp_millis();
    format!("powtorka:{}:{version}:{section}:{question}:{due}:{choice}", item.course_id)
}

/// A review poll's answers, read back; none if they are not one review poll's.
pub fn parse_review_vote(answers: &[String]) -> Option<ReviewVote> {
    let mut found: Option<(String, QuestionRef, i64)> = None;
    let mut choices = Vec::new();
    for answer in answers {
        let fields: Vec<&str> = answer.strip_prefix("powtorka:")?.rsplitn(6, ':').collect();
        let [choice, due, question, section, version, course_id] = fields[..] else { return None };
        let question = QuestionRef {
            version: version.parse().ok()?,
            section: section.parse().ok()?,
            question: question.parse().ok()?,
        };
        let key = (course_id.to_owned(), question, due.parse().ok()?);
        if found.as_ref().is_some_and(|f| *f != key) {
            return None;
        }
        found = Some(key);
        choices.push(choice.parse().ok()?);
    }
    let (course_id, question, asked_due) = found?;
    Some(ReviewVote { course_id, question, asked_due, choices })
}

/// What `!powtórka` and a review poll's answer read: the learner's queue, the course versions
/// its questions are in, and whether the morning nudge is on.
#[derive(Debug, Clone, Default)]
pub struct ReviewView {
    pub items: Vec<ReviewItem>,
    pub courses: BTreeMap<(String, i64), Arc<Course>>,
    pub nudges: bool,
}

impl ReviewView {
    fn question(&self, item: &ReviewItem) -> Option<(&Course, &Question)> {
        let course = self.courses.get(&(item.course_id.clone(), item.question.version))?;
        let Some(Section::Quiz { questions, .. }) = course.sections.get(item.question.section) else {
            return None;
        };
        Some((course, questions.get(item.question.question)?))
    }
}

/// One learner's review desk.
pub struct ReviewDesk<'a> {
    pub learner: &'a UserId,
    /// The direct chat the learner wrote or voted in, answered there; none for their direct
    /// chat, wherever that is (the command came from a room).
    pub room: Option<&'a RoomId>,
    pub view: &'a ReviewView,
    pub zone: chrono_tz::Tz,
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

impl ReviewDesk<'_> {
    /// `!powtórka`: its answer goes to the learner's direct chat, as the polls do.
    pub fn command(&self, command: ReviewCommand) -> (Vec<Action>, Vec<Effect>) {
        match command {
            ReviewCommand::Sitting => self.sitting(),
            ReviewCommand::Nudges(on) => {
                let key = if on { "review-nudges-on" } else { "review-nudges-off" };
                let change = ReviewChange::Nudges { user_id: self.learner.to_owned(), on };
                (vec![self.say(message(self.lang, key))], vec![Effect::Review(change)])
            }
            ReviewCommand::Usage => (vec![self.say(message(self.lang, "review-usage"))], Vec::new()),
        }
    }

    fn sitting(&self) -> (Vec<Action>, Vec<Effect>) {
        let due = due_now(&self.view.items, self.now, usize::MAX);
        let (asked, gone): (Vec<_>, Vec<_>) =
            due.into_iter().partition(|item| self.view.question(item).is_some());
        let effects = gone.iter().map(|item| self.remove(item)).collect();
        if asked.is_empty() {
            return (vec![self.say(self.nothing_due())], effects);
        }
        let mut courses: Vec<&str> = Vec::new();
        for item in asked.iter().take(SITTING) {
            if let Some((course, _)) = self.view.question(item)
                && !courses.contains(&course.title.as_str())
            {
                courses.push(&course.title);
            }
        }
        let args = [
            ("count", FluentValue::from(asked.len().min(SITTING))),
            ("more", asked.len().saturating_sub(SITTING).into()),
            ("courses", courses.join(", ").into()),
        ];
        let mut actions = vec![self.say(message_with(self.lang, "review-sitting", &args))];
        for (number, item) in asked.iter().take(SITTING).enumerate() {
            let Some((_, question)) = self.view.question(item) else { continue };
            actions.extend(self.poll(item, question, number + 1));
        }
        (actions, effects)
    }

    /// The queue's size and its next review, leaving out questions whose course version is gone.
    fn nothing_due(&self) -> String {
        let queued: Vec<&ReviewItem> =
            self.view.items.iter().filter(|item| self.view.question(item).is_some()).collect();
        match queued.iter().map(|item| item.due()).min() {
            None => message(self.lang, "review-empty"),
            Some(next) => {
                let day = on_day(next.with_timezone(&self.zone).date_naive(), self.lang);
                let nudges = if self.view.nudges { "on" } else { "off" };
                let args = [
                    ("count", FluentValue::from(queued.len())),
                    ("day", day.into()),
                    ("nudges", nudges.into()),
                ];
                message_with(self.lang, "review-all-done", &args)
            }
        }
    }

    /// The question as the quiz asked it, with answers that name the review.
    fn poll(&self, item: &ReviewItem, question: &Question, number: usize) -> Option<Action> {
        let ask = ask(question);
        let ids = |choice| answer_id(item, choice);
        matches!(ask, Ask::Poll { .. })
            .then(|| self.post(question_message(number, &question.text, &ask, ids, self.lang)))
    }

    /// The answer to a review poll: graded, the question's next time kept (or it leaves the
    /// queue once learnt), and the poll closed so that it is answered once.
    pub fn vote(&self, poll_id: &EventId, vote: &ReviewVote) -> (Vec<Action>, Vec<Effect>) {
        let item = self.view.items.iter().find(|item| {
            item.course_id == vote.course_id
                && item.question == vote.question
                && item.due().timestamp_millis() == vote.asked_due
        });
        let Some(item) = item else {
            return (vec![self.say(message(self.lang, "review-stale"))], Vec::new());
        };
        let Some((_, question)) = self.view.question(item) else {
            return (vec![self.say(message(self.lang, "review-stale"))], vec![self.remove(item)]);
        };
        let Some(graded) = grade_choices(question, &vote.choices) else {
            return (vec![self.say(message(self.lang, "learning-unreadable"))], Vec::new());
        };
        let next = item.reviewed(answer_of(&graded), self.now);
        let text = [self.verdict(question, &graded), self.next_time(item, next.as_ref())].join(" ");
        let end = DirectMessage::EndPoll {
            poll_id: poll_id.to_owned(),
            text: message(self.lang, "review-answered"),
        };
        let actions = vec![self.say(text), self.post(end)];
        let change = match next {
            Some(item) => ReviewChange::Save { user_id: self.learner.to_owned(), item },
            None => ReviewChange::Remove {
                user_id: self.learner.to_owned(),
                course_id: item.course_id.clone(),
                question: item.question,
            },
        };
        (actions, vec![Effect::Review(change)])
    }

    fn verdict(&self, question: &Question, graded: &Graded) -> String {
        let mut said = vec![if graded.is_right() {
            message(self.lang, "learning-right")
        } else if graded.fraction > 0.0 {
            let score = (graded.fraction * 100.0).round() as i64;
            message_with(self.lang, "learning-partly", &[("score", score.into())])
        } else {
            message(self.lang, "learning-wrong")
        }];
        let right = right_options(question);
        if !graded.is_right() && !right.is_empty() {
            let answers = right.iter().map(|r| format!("„{r}”")).collect::<Vec<_>>().join(", ");
            said.push(message_with(self.lang, "review-right-answer", &[("answers", answers.into())]));
        }
        said.extend(graded.feedback.iter().cloned());
        said.join(" ")
    }

    /// When the question comes back, and whether the sitting is over.
    fn next_time(&self, reviewed: &ReviewItem, next: Option<&ReviewItem>) -> String {
        let when = match next {
            None => message(self.lang, "review-learnt"),
            Some(next) if next.is_due(self.now) => message(self.lang, "review-again-soon"),
            Some(next) => {
                let day = on_day(next.due().with_timezone(&self.zone).date_naive(), self.lang);
                message_with(self.lang, "review-comes-back", &[("day", day.into())])
            }
        };
        let others_due =
            self.view.items.iter().filter(|item| *item != reviewed && item.is_due(self.now)).count();
        if others_due == 0 && next.is_none_or(|next| !next.is_due(self.now)) {
            return format!("{when} {}", message(self.lang, "review-sitting-done"));
        }
        when
    }

    fn remove(&self, item: &ReviewItem) -> Effect {
        Effect::Review(ReviewChange::Remove {
            user_id: self.learner.to_owned(),
            course_id: item.course_id.clone(),
            question: item.question,
        })
    }

    fn say(&self, text: String) -> Action {
        self.post(DirectMessage::Notice(Notice::from_plain(text)))
    }

    fn post(&self, message: DirectMessage) -> Action {
        match self.room {
            Some(room) => message.in_room(room.to_owned()),
            None => Action::Direct { user_id: self.learner.to_owned(), message },
        }
    }
}

fn direct(user_id: &UserId, text: String) -> Action {
    Action::Direct { user_id: user_id.to_owned(), message: DirectMessage::Notice(Notice::from_plain(text)) }
}

#[cfg(test)]
mod tests;
