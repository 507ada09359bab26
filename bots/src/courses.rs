//! Courses in chat, the trainers' side: a trainer publishes a course by replying
//! `!kurs opublikuj` to its file. The course engine checks the whole file first; a file with
//! errors is refused with their lines, and nothing half-valid is published.

use chrono::{DateTime, Utc};
use ruma::{OwnedRoomId, OwnedUserId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use szpon_course_engine::{
    Course, CourseError, FileInfo, Section, check_attachments, describe, parse_course, read_package,
};

use crate::{Lang, Notice, booking::Effect, i18n::message_with, learning::CourseNamed};

pub mod errors;
pub mod report;

/// The office file's `[courses]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseSettings {
    /// Who may publish courses.
    pub trainers: Vec<OwnedUserId>,
    /// Rooms (or spaces) whose members the directory takes in, with the attributes they give.
    #[serde(default)]
    pub directory_rooms: Vec<DirectoryRoom>,
    /// The learners' levels, from the lowest (at 0 XP), if the office names its own.
    #[serde(default)]
    pub levels: Vec<Level>,
}

/// A level of the office's own: its name and the XP at which it starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub name: String,
    pub xp: u32,
}

/// The longest level name: it is said in a sentence ("poziom: …") and on leaderboards.
pub const LEVEL_NAME_CHARS: u32 = 40;

/// A room whose members are in the directory with its attributes: joining adds a person (unless
/// the imported directory has them), leaving removes them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryRoom {
    pub room: OwnedRoomId,
    pub office: Option<String>,
    pub department: Option<String>,
    pub role: Option<String>,
    /// "citizen" or "staff".
    pub kind: Option<String>,
}

impl DirectoryRoom {
    pub fn attributes(&self) -> szpon_course_engine::Attributes {
        [
            ("office", &self.office),
            ("department", &self.department),
            ("role", &self.role),
            ("kind", &self.kind),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)))
        .collect()
    }

    /// The directory's rows this room gives are marked with it.
    pub fn source(&self) -> String {
        format!("room:{}", self.room)
    }
}

/// A change to the directory from a room's membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DirectoryChange {
    /// Adds or updates a person, unless the imported directory has them.
    Set { user_id: OwnedUserId, attributes: szpon_course_engine::Attributes, source: String },
    /// Removes a person that this source added.
    Remove { user_id: OwnedUserId, source: String },
}

/// A course version to store, as the trainer sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub course_id: String,
    pub title: String,
    /// The file as sent: the course is read from it again wherever it is needed.
    pub source: String,
    pub published_by: OwnedUserId,
    /// Where it was published: the trainers' room, or (from the web editor) the trainer's
    /// direct chat if the bot knows it.
    #[serde(default)]
    pub room_id: Option<OwnedRoomId>,
    pub published_at: DateTime<Utc>,
    /// The pictures and files its lessons name.
    #[serde(default)]
    pub files: Vec<LessonFile>,
}

/// A lesson's file in a new version: sent with it, or kept from the version before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LessonFile {
    New { info: FileInfo, bytes: Vec<u8> },
    Kept { name: String },
}

/// A change to courses, written with the turn's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseChange {
    /// A new version of the course (the first, or the next after the latest).
    Publish(Publication),
    /// Enrols someone not enrolled, or enrolled before and gone; changes nobody already in.
    Enrol(crate::learning::Enrolment),
    /// A learner's new place in their course; `finished` with the score (in thousandths, if
    /// the course has quizzes) when the course is done.
    Progress {
        course_id: String,
        user_id: OwnedUserId,
        progress: szpon_course_engine::Progress,
        finished: Option<Option<u32>>,
        at: DateTime<Utc>,
    },
    /// Moves an active learner to a newer version of their course.
    Migrate { course_id: String, user_id: OwnedUserId, version: i64, progress: szpon_course_engine::Progress },
    /// A one-time link into the web editor for a trainer; the store keeps only its hash.
    EditorTicket { token: String, user_id: OwnedUserId, expires_at: DateTime<Utc> },
    /// Unenrols a learner; their record stays.
    Leave { course_id: String, user_id: OwnedUserId },
    /// A learner's answers to a survey. An anonymous survey's have no respondent, and are kept
    /// only as counts per option and as an unordered set of texts.
    SurveySent {
        course_id: String,
        version: i64,
        section: usize,
        respondent: Option<OwnedUserId>,
        /// How many options each item has (0 for a free text).
        options: Vec<usize>,
        answers: Vec<szpon_course_engine::SurveyAnswer>,
    },
}

