//! Callbacks over loopback (`specs/callbacks.yaml`): each callback's URL resolved by the generated resolver from the original request (its body, its parameters, the answer's body), sent by the generated sender to the generated receiver (`server::Webhooks`, mounted with `webhooks_router`), with the payload validated, the signature scheme checked and the declared responses (a non-2xx one too) decoded.

mod support;

use std::sync::{Arc, Mutex};

use oagen_feature_tests::callbacks::{client, models, operations, server};
use support::{post, serve_router};

/// A receiver that keeps what it was sent: (callback, payload, credentials, query).
#[derive(Default)]
struct Receiver {
    got: Mutex<Vec<(String, models::Shipment, usize)>>,
    receipts: Mutex<Vec<models::Receipt>>,
}

impl Receiver {
    fn keep(&self, what: &str, body: models::Shipment, auth: &server::Auth) {
        let credentials = auth.credentials.len();
        self.got
            .lock()
            .unwrap()
            .push((what.into(), body, credentials));
    }
}

impl server::Webhooks for Receiver {
    async fn verify(&self, credential: &server::Credential) -> bool {
        credential.scheme == server::Scheme::Signature && credential.value == "s3cret"
    }

    async fn create_order_on_shipped(
        self: Arc<Self>,
        auth: server::Auth,
        body: models::Shipment,
    ) -> operations::CreateOrderOnShippedResponse {
        let known = body.carrier == "Known";
        self.keep("shipped", body, &auth);
        if known {
            operations::CreateOrderOnShippedResponse::Conflict(models::Problem {
                reason: "already told".into(),
            })
        } else {
            operations::CreateOrderOnShippedResponse::Ok(models::Ack {
                note: "on its way".into(),
            })
        }
    }

    async fn create_order_on_queued(
        self: Arc<Self>,
        auth: server::Auth,
        body: models::Shipment,
    ) -> operations::CreateOrderOnQueuedResponse {
        self.keep("queued", body, &auth);
        operations::CreateOrderOnQueuedResponse::NoContent
    }

    async fn create_order_on_event(
        self: Arc<Self>,
        auth: server::Auth,
        body: models::Shipment,
    ) -> operations::CreateOrderOnEventResponse {
        self.keep("event", body, &auth);
        operations::CreateOrderOnEventResponse::NoContent
    }

    async fn receipt_ready(
        self: Arc<Self>,
        _auth: server::Auth,
        body: models::Receipt,
    ) -> operations::ReceiptReadyResponse {
        self.receipts.lock().unwrap().push(body);
        operations::ReceiptReadyResponse::NoContent
    }

    async fn get_order_on_audit(
        self: Arc<Self>,
        _auth: server::Auth,
    ) -> operations::GetOrderOnAuditResponse {
        operations::GetOrderOnAuditResponse::NoContent
    }
}

/// The receiver mounted at `/hooks` of a server; its URL.
async fn receive(receiver: Arc<Receiver>) -> String {
    let router = axum::Router::new().nest("/hooks", server::webhooks_router(receiver));
    serve_router(router, "/hooks").await
}

fn shipment(carrier: &str) -> models::Shipment {
    models::Shipment {
        order_id: 5,
        carrier: carrier.into(),
    }
}

/// The order desk's client, signing with `key` (its base URL is not used by callbacks).
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

/// The order a customer placed, naming the receiver's URLs.
fn order(base: &str) -> models::Order {
    models::Order {
        id: 5,
        item: "tea".into(),
        callback_url: Some(format!("{base}/callbacks/create_order/onShipped")),
        url: Some(format!("{base}/callbacks/create_order/onEvent")),
    }
}

