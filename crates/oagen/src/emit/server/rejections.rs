//! Default rejections: the declared response each operation answers a `Rejection` (the runtime's) with by default (`reject_*`), built from a schema-valid sample.

use proc_macro2::TokenStream;
use quote::quote;

use super::samples::{fill_placeholder, sample, Samples};
use crate::emit::operations::{carrier_ty, carries_status};
use crate::emit::rust::{ident, value_ty, Paths};
use crate::model::{Api, MediaKind, Operation, Response, Status};

/// Which kind of rejection a default response is chosen for.
#[derive(Clone, Copy)]
pub(super) enum RejectKind {
    Auth,
    Request,
    /// A body over the limit: only a declared 413 (else a plain 413).
    TooLarge,
}

/// The declared response a rejection is answered with by default, and its status.
fn rejection_response(op: &Operation, kind: RejectKind) -> Option<(&Response, u16)> {
    let preferred: &[u16] = match kind {
        RejectKind::Auth => &[401, 403],
        RejectKind::Request => &[400, 422],
        RejectKind::TooLarge => {
            return op
                .responses
                .iter()
                .find(|r| r.status == Status::Code(413))
                .map(|r| (r, 413));
        }
    };
    let fallback = match kind {
        RejectKind::Auth => 401,
        _ => 400,
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
        // 413 says the body is too large, never another bad request.
        .filter(|r| matches!(r.status, Status::Code(c) if (400..500).contains(&c) && c != 413))
        .collect();
    others.sort_by_key(|r| r.status);
    others.first().map(|r| (*r, r.concrete_status(fallback)))
}

/// The expression that builds an operation's response for a rejection by default.
pub(super) fn default_rejection(
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
            (MediaKind::Binary, _) => quote!(super::runtime::ByteBody::from(message.to_string())),
            // A streamed rejection: the message as the one event's data, or
            // the one line or record, when the item is text or any JSON.
            (MediaKind::EventStream, _) if c.item.is_none() => {
                quote!(super::runtime::stream::Streamed::from_items([
                    super::runtime::stream::sse::Event::new(message.to_string()),
                ]))
            }
            (MediaKind::JsonLines | MediaKind::JsonSeq, _) if c.item.is_none() => {
                quote!(super::runtime::stream::Streamed::from_items([
                    ::serde_json::Value::String(message.to_string()),
                ]))
            }
            (MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq, _) => {
                return quote!(None);
            }
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
