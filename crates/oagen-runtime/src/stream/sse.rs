//! Server-sent events (`text/event-stream`, as the HTML standard parses them): [`Event`], the line-by-line [`Builder`] a decoder feeds, and [`encode`], an event as the server writes it.

use std::fmt::Write as _;

/// One event of a `text/event-stream`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event type (`event:`); `None` for the default, `message`.
    pub event: Option<String>,
    /// The last event ID (`id:`) seen so far in the stream, if any.
    pub id: Option<String>,
    /// The reconnection time the server asked for (`retry:`), in milliseconds.
    pub retry: Option<u64>,
    /// The data (`data:` lines joined by `\n`), decoded.
    pub data: T,
}

impl<T> Event<T> {
    /// An event with only `data`.
    pub fn new(data: T) -> Self {
        Event {
            event: None,
            id: None,
            retry: None,
            data,
        }
    }
}

/// An event's fields as received, its data not decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    /// `event:`.
    pub event: Option<String>,
    /// The last `id:`.
    pub id: Option<String>,
    /// `retry:`, in milliseconds.
    pub retry: Option<u64>,
    /// The `data:` lines joined by `\n`.
    pub data: String,
}

/// Builds events from lines, as the standard says: `field: value` lines
/// (one space after the colon is dropped), comments (`:`), and a blank line
/// that dispatches the event when it has data.
#[derive(Debug, Default)]
pub struct Builder {
    data: Option<String>,
    event: Option<String>,
    retry: Option<u64>,
    last_id: Option<String>,
    /// The lines of the event being built, as received.
    seen: Vec<u8>,
    started: bool,
}

impl Builder {
    /// Takes one line (without its end); the event, when the line ends one.
    pub fn line(&mut self, line: &str) -> Option<Fields> {
        // A byte order mark may start the stream.
        let line = if self.started {
            line
        } else {
            self.started = true;
            line.strip_prefix('\u{feff}').unwrap_or(line)
        };
        if line.is_empty() {
            self.seen.clear();
            let event = self.event.take();
            let retry = self.retry.take();
            let data = self.data.take()?;
            return Some(Fields {
                event,
                id: self.last_id.clone(),
                retry,
                data,
            });
        }
        self.seen.extend_from_slice(line.as_bytes());
        self.seen.push(b'\n');
        let (field, value) = match line.find(':') {
            Some(0) => return None,
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "event" => self.event = Some(value.to_string()),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
        None
    }

    /// The lines of the event being built, as received.
    pub fn partial(&self) -> Vec<u8> {
        self.seen.clone()
    }

    /// How many bytes of the event being built are held.
    pub fn size(&self) -> usize {
        self.seen.len()
    }
}

/// `event` as a server writes it: its fields, `data` split into one
/// `data:` line per line of `data`, and the blank line that ends it.
pub fn encode(event: Option<&str>, id: Option<&str>, retry: Option<u64>, data: &str) -> String {
    let mut out = String::new();
    // Line breaks cannot be sent inside a field: they are dropped.
    let clean = |s: &str| s.replace(['\r', '\n'], "");
    if let Some(event) = event {
        let _ = writeln!(out, "event: {}", clean(event));
    }
    if let Some(id) = id {
        let _ = writeln!(out, "id: {}", clean(id).replace('\0', ""));
    }
    if let Some(retry) = retry {
        let _ = writeln!(out, "retry: {retry}");
    }
    for line in data.split("\r\n").flat_map(|l| l.split(['\n', '\r'])) {
        let _ = writeln!(out, "data: {line}");
    }
    out.push('\n');
    out
}

/// A comment line, which keeps an idle connection open.
pub const KEEP_ALIVE: &str = ":\n\n";
