//! Behaviour of the crate generated from `specs/trieve.yaml`.

mod support;

use support::{misses, refuses};

use chrono::{NaiveDate, Utc};
use serde_json::{json, Value};
use trieve::models::{CreateOrganizationReqPayload, ErrorResponseBody, Organization};
use trieve::runtime::DateTime;

/// The `example` of `#/components/schemas/Organization`, verbatim. It lacks
/// the required `deleted`.
const SPEC_EXAMPLE: &str = r#"{
    "created_at": "2021-01-01 00:00:00.000",
    "id": "e3e3e3e3-e3e3-e3e3-e3e3-e3e3e3e3e3e3",
    "name": "Trieve",
    "partner_configuration": {
        "COMPANY_NAME": "Trieve",
        "DEMO_DOMAIN": "demos.trieve.ai",
        "FAVICON_URL": "https://cdn.trieve.ai/favicon.ico"
    },
    "registerable": true,
    "updated_at": "2021-01-01 00:00:00.000"
}"#;

/// Decodes from JSON text, the way a client reads a response body.
fn decode(json: &Value) -> Result<Organization, serde_json::Error> {
    serde_json::from_str(&json.to_string())
}

fn encode(org: &Organization) -> Value {
    serde_json::to_value(org).expect("an Organization always encodes")
}

/// The spec's example with `"deleted": 0` added, so that it is valid.
fn valid_example() -> Value {
    let mut json: Value = serde_json::from_str(SPEC_EXAMPLE).unwrap();
    json["deleted"] = json!(0);
    json
}

/// `valid_example()` with `key` set to `value`.
fn with(key: &str, value: Value) -> Value {
    let mut json = valid_example();
    json[key] = value;
    json
}

/// `valid_example()` without `key`.
fn without(key: &str) -> Value {
    let mut json = valid_example();
    json.as_object_mut().unwrap().remove(key);
    json
}

