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
        /// Decodes `original` as `T` and encodes the result again.
        fn round_trip<T>(original: &::serde_json::Value) -> Result<(T, ::serde_json::Value), String>
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize,
        {
            let decoded: T = ::serde_json::from_value(original.clone())
                .map_err(|e| format!("the example does not decode: {e}"))?;
            let encoded = ::serde_json::to_value(&decoded)
                .map_err(|e| format!("the decoded example does not encode: {e}"))?;
            Ok((decoded, encoded))
        }

        /// With `OAGEN_EXAMPLES_OUT` set, appends one JSON line with the example's
        /// outcome to that file (`cargo xtask corpus --compile` judges these lines
        /// with an independent JSON Schema validator).
        fn record<T>(
            pointer: &str,
            schema_pointer: &str,
            verdict: &str,
            outcome: &Result<(T, ::serde_json::Value), String>,
        ) {
            let Some(path) = ::std::env::var_os("OAGEN_EXAMPLES_OUT") else {
                return;
            };
            let (error, encoded) = match outcome {
                Ok((_, encoded)) => (::serde_json::Value::Null, encoded.clone()),
                Err(e) => (::serde_json::Value::String(e.clone()), ::serde_json::Value::Null),
            };
            let line = ::serde_json::json!({
                "pointer": pointer,
                "schema_pointer": schema_pointer,
                "verdict": verdict,
                "decoded": outcome.is_ok(),
                "error": error,
                "encoded": encoded,
            });
            // One write of a whole line to a file opened for appending: lines of
            // tests running on other threads do not interleave.
            let written = ::std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| ::std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes()));
            if let Err(e) = written {
                panic!("{pointer}: cannot append to {}: {e}", path.to_string_lossy());
            }
        }

        /// Decodes `json` as `T`, encodes it again and checks that nothing was lost.
        #[allow(dead_code)]
        fn check<T>(pointer: &str, schema_pointer: &str, verdict: &str, json: &str)
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize + PartialEq + ::std::fmt::Debug,
        {
            let original: ::serde_json::Value = match ::serde_json::from_str(json) {
                Ok(v) => v,
                Err(e) => panic!("{pointer}: the example is not JSON: {e}"),
            };
            let outcome = round_trip::<T>(&original);
            record(pointer, schema_pointer, verdict, &outcome);
            let (decoded, encoded) = match outcome {
                Ok(v) => v,
                Err(e) => panic!("{pointer}: {e}"),
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
        fn reject<T>(pointer: &str, schema_pointer: &str, json: &str, reason: &str)
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::std::fmt::Debug,
        {
            let original: ::serde_json::Value = match ::serde_json::from_str(json) {
                Ok(v) => v,
                Err(e) => panic!("{pointer}: the example is not JSON: {e}"),
            };
            let outcome = round_trip::<T>(&original);
            record(pointer, schema_pointer, "breaks-structure", &outcome);
            match outcome {
                Ok((v, _)) => panic!("{pointer}: the example breaks its schema ({reason}) but decoded as {v:?}"),
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
