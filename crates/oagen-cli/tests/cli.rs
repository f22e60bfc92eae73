//! The `oagen` binary end to end: `check` on broken and seed specs, `generate`
//! of every seed into a temporary folder followed by `cargo build` there, and
//! argument errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

const OAGEN: &str = env!("CARGO_BIN_EXE_oagen");

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn fixture(name: &str) -> PathBuf {
    workspace_root()
        .join("crates/oagen/tests/fixtures")
        .join(name)
}

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

fn oagen(args: &[&str]) -> Output {
    Command::new(OAGEN)
        .args(args)
        .output()
        .expect("run the oagen binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder under the system temporary folder (outside the repository),
/// removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
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

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
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
    let mut fixtures: Vec<String> = std::fs::read_dir(fixture(""))
        .expect("fixtures/ is readable")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    fixtures.sort();
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

/// The target folder of this build (honours `CARGO_TARGET_DIR`).
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp")
        .to_path_buf()
}

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

/// `cargo build` in `dir`, with a shared target folder; `--offline` first (the
/// dependencies are in the local cache once the workspace is built), then online
/// if the offline build fails.
fn cargo_build(dir: &Path, target: &Path) -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut attempts = Vec::new();
    for offline in [true, false] {
        let mut cmd = Command::new(&cargo);
        // The client and server features too: the whole crate builds on its own.
        cmd.args(["build", "--all-features"]).current_dir(dir);
        if offline {
            cmd.arg("--offline");
        }
        let out = cmd
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .env("CARGO_TARGET_DIR", target)
            .output()
            .expect("run cargo");
        let stderr = text(&out.stderr);
        if out.status.success() {
            return Ok(if offline {
                "offline".into()
            } else {
                "online".into()
            });
        }
        attempts.push(format!(
            "cargo build{} ({}):\n{stderr}",
            if offline { " --offline" } else { "" },
            out.status
        ));
    }
    Err(attempts.join("\n"))
}

