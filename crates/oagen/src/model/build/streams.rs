//! Streamed responses: the shape of one item of an event stream, JSON lines or a JSON text sequence, from the schema the spec gives the body.

use super::Builder;
use crate::diag::join;
use crate::model::{MediaKind, Shape, Ty, TypeKind};

/// The fields of an event of `text/event-stream`.
const EVENT_FIELDS: [&str; 4] = ["data", "event", "id", "retry"];

impl Builder<'_> {
    /// The shape of one item of a streamed body of `kind` whose schema has
    /// `shape`. For an event stream the item is the events' data: a schema
    /// that describes the whole event (an object of `data` and the other
    /// event fields) gives its `data`'s shape, any other schema is the
    /// data's; text data is raw, unless it is JSON text of a `contentSchema`
    /// (`load/event_data.rs`), which is then the item. For lines and
    /// records, an array schema gives its items' shape, any other schema is
    /// one item's.
    pub(super) fn stream_item(&mut self, kind: MediaKind, shape: Option<&Shape>) -> Option<Shape> {
        let shape = shape?;
        match kind {
            MediaKind::EventStream => {
                if let Some(decoded) = self.event_json_data(shape) {
                    return Some(decoded);
                }
                let data = self.event_data(shape).unwrap_or(shape);
                (!matches!(data.ty, Ty::String | Ty::Any)).then(|| data.clone())
            }
            MediaKind::JsonLines | MediaKind::JsonSeq => match &shape.ty {
                Ty::Array(item) => Some((**item).clone()),
                _ => Some(shape.clone()),
            },
            _ => None,
        }
    }

    /// The shape of the `contentSchema` of the `data` field when `shape` is
    /// an object of event fields whose data is marked JSON text of it.
    fn event_json_data(&mut self, shape: &Shape) -> Option<Shape> {
        self.event_data(shape)?;
        let Ty::Named(id) = &shape.ty else {
            return None;
        };
        let def = self.types.get(id.0)?.as_ref()?;
        let data = join(&join(&def.pointer, "properties"), "data");
        let target = crate::load::resolve_pointer(self.raw, &data)?
            .get(crate::load::event_data::MARK)?
            .as_str()?
            .to_string();
        // A reference is followed from where it stands; an inline schema is
        // built at its pointer.
        let reference = match crate::load::resolve_pointer(self.raw, &target)?.get("$ref") {
            Some(serde_json::Value::String(r)) => r.clone(),
            _ => super::resolve::event_data_ref(&target),
        };
        self.resolve_ref(&reference, &target).map(|r| r.shape)
    }

    /// The `data` field's shape when `shape` is an object of event fields.
    fn event_data<'s>(&'s self, shape: &'s Shape) -> Option<&'s Shape> {
        let Ty::Named(id) = &shape.ty else {
            return None;
        };
        let def = self.types.get(id.0)?.as_ref()?;
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let only_event_fields = s
            .fields
            .iter()
            .all(|f| EVENT_FIELDS.contains(&f.name.as_str()));
        let data = s.fields.iter().find(|f| f.name == "data")?;
        only_event_fields.then_some(&data.shape)
    }
}
