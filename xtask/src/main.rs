//! The project's tasks: `cargo xtask codegen [--check]`, `cargo xtask tools`,
//! `cargo xtask corpus [...]`, `cargo xtask bench [...]`, `cargo xtask ci`.

mod bench;
mod conformance;
mod corpus;
mod measure;
mod release;

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
        Some("corpus") => corpus::corpus(&root, &args[1..]),
        Some("bench") => bench::bench(&root, &args[1..]),
        Some("tools") => match install_tools(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: cargo xtask codegen [--check]\n       cargo xtask tools\n       cargo xtask ci\n       \
                 cargo xtask corpus [--timeout S] [--jobs N] [--only SUBSTRING]... [--sample N] [--seed S] [--keep] [--compile N] [--slice]\n       \
                 cargo xtask bench [--runs N] [--only SUBSTRING]... [--compile] [--compare] [--baseline REV] [--smoke] [--streaming]"
            );
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
    let (problems, failed) = codegen_report(root, check);
    if check && !problems.is_empty() {
        eprintln!("generated code is out of date; run `cargo xtask codegen`:");
        for p in &problems {
            eprintln!("  {p}");
        }
        return ExitCode::FAILURE;
    }
    if failed {
        return ExitCode::FAILURE;
    }
    if check {
        eprintln!("generated code is up to date");
    }
    ExitCode::SUCCESS
}

/// Does the work of [`codegen`]: returns the stale, missing and extra files (as
/// `what: path` lines) and whether any spec failed to generate.
fn codegen_report(root: &Path, check: bool) -> (Vec<String>, bool) {
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
            client: true,
            server: true,
            split_models: false,
            tag_crates: 0,
            tracing: false,
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
    (problems, failed)
}

/// The outside testers, pinned.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// Installs Prism (npm) and Schemathesis (PyPI) into `.tools/` (ignored by git),
/// unless the pinned versions are already there.
fn install_tools(root: &Path) -> Result<(), String> {
    let tools = root.join(".tools");
    let prism = tools.join("node/node_modules/.bin/prism");
    let stamp = tools.join("node/.installed");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(PRISM) || !prism.exists() {
        eprintln!("==> installing {PRISM} into .tools/node");
        std::fs::create_dir_all(tools.join("node")).map_err(|e| e.to_string())?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(tools.join("node"))
            .arg(PRISM))?;
        std::fs::write(&stamp, PRISM).map_err(|e| e.to_string())?;
    }
    let venv = tools.join("venv");
    let st = venv.join("bin/schemathesis");
    let stamp = tools.join("venv/.installed");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(SCHEMATHESIS) || !st.exists() {
        eprintln!("==> installing {SCHEMATHESIS} into .tools/venv");
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            SCHEMATHESIS,
        ]))?;
        std::fs::write(&stamp, SCHEMATHESIS).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A task's entry: parses `args` (a usage error exits with 2, after `usage`),
/// then runs; `Ok(false)` (a bug found, a build failed) and errors fail.
fn task<O>(
    args: &[String],
    usage: &str,
    parse: fn(&[String]) -> Result<O, String>,
    run: impl FnOnce(&O) -> Result<bool, String>,
) -> ExitCode {
    let opts = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}\n{usage}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Empties (or makes) the folders `subs` of `out`.
