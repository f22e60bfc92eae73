//! Binary bodies both ways over loopback, against the generated server of `specs/transfer.yaml`: uploads from a stream and from a file that the server reads as a stream, downloads taken whole or as a stream, multipart file parts sent from a file and spooled by the server, the server's body limit (declared and undeclared 413, by `Content-Length` and chunked), and a streamed upload that is never retried.

mod support;

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use oagen_feature_tests::transfer::{client, models, operations, runtime, server};
use runtime::stream::{Stream, StreamError, Streamed};
use runtime::ByteBody;
use support::serve_router;

/// FNV-1a (64 bits) of `bytes`, in hex, continued from `state`.
fn fnv(state: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(state, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The bytes of a blob of `size` bytes: byte `i` is `i % 251`.
fn blob(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i % 251) as u8).collect()
}

fn digest(bytes: &[u8]) -> String {
    format!("{:016x}", fnv(FNV_START, bytes))
}

/// Reads `body` chunk by chunk: its length, digest and number of chunks.
async fn drain(mut body: ByteBody) -> Result<(usize, String, usize), StreamError> {
    let (mut len, mut hash, mut chunks) = (0, FNV_START, 0);
    while let Some(chunk) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_next(cx)).await
    {
        let chunk = chunk?;
        len += chunk.len();
        hash = fnv(hash, &chunk);
        chunks += 1;
    }
    Ok((len, format!("{hash:016x}"), chunks))
}

fn received(length: usize, digest: String, streamed: bool) -> models::Received {
    serde_json::from_value(serde_json::json!({
        "length": length, "digest": digest, "streamed": streamed,
    }))
    .unwrap()
}

/// The server: counts uploads as they arrive, produces downloads as they are sent.
#[derive(Default)]
struct Store {
    /// Calls of the implementation, by operation.
    calls: Mutex<HashMap<&'static str, u32>>,
    /// The files multipart file parts were spooled to.
    spooled: Mutex<Vec<std::path::PathBuf>>,
}

impl Store {
    fn called(&self, op: &'static str) -> u32 {
        *self.calls.lock().unwrap().entry(op).or_default() += 1;
        self.calls.lock().unwrap()[op]
    }

    fn calls(&self, op: &'static str) -> u32 {
        self.calls.lock().unwrap().get(op).copied().unwrap_or(0)
    }
}

impl server::Api for Store {
    async fn verify(&self, _: &server::Credential) -> bool {
        false
    }

    async fn upload_blob(
        self: Arc<Self>,
        _: server::Auth,
        _: operations::UploadBlobParams,
        body: ByteBody,
    ) -> operations::UploadBlobResponse {
        self.called("uploadBlob");
        let streamed = body.is_stream();
        match drain(body).await {
            Ok((len, digest, _)) => {
                operations::UploadBlobResponse::Ok(received(len, digest, streamed))
            }
            Err(e) => operations::UploadBlobResponse::ContentTooLarge(
                serde_json::from_value(serde_json::json!({"title": format!("handler: {e}")}))
                    .unwrap(),
            ),
        }
    }

    async fn download_blob(
        self: Arc<Self>,
        _: server::Auth,
        params: operations::DownloadBlobParams,
    ) -> operations::DownloadBlobResponse {
        if params.name == "missing" {
            return operations::DownloadBlobResponse::NotFound("no such blob".into());
        }
        let size = params.size as usize;
        let whole = blob(size);
        let x_digest = digest(&whole);
        // Produced in chunks of 64 KiB as it is sent.
        let chunks: Vec<Vec<u8>> = whole.chunks(64 * 1024).map(<[u8]>::to_vec).collect();
        let body = ByteBody::from_streamed(Streamed::from_items(chunks)).with_len(size as u64);
        operations::DownloadBlobResponse::Ok {
            body,
            headers: operations::DownloadBlobOkHeaders { x_digest },
        }
    }

    async fn upload_raw(
        self: Arc<Self>,
        _: server::Auth,
        body: ByteBody,
    ) -> operations::UploadRawResponse {
        self.called("uploadRaw");
        let streamed = body.is_stream();
        match drain(body).await {
            Ok((len, digest, _)) => {
                operations::UploadRawResponse::Ok(received(len, digest, streamed))
            }
            Err(e) => operations::UploadRawResponse::BadRequest(format!("handler: {e}")),
        }
    }

    async fn put_flaky(
        self: Arc<Self>,
        _: server::Auth,
        params: operations::PutFlakyParams,
        body: ByteBody,
    ) -> operations::PutFlakyResponse {
        let _ = params;
        if self.called("putFlaky") == 1 {
            return operations::PutFlakyResponse::ServiceUnavailable {
                headers: operations::PutFlakyServiceUnavailableHeaders {
                    retry_after: Some("0".into()),
                },
            };
        }
        let streamed = body.is_stream();
        let (len, digest, _) = drain(body).await.unwrap();
        operations::PutFlakyResponse::Ok(received(len, digest, streamed))
    }

