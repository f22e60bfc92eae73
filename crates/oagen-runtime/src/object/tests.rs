//! Tests of struct decoding (`collect`, `Fields`) and encoding (`serialize`).

use super::*;
use crate::{object, wire, DateTime};
use serde::{Deserialize, Serialize};

fn dt(s: &str) -> DateTime {
    match s.parse() {
        Ok(v) => v,
        Err(e) => panic!("{s:?} should parse: {e}"),
    }
}

/// A struct as oagen generates one: serde's derive encodes it, and it
/// decodes through [`object`].
#[derive(Serialize, Debug, PartialEq)]
struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    optional_nullable: Option<Option<i64>>,
    required_nullable: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    optional_nullable_time: Option<Option<DateTime>>,
    required_nullable_time: Option<DateTime>,
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        fn build(mut f: object::Fields) -> Result<Fields, String> {
            let Some(v0) = f.optional_nullable("optional_nullable") else {
                return Err(f.error());
            };
            let Some(v1) = f.nullable("required_nullable") else {
                return Err(f.error());
            };
            let Some(v2) = f.optional_nullable("optional_nullable_time") else {
                return Err(f.error());
            };
            let Some(v3) = f.nullable("required_nullable_time") else {
                return Err(f.error());
            };
            Ok(Fields {
                optional_nullable: v0,
                required_nullable: v1,
                optional_nullable_time: v2,
                required_nullable_time: v3,
            })
        }
        object::deserialize(deserializer, build)
    }
}

/// Every other kind of member: required, optional, with a default, and
/// the members the schema does not list (typed, or kept as they are).
#[derive(Serialize, Debug, PartialEq)]
struct Pet {
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    kind: String,
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, i64>,
}

fn default_kind() -> String {
    String::from("dog")
}

impl<'de> Deserialize<'de> for Pet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        fn build(mut f: object::Fields) -> Result<Pet, String> {
            let Some(v0) = f.required("id") else {
                return Err(f.error());
            };
            let Some(v1) = f.optional("tag") else {
                return Err(f.error());
            };
            let Some(v2) = f.or_default("kind", default_kind) else {
                return Err(f.error());
            };
            let Some(v3) = f.rest_typed() else {
                return Err(f.error());
            };
            Ok(Pet {
                id: v0,
                tag: v1,
                kind: v2,
                rest: v3,
            })
        }
        object::deserialize(deserializer, build)
    }
}

