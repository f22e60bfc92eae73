//! The `build.rs` API, in the manner of prost-build.
//!
//! ```text
//! // build.rs
//! fn main() {
//!     oagen::Builder::new("openapi.yaml").generate().expect("spec is valid");
//! }
//!
//! // src/lib.rs
//! pub mod api {
//!     include!(concat!(env!("OUT_DIR"), "/openapi.rs"));
//! }
//! ```
//!
//! The generated file holds the `models` and `runtime` modules inline. The crate
//! that includes it needs `serde` (with `derive`), `serde_json`, `erased-serde`,
//! `chrono` (with `serde`) and, when the spec uses `format: uuid`, `uuid` (with `serde`).

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Failure};
use crate::emit::{self, EmitOptions};

/// Configures generation from a build script.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    emit_rerun: bool,
    print_warnings: bool,
    client: bool,
    server: bool,
    tracing: bool,
    tag_features: bool,
}

impl Builder {
    /// Generates from the spec at `spec` (relative to the build script's crate).
    pub fn new(spec: impl AsRef<Path>) -> Self {
        Builder {
            spec: spec.as_ref().to_path_buf(),
            out_dir: None,
            file_name: None,
            emit_rerun: true,
            print_warnings: true,
            client: false,
            server: false,
            tracing: false,
            tag_features: false,
        }
    }

    /// Writes into `dir` instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Names the output file (default: the spec's file stem plus `.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Also generates the `client` module (needs `reqwest` with a TLS feature,
    /// and `tokio` with `time`, which the retries wait with).
    pub fn client(mut self, yes: bool) -> Self {
        self.client = yes;
        self
    }

    /// Also generates the `server` and `validate` modules (need `axum` and `regex`).
    pub fn server(mut self, yes: bool) -> Self {
        self.server = yes;
        self
    }

    /// Opens a `tracing` span for every call of the client and every request
    /// of the server, named by the operationId (needs the `tracing` crate;
    /// default: no).
    pub fn tracing(mut self, yes: bool) -> Self {
        self.tracing = yes;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for the spec and every file its
    /// `$ref`s name (default: yes).
    pub fn emit_rerun_if_changed(mut self, yes: bool) -> Self {
        self.emit_rerun = yes;
        self
    }

    /// Whether to print the spec's warnings as `cargo:warning` lines (default: yes).
    pub fn print_warnings(mut self, yes: bool) -> Self {
        self.print_warnings = yes;
        self
    }

    /// The file that [`generate`](Self::generate) writes.
    pub fn output_path(&self) -> Result<PathBuf, Failure> {
        let dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => match std::env::var_os("OUT_DIR") {
                Some(d) => PathBuf::from(d),
                None => {
                    return Err(Failure {
                        diagnostics: vec![Diagnostic::error(
                            "",
                            "OUT_DIR is not set: call this from a build script, or set out_dir()",
                        )],
                    })
                }
            },
        };
        let name = match &self.file_name {
            Some(n) => n.clone(),
            None => format!(
                "{}.rs",
                self.spec
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("api")
            ),
        };
        Ok(dir.join(name))
    }

    /// Puts each operation behind a cargo feature per tag, and each type behind
    /// the features of the operations that reach it (off by default). The
    /// including crate must then declare a feature per tag (the names are those
    /// of `oagen generate`'s Cargo.toml: the tag in kebab case, `untagged`,
    /// `other-schemas`) and `all` for all of them.
    pub fn tag_features(mut self, yes: bool) -> Self {
        self.tag_features = yes;
        self
    }

    /// Generates, writing the file only if its contents changed. Returns its path.
    pub fn generate(&self) -> Result<PathBuf, Failure> {
        self.generate_to(&mut |line| println!("{line}"))
    }

    /// [`generate`](Self::generate), handing each `cargo:` line to `print`.
    pub(crate) fn generate_to(&self, print: &mut dyn FnMut(&str)) -> Result<PathBuf, Failure> {
        if self.emit_rerun {
            print(&format!("cargo:rerun-if-changed={}", self.spec.display()));
        }
        let out = self.output_path()?;
        // A failed build script runs again on the next build, so the root is
        // enough until the spec loads; then every file it read is an input.
        let loaded = crate::load::load_file(&self.spec)?;
        if self.emit_rerun {
            for file in loaded.sources.files().iter().skip(1) {
                print(&format!("cargo:rerun-if-changed={}", file.display()));
            }
        }
        let mut analysis = crate::analyze_loaded(&loaded)?;
        drop(loaded);
        if self.tag_features {
            analysis.api.gate_by_tag();
        }
        if self.print_warnings {
            for w in &analysis.warnings {
                let one_line = w.to_string().replace('\n', " ");
                print(&format!("cargo:warning={one_line}"));
            }
        }
        let opts = EmitOptions {
            crate_name: crate::crate_name_for(&self.spec),
            crate_version: "0.0.0".into(),
            spec_label: self.spec.display().to_string(),
            command: "oagen::Builder in build.rs".into(),
            standalone: false,
            example_tests: false,
            client: self.client,
            server: self.server,
            split_models: false,
            tag_crates: 0,
            tracing: self.tracing,
        };
        let src = emit::single_file(&analysis.api, &opts);
        let unchanged = std::fs::read(&out)
            .map(|b| b == src.as_bytes())
            .unwrap_or(false);
        if !unchanged {
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_failure(&out, e))?;
            }
            std::fs::write(&out, src).map_err(|e| io_failure(&out, e))?;
        }
        Ok(out)
    }
}

fn io_failure(path: &Path, e: std::io::Error) -> Failure {
    Failure {
        diagnostics: vec![Diagnostic::error(
            "",
            format!("cannot write {}: {e}", path.display()),
        )],
    }
}

#[cfg(test)]
#[path = "builder_tests.rs"]
mod tests;
