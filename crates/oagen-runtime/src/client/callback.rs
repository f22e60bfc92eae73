//! Callback URLs resolved from the request that declared them: each runtime expression's value as text ([`param_text`], [`body_text`]), and [`UrlError`] when a value is missing or is not text.
//!
//! A generated `<callback>_url` function joins the key's literal text and
//! these values. The first part of a key, when it is an expression, is the
//! URL (or its base) and is substituted as it is; every later expression's
//! value is percent-encoded (all but RFC 3986's unreserved characters), so a
//! value cannot add path segments or query parameters.

use serde::Serialize;
use serde_json::Value;

/// A callback URL that cannot be resolved: which expression, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError {
    /// The runtime expression, e.g. `$request.body#/callbackUrl`.
    pub expression: String,
    /// What is wrong with its value.
    pub reason: String,
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "callback URL: `{}` {}", self.expression, self.reason)
    }
}

impl std::error::Error for UrlError {}

/// The text of `value` (a string, a number or a boolean) for `expression`;
/// `encode` percent-encodes it.
pub fn value_text(
    value: Option<&Value>,
    expression: &str,
    encode: bool,
) -> Result<String, UrlError> {
    let fail = |reason: &str| UrlError {
        expression: expression.to_string(),
        reason: reason.to_string(),
    };
    let text = match value {
        None | Some(Value::Null) => return Err(fail("has no value")),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(_) => return Err(fail("is not a string, a number or a boolean")),
    };
    Ok(if encode {
        super::super::wire::encode(&text)
    } else {
        text
    })
}

/// The text of a parameter's value (`None` for an absent optional one).
pub fn param_text<T: Serialize + ?Sized>(
    value: &T,
    expression: &str,
    encode: bool,
) -> Result<String, UrlError> {
    let json = super::super::to_json(value).map_err(|e| UrlError {
        expression: expression.to_string(),
        reason: format!("does not encode: {e}"),
    })?;
    value_text(Some(&json), expression, encode)
}

/// The text at `pointer` (JSON Pointer, `""` for the whole) of `body`'s JSON.
pub fn body_text<T: Serialize + ?Sized>(
    body: &T,
    pointer: &str,
    expression: &str,
    encode: bool,
) -> Result<String, UrlError> {
    let json = super::super::to_json(body).map_err(|e| UrlError {
        expression: expression.to_string(),
        reason: format!("does not encode: {e}"),
    })?;
    value_text(json.pointer(pointer), expression, encode)
}
