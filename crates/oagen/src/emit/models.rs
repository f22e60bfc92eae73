//! Emits the `models` module: one Rust type per named type of the model.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::rust::{
    alias_is_recursive, base_ty, doc_attrs, ident, null_is_native, nullable_expr, snake, value_ty,
    Paths,
};
use crate::model::{
    features::Part, Additional, Api, EnumDef, EnumRepr, Field, StructDef, TypeDef, TypeId,
    TypeKind, UnionDef,
};

/// The `models` module's items.
pub fn emit<'a>(
    api: &'a Api,
    paths: &'a Paths,
    part: Part,
) -> impl Iterator<Item = TokenStream> + 'a {
    api.types
        .iter()
        .enumerate()
        .filter(move |(i, _)| api.gates.type_home(*i) == part)
        .map(move |(i, t)| {
            super::rust::gate(
                emit_type(api, TypeId(i), t, paths),
                super::rust::part_type_cfg(api, TypeId(i), part).as_ref(),
            )
        })
}

fn emit_type(api: &Api, id: TypeId, t: &TypeDef, paths: &Paths) -> TokenStream {
    let docs = doc_attrs(t.docs.as_deref());
    let name = ident(&t.name);
    match &t.kind {
        TypeKind::Struct(s) => emit_struct(api, t, s, paths),
        TypeKind::Enum(e) => emit_enum(t, e),
        TypeKind::Union(u) => emit_union(api, t, u, paths),
        TypeKind::Alias(shape) => {
            let ty = value_ty(api, shape, paths);
            if alias_is_recursive(api, id) {
                quote! {
                    #docs
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    #[serde(transparent)]
                    pub struct #name(pub #ty);
                }
            } else {
                quote! {
                    #docs
                    pub type #name = #ty;
                }
            }
        }
    }
}

