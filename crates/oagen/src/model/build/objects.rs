//! Objects: properties collected through `allOf` (cycles are errors) and merged into one struct.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::shapes::merge_constraints;
use super::{Builder, COMPONENT_SCHEMAS};
use crate::diag::join;
use crate::load::{local_pointer, percent_decode};
use crate::model::naming::{self, Namer};
use crate::model::schema::Facts;
use crate::model::{Additional, Constraints, Field, Shape, StructDef, Ty};

impl<'a> Builder<'a> {
    /// Whether an allOf schema merges into an object.
    pub(super) fn all_of_is_object(&mut self, schema: &'a Schema) -> bool {
        let f = Facts::of(schema);
        if f.is_object() {
            return true;
        }
        f.all_of.iter().any(|m| match m {
            ReferenceOr::Item(s) => self.all_of_is_object(s),
            ReferenceOr::Reference { reference } => match self.ref_schema(reference) {
                Some(s) => {
                    let ptr = local_pointer(reference).unwrap_or_default().to_string();
                    if self.merging.contains(&ptr) {
                        return false;
                    }
                    self.merging.push(ptr);
                    let r = self.all_of_is_object(s);
                    self.merging.pop();
                    r
                }
                None => false,
            },
        })
    }

    /// Collects the properties of an object, merging `allOf` members.
    fn collect_object(&mut self, schema: &'a Schema, ptr: &str, acc: &mut ObjectAcc<'a>) {
        let f = Facts::of(schema);
        acc.dependent
            .extend(crate::model::schema::dependent_required(schema));
        for (i, m) in f.all_of.iter().enumerate() {
            let mptr = join(&join(ptr, "allOf"), &i.to_string());
            match m {
                ReferenceOr::Item(s) => {
                    self.collect_object(s, &mptr, acc);
                    acc.member_examples.push((s, mptr));
                }
                ReferenceOr::Reference { reference } => {
                    let target = local_pointer(reference)
                        .map(percent_decode)
                        .unwrap_or_default();
                    if self.merging.contains(&target) {
                        let chain = self
                            .merging
                            .iter()
                            .map(|p| format!("#{p}"))
                            .collect::<Vec<_>>()
                            .join(" -> ");
                        self.diags.error(
                            join(&mptr, "$ref"),
                            format!("`allOf` cycle: {chain} -> #{target} includes itself"),
                            "an object cannot be composed of itself; reference it from a property instead",
                        );
                        continue;
                    }
                    if let Some(s) = self.ref_schema(reference) {
                        self.merging.push(target.clone());
                        self.collect_object(s, &target, acc);
                        self.merging.pop();
                    }
                }
            }
        }
        // anyOf/oneOf next to properties: commonly "one of these fields is required".
        for (key, members) in [("anyOf", f.any_of), ("oneOf", f.one_of)] {
            if members.is_empty() {
                continue;
            }
            let only_required = members.iter().all(|m| match m {
                ReferenceOr::Item(s) => {
                    let mf = Facts::of(s);
                    mf.properties.is_none()
                        && mf.all_of.is_empty()
                        && mf.any_of.is_empty()
                        && mf.one_of.is_empty()
                }
                _ => false,
            });
            if !only_required {
                self.diags.warn(
                    join(ptr, key),
                    format!("`{key}` next to object properties is approximated: the alternatives' properties are merged as optional fields"),
                );
                for (i, m) in members.iter().enumerate() {
                    let mptr = join(&join(ptr, key), &i.to_string());
                    let mut sub = ObjectAcc::default();
                    match m {
                        ReferenceOr::Item(s) => self.collect_object(s, &mptr, &mut sub),
                        ReferenceOr::Reference { reference } => {
                            let target = local_pointer(reference)
                                .map(percent_decode)
                                .unwrap_or_default();
                            if self.merging.contains(&target) {
                                // The alternative includes this object itself: nothing new to merge.
                                continue;
                            }
                            if let Some(s) = self.ref_schema(reference) {
                                self.merging.push(target);
                                self.collect_object(s, &mptr, &mut sub);
                                self.merging.pop();
                            }
                        }
                    }
                    for (k, v) in sub.props {
                        acc.props.entry(k).or_insert(v);
                    }
                }
            }
        }
        if let Some(props) = f.properties {
            let base = join(ptr, "properties");
            for (k, v) in props {
                acc.props.insert(k.clone(), (v, join(&base, k)));
            }
        }
        acc.required.extend(f.required.iter().cloned());
        match f.additional {
            Some(AdditionalProperties::Any(false)) => {
                acc.additional = Some(AdditionalAcc::Forbidden)
            }
            Some(AdditionalProperties::Any(true)) if acc.additional.is_none() => {
                acc.additional = Some(AdditionalAcc::Any)
            }
            Some(AdditionalProperties::Any(true)) => {}
            Some(AdditionalProperties::Schema(s)) => {
                acc.additional = Some(AdditionalAcc::Typed(s, join(ptr, "additionalProperties")))
            }
            None => {}
        }
        merge_constraints(&mut acc.constraints, &f.constraints);
    }

