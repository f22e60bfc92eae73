//! One side of a binary transfer between the generated client and server of the transfer fixture, as its own process (so `cargo xtask bench --transfer` measures each side's peak memory): `serve`, `upload`, `download`, each streamed or buffered.
//!
//! ```text
//! transfer-bench serve <streamed|buffered> <port-file>
//! transfer-bench upload <base-url> <bytes> <streamed|buffered>
//! transfer-bench download <base-url> <bytes> <streamed|buffered>
//! ```
//!
//! The server writes its port to `port-file`, serves one transfer and exits.
//! Streamed, the bytes are produced and consumed chunk by chunk and never
//! held whole; buffered, each side holds the whole body.

use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::task::{Context, Poll};

use oagen_transfer_bench::{client, models, operations, runtime, server};
use runtime::stream::{Stream, StreamError};
use runtime::ByteBody;

/// The size of the chunks a stream is produced in.
const CHUNK: usize = 256 * 1024;

/// `len` bytes of a fixed pattern, produced a chunk at a time.
struct Pattern {
    left: u64,
}

impl Stream for Pattern {
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(CHUNK as u64);
        self.left -= n;
        Poll::Ready(Some(Ok(vec![0xA5; n as usize])))
    }
}

/// A body of `len` bytes: a stream produced as it is sent, or all at hand.
fn body(len: u64, streamed: bool) -> ByteBody {
    if streamed {
        ByteBody::from_streamed(runtime::stream::Streamed::new(Pattern { left: len })).with_len(len)
    } else {
        ByteBody::from(vec![0xA5; len as usize])
    }
}

/// Reads `body` to its end, chunk by chunk (streamed) or whole: its length.
async fn consume(body: ByteBody, streamed: bool) -> Result<u64, StreamError> {
    if !streamed {
        return body.bytes(usize::MAX).await.map(|b| b.len() as u64);
    }
    let mut body = body;
    let mut len = 0;
    while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await {
        len += chunk?.len() as u64;
    }
    Ok(len)
}

/// The server: one transfer, then `done`.
struct Bench {
    streamed: bool,
    done: tokio::sync::Notify,
}

fn received(length: u64, streamed: bool) -> models::Received {
    models::Received {
        length: length as i64,
        digest: String::new(),
        streamed,
        label: None,
        additional_properties: Default::default(),
    }
}

impl server::Api for Bench {
    async fn verify(&self, _: &server::Credential) -> bool {
        false
    }

    async fn upload_raw(
        self: Arc<Self>,
        _: server::Auth,
        body: ByteBody,
    ) -> operations::UploadRawResponse {
        let read = consume(body, self.streamed).await;
        self.done.notify_one();
        match read {
            Ok(len) => operations::UploadRawResponse::Ok(received(len, self.streamed)),
            Err(e) => operations::UploadRawResponse::BadRequest(e.to_string()),
        }
    }

    async fn download_blob(
        self: Arc<Self>,
        _: server::Auth,
        params: operations::DownloadBlobParams,
    ) -> operations::DownloadBlobResponse {
        self.done.notify_one();
        operations::DownloadBlobResponse::Ok {
            body: body(params.size.max(0) as u64, self.streamed),
            headers: operations::DownloadBlobOkHeaders {
                x_digest: String::new(),
            },
        }
    }

    async fn upload_blob(
        self: Arc<Self>,
        _: server::Auth,
        _: operations::UploadBlobParams,
        body: ByteBody,
    ) -> operations::UploadBlobResponse {
        let len = consume(body, self.streamed).await.unwrap_or_default();
        operations::UploadBlobResponse::Ok(received(len, self.streamed))
    }

    async fn put_flaky(
        self: Arc<Self>,
        _: server::Auth,
        _: operations::PutFlakyParams,
        body: ByteBody,
    ) -> operations::PutFlakyResponse {
        let len = consume(body, self.streamed).await.unwrap_or_default();
        operations::PutFlakyResponse::Ok(received(len, self.streamed))
    }

    async fn upload_form(
        self: Arc<Self>,
        _: server::Auth,
        body: models::UploadFormRequest,
    ) -> operations::UploadFormResponse {
        operations::UploadFormResponse::Ok(received(body.file.bytes.len() as u64, false))
    }
}

async fn serve(streamed: bool, port_file: &str) -> Result<(), String> {
    let api = Arc::new(Bench {
        streamed,
        done: tokio::sync::Notify::new(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    // Written whole, then renamed: the reader never sees half of it.
    let partial = format!("{port_file}.partial");
    std::fs::write(&partial, port.to_string()).map_err(|e| e.to_string())?;
    std::fs::rename(&partial, port_file).map_err(|e| e.to_string())?;
    let router = server::router_with_body_limit(Arc::clone(&api), usize::MAX);
    let done = Arc::clone(&api);
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { done.done.notified().await })
        .await
        .map_err(|e| e.to_string())
}

async fn upload(base: &str, len: u64, streamed: bool) -> Result<u64, String> {
    let client = client::Client::new(base).map_err(|e| e.to_string())?;
    match client.upload_raw(body(len, streamed)).await {
        Ok(operations::UploadRawResponse::Ok(r)) => Ok(r.length as u64),
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

async fn download(base: &str, len: u64, streamed: bool) -> Result<u64, String> {
    let client = client::Client::new(base).map_err(|e| e.to_string())?;
    let params = operations::DownloadBlobParams {
        name: "bench".into(),
        size: len as i64,
    };
    let call = if streamed {
        client.download_blob_streamed(&params)
    } else {
        client.download_blob(&params)
    };
    match call.await {
        Ok(operations::DownloadBlobResponse::Ok { body, .. }) => {
            consume(body, streamed).await.map_err(|e| e.to_string())
        }
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

fn mode(arg: Option<&String>) -> Result<bool, String> {
    match arg.map(String::as_str) {
        Some("streamed") => Ok(true),
        Some("buffered") => Ok(false),
        other => Err(format!("streamed or buffered, not {other:?}")),
    }
}

fn bytes(arg: Option<&String>) -> Result<u64, String> {
    arg.and_then(|a| a.parse().ok())
        .ok_or_else(|| format!("a byte count, not {arg:?}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => match (mode(args.get(1)), args.get(2)) {
            (Ok(streamed), Some(file)) => serve(streamed, file).await,
            (Err(e), _) => Err(e),
            (_, None) => Err("serve needs a port file".into()),
        },
        Some(side @ ("upload" | "download")) => {
            let base = args.get(1).cloned().unwrap_or_default();
            match (bytes(args.get(2)), mode(args.get(3))) {
                (Ok(len), Ok(streamed)) => {
                    let moved = if side == "upload" {
                        upload(&base, len, streamed).await
                    } else {
                        download(&base, len, streamed).await
                    };
                    match moved {
                        Ok(n) if n == len => Ok(()),
                        Ok(n) => Err(format!("{n} bytes moved, not {len}")),
                        Err(e) => Err(e),
                    }
                }
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        _ => Err(
            "usage: transfer-bench serve MODE PORT_FILE | upload|download URL BYTES MODE".into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("transfer-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
