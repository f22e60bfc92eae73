//! Naming rules: every Rust identifier oagen emits is made here.
//!
//! Names are ASCII, readable and deterministic. Type names are upper camel case,
//! fields and functions snake case. Rust keywords become raw identifiers (or get a
//! trailing `_` where raw identifiers are not allowed), names that would shadow the
//! prelude get a suffix, and a leading digit gets a letter prefix. [`Namer`] makes
//! names unique within one namespace by appending a number.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Names that generated code uses unqualified: a type with one of these names
/// would shadow the prelude (or a derive's expansion).
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Display",
    "Hash",
    "Unpin",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
];

/// Methods the generated client (`Client`) and the server's trait (`Api`) define
/// beside one method per operation; operation names never take them.
pub const OPERATION_NEIGHBOURS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "credentials_mut",
    "has",
    "apply",
    "authorize",
    "send",
    "with_default_server",
    "verify",
];

/// Splits `raw` into ASCII alphanumeric words, keeping case boundaries for heck.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '+' {
            out.push_str(" Plus ");
        } else {
            out.push(' ');
        }
    }
    out
}

/// `raw`'s ASCII words in one `case`, or `fallback` when none are left; a name
/// that would start with a digit gets `digit_prefix`.
fn cased(raw: &str, case: fn(&str) -> String, fallback: &str, digit_prefix: &str) -> String {
    let mut s = case(&ascii_words(raw));
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, digit_prefix);
    }
    s
}

/// An upper camel case type name for `raw`, or `fallback` if nothing usable is left.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut s = cased(raw, |w| w.to_upper_camel_case(), fallback, "T");
    if RESERVED_TYPES.contains(&s.as_str()) {
        s.push_str("Type");
    }
    s
}

/// An upper camel case enum variant name for a value.
pub fn variant_name(raw: &str) -> String {
    // All-caps words read better as camel case: "IN_PROGRESS" -> "InProgress".
    let mut s = cased(raw, |w| w.to_upper_camel_case(), "", "V");
    if s.is_empty() {
        return match raw {
            "" => "Empty".into(),
            _ => String::new(),
        };
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// A snake case identifier for a field, parameter or function. Keywords become
/// raw identifiers; `self`, `super`, `crate` and `Self` get a trailing underscore.
pub fn snake_ident(raw: &str, fallback: &str) -> String {
    let mut s = cased(raw, |w| w.to_snake_case(), fallback, "n_");
    if s == "_" {
        s = fallback.to_string();
    }
    if matches!(s.as_str(), "self" | "super" | "crate" | "extern") {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    s
}

/// The bare form of an identifier (without `r#`), for uniqueness checks.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Keeps names unique within one namespace.
#[derive(Debug, Clone, Default)]
pub struct Namer {
    used: BTreeSet<String>,
}

impl Namer {
    /// An empty namespace.
    pub fn new() -> Self {
        Namer::default()
    }

    /// Marks `name` as taken.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(bare(name).to_ascii_lowercase());
    }

    /// Whether `name` is still free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.used.contains(&bare(name).to_ascii_lowercase())
    }

    /// Takes `name`, or `name2`, `name3`, ... if it is taken. Comparison ignores
    /// case, so that two names never differ only in case.
    pub fn claim(&mut self, name: &str) -> String {
        if self.is_free(name) {
            self.reserve(name);
            return name.to_string();
        }
        let (prefix, stem) = match name.strip_prefix("r#") {
            Some(s) => ("", s),
            None => ("", name),
        };
        let sep = if stem.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        for n in 2.. {
            let candidate = format!("{prefix}{stem}{sep}{n}");
            if self.is_free(&candidate) {
                self.reserve(&candidate);
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }

    /// Takes the first free name among `candidates`, else numbers the first.
    pub fn claim_first(&mut self, candidates: &[String]) -> String {
        for c in candidates {
            if !c.is_empty() && self.is_free(c) {
                self.reserve(c);
                return c.clone();
            }
        }
        self.claim(&candidates[0])
    }
}

/// A variant name for a media type: `Json`, `Form`, `Multipart`, `Text`, else
/// its subtype (`application/octet-stream` -> `OctetStream`, `image/png` ->
/// `Png`, `image/*` -> `Image`).
pub fn media_variant(media: &str) -> String {
    let mt = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mt.as_str() {
        "application/json" => return "Json".into(),
        "application/x-www-form-urlencoded" => return "Form".into(),
        "multipart/form-data" => return "Multipart".into(),
        "text/plain" => return "Text".into(),
        _ => {}
    }
    let (main, sub) = mt.split_once('/').unwrap_or((mt.as_str(), ""));
    let word = if sub.is_empty() || sub == "*" {
        main
    } else {
        sub
    };
    if word == "*" || word.is_empty() {
        return "Any".into();
    }
    type_name(word, "Media")
}

/// The reason phrase of an HTTP status, as an upper camel case name.
pub fn status_name(code: u16) -> String {
    let phrase = match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        102 => "Processing",
        103 => "EarlyHints",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        305 => "UseProxy",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "ContentTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        506 => "VariantAlsoNegotiates",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        510 => "NotExtended",
        511 => "NetworkAuthenticationRequired",
        _ => return format!("Status{code}"),
    };
    phrase.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each `(input, expected)` pair through `name`.
    fn names(name: impl Fn(&str) -> String, cases: &[(&str, &str)]) {
        for (input, expected) in cases {
            assert_eq!(name(input), *expected, "{input:?}");
        }
    }

    #[test]
    fn type_names() {
        names(
            |s| type_name(s, "X"),
            &[
                ("create-org request", "CreateOrgRequest"),
                ("API Problem", "ApiProblem"),
                ("400", "T400"),
                ("Option", "OptionType"),
            ],
        );
        assert_eq!(type_name("é", "Fallback"), "Fallback");
    }

    #[test]
    fn idents() {
        names(
            |s| snake_ident(s, "field"),
            &[
                ("type", "r#type"),
                ("self", "self_"),
                ("createdAt", "created_at"),
                ("1st", "n_1st"),
                ("$", "field"),
                ("x-APIKey", "x_api_key"),
            ],
        );
    }

    #[test]
    fn variants() {
        names(
            variant_name,
            &[
                ("in_progress", "InProgress"),
                ("IN_PROGRESS", "InProgress"),
                ("1.0", "V10"),
                ("", "Empty"),
            ],
        );
    }

    #[test]
    fn namer_is_unique_case_insensitively() {
        let mut n = Namer::new();
        assert_eq!(n.claim("Org"), "Org");
        assert_eq!(n.claim("org"), "org2");
        assert_eq!(n.claim("V1"), "V1");
        assert_eq!(n.claim("V1"), "V1_2");
    }
}
