//! Courses in chat, the learners' side: enrolment (by the course's audience, or by the learner's
//! own `!zapisz`), lessons on the pacing schedule or on "dalej", quizzes as native polls and
//! typed answers, and surveys. The course engine decides the way through a course; this module
//! says it in Polish (or English) and turns it into Matrix actions.

use std::{collections::BTreeSet, sync::Arc};

use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, UserId};
use serde::{Deserialize, Serialize};
use szpon_course_engine::{
    Ask, Attributes, Course, Delivery, Entry, Event, Pacing, Progress, SurveyAnswer, course::Section,
    enrolment_changes,
};

use crate::{
    Action, Job, Lang, Notice, PollChoice,
    booking::Effect,
    courses::CourseChange,
    i18n::{message, message_with},
};

/// One person's place in one course. The store keeps it for good, after leaving as well.
/// A learner's progress through a course, kept with their enrolment.
impl crate::durable::Durable for Progress {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub course_id: String,
    pub user_id: OwnedUserId,
    /// The course version the learner takes: they finish the version they started.
    pub version: i64,
    pub status: EnrolmentStatus,
    pub origin: Origin,
    pub progress: Progress,
    pub enrolled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrolmentStatus {
    Active,
    Finished,
    /// Unenrolled (by `!wypisz`, or no longer in the audience); the record stays.
    Left,
}

impl EnrolmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Active => "active",
            EnrolmentStatus::Finished => "finished",
            EnrolmentStatus::Left => "left",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "active" => EnrolmentStatus::Active,
            "finished" => EnrolmentStatus::Finished,
            "left" => EnrolmentStatus::Left,
            _ => return None,
        })
    }
}

/// Why someone is enrolled: the audience rule let go only of those it enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    Audience,
    Chosen,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Audience => "audience",
            Origin::Chosen => "chosen",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "audience" => Origin::Audience,
            "chosen" => Origin::Chosen,
            _ => return None,
        })
    }
}

/// A published course version, read.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseVersion {
    pub version: i64,
    pub course: Arc<Course>,
}

/// Which course a person means by what they wrote after `!zapisz`, `!wyniki` and the like.
#[derive(Debug, Clone)]
pub enum CourseNamed<'a> {
    One(&'a Course),
    /// Several fit about as well: the person is asked which.
    Several(Vec<&'a Course>),
    NotFound,
}

/// The course named by its short name, its title or a part of either, without diacritics or
/// with a typo, as services are found: "segregacja", "Segregacja odpadów", "segregacji".
pub fn find_course<'a>(courses: impl IntoIterator<Item = &'a Course>, asked: &str) -> CourseNamed<'a> {
    let courses: Vec<&Course> = courses.into_iter().collect();
    let folded = szpon_nlp::fold_diacritics(&asked.trim().to_lowercase());
    if let Some(course) = courses.iter().find(|c| szpon_nlp::fold_diacritics(&c.id.to_lowercase()) == folded)
    {
        return CourseNamed::One(course);
    }
    let mut names = szpon_nlp::Gazetteer::new();
    for course in &courses {
        let id_words = course.id.replace(['-', '_'], " ");
        names.add("course", &course.id, &course.title);
        names.add("course", &course.id, &id_words);
        // A single word of the title or the short name names the course too, if it is not a
        // little word that every title has.
        for word in course.title.split_whitespace().chain(id_words.split_whitespace()) {
            if word.chars().count() >= 5 {
                names.add("course", &course.id, word);
            }
        }
    }
    let found: Vec<&Course> = names
        .best_values(&folded)
        .iter()
        .filter_map(|id| courses.iter().copied().find(|c| &c.id == id))
        .collect();
    match &found[..] {
        [] => CourseNamed::NotFound,
        [one] => CourseNamed::One(one),
        _ => CourseNamed::Several(found),
    }
}

/// The courses' work for later, kept in the store until it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CourseJob {
    /// A lesson time of a scheduled course: the next section for every learner ready for it.
    #[serde(rename = "course_lesson")]
    Lesson { course_id: String, at: DateTime<Utc> },
}

impl CourseJob {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self) -> String {
        let CourseJob::Lesson { course_id, at } = self;
        format!("lesson:{course_id}:{}", at.timestamp())
    }
}

