//! The report's rows by OpenAPI version (3.0, 3.1, 3.2): specs, outcomes, warnings, and the keywords warned about most.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::fs;
use std::path::Path;

use super::generate::{Outcome, Record};
use super::specs::Spec;

/// The rows' versions, in order; any other version (or none found) is `other`.
const ROWS: [&str; 4] = ["3.0", "3.1", "3.2", "other"];

/// The keyword of a warning that puts no word in backticks.
const NONE: &str = "(no keyword)";

/// How many warned keywords a row lists.
const TOP: usize = 6;

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

/// The keyword a warning is about: the first word its message puts in backticks
/// (so any wording works), or [`NONE`].
pub(super) fn keyword_of(message: &str) -> &str {
    let mut parts = message.split('`');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(word), Some(_)) if !word.is_empty() => word,
        _ => NONE,
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
        "Warnings are grouped by the keyword each names (the first word in backticks).\n\n\
         | version | specs | generated | rejected | crashed/hung | warnings | top warned keywords |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | --- |\n",
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
        let mut keywords: BTreeMap<&str, usize> = BTreeMap::new();
        for w in of_row.iter().flat_map(|r| &r.warnings) {
            *keywords.entry(keyword_of(&w.message)).or_default() += 1;
        }
        let mut keywords: Vec<(&str, usize)> = keywords.into_iter().collect();
        keywords.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let top: Vec<String> = keywords
            .iter()
            .take(TOP)
            .map(|(k, n)| match *k {
                NONE => format!("{NONE} {n}"),
                k => format!("`{}` {n}", k.replace('|', "\\|")),
            })
            .collect();
        let _ = writeln!(
            md,
            "| {row} | {} | {} | {} | {} | {} | {} |",
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
    fn warnings_are_classified_by_their_first_backticked_word() {
        assert_eq!(keyword_of("`prefixItems` is not modelled"), "prefixItems");
        assert_eq!(
            keyword_of("the keyword `$dynamicRef` (at `x`) is ignored"),
            "$dynamicRef"
        );
        assert_eq!(keyword_of("webhooks are not generated"), NONE);
        assert_eq!(keyword_of("an odd ` tick"), NONE);
    }

    #[test]
    fn each_version_is_a_row_with_its_outcomes_and_top_keywords() {
        let records: BTreeMap<usize, Record> = [
            (0, record(Outcome::Generated, &["`a` x", "`b` y", "`a` z"])),
            (1, record(Outcome::Rejected, &[])),
            (2, record(Outcome::Hung, &["`c` w", "plain"])),
            (3, record(Outcome::Generated, &[])),
        ]
        .into_iter()
        .collect();
        let versions = [(0, "3.1"), (1, "3.1"), (2, "3.0"), (3, "3.2")]
            .into_iter()
            .collect();
        let md = rows(&records, &versions);
        assert!(
            md.contains("| 3.0 | 1 | 0 | 0 | 1 | 2 | (no keyword) 1, `c` 1 |"),
            "{md}"
        );
        assert!(
            md.contains("| 3.1 | 2 | 1 | 1 | 0 | 3 | `a` 2, `b` 1 |"),
            "{md}"
        );
        assert!(md.contains("| 3.2 | 1 | 1 | 0 | 0 | 0 | none |"), "{md}");
        assert!(!md.contains("| other |"), "{md}");
        assert!(md.find("| 3.0 |") < md.find("| 3.1 |"));
    }
}
