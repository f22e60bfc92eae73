//! JSON Schema identifiers: `$ref`s to an `$id` URI, to a `#name` (`$anchor`) or to `#/...` inside an `$id` resource, rewritten into document pointers.
//!
//! Runs on the root document before bundling, so that a reference to a known
//! `$id` is never taken for a file or a URL. Each schema with a string `$id` is a
//! resource: its URI is the `$id` resolved against the enclosing resource's (the
//! document has none), and `$ref`s inside it resolve against that URI. A
//! reference whose target is known becomes `#<pointer>`, so that every later
//! phase (the reference check, the model's memo by pointer, which gives one type
//! per target, and the JSON Schema view) reads an ordinary local reference.
//!
//! A `#/$defs/...` reference outside any `$id` resource points, by the rules, at
//! the document's root, which has no `$defs`; when the enclosing schemas hold the
//! target (the habit of pasting a JSON Schema document into `components`), it is
//! resolved against the nearest of them, with a warning.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::json_schema::encode_fragment;
use super::percent_decode;
use crate::diag::{escape_token, Diagnostics};

/// Keys whose values are data, not schemas (an `$id` in an example is a value).
const DATA: [&str; 5] = ["example", "examples", "default", "enum", "const"];

#[derive(Default)]
struct Index {
    /// Resource URI (no fragment) to the pointer of its schema.
    ids: BTreeMap<String, String>,
    /// (resource URI, or "" for the document; anchor name) to pointer.
    anchors: BTreeMap<(String, String), String>,
    /// Pointers of every object inside an `$id` resource, and of every `$defs`
    /// (or `definitions`) entry.
    inside: BTreeSet<String>,
    /// Whether some `$ref` starts with `#/$defs/` or `#/definitions/`.
    root_defs_refs: bool,
}

/// Rewrites the `$ref`s of `doc` that name an `$id`, an `$anchor`, or a place
/// inside an `$id` resource (see the module documentation).
pub(super) fn resolve(doc: &mut Value, diags: &mut Diagnostics) {
    let mut index = Index::default();
    collect(doc, &mut String::new(), "", false, &mut index);
    if index.ids.is_empty() && index.anchors.is_empty() && !index.root_defs_refs {
        return;
    }
    let mut enclosing = Vec::new();
    rewrite(doc, &mut String::new(), "", &index, &mut enclosing, diags);
}

fn is_data(k: &str) -> bool {
    k.starts_with("x-") || DATA.contains(&k)
}

