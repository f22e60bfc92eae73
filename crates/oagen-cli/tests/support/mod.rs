//! What the CLI's integration tests share: the binary, the repository's paths, temporary folders and `cargo` runs.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const OAGEN: &str = env!("CARGO_BIN_EXE_oagen");

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// A file under `crates/oagen/tests/fixtures` (the broken specs).
pub fn fixture(name: &str) -> PathBuf {
    workspace_root()
        .join("crates/oagen/tests/fixtures")
        .join(name)
}

/// A file under `crates/oagen/tests/specs`.
pub fn specs(name: &str) -> PathBuf {
    workspace_root().join("crates/oagen/tests/specs").join(name)
}

/// The `oagen` binary run with `args`.
pub fn oagen(args: &[&str]) -> Output {
    Command::new(OAGEN)
        .args(args)
        .output()
        .expect("run the oagen binary")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `oagen generate SPEC --out KRATE EXTRA…`, which must succeed.
pub fn generate(spec: &Path, krate: &Path, extra: &[&str]) {
    let mut args = vec![
        "generate",
        spec.to_str().expect("UTF-8 path"),
        "--out",
        krate.to_str().expect("UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    let out = oagen(&args);
    assert!(
        out.status.success(),
        "oagen generate {}:\n{}",
        spec.display(),
        text(&out.stderr)
    );
}

/// Copies the project's `Cargo.lock` into `dir`.
pub fn copy_lock(dir: &Path) {
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .expect("copy Cargo.lock");
}

/// A fresh folder under the system temporary folder (outside the repository),
/// removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!(
            "oagen-cli-test-{tag}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create the temporary folder");
        let dir = dir.canonicalize().expect("temporary folder");
        assert!(
            !dir.starts_with(workspace_root()),
            "{} is inside the repository",
            dir.display()
        );
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The folder generated crates are built in, under the target folder of this
/// build (honours `CARGO_TARGET_DIR`).
pub fn generated_target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp")
        .join("generated-crates")
}

/// `cargo ARGS` in `dir` with a shared target folder, `--offline` first; online
/// only when offline failed for want of a package. The last run and whether it
/// was offline.
pub fn cargo_run(dir: &Path, target: &Path, args: &[&str]) -> (Output, bool) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut last = None;
    for offline in [true, false] {
        let mut cmd = Command::new(&cargo);
        cmd.args(args).current_dir(dir);
        if offline {
            cmd.arg("--offline");
        }
        let out = cmd
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .env("CARGO_TARGET_DIR", target)
            .output()
            .expect("run cargo");
        // Offline fails only for want of a package; a compile error fails both.
        let missing = text(&out.stderr).contains("offline");
        if out.status.success() || !missing {
            return (out, offline);
        }
        last = Some((out, offline));
    }
    last.expect("cargo ran")
}

/// [`cargo_run`]'s output only.
pub fn cargo_in(dir: &Path, target: &Path, args: &[&str]) -> Output {
    cargo_run(dir, target, args).0
}
