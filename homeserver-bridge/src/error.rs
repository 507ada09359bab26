/// What can go wrong while connecting the bot to its homeserver.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BridgeError {
    #[error("the homeserver at {url} cannot be reached: {source}")]
    Unreachable { url: String, source: Box<reqwest::Error> },
    #[error("the homeserver refused {what}: HTTP {status}: {body}")]
    Refused { what: &'static str, status: u16, body: String },
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
