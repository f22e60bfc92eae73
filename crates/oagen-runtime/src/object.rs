//! How generated structs decode ([`collect`], [`Fields`]) and encode ([`serialize`]).
//!
//! A derived `Deserialize` is a large generic function per struct, which the
//! compiler checks for every struct of the API. A generated struct instead
//! collects the object once, with [`collect`] (one generic function for every
//! struct of the crate), and takes its properties out by name in a small
//! non-generic function:
//!
//! ```text
//! impl<'de> Deserialize<'de> for Pet {
//!     fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
//!         fn build(mut f: object::Fields) -> Result<Pet, String> {
//!             let Some(v0) = f.required("id") else { return Err(f.error()) };
//!             let Some(v1) = f.optional("tag") else { return Err(f.error()) };
//!             Ok(Pet { id: v0, tag: v1 })
//!         }
//!         object::deserialize(d, build)
//!     }
//! }
//! ```
//!
//! Inside [`wire::from_text`](super::wire::from_text) the properties are read
//! as text (numbers and booleans out of strings where the property's type asks
//! for them), as `from_text` reads every other part of its value.
//!
//! Generated structs encode through [`serialize`] too: a derived `Serialize`
//! is a generic function per struct with a generic call per member, checked
//! and compiled for every serializer; a generated struct lists its members as
//! type-erased values ([`Member`]) and one generic function, compiled once per
//! serializer, writes them:
//!
//! ```text
//! impl Serialize for Pet {
//!     fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//!         object::serialize(s, &[("id", Some(&self.id)), ("tag", object::present(&self.tag))], &())
//!     }
//! }
//! ```

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// A member of a struct being encoded: its name, and its value or `None`
/// when it is left out (an optional member that is not set).
pub type Member<'a> = (&'a str, Option<&'a dyn erased_serde::Serialize>);

/// An optional member's value: `None` (left out) when it is not set.
pub fn present<T: serde::Serialize>(value: &Option<T>) -> Option<&dyn erased_serde::Serialize> {
    match value {
        Some(v) => Some(v),
        None => None,
    }
}

/// The members of a struct that its schema does not list (its
/// `additionalProperties`), written after the listed ones.
pub trait Rest {
    /// The members, in order.
    fn members(&self) -> Vec<Member<'_>>;
}

/// No other members.
impl Rest for () {
    fn members(&self) -> Vec<Member<'_>> {
        Vec::new()
    }
}

impl Rest for Map<String, Value> {
    fn members(&self) -> Vec<Member<'_>> {
        self.iter()
            .map(|(k, v)| (k.as_str(), Some(v as &dyn erased_serde::Serialize)))
            .collect()
    }
}

impl<T: serde::Serialize> Rest for BTreeMap<String, T> {
    fn members(&self) -> Vec<Member<'_>> {
        self.iter()
            .map(|(k, v)| (k.as_str(), Some(v as &dyn erased_serde::Serialize)))
            .collect()
    }
}

/// A generated struct's `Serialize`: an object of its members (those left
/// out skipped), then the `rest`; a member of `rest` with the name of a
/// listed member is not written (the listed one is).
pub fn serialize<S: Serializer>(
    serializer: S,
    members: &[Member<'_>],
    rest: &dyn Rest,
) -> Result<S::Ok, S::Error> {
    let mut extra = rest.members();
    extra.retain(|(name, _)| !members.iter().any(|(listed, _)| listed == name));
    let written = |m: &&Member<'_>| m.1.is_some();
    let len = members.iter().filter(written).count() + extra.len();
    let mut map = serializer.serialize_map(Some(len))?;
    for (name, value) in members.iter().chain(&extra) {
        if let Some(value) = value {
            map.serialize_entry(name, value)?;
        }
    }
    map.end()
}

/// The members of a received object, taken out one by one. Each method
/// returns `None` when the member does not decode (or a required one is
/// missing) and keeps the error for [`Fields::error`], so that a struct's
/// `build` is one `let ... else` per member and fails at the first one
/// that does not decode:
///
/// ```text
/// let Some(v0) = f.required("id") else { return Err(f.error()) };
/// let Some(v1) = f.optional("tag") else { return Err(f.error()) };
/// Ok(Pet { id: v0, tag: v1 })
/// ```
///
/// (Taking every member out into one tuple matched by a single `let ...
/// else` compiled to 1.7 times the LLVM IR of this form: the tuple's moves
/// and drop flags cost more than the early returns' shared drop path.)
#[derive(Debug)]
pub struct Fields {
    map: Map<String, Value>,
    text: bool,
    error: Option<String>,
}

/// Collects an object's members (a duplicate member is an error).
pub fn collect<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
    let map = deserializer.deserialize_map(ObjectVisitor)?;
    Ok(Fields {
        map,
        text: super::wire::in_text(),
        error: None,
    })
}

