//! Example conformance, judged independently of oagen's own validator.
//!
//! Every `example`/`examples` value of a spec is validated against its schema with
//! the `jsonschema` crate (JSON Schema 2020-12), over the normalised document seen
//! as one JSON Schema resource ([`oagen::load::json_schema`]).
//!
//! Formats: JSON Schema 2020-12 treats `format` as an annotation, but OpenAPI
//! defines `date` and `date-time` as data types, and these and `uuid` decide the
//! generated Rust type (`chrono::NaiveDate`, `runtime::DateTime`, `uuid::Uuid`).
//! Those three ([`TYPED_FORMATS`]) are asserted, with `jsonschema`'s own checks,
//! and so is base64 text where `contentEncoding: base64` makes bytes
//! (`json_schema::BASE64_FORMAT`);
//! every other format stays an annotation. An example that is valid with formats
//! not asserted but breaks a typed format is schema-invalid, and is also counted
//! on its own (`format_only`), so that both readings can be seen. A schema-valid example must decode into the
//! generated type and re-encode to JSON that still validates; the generated crate's
//! `tests/examples.rs` reports what decoding and re-encoding gave, one JSON line per
//! example, into the file named by `OAGEN_EXAMPLES_OUT`. Examples that do not
//! validate against their own schema are counted apart.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use jsonschema::{Draft, Registry, Validator};
use oagen::load::json_schema::{to_json_schema, JsonSchemaDoc};
use serde_json::{json, Value};

/// The URI the converted document is registered under.
const BASE: &str = "urn:oagen:spec";

/// The formats that decide a generated type, asserted when judging.
pub const TYPED_FORMATS: &[&str] = &["date", "date-time", "uuid"];

/// The other formats `jsonschema` knows for 2020-12: annotations only.
const ANNOTATION_FORMATS: &[&str] = &[
    "duration",
    "email",
    "hostname",
    "idn-email",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "iri",
    "iri-reference",
    "json-pointer",
    "regex",
    "relative-json-pointer",
    "time",
    "uri",
    "uri-reference",
    "uri-template",
];

/// What decoding and re-encoding one example gave (one line of the outcome file).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub pointer: String,
    pub schema_pointer: String,
    /// oagen's own verdict: `valid`, `breaks-constraint` or `breaks-structure`.
    pub verdict: String,
    pub decoded: bool,
    pub error: Option<String>,
    pub encoded: Option<Value>,
}

/// Reads the outcome file's lines; lines that are not outcomes are skipped.
pub fn parse_outcomes(text: &str) -> Vec<Outcome> {
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| {
            Some(Outcome {
                pointer: v["pointer"].as_str()?.to_string(),
                schema_pointer: v["schema_pointer"].as_str()?.to_string(),
                verdict: v["verdict"].as_str().unwrap_or_default().to_string(),
                decoded: v["decoded"].as_bool()?,
                error: v["error"].as_str().map(str::to_string),
                encoded: match &v["encoded"] {
                    Value::Null if !v["decoded"].as_bool().unwrap_or(false) => None,
                    other => Some(other.clone()),
                },
            })
        })
        .collect()
}

/// One example of the spec, as the model has it.
#[derive(Debug, Clone)]
pub struct SpecExample {
    pub pointer: String,
    pub schema_pointer: String,
    pub value: Value,
}

/// The examples of one spec, sorted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExampleReport {
    /// Every example.
    pub total: usize,
    /// Examples that break their own schema, with the first one (pointer, why).
    pub invalid: usize,
    pub first_invalid: Option<(String, String)>,
    /// Of those, the ones that break only a typed format (valid were formats
    /// annotations), with the first one.
    pub format_only: usize,
    pub first_format_only: Option<(String, String)>,
    /// Examples whose schema the validator cannot compile, with the first one.
    pub unjudged: usize,
    pub first_unjudged: Option<(String, String)>,
    /// Schema-valid examples.
    pub valid: usize,
    /// Schema-valid examples that decoded and re-encoded to schema-valid JSON.
    pub passed: usize,
    /// Schema-valid examples that did not: (pointer, why).
    pub failures: Vec<(String, String)>,
    /// Examples where oagen's own validator disagrees with `jsonschema` about
    /// whether the example fits (informational), with the first one.
    pub disagreements: usize,
    pub first_disagreement: Option<(String, String)>,
    /// Every example that did not simply pass, as (kind, pointer, why); kinds:
    /// `fails`, `invalid`, `format`, `unjudged`, `disagrees`.
    pub notes: Vec<(&'static str, String, String)>,
}

