//! A course file: Markdown with YAML front matter. Sections are level-one headings: lessons
//! ("# Lekcja: …"), quizzes ("# Test: …", with GIFT in a ```gift block) and surveys
//! ("# Ankieta: …", with a ```survey block). Everything is checked before anything is used,
//! and every error names its line.

use serde::Deserialize;
use thiserror::Error;

use crate::{
    aiken::{AikenErrorKind, parse_aiken},
    audience::{Rule, RuleError, parse_rule},
    badges::{AuthorBadge, BadgeError, RawBadge, check_badges},
    gift::{GiftErrorKind, MAX_SOURCE_BYTES, Question, QuestionKind, parse_gift, to_gift},
};

/// A course, as published.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    /// A short name, unique in the office: `!zapisz <id>`.
    pub id: String,
    pub title: String,
    pub languages: Vec<String>,
    /// Who is enrolled automatically; none for a course people join themselves.
    pub audience: Option<Rule>,
    pub pacing: Pacing,
    pub completion: Completion,
    /// Whether the course has a room for discussion, next to the lessons in direct chats.
    pub room: bool,
    /// The learning time the author states (`hours: 1.5`), in minutes, for the certificate.
    pub minutes: Option<u32>,
    /// The course's own badges (`badges:`), each with what earns it.
    pub badges: Vec<AuthorBadge>,
    pub sections: Vec<Section>,
}

/// When lessons come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pacing {
    /// The next lesson comes when the learner writes "dalej".
    OnDemand,
    /// One lesson at each time of a cron schedule (minute, hour, day, month, weekday).
    Schedule(String),
}

/// What finishing the course takes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Completion {
    /// The share of the quizzes' points needed to pass, in percent.
    #[serde(default)]
    pub pass_score: u8,
    /// How many times a quiz may be taken.
    #[serde(default = "one")]
    pub attempts: u32,
}

fn one() -> u32 {
    1
}

