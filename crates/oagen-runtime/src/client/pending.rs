//! [`Pending`], the future of a call: the one shared, boxed exchange ([`Exchange`]) followed by the operation's plain [`Decoder`].

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::sync::Arc;

use super::config::Policy;
use super::{Body, CallSpan, Error};

/// Decodes a response from its status, headers and body.
pub type Decoder<T> = fn(u16, reqwest::header::HeaderMap, Vec<u8>) -> Result<T, Error>;

/// Decodes a response of an operation with a streamed response: its body is
/// a stream when [`Streams`] said so, else read whole.
pub type StreamDecoder<T> = fn(u16, reqwest::header::HeaderMap, Body) -> Result<T, Error>;

/// Whether the response with this status and headers is taken as a stream.
pub type Streams = fn(u16, &reqwest::header::HeaderMap) -> bool;

/// The exchange of a call: the status, headers and body of the response.
pub type Exchange =
    Pin<Box<dyn Future<Output = Result<(u16, reqwest::header::HeaderMap, Body), Error>> + Send>>;

/// How a call's response is decoded.
enum Decoding<T> {
    Whole(Decoder<T>),
    Streaming(StreamDecoder<T>),
}

/// The exchange of a request, the same (not generic) for every operation:
/// sends `req` with `cookies` in one `Cookie` header, runs the request hooks,
/// retries as the policy says, shows each response to the response hook and
/// reads the last one's body.
pub(super) fn exchange(
    req: reqwest::RequestBuilder,
    cookies: Vec<String>,
    policy: Arc<Policy>,
    span: CallSpan,
    streams: Option<Streams>,
) -> Exchange {
    let req = if cookies.is_empty() {
        req
    } else {
        req.header(reqwest::header::COOKIE, cookies.join("; "))
    };
    #[allow(clippy::clone_on_copy, clippy::let_unit_value)]
    let fields = span.clone();
    let run = async move {
        let (http, request) = req.build_split();
        let mut request = request?;
        let mut attempt: u32 = 1;
        loop {
            // A copy for the next attempt, taken before the hooks run (they
            // run again on it); none when the body is a stream.
            let next = match &policy.retry {
                Some(p) if attempt < p.attempts() && p.allows(request.method()) => {
                    request.try_clone()
                }
                _ => None,
            };
            for hook in &policy.before_send {
                hook(&mut request).map_err(Error::Middleware)?;
            }
            super::trace::attempt(&fields, attempt);
            let retry = policy.retry.as_ref();
            match http.execute(request).await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    super::trace::status(&fields, status);
                    if let Some(hook) = &policy.on_response {
                        hook(status, resp.headers());
                    }
                    if let (Some(next), Some(p)) = (next, retry) {
                        if p.retries_status(status) {
                            let wait = p.delay(attempt, Some(resp.headers()));
                            drop(resp);
                            ::tokio::time::sleep(wait).await;
                            request = next;
                            attempt += 1;
                            continue;
                        }
                    }
                    let headers = resp.headers().clone();
                    if streams.is_some_and(|streams| streams(status, &headers)) {
                        return Ok((status, headers, Body::Stream(resp, policy.max_item)));
                    }
                    // The buffer `reqwest` read into, not a copy of it.
                    let body = Vec::from(resp.bytes().await?);
                    return Ok((status, headers, Body::Whole(body)));
                }
                Err(e) => match (next, retry) {
                    (Some(next), Some(p)) if p.retries_error(&e) => {
                        ::tokio::time::sleep(p.delay(attempt, None)).await;
                        request = next;
                        attempt += 1;
                    }
                    _ => return Err(Error::Request(e)),
                },
            }
        }
    };
    Box::pin(super::trace::instrument(run, span))
}

/// A call in flight: a future of the operation's response, or of why the call
/// failed. It owns what it needs (it is `'static` and `Send`), so it can be
/// spawned; the request is sent when it is first polled.
#[must_use = "a call does nothing unless it is awaited"]
pub struct Pending<T> {
    exchange: Exchange,
    decode: Decoding<T>,
}

impl<T> Pending<T> {
    /// A call whose response is decoded by `decode` once `exchange` is done.
    pub(super) fn new(exchange: Exchange, decode: Decoder<T>) -> Self {
        Pending {
            exchange,
            decode: Decoding::Whole(decode),
        }
    }

    /// A call whose response is decoded by `decode`, its body a stream when
    /// `exchange` found it is one.
    pub(super) fn streaming(exchange: Exchange, decode: StreamDecoder<T>) -> Self {
        Pending {
            exchange,
            decode: Decoding::Streaming(decode),
        }
    }

    /// A call that failed before its request could be sent.
    #[doc(hidden)]
    pub fn failed(error: Error) -> Self {
        // Never called: the exchange fails first.
        fn not_sent<T>(
            status: u16,
            _: reqwest::header::HeaderMap,
            body: Vec<u8>,
        ) -> Result<T, Error> {
            Err(Error::UnexpectedStatus { status, body })
        }
        Pending {
            exchange: Box::pin(std::future::ready(Err(error))),
            decode: Decoding::Whole(not_sent::<T>),
        }
    }
}

impl<T> Future for Pending<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match this.exchange.as_mut().poll(cx) {
            Poll::Ready(Ok((status, headers, body))) => Poll::Ready(match this.decode {
                Decoding::Whole(decode) => decode(status, headers, body.into_bytes()),
                Decoding::Streaming(decode) => decode(status, headers, body),
            }),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T> std::fmt::Debug for Pending<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").finish_non_exhaustive()
    }
}
