//! Multi-file specs: `$ref`s to other files are bundled (one type per file schema, cycles across files), every file read is recorded, and problems are reported in the file they are in.
//!
//! The fixture `tests/specs/multi/` is a root `openapi.yaml` with files in
//! `paths/`, `schemas/` and `common/`; `tests/specs/multi_broken/` holds one of
//! each problem.

mod support;

use std::path::{Path, PathBuf};

use oagen::model::{Shape, Ty};
use oagen::WriteMode;
use support::{crate_options, errors, field, named, spec_path as spec_dir, the_error};

fn multi() -> PathBuf {
    spec_dir("multi").join("openapi.yaml")
}

/// The named type of a shape, seen through one array.
fn target(shape: &Shape) -> usize {
    match &shape.ty {
        Ty::Named(id) => id.0,
        Ty::Array(item) => target(item),
        other => panic!("not a named type: {other:?}"),
    }
}

#[test]
fn every_operation_and_one_type_per_schema_file() {
    let api = oagen::analyze(&multi())
        .expect("the multi-file spec is valid")
        .api;
    let ops: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ops,
        ["listPets", "createPet", "listOwners", "getOwner", "getPet"],
        "path items and an operation by reference are inlined, in document order"
    );
    let mut types: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    types.sort_unstable();
    assert_eq!(
        types,
        ["Error", "LimitValue", "Owner", "Pet", "Tag"],
        "`schemas/pet.yaml`, referred to from four files, is one type; \
         `common/error.json` is the root's `Error` (no second copy)"
    );

    // The cycle across two files: Pet -> Owner -> Pet.
    let pet = named(&api, "Pet");
    let owner = named(&api, "Owner");
    assert_eq!(target(field(&api, "Pet", "owner")), owner);
    assert_eq!(target(field(&api, "Owner", "pets")), pet);
    assert_eq!(target(field(&api, "Pet", "tags")), named(&api, "Tag"));

    // Every place that names pet.yaml (by three different relative paths) is `Pet`.
    let op = |id: &str| api.operations.iter().find(|o| o.id == id).expect(id);
    let body = |shape: &Option<Shape>| target(shape.as_ref().expect("a schema"));
    assert_eq!(body(&op("getPet").responses[0].contents[0].shape), pet);
    assert_eq!(body(&op("listPets").responses[0].contents[0].shape), pet);
    assert_eq!(body(&op("createPet").responses[0].contents[0].shape), pet);
    let request = op("createPet")
        .body
        .as_ref()
        .expect("a request body by $ref");
    assert!(request.required);
    assert_eq!(body(&request.contents[0].shape), pet);
    assert_eq!(body(&op("getOwner").responses[0].contents[0].shape), owner);

    // The JSON response file's schema, by `error.json` from inside it, is `Error`.
    let error = named(&api, "Error");
    for (id, status) in [("getPet", 1), ("listPets", 1), ("getOwner", 1)] {
        assert_eq!(
            body(&op(id).responses[status].contents[0].shape),
            error,
            "{id}"
        );
    }

    // Parameters (with a local `#/LimitValue` inside their file) and a header by `$ref`.
    let params =
        |id: &str| -> Vec<String> { op(id).params.iter().map(|p| p.name.clone()).collect() };
    assert_eq!(params("getPet"), ["petId"]);
    assert_eq!(params("listPets"), ["limit"]);
    assert_eq!(params("getOwner"), ["ownerId"]);
    let limit = &op("listPets").params[0];
    assert_eq!(target(&limit.shape), named(&api, "LimitValue"));
    assert_eq!(op("listPets").responses[0].headers[0].name, "X-Total-Count");

    // A security scheme placed in place keeps its name, which `security` uses.
    let schemes: Vec<&str> = api
        .security_schemes
        .iter()
        .map(|s| s.key.as_str())
        .collect();
    assert_eq!(schemes, ["api_key"]);
}

