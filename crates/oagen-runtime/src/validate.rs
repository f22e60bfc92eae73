//! Constraint checks that decoding does not make: [`Violation`], the [`Validate`] trait and its impls for containers and plain values, and the helpers the generated `validate` module calls (`no_null`, `property`, `dependent_required`, `regex`).
//!
//! The generated crate's `validate` module re-exports these and adds a
//! `Validate` impl per type a request can carry. It needs `regex`; in a
//! generated crate it is compiled with the `server` feature.

use super::{Binary, DateTime};
use serde_json::{Map, Value};

/// A value that breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer of the value.
    pub at: String,
    /// What is wrong.
    pub message: String,
}

/// Checks the constraints of a schema that decoding does not check
/// (lengths, ranges, patterns, enum membership, sizes).
pub trait Validate {
    /// Appends every violation found under `at` to `out`. Types whose
    /// values cannot break a constraint keep this default, which finds none.
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        let _ = (at, out);
    }

    /// Appends every violation of the JSON `value`, as it was received for
    /// this type, that decoding cannot see: a `null` where the schema does not
    /// allow one (an optional property decodes `null` as absent).
    fn validate_json(value: &Value, at: &str, out: &mut Vec<Violation>)
    where
        Self: Sized,
    {
        let _ = (value, at, out);
    }
}

/// Reports a `null` sent for the property `name` of `object` (optional, not
/// nullable, no default: decoding would read it as absent).
pub fn no_null(object: &Map<String, Value>, name: &str, at: &str, out: &mut Vec<Violation>) {
    if object.get(name).is_some_and(Value::is_null) {
        out.push(Violation {
            at: format!("{at}/{name}"),
            message: "null is not allowed".to_string(),
        });
    }
}

/// Checks the property `name` of `object` with `check` when it is there and
/// not `null`; a `null` is reported unless `null_allowed`.
pub fn property(
    object: &Map<String, Value>,
    name: &str,
    at: &str,
    out: &mut Vec<Violation>,
    null_allowed: bool,
    check: fn(&Value, &str, &mut Vec<Violation>),
) {
    let Some(v) = object.get(name) else { return };
    if !v.is_null() {
        check(v, &format!("{at}/{name}"), out);
    } else if !null_allowed {
        out.push(Violation {
            at: format!("{at}/{name}"),
            message: "null is not allowed".to_string(),
        });
    }
}

/// `dependentRequired`: when `object` has the property `name`, each of `needed`
/// must be there too.
pub fn dependent_required(
    object: &Map<String, Value>,
    name: &str,
    needed: &[&str],
    at: &str,
    out: &mut Vec<Violation>,
) {
    if !object.contains_key(name) {
        return;
    }
    for n in needed.iter().filter(|n| !object.contains_key(**n)) {
        out.push(Violation {
            at: at.to_string(),
            message: format!("`{n}` is required when `{name}` is present"),
        });
    }
}

/// A compiled `pattern`, or `None` when it is not a pattern the `regex`
/// crate accepts (the check is then skipped).
pub fn regex(pattern: &str) -> Option<regex::Regex> {
    regex::Regex::new(pattern).ok()
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        for (i, v) in self.iter().enumerate() {
            v.validate(&format!("{at}/{i}"), out);
        }
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        for (k, v) in self {
            v.validate(&format!("{at}/{k}"), out);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        (**self).validate(at, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        if let Some(v) = self {
            v.validate(at, out);
        }
    }
}

/// Values that carry no constraint of their own.
macro_rules! no_constraints {
    ($($t:ty),*) => { $( impl Validate for $t {} )* };
}

no_constraints!(
    String,
    i32,
    i64,
    u32,
    u64,
    f64,
    bool,
    (),
    Value,
    DateTime,
    Binary,
    chrono::NaiveDate
);

#[cfg(test)]
mod tests;
