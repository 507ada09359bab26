//! The passphrase that encrypts the bot's E2EE key store (matrix-sdk's SQLite stores in
//! `state_dir/matrix-store`) at rest: a copy of the state directory without it reads no keys.
//!
//! It comes from the configuration (`store.key_passphrase`, best given as the environment
//! variable `SZPON_STORE__KEY_PASSPHRASE`) or from `state_dir/key-passphrase`, a 0600 file that
//! `szpon registration`, or the first start, writes with a fresh random passphrase. A key store
//! made before szpon encrypted it stays readable without one (with a warning), since matrix-sdk
//! cannot encrypt an existing store in place.

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use anyhow::Context;
use rand::{Rng, distr::Alphanumeric};
use secrecy::{ExposeSecret, SecretString};

/// The passphrase file inside the state directory.
pub const PASSPHRASE_FILE: &str = "key-passphrase";
/// matrix-sdk's stores inside the state directory.
const MATRIX_STORE: &str = "matrix-store";

fn passphrase_file(state_dir: &Path) -> PathBuf {
    state_dir.join(PASSPHRASE_FILE)
}

/// The passphrase to open the key store with: the configured one, else the file's, else (for a
/// store not made yet) a new one written to the file. `None` only for a store made unencrypted.
pub fn passphrase(
    state_dir: &Path,
    configured: Option<&SecretString>,
) -> anyhow::Result<Option<SecretString>> {
    if let Some(configured) = configured {
        anyhow::ensure!(
            !configured.expose_secret().trim().is_empty(),
            "store.key_passphrase is empty; remove it to use {}",
            passphrase_file(state_dir).display()
        );
        return Ok(Some(configured.clone()));
    }
    if let Some(found) = read_file(state_dir)? {
        return Ok(Some(found));
    }
    if state_dir.join(MATRIX_STORE).exists() {
        tracing::warn!(
            "the E2EE key store in {} was made without a passphrase and stays unencrypted at rest; \
             see the README, \"Running an office\", to move the bot to an encrypted one",
            state_dir.display()
        );
        return Ok(None);
    }
    ensure_file(state_dir).map(Some)
}

/// Writes a new random passphrase file unless there is one, and returns the passphrase. Only
/// for a state directory whose key store does not exist yet.
pub fn ensure_file(state_dir: &Path) -> anyhow::Result<SecretString> {
    if let Some(found) = read_file(state_dir)? {
        return Ok(found);
    }
    std::fs::create_dir_all(state_dir).with_context(|| format!("creating {}", state_dir.display()))?;
    let fresh: String = rand::rng().sample_iter(&Alphanumeric).take(48).map(char::from).collect();
    let path = passphrase_file(state_dir);
    szpon_homeserver_bridge::registration::write_secret_file(&path, fresh.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(SecretString::from(fresh))
}

fn read_file(state_dir: &Path) -> anyhow::Result<Option<SecretString>> {
    let path = passphrase_file(state_dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
    };
    let mode = std::fs::metadata(&path)?.permissions().mode();
    anyhow::ensure!(
        mode & 0o077 == 0,
        "{} is readable by others (mode {:o}); make it 0600: chmod 600 {}",
        path.display(),
        mode & 0o777,
        path.display()
    );
    let passphrase = text.trim();
    anyhow::ensure!(!passphrase.is_empty(), "{} is empty", path.display());
    Ok(Some(SecretString::from(passphrase.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_state_gets_a_private_passphrase_that_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = passphrase(dir.path(), None).unwrap().expect("a new store is encrypted");
        let mode = std::fs::metadata(dir.path().join(PASSPHRASE_FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(first.expose_secret().len() >= 32);
        std::fs::create_dir(dir.path().join(MATRIX_STORE)).unwrap();
        let again = passphrase(dir.path(), None).unwrap().unwrap();
        assert_eq!(again.expose_secret(), first.expose_secret(), "the same passphrase opens it again");
    }

    #[test]
    fn the_configuration_wins_and_an_old_unencrypted_store_stays_readable() {
        let dir = tempfile::tempdir().unwrap();
        let configured = SecretString::from("z konfiguracji".to_owned());
        let chosen = passphrase(dir.path(), Some(&configured)).unwrap().unwrap();
        assert_eq!(chosen.expose_secret(), "z konfiguracji");
        assert!(!dir.path().join(PASSPHRASE_FILE).exists());
        std::fs::create_dir(dir.path().join(MATRIX_STORE)).unwrap();
        assert!(passphrase(dir.path(), None).unwrap().is_none(), "made unencrypted, opened so");
    }

    #[test]
    fn a_passphrase_file_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        ensure_file(dir.path()).unwrap();
        let path = dir.path().join(PASSPHRASE_FILE);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = passphrase(dir.path(), None).unwrap_err().to_string();
        assert!(error.contains("chmod 600"), "{error}");
    }
}
