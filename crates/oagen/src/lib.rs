//! oagen: an OpenAPI 3.0 / 3.1 to Rust code generator.
//!
//! The pipeline is `load` (spec file -> validated `openapiv3` document) ->
//! `model` (one intermediate description of the API) -> `emit` (Rust source and
//! crate files). See `ARCHITECTURE.md` at the repository root.
//!
//! Three ways to use it:
//! - the `oagen` command line (`oagen generate`, `oagen check`);
//! - [`Builder`] in a `build.rs`, generating into `OUT_DIR`;
//! - [`generate_crate`] and [`write()`] from tools such as the project's xtask.

pub mod builder;
pub mod diag;
pub mod emit;
pub mod load;
pub mod model;
pub mod timing;
pub mod write;

use std::path::Path;

pub use builder::Builder;
pub use diag::{Diagnostic, Failure, Severity};
pub use emit::{EmitOptions, GeneratedFile};
pub use write::{write, WriteMode, WriteReport};

/// A spec, loaded and turned into the model, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The model.
    pub api: model::Api,
    /// Warnings (generation goes ahead despite them).
    pub warnings: Vec<Diagnostic>,
}

/// The stack size of the threads the pipeline runs on: enough for a document nested
/// [`load::parse::MAX_DEPTH`] levels deep through every phase (reserved address space;
/// only what is used is memory).
pub const STACK_SIZE: usize = 1 << 30;

/// Runs `f` on a thread with a [`STACK_SIZE`] stack (on this thread if none can be
/// made), so that the recursive phases (parsing, normalising, deserialising, the
/// model, the emitters) never overflow on deep documents. A panic is passed on.
pub fn with_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let mut f = Some(f);
    let slot = &mut f;
    let ran = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("oagen".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || slot.take().map(|f| f()))
            .ok()
            .map(|handle| handle.join())
    });
    match ran {
        Some(Ok(Some(t))) => t,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // No thread could be made (the closure was dropped unrun): run it here.
        Some(Ok(None)) | None => match f.take() {
            Some(f) => f(),
            None => unreachable!("the closure ran and returned"),
        },
    }
}

/// Like `scope.spawn`, with a [`STACK_SIZE`] stack; None if no thread could be made
/// (the caller then does the work itself, after the scope).
pub(crate) fn spawn_large<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> Option<std::thread::ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn_scoped(scope, f)
        .ok()
}

/// Loads `spec` and builds its model. Errors (with every problem found) fail.
pub fn analyze(spec: &Path) -> Result<Analysis, Failure> {
    let loaded = load::load_file(spec)?;
    analyze_loaded(&loaded)
}

/// Builds the model of an already loaded spec (on a large stack, see [`with_large_stack`]).
pub fn analyze_loaded(loaded: &load::Spec) -> Result<Analysis, Failure> {
    with_large_stack(|| analyze_here(loaded))
}

fn analyze_here(loaded: &load::Spec) -> Result<Analysis, Failure> {
    let mut diags = diag::Diagnostics::new(&loaded.path);
    let api = timing::time("model", || model::build::build(loaded, &mut diags));
    // In the file each part came from; the root's text is read again only
    // when a diagnostic needs a line number.
    loaded
        .sources
        .fill_lines_reading(&loaded.path, diags.items_mut());
    let mut all = loaded.warnings.clone();
    let has_errors = diags.has_errors();
    all.extend(diags.into_vec());
    if has_errors {
        return Err(Failure { diagnostics: all });
    }
    Ok(Analysis { api, warnings: all })
}

/// Generates every file of a crate for `spec` (on a large stack, see [`with_large_stack`]).
pub fn generate_crate(
    spec: &Path,
    opts: &EmitOptions,
) -> Result<(Vec<GeneratedFile>, Vec<Diagnostic>), Failure> {
    with_large_stack(|| generate_here(spec, opts))
}

fn generate_here(
    spec: &Path,
    opts: &EmitOptions,
) -> Result<(Vec<GeneratedFile>, Vec<Diagnostic>), Failure> {
    let mut analysis = analyze(spec)?;
    analysis.api.gate_by_tag();
    let files = emit::crate_files(&analysis.api, opts).map_err(|e| Failure {
        diagnostics: vec![Diagnostic {
            file: spec.to_path_buf(),
            ..Diagnostic::error("", e)
        }],
    })?;
    Ok((files, analysis.warnings))
}

/// Whether `name` is usable as a crate name (and so as a Rust identifier).
pub fn valid_crate_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            name,
            "self" | "super" | "crate" | "std" | "core" | "alloc" | "test" | "proc_macro"
        )
}

/// A crate name made from a spec file name: `specs/px0.yaml` -> `px0`.
pub fn crate_name_for(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let mut name = model::naming::snake_ident(stem, "api");
    name = model::naming::bare(&name).to_string();
    if !valid_crate_name(&name) {
        name = format!("api_{name}");
    }
    if !valid_crate_name(&name) {
        name = "api".into();
    }
    name
}
