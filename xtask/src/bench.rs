//! `cargo xtask bench`: how fast the release `oagen` generates, and how fast
//! what it generates compiles.
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

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use crate::corpus;
use crate::measure::{measure, Measured};

const USAGE: &str =
    "usage: cargo xtask bench [--runs N] [--only SUBSTRING]... [--compile] [--compare] [--smoke]";

/// Runs per spec by default, and for specs over [`LARGE_BYTES`].
const DEFAULT_RUNS: usize = 5;
const LARGE_RUNS: usize = 3;
const LARGE_BYTES: u64 = 10 << 20;

/// The phases `oagen generate --timings` reports, in pipeline order.
const PHASES: [&str; 7] = [
    "read",
    "parse",
    "normalise",
    "model",
    "emit",
    "format",
    "write",
];

/// OpenAPI Generator, pinned (PyPI; the wheel carries the jar).
const OPENAPI_GENERATOR: &str = "openapi-generator-cli==7.26.0";

/// The free memory (GiB) a build should find before it starts: the GitHub
/// crate with every feature peaks near 8 GB.
const BUILD_MEMORY_GB: f64 = 9.0;

/// The free disk (GiB) a build should find: the GitHub crate's debug build
/// writes several GB.
const BUILD_DISK_GB: f64 = 10.0;

/// A build gets this long.
const BUILD_LIMIT: Duration = Duration::from_secs(3600);

/// The crate name of the generated GitHub crate in `--compile`.
const GITHUB_CRATE: &str = "github";

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
        if self.compare {
            c.push_str(" --compare");
        } else if self.compile {
            c.push_str(" --compile");
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
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.smoke && (o.compile || o.runs.is_some()) {
        return Err(
            "--smoke is one run of generation only: no --runs, --compile or --compare".into(),
        );
    }
    Ok(o)
}

/// One spec to measure.
#[derive(Debug, Clone)]
struct Spec {
    /// `seed/<file>`, `shared/<file>` or `apis.guru/<path>`.
    id: String,
    path: PathBuf,
    bytes: u64,
    /// The crate name given to `oagen generate --name`.
    name: String,
}

const STRIPE: &str = "shared/stripe.spec3.yaml";
const GITHUB: &str = "shared/github-rest.api.github.com.json";
const GRAPH: &str = "apis.guru/microsoft.com/graph.json";

/// Whether `id` is selected: `--smoke` keeps the seeds and GitHub; `--only`
/// keeps ids containing one of its values.
fn selected(id: &str, opts: &Options) -> bool {
    if opts.smoke && !(id.starts_with("seed/") || id == GITHUB) {
        return false;
    }
    opts.only.is_empty() || opts.only.iter().any(|o| id.contains(o.as_str()))
}

/// The selected specs, and a note for each selected one that is missing.
fn bench_specs(root: &Path, opts: &Options) -> (Vec<Spec>, Vec<String>) {
    let mut candidates: Vec<(String, Option<PathBuf>, String)> = crate::specs(root)
        .into_iter()
        .map(|p| {
            let file = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let name = oagen::crate_name_for(&p);
            (format!("seed/{file}"), Some(p), name)
        })
        .collect();
    let shared = root.join("../shared/corpus");
    candidates.push((
        STRIPE.into(),
        Some(shared.join("stripe.spec3.yaml")),
        "stripe".into(),
    ));
    candidates.push((
        GITHUB.into(),
        Some(shared.join("github-rest.api.github.com.json")),
        GITHUB_CRATE.into(),
    ));
    candidates.push((GRAPH.into(), None, "microsoft_graph".into()));

    let mut specs = Vec::new();
    let mut notes = Vec::new();
    for (id, path, name) in candidates {
        if !selected(&id, opts) {
            continue;
        }
        let path = match path {
            Some(p) => p,
            None => match corpus::install_directory(root) {
                Ok(api) => api.join("microsoft.com/graph.json"),
                Err(e) => {
                    notes.push(format!(
                        "`{id}` skipped: the APIs.guru directory is not installed ({e})"
                    ));
                    continue;
                }
            },
        };
        match fs::metadata(&path) {
            Ok(m) => specs.push(Spec {
                id,
                path,
                bytes: m.len(),
                name,
            }),
            Err(e) => notes.push(format!("`{id}` skipped: {}: {e}", path.display())),
        }
    }
    (specs, notes)
}

/// One timed generation.
#[derive(Debug, Clone, Default, PartialEq)]
struct Sample {
    wall: f64,
    cpu: f64,
    peak_kb: u64,
    /// Seconds per phase, from `--timings`.
    phases: BTreeMap<String, f64>,
}

/// One `oagen floor`: seconds to a JSON value, and to `openapiv3::OpenAPI`
/// (`None` when the document does not deserialise into it).
type Floor = (f64, Option<f64>);

/// Everything measured for one spec.
#[derive(Debug, Clone, Default)]
struct SpecRun {
    operations: Option<u64>,
    types: Option<u64>,
    /// Lines of the generated Rust files.
    lines: Option<u64>,
    samples: Vec<Sample>,
    floors: Vec<Floor>,
    /// Why the spec has no result (or no floor).
    error: Option<String>,
}

/// The median; the mean of the two middle values for an even count.
fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// One line of the report's tables: the medians of one spec.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: String,
    bytes: u64,
    operations: Option<u64>,
    lines: Option<u64>,
    runs: usize,
    /// Median seconds per phase reported, in [`PHASES`] order then any other.
    phases: Vec<(String, f64)>,
    total: Option<f64>,
    cpu: Option<f64>,
    peak_mb: Option<f64>,
    floor_value: Option<f64>,
    floor_openapi: Option<f64>,
    error: Option<String>,
}

impl Row {
    fn of(spec: &Spec, run: &SpecRun) -> Row {
        let col = |f: &dyn Fn(&Sample) -> f64| -> Option<f64> {
            median(&run.samples.iter().map(f).collect::<Vec<_>>())
        };
        // The phases some run reported: pipeline order, then any other.
        let mut names: Vec<String> = PHASES
            .iter()
            .map(|p| p.to_string())
            .filter(|p| run.samples.iter().any(|s| s.phases.contains_key(p)))
            .collect();
        for s in &run.samples {
            for p in s.phases.keys() {
                if !names.contains(p) {
                    names.push(p.clone());
                }
            }
        }
        let phases = names
            .into_iter()
            .map(|p| {
                let v = col(&|s| s.phases.get(&p).copied().unwrap_or(0.0)).unwrap_or(0.0);
                (p, v)
            })
            .collect();
        let openapi: Vec<f64> = run.floors.iter().filter_map(|f| f.1).collect();
        Row {
            id: spec.id.clone(),
            bytes: spec.bytes,
            operations: run.operations,
            lines: run.lines,
            runs: run.samples.len(),
            phases,
            total: col(&|s| s.wall),
            cpu: col(&|s| s.cpu),
            peak_mb: col(&|s| s.peak_kb as f64 / 1024.0),
            floor_value: median(&run.floors.iter().map(|f| f.0).collect::<Vec<_>>()),
            floor_openapi: median(&openapi),
            error: run.error.clone(),
        }
    }

    fn ratio(&self, floor: Option<f64>) -> Option<f64> {
        match (self.total, floor) {
            (Some(t), Some(f)) if f > 0.0 => Some(t / f),
            _ => None,
        }
    }
}

/// Seconds for a table: `12.3 s`, `1.23 s`, `45.6 ms`, `0.41 ms`.
fn secs(s: f64) -> String {
    if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.001 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{:.2} ms", s * 1000.0)
    }
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "-".into(), f)
}

/// Bytes as `20.3 MB` or `12.4 KB` (binary units).
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string().into_bytes();
    let groups: Vec<&str> = digits
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).unwrap_or_default())
        .collect();
    groups.join(",")
}

fn ratio(r: f64) -> String {
    if r < 1.0 {
        format!("{r:.2}×")
    } else {
        format!("{r:.1}×")
    }
}