impl Default for Completion {
    fn default() -> Self {
        Completion { pass_score: 0, attempts: 1 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// A lesson's text, with its pictures and files taken out to be sent after it.
    Lesson {
        title: String,
        body: String,
        attachments: Vec<Attachment>,
        line: usize,
    },
    Quiz {
        title: String,
        questions: Vec<Question>,
        line: usize,
    },
    Survey {
        title: String,
        items: Vec<SurveyItem>,
        anonymous: bool,
        line: usize,
    },
}

/// A picture or a file of a lesson, named by its path in the course's package (a `.zip` with
/// the course file): `![alt](mapa.png)` or `[Regulamin](regulamin.pdf)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub kind: AttachmentKind,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub enum AttachmentKind {
    /// Shown inline; `alt` stands in for it where it cannot be seen.
    Image { alt: String },
    /// Sent as a file, with the link's words as its caption.
    File { title: String },
}

impl Course {
    /// Every picture and file its lessons name, in order.
    pub fn attachments(&self) -> impl Iterator<Item = &Attachment> {
        self.sections.iter().flat_map(|section| match section {
            Section::Lesson { attachments, .. } => attachments.as_slice(),
            _ => &[],
        })
    }
}

/// A survey's question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SurveyItem {
    /// Agreement with a statement, from "zdecydowanie nie" to "zdecydowanie tak" (1–5).
    Likert {
        statement: String,
    },
    Choice {
        question: String,
        options: Vec<String>,
    },
    FreeText {
        question: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {kind}")]
pub struct CourseError {
    pub line: usize,
    pub kind: CourseErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CourseErrorKind {
    #[error("the file has {0} bytes; at most {max} are taken", max = MAX_SOURCE_BYTES)]
    TooLarge(usize),
    #[error("the file must start with front matter between two --- lines")]
    NoFrontMatter,
    #[error("the front matter cannot be read: {0}")]
    FrontMatter(String),
    #[error("the id {0:?} may only have lowercase letters, digits and dashes")]
    BadId(String),
    #[error("the audience rule: {0}")]
    Audience(RuleError),
    #[error("the pacing {0:?} is neither \"na żądanie\" nor a cron schedule such as \"0 9 * * 1-5\"")]
    BadPacing(String),
    #[error("the pass score {0} is over 100")]
    BadPassScore(u8),
    #[error("the hours {0} are not a number of hours between 0 and 1000, such as 2 or 1.5")]
    BadHours(String),
    #[error("badges: {0}")]
    Badge(BadgeError),
    #[error("{0:?} is not a section; a heading starts with \"Lekcja:\", \"Test:\" or \"Ankieta:\"")]
    UnknownSection(String),
    #[error("text before the first section")]
    TextBeforeSections,
    #[error("the course has no sections")]
    NoSections,
    #[error("a ``` block is never closed")]
    UnclosedBlock,
    #[error("the section {0:?} has no ```{1} block")]
    MissingBlock(String, &'static str),
    #[error("a quiz question: {0}")]
    Question(GiftErrorKind),
    #[error("an Aiken question: {0}")]
    AikenQuestion(AikenErrorKind),
    #[error(
        "the picture {0:?} is on the web; Matrix clients show only pictures sent with the message, so put it in the course's .zip package"
    )]
    RemoteImage(String),
    #[error("the file name {0:?} must be a path inside the course's package, without \"..\"")]
    BadFileName(String),
    #[error("the course's package has no file {0:?}")]
    MissingFile(String),
    #[error("{0:?} is not a picture (PNG, JPEG, GIF or WebP)")]
    NotAnImage(String),
    #[error("a quiz has only questions, not a description")]
    QuizDescription,
    #[error("{0:?} is not a survey item; write \"skala: …\", \"wybór: … | … | …\" or \"tekst: …\"")]
    BadSurveyItem(String),
}

fn error(line: usize, kind: CourseErrorKind) -> CourseError {
    CourseError { line, kind }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    #[serde(default = "polish")]
    languages: Vec<String>,
    audience: Option<String>,
    #[serde(default)]
    pacing: Option<String>,
    #[serde(default)]
    completion: Completion,
    #[serde(default)]
    room: bool,
    hours: Option<f64>,
    #[serde(default)]
    badges: Vec<RawBadge>,
}

fn polish() -> Vec<String> {
    vec!["pl".to_owned()]
}

/// Reads and checks a course file.
pub fn parse_course(source: &str) -> Result<Course, CourseError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(error(1, CourseErrorKind::TooLarge(source.len())));
    }
    let lines: Vec<&str> = source.lines().collect();
    if lines.first().map(|l| l.trim()) != Some("---") {
        return Err(error(1, CourseErrorKind::NoFrontMatter));
    }
    let Some(end) = lines.iter().skip(1).position(|l| l.trim() == "---").map(|i| i + 1) else {
        return Err(error(1, CourseErrorKind::NoFrontMatter));
    };
    let front: FrontMatter = serde_yaml::from_str(&lines[1..end].join("\n")).map_err(|e| {
        let line = e.location().map_or(1, |l| l.line() + 1);
        error(line, CourseErrorKind::FrontMatter(e.to_string()))
    })?;
    let field_line = |name: &str| {
        lines[1..end]
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{name}:")))
            .map_or(1, |i| i + 2)
    };
    if front.id.is_empty()
        || !front.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(error(field_line("id"), CourseErrorKind::BadId(front.id)));
    }
    let audience = front
        .audience
        .as_deref()
        .map(parse_rule)
        .transpose()
        .map_err(|e| error(field_line("audience"), CourseErrorKind::Audience(e)))?;
    let pacing = pacing(front.pacing.as_deref()).map_err(|kind| error(field_line("pacing"), kind))?;
    if front.completion.pass_score > 100 {
        return Err(error(
            field_line("pass_score"),
            CourseErrorKind::BadPassScore(front.completion.pass_score),
        ));
    }
    let minutes = match front.hours {
        None => None,
        Some(hours) if hours > 0.0 && hours <= 1000.0 => Some((hours * 60.0).round() as u32),
        Some(hours) => return Err(error(field_line("hours"), CourseErrorKind::BadHours(hours.to_string()))),
    };
    let sections = sections(&lines, end + 1)?;
    let lessons = sections.iter().filter(|s| matches!(s, Section::Lesson { .. })).count();
    let quizzes = sections.iter().filter(|s| matches!(s, Section::Quiz { .. })).count();
    let badges = check_badges(front.badges, lessons, quizzes)
        .map_err(|e| error(field_line("badges"), CourseErrorKind::Badge(e)))?;
    Ok(Course {
        id: front.id,
        title: front.title,
        languages: front.languages,
        audience,
        pacing,
        completion: front.completion,
        room: front.room,
        minutes,
        badges,
        sections,
    })
}

fn pacing(text: Option<&str>) -> Result<Pacing, CourseErrorKind> {
    let Some(text) = text.map(str::trim) else { return Ok(Pacing::OnDemand) };
    if matches!(text.to_lowercase().as_str(), "na żądanie" | "na zadanie" | "on demand" | "") {
        return Ok(Pacing::OnDemand);
    }
    match crate::pacing::crontab_schedule(text) {
        Some(_) => Ok(Pacing::Schedule(text.to_owned())),
        None => Err(CourseErrorKind::BadPacing(text.to_owned())),
    }
}

