//! Emits `tests/examples.rs` for a generated crate: every example value in the
//! spec must decode into its generated type and encode back without losing data.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, value_ty, Paths};
use crate::model::naming::{snake_ident, Namer};
use crate::model::{Api, ExampleVerdict};

/// The test file's items, for a crate named `crate_name`.
pub fn emit(api: &Api, crate_name: &str) -> TokenStream {
    let krate = ident(crate_name);
    let paths = Paths {
        models: quote!(#krate::models::),
        runtime: quote!(#krate::runtime),
    };
    let mut names = Namer::new();
    names.reserve("check");
    let tests = api.examples.iter().map(|ex| {
        let name = names.claim(&test_name(&ex.pointer));
        let fn_name = ident(&name);
        let ty = value_ty(api, &ex.shape, &paths);
        let json = serde_json::to_string_pretty(&ex.value).unwrap_or_default();
        let pointer = &ex.pointer;
        match &ex.verdict {
            ExampleVerdict::Valid => {
                let doc = format!(" `#{pointer}`: valid, so it decodes and encodes back unchanged.");
                quote! {
                    #[doc = #doc]
                    #[test]
                    fn #fn_name() {
                        check::<#ty>(#pointer, #json);
                    }
                }
            }
            ExampleVerdict::BreaksConstraint(reason) => {
                let doc = format!(" `#{pointer}`: breaks a constraint ({reason}); constraints are not checked on decode, so it still decodes and encodes back unchanged.");
                let doc = crate::emit::docs::sanitize(&doc);
                quote! {
                    #[doc = #doc]
                    #[test]
                    fn #fn_name() {
                        check::<#ty>(#pointer, #json);
                    }
                }
            }
            ExampleVerdict::BreaksStructure(reason) => {
                let doc = crate::emit::docs::sanitize(&format!(" `#{pointer}`: does not fit its schema ({reason}), so decoding rejects it."));
                quote! {
                    #[doc = #doc]
                    #[test]
                    fn #fn_name() {
                        reject::<#ty>(#pointer, #json, #reason);
                    }
                }
            }
        }
    });
    quote! {
        //! Every example value in the spec decodes into its generated type, and
        //! encodes back to JSON that keeps every member it had.

        // Generated code is formatted by oagen (prettyplease), not by rustfmt.
        #[rustfmt::skip]
        mod examples {
        /// Decodes `json` as `T`, encodes it again and checks that nothing was lost.
        #[allow(dead_code)]
        fn check<T>(pointer: &str, json: &str)
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize + PartialEq + ::std::fmt::Debug,
        {
            let original: ::serde_json::Value = match ::serde_json::from_str(json) {
                Ok(v) => v,
                Err(e) => panic!("{pointer}: the example is not JSON: {e}"),
            };
            let decoded: T = match ::serde_json::from_value(original.clone()) {
                Ok(v) => v,
                Err(e) => panic!("{pointer}: the example does not decode: {e}"),
            };
            let encoded = match ::serde_json::to_value(&decoded) {
                Ok(v) => v,
                Err(e) => panic!("{pointer}: the decoded example does not encode: {e}"),
            };
            if let Err(e) = #krate::runtime::json_is_subset(&original, &encoded) {
                panic!("{pointer}: re-encoding lost data: {e}\nencoded: {encoded}");
            }
            let again: T = match ::serde_json::from_value(encoded) {
                Ok(v) => v,
                Err(e) => panic!("{pointer}: the re-encoded example does not decode: {e}"),
            };
            assert_eq!(decoded, again, "{pointer}: decode(encode(x)) differs from x");
        }

        /// Checks that `json`, which breaks its schema, does not decode as `T`.
        #[allow(dead_code)]
        fn reject<T>(pointer: &str, json: &str, reason: &str)
        where
            T: ::serde::de::DeserializeOwned + ::std::fmt::Debug,
        {
            match ::serde_json::from_str::<T>(json) {
                Ok(v) => panic!("{pointer}: the example breaks its schema ({reason}) but decoded as {v:?}"),
                Err(e) => eprintln!("{pointer}: rejected as expected ({reason}): {e}"),
            }
        }

        #(#tests)*
        }
    }
}

/// A test name from an example's pointer: its tokens, without the structural ones.
fn test_name(pointer: &str) -> String {
    let words: Vec<String> = pointer
        .split('/')
        .filter(|t| !t.is_empty())
        .map(crate::diag::unescape_token)
        .filter(|t| {
            !matches!(
                t.as_str(),
                "content" | "schema" | "properties" | "components" | "schemas" | "paths"
            )
        })
        .collect();
    let raw = format!("example {}", words.join(" "));
    crate::model::naming::bare(&snake_ident(&raw, "example")).to_string()
}
