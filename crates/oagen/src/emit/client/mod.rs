//! Emits the `client` module (an async client, reqwest and rustls, with one method per operation) from its parts; what is the same for every API is the runtime's `client` module.

mod callbacks;
mod config;
mod credentials;
mod requests;
mod responses;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::features::Part;
use crate::model::Api;

/// The module's items.
pub fn emit(api: &Api, part: Part) -> TokenStream {
    let paths = super::operations::paths();
    let scheme_variants = super::operations::scheme_variants(api);
    // Each operation's method, and the function that decodes its responses.
    let (methods, decoders): (Vec<TokenStream>, Vec<TokenStream>) = api
        .operations
        .iter()
        .enumerate()
        .filter(|(index, _)| api.gates.op_home(*index) == part)
        .map(|(index, op)| {
            let cfg = super::rust::part_op_cfg(api, index, part);
            let mut method = requests::method(api, op, &paths, &scheme_variants, false);
            if op.stream_fn_name.is_some() {
                method.extend(requests::method(api, op, &paths, &scheme_variants, true));
            }
            let mut decoder = responses::decoder(api, op, &paths);
            if super::operations::op_streams(op) || super::operations::op_bytes(op) {
                decoder.extend(responses::streams_predicate(op, &paths, false));
            }
            if super::operations::op_bytes(op) {
                decoder.extend(responses::streams_predicate(op, &paths, true));
            }
            (
                super::rust::gate(method, cfg.as_ref()),
                super::rust::gate(decoder, cfg.as_ref()),
            )
        })
        .unzip();
    if part.is_some() {
        // A tag's methods: one more `impl Client` block.
        return quote! {
            impl Client {
                #(#methods)*
            }

            #(#decoders)*
        };
    }
    let default_url = api.servers.first().map(|s| {
        let url = s.default_url();
        let url = url.trim_end_matches('/').to_string();
        let doc = format!(" The first server in the spec, `{url}`, with its base path.");
        quote! {
            #[doc = #doc]
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    // Callback URL resolvers, all in the module itself (a tag's part is not
    // re-exported), each behind its callback's and its owner's features.
    let resolvers = (0..api.operations.len()).map(|index| {
        let cfg = super::rust::op_cfg(api, index);
        super::rust::gate(callbacks::resolver(api, index), cfg.as_ref())
    });
    let credentials = credentials::credentials_items(api);
    let client = config::client_items();
    let scheme_enum = credentials::scheme_enum(api, &scheme_variants);
    let constructors = config::constructors(api);
    let authorize = credentials::authorize_impl(api, &scheme_variants);
    quote! {
        use super::operations;
        #client

        #default_url
        #credentials
        #scheme_enum
        #authorize

        impl Client {
            #constructors
            #(#methods)*
        }

        #(#decoders)*
        #(#resolvers)*
    }
}
