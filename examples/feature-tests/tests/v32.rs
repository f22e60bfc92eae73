//! OpenAPI 3.2 (`specs/v32.yaml`) over loopback: the `QUERY` method, a custom method (`COPY`, from `additionalOperations`) and a form-encoded `querystring` from the generated client to the generated server, and a wrong method answered 405 with `Allow`.

mod support;

use std::sync::Arc;

use oagen_feature_tests::v32::runtime::stream::{Stream, Streamed};
use oagen_feature_tests::v32::{client, models, operations, server};
use support::serve_router;

struct Store;

fn item(id: i64, name: &str) -> models::Item {
    models::Item {
        id,
        name: name.into(),
        additional_properties: Default::default(),
    }
}

impl server::Api for Store {
    async fn verify(&self, _credential: &server::Credential) -> bool {
        false
    }

    async fn list_items(self: Arc<Self>, _auth: server::Auth) -> operations::ListItemsResponse {
        operations::ListItemsResponse::Ok(vec![item(1, "pen"), item(2, "pencil")])
    }

    async fn search_items(
        self: Arc<Self>,
        _auth: server::Auth,
        body: models::Search,
    ) -> operations::SearchItemsResponse {
        let prefix = body.prefix.unwrap_or_default();
        let found = [item(1, "pen"), item(2, "pencil"), item(3, "ink")]
            .into_iter()
            .filter(|i| i.name.starts_with(&prefix))
            .collect();
        operations::SearchItemsResponse::Ok(operations::SearchItemsOkContent::Json(found))
    }

    async fn get_item(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::GetItemParams,
    ) -> operations::GetItemResponse {
        operations::GetItemResponse::Ok(item(params.id, "pen"))
    }

    async fn copy_item(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::CopyItemParams,
    ) -> operations::CopyItemResponse {
        operations::CopyItemResponse::Created(item(
            params.destination,
            &format!("copy of {}", params.id),
        ))
    }

    async fn feed(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::FeedParams,
    ) -> operations::FeedResponse {
        // The `itemSchema` of a JSON-lines response: a stream of items.
        let found = item(params.limit.map_or(0, i64::from), &params.q);
        operations::FeedResponse::Ok(Streamed::from_items([found]))
    }
}

async fn serve() -> String {
    serve_router(server::router(Arc::new(Store)), "/v32").await
}

#[test]
fn an_item_schema_generates_its_item_type() {
    // `itemSchema` of the `application/jsonl` answer of `searchItems`, with its doc.
    let item = models::SearchItemsOkBodyItem {
        id: Some(3),
        additional_properties: Default::default(),
    };
    assert_eq!(serde_json::to_string(&item).unwrap(), r#"{"id":3}"#);
}

#[tokio::test]
async fn the_query_method_carries_its_body_and_shares_the_path_with_get() {
    let url = serve().await;
    let c = client::Client::new(url).unwrap();
    let search = models::Search {
        prefix: Some("pe".into()),
        additional_properties: Default::default(),
    };
    match c.search_items(&search).await.unwrap() {
        operations::SearchItemsResponse::Ok(operations::SearchItemsOkContent::Json(found)) => {
            let names: Vec<_> = found.iter().map(|i| i.name.as_str()).collect();
            assert_eq!(names, ["pen", "pencil"]);
        }
        other => panic!("{other:?}"),
    }
    match c.list_items().await.unwrap() {
        operations::ListItemsResponse::Ok(all) => assert_eq!(all.len(), 2),
    }
}

#[tokio::test]
async fn a_custom_method_is_sent_and_routed() {
    let url = serve().await;
    let c = client::Client::new(url.clone()).unwrap();
    let params = operations::CopyItemParams {
        id: 4,
        destination: 9,
    };
    match c.copy_item(&params).await.unwrap() {
        operations::CopyItemResponse::Created(copy) => {
            assert_eq!(copy.id, 9);
            assert_eq!(copy.name, "copy of 4");
        }
    }
    // The method is sent as written: the server sees `COPY`, not a standard method.
    let raw = reqwest::Client::new()
        .request(
            reqwest::Method::from_bytes(b"COPY").unwrap(),
            format!("{url}/items/4"),
        )
        .header("Destination", "5")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 201);
}

#[tokio::test]
async fn a_querystring_object_is_encoded_by_the_client_and_decoded_by_the_server() {
    let url = serve().await;
    let c = client::Client::new(url.clone()).unwrap();
    let params = operations::FeedParams {
        q: "a b&c".into(),
        limit: Some(3),
    };
    let operations::FeedResponse::Ok(mut items) = c.feed(&params).await.unwrap();
    let first = std::future::poll_fn(|cx| std::pin::Pin::new(&mut items).poll_next(cx)).await;
    assert_eq!(first.unwrap().unwrap(), item(3, "a b&c"));
    // The query string as any form encoder writes it.
    let raw = support::get(format!("{url}/feed?q=x%20y&limit=2")).await;
    assert_eq!(
        raw.bytes().await.unwrap().as_ref(),
        b"{\"id\":2,\"name\":\"x y\"}\n"
    );
    // `q` is required by the object's schema.
    let missing = support::get(format!("{url}/feed?limit=2")).await;
    assert_eq!(missing.status(), 400);
}

#[tokio::test]
async fn a_wrong_method_is_answered_405_with_allow() {
    let url = serve().await;
    let http = reqwest::Client::new();
    for (method, path, allow) in [
        ("MOVE", "/items/4", "GET, COPY"),
        ("DELETE", "/items/4", "GET, COPY"),
        ("COPY", "/items", "GET, QUERY"),
        ("POST", "/items", "GET, QUERY"),
    ] {
        let resp = http
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{url}{path}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 405, "{method} {path}");
        assert_eq!(resp.headers()["allow"], allow, "{method} {path}");
    }
}
