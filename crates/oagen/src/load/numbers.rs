//! Numeric keywords of one schema made fit for the Rust type they constrain.
//!
//! Numbers of any magnitude reach here (see [`super::parse`]). A bound at or beyond the
//! edge of the schema's Rust type (`i64`, `i32`, `u32`, `u64` by `format`; `f64`) is no
//! constraint and is dropped; a fractional bound of an integer is rounded inwards; an
//! integral float (`1.0`, `-9.2e18`) becomes an integer. What an integer schema cannot
//! hold (a `multipleOf` of 0.5, an `enum` member of 1e30) is dropped with a warning,
//! as is a `multipleOf` that is not positive. Idempotent.

use serde_json::{Map, Number, Value};

use crate::diag::{join, Diagnostics};

/// Fixes the numeric keywords of `obj` (a normalised schema) in place.
pub fn fix(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    match obj.get("type").and_then(Value::as_str) {
        Some("integer") => integer(obj, ptr, diags),
        Some("number") => number(obj, ptr, diags),
        _ => {}
    }
}

fn number(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    for key in ["minimum", "maximum"] {
        if obj
            .get(key)
            .and_then(Value::as_f64)
            .is_some_and(|v| v.abs() >= f64::MAX)
        {
            obj.shift_remove(key);
            exclusive_off(obj, key);
        }
    }
    positive_multiple(obj, ptr, diags);
}

/// `exclusiveMinimum: true` without its bound means nothing: it goes with the bound.
fn exclusive_off(obj: &mut Map<String, Value>, bound: &str) {
    let excl = if bound == "minimum" {
        "exclusiveMinimum"
    } else {
        "exclusiveMaximum"
    };
    obj.shift_remove(excl);
}

fn positive_multiple(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    if let Some(m) = obj.get("multipleOf").and_then(Value::as_f64) {
        if m <= 0.0 || !m.is_finite() {
            obj.shift_remove("multipleOf");
            diags.warn(
                join(ptr, "multipleOf"),
                format!("`multipleOf` must be greater than 0 (it is {m}); it was ignored"),
            );
        }
    }
}

/// The range of the Rust integer type `format` picks (as the model picks it).
fn range(format: Option<&str>) -> (f64, f64) {
    match format {
        Some("int32") => (f64::from(i32::MIN), f64::from(i32::MAX)),
        Some("uint32") => (0.0, f64::from(u32::MAX)),
        Some("uint64") => (0.0, u64::MAX as f64),
        _ => (i64::MIN as f64, i64::MAX as f64),
    }
}

/// `v` as an `i64` JSON number, when it is an integer that fits.
fn as_int(v: f64) -> Option<Value> {
    // `i64::MAX as f64` is 2^63, one past `i64::MAX`.
    (v.fract() == 0.0 && v >= i64::MIN as f64 && v < i64::MAX as f64)
        .then(|| Value::Number(Number::from(v as i64)))
}

fn integer(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    let (lo, hi) = range(obj.get("format").and_then(Value::as_str));
    for key in ["minimum", "maximum"] {
        let Some(v) = obj.get(key) else { continue };
        if v.is_i64() {
            // Exact; only a bound beyond the type's edge is dropped.
            let i = v.as_i64().unwrap_or_default() as f64;
            if (key == "minimum" && i < lo) || (key == "maximum" && i > hi) {
                obj.shift_remove(key);
                exclusive_off(obj, key);
            }
            continue;
        }
        let Some(f) = v.as_f64() else { continue };
        let vacuous = if key == "minimum" { f <= lo } else { f >= hi };
        if vacuous {
            obj.shift_remove(key);
            exclusive_off(obj, key);
            continue;
        }
        // Rounded inwards: an integer above 1.5 is at least 2.
        let rounded = if key == "minimum" {
            f.ceil()
        } else {
            f.floor()
        };
        match as_int(rounded) {
            Some(int) => {
                if rounded != f {
                    exclusive_off(obj, key);
                }
                obj.insert(key.into(), int);
            }
            None => {
                obj.shift_remove(key);
                exclusive_off(obj, key);
                diags.warn(
                    join(ptr, key),
                    format!("`{key}` {f} cannot be an integer bound (oagen's integer bounds are 64-bit); it was ignored"),
                );
            }
        }
    }
    positive_multiple(obj, ptr, diags);
    if let Some(m) = obj.get("multipleOf") {
        if !m.is_i64() {
            match m.as_f64().and_then(as_int) {
                Some(int) => {
                    obj.insert("multipleOf".into(), int);
                }
                None => {
                    let m = obj.shift_remove("multipleOf").unwrap_or_default();
                    diags.warn(
                        join(ptr, "multipleOf"),
                        format!("`multipleOf` {m} of an integer must be a 64-bit integer; it was ignored"),
                    );
                }
            }
        }
    }
    if let Some(Value::Array(values)) = obj.get_mut("enum") {
        let before = values.len();
        let mut dropped = Vec::new();
        values.retain_mut(|v| {
            if !v.is_number() || v.is_i64() {
                return true;
            }
            match v.as_f64().and_then(as_int) {
                Some(int) => {
                    *v = int;
                    true
                }
                None => {
                    dropped.push(v.to_string());
                    false
                }
            }
        });
        if !dropped.is_empty() {
            let emptied = values.is_empty() && before > 0;
            if emptied {
                obj.shift_remove("enum");
            }
            diags.warn(
                join(ptr, "enum"),
                format!(
                    "enum value(s) {} cannot be held by a 64-bit integer; {}",
                    dropped.join(", "),
                    if emptied {
                        "the enum was ignored"
                    } else {
                        "they were left out"
                    }
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn fixed(v: Value) -> (Value, usize) {
        let mut v = v;
        let mut d = Diagnostics::new(Path::new("t.yaml"));
        if let Some(obj) = v.as_object_mut() {
            fix(obj, "/s", &mut d);
        }
        (v, d.items().len())
    }

    #[test]
    fn bounds_beyond_the_type_are_dropped() {
        let (v, warnings) = fixed(json!({"type": "integer", "format": "int64",
            "minimum": -9223372036854776000.0, "maximum": 1e23}));
        assert_eq!(
            (v, warnings),
            (json!({"type": "integer", "format": "int64"}), 0)
        );
        let (v, _) = fixed(json!({"type": "integer", "format": "int32",
            "minimum": -3000000000_i64, "maximum": 10.0, "exclusiveMinimum": true}));
        assert_eq!(
            v,
            json!({"type": "integer", "format": "int32", "maximum": 10})
        );
        let (v, _) = fixed(json!({"type": "number", "minimum": f64::MIN, "maximum": 2.5}));
        assert_eq!(v, json!({"type": "number", "maximum": 2.5}));
    }

    #[test]
    fn integers_round_inwards_and_drop_what_they_cannot_hold() {
        let (v, warnings) = fixed(json!({"type": "integer", "minimum": 1.5,
            "exclusiveMinimum": true, "multipleOf": 0.5, "enum": [1, 2.0, 1e30]}));
        assert_eq!(v, json!({"type": "integer", "minimum": 2, "enum": [1, 2]}));
        assert_eq!(warnings, 2);
        let (v, warnings) = fixed(json!({"type": "number", "multipleOf": 0.0}));
        assert_eq!((v, warnings), (json!({"type": "number"}), 1));
    }
}
