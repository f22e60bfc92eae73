//! Request and response bodies on the server: the body limit ([`BodyLimit`], refused by `Content-Length` before reading, cut as a chunked body passes it), reading a body whole, handing a binary upload on as a stream or reading a multipart upload as it arrives, large file parts spooled to temporary files ([`Reading`], [`Received`], [`Spooled`]), and sending a [`ByteBody`] as it comes.

use std::cell::Cell;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Bytes, HttpBody};
use axum::http::{header, request::Parts, HeaderValue};
use axum::response::Response;

use super::super::multipart::{self, Part};
use super::super::stream::{Stream, StreamError, Streamed};
use super::super::{wire, ByteBody};
use super::{respond_body, Rejection, BODY_LIMIT};

/// The largest request body the server accepts, in bytes ([`BODY_LIMIT`]
/// unless set): put it in the router's extensions
/// (`router.layer(axum::Extension(BodyLimit(n)))`, or the generated
/// `router_with_body_limit`). A body declared longer (`Content-Length`) is
/// refused before it is read; a chunked body is cut when it passes the
/// limit. Either way the answer is the operation's declared 413 response, or
/// a plain 413.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimit(pub usize);

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit(BODY_LIMIT)
    }
}

/// How an operation reads its request body.
#[derive(Debug, Clone, Copy)]
pub enum Reading {
    /// It takes none: the body is not read.
    Nothing,
    /// Whole, before decoding.
    Whole,
    /// As a stream when its `Content-Type` is one of these binary media
    /// types, part by part as it arrives when it is one of these multipart
    /// types, else whole.
    Streams(&'static [&'static str]),
}

/// A request body as an operation's `input_*` gets it: the bytes read
/// whole, or a stream still arriving, taken once ([`Received::take`]).
#[derive(Default)]
pub struct Received {
    bytes: Bytes,
    stream: Cell<Option<ByteBody>>,
    /// The parts of a multipart body read as it arrived.
    parts: Cell<Option<Vec<Part>>>,
    streamed: bool,
}

impl Received {
    /// A body read whole.
    pub fn whole(bytes: impl Into<Bytes>) -> Self {
        Received {
            bytes: bytes.into(),
            ..Received::default()
        }
    }

    /// A body still arriving.
    pub fn stream(body: ByteBody) -> Self {
        Received {
            stream: Cell::new(Some(body)),
            streamed: true,
            ..Received::default()
        }
    }

    /// The parts of a multipart body, read as it arrived.
    pub fn parts(parts: Vec<Part>) -> Self {
        Received {
            parts: Cell::new(Some(parts)),
            streamed: true,
            ..Received::default()
        }
    }

    /// The parts of a multipart body read as it arrived (once), or None
    /// when it was read whole.
    pub fn take_parts(&self) -> Option<Vec<Part>> {
        self.parts.take()
    }

    /// The bytes read whole (empty for a stream).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether no body was sent.
    pub fn is_empty(&self) -> bool {
        !self.streamed && self.bytes.is_empty()
    }

    /// The body as a [`ByteBody`]: the stream (once), or the bytes read whole.
    pub fn take(&self) -> ByteBody {
        match self.stream.take() {
            Some(body) => body,
            None => ByteBody::from(self.bytes.to_vec()),
        }
    }
}

impl std::fmt::Debug for Received {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Received")
            .field("len", &self.bytes.len())
            .field("streamed", &self.streamed)
            .finish()
    }
}

/// The temporary files a multipart upload's large file parts were spooled
/// to, removed when this is dropped (once the answer is built: a body
/// opened from one stays readable).
#[derive(Debug, Default)]
pub struct Spooled(pub Vec<std::path::PathBuf>);

impl Drop for Spooled {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A request body as read: what `input_*` gets, the flag a streamed body
/// sets when it passes the limit (the handler's answer is then replaced by
/// the rejection), and the files spooled.
pub(super) type Read = (Received, Arc<AtomicBool>, Spooled);

/// Reads the body of a request as `reading` says, at most `limit` bytes.
pub(super) async fn receive(
    parts: &Parts,
    body: axum::body::Body,
    reading: Reading,
    limit: usize,
) -> Result<Read, Rejection> {
    let exceeded = Arc::new(AtomicBool::new(false));
    let streams = match reading {
        Reading::Nothing => return Ok((Received::default(), exceeded, Spooled::default())),
        Reading::Whole => &[][..],
        Reading::Streams(types) => types,
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(Rejection::TooLarge { limit });
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let limited = Limited {
        body: body.into_data_stream(),
        seen: 0,
        limit,
        exceeded: Arc::clone(&exceeded),
        ended: false,
    };
    let streamed = streams
        .iter()
        .find(|t| wire::media_matches(content_type, t));
    match streamed {
        Some(t) if t.starts_with("multipart/") && !limited.body.is_end_stream() => {
            return match multipart::read_parts(content_type.unwrap_or(""), limited).await {
                Ok((parts, spooled)) => Ok((Received::parts(parts), exceeded, Spooled(spooled))),
                Err(e) => {
                    drop(Spooled(e.spooled));
                    Err(if e.too_large {
                        Rejection::TooLarge { limit }
                    } else {
                        Rejection::MalformedBody(e.message)
                    })
                }
            };
        }
        Some(_) if !limited.body.is_end_stream() => {
            let body = ByteBody::from_streamed(Streamed::new(limited));
            let body = match declared {
                Some(len) => body.with_len(len),
                None => body,
            };
            return Ok((Received::stream(body), exceeded, Spooled::default()));
        }
        _ => {}
    }
    let mut limited = limited;
    let mut bytes = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut limited).poll_next(cx)).await {
        match chunk {
            Ok(chunk) => bytes.extend_from_slice(&chunk),
            Err(StreamError::TooLarge { limit }) => return Err(Rejection::TooLarge { limit }),
            Err(e) => {
                return Err(Rejection::MalformedBody(format!(
                    "cannot read the body: {e}"
                )))
            }
        }
    }
    Ok((Received::whole(bytes), exceeded, Spooled::default()))
}

/// A request body's chunks, cut with [`StreamError::TooLarge`] once they
/// pass the limit (which sets `exceeded`).
struct Limited {
    body: axum::body::BodyDataStream,
    seen: usize,
    limit: usize,
    exceeded: Arc<AtomicBool>,
    ended: bool,
}

impl Stream for Limited {
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.ended {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.body).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.seen = this.seen.saturating_add(chunk.len());
                if this.seen > this.limit {
                    this.ended = true;
                    this.exceeded.store(true, Ordering::SeqCst);
                    return Poll::Ready(Some(Err(StreamError::TooLarge { limit: this.limit })));
                }
                Poll::Ready(Some(Ok(chunk.to_vec())))
            }
            Poll::Ready(Some(Err(e))) => {
                this.ended = true;
                Poll::Ready(Some(Err(StreamError::Transport {
                    partial: Vec::new(),
                    source: Box::new(e),
                })))
            }
            Poll::Ready(None) => {
                this.ended = true;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// A response with `status`, the media type `content_type` and the binary
/// `body`: bytes at hand as they are, a stream as it comes (with
/// `Content-Length` when its length is known, else chunked). A stream that
/// fails cuts the response short.
pub fn respond_bytes(status: u16, content_type: &str, body: ByteBody) -> Response {
    match body.into_whole() {
        Ok(bytes) => respond_body(status, content_type, axum::body::Body::from(bytes)),
        Err(stream) => {
            let len = stream.len();
            let mut resp =
                respond_body(status, content_type, axum::body::Body::from_stream(stream));
            if let Some(len) = len {
                resp.headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            }
            resp
        }
    }
}
