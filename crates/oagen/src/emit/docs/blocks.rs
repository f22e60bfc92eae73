//! Block-level rewriting of doc text: list markers, fenced and indented code blocks (made `text` fences), each line's inline part handed to [`Inline`].

use super::inline::Inline;
use super::text::{common_indent, dedent, has_table, leading_spaces};

/// The open fenced code block (fence character and length) after `line`, given
/// the one open before it.
pub(super) fn track_fence(open: Option<(char, usize)>, line: &str) -> Option<(char, usize)> {
    match open {
        Some((ch, len)) if closes_fence(line, ch, len) => None,
        Some(open) => Some(open),
        None => {
            let indent = leading_spaces(line);
            let chars: Vec<char> = line.chars().collect();
            if indent <= 3 {
                fence_at(&chars, indent)
            } else {
                None
            }
        }
    }
}

/// What the previous line was, as far as indented code blocks are concerned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Prev {
    /// Nothing yet.
    Start,
    /// A blank line.
    Blank,
    /// Paragraph text (possibly in a list item): an indented line continues it.
    Para,
    /// Anything else (heading, rule, table row, empty list item, code block).
    Other,
}

/// A list marker on a line: start column, width and number of spaces after it.
#[derive(Clone, Copy, Debug)]
struct Marker {
    col: usize,
    width: usize,
    spaces: usize,
}

impl Marker {
    /// Column of the list item's content, as `CommonMark` computes it.
    fn content_col(self) -> usize {
        if self.spaces == 0 || self.spaces >= 5 {
            self.col + self.width + 1
        } else {
            self.col + self.width + self.spaces
        }
    }
}