fn utc_midnight_2021() -> chrono::DateTime<Utc> {
    NaiveDate::from_ymd_opt(2021, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

#[test]
fn spec_example_without_deleted_is_rejected_naming_deleted() {
    let err = serde_json::from_str::<Organization>(SPEC_EXAMPLE).unwrap_err();
    assert!(
        err.to_string().contains("missing field `deleted`"),
        "unexpected error: {err}"
    );
}

#[test]
fn spec_example_with_deleted_decodes_field_by_field() {
    let org = decode(&valid_example()).unwrap();
    assert_eq!(org.id.to_string(), "e3e3e3e3-e3e3-e3e3-e3e3-e3e3e3e3e3e3");
    assert_eq!(org.name, "Trieve");
    assert_eq!(org.deleted, 0);
    assert_eq!(org.registerable, Some(Some(true)));
    assert_eq!(
        org.partner_configuration,
        json!({
            "COMPANY_NAME": "Trieve",
            "DEMO_DOMAIN": "demos.trieve.ai",
            "FAVICON_URL": "https://cdn.trieve.ai/favicon.ico"
        })
    );
    assert!(org.additional_properties.is_empty());
}

#[test]
fn spec_example_with_deleted_re_encodes_identically() {
    let input = valid_example();
    let org = decode(&input).unwrap();
    assert_eq!(encode(&org), input);
    // And as text: the space-separated timestamps are written back as they came.
    let text = serde_json::to_string(&org).unwrap();
    assert!(
        text.contains(r#""created_at":"2021-01-01 00:00:00.000""#),
        "{text}"
    );
    assert!(
        text.contains(r#""updated_at":"2021-01-01 00:00:00.000""#),
        "{text}"
    );
}

#[test]
fn created_at_keeps_its_spelling_and_is_midnight_utc() {
    let org = decode(&valid_example()).unwrap();
    assert_eq!(org.created_at.to_string(), "2021-01-01 00:00:00.000");
    assert_eq!(
        serde_json::to_value(org.created_at).unwrap(),
        json!("2021-01-01 00:00:00.000")
    );
    assert!(!org.created_at.has_offset());
    assert_eq!(org.created_at.to_utc(), utc_midnight_2021());
    assert_eq!(org.updated_at.to_utc(), utc_midnight_2021());
    // The canonical RFC 3339 spelling is the same instant but not the same value.
    let canonical: DateTime = "2021-01-01T00:00:00Z".parse().unwrap();
    assert!(org.created_at.same_instant(&canonical));
    assert_ne!(org.created_at, canonical);
}

#[test]
fn created_at_that_is_not_a_date_time_is_rejected() {
    refuses::<Organization>(
        &with("created_at", json!("yesterday")),
        "invalid date-time \"yesterday\"",
    );
}

/// Decodes the valid example with `partner_configuration` set to `value`
/// and checks that the value is kept and written back unchanged.
fn check_partner_configuration(value: Value) {
    let input = with("partner_configuration", value.clone());
    let org = decode(&input).unwrap();
    assert_eq!(org.partner_configuration, value);
    assert_eq!(encode(&org), input);
}

#[test]
fn partner_configuration_object_is_kept() {
    check_partner_configuration(json!({
        "COMPANY_NAME": "Trieve",
        "nested": {"list": [1, "two", null, {"deep": true}], "ratio": 0.25},
        "empty": {}
    }));
}

#[test]
fn partner_configuration_array_is_kept() {
    check_partner_configuration(json!([1, "a", null, [true, false], {"k": "v"}]));
}

#[test]
fn partner_configuration_string_is_kept() {
    check_partner_configuration(json!("just a string"));
}

#[test]
fn partner_configuration_numbers_are_kept() {
    check_partner_configuration(json!(42));
    check_partner_configuration(json!(-7));
    check_partner_configuration(json!(1.5));
    check_partner_configuration(json!(u64::MAX));
}

#[test]
fn partner_configuration_boolean_is_kept() {
    check_partner_configuration(json!(false));
}

#[test]
fn partner_configuration_null_is_kept_as_null() {
    let input = with("partner_configuration", Value::Null);
    let org = decode(&input).unwrap();
    assert_eq!(org.partner_configuration, Value::Null);
    let encoded = encode(&org);
    assert_eq!(encoded.get("partner_configuration"), Some(&Value::Null));
    assert_eq!(encoded, input);
}

#[test]
fn partner_configuration_is_required() {
    misses::<Organization>(&without("partner_configuration"), "partner_configuration");
}

#[test]
fn registerable_absent_null_and_false_are_three_states() {
    let absent = decode(&without("registerable")).unwrap();
    let null = decode(&with("registerable", Value::Null)).unwrap();
    let no = decode(&with("registerable", json!(false))).unwrap();
    assert_eq!(absent.registerable, None);
    assert_eq!(null.registerable, Some(None));
    assert_eq!(no.registerable, Some(Some(false)));
    assert_ne!(absent, null);
    assert_ne!(null, no);
    assert_ne!(absent, no);
}

#[test]
fn registerable_absent_stays_absent() {
    let input = without("registerable");
    let encoded = encode(&decode(&input).unwrap());
    assert!(encoded.get("registerable").is_none(), "{encoded}");
    assert_eq!(encoded, input);
}

#[test]
fn registerable_null_stays_null() {
    let input = with("registerable", Value::Null);
    let encoded = encode(&decode(&input).unwrap());
    assert_eq!(encoded.get("registerable"), Some(&Value::Null));
    assert_eq!(encoded, input);
}

#[test]
fn registerable_false_stays_false() {
    let input = with("registerable", json!(false));
    let encoded = encode(&decode(&input).unwrap());
    assert_eq!(encoded.get("registerable"), Some(&json!(false)));
    assert_eq!(encoded, input);
}

#[test]
fn registerable_must_be_a_boolean_or_null() {
    refuses::<Organization>(&with("registerable", json!("yes")), "expected a boolean");
}

#[test]
fn id_is_a_uuid() {
    let org = decode(&with("id", json!("123e4567-e89b-12d3-a456-426614174000"))).unwrap();
    assert_eq!(org.id.to_string(), "123e4567-e89b-12d3-a456-426614174000");
    assert_eq!(org.id.as_u128(), 0x123e4567_e89b_12d3_a456_426614174000);
}

#[test]
fn id_that_is_not_a_uuid_is_rejected() {
    for bad in [
        json!("not-a-uuid"),
        json!("e3e3e3e3-e3e3-e3e3-e3e3-e3e3e3e3e3e"),
        json!(""),
        json!(42),
    ] {
        assert!(decode(&with("id", bad.clone())).is_err(), "accepted {bad}");
    }
    refuses::<Organization>(&with("id", json!("not-a-uuid")), "invalid character");
}

#[test]
fn deleted_is_i32() {
    let max = decode(&with("deleted", json!(i32::MAX))).unwrap();
    assert_eq!(max.deleted, 2_147_483_647);
    let min = decode(&with("deleted", json!(i32::MIN))).unwrap();
    assert_eq!(min.deleted, -2_147_483_648);
    assert_eq!(encode(&min)["deleted"], json!(-2_147_483_648_i64));
}

#[test]
fn deleted_out_of_i32_range_is_rejected() {
    refuses::<Organization>(
        &with("deleted", json!(1_i64 << 31)),
        "invalid value: integer `2147483648`, expected i32",
    );
    assert!(decode(&with("deleted", json!(-(1_i64 << 31) - 1))).is_err());
    assert!(decode(&with("deleted", json!(1.5))).is_err());
    assert!(decode(&with("deleted", json!("0"))).is_err());
}

#[test]
fn unknown_members_are_kept_and_written_back() {
    let input = with("plan", json!({"tier": "pro", "seats": [1, 2]}));
    let org = decode(&input).unwrap();
    assert_eq!(
        org.additional_properties.get("plan"),
        Some(&json!({"tier": "pro", "seats": [1, 2]}))
    );
    assert_eq!(org.additional_properties.len(), 1);
    assert_eq!(encode(&org), input);
}

#[test]
fn request_and_error_bodies_require_their_fields() {
    let req: CreateOrganizationReqPayload = serde_json::from_str(r#"{"name":"Acme"}"#).unwrap();
    assert_eq!(req.name, "Acme");
    assert_eq!(serde_json::to_value(&req).unwrap(), json!({"name": "Acme"}));
    let err = serde_json::from_str::<CreateOrganizationReqPayload>("{}").unwrap_err();
    assert!(err.to_string().contains("missing field `name`"), "{err}");

    let body: ErrorResponseBody = serde_json::from_str(r#"{"message":"Bad Request"}"#).unwrap();
    assert_eq!(body.message, "Bad Request");
    let err = serde_json::from_str::<ErrorResponseBody>("{}").unwrap_err();
    assert!(err.to_string().contains("missing field `message`"), "{err}");
}

/// `created_at` and `updated_at` share the one runtime `DateTime` type.
#[test]
fn date_time_type_is_shared() {
    fn instant(value: &DateTime) -> chrono::DateTime<Utc> {
        value.to_utc()
    }
    let org = decode(&valid_example()).unwrap();
    assert_eq!(instant(&org.created_at), instant(&org.updated_at));
}
