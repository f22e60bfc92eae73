//! Tuples: an array schema the normaliser marked `x-oagen-tuple` (closed `prefixItems` of primitives) to a [`Ty::Tuple`] of its members' shapes.

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::Builder;
use crate::diag::join;
use crate::model::{Shape, Ty};

impl<'a> Builder<'a> {
    /// The tuple of the members held in `items` (their `anyOf`, or the one
    /// member itself); `Ty::Any` items when they are not there as written.
    pub(super) fn tuple(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        ptr: &str,
        name: &str,
    ) -> Ty {
        let Some(ReferenceOr::Item(items)) = items else {
            return Ty::Array(Box::new(Shape::plain(Ty::Any)));
        };
        let items_ptr = join(ptr, "items");
        let any_of = match &items.schema_kind {
            SchemaKind::AnyOf { any_of } => Some(any_of),
            SchemaKind::Any(a) if !a.any_of.is_empty() => Some(&a.any_of),
            _ => None,
        };
        let mut members = Vec::new();
        match any_of {
            Some(list) => {
                let base = join(&items_ptr, "anyOf");
                for (i, m) in list.iter().enumerate() {
                    let ReferenceOr::Item(s) = m else {
                        return Ty::Array(Box::new(Shape::plain(Ty::Any)));
                    };
                    let names = [format!("{name}Item{i}")];
                    members.push(self.shape(s, &join(&base, &i.to_string()), &names));
                }
            }
            None => members.push(self.shape(items, &items_ptr, &[format!("{name}Item")])),
        }
        Ty::Tuple(members)
    }
}
