//! What the generated `response_*` functions and methods call: body decoders by media type ([`decode`], [`decode_text`], [`decode_form`], [`decode_multipart`]), declared headers ([`header`], [`required_header`]) and [`param_value`].

use serde::de::{DeserializeOwned, Error as _};
use serde::Serialize;

use super::super::{header_lines, multipart, parse_header, to_json, wire, HeaderForm};
use super::Error;

/// Decodes a JSON body; an error keeps the status and the body.
pub fn decode<T: DeserializeOwned>(status: u16, body: Vec<u8>) -> Result<T, Error> {
    match serde_json::from_slice(&body) {
        Ok(v) => Ok(v),
        Err(source) => Err(Error::Decode {
            status,
            body,
            source,
        }),
    }
}

/// Decodes a text body (UTF-8).
pub fn decode_text(status: u16, body: Vec<u8>) -> Result<String, Error> {
    match String::from_utf8(body) {
        Ok(s) => Ok(s),
        Err(e) => {
            let body = e.into_bytes();
            let source = serde_json::Error::custom("the body is not UTF-8 text");
            Err(Error::Decode {
                status,
                body,
                source,
            })
        }
    }
}

/// Decodes a form body, its fields read as `fields` declare them.
pub fn decode_form<T: DeserializeOwned>(
    status: u16,
    body: Vec<u8>,
    fields: &[(&str, wire::Style, bool, wire::Kind)],
) -> Result<T, Error> {
    let pairs = wire::split_pairs(&String::from_utf8_lossy(&body));
    match wire::from_text(wire::parse_form(&pairs, fields)) {
        Ok(v) => Ok(v),
        Err(e) => Err(Error::Decode {
            status,
            body,
            source: serde_json::Error::custom(e),
        }),
    }
}

/// Decodes a multipart body (its boundary from the `Content-Type` header).
pub fn decode_multipart<T: DeserializeOwned>(
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: Vec<u8>,
    fields: &[(&str, multipart::Field)],
) -> Result<T, Error> {
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let decoded = multipart::from_body(content_type, &body)
        .and_then(|parts| multipart::decode(parts, fields));
    match decoded {
        Ok(v) => Ok(v),
        Err(e) => Err(Error::Decode {
            status,
            body,
            source: serde_json::Error::custom(e),
        }),
    }
}

/// Reads the declared header `name` of a response (None when absent); a
/// value that does not parse is an error that takes the body along.
pub fn header<T: DeserializeOwned>(
    headers: &reqwest::header::HeaderMap,
    name: &str,
    form: HeaderForm,
    status: u16,
    body: &mut Vec<u8>,
) -> Result<Option<T>, Error> {
    let lines = headers.get_all(name).iter().map(|v| v.as_bytes());
    let parsed = match header_lines(lines) {
        Ok(Some(text)) => parse_header(&text, form).map(Some),
        Ok(None) => Ok(None),
        Err(message) => Err(message),
    };
    parsed.map_err(|message| Error::Header {
        status,
        name: name.to_string(),
        message,
        body: std::mem::take(body),
    })
}

/// Reads a required declared header: its absence is an error too.
pub fn required_header<T: DeserializeOwned>(
    headers: &reqwest::header::HeaderMap,
    name: &str,
    form: HeaderForm,
    status: u16,
    body: &mut Vec<u8>,
) -> Result<T, Error> {
    match header(headers, name, form, status, body)? {
        Some(v) => Ok(v),
        None => Err(Error::Header {
            status,
            name: name.to_string(),
            message: "the header is required but missing".to_string(),
            body: std::mem::take(body),
        }),
    }
}

/// A parameter value as JSON, for [`wire`](super::super::wire).
pub fn param_value<T: Serialize + ?Sized>(value: &T) -> serde_json::Value {
    to_json(value).unwrap_or(serde_json::Value::Null)
}
