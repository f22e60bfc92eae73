//! Tests of the fixed constraint checks: containers, `no_null`, `property`, `regex`.

use crate::validate::{no_null, property, regex, Validate, Violation};
use serde_json::json;
use std::collections::BTreeMap;

/// A value that is too long when it has more than two characters.
struct Short(&'static str);

impl Validate for Short {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        if self.0.len() > 2 {
            out.push(Violation {
                at: at.to_string(),
                message: "long".to_string(),
            });
        }
    }
}

fn pointers(out: &[Violation]) -> Vec<&str> {
    out.iter().map(|v| v.at.as_str()).collect()
}

#[test]
fn containers_check_each_item_at_its_pointer() {
    let mut out = Vec::new();
    vec![Short("a"), Short("abc")].validate("/list", &mut out);
    let map = BTreeMap::from([("k".to_string(), Box::new(Short("long")))]);
    map.validate("", &mut out);
    Some(Short("xyz")).validate("/o", &mut out);
    None::<Short>.validate("/none", &mut out);
    assert_eq!(pointers(&out), ["/list/1", "/k", "/o"]);
    let mut none = Vec::new();
    "text".to_string().validate("", &mut none);
    json!({"a": null}).validate("", &mut none);
    assert!(none.is_empty());
}

#[test]
fn null_is_reported_where_it_is_not_allowed() {
    let object = json!({"a": null, "b": 1, "c": "x"});
    let object = object.as_object().unwrap();
    let mut out = Vec::new();
    no_null(object, "a", "/o", &mut out);
    no_null(object, "b", "/o", &mut out);
    no_null(object, "missing", "/o", &mut out);
    assert_eq!(pointers(&out), ["/o/a"]);
    let check: fn(&serde_json::Value, &str, &mut Vec<Violation>) = |v, at, out| {
        if !v.is_number() {
            out.push(Violation {
                at: at.to_string(),
                message: "not a number".into(),
            });
        }
    };
    let mut out = Vec::new();
    property(object, "a", "", &mut out, true, check);
    property(object, "b", "", &mut out, false, check);
    property(object, "c", "", &mut out, false, check);
    property(object, "a", "", &mut out, false, check);
    assert_eq!(pointers(&out), ["/c", "/a"]);
    assert_eq!(out[1].message, "null is not allowed");
}

#[test]
fn patterns_compile_or_are_skipped() {
    assert!(regex("^[a-z]+$").is_some_and(|re| re.is_match("abc")));
    assert!(regex("(unclosed").is_none());
}
