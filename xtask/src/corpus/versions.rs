//! The report's rows by OpenAPI version (3.0, 3.1, 3.2): specs, outcomes, warnings, and the keywords warned about most.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::fs;
use std::path::Path;

use super::generate::{Outcome, Record};
use super::specs::Spec;

/// The rows' versions, in order; any other version (or none found) is `other`.
const ROWS: [&str; 4] = ["3.0", "3.1", "3.2", "other"];

/// How many warned keywords a row lists.
const TOP: usize = 12;

/// The `major.minor` of the `openapi` field of the spec at `path` (`other` when
/// it cannot be told), read from the text without parsing the whole document.
pub(super) fn version_of(path: &Path) -> &'static str {
    let Ok(text) = fs::read_to_string(path) else {
        return "other";
    };
    version_in(&text)
}

/// The row of a spec's text (see [`version_of`]).
pub(super) fn version_in(text: &str) -> &'static str {
    // JSON: `"openapi": "3.1.0"`; YAML: `openapi: 3.1.0` (quoted or not) at the top level.
    let value = text
        .find("\"openapi\"")
        .map(|at| &text[at + 9..])
        .or_else(|| text.lines().find_map(|l| l.strip_prefix("openapi:")));
    let Some(value) = value else { return "other" };
    let value =
        value.trim_start_matches(|c: char| c.is_whitespace() || c == ':' || c == '"' || c == '\'');
    ROWS[..3]
        .iter()
        .find(|v| value.starts_with(*v) && !value[3..].starts_with(|c: char| c.is_ascii_digit()))
        .copied()
        .unwrap_or("other")
}

/// The keyword a warning says is not modelled, or None for any other
/// warning. The loader words every such warning one of two ways (its tests
/// hold it to them): "`kw` is not modelled: ..." (also "`kw: value` ..." and
/// "`kw` on a server is not modelled"), or "unknown schema keyword `kw` is
/// ignored", reported as `kw (unknown)`.
pub(super) fn unmodelled_keyword(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown schema keyword `") {
        let word = rest.split('`').next().filter(|w| !w.is_empty())?;
        return Some(format!("{word} (unknown)"));
    }
    if !message.contains(" not modelled") {
        return None;
    }
    let mut parts = message.split('`');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(word), Some(_)) if !word.is_empty() => {
            // `contentEncoding: hex` names the keyword before the colon.
            Some(word.split(':').next().unwrap_or(word).trim().to_string())
        }
        _ => None,
    }
}

/// The "By OpenAPI version" section: one row per version with any spec.
pub(super) fn section(specs: &[Spec], records: &BTreeMap<usize, Record>) -> String {
    let versions: BTreeMap<usize, &str> = records
        .keys()
        .map(|&i| (i, version_of(&specs[i].path)))
        .collect();
    rows(records, &versions)
}

fn rows(records: &BTreeMap<usize, Record>, versions: &BTreeMap<usize, &str>) -> String {
    let mut md = String::from("## By OpenAPI version\n\n");
    md.push_str(
        "`unmodelled` counts the warnings that name a keyword oagen does not model (valid, \
         but ignored or approximated: \"`kw` is not modelled: ..\") or does not know \
         (\"unknown schema keyword `kw`\"); the last column lists those keywords, most \
         warned first. Other warnings (approximations that are not about a keyword, such \
         as a default that breaks its schema) are only in `warnings`.\n\n\
         | version | specs | generated | rejected | crashed/hung | warnings | unmodelled | unmodelled keywords |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n",
    );
    for row in ROWS {
        let of_row: Vec<&Record> = records
            .iter()
            .filter(|(i, _)| versions.get(i) == Some(&row))
            .map(|(_, r)| r)
            .collect();
        if of_row.is_empty() {
            continue;
        }
        let count = |f: &dyn Fn(&Outcome) -> bool| of_row.iter().filter(|r| f(&r.outcome)).count();
        let mut keywords: BTreeMap<String, usize> = BTreeMap::new();
        for w in of_row.iter().flat_map(|r| &r.warnings) {
            if let Some(k) = unmodelled_keyword(&w.message) {
                *keywords.entry(k).or_default() += 1;
            }
        }
        let unmodelled: usize = keywords.values().sum();
        let mut keywords: Vec<(String, usize)> = keywords.into_iter().collect();
        keywords.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top: Vec<String> = keywords
            .iter()
            .take(TOP)
            .map(|(k, n)| format!("`{}` {n}", k.replace(['|', '`'], "")))
            .collect();
        let _ = writeln!(
            md,
            "| {row} | {} | {} | {} | {} | {} | {unmodelled} | {} |",
            of_row.len(),
            count(&|o| *o == Outcome::Generated),
            count(&|o| *o == Outcome::Rejected),
            count(&|o| o.is_bug()),
            of_row.iter().map(|r| r.warnings.len()).sum::<usize>(),
            if top.is_empty() {
                "none".to_string()
            } else {
                top.join(", ")
            },
        );
    }
    md.push('\n');
    md
}

