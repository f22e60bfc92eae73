//! Line-level text handling for doc text: line endings, tabs and control characters normalised, indentation measured and removed.

/// Characters that `rustc` rejects in comments and literals
/// (`text_direction_codepoint_in_comment` and `..._in_literal`).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Step 1: line endings, tabs, control characters, trailing whitespace.
pub(super) fn normalize(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut col = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(line.trim_end().to_string());
                line.clear();
                col = 0;
            }
            '\t' => {
                let width = 4 - col % 4;
                line.extend(std::iter::repeat_n(' ', width));
                col += width;
            }
            c if c.is_control() || is_bidi_control(c) => {}
            c => {
                line.push(c);
                col += 1;
            }
        }
    }
    lines.push(line.trim_end().to_string());
    lines
}

/// Whether the text may contain a GFM table: some line has a pipe and some line
/// looks like a delimiter row. Inside tables a `|` splits cells even within code
/// spans and links, so those constructs are then not allowed to contain one.
pub(super) fn has_table(lines: &[String]) -> bool {
    lines.iter().any(|l| l.contains('|'))
        && lines.iter().any(|l| {
            let t = l.trim();
            t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
        })
}

/// Number of leading ASCII spaces (tabs are expanded by [`normalize`]).
pub(super) fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The indentation common to the non-blank `lines` (0 when there are none).
pub(super) fn common_indent<'a>(lines: impl Iterator<Item = &'a str>) -> usize {
    lines
        .filter(|l| !l.is_empty())
        .map(leading_spaces)
        .min()
        .unwrap_or(0)
}

/// Removes up to `n` leading spaces.
pub(super) fn dedent(line: &str, n: usize) -> &str {
    let k = leading_spaces(line).min(n);
    // The first `k` bytes are ASCII spaces, so this is a char boundary.
    line.get(k..).unwrap_or("")
}
