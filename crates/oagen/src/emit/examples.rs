//! Emits `tests/examples.rs` for a generated crate: one test per example value of the spec, calling the runtime's `examples::check` (decodes into its generated type and encodes back without losing data) or `examples::reject`.

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
        let schema = &ex.schema_pointer;
        // The test needs the type, so it is compiled when the type is (the
        // types it refers to are switched on with it).
        let mut shape = &ex.shape;
        while let crate::model::Ty::Array(inner) | crate::model::Ty::Map(inner) = &shape.ty {
            shape = inner;
        }
        let cfg = match shape.ty {
            crate::model::Ty::Named(id) => super::rust::type_cfg(api, id),
            _ => None,
        };
        let (doc, call) = match &ex.verdict {
            ExampleVerdict::Valid => (
                format!(" `#{pointer}`: valid, so it decodes and encodes back unchanged."),
                quote!(check::<#ty>(#pointer, #schema, "valid", #json)),
            ),
            ExampleVerdict::BreaksConstraint(reason) => (
                crate::emit::docs::sanitize(&format!(" `#{pointer}`: breaks a constraint ({reason}); constraints are not checked on decode, so it still decodes and encodes back unchanged.")),
                quote!(check::<#ty>(#pointer, #schema, "breaks-constraint", #json)),
            ),
            ExampleVerdict::BreaksStructure(reason) => (
                crate::emit::docs::sanitize(&format!(" `#{pointer}`: does not fit its schema ({reason}), so decoding rejects it.")),
                quote!(reject::<#ty>(#pointer, #schema, #json, #reason)),
            ),
        };
        let test = quote! {
            #[doc = #doc]
            #[test]
            fn #fn_name() {
                #call;
            }
        };
        quote!(#cfg #test)
    });
    quote! {
        //! Every example value in the spec decodes into its generated type, and
        //! encodes back to JSON that keeps every member it had.

        // Generated code is formatted by oagen (prettyplease), not by rustfmt.
        #[rustfmt::skip]
        mod examples {
        // The checks are the runtime's (`runtime::examples`), the same for every crate.
        #[allow(unused_imports)]
        use #krate::runtime::examples::{check, reject};

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
