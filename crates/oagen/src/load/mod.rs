//! The loader: spec file -> parsed, normalised, validated `openapiv3::OpenAPI`.
//!
//! Steps: read the file; parse YAML or JSON into a `serde_json::Value` ([`parse`]);
//! rewrite `$ref`s to `$id`s and `$anchor`s into pointers (`ids`); bundle other
//! files ([`bundle`]); check the version (Swagger 2.0 is refused with a diagnostic); normalise 3.1 into
//! the 3.0 shape ([`normalize`]); deserialise each section separately so that every
//! broken section is reported, not just the first; check that every `$ref` resolves
//! and that no chain of `$ref`s loops (`refs`). Diagnostics get line numbers from
//! [`locate`]. Loading runs on a large stack ([`crate::with_large_stack`]).

pub mod bundle;
mod callbacks;
pub(crate) mod event_data;
mod ids;
pub mod json_schema;
pub mod keywords;
pub mod locate;
pub mod normalize;
mod numbers;
pub mod parse;
mod paths;
mod querystring;
mod refs;
mod security;
pub mod sources;
pub mod v32;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Paths, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::{escape_token, join, Diagnostic, Diagnostics, Failure};
pub use normalize::Dialect;
pub use parse::parse_text;

/// A loaded spec: the typed document plus the normalised raw tree that `$ref`
/// pointers are resolved against.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file it was read from.
    pub path: PathBuf,
    /// The dialect the document declared.
    pub dialect: Dialect,
    /// The normalised document as JSON.
    pub raw: Value,
    /// The typed document.
    pub doc: OpenAPI,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
    /// Every file read (the root and those its `$ref`s name) and where each bundled part came from.
    pub sources: sources::Sources,
}

/// Reads and loads the spec at `path`.
pub fn load_file(path: &Path) -> Result<Spec, Failure> {
    let read = crate::timing::time("read", || {
        std::fs::read(path).map(|bytes| String::from_utf8(bytes).map_err(|e| e.utf8_error()))
    });
    match read {
        Ok(text) => match text {
            Ok(text) => load_str(path, &text),
            Err(e) => Err(Failure {
                diagnostics: vec![file_diag(
                    path,
                    Diagnostic::error("", format!("the file is not UTF-8 text: {e}"))
                        .with_hint("save the spec as UTF-8"),
                )],
            }),
        },
        Err(e) => Err(Failure {
            diagnostics: vec![file_diag(
                path,
                Diagnostic::error("", format!("cannot read the file: {e}"))
                    .with_hint("check the path and its permissions"),
            )],
        }),
    }
}

fn file_diag(path: &Path, mut d: Diagnostic) -> Diagnostic {
    d.file = path.to_path_buf();
    d
}

/// Loads a spec from its text. `path` names it in diagnostics and picks the format.
/// Runs on a large stack (see [`crate::with_large_stack`]).
pub fn load_str(path: &Path, text: &str) -> Result<Spec, Failure> {
    crate::with_large_stack(|| load_here(path, text))
}

fn load_here(path: &Path, text: &str) -> Result<Spec, Failure> {
    let mut diags = Diagnostics::new(path);
    let mut raw = match crate::timing::time("parse", || parse_text(path, text)) {
        Ok(v) => v,
        Err(d) => {
            return Err(Failure {
                diagnostics: vec![*d],
            })
        }
    };
    // A 3.0 document's `x-webhooks` are its webhooks (diagnostics keep its pointers).
    let x_webhooks = paths::adopt_x_webhooks(&mut raw, &mut diags);
    crate::timing::time("parse", || ids::resolve(&mut raw, &mut diags));
    let mut sources = crate::timing::time("parse", || bundle::bundle(path, &mut raw, &mut diags));
    if x_webhooks {
        sources.alias("/webhooks", paths::X_WEBHOOKS_POINTER);
    }
    let result = crate::timing::time("normalise", || load_value(&mut raw, &mut diags));
    // Translated to the files the bundled parts came from, with their lines.
    match result {
        Some((dialect, doc)) if !diags.has_errors() => Ok(Spec {
            path: path.to_path_buf(),
            dialect,
            raw,
            doc,
            warnings: sources.finish(text, diags.into_vec()),
            sources,
        }),
        _ => Err(Failure {
            diagnostics: sources.finish(text, diags.into_vec()),
        }),
    }
}

