//! The `tracing` gates of a one-file module: `#[cfg(feature = "tracing")]` lines decided at generation, since the including crate need not have the feature.

/// `src` with its `tracing` feature gates decided: a one-file module is
/// included in a crate that need not have a `tracing` feature, so each
/// `#[cfg(feature = "tracing")]` line (and its `not`) becomes always or never.
pub(super) fn decide(src: &str, on: bool) -> String {
    let (yes, no) = if on {
        ("#[cfg(all())]", "#[cfg(any())]")
    } else {
        ("#[cfg(any())]", "#[cfg(all())]")
    };
    let mut out = String::with_capacity(src.len());
    for line in src.lines() {
        let t = line.trim_start();
        let indent = &line[..line.len() - t.len()];
        match t {
            "#[cfg(feature = \"tracing\")]" => out.push_str(&format!("{indent}{yes}")),
            "#[cfg(not(feature = \"tracing\"))]" => out.push_str(&format!("{indent}{no}")),
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::decide;

    const SRC: &str = "fn f() {\n    #[cfg(feature = \"tracing\")]\n    let span = 1;\n    #[cfg(not(feature = \"tracing\"))]\n    let span = ();\n}\n/// #[cfg(feature = \"tracing\")] in a doc line stays\n";

    #[test]
    fn gates_become_always_or_never() {
        let on = decide(SRC, true);
        assert!(on.contains("    #[cfg(all())]\n    let span = 1;"), "{on}");
        assert!(on.contains("    #[cfg(any())]\n    let span = ();"), "{on}");
        let off = decide(SRC, false);
        assert!(
            off.contains("    #[cfg(any())]\n    let span = 1;"),
            "{off}"
        );
        assert!(
            off.contains("    #[cfg(all())]\n    let span = ();"),
            "{off}"
        );
        assert!(off.contains("/// #[cfg(feature = \"tracing\")] in a doc line stays"));
    }
}
