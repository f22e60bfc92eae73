//! The runtime's source files (`crates/oagen-runtime/src`), vendored into every generated crate.
//!
//! A crate gets them as files (`src/runtime.rs` for the runtime's `lib.rs`,
//! `src/runtime/..` for the others: the same tree); a build script's single
//! file gets them as nested inline modules, since `include!` cannot follow
//! `mod x;` to a file. Unit tests (`#[cfg(test)] mod tests;`, in `tests.rs`
//! files beside what they test) are not vendored.

/// Every runtime source file but the tests: its path under
/// `crates/oagen-runtime/src`, and its text. A test below fails when a file
/// there is missing from this table.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("lib.rs", include_str!("../../../oagen-runtime/src/lib.rs")),
    (
        "binary.rs",
        include_str!("../../../oagen-runtime/src/binary.rs"),
    ),
    (
        "datetime.rs",
        include_str!("../../../oagen-runtime/src/datetime.rs"),
    ),
    (
        "header.rs",
        include_str!("../../../oagen-runtime/src/header.rs"),
    ),
    (
        "json.rs",
        include_str!("../../../oagen-runtime/src/json.rs"),
    ),
    (
        "multipart.rs",
        include_str!("../../../oagen-runtime/src/multipart.rs"),
    ),
    (
        "object.rs",
        include_str!("../../../oagen-runtime/src/object.rs"),
    ),
    (
        "wire.rs",
        include_str!("../../../oagen-runtime/src/wire.rs"),
    ),
    (
        "wire/parse.rs",
        include_str!("../../../oagen-runtime/src/wire/parse.rs"),
    ),
    (
        "wire/text.rs",
        include_str!("../../../oagen-runtime/src/wire/text.rs"),
    ),
    (
        "wire/write.rs",
        include_str!("../../../oagen-runtime/src/wire/write.rs"),
    ),
    (
        "examples.rs",
        include_str!("../../../oagen-runtime/src/examples.rs"),
    ),
    (
        "client.rs",
        include_str!("../../../oagen-runtime/src/client.rs"),
    ),
    (
        "client/config.rs",
        include_str!("../../../oagen-runtime/src/client/config.rs"),
    ),
    (
        "client/decode.rs",
        include_str!("../../../oagen-runtime/src/client/decode.rs"),
    ),
    (
        "client/error.rs",
        include_str!("../../../oagen-runtime/src/client/error.rs"),
    ),
    (
        "client/pending.rs",
        include_str!("../../../oagen-runtime/src/client/pending.rs"),
    ),
];

/// Which part of a generated crate a runtime file serves. A half's files are
/// its module's (`client.rs`, `client/..`), declared in `lib.rs` behind the
/// half's feature (`#[cfg(feature = "client")]`); all others are the core,
/// which every crate (or, with split models, the models crate) gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    /// What both halves and the types use.
    Core,
    /// The client's frame (needs `reqwest`).
    Client,
}

impl Half {
    /// The half the runtime file at `path` belongs to.
    pub fn of(path: &str) -> Half {
        match path.split(['/', '.']).next() {
            Some("client") => Half::Client,
            _ => Half::Core,
        }
    }

    /// The feature the half's module is declared behind (none for the core).
    fn feature(self) -> Option<&'static str> {
        match self {
            Half::Core => None,
            Half::Client => Some("client"),
        }
    }
}

/// How a half's module is vendored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Include {
    /// Not at all: neither its files nor its `mod` line.
    Leave,
    /// Behind its feature, as in the runtime crate: for a crate that has that
    /// feature.
    Gated,
    /// Without the `#[cfg]`: for a single file, which has the half only when
    /// it is generated.
    Always,
}

/// What of the runtime a crate (or a single file) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Halves {
    /// The core files (`lib.rs` and what it declares but the halves).
    pub core: bool,
    /// The client's module.
    pub client: Include,
}

impl Halves {
    /// How `half` is vendored.
    fn include(&self, half: Half) -> Include {
        match half {
            Half::Core if self.core => Include::Always,
            Half::Core => Include::Leave,
            Half::Client => self.client,
        }
    }
}

/// The runtime's files as a generated crate holds them: each path relative to
/// the crate's `src` (`runtime.rs`, `runtime/wire.rs`, ..) and its text without
/// test modules, with the halves `halves` says.
pub fn runtime_files(halves: &Halves) -> Vec<(String, String)> {
    RUNTIME_FILES
        .iter()
        .filter(|(path, _)| halves.include(Half::of(path)) != Include::Leave)
        .map(|(path, text)| {
            let vendored = match *path {
                "lib.rs" => "runtime.rs".to_string(),
                other => format!("runtime/{other}"),
            };
            (vendored, select_halves(&strip_tests(text), halves))
        })
        .collect()
}