/// A Markdown table with padded columns; `right[i]` right-aligns column `i`.
fn table(header: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
            .chain([header[i].chars().count(), 3])
            .max()
            .unwrap_or(3)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: Vec<String>| {
        let mut s = String::from("|");
        for (i, c) in cells.iter().enumerate() {
            let w = widths[i];
            if right.get(i).copied().unwrap_or(false) {
                let _ = write!(s, " {c:>w$} |");
            } else {
                let _ = write!(s, " {c:<w$} |");
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    out.push('|');
    for (i, w) in widths.iter().enumerate() {
        if right.get(i).copied().unwrap_or(false) {
            let _ = write!(out, " {}: |", "-".repeat(w - 1));
        } else {
            let _ = write!(out, " {} |", "-".repeat(*w));
        }
    }
    out.push('\n');
    for r in rows {
        let mut cells = r.clone();
        cells.resize(header.len(), String::new());
        out.push_str(&line(cells));
    }
    out
}

/// The summary: per spec, the counts, the medians, the floors and the ratios.
fn summary_table(rows: &[Row]) -> String {
    let header = [
        "spec",
        "size",
        "operations",
        "lines",
        "runs",
        "total",
        "CPU",
        "peak MB",
        "floor: Value",
        "floor: openapiv3",
        "total / openapiv3 floor",
        "total / Value floor",
    ];
    let mut right = [true; 12];
    right[0] = false;
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                format!("`{}`", r.id),
                size(r.bytes),
                r.operations.map_or("-".into(), thousands),
                r.lines.map_or("-".into(), thousands),
                r.runs.to_string(),
                opt(r.total, secs),
                opt(r.cpu, secs),
                opt(r.peak_mb, |m| format!("{m:.0}")),
                opt(r.floor_value, secs),
                opt(r.floor_openapi, secs),
                opt(r.ratio(r.floor_openapi), ratio),
                opt(r.ratio(r.floor_value), ratio),
            ];
            if r.total.is_none() {
                cells[5] = "failed".into();
            }
            cells
        })
        .collect();
    table(&header, &right, &body)
}

/// Median seconds per phase; `other` is the total wall time the phases do
/// not cover (process start, dropping the model, exit).
fn phase_table(rows: &[Row]) -> String {
    let mut names: Vec<String> = PHASES.iter().map(|p| p.to_string()).collect();
    for r in rows {
        for (p, _) in &r.phases {
            if !names.contains(p) {
                names.push(p.clone());
            }
        }
    }
    let mut header: Vec<&str> = vec!["spec"];
    header.extend(names.iter().map(String::as_str));
    header.extend(["sum of phases", "other", "total"]);
    let mut right = vec![true; header.len()];
    right[0] = false;
    let body: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| r.total.is_some())
        .map(|r| {
            let mut cells = vec![format!("`{}`", r.id)];
            let mut sum = 0.0;
            for n in &names {
                let v = r.phases.iter().find(|(p, _)| p == n).map(|(_, v)| *v);
                sum += v.unwrap_or(0.0);
                cells.push(opt(v, secs));
            }
            cells.push(secs(sum));
            cells.push(opt(r.total.map(|t| (t - sum).max(0.0)), secs));
            cells.push(opt(r.total, secs));
            cells
        })
        .collect();
    table(&header, &right, &body)
}

/// `cargo xtask bench ARGS`.
pub fn bench(root: &Path, args: &[String]) -> ExitCode {
    let opts = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(root, &opts) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
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

/// Runs everything; `Ok(false)` when a spec failed to generate or a build of
/// oagen's crate failed.
fn run(root: &Path, opts: &Options) -> Result<bool, String> {
    let (specs, mut notes) = bench_specs(root, opts);
    if specs.is_empty() && !opts.compile {
        return Err(format!(
            "no spec matches the selection{}",
            notes.iter().map(|n| format!("\n  {n}")).collect::<String>()
        ));
    }
    let version = corpus::source_version(root);
    let machine = Machine::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("==> building the release oagen: cargo build --release -p oagen-cli");
    crate::run(
        Command::new(&cargo)
            .args(["build", "--release", "-p", "oagen-cli"])
            .current_dir(root),
    )?;
    let target = corpus::target_dir(root);
    let out = target.join("bench");
    for sub in ["crates", "timings", "logs", "bin"] {
        let dir = out.join(sub);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // A copy, so that a concurrent `cargo build --release` cannot swap the
    // binary in the middle of the run.
    let bin = out.join("bin/oagen");
    fs::copy(target.join("release/oagen"), &bin).map_err(|e| format!("copying oagen: {e}"))?;
    let dirs = Dirs { out, bin };

    let mut rows = Vec::new();
    let mut ok = true;
    for spec in &specs {
        let runs = opts.runs_for(spec.bytes);
        eprintln!(
            "==> {} ({}): {runs} run(s){}",
            spec.id,
            size(spec.bytes),
            if runs > 1 { " after a warm-up" } else { "" }
        );
        let result = bench_spec(&dirs, spec, runs);
        if let Some(e) = &result.error {
            eprintln!("    {e}");
            if result.samples.is_empty() {
                ok = false;
            }
        }
        rows.push(Row::of(spec, &result));
        let _ = fs::remove_dir_all(dirs.sub("crates").join(&spec.name));
    }

    let write_report = |notes: &[String], compile: Option<&CompileReport>, machine_end: &str| {
        let md = report_md(opts, &version, &machine, machine_end, &rows, notes, compile);
        let path = dirs.sub("report.md");
        fs::write(&path, md).map_err(|e| format!("{}: {e}", path.display()))
    };
    write_report(&notes, None, &Machine::load())?;

    let mut compile = None;
    if opts.compile {
        let github = root.join("../shared/corpus/github-rest.api.github.com.json");
        if github.is_file() {
            let c = compile_github(root, &cargo, &dirs, &github, opts.compare);
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

    println!("{}", summary_table(&rows));
    if let Some(c) = &compile {
        println!("{}", compile_table(c));
        if let Some(b) = c.og.as_ref().and_then(|o| o.build.as_ref()) {
            println!("{}", compare_table(c, b));
        }
    }
    eprintln!("==> report: {}", dirs.sub("report.md").display());
    Ok(ok && rows.iter().all(|r| r.total.is_some()))
}

/// Measures one spec: a first run that also gives the counts (untimed
/// warm-up when `runs > 1`), then `runs` times a floor and a generation.
fn bench_spec(dirs: &Dirs, spec: &Spec, runs: usize) -> SpecRun {
    let mut result = SpecRun::default();
    let warm_up = runs > 1;
    let limit = Duration::from_secs(300 + 30 * spec.bytes.div_ceil(1 << 20));
    let crate_dir = dirs.sub("crates").join(&spec.name);
    let stats = dirs
        .sub("timings")
        .join(format!("{}.stats.json", spec.name));
    let first = generate(dirs, spec, &crate_dir, Some(&stats), limit);
    let first = match first {
        Ok(s) => s,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    eprintln!(
        "    {}",
        progress(if warm_up { "warm-up" } else { "run 1" }, &first)
    );
    if let Ok(v) = fs::read_to_string(&stats)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string()))
    {
        result.operations = v["operations"].as_u64();
        result.types = v["types"].as_u64();
    }
    result.lines = Some(
        line_counts(&crate_dir)
            .iter()
            .filter(|(p, _)| p.ends_with(".rs"))
            .map(|(_, n)| n)
            .sum(),
    );
    if !warm_up {
        result.samples.push(first);
    }
    for k in 0..runs {
        match floor(dirs, spec) {
            Ok(f) => result.floors.push(f),
            Err(e) => result.error = Some(format!("oagen floor: {e}")),
        }
        if warm_up || k > 0 {
            match generate(dirs, spec, &crate_dir, None, limit) {
                Ok(s) => {
                    eprintln!("    {}", progress(&format!("run {}", k + 1), &s));
                    result.samples.push(s);
                }
                Err(e) => {
                    result.error = Some(e);
                    result.samples.clear();
                    return result;
                }
            }
        }
    }
    result
}

fn progress(label: &str, s: &Sample) -> String {
    format!(
        "{label:<8} {:>9} wall {:>9} CPU {:>6.0} MB",
        secs(s.wall),
        secs(s.cpu),
        s.peak_kb as f64 / 1024.0
    )
}

/// One `oagen generate` into a fresh `crate_dir`, measured.
fn generate(
    dirs: &Dirs,
    spec: &Spec,
    crate_dir: &Path,
    stats: Option<&Path>,
    limit: Duration,
) -> Result<Sample, String> {
    let _ = fs::remove_dir_all(crate_dir);
    let timings = dirs.sub("timings").join(format!("{}.json", spec.name));
    let _ = fs::remove_file(&timings);
    let log = dirs.sub("logs").join(format!("{}.stderr", spec.name));
    let stderr = fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut cmd = Command::new(&dirs.bin);
    cmd.arg("generate")
        .arg(&spec.path)
        .arg("--out")
        .arg(crate_dir)
        .arg("--name")
        .arg(&spec.name)
        .arg("--timings")
        .arg(&timings)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    if let Some(s) = stats {
        cmd.arg("--stats-json").arg(s);
    }
    let m = measure(&mut cmd, Some(limit))?;
    if !m.success() {
        let text = fs::read_to_string(&log).unwrap_or_default();
        let last = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!(
            "oagen generate failed ({}): {last} (log: {})",
            m.describe_exit(Some(limit)),
            log.display()
        ));
    }
    let text = fs::read_to_string(&timings).map_err(|e| format!("{}: {e}", timings.display()))?;
    Ok(Sample {
        wall: m.wall,
        cpu: m.cpu,
        peak_kb: m.peak_kb,
        phases: parse_timings(&text)?,
    })
}

/// The `--timings` document: `{"read":0.01,"parse":0.2,...}`.
fn parse_timings(text: &str) -> Result<BTreeMap<String, f64>, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("timings: {e}"))?;
    let obj = v.as_object().ok_or("timings: not an object")?;
    obj.iter()
        .map(|(k, v)| {
            v.as_f64()
                .map(|s| (k.clone(), s))
                .ok_or_else(|| format!("timings: `{k}` is not a number"))
        })
        .collect()
}

