//! [`ClientBuilder`] and [`Client`], generic over the API's credentials, and [`Authorize`], how a generated client's credentials are sent.

use std::time::Duration;

use std::sync::Arc;

use super::{CallSpan, Decoder, Error, Pending, RetryPolicy, StreamDecoder, Streams};

/// Called with the status and headers of every response, before decoding.
pub type ResponseHook = Arc<dyn Fn(u16, &reqwest::header::HeaderMap) + Send + Sync>;

/// Middleware: called with every request just before it is sent (each
/// attempt of a retried call again), to add headers, sign it or refuse it.
/// An error ends the call with [`Error::Middleware`].
pub type RequestHook = Arc<
    dyn Fn(&mut reqwest::Request) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
        + Send
        + Sync,
>;

/// What every call of a client shares: the response hook, the request hooks
/// and the retry policy.
#[derive(Clone)]
pub(super) struct Policy {
    pub(super) on_response: Option<ResponseHook>,
    pub(super) before_send: Vec<RequestHook>,
    pub(super) retry: Option<RetryPolicy>,
    /// The largest item of a streamed response its decoder buffers.
    pub(super) max_item: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            on_response: None,
            before_send: Vec::new(),
            retry: None,
            max_item: super::super::stream::MAX_ITEM,
        }
    }
}

/// How a generated client's credentials (one field per security scheme) are
/// sent: whether a scheme's credential is set, and adding it to a request.
pub trait Authorize {
    /// The security schemes some operation uses.
    type Scheme: Copy;

    /// Whether the credential of `scheme` is set.
    fn has(&self, scheme: Self::Scheme) -> bool;

    /// `req` with the credential of `scheme` (a cookie goes to `cookies`).
    fn apply(
        &self,
        req: reqwest::RequestBuilder,
        scheme: Self::Scheme,
        cookies: &mut Vec<String>,
    ) -> reqwest::RequestBuilder;
}

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder<C> {
    base_url: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    credentials: C,
    http: Option<reqwest::Client>,
    policy: Policy,
}

impl<C> ClientBuilder<C> {
    /// The whole-request timeout (default: none).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The connect timeout (default: none).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The credentials to send.
    pub fn credentials(mut self, credentials: C) -> Self {
        self.credentials = credentials;
        self
    }

    /// Uses the caller's `reqwest::Client` (its own timeouts then apply).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Observes the status and headers of every response.
    pub fn on_response(mut self, hook: ResponseHook) -> Self {
        self.policy.on_response = Some(hook);
        self
    }

    /// Runs `hook` on every request before it is sent (after the earlier
    /// hooks): headers, signing. See [`RequestHook`].
    pub fn before_send(mut self, hook: RequestHook) -> Self {
        self.policy.before_send.push(hook);
        self
    }

    /// The largest item (event, line, record) of a streamed response that is
    /// buffered while it arrives (default 16 MiB); a larger one ends the
    /// stream with `StreamError::TooLarge`.
    pub fn max_stream_item(mut self, bytes: usize) -> Self {
        self.policy.max_item = bytes;
        self
    }

    /// Retries failed attempts as `policy` says (default: no retries).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.policy.retry = Some(policy);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client<C>, Error> {
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut b = reqwest::Client::builder();
                if let Some(t) = self.timeout {
                    b = b.timeout(t);
                }
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build()?
            }
        };
        Ok(Client {
            base_url: self.base_url.trim_end_matches('/').to_string(),
            http,
            credentials: self.credentials,
            policy: Arc::new(self.policy),
        })
    }
}

/// The API client: one method per operation, whose [`Pending`] future
/// resolves to the operation's response.
#[derive(Clone)]
pub struct Client<C> {
    base_url: String,
    http: reqwest::Client,
    credentials: C,
    policy: Arc<Policy>,
}

impl<C> std::fmt::Debug for Client<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl<C: Default> Client<C> {
    /// A builder for a client of the server at `base_url` (scheme, host and base path).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder<C> {
        ClientBuilder {
            base_url: base_url.into(),
            timeout: None,
            connect_timeout: None,
            credentials: C::default(),
            http: None,
            policy: Policy::default(),
        }
    }

    /// A client of the server at `base_url`, without credentials.
    pub fn new(base_url: impl Into<String>) -> Result<Self, Error> {
        Self::builder(base_url).build()
    }
}

impl<C> Client<C> {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The credentials sent with requests.
    pub fn credentials_mut(&mut self) -> &mut C {
        &mut self.credentials
    }

    /// The `reqwest` client requests are sent with.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sends a request (with `cookies` in one `Cookie` header), retried as
    /// the client's policy says, within `span`; the call's future decodes the
    /// response with `decode`.
    #[doc(hidden)]
    pub fn send<T>(
        &self,
        span: CallSpan,
        req: reqwest::RequestBuilder,
        cookies: Vec<String>,
        decode: Decoder<T>,
    ) -> Pending<T> {
        Pending::new(
            super::pending::exchange(req, cookies, self.policy.clone(), span, None),
            decode,
        )
    }

    /// As [`Client::send`], for an operation with a streamed response: a
    /// response for which `streams` is true is handed to `decode` as a
    /// stream, not read whole.
    #[doc(hidden)]
    pub fn send_streaming<T>(
        &self,
        span: CallSpan,
        req: reqwest::RequestBuilder,
        cookies: Vec<String>,
        streams: Streams,
        decode: StreamDecoder<T>,
    ) -> Pending<T> {
        Pending::streaming(
            super::pending::exchange(req, cookies, self.policy.clone(), span, Some(streams)),
            decode,
        )
    }
}

impl<C: Authorize> Client<C> {
    /// `req` with the credentials of the first of `alternatives` that is fully
    /// configured (alternatives that need credentials are tried before
    /// anonymous access, the empty alternative).
    #[doc(hidden)]
    pub fn authorize(
        &self,
        mut req: reqwest::RequestBuilder,
        alternatives: &[&[C::Scheme]],
        cookies: &mut Vec<String>,
    ) -> reqwest::RequestBuilder {
        let chosen = alternatives
            .iter()
            .filter(|alt| !alt.is_empty())
            .find(|alt| alt.iter().all(|s| self.credentials.has(*s)));
        if let Some(alt) = chosen {
            for s in alt.iter() {
                req = self.credentials.apply(req, *s, cookies);
            }
        }
        req
    }
}
