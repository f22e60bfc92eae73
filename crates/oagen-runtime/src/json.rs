//! JSON values of typed values and their comparison: [`to_json`],
//! [`keeps_all`], [`json_is_subset`], [`fill_message`], [`serialize_tagged`].

use std::fmt::Write as _;

use serde::{Serialize, Serializer};

/// `value` as a JSON value, encoded through `serde_json`'s text serializer (the
/// one bodies are written with) and read back, rather than with
/// `serde_json::to_value`: each type's `Serialize` is then compiled for one
/// serializer, not two.
pub fn to_json<T: serde::Serialize + ?Sized>(
    value: &T,
) -> Result<serde_json::Value, serde_json::Error> {
    let bytes = serde_json::to_vec(value)?;
    serde_json::from_slice(&bytes)
}

/// Whether `decoded` encodes back to JSON that keeps all of `original` (see
/// [`json_is_subset`]). Untagged unions decode into the first variant for which
/// this holds.
pub fn keeps_all<T: serde::Serialize>(original: &serde_json::Value, decoded: &T) -> bool {
    to_json(decoded).is_ok_and(|encoded| json_is_subset(original, &encoded).is_ok())
}

/// Checks that `actual` keeps everything in `expected`.
///
/// Every member of every object in `expected` must be present in `actual`
/// with a value that passes the same check; `actual` may have more members.
/// Arrays must have the same length and pass element by element. Numbers
/// compare by value: as `f64` when either is a float (so `1` equals `1.0`),
/// exactly as integers otherwise. Other values must be equal. The error names
/// the JSON pointer of the first difference.
pub fn json_is_subset(
    expected: &serde_json::Value,
    actual: &serde_json::Value,
) -> Result<(), String> {
    let mut pointer = String::new();
    subset_at(expected, actual, &mut pointer)
}

fn subset_at(
    expected: &serde_json::Value,
    actual: &serde_json::Value,
    pointer: &mut String,
) -> Result<(), String> {
    use serde_json::Value;
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, expected) in expected {
                let len = pointer.len();
                pointer.push('/');
                for ch in key.chars() {
                    match ch {
                        '~' => pointer.push_str("~0"),
                        '/' => pointer.push_str("~1"),
                        _ => pointer.push(ch),
                    }
                }
                match actual.get(key) {
                    Some(actual) => subset_at(expected, actual, pointer)?,
                    None => {
                        return Err(format!(
                            "{}: member is missing (expected {})",
                            describe_pointer(pointer),
                            brief(expected)
                        ))
                    }
                }
                pointer.truncate(len);
            }
            Ok(())
        }
        (Value::Array(expected), Value::Array(actual)) => {
            if expected.len() != actual.len() {
                return Err(format!(
                    "{}: expected an array of {} elements, found {} elements",
                    describe_pointer(pointer),
                    expected.len(),
                    actual.len()
                ));
            }
            for (index, (expected, actual)) in expected.iter().zip(actual).enumerate() {
                let len = pointer.len();
                // Writing to a String cannot fail.
                let _ = write!(pointer, "/{index}");
                subset_at(expected, actual, pointer)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        (Value::Number(x), Value::Number(y)) if numbers_equal(x, y) => Ok(()),
        (Value::Number(_), Value::Number(_)) => Err(mismatch(pointer, expected, actual)),
        _ if expected == actual => Ok(()),
        _ => Err(mismatch(pointer, expected, actual)),
    }
}

fn numbers_equal(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    if x.is_f64() || y.is_f64() {
        matches!((x.as_f64(), y.as_f64()), (Some(a), Some(b)) if a == b)
    } else if let (Some(a), Some(b)) = (x.as_i64(), y.as_i64()) {
        a == b
    } else if let (Some(a), Some(b)) = (x.as_u64(), y.as_u64()) {
        a == b
    } else {
        false
    }
}

fn mismatch(pointer: &str, expected: &serde_json::Value, actual: &serde_json::Value) -> String {
    format!(
        "{}: expected {}, found {}",
        describe_pointer(pointer),
        brief(expected),
        brief(actual)
    )
}

fn describe_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        "at the document root".to_owned()
    } else {
        format!("at {pointer:?}")
    }
}

/// A JSON value as text, cut short when long.
fn brief(value: &serde_json::Value) -> String {
    const SHOWN: usize = 120;
    let text = value.to_string();
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}...", text.get(..end).unwrap_or("")),
        None => text,
    }
}

/// The marker that [`fill_message`] replaces; generated servers put it in the
/// bodies they send when they reject a request.
pub const MESSAGE_MARKER: &str = "{oagen:message}";

/// Replaces every string in `value` that equals [`MESSAGE_MARKER`] with `message`.
pub fn fill_message(value: &mut serde_json::Value, message: &str) {
    match value {
        serde_json::Value::String(s) if s == MESSAGE_MARKER => *s = message.to_string(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| fill_message(v, message)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| fill_message(v, message)),
        _ => {}
    }
}

/// Serializes one variant of a discriminated union: `value` as JSON, with the
/// discriminator property `tag` set to `tag_values[0]` unless it already holds
/// one of `tag_values` (the values the spec maps to this variant), so that the
/// JSON always decodes back into the same variant.
pub fn serialize_tagged<S, T>(
    serializer: S,
    tag: &str,
    tag_values: &[&str],
    value: &T,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    let mut json = to_json(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        let current = map.get(tag).and_then(serde_json::Value::as_str);
        let keep = current.is_some_and(|c| tag_values.contains(&c));
        if let (false, Some(first)) = (keep, tag_values.first()) {
            map.insert(
                tag.to_string(),
                serde_json::Value::String((*first).to_string()),
            );
        }
    }
    json.serialize(serializer)
}

#[cfg(test)]
mod tests;
