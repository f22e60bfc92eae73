//! Schemas to shapes: primitives, arrays and maps in place; objects, enums, unions named types.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::{Builder, Node};
use crate::diag::join;
use crate::model::naming::{self, Namer};
use crate::model::schema::{is_null_only, Facts};
use crate::model::{
    Constraints, EnumDef, EnumRepr, EnumVariant, IntKind, NumKind, Shape, Ty, TypeKind,
};

impl<'a> Builder<'a> {
    /// The shape of a schema or reference at `ptr`, naming any new type from `names`.
    pub(super) fn shape_of_ref<T: AsSchema>(
        &mut self,
        s: &'a ReferenceOr<T>,
        ptr: &str,
        names: &[String],
    ) -> (Shape, Option<Value>) {
        match s {
            ReferenceOr::Reference { reference } => {
                match self.resolve_ref(reference, &join(ptr, "$ref")) {
                    Some(r) => (r.shape, r.default),
                    None => (Shape::plain(Ty::Any), None),
                }
            }
            ReferenceOr::Item(item) => {
                let schema = item.as_schema();
                (
                    self.shape(schema, ptr, names),
                    schema.schema_data.default.clone(),
                )
            }
        }
    }

    /// The shape of an inline schema; objects, enums and unions become named types.
    pub(super) fn shape(&mut self, schema: &'a Schema, ptr: &str, names: &[String]) -> Shape {
        let nullable = schema.schema_data.nullable || is_null_only(schema);
        let facts = Facts::of(schema);
        let shape = if needs_def(&facts, schema) {
            let key = serde_json::to_string(schema).unwrap_or_default();
            let id = match self.by_content.get(&key) {
                Some(id) => *id,
                None => {
                    let mut candidates = Vec::new();
                    if let Some(t) = schema.schema_data.title.as_deref() {
                        let t = naming::type_name(t, "");
                        if !t.is_empty() {
                            candidates.push(t);
                        }
                    }
                    candidates.extend(names.iter().cloned());
                    if candidates.is_empty() {
                        candidates.push("Inline".into());
                    }
                    let id = self.new_type(&candidates);
                    self.by_content.insert(key, id);
                    let name = self.type_name_of(id);
                    let node = self.analyze(schema, ptr, &name);
                    let kind = match node {
                        Node::Def(k) => k,
                        Node::Shape(s) => TypeKind::Alias(s),
                    };
                    let docs = crate::emit::docs::doc_text(
                        schema.schema_data.title.as_deref(),
                        schema.schema_data.description.as_deref(),
                    );
                    if let Some(def) = self.types[id.0].as_mut() {
                        def.kind = kind;
                        def.docs = docs;
                        def.pointer = ptr.to_string();
                    }
                    id
                }
            };
            Shape {
                ty: Ty::Named(id),
                nullable,
                constraints: facts.constraints.clone(),
            }
        } else {
            let context = names.first().cloned().unwrap_or_else(|| "Inline".into());
            match self.analyze(schema, ptr, &context) {
                Node::Shape(mut s) => {
                    s.nullable |= nullable;
                    s
                }
                Node::Def(_) => Shape::plain(Ty::Any),
            }
        };
        self.record_examples(schema, ptr, &shape);
        shape
    }

