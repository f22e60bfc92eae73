//! Checks of a JSON value as received that decoding into its Rust type does not make: a `null` sent for an optional property that is not nullable (`validate_json`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::rust::{ident, resolve_alias};
use crate::model::{Api, Shape, Ty, TypeKind};

/// Whether `null` is a valid value of `shape` (through aliases and unions).
fn null_ok(api: &Api, shape: &Shape, depth: usize) -> bool {
    if shape.nullable || crate::emit::rust::null_is_native(shape) || depth > 16 {
        return true;
    }
    match &shape.ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => null_ok(api, inner, depth + 1),
            TypeKind::Union(u) => {
                u.discriminator.is_none()
                    && u.variants.iter().any(|v| null_ok(api, &v.shape, depth + 1))
            }
            _ => false,
        },
        _ => false,
    }
}

/// An expression: whether the JSON `value` is of the kind `shape` decodes from
/// (object, array, string, number, boolean), or null where null is allowed. Only
/// `||` at the top, so it can stand as an `if` condition without parentheses.
fn json_kind(api: &Api, shape: &Shape) -> TokenStream {
    let resolved = resolve_alias(api, shape);
    let kind = match &resolved.ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Struct(_) => quote!(value.is_object()),
            TypeKind::Enum(e) => match e.repr {
                crate::model::EnumRepr::String => quote!(value.is_string()),
                crate::model::EnumRepr::Integer => quote!(value.is_i64() || value.is_u64()),
            },
            _ => quote!(true),
        },
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid | Ty::Binary | Ty::Bytes => {
            quote!(value.is_string())
        }
        Ty::Integer(_) => quote!(value.is_i64() || value.is_u64()),
        Ty::Number(_) => quote!(value.is_number()),
        Ty::Boolean => quote!(value.is_boolean()),
        Ty::Null => quote!(value.is_null()),
        Ty::Array(_) | Ty::Tuple(_) => quote!(value.is_array()),
        Ty::Map(_) => quote!(value.is_object()),
        _ => quote!(true),
    };
    if null_ok(api, shape, 0) {
        quote!(value.is_null() || #kind)
    } else {
        kind
    }
}

