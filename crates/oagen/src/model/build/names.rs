//! Names, claimed in a fixed order (components, operations, inline types) so that they are stable.

use std::collections::BTreeSet;

use openapiv3::ReferenceOr;

use super::{Builder, Resolved, COMPONENT_SCHEMAS};
use crate::diag::join;
use crate::model::naming::{self, Namer};
use crate::model::schema::is_null_only;
use crate::model::{Constraints, MediaKind, Shape, Ty, TypeDef, TypeId, TypeKind};

/// The names an operation is given before any of its types is built.
pub(super) struct OpNames {
    /// The operationId, or one made from the method and path.
    pub(super) id: String,
    /// The Rust method name.
    pub(super) fn_name: String,
    /// The type-name stem.
    pub(super) stem: String,
    /// The name of its response type.
    pub(super) response_type: String,
    /// The name of its parameters type.
    pub(super) params_type: String,
    /// The client's method that asks for the streamed form, when a response
    /// offers a stream and a whole body.
    pub(super) stream_fn: Option<String>,
}

impl<'a> Builder<'a> {
    /// Claims each component schema's name, in document order, and records what
    /// a reference to it resolves to (its body is built later).
    pub(super) fn claim_component_names(&mut self) -> Vec<(String, TypeId)> {
        let mut component_ids = Vec::new();
        if let Some(c) = &self.doc.components {
            for (name, schema) in &c.schemas {
                let id = self.reserve(naming::type_name(name, "Schema"));
                component_ids.push((name.clone(), id));
                let (nullable, default) = match schema {
                    ReferenceOr::Item(s) => (
                        s.schema_data.nullable || is_null_only(s),
                        s.schema_data.default.clone(),
                    ),
                    ReferenceOr::Reference { .. } => (false, None),
                };
                let shape = Shape {
                    ty: Ty::Named(id),
                    nullable,
                    constraints: Constraints::default(),
                };
                self.by_pointer
                    .insert(join(COMPONENT_SCHEMAS, name), Resolved { shape, default });
            }
        }
        component_ids
    }

    /// Each operation's names, in document order: its method name (unique among
    /// operations and the methods next to them) and its response and parameters
    /// type names.
    pub(super) fn operation_names(&mut self) -> Vec<OpNames> {
        let mut op_names = Vec::new();
        let mut fn_namer = Namer::new();
        for taken in naming::OPERATION_NEIGHBOURS {
            fn_namer.reserve(taken);
        }
        // Each operation's id (made up when missing) and the text its names come from.
        // A hook's names take a suffix saying what it is when an operation has
        // taken them (`_webhook`, `_callback`).
        let sources: Vec<(String, String, Option<&str>)> = self
            .operations()
            .into_iter()
            .map(|(path, method, op, _, section)| {
                let site = self.callback_site(section, path);
                let id = op
                    .operation_id
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| match (section, site) {
                        // A webhook is named by its key.
                        ("/webhooks", _) => path.to_string(),
                        // A callback by its owner and its name (and its method
                        // when the callback has several operations).
                        (_, Some(site)) => {
                            let owner = site
                                .owner
                                .operation_id
                                .clone()
                                .filter(|s| !s.trim().is_empty())
                                .unwrap_or_else(|| {
                                    synth_operation_id(site.owner_method, site.owner_path)
                                });
                            match site.operations {
                                1 => format!("{owner}_{}", site.name),
                                _ => format!("{owner}_{}_{method}", site.name),
                            }
                        }
                        _ => synth_operation_id(method, path),
                    });
                let stem_source = strip_fastapi_suffix(&id, method, path);
                let hook = match (section, site) {
                    ("/webhooks", _) => Some("webhook"),
                    (_, Some(_)) => Some("callback"),
                    _ => None,
                };
                (id, stem_source, hook)
            })
            .collect();
        // The server's trait has a `reject_<operation>` hook per operation: an
        // operation named `reject_<another operation>` takes a longer name.
        let snakes: Vec<String> = sources
            .iter()
            .map(|(_, source, _)| naming::snake_ident(source, "operation"))
            .collect();
        let bare: BTreeSet<&str> = snakes.iter().map(|s| naming::bare(s)).collect();
        let choices: Vec<bool> = self
            .operations()
            .into_iter()
            .map(|(_, _, op, _, _)| self.offers_stream_choice(op))
            .collect();
        for ((id, stem_source, hook), snake) in sources.into_iter().zip(&snakes) {
            let fn_name = match naming::bare(snake).strip_prefix("reject_") {
                Some(rest) if bare.contains(rest) => {
                    fn_namer.claim(&format!("{}_operation", naming::bare(snake)))
                }
                // A hook named like an operation is told apart as one.
                _ if hook.is_some() => fn_namer.claim_first(&[
                    snake.clone(),
                    format!("{}_{}", naming::bare(snake), hook.unwrap_or_default()),
                ]),
                _ => fn_namer.claim(snake),
            };
            let stem = naming::type_name(&stem_source, "Operation");
            let [response_type, params_type] = ["Response", "Params"].map(|suffix| {
                let mut candidates = vec![format!("{stem}{suffix}")];
                if let Some(kind) = hook {
                    candidates.push(format!("{stem}{}{suffix}", naming::type_name(kind, "Hook")));
                }
                self.names.claim_first(&candidates)
            });
            op_names.push(OpNames {
                id,
                fn_name,
                stem,
                response_type,
                params_type,
                stream_fn: None,
            });
        }
        // Claimed after every operation's own name, which they never take.
        for (names, choice) in op_names.iter_mut().zip(choices) {
            if choice {
                let name = format!("{}_streamed", naming::bare(&names.fn_name));
                names.stream_fn = Some(fn_namer.claim(&name));
            }
        }
        op_names
    }

    /// Whether a response of `op` is declared both as a stream and as a
    /// whole body (a chat API's JSON or event stream), so the client lets
    /// the caller choose with `Accept`; or as bytes, which the client reads
    /// whole or, with the second method, leaves arriving.
    fn offers_stream_choice(&self, op: &openapiv3::Operation) -> bool {
        let responses = op.responses.responses.values().chain(&op.responses.default);
        responses.into_iter().any(|r| {
            let resolved = match r {
                ReferenceOr::Item(r) => Some(r),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| self.doc.components.as_ref()?.responses.get(name))
                    .and_then(|r| r.as_item()),
            };
            resolved.is_some_and(|r| {
                let kinds = r.content.keys().map(|m| MediaKind::of_response(m));
                let (mut stream, mut whole, mut bytes) = (false, false, false);
                for k in kinds {
                    stream |= k.streams();
                    whole |= !k.streams();
                    bytes |= k == MediaKind::Binary;
                }
                (stream && whole) || bytes
            })
        })
    }

    /// A new type named `name` (made unique), defined later.
    fn reserve(&mut self, name: String) -> TypeId {
        let name = self.names.claim(&name);
        self.push_type(name)
    }

    /// A new type named after the first free candidate, defined later.
    pub(super) fn new_type(&mut self, candidates: &[String]) -> TypeId {
        let bounded: Vec<String> = candidates.iter().map(|c| bounded_name(c)).collect();
        let name = self.names.claim_first(&bounded);
        self.push_type(name)
    }

    fn push_type(&mut self, name: String) -> TypeId {
        self.types.push(Some(placeholder(name)));
        TypeId(self.types.len() - 1)
    }

    /// The name claimed for a type.
    pub(super) fn type_name_of(&self, id: TypeId) -> String {
        self.types[id.0]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }
}

