//! The bot's state directory: its Matrix device, keys and sync state. It is private to szpon's
//! user, and one process at a time owns it: two processes on one device would corrupt the key
//! store and answer every message twice, and the second one's first start could delete the
//! first one's devices.

use std::{
    fs::{DirBuilder, File, Permissions},
    os::unix::fs::{DirBuilderExt, PermissionsExt},
    path::{Path, PathBuf},
};

use nix::fcntl::{Flock, FlockArg};

/// The lock file inside the state directory.
const LOCK_FILE: &str = "szpon.lock";

/// Why the state directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StateDirError {
    #[error("cannot prepare the state directory {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "another szpon is already running with the state directory {path} (its lock {lock} is held); \
         stop it first, or give this one its own store.state_dir"
    )]
    InUse { path: PathBuf, lock: PathBuf },
}

/// Held for as long as the process runs: the lock is released when it is dropped, or when the
/// process dies in any way (kill -9 included), since the kernel drops `flock`s with the file.
#[derive(Debug)]
pub struct StateLock {
    _lock: Flock<File>,
}

/// Creates the directory (mode 0700, and tightens an existing one to it), then takes its lock,
/// refusing at once if another process holds it.
pub fn lock(path: &Path) -> Result<StateLock, StateDirError> {
    let io = |source| StateDirError::Io { path: path.to_owned(), source };
    DirBuilder::new().recursive(true).mode(0o700).create(path).map_err(io)?;
    std::fs::set_permissions(path, Permissions::from_mode(0o700)).map_err(io)?;
    let lock_path = path.join(LOCK_FILE);
    let file = File::options().create(true).truncate(false).write(true).open(&lock_path).map_err(io)?;
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(lock) => Ok(StateLock { _lock: lock }),
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => {
            Err(StateDirError::InUse { path: path.to_owned(), lock: lock_path })
        }
        Err((_, errno)) => Err(io(std::io::Error::from(errno))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_directory_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("bot");
        let first = lock(&state).unwrap();
        let refused = lock(&state).unwrap_err();
        assert!(matches!(refused, StateDirError::InUse { .. }), "{refused}");
        assert!(refused.to_string().contains("another szpon is already running"), "{refused}");
        drop(first);
        lock(&state).unwrap();
    }

    #[test]
    fn the_directory_is_private_even_if_it_existed_open() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("bot");
        std::fs::create_dir(&state).unwrap();
        std::fs::set_permissions(&state, Permissions::from_mode(0o755)).unwrap();
        let _lock = lock(&state).unwrap();
        let mode = std::fs::metadata(&state).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
