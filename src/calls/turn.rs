//! Short-lived TURN credentials in coturn's `use-auth-secret` scheme (the "TURN REST API"): the
//! username is the time it expires and an opaque label, the password its HMAC-SHA1 under the
//! secret szpon shares with coturn. A browser gets them only with its pass, so that knowing a
//! call's address is not enough to relay through the office's TURN server, and they stop
//! working on their own.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha1::Sha1;

/// The office's TURN servers and the secret coturn checks their credentials with.
#[derive(Clone)]
pub struct Turn {
    /// `turn:` and `turns:` addresses, e.g. `turn:turn.example.org:3478?transport=udp`.
    pub servers: Vec<String>,
    pub secret: SecretString,
    /// How long a credential works.
    pub lifetime: chrono::Duration,
}

impl Turn {
    /// The ICE server entry a browser uses to relay through TURN until `now` + the lifetime;
    /// `label` names the holder in coturn's log (a call, never a person).
    pub fn ice_server(&self, label: &str, now: DateTime<Utc>) -> Value {
        let (username, credential) =
            credential(self.secret.expose_secret(), (now + self.lifetime).timestamp(), label);
        json!({ "urls": self.servers, "username": username, "credential": credential })
    }
}

/// coturn's username (`<expiry>:<label>`) and password (base64 of its HMAC-SHA1).
pub fn credential(secret: &str, expires_at: i64, label: &str) -> (String, String) {
    let username = format!("{expires_at}:{label}");
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(username.as_bytes());
    let password = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    (username, password)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected password was computed apart from this code:
    /// `printf '1700000000:call-Xk2p' | openssl dgst -sha1 -hmac north -binary | base64`.
    #[test]
    fn the_password_is_the_base64_hmac_sha1_of_the_username() {
        let (username, password) = credential("north", 1_700_000_000, "call-Xk2p");
        assert_eq!(username, "1700000000:call-Xk2p");
        assert_eq!(password, "48hGBse8o9twNl/Hf5zwdq5Rp94=");
    }

    #[test]
    fn a_credential_expires_after_its_lifetime_and_names_no_person() {
        let turn = Turn {
            servers: vec!["turn:turn.example.org:3478?transport=udp".to_owned()],
            secret: SecretString::from("north"),
            lifetime: chrono::Duration::hours(2),
        };
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let server = turn.ice_server("call-Xk2p", now);
        assert_eq!(server["username"], "1700007200:call-Xk2p");
        assert_eq!(server["urls"][0], "turn:turn.example.org:3478?transport=udp");
        assert_eq!(server["credential"], credential("north", 1_700_007_200, "call-Xk2p").1);
    }
}
