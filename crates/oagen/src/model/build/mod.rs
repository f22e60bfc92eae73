//! Builds the [`Api`] model from a loaded [`Spec`]: the builder's state and its steps, in order.
//!
//! Order matters for stable names: component schema names are claimed first (in
//! document order), then each operation's response type name, then inline types
//! as they are met (components first, then operations in document order). Each
//! part of the model is built in a file of its own: `names`, `components`,
//! `shapes`, `objects`, `unions`, `operations`, `bodies`, `responses`,
//! `security`; `resolve` follows references, `examples` and `cycles` finish.

mod bodies;
mod components;
mod cycles;
mod examples;
mod names;
mod objects;
mod operations;
mod resolve;
mod responses;
mod security;
mod shapes;
mod streams;
mod tuples;
mod unions;

use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;

use crate::diag::{join, Diagnostics};
use crate::load::Spec;
use crate::model::naming::Namer;
use crate::model::{Api, Example, Shape, TypeDef, TypeId, TypeKind};
pub use operations::path_vars;
use resolve::{pre_deserialize, Extra};

/// Builds the model. Problems go to `diags`; the model is returned even when
/// some were found, with the offending parts approximated or left out.
pub fn build(spec: &Spec, diags: &mut Diagnostics) -> Api {
    let extra = pre_deserialize(spec);
    let webhooks = webhook_items(&spec.raw);
    let callbacks = operations::callback_sites(&spec.doc);
    let mut b = Builder {
        doc: &spec.doc,
        webhooks: &webhooks,
        callbacks: &callbacks,
        raw: &spec.raw,
        extra: &extra,
        diags,
        types: Vec::new(),
        by_pointer: HashMap::new(),
        by_content: HashMap::new(),
        names: Namer::new(),
        merging: Vec::new(),
        examples: Vec::new(),
    };
    b.run()
}

/// What a schema pointer resolved to, memoised.
#[derive(Debug, Clone)]
struct Resolved {
    shape: Shape,
    default: Option<Value>,
}

struct Builder<'a> {
    doc: &'a OpenAPI,
    /// The webhooks' path items (`openapiv3` has no place for them).
    webhooks: &'a indexmap::IndexMap<String, openapiv3::PathItem>,
    /// The operations' callbacks, one site per path item, in document order.
    callbacks: &'a [operations::CallbackSite<'a>],
    /// The normalised document, for the few facts `openapiv3` drops (an
    /// encoding's or a header's `explode`).
    raw: &'a Value,
    extra: &'a Extra,
    diags: &'a mut Diagnostics,
    types: Vec<Option<TypeDef>>,
    by_pointer: HashMap<String, Resolved>,
    by_content: HashMap<String, TypeId>,
    names: Namer,
    /// Pointers of objects being merged (allOf), to catch composition cycles.
    merging: Vec<String>,
    examples: Vec<Example>,
}

/// What a schema becomes before it is named.
enum Node {
    Shape(Shape),
    Def(TypeKind),
}

const COMPONENT_SCHEMAS: &str = "/components/schemas";

impl<'a> Builder<'a> {
    /// Builds the whole model, step by step in the order that keeps names stable.
    fn run(&mut self) -> Api {
        let doc = self.doc;
        // 1. Component schema names, in document order.
        let component_ids = self.claim_component_names();
        for (path, item) in &doc.paths.paths {
            if let ReferenceOr::Reference { reference } = item {
                self.diags.warn(
                    join("/paths", path),
                    format!("path item `$ref` ({reference}) is not supported; its operations are skipped"),
                );
            }
        }
        // 2. Security schemes.
        let security_schemes = self.security_schemes();
        // 3. Operation names and their response type names.
        let op_names = self.operation_names();
        // 4. Component schemas.
        self.component_schemas(&component_ids);
        // 5. Operations.
        let mut operations = Vec::new();
        let mut hooks: Vec<crate::model::Hook> = Vec::new();
        for (op, names) in self.operations().into_iter().zip(op_names) {
            let taken: Vec<String> = hooks.iter().map(|h| h.route.clone()).collect();
            if op.4 == "/webhooks" {
                hooks.push(crate::model::Hook {
                    kind: crate::model::HookKind::Webhook,
                    name: op.0.to_string(),
                    operation: operations.len(),
                    route: crate::model::hooks_route(op.0, &taken),
                    callback: None,
                });
            } else if let Some(site) = self.callback_site(op.4, op.0) {
                hooks.push(self.callback_hook(site, operations.len(), &operations, &hooks));
            }
            operations.push(self.operation(op, names, &security_schemes));
        }
        let types: Vec<TypeDef> = std::mem::take(&mut self.types)
            .into_iter()
            .enumerate()
            .map(|(i, t)| t.unwrap_or_else(|| names::placeholder(format!("Unresolved{i}"))))
            .collect();
        let mut api = Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            docs: crate::emit::docs::doc_text(None, doc.info.description.as_deref()),
            servers: doc.servers.iter().map(operations::server).collect(),
            tags: crate::model::tags::tags(doc),
            types,
            operations,
            hooks,
            security_schemes,
            examples: std::mem::take(&mut self.examples),
            gates: Default::default(),
            checked: Vec::new(),
            requested: Vec::new(),
        };
        self.break_alias_loops(&mut api);
        cycles::mark_boxes(&mut api);
        self.check_defaults(&mut api);
        self.judge_examples(&mut api);
        api.checked = crate::model::checked_types(&api.types);
        api.requested = crate::model::features::requested_types(&api);
        api
    }
}

/// The webhooks of the normalised document (checked by the loader; an entry
/// that does not read as a path item is left out).
fn webhook_items(raw: &Value) -> indexmap::IndexMap<String, openapiv3::PathItem> {
    raw.get("webhooks")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), serde_json::from_value(v.clone()).ok()?)))
        .collect()
}
