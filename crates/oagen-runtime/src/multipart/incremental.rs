//! Reading a multipart body as it arrives: parts found chunk by chunk, file parts past [`SPOOL_OVER`] bytes written to a temporary file instead of memory ([`read_parts`]).

use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};

use super::super::stream::{Stream, StreamError};
use super::{find, header_param, part_head, Part};

/// A file part larger than this is spooled to a temporary file.
pub const SPOOL_OVER: usize = 1024 * 1024;

/// The largest head (headers) of a part.
const MAX_HEAD: usize = 64 * 1024;

/// Temporary files told apart within the process.
static SPOOLED: AtomicU64 = AtomicU64::new(0);

/// Where a part's content goes: memory, then a file past [`SPOOL_OVER`].
enum Sink {
    Memory(Vec<u8>),
    File(std::fs::File, PathBuf),
}

/// Why reading failed, with the files spooled so far (to remove).
pub struct ReadError {
    /// What is wrong (the body's fault, or the disk's).
    pub message: String,
    /// Whether the body passed its limit.
    pub too_large: bool,
    /// The files spooled before it failed.
    pub spooled: Vec<PathBuf>,
}

/// The parts of the multipart body `body` (of `Content-Type`
/// `content_type`), read as it arrives: file parts (with a file name) of
/// more than [`SPOOL_OVER`] bytes are written to temporary files, given as
/// the part's `path` and in the list of spooled files (which the caller
/// removes when done).
pub async fn read_parts<S>(
    content_type: &str,
    mut body: S,
) -> Result<(Vec<Part>, Vec<PathBuf>), ReadError>
where
    S: Stream<Item = Result<Vec<u8>, StreamError>> + Unpin,
{
    let mut reader = Reader {
        spooled: Vec::new(),
        parts: Vec::new(),
    };
    let result = reader.run(content_type, &mut body).await;
    match result {
        Ok(()) => Ok((reader.parts, reader.spooled)),
        Err((message, too_large)) => Err(ReadError {
            message,
            too_large,
            spooled: reader.spooled,
        }),
    }
}

struct Reader {
    spooled: Vec<PathBuf>,
    parts: Vec<Part>,
}

impl Reader {
    async fn run<S>(&mut self, content_type: &str, body: &mut S) -> Result<(), (String, bool)>
    where
        S: Stream<Item = Result<Vec<u8>, StreamError>> + Unpin,
    {
        let fail = |m: &str| (m.to_string(), false);
        let boundary = header_param(content_type, "boundary")
            .filter(|b| !b.is_empty())
            .ok_or_else(|| fail("the Content-Type has no multipart boundary"))?;
        let delimiter = format!("--{boundary}").into_bytes();
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let mut buf: Vec<u8> = Vec::new();
        // The first delimiter.
        let mut pos = loop {
            if let Some(i) = find(&buf, &delimiter, 0) {
                break i + delimiter.len();
            }
            let keep = buf.len().saturating_sub(delimiter.len());
            buf.drain(..keep);
            if !more(body, &mut buf).await? {
                return Err(fail("the body has no multipart boundary"));
            }
        };
        loop {
            // After a delimiter: `--` ends the body, else the line ends.
            while buf.len() < pos + 2 {
                if !more(body, &mut buf).await? {
                    return Err(fail("a multipart boundary line is not terminated"));
                }
            }
            if &buf[pos..pos + 2] == b"--" {
                return Ok(());
            }
            let line_end = loop {
                if let Some(i) = find(&buf, b"\r\n", pos) {
                    break i;
                }
                if buf.len() > pos + MAX_HEAD || !more(body, &mut buf).await? {
                    return Err(fail("a multipart boundary line is not terminated"));
                }
            };
            buf.drain(..line_end + 2);
            // The part's head, up to a blank line (none when it has no headers).
            let head_end = loop {
                if buf.starts_with(b"\r\n") {
                    break 0;
                }
                if let Some(i) = find(&buf, b"\r\n\r\n", 0) {
                    break i + 2;
                }
                if buf.len() > MAX_HEAD || !more(body, &mut buf).await? {
                    return Err(fail("a multipart part has no end of headers"));
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
            buf.drain(..head_end + 2);
            let (name, file_name, content_type) = part_head(&head);
            let name = name.ok_or_else(|| fail("a multipart part has no name"))?;
            let spools = file_name.is_some();
            let mut sink = Sink::Memory(Vec::new());
            // The content, up to CRLF and the delimiter.
            let end = loop {
                if let Some(i) = find(&buf, &closing, 0) {
                    break i;
                }
                // What cannot be the start of the delimiter is content.
                let safe = buf.len().saturating_sub(closing.len());
                self.write(&mut sink, &buf[..safe], spools)?;
                buf.drain(..safe);
                if !more(body, &mut buf).await? {
                    return Err(fail("a multipart part is not terminated"));
                }
            };
            self.write(&mut sink, &buf[..end], spools)?;
            buf.drain(..end + 2);
            pos = delimiter.len();
            let (bytes, path) = match sink {
                Sink::Memory(bytes) => (bytes, None),
                Sink::File(mut file, path) => {
                    file.flush()
                        .map_err(|e| fail(&format!("cannot spool a part: {e}")))?;
                    (Vec::new(), Some(path))
                }
            };
            self.parts.push(Part {
                name,
                file_name,
                content_type,
                bytes,
                path,
            });
        }
    }

    /// Writes `bytes` of a part to `sink`, moving a file part past
    /// [`SPOOL_OVER`] bytes to a temporary file.
    fn write(&mut self, sink: &mut Sink, bytes: &[u8], spools: bool) -> Result<(), (String, bool)> {
        let fail = |e: std::io::Error| (format!("cannot spool a part: {e}"), false);
        if let Sink::Memory(held) = sink {
            if !spools || held.len() + bytes.len() <= SPOOL_OVER {
                held.extend_from_slice(bytes);
                return Ok(());
            }
            let n = SPOOLED.fetch_add(1, Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("oagen-upload-{}-{n}", std::process::id()));
            let mut file = std::fs::File::create(&path).map_err(fail)?;
            self.spooled.push(path.clone());
            file.write_all(held).map_err(fail)?;
            *sink = Sink::File(file, path);
        }
        if let Sink::File(file, _) = sink {
            file.write_all(bytes).map_err(fail)?;
        }
        Ok(())
    }
}

/// Appends the next chunk of `body` to `buf`; false at its end.
async fn more<S>(body: &mut S, buf: &mut Vec<u8>) -> Result<bool, (String, bool)>
where
    S: Stream<Item = Result<Vec<u8>, StreamError>> + Unpin,
{
    match std::future::poll_fn(|cx| Pin::new(&mut *body).poll_next(cx)).await {
        Some(Ok(chunk)) => {
            buf.extend_from_slice(&chunk);
            Ok(true)
        }
        Some(Err(StreamError::TooLarge { limit })) => {
            Err((format!("the body is larger than {limit} bytes"), true))
        }
        Some(Err(e)) => Err((format!("cannot read the body: {e}"), false)),
        None => Ok(false),
    }
}