    pub(super) fn struct_def(&mut self, schema: &'a Schema, ptr: &str, name: &str) -> StructDef {
        let mut acc = ObjectAcc::default();
        self.merging.push(ptr.to_string());
        self.collect_object(schema, ptr, &mut acc);
        self.merging.pop();
        // allOf: the own additionalProperties decides, members' `false` is not inherited.
        let own = Facts::of(schema);
        let additional = match (own.additional, acc.additional.take()) {
            (Some(AdditionalProperties::Any(false)), _) => Additional::Forbidden,
            (Some(AdditionalProperties::Schema(s)), _) => Additional::Typed(Box::new(
                self.shape_of_ref(
                    &**s,
                    &join(ptr, "additionalProperties"),
                    &[format!("{name}Value")],
                )
                .0,
            )),
            (_, Some(AdditionalAcc::Typed(s, p))) => Additional::Typed(Box::new(
                self.shape_of_ref(s, &p, &[format!("{name}Value")]).0,
            )),
            (None, Some(AdditionalAcc::Forbidden)) if own.all_of.is_empty() => {
                Additional::Forbidden
            }
            _ => Additional::Any,
        };
        let mut idents = Namer::new();
        let mut fields = Vec::new();
        let required: BTreeSet<String> = acc.required.iter().cloned().collect();
        for (json_name, (prop, pptr)) in &acc.props {
            let ident = idents.claim(&naming::snake_ident(json_name, "field"));
            let prop_type = naming::type_name(json_name, "Field");
            let (shape, ref_default) =
                self.shape_of_ref(*prop, pptr, &[format!("{name}{prop_type}")]);
            let (docs, default, read_only, write_only, deprecated) = match prop {
                ReferenceOr::Item(s) => (
                    crate::emit::docs::doc_text(
                        s.schema_data.title.as_deref(),
                        s.schema_data.description.as_deref(),
                    ),
                    s.schema_data.default.clone().or(ref_default),
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                    s.schema_data.deprecated,
                ),
                ReferenceOr::Reference { reference } => {
                    let target = self.ref_schema(reference);
                    (
                        target.and_then(|t| {
                            crate::emit::docs::doc_text(None, t.schema_data.description.as_deref())
                        }),
                        ref_default,
                        target.is_some_and(|t| t.schema_data.read_only),
                        target.is_some_and(|t| t.schema_data.write_only),
                        target.is_some_and(|t| t.schema_data.deprecated),
                    )
                }
            };
            let default = default.filter(|d| !d.is_null() || shape.nullable);
            fields.push(Field {
                name: json_name.clone(),
                ident,
                shape,
                // One type serves requests and responses: a readOnly property is absent
                // from requests and a writeOnly one from responses, so `required` cannot
                // hold in both directions; such a field is optional in the type.
                required: required.contains(json_name) && !read_only && !write_only,
                default,
                docs,
                boxed: false,
                read_only,
                write_only,
                deprecated,
            });
        }
        // Required properties that are not described: present, of any type.
        for r in &acc.required {
            if !acc.props.contains_key(r) {
                let ident = idents.claim(&naming::snake_ident(r, "field"));
                fields.push(Field {
                    name: r.clone(),
                    ident,
                    shape: Shape::plain(Ty::Any),
                    required: true,
                    default: None,
                    docs: None,
                    boxed: false,
                    read_only: false,
                    write_only: false,
                    deprecated: false,
                });
            }
        }
        let additional_ident = idents.claim_first(&[
            "additional_properties".to_string(),
            "extra_properties".to_string(),
        ]);
        // Examples written on inline allOf members describe the merged object.
        let own_id_shape = self.by_content_shape(schema);
        for (member, mptr) in std::mem::take(&mut acc.member_examples) {
            if let (Some(shape), Some(v)) = (&own_id_shape, &member.schema_data.example) {
                self.example(join(&mptr, "example"), ptr, shape, v);
            }
        }
        StructDef {
            fields,
            additional,
            additional_ident,
            constraints: acc.constraints,
            dependent_required: acc.dependent,
        }
    }

    /// The named shape already assigned to an inline schema, or the component it is.
    fn by_content_shape(&self, schema: &Schema) -> Option<Shape> {
        let key = serde_json::to_string(schema).ok()?;
        if let Some(id) = self.by_content.get(&key) {
            return Some(Shape::plain(Ty::Named(*id)));
        }
        let comps = self.doc.components.as_ref()?;
        for (name, s) in &comps.schemas {
            if let ReferenceOr::Item(item) = s {
                if std::ptr::eq(item, schema) {
                    return self
                        .by_pointer
                        .get(&join(COMPONENT_SCHEMAS, name))
                        .map(|r| Shape {
                            nullable: false,
                            ..r.shape.clone()
                        });
                }
            }
        }
        None
    }
}

#[derive(Default)]
struct ObjectAcc<'a> {
    props: IndexMap<String, (&'a ReferenceOr<Box<Schema>>, String)>,
    required: Vec<String>,
    additional: Option<AdditionalAcc<'a>>,
    constraints: Constraints,
    member_examples: Vec<(&'a Schema, String)>,
    dependent: Vec<(String, Vec<String>)>,
}

enum AdditionalAcc<'a> {
    Forbidden,
    Any,
    Typed(&'a ReferenceOr<Schema>, String),
}
