//! Shared helpers for emitting Rust: identifiers, type expressions, literals,
//! doc attributes and formatting.

use proc_macro2::{Delimiter, Ident, Literal, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::features::Part;
use crate::model::{Api, EnumRepr, IntKind, Shape, Ty, TypeId, TypeKind};

/// An identifier from a name the model made (ASCII, possibly `r#`-prefixed).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where generated code finds the model types and the runtime.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Prefix for model types, e.g. `` (same module) or `crate_name::models::`.
    pub models: TokenStream,
    /// Path of the runtime module, e.g. `super::runtime`.
    pub runtime: TokenStream,
}

/// The Rust type of a shape, ignoring its nullability.
pub fn base_ty(api: &Api, shape: &Shape, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    match &shape.ty {
        Ty::Named(id) => {
            let name = ident(&api.ty(*id).name);
            let prefix = &paths.models;
            quote!(#prefix #name)
        }
        Ty::String => quote!(String),
        Ty::Integer(IntKind::I32) => quote!(i32),
        Ty::Integer(IntKind::I64) => quote!(i64),
        Ty::Integer(IntKind::U32) => quote!(u32),
        Ty::Integer(IntKind::U64) => quote!(u64),
        Ty::Number(_) => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::DateTime => quote!(#rt::DateTime),
        Ty::Date => quote!(::chrono::NaiveDate),
        Ty::Uuid => quote!(::uuid::Uuid),
        Ty::Binary => quote!(#rt::Binary),
        Ty::Bytes => quote!(#rt::Base64),
        Ty::Any => quote!(::serde_json::Value),
        Ty::Null => quote!(()),
        Ty::Array(item) => {
            let inner = value_ty(api, item, paths);
            quote!(Vec<#inner>)
        }
        Ty::Map(value) => {
            let inner = value_ty(api, value, paths);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        Ty::Tuple(members) => {
            let members = members.iter().map(|m| value_ty(api, m, paths));
            quote!((#(#members,)*))
        }
    }
}

/// Whether null is already a value of the type itself (so no `Option` is needed).
pub fn null_is_native(shape: &Shape) -> bool {
    matches!(shape.ty, Ty::Any | Ty::Null)
}

/// The Rust type of a value of this shape: `Option<T>` when nullable.
pub fn value_ty(api: &Api, shape: &Shape, paths: &Paths) -> TokenStream {
    let base = base_ty(api, shape, paths);
    if shape.nullable && !null_is_native(shape) {
        quote!(Option<#base>)
    } else {
        base
    }
}

/// `#[doc = " ..."]` attributes for doc text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = super::docs::doc_lines(text);
    let attrs = lines.iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// A module's code: a head, made at once, then items made one at a time while
/// the module is printed, so that a large module's tokens are never all alive.
pub struct Module<'a> {
    /// Inner attributes and the items made at once.
    pub head: TokenStream,
    /// The rest, each a whole number of items.
    pub items: Box<dyn Iterator<Item = TokenStream> + 'a>,
}

impl<'a> Module<'a> {
    /// A module made at once.
    pub fn whole(head: TokenStream) -> Self {
        Module {
            head,
            items: Box::new(std::iter::empty()),
        }
    }

    /// `head`, then `items`.
    pub fn new(head: TokenStream, items: impl Iterator<Item = TokenStream> + 'a) -> Self {
        Module {
            head,
            items: Box::new(items),
        }
    }
}

/// Formats a token stream as a Rust file. If an emitter made code that does not
/// parse (a bug), the file is a `compile_error!` naming the parse error.
pub fn format_file(tokens: TokenStream) -> String {
    format_module(Module::whole(tokens))
}

/// Formats a module as a Rust file.
///
/// The file is parsed and printed a few items at a time (printing a file is
/// printing its items one after the other), so that only a slice of the syntax
/// tree is alive at once: GitHub's largest module would otherwise hold a
/// syntax tree of hundreds of megabytes.
pub fn format_module(module: Module<'_>) -> String {
    let Module { head, mut items } = module;
    let mut printer = ChunkPrinter::default();
    printer.push(head);
    while let Some(piece) = crate::timing::time("emit", || items.next()) {
        printer.push(piece);
    }
    printer.finish()
}

/// How many top-level items [`format_module`] parses and prints at once.
const ITEMS_PER_CHUNK: usize = 32;

/// Splits tokens into top-level items and prints them [`ITEMS_PER_CHUNK`] at a
/// time.
#[derive(Default)]
struct ChunkPrinter {
    printed: String,
    chunk: TokenStream,
    items: usize,
    error: Option<String>,
}

impl ChunkPrinter {
    fn push(&mut self, tokens: TokenStream) {
        let mut rest = tokens.into_iter().peekable();
        while let Some(tree) = rest.next() {
            let ends_item = match &tree {
                TokenTree::Punct(p) => p.as_char() == ';',
                // `struct S { .. }`, `impl T { .. }`, `fn f() { .. }`; not the
                // braces of `use a::{b, c};` or `const C: S = S { .. };`.
                TokenTree::Group(g) => {
                    g.delimiter() == Delimiter::Brace
                        && !matches!(rest.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
                }
                _ => false,
            };
            self.chunk.extend([tree]);
            if ends_item {
                self.items += 1;
                if self.items == ITEMS_PER_CHUNK {
                    self.print();
                }
            }
        }
    }

    /// Parses the chunk as a file and appends it, printed.
    fn print(&mut self) {
        let tokens = std::mem::take(&mut self.chunk);
        self.items = 0;
        if tokens.is_empty() || self.error.is_some() {
            return;
        }
        crate::timing::time("format", || match syn::parse2::<syn::File>(tokens) {
            Ok(file) => self.printed.push_str(&prettyplease::unparse(&file)),
            Err(e) => {
                self.error = Some(format!(
                    "compile_error!({:?});\n",
                    format!("oagen emitted code that does not parse: {e}")
                ))
            }
        })
    }

    fn finish(mut self) -> String {
        self.print();
        match self.error {
            Some(e) => e,
            None => crate::timing::time("format", || space_items(&self.printed)),
        }
    }
}

/// Puts a blank line between items (prettyplease packs them together): between
/// top-level items, and between items of an `impl` or `trait` block.
fn space_items(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + src.len() / 16);
    // The indentation of the previous line if it ended an item, else None.
    let mut closed_at: Option<usize> = None;
    for line in src.lines() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let starts_item = !body.is_empty()
            && !body.starts_with('}')
            && !body.starts_with(')')
            && (indent == 0
                || [
                    "///",
                    "#[",
                    "pub ",
                    "fn ",
                    "async fn",
                    "const ",
                    "type ",
                    "unsafe fn",
                ]
                .iter()
                .any(|p| body.starts_with(p)));
        if starts_item && closed_at == Some(indent) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        let comment = body.starts_with("//");
        let ends_item = if indent == 0 {
            !comment && (body.ends_with(';') || body.ends_with('}'))
        } else {
            body == "}"
                || (body.ends_with(';')
                    && (body.starts_with("fn ")
                        || body.starts_with("pub ")
                        || body.starts_with("type ")
                        || body.starts_with("const ")))
        };
        closed_at = if !body.is_empty() && ends_item {
            Some(indent)
        } else {
            None
        };
    }
    out
}

/// Resolves aliases to the shape they stand for.
pub fn resolve_alias<'a>(api: &'a Api, shape: &'a Shape) -> &'a Shape {
    let mut cur = shape;
    for _ in 0..64 {
        match &cur.ty {
            Ty::Named(id) => match &api.ty(*id).kind {
                TypeKind::Alias(inner) => cur = inner,
                _ => return cur,
            },
            _ => return cur,
        }
    }
    cur
}

/// A Rust expression of type `value_ty(shape)` (without the nullable wrapper) for a
/// JSON default, or None when it cannot be expressed (the model drops those).
pub fn default_expr(api: &Api, shape: &Shape, value: &Value, paths: &Paths) -> Option<TokenStream> {
    let expr = match (&shape.ty, value) {
        (Ty::Named(id), v) => {
            let def = api.ty(*id);
            let name = ident(&def.name);
            let prefix = &paths.models;
            match &def.kind {
                TypeKind::Alias(inner) => {
                    return default_expr(
                        api,
                        &Shape {
                            nullable: false,
                            ..inner.clone()
                        },
                        v,
                        paths,
                    )
                }
                TypeKind::Enum(e) => match e.variants.iter().find(|x| &x.value == v) {
                    Some(var) => {
                        let vi = ident(&var.ident);
                        quote!(#prefix #name::#vi)
                    }
                    None => {
                        let ui = ident(&e.unknown_ident);
                        match (e.repr, v) {
                            (EnumRepr::String, Value::String(s)) => {
                                quote!(#prefix #name::#ui(String::from(#s)))
                            }
                            (EnumRepr::Integer, Value::Number(n)) => {
                                let i = Literal::i64_suffixed(n.as_i64()?);
                                quote!(#prefix #name::#ui(#i))
                            }
                            _ => return None,
                        }
                    }
                },
                _ => return None,
            }
        }
        (Ty::String, Value::String(s)) => quote!(String::from(#s)),
        (Ty::Boolean, Value::Bool(b)) => quote!(#b),
        (Ty::Integer(k), Value::Number(n)) => {
            let l = match k {
                IntKind::I32 => Literal::i32_suffixed(i32::try_from(n.as_i64()?).ok()?),
                IntKind::I64 => Literal::i64_suffixed(n.as_i64()?),
                IntKind::U32 => Literal::u32_suffixed(u32::try_from(n.as_u64()?).ok()?),
                IntKind::U64 => Literal::u64_suffixed(n.as_u64()?),
            };
            quote!(#l)
        }
        (Ty::Number(_), Value::Number(n)) => {
            let f = n.as_f64()?;
            if !f.is_finite() {
                return None;
            }
            let l = Literal::f64_suffixed(f);
            quote!(#l)
        }
        (Ty::Uuid, Value::String(s)) => {
            let hex: String = s.chars().filter(|c| *c != '-').collect();
            let n = u128::from_str_radix(&hex, 16)
                .ok()
                .filter(|_| hex.len() == 32)?;
            let l = Literal::u128_unsuffixed(n);
            quote!(::uuid::Uuid::from_u128(#l))
        }
        (Ty::Any, v) => json_value_expr(v),
        (Ty::Null, Value::Null) => quote!(()),
        (Ty::Array(item), Value::Array(items)) => {
            let exprs: Option<Vec<TokenStream>> = items
                .iter()
                .map(|v| nullable_expr(api, item, v, paths))
                .collect();
            let exprs = exprs?;
            quote!(vec![#(#exprs),*])
        }
        (Ty::Tuple(members), Value::Array(items)) if members.len() == items.len() => {
            let exprs: Option<Vec<TokenStream>> = members
                .iter()
                .zip(items)
                .map(|(m, v)| nullable_expr(api, m, v, paths))
                .collect();
            let exprs = exprs?;
            quote!((#(#exprs,)*))
        }
        (Ty::Map(val), Value::Object(m)) => {
            let entries: Option<Vec<TokenStream>> = m
                .iter()
                .map(|(k, v)| {
                    let e = nullable_expr(api, val, v, paths)?;
                    Some(quote!((String::from(#k), #e)))
                })
                .collect();
            let entries = entries?;
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        }
        _ => return None,
    };
    Some(expr)
}

/// Like [`default_expr`], but for a value of `value_ty(shape)` (wrapping in `Some`).
pub fn nullable_expr(
    api: &Api,
    shape: &Shape,
    value: &Value,
    paths: &Paths,
) -> Option<TokenStream> {
    if shape.nullable && !null_is_native(shape) {
        if value.is_null() {
            return Some(quote!(None));
        }
        let e = default_expr(api, shape, value, paths)?;
        Some(quote!(Some(#e)))
    } else {
        default_expr(api, shape, value, paths)
    }
}

/// A `serde_json::Value` constructor expression for a JSON value.
pub fn json_value_expr(v: &Value) -> TokenStream {
    match v {
        Value::Null => quote!(::serde_json::Value::Null),
        Value::Bool(b) => quote!(::serde_json::Value::Bool(#b)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let l = Literal::i64_suffixed(i);
                quote!(::serde_json::Value::from(#l))
            } else if let Some(u) = n.as_u64() {
                let l = Literal::u64_suffixed(u);
                quote!(::serde_json::Value::from(#l))
            } else {
                let l = Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
                quote!(::serde_json::Value::from(#l))
            }
        }
        Value::String(s) => quote!(::serde_json::Value::String(String::from(#s))),
        Value::Array(a) => {
            let items = a.iter().map(json_value_expr);
            quote!(::serde_json::Value::Array(vec![#(#items),*]))
        }
        Value::Object(m) => {
            let entries = m.iter().map(|(k, v)| {
                let e = json_value_expr(v);
                quote!((String::from(#k), #e))
            });
            quote!(::serde_json::Value::Object(::serde_json::Map::from_iter([#(#entries),*])))
        }
    }
}

/// A snake-case function-name fragment for a type name.
pub fn snake(name: &str) -> String {
    use heck::ToSnakeCase;
    name.to_snake_case()
}

/// Whether an alias type refers back to itself through other aliases (Rust
/// rejects such aliases; they are emitted as newtypes).
pub fn alias_is_recursive(api: &Api, id: TypeId) -> bool {
    fn visit(api: &Api, shape: &Shape, target: TypeId, depth: usize) -> bool {
        if depth > 64 {
            return true;
        }
        match &shape.ty {
            Ty::Named(id) if *id == target => true,
            Ty::Named(id) => match &api.ty(*id).kind {
                TypeKind::Alias(inner) => visit(api, inner, target, depth + 1),
                _ => false,
            },
            Ty::Array(inner) | Ty::Map(inner) => visit(api, inner, target, depth + 1),
            _ => false,
        }
    }
    match &api.ty(id).kind {
        TypeKind::Alias(shape) => visit(api, shape, id, 0),
        _ => false,
    }
}

/// Formats an identifier made at generation time.
pub fn fn_ident(s: &str) -> Ident {
    format_ident!("{}", s)
}

/// The `#[cfg(...)]` attribute of an item that the features `set` switch on
/// (any one of them), or `None` for an item that is always compiled.
pub fn cfg_attr(api: &Api, set: &[usize]) -> Option<TokenStream> {
    let names: Vec<&str> = api.gates.names(set).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(quote!(#[cfg(feature = #one)])),
        many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
    }
}

/// The attribute of [`cfg_attr`] for the type `id`.
pub fn type_cfg(api: &Api, id: TypeId) -> Option<TokenStream> {
    cfg_attr(
        api,
        api.gates.types.get(id.0).map_or(&[][..], Vec::as_slice),
    )
}

/// The attribute of [`cfg_attr`] for the operation at `index`.
pub fn op_cfg(api: &Api, index: usize) -> Option<TokenStream> {
    cfg_attr(
        api,
        api.gates
            .operations
            .get(index)
            .map_or(&[][..], Vec::as_slice),
    )
}

/// The attribute of [`cfg_attr`] that keeps an item where any of the
/// operations `ops` is compiled (none when one of them is always compiled).
pub fn any_op_cfg(api: &Api, ops: &[usize]) -> Option<TokenStream> {
    let gates = |i: usize| api.gates.operations.get(i).map_or(&[][..], Vec::as_slice);
    if ops.iter().any(|&i| gates(i).is_empty()) {
        return None;
    }
    let mut union: Vec<usize> = ops.iter().flat_map(|&i| gates(i).iter().copied()).collect();
    union.sort_unstable();
    union.dedup();
    cfg_attr(api, &union)
}

/// The `cfg` of the type `id` as an item of `part`: none inside a tag's
/// submodule, whose `mod` item carries the feature's `cfg`.
pub fn part_type_cfg(api: &Api, id: TypeId, part: Part) -> Option<TokenStream> {
    if part.is_some() {
        None
    } else {
        type_cfg(api, id)
    }
}

/// The `cfg` of the operation at `index` as an item of `part` (see
/// [`part_type_cfg`]).
pub fn part_op_cfg(api: &Api, index: usize, part: Part) -> Option<TokenStream> {
    if part.is_some() {
        None
    } else {
        op_cfg(api, index)
    }
}

/// Puts `cfg` in front of every item of `items` (a sequence of items, as in a
/// module, an `impl` or a `trait` body). Items end at a top-level `;` or, except
/// for `const`, `static`, `type`, `use` and `let`, at a top-level `{...}` (with
/// the `;` that may follow it).
pub fn gate(items: TokenStream, cfg: Option<&TokenStream>) -> TokenStream {
    use proc_macro2::{Delimiter, TokenTree};
    let Some(cfg) = cfg else { return items };
    let mut out = TokenStream::new();
    let mut tokens = items.into_iter().peekable();
    let mut at_start = true;
    let mut semicolon_only = false;
    let mut kind_seen = false;
    while let Some(tt) = tokens.next() {
        if at_start {
            out.extend(cfg.clone());
            at_start = false;
            semicolon_only = false;
            kind_seen = false;
        }
        let mut end = false;
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ';' => end = true,
            TokenTree::Ident(i) if !kind_seen => {
                let word = i.to_string();
                match word.as_str() {
                    "const" => {
                        let is_fn = matches!(tokens.peek(), Some(TokenTree::Ident(n))
                            if matches!(n.to_string().as_str(), "fn" | "unsafe" | "async" | "extern"));
                        if !is_fn {
                            semicolon_only = true;
                            kind_seen = true;
                        }
                    }
                    "static" | "type" | "use" | "let" => {
                        semicolon_only = true;
                        kind_seen = true;
                    }
                    "fn" | "struct" | "enum" | "union" | "impl" | "trait" | "mod" => {
                        kind_seen = true;
                    }
                    _ => {}
                }
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && !semicolon_only => {
                end = true;
            }
            _ => {}
        }
        out.extend([tt]);
        if end {
            if let Some(TokenTree::Punct(p)) = tokens.peek() {
                if p.as_char() == ';' {
                    out.extend(tokens.next());
                }
            }
            at_start = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items whose end is easy to misjudge: braces followed by `;`, a macro
    /// definition, inner attributes, a trait; many of them, so that printing
    /// takes several chunks.
    fn tricky_items(n: usize) -> Vec<TokenStream> {
        (0..n)
            .map(|i| {
                let s = format_ident!("S{i}");
                let c = format_ident!("C{i}");
                let m = format_ident!("m{i}");
                quote! {
                    /// A struct.
                    #[derive(Debug)]
                    pub struct #s { a: u8 }
                    use std::collections::{BTreeMap as _, BTreeSet as _};
                    const #c: #s = #s { a: 1 };
                    macro_rules! #m { () => { 1 }; }
                    pub trait T { fn f(&self) -> u8 { #m!() } }
                    type A = [u8; { 3 }];
                }
            })
            .collect()
    }

    #[test]
    fn printing_in_chunks_is_printing_the_whole_file() {
        let head = quote! {
            //! Module docs.
            #![allow(dead_code)]
        };
        let items = tricky_items(3 * ITEMS_PER_CHUNK);
        let whole = {
            let file = quote!(#head #(#items)*);
            let parsed: syn::File = syn::parse2(file).expect("parses");
            space_items(&prettyplease::unparse(&parsed))
        };
        // Chunks cut inside a piece (one stream) and between pieces (a module).
        assert_eq!(format_file(quote!(#head #(#items)*)), whole);
        assert_eq!(format_module(Module::new(head, items.into_iter())), whole);
        assert!(whole.starts_with("//! Module docs.\n#![allow(dead_code)]\n"));
    }

    #[test]
    fn code_that_does_not_parse_becomes_a_compile_error() {
        let mut items = tricky_items(2 * ITEMS_PER_CHUNK);
        items.push(quote!(fn broken() -> {}));
        let printed = format_module(Module::new(TokenStream::new(), items.into_iter()));
        assert!(printed.starts_with("compile_error!("), "{printed}");
        assert_eq!(printed.lines().count(), 1);
    }

    #[test]
    fn gate_puts_the_attribute_before_every_item() {
        let cfg = quote!(#[cfg(feature = "x")]);
        let items = quote! {
            /// Doc.
            #[derive(Debug)]
            pub struct A { a: u8 }
            pub struct B(u8);
            impl A { fn f() {} }
            const C: A = A { a: 1 };
            const D: u8 = { 1 } + 1;
            pub const fn e() -> u8 { 2 }
            pub(crate) type T = Vec<u8>;
            use std::fmt;
            fn g(&self) -> impl Future<Output = u8> + Send;
            mod m { pub struct Z; }
        };
        let out = gate(items, Some(&cfg)).to_string();
        assert_eq!(
            out.matches("# [cfg (feature = \"x\")]").count(),
            10,
            "{out}"
        );
        let file: syn::File = syn::parse2(gate(
            quote!(
                struct A {
                    a: u8,
                }
                const D: u8 = { 1 } + 1;
                fn f() {}
            ),
            Some(&cfg),
        ))
        .unwrap();
        assert_eq!(file.items.len(), 3);
        assert!(file
            .items
            .iter()
            .all(|i| quote!(#i).to_string().starts_with("# [cfg")));
    }
}
