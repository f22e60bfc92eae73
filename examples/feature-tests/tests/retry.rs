//! The generated client's retry policy, request hooks and tracing spans, against the generated server of `specs/retry.yaml` over loopback (the spans: `tests/spans.rs`): a GET that fails twice with 503 + `Retry-After: 1` and then succeeds, a POST that is not retried, connection errors, a capped `Retry-After`, hooks run on every attempt.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oagen_feature_tests::retry::{client, operations, server};
use support::flaky::{attempt, get, Flaky};
use support::serve_router;

async fn serve(api: Arc<Flaky>) -> String {
    serve_router(server::router(api), "").await
}

#[tokio::test]
async fn a_get_is_retried_after_503_and_retry_after_then_succeeds() {
    let api = Flaky::new(2, "1");
    let base = serve(api.clone()).await;
    let client = client::Client::builder(base)
        .retry(client::RetryPolicy::new().max_attempts(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let resp = client.get_flaky(&get("a")).await.unwrap();
    assert_eq!(resp, operations::GetFlakyResponse::Ok(attempt(3)));
    assert_eq!(api.seen("a"), 3);
    // Two waits of the server's `Retry-After: 1`, not the policy's 200 ms backoff.
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_answer_is_returned() {
    let api = Flaky::new(10, "0");
    let base = serve(api.clone()).await;
    let client = client::Client::builder(base)
        .retry(client::RetryPolicy::new().max_attempts(2))
        .build()
        .unwrap();
    match client.get_flaky(&get("b")).await.unwrap() {
        operations::GetFlakyResponse::ServiceUnavailable { body, headers } => {
            assert_eq!(body.attempt, 2);
            assert_eq!(headers.retry_after.as_deref(), Some("0"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(api.seen("b"), 2);
}

#[tokio::test]
async fn a_post_is_not_retried() {
    let api = Flaky::new(1, "0");
    let base = serve(api.clone()).await;
    let client = client::Client::builder(base)
        .retry(client::RetryPolicy::new().max_attempts(5))
        .build()
        .unwrap();
    let params = operations::PostFlakyParams { key: "c".into() };
    let resp = client.post_flaky(&params, &attempt(0)).await.unwrap();
    assert!(matches!(
        resp,
        operations::PostFlakyResponse::ServiceUnavailable { ref body, .. } if body.attempt == 1
    ));
    assert_eq!(api.seen("c"), 1);
    // Unless the caller says the API makes it safe.
    let client = client::Client::builder(client.base_url())
        .retry(
            client::RetryPolicy::new()
                .retry_any_method(true)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let params = operations::PostFlakyParams { key: "d".into() };
    let resp = client.post_flaky(&params, &attempt(0)).await.unwrap();
    assert_eq!(resp, operations::PostFlakyResponse::Ok(attempt(2)));
}

#[tokio::test]
async fn without_a_policy_nothing_is_retried() {
    let api = Flaky::new(1, "0");
    let base = serve(api.clone()).await;
    let client = client::Client::new(base).unwrap();
    let resp = client.get_flaky(&get("e")).await.unwrap();
    assert!(matches!(
        resp,
        operations::GetFlakyResponse::ServiceUnavailable { .. }
    ));
    assert_eq!(api.seen("e"), 1);
}

#[tokio::test]
async fn a_long_retry_after_is_capped_by_the_policy() {
    let api = Flaky::new(2, "3600");
    let base = serve(api.clone()).await;
    let client = client::Client::builder(base)
        .retry(client::RetryPolicy::new().max_delay(Duration::from_millis(20)))
        .build()
        .unwrap();
    let call = client.get_flaky(&get("f"));
    let resp = tokio::time::timeout(Duration::from_secs(60), call)
        .await
        .expect("the wait is capped, not an hour")
        .unwrap();
    assert_eq!(resp, operations::GetFlakyResponse::Ok(attempt(3)));
}

#[tokio::test]
async fn hooks_run_on_every_attempt_and_can_refuse() {
    let api = Flaky::new(1, "0");
    let base = serve(api.clone()).await;
    let signed = Arc::new(AtomicU32::new(0));
    let counter = signed.clone();
    let client = client::Client::builder(base.clone())
        .retry(client::RetryPolicy::new())
        .before_send(Arc::new(move |req: &mut reqwest::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let value = format!("sig-{n}-{}", req.url().path());
            req.headers_mut().insert("x-signature", value.parse()?);
            Ok(())
        }))
        .build()
        .unwrap();
    let resp = client.get_flaky(&get("g")).await.unwrap();
    let mut expected = attempt(2);
    expected.signature = Some("sig-2-/flaky/g".into());
    assert_eq!(resp, operations::GetFlakyResponse::Ok(expected));
    assert_eq!(signed.load(Ordering::SeqCst), 2);

    let client = client::Client::builder(base)
        .before_send(Arc::new(|_: &mut reqwest::Request| {
            Err("no key to sign with".into())
        }))
        .build()
        .unwrap();
    match client.get_flaky(&get("h")).await {
        Err(client::Error::Middleware(e)) => assert_eq!(e.to_string(), "no key to sign with"),
        other => panic!("{other:?}"),
    }
    assert_eq!(api.seen("h"), 0);
}

#[tokio::test]
async fn connection_errors_are_retried() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tries = Arc::new(AtomicU32::new(0));
    let counter = tries.clone();
    let client = client::Client::builder(format!("http://127.0.0.1:{port}"))
        .retry(
            client::RetryPolicy::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5)),
        )
        .before_send(Arc::new(move |_: &mut reqwest::Request| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }))
        .build()
        .unwrap();
    match client.get_flaky(&get("i")).await {
        Err(client::Error::Request(e)) => assert!(e.is_connect(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(tries.load(Ordering::SeqCst), 3);
}
