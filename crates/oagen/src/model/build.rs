//! Builds the [`Api`] model from a loaded [`Spec`].
//!
//! Order matters for stable names: component schema names are claimed first (in
//! document order), then each operation's response type name, then inline types
//! as they are met (components first, then operations in document order).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, SecurityScheme as OaScheme, StatusCode, Type,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::naming::{self, Namer};
use super::schema::{is_null_only, Facts};
use super::*;
use crate::diag::{join, Diagnostics};
use crate::load::{local_pointer, resolve_pointer, Spec};

/// Builds the model. Problems go to `diags`; the model is returned even when
/// some were found, with the offending parts approximated or left out.
pub fn build(spec: &Spec, diags: &mut Diagnostics) -> Api {
    let extra = pre_deserialize(spec);
    let mut b = Builder {
        doc: &spec.doc,
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

/// Definitions referenced at pointers other than `#/components/<kind>/<name>`
/// (e.g. `#/paths/~1a/get/responses/401`), deserialised up front (keyed by the
/// decoded pointer) so that the builder can borrow them.
#[derive(Default)]
struct Extra {
    schemas: BTreeMap<String, Schema>,
    responses: BTreeMap<String, ReferenceOr<openapiv3::Response>>,
    parameters: BTreeMap<String, ReferenceOr<Parameter>>,
    headers: BTreeMap<String, ReferenceOr<openapiv3::Header>>,
    examples: BTreeMap<String, ReferenceOr<openapiv3::Example>>,
    request_bodies: BTreeMap<String, ReferenceOr<openapiv3::RequestBody>>,
    security_schemes: BTreeMap<String, ReferenceOr<OaScheme>>,
}

fn pre_deserialize(spec: &Spec) -> Extra {
    let mut targets = BTreeSet::new();
    collect_ref_targets(&spec.raw, &mut targets);
    let mut out = Extra::default();
    for t in targets {
        let Some(p) = local_pointer(&t) else { continue };
        let p = percent_decode_ptr(p);
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

use serde::Deserialize;

fn collect_ref_targets(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.insert(r.clone());
            }
            m.values().for_each(|c| collect_ref_targets(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| collect_ref_targets(c, out)),
        _ => {}
    }
}

/// What a schema pointer resolved to, memoised.
#[derive(Debug, Clone)]
struct Resolved {
    shape: Shape,
    default: Option<Value>,
}

struct Builder<'a> {
    doc: &'a OpenAPI,
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
    fn run(&mut self) -> Api {
        let doc = self.doc;
        // 1. Component schema names, in document order.
        let mut component_ids = Vec::new();
        if let Some(c) = &doc.components {
            for (name, schema) in &c.schemas {
                let id = self.reserve(naming::type_name(name, "Schema"));
                component_ids.push((name.clone(), id));
                let (nullable, default) = match schema {
                    ReferenceOr::Item(s) => (
                        s.schema_data.nullable || is_null_only(s),
                        s.schema_data.default.clone(),
                    ),
                    ReferenceOr::Reference { .. } => (false, None),
                };
                let shape = Shape {
                    ty: Ty::Named(id),
                    nullable,
                    constraints: Constraints::default(),
                };
                self.by_pointer
                    .insert(join(COMPONENT_SCHEMAS, name), Resolved { shape, default });
            }
        }
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
        let mut op_names = Vec::new();
        let mut fn_namer = Namer::new();
        for taken in naming::OPERATION_NEIGHBOURS {
            fn_namer.reserve(taken);
        }
        // Each operation's id (made up when missing) and the text its names come from.
        let sources: Vec<(String, String)> = self
            .operations()
            .into_iter()
            .map(|(path, method, op, _)| {
                let id = op
                    .operation_id
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| synth_operation_id(method, path));
                let stem_source = strip_fastapi_suffix(&id, method, path);
                (id, stem_source)
            })
            .collect();
        // The server's trait has a `reject_<operation>` hook per operation: an
        // operation named `reject_<another operation>` takes a longer name.
        let snakes: Vec<String> = sources
            .iter()
            .map(|(_, source)| naming::snake_ident(source, "operation"))
            .collect();
        let bare: BTreeSet<&str> = snakes.iter().map(|s| naming::bare(s)).collect();
        for ((id, stem_source), snake) in sources.into_iter().zip(&snakes) {
            let fn_name = match naming::bare(snake).strip_prefix("reject_") {
                Some(rest) if bare.contains(rest) => {
                    fn_namer.claim(&format!("{}_operation", naming::bare(snake)))
                }
                _ => fn_namer.claim(snake),
            };
            let stem = naming::type_name(&stem_source, "Operation");
            let response_type = self.names.claim(&format!("{stem}Response"));
            let params_type = self.names.claim(&format!("{stem}Params"));
            op_names.push((id, fn_name, stem, response_type, params_type));
        }
        // 4. Component schemas.
        let twins = self.nullable_twins(&component_ids);
        for (name, id) in &component_ids {
            let ptr = join(COMPONENT_SCHEMAS, name);
            match twins.get(id) {
                Some(of) => self.nullable_twin(&ptr, *id, *of),
                None => self.component(&ptr, *id),
            }
        }
        // 5. Operations.
        let mut operations = Vec::new();
        let ops: Vec<_> = self.operations();
        for ((path, method, op, item), (id, fn_name, stem, response_type, params_type)) in
            ops.into_iter().zip(op_names)
        {
            let pointer = join(&join("/paths", path), method);
            operations.push(self.operation(
                OpIn {
                    path,
                    method,
                    op,
                    item,
                    pointer,
                    id,
                    fn_name,
                    stem,
                    response_type,
                    params_type,
                },
                &security_schemes,
            ));
        }
        let types: Vec<TypeDef> = std::mem::take(&mut self.types)
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                t.unwrap_or_else(|| TypeDef {
                    name: format!("Unresolved{i}"),
                    docs: None,
                    pointer: String::new(),
                    kind: TypeKind::Alias(Shape::plain(Ty::Any)),
                })
            })
            .collect();
        let mut api = Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            docs: crate::emit::docs::doc_text(None, doc.info.description.as_deref()),
            servers: doc.servers.iter().map(server).collect(),
            types,
            operations,
            security_schemes,
            examples: std::mem::take(&mut self.examples),
            gates: Default::default(),
            checked: Vec::new(),
            requested: Vec::new(),
        };
        self.break_alias_loops(&mut api);
        mark_boxes(&mut api);
        self.check_defaults(&mut api);
        self.judge_examples(&mut api);
        api.checked = super::checked_types(&api.types);
        api.requested = super::features::requested_types(&api);
        api
    }

    /// An alias that resolves to itself without ever reaching a type (`S: {oneOf:
    /// [{$ref: S}]}`) admits any value that S admits, which is vacuous: it becomes
    /// any JSON value, with a warning.
    fn break_alias_loops(&mut self, api: &mut Api) {
        for start in 0..api.types.len() {
            let mut cur = start;
            let mut steps = 0;
            let looped = loop {
                match &api.types[cur].kind {
                    TypeKind::Alias(Shape {
                        ty: Ty::Named(next),
                        ..
                    }) => {
                        cur = next.0;
                        steps += 1;
                        if cur == start {
                            break true;
                        }
                        if steps > api.types.len() {
                            break false;
                        }
                    }
                    _ => break false,
                }
            };
            if looped {
                let t = &mut api.types[start];
                self.diags.warn(
                    t.pointer.clone(),
                    format!(
                        "`{}` is defined only in terms of itself; it accepts any JSON value",
                        t.name
                    ),
                );
                t.kind = TypeKind::Alias(Shape::plain(Ty::Any));
            }
        }
    }

    /// Drops, with a warning, each property default that does not validate against
    /// the property's schema: a default is applied on decode and written on encode,
    /// so one that breaks the schema would turn valid input into invalid output
    /// (or not fit the field's type at all).
    fn check_defaults(&mut self, api: &mut Api) {
        let mut bad = Vec::new();
        for (t, def) in api.types.iter().enumerate() {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            for (i, f) in s.fields.iter().enumerate() {
                let Some(d) = &f.default else { continue };
                if let Err(inv) = super::validate::validate(api, &f.shape, d) {
                    let at = if inv.at.is_empty() {
                        String::new()
                    } else {
                        format!(" at `{}`", inv.at)
                    };
                    let pointer = join(&join(&def.pointer, "properties"), &f.name);
                    bad.push((t, i, pointer, format!("{}{at}", inv.reason)));
                }
            }
        }
        for (t, i, pointer, reason) in bad {
            self.diags.warn(
                join(&pointer, "default"),
                format!("default does not validate against its schema ({reason}); it is ignored"),
            );
            if let TypeKind::Struct(s) = &mut api.types[t].kind {
                s.fields[i].default = None;
            }
        }
    }

    /// Validates every example against its shape, warning about those that do not fit.
    /// An example met more than once (a shared parameter or response is read by each
    /// operation that uses it) is kept once.
    fn judge_examples(&mut self, api: &mut Api) {
        let mut examples = std::mem::take(&mut api.examples);
        let mut seen = BTreeSet::new();
        examples.retain(|ex| seen.insert((ex.pointer.clone(), ex.schema_pointer.clone())));
        for ex in &mut examples {
            if let Err(inv) = super::validate::validate(api, &ex.shape, &ex.value) {
                let at = if inv.at.is_empty() {
                    String::new()
                } else {
                    format!(" at `{}`", inv.at)
                };
                let reason = format!("{}{at}", inv.reason);
                self.diags.warn(
                    ex.pointer.clone(),
                    format!("example does not validate against its schema: {reason}"),
                );
                ex.verdict = if inv.structural {
                    ExampleVerdict::BreaksStructure(reason)
                } else {
                    ExampleVerdict::BreaksConstraint(reason)
                };
            }
        }
        api.examples = examples;
    }

    fn operations(
        &self,
    ) -> Vec<(
        &'a str,
        &'static str,
        &'a openapiv3::Operation,
        &'a openapiv3::PathItem,
    )> {
        let mut out = Vec::new();
        for (path, item) in &self.doc.paths.paths {
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => continue,
            };
            for (method, op) in [
                ("get", &item.get),
                ("put", &item.put),
                ("post", &item.post),
                ("delete", &item.delete),
                ("options", &item.options),
                ("head", &item.head),
                ("patch", &item.patch),
                ("trace", &item.trace),
            ] {
                if let Some(op) = op {
                    out.push((path.as_str(), method, op, item));
                }
            }
        }
        out
    }

    // ---- types ---------------------------------------------------------------

    fn reserve(&mut self, name: String) -> TypeId {
        let name = self.names.claim(&name);
        self.types.push(Some(TypeDef {
            name,
            docs: None,
            pointer: String::new(),
            kind: TypeKind::Alias(Shape::plain(Ty::Any)),
        }));
        TypeId(self.types.len() - 1)
    }

    fn new_type(&mut self, candidates: &[String]) -> TypeId {
        let name = self.names.claim_first(candidates);
        self.types.push(None);
        let id = TypeId(self.types.len() - 1);
        self.types[id.0] = Some(TypeDef {
            name,
            docs: None,
            pointer: String::new(),
            kind: TypeKind::Alias(Shape::plain(Ty::Any)),
        });
        id
    }

    fn type_name_of(&self, id: TypeId) -> String {
        self.types[id.0]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    /// The nullable components that repeat another component, each mapped to
    /// the one it repeats.
    ///
    /// OpenAPI 3.0 cannot mark a `$ref` nullable, so specs copy a schema into a
    /// `nullable: true` twin (GitHub's `nullable-simple-user` and `simple-user`:
    /// of its 20 `nullable-*` copies, 17 repeat an object component exactly). A twin is the same type: where it is used, the use is
    /// nullable (`Option<SimpleUser>`), and the twin's name is an alias, so a
    /// value read from one place can be sent to the other. A twin is a
    /// nullable object component whose schema equals another's once its
    /// nullability and its text (`title`, `description`, examples,
    /// `externalDocs`) are left out; it repeats the first such component that
    /// is not nullable itself.
    fn nullable_twins(&self, components: &[(String, TypeId)]) -> HashMap<TypeId, TypeId> {
        let Some(schemas) = self.doc.components.as_ref().map(|c| &c.schemas) else {
            return HashMap::new();
        };
        // Only objects with properties: two integer schemas that differ only
        // in being nullable are not one concept (`max-businesses`, `org-id`).
        let item = |name: &String| match schemas.get(name) {
            Some(ReferenceOr::Item(s)) if !property_names(s).is_empty() => Some(s),
            _ => None,
        };
        // Keys are made only for nullable components and for the others
        // with the same property names, so that a spec without twins pays
        // for a name list per object schema, not a serialization of each.
        let mut nullable: HashMap<String, Vec<TypeId>> = HashMap::new();
        let mut signatures = HashSet::new();
        for (name, id) in components {
            if let Some(s) = item(name).filter(|s| s.schema_data.nullable) {
                signatures.insert(property_names(s));
                nullable.entry(twin_key(s)).or_default().push(*id);
            }
        }
        let mut twins = HashMap::new();
        if nullable.is_empty() {
            return twins;
        }
        for (name, id) in components {
            let Some(s) = item(name).filter(|s| !s.schema_data.nullable) else {
                continue;
            };
            if !signatures.contains(&property_names(s)) {
                continue;
            }
            if let Some(ids) = nullable.remove(&twin_key(s)) {
                for twin in ids {
                    twins.insert(twin, *id);
                }
            }
        }
        twins
    }

    /// A component that repeats component `of` but for being nullable: an alias
    /// of it, with its own docs and examples.
    fn nullable_twin(&mut self, ptr: &str, id: TypeId, of: TypeId) {
        let Some(ReferenceOr::Item(schema)) = self.schema_at(ptr) else {
            return;
        };
        let docs = crate::emit::docs::doc_text(
            schema.schema_data.title.as_deref(),
            schema.schema_data.description.as_deref(),
        );
        if let Some(def) = self.types[id.0].as_mut() {
            def.pointer = ptr.to_string();
            def.kind = TypeKind::Alias(Shape::plain(Ty::Named(of)));
            def.docs = docs;
        }
        self.record_examples(
            schema,
            ptr,
            &Shape {
                nullable: true,
                ..Shape::plain(Ty::Named(id))
            },
        );
    }

    /// A component schema: always a named type.
    fn component(&mut self, ptr: &str, id: TypeId) {
        let name = self.type_name_of(id);
        let Some(schema) = self.schema_at(ptr) else {
            return;
        };
        let (schema, schema_ptr) = match schema {
            ReferenceOr::Item(s) => (s, ptr.to_string()),
            ReferenceOr::Reference { reference } => {
                // A component that is only a reference: an alias of its target.
                if let Some(t) = self.resolve_ref(reference, ptr) {
                    if let Some(def) = self.types[id.0].as_mut() {
                        def.pointer = ptr.to_string();
                        def.kind = TypeKind::Alias(Shape {
                            nullable: false,
                            ..t.shape
                        });
                    }
                }
                return;
            }
        };
        let nullable = schema.schema_data.nullable || is_null_only(schema);
        let node = self.analyze(schema, &schema_ptr, &name);
        let kind = match node {
            Node::Def(kind) => kind,
            Node::Shape(shape) => TypeKind::Alias(Shape {
                nullable: false,
                ..shape
            }),
        };
        let docs = crate::emit::docs::doc_text(
            schema.schema_data.title.as_deref(),
            schema.schema_data.description.as_deref(),
        );
        if let Some(def) = self.types[id.0].as_mut() {
            def.pointer = ptr.to_string();
            def.kind = kind;
            def.docs = docs;
        }
        self.record_examples(
            schema,
            ptr,
            &Shape {
                nullable,
                ..Shape::plain(Ty::Named(id))
            },
        );
    }

    /// The schema at a local pointer (a component, or any other place).
    fn schema_at(&mut self, ptr: &str) -> Option<&'a ReferenceOr<Schema>> {
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
    fn resolve_ref(&mut self, reference: &str, at: &str) -> Option<Resolved> {
        let Some(ptr) = local_pointer(reference) else {
            self.diags.error(
                at,
                format!("external reference `{reference}` is not supported"),
                "bundle the spec into one file first",
            );
            return None;
        };
        let ptr = percent_decode_ptr(ptr);
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

    /// The shape of a schema or reference at `ptr`, naming any new type from `names`.
    fn shape_of_ref<T: AsSchema>(
        &mut self,
        s: &'a ReferenceOr<T>,
        ptr: &str,
        names: &[String],
    ) -> (Shape, Option<Value>) {
        match s {
            ReferenceOr::Reference { reference } => {
                match self.resolve_ref(reference, &join(ptr, "$ref")) {
                    Some(r) => (r.shape, r.default),
                    None => (Shape::plain(Ty::Any), None),
                }
            }
            ReferenceOr::Item(item) => {
                let schema = item.as_schema();
                (
                    self.shape(schema, ptr, names),
                    schema.schema_data.default.clone(),
                )
            }
        }
    }

    /// The shape of an inline schema; objects, enums and unions become named types.
    fn shape(&mut self, schema: &'a Schema, ptr: &str, names: &[String]) -> Shape {
        let nullable = schema.schema_data.nullable || is_null_only(schema);
        let facts = Facts::of(schema);
        let shape = if needs_def(&facts, schema) {
            let key = serde_json::to_string(schema).unwrap_or_default();
            let id = match self.by_content.get(&key) {
                Some(id) => *id,
                None => {
                    let mut candidates = Vec::new();
                    if let Some(t) = schema.schema_data.title.as_deref() {
                        let t = naming::type_name(t, "");
                        if !t.is_empty() {
                            candidates.push(t);
                        }
                    }
                    candidates.extend(names.iter().cloned());
                    if candidates.is_empty() {
                        candidates.push("Inline".into());
                    }
                    let id = self.new_type(&candidates);
                    self.by_content.insert(key, id);
                    let name = self.type_name_of(id);
                    let node = self.analyze(schema, ptr, &name);
                    let kind = match node {
                        Node::Def(k) => k,
                        Node::Shape(s) => TypeKind::Alias(s),
                    };
                    let docs = crate::emit::docs::doc_text(
                        schema.schema_data.title.as_deref(),
                        schema.schema_data.description.as_deref(),
                    );
                    if let Some(def) = self.types[id.0].as_mut() {
                        def.kind = kind;
                        def.docs = docs;
                        def.pointer = ptr.to_string();
                    }
                    id
                }
            };
            Shape {
                ty: Ty::Named(id),
                nullable,
                constraints: facts.constraints.clone(),
            }
        } else {
            let context = names.first().cloned().unwrap_or_else(|| "Inline".into());
            match self.analyze(schema, ptr, &context) {
                Node::Shape(mut s) => {
                    s.nullable |= nullable;
                    s
                }
                Node::Def(_) => Shape::plain(Ty::Any),
            }
        };
        self.record_examples(schema, ptr, &shape);
        shape
    }

    /// Records the examples written on a schema.
    fn record_examples(&mut self, schema: &Schema, ptr: &str, shape: &Shape) {
        if let Some(list) = schema
            .schema_data
            .extensions
            .get("x-oagen-examples")
            .and_then(Value::as_array)
        {
            for (i, v) in list.iter().enumerate() {
                let at = join(&join(ptr, "examples"), &i.to_string());
                self.example(at, ptr, shape, v);
            }
        } else if let Some(v) = &schema.schema_data.example {
            self.example(join(ptr, "example"), ptr, shape, v);
        }
    }

    /// Records one example at `pointer` of the schema at `schema_pointer`.
    fn example(&mut self, pointer: String, schema_pointer: &str, shape: &Shape, value: &Value) {
        self.examples.push(Example {
            pointer,
            schema_pointer: schema_pointer.to_string(),
            shape: shape.clone(),
            value: value.clone(),
            verdict: ExampleVerdict::Valid,
        });
    }

    /// Records the `example` and the `examples` (each an Example Object, perhaps a
    /// reference to `components/examples`) of a media type, parameter or header at
    /// `ptr`, whose schema is at `schema_pointer`.
    fn value_examples(
        &mut self,
        example: Option<&Value>,
        examples: &'a IndexMap<String, ReferenceOr<openapiv3::Example>>,
        ptr: &str,
        schema_pointer: &str,
        shape: &Shape,
    ) {
        if let Some(v) = example {
            self.example(join(ptr, "example"), schema_pointer, shape, v);
        }
        for (ename, ex) in examples {
            let eptr = join(&join(ptr, "examples"), ename);
            if let Some((ex, _)) =
                self.resolve_component(ex, &eptr, "examples", |c| &c.examples, |e| &e.examples)
            {
                if let Some(v) = &ex.value {
                    self.example(join(&eptr, "value"), schema_pointer, shape, v);
                }
            }
        }
    }

    /// Analyses a schema into a shape or a type definition named `name`.
    fn analyze(&mut self, schema: &'a Schema, ptr: &str, name: &str) -> Node {
        let f = Facts::of(schema);
        if is_null_only(schema) {
            return Node::Shape(Shape::plain(Ty::Null));
        }
        // allOf: one reference with nothing else is that reference; otherwise merged.
        if !f.all_of.is_empty() {
            let own_structure = f.properties.is_some()
                || f.additional.is_some()
                || !f.any_of.is_empty()
                || !f.one_of.is_empty();
            if f.all_of.len() == 1 && !own_structure {
                let (mut s, _) = self.shape_of_ref(
                    &f.all_of[0],
                    &join(&join(ptr, "allOf"), "0"),
                    &[name.to_string()],
                );
                s.nullable |= schema.schema_data.nullable;
                return Node::Shape(s);
            }
            if self.all_of_is_object(schema) {
                return Node::Def(TypeKind::Struct(self.struct_def(schema, ptr, name)));
            }
            // allOf of non-objects: the first member's type, constraints merged.
            let (mut s, _) = self.shape_of_ref(
                &f.all_of[0],
                &join(&join(ptr, "allOf"), "0"),
                &[name.to_string()],
            );
            for (i, m) in f.all_of.iter().enumerate().skip(1) {
                let (other, _) = self.shape_of_ref(
                    m,
                    &join(&join(ptr, "allOf"), &i.to_string()),
                    &[format!("{name}Part{i}")],
                );
                merge_constraints(&mut s.constraints, &other.constraints);
            }
            return Node::Shape(s);
        }
        if f.properties.is_some() {
            return Node::Def(TypeKind::Struct(self.struct_def(schema, ptr, name)));
        }
        let union = if !f.one_of.is_empty() {
            Some((f.one_of, true, "oneOf"))
        } else if !f.any_of.is_empty() {
            Some((f.any_of, false, "anyOf"))
        } else {
            None
        };
        if let Some((members, one_of, key)) = union {
            if members.len() == 1 {
                let (mut s, _) = self.shape_of_ref(
                    &members[0],
                    &join(&join(ptr, key), "0"),
                    &[name.to_string()],
                );
                s.nullable |= schema.schema_data.nullable;
                return Node::Shape(s);
            }
            return Node::Def(TypeKind::Union(
                self.union_def(schema, members, one_of, ptr, key, name),
            ));
        }
        let values: Vec<Value> = f
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .cloned()
            .collect();
        if !values.is_empty() {
            if values.iter().all(Value::is_string) && matches!(f.typ, None | Some("string")) {
                return Node::Def(TypeKind::Enum(enum_def(&values, EnumRepr::String)));
            }
            if values.iter().all(|v| v.is_i64())
                && matches!(f.typ, None | Some("integer") | Some("number"))
            {
                return Node::Def(TypeKind::Enum(enum_def(&values, EnumRepr::Integer)));
            }
        }
        let mut c = f.constraints.clone();
        let ty = match f.typ {
            Some("string") => match f.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                // A `pattern` constrains the text, which a typed uuid does not keep
                // (it is written lowercase and hyphenated): such a uuid stays a string.
                Some("uuid") if c.pattern.is_none() => Ty::Uuid,
                Some("binary") => Ty::Binary,
                _ => Ty::String,
            },
            Some("integer") => Ty::Integer(match f.format.as_deref() {
                Some("int32") => IntKind::I32,
                Some("uint32") => IntKind::U32,
                Some("uint64") => IntKind::U64,
                _ => IntKind::I64,
            }),
            Some("number") => Ty::Number(match f.format.as_deref() {
                Some("float") => NumKind::F32,
                _ => NumKind::F64,
            }),
            Some("boolean") => Ty::Boolean,
            Some("array") => {
                let item_names = [format!("{name}Item")];
                let items = match f.items {
                    Some(i) => self.shape_of_ref(i, &join(ptr, "items"), &item_names).0,
                    None => Shape::plain(Ty::Any),
                };
                Ty::Array(Box::new(items))
            }
            Some("object") | None if f.is_object() || f.typ == Some("object") => {
                let value = match f.additional {
                    Some(AdditionalProperties::Schema(s)) => {
                        self.shape_of_ref(
                            &**s,
                            &join(ptr, "additionalProperties"),
                            &[format!("{name}Value")],
                        )
                        .0
                    }
                    Some(AdditionalProperties::Any(false)) => {
                        // No properties and no others: only the empty object.
                        c.max_properties = Some(0);
                        Shape::plain(Ty::Any)
                    }
                    _ => Shape::plain(Ty::Any),
                };
                Ty::Map(Box::new(value))
            }
            Some("null") => Ty::Null,
            None => Ty::Any,
            Some(other) => {
                self.diags.warn(
                    join(ptr, "type"),
                    format!("unknown type `{other}`; treated as any JSON value"),
                );
                Ty::Any
            }
        };
        Node::Shape(Shape {
            ty,
            nullable: false,
            constraints: c,
        })
    }

    /// Whether an allOf schema merges into an object.
    fn all_of_is_object(&mut self, schema: &'a Schema) -> bool {
        let f = Facts::of(schema);
        if f.is_object() {
            return true;
        }
        f.all_of.iter().any(|m| match m {
            ReferenceOr::Item(s) => self.all_of_is_object(s),
            ReferenceOr::Reference { reference } => match self.ref_schema(reference) {
                Some(s) => {
                    let ptr = local_pointer(reference).unwrap_or_default().to_string();
                    if self.merging.contains(&ptr) {
                        return false;
                    }
                    self.merging.push(ptr);
                    let r = self.all_of_is_object(s);
                    self.merging.pop();
                    r
                }
                None => false,
            },
        })
    }

    /// The schema a reference points at (without building anything).
    fn ref_schema(&mut self, reference: &str) -> Option<&'a Schema> {
        let ptr = percent_decode_ptr(local_pointer(reference)?);
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
                    let p = percent_decode_ptr(local_pointer(reference)?);
                    cur = match self.schema_at(&p) {
                        Some(s) => s,
                        None => return self.extra.schemas.get(&p),
                    };
                }
            }
        }
    }

    /// Collects the properties of an object, merging `allOf` members.
    fn collect_object(&mut self, schema: &'a Schema, ptr: &str, acc: &mut ObjectAcc<'a>) {
        let f = Facts::of(schema);
        for (i, m) in f.all_of.iter().enumerate() {
            let mptr = join(&join(ptr, "allOf"), &i.to_string());
            match m {
                ReferenceOr::Item(s) => {
                    self.collect_object(s, &mptr, acc);
                    acc.member_examples.push((s, mptr));
                }
                ReferenceOr::Reference { reference } => {
                    let target = local_pointer(reference)
                        .map(percent_decode_ptr)
                        .unwrap_or_default();
                    if self.merging.contains(&target) {
                        let chain = self
                            .merging
                            .iter()
                            .map(|p| format!("#{p}"))
                            .collect::<Vec<_>>()
                            .join(" -> ");
                        self.diags.error(
                            join(&mptr, "$ref"),
                            format!("`allOf` cycle: {chain} -> #{target} includes itself"),
                            "an object cannot be composed of itself; reference it from a property instead",
                        );
                        continue;
                    }
                    if let Some(s) = self.ref_schema(reference) {
                        self.merging.push(target.clone());
                        self.collect_object(s, &target, acc);
                        self.merging.pop();
                    }
                }
            }
        }
        // anyOf/oneOf next to properties: commonly "one of these fields is required".
        for (key, members) in [("anyOf", f.any_of), ("oneOf", f.one_of)] {
            if members.is_empty() {
                continue;
            }
            let only_required = members.iter().all(|m| match m {
                ReferenceOr::Item(s) => {
                    let mf = Facts::of(s);
                    mf.properties.is_none()
                        && mf.all_of.is_empty()
                        && mf.any_of.is_empty()
                        && mf.one_of.is_empty()
                }
                _ => false,
            });
            if !only_required {
                self.diags.warn(
                    join(ptr, key),
                    format!("`{key}` next to object properties is approximated: the alternatives' properties are merged as optional fields"),
                );
                for (i, m) in members.iter().enumerate() {
                    let mptr = join(&join(ptr, key), &i.to_string());
                    let mut sub = ObjectAcc::default();
                    match m {
                        ReferenceOr::Item(s) => self.collect_object(s, &mptr, &mut sub),
                        ReferenceOr::Reference { reference } => {
                            let target = local_pointer(reference)
                                .map(percent_decode_ptr)
                                .unwrap_or_default();
                            if self.merging.contains(&target) {
                                // The alternative includes this object itself: nothing new to merge.
                                continue;
                            }
                            if let Some(s) = self.ref_schema(reference) {
                                self.merging.push(target);
                                self.collect_object(s, &mptr, &mut sub);
                                self.merging.pop();
                            }
                        }
                    }
                    for (k, v) in sub.props {
                        acc.props.entry(k).or_insert(v);
                    }
                }
            }
        }
        if let Some(props) = f.properties {
            let base = join(ptr, "properties");
            for (k, v) in props {
                acc.props.insert(k.clone(), (v, join(&base, k)));
            }
        }
        acc.required.extend(f.required.iter().cloned());
        match f.additional {
            Some(AdditionalProperties::Any(false)) => {
                acc.additional = Some(AdditionalAcc::Forbidden)
            }
            Some(AdditionalProperties::Any(true)) if acc.additional.is_none() => {
                acc.additional = Some(AdditionalAcc::Any)
            }
            Some(AdditionalProperties::Any(true)) => {}
            Some(AdditionalProperties::Schema(s)) => {
                acc.additional = Some(AdditionalAcc::Typed(s, join(ptr, "additionalProperties")))
            }
            None => {}
        }
        merge_constraints(&mut acc.constraints, &f.constraints);
    }

    fn struct_def(&mut self, schema: &'a Schema, ptr: &str, name: &str) -> StructDef {
        let mut acc = ObjectAcc::default();
        self.merging.push(ptr.to_string());
        self.collect_object(schema, ptr, &mut acc);
        self.merging.pop();
        // allOf: the own additionalProperties decides, members' `false` is not inherited.
        let own = Facts::of(schema);
        let additional = match (own.additional, acc.additional.take()) {
            (Some(AdditionalProperties::Any(false)), _) => Additional::Forbidden,
            (Some(AdditionalProperties::Schema(s)), _) => Additional::Typed(Box::new(
                self.shape_of_ref(
                    &**s,
                    &join(ptr, "additionalProperties"),
                    &[format!("{name}Value")],
                )
                .0,
            )),
            (_, Some(AdditionalAcc::Typed(s, p))) => Additional::Typed(Box::new(
                self.shape_of_ref(s, &p, &[format!("{name}Value")]).0,
            )),
            (None, Some(AdditionalAcc::Forbidden)) if own.all_of.is_empty() => {
                Additional::Forbidden
            }
            _ => Additional::Any,
        };
        let mut idents = Namer::new();
        let mut fields = Vec::new();
        let required: BTreeSet<String> = acc.required.iter().cloned().collect();
        for (json_name, (prop, pptr)) in &acc.props {
            let ident = idents.claim(&naming::snake_ident(json_name, "field"));
            let prop_type = naming::type_name(json_name, "Field");
            let (shape, ref_default) =
                self.shape_of_ref(*prop, pptr, &[format!("{name}{prop_type}")]);
            let (docs, default, read_only, write_only, deprecated) = match prop {
                ReferenceOr::Item(s) => (
                    crate::emit::docs::doc_text(
                        s.schema_data.title.as_deref(),
                        s.schema_data.description.as_deref(),
                    ),
                    s.schema_data.default.clone().or(ref_default),
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                    s.schema_data.deprecated,
                ),
                ReferenceOr::Reference { reference } => {
                    let target = self.ref_schema(reference);
                    (
                        target.and_then(|t| {
                            crate::emit::docs::doc_text(None, t.schema_data.description.as_deref())
                        }),
                        ref_default,
                        target.is_some_and(|t| t.schema_data.read_only),
                        target.is_some_and(|t| t.schema_data.write_only),
                        target.is_some_and(|t| t.schema_data.deprecated),
                    )
                }
            };
            let default = default.filter(|d| !d.is_null() || shape.nullable);
            fields.push(Field {
                name: json_name.clone(),
                ident,
                shape,
                // One type serves requests and responses: a readOnly property is absent
                // from requests and a writeOnly one from responses, so `required` cannot
                // hold in both directions; such a field is optional in the type.
                required: required.contains(json_name) && !read_only && !write_only,
                default,
                docs,
                boxed: false,
                read_only,
                write_only,
                deprecated,
            });
        }
        // Required properties that are not described: present, of any type.
        for r in &acc.required {
            if !acc.props.contains_key(r) {
                let ident = idents.claim(&naming::snake_ident(r, "field"));
                fields.push(Field {
                    name: r.clone(),
                    ident,
                    shape: Shape::plain(Ty::Any),
                    required: true,
                    default: None,
                    docs: None,
                    boxed: false,
                    read_only: false,
                    write_only: false,
                    deprecated: false,
                });
            }
        }
        let additional_ident = idents.claim_first(&[
            "additional_properties".to_string(),
            "extra_properties".to_string(),
        ]);
        // Examples written on inline allOf members describe the merged object.
        let own_id_shape = self.by_content_shape(schema);
        for (member, mptr) in std::mem::take(&mut acc.member_examples) {
            if let (Some(shape), Some(v)) = (&own_id_shape, &member.schema_data.example) {
                self.example(join(&mptr, "example"), ptr, shape, v);
            }
        }
        StructDef {
            fields,
            additional,
            additional_ident,
            constraints: acc.constraints,
        }
    }

    /// The named shape already assigned to an inline schema, or the component it is.
    fn by_content_shape(&self, schema: &Schema) -> Option<Shape> {
        let key = serde_json::to_string(schema).ok()?;
        if let Some(id) = self.by_content.get(&key) {
            return Some(Shape::plain(Ty::Named(*id)));
        }
        let comps = self.doc.components.as_ref()?;
        for (name, s) in &comps.schemas {
            if let ReferenceOr::Item(item) = s {
                if std::ptr::eq(item, schema) {
                    return self
                        .by_pointer
                        .get(&join(COMPONENT_SCHEMAS, name))
                        .map(|r| Shape {
                            nullable: false,
                            ..r.shape.clone()
                        });
                }
            }
        }
        None
    }

    fn union_def(
        &mut self,
        schema: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        one_of: bool,
        ptr: &str,
        key: &str,
        name: &str,
    ) -> UnionDef {
        let mut idents = Namer::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut member_refs: Vec<Option<String>> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let mptr = join(&join(ptr, key), &i.to_string());
            let (shape, _) = self.shape_of_ref(m, &mptr, &[format!("{name}Variant{}", i + 1)]);
            if variants.iter().any(|v| v.shape == shape) {
                continue;
            }
            let hint = match &shape.ty {
                Ty::Named(id) => self.type_name_of(*id),
                other => ty_variant_name(other),
            };
            let docs = match m {
                ReferenceOr::Item(s) => crate::emit::docs::doc_text(
                    s.schema_data.title.as_deref(),
                    s.schema_data.description.as_deref(),
                ),
                _ => None,
            };
            variants.push(UnionVariant {
                ident: idents.claim(&hint),
                shape,
                boxed: false,
                docs,
            });
            member_refs.push(match m {
                ReferenceOr::Reference { reference } => {
                    local_pointer(reference).map(percent_decode_ptr)
                }
                _ => None,
            });
        }
        // Try the more specific JSON types first on decode.
        let rank = |s: &Shape| match s.ty {
            Ty::Integer(_) => 0,
            Ty::Number(_) => 1,
            _ => 0,
        };
        let mut order: Vec<usize> = (0..variants.len()).collect();
        order.sort_by_key(|&i| rank(&variants[i].shape));
        let variants: Vec<UnionVariant> = order.iter().map(|&i| variants[i].clone()).collect();
        let member_refs: Vec<Option<String>> =
            order.iter().map(|&i| member_refs[i].clone()).collect();

        let discriminator = schema.schema_data.discriminator.as_ref().and_then(|d| {
            let mut mapping = Vec::new();
            for (i, r) in member_refs.iter().enumerate() {
                let Some(r) = r else { return None };
                let explicit: Vec<&String> = d
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        let t = if target.starts_with('#') {
                            local_pointer(target)
                                .map(percent_decode_ptr)
                                .unwrap_or_default()
                        } else {
                            join(COMPONENT_SCHEMAS, target)
                        };
                        &t == r
                    })
                    .map(|(k, _)| k)
                    .collect();
                if explicit.is_empty() {
                    let implicit = r
                        .rsplit('/')
                        .next()
                        .map(crate::diag::unescape_token)
                        .unwrap_or_default();
                    mapping.push((implicit, i));
                } else {
                    mapping.extend(explicit.into_iter().map(|k| (k.clone(), i)));
                }
            }
            let unknown_ident =
                idents.claim_first(&["Unknown".to_string(), "UnknownVariant".to_string()]);
            Some(Discriminator {
                property: d.property_name.clone(),
                mapping,
                unknown_ident,
            })
        });
        UnionDef {
            variants,
            discriminator,
            one_of,
        }
    }

    // ---- operations ----------------------------------------------------------

    fn operation(&mut self, input: OpIn<'a>, schemes: &[SecurityScheme]) -> Operation {
        let OpIn {
            path,
            method,
            op,
            item,
            pointer,
            id,
            fn_name,
            stem,
            response_type,
            params_type,
        } = input;
        let docs = crate::emit::docs::doc_text(op.summary.as_deref(), op.description.as_deref());
        let servers = if !op.servers.is_empty() {
            op.servers.iter().map(server).collect()
        } else if !item.servers.is_empty() {
            item.servers.iter().map(server).collect()
        } else {
            self.doc.servers.iter().map(server).collect()
        };

        // Parameters: path-level first, overridden by operation-level (same name and location).
        let mut params: Vec<Param> = Vec::new();
        let mut idents = Namer::new();
        idents.reserve("body");
        let path_ptr = join(&join("/paths", path), "parameters");
        let op_ptr = join(&pointer, "parameters");
        let mut resolved: IndexMap<(String, ParamIn), (&'a Parameter, String)> = IndexMap::new();
        for (list, base) in [(&item.parameters, path_ptr), (&op.parameters, op_ptr)] {
            for (i, p) in list.iter().enumerate() {
                let at = join(&base, &i.to_string());
                if let Some((param, pptr)) = self.resolve_component(
                    p,
                    &at,
                    "parameters",
                    |c| &c.parameters,
                    |e| &e.parameters,
                ) {
                    let d = param.parameter_data_ref();
                    resolved.insert((d.name.clone(), param_in(param)), (param, pptr));
                }
            }
        }
        for ((_, loc), (param, pptr)) in resolved {
            params.push(self.param(param, loc, &pptr, &stem, &mut idents));
        }
        // Path template variables without a declared parameter.
        for var in path_vars(path) {
            if !params
                .iter()
                .any(|p| p.location == ParamIn::Path && p.name == var)
            {
                self.diags.warn(&pointer, format!("path parameter `{var}` is used in the path but not declared; it is taken as a required string"));
                params.push(Param {
                    ident: idents.claim(&naming::snake_ident(&var, "param")),
                    name: var,
                    location: ParamIn::Path,
                    required: true,
                    shape: Shape::plain(Ty::String),
                    style: Style::Simple,
                    explode: false,
                    docs: None,
                    deprecated: false,
                });
            }
        }
        for p in params.iter_mut() {
            if p.location == ParamIn::Path {
                p.required = true;
            }
        }
        params.sort_by_key(|p| (p.location, !p.required));

        let body = op.request_body.as_ref().and_then(|rb| {
            let at = join(&pointer, "requestBody");
            let (rb, rptr) = self.resolve_component(
                rb,
                &at,
                "requestBodies",
                |c| &c.request_bodies,
                |e| &e.request_bodies,
            )?;
            let contents = self.contents(
                &rb.content,
                &join(&rptr, "content"),
                &format!("{stem}Request"),
            );
            let choice_type =
                (!same_carrier(&contents)).then(|| self.names.claim(&format!("{stem}RequestBody")));
            Some(RequestBody {
                required: rb.required,
                docs: crate::emit::docs::doc_text(None, rb.description.as_deref()),
                contents,
                choice_type,
            })
        });

        let mut responses = Vec::new();
        let mut variants = Namer::new();
        let rptr = join(&pointer, "responses");
        let mut entries: Vec<(Status, &'a ReferenceOr<openapiv3::Response>, String)> = Vec::new();
        for (code, r) in &op.responses.responses {
            let (status, key) = match code {
                StatusCode::Code(c) => (Status::Code(*c), c.to_string()),
                StatusCode::Range(r) => (Status::Range(*r), format!("{r}XX")),
            };
            entries.push((status, r, join(&rptr, &key)));
        }
        if let Some(d) = &op.responses.default {
            entries.push((Status::Default, d, join(&rptr, "default")));
        }
        for (status, r, at) in entries {
            let variant_hint = match status {
                Status::Code(c) => naming::status_name(c),
                Status::Range(r) => match r {
                    1 => "Informational".into(),
                    2 => "Success".into(),
                    3 => "Redirection".into(),
                    4 => "ClientError".into(),
                    5 => "ServerError".into(),
                    n => format!("Status{n}xx"),
                },
                Status::Default => "Default".into(),
            };
            let variant = variants.claim(&variant_hint);
            // A shared response is named after its component, an inline one after the operation.
            let base = match r {
                ReferenceOr::Reference { reference } => {
                    let last = reference
                        .rsplit('/')
                        .next()
                        .map(crate::diag::unescape_token)
                        .unwrap_or_default();
                    match last.parse::<u16>() {
                        Ok(code) => naming::status_name(code),
                        Err(_) => naming::type_name(&last, "Response"),
                    }
                }
                ReferenceOr::Item(_) => format!("{stem}{variant}"),
            };
            let body_name = format!("{base}Body");
            let Some((resp, rp)) =
                self.resolve_component(r, &at, "responses", |c| &c.responses, |e| &e.responses)
            else {
                continue;
            };
            let contents = self.contents(&resp.content, &join(&rp, "content"), &body_name);
            let label = match status {
                Status::Code(c) => c.to_string(),
                Status::Range(x) => format!("{x}XX"),
                Status::Default => "default".into(),
            };
            let headers = self.response_headers(resp, &rp, &id, &label, &base);
            let headers_type =
                (!headers.is_empty()).then(|| self.names.claim(&format!("{stem}{variant}Headers")));
            let choice_type = (!same_carrier(&contents))
                .then(|| self.names.claim(&format!("{stem}{variant}Content")));
            responses.push(Response {
                status,
                variant,
                docs: crate::emit::docs::doc_text(None, Some(&resp.description)),
                contents,
                headers,
                choice_type,
                headers_type,
            });
        }

        let requirements = op.security.as_ref().or(self.doc.security.as_ref());
        let mut security = Security::default();
        if let Some(reqs) = requirements {
            let base = if op.security.is_some() {
                join(&pointer, "security")
            } else {
                "/security".to_string()
            };
            for (i, req) in reqs.iter().enumerate() {
                let mut alt = Vec::new();
                let mut ok = true;
                for (name, scopes) in req {
                    match schemes.iter().position(|s| &s.key == name) {
                        Some(idx) => alt.push(SchemeUse {
                            scheme: idx,
                            scopes: scopes.clone(),
                        }),
                        None => {
                            self.diags.warn(
                                join(&join(&base, &i.to_string()), name),
                                format!("security requirement names `{name}`, which is not a declared security scheme; this alternative is ignored"),
                            );
                            ok = false;
                        }
                    }
                }
                if ok {
                    security.alternatives.push(alt);
                }
            }
        }

        Operation {
            id,
            fn_name,
            type_name: stem,
            response_type,
            params_type,
            method: method.to_string(),
            path: path.to_string(),
            pointer,
            docs,
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            servers,
            params,
            body,
            responses,
            security,
        }
    }

    /// The headers a response declares, for the response `label` (`201`, `4XX`,
    /// `default`) of operation `op_id`. `Content-Type` is ignored (OpenAPI says so);
    /// headers that HTTP cannot carry are left out with a warning.
    fn response_headers(
        &mut self,
        resp: &'a openapiv3::Response,
        rp: &str,
        op_id: &str,
        label: &str,
        base: &str,
    ) -> Vec<ResponseHeader> {
        let mut out: Vec<ResponseHeader> = Vec::new();
        let mut idents = Namer::new();
        for (hname, h) in &resp.headers {
            let hat = join(&join(rp, "headers"), hname);
            let what = format!("response header `{hname}` of `{op_id}` ({label})");
            if hname.eq_ignore_ascii_case("content-type") {
                continue;
            }
            if !is_header_token(hname) {
                self.diags.warn(
                    &hat,
                    format!("{what} is skipped: its name is not a valid HTTP header name"),
                );
                continue;
            }
            if out.iter().any(|o| o.name.eq_ignore_ascii_case(hname)) {
                self.diags.warn(
                    &hat,
                    format!("{what} is skipped: header names ignore case and it is declared twice"),
                );
                continue;
            }
            let Some((h, hptr)) =
                self.resolve_component(h, &hat, "headers", |c| &c.headers, |e| &e.headers)
            else {
                continue;
            };
            // A header defined in components/headers is named after its component.
            let hint = match header_component_name(&hptr) {
                Some(c) => format!("{}Header", naming::type_name(&c, "Header")),
                None => format!("{base}{}Header", naming::type_name(hname, "Header")),
            };
            let hint = vec![hint];
            if h.extensions.contains_key("x-oagen-no-schema") {
                self.diags.warn(
                    &hptr,
                    format!(
                        "{what} declares neither `schema` nor `content`; it is read as a string"
                    ),
                );
            }
            let (mut shape, form) = match &h.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let explode = resolve_pointer(self.raw, &hptr)
                        .and_then(|v| v.get("explode"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    (
                        self.shape_of_ref(s, &join(&hptr, "schema"), &hint).0,
                        HeaderForm::Simple { explode },
                    )
                }
                ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                    Some((media, mt)) => {
                        let form = if MediaKind::of(media) == MediaKind::Json {
                            HeaderForm::Json
                        } else {
                            HeaderForm::Simple { explode: false }
                        };
                        let shape = match &mt.schema {
                            Some(s) => {
                                let sptr = join(&join(&join(&hptr, "content"), media), "schema");
                                self.shape_of_ref(s, &sptr, &hint).0
                            }
                            None if form == HeaderForm::Json => Shape::plain(Ty::Any),
                            None => Shape::plain(Ty::String),
                        };
                        (shape, form)
                    }
                    None => {
                        self.diags.warn(
                            &hptr,
                            format!("{what} has an empty `content`; it is read as text"),
                        );
                        (
                            Shape::plain(Ty::String),
                            HeaderForm::Simple { explode: false },
                        )
                    }
                },
            };
            if matches!(shape.ty, Ty::Null) {
                self.diags.warn(
                    &hptr,
                    format!("{what} is skipped: its schema allows only null, which a header cannot carry"),
                );
                continue;
            }
            // A header is present or absent; it has no null.
            shape.nullable = false;
            if let Some(schema_ptr) = param_schema_pointer(&h.format, &hptr) {
                self.value_examples(h.example.as_ref(), &h.examples, &hptr, &schema_ptr, &shape);
            }
            out.push(ResponseHeader {
                name: hname.clone(),
                ident: idents.claim(&naming::snake_ident(hname, "header")),
                required: h.required,
                shape,
                form,
                docs: crate::emit::docs::doc_text(None, h.description.as_deref()),
                deprecated: h.deprecated.unwrap_or(false),
            });
        }
        out
    }

    fn contents(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        ptr: &str,
        name: &str,
    ) -> Vec<Content> {
        let mut out = Vec::new();
        let mut first = true;
        let mut variants = Namer::new();
        for (media, mt) in content {
            let mptr = join(ptr, media);
            let kind = MediaKind::of(media);
            let variant = variants.claim(&naming::media_variant(media));
            let encoding = mt
                .encoding
                .iter()
                .map(|(name, e)| {
                    let style = match e.style {
                        Some(openapiv3::QueryStyle::DeepObject) => Style::DeepObject,
                        Some(openapiv3::QueryStyle::SpaceDelimited) => Style::SpaceDelimited,
                        Some(openapiv3::QueryStyle::PipeDelimited) => Style::PipeDelimited,
                        Some(openapiv3::QueryStyle::Form) | None => Style::Form,
                    };
                    // The typed document reads an absent `explode` as false;
                    // the spec's default is true for `form`.
                    let explode_ptr = join(&join(&join(&mptr, "encoding"), name), "explode");
                    let explode = match resolve_pointer(self.raw, &explode_ptr) {
                        Some(serde_json::Value::Bool(b)) => *b,
                        _ => style == Style::Form,
                    };
                    Encoding {
                        name: name.clone(),
                        style,
                        explode,
                        content_type: e.content_type.clone(),
                    }
                })
                .collect();
            let candidates = if first {
                vec![name.to_string()]
            } else {
                vec![
                    name.to_string(),
                    format!("{name}{}", naming::type_name(media, "Media")),
                ]
            };
            first = false;
            let shape = mt
                .schema
                .as_ref()
                .map(|s| self.shape_of_ref(s, &join(&mptr, "schema"), &candidates).0);
            // Examples of other media types are in their own encoding (XML, bytes), not JSON.
            if let (Some(shape), true) = (&shape, kind != MediaKind::Binary) {
                let schema_ptr = join(&mptr, "schema");
                self.value_examples(mt.example.as_ref(), &mt.examples, &mptr, &schema_ptr, shape);
            }
            out.push(Content {
                media_type: media.clone(),
                kind,
                shape,
                encoding,
                variant,
            });
        }
        out
    }

    fn param(
        &mut self,
        p: &'a Parameter,
        location: ParamIn,
        ptr: &str,
        stem: &str,
        idents: &mut Namer,
    ) -> Param {
        let d = p.parameter_data_ref();
        let type_hint = format!("{stem}{}", naming::type_name(&d.name, "Param"));
        let shape = self.param_format(&d.format, ptr, &type_hint);
        let style = match p {
            Parameter::Query { style, .. } => match style {
                openapiv3::QueryStyle::Form => Style::Form,
                openapiv3::QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => Style::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => Style::DeepObject,
            },
            Parameter::Path { style, .. } => match style {
                openapiv3::PathStyle::Simple => Style::Simple,
                openapiv3::PathStyle::Label => Style::Label,
                openapiv3::PathStyle::Matrix => Style::Matrix,
            },
            Parameter::Header { .. } => Style::Simple,
            Parameter::Cookie { .. } => Style::Form,
        };
        // `form` explodes unless told otherwise; the other styles do not.
        let default_explode = style == Style::Form;
        if let Some(schema_ptr) = param_schema_pointer(&d.format, ptr) {
            self.value_examples(d.example.as_ref(), &d.examples, ptr, &schema_ptr, &shape);
        }
        Param {
            name: d.name.clone(),
            ident: idents.claim(&naming::snake_ident(&d.name, "param")),
            location,
            required: d.required,
            shape,
            style,
            explode: d.explode.unwrap_or(default_explode),
            docs: crate::emit::docs::doc_text(None, d.description.as_deref()),
            deprecated: d.deprecated.unwrap_or(false),
        }
    }

    fn param_format(
        &mut self,
        format: &'a ParameterSchemaOrContent,
        ptr: &str,
        type_hint: &str,
    ) -> Shape {
        match format {
            ParameterSchemaOrContent::Schema(s) => {
                self.shape_of_ref(s, &join(ptr, "schema"), &[type_hint.to_string()])
                    .0
            }
            ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                Some((media, mt)) => match &mt.schema {
                    Some(s) => {
                        self.shape_of_ref(
                            s,
                            &join(&join(&join(ptr, "content"), media), "schema"),
                            &[type_hint.to_string()],
                        )
                        .0
                    }
                    None => Shape::plain(Ty::String),
                },
                None => Shape::plain(Ty::String),
            },
        }
    }

    /// Resolves a reference to a component of kind `kind` (responses, parameters,
    /// ...), following chains, and returns it with its pointer.
    fn resolve_component<T: DeserializeOwned>(
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
                    let target = local_pointer(reference).map(percent_decode_ptr);
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

    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut out = Vec::new();
        let mut idents = Namer::new();
        let Some(c) = &self.doc.components else {
            return out;
        };
        for (key, s) in &c.security_schemes {
            let at = join("/components/securitySchemes", key);
            let Some((s, _)) = self.resolve_component(
                s,
                &at,
                "securitySchemes",
                |c| &c.security_schemes,
                |e| &e.security_schemes,
            ) else {
                continue;
            };
            let (kind, description) = match s {
                OaScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (
                    SchemeKind::ApiKey {
                        name: name.clone(),
                        location: match location {
                            openapiv3::APIKeyLocation::Query => ParamIn::Query,
                            openapiv3::APIKeyLocation::Header => ParamIn::Header,
                            openapiv3::APIKeyLocation::Cookie => ParamIn::Cookie,
                        },
                    },
                    description,
                ),
                OaScheme::HTTP {
                    scheme,
                    bearer_format,
                    description,
                    ..
                } => (
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => SchemeKind::Bearer {
                            format: bearer_format.clone(),
                        },
                        "basic" => SchemeKind::Basic,
                        _ => SchemeKind::Http {
                            scheme: scheme.clone(),
                        },
                    },
                    description,
                ),
                OaScheme::OAuth2 { description, .. } => (SchemeKind::OAuth2, description),
                OaScheme::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => (
                    SchemeKind::OpenIdConnect {
                        url: open_id_connect_url.clone(),
                    },
                    description,
                ),
            };
            out.push(SecurityScheme {
                key: key.clone(),
                ident: idents.claim(&naming::snake_ident(key, "scheme")),
                docs: crate::emit::docs::doc_text(None, description.as_deref()),
                kind,
            });
        }
        out
    }
}

