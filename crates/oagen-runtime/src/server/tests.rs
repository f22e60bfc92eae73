//! Tests of the server's half: credentials read from headers, query and cookies, HTTP Basic, `authenticate`, parameters, body decoding, responses and `serve`.

use crate::server::{
    authenticate, decode_basic, decode_form, decode_json, decode_text, extract, respond,
    respond_with, sample, serve, undeclared_rejection, Auth, BodyLimit, Credential, In, Incoming,
    Reading, Received, Rejection, SecurityScheme, Source, Verifier,
};
use crate::validate::{Validate, Violation};
use crate::wire::{Kind, Style};
use axum::http::request::Parts;
use axum::http::{Request, StatusCode};
use std::future::Future;
use std::sync::Arc;

/// Runs a future that never waits (none here does: no I/O).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => out,
        std::task::Poll::Pending => panic!("the future waits"),
    }
}

fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(()).expect("a request").into_parts().0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Token,
    Key,
    Login,
}

impl SecurityScheme for Scheme {
    fn source(self) -> Source {
        match self {
            Scheme::Token => Source::Authorization("bearer"),
            Scheme::Key => Source::Header("x-key"),
            Scheme::Login => Source::Basic,
        }
    }
}

/// Accepts every credential but `bad`.
struct Server;

impl Verifier<Scheme> for Server {
    fn verify(&self, credential: &Credential<Scheme>) -> impl Future<Output = bool> + Send {
        let ok = credential.value != "bad";
        async move { ok }
    }
}

#[test]
fn credentials_are_read_where_their_scheme_sends_them() {
    let p = parts(
        "/x?api_key=q1&other=2",
        &[
            ("authorization", "Bearer  tok "),
            ("x-key", "h1"),
            ("cookie", "a=1; sid=c1"),
        ],
    );
    assert_eq!(
        extract(Source::Authorization("bearer"), &p).as_deref(),
        Some("tok")
    );
    assert_eq!(extract(Source::Authorization("digest"), &p), None);
    assert_eq!(extract(Source::Header("x-key"), &p).as_deref(), Some("h1"));
    assert_eq!(extract(Source::Query("api_key"), &p).as_deref(), Some("q1"));
    assert_eq!(extract(Source::Cookie("sid"), &p).as_deref(), Some("c1"));
    assert_eq!(extract(Source::Cookie("none"), &p), None);
    assert_eq!(extract(Source::Nowhere, &p), None);
    let empty = parts("/", &[("authorization", "Bearer ")]);
    assert_eq!(extract(Source::Authorization("bearer"), &empty), None);
}

#[test]
fn basic_credentials_decode_to_user_and_password() {
    // "user:pa ss" in the standard alphabet, with and without padding.
    assert_eq!(
        decode_basic("dXNlcjpwYSBzcw==").as_deref(),
        Some("user:pa ss")
    );
    assert_eq!(
        decode_basic("dXNlcjpwYSBzcw").as_deref(),
        Some("user:pa ss")
    );
    // "a:?>" uses `/` in the standard alphabet, `_` in the URL one.
    assert_eq!(decode_basic("YTo/Pg==").as_deref(), Some("a:?>"));
    assert_eq!(decode_basic("YTo_Pg").as_deref(), Some("a:?>"));
    assert_eq!(decode_basic("dXNlcg=="), None, "no colon");
    assert_eq!(decode_basic("not base64!"), None);
    let p = parts("/", &[("authorization", "basic dXNlcjpwYSBzcw==")]);
    assert_eq!(extract(Source::Basic, &p).as_deref(), Some("user:pa ss"));
}

#[test]
fn authentication_tries_each_alternative() {
    let token = parts("/", &[("authorization", "Bearer t")]);
    let bad = parts("/", &[("authorization", "Bearer bad")]);
    let none = parts("/", &[]);
    let both = parts("/", &[("authorization", "Bearer t"), ("x-key", "k")]);
    let run = |p: &Parts, alts: &[&[Scheme]]| ready(authenticate(&Server, p, alts));
    assert_eq!(run(&none, &[]), Ok(Auth::default()));
    let auth = run(&token, &[&[Scheme::Key], &[Scheme::Token]]).expect("the token");
    assert_eq!(auth.get(Scheme::Token), Some("t"));
    assert_eq!(auth.get(Scheme::Key), None);
    assert_eq!(
        run(&bad, &[&[Scheme::Token]]),
        Err(Rejection::InvalidCredentials)
    );
    assert_eq!(
        run(&none, &[&[Scheme::Token]]),
        Err(Rejection::MissingCredentials)
    );
    assert_eq!(run(&none, &[&[Scheme::Token], &[]]), Ok(Auth::default()));
    // Both of a combination must be sent.
    assert_eq!(
        run(&token, &[&[Scheme::Token, Scheme::Key]]),
        Err(Rejection::InvalidCredentials)
    );
    let auth = run(&both, &[&[Scheme::Token, Scheme::Key]]).expect("both");
    assert_eq!(auth.credentials.len(), 2);
    assert_eq!(
        run(&none, &[&[Scheme::Login]]),
        Err(Rejection::MissingCredentials)
    );
}

