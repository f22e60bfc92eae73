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
                f.enumeration = s
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map(Value::String).unwrap_or(Value::Null))
                    .collect();
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
                f.enumeration = n
                    .enumeration
                    .iter()
                    .map(|v| {
                        v.and_then(serde_json::Number::from_f64)
                            .map(Value::Number)
                            .unwrap_or(Value::Null)
                    })
                    .collect();
                f.constraints.minimum = n.minimum;
                f.constraints.maximum = n.maximum;
                f.constraints.exclusive_minimum = n.exclusive_minimum;
                f.constraints.exclusive_maximum = n.exclusive_maximum;
                f.constraints.multiple_of = n.multiple_of;
            }
            SchemaKind::Type(Type::Integer(n)) => {
                f.typ = Some("integer");
                f.format = fmt(&n.format, |x| match x {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                f.enumeration = n
                    .enumeration
                    .iter()
                    .map(|v| v.map(Value::from).unwrap_or(Value::Null))
                    .collect();
                f.constraints.minimum = n.minimum.map(|v| v as f64);
                f.constraints.maximum = n.maximum.map(|v| v as f64);
                f.constraints.exclusive_minimum = n.exclusive_minimum;
                f.constraints.exclusive_maximum = n.exclusive_maximum;
                f.constraints.multiple_of = n.multiple_of.map(|v| v as f64);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                f.typ = Some("boolean");
                f.enumeration = b
                    .enumeration
                    .iter()
                    .map(|v| v.map(Value::Bool).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                f.typ = Some("object");
                f.properties = if o.properties.is_empty() {
                    None
                } else {
                    Some(&o.properties)
                };
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
                f.properties = if a.properties.is_empty() {
                    None
                } else {
                    Some(&a.properties)
                };
                f.required = &a.required;
                f.additional = a.additional_properties.as_ref();
                f.items = a.items.as_ref();
                f.all_of = &a.all_of;
                f.any_of = &a.any_of;
                f.one_of = &a.one_of;
                f.has_not = a.not.is_some();
                let c = &mut f.constraints;
                c.minimum = a.minimum;
                c.maximum = a.maximum;
                c.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
                c.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
                c.multiple_of = a.multiple_of;
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
        f
    }

    /// Whether the schema describes an object (by type or by object keywords).
    pub fn is_object(&self) -> bool {
        self.typ == Some("object")
            || (self.typ.is_none() && (self.properties.is_some() || self.additional.is_some()))
    }
}

/// Whether the normaliser marked this schema as admitting only null.
pub fn is_null_only(schema: &Schema) -> bool {
    schema.schema_data.extensions.get("x-oagen-null") == Some(&Value::Bool(true))
        && matches!(&schema.schema_kind, SchemaKind::Any(a) if a.typ.is_none() && a.properties.is_empty() && a.all_of.is_empty() && a.any_of.is_empty() && a.one_of.is_empty())
}