/// What the store knows that a learner's turn needs.
#[derive(Debug, Clone, Default)]
pub struct LearningView {
    /// The sender's enrolments, with the version each one takes.
    pub enrolments: Vec<(Enrolment, CourseVersion)>,
    /// The latest version of every course, for `!kursy` and `!zapisz`.
    pub catalogue: Vec<CourseVersion>,
    /// The sender's directory entry.
    pub attributes: Option<Attributes>,
    /// The sender's direct chat with the bot, where their course polls are.
    pub direct_room: Option<OwnedRoomId>,
    /// For a publication: the directory, the course's enrolments and its latest version.
    pub directory: Vec<Entry>,
    pub course_enrolments: Vec<Enrolment>,
    pub latest_version: Option<i64>,
    /// The latest version's lesson files, which a new version may name without sending again.
    pub latest_files: std::collections::BTreeMap<String, szpon_course_engine::FileInfo>,
    /// For `!kurs przenieś`: every version of the course.
    pub versions: Vec<CourseVersion>,
    /// For a directory room's membership: where each person of the directory comes from, and
    /// every course's latest version with its enrolments.
    pub directory_sources: Vec<(OwnedUserId, String)>,
    pub all_courses: Vec<(CourseVersion, Vec<Enrolment>)>,
    /// A fresh secret, for a link to the web editor made in this turn.
    pub new_token: String,
    /// For `!wyniki` and `!ankieta`: the course's results.
    pub report: Option<crate::courses::report::CourseReport>,
}

/// Something for one person's direct chat with the bot. The chat is opened first if there is
/// none yet: an audience may be enrolled before anyone in it wrote to the bot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DirectMessage {
    Notice(Notice),
    Poll {
        question: String,
        fallback: String,
        choices: Vec<PollChoice>,
        max_selections: u32,
    },
    EndPoll {
        poll_id: OwnedEventId,
        text: String,
    },
    /// A lesson's picture or file.
    File(CourseFile),
}

/// A file szpon keeps with a course, sent as a picture (`m.image`) or a file (`m.file`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseFile {
    /// A picture or file of a lesson, from the course version's package.
    Lesson { course_id: String, version: i64, name: String, kind: szpon_course_engine::AttachmentKind },
    /// The course version exported: its Markdown with the questions in GIFT, packed in a `.zip`
    /// with its lessons' files if it has any.
    Export { course_id: String, version: i64 },
    /// A learner's certificate of a course, drawn as a PDF from what the store kept.
    Certificate { user_id: OwnedUserId, course_id: String },
}

impl DirectMessage {
    /// The action that says this in a known room.
    pub fn in_room(&self, room_id: OwnedRoomId) -> Action {
        match self.clone() {
            DirectMessage::Notice(notice) => Action::SendNotice { room_id, notice },
            DirectMessage::Poll { question, fallback, choices, max_selections } => {
                Action::SendPoll { room_id, question, fallback, choices, max_selections }
            }
            DirectMessage::EndPoll { poll_id, text } => Action::EndPoll { room_id, poll_id, text },
            DirectMessage::File(file) => Action::SendCourseFile { room_id, file },
        }
    }
}

/// Something about a course's room, which szpon creates with the course's first publication
/// that asks for one (`room: true`), and remembers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseRoomAction {
    /// Create the room, unless the course has one: encrypted, private, with the publishing
    /// trainer at power 50 and learners at 0 (as Moodle's Matrix provider sets them).
    Create {
        name: String,
        topic: String,
        trainer: OwnedUserId,
    },
    Invite {
        user_id: OwnedUserId,
    },
    Remove {
        user_id: OwnedUserId,
        reason: String,
    },
}

/// A learner's invitation into the course's room, if it has one.
fn room_invite(course: &Course, user: &UserId) -> Option<Action> {
    course.room.then(|| Action::CourseRoom {
        course_id: course.id.clone(),
        action: CourseRoomAction::Invite { user_id: user.to_owned() },
    })
}

/// A learner's removal from the course's room, if it has one.
fn room_removal(course: &Course, user: &UserId, lang: Lang) -> Option<Action> {
    course.room.then(|| Action::CourseRoom {
        course_id: course.id.clone(),
        action: CourseRoomAction::Remove {
            user_id: user.to_owned(),
            reason: message_with(lang, "learning-room-left", &[("title", course.title.clone().into())]),
        },
    })
}

/// The course's room, created on its first publication that asks for one.
pub fn course_room(course: &Course, trainer: &UserId, lang: Lang) -> Option<Action> {
    course.room.then(|| Action::CourseRoom {
        course_id: course.id.clone(),
        action: CourseRoomAction::Create {
            name: message_with(lang, "learning-room-name", &[("title", course.title.clone().into())]),
            topic: message_with(lang, "learning-room-topic", &[("id", course.id.clone().into())]),
            trainer: trainer.to_owned(),
        },
    })
}

/// Where a learner's messages go: the chat they wrote from, or their direct chat, whichever it is.
#[derive(Debug, Clone, Copy)]
pub enum Recipient<'a> {
    Room(&'a ruma::RoomId),
    Person(&'a UserId),
}

impl Recipient<'_> {
    fn action(&self, message: DirectMessage) -> Action {
        match self {
            Recipient::Room(room) => message.in_room((*room).to_owned()),
            Recipient::Person(user) => Action::Direct { user_id: (*user).to_owned(), message },
        }
    }
}

