//! `--compile` and `--slice`: the stratified sample of generated crates, each built with warnings denied, and its examples test run and judged.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::conformance::{self, ExampleReport};
use crate::measure::{measure, Exit, Measured};
use crate::release;

use super::generate::{last_line, Outcome, Record};
use super::report::clip;
use super::specs::{Rng, Source, Spec};

/// A generated crate gets this long to build in `--compile`.
const COMPILE_TIMEOUT: Duration = Duration::from_secs(1800);

/// A generated crate's examples test gets this long to run.
const EXAMPLES_TIMEOUT: Duration = Duration::from_secs(600);

/// The result of building one generated crate.
#[derive(Debug, Clone)]
pub(super) struct Build {
    pub spec: usize,
    pub passed: bool,
    pub seconds: f64,
    pub peak_kb: u64,
    pub errors: Vec<CompileError>,
    /// What went wrong when there is no compiler error to show.
    pub note: String,
    /// Example conformance (for crates that built): the report, or why there is none.
    pub examples: Option<Result<ExampleReport, String>>,
}

impl Build {
    /// The first compiler error (`E0412 cannot find type at src/x.rs:1`), else the note.
    pub(super) fn first_error(&self) -> String {
        self.errors
            .first()
            .map(|e| format!("{} {} at {}", e.code, e.message, e.at))
            .unwrap_or_else(|| self.note.clone())
    }

