//! Spec text -> `serde_json::Value`: JSON or YAML, numbers of any magnitude, bounded nesting.
//!
//! JSON is read without serde_json's recursion limit (up to [`MAX_DEPTH`] levels,
//! checked by a scan before parsing, so deeper input is one diagnostic rather than a
//! stack overflow; the caller runs on a large stack, see [`crate::with_large_stack`]).
//! A number too large for an `f64` (`1e400`) is read as the largest `f64` of its sign,
//! and a YAML integer too wide for `i64`/`u64` as the nearest `f64`, as JSON reads it:
//! neither rejects the document. YAML's own parser (`yaml_serde`) keeps its limits of
//! 128 levels of nesting and of alias expansion ("billion laughs"), reported cleanly.

use std::fmt;
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diag::Diagnostic;

/// The deepest nesting of JSON arrays and objects read.
pub const MAX_DEPTH: usize = 10_000;

/// The deepest nesting `yaml_serde` reads.
pub const MAX_YAML_DEPTH: usize = 128;

fn file_diag(path: &Path, mut d: Diagnostic) -> Diagnostic {
    d.file = path.to_path_buf();
    d
}

/// Parses YAML or JSON text into a JSON value.
pub fn parse_text(path: &Path, text: &str) -> Result<Value, Box<Diagnostic>> {
    let is_json = path.extension().is_some_and(|e| e == "json");
    let looks_json = is_json || text.trim_start().starts_with('{');
    if looks_json {
        match parse_json(text) {
            Ok(v) => return Ok(v),
            Err(d) if is_json || d.message.contains("nesting") => {
                return Err(Box::new(file_diag(path, *d)))
            }
            Err(_) => {} // maybe YAML after all (YAML flow mappings look like JSON)
        }
    }
    // The YAML parser takes time quadratic in the depth of flow collections: a
    // document nested absurdly deep is refused before it is parsed.
    if let Some((line, column)) = yaml_too_deep(text, MAX_DEPTH) {
        let d = Diagnostic::error(
            "",
            format!("the YAML nests flow collections (`[`, `{{`) more than {MAX_DEPTH} levels deep"),
        )
        .at_line(line, Some(column))
        .with_hint(format!("the YAML reader reads at most {MAX_YAML_DEPTH} levels of nesting: flatten the nesting here, e.g. into named components referred to with `$ref`"));
        return Err(Box::new(file_diag(path, d)));
    }
    match yaml_serde::Deserializer::from_str(text).deserialize_any(ValueVisitor) {
        Ok(v) => Ok(v),
        Err(e) => {
            let text = e.to_string();
            let (message, hint) = if text.contains("recursion limit exceeded") {
                (
                    format!("invalid YAML: {text} (the YAML reader reads at most {MAX_YAML_DEPTH} levels of nesting)"),
                    format!("write the document as JSON, which is read up to {MAX_DEPTH} levels deep (e.g. `yq -o json`)"),
                )
            } else if text.contains("repetition limit exceeded") {
                (
                    format!("invalid YAML: {text} (aliases expand to far more than the document holds: an alias bomb?)"),
                    "expand the YAML aliases that refer to other aliases, or write the repeated parts out".to_string(),
                )
            } else {
                (
                    format!("invalid YAML: {text}"),
                    "fix the YAML syntax at this position".to_string(),
                )
            };
            let mut d = Diagnostic::error("", message).with_hint(hint);
            if let Some(loc) = e.location() {
                d = d.at_line(loc.line(), Some(loc.column()));
            }
            Err(Box::new(file_diag(path, d)))
        }
    }
}

/// Parses JSON text, with nesting up to [`MAX_DEPTH`] and numbers of any magnitude.
pub fn parse_json(text: &str) -> Result<Value, Box<Diagnostic>> {
    if let Some((line, column)) = too_deep(text, MAX_DEPTH) {
        return Err(Box::new(
            Diagnostic::error(
                "",
                format!("the JSON nests arrays and objects more than {MAX_DEPTH} levels deep"),
            )
            .at_line(line, Some(column))
            .with_hint(format!("oagen reads documents up to {MAX_DEPTH} levels deep: flatten the nesting here, e.g. into named components referred to with `$ref`")),
        ));
    }
    let parse = |text: &str| {
        let mut de = serde_json::Deserializer::from_str(text);
        de.disable_recursion_limit();
        let v = Value::deserialize(&mut de)?;
        de.end().map(|()| v)
    };
    let mut result = parse(text);
    if matches!(&result, Err(e) if e.to_string().starts_with("number out of range")) {
        result = parse(&clamp_huge_numbers(text));
    }
    result.map_err(|e| {
        Box::new(
            Diagnostic::error("", format!("invalid JSON: {e}"))
                .at_line(e.line(), Some(e.column()))
                .with_hint("fix the JSON syntax at this position"),
        )
    })
}

