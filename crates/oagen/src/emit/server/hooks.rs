//! The hook receiver: the `Webhooks` trait (one method per webhook and per callback, its own `verify`), the `Receiver` state that makes it a `runtime::server::Verifier`, and `webhooks_router()`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Operation};

/// Whether `op` is one of the API's hooks.
pub(super) fn is_hook(api: &Api, op: &Operation) -> bool {
    api.hooks
        .iter()
        .any(|h| std::ptr::eq(&api.operations[h.operation], op))
}

/// The receiver's items (none when the API has no hooks), with each hook's
/// method of the trait in `trait_methods`. Callbacks are received like
/// webhooks: one trait for every request the API's provider sends.
pub(super) fn receiver_items(api: &Api, trait_methods: &[TokenStream]) -> TokenStream {
    if api.hooks.is_empty() {
        return TokenStream::new();
    }
    // A webhook's path item has only the fixed methods: no dispatchers.
    let (routes, _) = super::routing::route_table_of(api, true);
    quote! {
        /// The API's webhooks and callbacks, to be implemented by their
        /// receiver: one method per webhook and per callback operation.
        /// Requests reach a method only after authentication and validation,
        /// as for [`Api`]. Served by [`webhooks_router`].
        pub trait Webhooks: Send + Sync + 'static {
            /// Whether `credential` is acceptable (see [`Api::verify`]).
            fn verify(&self, credential: &Credential) -> impl Future<Output = bool> + Send;

            #(#trait_methods)*
        }

        /// The state of [`webhooks_router`]: a [`Webhooks`] implementation.
        pub struct Receiver<W>(Arc<W>);

        /// `serve` checks a webhook's credentials with the receiver's `verify`.
        impl<W: Webhooks> super::runtime::server::Verifier<Scheme> for Receiver<W> {
            fn verify(&self, credential: &Credential) -> impl Future<Output = bool> + Send {
                Webhooks::verify(&*self.0, credential)
            }
        }

        /// A router receiving every webhook at its route (`/` and the
        /// webhook's name) and every callback at its own
        /// (`/callbacks/<operation>/<callback>`, then the literal path its
        /// key ends with), backed by `receiver`; mount it with `Router::nest`
        /// on the path the hooks are sent to.
        pub fn webhooks_router<A: Webhooks>(receiver: Arc<A>) -> ::axum::Router {
            #routes
            router.fallback(super::runtime::server::not_found).with_state(Arc::new(Receiver(receiver)))
        }
    }
}
