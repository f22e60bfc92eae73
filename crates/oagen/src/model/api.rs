//! The model's root, [`Api`], with its queries, its servers and the spec's examples.

use serde_json::Value;

use super::{
    features, Additional, Hook, Operation, SecurityScheme, Shape, Ty, TypeDef, TypeId, TypeKind,
};

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
    /// The document's tags, with 3.2's `parent` and `kind`.
    pub tags: Vec<super::Tag>,
    /// Every named type, in a deterministic order (components first, in document order).
    pub types: Vec<TypeDef>,
    /// Every operation, in document order, then the webhooks'.
    pub operations: Vec<Operation>,
    /// The operations that are webhooks, in document order.
    pub hooks: Vec<Hook>,
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

    /// The hook the operation at `index` is, if it is one.
    pub fn hook(&self, index: usize) -> Option<&Hook> {
        self.hooks.iter().find(|h| h.operation == index)
    }

    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
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
