//! Per-tag features: which operations and types each tag's feature switches on.

use std::path::Path;

fn gated(spec: &str) -> oagen::model::Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs")
        .join(spec);
    let mut api = oagen::analyze(&path).expect("the fixture is valid").api;
    api.gate_by_tag();
    api
}

/// The index of the type named `name` in `api.types`.
fn type_index(api: &oagen::model::Api, name: &str) -> usize {
    api.types
        .iter()
        .position(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

/// The single file a build script generates from `tagged.yaml` (client and
/// server), with or without per-tag features.
fn tagged_single_file(tag_features: bool) -> String {
    let out = std::env::temp_dir().join(format!(
        "oagen-features-{}-{tag_features}",
        std::process::id()
    ));
    let path =
        oagen::Builder::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/tagged.yaml"))
            .out_dir(&out)
            .file_name("tagged.rs")
            .client(true)
            .server(true)
            .tag_features(tag_features)
            .emit_rerun_if_changed(false)
            .print_warnings(false)
            .generate()
            .expect("the fixture generates");
    let src = std::fs::read_to_string(&path).expect("the file is written");
    let _ = std::fs::remove_dir_all(&out);
    src
}

fn names(api: &oagen::model::Api, set: &[usize]) -> Vec<String> {
    api.gates.names(set).map(str::to_string).collect()
}

#[test]
fn types_follow_the_operations_that_reach_them() {
    let api = gated("tagged.yaml");
    let features: Vec<&str> = api.gates.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(features, ["other-schemas", "pets", "store", "untagged"]);
    let of_type = |name: &str| names(&api, &api.gates.types[type_index(&api, name)]);
    // Reached by `getOrderPet`, tagged both.
    assert_eq!(of_type("Pet"), ["pets", "store"]);
    assert_eq!(of_type("Error"), ["pets", "store"]);
    assert_eq!(of_type("Order"), ["store"]);
    // Through Pet, and through the unused Archive.
    assert_eq!(of_type("Category"), ["other-schemas", "pets", "store"]);
    assert_eq!(of_type("Archive"), ["other-schemas"]);
    let of_op = |id: &str| {
        let i = api
            .operations
            .iter()
            .position(|o| o.id == id)
            .unwrap_or_else(|| panic!("no operation {id}"));
        names(&api, &api.gates.operations[i])
    };
    assert_eq!(of_op("listPets"), ["pets"]);
    assert_eq!(of_op("createOrder"), ["store"]);
    assert_eq!(of_op("getOrderPet"), ["pets", "store"]);
    assert_eq!(of_op("ping"), ["untagged"]);
}

#[test]
fn one_tag_gates_nothing() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/px0.yaml");
    let mut api = oagen::analyze(&path).expect("a seed is valid").api;
    api.gate_by_tag();
    assert!(api.gates.features.is_empty());
    assert!(api.gates.types.iter().all(Vec::is_empty));
    assert!(api.gates.operations.iter().all(Vec::is_empty));
}

/// Operation names never take a name the client or the server's trait defines
/// beside them (`authorize`, `verify`, `reject_<operation>`).
#[test]
fn operation_names_leave_room_for_the_generated_methods() {
    let spec = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /a: { get: { operationId: authorize, responses: { "204": { description: ok } } } }
  /b: { get: { operationId: verify, responses: { "204": { description: ok } } } }
  /c: { get: { operationId: repoTransfer, responses: { "204": { description: ok } } } }
  /d: { get: { operationId: rejectRepoTransfer, responses: { "204": { description: ok } } } }
"#;
    let dir = std::env::temp_dir().join(format!("oagen-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("names.yaml");
    std::fs::write(&path, spec).unwrap();
    let api = oagen::analyze(&path).expect("valid").api;
    let _ = std::fs::remove_dir_all(&dir);
    let names: Vec<&str> = api.operations.iter().map(|o| o.fn_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "authorize2",
            "verify2",
            "repo_transfer",
            "reject_repo_transfer_operation"
        ]
    );
}

/// With per-tag features, a build script's single file holds each tag's part
/// of a module inline, behind the tag's feature, and still parses.
#[test]
fn single_file_holds_the_tags_parts_inline() {
    let src = tagged_single_file(true);
    syn::parse_file(&src).expect("the single file parses");
    for must in [
        "#[cfg(feature = \"store\")]\nmod store {",
        "#[cfg(feature = \"store\")]\npub use store::*;",
        "pub(super) fn handle_create_order<",
        "store::handle_create_order::<A>",
    ] {
        assert!(src.contains(must), "no `{must}` in the single file");
    }
}

/// Only the types a request can carry (a parameter or a request body, at any
/// depth) get a `Validate` impl: a server checks requests, not its responses.
#[test]
fn only_what_a_request_carries_is_validated() {
    let api = gated("tagged.yaml");
    let requested = |name: &str| api.requested[type_index(&api, name)];
    // `createOrder`'s body, and the enum inside it.
    assert!(requested("Order"));
    assert!(requested("OrderStatus"));
    // Only in responses, or in no operation at all.
    for name in ["Pet", "Category", "Error", "Archive"] {
        assert!(!requested(name), "{name} is not in any request");
    }
    let src = tagged_single_file(false);
    assert!(src.contains("impl Validate for models::Order {"));
    assert!(src.contains("impl Validate for models::OrderStatus {"));
    for name in ["Pet", "Category", "Error", "Archive"] {
        assert!(
            !src.contains(&format!("impl Validate for models::{name} {{")),
            "{name} has a Validate impl"
        );
    }
}

#[test]
fn the_client_names_only_the_schemes_operations_use() {
    let src = tagged_single_file(true);
    let start = src
        .find("enum SchemeId {")
        .expect("the client has SchemeId");
    let end = start + src[start..].find('}').expect("SchemeId ends");
    let scheme_id: Vec<&str> = src[start..end].split_whitespace().collect();
    // Each kept where an operation that uses it is compiled; `unused` has none.
    assert_eq!(
        scheme_id,
        [
            "enum",
            "SchemeId",
            "{",
            "#[cfg(feature",
            "=",
            "\"store\")]",
            "OrderKey,",
            "#[cfg(feature",
            "=",
            "\"untagged\")]",
            "PingToken,",
        ]
    );
    // Every variant is named by a request: no `allow(dead_code)`.
    let attributes = &src[src[..start].rfind(';').unwrap_or(0)..start];
    assert!(!attributes.contains("dead_code"), "{attributes}");
    // Without features nothing is gated.
    let src = tagged_single_file(false);
    let start = src
        .find("enum SchemeId {")
        .expect("the client has SchemeId");
    let end = start + src[start..].find('}').expect("SchemeId ends");
    assert_eq!(
        src[start..end].split_whitespace().collect::<Vec<_>>(),
        ["enum", "SchemeId", "{", "OrderKey,", "PingToken,"]
    );
}
