//! Which checks a value of a shape needs beyond what decoding enforces: a plain-data plan per shape, computed from the model, that the server's emitter turns into code.

use super::{Api, Constraints, NumKind, Shape, Ty, TypeKind};

/// How deep a plan follows aliases and items.
const MAX_DEPTH: usize = 8;

/// The checks of one value. A plan is never empty: a value with nothing to
/// check has no plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Checks {
    /// The shape's constraints that apply to its type, in the order they are
    /// checked.
    pub constraints: Vec<Constraint>,
    /// Whether the value is an `f64` already (numbers are compared as `f64`).
    pub is_f64: bool,
    /// What is checked after the constraints.
    pub then: Option<Then>,
}

/// A constraint of the schema that decoding does not enforce.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// A string of at least this many characters (more than 0).
    MinLength(usize),
    /// A string of at most this many characters.
    MaxLength(usize),
    /// A string that matches this regular expression.
    Pattern(String),
    /// A number not below (or, exclusive, above) the bound.
    Minimum { bound: f64, exclusive: bool },
    /// A number not above (or, exclusive, below) the bound.
    Maximum { bound: f64, exclusive: bool },
    /// A number that is a multiple of this (more than 0).
    MultipleOf(f64),
    /// An array of at least this many items (more than 0).
    MinItems(usize),
    /// An array of at most this many items.
    MaxItems(usize),
    /// An array whose items are unique.
    UniqueItems,
    /// A map whose keys each match this regular expression.
    KeyPattern(String),
}

/// What is checked of a value beyond its own constraints.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    /// The value is of an alias: the aliased shape's checks, on the same value
    /// (on the value inside the `Option` when `optional`).
    Alias { optional: bool, checks: Box<Checks> },
    /// The value is of a named type with checks of its own: its `validate`.
    Validate,
    /// Each item of an array (with its index) or each value of a map (with
    /// its key, `map`), inside the `Option` when `optional`.
    Items {
        map: bool,
        optional: bool,
        checks: Box<Checks>,
    },
}

impl Api {
    /// The checks a value of `shape` needs (its nullability handled by the
    /// caller), or `None` when it has none. The plan follows aliases, visits
    /// only the named types that can hold a value breaking a constraint
    /// ([`Api::checked`]), checks arrays and maps per item, and stops at a
    /// depth of 8 (deeper values are not checked).
    pub fn checks(&self, shape: &Shape) -> Option<Checks> {
        self.checks_at(shape, 0)
    }

    fn checks_at(&self, shape: &Shape, depth: usize) -> Option<Checks> {
        if depth > MAX_DEPTH {
            return None;
        }
        let constraints = constraints(&shape.constraints, &shape.ty);
        let then = match &shape.ty {
            Ty::Named(id) => match &self.ty(*id).kind {
                TypeKind::Alias(inner) => {
                    self.checks_at(inner, depth + 1).map(|checks| Then::Alias {
                        optional: held_in_option(inner),
                        checks: Box::new(checks),
                    })
                }
                // Types whose values cannot break a constraint are not visited.
                _ if !self.checked[id.0] => None,
                _ => Some(Then::Validate),
            },
            Ty::Array(item) | Ty::Map(item) => {
                self.checks_at(item, depth + 1).map(|checks| Then::Items {
                    map: matches!(shape.ty, Ty::Map(_)),
                    optional: held_in_option(item),
                    checks: Box::new(checks),
                })
            }
            _ => None,
        };
        if constraints.is_empty() && then.is_none() {
            return None;
        }
        Some(Checks {
            constraints,
            is_f64: matches!(shape.ty, Ty::Number(NumKind::F64)),
            then,
        })
    }
}

/// Whether a value of `shape` is held in an `Option` (nullable, and `null` is
/// not a value of its type itself).
fn held_in_option(shape: &Shape) -> bool {
    shape.nullable && !matches!(shape.ty, Ty::Any | Ty::Null)
}

/// The constraints of `c` that apply to a value of `ty`, in order.
fn constraints(c: &Constraints, ty: &Ty) -> Vec<Constraint> {
    let mut out = Vec::new();
    match ty {
        Ty::String => {
            out.extend(c.min_length.filter(|m| *m > 0).map(Constraint::MinLength));
            out.extend(c.max_length.map(Constraint::MaxLength));
            out.extend(c.pattern.clone().map(Constraint::Pattern));
        }
        Ty::Integer(_) | Ty::Number(_) => {
            out.extend(c.minimum.map(|bound| Constraint::Minimum {
                bound,
                exclusive: c.exclusive_minimum,
            }));
            out.extend(c.maximum.map(|bound| Constraint::Maximum {
                bound,
                exclusive: c.exclusive_maximum,
            }));
            out.extend(
                c.multiple_of
                    .filter(|m| *m > 0.0)
                    .map(Constraint::MultipleOf),
            );
        }
        Ty::Array(_) => {
            out.extend(c.min_items.filter(|m| *m > 0).map(Constraint::MinItems));
            out.extend(c.max_items.map(Constraint::MaxItems));
            if c.unique_items {
                out.push(Constraint::UniqueItems);
            }
        }
        Ty::Map(_) => out.extend(c.key_pattern.clone().map(Constraint::KeyPattern)),
        _ => {}
    }
    out
}
