//! Behaviour of the crate generated from `specs/px0.yaml`.

mod support;

use support::{decode, misses, round_trip};

use chrono::NaiveDate;
use px0::models::{ApiError, CreateOrgCreatedBody, CreateOrgRequest};
use serde_json::{json, Value};

fn created_body(id: Value, created_at: Value) -> Value {
    json!({"org": {"id": id, "name": "Acme Corp", "created_at": created_at}})
}

#[test]
fn created_body_wraps_the_organization() {
    let body: CreateOrgCreatedBody = round_trip(created_body(
        json!("123e4567-e89b-12d3-a456-426614174000"),
        json!("2024-04-22T18:55:28.456Z"),
    ));
    let org = body.org.unwrap();
    assert_eq!(org.id.to_string(), "123e4567-e89b-12d3-a456-426614174000");
    assert_eq!(org.id.as_u128(), 0x123e4567_e89b_12d3_a456_426614174000);
    assert_eq!(org.name, "Acme Corp");
    assert_eq!(org.created_at.to_string(), "2024-04-22T18:55:28.456Z");
    assert_eq!(
        org.created_at.to_utc(),
        NaiveDate::from_ymd_opt(2024, 4, 22)
            .unwrap()
            .and_hms_milli_opt(18, 55, 28, 456)
            .unwrap()
            .and_utc()
    );
    assert!(org.additional_properties.is_empty());
    assert!(body.additional_properties.is_empty());
}

#[test]
fn created_body_org_is_optional() {
    let body: CreateOrgCreatedBody = round_trip(json!({}));
    assert_eq!(body, CreateOrgCreatedBody::default());
    assert_eq!(body.org, None);
}

#[test]
fn created_body_rejects_a_non_uuid_id() {
    let result = decode::<CreateOrgCreatedBody>(&created_body(
        json!("org_123"),
        json!("2024-04-22T18:55:28Z"),
    ));
    assert!(result.is_err());
}

#[test]
fn created_body_rejects_a_bad_created_at() {
    let err = decode::<CreateOrgCreatedBody>(&created_body(
        json!("123e4567-e89b-12d3-a456-426614174000"),
        json!("2024-02-30T00:00:00Z"),
    ))
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid date-time \"2024-02-30T00:00:00Z\": no such day in that month"),
        "{err}"
    );
}

#[test]
fn organization_requires_id_name_and_created_at() {
    for field in ["id", "name", "created_at"] {
        let mut json = created_body(
            json!("123e4567-e89b-12d3-a456-426614174000"),
            json!("2024-04-22T18:55:28Z"),
        );
        json["org"].as_object_mut().unwrap().remove(field);
        misses::<CreateOrgCreatedBody>(&json, field);
    }
}

#[test]
fn api_error_requires_error() {
    misses::<ApiError>(&json!({"message": "invalid credentials"}), "error");
    assert!(decode::<ApiError>(&json!({"error": null})).is_err());
}

#[test]
fn api_error_decodes_and_keeps_extra_members() {
    let error: ApiError = round_trip(json!({"error": "invalid credentials", "code": 401}));
    assert_eq!(error.error, "invalid credentials");
    assert_eq!(error.additional_properties.get("code"), Some(&json!(401)));
}

#[test]
fn create_request_requires_name() {
    let req: CreateOrgRequest = round_trip(json!({"name": "Acme Corp"}));
    assert_eq!(req.name, "Acme Corp");
    misses::<CreateOrgRequest>(&json!({}), "name");
}

/// One `ApiError` type serves the 400, 401 and 403 responses.
#[test]
fn api_error_is_one_type_for_400_401_403() {
    fn message(_status: u16, body: &ApiError) -> &str {
        &body.error
    }
    for status in [400, 401, 403] {
        let body: ApiError = decode(&json!({"error": format!("status {status}")})).unwrap();
        assert_eq!(message(status, &body), format!("status {status}"));
    }
}
