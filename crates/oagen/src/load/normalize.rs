//! Normalises a parsed document into the shape `openapiv3` (OpenAPI 3.0) models.
//!
//! OpenAPI 3.1 schemas are JSON Schema 2020-12; 3.0 schemas are a dialect of draft 5.
//! Everything 3.1 adds that has a 3.0 equivalent is rewritten into it here, on the
//! `serde_json::Value`, before `openapiv3` sees it. Real-world habits that break the
//! 3.0 model (a 3.1 construct in a 3.0 file, `required: true` on a property) are
//! mended too, with a warning. Information with no 3.0 equivalent is kept in
//! `x-oagen-*` extensions where the model needs it. Path items that are references are
//! inlined first (`paths.rs`), mutualTLS schemes taken out of the HTTP security
//! requirements (`security.rs`), and numeric keywords made fit for their Rust type
//! (`numbers.rs`).

use serde_json::{Map, Value};

use crate::diag::{join, Diagnostics};

/// Which dialect the document declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0.x.
    V30,
    /// OpenAPI 3.1.x.
    V31,
    /// OpenAPI 3.2.x (its schemas are 3.1's; `v32.rs` brings the rest to 3.1's shape first).
    V32,
}

/// Rewrites `doc` in place. Warnings go to `diags`.
pub fn normalize(doc: &mut Value, dialect: Dialect, diags: &mut Diagnostics) {
    super::paths::inline_refs(doc, diags);
    super::callbacks::inline_refs(doc, diags);
    // Before the schemas are normalised: JSON `data` of server-sent events.
    super::event_data::mark(doc);
    super::security::normalize(doc, diags);
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    // Path items referred to are inlined (above); the section has no 3.0 form.
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        components.shift_remove("pathItems");
    }
    if dialect != Dialect::V30 {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        root.shift_remove("jsonSchemaDialect");
        if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
            if let Some(summary) = info.shift_remove("summary") {
                info.insert("x-summary".into(), summary);
            }
            if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
                if let Some(id) = license.shift_remove("identifier") {
                    license.insert("x-identifier".into(), id);
                }
            }
        }
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    let cx = Cx { dialect };
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            cx.path_item(item, &join("/paths", path), diags);
        }
    }
    // Webhooks (3.1) are path items too: normalised the same way (see `hooks.rs`).
    if let Some(hooks) = root.get_mut("webhooks").and_then(Value::as_object_mut) {
        for (name, item) in hooks.iter_mut() {
            cx.path_item(item, &join("/webhooks", name), diags);
        }
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        // Callbacks referred to are inlined (`callbacks.rs`).
        components.shift_remove("callbacks");
        for (kind, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            let base = join("/components", kind);
            for (name, entry) in entries.iter_mut() {
                let ptr = join(&base, name);
                match kind.as_str() {
                    "schemas" => cx.schema(entry, &ptr, diags),
                    "parameters" => cx.parameter(entry, &ptr, diags),
                    "headers" => cx.header(entry, &ptr, diags),
                    "requestBodies" => cx.content_holder(entry, &ptr, diags),
                    "responses" => cx.response(entry, &ptr, diags),
                    _ => {}
                }
            }
        }
    }
    super::callbacks::check(doc, diags);
}

