//! The `oagen` binary end to end: `check` on broken and seed specs, `generate`
//! of every seed into a temporary folder followed by `cargo build` there, and
//! argument errors.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

use support::{
    cargo_in, cargo_run, copy_lock, fixture, generate, generated_target, oagen, specs, text,
    workspace_root, TempDir,
};

fn seed_specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("specs"))
        .expect("specs/ is readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert_eq!(specs.len(), 5, "expected the five seed specs: {specs:?}");
    specs
}

// ---- oagen check ---------------------------------------------------------------------

/// Each fixture with its errors: (JSON pointer, line). `""` is the document root.
const FIXTURES: &[(&str, &[(&str, usize)])] = &[
    (
        "dangling_ref.yaml",
        &[(
            "/paths/~1orgs/post/responses/200/content/application~1json/schema/$ref",
            14,
        )],
    ),
    ("ref_cycle.yaml", &[("/components/schemas/A/$ref", 18)]),
    ("swagger2.json", &[("/swagger", 2)]),
    (
        "webhook_broken.yaml",
        &[
            ("/webhooks/missing/$ref", 13),
            ("/webhooks/petAdopted/post/parameters", 8),
        ],
    ),
    (
        "x_webhook_broken.yaml",
        &[("/x-webhooks/push/post/parameters", 9)],
    ),
    (
        "many_errors.yaml",
        &[
            ("/paths/~1b/get", 16),
            (
                "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
                14,
            ),
            (
                "/paths/~1c/post/responses/200/content/application~1json/schema/$ref",
                25,
            ),
        ],
    ),
    ("not_openapi.yaml", &[("", 1)]),
    ("bad_yaml.yaml", &[("", 4)]),
    ("bad_json.json", &[("", 4)]),
    ("empty.yaml", &[("", 1)]),
];

#[test]
fn check_reports_every_problem_of_each_fixture() {
    let fixtures: Vec<String> = files_under(&fixture(""))
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut listed: Vec<String> = FIXTURES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(fixtures, listed, "every fixture is checked here");

    for (name, problems) in FIXTURES {
        let path = fixture(name);
        let out = oagen(&["check", path.to_str().expect("UTF-8 path")]);
        let stderr = text(&out.stderr);
        let ctx = format!("oagen check {name}: {}\nstderr:\n{stderr}", out.status);
        assert!(
            !out.status.success() && out.status.code().is_some(),
            "{ctx}\nexpected a non-zero exit code"
        );
        assert!(!stderr.contains("panicked"), "{ctx}");
        assert!(
            out.stdout.is_empty(),
            "{ctx}\nstdout: {}",
            text(&out.stdout)
        );
        let errors = stderr.lines().filter(|l| l.starts_with("error:")).count();
        assert_eq!(
            errors,
            problems.len(),
            "{ctx}\nwrong number of error blocks"
        );
        assert!(
            stderr
                .trim_end()
                .ends_with(&format!("{} error(s)", problems.len())),
            "{ctx}\nwrong summary"
        );
        for (pointer, line) in *problems {
            let at = format!("--> {}:{line}", path.display());
            assert!(stderr.contains(&at), "{ctx}\nmissing `{at}`");
            let shown = if pointer.is_empty() {
                "(document root)"
            } else {
                pointer
            };
            // The pointer ends its line, possibly followed by nothing else.
            let ptr = format!(" at #{shown}\n");
            assert!(stderr.contains(&ptr), "{ctx}\nmissing `{}`", ptr.trim_end());
        }
        let hints = stderr
            .lines()
            .filter(|l| l.starts_with("  = hint: "))
            .count();
        assert_eq!(hints, problems.len(), "{ctx}\none hint per problem");
    }
}

#[test]
fn check_accepts_every_seed() {
    for spec in seed_specs() {
        let out = oagen(&["check", spec.to_str().expect("UTF-8 path")]);
        let stderr = text(&out.stderr);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "oagen check {}:\n{stdout}\n{stderr}",
            spec.display()
        );
        assert!(
            stdout.starts_with(&format!("{}: ok (", spec.display())),
            "{stdout}"
        );
        assert!(
            !stderr.lines().any(|l| l.starts_with("error:")) && !stderr.contains("panicked"),
            "{stderr}"
        );
    }
}

