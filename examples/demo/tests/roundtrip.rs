//! Generated client against generated server, over real HTTP on loopback, for
//! each seed: every declared response status, each credential scheme accepted
//! and rejected, and null versus absent fields surviving both directions.

use std::sync::{Arc, Mutex};

use oagen_demo::SECRET;
use serde_json::{json, Value};

/// Serves `router` on 127.0.0.1 at a free port; returns its base URL.
async fn spawn(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

/// A server that answers every request with `response` and records the bodies it got.
struct Canned<R> {
    response: R,
    seen: Mutex<Vec<Value>>,
}

impl<R> Canned<R> {
    fn new(response: R) -> Arc<Self> {
        Arc::new(Canned {
            response,
            seen: Mutex::new(Vec::new()),
        })
    }

    fn record(&self, body: Value) {
        self.seen.lock().expect("lock").push(body);
    }

    fn seen(&self) -> Vec<Value> {
        self.seen.lock().expect("lock").clone()
    }
}

/// `Canned` serves each seed's one operation: `seed: method(request) -> response`,
/// the types under the seed's `models` and `operations`.
macro_rules! canned_impl {
    ($($krate:ident: $method:ident($body:ident) -> $resp:ident;)+) => {$(
        impl $krate::server::Api for Canned<$krate::operations::$resp> {
            async fn verify(&self, credential: &$krate::server::Credential) -> bool {
                credential.value == SECRET
            }

            async fn $method(
                self: Arc<Self>,
                _auth: $krate::server::Auth,
                body: $krate::models::$body,
            ) -> $krate::operations::$resp {
                self.record(serde_json::to_value(&body).expect("encode"));
                self.response.clone()
            }
        }
    )+};
}

canned_impl! {
    px0: create_org(CreateOrgRequest) -> CreateOrgResponse;
    ampersand: create_org(CreateOrgRequest) -> CreateOrgResponse;
    trieve: create_organization(CreateOrganizationReqPayload) -> CreateOrganizationResponse;
    partoo: create_organization(CreateOrganizationRequest) -> CreateOrganizationResponse;
    devin: create_enterprise_organization_endpoint(EnterpriseOrgCreate)
        -> CreateEnterpriseOrganizationEndpointResponse;
}

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("test value fits its type")
}

// ---- every declared response status ------------------------------------------------

#[tokio::test]
async fn px0_every_declared_status_round_trips() {
    use px0::operations::CreateOrgResponse as R;
    let org = json!({"org": {"id": "e3e3e3e3-e3e3-e3e3-e3e3-e3e3e3e3e3e3", "name": "Acme", "created_at": "2024-04-22T18:55:28.456076Z"}});
    let error = json!({"error": "nope"});
    for expected in [
        R::Created(from(org)),
        R::BadRequest(from(error.clone())),
        R::Unauthorized(from(error.clone())),
        R::Forbidden(from(error)),
    ] {
        let server = Canned::new(expected.clone());
        let url = spawn(px0::server::router(server.clone())).await;
        let mut client = px0::client::Client::new(url).unwrap();
        client.credentials_mut().bearer_auth = Some(SECRET.into());
        let got = client
            .create_org(&from(json!({"name": "Acme"})))
            .await
            .unwrap();
        assert_eq!(got, expected);
        assert_eq!(got.status(), expected.status());
        assert_eq!(server.seen(), vec![json!({"name": "Acme"})]);
    }
}

