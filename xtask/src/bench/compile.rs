//! `--compile`: the generated GitHub crate in each configuration (features, `--split-models`, a program using every client operation), each build timed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::measure::{measure, Measured};

use super::cargo::{timed_build, warm_up, BuildRun};
use super::generation::line_counts;
use super::openapi_generator::{openapi_generator, OgReport};
use super::Dirs;

/// The crate name of the generated GitHub crate in `--compile`.
pub(super) const GITHUB_CRATE: &str = "github";

/// `--compile` (and `--compare`).
#[derive(Debug, Clone, Default)]
pub(super) struct CompileReport {
    /// Lines per generated file.
    pub files: Vec<(String, u64)>,
    pub generate: Option<Measured>,
    pub warm: Option<Measured>,
    pub builds: Vec<BuildRun>,
    pub og: Option<OgReport>,
    pub notes: Vec<String>,
}

/// The configurations of the generated crate: label and cargo features.
pub(super) const CONFIGS: [(&str, Option<&str>); 3] = [
    ("models + operations", None),
    ("models + operations + client", Some("client")),
    (
        "models + operations + client + server",
        Some("client,server"),
    ),
];

/// The per-tag configuration: two of GitHub's tags, client and server, with the
/// other tags' features (on by default) off.
pub(super) const TWO_TAGS: (&str, &str) = (
    "two tags (`repos`, `issues`): client + server",
    "client,server,repos,issues",
);

/// The same configuration as the last of [`CONFIGS`], generated with
/// `--split-models` (the types in crates of their own) into this folder.
pub(super) const SPLIT: (&str, &str) = (
    "models + operations + client + server, the types in crates of their own (`--split-models`)",
    "client,server",
);

const SPLIT_DIR: &str = "github-split";

/// The label of [`TWO_TAGS`] built from the `--split-models` crates.
pub(super) const SPLIT_TWO_TAGS: &str =
    "two tags (`repos`, `issues`): client + server, `--split-models`";

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
pub(super) const USER: (&str, &str) = (
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
pub(super) fn compile_github(
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

#[cfg(test)]
mod tests {
    use super::super::generation::count_lines;
    use super::*;

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
}
