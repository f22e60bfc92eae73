//! Tests of the client half: a call against a local server, credentials, failed calls, errors and the decoders.

// Without the `tracing` feature a call's span is `()`.
#![allow(clippy::unit_arg)]

use std::future::Future;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use super::super::{wire, HeaderForm};
use super::*;

/// A credentials type as a generated client has: one field per scheme.
#[derive(Debug, Clone, Default)]
struct Creds {
    token: Option<String>,
    session: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum Scheme {
    Token,
    Session,
}

impl Authorize for Creds {
    type Scheme = Scheme;
    fn has(&self, scheme: Scheme) -> bool {
        match scheme {
            Scheme::Token => self.token.is_some(),
            Scheme::Session => self.session.is_some(),
        }
    }
    fn apply(
        &self,
        req: reqwest::RequestBuilder,
        scheme: Scheme,
        cookies: &mut Vec<String>,
    ) -> reqwest::RequestBuilder {
        match (scheme, &self.token, &self.session) {
            (Scheme::Token, Some(t), _) => req.bearer_auth(t),
            (Scheme::Session, _, Some(s)) => {
                cookies.push(format!("session={s}"));
                req
            }
            _ => req,
        }
    }
}

/// Serves one request on a local port with `response`; returns the base URL
/// and the request as received.
fn serve_once(response: &'static str) -> (String, std::thread::JoinHandle<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        stream.write_all(response.as_bytes()).unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });
    (url, handle)
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn decode_u32(status: u16, _: reqwest::header::HeaderMap, body: Vec<u8>) -> Result<u32, Error> {
    decode(status, body)
}

#[test]
fn a_call_sends_credentials_and_cookies_and_decodes_the_response() {
    let (url, server) = serve_once("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Seen: 1\r\n\r\n42");
    let seen = Arc::new(Mutex::new(None));
    let hook_seen = seen.clone();
    let hook: ResponseHook = Arc::new(move |status, headers| {
        *hook_seen.lock().unwrap() = Some((status, headers.contains_key("x-seen")));
    });
    let creds = Creds {
        token: Some("t0k".into()),
        session: Some("s1".into()),
    };
    let client: Client<Creds> = Client::builder(url)
        .credentials(creds)
        .on_response(hook)
        .build()
        .unwrap();
    assert!(!client.base_url().ends_with('/'));
    let req = client.http().get(format!("{}/thing", client.base_url()));
    let mut cookies = vec!["a=b".to_string()];
    // The first alternative lacks nothing: both schemes are sent.
    let req = client.authorize(req, &[&[Scheme::Token, Scheme::Session], &[]], &mut cookies);
    let value = block_on(client.send(untraced(), req, cookies, decode_u32)).unwrap();
    assert_eq!(value, 42);
    assert_eq!(*seen.lock().unwrap(), Some((200, true)));
    let request = server.join().unwrap().to_ascii_lowercase();
    assert!(request.starts_with("get /thing "), "{request}");
    assert!(request.contains("authorization: bearer t0k"), "{request}");
    assert!(request.contains("cookie: a=b; session=s1"), "{request}");
}

#[test]
fn authorize_takes_the_first_alternative_fully_configured() {
    let mut client: Client<Creds> = Client::new("http://localhost/").unwrap();
    client.credentials_mut().session = Some("s".into());
    let http = client.http().clone();
    let mut cookies = Vec::new();
    let req = client.authorize(
        http.get("http://localhost/"),
        &[&[Scheme::Token], &[Scheme::Session]],
        &mut cookies,
    );
    assert_eq!(cookies, ["session=s"]);
    let built = req.build().unwrap();
    assert!(built.headers().get("authorization").is_none());
    // Nothing configured: nothing is sent.
    let none: Client<Creds> = Client::new("http://localhost").unwrap();
    let mut cookies = Vec::new();
    let req = none.authorize(
        http.get("http://localhost/"),
        &[&[Scheme::Token], &[]],
        &mut cookies,
    );
    assert!(cookies.is_empty());
    assert!(req.build().unwrap().headers().is_empty());
    assert_eq!(
        format!("{none:?}"),
        "Client { base_url: \"http://localhost\", .. }"
    );
}

#[test]
fn a_failed_call_resolves_to_its_error_without_sending() {
    let encode = serde_json::from_str::<u32>("x").unwrap_err();
    let mut pending: Pending<u32> = Pending::failed(Error::Encode(encode));
    assert_eq!(format!("{pending:?}"), "Pending { .. }");
    let mut cx = Context::from_waker(Waker::noop());
    match std::pin::Pin::new(&mut pending).poll(&mut cx) {
        Poll::Ready(Err(Error::Encode(_))) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unreachable_server_is_a_request_error() {
    let client: Client<Creds> = Client::builder("http://127.0.0.1:9")
        .timeout(std::time::Duration::from_secs(5))
        .connect_timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    let req = client.http().get(client.base_url());
    let error = block_on(client.send(untraced(), req, Vec::new(), decode_u32)).unwrap_err();
    assert!(matches!(error, Error::Request(_)), "{error:?}");
    assert!(error.to_string().starts_with("request failed: "));
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn errors_say_what_failed() {
    let e = Error::UnexpectedStatus {
        status: 418,
        body: b"teapot".to_vec(),
    };
    assert_eq!(e.to_string(), "undeclared status 418: teapot");
    assert!(std::error::Error::source(&e).is_none());
    let e = decode::<u32>(200, b"\"x\"".to_vec()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("cannot decode the 200 response: "),
        "{e}"
    );
    assert!(std::error::Error::source(&e).is_some());
    let e = Error::Header {
        status: 200,
        name: "X-Rate".into(),
        message: "bad".into(),
        body: Vec::new(),
    };
    assert_eq!(e.to_string(), "the 200 response's header `X-Rate`: bad");
    let e = Error::Encode(serde_json::from_str::<u32>("x").unwrap_err());
    assert!(e
        .to_string()
        .starts_with("cannot encode the request body: "));
}

#[test]
fn bodies_decode_by_media_type_and_keep_the_body_on_error() {
    assert_eq!(decode_text(200, b"hi".to_vec()).unwrap(), "hi");
    match decode_text(200, vec![0xff]) {
        Err(Error::Decode {
            status: 200, body, ..
        }) => assert_eq!(body, [0xff]),
        other => panic!("{other:?}"),
    }
    let fields = [("n", wire::Style::Form, true, wire::Kind::Scalar)];
    let v: std::collections::BTreeMap<String, u32> =
        decode_form(200, b"n=3".to_vec(), &fields).unwrap();
    assert_eq!(v["n"], 3);
    let bad = decode_form::<std::collections::BTreeMap<String, u32>>(201, b"n=x".to_vec(), &fields);
    assert!(
        matches!(bad, Err(Error::Decode { status: 201, .. })),
        "{bad:?}"
    );
    match decode::<u32>(200, b"{".to_vec()) {
        Err(Error::Decode { body, .. }) => assert_eq!(body, b"{"),
        other => panic!("{other:?}"),
    }
    let headers = reqwest::header::HeaderMap::new();
    let no_boundary = decode_multipart::<serde_json::Value>(200, &headers, b"x".to_vec(), &[]);
    assert!(
        matches!(no_boundary, Err(Error::Decode { .. })),
        "{no_boundary:?}"
    );
    assert_eq!(param_value(&[1, 2]), serde_json::json!([1, 2]));
}

#[test]
fn declared_headers_are_read_or_are_errors_that_take_the_body() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-rate", "12".parse().unwrap());
    headers.insert("x-bad", "twelve".parse().unwrap());
    let mut body = b"kept".to_vec();
    let rate: Option<u32> =
        header(&headers, "X-Rate", HeaderForm::Primitive, 200, &mut body).unwrap();
    assert_eq!(rate, Some(12));
    let absent: Option<u32> =
        header(&headers, "X-None", HeaderForm::Primitive, 200, &mut body).unwrap();
    assert_eq!(absent, None);
    assert_eq!(body, b"kept");
    let missing = required_header::<u32>(&headers, "X-None", HeaderForm::Primitive, 200, &mut body);
    match missing {
        Err(Error::Header {
            name,
            message,
            body: taken,
            ..
        }) => {
            assert_eq!(name, "X-None");
            assert!(message.contains("missing"));
            assert_eq!(taken, b"kept");
        }
        other => panic!("{other:?}"),
    }
    let mut body = b"again".to_vec();
    let bad = required_header::<u32>(&headers, "X-Bad", HeaderForm::Primitive, 200, &mut body);
    assert!(matches!(bad, Err(Error::Header { body, .. }) if body == b"again"));
}
