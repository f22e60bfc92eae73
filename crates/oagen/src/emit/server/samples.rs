//! Minimal schema-valid samples of response bodies, which the default rejections are built from (`SAMPLES`, with the reason filled in).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit::rust::resolve_alias;
use crate::model::{Api, Shape, Ty, TypeKind};

/// A small JSON value that fits `shape`, with [`MESSAGE`] where text goes.
pub(super) fn sample(
    api: &Api,
    shape: &Shape,
    status: u16,
    field: Option<&str>,
    depth: usize,
) -> Value {
    const MESSAGE: &str = "{oagen:message}";
    if depth > 16 {
        return Value::Null;
    }
    let c = &shape.constraints;
    match &shape.ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => {
                let mut merged = inner.clone();
                if !c.is_empty() {
                    merged.constraints = c.clone();
                }
                sample(api, &merged, status, field, depth + 1)
            }
            TypeKind::Enum(e) => e
                .variants
                .first()
                .map(|v| v.value.clone())
                .unwrap_or(Value::Null),
            TypeKind::Union(u) => {
                let Some(first) = u.variants.first() else {
                    return Value::Null;
                };
                let mut v = sample(api, &first.shape, status, field, depth + 1);
                if let (Some(d), Value::Object(m)) = (&u.discriminator, &mut v) {
                    if let Some((tag, _)) = d.mapping.iter().find(|(_, i)| *i == 0) {
                        m.insert(d.property.clone(), Value::String(tag.clone()));
                    }
                }
                v
            }
            TypeKind::Struct(s) => {
                let mut m = serde_json::Map::new();
                for f in &s.fields {
                    let lower = f.name.to_ascii_lowercase();
                    let is_text = matches!(resolve_alias(api, &f.shape).ty, Ty::String);
                    let is_int = matches!(resolve_alias(api, &f.shape).ty, Ty::Integer(_));
                    if f.required {
                        let v = if f.shape.nullable {
                            Value::Null
                        } else {
                            sample(api, &f.shape, status, Some(&f.name), depth + 1)
                        };
                        m.insert(f.name.clone(), v);
                    } else if is_text
                        && matches!(
                            lower.as_str(),
                            "message" | "detail" | "error" | "title" | "msg" | "description"
                        )
                    {
                        m.insert(f.name.clone(), Value::String(MESSAGE.into()));
                    } else if is_int && lower == "status" {
                        m.insert(f.name.clone(), Value::from(status));
                    }
                }
                Value::Object(m)
            }
        },
        Ty::String => {
            let _ = field;
            Value::String(MESSAGE.into())
        }
        Ty::DateTime => Value::String("1970-01-01T00:00:00Z".into()),
        Ty::Date => Value::String("1970-01-01".into()),
        Ty::Uuid => Value::String("00000000-0000-0000-0000-000000000000".into()),
        Ty::Binary | Ty::Bytes => Value::String(String::new()),
        Ty::Integer(_) => {
            let lo = c
                .minimum
                .map(|m| {
                    if c.exclusive_minimum {
                        m.floor() + 1.0
                    } else {
                        m.ceil()
                    }
                })
                .unwrap_or(0.0);
            let v = if field.is_some_and(|f| f.eq_ignore_ascii_case("status")) {
                status as f64
            } else {
                lo.max(if c.minimum.is_some() { lo } else { 0.0 })
            };
            Value::from(v as i64)
        }
        Ty::Number(_) => {
            let lo = c
                .minimum
                .map(|m| if c.exclusive_minimum { m + 1.0 } else { m })
                .unwrap_or(0.0);
            serde_json::Number::from_f64(lo)
                .map(Value::Number)
                .unwrap_or(Value::from(0))
        }
        Ty::Boolean => Value::Bool(false),
        Ty::Any => Value::String(MESSAGE.into()),
        Ty::Null => Value::Null,
        Ty::Array(item) => {
            let n = c.min_items.unwrap_or(0).min(4);
            Value::Array(
                (0..n)
                    .map(|_| sample(api, item, status, None, depth + 1))
                    .collect(),
            )
        }
        Ty::Map(_) => Value::Object(serde_json::Map::new()),
        Ty::Tuple(members) => Value::Array(
            members
                .iter()
                .map(|m| sample(api, m, status, None, depth + 1))
                .collect(),
        ),
    }
}

#[derive(Default)]
pub(super) struct Samples(std::cell::RefCell<Vec<String>>);

impl Samples {
    pub(super) fn index(&self, template: String) -> usize {
        let mut all = self.0.borrow_mut();
        match all.iter().position(|t| *t == template) {
            Some(i) => i,
            None => {
                all.push(template);
                all.len() - 1
            }
        }
    }
}

/// Replaces the text placeholder of [`sample`] with `text`.
pub(super) fn fill_placeholder(value: &mut Value, text: &str) {
    match value {
        Value::String(s) if s == "{oagen:message}" => *s = text.to_string(),
        Value::Array(items) => items.iter_mut().for_each(|v| fill_placeholder(v, text)),
        Value::Object(m) => m.values_mut().for_each(|v| fill_placeholder(v, text)),
        _ => {}
    }
}

/// `SAMPLES`, when some default rejection uses a sample (the runtime's
/// `sample` fills one in).
pub(super) fn samples_item(samples: &Samples) -> TokenStream {
    let sample_list = samples.0.borrow().clone();
    if sample_list.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            /// Bodies of the responses that rejections are answered with by default
            /// (`{oagen:message}` is replaced by the reason).
            const SAMPLES: &[&str] = &[#(#sample_list),*];
        }
    }
}
