//! Pure course logic for szpon: course files, GIFT questions, enrolment rules and pacing.
//!
//! It stays free of I/O, clocks and randomness, like `bots` and `nlp`. So far: course files
//! (Markdown with YAML front matter: lessons, GIFT quizzes, surveys), audience rules over the
//! directory's attributes, question banks in Moodle's GIFT (read with every error's line, and
//! written back) and Aiken formats, and the grading of answers with their feedback.

pub mod aiken;
pub mod audience;
pub mod badges;
pub mod course;
pub mod directory;
pub mod gift;
pub mod learner;
pub mod pacing;
pub mod package;
pub mod score;

pub use aiken::{AikenError, parse_aiken};
pub use audience::{Attributes, Rule, RuleError, parse_rule};
pub use badges::{AuthorBadge, BadgeRule};
pub use course::{
    Attachment, AttachmentKind, Completion, Course, CourseError, CourseErrorKind, Pacing, Section,
    SurveyItem, export_markdown, package_path, parse_course,
};
pub use directory::{Entry, enrolment_changes};
pub use gift::{Answer, GiftError, NumericAnswer, Question, QuestionKind, parse_gift, to_gift};
pub use learner::{Ask, Delivery, Event, Progress, Stage, SurveyAnswer};
pub use package::{
    FileInfo, Package, PackageError, check_attachments, describe, read_package, write_package,
};
pub use score::{Graded, Response, grade, grade_choices, right_options};
