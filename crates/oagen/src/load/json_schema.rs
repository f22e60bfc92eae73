//! The normalised document seen as one JSON Schema 2020-12 resource, so that an
//! independent validator can judge a value against any schema of the spec by its
//! pointer (`cargo xtask corpus --compile` does this for the spec's examples).
//!
//! The normalised document is OpenAPI 3.0 in shape (see [`super::normalize`]); its
//! schemas differ from JSON Schema 2020-12 in a few keywords, rewritten here:
//!
//! - `nullable: true` admits null: `type: T` becomes `type: [T, "null"]`, an `enum`
//!   gains `null`, and a schema whose applicators (`$ref`, `allOf`, `anyOf`, `oneOf`,
//!   `not`, `if`) would still reject null is wrapped: `{anyOf: [{type: null}, S]}`.
//!   `x-oagen-null` (a schema that admits only null) becomes `type: "null"`.
//! - boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric form.
//! - `$schema` and `$id` are dropped: every schema is 2020-12, and every `$ref` is
//!   resolved against the document, as oagen resolves it.
//! - a schema without `type` (and without `$ref`, a combinator, `enum` or `const`)
//!   that has `properties` or `additionalProperties` gets `type: object`, one with
//!   `items` `type: array`: oagen generates a struct (an array) for it, as most
//!   OpenAPI tools read it, where plain JSON Schema would accept any other value.
//!
//! - `x-oagen-bytes` (`contentEncoding: base64`) sets `format` to [`BASE64_FORMAT`].
//!
//! Everything else (`format`, `discriminator`, `example`, `readOnly`, extensions) is
//! left as it is; 2020-12 treats these as annotations.
//!
//! Wrapping moves a schema's contents one level down (`P/x` becomes
//! `P/anyOf/1/x`); [`JsonSchemaDoc::pointer`] maps a pointer of the normalised
//! document to the converted one, and every `$ref` is rewritten with it.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::diag::{join, unescape_token};

use super::{local_pointer, percent_decode};

/// The converted document and the pointer map.
#[derive(Debug, Clone)]
pub struct JsonSchemaDoc {
    /// The document: the normalised one with every schema in it converted.
    pub root: Value,
    /// Pointers (of the normalised document) of the schemas that were wrapped.
    wrapped: BTreeSet<String>,
}

impl JsonSchemaDoc {
    /// The pointer in [`JsonSchemaDoc::root`] of what is at `normalised` (a JSON
    /// pointer, not percent-encoded) in the normalised document.
    pub fn pointer(&self, normalised: &str) -> String {
        map_pointer(&self.wrapped, normalised)
    }

    /// A URI fragment (`#/...`, percent-encoded) naming the schema at `normalised`.
    pub fn fragment(&self, normalised: &str) -> String {
        format!("#{}", encode_fragment(&self.pointer(normalised)))
    }
}

/// Converts the normalised document `doc` (see the module documentation).
pub fn to_json_schema(doc: &Value) -> JsonSchemaDoc {
    let roots = schema_roots(doc);
    let mut wrapped = BTreeSet::new();
    for r in &roots {
        if let Some(v) = pointer_get(doc, r) {
            visit(v, r, &mut |s, p| {
                if needs_wrap(s) {
                    wrapped.insert(p.to_string());
                }
            });
        }
    }
    let mut root = doc.clone();
    let cx = Cx { doc, wrapped };
    for r in &roots {
        if let (Some(from), Some(to)) = (pointer_get(doc, r), pointer_get_mut(&mut root, r)) {
            *to = cx.convert(from, r);
        }
    }
    JsonSchemaDoc {
        root,
        wrapped: cx.wrapped,
    }
}

struct Cx<'a> {
    doc: &'a Value,
    wrapped: BTreeSet<String>,
}

