//! Emits the `server` module (a trait with one async method per operation, an `axum::Router` built from an implementation, request authentication and validation, typed responses) from its parts, and the `validate` module.

mod api_trait;
mod auth;
mod inputs;
mod json_checks;
mod rejections;
mod responses;
mod routing;
mod samples;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::features::Part;
use crate::model::Api;

pub use validate::emit_validate;

/// The module's items.
pub fn emit(api: &Api, part: Part) -> super::rust::Module<'_> {
    let paths = super::operations::paths();
    let scheme_variants = super::operations::scheme_variants(api);
    if part.is_some() {
        // A tag's handlers; the trait, the router and the helpers are the module's.
        let handlers = api
            .operations
            .iter()
            .enumerate()
            .filter(move |(index, _)| api.gates.op_home(*index) == part)
            .map(move |(_, op)| routing::handler(api, op, &paths, &scheme_variants, part));
        return super::rust::Module::new(TokenStream::new(), handlers);
    }
    let samples = samples::Samples::default();
    let trait_methods = api
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| {
            super::rust::gate(
                api_trait::trait_method(api, op, &paths, &samples),
                super::rust::op_cfg(api, index).as_ref(),
            )
        })
        .collect::<Vec<_>>();
    let credentials = auth::credential_items(api, &scheme_variants);
    let rejection = rejections::rejection_items();
    let api_trait = api_trait::api_trait(&trait_methods);
    let samples_item = samples::samples_item(&samples);
    let router = routing::router_items(api);
    let responses = responses::response_items(api);
    let authentication = auth::authentication_items(api, &scheme_variants);
    let serve = routing::serve_item();
    let inputs = inputs::input_items();
    let head = quote! {
        use super::operations;
        #[allow(unused_imports)]
        use super::runtime::wire::{Kind, Style};
        use ::std::future::Future;
        use ::std::sync::Arc;

        #credentials
        #rejection

        pub use super::validate::{Validate, Violation};

        #api_trait

        /// The largest request body accepted, in bytes.
        pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

        #samples_item
        #router
        #responses
        #authentication
        #serve
        #inputs
    };
    let handlers = api
        .operations
        .iter()
        .enumerate()
        .filter(move |(index, _)| api.gates.op_home(*index).is_none())
        .map(move |(index, op)| {
            super::rust::gate(
                routing::handler(api, op, &paths, &scheme_variants, None),
                super::rust::op_cfg(api, index).as_ref(),
            )
        });
    super::rust::Module::new(head, handlers)
}
