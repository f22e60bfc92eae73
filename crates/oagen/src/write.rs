//! Writing generated files: only what changed, or checking without writing.
//!
//! In the manner of rust-analyzer's `ensure_file_contents`: a file is written only
//! when its contents differ, so that unchanged files keep their timestamps and
//! cargo does not rebuild them. In [`WriteMode::Check`] nothing is written; every
//! stale, missing or extra file is reported instead.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;

/// Write, or only compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Write files whose contents changed; remove files that are no longer generated.
    Write,
    /// Write nothing; report differences.
    Check,
}

/// What [`write()`] found or did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files whose contents differ from what is generated.
    pub stale: Vec<PathBuf>,
    /// Generated files that do not exist.
    pub missing: Vec<PathBuf>,
    /// Files in the folder that are not generated.
    pub extra: Vec<PathBuf>,
    /// Files left as they were.
    pub unchanged: usize,
}

impl WriteReport {
    /// Whether everything was already up to date.
    pub fn is_fresh(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Brings `dir` in line with `files` (or, in check mode, reports how it differs).
/// Files under `dir` that are not generated count as extra, except `target/` and
/// `Cargo.lock` (build output of a standalone crate).
pub fn write(dir: &Path, files: &[GeneratedFile], mode: WriteMode) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    let wanted: BTreeSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    for f in files {
        let path = dir.join(&f.path);
        match fs::read(&path) {
            Ok(existing) if existing == f.contents.as_bytes() => report.unchanged += 1,
            Ok(_) => {
                report.stale.push(path.clone());
                if mode == WriteMode::Write {
                    fs::write(&path, &f.contents)?;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                report.missing.push(path.clone());
                if mode == WriteMode::Write {
                    if let Some(parent) = path.parent() {
                        fs::create_dir_all(parent)?;
                    }
                    fs::write(&path, &f.contents)?;
                }
            }
            Err(e) => return Err(e),
        }
    }
    let mut present = Vec::new();
    if dir.exists() {
        list_files(dir, dir, &mut present)?;
    }
    for rel in present {
        if !wanted.contains(&rel) {
            let path = dir.join(&rel);
            report.extra.push(path.clone());
            if mode == WriteMode::Write {
                fs::remove_file(&path)?;
            }
        }
    }
    Ok(report)
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        if rel == Path::new("target") || rel == Path::new("Cargo.lock") {
            continue;
        }
        if e.file_type()?.is_dir() {
            list_files(root, &path, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}
