//! The appservice registration: the file the homeserver and szpon share, holding both tokens.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use rand::{Rng, distr::Alphanumeric};
use ruma::api::appservice::{Namespace, Namespaces, Registration, RegistrationInit};
use serde::{Deserialize, Serialize};

use crate::BridgeError;

/// A registration file as Synapse reads it: the spec's fields plus MSC4190 device management,
/// which lets the bot have an E2EE device without logging in, and so without rate limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegistrationFile {
    #[serde(flatten)]
    pub registration: Registration,
    /// [MSC4190](https://github.com/matrix-org/matrix-spec-proposals/pull/4190): the appservice
    /// creates and deletes its users' devices itself.
    #[serde(rename = "io.element.msc4190", default)]
    pub device_management: bool,
}

/// What a new registration needs to know about the office.
#[derive(Debug, Clone)]
pub struct NewRegistration<'a> {
    pub id: &'a str,
    /// Where the homeserver pushes transactions to szpon; `None` for no pushes.
    pub url: Option<String>,
    pub sender_localpart: &'a str,
    pub bot_localpart: &'a str,
    pub server_name: &'a str,
}

fn random_token() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(64).map(char::from).collect()
}

impl RegistrationFile {
    /// A fresh registration with new random tokens and an exclusive namespace that holds the
    /// bot (and any users szpon creates later, under `<sender>_…`).
    pub fn generate(new: &NewRegistration<'_>) -> Self {
        let server = regex_escape(new.server_name);
        let mut namespaces = Namespaces::new();
        namespaces.users = vec![
            Namespace::new(true, format!("@{}:{server}", regex_escape(new.bot_localpart))),
            Namespace::new(true, format!("@{}_.*:{server}", regex_escape(new.sender_localpart))),
        ];
        let mut registration: Registration = RegistrationInit {
            id: new.id.to_owned(),
            url: new.url.clone(),
            as_token: random_token(),
            hs_token: random_token(),
            sender_localpart: new.sender_localpart.to_owned(),
            namespaces,
            rate_limited: Some(false),
            protocols: None,
        }
        .into();
        registration.receive_ephemeral = false;
        Self { registration, device_management: true }
    }

    pub fn read(path: &Path) -> Result<Self, BridgeError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| BridgeError::File { path: path.to_owned(), source })?;
        serde_yaml::from_str(&text)
            .map_err(|e| BridgeError::BadFile { path: path.to_owned(), reason: e.to_string() })
    }

    /// Writes the file readable by its owner only, since it holds both tokens.
    pub fn write(&self, path: &Path) -> Result<(), BridgeError> {
        let yaml = serde_yaml::to_string(self)
            .map_err(|e| BridgeError::BadFile { path: path.to_owned(), reason: e.to_string() })?;
        write_secret_file(path, yaml.as_bytes())
    }
}

/// Writes a file with mode 0600 from the start, so that a secret is never readable by others,
/// not even for a moment; it replaces the old file atomically.
pub fn write_secret_file(path: &Path, contents: &[u8]) -> Result<(), BridgeError> {
    use std::os::unix::fs::OpenOptionsExt;
    let err = |source| BridgeError::File { path: path.to_owned(), source };
    let tmp: PathBuf = path.with_extension("tmp");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(err)?;
    file.write_all(contents).map_err(err)?;
    file.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

fn regex_escape(text: &str) -> String {
    text.chars().flat_map(|c| if "\\.+*?()|[]{}^$".contains(c) { vec!['\\', c] } else { vec![c] }).collect()
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn generated_registration_round_trips_and_is_private() {
        let dir = std::env::temp_dir().join(format!("szpon-reg-{}", random_token()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("registration.yaml");
        let reg = RegistrationFile::generate(&NewRegistration {
            id: "szpon",
            url: Some("http://127.0.0.1:8009".into()),
            sender_localpart: "szpon",
            bot_localpart: "urzad",
            server_name: "gmina.example.pl",
        });
        reg.write(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("rate_limited: false"), "{text}");
        assert!(text.contains("io.element.msc4190: true"), "{text}");
        assert!(text.contains(r"@urzad:gmina\.example\.pl"), "{text}");
        let back = RegistrationFile::read(&path).unwrap();
        assert_eq!(back.registration.as_token, reg.registration.as_token);
        assert_ne!(back.registration.as_token, back.registration.hs_token);
        assert_eq!(back.registration.as_token.len(), 64);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn tokens_differ_between_registrations() {
        let new = NewRegistration {
            id: "s",
            url: None,
            sender_localpart: "s",
            bot_localpart: "b",
            server_name: "x",
        };
        assert_ne!(
            RegistrationFile::generate(&new).registration.as_token,
            RegistrationFile::generate(&new).registration.as_token
        );
    }
}