/// The body of a struct's `validate_json`: each property present is checked
/// against its shape (and unlisted ones against a typed `additionalProperties`).
pub(super) fn struct_json_checks(api: &Api, s: &crate::model::StructDef) -> TokenStream {
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let name = &f.name;
            let optional = !f.required && !crate::emit::models::has_default(api, f);
            // The two common cases in one line each, through the module's helpers.
            let null_forbidden = optional && !null_ok(api, &f.shape, 0);
            let inner = json_non_null(api, &f.shape, 0);
            if inner.is_empty() {
                return null_forbidden.then(|| quote! { no_null(object, #name, at, out); });
            }
            if let Some(target) = json_target(api, &f.shape) {
                let null_allowed = !null_forbidden;
                return Some(quote! {
                    property(object, #name, at, out, #null_allowed, <super::models::#target as Validate>::validate_json);
                });
            }
            let check = json_check(
                api,
                &f.shape,
                quote!(v),
                quote!(format!("{at}/{}", #name)),
                optional,
                0,
            );
            if check.is_empty() {
                None
            } else {
                Some(quote! { if let Some(v) = object.get(#name) { #check } })
            }
        })
        .collect();
    let extra = match &s.additional {
        crate::model::Additional::Typed(shape) => {
            let check = json_check(api, shape, quote!(v), quote!(format!("{at}/{k}")), false, 0);
            if check.is_empty() {
                TokenStream::new()
            } else {
                let names = s.fields.iter().map(|f| &f.name);
                quote! {
                    for (k, v) in object.iter() {
                        if [#(#names),*].contains(&k.as_str()) {
                            continue;
                        }
                        #check
                    }
                }
            }
        }
        _ => TokenStream::new(),
    };
    let dependent = s.dependent_required.iter().map(|(k, needed)| {
        quote! { dependent_required(object, #k, &[#(#needed),*], at, out); }
    });
    let dependent: Vec<TokenStream> = dependent.collect();
    if fields.is_empty() && extra.is_empty() && dependent.is_empty() {
        return TokenStream::new();
    }
    quote! {
        let Some(object) = value.as_object() else { return };
        #(#fields)*
        #extra
        #(#dependent)*
    }
}

/// The body of a union's `validate_json`: a discriminated union checks the variant
/// its tag names; an untagged one passes when any variant of the value's kind
/// passes, and otherwise reports the first such variant's violations.
pub(super) fn union_json_checks(api: &Api, u: &crate::model::UnionDef) -> TokenStream {
    let checks: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            json_check(
                api,
                &v.shape,
                quote!(value),
                quote!(at.to_string()),
                false,
                0,
            )
        })
        .collect();
    if checks.iter().all(TokenStream::is_empty) {
        return TokenStream::new();
    }
    if let Some(d) = &u.discriminator {
        let arms = d.mapping.iter().filter_map(|(tag, i)| {
            let check = checks.get(*i).filter(|c| !c.is_empty())?;
            Some(quote!(Some(#tag) => { #check }))
        });
        let property = &d.property;
        return quote! {
            match value.get(#property).and_then(::serde_json::Value::as_str) {
                #(#arms)*
                _ => {}
            }
        };
    }
    let tries = u.variants.iter().zip(&checks).map(|(v, check)| {
        let kind = json_kind(api, &v.shape);
        if check.is_empty() {
            quote! { if #kind { return; } }
        } else {
            quote! {
                if #kind {
                    let mut found = Vec::new();
                    {
                        let out = &mut found;
                        #check
                    }
                    if found.is_empty() {
                        return;
                    }
                    if first.is_none() {
                        first = Some(found);
                    }
                }
            }
        }
    });
    quote! {
        let mut first: Option<Vec<Violation>> = None;
        #(#tries)*
        if let Some(found) = first {
            out.extend(found);
        }
    }
}

/// Checks of a JSON value `v: &Value` of `shape` that decoding into the Rust type
/// does not make, at any depth: a `null` sent for an optional property that is
/// not nullable (decoded as absent). `at` is an expression giving the value's JSON
/// pointer as a `String`; `optional` says the value is an optional property without
/// a default, the one place where decoding lets a `null` through. Empty when there
/// is nothing to check.
pub(super) fn json_check(
    api: &Api,
    shape: &Shape,
    v: TokenStream,
    at: TokenStream,
    optional: bool,
    depth: usize,
) -> TokenStream {
    let null = if optional && !null_ok(api, shape, 0) {
        quote! { out.push(Violation { at: here, message: "null is not allowed".to_string() }); }
    } else {
        TokenStream::new()
    };
    let inner = json_non_null(api, shape, depth);
    if null.is_empty() && inner.is_empty() {
        return TokenStream::new();
    }
    let bind = if v.to_string() == "v" {
        TokenStream::new()
    } else {
        quote!(let v: &::serde_json::Value = #v;)
    };
    let test = if null.is_empty() {
        quote!(if !v.is_null() { #inner })
    } else if inner.is_empty() {
        quote!(if v.is_null() { #null })
    } else {
        quote!(if v.is_null() { #null } else { #inner })
    };
    quote! {
        {
            #bind
            let here: String = #at;
            #test
        }
    }
}

/// Whether a non-null value of `shape` can hold something [`json_check`] looks
/// for: an optional, not nullable property without a default, in any type it
/// reaches. `seen` holds the named types already visited.
fn needs_json(api: &Api, shape: &Shape, seen: &mut Vec<crate::model::TypeId>) -> bool {
    match &shape.ty {
        Ty::Named(id) => {
            if seen.contains(id) {
                return false;
            }
            seen.push(*id);
            match &api.ty(*id).kind {
                TypeKind::Alias(inner) => needs_json(api, inner, seen),
                TypeKind::Struct(s) => {
                    !s.dependent_required.is_empty()
                        || s.fields.iter().any(|f| {
                            (!f.required
                                && !crate::emit::models::has_default(api, f)
                                && !null_ok(api, &f.shape, 0))
                                || needs_json(api, &f.shape, seen)
                        })
                        || matches!(&s.additional, crate::model::Additional::Typed(a) if needs_json(api, a, seen))
                }
                TypeKind::Union(u) => u.variants.iter().any(|v| needs_json(api, &v.shape, seen)),
                _ => false,
            }
        }
        Ty::Array(item) | Ty::Map(item) => needs_json(api, item, seen),
        _ => false,
    }
}

/// The named type whose `validate_json` is all that [`json_non_null`] does for
/// `shape` (aliases followed), if that is what it does.
fn json_target(api: &Api, shape: &Shape) -> Option<proc_macro2::Ident> {
    let mut shape = shape;
    for _ in 0..=8 {
        let Ty::Named(id) = &shape.ty else {
            return None;
        };
        match &api.ty(*id).kind {
            TypeKind::Alias(inner) => shape = inner,
            _ => {
                return needs_json(api, shape, &mut Vec::new()).then(|| ident(&api.ty(*id).name));
            }
        }
    }
    None
}

/// The checks of [`json_check`] for a value `v` known not to be `null`, with its
/// pointer in `here`.
fn json_non_null(api: &Api, shape: &Shape, depth: usize) -> TokenStream {
    if depth > 8 {
        return TokenStream::new();
    }
    match &shape.ty {
        Ty::Named(id) => {
            if let TypeKind::Alias(inner) = &api.ty(*id).kind {
                return json_non_null(api, inner, depth + 1);
            }
            if needs_json(api, shape, &mut Vec::new()) {
                let name = ident(&api.ty(*id).name);
                quote! { <super::models::#name as Validate>::validate_json(v, &here, out); }
            } else {
                TokenStream::new()
            }
        }
        Ty::Array(item) | Ty::Map(item) => {
            // Arrays iterate `(index, item)`, maps `(key, value)`: the same check per item.
            let (pointer, each) = match &shape.ty {
                Ty::Array(_) => (
                    quote!(format!("{here}/{i}")),
                    quote!((i, v) in v.as_array().into_iter().flatten().enumerate()),
                ),
                _ => (
                    quote!(format!("{here}/{k}")),
                    quote!((k, v) in v.as_object().into_iter().flatten()),
                ),
            };
            let check = json_check(api, item, quote!(v), pointer, false, depth + 1);
            if check.is_empty() {
                check
            } else {
                quote! {
                    for #each { #check }
                }
            }
        }
        _ => TokenStream::new(),
    }
}
