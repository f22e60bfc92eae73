//! Streamed bodies, the same for client and server: [`Streamed`] (a boxed stream of typed items), [`StreamError`], and [`Decoded`], which turns chunks of bytes into items framed as server-sent events ([`sse`]), JSON lines or JSON text sequences ([`Framing`]).
//!
//! A streamed response's variant holds a `Streamed<T>`: the client fills it
//! from the response body as it arrives, the server's handler fills it from
//! any stream and the server encodes it as it goes. Only the item being
//! received is buffered, up to [`MAX_ITEM`] bytes. An item that does not
//! decode, a broken connection or a body that ends inside an item is an
//! `Err` item that keeps what was received; the stream goes on after an item
//! that does not decode and ends after the others.
//!
//! This module needs `futures-core` (for the `Stream` trait only).

pub mod sse;

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

/// The largest item (an event, a line, a record) a decoder buffers.
pub const MAX_ITEM: usize = 16 * 1024 * 1024;

/// The allocation a decoder's buffer keeps between items (more only while a
/// larger item arrives).
const KEEP: usize = 64 * 1024;

/// A stream of typed items, or of why an item could not be had.
#[must_use = "a stream does nothing unless polled"]
pub struct Streamed<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, StreamError>> + Send>>,
    done: bool,
}

impl<T> Streamed<T> {
    /// Wraps `stream`.
    pub fn new(stream: impl Stream<Item = Result<T, StreamError>> + Send + 'static) -> Self {
        Streamed {
            inner: Box::pin(stream),
            done: false,
        }
    }

    /// The same stream, which a server ends with the `[DONE]` sentinel event
    /// (as chat-completion APIs do). A client's event stream ends cleanly at
    /// that event whether or not this is set.
    pub fn end_with_done(mut self) -> Self {
        self.done = true;
        self
    }

    /// Whether a server ends this stream with `[DONE]`.
    pub fn ends_with_done(&self) -> bool {
        self.done
    }

    /// A stream of `items`, in order.
    pub fn from_items(items: impl IntoIterator<Item = T>) -> Self
    where
        T: Send + 'static,
    {
        let items: VecDeque<Result<T, StreamError>> = items.into_iter().map(Ok).collect();
        Streamed::new(Items(items))
    }
}

impl<T> Stream for Streamed<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for Streamed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Streamed").finish_non_exhaustive()
    }
}

/// Items already at hand, as a stream.
struct Items<T>(VecDeque<T>);

impl<T> Unpin for Items<T> {}

impl<T> Stream for Items<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<T>> {
        Poll::Ready(self.0.pop_front())
    }
}