/// The longest type name made from context. Inline types are named from where
/// they stand (`GetPetOkBodyOwnerAddress`), so a name grows with the depth of
/// nesting: past this length (beyond the inline names of GitHub's and Stripe's
/// specs) it keeps its first words and its last ones, and the `Namer` numbers
/// the ones that then collide.
pub(super) const MAX_NAME: usize = 128;

/// `name` (PascalCase) shortened to at most about [`MAX_NAME`] characters:
/// its leading words up to 88 characters and its trailing words up to 40.
pub(super) fn bounded_name(name: &str) -> String {
    if name.len() <= MAX_NAME {
        return name.to_string();
    }
    let mut words: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    let (mut head, mut tail) = (String::new(), Vec::new());
    let mut used = 0;
    for w in &words {
        if head.len() + w.len() > 88 && !head.is_empty() {
            break;
        }
        head.push_str(w);
        used += 1;
    }
    let mut tail_len = 0;
    for w in words[used..].iter().rev() {
        if tail_len + w.len() > 40 && !tail.is_empty() {
            break;
        }
        tail_len += w.len();
        tail.push(*w);
    }
    tail.reverse();
    let out = format!("{head}{}", tail.concat());
    // A single word longer than the limit is cut at a character boundary.
    match out.char_indices().nth(MAX_NAME) {
        Some((i, _)) => out[..i].to_string(),
        None => out,
    }
}

/// A type that is only a name so far: any JSON value until it is defined.
pub(super) fn placeholder(name: String) -> TypeDef {
    TypeDef {
        name,
        docs: None,
        pointer: String::new(),
        kind: TypeKind::Alias(Shape::plain(Ty::Any)),
    }
}

/// An operation id for an operation that has none: method and path.
fn synth_operation_id(method: &str, path: &str) -> String {
    let mut s = method.to_string();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        s.push('_');
        if let Some(var) = seg.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            s.push_str("by_");
            s.push_str(var);
        } else {
            s.push_str(seg);
        }
    }
    s
}

/// FastAPI makes operation ids as `<function>_<path>_<method>`; the function name
/// alone reads better and is what the API's authors named the operation.
fn strip_fastapi_suffix(id: &str, method: &str, path: &str) -> String {
    let path_part = naming::snake_ident(path, "");
    let suffix = format!("_{}_{}", path_part.trim_start_matches("r#"), method);
    match id.strip_suffix(&suffix) {
        Some(stem) if !stem.is_empty() && !path_part.is_empty() => stem.to_string(),
        _ => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{bounded_name, MAX_NAME};

    #[test]
    fn long_context_names_keep_their_first_and_last_words() {
        assert_eq!(bounded_name("GetPetOkBody"), "GetPetOkBody");
        let deep = format!("GetDeepOkBody{}Leaf", "Child".repeat(200));
        let short = bounded_name(&deep);
        assert!(short.len() <= MAX_NAME, "{short}");
        assert!(short.starts_with("GetDeepOkBodyChild"), "{short}");
        assert!(short.ends_with("ChildLeaf"), "{short}");
        let one_word = format!("A{}", "b".repeat(300));
        assert_eq!(bounded_name(&one_word).len(), MAX_NAME);
    }
}
