//! Operations' callbacks kept: `$ref`s to `components/callbacks` and path-item `$ref`s inside them inlined, each callback checked at its pointer; a broken one is left out with a warning.
//!
//! A callback is a map from a key (a runtime expression template such as
//! `{$request.body#/callbackUrl}`) to a path item. `openapiv3` reads an
//! operation's `callbacks` as such maps, with no references, so every reference
//! is inlined here, before normalisation: a callback that is a `$ref` (to
//! `#/components/callbacks/X`, chains followed with a loop guard) becomes a copy
//! of its target, and a path item that is a `$ref` becomes a copy of its target
//! (as `paths.rs` does for paths). `components/callbacks` then goes (`normalize`).
//! After normalisation (`normalize` treats each callback path item as a path item
//! at its pointer, e.g. `/paths/~1orders/post/callbacks/onShipped/{$request.body#~1url}`),
//! [`check`] reads each one as a path item and checks its local references; a
//! callback that does not resolve, does not read, or refers to nothing is
//! left out with a warning at its pointer, so it never rejects the rest of the spec.
//! Only the eight fixed methods of `paths` keep callbacks; elsewhere (webhooks,
//! 3.2's extra operations, callbacks' own operations) `normalize` drops them with a warning.

use serde_json::{Map, Value};

use crate::diag::{join, Diagnostics, Severity};

/// How many references may be followed from one callback.
const MAX_HOPS: usize = 64;

/// The methods whose operations keep their callbacks.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Whether the operation at `ptr` keeps its callbacks: a fixed method of a path.
pub(super) fn keeps_callbacks(ptr: &str) -> bool {
    let Some(rest) = ptr.strip_prefix("/paths/") else {
        return false;
    };
    let mut parts = rest.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(_), Some(m), None) if METHODS.contains(&m)
    )
}

/// Every operation of `/paths` holding callbacks: (path, method).
fn owners(doc: &Value) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for m in METHODS {
            if item.get(m).and_then(|op| op.get("callbacks")).is_some() {
                out.push((path.clone(), m));
            }
        }
    }
    out
}

/// The operation object at `/paths/<path>/<method>`.
fn operation_mut<'a>(
    doc: &'a mut Value,
    path: &str,
    method: &str,
) -> Option<&'a mut Map<String, Value>> {
    doc.get_mut("paths")?
        .get_mut(path)?
        .get_mut(method)?
        .as_object_mut()
}

/// Inlines the references of every operation's callbacks (see the module docs).
pub(super) fn inline_refs(doc: &mut Value, diags: &mut Diagnostics) {
    for (path, method) in owners(doc) {
        let op_ptr = join(&join("/paths", &path), method);
        let Some(callbacks) = doc
            .get("paths")
            .and_then(|p| p.get(&path))
            .and_then(|i| i.get(method))
            .and_then(|o| o.get("callbacks"))
        else {
            continue;
        };
        let at = join(&op_ptr, "callbacks");
        let mut kept = Map::new();
        match callbacks.as_object() {
            Some(map) => {
                for (name, cb) in map {
                    if name.starts_with("x-") {
                        continue;
                    }
                    let cb_ptr = join(&at, name);
                    if let Some(cb) = callback(doc, cb, &cb_ptr, diags) {
                        kept.insert(name.clone(), Value::Object(cb));
                    }
                }
            }
            None => diags.warn(
                at.clone(),
                "`callbacks` must be a mapping of callback names to callbacks; they are left out",
            ),
        }
        if let Some(op) = operation_mut(doc, &path, method) {
            if kept.is_empty() {
                op.shift_remove("callbacks");
            } else {
                op.insert("callbacks".into(), Value::Object(kept));
            }
        }
    }
}