#[test]
fn parameters_are_read_by_location_and_type() {
    let p = parts(
        "/items/7?limit=5&tags=a,b",
        &[("x-trace", "on"), ("cookie", "c=3")],
    );
    let inc = Incoming::new(&p, "/items/{id}", &["limit", "tags"], &["c"]);
    let id: i64 = inc
        .required(In::Path, "id", Style::Simple, false, Kind::Scalar)
        .unwrap();
    assert_eq!(id, 7);
    let limit: Option<u32> = inc
        .optional(In::Query, "limit", Style::Form, true, Kind::Scalar)
        .unwrap();
    assert_eq!(limit, Some(5));
    let tags: Vec<String> = inc
        .required(In::Query, "tags", Style::Form, false, Kind::Array)
        .unwrap();
    assert_eq!(tags, ["a", "b"]);
    let trace: String = inc
        .required(In::Header, "x-trace", Style::Simple, false, Kind::Scalar)
        .unwrap();
    assert_eq!(trace, "on");
    let c: i32 = inc
        .required(In::Cookie, "c", Style::Form, false, Kind::Scalar)
        .unwrap();
    assert_eq!(c, 3);
    let missing: Option<u32> = inc
        .optional(In::Query, "page", Style::Form, true, Kind::Scalar)
        .unwrap();
    assert_eq!(missing, None);
    let required = inc.required::<u32>(In::Query, "page", Style::Form, true, Kind::Scalar);
    assert!(
        matches!(required, Err(Rejection::InvalidParameter { ref name, ref message }) if name == "page" && message == "required")
    );
    let wrong = inc.required::<u32>(In::Header, "x-trace", Style::Simple, false, Kind::Scalar);
    assert!(matches!(wrong, Err(Rejection::InvalidParameter { .. })));
}

/// A body whose `n` must be positive.
#[derive(Debug, serde::Deserialize)]
struct Body {
    n: i64,
}

impl Validate for Body {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        if self.n <= 0 {
            out.push(Violation {
                at: format!("{at}/n"),
                message: "not positive".into(),
            });
        }
    }
}

