//! Authentication in the generated server: the `Scheme` enum, `Credential` and `Auth`, reading a scheme's credential out of a request, and `authenticate`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{Api, ParamIn, SchemeKind};

/// `Scheme`, `Credential` and `Auth`.
pub(super) fn credential_items(api: &Api, scheme_variants: &[Ident]) -> TokenStream {
    let scheme_docs = crate::emit::operations::schemes_with(api, scheme_variants).map(|(s, v)| {
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
    quote! {
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
    }
}

/// `extract` (a scheme's credential in a request), the request readers and
/// `authenticate`.
pub(super) fn authentication_items(api: &Api, scheme_variants: &[Ident]) -> TokenStream {
    let extract_arms = crate::emit::operations::schemes_with(api, scheme_variants).map(|(s, v)| {
        let body = match &s.kind {
            SchemeKind::Bearer { .. } | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect { .. } => {
                quote!(authorization_param(parts, "bearer"))
            }
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
    quote! {
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
    }
}