/// One callback with its references inlined, or None (with a warning).
fn callback(
    doc: &Value,
    cb: &Value,
    ptr: &str,
    diags: &mut Diagnostics,
) -> Option<Map<String, Value>> {
    let mut cur = cb;
    let mut at = ptr.to_string();
    let mut seen: Vec<String> = Vec::new();
    while let Some(r) = cur.get("$ref") {
        let ref_at = join(&at, "$ref");
        let target = r.as_str().and_then(|t| t.strip_prefix('#'));
        let next = target.and_then(|t| super::resolve_pointer(doc, t));
        let problem = match (target, next) {
            (None, _) => Some(format!(
                "a callback's `$ref` must name a callback of this document, found {r}"
            )),
            (Some(t), _) if seen.iter().any(|s| s == t) || seen.len() >= MAX_HOPS => {
                Some(format!("callback `$ref` loop through {r}"))
            }
            (Some(_), None) => Some(format!("callback `$ref` target {r} does not exist")),
            _ => None,
        };
        if let Some(problem) = problem {
            diags.warn(ref_at, format!("{problem}; the callback is left out"));
            return None;
        }
        let t = target.unwrap_or_default();
        seen.push(t.to_string());
        at = t.to_string();
        cur = next?;
    }
    let Some(map) = cur.as_object() else {
        diags.warn(
            ptr,
            "a callback must be a mapping of expressions to path items; it is left out",
        );
        return None;
    };
    let mut out = Map::new();
    for (expr, item) in map {
        if expr.starts_with("x-") {
            continue;
        }
        let item_ptr = join(ptr, expr);
        let Some(obj) = item.as_object() else {
            diags.warn(
                item_ptr,
                "a callback's path item must be a mapping; it is left out",
            );
            continue;
        };
        let item = if obj.contains_key("$ref") {
            let mut scratch = Diagnostics::default();
            match super::paths::resolve(doc, obj, &item_ptr, &mut scratch) {
                Some(v) => v,
                None => {
                    as_warnings(scratch, diags, "the callback's path item is left out");
                    continue;
                }
            }
        } else {
            item.clone()
        };
        out.insert(expr.clone(), item);
    }
    (!out.is_empty()).then_some(out)
}

/// Each diagnostic of `scratch` added to `diags` as a warning, `consequence` appended.
fn as_warnings(scratch: Diagnostics, diags: &mut Diagnostics, consequence: &str) {
    for mut d in scratch.into_vec() {
        d.severity = Severity::Warning;
        d.message = format!("{}; {consequence}", d.message);
        d.hint = None;
        diags.push(d);
    }
}

/// Checks every callback path item of the normalised document: it must read as
/// a path item, and its local references must resolve; one that does not is
/// left out with a warning (and a callback left empty with it).
pub(super) fn check(doc: &mut Value, diags: &mut Diagnostics) {
    for (path, method) in owners(doc) {
        let op_ptr = join(&join("/paths", &path), method);
        let mut broken: Vec<(String, String)> = Vec::new();
        if let Some(Value::Object(callbacks)) = doc
            .get("paths")
            .and_then(|p| p.get(&path))
            .and_then(|i| i.get(method))
            .and_then(|o| o.get("callbacks"))
        {
            for (name, cb) in callbacks {
                let cb_ptr = join(&join(&op_ptr, "callbacks"), name);
                for (expr, item) in cb.as_object().into_iter().flatten() {
                    let item_ptr = join(&cb_ptr, expr);
                    let mut scratch = Diagnostics::default();
                    let read = super::de::<openapiv3::PathItem>(
                        item,
                        &item_ptr,
                        "path item",
                        &mut scratch,
                    );
                    if read.is_none() {
                        as_warnings(scratch, diags, "the callback's path item is left out");
                        broken.push((name.clone(), expr.clone()));
                    } else if let Some((at, r)) = missing_ref(doc, item, &item_ptr) {
                        diags.warn(
                            at,
                            format!("reference `{r}` does not resolve; the callback's path item is left out"),
                        );
                        broken.push((name.clone(), expr.clone()));
                    }
                }
            }
        }
        let Some(op) = operation_mut(doc, &path, method) else {
            continue;
        };
        if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
            for (name, expr) in &broken {
                if let Some(cb) = callbacks.get_mut(name).and_then(Value::as_object_mut) {
                    cb.shift_remove(expr);
                }
            }
            callbacks.retain(|_, cb| cb.as_object().is_some_and(|m| !m.is_empty()));
            if callbacks.is_empty() {
                op.shift_remove("callbacks");
            }
        }
    }
}

/// The first local `$ref` under `v` whose target is missing: its pointer and text.
fn missing_ref(doc: &Value, v: &Value, ptr: &str) -> Option<(String, String)> {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                if let Some(t) = r.strip_prefix('#') {
                    if super::resolve_pointer(doc, t).is_none() {
                        return Some((join(ptr, "$ref"), r.to_string()));
                    }
                }
            }
            m.iter()
                .filter(|(k, _)| k.as_str() != "$ref")
                .find_map(|(k, c)| missing_ref(doc, c, &join(ptr, k)))
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, c)| missing_ref(doc, c, &join(ptr, &i.to_string()))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::keeps_callbacks;

    #[test]
    fn only_the_fixed_methods_of_paths_keep_callbacks() {
        assert!(keeps_callbacks("/paths/~1orders/post"));
        assert!(!keeps_callbacks("/webhooks/x/post"));
        assert!(!keeps_callbacks("/paths/~1orders/query"));
        assert!(!keeps_callbacks("/paths/~1o/post/callbacks/c/{$url}/post"));
    }
}
