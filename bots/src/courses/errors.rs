//! A course file's errors said in the trainer's language: the course engine names them in
//! English for developers; trainers read them in chat and in the web editor.

use fluent_templates::fluent_bundle::FluentValue;
use szpon_course_engine::{
    PackageError,
    aiken::AikenErrorKind,
    audience::RuleErrorKind,
    badges::{BadgeError, MAX_BADGES, MAX_NAME_CHARS},
    course::CourseErrorKind,
    gift::{GiftErrorKind, MAX_SOURCE_BYTES},
    package,
};

use crate::{Lang, i18n::message_with};

/// The error, without its line (which the caller says).
pub fn course_error(kind: &CourseErrorKind, lang: Lang) -> String {
    let say = |key: &str, args: &[(&'static str, FluentValue<'static>)]| message_with(lang, key, args);
    let text = |t: &str| FluentValue::from(t.chars().take(60).collect::<String>());
    match kind {
        CourseErrorKind::TooLarge(bytes) => {
            say("course-error-too-large", &[("bytes", (*bytes).into()), ("max", MAX_SOURCE_BYTES.into())])
        }
        CourseErrorKind::NoFrontMatter => say("course-error-no-front-matter", &[]),
        CourseErrorKind::FrontMatter(detail) => say("course-error-front-matter", &[("detail", text(detail))]),
        CourseErrorKind::BadId(id) => say("course-error-bad-id", &[("id", text(id))]),
        CourseErrorKind::Audience(rule) => {
            let detail = rule_error(&rule.kind, lang);
            say("course-error-audience", &[("column", rule.column.into()), ("detail", detail.into())])
        }
        CourseErrorKind::BadPacing(pacing) => say("course-error-bad-pacing", &[("pacing", text(pacing))]),
        CourseErrorKind::BadPassScore(score) => {
            say("course-error-bad-pass-score", &[("score", (*score).into())])
        }
        CourseErrorKind::BadHours(hours) => say("course-error-bad-hours", &[("hours", text(hours))]),
        CourseErrorKind::Badge(badge) => badge_error(badge, lang),
        CourseErrorKind::UnknownSection(heading) => {
            say("course-error-unknown-section", &[("heading", text(heading))])
        }
        CourseErrorKind::TextBeforeSections => say("course-error-text-before-sections", &[]),
        CourseErrorKind::NoSections => say("course-error-no-sections", &[]),
        CourseErrorKind::UnclosedBlock => say("course-error-unclosed-block", &[]),
        CourseErrorKind::MissingBlock(section, block) => {
            say("course-error-missing-block", &[("section", text(section)), ("block", (*block).into())])
        }
        CourseErrorKind::Question(gift) => {
            say("course-error-question", &[("detail", gift_error(gift, lang).into())])
        }
        CourseErrorKind::QuizDescription => say("course-error-quiz-description", &[]),
        CourseErrorKind::BadSurveyItem(item) => say("course-error-bad-survey-item", &[("item", text(item))]),
        CourseErrorKind::AikenQuestion(aiken) => {
            say("course-error-aiken-question", &[("detail", aiken_error(aiken, lang).into())])
        }
        CourseErrorKind::RemoteImage(url) => say("course-error-remote-image", &[("url", text(url))]),
        CourseErrorKind::BadFileName(name) => say("course-error-bad-file-name", &[("name", text(name))]),
        CourseErrorKind::MissingFile(name) => say("course-error-missing-file", &[("name", text(name))]),
        CourseErrorKind::NotAnImage(name) => say("course-error-not-an-image", &[("name", text(name))]),
    }
}

fn badge_error(error: &BadgeError, lang: Lang) -> String {
    let say = |key: &str, args: &[(&'static str, FluentValue<'static>)]| message_with(lang, key, args);
    let text = |t: &str| FluentValue::from(t.chars().take(60).collect::<String>());
    match error {
        BadgeError::TooMany(count) => {
            say("course-error-badges-too-many", &[("count", (*count).into()), ("max", MAX_BADGES.into())])
        }
        BadgeError::BadName(name) => {
            say("course-error-badge-name", &[("name", text(name)), ("max", MAX_NAME_CHARS.into())])
        }
        BadgeError::SameName(name) => say("course-error-badge-same-name", &[("name", text(name))]),
        BadgeError::BadRule(rule) => say("course-error-badge-rule", &[("rule", text(rule))]),
        BadgeError::NoQuiz(name) => say("course-error-badge-no-quiz", &[("name", text(name))]),
        BadgeError::NoSuchLesson { name, number, lessons } => say(
            "course-error-badge-no-lesson",
            &[("name", text(name)), ("number", (*number).into()), ("lessons", (*lessons).into())],
        ),
    }
}