// ---- oagen generate ----------------------------------------------------------------

/// Every file under `dir`, relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read a generated folder") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn generated_seed_crates_build() {
    let tmp = TempDir::new("generate");
    let target = generated_target();
    let mut failures = Vec::new();
    for spec in seed_specs() {
        let stem = spec.file_stem().and_then(|s| s.to_str()).expect("stem");
        let out_dir = tmp.path().join(stem);
        let started = Instant::now();
        generate(&spec, &out_dir, &[]);

        let files = files_under(&out_dir);
        for must in ["Cargo.toml", "README.md", "src/lib.rs", "src/models.rs"] {
            assert!(
                files.contains(&PathBuf::from(must)),
                "{stem}: no {must} in {files:?}"
            );
        }
        let manifest =
            std::fs::read_to_string(out_dir.join("Cargo.toml")).expect("read Cargo.toml");
        assert!(
            manifest.lines().any(|l| l.trim() == "[workspace]"),
            "{stem}: Cargo.toml has no [workspace]:\n{manifest}"
        );
        assert!(
            manifest.contains(&format!("name = \"{stem}\"")),
            "{stem}: crate name:\n{manifest}"
        );
        for f in &files {
            let contents = std::fs::read_to_string(out_dir.join(f)).expect("read a file");
            let first = contents.lines().next().unwrap_or_default();
            let body = ["// ", "# ", "<!-- "]
                .iter()
                .find_map(|c| first.strip_prefix(c))
                .unwrap_or(first);
            assert!(
                body.starts_with("@generated"),
                "{stem}/{}: first line is {first:?}",
                f.display()
            );
        }

        copy_lock(&out_dir);
        // The client and server features too: the whole crate builds on its own.
        let (out, offline) = cargo_run(&out_dir, &target, &["build", "--all-features"]);
        let mode = if offline { "offline" } else { "online" };
        if out.status.success() {
            eprintln!(
                "{stem}: generated and built ({mode}) in {:.1?}",
                started.elapsed()
            );
        } else {
            failures.push(format!(
                "{stem}: cargo build ({mode}, {}):\n{}",
                out.status,
                text(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `tests/specs/tagged.yaml` generated into `tmp/tagged` (with `extra`
/// arguments), with the project's `Cargo.lock`.
fn generate_tagged(tmp: &TempDir, extra: &[&str]) -> PathBuf {
    let krate = tmp.path().join("tagged");
    generate(&specs("tagged.yaml"), &krate, extra);
    copy_lock(&krate);
    krate
}

/// Builds `krate` with `client,server` and each tag's feature (`""`: none;
/// default features off): every build succeeds without a warning.
fn builds_cleanly(krate: &Path, target: &Path, tags: &[&str]) {
    for tag in tags {
        let features = match *tag {
            "" => "client,server".to_string(),
            tag => format!("client,server,{tag}"),
        };
        let features = features.as_str();
        let out = cargo_in(
            krate,
            target,
            &["build", "--no-default-features", "--features", features],
        );
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "--features {features}:\n{stderr}");
        assert!(
            !stderr.contains("warning"),
            "--features {features} warns:\n{stderr}"
        );
    }
}

/// A binary crate `tmp/user` that depends on the generated `tagged` crate with
/// the `client` feature and `tag`'s, and on `models` (a models crate's folder
/// under `tagged`, if any); the returned function writes `main` with its body
/// and builds it.
fn user_crate<'a>(
    tmp: &TempDir,
    tag: &str,
    models: Option<&str>,
    target: &'a Path,
) -> impl Fn(&str) -> Output + 'a {
    let mut dependencies = format!(
        "tagged = {{ path = \"../tagged\", default-features = false, \
         features = [\"client\", \"{tag}\"] }}\n"
    );
    if let Some(folder) = models {
        let name = folder.replace('-', "_");
        dependencies.push_str(&format!(
            "tagged_{name} = {{ path = \"../tagged/{folder}\", default-features = false }}\n"
        ));
    }
    let user = tmp.path().join("user");
    std::fs::create_dir_all(user.join("src")).expect("mkdir");
    copy_lock(&user);
    std::fs::write(
        user.join("Cargo.toml"),
        format!(
            "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{dependencies}\n[workspace]\n"
        ),
    )
    .expect("write Cargo.toml");
    move |body: &str| {
        std::fs::write(
            user.join("src/main.rs"),
            format!("fn main() {{\n{body}\n}}\n"),
        )
        .expect("write main.rs");
        cargo_in(&user, target, &["build"])
    }
}

/// `uses` (a [`user_crate`]) builds with `body` as its `main`.
fn compiles(uses: &impl Fn(&str) -> Output, body: &str) {
    let out = uses(body);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// A [`user_crate`] of `tag` (and of the models crate in `folder`) that builds
/// with `ty` seen through `tagged` as the models crate's own, and with the
/// client's `op`; the user crate, for more.
fn sees_its_models<'a>(
    tmp: &TempDir,
    target: &'a Path,
    (tag, folder): (&str, &str),
    (ty, op): (&str, &str),
) -> impl Fn(&str) -> Output + 'a {
    let uses = user_crate(tmp, tag, Some(folder), target);
    let models = format!("tagged_{}", folder.replace('-', "_"));
    compiles(
        &uses,
        &format!(
            "fn same(x: {models}::models::{ty}) -> tagged::models::{ty} {{ x }}\n\
             let _ = same;\n\
             let _ = tagged::client::Client::{op};"
        ),
    );
    uses
}

/// The text of `path` under `krate`, which has each of `lines` as a line.
fn has_lines(krate: &Path, path: &str, lines: &[&str]) -> String {
    let text = std::fs::read_to_string(krate.join(path)).unwrap_or_default();
    for line in lines {
        assert!(
            text.lines().any(|l| l == *line),
            "no `{line}` in {path}:\n{text}"
        );
    }
    text
}

/// A spec with two tags and an untagged operation gets a feature per tag; each
/// feature alone (client and server on) builds without a warning, and a crate
/// that asks for one tag finds that tag's types and not the others'.
#[test]
fn tag_features_compile_only_what_they_reach() {
    let tmp = TempDir::new("tags");
    let target = generated_target();
    let krate = generate_tagged(&tmp, &[]);
    has_lines(
        &krate,
        "Cargo.toml",
        &[
            "default = [\"all\"]",
            "all = [\"other-schemas\", \"pets\", \"store\", \"untagged\"]",
            "pets = []",
            "store = []",
            "untagged = []",
            "other-schemas = []",
        ],
    );

    // Each module is split by tag: what only `store` switches on is in the
    // `store` part, read only with that feature; shared items stay in the module.
    let src = |path: &str| std::fs::read_to_string(krate.join(path)).unwrap_or_default();
    let models = src("src/models.rs");
    for must in [
        "#[cfg(feature = \"store\")]\nmod store;",
        "#[cfg(feature = \"store\")]\npub use store::*;",
        "#[cfg(feature = \"other-schemas\")]\nmod other_schemas;",
        "pub struct Pet {",
    ] {
        assert!(
            models.contains(must),
            "no `{must}` in src/models.rs:\n{models}"
        );
    }
    assert!(src("src/models/store.rs").contains("pub struct Order {"));
    assert!(src("src/models/store.rs").contains("use super::*;"));
    assert!(src("src/models/other_schemas.rs").contains("pub struct Archive {"));
    assert!(!models.contains("pub struct Order {"));
    assert!(src("src/client/pets.rs").contains("pub fn list_pets("));
    assert!(src("src/server/store.rs").contains("pub(super) fn handle_create_order<"));
    assert!(src("src/server.rs").contains("store::handle_create_order::<A>"));

    builds_cleanly(
        &krate,
        &target,
        &["", "pets", "store", "untagged", "other-schemas", "all"],
    );

    // A user of the `pets` tag: its types are there, the store's are not.
    let uses = user_crate(&tmp, "pets", None, &target);
    compiles(
        &uses,
        "let _: Option<(tagged::models::Pet, tagged::models::Error)> = None;\n\
         let _: Option<tagged::models::Category> = None;\n\
         let _ = tagged::client::Client::list_pets;\n\
         let _ = tagged::client::Client::get_order_pet;",
    );
    for absent in [
        "let _: Option<tagged::models::Order> = None;",
        "let _: Option<tagged::models::Archive> = None;",
        "let _ = tagged::client::Client::create_order;",
        "let _ = tagged::client::Client::ping;",
    ] {
        let out = uses(absent);
        let stderr = text(&out.stderr);
        assert!(
            !out.status.success()
                && (stderr.contains("cannot find")
                    || stderr.contains("no function or associated item")
                    || stderr.contains("not found")),
            "with only `pets`, `{absent}` should not resolve:\n{stderr}"
        );
    }
}

/// `--split-models` puts the types in a crate of their own: the crate
/// re-exports them, its tag features switch on the models crate's, and every
/// tag alone still builds without a warning.
#[test]
fn split_models_are_crates_of_their_own() {
    let tmp = TempDir::new("split");
    let target = generated_target();
    let krate = generate_tagged(&tmp, &["--split-models"]);
    let src = |path: &str| std::fs::read_to_string(krate.join(path)).unwrap_or_default();
    // The tags' own types are shared out over two crates by size: `store`
    // alone, the others together (in feature order).
    has_lines(
        &krate,
        "Cargo.toml",
        &[
            "pets = [\"tagged_models_1/pets\"]",
            "other-schemas = [\"tagged_models_1/other-schemas\"]",
            "store = [\"tagged_models_2/store\"]",
            "server = [\"dep:axum\", \"dep:regex\", \"dep:tokio\", \"tagged_models/server\", \"tagged_models_1/server\", \"tagged_models_2/server\"]",
            "tagged_models = { path = \"models\", default-features = false }",
            "tagged_models_1 = { path = \"models-1\", default-features = false }",
            "tagged_models_2 = { path = \"models-2\", default-features = false }",
            "[workspace]",
        ],
    );
    let models_manifest = has_lines(
        &krate,
        "models/Cargo.toml",
        &[
            "name = \"tagged_models\"",
            "pets = []",
            "server = [\"dep:regex\"]",
        ],
    );
    assert!(!models_manifest.contains("[workspace]") && !models_manifest.contains("reqwest"));
    let tags_manifest = has_lines(
        &krate,
        "models-2/Cargo.toml",
        &[
            "name = \"tagged_models_2\"",
            "all = [\"store\"]",
            "store = [\"tagged_models/store\"]",
            "server = [\"dep:regex\", \"tagged_models/server\"]",
            "tagged_models = { path = \"../models\", default-features = false }",
        ],
    );
    assert!(!tags_manifest.contains("pets") && !tags_manifest.contains("axum"));
    let lib = src("src/lib.rs");
    for line in [
        "pub use tagged_models::models::*;",
        "pub use tagged_models_2::operations::*;",
        "pub mod runtime;",
    ] {
        assert!(lib.contains(line), "no `{line}` in src/lib.rs:\n{lib}");
    }
    // The crate's runtime is the models crate's and the client's and server's
    // halves, which need reqwest and axum (the models crate has the request
    // checks, which need regex).
    let hub = src("src/runtime.rs");
    for half in [
        "pub use ::tagged_models::runtime::*;\n",
        "#[cfg(feature = \"client\")]\npub mod client;\n",
        "#[cfg(feature = \"server\")]\npub mod server;\n",
    ] {
        assert!(hub.contains(half), "no `{half}` in src/runtime.rs:\n{hub}");
    }
    assert!(src("src/runtime/server/auth.rs").contains("pub fn decode_basic("));
    assert!(src("models/src/runtime/validate.rs").contains("pub trait Validate {"));
    assert!(!src("models/src/runtime.rs").contains("mod server;"));
    // What several tags share stays in the models crate; a tag's own types,
    // operations and checks go to its crate.
    assert!(src("models/src/models.rs").contains("pub struct Pet {"));
    assert!(src("models-2/src/models/store.rs").contains("pub struct Order {"));
    assert!(src("models-2/src/operations/store.rs").contains("pub enum CreateOrderResponse {"));
    assert!(src("models-2/src/validate/store.rs").contains("impl Validate for models::Order {"));
    // The runtime is vendored into the models crate as a tree of files.
    assert!(src("models/src/runtime.rs").contains("pub mod wire;"));
    assert!(src("models/src/runtime/wire/text.rs").contains("pub fn from_text<"));
    // Its client half (which needs reqwest) is the crate's own too.
    assert!(src("src/runtime/client/pending.rs").contains("pub struct Pending<T>"));
    assert!(!src("models/src/runtime.rs").contains("mod client"));
    for gone in [
        "src/models.rs",
        "src/operations.rs",
        "src/runtime/wire.rs",
        "models/src/runtime/server.rs",
        "models/src/runtime/client.rs",
        "models/src/models/store.rs",
        "models-1/src/models/store.rs",
    ] {
        assert!(!krate.join(gone).exists(), "{gone} should not be written");
    }
    assert!(src("src/server/store.rs").contains("fn handle_create_order<"));

    builds_cleanly(&krate, &target, &["", "pets", "store", "all"]);

    // A user of the `pets` tag sees the types through the crate, and they are
    // the models crates' own; the store's types are not compiled.
    let uses = sees_its_models(&tmp, &target, ("pets", "models"), ("Pet", "list_pets"));
    let out = uses("let _: Option<tagged::models::Order> = None;");
    assert!(
        !out.status.success(),
        "with only `pets`, `Order` should not resolve:\n{}",
        text(&out.stderr)
    );
    let _ = sees_its_models(
        &tmp,
        &target,
        ("store", "models-2"),
        ("Order", "create_order"),
    );

    // `--tag-crates 0`: every type in the models crate, by tag as in one crate.
    let tmp0 = TempDir::new("split0");
    let krate = generate_tagged(&tmp0, &["--split-models", "--tag-crates", "0"]);
    assert!(krate.join("models/src/models/store.rs").exists());
    assert!(!krate.join("models-1").exists());
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).unwrap_or_default();
    assert!(
        lib.contains("pub use tagged_models::{models, operations};\n")
            && lib.contains("pub mod runtime;"),
        "{lib}"
    );
    builds_cleanly(&krate, &target, &["store"]);
}

#[test]
fn generate_rejects_a_bad_crate_name_without_writing() {
    let tmp = TempDir::new("badname");
    let out_dir = tmp.path().join("out");
    let spec = workspace_root().join("specs/px0.yaml");
    let out = oagen(&[
        "generate",
        spec.to_str().expect("UTF-8 path"),
        "--out",
        out_dir.to_str().expect("UTF-8 path"),
        "--name",
        "bad name",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`bad name` is not a valid crate name"),
        "{stderr}"
    );
    assert!(!out_dir.exists(), "{} was created", out_dir.display());
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("read tmp").count(),
        0,
        "something was written"
    );
}

#[test]
fn generate_refuses_a_broken_spec_without_writing() {
    let tmp = TempDir::new("broken");
    let out_dir = tmp.path().join("out");
    let spec = fixture("many_errors.yaml");
    let out = oagen(&[
        "generate",
        spec.to_str().expect("UTF-8 path"),
        "--out",
        out_dir.to_str().expect("UTF-8 path"),
    ]);
    let stderr = text(&out.stderr);
    assert!(
        !out.status.success() && out.status.code().is_some(),
        "{stderr}"
    );
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        3,
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out_dir.exists(), "{} was created", out_dir.display());
}
