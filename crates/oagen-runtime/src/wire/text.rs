//! The one deserializer type (`Text`, over a JSON value) that decodes every
//! member, strictly or (inside [`from_text`]) reading numbers and booleans
//! out of strings.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde_json::Value;
use std::fmt;

/// Decodes a value collected from text into `T`: strings are read as
/// numbers or booleans where `T` asks for them, an object with index keys
/// (`{"0": .., "1": ..}`) is read as an array, and a lone value where an
/// array is wanted as an array of one. A string that does not fit is then
/// tried as JSON text (parameters declared with `content`).
pub fn from_text<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    let _text = TextMode::enter();
    match T::deserialize(Text(value.clone(), true)) {
        Ok(v) => Ok(v),
        Err(first) => {
            if let Value::String(s) = &value {
                if let Ok(json) = serde_json::from_str::<Value>(s) {
                    if let Ok(v) = T::deserialize(Text(json, true)) {
                        return Ok(v);
                    }
                }
            }
            Err(first.0)
        }
    }
}

std::thread_local! {
    /// Whether this thread is inside [`from_text`]: generated structs
    /// collect their properties as JSON values first (see
    /// [`object`](super::super::object)), and read them as text while this is set.
    static IN_TEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Sets [`IN_TEXT`] while alive; puts back what it was.
struct TextMode(bool);

impl TextMode {
    fn enter() -> TextMode {
        TextMode(IN_TEXT.with(|t| t.replace(true)))
    }
}

impl Drop for TextMode {
    fn drop(&mut self) {
        IN_TEXT.with(|t| t.set(self.0));
    }
}

/// Whether values are being decoded from text (inside [`from_text`]).
pub(crate) fn in_text() -> bool {
    IN_TEXT.with(|t| t.get())
}

/// Decodes a JSON value, or (`text`) one collected from text as
/// [`from_text`] decodes the parts of its value. Both go through one
/// deserializer type, so that each type's decoding is compiled once.
pub(crate) fn decode_value<T: DeserializeOwned>(value: Value, text: bool) -> Result<T, String> {
    match T::deserialize(Text(value, text)) {
        Ok(v) => Ok(v),
        Err(e) => Err(e.0),
    }
}

/// A decoding error.
#[derive(Debug)]
pub struct TextError(String);

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TextError {}

impl de::Error for TextError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        TextError(msg.to_string())
    }
}

/// A deserializer over a JSON value. With `true` the value was collected
/// from text, and its strings are read as numbers, booleans, arrays or
/// nothing where the type asks for them; with `false` it decodes exactly
/// as `serde_json::Value` does.
struct Text(Value, bool);

/// What `serde_json::Value`'s `deserialize_any` does, written out so that
/// nested values stay under [`Text`] (each type's decoding is then
/// compiled for one deserializer only).
fn plain<'de, V: Visitor<'de>>(
    value: Value,
    text: bool,
    visitor: V,
) -> Result<V::Value, TextError> {
    match value {
        Value::Null => visitor.visit_unit(),
        Value::Bool(b) => visitor.visit_bool(b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => visitor.visit_u64(u),
            (None, Some(i), _) => visitor.visit_i64(i),
            (None, None, Some(f)) => visitor.visit_f64(f),
            (None, None, None) => Err(de::Error::custom(format_args!("unreadable number {n}"))),
        },
        Value::String(s) => visitor.visit_string(s),
        Value::Array(items) => visitor.visit_seq(Seq(items.into_iter(), text)),
        Value::Object(map) => visitor.visit_map(Entries {
            iter: map.into_iter(),
            value: None,
            text,
        }),
    }
}

use serde::Deserializer;

macro_rules! parsed {
    ($($method:ident => $visit:ident: $t:ty),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
                match self.0 {
                    Value::String(s) if self.1 => match s.trim().parse::<$t>() {
                        Ok(v) => visitor.$visit(v),
                        Err(_) => Err(TextError(format!(
                            "invalid value: {s:?}, expected {}",
                            stringify!($t)
                        ))),
                    },
                    other => plain(other, self.1, visitor),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Text {
    type Error = TextError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        plain(self.0, self.1, visitor)
    }

    parsed! {
        deserialize_bool => visit_bool: bool,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Text(other, self.1)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::String(s) if self.1 && (s.is_empty() || s == "null") => visitor.visit_unit(),
            other => plain(other, self.1, visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        let text = self.1;
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.into_iter(), text)),
            other if !text => plain(other, text, visitor),
            other => visitor.visit_seq(Seq(text_items(other).into_iter(), text)),
        }
    }

    /// A tuple (`prefixItems`) takes an array of exactly its length.
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        let text = self.1;
        let items = match self.0 {
            Value::Array(items) => items,
            other if !text => return plain(other, text, visitor),
            other => text_items(other),
        };
        if items.len() != len {
            return Err(de::Error::invalid_length(items.len(), &visitor));
        }
        visitor.visit_seq(Seq(items.into_iter(), text))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            other => other
                .deserialize_enum(name, variants, visitor)
                .map_err(|e| TextError(e.to_string())),
        }
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit_struct map struct identifier ignored_any
    }
}

/// The items of a value read as text where an array is expected (not an
/// array itself): an object with index keys in index order, nothing for
/// `null` or an empty string, else the value alone. Not generic, so that
/// this is compiled once rather than for every item type.
fn text_items(value: Value) -> Vec<Value> {
    match value {
        Value::Object(map) if map.keys().all(|k| k.parse::<usize>().is_ok()) => {
            let mut items: Vec<(usize, Value)> = map
                .into_iter()
                .map(|(k, v)| (k.parse::<usize>().unwrap_or(usize::MAX), v))
                .collect();
            items.sort_by_key(|(i, _)| *i);
            items.into_iter().map(|(_, v)| v).collect()
        }
        Value::Null => Vec::new(),
        Value::String(s) if s.is_empty() => Vec::new(),
        other => vec![other],
    }
}

struct Seq(std::vec::IntoIter<Value>, bool);

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = TextError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TextError> {
        match self.0.next() {
            Some(v) => seed.deserialize(Text(v, self.1)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries {
    iter: serde_json::map::IntoIter,
    value: Option<Value>,
    text: bool,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = TextError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TextError> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                // Keys are read out of text either way, as
                // `serde_json` reads map keys.
                seed.deserialize(Text(Value::String(k), true)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, TextError> {
        seed.deserialize(Text(self.value.take().unwrap_or(Value::Null), self.text))
    }
}
