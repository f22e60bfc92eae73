//! A uniform view of an `openapiv3::Schema`.
//!
//! `openapiv3` splits schemas into typed variants and a catch-all `AnySchema`
//! (used, for instance, when `type: object` sits next to `allOf`). The model
//! builder reads every schema through [`Facts`], which looks the same whichever
//! variant `openapiv3` chose.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Constraints;

/// Everything the model needs from one schema, borrowed.
#[derive(Debug, Default)]
pub struct Facts<'a> {
    /// `type`, if given.
    pub typ: Option<&'a str>,
    /// `format`, if given.
    pub format: Option<String>,
    /// `enum` values (null included, if listed).
    pub enumeration: Vec<Value>,
    /// `properties`.
    pub properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    /// `required`.
    pub required: &'a [String],
    /// `additionalProperties`.
    pub additional: Option<&'a AdditionalProperties>,
    /// `items`.
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    /// `allOf`.
    pub all_of: &'a [ReferenceOr<Schema>],
    /// `anyOf`.
    pub any_of: &'a [ReferenceOr<Schema>],
    /// `oneOf`.
    pub one_of: &'a [ReferenceOr<Schema>],
    /// `not` was given.
    pub has_not: bool,
    /// Validation constraints.
    pub constraints: Constraints,
}

