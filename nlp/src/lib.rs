//! Pure text understanding for szpon: a Polish-first NLU with no Python and no cloud.
//!
//! Everything here is a deterministic function of its input: no I/O, no clock, no randomness.
//! Training data is Rasa NLU YAML ([`TrainingData`]); the pipeline is TF-IDF word and
//! character n-grams ([`features`]) into a multinomial logistic regression ([`classifier`]),
//! with confidence and ambiguity thresholds ([`Decision`]); entities are dates and times
//! relative to a given day ([`time`]), names from lookup tables with fuzzy matching
//! ([`Gazetteer`]), patterns, numbers and visit codes ([`entities`]). An optional transformer
//! [`SentenceEncoder`] (candle) adds sentence embeddings to the features.

pub mod classifier;
pub mod data;
mod duration;
pub mod encoder;
pub mod entities;
pub mod eval;
pub mod features;
pub mod gazetteer;
mod language;
mod normalize;
mod pipeline;
pub mod text;
pub mod time;

pub use data::{DataError, TrainingData};
pub use duration::take_duration;
pub use encoder::{EncoderError, SentenceEncoder};
pub use entities::{Entity, phone_for_people};
pub use gazetteer::Gazetteer;
pub use language::{Lang, clear_language, detect_language};
pub use normalize::{fold_diacritics, normalize, tokens};
pub use pipeline::{Decision, IntentScore, Nlu, NluConfig, NluError, Parse};
pub use text::fold;
pub use time::{TimeMention, extract_time, weekday_of};
