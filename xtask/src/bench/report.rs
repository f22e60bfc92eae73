//! The report, `target/bench/report.md`, and the tables also printed: generation, phases, builds, ratios.

use std::fmt::Write as _;

use crate::measure::Measured;

use super::baseline::{builds_md, generation_md, Rows};
use super::cargo::BuildRun;
use super::compile::{CompileReport, CONFIGS, GITHUB_CRATE, SPLIT, SPLIT_TWO_TAGS, TWO_TAGS, USER};
use super::format::{opt, ratio, secs, size, table, thousands, took};
use super::generation::{median, Sample, Spec, SpecRun, PHASES};
use super::machine::Machine;
use super::openapi_generator::OPENAPI_GENERATOR;
use super::{Options, DEFAULT_RUNS, LARGE_BYTES, LARGE_RUNS};

/// One line of the report's tables: the medians of one spec.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
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
    /// `shared/github.json`.
    pub(super) fn id(&self) -> &str {
        &self.id
    }

    /// The median total, CPU and peak MB, when the spec was generated.
    pub(super) fn medians(&self) -> Option<(f64, f64, f64)> {
        Some((self.total?, self.cpu?, self.peak_mb?))
    }

    /// Whether the spec was generated (its runs have a total).
    pub(super) fn generated(&self) -> bool {
        self.total.is_some()
    }

    pub(super) fn of(spec: &Spec, run: &SpecRun) -> Row {
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

    pub(super) fn ratio(&self, floor: Option<f64>) -> Option<f64> {
        match (self.total, floor) {
            (Some(t), Some(f)) if f > 0.0 => Some(t / f),
            _ => None,
        }
    }
}

/// The summary: per spec, the counts, the medians, the floors and the ratios.
pub(super) fn summary_table(rows: &[Row]) -> String {
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

/// The timed builds: configuration, lines, wall, CPU, peak.
pub(super) fn compile_table(c: &CompileReport) -> String {
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
pub(super) fn compare_table(c: &CompileReport, og: &BuildRun) -> String {
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
pub(super) fn report_md(
    opts: &Options,
    version: &str,
    machine: &Machine,
    load_end: &str,
    rows: &[Row],
    base: Option<&Rows>,
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
    if rows.is_empty() && compile.is_none() {
        return md; // `--streaming` alone: its section follows
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
    if let Some(base) = base {
        md.push_str(&generation_md(rows, base));
    }

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
        let _ = writeln!(md, "Generating it took {}.", took(&g));
    }
    if let Some(w) = c.warm {
        let _ = writeln!(
            md,
            "The warm-up build (dependencies and the crate, all features) took {}.\n",
            took(&w)
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
            let row = |label: &str, m: Measured, files: &[(String, u64)]| {
                vec![
                    label.to_string(),
                    secs(m.wall),
                    secs(m.cpu),
                    format!("{:.0}", m.peak_mb()),
                    thousands(files.iter().map(|(_, n)| n).sum()),
                ]
            };
            let rows = vec![
                row("oagen (models, operations, client, server)", g, &c.files),
                row("OpenAPI Generator (`rust` client)", o, &og.files),
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
    if let Some(b) = &c.baseline {
        md.push_str(&builds_md(c, b));
    }
    md
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::generation::GITHUB;
    use super::super::openapi_generator::OgReport;
    use super::super::{args, parse_args};
    use super::*;

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
            None,
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
