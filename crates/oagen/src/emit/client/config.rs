//! The generated client's frame: the runtime's client (`runtime::client`: `Error`, `ClientBuilder`, `Client` with its one shared exchange, `Pending`, the decoders) named for this API's `Credentials`, and `with_default_server`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

/// The imports of the runtime's client and the aliases that give its generic
/// `Client` and `ClientBuilder` this API's `Credentials`.
pub(super) fn client_items() -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use super::runtime::client::{decode, decode_form, decode_multipart, decode_text, header, param_value, required_header};
        pub use super::runtime::client::{Error, Pending, RequestHook, ResponseHook, RetryPolicy, UrlError};

        /// The API client: one method per operation, whose [`Pending`] future
        /// resolves to the operation's response.
        pub type Client = super::runtime::client::Client<Credentials>;

        /// Configures a [`Client`].
        pub type ClientBuilder = super::runtime::client::ClientBuilder<Credentials>;
    }
}

/// What `impl Client` has besides the operations: `with_default_server`
/// when the spec names a server.
pub(super) fn constructors(api: &Api) -> TokenStream {
    let with_default = api.servers.first().map(|_| {
        quote! {
            /// A client for [`DEFAULT_BASE_URL`].
            pub fn with_default_server() -> Result<Self, Error> {
                Self::new(DEFAULT_BASE_URL)
            }
        }
    });
    quote!(#with_default)
}
