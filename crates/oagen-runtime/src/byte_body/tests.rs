//! Tests of `ByteBody`: whole and streamed bodies, files, the read limit.

use super::*;
use std::io::Write;

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

async fn chunks(mut body: ByteBody) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await {
        out.push(chunk.unwrap());
    }
    out
}

#[test]
fn whole_bodies_know_their_length_and_give_one_chunk() {
    let body = ByteBody::from("abc");
    assert_eq!(body.len(), Some(3));
    assert!(!body.is_stream());
    assert_eq!(body.as_bytes(), Some(&b"abc"[..]));
    assert_eq!(block_on(chunks(body)), vec![b"abc".to_vec()]);
    assert!(block_on(chunks(ByteBody::empty())).is_empty());
    assert!(ByteBody::from(Vec::new()).is_empty());
}

#[test]
fn a_stream_is_read_chunk_by_chunk_or_whole() {
    let parts = || Streamed::from_items([b"ab".to_vec(), b"cd".to_vec(), b"e".to_vec()]);
    let body = ByteBody::from_streamed(parts());
    assert!(body.is_stream());
    assert_eq!(body.len(), None);
    assert_eq!(
        block_on(chunks(body)),
        [b"ab".to_vec(), b"cd".to_vec(), b"e".to_vec()]
    );
    assert_eq!(
        block_on(ByteBody::from(parts()).bytes(5)).unwrap(),
        b"abcde"
    );
    let body = ByteBody::from_streamed(parts());
    assert!(body.into_whole().is_err());
}

#[test]
fn the_limit_stops_a_read_as_soon_as_it_is_passed() {
    let over =
        block_on(ByteBody::from_streamed(Streamed::from_items([vec![1; 3], vec![2; 3]])).bytes(4));
    assert!(
        matches!(over, Err(StreamError::TooLarge { limit: 4 })),
        "{over:?}"
    );
    // A declared length over the limit is refused before reading.
    let declared = ByteBody::from_streamed(Streamed::from_items([vec![1; 2]])).with_len(10);
    assert!(matches!(
        block_on(declared.bytes(4)),
        Err(StreamError::TooLarge { .. })
    ));
    assert!(matches!(
        block_on(ByteBody::from(vec![0; 5]).bytes(4)),
        Err(StreamError::TooLarge { .. })
    ));
    assert_eq!(
        block_on(ByteBody::from(vec![0; 4]).bytes(4)).unwrap().len(),
        4
    );
}

#[test]
fn stream_errors_are_transport_errors() {
    let failing = Streamed::<Vec<u8>>::new(Items(
        [
            Ok(b"a".to_vec()),
            Err(StreamError::Truncated {
                partial: Vec::new(),
            }),
        ]
        .into_iter()
        .collect(),
    ));
    let body = ByteBody::from_stream(failing);
    let read = block_on(body.bytes(100));
    assert!(
        matches!(read, Err(StreamError::Transport { .. })),
        "{read:?}"
    );
}

/// Items at hand, as a stream (for errors, which `Streamed::from_items` cannot hold).
struct Items(std::collections::VecDeque<Result<Vec<u8>, StreamError>>);

impl Stream for Items {
    type Item = Result<Vec<u8>, StreamError>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.pop_front())
    }
}

#[test]
fn a_file_is_read_in_chunks_with_its_length() {
    let path = std::env::temp_dir().join(format!("oagen-byte-body-{}", std::process::id()));
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&data)
        .unwrap();
    let body = ByteBody::open(&path).unwrap();
    assert_eq!(body.len(), Some(data.len() as u64));
    assert!(body.is_stream());
    let got = block_on(chunks(body));
    assert!(got.len() >= 4, "read in chunks: {}", got.len());
    assert!(got.iter().all(|c| c.len() <= FILE_CHUNK));
    assert_eq!(got.concat(), data);
    // Dropped before it is read: the reading thread stops.
    drop(ByteBody::open(&path).unwrap());
    std::fs::remove_file(&path).unwrap();
    assert!(ByteBody::open(&path).is_err());
}

#[test]
fn debug_shows_the_kind_and_length_not_the_bytes() {
    let text = format!("{:?}", ByteBody::from("secret"));
    assert_eq!(text, "ByteBody { kind: \"whole\", len: Some(6) }");
}
