//! [`Binary`] (`format: binary`) and the thread-local side table that carries
//! file parts past JSON while a multipart body is encoded or decoded.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Raw bytes for OpenAPI `format: binary`: a file part in multipart bodies,
/// with the file name and media type it was sent with.
///
/// The content is `bytes`, or, for a part the client sends from a file
/// ([`Binary::open`]), the file at `path`, read as the body is sent (never
/// held whole). In JSON (where raw bytes cannot travel) it is a string: the
/// bytes as UTF-8, invalid sequences replaced (a file's content is not read).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Binary {
    /// The content.
    pub bytes: Vec<u8>,
    /// The file name of its part (`Content-Disposition: ...; filename=`).
    pub file_name: Option<String>,
    /// The media type of its part.
    pub content_type: Option<String>,
    /// The file the content is read from when a multipart body is sent,
    /// instead of `bytes` ([`Binary::open`]).
    pub path: Option<std::path::PathBuf>,
}

impl Binary {
    /// Bytes without a file name or media type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Binary {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
            path: None,
        }
    }

    /// The file at `path` (which must exist), read as the multipart body
    /// holding it is sent; its file name is the path's.
    pub fn open(path: impl Into<std::path::PathBuf>) -> std::io::Result<Self> {
        let path = path.into();
        std::fs::metadata(&path)?;
        Ok(Binary {
            bytes: Vec::new(),
            file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            content_type: None,
            path: Some(path),
        })
    }

    /// Sets the file name sent with the part.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the media type sent with the part.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binary")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("path", &self.path)
            .finish()
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary::new(bytes)
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary::new(text.into_bytes())
    }
}

impl From<&str> for Binary {
    fn from(text: &str) -> Self {
        Binary::new(text.as_bytes())
    }
}

std::thread_local! {
    /// The file parts of the multipart body being encoded or decoded on this
    /// thread: while it is set, a [`Binary`] travels through JSON as a
    /// marker that indexes it.
    static FILE_PARTS: std::cell::RefCell<Option<Vec<Binary>>> = const { std::cell::RefCell::new(None) };
}

pub(super) const FILE_MARKER: &str = "\u{0}oagen:file:";

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let marker = FILE_PARTS.with(|parts| {
            parts.borrow_mut().as_mut().map(|parts| {
                parts.push(self.clone());
                format!("{FILE_MARKER}{}", parts.len() - 1)
            })
        });
        match marker {
            Some(marker) => serializer.serialize_str(&marker),
            None => serializer.serialize_str(&String::from_utf8_lossy(&self.bytes)),
        }
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BinaryVisitor)
    }
}

struct BinaryVisitor;

impl<'de> Visitor<'de> for BinaryVisitor {
    type Value = Binary;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or bytes")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Binary, E> {
        if let Some(index) = v
            .strip_prefix(FILE_MARKER)
            .and_then(|i| i.parse::<usize>().ok())
        {
            let taken = FILE_PARTS.with(|parts| {
                parts
                    .borrow_mut()
                    .as_mut()
                    .and_then(|parts| parts.get_mut(index).map(std::mem::take))
            });
            if let Some(binary) = taken {
                return Ok(binary);
            }
        }
        Ok(Binary::new(v.as_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Binary, E> {
        Ok(Binary::new(v))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Binary, A::Error> {
        let mut bytes = Vec::new();
        while let Some(b) = seq.next_element::<u8>()? {
            bytes.push(b);
        }
        Ok(Binary::new(bytes))
    }
}

/// Runs `f` with [`Binary`] values travelling as markers into `parts`.
pub(super) fn with_file_parts<R>(parts: Vec<Binary>, f: impl FnOnce() -> R) -> (R, Vec<Binary>) {
    let previous = FILE_PARTS.with(|cell| cell.replace(Some(parts)));
    let result = f();
    let parts = FILE_PARTS.with(|cell| cell.replace(previous));
    (result, parts.unwrap_or_default())
}
