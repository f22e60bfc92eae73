//! The schema keywords (JSON Schema 2020-12 and OpenAPI's) and what oagen does with each: one table, checked on every schema.
//!
//! Every keyword of a schema is looked up in [`KEYWORDS`]. A keyword the model
//! reads ([`Treatment::Modelled`]), one the normaliser rewrites into what the
//! model reads ([`Treatment::Rewritten`], which warns itself where the rewrite
//! loses something) and an annotation ([`Treatment::Annotation`]) pass silently;
//! a keyword that is valid but not modelled ([`Treatment::Warned`]) and a keyword
//! the table does not know (not `x-`) each get a warning naming the keyword and
//! its pointer. No keyword ever rejects a document.

use serde_json::{Map, Value};

use crate::diag::{join, Diagnostics};

/// What oagen does with a schema keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Read by the model: generated types and validation follow it.
    Modelled,
    /// Rewritten by the normaliser into keywords the model reads (the reason says how).
    Rewritten(&'static str),
    /// An annotation: documentation, or information with no effect on values.
    Annotation,
    /// Valid, but not modelled: a warning with the reason, and the keyword is ignored.
    Warned(&'static str),
}

use Treatment::{Annotation, Modelled, Rewritten, Warned};

/// Every schema keyword oagen knows, by vocabulary.
pub const KEYWORDS: &[(&str, Treatment)] = &[
    // Core.
    ("$schema", Rewritten("every schema of a 3.1 document is read as JSON Schema 2020-12")),
    ("$id", Rewritten("references to the URI (and to `#/...` inside the resource) become document pointers")),
    ("$anchor", Rewritten("references to `#name` become document pointers")),
    ("$ref", Modelled),
    ("$defs", Modelled),
    ("definitions", Modelled),
    ("$comment", Annotation),
    ("$vocabulary", Annotation),
    ("$dynamicRef", Warned("dynamic references are not followed; the value is not typed by it")),
    ("$dynamicAnchor", Warned("dynamic anchors are not followed")),
    // Applicators.
    ("allOf", Modelled),
    ("anyOf", Modelled),
    ("oneOf", Modelled),
    ("not", Warned("the generated code does not reject values that match the `not` schema")),
    ("if", Warned("conditional schemas are not validated: `then`/`else` do not apply")),
    ("then", Warned("conditional schemas are not validated")),
    ("else", Warned("conditional schemas are not validated")),
    ("dependentSchemas", Warned("the schemas that apply when a property is present are not validated")),
    ("prefixItems", Rewritten("closed (`items: false`, `minItems` at least its length) and of primitives: a tuple; otherwise an array of any of its item schemas, warned")),
    ("items", Modelled),
    ("contains", Warned("arrays are not checked for an item matching `contains`")),
    ("properties", Modelled),
    ("patternProperties", Rewritten("a closed object without properties whose patterns share one schema is a map with checked keys; otherwise warned")),
    ("additionalProperties", Modelled),
    ("propertyNames", Rewritten("`{pattern}` on an object without properties checks a map's keys; otherwise warned")),
    // Unevaluated.
    ("unevaluatedItems", Warned("arrays are not checked for items no other keyword evaluated")),
    ("unevaluatedProperties", Rewritten("without applicators it is `additionalProperties`; otherwise warned")),
    // Validation.
    ("type", Modelled),
    ("enum", Modelled),
    ("const", Rewritten("a one-value `enum`, marked `x-oagen-const`: other values do not decode")),
    ("multipleOf", Modelled),
    ("maximum", Modelled),
    ("exclusiveMaximum", Modelled),
    ("minimum", Modelled),
    ("exclusiveMinimum", Modelled),
    ("maxLength", Modelled),
    ("minLength", Modelled),
    ("pattern", Modelled),
    ("maxItems", Modelled),
    ("minItems", Modelled),
    ("uniqueItems", Modelled),
    ("maxContains", Warned("`contains` is not checked")),
    ("minContains", Warned("`contains` is not checked")),
    ("maxProperties", Modelled),
    ("minProperties", Modelled),
    ("required", Modelled),
    ("dependentRequired", Rewritten("kept as `x-oagen-dependent-required`, checked by the server and in examples")),
    // Format, content.
    ("format", Modelled),
    ("contentEncoding", Rewritten("`base64` on a string is bytes (`x-oagen-bytes`); other encodings warned")),
    ("contentMediaType", Rewritten("without `contentEncoding`, a media type that is not text is raw bytes (`format: binary`)")),
    ("contentSchema", Warned("the string keeps its text and the decoded content is not checked against the schema (only the JSON `data` of a server-sent event is decoded into it)")),
    // Meta-data.
    ("title", Annotation),
    ("description", Annotation),
    ("default", Modelled),
    ("deprecated", Modelled),
    ("readOnly", Modelled),
    ("writeOnly", Modelled),
    ("examples", Annotation),
    // OpenAPI's own.
    ("nullable", Modelled),
    ("discriminator", Modelled),
    ("xml", Annotation),
    ("externalDocs", Annotation),
    ("example", Annotation),
    // Earlier drafts, seen in 3.0 documents.
    ("additionalItems", Warned("a draft 2019-09 keyword, not checked (2020-12 uses `items` with `prefixItems`)")),
    ("dependencies", Warned("a draft 7 keyword, not validated (2020-12 splits it into `dependentRequired` and `dependentSchemas`)")),
];

/// The treatment of `keyword`, if the table knows it.
pub fn treatment(keyword: &str) -> Option<Treatment> {
    // Indexed once: this is asked for every keyword of every schema.
    static INDEX: std::sync::OnceLock<std::collections::HashMap<&'static str, Treatment>> =
        std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| KEYWORDS.iter().copied().collect())
        .get(keyword)
        .copied()
}