/// The line and column (1-based) where JSON `text` first nests deeper than `limit`.
fn too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let mut string = JsonString::default();
    for (i, b) in text.bytes().enumerate() {
        if string.holds(b) {
            continue;
        }
        match b {
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Some((line, i - line_start + 1));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// Where a byte-by-byte scan of JSON text stands with respect to strings.
#[derive(Default)]
struct JsonString {
    open: bool,
    escaped: bool,
}

impl JsonString {
    /// Whether `b`, the next byte of the text, belongs to a string (its quotes
    /// included), so that a scan for structure passes over it.
    fn holds(&mut self, b: u8) -> bool {
        if self.open {
            match b {
                _ if self.escaped => self.escaped = false,
                b'\\' => self.escaped = true,
                b'"' => self.open = false,
                _ => {}
            }
            return true;
        }
        self.open = b == b'"';
        self.open
    }
}

/// Where YAML `text` first nests flow collections deeper than `limit` (outside quoted
/// scalars and comments; brackets in plain scalars count too, so this is an estimate
/// for refusing absurd input, not a measure of valid documents).
fn yaml_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let mut quote: Option<u8> = None;
    let (mut escaped, mut comment) = (false, false);
    let mut prev = b'\n';
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
            comment = false;
        }
        if comment {
            prev = b;
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if q == b'"' && b == b'\\' {
                    escaped = true;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\''
                    if matches!(
                        prev,
                        b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':' | b'-' | b'?'
                    ) =>
                {
                    quote = Some(b);
                }
                b'#' if matches!(prev, b' ' | b'\t' | b'\n') => comment = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > limit {
                        return Some((line, i - line_start + 1));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = b;
    }
    None
}

/// `text` with every number token outside strings that overflows an `f64` replaced by
/// the largest `f64` of its sign (same lines; columns may shift after it).
fn clamp_huge_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    let mut string = JsonString::default();
    while i < bytes.len() {
        let b = bytes[i];
        if string.holds(b) {
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            {
                i += 1;
            }
            let token = &text[start..i];
            if token.parse::<f64>().is_ok_and(f64::is_infinite) {
                out.push_str(&text[copied..start]);
                let max = if token.starts_with('-') {
                    f64::MIN
                } else {
                    f64::MAX
                };
                out.push_str(&format!("{max:e}"));
                copied = i;
            }
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// A finite JSON number for `f`: infinities become the largest `f64` of their sign,
/// NaN is None.
fn finite(f: f64) -> Option<Number> {
    let f = if f.is_infinite() {
        if f > 0.0 {
            f64::MAX
        } else {
            f64::MIN
        }
    } else {
        f
    };
    Number::from_f64(f)
}

/// Builds a `serde_json::Value` (as its own `Deserialize` does) from YAML events,
/// but reads integers wider than 64 bits and infinite floats as finite `f64`s.
struct ValueVisitor;

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(Json)
    }
}

struct Json(Value);

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => Value::Number(i.into()),
            Err(_) => match u64::try_from(v) {
                Ok(u) => Value::Number(u.into()),
                Err(_) => finite(v as f64).map_or(Value::Null, Value::Number),
            },
        })
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(u) => Value::Number(u.into()),
            Err(_) => finite(v as f64).map_or(Value::Null, Value::Number),
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(finite(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Json(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some((k, Json(v))) = map.next_entry::<String, Json>()? {
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_json_numbers_are_clamped_in_place() {
        let v = parse_json(r#"{"a": 1e400, "b": -1E+999, "c": "1e400", "d": [2, 1e-400]}"#)
            .expect("parses");
        assert_eq!(v["a"].as_f64(), Some(f64::MAX));
        assert_eq!(v["b"].as_f64(), Some(f64::MIN));
        assert_eq!(v["c"], "1e400");
        assert_eq!(v["d"][0], 2);
    }

    #[test]
    fn depth_is_measured_outside_strings() {
        assert_eq!(too_deep(r#"{"a": "[[[[", "b": [[1]]}"#, 3), None);
        assert_eq!(too_deep("{\n [[1]]}", 2), Some((2, 3)));
        let yaml = "a: '[[[' # [[[\nb: \"[[\\\"[\"\nc: [[x]]\n";
        assert_eq!(yaml_too_deep(yaml, 2), None);
        assert_eq!(yaml_too_deep(yaml, 1), Some((3, 5)));
    }

    #[test]
    fn wide_yaml_integers_are_floats() {
        let v = parse_text(
            Path::new("t.yaml"),
            "a: -9223372036854776000\nb: 99999999999999999999999\nc: -.inf\ne: 1.0e+400\nd: 18446744073709551615\n",
        )
        .expect("parses");
        assert_eq!(v["a"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(v["b"].as_f64(), Some(1e23));
        assert_eq!(v["c"].as_f64(), Some(f64::MIN));
        // YAML reads a float beyond `f64` as a string (yaml_serde).
        assert_eq!(v["e"], "1.0e+400");
        assert_eq!(v["d"].as_u64(), Some(u64::MAX));
    }
}
