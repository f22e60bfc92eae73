//! What a generated crate's `tests/examples.rs` calls: [`check`] (an example that fits its schema decodes and encodes back without losing data) and [`reject`] (one that does not fit fails to decode), each recording its outcome when `OAGEN_EXAMPLES_OUT` is set.
//!
//! The functions are generic, so a crate that does not call them (its library
//! build) compiles no code for them.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::json_is_subset;

/// Decodes `original` as `T` and encodes the result again.
fn round_trip<T>(original: &Value) -> Result<(T, Value), String>
where
    T: DeserializeOwned + Serialize,
{
    let decoded: T = serde_json::from_value(original.clone())
        .map_err(|e| format!("the example does not decode: {e}"))?;
    let encoded = serde_json::to_value(&decoded)
        .map_err(|e| format!("the decoded example does not encode: {e}"))?;
    Ok((decoded, encoded))
}

/// With `OAGEN_EXAMPLES_OUT` set, appends one JSON line with the example's
/// outcome to that file (`cargo xtask corpus --compile` judges these lines
/// with an independent JSON Schema validator).
fn record<T>(
    pointer: &str,
    schema_pointer: &str,
    verdict: &str,
    outcome: &Result<(T, Value), String>,
) {
    let Some(path) = std::env::var_os("OAGEN_EXAMPLES_OUT") else {
        return;
    };
    let line = outcome_line(pointer, schema_pointer, verdict, outcome);
    // One write of a whole line to a file opened for appending: lines of
    // tests running on other threads do not interleave.
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes()));
    if let Err(e) = written {
        panic!(
            "{pointer}: cannot append to {}: {e}",
            path.to_string_lossy()
        );
    }
}

/// The JSON line [`record`] writes.
fn outcome_line<T>(
    pointer: &str,
    schema_pointer: &str,
    verdict: &str,
    outcome: &Result<(T, Value), String>,
) -> Value {
    let (error, encoded) = match outcome {
        Ok((_, encoded)) => (Value::Null, encoded.clone()),
        Err(e) => (Value::String(e.clone()), Value::Null),
    };
    serde_json::json!({
        "pointer": pointer,
        "schema_pointer": schema_pointer,
        "verdict": verdict,
        "decoded": outcome.is_ok(),
        "error": error,
        "encoded": encoded,
    })
}

/// Decodes `json` (the example at `pointer`, whose schema is at
/// `schema_pointer`, judged `verdict`) as `T`, encodes it again and checks
/// that nothing was lost; panics otherwise.
pub fn check<T>(pointer: &str, schema_pointer: &str, verdict: &str, json: &str)
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let original: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => panic!("{pointer}: the example is not JSON: {e}"),
    };
    let outcome = round_trip::<T>(&original);
    record(pointer, schema_pointer, verdict, &outcome);
    let (decoded, encoded) = match outcome {
        Ok(v) => v,
        Err(e) => panic!("{pointer}: {e}"),
    };
    if let Err(e) = json_is_subset(&original, &encoded) {
        panic!("{pointer}: re-encoding lost data: {e}\nencoded: {encoded}");
    }
    let again: T = match serde_json::from_value(encoded) {
        Ok(v) => v,
        Err(e) => panic!("{pointer}: the re-encoded example does not decode: {e}"),
    };
    assert_eq!(
        decoded, again,
        "{pointer}: decode(encode(x)) differs from x"
    );
}

/// Checks that `json`, which breaks its schema (`reason`), does not decode as
/// `T`; panics when it does.
pub fn reject<T>(pointer: &str, schema_pointer: &str, json: &str, reason: &str)
where
    T: DeserializeOwned + Serialize + std::fmt::Debug,
{
    let original: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => panic!("{pointer}: the example is not JSON: {e}"),
    };
    let outcome = round_trip::<T>(&original);
    record(pointer, schema_pointer, "breaks-structure", &outcome);
    match outcome {
        Ok((v, _)) => {
            panic!("{pointer}: the example breaks its schema ({reason}) but decoded as {v:?}")
        }
        Err(e) => eprintln!("{pointer}: rejected as expected ({reason}): {e}"),
    }
}

#[cfg(test)]
mod tests;
