//! [`Body`]: a response body as a streaming operation's decoder gets it, whole or still arriving, and the typed streams made from it (events, lines, records, bytes); [`send_bytes`], a binary request body sent whole or as a stream.

use super::super::stream::{self, sse, Framing, ItemDecoder, Stream, StreamError, Streamed};
use super::super::ByteBody;

/// A response body: read whole, or a stream still arriving.
#[derive(Debug)]
pub enum Body {
    /// The body, read whole.
    Whole(Vec<u8>),
    /// The response, whose body has not been read, and the largest item
    /// its decoders buffer.
    Stream(reqwest::Response, usize),
}

impl Body {
    /// The bytes read whole (empty for a stream, whose bytes are not read).
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Body::Whole(bytes) => bytes,
            Body::Stream(..) => Vec::new(),
        }
    }

    /// The server-sent events of the body, their data decoded by `decode`.
    pub fn events<T: Send + 'static>(self, decode: ItemDecoder<T>) -> Streamed<sse::Event<T>> {
        match self {
            Body::Whole(bytes) => Streamed::new(stream::events(whole(bytes), decode)),
            Body::Stream(resp, limit) => {
                Streamed::new(stream::events(resp.bytes_stream(), decode).limit(limit))
            }
        }
    }

    /// The items of the body, framed by `framing` (lines or records), each
    /// decoded by `decode`.
    pub fn items<T: Send + 'static>(self, framing: Framing, decode: ItemDecoder<T>) -> Streamed<T> {
        match self {
            Body::Whole(bytes) => Streamed::new(stream::items(whole(bytes), framing, decode)),
            Body::Stream(resp, limit) => {
                Streamed::new(stream::items(resp.bytes_stream(), framing, decode).limit(limit))
            }
        }
    }

    /// The body as a [`ByteBody`]: the bytes read whole, or the response's
    /// chunks as they arrive (with its `Content-Length`, when sent).
    pub fn into_byte_body(self) -> ByteBody {
        match self {
            Body::Whole(bytes) => ByteBody::from(bytes),
            Body::Stream(resp, _) => {
                let len = resp.content_length();
                let body = ByteBody::from_stream(resp.bytes_stream());
                match len {
                    Some(len) => body.with_len(len),
                    None => body,
                }
            }
        }
    }

    /// The body's bytes as they arrive, never held whole.
    pub fn bytes_stream(self) -> Streamed<Vec<u8>> {
        match self {
            Body::Whole(bytes) => Streamed::from_items([bytes]),
            Body::Stream(resp, _) => Streamed::new(Chunks(Box::pin(resp.bytes_stream()))),
        }
    }
}

/// `req` with the binary body `body` of media type `content_type`: bytes at
/// hand as they are, a stream as it comes (with `Content-Length` when its
/// length is known, else chunked). A request with a stream body cannot be
/// copied, so it is never retried.
pub fn send_bytes(
    req: reqwest::RequestBuilder,
    content_type: &str,
    body: ByteBody,
) -> reqwest::RequestBuilder {
    let req = req.header(reqwest::header::CONTENT_TYPE, content_type);
    match body.into_whole() {
        Ok(bytes) => req.body(bytes),
        Err(stream) => {
            let req = match stream.len() {
                Some(len) => req.header(reqwest::header::CONTENT_LENGTH, len),
                None => req,
            };
            req.body(reqwest::Body::wrap_stream(stream))
        }
    }
}

/// A body read whole, as a stream of one chunk.
fn whole(bytes: Vec<u8>) -> Streamed<Vec<u8>> {
    Streamed::from_items([bytes])
}

/// A response's chunks as owned bytes, its errors as [`StreamError::Transport`].
struct Chunks<S>(std::pin::Pin<Box<S>>);

impl<S, B> Stream for Chunks<S>
where
    S: Stream<Item = Result<B, reqwest::Error>>,
    B: AsRef<[u8]>,
{
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|item| {
            item.map(|chunk| match chunk {
                Ok(bytes) => Ok(bytes.as_ref().to_vec()),
                Err(e) => Err(StreamError::Transport {
                    partial: Vec::new(),
                    source: Box::new(e),
                }),
            })
        })
    }
}
