//! The project's tasks: `cargo xtask codegen [--check]`, `cargo xtask ci`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use oagen::{EmitOptions, WriteMode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    match args.first().map(String::as_str) {
        Some("codegen") => {
            let check = args.iter().any(|a| a == "--check");
            codegen(&root, check)
        }
        Some("ci") => ci(&root),
        _ => {
            eprintln!("usage: cargo xtask codegen [--check]\n       cargo xtask ci");
            ExitCode::from(2)
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The seed specs: `specs/*.yaml` and `specs/*.json`, sorted.
fn specs(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        )
    });
    out.sort();
    out
}

/// Regenerates `examples/<name>/` for every spec; with `check`, writes nothing and
/// fails when anything is stale, missing or extra.
fn codegen(root: &Path, check: bool) -> ExitCode {
    let mode = if check {
        WriteMode::Check
    } else {
        WriteMode::Write
    };
    let mut failed = false;
    let mut problems = Vec::new();
    for spec in specs(root) {
        let name = oagen::crate_name_for(&spec);
        let rel = spec.strip_prefix(root).unwrap_or(&spec);
        let opts = EmitOptions {
            crate_name: name.clone(),
            crate_version: "0.1.0".into(),
            spec_label: rel.display().to_string(),
            command: "cargo xtask codegen".into(),
            standalone: false,
            example_tests: true,
        };
        let files = match oagen::generate_crate(&spec, &opts) {
            Ok((files, warnings)) => {
                for w in warnings {
                    eprintln!("{w}");
                }
                files
            }
            Err(f) => {
                eprintln!("{f}");
                failed = true;
                continue;
            }
        };
        let dir = root.join("examples").join(&name);
        match oagen::write(&dir, &files, mode) {
            Ok(report) => {
                for (what, list) in [
                    ("stale", &report.stale),
                    ("missing", &report.missing),
                    ("extra", &report.extra),
                ] {
                    for p in list {
                        problems.push(format!(
                            "{what}: {}",
                            p.strip_prefix(root).unwrap_or(p).display()
                        ));
                    }
                }
                if !check {
                    eprintln!(
                        "examples/{name}: {} updated, {} created, {} removed, {} unchanged",
                        report.stale.len(),
                        report.missing.len(),
                        report.extra.len(),
                        report.unchanged
                    );
                }
            }
            Err(e) => {
                eprintln!("error: {}: {e}", dir.display());
                failed = true;
            }
        }
    }
    if check && !problems.is_empty() {
        eprintln!("generated code is out of date; run `cargo xtask codegen`:");
        for p in &problems {
            eprintln!("  {p}");
        }
        failed = true;
    } else if check && !failed {
        eprintln!("generated code is up to date");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Everything CI runs, in order; stops at the first failure.
/// One CI step: a name, cargo's arguments, and environment variables.
type Step<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)]);

fn ci(root: &Path) -> ExitCode {
    let steps: &[Step] = &[
        ("format", &["fmt", "--all", "--", "--check"], &[]),
        ("codegen is fresh", &["xtask", "codegen", "--check"], &[]),
        (
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
            &[("RUSTFLAGS", "-D warnings")],
        ),
        (
            "docs",
            &["doc", "--workspace", "--no-deps", "--locked"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        ),
        (
            "tests",
            &["test", "--workspace", "--locked"],
            &[("RUSTFLAGS", "-D warnings")],
        ),
    ];
    for (name, args, env) in steps {
        eprintln!("==> {name}: cargo {}", args.join(" "));
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(*args).current_dir(root);
        for (k, v) in *env {
            cmd.env(k, v);
        }
        match cmd.status() {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("==> {name} failed ({s})");
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("==> {name}: cannot run cargo: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("==> all checks passed");
    ExitCode::SUCCESS
}
