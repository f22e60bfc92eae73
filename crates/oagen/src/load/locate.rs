//! Finds the line of a JSON pointer in the spec's text, for diagnostics.
//!
//! Parsers give positions only for syntax errors; problems found later (a
//! dangling `$ref`, a bad schema) are known by JSON pointer. This module maps a
//! pointer back to a 1-based line: exactly for JSON (a small scanner), and for
//! block-style YAML by following keys and sequence items by indentation. When the
//! full pointer cannot be followed, the line of the deepest prefix found is given.

use std::collections::HashMap;

use crate::diag::unescape_token;

/// The 1-based line of `pointer` in `source`, or of its deepest prefix found.
pub fn line_of(source: &str, pointer: &str) -> Option<usize> {
    lines_of(source, &[pointer]).pop().flatten()
}

/// The lines of many pointers at once: one pass over a JSON text, and one split
/// into lines (with the walk of shared prefixes remembered) for YAML. Looking
/// pointers up one by one rescans the document each time, which for a spec of
/// many megabytes with hundreds of warnings costs seconds.
pub fn lines_of(source: &str, pointers: &[&str]) -> Vec<Option<usize>> {
    let tokens: Vec<Vec<String>> = pointers
        .iter()
        .map(|pointer| {
            if pointer.is_empty() {
                Vec::new()
            } else {
                pointer
                    .trim_start_matches('/')
                    .split('/')
                    .map(unescape_token)
                    .collect()
            }
        })
        .collect();
    let trimmed = source.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        json_lines(source, &tokens)
    } else {
        let lines: Vec<&str> = source.lines().collect();
        let mut memo = HashMap::new();
        tokens
            .iter()
            .map(|t| {
                if t.is_empty() {
                    Some(1)
                } else {
                    yaml_line(&lines, t, &mut memo)
                }
            })
            .collect()
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

fn json_lines(source: &str, tokens: &[Vec<String>]) -> Vec<Option<usize>> {
    let mut s = Scanner {
        bytes: source.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut found = vec![1usize; tokens.len()];
    let pending: Vec<usize> = (0..tokens.len())
        .filter(|&i| !tokens[i].is_empty())
        .collect();
    s.skip_ws();
    // A scanner error (broken JSON) leaves each pointer at its deepest prefix found.
    let _ = json_walk(&mut s, tokens, &pending, 0, &mut found);
    found.into_iter().map(Some).collect()
}

/// Walks the value at the cursor, consuming it, and records in `found` the line of
/// each key or item that continues one of the `pending` pointers (whose tokens go
/// deeper than `depth`). Subtrees no pointer enters are skipped unparsed.
fn json_walk(
    s: &mut Scanner,
    tokens: &[Vec<String>],
    pending: &[usize],
    depth: usize,
    found: &mut [usize],
) -> Option<()> {
    s.skip_ws();
    let close = match s.peek()? {
        b'{' => b'}',
        b'[' => b']',
        _ => return s.skip_value(),
    };
    s.pos += 1;
    // The first of duplicate keys is the one reported; an item's token is its index.
    let mut seen: Vec<bool> = vec![false; pending.len()];
    let mut index = 0usize;
    loop {
        s.skip_ws();
        if s.peek()? == close {
            s.pos += 1;
            return Some(());
        }
        let line = s.line;
        let token = if close == b'}' {
            let key = s.string()?;
            s.skip_ws();
            if s.peek()? != b':' {
                return None;
            }
            s.pos += 1;
            key
        } else {
            index.to_string()
        };
        index += 1;
        let mut deeper = Vec::new();
        for (k, &i) in pending.iter().enumerate() {
            if !seen[k] && tokens[i][depth] == token {
                seen[k] = true;
                found[i] = line;
                if tokens[i].len() > depth + 1 {
                    deeper.push(i);
                }
            }
        }
        if deeper.is_empty() {
            s.skip_value()?;
        } else {
            json_walk(s, tokens, &deeper, depth + 1, found)?;
        }
        s.skip_ws();
        if s.peek()? == b',' {
            s.pos += 1;
        }
    }
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

/// Where the walk of a YAML pointer prefix stands: the children of the node
/// reached are the lines from `from` on indented deeper than `parent`; `item` is
/// the line of a `- ` sequence item read as if its dash were a space.
#[derive(Clone, Copy)]
struct YamlAt {
    from: usize,
    parent: isize,
    best: usize,
    item: Option<(usize, usize)>,
}

fn yaml_line(
    lines: &[&str],
    tokens: &[String],
    memo: &mut HashMap<Vec<String>, Option<YamlAt>>,
) -> Option<usize> {
    let mut at = YamlAt {
        from: 0,
        parent: -1,
        best: 1,
        item: None,
    };
    for depth in 0..tokens.len() {
        let key = &tokens[..=depth];
        let next = match memo.get(key) {
            Some(known) => *known,
            None => {
                let step = yaml_step(lines, &tokens[depth], at);
                memo.insert(key.to_vec(), step);
                step
            }
        };
        match next {
            Some(n) => at = n,
            None => return Some(at.best),
        }
    }
    Some(at.best)
}

/// One step of a YAML pointer: finds `token` among the children at `at`.
fn yaml_step(lines: &[&str], token: &str, at: YamlAt) -> Option<YamlAt> {
    let want_index = token.parse::<usize>().ok();
    let mut child_indent: Option<usize> = None;
    let mut seq_index = 0usize;
    for (i, &raw) in lines.iter().enumerate().skip(at.from) {
        let stripped;
        let line = match at.item {
            // `- key: v` read as `  key: v`, so the item's mapping is an ordinary block.
            Some((l, ind)) if l == i => {
                stripped = format!("{} {}", &raw[..ind], &raw[ind + 1..]);
                stripped.as_str()
            }
            _ => raw,
        };
        if !is_content(line) {
            continue;
        }
        let ind = indent_of(line);
        let body = &line[ind..];
        let is_item = body.starts_with("- ") || body == "-";
        // YAML lets a sequence sit at its key's own indentation.
        let same_level_seq = is_item && ind as isize == at.parent && want_index.is_some();
        if ind as isize <= at.parent && !same_level_seq {
            return None;
        }
        let ci = *child_indent.get_or_insert(ind);
        if ind < ci {
            return None;
        }
        if ind > ci {
            continue;
        }
        if is_item {
            if want_index == Some(seq_index) {
                return Some(YamlAt {
                    from: i,
                    parent: ind as isize,
                    best: i + 1,
                    item: Some((i, ind)),
                });
            }
            seq_index += 1;
        } else if yaml_key(body).as_deref() == Some(token) {
            return Some(YamlAt {
                from: i + 1,
                parent: ind as isize,
                best: i + 1,
                item: None,
            });
        }
    }
    None
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
    fn many_pointers_at_once_agree_with_one_at_a_time() {
        let json = "{\n  \"a\": {\n    \"b\": [1,\n      {\"c\": 2}\n    ],\n    \"e\": {}\n  },\n  \"d/e\": 3\n}";
        let pointers = [
            "/a/b/1/c", "/d~1e", "/a/zz", "/a/b/1", "/a/e/x", "/a", "", "/a/b/0", "/a/b/7",
            "/a/b/1/c",
        ];
        for src in [json, YAML] {
            let batch = lines_of(src, &pointers);
            let single: Vec<_> = pointers.iter().map(|p| line_of(src, p)).collect();
            assert_eq!(batch, single);
        }
        assert_eq!(
            lines_of(json, &pointers),
            [4, 8, 2, 4, 6, 2, 1, 3, 3, 4].map(Some).to_vec()
        );
        let yaml_pointers = [
            "/components/schemas/A/allOf/1/properties/x/type",
            "/components/schemas/A/allOf/0",
            "/paths/~1orgs/post/responses/201/description",
            "/components/schemas/Nope",
            "/paths/~1orgs/post",
        ];
        assert_eq!(
            lines_of(YAML, &yaml_pointers),
            [16, 12, 7, 9, 4].map(Some).to_vec()
        );
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
