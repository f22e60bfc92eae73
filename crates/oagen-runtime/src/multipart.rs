//! Multipart bodies (`multipart/form-data`), without an HTTP library: the
//! client turns a typed body into [`Part`]s and sends them as a
//! [`ByteBody`] (file parts read from their file as they are sent), the
//! server turns received parts back into the type.

use super::binary::{with_file_parts, FILE_MARKER};
use super::stream::{Stream, StreamError};
use super::{wire, Binary, ByteBody};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

mod incremental;

pub use incremental::{read_parts, ReadError, SPOOL_OVER};

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for file parts.
    pub file_name: Option<String>,
    /// The part's media type.
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Vec<u8>,
    /// The file the content is read from as it is sent, instead of `bytes`.
    pub path: Option<std::path::PathBuf>,
}

/// How a property of the body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A value (text, or JSON for objects), in one part.
    Value,
    /// Several values, one part each.
    Values,
    /// A file.
    File,
    /// Several files, one part each.
    Files,
}

fn marker_index(v: &Value) -> Option<usize> {
    v.as_str()?.strip_prefix(FILE_MARKER)?.parse().ok()
}

/// The parts of `body`: one per property (and per element of an array
/// property); files as file parts, objects as JSON, other values as text.
/// `content_types` gives a part's media type by property (`encoding`).
pub fn encode<T: Serialize>(
    body: &T,
    content_types: &[(&str, &str)],
) -> Result<Vec<Part>, serde_json::Error> {
    let (value, mut files) = with_file_parts(Vec::new(), || super::to_json(body));
    let value = value?;
    let mut parts = Vec::new();
    let mut push = |name: &str, v: &Value, parts: &mut Vec<Part>| {
        let declared = content_types
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, ct)| (*ct).to_string());
        if let Some(file) = marker_index(v).and_then(|i| files.get_mut(i).map(std::mem::take)) {
            parts.push(Part {
                name: name.to_string(),
                file_name: Some(file.file_name.unwrap_or_else(|| name.to_string())),
                content_type: file
                    .content_type
                    .or(declared)
                    .or_else(|| Some("application/octet-stream".into())),
                bytes: file.bytes,
                path: file.path,
            });
            return;
        }
        let (bytes, default_type) = match v {
            Value::Object(_) | Value::Array(_) => {
                (v.to_string().into_bytes(), Some("application/json"))
            }
            other => (wire::scalar_text(other).into_bytes(), None),
        };
        parts.push(Part {
            name: name.to_string(),
            file_name: None,
            content_type: declared.or(default_type.map(str::to_string)),
            bytes,
            path: None,
        });
    };
    match &value {
        Value::Object(map) => {
            for (name, v) in map {
                match v {
                    Value::Null => {}
                    Value::Array(items)
                        if items.iter().all(|i| !i.is_object() && !i.is_array()) =>
                    {
                        for item in items {
                            push(name, item, &mut parts);
                        }
                    }
                    other => push(name, other, &mut parts),
                }
            }
        }
        Value::Null => {}
        other => push("", other, &mut parts),
    }
    Ok(parts)
}

/// Writes `parts` as a body of media type `media_type` (e.g.
/// `multipart/form-data`): the full `Content-Type` (with the boundary)
/// and the bytes. A part read from a file has its `bytes` (none) written.
pub fn to_body(parts: &[Part], media_type: &str) -> (String, Vec<u8>) {
    let (content_type, segments) = segments(parts, media_type);
    let mut out = Vec::new();
    for segment in segments {
        if let Segment::Bytes(bytes) = segment {
            out.extend_from_slice(&bytes);
        }
    }
    (content_type, out)
}