struct Cx {
    dialect: Dialect,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Cx {
    fn path_item(&self, item: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        let Some(obj) = item.as_object_mut() else {
            return;
        };
        if let Some(params) = obj.get_mut("parameters").and_then(Value::as_array_mut) {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &join(&join(ptr, "parameters"), &i.to_string()), diags);
            }
        }
        for m in METHODS {
            if let Some(op) = obj.get_mut(m) {
                self.operation(op, &join(ptr, m), diags);
            }
        }
        if let Some(extra) = obj
            .get_mut(super::v32::EXTRA_OPERATIONS)
            .and_then(Value::as_object_mut)
        {
            for (m, op) in extra.iter_mut() {
                let at = super::v32::extra_pointer(ptr, m, &m.to_ascii_uppercase());
                self.operation(op, &at, diags);
            }
        }
    }

    fn operation(&self, op: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        let Some(obj) = op.as_object_mut() else {
            return;
        };
        if let Some(params) = obj.get_mut("parameters").and_then(Value::as_array_mut) {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &join(&join(ptr, "parameters"), &i.to_string()), diags);
            }
        }
        if let Some(body) = obj.get_mut("requestBody") {
            self.content_holder(body, &join(ptr, "requestBody"), diags);
        }
        // 3.1 makes `responses` optional. An operation that declares none (no
        // `responses`, or none in it) may answer anything: a `default` response
        // without content, marked `x-oagen-no-responses`.
        let declares_none = match obj.get("responses") {
            None | Some(Value::Null) => true,
            Some(Value::Object(r)) => r.keys().all(|k| k.starts_with("x-")),
            Some(_) => false,
        };
        if declares_none {
            let responses = obj
                .entry("responses")
                .or_insert_with(|| Value::Object(Map::new()));
            if !responses.is_object() {
                *responses = Value::Object(Map::new());
            }
            if let Some(r) = responses.as_object_mut() {
                let mut default = Map::new();
                default.insert("description".into(), Value::String(String::new()));
                r.insert("default".into(), Value::Object(default));
            }
            obj.insert("x-oagen-no-responses".into(), Value::Bool(true));
        }
        if let Some(responses) = obj.get_mut("responses").and_then(Value::as_object_mut) {
            for (code, r) in responses.iter_mut() {
                self.response(r, &join(&join(ptr, "responses"), code), diags);
            }
        }
        // An operation of a path keeps its callbacks (references inlined by
        // `callbacks.rs`), each path item normalised like a path's; elsewhere
        // they are dropped, so that their path items cannot break loading.
        if super::callbacks::keeps_callbacks(ptr) {
            if let Some(callbacks) = obj.get_mut("callbacks").and_then(Value::as_object_mut) {
                let at = join(ptr, "callbacks");
                for (name, cb) in callbacks.iter_mut() {
                    let cb_ptr = join(&at, name);
                    for (expr, item) in cb.as_object_mut().into_iter().flatten() {
                        self.path_item(item, &join(&cb_ptr, expr), diags);
                    }
                }
            }
        } else if obj
            .shift_remove("callbacks")
            .is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()))
        {
            diags.warn(
                join(ptr, "callbacks"),
                "callbacks are generated only for the operations of `paths`; these are left out",
            );
        }
    }

    fn response(&self, r: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        // `description` is required on a response, but often missing in practice.
        if let Some(obj) = r.as_object_mut() {
            if !obj.contains_key("$ref") && !obj.get("description").is_some_and(Value::is_string) {
                obj.insert("description".into(), Value::String(String::new()));
            }
        }
        self.content_holder(r, ptr, diags);
        if let Some(headers) = r.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, h) in headers.iter_mut() {
                self.header(h, &join(&join(ptr, "headers"), name), diags);
            }
        }
    }

    fn parameter(&self, p: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        if let Some(s) = p.get_mut("schema") {
            self.schema(s, &join(ptr, "schema"), diags);
        }
        self.content_holder(p, ptr, diags);
    }

    /// A header object: normalised as a parameter. One that declares neither
    /// `schema` nor `content` (which cannot be read as a header object) gets
    /// `schema: {type: string}` and the mark `x-oagen-no-schema`, so that the model
    /// can say so where it is used.
    fn header(&self, h: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        self.parameter(h, ptr, diags);
        if let Some(obj) = h.as_object_mut() {
            if !["$ref", "schema", "content"]
                .iter()
                .any(|k| obj.contains_key(*k))
            {
                let mut schema = Map::new();
                schema.insert("type".into(), Value::String("string".into()));
                obj.insert("schema".into(), Value::Object(schema));
                obj.insert("x-oagen-no-schema".into(), Value::Bool(true));
            }
        }
    }

    fn content_holder(&self, holder: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        let base = join(ptr, "content");
        for (media, mt) in content.iter_mut() {
            let mptr = join(&base, media);
            // `itemSchema` (3.2): the schema of each item of a sequential media type.
            for key in ["schema", "itemSchema"] {
                if let Some(s) = mt.get_mut(key) {
                    self.schema(s, &join(&mptr, key), diags);
                }
            }
            if let Some(enc) = mt.get_mut("encoding").and_then(Value::as_object_mut) {
                for (name, e) in enc.iter_mut() {
                    if let Some(headers) = e.get_mut("headers").and_then(Value::as_object_mut) {
                        for (h, hv) in headers.iter_mut() {
                            let hp =
                                join(&join(&join(&join(&mptr, "encoding"), name), "headers"), h);
                            self.parameter(hv, &hp, diags);
                        }
                    }
                }
            }
        }
    }

    /// Normalises one schema and, recursively, every schema inside it.
    fn schema(&self, s: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        // JSON Schema booleans: `true` is any value, `false` no value.
        if let Value::Bool(b) = s {
            let mut m = Map::new();
            if !*b {
                m.insert("not".into(), Value::Object(Map::new()));
            }
            *s = Value::Object(m);
            return;
        }
        let Some(obj) = s.as_object_mut() else { return };

        // `$ref` with siblings: in 3.1 the siblings apply, so wrap the reference.
        if obj.contains_key("$ref") && obj.len() > 1 {
            if self.dialect != Dialect::V30 {
                if let Some(r) = obj.shift_remove("$ref") {
                    let mut member = Map::new();
                    member.insert("$ref".into(), r);
                    let all_of = obj
                        .entry("allOf")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Some(arr) = all_of.as_array_mut() {
                        arr.insert(0, Value::Object(member));
                    }
                }
            } else {
                obj.retain(|k, _| k == "$ref");
            }
        }
        if obj.contains_key("$ref") {
            return;
        }
        super::keywords::check(obj, ptr, diags);
        super::keywords::rewrite(obj, ptr, diags);

        // Recurse first, so that members are already normalised when inspected.
        for key in [
            "properties",
            "patternProperties",
            "$defs",
            "definitions",
            "dependentSchemas",
        ] {
            if let Some(props) = obj.get_mut(key).and_then(Value::as_object_mut) {
                let base = join(ptr, key);
                for (name, p) in props.iter_mut() {
                    self.schema(p, &join(&base, name), diags);
                }
            }
        }
        for &key in super::json_schema::SINGLE {
            if let Some(v) = obj.get_mut(key) {
                // `items: [..]` is handled below; boolean `additionalProperties` is native to 3.0.
                if (key == "items" && v.is_array())
                    || (key == "additionalProperties" && v.is_boolean())
                {
                    continue;
                }
                self.schema(v, &join(ptr, key), diags);
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(arr) = obj.get_mut(key).and_then(Value::as_array_mut) {
                let base = join(ptr, key);
                for (i, m) in arr.iter_mut().enumerate() {
                    self.schema(m, &join(&base, &i.to_string()), diags);
                }
            }
        }

        // Tuple forms: `items: [..]` (draft 4) and `prefixItems` become a union item type.
        if let Some(Value::Array(arr)) = obj.get("items") {
            let mut arr = arr.clone();
            for (i, m) in arr.iter_mut().enumerate() {
                self.schema(m, &join(&join(ptr, "items"), &i.to_string()), diags);
            }
            obj.insert("items".into(), tuple_items(arr));
            diags.warn(join(ptr, "items"), "tuple `items` is approximated by an array whose items are any of the listed schemas");
        }
        if let Some(Value::Array(arr)) = obj.shift_remove("prefixItems") {
            if !obj.contains_key("items") || obj.get("items") == Some(&Value::Bool(false)) {
                obj.insert("items".into(), tuple_items(arr.clone()));
            }
            // A tuple (`keywords.rs`) keeps its exact form for the JSON Schema view.
            if obj.contains_key("x-oagen-tuple") {
                obj.insert("prefixItems".into(), Value::Array(arr));
            } else {
                diags.warn(join(ptr, "prefixItems"), "`prefixItems` (a tuple) is approximated by an array whose items are any of the listed schemas");
            }
        }
        if obj.get("items").is_some_and(|v| {
            v.as_object()
                .is_some_and(|m| m.contains_key("not") && m.len() == 1)
        }) {
            obj.shift_remove("items");
        }

        // `const` is a one-value enum.
        if let Some(c) = obj.shift_remove("const") {
            obj.insert("enum".into(), Value::Array(vec![c]));
        }
        // Numeric exclusive bounds (3.1) become the 3.0 boolean form.
        for (excl, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(Value::Number(n)) = obj.get(excl).cloned() {
                obj.insert(bound.into(), Value::Number(n));
                obj.insert(excl.into(), Value::Bool(true));
            }
        }
        // `examples: [..]` in a schema: the first becomes `example`, all are kept.
        if let Some(Value::Array(list)) = obj.shift_remove("examples") {
            if !obj.contains_key("example") {
                if let Some(first) = list.first() {
                    obj.insert("example".into(), first.clone());
                }
            }
            obj.insert("x-oagen-examples".into(), Value::Array(list));
        }
        // Swagger habit: `required: true` on a property schema.
        if let Some(req) = obj.get("required") {
            if !req.is_array() {
                obj.shift_remove("required");
                diags.warn(
                    join(ptr, "required"),
                    "`required` must be a list of property names; this value was ignored",
                );
            }
        }
        // Keywords of the wrong JSON type (e.g. `pattern: 0`): dropped, with a warning.
        let wrong: Vec<String> = obj
            .iter()
            .filter(|(k, v)| match k.as_str() {
                "pattern" | "format" | "title" | "description" => !v.is_string(),
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
                | "maxProperties" => !v.is_u64(),
                "minimum" | "maximum" | "multipleOf" => !v.is_number(),
                "uniqueItems" | "readOnly" | "writeOnly" | "deprecated" => !v.is_boolean(),
                _ => false,
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in wrong {
            if let Some(v) = obj.shift_remove(&k) {
                diags.warn(
                    join(ptr, &k),
                    format!("`{k}` has a value of the wrong type ({v}); it was ignored"),
                );
            }
        }
        // `nullable` with a non-boolean value.
        if obj.get("nullable").is_some_and(|v| !v.is_boolean()) {
            obj.shift_remove("nullable");
        }

        // Type arrays.
        match obj.get("type").cloned() {
            Some(Value::Array(types)) => {
                let mut names: Vec<String> = types
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect();
                names.dedup();
                let had_null = names.iter().any(|t| t == "null");
                names.retain(|t| t != "null");
                if had_null {
                    obj.insert("nullable".into(), Value::Bool(true));
                }
                match names.len() {
                    0 => {
                        obj.shift_remove("type");
                        if had_null {
                            obj.insert("x-oagen-null".into(), Value::Bool(true));
                        }
                    }
                    1 => {
                        obj.insert("type".into(), Value::String(names.remove(0)));
                    }
                    _ => split_types(obj, &names),
                }
            }
            Some(Value::String(t)) if t == "null" => {
                obj.shift_remove("type");
                obj.insert("nullable".into(), Value::Bool(true));
                obj.insert("x-oagen-null".into(), Value::Bool(true));
            }
            Some(Value::String(_)) | None => {}
            Some(_) => {
                obj.shift_remove("type");
                diags.warn(
                    join(ptr, "type"),
                    "`type` must be a string or a list of strings; it was ignored",
                );
            }
        }
        // An `enum` that lists null implies nullable.
        if let Some(Value::Array(values)) = obj.get("enum") {
            if values.iter().any(Value::is_null) {
                obj.insert("nullable".into(), Value::Bool(true));
            }
        }

        // anyOf / oneOf with a `{type: 'null'}` member: nullable.
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = obj.get(key) else {
                continue;
            };
            if !members.iter().any(is_null_schema) {
                continue;
            }
            let mut rest: Vec<Value> = members
                .iter()
                .filter(|m| !is_null_schema(m))
                .cloned()
                .collect();
            obj.insert("nullable".into(), Value::Bool(true));
            match rest.len() {
                0 => {
                    obj.shift_remove(key);
                    obj.insert("x-oagen-null".into(), Value::Bool(true));
                }
                1 => {
                    obj.shift_remove(key);
                    let only = rest.remove(0);
                    merge_single(obj, only);
                }
                _ => {
                    obj.insert(key.into(), Value::Array(rest));
                }
            }
        }
        // Numeric keywords, here and in the members `type: [..]` split into.
        super::numbers::fix(obj, ptr, diags);
        if let Some(Value::Array(members)) = obj.get_mut("anyOf") {
            let base = join(ptr, "anyOf");
            for (i, m) in members.iter_mut().enumerate() {
                if let Some(m) = m.as_object_mut() {
                    super::numbers::fix(m, &join(&base, &i.to_string()), diags);
                }
            }
        }
    }
}

/// A schema that only admits null.
fn is_null_schema(v: &Value) -> bool {
    let Some(m) = v.as_object() else { return false };
    m.get("x-oagen-null") == Some(&Value::Bool(true))
        || m.get("type").and_then(Value::as_str) == Some("null")
        || m.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1 && e[0].is_null())
}

