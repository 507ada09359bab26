//! szpon's only door to Janus, through jarust.
//!
//! Empty until video calls and live events land; no other crate may talk to Janus.
