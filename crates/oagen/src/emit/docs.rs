//! Spec text (`OpenAPI` `title`, `summary`, `description`; `CommonMark`) turned into
//! rustdoc-safe documentation.
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
    let lines = normalize(markdown);
    let table = has_table(&lines);
    let mut sanitizer = Sanitizer {
        lines: &lines,
        table,
        out: Vec::new(),
        items: Vec::new(),
        prev: Prev::Start,
    };
    sanitizer.run();
    let out = sanitizer.out;
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

/// The open fenced code block (fence character and length) after `line`, given
/// the one open before it.
fn track_fence(open: Option<(char, usize)>, line: &str) -> Option<(char, usize)> {
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
    let common = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| leading_spaces(l))
        .min()
        .unwrap_or(0);
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

/// Characters that `rustc` rejects in comments and literals
/// (`text_direction_codepoint_in_comment` and `..._in_literal`).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Step 1: line endings, tabs, control characters, trailing whitespace.
fn normalize(text: &str) -> Vec<String> {
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
fn has_table(lines: &[String]) -> bool {
    lines.iter().any(|l| l.contains('|'))
        && lines.iter().any(|l| {
            let t = l.trim();
            t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
        })
}

/// Number of leading ASCII spaces (tabs are expanded by [`normalize`]).
fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Removes up to `n` leading spaces.
fn dedent(line: &str, n: usize) -> &str {
    let k = leading_spaces(line).min(n);
    // The first `k` bytes are ASCII spaces, so this is a char boundary.
    line.get(k..).unwrap_or("")
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
        let common = block
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| leading_spaces(l))
            .min()
            .unwrap_or(0);
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

/// Inline rewriting of one line outside code blocks.
struct Inline {
    /// Inside a possible table: `|` must not occur in code spans, links or URLs.
    table: bool,
}

impl Inline {
    /// An inline rewriter; `table` as in [`has_table`].
    fn new(table: bool) -> Self {
        Inline { table }
    }

    /// Appends the rewritten `chars` to `out`. In link text (`in_link`) no link,
    /// autolink or URL wrapping is allowed, as links cannot nest.
    fn run(&self, chars: &[char], in_link: bool, out: &mut String) {
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            match c {
                '\\' => match chars.get(k + 1) {
                    Some(&d) if d.is_ascii_punctuation() => {
                        out.push('\\');
                        out.push(d);
                        k += 2;
                    }
                    // A trailing backslash is a hard line break: keep it.
                    None => {
                        out.push('\\');
                        k += 1;
                    }
                    // A literal backslash; escape it so that it cannot escape
                    // what this rewrite puts after it (such as the `<` of an
                    // autolink).
                    Some(_) => {
                        out.push_str("\\\\");
                        k += 1;
                    }
                },
                '`' => {
                    let run = chars[k..].iter().take_while(|&&c| c == '`').count();
                    if let Some(close) = self.code_span_end(chars, k + run, run) {
                        out.extend(&chars[k..close + run]);
                        k = close + run;
                    } else {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        k += run;
                    }
                }
                '<' => match self.autolink_end(chars, k).filter(|_| !in_link) {
                    Some(end) => {
                        out.extend(&chars[k..=end]);
                        k = end + 1;
                    }
                    None => {
                        out.push_str("&lt;");
                        k += 1;
                    }
                },
                '>' => {
                    out.push_str("&gt;");
                    k += 1;
                }
                '[' => {
                    // Also images: `![alt](url)`. Link text cannot contain links.
                    let link = if in_link { None } else { self.link(chars, k) };
                    match link {
                        Some(link) => {
                            out.push('[');
                            self.run(&chars[k + 1..link.text_end], true, out);
                            out.push_str("](");
                            out.extend(&chars[link.dest_start..link.end]);
                            k = link.end;
                        }
                        None => {
                            out.push_str("\\[");
                            k += 1;
                        }
                    }
                }
                ']' => {
                    out.push_str("\\]");
                    k += 1;
                }
                'h' | 'H' if !in_link => match self.bare_url_end(chars, k) {
                    Some(end) => {
                        out.push('<');
                        out.extend(&chars[k..end]);
                        out.push('>');
                        k = end;
                    }
                    None => {
                        out.push(c);
                        k += 1;
                    }
                },
                _ => {
                    out.push(c);
                    k += 1;
                }
            }
        }
    }

    /// Start of the backtick run of exactly `run` backticks closing a code span
    /// whose content starts at `from`.
    fn code_span_end(&self, chars: &[char], from: usize, run: usize) -> Option<usize> {
        let mut j = from;
        while j < chars.len() {
            match chars[j] {
                '`' => {
                    let len = chars[j..].iter().take_while(|&&c| c == '`').count();
                    if len == run {
                        return Some(j);
                    }
                    j += len;
                }
                '|' if self.table => return None,
                _ => j += 1,
            }
        }
        None
    }

    /// Index of the `>` closing an autolink that starts with the `<` at `k`.
    fn autolink_end(&self, chars: &[char], k: usize) -> Option<usize> {
        let start = k + 1;
        let scheme = ["http://", "https://", "ftp://", "mailto:"]
            .into_iter()
            .find(|s| starts_with_ignore_case(chars, start, s))?;
        let body = start + scheme.len();
        let mut j = body;
        while j < chars.len() {
            match chars[j] {
                '>' if j > body => return Some(j),
                '>' | '<' => return None,
                '|' if self.table => return None,
                c if c.is_whitespace() || c.is_control() => return None,
                _ => j += 1,
            }
        }
        None
    }

    /// End (exclusive) of a bare `http://` or `https://` URL starting at `k`.
    fn bare_url_end(&self, chars: &[char], k: usize) -> Option<usize> {
        let scheme = ["http://", "https://"]
            .into_iter()
            .find(|s| starts_with_ignore_case(chars, k, s))?;
        let body = k + scheme.len();
        let mut parens = 0usize;
        let mut brackets = 0usize;
        let mut j = body;
        while j < chars.len() {
            match chars[j] {
                c if c.is_whitespace() || c.is_control() => break,
                '<' | '>' | '`' | '\\' => break,
                // What this rewrite makes of `<` and `>`.
                '&' if starts_with_ignore_case(chars, j, "&lt;")
                    || starts_with_ignore_case(chars, j, "&gt;") =>
                {
                    break
                }
                '|' if self.table => break,
                '(' => parens += 1,
                '[' => brackets += 1,
                ')' if parens == 0 => break,
                ']' if brackets == 0 => break,
                ')' => parens -= 1,
                ']' => brackets -= 1,
                _ => {}
            }
            j += 1;
        }
        while j > body
            && matches!(
                chars[j - 1],
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*'
            )
        {
            j -= 1;
        }
        (j > body).then_some(j)
    }

    /// An inline link `[text](dest "title")` starting with the `[` at `k`, whose
    /// destination is an `http`, `https` or `mailto` URL or a `#fragment`.
    fn link(&self, chars: &[char], k: usize) -> Option<Link> {
        let n = chars.len();
        // The matching `]`, skipping escapes and code spans.
        let mut depth = 0usize;
        let mut j = k + 1;
        let text_end = loop {
            match *chars.get(j)? {
                '\\' if chars.get(j + 1).is_some_and(char::is_ascii_punctuation) => j += 2,
                '`' => {
                    let run = chars[j..].iter().take_while(|&&c| c == '`').count();
                    j = match self.code_span_end(chars, j + run, run) {
                        Some(close) => close + run,
                        None => j + run,
                    };
                }
                '[' => {
                    depth += 1;
                    j += 1;
                }
                ']' if depth == 0 => break j,
                ']' => {
                    depth -= 1;
                    j += 1;
                }
                '|' if self.table => return None,
                _ => j += 1,
            }
        };
        if chars.get(text_end + 1) != Some(&'(') {
            return None;
        }
        let dest_start = text_end + 2;
        let mut p = dest_start;
        let mut parens = 0usize;
        while p < n {
            match chars[p] {
                '\\' if chars.get(p + 1).is_some_and(char::is_ascii_punctuation) => p += 1,
                c if c.is_whitespace() || c.is_control() => break,
                '<' | '>' => return None,
                '|' if self.table => return None,
                '(' => parens += 1,
                ')' if parens == 0 => break,
                ')' => parens -= 1,
                _ => {}
            }
            p += 1;
        }
        let dest_ok = ["http://", "https://", "mailto:"]
            .into_iter()
            .any(|s| starts_with_ignore_case(chars, dest_start, s) && p > dest_start + s.len())
            || (chars.get(dest_start) == Some(&'#') && p > dest_start);
        if !dest_ok {
            return None;
        }
        // Optional title.
        let mut q = p;
        while chars.get(q) == Some(&' ') {
            q += 1;
        }
        if let Some(&quote) = chars.get(q).filter(|&&c| c == '"' || c == '\'') {
            if q == p {
                return None;
            }
            q += 1;
            loop {
                match *chars.get(q)? {
                    '\\' => q += 2,
                    '|' if self.table => return None,
                    c if c == quote => break,
                    _ => q += 1,
                }
            }
            q += 1;
            while chars.get(q) == Some(&' ') {
                q += 1;
            }
        }
        if chars.get(q) != Some(&')') {
            return None;
        }
        Some(Link {
            text_end,
            dest_start,
            end: q + 1,
        })
    }
}

