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
];

/// The runtime's files as a generated crate holds them: each path relative to
/// the crate's `src` (`runtime.rs`, `runtime/wire.rs`, ..) and its text without
/// test modules.
pub fn runtime_files() -> Vec<(String, String)> {
    RUNTIME_FILES
        .iter()
        .map(|(path, text)| {
            let vendored = match *path {
                "lib.rs" => "runtime.rs".to_string(),
                other => format!("runtime/{other}"),
            };
            (vendored, strip_tests(text))
        })
        .collect()
}

/// The runtime as one module body (the root's text, `//!` lines included):
/// every `mod x;` is replaced by `mod x { .. }` holding `x`'s file, so that it
/// can be `include!`d. Test modules are left out.
pub fn runtime_inline() -> String {
    inline("lib.rs")
}

fn inline(path: &str) -> String {
    let text = RUNTIME_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, text)| *text);
    let mut out = String::with_capacity(text.len());
    for line in strip_tests(text).lines() {
        match file_module(line) {
            Some((head, name)) => {
                out.push_str(&format!("{head}mod {name} {{\n"));
                out.push_str(&inline(&child_path(path, name)));
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
        let paths: Vec<String> = runtime_files().into_iter().map(|(p, _)| p).collect();
        assert!(paths.contains(&"runtime.rs".to_string()), "{paths:?}");
        assert!(
            paths.contains(&"runtime/wire/text.rs".to_string()),
            "{paths:?}"
        );
    }

    #[test]
    fn the_inline_runtime_is_one_file_without_tests() {
        let text = runtime_inline();
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
