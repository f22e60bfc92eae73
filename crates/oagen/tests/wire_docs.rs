//! Generated models state each field's wire shape in its docs: the JSON name
//! (escaped so that any name reads verbatim in rustdoc), whether it is required,
//! nullable or defaulted (and the default), and read-only / write-only.

mod support;

use std::path::Path;

use support::crate_options;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Org:
      type: object
      required: [org_name, deleted_at, "my`name", "a``b", "id"]
      properties:
        org_name:
          type: string
          description: The organisation's name.
        deleted_at:
          type: string
          nullable: true
        limit:
          type: integer
          default: 20
        note:
          type: string
          nullable: true
        tick:
          type: string
          default: "x`y"
        "my`name":
          type: integer
        "a``b":
          type: boolean
        "q\"s\\t\u202Eu":
          type: string
        id:
          type: integer
          readOnly: true
        secret:
          type: string
          writeOnly: true
        old:
          type: string
          deprecated: true
        at:
          type: object
          properties: {x: {type: integer}}
          default: {x: 1}
    Kind:
      type: string
      enum: [plain, "back`tick"]
"#;

/// The generated single file for `SPEC` (models only).
fn generated() -> String {
    let spec = oagen::load::load_str(Path::new("wire.yaml"), SPEC).expect("the spec loads");
    let api = oagen::analyze_loaded(&spec).expect("the spec analyzes").api;
    let opts = oagen::EmitOptions {
        standalone: false,
        client: false,
        server: false,
        ..crate_options("wire", "wire.yaml")
    };
    oagen::emit::single_file(&api, &opts)
}

/// The doc lines (without `/// `) right above `pub <field>:` in `pub struct <owner>`.
fn field_doc(src: &str, owner: &str, field: &str) -> Vec<String> {
    let start = src
        .find(&format!("pub struct {owner} {{"))
        .unwrap_or_else(|| panic!("no struct {owner} in\n{src}"));
    let body = &src[start..];
    let body = &body[..body.find("\n}").expect("the struct ends")];
    let lines: Vec<&str> = body.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&format!("pub {field}:")))
        .unwrap_or_else(|| panic!("no field {field} in\n{body}"));
    let mut doc: Vec<String> = lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim_start())
        .take_while(|l| l.starts_with("///"))
        .map(|l| l.trim_start_matches("///").trim_start().to_string())
        .collect();
    doc.reverse();
    doc
}

/// The field's last doc line, its wire facts.
fn wire(src: &str, field: &str) -> String {
    field_doc(src, "Org", field)
        .pop()
        .unwrap_or_else(|| panic!("{field} has no docs"))
}

/// Each field's wire facts, as `(field, last doc line)`.
fn assert_wires(src: &str, expected: &[(&str, &str)]) {
    for (field, facts) in expected {
        assert_eq!(wire(src, field), *facts, "{field}");
    }
}

#[test]
fn required_nullable_and_optional_fields_say_so() {
    let src = generated();
    assert_eq!(
        field_doc(&src, "Org", "org_name"),
        [
            "The organisation's name.",
            "",
            "Wire: `\"org_name\"`, required."
        ]
    );
    assert_wires(
        &src,
        &[
            ("deleted_at", "Wire: `\"deleted_at\"`, required, nullable."),
            ("note", "Wire: `\"note\"`, optional, nullable."),
        ],
    );
    assert_eq!(
        field_doc(&src, "Org", "old"),
        ["Deprecated.", "", "Wire: `\"old\"`, optional."]
    );
}

#[test]
fn defaults_are_stated_with_their_value() {
    let src = generated();
    assert_wires(
        &src,
        &[
            ("limit", "Wire: `\"limit\"`, optional, default `20`."),
            // A backtick in the value lengthens the code span's delimiters.
            ("tick", "Wire: `\"tick\"`, optional, default ``\"x`y\"``."),
            // A default the generator does not write as Rust (a struct's) is
            // not applied: the field is an `Option`, and its docs say so.
            (
                "at",
                "Wire: `\"at\"`, optional (the spec's default `{\"x\":1}` is not applied).",
            ),
        ],
    );
    assert!(src.contains("pub at: Option<OrgAt>,"), "{src}");
    // The old separate `Default:` paragraph is gone.
    assert!(!src.contains("Default: "), "{src}");
}

#[test]
fn json_names_that_differ_from_the_rust_name_read_verbatim() {
    let src = generated();
    assert_wires(
        &src,
        &[
            ("my_name", "Wire: ``\"my`name\"``, required."),
            ("a_b", "Wire: ```\"a``b\"```, required."),
        ],
    );
    // JSON escapes, and a bidi override written as `\u` (rustc rejects it raw).
    let q = field_doc(&src, "Org", "q_s_t_u");
    assert_eq!(
        q.last().map(String::as_str),
        Some(r#"Wire: `"q\"s\\t\u202eu"`, optional."#)
    );
    assert!(!src.contains('\u{202E}'));
}

#[test]
fn read_only_write_only_and_the_rest_are_wire_facts_too() {
    let src = generated();
    assert_wires(
        &src,
        &[
            (
                "id",
                "Wire: `\"id\"`, optional, read-only (sent by servers only).",
            ),
            (
                "secret",
                "Wire: `\"secret\"`, optional, write-only (sent by clients only).",
            ),
            (
                "additional_properties",
                "Wire: flattened, the object's other members.",
            ),
        ],
    );
    assert!(!src.contains("Read-only:"), "{src}");
}

#[test]
fn enum_values_read_verbatim() {
    let src = generated();
    assert!(src.contains("/// `\"plain\"`\n"), "{src}");
    assert!(src.contains("/// ``\"back`tick\"``\n"), "{src}");
}
