//! Values to parameter and form text (the client's half): query pairs,
//! path segments, header text and form bodies in every style.

use super::{delimiter, encode, scalar_text, Style};
use serde_json::Value;

/// Appends the query pairs of parameter `name` holding `value`.
pub fn query_pairs(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    out: &mut Vec<(String, String)>,
) {
    match value {
        Value::Array(items) => match (style, explode) {
            (Style::DeepObject, _) => deep_pairs(name, value, out),
            (_, true) => out.extend(items.iter().map(|v| (name.to_string(), scalar_text(v)))),
            (_, false) => {
                let joined: Vec<String> = items.iter().map(scalar_text).collect();
                out.push((name.to_string(), joined.join(delimiter(style))));
            }
        },
        Value::Object(map) => match (style, explode) {
            (Style::DeepObject, _) => deep_pairs(name, value, out),
            (_, true) => out.extend(map.iter().map(|(k, v)| (k.clone(), scalar_text(v)))),
            (_, false) => {
                let joined: Vec<String> = map
                    .iter()
                    .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
                    .collect();
                out.push((name.to_string(), joined.join(delimiter(style))));
            }
        },
        Value::Null => {}
        scalar => out.push((name.to_string(), scalar_text(scalar))),
    }
}

/// `name[key]=value` pairs, nested objects and arrays with more brackets
/// (array elements by index).
fn deep_pairs(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                deep_pairs(&format!("{name}[{k}]"), v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                deep_pairs(&format!("{name}[{i}]"), v, out);
            }
        }
        Value::Null => {}
        scalar => out.push((name.to_string(), scalar_text(scalar))),
    }
}

/// The text of path parameter `name` holding `value`, percent-encoded,
/// with the `.` or `;name=` prefix of the `label` and `matrix` styles.
pub fn path_text(name: &str, value: &Value, style: Style, explode: bool) -> String {
    // `.` separates the values of the `label` style, so it is escaped there.
    let encode = |text: &str| match style {
        Style::Label => encode(text).replace('.', "%2E"),
        _ => encode(text),
    };
    let parts: Vec<(Option<String>, String)> = match value {
        Value::Array(items) => items
            .iter()
            .map(|v| (None, encode(&scalar_text(v))))
            .collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (Some(encode(k)), encode(&scalar_text(v))))
            .collect(),
        Value::Null => Vec::new(),
        scalar => vec![(None, encode(&scalar_text(scalar)))],
    };
    let is_object = value.is_object();
    let flat = |sep: &str| -> String {
        parts
            .iter()
            .map(|(k, v)| match k {
                Some(k) => format!("{k}{sep}{v}"),
                None => v.clone(),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    match style {
        Style::Label => {
            if explode {
                parts
                    .iter()
                    .map(|(k, v)| match k {
                        Some(k) => format!(".{k}={v}"),
                        None => format!(".{v}"),
                    })
                    .collect()
            } else {
                format!(".{}", flat(","))
            }
        }
        Style::Matrix => {
            let n = encode(name);
            if explode && (is_object || value.is_array()) {
                parts
                    .iter()
                    .map(|(k, v)| match k {
                        Some(k) => format!(";{k}={v}"),
                        None => format!(";{n}={v}"),
                    })
                    .collect()
            } else {
                format!(";{n}={}", flat(","))
            }
        }
        _ => flat(if explode { "=" } else { "," }),
    }
}

/// The text of a header parameter (`simple` style).
pub fn header_text(value: &Value, explode: bool) -> String {
    match value {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                if explode {
                    format!("{k}={}", scalar_text(v))
                } else {
                    format!("{k},{}", scalar_text(v))
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        other => scalar_text(other),
    }
}

/// The pairs of a form body (`application/x-www-form-urlencoded`): each
/// member of the object `value` as a query parameter, with the style
/// named for it in `encodings` (`form`, exploded, when none is named).
pub fn form_pairs(value: &Value, encodings: &[(&str, Style, bool)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let (style, explode) = encodings
                    .iter()
                    .find(|(name, _, _)| name == k)
                    .map(|(_, s, e)| (*s, *e))
                    .unwrap_or((Style::Form, true));
                match (v, style, explode) {
                    // An object in `form` style would lose its name;
                    // nested values are sent with brackets instead.
                    (Value::Object(_), Style::Form, true) => deep_pairs(k, v, &mut out),
                    (Value::Array(items), Style::Form, true)
                        if items.iter().any(|i| i.is_object() || i.is_array()) =>
                    {
                        deep_pairs(k, v, &mut out)
                    }
                    _ => query_pairs(k, v, style, explode, &mut out),
                }
            }
        }
        Value::Null => {}
        other => out.push((String::new(), scalar_text(other))),
    }
    out
}
