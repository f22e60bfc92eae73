//! What the library's integration tests share: the test folders, the emit options, a failure's errors, and finding a type or field in the model.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use oagen::model::{Api, Shape, TypeKind};
use oagen::{Diagnostic, EmitOptions, Failure};

/// A file under `tests/specs` (valid specs and multi-file trees).
pub fn spec_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs")
        .join(name)
}

/// A file under `tests/fixtures` (broken specs).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Options for a standalone crate `name` with client and server, made by `test`.
pub fn crate_options(name: &str, spec_label: &str) -> EmitOptions {
    EmitOptions {
        crate_name: name.into(),
        crate_version: "0.1.0".into(),
        spec_label: spec_label.into(),
        command: "test".into(),
        standalone: true,
        example_tests: false,
        client: true,
        server: true,
        split_models: false,
        tag_crates: 0,
        tracing: false,
    }
}

/// The error diagnostics of `failure`, in order.
pub fn errors(failure: &Failure) -> Vec<&Diagnostic> {
    failure
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect()
}

/// The only error of `failure`.
pub fn the_error(failure: &Failure) -> &Diagnostic {
    let errors = errors(failure);
    assert_eq!(errors.len(), 1, "{failure}");
    errors[0]
}

/// The index of the one type called `name`.
pub fn named(api: &Api, name: &str) -> usize {
    let found: Vec<usize> = (0..api.types.len())
        .filter(|&i| api.types[i].name == name)
        .collect();
    assert_eq!(found.len(), 1, "type {name}: {found:?}");
    found[0]
}

/// The shape of field `name` of the struct `ty`.
pub fn field<'a>(api: &'a Api, ty: &str, name: &str) -> &'a Shape {
    match &api.types[named(api, ty)].kind {
        TypeKind::Struct(s) => {
            &s.fields
                .iter()
                .find(|f| f.name == name)
                .unwrap_or_else(|| panic!("no field {ty}.{name}"))
                .shape
        }
        other => panic!("{ty} is not a struct: {other:?}"),
    }
}