fn load_value(raw: &mut Value, diags: &mut Diagnostics) -> Option<(Dialect, OpenAPI)> {
    let Some(root) = raw.as_object() else {
        diags.error("", "the document is not a mapping (an OpenAPI document is an object with `openapi`, `info` and `paths`)", "check that this file is an OpenAPI document");
        return None;
    };
    if let Some(v) = root.get("swagger") {
        let version = v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
        diags.error(
            "/swagger",
            format!("Swagger {version} (OpenAPI 2.0) is not supported; oagen reads OpenAPI 3.0, 3.1 and 3.2"),
            "convert the document to OpenAPI 3 first, e.g. with swagger2openapi or the Swagger Editor's \"Convert to OpenAPI 3\"",
        );
        return None;
    }
    let version = match root.get("openapi") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            diags.error(
                "/openapi",
                format!("`openapi` must be a version string such as \"3.1.0\", found {other}"),
                "quote the version: openapi: \"3.0.3\"",
            );
            return None;
        }
        None => {
            diags.error(
                "",
                "no `openapi` version field: this is not an OpenAPI 3 document",
                "add `openapi: 3.1.0` (or the 3.0.x version the document follows) at the top",
            );
            return None;
        }
    };
    let dialect = if version.starts_with("3.0") {
        Dialect::V30
    } else if version.starts_with("3.1") {
        Dialect::V31
    } else if version.starts_with("3.2") {
        v32::normalize(raw, diags);
        Dialect::V32
    } else {
        diags.error(
            "/openapi",
            format!(
                "OpenAPI version {version} is not supported; oagen reads 3.0.x, 3.1.x and 3.2.x"
            ),
            "use an OpenAPI 3.0, 3.1 or 3.2 document",
        );
        return None;
    };
    normalize::normalize(raw, dialect, diags);
    // The references are checked on a thread of their own while the sections
    // are deserialised; their diagnostics follow those of the sections.
    let raw: &Value = raw;
    let mut ref_diags = Diagnostics::default();
    let (doc, spawned) = std::thread::scope(|scope| {
        let refs = crate::spawn_large(scope, || refs::check_refs(raw, &mut ref_diags));
        let doc = deserialize_sections(raw, diags);
        let spawned = refs.is_some();
        if let Some(Err(panic)) = refs.map(|r| r.join()) {
            std::panic::resume_unwind(panic);
        }
        (doc, spawned)
    });
    if !spawned {
        refs::check_refs(raw, &mut ref_diags);
    }
    let doc = doc?;
    // Webhooks: each path item checked here, read again by the model.
    if let Some(root) = raw.as_object() {
        section::<openapiv3::PathItem>(root, "webhooks", "path item", diags);
    }
    absorb(diags, ref_diags);
    if diags.has_errors() {
        return None;
    }
    Some((dialect, doc))
}

/// Deserialises `v` as `T`, reporting a failure at the precise pointer.
pub(crate) fn de<T: DeserializeOwned>(
    v: &Value,
    ptr: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(t) => Some(t),
        Err(e) => {
            let mut pointer = ptr.to_string();
            for seg in e.path().iter() {
                use serde_path_to_error::Segment;
                match seg {
                    Segment::Seq { index } => pointer = join(&pointer, &index.to_string()),
                    Segment::Map { key } => pointer = join(&pointer, key),
                    Segment::Enum { .. } | Segment::Unknown => {}
                }
            }
            diags.error(pointer, format!("invalid {what}: {}", e.inner()), format!("make this a valid OpenAPI {what} (see the OpenAPI 3 specification for its fields)"));
            None
        }
    }
}

