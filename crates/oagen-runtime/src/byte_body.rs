//! [`ByteBody`]: a binary body (`application/octet-stream` and other bytes), whole in memory or a stream of chunks (from any stream, or a file read as it is sent), which both halves send and receive without holding it whole.

use std::fmt;
use std::io::Read;
use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use super::stream::{Stream, StreamError, Streamed};

/// The size of the chunks a file is read in.
const FILE_CHUNK: usize = 64 * 1024;

/// How many chunks of a file are read ahead of the one being sent.
const FILE_AHEAD: usize = 4;

/// A binary body: the bytes whole, or a stream of chunks still to come.
///
/// A request or response whose media type is bytes carries one. The client
/// sends a stream as it comes (a request with a stream body is never
/// retried, since it cannot be sent twice), the server hands a handler the
/// upload as it arrives (cut at the body limit) and sends a streamed answer
/// as it is produced. Build one from bytes (`Vec<u8>`, `&[u8]`, `String`,
/// `&str`), from a stream ([`ByteBody::from_stream`]) or from a file
/// ([`ByteBody::open`], [`ByteBody::from_file`]); read it whole with
/// [`ByteBody::bytes`] or chunk by chunk, as a [`Stream`] itself.
///
/// It holds a stream, so it is neither `Clone` nor `PartialEq`.
pub struct ByteBody {
    inner: Inner,
    /// The length in bytes, when known (sent as `Content-Length`).
    len: Option<u64>,
}

enum Inner {
    Whole(Vec<u8>),
    Stream(Pin<Box<dyn Stream<Item = Result<Vec<u8>, StreamError>> + Send>>),
    /// Read and handed out.
    Done,
}

impl ByteBody {
    /// A body of `bytes`, whole.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        ByteBody {
            len: Some(bytes.len() as u64),
            inner: Inner::Whole(bytes),
        }
    }

    /// An empty body.
    pub fn empty() -> Self {
        ByteBody::new(Vec::new())
    }

    /// A body of the chunks of `stream`, of unknown length (see
    /// [`ByteBody::with_len`]). An error of the stream ends the body there
    /// (a client's request fails; the server's response is cut).
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Vec<u8>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        ByteBody {
            inner: Inner::Stream(Box::pin(Chunks(Box::pin(stream)))),
            len: None,
        }
    }

    /// A body of the byte chunks of `stream` (as a streamed response gives them).
    pub fn from_streamed(stream: Streamed<Vec<u8>>) -> Self {
        ByteBody {
            inner: Inner::Stream(Box::pin(stream)),
            len: None,
        }
    }

    /// The contents of the file at `path`, read as they are sent (a chunk of
    /// 64 KiB at a time, a few ahead), with its length.
    pub fn open(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        Ok(ByteBody::from_file(file).with_len(len))
    }

    /// The rest of `file`, read as it is sent, on a thread of its own (so no
    /// task blocks on the disk), of unknown length (see [`ByteBody::with_len`]).
    pub fn from_file(file: std::fs::File) -> Self {
        ByteBody {
            inner: Inner::Stream(Box::pin(FileChunks::start(file))),
            len: None,
        }
    }

    /// The same body, declared `len` bytes long (sent as `Content-Length`,
    /// so that a stream need not be chunked). A stream that turns out
    /// longer or shorter fails as it is sent.
    pub fn with_len(mut self, len: u64) -> Self {
        self.len = Some(len);
        self
    }

    /// The length in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        self.len
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len == Some(0)
    }

    /// Whether the body is a stream (not bytes already at hand).
    pub fn is_stream(&self) -> bool {
        matches!(self.inner, Inner::Stream(_))
    }

    /// The bytes, when the body is whole (None for a stream).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Whole(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The bytes of a whole body; a stream gives `Err(self)` back.
    pub fn into_whole(self) -> Result<Vec<u8>, Self> {
        match self.inner {
            Inner::Whole(bytes) => Ok(bytes),
            Inner::Done => Ok(Vec::new()),
            inner @ Inner::Stream(_) => Err(ByteBody {
                inner,
                len: self.len,
            }),
        }
    }

    /// Reads the whole body, at most `limit` bytes: more is
    /// [`StreamError::TooLarge`], a failed stream its error.
    pub async fn bytes(self, limit: usize) -> Result<Vec<u8>, StreamError> {
        let mut stream = match self.into_whole() {
            Ok(bytes) if bytes.len() > limit => return Err(StreamError::TooLarge { limit }),
            Ok(bytes) => return Ok(bytes),
            Err(stream) => stream,
        };
        if stream.len.is_some_and(|len| len > limit as u64) {
            return Err(StreamError::TooLarge { limit });
        }
        let mut out = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await
        {
            let chunk = chunk?;
            if out.len() + chunk.len() > limit {
                return Err(StreamError::TooLarge { limit });
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// The body's chunks, as a typed stream.
    pub fn into_stream(self) -> Streamed<Vec<u8>> {
        Streamed::new(self)
    }
}

impl Stream for ByteBody {
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.inner {
            Inner::Whole(_) => match std::mem::replace(&mut self.inner, Inner::Done) {
                Inner::Whole(bytes) if !bytes.is_empty() => Poll::Ready(Some(Ok(bytes))),
                _ => Poll::Ready(None),
            },
            Inner::Stream(stream) => stream.as_mut().poll_next(cx),
            Inner::Done => Poll::Ready(None),
        }
    }
}

impl Default for ByteBody {
    fn default() -> Self {
        ByteBody::empty()
    }
}

impl fmt::Debug for ByteBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.inner {
            Inner::Whole(_) => "whole",
            Inner::Stream(_) => "stream",
            Inner::Done => "read",
        };
        f.debug_struct("ByteBody")
            .field("kind", &kind)
            .field("len", &self.len)
            .finish()
    }
}

