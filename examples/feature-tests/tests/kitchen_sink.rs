//! Behaviour of types generated from `specs/kitchen_sink.yaml`.

use oagen_feature_tests::kitchen_sink::models::*;
use serde_json::{from_value, json, to_value};

#[test]
fn discriminated_one_of_decodes_by_tag() {
    let pet: Pet = from_value(json!({"kind": "cat", "name": "Tom"})).unwrap();
    match &pet {
        Pet::Cat(cat) => {
            assert_eq!(cat.name, "Tom");
            assert_eq!(cat.lives, 9, "default applied inside a variant");
        }
        other => panic!("expected a cat, got {other:?}"),
    }
    assert_eq!(
        to_value(&pet).unwrap(),
        json!({"kind": "cat", "name": "Tom", "lives": 9})
    );
    let dog: Pet = from_value(json!({"kind": "dog"})).unwrap();
    assert!(matches!(dog, Pet::Dog(Dog { good: true, .. })));
}

#[test]
fn discriminated_one_of_keeps_unknown_tags_and_rejects_bad_variants() {
    let raw = json!({"kind": "parrot", "words": 12});
    let pet: Pet = from_value(raw.clone()).unwrap();
    assert_eq!(pet, Pet::Unknown(raw.clone()));
    assert_eq!(to_value(&pet).unwrap(), raw);
    // A known tag with a body that does not fit its variant is an error, not Unknown.
    let err = from_value::<Pet>(json!({"kind": "cat"})).unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
}

#[test]
fn serializing_a_variant_writes_its_own_tag() {
    let cat = Cat {
        kind: String::new(),
        name: "Tom".into(),
        lives: 1,
        additional_properties: Default::default(),
    };
    // A tag that does not name the variant is replaced, so the JSON decodes back the same.
    let json = to_value(Pet::Cat(cat)).unwrap();
    assert_eq!(json["kind"], json!("cat"));
    assert!(matches!(from_value::<Pet>(json).unwrap(), Pet::Cat(_)));
}

#[test]
fn recursive_types_are_boxed_and_decode_deeply() {
    let node: Node = from_value(
        json!({"value": 1, "next": {"value": 2, "next": {"value": 3}}, "children": [{"value": 4}]}),
    )
    .unwrap();
    let next: &Node = node.next.as_deref().unwrap();
    assert_eq!(next.value, Some(2));
    assert_eq!(next.next.as_ref().unwrap().value, Some(3));
    assert_eq!(node.children.as_ref().unwrap()[0].value, Some(4));
    let a: A = from_value(json!({"b": {"a": {"b": {}}}})).unwrap();
    assert!(a.b.unwrap().a.unwrap().b.is_some());
}

