//! Tests of [`json_is_subset`] and [`keeps_all`].

use super::*;
use crate::DateTime;
use serde::Deserialize;
use serde_json::json;

#[test]
fn json_subset_accepts_supersets() {
    let expected = json!({"a": 1, "b": [1, {"c": null}], "d": {"e": "x"}});
    let actual =
        json!({"a": 1.0, "b": [1, {"c": null, "extra": 2}], "d": {"e": "x", "f": []}, "g": true});
    assert_eq!(json_is_subset(&expected, &actual), Ok(()));
    assert_eq!(json_is_subset(&expected, &expected), Ok(()));
    assert_eq!(json_is_subset(&json!({}), &json!({"a": 1})), Ok(()));
    assert_eq!(json_is_subset(&json!([]), &json!([])), Ok(()));
    assert_eq!(json_is_subset(&json!(null), &json!(null)), Ok(()));
    assert_eq!(json_is_subset(&json!("s"), &json!("s")), Ok(()));
    assert_eq!(json_is_subset(&json!(false), &json!(false)), Ok(()));
    assert_eq!(json_is_subset(&json!(2.5), &json!(2.5)), Ok(()));
    assert_eq!(json_is_subset(&json!(-3), &json!(-3.0)), Ok(()));
    assert_eq!(json_is_subset(&json!(u64::MAX), &json!(u64::MAX)), Ok(()));
    assert_eq!(json_is_subset(&json!(i64::MIN), &json!(i64::MIN)), Ok(()));
    assert_eq!(json_is_subset(&json!(0), &json!(-0.0)), Ok(()));
}

#[test]
fn json_subset_reports_the_first_difference() {
    let cases = [
        (
            json!({"a": 1}),
            json!({}),
            "at \"/a\": member is missing (expected 1)",
        ),
        (
            json!({"a": 1}),
            json!({"a": 2}),
            "at \"/a\": expected 1, found 2",
        ),
        (
            json!({"a": 1}),
            json!({"a": "1"}),
            "at \"/a\": expected 1, found \"1\"",
        ),
        (
            json!({"a": null}),
            json!({"a": 0}),
            "at \"/a\": expected null, found 0",
        ),
        (
            json!({"a": [1, 2]}),
            json!({"a": [1]}),
            "at \"/a\": expected an array of 2 elements, found 1 elements",
        ),
        (
            json!({"a": [1, {"b": 2}]}),
            json!({"a": [1, {"b": 3}]}),
            "at \"/a/1/b\": expected 2, found 3",
        ),
        (
            json!({"a/b": {"c~d": 1}}),
            json!({"a/b": {"c~d": 2}}),
            "at \"/a~1b/c~0d\": expected 1, found 2",
        ),
        (
            json!(1),
            json!(2),
            "at the document root: expected 1, found 2",
        ),
        (
            json!([]),
            json!({}),
            "at the document root: expected [], found {}",
        ),
        (
            json!({"x": 1.5}),
            json!({"x": 1}),
            "at \"/x\": expected 1.5, found 1",
        ),
        (
            json!(-1),
            json!(u64::MAX),
            "at the document root: expected -1, found 18446744073709551615",
        ),
        (
            json!(u64::MAX),
            json!(-1),
            "at the document root: expected 18446744073709551615, found -1",
        ),
        (
            json!(9_007_199_254_740_993_u64),
            json!(9_007_199_254_740_992_u64),
            "at the document root: expected 9007199254740993, found 9007199254740992",
        ),
        (
            json!(true),
            json!(false),
            "at the document root: expected true, found false",
        ),
        (
            json!({"a": 1, "b": 2}),
            json!({"a": 0, "b": 0}),
            "at \"/a\": expected 1, found 0",
        ),
    ];
    for (expected, actual, message) in cases {
        assert_eq!(json_is_subset(&expected, &actual), Err(message.to_owned()));
    }
    // Long values are cut short in the message.
    let long = json!("y".repeat(1000));
    let err = json_is_subset(&long, &json!("z")).expect_err("differs");
    assert!(err.len() < 300, "{err}");
    assert!(err.contains("..."), "{err}");
}

#[test]
fn json_subset_after_decode_and_reencode() {
    #[derive(Serialize, Deserialize)]
    struct Example {
        id: u64,
        at: DateTime,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        score: Option<f64>,
    }
    let original = json!({"id": 3, "at": "2021-01-01 00:00:00.000", "score": 1, "ignored": "x"});
    let decoded: Example = serde_json::from_value(original.clone()).expect("decode");
    let reencoded = serde_json::to_value(&decoded).expect("encode");
    let mut without_unknown = original.clone();
    if let Some(map) = without_unknown.as_object_mut() {
        map.remove("ignored");
    }
    assert_eq!(json_is_subset(&without_unknown, &reencoded), Ok(()));
    assert!(json_is_subset(&original, &reencoded).is_err());
}