impl From<Vec<u8>> for ByteBody {
    fn from(bytes: Vec<u8>) -> Self {
        ByteBody::new(bytes)
    }
}

impl From<&Vec<u8>> for ByteBody {
    fn from(bytes: &Vec<u8>) -> Self {
        ByteBody::new(bytes.clone())
    }
}

impl From<&[u8]> for ByteBody {
    fn from(bytes: &[u8]) -> Self {
        ByteBody::new(bytes)
    }
}

impl<const N: usize> From<&[u8; N]> for ByteBody {
    fn from(bytes: &[u8; N]) -> Self {
        ByteBody::new(&bytes[..])
    }
}

impl From<String> for ByteBody {
    fn from(text: String) -> Self {
        ByteBody::new(text.into_bytes())
    }
}

impl From<&str> for ByteBody {
    fn from(text: &str) -> Self {
        ByteBody::new(text.as_bytes())
    }
}

impl From<Streamed<Vec<u8>>> for ByteBody {
    fn from(stream: Streamed<Vec<u8>>) -> Self {
        ByteBody::from_streamed(stream)
    }
}

/// A stream's chunks as owned bytes, its errors as [`StreamError::Transport`].
struct Chunks<S>(Pin<Box<S>>);

impl<S, B, E> Stream for Chunks<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Vec<u8>>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|item| {
            item.map(|chunk| {
                chunk.map(Into::into).map_err(|e| StreamError::Transport {
                    partial: Vec::new(),
                    source: e.into(),
                })
            })
        })
    }
}

/// A file read by a thread of its own, [`FILE_AHEAD`] chunks ahead at most.
struct FileChunks {
    chunks: Receiver<std::io::Result<Vec<u8>>>,
    waker: Arc<Mutex<Option<Waker>>>,
}

impl FileChunks {
    fn start(mut file: std::fs::File) -> Self {
        let (sender, chunks) = mpsc::sync_channel(FILE_AHEAD);
        let waker: Arc<Mutex<Option<Waker>>> = Arc::default();
        let wake = Arc::clone(&waker);
        let wake_reader = move || {
            if let Some(w) = wake.lock().ok().and_then(|w| w.clone()) {
                w.wake();
            }
        };
        let spawned = std::thread::Builder::new()
            .name("oagen-file-body".into())
            .spawn(move || {
                loop {
                    let mut chunk = vec![0; FILE_CHUNK];
                    let read = match file.read(&mut chunk) {
                        Ok(0) => break,
                        Ok(n) => {
                            chunk.truncate(n);
                            Ok(chunk)
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => Err(e),
                    };
                    let failed = read.is_err();
                    // The body was dropped: stop reading.
                    if sender.send(read).is_err() || failed {
                        break;
                    }
                    wake_reader();
                }
                drop(sender);
                wake_reader();
            });
        let chunks = match spawned {
            Ok(_) => chunks,
            Err(e) => {
                // No thread: the body is that error.
                let (sender, chunks) = mpsc::sync_channel(1);
                let _ = sender.send(Err(e));
                chunks
            }
        };
        FileChunks { chunks, waker }
    }
}

impl Stream for FileChunks {
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // The waker is stored before looking, so a chunk sent after the look wakes us.
        if let Ok(mut w) = self.waker.lock() {
            if !w.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *w = Some(cx.waker().clone());
            }
        }
        match self.chunks.try_recv() {
            Ok(Ok(chunk)) => Poll::Ready(Some(Ok(chunk))),
            Ok(Err(e)) => Poll::Ready(Some(Err(StreamError::Transport {
                partial: Vec::new(),
                source: Box::new(e),
            }))),
            Err(TryRecvError::Empty) => Poll::Pending,
            Err(TryRecvError::Disconnected) => Poll::Ready(None),
        }
    }
}

#[cfg(test)]
mod tests;