fn fmt<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(name(t).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'a> Facts<'a> {
    /// Reads `schema`.
    pub fn of(schema: &'a Schema) -> Facts<'a> {
        let mut f = Facts::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                f.typ = Some("string");
                f.format = fmt(&s.format, |x| match x {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                f.enumeration = listed(&s.enumeration, |s| Some(Value::String(s.clone())));
                f.constraints.min_length = s.min_length;
                f.constraints.max_length = s.max_length;
                f.constraints.pattern = s.pattern.clone();
            }
            SchemaKind::Type(Type::Number(n)) => {
                f.typ = Some("number");
                f.format = fmt(&n.format, |x| match x {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                f.enumeration = listed(&n.enumeration, |x| {
                    serde_json::Number::from_f64(*x).map(Value::Number)
                });
                let bounds = [n.minimum, n.maximum, n.multiple_of];
                let exclusive = [n.exclusive_minimum, n.exclusive_maximum];
                set_range(&mut f.constraints, bounds, exclusive);
            }
            SchemaKind::Type(Type::Integer(n)) => {
                f.typ = Some("integer");
                f.format = fmt(&n.format, |x| match x {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                f.enumeration = listed(&n.enumeration, |x| Some(Value::from(*x)));
                let bounds = [n.minimum, n.maximum, n.multiple_of].map(|v| v.map(|v| v as f64));
                let exclusive = [n.exclusive_minimum, n.exclusive_maximum];
                set_range(&mut f.constraints, bounds, exclusive);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                f.typ = Some("boolean");
                f.enumeration = listed(&b.enumeration, |x| Some(Value::Bool(*x)));
            }
            SchemaKind::Type(Type::Object(o)) => {
                f.typ = Some("object");
                f.properties = Some(&o.properties).filter(|p| !p.is_empty());
                f.required = &o.required;
                f.additional = o.additional_properties.as_ref();
                f.constraints.min_properties = o.min_properties;
                f.constraints.max_properties = o.max_properties;
            }
            SchemaKind::Type(Type::Array(a)) => {
                f.typ = Some("array");
                f.items = a.items.as_ref();
                f.constraints.min_items = a.min_items;
                f.constraints.max_items = a.max_items;
                f.constraints.unique_items = a.unique_items;
            }
            SchemaKind::OneOf { one_of } => f.one_of = one_of,
            SchemaKind::AllOf { all_of } => f.all_of = all_of,
            SchemaKind::AnyOf { any_of } => f.any_of = any_of,
            SchemaKind::Not { .. } => f.has_not = true,
            SchemaKind::Any(a) => {
                f.typ = a.typ.as_deref();
                f.format = a.format.clone();
                f.enumeration = a.enumeration.clone();
                f.properties = Some(&a.properties).filter(|p| !p.is_empty());
                f.required = &a.required;
                f.additional = a.additional_properties.as_ref();
                f.items = a.items.as_ref();
                f.all_of = &a.all_of;
                f.any_of = &a.any_of;
                f.one_of = &a.one_of;
                f.has_not = a.not.is_some();
                let c = &mut f.constraints;
                let exclusive =
                    [a.exclusive_minimum, a.exclusive_maximum].map(|x| x.unwrap_or(false));
                set_range(c, [a.minimum, a.maximum, a.multiple_of], exclusive);
                c.min_length = a.min_length;
                c.max_length = a.max_length;
                c.pattern = a.pattern.clone();
                c.min_items = a.min_items;
                c.max_items = a.max_items;
                c.unique_items = a.unique_items.unwrap_or(false);
                c.min_properties = a.min_properties;
                c.max_properties = a.max_properties;
            }
        }
        f.constraints.format = f.format.clone();
        f.constraints.key_pattern = schema
            .schema_data
            .extensions
            .get("x-oagen-key-pattern")
            .and_then(Value::as_str)
            .map(str::to_string);
        f
    }

    /// Whether the schema describes an object (by type or by object keywords).
    pub fn is_object(&self) -> bool {
        self.typ == Some("object")
            || (self.typ.is_none() && (self.properties.is_some() || self.additional.is_some()))
    }
}

/// `enum` values as JSON; a listed null (or a value JSON cannot hold) is null.
fn listed<T>(values: &[Option<T>], to_json: impl Fn(&T) -> Option<Value>) -> Vec<Value> {
    values
        .iter()
        .map(|v| v.as_ref().and_then(&to_json).unwrap_or(Value::Null))
        .collect()
}

/// The constraints `number` and `integer` share (an integer's as numbers):
/// `minimum`, `maximum` and `multipleOf`; `exclusiveMinimum` and `exclusiveMaximum`.
fn set_range(c: &mut Constraints, bounds: [Option<f64>; 3], exclusive: [bool; 2]) {
    [c.minimum, c.maximum, c.multiple_of] = bounds;
    [c.exclusive_minimum, c.exclusive_maximum] = exclusive;
}

/// Whether the normaliser marked this schema as admitting only null.
pub fn is_null_only(schema: &Schema) -> bool {
    schema.schema_data.extensions.get("x-oagen-null") == Some(&Value::Bool(true))
        && matches!(&schema.schema_kind, SchemaKind::Any(a) if a.typ.is_none() && a.properties.is_empty() && a.all_of.is_empty() && a.any_of.is_empty() && a.one_of.is_empty())
}

/// The `dependentRequired` the normaliser kept as `x-oagen-dependent-required`:
/// per property, the properties that must be present with it.
pub fn dependent_required(schema: &Schema) -> Vec<(String, Vec<String>)> {
    let Some(Value::Object(m)) = schema
        .schema_data
        .extensions
        .get("x-oagen-dependent-required")
    else {
        return Vec::new();
    };
    m.iter()
        .map(|(k, v)| {
            let names = v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
            (k.clone(), names)
        })
        .collect()
}

/// Whether the normaliser marked this string schema as base64 bytes
/// (`contentEncoding: base64`, kept as `x-oagen-bytes`).
pub fn is_bytes(schema: &Schema) -> bool {
    schema.schema_data.extensions.get("x-oagen-bytes") == Some(&Value::Bool(true))
}

/// Whether the normaliser marked this array schema as a tuple (`x-oagen-tuple`:
/// its `items` is the members' `anyOf`, or the one member).
pub fn is_tuple(schema: &Schema) -> bool {
    schema.schema_data.extensions.get("x-oagen-tuple") == Some(&Value::Bool(true))
}
