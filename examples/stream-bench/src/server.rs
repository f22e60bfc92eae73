//! The generated server's handler: `count` copies of one pre-built chunk or record (only the number changes), so every reader gets the same bytes from the same server.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::api::runtime::stream::{sse::Event, StreamError, Streamed};
use crate::api::{models, operations, server};

/// `created` of the first chunk; chunk `i` has `CREATED + i`.
pub const CREATED: i64 = 1_733_212_800;

/// The text every chunk's delta carries.
pub const CONTENT: &str = "a piece of the reply, six words";

/// The chunk the server repeats, `created` set per event.
pub fn chunk(created: i64) -> models::ChatCompletionChunk {
    models::ChatCompletionChunk {
        id: "chatcmpl-9x8Kq2LmN4pR7sT1uV3wY5zA".into(),
        object: "chat.completion.chunk".into(),
        created,
        model: "gpt-4o-mini-2024-07-18".into(),
        system_fingerprint: Some("fp_0ba0d124f1".into()),
        choices: vec![models::ChunkChoice {
            index: 0,
            delta: models::Delta {
                role: Some("assistant".into()),
                content: Some(CONTENT.into()),
                additional_properties: Default::default(),
            },
            finish_reason: Some(None),
            additional_properties: Default::default(),
        }],
        additional_properties: Default::default(),
    }
}

/// The tags of every record.
pub const TAGS: [&str; 3] = ["premium", "newsletter", "beta"];

/// The record the server repeats, `id` set per line.
pub fn record(id: i64) -> models::Record {
    models::Record {
        id,
        name: "Ada Lovelace".into(),
        email: "ada.lovelace@example.com".into(),
        score: 87.5,
        active: true,
        tags: TAGS.iter().map(|t| t.to_string()).collect(),
        created_at: "2024-11-05T14:48:00Z".into(),
        address: Some(models::Address {
            street: Some("12 Analytical Row".into()),
            city: "London".into(),
            postcode: Some("NW1 6XE".into()),
            country: "GB".into(),
            additional_properties: Default::default(),
        }),
        additional_properties: Default::default(),
    }
}

/// `count` items made by `make(0)`, `make(1)`, ... as they are read.
struct Repeat<T> {
    next: i64,
    count: i64,
    make: fn(i64) -> T,
}

impl<T> Stream for Repeat<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.next >= self.count {
            return Poll::Ready(None);
        }
        let item = (self.make)(self.next);
        self.next += 1;
        Poll::Ready(Some(Ok(item)))
    }
}

/// The benchmark's server.
pub struct Bench;

impl server::Api for Bench {
    async fn verify(&self, _: &server::Credential) -> bool {
        false
    }

    async fn completions(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::CompletionsParams,
    ) -> operations::CompletionsResponse {
        let events = Repeat {
            next: 0,
            count: params.count,
            make: |i| Event::new(chunk(CREATED + i)),
        };
        operations::CompletionsResponse::Ok(Streamed::new(events).end_with_done())
    }

    async fn records(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::RecordsParams,
    ) -> operations::RecordsResponse {
        let records = Repeat {
            next: 0,
            count: params.count,
            make: record,
        };
        operations::RecordsResponse::Ok(Streamed::new(records))
    }
}

/// Serves the benchmark's router on `listener` (already bound) until the
/// runtime stops; its address.
pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, server::router(Arc::new(Bench))).await;
    });
    Ok(addr)
}
