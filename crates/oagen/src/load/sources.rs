//! Where each part of a bundled spec came from: every file read, and diagnostics translated back to their file, pointer and line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostic;

/// The files a spec was read from and the origin of every bundled part.
///
/// The bundler ([`super::bundle`]) places values from other files into the root
/// document; each placement is recorded as (pointer in the bundled document,
/// file, pointer in that file). A diagnostic at a pointer under a placement is
/// about that file: [`Sources::translate`] moves it there.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Every file read or tried, the root first, then in the order referred to.
    files: Vec<PathBuf>,
    /// The text of each file but the root (None where it could not be read).
    texts: Vec<Option<Arc<str>>>,
    /// (bundled pointer, file index, pointer in the file).
    map: Vec<(String, usize, String)>,
    /// Bundled pointers of `$ref`s the bundler reported: later errors there repeat it.
    reported: BTreeSet<String>,
    /// How many diagnostics the bundler gave (they come first).
    own: usize,
}

impl Sources {
    pub(super) fn new(
        files: Vec<PathBuf>,
        texts: Vec<Option<Arc<str>>>,
        map: Vec<(String, usize, String)>,
        reported: BTreeSet<String>,
        own: usize,
    ) -> Sources {
        Sources {
            files,
            texts,
            map,
            reported,
            own,
        }
    }

    /// Records that the root's `original` (a pointer of the file as written)
    /// stands at `bundled` in the bundled document (a section the loader moved,
    /// such as `x-webhooks` to `webhooks`): placements recorded under
    /// `original` move with it, and diagnostics under `bundled` are translated
    /// back to `original`.
    pub(super) fn alias(&mut self, bundled: &str, original: &str) {
        let under =
            |p: &str, at: &str| p == at || (p.starts_with(at) && p[at.len()..].starts_with('/'));
        for e in &mut self.map {
            if under(&e.0, original) {
                e.0 = format!("{bundled}{}", &e.0[original.len()..]);
            }
        }
        // The shortest placement: every placement inside it is longer and wins.
        self.map
            .insert(0, (bundled.to_string(), 0, original.to_string()));
    }

    /// Every file read (or tried: a missing file that a `$ref` names is listed
    /// too, so that a build script reruns once it exists), the root spec first.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The file and the pointer in it that `pointer` of the bundled document
    /// came from; None for a pointer in the root file.
    pub fn origin(&self, pointer: &str) -> Option<(&Path, String)> {
        self.origin_index(pointer)
            .map(|(i, p)| (self.files[i].as_path(), p))
    }

    fn origin_index(&self, pointer: &str) -> Option<(usize, String)> {
        let mut best: Option<&(String, usize, String)> = None;
        for e in &self.map {
            let under = pointer == e.0
                || (pointer.starts_with(e.0.as_str()) && pointer[e.0.len()..].starts_with('/'));
            // Of equal pointers the later is the inner (an inlined reference to another reference).
            if under && best.is_none_or(|b| e.0.len() >= b.0.len()) {
                best = Some(e);
            }
        }
        best.map(|(at, file, ptr)| (*file, format!("{ptr}{}", &pointer[at.len()..])))
    }

    /// Moves each diagnostic of the root file that is about a bundled part to
    /// that part's file and pointer there. Returns each diagnostic's file index.
    pub fn translate(&self, diags: &mut [Diagnostic]) -> Vec<Option<usize>> {
        diags
            .iter_mut()
            .map(|d| {
                if self.files.is_empty() {
                    return Some(0);
                }
                if self.files[0] != d.file {
                    return self.files.iter().position(|f| *f == d.file);
                }
                match self.origin_index(&d.pointer) {
                    Some((file, ptr)) => {
                        d.file = self.files[file].clone();
                        d.pointer = ptr;
                        Some(file)
                    }
                    None => Some(0),
                }
            })
            .collect()
    }

    /// Translates (see [`translate`](Self::translate)) and gives each
    /// diagnostic without a line the line of its pointer in its own file; the
    /// root's text is read from `root` only when one of its diagnostics needs it.
    pub fn fill_lines_reading(&self, root: &Path, diags: &mut [Diagnostic]) {
        let files = self.translate(diags);
        let root_needs = diags
            .iter()
            .zip(&files)
            .any(|(d, f)| d.line.is_none() && *f == Some(0));
        let text = if root_needs {
            std::fs::read_to_string(root).ok().filter(|t| !t.is_empty())
        } else {
            None
        };
        self.fill(text.as_deref(), diags, &files);
    }

    /// What the loader does last: drops the errors that repeat one the bundler
    /// gave at the same `$ref`, translates, and fills in lines (the root's from
    /// `root_text`).
    pub(super) fn finish(&self, root_text: &str, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = diags
            .into_iter()
            .enumerate()
            .filter(|(i, d)| *i < self.own || !d.is_error() || !self.reported.contains(&d.pointer))
            .map(|(_, d)| d)
            .collect();
        let files = self.translate(&mut diags);
        self.fill(Some(root_text), &mut diags, &files);
        diags
    }

    fn fill(&self, root_text: Option<&str>, diags: &mut [Diagnostic], files: &[Option<usize>]) {
        let count = self.files.len().max(1);
        for file in 0..count {
            let idx: Vec<usize> = (0..diags.len())
                .filter(|&i| diags[i].line.is_none() && files[i] == Some(file))
                .collect();
            if idx.is_empty() {
                continue;
            }
            let text: &str = match (file, root_text, self.texts.get(file)) {
                (0, Some(t), _) => t,
                (0, None, _) => continue,
                (_, _, Some(Some(t))) => t,
                _ => continue,
            };
            let pointers: Vec<&str> = idx.iter().map(|&i| diags[i].pointer.as_str()).collect();
            let lines = super::locate::lines_of(text, &pointers);
            for (i, line) in idx.into_iter().zip(lines) {
                diags[i].line = line;
            }
        }
    }
}
