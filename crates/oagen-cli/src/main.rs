//! `oagen`: generate a Rust crate from an OpenAPI 3.0 or 3.1 spec, or check a spec.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use oagen::{EmitOptions, WriteMode};

/// A faster allocator than the system one: generation allocates many small
/// token trees (measured in BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_t` of the
/// `mimalloc.h` that `libmimalloc-sys` 0.1.49 builds (the crate's own constants
/// follow an older header and do not name it). A test checks it by its default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc never to give freed memory back to the OS while `oagen` runs.
///
/// Generation builds and drops token trees all the time; with purging on (its
/// default, after a delay) mimalloc returns the freed pages and faults them in
/// again, zeroed, moments later. On GitHub's spec that was 16% of the CPU time
/// and 19% of the wall time, for no lower peak (BENCHMARKS.md). The process is
/// short-lived, so nothing is lost by keeping what it freed until it exits.
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` only stores an integer in mimalloc's option
    // table; it is called before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[derive(Parser)]
#[command(
    name = "oagen",
    version,
    about = "OpenAPI 3.0/3.1/3.2 to Rust code generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a crate that builds on its own with `cargo build`.
    Generate {
        /// The spec (YAML or JSON).
        spec: PathBuf,
        /// The folder to write the crate into (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// The crate name (default: from the spec's file name).
        #[arg(long)]
        name: Option<String>,
        /// Also emit `tests/examples.rs`, checking every example in the spec.
        #[arg(long)]
        example_tests: bool,
        /// Do not add `[workspace]` (when DIR is a member of your workspace).
        #[arg(long)]
        no_workspace: bool,
        /// Put the types (`models`, `operations`, `runtime`, `validate`) in
        /// crates of their own, which the crate re-exports: what several tags
        /// share in NAME_models (DIR/models), each tag's own types in one of
        /// NAME_models_1, NAME_models_2, .. (DIR/models-N), built side by side.
        /// A large API builds with far less memory and sooner.
        #[arg(long)]
        split_models: bool,
        /// With --split-models: over how many crates the tags' own types are
        /// shared out (balanced by size; 0 keeps them in NAME_models).
        #[arg(long, value_name = "N", default_value_t = oagen::emit::DEFAULT_TAG_CRATES, requires = "split_models")]
        tag_crates: usize,
        /// Write the spec's counts and diagnostics as JSON to this file (for
        /// `cargo xtask corpus`): `{"operations":N,"types":M,"warnings":[..],"errors":[..]}`.
        #[arg(long, hide = true)]
        stats_json: Option<PathBuf>,
        /// Write the time of each phase as JSON (seconds) to this file (for
        /// `cargo xtask bench`): `{"read":0.01,"parse":0.2,...}`.
        #[arg(long, hide = true)]
        timings: Option<PathBuf>,
    },
    /// Print the spec's parse floor as JSON (seconds to read and parse it into
    /// a JSON value and into `openapiv3::OpenAPI`), for `cargo xtask bench`.
    #[command(hide = true)]
    Floor {
        /// The spec (YAML or JSON).
        spec: PathBuf,
    },
    /// Load a spec and print its diagnostics; exits non-zero on errors.
    Check {
        /// The spec (YAML or JSON).
        spec: PathBuf,
        /// Also print the intermediate model (for debugging the generator).
        #[arg(long)]
        dump_model: bool,
    },
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            spec,
            out,
            name,
            example_tests,
            no_workspace,
            split_models,
            tag_crates,
            stats_json,
            timings,
        } => {
            if timings.is_some() {
                oagen::timing::enable();
            }
            let crate_name = match name {
                Some(n) if oagen::valid_crate_name(&n) => n,
                Some(n) => {
                    eprintln!("error: `{n}` is not a valid crate name (use letters, digits and `_`, starting with a letter)");
                    return ExitCode::from(2);
                }
                None => oagen::crate_name_for(&spec),
            };
            let mut command = format!("oagen generate {} --out {}", spec.display(), out.display());
            if crate_name != oagen::crate_name_for(&spec) {
                command.push_str(&format!(" --name {crate_name}"));
            }
            if split_models {
                command.push_str(" --split-models");
                if tag_crates != oagen::emit::DEFAULT_TAG_CRATES {
                    command.push_str(&format!(" --tag-crates {tag_crates}"));
                }
            }
            let opts = EmitOptions {
                crate_name,
                crate_version: "0.1.0".into(),
                spec_label: spec.display().to_string(),
                command,
                standalone: !no_workspace,
                example_tests,
                client: true,
                server: true,
                split_models,
                tag_crates: if split_models { tag_crates } else { 0 },
                tracing: false,
            };
            // What `oagen::generate_crate` does, in two steps so that the model's
            // counts are at hand for `--stats-json`.
            //
            // The document is dropped once the model is built (its memory is
            // reused for the code); the model is a large tree that the process is
            // about to drop in one piece at exit, so it is left to the OS.
            let generated = oagen::load::load_file(&spec).and_then(|loaded| {
                let analysis = oagen::analyze_loaded(&loaded);
                oagen::timing::time("model", || drop(loaded));
                let mut analysis = std::mem::ManuallyDrop::new(analysis?);
                analysis.api.gate_by_tag();
                let counts = (analysis.api.operations.len(), analysis.api.types.len());
                match oagen::emit::crate_files(&analysis.api, &opts) {
                    Ok(files) => Ok((files, analysis.warnings.clone(), counts)),
                    Err(e) => Err(oagen::Failure {
                        diagnostics: vec![oagen::Diagnostic {
                            file: spec.clone(),
                            ..oagen::Diagnostic::error("", e)
                        }],
                    }),
                }
            });
            if let Some(path) = &stats_json {
                let json = match &generated {
                    Ok((_, warnings, counts)) => stats(Some(*counts), warnings),
                    Err(failure) => stats(None, &failure.diagnostics),
                };
                if let Err(e) = std::fs::write(path, json) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
            match generated {
                Ok((files, warnings, _)) => {
                    for w in &warnings {
                        eprintln!("{w}");
                    }
                    let written = oagen::timing::time("write", || {
                        oagen::write(&out, &files, WriteMode::Write)
                    });
                    std::mem::forget(files);
                    if let Some(path) = &timings {
                        let phases: Vec<String> = oagen::timing::take()
                            .iter()
                            .map(|(p, d)| format!("{}:{:.6}", json_string(p), d.as_secs_f64()))
                            .collect();
                        if let Err(e) = std::fs::write(path, format!("{{{}}}\n", phases.join(",")))
                        {
                            eprintln!("error: cannot write {}: {e}", path.display());
                            return ExitCode::FAILURE;
                        }
                    }
                    match written {
                        Ok(report) => {
                            eprintln!(
                                "wrote {} ({} changed, {} new, {} unchanged, {} removed)",
                                out.display(),
                                report.stale.len(),
                                report.missing.len(),
                                report.unchanged,
                                report.extra.len()
                            );
                            ExitCode::SUCCESS
                        }
                        Err(e) => {
                            eprintln!("error: cannot write {}: {e}", out.display());
                            ExitCode::FAILURE
                        }
                    }
                }
                Err(failure) => {
                    eprintln!("{failure}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Floor { spec } => match oagen::load::parse_floor(&spec) {
            Ok((value, openapi)) => {
                let openapi = openapi.map_or("null".to_string(), |s| format!("{s:.6}"));
                println!("{{\"value\":{value:.6},\"openapiv3\":{openapi}}}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}: {e}", spec.display());
                ExitCode::FAILURE
            }
        },
        Command::Check { spec, dump_model } => match oagen::analyze(&spec) {
            Ok(analysis) => {
                if dump_model {
                    println!("{:#?}", analysis.api);
                }
                for w in &analysis.warnings {
                    eprintln!("{w}");
                }
                let api = &analysis.api;
                println!(
                    "{}: ok ({} operations, {} types, {} warnings)",
                    spec.display(),
                    api.operations.len(),
                    api.types.len(),
                    analysis.warnings.len()
                );
                ExitCode::SUCCESS
            }
            Err(failure) => {
                eprintln!("{failure}");
                ExitCode::FAILURE
            }
        },
    }
}

/// The `--stats-json` document: counts (`null` when the spec was rejected), then
/// the warnings and the errors as pointer and message.
fn stats(counts: Option<(usize, usize)>, diagnostics: &[oagen::Diagnostic]) -> String {
    let (operations, types) = match counts {
        Some((o, t)) => (o.to_string(), t.to_string()),
        None => ("null".into(), "null".into()),
    };
    let list = |errors: bool| {
        let items: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.is_error() == errors)
            .map(|d| {
                format!(
                    "{{\"pointer\":{},\"message\":{}}}",
                    json_string(&d.pointer),
                    json_string(&d.message)
                )
            })
            .collect();
        format!("[{}]", items.join(","))
    };
    format!(
        "{{\"operations\":{operations},\"types\":{types},\"warnings\":{},\"errors\":{}}}\n",
        list(false),
        list(true)
    )
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option index is mimalloc's purge delay: its default (1000 ms, unless
    /// the environment sets it) is the one `options.c` gives `purge_delay`, and
    /// after `keep_freed_memory` it is "never".
    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        // SAFETY: reading an integer from mimalloc's option table.
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(
                get(),
                1000,
                "index {MI_OPTION_PURGE_DELAY} is not mimalloc's purge_delay"
            );
        }
        keep_freed_memory();
        assert_eq!(get(), -1);
    }
}
