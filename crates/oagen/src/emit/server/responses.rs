//! Writing responses: `into_response_*` per operation (status, declared headers, body by media type), which calls the runtime's `respond` and `respond_with`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::operations::{carries_status, form_encodings, multipart_types};
use crate::emit::rust::ident;
use crate::model::{Api, Content, MediaKind, Operation};

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
            let resp = quote!(super::runtime::server::respond_bytes(#status, &content_type, body));
            let ok = match headers {
                Some(h) => quote!(super::runtime::server::with_headers(#resp, #h)),
                None => resp,
            };
            quote!(match super::runtime::multipart::encode(&body, #types)
                .map_err(|e| e.to_string())
                .and_then(|parts| {
                    super::runtime::multipart::to_byte_body(&parts, #mt).map_err(|e| e.to_string())
                }) {
                Ok((content_type, body)) => #ok,
                Err(_) => super::runtime::server::plain(
                    ::axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    "cannot encode the response",
                ),
            })
        }
        MediaKind::Text => send(quote!(#mt), quote!(Ok(body.into_bytes()))),
        MediaKind::Binary => {
            let resp = quote!(super::runtime::server::respond_bytes(#status, #mt, body));
            match headers {
                Some(h) => quote!(super::runtime::server::with_headers(#resp, #h)),
                None => resp,
            }
        }
        MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq => {
            let rt = quote!(super::runtime);
            let encode = match &c.item {
                Some(_) => quote!(#rt::server::json_text),
                None if c.kind == MediaKind::EventStream => quote!(#rt::server::raw_text),
                None => quote!(#rt::server::json_text),
            };
            let body = match c.kind {
                MediaKind::EventStream => {
                    quote!(#rt::server::event_body(body, #encode, #rt::server::KEEP_ALIVE))
                }
                MediaKind::JsonSeq => {
                    quote!(#rt::server::items_body(body, #rt::stream::Framing::Seq, #encode))
                }
                _ => quote!(#rt::server::items_body(body, #rt::stream::Framing::Lines, #encode)),
            };
            let resp = quote!(#rt::server::respond_body(#status, #mt, #body));
            match headers {
                Some(h) => quote!(#rt::server::with_headers(#resp, #h)),
                None => resp,
            }
        }
    }
}
