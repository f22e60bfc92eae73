//! The report's sections on the compile sample: the builds, compiler errors by kind, and example conformance.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::conformance;

use super::causes::{group, normalise};
use super::compile::{bucket_of, Build, CompileError, BUCKETS};
use super::generate::{Diag, Record};
use super::report::{cell, clip, group_rows, pct};
use super::specs::Spec;

/// The "Compile sample" section (each build, compiler errors by kind), then
/// the "Example conformance" section.
pub(super) fn builds_md(
    md: &mut String,
    specs: &[Spec],
    records: &BTreeMap<usize, Record>,
    builds: &[Build],
) {
    let _ = writeln!(md, "## Compile sample\n");
    let passed = builds.iter().filter(|b| b.passed).count();
    let _ = writeln!(
        md,
        "{passed} of {} generated crates build with `cargo build --all-features` and \
         `RUSTFLAGS=-D warnings` (one target folder, the workspace's Cargo.lock; sampled by \
         operation count: {}, directory crates with more operations not sampled; GitHub and \
         Stripe always).\n",
        builds.len(),
        BUCKETS.iter().map(|b| b.2).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(md, "| spec | operations | bucket | result | time | memory | first error |\n|---|---:|---|---|---:|---:|---|");
    for b in builds {
        let r = &records[&b.spec];
        let ops = r.operations.unwrap_or(0);
        let first = b.first_error();
        let _ = writeln!(
            md,
            "| `{}` | {ops} | {} | {} | {:.1} s | {:.0} MB | {} |",
            specs[b.spec].id,
            bucket_of(ops).map_or("larger", |b| BUCKETS[b].2),
            if b.passed { "builds" } else { "**fails**" },
            b.seconds,
            b.peak_kb as f64 / 1024.0,
            cell(&first)
        );
    }
    let errors: Vec<(usize, &CompileError)> = builds
        .iter()
        .flat_map(|b| b.errors.iter().map(move |e| (b.spec, e)))
        .collect();
    if !errors.is_empty() {
        let mut kinds: BTreeMap<String, (BTreeSet<usize>, usize, Vec<String>)> = BTreeMap::new();
        for (i, e) in errors {
            let key = if e.code.is_empty() {
                normalise(&e.message)
            } else {
                format!("{}: {}", e.code, normalise(&e.message))
            };
            let k = kinds.entry(key).or_default();
            k.1 += 1;
            if k.0.insert(i) && k.2.len() < 3 {
                k.2.push(format!("`{}` {} at {}", specs[i].id, e.message, e.at));
            }
        }
        let mut kinds: Vec<_> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1 .0.len().cmp(&a.1 .0.len()).then(b.1 .1.cmp(&a.1 .1)));
        let _ = writeln!(md, "\n### Compiler errors by kind\n\n| error | crates | errors | examples |\n|---|---:|---:|---|");
        for (key, (crates, n, examples)) in kinds {
            let _ = writeln!(
                md,
                "| {} | {} | {n} | {} |",
                cell(&key),
                crates.len(),
                examples
                    .iter()
                    .map(|e| cell(e))
                    .collect::<Vec<_>>()
                    .join("<br>")
            );
        }
    }
    let _ = writeln!(md);
    examples_md(md, specs, builds);
}

/// Example conformance summed over the compile sample.
#[derive(Debug, Default)]
pub(super) struct ExampleTotals {
    pub crates: usize,
    pub total: usize,
    pub invalid: usize,
    pub format_only: usize,
    pub unjudged: usize,
    pub valid: usize,
    pub passed: usize,
    pub failed: usize,
    pub disagreements: usize,
    /// Crates whose examples could not be judged at all.
    pub not_judged: usize,
}

impl ExampleTotals {
    pub(super) fn of(builds: &[Build]) -> ExampleTotals {
        let mut t = ExampleTotals::default();
        for b in builds {
            match &b.examples {
                Some(Ok(r)) => {
                    t.crates += 1;
                    t.total += r.total;
                    t.invalid += r.invalid;
                    t.format_only += r.format_only;
                    t.unjudged += r.unjudged;
                    t.valid += r.valid;
                    t.passed += r.passed;
                    t.failed += r.failures.len();
                    t.disagreements += r.disagreements;
                }
                Some(Err(_)) => t.not_judged += 1,
                None => {}
            }
        }
        t
    }
}

