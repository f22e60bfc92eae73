//! `cargo xtask bench`: the command line and the run, from the release build to the report.
//!
//! Generation: the seeds, Stripe, GitHub and Microsoft Graph (the largest spec
//! of the APIs.guru directory). Each run is one `oagen generate --timings`
//! subprocess into a fresh folder, measured with `wait4` (wall, CPU, peak
//! memory); the hidden `oagen floor` gives, in the same run, the time to read
//! and parse the same file into a `serde_json::Value` and into
//! `openapiv3::OpenAPI` (the parse floor). Runs alternate generation and
//! floor; the report gives medians. With more than one run, an untimed
//! warm-up run comes first (it also gives the counts and line numbers).
//!
//! `--compile`: the cold build of the generated GitHub crate's own code, its
//! dependencies already built, for models only, models + client, and models +
//! client + server. `--compare` adds OpenAPI Generator's `rust` client for
//! the same spec, built the same way.
//!
//! The report is `target/bench/report.md`; the summary table is also printed.

mod baseline;
mod cargo;
mod compile;
mod format;
mod generation;
mod machine;
mod openapi_generator;
mod report;
mod streaming;
mod transfer;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::release;

use baseline::{builds_table, generation_table, Rows};
use cargo::Builder;
use compile::{compile_github, CompileReport};
use format::size;
use generation::{bench_spec, bench_specs};
use machine::Machine;
use report::{compare_table, compile_table, report_md, summary_table, Row};

const USAGE: &str =
    "usage: cargo xtask bench [--runs N] [--only SUBSTRING]... [--compile] [--compare] [--baseline REV] [--smoke] [--streaming] [--transfer]";

/// Runs per spec by default, and for specs over [`LARGE_BYTES`].
const DEFAULT_RUNS: usize = 5;

const LARGE_RUNS: usize = 3;

const LARGE_BYTES: u64 = 10 << 20;

/// The command line of `cargo xtask bench`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Options {
    /// `--runs N`: runs per spec (default: [`DEFAULT_RUNS`], or [`LARGE_RUNS`]
    /// over [`LARGE_BYTES`]).
    runs: Option<usize>,
    /// Only specs whose id contains one of these.
    only: Vec<String>,
    /// Time the build of the generated GitHub crate.
    compile: bool,
    /// Also OpenAPI Generator's `rust` client (implies `compile`).
    compare: bool,
    /// One run of the seeds and GitHub: the CI smoke test.
    smoke: bool,
    /// `--baseline REV`: the same runs and builds with the `oagen` of git
    /// revision REV, and the ratios.
    baseline: Option<String>,
    /// Only the streaming section (`streaming.rs`), which a run selecting no specs has too.
    streaming: bool,
    /// `--transfer`: only the transfer section (`transfer.rs`: binary uploads and
    /// downloads between the generated client and server, streamed and buffered;
    /// 1 GB, 64 MB with `--smoke`), which a run selecting no specs has too.
    transfer: bool,
}

impl Options {
    /// The runs for a spec of `bytes`.
    fn runs_for(&self, bytes: u64) -> usize {
        match self.runs {
            Some(n) => n,
            None if self.smoke => 1,
            None if bytes > LARGE_BYTES => LARGE_RUNS,
            None => DEFAULT_RUNS,
        }
    }

    /// The command line back, for the report.
    fn command(&self) -> String {
        let mut c = String::from("cargo xtask bench");
        if let Some(n) = self.runs {
            let _ = write!(c, " --runs {n}");
        }
        for o in &self.only {
            let _ = write!(c, " --only {o}");
        }
        if self.smoke {
            c.push_str(" --smoke");
        }
        if self.streaming {
            c.push_str(" --streaming");
        }
        if self.compare {
            c.push_str(" --compare");
        } else if self.compile {
            c.push_str(" --compile");
        }
        if self.transfer {
            c.push_str(" --transfer");
        }
        if let Some(rev) = &self.baseline {
            let _ = write!(c, " --baseline {rev}");
        }
        c
    }
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                let v = it.next().ok_or("--runs needs a value")?;
                match v.parse::<usize>() {
                    Ok(n) if n >= 1 => o.runs = Some(n),
                    _ => return Err(format!("--runs needs a whole number from 1, not `{v}`")),
                }
            }
            "--only" => o
                .only
                .push(it.next().ok_or("--only needs a value")?.clone()),
            "--compile" => o.compile = true,
            "--compare" => {
                o.compare = true;
                o.compile = true;
            }
            "--smoke" => o.smoke = true,
            "--streaming" => o.streaming = true,
            "--transfer" => o.transfer = true,
            "--baseline" => {
                o.baseline = Some(it.next().ok_or("--baseline needs a revision")?.clone());
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.smoke && (o.compile || o.runs.is_some() || o.baseline.is_some()) {
        return Err(
            "--smoke is one run of generation only: no --runs, --compile, --compare or --baseline"
                .into(),
        );
    }
    Ok(o)
}