/// Folds the single non-null member of an `anyOf`/`oneOf` into its parent.
fn merge_single(parent: &mut Map<String, Value>, member: Value) {
    match member {
        Value::Object(m) if m.contains_key("$ref") => {
            let all_of = parent
                .entry("allOf")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(arr) = all_of.as_array_mut() {
                arr.insert(0, Value::Object(m));
            }
        }
        Value::Object(m) => {
            for (k, v) in m {
                // The parent's annotations (title, description, default) win.
                if !parent.contains_key(&k) {
                    parent.insert(k, v);
                } else if k == "nullable" {
                    // already true
                }
            }
        }
        _ => {}
    }
}

fn tuple_items(arr: Vec<Value>) -> Value {
    let mut m = Map::new();
    match arr.len() {
        0 => {}
        1 => return arr.into_iter().next().unwrap_or(Value::Object(Map::new())),
        _ => {
            m.insert("anyOf".into(), Value::Array(arr));
        }
    }
    Value::Object(m)
}

/// Keywords that only apply to one JSON type.
fn keyword_type(k: &str) -> Option<&'static str> {
    Some(match k {
        "minLength" | "maxLength" | "pattern" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" => "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            "object"
        }
        _ => return None,
    })
}

/// `type: [a, b]`: one `anyOf` member per type, each with the keywords that apply to it.
fn split_types(obj: &mut Map<String, Value>, names: &[String]) {
    obj.shift_remove("type");
    let mut members = Vec::new();
    for t in names {
        let mut m = Map::new();
        m.insert("type".into(), Value::String(t.clone()));
        let family = if t == "integer" { "number" } else { t.as_str() };
        for (k, v) in obj.iter() {
            if keyword_type(k) == Some(family) {
                m.insert(k.clone(), v.clone());
            }
        }
        if t == "string" || t == "integer" || t == "number" {
            if let Some(f) = obj.get("format") {
                m.insert("format".into(), f.clone());
            }
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            let fits: Vec<Value> = values
                .iter()
                .filter(|v| match t.as_str() {
                    "string" => v.is_string(),
                    "integer" => v.is_i64() || v.is_u64(),
                    "number" => v.is_number(),
                    "boolean" => v.is_boolean(),
                    _ => false,
                })
                .cloned()
                .collect();
            if !fits.is_empty() {
                m.insert("enum".into(), Value::Array(fits));
            }
        }
        members.push(Value::Object(m));
    }
    obj.retain(|k, _| keyword_type(k).is_none() && k != "format" && k != "enum");
    obj.insert("anyOf".into(), Value::Array(members));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn norm(v: Value) -> Value {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": v}}});
        let mut d = Diagnostics::new(Path::new("t.yaml"));
        normalize(&mut doc, Dialect::V31, &mut d);
        doc["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn type_array_with_null() {
        assert_eq!(
            norm(json!({"type": ["integer", "null"]})),
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn any_of_null_ref() {
        let v = norm(json!({"anyOf": [{"$ref": "#/x"}, {"type": "null"}], "title": "T"}));
        assert_eq!(
            v,
            json!({"allOf": [{"$ref": "#/x"}], "title": "T", "nullable": true})
        );
    }

    #[test]
    fn any_of_null_inline() {
        let v = norm(
            json!({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}], "title": "C"}),
        );
        assert_eq!(
            v,
            json!({"type": "string", "format": "date-time", "title": "C", "nullable": true})
        );
    }

    #[test]
    fn const_and_bounds_and_examples() {
        let v =
            norm(json!({"type": "number", "exclusiveMinimum": 0, "const": 3, "examples": [1, 2]}));
        assert_eq!(
            v,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "x-oagen-const": true, "enum": [3], "example": 1, "x-oagen-examples": [1, 2]})
        );
    }

    #[test]
    fn multi_type_splits() {
        let v = norm(json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1}));
        assert_eq!(
            v,
            json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}]})
        );
    }

    #[test]
    fn ref_siblings_wrapped_in_31_only() {
        let v = norm(json!({"$ref": "#/a", "description": "d"}));
        assert_eq!(v, json!({"allOf": [{"$ref": "#/a"}], "description": "d"}));
    }
}
