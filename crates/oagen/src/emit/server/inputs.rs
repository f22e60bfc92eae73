//! Request inputs: `input_*` per operation (the parameters parsed and checked, the body decoded by media type and validated), which calls the runtime's `Incoming` and `decode_*`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::json_checks::json_check;
use crate::emit::operations::{
    carrier_ty, form_fields, multipart_fields, request_body_ty, wire_kind,
};
use crate::emit::rust::{ident, Paths};
use crate::model::{Api, Carrier, Content, MediaKind, Operation, ParamIn};

/// What `serve` is handed to read an operation's input.
pub(super) struct Input {
    /// The `input_*` function (none when the operation takes nothing).
    pub item: TokenStream,
    /// The function `serve` calls: `input_*` or `no_input`.
    pub name: TokenStream,
    /// The pattern of the input in the call: `()`, `params`, `(params, body)`.
    pub pattern: TokenStream,
    /// The arguments of the trait's method after `auth`.
    pub args: Vec<TokenStream>,
    /// How `serve` reads the body: `Reading::Nothing`, `Whole`, or
    /// `Streams` (the binary media types, handed on as a stream).
    pub reading: TokenStream,
}

/// An operation's `input_*`: parses the parameters and checks them, decodes
/// the body by its media type and validates it.
pub(super) fn input(api: &Api, op: &Operation, paths: &Paths) -> Input {
    let mut args = Vec::new();
    // What `serve` decodes before the call: the parameters, then the body.
    let mut input_types: Vec<TokenStream> = Vec::new();
    let mut reads_body = false;
    // The media types handed on as a stream, and whether some other is read whole.
    let mut streamed_types: Vec<&str> = Vec::new();
    let mut whole_too = false;
    let params_step = if op.params.is_empty() {
        TokenStream::new()
    } else {
        let pty = ident(&op.params_type);
        let template = super::routing::route_path(op);
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
        args.push(quote!(params));
        // Constraint checks of each parameter (the same checks as for bodies).
        let checks: Vec<TokenStream> = op
            .params
            .iter()
            .filter_map(|p| {
                let fi = ident(&p.ident);
                let name = &p.name;
                let inner = super::validate::value_checks(
                    api,
                    &p.shape,
                    quote!(v),
                    quote!(String::from(#name)),
                );
                if inner.is_empty() {
                    return None;
                }
                let nullable = p.shape.nullable && !crate::emit::rust::null_is_native(&p.shape);
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
            args.push(quote!(body));
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
            // Bytes are handed on as a stream, multipart read part by part as
            // it arrives; the others are read whole.
            let incremental = |c: &Content| {
                matches!(c.carrier(), Carrier::Bytes) || c.kind == MediaKind::Multipart
            };
            streamed_types = b
                .contents
                .iter()
                .filter(|c| incremental(c))
                .map(|c| c.media_type.as_str())
                .collect();
            whole_too = !b.contents.iter().all(incremental);
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
                let decoded = if received.is_empty() {
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
    let inputs = &args;
    let (input_pat, input_ty) = match input_types.len() {
        0 => (quote!(()), quote!(())),
        1 => (quote!(#(#inputs)*), quote!(#(#input_types)*)),
        _ => (quote!((#(#inputs),*)), quote!((#(#input_types),*))),
    };
    let (input_fn, input_name) = if input_types.is_empty() {
        (TokenStream::new(), quote!(no_input))
    } else {
        let received = if reads_body {
            quote!(received)
        } else {
            quote!(_)
        };
        // Only decoders of a body read whole name its bytes.
        let bytes = whole_too.then(|| quote!(let bytes = received.bytes();));
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
                fn #input_name(parts: &::axum::http::request::Parts, #received: &Received) -> Result<#input_ty, Rejection> {
                    #params_step
                    #bytes
                    #body_step
                    Ok(#input_pat)
                }
            },
            quote!(#input_name),
        )
    };
    Input {
        item: input_fn,
        name: input_name,
        pattern: input_pat,
        args,
        reading: match (reads_body, streamed_types.is_empty()) {
            (false, _) => quote!(Reading::Nothing),
            (true, true) => quote!(Reading::Whole),
            (true, false) => quote!(Reading::Streams(&[#(#streamed_types),*])),
        },
    }
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
            quote!(decode_multipart::<#ty>(content_type, received, #fields))
        }
        (MediaKind::Text, _) => quote!(decode_text(bytes)),
        // A request body is never of a streamed kind (`MediaKind::of`);
        // bytes are the stream `serve` hands on, or the bytes read whole.
        (
            MediaKind::Binary | MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq,
            _,
        ) => quote!(decode_byte_body(received)),
    }
}