    /// Analyses a schema into a shape or a type definition named `name`.
    pub(super) fn analyze(&mut self, schema: &'a Schema, ptr: &str, name: &str) -> Node {
        let f = Facts::of(schema);
        if is_null_only(schema) {
            return Node::Shape(Shape::plain(Ty::Null));
        }
        // allOf: one reference with nothing else is that reference; otherwise merged.
        if !f.all_of.is_empty() {
            let own_structure = f.properties.is_some()
                || f.additional.is_some()
                || !f.any_of.is_empty()
                || !f.one_of.is_empty();
            if f.all_of.len() == 1 && !own_structure {
                let (mut s, _) = self.shape_of_ref(
                    &f.all_of[0],
                    &join(&join(ptr, "allOf"), "0"),
                    &[name.to_string()],
                );
                s.nullable |= schema.schema_data.nullable;
                return Node::Shape(s);
            }
            if self.all_of_is_object(schema) {
                return Node::Def(TypeKind::Struct(self.struct_def(schema, ptr, name)));
            }
            // allOf of non-objects: the first member's type, constraints merged.
            let (mut s, _) = self.shape_of_ref(
                &f.all_of[0],
                &join(&join(ptr, "allOf"), "0"),
                &[name.to_string()],
            );
            for (i, m) in f.all_of.iter().enumerate().skip(1) {
                let (other, _) = self.shape_of_ref(
                    m,
                    &join(&join(ptr, "allOf"), &i.to_string()),
                    &[format!("{name}Part{i}")],
                );
                merge_constraints(&mut s.constraints, &other.constraints);
            }
            return Node::Shape(s);
        }
        if f.properties.is_some() {
            return Node::Def(TypeKind::Struct(self.struct_def(schema, ptr, name)));
        }
        let union = if !f.one_of.is_empty() {
            Some((f.one_of, true, "oneOf"))
        } else if !f.any_of.is_empty() {
            Some((f.any_of, false, "anyOf"))
        } else {
            None
        };
        if let Some((members, one_of, key)) = union {
            if members.len() == 1 {
                let (mut s, _) = self.shape_of_ref(
                    &members[0],
                    &join(&join(ptr, key), "0"),
                    &[name.to_string()],
                );
                s.nullable |= schema.schema_data.nullable;
                return Node::Shape(s);
            }
            return Node::Def(TypeKind::Union(
                self.union_def(schema, members, one_of, ptr, key, name),
            ));
        }
        let values: Vec<Value> = f
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .cloned()
            .collect();
        if !values.is_empty() {
            if values.iter().all(Value::is_string) && matches!(f.typ, None | Some("string")) {
                return Node::Def(TypeKind::Enum(enum_def(&values, EnumRepr::String, schema)));
            }
            if values.iter().all(|v| v.is_i64())
                && matches!(f.typ, None | Some("integer") | Some("number"))
            {
                return Node::Def(TypeKind::Enum(enum_def(&values, EnumRepr::Integer, schema)));
            }
        }
        let mut c = f.constraints.clone();
        let ty = match f.typ {
            Some("string") if crate::model::schema::is_bytes(schema) => Ty::Bytes,
            Some("string") => match f.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                // A `pattern` constrains the text, which a typed uuid does not keep
                // (it is written lowercase and hyphenated): such a uuid stays a string.
                Some("uuid") if c.pattern.is_none() => Ty::Uuid,
                Some("binary") => Ty::Binary,
                _ => Ty::String,
            },
            Some("integer") => Ty::Integer(match f.format.as_deref() {
                Some("int32") => IntKind::I32,
                Some("uint32") => IntKind::U32,
                Some("uint64") => IntKind::U64,
                _ => IntKind::I64,
            }),
            Some("number") => Ty::Number(match f.format.as_deref() {
                Some("float") => NumKind::F32,
                _ => NumKind::F64,
            }),
            Some("boolean") => Ty::Boolean,
            Some("array") if crate::model::schema::is_tuple(schema) => {
                self.tuple(f.items, ptr, name)
            }
            Some("array") => {
                let item_names = [format!("{name}Item")];
                let items = match f.items {
                    Some(i) => self.shape_of_ref(i, &join(ptr, "items"), &item_names).0,
                    None => Shape::plain(Ty::Any),
                };
                Ty::Array(Box::new(items))
            }
            Some("object") | None if f.is_object() || f.typ == Some("object") => {
                let value = match f.additional {
                    Some(AdditionalProperties::Schema(s)) => {
                        self.shape_of_ref(
                            &**s,
                            &join(ptr, "additionalProperties"),
                            &[format!("{name}Value")],
                        )
                        .0
                    }
                    Some(AdditionalProperties::Any(false)) => {
                        // No properties and no others: only the empty object.
                        c.max_properties = Some(0);
                        Shape::plain(Ty::Any)
                    }
                    _ => Shape::plain(Ty::Any),
                };
                Ty::Map(Box::new(value))
            }
            Some("null") => Ty::Null,
            None => Ty::Any,
            Some(other) => {
                self.diags.warn(
                    join(ptr, "type"),
                    format!("unknown type `{other}`; treated as any JSON value"),
                );
                Ty::Any
            }
        };
        Node::Shape(Shape {
            ty,
            nullable: false,
            constraints: c,
        })
    }
}

/// Lets `shape_of_ref` take both `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>`.
pub(super) trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

/// Whether a schema becomes a named type (struct, enum or union) rather than a shape.
fn needs_def(f: &Facts<'_>, schema: &Schema) -> bool {
    if is_null_only(schema) {
        return false;
    }
    if !f.all_of.is_empty() {
        let own_structure = f.properties.is_some()
            || f.additional.is_some()
            || !f.any_of.is_empty()
            || !f.one_of.is_empty();
        // A single-member allOf is a reference with annotations; the rest merge (into
        // a struct, or into a primitive — the builder decides, a struct is likely).
        return f.all_of.len() > 1 || own_structure;
    }
    if f.properties.is_some() {
        return true;
    }
    if f.one_of.len() > 1 || f.any_of.len() > 1 {
        return true;
    }
    if f.one_of.len() == 1 || f.any_of.len() == 1 {
        return false;
    }
    let values: Vec<&Value> = f.enumeration.iter().filter(|v| !v.is_null()).collect();
    if !values.is_empty() {
        if values.iter().all(|v| v.is_string()) && matches!(f.typ, None | Some("string")) {
            return true;
        }
        if values.iter().all(|v| v.is_i64())
            && matches!(f.typ, None | Some("integer") | Some("number"))
        {
            return true;
        }
    }
    false
}

fn enum_def(values: &[Value], repr: EnumRepr, schema: &Schema) -> EnumDef {
    let mut idents = Namer::new();
    let mut variants = Vec::new();
    let mut seen = BTreeSet::new();
    for v in values {
        let key = v.to_string();
        if !seen.insert(key) {
            continue;
        }
        let raw = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => match n.as_i64() {
                Some(i) if i < 0 => format!("Minus{}", i.unsigned_abs()),
                _ => n.to_string(),
            },
            other => other.to_string(),
        };
        let mut ident = naming::variant_name(&raw);
        if ident.is_empty() {
            ident = format!("Variant{}", variants.len() + 1);
        }
        variants.push(EnumVariant {
            ident: idents.claim(&ident),
            value: v.clone(),
        });
    }
    let unknown_ident = idents.claim_first(&["Unknown".to_string(), "UnknownValue".to_string()]);
    EnumDef {
        repr,
        variants,
        unknown_ident,
        closed: schema.schema_data.extensions.get("x-oagen-const") == Some(&Value::Bool(true)),
    }
}

pub(super) fn merge_constraints(into: &mut Constraints, from: &Constraints) {
    macro_rules! take {
        ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f.clone(); } )* };
    }
    take!(
        minimum,
        maximum,
        multiple_of,
        min_length,
        max_length,
        pattern,
        min_items,
        max_items,
        min_properties,
        max_properties,
        format,
        key_pattern
    );
    into.exclusive_minimum |= from.exclusive_minimum;
    into.exclusive_maximum |= from.exclusive_maximum;
    into.unique_items |= from.unique_items;
}
