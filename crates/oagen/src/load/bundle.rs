//! Multi-file specs: reads every file a `$ref` names and rewrites each external reference into a local one.
//!
//! Runs on the parsed root document before normalisation. The document is walked
//! by its structure (path items, operations, parameters, schemas, ...), so the
//! kind of every `$ref` is known from where it stands. A reference to another
//! file (`schemas/pet.yaml`, `../common.json#/Error`), or a local reference
//! (`#/...`) inside such a file, which points into *that* file, becomes:
//!
//! - for the reusable kinds (schemas, parameters, responses, request bodies,
//!   headers, examples, links, callbacks, security schemes): a local reference
//!   to `#/components/<kind>/<Name>`, with the target placed there once per
//!   (file, fragment, kind), so every file that refers to it gets the same
//!   component and so the same type. `Name` is the fragment's last token, else
//!   the file stem, made unique against the kind's other components
//!   (case-insensitively, by a numeric suffix). A root component that is only
//!   such a reference (`Pet: {$ref: schemas/pet.yaml}`) keeps its own name and
//!   receives the target in place;
//! - anywhere else (path items, operations, media types): the target, inlined.
//!
//! Files are read once each (keyed by canonical path) and walked relative to
//! themselves, so cycles across files end at a component already named. Every
//! placed or inlined value is recorded in [`Sources`] with the file and pointer
//! it came from, so that later diagnostics can be given in that file.
//! Problems (a missing, unreadable or unparseable file, a fragment that is not
//! in its file, an `http(s)://` reference) are diagnostics at the `$ref`, all
//! collected; the file-level ones once per file.

mod files;
mod walk;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::resolve_pointer;
use super::sources::Sources;
use crate::diag::{escape_token, unescape_token, Diagnostics};

/// Bundles the files `raw` (read from `path`) refers to into it. Diagnostics go
/// to `diags`, at pointers of the bundled document (translated back by
/// [`Sources`]).
pub fn bundle(path: &Path, raw: &mut Value, diags: &mut Diagnostics) -> Sources {
    let mut b = Bundler {
        files: vec![File {
            display: path.to_path_buf(),
            key: path.to_path_buf(),
            state: Ok(None),
            reported: false,
        }],
        root_keyed: false,
        names: BTreeMap::new(),
        taken: BTreeMap::new(),
        slots: Vec::new(),
        in_place: BTreeSet::new(),
        inlining: Vec::new(),
        map: Vec::new(),
        reported: BTreeSet::new(),
        diags,
    };
    let is_openapi = raw
        .as_object()
        .is_some_and(|m| m.contains_key("openapi") && !m.contains_key("swagger"));
    if !is_openapi {
        return b.finish();
    }
    b.existing_names(raw);
    b.reserve_in_place(raw);
    b.walk(raw, Ctx::Root, &mut Loc::root());
    let mut i = 0;
    while i < b.slots.len() {
        let (file, frag, kind) = (b.slots[i].file, b.slots[i].frag.clone(), b.slots[i].kind);
        let mut body = b.target(file, &frag).cloned().unwrap_or(Value::Null);
        let out = component_pointer(kind, &b.slots[i].name);
        b.walk(
            &mut body,
            kind.ctx(),
            &mut Loc {
                file,
                ptr: frag,
                out,
            },
        );
        b.slots[i].value = body;
        i += 1;
    }
    b.place(raw);
    b.finish()
}

/// The component kinds a reference can be placed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Schemas,
    Parameters,
    Responses,
    RequestBodies,
    Headers,
    Examples,
    Links,
    Callbacks,
    SecuritySchemes,
}

