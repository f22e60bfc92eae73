//! References: `$ref`s to schemas and to components followed; other targets read up front.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{Parameter, ReferenceOr, Schema, SecurityScheme as OaScheme};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::{Builder, Resolved};
use crate::diag::join;
use crate::load::{local_pointer, percent_decode, resolve_pointer, Spec};
use crate::model::naming;
use crate::model::{Shape, Ty};

/// Definitions referenced at pointers other than `#/components/<kind>/<name>`
/// (e.g. `#/paths/~1a/get/responses/401`), deserialised up front (keyed by the
/// decoded pointer) so that the builder can borrow them.
#[derive(Default)]
pub(super) struct Extra {
    pub(super) schemas: BTreeMap<String, Schema>,
    pub(super) responses: BTreeMap<String, ReferenceOr<openapiv3::Response>>,
    pub(super) parameters: BTreeMap<String, ReferenceOr<Parameter>>,
    pub(super) headers: BTreeMap<String, ReferenceOr<openapiv3::Header>>,
    pub(super) examples: BTreeMap<String, ReferenceOr<openapiv3::Example>>,
    pub(super) request_bodies: BTreeMap<String, ReferenceOr<openapiv3::RequestBody>>,
    pub(super) security_schemes: BTreeMap<String, ReferenceOr<OaScheme>>,
    /// OpenAPI 3.2's `query` and `additionalOperations` (kept by the loader in
    /// the path item's `x-oagen-operations`): by path, each (lower-case method, operation).
    pub(super) operations: IndexMap<String, Vec<(String, openapiv3::Operation)>>,
    /// OpenAPI 3.2's `itemSchema` of media types, by its pointer.
    pub(super) item_schemas: BTreeMap<String, ReferenceOr<Schema>>,
}

pub(super) fn pre_deserialize(spec: &Spec) -> Extra {
    let mut targets = BTreeSet::new();
    collect_ref_targets(&spec.raw, &mut targets);
    let mut out = Extra {
        operations: crate::load::v32::extra_operations(&spec.raw),
        item_schemas: crate::load::v32::item_schemas(&spec.raw)
            .into_iter()
            .filter_map(|(p, v)| Some((p, ReferenceOr::<Schema>::deserialize(v).ok()?)))
            .collect(),
        ..Extra::default()
    };
    for t in targets {
        let Some(p) = local_pointer(&t) else { continue };
        let p = percent_decode(p);
        let is_component = p
            .strip_prefix("/components/")
            .is_some_and(|rest| rest.matches('/').count() == 1);
        if is_component {
            continue;
        }
        let Some(v) = resolve_pointer(&spec.raw, &p) else {
            continue;
        };
        if let Ok(x) = Schema::deserialize(v) {
            out.schemas.insert(p.clone(), x);
        }
        if let Ok(x) = ReferenceOr::<openapiv3::Response>::deserialize(v) {
            out.responses.insert(p.clone(), x);
        }
        if let Ok(x) = ReferenceOr::<Parameter>::deserialize(v) {
            out.parameters.insert(p.clone(), x);
        }
        if let Ok(x) = ReferenceOr::<openapiv3::Header>::deserialize(v) {
            out.headers.insert(p.clone(), x);
        }
        if let Ok(x) = ReferenceOr::<openapiv3::Example>::deserialize(v) {
            out.examples.insert(p.clone(), x);
        }
        if let Ok(x) = ReferenceOr::<openapiv3::RequestBody>::deserialize(v) {
            out.request_bodies.insert(p.clone(), x);
        }
    }
    out
}

/// The `$ref` that names the schema at pointer `p` (a URI fragment: `%` escaped).
pub(super) fn event_data_ref(p: &str) -> String {
    format!("#{}", p.replace('%', "%25"))
}

fn collect_ref_targets(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.insert(r.clone());
            }
            // The `contentSchema` of a server-sent event's JSON data (`load/event_data.rs`).
            if let Some(Value::String(p)) = m.get(crate::load::event_data::MARK) {
                out.insert(event_data_ref(p));
            }
            m.values().for_each(|c| collect_ref_targets(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| collect_ref_targets(c, out)),
        _ => {}
    }
}