/// Why an item of a stream could not be had. Each keeps what was received.
#[derive(Debug)]
pub enum StreamError {
    /// An item arrived whole but does not decode into its type; the stream
    /// goes on with the next one.
    Decode {
        /// The item's text as received (for an event, its `data`).
        raw: String,
        /// What is wrong.
        message: String,
    },
    /// The connection failed; the stream ends.
    Transport {
        /// The bytes received of the unfinished item.
        partial: Vec<u8>,
        /// What failed.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The body ended inside an item (an event without its blank line, a
    /// record without its end); the stream ends.
    Truncated {
        /// The bytes of the unfinished item.
        partial: Vec<u8>,
    },
    /// An item grew past the limit ([`MAX_ITEM`] unless set); the stream ends.
    TooLarge {
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decode { message, .. } => write!(f, "an item does not decode: {message}"),
            Self::Transport { source, partial } => write!(
                f,
                "the stream broke ({} bytes of an item received): {source}",
                partial.len()
            ),
            Self::Truncated { partial } => write!(
                f,
                "the stream ended inside an item ({} bytes received)",
                partial.len()
            ),
            Self::TooLarge { limit } => write!(f, "an item is larger than {limit} bytes"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

/// How the items of a body are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `text/event-stream`: events ([`sse`]); an event whose data is `[DONE]`
    /// ends the stream.
    Sse,
    /// `application/jsonl`, `application/x-ndjson`: one JSON value per line
    /// (blank lines skipped).
    Lines,
    /// `application/json-seq` (RFC 7464): records that start with the
    /// record separator (0x1E).
    Seq,
}

/// Decodes one item's text (for an event, its `data`).
pub type ItemDecoder<T> = fn(&str) -> Result<T, String>;

/// A JSON item.
pub fn json_item<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// A text item, as it is.
pub fn text_item(text: &str) -> Result<String, String> {
    Ok(text.to_string())
}

/// What the framing gives the item decoder: an event's fields, or one
/// item's text (borrowed from the buffer: it is copied only into an error).
enum Piece<'a> {
    Event(sse::Fields),
    Item(&'a str),
}

/// How [`Decoded`] decodes one piece.
type DecodePiece<T> = Box<dyn Fn(Piece<'_>) -> Result<T, StreamError> + Send + Sync>;

/// The items of a body arriving as `chunks`, framed by a [`Framing`] and
/// decoded one by one ([`items`], [`events`]).
pub struct Decoded<S, T> {
    chunks: Pin<Box<S>>,
    framing: Framing,
    buffer: Vec<u8>,
    /// A `\r` ended the last chunk: a `\n` that starts the next belongs to it.
    after_cr: bool,
    /// How much of the buffer is known to hold no line or record end.
    scanned: usize,
    event: sse::Builder,
    ready: VecDeque<Result<T, StreamError>>,
    decode: DecodePiece<T>,
    limit: usize,
    done: bool,
}

impl<S, T> Decoded<S, T> {
    /// The same, refusing an item larger than `limit` bytes (default [`MAX_ITEM`]).
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    fn new(chunks: S, framing: Framing, decode: DecodePiece<T>) -> Self {
        Decoded {
            chunks: Box::pin(chunks),
            framing,
            buffer: Vec::new(),
            after_cr: false,
            scanned: 0,
            event: sse::Builder::default(),
            ready: VecDeque::new(),
            decode,
            limit: MAX_ITEM,
            done: false,
        }
    }

    /// One line (SSE) or item (the others).
    fn take(&mut self, text: &str) {
        let piece = match self.framing {
            Framing::Sse => match self.event.line(text) {
                Some(fields) if fields.data == "[DONE]" => {
                    self.done = true;
                    self.buffer.clear();
                    return;
                }
                Some(fields) => Piece::Event(fields),
                None => return,
            },
            Framing::Lines | Framing::Seq => {
                let item = text.trim_matches(|c: char| c.is_ascii_whitespace());
                if item.is_empty() {
                    return;
                }
                Piece::Item(item)
            }
        };
        let item = (self.decode)(piece);
        self.ready.push_back(item);
    }

    /// An item grew past the limit: the stream ends with that error.
    fn too_large(&mut self) {
        self.done = true;
        self.buffer = Vec::new();
        self.ready
            .push_back(Err(StreamError::TooLarge { limit: self.limit }));
    }

    /// The position in `bytes` of the first byte that ends a line or record.
    fn end_in(&self, bytes: &[u8]) -> Option<usize> {
        match self.framing {
            Framing::Sse => bytes.iter().position(|&b| b == b'\n' || b == b'\r'),
            Framing::Lines => bytes.iter().position(|&b| b == b'\n'),
            Framing::Seq => bytes.iter().position(|&b| b == 0x1E),
        }
    }

    /// Takes every whole line or record out of the buffer, which keeps its
    /// allocation and only the unfinished item.
    fn split(&mut self) {
        let mut buffer = std::mem::take(&mut self.buffer);
        let mut start = 0;
        // What an earlier chunk left holds no end: only the new bytes are read.
        let mut i = self.scanned.min(buffer.len());
        if self.after_cr && i < buffer.len() {
            // The `\n` of a `\r\n` split over two chunks.
            self.after_cr = false;
            if buffer[i] == b'\n' {
                i += 1;
                start = i;
            }
        }
        while !self.done {
            let Some(n) = self.end_in(&buffer[i..]) else {
                break;
            };
            let b = buffer[i + n];
            i += n;
            if i - start + self.event.size() > self.limit {
                self.too_large();
                return;
            }
            self.take(&text(&buffer[start..i]));
            i += 1;
            if b == b'\r' && self.framing == Framing::Sse {
                match buffer.get(i) {
                    Some(b'\n') => i += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            start = i;
        }
        if !self.done {
            buffer.drain(..start);
            // After a large item, the allocation is not kept for small ones.
            if buffer.capacity() > KEEP && buffer.len() < KEEP / 4 {
                buffer.shrink_to(KEEP);
            }
            self.scanned = buffer.len();
            self.buffer = buffer;
        }
    }

    /// The body ended: what is left is the last item, or an unfinished one.
    fn finish(&mut self) {
        let rest = std::mem::take(&mut self.buffer);
        match self.framing {
            Framing::Lines | Framing::Seq => self.take(&text(&rest)),
            Framing::Sse => {
                let mut partial = self.event.partial();
                partial.extend_from_slice(&rest);
                let blank = partial.iter().all(|b| b.is_ascii_whitespace());
                if !blank {
                    self.ready
                        .push_back(Err(StreamError::Truncated { partial }));
                }
            }
        }
        self.done = true;
    }
}

/// `bytes` as text: borrowed when they are UTF-8 (the usual case, checked
/// fast), else with U+FFFD for what is not.
fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

impl<S, T> Unpin for Decoded<S, T> {}

impl<S, B, E, T> Stream for Decoded<S, T>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.ready.pop_front() {
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.chunks.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    this.buffer.extend_from_slice(chunk.as_ref());
                    this.split();
                    if this.buffer.len() + this.event.size() > this.limit {
                        this.too_large();
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    let mut partial = match this.framing {
                        Framing::Sse => this.event.partial(),
                        _ => Vec::new(),
                    };
                    partial.append(&mut this.buffer);
                    this.done = true;
                    this.ready.push_back(Err(StreamError::Transport {
                        partial,
                        source: e.into(),
                    }));
                }
                Poll::Ready(None) => this.finish(),
            }
        }
    }
}

/// The items of `chunks`, JSON values (or text) one per line
/// ([`Framing::Lines`]) or record ([`Framing::Seq`]), each decoded by
/// `decode`. (For [`Framing::Sse`], use [`events`].)
pub fn items<S, T: 'static>(chunks: S, framing: Framing, decode: ItemDecoder<T>) -> Decoded<S, T> {
    Decoded::new(
        chunks,
        framing,
        Box::new(move |piece| match piece {
            Piece::Item(text) => decode(text).map_err(|message| StreamError::Decode {
                raw: text.to_string(),
                message,
            }),
            Piece::Event(fields) => decode(&fields.data).map_err(|message| StreamError::Decode {
                raw: fields.data,
                message,
            }),
        }),
    )
}

/// The server-sent events of `chunks`, their data decoded by `decode`; an
/// event whose data is `[DONE]` ends the stream.
pub fn events<S, T: 'static>(chunks: S, decode: ItemDecoder<T>) -> Decoded<S, sse::Event<T>> {
    Decoded::new(
        chunks,
        Framing::Sse,
        Box::new(move |piece| {
            let fields = match piece {
                Piece::Event(fields) => fields,
                Piece::Item(text) => sse::Fields {
                    data: text.to_string(),
                    ..sse::Fields::default()
                },
            };
            match decode(&fields.data) {
                Ok(data) => Ok(sse::Event {
                    event: fields.event,
                    id: fields.id,
                    retry: fields.retry,
                    data,
                }),
                Err(message) => Err(StreamError::Decode {
                    raw: fields.data,
                    message,
                }),
            }
        }),
    )
}

#[cfg(test)]
mod tests;