const KINDS: [Kind; 9] = [
    Kind::Schemas,
    Kind::Parameters,
    Kind::Responses,
    Kind::RequestBodies,
    Kind::Headers,
    Kind::Examples,
    Kind::Links,
    Kind::Callbacks,
    Kind::SecuritySchemes,
];

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Schemas => "schemas",
            Kind::Parameters => "parameters",
            Kind::Responses => "responses",
            Kind::RequestBodies => "requestBodies",
            Kind::Headers => "headers",
            Kind::Examples => "examples",
            Kind::Links => "links",
            Kind::Callbacks => "callbacks",
            Kind::SecuritySchemes => "securitySchemes",
        }
    }

    fn ctx(self) -> Ctx {
        match self {
            Kind::Schemas => Ctx::Schema,
            Kind::Parameters => Ctx::Parameter,
            Kind::Responses => Ctx::Response,
            Kind::RequestBodies => Ctx::RequestBody,
            Kind::Headers => Ctx::Header,
            Kind::Examples => Ctx::Example,
            Kind::Links => Ctx::Link,
            Kind::Callbacks => Ctx::Callback,
            Kind::SecuritySchemes => Ctx::SecurityScheme,
        }
    }

    /// The name of a component with no better one.
    fn fallback(self) -> &'static str {
        match self {
            Kind::Schemas => "Schema",
            Kind::Parameters => "Parameter",
            Kind::Responses => "Response",
            Kind::RequestBodies => "RequestBody",
            Kind::Headers => "Header",
            Kind::Examples => "Example",
            Kind::Links => "Link",
            Kind::Callbacks => "Callback",
            Kind::SecuritySchemes => "SecurityScheme",
        }
    }
}

/// What a value is, by where it stands in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Root,
    Components,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Encoding,
    Example,
    Link,
    Callback,
    Schema,
    SecurityScheme,
}

impl Ctx {
    /// The component kind a reference here is placed under; None: inlined.
    fn kind(self) -> Option<Kind> {
        Some(match self {
            Ctx::Schema => Kind::Schemas,
            Ctx::Parameter => Kind::Parameters,
            Ctx::Response => Kind::Responses,
            Ctx::RequestBody => Kind::RequestBodies,
            Ctx::Header => Kind::Headers,
            Ctx::Example => Kind::Examples,
            Ctx::Link => Kind::Links,
            Ctx::Callback => Kind::Callbacks,
            Ctx::SecurityScheme => Kind::SecuritySchemes,
            _ => return None,
        })
    }
}

/// Where a value is: its file, its pointer there, and its pointer in the bundled document.
struct Loc {
    file: usize,
    ptr: String,
    out: String,
}

impl Loc {
    fn root() -> Loc {
        Loc {
            file: 0,
            ptr: String::new(),
            out: String::new(),
        }
    }

    fn push(&mut self, token: &str) -> (usize, usize) {
        let lens = (self.ptr.len(), self.out.len());
        let t = escape_token(token);
        self.ptr.push('/');
        self.ptr.push_str(&t);
        self.out.push('/');
        self.out.push_str(&t);
        lens
    }

    fn pop(&mut self, lens: (usize, usize)) {
        self.ptr.truncate(lens.0);
        self.out.truncate(lens.1);
    }
}

/// One file: index 0 is the root (its value is the document being bundled).
struct File {
    /// As shown in diagnostics and `rerun-if-changed` lines.
    display: PathBuf,
    /// Canonical where it exists, so two spellings of one file are one file.
    key: PathBuf,
    /// Its text and value, or what is wrong with it.
    state: Result<Option<(Arc<str>, Value)>, Problem>,
    /// Whether its problem has been reported.
    reported: bool,
}

/// A component placed by the bundler.
struct Slot {
    kind: Kind,
    name: String,
    file: usize,
    frag: String,
    value: Value,
}

/// What a `$ref` names.
enum Target {
    /// A local reference in the root file: left as it is.
    Keep,
    /// A pointer into the root file, from another file.
    Root(String),
    /// A value in another file, by file index and (decoded) pointer.
    File(usize, String),
}

#[derive(Clone)]
struct Problem {
    message: String,
    hint: String,
    /// The file it is about (reported once per file), if any.
    file: Option<usize>,
    /// The file cannot be read (it is missing, say): a schema there is then
    /// taken as any value, with a warning.
    unreadable: bool,
}

struct Bundler<'a> {
    files: Vec<File>,
    root_keyed: bool,
    /// (file, fragment, kind) -> component name.
    names: BTreeMap<(usize, String, Kind), String>,
    /// Names in use per kind, lowercased.
    taken: BTreeMap<Kind, BTreeSet<String>>,
    slots: Vec<Slot>,
    /// Root components that receive their target in place.
    in_place: BTreeSet<(Kind, String)>,
    /// The (file, fragment)s being inlined, to stop inlining loops.
    inlining: Vec<(usize, String)>,
    /// Bundled pointer -> (file, pointer in file).
    map: Vec<(String, usize, String)>,
    /// Bundled pointers of the `$ref`s reported here.
    reported: BTreeSet<String>,
    diags: &'a mut Diagnostics,
}

