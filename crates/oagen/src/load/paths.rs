//! Path items that are references (`$ref`, e.g. to `#/components/pathItems/X`) inlined.
//!
//! OpenAPI allows a path item to be a `$ref` (3.1 adds `components/pathItems` as a place
//! for them); `openapiv3` cannot represent the target, so a local reference is replaced
//! here by a copy of the path item it names (following references between path items,
//! with a guard against loops), its own fields (`summary`, `description`, ...) winning.
//! A reference that does not resolve, resolves to something that is not a path item, or
//! loops is an error at the `$ref`, as is a reference to another file or a URL (not
//! followed yet, see [`super::refs::external`]); the path item is then left empty.

use serde_json::{Map, Value};

use crate::diag::{join, Diagnostics};

/// Where a 3.0 document keeps its webhooks by convention (GitHub's and others').
pub const X_WEBHOOKS_POINTER: &str = "/x-webhooks";

/// Moves a 3.0 document's top-level `x-webhooks` (the pre-3.1 convention, the
/// same shape as 3.1's `webhooks`) to `webhooks`, where the loader and the
/// model read webhooks; true when it did (the caller maps pointers back). A
/// document that has `webhooks` as well, or that is not 3.0, keeps it as an
/// extension. Being an extension, it may hold anything: a key that starts
/// with `x-` (a vendor's flag, such as `x-sdk-exclude: true`) is left out,
/// and an entry that is not a path item is left out with a warning; none is
/// an error.
pub fn adopt_x_webhooks(doc: &mut Value, diags: &mut Diagnostics) -> bool {
    let Some(root) = doc.as_object_mut() else {
        return false;
    };
    let v30 = root
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"));
    if !v30
        || root.contains_key("webhooks")
        || !root.get("x-webhooks").is_some_and(Value::is_object)
    {
        return false;
    }
    let Some(Value::Object(hooks)) = root.shift_remove("x-webhooks") else {
        return false;
    };
    let mut kept = Map::new();
    for (name, item) in hooks {
        if name.starts_with("x-") {
            continue;
        }
        // A mapping whose methods are mappings; the rest is checked as for
        // any webhook.
        let readable = item.as_object().is_some_and(|m| {
            m.iter()
                .filter(|(k, _)| METHODS.contains(&k.as_str()))
                .all(|(_, op)| op.is_object())
        });
        if readable {
            kept.insert(name, item);
        } else {
            diags.warn(
                join(X_WEBHOOKS_POINTER, &name),
                format!("`x-webhooks` entry `{name}` is not a path item; it is not generated"),
            );
        }
    }
    root.insert("webhooks".into(), Value::Object(kept));
    true
}

/// The methods of a path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How many references may be followed from one path item.
const MAX_HOPS: usize = 64;

/// Inlines every local `$ref` of the path items under `/paths` and `/webhooks` of `doc`.
pub fn inline_refs(doc: &mut Value, diags: &mut Diagnostics) {
    inline_section(doc, "paths", diags);
    inline_section(doc, "webhooks", diags);
}

fn inline_section(doc: &mut Value, section: &str, diags: &mut Diagnostics) {
    let Some(paths) = doc.get(section).and_then(Value::as_object) else {
        return;
    };
    let mut replaced: Vec<(String, Value)> = Vec::new();
    for (path, item) in paths {
        if path.starts_with("x-") {
            continue;
        }
        let Some(obj) = item.as_object() else {
            continue;
        };
        if !obj.contains_key("$ref") {
            continue;
        }
        let ptr = join(&format!("/{section}"), path);
        // A broken reference (reported) leaves a path item without operations.
        let v = resolve(doc, obj, &ptr, diags).unwrap_or_else(|| Value::Object(Map::new()));
        replaced.push((path.clone(), v));
    }
    if let Some(paths) = doc.get_mut(section).and_then(Value::as_object_mut) {
        for (path, v) in replaced {
            paths.insert(path, v);
        }
    }
}