/// The trainers' commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseCommand {
    /// `!kurs opublikuj`, in reply to the course's file.
    Publish,
    /// `!wyniki <kurs>`: completion and scores, with a CSV and a chart.
    Results(String),
    /// `!ankieta <kurs>`: survey results, with a CSV and a chart.
    SurveyResults(String),
    /// `!kurs przenieś <kurs>`: every learner of an older version continues in the latest.
    Migrate(String),
    /// `!kurs edytor`: a one-time link to the web editor, in the trainer's direct chat.
    Editor,
    /// `!kurs eksport <kurs>`: the latest version as a file to edit (a `.zip` with its files).
    Export(String),
    /// `!kurs` with anything else.
    Unknown(String),
}

pub fn parse_course_command(text: &str) -> Option<CourseCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let (name, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let id = arguments.trim().to_lowercase();
    match szpon_nlp::fold_diacritics(&name.to_lowercase()).as_str() {
        "kurs" | "course" => {}
        "wyniki" | "results" => return Some(CourseCommand::Results(id)),
        "ankieta" | "survey" => return Some(CourseCommand::SurveyResults(id)),
        _ => return None,
    }
    let argument = szpon_nlp::fold_diacritics(&arguments.trim().to_lowercase());
    let (verb, rest) = argument.split_once(char::is_whitespace).unwrap_or((&argument, ""));
    Some(match verb {
        "opublikuj" | "publikuj" | "publish" if rest.is_empty() => CourseCommand::Publish,
        "przenies" | "migruj" | "migrate" => CourseCommand::Migrate(rest.trim().to_owned()),
        "edytor" | "editor" if rest.is_empty() => CourseCommand::Editor,
        "eksport" | "eksportuj" | "export" => CourseCommand::Export(rest.trim().to_owned()),
        _ => CourseCommand::Unknown(argument.chars().take(40).collect()),
    })
}

/// How long a link to the web editor works, in minutes.
pub const EDITOR_LINK_MINUTES: i64 = 15;

/// Publishing a checked course, from chat or from the web editor: the new version, the course's
/// room if it asks for one, and its audience enrolled (those enrolled before stay on theirs).
pub struct Publisher<'a> {
    pub trainer: &'a UserId,
    pub room: Option<&'a ruma::RoomId>,
    pub learning: &'a crate::learning::LearningView,
    pub zone: chrono_tz::Tz,
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

impl Publisher<'_> {
    /// The reply, the actions and the effects of publishing `course` (read from `source`), with
    /// the files of its package; a picture or file its lessons name that is neither there nor
    /// kept from the version before is refused with its line.
    pub fn publish(
        &self,
        course: &Course,
        source: &str,
        package: &BTreeMap<String, Vec<u8>>,
    ) -> Result<(String, Vec<crate::Action>, Vec<Effect>), CourseError> {
        let files = self.lesson_files(course, package)?;
        let (mut lessons, mut questions, mut surveys) = (0usize, 0usize, 0usize);
        for section in &course.sections {
            match section {
                Section::Lesson { .. } => lessons += 1,
                Section::Quiz { questions: q, .. } => questions += q.len(),
                Section::Survey { .. } => surveys += 1,
            }
        }
        let publication = Publication {
            course_id: course.id.clone(),
            title: course.title.clone(),
            source: source.to_owned(),
            published_by: self.trainer.to_owned(),
            room_id: self.room.map(ToOwned::to_owned),
            published_at: self.now,
            files,
        };
        let args = [
            ("title", course.title.clone().into()),
            ("id", course.id.clone().into()),
            ("lessons", lessons.into()),
            ("questions", questions.into()),
            ("surveys", surveys.into()),
        ];
        let reply = message_with(self.lang, "courses-published", &args);
        let mut effects = vec![Effect::Course(CourseChange::Publish(publication))];
        // Before the welcomes, so that the room is there to invite the learners into.
        let mut actions: Vec<crate::Action> =
            crate::learning::course_room(course, self.trainer, self.lang).into_iter().collect();
        let version = crate::learning::CourseVersion {
            version: self.learning.latest_version.unwrap_or(0) + 1,
            course: std::sync::Arc::new(course.clone()),
        };
        let enrolled = crate::learning::reevaluate(
            &version,
            &self.learning.directory,
            &self.learning.course_enrolments,
            self.zone,
            self.now,
        );
        actions.extend(enrolled.actions);
        effects.extend(enrolled.effects);
        Ok((reply, actions, effects))
    }

    /// The files the course's lessons name: from its package, or else kept from the latest
    /// version. Files of the package that no lesson names are not kept.
    fn lesson_files(
        &self,
        course: &Course,
        package: &BTreeMap<String, Vec<u8>>,
    ) -> Result<Vec<LessonFile>, CourseError> {
        let at_hand = files_at_hand(&self.learning.latest_files, package);
        check_attachments(course, &at_hand)?;
        let mut files = Vec::new();
        for name in course.attachments().map(|a| &a.name).collect::<std::collections::BTreeSet<_>>() {
            files.push(match package.get(name) {
                Some(bytes) => LessonFile::New { info: at_hand[name].clone(), bytes: bytes.clone() },
                None => LessonFile::Kept { name: name.clone() },
            });
        }
        Ok(files)
    }
}