/// The expression of an optional field's default, when it has one that Rust can
/// write: then the field has its plain type and the default is applied on decode;
/// otherwise it is an `Option`.
fn default_of(api: &Api, f: &Field, paths: &Paths) -> Option<TokenStream> {
    let v = f.default.as_ref().filter(|_| !f.required)?;
    let e = nullable_expr(api, &f.shape, v, paths)?;
    if !f.boxed {
        return Some(e);
    }
    let nullable = f.shape.nullable && !null_is_native(&f.shape);
    (!nullable).then(|| quote!(Box::new(#e)))
}

/// Whether an optional field has its plain type, its default applied on decode
/// (see `default_of`); other emitters must agree with the model's field types.
pub fn has_default(api: &Api, f: &Field) -> bool {
    let paths = Paths {
        models: TokenStream::new(),
        runtime: quote!(runtime),
    };
    default_of(api, f, &paths).is_some()
}

/// How a field is declared and decoded.
struct FieldDecl {
    /// Its Rust type.
    ty: TokenStream,
    /// Whether it is left out of the encoded object when it is `None`.
    skip_none: bool,
    /// The function that makes its default, when it has one.
    default_item: Option<(proc_macro2::Ident, TokenStream)>,
    /// How the struct's decoder takes it out of the received `Fields` (`f`).
    decode: TokenStream,
}

/// How a field is declared: its type, serde attributes and decoding.
fn field_decl(api: &Api, owner: &TypeDef, f: &Field, paths: &Paths) -> FieldDecl {
    let mut base = base_ty(api, &f.shape, paths);
    if f.boxed {
        base = quote!(Box<#base>);
    }
    let nullable = f.shape.nullable && !null_is_native(&f.shape);
    let wire = &f.name;
    let default_item = default_of(api, f, paths).map(|expr| {
        let ty = if nullable {
            quote!(Option<#base>)
        } else {
            base.clone()
        };
        let fname = format_ident!(
            "default_{}_{}",
            snake(&owner.name),
            crate::model::naming::bare(&f.ident)
        );
        (fname, ty, expr)
    });
    match (f.required, nullable, default_item) {
        (true, false, _) => FieldDecl {
            ty: base,
            skip_none: false,
            default_item: None,
            decode: quote!(f.required(#wire)),
        },
        (true, true, _) => FieldDecl {
            ty: quote!(Option<#base>),
            skip_none: false,
            default_item: None,
            decode: quote!(f.nullable(#wire)),
        },
        (false, _, Some((fname, ty, expr))) => FieldDecl {
            ty: ty.clone(),
            skip_none: false,
            decode: quote!(f.or_default(#wire, #fname)),
            default_item: Some((
                fname.clone(),
                quote!(#[inline] fn #fname() -> #ty { #expr }),
            )),
        },
        // `serde_json::Value` and `()` take `null` themselves: absent is kept
        // apart from null by the Option.
        (false, false, None) => FieldDecl {
            ty: quote!(Option<#base>),
            skip_none: true,
            default_item: None,
            decode: quote!(f.optional(#wire)),
        },
        (false, true, None) => FieldDecl {
            ty: quote!(Option<Option<#base>>),
            skip_none: true,
            default_item: None,
            decode: quote!(f.optional_nullable(#wire)),
        },
    }
}

fn emit_struct(api: &Api, t: &TypeDef, s: &StructDef, paths: &Paths) -> TokenStream {
    let docs = doc_attrs(t.docs.as_deref());
    let name = ident(&t.name);
    let rt = &paths.runtime;
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    let mut default_values = Vec::new();
    // (field, expression giving `Some(value)`, or `None` after keeping the error).
    let mut decodes: Vec<(proc_macro2::Ident, TokenStream)> = Vec::new();
    let mut rest = None;
    // What `Serialize` writes: (wire name, value or `None` when left out).
    let mut members = Vec::new();
    let mut encode_rest = quote!(&());
    let all_optional = s.fields.iter().all(|f| !f.required);
    for f in &s.fields {
        let FieldDecl {
            ty,
            skip_none,
            default_item,
            decode,
        } = field_decl(api, t, f, paths);
        let fdocs = doc_attrs(Some(&field_docs(f, default_item.is_some())));
        let fi = ident(&f.ident);
        fields.push(quote! {
            #fdocs
            pub #fi: #ty,
        });
        let wire = &f.name;
        members.push(if skip_none {
            quote!((#wire, #rt::object::present(&self.#fi)),)
        } else {
            quote!((#wire, Some(&self.#fi)),)
        });
        decodes.push((fi.clone(), decode));
        match default_item {
            Some((fname, item)) => {
                default_values.push(quote!(#fi: #fname(),));
                defaults.push(item);
            }
            None => default_values.push(quote!(#fi: Default::default(),)),
        }
    }
    let extra_ident = ident(&s.additional_ident);
    match &s.additional {
        Additional::Forbidden => {}
        Additional::Any => {
            fields.push(quote! {
                /// Properties not listed in the schema, kept as they were received.
                ///
                /// Wire: flattened, the object's other members.
                pub #extra_ident: ::serde_json::Map<String, ::serde_json::Value>,
            });
            encode_rest = quote!(&self.#extra_ident);
            default_values.push(quote!(#extra_ident: Default::default(),));
            rest = Some(quote!(#extra_ident: f.rest(),));
        }
        Additional::Typed(shape) => {
            let ty = value_ty(api, shape, paths);
            fields.push(quote! {
                /// Properties not listed in the schema (`additionalProperties`).
                ///
                /// Wire: flattened, the object's other members.
                pub #extra_ident: ::std::collections::BTreeMap<String, #ty>,
            });
            encode_rest = quote!(&self.#extra_ident);
            default_values.push(quote!(#extra_ident: Default::default(),));
            decodes.push((extra_ident.clone(), quote!(f.rest_typed())));
        }
    }
    let derive_default = all_optional && defaults.is_empty();
    let default_impl = if all_optional && !derive_default {
        quote! {
            impl Default for #name {
                #[inline]
                fn default() -> Self {
                    Self { #(#default_values)* }
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let derives = if derive_default {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    // Each member is taken out by its own `let ... else`, which returns the
    // error at the first member that fails. (Taking every member out into one
    // tuple and matching it once compiled to 1.7 times the LLVM IR: the
    // tuple's moves and drop flags cost more than one shared drop path.)
    let fields_pat = match (decodes.is_empty(), &rest) {
        (false, _) => quote!(mut f),
        (true, None) => quote!(_f),
        (true, Some(_)) => quote!(f),
    };
    let body = if decodes.is_empty() {
        quote!(Ok(#name { #rest }))
    } else {
        let vars: Vec<proc_macro2::Ident> =
            (0..decodes.len()).map(|i| format_ident!("v{i}")).collect();
        let exprs = decodes.iter().map(|(_, e)| e);
        let inits = decodes
            .iter()
            .zip(&vars)
            .map(|((fi, _), v)| quote!(#fi: #v,));
        quote! {
            #(let Some(#vars) = #exprs else { return Err(f.error()) };)*
            Ok(#name { #(#inits)* #rest })
        }
    };
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#fields)*
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #rt::object::serialize(serializer, &[#(#members)*], #encode_rest)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[inline]
                fn build(#fields_pat: #rt::object::Fields) -> Result<#name, String> {
                    #body
                }
                #rt::object::deserialize(deserializer, build)
            }
        }
        #default_impl
        #(#defaults)*
    }
}

/// A field's doc text: the spec's, `Deprecated.`, then one paragraph with its
/// wire facts, e.g. ``Wire: `"org_name"`, required, nullable.`` or
/// ``Wire: `"limit"`, optional, default `20`.``; `defaulted` when the default
/// is applied on decode (see `default_of`).
fn field_docs(f: &Field, defaulted: bool) -> String {
    let mut text = f.docs.clone().unwrap_or_default();
    if f.deprecated {
        push_paragraph(&mut text, "Deprecated.");
    }
    let mut wire = format!(
        "Wire: {}, {}",
        code_span(&doc_json(&serde_json::Value::from(f.name.as_str()))),
        if f.required { "required" } else { "optional" }
    );
    if f.shape.nullable {
        wire.push_str(", nullable");
    }
    if let Some(d) = f.default.as_ref().filter(|_| !f.required) {
        let d = code_span(&doc_json(d));
        if defaulted {
            wire.push_str(&format!(", default {d}"));
        } else {
            wire.push_str(&format!(" (the spec's default {d} is not applied)"));
        }
    }
    if f.read_only {
        wire.push_str(", read-only (sent by servers only)");
    }
    if f.write_only {
        wire.push_str(", write-only (sent by clients only)");
    }
    wire.push('.');
    push_paragraph(&mut text, &wire);
    text
}

/// Appends `paragraph` to doc text, after a blank line unless the text is empty.
fn push_paragraph(text: &mut String, paragraph: &str) {
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(paragraph);
}

/// A JSON value's text as it can stand in a doc comment and still read as
/// the value: characters that a doc line would drop, break at or that `rustc`
/// rejects (control, line-separator and bidi characters) and other invisible
/// formatting characters are written as `\u` escapes, as JSON allows in
/// strings (the only place they can occur in JSON text).
fn doc_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        if c.is_control() || is_invisible(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Format characters that show as nothing (or move text) in rendered docs.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// `text` (one line) as a Markdown code span, shown verbatim: delimited by one
/// more backtick than its longest run of backticks, and padded with a space
/// when it starts or ends with one.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// An enum's match arms from each variant to its value (`Self::A => "a",`)
/// and back (`"a" => Self::A,`), the value written by `literal`.
fn value_arms(
    e: &EnumDef,
    literal: impl Fn(&serde_json::Value) -> TokenStream,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    e.variants
        .iter()
        .map(|v| {
            let vi = ident(&v.ident);
            let lit = literal(&v.value);
            (quote!(Self::#vi => #lit,), quote!(#lit => Self::#vi,))
        })
        .unzip()
}

fn emit_enum(t: &TypeDef, e: &EnumDef) -> TokenStream {
    let docs = doc_attrs(t.docs.as_deref());
    let name = ident(&t.name);
    let unknown = ident(&e.unknown_ident);
    let variants = e.variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let doc = format!(" {}", code_span(&doc_json(&v.value)));
        quote!(#[doc = #doc] #vi,)
    });
    // A `const` rejects every other value on decode.
    let closed = |value: TokenStream| {
        if e.closed {
            quote! {
                match Self::from(#value) {
                    Self::#unknown(v) => Err(<D::Error as ::serde::de::Error>::custom(format!("`{v}` is not the value the schema requires"))),
                    known => Ok(known),
                }
            }
        } else {
            quote!(Ok(Self::from(#value)))
        }
    };
    let string_result = closed(quote!(value.as_str()));
    let integer_result = closed(quote!(value));
    match e.repr {
        EnumRepr::String => {
            let (arms_to, arms_from) = value_arms(e, |v| {
                let s = v.as_str().unwrap_or_default();
                quote!(#s)
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#variants)*
                    /// A value the spec does not list, kept as received.
                    #unknown(String),
                }
                impl #name {
                    /// The value as it is sent on the wire.
                    #[inline]
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#arms_to)*
                            Self::#unknown(v) => v.as_str(),
                        }
                    }
                    /// Whether the value is one the spec lists.
                    #[inline]
                    pub fn is_known(&self) -> bool {
                        !matches!(self, Self::#unknown(_))
                    }
                }
                impl From<&str> for #name {
                    #[inline]
                    fn from(value: &str) -> Self {
                        match value {
                            #(#arms_from)*
                            other => Self::#unknown(String::from(other)),
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    #[inline]
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                        #string_result
                    }
                }
            }
        }
        EnumRepr::Integer => {
            let (arms_to, arms_from) = value_arms(e, |v| {
                let n = Literal::i64_unsuffixed(v.as_i64().unwrap_or_default());
                quote!(#n)
            });
            quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#variants)*
                    /// A value the spec does not list, kept as received.
                    #unknown(i64),
                }
                impl #name {
                    /// The value as it is sent on the wire.
                    #[inline]
                    pub fn as_i64(&self) -> i64 {
                        match self {
                            #(#arms_to)*
                            Self::#unknown(v) => *v,
                        }
                    }
                    /// Whether the value is one the spec lists.
                    #[inline]
                    pub fn is_known(&self) -> bool {
                        !matches!(self, Self::#unknown(_))
                    }
                }
                impl From<i64> for #name {
                    #[inline]
                    fn from(value: i64) -> Self {
                        match value {
                            #(#arms_from)*
                            other => Self::#unknown(other),
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    #[inline]
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "{}", self.as_i64())
                    }
                }
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.as_i64())
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                        #integer_result
                    }
                }
            }
        }
    }
}

fn emit_union(api: &Api, t: &TypeDef, u: &UnionDef, paths: &Paths) -> TokenStream {
    let docs = doc_attrs(t.docs.as_deref());
    let name = ident(&t.name);
    let rt = &paths.runtime;
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let vi = ident(&v.ident);
            let mut ty = value_ty(api, &v.shape, paths);
            if v.boxed {
                ty = quote!(Box<#ty>);
            }
            let vdocs = doc_attrs(v.docs.as_deref());
            quote!(#vdocs #vi(#ty),)
        })
        .collect();
    match &u.discriminator {
        None => {
            // Serde's derived untagged decoding takes the first variant that decodes,
            // even one that drops members it does not know or keeps a value its enum
            // does not list: the first variant that keeps all of the value wins.
            let tries = u.variants.iter().map(|v| {
                let vi = ident(&v.ident);
                let mut ty = value_ty(api, &v.shape, paths);
                if v.boxed {
                    ty = quote!(Box<#ty>);
                }
                quote! {
                    if let Ok(v) = #rt::object::decode::<#ty>(value.clone()) {
                        let v = Self::#vi(v);
                        if #rt::keeps_all(&value, &v) {
                            return Ok(v);
                        }
                        if first.is_none() {
                            first = Some(v);
                        }
                    }
                }
            });
            let erase_arms = u.variants.iter().map(|v| {
                let vi = ident(&v.ident);
                quote!(Self::#vi(v) => v,)
            });
            let none = format!("data did not match any variant of untagged enum {}", t.name);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name {
                    #(#variants)*
                }
                impl ::serde::Serialize for #name {
                    /// The variant's value, as it is.
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        let value: &dyn ::erased_serde::Serialize = match self {
                            #(#erase_arms)*
                        };
                        ::erased_serde::serialize(value, serializer)
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    /// The first variant that decodes the value and encodes back all of
                    /// it, else the first variant that decodes it.
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let mut first = None;
                        #(#tries)*
                        first.ok_or_else(|| ::serde::de::Error::custom(#none))
                    }
                }
            }
        }
        Some(d) => {
            let prop = &d.property;
            let unknown = ident(&d.unknown_ident);
            let ser_arms = u.variants.iter().enumerate().map(|(i, v)| {
                let vi = ident(&v.ident);
                let tags: Vec<&str> = d
                    .mapping
                    .iter()
                    .filter(|(_, idx)| *idx == i)
                    .map(|(k, _)| k.as_str())
                    .collect();
                quote!(Self::#vi(v) => #rt::serialize_tagged(serializer, #prop, &[#(#tags),*], v),)
            });
            let de_arms = d.mapping.iter().map(|(tag, i)| {
                let vi = ident(&u.variants[*i].ident);
                quote!(Some(#tag) => #rt::object::decode(value).map(Self::#vi).map_err(::serde::de::Error::custom),)
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name {
                    #(#variants)*
                    /// A value whose tag the spec does not list, kept as received.
                    #unknown(::serde_json::Value),
                }
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        match self {
                            #(#ser_arms)*
                            Self::#unknown(v) => ::serde::Serialize::serialize(v, serializer),
                        }
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#prop).and_then(::serde_json::Value::as_str).map(String::from);
                        match tag.as_deref() {
                            #(#de_arms)*
                            _ => Ok(Self::#unknown(value)),
                        }
                    }
                }
            }
        }
    }
}
