//! Responses in the generated client: each operation's `response_*` (status dispatch, declared headers, the body by media type) and the module's decoders.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::operations::{
    body_ty, carries_status, form_fields, has_bytes, multipart_fields, op_bytes, op_streams,
    runtime_form, streams,
};
use crate::emit::rust::{ident, Paths};
use crate::model::{Api, Content, MediaKind, Operation, Status};

/// An operation's `response_*`: the response by status.
pub(super) fn decoder(api: &Api, op: &Operation, paths: &Paths) -> TokenStream {
    let resp_ty = ident(&op.response_type);
    let decoder = format_ident!("response_{}", crate::model::naming::bare(&op.fn_name));
    let rt = &paths.runtime;
    // With a streamed or bytes response the body comes as a `Body` (a
    // stream when the status and media type are a streamed response's, or
    // bytes asked for as a stream, else read whole).
    let streaming = op_streams(op) || op_bytes(op);
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
        // In a streaming operation, a response that does not stream is read
        // whole first; one that streams reads its body as it decodes it.
        let r_streams = streaming && (streams(&r.contents) || has_bytes(&r.contents));
        let (prelude, whole, raw_var) = if r_streams {
            (TokenStream::new(), quote!(body.into_bytes()), quote!(raw))
        } else if streaming {
            (
                quote!(let body = body.into_bytes();),
                quote!(body),
                quote!(body),
            )
        } else {
            (TokenStream::new(), quote!(body), quote!(body))
        };
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
                    let d = decode_response(api, c, rt, &whole, paths);
                    chain.extend(quote!(if #rt::wire::media_matches(content_type, #mt) { operations::#choice::#vi(#d) } else));
                }
                let first = &r.contents[0];
                let vi = ident(&first.variant);
                let d = decode_response(api, first, rt, &whole, paths);
                Some(quote!({
                    let content_type = headers.get(::reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
                    #chain { operations::#choice::#vi(#d) }
                }))
            }
            (None, Some(c), Some(_)) => Some(decode_response(api, c, rt, &whole, paths)),
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
                    quote!(#fi: required_header(&headers, #name, #form, status, &mut #raw_var)?,)
                } else {
                    quote!(#fi: header(&headers, #name, #form, status, &mut #raw_var)?,)
                }
            });
            let status_field = carries_status(r).then(|| quote!(status,));
            let body_field = decode.map(|d| quote!(body: #d,));
            let unused_body = body_field.is_none().then(|| quote!(let _ = body;));
            // A header error keeps the body read whole; a stream's is not read.
            let raw = if r_streams {
                quote!(let mut raw: Vec<u8> = Vec::new();)
            } else {
                quote!(#prelude let mut body = body;)
            };
            arms.push(quote! {
                #pat => {
                    #raw
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
        if prelude.is_empty() {
            arms.push(quote!(#pat => Ok(#value),));
        } else {
            arms.push(quote!(#pat => { #prelude Ok(#value) }));
        }
    }
    if !op.responses.iter().any(|r| r.status == Status::Default) {
        arms.push(if streaming {
            quote!(_ => Err(Error::UnexpectedStatus { status, body: body.into_bytes() }),)
        } else {
            quote!(_ => Err(Error::UnexpectedStatus { status, body }),)
        });
    }
    // Only a `default` response: the status match has one arm.
    let single_arm = (op.responses.len() == 1 && op.responses[0].status == Status::Default)
        .then(|| quote!(#[allow(clippy::match_single_binding)]));
    let decoder_doc = format!(" Decodes a response of `{}`.", op.id);
    let body_ty = if streaming {
        quote!(#rt::client::Body)
    } else {
        quote!(Vec<u8>)
    };
    quote! {
        #[doc = #decoder_doc]
        #single_arm
        #[allow(unused_variables)]
        #[inline]
        fn #decoder(status: u16, headers: ::reqwest::header::HeaderMap, body: #body_ty) -> Result<operations::#resp_ty, Error> {
            match status {
                #(#arms)*
            }
        }
    }
}

/// The expression that decodes `body` as `c`'s carrier; `whole` is the
/// body's bytes (`body`, or `body.into_bytes()` for a streaming operation).
fn decode_response(
    api: &Api,
    c: &Content,
    rt: &TokenStream,
    whole: &TokenStream,
    paths: &Paths,
) -> TokenStream {
    match c.kind {
        MediaKind::Json => quote!(decode(status, #whole)?),
        MediaKind::Form => {
            let fields = form_fields(api, c, rt);
            quote!(decode_form(status, #whole, #fields)?)
        }
        MediaKind::Multipart => {
            let fields = multipart_fields(api, c, rt);
            quote!(decode_multipart(status, &headers, #whole, #fields)?)
        }
        MediaKind::Text => quote!(decode_text(status, #whole)?),
        // Only in an operation whose decoder gets a `Body`.
        MediaKind::Binary => quote!(body.into_byte_body()),
        MediaKind::EventStream => {
            let decode = item_decoder(api, c, rt, paths);
            quote!(body.events(#decode))
        }
        MediaKind::JsonLines | MediaKind::JsonSeq => {
            let framing = if c.kind == MediaKind::JsonSeq {
                quote!(Seq)
            } else {
                quote!(Lines)
            };
            let decode = item_decoder(api, c, rt, paths);
            quote!(body.items(#rt::stream::Framing::#framing, #decode))
        }
    }
}

/// The decoder of one item of a streamed body: JSON into the item's type,
/// raw text for an event's data without a schema, any JSON value for lines.
fn item_decoder(api: &Api, c: &Content, rt: &TokenStream, paths: &Paths) -> TokenStream {
    match (&c.item, c.kind) {
        (Some(shape), _) => {
            let ty = crate::emit::rust::value_ty(api, shape, paths);
            quote!(#rt::stream::json_item::<#ty>)
        }
        (None, MediaKind::EventStream) => quote!(#rt::stream::text_item),
        (None, _) => quote!(#rt::stream::json_item::<::serde_json::Value>),
    }
}

/// Which responses of `op` are taken as a stream: the predicate the
/// exchange asks before reading the body, by status and `Content-Type`:
/// `streams_*` (the streamed kinds) or, with `bytes`, `streams_bytes_*`
/// (bytes too, for the method that leaves them arriving).
pub(super) fn streams_predicate(op: &Operation, paths: &Paths, bytes: bool) -> TokenStream {
    let rt = &paths.runtime;
    let name = predicate_name(op, bytes);
    // Codes first, then ranges, then `default`, as responses are dispatched.
    let (mut codes, mut ranges, mut default) = (Vec::new(), Vec::new(), None);
    for r in &op.responses {
        let types: Vec<&str> = r
            .contents
            .iter()
            .filter(|c| c.kind.streams() || (bytes && c.kind == MediaKind::Binary))
            .map(|c| c.media_type.as_str())
            .collect();
        if types.is_empty() {
            // A declared status that is not streamed is read whole.
            match r.status {
                Status::Code(c) => {
                    let c = Literal::u16_unsuffixed(c);
                    codes.push(quote!(if status == #c { return false; }));
                }
                Status::Range(x) => {
                    let lo = Literal::u16_unsuffixed(x * 100);
                    let hi = Literal::u16_unsuffixed(x * 100 + 99);
                    ranges.push(quote!(if (#lo..=#hi).contains(&status) { return false; }));
                }
                Status::Default => default = Some(quote!(false)),
            }
            continue;
        }
        let test = quote!(#(#rt::wire::media_matches(content_type, #types))||*);
        match r.status {
            Status::Code(c) => {
                let c = Literal::u16_unsuffixed(c);
                codes.push(quote!(if status == #c { return #test; }));
            }
            Status::Range(x) => {
                let lo = Literal::u16_unsuffixed(x * 100);
                let hi = Literal::u16_unsuffixed(x * 100 + 99);
                ranges.push(quote!(if (#lo..=#hi).contains(&status) { return #test; }));
            }
            Status::Default => default = Some(test),
        }
    }
    let doc = format!(" Whether a response of `{}` is taken as a stream.", op.id);
    let streams_somewhere = op.responses.iter().any(|r| {
        r.contents
            .iter()
            .any(|c| c.kind.streams() || (bytes && c.kind == MediaKind::Binary))
    });
    if !streams_somewhere {
        return quote! {
            #[doc = #doc]
            fn #name(_: u16, _: &::reqwest::header::HeaderMap) -> bool {
                false
            }
        };
    }
    let status = if codes.is_empty() && ranges.is_empty() {
        quote!(_)
    } else {
        quote!(status)
    };
    let tail = default.unwrap_or_else(|| quote!(false));
    quote! {
        #[doc = #doc]
        fn #name(#status: u16, headers: &::reqwest::header::HeaderMap) -> bool {
            let content_type = headers
                .get(::reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            #(#codes)*
            #(#ranges)*
            #tail
        }
    }
}

/// The name of an operation's predicate (see [`streams_predicate`]).
pub(super) fn predicate_name(op: &Operation, bytes: bool) -> proc_macro2::Ident {
    let bare = crate::model::naming::bare(&op.fn_name);
    if bytes {
        format_ident!("streams_bytes_{}", bare)
    } else {
        format_ident!("streams_{}", bare)
    }
}