#[cfg(test)]
mod tests {
    use super::super::generate::Diag;
    use super::*;

    fn record(outcome: Outcome, warnings: &[&str]) -> Record {
        Record {
            outcome,
            seconds: 0.0,
            peak_kb: 0,
            operations: None,
            types: None,
            warnings: warnings
                .iter()
                .map(|m| Diag {
                    pointer: String::new(),
                    message: m.to_string(),
                })
                .collect(),
            errors: Vec::new(),
        }
    }

    #[test]
    fn versions_are_read_from_json_and_yaml() {
        assert_eq!(version_in(r#"{"info": {}, "openapi": "3.1.0"}"#), "3.1");
        assert_eq!(version_in("openapi: 3.0.3\ninfo: {}\n"), "3.0");
        assert_eq!(version_in("openapi: '3.2.0'\n"), "3.2");
        assert_eq!(version_in("openapi: 3.10.0\n"), "other");
        assert_eq!(version_in(r#"{"swagger": "2.0"}"#), "other");
    }

    #[test]
    fn only_warnings_about_unmodelled_keywords_are_counted_by_keyword() {
        let k = |m: &str| unmodelled_keyword(m);
        assert_eq!(
            k("`if` is not modelled: the branches are not checked").as_deref(),
            Some("if")
        );
        assert_eq!(
            k("`contentEncoding: hex` is not modelled: the string keeps its text").as_deref(),
            Some("contentEncoding")
        );
        assert_eq!(
            k("`name` on a server is not modelled (servers are told apart by their URL)")
                .as_deref(),
            Some("name")
        );
        assert_eq!(
            k("unknown schema keyword `foo` is ignored (not JSON Schema 2020-12)").as_deref(),
            Some("foo (unknown)")
        );
        // Warnings that name a keyword but are not about an unmodelled one.
        assert_eq!(
            k("`default` does not match the schema: expected an integer"),
            None
        );
        assert_eq!(k("callbacks are not generated"), None);
        assert_eq!(k("an odd ` tick is not modelled"), None);
    }

    #[test]
    fn each_version_is_a_row_with_its_outcomes_and_top_keywords() {
        let records: BTreeMap<usize, Record> = [
            (
                0,
                record(
                    Outcome::Generated,
                    &[
                        "`a` is not modelled",
                        "`b` is not modelled",
                        "`a` is not modelled: z",
                        "`d` is odd",
                    ],
                ),
            ),
            (1, record(Outcome::Rejected, &[])),
            (
                2,
                record(
                    Outcome::Hung,
                    &["unknown schema keyword `c` is ignored", "plain"],
                ),
            ),
            (3, record(Outcome::Generated, &[])),
        ]
        .into_iter()
        .collect();
        let versions = [(0, "3.1"), (1, "3.1"), (2, "3.0"), (3, "3.2")]
            .into_iter()
            .collect();
        let md = rows(&records, &versions);
        assert!(
            md.contains("| 3.0 | 1 | 0 | 0 | 1 | 2 | 1 | `c (unknown)` 1 |"),
            "{md}"
        );
        assert!(
            md.contains("| 3.1 | 2 | 1 | 1 | 0 | 4 | 3 | `a` 2, `b` 1 |"),
            "{md}"
        );
        assert!(
            md.contains("| 3.2 | 1 | 1 | 0 | 0 | 0 | 0 | none |"),
            "{md}"
        );
        assert!(!md.contains("| other |"), "{md}");
        assert!(md.find("| 3.0 |") < md.find("| 3.1 |"));
    }
}