    /// Whether example conformance failed: a schema-valid example that does not
    /// decode and re-encode to valid JSON, or no judgement at all.
    pub(super) fn examples_failed(&self) -> bool {
        match &self.examples {
            Some(Ok(r)) => !r.failures.is_empty(),
            Some(Err(_)) => true,
            None => false,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct CompileError {
    /// The error code (`E0412`) or lint name (`unused_imports`), or `""`.
    pub code: String,
    pub message: String,
    /// `src/models.rs:12`.
    pub at: String,
}

/// Operation-count buckets for the compile sample. Larger directory crates are
/// not sampled: rustc needs about 7 GB for GitHub's 1,223 operations, and the
/// largest (Microsoft Graph, 22,361) would not build in this machine's memory.
pub(super) const BUCKETS: &[(u64, u64, &str)] = &[
    (0, 5, "0-5"),
    (6, 20, "6-20"),
    (21, 100, "21-100"),
    (101, 500, "101-500"),
    (501, 1500, "501-1500"),
];

/// The bucket of a crate with `operations` operations, if it has one.
pub(super) fn bucket_of(operations: u64) -> Option<usize> {
    BUCKETS
        .iter()
        .position(|&(lo, hi, _)| (lo..=hi).contains(&operations))
}

/// `n` generated crates to build: every generated GitHub/Stripe (shared) and fixture crate,
/// then directory crates taken in turn from each operation-count bucket.
pub(super) fn compile_sample(
    specs: &[Spec],
    records: &BTreeMap<usize, Record>,
    n: usize,
    seed: u64,
) -> BTreeSet<usize> {
    let generated = |i: &usize| records[i].outcome == Outcome::Generated;
    let mut sample: BTreeSet<usize> = records
        .keys()
        .filter(|i| generated(i) && matches!(specs[**i].source, Source::Shared | Source::Fixture))
        .copied()
        .collect();
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); BUCKETS.len()];
    for i in records.keys().filter(|i| generated(i)) {
        if specs[*i].source == Source::Directory {
            if let Some(b) = bucket_of(records[i].operations.unwrap_or(0)) {
                buckets[b].push(*i);
            }
        }
    }
    let mut rng = Rng(seed ^ 0xC0FF_EE00);
    for b in &mut buckets {
        rng.shuffle(b);
        // Pop from the end: reverse so that the first shuffled comes first.
        b.reverse();
    }
    while sample.len() < n && buckets.iter().any(|b| !b.is_empty()) {
        for b in &mut buckets {
            if sample.len() >= n {
                break;
            }
            if let Some(i) = b.pop() {
                sample.insert(i);
            }
        }
    }
    sample
}

/// Builds each crate of `sample` with `-D warnings` in one shared target folder,
/// then checks its examples (see [`conformance`]): the crate is generated again
/// with `--example-tests`, its examples test is run with `OAGEN_EXAMPLES_OUT`, and
/// what it reports is judged with the `jsonschema` crate.
#[allow(clippy::too_many_arguments)]
pub(super) fn compile_all(
    root: &Path,
    cargo: &str,
    bin: &Path,
    specs: &[Spec],
    records: &BTreeMap<usize, Record>,
    sample: &BTreeSet<usize>,
    out: &Path,
    keep: bool,
) -> Vec<Build> {
    let target = out.join("compile-target");
    let lock = root.join("Cargo.lock");
    let mut builds = Vec::new();
    // Smallest first: they share the dependencies' build, which the first one pays.
    let mut order: Vec<usize> = sample.iter().copied().collect();
    order.sort_by_key(|i| (records[i].operations.unwrap_or(0), *i));
    eprintln!(
        "==> compiling {} generated crates (cargo build --all-features, RUSTFLAGS=-D warnings, target {}), then their examples tests",
        order.len(),
        target.display()
    );
    let cargo_in = |dir: &Path, args: &[&str]| {
        let mut c = Command::new(cargo);
        c.args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            // One-shot builds: incremental state would only fill the disk.
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .stdin(Stdio::null());
        c
    };
    for (k, &i) in order.iter().enumerate() {
        let spec = &specs[i];
        let dir = out.join("crates").join(&spec.name);
        let mut build = Build {
            spec: i,
            passed: false,
            seconds: 0.0,
            peak_kb: 0,
            errors: Vec::new(),
            note: String::new(),
            examples: None,
        };
        // The same crate, with `tests/examples.rs`.
        let regenerated = release::generate(bin, &spec.path, &dir, &spec.name)
            .arg("--example-tests")
            .stderr(Stdio::null())
            .status();
        if !regenerated.is_ok_and(|s| s.success()) {
            build.note = "cannot generate the crate again with --example-tests".into();
            builds.push(build);
            continue;
        }
        if let Err(e) = fs::copy(&lock, dir.join("Cargo.lock")) {
            build.note = format!("cannot copy Cargo.lock: {e}");
            builds.push(build);
            continue;
        }
        let logs = out.join("logs");
        let messages = logs.join(format!("{}.build.json", spec.name));
        let stderr_log = logs.join(format!("{}.build.stderr", spec.name));
        match run_logged(
            cargo_in(&dir, &["build", "--all-features", "--message-format=json"]),
            &messages,
            &stderr_log,
            COMPILE_TIMEOUT,
        ) {
            Ok(m) => {
                build.seconds = m.wall;
                build.peak_kb = m.peak_kb;
                build.passed = m.success();
                build.errors = compiler_errors(&fs::read_to_string(&messages).unwrap_or_default());
                if !build.passed && build.errors.is_empty() {
                    build.note = exit_note(&m, COMPILE_TIMEOUT, &stderr_log);
                }
            }
            Err(e) => build.note = e,
        }
        if build.passed {
            let _ = fs::remove_file(&messages);
            let _ = fs::remove_file(&stderr_log);
            build.examples = Some(examples_of(spec, &dir, &logs, &cargo_in));
        }
        let examples = match &build.examples {
            Some(Ok(r)) => format!(
                "; examples: {} of {} schema-valid pass{}",
                r.passed,
                r.valid,
                r.failures
                    .first()
                    .map(|(p, why)| format!(" - FAILS at #{p}: {}", clip(why, 200)))
                    .unwrap_or_default()
            ),
            Some(Err(e)) => format!("; examples: NOT JUDGED: {e}"),
            None => String::new(),
        };
        eprintln!(
            "[{}/{}] {} {:>6.1}s {:>6.0}MB  {} ({} operations){examples}{}",
            k + 1,
            order.len(),
            if build.passed { "builds" } else { "FAILS " },
            build.seconds,
            build.peak_kb as f64 / 1024.0,
            spec.id,
            records[&i].operations.unwrap_or(0),
            build
                .errors
                .first()
                .map(|e| format!("\n    {}: {} ({})", e.code, e.message, e.at))
                .unwrap_or_default()
        );
        // The shared target keeps the dependencies; this crate's own artifacts
        // (hundreds of megabytes for the large ones) go.
        if !keep {
            let _ = cargo_in(&dir, &["clean", "-p", &spec.name])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        builds.push(build);
    }
    builds
}

/// Runs `cmd` with its stdout and stderr in the two files, at most `limit`.
fn run_logged(
    mut cmd: Command,
    stdout: &Path,
    stderr: &Path,
    limit: Duration,
) -> Result<Measured, String> {
    let files = fs::File::create(stdout).and_then(|o| Ok((o, fs::File::create(stderr)?)));
    let (o, e) = files.map_err(|e| format!("cannot create the logs: {e}"))?;
    measure(cmd.stdout(o).stderr(e), Some(limit))
}

/// Why a command that printed no compiler error failed.
fn exit_note(m: &Measured, limit: Duration, stderr_log: &Path) -> String {
    match m.exit {
        Exit::TimedOut => m.describe_exit(Some(limit)),
        _ => last_line(&fs::read_to_string(stderr_log).unwrap_or_default()),
    }
}

/// Builds and runs the examples test of the crate in `dir` (which built), and
/// judges what it reports.
fn examples_of(
    spec: &Spec,
    dir: &Path,
    logs: &Path,
    cargo_in: &dyn Fn(&Path, &[&str]) -> Command,
) -> Result<ExampleReport, String> {
    let (examples, doc) = conformance::load(&spec.path)?;
    let outcome_file = logs.join(format!("{}.examples.jsonl", spec.name));
    let _ = fs::remove_file(&outcome_file);
    let test_messages = logs.join(format!("{}.examples-build.json", spec.name));
    let test_stderr = logs.join(format!("{}.examples-build.stderr", spec.name));
    let run_out = logs.join(format!("{}.examples-run.stdout", spec.name));
    let run_err = logs.join(format!("{}.examples-run.stderr", spec.name));
    let ran: Result<(), String> = if !dir.join("tests/examples.rs").exists() {
        Ok(())
    } else {
        let args = [
            "test",
            "--all-features",
            "--test",
            "examples",
            "--no-run",
            "--message-format=json",
        ];
        match run_logged(
            cargo_in(dir, &args),
            &test_messages,
            &test_stderr,
            COMPILE_TIMEOUT,
        )? {
            m if m.success() => {
                let mut run = cargo_in(dir, &["test", "--all-features", "--test", "examples"]);
                run.env("OAGEN_EXAMPLES_OUT", &outcome_file);
                match run_logged(run, &run_out, &run_err, EXAMPLES_TIMEOUT)? {
                    // Failing tests exit with 101; the outcome file is what counts.
                    Measured {
                        exit: Exit::Code(0 | 101),
                        ..
                    } => Ok(()),
                    m => Err(format!(
                        "the examples test did not finish: {}",
                        exit_note(&m, EXAMPLES_TIMEOUT, &run_err)
                    )),
                }
            }
            m => {
                let errors =
                    compiler_errors(&fs::read_to_string(&test_messages).unwrap_or_default());
                Err(format!(
                    "the examples test does not build: {}",
                    errors
                        .first()
                        .map(|e| format!("{} {} at {}", e.code, e.message, e.at))
                        .unwrap_or_else(|| exit_note(&m, COMPILE_TIMEOUT, &test_stderr))
                ))
            }
        }
    };
    let text = fs::read_to_string(&outcome_file).unwrap_or_default();
    let outcomes = conformance::parse_outcomes(&text);
    let report = match &ran {
        Ok(()) => conformance::judge(&examples, &doc, Ok(&outcomes))?,
        Err(why) => conformance::judge(&examples, &doc, Err(why))?,
    };
    if report.failures.is_empty() {
        for f in [
            &outcome_file,
            &test_messages,
            &test_stderr,
            &run_out,
            &run_err,
        ] {
            let _ = fs::remove_file(f);
        }
    }
    if !report.notes.is_empty() {
        let notes = logs.join(format!("{}.examples-judged.tsv", spec.name));
        let _ = fs::write(notes, report.notes_tsv());
    }
    Ok(report)
}

/// The errors among cargo's JSON messages.
fn compiler_errors(json_lines: &str) -> Vec<CompileError> {
    let mut out = Vec::new();
    for line in json_lines.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["reason"] != "compiler-message" || v["message"]["level"] != "error" {
            continue;
        }
        let m = &v["message"];
        let message = m["message"].as_str().unwrap_or_default();
        if message.starts_with("aborting due to") {
            continue;
        }
        let at = m["spans"]
            .as_array()
            .and_then(|spans| {
                spans
                    .iter()
                    .find(|s| s["is_primary"] == true)
                    .or_else(|| spans.first())
            })
            .map(|s| {
                format!(
                    "{}:{}",
                    s["file_name"].as_str().unwrap_or_default(),
                    s["line_start"]
                )
            })
            .unwrap_or_default();
        let mut code = m["code"]["code"].as_str().unwrap_or_default().to_string();
        if code.is_empty() {
            // A denied lint names itself in a child note: "`#[deny(unused)]` ...".
            if let Some(lint) = m["children"].as_array().and_then(|c| {
                c.iter().find_map(|c| {
                    let t = c["message"].as_str()?;
                    let start = t.find("#[deny(")? + 7;
                    let end = t[start..].find(')')? + start;
                    Some(t[start..end].to_string())
                })
            }) {
                code = lint;
            }
        }
        out.push(CompileError {
            code,
            message: message.to_string(),
            at,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_sample_is_stratified_and_keeps_the_shared_specs() {
        let specs = Spec::directory_then_github(40);
        let records: BTreeMap<usize, Record> = (0..41)
            .map(|i| {
                (
                    i,
                    Record {
                        outcome: Outcome::Generated,
                        seconds: 0.0,
                        peak_kb: 0,
                        // 10 specs in each of the first four buckets.
                        operations: Some([1, 10, 50, 200][i % 4]),
                        types: Some(1),
                        warnings: Vec::new(),
                        errors: Vec::new(),
                    },
                )
            })
            .collect();
        let sample = compile_sample(&specs, &records, 9, 1);
        assert_eq!(sample.len(), 9);
        assert!(sample.contains(&40));
        let mut per_bucket = [0; 5];
        for i in sample.iter().filter(|&&i| i != 40) {
            per_bucket[bucket_of(records[i].operations.unwrap()).unwrap()] += 1;
        }
        assert_eq!(per_bucket, [2, 2, 2, 2, 0]);
        assert_eq!(sample, compile_sample(&specs, &records, 9, 1));
    }
}