/// The learners' commands and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LearnerCommand {
    /// `!kursy`
    List,
    /// `!zapisz <kurs>`
    Enrol(String),
    /// `!wypisz [kurs]`
    Leave(Option<String>),
    /// "dalej"
    Next,
    /// "ponów"
    Retry,
}

pub fn parse_learner_command(text: &str) -> Option<LearnerCommand> {
    let folded = szpon_nlp::fold_diacritics(&text.trim().to_lowercase());
    let folded = folded.trim_end_matches(['.', '!']);
    match folded {
        "dalej" | "next" | "nastepna" | "nastepna lekcja" => return Some(LearnerCommand::Next),
        "ponow" | "jeszcze raz" | "retry" => return Some(LearnerCommand::Retry),
        _ => {}
    }
    let rest = folded.strip_prefix('!')?;
    let (name, argument) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let argument = argument.trim();
    match name {
        "kursy" | "courses" => Some(LearnerCommand::List),
        "zapisz" | "enrol" | "enroll" => Some(LearnerCommand::Enrol(argument.to_owned())),
        "wypisz" | "leave" | "unenrol" => {
            Some(LearnerCommand::Leave((!argument.is_empty()).then(|| argument.to_owned())))
        }
        _ => None,
    }
}

/// The answer ids of a course's polls: `kurs:<course>:<version>:<section>:<question>:<choice>`.
pub fn poll_answer_id(
    course_id: &str,
    version: i64,
    section: usize,
    question: usize,
    choice: usize,
) -> String {
    format!("kurs:{course_id}:{version}:{section}:{question}:{choice}")
}

/// A course poll's answers, read back: the course, version, section, question and choices.
pub fn parse_poll_answers(answers: &[String]) -> Option<(String, i64, usize, usize, Vec<usize>)> {
    let mut found: Option<(String, i64, usize, usize)> = None;
    let mut choices = Vec::new();
    for answer in answers {
        let mut parts = answer.strip_prefix("kurs:")?.split(':');
        let course = parts.next()?.to_owned();
        let version = parts.next()?.parse().ok()?;
        let section = parts.next()?.parse().ok()?;
        let question = parts.next()?.parse().ok()?;
        let choice = parts.next()?.parse().ok()?;
        let key = (course, version, section, question);
        if found.as_ref().is_some_and(|f| *f != key) {
            return None;
        }
        found = Some(key);
        choices.push(choice);
    }
    let (course, version, section, question) = found?;
    Some((course, version, section, question, choices))
}

/// What one learner turn says and writes.
#[derive(Debug, Default)]
pub struct LearnerTurn {
    pub actions: Vec<Action>,
    pub effects: Vec<Effect>,
}

/// One learner's desk for one message or vote.
pub struct LearnerDesk<'a> {
    pub view: &'a LearningView,
    pub learner: &'a UserId,
    pub room: &'a ruma::RoomId,
    pub zone: chrono_tz::Tz,
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