/// One `oagen floor`.
fn floor(dirs: &Dirs, spec: &Spec) -> Result<Floor, String> {
    let out = Command::new(&dirs.bin)
        .arg("floor")
        .arg(&spec.path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    parse_floor(&String::from_utf8_lossy(&out.stdout))
}

/// `{"value":s,"openapiv3":s|null}`.
fn parse_floor(text: &str) -> Result<Floor, String> {
    let v: serde_json::Value = serde_json::from_str(text.trim()).map_err(|e| e.to_string())?;
    let value = v["value"].as_f64().ok_or("no `value`")?;
    Ok((value, v["openapiv3"].as_f64()))
}

/// Lines per file under `dir` (paths relative to it, `/`-separated), sorted.
fn line_counts(dir: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = fs::read(&p) {
                let rel = p.strip_prefix(dir).unwrap_or(&p);
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, count_lines(&bytes)));
            }
        }
    }
    out.sort();
    out
}

/// Lines of a text: newlines, plus one for a last line without its newline.
fn count_lines(bytes: &[u8]) -> u64 {
    let n = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    n + u64::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

/// The machine, for the report.
struct Machine {
    cpus: String,
    cpu_model: String,
    memory: String,
    kernel: String,
    date: String,
    load: String,
}

impl Machine {
    fn now() -> Machine {
        let cmd = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_else(|| "?".into())
        };
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
            .unwrap_or_else(|| "?".into());
        let memory = meminfo_kb("MemTotal")
            .map(|kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0))
            .unwrap_or_else(|| "?".into());
        Machine {
            cpus: cmd("nproc", &[]),
            cpu_model,
            memory,
            kernel: cmd("uname", &["-srm"]),
            date: cmd("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            load: Machine::load(),
        }
    }

    /// The load averages (1, 5, 15 minutes).
    fn load() -> String {
        fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "?".into())
    }
}

/// A field of `/proc/meminfo` in KiB.
fn meminfo_kb(field: &str) -> Option<u64> {
    let text = fs::read_to_string("/proc/meminfo").ok()?;
    text.lines().find_map(|l| {
        let rest = l.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// Free space (GiB) on the file system of `path`, for unprivileged users.
fn disk_free_gb(path: &Path) -> Option<f64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs is plain data; all zeroes is a valid value.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid C string and `st` a valid out pointer for the call.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as f64 * st.f_frsize as f64 / f64::from(1u32 << 30))
}

/// What is short before a build: `memory 5.1 of 9 GiB`, `disk 3.0 of 10 GiB`.
fn shortages(memory: Option<f64>, disk: Option<f64>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = memory.filter(|&m| m < BUILD_MEMORY_GB) {
        out.push(format!("memory {m:.1} of {BUILD_MEMORY_GB:.0} GiB"));
    }
    if let Some(d) = disk.filter(|&d| d < BUILD_DISK_GB) {
        out.push(format!("disk {d:.1} of {BUILD_DISK_GB:.0} GiB"));
    }
    out
}

/// Waits (up to 20 minutes) until [`BUILD_MEMORY_GB`] of memory and
/// [`BUILD_DISK_GB`] of disk (where `dir` is) are free, so that a big build
/// does not run alongside other big jobs. Returns a note when it had to wait
/// or gave up waiting.
fn wait_for_room(dir: &Path) -> Option<String> {
    let start = std::time::Instant::now();
    let mut waited = false;
    loop {
        let memory = meminfo_kb("MemAvailable").map(|kb| kb as f64 / 1024.0 / 1024.0);
        let short = shortages(memory, disk_free_gb(dir));
        if short.is_empty() {
            return waited.then(|| {
                format!(
                    "waited {:.0} s for free memory and disk",
                    start.elapsed().as_secs_f64()
                )
            });
        }
        if start.elapsed() > Duration::from_secs(1200) {
            return Some(format!(
                "started short of room ({}; gave up waiting after 20 min)",
                short.join(", ")
            ));
        }
        if !waited {
            eprintln!("    waiting for room: {} free", short.join(", "));
        }
        waited = true;
        std::thread::sleep(Duration::from_secs(15));
    }
}

/// `failed (exit code 101: the disk was full ...); see LOG`.
fn failure_note(dirs: &Dirs, log: &str, m: &Measured) -> String {
    let path = dirs.sub("logs").join(format!("{log}.stderr"));
    let why = build_failure(&fs::read_to_string(&path).unwrap_or_default())
        .map(|w| format!(": {w}"))
        .unwrap_or_default();
    format!(
        "failed ({}{why}); see {}",
        m.describe_exit(Some(BUILD_LIMIT)),
        path.display()
    )
}

/// Why a build failed, from its log: the disk full, else the first error.
fn build_failure(log: &str) -> Option<String> {
    if log.contains("No space left on device") {
        return Some("the disk was full (`No space left on device`)".into());
    }
    log.lines()
        .find(|l| l.starts_with("error"))
        .map(|l| format!("`{}`", l.replace('`', "'")))
}

/// One timed build.
#[derive(Debug, Clone)]
struct BuildRun {
    /// `models + operations`, `+ client`, ...
    label: String,
    /// The cargo arguments after `build`.
    args: Vec<String>,
    /// Lines of the Rust code this configuration compiles.
    lines: u64,
    measured: Option<Measured>,
    /// Dependencies the timed build compiled too (then it was timed again).
    note: String,
}

/// `--compile` (and `--compare`).
#[derive(Debug, Clone, Default)]
struct CompileReport {
    /// Lines per generated file.
    files: Vec<(String, u64)>,
    generate: Option<Measured>,
    warm: Option<Measured>,
    builds: Vec<BuildRun>,
    og: Option<OgReport>,
    notes: Vec<String>,
}

/// OpenAPI Generator's side of `--compare`.
#[derive(Debug, Clone, Default)]
struct OgReport {
    generate: Option<Measured>,
    /// Lines per generated Rust file.
    files: Vec<(String, u64)>,
    build: Option<BuildRun>,
    notes: Vec<String>,
}

/// The configurations of the generated crate: label and cargo features.
const CONFIGS: [(&str, Option<&str>); 3] = [
    ("models + operations", None),
    ("models + operations + client", Some("client")),
    (
        "models + operations + client + server",
        Some("client,server"),
    ),
];

/// The per-tag configuration: two of GitHub's tags, client and server, with the
/// other tags' features (on by default) off.
const TWO_TAGS: (&str, &str) = (
    "two tags (`repos`, `issues`): client + server",
    "client,server,repos,issues",
);

/// The same configuration as the last of [`CONFIGS`], generated with
/// `--split-models` (the types in crates of their own) into this folder.
const SPLIT: (&str, &str) = (
    "models + operations + client + server, the types in crates of their own (`--split-models`)",
    "client,server",
);
const SPLIT_DIR: &str = "github-split";

/// The label of [`TWO_TAGS`] built from the `--split-models` crates.
const SPLIT_TWO_TAGS: &str = "two tags (`repos`, `issues`): client + server, `--split-models`";

/// The timed build of [`TWO_TAGS`]' features (default features off) in `dir`,
/// labelled `label`. Its files are those of the whole crate, most of their
/// items compiled out, so no line count is given.
fn two_tags_build(
    cargo: &str,
    dirs: &Dirs,
    dir: &Path,
    target: &Path,
    packages: &[&str],
    label: &str,
    log: &str,
) -> BuildRun {
    let args = vec![
        "--no-default-features".to_string(),
        "--features".into(),
        TWO_TAGS.1.into(),
    ];
    let mut b = timed_build(cargo, dirs, dir, target, packages, args, log);
    b.label = label.into();
    b.lines = 0;
    b
}

/// A program beside the generated crate that names every client operation.
/// The generated functions are `#[inline]`, so the crate itself compiles
/// only their checks; the machine code of each is made in the crate that
/// uses it. This build (both packages cleaned) is what a user of every
/// client operation waits for.
const USER: (&str, &str) = (
    "models + operations + client, and a program that names every client operation (their machine code is compiled in the program)",
    "github-user",
);

/// The program of [`USER`]: takes the address of each of the client's
/// methods (the `pub fn`s of `src/client/*.rs`), so each is compiled.
fn user_program(crate_dir: &Path) -> Result<String, String> {
    let mut methods: Vec<String> = Vec::new();
    let dir = crate_dir.join("src/client");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    for f in files {
        let text = fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        methods.extend(text.lines().filter_map(|l| {
            let name = l.strip_prefix("    pub fn ")?.split('(').next()?;
            (!name.contains('<')).then(|| name.to_string())
        }));
    }
    if methods.is_empty() {
        return Err(format!("no client method found in {}", dir.display()));
    }
    let mut out = String::from(
        "//! Names every client operation of the generated crate, so that this\n\
         //! program's build compiles the code of all of them.\n\
         fn main() {\n    let operations: &[*const ()] = &[\n",
    );
    for m in &methods {
        out.push_str(&format!(
            "        {GITHUB_CRATE}::client::Client::{m} as *const (),\n"
        ));
    }
    out.push_str("    ];\n    std::hint::black_box(operations);\n}\n");
    Ok(out)
}

/// The Rust lines a configuration compiles: every `.rs` file except the
/// modules of the features it leaves out.
fn config_lines(files: &[(String, u64)], features: Option<&str>) -> u64 {
    let features: Vec<&str> = features.map_or(Vec::new(), |f| f.split(',').collect());
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".rs"))
        .filter(|(p, _)| {
            // A module's file and its tags' parts (`src/client/repos.rs`).
            let module = p
                .strip_prefix("src/")
                .and_then(|m| m.split(['/', '.']).next())
                .unwrap_or("");
            match module {
                "client" => features.contains(&"client"),
                "server" | "validate" => features.contains(&"server"),
                _ => true,
            }
        })
        .map(|(_, n)| n)
        .sum()
}

