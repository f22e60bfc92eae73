//! `mutualTLS` security schemes (OpenAPI 3.1) normalised away from HTTP credentials.
//!
//! A `mutualTLS` scheme is satisfied by the TLS handshake (a client certificate), not by
//! anything in the HTTP request, and `openapiv3` has no form for it. So each such scheme
//! is taken out of `components/securitySchemes` (with a warning saying what the client
//! and the server must do at the TLS layer) and out of every security requirement (the
//! document's and each operation's). A requirement made only of mutualTLS schemes
//! becomes `{}`, "no HTTP credential needed", and is moved after the requirement's other
//! alternatives, so that a client that has a credential for one of them still sends it.
//! The names removed are kept in `x-oagen-mutual-tls` on the operation (or the document)
//! whose requirement named them.

use serde_json::{Map, Value};

use crate::diag::{join, Diagnostic, Diagnostics};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Rewrites the mutualTLS schemes of `doc` as described in the module docs.
pub fn normalize(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let mut names: Vec<String> = Vec::new();
    if let Some(schemes) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
        .and_then(Value::as_object_mut)
    {
        schemes.retain(|name, scheme| {
            let mtls = scheme.get("type").and_then(Value::as_str) == Some("mutualTLS");
            if mtls {
                names.push(name.clone());
            }
            !mtls
        });
    }
    if names.is_empty() {
        return;
    }
    for name in &names {
        diags.push(
            Diagnostic::warning(
                join("/components/securitySchemes", name),
                format!("security scheme `{name}` is mutualTLS: it is satisfied at the TLS layer, not by an HTTP credential, so no credential is generated for it, and a requirement made only of mutualTLS schemes needs no HTTP credential"),
            )
            .with_hint("configure the client with its TLS identity (a client certificate, e.g. on the reqwest client it is built from), and run the server behind TLS that requires and verifies client certificates"),
        );
    }
    requirements(root, &names);
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for m in METHODS {
                if let Some(op) = item.get_mut(m).and_then(Value::as_object_mut) {
                    requirements(op, &names);
                }
            }
            // OpenAPI 3.2's other methods (`v32.rs`).
            if let Some(extra) = item
                .get_mut(super::v32::EXTRA_OPERATIONS)
                .and_then(Value::as_object_mut)
            {
                for op in extra.values_mut().filter_map(Value::as_object_mut) {
                    requirements(op, &names);
                }
            }
        }
    }
}

/// Takes the schemes `names` out of `holder`'s `security`, recording them in
/// `x-oagen-mutual-tls`.
fn requirements(holder: &mut Map<String, Value>, names: &[String]) {
    let Some(Value::Array(alternatives)) = holder.get_mut("security") else {
        return;
    };
    let mut used: Vec<Value> = Vec::new();
    let mut kept = Vec::new();
    let mut tls_only = Vec::new();
    for mut alt in std::mem::take(alternatives) {
        let Some(req) = alt.as_object_mut() else {
            kept.push(alt);
            continue;
        };
        let before = req.len();
        req.retain(|name, _| {
            let mtls = names.contains(name);
            if mtls && !used.iter().any(|u| u == name.as_str()) {
                used.push(Value::String(name.clone()));
            }
            !mtls
        });
        if req.is_empty() && before > 0 {
            tls_only.push(alt);
        } else {
            kept.push(alt);
        }
    }
    kept.extend(tls_only);
    *alternatives = kept;
    if !used.is_empty() {
        holder.insert("x-oagen-mutual-tls".into(), Value::Array(used));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn mutual_tls_leaves_requirements_and_schemes() {
        let mut doc = json!({
            "security": [{"mtls": []}, {"key": []}],
            "paths": {"/a": {"get": {"security": [{"mtls": [], "key": []}]}}},
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "k"}}}});
        let mut d = Diagnostics::new(Path::new("t.yaml"));
        normalize(&mut doc, &mut d);
        assert_eq!(doc["security"], json!([{"key": []}, {}]));
        assert_eq!(doc["x-oagen-mutual-tls"], json!(["mtls"]));
        assert_eq!(doc["paths"]["/a"]["get"]["security"], json!([{"key": []}]));
        assert_eq!(
            doc["paths"]["/a"]["get"]["x-oagen-mutual-tls"],
            json!(["mtls"])
        );
        assert_eq!(
            doc["components"]["securitySchemes"],
            json!({"key": {"type": "apiKey", "in": "header", "name": "k"}})
        );
        assert_eq!(d.items().len(), 1);
        assert_eq!(d.items()[0].pointer, "/components/securitySchemes/mtls");
    }
}