impl LearnerDesk<'_> {
    pub fn command(&self, command: &LearnerCommand) -> LearnerTurn {
        match command {
            LearnerCommand::List => self.reply(self.list()),
            LearnerCommand::Enrol(id) => self.enrol(id),
            LearnerCommand::Leave(id) => self.leave(id.as_deref()),
            LearnerCommand::Next => self.step(&Event::Next, "learning-nothing-to-continue"),
            LearnerCommand::Retry => self.step(&Event::Retry, "learning-nothing-to-continue"),
        }
    }

    /// A message that answers the question a learner was asked, if one waits for an answer.
    pub fn typed_answer(&self, text: &str) -> Option<LearnerTurn> {
        let (enrolment, version) = self.active().find(|(e, v)| e.progress.awaits_typed_answer(&v.course))?;
        Some(self.advance(enrolment, version, &Event::Typed(text)))
    }

    /// A vote in a course's poll.
    pub fn vote(&self, poll_id: &ruma::EventId, answers: &[String]) -> LearnerTurn {
        let Some((course_id, version, section, question, choices)) = parse_poll_answers(answers) else {
            return LearnerTurn::default();
        };
        // A course's polls are in the learner's own direct chat: a vote from elsewhere (a poll
        // forwarded, someone else's) changes nothing.
        if self.view.direct_room.as_deref().is_some_and(|room| room != self.room) {
            return self.reply(message(self.lang, "learning-not-your-poll"));
        }
        let found = self.active().find(|(e, v)| e.course_id == course_id && v.version == version);
        let Some((enrolment, course)) = found else {
            return self.reply(message(self.lang, "learning-not-enrolled-vote"));
        };
        let event = Event::Chosen { section, question, choices, poll: poll_id.to_string() };
        self.advance(enrolment, course, &event)
    }

    fn active(&self) -> impl Iterator<Item = (&Enrolment, &CourseVersion)> {
        self.view.enrolments.iter().filter(|(e, _)| e.status == EnrolmentStatus::Active).map(|(e, v)| (e, v))
    }

    /// "dalej" or "ponów": for the course that waits for the learner (the latest enrolled).
    fn step(&self, event: &Event<'_>, nothing: &str) -> LearnerTurn {
        let Some((enrolment, version)) = self.active().max_by_key(|(e, _)| e.enrolled_at) else {
            return self.reply(message(self.lang, nothing));
        };
        self.advance(enrolment, version, event)
    }

    fn advance(&self, enrolment: &Enrolment, version: &CourseVersion, event: &Event<'_>) -> LearnerTurn {
        let Some((progress, said)) = enrolment.progress.handle(&version.course, event) else {
            return LearnerTurn::default();
        };
        let recipient = Recipient::Room(self.room);
        let learned = crate::gamification::learned(
            self.learner,
            &version.course,
            &enrolment.progress,
            event,
            &said,
            self.now,
        );
        let missed =
            crate::review::missed(self.learner, &version.course, version.version, event, &said, self.now);
        let mut turn = deliveries(enrolment, version, progress, &said, recipient, self.lang, self.now);
        turn.effects.extend(learned);
        turn.effects.extend(missed);
        turn
    }

    fn list(&self) -> String {
        let open: Vec<&CourseVersion> =
            self.view.catalogue.iter().filter(|c| self.may_join(&c.course)).collect();
        if open.is_empty() {
            return message(self.lang, "learning-no-courses");
        }
        let lines: Vec<String> = open
            .iter()
            .map(|c| {
                let status = self
                    .view
                    .enrolments
                    .iter()
                    .find(|(e, _)| e.course_id == c.course.id)
                    .map_or("none", |(e, _)| e.status.as_str());
                message_with(
                    self.lang,
                    "learning-course-line",
                    &[
                        ("id", c.course.id.clone().into()),
                        ("title", c.course.title.clone().into()),
                        ("status", status.into()),
                    ],
                )
            })
            .collect();
        format!("{}\n{}", message(self.lang, "learning-courses-header"), lines.join("\n"))
    }

    /// Whether the learner may take a course: it is open to anyone, or its audience has them.
    fn may_join(&self, course: &Course) -> bool {
        match (&course.audience, &self.view.attributes) {
            (None, _) => true,
            (Some(rule), Some(attributes)) => rule.matches(attributes),
            (Some(_), None) => false,
        }
    }

    fn enrol(&self, id: &str) -> LearnerTurn {
        if id.is_empty() {
            return self.reply(message(self.lang, "learning-enrol-usage"));
        }
        let latest = match find_course(self.view.catalogue.iter().map(|c| c.course.as_ref()), id) {
            CourseNamed::One(course) => self.view.catalogue.iter().find(|c| c.course.id == course.id),
            CourseNamed::Several(courses) => return self.reply(self.which_course(&courses)),
            CourseNamed::NotFound => None,
        };
        let Some(latest) = latest else {
            return self.reply(message_with(
                self.lang,
                "learning-unknown-course",
                &[("id", id.to_owned().into())],
            ));
        };
        let id = latest.course.id.as_str();
        if !self.may_join(&latest.course) {
            return self.reply(message(self.lang, "learning-not-in-audience"));
        }
        let current = self.view.enrolments.iter().find(|(e, _)| e.course_id == id);
        if let Some((enrolment, _)) = current.filter(|(e, _)| e.status != EnrolmentStatus::Left) {
            let key = if enrolment.status == EnrolmentStatus::Active {
                "learning-already-enrolled"
            } else {
                "learning-already-finished"
            };
            return self.reply(message(self.lang, key));
        }
        let enrolment = Enrolment {
            course_id: id.to_owned(),
            user_id: self.learner.to_owned(),
            version: latest.version,
            status: EnrolmentStatus::Active,
            origin: Origin::Chosen,
            progress: Progress::default(),
            enrolled_at: self.now,
        };
        let mut turn =
            welcome(&enrolment, latest, Recipient::Room(self.room), self.zone, self.lang, self.now);
        turn.effects.insert(0, Effect::Course(CourseChange::Enrol(enrolment)));
        turn.actions.extend(room_invite(&latest.course, self.learner));
        turn
    }

    fn leave(&self, id: Option<&str>) -> LearnerTurn {
        let active: Vec<&Enrolment> = self.active().map(|(e, _)| e).collect();
        let chosen = match (id, &active[..]) {
            (None, [only]) => *only,
            (None, []) => return self.reply(message(self.lang, "learning-nothing-to-leave")),
            (None, _) => return self.reply(message(self.lang, "learning-leave-which")),
            (Some(id), _) => {
                let taken = self
                    .view
                    .enrolments
                    .iter()
                    .filter(|(e, _)| active.contains(&e))
                    .map(|(_, v)| v.course.as_ref());
                match find_course(taken, id) {
                    CourseNamed::One(course) => match active.iter().find(|e| e.course_id == course.id) {
                        Some(e) => *e,
                        None => return self.reply(message(self.lang, "learning-nothing-to-leave")),
                    },
                    CourseNamed::Several(courses) => return self.reply(self.which_course(&courses)),
                    CourseNamed::NotFound => {
                        return self.reply(message(self.lang, "learning-nothing-to-leave"));
                    }
                }
            }
        };
        let left =
            CourseChange::Leave { course_id: chosen.course_id.clone(), user_id: chosen.user_id.clone() };
        let course = self.view.enrolments.iter().find(|(e, _)| e.course_id == chosen.course_id);
        let title = course.map(|(_, v)| v.course.title.clone()).unwrap_or_default();
        let mut turn = self.reply(message_with(self.lang, "learning-left", &[("title", title.into())]));
        turn.effects.push(Effect::Course(left));
        turn.actions.extend(course.and_then(|(_, v)| room_removal(&v.course, self.learner, self.lang)));
        turn
    }

    /// "Pasuje kilka kursów…": the courses that fit, with their short names, to choose from.
    fn which_course(&self, courses: &[&Course]) -> String {
        which_course(courses, self.lang)
    }

    fn reply(&self, text: String) -> LearnerTurn {
        let notice = Notice::from_plain(text);
        LearnerTurn {
            actions: vec![Action::SendNotice { room_id: self.room.to_owned(), notice }],
            effects: Vec::new(),
        }
    }
}