/// Writes `parts` as a [`ByteBody`] of media type `media_type`, with its
/// full `Content-Type`: whole when no part is read from a file, else a
/// stream that reads each file as it is sent, of known length. A file that
/// cannot be read is an error now (when it is missing) or of the stream.
pub fn to_byte_body(parts: &[Part], media_type: &str) -> std::io::Result<(String, ByteBody)> {
    let (content_type, segments) = segments(parts, media_type);
    if segments.iter().all(|s| matches!(s, Segment::Bytes(_))) {
        let (_, bytes) = to_body(parts, media_type);
        return Ok((content_type, ByteBody::from(bytes)));
    }
    let mut len = 0u64;
    for segment in &segments {
        len += match segment {
            Segment::Bytes(bytes) => bytes.len() as u64,
            Segment::File(path) => std::fs::metadata(path)?.len(),
        };
    }
    let body = ByteBody::from_streamed(super::stream::Streamed::new(Segments {
        segments: segments.into(),
        file: None,
    }));
    Ok((content_type, body.with_len(len)))
}

/// 64 random bits (the standard library's per-process random hash keys,
/// hashed with the time and a counter; no dependency needed for a boundary).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.finish()
}

/// A piece of a multipart body: bytes, or a file's content.
enum Segment {
    Bytes(Vec<u8>),
    File(std::path::PathBuf),
}

/// The `Content-Type` and the pieces of the body of `parts`.
fn segments(parts: &[Part], media_type: &str) -> (String, Vec<Segment>) {
    // A boundary that occurs in no part held in memory. A file's content is
    // not read to check it, so with a file part the boundary has a random
    // tail (no file can be made to hold it in advance); without one it is
    // fixed, so the same body is the same bytes.
    let base = if parts.iter().any(|p| p.path.is_some()) {
        format!("oagen-boundary-{:016x}{:016x}", random_u64(), random_u64())
    } else {
        String::from("oagen-boundary-7MA4YWxkTrZu0gW")
    };
    let mut boundary = base.clone();
    let mut n = 0u32;
    while parts
        .iter()
        .any(|p| contains(&p.bytes, boundary.as_bytes()))
    {
        n += 1;
        boundary = format!("{base}-{n}");
    }
    let mut segments = Vec::new();
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!(
            "Content-Disposition: form-data; name=\"{}\"",
            quote(&p.name)
        );
        if let Some(f) = &p.file_name {
            disposition.push_str(&format!("; filename=\"{}\"", quote(f)));
        }
        out.extend_from_slice(disposition.as_bytes());
        out.extend_from_slice(b"\r\n");
        if let Some(ct) = &p.content_type {
            let ct: String = ct.chars().filter(|c| !c.is_control()).collect();
            out.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        match &p.path {
            Some(path) => {
                segments.push(Segment::Bytes(std::mem::take(&mut out)));
                segments.push(Segment::File(path.clone()));
            }
            None => out.extend_from_slice(&p.bytes),
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    segments.push(Segment::Bytes(out));
    let essence = media_type.split(';').next().unwrap_or("").trim();
    (format!("{essence}; boundary={boundary}"), segments)
}

/// The pieces of a multipart body in order, each file read as it is sent.
struct Segments {
    segments: VecDeque<Segment>,
    file: Option<ByteBody>,
}

impl Stream for Segments {
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(file) = &mut self.file {
                match Pin::new(file).poll_next(cx) {
                    Poll::Ready(None) => self.file = None,
                    other => return other,
                }
            }
            match self.segments.pop_front() {
                None => return Poll::Ready(None),
                Some(Segment::Bytes(bytes)) => return Poll::Ready(Some(Ok(bytes))),
                Some(Segment::File(path)) => match ByteBody::open(&path) {
                    Ok(file) => self.file = Some(file),
                    Err(e) => {
                        self.segments.clear();
                        return Poll::Ready(Some(Err(StreamError::Transport {
                            partial: Vec::new(),
                            source: Box::new(e),
                        })));
                    }
                },
            }
        }
    }
}

