//! What the seed tests share: decoding and encoding JSON the way a client or server does, round trips, and refusals (for a missing field, or saying why).

// Each test file uses its own part of this module.
#![allow(dead_code)]

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes from JSON text, the way a client or server reads a body.
pub fn decode<T: DeserializeOwned>(json: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_str(&json.to_string())
}

pub fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("generated types always encode")
}

/// Decodes `json` as `T`, checks that it encodes back to exactly `json`, and
/// returns the decoded value.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: Value) -> T {
    let decoded: T = decode(&json).unwrap();
    assert_eq!(encode(&decoded), json);
    decoded
}

/// `json` does not decode as `T`, for want of the required `field`.
pub fn misses<T: DeserializeOwned>(json: &Value, field: &str) {
    let err = decode::<T>(json)
        .err()
        .unwrap_or_else(|| panic!("{json} decodes without `{field}`"));
    assert!(
        err.to_string()
            .contains(&format!("missing field `{field}`")),
        "{err}"
    );
}

/// `json` does not decode as `T`, with an error that says `expected`.
pub fn refuses<T: DeserializeOwned>(json: &Value, expected: &str) {
    let err = decode::<T>(json)
        .err()
        .unwrap_or_else(|| panic!("{json} decodes"));
    assert!(
        err.to_string().contains(expected),
        "unexpected error: {err}"
    );
}