/// Generates GitHub's crate, warms its dependencies, then times the cold
/// build of its own code in each configuration.
fn compile_github(
    root: &Path,
    cargo: &str,
    dirs: &Dirs,
    spec: &Path,
    compare: bool,
) -> CompileReport {
    let mut report = CompileReport::default();
    let dir = dirs.sub("compile").join(GITHUB_CRATE);
    let target = dirs.sub("compile-target");
    let _ = fs::remove_dir_all(&dir);
    eprintln!(
        "==> --compile: generating {} into {}",
        spec.display(),
        dir.display()
    );
    let mut cmd = Command::new(&dirs.bin);
    cmd.arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(&dir)
        .arg("--name")
        .arg(GITHUB_CRATE)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match measure(&mut cmd, None) {
        Ok(m) if m.success() => report.generate = Some(m),
        Ok(m) => {
            report
                .notes
                .push(format!("oagen generate failed: {}", m.describe_exit(None)));
            return report;
        }
        Err(e) => {
            report.notes.push(e);
            return report;
        }
    }
    // The project's lock file, so that the dependencies are the versions CI tests.
    if let Err(e) = fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")) {
        report.notes.push(format!("cannot copy Cargo.lock: {e}"));
    }
    report.files = line_counts(&dir)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".rs"))
        .collect();

    let all = vec!["--all-features".to_string()];
    report.warm = warm_up(
        cargo,
        dirs,
        &dir,
        &target,
        &all,
        "github.warm",
        &mut report.notes,
    );
    if report.warm.is_none_or(|m| !m.success()) {
        return report;
    }
    for (label, features) in CONFIGS {
        let args: Vec<String> = match features {
            Some(f) => vec!["--features".into(), f.into()],
            None => Vec::new(),
        };
        let log = format!("github.{}", features.unwrap_or("models").replace(',', "-"));
        let mut b = timed_build(cargo, dirs, &dir, &target, &[GITHUB_CRATE], args, &log);
        b.label = label.into();
        b.lines = config_lines(&report.files, features);
        report.builds.push(b);
    }
    report.builds.push(two_tags_build(
        cargo,
        dirs,
        &dir,
        &target,
        &[GITHUB_CRATE],
        TWO_TAGS.0,
        "github.two-tags",
    ));
    // The same crate with its types in crates of their own (`--split-models`).
    let split = dirs.sub("compile").join(SPLIT_DIR);
    let _ = fs::remove_dir_all(&split);
    let mut cmd = Command::new(&dirs.bin);
    cmd.arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(&split)
        .arg("--name")
        .arg(GITHUB_CRATE)
        .arg("--split-models")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match measure(&mut cmd, None) {
        Ok(m) if m.success() => {
            let _ = fs::copy(root.join("Cargo.lock"), split.join("Cargo.lock"));
            let (label, features) = SPLIT;
            let args = vec!["--features".to_string(), features.into()];
            // The crate and its models crates (`models/`, `models-N/`).
            let mut packages = vec![GITHUB_CRATE.to_string(), format!("{GITHUB_CRATE}_models")];
            let mut n = 1;
            while split.join(format!("models-{n}")).is_dir() {
                packages.push(format!("{GITHUB_CRATE}_models_{n}"));
                n += 1;
            }
            let packages: Vec<&str> = packages.iter().map(String::as_str).collect();
            let mut b = timed_build(
                cargo,
                dirs,
                &split,
                &target,
                &packages,
                args,
                "github.split",
            );
            b.label = label.into();
            b.lines = line_counts(&split)
                .into_iter()
                .filter(|(p, _)| p.ends_with(".rs"))
                .map(|(_, n)| n)
                .sum();
            report.builds.push(b);
            report.builds.push(two_tags_build(
                cargo,
                dirs,
                &split,
                &target,
                &packages,
                SPLIT_TWO_TAGS,
                "github.split-two-tags",
            ));
        }
        Ok(m) => report.notes.push(format!(
            "oagen generate --split-models failed: {}",
            m.describe_exit(None)
        )),
        Err(e) => report.notes.push(e),
    }
    // A program that uses every client operation of the (unsplit) crate.
    let (label, user) = USER;
    let user_dir = dirs.sub("compile").join(user);
    let _ = fs::remove_dir_all(&user_dir);
    let written = user_program(&dir).and_then(|main| {
        let manifest = format!(
            "[package]\nname = \"{user}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{GITHUB_CRATE} = {{ path = \"../{GITHUB_CRATE}\", features = [\"client\"] }}\n\n\
             [workspace]\n"
        );
        fs::create_dir_all(user_dir.join("src"))
            .and_then(|()| fs::write(user_dir.join("Cargo.toml"), manifest))
            .and_then(|()| fs::write(user_dir.join("src/main.rs"), main))
            .and_then(|()| fs::copy(root.join("Cargo.lock"), user_dir.join("Cargo.lock")).map(drop))
            .map_err(|e| format!("{}: {e}", user_dir.display()))
    });
    match written {
        Ok(()) => {
            let mut b = timed_build(
                cargo,
                dirs,
                &user_dir,
                &target,
                &[GITHUB_CRATE, user],
                Vec::new(),
                "github.user",
            );
            b.label = label.into();
            b.lines = config_lines(&report.files, Some("client"));
            report.builds.push(b);
        }
        Err(e) => report.notes.push(e),
    }
    if compare {
        report.og = Some(openapi_generator(root, cargo, dirs, spec, &target));
    }
    report
}

