//! OpenAPI 3.2 documents: accepted, the `query` method and `additionalOperations` in the model, tags and `$self` carried, and a warning naming each unmodelled keyword.

mod support;

use std::path::{Path, PathBuf};

use oagen::load::normalize::Dialect;

/// The 3.2 fixture the feature tests also generate and serve.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/feature-tests/specs/v32.yaml")
}

#[test]
fn a_32_document_loads_as_the_32_dialect() {
    let spec = oagen::load::load_file(&fixture()).expect("3.2 is accepted");
    assert_eq!(spec.dialect, Dialect::V32);
    // `$self` and the tag tree are carried in the document's extensions.
    assert_eq!(
        spec.doc.extensions.get("x-oagen-self"),
        Some(&serde_json::json!("https://example.com/specs/v32.yaml"))
    );
    let copies = spec.doc.tags.iter().find(|t| t.name == "copies").unwrap();
    assert_eq!(
        copies.extensions.get("x-oagen-parent"),
        Some(&serde_json::json!("items"))
    );
    assert_eq!(
        copies.extensions.get("x-oagen-kind"),
        Some(&serde_json::json!("nav"))
    );
}

#[test]
fn tags_form_a_tree_in_the_model() {
    let analysis = oagen::analyze(&fixture()).expect("3.2 is accepted");
    type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let tags: Vec<Row> = analysis
        .api
        .tags
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.parent.as_deref(),
                t.kind.as_deref(),
                t.docs.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        tags,
        [
            ("items", None, Some("nav"), Some("Items")),
            ("copies", Some("items"), Some("nav"), None),
        ]
    );
}

#[test]
fn query_and_custom_methods_are_operations() {
    let analysis = oagen::analyze(&fixture()).expect("3.2 is accepted");
    let ops: Vec<(&str, &str, &str)> = analysis
        .api
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o.method.as_str(), o.pointer.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            ("listItems", "get", "/paths/~1items/get"),
            ("searchItems", "query", "/paths/~1items/query"),
            ("getItem", "get", "/paths/~1items~1{id}/get"),
            (
                "copyItem",
                "copy",
                "/paths/~1items~1{id}/additionalOperations/COPY"
            ),
            ("feed", "get", "/paths/~1feed/get"),
        ]
    );
    let search = &analysis.api.operations[1];
    assert!(search.body.is_some(), "QUERY keeps its request body");
    // A response `$ref`'d media type (components.mediaTypes) is put in place.
    let get = &analysis.api.operations[2];
    assert!(get.responses[0]
        .contents
        .iter()
        .any(|c| c.media_type == "application/json"));
}

#[test]
fn an_item_schema_is_a_named_item_type() {
    let analysis = oagen::analyze(&fixture()).expect("3.2 is accepted");
    let feed = analysis
        .api
        .operations
        .iter()
        .find(|o| o.id == "feed")
        .unwrap();
    let content = &feed.responses[0].contents[0];
    assert_eq!(content.media_type, "application/jsonl");
    assert!(content.shape.is_none(), "no `schema`: the body stays bytes");
    let item = content.item.as_ref().expect("the item type is modelled");
    let oagen::model::Ty::Named(id) = &item.ty else {
        panic!("{item:?}")
    };
    assert_eq!(analysis.api.types[id.0].name, "Item");
    let search = analysis
        .api
        .operations
        .iter()
        .find(|o| o.id == "searchItems")
        .unwrap();
    let stream = search.responses[0]
        .contents
        .iter()
        .find(|c| c.media_type == "application/jsonl")
        .unwrap();
    let Some(oagen::model::Ty::Named(id)) = stream.item.as_ref().map(|s| &s.ty) else {
        panic!("{stream:?}")
    };
    assert_eq!(analysis.api.types[id.0].name, "SearchItemsOkBodyItem");
}

