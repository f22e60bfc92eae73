//! Tests of response header text: written, joined and read back.

use super::*;
use crate::DateTime;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Point {
    label: String,
    x: i64,
}

#[test]
fn primitives_are_written_as_text() {
    assert_eq!(header_text("a b", HeaderForm::Primitive).unwrap(), "a b");
    assert_eq!(header_text(&42, HeaderForm::Primitive).unwrap(), "42");
    assert_eq!(header_text(&-1.5, HeaderForm::Primitive).unwrap(), "-1.5");
    assert_eq!(header_text(&true, HeaderForm::Primitive).unwrap(), "true");
    assert_eq!(
        header_text(&None::<i32>, HeaderForm::Primitive).unwrap(),
        ""
    );
}

#[test]
fn arrays_and_objects_are_comma_separated() {
    assert_eq!(
        header_text(&vec![1, 2, 3], HeaderForm::Array).unwrap(),
        "1,2,3"
    );
    assert_eq!(
        header_text(&Vec::<String>::new(), HeaderForm::Array).unwrap(),
        ""
    );
    let p = Point {
        x: 3,
        label: "n".into(),
    };
    assert_eq!(header_text(&p, HeaderForm::Object).unwrap(), "label,n,x,3");
    assert_eq!(
        header_text(&p, HeaderForm::ObjectExploded).unwrap(),
        "label=n,x=3"
    );
    assert_eq!(
        header_text(&p, HeaderForm::Json).unwrap(),
        r#"{"label":"n","x":3}"#
    );
}

#[test]
fn what_is_written_reads_back() {
    fn round<T>(v: T, form: HeaderForm)
    where
        T: Serialize + de::DeserializeOwned + PartialEq + fmt::Debug,
    {
        let text = header_text(&v, form).unwrap();
        assert_eq!(parse_header::<T>(&text, form).unwrap(), v, "{text}");
    }
    round(String::from("42"), HeaderForm::Primitive);
    round(String::from(""), HeaderForm::Primitive);
    round(42_i64, HeaderForm::Primitive);
    round(0.25_f64, HeaderForm::Primitive);
    round(false, HeaderForm::Primitive);
    round(
        vec![String::from("a"), String::from("1")],
        HeaderForm::Array,
    );
    round(vec![7_u32, 8], HeaderForm::Array);
    round(Vec::<i32>::new(), HeaderForm::Array);
    round(
        Point {
            x: -2,
            label: "7".into(),
        },
        HeaderForm::Object,
    );
    round(
        Point {
            x: 5,
            label: "k".into(),
        },
        HeaderForm::ObjectExploded,
    );
    round(
        Point {
            x: 5,
            label: "k,v".into(),
        },
        HeaderForm::Json,
    );
    let mut map = BTreeMap::new();
    map.insert(String::from("a"), 1_i64);
    round(map, HeaderForm::Object);
    round(
        DateTime::from_str("2021-01-01 00:00:00+0200").unwrap(),
        HeaderForm::Primitive,
    );
}

#[test]
fn unions_read_text_as_text_and_otherwise_as_literals() {
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum NumOrFlag {
        Num(i64),
        Flag(bool),
    }
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum NumOrText {
        Num(i64),
        Text(String),
    }
    assert_eq!(
        parse_header::<NumOrFlag>("5", HeaderForm::Primitive).unwrap(),
        NumOrFlag::Num(5)
    );
    assert_eq!(
        parse_header::<NumOrFlag>("true", HeaderForm::Primitive).unwrap(),
        NumOrFlag::Flag(true)
    );
    // A header has no quotes: text is text when the union takes text.
    assert_eq!(
        parse_header::<NumOrText>("5", HeaderForm::Primitive).unwrap(),
        NumOrText::Text("5".into())
    );
    let v: Vec<NumOrFlag> = parse_header("1,false", HeaderForm::Array).unwrap();
    assert_eq!(v, [NumOrFlag::Num(1), NumOrFlag::Flag(false)]);
    let any: serde_json::Value = parse_header("a,b", HeaderForm::Primitive).unwrap();
    assert_eq!(any, serde_json::json!("a,b"));
}

#[test]
fn lists_tolerate_spaces_after_commas() {
    let v: Vec<i64> = parse_header(" 1, 2 ,3 ", HeaderForm::Array).unwrap();
    assert_eq!(v, vec![1, 2, 3]);
}

#[test]
fn text_that_does_not_fit_is_an_error_naming_it() {
    let e = parse_header::<i64>("many", HeaderForm::Primitive).unwrap_err();
    assert!(e.contains("\"many\"") && e.contains("i64"), "{e}");
    assert!(parse_header::<Vec<i64>>("1,x", HeaderForm::Array).is_err());
    assert!(parse_header::<Point>("x,1,label", HeaderForm::Object).is_err());
    assert!(parse_header::<Point>("{", HeaderForm::Json).is_err());
    assert!(parse_header::<Point>("x=1,label", HeaderForm::ObjectExploded).is_err());
    assert!(parse_header::<bool>("yes", HeaderForm::Primitive).is_err());
}

#[test]
fn field_lines_are_joined() {
    assert_eq!(header_lines(Vec::<&[u8]>::new()).unwrap(), None);
    let lines: [&[u8]; 2] = [b" a,b ", b"c"];
    assert_eq!(header_lines(lines).unwrap().as_deref(), Some("a,b, c"));
    let v: Vec<String> =
        parse_header(&header_lines(lines).unwrap().unwrap(), HeaderForm::Array).unwrap();
    assert_eq!(v, ["a", "b", "c"]);
    let utf8: [&[u8]; 1] = ["é".as_bytes()];
    assert_eq!(header_lines(utf8).unwrap().as_deref(), Some("é"));
    let bad: [&[u8]; 1] = [b"\xff"];
    assert!(header_lines(bad).is_err());
}
