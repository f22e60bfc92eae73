//! OpenAPI 3.2 documents brought to the 3.1 shape the rest of the loader reads: extra methods, tags, `$self`, and warnings for what is not modelled.
//!
//! Runs before `normalize` (which then treats the document as 3.1, whose schema
//! dialect 3.2 keeps). What it does:
//! - `query` and `additionalOperations` (custom methods such as `COPY`) move into
//!   the path item's `x-oagen-operations` (method → operation, method lower case),
//!   which `normalize` rewrites like any operation and the model builds
//!   (see [`EXTRA_OPERATIONS`]). A method that is no HTTP token, or that
//!   `additionalOperations` repeats from the fixed fields, is left out with a warning.
//! - tags' `parent`, `kind` and `summary` are kept as `x-oagen-parent`,
//!   `x-oagen-kind`, `x-summary`; `$self` as `x-oagen-self` on the root (references
//!   are resolved against the file they stand in, as before).
//! - `components.mediaTypes` entries referred to from `content` are put in place.
//! - `in: querystring` parameters become query parameters (`querystring.rs`).
//! - a response without `description` (optional in 3.2) takes its `summary`.
//! - `itemSchema` stays (normalised like `schema`, built as the item type); a
//!   response's streamed media type streams its items, others get a warning.
//! - what has no place in the model is removed or ignored with a warning naming
//!   the keyword: cookie `style: cookie`, `itemEncoding`/`prefixEncoding`,
//!   `servers[].name`, `oauth2MetadataUrl`, the `deviceAuthorization` flow,
//!   `dataValue` and `serializedValue` on examples.

use serde_json::{Map, Value};

use crate::diag::{join, Diagnostics};

/// The path item extension holding the operations of methods `openapiv3` has no
/// field for, by lower-case method.
pub const EXTRA_OPERATIONS: &str = "x-oagen-operations";

const FIXED: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// The JSON pointer of an extra operation (`query`, or one of
/// `additionalOperations` by its method as written).
pub fn extra_pointer(item_ptr: &str, method: &str, written: &str) -> String {
    if method == "query" {
        join(item_ptr, "query")
    } else {
        join(&join(item_ptr, "additionalOperations"), written)
    }
}

/// Rewrites a 3.2 document in place, as described in the module docs.
pub fn normalize(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(base) = root.shift_remove("$self") {
        root.insert("x-oagen-self".into(), base);
    }
    let media_types = root
        .get("components")
        .and_then(|c| c.get("mediaTypes"))
        .cloned();
    if let Some(tags) = root.get_mut("tags").and_then(Value::as_array_mut) {
        for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
            for (from, to) in [
                ("parent", "x-oagen-parent"),
                ("kind", "x-oagen-kind"),
                ("summary", "x-summary"),
            ] {
                if let Some(v) = tag.shift_remove(from) {
                    tag.insert(to.into(), v);
                }
            }
        }
    }
    servers(root.get("servers"), "/servers", diags);
    let querystring = root
        .get("components")
        .and_then(|c| c.get("parameters"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("querystring"))
        .map(|(n, p)| (n.clone(), p.clone()))
        .collect();
    let schemas = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .cloned();
    let cx = Cx {
        media_types: media_types.as_ref().and_then(Value::as_object),
        querystring,
        schemas: schemas.as_ref().and_then(Value::as_object),
    };
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            cx.path_item(item, &join("/paths", path), diags);
        }
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        components.shift_remove("mediaTypes");
        for (kind, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            let base = join("/components", kind);
            for (name, entry) in entries.iter_mut() {
                let ptr = join(&base, name);
                match kind.as_str() {
                    "parameters" if !cx.querystring.contains_key(name) => {
                        cx.parameter(entry, &ptr, diags);
                    }
                    "requestBodies" => cx.content(entry, &ptr, false, diags),
                    "responses" => cx.response(entry, &ptr, diags),
                    "headers" => cx.content(entry, &ptr, false, diags),
                    "securitySchemes" => security_scheme(entry, &ptr, diags),
                    "examples" => example(entry, &ptr, diags),
                    "pathItems" => cx.path_item(entry, &ptr, diags),
                    _ => {}
                }
            }
        }
        // The querystring parameters (warned about above; references to them were dropped).
        if let Some(params) = components
            .get_mut("parameters")
            .and_then(Value::as_object_mut)
        {
            params.retain(|n, _| !cx.querystring.contains_key(n));
        }
    }
}

fn servers(list: Option<&Value>, ptr: &str, diags: &mut Diagnostics) {
    for (i, s) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if s.get("name").is_some() {
            diags.warn(
                join(&join(ptr, &i.to_string()), "name"),
                "`name` on a server is not modelled (servers are told apart by their URL)",
            );
        }
    }
}