/// The files a new version's lessons may name: the latest version's, and those sent with it
/// (which win).
pub fn files_at_hand(
    latest: &BTreeMap<String, FileInfo>,
    package: &BTreeMap<String, Vec<u8>>,
) -> BTreeMap<String, FileInfo> {
    let mut at_hand = latest.clone();
    at_hand.extend(package.iter().map(|(name, bytes)| (name.clone(), describe(name, bytes))));
    at_hand
}

/// A course as the chat will show it, for the web editor's preview: sanitised HTML.
pub fn preview_html(course: &Course) -> String {
    let escape = |t: &str| html_escape::encode_text(t).into_owned();
    let mut html = String::new();
    for (number, section) in course.sections.iter().enumerate() {
        match section {
            Section::Lesson { title, body, attachments, .. } => {
                let files: Vec<String> = attachments
                    .iter()
                    .map(|a| match &a.kind {
                        szpon_course_engine::AttachmentKind::Image { alt } => {
                            format!("<li>obraz {} ({})</li>", escape(&a.name), escape(alt))
                        }
                        szpon_course_engine::AttachmentKind::File { title } => {
                            format!("<li>plik {} ({})</li>", escape(&a.name), escape(title))
                        }
                    })
                    .collect();
                let files = if files.is_empty() {
                    String::new()
                } else {
                    format!("<p>Po tekście:</p><ul>{}</ul>", files.join(""))
                };
                html += &format!(
                    "<div><h3>{}. Lekcja: {}</h3>{}{files}</div>",
                    number + 1,
                    escape(title),
                    crate::markdown_to_html(body)
                );
            }
            Section::Quiz { title, questions, .. } => {
                let items: Vec<String> =
                    questions.iter().map(|q| format!("<li>{}</li>", escape(&q.text))).collect();
                html += &format!(
                    "<div><h3>{}. Test: {}</h3><ol>{}</ol></div>",
                    number + 1,
                    escape(title),
                    items.join("")
                );
            }
            Section::Survey { title, items, anonymous, .. } => {
                let items: Vec<String> = items
                    .iter()
                    .map(|item| match item {
                        szpon_course_engine::SurveyItem::Likert { statement } => {
                            format!("<li>{} (skala 1–5)</li>", escape(statement))
                        }
                        szpon_course_engine::SurveyItem::Choice { question, options } => {
                            format!("<li>{} ({})</li>", escape(question), escape(&options.join(" | ")))
                        }
                        szpon_course_engine::SurveyItem::FreeText { question } => {
                            format!("<li>{} (odpowiedź tekstowa)</li>", escape(question))
                        }
                    })
                    .collect();
                let mode = if *anonymous { " (anonimowa)" } else { "" };
                html += &format!(
                    "<div><h3>{}. Ankieta: {}{mode}</h3><ol>{}</ol></div>",
                    number + 1,
                    escape(title),
                    items.join("")
                );
            }
        }
    }
    crate::sanitize_html(&html)
}

