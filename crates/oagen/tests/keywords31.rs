//! JSON Schema 2020-12 keywords (`examples/feature-tests/specs/keywords31.yaml`): what the model makes of each, and the warnings, with pointers, for those it does not model.

mod support;

use std::path::PathBuf;

use oagen::model::{Additional, Api, Shape, Ty, TypeId, TypeKind};
use support::{field, named};

fn spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/feature-tests/specs/keywords31.yaml")
}

fn analyze() -> oagen::Analysis {
    oagen::analyze(&spec()).expect("the fixture is valid")
}

fn struct_of<'a>(api: &'a Api, name: &str) -> &'a oagen::model::StructDef {
    match &api.types[named(api, name)].kind {
        TypeKind::Struct(s) => s,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

#[test]
fn defs_ids_and_anchors_resolve_to_one_type_each() {
    let api = analyze().api;
    let point = Ty::Named(TypeId(named(&api, "Point")));
    // `#/$defs/Point` inside the `$id` resource, twice: one type.
    assert_eq!(field(&api, "Shape", "origin").ty, point);
    assert_eq!(field(&api, "Shape", "end").ty, point);
    // `#corner` (an `$anchor`), and `#/$defs/Point` from inside it.
    assert_eq!(
        field(&api, "Shape", "corner").ty,
        Ty::Named(TypeId(named(&api, "Corner")))
    );
    assert_eq!(field(&api, "Corner", "at").ty, point);
    // A reference to another resource's `$id` URI.
    assert_eq!(
        field(&api, "Shape", "label").ty,
        Ty::Named(TypeId(named(&api, "Label")))
    );
    // `#/$defs/Inner` in a schema without `$id`: the enclosing schema's entry.
    assert_eq!(field(&api, "Pasted", "inner").ty, Ty::Boolean);
}

#[test]
fn const_is_a_one_value_enum() {
    let api = analyze().api;
    for (ty, value) in [
        ("ShapeKind", serde_json::json!("shape")),
        ("ShapeVersion", serde_json::json!(2)),
    ] {
        match &api.types[named(&api, ty)].kind {
            TypeKind::Enum(e) => {
                assert_eq!(e.variants.len(), 1);
                assert_eq!(e.variants[0].value, value);
            }
            other => panic!("{ty}: {other:?}"),
        }
    }
}

#[test]
fn dependent_required_is_in_the_model() {
    let api = analyze().api;
    assert_eq!(
        struct_of(&api, "Shape").dependent_required,
        vec![("width".to_string(), vec!["height".to_string()])]
    );
}

#[test]
fn unevaluated_properties_false_closes_an_object_without_applicators() {
    let api = analyze().api;
    assert_eq!(struct_of(&api, "Closed").additional, Additional::Forbidden);
    assert_eq!(
        struct_of(&api, "TypedExtra").additional,
        Additional::Typed(Box::new(Shape::plain(Ty::Integer(
            oagen::model::IntKind::I64
        ))))
    );
}

#[test]
fn closed_pattern_properties_and_property_names_are_maps_with_checked_keys() {
    let api = analyze().api;
    let codes = field(&api, "Shape", "codes");
    assert_eq!(
        codes.ty,
        Ty::Map(Box::new(Shape::plain(Ty::Integer(
            oagen::model::IntKind::I64
        ))))
    );
    assert_eq!(codes.constraints.key_pattern.as_deref(), Some("^[A-Z]{2}$"));
    let names = field(&api, "Shape", "names");
    assert_eq!(names.ty, Ty::Map(Box::new(Shape::plain(Ty::String))));
    assert_eq!(names.constraints.key_pattern.as_deref(), Some("^[a-z]+$"));
    // Open: not a map of the pattern's schema (other keys may hold anything).
    assert_eq!(
        field(&api, "Shape", "tags").ty,
        Ty::Map(Box::new(Shape::plain(Ty::Any)))
    );
}

#[test]
fn base64_strings_are_bytes() {
    let api = analyze().api;
    assert_eq!(field(&api, "Shape", "data").ty, Ty::Bytes);
    assert_eq!(field(&api, "Shape", "code32").ty, Ty::String);
}

#[test]
fn closed_prefix_items_of_primitives_are_a_tuple() {
    let api = analyze().api;
    assert_eq!(
        field(&api, "Shape", "point").ty,
        Ty::Tuple(vec![
            Shape::plain(Ty::String),
            Shape::plain(Ty::Integer(oagen::model::IntKind::I64)),
            Shape::plain(Ty::Number(oagen::model::NumKind::F64)),
        ])
    );
    // Without `minItems`, shorter arrays are valid: not a tuple (and warned).
    assert!(matches!(field(&api, "Shape", "pair").ty, Ty::Array(_)));
}

#[test]
fn huge_numbers_in_default_and_enum_load() {
    let api = analyze().api;
    let s = struct_of(&api, "Shape");
    let big = s.fields.iter().find(|f| f.name == "big").unwrap();
    assert_eq!(big.default, Some(serde_json::json!(1e300)));
    // An integer cannot hold 1e30: the default is ignored, the enum member left out.
    let count = s.fields.iter().find(|f| f.name == "count").unwrap();
    assert_eq!(count.default, None);
    match &api.types[named(&api, "ShapeLevel")].kind {
        TypeKind::Enum(e) => assert_eq!(e.variants.len(), 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        field(&api, "Shape", "huge"),
        &Shape::plain(Ty::Number(oagen::model::NumKind::F64))
    );
}

#[test]
fn every_keyword_not_modelled_is_warned_at_its_pointer() {
    let warnings: Vec<(String, String)> = analyze()
        .warnings
        .iter()
        .map(|w| (w.pointer.clone(), w.message.clone()))
        .collect();
    let expect = [
        (
            "/components/schemas/Shape/properties/tags/patternProperties",
            "`patternProperties`",
        ),
        (
            "/components/schemas/Shape/properties/pair/prefixItems",
            "`prefixItems`",
        ),
        (
            "/components/schemas/Shape/properties/code32/contentEncoding",
            "`contentEncoding: base32`",
        ),
        ("/components/schemas/Shape/properties/cond/if", "`if`"),
        (
            "/components/schemas/Shape/properties/count/default",
            "default does not validate",
        ),
        (
            "/components/schemas/Shape/properties/level/enum",
            "1e+30 cannot be held by a 64-bit integer",
        ),
        ("/components/schemas/Shape/properties/cond/then", "`then`"),
        (
            "/components/schemas/ClosedThroughAllOf/unevaluatedProperties",
            "next to `allOf`",
        ),
        (
            "/components/schemas/Odd/frobnicate",
            "unknown schema keyword `frobnicate`",
        ),
        (
            "/components/schemas/Pasted/properties/inner/$ref",
            "resolved in the enclosing schema",
        ),
    ];
    for (pointer, text) in expect {
        assert!(
            warnings
                .iter()
                .any(|(p, m)| p == pointer && m.contains(text)),
            "no warning {text} at {pointer}: {warnings:#?}"
        );
    }
    assert_eq!(warnings.len(), expect.len(), "{warnings:#?}");
    // Modelled, rewritten and annotation keywords pass silently.
    for quiet in [
        "contentMediaType",
        "$id",
        "$anchor",
        "$schema",
        "$comment",
        "$defs",
        "const",
        "dependentRequired",
    ] {
        assert!(
            !warnings
                .iter()
                .any(|(p, _)| p.ends_with(&format!("/{quiet}"))),
            "{quiet} warned: {warnings:#?}"
        );
    }
}