/// Warns about every keyword of the schema `obj` at `ptr` that is not modelled,
/// rewritten or an annotation (see the module documentation).
pub(crate) fn check(obj: &Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    for (k, v) in obj {
        if k.starts_with("x-") {
            continue;
        }
        match treatment(k) {
            Some(Warned(reason)) => {
                // `not: {}` (or `false`) admits nothing; the model reads it.
                if k == "not" && (v == &Value::Bool(true) || v.as_object().is_some_and(Map::is_empty)) {
                    continue;
                }
                // The JSON data of a server-sent event is decoded into it (`event_data.rs`).
                if k == "contentSchema" && obj.contains_key(super::event_data::MARK) {
                    continue;
                }
                diags.warn(join(ptr, k), format!("`{k}` is not modelled: {reason}"));
            }
            Some(_) => {}
            None => diags.warn(
                join(ptr, k),
                format!("unknown schema keyword `{k}` is ignored (not JSON Schema 2020-12 or OpenAPI; extensions start with `x-`)"),
            ),
        }
    }
}

/// The rewrites of this table's keywords that [`super::normalize`] does not do
/// itself: `unevaluatedProperties` and `dependentRequired`.
pub(crate) fn rewrite(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    // `normalize` makes `const` a one-value `enum`; the mark keeps it closed.
    if obj.contains_key("const") {
        obj.insert("x-oagen-const".into(), Value::Bool(true));
    }
    unevaluated_properties(obj, ptr, diags);
    pattern_properties(obj, ptr, diags);
    property_names(obj, ptr, diags);
    dependent_required(obj, ptr, diags);
    content(obj, ptr, diags);
    tuple(obj);
}

/// The most members a tuple has (Rust implements its traits up to 12).
const MAX_TUPLE: usize = 12;

/// `prefixItems` with `items: false` and `minItems` at least its length, whose
/// members are plain `string`, `integer`, `number` or `boolean` schemas: an
/// array of exactly these items, marked `x-oagen-tuple`, with `maxItems` made
/// explicit and the members in `items` (their `anyOf`, or the one member), where
/// the model reads them; past `maxItems`, `items` never applies. `normalize`
/// keeps `prefixItems` for such a schema instead of warning.
fn tuple(obj: &mut Map<String, Value>) {
    let Some(Value::Array(members)) = obj.get("prefixItems") else {
        return;
    };
    let n = members.len();
    let closed = obj.get("items") == Some(&Value::Bool(false))
        && obj
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| m >= n as u64);
    // Members read silently only: each is normalised twice (in `prefixItems`
    // and in `items`), so none may warn.
    let primitive = |m: &Value| {
        m.as_object().is_some_and(|m| {
            matches!(
                m.get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean")
            ) && !m.keys().any(|k| {
                matches!(
                    k.as_str(),
                    "$ref"
                        | "allOf"
                        | "anyOf"
                        | "oneOf"
                        | "not"
                        | "if"
                        | "enum"
                        | "const"
                        | "contentEncoding"
                        | "contentMediaType"
                ) || !(k.starts_with("x-") || matches!(treatment(k), Some(Modelled | Annotation)))
            })
        })
    };
    if closed && (1..=MAX_TUPLE).contains(&n) && members.iter().all(primitive) {
        let items = if n == 1 {
            members[0].clone()
        } else {
            let mut any = Map::new();
            any.insert("anyOf".into(), Value::Array(members.clone()));
            Value::Object(any)
        };
        obj.insert("items".into(), items);
        obj.insert("maxItems".into(), Value::from(n));
        obj.insert("x-oagen-tuple".into(), Value::Bool(true));
    }
}

