//! The intermediate model: one plain-data description of an API that every
//! emitter reads. Built once from a loaded spec by [`build`](build::build).
//!
//! All OpenAPI quirks are resolved before this point: references are followed,
//! `allOf` is merged, nullability is decided, names are final and unique. An
//! emitter never looks at the OpenAPI document.

pub mod build;
pub mod checks;
pub mod features;
pub mod naming;
pub mod schema;
pub mod validate;

use serde_json::Value;

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description` (and summary), for crate docs.
    pub docs: Option<String>,
    /// Top-level servers.
    pub servers: Vec<Server>,
    /// Every named type, in a deterministic order (components first, in document order).
    pub types: Vec<TypeDef>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// Every security scheme declared in components, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Example values found in the spec, each with the shape it must decode into.
    pub examples: Vec<Example>,
    /// Cargo features per tag and what each operation and type needs. Empty
    /// (nothing gated) unless [`Api::gate_by_tag`] was called.
    pub gates: features::Gates,
    /// Per type (as in [`Api::types`]): whether a value of it can break a
    /// constraint that decoding does not enforce (so that a server checks it):
    /// an enum (unknown values), a union with a discriminator (unknown tags), or
    /// a type holding a constrained value or such a type, at any depth.
    pub checked: Vec<bool>,
    /// Per type: whether a request can carry it (in a parameter or a request
    /// body, at any depth). Only these are checked by a server, so only these
    /// get a `Validate` impl.
    pub requested: Vec<bool>,
}

impl Api {
    /// Gives every tag a cargo feature (see [`features`]): emitted code then puts
    /// each operation and type behind the features that need it. For generated
    /// crates, whose Cargo.toml declares the features; code included into another
    /// crate would be compiled against that crate's features.
    pub fn gate_by_tag(&mut self) {
        self.gates = features::gates(self);
    }

    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// A server the API is served from.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template, e.g. `https://{region}.example.com/v1`.
    pub url: String,
    /// Its description.
    pub description: Option<String>,
    /// Variables of the URL template.
    pub variables: Vec<ServerVariable>,
}

impl Server {
    /// The URL with every variable replaced by its default.
    pub fn default_url(&self) -> String {
        let mut url = self.url.clone();
        for v in &self.variables {
            url = url.replace(&format!("{{{}}}", v.name), &v.default);
        }
        url
    }

    /// The path part of the default URL, without a trailing slash (`/v1`, or `""`).
    pub fn base_path(&self) -> String {
        let url = self.default_url();
        let after_scheme = match url.find("://") {
            Some(i) => &url[i + 3..],
            None => url.as_str(),
        };
        let path = if url.contains("://") {
            after_scheme
                .find('/')
                .map(|i| &after_scheme[i..])
                .unwrap_or("")
        } else {
            after_scheme
        };
        path.trim_end_matches('/').to_string()
    }
}

/// A variable in a server URL.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Its name in the template.
    pub name: String,
    /// Its default value.
    pub default: String,
    /// The allowed values, if restricted.
    pub allowed: Vec<String>,
    /// Its description.
    pub description: Option<String>,
}

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
    /// Any JSON value (no type given).
    Any,
    /// Only `null`.
    Null,
    /// `array`.
    Array(Box<Shape>),
    /// `object` with no listed properties: a map from string keys.
    Map(Box<Shape>),
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
            _ => false,
        }
    }
}

