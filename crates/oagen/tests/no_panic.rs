//! Robustness: the loader and the model builder never panic, whatever the input.
//!
//! Each seed spec in `specs/` is mutated deterministically: truncated at every
//! line boundary, each line deleted, each line duplicated, each `: ` turned into
//! `: [`, each line's indentation shifted by 2, types swapped, `$ref` targets
//! renamed (to missing names, to every component schema, to non-schemas and to
//! malformed pointers), composition keywords inserted into each component schema,
//! and its JSON form truncated, with lines deleted and duplicated. Every mutant is
//! fed to `oagen::load::load_str` and, when that succeeds, to
//! `oagen::analyze_loaded`. Each mutant is written to a scratch file first, so
//! that `analyze_loaded` can read it back to locate its diagnostics, as it does
//! for real specs.
//!
//! Every call runs under `catch_unwind`: a panic is recorded with the mutation
//! that caused it and its backtrace, and the test fails listing them. A stack
//! overflow cannot be caught, so the mutants run in a child process that the test
//! supervises (see "the driver" below); a mutant that kills it is reported too.
//! Panicking or crashing inputs are kept under `CARGO_TARGET_TMPDIR/no_panic/`.
//! A stack overflow once found this way (a schema whose `oneOf` next to
//! `properties` refers to itself) is kept as its own regression test.

use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;
use std::time::Instant;

// ---- panic capture ------------------------------------------------------------

