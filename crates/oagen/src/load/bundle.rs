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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::sources::Sources;
use super::{parse_text, resolve_pointer};
use crate::diag::{escape_token, unescape_token, Diagnostics};

/// Bundles the files `raw` (read from `path`) refers to into it. Diagnostics go
/// to `diags`, at pointers of the bundled document (translated back by
/// [`Sources::fill_lines`]).
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

    /// The file shown relative to the root's folder where it is under it.
    fn shown(&self, file: usize) -> String {
        let root_dir = self.files[0].display.parent().unwrap_or(Path::new(""));
        let d = &self.files[file].display;
        format!("`{}`", d.strip_prefix(root_dir).unwrap_or(d).display())
    }

    /// What reference `r`, standing at `loc`, names (opening its file).
    fn resolve(&mut self, r: &str, loc: &Loc) -> Result<Target, Problem> {
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
        };
        let state = match std::fs::read(&display) {
            Err(e) => Err(problem(
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

    /// Walks the children of an object of kind `ctx`.
    fn children(&mut self, m: &mut Map<String, Value>, ctx: Ctx, loc: &mut Loc) {
        match ctx {
            Ctx::Root => {
                self.field(m, "paths", loc, |b, v, loc| {
                    b.map_of(v, Ctx::PathItem, true, loc)
                });
                self.field(m, "components", loc, |b, v, loc| {
                    b.walk(v, Ctx::Components, loc)
                });
            }
            Ctx::Components => {
                for kind in KINDS {
                    self.field(m, kind.key(), loc, |b, v, loc| b.components(v, kind, loc));
                }
            }
            Ctx::PathItem => {
                for (k, v) in m.iter_mut() {
                    if matches!(
                        k.as_str(),
                        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
                    ) {
                        let l = loc.push(k);
                        self.walk(v, Ctx::Operation, loc);
                        loc.pop(l);
                    }
                }
                self.field(m, "parameters", loc, |b, v, loc| {
                    b.list_of(v, Ctx::Parameter, loc)
                });
            }
            Ctx::Operation => {
                self.field(m, "parameters", loc, |b, v, loc| {
                    b.list_of(v, Ctx::Parameter, loc)
                });
                self.field(m, "requestBody", loc, |b, v, loc| {
                    b.walk(v, Ctx::RequestBody, loc)
                });
                self.field(m, "responses", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Response, true, loc)
                });
                self.field(m, "callbacks", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Callback, false, loc)
                });
            }
            Ctx::Callback => {
                for (k, v) in m.iter_mut() {
                    if !k.starts_with("x-") && k != "$ref" {
                        let l = loc.push(k);
                        self.walk(v, Ctx::PathItem, loc);
                        loc.pop(l);
                    }
                }
            }
            Ctx::Parameter | Ctx::Header => {
                self.field(m, "schema", loc, |b, v, loc| b.walk(v, Ctx::Schema, loc));
                self.field(m, "content", loc, |b, v, loc| {
                    b.map_of(v, Ctx::MediaType, false, loc)
                });
                self.field(m, "examples", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Example, false, loc)
                });
            }
            Ctx::RequestBody => {
                self.field(m, "content", loc, |b, v, loc| {
                    b.map_of(v, Ctx::MediaType, false, loc)
                });
            }
            Ctx::Response => {
                self.field(m, "headers", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Header, false, loc)
                });
                self.field(m, "content", loc, |b, v, loc| {
                    b.map_of(v, Ctx::MediaType, false, loc)
                });
                self.field(m, "links", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Link, false, loc)
                });
            }
            Ctx::MediaType => {
                self.field(m, "schema", loc, |b, v, loc| b.walk(v, Ctx::Schema, loc));
                self.field(m, "examples", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Example, false, loc)
                });
                self.field(m, "encoding", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Encoding, false, loc)
                });
            }
            Ctx::Encoding => {
                self.field(m, "headers", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Header, false, loc)
                });
            }
            Ctx::Schema => self.schema_children(m, loc),
            Ctx::Example | Ctx::Link | Ctx::SecurityScheme => {}
        }
    }

    fn schema_children(&mut self, m: &mut Map<String, Value>, loc: &mut Loc) {
        for (k, v) in m.iter_mut() {
            let l = loc.push(k);
            match k.as_str() {
                "properties" | "patternProperties" | "$defs" | "definitions"
                | "dependentSchemas" => {
                    self.map_of(v, Ctx::Schema, false, loc);
                }
                "items" | "additionalItems" if v.is_array() => self.list_of(v, Ctx::Schema, loc),
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => self.list_of(v, Ctx::Schema, loc),
                "items"
                | "additionalItems"
                | "additionalProperties"
                | "not"
                | "contains"
                | "if"
                | "then"
                | "else"
                | "propertyNames"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema" => self.walk(v, Ctx::Schema, loc),
                "discriminator" => self.mapping(v, loc),
                _ => {}
            }
            loc.pop(l);
        }
    }

    /// `discriminator.mapping` values that name another file (or, in another
    /// file, a local pointer) become local references to placed schemas.
    fn mapping(&mut self, v: &mut Value, loc: &mut Loc) {
        let Some(Value::Object(mapping)) = v.get_mut("mapping") else {
            return;
        };
        let l = loc.push("mapping");
        for (k, target) in mapping.iter_mut() {
            let Value::String(r) = target else { continue };
            let looks_ref = r.contains('#')
                || [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|e| r.to_ascii_lowercase().ends_with(e));
            if !looks_ref {
                continue;
            }
            let r = r.clone();
            let lk = loc.push(k);
            let found = self.resolve(&r, loc);
            match found {
                Ok(Target::Keep) => {}
                Ok(Target::Root(local)) => *target = Value::String(local),
                Ok(Target::File(file, frag)) if self.target(file, &frag).is_some() => {
                    let name = self.name_for(file, frag, Kind::Schemas);
                    *target =
                        Value::String(format!("#{}", component_pointer(Kind::Schemas, &name)));
                }
                Ok(Target::File(..)) => {}
                Err(p) => self.report_at(loc.out.clone(), p),
            }
            loc.pop(lk);
        }
        loc.pop(l);
    }

    /// A root `components/<kind>` map (placed-in-place entries get their target).
    fn components(&mut self, v: &mut Value, kind: Kind, loc: &mut Loc) {
        let Value::Object(m) = v else { return };
        for (name, entry) in m.iter_mut() {
            let l = loc.push(name);
            if loc.file == 0 && self.in_place.contains(&(kind, name.clone())) {
                if let Some(r) = pure_ref(entry).map(str::to_string) {
                    if let Ok(Target::File(file, frag)) = self.resolve(&r, loc) {
                        self.inline(entry, kind.ctx(), loc, file, frag, &r);
                        self.map.pop(); // the reservation recorded it already
                        loc.pop(l);
                        continue;
                    }
                }
            }
            self.walk(entry, kind.ctx(), loc);
            loc.pop(l);
        }
    }

    fn field(
        &mut self,
        m: &mut Map<String, Value>,
        key: &str,
        loc: &mut Loc,
        f: impl FnOnce(&mut Self, &mut Value, &mut Loc),
    ) {
        if let Some(v) = m.get_mut(key) {
            let l = loc.push(key);
            f(self, v, loc);
            loc.pop(l);
        }
    }

    fn map_of(&mut self, v: &mut Value, ctx: Ctx, skip_x: bool, loc: &mut Loc) {
        let Value::Object(m) = v else { return };
        for (k, child) in m.iter_mut() {
            if skip_x && k.starts_with("x-") {
                continue;
            }
            let l = loc.push(k);
            self.walk(child, ctx, loc);
            loc.pop(l);
        }
    }

    fn list_of(&mut self, v: &mut Value, ctx: Ctx, loc: &mut Loc) {
        let Value::Array(a) = v else { return };
        for (i, child) in a.iter_mut().enumerate() {
            let l = loc.push(&i.to_string());
            self.walk(child, ctx, loc);
            loc.pop(l);
        }
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

/// `$ref` values are URIs: `%20` and friends may appear.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}
