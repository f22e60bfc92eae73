//! What the loopback tests share: serving a router on a free port, and requests written by hand.

// Each test file uses its own part of this module.
#![allow(dead_code)]

pub mod flaky;
pub mod spans;

use serde::de::DeserializeOwned;

/// Serves `router` on a free loopback port; its base URL, ending in `base_path`.
pub async fn serve_router(router: axum::Router, base_path: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}{base_path}")
}

/// `POST url` with `content_type` and `body`, written by hand.
pub async fn post(
    url: String,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// `GET url`, written by hand.
pub async fn get(url: String) -> reqwest::Response {
    reqwest::Client::new().get(url).send().await.unwrap()
}

/// The body of `resp`, read as JSON.
pub async fn json_body<T: DeserializeOwned>(resp: reqwest::Response) -> T {
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
}
