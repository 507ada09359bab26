//! The szpon binary's library: configuration, store, the engine that drives the bots, the web
//! server, and the wiring that joins them to the homeserver bridge.
#![recursion_limit = "256"]

pub mod app;
pub mod calls;
pub mod config;
pub mod courses;
pub mod dev;
pub mod engine;
pub mod key_store;
pub mod metrics;
pub mod nlu;
pub mod outbox_cli;
pub mod state_dir;
pub mod store;
pub mod supervision;
pub mod web;
