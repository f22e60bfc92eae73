//! Callbacks as hooks: an operation's callback key parsed as a runtime-expression template, and the receiver route of a callback.
//!
//! A callback key (OpenAPI's "runtime expression" template) is literal text
//! with `{expression}` parts, e.g. `{$request.body#/url}/events?id={$request.body#/id}`.
//! The provider that sends the callback resolves it against the request it
//! received (and, for `$response.*`, against its answer).

use super::hooks::route_slug;

/// One part of a callback key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPart {
    /// Literal text, kept as written.
    Text(String),
    /// An `{expression}`.
    Expr(Expression),
}

/// A runtime expression (OpenAPI 3's "Runtime Expressions").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expression {
    /// `$url`: the request's full URL.
    Url,
    /// `$method`: the request's HTTP method.
    Method,
    /// `$statusCode`: the status of the answer.
    StatusCode,
    /// `$request.path.<name>`.
    RequestPath(String),
    /// `$request.query.<name>`.
    RequestQuery(String),
    /// `$request.header.<name>`.
    RequestHeader(String),
    /// `$request.body` (pointer `""`) or `$request.body#/json/pointer` (the
    /// pointer unescaped of nothing: `/a~1b` as written).
    RequestBody(String),
    /// `$response.header.<name>`.
    ResponseHeader(String),
    /// `$response.body` or `$response.body#/json/pointer`.
    ResponseBody(String),
}

impl Expression {
    /// Whether the expression is known only once the request is answered.
    pub fn needs_response(&self) -> bool {
        matches!(
            self,
            Expression::StatusCode | Expression::ResponseHeader(_) | Expression::ResponseBody(_)
        )
    }
}

/// Parses a callback key into its parts; an unknown expression, an empty
/// name or an unclosed `{` is an error naming it.
pub fn parse_key(key: &str) -> Result<Vec<KeyPart>, String> {
    let mut parts = Vec::new();
    let mut rest = key;
    while let Some(start) = rest.find('{') {
        if start > 0 {
            parts.push(KeyPart::Text(rest[..start].to_string()));
        }
        let Some(len) = rest[start..].find('}') else {
            return Err(format!("`{{` at `{}` is never closed", &rest[start..]));
        };
        parts.push(KeyPart::Expr(parse_expression(
            &rest[start + 1..start + len],
        )?));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        parts.push(KeyPart::Text(rest.to_string()));
    }
    Ok(parts)
}

/// Parses one runtime expression (the text between `{` and `}`).
pub fn parse_expression(text: &str) -> Result<Expression, String> {
    let named = |prefix: &str| {
        text.strip_prefix(prefix)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
    };
    let body = |source: &str| {
        let rest = text.strip_prefix(source)?;
        match rest.strip_prefix('#') {
            None if rest.is_empty() => Some(String::new()),
            Some(p) if p.is_empty() || p.starts_with('/') => Some(p.to_string()),
            _ => None,
        }
    };
    let e = match text {
        "$url" => Expression::Url,
        "$method" => Expression::Method,
        "$statusCode" => Expression::StatusCode,
        _ => {
            if let Some(n) = named("$request.path.") {
                Expression::RequestPath(n)
            } else if let Some(n) = named("$request.query.") {
                Expression::RequestQuery(n)
            } else if let Some(n) = named("$request.header.") {
                Expression::RequestHeader(n)
            } else if let Some(n) = named("$response.header.") {
                Expression::ResponseHeader(n)
            } else if let Some(p) = body("$request.body") {
                Expression::RequestBody(p)
            } else if let Some(p) = body("$response.body") {
                Expression::ResponseBody(p)
            } else {
                return Err(format!("`{{{text}}}` is not a runtime expression oagen knows (`$url`, `$method`, `$statusCode`, `$request.path.<name>`, `$request.query.<name>`, `$request.header.<name>`, `$request.body[#/pointer]`, `$response.header.<name>`, `$response.body[#/pointer]`)"));
            }
        }
    };
    Ok(e)
}

/// The receiver route of a callback: `/callbacks/<owner>/<callback>` (each
/// slugged as a webhook's name is, see [`super::hooks_route`]), followed by
/// the literal path that comes after the key's leading expression
/// (`{$request.body#/url}/events?id=..` adds `/events`: the text after the
/// first expression, up to `?`, `#` or the next expression, when it starts
/// with `/`; each segment slugged), made unique among `taken` by a numeric
/// suffix. The caller gives the receiver's URL up to the tail (e.g. as
/// `callbackUrl`), so the tail must be where the receiver listens.
pub fn callback_route(owner: &str, name: &str, parts: &[KeyPart], taken: &[String]) -> String {
    let mut base = format!("/callbacks/{}/{}", route_slug(owner), route_slug(name));
    if let [KeyPart::Expr(_), KeyPart::Text(tail), ..] = parts {
        let path = tail.split(['?', '#']).next().unwrap_or_default();
        if path.starts_with('/') {
            for seg in path.split('/').filter(|s| !s.is_empty()) {
                base.push('/');
                base.push_str(&route_slug(seg));
            }
        }
    }
    super::hooks::unique_route(base, taken)
}

#[cfg(test)]
mod tests {
    use super::{callback_route, parse_key, Expression as E, KeyPart as K};

    #[test]
    fn keys_are_text_and_expressions() {
        assert_eq!(
            parse_key("{$request.body#/url}/events?id={$request.query.id}").unwrap(),
            vec![
                K::Expr(E::RequestBody("/url".into())),
                K::Text("/events?id=".into()),
                K::Expr(E::RequestQuery("id".into())),
            ]
        );
        assert_eq!(
            parse_key("{$request.body}").unwrap(),
            vec![K::Expr(E::RequestBody(String::new()))]
        );
        assert!(parse_key("{$request.cookie.x}").is_err());
        assert!(parse_key("{$url").is_err());
        assert!(parse_key("{$request.body#x}").is_err());
    }

    #[test]
    fn routes_add_the_literal_tail() {
        let parts = parse_key("{$request.body#/url}/events/x y?id={$request.body#/id}").unwrap();
        assert_eq!(
            callback_route("orders_create", "on shipped", &parts, &[]),
            "/callbacks/orders_create/on-shipped/events/x-y"
        );
        let parts = parse_key("{$request.body#/url}/a/{$method}/b").unwrap();
        assert_eq!(callback_route("o", "c", &parts, &[]), "/callbacks/o/c/a");
        let parts = parse_key("http://x/{$url}").unwrap();
        assert_eq!(
            callback_route("a", "b", &parts, &["/callbacks/a/b".into()]),
            "/callbacks/a/b-2"
        );
    }
}
