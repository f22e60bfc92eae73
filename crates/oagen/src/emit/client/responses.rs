//! Responses in the generated client: each operation's `response_*` (status dispatch, declared headers, the body by media type) and the module's decoders.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::operations::{
    body_ty, carries_status, form_fields, has_response_headers, multipart_fields, runtime_form,
};
use crate::emit::rust::{ident, Paths};
use crate::model::{Api, Content, MediaKind, Operation, Status};

/// What `Error` has for declared response headers (nothing when the API
/// declares none).
pub(super) struct HeaderError {
    /// The `Header` variant.
    pub variant: Option<TokenStream>,
    /// Its arm in `Display`.
    pub display: Option<TokenStream>,
    /// Its arm in `source`.
    pub source: Option<TokenStream>,
}

/// The header parts of `Error`.
pub(super) fn header_error(api: &Api) -> HeaderError {
    // Only an API with response headers keeps them (so other APIs' code is as before).
    let keep_headers = has_response_headers(api);
    let header_error = keep_headers.then(|| {
        quote! {
            /// A declared response header is missing (and required) or does not parse into its type.
            Header {
                /// The status code.
                status: u16,
                /// The header's name, as the spec declares it.
                name: String,
                /// What is wrong.
                message: String,
                /// The raw body.
                body: Vec<u8>,
            },
        }
    });
    let header_display = keep_headers.then(|| {
        quote! {
            Self::Header { status, name, message, .. } => write!(f, "the {status} response's header `{name}`: {message}"),
        }
    });
    let header_source = keep_headers.then(|| quote!(Self::Header { .. } => None,));
    HeaderError {
        variant: header_error,
        display: header_display,
        source: header_source,
    }
}

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

/// The module's decoders.
pub(super) fn decode_items(api: &Api) -> TokenStream {
    let keep_headers = has_response_headers(api);
    let header_fns = keep_headers.then(|| {
        // What `header` and `required_header` take.
        let header_args = quote!(
            headers: &::reqwest::header::HeaderMap,
            name: &str,
            form: super::runtime::HeaderForm,
            status: u16,
            body: &mut Vec<u8>,
        );
        quote! {
            /// Reads the declared header `name` of a response (None when absent); a
            /// value that does not parse is an error that takes the body along.
            #[allow(dead_code)]
            fn header<T: ::serde::de::DeserializeOwned>(#header_args) -> Result<Option<T>, Error> {
                let lines = headers.get_all(name).iter().map(|v| v.as_bytes());
                let parsed = match super::runtime::header_lines(lines) {
                    Ok(Some(text)) => super::runtime::parse_header(&text, form).map(Some),
                    Ok(None) => Ok(None),
                    Err(message) => Err(message),
                };
                parsed.map_err(|message| Error::Header { status, name: name.to_string(), message, body: ::std::mem::take(body) })
            }

            /// Reads a required declared header: its absence is an error too.
            #[allow(dead_code)]
            fn required_header<T: ::serde::de::DeserializeOwned>(#header_args) -> Result<T, Error> {
                match header(headers, name, form, status, body)? {
                    Some(v) => Ok(v),
                    None => Err(Error::Header {
                        status,
                        name: name.to_string(),
                        message: "the header is required but missing".to_string(),
                        body: ::std::mem::take(body),
                    }),
                }
            }
        }
    });
    quote! {
        #[allow(dead_code)]
        fn decode<T: ::serde::de::DeserializeOwned>(status: u16, body: Vec<u8>) -> Result<T, Error> {
            match ::serde_json::from_slice(&body) {
                Ok(v) => Ok(v),
                Err(source) => Err(Error::Decode { status, body, source }),
            }
        }

        #[allow(dead_code)]
        fn decode_text(status: u16, body: Vec<u8>) -> Result<String, Error> {
            match String::from_utf8(body) {
                Ok(s) => Ok(s),
                Err(e) => {
                    let body = e.into_bytes();
                    let source = <::serde_json::Error as ::serde::de::Error>::custom("the body is not UTF-8 text");
                    Err(Error::Decode { status, body, source })
                }
            }
        }

        /// Decodes a form body.
        #[allow(dead_code)]
        fn decode_form<T: ::serde::de::DeserializeOwned>(
            status: u16,
            body: Vec<u8>,
            fields: &[(&str, super::runtime::wire::Style, bool, super::runtime::wire::Kind)],
        ) -> Result<T, Error> {
            let pairs = super::runtime::wire::split_pairs(&String::from_utf8_lossy(&body));
            match super::runtime::wire::from_text(super::runtime::wire::parse_form(&pairs, fields)) {
                Ok(v) => Ok(v),
                Err(e) => Err(Error::Decode { status, body, source: <::serde_json::Error as ::serde::de::Error>::custom(e) }),
            }
        }

        #header_fns

        /// Decodes a multipart body.
        #[allow(dead_code)]
        fn decode_multipart<T: ::serde::de::DeserializeOwned>(
            status: u16,
            headers: &::reqwest::header::HeaderMap,
            body: Vec<u8>,
            fields: &[(&str, super::runtime::multipart::Field)],
        ) -> Result<T, Error> {
            let content_type = headers.get(::reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let decoded = super::runtime::multipart::from_body(content_type, &body)
                .and_then(|parts| super::runtime::multipart::decode(parts, fields));
            match decoded {
                Ok(v) => Ok(v),
                Err(e) => Err(Error::Decode { status, body, source: <::serde_json::Error as ::serde::de::Error>::custom(e) }),
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