/// The untimed build that warms the dependencies; `None` when cargo cannot run.
fn warm_up(
    cargo: &str,
    dirs: &Dirs,
    dir: &Path,
    target: &Path,
    args: &[String],
    log: &str,
    notes: &mut Vec<String>,
) -> Option<Measured> {
    if let Some(n) = wait_for_room(dirs.out.as_path()) {
        notes.push(format!("warm-up build: {n}"));
    }
    eprintln!(
        "==> warming the dependencies: cargo build {} (untimed)",
        args.join(" ")
    );
    match cargo_build(cargo, dirs, dir, target, args, log) {
        Ok((m, _)) => {
            eprintln!(
                "    {} in {} ({} CPU, {:.0} MB)",
                if m.success() { "built" } else { "FAILED" },
                secs(m.wall),
                secs(m.cpu),
                m.peak_mb()
            );
            if !m.success() {
                notes.push(format!(
                    "the warm-up build `cargo build {}` {}",
                    args.join(" "),
                    failure_note(dirs, log, &m)
                ));
            }
            Some(m)
        }
        Err(e) => {
            notes.push(e);
            None
        }
    }
}

/// `cargo clean -p PACKAGE`, then a measured `cargo build ARGS`. When the
/// build compiled anything else than the package (a dependency variant the
/// warm-up did not build), it is cleaned and timed again.
fn timed_build(
    cargo: &str,
    dirs: &Dirs,
    dir: &Path,
    target: &Path,
    packages: &[&str],
    args: Vec<String>,
    log: &str,
) -> BuildRun {
    let mut run = BuildRun {
        label: String::new(),
        args: args.clone(),
        lines: 0,
        measured: None,
        note: String::new(),
    };
    let mut notes: Vec<String> = Vec::new();
    for attempt in 1..=2 {
        if let Some(n) = wait_for_room(dirs.out.as_path()) {
            notes.push(n);
        }
        let mut clean = Command::new(cargo);
        clean.arg("clean");
        for package in packages {
            clean.args(["-p", package]);
        }
        let clean = clean
            .arg("--target-dir")
            .arg(target)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !clean.is_ok_and(|s| s.success()) {
            notes.push(format!("`cargo clean -p {}` failed", packages.join(" -p ")));
            break;
        }
        // Also the incremental state, should `clean -p` have kept any.
        if let Ok(rd) = fs::read_dir(target.join("debug/incremental")) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if packages.iter().any(|p| name.starts_with(&format!("{p}-"))) {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        eprintln!("==> timing: cargo build {}", args.join(" "));
        match cargo_build(cargo, dirs, dir, target, &args, log) {
            Ok((m, compiled)) => {
                eprintln!(
                    "    {} in {} ({} CPU, {:.0} MB)",
                    if m.success() { "built" } else { "FAILED" },
                    secs(m.wall),
                    secs(m.cpu),
                    m.peak_mb()
                );
                run.measured = Some(m);
                if !m.success() {
                    notes.push(format!("build {}", failure_note(dirs, log, &m)));
                    break;
                }
                let others: Vec<&str> = compiled
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !packages.iter().any(|p| c == p || c.replace('-', "_") == *p))
                    .collect();
                if others.is_empty() {
                    break;
                }
                notes.push(format!(
                    "timed build {attempt} also compiled dependencies ({}){}",
                    others.join(", "),
                    if attempt == 1 { ": timed again" } else { "" }
                ));
            }
            Err(e) => {
                notes.push(e);
                break;
            }
        }
    }
    run.note = notes.join("; ");
    run
}

/// A measured `cargo build ARGS` in `dir`; returns the packages cargo
/// compiled (from its `Compiling name vX` lines).
fn cargo_build(
    cargo: &str,
    dirs: &Dirs,
    dir: &Path,
    target: &Path,
    args: &[String],
    log: &str,
) -> Result<(Measured, Vec<String>), String> {
    let log = dirs.sub("logs").join(format!("{log}.stderr"));
    let stderr = fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .args(args)
        .arg("--target-dir")
        .arg(target)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    let m = measure(&mut cmd, Some(BUILD_LIMIT))?;
    let text = fs::read_to_string(&log).unwrap_or_default();
    Ok((m, compiled_packages(&text)))
}

/// The packages of cargo's `Compiling name vX.Y.Z (...)` lines.
fn compiled_packages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Compiling "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Installs OpenAPI Generator into `.tools/venv` if needed, generates the
/// `rust` client for `spec`, warms its dependencies and times its cold build.
fn openapi_generator(
    root: &Path,
    cargo: &str,
    dirs: &Dirs,
    spec: &Path,
    target: &Path,
) -> OgReport {
    let mut og = OgReport::default();
    let java = Command::new("java").arg("-version").output();
    match java {
        Ok(o) if o.status.success() => {
            let v = String::from_utf8_lossy(&o.stderr);
            og.notes
                .push(format!("Java: {}", v.lines().next().unwrap_or("?").trim()));
        }
        _ => {
            og.notes.push(
                "not run: `java -version` fails (OpenAPI Generator needs Java 11 or later)".into(),
            );
            return og;
        }
    }
    let venv = root.join(".tools/venv");
    let pip = venv.join("bin/pip");
    let tool = venv.join("bin/openapi-generator-cli");
    if !pip.exists() {
        og.notes.push(format!(
            "not run: {} is missing (run `cargo xtask tools` first)",
            pip.display()
        ));
        return og;
    }
    let version = OPENAPI_GENERATOR.split("==").nth(1).unwrap_or_default();
    let installed = Command::new(&pip)
        .args(["show", "openapi-generator-cli"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(&format!("Version: {version}\n")))
        .unwrap_or(false);
    if !installed || !tool.exists() {
        eprintln!("==> installing {OPENAPI_GENERATOR} into .tools/venv");
        if let Err(e) = crate::run(Command::new(&pip).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            OPENAPI_GENERATOR,
        ])) {
            og.notes.push(format!(
                "not run: installing {OPENAPI_GENERATOR} failed: {e}"
            ));
            return og;
        }
    }
    let dir = dirs.sub("compile/github_og");
    let _ = fs::remove_dir_all(&dir);
    let log = dirs.sub("logs/github_og.generate.log");
    let Ok(out) = fs::File::create(&log) else {
        og.notes.push(format!("cannot create {}", log.display()));
        return og;
    };
    let err = out.try_clone().ok();
    eprintln!("==> OpenAPI Generator {version}: generating the rust client");
    let mut cmd = Command::new(&tool);
    cmd.arg("generate")
        .arg("-i")
        .arg(spec)
        .args(["-g", "rust", "-o"])
        .arg(&dir)
        .args([
            "--additional-properties=packageName=github_og",
            "--skip-validate-spec",
        ])
        .stdin(Stdio::null())
        .stdout(out);
    if let Some(err) = err {
        cmd.stderr(err);
    }
    match measure(&mut cmd, Some(Duration::from_secs(1800))) {
        Ok(m) => {
            eprintln!(
                "    {} in {} ({} CPU, {:.0} MB)",
                if m.success() { "generated" } else { "FAILED" },
                secs(m.wall),
                secs(m.cpu),
                m.peak_mb()
            );
            og.generate = Some(m);
            if !m.success() {
                og.notes.push(format!(
                    "generation failed ({}); see {}",
                    m.describe_exit(None),
                    log.display()
                ));
                return og;
            }
        }
        Err(e) => {
            og.notes.push(format!("not run: {e}"));
            return og;
        }
    }
    let manifest = dir.join("Cargo.toml");
    let Ok(mut toml) = fs::read_to_string(&manifest) else {
        og.notes.push("no Cargo.toml was generated".into());
        return og;
    };
    let package = package_name(&toml).unwrap_or_else(|| "github_og".into());
    if !toml.lines().any(|l| l.trim() == "[workspace]") {
        toml.push_str("\n[workspace]\n");
        if let Err(e) = fs::write(&manifest, &toml) {
            og.notes
                .push(format!("cannot write {}: {e}", manifest.display()));
            return og;
        }
        og.notes
            .push("`[workspace]` added to its Cargo.toml, so that it builds on its own".into());
    }
    og.files = line_counts(&dir.join("src"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".rs"))
        .map(|(p, n)| (format!("src/{p}"), n))
        .collect();
    // The same TLS stack as oagen's client (rustls) when the crate offers the
    // choice, else (or when that does not build) its default features.
    let mut choices: Vec<Vec<String>> = Vec::new();
    if let Some(f) = rustls_feature(&toml) {
        choices.push(vec![
            "--no-default-features".into(),
            "--features".into(),
            f.into(),
        ]);
    }
    choices.push(Vec::new());
    let mut chosen = None;
    for args in choices {
        let warm = warm_up(
            cargo,
            dirs,
            &dir,
            target,
            &args,
            "github_og.warm",
            &mut og.notes,
        );
        if warm.is_some_and(|m| m.success()) {
            if !args.is_empty() {
                og.notes.push(format!(
                    "built with `{}`: rustls, as oagen's client",
                    args.join(" ")
                ));
            }
            chosen = Some(args);
            break;
        }
    }
    let Some(args) = chosen else {
        return og;
    };
    let mut b = timed_build(
        cargo,
        dirs,
        &dir,
        target,
        &[&package],
        args,
        "github_og.build",
    );
    b.label = "OpenAPI Generator `rust` client".into();
    b.lines = og.files.iter().map(|(_, n)| n).sum();
    og.build = Some(b);
    og
}

