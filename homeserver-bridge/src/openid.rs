//! Who a Matrix OpenID token belongs to. A client (or an Element widget) asks its homeserver for a
//! token and hands it to a web page; the page asks the homeserver back, through the federation
//! API's `openid/userinfo`, and so learns the Matrix user without seeing a password or an access
//! token. The token is short-lived and good for nothing else.

use std::time::Duration;

use ruma::{OwnedServerName, OwnedUserId};
use serde::Deserialize;

/// The longest token taken; Synapse's are 24 characters.
const MAX_TOKEN_CHARS: usize = 512;
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpenIdError {
    #[error("the OpenID token is unknown, expired or malformed")]
    Invalid,
    #[error("the OpenID token is from another homeserver ({0})")]
    ForeignServer(String),
    #[error("the homeserver cannot check OpenID tokens now: {0}")]
    Unavailable(String),
}

/// `GET /_matrix/federation/v1/openid/userinfo`'s answer.
#[derive(Deserialize)]
struct UserInfo {
    sub: String,
}

/// Checks OpenID tokens with the office's own homeserver, and accepts only its users.
#[derive(Debug, Clone)]
pub struct OpenIdVerifier {
    http: reqwest::Client,
    userinfo_url: String,
    server_name: OwnedServerName,
}

impl OpenIdVerifier {
    pub fn new(homeserver_url: &str, server_name: OwnedServerName) -> Self {
        Self {
            http: reqwest::Client::new(),
            userinfo_url: format!(
                "{}/_matrix/federation/v1/openid/userinfo",
                homeserver_url.trim_end_matches('/')
            ),
            server_name,
        }
    }

    /// The user the token was issued to. `matrix_server_name` is what the client was told along
    /// with the token: a token from another server is refused before anything is asked.
    pub async fn user(
        &self,
        access_token: &str,
        matrix_server_name: &str,
    ) -> Result<OwnedUserId, OpenIdError> {
        if matrix_server_name != self.server_name.as_str() {
            return Err(OpenIdError::ForeignServer(matrix_server_name.chars().take(255).collect()));
        }
        let well_formed = !access_token.is_empty()
            && access_token.len() <= MAX_TOKEN_CHARS
            && access_token.bytes().all(|b| b.is_ascii_graphic());
        if !well_formed {
            return Err(OpenIdError::Invalid);
        }
        let response = self
            .http
            .get(&self.userinfo_url)
            .query(&[("access_token", access_token)])
            .timeout(TIMEOUT)
            .send()
            .await
            // The URL carries the token: it must not reach a log.
            .map_err(|e| OpenIdError::Unavailable(e.without_url().to_string()))?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(OpenIdError::Invalid);
        }
        if !status.is_success() {
            return Err(OpenIdError::Unavailable(format!(
                "userinfo answered {status} (does the listener serve the `openid` resource?)"
            )));
        }
        let info: UserInfo =
            response.json().await.map_err(|e| OpenIdError::Unavailable(e.without_url().to_string()))?;
        let user = OwnedUserId::try_from(info.sub).map_err(|_| OpenIdError::Invalid)?;
        if user.server_name() != self.server_name {
            return Err(OpenIdError::ForeignServer(user.server_name().to_string()));
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifier() -> OpenIdVerifier {
        // Nothing listens on port 9: only refusals made before asking can pass.
        OpenIdVerifier::new("http://127.0.0.1:9/", "urzad.example".try_into().unwrap())
    }

    #[tokio::test]
    async fn tokens_from_elsewhere_or_malformed_are_refused_without_asking() {
        let v = verifier();
        assert_eq!(
            v.user("abc", "evil.example").await,
            Err(OpenIdError::ForeignServer("evil.example".into()))
        );
        assert_eq!(v.user("", "urzad.example").await, Err(OpenIdError::Invalid));
        assert_eq!(v.user("a b", "urzad.example").await, Err(OpenIdError::Invalid));
        assert_eq!(v.user(&"x".repeat(513), "urzad.example").await, Err(OpenIdError::Invalid));
    }

    #[tokio::test]
    async fn a_dead_homeserver_is_unavailable_and_the_token_is_not_in_the_reason() {
        let Err(OpenIdError::Unavailable(reason)) = verifier().user("sekretnytoken", "urzad.example").await
        else {
            panic!("expected the homeserver to be unavailable");
        };
        assert!(!reason.contains("sekretnytoken"), "{reason}");
    }
}