/// The question of which course a person means, when several fit what they wrote.
pub(crate) fn which_course(courses: &[&Course], lang: Lang) -> String {
    let list = courses.iter().map(|c| format!("• {} („{}”)", c.title, c.id)).collect::<Vec<_>>().join("\n");
    message_with(lang, "learning-which-course", &[("list", list.into())])
}

/// The welcome of a new enrolment; on demand the first section comes with it.
fn welcome(
    enrolment: &Enrolment,
    version: &CourseVersion,
    recipient: Recipient<'_>,
    zone: chrono_tz::Tz,
    lang: Lang,
    now: DateTime<Utc>,
) -> LearnerTurn {
    let course = &version.course;
    let pace = match &course.pacing {
        Pacing::OnDemand => message(lang, "learning-pace-on-demand"),
        Pacing::Schedule(_) => match next_lesson(course, zone, now) {
            Some(at) => {
                let when = crate::booking::format::when(at, zone, lang);
                message_with(lang, "learning-pace-next", &[("when", when.into())])
            }
            None => message(lang, "learning-pace-on-demand"),
        },
    };
    let text = message_with(
        lang,
        "learning-welcome",
        &[
            ("title", course.title.clone().into()),
            ("id", course.id.clone().into()),
            ("sections", course.sections.len().into()),
            ("pace", pace.into()),
        ],
    );
    let mut turn = LearnerTurn {
        actions: vec![recipient.action(DirectMessage::Notice(Notice::from_plain(text)))],
        effects: Vec::new(),
    };
    if course.pacing == Pacing::OnDemand
        && let Some((progress, said)) = enrolment.progress.handle(course, &Event::Next)
    {
        let first = deliveries(enrolment, version, progress, &said, recipient, lang, now);
        turn.actions.extend(first.actions);
        turn.effects.extend(first.effects);
    }
    turn
}

/// The next lesson time of a scheduled course, after `now`.
pub fn next_lesson(course: &Course, zone: chrono_tz::Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let local = now.with_timezone(&zone).naive_local();
    let next = course.pacing.next_after(local)?;
    Some(crate::calendar::local_to_utc(next, zone))
}

