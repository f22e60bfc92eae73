//! Validates JSON values against model shapes.
//!
//! Used to sort the spec's own examples: a valid example must decode into its
//! generated type and encode back unchanged; an example that breaks the schema's
//! structure (a missing required property, a wrong JSON type, a malformed uuid or
//! date-time) must be rejected by the generated type; one that only breaks a
//! constraint (a length, a range, an unlisted enum value) is reported and counted.

use serde_json::Value;

use super::{Additional, Api, EnumRepr, IntKind, Shape, Ty, TypeKind};

/// Why a value does not fit its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// JSON pointer inside the value.
    pub at: String,
    /// What is wrong.
    pub reason: String,
    /// Whether decoding into the generated type must fail (wrong type, missing
    /// required property, malformed format) rather than only a constraint being broken.
    pub structural: bool,
}

impl std::fmt::Display for Invalid {
    /// The reason, and where in the value when not at its root.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)?;
        if !self.at.is_empty() {
            write!(f, " at `{}`", self.at)?;
        }
        Ok(())
    }
}

/// Checks `value` against `shape`; the first structural problem wins over constraint ones.
pub fn validate(api: &Api, shape: &Shape, value: &Value) -> Result<(), Invalid> {
    let mut problems = Vec::new();
    check(api, shape, value, "", &mut problems, 0);
    match problems.iter().position(|p| p.structural) {
        Some(i) => Err(problems.swap_remove(i)),
        None => problems.into_iter().next().map_or(Ok(()), Err),
    }
}

fn push(out: &mut Vec<Invalid>, at: &str, reason: impl Into<String>, structural: bool) {
    out.push(Invalid {
        at: at.to_string(),
        reason: reason.into(),
        structural,
    });
}

