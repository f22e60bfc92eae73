//! Cargo features per tag: which operations and types each one switches on.
//!
//! A spec with two or more tags gets one feature per tag (and `untagged` for
//! operations without a tag). An operation is compiled when any of its tags'
//! features is on; a type when an operation it is reachable from is on. The
//! component schemas that no operation reaches get a feature of their own
//! ([`OTHER_SCHEMAS`]), so that a crate built for two tags compiles only those
//! tags' operations and the types they reach. Reachability is closed downwards:
//! whatever switches a type on switches on every type it refers to, so a
//! compiled item never names a type that is not compiled.

use std::collections::BTreeMap;

use heck::ToKebabCase;

use super::{Additional, Api, Operation, Shape, Ty, TypeKind};

/// The feature of operations without a tag.
pub const UNTAGGED: &str = "untagged";
/// The feature of component schemas that no operation reaches.
pub const OTHER_SCHEMAS: &str = "other-schemas";
/// The feature that switches every other feature on (on by default).
pub const ALL: &str = "all";
/// Feature names the generated crate already uses for something else.
const RESERVED: &[&str] = &["default", "client", "server", ALL];

/// One cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in Cargo.toml.
    pub name: String,
    /// What it switches on, for a comment in Cargo.toml.
    pub doc: String,
    /// The Rust module holding, in each of the crate's modules, the items that
    /// only this feature switches on: the feature's name in snake case, with `_`
    /// appended when that is a keyword or a name the modules already use.
    pub module: String,
}

/// Names a tag's module may not take: keywords, and names the generated modules
/// already use or import (`super::runtime`, `std::...`).
const MODULE_RESERVED: &[&str] = &[
    "as",
    "async",
    "await",
    "box",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "priv",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "union",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
    "abstract",
    "become",
    "do",
    "final",
    "macro",
    "override",
    "alloc",
    "core",
    "std",
    "serde",
    "serde_json",
    "chrono",
    "uuid",
    "regex",
    "reqwest",
    "axum",
    "models",
    "operations",
    "runtime",
    "client",
    "server",
    "validate",
    "tests",
];

/// The module name of a feature (see [`Feature::module`]).
fn module_name(feature: &str) -> String {
    let snake = feature.replace('-', "_");
    if MODULE_RESERVED.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

impl Feature {
    fn new(name: String, doc: String) -> Self {
        let module = module_name(&name);
        Feature { name, doc, module }
    }
}

/// The features of the generated crate and what each item needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gates {
    /// The features, sorted by name. Empty when the spec has fewer than two tags:
    /// then nothing is gated.
    pub features: Vec<Feature>,
    /// Per operation (as in [`Api::operations`]): the features that switch it
    /// on, any one sufficing. Empty: always compiled.
    pub operations: Vec<Vec<usize>>,
    /// Per type (as in [`Api::types`]), the same.
    pub types: Vec<Vec<usize>>,
}

impl Gates {
    /// The names of the features in `set`.
    pub fn names<'a>(&'a self, set: &'a [usize]) -> impl Iterator<Item = &'a str> + 'a {
        set.iter().map(|&i| self.features[i].name.as_str())
    }

    /// Where an item switched on by `set` lives: in the module of its one
    /// feature (`Some`, the feature's index), or in the crate module itself when
    /// several features, or none, switch it on.
    pub fn home(set: &[usize]) -> Part {
        match set {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The [`Gates::home`] of the type `id`.
    pub fn type_home(&self, id: usize) -> Part {
        Self::home(self.types.get(id).map_or(&[][..], Vec::as_slice))
    }

    /// The [`Gates::home`] of the operation at `index`.
    pub fn op_home(&self, index: usize) -> Part {
        Self::home(self.operations.get(index).map_or(&[][..], Vec::as_slice))
    }
}

/// One part of a generated module: `None` for the module itself (with the items
/// that several features, or none, switch on), `Some(f)` for the submodule of
/// feature `f` (the items only `f` switches on). Modules are split by tag this
/// way so that a crate built for some tags does not even read the other tags'
/// files, and so that rustc makes one codegen unit per tag.
pub type Part = Option<usize>;

/// A tag's feature name: kebab case of its ASCII letters and digits.
fn feature_name(tag: &str) -> String {
    let kebab: String = tag
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let kebab = kebab.trim_matches('-').to_string();
    if kebab.is_empty() {
        "tag".to_string()
    } else if kebab.starts_with(|c: char| c.is_ascii_digit()) {
        format!("tag-{kebab}")
    } else {
        kebab
    }
}

/// The types a shape names directly.
fn shape_refs(shape: &Shape, out: &mut Vec<usize>) {
    match &shape.ty {
        Ty::Named(id) => out.push(id.0),
        Ty::Array(s) | Ty::Map(s) => shape_refs(s, out),
        Ty::Tuple(members) => members.iter().for_each(|m| shape_refs(m, out)),
        _ => {}
    }
}

/// The types an operation names directly: parameters, bodies, response headers.
fn operation_refs(op: &Operation) -> Vec<usize> {
    let mut out = Vec::new();
    for p in &op.params {
        shape_refs(&p.shape, &mut out);
    }
    if let Some(b) = &op.body {
        for c in &b.contents {
            if let Some(s) = &c.shape {
                shape_refs(s, &mut out);
            }
        }
    }
    for r in &op.responses {
        for c in &r.contents {
            if let Some(s) = &c.shape {
                shape_refs(s, &mut out);
            }
        }
        for h in &r.headers {
            shape_refs(&h.shape, &mut out);
        }
    }
    out
}

/// The types each type names directly.
fn type_refs(api: &Api) -> Vec<Vec<usize>> {
    api.types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            match &t.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        shape_refs(&f.shape, &mut out);
                    }
                    if let Additional::Typed(sh) = &s.additional {
                        shape_refs(sh, &mut out);
                    }
                }
                TypeKind::Union(u) => {
                    for v in &u.variants {
                        shape_refs(&v.shape, &mut out);
                    }
                }
                TypeKind::Alias(sh) => shape_refs(sh, &mut out),
                TypeKind::Enum(_) => {}
            }
            out
        })
        .collect()
}