/// Where the schema of a parameter or header at `ptr` is: `schema`, or the schema
/// of its (first) `content` entry; `None` when it has none.
fn param_schema_pointer(format: &ParameterSchemaOrContent, ptr: &str) -> Option<String> {
    match format {
        ParameterSchemaOrContent::Schema(_) => Some(join(ptr, "schema")),
        ParameterSchemaOrContent::Content(c) => match c.iter().next() {
            Some((media, mt)) if mt.schema.is_some() => {
                Some(join(&join(&join(ptr, "content"), media), "schema"))
            }
            _ => None,
        },
    }
}

struct OpIn<'a> {
    path: &'a str,
    method: &'static str,
    op: &'a openapiv3::Operation,
    item: &'a openapiv3::PathItem,
    pointer: String,
    id: String,
    fn_name: String,
    stem: String,
    response_type: String,
    params_type: String,
}

#[derive(Default)]
struct ObjectAcc<'a> {
    props: IndexMap<String, (&'a ReferenceOr<Box<Schema>>, String)>,
    required: Vec<String>,
    additional: Option<AdditionalAcc<'a>>,
    constraints: Constraints,
    member_examples: Vec<(&'a Schema, String)>,
}

enum AdditionalAcc<'a> {
    Forbidden,
    Any,
    Typed(&'a ReferenceOr<Schema>, String),
}

/// Lets `shape_of_ref` take both `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>`.
trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

/// Whether a schema becomes a named type (struct, enum or union) rather than a shape.
fn needs_def(f: &Facts<'_>, schema: &Schema) -> bool {
    if is_null_only(schema) {
        return false;
    }
    if !f.all_of.is_empty() {
        let own_structure = f.properties.is_some()
            || f.additional.is_some()
            || !f.any_of.is_empty()
            || !f.one_of.is_empty();
        // A single-member allOf is a reference with annotations; the rest merge (into
        // a struct, or into a primitive — the builder decides, a struct is likely).
        return f.all_of.len() > 1 || own_structure;
    }
    if f.properties.is_some() {
        return true;
    }
    if f.one_of.len() > 1 || f.any_of.len() > 1 {
        return true;
    }
    if f.one_of.len() == 1 || f.any_of.len() == 1 {
        return false;
    }
    let values: Vec<&Value> = f.enumeration.iter().filter(|v| !v.is_null()).collect();
    if !values.is_empty() {
        if values.iter().all(|v| v.is_string()) && matches!(f.typ, None | Some("string")) {
            return true;
        }
        if values.iter().all(|v| v.is_i64())
            && matches!(f.typ, None | Some("integer") | Some("number"))
        {
            return true;
        }
    }
    false
}

fn enum_def(values: &[Value], repr: EnumRepr) -> EnumDef {
    let mut idents = Namer::new();
    let mut variants = Vec::new();
    let mut seen = BTreeSet::new();
    for v in values {
        let key = v.to_string();
        if !seen.insert(key) {
            continue;
        }
        let raw = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => match n.as_i64() {
                Some(i) if i < 0 => format!("Minus{}", i.unsigned_abs()),
                _ => n.to_string(),
            },
            other => other.to_string(),
        };
        let mut ident = naming::variant_name(&raw);
        if ident.is_empty() {
            ident = format!("Variant{}", variants.len() + 1);
        }
        variants.push(EnumVariant {
            ident: idents.claim(&ident),
            value: v.clone(),
        });
    }
    let unknown_ident = idents.claim_first(&["Unknown".to_string(), "UnknownValue".to_string()]);
    EnumDef {
        repr,
        variants,
        unknown_ident,
    }
}