/// The feature of a Cargo.toml's `[features]` that selects rustls
/// (`rustls-tls` or `rustls`), if any.
fn rustls_feature(toml: &str) -> Option<&'static str> {
    let mut in_features = false;
    let mut found = None;
    for l in toml.lines() {
        let l = l.trim();
        if l.starts_with('[') {
            in_features = l == "[features]";
        } else if in_features {
            let key = l.split('=').next().unwrap_or_default().trim();
            match key {
                "rustls-tls" => return Some("rustls-tls"),
                "rustls" => found = Some("rustls"),
                _ => {}
            }
        }
    }
    found
}

/// `name = "x"` of a Cargo.toml's `[package]`.
fn package_name(toml: &str) -> Option<String> {
    let mut in_package = false;
    for l in toml.lines() {
        let l = l.trim();
        if l.starts_with('[') {
            in_package = l == "[package]";
        } else if in_package {
            if let Some(v) = l.strip_prefix("name") {
                let v = v.trim_start().strip_prefix('=')?.trim();
                return Some(v.trim_matches('"').to_string());
            }
        }
    }
    None
}

/// The timed builds: configuration, lines, wall, CPU, peak.
fn compile_table(c: &CompileReport) -> String {
    let mut builds: Vec<&BuildRun> = c.builds.iter().collect();
    if let Some(b) = c.og.as_ref().and_then(|o| o.build.as_ref()) {
        builds.push(b);
    }
    let rows: Vec<Vec<String>> = builds
        .iter()
        .map(|b| {
            let m = b.measured.filter(|m| m.success());
            vec![
                b.label.clone(),
                format!("`cargo build {}`", b.args.join(" ")).replace(" `", "`"),
                if b.lines == 0 {
                    "-".into()
                } else {
                    thousands(b.lines)
                },
                opt(m.map(|m| m.wall), secs),
                opt(m.map(|m| m.cpu), secs),
                opt(m.map(|m| m.peak_mb()), |v| format!("{v:.0}")),
                b.note.clone(),
            ]
        })
        .collect();
    table(
        &[
            "build", "command", "lines", "wall", "CPU", "peak MB", "note",
        ],
        &[false, false, true, true, true, true, false],
        &rows,
    )
}