/// Positions of an inline link: `[` text `](` dest title `)`.
struct Link {
    /// Index of the `]`.
    text_end: usize,
    /// Index of the destination's first character.
    dest_start: usize,
    /// One past the closing `)`.
    end: usize,
}

/// Whether `chars[at..]` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignore_case(chars: &[char], at: usize, prefix: &str) -> bool {
    let mut j = at;
    for p in prefix.chars() {
        match chars.get(j) {
            Some(c) if c.eq_ignore_ascii_case(&p) => j += 1,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        sanitize(text)
    }

    #[test]
    fn fence_info_string_becomes_text() {
        assert_eq!(
            s("```json\n{\"a\": [1]}\n```"),
            "```text\n{\"a\": [1]}\n```"
        );
        assert_eq!(s("```\nfn main() {}\n```"), "```text\nfn main() {}\n```");
        assert_eq!(s("```rust,ignore\nx\n```"), "```text\nx\n```");
        assert_eq!(s("~~~ rust\nx\n~~~"), "```text\nx\n```");
        assert_eq!(
            s("  ```ignore\n  a <b> [c]\n    d\n  ```"),
            "```text\na <b> [c]\n  d\n```"
        );
    }

    #[test]
    fn fence_after_text_gets_a_blank_line() {
        assert_eq!(
            s("Example:\n```json\n{}\n```\nafter"),
            "Example:\n\n```text\n{}\n```\nafter"
        );
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(
            s("text\n\n```rust\nfn main() {}"),
            "text\n\n```text\nfn main() {}\n```"
        );
        assert_eq!(s("```"), "```text\n```");
        assert_eq!(
            s("```rust\nfn main() {}\n\n\n"),
            "```text\nfn main() {}\n```"
        );
        assert_eq!(
            s("```rust\n````\n```\nx\n"),
            "```text\n```\n\n```text\nx\n```"
        );
    }

    #[test]
    fn fence_content_that_would_close_gets_longer_fence() {
        assert_eq!(s("~~~\n```\nx\n```\n~~~"), "````text\n```\nx\n```\n````");
        assert_eq!(s("````md\n```rust\n````"), "````text\n```rust\n````");
    }

    #[test]
    fn fence_in_list_item_is_pulled_out() {
        assert_eq!(
            s("- ```rust\n  fn main() {}\n  ```\n- next"),
            "```text\nfn main() {}\n```\n- next"
        );
        assert_eq!(
            s("1. step:\n    ```sh\n    curl x\n    ```"),
            "1. step:\n\n```text\ncurl x\n```"
        );
    }

    #[test]
    fn inline_triple_backticks_are_not_a_fence() {
        assert_eq!(s("```a``` b"), "```a``` b");
    }

    #[test]
    fn indented_code_becomes_text_fence() {
        assert_eq!(
            s("Example:\n\n    {\n      \"a\": 1\n    }\n\nDone"),
            "Example:\n\n```text\n{\n  \"a\": 1\n}\n```\n\nDone"
        );
        assert_eq!(s("    code"), "```text\ncode\n```");
        assert_eq!(s("# Head\n    code"), "# Head\n\n```text\ncode\n```");
        assert_eq!(
            s("a\n\n    x\n\n    y\n\nb"),
            "a\n\n```text\nx\n\ny\n```\n\nb"
        );
    }

    #[test]
    fn indented_paragraph_continuation_is_kept() {
        assert_eq!(s("text\n    more [x]"), "text\n    more \\[x\\]");
        assert_eq!(s("- item\n    continued"), "- item\n    continued");
        assert_eq!(s("- a\n  - b\n    - c"), "- a\n  - b\n    - c");
    }

    #[test]
    fn list_continuation_after_blank_is_deindented() {
        assert_eq!(s("1. step\n\n    details"), "1. step\n\n   details");
        assert_eq!(s("- a\n\n      code"), "- a\n\n```text\ncode\n```");
    }

    #[test]
    fn yaml_folded_list() {
        let text = "The API can be used for:\n  - Create/update things\n  - Delete [old] things\n";
        assert_eq!(
            s(text),
            "The API can be used for:\n  - Create/update things\n  - Delete \\[old\\] things"
        );
    }

    #[test]
    fn list_marker_with_many_spaces_is_not_code() {
        assert_eq!(s("-      fn main() {}"), "- fn main() {}");
        assert_eq!(s("1.      x"), "1. x");
    }

    #[test]
    fn brackets_are_escaped() {
        assert_eq!(s("px[0] is"), "px\\[0\\] is");
        assert_eq!(s("[WIP] title"), "\\[WIP\\] title");
        assert_eq!(s("type: [string]"), "type: \\[string\\]");
        assert_eq!(
            s("see [Foo] and [bar][baz] or [x](Foo)"),
            "see \\[Foo\\] and \\[bar\\]\\[baz\\] or \\[x\\](Foo)"
        );
        assert_eq!(s("[^1]"), "\\[^1\\]");
        assert_eq!(s("a\\[b]"), "a\\[b\\]");
    }

    #[test]
    fn url_links_are_kept() {
        assert_eq!(s("[docs](https://x.y/z)"), "[docs](https://x.y/z)");
        assert_eq!(
            s("[a [b] c](http://x.y/(z)) d"),
            "[a \\[b\\] c](http://x.y/(z)) d"
        );
        assert_eq!(
            s("[t](https://x.y \"Title\")"),
            "[t](https://x.y \"Title\")"
        );
        assert_eq!(
            s("[mail](mailto:a@b.c) [top](#top)"),
            "[mail](mailto:a@b.c) [top](#top)"
        );
        assert_eq!(s("[`a[0]`](https://x.y)"), "[`a[0]`](https://x.y)");
        assert_eq!(
            s("[https://x.y](https://x.y)"),
            "[https://x.y](https://x.y)"
        );
        assert_eq!(s("[a <b>](https://x.y)"), "[a &lt;b&gt;](https://x.y)");
    }

    #[test]
    fn images_are_kept() {
        assert_eq!(s("![alt](https://x.y/i.png)"), "![alt](https://x.y/i.png)");
        assert_eq!(
            s("![a[0] https://x.y](https://x.y/i.png)"),
            "![a\\[0\\] https://x.y](https://x.y/i.png)"
        );
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(
            s("see https://example.com/a_b."),
            "see <https://example.com/a_b>."
        );
        assert_eq!(s("(see http://x.y/a(b))"), "(see <http://x.y/a(b)>)");
        assert_eq!(
            s("\"https://x.y\", 'HTTPS://X.Y'!"),
            "\"<https://x.y>\", '<HTTPS://X.Y>'!"
        );
        assert_eq!(s("[at https://x.y]"), "\\[at <https://x.y>\\]");
        assert_eq!(s("a\\https://x.y"), "a\\\\<https://x.y>");
        assert_eq!(s("https:// http"), "https:// http");
        assert_eq!(s("**https://x.y**"), "**<https://x.y>**");
        assert_eq!(s("https://x.y/a&b&gt;c"), "<https://x.y/a&b>&gt;c");
    }

    #[test]
    fn autolinks_are_kept() {
        assert_eq!(s("<https://x.y/a?b=c>"), "<https://x.y/a?b=c>");
        assert_eq!(s("<mailto:a@b.c>"), "<mailto:a@b.c>");
        assert_eq!(s("<a@b.c>"), "&lt;a@b.c&gt;");
        assert_eq!(s("<https://x y>"), "&lt;<https://x> y&gt;");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(s("Map<String, Value>"), "Map&lt;String, Value&gt;");
        assert_eq!(s("a<br>b<br/>"), "a&lt;br&gt;b&lt;br/&gt;");
        assert_eq!(
            s("<details><summary>x</summary></details>"),
            "&lt;details&gt;&lt;summary&gt;x&lt;/summary&gt;&lt;/details&gt;"
        );
        assert_eq!(s("> quoted\n<!-- c -->"), "&gt; quoted\n&lt;!-- c --&gt;");
        assert_eq!(s("&amp; &lt;b&gt; a & b"), "&amp; &lt;b&gt; a & b");
        assert_eq!(s("\\<b> \\[x\\]"), "\\<b&gt; \\[x\\]");
    }

    #[test]
    fn code_spans_are_untouched() {
        assert_eq!(s("use `a[0] <b>` here"), "use `a[0] <b>` here");
        assert_eq!(s("``a ` [b]`` c"), "``a ` [b]`` c");
        assert_eq!(s("`https://x.y`"), "`https://x.y`");
    }

    #[test]
    fn unmatched_backticks_are_escaped() {
        assert_eq!(s("it`s [x]"), "it\\`s \\[x\\]");
        assert_eq!(s("``a` b"), "\\`\\`a\\` b");
        assert_eq!(s("\\`a` b`"), "\\`a` b`");
    }

    #[test]
    fn table_pipes_split_code_spans() {
        let table = "| a | b |\n|---|---|\n| `x|y` | [t](https://x.y) |";
        assert_eq!(
            s(table),
            "| a | b |\n|---|---|\n| \\`x|y\\` | [t](https://x.y) |"
        );
        assert_eq!(s("a | b | c"), "a | b | c");
        assert_eq!(s("`x|y`"), "`x|y`");
    }

    #[test]
    fn headings_and_underlines_are_left_alone() {
        assert_eq!(
            s("# Title\n\nText\n---\nMore\n===="),
            "# Title\n\nText\n---\nMore\n===="
        );
    }

    #[test]
    fn line_endings_tabs_and_controls() {
        assert_eq!(s("a\r\nb\rc\n"), "a\nb\nc");
        assert_eq!(s("a\u{0}b\u{7}\u{1b}c \u{202e}d  "), "abc d");
        assert_eq!(s("\tcode"), "```text\ncode\n```");
        assert_eq!(s("a\tb"), "a   b");
        assert_eq!(s("```\r\n\tx\r\n```\r\n"), "```text\n    x\n```");
    }

    #[test]
    fn multibyte_text_does_not_panic() {
        assert_eq!(
            s("é[ü]<ß> 日本語 https://例え.jp/パス。"),
            "é\\[ü\\]&lt;ß&gt; 日本語 <https://例え.jp/パス。>"
        );
        assert_eq!(
            s("🎉 `é` [😀](https://x.y/😀)"),
            "🎉 `é` [😀](https://x.y/😀)"
        );
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
        assert_eq!(s(""), "");
        assert_eq!(s(" \n\t\n"), "");
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
        assert_eq!(
            s("Line [1]\r\n\r\n```json\r\n{}\r\n```\r\n"),
            "Line \\[1\\]\n\n```text\n{}\n```"
        );
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
}