/// The path items, each deserialised on its own; a broken one is reported at the
/// operation (or parameter list) that breaks it, where that can be told.
fn path_items(
    root: &serde_json::Map<String, Value>,
    diags: &mut Diagnostics,
) -> Option<IndexMap<String, ReferenceOr<openapiv3::PathItem>>> {
    let mut out = IndexMap::new();
    let Some(Value::Object(m)) = root.get("paths") else {
        return section(root, "paths", "path item", diags);
    };
    for (path, v) in m {
        if path.starts_with("x-") {
            continue;
        }
        let ptr = join("/paths", path);
        v32::check_operations(v, &ptr, diags);
        if let Ok(item) = <ReferenceOr<openapiv3::PathItem> as serde::Deserialize>::deserialize(v) {
            out.insert(path.clone(), item);
            continue;
        }
        // Find the parts that fail, so that each is reported where it is.
        let before = diags.items().len();
        if let Value::Object(fields) = v {
            for (k, field) in fields {
                let at = join(&ptr, k);
                match k.as_str() {
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                        de::<openapiv3::Operation>(field, &at, "operation", diags);
                    }
                    "parameters" => {
                        de::<Vec<ReferenceOr<openapiv3::Parameter>>>(
                            field,
                            &at,
                            "parameter list",
                            diags,
                        );
                    }
                    "servers" => {
                        de::<Vec<openapiv3::Server>>(field, &at, "server list", diags);
                    }
                    _ => {}
                }
            }
        }
        if diags.items().len() == before {
            de::<ReferenceOr<openapiv3::PathItem>>(v, &ptr, "path item", diags);
        }
    }
    Some(out)
}

fn section<T: DeserializeOwned>(
    root: &serde_json::Map<String, Value>,
    key: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<IndexMap<String, T>> {
    let mut out = IndexMap::new();
    match root.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            let base = format!("/{}", escape_token(key));
            // Entries of a components map are names (`x-rate-limit` is a valid header
            // name); only the Components object itself carries extensions.
            for (k, v) in m {
                if let Some(t) = de::<T>(v, &join(&base, k), what, diags) {
                    out.insert(k.clone(), t);
                }
            }
        }
        Some(_) => diags.error(
            format!("/{}", escape_token(key)),
            format!("`{key}` must be a mapping"),
            "see the OpenAPI 3 specification",
        ),
    }
    Some(out)
}

fn extensions(m: &serde_json::Map<String, Value>) -> IndexMap<String, Value> {
    m.iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn deserialize_sections(raw: &Value, diags: &mut Diagnostics) -> Option<OpenAPI> {
    let root = raw.as_object()?;
    let info = match root.get("info") {
        Some(v) => de(v, "/info", "info object", diags),
        None => {
            diags.error(
                "",
                "the document has no `info` object",
                "add `info:` with at least `title` and `version`",
            );
            None
        }
    };
    let servers = match root.get("servers") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(v) => de(v, "/servers", "server list", diags),
    };
    // The two large sections, paths and components, are deserialised at once
    // on two threads, each into diagnostics of its own, taken in document
    // order afterwards.
    let mut path_diags = Diagnostics::default();
    let mut component_diags = Diagnostics::default();
    let (paths, components) = std::thread::scope(|scope| {
        let paths = crate::spawn_large(scope, || path_items(root, &mut path_diags));
        let components = components_section(root, &mut component_diags);
        let paths = paths.map(|p| match p.join() {
            Ok(paths) => paths,
            Err(panic) => std::panic::resume_unwind(panic),
        });
        (paths, components)
    });
    let paths = match paths {
        Some(paths) => paths,
        None => path_items(root, &mut path_diags),
    };
    absorb(diags, path_diags);
    let security = match root.get("security") {
        None | Some(Value::Null) => Some(None),
        Some(v) => de::<Vec<openapiv3::SecurityRequirement>>(
            v,
            "/security",
            "security requirement list",
            diags,
        )
        .map(Some),
    };
    let tags = match root.get("tags") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(v) => de(v, "/tags", "tag list", diags),
    };
    let external_docs = match root.get("externalDocs") {
        None | Some(Value::Null) => Some(None),
        Some(v) => de(v, "/externalDocs", "external documentation object", diags).map(Some),
    };
    absorb(diags, component_diags);
    let paths = paths?;
    Some(OpenAPI {
        openapi: "3.0.3".into(),
        info: info?,
        servers: servers?,
        paths: Paths {
            paths,
            extensions: root
                .get("paths")
                .and_then(Value::as_object)
                .map(extensions)
                .unwrap_or_default(),
        },
        components: components?,
        security: security?,
        tags: tags?,
        external_docs: external_docs?,
        extensions: extensions(root),
    })
}

