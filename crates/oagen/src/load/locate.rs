//! Finds the line of a JSON pointer in the spec's text, for diagnostics.
//!
//! Parsers give positions only for syntax errors; problems found later (a
//! dangling `$ref`, a bad schema) are known by JSON pointer. This module maps a
//! pointer back to a 1-based line: exactly for JSON (a small scanner), and for
//! block-style YAML by following keys and sequence items by indentation. When the
//! full pointer cannot be followed, the line of the deepest prefix found is given.

use crate::diag::unescape_token;

/// The 1-based line of `pointer` in `source`, or of its deepest prefix found.
pub fn line_of(source: &str, pointer: &str) -> Option<usize> {
    let tokens: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .trim_start_matches('/')
            .split('/')
            .map(unescape_token)
            .collect()
    };
    if tokens.is_empty() {
        return Some(1);
    }
    let trimmed = source.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        json_line(source, &tokens)
    } else {
        yaml_line(source, &tokens)
    }
}

// ---- JSON -------------------------------------------------------------------

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Reads a JSON string at the cursor, returning its (unescaped enough) text.
    fn string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let start = self.pos;
        let mut out = Vec::new();
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'"' => {
                    self.pos += 1;
                    let _ = start;
                    return Some(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    let next = self.bytes.get(self.pos + 1).copied()?;
                    match next {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'/' => out.push(b'/'),
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        _ => out.push(next),
                    }
                    self.pos += 2;
                }
                b'\n' => {
                    self.line += 1;
                    out.push(b);
                    self.pos += 1;
                }
                _ => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
        None
    }

    /// Skips one JSON value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                while let Some(b) = self.peek() {
                    match b {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        b'\n' => self.line += 1,
                        _ => {}
                    }
                    self.pos += 1;
                }
                None
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

fn json_line(source: &str, tokens: &[String]) -> Option<usize> {
    let mut s = Scanner {
        bytes: source.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut best = 1;
    s.skip_ws();
    for token in tokens {
        s.skip_ws();
        match s.peek()? {
            b'{' => {
                s.pos += 1;
                let mut found = false;
                loop {
                    s.skip_ws();
                    if s.peek()? == b'}' {
                        break;
                    }
                    let key_line = s.line;
                    let key = s.string()?;
                    s.skip_ws();
                    if s.peek()? != b':' {
                        return Some(best);
                    }
                    s.pos += 1;
                    if &key == token {
                        best = key_line;
                        found = true;
                        break;
                    }
                    s.skip_value()?;
                    s.skip_ws();
                    if s.peek()? == b',' {
                        s.pos += 1;
                    }
                }
                if !found {
                    return Some(best);
                }
            }
            b'[' => {
                s.pos += 1;
                let Ok(index) = token.parse::<usize>() else {
                    return Some(best);
                };
                for _ in 0..index {
                    s.skip_value()?;
                    s.skip_ws();
                    if s.peek()? != b',' {
                        return Some(best);
                    }
                    s.pos += 1;
                }
                s.skip_ws();
                best = s.line;
            }
            _ => return Some(best),
        }
    }
    Some(best)
}

// ---- YAML (block style) -------------------------------------------------------

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// The key of a `key: value` line (quotes removed), if it is one.
fn yaml_key(text: &str) -> Option<String> {
    let t = text.trim_start();
    if let Some(rest) = t.strip_prefix('"') {
        let end = rest
            .find("\":")
            .or_else(|| rest.strip_suffix("\":").map(str::len))?;
        return Some(rest[..end].replace("\\\"", "\""));
    }
    if let Some(rest) = t.strip_prefix('\'') {
        let end = rest.find("':")?;
        return Some(rest[..end].replace("''", "'"));
    }
    let idx = t.find(": ").or_else(|| t.strip_suffix(':').map(str::len))?;
    Some(t[..idx].trim_end().to_string())
}

fn yaml_line(source: &str, tokens: &[String]) -> Option<usize> {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    // The node being descended into: its children are the lines from `from` on whose
    // indentation exceeds `parent` (-1 for the document root).
    let mut from = 0usize;
    let mut parent: isize = -1;
    let mut best = 1;
    for token in tokens {
        let want_index = token.parse::<usize>().ok();
        let mut child_indent: Option<usize> = None;
        let mut seq_index = 0usize;
        let mut found = None;
        for (i, line) in lines.iter().enumerate().skip(from) {
            if !is_content(line) {
                continue;
            }
            let ind = indent_of(line);
            let body = &line[ind..];
            let is_item = body.starts_with("- ") || body == "-";
            // YAML lets a sequence sit at its key's own indentation.
            let same_level_seq = is_item && ind as isize == parent && want_index.is_some();
            if ind as isize <= parent && !same_level_seq {
                break;
            }
            let ci = *child_indent.get_or_insert(ind);
            if ind < ci {
                break;
            }
            if ind > ci {
                continue;
            }
            if is_item {
                if want_index == Some(seq_index) {
                    found = Some((i, ind, true));
                    break;
                }
                seq_index += 1;
            } else if yaml_key(body).as_deref() == Some(token.as_str()) {
                found = Some((i, ind, false));
                break;
            }
        }
        let Some((line, ind, item)) = found else {
            return Some(best);
        };
        best = line + 1;
        if item {
            // Turn `- key: v` into `  key: v` so the item's mapping is an ordinary block.
            let l = &mut lines[line];
            l.replace_range(ind..ind + 1, " ");
            from = line;
            parent = ind as isize;
        } else {
            from = line + 1;
            parent = ind as isize;
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.0\npaths:\n  /orgs:\n    post:\n      responses:\n        '201':\n          description: ok\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        - type: object\n          properties:\n            x:\n              type: string\n";

    #[test]
    fn yaml_paths() {
        assert_eq!(line_of(YAML, "/paths/~1orgs/post"), Some(4));
        assert_eq!(
            line_of(YAML, "/paths/~1orgs/post/responses/201/description"),
            Some(7)
        );
        assert_eq!(line_of(YAML, "/components/schemas/A/allOf/0"), Some(12));
        assert_eq!(
            line_of(YAML, "/components/schemas/A/allOf/0/$ref"),
            Some(12)
        );
        assert_eq!(
            line_of(YAML, "/components/schemas/A/allOf/1/properties/x/type"),
            Some(16)
        );
        // Missing key: deepest prefix.
        assert_eq!(line_of(YAML, "/components/schemas/Nope"), Some(9));
    }

    #[test]
    fn json_paths() {
        let src = "{\n  \"a\": {\n    \"b\": [1,\n      {\"c\": 2}\n    ]\n  },\n  \"d/e\": 3\n}";
        assert_eq!(line_of(src, "/a/b/1/c"), Some(4));
        assert_eq!(line_of(src, "/d~1e"), Some(7));
        assert_eq!(line_of(src, "/a/zz"), Some(2));
    }

    #[test]
    fn never_panics_on_garbage() {
        for src in [
            "",
            "{",
            "[",
            "- - -",
            "a:\n - b\n   - c: [",
            "\"\\",
            "{\"a\": \"\\u12",
        ] {
            let _ = line_of(src, "/a/0/b");
        }
    }
}
