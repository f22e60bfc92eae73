//! Parameter and form text back to JSON values with strings at the leaves
//! (the server's half), for [`from_text`](super::from_text) to decode.

use super::{decode, delimiter, encode, scalar_text, Kind, Style};
use serde_json::{Map, Value};

fn split_list(text: &str, style: Style) -> Vec<Value> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split(delimiter(style))
        .map(|s| Value::String(s.to_string()))
        .collect()
}

fn pairs_object(items: Vec<Value>) -> Value {
    let mut map = Map::new();
    let mut iter = items.into_iter();
    while let Some(k) = iter.next() {
        let v = iter.next().unwrap_or(Value::String(String::new()));
        map.insert(scalar_text(&k), v);
    }
    Value::Object(map)
}

fn key_value_object<'a>(items: impl Iterator<Item = &'a str>) -> Value {
    let mut map = Map::new();
    for item in items {
        let (k, v) = item.split_once('=').unwrap_or((item, ""));
        map.insert(k.to_string(), Value::String(v.to_string()));
    }
    Value::Object(map)
}

/// Inserts `value` at the bracketed path `keys` (`["a", "0", "b"]`);
/// `[]` appends.
fn insert_deep(target: &mut Value, keys: &[String], value: Value) {
    let Some((first, rest)) = keys.split_first() else {
        *target = value;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(map) = target {
        let key = if first.is_empty() {
            // `name[]`: the next free index.
            map.len().to_string()
        } else {
            first.clone()
        };
        let slot = map.entry(key).or_insert(Value::Null);
        if rest.is_empty() {
            *slot = value;
        } else {
            insert_deep(slot, rest, value);
        }
    }
}

/// Splits `name[a][b]` into `name` and `["a", "b"]`.
fn bracket_path(key: &str) -> (&str, Vec<String>) {
    match key.find('[') {
        Some(i) if key.ends_with(']') => {
            let inner = &key[i + 1..key.len() - 1];
            (&key[..i], inner.split("][").map(str::to_string).collect())
        }
        _ => (key, Vec::new()),
    }
}

/// Collects query parameter `name` from decoded `pairs`. `others` are the
/// names of the operation's other query parameters (an exploded `form`
/// object takes every pair that is not one of them). `None` when absent.
pub fn parse_query(
    pairs: &[(String, String)],
    name: &str,
    style: Style,
    explode: bool,
    kind: Kind,
    others: &[&str],
) -> Option<Value> {
    let bracketed = |pairs: &[(String, String)]| -> Option<Value> {
        let mut value = Value::Null;
        let mut found = false;
        for (k, v) in pairs {
            let (base, keys) = bracket_path(k);
            if base == name && !keys.is_empty() {
                insert_deep(&mut value, &keys, Value::String(v.clone()));
                found = true;
            }
        }
        found.then_some(value)
    };
    let first = || {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match kind {
        Kind::Scalar => first().map(|v| Value::String(v.to_string())),
        Kind::Array => {
            if style == Style::DeepObject {
                return bracketed(pairs);
            }
            if explode {
                let items: Vec<Value> = pairs
                    .iter()
                    .filter(|(k, _)| k == name || k.strip_suffix("[]") == Some(name))
                    .map(|(_, v)| Value::String(v.clone()))
                    .collect();
                if items.is_empty() {
                    bracketed(pairs)
                } else {
                    Some(Value::Array(items))
                }
            } else {
                first().map(|v| Value::Array(split_list(v, style)))
            }
        }
        Kind::Object => {
            if style == Style::DeepObject {
                return bracketed(pairs);
            }
            if explode {
                let mut map = Map::new();
                for (k, v) in pairs {
                    let base = bracket_path(k).0;
                    if !others.contains(&base) && base != name {
                        map.insert(k.clone(), Value::String(v.clone()));
                    }
                }
                if map.is_empty() {
                    bracketed(pairs)
                } else {
                    Some(Value::Object(map))
                }
            } else {
                first().map(|v| pairs_object(split_list(v, style)))
            }
        }
    }
}

/// The raw (still percent-encoded) text of path parameter `name` in
/// `path`, the request path, matched against `template` (e.g.
/// `/users/{id}.json`). None when the path does not fit the template.
pub fn path_segment<'a>(template: &str, path: &'a str, name: &str) -> Option<&'a str> {
    let var = format!("{{{name}}}");
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&'a str> = path.split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let (i, seg) = t
        .iter()
        .enumerate()
        .find(|(_, s)| s.contains(var.as_str()))?;
    let (prefix, suffix) = seg.split_once(var.as_str())?;
    let raw = p[i].strip_prefix(prefix)?;
    // Text after the variable is literal up to the next variable.
    if let Some(end) = suffix.find('{') {
        let literal = &suffix[..end];
        return if literal.is_empty() {
            Some(raw)
        } else {
            raw.find(literal).map(|j| &raw[..j])
        };
    }
    raw.strip_suffix(suffix)
}