    async fn upload_form(
        self: Arc<Self>,
        _: server::Auth,
        body: models::UploadFormRequest,
    ) -> operations::UploadFormResponse {
        // A large file part was spooled to a temporary file as it arrived.
        let (bytes, spooled) = match &body.file.path {
            Some(path) => {
                self.spooled.lock().unwrap().push(path.clone());
                (std::fs::read(path).unwrap(), true)
            }
            None => (body.file.bytes.clone(), false),
        };
        let mut r = received(bytes.len(), digest(&bytes), spooled);
        r.label = Some(body.label);
        operations::UploadFormResponse::Ok(r)
    }
}

async fn start(limit: Option<usize>) -> (Arc<Store>, client::Client) {
    let api = Arc::new(Store::default());
    let router = match limit {
        Some(limit) => server::router_with_body_limit(api.clone(), limit),
        None => server::router(api.clone()),
    };
    let base = serve_router(router, "").await;
    (api, client::Client::new(base).unwrap())
}

fn name(name: &str) -> operations::UploadBlobParams {
    operations::UploadBlobParams { name: name.into() }
}

/// `size` bytes of [`blob`] as a stream of `chunk`-byte chunks, of unknown length.
fn chunked(size: usize, chunk: usize) -> ByteBody {
    let chunks: Vec<Vec<u8>> = blob(size).chunks(chunk).map(<[u8]>::to_vec).collect();
    ByteBody::from_streamed(Streamed::from_items(chunks))
}

#[tokio::test]
async fn an_upload_from_a_stream_reaches_the_handler_as_a_stream() {
    let (_, client) = start(None).await;
    let size = 3 * 1024 * 1024 + 17;
    let resp = client
        .upload_blob(&name("a"), chunked(size, 100_000))
        .await
        .unwrap();
    assert_eq!(
        resp,
        operations::UploadBlobResponse::Ok(received(size, digest(&blob(size)), true))
    );
    // Bytes at hand go the same way, and the handler still reads a stream.
    let resp = client.upload_blob(&name("b"), blob(1000)).await.unwrap();
    assert_eq!(
        resp,
        operations::UploadBlobResponse::Ok(received(1000, digest(&blob(1000)), true))
    );
}

#[tokio::test]
async fn an_upload_from_a_file_is_read_as_it_is_sent() {
    let (_, client) = start(None).await;
    let path = std::env::temp_dir().join(format!("oagen-transfer-{}.bin", std::process::id()));
    let size = 2 * 1024 * 1024 + 5;
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&blob(size))
        .unwrap();
    let body = ByteBody::open(&path).unwrap();
    assert_eq!(body.len(), Some(size as u64));
    let resp = client.upload_raw(body).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        resp,
        operations::UploadRawResponse::Ok(received(size, digest(&blob(size)), true))
    );
}