/// The course engine's deliveries as actions, with the progress they leave stored.
fn deliveries(
    enrolment: &Enrolment,
    version: &CourseVersion,
    progress: Progress,
    said: &[Delivery],
    recipient: Recipient<'_>,
    lang: Lang,
    now: DateTime<Utc>,
) -> LearnerTurn {
    let mut turn = LearnerTurn::default();
    let course = &version.course;
    let mut finished: Option<Option<u32>> = None;
    for delivery in said {
        match delivery {
            Delivery::Question { section, question, number, text, ask } => {
                let ids = |choice| poll_answer_id(&course.id, version.version, *section, *question, choice);
                turn.actions.push(recipient.action(question_message(*number, text, ask, ids, lang)));
            }
            Delivery::QuizClosed { polls, score, passed, .. } => {
                let summary = closed_poll_text(*score, *passed, lang);
                for poll in polls {
                    if let Ok(poll_id) = OwnedEventId::try_from(poll.as_str()) {
                        let end = DirectMessage::EndPoll { poll_id, text: summary.clone() };
                        turn.actions.push(recipient.action(end));
                    }
                }
                let notice = Notice::from_plain(delivery_text(delivery, lang));
                turn.actions.push(recipient.action(DirectMessage::Notice(notice)));
            }
            Delivery::SurveySent { section, anonymous, answers, polls } => {
                turn.effects
                    .push(Effect::Course(survey_sent(enrolment, version, *section, *anonymous, answers)));
                // Its polls are ended, so that nobody votes in a survey already sent.
                let ended = message(lang, "learning-survey-poll-ended");
                for poll_id in polls.iter().filter_map(|poll| OwnedEventId::try_from(poll.as_str()).ok()) {
                    turn.actions
                        .push(recipient.action(DirectMessage::EndPoll { poll_id, text: ended.clone() }));
                }
                let notice = Notice::from_plain(delivery_text(delivery, lang));
                turn.actions.push(recipient.action(DirectMessage::Notice(notice)));
            }
            Delivery::Completed { score, .. } => {
                finished = Some(score.map(|s| (s * 1000.0).round() as u32));
                let notice = Notice::from_plain(delivery_text(delivery, lang));
                turn.actions.push(recipient.action(DirectMessage::Notice(notice)));
            }
            Delivery::Lesson { body, attachments, .. } => {
                let heading = delivery_text(delivery, lang);
                let notice = Notice::new(
                    format!("{heading}\n\n{body}"),
                    format!("<p>{}</p>{}", crate::plain_to_html(&heading), crate::markdown_to_html(body)),
                );
                turn.actions.push(recipient.action(DirectMessage::Notice(notice)));
                for attachment in attachments {
                    let file = lesson_file(&course.id, version.version, attachment);
                    turn.actions.push(recipient.action(DirectMessage::File(file)));
                }
            }
            other => {
                let notice = Notice::from_plain(delivery_text(other, lang));
                turn.actions.push(recipient.action(DirectMessage::Notice(notice)));
            }
        }
    }
    if let Some((earned, messages)) =
        crate::certificates::earned(&enrolment.user_id, course, version.version, said, lang, now)
    {
        turn.effects.push(earned);
        turn.actions.extend(messages.into_iter().map(|message| recipient.action(message)));
    }
    if progress != enrolment.progress {
        turn.effects.insert(
            0,
            Effect::Course(CourseChange::Progress {
                course_id: enrolment.course_id.clone(),
                user_id: enrolment.user_id.clone(),
                progress,
                finished,
                at: now,
            }),
        );
    }
    turn
}

fn survey_sent(
    enrolment: &Enrolment,
    version: &CourseVersion,
    section: usize,
    anonymous: bool,
    answers: &[SurveyAnswer],
) -> CourseChange {
    let Some(Section::Survey { items, .. }) = version.course.sections.get(section) else {
        unreachable!("the course engine sends only its surveys' answers")
    };
    let options = items
        .iter()
        .map(|item| match item {
            szpon_course_engine::SurveyItem::Likert { .. } => 5,
            szpon_course_engine::SurveyItem::Choice { options, .. } => options.len(),
            szpon_course_engine::SurveyItem::FreeText { .. } => 0,
        })
        .collect();
    CourseChange::SurveySent {
        course_id: enrolment.course_id.clone(),
        version: version.version,
        section,
        // Anonymous answers carry nobody's name, here or in the store.
        respondent: (!anonymous).then(|| enrolment.user_id.clone()),
        options,
        answers: answers.to_vec(),
    }
}

pub(crate) fn question_message(
    number: usize,
    text: &str,
    ask: &Ask,
    id: impl Fn(usize) -> String,
    lang: Lang,
) -> DirectMessage {
    match ask {
        Ask::Poll { options, max_selections } => {
            let choices: Vec<PollChoice> = options
                .iter()
                .enumerate()
                .map(|(i, label)| PollChoice { id: id(i), label: label.clone() })
                .collect();
            let listed: Vec<String> =
                options.iter().enumerate().map(|(i, o)| format!("{}. {o}", i + 1)).collect();
            let fallback = format!("{number}. {text}\n{}", listed.join("\n"));
            DirectMessage::Poll {
                question: format!("{number}. {text}"),
                fallback,
                choices,
                max_selections: u32::try_from(*max_selections).unwrap_or(1),
            }
        }
        Ask::Typed { numeric } => {
            let key = if *numeric { "learning-type-number" } else { "learning-type-answer" };
            let text = format!("{number}. {text}\n{}", message(lang, key));
            DirectMessage::Notice(Notice::from_plain(text))
        }
        Ask::Matching { left, right } => {
            let left: Vec<String> = left.iter().enumerate().map(|(i, l)| format!("{}. {l}", i + 1)).collect();
            let right: Vec<String> = right
                .iter()
                .enumerate()
                .map(|(i, r)| format!("{}) {r}", char::from(b'a' + i as u8)))
                .collect();
            let text = format!(
                "{number}. {text}\n{}\n\n{}\n{}",
                left.join("\n"),
                right.join("\n"),
                message(lang, "learning-type-matching")
            );
            DirectMessage::Notice(Notice::from_plain(text))
        }
    }
}

