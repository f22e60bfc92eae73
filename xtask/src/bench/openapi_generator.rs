//! `--compare`: OpenAPI Generator's `rust` client for the same spec, installed, generated, and built the same way.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::measure::{measure, Measured};

use super::cargo::{BuildRun, Builder};
use super::format::outcome_line;
use super::generation::line_counts;

/// OpenAPI Generator, pinned (PyPI; the wheel carries the jar).
pub(super) const OPENAPI_GENERATOR: &str = "openapi-generator-cli==7.26.0";

/// OpenAPI Generator's side of `--compare`.
#[derive(Debug, Clone, Default)]
pub(super) struct OgReport {
    pub generate: Option<Measured>,
    /// Lines per generated Rust file.
    pub files: Vec<(String, u64)>,
    pub build: Option<BuildRun>,
    pub notes: Vec<String>,
}

/// Installs OpenAPI Generator into `.tools/venv` if needed, generates the
/// `rust` client for `spec`, warms its dependencies and times its cold build.
pub(super) fn openapi_generator(root: &Path, builder: &Builder, spec: &Path) -> OgReport {
    let dirs = builder.dirs;
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
            eprintln!("{}", outcome_line("generated", &m));
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
        let warm = builder.warm_up(&dir, &args, "github_og.warm", &mut og.notes);
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
    let mut b = builder.timed_build(&dir, &[&package], args, "github_og.build");
    b.label = "OpenAPI Generator `rust` client".into();
    b.lines = og.files.iter().map(|(_, n)| n).sum();
    og.build = Some(b);
    og
}

/// The `key = value` lines of a Cargo.toml's `[section]`, trimmed.
fn section<'a>(toml: &'a str, name: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
    let mut inside = false;
    toml.lines().filter_map(move |l| {
        let l = l.trim();
        if l.starts_with('[') {
            inside = l == name;
            return None;
        }
        let (key, value) = l.split_once('=')?;
        inside.then(|| (key.trim(), value.trim()))
    })
}

/// The feature of a Cargo.toml's `[features]` that selects rustls
/// (`rustls-tls` or `rustls`), if any.
pub(super) fn rustls_feature(toml: &str) -> Option<&'static str> {
    let keys: Vec<&str> = section(toml, "[features]").map(|(k, _)| k).collect();
    ["rustls-tls", "rustls"]
        .into_iter()
        .find(|f| keys.contains(f))
}

/// `name = "x"` of a Cargo.toml's `[package]`.
pub(super) fn package_name(toml: &str) -> Option<String> {
    section(toml, "[package]")
        .find(|(k, _)| *k == "name")
        .map(|(_, v)| v.trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn its_manifest_is_read() {
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
}