fn ty_variant_name(ty: &Ty) -> String {
    match ty {
        Ty::Named(_) => "Named",
        Ty::String => "String",
        Ty::Integer(_) => "Integer",
        Ty::Number(_) => "Number",
        Ty::Boolean => "Boolean",
        Ty::DateTime => "DateTime",
        Ty::Date => "Date",
        Ty::Uuid => "Uuid",
        Ty::Binary => "Binary",
        Ty::Any => "Any",
        Ty::Null => "Null",
        Ty::Array(_) => "Array",
        Ty::Map(_) => "Object",
    }
    .to_string()
}

fn merge_constraints(into: &mut Constraints, from: &Constraints) {
    macro_rules! take {
        ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f.clone(); } )* };
    }
    take!(
        minimum,
        maximum,
        multiple_of,
        min_length,
        max_length,
        pattern,
        min_items,
        max_items,
        min_properties,
        max_properties,
        format
    );
    into.exclusive_minimum |= from.exclusive_minimum;
    into.exclusive_maximum |= from.exclusive_maximum;
    into.unique_items |= from.unique_items;
}

fn server(s: &openapiv3::Server) -> Server {
    Server {
        url: s.url.clone(),
        description: s.description.clone(),
        variables: s
            .variables
            .iter()
            .flatten()
            .map(|(name, v)| ServerVariable {
                name: name.clone(),
                default: v.default.clone(),
                allowed: v.enumeration.clone(),
                description: v.description.clone(),
            })
            .collect(),
    }
}

