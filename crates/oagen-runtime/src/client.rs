//! The client half of a generated crate, the same for every API: [`Error`], [`ClientBuilder`], [`Client`] with its one shared exchange, [`Pending`], and the decoders the generated `response_*` functions call.
//!
//! A generated `client` module names these with its own credentials type
//! (`pub type Client = runtime::client::Client<Credentials>;`), implements
//! [`Authorize`] for it (how each security scheme is sent) and adds one method
//! per operation to `Client`: the method builds the request and hands it to
//! [`Client::send`] with the operation's decoder. The exchange itself is one
//! boxed future, not generic, so no operation has a state machine of its own.
//!
//! This module needs `reqwest` (feature `client` of `oagen-runtime`).

mod body;
mod callback;
mod config;
mod decode;
mod error;
mod pending;
mod retry;
mod trace;

pub use body::{send_bytes, Body};
pub use callback::{body_text, param_text, value_text, UrlError};
pub use config::{Authorize, Client, ClientBuilder, RequestHook, ResponseHook};
pub use decode::{
    decode, decode_form, decode_multipart, decode_text, header, param_value, required_header,
};
pub use error::Error;
pub use pending::{Decoder, Exchange, Pending, StreamDecoder, Streams};
pub use retry::{retry_after, RetryPolicy};
pub use trace::{untraced, CallSpan};

#[cfg(test)]
mod tests;
