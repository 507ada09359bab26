//! Where the sync resumes after a crash: after the last batch whose inputs szpon committed.
//!
//! matrix-sdk stores its sync token before it calls the event handlers, so a kill between that
//! and the commit of the inputs would lose them: the next start would sync on from the newer
//! token. The bridge therefore follows each batch's inputs with a [`SyncPoint`] on the same
//! channel; whoever consumes the inputs saves it once everything before it is committed, and a
//! restart syncs from there. Events seen again are answered once, since the store records every
//! event it handled.

use std::path::{Path, PathBuf};

use szpon_bots::Input;
use tokio::sync::mpsc;

use crate::{BridgeError, registration::write_secret_file};

/// What the bridge hands to the consumer of its events.
#[derive(Debug)]
pub enum Inbound {
    /// An event for the bots.
    Input(Box<Input>),
    /// Every input sent before this one belongs to syncs up to this point.
    Synced(SyncPoint),
}

/// The bridge's end of the channel to the consumer of its events.
#[derive(Debug, Clone)]
pub(crate) struct Inbox(pub(crate) mpsc::Sender<Inbound>);

impl Inbox {
    /// Hands an input on; if the consumer is gone, szpon is stopping and the input will be
    /// seen again from the last committed point.
    pub(crate) async fn send(&self, input: Input) {
        let _ = self.0.send(Inbound::Input(Box::new(input))).await;
    }

    pub(crate) async fn synced(&self, point: SyncPoint) {
        let _ = self.0.send(Inbound::Synced(point)).await;
    }
}

/// The sync token after a batch, and where to keep it once the batch is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPoint {
    token: String,
    file: PathBuf,
}

impl SyncPoint {
    pub(crate) fn new(state_dir: &Path, token: String) -> Self {
        Self { token, file: Self::file(state_dir) }
    }

    fn file(state_dir: &Path) -> PathBuf {
        state_dir.join("committed-sync-token")
    }

    /// Records that every input up to this point is committed.
    pub fn save(&self) -> Result<(), BridgeError> {
        write_secret_file(&self.file, self.token.as_bytes())
    }

    /// The token after the last committed batch, if any was recorded.
    pub(crate) fn committed(state_dir: &Path) -> Option<String> {
        let token = std::fs::read_to_string(Self::file(state_dir)).ok()?;
        let token = token.trim();
        (!token.is_empty()).then(|| token.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_point_is_where_the_next_start_resumes() {
        let dir = std::env::temp_dir().join(format!("szpon-sync-point-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(SyncPoint::committed(&dir), None);
        SyncPoint::new(&dir, "s72594_4483_1934".to_owned()).save().unwrap();
        SyncPoint::new(&dir, "s72601_4483_1935".to_owned()).save().unwrap();
        assert_eq!(SyncPoint::committed(&dir).as_deref(), Some("s72601_4483_1935"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