/// The "Example conformance" section.
fn examples_md(md: &mut String, specs: &[Spec], builds: &[Build]) {
    let t = ExampleTotals::of(builds);
    let _ = writeln!(md, "## Example conformance\n");
    let _ = writeln!(
        md,
        "Every `example`/`examples` value (schemas, media types, parameters, headers) of the \
         {} crates that built, validated against its own schema with the `jsonschema` crate: \
         JSON Schema 2020-12 over the normalised document, with `nullable` and boolean \
         exclusive bounds read as OpenAPI 3.0 means them, and of the formats only those that \
         decide the generated type asserted ({}); the others are annotations. A schema-valid \
         example must decode into its generated type and re-encode to JSON that still \
         validates (the crate's `tests/examples.rs`, run with `OAGEN_EXAMPLES_OUT`). Examples \
         that break their own schema are counted apart; \"of which only a format\" are those \
         that would be valid were formats annotations too.\n",
        t.crates + t.not_judged,
        conformance::TYPED_FORMATS
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        md,
        "| examples | break their own schema | of which only a format | not judged | schema-valid | decode and re-encode valid | fail | oagen's validator disagrees |\n|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} | {} | {} ({}) | {} | {} |\n",
        t.total,
        t.invalid,
        t.format_only,
        t.unjudged,
        t.valid,
        t.passed,
        pct(t.passed, t.valid),
        t.failed,
        t.disagreements
    );
    if t.not_judged > 0 {
        let _ = writeln!(
            md,
            "{} crates could not be judged (see \"Bugs\").\n",
            t.not_judged
        );
    }
    let _ = writeln!(
        md,
        "| spec | examples | break their schema | only a format | not judged | schema-valid | pass | fail | disagree | first failure, else first invalid example |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for b in builds {
        let Some(ex) = &b.examples else { continue };
        let id = &specs[b.spec].id;
        match ex {
            Ok(r) => {
                let first = r
                    .failures
                    .first()
                    .map(|(p, why)| format!("**fails** `#{}`: {}", clip(p, 90), why))
                    .or_else(|| {
                        r.first_invalid
                            .as_ref()
                            .map(|(p, why)| format!("invalid `#{}`: {}", clip(p, 90), why))
                    })
                    .or_else(|| {
                        r.first_unjudged
                            .as_ref()
                            .map(|(p, why)| format!("not judged `#{}`: {}", clip(p, 90), why))
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    md,
                    "| `{id}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    r.total,
                    r.invalid,
                    r.format_only,
                    r.unjudged,
                    r.valid,
                    r.passed,
                    r.failures.len(),
                    r.disagreements,
                    cell(&first)
                );
            }
            Err(e) => {
                let _ = writeln!(
                    md,
                    "| `{id}` | - | - | - | - | - | - | - | - | not judged: {} |",
                    cell(e)
                );
            }
        }
    }
    let failures: Vec<(usize, Diag)> = builds
        .iter()
        .filter_map(|b| match &b.examples {
            Some(Ok(r)) => Some((b.spec, r)),
            _ => None,
        })
        .flat_map(|(i, r)| {
            r.failures.iter().map(move |(p, why)| {
                (
                    i,
                    Diag {
                        pointer: p.clone(),
                        message: why.clone(),
                    },
                )
            })
        })
        .collect();
    if !failures.is_empty() {
        let groups = group(failures.iter().map(|(i, d)| (*i, d)));
        let _ = writeln!(
            md,
            "\n### Failures by cause\n\n| # | cause | specs | failures | examples |\n|---:|---|---:|---:|---|"
        );
        group_rows(md, specs, &groups[..groups.len().min(30)], 3, |_| {
            String::new()
        });
    }
    let _ = writeln!(md);
}
