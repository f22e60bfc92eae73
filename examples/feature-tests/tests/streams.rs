//! The streams fixture's generated client against its generated server over loopback: server-sent events typed and ended by `[DONE]`, one operation answering JSON or events as asked, raw text events, 10,000 JSON lines read under a small item limit, a JSON text sequence, events whose data is JSON text of a `contentSchema`, a stream that breaks off, and a line that does not decode in the middle of a stream.

mod support;

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;

use oagen_feature_tests::streams::runtime::stream::{sse::Event, Stream, StreamError, Streamed};
use oagen_feature_tests::streams::{client, models, operations, server};
use support::serve_router;

struct Streams;

fn chunk(delta: &str) -> models::ChatChunk {
    models::ChatChunk {
        delta: delta.into(),
        additional_properties: Default::default(),
    }
}

fn note(title: &str, stars: Option<i64>) -> models::Note {
    models::Note {
        title: title.into(),
        stars,
        additional_properties: Default::default(),
    }
}

fn line(seq: i64, width: usize) -> models::LogLine {
    models::LogLine {
        seq,
        message: "x".repeat(width),
        additional_properties: Default::default(),
    }
}

impl server::Api for Streams {
    async fn verify(&self, _: &server::Credential) -> bool {
        false
    }

    async fn chat(
        self: Arc<Self>,
        _auth: server::Auth,
        body: models::ChatRequest,
    ) -> operations::ChatResponse {
        use operations::ChatOkContent as C;
        if !body.stream {
            return operations::ChatResponse::Ok(C::Json(models::ChatReply {
                text: format!("{} back", body.prompt),
                additional_properties: Default::default(),
            }));
        }
        let mut first = Event::new(chunk(&body.prompt));
        first.event = Some("delta".into());
        first.id = Some("1".into());
        let events = [first, Event::new(chunk(" back"))];
        operations::ChatResponse::Ok(C::EventStream(Streamed::from_items(events).end_with_done()))
    }

    async fn ticks(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::TicksParams,
    ) -> operations::TicksResponse {
        let events = (0..params.count).map(|i| Event {
            event: Some("tick".into()),
            id: Some(i.to_string()),
            retry: None,
            data: format!("tick {i}\nsecond line"),
        });
        operations::TicksResponse::Ok(Streamed::from_items(events.collect::<Vec<_>>()))
    }

    async fn logs(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::LogsParams,
    ) -> operations::LogsResponse {
        if params.count == 0 {
            return operations::LogsResponse::NotFound(models::Problem {
                detail: "no logs".into(),
                additional_properties: Default::default(),
            });
        }
        let width = params.width.unwrap_or(16) as usize;
        let (count, break_at) = (params.count, params.break_at);
        // Made as they are read (the channel holds a few): the server holds
        // a few lines at a time, however many it sends.
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            for seq in 0..count {
                if Some(seq) == break_at {
                    // Long enough for what was sent to leave first.
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    let _ = tx
                        .send(Err(StreamError::Truncated {
                            partial: Vec::new(),
                        }))
                        .await;
                    return;
                }
                if tx.send(Ok(line(seq, width))).await.is_err() {
                    return;
                }
            }
        });
        operations::LogsResponse::Ok(Streamed::new(Channel(rx)))
    }

    async fn records(self: Arc<Self>, _auth: server::Auth) -> operations::RecordsResponse {
        operations::RecordsResponse::Ok(Streamed::from_items([line(1, 1), line(2, 2)]))
    }

    async fn notes(self: Arc<Self>, _auth: server::Auth) -> operations::NotesResponse {
        let mut first = Event::new(note("first", Some(3)));
        first.event = Some("note".into());
        first.id = Some("n1".into());
        operations::NotesResponse::Ok(Streamed::from_items([
            first,
            Event::new(note("second", None)),
        ]))
    }
}

/// The items sent on a channel, as a stream.
struct Channel<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> Stream for Channel<T> {
    type Item = T;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

/// The next item of `stream`.
async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Every item of `stream`.
async fn collect<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut out = Vec::new();
    while let Some(item) = next(&mut stream).await {
        out.push(item);
    }
    out
}

async fn client() -> client::Client {
    let base = serve_router(server::router(Arc::new(Streams)), "").await;
    client::Client::new(base).unwrap()
}

fn ask(prompt: &str, stream: bool) -> models::ChatRequest {
    models::ChatRequest {
        prompt: prompt.into(),
        stream,
        additional_properties: Default::default(),
    }
}

#[tokio::test]
async fn typed_events_end_at_done() {
    let client = client().await;
    let operations::ChatResponse::Ok(operations::ChatOkContent::EventStream(events)) =
        client.chat(&ask("hi", true)).await.unwrap()
    else {
        panic!("not an event stream");
    };
    let events: Vec<_> = collect(events)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].event.as_deref(), Some("delta"));
    assert_eq!(events[0].id.as_deref(), Some("1"));
    assert_eq!(events[0].data, chunk("hi"));
    assert_eq!(events[1].data, chunk(" back"));
    // The id carries over, as the standard says.
    assert_eq!(events[1].id.as_deref(), Some("1"));
    // On the wire: the sentinel, written by the server.
    let raw = reqwest::Client::new()
        .post(format!("{}/chat", client.base_url()))
        .header("content-type", "application/json")
        .body(r#"{"prompt": "hi", "stream": true}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-type"], "text/event-stream");
    let text = raw.text().await.unwrap();
    assert!(text.ends_with("data: [DONE]\n\n"), "{text}");
}