#[test]
fn every_file_read_is_recorded_once() {
    let root = multi();
    let spec = oagen::load::load_file(&root).expect("the multi-file spec loads");
    let files: Vec<String> = spec
        .sources
        .files()
        .iter()
        .map(|f| {
            f.strip_prefix(spec_dir("multi"))
                .unwrap_or(f)
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        files,
        [
            "openapi.yaml",
            "common/error.json",
            "common/security.yaml",
            "paths/pets.yaml",
            "common/parameters.yaml",
            "common/headers.yaml",
            "schemas/pet.yaml",
            "common/responses.json",
            "common/bodies.yaml",
            "paths/owners.yaml",
            "schemas/owner.yaml",
            "paths/owner_get.yaml",
            "common/tag.yaml",
        ],
        "the root first, then each file once: those the root's components name \
         on their own first (they keep the component's name), then in the order referred to"
    );
    // The bundled document's components name where each came from.
    let (file, ptr) = spec
        .sources
        .origin("/components/schemas/pet/properties/owner")
        .expect("a placed schema");
    assert!(file.ends_with("schemas/pet.yaml"), "{}", file.display());
    assert_eq!(ptr, "/properties/owner");
    assert!(spec.sources.origin("/info").is_none());
}

#[test]
fn a_spec_without_external_refs_reads_one_file() {
    let root = spec_dir("tagged.yaml");
    let spec = oagen::load::load_file(&root).expect("loads");
    assert_eq!(spec.sources.files(), [root]);
}

#[test]
fn problems_are_reported_in_the_file_they_are_in() {
    let dir = spec_dir("multi_broken");
    let failure = oagen::analyze(&dir.join("openapi.yaml")).expect_err("the spec is broken");
    let schema = |status: &str| {
        format!("/paths/~1things/get/responses/{status}/content/application~1json/schema/$ref")
    };
    // (file in the fixture folder, pointer in it, line, text on that line, message fragments)
    let expected: Vec<(&str, String, usize, &str, &[&str])> = vec![
        (
            "openapi.yaml",
            schema("201"),
            21,
            "thing.yaml#/Nope",
            &["does not exist", "has no `#/Nope`"],
        ),
        (
            "openapi.yaml",
            schema("202"),
            27,
            "https://",
            &["is a URL", "does not fetch"],
        ),
        (
            "openapi.yaml",
            schema("203"),
            33,
            "not_yaml.yaml",
            &["`schemas/not_yaml.yaml`", "not YAML or JSON", "line 4"],
        ),
        (
            "paths/other.yaml",
            "/get/responses".into(),
            3,
            "responses: 12",
            &["invalid operation"],
        ),
        (
            "schemas/thing.yaml",
            "/Bad".into(),
            3,
            "Bad:",
            &["invalid schema"],
        ),
    ];
    let errors = errors(&failure);
    assert_eq!(errors.len(), expected.len(), "{failure}");
    for (d, (file, pointer, line, line_has, message_has)) in errors.iter().zip(&expected) {
        assert_eq!(d.file, dir.join(file), "{d}");
        assert_eq!(&d.pointer, pointer, "{d}");
        assert_eq!(d.line, Some(*line), "{d}");
        let text = std::fs::read_to_string(dir.join(file)).expect("fixture");
        let at = text.lines().nth(line - 1).unwrap_or_default();
        assert!(at.contains(line_has), "line {line} of {file} is {at:?}");
        for m in *message_has {
            assert!(d.message.contains(m), "{m:?} not in {d}");
        }
        assert!(d.hint.is_some(), "{d}");
    }
    // A schema in a file that cannot be read is any value, with a warning
    // that names the file, at the `$ref` and its line.
    let missing = failure
        .diagnostics
        .iter()
        .find(|d| !d.is_error() && d.pointer == schema("200"))
        .unwrap_or_else(|| panic!("no warning about the missing file: {failure}"));
    assert_eq!(missing.file, dir.join("openapi.yaml"), "{missing}");
    assert_eq!(missing.line, Some(15), "{missing}");
    for m in [
        "cannot read",
        "`schemas/missing.yaml`",
        "taken as any value",
    ] {
        assert!(missing.message.contains(m), "{m:?} not in {missing}");
    }
    // Shown with the file, its line and the pointer in it.
    let shown = failure.to_string();
    assert!(
        shown.contains("multi_broken/schemas/thing.yaml:3 at #/Bad"),
        "{shown}"
    );
}

/// A copy of `tests/specs/multi/` in a fresh temporary folder.
fn copy_of_multi(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oagen-multi-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&spec_dir("multi"), &dir);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for e in std::fs::read_dir(from).expect("read") {
        let e = e.expect("entry");
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
        }
    }
}

