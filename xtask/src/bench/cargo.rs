//! Timed cargo builds: the untimed warm-up, the cleaned and timed build of a crate's own code, and why a build failed.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::measure::{measure, Measured};

use super::format::outcome_line;
use super::machine::wait_for_room;
use super::Dirs;

/// A build gets this long.
const BUILD_LIMIT: Duration = Duration::from_secs(3600);

/// One timed build.
#[derive(Debug, Clone)]
pub(super) struct BuildRun {
    /// `models + operations`, `+ client`, ...
    pub label: String,
    /// The cargo arguments after `build`.
    pub args: Vec<String>,
    /// Lines of the Rust code this configuration compiles.
    pub lines: u64,
    pub measured: Option<Measured>,
    /// Dependencies the timed build compiled too (then it was timed again).
    pub note: String,
}

/// Where the timed builds run: cargo, the run's folders (logs, and the file
/// system that must have room) and the target folder they share.
pub(super) struct Builder<'a> {
    pub cargo: &'a str,
    pub dirs: &'a Dirs,
    pub target: &'a Path,
}

impl Builder<'_> {
    /// The same builder with the logs in `dirs`' folders.
    pub(super) fn logging_to<'b>(&'b self, dirs: &'b Dirs) -> Builder<'b> {
        Builder {
            cargo: self.cargo,
            dirs,
            target: self.target,
        }
    }

    /// The untimed build that warms the dependencies; `None` when cargo cannot run.
    pub(super) fn warm_up(
        &self,
        dir: &Path,
        args: &[String],
        log: &str,
        notes: &mut Vec<String>,
    ) -> Option<Measured> {
        let dirs = self.dirs;
        if let Some(n) = wait_for_room(dirs.out.as_path()) {
            notes.push(format!("warm-up build: {n}"));
        }
        eprintln!(
            "==> warming the dependencies: cargo build {} (untimed)",
            args.join(" ")
        );
        match self.cargo_build(dir, args, log) {
            Ok((m, _)) => {
                eprintln!("{}", outcome_line("built", &m));
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
    pub(super) fn timed_build(
        &self,
        dir: &Path,
        packages: &[&str],
        args: Vec<String>,
        log: &str,
    ) -> BuildRun {
        let (cargo, dirs, target) = (self.cargo, self.dirs, self.target);
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
            match self.cargo_build(dir, &args, log) {
                Ok((m, compiled)) => {
                    eprintln!("{}", outcome_line("built", &m));
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
        &self,
        dir: &Path,
        args: &[String],
        log: &str,
    ) -> Result<(Measured, Vec<String>), String> {
        let (cargo, dirs, target) = (self.cargo, self.dirs, self.target);
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
}

/// The packages of cargo's `Compiling name vX.Y.Z (...)` lines.
pub(super) fn compiled_packages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Compiling "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
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
pub(super) fn build_failure(log: &str) -> Option<String> {
    if log.contains("No space left on device") {
        return Some("the disk was full (`No space left on device`)".into());
    }
    log.lines()
        .find(|l| l.starts_with("error"))
        .map(|l| format!("`{}`", l.replace('`', "'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_output_and_failures_are_read() {
        assert_eq!(
            compiled_packages(
                "   Compiling serde v1.0.1\n   Compiling github v0.1.0 (/x)\n    Finished `dev` profile\n"
            ),
            vec!["serde", "github"]
        );
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
}
