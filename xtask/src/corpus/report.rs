//! The report: `target/corpus/report.md` (outcomes, time and memory, rejections and warnings by cause) and `report.tsv`, one row per spec.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use super::causes::{group, Group};
use super::compile::Build;
use super::compile_report::builds_md;
use super::generate::{Diag, Outcome, Record};
use super::specs::{Source, Spec, DIRECTORY};
use super::Options;

/// The nearest-rank percentile `p` (0-100) of sorted `values`.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A path relative to the project root where possible, for commands and tables.
fn display_path(root: &Path, path: &Path) -> String {
    if let Ok(rel) = path.strip_prefix(root) {
        return rel.display().to_string();
    }
    if let Some(parent) = root.parent() {
        if let Ok(rel) = path.strip_prefix(parent) {
            return Path::new("..").join(rel).display().to_string();
        }
    }
    path.display().to_string()
}

/// `s` quoted for a POSIX shell when it needs it.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Text safe inside a Markdown table cell.
pub(super) fn cell(s: &str) -> String {
    clip(&s.replace('|', "\\|").replace(['\n', '\r'], " "), 200)
}

fn reproduce(root: &Path, spec: &Spec) -> String {
    format!(
        "cargo build --release -p oagen-cli && target/release/oagen generate {} --out /tmp/oagen-repro --name {}",
        shell_quote(&display_path(root, &spec.path)),
        spec.name
    )
}

/// `n` of `of` as a percentage with one decimal, rounded down: 100% means all.
pub(super) fn pct(n: usize, of: usize) -> String {
    match (1000 * n).checked_div(of) {
        None => "-".into(),
        Some(permille) => format!("{:.1}%", permille as f64 / 10.0),
    }
}

/// `s` cut to `n` characters.
pub(super) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// A table row per group: `| # | cause | specs |` then `extra`'s cells (each
/// ` text |`), `| occurrences | examples |` with up to `examples` of them.
pub(super) fn group_rows(
    md: &mut String,
    specs: &[Spec],
    groups: &[Group],
    examples: usize,
    extra: impl Fn(&Group) -> String,
) {
    for (n, g) in groups.iter().enumerate() {
        let shown: Vec<String> = g
            .examples
            .iter()
            .take(examples)
            .map(|(i, d)| example(&specs[*i], d))
            .collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} |{} {} | {} |",
            n + 1,
            cell(&g.key),
            g.specs.len(),
            extra(g),
            g.occurrences,
            shown.join("<br>")
        );
    }
}

/// One example of a diagnostic for a table cell: spec, pointer and message.
pub(super) fn example(spec: &Spec, d: &Diag) -> String {
    format!(
        "`{}` at `#{}`: {}",
        spec.id,
        clip(&d.pointer, 90).replace('|', "\\|").replace('`', "'"),
        cell(&clip(&d.message, 110))
    )
}

