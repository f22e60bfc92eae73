//! Unions: `anyOf`/`oneOf` alternatives, ordered for decoding, with their discriminator's tags.

use openapiv3::{ReferenceOr, Schema};

use super::{Builder, COMPONENT_SCHEMAS};
use crate::diag::join;
use crate::load::{local_pointer, percent_decode};
use crate::model::naming::Namer;
use crate::model::{Discriminator, Shape, Ty, UnionDef, UnionVariant};

impl<'a> Builder<'a> {
    pub(super) fn union_def(
        &mut self,
        schema: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        one_of: bool,
        ptr: &str,
        key: &str,
        name: &str,
    ) -> UnionDef {
        let mut idents = Namer::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut member_refs: Vec<Option<String>> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let mptr = join(&join(ptr, key), &i.to_string());
            let (shape, _) = self.shape_of_ref(m, &mptr, &[format!("{name}Variant{}", i + 1)]);
            if variants.iter().any(|v| v.shape == shape) {
                continue;
            }
            let hint = match &shape.ty {
                Ty::Named(id) => self.type_name_of(*id),
                other => ty_variant_name(other),
            };
            let docs = match m {
                ReferenceOr::Item(s) => crate::emit::docs::doc_text(
                    s.schema_data.title.as_deref(),
                    s.schema_data.description.as_deref(),
                ),
                _ => None,
            };
            variants.push(UnionVariant {
                ident: idents.claim(&hint),
                shape,
                boxed: false,
                docs,
            });
            member_refs.push(match m {
                ReferenceOr::Reference { reference } => {
                    local_pointer(reference).map(percent_decode)
                }
                _ => None,
            });
        }
        // Try the more specific JSON types first on decode.
        let rank = |s: &Shape| match s.ty {
            Ty::Integer(_) => 0,
            Ty::Number(_) => 1,
            _ => 0,
        };
        let mut order: Vec<usize> = (0..variants.len()).collect();
        order.sort_by_key(|&i| rank(&variants[i].shape));
        let variants: Vec<UnionVariant> = order.iter().map(|&i| variants[i].clone()).collect();
        let member_refs: Vec<Option<String>> =
            order.iter().map(|&i| member_refs[i].clone()).collect();

        let discriminator = schema.schema_data.discriminator.as_ref().and_then(|d| {
            let mut mapping = Vec::new();
            for (i, r) in member_refs.iter().enumerate() {
                let Some(r) = r else { return None };
                let explicit: Vec<&String> = d
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        let t = if target.starts_with('#') {
                            local_pointer(target)
                                .map(percent_decode)
                                .unwrap_or_default()
                        } else {
                            join(COMPONENT_SCHEMAS, target)
                        };
                        &t == r
                    })
                    .map(|(k, _)| k)
                    .collect();
                if explicit.is_empty() {
                    let implicit = r
                        .rsplit('/')
                        .next()
                        .map(crate::diag::unescape_token)
                        .unwrap_or_default();
                    mapping.push((implicit, i));
                } else {
                    mapping.extend(explicit.into_iter().map(|k| (k.clone(), i)));
                }
            }
            let unknown_ident =
                idents.claim_first(&["Unknown".to_string(), "UnknownVariant".to_string()]);
            Some(Discriminator {
                property: d.property_name.clone(),
                mapping,
                unknown_ident,
            })
        });
        UnionDef {
            variants,
            discriminator,
            one_of,
        }
    }
}

fn ty_variant_name(ty: &Ty) -> String {
    match ty {
        Ty::Named(_) => "Named",
        Ty::String => "String",
        Ty::Integer(_) => "Integer",
        Ty::Number(_) => "Number",
        Ty::Boolean => "Boolean",
        Ty::DateTime => "DateTime",
        Ty::Date => "Date",
        Ty::Uuid => "Uuid",
        Ty::Binary => "Binary",
        Ty::Bytes => "Bytes",
        Ty::Any => "Any",
        Ty::Null => "Null",
        Ty::Array(_) => "Array",
        Ty::Tuple(_) => "Tuple",
        Ty::Map(_) => "Object",
    }
    .to_string()
}
