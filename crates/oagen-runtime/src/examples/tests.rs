//! Tests of the example checks: a fitting example round-trips, a lossy or undecodable one fails, a breaking one is rejected.

use super::*;

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Pet {
    name: String,
}

#[test]
fn an_example_that_fits_round_trips() {
    check::<Pet>("/p", "/s", "valid", r#"{"name": "Rex"}"#);
    check::<Vec<u8>>("/p", "/s", "valid", "[1, 2]");
}

#[test]
#[should_panic(expected = "re-encoding lost data")]
fn a_member_lost_on_encoding_fails() {
    check::<Pet>("/p", "/s", "valid", r#"{"name": "Rex", "age": 3}"#);
}

#[test]
#[should_panic(expected = "does not decode")]
fn an_example_that_does_not_decode_fails_check() {
    check::<Pet>("/p", "/s", "valid", r#"{"name": 3}"#);
}

#[test]
fn an_example_that_breaks_its_schema_is_rejected() {
    reject::<Pet>("/p", "/s", r#"{"name": 3}"#, "name is not a string");
}

#[test]
#[should_panic(expected = "but decoded as")]
fn an_example_that_decodes_fails_reject() {
    reject::<Pet>("/p", "/s", r#"{"name": "Rex"}"#, "none");
}

#[test]
fn the_outcome_line_says_what_happened() {
    let ok: Result<(Pet, Value), String> = round_trip(&serde_json::json!({"name": "Rex"}));
    let line = outcome_line("/p", "/s", "valid", &ok);
    assert_eq!(line["decoded"], true);
    assert_eq!(line["encoded"], serde_json::json!({"name": "Rex"}));
    assert_eq!(line["error"], Value::Null);
    let err: Result<(Pet, Value), String> = round_trip(&serde_json::json!({}));
    let line = outcome_line("/p", "/s", "breaks-structure", &err);
    assert_eq!(line["decoded"], false);
    assert!(line["error"].as_str().unwrap().contains("does not decode"));
}