/// Whether `name` is an HTTP field name (an RFC 9110 token).
fn is_header_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The name of the `components/headers` entry a pointer designates, if it does.
fn header_component_name(ptr: &str) -> Option<String> {
    ptr.strip_prefix("/components/headers/")
        .filter(|n| !n.contains('/'))
        .map(crate::diag::unescape_token)
}

fn param_in(p: &Parameter) -> ParamIn {
    match p {
        Parameter::Query { .. } => ParamIn::Query,
        Parameter::Header { .. } => ParamIn::Header,
        Parameter::Path { .. } => ParamIn::Path,
        Parameter::Cookie { .. } => ParamIn::Cookie,
    }
}

/// `{name}` segments of a path template.
pub fn path_vars(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

/// An operation id for an operation that has none: method and path.
fn synth_operation_id(method: &str, path: &str) -> String {
    let mut s = method.to_string();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        s.push('_');
        if let Some(var) = seg.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            s.push_str("by_");
            s.push_str(var);
        } else {
            s.push_str(seg);
        }
    }
    s
}

/// FastAPI makes operation ids as `<function>_<path>_<method>`; the function name
/// alone reads better and is what the API's authors named the operation.
fn strip_fastapi_suffix(id: &str, method: &str, path: &str) -> String {
    let path_part = naming::snake_ident(path, "");
    let suffix = format!("_{}_{}", path_part.trim_start_matches("r#"), method);
    match id.strip_suffix(&suffix) {
        Some(stem) if !stem.is_empty() && !path_part.is_empty() => stem.to_string(),
        _ => id.to_string(),
    }
}

