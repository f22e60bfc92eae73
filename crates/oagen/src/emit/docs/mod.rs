//! Spec text (`OpenAPI` `title`, `summary`, `description`; `CommonMark`) turned into rustdoc-safe documentation.
//!
//! Generated crates must build with `RUSTDOCFLAGS="-D warnings" cargo doc` and
//! `cargo test --doc` must find no doctest, whatever the spec says. [`sanitize`]
//! rewrites markdown so that it renders about the same but cannot trigger a
//! rustdoc lint or produce a doctest; [`doc_text`] combines a title and a
//! description; [`doc_lines`] cuts the result into the lines of `#[doc = ...]`
//! attributes.
//!
//! The rewrite is line based and normalising: instead of reproducing every
//! `CommonMark` corner case it emits markdown whose structure is unambiguous.
//!
//! - Every code block (fenced or indented, in a list item or not) becomes a
//!   backtick fence at column 0 with the info string `text`, preceded by a blank
//!   line, long enough that no content line can close it, and always closed.
//! - Every other line either has at most 3 spaces of indentation (so it can never
//!   be an indented code block) or continues a paragraph (which an indented code
//!   block cannot interrupt).
//! - Outside code spans and code blocks, `[`, `]`, `<`, `>` and unmatched
//!   backticks are escaped, except for inline links to URLs (`[text](https://…)`)
//!   and URL autolinks (`<https://…>`); bare URLs are wrapped in `<…>`.
//!   Block quotes and raw HTML therefore show as plain text.

mod blocks;
mod inline;
#[cfg(test)]
mod tests;
mod text;

use blocks::track_fence;
use text::{common_indent, dedent, normalize};

/// Rewrites `markdown` so that rustdoc renders it about the same but can never
/// emit a warning for it nor find a doctest in it.
///
/// - Line endings become `\n`, tabs are expanded (tab stops of 4), trailing
///   whitespace, control characters and bidirectional-override characters are
///   removed.
/// - Fenced code blocks keep their content but get the info string `text`; an
///   unclosed fence is closed at the end; the fence is made longer than any
///   backtick run starting a content line.
/// - Indented code blocks become `text` fenced blocks without the common
///   indentation. An indented line that continues a paragraph or list item is
///   kept; one that follows a blank line inside a list item is de-indented to 3
///   spaces; anything else indented by 4 or more is treated as code.
/// - Outside code: bare `http://` and `https://` URLs are wrapped in `<…>`;
///   `[` and `]` are escaped unless they form an inline link or image whose
///   destination is an `http`, `https` or `mailto` URL or a `#fragment`
///   (reference links, footnotes and intra-doc links are escaped); `<` and `>` become
///   `&lt;` and `&gt;` except in `http`, `https`, `ftp` and `mailto` autolinks;
///   unmatched backticks are escaped. Existing backslash escapes and entities
///   are kept.
///
/// Leading and trailing blank lines are removed. Never panics.
#[must_use]
pub fn sanitize(markdown: &str) -> String {
    let out = blocks::rewrite(&normalize(markdown));
    let Some(first) = out.iter().position(|l| !l.is_empty()) else {
        return String::new();
    };
    let last = out.iter().rposition(|l| !l.is_empty()).unwrap_or(first);
    out[first..=last].join("\n")
}

/// Combines an optional title (or summary) and an optional description into
/// sanitized documentation text.
///
/// Gives the title alone, the description alone, or the title, a blank line and
/// the description. The title is dropped when it is empty or when it equals the
/// description or the description's first line, ignoring case, whitespace and a
/// trailing period. Both parts are trimmed and [`sanitize`]d (separately, so an
/// unclosed construct in the title cannot swallow the description). Returns
/// `None` when nothing is left.
#[must_use]
pub fn doc_text(title: Option<&str>, description: Option<&str>) -> Option<String> {
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    let description = description.map(trim_text).filter(|d| !d.is_empty());
    let description = description.as_deref();
    let title = match (title, description) {
        (Some(t), Some(d)) => {
            let key = comparable(t);
            let first_line = d.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if key == comparable(d) || key == comparable(first_line) {
                None
            } else {
                Some(t)
            }
        }
        (t, _) => t,
    };
    let title = title.map(sanitize).filter(|t| !t.is_empty());
    let description = description.map(sanitize).filter(|d| !d.is_empty());
    match (title, description) {
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t),
        (None, Some(d)) => Some(d),
        (None, None) => None,
    }
}

/// Splits sanitized text into the lines of `#[doc = "..."]` attributes.
///
/// Every non-empty line is prefixed with one space (so `#[doc]` renders like
/// `/// line` and a line can never start a `////` comment), trailing whitespace
/// is removed, runs of blank lines are collapsed to one (except inside fenced
/// code blocks, whose content is kept as is) and there are no leading or
/// trailing blank lines.
#[must_use]
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence = None;
    // A no-op on sanitized text; keeps stray `\r` and control characters out
    // of the attributes otherwise.
    for line in &normalize(text) {
        let line = line.as_str();
        fence = track_fence(fence, line);
        if line.is_empty() {
            let in_fence = fence.is_some();
            if !out.is_empty() && (in_fence || out.last().is_some_and(|l| !l.is_empty())) {
                out.push(String::new());
            }
        } else {
            out.push(format!(" {line}"));
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Normalises line endings, tabs and control characters, removes leading blank
/// lines and trailing whitespace, and the indentation
/// common to all lines when it is below 4 (like rustdoc does for doc comments).
/// A text indented by 4 or more stays an indented code block.
fn trim_text(text: &str) -> String {
    let lines = normalize(text);
    let lines: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .skip_while(|l| l.is_empty())
        .collect();
    let common = common_indent(lines.iter().copied());
    let common = if common >= 4 { 0 } else { common };
    let lines: Vec<&str> = lines.iter().map(|l| dedent(l, common)).collect();
    lines.join("\n").trim_end().to_string()
}

/// The form in which a title and a description are compared: lower case,
/// whitespace runs collapsed, trailing periods dropped.
fn comparable(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ").to_lowercase();
    joined.trim_end_matches(['.', ' ']).to_string()
}