/// The lines of each section: its heading's line (from 1), its title, kind and body.
struct Raw<'a> {
    line: usize,
    kind: SectionKind,
    title: String,
    body: Vec<(usize, &'a str)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Lesson,
    Quiz,
    Survey,
}

fn section_kind(heading: &str) -> Option<(SectionKind, String)> {
    let (word, title) = heading.split_once(':')?;
    let kind = match word.trim().to_lowercase().as_str() {
        "lekcja" | "lesson" => SectionKind::Lesson,
        "test" | "quiz" | "sprawdzian" => SectionKind::Quiz,
        "ankieta" | "survey" => SectionKind::Survey,
        _ => return None,
    };
    Some((kind, title.trim().to_owned()))
}

fn sections(lines: &[&str], first: usize) -> Result<Vec<Section>, CourseError> {
    let mut raw: Vec<Raw<'_>> = Vec::new();
    let mut fence: Option<usize> = None;
    for (index, line) in lines.iter().enumerate().skip(first) {
        let number = index + 1;
        if line.trim_start().starts_with("```") {
            fence = if fence.is_some() { None } else { Some(number) };
        }
        match line.strip_prefix("# ") {
            Some(heading) if fence.is_none() => {
                let (kind, title) = section_kind(heading).ok_or_else(|| {
                    error(number, CourseErrorKind::UnknownSection(heading.trim().to_owned()))
                })?;
                raw.push(Raw { line: number, kind, title, body: Vec::new() });
            }
            _ => match raw.last_mut() {
                Some(section) => section.body.push((number, line)),
                None if line.trim().is_empty() => {}
                None => return Err(error(number, CourseErrorKind::TextBeforeSections)),
            },
        }
    }
    if let Some(line) = fence {
        return Err(error(line, CourseErrorKind::UnclosedBlock));
    }
    if raw.is_empty() {
        return Err(error(lines.len().max(1), CourseErrorKind::NoSections));
    }
    raw.into_iter().map(section).collect()
}

