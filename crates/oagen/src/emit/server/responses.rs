//! Writing responses: `into_response_*` per operation (status, declared headers, body by media type) and the module's `plain`, `respond`, `respond_with` and `undeclared_rejection`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::operations::{carries_status, form_encodings, multipart_types};
use crate::emit::rust::ident;
use crate::model::{Api, Content, MediaKind, Operation};

/// The module's functions that write responses.
pub(super) fn response_items(api: &Api) -> TokenStream {
    let respond_with = crate::emit::operations::has_response_headers(api).then(|| {
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
    quote! {
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
    }
}

/// `into_response_*`: writes an operation's response.
pub(super) fn into_response(api: &Api, op: &Operation) -> TokenStream {
    let resp_ty = ident(&op.response_type);
    let into = format_ident!("into_response_{}", crate::model::naming::bare(&op.fn_name));
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
                .filter(|h| !crate::emit::operations::layer_owned_header(&h.name))
                .map(|h| {
                    let fi = ident(&h.ident);
                    let name = &h.name;
                    let form = crate::emit::operations::runtime_form(api, h);
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
            let headers_pat = if r.headers.iter().all(|h| crate::emit::operations::layer_owned_header(&h.name)) {
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
