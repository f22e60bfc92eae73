//! Tests of the doc text rewriting: `sanitize`'s cases by concern, `doc_text`, `doc_lines`, and a small fuzz of the invariants.

use super::text::leading_spaces;
use super::*;

fn s(text: &str) -> String {
    sanitize(text)
}

/// Checks that [`sanitize`] makes each input its expected output.
fn cases(cases: &[(&str, &str)]) {
    for (input, expected) in cases {
        assert_eq!(s(input), *expected, "{input:?}");
    }
}

#[test]
fn fence_info_string_becomes_text() {
    cases(&[
        ("```json\n{\"a\": [1]}\n```", "```text\n{\"a\": [1]}\n```"),
        ("```\nfn main() {}\n```", "```text\nfn main() {}\n```"),
        ("```rust,ignore\nx\n```", "```text\nx\n```"),
        ("~~~ rust\nx\n~~~", "```text\nx\n```"),
        (
            "  ```ignore\n  a <b> [c]\n    d\n  ```",
            "```text\na <b> [c]\n  d\n```",
        ),
    ]);
}

#[test]
fn fence_after_text_gets_a_blank_line() {
    cases(&[(
        "Example:\n```json\n{}\n```\nafter",
        "Example:\n\n```text\n{}\n```\nafter",
    )]);
}

#[test]
fn unclosed_fence_is_closed() {
    cases(&[
        (
            "text\n\n```rust\nfn main() {}",
            "text\n\n```text\nfn main() {}\n```",
        ),
        ("```", "```text\n```"),
        ("```rust\nfn main() {}\n\n\n", "```text\nfn main() {}\n```"),
        ("```rust\n````\n```\nx\n", "```text\n```\n\n```text\nx\n```"),
    ]);
}

#[test]
fn fence_content_that_would_close_gets_longer_fence() {
    cases(&[
        ("~~~\n```\nx\n```\n~~~", "````text\n```\nx\n```\n````"),
        ("````md\n```rust\n````", "````text\n```rust\n````"),
    ]);
}

#[test]
fn fence_in_list_item_is_pulled_out() {
    cases(&[
        (
            "- ```rust\n  fn main() {}\n  ```\n- next",
            "```text\nfn main() {}\n```\n- next",
        ),
        (
            "1. step:\n    ```sh\n    curl x\n    ```",
            "1. step:\n\n```text\ncurl x\n```",
        ),
    ]);
}

#[test]
fn inline_triple_backticks_are_not_a_fence() {
    cases(&[("```a``` b", "```a``` b")]);
}

#[test]
fn indented_code_becomes_text_fence() {
    cases(&[
        (
            "Example:\n\n    {\n      \"a\": 1\n    }\n\nDone",
            "Example:\n\n```text\n{\n  \"a\": 1\n}\n```\n\nDone",
        ),
        ("    code", "```text\ncode\n```"),
        ("# Head\n    code", "# Head\n\n```text\ncode\n```"),
        ("a\n\n    x\n\n    y\n\nb", "a\n\n```text\nx\n\ny\n```\n\nb"),
    ]);
}

#[test]
fn indented_paragraph_continuation_is_kept() {
    cases(&[
        ("text\n    more [x]", "text\n    more \\[x\\]"),
        ("- item\n    continued", "- item\n    continued"),
        ("- a\n  - b\n    - c", "- a\n  - b\n    - c"),
    ]);
}

#[test]
fn list_continuation_after_blank_is_deindented() {
    cases(&[
        ("1. step\n\n    details", "1. step\n\n   details"),
        ("- a\n\n      code", "- a\n\n```text\ncode\n```"),
    ]);
}

#[test]
fn yaml_folded_list() {
    let text = "The API can be used for:\n  - Create/update things\n  - Delete [old] things\n";
    cases(&[(
        text,
        "The API can be used for:\n  - Create/update things\n  - Delete \\[old\\] things",
    )]);
}

#[test]
fn list_marker_with_many_spaces_is_not_code() {
    cases(&[
        ("-      fn main() {}", "- fn main() {}"),
        ("1.      x", "1. x"),
    ]);
}

#[test]
fn brackets_are_escaped() {
    cases(&[
        ("px[0] is", "px\\[0\\] is"),
        ("[WIP] title", "\\[WIP\\] title"),
        ("type: [string]", "type: \\[string\\]"),
        (
            "see [Foo] and [bar][baz] or [x](Foo)",
            "see \\[Foo\\] and \\[bar\\]\\[baz\\] or \\[x\\](Foo)",
        ),
        ("[^1]", "\\[^1\\]"),
        ("a\\[b]", "a\\[b\\]"),
    ]);
}

