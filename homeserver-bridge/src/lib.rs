//! szpon's only door to the Matrix homeserver.
//!
//! It turns Matrix events into [`szpon_bots::Input`]s and carries out [`szpon_bots::Action`]s,
//! with matrix-sdk (and its E2EE crypto store) and ruma types. Everything else in szpon talks
//! to the homeserver through the [`Homeserver`] trait, whose in-memory [`FakeHomeserver`] serves
//! the tests that need no real server.
#![recursion_limit = "256"]

mod appservice;
pub mod conformance;
mod error;
mod events;
mod fake;
mod homeserver;
mod identity_proxy;
mod matrix;
mod names;
mod openid;
mod pills;
pub mod registration;
pub mod synapse;
mod sync_point;
mod undecrypted;

pub use error::BridgeError;
pub use fake::{FakeHomeserver, SentMedia};
pub use homeserver::{Homeserver, HomeserverError, Media};
pub use matrix::{BotIdentity, MatrixBridge, MatrixBridgeConfig};
pub use openid::{OpenIdError, OpenIdVerifier};
pub use registration::RegistrationFile;
pub use sync_point::{Inbound, SyncPoint};