impl ExampleReport {
    /// [`ExampleReport::notes`] as TSV lines.
    pub fn notes_tsv(&self) -> String {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        let mut out = String::from("kind\tpointer\twhy\n");
        for (kind, pointer, why) in &self.notes {
            out.push_str(&format!("{kind}\t#{}\t{}\n", clean(pointer), clean(why)));
        }
        out
    }
}

/// How a value fares against a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    /// It breaks the schema, formats aside.
    Invalid(String),
    /// It fits the schema but breaks one of [`TYPED_FORMATS`].
    BreaksFormat(String),
}

/// The JSON Schema view of one spec with validators per schema pointer, built on
/// demand: one with formats as annotations, one with [`TYPED_FORMATS`] asserted.
pub struct Judge<'a> {
    doc: &'a JsonSchemaDoc,
    registry: Registry<'a>,
    validators: HashMap<String, Result<(Validator, Validator), String>>,
}

impl<'a> Judge<'a> {
    /// A judge over `doc`.
    pub fn new(doc: &'a JsonSchemaDoc) -> Result<Judge<'a>, String> {
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(BASE, &doc.root)
            .and_then(|b| b.prepare())
            .map_err(|e| format!("the document is not a usable JSON Schema resource: {e}"))?;
        Ok(Judge {
            doc,
            registry,
            validators: HashMap::new(),
        })
    }

    fn build(&self, schema_pointer: &str) -> Result<(Validator, Validator), String> {
        let target = self.doc.pointer(schema_pointer);
        if self.doc.root.pointer(&target).is_none() && !target.is_empty() {
            return Err(format!("no schema at #{schema_pointer}"));
        }
        let schema = json!({ "$ref": format!("{BASE}{}", self.doc.fragment(schema_pointer)) });
        let plain = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(&self.registry)
            .should_validate_formats(false)
            .build(&schema)
            .map_err(|e| clip(&e.to_string(), 300))?;
        let mut typed = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(&self.registry)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true);
        for f in ANNOTATION_FORMATS {
            typed = typed.with_format(*f, |_: &str| true);
        }
        typed = typed.with_format(
            oagen::load::json_schema::BASE64_FORMAT,
            oagen::load::json_schema::is_base64,
        );
        let typed = typed
            .build(&schema)
            .map_err(|e| clip(&e.to_string(), 300))?;
        Ok((plain, typed))
    }

    /// How `value` fares against the schema at `schema_pointer` (of the normalised
    /// document); `Err` when that schema cannot be compiled.
    pub fn check(&mut self, schema_pointer: &str, value: &Value) -> Result<Verdict, String> {
        if !self.validators.contains_key(schema_pointer) {
            let built = self.build(schema_pointer);
            self.validators.insert(schema_pointer.to_string(), built);
        }
        let (plain, typed) = self.validators[schema_pointer]
            .as_ref()
            .map_err(Clone::clone)?;
        let why = |v: &Validator| {
            v.iter_errors(value).next().map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() {
                    String::new()
                } else {
                    format!(" at `{at}`")
                };
                format!("{}{at}", clip(&e.to_string(), 300))
            })
        };
        Ok(match why(plain) {
            Some(w) => Verdict::Invalid(w),
            None => match why(typed) {
                Some(w) => Verdict::BreaksFormat(w),
                None => Verdict::Valid,
            },
        })
    }
}

/// The spec's examples and its JSON Schema view, read with the oagen library.
pub fn load(spec: &Path) -> Result<(Vec<SpecExample>, JsonSchemaDoc), String> {
    let loaded = oagen::load::load_file(spec).map_err(|f| f.to_string())?;
    let analysis = oagen::analyze_loaded(&loaded).map_err(|f| f.to_string())?;
    let examples = analysis
        .api
        .examples
        .iter()
        .map(|e| SpecExample {
            pointer: e.pointer.clone(),
            schema_pointer: e.schema_pointer.clone(),
            value: e.value.clone(),
        })
        .collect();
    Ok((examples, to_json_schema(&loaded.raw)))
}

