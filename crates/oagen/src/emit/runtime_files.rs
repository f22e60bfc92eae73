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
pub const RUNTIME_FILES: &[(Half, &str, &str)] = &[
    (
        Half::Core,
        "lib.rs",
        include_str!("../../../oagen-runtime/src/lib.rs"),
    ),
    (
        Half::Core,
        "base64.rs",
        include_str!("../../../oagen-runtime/src/base64.rs"),
    ),
    (
        Half::Core,
        "binary.rs",
        include_str!("../../../oagen-runtime/src/binary.rs"),
    ),
    (
        Half::Core,
        "byte_body.rs",
        include_str!("../../../oagen-runtime/src/byte_body.rs"),
    ),
    (
        Half::Core,
        "datetime.rs",
        include_str!("../../../oagen-runtime/src/datetime.rs"),
    ),
    (
        Half::Core,
        "header.rs",
        include_str!("../../../oagen-runtime/src/header.rs"),
    ),
    (
        Half::Core,
        "json.rs",
        include_str!("../../../oagen-runtime/src/json.rs"),
    ),
    (
        Half::Core,
        "operation.rs",
        include_str!("../../../oagen-runtime/src/operation.rs"),
    ),
    (
        Half::Core,
        "multipart.rs",
        include_str!("../../../oagen-runtime/src/multipart.rs"),
    ),
    (
        Half::Core,
        "multipart/incremental.rs",
        include_str!("../../../oagen-runtime/src/multipart/incremental.rs"),
    ),
    (
        Half::Core,
        "object.rs",
        include_str!("../../../oagen-runtime/src/object.rs"),
    ),
    (
        Half::Core,
        "wire.rs",
        include_str!("../../../oagen-runtime/src/wire.rs"),
    ),
    (
        Half::Core,
        "wire/parse.rs",
        include_str!("../../../oagen-runtime/src/wire/parse.rs"),
    ),
    (
        Half::Core,
        "wire/text.rs",
        include_str!("../../../oagen-runtime/src/wire/text.rs"),
    ),
    (
        Half::Core,
        "wire/write.rs",
        include_str!("../../../oagen-runtime/src/wire/write.rs"),
    ),
    (
        Half::Checks,
        "validate.rs",
        include_str!("../../../oagen-runtime/src/validate.rs"),
    ),
    (
        Half::Server,
        "server.rs",
        include_str!("../../../oagen-runtime/src/server.rs"),
    ),
    (
        Half::Server,
        "server/auth.rs",
        include_str!("../../../oagen-runtime/src/server/auth.rs"),
    ),
    (
        Half::Server,
        "server/body.rs",
        include_str!("../../../oagen-runtime/src/server/body.rs"),
    ),
    (
        Half::Server,
        "server/inputs.rs",
        include_str!("../../../oagen-runtime/src/server/inputs.rs"),
    ),
    (
        Half::Server,
        "server/respond.rs",
        include_str!("../../../oagen-runtime/src/server/respond.rs"),
    ),
    (
        Half::Core,
        "examples.rs",
        include_str!("../../../oagen-runtime/src/examples.rs"),
    ),
    (
        Half::Client,
        "client.rs",
        include_str!("../../../oagen-runtime/src/client.rs"),
    ),
    (
        Half::Client,
        "client/body.rs",
        include_str!("../../../oagen-runtime/src/client/body.rs"),
    ),
    (
        Half::Client,
        "client/callback.rs",
        include_str!("../../../oagen-runtime/src/client/callback.rs"),
    ),
    (
        Half::Client,
        "client/config.rs",
        include_str!("../../../oagen-runtime/src/client/config.rs"),
    ),
    (
        Half::Client,
        "client/decode.rs",
        include_str!("../../../oagen-runtime/src/client/decode.rs"),
    ),
    (
        Half::Client,
        "client/error.rs",
        include_str!("../../../oagen-runtime/src/client/error.rs"),
    ),
    (
        Half::Client,
        "client/pending.rs",
        include_str!("../../../oagen-runtime/src/client/pending.rs"),
    ),
    (
        Half::Client,
        "client/retry.rs",
        include_str!("../../../oagen-runtime/src/client/retry.rs"),
    ),
    (
        Half::Client,
        "client/trace.rs",
        include_str!("../../../oagen-runtime/src/client/trace.rs"),
    ),
    (
        Half::Server,
        "server/streaming.rs",
        include_str!("../../../oagen-runtime/src/server/streaming.rs"),
    ),
    (
        Half::Core,
        "stream.rs",
        include_str!("../../../oagen-runtime/src/stream.rs"),
    ),
    (
        Half::Core,
        "stream/sse.rs",
        include_str!("../../../oagen-runtime/src/stream/sse.rs"),
    ),
];

