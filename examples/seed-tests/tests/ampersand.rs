//! Behaviour of the crate generated from `specs/ampersand.yaml`.

mod support;

use support::{decode, encode, misses, round_trip};

use ampersand::models::{ApiProblem, CreateOrgRequest, Organization};
use ampersand::runtime::DateTime;
use chrono::{NaiveDate, Utc};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// API Problem (default response, application/problem+json)
// ---------------------------------------------------------------------------

#[test]
fn problem_with_type_keeps_it() {
    let problem: ApiProblem = round_trip(json!({
        "type": "urn:problem-type:exampleOrganization:exampleProblem",
        "href": "https://www.belgif.be/specification/rest/api-guide/#standardized-problem-types",
        "title": "Description of the type of problem that occurred",
        "status": 400,
        "detail": "Description of specific occurrence of the problem",
        "instance": "urn:uuid:123e4567-e89b-12d3-a456-426614174000"
    }));
    assert_eq!(
        problem.r#type,
        "urn:problem-type:exampleOrganization:exampleProblem"
    );
    assert_eq!(
        problem.href.as_deref(),
        Some("https://www.belgif.be/specification/rest/api-guide/#standardized-problem-types")
    );
    assert_eq!(
        problem.title.as_deref(),
        Some("Description of the type of problem that occurred")
    );
    assert_eq!(problem.status, Some(400));
    assert_eq!(
        problem.detail.as_deref(),
        Some("Description of specific occurrence of the problem")
    );
    assert_eq!(
        problem.instance.as_deref(),
        Some("urn:uuid:123e4567-e89b-12d3-a456-426614174000")
    );
    assert!(problem.additional_properties.is_empty());
}

