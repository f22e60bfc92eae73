//! Callback URL resolvers in the generated client: per callback whose key can be resolved, a `<sender>_url` function computing the target URL from the request (and answer) of the operation that declared it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::rust::ident;
use crate::model::{Api, Expression, KeyPart, ParamIn};

/// Why the callback hook of the operation at `index` has no resolver (a part
/// of its key the provider cannot compute from the request and its answer),
/// or None when it has one. Not a callback: None.
pub(super) fn unresolvable(api: &Api, index: usize) -> Option<String> {
    let cb = api.hook(index)?.callback.as_ref()?;
    let Some(parts) = &cb.parts else {
        return Some("its key does not parse".into());
    };
    // The URL starts with an expression's value or with a literal absolute URL.
    if let Some(KeyPart::Text(t)) = parts.first() {
        if !(t.starts_with("http://") || t.starts_with("https://")) {
            return Some("an absolute URL, which it does not start with".into());
        }
    }
    let owner = &api.operations[cb.owner];
    parts.iter().find_map(|p| match p {
        KeyPart::Text(_) => None,
        KeyPart::Expr(e) => match e {
            Expression::Url => Some("`$url` (the request's full URL)".to_string()),
            Expression::StatusCode => Some("`$statusCode`".to_string()),
            Expression::ResponseHeader(n) => Some(format!("`$response.header.{}`", code(n))),
            Expression::RequestPath(n)
            | Expression::RequestQuery(n)
            | Expression::RequestHeader(n)
                if param(owner, e, n).is_none() =>
            {
                Some(format!(
                    "a parameter `{}` that `{}` does not declare",
                    code(n),
                    code(&owner.id)
                ))
            }
            _ => None,
        },
    })
}

/// The owner's parameter an expression names.
fn param<'a>(
    owner: &'a crate::model::Operation,
    e: &Expression,
    name: &str,
) -> Option<&'a crate::model::Param> {
    let (location, fold) = match e {
        Expression::RequestPath(_) => (ParamIn::Path, false),
        Expression::RequestQuery(_) => (ParamIn::Query, false),
        Expression::RequestHeader(_) => (ParamIn::Header, true),
        _ => return None,
    };
    owner.params.iter().find(|p| {
        p.location == location
            && if fold {
                p.name.eq_ignore_ascii_case(name)
            } else {
                p.name == name
            }
    })
}

/// The name of the resolver of the callback operation `op_fn`.
pub(super) fn resolver_name(op_fn: &str) -> String {
    format!("{}_url", crate::model::naming::bare(op_fn))
}

/// The resolver of the callback operation at `index`, when it has one.
pub(super) fn resolver(api: &Api, index: usize) -> TokenStream {
    let Some(cb) = api.hook(index).and_then(|h| h.callback.as_ref()) else {
        return TokenStream::new();
    };
    let (Some(parts), None) = (&cb.parts, unresolvable(api, index)) else {
        return TokenStream::new();
    };
    let op = &api.operations[index];
    let owner = &api.operations[cb.owner];
    let name = format_ident!("{}", resolver_name(&op.fn_name));
    let uses =
        |f: fn(&Expression) -> bool| parts.iter().any(|p| matches!(p, KeyPart::Expr(e) if f(e)));
    let mut args = Vec::new();
    let mut arg_docs = Vec::new();
    if uses(|e| {
        matches!(
            e,
            Expression::RequestPath(_) | Expression::RequestQuery(_) | Expression::RequestHeader(_)
        )
    }) {
        let pty = ident(&owner.params_type);
        args.push(quote!(params: &operations::#pty));
        arg_docs.push("`params`: the request's parameters");
    }
    if uses(|e| matches!(e, Expression::RequestBody(_))) {
        args.push(quote!(body: &(impl ::serde::Serialize + ?Sized)));
        arg_docs.push("`body`: the request's body");
    }
    if uses(|e| matches!(e, Expression::ResponseBody(_))) {
        args.push(quote!(response: &(impl ::serde::Serialize + ?Sized)));
        arg_docs.push("`response`: the body of the answer");
    }
    let steps = parts.iter().enumerate().map(|(i, p)| {
        // The first part is the URL or its base; later values are encoded.
        let encode = i > 0;
        match p {
            KeyPart::Text(t) => quote!(url.push_str(#t);),
            KeyPart::Expr(e) => {
                let text = expression_text(e);
                let value = match e {
                    Expression::Method => {
                        let m = owner.method.to_uppercase();
                        quote!(Ok::<String, UrlError>(#m.to_string()))
                    }
                    Expression::RequestBody(ptr) => {
                        quote!(super::runtime::client::body_text(body, #ptr, #text, #encode))
                    }
                    Expression::ResponseBody(ptr) => {
                        quote!(super::runtime::client::body_text(response, #ptr, #text, #encode))
                    }
                    Expression::RequestPath(n)
                    | Expression::RequestQuery(n)
                    | Expression::RequestHeader(n) => {
                        let fi = param(owner, e, n).map(|p| ident(&p.ident));
                        quote!(super::runtime::client::param_text(&params.#fi, #text, #encode))
                    }
                    // Ruled out by `unresolvable`.
                    Expression::Url | Expression::StatusCode | Expression::ResponseHeader(_) => {
                        quote!(Ok::<String, UrlError>(String::new()))
                    }
                };
                quote!(url.push_str(&#value?);)
            }
        }
    });
    let from = if arg_docs.is_empty() {
        "a fixed URL".to_string()
    } else {
        arg_docs.join("; ")
    };
    let doc = format!(
        " The URL to send [`Client::{}`] to, resolved from the request to `{}` as its key `{}` says ({from}). The first part of the key, when it is an expression, is substituted as it is (it is the URL or its base); later values are percent-encoded. A value that is missing, or is not a string, a number or a boolean, is an error.",
        crate::model::naming::bare(&op.fn_name),
        code(&owner.id),
        code(&cb.key),
    );
    let owner_cfg = crate::emit::rust::op_cfg(api, cb.owner);
    quote! {
        #owner_cfg
        #[doc = #doc]
        pub fn #name(#(#args),*) -> Result<String, UrlError> {
            let mut url = String::new();
            #(#steps)*
            Ok(url)
        }
    }
}

/// An expression as written, for error messages.
fn expression_text(e: &Expression) -> String {
    match e {
        Expression::Url => "$url".into(),
        Expression::Method => "$method".into(),
        Expression::StatusCode => "$statusCode".into(),
        Expression::RequestPath(n) => format!("$request.path.{n}"),
        Expression::RequestQuery(n) => format!("$request.query.{n}"),
        Expression::RequestHeader(n) => format!("$request.header.{n}"),
        Expression::RequestBody(p) if p.is_empty() => "$request.body".into(),
        Expression::RequestBody(p) => format!("$request.body#{p}"),
        Expression::ResponseHeader(n) => format!("$response.header.{n}"),
        Expression::ResponseBody(p) if p.is_empty() => "$response.body".into(),
        Expression::ResponseBody(p) => format!("$response.body#{p}"),
    }
}

/// Spec text made fit for a code span of a doc comment.
pub(super) fn code(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '`' {
                '\''
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect()
}
