//! The generated client's frame: `Error`, `ClientBuilder`, `Client` with its constructors and its one shared exchange (`send`), and `Pending`, the future of a call.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

/// `Error` (with the variant for declared response headers when the API has
/// any), `ResponseHook`, `ClientBuilder` and `Client`.
pub(super) fn client_items(headers: &super::responses::HeaderError) -> TokenStream {
    let super::responses::HeaderError {
        variant: header_error,
        display: header_display,
        source: header_source,
    } = headers;
    quote! {
        /// Why a call failed.
        #[derive(Debug)]
        pub enum Error {
            /// The request could not be built or sent, or the response not read.
            Request(::reqwest::Error),
            /// The request body could not be encoded.
            Encode(::serde_json::Error),
            /// The server answered with a status the operation does not declare.
            UnexpectedStatus {
                /// The status code.
                status: u16,
                /// The raw body.
                body: Vec<u8>,
            },
            /// The body of a declared response did not decode into its type.
            Decode {
                /// The status code.
                status: u16,
                /// The raw body.
                body: Vec<u8>,
                /// What went wrong.
                source: ::serde_json::Error,
            },
            #header_error
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::Request(e) => write!(f, "request failed: {e}"),
                    Self::Encode(e) => write!(f, "cannot encode the request body: {e}"),
                    Self::UnexpectedStatus { status, body } => {
                        write!(f, "undeclared status {status}: {}", String::from_utf8_lossy(body))
                    }
                    Self::Decode { status, source, .. } => write!(f, "cannot decode the {status} response: {source}"),
                    #header_display
                }
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Request(e) => Some(e),
                    Self::Encode(e) => Some(e),
                    Self::Decode { source, .. } => Some(source),
                    Self::UnexpectedStatus { .. } => None,
                    #header_source
                }
            }
        }

        impl From<::reqwest::Error> for Error {
            fn from(e: ::reqwest::Error) -> Self {
                Self::Request(e)
            }
        }

        /// Called with the status and headers of every response, before decoding.
        pub type ResponseHook = ::std::sync::Arc<dyn Fn(u16, &::reqwest::header::HeaderMap) + Send + Sync>;

        /// Configures a [`Client`].
        #[derive(Clone)]
        pub struct ClientBuilder {
            base_url: String,
            timeout: Option<::std::time::Duration>,
            connect_timeout: Option<::std::time::Duration>,
            credentials: Credentials,
            http: Option<::reqwest::Client>,
            hook: Option<ResponseHook>,
        }

        impl ClientBuilder {
            /// The whole-request timeout (default: none).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }
            /// The connect timeout (default: none).
            pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.connect_timeout = Some(timeout);
                self
            }
            /// The credentials to send.
            pub fn credentials(mut self, credentials: Credentials) -> Self {
                self.credentials = credentials;
                self
            }
            /// Uses the caller's `reqwest::Client` (its own timeouts then apply).
            pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
                self.http = Some(http);
                self
            }
            /// Observes the status and headers of every response.
            pub fn on_response(mut self, hook: ResponseHook) -> Self {
                self.hook = Some(hook);
                self
            }
            /// Builds the client.
            pub fn build(self) -> Result<Client, Error> {
                let http = match self.http {
                    Some(http) => http,
                    None => {
                        let mut b = ::reqwest::Client::builder();
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
                    hook: self.hook,
                })
            }
        }

        /// The API client: one method per operation, whose [`Pending`] future
        /// resolves to the operation's response.
        #[derive(Clone)]
        pub struct Client {
            base_url: String,
            http: ::reqwest::Client,
            credentials: Credentials,
            hook: Option<ResponseHook>,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client").field("base_url", &self.base_url).finish_non_exhaustive()
            }
        }
    }
}

