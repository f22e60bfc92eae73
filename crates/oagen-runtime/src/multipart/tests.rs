//! Tests of multipart bodies: encoding, parsing and decoding parts.

use crate::multipart::{self, Field};
use crate::Binary;
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Meta {
    title: String,
    tags: Vec<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Upload {
    file: Binary,
    #[serde(default)]
    attachments: Vec<Binary>,
    count: i32,
    labels: Vec<String>,
    meta: Meta,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[test]
fn multipart_bodies_round_trip_with_files() {
    let body = Upload {
        file: Binary::new(vec![0u8, 159, 146, 150]).with_file_name("a.bin"),
        attachments: vec![
            Binary::new(b"one".to_vec()).with_content_type("text/csv"),
            Binary::new(b"two".to_vec()),
        ],
        count: 3,
        labels: vec!["x".into(), "y".into()],
        meta: Meta {
            title: "T".into(),
            tags: vec!["a".into()],
        },
        note: None,
    };
    let parts = multipart::encode(&body, &[("meta", "application/json")]).unwrap();
    // Parts follow the JSON object's member order, which depends on
    // serde_json's `preserve_order`; compare them by name.
    let mut names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "attachments",
            "attachments",
            "count",
            "file",
            "labels",
            "labels",
            "meta"
        ]
    );
    let part = |name: &str| parts.iter().find(|p| p.name == name).unwrap();
    let file = part("file");
    assert_eq!(file.file_name.as_deref(), Some("a.bin"));
    assert_eq!(
        file.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(file.bytes, vec![0u8, 159, 146, 150]);
    let first = part("attachments");
    assert_eq!(first.content_type.as_deref(), Some("text/csv"));
    assert_eq!(first.file_name.as_deref(), Some("attachments"));
    assert_eq!(part("count").bytes, b"3");
    assert_eq!(
        part("meta").content_type.as_deref(),
        Some("application/json")
    );
    let fields = [
        ("file", Field::File),
        ("attachments", Field::Files),
        ("count", Field::Value),
        ("labels", Field::Values),
        ("meta", Field::Value),
        ("note", Field::Value),
    ];
    let (content_type, bytes) = multipart::to_body(&parts, "multipart/form-data");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parsed = multipart::from_body(&content_type, &bytes).unwrap();
    assert_eq!(parsed, parts);
    assert!(multipart::from_body("multipart/form-data", &bytes).is_err());
    assert!(multipart::from_body(&content_type, &bytes[..bytes.len() / 2]).is_err());
    let back: Upload = multipart::decode(parsed, &fields).unwrap();
    let mut expected = body;
    expected.attachments[0].file_name = Some("attachments".into());
    expected.attachments[1].file_name = Some("attachments".into());
    expected.attachments[1].content_type = Some("application/octet-stream".into());
    expected.file.content_type = Some("application/octet-stream".into());
    assert_eq!(back, expected);
    // Outside a multipart body a Binary is a string.
    assert_eq!(
        serde_json::to_string(&Binary::from("hi")).unwrap(),
        "\"hi\""
    );
    let b: Binary = serde_json::from_str("\"hi\"").unwrap();
    assert_eq!(b.bytes, b"hi");
}

#[test]
fn a_missing_required_part_is_an_error() {
    let parts = vec![multipart::Part {
        name: "count".into(),
        file_name: None,
        content_type: None,
        bytes: b"x".to_vec(),
        path: None,
    }];
    let err = multipart::decode::<Upload>(parts, &[("count", Field::Value)]).unwrap_err();
    assert!(err.contains("invalid value"), "{err}");
}

#[test]
fn a_file_part_is_read_from_its_file_as_the_body_is_sent() {
    let path = std::env::temp_dir().join(format!("oagen-multipart-{}.bin", std::process::id()));
    let data: Vec<u8> = (0..150_000u32).map(|i| (i % 7) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let file = Binary::open(&path)
        .unwrap()
        .with_content_type("application/x-test");
    assert!(file.bytes.is_empty());
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(file.file_name.as_deref(), Some(name.as_str()));
    let body = upload(2, file);
    let parts = multipart::encode(&body, &[]).unwrap();
    let (content_type, streamed) = multipart::to_byte_body(&parts, "multipart/form-data").unwrap();
    assert!(streamed.is_stream());
    let len = streamed.len().unwrap();
    let bytes = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(streamed.bytes(usize::MAX))
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(bytes.len() as u64, len);
    // What the server reads back is the file, whole.
    let back = multipart::from_body(&content_type, &bytes).unwrap();
    let fields = [
        ("count", Field::Value),
        ("file", Field::File),
        ("labels", Field::Values),
    ];
    let decoded: Upload = multipart::decode(back, &fields).unwrap();
    assert_eq!(decoded.count, 2);
    assert_eq!(decoded.file.bytes, data);
    assert_eq!(
        decoded.file.content_type.as_deref(),
        Some("application/x-test")
    );
    // A part held in memory keeps the body whole.
    let parts = multipart::encode(&upload(1, Binary::new(b"x".to_vec())), &[]).unwrap();
    assert!(!multipart::to_byte_body(&parts, "multipart/form-data")
        .unwrap()
        .1
        .is_stream());
    assert!(Binary::open(&path).is_err());
}

/// An upload of `file` with no attachments.
fn upload(count: i32, file: Binary) -> Upload {
    Upload {
        file,
        attachments: Vec::new(),
        count,
        labels: vec!["a".into()],
        meta: Meta {
            title: "m".into(),
            tags: vec!["t".into()],
        },
        note: None,
    }
}

/// `bytes` as a stream of chunks of `size` bytes.
fn chunks(bytes: &[u8], size: usize) -> crate::stream::Streamed<Vec<u8>> {
    crate::stream::Streamed::from_items(bytes.chunks(size).map(<[u8]>::to_vec).collect::<Vec<_>>())
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn a_body_read_as_it_arrives_has_the_parts_of_one_read_whole() {
    let big: Vec<u8> = (0..multipart::SPOOL_OVER as u32 + 100)
        .map(|i| (i % 13) as u8)
        .collect();
    let body = Upload {
        attachments: vec![Binary::new(big.clone()).with_file_name("big.bin")],
        ..upload(
            3,
            Binary::new(b"small\r\n--x".to_vec()).with_file_name("s.txt"),
        )
    };
    let parts = multipart::encode(&body, &[]).unwrap();
    let (content_type, bytes) = multipart::to_body(&parts, "multipart/form-data");
    let whole = multipart::from_body(&content_type, &bytes).unwrap();
    for size in [1, 7, 4096, bytes.len()] {
        let (read, spooled) = block_on(multipart::read_parts(&content_type, chunks(&bytes, size)))
            .ok()
            .unwrap();
        assert_eq!(read.len(), whole.len(), "chunks of {size}");
        for (r, w) in read.iter().zip(&whole) {
            assert_eq!(
                (&r.name, &r.file_name, &r.content_type),
                (&w.name, &w.file_name, &w.content_type)
            );
            match &r.path {
                // The large file part is on disk, not in memory.
                Some(path) => {
                    assert!(r.bytes.is_empty());
                    assert_eq!(std::fs::read(path).unwrap(), w.bytes);
                    assert_eq!(w.bytes, big);
                }
                None => assert_eq!(r.bytes, w.bytes),
            }
        }
        assert_eq!(spooled.len(), 1);
        for path in spooled {
            std::fs::remove_file(path).unwrap();
        }
    }
    // A body cut short is an error that lists what it spooled.
    let cut = &bytes[..bytes.len() - 10];
    let err = block_on(multipart::read_parts(&content_type, chunks(cut, 999)))
        .err()
        .unwrap();
    assert!(err.message.contains("not terminated"), "{}", err.message);
    assert!(!err.too_large);
    for path in err.spooled {
        std::fs::remove_file(path).unwrap();
    }
    let none = block_on(multipart::read_parts(
        "multipart/form-data",
        chunks(&bytes, 10),
    ));
    assert!(none.err().unwrap().message.contains("boundary"));
}

#[test]
fn a_file_that_holds_a_boundary_still_round_trips() {
    // A file whose content is a multipart body made by this module: its
    // boundary lines must not end the part.
    let inner = multipart::encode(&upload(1, Binary::new(b"x".to_vec())), &[]).unwrap();
    let (inner_type, inner_body) = multipart::to_byte_body(&inner, "multipart/form-data").unwrap();
    let data = block_on(inner_body.bytes(usize::MAX)).unwrap();
    assert!(inner_type.contains("boundary="));
    let path =
        std::env::temp_dir().join(format!("oagen-multipart-nested-{}.bin", std::process::id()));
    std::fs::write(&path, &data).unwrap();
    let parts = multipart::encode(&upload(2, Binary::open(&path).unwrap()), &[]).unwrap();
    let (first_type, first) = multipart::to_byte_body(&parts, "multipart/form-data").unwrap();
    let (second_type, _) = multipart::to_byte_body(&parts, "multipart/form-data").unwrap();
    assert_ne!(
        first_type, second_type,
        "a body with a file part gets a fresh boundary"
    );
    assert_ne!(first_type, inner_type);
    let bytes = block_on(first.bytes(usize::MAX)).unwrap();
    std::fs::remove_file(&path).unwrap();
    let back = multipart::from_body(&first_type, &bytes).unwrap();
    let fields = [
        ("count", Field::Value),
        ("file", Field::File),
        ("labels", Field::Values),
    ];
    let decoded: Upload = multipart::decode(back, &fields).unwrap();
    assert_eq!(decoded.count, 2);
    assert_eq!(decoded.file.bytes, data);
}