fn section(raw: Raw<'_>) -> Result<Section, CourseError> {
    let Raw { line, kind, title, body } = raw;
    match kind {
        SectionKind::Lesson => {
            let (body, attachments) = lesson(&body)?;
            Ok(Section::Lesson { title, body, attachments, line })
        }
        SectionKind::Quiz => {
            // A quiz's questions in GIFT, or in Aiken (imported from a bank as it is).
            let (start, questions) = if let Some((start, block, _)) = block(&body, "aiken") {
                let questions = parse_aiken(&block)
                    .map_err(|e| error(start + e.line, CourseErrorKind::AikenQuestion(e.kind)))?;
                (start, questions)
            } else {
                let (start, block, _) = block(&body, "gift")
                    .ok_or_else(|| error(line, CourseErrorKind::MissingBlock(title.clone(), "gift")))?;
                (
                    start,
                    parse_gift(&block)
                        .map_err(|e| error(start + e.line, CourseErrorKind::Question(e.kind)))?,
                )
            };
            let questions: Vec<Question> =
                questions.into_iter().map(|q| Question { line: start + q.line, ..q }).collect();
            if let Some(q) = questions.iter().find(|q| q.kind == QuestionKind::Description) {
                return Err(error(q.line, CourseErrorKind::QuizDescription));
            }
            Ok(Section::Quiz { title, questions, line })
        }
        SectionKind::Survey => {
            let (start, block, info) = block(&body, "survey")
                .ok_or_else(|| error(line, CourseErrorKind::MissingBlock(title.clone(), "survey")))?;
            let items = block
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    survey_item(l).ok_or_else(|| {
                        error(
                            start + i + 1,
                            CourseErrorKind::BadSurveyItem(l.trim().chars().take(60).collect()),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let anonymous = info.split_whitespace().any(|w| w == "anonymous" || w == "anonimowa");
            Ok(Section::Survey { title, items, anonymous, line })
        }
    }
}

/// The course file as exported: the same Markdown, with any Aiken block written as GIFT, so
/// that Moodle and szpon both read its quizzes.
pub fn export_markdown(source: &str) -> Result<String, CourseError> {
    parse_course(source)?;
    let mut out = Vec::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let info = line.trim_start().strip_prefix("```").map(str::trim);
        if info.and_then(|i| i.split_whitespace().next()) != Some("aiken") {
            out.push(line.to_owned());
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| !l.trim_start().starts_with("```")).collect();
        let questions = parse_aiken(&block.join("\n")).expect("checked above");
        out.push("```gift".to_owned());
        out.push(to_gift(&questions).trim_end().to_owned());
        out.push("```".to_owned());
    }
    Ok(out.join("\n") + "\n")
}

/// A lesson's text and the pictures and files it names. A picture on a line of its own is taken
/// out of the text; a picture or a link within text leaves its words, marked with a paperclip.
/// Links to the web stay as they are; pictures on the web are refused (clients would not show
/// them in a notice).
fn lesson(body: &[(usize, &str)]) -> Result<(String, Vec<Attachment>), CourseError> {
    let mut text = Vec::new();
    let mut attachments = Vec::new();
    let mut fenced = false;
    for (number, line) in body {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced || line.trim_start().starts_with("```") {
            text.push((*line).to_owned());
            continue;
        }
        let (kept, found) = links(line, *number)?;
        attachments.extend(found);
        let alone = kept.trim().is_empty() && !line.trim().is_empty();
        if !alone {
            text.push(kept);
        }
    }
    Ok((text.join("\n").trim().to_owned(), attachments))
}

/// One line of a lesson with its links to files of the package replaced by their words.
fn links(line: &str, number: usize) -> Result<(String, Vec<Attachment>), CourseError> {
    let mut kept = String::new();
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let image = open > 0 && rest[..open].ends_with('!');
        let Some((words, target, after)) = link_at(&rest[open..]) else {
            kept.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        };
        let before = if image { &rest[..open - 1] } else { &rest[..open] };
        kept.push_str(before);
        let target = target.trim();
        if is_remote(target) {
            if image {
                return Err(error(number, CourseErrorKind::RemoteImage(target.to_owned())));
            }
            kept.push_str(&rest[open..rest.len() - after.len()]);
        } else {
            let name = package_path(target).ok_or_else(|| {
                error(number, CourseErrorKind::BadFileName(target.chars().take(80).collect()))
            })?;
            let kind = if image {
                AttachmentKind::Image { alt: words.to_owned() }
            } else {
                kept.push_str(&format!("{words} 📎"));
                AttachmentKind::File { title: words.to_owned() }
            };
            found.push(Attachment { name, kind, line: number });
        }
        rest = after;
    }
    kept.push_str(rest);
    Ok((kept, found))
}

/// `[words](target)` at the start of `text`: the words, the target and what follows.
fn link_at(text: &str) -> Option<(&str, &str, &str)> {
    let close = text.find("](")?;
    let words = &text[1..close];
    if words.contains('[') || words.contains(']') {
        return None;
    }
    let target_start = close + 2;
    let end = text[target_start..].find(')')? + target_start;
    Some((words, &text[target_start..end], &text[end + 1..]))
}

fn is_remote(target: &str) -> bool {
    target.starts_with('#')
        || target.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

/// A file's path inside the course's package, if it is one: relative, without "..".
pub fn package_path(target: &str) -> Option<String> {
    let path = target.strip_prefix("./").unwrap_or(target);
    let fine = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
        && !path.chars().any(char::is_control);
    fine.then(|| path.to_owned())
}

/// The first ```name block of a section: the line before its first, its text, and the words
/// after the name.
fn block(body: &[(usize, &str)], name: &str) -> Option<(usize, String, String)> {
    let open = body.iter().position(|(_, l)| {
        l.trim_start().strip_prefix("```").is_some_and(|info| info.split_whitespace().next() == Some(name))
    })?;
    let info = body[open].1.trim_start().trim_start_matches("```").trim().to_owned();
    let close = body[open + 1..].iter().position(|(_, l)| l.trim_start().starts_with("```"))? + open + 1;
    let text: Vec<&str> = body[open + 1..close].iter().map(|(_, l)| *l).collect();
    Some((body[open].0, text.join("\n"), info))
}

fn survey_item(line: &str) -> Option<SurveyItem> {
    let (kind, rest) = line.split_once(':')?;
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    match kind.trim().to_lowercase().as_str() {
        "skala" | "likert" => Some(SurveyItem::Likert { statement: rest.to_owned() }),
        "tekst" | "text" => Some(SurveyItem::FreeText { question: rest.to_owned() }),
        "wybór" | "wybor" | "choice" => {
            let mut parts = rest.split('|').map(str::trim);
            let question = parts.next()?.to_owned();
            let options: Vec<String> = parts.filter(|p| !p.is_empty()).map(str::to_owned).collect();
            (options.len() >= 2).then_some(SurveyItem::Choice { question, options })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
