//! Types: shapes at a place of use ([`Shape`], [`Ty`], [`Constraints`]) and named [`TypeDef`]s.

use serde_json::Value;

/// Index of a [`TypeDef`] in [`Api::types`](super::Api::types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name, unique and final.
    pub name: String,
    /// Doc text (title and description).
    pub docs: Option<String>,
    /// JSON pointer of the schema this type comes from.
    pub pointer: String,
    /// What it is.
    pub kind: TypeKind,
}

/// The kinds of named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A closed set of string or integer values (open to unknown ones on decode).
    Enum(EnumDef),
    /// `anyOf` / `oneOf` of distinct alternatives.
    Union(UnionDef),
    /// Another name for a shape (a component that is a primitive, array or map).
    Alias(Shape),
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Its properties, in document order.
    pub fields: Vec<Field>,
    /// What happens to properties not listed.
    pub additional: Additional,
    /// The Rust name of the field that keeps additional properties, if any.
    pub additional_ident: String,
    /// `minProperties` / `maxProperties`.
    pub constraints: Constraints,
    /// `dependentRequired`: when the property is present, these must be too.
    pub dependent_required: Vec<(String, Vec<String>)>,
}

/// What an object does with properties it does not list.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// `additionalProperties: false`: none are allowed; they are not kept.
    Forbidden,
    /// Allowed and kept as JSON (absent or `true`).
    Any,
    /// Allowed, each of this shape (schema-valued `additionalProperties`).
    Typed(Box<Shape>),
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON name.
    pub name: String,
    /// The Rust identifier (may be a raw identifier such as `r#type`).
    pub ident: String,
    /// Its shape.
    pub shape: Shape,
    /// Listed in `required`.
    pub required: bool,
    /// The spec's default, applied on decode when the field is absent.
    pub default: Option<Value>,
    /// Doc text.
    pub docs: Option<String>,
    /// Boxed to break a cycle of types that contain each other by value.
    pub boxed: bool,
    /// `readOnly`: sent by servers only.
    pub read_only: bool,
    /// `writeOnly`: sent by clients only.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
}

/// A value's shape at one place of use: a type, whether null is allowed, and the
/// schema's validation constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The type.
    pub ty: Ty,
    /// Whether `null` is a valid value.
    pub nullable: bool,
    /// Validation constraints of the schema at this place.
    pub constraints: Constraints,
}

impl Shape {
    /// A shape with no constraints.
    pub fn plain(ty: Ty) -> Self {
        Shape {
            ty,
            nullable: false,
            constraints: Constraints::default(),
        }
    }
}

/// The types a value can have.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A named type.
    Named(TypeId),
    /// `string` (also `uri`, `email`, `byte`, and other string formats).
    String,
    /// `integer`.
    Integer(IntKind),
    /// `number`.
    Number(NumKind),
    /// `boolean`.
    Boolean,
    /// `string` / `date-time`.
    DateTime,
    /// `string` / `date`.
    Date,
    /// `string` / `uuid`.
    Uuid,
    /// `string` / `binary`: raw bytes, a file part in multipart bodies.
    Binary,
    /// `string` with `contentEncoding: base64`: bytes, as base64 text on the wire.
    Bytes,
    /// Any JSON value (no type given).
    Any,
    /// Only `null`.
    Null,
    /// `array`.
    Array(Box<Shape>),
    /// `object` with no listed properties: a map from string keys.
    Map(Box<Shape>),
    /// `prefixItems` of primitives with `items: false` and `minItems` at least
    /// their number: an array of exactly these items (a Rust tuple).
    Tuple(Vec<Shape>),
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    /// `int32`.
    I32,
    /// `int64` or no format.
    I64,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}

/// Number widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumKind {
    /// `float`.
    F32,
    /// `double` or no format.
    F64,
}

/// Validation constraints from a schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (3.0 boolean form).
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum` (3.0 boolean form).
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern` (ECMA 262 regex).
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<usize>,
    /// `maxProperties`.
    pub max_properties: Option<usize>,
    /// The `format`, as written (also for formats that map to plain strings).
    pub format: Option<String>,
    /// A map's keys each match this pattern (`patternProperties` of a closed
    /// object without properties, or `propertyNames: {pattern}`).
    pub key_pattern: Option<String>,
}

impl Constraints {
    /// Whether a value of `ty` can break these constraints: a length, pattern,
    /// range, multiple, size or uniqueness that applies to the type.
    pub fn check_anything(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String => {
                self.min_length.is_some_and(|m| m > 0)
                    || self.max_length.is_some()
                    || self.pattern.is_some()
            }
            Ty::Integer(_) | Ty::Number(_) => {
                self.minimum.is_some()
                    || self.maximum.is_some()
                    || self.multiple_of.is_some_and(|m| m > 0.0)
            }
            Ty::Array(_) => {
                self.min_items.is_some_and(|m| m > 0)
                    || self.max_items.is_some()
                    || self.unique_items
            }
            Ty::Map(_) => self.key_pattern.is_some(),
            _ => false,
        }
    }

    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self
            == Constraints {
                format: self.format.clone(),
                ..Constraints::default()
            }
    }
}

/// A string or integer enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Whether the values are strings or integers.
    pub repr: EnumRepr,
    /// The listed values.
    pub variants: Vec<EnumVariant>,
    /// The Rust name of the variant that holds values not listed.
    pub unknown_ident: String,
    /// From `const`: a value other than the one does not decode (an enum from
    /// `enum` stays open, so that a new value does not break old clients).
    pub closed: bool,
}

/// The JSON type of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// Strings.
    String,
    /// Integers.
    Integer,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub ident: String,
    /// The JSON value.
    pub value: Value,
}

/// `anyOf` / `oneOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// The alternatives, in the order they are tried on decode.
    pub variants: Vec<UnionVariant>,
    /// For a discriminated `oneOf`: the tag property and its values.
    pub discriminator: Option<Discriminator>,
    /// `oneOf` (exactly one matches) rather than `anyOf`.
    pub one_of: bool,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub ident: String,
    /// Its shape.
    pub shape: Shape,
    /// Boxed to break a cycle.
    pub boxed: bool,
    /// Doc text.
    pub docs: Option<String>,
}

/// How a discriminated union is tagged.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// The JSON property that holds the tag.
    pub property: String,
    /// Tag value -> index into [`UnionDef::variants`].
    pub mapping: Vec<(String, usize)>,
    /// The Rust name of the variant that keeps a value with an unknown tag.
    pub unknown_ident: String,
}
