//! The generated client's readers, what every reader reports ([`Checksum`]: count and sums, so the two sides are compared), and the clock of the calling thread's CPU time.

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;

use crate::api::{client, operations};

/// Which endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `GET /chat/completions`: server-sent events ended by `[DONE]`.
    Sse,
    /// `GET /records`: JSON lines.
    Lines,
}

impl Kind {
    /// The endpoint's path.
    pub fn path(self) -> &'static str {
        match self {
            Kind::Sse => "/chat/completions",
            Kind::Lines => "/records",
        }
    }

    /// `sse` or `jsonl`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sse => "sse",
            Kind::Lines => "jsonl",
        }
    }
}

/// What a reader decoded: the items, the sum of their numbers (`created`,
/// `id`) and of one length each (a chunk's content, a record's tags).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checksum {
    pub items: u64,
    pub numbers: i64,
    pub lengths: u64,
}

impl Checksum {
    /// Counts one item.
    pub fn add(&mut self, number: i64, length: usize) {
        self.items += 1;
        self.numbers = self.numbers.wrapping_add(number);
        self.lengths += length as u64;
    }

    /// What `count` items from the benchmark's server sum to.
    pub fn expected(kind: Kind, count: u64) -> Checksum {
        let mut sum = Checksum::default();
        for i in 0..count as i64 {
            match kind {
                Kind::Sse => sum.add(crate::server::CREATED + i, crate::server::CONTENT.len()),
                Kind::Lines => sum.add(i, crate::server::TAGS.len()),
            }
        }
        sum
    }
}

/// The next item of `stream`.
pub async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Reads `count` items of `kind` with the generated client, each decoded into its type.
pub async fn generated(
    client: &client::Client,
    kind: Kind,
    count: i64,
) -> Result<Checksum, String> {
    let mut sum = Checksum::default();
    match kind {
        Kind::Sse => {
            let operations::CompletionsResponse::Ok(mut events) = client
                .completions(&operations::CompletionsParams { count })
                .await
                .map_err(|e| e.to_string())?;
            while let Some(event) = next(&mut events).await {
                let c = event.map_err(|e| e.to_string())?.data;
                let content = c.choices.first().and_then(|c| c.delta.content.as_ref());
                sum.add(c.created, content.map_or(0, String::len));
            }
        }
        Kind::Lines => {
            let operations::RecordsResponse::Ok(mut records) = client
                .records(&operations::RecordsParams { count })
                .await
                .map_err(|e| e.to_string())?;
            while let Some(record) = next(&mut records).await {
                let r = record.map_err(|e| e.to_string())?;
                sum.add(r.id, r.tags.len());
            }
        }
    }
    Ok(sum)
}

/// The CPU time of the calling thread, in seconds.
pub fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return f64::NAN;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}