impl Cx<'_> {
    /// The converted schema `v`, found at `ptr` in the normalised document.
    fn convert(&self, v: &Value, ptr: &str) -> Value {
        let Some(obj) = v.as_object() else {
            return v.clone();
        };
        let mut out = Map::new();
        for (k, val) in obj {
            let at = join(ptr, k);
            let converted = match k.as_str() {
                "$ref" => match val.as_str() {
                    Some(r) => Value::String(self.reference(r)),
                    None => val.clone(),
                },
                "$schema" | "$id" | "nullable" | "x-oagen-null" => continue,
                "properties" | "patternProperties" | "$defs" | "definitions"
                | "dependentSchemas" => match val.as_object() {
                    Some(m) => Value::Object(
                        m.iter()
                            .map(|(name, s)| (name.clone(), self.convert(s, &join(&at, name))))
                            .collect(),
                    ),
                    None => val.clone(),
                },
                "allOf" | "anyOf" | "oneOf" | "prefixItems" | "items" if val.is_array() => {
                    Value::Array(
                        val.as_array()
                            .into_iter()
                            .flatten()
                            .enumerate()
                            .map(|(i, s)| self.convert(s, &join(&at, &i.to_string())))
                            .collect(),
                    )
                }
                k if SINGLE.contains(&k) => self.convert(val, &at),
                _ => val.clone(),
            };
            out.insert(k.clone(), converted);
        }
        for (excl, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(Value::Bool(b)) = out.get(excl) {
                let b = *b;
                out.shift_remove(excl);
                if b {
                    if let Some(n) = out.shift_remove(bound) {
                        out.insert(excl.into(), n);
                    }
                }
            }
        }
        // A schema without `type` that lists properties (or items) is an object
        // (an array) for oagen, as for most OpenAPI tools; JSON Schema would let
        // any other kind of value through, which no generated type can hold.
        let composed = ["$ref", "allOf", "anyOf", "oneOf", "not", "enum", "const"]
            .iter()
            .any(|k| obj.contains_key(*k));
        if !obj.contains_key("type") && !composed {
            if obj.contains_key("properties") || obj.contains_key("additionalProperties") {
                out.insert("type".into(), Value::String("object".into()));
            } else if obj.contains_key("items") {
                out.insert("type".into(), Value::String("array".into()));
            }
        }
        if obj.get("x-oagen-null") == Some(&Value::Bool(true)) && !obj.contains_key("type") {
            out.insert("type".into(), Value::String("null".into()));
        }
        // Base64 bytes decide the Rust type, as `date` does: a format to assert.
        if obj.get("x-oagen-bytes") == Some(&Value::Bool(true)) {
            out.insert("format".into(), Value::String(BASE64_FORMAT.into()));
        }
        if obj.get("nullable") != Some(&Value::Bool(true)) {
            return Value::Object(out);
        }
        if self.wrapped.contains(ptr) {
            let mut null = Map::new();
            null.insert("type".into(), Value::String("null".into()));
            let mut wrapper = Map::new();
            wrapper.insert(
                "anyOf".into(),
                Value::Array(vec![Value::Object(null), Value::Object(out)]),
            );
            return Value::Object(wrapper);
        }
        match out.get_mut("type") {
            Some(Value::String(t)) if t != "null" => {
                let t = std::mem::take(t);
                out.insert(
                    "type".into(),
                    Value::Array(vec![Value::String(t), Value::String("null".into())]),
                );
            }
            Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => {
                types.push(Value::String("null".into()));
            }
            _ => {}
        }
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            if !values.iter().any(Value::is_null) {
                values.push(Value::Null);
            }
        }
        Value::Object(out)
    }

    /// A `$ref` value rewritten for the converted document.
    fn reference(&self, r: &str) -> String {
        let Some(fragment) = local_pointer(r) else {
            return r.to_string();
        };
        let decoded = percent_decode(fragment);
        let literal = literal_pointer(self.doc, &decoded).unwrap_or(decoded);
        let mapped = map_pointer(&self.wrapped, &literal);
        if mapped == percent_decode(fragment) {
            return r.to_string();
        }
        format!("#{}", encode_fragment(&mapped))
    }
}

/// The `format` given to strings the model reads as base64 bytes
/// (`x-oagen-bytes`): 2020-12 makes `contentEncoding` an annotation, but the
/// generated type decodes only base64, so a judge asserts it ([`is_base64`]).
pub const BASE64_FORMAT: &str = "x-oagen-base64";

/// Whether `text` is what [`BASE64_FORMAT`] admits: base64 the generated
/// `runtime::Base64` decodes.
pub fn is_base64(text: &str) -> bool {
    oagen_runtime::Base64::decode(text).is_some()
}

/// Keywords whose value is one schema.
pub(crate) const SINGLE: &[&str] = &[
    "additionalProperties",
    "not",
    "items",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "contentSchema",
];

/// Applicators that may reject null whatever `type` says.
const APPLICATORS: &[&str] = &["$ref", "allOf", "anyOf", "oneOf", "not", "if"];

/// Whether a nullable schema must be wrapped to admit null.
fn needs_wrap(s: &Value) -> bool {
    let Some(obj) = s.as_object() else {
        return false;
    };
    obj.get("nullable") == Some(&Value::Bool(true))
        && obj.get("x-oagen-null") != Some(&Value::Bool(true))
        && APPLICATORS.iter().any(|k| obj.contains_key(*k))
}

