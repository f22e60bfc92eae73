//! [`Error`]: why a call of a generated client failed.

/// Why a call failed.
#[derive(Debug)]
pub enum Error {
    /// The request could not be built or sent, or the response not read.
    Request(reqwest::Error),
    /// The request body could not be encoded.
    Encode(serde_json::Error),
    /// The server answered with a status the operation does not declare.
    UnexpectedStatus {
        /// The status code.
        status: u16,
        /// The raw body.
        body: Vec<u8>,
    },
    /// The body of a declared response did not decode into its type.
    Decode {
        /// The status code.
        status: u16,
        /// The raw body.
        body: Vec<u8>,
        /// What went wrong.
        source: serde_json::Error,
    },
    /// A declared response header is missing (and required) or does not parse
    /// into its type.
    Header {
        /// The status code.
        status: u16,
        /// The header's name, as the spec declares it.
        name: String,
        /// What is wrong.
        message: String,
        /// The raw body.
        body: Vec<u8>,
    },
    /// A request hook ([`RequestHook`](super::RequestHook)) refused the request.
    Middleware(Box<dyn std::error::Error + Send + Sync>),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Request(e) => write!(f, "request failed: {e}"),
            Self::Encode(e) => write!(f, "cannot encode the request body: {e}"),
            Self::Middleware(e) => write!(f, "a request hook refused the request: {e}"),
            Self::UnexpectedStatus { status, body } => {
                write!(
                    f,
                    "undeclared status {status}: {}",
                    String::from_utf8_lossy(body)
                )
            }
            Self::Decode { status, source, .. } => {
                write!(f, "cannot decode the {status} response: {source}")
            }
            Self::Header {
                status,
                name,
                message,
                ..
            } => write!(f, "the {status} response's header `{name}`: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Request(e) => Some(e),
            Self::Encode(e) => Some(e),
            Self::Decode { source, .. } => Some(source),
            Self::Middleware(e) => Some(&**e),
            Self::UnexpectedStatus { .. } | Self::Header { .. } => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Self::Request(e)
    }
}