#[allow(clippy::too_many_arguments)]
pub(super) fn report_md(
    root: &Path,
    specs: &[Spec],
    records: &BTreeMap<usize, Record>,
    builds: &[Build],
    opts: &Options,
    directory_total: usize,
    version: &str,
    generation_seconds: f64,
    wall: f64,
) -> String {
    let mut md = String::new();
    let mut command = String::from("cargo xtask corpus");
    if opts.timeout != 60 {
        let _ = write!(command, " --timeout {}", opts.timeout);
    }
    if opts.jobs != 2 {
        let _ = write!(command, " --jobs {}", opts.jobs);
    }
    for o in &opts.only {
        let _ = write!(command, " --only {}", shell_quote(o));
    }
    if let Some(n) = opts.sample {
        let _ = write!(command, " --sample {n} --seed {}", opts.seed);
    }
    if opts.compile > 0 {
        let _ = write!(command, " --compile {}", opts.compile);
    }
    if opts.slice {
        command.push_str(" --slice");
    }
    let _ = writeln!(md, "# oagen corpus report\n");
    let _ = writeln!(
        md,
        "`{command}` at {version}: {} specs ({DIRECTORY}: {} of {directory_total}; \
         shared: {}; seeds: {}; fixtures: {}), {} at a time, {} s limit each. Generation took {:.0} s of wall \
         time{}.\n",
        records.len(),
        records
            .keys()
            .filter(|&&i| specs[i].source == Source::Directory)
            .count(),
        records
            .keys()
            .filter(|&&i| specs[i].source == Source::Shared)
            .count(),
        records
            .keys()
            .filter(|&&i| specs[i].source == Source::Seed)
            .count(),
        records
            .keys()
            .filter(|&&i| specs[i].source == Source::Fixture)
            .count(),
        opts.jobs,
        opts.timeout,
        generation_seconds,
        if builds.is_empty() {
            String::new()
        } else {
            format!(", the whole run {wall:.0} s")
        }
    );

    // Bugs.
    let bugs: Vec<(&usize, &Record)> = records.iter().filter(|(_, r)| r.outcome.is_bug()).collect();
    let failed: Vec<&Build> = builds.iter().filter(|b| !b.passed).collect();
    let examples_failed: Vec<&Build> = builds.iter().filter(|b| b.examples_failed()).collect();
    let _ = writeln!(md, "## Bugs\n");
    if bugs.is_empty() && failed.is_empty() && examples_failed.is_empty() {
        let _ = writeln!(
            md,
            "None: no panic, no crash, no hang{}.\n",
            if builds.is_empty() {
                ""
            } else {
                ", every sampled crate compiled, and every schema-valid example decoded and \
                 re-encoded to valid JSON"
            }
        );
    } else {
        let _ = writeln!(
            md,
            "{} crashed, {} hung, {} generated crates failed to compile, {} failed example \
             conformance. Logs of each are in `target/corpus/logs/`.\n",
            bugs.iter()
                .filter(|(_, r)| matches!(r.outcome, Outcome::Crashed(_)))
                .count(),
            bugs.iter()
                .filter(|(_, r)| r.outcome == Outcome::Hung)
                .count(),
            failed.len(),
            examples_failed.len()
        );
        for (&i, r) in &bugs {
            let s = &specs[i];
            let _ = writeln!(
                md,
                "- **{}** `{}` ({:.1} s, {:.0} MB): {}\n  ```sh\n  {}\n  ```",
                r.outcome.label(),
                s.id,
                r.seconds,
                r.peak_mb(),
                r.first_error(opts.timeout),
                reproduce(root, s)
            );
        }
        for b in &failed {
            let s = &specs[b.spec];
            let first = b.first_error();
            let _ = writeln!(
                md,
                "- **does not compile** `{}`: {}\n  ```sh\n  cargo xtask corpus --only {} --compile 1   # keeps target/corpus/crates/{}\n  ```",
                s.id,
                first,
                shell_quote(&s.id),
                s.name
            );
        }
        for b in &examples_failed {
            let s = &specs[b.spec];
            let what = match &b.examples {
                Some(Ok(r)) => format!(
                    "{} of {} schema-valid examples fail; the first at `#{}`: {}",
                    r.failures.len(),
                    r.valid,
                    r.failures[0].0,
                    cell(&r.failures[0].1)
                ),
                Some(Err(e)) => format!("not judged: {}", cell(e)),
                None => String::new(),
            };
            let _ = writeln!(
                md,
                "- **example conformance** `{}`: {what}\n  ```sh\n  cargo xtask corpus --only {} --compile 1   # outcomes in target/corpus/logs/{}.examples.jsonl\n  ```",
                s.id,
                shell_quote(&s.id),
                s.name
            );
        }
        let _ = writeln!(md);
    }

    md.push_str(&super::versions::section(specs, records));

    // Outcomes.
    let _ = writeln!(md, "## Outcomes\n");
    let _ = writeln!(
        md,
        "Percentages are of the directory's {} specs run.\n",
        records
            .keys()
            .filter(|&&i| specs[i].source == Source::Directory)
            .count()
    );
    let _ = writeln!(
        md,
        "| outcome | directory | % of directory | shared + seeds | all |\n|---|---:|---:|---:|---:|"
    );
    let dir_run = records
        .keys()
        .filter(|&&i| specs[i].source == Source::Directory)
        .count();
    for label in ["generated", "rejected", "crashed", "hung"] {
        let of = |dir: bool| {
            records
                .iter()
                .filter(|(&i, r)| {
                    r.outcome.label() == label && (specs[i].source == Source::Directory) == dir
                })
                .count()
        };
        let (d, o) = (of(true), of(false));
        let _ = writeln!(
            md,
            "| {label} | {d} | {} | {o} | {} |",
            pct(d, dir_run),
            d + o
        );
    }
    let _ = writeln!(
        md,
        "| **total** | {dir_run} | 100% | {} | {} |\n",
        records.len() - dir_run,
        records.len()
    );
    let others: Vec<String> = records
        .iter()
        .filter(|(&i, _)| specs[i].source != Source::Directory)
        .map(|(&i, r)| {
            format!(
                "`{}` {} ({} operations, {} types, {:.1} s, {:.0} MB)",
                specs[i].id,
                r.outcome.label(),
                r.operations.map_or("-".into(), |n| n.to_string()),
                r.types.map_or("-".into(), |n| n.to_string()),
                r.seconds,
                r.peak_mb()
            )
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(md, "Shared and seed specs: {}.\n", others.join("; "));
    }

    // Time and memory.
    let _ = writeln!(md, "## Time and memory\n");
    let _ = writeln!(
        md,
        "Wall time of one `oagen generate` (including writing the crate) and its peak resident \
         memory (`ru_maxrss`).\n"
    );
    let _ = writeln!(
        md,
        "| specs | n | time p50 | p90 | p99 | max | memory p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (what, filter) in [
        ("all", None),
        ("generated", Some("generated")),
        ("rejected", Some("rejected")),
    ] {
        let rs: Vec<&Record> = records
            .values()
            .filter(|r| filter.is_none_or(|f| r.outcome.label() == f))
            .collect();
        if rs.is_empty() {
            continue;
        }
        let mut t: Vec<f64> = rs.iter().map(|r| r.seconds).collect();
        let mut m: Vec<f64> = rs.iter().map(|r| r.peak_mb()).collect();
        t.sort_by(f64::total_cmp);
        m.sort_by(f64::total_cmp);
        let _ = writeln!(
            md,
            "| {what} | {} | {:.2} s | {:.2} s | {:.2} s | {:.2} s | {:.0} MB | {:.0} MB | {:.0} MB | {:.0} MB |",
            rs.len(),
            percentile(&t, 50.0),
            percentile(&t, 90.0),
            percentile(&t, 99.0),
            percentile(&t, 100.0),
            percentile(&m, 50.0),
            percentile(&m, 90.0),
            percentile(&m, 99.0),
            percentile(&m, 100.0),
        );
    }
    let total_cpu: f64 = records.values().map(|r| r.seconds).sum();
    let _ = writeln!(md, "\nSum of the per-spec times: {total_cpu:.0} s.\n");
    let table = |md: &mut String, title: &str, list: Vec<(&usize, &Record)>| {
        let _ = writeln!(
            md,
            "### {title}\n\n| spec | size | outcome | operations | types | warnings | time | memory |\n|---|---:|---|---:|---:|---:|---:|---:|"
        );
        for (&i, r) in list {
            let _ = writeln!(
                md,
                "| `{}` | {:.1} MB | {} | {} | {} | {} | {:.2} s | {:.0} MB |",
                specs[i].id,
                specs[i].bytes as f64 / 1e6,
                r.outcome.label(),
                r.operations.map_or("-".into(), |n| n.to_string()),
                r.types.map_or("-".into(), |n| n.to_string()),
                r.warnings.len(),
                r.seconds,
                r.peak_mb()
            );
        }
        let _ = writeln!(md);
    };
    let mut by_size: Vec<(&usize, &Record)> = records.iter().collect();
    by_size.sort_by(|a, b| specs[*b.0].bytes.cmp(&specs[*a.0].bytes));
    table(
        &mut md,
        "The largest specs",
        by_size.into_iter().take(10).collect(),
    );
    let mut by_time: Vec<(&usize, &Record)> = records.iter().collect();
    by_time.sort_by(|a, b| b.1.seconds.total_cmp(&a.1.seconds));
    table(
        &mut md,
        "The slowest specs",
        by_time.into_iter().take(10).collect(),
    );

    // Rejections.
    let rejected: Vec<(&usize, &Record)> = records
        .iter()
        .filter(|(_, r)| r.outcome == Outcome::Rejected)
        .collect();
    let _ = writeln!(md, "## Rejections by cause\n");
    if rejected.is_empty() {
        let _ = writeln!(md, "No spec was rejected.\n");
    } else {
        let groups = group(
            rejected
                .iter()
                .flat_map(|(&i, r)| r.errors.iter().map(move |d| (i, d))),
        );
        let firsts = group(
            rejected
                .iter()
                .filter_map(|(&i, r)| r.errors.first().map(|d| (i, d))),
        );
        let _ = writeln!(
            md,
            "{} specs rejected ({} of the directory's), with {} errors in {} groups (messages with \
             names, values, pointers and numbers taken out). A spec counts once in each group it \
             has an error in; \"first\" counts the specs whose first error is in the group.\n",
            rejected.len(),
            pct(
                rejected.iter().filter(|(&i, _)| specs[i].source == Source::Directory).count(),
                dir_run
            ),
            rejected.iter().map(|(_, r)| r.errors.len()).sum::<usize>(),
            groups.len()
        );
        let _ = writeln!(
            md,
            "| # | cause | specs | first | errors | examples |\n|---:|---|---:|---:|---:|---|"
        );
        let shown = 60;
        group_rows(&mut md, specs, &groups[..groups.len().min(shown)], 3, |g| {
            let first = firsts.iter().find(|f| f.key == g.key);
            format!(" {} |", first.map_or(0, |f| f.specs.len()))
        });
        if groups.len() > shown {
            let rest = &groups[shown..];
            let _ = writeln!(
                md,
                "\n{} more groups ({} specs); `report.tsv` has every spec's first error.",
                rest.len(),
                rest.iter()
                    .flat_map(|g| g.specs.iter())
                    .collect::<BTreeSet<_>>()
                    .len()
            );
        }
        let _ = writeln!(md);
    }

    // Warnings.
    let _ = writeln!(md, "## Warnings by kind\n");
    let warned = group(
        records
            .iter()
            .filter(|(_, r)| r.outcome == Outcome::Generated)
            .flat_map(|(&i, r)| r.warnings.iter().map(move |d| (i, d))),
    );
    if warned.is_empty() {
        let _ = writeln!(md, "No warning in the generated specs.\n");
    } else {
        let _ =
            writeln!(
            md,
            "What was approximated in the {} generated specs ({} with warnings, {} warnings).\n",
            records.values().filter(|r| r.outcome == Outcome::Generated).count(),
            records
                .values()
                .filter(|r| r.outcome == Outcome::Generated && !r.warnings.is_empty())
                .count(),
            records
                .values()
                .filter(|r| r.outcome == Outcome::Generated)
                .map(|r| r.warnings.len())
                .sum::<usize>()
        );
        let mut heads: BTreeMap<&str, (BTreeSet<usize>, usize)> = BTreeMap::new();
        for g in &warned {
            let head = g.key.split_once(": ").map_or(g.key.as_str(), |(h, _)| h);
            let e = heads.entry(head).or_default();
            e.0.extend(g.specs.iter().copied());
            e.1 += g.occurrences;
        }
        let mut heads: Vec<_> = heads.into_iter().collect();
        heads.sort_by(|a, b| b.1 .0.len().cmp(&a.1 .0.len()).then(b.1 .1.cmp(&a.1 .1)));
        let _ = writeln!(md, "| kind | specs | occurrences |\n|---|---:|---:|");
        for (head, (s, n)) in &heads {
            let _ = writeln!(md, "| {} | {} | {n} |", cell(head), s.len());
        }
        let _ = writeln!(md, "\nIn detail:\n");
        let _ = writeln!(
            md,
            "| # | warning | specs | occurrences | example |\n|---:|---|---:|---:|---|"
        );
        group_rows(&mut md, specs, &warned[..warned.len().min(30)], 1, |_| {
            String::new()
        });
        if warned.len() > 30 {
            let _ = writeln!(md, "\n{} more kinds.", warned.len() - 30);
        }
        let _ = writeln!(md);
    }

    if !builds.is_empty() {
        builds_md(&mut md, specs, records, builds);
    }
    md
}

/// One row per spec: id, path, outcome, seconds, peak_mb, operations, types,
/// warnings, first_error; then, for the crates of the compile sample that built,
/// example conformance: examples, examples_invalid (break their own schema),
/// examples_format_only (of those, break only a typed format), examples_unjudged, examples_valid, examples_passed, examples_failed,
/// first_example_failure (empty for the other specs).
pub(super) fn report_tsv(
    root: &Path,
    specs: &[Spec],
    records: &BTreeMap<usize, Record>,
    builds: &[Build],
    opts: &Options,
) -> String {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let mut out = String::from(
        "id\tpath\toutcome\tseconds\tpeak_mb\toperations\ttypes\twarnings\tfirst_error\t\
         examples\texamples_invalid\texamples_format_only\texamples_unjudged\texamples_valid\texamples_passed\t\
         examples_failed\tfirst_example_failure\n",
    );
    for (&i, r) in records {
        let examples = match builds
            .iter()
            .find(|b| b.spec == i)
            .and_then(|b| b.examples.as_ref())
        {
            Some(Ok(e)) => format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                e.total,
                e.invalid,
                e.format_only,
                e.unjudged,
                e.valid,
                e.passed,
                e.failures.len(),
                clean(
                    &e.failures
                        .first()
                        .map(|(p, why)| format!("#{p}: {why}"))
                        .unwrap_or_default()
                )
            ),
            Some(Err(why)) => format!("\t\t\t\t\t\t\t{}", clean(&format!("not judged: {why}"))),
            None => "\t\t\t\t\t\t\t".to_string(),
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{:.3}\t{:.1}\t{}\t{}\t{}\t{}\t{examples}",
            clean(&specs[i].id),
            clean(&display_path(root, &specs[i].path)),
            r.outcome.label(),
            r.seconds,
            r.peak_mb(),
            r.operations.map_or(String::new(), |n| n.to_string()),
            r.types.map_or(String::new(), |n| n.to_string()),
            r.warnings.len(),
            clean(&r.first_error(opts.timeout))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_down() {
        assert_eq!(pct(21407, 21408), "99.9%");
        assert_eq!(pct(3, 3), "100.0%");
        assert_eq!(pct(1, 3), "33.3%");
        assert_eq!(pct(0, 0), "-");
    }

    #[test]
    fn percentiles_and_quoting() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(percentile(&v, 50.0), 5.0);
        assert_eq!(percentile(&v, 90.0), 9.0);
        assert_eq!(percentile(&v, 100.0), 10.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
        assert_eq!(shell_quote("a/b.json"), "a/b.json");
        assert_eq!(
            shell_quote("asteroids neows.json"),
            "'asteroids neows.json'"
        );
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
