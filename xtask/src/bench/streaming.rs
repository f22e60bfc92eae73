//! The streaming section of `cargo xtask bench`: builds `examples/stream-bench` in release, runs it, and tables its medians (generated client against the plain reqwest + serde_json floor, server-sent events and JSON lines).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::format::{ratio, secs, table, thousands};
use super::{Dirs, Options, DEFAULT_RUNS};

/// Items per stream in a full run, and in `--smoke`.
pub(super) const COUNT: u64 = 100_000;
pub(super) const SMOKE_COUNT: u64 = 5_000;

/// The benchmark's package and binary.
const PACKAGE: &str = "oagen-stream-bench";
const BIN: &str = "stream-bench";

/// Whether the run has the streaming section: `--streaming`, or a run that
/// selects no specs (a full run, `--smoke`).
pub(super) fn wanted(opts: &Options) -> bool {
    opts.streaming || opts.only.is_empty()
}

/// One row: one reader of one stream, its medians.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StreamRow {
    /// `generated` or `floor`.
    client: String,
    /// `sse` or `jsonl`.
    stream: String,
    items: u64,
    bytes: u64,
    wall: f64,
    /// The reader thread's CPU seconds.
    cpu: f64,
}

impl StreamRow {
    fn per_second(&self) -> f64 {
        self.items as f64 / self.wall.max(1e-12)
    }

    fn mb_per_second(&self) -> f64 {
        self.bytes as f64 / self.wall.max(1e-12) / 1e6
    }

    fn cpu_us_per_item(&self) -> f64 {
        self.cpu / self.items.max(1) as f64 * 1e6
    }
}

/// What the section reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Streaming {
    pub count: u64,
    pub rounds: usize,
    pub rows: Vec<StreamRow>,
    /// Seconds the release build took.
    pub build: Option<f64>,
    pub error: Option<String>,
}

impl Streaming {
    /// Whether it measured.
    pub(super) fn ok(&self) -> bool {
        self.error.is_none() && !self.rows.is_empty()
    }
}

/// Builds and runs the benchmark: `--smoke` is one round of
/// [`SMOKE_COUNT`], otherwise `--runs` (default [`DEFAULT_RUNS`]) rounds of
/// [`COUNT`].
pub(super) fn run(root: &Path, dirs: &Dirs, opts: &Options) -> Streaming {
    let (count, rounds) = if opts.smoke {
        (SMOKE_COUNT, 1)
    } else {
        (COUNT, opts.runs.unwrap_or(DEFAULT_RUNS))
    };
    let mut s = Streaming {
        count,
        rounds,
        ..Streaming::default()
    };
    eprintln!("==> streaming: building {PACKAGE} (release)");
    let log = dirs.sub("logs").join("stream-bench-build.log");
    let started = Instant::now();
    let built = fs::File::create(&log)
        .map_err(|e| format!("{}: {e}", log.display()))
        .and_then(|f| {
            Command::new(crate::release::cargo())
                .args(["build", "--release", "-p", PACKAGE, "--bin", BIN])
                .current_dir(root)
                .stdout(Stdio::null())
                .stderr(f)
                .status()
                .map_err(|e| format!("cargo: {e}"))
        });
    s.build = Some(started.elapsed().as_secs_f64());
    match built {
        Ok(status) if status.success() => {}
        Ok(status) => {
            s.error = Some(format!(
                "the build failed ({status}): see {}",
                log.display()
            ));
            return s;
        }
        Err(e) => {
            s.error = Some(e);
            return s;
        }
    }
    let bin = crate::release::target_dir(root).join("release").join(BIN);
    eprintln!("==> streaming: {rounds} round(s) of {count} events and {count} lines");
    let out = Command::new(&bin)
        .args([
            "--count",
            &count.to_string(),
            "--rounds",
            &rounds.to_string(),
        ])
        .stderr(Stdio::inherit())
        .output();
    match out {
        Ok(o) if o.status.success() => match parse(&String::from_utf8_lossy(&o.stdout)) {
            Ok(rows) => s.rows = rows,
            Err(e) => s.error = Some(format!("{BIN}'s output: {e}")),
        },
        Ok(o) => s.error = Some(format!("{BIN} failed ({})", o.status)),
        Err(e) => s.error = Some(format!("{}: {e}", bin.display())),
    }
    s
}

/// The rows of the benchmark's JSON output.
fn parse(text: &str) -> Result<Vec<StreamRow>, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let results = v["results"].as_array().ok_or("no `results` array")?;
    results
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().map(String::from).ok_or(format!("no `{k}`"));
            let int = |k: &str| r[k].as_u64().ok_or(format!("no `{k}`"));
            let num = |k: &str| r[k].as_f64().ok_or(format!("no `{k}`"));
            Ok(StreamRow {
                client: text("client")?,
                stream: text("stream")?,
                items: int("items")?,
                bytes: int("bytes")?,
                wall: num("median_wall_s")?,
                cpu: num("median_cpu_s")?,
            })
        })
        .collect()
}

/// The floor's row of `row`'s stream.
fn floor_of<'a>(rows: &'a [StreamRow], row: &StreamRow) -> Option<&'a StreamRow> {
    rows.iter()
        .find(|f| f.client == "floor" && f.stream == row.stream)
}

