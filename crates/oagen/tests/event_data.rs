//! Server-sent events whose `data` is JSON text of a `contentSchema`: the stream's item is that schema's type (3.1 whole-event schemas and 3.2 `itemSchema`), without a warning; a `contentSchema` elsewhere stays text, with one.

use std::path::Path;

use oagen::model::Ty;

const SPEC: &str = r##"
openapi: 3.2.0
info: { title: t, version: "1" }
paths:
  /a:
    get:
      operationId: a
      responses:
        "200":
          description: events of notes, described whole by a component
          content:
            text/event-stream:
              schema: { $ref: "#/components/schemas/NoteEvent" }
  /b:
    get:
      operationId: b
      responses:
        "200":
          description: 3.2's itemSchema, the data an inline schema
          content:
            text/event-stream:
              itemSchema:
                type: object
                properties:
                  event: { type: string }
                  data:
                    type: string
                    contentMediaType: application/json
                    contentSchema:
                      type: object
                      required: [n]
                      properties: { n: { type: [integer, "null"] } }
  /c:
    get:
      operationId: c
      responses:
        "200":
          description: JSON whose property holds JSON text
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Envelope" }
components:
  schemas:
    NoteEvent:
      type: object
      properties:
        id: { type: string }
        data:
          type: string
          contentMediaType: application/json
          contentSchema: { $ref: "#/components/schemas/Note" }
    Note:
      type: object
      properties: { title: { type: string } }
    Envelope:
      type: object
      properties:
        data:
          type: string
          contentMediaType: application/json
          contentSchema: { $ref: "#/components/schemas/Note" }
"##;

fn analysis() -> oagen::Analysis {
    let spec = oagen::load::load_str(Path::new("events.yaml"), SPEC).expect("loads");
    oagen::analyze_loaded(&spec).expect("builds")
}

fn item_type(analysis: &oagen::Analysis, op: &str) -> String {
    let op = analysis.api.operations.iter().find(|o| o.id == op).unwrap();
    let content = &op.responses[0].contents[0];
    match &content.item.as_ref().expect("a typed item").ty {
        Ty::Named(id) => analysis.api.types[id.0].name.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_json_data_of_events_is_the_stream_item() {
    let analysis = analysis();
    assert_eq!(item_type(&analysis, "a"), "Note");
    // The inline content schema gets a type of its own.
    let b = item_type(&analysis, "b");
    assert_ne!(b, "Note");
    let id = analysis.api.types.iter().position(|t| t.name == b).unwrap();
    let oagen::model::TypeKind::Struct(s) = &analysis.api.types[id].kind else {
        panic!("{:?}", analysis.api.types[id].kind)
    };
    assert_eq!(s.fields[0].name, "n");
    assert!(
        s.fields[0].shape.nullable,
        "the content schema is normalised (3.1 type arrays)"
    );
}

#[test]
fn only_a_content_schema_outside_event_data_is_warned_about() {
    let analysis = analysis();
    let warned: Vec<&str> = analysis
        .warnings
        .iter()
        .filter(|w| w.message.contains("contentSchema"))
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        warned,
        ["/components/schemas/Envelope/properties/data/contentSchema"]
    );
    // There, the property stays text.
    let envelope = analysis
        .api
        .types
        .iter()
        .find(|t| t.name == "Envelope")
        .unwrap();
    let oagen::model::TypeKind::Struct(s) = &envelope.kind else {
        panic!()
    };
    assert_eq!(s.fields[0].shape.ty, Ty::String);
}