#[test]
fn what_is_not_modelled_is_warned_about_by_keyword() {
    let analysis = oagen::analyze(&fixture()).expect("3.2 is accepted");
    let warned: Vec<(String, String)> = analysis
        .warnings
        .iter()
        .map(|w| {
            let keyword = w.message.split('`').nth(1).unwrap_or_default().to_string();
            (keyword, w.pointer.clone())
        })
        .collect();
    for (keyword, pointer) in [
        ("name", "/servers/0/name"),
        ("cookie", "/paths/~1items~1{id}/get/parameters/0/style"),
        ("dataValue", "/components/examples/Pen/dataValue"),
        (
            "oauth2MetadataUrl",
            "/components/securitySchemes/device/oauth2MetadataUrl",
        ),
        (
            "deviceAuthorization",
            "/components/securitySchemes/device/flows/deviceAuthorization",
        ),
    ] {
        assert!(
            warned.contains(&(keyword.to_string(), pointer.to_string())),
            "no warning about `{keyword}` at {pointer}: {warned:?}"
        );
    }
    // A response's JSON lines stream their `itemSchema`: nothing to warn about.
    assert!(!warned.iter().any(|(k, _)| k == "itemSchema"), "{warned:?}");
}

#[test]
fn bad_custom_methods_are_left_out_with_a_warning() {
    let text = r#"
openapi: 3.2.0
info: { title: t, version: "1" }
paths:
  /a:
    additionalOperations:
      POST: { responses: { "200": { description: ok } } }
      "NOT A TOKEN": { responses: { "200": { description: ok } } }
      PURGE: { operationId: purge, responses: { "204": { description: gone } } }
"#;
    let spec = oagen::load::load_str(Path::new("t.yaml"), text).expect("accepted");
    let messages: Vec<&str> = spec.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("`POST`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("`NOT A TOKEN`")),
        "{messages:?}"
    );
    let analysis = oagen::analyze_loaded(&spec).unwrap();
    let methods: Vec<&str> = analysis
        .api
        .operations
        .iter()
        .map(|o| o.method.as_str())
        .collect();
    assert_eq!(methods, ["purge"]);
}

#[test]
fn a_form_querystring_is_its_properties_as_query_parameters() {
    let analysis = oagen::analyze(&fixture()).expect("3.2 is accepted");
    let feed = analysis
        .api
        .operations
        .iter()
        .find(|o| o.id == "feed")
        .unwrap();
    let params: Vec<(&str, oagen::model::ParamIn, bool)> = feed
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    use oagen::model::ParamIn::Query;
    assert_eq!(params, [("q", Query, true), ("limit", Query, false)]);
}

#[test]
fn other_querystrings_are_left_out_with_a_warning() {
    let text = r#"
openapi: 3.2.0
info: { title: t, version: "1" }
paths:
  /a:
    get:
      parameters:
        - name: raw
          in: querystring
          content: { application/json: { schema: { type: object } } }
      responses: { "200": { description: ok } }
"#;
    let spec = oagen::load::load_str(Path::new("t.yaml"), text).expect("accepted");
    let w = spec
        .warnings
        .iter()
        .find(|w| w.message.starts_with("`querystring`"))
        .expect("a warning");
    assert_eq!(
        w.pointer,
        "/paths/~1a/get/parameters/0/content/application~1json"
    );
    let analysis = oagen::analyze_loaded(&spec).unwrap();
    assert!(analysis.api.operations[0].params.is_empty());
}

#[test]
fn mutual_tls_is_taken_out_of_custom_methods_too() {
    let text = r#"
openapi: 3.2.0
info: { title: t, version: "1" }
paths:
  /a:
    query:
      operationId: ask
      security: [{ mtls: [] }]
      responses: { "200": { description: ok } }
components:
  securitySchemes:
    mtls: { type: mutualTLS }
"#;
    let spec = oagen::load::load_str(Path::new("t.yaml"), text).expect("accepted");
    let analysis = oagen::analyze_loaded(&spec).expect("the requirement no longer names it");
    assert_eq!(analysis.api.operations[0].method, "query");
}

#[test]
fn later_versions_are_still_refused() {
    let text = "openapi: 3.3.0\ninfo: { title: t, version: \"1\" }\npaths: {}\n";
    let failure = oagen::load::load_str(Path::new("t.yaml"), text).expect_err("3.3 is unknown");
    assert!(failure.diagnostics[0].message.contains("3.2.x"));
}
