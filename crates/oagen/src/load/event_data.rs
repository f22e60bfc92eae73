//! Server-sent events whose `data` is JSON text of a schema (`contentMediaType: application/json` with `contentSchema`): the `data` property is marked with its `contentSchema`'s pointer, which the model decodes each event's data into.
//!
//! JSON Schema 2020-12 describes text that holds another document with
//! `contentMediaType` and `contentSchema`. On a string in general that stays
//! text (the keyword is warned about: nothing checks the decoded content).
//! The `data` of a server-sent event is always text on the wire, and a spec
//! that describes whole events (an object of `event`, `id`, `retry` and
//! `data`, as a `text/event-stream` body's `schema` or 3.2's `itemSchema`)
//! says with these keywords what each event's data decodes to. Such a `data`
//! property is marked here, before the schemas are normalised, with
//! [`MARK`]: the pointer of its `contentSchema` (which `normalize` then
//! normalises like any schema). The model reads the mark where it builds a
//! stream's item (`model/build/streams.rs`).

use serde_json::Value;

use crate::diag::join;

/// On an event schema's `data` property: the JSON pointer of its `contentSchema`.
pub const MARK: &str = "x-oagen-event-data";

/// References followed from a media type's schema to the event schema.
const MAX_HOPS: usize = 8;

/// Marks the `data` property of every event schema of a `text/event-stream`
/// media type (anywhere in `doc`: responses, request bodies, webhooks,
/// callbacks) whose `contentMediaType` is JSON and which has a `contentSchema`.
pub fn mark(doc: &mut Value) {
    let mut media_schemas = Vec::new();
    find_event_media(doc, "", &mut media_schemas);
    let mut data_pointers: Vec<String> = media_schemas
        .iter()
        .filter_map(|p| event_schema(doc, p))
        .map(|event| join(&join(&event, "properties"), "data"))
        .collect();
    data_pointers.sort();
    data_pointers.dedup();
    for data in data_pointers {
        let Some(obj) = doc.pointer_mut(&data).and_then(Value::as_object_mut) else {
            continue;
        };
        let json = obj
            .get("contentMediaType")
            .and_then(Value::as_str)
            .is_some_and(is_json);
        if json && obj.get("contentSchema").is_some_and(Value::is_object) {
            obj.insert(MARK.into(), Value::String(join(&data, "contentSchema")));
        }
    }
}

/// Whether a media type is JSON (`application/json`, `*/*+json`).
fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a media type is `text/event-stream` (parameters aside).
fn is_event_stream(media: &str) -> bool {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("text/event-stream")
}

/// The pointers of the `schema` and `itemSchema` of every `text/event-stream`
/// entry of a `content` map under `v` (at `ptr`).
fn find_event_media(v: &Value, ptr: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let at = join(ptr, k);
                if k == "content" {
                    if let Some(content) = child.as_object() {
                        for (media, mt) in content {
                            if !is_event_stream(media) {
                                continue;
                            }
                            for key in ["schema", "itemSchema"] {
                                if mt.get(key).is_some() {
                                    out.push(join(&join(&at, media), key));
                                }
                            }
                        }
                    }
                }
                find_event_media(child, &at, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                find_event_media(child, &join(ptr, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

/// The pointer of the object schema at `ptr`, local `$ref`s followed, when
/// it has a `data` property.
fn event_schema(doc: &Value, ptr: &str) -> Option<String> {
    let mut ptr = ptr.to_string();
    for _ in 0..=MAX_HOPS {
        let v = doc.pointer(&ptr)?;
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => ptr = super::percent_decode(super::local_pointer(r)?),
            None => {
                return v
                    .get("properties")
                    .and_then(|p| p.get("data"))
                    .is_some()
                    .then_some(ptr);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_data_of_event_schemas_is_marked_through_references() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {
                "text/event-stream; charset=utf-8": {"schema": {"$ref": "#/components/schemas/Ev"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/Plain"}}
            }}}}}},
            "components": {"schemas": {
                "Ev": {"type": "object", "properties": {"event": {"type": "string"}, "data": {
                    "type": "string", "contentMediaType": "application/json",
                    "contentSchema": {"$ref": "#/components/schemas/Note"}}}},
                "Plain": {"type": "object", "properties": {"data": {
                    "type": "string", "contentMediaType": "application/json",
                    "contentSchema": {"type": "object"}}}},
                "Note": {"type": "object"}
            }}
        });
        mark(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["Ev"]["properties"]["data"][MARK],
            json!("/components/schemas/Ev/properties/data/contentSchema")
        );
        // Not an event stream's schema: a string that holds JSON stays text.
        assert!(doc["components"]["schemas"]["Plain"]["properties"]["data"]
            .get(MARK)
            .is_none());
    }

    #[test]
    fn only_json_data_with_a_content_schema_is_marked() {
        let event = |data: Value| {
            json!({"webhooks": {"w": {"post": {"requestBody": {"content": {"text/event-stream": {
                "itemSchema": {"type": "object", "properties": {"data": data}}}}}}}}})
        };
        let ptr =
            "/webhooks/w/post/requestBody/content/text~1event-stream/itemSchema/properties/data";
        let mut doc = event(
            json!({"type": "string", "contentMediaType": "application/vnd.x+json", "contentSchema": {}}),
        );
        mark(&mut doc);
        assert_eq!(
            doc.pointer(ptr).unwrap()[MARK],
            json!(format!("{ptr}/contentSchema"))
        );
        for data in [
            json!({"type": "string", "contentMediaType": "text/plain", "contentSchema": {}}),
            json!({"type": "string", "contentSchema": {}}),
            json!({"type": "string", "contentMediaType": "application/json"}),
        ] {
            let mut doc = event(data);
            mark(&mut doc);
            assert!(doc.pointer(ptr).unwrap().get(MARK).is_none());
        }
    }
}
