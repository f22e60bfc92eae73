//! The server's half of the runtime (axum): what every generated `server` module shares, written once — `serve`, authentication, reading parameters and bodies, writing responses, `Rejection` and the default rejections' samples.
//!
//! A generated `server` module keeps only what its spec decides: the
//! `Scheme` enum (with its [`SecurityScheme`] impl), the `Api` trait (which
//! every implementation is a [`Verifier`] through a blanket impl), the route
//! table, and per operation `input_*`, `into_response_*` and `handle_*`,
//! which hands them to [`serve`]. It needs `axum`; in a generated crate it is
//! compiled with the `server` feature.

mod auth;
mod body;
mod inputs;
mod respond;
mod streaming;

pub use auth::{
    authenticate, authorization_param, cookie_pairs, cookie_value, decode_basic, extract,
    header_value, query_value, Auth, Credential, SecurityScheme, Source, Verifier,
};
pub use body::{respond_bytes, BodyLimit, Reading, Received, Spooled};
pub use inputs::{
    decode_byte_body, decode_form, decode_json, decode_multipart, decode_text, no_input, In,
    Incoming,
};
pub use respond::{
    not_found, plain, respond, respond_body, respond_with, undeclared_rejection, with_headers,
};
pub use streaming::{event_body, items_body, json_text, raw_text, ItemEncoder, KEEP_ALIVE};

use super::validate::Violation;
use axum::http::request::Parts;
use axum::response::Response;
use std::future::Future;
use std::sync::Arc;

/// The largest request body accepted by default, in bytes (see [`BodyLimit`]).
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Why a request was rejected before reaching the implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// No credential for any of the operation's security requirements.
    MissingCredentials,
    /// Credentials were sent but the API's `verify` refused them.
    InvalidCredentials,
    /// A parameter is missing or does not parse.
    InvalidParameter {
        /// Its name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The body is missing, of the wrong media type, or not valid JSON for its type.
    MalformedBody(String),
    /// The body decoded but breaks the schema's constraints.
    InvalidBody(Vec<Violation>),
    /// The body is larger than the limit ([`BodyLimit`]): by its
    /// `Content-Length`, or as it arrived.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl Rejection {
    /// Whether this is an authentication failure (rather than a bad request).
    pub fn is_auth(&self) -> bool {
        matches!(self, Self::MissingCredentials | Self::InvalidCredentials)
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingCredentials => f.write_str("missing credentials"),
            Self::InvalidCredentials => f.write_str("invalid credentials"),
            Self::InvalidParameter { name, message } => {
                write!(f, "invalid parameter `{name}`: {message}")
            }
            Self::MalformedBody(m) => write!(f, "malformed body: {m}"),
            Self::TooLarge { limit } => write!(f, "the body is larger than {limit} bytes"),
            Self::InvalidBody(v) => {
                f.write_str("invalid body:")?;
                for x in v {
                    let at = if x.at.is_empty() { "/" } else { &x.at };
                    write!(f, " {at}: {};", x.message)?;
                }
                Ok(())
            }
        }
    }
}

/// A default rejection body: the JSON `template` (a sample of the declared
/// response, from the generated `SAMPLES`) with `{oagen:message}` replaced
/// by `message`, decoded as `T`.
pub fn sample<T: serde::de::DeserializeOwned>(template: &str, message: &str) -> Option<T> {
    let mut value: serde_json::Value = serde_json::from_str(template).ok()?;
    super::fill_message(&mut value, message);
    super::object::decode(value).ok()
}

/// Serves one request of an operation: authenticates it against
/// `alternatives`, reads its body as `reading` says (at most the router's
/// [`BodyLimit`], by default [`BODY_LIMIT`] bytes; a binary upload may be
/// handed on as a stream, cut at the limit; a multipart one read as it
/// arrives, file parts past 1 MiB spooled to temporary files), decodes and checks its input
/// with `input`, hands that to the implementation with `call` and encodes
/// the response with `respond`. A rejection is answered with `reject`, or,
/// when that gives no response, with an undeclared 401, 413 or 400; so is a
/// streamed upload that passed the limit, whatever the implementation answered.
///
/// This is the one generic async function of the router: an
/// operation's handler only names its parts, so the work common to
/// every operation is type-checked once, not once per operation.
#[allow(clippy::too_many_arguments)]
pub async fn serve<S: SecurityScheme, A: Verifier<S>, I, O, F: Future<Output = O>>(
    api: Arc<A>,
    request: axum::extract::Request,
    alternatives: &'static [&'static [S]],
    reading: Reading,
    input: fn(&Parts, &Received) -> Result<I, Rejection>,
    call: fn(Arc<A>, Auth<S>, I) -> F,
    reject: fn(&A, &Rejection) -> Option<O>,
    respond: fn(O) -> Response,
) -> Response {
    let refuse = |api: &A, rejection: Rejection| match reject(api, &rejection) {
        Some(response) => respond(response),
        None => undeclared_rejection(&rejection),
    };
    let (parts, body) = request.into_parts();
    let auth = match authenticate(&*api, &parts, alternatives).await {
        Ok(auth) => auth,
        Err(rejection) => return refuse(&api, rejection),
    };
    let limit = parts
        .extensions
        .get::<BodyLimit>()
        .copied()
        .unwrap_or_default()
        .0;
    // The spooled files live until the answer is built.
    let (received, exceeded, _spooled) = match body::receive(&parts, body, reading, limit).await {
        Ok(received) => received,
        Err(rejection) => return refuse(&api, rejection),
    };
    let decoded = input(&parts, &received);
    drop((parts, received));
    match decoded {
        Ok(input) => {
            let response = respond(call(Arc::clone(&api), auth, input).await);
            if exceeded.load(std::sync::atomic::Ordering::SeqCst) {
                return refuse(&api, Rejection::TooLarge { limit });
            }
            response
        }
        Err(rejection) => refuse(&api, rejection),
    }
}

#[cfg(test)]
mod tests;