/// Reads path parameter `name` from its raw (still percent-encoded)
/// segment text.
pub fn parse_path(raw: &str, name: &str, style: Style, explode: bool, kind: Kind) -> Option<Value> {
    let text: &str = match style {
        Style::Label => raw.strip_prefix('.')?,
        Style::Matrix => raw.strip_prefix(';')?,
        _ => raw,
    };
    let matrix_prefix = format!("{}=", encode(name));
    let pieces: Vec<&str> = match (style, explode) {
        (Style::Label, true) => text.split('.').collect(),
        (Style::Matrix, true) if kind != Kind::Object => text
            .split(';')
            .map(|p| p.strip_prefix(matrix_prefix.as_str()).unwrap_or(p))
            .collect(),
        (Style::Matrix, true) => text.split(';').collect(),
        (Style::Matrix, false) => text
            .strip_prefix(matrix_prefix.as_str())
            .unwrap_or(text)
            .split(',')
            .collect(),
        _ => text.split(',').collect(),
    };
    let decoded = |s: &str| decode(s, false);
    Some(match kind {
        Kind::Scalar => Value::String(match (style, explode) {
            (Style::Matrix, _) => {
                decoded(text.strip_prefix(matrix_prefix.as_str()).unwrap_or(text))
            }
            _ => decoded(text),
        }),
        Kind::Array => Value::Array(
            pieces
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| Value::String(decoded(p)))
                .collect(),
        ),
        Kind::Object if explode => {
            let mut map = Map::new();
            for p in pieces.iter().filter(|p| !p.is_empty()) {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                map.insert(decoded(k), Value::String(decoded(v)));
            }
            Value::Object(map)
        }
        Kind::Object => pairs_object(pieces.iter().map(|p| Value::String(decoded(p))).collect()),
    })
}

/// Reads a header parameter's text (`simple` style).
pub fn parse_header(text: &str, explode: bool, kind: Kind) -> Value {
    match kind {
        Kind::Scalar => Value::String(text.to_string()),
        Kind::Array => Value::Array(
            text.split(',')
                .map(|s| Value::String(s.trim().to_string()))
                .filter(|v| v != &Value::String(String::new()))
                .collect(),
        ),
        Kind::Object if explode => key_value_object(text.split(',').map(str::trim)),
        Kind::Object => pairs_object(split_list(text, Style::Simple)),
    }
}

/// Reads a cookie parameter's value (`form` style; an exploded array or
/// object arrives as several cookies, which `pairs` holds).
pub fn parse_cookie(
    pairs: &[(String, String)],
    name: &str,
    explode: bool,
    kind: Kind,
    others: &[&str],
) -> Option<Value> {
    parse_query(pairs, name, Style::Form, explode, kind, others)
}

/// Collects a form body's pairs into a JSON object with strings at the
/// leaves. `fields` lists each declared property with its style,
/// `explode` and kind; bracketed keys (`a[b][0]`) nest, repeated keys of
/// an array property collect, and other keys are kept as strings.
pub fn parse_form(pairs: &[(String, String)], fields: &[(&str, Style, bool, Kind)]) -> Value {
    let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
    let mut out = Map::new();
    for (name, style, explode, kind) in fields {
        let value = match (kind, style, explode) {
            // Objects in exploded `form` style are sent with brackets.
            (Kind::Object, Style::Form, true) => {
                parse_query(pairs, name, Style::DeepObject, true, *kind, &names)
            }
            _ => parse_query(pairs, name, *style, *explode, *kind, &names),
        };
        let value = match (value, kind) {
            (None, Kind::Array) => parse_query(pairs, name, Style::DeepObject, true, *kind, &names),
            (value, _) => value,
        };
        if let Some(value) = value {
            out.insert((*name).to_string(), value);
        }
    }
    for (k, v) in pairs {
        let (base, keys) = bracket_path(k);
        if names.contains(&base) {
            continue;
        }
        let slot = out.entry(base.to_string()).or_insert(Value::Null);
        if keys.is_empty() {
            *slot = Value::String(v.clone());
        } else {
            insert_deep(slot, &keys, Value::String(v.clone()));
        }
    }
    Value::Object(out)
}
