//! Inline rewriting of one line of doc text outside code blocks: code spans kept, links to URLs and autolinks kept, bare URLs wrapped, brackets, HTML and stray backticks escaped.

/// Inline rewriting of one line outside code blocks.
pub(super) struct Inline {
    /// Inside a possible table: `|` must not occur in code spans, links or URLs.
    table: bool,
}

impl Inline {
    /// An inline rewriter; `table` as in [`has_table`].
    pub(super) fn new(table: bool) -> Self {
        Inline { table }
    }

    /// Appends the rewritten `chars` to `out`. In link text (`in_link`) no link,
    /// autolink or URL wrapping is allowed, as links cannot nest.
    pub(super) fn run(&self, chars: &[char], in_link: bool, out: &mut String) {
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
                // An autolink, or a link or image (`![alt](url)`), is kept (link
                // text cannot contain links); otherwise the character is escaped.
                '<' | '>' | '[' | ']' => {
                    let autolink = (c == '<' && !in_link)
                        .then(|| self.autolink_end(chars, k))
                        .flatten();
                    let link = (c == '[' && !in_link)
                        .then(|| self.link(chars, k))
                        .flatten();
                    if let Some(end) = autolink {
                        out.extend(&chars[k..=end]);
                        k = end + 1;
                    } else if let Some(link) = link {
                        out.push('[');
                        self.run(&chars[k + 1..link.text_end], true, out);
                        out.push_str("](");
                        out.extend(&chars[link.dest_start..link.end]);
                        k = link.end;
                    } else {
                        out.push_str(escaped(c));
                        k += 1;
                    }
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

/// The escaped form of `<`, `>`, `[` or `]` (as HTML entities or with a backslash).
fn escaped(c: char) -> &'static str {
    match c {
        '<' => "&lt;",
        '>' => "&gt;",
        '[' => "\\[",
        _ => "\\]",
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