/// The path item `obj` stands for, its references followed; None (with an error) when
/// a reference is broken or leaves the document.
pub(super) fn resolve(
    doc: &Value,
    obj: &Map<String, Value>,
    ptr: &str,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let mut merged = Map::new();
    let mut seen: Vec<String> = Vec::new();
    let mut cur = obj;
    let mut at = ptr.to_string();
    loop {
        // Fields met first (nearer the use) win.
        for (k, v) in cur {
            if k != "$ref" && !merged.contains_key(k) {
                merged.insert(k.clone(), v.clone());
            }
        }
        let Some(r) = cur.get("$ref") else {
            return Some(Value::Object(merged));
        };
        let ref_at = join(&at, "$ref");
        let Some(target) = r.as_str() else {
            diags.error(
                ref_at,
                format!("a path item's `$ref` must be a string, found {r}"),
                "write the reference as a string, e.g. `$ref: '#/components/pathItems/Pets'`",
            );
            return None;
        };
        let Some(pointer) = target.strip_prefix('#') else {
            let (message, hint) = super::refs::external(target);
            diags.error(ref_at, message, hint);
            return None;
        };
        if seen.iter().any(|p| p == pointer) || seen.len() >= MAX_HOPS {
            let mut chain: Vec<String> = seen.iter().map(|p| format!("#{p}")).collect();
            chain.push(target.to_string());
            diags.error(
                join(ptr, "$ref"),
                format!(
                    "path item `$ref` loop: {} -> {} never reaches a path item",
                    ptr_name(ptr),
                    chain.join(" -> ")
                ),
                "make one of these references point at a real path item (an object with operations)",
            );
            return None;
        }
        seen.push(pointer.to_string());
        let Some(next) = super::resolve_pointer(doc, pointer) else {
            let hint = match pointer.strip_prefix("/components/pathItems/") {
                Some(name) => {
                    format!("define `{name}` under components/pathItems, or correct the reference")
                }
                None => "correct the reference so that it points at a path item of this document"
                    .to_string(),
            };
            diags.error(
                ref_at,
                format!("path item `$ref` target `{target}` does not exist"),
                hint,
            );
            return None;
        };
        let Some(next) = next.as_object() else {
            diags.error(
                ref_at,
                format!(
                    "path item `$ref` target `{target}` is not a path item (it is not a mapping)"
                ),
                "point the reference at a path item: a mapping of operations such as `get:`",
            );
            return None;
        };
        cur = next;
        at = pointer.to_string();
    }
}

fn ptr_name(ptr: &str) -> String {
    format!("#{ptr}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn run(mut doc: Value) -> (Value, Vec<String>) {
        let mut d = Diagnostics::new(Path::new("t.yaml"));
        inline_refs(&mut doc, &mut d);
        let msgs = d
            .items()
            .iter()
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect();
        (doc["paths"].clone(), msgs)
    }

    #[test]
    fn chains_are_followed_and_near_fields_win() {
        let (paths, msgs) = run(json!({"paths": {
            "/a": {"$ref": "#/components/pathItems/A", "summary": "near"},
            "/b": {"$ref": "#/components/pathItems/B"}},
            "components": {"pathItems": {
                "A": {"$ref": "#/components/pathItems/B", "summary": "mid", "description": "d"},
                "B": {"get": {"operationId": "b"}, "summary": "far"}}}}));
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!(
            paths["/a"],
            json!({"summary": "near", "description": "d", "get": {"operationId": "b"}})
        );
        assert_eq!(
            paths["/b"],
            json!({"get": {"operationId": "b"}, "summary": "far"})
        );
    }

    #[test]
    fn broken_targets_and_loops_are_errors_at_the_ref() {
        let (_, msgs) = run(json!({"paths": {
            "/missing": {"$ref": "#/components/pathItems/Nope"},
            "/scalar": {"$ref": "#/info/title"},
            "/loop": {"$ref": "#/components/pathItems/L1"},
            "/other-file": {"$ref": "other.yaml#/paths/~1x"}},
            "info": {"title": "t"},
            "components": {"pathItems": {
                "L1": {"$ref": "#/components/pathItems/L2"},
                "L2": {"$ref": "#/components/pathItems/L1"}}}}));
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].starts_with("/paths/~1missing/$ref path item `$ref` target"));
        assert!(msgs[1].starts_with("/paths/~1scalar/$ref") && msgs[1].contains("not a path item"));
        assert!(
            msgs[2].starts_with("/paths/~1loop/$ref path item `$ref` loop"),
            "{msgs:?}"
        );
        assert!(msgs[3].contains("is not followed"), "{msgs:?}");
    }
}