/// Calls `f` on the schema `v` at `ptr` and on every schema inside it.
fn visit(v: &Value, ptr: &str, f: &mut impl FnMut(&Value, &str)) {
    let Some(obj) = v.as_object() else { return };
    f(v, ptr);
    for (k, val) in obj {
        let at = join(ptr, k);
        match k.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                for (name, s) in val.as_object().into_iter().flatten() {
                    visit(s, &join(&at, name), f);
                }
            }
            "allOf" | "anyOf" | "oneOf" | "prefixItems" | "items" if val.is_array() => {
                for (i, s) in val.as_array().into_iter().flatten().enumerate() {
                    visit(s, &join(&at, &i.to_string()), f);
                }
            }
            k if SINGLE.contains(&k) => visit(val, &at, f),
            _ => {}
        }
    }
}

/// The pointers of the outermost schemas of the document: those of components,
/// parameters, headers and media types, then any other place a `$ref` names.
fn schema_roots(doc: &Value) -> Vec<String> {
    let mut roots = Vec::new();
    let param = |p: &Value, ptr: &str, roots: &mut Vec<String>| {
        if p.get("schema").is_some() {
            roots.push(join(ptr, "schema"));
        }
        content_roots(p, ptr, roots);
    };
    if let Some(c) = doc.get("components").and_then(Value::as_object) {
        for (kind, entries) in c {
            let base = join("/components", kind);
            for (name, e) in entries.as_object().into_iter().flatten() {
                let ptr = join(&base, name);
                match kind.as_str() {
                    "schemas" => roots.push(ptr),
                    "parameters" | "headers" => param(e, &ptr, &mut roots),
                    "requestBodies" => content_roots(e, &ptr, &mut roots),
                    "responses" => response_roots(e, &ptr, &mut roots),
                    _ => {}
                }
            }
        }
    }
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let item_ptr = join("/paths", path);
        let params = |holder: &Value, ptr: &str, roots: &mut Vec<String>| {
            for (i, p) in holder
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                param(p, &join(&join(ptr, "parameters"), &i.to_string()), roots);
            }
        };
        params(item, &item_ptr, &mut roots);
        for m in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(op) = item.get(m) else { continue };
            let op_ptr = join(&item_ptr, m);
            params(op, &op_ptr, &mut roots);
            if let Some(b) = op.get("requestBody") {
                content_roots(b, &join(&op_ptr, "requestBody"), &mut roots);
            }
            for (code, r) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                response_roots(r, &join(&join(&op_ptr, "responses"), code), &mut roots);
            }
        }
    }
    // Schemas that a `$ref` names elsewhere, until no new one turns up.
    let mut next = 0;
    while next < roots.len() {
        let mut targets = Vec::new();
        if let Some(v) = pointer_get(doc, &roots[next]) {
            visit(v, &roots[next], &mut |s, _| {
                if let Some(t) = s
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(local_pointer)
                {
                    targets.push(literal_pointer(doc, &percent_decode(t)));
                }
            });
        }
        for t in targets.into_iter().flatten() {
            let overlaps = roots.iter().any(|r| within(&t, r) || within(r, &t));
            if !overlaps && pointer_get(doc, &t).is_some_and(Value::is_object) {
                roots.push(t);
            }
        }
        next += 1;
    }
    roots
}

fn content_roots(holder: &Value, ptr: &str, roots: &mut Vec<String>) {
    let base = join(ptr, "content");
    for (media, mt) in holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let mptr = join(&base, media);
        if mt.get("schema").is_some() {
            roots.push(join(&mptr, "schema"));
        }
        for (name, e) in mt
            .get("encoding")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (h, hv) in e
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let hptr = join(&join(&join(&join(&mptr, "encoding"), name), "headers"), h);
                if hv.get("schema").is_some() {
                    roots.push(join(&hptr, "schema"));
                }
            }
        }
    }
}

fn response_roots(r: &Value, ptr: &str, roots: &mut Vec<String>) {
    content_roots(r, ptr, roots);
    for (name, h) in r
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let hptr = join(&join(ptr, "headers"), name);
        if h.get("schema").is_some() {
            roots.push(join(&hptr, "schema"));
        }
        content_roots(h, &hptr, roots);
    }
}

