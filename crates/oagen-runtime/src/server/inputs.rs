//! Reading a request's input: [`Incoming`] (parameters by location and style, parsed as text into their types), `no_input`, and the body decoders `decode_json/form/multipart/text` and `decode_byte_body`, which check what they decode.

use super::super::validate::{Validate, Violation};
use super::super::ByteBody;
use super::super::{multipart, wire};
use super::{cookie_pairs, header_value, Received, Rejection};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use wire::{Kind, Style};

/// The input of an operation with neither parameters nor a body.
#[allow(clippy::unnecessary_wraps)]
pub fn no_input(_: &Parts, _: &Received) -> Result<(), Rejection> {
    Ok(())
}

/// Where a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// The parameters of a request, as text.
pub struct Incoming<'a> {
    parts: &'a Parts,
    template: &'static str,
    query: Vec<(String, String)>,
    query_names: &'a [&'a str],
    cookies: Vec<(String, String)>,
    cookie_names: &'a [&'a str],
}

impl<'a> Incoming<'a> {
    /// The parameters of the request `parts` of an operation routed at
    /// `template`, which declares the query parameters `query_names` and the
    /// cookies `cookie_names`.
    pub fn new(
        parts: &'a Parts,
        template: &'static str,
        query_names: &'a [&'a str],
        cookie_names: &'a [&'a str],
    ) -> Self {
        let query = if query_names.is_empty() {
            Vec::new()
        } else {
            wire::split_pairs(parts.uri.query().unwrap_or(""))
        };
        let cookies = if cookie_names.is_empty() {
            Vec::new()
        } else {
            cookie_pairs(parts)
        };
        Incoming {
            parts,
            template,
            query,
            query_names,
            cookies,
            cookie_names,
        }
    }

    /// Parameter `name`, None when it is absent.
    pub fn optional<T: DeserializeOwned>(
        &self,
        location: In,
        name: &str,
        style: Style,
        explode: bool,
        kind: Kind,
    ) -> Result<Option<T>, Rejection> {
        let raw = match location {
            In::Path => wire::path_segment(self.template, self.parts.uri.path(), name)
                .and_then(|raw| wire::parse_path(raw, name, style, explode, kind)),
            In::Query => {
                wire::parse_query(&self.query, name, style, explode, kind, self.query_names)
            }
            In::Header => {
                header_value(self.parts, name).map(|text| wire::parse_header(&text, explode, kind))
            }
            In::Cookie => wire::parse_cookie(&self.cookies, name, explode, kind, self.cookie_names),
        };
        match raw {
            None => Ok(None),
            Some(value) => {
                wire::from_text(value)
                    .map(Some)
                    .map_err(|message| Rejection::InvalidParameter {
                        name: name.to_string(),
                        message,
                    })
            }
        }
    }

    /// Parameter `name`, which must be present.
    pub fn required<T: DeserializeOwned>(
        &self,
        location: In,
        name: &str,
        style: Style,
        explode: bool,
        kind: Kind,
    ) -> Result<T, Rejection> {
        self.optional(location, name, style, explode, kind)?
            .ok_or_else(|| Rejection::InvalidParameter {
                name: name.to_string(),
                message: "required".to_string(),
            })
    }
}

/// Decodes a JSON body and checks it against its schema.
///
/// `check` looks at the JSON as sent for what decoding cannot see (a `null`
/// sent for an optional property that is not nullable decodes as absent).
pub fn decode_json<T: DeserializeOwned + Validate>(
    bytes: &[u8],
    check: Option<fn(&serde_json::Value, &mut Vec<Violation>)>,
) -> Result<T, Rejection> {
    let value: T =
        serde_json::from_slice(bytes).map_err(|e| Rejection::MalformedBody(e.to_string()))?;
    let mut violations = Vec::new();
    if let Some(check) = check {
        if let Ok(raw) = serde_json::from_slice::<serde_json::Value>(bytes) {
            check(&raw, &mut violations);
        }
    }
    checked(value, violations)
}

/// `value` when neither it nor the JSON it came from (`violations`) breaks a
/// constraint.
fn checked<T: Validate>(value: T, mut violations: Vec<Violation>) -> Result<T, Rejection> {
    value.validate("", &mut violations);
    if violations.is_empty() {
        Ok(value)
    } else {
        Err(Rejection::InvalidBody(violations))
    }
}

/// Decodes an `application/x-www-form-urlencoded` body and checks it.
pub fn decode_form<T: DeserializeOwned + Validate>(
    bytes: &[u8],
    fields: &[(&str, Style, bool, Kind)],
) -> Result<T, Rejection> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Rejection::MalformedBody("the body is not UTF-8".into()))?;
    let value = wire::parse_form(&wire::split_pairs(text), fields);
    let value: T = wire::from_text(value).map_err(Rejection::MalformedBody)?;
    checked(value, Vec::new())
}

/// Decodes a multipart body and checks it.
///
/// Its parts were read as the body arrived (large file parts spooled:
/// `Binary::path`), or are read from the body read whole.
pub fn decode_multipart<T: DeserializeOwned + Validate>(
    content_type: Option<&str>,
    received: &Received,
    fields: &[(&str, multipart::Field)],
) -> Result<T, Rejection> {
    let parts = match received.take_parts() {
        Some(parts) => parts,
        None => multipart::from_body(content_type.unwrap_or(""), received.bytes())
            .map_err(Rejection::MalformedBody)?,
    };
    let value: T = multipart::decode(parts, fields).map_err(Rejection::MalformedBody)?;
    checked(value, Vec::new())
}

/// A binary body: the stream still arriving, or the bytes read whole.
#[allow(clippy::unnecessary_wraps)]
pub fn decode_byte_body(received: &Received) -> Result<ByteBody, Rejection> {
    Ok(received.take())
}

/// Decodes a text body.
pub fn decode_text(bytes: &[u8]) -> Result<String, Rejection> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| Rejection::MalformedBody("the body is not UTF-8".into()))
}
