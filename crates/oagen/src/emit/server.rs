//! Emits the `server` module: a trait with one async method per operation, a
//! function that builds an `axum::Router` from an implementation, request
//! authentication and validation, and typed responses.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::operations::{
    carrier_ty, carries_status, form_encodings, form_fields, multipart_fields, multipart_types,
    request_body_ty, wire_kind,
};
use super::rust::{ident, resolve_alias, value_ty, Paths};
use crate::model::features::Part;
use crate::model::{
    Api, Carrier, Constraints, Content, MediaKind, Operation, ParamIn, Response, SchemeKind, Shape,
    Status, Ty, TypeKind,
};

fn paths() -> Paths {
    Paths {
        models: quote!(super::models::),
        runtime: quote!(super::runtime),
    }
}

/// Which kind of rejection a default response is chosen for.
#[derive(Clone, Copy)]
enum RejectKind {
    Auth,
    Request,
}

/// The declared response a rejection is answered with by default, and its status.
fn rejection_response(op: &Operation, kind: RejectKind) -> Option<(&Response, u16)> {
    let preferred: &[u16] = match kind {
        RejectKind::Auth => &[401, 403],
        RejectKind::Request => &[400, 422],
    };
    let fallback = match kind {
        RejectKind::Auth => 401,
        RejectKind::Request => 400,
    };
    for code in preferred {
        if let Some(r) = op
            .responses
            .iter()
            .find(|r| r.status == Status::Code(*code))
        {
            return Some((r, *code));
        }
    }
    if let Some(r) = op.responses.iter().find(|r| r.status == Status::Range(4)) {
        return Some((r, fallback));
    }
    if let Some(r) = op.responses.iter().find(|r| r.status == Status::Default) {
        return Some((r, fallback));
    }
    let mut others: Vec<&Response> = op
        .responses
        .iter()
        .filter(|r| matches!(r.status, Status::Code(c) if (400..500).contains(&c)))
        .collect();
    others.sort_by_key(|r| r.status);
    others.first().map(|r| (*r, r.concrete_status(fallback)))
}

/// A small JSON value that fits `shape`, with [`MESSAGE`] where text goes.
fn sample(api: &Api, shape: &Shape, status: u16, field: Option<&str>, depth: usize) -> Value {
    const MESSAGE: &str = "{oagen:message}";
    if depth > 16 {
        return Value::Null;
    }
    let c = &shape.constraints;
    match &shape.ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => {
                let mut merged = inner.clone();
                if !c.is_empty() {
                    merged.constraints = c.clone();
                }
                sample(api, &merged, status, field, depth + 1)
            }
            TypeKind::Enum(e) => e
                .variants
                .first()
                .map(|v| v.value.clone())
                .unwrap_or(Value::Null),
            TypeKind::Union(u) => {
                let Some(first) = u.variants.first() else {
                    return Value::Null;
                };
                let mut v = sample(api, &first.shape, status, field, depth + 1);
                if let (Some(d), Value::Object(m)) = (&u.discriminator, &mut v) {
                    if let Some((tag, _)) = d.mapping.iter().find(|(_, i)| *i == 0) {
                        m.insert(d.property.clone(), Value::String(tag.clone()));
                    }
                }
                v
            }
            TypeKind::Struct(s) => {
                let mut m = serde_json::Map::new();
                for f in &s.fields {
                    let lower = f.name.to_ascii_lowercase();
                    let is_text = matches!(resolve_alias(api, &f.shape).ty, Ty::String);
                    let is_int = matches!(resolve_alias(api, &f.shape).ty, Ty::Integer(_));
                    if f.required {
                        let v = if f.shape.nullable {
                            Value::Null
                        } else {
                            sample(api, &f.shape, status, Some(&f.name), depth + 1)
                        };
                        m.insert(f.name.clone(), v);
                    } else if is_text
                        && matches!(
                            lower.as_str(),
                            "message" | "detail" | "error" | "title" | "msg" | "description"
                        )
                    {
                        m.insert(f.name.clone(), Value::String(MESSAGE.into()));
                    } else if is_int && lower == "status" {
                        m.insert(f.name.clone(), Value::from(status));
                    }
                }
                Value::Object(m)
            }
        },
        Ty::String => {
            let _ = field;
            Value::String(MESSAGE.into())
        }
        Ty::DateTime => Value::String("1970-01-01T00:00:00Z".into()),
        Ty::Date => Value::String("1970-01-01".into()),
        Ty::Uuid => Value::String("00000000-0000-0000-0000-000000000000".into()),
        Ty::Binary => Value::String(String::new()),
        Ty::Integer(_) => {
            let lo = c
                .minimum
                .map(|m| {
                    if c.exclusive_minimum {
                        m.floor() + 1.0
                    } else {
                        m.ceil()
                    }
                })
                .unwrap_or(0.0);
            let v = if field.is_some_and(|f| f.eq_ignore_ascii_case("status")) {
                status as f64
            } else {
                lo.max(if c.minimum.is_some() { lo } else { 0.0 })
            };
            Value::from(v as i64)
        }
        Ty::Number(_) => {
            let lo = c
                .minimum
                .map(|m| if c.exclusive_minimum { m + 1.0 } else { m })
                .unwrap_or(0.0);
            serde_json::Number::from_f64(lo)
                .map(Value::Number)
                .unwrap_or(Value::from(0))
        }
        Ty::Boolean => Value::Bool(false),
        Ty::Any => Value::String(MESSAGE.into()),
        Ty::Null => Value::Null,
        Ty::Array(item) => {
            let n = c.min_items.unwrap_or(0).min(4);
            Value::Array(
                (0..n)
                    .map(|_| sample(api, item, status, None, depth + 1))
                    .collect(),
            )
        }
        Ty::Map(_) => Value::Object(serde_json::Map::new()),
    }
}

