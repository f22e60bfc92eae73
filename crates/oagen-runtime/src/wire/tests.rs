//! Tests of parameter and form text: every style written, parsed and decoded.

use crate::wire::{self, Kind, Style};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

fn pairs(name: &str, v: serde_json::Value, style: Style, explode: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    wire::query_pairs(name, &v, style, explode, &mut out);
    out
}

fn p(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn query_styles_serialize_as_the_spec_shows() {
    let arr = json!([3, 4, 5]);
    assert_eq!(
        pairs("id", arr.clone(), Style::Form, true),
        p(&[("id", "3"), ("id", "4"), ("id", "5")])
    );
    assert_eq!(
        pairs("id", arr.clone(), Style::Form, false),
        p(&[("id", "3,4,5")])
    );
    assert_eq!(
        pairs("id", arr.clone(), Style::SpaceDelimited, false),
        p(&[("id", "3 4 5")])
    );
    assert_eq!(
        pairs("id", arr, Style::PipeDelimited, false),
        p(&[("id", "3|4|5")])
    );
    let obj = json!({"firstName": "Alex", "role": "admin"});
    assert_eq!(
        pairs("id", obj.clone(), Style::Form, true),
        p(&[("firstName", "Alex"), ("role", "admin")])
    );
    assert_eq!(
        pairs("id", obj.clone(), Style::Form, false),
        p(&[("id", "firstName,Alex,role,admin")])
    );
    assert_eq!(
        pairs("id", obj, Style::DeepObject, true),
        p(&[("id[firstName]", "Alex"), ("id[role]", "admin")])
    );
    assert_eq!(pairs("id", json!(null), Style::Form, true), p(&[]));
    assert_eq!(
        pairs("id", json!(true), Style::Form, true),
        p(&[("id", "true")])
    );
}

#[test]
fn path_styles_serialize_as_the_spec_shows() {
    let arr = json!([3, 4, 5]);
    let obj = json!({"firstName": "Alex", "role": "admin"});
    assert_eq!(wire::path_text("id", &json!(5), Style::Simple, false), "5");
    assert_eq!(wire::path_text("id", &arr, Style::Simple, false), "3,4,5");
    assert_eq!(
        wire::path_text("id", &obj, Style::Simple, false),
        "firstName,Alex,role,admin"
    );
    assert_eq!(
        wire::path_text("id", &obj, Style::Simple, true),
        "firstName=Alex,role=admin"
    );
    assert_eq!(wire::path_text("id", &json!(5), Style::Label, false), ".5");
    assert_eq!(wire::path_text("id", &arr, Style::Label, false), ".3,4,5");
    assert_eq!(wire::path_text("id", &arr, Style::Label, true), ".3.4.5");
    assert_eq!(
        wire::path_text("id", &obj, Style::Label, true),
        ".firstName=Alex.role=admin"
    );
    assert_eq!(
        wire::path_text("id", &json!(5), Style::Matrix, false),
        ";id=5"
    );
    assert_eq!(
        wire::path_text("id", &arr, Style::Matrix, false),
        ";id=3,4,5"
    );
    assert_eq!(
        wire::path_text("id", &arr, Style::Matrix, true),
        ";id=3;id=4;id=5"
    );
    assert_eq!(
        wire::path_text("id", &obj, Style::Matrix, true),
        ";firstName=Alex;role=admin"
    );
    assert_eq!(
        wire::path_text("id", &json!("a/b c"), Style::Simple, false),
        "a%2Fb%20c"
    );
    assert_eq!(
        wire::path_segment("/u/{id}.json", "/u/a%2Cb.json", "id"),
        Some("a%2Cb")
    );
    assert_eq!(
        wire::path_segment("/u/{id}/x", "/u/;id=5/x", "id"),
        Some(";id=5")
    );
    assert_eq!(wire::path_segment("/u/{id}/x", "/u/5", "id"), None);
    assert_eq!(wire::path_segment("/u/{a}-{b}", "/u/1-2", "a"), Some("1"));
}

#[test]
fn every_style_round_trips_through_the_parsers() {
    let values = [
        json!("a b,c/d"),
        json!(["x", "y.z"]),
        json!({"k": "v w", "n": "1"}),
    ];
    for value in &values {
        let kind = match value {
            serde_json::Value::Array(_) => Kind::Array,
            serde_json::Value::Object(_) => Kind::Object,
            _ => Kind::Scalar,
        };
        for style in [Style::Simple, Style::Label, Style::Matrix] {
            for explode in [false, true] {
                let text = wire::path_text("id", value, style, explode);
                let back = wire::parse_path(&text, "id", style, explode, kind);
                assert_eq!(
                    back.as_ref(),
                    Some(value),
                    "{style:?} explode={explode}: {text}"
                );
            }
        }
        let styles: &[Style] = match kind {
            Kind::Object => &[Style::Form, Style::DeepObject],
            _ => &[Style::Form, Style::SpaceDelimited, Style::PipeDelimited],
        };
        for &style in styles {
            for explode in [false, true] {
                if kind == Kind::Scalar && style != Style::Form {
                    continue;
                }
                let mut out = pairs("id", value.clone(), style, explode);
                out.push(("other".into(), "1".into()));
                let text = wire::join_pairs(&out);
                let back = wire::parse_query(
                    &wire::split_pairs(&text),
                    "id",
                    style,
                    explode,
                    kind,
                    &["other"],
                );
                assert_eq!(
                    back.as_ref(),
                    Some(value),
                    "{style:?} explode={explode}: {text}"
                );
            }
        }
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct Item {
    price: String,
    quantity: i64,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Form {
    amount: u32,
    capture: Option<bool>,
    expand: Vec<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    items: Vec<Item>,
    ratio: f64,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[test]
fn form_bodies_with_deep_objects_round_trip_into_types() {
    let value = json!({
        "amount": 100,
        "capture": true,
        "expand": ["customer", "invoice"],
        "metadata": {"order": "6735"},
        "items": [{"price": "p_1", "quantity": 2}, {"price": "p_2", "quantity": 1}],
        "ratio": 0.5,
    });
    let enc = [
        ("expand", Style::DeepObject, true),
        ("metadata", Style::DeepObject, true),
        ("items", Style::DeepObject, true),
    ];
    let pairs = wire::form_pairs(&value, &enc);
    let text = wire::join_pairs(&pairs);
    assert!(text.contains("items%5B1%5D%5Bquantity%5D=1"), "{text}");
    assert!(text.contains("expand%5B0%5D=customer"), "{text}");
    let fields = [
        ("amount", Style::Form, true, Kind::Scalar),
        ("capture", Style::Form, true, Kind::Scalar),
        ("expand", Style::DeepObject, true, Kind::Array),
        ("metadata", Style::DeepObject, true, Kind::Object),
        ("items", Style::DeepObject, true, Kind::Array),
        ("ratio", Style::Form, true, Kind::Scalar),
    ];
    let mut sent = wire::split_pairs(&text);
    sent.push(("unknown".into(), "x".into()));
    let collected = wire::parse_form(&sent, &fields);
    let form: Form = wire::from_text(collected).unwrap();
    assert_eq!(form.amount, 100);
    assert_eq!(form.capture, Some(true));
    assert_eq!(form.expand, vec!["customer", "invoice"]);
    assert_eq!(form.metadata.get("order").map(String::as_str), Some("6735"));
    assert_eq!(
        form.items[1],
        Item {
            price: "p_2".into(),
            quantity: 1
        }
    );
    assert_eq!(form.ratio, 0.5);
    assert_eq!(form.extra.get("unknown"), Some(&json!("x")));
    // Stripe's own spelling of arrays also decodes.
    let stripe = wire::split_pairs(
        "amount=1&expand[]=a&expand[]=b&items[0][price]=p&items[0][quantity]=3&ratio=1",
    );
    let form: Form = wire::from_text(wire::parse_form(&stripe, &fields)).unwrap();
    assert_eq!(form.expand, vec!["a", "b"]);
    assert_eq!(
        form.items,
        vec![Item {
            price: "p".into(),
            quantity: 3
        }]
    );
}

#[test]
fn from_text_rejects_what_does_not_fit_and_reads_json_text() {
    assert!(wire::from_text::<i64>(json!("12x")).is_err());
    assert!(wire::from_text::<bool>(json!("yes")).is_err());
    assert_eq!(wire::from_text::<i64>(json!(" 12")).unwrap(), 12);
    assert_eq!(wire::from_text::<Vec<i64>>(json!("7")).unwrap(), vec![7]);
    assert_eq!(
        wire::from_text::<Vec<i64>>(json!(["1", "2"])).unwrap(),
        vec![1, 2]
    );
    assert_eq!(wire::from_text::<String>(json!("12")).unwrap(), "12");
    let m: BTreeMap<String, i64> = wire::from_text(json!("{\"a\": 1}")).unwrap();
    assert_eq!(m.get("a"), Some(&1));
    assert_eq!(wire::decode("a%2Fb+c%zz%", true), "a/b c%zz%");
    assert_eq!(wire::decode("a+b", false), "a+b");
}

#[test]
fn tuples_take_arrays_of_exactly_their_length() {
    for text in [false, true] {
        let ok: (String, i64) = wire::text::decode_value(json!(["a", 1]), text).unwrap();
        assert_eq!(ok, ("a".to_string(), 1));
        assert!(wire::text::decode_value::<(String, i64)>(json!(["a"]), text).is_err());
        assert!(wire::text::decode_value::<(String, i64)>(json!(["a", 1, 2]), text).is_err());
    }
}
