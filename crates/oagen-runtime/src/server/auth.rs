//! Authentication: where a scheme's credential is sent ([`Source`], [`SecurityScheme`]), reading it out of a request (headers, query, cookies, HTTP Basic), [`Credential`] and [`Auth`], and [`authenticate`] against an operation's alternatives with a [`Verifier`].

use super::super::wire;
use super::Rejection;
use axum::http::request::Parts;
use std::future::Future;

/// Where a security scheme's credential is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `Authorization: <scheme> <credential>`, the scheme name in lower case
    /// (`bearer` for bearer tokens, OAuth 2 and OpenID Connect).
    Authorization(&'static str),
    /// `Authorization: Basic <base64 of user:password>`, decoded.
    Basic,
    /// An API key in the named header.
    Header(&'static str),
    /// An API key in the named query parameter.
    Query(&'static str),
    /// An API key in the named cookie.
    Cookie(&'static str),
    /// Nowhere a request can carry it (never sent).
    Nowhere,
}

/// A spec's security schemes (the generated `Scheme` enum): each says where
/// its credential is sent.
pub trait SecurityScheme: Copy + Eq + Send + Sync + 'static {
    /// Where this scheme's credential is sent.
    fn source(self) -> Source;
}

/// What checks credentials: every implementation of a generated `Api` is
/// one, through a blanket impl that calls its `verify`.
pub trait Verifier<S>: Send + Sync + 'static {
    /// Whether `credential` is acceptable.
    fn verify(&self, credential: &Credential<S>) -> impl Future<Output = bool> + Send;
}

/// A credential that the API's `verify` accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential<S> {
    /// The scheme it was sent with.
    pub scheme: S,
    /// The credential: the token or key as sent; for HTTP Basic, `user:password`.
    pub value: String,
}

/// The credentials a request was authenticated with: every scheme of the
/// requirement that matched, or none for anonymous access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth<S> {
    /// The verified credentials.
    pub credentials: Vec<Credential<S>>,
}

impl<S> Default for Auth<S> {
    fn default() -> Self {
        Auth {
            credentials: Vec::new(),
        }
    }
}

impl<S: PartialEq> Auth<S> {
    /// The credential sent with `scheme`, if that scheme matched.
    pub fn get(&self, scheme: S) -> Option<&str> {
        self.credentials
            .iter()
            .find(|c| c.scheme == scheme)
            .map(|c| c.value.as_str())
    }
}

/// The credential a request sends at `source`, if any.
pub fn extract(source: Source, parts: &Parts) -> Option<String> {
    match source {
        Source::Authorization(scheme) => authorization_param(parts, scheme),
        Source::Basic => authorization_param(parts, "basic").and_then(|b| decode_basic(&b)),
        Source::Header(name) => header_value(parts, name),
        Source::Query(name) => query_value(parts, name),
        Source::Cookie(name) => cookie_value(parts, name),
        Source::Nowhere => None,
    }
}

/// The text of header `name` (the first, when repeated; none when not text).
pub fn header_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The credential of `Authorization: <scheme> <credential>` (the scheme
/// matched without regard to case; an empty credential is none).
pub fn authorization_param(parts: &Parts, scheme: &str) -> Option<String> {
    let value = header_value(parts, "authorization")?;
    let (name, rest) = value.split_once(' ')?;
    if name.eq_ignore_ascii_case(scheme) && !rest.trim().is_empty() {
        Some(rest.trim().to_string())
    } else {
        None
    }
}

/// The value of query parameter `name` (the first, decoded).
pub fn query_value(parts: &Parts, name: &str) -> Option<String> {
    let query = wire::split_pairs(parts.uri.query().unwrap_or(""));
    query.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// The request's cookies, in order.
pub fn cookie_pairs(parts: &Parts) -> Vec<(String, String)> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The value of cookie `name` (the first).
pub fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    cookie_pairs(parts)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The `user:password` of HTTP Basic credentials (base64, standard or URL
/// alphabet, padding optional); none unless it decodes to UTF-8 with a `:`.
pub fn decode_basic(encoded: &str) -> Option<String> {
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

/// Authenticates a request against its operation's alternatives (each a
/// list of schemes that must all be sent and verified; an empty one, or no
/// alternatives at all, allows anonymous access).
pub async fn authenticate<S: SecurityScheme, A: Verifier<S>>(
    api: &A,
    parts: &Parts,
    alternatives: &[&[S]],
) -> Result<Auth<S>, Rejection> {
    if alternatives.is_empty() {
        return Ok(Auth::default());
    }
    let mut sent_any = false;
    for alt in alternatives.iter().filter(|a| !a.is_empty()) {
        let mut creds = Vec::new();
        let mut complete = true;
        for scheme in alt.iter() {
            match extract(scheme.source(), parts) {
                Some(value) => {
                    sent_any = true;
                    creds.push(Credential {
                        scheme: *scheme,
                        value,
                    });
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
    Err(if sent_any {
        Rejection::InvalidCredentials
    } else {
        Rejection::MissingCredentials
    })
}
