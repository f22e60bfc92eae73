//! Declared response headers in the model: references resolved, `Content-Type`
//! ignored, names unique, forms chosen, and every header that cannot be carried
//! left out with a warning that names the operation, the header and the reason.

use std::path::Path;

use oagen::model::{Api, HeaderForm, ResponseHeader, Status, Ty, TypeKind};
use oagen::{Diagnostic, Severity};

fn analyze(yaml: &str) -> (Api, Vec<Diagnostic>) {
    let spec = oagen::load::load_str(Path::new("headers.yaml"), yaml).expect("the spec loads");
    let analysis = oagen::analyze_loaded(&spec).expect("the spec analyzes");
    (analysis.api, analysis.warnings)
}

fn header<'a>(api: &'a Api, status: Status, name: &str) -> &'a ResponseHeader {
    let r = api.operations[0]
        .responses
        .iter()
        .find(|r| r.status == status)
        .expect("the response exists");
    r.headers
        .iter()
        .find(|h| h.name == name)
        .unwrap_or_else(|| panic!("no header {name} in {:?}", r.headers))
}

/// [`analyze`] on a spec whose one operation, `GET /a` (`getA`), answers 200
/// with `headers` (YAML, indented under `headers:`).
fn analyze_get_a(headers: &str) -> (Api, Vec<Diagnostic>) {
    analyze(&format!(
        r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          headers:
{headers}"#
    ))
}

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /orgs:
    post:
      operationId: createOrg
      responses:
        '201':
          description: created
          headers:
            Location:
              required: true
              description: where it is
              schema: {type: string}
            X-Rate-Limit:
              $ref: '#/components/headers/RateLimit'
            content-type:
              schema: {type: string}
            X-Ids:
              schema: {type: array, items: {type: integer, format: int32}}
            X-Window:
              explode: true
              schema: {type: object, properties: {from: {type: integer}}}
            X-Meta:
              content:
                application/json:
                  schema: {type: object, properties: {a: {type: string}}}
            X-Plain:
              content:
                text/plain:
                  schema: {type: integer}
            X-Old:
              deprecated: true
              schema: {type: string, nullable: true}
        '204':
          description: no headers
        default:
          $ref: '#/components/responses/Problem'
components:
  schemas:
    CreateOrgCreatedHeaders:
      type: object
  headers:
    RateLimit:
      description: requests left
      schema: {type: integer, format: int64}
  responses:
    Problem:
      description: a problem
      headers:
        X-Request-Id:
          required: true
          schema: {type: string, enum: [a, b]}
"#;