/// Judges `examples` against `doc` with what the generated test reported
/// (`outcomes`; `None` when the test did not run, with why).
pub fn judge(
    examples: &[SpecExample],
    doc: &JsonSchemaDoc,
    outcomes: Result<&[Outcome], &str>,
) -> Result<ExampleReport, String> {
    let mut judge = Judge::new(doc)?;
    let by_key: BTreeMap<(&str, &str), &Outcome> = outcomes
        .unwrap_or(&[])
        .iter()
        .map(|o| ((o.pointer.as_str(), o.schema_pointer.as_str()), o))
        .collect();
    let mut r = ExampleReport::default();
    for ex in examples {
        r.total += 1;
        let key = (ex.pointer.as_str(), ex.schema_pointer.as_str());
        let outcome = by_key.get(&key);
        let verdict = match judge.check(&ex.schema_pointer, &ex.value) {
            Err(e) => {
                r.unjudged += 1;
                let why = format!("schema not compiled: {e}");
                r.notes.push(("unjudged", ex.pointer.clone(), why.clone()));
                r.first_unjudged
                    .get_or_insert_with(|| (ex.pointer.clone(), why));
                continue;
            }
            Ok(v) => v,
        };
        // oagen's own verdict, when the test reported it.
        if let Some(o) = outcome {
            let oagen_valid = o.verdict != "breaks-structure" && o.verdict != "breaks-constraint";
            if oagen_valid != (verdict == Verdict::Valid) {
                r.disagreements += 1;
                let why = match &verdict {
                    Verdict::Valid => format!("jsonschema: valid; oagen: {}", o.verdict),
                    Verdict::Invalid(why) | Verdict::BreaksFormat(why) => {
                        format!("jsonschema: {why}; oagen: valid")
                    }
                };
                r.notes.push(("disagrees", ex.pointer.clone(), why.clone()));
                r.first_disagreement
                    .get_or_insert_with(|| (ex.pointer.clone(), why));
            }
        }
        match verdict {
            Verdict::Valid => {}
            Verdict::Invalid(why) => {
                r.invalid += 1;
                r.notes.push(("invalid", ex.pointer.clone(), why.clone()));
                r.first_invalid
                    .get_or_insert_with(|| (ex.pointer.clone(), why));
                continue;
            }
            Verdict::BreaksFormat(why) => {
                r.invalid += 1;
                r.format_only += 1;
                r.notes.push(("format", ex.pointer.clone(), why.clone()));
                r.first_format_only
                    .get_or_insert_with(|| (ex.pointer.clone(), why.clone()));
                r.first_invalid
                    .get_or_insert_with(|| (ex.pointer.clone(), why));
                continue;
            }
        }
        r.valid += 1;
        let failure = match (outcome, outcomes) {
            (_, Err(why)) => Some(why.to_string()),
            (None, Ok(_)) => Some("the examples test reported nothing for it".to_string()),
            (Some(o), _) if !o.decoded => Some(
                o.error
                    .clone()
                    .unwrap_or_else(|| "the example does not decode".into()),
            ),
            (Some(o), _) => match &o.encoded {
                None => Some(
                    o.error
                        .clone()
                        .unwrap_or_else(|| "the decoded example does not encode".into()),
                ),
                Some(encoded) => match judge.check(&ex.schema_pointer, encoded) {
                    Ok(Verdict::Valid) => None,
                    Ok(Verdict::Invalid(why) | Verdict::BreaksFormat(why)) => Some(format!(
                        "the re-encoded value breaks the schema: {why}; re-encoded: {}",
                        clip(&encoded.to_string(), 200)
                    )),
                    Err(e) => Some(format!("schema not compiled: {e}")),
                },
            },
        };
        match failure {
            None => r.passed += 1,
            Some(why) => {
                r.notes.push(("fails", ex.pointer.clone(), why.clone()));
                r.failures.push((ex.pointer.clone(), why));
            }
        }
    }
    Ok(r)
}

