//! Emits the `server` module: a trait with one async method per operation, a
//! function that builds an `axum::Router` from an implementation, request
//! authentication and validation, and typed responses.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::operations::{body_ty, carries_status};
use super::rust::{ident, resolve_alias, value_ty, Paths};
use crate::model::{
    Api, Constraints, MediaKind, Operation, ParamIn, Response, SchemeKind, Shape, Status, Ty,
    TypeKind,
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
fn default_rejection(api: &Api, op: &Operation, kind: RejectKind, paths: &Paths) -> TokenStream {
    let resp_ty = ident(&op.response_type);
    let Some((r, status)) = rejection_response(op, kind) else {
        return quote!(None);
    };
    let vi = ident(&r.variant);
    let body = match (r.primary_content(), body_ty(api, r, paths)) {
        (Some(c), Some(ty)) => Some(match (&c.kind, &c.shape) {
            (MediaKind::Json, Some(shape)) => {
                let template = sample(api, shape, status, None, 0).to_string();
                quote! {{
                    let mut value: ::serde_json::Value = match ::serde_json::from_str(#template) {
                        Ok(v) => v,
                        Err(_) => return None,
                    };
                    super::runtime::fill_message(&mut value, message);
                    match ::serde_json::from_value::<#ty>(value) {
                        Ok(v) => v,
                        Err(_) => return None,
                    }
                }}
            }
            (MediaKind::Json, None) => quote!(::serde_json::Value::String(message.to_string())),
            (MediaKind::Text, _) => quote!(message.to_string()),
            _ => quote!(message.as_bytes().to_vec()),
        }),
        _ => None,
    };
    let value = match (carries_status(r), body) {
        (false, Some(b)) => quote!(operations::#resp_ty::#vi(#b)),
        (false, None) => quote!(operations::#resp_ty::#vi),
        (true, Some(b)) => quote!(operations::#resp_ty::#vi { status: #status, body: #b }),
        (true, None) => quote!(operations::#resp_ty::#vi { status: #status }),
    };
    quote!(Some(#value))
}

/// The module's items.
pub fn emit(api: &Api) -> TokenStream {
    let paths = paths();
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
        .map(|op| trait_method(api, op, &paths));
    let handlers = api
        .operations
        .iter()
        .map(|op| handler(api, op, &paths, &scheme_variants));
    let routes = route_table(api);

    quote! {
        use super::operations;
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
        pub trait Api: Send + Sync + 'static {
            /// Whether `credential` is acceptable. Called for each credential a
            /// security requirement needs; a request passes when every credential of
            /// one of its operation's requirements is accepted.
            fn verify(&self, credential: &Credential) -> impl Future<Output = bool> + Send;

            #(#trait_methods)*
        }

        /// The largest request body accepted, in bytes.
        pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

        /// A router serving every operation of the API at its path (with the
        /// server's base path), backed by `api`.
        pub fn router<A: Api>(api: Arc<A>) -> ::axum::Router {
            ::axum::Router::new()
                #routes
                .fallback(not_found)
                .with_state(api)
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

        fn respond(status: u16, content_type: &'static str, body: Result<Vec<u8>, ::serde_json::Error>) -> ::axum::response::Response {
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
        fn query_pairs(parts: &::axum::http::request::Parts) -> Vec<(String, String)> {
            let query = parts.uri.query().unwrap_or("");
            url_decode_pairs(query)
        }

        /// Splits a query string into decoded pairs (`+` is a space).
        #[allow(dead_code)]
        fn url_decode_pairs(query: &str) -> Vec<(String, String)> {
            fn decode(s: &str) -> String {
                let bytes = s.as_bytes();
                let mut out = Vec::with_capacity(bytes.len());
                let mut i = 0;
                while i < bytes.len() {
                    match bytes[i] {
                        b'+' => out.push(b' '),
                        b'%' if i + 2 < bytes.len() => {
                            let hex = |b: u8| (b as char).to_digit(16);
                            match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                                (Some(h), Some(l)) => {
                                    out.push((h * 16 + l) as u8);
                                    i += 2;
                                }
                                _ => out.push(b'%'),
                            }
                        }
                        b => out.push(b),
                    }
                    i += 1;
                }
                String::from_utf8_lossy(&out).into_owned()
            }
            query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (decode(k), decode(v)),
                    None => (decode(p), String::new()),
                })
                .collect()
        }

        /// Parses an array parameter whose items arrive as strings.
        #[allow(dead_code)]
        fn parse_array<T: ::serde::de::DeserializeOwned>(name: &str, items: ::serde_json::Value) -> Result<T, Rejection> {
            if let Ok(v) = ::serde_json::from_value::<T>(items.clone()) {
                return Ok(v);
            }
            // Items that are not strings (numbers, booleans): parse each as JSON.
            let parsed: Vec<::serde_json::Value> = match items {
                ::serde_json::Value::Array(a) => a
                    .into_iter()
                    .map(|v| match v {
                        ::serde_json::Value::String(s) => ::serde_json::from_str(&s).unwrap_or(::serde_json::Value::String(s)),
                        other => other,
                    })
                    .collect(),
                other => vec![other],
            };
            ::serde_json::from_value(::serde_json::Value::Array(parsed))
                .map_err(|e| Rejection::InvalidParameter { name: name.to_string(), message: e.to_string() })
        }

        #[allow(dead_code)]
        fn query_value(parts: &::axum::http::request::Parts, name: &str) -> Option<String> {
            query_pairs(parts).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
        }

        #[allow(dead_code)]
        fn cookie_value(parts: &::axum::http::request::Parts, name: &str) -> Option<String> {
            parts
                .headers
                .get_all(::axum::http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
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

        /// Parses a parameter's text: as a string value first, then as JSON.
        #[allow(dead_code)]
        fn parse_param<T: ::serde::de::DeserializeOwned>(name: &str, raw: &str) -> Result<T, Rejection> {
            if let Ok(v) = ::serde_json::from_value(::serde_json::Value::String(raw.to_string())) {
                return Ok(v);
            }
            ::serde_json::from_str(raw).map_err(|e| Rejection::InvalidParameter { name: name.to_string(), message: e.to_string() })
        }

        /// Reads and decodes a JSON body.
        #[allow(dead_code)]
        ///
        /// `check` looks at the JSON as sent for what decoding cannot see (a `null`
        /// sent for an optional property that is not nullable decodes as absent).
        async fn json_body<T: ::serde::de::DeserializeOwned + Validate>(
            body: ::axum::body::Body,
            required: bool,
            check: Option<fn(&::serde_json::Value, &mut Vec<Violation>)>,
        ) -> Result<Option<T>, Rejection> {
            let bytes = match ::axum::body::to_bytes(body, BODY_LIMIT).await {
                Ok(b) => b,
                Err(e) => return Err(Rejection::MalformedBody(format!("cannot read the body: {e}"))),
            };
            if bytes.is_empty() {
                return if required { Err(Rejection::MalformedBody("a body is required".into())) } else { Ok(None) };
            }
            let value: T = ::serde_json::from_slice(&bytes).map_err(|e| Rejection::MalformedBody(e.to_string()))?;
            let mut violations = Vec::new();
            if let Some(check) = check {
                if let Ok(raw) = ::serde_json::from_slice::<::serde_json::Value>(&bytes) {
                    check(&raw, &mut violations);
                }
            }
            value.validate("", &mut violations);
            if violations.is_empty() {
                Ok(Some(value))
            } else {
                Err(Rejection::InvalidBody(violations))
            }
        }

        /// Whether the request's content type is JSON (`application/json` or `+json`).
        #[allow(dead_code)]
        fn is_json(parts: &::axum::http::request::Parts) -> bool {
            match header_value(parts, "content-type") {
                Some(ct) => {
                    let mt = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                    mt == "application/json" || mt.ends_with("+json")
                }
                None => false,
            }
        }

        #(#handlers)*
    }
}

fn trait_method(api: &Api, op: &Operation, paths: &Paths) -> TokenStream {
    let fname = ident(&op.fn_name);
    let resp_ty = ident(&op.response_type);
    let docs = super::operations::operation_docs(op);
    let mut args = vec![quote!(auth: Auth)];
    if !op.params.is_empty() {
        let pty = ident(&op.params_type);
        args.push(quote!(params: operations::#pty));
    }
    if let Some((b, c)) = op
        .body
        .as_ref()
        .and_then(|b| b.primary_content().map(|c| (b, c)))
    {
        let ty = match (&c.kind, &c.shape) {
            (MediaKind::Json, Some(s)) => value_ty(api, s, paths),
            (MediaKind::Json, None) => quote!(::serde_json::Value),
            (MediaKind::Text, _) => quote!(String),
            _ => quote!(Vec<u8>),
        };
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
    let auth_default = default_rejection(api, op, RejectKind::Auth, paths);
    let request_default = default_rejection(api, op, RejectKind::Request, paths);
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
        fn #fname(&self, #(#args),*) -> impl Future<Output = operations::#resp_ty> + Send;

        #[doc = #reject_doc]
        fn #reject_name(&self, rejection: &Rejection) -> Option<operations::#resp_ty> {
            let message = &rejection.to_string();
            let _ = message;
            #choose
        }
    }
}

fn route_table(api: &Api) -> TokenStream {
    // Group operations by full path (base path + template), in document order.
    let mut groups: Vec<(String, Vec<&Operation>)> = Vec::new();
    for op in &api.operations {
        let base = op
            .servers
            .first()
            .map(|s| s.base_path())
            .unwrap_or_default();
        let full = format!("{base}{}", op.path);
        match groups.iter_mut().find(|(p, _)| *p == full) {
            Some((_, ops)) => ops.push(op),
            None => groups.push((full, vec![op])),
        }
    }
    let routes = groups.iter().map(|(path, ops)| {
        let mut chain = quote!(::axum::routing::MethodRouter::new());
        for op in ops {
            let h = format_ident!("handle_{}", crate::model::naming::bare(&op.fn_name));
            let m = format_ident!("{}", op.method);
            chain = quote!(#chain.#m(#h::<A>));
        }
        quote!(.route(#path, #chain))
    });
    quote!(#(#routes)*)
}

fn handler(
    api: &Api,
    op: &Operation,
    paths: &Paths,
    scheme_variants: &[proc_macro2::Ident],
) -> TokenStream {
    let h = format_ident!("handle_{}", crate::model::naming::bare(&op.fn_name));
    let fname = ident(&op.fn_name);
    let reject_name = format_ident!("reject_{}", crate::model::naming::bare(&op.fn_name));
    let resp_ty = ident(&op.response_type);
    let into = format_ident!("into_response_{}", crate::model::naming::bare(&op.fn_name));
    let alternatives = op.security.alternatives.iter().map(|alt| {
        let ids = alt.iter().map(|u| &scheme_variants[u.scheme]);
        quote!(&[#(Scheme::#ids),*])
    });
    let mut call_args = vec![quote!(auth)];
    let params_step = if op.params.is_empty() {
        TokenStream::new()
    } else {
        let pty = ident(&op.params_type);
        let lets: Vec<TokenStream> = op
            .params
            .iter()
            .map(|p| {
                let fi = ident(&p.ident);
                let parse = param_parse(api, p);
                quote!(let #fi = #parse;)
            })
            .collect();
        let fields = op.params.iter().map(|p| {
            let fi = ident(&p.ident);
            let name = &p.name;
            if p.required {
                quote! {
                    #fi: match #fi {
                        Some(Ok(v)) => v,
                        Some(Err(rejection)) => return reject(&*api, rejection),
                        None => return reject(&*api, Rejection::InvalidParameter { name: #name.to_string(), message: "required".to_string() }),
                    },
                }
            } else {
                quote! {
                    #fi: match #fi {
                        Some(Ok(v)) => Some(v),
                        Some(Err(rejection)) => return reject(&*api, rejection),
                        None => None,
                    },
                }
            }
        });
        call_args.push(quote!(params));
        // Constraint checks of each parameter (the same checks as for bodies).
        let checks: Vec<TokenStream> = op
            .params
            .iter()
            .filter_map(|p| {
                let fi = ident(&p.ident);
                let name = &p.name;
                let inner = check_value(api, &p.shape, quote!(v), quote!(String::from(#name)), 0);
                if inner.is_empty() {
                    return None;
                }
                let nullable = p.shape.nullable && !super::rust::null_is_native(&p.shape);
                let inner = if nullable {
                    quote!(if let Some(v) = v { #inner })
                } else {
                    inner
                };
                Some(if p.required {
                    quote! { { let v = &params.#fi; #inner } }
                } else {
                    quote! { if let Some(v) = &params.#fi { #inner } }
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
                    return reject(&*api, Rejection::InvalidParameter { name: first.at, message: first.message });
                }
            }
        };
        quote! {
            let path_values: Vec<(String, String)> = match <::axum::extract::Path<Vec<(String, String)>> as ::axum::extract::FromRequestParts<Arc<A>>>::from_request_parts(&mut parts, &api).await {
                Ok(::axum::extract::Path(v)) => v,
                Err(_) => Vec::new(),
            };
            let _ = &path_values;
            #(#lets)*
            let params = operations::#pty { #(#fields)* };
            #validate
        }
    };
    let body_step = match op
        .body
        .as_ref()
        .and_then(|b| b.primary_content().map(|c| (b, c)))
    {
        None => quote!(let _ = body;),
        Some((b, c)) => {
            let required = b.required;
            call_args.push(quote!(body));
            match (&c.kind, &c.shape) {
                (MediaKind::Json, shape) => {
                    let ty = match shape {
                        Some(s) => value_ty(api, s, paths),
                        None => quote!(::serde_json::Value),
                    };
                    let json_checks = shape
                        .as_ref()
                        .map(|s| json_check(api, s, quote!(v), quote!(String::new()), false, 0))
                        .unwrap_or_default();
                    let check_fn = if json_checks.is_empty() {
                        quote!(None)
                    } else {
                        quote!(Some(|v: &::serde_json::Value, out: &mut Vec<Violation>| { #json_checks }))
                    };
                    let unwrap = if required {
                        quote! {
                            let body = match body {
                                Some(v) => v,
                                None => return reject(&*api, Rejection::MalformedBody("a body is required".into())),
                            };
                        }
                    } else {
                        TokenStream::new()
                    };
                    let check = if required {
                        quote!(!is_json(&parts))
                    } else {
                        quote!(
                            parts
                                .headers
                                .contains_key(::axum::http::header::CONTENT_TYPE)
                                && !is_json(&parts)
                        )
                    };
                    quote! {
                        if #check {
                            return reject(&*api, Rejection::MalformedBody("the body must be JSON (Content-Type: application/json)".into()));
                        }
                        let body: Option<#ty> = match json_body::<#ty>(body, #required, #check_fn).await {
                            Ok(v) => v,
                            Err(rejection) => return reject(&*api, rejection),
                        };
                        #unwrap
                    }
                }
                (MediaKind::Text, _) => {
                    let unwrap = if required {
                        quote!(let body = body.unwrap_or_default();)
                    } else {
                        quote!(let body = if body.as_deref() == Some("") { None } else { body };)
                    };
                    quote! {
                        let body: Option<String> = match ::axum::body::to_bytes(body, BODY_LIMIT).await {
                            Ok(b) => match String::from_utf8(b.to_vec()) { Ok(s) => Some(s), Err(_) => return reject(&*api, Rejection::MalformedBody("the body is not UTF-8".into())) },
                            Err(e) => return reject(&*api, Rejection::MalformedBody(e.to_string())),
                        };
                        #unwrap
                    }
                }
                _ => {
                    let unwrap = if required {
                        quote!(let body = body.unwrap_or_default();)
                    } else {
                        TokenStream::new()
                    };
                    quote! {
                        let body: Option<Vec<u8>> = match ::axum::body::to_bytes(body, BODY_LIMIT).await {
                            Ok(b) => Some(b.to_vec()),
                            Err(e) => return reject(&*api, Rejection::MalformedBody(e.to_string())),
                        };
                        #unwrap
                    }
                }
            }
        }
    };
    // Response encoding.
    let arms = op.responses.iter().map(|r| {
        let vi = ident(&r.variant);
        let code = r.concrete_status(500);
        let (ct, encode) = match r.primary_content() {
            Some(c) => {
                let ct = Literal::string(&c.media_type);
                let enc = match c.kind {
                    MediaKind::Json => quote!(::serde_json::to_vec(&body)),
                    MediaKind::Text => quote!(Ok(body.into_bytes())),
                    _ => quote!(Ok(body)),
                };
                (quote!(#ct), Some(enc))
            }
            None => (quote!(""), None),
        };
        match (carries_status(r), encode) {
            (false, Some(e)) => quote!(operations::#resp_ty::#vi(body) => respond(#code, #ct, #e),),
            (false, None) => {
                quote!(operations::#resp_ty::#vi => respond(#code, "", Ok(Vec::new())),)
            }
            (true, Some(e)) => {
                quote!(operations::#resp_ty::#vi { status, body } => respond(status, #ct, #e),)
            }
            (true, None) => {
                quote!(operations::#resp_ty::#vi { status } => respond(status, "", Ok(Vec::new())),)
            }
        }
    });
    quote! {
        fn #into(response: operations::#resp_ty) -> ::axum::response::Response {
            match response {
                #(#arms)*
            }
        }

        async fn #h<A: Api>(::axum::extract::State(api): ::axum::extract::State<Arc<A>>, request: ::axum::extract::Request) -> ::axum::response::Response {
            fn reject<A: Api>(api: &A, rejection: Rejection) -> ::axum::response::Response {
                match api.#reject_name(&rejection) {
                    Some(response) => #into(response),
                    None => undeclared_rejection(&rejection),
                }
            }
            #[allow(unused_mut)]
            let (mut parts, body) = request.into_parts();
            let auth = match authenticate(&*api, &parts, &[#(#alternatives),*]).await {
                Ok(auth) => auth,
                Err(rejection) => return reject(&*api, rejection),
            };
            #params_step
            #body_step
            #into(api.#fname(#(#call_args),*).await)
        }
    }
}

/// The expression that reads and parses one parameter of a request:
/// `Option<Result<T, Rejection>>` (None when it is absent).
fn param_parse(api: &Api, p: &crate::model::Param) -> TokenStream {
    let name = &p.name;
    let raw = match p.location {
        ParamIn::Path => {
            quote!(path_values.iter().find(|(k, _)| k == #name).map(|(_, v)| v.clone()))
        }
        ParamIn::Query => quote!(query_value(&parts, #name)),
        ParamIn::Header => quote!(header_value(&parts, #name)),
        ParamIn::Cookie => quote!(cookie_value(&parts, #name)),
    };
    let is_array = matches!(resolve_alias(api, &p.shape).ty, Ty::Array(_));
    if is_array && p.location == ParamIn::Query && p.explode {
        quote! {
            {
                let items: Vec<String> = query_pairs(&parts).into_iter().filter(|(k, _)| k == #name).map(|(_, v)| v).collect();
                if items.is_empty() { None } else {
                    let joined = ::serde_json::Value::Array(items.into_iter().map(::serde_json::Value::String).collect());
                    Some(parse_array(#name, joined))
                }
            }
        }
    } else if is_array {
        quote! {
            #raw.map(|raw| {
                let joined = ::serde_json::Value::Array(raw.split(',').map(|s| ::serde_json::Value::String(s.to_string())).collect());
                parse_array(#name, joined)
            })
        }
    } else {
        quote!(#raw.map(|raw| parse_param(#name, &raw)))
    }
}

/// Emits the `validate` module: a `Validate` impl per named type.
pub fn emit_validate(api: &Api) -> TokenStream {
    let uuid_impl = if super::uses_uuid(api) {
        quote!(no_constraints!(::uuid::Uuid);)
    } else {
        TokenStream::new()
    };
    let paths = Paths {
        models: quote!(super::models::),
        runtime: quote!(super::runtime),
    };
    let impls = api.types.iter().enumerate().filter_map(|(i, t)| {
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
            TypeKind::Union(u) => {
                let arms = u.variants.iter().map(|v| {
                    let vi = ident(&v.ident);
                    let check = check_value(api, &v.shape, quote!(v), quote!(at.to_string()), 0);
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
                    let inner = check_value(api, shape, quote!(v), at.clone(), 0);
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
                        let inner = check_value(api, shape, quote!(v), quote!(format!("{at}/{k}")), 0);
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
                fn validate_json(value: &::serde_json::Value, at: &str, out: &mut Vec<Violation>) {
                    #json
                }
            }
        };
        let _ = i;
        Some(quote! {
            impl Validate for models::#name {
                #[allow(unused_variables, clippy::only_used_in_recursion)]
                fn validate(&self, at: &str, out: &mut Vec<Violation>) {
                    #body
                }
                #json
            }
        })
    });
    quote! {
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
            /// Appends every violation found under `at` to `out`.
            fn validate(&self, at: &str, out: &mut Vec<Violation>);

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
        no_constraints!(String, i32, i64, u32, u64, f64, bool, (), ::serde_json::Value, super::runtime::DateTime, ::chrono::NaiveDate);
        #uuid_impl

        #[allow(dead_code)]
        pub(crate) fn regex(pattern: &str) -> Option<::regex::Regex> {
            ::regex::Regex::new(pattern).ok()
        }

        #(#impls)*
    }
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
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid => quote!(value.is_string()),
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
            let check = json_check(
                api,
                &f.shape,
                quote!(v),
                quote!(format!("{at}/{}", #name)),
                !f.required && !super::models::has_default(api, f),
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
fn check_value(
    api: &Api,
    shape: &Shape,
    v: TokenStream,
    at: TokenStream,
    depth: usize,
) -> TokenStream {
    if depth > 8 {
        return TokenStream::new();
    }
    let c = &shape.constraints;
    let mut checks = constraint_checks(c, &shape.ty, v.clone());
    match &shape.ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => {
                let inner_checks =
                    check_value(api, inner, v.clone(), quote!(here.clone()), depth + 1);
                if !inner_checks.is_empty() {
                    let nullable = inner.nullable && !super::rust::null_is_native(inner);
                    if nullable {
                        checks.extend(quote! { if let Some(v) = #v { #inner_checks } });
                    } else {
                        checks.extend(inner_checks);
                    }
                }
            }
            _ => checks.extend(quote! { Validate::validate(#v, &here, out); }),
        },
        Ty::Array(item) | Ty::Map(item) => {
            // Arrays iterate `(index, item)`, maps `(key, item)`: the same check per item.
            let (iter, key) = match &shape.ty {
                Ty::Array(_) => (quote!(#v.iter().enumerate()), quote!(i)),
                _ => (quote!(#v.iter()), quote!(k)),
            };
            let inner = check_value(
                api,
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
        let as_f64 = quote!((*#v as f64));
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
            let min = Literal::usize_unsuffixed(min);
            out.extend(quote! { if #v.len() < #min { out.push(Violation { at: #at, message: format!("fewer than {} items", #min) }); } });
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