/// Which part of a generated crate a runtime file belongs to, and so which
/// crate it goes to and when it is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    /// Every crate's: with the types (in the models crate with `--split-models`).
    Core,
    /// The client's (it needs `reqwest`): in the crate that has the client.
    Client,
    /// The server's request checks (`validate`, which needs `regex`): with the
    /// types, since the `validate` module is theirs, behind `server`.
    Checks,
    /// The server's (it needs `axum`): in the crate that has the server,
    /// behind `server`.
    Server,
}

impl Half {
    /// Whether the half goes with the types (to the models crate with
    /// `--split-models`), rather than with the crate that has its dependencies.
    pub fn with_types(self) -> bool {
        matches!(self, Half::Core | Half::Checks)
    }
}

/// The runtime's files of `halves` as a generated crate holds them: each path
/// relative to the crate's `src` (`runtime.rs`, `runtime/wire.rs`, ..) and its
/// text without test modules, nor the declarations of modules of other halves
/// (a half's declarations keep their `#[cfg(feature = ..)]`). `runtime.rs`
/// comes with [`Half::Core`].
pub fn runtime_files(halves: &[Half]) -> Vec<(String, String)> {
    RUNTIME_FILES
        .iter()
        .filter(|(half, _, _)| halves.contains(half))
        .map(|(_, path, text)| {
            let vendored = match *path {
                "lib.rs" => "runtime.rs".to_string(),
                other => format!("runtime/{other}"),
            };
            (vendored, vendor(path, text, halves, false))
        })
        .collect()
}