/// A generated struct's `Deserialize`: collects the object, then `build`s
/// the struct from its members.
pub fn deserialize<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    build: fn(Fields) -> Result<T, String>,
) -> Result<T, D::Error> {
    match build(collect(deserializer)?) {
        Ok(v) => Ok(v),
        Err(e) => Err(de::Error::custom(e)),
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let value: Value = access.next_value()?;
            if map.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            map.insert(key, value);
        }
        Ok(map)
    }
}

/// Decodes a JSON value as a `T` (read as text inside
/// [`wire::from_text`](super::wire::from_text)); generated unions decode
/// their variants with it.
pub fn decode<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    super::wire::decode_value(value, super::wire::in_text())
}

impl Fields {
    /// The first error met (missing or undecodable member).
    pub fn error(&mut self) -> String {
        self.error
            .take()
            .unwrap_or_else(|| "the object does not decode".to_string())
    }

    /// Keeps `error` unless an earlier one is kept.
    fn fail(&mut self, error: String) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Takes a required member out (`None`, and the error kept, when missing).
    fn take_required(&mut self, name: &str) -> Option<Value> {
        let value = self.map.remove(name);
        if value.is_none() {
            self.fail(format!("missing field `{name}`"));
        }
        value
    }

    // The generic methods below are small: everything that does not depend
    // on `T` is in the non-generic helpers above, compiled once.

    /// A required member.
    pub fn required<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        let value = self.take_required(name)?;
        match super::wire::decode_value(value, self.text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    // `null` is handled here rather than by decoding an `Option<T>`, so
    // that only `T`'s decoding is compiled.

    /// A required member that may be `null` (`Some(None)`).
    pub fn nullable<T: DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        let value = self.take_required(name)?;
        if value.is_null() {
            return Some(None);
        }
        match super::wire::decode_value(value, self.text) {
            Ok(v) => Some(Some(v)),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    /// An optional member: absent (or `null`) is `Some(None)`.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        let value = match self.map.remove(name) {
            None | Some(Value::Null) => return Some(None),
            Some(value) => value,
        };
        match super::wire::decode_value(value, self.text) {
            Ok(v) => Some(Some(v)),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    /// An optional member that may be `null`: absent is `Some(None)`,
    /// `null` is `Some(Some(None))`.
    pub fn optional_nullable<T: DeserializeOwned>(
        &mut self,
        name: &str,
    ) -> Option<Option<Option<T>>> {
        let value = match self.map.remove(name) {
            None => return Some(None),
            Some(Value::Null) => return Some(Some(None)),
            Some(value) => value,
        };
        match super::wire::decode_value(value, self.text) {
            Ok(v) => Some(Some(Some(v))),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    /// An optional member with a default, used when it is absent.
    pub fn or_default<T: DeserializeOwned>(&mut self, name: &str, default: fn() -> T) -> Option<T> {
        let Some(value) = self.map.remove(name) else {
            return Some(default());
        };
        match super::wire::decode_value(value, self.text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    /// The members not taken, as they were received.
    pub fn rest(self) -> Map<String, Value> {
        self.map
    }

    /// The members not taken, each decoded as a `T`.
    pub fn rest_typed<T: DeserializeOwned>(&mut self) -> Option<BTreeMap<String, T>> {
        let text = self.text;
        let decoded: Result<BTreeMap<String, T>, String> = std::mem::take(&mut self.map)
            .into_iter()
            .map(|(k, v)| super::wire::decode_value(v, text).map(|v| (k, v)))
            .collect();
        match decoded {
            Ok(map) => Some(map),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
