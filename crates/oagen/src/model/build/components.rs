//! Component schemas: each a named type; a nullable twin of another component an alias of it.

use std::collections::{HashMap, HashSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::{Builder, Node, COMPONENT_SCHEMAS};
use crate::diag::join;
use crate::model::schema::is_null_only;
use crate::model::{Shape, Ty, TypeId, TypeKind};

impl<'a> Builder<'a> {
    /// Builds every component schema (its name is already claimed): a nullable
    /// twin as an alias of the component it repeats, the others from their schemas.
    pub(super) fn component_schemas(&mut self, component_ids: &[(String, TypeId)]) {
        let twins = self.nullable_twins(component_ids);
        for (name, id) in component_ids {
            let ptr = join(COMPONENT_SCHEMAS, name);
            match twins.get(id) {
                Some(of) => self.nullable_twin(&ptr, *id, *of),
                None => self.component(&ptr, *id),
            }
        }
    }

    /// The nullable components that repeat another component, each mapped to
    /// the one it repeats.
    ///
    /// OpenAPI 3.0 cannot mark a `$ref` nullable, so specs copy a schema into a
    /// `nullable: true` twin (GitHub's `nullable-simple-user` and `simple-user`:
    /// of its 20 `nullable-*` copies, 17 repeat an object component exactly). A twin is the same type: where it is used, the use is
    /// nullable (`Option<SimpleUser>`), and the twin's name is an alias, so a
    /// value read from one place can be sent to the other. A twin is a
    /// nullable object component whose schema equals another's once its
    /// nullability and its text (`title`, `description`, examples,
    /// `externalDocs`) are left out; it repeats the first such component that
    /// is not nullable itself.
    fn nullable_twins(&self, components: &[(String, TypeId)]) -> HashMap<TypeId, TypeId> {
        let Some(schemas) = self.doc.components.as_ref().map(|c| &c.schemas) else {
            return HashMap::new();
        };
        // Only objects with properties: two integer schemas that differ only
        // in being nullable are not one concept (`max-businesses`, `org-id`).
        let item = |name: &String| match schemas.get(name) {
            Some(ReferenceOr::Item(s)) if !property_names(s).is_empty() => Some(s),
            _ => None,
        };
        // Keys are made only for nullable components and for the others
        // with the same property names, so that a spec without twins pays
        // for a name list per object schema, not a serialization of each.
        let mut nullable: HashMap<String, Vec<TypeId>> = HashMap::new();
        let mut signatures = HashSet::new();
        for (name, id) in components {
            if let Some(s) = item(name).filter(|s| s.schema_data.nullable) {
                signatures.insert(property_names(s));
                nullable.entry(twin_key(s)).or_default().push(*id);
            }
        }
        let mut twins = HashMap::new();
        if nullable.is_empty() {
            return twins;
        }
        for (name, id) in components {
            let Some(s) = item(name).filter(|s| !s.schema_data.nullable) else {
                continue;
            };
            if !signatures.contains(&property_names(s)) {
                continue;
            }
            if let Some(ids) = nullable.remove(&twin_key(s)) {
                for twin in ids {
                    twins.insert(twin, *id);
                }
            }
        }
        twins
    }

    /// A component that repeats component `of` but for being nullable: an alias
    /// of it, with its own docs and examples.
    fn nullable_twin(&mut self, ptr: &str, id: TypeId, of: TypeId) {
        let Some(ReferenceOr::Item(schema)) = self.schema_at(ptr) else {
            return;
        };
        let docs = crate::emit::docs::doc_text(
            schema.schema_data.title.as_deref(),
            schema.schema_data.description.as_deref(),
        );
        if let Some(def) = self.types[id.0].as_mut() {
            def.pointer = ptr.to_string();
            def.kind = TypeKind::Alias(Shape::plain(Ty::Named(of)));
            def.docs = docs;
        }
        self.record_examples(
            schema,
            ptr,
            &Shape {
                nullable: true,
                ..Shape::plain(Ty::Named(id))
            },
        );
    }

    /// A component schema: always a named type.
    fn component(&mut self, ptr: &str, id: TypeId) {
        let name = self.type_name_of(id);
        let Some(schema) = self.schema_at(ptr) else {
            return;
        };
        let (schema, schema_ptr) = match schema {
            ReferenceOr::Item(s) => (s, ptr.to_string()),
            ReferenceOr::Reference { reference } => {
                // A component that is only a reference: an alias of its target.
                if let Some(t) = self.resolve_ref(reference, ptr) {
                    if let Some(def) = self.types[id.0].as_mut() {
                        def.pointer = ptr.to_string();
                        def.kind = TypeKind::Alias(Shape {
                            nullable: false,
                            ..t.shape
                        });
                    }
                }
                return;
            }
        };
        let nullable = schema.schema_data.nullable || is_null_only(schema);
        let node = self.analyze(schema, &schema_ptr, &name);
        let kind = match node {
            Node::Def(kind) => kind,
            Node::Shape(shape) => TypeKind::Alias(Shape {
                nullable: false,
                ..shape
            }),
        };
        let docs = crate::emit::docs::doc_text(
            schema.schema_data.title.as_deref(),
            schema.schema_data.description.as_deref(),
        );
        if let Some(def) = self.types[id.0].as_mut() {
            def.pointer = ptr.to_string();
            def.kind = kind;
            def.docs = docs;
        }
        self.record_examples(
            schema,
            ptr,
            &Shape {
                nullable,
                ..Shape::plain(Ty::Named(id))
            },
        );
    }
}

/// A schema's property names, in order (empty for a schema without properties).
fn property_names(schema: &Schema) -> Vec<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.properties.keys().map(String::as_str).collect(),
        SchemaKind::Any(a) => a.properties.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

/// What two schemas share when one is the other's nullable twin: the schema
/// without its nullability and its text.
fn twin_key(schema: &Schema) -> String {
    let mut s = schema.clone();
    let data = &mut s.schema_data;
    data.nullable = false;
    data.title = None;
    data.description = None;
    data.example = None;
    data.external_docs = None;
    data.extensions.shift_remove("x-oagen-examples");
    serde_json::to_string(&s).unwrap_or_default()
}