fn aiken_error(kind: &AikenErrorKind, lang: Lang) -> String {
    let say = |key: &str, args: &[(&'static str, FluentValue<'static>)]| message_with(lang, key, args);
    let text = |t: &str| FluentValue::from(t.chars().take(60).collect::<String>());
    match kind {
        AikenErrorKind::TooLarge(bytes) => {
            say("course-error-too-large", &[("bytes", (*bytes).into()), ("max", MAX_SOURCE_BYTES.into())])
        }
        AikenErrorKind::TooFewOptions => say("aiken-error-too-few-options", &[]),
        AikenErrorKind::NoAnswer => say("aiken-error-no-answer", &[]),
        AikenErrorKind::UnknownAnswer(answer) => {
            say("aiken-error-unknown-answer", &[("answer", text(answer))])
        }
        AikenErrorKind::Unexpected(line) => say("aiken-error-unexpected", &[("text", text(line))]),
    }
}

/// A course package's error (it has no line).
pub fn package_error(error: &PackageError, lang: Lang) -> String {
    let say = |key: &str, args: &[(&'static str, FluentValue<'static>)]| message_with(lang, key, args);
    let text = |t: &str| FluentValue::from(t.chars().take(120).collect::<String>());
    match error {
        PackageError::TooLarge(bytes) => say(
            "package-error-too-large",
            &[("bytes", (*bytes).into()), ("max", package::MAX_PACKAGE_BYTES.into())],
        ),
        PackageError::NotZip(_) => say("package-error-not-zip", &[]),
        PackageError::NoCourseFile => say("package-error-no-course-file", &[]),
        PackageError::SeveralCourseFiles(names) => {
            say("package-error-several-course-files", &[("names", text(names))])
        }
        PackageError::FileTooLarge { name, size } => say(
            "package-error-file-too-large",
            &[("name", text(name)), ("bytes", (*size).into()), ("max", package::MAX_FILE_BYTES.into())],
        ),
        PackageError::UnpacksTooLarge => {
            say("package-error-unpacks-too-large", &[("max", package::MAX_UNPACKED_BYTES.into())])
        }
        PackageError::TooManyFiles => {
            say("package-error-too-many-files", &[("max", package::MAX_FILES.into())])
        }
        PackageError::NotText => say("package-error-not-text", &[]),
    }
}

fn gift_error(kind: &GiftErrorKind, lang: Lang) -> String {
    let say = |key: &str, args: &[(&'static str, FluentValue<'static>)]| message_with(lang, key, args);
    let text = |t: &str| FluentValue::from(t.chars().take(60).collect::<String>());
    match kind {
        GiftErrorKind::TooLarge(bytes) => {
            say("course-error-too-large", &[("bytes", (*bytes).into()), ("max", MAX_SOURCE_BYTES.into())])
        }
        GiftErrorKind::Unclosed => say("gift-error-unclosed", &[]),
        GiftErrorKind::Unopened => say("gift-error-unopened", &[]),
        GiftErrorKind::SeveralBlocks => say("gift-error-several-blocks", &[]),
        GiftErrorKind::NoText => say("gift-error-no-text", &[]),
        GiftErrorKind::UnclosedTitle => say("gift-error-unclosed-title", &[]),
        GiftErrorKind::BadAnswers(block) => say("gift-error-bad-answers", &[("block", text(block))]),
        GiftErrorKind::NoRightAnswer => say("gift-error-no-right-answer", &[]),
        GiftErrorKind::BadWeight(weight) => say("gift-error-bad-weight", &[("weight", text(weight))]),
        GiftErrorKind::BadNumber(number) => say("gift-error-bad-number", &[("number", text(number))]),
        GiftErrorKind::TooFewPairs => say("gift-error-too-few-pairs", &[]),
        GiftErrorKind::EmptyAnswer => say("gift-error-empty-answer", &[]),
    }
}

fn rule_error(kind: &RuleErrorKind, lang: Lang) -> String {
    let say = |key: &str, args: &[(&'static str, FluentValue<'static>)]| message_with(lang, key, args);
    let text = |t: &str| FluentValue::from(t.chars().take(60).collect::<String>());
    match kind {
        RuleErrorKind::UnknownAttribute(name) => say("rule-error-unknown-attribute", &[("name", text(name))]),
        RuleErrorKind::UnknownAudience(name) => say("rule-error-unknown-audience", &[("name", text(name))]),
        RuleErrorKind::Expected { expected, found } => {
            say("rule-error-expected", &[("expected", (*expected).into()), ("found", text(found))])
        }
        RuleErrorKind::Unclosed => say("rule-error-unclosed", &[]),
        RuleErrorKind::Empty => say("rule-error-empty", &[]),
    }
}
