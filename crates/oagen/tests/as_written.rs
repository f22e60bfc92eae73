//! Valid specs as their authors wrote them (issue 17): numbers of any magnitude,
//! operations without `responses`, `mutualTLS`, path items that are references,
//! deep documents, and honest diagnostics for references outside the document.

mod support;

use std::path::Path;

use oagen::model::{Api, Status};
use oagen::{Diagnostic, Severity};
use support::{crate_options, errors, field, spec_path as spec};

fn analyze(path: &Path) -> (Api, Vec<Diagnostic>) {
    match oagen::analyze(path) {
        Ok(a) => (a.api, a.warnings),
        Err(f) => panic!("{} should load:\n{f}", path.display()),
    }
}

/// Loads `text` as the file `name` in a scratch folder; the errors, or None.
fn errors_of(name: &str, text: &str) -> Option<Vec<Diagnostic>> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("as_written");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the spec");
    match oagen::analyze(&path) {
        Ok(_) => None,
        Err(f) => Some(
            f.diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
        ),
    }
}

fn op<'a>(api: &'a Api, id: &str) -> &'a oagen::model::Operation {
    api.operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

// ---- 1. numbers of any magnitude ----------------------------------------------------

#[test]
fn numbers_beyond_64_bits_are_no_constraint_and_do_not_reject_the_document() {
    let (api, warnings) = analyze(&spec("as_written.yaml"));
    let id = &op(&api, "getItem").params[0].shape.constraints;
    assert_eq!((id.minimum, id.maximum), (None, None));
    let limit = &op(&api, "listItems").params[0].shape.constraints;
    assert_eq!((limit.minimum, limit.maximum), (None, None));
    let item_id = &field(&api, "Item", "id").constraints;
    assert_eq!(item_id.minimum, None);
    assert_eq!(item_id.maximum, Some(9223372036854775807.0));
    let ratio = &field(&api, "Item", "ratio").constraints;
    assert_eq!(
        (ratio.minimum, ratio.maximum, ratio.multiple_of),
        (None, None, None)
    );
    // What an integer cannot hold is said, where it is.
    let w = warnings
        .iter()
        .find(|w| w.pointer == "/components/schemas/Item/properties/big/enum")
        .expect("a warning for the enum value too large");
    assert!(
        w.message.contains("cannot be held by a 64-bit integer"),
        "{w}"
    );
    assert_eq!(w.line, Some(68));
}

#[test]
fn huge_numbers_load_in_json_and_yaml() {
    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
        "parameters": [{"name": "n", "in": "query", "schema": {"type": "integer",
            "minimum": -9223372036854776000, "maximum": 1e400, "default": 123456789012345678901234567890,
            "example": 1e999}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "number", "minimum": -1e400, "enum": [1.5, 1e400], "example": -1e999}}}}}}}}}"#;
    assert_eq!(errors_of("huge.json", json), None);
    let yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
        parameters:\n        - {name: n, in: query, schema: {type: integer, minimum: -9223372036854776000, \
        maximum: 340282366920938463463374607431768211456, const: 18446744073709551616, \
        examples: [99999999999999999999999999]}}\n      responses:\n        '200': {description: ok}\n";
    assert_eq!(errors_of("huge.yaml", yaml), None);
}

// ---- 2. responses are optional ----------------------------------------------------

#[test]
fn an_operation_without_responses_may_answer_anything() {
    let (api, _) = analyze(&spec("as_written.yaml"));
    let ping = op(&api, "ping");
    assert_eq!(ping.responses.len(), 1);
    assert_eq!(ping.responses[0].status, Status::Default);
    assert!(ping.responses[0].contents.is_empty());
    let empty = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n    post: {}\n";
    assert_eq!(errors_of("no_responses.yaml", empty), None);
}

// ---- 3. mutualTLS ----------------------------------------------------------------

#[test]
fn mutual_tls_needs_no_http_credential_and_says_so() {
    let (api, warnings) = analyze(&spec("as_written.yaml"));
    assert!(api.security_schemes.iter().all(|s| s.key != "mtls"));
    // The document's requirement, mutualTLS only: no HTTP credential needed.
    assert!(op(&api, "listItems").security.allows_anonymous());
    // mutualTLS and a key: the key is still required.
    let get = &op(&api, "getItem").security.alternatives;
    assert_eq!(get.len(), 1);
    assert_eq!(get[0].len(), 1);
    let w = warnings
        .iter()
        .find(|w| w.pointer == "/components/securitySchemes/mtls")
        .expect("a warning for the mutualTLS scheme");
    assert_eq!(w.line, Some(35));
    assert!(w.message.contains("TLS layer"), "{w}");
    assert!(
        w.hint
            .as_deref()
            .is_some_and(|h| h.contains("client certificate")),
        "{w}"
    );
}

// ---- 4. path items that are references ----------------------------------------------

#[test]
fn path_item_references_are_inlined() {
    let (api, _) = analyze(&spec("as_written.yaml"));
    let list = op(&api, "listItems");
    assert_eq!(
        (list.path.as_str(), list.method.as_str()),
        ("/items", "get")
    );
    // A path item that refers to another path item of `paths`.
    let paths: Vec<&str> = api
        .operations
        .iter()
        .filter(|o| o.id.starts_with("getItem"))
        .map(|o| o.path.as_str())
        .collect();
    assert!(
        paths.contains(&"/items/{id}") && paths.contains(&"/items/{id}/alias"),
        "{paths:?}"
    );
}

