//! The `validate` module: a `Validate` impl per type a request can carry, turning the model's plan of checks ([`crate::model::checks`]) into code; `Violation`, the trait and its fixed impls are `runtime::validate`'s.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::json_checks::{struct_json_checks, union_json_checks};
use crate::emit::rust::ident;
use crate::model::checks::{Checks, Constraint, Then};
use crate::model::features::Part;
use crate::model::{Api, Shape, TypeKind};

/// Emits the `validate` module: a `Validate` impl per named type.
pub fn emit_validate(api: &Api, part: Part) -> crate::emit::rust::Module<'_> {
    // Only the module itself (not a tag's part) has the head that needs it.
    let uuid_impl = if part.is_none() && crate::emit::uses_uuid(api) {
        quote!(impl Validate for ::uuid::Uuid {})
    } else {
        TokenStream::new()
    };
    let impls = api.types.iter().enumerate().filter_map(move |(i, t)| {
        // Only what a request can carry is checked.
        if api.gates.type_home(i) != part || !api.requested[i] {
            return None;
        }
        let name = ident(&t.name);
        let body = match &t.kind {
            TypeKind::Alias(_) => return None,
            TypeKind::Enum(e) => {
                let unknown = ident(&e.unknown_ident);
                quote! {
                    if let Self::#unknown(v) = self {
                        out.push(Violation { at: at.to_string(), message: format!("`{v}` is not one of the allowed values") });
                    }
                }
            }
            // Nothing to check: the trait's default.
            _ if !api.checked[i] => TokenStream::new(),
            TypeKind::Union(u) => {
                let arms = u.variants.iter().map(|v| {
                    let vi = ident(&v.ident);
                    let check = value_checks(api, &v.shape, quote!(v), quote!(at.to_string()));
                    let deref = if v.boxed { quote!(let v = &**v;) } else { TokenStream::new() };
                    if v.shape.nullable && !crate::emit::rust::null_is_native(&v.shape) {
                        quote!(Self::#vi(v) => { #deref if let Some(v) = v { #check } })
                    } else {
                        quote!(Self::#vi(v) => { #deref #check })
                    }
                });
                let unknown = u.discriminator.as_ref().map(|d| {
                    let ui = ident(&d.unknown_ident);
                    quote!(Self::#ui(_) => out.push(Violation { at: at.to_string(), message: "unknown discriminator value".to_string() }),)
                });
                quote! {
                    match self {
                        #(#arms)*
                        #unknown
                    }
                }
            }
            TypeKind::Struct(s) => {
                let checks = s.fields.iter().map(|f| {
                    let fi = ident(&f.ident);
                    let name = &f.name;
                    let at = quote!(format!("{at}/{}", #name));
                    let shape = &f.shape;
                    let inner = value_checks(api, shape, quote!(v), at.clone());
                    if inner.is_empty() {
                        return TokenStream::new();
                    }
                    let deref = if f.boxed { quote!(let v = &**v;) } else { TokenStream::new() };
                    let nullable = shape.nullable && !crate::emit::rust::null_is_native(shape);
                    let has_default = crate::emit::models::has_default(api, f);
                    match (f.required || has_default, nullable) {
                        (true, false) => quote! { { let v = &self.#fi; #deref #inner } },
                        (true, true) => quote! { if let Some(v) = &self.#fi { #deref #inner } },
                        (false, false) => quote! { if let Some(v) = &self.#fi { #deref #inner } },
                        (false, true) => quote! { if let Some(Some(v)) = &self.#fi { #deref #inner } },
                    }
                });
                let extra_ident = ident(&s.additional_ident);
                let extra = match &s.additional {
                    crate::model::Additional::Typed(shape) => {
                        let inner = value_checks(api, shape, quote!(v), quote!(format!("{at}/{k}")));
                        if inner.is_empty() {
                            TokenStream::new()
                        } else {
                            quote! { for (k, v) in &self.#extra_ident { #inner } }
                        }
                    }
                    _ => TokenStream::new(),
                };
                quote! { #(#checks)* #extra }
            }
        };
        let json = match &t.kind {
            TypeKind::Struct(s) => struct_json_checks(api, s),
            TypeKind::Union(u) => union_json_checks(api, u),
            _ => TokenStream::new(),
        };
        let json = if json.is_empty() {
            json
        } else {
            quote! {
                #[allow(unused_variables)]
                #[inline]
                fn validate_json(value: &::serde_json::Value, at: &str, out: &mut Vec<Violation>) {
                    #json
                }
            }
        };
        let cfg = crate::emit::rust::part_type_cfg(api, crate::model::TypeId(i), part);
        let validate = if body.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                #[allow(unused_variables, clippy::only_used_in_recursion)]
                #[inline]
                fn validate(&self, at: &str, out: &mut Vec<Violation>) {
                    #body
                }
            }
        };
        Some(quote! {
            #cfg
            impl Validate for models::#name {
                #validate
                #json
            }
        })
    });
    if part.is_some() {
        return crate::emit::rust::Module::new(TokenStream::new(), impls);
    }
    let head = quote! {
        #[allow(unused_imports)]
        use super::models;

        pub use super::runtime::validate::{Validate, Violation};
        /// The runtime's checks that the `Validate` impls call (public for
        /// those in the crates of tags' types, with `--split-models`).
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub use super::runtime::validate::{dependent_required, no_null, property, regex};

        #uuid_impl
    };
    crate::emit::rust::Module::new(head, impls)
}

/// The checks of a value `v: &T` of `shape` (its nullability handled by the
/// caller); `at` is an expression giving the value's JSON pointer as a
/// `String`. Empty when the model plans none ([`Api::checks`]).
pub(super) fn value_checks(
    api: &Api,
    shape: &Shape,
    v: TokenStream,
    at: TokenStream,
) -> TokenStream {
    api.checks(shape)
        .map_or_else(TokenStream::new, |checks| plan_checks(&checks, v, at))
}

/// The code of a plan of checks for a value `v`, with its pointer `at`.
fn plan_checks(checks: &Checks, v: TokenStream, at: TokenStream) -> TokenStream {
    let mut out = constraint_checks(&checks.constraints, checks.is_f64, &v);
    match &checks.then {
        None => {}
        Some(Then::Alias { optional, checks }) => {
            let inner = plan_checks(checks, v.clone(), quote!(here.clone()));
            if *optional {
                out.extend(quote! { if let Some(v) = #v { #inner } });
            } else {
                out.extend(inner);
            }
        }
        // Only the type's own checks: one call, no binding.
        Some(Then::Validate) if out.is_empty() => {
            // `at` itself when the pointer is the caller's (`at.to_string()`).
            let at = if at.to_string() == quote!(at.to_string()).to_string() {
                quote!(at)
            } else {
                quote!(&#at)
            };
            return quote! { Validate::validate(#v, #at, out); };
        }
        Some(Then::Validate) => out.extend(quote! { Validate::validate(#v, &here, out); }),
        Some(Then::Items {
            map,
            optional,
            checks,
        }) => {
            // Arrays iterate `(index, item)`, maps `(key, item)`: the same check per item.
            let (iter, key) = if *map {
                (quote!(#v.iter()), quote!(k))
            } else {
                (quote!(#v.iter().enumerate()), quote!(i))
            };
            let pointer = format!("{{here}}/{{{key}}}");
            let inner = plan_checks(checks, quote!(item), quote!(format!(#pointer)));
            let body = if *optional {
                quote!(if let Some(item) = item { #inner })
            } else {
                inner
            };
            out.extend(quote! { for (#key, item) in #iter { let _ = #key; #body } });
        }
    }
    quote!({ let here: String = #at; #out })
}

/// The code of the constraint checks of a value `v`, pushing a violation at
/// `here` for each constraint broken.
fn constraint_checks(constraints: &[Constraint], is_f64: bool, v: &TokenStream) -> TokenStream {
    let at = quote!(here.clone());
    // No cast where the value is already an `f64` (clippy's unnecessary_cast).
    let as_f64 = if is_f64 {
        quote!((*#v))
    } else {
        quote!((*#v as f64))
    };
    let mut out = TokenStream::new();
    for c in constraints {
        out.extend(match c {
            Constraint::MinLength(min) => {
                let min = Literal::usize_unsuffixed(*min);
                quote! { if #v.chars().count() < #min { out.push(Violation { at: #at, message: format!("shorter than {} characters", #min) }); } }
            }
            Constraint::MaxLength(max) => {
                let max = Literal::usize_unsuffixed(*max);
                quote! { if #v.chars().count() > #max { out.push(Violation { at: #at, message: format!("longer than {} characters", #max) }); } }
            }
            Constraint::Pattern(p) => quote! {
                {
                    static RE: ::std::sync::LazyLock<Option<::regex::Regex>> = ::std::sync::LazyLock::new(|| super::validate::regex(#p));
                    if let Some(re) = RE.as_ref() {
                        if !re.is_match(#v) {
                            out.push(Violation { at: #at, message: format!("does not match the pattern `{}`", #p) });
                        }
                    }
                }
            },
            Constraint::Minimum { bound, exclusive } => {
                let m = Literal::f64_suffixed(*bound);
                let cmp = if *exclusive { quote!(<=) } else { quote!(<) };
                quote! { if #as_f64 #cmp #m { out.push(Violation { at: #at, message: format!("below the minimum {}", #m) }); } }
            }
            Constraint::Maximum { bound, exclusive } => {
                let m = Literal::f64_suffixed(*bound);
                let cmp = if *exclusive { quote!(>=) } else { quote!(>) };
                quote! { if #as_f64 #cmp #m { out.push(Violation { at: #at, message: format!("above the maximum {}", #m) }); } }
            }
            Constraint::MultipleOf(m) => {
                let m = Literal::f64_suffixed(*m);
                quote! {
                    {
                        let q = #as_f64 / #m;
                        if (q - q.round()).abs() > 1e-9 {
                            out.push(Violation { at: #at, message: format!("not a multiple of {}", #m) });
                        }
                    }
                }
            }
            Constraint::MinItems(min) => {
                // `len() < 1` is `is_empty()` (clippy's len_zero).
                let test = if *min == 1 {
                    quote!(#v.is_empty())
                } else {
                    let min = Literal::usize_unsuffixed(*min);
                    quote!(#v.len() < #min)
                };
                let min = Literal::usize_unsuffixed(*min);
                quote! { if #test { out.push(Violation { at: #at, message: format!("fewer than {} items", #min) }); } }
            }
            Constraint::MaxItems(max) => {
                let max = Literal::usize_unsuffixed(*max);
                quote! { if #v.len() > #max { out.push(Violation { at: #at, message: format!("more than {} items", #max) }); } }
            }
            Constraint::KeyPattern(p) => quote! {
                {
                    static RE: ::std::sync::LazyLock<Option<::regex::Regex>> = ::std::sync::LazyLock::new(|| super::validate::regex(#p));
                    if let Some(re) = RE.as_ref() {
                        for k in #v.keys().filter(|k| !re.is_match(k)) {
                            out.push(Violation { at: format!("{here}/{k}"), message: format!("the property name does not match the pattern `{}`", #p) });
                        }
                    }
                }
            },
            Constraint::UniqueItems => quote! {
                if #v.iter().enumerate().any(|(i, a)| #v[..i].contains(a)) {
                    out.push(Violation { at: #at, message: "items are not unique".to_string() });
                }
            },
        });
    }
    out
}
