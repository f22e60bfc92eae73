//! The release `oagen` the corpus and the bench run: built from the working tree, or (`bench --baseline`) at a git revision, copied out of cargo's reach, and its `generate` command line.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// cargo: the one running the xtask, else `cargo` on the path.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The workspace's target folder (`CARGO_TARGET_DIR`, else `target/`).
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root.join(d),
        _ => root.join("target"),
    }
}

/// `git ARGS` in `root`: its trimmed output, or `None` when it fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// The commit the run's `oagen` is built from, read before building it.
pub fn source_version(root: &Path) -> String {
    let rev = git(root, &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    if rev.is_empty() {
        return "an unknown commit".into();
    }
    let dirty = if git(root, &["status", "--porcelain", "--untracked-files=no"])
        .unwrap_or_default()
        .is_empty()
    {
        ""
    } else {
        " (with uncommitted changes)"
    };
    format!("commit {rev}{dirty}")
}

/// The command that builds the release `oagen` in the workspace at `dir`;
/// the same for the working tree and for a baseline.
fn release_build(dir: &Path) -> Command {
    let mut cmd = Command::new(cargo());
    cmd.args(["build", "--release", "-p", "oagen-cli"])
        .current_dir(dir);
    cmd
}

/// Builds the working tree's release `oagen` and copies it to `to`, so that
/// a concurrent `cargo build --release` cannot swap the binary in the middle
/// of the run.
pub fn build(root: &Path, to: &Path) -> Result<(), String> {
    eprintln!("==> building the release oagen: cargo build --release -p oagen-cli");
    crate::run(&mut release_build(root))?;
    fs::copy(target_dir(root).join("release/oagen"), to)
        .map_err(|e| format!("copying oagen: {e}"))?;
    Ok(())
}

/// The release `oagen` at git revision `rev`, built the same way as the
/// working tree's from the revision's files (`git archive`) in
/// `under/baseline-SHA/src`, with its own target folder `under/baseline-target`
/// (shared by every baseline, so that the dependencies are built once), and
/// kept as `under/baseline-SHA/oagen`: a second run with the same revision
/// reuses it. Returns the binary and `commit SHA`.
pub fn at_revision(root: &Path, rev: &str, under: &Path) -> Result<(PathBuf, String), String> {
    let sha = git(
        root,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )
    .ok_or_else(|| format!("--baseline {rev}: not a commit of this repository"))?;
    let short = &sha[..sha.len().min(12)];
    let dir = under.join(format!("baseline-{short}"));
    let bin = dir.join("oagen");
    let label = format!("commit {short}");
    if bin.is_file() {
        eprintln!(
            "==> the baseline oagen at {rev} ({short}): {} (built before)",
            bin.display()
        );
        return Ok((bin, label));
    }
    let src = dir.join("src");
    let _ = fs::remove_dir_all(&src);
    fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    eprintln!(
        "==> the baseline oagen at {rev} ({short}): git archive into {}",
        src.display()
    );
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", &sha])
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    let unpacked = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&src)
        .stdin(archive.stdout.take().map_or_else(Stdio::null, Stdio::from))
        .status();
    let archived = archive.wait();
    if !unpacked.is_ok_and(|s| s.success()) || !archived.is_ok_and(|s| s.success()) {
        return Err(format!("cannot unpack {short} into {}", src.display()));
    }
    let target = under.join("baseline-target");
    eprintln!(
        "==> building the baseline oagen: cargo build --release -p oagen-cli (target {})",
        target.display()
    );
    crate::run(release_build(&src).env("CARGO_TARGET_DIR", &target))?;
    fs::copy(target.join("release/oagen"), &bin)
        .map_err(|e| format!("copying the baseline oagen: {e}"))?;
    Ok((bin, label))
}

/// `BIN generate SPEC --out DIR --name NAME`, with no stdin or stdout; the
/// caller adds flags and sets stderr.
pub fn generate(bin: &Path, spec: &Path, out: &Path, name: &str) -> Command {
    let mut cmd = Command::new(bin);
    cmd.arg("generate")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .arg("--name")
        .arg(name)
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    cmd
}