/// `contentEncoding: base64` on a string (without `pattern` or lengths, which
/// constrain the text) is bytes: `x-oagen-bytes`. Without `contentEncoding`, a
/// string whose `contentMediaType` is not text is raw bytes, as 3.1 writes
/// `format: binary`. Other encodings are warned (the string keeps its text).
fn content(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    let string = match obj.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => {
            ts.iter().any(|t| t == "string") && ts.iter().all(|t| t == "string" || t == "null")
        }
        _ => false,
    };
    match obj.get("contentEncoding") {
        Some(Value::String(e)) => {
            let text_checked = ["pattern", "minLength", "maxLength", "enum", "const"]
                .iter()
                .any(|k| obj.contains_key(*k));
            if e.eq_ignore_ascii_case("base64") && string && !text_checked {
                obj.insert("x-oagen-bytes".into(), Value::Bool(true));
            } else {
                diags.warn(
                    join(ptr, "contentEncoding"),
                    format!("`contentEncoding: {e}` is not modelled: the string keeps its encoded text (only `base64` on a string without `pattern`, lengths or values becomes bytes)"),
                );
            }
        }
        Some(_) => {}
        None => {
            let binary = obj
                .get("contentMediaType")
                .and_then(Value::as_str)
                .is_some_and(|m| {
                    let m = m.to_ascii_lowercase();
                    !(m.starts_with("text/") || m.contains("json") || m.contains("xml"))
                });
            if binary && string && !obj.contains_key("format") {
                obj.insert("format".into(), Value::String("binary".into()));
            }
        }
    }
}

/// Whether the schema lists no properties.
fn no_properties(obj: &Map<String, Value>) -> bool {
    obj.get("properties")
        .is_none_or(|p| p.as_object().is_some_and(Map::is_empty))
}

/// In-place applicators: what they evaluate is not known here.
const IN_PLACE: [&str; 6] = ["allOf", "anyOf", "oneOf", "$ref", "if", "dependentSchemas"];

/// `patternProperties` of a closed object (`additionalProperties: false`)
/// without `properties`, whose patterns all have the same schema `S`: exactly a
/// map of `S` whose keys match one of the patterns. It becomes
/// `additionalProperties: S` with `propertyNames: {pattern}` (the same
/// constraint, for the JSON Schema view) and `x-oagen-key-pattern` (for the
/// model). Any other `patternProperties` is warned and left as it is.
fn pattern_properties(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    let Some(v) = obj.get("patternProperties") else {
        return;
    };
    let Some(pp) = v.as_object().filter(|m| !m.is_empty()) else {
        return;
    };
    let first = pp.values().next();
    let exact = obj.get("additionalProperties") == Some(&Value::Bool(false))
        && no_properties(obj)
        && !obj.contains_key("propertyNames")
        && !IN_PLACE.iter().any(|k| obj.contains_key(*k))
        && pp.values().all(|s| Some(s) == first)
        && pp.keys().all(|k| !k.is_empty());
    if !exact {
        diags.warn(
            join(ptr, "patternProperties"),
            "`patternProperties` is not modelled: property names are not checked against the patterns and such properties are kept as JSON (only a closed object without `properties` whose patterns share one schema is a map with checked keys)",
        );
        return;
    }
    let pattern = if pp.len() == 1 {
        pp.keys().next().cloned().unwrap_or_default()
    } else {
        pp.keys()
            .map(|k| format!("(?:{k})"))
            .collect::<Vec<_>>()
            .join("|")
    };
    let schema = first.cloned().unwrap_or(Value::Bool(true));
    obj.shift_remove("patternProperties");
    obj.insert("additionalProperties".into(), schema);
    let mut names = Map::new();
    names.insert("pattern".into(), Value::String(pattern.clone()));
    obj.insert("propertyNames".into(), Value::Object(names));
    obj.insert("x-oagen-key-pattern".into(), Value::String(pattern));
}