/// `src/runtime.rs` of a crate whose runtime's core is another crate's
/// (`--split-models`: the models crate's): that runtime re-exported, and the
/// declarations of the modules of `halves` (their files from
/// [`runtime_files`]), which need this crate's dependencies.
pub fn runtime_hub(models_crate: &str, halves: &[Half]) -> String {
    let mut out = format!(
        "//! The runtime of `{models_crate}`, re-exported, and the halves that need this crate's dependencies.\n\npub use ::{models_crate}::runtime::*;\n"
    );
    let lib = RUNTIME_FILES
        .iter()
        .find(|(_, p, _)| *p == "lib.rs")
        .map_or("", |(_, _, text)| *text);
    let lines: Vec<&str> = lib.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((_, name)) = file_module(line) else {
            continue;
        };
        if half_of(&child_path("lib.rs", name)).is_some_and(|h| halves.contains(&h)) {
            if let Some(cfg) = i
                .checked_sub(1)
                .map(|j| lines[j])
                .filter(|l| is_feature_cfg(l))
            {
                out.push_str(cfg);
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The runtime's `halves` as one module body (the root's text, `//!` lines
/// included): every `mod x;` is replaced by `mod x { .. }` holding `x`'s file,
/// so that it can be `include!`d. Test modules, and the modules of other
/// halves, are left out; the `#[cfg(feature = ..)]` of a half's modules too
/// (the including crate need not have the feature).
pub fn runtime_inline(halves: &[Half]) -> String {
    inline("lib.rs", halves)
}

fn inline(path: &str, halves: &[Half]) -> String {
    let text = RUNTIME_FILES
        .iter()
        .find(|(_, p, _)| *p == path)
        .map_or("", |(_, _, text)| *text);
    let mut out = String::with_capacity(text.len());
    for line in vendor(path, text, halves, true).lines() {
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

/// The half of the runtime file at `path`.
fn half_of(path: &str) -> Option<Half> {
    RUNTIME_FILES
        .iter()
        .find(|(_, p, _)| *p == path)
        .map(|(half, _, _)| *half)
}

/// A `#[cfg(feature = "..")]` line.
fn is_feature_cfg(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("#[cfg(feature = ") && line.ends_with(")]")
}

/// The text of the file at `path` as vendored for `halves`: without test
/// modules, without the declarations of modules of other halves (and their
/// `#[cfg(feature = ..)]` line), and with `inline`, without the
/// `#[cfg(feature = ..)]` line of those kept.
fn vendor(path: &str, text: &str, halves: &[Half], inline: bool) -> String {
    let text = strip_tests(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let (cfg, decl) = if is_feature_cfg(lines[i]) {
            (true, lines.get(i + 1).copied().unwrap_or(""))
        } else {
            (false, lines[i])
        };
        if let Some((_, name)) = file_module(decl) {
            let kept = half_of(&child_path(path, name)).is_none_or(|h| halves.contains(&h));
            if kept {
                if cfg && !inline {
                    out.push_str(lines[i]);
                    out.push('\n');
                }
                out.push_str(decl);
                out.push('\n');
            }
            i += if cfg { 2 } else { 1 };
            continue;
        }
        out.push_str(lines[i]);
        out.push('\n');
        i += 1;
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
    if RUNTIME_FILES.iter().any(|(_, p, _)| *p == file) {
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

    const ALL: &[Half] = &[Half::Core, Half::Client, Half::Checks, Half::Server];

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
        let mut listed: Vec<String> = RUNTIME_FILES
            .iter()
            .map(|(_, p, _)| p.to_string())
            .collect();
        listed.sort();
        assert_eq!(
            listed, expected,
            "RUNTIME_FILES (emit/runtime_files.rs) must list every runtime source file but the tests"
        );
    }

    #[test]
    fn vendored_files_have_no_tests_and_every_module_is_there() {
        for (_, path, text) in RUNTIME_FILES {
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
                    RUNTIME_FILES.iter().any(|(_, p, _)| *p == child),
                    "{path} declares `mod {name};` but {child} is not in RUNTIME_FILES"
                );
            }
        }
        let paths: Vec<String> = runtime_files(ALL).into_iter().map(|(p, _)| p).collect();
        assert!(paths.contains(&"runtime.rs".to_string()), "{paths:?}");
        assert!(
            paths.contains(&"runtime/wire/text.rs".to_string()),
            "{paths:?}"
        );
    }

    #[test]
    fn the_inline_runtime_is_one_file_without_tests() {
        let text = runtime_inline(ALL);
        assert!(!text.contains("cfg(test)"));
        assert!(
            text.lines().all(|l| file_module(l).is_none()),
            "a `mod x;` is left"
        );
        syn::parse_file(&text).expect("the inline runtime parses");
        for (_, _, source) in RUNTIME_FILES {
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

    #[test]
    fn each_half_goes_where_it_is_asked_for() {
        let core: Vec<String> = runtime_files(&[Half::Core])
            .into_iter()
            .map(|(p, text)| {
                if p == "runtime.rs" {
                    assert!(!text.contains("mod server;") && !text.contains("mod validate;"));
                    assert!(!text.contains("feature = \"server\""), "{text}");
                }
                p
            })
            .collect();
        assert!(core
            .iter()
            .all(|p| !p.starts_with("runtime/server") && p != "runtime/validate.rs"));
        let with_server = runtime_files(&[Half::Core, Half::Checks, Half::Server]);
        let root = &with_server
            .iter()
            .find(|(p, _)| p == "runtime.rs")
            .expect("runtime.rs")
            .1;
        assert!(root.contains("#[cfg(feature = \"server\")]\npub mod server;\n"));
        assert!(with_server
            .iter()
            .any(|(p, _)| p == "runtime/server/auth.rs"));
        // The server's half of a split crate: no core file, and a hub that declares it.
        let server: Vec<String> = runtime_files(&[Half::Server])
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert!(
            server.iter().all(|p| p.starts_with("runtime/server")),
            "{server:?}"
        );
        let hub = runtime_hub("api_models", &[Half::Server]);
        assert!(hub.starts_with("//! "));
        assert!(hub.contains(
            "pub use ::api_models::runtime::*;\n#[cfg(feature = \"server\")]\npub mod server;\n"
        ));
        assert!(!hub.contains("validate"));
        // Inline, a half is there without its feature's cfg, or not at all.
        let inline = runtime_inline(&[Half::Core, Half::Checks, Half::Server]);
        assert!(
            inline.contains("pub mod server {\n//! ") && !inline.contains("feature = \"server\"")
        );
        syn::parse_file(&inline).expect("the inline runtime parses");
        let core = runtime_inline(&[Half::Core]);
        assert!(!core.contains("mod server") && !core.contains("mod validate"));
    }
}
