//! Tags as declared: names, docs, and OpenAPI 3.2's tree (`parent`) and `kind`.

use serde_json::Value;

/// A tag of the document's `tags` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// `name`.
    pub name: String,
    /// Doc text (`summary` and `description`).
    pub docs: Option<String>,
    /// The name of the parent tag (3.2 `parent`), making the tags a tree.
    pub parent: Option<String>,
    /// What the tag is for (3.2 `kind`, e.g. `nav`, `badge`, `audience`).
    pub kind: Option<String>,
}

/// The document's tags, in document order (the loader keeps 3.2's fields as
/// `x-oagen-parent`, `x-oagen-kind` and `x-summary`).
pub(crate) fn tags(doc: &openapiv3::OpenAPI) -> Vec<Tag> {
    let text = |t: &openapiv3::Tag, key: &str| {
        t.extensions
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    doc.tags
        .iter()
        .map(|t| Tag {
            name: t.name.clone(),
            docs: crate::emit::docs::doc_text(
                text(t, "x-summary").as_deref(),
                t.description.as_deref(),
            ),
            parent: text(t, "x-oagen-parent"),
            kind: text(t, "x-oagen-kind"),
        })
        .collect()
}