#[test]
fn bodies_are_decoded_then_checked() {
    assert_eq!(decode_json::<Body>(br#"{"n": 2}"#, None).unwrap().n, 2);
    let invalid = decode_json::<Body>(br#"{"n": 0}"#, None).unwrap_err();
    assert_eq!(invalid.to_string(), "invalid body: /n: not positive;");
    assert!(matches!(
        decode_json::<Body>(b"{", None),
        Err(Rejection::MalformedBody(_))
    ));
    let check: fn(&serde_json::Value, &mut Vec<Violation>) = |v, out| {
        if v.get("extra").is_some_and(serde_json::Value::is_null) {
            out.push(Violation {
                at: "/extra".into(),
                message: "null".into(),
            });
        }
    };
    let json = decode_json::<Body>(br#"{"n": 1, "extra": null}"#, Some(check)).unwrap_err();
    assert_eq!(
        json,
        Rejection::InvalidBody(vec![Violation {
            at: "/extra".into(),
            message: "null".into()
        }])
    );
    let form: Body = decode_form(b"n=4", &[("n", Style::Form, true, Kind::Scalar)]).unwrap();
    assert_eq!(form.n, 4);
    assert_eq!(decode_text("é".as_bytes()).unwrap(), "é");
    assert!(decode_text(&[0xff]).is_err());
}

#[test]
fn rejections_say_what_is_wrong() {
    let at_root = Rejection::InvalidBody(vec![Violation {
        at: String::new(),
        message: "m".into(),
    }]);
    assert_eq!(at_root.to_string(), "invalid body: /: m;");
    let param = Rejection::InvalidParameter {
        name: "id".into(),
        message: "required".into(),
    };
    assert_eq!(param.to_string(), "invalid parameter `id`: required");
    assert!(Rejection::MissingCredentials.is_auth() && !param.is_auth());
    assert_eq!(
        undeclared_rejection(&Rejection::InvalidCredentials).status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        undeclared_rejection(&param).status(),
        StatusCode::BAD_REQUEST
    );
    let filled: serde_json::Value = sample(r#"{"error":"{oagen:message}"}"#, "why").unwrap();
    assert_eq!(filled, serde_json::json!({"error": "why"}));
}

#[test]
fn responses_carry_status_media_type_and_headers() {
    let r = respond(201, "application/json", Ok(b"{}".to_vec()));
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert!(respond(204, "", Ok(Vec::new()))
        .headers()
        .get("content-type")
        .is_none());
    let r = respond_with(
        200,
        "text/plain",
        Ok(Vec::new()),
        [("x-a", Some(Ok("1".into()))), ("x-b", None)],
    );
    assert_eq!(r.headers()["x-a"], "1");
    assert!(r.headers().get("x-b").is_none());
    let broken = respond_with(200, "", Ok(Vec::new()), [("x-a", Some(Ok("a\nb".into())))]);
    assert_eq!(broken.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

fn input_body(_: &Parts, received: &Received) -> Result<Body, Rejection> {
    decode_json(received.bytes(), None)
}

async fn call(_: Arc<Server>, auth: Auth<Scheme>, body: Body) -> String {
    format!("{}:{}", auth.get(Scheme::Token).unwrap_or("-"), body.n)
}

#[test]
fn serve_authenticates_decodes_calls_and_responds() {
    let run = |auth: &str, body: &str| {
        let request = Request::builder()
            .uri("/x")
            .header("authorization", auth)
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        let response = ready(serve(
            Arc::new(Server),
            request,
            &[&[Scheme::Token]],
            Reading::Whole,
            input_body,
            call,
            |_, rejection| rejection.is_auth().then(|| "refused".to_string()),
            |text| respond(200, "text/plain", Ok(text.into_bytes())),
        ));
        let status = response.status();
        let bytes = ready(axum::body::to_bytes(response.into_body(), 1024)).unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    };
    assert_eq!(
        run("Bearer t", r#"{"n": 3}"#),
        (StatusCode::OK, "t:3".to_string())
    );
    assert_eq!(
        run("Bearer bad", r#"{"n": 3}"#),
        (StatusCode::OK, "refused".to_string())
    );
    let (status, text) = run("Bearer t", r#"{"n": -1}"#);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(text, "invalid body: /n: not positive;");
}

/// A streamed upload's input: the body as a stream.
fn input_stream(_: &Parts, received: &Received) -> Result<crate::ByteBody, Rejection> {
    crate::server::decode_byte_body(received)
}

/// Reads the upload as a stream: whether it was one, and its length (or the error).
async fn count(_: Arc<Server>, _: Auth<Scheme>, mut body: crate::ByteBody) -> String {
    let streamed = body.is_stream();
    let mut n = 0;
    while let Some(chunk) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_next(cx)).await
    {
        match chunk {
            Ok(c) => n += c.len(),
            Err(e) => return format!("error: {e}"),
        }
    }
    format!("{streamed}:{n}")
}

use crate::stream::Stream;

/// Serves a request with `body` (chunked when `chunks` has several) under
/// a limit of 8 bytes.
fn upload(content_type: &str, chunks: &[&str], length: Option<usize>) -> (StatusCode, String) {
    let stream = crate::stream::Streamed::from_items(chunks.iter().map(|c| c.as_bytes().to_vec()));
    let mut request = Request::builder()
        .uri("/x")
        .header("authorization", "Bearer t")
        .header("content-type", content_type);
    if let Some(len) = length {
        request = request.header("content-length", len);
    }
    let mut request = request.body(axum::body::Body::from_stream(stream)).unwrap();
    request.extensions_mut().insert(BodyLimit(8));
    let response = ready(serve(
        Arc::new(Server),
        request,
        &[&[Scheme::Token]],
        Reading::Streams(&["application/octet-stream"]),
        input_stream,
        count,
        |_, _| None,
        |text| respond(200, "text/plain", Ok(text.into_bytes())),
    ));
    let status = response.status();
    let bytes = ready(axum::body::to_bytes(response.into_body(), 1024)).unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[test]
fn a_binary_upload_is_handed_on_as_a_stream_within_the_limit() {
    assert_eq!(
        upload("application/octet-stream", &["abc", "de"], None),
        (StatusCode::OK, "true:5".to_string())
    );
    // Another media type is read whole first.
    assert_eq!(
        upload("text/plain", &["abc", "de"], None),
        (StatusCode::OK, "false:5".to_string())
    );
}

#[test]
fn a_body_over_the_limit_is_413_by_length_or_as_it_arrives() {
    // Declared too long: refused before reading.
    let (status, text) = upload("application/octet-stream", &["abc"], Some(9));
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(text, "the body is larger than 8 bytes");
    // Chunked, streamed: cut as it passes the limit, whatever the handler says.
    let (status, _) = upload("application/octet-stream", &["abcde", "fghij"], None);
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Chunked, read whole.
    let (status, _) = upload("text/plain", &["abcde", "fghij"], None);
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        undeclared_rejection(&Rejection::TooLarge { limit: 1 }).status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[test]
fn a_byte_body_is_sent_with_its_length_when_known() {
    let whole = crate::server::respond_bytes(200, "application/octet-stream", "abc".into());
    assert_eq!(whole.headers()["content-type"], "application/octet-stream");
    let streamed = crate::ByteBody::from_streamed(crate::stream::Streamed::from_items([
        b"ab".to_vec(),
        b"c".to_vec(),
    ]));
    let sized = crate::server::respond_bytes(200, "application/octet-stream", streamed.with_len(3));
    assert_eq!(sized.headers()["content-length"], "3");
    let bytes = ready(axum::body::to_bytes(sized.into_body(), 1024)).unwrap();
    assert_eq!(&bytes[..], b"abc");
}