/// The runtime as one module body (the root's text, `//!` lines included):
/// every `mod x;` is replaced by `mod x { .. }` holding `x`'s file, so that it
/// can be `include!`d. Test modules are left out, and the halves `halves`
/// leaves (a half is [`Include::Always`] or [`Include::Leave`] here).
pub fn runtime_inline(halves: &Halves) -> String {
    inline("lib.rs", halves)
}

/// `text` with each half's `#[cfg(feature = "..")]` and `mod` line as
/// `halves` says: both kept, the `mod` line alone, or neither.
fn select_halves(text: &str, halves: &Halves) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let next = lines.get(i + 1).copied().and_then(file_module);
        let gated = [Half::Client].into_iter().find(|h| {
            let cfg = format!("#[cfg(feature = \"{}\")]", h.feature().unwrap_or_default());
            lines[i].trim() == cfg && next.is_some_and(|(_, name)| Half::of(name) == *h)
        });
        if let Some(half) = gated {
            match halves.include(half) {
                Include::Leave => {}
                Include::Gated => out.push_str(&format!("{}\n{}\n", lines[i], lines[i + 1])),
                Include::Always => out.push_str(&format!("{}\n", lines[i + 1])),
            }
            i += 2;
            continue;
        }
        out.push_str(lines[i]);
        out.push('\n');
        i += 1;
    }
    out
}

