//! szpon's only door to Janus, through jarust: the video rooms that calls and LIVE events run
//! in, the config Janus is started with, and the relay that is a browser's only way to Janus.
//!
//! Nothing else in szpon talks to Janus. The rest of szpon sees [`VideoRooms`]; tests without a
//! Janus use [`FakeVideoRooms`].

mod config;
mod fake;
mod janus;
mod launch;
pub mod relay;

pub use config::{DEBIAN_LIB_DIR, JanusConfig, JanusPorts};
pub use fake::FakeVideoRooms;
pub use janus::Janus;
pub use launch::{RunningJanus, janus_program};

/// Why Janus could not do something, which tells the caller whether to try again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// Janus is down, restarting or slow: the same request may succeed later.
    #[error("Janus is unavailable: {0}")]
    Unavailable(String),
    /// Janus said no (a wrong secret, a room number taken).
    #[error("Janus refused: {0}")]
    Refused(String),
}

/// One video room as szpon opens it. The PIN and the secret never leave szpon: a browser
/// reaches the room only through the [`relay`], which adds the PIN itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomSpec {
    /// Janus's room number, chosen by szpon at random.
    pub number: u64,
    /// Needed to join.
    pub pin: String,
    /// Needed to edit or destroy.
    pub secret: String,
    /// How many people may send video at once (1 for a LIVE event's presenter).
    pub publishers: u32,
}

/// The prefix of every room szpon opens, so that it tells its rooms from anyone else's.
pub const ROOM_DESCRIPTION_PREFIX: &str = "szpon ";

/// Janus's VideoRoom plugin, as szpon uses it.
#[async_trait::async_trait]
pub trait VideoRooms: Send + Sync {
    /// Opens a room.
    async fn open(&self, room: &RoomSpec) -> Result<(), MediaError>;

    /// Destroys a room; a room that is already gone counts as destroyed.
    async fn close(&self, number: u64, secret: &str) -> Result<(), MediaError>;

    /// The numbers of the rooms szpon opened that Janus still has.
    async fn open_rooms(&self) -> Result<Vec<u64>, MediaError>;

    /// How many people are in a room now as publishers (Janus does not list viewers, so a room
    /// where everyone only watches counts 0 here).
    async fn participants(&self, number: u64) -> Result<usize, MediaError>;
}
