//! A spec whose inline objects nest hundreds of levels deep generates a crate that builds.

mod support;

use support::{cargo_in, copy_lock, generate, generated_target, specs, text, TempDir};

#[test]
fn three_hundred_levels_of_inline_objects_build() {
    let dir = TempDir::new("deep");
    // 300 objects, each the `child` of the one around it.
    let spec = specs("deep300.json");
    let krate = dir.path().join("deep");
    generate(&spec, &krate, &["--name", "deep"]);
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("#![recursion_limit = \"2048\"]"), "{lib}");
    copy_lock(&krate);
    let out = cargo_in(
        &krate,
        &generated_target(),
        &["build", "--features", "client,server"],
    );
    assert!(
        out.status.success(),
        "the deep crate does not build:\n{}",
        text(&out.stderr)
    );
}
