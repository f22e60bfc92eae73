//! Running `oagen generate` on every selected spec, a few at a time, and reading each outcome (generated, rejected, crashed, hung) from its exit, stderr and `--stats-json`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::measure::{measure, Exit};
use crate::release;

use super::specs::Spec;
use super::Options;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Outcome {
    Generated,
    Rejected,
    /// A panic (exit 101), a signal, or another unexpected exit; with what was seen.
    Crashed(String),
    Hung,
}

impl Outcome {
    pub(super) fn label(&self) -> &'static str {
        match self {
            Outcome::Generated => "generated",
            Outcome::Rejected => "rejected",
            Outcome::Crashed(_) => "crashed",
            Outcome::Hung => "hung",
        }
    }

    pub(super) fn is_bug(&self) -> bool {
        matches!(self, Outcome::Crashed(_) | Outcome::Hung)
    }
}

/// One diagnostic as `--stats-json` gives it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Diag {
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub(super) struct Record {
    pub outcome: Outcome,
    pub seconds: f64,
    pub peak_kb: u64,
    pub operations: Option<u64>,
    pub types: Option<u64>,
    pub warnings: Vec<Diag>,
    pub errors: Vec<Diag>,
}

impl Record {
    pub(super) fn peak_mb(&self) -> f64 {
        self.peak_kb as f64 / 1024.0
    }

    /// The first error, the crash or the hang, on one line.
    pub(super) fn first_error(&self, timeout: u64) -> String {
        match &self.outcome {
            Outcome::Generated => String::new(),
            Outcome::Rejected => self
                .errors
                .first()
                .map(|d| format!("{} at #{}", d.message, d.pointer))
                .unwrap_or_default(),
            Outcome::Crashed(what) => what.clone(),
            Outcome::Hung => format!(
                "no result within the time limit ({timeout} s, 3 s per MB for large specs; killed)"
            ),
        }
    }
}

/// Runs `order` on `opts.jobs` threads, printing progress; returns each spec's record.
pub(super) fn run_all(
    specs: &[Spec],
    order: &[usize],
    bin: &Path,
    out: &Path,
    opts: &Options,
    keep_crates: bool,
) -> BTreeMap<usize, Record> {
    let next = AtomicUsize::new(0);
    let records = Mutex::new(BTreeMap::new());
    let total = order.len();
    let width = total.to_string().len();
    std::thread::scope(|scope| {
        for _ in 0..opts.jobs.min(total) {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&i) = order.get(k) else { break };
                let spec = &specs[i];
                let record = generate_one(bin, spec, out, time_limit(opts.timeout, spec.bytes));
                if !keep_crates || record.outcome != Outcome::Generated {
                    let _ = fs::remove_dir_all(out.join("crates").join(&spec.name));
                }
                let mut map = records.lock().unwrap_or_else(|e| e.into_inner());
                map.insert(i, record.clone());
                let label = match &record.outcome {
                    Outcome::Generated => "ok",
                    Outcome::Rejected => "rejected",
                    Outcome::Crashed(_) => "CRASHED",
                    Outcome::Hung => "HUNG",
                };
                let mut line = format!(
                    "[{:>width$}/{total}] {label:<8} {:>6.2}s {:>6.0}MB  {}",
                    map.len(),
                    record.seconds,
                    record.peak_mb(),
                    spec.id
                );
                if record.outcome.is_bug() {
                    line.push_str(&format!("\n    {}", record.first_error(opts.timeout)));
                }
                eprintln!("{line}");
            });
        }
    });
    records.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The time a spec of `bytes` gets: `--timeout` seconds, or 3 s per MB for
/// the largest specs (Microsoft Graph beta is 47 MB and 22,000 operations:
/// its crate is 7 million lines, which take longer than a minute to format).
fn time_limit(timeout: u64, bytes: u64) -> u64 {
    timeout.max(bytes.div_ceil(1 << 20) * 3)
}