/// What one course command says and writes.
pub struct CourseTurn {
    pub reply: Notice,
    /// Said after the reply: files, charts, and the welcomes of newly enrolled learners.
    pub actions: Vec<crate::Action>,
    pub effects: Vec<Effect>,
}

/// The trainers' desk for one message.
pub struct CourseDesk<'a> {
    pub settings: Option<&'a CourseSettings>,
    pub sender: &'a UserId,
    pub room: &'a ruma::RoomId,
    /// The replied-to file's text, if the command replies to a small text file.
    pub file_text: Option<&'a str>,
    /// The replied-to `.zip` package, if the command replies to one.
    pub package: Option<&'a [u8]>,
    pub replied: bool,
    /// The replied-to file could not be fetched from the homeserver just now.
    pub file_unavailable: bool,
    /// The published course's audience and learners, or the reported course's results.
    pub learning: &'a crate::learning::LearningView,
    pub zone: chrono_tz::Tz,
    /// szpon's public web address, where the editor is.
    pub web_url: &'a str,
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

impl CourseDesk<'_> {
    pub fn handle(&self, command: &CourseCommand) -> CourseTurn {
        let is_trainer = self.settings.is_some_and(|s| s.trainers.iter().any(|t| t == self.sender));
        if !is_trainer {
            return self.say("courses-trainers-only", vec![]);
        }
        match command {
            CourseCommand::Unknown(_) => self.say("courses-usage", vec![]),
            CourseCommand::Publish => self.publish(),
            CourseCommand::Migrate(id) => self.migrate(id),
            CourseCommand::Editor => self.editor_link(),
            CourseCommand::Export(id) => self.export(id),
            CourseCommand::Results(id) | CourseCommand::SurveyResults(id) if id.is_empty() => {
                self.say("courses-report-usage", vec![])
            }
            CourseCommand::Results(id) | CourseCommand::SurveyResults(id) => {
                let named = |r: &&report::CourseReport| {
                    matches!(
                        crate::learning::find_course([r.course.course.as_ref()], id),
                        CourseNamed::One(_)
                    )
                };
                let Some(report) = self.learning.report.as_ref().filter(named) else {
                    return self.unknown_course(id);
                };
                let (reply, actions) = if matches!(command, CourseCommand::Results(_)) {
                    report::results(report, self.room, self.lang)
                } else {
                    report::survey_results(report, self.room, self.lang)
                };
                CourseTurn { reply: Notice::from_plain(reply), actions, effects: Vec::new() }
            }
        }
    }

    fn publish(&self) -> CourseTurn {
        if let Some(bytes) = self.package {
            return match read_package(bytes) {
                Err(error) => {
                    let detail = errors::package_error(&error, self.lang);
                    self.say("courses-invalid-package", vec![("error", detail.into())])
                }
                Ok(package) => match parse_course(&package.source) {
                    Err(error) => self.refuse(&error),
                    Ok(course) => self.published(&course, &package.source, &package.files),
                },
            };
        }
        if self.file_unavailable {
            return self.say("courses-file-unavailable", vec![]);
        }
        let Some(source) = self.file_text else {
            let key = if self.replied { "courses-not-a-course-file" } else { "courses-reply-to-file" };
            return self.say(key, vec![]);
        };
        match parse_course(source) {
            Err(error) => self.refuse(&error),
            Ok(course) => self.published(&course, source, &BTreeMap::new()),
        }
    }

    /// The latest version, back as a file to edit, where the trainer asked.
    fn export(&self, id: &str) -> CourseTurn {
        let Some(latest) = self.learning.versions.iter().max_by_key(|v| v.version) else {
            return self.no_such_course(id, ["eksport", "export"]);
        };
        let package = if latest.course.attachments().next().is_some() { "yes" } else { "no" };
        let args = vec![
            ("title", latest.course.title.clone().into()),
            ("version", latest.version.into()),
            ("package", package.into()),
        ];
        let mut turn = self.say("courses-exported", args);
        turn.actions.push(crate::Action::SendCourseFile {
            room_id: self.room.to_owned(),
            file: crate::learning::CourseFile::Export { course_id: id.to_owned(), version: latest.version },
        });
        turn
    }

    /// A one-time link to the web editor, valid for a quarter of an hour, sent in the trainer's
    /// direct chat (a link is a key: it is never posted where others read).
    fn editor_link(&self) -> CourseTurn {
        let token = self.learning.new_token.clone();
        let link = format!("{}/kursy/edytor/wejscie/{token}", self.web_url.trim_end_matches('/'));
        let text = message_with(self.lang, "courses-editor-link", &[("link", link.into())]);
        let mut turn = self.say("courses-editor-sent", vec![]);
        turn.actions.push(crate::Action::Direct {
            user_id: self.sender.to_owned(),
            message: crate::learning::DirectMessage::Notice(Notice::from_plain(text)),
        });
        turn.effects.push(Effect::Course(CourseChange::EditorTicket {
            token,
            user_id: self.sender.to_owned(),
            expires_at: self.now + chrono::Duration::minutes(EDITOR_LINK_MINUTES),
        }));
        turn
    }

    /// Moves every active learner of an older version to the latest one, at the same section.
    fn migrate(&self, id: &str) -> CourseTurn {
        let Some(latest) = self.learning.versions.iter().max_by_key(|v| v.version) else {
            return self.no_such_course(id, ["przenieś", "migrate"]);
        };
        let mut turn = self.say("courses-migrated", vec![]);
        let mut moved = 0usize;
        for enrolment in &self.learning.course_enrolments {
            let from = self.learning.versions.iter().find(|v| v.version == enrolment.version);
            let Some(from) = from.filter(|_| {
                enrolment.status == crate::learning::EnrolmentStatus::Active
                    && enrolment.version < latest.version
            }) else {
                continue;
            };
            let progress = enrolment.progress.migrated(&from.course, &latest.course);
            turn.effects.push(Effect::Course(CourseChange::Migrate {
                course_id: id.to_owned(),
                user_id: enrolment.user_id.clone(),
                version: latest.version,
                progress,
            }));
            let text =
                message_with(Lang::Pl, "learning-migrated", &[("title", latest.course.title.clone().into())]);
            turn.actions.push(crate::Action::Direct {
                user_id: enrolment.user_id.clone(),
                message: crate::learning::DirectMessage::Notice(Notice::from_plain(text)),
            });
            moved += 1;
        }
        let args = vec![
            ("count", moved.into()),
            ("version", latest.version.into()),
            ("title", latest.course.title.clone().into()),
        ];
        turn.reply = Notice::from_plain(message_with(self.lang, "courses-migrated", &args));
        turn
    }

    /// `!kurs <verb>` without a course, or with one that was never published.
    fn no_such_course(&self, id: &str, [polish, english]: [&'static str; 2]) -> CourseTurn {
        if id.is_empty() {
            let verb = if self.lang == Lang::En { english } else { polish };
            return self.say("courses-id-needed", vec![("verb", verb.into())]);
        }
        self.say("learning-unknown-course", vec![("id", id.to_owned().into())])
    }

    fn refuse(&self, error: &CourseError) -> CourseTurn {
        let detail = errors::course_error(&error.kind, self.lang);
        self.say("courses-invalid", vec![("line", error.line.into()), ("error", detail.into())])
    }

    fn published(&self, course: &Course, source: &str, package: &BTreeMap<String, Vec<u8>>) -> CourseTurn {
        let publisher = Publisher {
            trainer: self.sender,
            room: Some(self.room),
            learning: self.learning,
            zone: self.zone,
            now: self.now,
            lang: self.lang,
        };
        match publisher.publish(course, source, package) {
            Ok((reply, actions, effects)) => {
                CourseTurn { reply: Notice::from_plain(reply), actions, effects }
            }
            Err(error) => self.refuse(&error),
        }
    }

    /// No report of the course named: the courses that fit, if several do, else "no such course".
    fn unknown_course(&self, asked: &str) -> CourseTurn {
        let catalogue = self.learning.catalogue.iter().map(|c| c.course.as_ref());
        match crate::learning::find_course(catalogue, asked) {
            CourseNamed::Several(courses) => CourseTurn {
                reply: Notice::from_plain(crate::learning::which_course(&courses, self.lang)),
                actions: Vec::new(),
                effects: Vec::new(),
            },
            CourseNamed::One(_) | CourseNamed::NotFound => {
                self.say("learning-unknown-course", vec![("id", asked.to_owned().into())])
            }
        }
    }

    fn say(
        &self,
        key: &str,
        args: Vec<(&'static str, fluent_templates::fluent_bundle::FluentValue<'static>)>,
    ) -> CourseTurn {
        CourseTurn {
            reply: Notice::from_plain(message_with(self.lang, key, &args)),
            actions: Vec::new(),
            effects: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use ruma::room_id;

    use super::*;

    const COURSE: &str = "---\nid: segregacja\ntitle: Segregacja odpadów\n---\n# Lekcja: Po co\nTekst.\n\n# Test: Sprawdź\n```gift\nSłoik? {=do szkła ~do papieru}\n```\n";

    fn turn(sender: &str, file_text: Option<&str>, replied: bool) -> CourseTurn {
        let settings = CourseSettings {
            trainers: vec![OwnedUserId::try_from("@trener:localhost").unwrap()],
            directory_rooms: Vec::new(),
            levels: Vec::new(),
        };
        let learning = crate::learning::LearningView::default();
        let desk = CourseDesk {
            settings: Some(&settings),
            sender: <&UserId>::try_from(sender).unwrap(),
            room: room_id!("!trenerzy:localhost"),
            file_text,
            package: None,
            replied,
            file_unavailable: false,
            learning: &learning,
            zone: chrono_tz::Europe::Warsaw,
            web_url: "https://szpon.example.pl",
            now: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
            lang: Lang::Pl,
        };
        desk.handle(&CourseCommand::Publish)
    }

    #[test]
    fn a_trainer_publishes_a_checked_file() {
        let published = turn("@trener:localhost", Some(COURSE), true);
        assert_eq!(
            published.reply.plain,
            "Opublikowano kurs „Segregacja odpadów” (segregacja): 1 lekcja, 1 pytanie, 0 ankiet."
        );
        let [Effect::Course(CourseChange::Publish(publication))] = &published.effects[..] else { panic!() };
        assert_eq!((publication.course_id.as_str(), publication.source.as_str()), ("segregacja", COURSE));
    }

    #[test]
    fn errors_are_named_by_line_and_nothing_is_published() {
        let broken = COURSE.replace("~do papieru}", "~do papieru");
        let refused = turn("@trener:localhost", Some(&broken), true);
        assert!(refused.effects.is_empty());
        assert_eq!(
            refused.reply.plain,
            "Kurs nie został opublikowany: wiersz 10: pytanie testu: blok odpowiedzi otwarty „{” nie jest \
             zamknięty. Popraw plik i wyślij go jeszcze raz."
        );
        assert!(turn("@trener:localhost", None, false).reply.plain.starts_with("Odpowiedz poleceniem"));
        assert!(turn("@trener:localhost", None, true).reply.plain.starts_with("To nie jest plik kursu"));
        let stranger = turn("@jan:localhost", Some(COURSE), true);
        assert!(stranger.effects.is_empty());
        assert!(stranger.reply.plain.starts_with("Kursy publikują trenerzy"), "{}", stranger.reply.plain);
    }

    #[test]
    fn a_trainer_moves_learners_to_the_latest_version() {
        use crate::learning::{CourseVersion, Enrolment, EnrolmentStatus, LearningView, Origin};
        let version = |n: i64, source: &str| CourseVersion {
            version: n,
            course: std::sync::Arc::new(szpon_course_engine::parse_course(source).unwrap()),
        };
        let second = COURSE.replace("# Test: Sprawdź", "# Lekcja: Kolory\nZielony.\n\n# Test: Sprawdź");
        let learner = |user: &str, version: i64, status| Enrolment {
            course_id: "segregacja".into(),
            user_id: OwnedUserId::try_from(user).unwrap(),
            version,
            status,
            origin: Origin::Chosen,
            progress: szpon_course_engine::Progress { section: 1, ..Default::default() },
            enrolled_at: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
        };
        let learning = LearningView {
            versions: vec![version(1, COURSE), version(2, &second)],
            course_enrolments: vec![
                learner("@anna:localhost", 1, EnrolmentStatus::Active),
                learner("@ola:localhost", 2, EnrolmentStatus::Active),
                learner("@jan:localhost", 1, EnrolmentStatus::Left),
            ],
            ..LearningView::default()
        };
        let settings = trainer_settings();
        let desk = trainer_desk(&settings, &learning);
        let turn = desk.handle(&CourseCommand::Migrate("segregacja".into()));
        assert_eq!(
            turn.reply.plain,
            "Przeniesiono na wersję 2 kursu „Segregacja odpadów”: 1 osobę. Każda kontynuuje od tej samej części."
        );
        let [Effect::Course(CourseChange::Migrate { user_id, version: 2, progress, .. })] = &turn.effects[..]
        else {
            panic!("{:?}", turn.effects)
        };
        // Anna was at the quiz, which is the third section now.
        assert_eq!((user_id.as_str(), progress.section), ("@anna:localhost", 2));

        let exported = desk.handle(&CourseCommand::Export("segregacja".into()));
        assert!(exported.reply.plain.starts_with("Kurs „Segregacja odpadów” (wersja 2) w pliku poniżej"));
        let [
            crate::Action::SendCourseFile {
                file: crate::learning::CourseFile::Export { version: 2, .. },
                ..
            },
        ] = &exported.actions[..]
        else {
            panic!("{:?}", exported.actions)
        };
        let nothing = CourseDesk { learning: &LearningView::default(), ..desk };
        let unnamed = nothing.handle(&CourseCommand::Export(String::new()));
        assert_eq!(unnamed.reply.plain, "Podaj skrót kursu, np. „!kurs eksport segregacja”.");
        let unknown = nothing.handle(&CourseCommand::Migrate("brak".into()));
        assert!(unknown.reply.plain.starts_with("Nie znam kursu „brak”."), "{}", unknown.reply.plain);
    }

    fn trainer_settings() -> CourseSettings {
        CourseSettings {
            trainers: vec![OwnedUserId::try_from("@trener:localhost").unwrap()],
            directory_rooms: Vec::new(),
            levels: Vec::new(),
        }
    }

    /// The trainer's desk in the trainers' room, with no file attached.
    fn trainer_desk<'a>(
        settings: &'a CourseSettings,
        learning: &'a crate::learning::LearningView,
    ) -> CourseDesk<'a> {
        CourseDesk {
            settings: Some(settings),
            sender: <&UserId>::try_from("@trener:localhost").unwrap(),
            room: room_id!("!trenerzy:localhost"),
            file_text: None,
            package: None,
            replied: false,
            file_unavailable: false,
            learning,
            zone: chrono_tz::Europe::Warsaw,
            web_url: "https://szpon.example.pl",
            now: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
            lang: Lang::Pl,
        }
    }

    /// A report asked for by a name that fits several courses lists them, as `!zapisz` does.
    #[test]
    fn results_for_a_name_that_fits_several_courses_ask_which() {
        use crate::learning::{CourseVersion, LearningView};
        let version = |source: &str| CourseVersion {
            version: 1,
            course: std::sync::Arc::new(szpon_course_engine::parse_course(source).unwrap()),
        };
        let firms =
            COURSE.replace("id: segregacja\ntitle: Segregacja odpadów", "id: firmy\ntitle: Odpady w firmie");
        let learning =
            LearningView { catalogue: vec![version(COURSE), version(&firms)], ..LearningView::default() };
        let settings = trainer_settings();
        let desk = trainer_desk(&settings, &learning);
        let asked = desk.handle(&CourseCommand::Results("odpadow".into()));
        assert_eq!(
            asked.reply.plain,
            "Pasuje kilka kursów — napisz proszę skrót tego, o który chodzi:\n\
             • Odpady w firmie („firmy”)\n• Segregacja odpadów („segregacja”)"
        );
        let unknown = desk.handle(&CourseCommand::SurveyResults("astronomia".into()));
        assert!(unknown.reply.plain.starts_with("Nie znam kursu „astronomia”."), "{}", unknown.reply.plain);
    }

    #[test]
    fn commands() {
        assert_eq!(parse_course_command("!kurs opublikuj"), Some(CourseCommand::Publish));
        assert_eq!(parse_course_command("!course publish"), Some(CourseCommand::Publish));
        assert_eq!(parse_course_command("!kurs zrób"), Some(CourseCommand::Unknown("zrob".into())));
        assert_eq!(
            parse_course_command("!kurs przenieś segregacja"),
            Some(CourseCommand::Migrate("segregacja".into()))
        );
        assert_eq!(
            parse_course_command("!kurs eksport Punkty"),
            Some(CourseCommand::Export("punkty".into()))
        );
        assert_eq!(parse_course_command("!kursy"), None);
    }
}
