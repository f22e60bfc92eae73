//! Tests of [`Builder`]'s `cargo:` lines: a `rerun-if-changed` for the spec and for every file its `$ref`s name.

use std::path::Path;

use super::Builder;

fn lines(spec: &Path, out: &Path) -> Vec<String> {
    let mut printed = Vec::new();
    Builder::new(spec)
        .out_dir(out)
        .generate_to(&mut |l| printed.push(l.to_string()))
        .expect("generates");
    printed
}

#[test]
fn reruns_when_any_file_of_a_multi_file_spec_changes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/multi");
    let out = std::env::temp_dir().join(format!("oagen-builder-multi-{}", std::process::id()));
    let printed = lines(&dir.join("openapi.yaml"), &out);
    let rerun: Vec<String> = printed
        .iter()
        .filter_map(|l| l.strip_prefix("cargo:rerun-if-changed="))
        .map(|p| {
            Path::new(p)
                .strip_prefix(&dir)
                .expect("under the fixture")
                .display()
                .to_string()
        })
        .collect();
    let mut sorted = rerun.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), rerun.len(), "each file once: {rerun:?}");
    assert_eq!(rerun[0], "openapi.yaml", "the root spec first");
    for f in [
        "paths/pets.yaml",
        "paths/owners.yaml",
        "paths/owner_get.yaml",
        "schemas/pet.yaml",
        "schemas/owner.yaml",
        "common/tag.yaml",
        "common/error.json",
        "common/responses.json",
        "common/parameters.yaml",
        "common/headers.yaml",
        "common/bodies.yaml",
        "common/security.yaml",
    ] {
        assert!(
            rerun.iter().any(|r| r == f),
            "no rerun-if-changed for {f}: {rerun:?}"
        );
    }
    assert_eq!(rerun.len(), 13);
    assert!(out.join("openapi.rs").exists());
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn a_single_file_spec_reruns_on_itself_only() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/tagged.yaml");
    let out = std::env::temp_dir().join(format!("oagen-builder-single-{}", std::process::id()));
    let printed = lines(&spec, &out);
    let rerun: Vec<&String> = printed
        .iter()
        .filter(|l| l.starts_with("cargo:rerun-if-changed="))
        .collect();
    assert_eq!(
        rerun,
        [&format!("cargo:rerun-if-changed={}", spec.display())]
    );
    let _ = std::fs::remove_dir_all(out);
}