/// The expression that builds an operation's response for a rejection by default.
fn default_rejection(
    api: &Api,
    op: &Operation,
    kind: RejectKind,
    paths: &Paths,
    samples: &Samples,
) -> TokenStream {
    let resp_ty = ident(&op.response_type);
    let Some((r, status)) = rejection_response(op, kind) else {
        return quote!(None);
    };
    let vi = ident(&r.variant);
    let content = r.primary_content();
    let ty = content.map(|c| carrier_ty(api, c, paths));
    let body = match (content, ty) {
        (Some(c), Some(ty)) => Some(match (&c.kind, &c.shape) {
            (MediaKind::Json | MediaKind::Form | MediaKind::Multipart, Some(shape)) => {
                let _ = ty;
                let index = samples.index(sample(api, shape, status, None, 0).to_string());
                quote!(sample(SAMPLES[#index], message)?)
            }
            (MediaKind::Json | MediaKind::Form | MediaKind::Multipart, None) => {
                quote!(::serde_json::Value::String(message.to_string()))
            }
            (MediaKind::Text, _) => quote!(message.to_string()),
            (MediaKind::Binary, _) => quote!(message.as_bytes().to_vec()),
        }),
        _ => None,
    };
    // A body with several media types of different types: the variant of the one chosen.
    let body = match (&r.choice_type, content, body) {
        (Some(choice), Some(c), Some(b)) => {
            let choice = ident(choice);
            let cv = ident(&c.variant);
            Some(quote!(operations::#choice::#cv(#b)))
        }
        (_, _, body) => body,
    };
    if let Some(hty) = &r.headers_type {
        // Required headers get a sample value too (text is "rejected"); optional ones none.
        let hty = ident(hty);
        let fields = r.headers.iter().map(|h| {
            let fi = ident(&h.ident);
            if !h.required {
                return quote!(#fi: None,);
            }
            let ty = value_ty(api, &h.shape, paths);
            let mut value = sample(api, &h.shape, status, None, 0);
            fill_placeholder(&mut value, "rejected");
            let json = value.to_string();
            quote! {
                #fi: match ::serde_json::from_str::<#ty>(#json) {
                    Ok(v) => v,
                    Err(_) => return None,
                },
            }
        });
        let status_field = carries_status(r).then(|| quote!(status: #status,));
        let body_field = body.map(|b| quote!(body: #b,));
        return quote!(Some(operations::#resp_ty::#vi { #status_field #body_field headers: operations::#hty { #(#fields)* } }));
    }
    let value = match (carries_status(r), body) {
        (false, Some(b)) => quote!(operations::#resp_ty::#vi(#b)),
        (false, None) => quote!(operations::#resp_ty::#vi),
        (true, Some(b)) => quote!(operations::#resp_ty::#vi { status: #status, body: #b }),
        (true, None) => quote!(operations::#resp_ty::#vi { status: #status }),
    };
    quote!(Some(#value))
}

/// The sample bodies of default rejections, each once, in first-use order.
#[derive(Default)]
struct Samples(std::cell::RefCell<Vec<String>>);

impl Samples {
    fn index(&self, template: String) -> usize {
        let mut all = self.0.borrow_mut();
        match all.iter().position(|t| *t == template) {
            Some(i) => i,
            None => {
                all.push(template);
                all.len() - 1
            }
        }
    }
}

/// Replaces the text placeholder of [`sample`] with `text`.
fn fill_placeholder(value: &mut Value, text: &str) {
    match value {
        Value::String(s) if s == "{oagen:message}" => *s = text.to_string(),
        Value::Array(items) => items.iter_mut().for_each(|v| fill_placeholder(v, text)),
        Value::Object(m) => m.values_mut().for_each(|v| fill_placeholder(v, text)),
        _ => {}
    }
}

/// The module's items.
pub fn emit(api: &Api, part: Part) -> super::rust::Module<'_> {
    let paths = paths();
    if part.is_some() {
        // A tag's handlers; the trait, the router and the helpers are the module's.
        let checker = Checker::new(api);
        let scheme_variants = super::operations::scheme_variants(api);
        let handlers = api
            .operations
            .iter()
            .enumerate()
            .filter(move |(index, _)| api.gates.op_home(*index) == part)
            .map(move |(_, op)| handler(api, op, &paths, &scheme_variants, &checker, part));
        return super::rust::Module::new(TokenStream::new(), handlers);
    }
    let samples = Samples::default();
    let scheme_variants = super::operations::scheme_variants(api);
    let scheme_docs = api
        .security_schemes
        .iter()
        .zip(&scheme_variants)
        .map(|(s, v)| {
            let doc = format!(" `{}`", s.key);
            quote!(#[doc = #doc] #v,)
        });
    let scheme_enum = quote! {
        /// The security schemes of the spec.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Scheme {
            #(#scheme_docs)*
        }
    };
    let extract_arms = api
        .security_schemes
        .iter()
        .zip(&scheme_variants)
        .map(|(s, v)| {
            let body = match &s.kind {
                SchemeKind::Bearer { .. }
                | SchemeKind::OAuth2
                | SchemeKind::OpenIdConnect { .. } => quote!(authorization_param(parts, "bearer")),
                SchemeKind::Basic => {
                    quote!(authorization_param(parts, "basic").and_then(|b| decode_basic(&b)))
                }
                SchemeKind::Http { scheme } => {
                    let scheme = scheme.to_ascii_lowercase();
                    quote!(authorization_param(parts, #scheme))
                }
                SchemeKind::ApiKey { name, location } => match location {
                    ParamIn::Header => quote!(header_value(parts, #name)),
                    ParamIn::Query => quote!(query_value(parts, #name)),
                    ParamIn::Cookie => quote!(cookie_value(parts, #name)),
                    ParamIn::Path => quote!(None),
                },
            };
            quote!(Scheme::#v => #body,)
        });
    let extract_fn = if scheme_variants.is_empty() {
        quote! {
            #[allow(dead_code)]
            fn extract(scheme: Scheme, _parts: &::axum::http::request::Parts) -> Option<String> {
                match scheme {}
            }
        }
    } else {
        quote! {
            #[allow(dead_code)]
            fn extract(scheme: Scheme, parts: &::axum::http::request::Parts) -> Option<String> {
                match scheme {
                    #(#extract_arms)*
                }
            }
        }
    };

    let trait_methods = api
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| {
            super::rust::gate(
                trait_method(api, op, &paths, &samples),
                super::rust::op_cfg(api, index).as_ref(),
            )
        })
        .collect::<Vec<_>>();
    let sample_list = samples.0.borrow().clone();
    let samples_item = if sample_list.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            /// Bodies of the responses that rejections are answered with by default
            /// (`{oagen:message}` is replaced by the reason).
            const SAMPLES: &[&str] = &[#(#sample_list),*];

            /// A default rejection body: a sample with the reason filled in.
            fn sample<T: ::serde::de::DeserializeOwned>(template: &str, message: &str) -> Option<T> {
                let mut value: ::serde_json::Value = ::serde_json::from_str(template).ok()?;
                super::runtime::fill_message(&mut value, message);
                super::runtime::object::decode(value).ok()
            }
        }
    };
    let checker = Checker::new(api);

    let routes = route_table(api);
    let respond_with = super::operations::has_response_headers(api).then(|| {
        quote! {
            /// A response with its declared headers (`None`: not sent). A header that
            /// cannot be sent (a value with a line break or another control character)
            /// makes the answer a 500 that names it, never a panic.
            fn respond_with(
                status: u16,
                content_type: &str,
                body: Result<Vec<u8>, ::serde_json::Error>,
                headers: impl IntoIterator<Item = (&'static str, Option<Result<String, String>>)>,
            ) -> ::axum::response::Response {
                if body.is_err() {
                    return respond(status, content_type, body);
                }
                let mut values = Vec::new();
                for (name, value) in headers {
                    let Some(value) = value else { continue };
                    let checked = value.and_then(|text| {
                        let key = ::axum::http::HeaderName::from_bytes(name.as_bytes())
                            .map_err(|_| "it is not a valid header name".to_string())?;
                        let value = ::axum::http::HeaderValue::from_bytes(text.as_bytes())
                            .map_err(|_| "its value holds a line break or another character a header cannot carry".to_string())?;
                        Ok((key, value))
                    });
                    match checked {
                        Ok(pair) => values.push(pair),
                        Err(message) => {
                            return plain(
                                ::axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                                &format!("cannot send the response header `{name}`: {message}"),
                            )
                        }
                    }
                }
                let mut resp = respond(status, content_type, body);
                for (key, value) in values {
                    resp.headers_mut().insert(key, value);
                }
                resp
            }
        }
    });

    let head = quote! {
        use super::operations;
        #[allow(unused_imports)]
        use super::runtime::wire::{Kind, Style};
        use ::std::future::Future;
        use ::std::sync::Arc;

        #scheme_enum

        /// A credential that [`Api::verify`] accepted.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Credential {
            /// The scheme it was sent with.
            pub scheme: Scheme,
            /// The credential: the token or key as sent; for HTTP Basic, `user:password`.
            pub value: String,
        }

        /// The credentials a request was authenticated with: every scheme of the
        /// requirement that matched, or none for anonymous access.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct Auth {
            /// The verified credentials.
            pub credentials: Vec<Credential>,
        }

        impl Auth {
            /// The credential sent with `scheme`, if that scheme matched.
            pub fn get(&self, scheme: Scheme) -> Option<&str> {
                self.credentials.iter().find(|c| c.scheme == scheme).map(|c| c.value.as_str())
            }
        }

        /// Why a request was rejected before reaching the implementation.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Rejection {
            /// No credential for any of the operation's security requirements.
            MissingCredentials,
            /// Credentials were sent but [`Api::verify`] refused them.
            InvalidCredentials,
            /// A parameter is missing or does not parse.
            InvalidParameter {
                /// Its name.
                name: String,
                /// What is wrong.
                message: String,
            },
            /// The body is missing, of the wrong media type, or not valid JSON for its type.
            MalformedBody(String),
            /// The body decoded but breaks the schema's constraints.
            InvalidBody(Vec<Violation>),
        }

        impl Rejection {
            /// Whether this is an authentication failure (rather than a bad request).
            pub fn is_auth(&self) -> bool {
                matches!(self, Self::MissingCredentials | Self::InvalidCredentials)
            }
        }

        impl ::std::fmt::Display for Rejection {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::MissingCredentials => f.write_str("missing credentials"),
                    Self::InvalidCredentials => f.write_str("invalid credentials"),
                    Self::InvalidParameter { name, message } => write!(f, "invalid parameter `{name}`: {message}"),
                    Self::MalformedBody(m) => write!(f, "malformed body: {m}"),
                    Self::InvalidBody(v) => {
                        f.write_str("invalid body:")?;
                        for x in v {
                            write!(f, " {}: {};", if x.at.is_empty() { "/" } else { &x.at }, x.message)?;
                        }
                        Ok(())
                    }
                }
            }
        }

        pub use super::validate::{Validate, Violation};

        /// The API, to be implemented by the server: one method per operation.
        /// Requests reach a method only after authentication and validation.
        ///
        /// An operation's method takes `self: Arc<Self>`, so its future owns the
        /// server (it is `'static`: a method may spawn tasks that use `self`),
        /// and the trait has no generic associated types, which with thousands
        /// of operations made the trait's well-formedness check quadratic.
        pub trait Api: Send + Sync + 'static {
            /// Whether `credential` is acceptable. Called for each credential a
            /// security requirement needs; a request passes when every credential of
            /// one of its operation's requirements is accepted.
            fn verify(&self, credential: &Credential) -> impl Future<Output = bool> + Send;

            #(#trait_methods)*
        }

        /// The largest request body accepted, in bytes.
        pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

        #samples_item

        /// A router serving every operation of the API at its path (with the
        /// server's base path), backed by `api`.
        pub fn router<A: Api>(api: Arc<A>) -> ::axum::Router {
            #routes
            router.fallback(not_found).with_state(api)
        }

        async fn not_found() -> ::axum::response::Response {
            plain(::axum::http::StatusCode::NOT_FOUND, "no such operation")
        }

        fn plain(status: ::axum::http::StatusCode, message: &str) -> ::axum::response::Response {
            let mut resp = ::axum::response::Response::new(::axum::body::Body::from(message.to_string()));
            *resp.status_mut() = status;
            resp.headers_mut().insert(::axum::http::header::CONTENT_TYPE, ::axum::http::HeaderValue::from_static("text/plain; charset=utf-8"));
            resp
        }

        fn respond(status: u16, content_type: &str, body: Result<Vec<u8>, ::serde_json::Error>) -> ::axum::response::Response {
            let status = ::axum::http::StatusCode::from_u16(status).unwrap_or(::axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            match body {
                Ok(bytes) => {
                    let mut resp = ::axum::response::Response::new(::axum::body::Body::from(bytes));
                    *resp.status_mut() = status;
                    // The media type comes from the spec: an invalid one is left out, never a panic.
                    if let Ok(value) = ::axum::http::HeaderValue::from_str(content_type) {
                        if !content_type.is_empty() {
                            resp.headers_mut().insert(::axum::http::header::CONTENT_TYPE, value);
                        }
                    }
                    resp
                }
                Err(_) => plain(::axum::http::StatusCode::INTERNAL_SERVER_ERROR, "cannot encode the response"),
            }
        }

        #respond_with

        /// Answers a rejection that has no declared response to go in.
        fn undeclared_rejection(rejection: &Rejection) -> ::axum::response::Response {
            let status = if rejection.is_auth() { ::axum::http::StatusCode::UNAUTHORIZED } else { ::axum::http::StatusCode::BAD_REQUEST };
            plain(status, &rejection.to_string())
        }

        #extract_fn

        #[allow(dead_code)]
        fn header_value(parts: &::axum::http::request::Parts, name: &str) -> Option<String> {
            parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
        }

        #[allow(dead_code)]
        fn authorization_param(parts: &::axum::http::request::Parts, scheme: &str) -> Option<String> {
            let value = header_value(parts, "authorization")?;
            let (name, rest) = value.split_once(' ')?;
            if name.eq_ignore_ascii_case(scheme) && !rest.trim().is_empty() {
                Some(rest.trim().to_string())
            } else {
                None
            }
        }

        #[allow(dead_code)]
        fn query_value(parts: &::axum::http::request::Parts, name: &str) -> Option<String> {
            let query = super::runtime::wire::split_pairs(parts.uri.query().unwrap_or(""));
            query.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
        }

        /// The request's cookies, in order.
        #[allow(dead_code)]
        fn cookie_pairs(parts: &::axum::http::request::Parts) -> Vec<(String, String)> {
            parts
                .headers
                .get_all(::axum::http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        }

        #[allow(dead_code)]
        fn cookie_value(parts: &::axum::http::request::Parts, name: &str) -> Option<String> {
            cookie_pairs(parts).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
        }

        #[allow(dead_code)]
        fn decode_basic(encoded: &str) -> Option<String> {
            let mut bits: u32 = 0;
            let mut n = 0;
            let mut out = Vec::new();
            for c in encoded.trim_end_matches('=').bytes() {
                let v = match c {
                    b'A'..=b'Z' => c - b'A',
                    b'a'..=b'z' => c - b'a' + 26,
                    b'0'..=b'9' => c - b'0' + 52,
                    b'+' | b'-' => 62,
                    b'/' | b'_' => 63,
                    _ => return None,
                };
                bits = (bits << 6) | u32::from(v);
                n += 6;
                if n >= 8 {
                    n -= 8;
                    out.push((bits >> n) as u8);
                    bits &= (1 << n) - 1;
                }
            }
            String::from_utf8(out).ok().filter(|s| s.contains(':'))
        }

        /// Authenticates a request against its operation's alternatives.
        #[allow(dead_code)]
        async fn authenticate<A: Api>(api: &A, parts: &::axum::http::request::Parts, alternatives: &[&[Scheme]]) -> Result<Auth, Rejection> {
            if alternatives.is_empty() {
                return Ok(Auth::default());
            }
            let mut sent_any = false;
            for alt in alternatives.iter().filter(|a| !a.is_empty()) {
                let mut creds = Vec::new();
                let mut complete = true;
                for scheme in alt.iter() {
                    match extract(*scheme, parts) {
                        Some(value) => {
                            sent_any = true;
                            creds.push(Credential { scheme: *scheme, value });
                        }
                        None => complete = false,
                    }
                }
                if !complete {
                    continue;
                }
                let mut ok = true;
                for c in &creds {
                    if !api.verify(c).await {
                        ok = false;
                        break;
                    }
                }
                if ok {
                    return Ok(Auth { credentials: creds });
                }
            }
            if alternatives.iter().any(|a| a.is_empty()) {
                return Ok(Auth::default());
            }
            Err(if sent_any { Rejection::InvalidCredentials } else { Rejection::MissingCredentials })
        }

        /// Serves one request of an operation: authenticates it, reads its body
        /// when the operation takes one, decodes and checks its input with
        /// `input`, hands that to the implementation with `call` and encodes
        /// the response with `respond`. A rejection is answered with `reject`.
        ///
        /// This is the one generic async function of the router: an
        /// operation's handler only names its parts, so the work common to
        /// every operation is type-checked once, not once per operation.
        #[allow(dead_code, clippy::too_many_arguments)]
        async fn serve<A: Api, I, O, F: Future<Output = O>>(
            api: Arc<A>,
            request: ::axum::extract::Request,
            alternatives: &'static [&'static [Scheme]],
            reads_body: bool,
            input: fn(&::axum::http::request::Parts, &[u8]) -> Result<I, Rejection>,
            call: fn(Arc<A>, Auth, I) -> F,
            reject: fn(&A, &Rejection) -> Option<O>,
            respond: fn(O) -> ::axum::response::Response,
        ) -> ::axum::response::Response {
            let refuse = |api: &A, rejection: Rejection| match reject(api, &rejection) {
                Some(response) => respond(response),
                None => undeclared_rejection(&rejection),
            };
            let (parts, body) = request.into_parts();
            let auth = match authenticate(&*api, &parts, alternatives).await {
                Ok(auth) => auth,
                Err(rejection) => return refuse(&api, rejection),
            };
            let bytes = if reads_body {
                match ::axum::body::to_bytes(body, BODY_LIMIT).await {
                    Ok(bytes) => bytes,
                    Err(e) => return refuse(&api, Rejection::MalformedBody(format!("cannot read the body: {e}"))),
                }
            } else {
                drop(body);
                ::axum::body::Bytes::new()
            };
            let decoded = input(&parts, &bytes);
            drop((parts, bytes));
            match decoded {
                Ok(input) => respond(call(api, auth, input).await),
                Err(rejection) => refuse(&api, rejection),
            }
        }

        /// The input of an operation with neither parameters nor a body.
        #[allow(dead_code, clippy::unnecessary_wraps)]
        fn no_input(_: &::axum::http::request::Parts, _: &[u8]) -> Result<(), Rejection> {
            Ok(())
        }

        /// Where a parameter is.
        #[allow(dead_code)]
        #[derive(Clone, Copy)]
        enum In {
            Path,
            Query,
            Header,
            Cookie,
        }

        /// The parameters of a request, as text.
        #[allow(dead_code)]
        struct Incoming<'a> {
            parts: &'a ::axum::http::request::Parts,
            template: &'static str,
            query: Vec<(String, String)>,
            query_names: &'a [&'a str],
            cookies: Vec<(String, String)>,
            cookie_names: &'a [&'a str],
        }

        #[allow(dead_code)]
        impl<'a> Incoming<'a> {
            fn new(
                parts: &'a ::axum::http::request::Parts,
                template: &'static str,
                query_names: &'a [&'a str],
                cookie_names: &'a [&'a str],
            ) -> Self {
                let query = if query_names.is_empty() {
                    Vec::new()
                } else {
                    super::runtime::wire::split_pairs(parts.uri.query().unwrap_or(""))
                };
                let cookies = if cookie_names.is_empty() { Vec::new() } else { cookie_pairs(parts) };
                Incoming { parts, template, query, query_names, cookies, cookie_names }
            }

            /// Parameter `name`, None when it is absent.
            fn optional<T: ::serde::de::DeserializeOwned>(
                &self,
                location: In,
                name: &str,
                style: Style,
                explode: bool,
                kind: Kind,
            ) -> Result<Option<T>, Rejection> {
                let raw = match location {
                    In::Path => super::runtime::wire::path_segment(self.template, self.parts.uri.path(), name)
                        .and_then(|raw| super::runtime::wire::parse_path(raw, name, style, explode, kind)),
                    In::Query => super::runtime::wire::parse_query(&self.query, name, style, explode, kind, self.query_names),
                    In::Header => header_value(self.parts, name).map(|text| super::runtime::wire::parse_header(&text, explode, kind)),
                    In::Cookie => super::runtime::wire::parse_cookie(&self.cookies, name, explode, kind, self.cookie_names),
                };
                match raw {
                    None => Ok(None),
                    Some(value) => super::runtime::wire::from_text(value)
                        .map(Some)
                        .map_err(|message| Rejection::InvalidParameter { name: name.to_string(), message }),
                }
            }

            /// Parameter `name`, which must be present.
            fn required<T: ::serde::de::DeserializeOwned>(
                &self,
                location: In,
                name: &str,
                style: Style,
                explode: bool,
                kind: Kind,
            ) -> Result<T, Rejection> {
                self.optional(location, name, style, explode, kind)?.ok_or_else(|| {
                    Rejection::InvalidParameter { name: name.to_string(), message: "required".to_string() }
                })
            }
        }

        /// Decodes a JSON body and checks it against its schema.
        ///
        /// `check` looks at the JSON as sent for what decoding cannot see (a `null`
        /// sent for an optional property that is not nullable decodes as absent).
        #[allow(dead_code)]
        fn decode_json<T: ::serde::de::DeserializeOwned + Validate>(
            bytes: &[u8],
            check: Option<fn(&::serde_json::Value, &mut Vec<Violation>)>,
        ) -> Result<T, Rejection> {
            let value: T = ::serde_json::from_slice(bytes).map_err(|e| Rejection::MalformedBody(e.to_string()))?;
            let mut violations = Vec::new();
            if let Some(check) = check {
                if let Ok(raw) = ::serde_json::from_slice::<::serde_json::Value>(bytes) {
                    check(&raw, &mut violations);
                }
            }
            checked(value, violations)
        }

        fn checked<T: Validate>(value: T, mut violations: Vec<Violation>) -> Result<T, Rejection> {
            value.validate("", &mut violations);
            if violations.is_empty() {
                Ok(value)
            } else {
                Err(Rejection::InvalidBody(violations))
            }
        }

        /// Decodes an `application/x-www-form-urlencoded` body and checks it.
        #[allow(dead_code)]
        fn decode_form<T: ::serde::de::DeserializeOwned + Validate>(
            bytes: &[u8],
            fields: &[(&str, super::runtime::wire::Style, bool, super::runtime::wire::Kind)],
        ) -> Result<T, Rejection> {
            let text = std::str::from_utf8(bytes).map_err(|_| Rejection::MalformedBody("the body is not UTF-8".into()))?;
            let value = super::runtime::wire::parse_form(&super::runtime::wire::split_pairs(text), fields);
            let value: T = super::runtime::wire::from_text(value).map_err(Rejection::MalformedBody)?;
            checked(value, Vec::new())
        }

        /// Decodes a multipart body and checks it.
        #[allow(dead_code)]
        fn decode_multipart<T: ::serde::de::DeserializeOwned + Validate>(
            content_type: Option<&str>,
            bytes: &[u8],
            fields: &[(&str, super::runtime::multipart::Field)],
        ) -> Result<T, Rejection> {
            let parts = super::runtime::multipart::from_body(content_type.unwrap_or(""), bytes).map_err(Rejection::MalformedBody)?;
            let value: T = super::runtime::multipart::decode(parts, fields).map_err(Rejection::MalformedBody)?;
            checked(value, Vec::new())
        }

        /// A binary body.
        #[allow(dead_code, clippy::unnecessary_wraps)]
        fn decode_bytes(bytes: &[u8]) -> Result<Vec<u8>, Rejection> {
            Ok(bytes.to_vec())
        }

        /// Decodes a text body.
        #[allow(dead_code)]
        fn decode_text(bytes: &[u8]) -> Result<String, Rejection> {
            String::from_utf8(bytes.to_vec()).map_err(|_| Rejection::MalformedBody("the body is not UTF-8".into()))
        }
    };
    let handlers = api
        .operations
        .iter()
        .enumerate()
        .filter(move |(index, _)| api.gates.op_home(*index).is_none())
        .map(move |(index, op)| {
            super::rust::gate(
                handler(api, op, &paths, &scheme_variants, &checker, None),
                super::rust::op_cfg(api, index).as_ref(),
            )
        });
    super::rust::Module::new(head, handlers)
}

fn trait_method(api: &Api, op: &Operation, paths: &Paths, samples: &Samples) -> TokenStream {
    let fname = ident(&op.fn_name);
    let resp_ty = ident(&op.response_type);
    let docs = super::operations::operation_docs(op);
    let mut args = vec![quote!(auth: Auth)];
    if !op.params.is_empty() {
        let pty = ident(&op.params_type);
        args.push(quote!(params: operations::#pty));
    }
    if let Some((b, ty)) = op
        .body
        .as_ref()
        .and_then(|b| request_body_ty(api, b, paths).map(|ty| (b, ty)))
    {
        args.push(if b.required {
            quote!(body: #ty)
        } else {
            quote!(body: Option<#ty>)
        });
    }
    let reject_name = format_ident!("reject_{}", crate::model::naming::bare(&op.fn_name));
    let reject_doc = format!(
        " How a rejected `{}` request is answered. The default answers with a declared \
         response: for authentication failures 401, 403, 4XX or `default` (the first declared), \
         for bad requests 400, 422, 4XX or `default`; `None` sends an undeclared 401 or 400.",
        op.id
    );
    let auth_default = default_rejection(api, op, RejectKind::Auth, paths, samples);
    let request_default = default_rejection(api, op, RejectKind::Request, paths, samples);
    let choose = if auth_default.to_string() == request_default.to_string() {
        auth_default
    } else {
        quote! {
            if rejection.is_auth() {
                #auth_default
            } else {
                #request_default
            }
        }
    };
    quote! {
        #docs
        fn #fname(self: Arc<Self>, #(#args),*) -> impl Future<Output = operations::#resp_ty> + Send;

        #[doc = #reject_doc]
        fn #reject_name(&self, rejection: &Rejection) -> Option<operations::#resp_ty> {
            let message = &rejection.to_string();
            let _ = message;
            #choose
        }
    }
}

/// The statements that build the router's routes into `router`. Under
/// per-tag features, each route and each method on it is added only when its
/// operation is compiled.
fn route_table(api: &Api) -> TokenStream {
    // Group operations by full path (base path + template), in document order.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let base = op
            .servers
            .first()
            .map(|s| s.base_path())
            .unwrap_or_default();
        let full = format!("{base}{}", op.path);
        match groups.iter_mut().find(|(p, _)| *p == full) {
            Some((_, ops)) => ops.push(index),
            None => groups.push((full, vec![index])),
        }
    }
    let handler_of = |index: usize| {
        let op = &api.operations[index];
        let name = format_ident!("handle_{}", crate::model::naming::bare(&op.fn_name));
        let h = match api.gates.op_home(index) {
            Some(f) => {
                let module = ident(&api.gates.features[f].module);
                quote!(#module::#name)
            }
            None => quote!(#name),
        };
        let m = format_ident!("{}", op.method);
        (m, h)
    };
    if api.gates.features.is_empty() {
        let routes = groups.iter().map(|(path, ops)| {
            let mut chain = quote!(::axum::routing::MethodRouter::new());
            for &index in ops {
                let (m, h) = handler_of(index);
                chain = quote!(#chain.#m(#h::<A>));
            }
            quote!(.route(#path, #chain))
        });
        return quote!(let router = ::axum::Router::new() #(#routes)*;);
    }
    let routes = groups.iter().map(|(path, ops)| {
        let mut union: Vec<usize> = ops
            .iter()
            .flat_map(|&i| api.gates.operations[i].iter().copied())
            .collect();
        union.sort_unstable();
        union.dedup();
        if ops.iter().any(|&i| api.gates.operations[i].is_empty()) {
            union.clear();
        }
        let route_cfg = super::rust::cfg_attr(api, &union);
        let methods = ops.iter().map(|&index| {
            let (m, h) = handler_of(index);
            let cfg = super::rust::op_cfg(api, index);
            quote!(#cfg let methods = methods.#m(#h::<A>);)
        });
        quote! {
            #route_cfg
            let router = {
                let methods = ::axum::routing::MethodRouter::new();
                #(#methods)*
                router.route(#path, methods)
            };
        }
    });
    quote! {
        let router = ::axum::Router::new();
        #(#routes)*
    }
}

fn handler(
    api: &Api,
    op: &Operation,
    paths: &Paths,
    scheme_variants: &[proc_macro2::Ident],
    checker: &Checker,
    part: Part,
) -> TokenStream {
    let h = format_ident!("handle_{}", crate::model::naming::bare(&op.fn_name));
    // A tag's handlers are named by the router, in the module above.
    let vis = if part.is_some() {
        quote!(pub(super))
    } else {
        TokenStream::new()
    };
    let fname = ident(&op.fn_name);
    let reject_name = format_ident!("reject_{}", crate::model::naming::bare(&op.fn_name));
    let resp_ty = ident(&op.response_type);
    let into = format_ident!("into_response_{}", crate::model::naming::bare(&op.fn_name));
    let alternatives = op.security.alternatives.iter().map(|alt| {
        let ids = alt.iter().map(|u| &scheme_variants[u.scheme]);
        quote!(&[#(Scheme::#ids),*])
    });
    let mut call_args = vec![quote!(auth)];
    // What `serve` decodes before the call: the parameters, then the body.
    let mut input_types: Vec<TokenStream> = Vec::new();
    let mut reads_body = false;
    let params_step = if op.params.is_empty() {
        TokenStream::new()
    } else {
        let pty = ident(&op.params_type);
        let base = op
            .servers
            .first()
            .map(|s| s.base_path())
            .unwrap_or_default();
        let template = format!("{base}{}", op.path);
        let names = |location: ParamIn| -> Vec<&str> {
            op.params
                .iter()
                .filter(|p| p.location == location)
                .map(|p| p.name.as_str())
                .collect()
        };
        let query_names = names(ParamIn::Query);
        let cookie_names = names(ParamIn::Cookie);
        let rt = quote!(super::runtime);
        let fields = op.params.iter().map(|p| {
            let fi = ident(&p.ident);
            let name = &p.name;
            let location = match p.location {
                ParamIn::Path => quote!(Path),
                ParamIn::Query => quote!(Query),
                ParamIn::Header => quote!(Header),
                ParamIn::Cookie => quote!(Cookie),
            };
            let style = format_ident!("{}", p.style.variant());
            let explode = p.explode;
            // `Kind` is imported: `wire::Kind::Array` becomes `Kind::Array`.
            let kind: TokenStream = wire_kind(api, &p.shape, &rt)
                .into_iter()
                .skip_while(|t| t.to_string() != "Kind")
                .collect();
            let get = if p.required {
                quote!(required)
            } else {
                quote!(optional)
            };
            quote!(#fi: inc.#get(In::#location, #name, Style::#style, #explode, #kind)?,)
        });
        call_args.push(quote!(params));
        // Constraint checks of each parameter (the same checks as for bodies).
        let checks: Vec<TokenStream> = op
            .params
            .iter()
            .filter_map(|p| {
                let fi = ident(&p.ident);
                let name = &p.name;
                let inner = checker.value(&p.shape, quote!(v), quote!(String::from(#name)), 0);
                if inner.is_empty() {
                    return None;
                }
                let nullable = p.shape.nullable && !super::rust::null_is_native(&p.shape);
                Some(match (p.required, nullable) {
                    (true, false) => quote! { { let v = &params.#fi; #inner } },
                    (true, true) => quote! { if let Some(v) = &params.#fi { #inner } },
                    (false, false) => quote! { if let Some(v) = &params.#fi { #inner } },
                    (false, true) => quote! { if let Some(Some(v)) = &params.#fi { #inner } },
                })
            })
            .collect();
        let validate = if checks.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                let mut violations: Vec<Violation> = Vec::new();
                {
                    let out = &mut violations;
                    #(#checks)*
                }
                if let Some(first) = violations.into_iter().next() {
                    return Err(Rejection::InvalidParameter { name: first.at, message: first.message });
                }
            }
        };
        input_types.push(quote!(operations::#pty));
        quote! {
            let inc = Incoming::new(parts, #template, &[#(#query_names),*], &[#(#cookie_names),*]);
            let params = operations::#pty { #(#fields)* };
            #validate
        }
    };
    let body_step = match op.body.as_ref() {
        None => TokenStream::new(),
        Some(b) if b.contents.is_empty() => TokenStream::new(),
        Some(b) => {
            let required = b.required;
            reads_body = true;
            call_args.push(quote!(body));
            input_types.push(request_body_ty(api, b, paths).map_or_else(
                || quote!(()),
                |ty| if required { ty } else { quote!(Option<#ty>) },
            ));
            let mut chain = TokenStream::new();
            let mut declared = Vec::new();
            // Media types decoded alike, one after the other, share a branch
            // (clippy's if_same_then_else).
            let mut branches: Vec<(Vec<&str>, TokenStream)> = Vec::new();
            for c in &b.contents {
                let mt = &c.media_type;
                declared.push(mt.clone());
                let decode = decode_request(api, c, paths);
                let wrap = match &b.choice_type {
                    Some(choice) => {
                        let choice = ident(choice);
                        let vi = ident(&c.variant);
                        quote!(.map(operations::#choice::#vi))
                    }
                    None => TokenStream::new(),
                };
                let then = quote!(#decode #wrap .map(Some));
                match branches.last_mut() {
                    Some((mts, last)) if last.to_string() == then.to_string() => mts.push(mt),
                    _ => branches.push((vec![mt.as_str()], then)),
                }
            }
            for (mts, then) in &branches {
                chain.extend(quote!(if #(super::runtime::wire::media_matches(content_type, #mts))||* { #then } else));
            }
            let declared = declared.join(", ");
            // An optional body is the decoded `Option` itself (`?` passes the
            // rejection on, as clippy asks).
            let take = if required {
                quote! {
                    let body = match decoded {
                        Ok(None) => return Err(Rejection::MalformedBody("a body is required".into())),
                        Ok(Some(v)) => v,
                        Err(rejection) => return Err(rejection),
                    };
                }
            } else {
                quote! {
                    let body = decoded?;
                }
            };
            quote! {
                let content_type = header_value(parts, "content-type");
                let content_type = content_type.as_deref();
                let decoded = if bytes.is_empty() {
                    Ok(None)
                } else #chain {
                    Err(Rejection::MalformedBody(format!(
                        "unsupported Content-Type {}: the body must be one of {}",
                        content_type.unwrap_or("(none)"),
                        #declared
                    )))
                };
                #take
            }
        }
    };
    let input_name = format_ident!("input_{}", crate::model::naming::bare(&op.fn_name));
    let inputs: Vec<&TokenStream> = call_args.iter().skip(1).collect();
    let (input_pat, input_ty) = match input_types.len() {
        0 => (quote!(()), quote!(())),
        1 => (quote!(#(#inputs)*), quote!(#(#input_types)*)),
        _ => (quote!((#(#inputs),*)), quote!((#(#input_types),*))),
    };
    let (input_fn, input_name) = if input_types.is_empty() {
        (TokenStream::new(), quote!(no_input))
    } else {
        let bytes = if reads_body { quote!(bytes) } else { quote!(_) };
        let what = match (op.params.is_empty(), reads_body) {
            (false, true) => "parameters and body",
            (false, false) => "parameters",
            _ => "body",
        };
        let doc = format!(" Reads the {what} of a `{}` request.", op.id);
        (
            quote! {
                #[doc = #doc]
                #[inline]
                fn #input_name(parts: &::axum::http::request::Parts, #bytes: &[u8]) -> Result<#input_ty, Rejection> {
                    #params_step
                    #body_step
                    Ok(#input_pat)
                }
            },
            quote!(#input_name),
        )
    };
    // Response encoding.
    let arms = op.responses.iter().map(|r| {
        let vi = ident(&r.variant);
        let code = r.concrete_status(500);
        let status = if carries_status(r) {
            quote!(status)
        } else {
            quote!(#code)
        };
        // Declared headers, written after the body is encoded.
        let header_values = r.headers_type.as_ref().map(|_| {
            let values = r
                .headers
                .iter()
                .filter(|h| !super::operations::layer_owned_header(&h.name))
                .map(|h| {
                    let fi = ident(&h.ident);
                    let name = &h.name;
                    let form = super::operations::runtime_form(api, h);
                    if h.required {
                        quote!((#name, Some(super::runtime::header_text(&headers.#fi, #form))),)
                    } else {
                        quote!((#name, headers.#fi.as_ref().map(|v| super::runtime::header_text(v, #form))),)
                    }
                });
            quote!([#(#values)*])
        });
        let send = match (&r.choice_type, r.primary_content()) {
            (Some(choice), _) => {
                let choice = ident(choice);
                let arms = r.contents.iter().map(|c| {
                    let cv = ident(&c.variant);
                    let send = encode_response(api, c, &status, header_values.as_ref());
                    quote!(operations::#choice::#cv(body) => #send,)
                });
                Some(quote!(match body { #(#arms)* }))
            }
            (None, Some(c)) => Some(encode_response(api, c, &status, header_values.as_ref())),
            (None, None) => None,
        };
        if let Some(values) = &header_values {
            let headers_pat = if r.headers.iter().all(|h| super::operations::layer_owned_header(&h.name)) {
                quote!(headers: _)
            } else {
                quote!(headers)
            };
            let status_pat = carries_status(r).then(|| quote!(status,));
            let (body_pat, send) = match send {
                Some(s) => (quote!(body,), s),
                None => (TokenStream::new(), quote!(respond_with(#status, "", Ok(Vec::new()), #values))),
            };
            return quote! {
                operations::#resp_ty::#vi { #status_pat #body_pat #headers_pat } => #send,
            };
        }
        match (carries_status(r), send) {
            (false, Some(s)) => quote!(operations::#resp_ty::#vi(body) => #s,),
            (false, None) => {
                quote!(operations::#resp_ty::#vi => respond(#code, "", Ok(Vec::new())),)
            }
            (true, Some(s)) => quote!(operations::#resp_ty::#vi { status, body } => #s,),
            (true, None) => {
                quote!(operations::#resp_ty::#vi { status } => respond(status, "", Ok(Vec::new())),)
            }
        }
    });
    quote! {
        #[inline]
        fn #into(response: operations::#resp_ty) -> ::axum::response::Response {
            match response {
                #(#arms)*
            }
        }

        #input_fn

        #vis fn #h<A: Api>(::axum::extract::State(api): ::axum::extract::State<Arc<A>>, request: ::axum::extract::Request) -> impl Future<Output = ::axum::response::Response> {
            serve(api, request, &[#(#alternatives),*], #reads_body, #input_name, |api, auth, #input_pat| api.#fname(#(#call_args),*), A::#reject_name, #into)
        }
    }
}

/// Emits the `validate` module: a `Validate` impl per named type.
pub fn emit_validate(api: &Api, part: Part) -> super::rust::Module<'_> {
    let checker = Checker::new(api);
    // Only the module itself (not a tag's part) has the head that needs it.
    let uuid_impl = if part.is_none() && super::uses_uuid(api) {
        quote!(no_constraints!(::uuid::Uuid);)
    } else {
        TokenStream::new()
    };
    let paths = Paths {
        models: quote!(super::models::),
        runtime: quote!(super::runtime),
    };
    let impls = api.types.iter().enumerate().filter_map(move |(i, t)| {
        // Only what a request can carry is checked.
        if api.gates.type_home(i) != part || !api.requested[i] {
            return None;
        }
        let name = ident(&t.name);
        let body = match &t.kind {
            TypeKind::Alias(_) => return None,
            TypeKind::Enum(e) => {
                let unknown = ident(&e.unknown_ident);
                quote! {
                    if let Self::#unknown(v) = self {
                        out.push(Violation { at: at.to_string(), message: format!("`{v}` is not one of the allowed values") });
                    }
                }
            }
            // Nothing to check: the trait's default.
            _ if !api.checked[i] => TokenStream::new(),
            TypeKind::Union(u) => {
                let arms = u.variants.iter().map(|v| {
                    let vi = ident(&v.ident);
                    let check = checker.value(&v.shape, quote!(v), quote!(at.to_string()), 0);
                    let deref = if v.boxed { quote!(let v = &**v;) } else { TokenStream::new() };
                    if v.shape.nullable && !super::rust::null_is_native(&v.shape) {
                        quote!(Self::#vi(v) => { #deref if let Some(v) = v { #check } })
                    } else {
                        quote!(Self::#vi(v) => { #deref #check })
                    }
                });
                let unknown = u.discriminator.as_ref().map(|d| {
                    let ui = ident(&d.unknown_ident);
                    quote!(Self::#ui(_) => out.push(Violation { at: at.to_string(), message: "unknown discriminator value".to_string() }),)
                });
                quote! {
                    match self {
                        #(#arms)*
                        #unknown
                    }
                }
            }
            TypeKind::Struct(s) => {
                let checks = s.fields.iter().map(|f| {
                    let fi = ident(&f.ident);
                    let name = &f.name;
                    let at = quote!(format!("{at}/{}", #name));
                    let shape = &f.shape;
                    let inner = checker.value(shape, quote!(v), at.clone(), 0);
                    if inner.is_empty() {
                        return TokenStream::new();
                    }
                    let deref = if f.boxed { quote!(let v = &**v;) } else { TokenStream::new() };
                    let nullable = shape.nullable && !super::rust::null_is_native(shape);
                    let has_default = super::models::has_default(api, f);
                    match (f.required || has_default, nullable) {
                        (true, false) => quote! { { let v = &self.#fi; #deref #inner } },
                        (true, true) => quote! { if let Some(v) = &self.#fi { #deref #inner } },
                        (false, false) => quote! { if let Some(v) = &self.#fi { #deref #inner } },
                        (false, true) => quote! { if let Some(Some(v)) = &self.#fi { #deref #inner } },
                    }
                });
                let extra_ident = ident(&s.additional_ident);
                let extra = match &s.additional {
                    crate::model::Additional::Typed(shape) => {
                        let inner = checker.value(shape, quote!(v), quote!(format!("{at}/{k}")), 0);
                        if inner.is_empty() {
                            TokenStream::new()
                        } else {
                            quote! { for (k, v) in &self.#extra_ident { #inner } }
                        }
                    }
                    _ => TokenStream::new(),
                };
                let _ = &paths;
                quote! { #(#checks)* #extra }
            }
        };
        let json = match &t.kind {
            TypeKind::Struct(s) => struct_json_checks(api, s),
            TypeKind::Union(u) => union_json_checks(api, u),
            _ => TokenStream::new(),
        };
        let json = if json.is_empty() {
            json
        } else {
            quote! {
                #[allow(unused_variables)]
                #[inline]
                fn validate_json(value: &::serde_json::Value, at: &str, out: &mut Vec<Violation>) {
                    #json
                }
            }
        };
        let cfg = super::rust::part_type_cfg(api, crate::model::TypeId(i), part);
        let validate = if body.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                #[allow(unused_variables, clippy::only_used_in_recursion)]
                #[inline]
                fn validate(&self, at: &str, out: &mut Vec<Violation>) {
                    #body
                }
            }
        };
        Some(quote! {
            #cfg
            impl Validate for models::#name {
                #validate
                #json
            }
        })
    });
    if part.is_some() {
        return super::rust::Module::new(TokenStream::new(), impls);
    }
    let head = quote! {
        #[allow(unused_imports)]
        use super::models;

        /// A value that breaks its schema.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Violation {
            /// JSON pointer of the value.
            pub at: String,
            /// What is wrong.
            pub message: String,
        }

        /// Checks the constraints of a schema that decoding does not check
        /// (lengths, ranges, patterns, enum membership, sizes).
        pub trait Validate {
            /// Appends every violation found under `at` to `out`. Types whose
            /// values cannot break a constraint keep this default, which finds none.
            fn validate(&self, at: &str, out: &mut Vec<Violation>) {
                let _ = (at, out);
            }

            /// Appends every violation of the JSON `value`, as it was received for
            /// this type, that decoding cannot see: a `null` where the schema does not
            /// allow one (an optional property decodes `null` as absent).
            fn validate_json(value: &::serde_json::Value, at: &str, out: &mut Vec<Violation>)
            where
                Self: Sized,
            {
                let _ = (value, at, out);
            }
        }

        /// Reports a `null` sent for the property `name` of `object` (optional, not
        /// nullable, no default: decoding would read it as absent). Public (and
        /// hidden) for the checks in the crates of tags' types (`--split-models`).
        #[doc(hidden)]
        #[allow(dead_code)]
        pub fn no_null(
            object: &::serde_json::Map<String, ::serde_json::Value>,
            name: &str,
            at: &str,
            out: &mut Vec<Violation>,
        ) {
            if object.get(name).is_some_and(::serde_json::Value::is_null) {
                out.push(Violation { at: format!("{at}/{name}"), message: "null is not allowed".to_string() });
            }
        }

        /// Checks the property `name` of `object` with `check` when it is there and
        /// not `null`; a `null` is reported unless `null_allowed`. Public (and
        /// hidden) for the checks in the crates of tags' types.
        #[doc(hidden)]
        #[allow(dead_code)]
        pub fn property(
            object: &::serde_json::Map<String, ::serde_json::Value>,
            name: &str,
            at: &str,
            out: &mut Vec<Violation>,
            null_allowed: bool,
            check: fn(&::serde_json::Value, &str, &mut Vec<Violation>),
        ) {
            let Some(v) = object.get(name) else { return };
            if !v.is_null() {
                check(v, &format!("{at}/{name}"), out);
            } else if !null_allowed {
                out.push(Violation { at: format!("{at}/{name}"), message: "null is not allowed".to_string() });
            }
        }

        impl<T: Validate> Validate for Vec<T> {
            fn validate(&self, at: &str, out: &mut Vec<Violation>) {
                for (i, v) in self.iter().enumerate() {
                    v.validate(&format!("{at}/{i}"), out);
                }
            }
        }

        impl<T: Validate> Validate for ::std::collections::BTreeMap<String, T> {
            fn validate(&self, at: &str, out: &mut Vec<Violation>) {
                for (k, v) in self {
                    v.validate(&format!("{at}/{k}"), out);
                }
            }
        }

        impl<T: Validate> Validate for Box<T> {
            fn validate(&self, at: &str, out: &mut Vec<Violation>) {
                (**self).validate(at, out);
            }
        }

        impl<T: Validate> Validate for Option<T> {
            fn validate(&self, at: &str, out: &mut Vec<Violation>) {
                if let Some(v) = self {
                    v.validate(at, out);
                }
            }
        }

        macro_rules! no_constraints {
            ($($t:ty),*) => { $( impl Validate for $t { fn validate(&self, _: &str, _: &mut Vec<Violation>) {} } )* };
        }
        no_constraints!(String, i32, i64, u32, u64, f64, bool, (), ::serde_json::Value, super::runtime::DateTime, super::runtime::Binary, ::chrono::NaiveDate);
        #uuid_impl

        /// A compiled `pattern` (for the server's parameter checks; public so
        /// that a server in another crate than the models can reach it).
        #[doc(hidden)]
        #[allow(dead_code)]
        pub fn regex(pattern: &str) -> Option<::regex::Regex> {
            ::regex::Regex::new(pattern).ok()
        }
    };
    super::rust::Module::new(head, impls)
}

/// Whether `null` is a valid value of `shape` (through aliases and unions).
fn null_ok(api: &Api, shape: &Shape, depth: usize) -> bool {
    if shape.nullable || super::rust::null_is_native(shape) || depth > 16 {
        return true;
    }
    match &shape.ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => null_ok(api, inner, depth + 1),
            TypeKind::Union(u) => {
                u.discriminator.is_none()
                    && u.variants.iter().any(|v| null_ok(api, &v.shape, depth + 1))
            }
            _ => false,
        },
        _ => false,
    }
}

/// An expression: whether the JSON `value` is of the kind `shape` decodes from
/// (object, array, string, number, boolean), or null where null is allowed. Only
/// `||` at the top, so it can stand as an `if` condition without parentheses.
fn json_kind(api: &Api, shape: &Shape) -> TokenStream {
    let resolved = resolve_alias(api, shape);
    let kind = match &resolved.ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Struct(_) => quote!(value.is_object()),
            TypeKind::Enum(e) => match e.repr {
                crate::model::EnumRepr::String => quote!(value.is_string()),
                crate::model::EnumRepr::Integer => quote!(value.is_i64() || value.is_u64()),
            },
            _ => quote!(true),
        },
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid | Ty::Binary => quote!(value.is_string()),
        Ty::Integer(_) => quote!(value.is_i64() || value.is_u64()),
        Ty::Number(_) => quote!(value.is_number()),
        Ty::Boolean => quote!(value.is_boolean()),
        Ty::Null => quote!(value.is_null()),
        Ty::Array(_) => quote!(value.is_array()),
        Ty::Map(_) => quote!(value.is_object()),
        _ => quote!(true),
    };
    if null_ok(api, shape, 0) {
        quote!(value.is_null() || #kind)
    } else {
        kind
    }
}

/// The body of a struct's `validate_json`: each property present is checked
/// against its shape (and unlisted ones against a typed `additionalProperties`).
fn struct_json_checks(api: &Api, s: &crate::model::StructDef) -> TokenStream {
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let name = &f.name;
            let optional = !f.required && !super::models::has_default(api, f);
            // The two common cases in one line each, through the module's helpers.
            let null_forbidden = optional && !null_ok(api, &f.shape, 0);
            let inner = json_non_null(api, &f.shape, 0);
            if inner.is_empty() {
                return null_forbidden.then(|| quote! { no_null(object, #name, at, out); });
            }
            if let Some(target) = json_target(api, &f.shape) {
                let null_allowed = !null_forbidden;
                return Some(quote! {
                    property(object, #name, at, out, #null_allowed, <super::models::#target as Validate>::validate_json);
                });
            }
            let check = json_check(
                api,
                &f.shape,
                quote!(v),
                quote!(format!("{at}/{}", #name)),
                optional,
                0,
            );
            if check.is_empty() {
                None
            } else {
                Some(quote! { if let Some(v) = object.get(#name) { #check } })
            }
        })
        .collect();
    let extra = match &s.additional {
        crate::model::Additional::Typed(shape) => {
            let check = json_check(api, shape, quote!(v), quote!(format!("{at}/{k}")), false, 0);
            if check.is_empty() {
                TokenStream::new()
            } else {
                let names = s.fields.iter().map(|f| &f.name);
                quote! {
                    for (k, v) in object.iter() {
                        if [#(#names),*].contains(&k.as_str()) {
                            continue;
                        }
                        #check
                    }
                }
            }
        }
        _ => TokenStream::new(),
    };
    if fields.is_empty() && extra.is_empty() {
        return TokenStream::new();
    }
    quote! {
        let Some(object) = value.as_object() else { return };
        #(#fields)*
        #extra
    }
}

/// The body of a union's `validate_json`: a discriminated union checks the variant
/// its tag names; an untagged one passes when any variant of the value's kind
/// passes, and otherwise reports the first such variant's violations.
fn union_json_checks(api: &Api, u: &crate::model::UnionDef) -> TokenStream {
    let checks: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            json_check(
                api,
                &v.shape,
                quote!(value),
                quote!(at.to_string()),
                false,
                0,
            )
        })
        .collect();
    if checks.iter().all(TokenStream::is_empty) {
        return TokenStream::new();
    }
    if let Some(d) = &u.discriminator {
        let arms = d.mapping.iter().filter_map(|(tag, i)| {
            let check = checks.get(*i).filter(|c| !c.is_empty())?;
            Some(quote!(Some(#tag) => { #check }))
        });
        let property = &d.property;
        return quote! {
            match value.get(#property).and_then(::serde_json::Value::as_str) {
                #(#arms)*
                _ => {}
            }
        };
    }
    let tries = u.variants.iter().zip(&checks).map(|(v, check)| {
        let kind = json_kind(api, &v.shape);
        if check.is_empty() {
            quote! { if #kind { return; } }
        } else {
            quote! {
                if #kind {
                    let mut found = Vec::new();
                    {
                        let out = &mut found;
                        #check
                    }
                    if found.is_empty() {
                        return;
                    }
                    if first.is_none() {
                        first = Some(found);
                    }
                }
            }
        }
    });
    quote! {
        let mut first: Option<Vec<Violation>> = None;
        #(#tries)*
        if let Some(found) = first {
            out.extend(found);
        }
    }
}

/// Checks of a JSON value `v: &Value` of `shape` that decoding into the Rust type
/// does not make, at any depth: a `null` sent for an optional property that is
/// not nullable (decoded as absent). `at` is an expression giving the value's JSON
/// pointer as a `String`; `optional` says the value is an optional property without
/// a default, the one place where decoding lets a `null` through. Empty when there
/// is nothing to check.
fn json_check(
    api: &Api,
    shape: &Shape,
    v: TokenStream,
    at: TokenStream,
    optional: bool,
    depth: usize,
) -> TokenStream {
    let null = if optional && !null_ok(api, shape, 0) {
        quote! { out.push(Violation { at: here, message: "null is not allowed".to_string() }); }
    } else {
        TokenStream::new()
    };
    let inner = json_non_null(api, shape, depth);
    if null.is_empty() && inner.is_empty() {
        return TokenStream::new();
    }
    let bind = if v.to_string() == "v" {
        TokenStream::new()
    } else {
        quote!(let v: &::serde_json::Value = #v;)
    };
    let test = if null.is_empty() {
        quote!(if !v.is_null() { #inner })
    } else if inner.is_empty() {
        quote!(if v.is_null() { #null })
    } else {
        quote!(if v.is_null() { #null } else { #inner })
    };
    quote! {
        {
            #bind
            let here: String = #at;
            #test
        }
    }
}

/// Whether a non-null value of `shape` can hold something [`json_check`] looks
/// for: an optional, not nullable property without a default, in any type it
/// reaches. `seen` holds the named types already visited.
fn needs_json(api: &Api, shape: &Shape, seen: &mut Vec<crate::model::TypeId>) -> bool {
    match &shape.ty {
        Ty::Named(id) => {
            if seen.contains(id) {
                return false;
            }
            seen.push(*id);
            match &api.ty(*id).kind {
                TypeKind::Alias(inner) => needs_json(api, inner, seen),
                TypeKind::Struct(s) => {
                    s.fields.iter().any(|f| {
                        (!f.required
                            && !super::models::has_default(api, f)
                            && !null_ok(api, &f.shape, 0))
                            || needs_json(api, &f.shape, seen)
                    }) || matches!(&s.additional, crate::model::Additional::Typed(a) if needs_json(api, a, seen))
                }
                TypeKind::Union(u) => u.variants.iter().any(|v| needs_json(api, &v.shape, seen)),
                _ => false,
            }
        }
        Ty::Array(item) | Ty::Map(item) => needs_json(api, item, seen),
        _ => false,
    }
}

/// The named type whose `validate_json` is all that [`json_non_null`] does for
/// `shape` (aliases followed), if that is what it does.
fn json_target(api: &Api, shape: &Shape) -> Option<proc_macro2::Ident> {
    let mut shape = shape;
    for _ in 0..=8 {
        let Ty::Named(id) = &shape.ty else {
            return None;
        };
        match &api.ty(*id).kind {
            TypeKind::Alias(inner) => shape = inner,
            _ => {
                return needs_json(api, shape, &mut Vec::new()).then(|| ident(&api.ty(*id).name));
            }
        }
    }
    None
}

/// The checks of [`json_check`] for a value `v` known not to be `null`, with its
/// pointer in `here`.
fn json_non_null(api: &Api, shape: &Shape, depth: usize) -> TokenStream {
    if depth > 8 {
        return TokenStream::new();
    }
    match &shape.ty {
        Ty::Named(id) => {
            if let TypeKind::Alias(inner) = &api.ty(*id).kind {
                return json_non_null(api, inner, depth + 1);
            }
            if needs_json(api, shape, &mut Vec::new()) {
                let name = ident(&api.ty(*id).name);
                quote! { <super::models::#name as Validate>::validate_json(v, &here, out); }
            } else {
                TokenStream::new()
            }
        }
        Ty::Array(item) => {
            let check = json_check(
                api,
                item,
                quote!(v),
                quote!(format!("{here}/{i}")),
                false,
                depth + 1,
            );
            if check.is_empty() {
                check
            } else {
                quote! {
                    for (i, v) in v.as_array().into_iter().flatten().enumerate() { #check }
                }
            }
        }
        Ty::Map(value) => {
            let check = json_check(
                api,
                value,
                quote!(v),
                quote!(format!("{here}/{k}")),
                false,
                depth + 1,
            );
            if check.is_empty() {
                check
            } else {
                quote! {
                    for (k, v) in v.as_object().into_iter().flatten() { #check }
                }
            }
        }
        _ => TokenStream::new(),
    }
}

/// Checks for a value `v: &T` of `shape` (nullability already handled by the
/// caller). `at` is an expression giving the value's JSON pointer as a `String`.
/// Emits the constraint checks of values, knowing which named types can hold a
/// value that breaks a constraint decoding does not enforce (the others are not
/// visited: their `validate` does nothing).
struct Checker<'a> {
    api: &'a Api,
}

impl<'a> Checker<'a> {
    fn new(api: &'a Api) -> Self {
        Checker { api }
    }

    fn value(&self, shape: &Shape, v: TokenStream, at: TokenStream, depth: usize) -> TokenStream {
        let api = self.api;
        if depth > 8 {
            return TokenStream::new();
        }
        let c = &shape.constraints;
        let mut checks = constraint_checks(c, &shape.ty, v.clone());
        match &shape.ty {
            Ty::Named(id) => match &api.ty(*id).kind {
                TypeKind::Alias(inner) => {
                    let inner_checks =
                        self.value(inner, v.clone(), quote!(here.clone()), depth + 1);
                    if !inner_checks.is_empty() {
                        let nullable = inner.nullable && !super::rust::null_is_native(inner);
                        if nullable {
                            checks.extend(quote! { if let Some(v) = #v { #inner_checks } });
                        } else {
                            checks.extend(inner_checks);
                        }
                    }
                }
                // Types whose values cannot break a constraint are not visited.
                _ if !api.checked[id.0] => {}
                // Only the type's own checks: one call, no binding.
                _ if checks.is_empty() => {
                    // `at` itself when the pointer is the caller's (`at.to_string()`).
                    let at = if at.to_string() == quote!(at.to_string()).to_string() {
                        quote!(at)
                    } else {
                        quote!(&#at)
                    };
                    return quote! { Validate::validate(#v, #at, out); };
                }
                _ => checks.extend(quote! { Validate::validate(#v, &here, out); }),
            },
            Ty::Array(item) | Ty::Map(item) => {
                // Arrays iterate `(index, item)`, maps `(key, item)`: the same check per item.
                let (iter, key) = match &shape.ty {
                    Ty::Array(_) => (quote!(#v.iter().enumerate()), quote!(i)),
                    _ => (quote!(#v.iter()), quote!(k)),
                };
                let inner = self.value(
                    item,
                    quote!(item),
                    {
                        let pointer = format!("{{here}}/{{{key}}}");
                        quote!(format!(#pointer))
                    },
                    depth + 1,
                );
                if !inner.is_empty() {
                    let nullable = item.nullable && !super::rust::null_is_native(item);
                    let body = if nullable {
                        quote!(if let Some(item) = item { #inner })
                    } else {
                        inner
                    };
                    checks.extend(quote! { for (#key, item) in #iter { let _ = #key; #body } });
                }
            }
            _ => {}
        }
        if checks.is_empty() {
            checks
        } else {
            quote!({ let here: String = #at; #checks })
        }
    }
}

fn constraint_checks(c: &Constraints, ty: &Ty, v: TokenStream) -> TokenStream {
    let at = quote!(here.clone());
    let mut out = TokenStream::new();
    let string_like = matches!(ty, Ty::String);
    let numeric = matches!(ty, Ty::Integer(_) | Ty::Number(_));
    if string_like {
        if let Some(min) = c.min_length.filter(|m| *m > 0) {
            let min = Literal::usize_unsuffixed(min);
            out.extend(quote! { if #v.chars().count() < #min { out.push(Violation { at: #at, message: format!("shorter than {} characters", #min) }); } });
        }
        if let Some(max) = c.max_length {
            let max = Literal::usize_unsuffixed(max);
            out.extend(quote! { if #v.chars().count() > #max { out.push(Violation { at: #at, message: format!("longer than {} characters", #max) }); } });
        }
        if let Some(p) = &c.pattern {
            out.extend(quote! {
                {
                    static RE: ::std::sync::LazyLock<Option<::regex::Regex>> = ::std::sync::LazyLock::new(|| super::validate::regex(#p));
                    if let Some(re) = RE.as_ref() {
                        if !re.is_match(#v) {
                            out.push(Violation { at: #at, message: format!("does not match the pattern `{}`", #p) });
                        }
                    }
                }
            });
        }
    }
    if numeric {
        // No cast where the value is already an `f64` (clippy's unnecessary_cast).
        let as_f64 = if matches!(ty, Ty::Number(crate::model::NumKind::F64)) {
            quote!((*#v))
        } else {
            quote!((*#v as f64))
        };
        if let Some(min) = c.minimum {
            let m = Literal::f64_suffixed(min);
            let cmp = if c.exclusive_minimum {
                quote!(<=)
            } else {
                quote!(<)
            };
            out.extend(quote! { if #as_f64 #cmp #m { out.push(Violation { at: #at, message: format!("below the minimum {}", #m) }); } });
        }
        if let Some(max) = c.maximum {
            let m = Literal::f64_suffixed(max);
            let cmp = if c.exclusive_maximum {
                quote!(>=)
            } else {
                quote!(>)
            };
            out.extend(quote! { if #as_f64 #cmp #m { out.push(Violation { at: #at, message: format!("above the maximum {}", #m) }); } });
        }
        if let Some(m) = c.multiple_of.filter(|m| *m > 0.0) {
            let m = Literal::f64_suffixed(m);
            out.extend(quote! {
                {
                    let q = #as_f64 / #m;
                    if (q - q.round()).abs() > 1e-9 {
                        out.push(Violation { at: #at, message: format!("not a multiple of {}", #m) });
                    }
                }
            });
        }
    }
    if matches!(ty, Ty::Array(_)) {
        if let Some(min) = c.min_items.filter(|m| *m > 0) {
            // `len() < 1` is `is_empty()` (clippy's len_zero).
            let test = if min == 1 {
                quote!(#v.is_empty())
            } else {
                let min = Literal::usize_unsuffixed(min);
                quote!(#v.len() < #min)
            };
            let min = Literal::usize_unsuffixed(min);
            out.extend(quote! { if #test { out.push(Violation { at: #at, message: format!("fewer than {} items", #min) }); } });
        }
        if let Some(max) = c.max_items {
            let max = Literal::usize_unsuffixed(max);
            out.extend(quote! { if #v.len() > #max { out.push(Violation { at: #at, message: format!("more than {} items", #max) }); } });
        }
        if c.unique_items {
            out.extend(quote! {
                if #v.iter().enumerate().any(|(i, a)| #v[..i].contains(a)) {
                    out.push(Violation { at: #at, message: "items are not unique".to_string() });
                }
            });
        }
    }
    out
}

/// The expression that decodes `bytes` (the request body) as `c`'s carrier:
/// a `Result<_, Rejection>`.
fn decode_request(api: &Api, c: &Content, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let ty = carrier_ty(api, c, paths);
    match (c.kind, c.carrier()) {
        (MediaKind::Json, carrier) => {
            let json_checks = match carrier {
                Carrier::Typed(s) => json_check(api, s, quote!(v), quote!(String::new()), false, 0),
                _ => TokenStream::new(),
            };
            let check_fn = if json_checks.is_empty() {
                quote!(None)
            } else {
                quote!(Some(|v: &::serde_json::Value, out: &mut Vec<Violation>| { #json_checks }))
            };
            quote!(decode_json::<#ty>(bytes, #check_fn))
        }
        (MediaKind::Form, _) => {
            let fields = form_fields(api, c, rt);
            quote!(decode_form::<#ty>(bytes, #fields))
        }
        (MediaKind::Multipart, _) => {
            let fields = multipart_fields(api, c, rt);
            quote!(decode_multipart::<#ty>(content_type, bytes, #fields))
        }
        (MediaKind::Text, _) => quote!(decode_text(bytes)),
        (MediaKind::Binary, _) => quote!(decode_bytes(bytes)),
    }
}

/// The expression that sends `body` (an owned carrier of `c`) with `status`.
fn encode_response(
    api: &Api,
    c: &Content,
    status: &TokenStream,
    headers: Option<&TokenStream>,
) -> TokenStream {
    let _ = api;
    let mt = &c.media_type;
    let send = |ct: TokenStream, encoded: TokenStream| match headers {
        Some(h) => quote!(respond_with(#status, #ct, #encoded, #h)),
        None => quote!(respond(#status, #ct, #encoded)),
    };
    match c.kind {
        MediaKind::Json => send(quote!(#mt), quote!(::serde_json::to_vec(&body))),
        MediaKind::Form => {
            let encodings = form_encodings(c, &quote!(super::runtime));
            send(
                quote!(#mt),
                quote!(super::runtime::to_json(&body).map(|v| {
                    super::runtime::wire::join_pairs(&super::runtime::wire::form_pairs(&v, #encodings)).into_bytes()
                })),
            )
        }
        MediaKind::Multipart => {
            let types = multipart_types(c);
            let ok = send(quote!(&content_type), quote!(Ok(bytes)));
            quote!(match super::runtime::multipart::encode(&body, #types) {
                Ok(parts) => {
                    let (content_type, bytes) = super::runtime::multipart::to_body(&parts, #mt);
                    #ok
                }
                Err(e) => respond(#status, "", Err(e)),
            })
        }
        MediaKind::Text => send(quote!(#mt), quote!(Ok(body.into_bytes()))),
        MediaKind::Binary => send(quote!(#mt), quote!(Ok(body))),
    }
}
