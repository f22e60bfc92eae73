//! Webhooks over loopback (`specs/webhooks.yaml`): each webhook sent by the generated sender (a client method taking the target URL) to the generated receiver (`server::Webhooks`, mounted with `webhooks_router` under a prefix of its own), with the payload validated, the signature scheme checked and the declared responses decoded.

mod support;

use std::sync::{Arc, Mutex};

use oagen_feature_tests::webhooks::{client, models, operations, server};
use support::{post, serve_router};

/// A receiver that keeps what it was sent.
#[derive(Default)]
struct Receiver {
    got: Mutex<Vec<(String, models::Pet, usize)>>,
}

impl server::Webhooks for Receiver {
    async fn verify(&self, credential: &server::Credential) -> bool {
        credential.scheme == server::Scheme::Signature && credential.value == "s3cret"
    }

    async fn pet_adopted(
        self: Arc<Self>,
        auth: server::Auth,
        body: models::Pet,
    ) -> operations::PetAdoptedResponse {
        let gone = body.name == "Gone";
        let credentials = auth.credentials.len();
        self.got
            .lock()
            .unwrap()
            .push(("adopted".into(), body, credentials));
        if gone {
            operations::PetAdoptedResponse::Gone
        } else {
            operations::PetAdoptedResponse::Ok(models::Ack {
                note: "welcome home".into(),
            })
        }
    }

    async fn pet_listed_hook(
        self: Arc<Self>,
        auth: server::Auth,
        body: models::Pet,
    ) -> operations::PetListedHookResponse {
        let credentials = auth.credentials.len();
        self.got
            .lock()
            .unwrap()
            .push(("listed".into(), body, credentials));
        operations::PetListedHookResponse::NoContent
    }
}

/// The receiver mounted at `/hooks` of a server; its URL.
async fn receive(receiver: Arc<Receiver>) -> String {
    let router = axum::Router::new().nest("/hooks", server::webhooks_router(receiver));
    serve_router(router, "/hooks").await
}

fn pet(id: i64, name: &str) -> models::Pet {
    models::Pet {
        id,
        name: name.into(),
    }
}

/// A sender signing with `key` (the shop's base URL is not used by webhooks).
fn sender(key: Option<&str>) -> client::Client {
    let mut credentials = client::Credentials::default();
    if let Some(key) = key {
        credentials.signature = Some(key.into());
    }
    client::Client::builder("http://unused.invalid")
        .credentials(credentials)
        .build()
        .unwrap()
}

#[tokio::test]
async fn each_webhook_goes_from_the_sender_to_the_receiver() {
    let receiver = Arc::new(Receiver::default());
    let base = receive(receiver.clone()).await;
    let shop = sender(Some("s3cret"));
    let answer = shop
        .pet_adopted(&format!("{base}/petAdopted"), &pet(1, "Rex"))
        .await
        .unwrap();
    assert_eq!(
        answer,
        operations::PetAdoptedResponse::Ok(models::Ack {
            note: "welcome home".into()
        })
    );
    let gone = shop
        .pet_adopted(&format!("{base}/petAdopted"), &pet(2, "Gone"))
        .await
        .unwrap();
    assert_eq!(gone, operations::PetAdoptedResponse::Gone);
    // No security: sent and received without a credential.
    let listed = sender(None)
        .pet_listed_hook(&format!("{base}/petListed"), &pet(3, "Tom"))
        .await
        .unwrap();
    assert_eq!(listed, operations::PetListedHookResponse::NoContent);
    let got = receiver.got.lock().unwrap().clone();
    assert_eq!(
        got,
        vec![
            ("adopted".to_string(), pet(1, "Rex"), 1),
            ("adopted".to_string(), pet(2, "Gone"), 1),
            ("listed".to_string(), pet(3, "Tom"), 0),
        ]
    );
}

#[tokio::test]
async fn a_webhook_without_its_signature_is_refused_before_the_receiver() {
    let receiver = Arc::new(Receiver::default());
    let base = receive(receiver.clone()).await;
    let url = format!("{base}/petAdopted");
    // Without a key, and with a wrong one: the declared 4XX response (410).
    for key in [None, Some("wrong")] {
        let answer = sender(key).pet_adopted(&url, &pet(1, "Rex")).await.unwrap();
        assert_eq!(answer, operations::PetAdoptedResponse::Gone);
    }
    assert!(receiver.got.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_invalid_payload_is_refused_before_the_receiver() {
    let receiver = Arc::new(Receiver::default());
    let base = receive(receiver.clone()).await;
    // `name` breaks minLength, `id` breaks minimum: 400 (undeclared) for the open webhook.
    let resp = post(
        format!("{base}/petListed"),
        "application/json",
        r#"{"id": 0, "name": ""}"#,
    )
    .await;
    assert_eq!(resp.status(), 400);
    let resp = post(format!("{base}/nothing"), "application/json", "{}").await;
    assert_eq!(resp.status(), 404);
    assert!(receiver.got.lock().unwrap().is_empty());
}
