//! Pure text understanding for szpon.
//!
//! Everything here is a deterministic function of its input: no I/O, no clock, no randomness.
//! The full intent classifier arrives with the NLU issue; the foundation needs the parts every
//! bot relies on: Polish-aware normalisation and a guess at the language a person writes in.

mod language;
mod normalize;

pub use language::{Lang, detect_language};
pub use normalize::{fold_diacritics, normalize, tokens};