/// The table: per reader and stream, items, bytes, medians, and the ratios to
/// the floor of the same stream (throughput, and the reader's CPU time).
pub(super) fn streaming_table(s: &Streaming) -> String {
    let body: Vec<Vec<String>> = s
        .rows
        .iter()
        .map(|r| {
            let floor = floor_of(&s.rows, r);
            let stream = if r.stream == "sse" { "SSE" } else { "JSONL" };
            vec![
                format!("{} {stream}", r.client),
                thousands(r.items),
                thousands(r.bytes),
                secs(r.wall),
                thousands(r.per_second().round() as u64),
                format!("{:.1}", r.mb_per_second()),
                floor.map_or("-".into(), |f| ratio(r.per_second() / f.per_second())),
                format!("{:.2}", r.cpu_us_per_item()),
                floor.map_or("-".into(), |f| {
                    ratio(f.cpu_us_per_item() / r.cpu_us_per_item().max(1e-12))
                }),
            ]
        })
        .collect();
    table(
        &[
            "reader",
            "items",
            "bytes",
            "wall",
            "events/s",
            "MB/s",
            "ratio to the floor",
            "reader CPU µs/item",
            "ratio to the floor (CPU)",
        ],
        &[false, true, true, true, true, true, true, true, true],
        &body,
    )
}

/// The report's section.
pub(super) fn streaming_md(s: &Streaming) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "\n## Streaming throughput\n");
    let _ = writeln!(
        md,
        "`examples/stream-bench` (release), one process: the server generated from its \
         `specs/stream_bench.yaml` on loopback (its own runtime, one worker thread) sends \
         {} chat-completion chunks as server-sent events (ended by `[DONE]`) and {} records \
         as JSON lines, each a copy of one pre-built item. The readers run one at a time on \
         the main thread: the *generated* client (every item decoded into its generated type) \
         and the *floor*, plain `reqwest` reading `bytes_stream()`, splitting events and lines \
         by hand and `serde_json::from_slice` into a derived struct with the same fields. \
         {} timed round(s) after an untimed warm-up, alternating which reader goes first; \
         medians. Every read's count and sums (of `created` or `id`, and of a length) are \
         checked against what the server sent. *MB/s* is the body's bytes (10^6) over the wall \
         time; the wall time includes the server's encoding, the CPU columns count only the \
         reader's thread. The ratios are the generated client's throughput over the floor's \
         (above 1 is faster).\n",
        thousands(s.count),
        thousands(s.count),
        s.rounds
    );
    if let Some(b) = s.build {
        let _ = writeln!(
            md,
            "`cargo build --release -p {PACKAGE}` took {} (little when it was built).\n",
            secs(b)
        );
    }
    if let Some(e) = &s.error {
        let _ = writeln!(md, "Not measured: {e}");
        return md;
    }
    md.push_str(&streaming_table(s));
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = r#"{"count": 1000, "rounds": 3, "results": [
        {"client": "generated", "stream": "sse", "items": 1000, "bytes": 2000000, "median_wall_s": 0.5, "median_cpu_s": 0.2},
        {"client": "floor", "stream": "sse", "items": 1000, "bytes": 2000000, "median_wall_s": 0.25, "median_cpu_s": 0.1},
        {"client": "generated", "stream": "jsonl", "items": 1000, "bytes": 1000000, "median_wall_s": 1.0, "median_cpu_s": 0.3},
        {"client": "floor", "stream": "jsonl", "items": 1000, "bytes": 1000000, "median_wall_s": 1.0, "median_cpu_s": 0.6}
    ]}"#;

    #[test]
    fn rows_and_ratios_to_the_floor_of_the_same_stream() {
        let rows = parse(OUTPUT).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].per_second(), 2000.0);
        assert_eq!(rows[0].mb_per_second(), 4.0);
        let s = Streaming {
            count: 1000,
            rounds: 3,
            rows,
            build: None,
            error: None,
        };
        assert!(s.ok());
        let t = streaming_table(&s);
        let line = |name: &str| {
            t.lines()
                .find(|l| l.starts_with(&format!("| {name} ")))
                .unwrap_or_else(|| panic!("{name}: {t}"))
                .to_string()
        };
        // Half the floor's throughput; a quarter of the floor's CPU per item would be 2×.
        assert!(line("generated SSE").contains("0.50×"), "{t}");
        assert!(line("generated SSE").contains(" 2,000 |"), "{t}");
        assert!(line("floor SSE").contains("1.0×"), "{t}");
        assert!(line("generated JSONL").contains("2.0×"), "CPU ratio: {t}");
        assert!(streaming_md(&s).contains("## Streaming throughput"));
    }

    #[test]
    fn bad_output_is_an_error_and_not_measured() {
        assert!(parse("not json").is_err());
        assert!(parse(r#"{"results": [{"client": "floor"}]}"#).is_err());
        let s = Streaming {
            error: Some("the build failed".into()),
            ..Streaming::default()
        };
        assert!(!s.ok());
        assert!(streaming_md(&s).contains("Not measured: the build failed"));
    }
}
