//! Booking visits at the office: the office file, free-slot search, and the dialogues of
//! citizens and clerks. Pure: the store's view of booked time comes in, effects go out.

pub mod clerk;
pub mod dialogue;
pub mod feed;
pub mod format;
pub mod office;
pub mod slots;
pub mod understand;
pub mod visit;

pub use crate::turn::Effect;
pub use dialogue::{BookingView, Desk, Dialogue, Purpose, Turn};
pub use feed::{FeedAddress, asks_for_new_address, feed_address};
pub use office::Exception;
pub use office::{Office, OfficeError, OfficeProblem};
pub use slots::{Busy, Schedule, Slot, SlotFilter};
pub use visit::{BookingChange, BookingJob, CODE_ALPHABET, CODE_LENGTH, Feed, Visit, VisitStatus, VisitTime};

/// The demo office `szpon dev` runs, also the fixture of the booking tests.
pub const DEMO_OFFICE: &str = include_str!("../../../deploy/dev/office.toml");
