//! `oagen check` and `oagen generate` on a multi-file spec: every referenced file is an input, problems are shown in the file they are in, and the generated crate builds.

mod support;

use support::{cargo_in, copy_lock, generate, generated_target, oagen, specs, text, TempDir};

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
    assert!(stderr.contains("5 error(s)"), "{stderr}");
    // The schema in the missing file is any value, with a warning.
    assert!(
        stderr.contains("warning: cannot read `schemas/missing.yaml`"),
        "{stderr}"
    );
}

#[test]
fn a_generated_multi_file_crate_builds() {
    let tmp = TempDir::new("generate");
    let krate = tmp.path().join("multi");
    generate(&specs("multi/openapi.yaml"), &krate, &["--name", "multi"]);
    let models = std::fs::read_to_string(krate.join("src/models.rs")).expect("models.rs");
    for ty in [
        "pub struct Pet",
        "pub struct Owner",
        "pub struct Error",
        "pub struct Tag",
    ] {
        assert_eq!(models.matches(ty).count(), 1, "{ty} once in models.rs");
    }
    copy_lock(&krate);
    let out = cargo_in(&krate, &generated_target(), &["build", "--all-features"]);
    assert!(
        out.status.success(),
        "cargo build of the multi-file crate:\n{}",
        text(&out.stderr)
    );
}
