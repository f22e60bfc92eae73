//! Declared response headers as text: [`HeaderForm`], [`header_text`],
//! [`header_lines`], [`parse_header`].
//!
//! Generated servers write them with [`header_text`]; generated clients read
//! them with [`header_lines`] and [`parse_header`]. Both follow OpenAPI's
//! `style: simple` (the only style for headers), or JSON text for a header
//! declared with `content: application/json`.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serialize};

use super::to_json;

/// How a header's value is written as text: OpenAPI's `style: simple` for
/// each kind of value, or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderForm {
    /// A primitive: a string as it is, a number or a boolean as in JSON.
    Primitive,
    /// An array: `a,b,c`.
    Array,
    /// An object: `k1,v1,k2,v2`.
    Object,
    /// An object with `explode: true`: `k1=v1,k2=v2`.
    ObjectExploded,
    /// JSON text (a header declared with `content: application/json`).
    Json,
}

/// The text of a header whose value is `value`, written in `form`. A null is
/// the empty text; an item of an array or object that is itself an array or an
/// object is written as JSON. The error says why `value` cannot be serialized.
pub fn header_text<T: Serialize + ?Sized>(value: &T, form: HeaderForm) -> Result<String, String> {
    use serde_json::Value;
    if form == HeaderForm::Json {
        return serde_json::to_string(value).map_err(|e| e.to_string());
    }
    fn item(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }
    let value = to_json(value).map_err(|e| e.to_string())?;
    Ok(match &value {
        Value::Array(items) => items.iter().map(item).collect::<Vec<_>>().join(","),
        Value::Object(members) => {
            let sep = if form == HeaderForm::ObjectExploded {
                "="
            } else {
                ","
            };
            members
                .iter()
                .map(|(k, v)| format!("{k}{sep}{}", item(v)))
                .collect::<Vec<_>>()
                .join(",")
        }
        other => item(other),
    })
}

/// Joins the field lines of one header the way HTTP combines them (RFC 9110,
/// section 5.3): with `, `, each without surrounding whitespace. None when
/// there are none; an error when one is not UTF-8 text.
pub fn header_lines<'a, I>(lines: I) -> Result<Option<String>, String>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let mut out: Option<String> = None;
    for line in lines {
        let text =
            std::str::from_utf8(line).map_err(|_| "the value is not UTF-8 text".to_string())?;
        let text = trim_ows(text);
        match &mut out {
            Some(joined) => {
                joined.push_str(", ");
                joined.push_str(text);
            }
            None => out = Some(text.to_string()),
        }
    }
    Ok(out)
}

/// Reads the text of a header, written in `form`, as a `T`.
///
/// Each primitive is read as the type that asks for it (`42` as a string or a
/// number), and failing that as a JSON literal (for untagged unions and integer
/// enums). An array is split at commas, an object into `k,v` pairs (`k=v` when
/// exploded); items lose surrounding spaces, and the empty text is the empty
/// array or object. The error names the text and what `T` expected.
pub fn parse_header<T: de::DeserializeOwned>(text: &str, form: HeaderForm) -> Result<T, String> {
    use de::value::{MapDeserializer, SeqDeserializer};
    use serde_json::Value;
    let text = trim_ows(text);
    let fail = |e: &dyn fmt::Display| format!("cannot read {text:?}: {e}");
    let items: Vec<&str> = if text.is_empty() {
        Vec::new()
    } else {
        text.split(',').map(trim_ows).collect()
    };
    let first = match form {
        HeaderForm::Json => return serde_json::from_str(text).map_err(|e| fail(&e)),
        HeaderForm::Primitive => match T::deserialize(HeaderItem(text)) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        },
        HeaderForm::Array => {
            match T::deserialize(SeqDeserializer::new(items.iter().map(|i| HeaderItem(i)))) {
                Ok(v) => return Ok(v),
                Err(e) => e,
            }
        }
        HeaderForm::Object | HeaderForm::ObjectExploded => {
            let mut pairs = Vec::new();
            if form == HeaderForm::ObjectExploded {
                for i in &items {
                    match i.split_once('=') {
                        Some(kv) => pairs.push(kv),
                        None => return Err(fail(&format!("`{i}` is not a `key=value` pair"))),
                    }
                }
            } else {
                let chunks = items.chunks_exact(2);
                if !chunks.remainder().is_empty() {
                    return Err(fail(&"keys and values do not pair up"));
                }
                pairs.extend(chunks.map(|kv| (kv[0], kv[1])));
            }
            let de =
                MapDeserializer::new(pairs.iter().map(|(k, v)| (HeaderItem(k), HeaderItem(v))));
            match T::deserialize(de) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    let literals = pairs.iter().map(|(k, v)| (k.to_string(), literal(v)));
                    return serde_json::from_value(Value::Object(literals.collect()))
                        .map_err(|_| fail(&e));
                }
            }
        }
    };
    let literals = match form {
        HeaderForm::Array => Value::Array(items.iter().map(|i| literal(i)).collect()),
        _ => literal(text),
    };
    serde_json::from_value(literals).map_err(|_| fail(&first))
}

/// The text without the spaces and tabs around it (HTTP's optional whitespace).
fn trim_ows(text: &str) -> &str {
    text.trim_matches(|c| c == ' ' || c == '\t')
}

/// A JSON literal where the text is one (`42`, `true`, `null`), else the text as a string.
fn literal(text: &str) -> serde_json::Value {
    use serde_json::Value;
    match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => v,
        _ => Value::String(text.to_string()),
    }
}

/// One primitive in a header's text, read as whatever type asks for it: a
/// number or a boolean when one is asked for, else a string.
#[derive(Debug, Clone, Copy)]
struct HeaderItem<'a>(&'a str);

macro_rules! header_item_number {
    ($($method:ident $ty:ty => $visit:ident,)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                match self.0.parse::<$ty>() {
                    Ok(n) => visitor.$visit(n),
                    Err(_) => visitor.visit_str(self.0),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for HeaderItem<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.0)
    }

    header_item_number! {
        deserialize_bool bool => visit_bool,
        deserialize_i8 i8 => visit_i8,
        deserialize_i16 i16 => visit_i16,
        deserialize_i32 i32 => visit_i32,
        deserialize_i64 i64 => visit_i64,
        deserialize_i128 i128 => visit_i128,
        deserialize_u8 u8 => visit_u8,
        deserialize_u16 u16 => visit_u16,
        deserialize_u32 u32 => visit_u32,
        deserialize_u64 u64 => visit_u64,
        deserialize_u128 u128 => visit_u128,
        deserialize_f32 f32 => visit_f32,
        deserialize_f64 f64 => visit_f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.0.is_empty() {
            visitor.visit_unit()
        } else {
            visitor.visit_str(self.0)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(de::IntoDeserializer::<Self::Error>::into_deserializer(
            self.0,
        ))
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl<'de, 'a> de::IntoDeserializer<'de, de::value::Error> for HeaderItem<'a> {
    type Deserializer = HeaderItem<'a>;

    fn into_deserializer(self) -> Self::Deserializer {
        self
    }
}

#[cfg(test)]
mod tests;