/// Whether pointer `p` is `base` or inside it.
fn within(p: &str, base: &str) -> bool {
    p == base
        || p.strip_prefix(base)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `normalised` with `/anyOf/1` inserted after every wrapped schema it passes through.
fn map_pointer(wrapped: &BTreeSet<String>, normalised: &str) -> String {
    if wrapped.is_empty() || normalised.is_empty() {
        return normalised.to_string();
    }
    let mut out = String::with_capacity(normalised.len() + 16);
    let mut end = 0;
    let tokens: Vec<&str> = normalised[1..].split('/').collect();
    for (i, t) in tokens.iter().enumerate() {
        end += 1 + t.len();
        out.push('/');
        out.push_str(t);
        if i + 1 < tokens.len() && wrapped.contains(&normalised[..end]) {
            out.push_str("/anyOf/1");
        }
    }
    out
}

/// The literal location of `pointer` in `doc`: a pointer that passes through a
/// `$ref` (which oagen's loader follows) is rewritten to where it really leads.
fn literal_pointer(doc: &Value, pointer: &str) -> Option<String> {
    follow_pointer(doc, pointer, Escapes::Pointer).map(|(_, at)| at)
}

/// How the tokens of a pointer given to [`follow_pointer`] are written.
#[derive(Clone, Copy)]
pub(crate) enum Escapes {
    /// Only JSON pointer escapes (`~0`, `~1`): the fragment is percent-decoded
    /// already (a `$ref` met on the way is decoded whole).
    Pointer,
    /// Each token also percent-encoded, as in a `$ref` fragment.
    Fragment,
}

/// The value `pointer` leads to in `doc` and its literal location there: a token
/// missing where the walk stands on a `{$ref}` continues from the reference's
/// target (as bundlers write pointers: `.../schema/properties/x` where `schema`
/// is a reference). None when a token leads nowhere or references go on too long.
pub(crate) fn follow_pointer<'a>(
    doc: &'a Value,
    pointer: &str,
    escapes: Escapes,
) -> Option<(&'a Value, String)> {
    follow_depth(doc, pointer, escapes, 0)
}

fn follow_depth<'a>(
    doc: &'a Value,
    pointer: &str,
    escapes: Escapes,
    depth: usize,
) -> Option<(&'a Value, String)> {
    if pointer.is_empty() {
        return Some((doc, String::new()));
    }
    let mut cur = doc;
    let mut at = String::new();
    for tok in pointer.strip_prefix('/')?.split('/') {
        let key = match escapes {
            Escapes::Pointer => unescape_token(tok),
            Escapes::Fragment => unescape_token(&percent_decode(tok)),
        };
        let mut hops = 0;
        loop {
            let next = match cur {
                Value::Object(m) => m.get(&key),
                Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            };
            if let Some(n) = next {
                cur = n;
                at = join(&at, &key);
                break;
            }
            let target = cur
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(local_pointer)?;
            hops += 1;
            if hops > 32 || depth > 32 {
                return None;
            }
            let target = match escapes {
                Escapes::Pointer => percent_decode(target),
                Escapes::Fragment => target.to_string(),
            };
            (cur, at) = follow_depth(doc, &target, escapes, depth + 1)?;
        }
    }
    Some((cur, at))
}

/// The value at a JSON pointer (taken literally, no `$ref` followed).
fn pointer_get<'a>(v: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(v);
    }
    v.pointer(pointer)
}

fn pointer_get_mut<'a>(v: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    if pointer.is_empty() {
        return Some(v);
    }
    v.pointer_mut(pointer)
}