/// Side-by-side ratios: oagen's configurations over OpenAPI Generator's client.
fn compare_table(c: &CompileReport, og: &BuildRun) -> String {
    let Some(o) = og.measured.filter(|m| m.success()) else {
        return String::new();
    };
    let rows: Vec<Vec<String>> = c
        .builds
        .iter()
        .skip(1)
        .filter_map(|b| {
            let m = b.measured.filter(|m| m.success())?;
            let r = |a: f64, b: f64| if b > 0.0 { ratio(a / b) } else { "-".into() };
            Some(vec![
                format!("oagen {} / OpenAPI Generator client", b.label),
                r(b.lines as f64, og.lines as f64),
                r(m.wall, o.wall),
                r(m.cpu, o.cpu),
                r(m.peak_kb as f64, o.peak_kb as f64),
            ])
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    table(
        &["ratio", "lines", "wall", "CPU", "peak RSS"],
        &[false, true, true, true, true],
        &rows,
    )
}

#[allow(clippy::too_many_arguments)]
fn report_md(
    opts: &Options,
    version: &str,
    machine: &Machine,
    load_end: &str,
    rows: &[Row],
    notes: &[String],
    compile: Option<&CompileReport>,
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# oagen benchmark\n");
    let runs = match opts.runs {
        Some(n) => format!("{n} run(s) per spec"),
        None if opts.smoke => "1 run per spec (smoke test: not a measurement to compare)".into(),
        None => format!(
            "{DEFAULT_RUNS} runs per spec, {LARGE_RUNS} for specs over {} MB",
            LARGE_BYTES >> 20
        ),
    };
    let _ = writeln!(
        md,
        "`{}` at {version}, {}: {runs}; medians. With more than one run an untimed \
         warm-up run comes first.\n",
        opts.command(),
        machine.date
    );
    let _ = writeln!(
        md,
        "Machine: {} CPUs ({}), {} of memory, {}. Load average (1, 5, 15 min) {} at the start, \
         {load_end} at the end: the machine is shared, so times vary with its load.\n",
        machine.cpus, machine.cpu_model, machine.memory, machine.kernel, machine.load
    );
    for n in notes {
        let _ = writeln!(md, "- {n}");
    }
    if !notes.is_empty() {
        md.push('\n');
    }
    let _ = writeln!(md, "## Generation\n");
    let _ = writeln!(
        md,
        "Each run is one `oagen generate SPEC --out DIR --name NAME --timings FILE` process \
         (release build) writing a fresh crate. *total* is its wall time from spawn to exit, \
         *CPU* its user + system time and *peak MB* its peak resident memory (`wait4`). \
         *lines* counts the generated Rust files. The floors come from `oagen floor SPEC`, run \
         alternately with the generations: the time to read and parse the same file into a \
         `serde_json::Value` and, separately, into `openapiv3::OpenAPI` (`-` when the document \
         does not deserialise into it, as with OpenAPI 3.1).\n"
    );
    md.push_str(&summary_table(rows));
    for r in rows.iter().filter(|r| r.error.is_some()) {
        let _ = writeln!(
            md,
            "\n`{}`: {}",
            r.id,
            r.error.as_deref().unwrap_or_default()
        );
    }
    let _ = writeln!(md, "\n### Time per phase (medians)\n");
    let _ = writeln!(
        md,
        "From `--timings`: *read* the file, *parse* the text into a JSON value, *normalise* \
         (3.1 to 3.0, then deserialise each section into `openapiv3`, check references), \
         *model* the API, *emit* the token streams and templates, *format* them (`syn` + \
         `prettyplease`), *write* the files. *other* is the rest of the process's wall time \
         (start-up, freeing memory, exit).\n"
    );
    md.push_str(&phase_table(rows));

    if let Some(c) = compile {
        md.push_str(&compile_md(c));
    }
    md
}

fn compile_md(c: &CompileReport) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "\n## Compiling the generated GitHub crate\n");
    let _ = writeln!(
        md,
        "The crate generated from `github-rest.api.github.com.json` (standalone, the project's \
         `Cargo.lock`), built in `target/bench/compile-target`. One untimed `cargo build \
         --all-features` first builds the dependencies; then, for each configuration, `cargo \
         clean -p {GITHUB_CRATE}` and a timed `cargo build` (dev profile, `RUSTFLAGS` as in the \
         environment), one at a time. Wall, CPU (cargo and every rustc it ran) and peak RSS \
         (the largest single process) come from `wait4`. The `--split-models` build is the same \
         spec generated with its types in crates of their own (`{GITHUB_CRATE}_models` for what \
         several tags share, `{GITHUB_CRATE}_models_1` and `_2` for the tags' own; all cleaned \
         too): cargo builds the two tag crates side by side, and each compiler starts once the \
         metadata of the crates it needs is written, so the memory in use at once can exceed \
         its largest process. The generated \
         functions are `#[inline]`: a crate compiles their checks, and the crate that calls one \
         compiles its machine code. So the last oagen row builds the crate (client) and a \
         program beside it (`{}`, both cleaned) that takes the address of every client \
         method: what a user of all the client's operations waits for.\n",
        USER.1
    );
    if let Some(g) = c.generate {
        let _ = writeln!(
            md,
            "Generating it took {} ({} CPU, {:.0} MB).",
            secs(g.wall),
            secs(g.cpu),
            g.peak_mb()
        );
    }
    if let Some(w) = c.warm {
        let _ = writeln!(
            md,
            "The warm-up build (dependencies and the crate, all features) took {} ({} CPU, {:.0} MB).\n",
            secs(w.wall),
            secs(w.cpu),
            w.peak_mb()
        );
    }
    for n in &c.notes {
        let _ = writeln!(md, "- {n}");
    }
    if !c.notes.is_empty() {
        md.push('\n');
    }
    md.push_str(&compile_table(c));
    let cpu_of = |label: &str| {
        c.builds
            .iter()
            .find(|b| b.label == label)
            .and_then(|b| b.measured.filter(|m| m.success()))
    };
    for (two, whole, layout) in [
        (TWO_TAGS.0, CONFIGS[2].0, "one crate"),
        (SPLIT_TWO_TAGS, SPLIT.0, "`--split-models`"),
    ] {
        if let (Some(two), Some(whole)) = (cpu_of(two), cpu_of(whole)) {
            let _ = writeln!(
                md,
                "\nTwo tags against the whole crate (client + server), {layout}: {:.0}% of the \
                 wall time, {:.0}% of the CPU time, {:.0}% of the peak memory (target: under 20% \
                 of the time).",
                100.0 * two.wall / whole.wall.max(1e-9),
                100.0 * two.cpu / whole.cpu.max(1e-9),
                100.0 * two.peak_kb as f64 / (whole.peak_kb as f64).max(1.0),
            );
        }
    }
    if !c.files.is_empty() {
        let _ = writeln!(
            md,
            "\nGenerated lines per file (a module's tags' parts, `src/models/*.rs`, counted together):\n"
        );
        // `src/models.rs` and `src/models/repos.rs` are one row.
        let mut grouped: Vec<(String, u64, usize)> = Vec::new();
        for (p, n) in &c.files {
            let key = match p.strip_prefix("src/").and_then(|m| m.split_once('/')) {
                Some((module, _)) => format!("src/{module}/*.rs"),
                None => p.clone(),
            };
            match grouped.iter_mut().find(|(k, _, _)| *k == key) {
                Some(g) => {
                    g.1 += n;
                    g.2 += 1;
                }
                None => grouped.push((key, *n, 1)),
            }
        }
        let rows: Vec<Vec<String>> = grouped
            .iter()
            .map(|(p, n, files)| {
                let label = if *files > 1 {
                    format!("`{p}` ({files} files)")
                } else {
                    format!("`{p}`")
                };
                vec![label, thousands(*n)]
            })
            .chain([vec![
                "all".into(),
                thousands(c.files.iter().map(|(_, n)| n).sum()),
            ]])
            .collect();
        md.push_str(&table(&["file", "lines"], &[false, true], &rows));
    }
    if let Some(og) = &c.og {
        let _ = writeln!(md, "\n## Compared with OpenAPI Generator\n");
        let _ = writeln!(
            md,
            "`{OPENAPI_GENERATOR}` (PyPI, in `.tools/venv`), generator `rust` (reqwest client), \
             `--additional-properties=packageName=github_og --skip-validate-spec`, same spec; its \
             dependencies warmed by one untimed build, then `cargo clean -p` and a timed build, as \
             above.\n"
        );
        for n in &og.notes {
            let _ = writeln!(md, "- {n}");
        }
        if !og.notes.is_empty() {
            md.push('\n');
        }
        if let (Some(g), Some(o)) = (c.generate, og.generate.filter(|m| m.success())) {
            let rows = vec![
                vec![
                    "oagen (models, operations, client, server)".into(),
                    secs(g.wall),
                    secs(g.cpu),
                    format!("{:.0}", g.peak_mb()),
                    thousands(c.files.iter().map(|(_, n)| n).sum()),
                ],
                vec![
                    "OpenAPI Generator (`rust` client)".into(),
                    secs(o.wall),
                    secs(o.cpu),
                    format!("{:.0}", o.peak_mb()),
                    thousands(og.files.iter().map(|(_, n)| n).sum()),
                ],
            ];
            let _ = writeln!(md, "Generation (one run each):\n");
            md.push_str(&table(
                &["generator", "wall", "CPU", "peak MB", "Rust lines"],
                &[false, true, true, true, true],
                &rows,
            ));
            md.push('\n');
        }
        let t = og
            .build
            .as_ref()
            .map(|b| compare_table(c, b))
            .unwrap_or_default();
        if t.is_empty() {
            let _ = writeln!(
                md,
                "No build ratios: a build on one side or the other failed (see above)."
            );
        } else {
            let _ = writeln!(
                md,
                "Build ratios (oagen / OpenAPI Generator's client; the builds are in the table \
                 above):\n"
            );
            md.push_str(&t);
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

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
        for bad in [
            "--runs",
            "--runs 0",
            "--runs x",
            "--only",
            "--fast",
            "--smoke --compile",
            "--smoke --runs 2",
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

    #[test]
    fn selection() {
        let smoke = parse_args(&args("--smoke")).unwrap();
        assert!(selected("seed/px0.yaml", &smoke));
        assert!(selected(GITHUB, &smoke));
        assert!(!selected(STRIPE, &smoke));
        assert!(!selected(GRAPH, &smoke));
        let all = Options::default();
        assert!([STRIPE, GITHUB, GRAPH, "seed/a.yaml"]
            .iter()
            .all(|id| selected(id, &all)));
        let only = parse_args(&args("--only graph --only px0")).unwrap();
        assert!(selected(GRAPH, &only) && selected("seed/px0.yaml", &only));
        assert!(!selected(GITHUB, &only) && !selected("seed/devin.yaml", &only));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[9.0, f64::NAN, 1.0, 2.0]), Some(2.0));
    }

    #[test]
    fn timings_floors_and_cargo_output_are_read() {
        let t = parse_timings(r#"{"read":0.01,"parse":0.5,"emit":2}"#).unwrap();
        assert_eq!(t["parse"], 0.5);
        assert_eq!(t["emit"], 2.0);
        assert!(parse_timings(r#"{"read":"x"}"#).is_err());
        assert!(parse_timings("[1]").is_err());
        assert_eq!(
            parse_floor("{\"value\":0.25,\"openapiv3\":0.5}\n").unwrap(),
            (0.25, Some(0.5))
        );
        assert_eq!(
            parse_floor(r#"{"value":0.25,"openapiv3":null}"#).unwrap(),
            (0.25, None)
        );
        assert!(parse_floor("oops").is_err());
        assert_eq!(
            compiled_packages(
                "   Compiling serde v1.0.1\n   Compiling github v0.1.0 (/x)\n    Finished `dev` profile\n"
            ),
            vec!["serde", "github"]
        );
        let og = "[package]\nname = \"github_og\"\n[dependencies]\nrustls-tls = 1\n\
                  [features]\ndefault = [\"native-tls\"]\nrustls = [\"reqwest/rustls\"]\n";
        assert_eq!(rustls_feature(og), Some("rustls"));
        assert_eq!(
            rustls_feature("[features]\nrustls-tls = []\n"),
            Some("rustls-tls")
        );
        assert_eq!(rustls_feature("[dependencies]\nrustls = \"1\"\n"), None);
        assert_eq!(
            package_name("[package]\nname = \"github_og\"\n[dependencies]\nname = \"x\"\n"),
            Some("github_og".into())
        );
    }

    #[test]
    fn room_and_failures() {
        assert!(shortages(Some(BUILD_MEMORY_GB), Some(BUILD_DISK_GB)).is_empty());
        assert!(shortages(None, None).is_empty(), "unknown is not short");
        assert_eq!(
            shortages(Some(2.0), Some(1.5)),
            vec!["memory 2.0 of 9 GiB", "disk 1.5 of 10 GiB"]
        );
        assert!(disk_free_gb(Path::new("/")).is_some_and(|g| g > 0.0));
        assert_eq!(disk_free_gb(Path::new("/nonexistent/oagen")), None);
        let full = "   Compiling github v0.1.0\nerror: failed to write x: No space left on device (os error 28)\n";
        assert_eq!(
            build_failure(full).as_deref(),
            Some("the disk was full (`No space left on device`)")
        );
        assert_eq!(
            build_failure("warning: x\nerror[E0412]: cannot find type `Foo`\n").as_deref(),
            Some("`error[E0412]: cannot find type 'Foo'`")
        );
        assert_eq!(build_failure("    Finished\n"), None);
    }

    #[test]
    fn lines_are_counted() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a\nb\n"), 2);
        assert_eq!(count_lines(b"a\nb"), 2);
        let files: Vec<(String, u64)> = [
            ("src/lib.rs", 1),
            ("src/models.rs", 10),
            ("src/client.rs", 60),
            ("src/client/repos.rs", 40),
            ("src/server.rs", 1000),
            ("src/validate.rs", 10000),
            ("Cargo.toml", 100000),
        ]
        .iter()
        .map(|(p, n)| (p.to_string(), *n))
        .collect();
        assert_eq!(config_lines(&files, None), 11);
        assert_eq!(config_lines(&files, Some("client")), 111);
        assert_eq!(config_lines(&files, Some("client,server")), 11111);
    }

    #[test]
    fn numbers_are_formatted() {
        assert_eq!(secs(12.345), "12.3 s");
        assert_eq!(secs(1.234), "1.23 s");
        assert_eq!(secs(0.0456), "45.6 ms");
        assert_eq!(secs(0.00041), "0.41 ms");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(size(20 << 20), "20.0 MB");
        assert_eq!(size(1536), "1.5 KB");
    }

    fn sample(wall: f64, parse: f64) -> Sample {
        Sample {
            wall,
            cpu: wall * 0.9,
            peak_kb: 200 * 1024,
            phases: [("read", 0.1), ("parse", parse), ("emit", 1.0)]
                .iter()
                .map(|(p, s)| (p.to_string(), *s))
                .collect(),
        }
    }

    fn spec() -> Spec {
        Spec {
            id: GITHUB.into(),
            path: PathBuf::from("g.json"),
            bytes: 13 << 20,
            name: "github".into(),
        }
    }

    #[test]
    fn a_row_takes_the_medians_and_the_ratios_divide_by_the_floors() {
        let run = SpecRun {
            operations: Some(1100),
            types: Some(900),
            lines: Some(1_234_567),
            samples: vec![sample(10.0, 1.0), sample(8.0, 3.0), sample(12.0, 2.0)],
            floors: vec![(0.4, Some(2.0)), (0.5, Some(3.0)), (0.6, None)],
            error: None,
        };
        let row = Row::of(&spec(), &run);
        assert_eq!(row.runs, 3);
        assert_eq!(row.total, Some(10.0));
        assert_eq!(row.floor_value, Some(0.5));
        assert_eq!(row.floor_openapi, Some(2.5));
        assert_eq!(row.ratio(row.floor_openapi), Some(4.0));
        assert_eq!(row.ratio(row.floor_value), Some(20.0));
        let phases: Vec<&str> = row.phases.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(phases, ["read", "parse", "emit"], "in pipeline order");
        assert_eq!(row.phases[1], ("parse".to_string(), 2.0));

        let summary = summary_table(std::slice::from_ref(&row));
        let lines: Vec<&str> = summary.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("| spec "), "{summary}");
        assert!(
            lines[1].starts_with("| ---") && lines[1].ends_with(": |"),
            "{summary}"
        );
        let cells: Vec<&str> = lines[2].split('|').map(str::trim).collect();
        assert_eq!(
            cells[1..13],
            [
                "`shared/github-rest.api.github.com.json`",
                "13.0 MB",
                "1,100",
                "1,234,567",
                "3",
                "10.0 s",
                "9.00 s",
                "200",
                "500.0 ms",
                "2.50 s",
                "4.0×",
                "20.0×"
            ]
        );
        // Every line has the same width: the columns are padded.
        assert!(lines
            .iter()
            .all(|l| l.chars().count() == lines[0].chars().count()));

        let phases = phase_table(std::slice::from_ref(&row));
        let last: Vec<&str> = phases
            .lines()
            .nth(2)
            .unwrap()
            .split('|')
            .map(str::trim)
            .collect();
        // read, parse, normalise, model, emit, format, write, sum, other, total
        assert_eq!(
            last[2..12],
            ["100.0 ms", "2.00 s", "-", "-", "1.00 s", "-", "-", "3.10 s", "6.90 s", "10.0 s"]
        );
    }

    #[test]
    fn a_failed_spec_shows_as_failed_and_without_ratios() {
        let run = SpecRun {
            error: Some("oagen generate failed".into()),
            ..SpecRun::default()
        };
        let row = Row::of(&spec(), &run);
        assert_eq!(row.total, None);
        assert_eq!(row.ratio(Some(1.0)), None);
        let t = summary_table(std::slice::from_ref(&row));
        assert!(t.contains("| failed |"), "{t}");
        assert_eq!(phase_table(&[row]).lines().count(), 2, "no phase row");
    }

    #[test]
    fn the_report_has_every_section() {
        let run = SpecRun {
            operations: Some(3),
            samples: vec![sample(1.0, 0.1)],
            floors: vec![(0.01, None)],
            ..SpecRun::default()
        };
        let row = Row::of(&spec(), &run);
        let machine = Machine {
            cpus: "2".into(),
            cpu_model: "Test CPU".into(),
            memory: "1.0 GiB".into(),
            kernel: "Linux".into(),
            date: "today".into(),
            load: "1.00 1.00 1.00".into(),
        };
        let build = |label: &str, wall: f64, lines: u64| BuildRun {
            label: label.into(),
            args: vec![],
            lines,
            measured: Some(Measured {
                exit: crate::measure::Exit::Code(0),
                wall,
                cpu: wall * 1.5,
                peak_kb: 1 << 20,
            }),
            note: String::new(),
        };
        let compile = CompileReport {
            files: vec![
                ("src/models.rs".into(), 500),
                ("src/models/issues.rs".into(), 20),
                ("src/models/repos.rs".into(), 30),
            ],
            builds: vec![
                build("models", 10.0, 100),
                build("client", 20.0, 200),
                build("server", 40.0, 400),
            ],
            og: Some(OgReport {
                build: Some(build("og", 10.0, 100)),
                notes: vec!["Java: 17".into()],
                ..OgReport::default()
            }),
            ..CompileReport::default()
        };
        let md = report_md(
            &parse_args(&args("--smoke")).unwrap(),
            "commit abc",
            &machine,
            "2.00 2.00 2.00",
            &[row],
            &["`x` skipped".into()],
            Some(&compile),
        );
        for needle in [
            "`cargo xtask bench --smoke` at commit abc",
            "2 CPUs (Test CPU)",
            "- `x` skipped",
            "## Generation",
            "### Time per phase",
            "## Compiling the generated GitHub crate",
            "## Compared with OpenAPI Generator",
            "- Java: 17",
            "| `src/models.rs`             |   500 |",
            "| `src/models/*.rs` (2 files) |    50 |",
        ] {
            assert!(md.contains(needle), "{needle} missing from:\n{md}");
        }
        // client / og: 2× the lines, 2× the time; server / og: 4×; peak RSS equal.
        let ratios = compare_table(
            &compile,
            compile.og.as_ref().unwrap().build.as_ref().unwrap(),
        );
        let rows: Vec<Vec<&str>> = ratios
            .lines()
            .skip(2)
            .map(|l| l.split('|').map(str::trim).collect())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][2..6], ["2.0×", "2.0×", "2.0×", "1.0×"]);
        assert_eq!(rows[1][2..6], ["4.0×", "4.0×", "4.0×", "1.0×"]);
        let mut failed = compile.clone();
        for b in &mut failed.builds {
            b.measured = None;
        }
        assert_eq!(compare_table(&failed, &failed.builds[0]), "");
        let md = compile_md(&failed);
        assert!(md.contains("No build ratios"), "{md}");
    }
}