#[test]
fn awkward_names_are_mapped_and_renamed() {
    let t: Type = from_value(
        json!({"self": "s", "type": "t", "1st": 1, "fooBar": "camel", "foo_bar": "snake"}),
    )
    .unwrap();
    assert_eq!(t.self_.as_deref(), Some("s"));
    assert_eq!(t.r#type.as_deref(), Some("t"));
    assert_eq!(t.n_1st, Some(1));
    assert_eq!(t.foo_bar.as_deref(), Some("camel"));
    assert_eq!(t.foo_bar2.as_deref(), Some("snake"));
    assert_eq!(
        to_value(&t).unwrap(),
        json!({"self": "s", "type": "t", "1st": 1, "fooBar": "camel", "foo_bar": "snake"})
    );
    let _: OptionType = String::from("a prelude name does not shadow Option");
    let _: T400 = T400::default();
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(Status::from(404), Status::V404);
    assert_eq!(Status::from(-1), Status::Minus1);
    let s: Status = from_value(json!(418)).unwrap();
    assert_eq!(s, Status::Unknown(418));
    assert_eq!(to_value(s).unwrap(), json!(418));
    assert!(
        from_value::<Status>(json!("404")).is_err(),
        "a string is not an integer enum value"
    );

    let w: Weird = from_value(json!("")).unwrap();
    assert_eq!(w, Weird::Empty);
    assert_eq!(Weird::from("A-B"), Weird::AB2);
    assert_eq!(Weird::from("unknown"), Weird::Unknown);
    assert_eq!(Weird::from("other"), Weird::UnknownValue("other".into()));
    assert!(!Weird::from("other").is_known());
    assert_eq!(Const::from("fixed"), Const::Fixed);
}

#[test]
fn type_arrays_become_nullable_unions() {
    let v: Option<Tuple> = from_value(json!(null)).unwrap();
    assert_eq!(v, None);
    let v: Tuple = from_value(json!(5)).unwrap();
    assert_eq!(v, Tuple::Integer(5));
    let v: Tuple = from_value(json!("x")).unwrap();
    assert_eq!(v, Tuple::String("x".into()));
    assert!(from_value::<Tuple>(json!(true)).is_err());
}

#[test]
fn additional_properties_typed_open_and_closed() {
    let labels: Labels = from_value(json!({"a": "1"})).unwrap();
    assert_eq!(labels["a"], "1");
    let mixed: Mixed = from_value(json!({"n": 1, "x": 2, "y": 3})).unwrap();
    assert_eq!(mixed.n, Some(1));
    assert_eq!(mixed.additional_properties.len(), 2);
    assert_eq!(mixed.additional_properties["y"], 3);
    assert!(from_value::<Mixed>(json!({"x": "not an integer"})).is_err());
    // additionalProperties: false keeps nothing extra.
    let closed: Closed = from_value(json!({"a": "x", "b": "dropped"})).unwrap();
    assert_eq!(to_value(&closed).unwrap(), json!({"a": "x"}));
}

#[test]
fn all_of_merges_into_one_struct() {
    let m: Merged = from_value(json!({"kind": "cat", "name": "Tom", "owner": "Ann"})).unwrap();
    assert_eq!(
        (m.name.as_str(), m.owner.as_str(), m.lives),
        ("Tom", "Ann", 9)
    );
    assert!(
        from_value::<Merged>(json!({"kind": "cat", "name": "Tom"})).is_err(),
        "owner is required"
    );
}

#[test]
fn formats_decode_into_real_types() {
    let d: Dates =
        from_value(json!({"d": "2024-02-29", "t": "2024-02-29T12:00:00+01:00"})).unwrap();
    assert_eq!(d.d.unwrap().to_string(), "2024-02-29");
    assert_eq!(
        d.t.unwrap().to_utc().to_rfc3339(),
        "2024-02-29T11:00:00+00:00"
    );
    assert_eq!(d.u, uuid::Uuid::from_u128(1), "uuid default applied");
    assert!(from_value::<Dates>(json!({"d": "2024-02-30"})).is_err());
    assert!(from_value::<Dates>(json!({"u": "not-a-uuid"})).is_err());
}

#[test]
fn nullable_reference_must_be_present() {
    let r: NullableRef = from_value(json!({"cat": null})).unwrap();
    assert!(r.cat.is_none());
    assert!(from_value::<NullableRef>(json!({})).is_err());
    let _: NullOnly = from_value(json!(null)).unwrap();
}

#[test]
fn injected_text_stays_text() {
    // The property name with a quote is a plain serde rename, not code.
    let d: Described = from_value(json!({"weird key\"": "v"})).unwrap();
    assert_eq!(d.weird_key.as_deref(), Some("v"));
}

#[test]
fn read_only_and_write_only_required_fields_are_optional_in_the_one_type() {
    // A request carries no readOnly `id`; a response carries no writeOnly `password`.
    let request: Account = from_value(json!({"password": "p", "name": "n"})).unwrap();
    assert_eq!(request.id, None);
    let response: Account = from_value(json!({"id": 1, "name": "n"})).unwrap();
    assert_eq!(response.password, None);
    // `name` is still required.
    assert!(from_value::<Account>(json!({"id": 1})).is_err());
}

#[test]
fn a_nullable_copy_of_a_component_is_the_same_type() {
    let account: Account = from_value(json!({"id": 1, "name": "n"})).unwrap();
    // What is read as an `Account` is sent where a `NullableAccount` goes: one type.
    let transfer = Transfer {
        from: account.clone(),
        to: Some(account.clone()),
        additional_properties: Default::default(),
    };
    let back: Transfer = from_value(to_value(&transfer).unwrap()).unwrap();
    assert_eq!(back, transfer);
    // Where the copy is used, `null` is a value; where the original is, it is not.
    let t: Transfer = from_value(json!({"from": {"id": 1, "name": "n"}, "to": null})).unwrap();
    assert_eq!(t.to, None);
    assert!(from_value::<Transfer>(json!({"from": null, "to": null})).is_err());
    assert!(from_value::<Transfer>(json!({"from": {"id": 1, "name": "n"}})).is_err());
}

#[test]
fn untagged_one_of_takes_the_first_variant_that_keeps_all_of_the_value() {
    let raw = json!({"name": "Sprint", "kind": "iteration", "config": {"days": 14}});
    let field: FieldRequest = from_value(raw.clone()).unwrap();
    assert!(
        matches!(field, FieldRequest::FieldRequestVariant2(_)),
        "{field:?}"
    );
    assert_eq!(to_value(&field).unwrap(), raw);
    // When the first variant keeps all of it, the first one wins.
    let text: FieldRequest = from_value(json!({"name": "Notes", "kind": "text"})).unwrap();
    assert!(
        matches!(text, FieldRequest::FieldRequestVariant1(_)),
        "{text:?}"
    );
    // A value that no variant decodes is an error.
    let err = from_value::<FieldRequest>(json!({"kind": "text"})).unwrap_err();
    assert!(err.to_string().contains("FieldRequest"), "{err}");
}

#[test]
fn defaults_that_break_their_schema_are_ignored() {
    let d: Defaults = from_value(json!({})).unwrap();
    assert_eq!(d.max_items, None, "a string default of an integer");
    assert_eq!(d.low, None, "a default below the minimum");
    assert_eq!(d.since, None, "a date-time default is not written in Rust");
    assert_eq!(d.float, None, "nor is an integer written 2.0");
    assert_eq!(d.fine, 3);
    // Encoding writes no default that would break the schema.
    assert_eq!(to_value(&d).unwrap(), json!({"fine": 3}));
}

#[test]
fn a_uuid_with_a_pattern_keeps_its_text() {
    let raw = json!({"id": "36530F13-59EB-4C15-B5F2-4F92B070A208"});
    let v: UpperId = from_value(raw.clone()).unwrap();
    assert_eq!(
        v.id.as_deref(),
        Some("36530F13-59EB-4C15-B5F2-4F92B070A208")
    );
    assert_eq!(to_value(&v).unwrap(), raw);
    // Without a pattern, a uuid is typed.
    let free: UpperId =
        from_value(json!({"free": "36530f13-59eb-4c15-b5f2-4f92b070a208"})).unwrap();
    assert_eq!(free.free.map(|u| u.get_version_num()), Some(4));
}