/// A JSON pointer written as a URI fragment: every character that a fragment may
/// not hold literally is percent-encoded.
pub fn encode_fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(schemas: Value) -> JsonSchemaDoc {
        to_json_schema(
            &json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}}),
        )
    }

    #[test]
    fn untyped_schemas_with_properties_or_items_are_objects_or_arrays() {
        let doc = schemas(json!({
            "O": {"properties": {"a": {"type": "string"}}},
            "M": {"additionalProperties": {"type": "integer"}, "nullable": true},
            "A": {"items": {"type": "string"}},
            "R": {"allOf": [{"$ref": "#/components/schemas/O"}], "properties": {}},
            "T": {"type": "string"},
        }));
        let s = &doc.root["components"]["schemas"];
        assert_eq!(s["O"]["type"], json!("object"));
        assert_eq!(s["M"]["type"], json!(["object", "null"]));
        assert_eq!(s["A"]["type"], json!("array"));
        assert!(s["R"].get("type").is_none());
        assert_eq!(s["T"]["type"], json!("string"));
    }

    #[test]
    fn nullable_with_a_type_adds_null_to_the_type_and_the_enum() {
        let d = schemas(json!({
            "A": {"type": "string", "nullable": true, "enum": ["a", "b"]},
            "B": {"type": "integer", "nullable": false},
            "C": {"nullable": true, "enum": [1]},
        }));
        let s = &d.root["components"]["schemas"];
        assert_eq!(
            s["A"],
            json!({"type": ["string", "null"], "enum": ["a", "b", null]})
        );
        assert_eq!(s["B"], json!({"type": "integer"}));
        assert_eq!(s["C"], json!({"enum": [1, null]}));
    }

    #[test]
    fn nullable_with_an_applicator_is_wrapped_and_pointers_follow() {
        let d = schemas(json!({
            "A": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/B"}],
                  "properties": {"x": {"type": "string", "nullable": true}}},
            "B": {"type": "object", "properties": {"y": {"$ref": "#/components/schemas/A/properties/x"}}},
        }));
        let s = &d.root["components"]["schemas"];
        assert_eq!(
            s["A"],
            json!({"anyOf": [{"type": "null"}, {
                "allOf": [{"$ref": "#/components/schemas/B"}],
                "properties": {"x": {"type": ["string", "null"]}}
            }]})
        );
        // A reference into the wrapped schema is rewritten.
        assert_eq!(
            s["B"]["properties"]["y"]["$ref"],
            json!("#/components/schemas/A/anyOf/1/properties/x")
        );
        assert_eq!(d.pointer("/components/schemas/A"), "/components/schemas/A");
        assert_eq!(
            d.pointer("/components/schemas/A/properties/x"),
            "/components/schemas/A/anyOf/1/properties/x"
        );
        assert_eq!(
            d.root
                .pointer(&d.pointer("/components/schemas/A/properties/x")),
            Some(&json!({"type": ["string", "null"]}))
        );
        assert_eq!(
            d.pointer("/components/schemas/B/properties/y"),
            "/components/schemas/B/properties/y"
        );
    }

    #[test]
    fn bounds_null_only_and_identifiers() {
        let d = schemas(json!({
            "A": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false},
            "N": {"nullable": true, "x-oagen-null": true},
            "I": {"$schema": "http://json-schema.org/draft-04/schema#", "$id": "https://x/y", "type": "string"},
            "T": {"type": "array", "items": {"type": "integer", "maximum": 3, "exclusiveMaximum": true}},
        }));
        let s = &d.root["components"]["schemas"];
        assert_eq!(
            s["A"],
            json!({"type": "number", "maximum": 9, "exclusiveMinimum": 0})
        );
        assert_eq!(s["N"], json!({"type": "null"}));
        assert_eq!(s["I"], json!({"type": "string"}));
        assert_eq!(
            s["T"]["items"],
            json!({"type": "integer", "exclusiveMaximum": 3})
        );
    }

    #[test]
    fn schemas_outside_components_are_converted_too() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string", "nullable": true}}],
                "get": {"responses": {"200": {
                    "description": "",
                    "headers": {"X-N": {"schema": {"type": "integer", "nullable": true}}},
                    "content": {"application/json": {"schema": {
                        "type": "object", "nullable": true,
                        "properties": {"p": {"$ref": "#/x-defs/P"}}
                    }}}
                }}}
            }},
            "x-defs": {"P": {"type": "boolean", "nullable": true}},
            "x-other": {"type": "string", "nullable": true}
        });
        let d = to_json_schema(&doc);
        let item = &d.root["paths"]["/a/{id}"];
        assert_eq!(
            item["parameters"][0]["schema"]["type"],
            json!(["string", "null"])
        );
        let ok = &item["get"]["responses"]["200"];
        assert_eq!(
            ok["headers"]["X-N"]["schema"]["type"],
            json!(["integer", "null"])
        );
        assert_eq!(
            ok["content"]["application/json"]["schema"]["type"],
            json!(["object", "null"])
        );
        // Reached through a `$ref`: converted. Not reached: left alone.
        assert_eq!(d.root["x-defs"]["P"]["type"], json!(["boolean", "null"]));
        assert_eq!(d.root["x-other"], doc["x-other"]);
    }

    #[test]
    fn references_through_references_are_made_literal() {
        let d = schemas(json!({
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "object", "properties": {"c": {"type": "string", "nullable": true}}},
            "C": {"$ref": "#/components/schemas/A/properties/b/properties/c"},
        }));
        assert_eq!(
            d.root["components"]["schemas"]["C"]["$ref"],
            json!("#/components/schemas/B/properties/c")
        );
    }

    #[test]
    fn fragments_are_percent_encoded() {
        assert_eq!(
            encode_fragment("/paths/~1a~1{id}/get"),
            "/paths/~1a~1%7Bid%7D/get"
        );
        assert_eq!(encode_fragment("/a b/é"), "/a%20b/%C3%A9");
        let d = schemas(json!({}));
        assert_eq!(
            d.fragment("/components/schemas/A%"),
            "#/components/schemas/A%25"
        );
    }
}
