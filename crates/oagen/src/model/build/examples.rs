//! Values in the spec: examples recorded where met and judged at the end; defaults checked.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::Builder;
use crate::diag::join;
use crate::model::validate::validate;
use crate::model::{Api, Example, ExampleVerdict, Shape, TypeKind};

impl<'a> Builder<'a> {
    /// Records the examples written on a schema.
    pub(super) fn record_examples(&mut self, schema: &Schema, ptr: &str, shape: &Shape) {
        if let Some(list) = schema
            .schema_data
            .extensions
            .get("x-oagen-examples")
            .and_then(Value::as_array)
        {
            for (i, v) in list.iter().enumerate() {
                let at = join(&join(ptr, "examples"), &i.to_string());
                self.example(at, ptr, shape, v);
            }
        } else if let Some(v) = &schema.schema_data.example {
            self.example(join(ptr, "example"), ptr, shape, v);
        }
    }

    /// Records one example at `pointer` of the schema at `schema_pointer`.
    pub(super) fn example(
        &mut self,
        pointer: String,
        schema_pointer: &str,
        shape: &Shape,
        value: &Value,
    ) {
        self.examples.push(Example {
            pointer,
            schema_pointer: schema_pointer.to_string(),
            shape: shape.clone(),
            value: value.clone(),
            verdict: ExampleVerdict::Valid,
        });
    }

    /// Records the `example` and the `examples` (each an Example Object, perhaps a
    /// reference to `components/examples`) of a media type, parameter or header at
    /// `ptr`, whose schema is at `schema_pointer`.
    pub(super) fn value_examples(
        &mut self,
        example: Option<&Value>,
        examples: &'a IndexMap<String, ReferenceOr<openapiv3::Example>>,
        ptr: &str,
        schema_pointer: &str,
        shape: &Shape,
    ) {
        if let Some(v) = example {
            self.example(join(ptr, "example"), schema_pointer, shape, v);
        }
        for (ename, ex) in examples {
            let eptr = join(&join(ptr, "examples"), ename);
            if let Some((ex, _)) =
                self.resolve_component(ex, &eptr, "examples", |c| &c.examples, |e| &e.examples)
            {
                if let Some(v) = &ex.value {
                    self.example(join(&eptr, "value"), schema_pointer, shape, v);
                }
            }
        }
    }

    /// Drops, with a warning, each property default that does not validate against
    /// the property's schema: a default is applied on decode and written on encode,
    /// so one that breaks the schema would turn valid input into invalid output
    /// (or not fit the field's type at all).
    pub(super) fn check_defaults(&mut self, api: &mut Api) {
        let mut bad = Vec::new();
        for (t, def) in api.types.iter().enumerate() {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            for (i, f) in s.fields.iter().enumerate() {
                let Some(d) = &f.default else { continue };
                if let Err(inv) = validate(api, &f.shape, d) {
                    let pointer = join(&join(&def.pointer, "properties"), &f.name);
                    bad.push((t, i, pointer, inv.to_string()));
                }
            }
        }
        for (t, i, pointer, reason) in bad {
            self.diags.warn(
                join(&pointer, "default"),
                format!("default does not validate against its schema ({reason}); it is ignored"),
            );
            if let TypeKind::Struct(s) = &mut api.types[t].kind {
                s.fields[i].default = None;
            }
        }
    }

    /// Validates every example against its shape, warning about those that do not fit.
    /// An example met more than once (a shared parameter or response is read by each
    /// operation that uses it) is kept once.
    pub(super) fn judge_examples(&mut self, api: &mut Api) {
        let mut examples = std::mem::take(&mut api.examples);
        let mut seen = BTreeSet::new();
        examples.retain(|ex| seen.insert((ex.pointer.clone(), ex.schema_pointer.clone())));
        for ex in &mut examples {
            if let Err(inv) = validate(api, &ex.shape, &ex.value) {
                let reason = inv.to_string();
                self.diags.warn(
                    ex.pointer.clone(),
                    format!("example does not validate against its schema: {reason}"),
                );
                ex.verdict = if inv.structural {
                    ExampleVerdict::BreaksStructure(reason)
                } else {
                    ExampleVerdict::BreaksConstraint(reason)
                };
            }
        }
        api.examples = examples;
    }
}