/// The constructors and accessors of `impl Client`.
pub(super) fn constructors(api: &Api) -> TokenStream {
    let with_default = api.servers.first().map(|_| {
        quote! {
            /// A client for [`DEFAULT_BASE_URL`].
            pub fn with_default_server() -> Result<Self, Error> {
                Self::new(DEFAULT_BASE_URL)
            }
        }
    });
    quote! {
            /// A builder for a client of the server at `base_url` (scheme, host and base path).
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder {
                    base_url: base_url.into(),
                    timeout: None,
                    connect_timeout: None,
                    credentials: Credentials::default(),
                    http: None,
                    hook: None,
                }
            }

            /// A client of the server at `base_url`, without credentials.
            pub fn new(base_url: impl Into<String>) -> Result<Self, Error> {
                Self::builder(base_url).build()
            }

            #with_default

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            /// The credentials sent with requests.
            pub fn credentials_mut(&mut self) -> &mut Credentials {
                &mut self.credentials
            }
    }
}

/// `send` and `exchange`, of `impl Client`.
pub(super) fn exchange_fns() -> TokenStream {
    quote! {
            /// Sends a request; the call's future decodes the response with `decode`.
            fn send<T>(&self, req: ::reqwest::RequestBuilder, cookies: Vec<String>, decode: Decoder<T>) -> Pending<T> {
                Pending { exchange: self.exchange(req, cookies), decode }
            }

            /// The exchange of a request, the same (not generic) for every operation.
            fn exchange(&self, req: ::reqwest::RequestBuilder, cookies: Vec<String>) -> Exchange {
                let req = if cookies.is_empty() { req } else { req.header(::reqwest::header::COOKIE, cookies.join("; ")) };
                let hook = self.hook.clone();
                let exchange = async move {
                    let resp = req.send().await?;
                    let status = resp.status().as_u16();
                    if let Some(hook) = &hook {
                        hook(status, resp.headers());
                    }
                    let headers = resp.headers().clone();
                    let body = resp.bytes().await?.to_vec();
                    Ok((status, headers, body))
                };
                Box::pin(exchange)
            }
    }
}

/// `Decoder`, `Exchange` and `Pending`.
pub(super) fn pending_items() -> TokenStream {
    quote! {
        /// Decodes a response from its status, headers and body.
        type Decoder<T> = fn(u16, ::reqwest::header::HeaderMap, Vec<u8>) -> Result<T, Error>;

        /// The exchange of a call: the status, headers and body of the response.
        type Exchange = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Result<(u16, ::reqwest::header::HeaderMap, Vec<u8>), Error>> + Send>>;

        /// A call in flight: a future of the operation's response, or of why
        /// the call failed. It owns what it needs (it is `'static` and `Send`),
        /// so it can be spawned; the request is sent when it is first polled.
        #[must_use = "a call does nothing unless it is awaited"]
        pub struct Pending<T> {
            exchange: Exchange,
            decode: Decoder<T>,
        }

        impl<T> Pending<T> {
            /// A call that failed before its request could be sent.
            #[allow(dead_code)]
            fn failed(error: Error) -> Self {
                // Never called: the exchange fails first.
                fn not_sent<T>(status: u16, _: ::reqwest::header::HeaderMap, body: Vec<u8>) -> Result<T, Error> {
                    Err(Error::UnexpectedStatus { status, body })
                }
                Pending { exchange: Box::pin(::std::future::ready(Err(error))), decode: not_sent::<T> }
            }
        }

        impl<T> ::std::future::Future for Pending<T> {
            type Output = Result<T, Error>;

            fn poll(self: ::std::pin::Pin<&mut Self>, cx: &mut ::std::task::Context<'_>) -> ::std::task::Poll<Self::Output> {
                let this = self.get_mut();
                match this.exchange.as_mut().poll(cx) {
                    ::std::task::Poll::Ready(Ok((status, headers, body))) => ::std::task::Poll::Ready((this.decode)(status, headers, body)),
                    ::std::task::Poll::Ready(Err(e)) => ::std::task::Poll::Ready(Err(e)),
                    ::std::task::Poll::Pending => ::std::task::Poll::Pending,
                }
            }
        }

        impl<T> ::std::fmt::Debug for Pending<T> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Pending").finish_non_exhaustive()
            }
        }
    }
}