/// The least fixpoint of [`Api::checked`].
pub(crate) fn checked_types(types: &[TypeDef]) -> Vec<bool> {
    fn shape_needs(needed: &[bool], s: &Shape) -> bool {
        if s.constraints.check_anything(&s.ty) {
            return true;
        }
        match &s.ty {
            Ty::Named(id) => needed[id.0],
            Ty::Array(item) | Ty::Map(item) => shape_needs(needed, item),
            _ => false,
        }
    }
    let mut needed = vec![false; types.len()];
    loop {
        let mut changed = false;
        for (i, t) in types.iter().enumerate() {
            if needed[i] {
                continue;
            }
            let now = match &t.kind {
                TypeKind::Enum(_) => true,
                TypeKind::Alias(inner) => shape_needs(&needed, inner),
                TypeKind::Union(u) => {
                    u.discriminator.is_some()
                        || u.variants.iter().any(|v| shape_needs(&needed, &v.shape))
                }
                TypeKind::Struct(s) => {
                    s.fields.iter().any(|f| shape_needs(&needed, &f.shape))
                        || matches!(&s.additional, Additional::Typed(a) if shape_needs(&needed, a))
                }
            };
            if now {
                needed[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    needed
}

impl Constraints {
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

/// An HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId, or one made from the method and path.
    pub id: String,
    /// The Rust method name (snake case).
    pub fn_name: String,
    /// The Rust type-name stem (upper camel case), e.g. `CreateOrg`.
    pub type_name: String,
    /// The name reserved for this operation's response type, e.g. `CreateOrgResponse`.
    pub response_type: String,
    /// The name reserved for this operation's parameters type, e.g. `GetOrgParams`.
    pub params_type: String,
    /// Lower-case HTTP method.
    pub method: String,
    /// The path template, e.g. `/orgs/{id}`.
    pub path: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// Doc text (summary and description).
    pub docs: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Servers for this operation (its own, its path's, or the document's).
    pub servers: Vec<Server>,
    /// Parameters, path-level ones merged in, in a stable order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Every declared response, in document order (`default` last).
    pub responses: Vec<Response>,
    /// Who may call it.
    pub security: Security,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamIn {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The wire name.
    pub name: String,
    /// The Rust identifier.
    pub ident: String,
    /// Where it goes.
    pub location: ParamIn,
    /// Whether it must be given.
    pub required: bool,
    /// Its shape.
    pub shape: Shape,
    /// Serialization style.
    pub style: Style,
    /// `explode`.
    pub explode: bool,
    /// Doc text.
    pub docs: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
}

/// A serialization style for parameters and form fields (`style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`.
    Form,
    /// `simple`.
    Simple,
    /// `label`.
    Label,
    /// `matrix`.
    Matrix,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

impl Style {
    /// The name of the matching `runtime::wire::Style` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Style::Form => "Form",
            Style::Simple => "Simple",
            Style::Label => "Label",
            Style::Matrix => "Matrix",
            Style::SpaceDelimited => "SpaceDelimited",
            Style::PipeDelimited => "PipeDelimited",
            Style::DeepObject => "DeepObject",
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Whether a body must be sent.
    pub required: bool,
    /// Doc text.
    pub docs: Option<String>,
    /// One entry per media type.
    pub contents: Vec<Content>,
    /// When the media types carry different Rust types: the name of the enum
    /// with one variant per media type ([`Content::variant`]).
    pub choice_type: Option<String>,
}

/// How one property of a form or multipart body is encoded (`encoding`).
#[derive(Debug, Clone, PartialEq)]
pub struct Encoding {
    /// The property.
    pub name: String,
    /// Its style (form bodies).
    pub style: Style,
    /// `explode`.
    pub explode: bool,
    /// The part's media type (multipart bodies).
    pub content_type: Option<String>,
}

/// The Rust value that carries a body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Carrier<'a> {
    /// A value of this shape (JSON, form and multipart bodies with a schema).
    Typed(&'a Shape),
    /// Any JSON value (a structured body without a schema).
    Json,
    /// Text (`text/*`).
    Text,
    /// Bytes (every other media type).
    Bytes,
}

impl Content {
    /// The Rust value that carries this body.
    pub fn carrier(&self) -> Carrier<'_> {
        match (self.kind, &self.shape) {
            (MediaKind::Json | MediaKind::Form | MediaKind::Multipart, Some(s)) => {
                Carrier::Typed(s)
            }
            (MediaKind::Json | MediaKind::Form | MediaKind::Multipart, None) => Carrier::Json,
            (MediaKind::Text, _) => Carrier::Text,
            (MediaKind::Binary, _) => Carrier::Bytes,
        }
    }
}

/// Whether every content is carried by the same Rust value.
pub fn same_carrier(contents: &[Content]) -> bool {
    contents
        .windows(2)
        .all(|w| w[0].carrier() == w[1].carrier())
}

/// A body in one media type.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The media type as declared, e.g. `application/problem+json`.
    pub media_type: String,
    /// How it is encoded.
    pub kind: MediaKind,
    /// Its shape, when a schema is given.
    pub shape: Option<Shape>,
    /// Per-property encodings (form and multipart bodies), in document order.
    pub encoding: Vec<Encoding>,
    /// The variant name in a choice enum (e.g. `Json`, `OctetStream`).
    pub variant: String,
}

/// Body encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// `application/json` and every `+json` type.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/*`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: raw bytes.
    Binary,
}

impl MediaKind {
    /// Classifies a media type.
    pub fn of(media_type: &str) -> MediaKind {
        let mt = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if mt == "application/json" || mt.ends_with("+json") || mt.ends_with("/json") {
            MediaKind::Json
        } else if mt == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if mt.starts_with("multipart/") {
            MediaKind::Multipart
        } else if mt.starts_with("text/") {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One code, e.g. 201.
    Code(u16),
    /// A range: `4XX` is `Range(4)`.
    Range(u16),
    /// `default`: every status not otherwise declared.
    Default,
}

impl Status {
    /// Whether `code` falls under this status.
    pub fn matches(&self, code: u16) -> bool {
        match *self {
            Status::Code(c) => c == code,
            Status::Range(r) => code / 100 == r,
            Status::Default => true,
        }
    }
}

impl Response {
    /// The body that code for this response writes when the type is the same
    /// for every media type: the first JSON content, else the first content;
    /// None for no body.
    pub fn primary_content(&self) -> Option<&Content> {
        self.contents
            .iter()
            .find(|c| c.kind == MediaKind::Json)
            .or_else(|| self.contents.first())
    }

    /// The status a response of this kind is sent with when the code is free to
    /// choose (a range or `default`): `preferred` if it fits, else the range's x00.
    pub fn concrete_status(&self, preferred: u16) -> u16 {
        match self.status {
            Status::Code(c) => c,
            Status::Range(r) if preferred / 100 == r => preferred,
            Status::Range(r) => r * 100,
            Status::Default => preferred,
        }
    }
}

impl RequestBody {
    /// The body that code for this operation sends: the first JSON content, else the first.
    pub fn primary_content(&self) -> Option<&Content> {
        self.contents
            .iter()
            .find(|c| c.kind == MediaKind::Json)
            .or_else(|| self.contents.first())
    }
}

/// A declared response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status it covers.
    pub status: Status,
    /// The Rust variant name in the operation's response type (e.g. `Created`).
    pub variant: String,
    /// Doc text.
    pub docs: Option<String>,
    /// Bodies by media type (empty: no body).
    pub contents: Vec<Content>,
    /// Declared response headers, in document order (`Content-Type` is left out,
    /// as OpenAPI says; so is any header that cannot be carried, with a warning).
    pub headers: Vec<ResponseHeader>,
    /// The name reserved for the struct of its headers (e.g.
    /// `CreateOrgCreatedHeaders`); None when it declares none.
    pub headers_type: Option<String>,
    /// When the media types carry different Rust types: the name of the enum
    /// with one variant per media type ([`Content::variant`]).
    pub choice_type: Option<String>,
}

/// A declared response header.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The header name as declared (unique within its response, ignoring case).
    pub name: String,
    /// The Rust field name in the response's headers struct.
    pub ident: String,
    /// Whether every response of this kind must carry it.
    pub required: bool,
    /// Its shape (never nullable: a header is present or absent).
    pub shape: Shape,
    /// How its value is written as text.
    pub form: HeaderForm,
    /// Doc text.
    pub docs: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
}

/// How a header's value is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderForm {
    /// `style: simple`: a primitive as text, an array as `a,b,c`, an object as
    /// `k1,v1,k2,v2` (or `k1=v1,k2=v2` with `explode`).
    Simple {
        /// `explode` (matters for objects only).
        explode: bool,
    },
    /// `content` with a JSON media type: the value is JSON text.
    Json,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its key in `components/securitySchemes`.
    pub key: String,
    /// A Rust identifier stem (snake case), unique among schemes.
    pub ident: String,
    /// Doc text.
    pub docs: Option<String>,
    /// What it is.
    pub kind: SchemeKind,
}

/// Kinds of security scheme.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// HTTP `Authorization: Bearer <token>`.
    Bearer {
        /// `bearerFormat`, a hint only.
        format: Option<String>,
    },
    /// HTTP Basic.
    Basic,
    /// Another HTTP scheme: `Authorization: <scheme> <credentials>`.
    Http {
        /// The scheme name.
        scheme: String,
    },
    /// An API key in a header, query parameter or cookie, sent as is.
    ApiKey {
        /// The header, parameter or cookie name.
        name: String,
        /// Where it goes.
        location: ParamIn,
    },
    /// OAuth 2: a bearer token obtained elsewhere.
    OAuth2,
    /// OpenID Connect: a bearer token obtained elsewhere.
    OpenIdConnect {
        /// The discovery URL.
        url: String,
    },
}

