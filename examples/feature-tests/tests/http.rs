//! The kitchen sink's generated client and server over loopback: parameters in
//! every location, every kind of credential (basic, apiKey in query and cookie, a
//! bearer + cookie combination), server-side validation, an empty 204 response,
//! timeouts, server variables, and declared response headers.

mod support;

use std::sync::Arc;
use std::time::Duration;

use oagen_feature_tests::kitchen_sink::{client, models, operations, server};
use serde_json::json;
use support::{post, serve_router};

struct Sink;

impl server::Api for Sink {
    async fn verify(&self, credential: &server::Credential) -> bool {
        match credential.scheme {
            server::Scheme::Basic => credential.value == "ann:secret",
            _ => credential.value == "good",
        }
    }

    async fn put_thing(
        self: Arc<Self>,
        auth: server::Auth,
        params: operations::PutThingParams,
        body: models::PutThingRequest,
    ) -> operations::PutThingResponse {
        if body.note.as_deref() == Some("quiet") {
            return operations::PutThingResponse::NoContent;
        }
        let schemes: Vec<String> = auth
            .credentials
            .iter()
            .map(|c| format!("{:?}", c.scheme))
            .collect();
        operations::PutThingResponse::Ok(models::PutThingOkBody {
            thing_id: params.thing_id,
            trace: params.x_trace,
            session: params.session,
            tags: params.tags.unwrap_or_default(),
            scheme: Some(schemes.join("+")),
            additional_properties: Default::default(),
        })
    }

    async fn get_pets_by_pet_id(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::GetPetsByPetIdParams,
    ) -> operations::GetPetsByPetIdResponse {
        operations::GetPetsByPetIdResponse::Ok(models::Pet::Dog(models::Dog {
            // A wrong tag is put right on the way out: the JSON always decodes as a dog.
            kind: "not a dog".into(),
            good: params.pet_id % 2 == 0,
            additional_properties: Default::default(),
        }))
    }

    async fn create_report(
        self: Arc<Self>,
        _auth: server::Auth,
        body: models::CreateReportRequest,
    ) -> operations::CreateReportResponse {
        Sink::report(&body.title)
    }
}

impl Sink {
    /// What `createReport` answers, chosen by the title.
    fn report(title: &str) -> operations::CreateReportResponse {
        use operations::CreateReportResponse as R;
        match title {
            "accept" => R::Accepted {
                headers: operations::CreateReportAcceptedHeaders {
                    retry_after: 30,
                    // Framing belongs to the HTTP layer: this value is not sent.
                    content_length: Some(999),
                },
            },
            "gone" => R::Gone {
                headers: operations::CreateReportGoneHeaders {
                    content_length: Some(12345),
                },
            },
            "throttle" => R::TooManyRequests {
                headers: operations::CreateReportTooManyRequestsHeaders { retry_after: 5 },
            },
            "fail" => R::Default {
                status: 409,
                body: models::PutThingBadRequestBody {
                    message: "taken".into(),
                    additional_properties: Default::default(),
                },
                headers: operations::CreateReportDefaultHeaders {
                    x_request_id: uuid::Uuid::from_u128(7),
                },
            },
            "minimal" => R::Created {
                body: models::CreateReportCreatedBody {
                    id: 2,
                    additional_properties: Default::default(),
                },
                headers: operations::CreateReportCreatedHeaders {
                    location: "/reports/2".into(),
                    x_tags: Vec::new(),
                    x_rate_limit: None,
                    x_retry_in: None,
                    x_sizes: None,
                    x_mode: None,
                    x_window: None,
                    x_meta: None,
                    x_since: None,
                },
            },
            _ => R::Created {
                body: models::CreateReportCreatedBody {
                    id: 1,
                    additional_properties: Default::default(),
                },
                headers: operations::CreateReportCreatedHeaders {
                    location: match title {
                        "broken" => "/reports/1\r\nX-Injected: yes".into(),
                        _ => "/reports/1".into(),
                    },
                    ..full_headers()
                },
            },
        }
    }
}

