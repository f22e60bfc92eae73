//! The kitchen sink's generated client and server over loopback: parameters in
//! every location, every kind of credential (basic, apiKey in query and cookie, a
//! bearer + cookie combination), server-side validation, an empty 204 response,
//! timeouts, and server variables.

use std::sync::Arc;
use std::time::Duration;

use oagen_feature_tests::kitchen_sink::{client, models, operations, server};
use serde_json::json;

struct Sink;

impl server::Api for Sink {
    async fn verify(&self, credential: &server::Credential) -> bool {
        match credential.scheme {
            server::Scheme::Basic => credential.value == "ann:secret",
            _ => credential.value == "good",
        }
    }

    async fn put_thing(
        &self,
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
        &self,
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
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = server::router(Arc::new(Sink));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    // The server's base path comes from the spec's first server URL (`/api`).
    format!("http://{addr}/api")
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

#[tokio::test]
async fn schema_violations_are_rejected_before_the_handler() {
    let url = serve().await;
    let mut c = client::Client::new(url).unwrap();
    c.credentials_mut().set("keyQuery", "good");
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

#[tokio::test]
async fn an_empty_response_is_a_unit_variant() {
    let url = serve().await;
    let mut c = client::Client::new(url).unwrap();
    c.credentials_mut().set("keyQuery", "good");
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, slow).await;
    });
    let c = client::Client::builder(format!("http://{addr}/api"))
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