fn quote(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' => vec!['%', '2', '2'],
            c => vec![c],
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// A parameter of a header value (`name="value"` or `name=value`).
fn header_param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case(name) {
            return None;
        }
        let v = v.trim();
        Some(
            v.strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v)
                .to_string(),
        )
    })
}

/// Reads the parts of a multipart body whose `Content-Type` is `content_type`.
pub fn from_body(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = header_param(content_type, "boundary")
        .filter(|b| !b.is_empty())
        .ok_or("the Content-Type has no multipart boundary")?;
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut pos = find(body, delimiter, 0).ok_or("the body has no multipart boundary")?;
    let mut parts = Vec::new();
    loop {
        pos += delimiter.len();
        if body.get(pos..pos + 2) == Some(b"--") {
            return Ok(parts);
        }
        // Skip the rest of the boundary line.
        let line_end =
            find(body, b"\r\n", pos).ok_or("a multipart boundary line is not terminated")?;
        let start = line_end + 2;
        let head_end = find(body, b"\r\n\r\n", start)
            .or_else(|| {
                (body.get(start..start + 2) == Some(b"\r\n")).then_some(start.saturating_sub(2))
            })
            .ok_or("a multipart part has no end of headers")?;
        let head =
            String::from_utf8_lossy(body.get(start..head_end).unwrap_or_default()).into_owned();
        let content_start = head_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(delimiter);
        let end =
            find(body, &closing, content_start).ok_or("a multipart part is not terminated")?;
        let (name, file_name, part_type) = part_head(&head);
        parts.push(Part {
            name: name.ok_or("a multipart part has no name")?,
            file_name,
            content_type: part_type,
            bytes: body.get(content_start..end).unwrap_or_default().to_vec(),
            path: None,
        });
        pos = end + 2;
    }
}

/// The name, file name and media type in the head (headers) of a part.
fn part_head(head: &str) -> (Option<String>, Option<String>, Option<String>) {
    let mut name = None;
    let mut file_name = None;
    let mut part_type = None;
    for line in head.split("\r\n") {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        if k.trim().eq_ignore_ascii_case("content-disposition") {
            name = header_param(v, "name");
            file_name = header_param(v, "filename");
        } else if k.trim().eq_ignore_ascii_case("content-type") {
            part_type = Some(v.trim().to_string());
        }
    }
    (name, file_name, part_type)
}

/// Decodes received `parts` into `T`. `fields` says how each declared
/// property travels; parts of other names are kept as text.
pub fn decode<T: DeserializeOwned>(
    parts: Vec<Part>,
    fields: &[(&str, Field)],
) -> Result<T, String> {
    let mut files = Vec::new();
    let mut map = Map::new();
    for part in parts {
        let field = fields
            .iter()
            .find(|(n, _)| *n == part.name)
            .map(|(_, f)| *f);
        let value = match field {
            Some(Field::File | Field::Files) => {
                files.push(Binary {
                    bytes: part.bytes,
                    file_name: part.file_name,
                    content_type: part.content_type,
                    path: part.path,
                });
                Value::String(format!("{FILE_MARKER}{}", files.len() - 1))
            }
            _ => {
                let text = String::from_utf8_lossy(&part.bytes).into_owned();
                let json = part.content_type.as_deref().is_some_and(|ct| {
                    let mt = ct
                        .split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase();
                    mt == "application/json" || mt.ends_with("+json")
                });
                match json
                    .then(|| serde_json::from_str::<Value>(&text).ok())
                    .flatten()
                {
                    Some(v) => v,
                    None => Value::String(text),
                }
            }
        };
        match field {
            Some(Field::Values | Field::Files) => match map
                .entry(part.name)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(items) => items.push(value),
                other => *other = Value::Array(vec![value]),
            },
            _ => {
                map.entry(part.name).or_insert(value);
            }
        }
    }
    let (result, _) = with_file_parts(files, || wire::from_text::<T>(Value::Object(map)));
    result
}

#[cfg(test)]
mod tests;