/// Every header of `createReport`'s 201 set (the `minimal` report sets only the required ones).
fn full_headers() -> operations::CreateReportCreatedHeaders {
    operations::CreateReportCreatedHeaders {
        location: "/reports/1".into(),
        x_rate_limit: Some(-3),
        x_retry_in: Some(12),
        x_tags: vec!["a b".into(), "c".into()],
        x_sizes: Some(vec![1, 20, 300]),
        x_mode: Some(models::CreateReportCreatedXModeHeader::Slow),
        x_window: Some(models::CreateReportCreatedXWindowHeader {
            from: Some(1),
            to: Some(9),
            additional_properties: Default::default(),
        }),
        x_meta: Some(models::CreateReportCreatedXMetaHeader {
            a: Some("x, y".into()),
            additional_properties: Default::default(),
        }),
        x_since: Some("2024-04-22T18:55:28.456076Z".parse().unwrap()),
    }
}

async fn serve() -> String {
    // The server's base path comes from the spec's first server URL (`/api`).
    serve_router(server::router(Arc::new(Sink)), "/api").await
}

fn params() -> operations::PutThingParams {
    operations::PutThingParams {
        thing_id: 7,
        tags: Some(vec!["a b".into(), "c&d".into()]),
        x_trace: "t-1".into(),
        session: Some("s1".into()),
    }
}

fn body(v: serde_json::Value) -> models::PutThingRequest {
    serde_json::from_value(v).unwrap()
}

fn valid() -> models::PutThingRequest {
    body(json!({"code": "ABC", "size": 3, "color": "red"}))
}

#[test]
fn server_variables_make_the_default_url() {
    assert_eq!(client::DEFAULT_BASE_URL, "https://eu.example.com/api");
}

