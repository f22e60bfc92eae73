//! Requests in the generated client: each operation's method (the URL with its path parameters, query, header and cookie parameters, credentials, the body by media type).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::operations::{carrier_ty, form_encodings, multipart_types, style_tokens};
use crate::emit::rust::{ident, Paths};
use crate::model::{Api, Carrier, Content, MediaKind, Operation, ParamIn};

/// An operation's method: builds its request and sends it, to be decoded by
/// its `response_*`.
pub(super) fn method(
    api: &Api,
    op: &Operation,
    paths: &Paths,
    scheme_variants: &[Ident],
    streamed: bool,
) -> TokenStream {
    // An operation that offers a stream or a whole body has two methods,
    // which ask for one or the other with `Accept`; one whose response is
    // bytes has two methods that read them whole or leave them arriving.
    let fname = match &op.stream_fn_name {
        Some(name) if streamed => ident(name),
        _ => ident(&op.fn_name),
    };
    let accept = (op.stream_fn_name.is_some() && crate::emit::operations::offers_choice(op))
        .then(|| accepted(op, streamed));
    let bytes_response = crate::emit::operations::op_bytes(op);
    let accept_doc = op.stream_fn_name.as_ref().map(|name| {
        let plain = crate::model::naming::bare(&op.fn_name);
        let name = crate::model::naming::bare(name);
        let mut doc = match &accept {
            Some(types) if streamed => {
                format!(" Sends `Accept: {types}` (`{plain}` asks for the whole body).")
            }
            Some(types) => format!(" Sends `Accept: {types}` (`{name}` asks for the stream)."),
            None => String::new(),
        };
        if bytes_response {
            doc.push_str(if streamed {
                " A binary response's body is handed on as it arrives, never held whole"
            } else {
                " A binary response's body is read whole"
            });
            doc.push_str(&if streamed {
                format!(" (`{plain}` reads it whole).")
            } else {
                format!(" (`{name}` hands it on as it arrives).")
            });
        }
        quote!(#[doc = ""] #[doc = #doc])
    });
    let accept = accept.map(|types| quote!(req = req.header(::reqwest::header::ACCEPT, #types);));
    let resp_ty = ident(&op.response_type);
    let decoder = format_ident!("response_{}", crate::model::naming::bare(&op.fn_name));
    let docs = crate::emit::operations::operation_docs(op);
    let rt = &paths.runtime;
    let mut args = Vec::new();
    // A hook's sender is told where to send it.
    let hook = api
        .hooks
        .iter()
        .any(|h| std::ptr::eq(&api.operations[h.operation], op));
    if hook {
        args.push(quote!(url: &str));
    }
    let hook_doc = callback_doc(api, op);
    if !op.params.is_empty() {
        let pty = ident(&op.params_type);
        args.push(quote!(params: &operations::#pty));
    }
    // Path with parameters substituted.
    let mut fmt = String::new();
    let mut fmt_args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        fmt.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let var = &rest[start + 1..start + len];
        fmt.push_str("{}");
        match op
            .params
            .iter()
            .find(|p| p.location == ParamIn::Path && p.name == var)
        {
            Some(p) => {
                let fi = ident(&p.ident);
                let style = style_tokens(p.style, rt);
                let explode = p.explode;
                fmt_args.push(
                    quote!(#rt::wire::path_text(#var, &param_value(&params.#fi), #style, #explode)),
                );
            }
            None => fmt_args.push(quote!(String::new())),
        }
        rest = &rest[start + len + 1..];
    }
    fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let full_fmt = format!("{{}}{fmt}");
    let method_expr = http_method(&op.method);
    let mut steps = Vec::new();
    let has_query = op.params.iter().any(|p| p.location == ParamIn::Query);
    if has_query {
        steps.push(quote!(let mut query: Vec<(String, String)> = Vec::new();));
    }
    for p in &op.params {
        let fi = ident(&p.ident);
        let name = &p.name;
        let style = style_tokens(p.style, rt);
        let explode = p.explode;
        let add = match p.location {
            ParamIn::Path => continue,
            ParamIn::Query => {
                quote!(#rt::wire::query_pairs(#name, &param_value(v), #style, #explode, &mut query);)
            }
            ParamIn::Header => {
                quote!(req = req.header(#name, #rt::wire::header_text(&param_value(v), #explode));)
            }
            ParamIn::Cookie => quote! {
                let mut pairs = Vec::new();
                #rt::wire::query_pairs(#name, &param_value(v), #rt::wire::Style::Form, #explode, &mut pairs);
                cookies.extend(pairs.into_iter().map(|(k, v)| format!("{k}={v}")));
            },
        };
        let step = if p.required {
            quote! { { let v = &params.#fi; #add } }
        } else {
            quote! { if let Some(v) = &params.#fi { #add } }
        };
        steps.push(step);
    }
    if has_query {
        steps.push(quote!(if !query.is_empty() {
            req = req.query(&query);
        }));
    }
    let alternatives = op.security.alternatives.iter().map(|alt| {
        let ids = alt.iter().map(|u| &scheme_variants[u.scheme]);
        quote!(&[#(SchemeId::#ids),*])
    });
    let auth = if op.security.alternatives.is_empty() {
        TokenStream::new()
    } else {
        quote!(req = self.authorize(req, &[#(#alternatives),*], &mut cookies);)
    };
    // A body that may be bytes is taken by value: a stream is sent as it comes.
    let body_step = op.body.as_ref().and_then(|b| {
        let owned = crate::emit::operations::has_bytes(&b.contents);
        let (ty, send) = match &b.choice_type {
            Some(choice) => {
                let choice = ident(choice);
                let arms = b.contents.iter().map(|c| {
                    let vi = ident(&c.variant);
                    let send = encode_request(api, c, rt);
                    let by_ref = (owned && !matches!(c.carrier(), Carrier::Bytes))
                        .then(|| quote!(let body = &body;));
                    quote!(operations::#choice::#vi(body) => { #by_ref #send })
                });
                (
                    quote!(operations::#choice),
                    quote!(match body { #(#arms)* }),
                )
            }
            None => {
                let c = b.primary_content()?;
                let ty = match c.carrier() {
                    Carrier::Text => quote!(str),
                    _ => carrier_ty(api, c, paths),
                };
                (ty, encode_request(api, c, rt))
            }
        };
        let single_bytes = b.choice_type.is_none() && owned;
        Some(match (b.required, owned) {
            (true, false) => {
                args.push(quote!(body: &#ty));
                send
            }
            (false, false) => {
                args.push(quote!(body: Option<&#ty>));
                quote! { if let Some(body) = body { #send } }
            }
            (true, true) if single_bytes => {
                args.push(quote!(body: impl Into<#ty>));
                quote! { let body: #ty = body.into(); #send }
            }
            (true, true) => {
                args.push(quote!(body: #ty));
                send
            }
            (false, true) => {
                args.push(quote!(body: Option<#ty>));
                quote! { if let Some(body) = body { #send } }
            }
        })
    });
    let cookies_mut = if op.params.iter().any(|p| p.location == ParamIn::Cookie)
        || !op.security.alternatives.is_empty()
    {
        quote!(let mut cookies: Vec<String> = Vec::new();)
    } else {
        quote!(let cookies: Vec<String> = Vec::new();)
    };
    let send = if crate::emit::operations::op_streams(op) || bytes_response {
        let streams = super::responses::predicate_name(op, streamed && bytes_response);
        quote!(self.send_streaming(span, req, cookies, #streams, #decoder))
    } else {
        quote!(self.send(span, req, cookies, #decoder))
    };
    let op_id = op.id.as_str();
    let method_str = op.method.to_uppercase();
    let path_str = op.path.as_str();
    let url = if hook {
        quote!(let url = url.to_string();)
    } else {
        quote!(let url = format!(#full_fmt, self.base_url(), #(#fmt_args),*);)
    };
    quote! {
        #docs
        #accept_doc
        #hook_doc
        #[inline]
        pub fn #fname(&self, #(#args),*) -> Pending<operations::#resp_ty> {
            #url
            #[allow(unused_mut)]
            let mut req = self.http().request(#method_expr, url);
            #cookies_mut
            #accept
            #(#steps)*
            #auth
            #body_step
            #[cfg(feature = "tracing")]
            let span = ::tracing::info_span!(
                #op_id,
                http.request.method = #method_str,
                url.template = #path_str,
                attempt = ::tracing::field::Empty,
                http.response.status_code = ::tracing::field::Empty,
            );
            #[cfg(not(feature = "tracing"))]
            let span = ();
            #send
        }
    }
}

/// The media types `op`'s responses are declared in that stream
/// (`streamed`), or that do not, as an `Accept` value.
fn accepted(op: &Operation, streamed: bool) -> String {
    let mut types: Vec<&str> = Vec::new();
    for c in op.responses.iter().flat_map(|r| &r.contents) {
        if c.kind.streams() == streamed && !types.contains(&c.media_type.as_str()) {
            types.push(&c.media_type);
        }
    }
    types.join(", ")
}

/// Statements that set the request body from `body`, a reference to the
/// carrier of `c`, encoded as `c`'s media type.
fn encode_request(api: &Api, c: &Content, rt: &TokenStream) -> TokenStream {
    let _ = api;
    let mt = &c.media_type;
    match c.kind {
        MediaKind::Json => quote! {
            let encoded = match ::serde_json::to_vec(body) {
                Ok(encoded) => encoded,
                Err(e) => return Pending::failed(Error::Encode(e)),
            };
            req = req.header(::reqwest::header::CONTENT_TYPE, #mt).body(encoded);
        },
        MediaKind::Form => {
            let encodings = form_encodings(c, rt);
            quote! {
                let value = match #rt::to_json(body) {
                    Ok(value) => value,
                    Err(e) => return Pending::failed(Error::Encode(e)),
                };
                let text = #rt::wire::join_pairs(&#rt::wire::form_pairs(&value, #encodings));
                req = req.header(::reqwest::header::CONTENT_TYPE, #mt).body(text);
            }
        }
        MediaKind::Multipart => {
            let types = multipart_types(c);
            quote! {
                let parts = match #rt::multipart::encode(body, #types) {
                    Ok(parts) => parts,
                    Err(e) => return Pending::failed(Error::Encode(e)),
                };
                // File parts opened from a path are read as the body is sent.
                let (content_type, body) = match #rt::multipart::to_byte_body(&parts, #mt) {
                    Ok(body) => body,
                    Err(e) => return Pending::failed(Error::Encode(::serde_json::Error::io(e))),
                };
                req = #rt::client::send_bytes(req, &content_type, body);
            }
        }
        MediaKind::Text => quote! {
            req = req.header(::reqwest::header::CONTENT_TYPE, #mt).body(body.to_string());
        },
        // A request body is never of a streamed kind (`MediaKind::of`);
        // bytes are a `ByteBody`, owned, sent as they come.
        MediaKind::Binary | MediaKind::EventStream | MediaKind::JsonLines | MediaKind::JsonSeq => {
            quote! {
                req = #rt::client::send_bytes(req, #mt, body);
            }
        }
    }
}

/// The `reqwest::Method` of a (lower-case) method: a constant for the standard
/// ones, else built from its token (OpenAPI 3.2's `query` and custom methods;
/// the loader only keeps valid tokens, so building it cannot fail).
fn http_method(method: &str) -> TokenStream {
    let upper = method.to_uppercase();
    if crate::load::v32::is_standard(method) {
        let m = format_ident!("{}", upper);
        quote!(::reqwest::Method::#m)
    } else {
        let bytes = proc_macro2::Literal::byte_string(upper.as_bytes());
        quote!(::reqwest::Method::from_bytes(#bytes).expect("an HTTP method token"))
    }
}

/// A callback sender's doc line: where its URL comes from.
fn callback_doc(api: &Api, op: &Operation) -> TokenStream {
    let Some(index) = api.operations.iter().position(|o| std::ptr::eq(o, op)) else {
        return TokenStream::new();
    };
    let Some(cb) = api.hook(index).and_then(|h| h.callback.as_ref()) else {
        return TokenStream::new();
    };
    let owner = super::callbacks::code(&api.operations[cb.owner].id);
    let doc = match super::callbacks::unresolvable(api, index) {
        None => format!(
            " A callback of `{owner}`: `url` is where it goes, e.g. as [`{}`] resolves it from that request.",
            super::callbacks::resolver_name(&op.fn_name)
        ),
        Some(why) => format!(
            " A callback of `{owner}`: `url` is where it goes, which the caller works out (its key needs {why})."
        ),
    };
    quote!(#[doc = ""] #[doc = #doc])
}
