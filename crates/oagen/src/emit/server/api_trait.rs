//! The `Api` trait: one method per operation, `verify` for credentials, and the overridable `reject_*` per operation; and the blanket impl that makes every implementation a `runtime::server::Verifier`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rejections::{default_rejection, RejectKind};
use super::samples::Samples;
use crate::emit::operations::request_body_ty;
use crate::emit::rust::{ident, Paths};
use crate::model::{Api, Operation};

/// The trait `Api`, with `trait_methods` (each operation's, from [`trait_method`]).
pub(super) fn api_trait(trait_methods: &[TokenStream]) -> TokenStream {
    quote! {
        /// The API, to be implemented by the server: one method per operation.
        /// Requests reach a method only after authentication and validation.
        ///
        /// An operation's method takes `self: Arc<Self>`, so its future owns the
        /// server (it is `'static`: a method may spawn tasks that use `self`),
        /// and the trait has no generic associated types, which with thousands
        /// of operations made the trait's well-formedness check quadratic.
        pub trait Api: Send + Sync + 'static {
            /// Whether `credential` is acceptable. Called for each credential a
            /// security requirement needs; a request passes when every credential of
            /// one of its operation's requirements is accepted.
            fn verify(&self, credential: &Credential) -> impl Future<Output = bool> + Send;

            #(#trait_methods)*
        }

        /// `serve` checks credentials with the implementation's `verify`.
        impl<A: Api> super::runtime::server::Verifier<Scheme> for A {
            fn verify(&self, credential: &Credential) -> impl Future<Output = bool> + Send {
                Api::verify(self, credential)
            }
        }
    }
}

/// An operation's method of the trait, and its `reject_*` with the default
/// rejection.
pub(super) fn trait_method(
    api: &Api,
    op: &Operation,
    paths: &Paths,
    samples: &Samples,
) -> TokenStream {
    let fname = ident(&op.fn_name);
    let resp_ty = ident(&op.response_type);
    let docs = crate::emit::operations::operation_docs(op);
    let mut args = vec![quote!(auth: Auth)];
    if !op.params.is_empty() {
        let pty = ident(&op.params_type);
        args.push(quote!(params: operations::#pty));
    }
    if let Some((b, ty)) = op
        .body
        .as_ref()
        .and_then(|b| request_body_ty(api, b, paths).map(|ty| (b, ty)))
    {
        args.push(if b.required {
            quote!(body: #ty)
        } else {
            quote!(body: Option<#ty>)
        });
    }
    let reject_name = format_ident!("reject_{}", crate::model::naming::bare(&op.fn_name));
    let reject_doc = format!(
        " How a rejected `{}` request is answered. The default answers with a declared \
         response: for authentication failures 401, 403, 4XX or `default` (the first declared), \
         for bad requests 400, 422, 4XX or `default`, for a body over the limit 413; `None` sends \
         an undeclared 401, 413 or 400.",
        op.id
    );
    let auth_default = default_rejection(api, op, RejectKind::Auth, paths, samples);
    let request_default = default_rejection(api, op, RejectKind::Request, paths, samples);
    let too_large = default_rejection(api, op, RejectKind::TooLarge, paths, samples);
    let choose = if auth_default.to_string() == request_default.to_string() {
        auth_default
    } else {
        quote! {
            if rejection.is_auth() {
                #auth_default
            } else {
                #request_default
            }
        }
    };
    // Only a body can be too large.
    let choose = if op.body.is_none() || too_large.to_string() == choose.to_string() {
        choose
    } else {
        quote! {
            if let Rejection::TooLarge { .. } = rejection {
                #too_large
            } else {
                #choose
            }
        }
    };
    quote! {
        #docs
        fn #fname(self: Arc<Self>, #(#args),*) -> impl Future<Output = operations::#resp_ty> + Send;

        #[doc = #reject_doc]
        fn #reject_name(&self, rejection: &Rejection) -> Option<operations::#resp_ty> {
            let message = &rejection.to_string();
            let _ = message;
            #choose
        }
    }
}