fn inline(path: &str, halves: &Halves) -> String {
    let text = RUNTIME_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, text)| *text);
    let mut out = String::with_capacity(text.len());
    for line in select_halves(&strip_tests(text), halves).lines() {
        match file_module(line) {
            Some((head, name)) => {
                out.push_str(&format!("{head}mod {name} {{\n"));
                out.push_str(&inline(&child_path(path, name), halves));
                out.push_str("}\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The path of module `name` declared in the file at `path` (a module
/// declared in `wire.rs` is in `wire/`, one declared in `lib.rs` beside it).
fn child_path(path: &str, name: &str) -> String {
    let dir = match path
        .strip_suffix("lib.rs")
        .or_else(|| path.strip_suffix("mod.rs"))
    {
        Some(dir) => dir.to_string(),
        None => format!("{}/", path.trim_end_matches(".rs")),
    };
    let file = format!("{dir}{name}.rs");
    if RUNTIME_FILES.iter().any(|(p, _)| *p == file) {
        file
    } else {
        format!("{dir}{name}/mod.rs")
    }
}

/// A declaration of a module in a file of its own (`mod x;`, `pub mod x;`,
/// `pub(crate) mod x;`): what precedes `mod ` (indentation and visibility),
/// and the name.
fn file_module(line: &str) -> Option<(&str, &str)> {
    let decl = line.trim_end().strip_suffix(';')?;
    let (head, name) = decl.rsplit_once("mod ")?;
    let visibility = head.trim();
    let ident = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (ident && (visibility.is_empty() || visibility.starts_with("pub"))).then_some((head, name))
}

/// `text` without its test modules: a `#[cfg(test)]` line and the module
/// declaration after it (`mod tests;`), or the whole inline module
/// (`mod tests { .. }`, up to its `}` at the same indentation).
fn strip_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let next = lines.get(i + 1).copied().unwrap_or("");
        if line.trim() == "#[cfg(test)]" {
            if file_module(next).is_some() {
                i += 2;
                continue;
            }
            let opens = next.trim_start();
            if (opens.starts_with("mod ") || opens.starts_with("pub(crate) mod "))
                && opens.ends_with('{')
            {
                let indent = &next[..next.len() - opens.len()];
                let close = format!("{indent}}}");
                let end = lines[i + 2..].iter().position(|l| l.trim_end() == close);
                i += 2 + end.map_or(lines.len(), |e| e + 1);
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
        i += 1;
    }
    let kept = out.trim_end();
    format!("{kept}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    const ALL: Halves = Halves {
        core: true,
        client: Include::Gated,
    };

    #[test]
    fn each_half_is_vendored_as_told() {
        let lib = |halves: &Halves| {
            runtime_files(halves)
                .into_iter()
                .find(|(p, _)| p == "runtime.rs")
                .map(|(_, text)| text)
        };
        let gated = lib(&ALL).expect("runtime.rs");
        assert!(gated.contains("#[cfg(feature = \"client\")]\npub mod client;\n"));
        let without = Halves {
            client: Include::Leave,
            ..ALL
        };
        let text = lib(&without).expect("runtime.rs");
        assert!(!text.contains("mod client") && !text.contains("feature = \"client\""));
        assert!(runtime_files(&without)
            .iter()
            .all(|(p, _)| !p.starts_with("runtime/client")));
        // Only the client, for a crate whose core runtime is another crate's.
        let client_only = Halves {
            core: false,
            client: Include::Gated,
        };
        let paths: Vec<String> = runtime_files(&client_only)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert!(
            paths.contains(&"runtime/client.rs".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.iter().all(|p| p.starts_with("runtime/client")),
            "{paths:?}"
        );
        let single = runtime_inline(&Halves {
            core: true,
            client: Include::Always,
        });
        assert!(
            single.contains("\npub mod client {\n") && !single.contains("feature = \"client\"")
        );
        let none = runtime_inline(&without);
        assert!(!none.contains("mod client") && !none.contains("reqwest"));
        syn::parse_file(&none).expect("the runtime without the client parses");
    }

    fn rust_files(dir: &Path, under: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("runtime source directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                rust_files(&path, under, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(under).expect("under src");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    #[test]
    fn every_runtime_file_but_the_tests_is_vendored() {
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../oagen-runtime/src");
        let mut on_disk = Vec::new();
        rust_files(&src, &src, &mut on_disk);
        let mut expected: Vec<String> = on_disk
            .into_iter()
            .filter(|p| !p.ends_with("tests.rs") && !p.split('/').any(|s| s == "tests"))
            .collect();
        expected.sort();
        let mut listed: Vec<String> = RUNTIME_FILES.iter().map(|(p, _)| p.to_string()).collect();
        listed.sort();
        assert_eq!(
            listed, expected,
            "RUNTIME_FILES (emit/runtime_files.rs) must list every runtime source file but the tests"
        );
    }

    #[test]
    fn vendored_files_have_no_tests_and_every_module_is_there() {
        for (path, text) in RUNTIME_FILES {
            let vendored = strip_tests(text);
            assert!(
                !vendored.contains("cfg(test)"),
                "{path} keeps a test module"
            );
            assert!(
                vendored.starts_with("//! "),
                "{path} opens with a `//!` line"
            );
            for (_, name) in vendored.lines().filter_map(file_module) {
                let child = child_path(path, name);
                assert!(
                    RUNTIME_FILES.iter().any(|(p, _)| *p == child),
                    "{path} declares `mod {name};` but {child} is not in RUNTIME_FILES"
                );
            }
        }
        let paths: Vec<String> = runtime_files(&ALL).into_iter().map(|(p, _)| p).collect();
        assert!(paths.contains(&"runtime.rs".to_string()), "{paths:?}");
        assert!(
            paths.contains(&"runtime/wire/text.rs".to_string()),
            "{paths:?}"
        );
    }

    #[test]
    fn the_inline_runtime_is_one_file_without_tests() {
        let text = runtime_inline(&Halves {
            core: true,
            client: Include::Always,
        });
        assert!(!text.contains("cfg(test)"));
        assert!(
            text.lines().all(|l| file_module(l).is_none()),
            "a `mod x;` is left"
        );
        syn::parse_file(&text).expect("the inline runtime parses");
        for (_, source) in RUNTIME_FILES {
            let first = source.lines().find(|l| !l.starts_with("//!")).unwrap_or("");
            assert!(text.contains(first));
        }
        assert!(text.contains("pub mod wire {\n//! "));
        assert!(text.contains("mod text {\n//! "));
    }

    #[test]
    fn test_modules_are_stripped_in_either_form() {
        let files = "//! A.\nfn a() {}\n\n#[cfg(test)]\nmod tests;\n";
        assert_eq!(strip_tests(files), "//! A.\nfn a() {}\n");
        let inline =
            "fn a() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\nfn b() {}\n";
        assert_eq!(strip_tests(inline), "fn a() {}\nfn b() {}\n");
        let nested = "pub mod m {\n    #[cfg(test)]\n    mod tests {\n        fn t() {}\n    }\n    fn c() {}\n}\n";
        assert_eq!(strip_tests(nested), "pub mod m {\n    fn c() {}\n}\n");
        assert_eq!(file_module("pub(crate) mod x;"), Some(("pub(crate) ", "x")));
        assert_eq!(file_module("    mod x;"), Some(("    ", "x")));
        assert_eq!(file_module("pub use x::{mod_y};"), None);
        assert_eq!(file_module("// mod x;"), None);
    }
}
