//! Behaviour of types generated from `specs/keywords31.yaml` (JSON Schema 2020-12 keywords): values decode and encode back unchanged, and the server's checks reject what breaks `const` and `dependentRequired`.

use oagen_feature_tests::keywords31::models::*;
use oagen_feature_tests::keywords31::validate::{Validate, Violation};
use serde_json::{from_value, json, to_value, Value};

/// What the server reports for a body `value` of type `T`: the checks of the
/// JSON as received, then those of the decoded value.
fn violations<T: Validate + serde::de::DeserializeOwned>(value: Value) -> Vec<Violation> {
    let mut out = Vec::new();
    T::validate_json(&value, "", &mut out);
    from_value::<T>(value).unwrap().validate("", &mut out);
    out
}

#[test]
fn references_through_defs_ids_and_anchors_round_trip() {
    let v = json!({
        "kind": "shape",
        "version": 2,
        "origin": {"x": 1, "y": 2},
        "end": {"x": 3, "y": 4},
        "corner": {"at": {"x": 0, "y": 0}},
        "label": "box",
        "width": 2.0,
        "height": 3.0,
        "big": 1e300,
    });
    let shape: Shape = from_value(v.clone()).unwrap();
    // One type per target: `origin` and `end` are both `Point`, so is `corner.at`.
    let origin: &Point = shape.origin.as_ref().unwrap();
    let at: &Point = shape.corner.as_ref().unwrap().at.as_ref().unwrap();
    assert_eq!((origin.x, at.x), (Some(1), Some(0)));
    let label: &Label = shape.label.as_ref().unwrap();
    assert_eq!(label, "box");
    assert_eq!(shape.kind, ShapeKind::Shape);
    assert_eq!(to_value(&shape).unwrap(), v);
    assert!(violations::<Shape>(v).is_empty());
}

#[test]
fn a_huge_default_applies() {
    let shape: Shape = from_value(json!({"kind": "shape"})).unwrap();
    assert_eq!(shape.big, 1e300);
}

#[test]
fn const_values_other_than_the_one_are_rejected() {
    // On decode (client and server alike)...
    for bad in [
        json!({"kind": "circle"}),
        json!({"kind": "shape", "version": 3}),
    ] {
        assert!(from_value::<Shape>(bad.clone()).is_err(), "{bad}");
    }
    assert_eq!(
        from_value::<ShapeVersion>(json!(2)).unwrap(),
        ShapeVersion::V2
    );
    // ...and by the server's checks, for a value built in Rust.
    let mut found = Vec::new();
    ShapeKind::from("circle").validate("/kind", &mut found);
    ShapeVersion::from(3).validate("/version", &mut found);
    let at: Vec<&str> = found.iter().map(|v| v.at.as_str()).collect();
    assert_eq!(at, ["/kind", "/version"], "{found:?}");
}

#[test]
fn dependent_required_is_checked() {
    assert!(violations::<Shape>(json!({"kind": "shape", "width": 1, "height": 2})).is_empty());
    assert!(violations::<Shape>(json!({"kind": "shape", "height": 2})).is_empty());
    let found = violations::<Shape>(json!({"kind": "shape", "width": 1}));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].message,
        "`height` is required when `width` is present"
    );
}

#[test]
fn pattern_property_maps_check_their_keys() {
    let v = json!({"kind": "shape", "big": 1.0, "codes": {"US": 1, "FR": 2}, "names": {"a": "x"}});
    let shape: Shape = from_value(v.clone()).unwrap();
    assert_eq!(shape.codes.as_ref().unwrap()["US"], 1);
    assert_eq!(to_value(&shape).unwrap(), v);
    assert!(violations::<Shape>(v).is_empty());
    // Values are typed.
    assert!(from_value::<Shape>(json!({"kind": "shape", "codes": {"US": "one"}})).is_err());
    let found =
        violations::<Shape>(json!({"kind": "shape", "codes": {"usa": 1}, "names": {"B": "x"}}));
    let at: Vec<&str> = found.iter().map(|v| v.at.as_str()).collect();
    assert_eq!(at, ["/codes/usa", "/names/B"], "{found:?}");
}

#[test]
fn base64_strings_are_bytes_on_the_wire_as_text() {
    let v = json!({"kind": "shape", "big": 1.0, "data": "AAEC/w=="});
    let shape: Shape = from_value(v.clone()).unwrap();
    let data: &Vec<u8> = shape.data.as_ref().unwrap();
    assert_eq!(data, &vec![0, 1, 2, 255]);
    assert_eq!(to_value(&shape).unwrap(), v);
    for bad in ["not base64!", "AAF", "AAEC/w="] {
        assert!(
            from_value::<Shape>(json!({"kind": "shape", "data": bad})).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn closed_prefix_items_are_a_tuple_of_that_length() {
    let v = json!({"kind": "shape", "big": 1.0, "point": ["p", 1, 2.5]});
    let shape: Shape = from_value(v.clone()).unwrap();
    assert_eq!(shape.point, Some(("p".to_string(), 1, 2.5)));
    assert_eq!(to_value(&shape).unwrap(), v);
    for bad in [
        json!(["p", 1]),
        json!(["p", 1, 2.5, 3]),
        json!([1, "p", 2.5]),
    ] {
        assert!(
            from_value::<Shape>(json!({"kind": "shape", "point": bad})).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn unevaluated_properties_false_keeps_nothing_extra() {
    let closed: Closed = from_value(json!({"a": "x", "b": "dropped"})).unwrap();
    assert_eq!(to_value(&closed).unwrap(), json!({"a": "x"}));
    // A schema: the extra properties are typed.
    let extra: TypedExtra = from_value(json!({"a": "x", "n": 1})).unwrap();
    assert_eq!(extra.additional_properties["n"], 1);
    assert!(from_value::<TypedExtra>(json!({"n": "one"})).is_err());
}

#[test]
fn defs_pasted_without_an_id_resolve_in_their_schema() {
    let p: Pasted = from_value(json!({"inner": true})).unwrap();
    assert_eq!(p.inner, Some(true));
    assert!(from_value::<Pasted>(json!({"inner": "yes"})).is_err());
}
