//! Tests of [`Base64`]: RFC 4648's test vectors both ways, and rejected text.

use crate::Base64;

#[test]
fn rfc_4648_vectors_round_trip() {
    for (plain, text) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        let b = Base64::new(plain.as_bytes());
        assert_eq!(b.encode(), text);
        assert_eq!(Base64::decode(text), Some(b.clone()));
        assert_eq!(Base64::decode(text.trim_end_matches('=')), Some(b));
    }
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(
        Base64::decode(&Base64::new(all.clone()).encode())
            .unwrap()
            .0,
        all
    );
}

#[test]
fn text_that_is_not_base64_is_rejected() {
    for bad in ["Zg=", "Z", "Zm9v!", "Zm 9v", "Zh==", "Zm9=v", "===="] {
        assert_eq!(Base64::decode(bad), None, "{bad}");
    }
    assert!(serde_json::from_value::<Base64>(serde_json::json!("@@")).is_err());
    let b: Base64 = serde_json::from_value(serde_json::json!("aGk=")).unwrap();
    assert_eq!(&b[..], b"hi");
    assert_eq!(serde_json::to_value(&b).unwrap(), serde_json::json!("aGk="));
}
