//! Writing responses: `respond` (status, media type, encoded body), `respond_body` (any body), `respond_with` and `with_headers` (declared headers), `plain` text, the router's `not_found` and the answer to a rejection no declared response carries.

use super::Rejection;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;

/// A `text/plain` response.
pub fn plain(status: StatusCode, message: &str) -> Response {
    let mut resp = Response::new(axum::body::Body::from(message.to_string()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

/// The router's fallback: a 404 for a path or method no operation has.
pub async fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "no such operation")
}

/// A response with `status`, the media type `content_type` (none when empty)
/// and the encoded `body`; a body that could not be encoded is a 500.
pub fn respond(
    status: u16,
    content_type: &str,
    body: Result<Vec<u8>, serde_json::Error>,
) -> Response {
    match body {
        Ok(bytes) => respond_body(status, content_type, axum::body::Body::from(bytes)),
        Err(_) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot encode the response",
        ),
    }
}

/// A response with `status`, the media type `content_type` (none when empty)
/// and `body` (a stream, say).
pub fn respond_body(status: u16, content_type: &str, body: axum::body::Body) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    // The media type comes from the spec: an invalid one is left out, never a panic.
    if let Ok(value) = HeaderValue::from_str(content_type) {
        if !content_type.is_empty() {
            resp.headers_mut().insert(header::CONTENT_TYPE, value);
        }
    }
    resp
}

/// A response with its declared headers (`None`: not sent). A header that
/// cannot be sent (a value with a line break or another control character)
/// makes the answer a 500 that names it, never a panic.
pub fn respond_with(
    status: u16,
    content_type: &str,
    body: Result<Vec<u8>, serde_json::Error>,
    headers: impl IntoIterator<Item = (&'static str, Option<Result<String, String>>)>,
) -> Response {
    if body.is_err() {
        return respond(status, content_type, body);
    }
    with_headers(respond(status, content_type, body), headers)
}

/// `resp` with `headers` (see [`respond_with`]).
pub fn with_headers(
    mut resp: Response,
    headers: impl IntoIterator<Item = (&'static str, Option<Result<String, String>>)>,
) -> Response {
    let mut values = Vec::new();
    for (name, value) in headers {
        let Some(value) = value else { continue };
        let checked = value.and_then(|text| {
            let key = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| "it is not a valid header name".to_string())?;
            let value = HeaderValue::from_bytes(text.as_bytes()).map_err(|_| {
                "its value holds a line break or another character a header cannot carry"
                    .to_string()
            })?;
            Ok((key, value))
        });
        match checked {
            Ok(pair) => values.push(pair),
            Err(message) => {
                return plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("cannot send the response header `{name}`: {message}"),
                )
            }
        }
    }
    for (key, value) in values {
        resp.headers_mut().insert(key, value);
    }
    resp
}

/// Answers a rejection that has no declared response to go in: a 401 for an
/// authentication failure, a 413 for a body over the limit, else a 400, with the reason as text.
pub fn undeclared_rejection(rejection: &Rejection) -> Response {
    let status = if rejection.is_auth() {
        StatusCode::UNAUTHORIZED
    } else if matches!(rejection, Rejection::TooLarge { .. }) {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::BAD_REQUEST
    };
    plain(status, &rejection.to_string())
}
