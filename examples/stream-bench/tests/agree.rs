//! Both readers of the benchmark decode what the generated server sent: the same count and sums, over the same bytes, so the comparison is not vacuous.

use oagen_stream_bench::api::client;
use oagen_stream_bench::floor;
use oagen_stream_bench::read::{generated, Checksum, Kind};
use oagen_stream_bench::server::serve;

async fn base() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    format!("http://{}", serve(listener).await.unwrap())
}

#[tokio::test]
async fn generated_and_floor_read_the_same_items() {
    let base = base().await;
    let client = client::Client::new(base.clone()).unwrap();
    let http = reqwest::Client::new();
    for kind in [Kind::Sse, Kind::Lines] {
        let count = 777;
        let expected = Checksum::expected(kind, count);
        assert_eq!(expected.items, count);
        let ours = generated(&client, kind, count as i64).await.unwrap();
        let url = format!("{base}{}?count={count}", kind.path());
        let (theirs, bytes) = floor::read(&http, &url, kind).await.unwrap();
        assert_eq!(ours, expected, "{kind:?}");
        assert_eq!(theirs, expected, "{kind:?}");
        // Realistic items: a couple of hundred bytes each.
        assert!(bytes > 150 * count, "{kind:?}: {bytes} bytes");
    }
}

#[tokio::test]
async fn the_sse_body_ends_with_done_and_the_floor_sees_it() {
    let base = base().await;
    let text = reqwest::get(format!("{base}/chat/completions?count=2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text.matches("data: {").count(), 2, "{text}");
    assert!(text.ends_with("data: [DONE]\n\n"), "{text}");
    // A different count is a different checksum: the check can fail.
    assert_ne!(
        Checksum::expected(Kind::Sse, 2),
        Checksum::expected(Kind::Sse, 3)
    );
}