fn fresh_dirs(out: &Path, subs: &[&str]) -> Result<(), String> {
    for sub in subs {
        let dir = out.join(sub);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    match cmd.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{cmd:?} failed ({s})")),
        Err(e) => Err(format!("cannot run {cmd:?}: {e}")),
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
                "--all-features",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
            &[("RUSTFLAGS", "-D warnings")],
        ),
        (
            "docs",
            &[
                "doc",
                "--workspace",
                "--no-deps",
                "--all-features",
                "--locked",
            ],
            &[("RUSTDOCFLAGS", "-D warnings")],
        ),
        (
            "tests",
            &["test", "--workspace", "--all-features", "--locked"],
            &[("RUSTFLAGS", "-D warnings")],
        ),
        // The fixed corpus slice: the seeds, GitHub and Stripe generated (every
        // operation), 19 directory specs generated, built and their examples checked.
        ("corpus slice", &["xtask", "corpus", "--slice"], &[]),
        // The benchmark as a smoke test only (seeds, GitHub generation); no timing
        // is asserted.
        ("bench smoke", &["xtask", "bench", "--smoke"], &[]),
    ];
    if let Err(e) = install_tools(root) {
        eprintln!("==> installing the outside testers failed: {e}");
        return ExitCode::FAILURE;
    }
    for (name, args, env) in steps {
        eprintln!("==> {name}: cargo {}", args.join(" "));
        let mut cmd = Command::new(release::cargo());
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A copy of `specs/` and the generated examples in a fresh folder.
    fn sandbox(name: &str) -> PathBuf {
        let root = project_root();
        let dir = std::env::temp_dir().join(format!("oagen-xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("specs")).unwrap();
        for spec in specs(&root) {
            fs::copy(&spec, dir.join("specs").join(spec.file_name().unwrap())).unwrap();
            let crate_dir = oagen::crate_name_for(&spec);
            copy_dir(
                &root.join("examples").join(&crate_dir),
                &dir.join("examples").join(&crate_dir),
            );
        }
        dir
    }

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for e in fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &target);
            } else {
                fs::copy(e.path(), target).unwrap();
            }
        }
    }

    /// `codegen --check` in `dir` generates every spec and finds `expected`
    /// (sorted); then `dir` is removed.
    fn check_finds(dir: PathBuf, expected: &[&str]) {
        let (mut problems, failed) = codegen_report(&dir, true);
        problems.sort();
        assert!(!failed);
        assert_eq!(problems, expected);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn check_passes_on_the_checked_in_examples() {
        // When this fails, the checked-in examples are stale: run `cargo xtask codegen`.
        check_finds(sandbox("fresh"), &[]);
    }

    #[test]
    fn check_fails_on_an_edited_generated_file_and_codegen_repairs_it() {
        let dir = sandbox("edited");
        let models = dir.join("examples/px0/src/models.rs");
        let mut text = fs::read_to_string(&models).unwrap();
        text.push_str("\n// a hand edit\n");
        fs::write(&models, &text).unwrap();
        let (problems, _) = codegen_report(&dir, true);
        assert_eq!(
            problems,
            vec![format!(
                "stale: {}",
                models.strip_prefix(&dir).unwrap().display()
            )]
        );
        assert_eq!(
            fs::read_to_string(&models).unwrap(),
            text,
            "check mode must not write"
        );
        let (problems, _) = codegen_report(&dir, false);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            codegen_report(&dir, true).0,
            Vec::<String>::new(),
            "codegen repaired it"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn check_fails_on_an_edited_spec() {
        let dir = sandbox("spec");
        let spec = dir.join("specs/devin.yaml");
        let text = fs::read_to_string(&spec).unwrap().replace(
            "title: Org Name",
            "title: Org Name\n          description: The name.",
        );
        fs::write(&spec, text).unwrap();
        check_finds(dir, &["stale: examples/devin/src/models.rs"]);
    }

    /// A seed split over files (`specs/multi.yaml` and `specs/multi/..`, not a
    /// seed itself): check mode regenerates from every file read, so a change in
    /// a referenced file alone is stale output.
    #[test]
    fn check_fails_on_an_edited_referenced_file() {
        let dir = std::env::temp_dir().join(format!("oagen-xtask-multi-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let fixture = project_root().join("crates/oagen/tests/specs/multi");
        copy_dir(&fixture, &dir.join("specs/multi"));
        let root = fs::read_to_string(fixture.join("openapi.yaml"))
            .unwrap()
            .replace("$ref: paths/", "$ref: multi/paths/")
            .replace("$ref: schemas/", "$ref: multi/schemas/")
            .replace("$ref: common/", "$ref: multi/common/");
        fs::write(dir.join("specs/multi.yaml"), root).unwrap();
        assert!(
            !codegen_report(&dir, false).1,
            "the multi-file seed generates"
        );
        assert_eq!(codegen_report(&dir, true), (Vec::new(), false));
        let owner = dir.join("specs/multi/schemas/owner.yaml");
        let text = fs::read_to_string(&owner)
            .unwrap()
            .replace("An owner", "A person who owns");
        fs::write(&owner, text).unwrap();
        let (problems, failed) = codegen_report(&dir, true);
        assert!(!failed);
        assert_eq!(
            problems,
            vec!["stale: examples/multi/src/models.rs".to_string()]
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn check_fails_on_missing_and_extra_files() {
        let dir = sandbox("files");
        fs::remove_file(dir.join("examples/trieve/README.md")).unwrap();
        fs::write(
            dir.join("examples/trieve/src/extra.rs"),
            "// not generated\n",
        )
        .unwrap();
        check_finds(
            dir,
            &[
                "extra: examples/trieve/src/extra.rs",
                "missing: examples/trieve/README.md",
            ],
        );
    }

    #[test]
    fn generation_is_deterministic() {
        let root = project_root();
        for spec in specs(&root) {
            let opts = EmitOptions {
                crate_name: oagen::crate_name_for(&spec),
                crate_version: "0.1.0".into(),
                spec_label: "x".into(),
                command: "y".into(),
                standalone: true,
                example_tests: true,
                client: true,
                server: true,
                split_models: false,
                tag_crates: 0,
                tracing: false,
            };
            let a = oagen::generate_crate(&spec, &opts).unwrap().0;
            let b = oagen::generate_crate(&spec, &opts).unwrap().0;
            assert_eq!(a, b, "{}", spec.display());
        }
    }
}
