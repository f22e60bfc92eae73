//! Behaviour of the crate generated from `specs/partoo.yaml`.

mod support;

use support::{decode, encode, misses, round_trip};

use partoo::models::{
    BadRequestBody, CreateOrganizationOkBody, CreateOrganizationRequest, ForbiddenBody,
    ForbiddenBodyErrors, OrgAlias, OrgMaxBusinesses, RequestStatus, UnauthorizedBody,
    UnauthorizedBodyErrors,
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// max_businesses: absent, null and a number are three states
// ---------------------------------------------------------------------------

#[test]
fn request_max_businesses_absent() {
    let req: CreateOrganizationRequest = round_trip(json!({"name": "Fast Retailer"}));
    assert_eq!(req.max_businesses, None);
    assert_eq!(req.name, "Fast Retailer");
    assert_eq!(req.alias, None);
}

#[test]
fn request_max_businesses_null_means_no_limit() {
    let req: CreateOrganizationRequest =
        round_trip(json!({"name": "Fast Retailer", "max_businesses": null}));
    assert_eq!(req.max_businesses, Some(None));
    assert_eq!(encode(&req).get("max_businesses"), Some(&Value::Null));
}

#[test]
fn request_max_businesses_number() {
    let req: CreateOrganizationRequest = round_trip(json!({
        "name": "Fast Retailer",
        "alias": "fast_retailer",
        "max_businesses": 100
    }));
    assert_eq!(req.max_businesses, Some(Some(100)));
    assert_eq!(req.alias.as_deref(), Some("fast_retailer"));
}

#[test]
fn request_max_businesses_states_are_distinct() {
    let absent: CreateOrganizationRequest = decode(&json!({"name": "A"})).unwrap();
    let null: CreateOrganizationRequest =
        decode(&json!({"name": "A", "max_businesses": null})).unwrap();
    let hundred: CreateOrganizationRequest =
        decode(&json!({"name": "A", "max_businesses": 100})).unwrap();
    assert_ne!(absent, null);
    assert_ne!(null, hundred);
    assert_ne!(absent, hundred);
}

#[test]
fn request_max_businesses_must_be_an_integer_or_null() {
    for bad in [json!("100"), json!(1.5), json!(true), json!([100])] {
        let result =
            decode::<CreateOrganizationRequest>(&json!({"name": "A", "max_businesses": bad}));
        assert!(result.is_err(), "accepted max_businesses {bad}");
    }
}

#[test]
fn request_requires_name() {
    misses::<CreateOrganizationRequest>(&json!({"max_businesses": 1}), "name");
}

/// Builds a request in code: each state encodes as it should.
#[test]
fn request_built_in_code_encodes_each_state() {
    let mut req = CreateOrganizationRequest {
        name: "A".to_owned(),
        alias: None,
        max_businesses: None,
        additional_properties: Default::default(),
    };
    assert_eq!(encode(&req), json!({"name": "A"}));
    req.max_businesses = Some(None);
    assert_eq!(encode(&req), json!({"name": "A", "max_businesses": null}));
    req.max_businesses = Some(Some(7));
    assert_eq!(encode(&req), json!({"name": "A", "max_businesses": 7}));
}

#[test]
fn response_max_businesses_absent() {
    let body: CreateOrganizationOkBody = round_trip(json!({"status": "success", "org_id": 42}));
    assert_eq!(body.max_businesses, None);
    assert_eq!(body.org_id, Some(42));
}

#[test]
fn response_max_businesses_null() {
    let body: CreateOrganizationOkBody = round_trip(json!({
        "status": "success",
        "org_id": 42,
        "max_businesses": null
    }));
    assert_eq!(body.max_businesses, Some(None));
    assert_eq!(encode(&body).get("max_businesses"), Some(&Value::Null));
}

#[test]
fn response_max_businesses_number() {
    let body: CreateOrganizationOkBody = round_trip(json!({
        "status": "success",
        "org_id": 42,
        "alias": "fast_retailer",
        "max_businesses": 100
    }));
    assert_eq!(body.max_businesses, Some(Some(100)));
    assert_eq!(body.alias.as_deref(), Some("fast_retailer"));
}

#[test]
fn response_max_businesses_states_are_distinct() {
    let absent: CreateOrganizationOkBody = decode(&json!({})).unwrap();
    let null: CreateOrganizationOkBody = decode(&json!({"max_businesses": null})).unwrap();
    let hundred: CreateOrganizationOkBody = decode(&json!({"max_businesses": 100})).unwrap();
    assert_eq!(absent, CreateOrganizationOkBody::default());
    assert_ne!(absent, null);
    assert_ne!(null, hundred);
    assert_ne!(absent, hundred);
}

// ---------------------------------------------------------------------------
// status: a known value and values the spec does not list
// ---------------------------------------------------------------------------

#[test]
fn status_success_is_the_known_variant() {
    let body: CreateOrganizationOkBody = round_trip(json!({"status": "success"}));
    assert_eq!(body.status, Some(RequestStatus::Success));
    let status = body.status.unwrap();
    assert!(status.is_known());
    assert_eq!(status.as_str(), "success");
    assert_eq!(status.to_string(), "success");
}

#[test]
fn status_unknown_value_is_kept_and_written_back() {
    let body: CreateOrganizationOkBody = round_trip(json!({"status": "pending", "org_id": 7}));
    assert_eq!(
        body.status,
        Some(RequestStatus::Unknown("pending".to_owned()))
    );
    let status = body.status.as_ref().unwrap();
    assert!(!status.is_known());
    assert_eq!(status.as_str(), "pending");
    assert_eq!(encode(&body)["status"], json!("pending"));
}

#[test]
fn status_match_is_exact() {
    let body: CreateOrganizationOkBody = round_trip(json!({"status": "Success"}));
    assert_eq!(
        body.status,
        Some(RequestStatus::Unknown("Success".to_owned()))
    );
    assert_eq!(RequestStatus::from("success"), RequestStatus::Success);
    assert_eq!(encode(&RequestStatus::Success), json!("success"));
}

#[test]
fn status_must_be_a_string() {
    let err = decode::<CreateOrganizationOkBody>(&json!({"status": 1})).unwrap_err();
    assert!(err.to_string().contains("expected a string"), "{err}");
}

// ---------------------------------------------------------------------------
// Error bodies: defaults of the inner fields
// ---------------------------------------------------------------------------

#[test]
fn unauthorized_default_applies_when_inner_field_is_absent() {
    let body: UnauthorizedBody = decode(&json!({"errors": {}})).unwrap();
    let errors = body.errors.as_ref().unwrap();
    assert_eq!(errors.authentication, "User not authenticated");
    assert!(errors.additional_properties.is_empty());
    assert_eq!(
        encode(&body),
        json!({"errors": {"authentication": "User not authenticated"}})
    );
    assert_eq!(
        UnauthorizedBodyErrors::default().authentication,
        "User not authenticated"
    );
}

#[test]
fn unauthorized_given_value_is_kept() {
    let body: UnauthorizedBody =
        round_trip(json!({"errors": {"authentication": "API key expired", "code": 17}}));
    let errors = body.errors.unwrap();
    assert_eq!(errors.authentication, "API key expired");
    assert_eq!(errors.additional_properties.get("code"), Some(&json!(17)));
}

#[test]
fn unauthorized_without_errors_stays_empty() {
    let body: UnauthorizedBody = round_trip(json!({}));
    assert_eq!(body.errors, None);
}

#[test]
fn forbidden_default_applies_when_inner_field_is_absent() {
    let body: ForbiddenBody = decode(&json!({"errors": {}})).unwrap();
    assert_eq!(
        body.errors.as_ref().unwrap().authorization,
        "Operation not allowed"
    );
    assert_eq!(
        encode(&body),
        json!({"errors": {"authorization": "Operation not allowed"}})
    );
    assert_eq!(
        ForbiddenBodyErrors::default().authorization,
        "Operation not allowed"
    );
}

#[test]
fn forbidden_given_value_is_kept() {
    let body: ForbiddenBody = round_trip(json!({"errors": {"authorization": "Not your business"}}));
    assert_eq!(body.errors.unwrap().authorization, "Not your business");
}

#[test]
fn bad_request_json_detail_is_free_form() {
    let body: BadRequestBody = round_trip(json!({
        "errors": {"json": {"name": ["Missing data for required field."], "max_businesses": {"min": 0}}}
    }));
    let detail = body.errors.unwrap().json.unwrap();
    assert_eq!(
        detail.get("name"),
        Some(&json!(["Missing data for required field."]))
    );
    assert_eq!(detail.get("max_businesses"), Some(&json!({"min": 0})));
    assert_eq!(detail.len(), 2);
}

// ---------------------------------------------------------------------------
// Shared types
// ---------------------------------------------------------------------------

/// `OrgAlias` and `OrgMaxBusinesses` are each one type, used by both the
/// request and the 200 response.
#[test]
fn shared_schemas_are_one_type() {
    fn limit(value: &Option<Option<OrgMaxBusinesses>>) -> Option<Option<OrgMaxBusinesses>> {
        *value
    }
    fn alias(value: &Option<OrgAlias>) -> Option<&str> {
        value.as_deref()
    }
    let req: CreateOrganizationRequest =
        decode(&json!({"name": "A", "alias": "a", "max_businesses": 3})).unwrap();
    let res: CreateOrganizationOkBody =
        decode(&json!({"alias": "a", "max_businesses": 3})).unwrap();
    assert_eq!(limit(&req.max_businesses), limit(&res.max_businesses));
    assert_eq!(alias(&req.alias), alias(&res.alias));
}