/// `propertyNames: {pattern: P}` (with at most `type: string`) on an object
/// without properties: the map's keys match `P` (`x-oagen-key-pattern`). Any
/// other `propertyNames` is warned and left to JSON Schema.
fn property_names(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    if obj.contains_key("x-oagen-key-pattern") {
        return;
    }
    let Some(v) = obj.get("propertyNames") else {
        return;
    };
    let pattern = v.as_object().and_then(|m| {
        let only = m
            .iter()
            .all(|(k, v)| k == "pattern" || (k == "type" && v == "string") || k.starts_with("x-"));
        m.get("pattern").and_then(Value::as_str).filter(|_| only)
    });
    let modelled = pattern.is_some()
        && no_properties(obj)
        && !obj.contains_key("patternProperties")
        && !IN_PLACE.iter().any(|k| obj.contains_key(*k));
    match pattern.map(str::to_string) {
        Some(p) if modelled => {
            obj.insert("x-oagen-key-pattern".into(), Value::String(p));
        }
        _ => diags.warn(
            join(ptr, "propertyNames"),
            "`propertyNames` is not modelled: property names are not checked (only `{pattern}` on an object without `properties` is)",
        ),
    }
}

/// `dependentRequired` (a map from property names to lists of names) is kept
/// for the model as `x-oagen-dependent-required` (`openapiv3` drops unknown
/// keywords); the keyword stays for the JSON Schema view. A malformed one is
/// ignored with a warning.
fn dependent_required(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    let Some(v) = obj.get("dependentRequired") else {
        return;
    };
    let valid = v.as_object().is_some_and(|m| {
        m.values()
            .all(|l| l.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
    });
    if !valid {
        diags.warn(
            join(ptr, "dependentRequired"),
            "`dependentRequired` must map property names to lists of property names; it was ignored",
        );
        obj.shift_remove("dependentRequired");
        return;
    }
    let v = v.clone();
    obj.insert("x-oagen-dependent-required".into(), v);
}

/// `unevaluatedProperties` on a schema without applicators is exactly
/// `additionalProperties` (unless that is given too); through `allOf`, `anyOf`,
/// `oneOf`, `$ref`, `if` or `dependentSchemas` it depends on
/// what the other schemas evaluate, and is left to JSON Schema with a warning.
fn unevaluated_properties(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    let Some(v) = obj.get("unevaluatedProperties") else {
        return;
    };
    const APPLICATORS: [&str; 6] = IN_PLACE;
    let open = v == &Value::Bool(true) || v.as_object().is_some_and(Map::is_empty);
    if let Some(k) = APPLICATORS.iter().find(|k| obj.contains_key(**k)) {
        if !open {
            diags.warn(
                join(ptr, "unevaluatedProperties"),
                format!("`unevaluatedProperties` is not modelled next to `{k}`: the properties the other schemas evaluate are not known exactly, so extra properties are kept as JSON"),
            );
        }
        return;
    }
    if let Some(v) = obj.shift_remove("unevaluatedProperties") {
        if !obj.contains_key("additionalProperties") {
            obj.insert("additionalProperties".into(), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn warnings(v: Value) -> Vec<(String, String)> {
        let mut d = Diagnostics::new(Path::new("t.yaml"));
        check(v.as_object().unwrap(), "/s", &mut d);
        d.items()
            .iter()
            .map(|x| (x.pointer.clone(), x.message.clone()))
            .collect()
    }

    #[test]
    fn table_has_each_keyword_once() {
        let mut seen = std::collections::BTreeSet::new();
        for (k, _) in KEYWORDS {
            assert!(seen.insert(*k), "{k} listed twice");
        }
    }

    #[test]
    fn warned_and_unknown_keywords_are_reported_with_pointers() {
        let w = warnings(
            json!({"type": "object", "title": "t", "x-a": 1, "if": {}, "frobnicate": 1, "not": {}}),
        );
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].0, "/s/if");
        assert!(w[0].1.contains("`if` is not modelled"));
        assert_eq!(w[1].0, "/s/frobnicate");
        assert!(w[1].1.contains("unknown schema keyword `frobnicate`"));
    }

    #[test]
    fn unevaluated_properties_without_applicators_closes_the_object() {
        let mut d = Diagnostics::new(Path::new("t.yaml"));
        let mut v = json!({"properties": {"a": {}}, "unevaluatedProperties": false});
        unevaluated_properties(v.as_object_mut().unwrap(), "/s", &mut d);
        assert_eq!(
            v,
            json!({"properties": {"a": {}}, "additionalProperties": false})
        );
        let mut v = json!({"allOf": [{}], "unevaluatedProperties": false});
        unevaluated_properties(v.as_object_mut().unwrap(), "/s", &mut d);
        assert_eq!(d.items().len(), 1);
        assert_eq!(d.items()[0].pointer, "/s/unevaluatedProperties");
    }
}