/// Per type: whether a request can carry it, in a parameter or a request body,
/// directly or inside another type.
pub(crate) fn requested_types(api: &Api) -> Vec<bool> {
    let refs = type_refs(api);
    let mut stack = Vec::new();
    for op in &api.operations {
        for p in &op.params {
            shape_refs(&p.shape, &mut stack);
        }
        for c in op.body.iter().flat_map(|b| &b.contents) {
            if let Some(s) = &c.shape {
                shape_refs(s, &mut stack);
            }
        }
    }
    let mut requested = vec![false; api.types.len()];
    while let Some(t) = stack.pop() {
        if !std::mem::replace(&mut requested[t], true) {
            stack.extend(refs[t].iter().copied());
        }
    }
    requested
}

/// Marks every type reachable from `roots` with `feature`.
fn mark(refs: &[Vec<usize>], roots: &[usize], feature: usize, sets: &mut [Vec<usize>]) {
    let mut stack: Vec<usize> = roots.to_vec();
    while let Some(t) = stack.pop() {
        if sets[t].last() == Some(&feature) {
            continue;
        }
        sets[t].push(feature);
        stack.extend(refs[t].iter().copied());
    }
}

/// Computes the gates of `api` (features are numbered in name order, so each
/// set comes out sorted).
pub fn gates(api: &Api) -> Gates {
    // Tag → feature name, distinct names even when tags differ only in spelling.
    let mut tags: Vec<&str> = Vec::new();
    let mut untagged = false;
    for op in &api.operations {
        if op.tags.is_empty() {
            untagged = true;
        }
        for t in &op.tags {
            if !tags.contains(&t.as_str()) {
                tags.push(t);
            }
        }
    }
    if tags.len() + usize::from(untagged) < 2 {
        return Gates {
            features: Vec::new(),
            operations: vec![Vec::new(); api.operations.len()],
            types: vec![Vec::new(); api.types.len()],
        };
    }
    let mut taken: Vec<String> = RESERVED
        .iter()
        .chain(&[UNTAGGED, OTHER_SCHEMAS])
        .map(|s| s.to_string())
        .collect();
    let mut by_name: BTreeMap<String, Feature> = BTreeMap::new();
    let mut tag_feature: Vec<String> = Vec::new();
    for tag in &tags {
        let base = feature_name(tag);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        taken.push(name.clone());
        tag_feature.push(name.clone());
        let shown: String = tag
            .chars()
            .map(|c| if c.is_control() || c == '`' { ' ' } else { c })
            .collect();
        let doc = format!("Operations tagged `{shown}`.");
        by_name.insert(name.clone(), Feature::new(name, doc));
    }
    if untagged {
        by_name.insert(
            UNTAGGED.to_string(),
            Feature::new(
                UNTAGGED.to_string(),
                "Operations without a tag.".to_string(),
            ),
        );
    }
    let refs = type_refs(api);
    let op_refs: Vec<Vec<usize>> = api.operations.iter().map(operation_refs).collect();
    let mut reached = vec![Vec::new(); api.types.len()];
    let all_roots: Vec<usize> = op_refs.iter().flatten().copied().collect();
    mark(&refs, &all_roots, 0, &mut reached);
    let some_unreached = reached.iter().any(Vec::is_empty);
    if some_unreached {
        by_name.insert(
            OTHER_SCHEMAS.to_string(),
            Feature::new(
                OTHER_SCHEMAS.to_string(),
                "Component schemas that no operation uses.".to_string(),
            ),
        );
    }
    let features: Vec<Feature> = by_name.into_values().collect();
    let index = |name: &str| features.iter().position(|f| f.name == name).unwrap_or(0);

    let operations: Vec<Vec<usize>> = api
        .operations
        .iter()
        .map(|op| {
            let mut set: Vec<usize> = if op.tags.is_empty() {
                vec![index(UNTAGGED)]
            } else {
                op.tags
                    .iter()
                    .filter_map(|t| tags.iter().position(|x| x == t))
                    .map(|i| index(&tag_feature[i]))
                    .collect()
            };
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect();

    let mut types: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
    let other = features.iter().position(|f| f.name == OTHER_SCHEMAS);
    for f in (0..features.len()).filter(|&f| Some(f) != other) {
        let roots: Vec<usize> = operations
            .iter()
            .zip(&op_refs)
            .filter(|(set, _)| set.contains(&f))
            .flat_map(|(_, r)| r.iter().copied())
            .collect();
        mark(&refs, &roots, f, &mut types);
    }
    // Last: the types no tag reaches, and what they refer to.
    let unreached: Vec<usize> = (0..api.types.len())
        .filter(|&t| types[t].is_empty())
        .collect();
    if let Some(other) = other {
        mark(&refs, &unreached, other, &mut types);
    }
    for set in &mut types {
        set.sort_unstable();
    }
    let all = features.len();
    let mut gates = Gates {
        features,
        operations,
        types,
    };
    for set in gates.operations.iter_mut().chain(gates.types.iter_mut()) {
        if set.len() == all {
            set.clear();
        }
    }
    gates
}
