//! Tests of the stream decoders: events and lines split at every byte, `[DONE]`, items that do not decode in the middle, broken and truncated bodies, and the server's encoding read back.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::sse::{self, Event};
use super::*;

type Chunk = Result<Vec<u8>, std::io::Error>;

/// `text` in chunks of `size` bytes, then `tail` (an error, say).
fn chunks(text: &str, size: usize, tail: Option<Chunk>) -> Items<Chunk> {
    let mut out: VecDeque<Chunk> = text
        .as_bytes()
        .chunks(size.max(1))
        .map(|c| Ok(c.to_vec()))
        .collect();
    out.extend(tail);
    Items(out)
}

/// Every item of `stream` (which never waits).
fn all<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut cx = Context::from_waker(Waker::noop());
    let mut out = Vec::new();
    loop {
        match Pin::new(&mut stream).poll_next(&mut cx) {
            Poll::Ready(Some(item)) => out.push(item),
            Poll::Ready(None) => return out,
            Poll::Pending => panic!("a test stream never waits"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct Delta {
    text: String,
}

const CHAT: &str = "\u{feff}: a comment\r\nevent: delta\r\nid: 1\r\nretry: 3000\r\ndata: {\"text\":\r\ndata: \"hi\"}\r\n\r\ndata:{\"text\":\"there\"}\n\ndata: not json\n\nid: 3\ndata: {\"text\":\"!\"}\r\rdata: [DONE]\n\ndata: {\"text\":\"after the end\"}\n\n";

#[test]
fn events_decode_at_any_chunk_size_and_end_at_done() {
    for size in [1, 2, 3, 7, 64, CHAT.len()] {
        let got = all(events(chunks(CHAT, size, None), json_item::<Delta>));
        assert_eq!(got.len(), 4, "chunks of {size}: {got:?}");
        let first = got[0].as_ref().unwrap();
        assert_eq!(
            *first,
            Event {
                event: Some("delta".into()),
                id: Some("1".into()),
                retry: Some(3000),
                data: Delta { text: "hi".into() },
            },
            "chunks of {size}"
        );
        let second = got[1].as_ref().unwrap();
        assert_eq!(second.event, None);
        // The last event ID carries over.
        assert_eq!(second.id.as_deref(), Some("1"));
        assert_eq!(second.data.text, "there");
        match &got[2] {
            Err(StreamError::Decode { raw, .. }) => assert_eq!(raw, "not json"),
            other => panic!("chunks of {size}: {other:?}"),
        }
        let fourth = got[3].as_ref().unwrap();
        assert_eq!(
            (fourth.id.as_deref(), fourth.data.text.as_str()),
            (Some("3"), "!")
        );
    }
}

#[test]
fn raw_events_keep_their_text() {
    let got = all(events(
        chunks("data: a\ndata: b\n\nevent: x\n\n", 5, None),
        text_item,
    ));
    // An event without data is not dispatched.
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].as_ref().unwrap().data, "a\nb");
}

#[test]
fn a_body_that_ends_inside_an_event_is_truncated() {
    let got = all(events(chunks("data: 1\n\ndata: 2\n", 4, None), text_item));
    assert_eq!(got[0].as_ref().unwrap().data, "1");
    match &got[1] {
        Err(StreamError::Truncated { partial }) => assert_eq!(partial, b"data: 2\n"),
        other => panic!("{other:?}"),
    }
    assert_eq!(got.len(), 2);
}

#[test]
fn a_broken_connection_ends_the_stream_with_what_was_received() {
    let broken = Some(Err(std::io::Error::other("connection reset")));
    let got = all(events(
        chunks("data: 1\n\ndata: 2\ndata: 3", 3, broken),
        text_item,
    ));
    assert_eq!(got.len(), 2);
    match &got[1] {
        Err(e @ StreamError::Transport { partial, .. }) => {
            assert_eq!(partial, b"data: 2\ndata: 3");
            assert!(e.to_string().contains("connection reset"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let broken = Some(Err(std::io::Error::other("gone")));
    let got = all(items(
        chunks("{\"text\":\"a\"}\n{\"te", 4, broken),
        Framing::Lines,
        json_item::<Delta>,
    ));
    assert_eq!(got[0].as_ref().unwrap().text, "a");
    assert!(matches!(&got[1], Err(StreamError::Transport { partial, .. }) if partial == b"{\"te"));
}

#[test]
fn json_lines_go_on_after_a_line_that_does_not_decode() {
    let body = "{\"text\":\"a\"}\r\n\n  \n{\"text\":1}\n{\"text\":\"c\"}";
    for size in [1, 5, body.len()] {
        let got = all(items(
            chunks(body, size, None),
            Framing::Lines,
            json_item::<Delta>,
        ));
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().text, "a");
        assert!(matches!(&got[1], Err(StreamError::Decode { raw, .. }) if raw == "{\"text\":1}"));
        // The last line needs no line end.
        assert_eq!(got[2].as_ref().unwrap().text, "c");
    }
}

#[test]
fn json_text_sequences_split_on_the_record_separator() {
    let body = "\u{1e}{\"text\":\"a\"}\n\u{1e}{\"text\":\"b\"}\n";
    let got = all(items(
        chunks(body, 2, None),
        Framing::Seq,
        json_item::<Delta>,
    ));
    let texts: Vec<_> = got.into_iter().map(|r| r.unwrap().text).collect();
    assert_eq!(texts, ["a", "b"]);
}

#[test]
fn an_endless_item_is_refused_at_the_limit() {
    let body = "x".repeat(MAX_ITEM + 1);
    let got = all(items(
        chunks(&body, 1 << 20, None),
        Framing::Lines,
        text_item,
    ));
    assert!(
        matches!(got.as_slice(), [Err(StreamError::TooLarge { .. })]),
        "{}",
        got.len()
    );
}

#[test]
fn encoded_events_read_back() {
    let mut body = String::from(sse::KEEP_ALIVE);
    body.push_str(&sse::encode(
        Some("up\ndate"),
        Some("7"),
        Some(10),
        "line 1\nline 2\r\n",
    ));
    body.push_str(&sse::encode(None, None, None, ""));
    let got = all(events(chunks(&body, 3, None), text_item));
    assert_eq!(got.len(), 2, "{got:?}");
    let first = got[0].as_ref().unwrap();
    assert_eq!(first.event.as_deref(), Some("update"));
    assert_eq!(first.id.as_deref(), Some("7"));
    assert_eq!(first.retry, Some(10));
    assert_eq!(first.data, "line 1\nline 2\n");
    assert_eq!(got[1].as_ref().unwrap().data, "");
}

#[test]
fn streamed_from_items() {
    let got = all(Streamed::from_items([1, 2, 3]));
    assert_eq!(
        got.into_iter().map(Result::unwrap).collect::<Vec<_>>(),
        [1, 2, 3]
    );
}

#[test]
fn the_buffer_keeps_its_allocation_and_only_the_unfinished_item() {
    // Lines that each end with their chunk (as a server writes them), then
    // one cut in two.
    let mut body: VecDeque<Chunk> = (0..100)
        .map(|i| Ok(format!("{{\"seq\":{i}}}\n").into_bytes()))
        .collect();
    body.push_back(Ok(b"{\"seq\":".to_vec()));
    body.push_back(Ok(b"100}\n".to_vec()));
    let mut decoded = items(Items(body), Framing::Lines, json_item::<serde_json::Value>);
    let mut cx = Context::from_waker(Waker::noop());
    let mut seen = 0;
    while let Poll::Ready(Some(item)) = Pin::new(&mut decoded).poll_next(&mut cx) {
        assert_eq!(item.unwrap()["seq"], seen);
        seen += 1;
        if seen == 100 {
            // The next chunk is read only when the ready items are taken.
            continue;
        }
        // Not reallocated per chunk: the allocation stays while the
        // buffer is emptied.
        assert!(decoded.buffer.capacity() > 0, "after item {seen}");
        assert!(decoded.buffer.is_empty(), "after item {seen}");
    }
    assert_eq!(seen, 101);
    // The item cut in two was kept whole across the chunks, and no more.
    let mut decoded = items(
        Items(VecDeque::from([Chunk::Ok(b"{\"a\":1}\n{\"a\"".to_vec())])),
        Framing::Lines,
        json_item::<serde_json::Value>,
    );
    assert!(matches!(
        Pin::new(&mut decoded).poll_next(&mut cx),
        Poll::Ready(Some(Ok(_)))
    ));
    assert_eq!(decoded.buffer, b"{\"a\"");
}

#[test]
fn invalid_utf8_in_a_line_is_replaced_not_dropped() {
    let body = Items(VecDeque::from([Chunk::Ok(b"ab\xffc\nok\n".to_vec())]));
    let got = all(items(body, Framing::Lines, text_item));
    let got: Vec<String> = got.into_iter().map(Result::unwrap).collect();
    assert_eq!(got, ["ab\u{fffd}c", "ok"]);
}

#[test]
fn a_large_item_does_not_keep_its_allocation() {
    let large = format!("\"{}\"\n", "x".repeat(4 * KEEP));
    let body = Items(VecDeque::from([
        Chunk::Ok(large.into_bytes()),
        Chunk::Ok(b"1\n2".to_vec()),
    ]));
    let mut decoded = items(body, Framing::Lines, json_item::<serde_json::Value>);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..2 {
        assert!(matches!(
            Pin::new(&mut decoded).poll_next(&mut cx),
            Poll::Ready(Some(Ok(_)))
        ));
    }
    assert_eq!(decoded.buffer, b"2");
    assert!(
        decoded.buffer.capacity() <= KEEP,
        "{}",
        decoded.buffer.capacity()
    );
}