#[tokio::test]
async fn ampersand_created_and_default_problem_json_round_trip() {
    use ampersand::operations::CreateOrgResponse as R;
    let problem = json!({
        "type": "urn:problem-type:exampleOrganization:exampleProblem",
        "title": "Service Unavailable",
        "status": 503,
        "context": {"name": "Rick Sanchez", "nested": [1, {"a": null}]},
        "causes": ["database connection failed"],
        "traceId": "extra top-level member"
    });
    let created = json!({"id": "org-1", "label": "Acme", "defaultTeamId": "t", "createTime": "2024-04-22T18:55:28.456076Z"});
    for expected in [
        R::Created(from(created)),
        R::Default {
            status: 503,
            body: from(problem.clone()),
        },
        R::Default {
            status: 418,
            body: from(json!({})),
        },
    ] {
        let url = spawn(ampersand::server::router(Canned::new(expected.clone()))).await;
        let mut client = ampersand::client::Client::new(format!("{url}/v1")).unwrap();
        client.credentials_mut().api_key_header = Some(SECRET.into());
        let got = client
            .create_org(&from(json!({"label": "Acme"})))
            .await
            .unwrap();
        assert_eq!(got, expected);
    }
    // The problem body keeps its extra member and the `type` default applies when absent.
    let url = spawn(ampersand::server::router(Canned::new(R::Default {
        status: 500,
        body: from(json!({"traceId": "x"})),
    })))
    .await;
    let client = ampersand::client::Client::builder(format!("{url}/v1"))
        .credentials(ampersand::client::Credentials {
            bearer: Some(SECRET.into()),
            ..Default::default()
        })
        .build()
        .unwrap();
    match client
        .create_org(&from(json!({"label": "Acme"})))
        .await
        .unwrap()
    {
        R::Default { status, body } => {
            assert_eq!(status, 500);
            assert_eq!(body.r#type, "about:blank");
            assert_eq!(body.additional_properties["traceId"], json!("x"));
        }
        other => panic!("expected the default response, got {other:?}"),
    }
}

/// Each `expected` answer of `$krate`'s canned server (mounted under `$base`)
/// reaches the client, which sends `$request` with `SECRET` in `$credential`, unchanged.
macro_rules! every_answer_round_trips {
    ($krate:ident, $base:literal, $credential:ident, $method:ident($request:expr), $expected:expr) => {
        for expected in $expected {
            let url = spawn($krate::server::router(Canned::new(expected.clone()))).await;
            let mut client = $krate::client::Client::new(format!("{url}{}", $base)).unwrap();
            client.credentials_mut().$credential = Some(SECRET.into());
            let got = client.$method(&from($request)).await.unwrap();
            assert_eq!(got, expected);
        }
    };
}

#[tokio::test]
async fn trieve_partoo_devin_every_declared_status_round_trips() {
    {
        use trieve::operations::CreateOrganizationResponse as R;
        let org = json!({"id": "e3e3e3e3-e3e3-e3e3-e3e3-e3e3e3e3e3e3", "name": "T", "created_at": "2021-01-01 00:00:00.000",
                         "updated_at": "2021-01-01T00:00:00Z", "deleted": 0, "partner_configuration": {"A": [1, "b"]}});
        every_answer_round_trips!(
            trieve,
            "",
            api_key,
            create_organization(json!({"name": "T"})),
            [
                R::Ok(from(org)),
                R::BadRequest(from(json!({"message": "bad"}))),
            ]
        );
    }
    {
        use partoo::operations::CreateOrganizationResponse as R;
        every_answer_round_trips!(
            partoo,
            "/v2",
            api_key_auth,
            create_organization(json!({"name": "P"})),
            [
                R::Ok(from(json!({"status": "success", "org_id": 42}))),
                R::BadRequest(from(json!({"errors": {"json": {"name": ["missing"]}}}))),
                R::Unauthorized(from(json!({"errors": {}}))),
                R::Forbidden(from(json!({"errors": {"authorization": "no"}}))),
            ]
        );
    }
    {
        use devin::operations::CreateEnterpriseOrganizationEndpointResponse as R;
        every_answer_round_trips!(
            devin,
            "",
            bearer_auth,
            create_enterprise_organization_endpoint(json!({"display_name": "D"})),
            [
                R::Ok(from(
                    json!({"org_id": "o", "org_name": "D", "created_at": null}),
                )),
                R::UnprocessableEntity(from(
                    json!({"detail": [{"loc": ["body", "display_name", 0], "msg": "m", "type": "t"}]}),
                )),
            ]
        );
    }
}

// ---- credentials: accepted and rejected, per scheme ------------------------------

#[tokio::test]
async fn ampersand_accepts_either_scheme_and_rejects_bad_credentials_as_declared() {
    use ampersand::operations::CreateOrgResponse as R;
    let url = format!(
        "{}/v1",
        spawn(oagen_demo::router("ampersand").unwrap()).await
    );
    let body = from(json!({"label": "Acme"}));
    for scheme in ["APIKeyHeader", "Bearer"] {
        let mut client = ampersand::client::Client::new(url.clone()).unwrap();
        assert!(client.credentials_mut().set(scheme, SECRET));
        assert!(
            matches!(client.create_org(&body).await.unwrap(), R::Created(_)),
            "{scheme} accepted"
        );
        let mut client = ampersand::client::Client::new(url.clone()).unwrap();
        client.credentials_mut().set(scheme, "wrong");
        match client.create_org(&body).await.unwrap() {
            R::Default { status: 401, body } => {
                assert_eq!(body.title.as_deref(), Some("invalid credentials"))
            }
            other => panic!("{scheme}: expected a 401 problem, got {other:?}"),
        }
    }
    let client = ampersand::client::Client::new(url).unwrap();
    assert!(
        matches!(
            client.create_org(&body).await.unwrap(),
            R::Default { status: 401, .. }
        ),
        "no credentials"
    );
}

/// `$krate`'s demo server (under `$base`) answers `$accepted` to `$request` sent
/// with `SECRET` in the client's `$credential`, and `$rejected` (then `$check`)
/// with `$wrong` there or no credential at all.
macro_rules! accepts_only_the_secret {
    (
        $krate:ident,
        $base:literal,
        $credential:ident,
        $method:ident($request:expr),
        wrong: $wrong:literal,
        accepted: $accepted:pat,
        rejected: $rejected:pat => $check:expr $(,)?
    ) => {
        let url = format!(
            "{}{}",
            spawn(oagen_demo::router(stringify!($krate)).unwrap()).await,
            $base
        );
        for (cred, ok) in [(Some(SECRET), true), (Some($wrong), false), (None, false)] {
            let mut client = $krate::client::Client::new(url.clone()).unwrap();
            client.credentials_mut().$credential = cred.map(String::from);
            let got = client.$method(&from($request)).await.unwrap();
            match (ok, &got) {
                (true, $accepted) => {}
                (false, $rejected) => $check,
                _ => panic!("{cred:?}: {got:?}"),
            }
        }
    };
}

#[tokio::test]
async fn px0_trieve_partoo_devin_accept_the_secret_and_reject_others() {
    // px0: bearer; rejected as its declared 401.
    accepts_only_the_secret!(
        px0,
        "",
        bearer_auth,
        create_org(json!({"name": "A"})),
        wrong: "wrong",
        accepted: px0::operations::CreateOrgResponse::Created(_),
        rejected: px0::operations::CreateOrgResponse::Unauthorized(_) => {},
    );
    // trieve: the key goes raw in Authorization; the spec declares no 401, so 400 it is.
    accepts_only_the_secret!(
        trieve,
        "",
        api_key,
        create_organization(json!({"name": "T"})),
        wrong: "Bearer demo-secret",
        accepted: trieve::operations::CreateOrganizationResponse::Ok(_),
        rejected: trieve::operations::CreateOrganizationResponse::BadRequest(e) => {
            assert!(e.message.contains("credentials"), "{e:?}")
        },
    );
    // partoo: x-APIKey header; its declared 401 body applies the spec's default text.
    accepts_only_the_secret!(
        partoo,
        "/v2",
        api_key_auth,
        create_organization(json!({"name": "P"})),
        wrong: "nope",
        accepted: partoo::operations::CreateOrganizationResponse::Ok(_),
        rejected: partoo::operations::CreateOrganizationResponse::Unauthorized(_) => {},
    );
    // devin: bearer; no 401 declared, so the declared 422 carries the rejection.
    accepts_only_the_secret!(
        devin,
        "",
        bearer_auth,
        create_enterprise_organization_endpoint(json!({"display_name": "D"})),
        wrong: "wrong",
        accepted: devin::operations::CreateEnterpriseOrganizationEndpointResponse::Ok(_),
        rejected: devin::operations::CreateEnterpriseOrganizationEndpointResponse::UnprocessableEntity(_) => {},
    );
}

// ---- null versus absent, both directions ------------------------------------------

#[tokio::test]
async fn null_absent_and_values_survive_both_directions() {
    // Partoo: the demo echoes max_businesses from the request into the response.
    let url = format!("{}/v2", spawn(oagen_demo::router("partoo").unwrap()).await);
    let mut client = partoo::client::Client::new(url).unwrap();
    client.credentials_mut().api_key_auth = Some(SECRET.into());
    for (sent, expected) in [
        (None, None),
        (Some(None), Some(None)),
        (Some(Some(100)), Some(Some(100))),
    ] {
        let body = partoo::models::CreateOrganizationRequest {
            name: "P".into(),
            alias: None,
            max_businesses: sent,
            additional_properties: Default::default(),
        };
        match client.create_organization(&body).await.unwrap() {
            partoo::operations::CreateOrganizationResponse::Ok(ok) => {
                assert_eq!(ok.max_businesses, expected, "sent {sent:?}")
            }
            other => panic!("{other:?}"),
        }
    }
    // Trieve: the server sees exactly what the client sent, and vice versa.
    for registerable in [json!(null), json!(false)] {
        let org = json!({"id": "e3e3e3e3-e3e3-e3e3-e3e3-e3e3e3e3e3e3", "name": "T", "created_at": "2021-01-01T00:00:00Z",
                         "updated_at": "2021-01-01T00:00:00Z", "deleted": 0, "partner_configuration": null, "registerable": registerable});
        let expected = trieve::operations::CreateOrganizationResponse::Ok(from(org.clone()));
        let url = spawn(trieve::server::router(Canned::new(expected))).await;
        let mut client = trieve::client::Client::new(url).unwrap();
        client.credentials_mut().api_key = Some(SECRET.into());
        match client
            .create_organization(&from(json!({"name": "T"})))
            .await
            .unwrap()
        {
            trieve::operations::CreateOrganizationResponse::Ok(got) => {
                assert_eq!(
                    serde_json::to_value(&got).unwrap(),
                    org,
                    "registerable {registerable}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
    // Devin: an absent acu_limit stays absent on the server, a null stays null.
    for (sent, seen) in [
        (
            json!({"display_name": "D"}),
            json!({"display_name": "D", "add_creator_as_member": true}),
        ),
        (
            json!({"display_name": "D", "acu_limit": null}),
            json!({"display_name": "D", "add_creator_as_member": true, "acu_limit": null}),
        ),
    ] {
        let server = Canned::new(
            devin::operations::CreateEnterpriseOrganizationEndpointResponse::Ok(from(
                json!({"org_id": "o", "org_name": "D", "created_at": null}),
            )),
        );
        let url = spawn(devin::server::router(server.clone())).await;
        let mut client = devin::client::Client::new(url).unwrap();
        client.credentials_mut().bearer_auth = Some(SECRET.into());
        client
            .create_enterprise_organization_endpoint(&from(sent))
            .await
            .unwrap();
        assert_eq!(server.seen(), vec![seen]);
    }
}

// ---- the server rejects invalid requests before the handler -----------------------

#[tokio::test]
async fn invalid_bodies_are_rejected_with_a_declared_response() {
    let http = reqwest_like_post;
    // px0: missing required `name` -> declared 400 APIError.
    let url = spawn(oagen_demo::router("px0").unwrap()).await;
    let (status, body) = http(
        &format!("{url}/v1/orgs"),
        "Authorization",
        "Bearer demo-secret",
        "{}",
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("name"), "{body}");
    // Partoo: wrong type for max_businesses -> declared 400.
    let url = spawn(oagen_demo::router("partoo").unwrap()).await;
    let (status, _) = http(
        &format!("{url}/v2/org"),
        "x-APIKey",
        SECRET,
        r#"{"name": "P", "max_businesses": "many"}"#,
    )
    .await;
    assert_eq!(status, 400);
    // Devin: not JSON -> declared 422.
    let url = spawn(oagen_demo::router("devin").unwrap()).await;
    let (status, body) = http(
        &format!("{url}/v2/enterprise/organizations"),
        "Authorization",
        "Bearer demo-secret",
        "not json",
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.is_object(), "{body}");
}

/// Posts raw JSON text with one header, returning the status and the JSON body.
async fn reqwest_like_post(url: &str, header: &str, value: &str, body: &str) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").expect("http url");
    let (host, path) = rest.split_once('/').expect("a path");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let req = format!(
        "POST /{path} HTTP/1.1\r\nHost: {host}\r\n{header}: {value}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw);
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let payload = text.split_once("\r\n\r\n").map(|x| x.1).unwrap_or("");
    (status, serde_json::from_str(payload).unwrap_or(Value::Null))
}

// ---- undeclared statuses and undecodable bodies are errors that keep the raw body ---

#[tokio::test]
async fn undeclared_status_and_undecodable_body_are_errors_with_the_raw_body() {
    use axum::http::StatusCode;
    let teapot = axum::Router::new().route(
        "/v1/orgs",
        axum::routing::post(|| async { (StatusCode::IM_A_TEAPOT, "short and stout") }),
    );
    let url = spawn(teapot).await;
    let client = px0::client::Client::new(url).unwrap();
    match client.create_org(&from(json!({"name": "A"}))).await {
        Err(px0::client::Error::UnexpectedStatus { status, body }) => {
            assert_eq!(status, 418);
            assert_eq!(body, b"short and stout");
        }
        other => panic!("expected an undeclared-status error, got {other:?}"),
    }
    let garbled = axum::Router::new().route(
        "/v1/orgs",
        axum::routing::post(|| async { (StatusCode::CREATED, "{\"org\": 5}") }),
    );
    let url = spawn(garbled).await;
    let client = px0::client::Client::new(url).unwrap();
    match client.create_org(&from(json!({"name": "A"}))).await {
        Err(px0::client::Error::Decode { status, body, .. }) => {
            assert_eq!(status, 201);
            assert_eq!(body, b"{\"org\": 5}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
