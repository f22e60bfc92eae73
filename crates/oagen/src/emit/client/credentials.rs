//! Credentials in the generated client: `Credentials` (one field per scheme), the `SchemeId` of each scheme some operation uses, and how a request is authorized.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::rust::{doc_attrs, ident};
use crate::model::{Api, ParamIn, SchemeKind, SecurityScheme};

/// `Credentials` and its `set`.
pub(super) fn credentials_items(api: &Api) -> TokenStream {
    let cred_fields = api.security_schemes.iter().map(|s| {
        let fi = ident(&s.ident);
        let what = match &s.kind {
            SchemeKind::Bearer { .. } => {
                "a bearer token, sent as `Authorization: Bearer <token>`".to_string()
            }
            SchemeKind::Basic => {
                "a user name and password, sent with HTTP Basic authentication".to_string()
            }
            SchemeKind::Http { scheme } => {
                format!("credentials sent as `Authorization: {scheme} <value>`")
            }
            SchemeKind::ApiKey { name, location } => {
                let place = match location {
                    ParamIn::Header => "header",
                    ParamIn::Query => "query parameter",
                    ParamIn::Cookie => "cookie",
                    ParamIn::Path => "path parameter",
                };
                format!("an API key, sent as is in the `{name}` {place}")
            }
            SchemeKind::OAuth2 => "an OAuth 2 access token, sent as a bearer token".to_string(),
            SchemeKind::OpenIdConnect { .. } => {
                "an OpenID Connect token, sent as a bearer token".to_string()
            }
        };
        let mut text = format!("`{}`: {what}.", s.key);
        if let Some(d) = &s.docs {
            text.push_str("\n\n");
            text.push_str(d);
        }
        let docs = doc_attrs(Some(&crate::emit::docs::sanitize(&text)));
        let ty = if s.kind == SchemeKind::Basic {
            quote!(Option<(String, String)>)
        } else {
            quote!(Option<String>)
        };
        quote!(#docs pub #fi: #ty,)
    });
    let set_arms = api.security_schemes.iter().map(|s| {
        let fi = ident(&s.ident);
        let key = &s.key;
        if s.kind == SchemeKind::Basic {
            quote! {
                #key => match value.split_once(':') {
                    Some((user, password)) => {
                        self.#fi = Some((user.to_string(), password.to_string()));
                        true
                    }
                    None => false,
                },
            }
        } else {
            quote! {
                #key => {
                    self.#fi = Some(value.to_string());
                    true
                }
            }
        }
    });
    let set_arms: Vec<TokenStream> = set_arms.collect();
    let set_body = if set_arms.is_empty() {
        quote! {
            let _ = (scheme, value);
            false
        }
    } else {
        quote! {
            match scheme {
                #(#set_arms)*
                _ => false,
            }
        }
    };
    quote! {
        /// Credentials, one field per security scheme of the spec. Each request
        /// sends the first of its operation's alternatives whose credentials are all set.
        #[derive(Debug, Clone, Default)]
        pub struct Credentials {
            #(#cred_fields)*
        }

        impl Credentials {
            /// Sets the credential of the security scheme named `scheme` in the spec.
            /// For HTTP Basic, `value` is `user:password`. Returns false when the spec
            /// has no such scheme (or a Basic value has no `:`).
            pub fn set(&mut self, scheme: &str, value: &str) -> bool {
                #set_body
            }
        }
    }
}

/// The schemes some operation uses, each with its variant and the `cfg` that
/// keeps it where an operation that uses it is compiled.
fn used_schemes<'a>(
    api: &'a Api,
    scheme_variants: &'a [Ident],
) -> Vec<(&'a SecurityScheme, &'a Ident, Option<TokenStream>)> {
    crate::emit::operations::schemes_with(api, scheme_variants)
        .enumerate()
        .filter_map(|(k, (s, v))| {
            let users: Vec<usize> = api
                .operations
                .iter()
                .enumerate()
                .filter(|(_, op)| {
                    op.security
                        .alternatives
                        .iter()
                        .flatten()
                        .any(|u| u.scheme == k)
                })
                .map(|(index, _)| index)
                .collect();
            (!users.is_empty()).then(|| (s, v, crate::emit::rust::any_op_cfg(api, &users)))
        })
        .collect()
}

/// `SchemeId`: a variant per scheme some operation uses.
pub(super) fn scheme_enum(api: &Api, scheme_variants: &[Ident]) -> TokenStream {
    let variants = used_schemes(api, scheme_variants)
        .into_iter()
        .map(|(_, v, cfg)| quote!(#cfg #v,));
    quote! {
        /// The security schemes some operation uses.
        #[doc(hidden)]
        #[derive(Debug, Clone, Copy)]
        pub enum SchemeId { #(#variants)* }
    }
}

/// `impl runtime::client::Authorize for Credentials`: whether each scheme's
/// credential is set, and how it is sent (the runtime's `Client::authorize`
/// picks the alternative).
pub(super) fn authorize_impl(api: &Api, scheme_variants: &[Ident]) -> TokenStream {
    let used = used_schemes(api, scheme_variants);
    let has_arms = used.iter().map(|(s, v, cfg)| {
        let fi = ident(&s.ident);
        quote!(#cfg SchemeId::#v => self.#fi.is_some(),)
    });
    let apply_arms = used.iter().map(|(s, v, cfg)| {
        let fi = ident(&s.ident);
        let body = match &s.kind {
            SchemeKind::Bearer { .. } | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect { .. } => {
                quote!(req.bearer_auth(value))
            }
            SchemeKind::Basic => quote!(req.basic_auth(&value.0, Some(&value.1))),
            SchemeKind::Http { scheme } => quote!(req.header(
                ::reqwest::header::AUTHORIZATION,
                format!("{} {}", #scheme, value)
            )),
            SchemeKind::ApiKey { name, location } => match location {
                ParamIn::Header => quote!(req.header(#name, value.as_str())),
                ParamIn::Query => quote!(req.query(&[(#name, value.as_str())])),
                ParamIn::Cookie => quote! { {
                    cookies.push(format!("{}={}", #name, value));
                    req
                } },
                ParamIn::Path => quote!(req),
            },
        };
        quote! {
            #cfg SchemeId::#v => match &self.#fi {
                Some(value) => #body,
                None => req,
            },
        }
    });
    let has_body = if used.is_empty() {
        quote!(match scheme {})
    } else {
        quote!(match scheme { #(#has_arms)* })
    };
    let apply_body = if used.is_empty() {
        quote! {
            let _ = (req, cookies);
            match scheme {}
        }
    } else {
        quote!(match scheme { #(#apply_arms)* })
    };
    quote! {
        impl super::runtime::client::Authorize for Credentials {
            type Scheme = SchemeId;

            fn has(&self, scheme: SchemeId) -> bool {
                #has_body
            }

            #[allow(unused_variables, clippy::ptr_arg)]
            fn apply(&self, req: ::reqwest::RequestBuilder, scheme: SchemeId, cookies: &mut Vec<String>) -> ::reqwest::RequestBuilder {
                #apply_body
            }
        }
    }
}
