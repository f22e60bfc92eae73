//! Routing: `router()` with its route table, and per operation the one-line `handle_*` that hands its parts to `runtime::server::serve` (the one generic async function).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::rust::{ident, Paths};
use crate::model::features::Part;
use crate::model::{Api, Operation};

/// `router`, with the runtime's fallback.
pub(super) fn router_items(api: &Api) -> TokenStream {
    let (routes, dispatchers) = route_table(api);
    quote! {
        #dispatchers

        /// A router serving every operation of the API at its path (with the
        /// server's base path), backed by `api`.
        pub fn router<A: Api>(api: Arc<A>) -> ::axum::Router {
            #routes
            router.fallback(super::runtime::server::not_found).with_state(api)
        }

        /// [`router`], accepting request bodies of at most `limit` bytes
        /// (instead of [`BODY_LIMIT`]): a body declared longer is refused
        /// before it is read, one sent in chunks is cut when it passes the
        /// limit, and the answer is the operation's declared 413 response, or
        /// a plain 413.
        pub fn router_with_body_limit<A: Api>(api: Arc<A>, limit: usize) -> ::axum::Router {
            router(api).layer(::axum::Extension(super::runtime::server::BodyLimit(limit)))
        }
    }
}

/// The statements that build the router's routes into `router`. Under
/// per-tag features, each route and each method on it is added only when its
/// operation is compiled.
fn route_table(api: &Api) -> (TokenStream, TokenStream) {
    // Group operations by full path (base path + template), in document order.
    route_table_of(api, false)
}