/// `s` cut to `n` characters.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3.0 document and its JSON Schema view.
    fn doc(schemas: Value) -> JsonSchemaDoc {
        to_json_schema(&json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas}
        }))
    }

    fn ex(pointer: &str, schema_pointer: &str, value: Value) -> SpecExample {
        SpecExample {
            pointer: pointer.into(),
            schema_pointer: schema_pointer.into(),
            value,
        }
    }

    fn outcome(pointer: &str, schema_pointer: &str, encoded: Option<Value>) -> Outcome {
        Outcome {
            pointer: pointer.into(),
            schema_pointer: schema_pointer.into(),
            verdict: "valid".into(),
            decoded: encoded.is_some(),
            error: if encoded.is_some() {
                None
            } else {
                Some("the example does not decode: bad".into())
            },
            encoded,
        }
    }

    #[test]
    fn openapi_30_keywords_are_judged_as_openapi_means_them() {
        let d = doc(json!({
            "N": {"type": "string", "nullable": true},
            "R": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/P"}]},
            "P": {"type": "object", "required": ["a"], "properties": {
                "a": {"type": "integer", "minimum": 1, "exclusiveMinimum": true},
                "when": {"type": "string", "format": "date-time"}
            }},
            "E": {"type": "string", "enum": ["x"], "nullable": true},
        }));
        let mut j = Judge::new(&d).unwrap();
        let mut ok = |p: &str, v: Value| j.check(p, &v).unwrap() == Verdict::Valid;
        assert!(ok("/components/schemas/N", json!(null)));
        assert!(ok("/components/schemas/N", json!("s")));
        assert!(!ok("/components/schemas/N", json!(1)));
        assert!(ok("/components/schemas/R", json!(null)));
        assert!(ok("/components/schemas/R", json!({"a": 2})));
        assert!(
            !ok("/components/schemas/R", json!({"a": 1})),
            "exclusive minimum"
        );
        assert!(!ok("/components/schemas/R", json!({})), "required");
        assert!(ok(
            "/components/schemas/P",
            json!({"a": 2, "when": "2024-04-22T18:55:28Z"})
        ));
        assert!(ok("/components/schemas/P/properties/a", json!(5)));
        assert!(ok("/components/schemas/E", json!(null)));
        assert!(!ok("/components/schemas/E", json!("y")));
    }

    #[test]
    fn typed_formats_are_asserted_and_the_others_are_not() {
        let d = doc(json!({
            "P": {"type": "object", "properties": {
                "when": {"type": "string", "format": "date-time"},
                "day": {"type": "string", "format": "date"},
                "id": {"type": "string", "format": "uuid"},
                "mail": {"type": "string", "format": "email"},
                "site": {"type": "string", "format": "uri"},
                "n": {"type": "integer", "format": "int32"},
            }},
        }));
        let mut j = Judge::new(&d).unwrap();
        let p = "/components/schemas/P";
        let mut check = |v: Value| j.check(p, &v).unwrap();
        assert_eq!(
            check(json!({"mail": "not an address", "site": "::", "n": 1})),
            Verdict::Valid
        );
        for bad in [
            json!({"when": "yesterday"}),
            json!({"day": "2024-02-30"}),
            json!({"id": "abc"}),
        ] {
            assert!(
                matches!(check(bad.clone()), Verdict::BreaksFormat(_)),
                "{bad}"
            );
        }
        assert!(matches!(check(json!({"id": 1})), Verdict::Invalid(_)));
    }

    #[test]
    fn base64_bytes_are_asserted_like_a_typed_format() {
        let d = doc(json!({
            "B": {"type": "string", "contentEncoding": "base64", "x-oagen-bytes": true},
            "S": {"type": "string", "contentEncoding": "base64"},
        }));
        let mut j = Judge::new(&d).unwrap();
        let b = "/components/schemas/B";
        assert_eq!(j.check(b, &json!("aGk=")), Ok(Verdict::Valid));
        assert!(matches!(
            j.check(b, &json!("no!")),
            Ok(Verdict::BreaksFormat(_))
        ));
        // Where the model keeps text, `contentEncoding` stays an annotation.
        let s = "/components/schemas/S";
        assert_eq!(j.check(s, &json!("no!")), Ok(Verdict::Valid));
    }

    #[test]
    fn a_wrapped_schema_is_found_through_its_old_pointer() {
        let d = doc(json!({
            "W": {"nullable": true, "anyOf": [{"type": "integer"}, {"type": "string"}],
                  "properties": {"x": {"type": "boolean"}}},
        }));
        let mut j = Judge::new(&d).unwrap();
        assert_eq!(
            j.check("/components/schemas/W/properties/x", &json!(true)),
            Ok(Verdict::Valid)
        );
        assert!(matches!(
            j.check("/components/schemas/W/properties/x", &json!(1)),
            Ok(Verdict::Invalid(_))
        ));
        assert!(j.check("/components/schemas/Missing", &json!(1)).is_err());
    }

    #[test]
    fn outcomes_are_judged() {
        let d = doc(json!({
            "P": {"type": "object", "required": ["a"], "properties": {
                "a": {"type": "integer"},
                "t": {"type": "string", "format": "date-time"}
            }},
        }));
        let p = "/components/schemas/P";
        let examples = vec![
            ex("/a", p, json!({"a": 1})),                   // passes
            ex("/b", p, json!({"a": 2})),                   // does not decode
            ex("/c", p, json!({"a": 3})),                   // re-encodes to something invalid
            ex("/d", p, json!({"b": 1})),                   // breaks its schema: counted apart
            ex("/e", p, json!({"a": 4})),                   // no outcome reported
            ex("/f", "/components/schemas/Nope", json!(1)), // no such schema
            ex("/g", p, json!({"a": 5, "t": "soon"})),      // breaks a typed format: counted apart
        ];
        let outcomes = vec![
            outcome("/a", p, Some(json!({"a": 1}))),
            outcome("/b", p, None),
            outcome("/c", p, Some(json!({"a": "3"}))),
            outcome("/d", p, None),
        ];
        let r = judge(&examples, &d, Ok(&outcomes)).unwrap();
        assert_eq!(
            (
                r.total,
                r.invalid,
                r.format_only,
                r.unjudged,
                r.valid,
                r.passed
            ),
            (7, 2, 1, 1, 4, 1)
        );
        assert_eq!(
            r.first_format_only.as_ref().map(|f| f.0.as_str()),
            Some("/g")
        );
        let failed: Vec<&str> = r.failures.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(failed, ["/b", "/c", "/e"]);
        assert!(r.failures[0].1.contains("does not decode"));
        assert!(r.failures[1]
            .1
            .contains("re-encoded value breaks the schema"));
        assert_eq!(r.first_invalid.as_ref().map(|f| f.0.as_str()), Some("/d"));
        // oagen said "valid" for /d, which jsonschema rejects (/g has no outcome).
        assert_eq!(r.disagreements, 1);
        let kinds: Vec<&str> = r.notes.iter().map(|n| n.0).collect();
        assert_eq!(
            kinds,
            [
                "fails",
                "fails",
                "disagrees",
                "invalid",
                "fails",
                "unjudged",
                "format"
            ]
        );

        // When the test did not run, every schema-valid example fails.
        let r = judge(&examples, &d, Err("the examples test does not build")).unwrap();
        assert_eq!((r.valid, r.passed, r.failures.len()), (4, 0, 4));
    }

    #[test]
    fn outcome_lines_are_parsed() {
        let text = concat!(
            r#"{"pointer":"/a","schema_pointer":"/s","verdict":"valid","decoded":true,"error":null,"encoded":null}"#,
            "\n",
            r#"{"pointer":"/b","schema_pointer":"/s","verdict":"breaks-structure","decoded":false,"error":"no","encoded":null}"#,
            "\nnot json\n"
        );
        let o = parse_outcomes(text);
        assert_eq!(o.len(), 2);
        assert_eq!(
            o[0].encoded,
            Some(Value::Null),
            "null is a value that decoded"
        );
        assert_eq!(o[1].encoded, None);
        assert_eq!(o[1].error.as_deref(), Some("no"));
    }
}
