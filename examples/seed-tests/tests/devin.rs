//! Behaviour of the crate generated from `specs/devin.yaml`.

mod support;

use support::{decode, encode, misses, refuses, round_trip};

use chrono::{NaiveDate, Utc};
use devin::models::{
    EnterpriseOrgCreate, HttpValidationError, OrganizationResponse, ValidationError,
    ValidationErrorLocItem,
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// EnterpriseOrgCreate (request)
// ---------------------------------------------------------------------------

#[test]
fn add_creator_as_member_defaults_to_true() {
    let req: EnterpriseOrgCreate = decode(&json!({"display_name": "Acme"})).unwrap();
    assert!(req.add_creator_as_member);
    assert_eq!(req.display_name, "Acme");
    assert_eq!(req.acu_limit, None);
    assert_eq!(
        encode(&req),
        json!({"display_name": "Acme", "add_creator_as_member": true})
    );
}

#[test]
fn add_creator_as_member_false_is_kept() {
    let req: EnterpriseOrgCreate =
        round_trip(json!({"display_name": "Acme", "add_creator_as_member": false}));
    assert!(!req.add_creator_as_member);
}

#[test]
fn add_creator_as_member_is_not_nullable() {
    let result = decode::<EnterpriseOrgCreate>(
        &json!({"display_name": "Acme", "add_creator_as_member": null}),
    );
    assert!(result.is_err());
}

#[test]
fn acu_limit_absent_null_and_number_are_distinct() {
    let absent: EnterpriseOrgCreate =
        round_trip(json!({"display_name": "A", "add_creator_as_member": true}));
    let null: EnterpriseOrgCreate = round_trip(json!({
        "display_name": "A", "add_creator_as_member": true, "acu_limit": null
    }));
    let number: EnterpriseOrgCreate = round_trip(json!({
        "display_name": "A", "add_creator_as_member": true, "acu_limit": 500
    }));
    assert_eq!(absent.acu_limit, None);
    assert_eq!(null.acu_limit, Some(None));
    assert_eq!(number.acu_limit, Some(Some(500)));
}

#[test]
fn display_name_is_required() {
    misses::<EnterpriseOrgCreate>(&json!({"acu_limit": 1}), "display_name");
}

// ---------------------------------------------------------------------------
// OrganizationResponse (200)
// ---------------------------------------------------------------------------

#[test]
fn counts_default_to_zero() {
    let body: OrganizationResponse = decode(&json!({
        "org_id": "org-1",
        "org_name": "Acme",
        "created_at": "2025-06-01T12:30:00Z"
    }))
    .unwrap();
    assert_eq!(body.org_admin_count, 0);
    assert_eq!(body.org_member_count, 0);
    assert_eq!(body.org_user_count, 0);
    assert_eq!(body.max_cycle_acu_limit, None);
    assert_eq!(body.max_session_acu_limit, None);
    assert_eq!(
        encode(&body),
        json!({
            "org_id": "org-1",
            "org_name": "Acme",
            "created_at": "2025-06-01T12:30:00Z",
            "org_admin_count": 0,
            "org_member_count": 0,
            "org_user_count": 0
        })
    );
}

#[test]
fn given_counts_are_kept() {
    let body: OrganizationResponse = round_trip(json!({
        "org_id": "org-1",
        "org_name": "Acme",
        "created_at": "2025-06-01T12:30:00.123+02:00",
        "org_admin_count": 2,
        "org_member_count": 30,
        "org_user_count": 32,
        "max_cycle_acu_limit": null,
        "max_session_acu_limit": 10
    }));
    assert_eq!(
        (
            body.org_admin_count,
            body.org_member_count,
            body.org_user_count
        ),
        (2, 30, 32)
    );
    assert_eq!(body.max_cycle_acu_limit, Some(None));
    assert_eq!(body.max_session_acu_limit, Some(Some(10)));
    let created_at = body.created_at.unwrap();
    assert_eq!(created_at.to_string(), "2025-06-01T12:30:00.123+02:00");
    assert_eq!(
        created_at.to_utc(),
        NaiveDate::from_ymd_opt(2025, 6, 1)
            .unwrap()
            .and_hms_milli_opt(10, 30, 0, 123)
            .unwrap()
            .and_utc()
    );
}

#[test]
fn created_at_is_required() {
    misses::<OrganizationResponse>(
        &json!({"org_id": "org-1", "org_name": "Acme"}),
        "created_at",
    );
}

#[test]
fn created_at_may_be_null_and_stays_null() {
    let body: OrganizationResponse = round_trip(json!({
        "org_id": "org-1",
        "org_name": "Acme",
        "created_at": null,
        "org_admin_count": 0,
        "org_member_count": 0,
        "org_user_count": 0
    }));
    assert_eq!(body.created_at, None);
    assert_eq!(encode(&body).get("created_at"), Some(&Value::Null));
}

#[test]
fn created_at_that_is_not_a_date_time_is_rejected() {
    refuses::<OrganizationResponse>(
        &json!({"org_id": "org-1", "org_name": "Acme", "created_at": "soon"}),
        "invalid date-time \"soon\"",
    );
}

// ---------------------------------------------------------------------------
// HTTPValidationError (422)
// ---------------------------------------------------------------------------

#[test]
fn validation_error_loc_mixes_strings_and_integers() {
    let input = json!({
        "detail": [
            {"loc": ["body", "display_name", 0], "msg": "field required", "type": "value_error.missing"},
            {"loc": ["query", 12, "limit", -1], "msg": "bad", "type": "value_error"}
        ]
    });
    let body: HttpValidationError = round_trip(input);
    let detail = body.detail.unwrap();
    assert_eq!(detail.len(), 2);
    assert_eq!(
        detail[0].loc,
        vec![
            ValidationErrorLocItem::String("body".to_owned()),
            ValidationErrorLocItem::String("display_name".to_owned()),
            ValidationErrorLocItem::Integer(0),
        ]
    );
    assert_eq!(detail[0].msg, "field required");
    assert_eq!(detail[0].r#type, "value_error.missing");
    assert_eq!(
        detail[1].loc,
        vec![
            ValidationErrorLocItem::String("query".to_owned()),
            ValidationErrorLocItem::Integer(12),
            ValidationErrorLocItem::String("limit".to_owned()),
            ValidationErrorLocItem::Integer(-1),
        ]
    );
}

#[test]
fn validation_error_loc_numeric_string_stays_a_string() {
    let error: ValidationError = round_trip(json!({"loc": ["0", 0], "msg": "m", "type": "t"}));
    assert_eq!(
        error.loc,
        vec![
            ValidationErrorLocItem::String("0".to_owned()),
            ValidationErrorLocItem::Integer(0),
        ]
    );
}

#[test]
fn validation_error_loc_rejects_other_json_types() {
    for bad in [json!(1.5), json!(true), json!(null), json!({"a": 1})] {
        let result =
            decode::<ValidationError>(&json!({"loc": ["body", bad], "msg": "m", "type": "t"}));
        assert!(result.is_err(), "accepted loc item {bad}");
    }
}

#[test]
fn validation_error_requires_loc_msg_and_type() {
    for field in ["loc", "msg", "type"] {
        let mut json = json!({"loc": [], "msg": "m", "type": "t"});
        json.as_object_mut().unwrap().remove(field);
        misses::<ValidationError>(&json, field);
    }
}

#[test]
fn validation_error_detail_may_be_absent() {
    let body: HttpValidationError = round_trip(json!({}));
    assert_eq!(body, HttpValidationError::default());
}

// ---------------------------------------------------------------------------
// Shared types
// ---------------------------------------------------------------------------

/// The three `anyOf: [integer, null]` limits are all `Option<Option<i64>>`,
/// and both date-time uses share the runtime `DateTime`.
#[test]
fn shared_shapes_are_one_type() {
    fn limit(value: &Option<Option<i64>>) -> Option<i64> {
        value.flatten()
    }
    fn instant(value: &devin::runtime::DateTime) -> chrono::DateTime<Utc> {
        value.to_utc()
    }
    let req: EnterpriseOrgCreate = decode(&json!({"display_name": "A", "acu_limit": 5})).unwrap();
    let res: OrganizationResponse = decode(&json!({
        "org_id": "o", "org_name": "A", "created_at": "2025-01-01T00:00:00Z",
        "max_cycle_acu_limit": 5, "max_session_acu_limit": 5
    }))
    .unwrap();
    assert_eq!(limit(&req.acu_limit), Some(5));
    assert_eq!(limit(&res.max_cycle_acu_limit), Some(5));
    assert_eq!(limit(&res.max_session_acu_limit), Some(5));
    assert_eq!(
        instant(res.created_at.as_ref().unwrap()),
        NaiveDate::from_ymd_opt(2025, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
    );
}