impl<'a> Builder<'a> {
    /// The schema at a local pointer (a component, or any other place).
    pub(super) fn schema_at(&mut self, ptr: &str) -> Option<&'a ReferenceOr<Schema>> {
        if let Some(name) = ptr.strip_prefix("/components/schemas/") {
            if !name.contains('/') {
                let name = crate::diag::unescape_token(name);
                return self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(&name));
            }
        }
        None
    }

    /// Follows a schema `$ref` to what it resolves to.
    pub(super) fn resolve_ref(&mut self, reference: &str, at: &str) -> Option<Resolved> {
        let Some(ptr) = local_pointer(reference) else {
            self.diags.error(
                at,
                format!("external reference `{reference}` is not supported"),
                "bundle the spec into one file first",
            );
            return None;
        };
        let ptr = percent_decode(ptr);
        if let Some(r) = self.by_pointer.get(&ptr) {
            return Some(r.clone());
        }
        if ptr
            .strip_prefix("/components/schemas/")
            .is_some_and(|n| !n.contains('/'))
        {
            self.diags.error(
                at,
                format!("`$ref` target `{reference}` does not exist"),
                "define it under components/schemas",
            );
            return None;
        }
        let extra = self.extra;
        let Some(schema) = extra.schemas.get(&ptr) else {
            self.diags.error(
                at,
                format!("`$ref` target `{reference}` is not a schema"),
                "point the reference at a schema object",
            );
            return None;
        };
        // Placeholder against cycles through non-component pointers.
        self.by_pointer.insert(
            ptr.clone(),
            Resolved {
                shape: Shape::plain(Ty::Any),
                default: None,
            },
        );
        let hint = ptr
            .rsplit('/')
            .next()
            .map(crate::diag::unescape_token)
            .unwrap_or_default();
        let shape = self.shape(schema, &ptr, &[naming::type_name(&hint, "Schema")]);
        let r = Resolved {
            shape,
            default: schema.schema_data.default.clone(),
        };
        self.by_pointer.insert(ptr, r.clone());
        Some(r)
    }

    /// The schema a reference points at (without building anything).
    pub(super) fn ref_schema(&mut self, reference: &str) -> Option<&'a Schema> {
        let ptr = percent_decode(local_pointer(reference)?);
        let mut seen = 0;
        let mut cur: &'a ReferenceOr<Schema> = match self.schema_at(&ptr) {
            Some(s) => s,
            None => return self.extra.schemas.get(&ptr),
        };
        loop {
            match cur {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference } => {
                    seen += 1;
                    if seen > 64 {
                        return None;
                    }
                    let p = percent_decode(local_pointer(reference)?);
                    cur = match self.schema_at(&p) {
                        Some(s) => s,
                        None => return self.extra.schemas.get(&p),
                    };
                }
            }
        }
    }

    /// Resolves a reference to a component of kind `kind` (responses, parameters,
    /// ...), following chains, and returns it with its pointer.
    pub(super) fn resolve_component<T: DeserializeOwned>(
        &mut self,
        r: &'a ReferenceOr<T>,
        at: &str,
        kind: &str,
        map: impl Fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        extra: impl Fn(&'a Extra) -> &'a BTreeMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, String)> {
        let mut cur = r;
        let mut ptr = at.to_string();
        for _ in 0..64 {
            match cur {
                ReferenceOr::Item(t) => return Some((t, ptr)),
                ReferenceOr::Reference { reference } => {
                    let target = local_pointer(reference).map(percent_decode);
                    let prefix = format!("/components/{kind}/");
                    let name = target
                        .as_deref()
                        .and_then(|t| t.strip_prefix(&prefix))
                        .filter(|n| !n.contains('/'))
                        .map(crate::diag::unescape_token);
                    let extra_map = extra(self.extra);
                    let found = name
                        .as_ref()
                        .and_then(|n| {
                            self.doc
                                .components
                                .as_ref()
                                .map(&map)
                                .and_then(|m| m.get(n))
                        })
                        .or_else(|| target.as_ref().and_then(|t| extra_map.get(t)));
                    match found {
                        Some(next) => {
                            ptr = target.unwrap_or_default();
                            cur = next;
                        }
                        None => {
                            self.diags.error(
                                join(&ptr, "$ref"),
                                format!(
                                    "`{reference}` does not point at an entry of components/{kind}"
                                ),
                                format!("point the reference at `#/components/{kind}/<name>`"),
                            );
                            return None;
                        }
                    }
                }
            }
        }
        self.diags.error(
            join(at, "$ref"),
            "reference chain too long or cyclic",
            "make the reference point at a definition",
        );
        None
    }
}