#[test]
fn generated_seed_crates_build() {
    let tmp = TempDir::new("generate");
    let target = target_dir().join("generated-crates");
    let lock = workspace_root().join("Cargo.lock");
    let mut failures = Vec::new();
    for spec in seed_specs() {
        let stem = spec.file_stem().and_then(|s| s.to_str()).expect("stem");
        let out_dir = tmp.path().join(stem);
        let started = Instant::now();
        let out = oagen(&[
            "generate",
            spec.to_str().expect("UTF-8 path"),
            "--out",
            out_dir.to_str().expect("UTF-8 path"),
        ]);
        assert!(
            out.status.success(),
            "oagen generate {}:\n{}",
            spec.display(),
            text(&out.stderr)
        );

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

        std::fs::copy(&lock, out_dir.join("Cargo.lock")).expect("copy Cargo.lock");
        match cargo_build(&out_dir, &target) {
            Ok(mode) => eprintln!(
                "{stem}: generated and built ({mode}) in {:.1?}",
                started.elapsed()
            ),
            Err(e) => failures.push(format!("{stem}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `cargo ARGS` in `dir` with a shared target folder, `--offline` first.
fn cargo_in(dir: &Path, target: &Path, args: &[&str]) -> Output {
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
            return out;
        }
        last = Some(out);
    }
    last.expect("cargo ran")
}

/// `tests/specs/tagged.yaml` generated into `tmp/tagged` (with `extra`
/// arguments), with the project's `Cargo.lock`.
fn generate_tagged(tmp: &TempDir, extra: &[&str]) -> PathBuf {
    let krate = tmp.path().join("tagged");
    let spec = workspace_root().join("crates/oagen/tests/specs/tagged.yaml");
    let mut args = vec![
        "generate",
        spec.to_str().expect("UTF-8 path"),
        "--out",
        krate.to_str().expect("UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    let out = oagen(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        krate.join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
    krate
}

/// Builds `krate` with each feature set (default features off): every build
/// succeeds without a warning.
fn builds_cleanly(krate: &Path, target: &Path, feature_sets: &[&str]) {
    for features in feature_sets {
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

/// A binary crate `tmp/user` with `dependencies` (Cargo.toml lines); the
/// returned function writes `main` with its body and builds it.
fn user_crate<'a>(
    tmp: &TempDir,
    dependencies: &str,
    target: &'a Path,
) -> impl Fn(&str) -> Output + 'a {
    let user = tmp.path().join("user");
    std::fs::create_dir_all(user.join("src")).expect("mkdir");
    std::fs::copy(workspace_root().join("Cargo.lock"), user.join("Cargo.lock"))
        .expect("copy Cargo.lock");
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

/// A spec with two tags and an untagged operation gets a feature per tag; each
/// feature alone (client and server on) builds without a warning, and a crate
/// that asks for one tag finds that tag's types and not the others'.
#[test]
fn tag_features_compile_only_what_they_reach() {
    let tmp = TempDir::new("tags");
    let target = target_dir().join("generated-crates");
    let krate = generate_tagged(&tmp, &[]);
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).expect("Cargo.toml");
    for line in [
        "default = [\"all\"]",
        "all = [\"other-schemas\", \"pets\", \"store\", \"untagged\"]",
        "pets = []",
        "store = []",
        "untagged = []",
        "other-schemas = []",
    ] {
        assert!(
            manifest.lines().any(|l| l == line),
            "no `{line}` in:\n{manifest}"
        );
    }

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
        &[
            "client,server",
            "client,server,pets",
            "client,server,store",
            "client,server,untagged",
            "client,server,other-schemas",
            "client,server,all",
        ],
    );

    // A user of the `pets` tag: its types are there, the store's are not.
    let uses = user_crate(
        &tmp,
        "tagged = { path = \"../tagged\", default-features = false, \
         features = [\"client\", \"pets\"] }\n",
        &target,
    );
    let ok = uses(
        "let _: Option<(tagged::models::Pet, tagged::models::Error)> = None;\n\
         let _: Option<tagged::models::Category> = None;\n\
         let _ = tagged::client::Client::list_pets;\n\
         let _ = tagged::client::Client::get_order_pet;",
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
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
    let target = target_dir().join("generated-crates");
    let krate = generate_tagged(&tmp, &["--split-models"]);
    let src = |path: &str| std::fs::read_to_string(krate.join(path)).unwrap_or_default();
    let has_lines = |path: &str, lines: &[&str]| {
        let text = src(path);
        for line in lines {
            assert!(
                text.lines().any(|l| l == *line),
                "no `{line}` in {path}:\n{text}"
            );
        }
        text
    };
    // The tags' own types are shared out over two crates by size: `store`
    // alone, the others together (in feature order).
    has_lines(
        "Cargo.toml",
        &[
            "pets = [\"tagged_models_1/pets\"]",
            "other-schemas = [\"tagged_models_1/other-schemas\"]",
            "store = [\"tagged_models_2/store\"]",
            "server = [\"dep:axum\", \"dep:regex\", \"tagged_models/server\", \"tagged_models_1/server\", \"tagged_models_2/server\"]",
            "tagged_models = { path = \"models\", default-features = false }",
            "tagged_models_1 = { path = \"models-1\", default-features = false }",
            "tagged_models_2 = { path = \"models-2\", default-features = false }",
            "[workspace]",
        ],
    );
    let models_manifest = has_lines(
        "models/Cargo.toml",
        &[
            "name = \"tagged_models\"",
            "pets = []",
            "server = [\"dep:regex\"]",
        ],
    );
    assert!(!models_manifest.contains("[workspace]") && !models_manifest.contains("reqwest"));
    let tags_manifest = has_lines(
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
    // What several tags share stays in the models crate; a tag's own types,
    // operations and checks go to its crate.
    assert!(src("models/src/models.rs").contains("pub struct Pet {"));
    assert!(src("models-2/src/models/store.rs").contains("pub struct Order {"));
    assert!(src("models-2/src/operations/store.rs").contains("pub enum CreateOrderResponse {"));
    assert!(src("models-2/src/validate/store.rs").contains("impl Validate for models::Order {"));
    // The runtime is vendored into the models crate as a tree of files.
    assert!(src("models/src/runtime.rs").contains("pub mod wire;"));
    assert!(src("models/src/runtime/wire/text.rs").contains("pub fn from_text<"));
    // Its client half (which needs reqwest) is the crate's own, in a `runtime`
    // that re-exports the models crate's.
    has_lines(
        "src/runtime.rs",
        &["pub use tagged_models::runtime::*;", "pub mod client;"],
    );
    assert!(src("src/runtime/client/pending.rs").contains("pub struct Pending<T>"));
    assert!(!src("models/src/runtime.rs").contains("mod client"));
    for gone in [
        "src/models.rs",
        "src/operations.rs",
        "src/runtime/wire.rs",
        "models/src/runtime/client.rs",
        "models/src/models/store.rs",
        "models-1/src/models/store.rs",
    ] {
        assert!(!krate.join(gone).exists(), "{gone} should not be written");
    }
    assert!(src("src/server/store.rs").contains("fn handle_create_order<"));

    builds_cleanly(
        &krate,
        &target,
        &[
            "client,server",
            "client,server,pets",
            "client,server,store",
            "client,server,all",
        ],
    );

    // A user of the `pets` tag sees the types through the crate, and they are
    // the models crates' own; the store's types are not compiled.
    let uses = user_crate(
        &tmp,
        "tagged = { path = \"../tagged\", default-features = false, \
         features = [\"client\", \"pets\"] }\n\
         tagged_models = { path = \"../tagged/models\", default-features = false }\n",
        &target,
    );
    let ok = uses(
        "fn same(p: tagged_models::models::Pet) -> tagged::models::Pet { p }\n\
         let _ = same;\n\
         let _ = tagged::client::Client::list_pets;",
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let out = uses("let _: Option<tagged::models::Order> = None;");
    assert!(
        !out.status.success(),
        "with only `pets`, `Order` should not resolve:\n{}",
        text(&out.stderr)
    );
    let uses = user_crate(
        &tmp,
        "tagged = { path = \"../tagged\", default-features = false, \
         features = [\"client\", \"store\"] }\n\
         tagged_models_2 = { path = \"../tagged/models-2\", default-features = false }\n",
        &target,
    );
    let ok = uses(
        "fn same(o: tagged_models_2::models::Order) -> tagged::models::Order { o }\n\
         let _ = same;\n\
         let _ = tagged::client::Client::create_order;",
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));

    // `--tag-crates 0`: every type in the models crate, by tag as in one crate.
    let tmp0 = TempDir::new("split0");
    let krate = generate_tagged(&tmp0, &["--split-models", "--tag-crates", "0"]);
    assert!(krate.join("models/src/models/store.rs").exists());
    assert!(!krate.join("models-1").exists());
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).unwrap_or_default();
    assert!(
        lib.contains("pub use tagged_models::{models, operations};")
            && lib.contains("pub mod runtime;"),
        "{lib}"
    );
    builds_cleanly(&krate, &target, &["client,server,store"]);
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