#[tokio::test]
async fn each_callback_goes_where_its_request_says() {
    let receiver = Arc::new(Receiver::default());
    let base = receive(receiver.clone()).await;
    let order = order(&base);
    let params = operations::CreateOrderParams {
        notify: Some(format!("{base}/callbacks/create_order/onQueued")),
        x_tenant: Some("acme & co".into()),
    };
    let desk = sender(Some("s3cret"));

    // From `$request.body#/callbackUrl`; a 200 and a typed 409.
    let url = client::create_order_on_shipped_url(&order).unwrap();
    assert_eq!(url, format!("{base}/callbacks/create_order/onShipped"));
    let answer = desk
        .create_order_on_shipped(&url, &shipment("Post"))
        .await
        .unwrap();
    assert_eq!(
        answer,
        operations::CreateOrderOnShippedResponse::Ok(models::Ack {
            note: "on its way".into()
        })
    );
    let answer = desk
        .create_order_on_shipped(&url, &shipment("Known"))
        .await
        .unwrap();
    assert_eq!(
        answer,
        operations::CreateOrderOnShippedResponse::Conflict(models::Problem {
            reason: "already told".into()
        })
    );

    // From a query parameter, with a header parameter percent-encoded into its query.
    let url = client::create_order_on_queued_url(&params).unwrap();
    assert_eq!(
        url,
        format!("{base}/callbacks/create_order/onQueued?tenant=acme%20%26%20co")
    );
    let answer = desk
        .create_order_on_queued(&url, &shipment("Post"))
        .await
        .unwrap();
    assert_eq!(answer, operations::CreateOrderOnQueuedResponse::NoContent);

    // A literal tail and a query after the base; signed.
    let url = client::create_order_on_event_url(&order).unwrap();
    assert_eq!(
        url,
        format!("{base}/callbacks/create_order/onEvent/events?id=5")
    );
    let answer = desk
        .create_order_on_event(&url, &shipment("Post"))
        .await
        .unwrap();
    assert_eq!(answer, operations::CreateOrderOnEventResponse::NoContent);

    // From the answer's body (`$response.body#/receiptUrl`), a `$ref` to components/callbacks.
    let receipt = models::Receipt {
        order_id: 5,
        receipt_url: format!("{base}/callbacks/create_order/onReceipt"),
    };
    let url = client::receipt_ready_url(&receipt).unwrap();
    let answer = desk.receipt_ready(&url, &receipt).await.unwrap();
    assert_eq!(answer, operations::ReceiptReadyResponse::NoContent);

    let got = receiver.got.lock().unwrap().clone();
    assert_eq!(
        got,
        vec![
            ("shipped".to_string(), shipment("Post"), 0),
            ("shipped".to_string(), shipment("Known"), 0),
            ("queued".to_string(), shipment("Post"), 0),
            ("event".to_string(), shipment("Post"), 1),
        ]
    );
    assert_eq!(receiver.receipts.lock().unwrap().clone(), vec![receipt]);
}

#[test]
fn an_unresolvable_callback_url_is_an_error() {
    // No `callbackUrl` in the body, no `notify` parameter: errors naming the expression.
    let order = models::Order {
        id: 5,
        item: "tea".into(),
        callback_url: None,
        url: None,
    };
    let err = client::create_order_on_shipped_url(&order).unwrap_err();
    assert_eq!(err.expression, "$request.body#/callbackUrl");
    let params = operations::CreateOrderParams {
        notify: None,
        x_tenant: None,
    };
    let err = client::create_order_on_queued_url(&params).unwrap_err();
    assert_eq!(err.expression, "$request.query.notify");
    // An object where text is wanted.
    let err = client::receipt_ready_url(&serde_json::json!({"receiptUrl": {"a": 1}})).unwrap_err();
    assert!(err.to_string().contains("not a string"), "{err}");
}

#[tokio::test]
async fn an_unsigned_or_invalid_callback_is_refused_before_the_receiver() {
    let receiver = Arc::new(Receiver::default());
    let base = receive(receiver.clone()).await;
    let url = client::create_order_on_event_url(&order(&base)).unwrap();
    for key in [None, Some("wrong")] {
        let answer = sender(key)
            .create_order_on_event(&url, &shipment("Post"))
            .await
            .unwrap();
        assert_eq!(answer, operations::CreateOrderOnEventResponse::Unauthorized);
    }
    // `carrier` breaks minLength: refused with the declared 4XX response (409).
    let resp = post(
        format!("{base}/callbacks/create_order/onShipped"),
        "application/json",
        r#"{"orderId": 5, "carrier": ""}"#,
    )
    .await;
    assert_eq!(resp.status(), 409);
    assert!(receiver.got.lock().unwrap().is_empty());
}
