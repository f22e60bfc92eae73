//! Streamed responses on the server: a handler's `Streamed` items encoded as they come, as server-sent events (with keep-alive comments while the stream is idle), JSON lines or JSON text sequences.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};

use super::super::stream::{sse, Framing, Stream, StreamError, Streamed};

/// How long an event stream may be idle before a keep-alive comment is sent.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Encodes one item (an event's data, a line, a record) as text.
pub type ItemEncoder<T> = fn(&T) -> Result<String, String>;

/// A JSON item.
pub fn json_text<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// A text item, as it is.
#[allow(clippy::ptr_arg)] // an `ItemEncoder<String>`
pub fn raw_text(value: &String) -> Result<String, String> {
    Ok(value.clone())
}

/// The body of an event stream: each event as it comes, `:` comments every
/// `keep_alive` while none comes, and `[DONE]` at the end when the stream
/// says so ([`Streamed::end_with_done`]). An item that is an error, or data that
/// does not encode, ends the body abruptly (the client sees a broken stream).
pub fn event_body<T: Send + 'static>(
    events: Streamed<sse::Event<T>>,
    encode: ItemEncoder<T>,
    keep_alive: Duration,
) -> Body {
    let done = events.ends_with_done();
    let encoded = Encoded {
        items: events,
        encode: Box::new(move |e: &sse::Event<T>| {
            let data = encode(&e.data)?;
            Ok(sse::encode(
                e.event.as_deref(),
                e.id.as_deref(),
                e.retry,
                &data,
            ))
        }),
        keep_alive: Some((keep_alive, Box::pin(tokio::time::sleep(keep_alive)))),
        trailer: done.then(|| sse::encode(None, None, None, "[DONE]")),
    };
    Body::from_stream(encoded)
}

/// The body of JSON lines ([`Framing::Lines`]) or a JSON text sequence
/// ([`Framing::Seq`]), each item as it comes.
pub fn items_body<T: Send + 'static>(
    items: Streamed<T>,
    framing: Framing,
    encode: ItemEncoder<T>,
) -> Body {
    let encoded = Encoded {
        items,
        encode: Box::new(move |item: &T| {
            let text = encode(item)?;
            Ok(match framing {
                Framing::Seq => format!("\u{1e}{text}\n"),
                Framing::Lines | Framing::Sse => format!("{}\n", text.replace('\n', " ")),
            })
        }),
        keep_alive: None,
        trailer: None,
    };
    Body::from_stream(encoded)
}

/// How [`Encoded`] writes one item.
type EncodeItem<T> = Box<dyn Fn(&T) -> Result<String, String> + Send + Sync>;

/// Encodes items as they come.
struct Encoded<T> {
    items: Streamed<T>,
    encode: EncodeItem<T>,
    keep_alive: Option<(Duration, Pin<Box<tokio::time::Sleep>>)>,
    /// Written once the items end (`[DONE]`).
    trailer: Option<String>,
}

impl<T> Stream for Encoded<T> {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match Pin::new(&mut this.items).poll_next(cx) {
            Poll::Ready(Some(Ok(item))) => {
                if let Some((period, sleep)) = &mut this.keep_alive {
                    sleep.as_mut().reset(tokio::time::Instant::now() + *period);
                }
                Poll::Ready(Some(match (this.encode)(&item) {
                    Ok(text) => Ok(Bytes::from(text)),
                    Err(message) => Err(StreamError::Decode {
                        raw: String::new(),
                        message,
                    }),
                }))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(None) => Poll::Ready(this.trailer.take().map(|t| Ok(Bytes::from(t)))),
            Poll::Pending => match &mut this.keep_alive {
                Some((period, sleep)) => match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        sleep.as_mut().reset(tokio::time::Instant::now() + *period);
                        Poll::Ready(Some(Ok(Bytes::from_static(sse::KEEP_ALIVE.as_bytes()))))
                    }
                    Poll::Pending => Poll::Pending,
                },
                None => Poll::Pending,
            },
        }
    }
}