#[tokio::test]
async fn parameters_travel_in_every_location() {
    let url = serve().await;
    let mut c = client::Client::new(url).unwrap();
    c.credentials_mut().basic = Some(("ann".into(), "secret".into()));
    match c.put_thing(&params(), &valid()).await.unwrap() {
        operations::PutThingResponse::Ok(ok) => {
            assert_eq!(ok.thing_id, 7);
            assert_eq!(ok.trace, "t-1");
            assert_eq!(ok.session.as_deref(), Some("s1"));
            assert_eq!(ok.tags, vec!["a b".to_string(), "c&d".to_string()]);
            assert_eq!(ok.scheme.as_deref(), Some("Basic"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn each_kind_of_credential_is_sent_and_checked() {
    let url = serve().await;
    let scheme_of = |r: operations::PutThingResponse| match r {
        operations::PutThingResponse::Ok(ok) => ok.scheme.unwrap_or_default(),
        other => format!("{other:?}"),
    };
    // apiKey in the query string.
    let mut c = client::Client::new(url.clone()).unwrap();
    assert!(c.credentials_mut().set("keyQuery", "good"));
    assert_eq!(
        scheme_of(c.put_thing(&params(), &valid()).await.unwrap()),
        "KeyQuery"
    );
    // A combination: bearer and a cookie, both sent, both checked.
    let mut c = client::Client::new(url.clone()).unwrap();
    c.credentials_mut().set("bearer", "good");
    c.credentials_mut().set("keyCookie", "good");
    assert_eq!(
        scheme_of(c.put_thing(&params(), &valid()).await.unwrap()),
        "Bearer+KeyCookie"
    );
    // Half a combination is not enough.
    let mut c = client::Client::new(url.clone()).unwrap();
    c.credentials_mut().set("bearer", "good");
    assert_eq!(
        c.put_thing(&params(), &valid()).await.unwrap(),
        operations::PutThingResponse::Unauthorized
    );
    // A wrong basic password is rejected; so is no credential at all.
    let mut c = client::Client::new(url.clone()).unwrap();
    assert!(c.credentials_mut().set("basic", "ann:wrong"));
    assert_eq!(
        c.put_thing(&params(), &valid()).await.unwrap(),
        operations::PutThingResponse::Unauthorized
    );
    let c = client::Client::new(url.clone()).unwrap();
    assert_eq!(
        c.put_thing(&params(), &valid()).await.unwrap(),
        operations::PutThingResponse::Unauthorized
    );
    // An operation with `security: []` needs nothing.
    let got = c
        .get_pets_by_pet_id(&operations::GetPetsByPetIdParams { pet_id: 5 })
        .await
        .unwrap();
    assert!(
        matches!(got, operations::GetPetsByPetIdResponse::Ok(models::Pet::Dog(ref d)) if d.kind == "dog" && !d.good),
        "{got:?}"
    );
}

/// A client of a fresh server, with the good query key.
async fn keyed_client() -> client::Client {
    let mut c = client::Client::new(serve().await).unwrap();
    c.credentials_mut().set("keyQuery", "good");
    c
}

#[tokio::test]
async fn schema_violations_are_rejected_before_the_handler() {
    let c = keyed_client().await;
    let cases = [
        (json!({"code": "abc", "size": 3, "color": "red"}), "pattern"),
        (
            json!({"code": "ABC", "size": 11, "color": "red"}),
            "maximum",
        ),
        (json!({"code": "ABC", "size": 0, "color": "red"}), "minimum"),
        (
            json!({"code": "ABC", "size": 3, "color": "blue"}),
            "allowed values",
        ),
        (
            json!({"code": "ABC", "size": 3, "color": "red", "note": "x"}),
            "shorter",
        ),
        (
            json!({"code": "ABC", "size": 3, "color": "red", "note": "toolong"}),
            "longer",
        ),
    ];
    for (b, why) in cases {
        match c.put_thing(&params(), &body(b.clone())).await.unwrap() {
            operations::PutThingResponse::BadRequest(e) => {
                assert!(e.message.contains(why), "{b}: {}", e.message)
            }
            other => panic!("{b} must be rejected ({why}), got {other:?}"),
        }
    }
    // A path parameter below its minimum is rejected too.
    let mut p = params();
    p.thing_id = 0;
    match c.put_thing(&p, &valid()).await.unwrap() {
        operations::PutThingResponse::BadRequest(e) => {
            assert!(e.message.contains("thingId"), "{}", e.message)
        }
        other => panic!("{other:?}"),
    }
}

/// `null` for an optional property that is not nullable decodes as absent, so the
/// server checks the JSON it received: at the top and inside a nested object.
#[tokio::test]
async fn null_for_a_property_that_is_not_nullable_is_rejected() {
    let url = serve().await;
    let send = |body: serde_json::Value| {
        let url = url.clone();
        async move {
            let resp = reqwest::Client::new()
                .put(format!("{url}/things/7?api_key=good"))
                .header("X-Trace", "t")
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        }
    };
    let base = json!({"code": "ABC", "size": 3, "color": "red"});
    let (status, _) = send(base.clone()).await;
    assert_eq!(status, 200);
    let mut ok = base.clone();
    ok["part"] = json!({"label": "x"});
    assert_eq!(send(ok).await.0, 200);
    for (field, value, at) in [
        ("note", json!(null), "/note"),
        ("part", json!(null), "/part"),
        ("part", json!({"label": null}), "/part/label"),
    ] {
        let mut b = base.clone();
        b[field] = value;
        let (status, text) = send(b.clone()).await;
        assert_eq!(status, 400, "{b}: {text}");
        assert!(
            text.contains("null is not allowed") && text.contains(at),
            "{b}: {text}"
        );
    }
}

#[tokio::test]
async fn an_empty_response_is_a_unit_variant() {
    let c = keyed_client().await;
    let quiet = body(json!({"code": "ABC", "size": 3, "color": "green", "note": "quiet"}));
    assert_eq!(
        c.put_thing(&params(), &quiet).await.unwrap(),
        operations::PutThingResponse::NoContent
    );
}

#[tokio::test]
async fn timeouts_are_configurable() {
    let slow = axum::Router::new().route(
        "/api/pets/{id}",
        axum::routing::get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }),
    );
    let c = client::Client::builder(serve_router(slow, "/api").await)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = c
        .get_pets_by_pet_id(&operations::GetPetsByPetIdParams { pet_id: 1 })
        .await
        .unwrap_err();
    assert!(
        matches!(err, client::Error::Request(ref e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

// ---- declared response headers --------------------------------------------------

fn report(title: &str) -> models::CreateReportRequest {
    models::CreateReportRequest {
        title: title.into(),
        additional_properties: Default::default(),
    }
}

#[tokio::test]
async fn declared_response_headers_travel_typed() {
    let c = client::Client::new(serve().await).unwrap();
    match c.create_report(&report("full")).await.unwrap() {
        operations::CreateReportResponse::Created { body, headers } => {
            assert_eq!(body.id, 1);
            assert_eq!(headers, full_headers());
        }
        other => panic!("{other:?}"),
    }
    // Optional headers left out are absent; a required empty array is the empty text.
    match c.create_report(&report("minimal")).await.unwrap() {
        operations::CreateReportResponse::Created { headers, .. } => {
            assert_eq!(headers.location, "/reports/2");
            assert_eq!(headers.x_tags, Vec::<String>::new());
            assert_eq!(headers.x_rate_limit, None);
            assert_eq!(headers.x_window, None);
            assert_eq!(headers.x_since, None);
        }
        other => panic!("{other:?}"),
    }
    // A response without a body, and one from components/responses.
    match c.create_report(&report("accept")).await.unwrap() {
        operations::CreateReportResponse::Accepted { headers } => {
            assert_eq!(headers.retry_after, 30);
            // The HTTP layer's own length, not the value the implementation gave.
            assert_eq!(headers.content_length, Some(0));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        c.create_report(&report("gone")).await.unwrap(),
        operations::CreateReportResponse::Gone {
            headers: operations::CreateReportGoneHeaders {
                content_length: Some(0),
            },
        }
    );
    assert_eq!(
        c.create_report(&report("throttle")).await.unwrap(),
        operations::CreateReportResponse::TooManyRequests {
            headers: operations::CreateReportTooManyRequestsHeaders { retry_after: 5 },
        }
    );
    // `default` keeps the status beside the body and the headers.
    let (status, body, headers) = default_answer(&c, "fail").await;
    assert_eq!(status, 409);
    assert_eq!(body.message, "taken");
    assert_eq!(headers.x_request_id, uuid::Uuid::from_u128(7));
}

/// `create_report` of a report titled `title`, which answers with the
/// `default` response: its status, body and headers.
async fn default_answer(
    c: &client::Client,
    title: &str,
) -> (
    u16,
    models::PutThingBadRequestBody,
    operations::CreateReportDefaultHeaders,
) {
    match c.create_report(&report(title)).await.unwrap() {
        operations::CreateReportResponse::Default {
            status,
            body,
            headers,
        } => (status, body, headers),
        other => panic!("{other:?}"),
    }
}

/// A report titled `title`, posted by hand to the server at `url`.
async fn post_report(url: &str, title: &str) -> reqwest::Response {
    post(
        format!("{url}/reports"),
        "application/json",
        json!({ "title": title }).to_string(),
    )
    .await
}

#[tokio::test]
async fn response_headers_are_written_in_simple_style() {
    let url = serve().await;
    let resp = post_report(&url, "full").await;
    assert_eq!(resp.status().as_u16(), 201);
    let h = resp.headers();
    let text = |name: &str| h.get(name).map(|v| v.to_str().unwrap().to_string());
    assert_eq!(text("location").as_deref(), Some("/reports/1"));
    assert_eq!(text("x-rate-limit").as_deref(), Some("-3"));
    assert_eq!(text("x-tags").as_deref(), Some("a b,c"));
    assert_eq!(text("x-sizes").as_deref(), Some("1,20,300"));
    assert_eq!(text("x-mode").as_deref(), Some("slow"));
    assert_eq!(text("x-window").as_deref(), Some("from=1,to=9"));
    assert_eq!(text("x-meta").as_deref(), Some(r#"{"a":"x, y"}"#));
    assert_eq!(
        text("x-since").as_deref(),
        Some("2024-04-22T18:55:28.456076Z")
    );
    assert_eq!(text("content-type").as_deref(), Some("application/json"));
}

#[tokio::test]
async fn a_rejection_in_a_response_with_required_headers_fills_them() {
    let c = client::Client::new(serve().await).unwrap();
    // The title breaks `minLength: 1`: the default response answers, with a sample id.
    let (status, body, headers) = default_answer(&c, "").await;
    assert_eq!(status, 400);
    assert!(body.message.contains("title"), "{}", body.message);
    assert_eq!(headers.x_request_id, uuid::Uuid::nil());
}

#[tokio::test]
async fn a_header_value_http_cannot_carry_is_a_500_not_a_panic() {
    let url = serve().await;
    let resp = post_report(&url, "broken").await;
    assert_eq!(resp.status().as_u16(), 500);
    assert!(resp.headers().get("x-injected").is_none());
    let text = resp.text().await.unwrap();
    assert!(text.contains("`Location`"), "{text}");
    // The server goes on serving.
    let c = client::Client::new(url).unwrap();
    assert!(c.create_report(&report("full")).await.is_ok());
}

/// A hand-made server that answers `POST /api/reports` with 201, the body
/// `{"id":1}` and `headers`.
async fn raw_server(headers: &'static [(&'static str, &'static str)]) -> String {
    let router = axum::Router::new().route(
        "/api/reports",
        axum::routing::post(move || async move {
            let mut resp = axum::response::Response::new(axum::body::Body::from(r#"{"id":1}"#));
            *resp.status_mut() = axum::http::StatusCode::CREATED;
            for (k, v) in headers {
                resp.headers_mut().append(
                    axum::http::HeaderName::from_static(k),
                    axum::http::HeaderValue::from_static(v),
                );
            }
            resp
        }),
    );
    serve_router(router, "/api").await
}

/// What the client makes of [`raw_server`]'s answer to a report.
async fn report_from(
    headers: &'static [(&'static str, &'static str)],
) -> Result<operations::CreateReportResponse, client::Error> {
    let c = client::Client::new(raw_server(headers).await).unwrap();
    c.create_report(&report("x")).await
}

/// The status, header name, message and raw body of a `client::Error::Header`;
/// a panic for any other error.
fn header_error(err: &client::Error) -> (u16, &str, &str, &[u8]) {
    match err {
        client::Error::Header {
            status,
            name,
            message,
            body,
        } => (*status, name, message, body),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_missing_required_header_is_an_error_that_keeps_status_and_body() {
    let err = report_from(&[("x-tags", "a")]).await.unwrap_err();
    let (status, name, message, body) = header_error(&err);
    assert_eq!(status, 201);
    assert_eq!(name, "Location");
    assert!(message.contains("missing"), "{message}");
    assert_eq!(body, br#"{"id":1}"#);
    assert!(err.to_string().contains("`Location`"), "{err}");
}

#[tokio::test]
async fn an_unparseable_header_is_an_error_naming_it() {
    let err = report_from(&[
        ("location", "/r/1"),
        ("x-tags", "a"),
        ("x-rate-limit", "many"),
    ])
    .await
    .unwrap_err();
    let (status, name, message, body) = header_error(&err);
    assert_eq!(status, 201);
    assert_eq!(name, "X-Rate-Limit");
    assert!(message.contains("\"many\""), "{message}");
    assert_eq!(body, br#"{"id":1}"#);
}

#[tokio::test]
async fn repeated_header_lines_are_one_list_and_names_ignore_case() {
    match report_from(&[
        ("location", "/r/1"),
        ("x-tags", "a"),
        ("x-tags", "b , c"),
        ("x-sizes", "4, 5"),
    ])
    .await
    .unwrap()
    {
        operations::CreateReportResponse::Created { headers, .. } => {
            assert_eq!(headers.location, "/r/1");
            assert_eq!(headers.x_tags, ["a", "b", "c"]);
            assert_eq!(headers.x_sizes, Some(vec![4, 5]));
            assert_eq!(headers.x_rate_limit, None);
        }
        other => panic!("{other:?}"),
    }
}

/// A call's future owns what it needs: the client and the arguments can go
/// before it is awaited, it can be spawned on another task (it is `Send` and
/// `'static`), and nothing is sent until it is polled.
#[tokio::test]
async fn a_call_owns_its_request_is_sent_when_polled_and_can_be_spawned() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let responses = Arc::new(AtomicUsize::new(0));
    let seen = responses.clone();
    let c = client::Client::builder(serve().await)
        .on_response(Arc::new(move |_, _| {
            seen.fetch_add(1, Ordering::SeqCst);
        }))
        .build()
        .unwrap();
    let call = {
        let body = report("minimal");
        c.create_report(&body)
    };
    drop(c);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        responses.load(Ordering::SeqCst),
        0,
        "sent before it was polled"
    );
    match tokio::spawn(call).await.unwrap().unwrap() {
        operations::CreateReportResponse::Created { body, .. } => assert_eq!(body.id, 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(responses.load(Ordering::SeqCst), 1);
}
