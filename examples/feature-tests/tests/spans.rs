//! The generated crate's `tracing` spans, over loopback: one per call of the client, named by the operationId, with method, URL template, attempt and status, and one per request of the server. A test binary of its own, so that no other test's thread meets the spans' callsites first.

mod support;

use std::time::Duration;

use oagen_feature_tests::retry::{client, server};
use support::flaky::{get, Flaky};
use support::serve_router;
use support::spans::Spans;

#[tokio::test]
async fn a_call_and_a_request_each_get_a_span_named_by_the_operation_id() {
    let spans = Spans::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(spans.clone()));
    let api = Flaky::new(1, "0");
    let base = serve_router(server::router(api), "").await;
    let client = client::Client::builder(base)
        .retry(client::RetryPolicy::new().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    client.get_flaky(&get("j")).await.unwrap();
    let all = spans.all();
    let call = all
        .iter()
        .find(|s| s.name == "getFlaky" && s.fields.contains_key("url.template"))
        .unwrap_or_else(|| panic!("no client span in {all:?}"));
    assert_eq!(call.fields["http.request.method"], "GET");
    assert_eq!(call.fields["url.template"], "/flaky/{key}");
    assert_eq!(call.fields["attempt"], "2");
    assert_eq!(call.fields["http.response.status_code"], "200");
    let served: Vec<_> = all
        .iter()
        .filter(|s| s.name == "getFlaky" && s.fields.contains_key("http.route"))
        .collect();
    assert_eq!(served.len(), 2, "one span per request: {all:?}");
}