/// An operation's security: any one alternative suffices; within an alternative,
/// every scheme must be satisfied. No alternatives at all means no security.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Security {
    /// The alternatives.
    pub alternatives: Vec<Vec<SchemeUse>>,
}

impl Security {
    /// Whether a request without any credential is acceptable.
    pub fn allows_anonymous(&self) -> bool {
        self.alternatives.is_empty() || self.alternatives.iter().any(Vec::is_empty)
    }
}

/// One scheme within a requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeUse {
    /// Index into [`Api::security_schemes`].
    pub scheme: usize,
    /// Required scopes (also kept for schemes where they mean nothing, such as apiKey).
    pub scopes: Vec<String>,
}

/// An example value from the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Where it is.
    pub pointer: String,
    /// The schema it must validate against and decode by: a JSON pointer into the
    /// normalised document (see [`crate::load::Spec::raw`]).
    pub schema_pointer: String,
    /// The shape it must decode into.
    pub shape: Shape,
    /// The value.
    pub value: Value,
    /// Whether it fits its schema.
    pub verdict: ExampleVerdict,
}

/// How an example relates to its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleVerdict {
    /// It validates: it must decode and encode back unchanged.
    Valid,
    /// It breaks a constraint only: it still decodes and encodes back unchanged.
    BreaksConstraint(String),
    /// It breaks the schema's structure: decoding must reject it.
    BreaksStructure(String),
}
