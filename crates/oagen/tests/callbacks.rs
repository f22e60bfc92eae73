//! Callbacks in the model: kept as hook operations after the webhooks', with exact pointers, stable names apart from the operations', parsed keys and routes; a broken callback is a warning that leaves the rest standing; callbacks in other files are bundled.

mod support;

use oagen::model::{Expression as E, HookKind, KeyPart as K};
use support::spec_path;

#[test]
fn callbacks_are_hooks_with_pointers_names_keys_and_routes() {
    let analysis = oagen::analyze(&spec_path("callbacks.yaml")).expect("the spec is valid");
    assert!(analysis.warnings.is_empty(), "{:?}", analysis.warnings);
    let api = analysis.api;
    let ops: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.fn_name.as_str(), o.pointer.as_str()))
        .collect();
    assert_eq!(
        ops,
        vec![
            ("create_order", "/paths/~1orders/post"),
            ("create_order_on_shipped", "/paths/~1orders~1shipped/post"),
            (
                "create_order_on_shipped_callback",
                "/paths/~1orders/post/callbacks/onShipped/{$request.body#~1callbackUrl}/post"
            ),
            (
                "create_order_on_queued_get",
                "/paths/~1orders/post/callbacks/onQueued/{$request.query.notify}?at={$method}/get"
            ),
            (
                "create_order_on_queued_post",
                "/paths/~1orders/post/callbacks/onQueued/{$request.query.notify}?at={$method}/post"
            ),
            (
                "told_you",
                "/paths/~1orders~1shipped/post/callbacks/told/The URL you gave us/post"
            ),
        ]
    );
    let hooks: Vec<(HookKind, &str, usize, &str, usize)> = api
        .hooks
        .iter()
        .map(|h| {
            let cb = h.callback.as_ref().expect("a callback");
            (
                h.kind,
                h.name.as_str(),
                h.operation,
                h.route.as_str(),
                cb.owner,
            )
        })
        .collect();
    assert_eq!(
        hooks,
        vec![
            (
                HookKind::Callback,
                "onShipped",
                2,
                "/callbacks/create_order/onShipped",
                0
            ),
            (
                HookKind::Callback,
                "onQueued",
                3,
                "/callbacks/create_order/onQueued",
                0
            ),
            (
                HookKind::Callback,
                "onQueued",
                4,
                "/callbacks/create_order/onQueued",
                0
            ),
            (
                HookKind::Callback,
                "told",
                5,
                "/callbacks/create_order_on_shipped/told",
                1
            ),
        ]
    );
    let shipped = &api.operations[2];
    assert_eq!(
        shipped.response_type,
        "CreateOrderOnShippedCallbackResponse"
    );
    assert!(shipped.params.is_empty(), "a key is no path template");
    assert!(shipped.body.is_some());
    let parts = api.hooks[1]
        .callback
        .as_ref()
        .unwrap()
        .parts
        .clone()
        .unwrap();
    assert_eq!(
        parts,
        vec![
            K::Expr(E::RequestQuery("notify".into())),
            K::Text("?at=".into()),
            K::Expr(E::Method),
        ]
    );
}

#[test]
fn a_broken_callback_is_a_warning_at_its_pointer_and_the_rest_generates() {
    let analysis = oagen::analyze(&spec_path("callback_broken.yaml")).expect("only warnings");
    let at: Vec<(&str, &str)> = analysis
        .warnings
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    let base = "/paths/~1orders/post/callbacks";
    let has = |ptr: &str, text: &str| at.iter().any(|(p, m)| *p == ptr && m.contains(text));
    assert!(
        has(&format!("{base}/missing/$ref"), "does not exist"),
        "{at:#?}"
    );
    assert!(
        has(&format!("{base}/scalar"), "must be a mapping"),
        "{at:#?}"
    );
    assert!(
        has(
            &format!("{base}/badItem/{{$request.body#~1url}}/post/parameters"),
            "left out"
        ),
        "{at:#?}"
    );
    assert!(
        has(
            &format!("{base}/badSchemaRef/{{$request.body#~1url}}/post/requestBody/content/application~1json/schema/$ref"),
            "does not resolve"
        ),
        "{at:#?}"
    );
    assert!(
        has(
            &format!("{base}/badKey/{{$request.cookie.x}}"),
            "callback key"
        ),
        "{at:#?}"
    );
    assert!(
        has(
            &format!("{base}/badKey/{{$request.cookie.x}}/post/callbacks"),
            "only for the operations of `paths`"
        ),
        "{at:#?}"
    );
    // The operation and the callbacks that read stay.
    let names: Vec<&str> = analysis.api.hooks.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, vec!["badKey", "good"]);
    assert!(analysis.api.hooks[0]
        .callback
        .as_ref()
        .unwrap()
        .parts
        .is_none());
    assert_eq!(analysis.api.operations[0].id, "createOrder");
}

#[test]
fn callbacks_in_other_files_are_bundled() {
    let analysis =
        oagen::analyze(&spec_path("callbacks_multi/root.yaml")).expect("the spec is valid");
    let api = analysis.api;
    assert_eq!(api.hooks.len(), 1, "{:?}", analysis.warnings);
    let op = &api.operations[api.hooks[0].operation];
    assert_eq!(op.fn_name, "subscribe_on_event");
    assert_eq!(
        op.pointer,
        "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1target}/post"
    );
    assert!(op.body.is_some());
}

#[test]
fn callbacks_generate_senders_resolvers_and_receivers() {
    let (files, _) = oagen::generate_crate(
        &spec_path("callbacks.yaml"),
        &support::crate_options("cb", "callbacks.yaml"),
    )
    .expect("generates");
    let text = |suffix: &str| {
        files
            .iter()
            .find(|f| f.path.to_string_lossy().ends_with(suffix))
            .map(|f| f.contents.clone())
            .unwrap_or_default()
    };
    // Resolvers in the client module itself (tags' parts are not re-exported),
    // senders where their tag puts them.
    let client = text("src/client.rs");
    assert!(
        client.contains("pub fn create_order_on_shipped_callback_url("),
        "resolver"
    );
    assert!(
        client.contains("pub fn create_order_on_queued_get_url("),
        "resolver"
    );
    let senders = text("src/client/untagged.rs");
    assert!(
        senders.contains("pub fn create_order_on_shipped_callback("),
        "sender"
    );
    // A key that is no URL: a sender, no resolver.
    assert!(senders.contains("pub fn told_you("), "sender");
    assert!(!client.contains("told_you_url"), "no resolver");
    assert!(senders.contains("which the caller works out"), "said so");
    let server = text("src/server.rs");
    assert!(
        server.contains("\"/callbacks/create_order/onShipped\""),
        "route"
    );
    assert!(
        server.contains("fn create_order_on_queued_post("),
        "receiver method"
    );
    assert!(server.contains("pub trait Webhooks"), "one receiver trait");
}
