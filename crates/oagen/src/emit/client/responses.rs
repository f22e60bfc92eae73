//! Responses in the generated client: each operation's `response_*` (status dispatch, declared headers, the body by media type) and the module's decoders.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::operations::{
    body_ty, carries_status, form_fields, multipart_fields, runtime_form,
};
use crate::emit::rust::{ident, Paths};
use crate::model::{Api, Content, MediaKind, Operation, Status};

/// An operation's `response_*`: the response by status.
pub(super) fn decoder(api: &Api, op: &Operation, paths: &Paths) -> TokenStream {
    let resp_ty = ident(&op.response_type);
    let decoder = format_ident!("response_{}", crate::model::naming::bare(&op.fn_name));
    let rt = &paths.runtime;
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
    // Only a `default` response: the status match has one arm.
    let single_arm = (op.responses.len() == 1 && op.responses[0].status == Status::Default)
        .then(|| quote!(#[allow(clippy::match_single_binding)]));
    let decoder_doc = format!(" Decodes a response of `{}`.", op.id);
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