fn percent(score: f64) -> i64 {
    (score * 100.0).round() as i64
}

fn closed_poll_text(score: f64, passed: bool, lang: Lang) -> String {
    message_with(
        lang,
        "learning-poll-closed",
        &[("score", percent(score).into()), ("passed", if passed { "yes" } else { "no" }.into())],
    )
}

fn lesson_file(course_id: &str, version: i64, attachment: &szpon_course_engine::Attachment) -> CourseFile {
    let (name, kind) = (attachment.name.clone(), attachment.kind.clone());
    CourseFile::Lesson { course_id: course_id.to_owned(), version, name, kind }
}

/// What a delivery says; for a lesson, its heading (its body follows, as Markdown).
fn delivery_text(delivery: &Delivery, lang: Lang) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)>;
    let key = match delivery {
        Delivery::Lesson { title, number, total, .. } => {
            return format!(
                "📘 {}",
                message_with(
                    lang,
                    "learning-lesson",
                    &[
                        ("title", title.clone().into()),
                        ("number", (*number).into()),
                        ("total", (*total).into()),
                    ]
                )
            );
        }
        Delivery::QuizStarted { title, questions, attempt, attempts } => {
            args = vec![
                ("title", title.clone().into()),
                ("questions", (*questions).into()),
                ("attempt", (*attempt).into()),
                ("attempts", (*attempts).into()),
            ];
            "learning-quiz-started"
        }
        Delivery::Feedback { graded } => {
            let verdict = if graded.is_right() {
                message(lang, "learning-right")
            } else if graded.fraction > 0.0 {
                message_with(lang, "learning-partly", &[("score", percent(graded.fraction).into())])
            } else {
                message(lang, "learning-wrong")
            };
            return std::iter::once(verdict)
                .chain(graded.feedback.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
        }
        Delivery::Received => return message(lang, "learning-received"),
        Delivery::Note { text } | Delivery::Question { text, .. } => return text.clone(),
        Delivery::QuizClosed { score, pass_score, passed, attempts_left, .. } => {
            args = vec![
                ("score", percent(*score).into()),
                ("pass", i64::from(*pass_score).into()),
                ("passed", if *passed { "yes" } else { "no" }.into()),
                ("left", (*attempts_left).into()),
            ];
            "learning-quiz-closed"
        }
        Delivery::SurveyStarted { title, items, anonymous } => {
            args = vec![
                ("title", title.clone().into()),
                ("items", (*items).into()),
                ("anonymous", if *anonymous { "yes" } else { "no" }.into()),
            ];
            "learning-survey-started"
        }
        Delivery::SurveySent { .. } => return message(lang, "learning-survey-sent"),
        Delivery::Completed { score, passed } => {
            args = vec![
                ("score", score.map_or(-1, percent).into()),
                ("passed", if *passed { "yes" } else { "no" }.into()),
            ];
            "learning-completed"
        }
        Delivery::AnswerFirst => return message(lang, "learning-answer-first"),
        Delivery::Unreadable { numeric: true } => return message(lang, "learning-type-number"),
        Delivery::Unreadable { numeric: false } => return message(lang, "learning-unreadable"),
        Delivery::Closed => return message(lang, "learning-closed"),
        Delivery::NothingToRetry => return message(lang, "learning-nothing-to-retry"),
        Delivery::NothingMore => return message(lang, "learning-nothing-more"),
    };
    message_with(lang, key, &args)
}