fn security_scheme(s: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    if s.get("oauth2MetadataUrl").is_some() {
        diags.warn(
            join(ptr, "oauth2MetadataUrl"),
            "`oauth2MetadataUrl` is not modelled (the flows' own URLs are used)",
        );
    }
    if let Some(flows) = s.get_mut("flows").and_then(Value::as_object_mut) {
        if flows.shift_remove("deviceAuthorization").is_some() {
            diags.warn(
                join(&join(ptr, "flows"), "deviceAuthorization"),
                "`deviceAuthorization` (OAuth 2 device flow) is not modelled; the scheme's token is passed as a bearer token",
            );
        }
    }
}

fn example(e: &Value, ptr: &str, diags: &mut Diagnostics) {
    for key in ["dataValue", "serializedValue"] {
        if e.get(key).is_some() {
            diags.warn(
                join(ptr, key),
                format!("`{key}` on an example is not modelled (only `value` is checked)"),
            );
        }
    }
}

struct Cx<'m> {
    media_types: Option<&'m Map<String, Value>>,
    /// The component parameters that are `in: querystring`, by name (expanded where referred to).
    querystring: Map<String, Value>,
    /// `components.schemas`, to read a querystring parameter's object schema.
    schemas: Option<&'m Map<String, Value>>,
}

impl Cx<'_> {
    fn path_item(&self, item: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        let Some(obj) = item.as_object_mut() else {
            return;
        };
        servers(obj.get("servers"), &join(ptr, "servers"), diags);
        self.parameters(obj, ptr, diags);
        let mut extra = Map::new();
        if let Some(op) = obj.shift_remove("query") {
            extra.insert("query".into(), op);
        }
        if let Some(Value::Object(more)) = obj.shift_remove("additionalOperations") {
            let base = join(ptr, "additionalOperations");
            for (method, op) in more {
                let lower = method.to_ascii_lowercase();
                let at = join(&base, &method);
                if !is_token(&method) || method != method.to_ascii_uppercase() {
                    diags.warn(at, format!("`additionalOperations` method `{method}` is left out: oagen generates methods written as upper-case HTTP tokens (e.g. COPY)"));
                } else if FIXED.contains(&lower.as_str()) {
                    diags.warn(at, format!("`additionalOperations` method `{method}` is left out: it has its own field (`{lower}`) on the path item"));
                } else {
                    extra.insert(lower, op);
                }
            }
        }
        for (method, op) in extra.iter_mut() {
            let written = method.to_ascii_uppercase();
            self.operation(op, &extra_pointer(ptr, method, &written), diags);
        }
        for m in &FIXED[..8] {
            if let Some(op) = obj.get_mut(*m) {
                self.operation(op, &join(ptr, m), diags);
            }
        }
        if !extra.is_empty() {
            obj.insert(EXTRA_OPERATIONS.into(), Value::Object(extra));
        }
    }

    fn operation(&self, op: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        let Some(obj) = op.as_object_mut() else {
            return;
        };
        servers(obj.get("servers"), &join(ptr, "servers"), diags);
        self.parameters(obj, ptr, diags);
        if let Some(body) = obj.get_mut("requestBody") {
            self.content(body, &join(ptr, "requestBody"), false, diags);
        }
        if let Some(rs) = obj.get_mut("responses").and_then(Value::as_object_mut) {
            for (code, r) in rs.iter_mut() {
                self.response(r, &join(&join(ptr, "responses"), code), diags);
            }
        }
    }

    /// Replaces the `querystring` parameters of a list (their own or referred
    /// to) by the query parameters they stand for (`querystring.rs`).
    fn parameters(&self, obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
        let Some(params) = obj.get_mut("parameters").and_then(Value::as_array_mut) else {
            return;
        };
        let base = join(ptr, "parameters");
        let mut kept = Vec::new();
        let mut added = Vec::new();
        for (i, mut p) in std::mem::take(params).into_iter().enumerate() {
            let at = join(&base, &i.to_string());
            let referred = p
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/parameters/"))
                .and_then(|n| self.querystring.get(n));
            let own = p.get("in").and_then(Value::as_str) == Some("querystring");
            if let Some(q) = referred.or(own.then_some(&p)) {
                // The first stands where the querystring parameter stood, the others after the list.
                let mut expanded =
                    super::querystring::expand(q, &at, self.schemas, diags).into_iter();
                kept.extend(expanded.next());
                added.extend(expanded);
                continue;
            }
            self.parameter(&mut p, &at, diags);
            kept.push(p);
        }
        kept.extend(added);
        *params = kept;
    }

    /// Checks one parameter (`querystring` ones are expanded where they are used).
    fn parameter(&self, p: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        let Some(obj) = p.as_object_mut() else {
            return;
        };
        match obj.get("in").and_then(Value::as_str) {
            Some("cookie") if obj.get("style").and_then(Value::as_str) == Some("cookie") => {
                diags.warn(
                    join(ptr, "style"),
                    "`cookie` style is not modelled; the cookie is written in the `form` style",
                );
                obj.insert("style".into(), Value::String("form".into()));
            }
            _ => {}
        }
        self.content(p, ptr, false, diags);
    }

    fn response(&self, r: &mut Value, ptr: &str, diags: &mut Diagnostics) {
        if let Some(obj) = r.as_object_mut() {
            if !obj.contains_key("description") && !obj.contains_key("$ref") {
                let text = obj.get("summary").cloned().unwrap_or_default();
                let text = if text.is_null() {
                    Value::String(String::new())
                } else {
                    text
                };
                obj.insert("description".into(), text);
            }
            if let Some(hs) = obj.get_mut("headers").and_then(Value::as_object_mut) {
                for (name, h) in hs.iter_mut() {
                    self.content(h, &join(&join(ptr, "headers"), name), false, diags);
                }
            }
        }
        self.content(r, ptr, true, diags);
    }

    /// The media types of a `content` holder: references into
    /// `components.mediaTypes` put in place, item keywords warned about.
    fn content(&self, holder: &mut Value, ptr: &str, response: bool, diags: &mut Diagnostics) {
        let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        let base = join(ptr, "content");
        for (name, media) in content.iter_mut() {
            let at = join(&base, name);
            for _ in 0..8 {
                let Some(r) = media.get("$ref").and_then(Value::as_str) else {
                    break;
                };
                let Some(target) = r
                    .strip_prefix("#/components/mediaTypes/")
                    .and_then(|n| self.media_types?.get(n))
                else {
                    break;
                };
                *media = target.clone();
            }
            // A response's event stream, JSON lines or sequence streams its items.
            let streams = response && crate::model::MediaKind::of_response(name).streams();
            if media.get("itemSchema").is_some() && !streams {
                diags.warn(
                    join(&at, "itemSchema"),
                    "`itemSchema` is modelled as the item type (`<body>Item`), but only a response's event stream, JSON lines or JSON text sequence is streamed: this body is read as one value of `schema` (bytes without one)",
                );
            }
            for key in ["itemEncoding", "prefixEncoding"] {
                if media.get(key).is_some() {
                    diags.warn(
                        join(&at, key),
                        format!("`{key}` (sequential media types) is not modelled"),
                    );
                }
            }
        }
    }
}