fn component_pointer(kind: Kind, name: &str) -> String {
    format!("/components/{}/{}", kind.key(), escape_token(name))
}

impl Bundler<'_> {
    fn finish(self) -> Sources {
        let files = self.files.iter().map(|f| f.display.clone()).collect();
        let texts = self
            .files
            .iter()
            .map(|f| match &f.state {
                Ok(Some((text, _))) => Some(text.clone()),
                _ => None,
            })
            .collect();
        let own = self.diags.items().len();
        Sources::new(files, texts, self.map, self.reported, own)
    }

    fn existing_names(&mut self, raw: &Value) {
        for kind in KINDS {
            let set = self.taken.entry(kind).or_default();
            if let Some(m) = raw
                .pointer(&format!("/components/{}", kind.key()))
                .and_then(Value::as_object)
            {
                set.extend(m.keys().map(|k| k.to_lowercase()));
            }
        }
    }

    /// Root components that are only a reference to another file keep their
    /// name for that target (quietly: the walk reports any problem).
    fn reserve_in_place(&mut self, raw: &Value) {
        for kind in KINDS {
            let Some(m) = raw
                .pointer(&format!("/components/{}", kind.key()))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (name, v) in m {
                let Some(r) = pure_ref(v) else { continue };
                if r.starts_with('#') {
                    continue;
                }
                let mut loc = Loc::root();
                if let Ok(Target::File(file, frag)) = self.resolve(r, &loc) {
                    if self.target(file, &frag).is_some() {
                        let key = (file, frag.clone(), kind);
                        if let std::collections::btree_map::Entry::Vacant(e) = self.names.entry(key)
                        {
                            e.insert(name.clone());
                            self.in_place.insert((kind, name.clone()));
                            loc.out = component_pointer(kind, name);
                            self.map.push((loc.out, file, frag));
                        }
                    }
                }
            }
        }
    }

    /// Inserts the placed components into the document, in the order first referred to.
    fn place(&mut self, raw: &mut Value) {
        if self.slots.is_empty() {
            return;
        }
        let Some(root) = raw.as_object_mut() else {
            return;
        };
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            return; // reported by the loader
        }
        for slot in self.slots.drain(..) {
            let Some(section) = components
                .as_object_mut()
                .map(|c| {
                    c.entry(slot.kind.key())
                        .or_insert_with(|| Value::Object(Map::new()))
                })
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            section.insert(slot.name, slot.value);
        }
    }

    fn report(&mut self, loc: &Loc, p: Problem) {
        self.report_at(format!("{}/$ref", loc.out), p);
    }

    /// Warns (once per file) about a file that cannot be read, saying what
    /// was done instead.
    fn warn_unreadable(&mut self, at: String, p: Problem, instead: &str) {
        self.reported.insert(at.clone());
        let first = p
            .file
            .is_none_or(|f| !std::mem::replace(&mut self.files[f].reported, true));
        if first {
            self.diags
                .warn(at, format!("{}; {instead} ({})", p.message, p.hint));
        }
    }

    fn report_at(&mut self, at: String, p: Problem) {
        self.reported.insert(at.clone());
        if let Some(f) = p.file {
            if std::mem::replace(&mut self.files[f].reported, true) {
                return;
            }
        }
        self.diags.error(at, p.message, p.hint);
    }

    /// The value at `frag` in file `file` (not the root).
    fn target(&self, file: usize, frag: &str) -> Option<&Value> {
        match &self.files[file].state {
            Ok(Some((_, v))) => resolve_pointer(v, frag),
            _ => None,
        }
    }

    fn walk(&mut self, v: &mut Value, ctx: Ctx, loc: &mut Loc) {
        let Value::Object(m) = v else {
            return;
        };
        if !matches!(ctx, Ctx::Root | Ctx::Components) {
            if let Some(Value::String(r)) = m.get("$ref") {
                let r = r.clone();
                match self.resolve(&r, loc) {
                    Ok(Target::Keep) => {}
                    Ok(Target::Root(local)) => {
                        m.insert("$ref".into(), Value::String(local));
                    }
                    Ok(Target::File(file, frag)) => {
                        if self.target(file, &frag).is_none() {
                            let shown = self.shown(file);
                            self.report(
                                loc,
                                Problem {
                                    message: format!("`$ref` target `{r}` does not exist: {shown} has no `#{frag}`"),
                                    hint: "correct the fragment after `#` so that it is a JSON pointer to a value in that file".into(),
                                    file: None,
                                    unreadable: false,
                                },
                            );
                        } else if let Some(kind) = ctx.kind() {
                            let name = self.name_for(file, frag, kind);
                            let local = format!("#{}", component_pointer(kind, &name));
                            m.insert("$ref".into(), Value::String(local));
                        } else {
                            self.inline(v, ctx, loc, file, frag, &r);
                            return;
                        }
                    }
                    // A schema in a file that cannot be read (a directory that
                    // lost it) is any value, with a warning once per file: the
                    // rest of the spec stays usable.
                    Err(p) if ctx == Ctx::Schema && p.unreadable => {
                        let at = format!("{}/$ref", loc.out);
                        self.warn_unreadable(at, p, "the schema is taken as any value");
                        *v = Value::Object(Map::new());
                        return;
                    }
                    Err(p) => self.report(loc, p),
                }
            }
        }
        let Value::Object(m) = v else { return };
        self.children(m, ctx, loc);
    }

    /// Replaces the reference `v` by its target (walked where it came from),
    /// with the reference's siblings kept over the target's fields.
    fn inline(
        &mut self,
        v: &mut Value,
        ctx: Ctx,
        loc: &mut Loc,
        file: usize,
        frag: String,
        r: &str,
    ) {
        if self.inlining.iter().any(|(f, p)| *f == file && *p == frag) {
            self.report(
                loc,
                Problem {
                    message: format!(
                        "`$ref` `{r}` includes itself (a loop of references across files)"
                    ),
                    hint: "break the loop: a path item or operation cannot contain itself".into(),
                    file: None,
                    unreadable: false,
                },
            );
            return;
        }
        let mut body = self.target(file, &frag).cloned().unwrap_or(Value::Null);
        self.map.push((loc.out.clone(), file, frag.clone()));
        self.inlining.push((file, frag.clone()));
        let mut inner = Loc {
            file,
            ptr: frag,
            out: loc.out.clone(),
        };
        self.walk(&mut body, ctx, &mut inner);
        self.inlining.pop();
        if let (Value::Object(target), Value::Object(siblings)) = (&mut body, &*v) {
            for (k, s) in siblings {
                if k != "$ref" {
                    target.insert(k.clone(), s.clone());
                }
            }
        }
        *v = body;
    }

    /// The component name of (file, frag) as `kind`, claimed on first use.
    fn name_for(&mut self, file: usize, frag: String, kind: Kind) -> String {
        let key = (file, frag, kind);
        if let Some(n) = self.names.get(&key) {
            return n.clone();
        }
        let base = sanitize(
            key.1
                .rsplit('/')
                .next()
                .filter(|s| !s.is_empty())
                .map(unescape_token)
                .or_else(|| {
                    self.files[file]
                        .display
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .map(str::to_string)
                })
                .unwrap_or_default()
                .as_str(),
        );
        let base = if base.is_empty() {
            kind.fallback().to_string()
        } else {
            base
        };
        let taken = self.taken.entry(kind).or_default();
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.to_lowercase());
        self.names.insert(key.clone(), name.clone());
        self.map
            .push((component_pointer(kind, &name), file, key.1.clone()));
        self.slots.push(Slot {
            kind,
            name: name.clone(),
            file,
            frag: key.1,
            value: Value::Null,
        });
        name
    }
}

/// The target of `v` when it is `{$ref: ...}` and nothing else.
fn pure_ref(v: &Value) -> Option<&str> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    m.get("$ref")?.as_str()
}

/// A component name: letters, digits, `.`, `-` and `_` (others become `_`).
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