/// Who the audience of a course version now takes in and lets go, as enrolments and their
/// welcomes: after a publication, and after the directory changed.
pub fn reevaluate(
    version: &CourseVersion,
    directory: &[Entry],
    enrolments: &[Enrolment],
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> LearnerTurn {
    let mut turn = LearnerTurn::default();
    let course = &version.course;
    let Some(rule) = &course.audience else { return turn };
    let enrolled: BTreeSet<OwnedUserId> =
        enrolments.iter().filter(|e| e.status != EnrolmentStatus::Left).map(|e| e.user_id.clone()).collect();
    let (enrol, release) = enrolment_changes(rule, directory, &enrolled);
    let gone: BTreeSet<&OwnedUserId> =
        enrolments.iter().filter(|e| e.status == EnrolmentStatus::Left).map(|e| &e.user_id).collect();
    for user in enrol {
        // Someone who left on their own is not enrolled again by the rule.
        if gone.contains(user) && enrolments.iter().any(|e| &e.user_id == user && e.origin == Origin::Chosen)
        {
            continue;
        }
        let enrolment = Enrolment {
            course_id: course.id.clone(),
            user_id: user.clone(),
            version: version.version,
            status: EnrolmentStatus::Active,
            origin: Origin::Audience,
            progress: Progress::default(),
            enrolled_at: now,
        };
        let welcomed = welcome(&enrolment, version, Recipient::Person(user), zone, Lang::Pl, now);
        turn.effects.push(Effect::Course(CourseChange::Enrol(enrolment)));
        turn.effects.extend(welcomed.effects);
        turn.actions.extend(welcomed.actions);
        turn.actions.extend(room_invite(course, user));
    }
    for user in release {
        let by_rule = enrolments.iter().any(|e| {
            e.user_id == user && e.origin == Origin::Audience && e.status == EnrolmentStatus::Active
        });
        if !by_rule {
            continue;
        }
        let text = message_with(Lang::Pl, "learning-released", &[("title", course.title.clone().into())]);
        turn.actions.push(Action::Direct {
            user_id: user.clone(),
            message: DirectMessage::Notice(Notice::from_plain(text)),
        });
        turn.actions.extend(room_removal(course, &user, Lang::Pl));
        turn.effects
            .push(Effect::Course(CourseChange::Leave { course_id: course.id.clone(), user_id: user }));
    }
    if let Some(at) = next_lesson(course, zone, now) {
        turn.effects.push(lesson_job(&course.id, at));
    }
    turn
}

/// A joining or leaving member of a directory room: the directory changes, and every course's
/// audience is re-evaluated on the changed directory.
pub fn membership_changed(
    room: &crate::courses::DirectoryRoom,
    membership: &crate::Membership,
    view: &LearningView,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> LearnerTurn {
    let source = room.source();
    let user = &membership.user_id;
    // The imported directory wins, and a leave takes out only what this room put in.
    let current = view.directory_sources.iter().find(|(u, _)| u == user).map(|(_, s)| s.as_str());
    let replaced = match (membership.joined, current) {
        (_, Some("import")) => false,
        (true, _) => true,
        (false, current) => current == Some(source.as_str()),
    };
    let mut directory: Vec<Entry> =
        view.directory.iter().filter(|e| &e.user_id != user || !replaced).cloned().collect();
    let change = if membership.joined {
        if replaced {
            directory.push(Entry { user_id: user.clone(), attributes: room.attributes() });
        }
        crate::courses::DirectoryChange::Set { user_id: user.clone(), attributes: room.attributes(), source }
    } else {
        crate::courses::DirectoryChange::Remove { user_id: user.clone(), source }
    };
    let mut turn = LearnerTurn { actions: Vec::new(), effects: vec![Effect::Directory(change)] };
    for (version, enrolments) in &view.all_courses {
        let changed = reevaluate(version, &directory, enrolments, zone, now);
        turn.actions.extend(changed.actions);
        turn.effects.extend(changed.effects);
    }
    turn
}

/// The pacing job of a scheduled course: each lesson time delivers the next section to every
/// active learner who is not in the middle of a quiz or survey.
pub fn lesson_job(course_id: &str, at: DateTime<Utc>) -> Effect {
    Effect::Schedule { job: Job::Course(CourseJob::Lesson { course_id: course_id.to_owned(), at }), due: at }
}

/// A lesson time of a course: every ready learner gets their next section, in their direct chat.
pub fn lesson_time(
    versions: &[CourseVersion],
    enrolments: &[Enrolment],
    at: DateTime<Utc>,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> LearnerTurn {
    let mut turn = LearnerTurn::default();
    let Some(latest) = versions.iter().max_by_key(|v| v.version) else { return turn };
    for enrolment in enrolments.iter().filter(|e| e.status == EnrolmentStatus::Active) {
        let Some(version) = versions.iter().find(|v| v.version == enrolment.version) else { continue };
        if enrolment.progress.stage != szpon_course_engine::Stage::Ready {
            continue;
        }
        let Some((progress, said)) = enrolment.progress.handle(&version.course, &Event::Next) else {
            continue;
        };
        let recipient = Recipient::Person(&enrolment.user_id);
        let delivered = deliveries(enrolment, version, progress, &said, recipient, Lang::Pl, now);
        turn.actions.extend(delivered.actions);
        turn.effects.extend(delivered.effects);
    }
    // The schedule goes on from the lesson time, not from when it ran: a late run after
    // downtime sends one lesson, not every one missed.
    if let Some(next) = next_lesson(&latest.course, zone, at.max(now)) {
        turn.effects.push(lesson_job(&latest.course.id, next));
    }
    turn
}

#[cfg(test)]
mod tests;
