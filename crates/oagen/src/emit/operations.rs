//! Emits the `operations` module: for each operation, its parameters type and its
//! response type. Both the client and the server use these, so they agree on the
//! wire by construction.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc_attrs, ident, value_ty, Paths};
use crate::model::features::Part;
use crate::model::{
    Api, Carrier, Content, HeaderForm, MediaKind, Operation, ParamIn, RequestBody, Response,
    ResponseHeader, Status, Ty, TypeKind,
};

/// Paths as seen from a module beside `models` and `runtime`: `operations`,
/// `client`, `server`, `validate`.
pub fn paths() -> Paths {
    Paths {
        models: quote!(super::models::),
        runtime: quote!(super::runtime),
    }
}

/// The Rust type that carries a body in one media type.
pub fn carrier_ty(api: &Api, c: &Content, paths: &Paths) -> TokenStream {
    match c.carrier() {
        Carrier::Typed(shape) => value_ty(api, shape, paths),
        Carrier::Json => quote!(::serde_json::Value),
        Carrier::Text => quote!(String),
        Carrier::Bytes => {
            let rt = &paths.runtime;
            quote!(#rt::ByteBody)
        }
        Carrier::Stream(kind, item) => {
            let rt = &paths.runtime;
            let item = match (kind, item) {
                (MediaKind::EventStream, Some(shape)) => {
                    let data = value_ty(api, shape, paths);
                    quote!(#rt::stream::sse::Event<#data>)
                }
                (MediaKind::EventStream, None) => quote!(#rt::stream::sse::Event<String>),
                (_, Some(shape)) => value_ty(api, shape, paths),
                (_, None) => quote!(::serde_json::Value),
            };
            quote!(#rt::stream::Streamed<#item>)
        }
    }
}

/// Whether a body in one of `contents` is a stream (its types are then
/// neither `Clone` nor `PartialEq`).
pub fn streams(contents: &[Content]) -> bool {
    contents.iter().any(|c| c.kind.streams())
}

/// Whether a response of `op` is a stream.
pub fn op_streams(op: &Operation) -> bool {
    op.responses.iter().any(|r| streams(&r.contents))
}

/// Whether a body in one of `contents` is bytes (a `ByteBody`, which may be
/// a stream).
pub fn has_bytes(contents: &[Content]) -> bool {
    contents
        .iter()
        .any(|c| matches!(c.carrier(), Carrier::Bytes))
}

/// Whether a response of `op` is bytes: the client's decoder then gets the
/// body as a `Body`, which its streamed method leaves arriving.
pub fn op_bytes(op: &Operation) -> bool {
    op.responses.iter().any(|r| has_bytes(&r.contents))
}

/// Whether a body in one of `contents` may hold a stream (a streamed kind,
/// or bytes), so that its types are neither `Clone` nor `PartialEq`.
pub fn holds_stream(contents: &[Content]) -> bool {
    streams(contents) || has_bytes(contents)
}

/// Whether a response of `op` offers a stream and a whole body in one
/// response (the client's two methods then ask with `Accept`).
pub fn offers_choice(op: &Operation) -> bool {
    op.responses
        .iter()
        .any(|r| streams(&r.contents) && r.contents.iter().any(|c| !c.kind.streams()))
}

/// The Rust type of a response's body, or None when it has none.
pub fn body_ty(api: &Api, r: &Response, paths: &Paths) -> Option<TokenStream> {
    if let Some(choice) = &r.choice_type {
        let choice = ident(choice);
        return Some(quote!(#choice));
    }
    Some(carrier_ty(api, r.primary_content()?, paths))
}

/// The Rust type of a request body (as owned by the server).
pub fn request_body_ty(api: &Api, b: &RequestBody, paths: &Paths) -> Option<TokenStream> {
    if let Some(choice) = &b.choice_type {
        let choice = ident(choice);
        return Some(quote!(operations::#choice));
    }
    Some(carrier_ty(api, b.primary_content()?, paths))
}

/// An enum with one variant per media type, for a body whose media types
/// carry different Rust types.
fn choice_enum(
    api: &Api,
    name: &str,
    doc: &str,
    contents: &[Content],
    paths: &Paths,
) -> TokenStream {
    let name = ident(name);
    let variants = contents.iter().map(|c| {
        let vi = ident(&c.variant);
        let ty = carrier_ty(api, c, paths);
        let d = format!(" `{}`.", c.media_type);
        quote!(#[doc = #d] #vi(#ty),)
    });
    let types = contents.iter().map(|c| {
        let vi = ident(&c.variant);
        let mt = &c.media_type;
        quote!(Self::#vi(_) => #mt,)
    });
    let json = contents.iter().map(|c| {
        let vi = ident(&c.variant);
        let to_json = carrier_json(c);
        quote!(Self::#vi(body) => #to_json,)
    });
    enum_with_methods(
        doc,
        &name,
        holds_stream(contents),
        variants,
        [
            (
                " The media type of this body.",
                quote!(content_type(&self) -> &'static str),
                types.collect(),
            ),
            (
                " The body as JSON (text as a JSON string); None for bytes.",
                quote!(to_json(&self) -> Option<::serde_json::Value>),
                json.collect(),
            ),
        ],
    )
}

/// A `pub` enum with `variants` and methods, each `(doc, signature, arms)`: an
/// `#[inline]` function that matches `self` with its arms.
fn enum_with_methods<const N: usize>(
    doc: &str,
    name: &proc_macro2::Ident,
    streams: bool,
    variants: impl IntoIterator<Item = TokenStream>,
    methods: [(&str, TokenStream, Vec<TokenStream>); N],
) -> TokenStream {
    let variants = variants.into_iter();
    let methods = methods.into_iter().map(|(doc, signature, arms)| {
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #signature {
                match self {
                    #(#arms)*
                }
            }
        }
    });
    let derive = if streams {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    quote! {
        #[doc = #doc]
        #derive
        pub enum #name {
            #(#variants)*
        }
        impl #name {
            #(#methods)*
        }
    }
}

/// The expression that turns `body` (a reference to the carrier of `c`) into JSON.
fn carrier_json(c: &Content) -> TokenStream {
    match c.carrier() {
        Carrier::Typed(_) | Carrier::Json => quote!(super::runtime::to_json(body).ok()),
        Carrier::Text => quote!(Some(::serde_json::Value::String(body.clone()))),
        Carrier::Bytes | Carrier::Stream(..) => quote!({
            let _ = body;
            None
        }),
    }
}

/// Doc attributes for the method of an operation (client or server): its summary
/// and description, then its method, path and operationId.
pub fn operation_docs(op: &Operation) -> TokenStream {
    let mut doc = op.docs.clone().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` (`{}`).",
        op.method.to_uppercase(),
        op.path,
        op.id
    ));
    doc_attrs(Some(&crate::emit::docs::sanitize(&doc)))
}

/// The enum variant name of each security scheme (in `Api::security_schemes`
/// order), shared by the client's and the server's scheme enums.
pub fn scheme_variants(api: &Api) -> Vec<proc_macro2::Ident> {
    api.security_schemes
        .iter()
        .map(|s| quote::format_ident!("{}", crate::model::naming::type_name(&s.ident, "Scheme")))
        .collect()
}

/// Each security scheme with its variant in `variants` (from [`scheme_variants`]).
pub fn schemes_with<'a>(
    api: &'a Api,
    variants: &'a [proc_macro2::Ident],
) -> impl Iterator<Item = (&'a crate::model::SecurityScheme, &'a proc_macro2::Ident)> {
    api.security_schemes.iter().zip(variants)
}

/// Headers the HTTP layer owns: a generated server leaves them to it and does
/// not send the value of the headers struct (a wrong one would break the framing).
pub fn layer_owned_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("transfer-encoding")
}

/// Whether any response of the API declares headers.
pub fn has_response_headers(api: &Api) -> bool {
    api.operations
        .iter()
        .flat_map(|op| &op.responses)
        .any(|r| r.headers_type.is_some())
}

/// The runtime's `HeaderForm` for a header, as an expression in the client or
/// the server module.
pub fn runtime_form(api: &Api, h: &ResponseHeader) -> TokenStream {
    let variant = match h.form {
        HeaderForm::Json => quote!(Json),
        HeaderForm::Simple { explode } => match &super::rust::resolve_alias(api, &h.shape).ty {
            Ty::Array(_) | Ty::Tuple(_) => quote!(Array),
            Ty::Map(_) => object_form(explode),
            Ty::Named(id) if matches!(api.ty(*id).kind, TypeKind::Struct(_)) => {
                object_form(explode)
            }
            _ => quote!(Primitive),
        },
    };
    quote!(super::runtime::HeaderForm::#variant)
}

fn object_form(explode: bool) -> TokenStream {
    if explode {
        quote!(ObjectExploded)
    } else {
        quote!(Object)
    }
}

/// Whether the variant carries the actual status (ranges and `default`).
pub fn carries_status(r: &Response) -> bool {
    !matches!(r.status, Status::Code(_))
}

/// The module's items.
pub fn emit(api: &Api, part: Part) -> super::rust::Module<'_> {
    let paths = paths();
    let items = api
        .operations
        .iter()
        .enumerate()
        .filter(move |(index, _)| api.gates.op_home(*index) == part)
        .map(move |(index, op)| {
            let params = params_struct(api, op, &paths);
            let headers = op
                .responses
                .iter()
                .map(|r| headers_struct(api, op, r, &paths));
            let response = response_enum(api, op, &paths);
            let mut choices = Vec::new();
            if let Some(b) = &op.body {
                if let Some(name) = &b.choice_type {
                    let doc = format!(
                        " The request body of `{}`, in one of its media types.",
                        op.id
                    );
                    choices.push(choice_enum(api, name, &doc, &b.contents, &paths));
                }
            }
            for r in &op.responses {
                if let Some(name) = &r.choice_type {
                    let doc = format!(
                        " The `{}` response body of `{}`, in one of its media types.",
                        r.variant, op.id
                    );
                    choices.push(choice_enum(api, name, &doc, &r.contents, &paths));
                }
            }
            super::rust::gate(
                quote!(#params #(#headers)* #response #(#choices)*),
                super::rust::part_op_cfg(api, index, part).as_ref(),
            )
        });
    if part.is_some() {
        return super::rust::Module::new(TokenStream::new(), items);
    }
    let infos = api.operations.iter().map(|op| {
        let id = &op.id;
        let method = op.method.to_uppercase();
        let path = &op.path;
        let alts = op.security.alternatives.iter().map(|alt| {
            let keys = alt
                .iter()
                .map(|u| api.security_schemes[u.scheme].key.as_str());
            quote!(&[#(#keys),*])
        });
        quote!(OperationInfo { id: #id, method: #method, path: #path, security: &[#(#alts),*] },)
    });
    let head = quote! {
        pub use super::runtime::OperationInfo;

        /// Every operation, in document order.
        pub const OPERATIONS: &[OperationInfo] = &[#(#infos)*];
    };
    super::rust::Module::new(head, items)
}

fn params_struct(api: &Api, op: &Operation, paths: &Paths) -> TokenStream {
    if op.params.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&op.params_type);
    let doc = format!(
        " Parameters of `{}` (`{} {}`).",
        op.id,
        op.method.to_uppercase(),
        op.path
    );
    let fields = op.params.iter().map(|p| {
        let fi = ident(&p.ident);
        let ty = value_ty(api, &p.shape, paths);
        let ty = if p.required { ty } else { quote!(Option<#ty>) };
        let place = match p.location {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        };
        let mut text = format!("`{}` ({place} parameter", p.name);
        text.push_str(if p.required { ", required)." } else { ")." });
        if let Some(d) = &p.docs {
            text.push_str("\n\n");
            text.push_str(d);
        }
        let docs = doc_attrs(Some(&crate::emit::docs::sanitize(&text)));
        quote!(#docs pub #fi: #ty,)
    });
    let all_optional = op.params.iter().all(|p| !p.required);
    plain_struct(&doc, &name, all_optional, fields)
}

/// A `pub` struct of `fields`, which derives `Default` when they are all
/// optional.
fn plain_struct(
    doc: &str,
    name: &proc_macro2::Ident,
    all_optional: bool,
    fields: impl Iterator<Item = TokenStream>,
) -> TokenStream {
    let derive = if all_optional {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    quote! {
        #[doc = #doc]
        #derive
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The struct of a response's declared headers (nothing when it declares none).
fn headers_struct(api: &Api, op: &Operation, r: &Response, paths: &Paths) -> TokenStream {
    let Some(name) = &r.headers_type else {
        return TokenStream::new();
    };
    let name = ident(name);
    let doc = format!(
        " Headers of the {} response of `{}`.",
        status_label(r.status),
        op.id
    );
    let fields = r.headers.iter().map(|h| {
        let fi = ident(&h.ident);
        let ty = value_ty(api, &h.shape, paths);
        let ty = if h.required { ty } else { quote!(Option<#ty>) };
        let mut text = format!("`{}`", h.name);
        text.push_str(if h.required { " (required)." } else { "." });
        if let Some(d) = &h.docs {
            text.push_str("\n\n");
            text.push_str(d);
        }
        if h.deprecated {
            text.push_str("\n\nDeprecated.");
        }
        if layer_owned_header(&h.name) {
            text.push_str(
                "\n\nSet by the HTTP layer: the generated server does not send this value.",
            );
        }
        let docs = doc_attrs(Some(&crate::emit::docs::sanitize(&text)));
        quote!(#docs pub #fi: #ty,)
    });
    plain_struct(&doc, &name, r.headers.iter().all(|h| !h.required), fields)
}

/// `201`, `4XX` or `default`.
fn status_label(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(x) => format!("{x}XX"),
        Status::Default => "default".into(),
    }
}

fn response_enum(api: &Api, op: &Operation, paths: &Paths) -> TokenStream {
    let name = ident(&op.response_type);
    let doc = format!(" Every response `{}` declares, by status.", op.id);
    let mut variants = Vec::new();
    let mut status_arms = Vec::new();
    let mut json_arms = Vec::new();
    for r in &op.responses {
        let vi = ident(&r.variant);
        let label = match r.status {
            Status::Default => "default (any other status)".into(),
            other => status_label(other),
        };
        let mut text = label;
        if let Some(d) = &r.docs {
            text.push_str(": ");
            text.push_str(d);
        }
        let docs = doc_attrs(Some(&crate::emit::docs::sanitize(&text)));
        let body = body_ty(api, r, paths);
        let to_json = match (&r.choice_type, r.primary_content()) {
            (Some(_), _) => quote!(body.to_json()),
            (None, Some(c)) => carrier_json(c),
            (None, None) => quote!({
                let _ = body;
                None
            }),
        };
        if let Some(hty) = &r.headers_type {
            // A response with headers: a struct variant with its headers beside the body.
            let hty = ident(hty);
            let status_field = carries_status(r).then(|| {
                quote! {
                    /// The actual status code.
                    status: u16,
                }
            });
            let body_field = body.as_ref().map(|b| {
                quote! {
                    /// The body.
                    body: #b,
                }
            });
            variants.push(quote! {
                #docs
                #vi {
                    #status_field
                    #body_field
                    /// The declared headers.
                    headers: #hty,
                },
            });
            status_arms.push(if carries_status(r) {
                quote!(Self::#vi { status, .. } => *status,)
            } else {
                let code = r.concrete_status(0);
                quote!(Self::#vi { .. } => #code,)
            });
            json_arms.push(if body.is_some() {
                quote!(Self::#vi { body, .. } => #to_json,)
            } else {
                quote!(Self::#vi { .. } => None,)
            });
            continue;
        }
        match (carries_status(r), body) {
            (false, Some(b)) => {
                variants.push(quote!(#docs #vi(#b),));
                let code = r.concrete_status(0);
                status_arms.push(quote!(Self::#vi(_) => #code,));
                json_arms.push(quote!(Self::#vi(body) => #to_json,));
            }
            (false, None) => {
                variants.push(quote!(#docs #vi,));
                let code = r.concrete_status(0);
                status_arms.push(quote!(Self::#vi => #code,));
                json_arms.push(quote!(Self::#vi => None,));
            }
            (true, Some(b)) => {
                variants.push(quote! {
                    #docs
                    #vi {
                        /// The actual status code.
                        status: u16,
                        /// The body.
                        body: #b,
                    },
                });
                status_arms.push(quote!(Self::#vi { status, .. } => *status,));
                json_arms.push(quote!(Self::#vi { body, .. } => #to_json,));
            }
            (true, None) => {
                variants.push(quote! {
                    #docs
                    #vi {
                        /// The actual status code.
                        status: u16,
                    },
                });
                status_arms.push(quote!(Self::#vi { status } => *status,));
                json_arms.push(quote!(Self::#vi { .. } => None,));
            }
        }
    }
    enum_with_methods(
        &doc,
        &name,
        op_streams(op) || op_bytes(op),
        variants,
        [
            (
                " The HTTP status code of this response.",
                quote!(status(&self) -> u16),
                status_arms,
            ),
            (
                " The body as JSON (text bodies as a JSON string); None without a body.",
                quote!(body_json(&self) -> Option<::serde_json::Value>),
                json_arms,
            ),
        ],
    )
}

/// How a value of `shape` travels as text: `Kind::Array`, `Kind::Object` or
/// `Kind::Scalar` (of `runtime::wire`).
pub fn wire_kind(api: &Api, shape: &crate::model::Shape, rt: &TokenStream) -> TokenStream {
    use crate::model::{Ty, TypeKind};
    match &super::rust::resolve_alias(api, shape).ty {
        Ty::Array(_) | Ty::Tuple(_) => quote!(#rt::wire::Kind::Array),
        Ty::Map(_) => quote!(#rt::wire::Kind::Object),
        Ty::Named(id) if matches!(api.ty(*id).kind, TypeKind::Struct(_)) => {
            quote!(#rt::wire::Kind::Object)
        }
        _ => quote!(#rt::wire::Kind::Scalar),
    }
}

/// The listed properties of a body's object schema.
fn body_fields<'a>(api: &'a Api, c: &'a Content) -> &'a [crate::model::Field] {
    use crate::model::{Ty, TypeKind};
    let Some(shape) = &c.shape else {
        return &[];
    };
    match &super::rust::resolve_alias(api, shape).ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Struct(s) => &s.fields,
            _ => &[],
        },
        _ => &[],
    }
}

pub fn style_tokens(style: crate::model::Style, rt: &TokenStream) -> TokenStream {
    let v = quote::format_ident!("{}", style.variant());
    quote!(#rt::wire::Style::#v)
}

/// `(name, style, explode)` of each property with an `encoding`, for the
/// client's form encoder.
pub fn form_encodings(c: &Content, rt: &TokenStream) -> TokenStream {
    let items = c.encoding.iter().map(|e| {
        let name = &e.name;
        let style = style_tokens(e.style, rt);
        let explode = e.explode;
        quote!((#name, #style, #explode))
    });
    quote!(&[#(#items),*])
}

/// `(name, style, explode, kind)` of each listed property, for the server's
/// form decoder.
pub fn form_fields(api: &Api, c: &Content, rt: &TokenStream) -> TokenStream {
    let items = body_fields(api, c).iter().map(|f| {
        let name = &f.name;
        let (style, explode) = c
            .encoding
            .iter()
            .find(|e| e.name == f.name)
            .map(|e| (e.style, e.explode))
            .unwrap_or((crate::model::Style::Form, true));
        let style = style_tokens(style, rt);
        let kind = wire_kind(api, &f.shape, rt);
        quote!((#name, #style, #explode, #kind))
    });
    quote!(&[#(#items),*])
}

/// `(name, content type)` of each property with an `encoding` content type.
pub fn multipart_types(c: &Content) -> TokenStream {
    let items = c.encoding.iter().filter_map(|e| {
        let name = &e.name;
        let ct = e.content_type.as_ref()?;
        Some(quote!((#name, #ct)))
    });
    quote!(&[#(#items),*])
}

/// `(name, field)` of each listed property, for the multipart decoder.
pub fn multipart_fields(api: &Api, c: &Content, rt: &TokenStream) -> TokenStream {
    use crate::model::Ty;
    let items = body_fields(api, c).iter().map(|f| {
        let name = &f.name;
        let field = match &super::rust::resolve_alias(api, &f.shape).ty {
            Ty::Binary => quote!(File),
            Ty::Array(item) if matches!(super::rust::resolve_alias(api, item).ty, Ty::Binary) => {
                quote!(Files)
            }
            Ty::Array(_) => quote!(Values),
            _ => quote!(Value),
        };
        quote!((#name, #rt::multipart::Field::#field))
    });
    quote!(&[#(#items),*])
}
