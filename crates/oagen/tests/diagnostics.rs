//! Diagnostics for broken specs: every problem is reported, once, with the file,
//! the exact JSON pointer, the exact line, a message naming the key fact and a hint.
//!
//! The fixtures are in `tests/fixtures/`; each holds exactly the problems listed
//! in its test. Line numbers are the fixture's real (1-based) lines, and every
//! expectation also names a snippet of that line, so a fixture edit that shifts
//! lines fails loudly instead of silently testing something else.

mod support;

use std::path::{Path, PathBuf};

use support::{fixture, the_error};

use oagen::{Diagnostic, Severity};

/// One expected error diagnostic.
struct Expected {
    /// The exact JSON pointer.
    pointer: &'static str,
    /// The exact 1-based line.
    line: usize,
    /// The exact column, where the parser gives one (syntax errors only).
    column: Option<usize>,
    /// Text that the fixture's line `line` contains (checks the hand-counted line).
    line_has: &'static str,
    /// Fragments the message must contain.
    message_has: &'static [&'static str],
}

/// Analyzes fixture `name` and checks that its errors are exactly `expected`.
fn check(name: &str, expected: &[Expected]) {
    let path = fixture(name);
    let source = std::fs::read_to_string(&path).expect("fixture is readable");
    let failure = match oagen::analyze(&path) {
        Ok(a) => panic!(
            "{name}: expected a failure, got Ok with warnings {:#?}",
            a.warnings
        ),
        Err(f) => f,
    };
    let report = failure.to_string();
    let errors: Vec<&Diagnostic> = failure
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(
        errors.len(),
        expected.len(),
        "{name}: wrong number of errors; got:\n{report}"
    );

    // The errors are exactly the expected pointers (no pointer twice, none missing).
    let mut got: Vec<&str> = errors.iter().map(|d| d.pointer.as_str()).collect();
    let mut want: Vec<&str> = expected.iter().map(|e| e.pointer).collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "{name}: wrong pointers; got:\n{report}");

    for e in expected {
        let d = errors
            .iter()
            .find(|d| d.pointer == e.pointer)
            .expect("pointer sets are equal");
        let ctx = format!("{name} at {:?}:\n{d}", e.pointer);
        assert!(
            d.file.ends_with(name),
            "{ctx}\nfile {} does not end with {name}",
            d.file.display()
        );
        assert_eq!(d.line, Some(e.line), "{ctx}\nwrong line");
        if e.column.is_some() {
            assert_eq!(d.column, e.column, "{ctx}\nwrong column");
        }
        let line_text = source.lines().nth(e.line - 1).unwrap_or_default();
        assert!(
            line_text.contains(e.line_has),
            "{ctx}\nfixture line {} is {line_text:?}, expected it to contain {:?} \
             (was the fixture edited?)",
            e.line,
            e.line_has
        );
        for frag in e.message_has {
            assert!(
                d.message.contains(frag),
                "{ctx}\nmessage does not mention {frag:?}"
            );
        }
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(!hint.trim().is_empty(), "{ctx}\nno hint");

        // The rendered form names the file, the line and the pointer.
        let shown = d.to_string();
        assert!(shown.starts_with("error: "), "{ctx}");
        assert!(
            shown.contains(&format!("{name}:{}", e.line)),
            "{ctx}\nrendered form lacks file:line"
        );
        let shown_ptr = if e.pointer.is_empty() {
            "(document root)"
        } else {
            e.pointer
        };
        assert!(
            shown.contains(&format!(" at #{shown_ptr}")),
            "{ctx}\nrendered form lacks the pointer"
        );
        assert!(
            shown.contains("= hint: "),
            "{ctx}\nrendered form lacks the hint"
        );
    }
    assert!(
        report.ends_with(&format!("{} error(s)", expected.len())),
        "{name}: summary line wrong:\n{report}"
    );
}

#[test]
fn dangling_ref() {
    check(
        "dangling_ref.yaml",
        &[Expected {
            pointer: "/paths/~1orgs/post/responses/200/content/application~1json/schema/$ref",
            line: 14,
            column: None,
            line_has: "$ref: '#/components/schemas/Missing'",
            message_has: &["#/components/schemas/Missing", "does not exist"],
        }],
    );
}

#[test]
fn dangling_ref_hint_names_the_missing_schema() {
    let failure = oagen::analyze(&fixture("dangling_ref.yaml")).unwrap_err();
    let hint = failure.diagnostics[0].hint.as_deref().unwrap_or_default();
    assert!(hint.contains("Missing"), "hint: {hint}");
}

