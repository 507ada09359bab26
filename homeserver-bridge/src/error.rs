use ruma::api::error::{ErrorKind, StandardErrorBody};

/// What can go wrong while connecting the bot to its homeserver.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BridgeError {
    #[error("the homeserver at {url} cannot be reached: {source}")]
    Unreachable { url: String, source: Box<reqwest::Error> },
    #[error("the homeserver refused {what}: HTTP {status}: {body}")]
    Refused { what: &'static str, status: u16, kind: Option<ErrorKind>, body: String },
    #[error("cannot build the request for {what}: {reason}")]
    Request { what: &'static str, reason: String },
    #[error("matrix client error: {0}")]
    Matrix(Box<matrix_sdk::Error>),
    #[error("matrix client could not be built: {0}")]
    ClientBuild(Box<matrix_sdk::ClientBuildError>),
    #[error("cannot read or write {path}: {source}")]
    File { path: std::path::PathBuf, source: std::io::Error },
    #[error("file {path} is not valid: {reason}")]
    BadFile { path: std::path::PathBuf, reason: String },
    #[error("the identity proxy could not start: {0}")]
    Proxy(std::io::Error),
    #[error("synapse: {0}")]
    Synapse(String),
}

impl BridgeError {
    /// A refusal, with the Matrix error code read from the body when it is a standard one.
    pub(crate) fn refused(what: &'static str, status: u16, body: &[u8]) -> Self {
        let kind = serde_json::from_slice::<StandardErrorBody>(body).ok().map(|error| error.kind);
        let body = String::from_utf8_lossy(body).chars().take(500).collect();
        Self::Refused { what, status, kind, body }
    }
}

impl From<matrix_sdk::Error> for BridgeError {
    fn from(error: matrix_sdk::Error) -> Self {
        Self::Matrix(Box::new(error))
    }
}

impl From<matrix_sdk::ClientBuildError> for BridgeError {
    fn from(error: matrix_sdk::ClientBuildError) -> Self {
        Self::ClientBuild(Box::new(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_carries_the_matrix_error_code_when_there_is_one() {
        let taken = br#"{"errcode":"M_USER_IN_USE","error":"User ID already taken."}"#;
        let BridgeError::Refused { kind, status, body, .. } = BridgeError::refused("registering", 400, taken)
        else {
            unreachable!()
        };
        assert_eq!((kind, status), (Some(ErrorKind::UserInUse), 400));
        assert!(body.contains("already taken"));
        let BridgeError::Refused { kind, body, .. } =
            BridgeError::refused("registering", 502, b"<html>Bad gateway")
        else {
            unreachable!()
        };
        assert_eq!((kind, body.as_str()), (None, "<html>Bad gateway"));
        let long = "ż".repeat(2_000);
        let BridgeError::Refused { body, .. } = BridgeError::refused("registering", 500, long.as_bytes())
        else {
            unreachable!()
        };
        assert_eq!(body.chars().count(), 500);
    }
}