#[test]
fn object_fields_decode_every_kind_of_member() {
    let pet: Pet = serde_json::from_str(r#"{"id":1,"legs":4}"#).expect("decodes");
    assert_eq!(
        pet,
        Pet {
            id: 1,
            tag: None,
            kind: "dog".into(),
            rest: [("legs".to_string(), 4)].into_iter().collect(),
        }
    );
    let pet: Pet = serde_json::from_str(r#"{"kind":"cat","tag":null,"id":2}"#).expect("decodes");
    assert_eq!((pet.id, pet.tag, pet.kind.as_str()), (2, None, "cat"));
    for (text, error) in [
        (r#"{"tag":"x"}"#, "missing field `id`"),
        (r#"{"id":"1"}"#, "invalid type: string \"1\""),
        (r#"{"id":1,"id":2}"#, "duplicate field `id`"),
        (r#"{"id":1,"legs":"four"}"#, "invalid type: string \"four\""),
        (r#"[1]"#, "expected an object"),
    ] {
        let err = serde_json::from_str::<Pet>(text).expect_err(text);
        assert!(err.to_string().contains(error), "{text}: {err}");
    }
    // Through a `serde_json::Value` too, and back.
    let value = serde_json::json!({"id": 3, "kind": "cat", "legs": 3});
    let pet: Pet = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&pet).expect("encodes"), value);
}

#[test]
fn object_fields_read_text_inside_from_text_only() {
    // Collected from a query string or a form: every leaf is a string.
    let text = serde_json::json!({"id": "7", "tag": "t", "legs": "4"});
    let pet: Pet = wire::from_text(text.clone()).expect("reads numbers out of text");
    assert_eq!((pet.id, pet.rest.get("legs")), (7, Some(&4)));
    // The same strings in JSON are the wrong type.
    assert!(serde_json::from_value::<Pet>(text).is_err());
    // Text mode ends with `from_text`, even when it fails.
    assert!(wire::from_text::<Pet>(serde_json::json!({"id": "x"})).is_err());
    assert!(!wire::in_text());
}

#[test]
fn deserialize_some_distinguishes_absent_null_and_value() {
    let absent: Fields =
        serde_json::from_str(r#"{"required_nullable":null,"required_nullable_time":null}"#)
            .expect("absent");
    assert_eq!(absent.optional_nullable, None);
    assert_eq!(absent.optional_nullable_time, None);

    let null: Fields = serde_json::from_str(
        r#"{"optional_nullable":null,"optional_nullable_time":null,"required_nullable":null,"required_nullable_time":null}"#,
    )
    .expect("null");
    assert_eq!(null.optional_nullable, Some(None));
    assert_eq!(null.optional_nullable_time, Some(None));

    let value: Fields = serde_json::from_str(
        r#"{"optional_nullable":7,"optional_nullable_time":"2021-01-01 00:00:00.000","required_nullable":"x","required_nullable_time":"2021-01-01T00:00:00+0200"}"#,
    )
    .expect("value");
    assert_eq!(value.optional_nullable, Some(Some(7)));
    assert_eq!(
        value.optional_nullable_time,
        Some(Some(dt("2021-01-01 00:00:00.000")))
    );

    // Each re-encodes as it was written.
    for text in [
        r#"{"required_nullable":null,"required_nullable_time":null}"#,
        r#"{"optional_nullable":null,"required_nullable":null,"optional_nullable_time":null,"required_nullable_time":null}"#,
        r#"{"optional_nullable":7,"required_nullable":"x","optional_nullable_time":"2021-01-01 00:00:00.000","required_nullable_time":"2021-01-01T00:00:00+0200"}"#,
    ] {
        let decoded: Fields = serde_json::from_str(text).expect("decode");
        assert_eq!(serde_json::to_string(&decoded).expect("encode"), text);
    }

    let err = serde_json::from_str::<Fields>(
        r#"{"optional_nullable":"seven","required_nullable":null,"required_nullable_time":null}"#,
    )
    .expect_err("wrong type");
    assert!(err.to_string().contains("invalid type"), "{err}");
}

#[test]
fn deserialize_nullable_requires_presence_but_allows_null() {
    let missing = serde_json::from_str::<Fields>(r#"{"required_nullable_time":null}"#)
        .expect_err("missing required field");
    assert!(
        missing
            .to_string()
            .contains("missing field `required_nullable`"),
        "{missing}"
    );

    let missing_time = serde_json::from_str::<Fields>(r#"{"required_nullable":"x"}"#)
        .expect_err("missing required field");
    assert!(
        missing_time
            .to_string()
            .contains("missing field `required_nullable_time`"),
        "{missing_time}"
    );

    let null: Fields =
        serde_json::from_str(r#"{"required_nullable":null,"required_nullable_time":null}"#)
            .expect("null");
    assert_eq!(null.required_nullable, None);
    assert_eq!(null.required_nullable_time, None);

    let value: Fields = serde_json::from_str(
        r#"{"required_nullable":"x","required_nullable_time":"2021-01-01t00:00:00z"}"#,
    )
    .expect("value");
    assert_eq!(value.required_nullable.as_deref(), Some("x"));
    assert_eq!(
        value.required_nullable_time,
        Some(dt("2021-01-01t00:00:00z"))
    );

    let bad = serde_json::from_str::<Fields>(
        r#"{"required_nullable":"x","required_nullable_time":"2021-02-30 00:00:00"}"#,
    )
    .expect_err("bad date");
    assert!(bad.to_string().contains("2021-02-30 00:00:00"), "{bad}");
}

/// Encoding: [`serialize`], [`present`] and [`Rest`].
mod encoding {
    use crate::object::{present, serialize, Rest};
    use serde::{Serialize, Serializer};
    use serde_json::{json, Map, Value};
    use std::collections::BTreeMap;

    /// What a generated struct looks like: a required member, an optional one,
    /// a required nullable one and the members the schema does not list.
    struct Pet<R> {
        id: i64,
        tag: Option<String>,
        owner: Option<String>,
        rest: R,
    }

    impl<R: Rest> Serialize for Pet<R> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(
                serializer,
                &[
                    ("id", Some(&self.id)),
                    ("tag", present(&self.tag)),
                    ("owner", Some(&self.owner)),
                ],
                &self.rest,
            )
        }
    }

    #[test]
    fn members_left_out_are_skipped_and_nulls_kept() {
        let pet = Pet {
            id: 1,
            tag: None,
            owner: None,
            rest: (),
        };
        assert_eq!(
            serde_json::to_string(&pet).unwrap(),
            r#"{"id":1,"owner":null}"#
        );
        let pet = Pet {
            id: 1,
            tag: Some("a".into()),
            owner: Some("b".into()),
            rest: (),
        };
        assert_eq!(
            serde_json::to_string(&pet).unwrap(),
            r#"{"id":1,"tag":"a","owner":"b"}"#
        );
    }

    #[test]
    fn the_rest_follows_and_never_repeats_a_listed_member() {
        let mut rest = Map::new();
        rest.insert("zeta".into(), json!([1, 2]));
        rest.insert("id".into(), json!("shadowed"));
        let pet = Pet {
            id: 7,
            tag: None,
            owner: None,
            rest,
        };
        assert_eq!(
            serde_json::to_string(&pet).unwrap(),
            r#"{"id":7,"owner":null,"zeta":[1,2]}"#
        );
        let mut typed = BTreeMap::new();
        typed.insert("b".to_string(), 2u8);
        typed.insert("a".to_string(), 1u8);
        let pet = Pet {
            id: 7,
            tag: None,
            owner: None,
            rest: typed,
        };
        assert_eq!(
            serde_json::to_string(&pet).unwrap(),
            r#"{"id":7,"owner":null,"a":1,"b":2}"#
        );
    }

    #[test]
    fn any_serializer_sees_the_same_object() {
        // `to_value` is another serializer than the text one; nested structs
        // go through the type-erased serializer.
        let inner = Pet {
            id: 2,
            tag: Some("x".into()),
            owner: None,
            rest: (),
        };
        let mut rest = BTreeMap::new();
        rest.insert("friend".to_string(), inner);
        let pet = Pet {
            id: 1,
            tag: None,
            owner: Some("o".into()),
            rest,
        };
        let expected =
            json!({"id": 1, "owner": "o", "friend": {"id": 2, "tag": "x", "owner": null}});
        assert_eq!(serde_json::to_value(&pet).unwrap(), expected);
        let text: Value =
            serde_json::from_str(&serde_json::to_string_pretty(&pet).unwrap()).unwrap();
        assert_eq!(text, expected);
    }
}
