//! Starting Janus with the config szpon wrote, for `szpon dev` and the tests. In production
//! Janus runs under its own supervisor (see deploy/production).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use crate::{Janus, JanusConfig, MediaError, VideoRooms};

/// How long a starting Janus may take to answer (it is ready in about 0.2 s).
const READY_WITHIN: Duration = Duration::from_secs(15);

/// A Janus process that szpon started; it is killed when this is dropped.
#[derive(Debug)]
pub struct RunningJanus {
    child: tokio::process::Child,
    pub config: JanusConfig,
}

impl RunningJanus {
    /// Writes the config into `dir`, starts Debian's `janus` with it (its log in
    /// `dir/janus.log`), and waits until it answers.
    pub async fn start(config: JanusConfig, dir: &Path) -> Result<Self, MediaError> {
        let program = janus_program().ok_or_else(|| {
            MediaError::Unavailable("janus is not installed (apt-get install janus)".to_owned())
        })?;
        let file =
            config.write(dir).map_err(|e| MediaError::Unavailable(format!("writing Janus's config: {e}")))?;
        let log = std::fs::File::create(dir.join("janus.log"))
            .map_err(|e| MediaError::Unavailable(format!("opening Janus's log: {e}")))?;
        let child = tokio::process::Command::new(program)
            .arg("-F")
            .arg(dir)
            .arg("-C")
            .arg(&file)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| MediaError::Unavailable(format!("starting janus: {e}")))?;
        let running = Self { child, config };
        running.wait_ready().await?;
        Ok(running)
    }

    /// A client for the rooms of this Janus.
    pub fn rooms(&self) -> Janus {
        Janus::new(
            self.config.http_url(),
            Some(self.config.api_secret.clone()),
            self.config.admin_key.clone(),
        )
    }

    async fn wait_ready(&self) -> Result<(), MediaError> {
        let rooms = self.rooms();
        let deadline = tokio::time::Instant::now() + READY_WITHIN;
        loop {
            match rooms.open_rooms().await {
                Ok(_) => return Ok(()),
                Err(error) if tokio::time::Instant::now() >= deadline => return Err(error),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Stops Janus, as a crash would.
    /// Janus's process, to read its CPU time.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    pub async fn kill(&mut self) {
        let _ = self.child.kill().await;
    }
}

/// `janus` on the PATH, if it is installed.
pub fn janus_program() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("janus")).find(|candidate| candidate.is_file())
}