#[test]
fn url_links_are_kept() {
    cases(&[
        ("[docs](https://x.y/z)", "[docs](https://x.y/z)"),
        (
            "[a [b] c](http://x.y/(z)) d",
            "[a \\[b\\] c](http://x.y/(z)) d",
        ),
        ("[t](https://x.y \"Title\")", "[t](https://x.y \"Title\")"),
        (
            "[mail](mailto:a@b.c) [top](#top)",
            "[mail](mailto:a@b.c) [top](#top)",
        ),
        ("[`a[0]`](https://x.y)", "[`a[0]`](https://x.y)"),
        ("[https://x.y](https://x.y)", "[https://x.y](https://x.y)"),
        ("[a <b>](https://x.y)", "[a &lt;b&gt;](https://x.y)"),
    ]);
}

#[test]
fn images_are_kept() {
    cases(&[
        ("![alt](https://x.y/i.png)", "![alt](https://x.y/i.png)"),
        (
            "![a[0] https://x.y](https://x.y/i.png)",
            "![a\\[0\\] https://x.y](https://x.y/i.png)",
        ),
    ]);
}

#[test]
fn bare_urls_are_wrapped() {
    cases(&[
        (
            "see https://example.com/a_b.",
            "see <https://example.com/a_b>.",
        ),
        ("(see http://x.y/a(b))", "(see <http://x.y/a(b)>)"),
        (
            "\"https://x.y\", 'HTTPS://X.Y'!",
            "\"<https://x.y>\", '<HTTPS://X.Y>'!",
        ),
        ("[at https://x.y]", "\\[at <https://x.y>\\]"),
        ("a\\https://x.y", "a\\\\<https://x.y>"),
        ("https:// http", "https:// http"),
        ("**https://x.y**", "**<https://x.y>**"),
        ("https://x.y/a&b&gt;c", "<https://x.y/a&b>&gt;c"),
    ]);
}

#[test]
fn autolinks_are_kept() {
    cases(&[
        ("<https://x.y/a?b=c>", "<https://x.y/a?b=c>"),
        ("<mailto:a@b.c>", "<mailto:a@b.c>"),
        ("<a@b.c>", "&lt;a@b.c&gt;"),
        ("<https://x y>", "&lt;<https://x> y&gt;"),
    ]);
}

#[test]
fn html_is_escaped() {
    cases(&[
        ("Map<String, Value>", "Map&lt;String, Value&gt;"),
        ("a<br>b<br/>", "a&lt;br&gt;b&lt;br/&gt;"),
        (
            "<details><summary>x</summary></details>",
            "&lt;details&gt;&lt;summary&gt;x&lt;/summary&gt;&lt;/details&gt;",
        ),
        ("> quoted\n<!-- c -->", "&gt; quoted\n&lt;!-- c --&gt;"),
        ("&amp; &lt;b&gt; a & b", "&amp; &lt;b&gt; a & b"),
        ("\\<b> \\[x\\]", "\\<b&gt; \\[x\\]"),
    ]);
}

#[test]
fn code_spans_are_untouched() {
    cases(&[
        ("use `a[0] <b>` here", "use `a[0] <b>` here"),
        ("``a ` [b]`` c", "``a ` [b]`` c"),
        ("`https://x.y`", "`https://x.y`"),
    ]);
}

#[test]
fn unmatched_backticks_are_escaped() {
    cases(&[
        ("it`s [x]", "it\\`s \\[x\\]"),
        ("``a` b", "\\`\\`a\\` b"),
        ("\\`a` b`", "\\`a` b`"),
    ]);
}

#[test]
fn table_pipes_split_code_spans() {
    let table = "| a | b |\n|---|---|\n| `x|y` | [t](https://x.y) |";
    cases(&[
        (
            table,
            "| a | b |\n|---|---|\n| \\`x|y\\` | [t](https://x.y) |",
        ),
        ("a | b | c", "a | b | c"),
        ("`x|y`", "`x|y`"),
    ]);
}

#[test]
fn headings_and_underlines_are_left_alone() {
    cases(&[(
        "# Title\n\nText\n---\nMore\n====",
        "# Title\n\nText\n---\nMore\n====",
    )]);
}

#[test]
fn line_endings_tabs_and_controls() {
    cases(&[
        ("a\r\nb\rc\n", "a\nb\nc"),
        ("a\u{0}b\u{7}\u{1b}c \u{202e}d  ", "abc d"),
        ("\tcode", "```text\ncode\n```"),
        ("a\tb", "a   b"),
        ("```\r\n\tx\r\n```\r\n", "```text\n    x\n```"),
    ]);
}

#[test]
fn multibyte_text_does_not_panic() {
    cases(&[
        (
            "é[ü]<ß> 日本語 https://例え.jp/パス。",
            "é\\[ü\\]&lt;ß&gt; 日本語 <https://例え.jp/パス。>",
        ),
        ("🎉 `é` [😀](https://x.y/😀)", "🎉 `é` [😀](https://x.y/😀)"),
    ]);
    for text in [
        "é",
        "`é",
        "[é",
        "<é",
        "h",
        "ht",
        "https://é",
        "[é](",
        "[é](#",
        "[a](#b \"é",
        "-",
        "1.",
        "\\",
    ] {
        let _ = s(text);
    }
}

#[test]
fn empty_input() {
    cases(&[("", ""), (" \n\t\n", "")]);
}

