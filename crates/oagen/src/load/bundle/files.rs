//! The bundler's files: what a `$ref` names (path relative to the file that holds it, fragment), and each file read and parsed once, with what is wrong with it.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::{Bundler, File, Loc, Problem, Target};
use crate::load::{parse_text, percent_decode};

impl Bundler<'_> {
    /// The file shown relative to the root's folder where it is under it.
    pub(super) fn shown(&self, file: usize) -> String {
        let root_dir = self.files[0].display.parent().unwrap_or(Path::new(""));
        let d = &self.files[file].display;
        format!("`{}`", d.strip_prefix(root_dir).unwrap_or(d).display())
    }

    /// What reference `r`, standing at `loc`, names (opening its file).
    pub(super) fn resolve(&mut self, r: &str, loc: &Loc) -> Result<Target, Problem> {
        let (file_part, frag) = match r.split_once('#') {
            Some((f, p)) => (f, Some(p)),
            None => (r, None),
        };
        let frag_decoded = percent_decode(frag.unwrap_or(""));
        if !frag_decoded.is_empty() && !frag_decoded.starts_with('/') {
            return Err(Problem {
                message: format!("`$ref` `{r}`: the fragment `#{}` is not a JSON pointer", frag.unwrap_or("")),
                hint: "write the fragment as a JSON pointer, e.g. `#/components/schemas/Pet` (anchors are not supported)".into(),
                file: None,
                unreadable: false,
            });
        }
        if file_part.is_empty() {
            if loc.file == 0 {
                return Ok(Target::Keep);
            }
            return Ok(Target::File(loc.file, frag_decoded));
        }
        let lower = file_part.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Err(Problem {
                message: format!("`$ref` `{r}` is a URL: oagen does not fetch remote references"),
                hint: "download the file next to the spec and refer to it by a relative path (e.g. `$ref: common/pet.yaml`)".into(),
                file: None,
                unreadable: false,
            });
        }
        if let Some((scheme, _)) = file_part.split_once(':') {
            if scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                return Err(Problem {
                    message: format!("`$ref` `{r}`: `{scheme}:` references are not supported"),
                    hint:
                        "refer to the file by a path relative to the file that contains the `$ref`"
                            .into(),
                    file: None,
                    unreadable: false,
                });
            }
        }
        let base = self.files[loc.file]
            .display
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let display = lexical(&base.join(percent_decode(file_part)));
        let file = self.open(display);
        if file == 0 {
            return Ok(Target::Root(format!("#{}", frag.unwrap_or(""))));
        }
        match &self.files[file].state {
            Ok(_) => Ok(Target::File(file, frag_decoded)),
            Err(p) => Err(p.clone()),
        }
    }

    /// The index of the file at `display`, read and parsed on first use.
    fn open(&mut self, display: PathBuf) -> usize {
        if !self.root_keyed {
            self.root_keyed = true;
            if let Ok(k) = std::fs::canonicalize(&self.files[0].display) {
                self.files[0].key = k;
            }
        }
        let key = std::fs::canonicalize(&display).unwrap_or_else(|_| display.clone());
        if let Some(i) = self.files.iter().position(|f| f.key == key) {
            return i;
        }
        let i = self.files.len();
        let shown_root = self.files[0]
            .display
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let shown = format!(
            "`{}`",
            display
                .strip_prefix(&shown_root)
                .unwrap_or(&display)
                .display()
        );
        let problem = |message: String, hint: &str| Problem {
            message,
            hint: hint.into(),
            file: Some(i),
            unreadable: false,
        };
        let unreadable = |message: String, hint: &str| Problem {
            unreadable: true,
            ..problem(message, hint)
        };
        let state = match std::fs::read(&display) {
            Err(e) => Err(unreadable(
                format!("cannot read {shown}, which this `$ref` names: {e}"),
                "check the path: it is relative to the file that contains the `$ref`",
            )),
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(e) => Err(problem(
                    format!("{shown}, which this `$ref` names, is not UTF-8 text: {}", e.utf8_error()),
                    "save the file as UTF-8",
                )),
                Ok(text) => match parse_text(&display, &text) {
                    Err(d) => {
                        let at = match (d.line, d.column) {
                            (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
                            (Some(l), None) => format!(" (line {l})"),
                            _ => String::new(),
                        };
                        Err(problem(
                            format!("{shown}, which this `$ref` names, is not YAML or JSON{at}: {}", d.message),
                            "fix the syntax of that file",
                        ))
                    }
                    Ok(v) if !v.is_object() && !v.is_array() => Err(problem(
                        format!("{shown}, which this `$ref` names, is not a YAML or JSON document (it reads as a plain value)"),
                        "refer to a YAML or JSON file holding an object",
                    )),
                    Ok(v) => Ok(Some((Arc::from(text), v))),
                },
            },
        };
        self.files.push(File {
            display,
            key,
            state,
            reported: false,
        });
        i
    }
}

/// `p` with `.` and `..` taken out where that can be done without the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}
