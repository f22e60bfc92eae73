//! Operations: parameters, request bodies and responses by status, their media types and headers.

use super::{Security, Server, Shape};

/// An HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId, or one made from the method and path.
    pub id: String,
    /// The Rust method name (snake case).
    pub fn_name: String,
    /// When a response is declared both as a stream and as a whole body: the
    /// client's method that asks for the stream (`Accept`), beside
    /// `fn_name`, which asks for the whole body. When a response is bytes:
    /// the method that hands them on still arriving (`fn_name` reads them whole).
    pub stream_fn_name: Option<String>,
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

impl RequestBody {
    /// The body that code for this operation sends: the first JSON content, else the first.
    pub fn primary_content(&self) -> Option<&Content> {
        primary_content(&self.contents)
    }
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
    /// The shape of one item: OpenAPI 3.2's `itemSchema` (named `<body
    /// name>Item`), or for a streamed body ([`MediaKind::streams`]) what its
    /// schema gives (for an event stream, the shape of an event's data).
    /// `None` for a streamed body: raw text for an event's data, any JSON
    /// value for a line or record. A body that does not stream is carried as
    /// [`Content::shape`] says.
    pub item: Option<Shape>,
    /// Per-property encodings (form and multipart bodies), in document order.
    pub encoding: Vec<Encoding>,
    /// The variant name in a choice enum (e.g. `Json`, `OctetStream`).
    pub variant: String,
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
            (MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq, _) => {
                Carrier::Stream(self.kind, self.item.as_ref())
            }
        }
    }
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
    /// A stream of items (a streamed response: its kind, and the shape of
    /// one item when the spec gives it).
    Stream(MediaKind, Option<&'a Shape>),
}

/// The first JSON content, else the first; None when there is none.
fn primary_content(contents: &[Content]) -> Option<&Content> {
    contents
        .iter()
        .find(|c| c.kind == MediaKind::Json)
        .or_else(|| contents.first())
}

/// Whether every content is carried by the same Rust value.
pub fn same_carrier(contents: &[Content]) -> bool {
    contents
        .windows(2)
        .all(|w| w[0].carrier() == w[1].carrier())
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
    /// `text/event-stream` (a response's): server-sent events.
    EventStream,
    /// `application/jsonl`, `application/x-ndjson` (a response's): one JSON
    /// value per line.
    JsonLines,
    /// `application/json-seq` (a response's): JSON text sequences (RFC 7464).
    JsonSeq,
}

impl MediaKind {
    /// Whether a body of this kind is a stream of items.
    pub fn streams(self) -> bool {
        matches!(
            self,
            MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq
        )
    }

    /// Classifies a response's media type: the streamed kinds, else as [`MediaKind::of`].
    pub fn of_response(media_type: &str) -> MediaKind {
        let mt = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match mt.as_str() {
            "text/event-stream" => MediaKind::EventStream,
            "application/jsonl"
            | "application/x-jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/x-ndjson"
            | "application/ndjson" => MediaKind::JsonLines,
            "application/json-seq" => MediaKind::JsonSeq,
            _ => MediaKind::of(media_type),
        }
    }

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

impl Response {
    /// The body that code for this response writes when the type is the same
    /// for every media type: the first JSON content, else the first content;
    /// None for no body.
    pub fn primary_content(&self) -> Option<&Content> {
        primary_content(&self.contents)
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
