//! szpon's bots as pure state machines.
//!
//! A bot takes an [`Input`] (a Matrix event already turned into plain data), the state the store
//! keeps for the person, and the current time, and returns an [`Outcome`]: the [`Action`]s to
//! carry out and the state to store. It does no I/O and reads no clock: the caller passes `now`,
//! so every behaviour can be tested on simulated time. See `ARCHITECTURE.md`.

pub mod booking;
pub mod calendar;
pub mod calls;
pub mod certificates;
pub mod chart;
mod clock;
pub mod courses;
pub mod documents;
pub mod durable;
#[cfg(test)]
mod durable_formats;
pub mod gamification;
pub mod helpdesk;
mod html;
mod i18n;
mod input;
pub mod learning;
pub mod live;
pub mod meetings;
mod office;
pub mod review;
pub mod tasks;
mod turn;

pub use clock::{Clock, ManualClock};
pub use html::{markdown_to_html, plain_to_html, sanitize_html};
pub use i18n::{message, message_with};
pub use input::{
    FileKind, Input, Invite, Membership, MessageContent, PollVote, Reaction, Redaction, RepliedFile,
    RepliedTo, RoomKind, UserMessage,
};
pub use office::{
    BotConfig, OfficeBot,
    route::{ConversationView, PollTarget, Route, View},
};
pub use szpon_nlp::Lang;
pub use turn::{Action, Effect, Job, JobContext, Notice, Outcome, Pace, Person, PollChoice, Widget};

/// The largest text file the bridge reads for a reply (a course file, a question bank).
pub const MAX_TEXT_FILE_BYTES: usize = szpon_course_engine::gift::MAX_SOURCE_BYTES;
/// The largest `.zip` package a reply reads (a course with its lessons' files).
pub const MAX_PACKAGE_BYTES: usize = szpon_course_engine::package::MAX_PACKAGE_BYTES;
