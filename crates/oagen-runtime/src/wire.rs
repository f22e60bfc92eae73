//! How parameters and form fields travel as text: OpenAPI's `style` and
//! `explode` rules, both ways.
//!
//! Values are handled as [`serde_json::Value`]: a client serializes its typed
//! value to JSON and turns it into text with [`query_pairs`], [`path_text`],
//! [`header_text`] or [`form_pairs`] (in `write`); a server collects the text
//! back into a JSON value with strings at the leaves ([`parse_query`],
//! [`parse_path`], [`parse_header`], [`parse_form`], in `parse`) and decodes
//! it with [`from_text`] (in `text`), which reads numbers and booleans out of
//! strings where the target type asks for them. This file keeps what both
//! halves share: [`Style`], [`Kind`], scalar text, percent-encoding and
//! `application/x-www-form-urlencoded` pairs.

use serde_json::Value;

mod parse;
mod text;
mod write;

pub use parse::{parse_cookie, parse_form, parse_header, parse_path, parse_query, path_segment};
pub(crate) use text::{decode_value, in_text};
pub use text::{from_text, TextError};
pub use write::{form_pairs, header_text, path_text, query_pairs};

/// A serialization style (`style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `form`: `name=value`, arrays `name=a&name=b` or `name=a,b`.
    Form,
    /// `simple`: `a,b`; objects `k,v` or `k=v`.
    Simple,
    /// `label`: `.a.b` or `.a,b`.
    Label,
    /// `matrix`: `;name=a;name=b` or `;name=a,b`.
    Matrix,
    /// `spaceDelimited`: `name=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`, nested with more brackets.
    DeepObject,
}

/// The shape of a value, as far as the wire format cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string, number, boolean or anything else sent as one piece.
    Scalar,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// A scalar's text: strings as they are, `null` as nothing, other values
/// as JSON.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn delimiter(style: Style) -> &'static str {
    match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        _ => ",",
    }
}

/// Whether a `Content-Type` (None: not sent) is the declared media type
/// `declared`, which may be a range such as `image/*` or `*/*`.
pub fn media_matches(content_type: Option<&str>, declared: &str) -> bool {
    let essence = |s: &str| {
        s.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let declared = essence(declared);
    let Some(actual) = content_type.map(essence) else {
        return false;
    };
    if declared == "*/*" || declared == actual {
        return true;
    }
    match declared.strip_suffix("/*") {
        Some(main) => actual.split('/').next() == Some(main),
        None => false,
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes, and `+` as a space when `plus` is set.
pub fn decode(text: &str, plus: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `application/x-www-form-urlencoded` text (a query string or a
/// form body) into decoded pairs.
pub fn split_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k, true), decode(v, true)),
            None => (decode(p, true), String::new()),
        })
        .collect()
}

/// Joins pairs into `application/x-www-form-urlencoded` text.
pub fn join_pairs(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

#[cfg(test)]
mod tests;