#[tokio::test]
async fn a_download_is_taken_whole_or_as_a_stream() {
    let (_, client) = start(None).await;
    let size = 1024 * 1024 + 3;
    let params = operations::DownloadBlobParams {
        name: "x".into(),
        size: size as i64,
    };
    match client.download_blob(&params).await.unwrap() {
        operations::DownloadBlobResponse::Ok { body, headers } => {
            assert!(!body.is_stream());
            let bytes = body.as_bytes().unwrap();
            assert_eq!(bytes.len(), size);
            assert_eq!(headers.x_digest, digest(bytes));
        }
        other => panic!("{other:?}"),
    }
    match client.download_blob_streamed(&params).await.unwrap() {
        operations::DownloadBlobResponse::Ok { body, headers } => {
            assert!(body.is_stream());
            assert_eq!(body.len(), Some(size as u64));
            let (len, got, chunks) = drain(body).await.unwrap();
            assert_eq!((len, got), (size, headers.x_digest));
            assert!(chunks > 1, "{chunks} chunks");
        }
        other => panic!("{other:?}"),
    }
    // Another response of the operation decodes as before, either way.
    let missing = operations::DownloadBlobParams {
        name: "missing".into(),
        size: 1,
    };
    for resp in [
        client.download_blob(&missing).await.unwrap(),
        client.download_blob_streamed(&missing).await.unwrap(),
    ] {
        assert!(
            matches!(resp, operations::DownloadBlobResponse::NotFound(ref t) if t == "no such blob"),
            "{resp:?}"
        );
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_the_declared_413_by_length_and_chunked() {
    let (api, client) = start(Some(1024)).await;
    // Within the limit.
    let resp = client.upload_blob(&name("a"), blob(1024)).await.unwrap();
    assert!(
        matches!(resp, operations::UploadBlobResponse::Ok(_)),
        "{resp:?}"
    );
    // By `Content-Length`: refused before the implementation is called.
    let resp = client.upload_blob(&name("a"), blob(1025)).await.unwrap();
    match resp {
        operations::UploadBlobResponse::ContentTooLarge(p) => {
            assert_eq!(p.title, "the body is larger than 1024 bytes")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(api.calls("uploadBlob"), 1);
    // Chunked: cut as it passes the limit; the answer is the rejection's,
    // not the implementation's.
    let resp = client
        .upload_blob(&name("a"), chunked(4096, 256))
        .await
        .unwrap();
    match resp {
        operations::UploadBlobResponse::ContentTooLarge(p) => {
            assert_eq!(p.title, "the body is larger than 1024 bytes")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(api.calls("uploadBlob"), 2);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_plain_413_when_none_is_declared() {
    let (api, client) = start(Some(1024)).await;
    for body in [ByteBody::from(blob(2000)), chunked(4096, 256)] {
        match client.upload_raw(body).await {
            Err(client::Error::UnexpectedStatus { status, body }) => {
                assert_eq!(status, 413);
                assert_eq!(body, b"the body is larger than 1024 bytes");
            }
            other => panic!("{other:?}"),
        }
    }
    // The chunked one reached the implementation, whose answer was replaced.
    assert_eq!(api.calls("uploadRaw"), 1);
    // The default limit is far larger.
    let (_, client) = start(None).await;
    let resp = client.upload_raw(blob(2000)).await.unwrap();
    assert!(
        matches!(resp, operations::UploadRawResponse::Ok(_)),
        "{resp:?}"
    );
}

#[tokio::test]
async fn a_streamed_upload_is_never_retried() {
    let policy = || client::RetryPolicy::new().max_attempts(3);
    // Bytes at hand: the PUT is retried after the 503, and succeeds.
    let (api, _) = start(None).await;
    let base = serve_router(server::router(api.clone()), "").await;
    let client = client::Client::builder(base)
        .retry(policy())
        .build()
        .unwrap();
    let key = operations::PutFlakyParams { key: "k".into() };
    let resp = client.put_flaky(&key, blob(10)).await.unwrap();
    assert_eq!(
        resp,
        operations::PutFlakyResponse::Ok(received(10, digest(&blob(10)), true))
    );
    assert_eq!(api.calls("putFlaky"), 2);
    // A stream cannot be sent twice: the 503 is the answer.
    let (api, _) = start(None).await;
    let base = serve_router(server::router(api.clone()), "").await;
    let client = client::Client::builder(base)
        .retry(policy())
        .build()
        .unwrap();
    let resp = client.put_flaky(&key, chunked(10, 3)).await.unwrap();
    assert!(
        matches!(
            resp,
            operations::PutFlakyResponse::ServiceUnavailable { .. }
        ),
        "{resp:?}"
    );
    assert_eq!(api.calls("putFlaky"), 1);
}

#[tokio::test]
async fn a_multipart_upload_keeps_its_file_part_and_typed_field() {
    let (_, client) = start(None).await;
    let body = models::UploadFormRequest {
        label: "report".into(),
        file: runtime::Binary::new(blob(5000)).with_file_name("r.bin"),
        additional_properties: Default::default(),
    };
    let resp = client.upload_form(&body).await.unwrap();
    let mut want = received(5000, digest(&blob(5000)), false);
    want.label = Some("report".into());
    assert_eq!(resp, operations::UploadFormResponse::Ok(want));
}

#[tokio::test]
async fn a_multipart_file_part_is_sent_from_its_file() {
    let (api, client) = start(None).await;
    let path = std::env::temp_dir().join(format!("oagen-transfer-part-{}.bin", std::process::id()));
    let size = 1024 * 1024 + 9;
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&blob(size))
        .unwrap();
    let file = runtime::Binary::open(&path).unwrap();
    assert!(file.bytes.is_empty(), "not read before it is sent");
    let body = models::UploadFormRequest {
        label: "big".into(),
        file,
        additional_properties: Default::default(),
    };
    let resp = client.upload_form(&body).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    // Past 1 MiB, the server spooled the file part to disk as it arrived.
    let mut want = received(size, digest(&blob(size)), true);
    want.label = Some("big".into());
    assert_eq!(resp, operations::UploadFormResponse::Ok(want));
    // The spooled file is gone once the answer is built.
    let spooled = api.spooled.lock().unwrap().clone();
    assert_eq!(spooled.len(), 1);
    assert!(!spooled[0].exists(), "{spooled:?}");
    // A typed field is still checked: an empty label is refused.
    let bad = models::UploadFormRequest {
        label: String::new(),
        file: runtime::Binary::new(b"x".to_vec()),
        additional_properties: Default::default(),
    };
    match client.upload_form(&bad).await {
        Err(client::Error::UnexpectedStatus { status, .. }) => assert_eq!(status, 400),
        other => panic!("{other:?}"),
    }
}