/// The list marker (`-`, `+`, `*`, `1.`, `1)`) starting at `p`, if any.
fn marker_at(chars: &[char], p: usize) -> Option<Marker> {
    let width = match *chars.get(p)? {
        '-' | '+' | '*' => 1,
        c if c.is_ascii_digit() => {
            let digits = chars[p..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 9 || !matches!(chars.get(p + digits), Some('.' | ')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    let after = p + width;
    let spaces = chars[after..].iter().take_while(|&&c| c == ' ').count();
    if after < chars.len() && spaces == 0 {
        return None;
    }
    Some(Marker {
        col: p,
        width,
        spaces,
    })
}

/// The (possibly nested) list markers starting at `p`, and where the content
/// after them starts.
fn markers(chars: &[char], mut p: usize) -> (Vec<Marker>, usize) {
    let mut found = Vec::new();
    while let Some(m) = marker_at(chars, p) {
        found.push(m);
        p += m.width + m.spaces;
    }
    (found, p.min(chars.len()))
}

/// A fence opener (3 or more backticks or tildes) at `p`: fence character
/// and length.
fn fence_at(chars: &[char], p: usize) -> Option<(char, usize)> {
    let ch = *chars.get(p)?;
    if ch != '`' && ch != '~' {
        return None;
    }
    let len = chars[p..].iter().take_while(|&&c| c == ch).count();
    if len < 3 || (ch == '`' && chars[p + len..].contains(&'`')) {
        return None;
    }
    Some((ch, len))
}

/// Whether `line` closes a fence of `len` characters `ch` (any indentation).
fn closes_fence(line: &str, ch: char, len: usize) -> bool {
    let body = line.trim_start_matches(' ');
    !body.is_empty() && body.chars().all(|c| c == ch) && body.chars().count() >= len
}

/// Rewrites normalised lines (see [`normalize`](super::text::normalize))
/// block by block: the lines of [`sanitize`](super::sanitize)'s result.
pub(super) fn rewrite(lines: &[String]) -> Vec<String> {
    let mut sanitizer = Sanitizer {
        lines,
        table: has_table(lines),
        out: Vec::new(),
        items: Vec::new(),
        prev: Prev::Start,
    };
    sanitizer.run();
    sanitizer.out
}

/// Block-level state of [`sanitize`].
struct Sanitizer<'a> {
    lines: &'a [String],
    table: bool,
    out: Vec<String>,
    /// Content columns of the list items that may still be open (a heuristic
    /// that only decides between de-indenting a line and making it code).
    items: Vec<usize>,
    prev: Prev,
}

impl Sanitizer<'_> {
    /// Rewrites all lines into `self.out`.
    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            i = self.line(i);
        }
    }

    /// Handles the block starting at line `i`; returns the next line to handle.
    fn line(&mut self, i: usize) -> usize {
        let line = self.lines[i].as_str();
        if line.is_empty() {
            self.out.push(String::new());
            self.prev = Prev::Blank;
            return i + 1;
        }
        let mut chars: Vec<char> = line.chars().collect();
        let mut indent = leading_spaces(line);
        let (_, rest) = markers(&chars, indent);
        if let Some((ch, len)) = fence_at(&chars, rest) {
            self.pop_items(indent);
            self.prev = Prev::Other;
            return self.fenced_code(i, ch, len, rest);
        }
        if indent >= 4 && self.prev != Prev::Para {
            self.pop_items(indent);
            let in_item = self.items.last().is_some_and(|&c| indent - c < 4);
            if !in_item {
                self.prev = Prev::Other;
                return self.indented_code(i);
            }
            chars.drain(..indent - 3);
            indent = 3;
        }
        let (found, rest) = markers(&chars, indent);
        if !found.is_empty() || matches!(self.prev, Prev::Start | Prev::Blank) {
            self.pop_items(indent);
        }
        self.items.extend(found.iter().map(|m| m.content_col()));

        let mut out = " ".repeat(indent);
        for m in &found {
            out.extend(&chars[m.col..m.col + m.width]);
            // More than 4 spaces would make the item's content an indented
            // code block.
            let spaces = if m.spaces >= 5 { 1 } else { m.spaces };
            out.extend(std::iter::repeat_n(' ', spaces));
        }
        let content = &chars[rest..];
        Inline::new(self.table).run(content, false, &mut out);
        self.out.push(out);
        self.prev = self.classify(&chars, content);
        i + 1
    }

    /// Whether an indented line right after this one would continue a paragraph.
    fn classify(&self, line: &[char], content: &[char]) -> Prev {
        let Some(&first) = content.first() else {
            return Prev::Other; // empty list item
        };
        if first == '#' // heading
            || content.iter().all(|c| matches!(c, '-' | '*' | '_' | '=' | '+' | ':' | ' ')) // rule, underline
            || (self.table && line.contains(&'|'))
        {
            Prev::Other
        } else {
            Prev::Para
        }
    }

    /// Closes the list items that a line indented by `indent` is not part of.
    fn pop_items(&mut self, indent: usize) {
        while self.items.last().is_some_and(|&c| c > indent) {
            self.items.pop();
        }
    }

    /// A fenced code block opened on line `i` at column `col`.
    fn fenced_code(&mut self, i: usize, ch: char, len: usize, col: usize) -> usize {
        let mut content = Vec::new();
        let mut j = i + 1;
        let mut closed = false;
        while j < self.lines.len() && !closed {
            let line = self.lines[j].as_str();
            j += 1;
            closed = closes_fence(line, ch, len);
            if !closed {
                content.push(dedent(line, col));
            }
        }
        if !closed {
            // Closed at the end of the text, without the trailing blank lines.
            while content.last().is_some_and(|l| l.is_empty()) {
                content.pop();
            }
        }
        self.emit_code(&content);
        j
    }

    /// An indented code block starting on line `i`.
    fn indented_code(&mut self, i: usize) -> usize {
        let mut end = i + 1; // one past the last non-blank line of the block
        let mut j = i + 1;
        while j < self.lines.len() {
            let line = self.lines[j].as_str();
            if !line.is_empty() {
                if leading_spaces(line) < 4 {
                    break;
                }
                end = j + 1;
            }
            j += 1;
        }
        let block = &self.lines[i..end];
        let common = common_indent(block.iter().map(String::as_str));
        let content: Vec<&str> = block.iter().map(|l| dedent(l, common)).collect();
        self.emit_code(&content);
        end
    }

    /// Emits a `text` fenced code block, after a blank line.
    fn emit_code(&mut self, content: &[&str]) {
        if self.out.last().is_some_and(|l| !l.is_empty()) {
            self.out.push(String::new());
        }
        let longest = content
            .iter()
            .map(|l| {
                l.trim_start_matches(' ')
                    .chars()
                    .take_while(|&c| c == '`')
                    .count()
            })
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        self.out.push(format!("{fence}text"));
        self.out.extend(content.iter().map(ToString::to_string));
        self.out.push(fence);
    }
}
