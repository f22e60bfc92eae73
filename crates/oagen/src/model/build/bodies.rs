//! Bodies: request bodies, and each body's media types with their encodings.

use indexmap::IndexMap;
use openapiv3::MediaType;

use super::Builder;
use crate::diag::join;
use crate::load::resolve_pointer;
use crate::model::naming::{self, Namer};
use crate::model::{same_carrier, Content, Encoding, MediaKind, RequestBody, Style};

impl<'a> Builder<'a> {
    /// An operation's request body (a reference followed), one content per media
    /// type; a choice enum is named when the media types carry different values.
    pub(super) fn request_body(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        stem: &str,
    ) -> Option<RequestBody> {
        op.request_body.as_ref().and_then(|rb| {
            let at = join(pointer, "requestBody");
            let (rb, rptr) = self.resolve_component(
                rb,
                &at,
                "requestBodies",
                |c| &c.request_bodies,
                |e| &e.request_bodies,
            )?;
            let contents = self.contents(
                &rb.content,
                &join(&rptr, "content"),
                &format!("{stem}Request"),
                false,
            );
            let choice_type =
                (!same_carrier(&contents)).then(|| self.names.claim(&format!("{stem}RequestBody")));
            Some(RequestBody {
                required: rb.required,
                docs: crate::emit::docs::doc_text(None, rb.description.as_deref()),
                contents,
                choice_type,
            })
        })
    }

    pub(super) fn contents(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        ptr: &str,
        name: &str,
        response: bool,
    ) -> Vec<Content> {
        let mut out = Vec::new();
        let mut first = true;
        let mut variants = Namer::new();
        for (media, mt) in content {
            let mptr = join(ptr, media);
            // Only responses stream (a request's event stream is text).
            let kind = if response {
                MediaKind::of_response(media)
            } else {
                MediaKind::of(media)
            };
            let variant = variants.claim(&naming::media_variant(media));
            let encoding = mt
                .encoding
                .iter()
                .map(|(name, e)| {
                    let style = match e.style {
                        Some(openapiv3::QueryStyle::DeepObject) => Style::DeepObject,
                        Some(openapiv3::QueryStyle::SpaceDelimited) => Style::SpaceDelimited,
                        Some(openapiv3::QueryStyle::PipeDelimited) => Style::PipeDelimited,
                        Some(openapiv3::QueryStyle::Form) | None => Style::Form,
                    };
                    // The typed document reads an absent `explode` as false;
                    // the spec's default is true for `form`.
                    let explode_ptr = join(&join(&join(&mptr, "encoding"), name), "explode");
                    let explode = match resolve_pointer(self.raw, &explode_ptr) {
                        Some(serde_json::Value::Bool(b)) => *b,
                        _ => style == Style::Form,
                    };
                    Encoding {
                        name: name.clone(),
                        style,
                        explode,
                        content_type: e.content_type.clone(),
                    }
                })
                .collect();
            let candidates = if first {
                vec![name.to_string()]
            } else {
                vec![
                    name.to_string(),
                    format!("{name}{}", naming::type_name(media, "Media")),
                ]
            };
            first = false;
            let shape = mt
                .schema
                .as_ref()
                .map(|s| self.shape_of_ref(s, &join(&mptr, "schema"), &candidates).0);
            // Examples of other media types are in their own encoding (XML, bytes), not JSON.
            if let (Some(shape), true) = (&shape, kind != MediaKind::Binary) {
                let schema_ptr = join(&mptr, "schema");
                self.value_examples(mt.example.as_ref(), &mt.examples, &mptr, &schema_ptr, shape);
            }
            let item_ptr = join(&mptr, "itemSchema");
            let item_schema = self.extra.item_schemas.get(&item_ptr).map(|s| {
                let name = format!("{}Item", candidates[0]);
                self.shape_of_ref(s, &item_ptr, &[name]).0
            });
            // 3.2's `itemSchema` gives the item (for an event stream, of the
            // whole event); else a streamed body's schema does.
            let item = match (kind, item_schema) {
                (MediaKind::EventStream, Some(s)) => self.stream_item(kind, Some(&s)),
                (_, Some(s)) => Some(s),
                (k, None) if k.streams() => self.stream_item(k, shape.as_ref()),
                _ => None,
            };
            out.push(Content {
                media_type: media.clone(),
                kind,
                shape,
                item,
                encoding,
                variant,
            });
        }
        out
    }
}