#[tokio::test]
async fn the_same_operation_answers_json_when_asked() {
    let client = client().await;
    match client.chat(&ask("hi", false)).await.unwrap() {
        operations::ChatResponse::Ok(operations::ChatOkContent::Json(reply)) => {
            assert_eq!(reply.text, "hi back")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn raw_events_keep_their_text_lines_and_fields() {
    let client = client().await;
    let operations::TicksResponse::Ok(events) = client
        .ticks(&operations::TicksParams { count: 3 })
        .await
        .unwrap();
    let events: Vec<_> = collect(events)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].data, "tick 2\nsecond line");
    assert_eq!(events[2].event.as_deref(), Some("tick"));
    assert_eq!(events[2].id.as_deref(), Some("2"));
}

fn logs(count: i64, width: i64, break_at: Option<i64>) -> operations::LogsParams {
    operations::LogsParams {
        count,
        width: Some(width),
        break_at,
    }
}

#[tokio::test]
async fn ten_thousand_lines_stream_under_a_small_item_limit() {
    let base = serve_router(server::router(Arc::new(Streams)), "").await;
    // At most 1 KiB of an item is held; the body is ~3 MB.
    let client = client::Client::builder(base)
        .max_stream_item(1024)
        .build()
        .unwrap();
    let operations::LogsResponse::Ok(mut lines) =
        client.logs(&logs(10_000, 300, None)).await.unwrap()
    else {
        panic!("not a stream");
    };
    let mut seen = 0;
    while let Some(item) = next(&mut lines).await {
        let item = item.unwrap();
        assert_eq!(item.seq, seen);
        assert_eq!(item.message.len(), 300);
        seen += 1;
    }
    assert_eq!(seen, 10_000);
    // A line larger than the limit ends the stream with an error, not a panic.
    let operations::LogsResponse::Ok(lines) = client.logs(&logs(3, 2000, None)).await.unwrap()
    else {
        panic!("not a stream");
    };
    let got = collect(lines).await;
    assert!(
        matches!(got.as_slice(), [Err(StreamError::TooLarge { limit: 1024 })]),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_declared_error_is_decoded_whole() {
    let client = client().await;
    match client.logs(&logs(0, 1, None)).await.unwrap() {
        operations::LogsResponse::NotFound(p) => assert_eq!(p.detail, "no logs"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_stream_that_breaks_off_ends_with_an_error() {
    let client = client().await;
    let operations::LogsResponse::Ok(lines) = client.logs(&logs(10, 8, Some(4))).await.unwrap()
    else {
        panic!("not a stream");
    };
    let got = collect(lines).await;
    assert_eq!(got.len(), 5, "{got:?}");
    assert!(got[..4].iter().all(Result::is_ok));
    assert!(
        matches!(got[4], Err(StreamError::Transport { .. })),
        "{:?}",
        got[4]
    );
}

#[tokio::test]
async fn json_text_sequences() {
    let client = client().await;
    let operations::RecordsResponse::Ok(records) = client.records().await.unwrap();
    let seqs: Vec<i64> = collect(records)
        .await
        .into_iter()
        .map(|r| r.unwrap().seq)
        .collect();
    assert_eq!(seqs, [1, 2]);
}

#[tokio::test]
async fn a_line_that_does_not_decode_is_an_item_and_the_stream_goes_on() {
    // A server (written by hand) that sends one broken line among good ones.
    let router = axum::Router::new().route(
        "/logs",
        axum::routing::get(|| async {
            let body =
                "{\"seq\":0,\"message\":\"a\"}\n{\"seq\":\"one\"}\n{\"seq\":2,\"message\":\"c\"}\n";
            ([("content-type", "application/x-ndjson")], body)
        }),
    );
    let base = serve_router(router, "").await;
    let client = client::Client::new(base).unwrap();
    let operations::LogsResponse::Ok(lines) = client.logs(&logs(3, 1, None)).await.unwrap() else {
        panic!("not a stream");
    };
    let got = collect(lines).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].as_ref().unwrap().seq, 0);
    match &got[1] {
        Err(StreamError::Decode { raw, .. }) => assert_eq!(raw, "{\"seq\":\"one\"}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(got[2].as_ref().unwrap().seq, 2);
}

#[tokio::test]
async fn the_caller_chooses_the_form_with_accept() {
    let base = serve_router(server::router(Arc::new(Streams)), "").await;
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let client = client::Client::builder(base)
        .before_send(Arc::new(move |req: &mut reqwest::Request| {
            let accept = req
                .headers()
                .get("accept")
                .map(|v| v.to_str().unwrap().to_string());
            record.lock().unwrap().push(accept);
            Ok(())
        }))
        .build()
        .unwrap();
    client.chat(&ask("a", false)).await.unwrap();
    let operations::ChatResponse::Ok(operations::ChatOkContent::EventStream(events)) =
        client.chat_streamed(&ask("b", true)).await.unwrap()
    else {
        panic!("not an event stream");
    };
    assert_eq!(collect(events).await.len(), 2);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            Some("application/json".to_string()),
            Some("text/event-stream".to_string())
        ]
    );
}

#[tokio::test]
async fn event_data_that_is_json_text_of_a_content_schema_is_typed() {
    let client = client().await;
    let operations::NotesResponse::Ok(stream) = client.notes().await.expect("notes");
    let events = collect(stream).await;
    let events: Vec<Event<models::Note>> =
        events.into_iter().map(|e| e.expect("decodes")).collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].event.as_deref(), Some("note"));
    assert_eq!(events[0].id.as_deref(), Some("n1"));
    assert_eq!(events[0].data, note("first", Some(3)));
    assert_eq!(events[1].data, note("second", None));
    // On the wire the data is JSON text.
    let raw = reqwest::get(format!("{}/notes", client.base_url()))
        .await
        .unwrap();
    let text = raw.text().await.unwrap();
    assert!(
        text.contains("data: {\"title\":\"first\",\"stars\":3}\n"),
        "{text}"
    );
}