#[test]
fn doc_text_combines() {
    assert_eq!(
        doc_text(Some("Pet"), Some("A pet.")),
        Some("Pet\n\nA pet.".to_string())
    );
    assert_eq!(
        doc_text(Some("  A pet "), Some("a  pet.")),
        Some("a  pet.".to_string())
    );
    assert_eq!(
        doc_text(Some("List pets."), Some("List pets\n\nMore.")),
        Some("List pets\n\nMore.".to_string())
    );
    assert_eq!(doc_text(Some("Title"), None), Some("Title".to_string()));
    assert_eq!(
        doc_text(Some(" "), Some(" desc ")),
        Some("desc".to_string())
    );
    assert_eq!(doc_text(None, Some("\n\n")), None);
    assert_eq!(doc_text(None, None), None);
    assert_eq!(
        doc_text(Some("[WIP] x"), None),
        Some("\\[WIP\\] x".to_string())
    );
    assert_eq!(
        doc_text(Some("```"), Some("desc")),
        Some("```text\n```\n\ndesc".to_string())
    );
    assert_eq!(
        doc_text(None, Some("\n    code\n")),
        Some("```text\ncode\n```".to_string())
    );
    assert_eq!(
        doc_text(None, Some("\n  - a\n    - b\n")),
        Some("- a\n  - b".to_string())
    );
}

#[test]
fn doc_lines_prefix_and_collapse() {
    assert_eq!(doc_lines("\n\na  \n\n\n\nb\n\n"), vec![" a", "", " b"]);
    assert_eq!(
        doc_lines("```text\nx\n\n\ny\n```\n\n\nz"),
        vec![" ```text", " x", "", "", " y", " ```", "", " z"]
    );
    assert!(doc_lines("").is_empty());
    assert!(doc_lines(" \n \n").is_empty());
    assert_eq!(doc_lines("a\rb\r\n\tc\u{0}"), vec![" a", " b", "     c"]);
}

#[test]
fn crlf_input() {
    cases(&[(
        "Line [1]\r\n\r\n```json\r\n{}\r\n```\r\n",
        "Line \\[1\\]\n\n```text\n{}\n```",
    )]);
}

/// Inline-level pieces for the fuzz test.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "[", "]", "(", ")", "`", "``", "```", "~~~", "<", ">", "\\", "!", "|", "-", "* ", "1. ", "#", " ", "    ", "\t",
    "\n", "\n\n", "\r\n", "https://a.b/c", "http://", "mailto:x@y", "#f", "\"", "'", "é", "😀", "日本", "rust", "a",
    "&lt;", "&", "---", "===", ">", "\u{0}", "\u{202e}", ".", ":", "[x](https://a.b)", "|-|",
];

/// Line prefixes and contents for the fuzz test (block structure).
#[rustfmt::skip]
const PREFIXES: &[&str] = &[
    "", "", "  ", "   ", "    ", "     ", "      ", "        ", "- ", "1. ", "10. ", "  - ", "    - ", "> ", "-     ",
    "\t", "- - ", "2) ",
];
#[rustfmt::skip]
const CONTENTS: &[&str] = &[
    "text", "```rust", "```", "~~~", "````", "fn main() {}", "", "", "[x] y", "<b>", "|a|b|", "|-|-|", "`code",
    "https://a.bc/d", "# head", "---", "===", "-", "```a``` b", "[l](https://a.bc)",
];

/// Small deterministic fuzzing: nothing panics, every code block in the
/// output is a closed `text` fence, outside code no line indented by 4 or
/// more follows a blank line, and sanitizing twice changes nothing.
#[test]
fn fuzz_invariants() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % n as u64).unwrap_or(0)
    };
    for round in 0..40_000 {
        let text: String = if round % 2 == 0 {
            (0..next(24)).map(|_| PIECES[next(PIECES.len())]).collect()
        } else {
            (0..next(8))
                .map(|_| {
                    format!(
                        "{}{}\n",
                        PREFIXES[next(PREFIXES.len())],
                        CONTENTS[next(CONTENTS.len())]
                    )
                })
                .collect()
        };
        let out = sanitize(&text);
        let mut fence = None;
        let mut prev_blank = true;
        for line in out.lines() {
            let before = fence;
            fence = track_fence(fence, line);
            if before.is_none() {
                if fence.is_some() {
                    assert!(
                        line.starts_with("```") && line.ends_with("`text"),
                        "{text:?} -> {out:?}"
                    );
                } else {
                    assert!(
                        !(prev_blank && leading_spaces(line) >= 4),
                        "{text:?} -> {out:?}"
                    );
                }
            }
            prev_blank = line.is_empty();
        }
        assert!(fence.is_none(), "{text:?} -> {out:?}");
        assert_eq!(sanitize(&out), out, "not idempotent: {text:?}");
        let lines = doc_lines(&out);
        assert!(
            lines.iter().all(|l| l.is_empty() || l.starts_with(' ')),
            "{text:?}"
        );
        let _ = doc_text(Some(&text), Some(&out));
    }
}