fn collect(v: &Value, ptr: &mut String, base: &str, def: bool, index: &mut Index) {
    match v {
        Value::Object(m) => {
            // A new base only where an `$id` is (no allocation elsewhere).
            let own;
            let mut base = base;
            if let Some(Value::String(id)) = m.get("$id") {
                own = without_fragment(&resolve_uri(base, id)).to_string();
                base = &own;
                index.ids.entry(own.clone()).or_insert_with(|| ptr.clone());
            }
            if !base.is_empty() || def {
                index.inside.insert(ptr.clone());
            }
            if let Some(Value::String(a)) = m.get("$anchor") {
                index
                    .anchors
                    .entry((base.to_string(), a.clone()))
                    .or_insert_with(|| ptr.clone());
            }
            if let Some(Value::String(r)) = m.get("$ref") {
                index.root_defs_refs |=
                    r.starts_with("#/$defs/") || r.starts_with("#/definitions/");
            }
            for (k, c) in m {
                if is_data(k) {
                    continue;
                }
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&escape_token(k));
                let defs = k == "$defs" || k == "definitions";
                if defs {
                    for (name, entry) in c.as_object().into_iter().flatten() {
                        let l = ptr.len();
                        ptr.push('/');
                        ptr.push_str(&escape_token(name));
                        collect(entry, ptr, base, true, index);
                        ptr.truncate(l);
                    }
                } else {
                    collect(c, ptr, base, false, index);
                }
                ptr.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
                collect(c, ptr, base, false, index);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}

fn rewrite(
    v: &mut Value,
    ptr: &mut String,
    base: &str,
    index: &Index,
    enclosing: &mut Vec<String>,
    diags: &mut Diagnostics,
) {
    match v {
        Value::Object(m) => {
            let own;
            let mut base = base;
            if let Some(Value::String(id)) = m.get("$id") {
                own = without_fragment(&resolve_uri(base, id)).to_string();
                base = &own;
            }
            if let Some(Value::String(r)) = m.get("$ref") {
                if let Some(target) = target(r, base, index, enclosing, ptr, diags) {
                    m.insert("$ref".into(), Value::String(target));
                }
            }
            let holds_defs = m.contains_key("$defs") || m.contains_key("definitions");
            if holds_defs {
                enclosing.push(ptr.clone());
            }
            for (k, c) in m.iter_mut() {
                if is_data(k) {
                    continue;
                }
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&escape_token(k));
                rewrite(c, ptr, base, index, enclosing, diags);
                ptr.truncate(len);
            }
            if holds_defs {
                enclosing.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter_mut().enumerate() {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
                rewrite(c, ptr, base, index, enclosing, diags);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}

/// The local reference `r` (in the resource `base`, "" for the document)
/// stands for, when it is not already a plain document pointer.
fn target(
    r: &str,
    base: &str,
    index: &Index,
    enclosing: &[String],
    at: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let full = resolve_uri(base, r);
    let (uri, frag) = match full.split_once('#') {
        Some((u, f)) => (u.to_string(), f.to_string()),
        None => (full.clone(), String::new()),
    };
    let resource = if uri.is_empty() {
        ""
    } else {
        index.ids.get(&uri)?.as_str()
    };
    if frag.is_empty() {
        return Some(format!("#{}", encode_fragment(resource)));
    }
    if frag.starts_with('/') {
        if uri.is_empty() {
            // Already a document pointer; mended only when it names a `$defs`
            // entry the document root lacks but an enclosing schema holds.
            return in_enclosing(&frag, index, enclosing, at, diags);
        }
        // Inside the resource if it is there, else (a habit) a document pointer.
        let inner = format!("{resource}{}", percent_decode(&frag));
        if !index.inside.contains(&inner) {
            return None;
        }
        return Some(format!("#{}{frag}", encode_fragment(resource)));
    }
    let name = percent_decode(&frag);
    let ptr = index.anchors.get(&(uri, name))?;
    Some(format!("#{}", encode_fragment(ptr)))
}

fn in_enclosing(
    frag: &str,
    index: &Index,
    enclosing: &[String],
    at: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let pointer = percent_decode(frag);
    if !(pointer.starts_with("/$defs/") || pointer.starts_with("/definitions/")) {
        return None;
    }
    let entry: String = pointer.split('/').take(3).collect::<Vec<_>>().join("/");
    let holder = enclosing
        .iter()
        .rev()
        .find(|h| index.inside.contains(&format!("{h}{entry}")))?;
    let target = format!("#{}{frag}", encode_fragment(holder));
    diags.warn(
        format!("{at}/$ref"),
        format!("`#{frag}` names the document's root, which has no such entry; it was resolved in the enclosing schema, as `{target}`"),
    );
    Some(target)
}

fn without_fragment(uri: &str) -> &str {
    uri.split_once('#').map_or(uri, |(u, _)| u)
}

/// `r` resolved against `base` (RFC 3986, without dot-segment removal).
fn resolve_uri(base: &str, r: &str) -> String {
    let has_scheme = r.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
    });
    if has_scheme || base.is_empty() {
        return r.to_string();
    }
    let base = without_fragment(base);
    if r.starts_with('#') {
        return format!("{base}{r}");
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    if r.starts_with("//") {
        return format!("{scheme}:{r}");
    }
    if r.starts_with('/') {
        let authority = rest.split('/').next().unwrap_or("");
        return if scheme.is_empty() {
            r.to_string()
        } else {
            format!("{scheme}://{authority}{r}")
        };
    }
    let r = r.strip_prefix("./").unwrap_or(r);
    match base.rfind('/') {
        Some(i) => format!("{}{r}", &base[..=i]),
        None => r.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn uris_resolve() {
        assert_eq!(
            resolve_uri("https://x.org/a/b.json", "c.json"),
            "https://x.org/a/c.json"
        );
        assert_eq!(
            resolve_uri("https://x.org/a/b.json", "/c"),
            "https://x.org/c"
        );
        assert_eq!(
            resolve_uri("https://x.org/a/b.json", "#/p"),
            "https://x.org/a/b.json#/p"
        );
        assert_eq!(resolve_uri("", "urn:x"), "urn:x");
    }

    #[test]
    fn ids_anchors_and_defs_become_pointers() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"$id": "https://x.org/a", "$defs": {"B": {"$anchor": "bee", "type": "string"}},
                  "properties": {"b": {"$ref": "#/$defs/B"}, "c": {"$ref": "#bee"}}},
            "C": {"properties": {"a": {"$ref": "https://x.org/a"}, "b": {"$ref": "https://x.org/a#bee"}}},
            "D": {"$defs": {"E": {"type": "integer"}}, "properties": {"e": {"$ref": "#/$defs/E"}}}
        }}});
        let mut d = Diagnostics::new(Path::new("t.yaml"));
        resolve(&mut doc, &mut d);
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["A"]["properties"]["b"]["$ref"],
            "#/components/schemas/A/$defs/B"
        );
        assert_eq!(
            s["A"]["properties"]["c"]["$ref"],
            "#/components/schemas/A/$defs/B"
        );
        assert_eq!(s["C"]["properties"]["a"]["$ref"], "#/components/schemas/A");
        assert_eq!(
            s["C"]["properties"]["b"]["$ref"],
            "#/components/schemas/A/$defs/B"
        );
        assert_eq!(
            s["D"]["properties"]["e"]["$ref"],
            "#/components/schemas/D/$defs/E"
        );
        assert_eq!(d.items().len(), 1);
        assert_eq!(
            d.items()[0].pointer,
            "/components/schemas/D/properties/e/$ref"
        );
    }
}
