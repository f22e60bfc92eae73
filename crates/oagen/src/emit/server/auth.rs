//! Authentication in the generated server: the spec's `Scheme` enum, where each scheme's credential is sent (its `SecurityScheme` impl), and `Credential` and `Auth` as the runtime's types for it; reading and checking credentials is `runtime::server`'s.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{Api, ParamIn, SchemeKind};

/// `Scheme` with its `SecurityScheme` impl, and the `Credential` and `Auth` aliases.
pub(super) fn credential_items(api: &Api, scheme_variants: &[Ident]) -> TokenStream {
    let scheme_docs = crate::emit::operations::schemes_with(api, scheme_variants).map(|(s, v)| {
        let doc = format!(" `{}`", s.key);
        quote!(#[doc = #doc] #v,)
    });
    let arms = crate::emit::operations::schemes_with(api, scheme_variants).map(|(s, v)| {
        let source = match &s.kind {
            SchemeKind::Bearer { .. } | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect { .. } => {
                quote!(Source::Authorization("bearer"))
            }
            SchemeKind::Basic => quote!(Source::Basic),
            SchemeKind::Http { scheme } => {
                let scheme = scheme.to_ascii_lowercase();
                quote!(Source::Authorization(#scheme))
            }
            SchemeKind::ApiKey { name, location } => match location {
                ParamIn::Header => quote!(Source::Header(#name)),
                ParamIn::Query => quote!(Source::Query(#name)),
                ParamIn::Cookie => quote!(Source::Cookie(#name)),
                ParamIn::Path => quote!(Source::Nowhere),
            },
        };
        quote!(Scheme::#v => #source,)
    });
    quote! {
        /// The security schemes of the spec.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Scheme {
            #(#scheme_docs)*
        }

        impl super::runtime::server::SecurityScheme for Scheme {
            fn source(self) -> super::runtime::server::Source {
                #[allow(unused_imports)]
                use super::runtime::server::Source;
                match self {
                    #(#arms)*
                }
            }
        }

        /// A credential that [`Api::verify`] accepted.
        pub type Credential = super::runtime::server::Credential<Scheme>;

        /// The credentials a request was authenticated with: every scheme of the
        /// requirement that matched, or none for anonymous access.
        pub type Auth = super::runtime::server::Auth<Scheme>;
    }
}