thread_local! {
    /// Whether this thread is running a mutant (its panics are captured, not printed).
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// The message and backtrace of the last captured panic on this thread.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let report = format!("{info}\nbacktrace:\n{}", Backtrace::force_capture());
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(report));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f`, returning its result, or the panic report if it panicked.
fn capture_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CAPTURING.with(|c| c.set(true));
    LAST_PANIC.with(|p| p.borrow_mut().take());
    let result = catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    let report = LAST_PANIC.with(|p| p.borrow_mut().take());
    result.map_err(|_| report.unwrap_or_else(|| "panicked (no report captured)".into()))
}

// ---- what each mutant goes through ----------------------------------------------

/// How far a mutant got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// `load_str` failed.
    LoadFailed,
    /// Loaded; `analyze_loaded` failed.
    AnalysisFailed,
    /// Loaded and analyzed.
    Analyzed,
}

/// Loads and analyzes `text` as the spec at `path` (which must hold `text`).
fn exercise(path: &Path, text: &str) -> Outcome {
    match oagen::load::load_str(path, text) {
        Ok(spec) => match oagen::analyze_loaded(&spec) {
            Ok(analysis) => {
                // Rendering the warnings exercises Display too.
                for w in &analysis.warnings {
                    let _ = w.to_string();
                }
                Outcome::Analyzed
            }
            Err(failure) => {
                let _ = failure.to_string();
                Outcome::AnalysisFailed
            }
        },
        Err(failure) => {
            let _ = failure.to_string();
            Outcome::LoadFailed
        }
    }
}

// ---- mutations ----------------------------------------------------------------------

/// A named mutant.
struct Mutant {
    /// The mutation, for reports.
    what: String,
    /// The mutated text.
    text: String,
    /// Whether it is a mutant of the spec's JSON form (loaded as a `.json` file).
    json: bool,
}

fn mutant(what: impl Into<String>, text: String) -> Mutant {
    Mutant {
        what: what.into(),
        text,
        json: false,
    }
}

/// The text split into lines, each with its line ending.
fn lines_of(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Every byte offset where `pat` occurs in `text`.
fn occurrences(text: &str, pat: &str) -> Vec<usize> {
    text.match_indices(pat).map(|(i, _)| i).collect()
}

/// `text` with the occurrence of `from` at byte `at` replaced by `to`.
fn replace_at(text: &str, at: usize, from: &str, to: &str) -> String {
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

fn line_no(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// Line-level mutations: truncation at every line boundary, each line deleted,
/// each line duplicated.
fn line_mutants(text: &str, out: &mut Vec<Mutant>) {
    let lines = lines_of(text);
    for i in 0..=lines.len() {
        out.push(mutant(
            format!("truncated after {i} lines"),
            lines[..i].concat(),
        ));
    }
    for i in 0..lines.len() {
        let mut v = lines.clone();
        v.remove(i);
        out.push(mutant(format!("line {} deleted", i + 1), v.concat()));
    }
    for i in 0..lines.len() {
        let mut v = lines.clone();
        v.insert(i, lines[i]);
        out.push(mutant(format!("line {} duplicated", i + 1), v.concat()));
    }
}

/// Indentation of each line shifted by 2: odd lines are outdented where they are
/// indented, all others indented (one mutant per line keeps the run short).
fn indent_mutants(text: &str, out: &mut Vec<Mutant>) {
    let lines = lines_of(text);
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut v = lines.clone();
        let shifted;
        let outdent = if i % 2 == 0 {
            line.strip_prefix("  ")
        } else {
            None
        };
        let what = if let Some(rest) = outdent {
            v[i] = rest;
            "outdented by 2"
        } else {
            shifted = format!("  {line}");
            v[i] = &shifted;
            "indented by 2"
        };
        out.push(mutant(format!("line {} {what}", i + 1), v.concat()));
    }
}

/// Each `: ` in turn replaced by `: [` (an unclosed flow sequence).
fn flow_mutants(text: &str, out: &mut Vec<Mutant>) {
    for at in occurrences(text, ": ") {
        out.push(mutant(
            format!("`: ` -> `: [` on line {}", line_no(text, at)),
            replace_at(text, at, ": ", ": ["),
        ));
    }
}

/// Type swaps, each occurrence in turn and all occurrences at once.
fn type_mutants(text: &str, out: &mut Vec<Mutant>) {
    const SWAPS: &[(&str, &str)] = &[
        ("type: string", "type: [string, integer, 'null']"),
        ("type: string", "type: [boolean, object, array]"),
        ("type: string", "type: 7"),
        ("type: object", "type: array"),
        ("type: object", "type: {}"),
        ("type: array", "type: object"),
        ("type: integer", "type: 'null'"),
        ("type: integer", "type: []"),
    ];
    for &(from, to) in SWAPS {
        let all = occurrences(text, from);
        for &at in &all {
            out.push(mutant(
                format!("`{from}` -> `{to}` on line {}", line_no(text, at)),
                replace_at(text, at, from, to),
            ));
        }
        if all.len() > 1 {
            out.push(mutant(
                format!("every `{from}` -> `{to}`"),
                text.replace(from, to),
            ));
        }
    }
}

/// The names of the schemas under `components:` / `schemas:` (block YAML, 2-space indent).
fn schema_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_components = false;
    let mut in_schemas = false;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            in_components = line.starts_with("components:");
            in_schemas = false;
            continue;
        }
        if in_components && line.starts_with("  ") && !line.starts_with("   ") {
            in_schemas = line.trim_end() == "  schemas:";
            continue;
        }
        if in_schemas && line.starts_with("    ") && !line.starts_with("     ") {
            if let Some(name) = line.trim().strip_suffix(':') {
                names.push(name.trim_matches(|c| c == '\'' || c == '"').to_string());
            }
        }
    }
    names
}

/// `$ref` targets renamed: to missing names, to every component schema (self
/// references and cycles), to things that are not schemas, and to malformed pointers.
fn ref_mutants(text: &str, out: &mut Vec<Mutant>) {
    let mut targets: Vec<String> = schema_names(text)
        .into_iter()
        .map(|n| format!("#/components/schemas/{n}"))
        .collect();
    targets.extend(
        [
            "#",
            "#/",
            "#/components",
            "#/components/schemas",
            "#/components/responses/400",
            "#/paths",
            "#/info/title",
            "#/components/schemas/%ZZ",
            "#/components/schemas/%C3%28",
            "#/components/schemas/a~1b~0c~2",
            "#/components/schemas/",
            "other.yaml#/components/schemas/X",
            "https://example.com/spec.yaml",
            "",
        ]
        .map(String::from),
    );
    for at in occurrences(text, "$ref: '") {
        let start = at + "$ref: '".len();
        let Some(len) = text[start..].find('\'') else {
            continue;
        };
        let old = &text[start..start + len];
        let line = line_no(text, at);
        let mut renamed = vec![format!("{old}Renamed")];
        renamed.extend(targets.iter().filter(|t| t.as_str() != old).cloned());
        for new in renamed {
            let mut t = String::with_capacity(text.len() + new.len());
            t.push_str(&text[..start]);
            t.push_str(&new);
            t.push_str(&text[start + len..]);
            out.push(mutant(
                format!("$ref on line {line}: `{old}` -> `{new}`"),
                t,
            ));
        }
    }
}

/// Keywords inserted at the top of each component schema (as its first key), aimed
/// at the model builder's composition code: self references through `allOf`,
/// `anyOf`, `oneOf`, `items`, `additionalProperties` and a sibling `$ref`, a
/// reference to the next schema, and odd values. `{S}` is the schema's own name,
/// `{T}` the next schema's.
const INSERTED: &[&str] = &[
    "allOf: [{$ref: '#/components/schemas/{S}'}]",
    "allOf: [{$ref: '#/components/schemas/{T}'}, {type: object}]",
    "anyOf: [{$ref: '#/components/schemas/{S}'}, {type: 'null'}]",
    "oneOf: [{$ref: '#/components/schemas/{S}'}, {$ref: '#/components/schemas/{T}'}]",
    "oneOf: []",
    "items: {$ref: '#/components/schemas/{S}'}",
    "additionalProperties: {$ref: '#/components/schemas/{S}'}",
    "not: {$ref: '#/components/schemas/{S}'}",
    "$ref: '#/components/schemas/{S}'",
    "$ref: '#/components/schemas/{T}'",
    "discriminator: {propertyName: kind, mapping: {a: '#/components/schemas/{T}'}}",
    "enum: []",
    "enum: [null, 1, a, {x: 1}, [1]]",
    "required: [nope, 7]",
    "properties: {'': {}, '1': {type: string}, 'a b': true, r#type: false}",
    "format: uuid",
];

/// Each keyword of [`INSERTED`] added to each component schema in turn, and one
/// mutant where every schema `allOf`-includes the next (a cycle through them all).
fn insert_mutants(text: &str, out: &mut Vec<Mutant>) {
    let names = schema_names(text);
    let lines = lines_of(text);
    let header = |name: &str| {
        lines.iter().position(|l| {
            l.trim_end() == format!("    {name}:")
                || l.trim_end() == format!("    '{name}':")
                || l.trim_end() == format!("    \"{name}\":")
        })
    };
    let mut all_cycle = lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    for (k, name) in names.iter().enumerate().rev() {
        let Some(at) = header(name) else { continue };
        let next = &names[(k + 1) % names.len()];
        for keyword in INSERTED {
            let kw = keyword.replace("{S}", name).replace("{T}", next);
            let mut v = lines.clone();
            let line = format!("      {kw}\n");
            v.insert(at + 1, &line);
            out.push(mutant(
                format!("`{kw}` inserted in schema {name}"),
                v.concat(),
            ));
        }
        all_cycle.insert(
            at + 1,
            format!("      allOf: [{{$ref: '#/components/schemas/{next}'}}]\n"),
        );
    }
    if !names.is_empty() {
        out.push(mutant(
            "every schema `allOf`-includes the next",
            all_cycle.concat(),
        ));
    }
}

/// Every mutant of one YAML seed.
fn yaml_mutants(text: &str) -> Vec<Mutant> {
    let mut out = Vec::new();
    line_mutants(text, &mut out);
    indent_mutants(text, &mut out);
    flow_mutants(text, &mut out);
    type_mutants(text, &mut out);
    ref_mutants(text, &mut out);
    insert_mutants(text, &mut out);
    out
}

// ---- the driver -------------------------------------------------------------------------
//
// A stack overflow or an abort kills the process, and `catch_unwind` cannot stop
// that. So each seed's mutants run in a child process (this test binary, re-run
// on the one test): the child records the index of each mutant before running
// it, and when the child dies the parent names that mutant as a crash and starts
// a new child after it. Panics are caught in the child itself.

/// In a child: the index of the first mutant to run.
const CHILD_START: &str = "OAGEN_NO_PANIC_START";
/// In a child: the file it writes each mutant's index to before running it, and
/// `done` to once it has run them all.
const CHILD_PROGRESS: &str = "OAGEN_NO_PANIC_PROGRESS";
const DONE: &str = "done";

fn scratch_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no_panic");
    std::fs::create_dir_all(&dir).expect("create the scratch folder");
    dir
}

fn seed_text(file: &str) -> String {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../specs")
        .join(file);
    std::fs::read_to_string(seed).expect("seed spec is readable")
}

fn stem(file: &str) -> &str {
    file.split('.').next().unwrap_or(file)
}

/// Every mutant of one seed: the YAML mutants, then line mutants of the JSON form.
fn seed_mutants(file: &str) -> Vec<Mutant> {
    let text = seed_text(file);
    let mut all = yaml_mutants(&text);
    let loaded = oagen::load::load_str(Path::new(file), &text).expect("the seed loads");
    let json_text = serde_json::to_string_pretty(&loaded.raw).expect("raw is JSON");
    let mut json = Vec::new();
    line_mutants(&json_text, &mut json);
    // Duplicated JSON lines mostly repeat a key, which JSON parsing accepts (the
    // last wins): little new ground for their cost, so only truncations and
    // deletions are kept.
    json.retain(|m| !m.what.ends_with(" duplicated"));
    for m in &mut json {
        m.json = true;
        m.what = format!("JSON form, {}", m.what);
    }
    all.extend(json);
    all
}

/// The mutants of one seed that are run: all of them.
fn runnable_mutants(file: &str) -> Vec<Mutant> {
    seed_mutants(file)
}

/// Where a mutant is written before it is loaded (so that `analyze_loaded` finds it).
fn scratch_for(file: &str, m: &Mutant) -> PathBuf {
    let ext = if m.json { "json" } else { "yaml" };
    scratch_dir().join(format!("{}.{ext}", stem(file)))
}

/// What a batch of mutants did.
#[derive(Debug, Default)]
struct Tally {
    load_failed: usize,
    analysis_failed: usize,
    analyzed: usize,
    panics: Vec<String>,
}

/// The child: runs mutants `start..`, catching panics, recording progress.
fn run_child(file: &str, start: usize, progress: &Path) {
    let mutants = runnable_mutants(file);
    let started = Instant::now();
    let mut tally = Tally::default();
    for (n, m) in mutants.iter().enumerate().skip(start) {
        std::fs::write(progress, n.to_string()).expect("write the progress file");
        let scratch = scratch_for(file, m);
        std::fs::write(&scratch, &m.text).expect("write the scratch spec");
        match capture_panic(|| exercise(&scratch, &m.text)) {
            Ok(Outcome::LoadFailed) => tally.load_failed += 1,
            Ok(Outcome::AnalysisFailed) => tally.analysis_failed += 1,
            Ok(Outcome::Analyzed) => tally.analyzed += 1,
            Err(report) => {
                let kept = keep_input(&scratch, n, &m.text);
                tally.panics.push(format!(
                    "specs/{file}: {} (input kept in {}):\n{report}",
                    m.what,
                    kept.display()
                ));
            }
        }
    }
    std::fs::write(progress, DONE).expect("write the progress file");
    eprintln!(
        "specs/{file}: mutants {start}..{} in {:.2?}: {} not loaded, {} not analyzed, \
         {} analyzed, {} panicked",
        mutants.len(),
        started.elapsed(),
        tally.load_failed,
        tally.analysis_failed,
        tally.analyzed,
        tally.panics.len()
    );
    assert!(
        tally.panics.is_empty(),
        "{} of {} mutants of specs/{file} panicked:\n\n{}",
        tally.panics.len(),
        mutants.len() - start,
        tally.panics.join("\n\n")
    );
    if start == 0 {
        // The mutants reach every stage, not just the parser.
        assert!(tally.load_failed > 0 && tally.analyzed > 0, "{tally:?}");
    }
}

/// Copies a mutant that panicked or crashed next to the scratch file, for reproduction.
fn keep_input(scratch: &Path, n: usize, text: &str) -> PathBuf {
    let ext = scratch
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("txt");
    let base = scratch
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("spec");
    let kept = scratch.with_file_name(format!("{base}-crash-{n}.{ext}"));
    let _ = std::fs::write(&kept, text);
    kept
}

/// Fuzzes one seed spec; `test` is the name of the calling test (re-run in the child).
fn fuzz_seed(test: &str, file: &str) {
    install_panic_hook();
    if let Ok(start) = std::env::var(CHILD_START) {
        let progress = std::env::var_os(CHILD_PROGRESS).expect("progress file is set");
        run_child(
            file,
            start.parse().expect("start index"),
            Path::new(&progress),
        );
        return;
    }

    // The seed itself loads and analyzes cleanly.
    let text = seed_text(file);
    let scratch = scratch_dir().join(file);
    std::fs::write(&scratch, &text).expect("write the scratch spec");
    let loaded = oagen::load::load_str(&scratch, &text).expect("the seed loads");
    oagen::analyze_loaded(&loaded).expect("the seed analyzes");

    let skipped = seed_mutants(file).len();
    let mutants = runnable_mutants(file);
    let skipped = skipped - mutants.len();
    let progress = scratch_dir().join(format!("{}.progress", stem(file)));
    let started = Instant::now();
    let mut crashes = Vec::new();
    let mut start = 0;
    loop {
        let _ = std::fs::remove_file(&progress);
        let out = Command::new(std::env::current_exe().expect("the test binary"))
            .args([test, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_START, start.to_string())
            .env(CHILD_PROGRESS, &progress)
            .output()
            .expect("run the child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let at = std::fs::read_to_string(&progress).unwrap_or_default();
        if at == DONE {
            // The child ran every remaining mutant: it passed or reports panics.
            assert!(out.status.success(), "{stdout}\n{stderr}");
            eprint!("{stderr}");
            break;
        }
        let Ok(n) = at.parse::<usize>() else {
            panic!(
                "the child ran no mutant ({}):\n{stdout}\n{stderr}",
                out.status
            );
        };
        let m = &mutants[n];
        let kept = keep_input(&scratch_for(file, m), n, &m.text);
        let tail: Vec<&str> = stderr.lines().rev().take(6).collect();
        crashes.push(format!(
            "specs/{file}: {} killed the process ({}; input kept in {}):\n{}",
            m.what,
            out.status,
            kept.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
        start = n + 1;
    }
    eprintln!(
        "specs/{file}: {} mutants in {:.2?}, {} crashed the process; {skipped} left out \
         (known bug)",
        mutants.len(),
        started.elapsed(),
        crashes.len()
    );
    assert!(
        crashes.is_empty(),
        "{} of {} mutants of specs/{file} killed the process:\n\n{}",
        crashes.len(),
        mutants.len(),
        crashes.join("\n\n")
    );
}

#[test]
fn no_panic_ampersand() {
    fuzz_seed("no_panic_ampersand", "ampersand.yaml");
}

#[test]
fn no_panic_devin() {
    fuzz_seed("no_panic_devin", "devin.yaml");
}

#[test]
fn no_panic_partoo() {
    fuzz_seed("no_panic_partoo", "partoo.yaml");
}

#[test]
fn no_panic_px0() {
    fuzz_seed("no_panic_px0", "px0.yaml");
}

#[test]
fn no_panic_trieve() {
    fuzz_seed("no_panic_trieve", "trieve.yaml");
}

/// In the child of a bug reproduction: the name of the case to run.
const REPRO_CHILD: &str = "OAGEN_NO_PANIC_REPRO";

/// Runs `spec` through `exercise` in a child process (this test binary re-run on
/// `test`); returns the child's report if the child died.
fn child_crash(test: &str, name: &str, spec: &str) -> Option<String> {
    match std::env::var(REPRO_CHILD) {
        Ok(case) if case == name => {
            let scratch = scratch_dir().join(name);
            std::fs::write(&scratch, spec).expect("write the scratch spec");
            exercise(&scratch, spec);
            return None;
        }
        Ok(_) => return None, // the child of another case
        Err(_) => {}
    }
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args([test, "--exact", "--include-ignored", "--nocapture"])
        .env(REPRO_CHILD, name)
        .output()
        .expect("run the child");
    (!out.status.success()).then(|| {
        format!(
            "{name}: load_str + analyze_loaded killed the process ({}):\n{spec}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Regression: the model builder's `collect_object` once followed `anyOf`/`oneOf`
/// `$ref` members of an object schema without the cycle check its `allOf` branch
/// has, so a schema with `properties` whose `anyOf`/`oneOf` reaches the schema
/// itself recursed until the stack overflowed. Both keywords and a two-schema loop
/// are checked, each in a child process so that a crash is reported, not fatal.
#[test]
fn self_referencing_one_of_next_to_properties_does_not_crash() {
    const HEAD: &str =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";
    let test = "self_referencing_one_of_next_to_properties_does_not_crash";
    let mut crashes = Vec::new();
    for (name, schemas) in [
        (
            "one_of_self.yaml",
            "    S:\n      properties: {a: {type: string}}\n      oneOf: [{$ref: '#/components/schemas/S'}]\n",
        ),
        (
            "any_of_self.yaml",
            "    S:\n      properties: {a: {type: string}}\n      anyOf: [{$ref: '#/components/schemas/S'}]\n",
        ),
        (
            "one_of_loop.yaml",
            "    S:\n      properties: {a: {type: string}}\n      oneOf: [{$ref: '#/components/schemas/T'}]\n    T:\n      properties: {b: {type: string}}\n      oneOf: [{$ref: '#/components/schemas/S'}]\n",
        ),
    ] {
        crashes.extend(child_crash(test, name, &format!("{HEAD}{schemas}")));
    }
    assert!(crashes.is_empty(), "{}", crashes.join("\n\n"));
}

#[test]
fn every_seed_is_fuzzed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut seeds: Vec<String> = std::fs::read_dir(dir)
        .expect("specs/ is readable")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    seeds.sort();
    assert_eq!(
        seeds,
        [
            "ampersand.yaml",
            "devin.yaml",
            "partoo.yaml",
            "px0.yaml",
            "trieve.yaml"
        ],
        "a seed spec was added or removed: add or remove its no_panic test"
    );
}

#[test]
fn panics_are_captured_with_a_backtrace() {
    install_panic_hook();
    let report = capture_panic(|| -> u8 { panic!("boom {}", 42) }).unwrap_err();
    assert!(report.contains("boom 42"), "{report}");
    assert!(report.contains("backtrace:"), "{report}");
    assert_eq!(capture_panic(|| 7), Ok(7));
}

#[test]
fn mutators_produce_what_they_claim() {
    let text = "a: 1\nb:\n  type: string\n  c: {$ref: '#/x'}\n";
    let mut out = Vec::new();
    line_mutants(text, &mut out);
    assert_eq!(out.len(), 5 + 4 + 4);
    assert_eq!(out[0].text, "");
    assert_eq!(out[4].text, text);
    assert_eq!(out[5].text, "b:\n  type: string\n  c: {$ref: '#/x'}\n");
    assert_eq!(
        out[9].text,
        "a: 1\na: 1\nb:\n  type: string\n  c: {$ref: '#/x'}\n"
    );
    let mut out = Vec::new();
    type_mutants(text, &mut out);
    assert_eq!(
        out[0].text,
        "a: 1\nb:\n  type: [string, integer, 'null']\n  c: {$ref: '#/x'}\n"
    );
    assert_eq!(
        schema_names(
            "components:\n  schemas:\n    A:\n      type: object\n    'B':\n      type: string\n"
        ),
        ["A", "B"]
    );
}