/// The route table of the operations (`hooks` false) or of the hooks, and
/// the dispatchers of the methods axum has no filter for.
pub(super) fn route_table_of(api: &Api, hooks: bool) -> (TokenStream, TokenStream) {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let full = match api.hook(index) {
            Some(h) if hooks => h.route.clone(),
            None if !hooks => route_path(op),
            _ => continue,
        };
        match groups.iter_mut().find(|(p, _)| *p == full) {
            Some((_, ops)) => ops.push(index),
            None => groups.push((full, vec![index])),
        }
    }
    let handler_of = |index: usize| {
        let op = &api.operations[index];
        let name = format_ident!("handle_{}", crate::model::naming::bare(&op.fn_name));
        let h = match api.gates.op_home(index) {
            Some(f) => {
                let module = ident(&api.gates.features[f].module);
                quote!(#module::#name)
            }
            None => quote!(#name),
        };
        let m = format_ident!("{}", op.method);
        (m, h)
    };
    // Methods axum has no filter for (OpenAPI 3.2's `query`, custom methods)
    // are served by a fallback on the route that matches the method itself.
    let standard = |index: &&usize| crate::load::v32::is_standard(&api.operations[**index].method);
    let mut dispatchers = TokenStream::new();
    let mut fallback_of = |group: usize, ops: &[usize]| -> Option<(Option<TokenStream>, Ident)> {
        let custom: Vec<usize> = ops.iter().filter(|i| !standard(i)).copied().collect();
        if custom.is_empty() {
            return None;
        }
        let name = format_ident!("other_methods_{group}");
        let allow = ops
            .iter()
            .map(|&i| api.operations[i].method.to_uppercase())
            .collect::<Vec<_>>()
            .join(", ");
        let path = &groups[group].0;
        let doc = format!(" Serves the methods of `{path}` that have no `axum` method filter; any other method is answered 405 with `Allow: {allow}`.");
        let arms = custom.iter().map(|&index| {
            let (_, h) = handler_of(index);
            let token = api.operations[index].method.to_uppercase();
            let cfg = crate::emit::rust::op_cfg(api, index);
            quote!(#cfg #token => #h::<A>(state, request).await,)
        });
        let cfg = crate::emit::rust::any_op_cfg(api, &custom);
        dispatchers.extend(quote! {
            #[doc = #doc]
            #cfg
            async fn #name<A: Api>(state: ::axum::extract::State<Arc<A>>, request: ::axum::extract::Request) -> ::axum::response::Response {
                match request.method().as_str() {
                    #(#arms)*
                    _ => {
                        let mut response = ::axum::response::Response::new(::axum::body::Body::empty());
                        *response.status_mut() = ::axum::http::StatusCode::METHOD_NOT_ALLOWED;
                        response.headers_mut().insert(::axum::http::header::ALLOW, ::axum::http::HeaderValue::from_static(#allow));
                        response
                    }
                }
            }
        });
        Some((cfg, name))
    };
    if api.gates.features.is_empty() {
        let routes: Vec<TokenStream> = groups
            .iter()
            .enumerate()
            .map(|(group, (path, ops))| {
                let mut chain = quote!(::axum::routing::MethodRouter::new());
                for index in ops.iter().filter(standard) {
                    let (m, h) = handler_of(*index);
                    chain = quote!(#chain.#m(#h::<A>));
                }
                if let Some((_, name)) = fallback_of(group, ops) {
                    chain = quote!(#chain.fallback(#name::<A>));
                }
                quote!(.route(#path, #chain))
            })
            .collect();
        return (
            quote!(let router = ::axum::Router::new() #(#routes)*;),
            dispatchers,
        );
    }
    let routes: Vec<TokenStream> = groups
        .iter()
        .enumerate()
        .map(|(group, (path, ops))| {
            let route_cfg = crate::emit::rust::any_op_cfg(api, ops);
            let methods = ops.iter().filter(standard).map(|&index| {
                let (m, h) = handler_of(index);
                let cfg = crate::emit::rust::op_cfg(api, index);
                quote!(#cfg let methods = methods.#m(#h::<A>);)
            });
            let fallback = fallback_of(group, ops)
                .map(|(cfg, name)| quote!(#cfg let methods = methods.fallback(#name::<A>);));
            quote! {
                #route_cfg
                let router = {
                    let methods = ::axum::routing::MethodRouter::new();
                    #(#methods)*
                    #fallback
                    router.route(#path, methods)
                };
            }
        })
        .collect();
    let routes = quote! {
        let router = ::axum::Router::new();
        #(#routes)*
    };
    (routes, dispatchers)
}

/// The path an operation is routed at: its server's base path, then its
/// path template.
pub(super) fn route_path(op: &Operation) -> String {
    let base = op
        .servers
        .first()
        .map(|s| s.base_path())
        .unwrap_or_default();
    format!("{base}{}", op.path)
}

/// An operation's `input_*`, its `into_response_*` and its handler `handle_*`.
pub(super) fn handler(
    api: &Api,
    op: &Operation,
    paths: &Paths,
    scheme_variants: &[Ident],
    part: Part,
) -> TokenStream {
    let h = format_ident!("handle_{}", crate::model::naming::bare(&op.fn_name));
    // A tag's handlers are named by the router, in the module above.
    let vis = if part.is_some() {
        quote!(pub(super))
    } else {
        TokenStream::new()
    };
    let fname = ident(&op.fn_name);
    let reject_name = format_ident!("reject_{}", crate::model::naming::bare(&op.fn_name));
    let into = format_ident!("into_response_{}", crate::model::naming::bare(&op.fn_name));
    let alternatives = op.security.alternatives.iter().map(|alt| {
        let ids = alt.iter().map(|u| &scheme_variants[u.scheme]);
        quote!(&[#(Scheme::#ids),*])
    });
    let into_fn = super::responses::into_response(api, op);
    let super::inputs::Input {
        item: input_fn,
        name: input_name,
        pattern: input_pat,
        args,
        reading,
    } = super::inputs::input(api, op, paths);
    let call_args = std::iter::once(quote!(auth)).chain(args);
    let op_id = op.id.as_str();
    let method_str = op.method.to_uppercase();
    let path_str = op.path.as_str();
    // A hook's handler serves a `Webhooks` implementation, held in a `Receiver`.
    let (bound, state, call, reject) = if super::hooks::is_hook(api, op) {
        (
            quote!(A: Webhooks),
            quote!(Receiver<A>),
            quote!(|api, auth, #input_pat| Arc::clone(&api.0).#fname(#(#call_args),*)),
            quote!(|api, rejection| api.0.#reject_name(rejection)),
        )
    } else {
        (
            quote!(A: Api),
            quote!(A),
            quote!(|api, auth, #input_pat| api.#fname(#(#call_args),*)),
            quote!(A::#reject_name),
        )
    };
    quote! {
        #into_fn

        #input_fn

        #vis fn #h<#bound>(::axum::extract::State(api): ::axum::extract::State<Arc<#state>>, request: ::axum::extract::Request) -> impl Future<Output = ::axum::response::Response> {
            let served = serve(api, request, &[#(#alternatives),*], #reading, #input_name, #call, #reject, #into);
            #[cfg(feature = "tracing")]
            let served = ::tracing::Instrument::instrument(
                served,
                ::tracing::info_span!(#op_id, http.request.method = #method_str, http.route = #path_str),
            );
            served
        }
    }
}
