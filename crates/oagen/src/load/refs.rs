//! Reference checking: every `$ref` local, resolvable, and not part of a loop of references.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{local_pointer, percent_decode, resolve_pointer};
use crate::diag::{escape_token, join, Diagnostics};

/// The message and hint for a `$ref` that still leaves the document after bundling
/// (`bundle.rs` follows file references at every place OpenAPI defines one): a URL
/// (never fetched) or another file named where no reference is read.
pub(crate) fn external(target: &str) -> (String, String) {
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        (
            format!("`$ref` to a URL `{target}`: oagen does not fetch references over the network"),
            "download the file next to the spec and bundle the two into one file (e.g. `redocly bundle` or `swagger-cli bundle`)".into(),
        )
    } else {
        (
            format!(
                "`$ref` to another file `{target}` where OpenAPI defines no reference: it is not followed"
            ),
            "move the `$ref` to a schema, path item, parameter, response, request body, header or example, or bundle the spec into one file (e.g. `redocly bundle`)"
                .into(),
        )
    }
}

/// Checks every `$ref` in the document: it must be local, resolve, and not be
/// part of a chain of references that loops back on itself.
pub(super) fn check_refs(raw: &Value, diags: &mut Diagnostics) {
    let mut refs: BTreeMap<String, String> = BTreeMap::new(); // holder pointer -> target
    collect_refs(raw, &mut String::new(), false, &mut refs);
    for (holder, target) in &refs {
        let at = format!("{holder}/$ref");
        let Some(ptr) = local_pointer(target) else {
            let (message, hint) = external(target);
            diags.error(at, message, hint);
            continue;
        };
        if resolve_pointer(raw, ptr).is_none() {
            diags.error(
                at,
                format!("`$ref` target `{target}` does not exist"),
                hint_for_missing(raw, ptr),
            );
        }
    }
    // Loops of pure references (`{$ref: ...}` and nothing else): reported once per loop,
    // at the member whose pointer sorts first.
    let pure = |p: &str| -> Option<String> {
        let m = resolve_pointer(raw, p)?.as_object()?;
        if m.len() != 1 {
            return None;
        }
        let r = m.get("$ref")?.as_str()?;
        local_pointer(r).map(percent_decode)
    };
    let mut reported = std::collections::BTreeSet::new();
    for holder in refs.keys() {
        let mut path: Vec<String> = vec![holder.clone()];
        let mut cur = holder.clone();
        while let Some(next) = pure(&cur) {
            if let Some(pos) = path.iter().position(|p| *p == next) {
                let cycle = &path[pos..];
                let first = cycle.iter().min().cloned().unwrap_or_default();
                if reported.insert(first.clone()) {
                    let start = cycle.iter().position(|p| *p == first).unwrap_or(0);
                    let mut chain: Vec<String> = cycle[start..]
                        .iter()
                        .chain(cycle[..start].iter())
                        .map(|p| format!("#{p}"))
                        .collect();
                    chain.push(format!("#{first}"));
                    diags.error(
                        format!("{first}/$ref"),
                        format!(
                            "`$ref` cycle: {} never reaches a definition",
                            chain.join(" -> ")
                        ),
                        "make one of these a real schema (or object) instead of another `$ref`",
                    );
                }
                break;
            }
            if path.len() > 10_000 {
                break;
            }
            path.push(next.clone());
            cur = next;
        }
    }
}

fn hint_for_missing(raw: &Value, ptr: &str) -> String {
    if let Some(name) = ptr.strip_prefix("/components/schemas/") {
        let known: Vec<&str> = raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if let Some(close) = known.iter().find(|k| k.eq_ignore_ascii_case(name)) {
            return format!("did you mean `#/components/schemas/{close}`?");
        }
        return format!("define `{name}` under components/schemas, or correct the reference");
    }
    "correct the reference so that it points at an existing definition".into()
}

fn collect_refs(v: &Value, at: &mut String, in_props: bool, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            if !in_props {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.insert(at.clone(), r.clone());
                }
            }
            for (k, child) in m {
                // Examples, defaults and enums are data: a `$ref` key inside one is a value.
                // (Media-type `examples` hold Example objects, which may be references.)
                let data = !in_props
                    && matches!(
                        k.as_str(),
                        "example" | "default" | "enum" | "const" | "x-oagen-examples"
                    );
                if data || (k == "$ref" && !in_props) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&escape_token(k));
                if !in_props && k == "examples" && child.is_object() {
                    for (name, ex) in child.as_object().into_iter().flatten() {
                        if let Some(Value::String(r)) = ex.get("$ref") {
                            out.insert(join(at, name), r.clone());
                        }
                    }
                } else if !k.starts_with("x-") || in_props {
                    let child_props = !in_props
                        && matches!(
                            k.as_str(),
                            "properties"
                                | "patternProperties"
                                | "$defs"
                                | "definitions"
                                | "schemas"
                                | "responses"
                                | "parameters"
                                | "headers"
                                | "requestBodies"
                                | "securitySchemes"
                                | "paths"
                                | "callbacks"
                                | "links"
                                | "content"
                                | "encoding"
                                | "variables"
                                | "mapping"
                        );
                    collect_refs(child, at, child_props, out);
                }
                at.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                collect_refs(child, at, false, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}