fn percent_decode_ptr(p: &str) -> String {
    if p.contains('%') {
        // Reuse the loader's resolver semantics: decode %XX escapes.
        let mut out = Vec::new();
        let b = p.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && i + 2 < b.len() {
                let hex = |x: u8| (x as char).to_digit(16);
                if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8(out).unwrap_or_else(|_| p.to_string())
    } else {
        p.to_string()
    }
}

/// Marks the fields and variants that must be boxed: those whose type contains
/// the owner by value (through fields, variants and aliases, not through Vec or map).
fn mark_boxes(api: &mut Api) {
    let n = api.types.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, t) in api.types.iter().enumerate() {
        let mut add = |s: &Shape| {
            if let Ty::Named(id) = s.ty {
                edges[i].push(id.0);
            }
        };
        match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| add(&f.shape)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| add(&v.shape)),
            TypeKind::Alias(s) => add(s),
            TypeKind::Enum(_) => {}
        }
    }
    let scc = tarjan(&edges);
    for i in 0..n {
        let comp = scc[i];
        let same = |s: &Shape| matches!(s.ty, Ty::Named(id) if scc[id.0] == comp);
        match &mut api.types[i].kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = same(&f.shape);
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = same(&v.shape);
                }
            }
            _ => {}
        }
    }
}

/// Strongly connected components (iterative Tarjan); returns each node's component,
/// and gives a node that is alone and has no self-edge a component of its own.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let members: Vec<usize> = {
                        let mut m = Vec::new();
                        while let Some(w) = stack.pop() {
                            on_stack[w] = false;
                            m.push(w);
                            if w == v {
                                break;
                            }
                        }
                        m
                    };
                    let cyclic = members.len() > 1 || edges[v].contains(&v);
                    for w in members {
                        comp[w] = if cyclic { next_comp } else { usize::MAX - w };
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

/// A schema's property names, in order (empty for a schema without properties).
fn property_names(schema: &Schema) -> Vec<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.properties.keys().map(String::as_str).collect(),
        SchemaKind::Any(a) => a.properties.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

/// What two schemas share when one is the other's nullable twin: the schema
/// without its nullability and its text.
fn twin_key(schema: &Schema) -> String {
    let mut s = schema.clone();
    let data = &mut s.schema_data;
    data.nullable = false;
    data.title = None;
    data.description = None;
    data.example = None;
    data.external_docs = None;
    data.extensions.shift_remove("x-oagen-examples");
    serde_json::to_string(&s).unwrap_or_default()
}