/// `cargo xtask bench ARGS`.
pub fn bench(root: &Path, args: &[String]) -> ExitCode {
    crate::task(args, USAGE, parse_args, |opts| run(root, opts))
}

/// The folders of a run, under `target/bench/`.
struct Dirs {
    out: PathBuf,
    bin: PathBuf,
}

impl Dirs {
    fn sub(&self, name: &str) -> PathBuf {
        self.out.join(name)
    }
}

/// Measures one spec with `dirs.bin` and removes its crate: the row, and
/// whether it generated.
fn measure_spec(dirs: &Dirs, spec: &generation::Spec, runs: usize) -> (Row, bool) {
    let result = bench_spec(dirs, spec, runs);
    if let Some(e) = &result.error {
        eprintln!("    {e}");
    }
    let _ = fs::remove_dir_all(dirs.sub("crates").join(&spec.name));
    (Row::of(spec, &result), !result.samples.is_empty())
}

/// Runs everything; `Ok(false)` when a spec failed to generate or a build of
/// oagen's crate failed.
fn run(root: &Path, opts: &Options) -> Result<bool, String> {
    let (specs, mut notes) = match (opts.streaming || opts.transfer) && opts.only.is_empty() {
        true => (Vec::new(), Vec::new()),
        false => bench_specs(root, opts),
    };
    if specs.is_empty() && !opts.compile && !opts.streaming && !opts.transfer {
        return Err(format!(
            "no spec matches the selection{}",
            notes.iter().map(|n| format!("\n  {n}")).collect::<String>()
        ));
    }
    let version = release::source_version(root);
    let machine = Machine::now();
    let cargo = release::cargo();
    let out = release::target_dir(root).join("bench");
    crate::fresh_dirs(&out, &["crates", "timings", "logs", "bin"])?;
    let bin = out.join("bin/oagen");
    if !specs.is_empty() || opts.compile {
        release::build(root, &bin)?;
    }
    // The baseline's runs write their crates and logs apart, into `baseline-run/`.
    let baseline = match &opts.baseline {
        Some(rev) => {
            let (bin, version) = release::at_revision(root, rev, &out)?;
            let run = out.join("baseline-run");
            crate::fresh_dirs(&run, &["crates", "timings", "logs", "compile"])?;
            Some((Dirs { out: run, bin }, version))
        }
        None => None,
    };
    let dirs = Dirs { out, bin };

    let mut rows = Vec::new();
    let mut base = baseline.as_ref().map(|(_, version)| Rows {
        version: version.clone(),
        rows: Vec::new(),
    });
    let mut ok = true;
    for spec in &specs {
        let runs = opts.runs_for(spec.bytes);
        eprintln!(
            "==> {} ({}): {runs} run(s){}",
            spec.id,
            size(spec.bytes),
            if runs > 1 { " after a warm-up" } else { "" }
        );
        let (row, generated) = measure_spec(&dirs, spec, runs);
        ok &= generated;
        rows.push(row);
        // The baseline right after, in the same conditions; its failure (an
        // older oagen) is the baseline's, not this run's.
        if let (Some((bdirs, version)), Some(base)) = (&baseline, base.as_mut()) {
            eprintln!("    baseline ({version}):");
            base.rows.push(measure_spec(bdirs, spec, runs).0);
        }
    }

    let write_report = |notes: &[String], compile: Option<&CompileReport>, machine_end: &str| {
        let md = report_md(
            opts,
            &version,
            &machine,
            machine_end,
            &rows,
            base.as_ref(),
            notes,
            compile,
        );
        let path = dirs.sub("report.md");
        fs::write(&path, md).map_err(|e| format!("{}: {e}", path.display()))
    };
    write_report(&notes, None, &Machine::load())?;

    let mut compile = None;
    if opts.compile {
        let github = root.join("../shared/corpus/github-rest.api.github.com.json");
        if github.is_file() {
            let target = dirs.sub("compile-target");
            let builder = Builder {
                cargo: &cargo,
                dirs: &dirs,
                target: &target,
            };
            let baseline = baseline.as_ref().map(|(d, v)| (d, v.as_str()));
            let c = compile_github(root, &builder, &github, opts.compare, baseline);
            ok &= c
                .builds
                .iter()
                .all(|b| b.measured.is_some_and(|m| m.success()));
            ok &= !c.builds.is_empty();
            compile = Some(c);
        } else {
            notes.push(format!("--compile skipped: {} is absent", github.display()));
            ok = false;
        }
        write_report(&notes, compile.as_ref(), &Machine::load())?;
    }

    // After the rest, appended to the report; `Some` when the run has it.
    let stream = streaming::wanted(opts).then(|| streaming::run(root, &dirs, opts));
    if let Some(s) = &stream {
        ok &= s.ok();
        let path = dirs.sub("report.md");
        let md = fs::read_to_string(&path).unwrap_or_default();
        let md = format!("{}\n{}", md.trim_end(), streaming::streaming_md(s));
        fs::write(&path, md).map_err(|e| format!("{}: {e}", path.display()))?;
    }

    if transfer::wanted(opts) {
        let bytes = if opts.smoke {
            transfer::SMOKE_BYTES
        } else {
            transfer::FULL_BYTES
        };
        let transfers = transfer::run(root, &dirs.sub("logs/transfer"), bytes)?;
        ok &= transfer::all_ok(&transfers);
        let section = transfer::section(&transfers);
        let path = dirs.sub("report.md");
        let md = fs::read_to_string(&path).unwrap_or_default() + &section;
        fs::write(&path, md).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("{section}");
    }

    if !rows.is_empty() {
        println!("{}", summary_table(&rows));
    }
    if let Some(base) = &base {
        println!("{}", generation_table(&rows, base));
    }
    if let Some(c) = &compile {
        println!("{}", compile_table(c));
        if let Some(b) = c.og.as_ref().and_then(|o| o.build.as_ref()) {
            println!("{}", compare_table(c, b));
        }
        if let Some(b) = &c.baseline {
            println!("{}", builds_table(c, b));
        }
    }
    match &stream {
        Some(s) if s.ok() => println!("{}", streaming::streaming_table(s)),
        Some(s) => eprintln!("    streaming: {}", s.error.as_deref().unwrap_or("no rows")),
        None => {}
    }
    eprintln!("==> report: {}", dirs.sub("report.md").display());
    Ok(ok && rows.iter().all(Row::generated))
}

