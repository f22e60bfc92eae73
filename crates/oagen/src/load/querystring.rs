//! OpenAPI 3.2 `in: querystring` parameters: a form-encoded object becomes one `in: query` parameter per property (form style, exploded), the same bytes on the wire; any other kind is left out with a warning.

use serde_json::{Map, Value};

use crate::diag::{join, Diagnostics};

/// The query parameters standing for the querystring parameter `q` (at `ptr`),
/// its schema's `$ref`s resolved in `schemas` (`components.schemas`).
pub(super) fn expand(
    q: &Value,
    ptr: &str,
    schemas: Option<&Map<String, Value>>,
    diags: &mut Diagnostics,
) -> Vec<Value> {
    let name = q.get("name").and_then(Value::as_str).unwrap_or_default();
    let left_out = |diags: &mut Diagnostics, at: String, why: &str| {
        diags.warn(
            at,
            format!("`querystring` parameter `{name}` is left out of the generated code: {why}"),
        );
        Vec::new()
    };
    let Some((media, mt)) = q
        .get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.iter().next())
    else {
        return left_out(diags, ptr.to_string(), "it has no `content`");
    };
    let at = join(&join(ptr, "content"), media);
    if media != "application/x-www-form-urlencoded" {
        return left_out(
            diags,
            at,
            "only `application/x-www-form-urlencoded` query strings are modelled",
        );
    }
    let mut schema = mt.get("schema");
    for _ in 0..16 {
        let Some(r) = schema.and_then(|s| s.get("$ref")).and_then(Value::as_str) else {
            break;
        };
        schema = r
            .strip_prefix("#/components/schemas/")
            .and_then(|n| schemas?.get(n));
    }
    let Some(props) = schema
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
    else {
        return left_out(
            diags,
            join(&at, "schema"),
            "its schema is not an object with `properties`",
        );
    };
    if schema
        .and_then(|s| s.get("additionalProperties"))
        .is_some_and(|a| a != &Value::Bool(false))
    {
        diags.warn(
            join(&at, "schema"),
            format!("`additionalProperties` of `querystring` parameter `{name}` is not modelled: only its declared properties are sent and read"),
        );
    }
    let required: Vec<&str> = schema
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let all_required = q.get("required") == Some(&Value::Bool(true));
    props
        .iter()
        .map(|(prop, s)| {
            let mut p = Map::new();
            p.insert("name".into(), Value::String(prop.clone()));
            p.insert("in".into(), Value::String("query".into()));
            let req = all_required && required.contains(&prop.as_str());
            p.insert("required".into(), Value::Bool(req));
            if let Some(d) = s.get("description") {
                p.insert("description".into(), d.clone());
            }
            p.insert("style".into(), Value::String("form".into()));
            p.insert("explode".into(), Value::Bool(true));
            p.insert("schema".into(), s.clone());
            Value::Object(p)
        })
        .collect()
}
