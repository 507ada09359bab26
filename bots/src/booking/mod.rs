//! Booking visits at the office: the office file, free-slot search, and the dialogues of
//! citizens and clerks. Pure: the store's view of booked time comes in, effects go out.

pub mod office;
pub mod slots;

pub use office::{Office, OfficeError};
pub use slots::{Busy, Schedule, Slot, SlotFilter};

/// The demo office `szpon dev` runs, also the fixture of the booking tests.
pub const DEMO_OFFICE: &str = include_str!("../../../deploy/dev/office.toml");