// ---- 6. references outside the document ---------------------------------------------

#[test]
fn references_outside_the_document_are_reported_honestly() {
    let path = spec("outside_refs.yaml");
    let failure = oagen::analyze(&path).expect_err("outside references are not followed");
    let errors = errors(&failure);
    let report = failure.to_string();
    assert!(!report.contains("missing field"), "{report}");
    let at = |pointer: &str| {
        errors
            .iter()
            .find(|d| d.pointer == pointer)
            .unwrap_or_else(|| panic!("no error at {pointer}:\n{report}"))
    };
    let a = at("/paths/~1a/$ref");
    assert!(a.message.contains("cannot read `resources/a.yml`"), "{a}");
    assert_eq!(a.line, Some(7));
    let b = at("/paths/~1b/get/responses/200/content/application~1json/schema/$ref");
    assert!(b.message.contains("does not fetch"), "{b}");
    assert!(
        b.hint.as_deref().is_some_and(|h| h.contains("download")),
        "{b}"
    );
    assert_eq!(b.line, Some(16));
    let c = at("/paths/~1c/$ref");
    assert!(
        c.message.contains("does not exist") && c.line == Some(18),
        "{c}"
    );
    let d = at("/paths/~1d/$ref");
    assert!(d.message.contains("loop"), "{d}");
    let e = at("/components/pathItems/ToFile/$ref");
    assert!(
        e.message.contains("does not fetch") && e.line == Some(28),
        "{e}"
    );
    assert_eq!(errors.len(), 5, "{report}");
}

// ---- 5. deep documents -----------------------------------------------------------

/// A document whose response schema nests `levels` inline objects.
fn deep_json(levels: usize) -> String {
    let mut schema = String::from(r#"{"type": "string"}"#);
    for _ in 0..levels {
        schema = format!(
            r#"{{"type": "object", "properties": {{"child": {schema}, "n": {{"type": "integer"}}}}}}"#
        );
    }
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "deep", "version": "1"}}, "paths": {{"/deep": {{"get": {{
        "operationId": "getDeep", "responses": {{"200": {{"description": "ok",
        "content": {{"application/json": {{"schema": {schema}}}}}}}}}}}}}}}}}"#
    )
}

#[test]
fn a_thousand_levels_of_inline_objects_generate() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("as_written");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join("deep.json");
    std::fs::write(&path, deep_json(1000)).expect("write the spec");
    let opts = crate_options("deep", "deep.json");
    let (files, _) = oagen::generate_crate(&path, &opts).unwrap_or_else(|f| panic!("{f}"));
    let models = files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .expect("a models module");
    assert_eq!(models.contents.matches("pub struct ").count(), 1000);
    // rustc's default recursion limit (128) is too low for such a crate.
    let lib = files
        .iter()
        .find(|f| f.path.ends_with("lib.rs"))
        .expect("a crate root");
    assert!(
        lib.contents.contains("#![recursion_limit = \"4096\"]"),
        "{}",
        lib.contents
    );
    // Names made from context stay bounded: models.rs grows linearly.
    assert!(
        models.contents.len() < 4_000_000,
        "{}",
        models.contents.len()
    );
}

/// The one error of loading `text` as the file `name`.
fn the_error_of(name: &str, text: &str) -> Diagnostic {
    let errors = errors_of(name, text).unwrap_or_else(|| panic!("{name} should be refused"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().expect("one error")
}

/// [`the_error_of`], found in less than ten seconds.
fn the_error_quickly(name: &str, text: &str) -> Diagnostic {
    let start = std::time::Instant::now();
    let error = the_error_of(name, text);
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    error
}

#[test]
fn deeper_than_supported_is_one_diagnostic() {
    // JSON: over `MAX_DEPTH` levels.
    let deep = format!(
        "{}{}",
        "[".repeat(oagen::load::parse::MAX_DEPTH + 1),
        "]".repeat(oagen::load::parse::MAX_DEPTH + 1)
    );
    let error = the_error_of("too_deep.json", &deep);
    assert!(
        error.message.contains("more than 10000 levels deep"),
        "{error}"
    );
    assert_eq!(error.line, Some(1));
    // Far deeper still, and unbalanced: the same, at once.
    the_error_of("far_too_deep.json", &"{\"a\":".repeat(1_000_000));
    // YAML: the YAML reader's own limit, with a way out.
    let yaml = format!(
        "openapi: 3.0.3\nx: {}1{}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    let error = the_error_of("too_deep.yaml", &yaml);
    assert!(error.message.contains("recursion limit"), "{error}");
    assert!(error.hint.as_deref().is_some_and(|h| h.contains("JSON")));
    let yaml = format!("openapi: 3.0.3\nx: {}\n", "[".repeat(1_000_000));
    the_error_quickly("far_too_deep.yaml", &yaml);
}

#[test]
fn a_yaml_alias_bomb_is_one_diagnostic() {
    let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        yaml.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    yaml.push_str("paths: {}\n");
    let error = the_error_quickly("bomb.yaml", &yaml);
    assert!(error.message.contains("alias"), "{error}");
}
