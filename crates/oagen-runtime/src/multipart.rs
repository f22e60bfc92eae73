//! Multipart bodies (`multipart/form-data`), without an HTTP library: the
//! client turns a typed body into [`Part`]s, the server turns
//! received parts back into the type.

use super::binary::{with_file_parts, FILE_MARKER};
use super::{wire, Binary};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

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
/// and the bytes.
pub fn to_body(parts: &[Part], media_type: &str) -> (String, Vec<u8>) {
    // A boundary that occurs in no part.
    let mut boundary = String::from("oagen-boundary-7MA4YWxkTrZu0gW");
    let mut n = 0u32;
    while parts
        .iter()
        .any(|p| contains(&p.bytes, boundary.as_bytes()))
    {
        n += 1;
        boundary = format!("oagen-boundary-7MA4YWxkTrZu0gW-{n}");
    }
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
        out.extend_from_slice(&p.bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let essence = media_type.split(';').next().unwrap_or("").trim();
    (format!("{essence}; boundary={boundary}"), out)
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
        parts.push(Part {
            name: name.ok_or("a multipart part has no name")?,
            file_name,
            content_type: part_type,
            bytes: body.get(content_start..end).unwrap_or_default().to_vec(),
        });
        pos = end + 2;
    }
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