/// A structural problem: `v` is not of the `expected` JSON type.
fn wrong_type(out: &mut Vec<Invalid>, at: &str, expected: &str, v: &Value) {
    push(
        out,
        at,
        format!("expected {expected}, found {}", kind(v)),
        true,
    );
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn check(api: &Api, shape: &Shape, v: &Value, at: &str, out: &mut Vec<Invalid>, depth: usize) {
    if depth > 64 {
        return;
    }
    if v.is_null() {
        if !(shape.nullable
            || matches!(shape.ty, Ty::Any | Ty::Null)
            || named_nullable_any(api, shape))
        {
            push(out, at, "null is not allowed here", true);
        }
        return;
    }
    let c = &shape.constraints;
    match &shape.ty {
        Ty::Any => {}
        Ty::Null => wrong_type(out, at, "null", v),
        Ty::Boolean => {
            if !v.is_boolean() {
                wrong_type(out, at, "a boolean", v);
            }
        }
        Ty::Binary => {
            if !v.is_string() {
                wrong_type(out, at, "a string", v);
            }
        }
        Ty::Bytes => match v.as_str() {
            None => wrong_type(out, at, "a string", v),
            Some(s) if oagen_runtime::Base64::decode(s).is_none() => {
                push(out, at, "the text is not base64".to_string(), true)
            }
            Some(_) => {}
        },
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid => {
            let Some(s) = v.as_str() else {
                wrong_type(out, at, "a string", v);
                return;
            };
            let len = s.chars().count();
            if c.min_length.is_some_and(|m| len < m) || c.max_length.is_some_and(|m| len > m) {
                push(
                    out,
                    at,
                    format!("length {len} is outside the allowed range"),
                    false,
                );
            }
            match shape.ty {
                Ty::DateTime if oagen_runtime::DateTime::parse(s).is_err() => {
                    push(out, at, format!("`{s}` is not a date-time"), true)
                }
                Ty::Date if !is_date(s) => {
                    push(out, at, format!("`{s}` is not a date (YYYY-MM-DD)"), true)
                }
                Ty::Uuid if !is_uuid(s) => push(out, at, format!("`{s}` is not a uuid"), true),
                _ => {}
            }
        }
        Ty::Integer(k) => {
            let fits = match k {
                IntKind::I32 => v.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
                IntKind::I64 => v.is_i64(),
                IntKind::U32 => v.as_u64().is_some_and(|i| u32::try_from(i).is_ok()),
                IntKind::U64 => v.is_u64(),
            };
            if !fits {
                let whole = v.as_f64().is_some_and(|f| f.fract() == 0.0);
                let reason = if v.is_number() && !whole {
                    "expected an integer".to_string()
                } else {
                    format!("expected an integer of the declared width, found {v}")
                };
                push(out, at, reason, true);
                return;
            }
            check_range(v.as_f64().unwrap_or(0.0), c, at, out);
        }
        Ty::Number(_) => match v.as_f64() {
            Some(f) => check_range(f, c, at, out),
            None => wrong_type(out, at, "a number", v),
        },
        Ty::Array(item) => {
            let Some(items) = v.as_array() else {
                wrong_type(out, at, "an array", v);
                return;
            };
            if c.min_items.is_some_and(|m| items.len() < m)
                || c.max_items.is_some_and(|m| items.len() > m)
            {
                push(
                    out,
                    at,
                    format!("{} items is outside the allowed range", items.len()),
                    false,
                );
            }
            if c.unique_items {
                for (i, a) in items.iter().enumerate() {
                    if items[..i].contains(a) {
                        push(out, &format!("{at}/{i}"), "items must be unique", false);
                    }
                }
            }
            for (i, x) in items.iter().enumerate() {
                check(api, item, x, &format!("{at}/{i}"), out, depth + 1);
            }
        }
        Ty::Tuple(members) => {
            let Some(items) = v.as_array() else {
                wrong_type(out, at, "an array", v);
                return;
            };
            if items.len() != members.len() {
                let n = members.len();
                push(
                    out,
                    at,
                    format!("{} items where the tuple has {n}", items.len()),
                    true,
                );
                return;
            }
            for (i, (m, x)) in members.iter().zip(items).enumerate() {
                check(api, m, x, &format!("{at}/{i}"), out, depth + 1);
            }
        }
        Ty::Map(value) => {
            let Some(m) = v.as_object() else {
                wrong_type(out, at, "an object", v);
                return;
            };
            for (k, x) in m {
                check(api, value, x, &crate::diag::join(at, k), out, depth + 1);
            }
            check_size(m.len(), c, at, out);
        }
        Ty::Named(id) => {
            let def = api.ty(*id);
            match &def.kind {
                TypeKind::Alias(inner) => {
                    let merged = Shape {
                        nullable: shape.nullable || inner.nullable,
                        ..inner.clone()
                    };
                    check(api, &merged, v, at, out, depth + 1);
                    if !c.is_empty() {
                        check(
                            api,
                            &Shape {
                                ty: Ty::Any,
                                nullable: true,
                                constraints: c.clone(),
                            },
                            v,
                            at,
                            out,
                            depth + 1,
                        );
                    }
                }
                TypeKind::Enum(e) => {
                    let type_ok = match e.repr {
                        EnumRepr::String => v.is_string(),
                        EnumRepr::Integer => v.is_i64(),
                    };
                    if !type_ok {
                        wrong_type(out, at, "one of the enum's values", v);
                    } else if !e.variants.iter().any(|x| &x.value == v) {
                        push(
                            out,
                            at,
                            format!("{v} is not one of the listed values"),
                            false,
                        );
                    }
                }
                TypeKind::Struct(s) => {
                    let Some(m) = v.as_object() else {
                        wrong_type(out, at, "an object", v);
                        return;
                    };
                    for f in &s.fields {
                        match m.get(&f.name) {
                            Some(x) => check(
                                api,
                                &f.shape,
                                x,
                                &crate::diag::join(at, &f.name),
                                out,
                                depth + 1,
                            ),
                            None if f.required => push(
                                out,
                                at,
                                format!("missing required property `{}`", f.name),
                                true,
                            ),
                            None => {}
                        }
                    }
                    for (k, x) in m {
                        if s.fields.iter().any(|f| &f.name == k) {
                            continue;
                        }
                        match &s.additional {
                            Additional::Forbidden => push(
                                out,
                                &crate::diag::join(at, k),
                                format!("property `{k}` is not allowed"),
                                false,
                            ),
                            Additional::Typed(t) => {
                                check(api, t, x, &crate::diag::join(at, k), out, depth + 1)
                            }
                            Additional::Any => {}
                        }
                    }
                    check_size(m.len(), &s.constraints, at, out);
                    for (k, needed) in &s.dependent_required {
                        if !m.contains_key(k) {
                            continue;
                        }
                        for n in needed.iter().filter(|n| !m.contains_key(*n)) {
                            push(
                                out,
                                at,
                                format!("`{n}` is required when `{k}` is present"),
                                false,
                            );
                        }
                    }
                }
                TypeKind::Union(u) => {
                    if let Some(d) = &u.discriminator {
                        let tag = v.get(&d.property).and_then(Value::as_str);
                        match tag.and_then(|t| d.mapping.iter().find(|(k, _)| k == t)) {
                            Some((_, i)) => {
                                check(api, &u.variants[*i].shape, v, at, out, depth + 1)
                            }
                            None => push(
                                out,
                                at,
                                format!("discriminator `{}` has no listed value", d.property),
                                false,
                            ),
                        }
                        return;
                    }
                    let mut matched = 0;
                    let mut any_decodes = false;
                    for var in &u.variants {
                        let mut sub = Vec::new();
                        check(api, &var.shape, v, at, &mut sub, depth + 1);
                        if sub.is_empty() {
                            matched += 1;
                        }
                        if !sub.iter().any(|p| p.structural) {
                            any_decodes = true;
                        }
                    }
                    if matched == 0 {
                        push(out, at, "matches none of the alternatives", !any_decodes);
                    } else if u.one_of && matched > 1 {
                        push(
                            out,
                            at,
                            format!("matches {matched} alternatives of a oneOf"),
                            false,
                        );
                    }
                }
            }
        }
    }
}

fn named_nullable_any(api: &Api, shape: &Shape) -> bool {
    match &shape.ty {
        Ty::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => {
                inner.nullable
                    || matches!(inner.ty, Ty::Any | Ty::Null)
                    || named_nullable_any(api, inner)
            }
            _ => false,
        },
        _ => false,
    }
}

fn check_range(f: f64, c: &super::Constraints, at: &str, out: &mut Vec<Invalid>) {
    let below = c
        .minimum
        .is_some_and(|m| if c.exclusive_minimum { f <= m } else { f < m });
    let above = c
        .maximum
        .is_some_and(|m| if c.exclusive_maximum { f >= m } else { f > m });
    if below || above {
        push(out, at, format!("{f} is outside the allowed range"), false);
    }
    if let Some(m) = c.multiple_of {
        if m > 0.0 && ((f / m) - (f / m).round()).abs() > 1e-9 {
            push(out, at, format!("{f} is not a multiple of {m}"), false);
        }
    }
}

/// `minProperties` / `maxProperties` of an object with `n` properties.
fn check_size(n: usize, c: &super::Constraints, at: &str, out: &mut Vec<Invalid>) {
    if c.min_properties.is_some_and(|x| n < x) || c.max_properties.is_some_and(|x| n > x) {
        push(
            out,
            at,
            format!("{n} properties is outside the allowed range"),
            false,
        );
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(s[5..7].parse::<u32>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u32>(), Ok(1..=31))
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}
