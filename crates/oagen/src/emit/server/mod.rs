//! Emits the `server` module (what the spec decides: the `Scheme` enum, a trait with one async method per operation, the `axum::Router` table, and per operation reading its input, writing its response and a handler that hands both to the runtime's `serve`) from its parts, and the `validate` module.

mod api_trait;
mod auth;
mod hooks;
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
    let (hook_methods, trait_methods): (Vec<_>, Vec<_>) = api
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| {
            let method = super::rust::gate(
                api_trait::trait_method(api, op, &paths, &samples),
                super::rust::op_cfg(api, index).as_ref(),
            );
            (api.hook(index).is_some(), method)
        })
        .partition(|(hook, _)| *hook);
    let trait_methods: Vec<_> = trait_methods.into_iter().map(|(_, m)| m).collect();
    let hook_methods: Vec<_> = hook_methods.into_iter().map(|(_, m)| m).collect();
    let receiver = hooks::receiver_items(api, &hook_methods);
    let credentials = auth::credential_items(api, &scheme_variants);
    let api_trait = api_trait::api_trait(&trait_methods);
    let samples_item = samples::samples_item(&samples);
    let router = routing::router_items(api);
    let head = quote! {
        use super::operations;
        #[allow(unused_imports)]
        use super::runtime::wire::{Kind, Style};
        // What the handlers and `input_*` call: the server's half of the runtime.
        #[allow(unused_imports)]
        use super::runtime::server::{
            decode_byte_body, decode_form, decode_json, decode_multipart, decode_text, header_value,
            no_input, respond, respond_with, sample, serve, In, Incoming, Reading, Received,
        };
        use ::std::future::Future;
        use ::std::sync::Arc;

        pub use super::runtime::server::{Rejection, BODY_LIMIT};
        pub use super::validate::{Validate, Violation};

        #credentials
        #api_trait
        #samples_item
        #router
        #receiver
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
