//! Emits the `client` module: an async client (reqwest, rustls) with one method
//! per operation.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::operations::{
    body_ty, carrier_ty, carries_status, form_encodings, form_fields, has_response_headers,
    multipart_fields, multipart_types, runtime_form, style_tokens,
};
use super::rust::{doc_attrs, ident, Paths};
use crate::model::features::Part;
use crate::model::{Api, Carrier, Content, MediaKind, Operation, ParamIn, SchemeKind, Status};

fn paths() -> Paths {
    Paths {
        models: quote!(super::models::),
        runtime: quote!(super::runtime),
    }
}

/// The module's items.
pub fn emit(api: &Api, part: Part) -> TokenStream {
    let paths = paths();
    // Each operation's method, and the function that decodes its responses.
    let methods = |scheme_variants: &[proc_macro2::Ident]| -> (Vec<TokenStream>, Vec<TokenStream>) {
        api.operations
            .iter()
            .enumerate()
            .filter(|(index, _)| api.gates.op_home(*index) == part)
            .map(|(index, op)| {
                let cfg = super::rust::part_op_cfg(api, index, part);
                let (method, decoder) = method(api, op, &paths, scheme_variants);
                (
                    super::rust::gate(method, cfg.as_ref()),
                    super::rust::gate(decoder, cfg.as_ref()),
                )
            })
            .unzip()
    };
    if part.is_some() {
        // A tag's methods: one more `impl Client` block.
        let (methods, decoders) = methods(&super::operations::scheme_variants(api));
        return quote! {
            impl Client {
                #(#methods)*
            }

            #(#decoders)*
        };
    }
    // Only an API with response headers keeps them (so other APIs' code is as before).
    let keep_headers = has_response_headers(api);
    let default_url = api.servers.first().map(|s| {
        let url = s.default_url();
        let url = url.trim_end_matches('/').to_string();
        let doc = format!(" The first server in the spec, `{url}`, with its base path.");
        quote! {
            #[doc = #doc]
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    let with_default = api.servers.first().map(|_| {
        quote! {
            /// A client for [`DEFAULT_BASE_URL`].
            pub fn with_default_server() -> Result<Self, Error> {
                Self::new(DEFAULT_BASE_URL)
            }
        }
    });
    let cred_fields = api.security_schemes.iter().map(|s| {
        let fi = ident(&s.ident);
        let what = match &s.kind {
            SchemeKind::Bearer { .. } => {
                "a bearer token, sent as `Authorization: Bearer <token>`".to_string()
            }
            SchemeKind::Basic => {
                "a user name and password, sent with HTTP Basic authentication".to_string()
            }
            SchemeKind::Http { scheme } => {
                format!("credentials sent as `Authorization: {scheme} <value>`")
            }
            SchemeKind::ApiKey { name, location } => {
                let place = match location {
                    ParamIn::Header => "header",
                    ParamIn::Query => "query parameter",
                    ParamIn::Cookie => "cookie",
                    ParamIn::Path => "path parameter",
                };
                format!("an API key, sent as is in the `{name}` {place}")
            }
            SchemeKind::OAuth2 => "an OAuth 2 access token, sent as a bearer token".to_string(),
            SchemeKind::OpenIdConnect { .. } => {
                "an OpenID Connect token, sent as a bearer token".to_string()
            }
        };
        let mut text = format!("`{}`: {what}.", s.key);
        if let Some(d) = &s.docs {
            text.push_str("\n\n");
            text.push_str(d);
        }
        let docs = doc_attrs(Some(&crate::emit::docs::sanitize(&text)));
        let ty = if s.kind == SchemeKind::Basic {
            quote!(Option<(String, String)>)
        } else {
            quote!(Option<String>)
        };
        quote!(#docs pub #fi: #ty,)
    });
    let set_arms = api.security_schemes.iter().map(|s| {
        let fi = ident(&s.ident);
        let key = &s.key;
        if s.kind == SchemeKind::Basic {
            quote! {
                #key => match value.split_once(':') {
                    Some((user, password)) => {
                        self.#fi = Some((user.to_string(), password.to_string()));
                        true
                    }
                    None => false,
                },
            }
        } else {
            quote! {
                #key => {
                    self.#fi = Some(value.to_string());
                    true
                }
            }
        }
    });
    let set_arms: Vec<TokenStream> = set_arms.collect();
    let set_body = if set_arms.is_empty() {
        quote! {
            let _ = (scheme, value);
            false
        }
    } else {
        quote! {
            match scheme {
                #(#set_arms)*
                _ => false,
            }
        }
    };
    let scheme_variants = super::operations::scheme_variants(api);
    let has_arms = api
        .security_schemes
        .iter()
        .zip(&scheme_variants)
        .map(|(s, v)| {
            let fi = ident(&s.ident);
            quote!(SchemeId::#v => self.credentials.#fi.is_some(),)
        });
    let apply_arms = api
        .security_schemes
        .iter()
        .zip(&scheme_variants)
        .map(|(s, v)| {
            let fi = ident(&s.ident);
            let body = match &s.kind {
                SchemeKind::Bearer { .. }
                | SchemeKind::OAuth2
                | SchemeKind::OpenIdConnect { .. } => quote!(req.bearer_auth(value)),
                SchemeKind::Basic => quote!(req.basic_auth(&value.0, Some(&value.1))),
                SchemeKind::Http { scheme } => quote!(req.header(
                    ::reqwest::header::AUTHORIZATION,
                    format!("{} {}", #scheme, value)
                )),
                SchemeKind::ApiKey { name, location } => match location {
                    ParamIn::Header => quote!(req.header(#name, value.as_str())),
                    ParamIn::Query => quote!(req.query(&[(#name, value.as_str())])),
                    ParamIn::Cookie => quote! { {
                        cookies.push(format!("{}={}", #name, value));
                        req
                    } },
                    ParamIn::Path => quote!(req),
                },
            };
            quote! {
                SchemeId::#v => match &self.credentials.#fi {
                    Some(value) => #body,
                    None => req,
                },
            }
        });
    let scheme_enum = if scheme_variants.is_empty() {
        quote! {
            #[derive(Debug, Clone, Copy)]
            enum SchemeId {}
        }
    } else {
        quote! {
            // A scheme that no operation requires is never named in a request.
            #[allow(dead_code)]
            #[derive(Debug, Clone, Copy)]
            enum SchemeId { #(#scheme_variants,)* }
        }
    };
    let has_body = if scheme_variants.is_empty() {
        quote!(match scheme {})
    } else {
        quote!(match scheme { #(#has_arms)* })
    };
    let apply_body = if scheme_variants.is_empty() {
        quote! {
            let _ = cookies;
            match scheme {}
        }
    } else {
        quote!(match scheme { #(#apply_arms)* })
    };
    let (methods, decoders) = methods(&scheme_variants);
    let header_error = keep_headers.then(|| {
        quote! {
            /// A declared response header is missing (and required) or does not parse into its type.
            Header {
                /// The status code.
                status: u16,
                /// The header's name, as the spec declares it.
                name: String,
                /// What is wrong.
                message: String,
                /// The raw body.
                body: Vec<u8>,
            },
        }
    });
    let header_display = keep_headers.then(|| {
        quote! {
            Self::Header { status, name, message, .. } => write!(f, "the {status} response's header `{name}`: {message}"),
        }
    });
    let header_source = keep_headers.then(|| quote!(Self::Header { .. } => None,));
    let header_fns = keep_headers.then(|| {
        quote! {
            /// Reads the declared header `name` of a response (None when absent); a
            /// value that does not parse is an error that takes the body along.
            #[allow(dead_code)]
            fn header<T: ::serde::de::DeserializeOwned>(
                headers: &::reqwest::header::HeaderMap,
                name: &str,
                form: super::runtime::HeaderForm,
                status: u16,
                body: &mut Vec<u8>,
            ) -> Result<Option<T>, Error> {
                let lines = headers.get_all(name).iter().map(|v| v.as_bytes());
                let parsed = match super::runtime::header_lines(lines) {
                    Ok(Some(text)) => super::runtime::parse_header(&text, form).map(Some),
                    Ok(None) => Ok(None),
                    Err(message) => Err(message),
                };
                parsed.map_err(|message| Error::Header { status, name: name.to_string(), message, body: ::std::mem::take(body) })
            }

            /// Reads a required declared header: its absence is an error too.
            #[allow(dead_code)]
            fn required_header<T: ::serde::de::DeserializeOwned>(
                headers: &::reqwest::header::HeaderMap,
                name: &str,
                form: super::runtime::HeaderForm,
                status: u16,
                body: &mut Vec<u8>,
            ) -> Result<T, Error> {
                match header(headers, name, form, status, body)? {
                    Some(v) => Ok(v),
                    None => Err(Error::Header {
                        status,
                        name: name.to_string(),
                        message: "the header is required but missing".to_string(),
                        body: ::std::mem::take(body),
                    }),
                }
            }
        }
    });

    quote! {
        use super::operations;

        #default_url

        /// Credentials, one field per security scheme of the spec. Each request
        /// sends the first of its operation's alternatives whose credentials are all set.
        #[derive(Debug, Clone, Default)]
        pub struct Credentials {
            #(#cred_fields)*
        }

        impl Credentials {
            /// Sets the credential of the security scheme named `scheme` in the spec.
            /// For HTTP Basic, `value` is `user:password`. Returns false when the spec
            /// has no such scheme (or a Basic value has no `:`).
            pub fn set(&mut self, scheme: &str, value: &str) -> bool {
                #set_body
            }
        }

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

        #scheme_enum

        impl Client {
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

            #[allow(dead_code)]
            fn has(&self, scheme: SchemeId) -> bool {
                #has_body
            }

            #[allow(dead_code, unused_variables, clippy::ptr_arg)]
            fn apply(&self, req: ::reqwest::RequestBuilder, scheme: SchemeId, cookies: &mut Vec<String>) -> ::reqwest::RequestBuilder {
                #apply_body
            }

            /// Sends the credentials of the first alternative that is fully configured
            /// (alternatives that need credentials are tried before anonymous access).
            #[allow(dead_code, clippy::ptr_arg)]
            fn authorize(&self, mut req: ::reqwest::RequestBuilder, alternatives: &[&[SchemeId]], cookies: &mut Vec<String>) -> ::reqwest::RequestBuilder {
                let chosen = alternatives
                    .iter()
                    .filter(|alt| !alt.is_empty())
                    .find(|alt| alt.iter().all(|s| self.has(*s)));
                if let Some(alt) = chosen {
                    for s in alt.iter() {
                        req = self.apply(req, *s, cookies);
                    }
                }
                req
            }

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

            #(#methods)*
        }

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

        #(#decoders)*

        #[allow(dead_code)]
        fn decode<T: ::serde::de::DeserializeOwned>(status: u16, body: Vec<u8>) -> Result<T, Error> {
            match ::serde_json::from_slice(&body) {
                Ok(v) => Ok(v),
                Err(source) => Err(Error::Decode { status, body, source }),
            }
        }

        #[allow(dead_code)]
        fn decode_text(status: u16, body: Vec<u8>) -> Result<String, Error> {
            match String::from_utf8(body) {
                Ok(s) => Ok(s),
                Err(e) => {
                    let body = e.into_bytes();
                    let source = <::serde_json::Error as ::serde::de::Error>::custom("the body is not UTF-8 text");
                    Err(Error::Decode { status, body, source })
                }
            }
        }

        /// Decodes a form body.
        #[allow(dead_code)]
        fn decode_form<T: ::serde::de::DeserializeOwned>(
            status: u16,
            body: Vec<u8>,
            fields: &[(&str, super::runtime::wire::Style, bool, super::runtime::wire::Kind)],
        ) -> Result<T, Error> {
            let pairs = super::runtime::wire::split_pairs(&String::from_utf8_lossy(&body));
            match super::runtime::wire::from_text(super::runtime::wire::parse_form(&pairs, fields)) {
                Ok(v) => Ok(v),
                Err(e) => Err(Error::Decode { status, body, source: <::serde_json::Error as ::serde::de::Error>::custom(e) }),
            }
        }

        #header_fns

        /// Decodes a multipart body.
        #[allow(dead_code)]
        fn decode_multipart<T: ::serde::de::DeserializeOwned>(
            status: u16,
            headers: &::reqwest::header::HeaderMap,
            body: Vec<u8>,
            fields: &[(&str, super::runtime::multipart::Field)],
        ) -> Result<T, Error> {
            let content_type = headers.get(::reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let decoded = super::runtime::multipart::from_body(content_type, &body)
                .and_then(|parts| super::runtime::multipart::decode(parts, fields));
            match decoded {
                Ok(v) => Ok(v),
                Err(e) => Err(Error::Decode { status, body, source: <::serde_json::Error as ::serde::de::Error>::custom(e) }),
            }
        }

        /// A parameter value as JSON, for `runtime::wire`.
        #[allow(dead_code)]
        fn param_value<T: ::serde::Serialize>(value: &T) -> ::serde_json::Value {
            super::runtime::to_json(value).unwrap_or(::serde_json::Value::Null)
        }

    }
}

fn method(
    api: &Api,
    op: &Operation,
    paths: &Paths,
    scheme_variants: &[proc_macro2::Ident],
) -> (TokenStream, TokenStream) {
    let fname = ident(&op.fn_name);
    let resp_ty = ident(&op.response_type);
    let decoder = format_ident!("response_{}", crate::model::naming::bare(&op.fn_name));
    let docs = super::operations::operation_docs(op);
    let rt = &paths.runtime;
    let mut args = Vec::new();
    if !op.params.is_empty() {
        let pty = ident(&op.params_type);
        args.push(quote!(params: &operations::#pty));
    }
    // Path with parameters substituted.
    let mut fmt = String::new();
    let mut fmt_args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        fmt.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let var = &rest[start + 1..start + len];
        fmt.push_str("{}");
        match op
            .params
            .iter()
            .find(|p| p.location == ParamIn::Path && p.name == var)
        {
            Some(p) => {
                let fi = ident(&p.ident);
                let style = style_tokens(p.style, rt);
                let explode = p.explode;
                fmt_args.push(
                    quote!(#rt::wire::path_text(#var, &param_value(&params.#fi), #style, #explode)),
                );
            }
            None => fmt_args.push(quote!(String::new())),
        }
        rest = &rest[start + len + 1..];
    }
    fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let full_fmt = format!("{{}}{fmt}");
    let method_ident = format_ident!("{}", op.method.to_uppercase());
    let mut steps = Vec::new();
    let has_query = op.params.iter().any(|p| p.location == ParamIn::Query);
    if has_query {
        steps.push(quote!(let mut query: Vec<(String, String)> = Vec::new();));
    }
    for p in &op.params {
        let fi = ident(&p.ident);
        let name = &p.name;
        let style = style_tokens(p.style, rt);
        let explode = p.explode;
        let add = match p.location {
            ParamIn::Path => continue,
            ParamIn::Query => {
                quote!(#rt::wire::query_pairs(#name, &param_value(v), #style, #explode, &mut query);)
            }
            ParamIn::Header => {
                quote!(req = req.header(#name, #rt::wire::header_text(&param_value(v), #explode));)
            }
            ParamIn::Cookie => quote! {
                let mut pairs = Vec::new();
                #rt::wire::query_pairs(#name, &param_value(v), #rt::wire::Style::Form, #explode, &mut pairs);
                cookies.extend(pairs.into_iter().map(|(k, v)| format!("{k}={v}")));
            },
        };
        let step = if p.required {
            quote! { { let v = &params.#fi; #add } }
        } else {
            quote! { if let Some(v) = &params.#fi { #add } }
        };
        steps.push(step);
    }
    if has_query {
        steps.push(quote!(if !query.is_empty() {
            req = req.query(&query);
        }));
    }
    let alternatives = op.security.alternatives.iter().map(|alt| {
        let ids = alt.iter().map(|u| &scheme_variants[u.scheme]);
        quote!(&[#(SchemeId::#ids),*])
    });
    let auth = if op.security.alternatives.is_empty() {
        TokenStream::new()
    } else {
        quote!(req = self.authorize(req, &[#(#alternatives),*], &mut cookies);)
    };
    let body_step = op.body.as_ref().and_then(|b| {
        let (ty, send) = match &b.choice_type {
            Some(choice) => {
                let choice = ident(choice);
                let arms = b.contents.iter().map(|c| {
                    let vi = ident(&c.variant);
                    let send = encode_request(api, c, rt);
                    quote!(operations::#choice::#vi(body) => { #send })
                });
                (
                    quote!(operations::#choice),
                    quote!(match body { #(#arms)* }),
                )
            }
            None => {
                let c = b.primary_content()?;
                let ty = match c.carrier() {
                    Carrier::Text => quote!(str),
                    Carrier::Bytes => quote!([u8]),
                    _ => carrier_ty(api, c, paths),
                };
                (ty, encode_request(api, c, rt))
            }
        };
        Some(if b.required {
            args.push(quote!(body: &#ty));
            send
        } else {
            args.push(quote!(body: Option<&#ty>));
            quote! { if let Some(body) = body { #send } }
        })
    });
    // Status dispatch: codes, then ranges, then default.
    let mut arms = Vec::new();
    let mut ordered: Vec<&crate::model::Response> = op
        .responses
        .iter()
        .filter(|r| matches!(r.status, Status::Code(_)))
        .collect();
    ordered.extend(
        op.responses
            .iter()
            .filter(|r| matches!(r.status, Status::Range(_))),
    );
    ordered.extend(
        op.responses
            .iter()
            .filter(|r| matches!(r.status, Status::Default)),
    );
    for r in ordered {
        let vi = ident(&r.variant);
        let pat = match r.status {
            Status::Code(c) => {
                let c = Literal::u16_unsuffixed(c);
                quote!(#c)
            }
            Status::Range(x) => {
                let lo = Literal::u16_unsuffixed(x * 100);
                let hi = Literal::u16_unsuffixed(x * 100 + 99);
                quote!(#lo..=#hi)
            }
            Status::Default => quote!(_),
        };
        let decode = match (&r.choice_type, r.primary_content(), body_ty(api, r, paths)) {
            (Some(choice), _, _) => {
                let choice = ident(choice);
                let mut chain = TokenStream::new();
                for c in &r.contents {
                    let vi = ident(&c.variant);
                    let mt = &c.media_type;
                    let d = decode_response(api, c, rt);
                    chain.extend(quote!(if #rt::wire::media_matches(content_type, #mt) { operations::#choice::#vi(#d) } else));
                }
                let first = &r.contents[0];
                let vi = ident(&first.variant);
                let d = decode_response(api, first, rt);
                Some(quote!({
                    let content_type = headers.get(::reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
                    #chain { operations::#choice::#vi(#d) }
                }))
            }
            (None, Some(c), Some(_)) => Some(decode_response(api, c, rt)),
            _ => None,
        };
        if let Some(hty) = &r.headers_type {
            // Headers first: an error about them still has the body to give back.
            let hty = ident(hty);
            let fields = r.headers.iter().map(|h| {
                let fi = ident(&h.ident);
                let name = &h.name;
                let form = runtime_form(api, h);
                if h.required {
                    quote!(#fi: required_header(&headers, #name, #form, status, &mut body)?,)
                } else {
                    quote!(#fi: header(&headers, #name, #form, status, &mut body)?,)
                }
            });
            let status_field = carries_status(r).then(|| quote!(status,));
            let body_field = decode.map(|d| quote!(body: #d,));
            let unused_body = body_field.is_none().then(|| quote!(let _ = body;));
            arms.push(quote! {
                #pat => {
                    let mut body = body;
                    // `headers` stays the header map: decoding the body may read it.
                    let declared = operations::#hty { #(#fields)* };
                    #unused_body
                    Ok(operations::#resp_ty::#vi { #status_field #body_field headers: declared })
                }
            });
            continue;
        }
        let value = match (carries_status(r), decode) {
            (false, Some(d)) => quote!(operations::#resp_ty::#vi(#d)),
            (false, None) => quote!({ let _ = body; operations::#resp_ty::#vi }),
            (true, Some(d)) => quote!(operations::#resp_ty::#vi { status, body: #d }),
            (true, None) => quote!({ let _ = body; operations::#resp_ty::#vi { status } }),
        };
        arms.push(quote!(#pat => Ok(#value),));
    }
    if !op.responses.iter().any(|r| r.status == Status::Default) {
        arms.push(quote!(_ => Err(Error::UnexpectedStatus { status, body }),));
    }
    let cookies_mut = if op.params.iter().any(|p| p.location == ParamIn::Cookie)
        || !op.security.alternatives.is_empty()
    {
        quote!(let mut cookies: Vec<String> = Vec::new();)
    } else {
        quote!(let cookies: Vec<String> = Vec::new();)
    };
    // Only a `default` response: the status match has one arm.
    let single_arm = (op.responses.len() == 1 && op.responses[0].status == Status::Default)
        .then(|| quote!(#[allow(clippy::match_single_binding)]));
    let decoder_doc = format!(" Decodes a response of `{}`.", op.id);
    (
        quote! {
            #docs
            #[inline]
            pub fn #fname(&self, #(#args),*) -> Pending<operations::#resp_ty> {
                let url = format!(#full_fmt, self.base_url, #(#fmt_args),*);
                #[allow(unused_mut)]
                let mut req = self.http.request(::reqwest::Method::#method_ident, url);
                #cookies_mut
                #(#steps)*
                #auth
                #body_step
                self.send(req, cookies, #decoder)
            }
        },
        quote! {
            #[doc = #decoder_doc]
            #single_arm
            #[allow(unused_variables)]
            #[inline]
            fn #decoder(status: u16, headers: ::reqwest::header::HeaderMap, body: Vec<u8>) -> Result<operations::#resp_ty, Error> {
                match status {
                    #(#arms)*
                }
            }
        },
    )
}

/// Statements that set the request body from `body`, a reference to the
/// carrier of `c`, encoded as `c`'s media type.
fn encode_request(api: &Api, c: &Content, rt: &TokenStream) -> TokenStream {
    let _ = api;
    let mt = &c.media_type;
    match c.kind {
        MediaKind::Json => quote! {
            let encoded = match ::serde_json::to_vec(body) {
                Ok(encoded) => encoded,
                Err(e) => return Pending::failed(Error::Encode(e)),
            };
            req = req.header(::reqwest::header::CONTENT_TYPE, #mt).body(encoded);
        },
        MediaKind::Form => {
            let encodings = form_encodings(c, rt);
            quote! {
                let value = match #rt::to_json(body) {
                    Ok(value) => value,
                    Err(e) => return Pending::failed(Error::Encode(e)),
                };
                let text = #rt::wire::join_pairs(&#rt::wire::form_pairs(&value, #encodings));
                req = req.header(::reqwest::header::CONTENT_TYPE, #mt).body(text);
            }
        }
        MediaKind::Multipart => {
            let types = multipart_types(c);
            quote! {
                let parts = match #rt::multipart::encode(body, #types) {
                    Ok(parts) => parts,
                    Err(e) => return Pending::failed(Error::Encode(e)),
                };
                let (content_type, bytes) = #rt::multipart::to_body(&parts, #mt);
                req = req.header(::reqwest::header::CONTENT_TYPE, content_type).body(bytes);
            }
        }
        MediaKind::Text => quote! {
            req = req.header(::reqwest::header::CONTENT_TYPE, #mt).body(body.to_string());
        },
        MediaKind::Binary => quote! {
            req = req.header(::reqwest::header::CONTENT_TYPE, #mt).body(body.to_vec());
        },
    }
}

/// The expression that decodes `body` (the response bytes) as `c`'s carrier.
fn decode_response(api: &Api, c: &Content, rt: &TokenStream) -> TokenStream {
    match c.kind {
        MediaKind::Json => quote!(decode(status, body)?),
        MediaKind::Form => {
            let fields = form_fields(api, c, rt);
            quote!(decode_form(status, body, #fields)?)
        }
        MediaKind::Multipart => {
            let fields = multipart_fields(api, c, rt);
            quote!(decode_multipart(status, &headers, body, #fields)?)
        }
        MediaKind::Text => quote!(decode_text(status, body)?),
        MediaKind::Binary => quote!(body),
    }
}