#[test]
fn check_mode_sees_a_change_in_a_referenced_file() {
    let dir = copy_of_multi("check");
    let spec = dir.join("openapi.yaml");
    let out = dir.join("out");
    let opts = crate_options("multi", "openapi.yaml");
    let files = oagen::generate_crate(&spec, &opts).expect("generates").0;
    oagen::write(&out, &files, WriteMode::Write).expect("writes");
    let fresh = oagen::generate_crate(&spec, &opts).expect("generates").0;
    let report = oagen::write(&out, &fresh, WriteMode::Check).expect("checks");
    assert!(
        report.stale.is_empty() && report.missing.is_empty(),
        "{report:?}"
    );

    // Only a referenced file changes: the root spec is untouched.
    let owner = dir.join("schemas/owner.yaml");
    let text = std::fs::read_to_string(&owner).expect("read").replace(
        "  name:\n    type: string\n",
        "  name:\n    type: string\n  email:\n    type: string\n",
    );
    std::fs::write(&owner, text).expect("write");
    let changed = oagen::generate_crate(&spec, &opts).expect("generates").0;
    let report = oagen::write(&out, &changed, WriteMode::Check).expect("checks");
    assert!(
        report.stale.iter().any(|p| p.ends_with("src/models.rs")),
        "a change in schemas/owner.yaml makes models.rs stale: {report:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Writes `files` (path, text) into a fresh temporary folder.
fn scratch(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oagen-multi-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

#[test]
fn a_loop_of_path_items_across_files_is_reported_where_it_closes() {
    let dir = scratch(
        "loop",
        &[
            (
                "openapi.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: a.yaml\n",
            ),
            ("a.yaml", "$ref: b.yaml\n"),
            ("b.yaml", "# b refers back to a\n$ref: a.yaml\n"),
        ],
    );
    let failure = oagen::analyze(&dir.join("openapi.yaml")).expect_err("a loop");
    let d = the_error(&failure);
    assert_eq!(d.file, dir.join("b.yaml"), "{d}");
    assert_eq!(d.pointer, "/$ref", "{d}");
    assert_eq!(d.line, Some(2), "{d}");
    assert!(d.message.contains("includes itself"), "{d}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_local_ref_inside_another_file_is_resolved_in_that_file() {
    let dir = scratch(
        "local",
        &[
            (
                "openapi.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: lib/responses.yaml#/Ok\n",
            ),
            (
                "lib/responses.yaml",
                "Ok:\n  description: ok\n  content:\n    application/json:\n      schema:\n        $ref: '#/Missing'\n",
            ),
        ],
    );
    let failure = oagen::analyze(&dir.join("openapi.yaml")).expect_err("a dangling ref");
    let d = the_error(&failure);
    assert_eq!(d.file, dir.join("lib/responses.yaml"), "{d}");
    assert_eq!(
        d.pointer, "/Ok/content/application~1json/schema/$ref",
        "{d}"
    );
    assert_eq!(d.line, Some(6), "{d}");
    assert!(d.message.contains("has no `#/Missing`"), "{d}");
    let _ = std::fs::remove_dir_all(dir);
}