/// Whether `s` is an HTTP method token (RFC 9110 `tchar`s).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The JSON pointer of the operation of `method` (lower case) on the path item at `item_ptr`.
pub fn operation_pointer(item_ptr: &str, method: &str) -> String {
    if FIXED[..8].contains(&method) {
        join(item_ptr, method)
    } else {
        extra_pointer(item_ptr, method, &method.to_ascii_uppercase())
    }
}

/// The extra operations of every path item of the normalised document, by path,
/// in document order (those that do not deserialise are reported by
/// [`check_operations`] and left out).
pub fn extra_operations(
    raw: &Value,
) -> indexmap::IndexMap<String, Vec<(String, openapiv3::Operation)>> {
    let mut out = indexmap::IndexMap::new();
    let paths = raw.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let Some(extra) = item.get(EXTRA_OPERATIONS).and_then(Value::as_object) else {
            continue;
        };
        let ops: Vec<_> = extra
            .iter()
            .filter_map(|(m, op)| {
                let op = serde::Deserialize::deserialize(op).ok()?;
                Some((m.clone(), op))
            })
            .collect();
        out.insert(path.clone(), ops);
    }
    out
}

/// Reports each extra operation of a path item that is no valid operation, at its pointer.
pub fn check_operations(item: &Value, item_ptr: &str, diags: &mut Diagnostics) {
    let Some(extra) = item.get(EXTRA_OPERATIONS).and_then(Value::as_object) else {
        return;
    };
    for (m, op) in extra {
        let at = operation_pointer(item_ptr, m);
        super::de::<openapiv3::Operation>(op, &at, "operation", diags);
    }
}

/// Whether a (lower-case) method is one of the eight that every HTTP library names.
pub fn is_standard(method: &str) -> bool {
    FIXED[..8].contains(&method)
}

/// Every `itemSchema` of a media type (a `content` entry) in the normalised
/// document, by its JSON pointer.
pub fn item_schemas(raw: &Value) -> Vec<(String, &Value)> {
    fn walk<'v>(v: &'v Value, ptr: &str, out: &mut Vec<(String, &'v Value)>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(content)) = m.get("content") {
                    let base = join(ptr, "content");
                    for (media, mt) in content {
                        if let Some(item) = mt.get("itemSchema") {
                            out.push((join(&join(&base, media), "itemSchema"), item));
                        }
                    }
                }
                for (k, c) in m {
                    match (k.as_str(), c) {
                        // Extra operations, at the pointers the model gives them.
                        (EXTRA_OPERATIONS, Value::Object(ops)) => {
                            for (method, op) in ops {
                                walk(op, &operation_pointer(ptr, method), out);
                            }
                        }
                        _ => walk(c, &join(ptr, k), out),
                    }
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    walk(c, &join(ptr, &i.to_string()), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(raw, "", &mut out);
    out
}
