//! Diagnostics grouped by cause: messages with names, values, pointers and numbers taken out compare equal.

use std::collections::{BTreeMap, BTreeSet};

use super::generate::Diag;

/// OpenAPI and JSON Schema keywords kept when a message is normalised (only those
/// that are seldom also property names).
const KEYWORDS: &[&str] = &[
    "$ref",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "prefixItems",
    "additionalProperties",
    "discriminator",
    "nullable",
    "const",
    "enum",
    "openapi",
    "info",
    "paths",
    "components",
    "webhooks",
    "securitySchemes",
    "requestBody",
    "responses",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "readOnly",
    "writeOnly",
    "jsonSchemaDialect",
    "x-oagen-null",
];

/// A message with the names, values, pointers and numbers taken out, so that
/// messages with the same cause compare equal.
pub(super) fn normalise(message: &str) -> String {
    let chars: Vec<char> = message.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' || c == '"' {
            // The closing quote (for `"`, one that is not escaped).
            let close = (i + 1..chars.len())
                .find(|&j| chars[j] == c && (c == '`' || chars[j - 1] != '\\'))
                .map(|j| j - i - 1);
            if let Some(len) = close {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                out.push(c);
                if KEYWORDS.contains(&inner.as_str()) {
                    out.push_str(&inner);
                } else {
                    out.push('…');
                }
                out.push(c);
                i += len + 2;
                continue;
            }
        }
        if c == '#' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], ',' | ')' | ';')
            {
                i += 1;
            }
            out.push_str("#…");
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            out.push('N');
            continue;
        }
        out.push(c);
        i += 1;
    }
    // Lists of names become one.
    for (from, to) in [
        ("`…`, `…`", "`…`"),
        ("`…` or `…`", "`…`"),
        ("`…` and `…`", "`…`"),
        ("\"…\", \"…\"", "\"…\""),
        ("N, N", "N"),
    ] {
        while out.contains(from) {
            out = out.replace(from, to);
        }
    }
    // A trailing inner location (`... at `/a/b``) is not part of the cause.
    if let Some(head) = out.strip_suffix(" at `…`") {
        out = head.to_string();
    }
    if out.chars().count() > 160 {
        out = out.chars().take(160).collect::<String>() + "…";
    }
    out
}

/// Diagnostics grouped by normalised message: per group, the specs (with one
/// example each) and the number of occurrences.
pub(super) struct Group {
    pub key: String,
    pub specs: BTreeSet<usize>,
    pub occurrences: usize,
    pub examples: Vec<(usize, Diag)>,
}

pub(super) fn group<'a>(items: impl Iterator<Item = (usize, &'a Diag)>) -> Vec<Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (i, d) in items {
        let key = normalise(&d.message);
        let g = groups.entry(key.clone()).or_insert_with(|| Group {
            key,
            specs: BTreeSet::new(),
            occurrences: 0,
            examples: Vec::new(),
        });
        g.occurrences += 1;
        if g.specs.insert(i) && g.examples.len() < 3 {
            g.examples.push((i, d.clone()));
        }
    }
    let mut out: Vec<Group> = groups.into_values().collect();
    out.sort_by(|a, b| {
        b.specs
            .len()
            .cmp(&a.specs.len())
            .then(b.occurrences.cmp(&a.occurrences))
            .then(a.key.cmp(&b.key))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_normalised_into_causes() {
        assert_eq!(
            normalise("invalid path item: unknown field `foo`, expected one of `get`, `put`, `post` at line 3 column 17"),
            "invalid path item: unknown field `…`, expected one of `…` at line N column N"
        );
        assert_eq!(
            normalise("`$ref` target `#/components/schemas/Foo` does not exist"),
            "`$ref` target `…` does not exist"
        );
        assert_eq!(
            normalise("`oneOf` next to object properties is approximated"),
            "`oneOf` next to object properties is approximated"
        );
        assert_eq!(
            normalise("bad value at #/paths/~1a/get, see"),
            "bad value at #…, see"
        );
        assert_eq!(normalise("version 3.0.1 and 2"), "version N and N");
        assert_eq!(
            normalise(r#"example: "\"git\"" is not one of the listed values at `/a/b`"#),
            r#"example: "…" is not one of the listed values"#
        );
    }
}
