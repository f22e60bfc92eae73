//! A spec whose inline objects nest hundreds of levels deep generates a crate that builds.

mod support;

use support::{cargo_in, copy_lock, generate, generated_target, text, TempDir};

/// A 3.0 spec whose one response nests `levels` inline objects.
fn deep_spec(levels: usize) -> String {
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
fn three_hundred_levels_of_inline_objects_build() {
    let dir = TempDir::new("deep");
    let spec = dir.path().join("deep.json");
    std::fs::write(&spec, deep_spec(300)).expect("write the spec");
    let krate = dir.path().join("deep");
    generate(&spec, &krate, &["--name", "deep"]);
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("#![recursion_limit = \"2048\"]"), "{lib}");
    copy_lock(&krate);
    let out = cargo_in(
        &krate,
        &generated_target(),
        &["build", "--features", "client,server"],
    );
    assert!(
        out.status.success(),
        "the deep crate does not build:\n{}",
        text(&out.stderr)
    );
}