#[test]
fn problem_without_type_is_about_blank() {
    let problem: ApiProblem = decode(&json!({"title": "Not Found", "status": 404})).unwrap();
    assert_eq!(problem.r#type, "about:blank");
    assert_eq!(problem.title.as_deref(), Some("Not Found"));
    assert_eq!(problem.status, Some(404));
    assert_eq!(
        encode(&problem),
        json!({"type": "about:blank", "title": "Not Found", "status": 404})
    );
    assert_eq!(ApiProblem::default().r#type, "about:blank");
    assert_eq!(
        decode::<ApiProblem>(&json!({})).unwrap(),
        ApiProblem::default()
    );
}

#[test]
fn problem_type_is_not_nullable() {
    assert!(decode::<ApiProblem>(&json!({"type": null})).is_err());
}

#[test]
fn problem_extra_members_are_kept_and_written_back() {
    let problem: ApiProblem = round_trip(json!({
        "type": "about:blank",
        "status": 500,
        "traceId": "x",
        "nested": {"a": [1]}
    }));
    assert_eq!(problem.additional_properties.len(), 2);
    assert_eq!(
        problem.additional_properties.get("traceId"),
        Some(&json!("x"))
    );
    assert_eq!(
        problem.additional_properties.get("nested"),
        Some(&json!({"a": [1]}))
    );
}

#[test]
fn problem_ampersand_members_decode() {
    let problem: ApiProblem = round_trip(json!({
        "type": "about:blank",
        "subsystem": "api",
        "time": "2024-04-22T18:55:28.456076Z",
        "requestId": "89eb1ffb-2a54-4105-aaae-7bf990f1aa69#87715",
        "causes": ["database connection failed", "database query failed"],
        "remedy": "Shorten your input to be under 100 characters",
        "supportEmail": "support@withampersand.com",
        "supportPhone": "+1-555-555-5555",
        "supportUrl": "https://withampersand.com/support",
        "retryable": false,
        "retryAfter": "2024-04-22T18:56:00+02:00"
    }));
    assert_eq!(problem.subsystem.as_deref(), Some("api"));
    assert_eq!(
        problem.request_id.as_deref(),
        Some("89eb1ffb-2a54-4105-aaae-7bf990f1aa69#87715")
    );
    assert_eq!(
        problem.causes,
        Some(vec![
            "database connection failed".to_owned(),
            "database query failed".to_owned()
        ])
    );
    assert_eq!(
        problem.support_email.as_deref(),
        Some("support@withampersand.com")
    );
    assert_eq!(problem.support_phone.as_deref(), Some("+1-555-555-5555"));
    assert_eq!(
        problem.support_url.as_deref(),
        Some("https://withampersand.com/support")
    );
    assert_eq!(problem.retryable, Some(false));
    assert_eq!(
        problem.time.unwrap().to_string(),
        "2024-04-22T18:55:28.456076Z"
    );
    assert_eq!(
        problem.retry_after.unwrap().to_utc(),
        NaiveDate::from_ymd_opt(2024, 4, 22)
            .unwrap()
            .and_hms_opt(16, 56, 0)
            .unwrap()
            .and_utc()
    );
    assert!(problem.additional_properties.is_empty());
}

#[test]
fn problem_context_is_free_form() {
    let context = json!({
        "name": "Rick Sanchez",
        "nested": {"list": [1, "two", null, {"deep": [true, 2.5]}], "empty": {}},
        "nothing": null,
        "count": 3
    });
    let problem: ApiProblem = round_trip(json!({"type": "about:blank", "context": context}));
    let kept = problem.context.as_ref().unwrap();
    assert_eq!(kept.len(), 4);
    assert_eq!(kept.get("name"), Some(&json!("Rick Sanchez")));
    assert_eq!(
        kept.get("nested"),
        Some(&json!({"list": [1, "two", null, {"deep": [true, 2.5]}], "empty": {}}))
    );
    assert_eq!(kept.get("nothing"), Some(&Value::Null));
    assert_eq!(encode(&problem)["context"], context);
}

#[test]
fn problem_context_must_be_an_object() {
    let err = decode::<ApiProblem>(&json!({"context": "text"})).unwrap_err();
    assert!(err.to_string().contains("expected a map"), "{err}");
}

#[test]
fn problem_status_is_i32() {
    let problem: ApiProblem = round_trip(json!({"type": "about:blank", "status": i32::MAX}));
    assert_eq!(problem.status, Some(2_147_483_647));
    let err = decode::<ApiProblem>(&json!({"status": 1_i64 << 31})).unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid value: integer `2147483648`, expected i32"),
        "{err}"
    );
    assert!(decode::<ApiProblem>(&json!({"status": "503"})).is_err());
    assert!(decode::<ApiProblem>(&json!({"status": 503.5})).is_err());
}

// ---------------------------------------------------------------------------
// Organization (201)
// ---------------------------------------------------------------------------

#[test]
fn organization_round_trips_exactly() {
    let org: Organization = round_trip(json!({
        "id": "9f7c3e2a-61b8-4f5c-8d1a-eb24f3b05d79",
        "label": "Acme Inc",
        "defaultTeamId": "team-everyone",
        "createTime": "2024-04-22T18:55:28.456076Z"
    }));
    assert_eq!(org.id, "9f7c3e2a-61b8-4f5c-8d1a-eb24f3b05d79");
    assert_eq!(org.label, "Acme Inc");
    assert_eq!(org.default_team_id, "team-everyone");
    assert_eq!(org.update_time, None);
    assert_eq!(org.create_time.to_string(), "2024-04-22T18:55:28.456076Z");
    assert_eq!(
        org.create_time.to_utc(),
        NaiveDate::from_ymd_opt(2024, 4, 22)
            .unwrap()
            .and_hms_micro_opt(18, 55, 28, 456_076)
            .unwrap()
            .and_utc()
    );
}

#[test]
fn organization_times_keep_their_spelling() {
    let org: Organization = round_trip(json!({
        "id": "o",
        "label": "Acme Inc",
        "defaultTeamId": "t",
        "createTime": "2024-04-22T20:55:28.4560760+02:00",
        "updateTime": "2024-04-23t00:00:00z"
    }));
    let text = serde_json::to_string(&org).unwrap();
    assert!(
        text.contains(r#""createTime":"2024-04-22T20:55:28.4560760+02:00""#),
        "{text}"
    );
    assert!(
        text.contains(r#""updateTime":"2024-04-23t00:00:00z""#),
        "{text}"
    );
}

#[test]
fn organization_requires_create_time() {
    misses::<Organization>(
        &json!({"id": "o", "label": "l", "defaultTeamId": "t"}),
        "createTime",
    );
}

#[test]
fn create_request_requires_label() {
    let req: CreateOrgRequest = round_trip(json!({"label": "org-123"}));
    assert_eq!(req.label, "org-123");
    misses::<CreateOrgRequest>(&json!({}), "label");
}

// ---------------------------------------------------------------------------
// Shared types
// ---------------------------------------------------------------------------

/// Every date-time, in the Organization and in the problem, is the one
/// runtime `DateTime`.
#[test]
fn date_time_type_is_shared() {
    fn instant(value: &DateTime) -> chrono::DateTime<Utc> {
        value.to_utc()
    }
    let at = "2024-04-22T18:55:28Z";
    let org: Organization = decode(&json!({
        "id": "o", "label": "l", "defaultTeamId": "t", "createTime": at, "updateTime": at
    }))
    .unwrap();
    let problem: ApiProblem = decode(&json!({"time": at, "retryAfter": at})).unwrap();
    let expected = instant(&org.create_time);
    assert_eq!(instant(org.update_time.as_ref().unwrap()), expected);
    assert_eq!(instant(problem.time.as_ref().unwrap()), expected);
    assert_eq!(instant(problem.retry_after.as_ref().unwrap()), expected);
}