/// Whitespace-separated arguments, for tests.
#[cfg(test)]
fn args(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        assert_eq!(parse_args(&[]).unwrap(), Options::default());
        let o = parse_args(&args("--runs 7 --only github --only seed/ --compile")).unwrap();
        assert_eq!(o.runs, Some(7));
        assert_eq!(o.only, vec!["github", "seed/"]);
        assert!(o.compile && !o.compare && !o.smoke);
        let o = parse_args(&args("--compare")).unwrap();
        assert!(o.compare && o.compile, "--compare implies --compile");
        assert!(parse_args(&args("--smoke")).unwrap().smoke);
        let o = parse_args(&args("--streaming")).unwrap();
        assert!(o.streaming && streaming::wanted(&o));
        assert_eq!(o.command(), "cargo xtask bench --streaming");
        assert!(streaming::wanted(&Options::default()), "a full run has it");
        assert!(!streaming::wanted(
            &parse_args(&args("--only github")).unwrap()
        ));
        let o = parse_args(&args("--smoke --transfer")).unwrap();
        assert!(o.smoke && o.transfer);
        assert_eq!(o.command(), "cargo xtask bench --smoke --transfer");
        assert!(transfer::wanted(&Options::default()), "a full run has it");
        assert!(!transfer::wanted(
            &parse_args(&args("--only github")).unwrap()
        ));
        let o = parse_args(&args("--compile --baseline HEAD~3")).unwrap();
        assert_eq!(o.baseline.as_deref(), Some("HEAD~3"));
        assert_eq!(o.command(), "cargo xtask bench --compile --baseline HEAD~3");
        for bad in [
            "--runs",
            "--runs 0",
            "--runs x",
            "--only",
            "--fast",
            "--smoke --compile",
            "--smoke --runs 2",
            "--baseline",
            "--smoke --baseline main",
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn runs_per_spec() {
        let o = Options::default();
        assert_eq!(o.runs_for(1000), DEFAULT_RUNS);
        assert_eq!(o.runs_for(LARGE_BYTES), DEFAULT_RUNS);
        assert_eq!(o.runs_for(LARGE_BYTES + 1), LARGE_RUNS);
        let o = parse_args(&args("--runs 2")).unwrap();
        assert_eq!(o.runs_for(50 << 20), 2);
        assert_eq!(parse_args(&args("--smoke")).unwrap().runs_for(50 << 20), 1);
        assert_eq!(
            parse_args(&args("--runs 2 --only x --compare"))
                .unwrap()
                .command(),
            "cargo xtask bench --runs 2 --only x --compare"
        );
    }
}
