//! `oagen check` and `oagen generate` on a multi-file spec: every referenced file is an input, problems are shown in the file they are in, and the generated crate builds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OAGEN: &str = env!("CARGO_BIN_EXE_oagen");

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn specs(name: &str) -> PathBuf {
    workspace_root().join("crates/oagen/tests/specs").join(name)
}

fn oagen(args: &[&str]) -> Output {
    Command::new(OAGEN)
        .args(args)
        .output()
        .expect("run the oagen binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder under the system temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("oagen-cli-multi-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the temporary folder");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn check_accepts_the_multi_file_spec() {
    let spec = specs("multi/openapi.yaml");
    let out = oagen(&["check", spec.to_str().expect("UTF-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("ok (5 operations, 5 types, 0 warnings)"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_reports_problems_in_referenced_files() {
    let dir = specs("multi_broken");
    let out = oagen(&["check", dir.join("openapi.yaml").to_str().expect("UTF-8")]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    let shown = |file: &str, rest: &str| format!("--> {}{rest}", dir.join(file).display());
    for (file, rest) in [
        (
            "openapi.yaml",
            ":15 at #/paths/~1things/get/responses/200/content/application~1json/schema/$ref",
        ),
        (
            "openapi.yaml",
            ":27 at #/paths/~1things/get/responses/202/content/application~1json/schema/$ref",
        ),
        ("paths/other.yaml", ":3 at #/get/responses"),
        ("schemas/thing.yaml", ":3 at #/Bad"),
    ] {
        assert!(
            stderr.contains(&shown(file, rest)),
            "no `{}` in:\n{stderr}",
            shown(file, rest)
        );
    }
    assert!(stderr.contains("6 error(s)"), "{stderr}");
}

#[test]
fn a_generated_multi_file_crate_builds() {
    let tmp = TempDir::new("generate");
    let krate = tmp.0.join("multi");
    let spec = specs("multi/openapi.yaml");
    let out = oagen(&[
        "generate",
        spec.to_str().expect("UTF-8"),
        "--out",
        krate.to_str().expect("UTF-8"),
        "--name",
        "multi",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let models = std::fs::read_to_string(krate.join("src/models.rs")).expect("models.rs");
    for ty in [
        "pub struct Pet",
        "pub struct Owner",
        "pub struct Error",
        "pub struct Tag",
    ] {
        assert_eq!(models.matches(ty).count(), 1, "{ty} once in models.rs");
    }
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        krate.join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp")
        .join("generated-crates");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut last = String::new();
    for offline in [true, false] {
        let mut cmd = Command::new(&cargo);
        cmd.args(["build", "--all-features"]).current_dir(&krate);
        if offline {
            cmd.arg("--offline");
        }
        let out = cmd
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("run cargo");
        if out.status.success() {
            return;
        }
        last = text(&out.stderr);
        if !last.contains("offline") {
            break;
        }
    }
    panic!("cargo build of the multi-file crate:\n{last}");
}