/// Runs `oagen generate` on one spec and records what happened.
fn generate_one(bin: &Path, spec: &Spec, out: &Path, timeout: u64) -> Record {
    let crate_dir = out.join("crates").join(&spec.name);
    let stats = out.join("stats").join(format!("{}.json", spec.name));
    let log = out.join("logs").join(format!("{}.stderr", spec.name));
    let _ = fs::remove_file(&stats);
    let mut record = Record {
        outcome: Outcome::Generated,
        seconds: 0.0,
        peak_kb: 0,
        operations: None,
        types: None,
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    let stderr = match fs::File::create(&log) {
        Ok(f) => f,
        Err(e) => {
            record.outcome =
                Outcome::Crashed(format!("harness: cannot create {}: {e}", log.display()));
            return record;
        }
    };
    let mut cmd = release::generate(bin, &spec.path, &crate_dir, &spec.name);
    cmd.arg("--stats-json").arg(&stats).stderr(stderr);
    let exit = match measure(&mut cmd, Some(Duration::from_secs(timeout))) {
        Ok(m) => {
            record.seconds = m.wall;
            record.peak_kb = m.peak_kb;
            m.exit
        }
        Err(e) => {
            record.outcome = Outcome::Crashed(format!("harness: {e}"));
            return record;
        }
    };
    let text = fs::read_to_string(&log).unwrap_or_default();
    if let Ok(json) = fs::read_to_string(&stats) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&json) {
            record.operations = v["operations"].as_u64();
            record.types = v["types"].as_u64();
            record.warnings = diags(&v["warnings"]);
            record.errors = diags(&v["errors"]);
        }
    }
    let _ = fs::remove_file(&stats);
    record.outcome = match exit {
        Exit::Code(0) => Outcome::Generated,
        Exit::Code(1) if !record.errors.is_empty() => Outcome::Rejected,
        Exit::Code(1) => match stderr_errors(&text) {
            errors if errors.is_empty() => Outcome::Crashed(format!(
                "exit code 1 without an error diagnostic: {}",
                last_line(&text)
            )),
            errors => {
                record.errors = errors;
                Outcome::Rejected
            }
        },
        Exit::Code(101) => Outcome::Crashed(panic_message(&text)),
        Exit::Code(n) => Outcome::Crashed(format!("exit code {n}: {}", last_line(&text))),
        Exit::Signal(s) => {
            let mut what = format!("killed by signal {s} ({})", signal_name(s));
            if text.contains("has overflowed its stack") {
                what.push_str(": stack overflow");
            } else if s == libc::SIGKILL {
                what.push_str(" (out of memory?)");
            }
            Outcome::Crashed(what)
        }
        Exit::TimedOut => Outcome::Hung,
    };
    if !record.outcome.is_bug() {
        let _ = fs::remove_file(&log);
    }
    record
}

fn diags(v: &serde_json::Value) -> Vec<Diag> {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .map(|d| Diag {
                    pointer: d["pointer"].as_str().unwrap_or_default().to_string(),
                    message: d["message"].as_str().unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `error: ...` diagnostics of `oagen`'s stderr, with their pointers.
fn stderr_errors(text: &str) -> Vec<Diag> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(message) = line.strip_prefix("error: ") {
            let pointer = lines
                .peek()
                .and_then(|l| l.rsplit_once(" at #"))
                .map(|(_, p)| p.replace("(document root)", ""))
                .unwrap_or_default();
            out.push(Diag {
                pointer,
                message: message.to_string(),
            });
        }
    }
    out
}

/// `thread 'main' panicked at src/x.rs:1:2:` and the message line after it.
fn panic_message(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    match lines.iter().position(|l| l.contains("panicked at")) {
        Some(i) => {
            let at = lines[i].trim_end_matches(':');
            match lines.get(i + 1) {
                Some(msg) => format!("panic: {msg} ({at})"),
                None => format!("panic ({at})"),
            }
        }
        None => format!("exit code 101: {}", last_line(text)),
    }
}

pub(super) fn last_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(no output)")
        .to_string()
}

fn signal_name(s: i32) -> &'static str {
    match s {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGTERM => "SIGTERM",
        _ => "signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_diagnostics_and_panics_are_read() {
        let text = "warning: w\n  --> f:1 at #/a\nerror: the document has no `info` object\n  --> /tmp/bad.yaml:1 at #(document root)\n  = hint: h\nerror: e2\n  --> f at #/paths\n2 error(s)\n";
        assert_eq!(
            stderr_errors(text),
            vec![
                Diag {
                    pointer: String::new(),
                    message: "the document has no `info` object".into()
                },
                Diag {
                    pointer: "/paths".into(),
                    message: "e2".into()
                }
            ]
        );
        let panic = "\nthread 'main' panicked at crates/oagen/src/x.rs:1:2:\nindex out of bounds\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_message(panic),
            "panic: index out of bounds (thread 'main' panicked at crates/oagen/src/x.rs:1:2)"
        );
    }
}
