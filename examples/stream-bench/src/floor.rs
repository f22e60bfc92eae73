//! The floor: plain `reqwest` reading the body's bytes (`bytes_stream`), events and lines split by hand, each item `serde_json::from_slice`d into a derived struct equivalent to the generated one.

use serde::Deserialize;

use crate::read::{next, Checksum, Kind};

/// `ChatCompletionChunk`, derived.
#[derive(Debug, Deserialize)]
pub struct Chunk {
    pub id: String,
    pub object: String,
    pub created: i64,
    pub model: String,
    pub system_fingerprint: Option<String>,
    pub choices: Vec<Choice>,
}

/// `ChunkChoice`, derived.
#[derive(Debug, Deserialize)]
pub struct Choice {
    pub index: i32,
    pub delta: Delta,
    pub finish_reason: Option<String>,
}

/// `Delta`, derived.
#[derive(Debug, Deserialize)]
pub struct Delta {
    pub role: Option<String>,
    pub content: Option<String>,
}

/// `Record`, derived.
#[derive(Debug, Deserialize)]
pub struct Record {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub score: f64,
    pub active: bool,
    pub tags: Vec<String>,
    pub created_at: String,
    pub address: Option<Address>,
}

/// `Address`, derived.
#[derive(Debug, Deserialize)]
pub struct Address {
    pub street: Option<String>,
    pub city: String,
    pub postcode: Option<String>,
    pub country: String,
}

/// Splits lines out of the chunks as they come, keeping only the unfinished line.
#[derive(Default)]
struct Lines {
    buf: Vec<u8>,
}

impl Lines {
    /// Calls `line` with each whole line of `chunk` (after what was kept), without its `\n` or `\r\n`.
    fn feed(
        &mut self,
        chunk: &[u8],
        mut line: impl FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), String> {
        self.buf.extend_from_slice(chunk);
        let mut start = 0;
        while let Some(n) = self.buf[start..].iter().position(|&b| b == b'\n') {
            let l = &self.buf[start..start + n];
            line(l.strip_suffix(b"\r").unwrap_or(l))?;
            start += n + 1;
        }
        self.buf.drain(..start);
        Ok(())
    }
}

/// Reads `url` with `http`: the checksum of its items and the bytes of its body.
pub async fn read(
    http: &reqwest::Client,
    url: &str,
    kind: Kind,
) -> Result<(Checksum, u64), String> {
    let resp = http.get(url).send().await.map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(format!("{url}: status {}", resp.status()));
    }
    let mut body = Box::pin(resp.bytes_stream());
    let mut lines = Lines::default();
    let mut sum = Checksum::default();
    let mut bytes = 0u64;
    // SSE: the data lines of the event being read, and whether `[DONE]` came.
    let mut data: Vec<u8> = Vec::new();
    let mut done = false;
    while let Some(chunk) = next(&mut body).await {
        let chunk = chunk.map_err(|e| e.to_string())?;
        bytes += chunk.len() as u64;
        lines.feed(&chunk, |line| {
            match kind {
                Kind::Sse if done => {}
                Kind::Sse if line.is_empty() => {
                    if data == b"[DONE]" {
                        done = true;
                    } else if !data.is_empty() {
                        let c: Chunk = serde_json::from_slice(&data).map_err(|e| e.to_string())?;
                        let content = c.choices.first().and_then(|c| c.delta.content.as_ref());
                        sum.add(c.created, content.map_or(0, String::len));
                    }
                    data.clear();
                }
                Kind::Sse => {
                    if let Some(v) = line.strip_prefix(b"data:") {
                        if !data.is_empty() {
                            data.push(b'\n');
                        }
                        data.extend_from_slice(v.strip_prefix(b" ").unwrap_or(v));
                    }
                }
                Kind::Lines if line.iter().all(u8::is_ascii_whitespace) => {}
                Kind::Lines => {
                    let r: Record = serde_json::from_slice(line).map_err(|e| e.to_string())?;
                    sum.add(r.id, r.tags.len());
                }
            }
            Ok(())
        })?;
    }
    if kind == Kind::Sse && !done {
        return Err(format!("{url}: no [DONE] at the end"));
    }
    Ok((sum, bytes))
}