#[test]
fn ref_cycle() {
    check(
        "ref_cycle.yaml",
        &[Expected {
            pointer: "/components/schemas/A/$ref",
            line: 18,
            column: None,
            line_has: "$ref: '#/components/schemas/B'",
            message_has: &[
                "cycle",
                "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A",
            ],
        }],
    );
}

#[test]
fn swagger2() {
    check(
        "swagger2.json",
        &[Expected {
            pointer: "/swagger",
            line: 2,
            column: None,
            line_has: "\"swagger\": \"2.0\"",
            message_has: &["Swagger", "2.0", "not supported"],
        }],
    );
}

#[test]
fn many_errors_are_all_reported() {
    check(
        "many_errors.yaml",
        &[
            Expected {
                pointer: "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
                line: 14,
                column: None,
                line_has: "$ref: '#/components/schemas/First'",
                message_has: &["#/components/schemas/First", "does not exist"],
            },
            // A broken path item is taken apart, so the diagnostic names the operation.
            Expected {
                pointer: "/paths/~1b/get",
                line: 16,
                column: None,
                line_has: "get:",
                message_has: &["invalid operation", "not an operation", "Operation"],
            },
            Expected {
                pointer: "/paths/~1c/post/responses/200/content/application~1json/schema/$ref",
                line: 25,
                column: None,
                line_has: "$ref: '#/components/schemas/Second'",
                message_has: &["#/components/schemas/Second", "does not exist"],
            },
        ],
    );
}

#[test]
fn not_openapi() {
    check(
        "not_openapi.yaml",
        &[Expected {
            pointer: "",
            line: 1,
            column: None,
            line_has: "name: not an api",
            message_has: &["openapi", "not an OpenAPI 3 document"],
        }],
    );
}

#[test]
fn bad_yaml() {
    check(
        "bad_yaml.yaml",
        &[Expected {
            pointer: "",
            line: 4,
            column: Some(17),
            line_has: "version: 1.0.0: oops",
            message_has: &["invalid YAML", "mapping values are not allowed"],
        }],
    );
}

#[test]
fn bad_json() {
    check(
        "bad_json.json",
        &[Expected {
            pointer: "",
            line: 4,
            column: Some(13),
            line_has: "\"title\" \"Bad\"",
            message_has: &["invalid JSON", "expected `:`"],
        }],
    );
}

#[test]
fn empty_file() {
    let path = fixture("empty.yaml");
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        0,
        "fixture is empty"
    );
    let failure = oagen::analyze(&path).unwrap_err();
    let d = the_error(&failure);
    assert!(d.file.ends_with("empty.yaml"), "{d}");
    assert_eq!(d.pointer, "", "{d}");
    // An empty file has no lines; the document root is reported at line 1.
    assert_eq!(d.line, Some(1), "{d}");
    assert!(d.message.contains("not a mapping"), "{d}");
    assert!(!d.hint.as_deref().unwrap_or_default().is_empty(), "{d}");
}

#[test]
fn missing_file_is_a_diagnostic() {
    let path = fixture("no_such_file.yaml");
    let failure = oagen::analyze(&path).unwrap_err();
    assert_eq!(failure.diagnostics.len(), 1, "{failure}");
    let d = &failure.diagnostics[0];
    assert!(d.is_error() && d.file.ends_with("no_such_file.yaml"), "{d}");
    assert!(d.message.contains("cannot read"), "{d}");
    assert!(d.hint.is_some(), "{d}");
}

/// Every seed spec in `specs/`.
fn seed_specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("specs/ is readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    specs.sort();
    specs
}

#[test]
fn seed_specs_analyze_cleanly() {
    let specs = seed_specs();
    assert!(
        specs.len() >= 5,
        "expected the five seed specs, found {specs:?}"
    );
    for spec in &specs {
        match oagen::analyze(spec) {
            Ok(a) => {
                let errors: Vec<&Diagnostic> = a.warnings.iter().filter(|d| d.is_error()).collect();
                assert!(
                    errors.is_empty(),
                    "{}: error diagnostics on success: {errors:#?}",
                    spec.display()
                );
                assert!(
                    !a.api.operations.is_empty(),
                    "{}: no operations",
                    spec.display()
                );
            }
            Err(f) => panic!("{} fails to analyze:\n{f}", spec.display()),
        }
    }
}