#[test]
fn declared_headers_are_in_the_model() {
    let (api, warnings) = analyze(SPEC);
    assert!(warnings.is_empty(), "{warnings:#?}");
    let op = &api.operations[0];
    let created = &op.responses[0];
    let names: Vec<&str> = created.headers.iter().map(|h| h.name.as_str()).collect();
    // Content-Type is ignored, as OpenAPI says; the rest keep document order.
    assert_eq!(
        names,
        [
            "Location",
            "X-Rate-Limit",
            "X-Ids",
            "X-Window",
            "X-Meta",
            "X-Plain",
            "X-Old"
        ]
    );
    // The headers struct cannot take a schema's name.
    assert_eq!(
        created.headers_type.as_deref(),
        Some("CreateOrgCreatedHeaders2")
    );
    assert_eq!(op.responses[1].headers_type, None);
    assert_eq!(
        op.responses[2].headers_type.as_deref(),
        Some("CreateOrgDefaultHeaders")
    );

    let location = header(&api, Status::Code(201), "Location");
    assert!(location.required);
    assert_eq!(location.ident, "location");
    assert_eq!(location.docs.as_deref(), Some("where it is"));
    assert_eq!(location.shape.ty, Ty::String);

    // A reference to components/headers is followed, docs and all.
    let rate = header(&api, Status::Code(201), "X-Rate-Limit");
    assert!(!rate.required);
    assert_eq!(rate.ident, "x_rate_limit");
    assert_eq!(rate.docs.as_deref(), Some("requests left"));
    assert!(matches!(rate.shape.ty, Ty::Integer(_)));

    assert!(matches!(
        header(&api, Status::Code(201), "X-Ids").shape.ty,
        Ty::Array(_)
    ));
    assert_eq!(
        header(&api, Status::Code(201), "X-Ids").form,
        HeaderForm::Simple { explode: false }
    );
    let window = header(&api, Status::Code(201), "X-Window");
    assert_eq!(window.form, HeaderForm::Simple { explode: true });
    match window.shape.ty {
        Ty::Named(id) => {
            assert_eq!(api.ty(id).name, "CreateOrgCreatedXWindowHeader");
            assert!(matches!(api.ty(id).kind, TypeKind::Struct(_)));
        }
        ref other => panic!("{other:?}"),
    }
    assert_eq!(
        header(&api, Status::Code(201), "X-Meta").form,
        HeaderForm::Json
    );
    // `content` with another media type is read like `schema`.
    let plain = header(&api, Status::Code(201), "X-Plain");
    assert_eq!(plain.form, HeaderForm::Simple { explode: false });
    assert!(matches!(plain.shape.ty, Ty::Integer(_)));
    // A header is present or absent: never null.
    let old = header(&api, Status::Code(201), "X-Old");
    assert!(old.deprecated);
    assert!(!old.shape.nullable);

    // A shared response's headers, with an inline enum named after the component.
    let id = header(&api, Status::Default, "X-Request-Id");
    assert!(id.required);
    match id.shape.ty {
        Ty::Named(t) => assert_eq!(api.ty(t).name, "ProblemXRequestIdHeader"),
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn headers_that_cannot_be_carried_are_skipped_with_a_warning() {
    let (api, warnings) = analyze_get_a(
        r#"            X-Plain:
              description: no schema at all
            Bad Name:
              schema: {type: string}
            x-dup:
              schema: {type: string}
            X-Dup:
              schema: {type: integer}
            X-Null:
              schema: {type: 'null'}
            X-Empty:
              content: {}
"#,
    );
    let names: Vec<&str> = api.operations[0].responses[0]
        .headers
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(names, ["X-Plain", "x-dup", "X-Empty"]);
    let plain = header(&api, Status::Code(200), "X-Plain");
    assert_eq!(plain.shape.ty, Ty::String);
    assert_eq!(
        header(&api, Status::Code(200), "X-Empty").shape.ty,
        Ty::String
    );

    let expect = [
        (
            "/paths/~1a/get/responses/200/headers/X-Plain",
            "neither `schema` nor `content`",
        ),
        (
            "/paths/~1a/get/responses/200/headers/Bad Name",
            "not a valid HTTP header name",
        ),
        (
            "/paths/~1a/get/responses/200/headers/X-Dup",
            "declared twice",
        ),
        ("/paths/~1a/get/responses/200/headers/X-Null", "only null"),
        (
            "/paths/~1a/get/responses/200/headers/X-Empty",
            "empty `content`",
        ),
    ];
    assert_eq!(warnings.len(), expect.len(), "{warnings:#?}");
    for (pointer, reason) in expect {
        let d = warnings
            .iter()
            .find(|d| d.pointer == pointer)
            .unwrap_or_else(|| panic!("no warning at {pointer}: {warnings:#?}"));
        assert_eq!(d.severity, Severity::Warning);
        let name = pointer.rsplit('/').next().unwrap();
        for part in ["`getA`", "(200)", &format!("`{name}`"), reason] {
            assert!(d.message.contains(part), "{} lacks {part}", d.message);
        }
    }
}

#[test]
fn a_uuid_only_in_a_header_still_brings_the_uuid_crate() {
    let (api, _) = analyze_get_a(
        r#"            X-Request-Id:
              schema: {type: string, format: uuid}
"#,
    );
    assert!(oagen::emit::uses_uuid(&api));
}
