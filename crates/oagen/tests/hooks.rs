//! Webhooks in the model: kept as operations after the paths', named apart from them, routed apart, and checked like paths.

mod support;

use oagen::model::HookKind;
use support::{fixture, spec_path};

#[test]
fn webhooks_are_operations_with_names_and_routes_of_their_own() {
    let analysis = oagen::analyze(&spec_path("webhooks.yaml")).expect("the fixture is valid");
    let api = analysis.api;
    assert!(
        analysis
            .warnings
            .iter()
            .all(|w| !w.message.contains("webhook")),
        "{:?}",
        analysis.warnings
    );
    // The path's operation first, then each webhook (a referenced path item inlined).
    let ops: Vec<(&str, &str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.fn_name.as_str(), o.method.as_str(), o.pointer.as_str()))
        .collect();
    assert_eq!(
        ops,
        vec![
            ("pet_adopted", "post", "/paths/~1pets/post"),
            ("pet_adopted_webhook", "post", "/webhooks/petAdopted/post"),
            ("pet_adopted2", "put", "/webhooks/pet adopted/put"),
        ]
    );
    let hooks: Vec<(HookKind, &str, usize, &str)> = api
        .hooks
        .iter()
        .map(|h| (h.kind, h.name.as_str(), h.operation, h.route.as_str()))
        .collect();
    assert_eq!(
        hooks,
        vec![
            (HookKind::Webhook, "petAdopted", 1, "/petAdopted"),
            (HookKind::Webhook, "pet adopted", 2, "/pet-adopted"),
        ]
    );
    assert!(api.hook(0).is_none());
    // The payload and the parameters are typed as an operation's.
    let hook = &api.operations[1];
    assert_eq!(hook.params[0].name, "X-Delivery");
    assert!(hook.body.is_some());
    assert_eq!(api.operations[0].response_type, "PetAdoptedResponse");
    assert_eq!(hook.response_type, "PetAdoptedWebhookResponse");
    assert_eq!(hook.params_type, "PetAdoptedWebhookParams");
}

#[test]
fn a_broken_webhook_is_reported_at_its_pointer() {
    let failure = oagen::analyze(&fixture("webhook_broken.yaml")).expect_err("broken");
    let at: Vec<&str> = failure
        .diagnostics
        .iter()
        .map(|d| d.pointer.as_str())
        .collect();
    assert!(
        at.contains(&"/webhooks/petAdopted/post/parameters"),
        "{at:?}"
    );
    assert!(at.contains(&"/webhooks/missing/$ref"), "{at:?}");
}

#[test]
fn a_3_0_documents_x_webhooks_are_its_webhooks() {
    let analysis = oagen::analyze(&spec_path("x_webhooks.yaml")).expect("the spec is valid");
    let api = &analysis.api;
    let hooks: Vec<(HookKind, &str, &str)> = api
        .hooks
        .iter()
        .map(|h| (h.kind, h.name.as_str(), h.route.as_str()))
        .collect();
    assert_eq!(
        hooks,
        vec![
            (HookKind::Webhook, "push", "/push"),
            (HookKind::Webhook, "ping", "/ping")
        ]
    );
    assert!(api.operations[api.hooks[0].operation].body.is_some());
    let warned: Vec<&str> = analysis
        .warnings
        .iter()
        .filter(|w| w.pointer.starts_with("/x-webhooks"))
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(warned, ["/x-webhooks/junk"]);
}

#[test]
fn a_broken_x_webhook_is_reported_where_it_is_written() {
    let failure = oagen::analyze(&fixture("x_webhook_broken.yaml")).expect_err("broken");
    let at: Vec<(&str, Option<usize>)> = failure
        .diagnostics
        .iter()
        .map(|d| (d.pointer.as_str(), d.line))
        .collect();
    assert_eq!(at, vec![("/x-webhooks/push/post/parameters", Some(9))]);
}