/// The `components` section, deserialised section by section.
#[allow(clippy::option_option)]
fn components_section(
    root: &serde_json::Map<String, Value>,
    diags: &mut Diagnostics,
) -> Option<Option<Components>> {
    match root.get("components") {
        None | Some(Value::Null) => Some(None),
        Some(Value::Object(c)) => {
            let schemas = section(c, "schemas", "schema", &mut sub(diags, "/components"));
            let responses = section(c, "responses", "response", &mut sub(diags, "/components"));
            let parameters = section(c, "parameters", "parameter", &mut sub(diags, "/components"));
            let examples = section(c, "examples", "example", &mut sub(diags, "/components"));
            let request_bodies = section(
                c,
                "requestBodies",
                "request body",
                &mut sub(diags, "/components"),
            );
            let headers = section(c, "headers", "header", &mut sub(diags, "/components"));
            let security_schemes = section(
                c,
                "securitySchemes",
                "security scheme",
                &mut sub(diags, "/components"),
            );
            let links = section(c, "links", "link", &mut sub(diags, "/components"));
            let callbacks = section(c, "callbacks", "callback", &mut sub(diags, "/components"));
            Some(Some(Components {
                schemas: schemas?,
                responses: responses?,
                parameters: parameters?,
                examples: examples?,
                request_bodies: request_bodies?,
                headers: headers?,
                security_schemes: security_schemes?,
                links: links?,
                callbacks: callbacks?,
                extensions: extensions(c),
            }))
        }
        Some(_) => {
            diags.error(
                "/components",
                "`components` must be a mapping",
                "see the OpenAPI 3 specification",
            );
            None
        }
    }
}

/// Moves the diagnostics of `local` into `diags`, in order (with `diags`'s file).
fn absorb(diags: &mut Diagnostics, local: Diagnostics) {
    for d in local.into_vec() {
        diags.push(d);
    }
}

/// Diagnostics under a prefix: pointers pushed through it are made absolute.
struct Sub<'a> {
    inner: &'a mut Diagnostics,
    prefix: &'static str,
    local: Diagnostics,
}

fn sub<'a>(d: &'a mut Diagnostics, prefix: &'static str) -> Sub<'a> {
    Sub {
        local: Diagnostics::default(),
        inner: d,
        prefix,
    }
}

impl std::ops::Deref for Sub<'_> {
    type Target = Diagnostics;
    fn deref(&self) -> &Diagnostics {
        &self.local
    }
}

impl std::ops::DerefMut for Sub<'_> {
    fn deref_mut(&mut self) -> &mut Diagnostics {
        &mut self.local
    }
}

impl Drop for Sub<'_> {
    fn drop(&mut self) {
        for mut d in std::mem::take(&mut self.local).into_vec() {
            d.pointer = format!("{}{}", self.prefix, d.pointer);
            self.inner.push(d);
        }
    }
}

/// Resolves a local JSON pointer (without the leading `#`) in `raw`, following a
/// `$ref` it passes through (`json_schema::follow_pointer`).
pub fn resolve_pointer<'a>(raw: &'a Value, pointer: &str) -> Option<&'a Value> {
    json_schema::follow_pointer(raw, pointer, json_schema::Escapes::Fragment).map(|(v, _)| v)
}

/// `$ref` values are URI fragments: `%25` and friends may appear.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The local pointer of a `$ref` value, or None for an external reference.
pub fn local_pointer(reference: &str) -> Option<&str> {
    reference.strip_prefix('#')
}

/// The parse floor of a spec file, for benchmarks: the seconds to read it and
/// parse it into a `serde_json::Value`, and to read it and parse it straight
/// into `openapiv3::OpenAPI` (None when that fails, e.g. for OpenAPI 3.1
/// documents it cannot represent).
pub fn parse_floor(path: &Path) -> Result<(f64, Option<f64>), String> {
    let is_json = path.extension().is_some_and(|e| e == "json");
    let start = std::time::Instant::now();
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let value: Result<Value, String> = if is_json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        yaml_serde::from_str(&text).map_err(|e| e.to_string())
    };
    let value = value?;
    let to_value = start.elapsed().as_secs_f64();
    drop(value);
    drop(text);
    let start = std::time::Instant::now();
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let doc: Option<OpenAPI> = if is_json {
        serde_json::from_str(&text).ok()
    } else {
        yaml_serde::from_str(&text).ok()
    };
    let to_openapi = doc.is_some().then(|| start.elapsed().as_secs_f64());
    drop(doc);
    Ok((to_value, to_openapi))
}
