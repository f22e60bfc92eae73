//! How deeply the named types contain each other, and the `recursion_limit` rustc then needs.

use super::{Additional, Api, Shape, Ty, TypeKind};

/// rustc's default `recursion_limit`.
const DEFAULT_LIMIT: usize = 128;

impl Api {
    /// The longest chain of named types that contain one another (through
    /// fields, variants, aliases, arrays and maps). A cycle counts once: its
    /// fields are boxed and rustc handles recursive types without descending.
    pub fn nesting_depth(&self) -> usize {
        let n = self.types.len();
        let edges: Vec<Vec<usize>> = self.types.iter().map(|t| contained(&t.kind)).collect();
        // 0: not visited, 1: on the path, 2: done.
        let mut state = vec![0u8; n];
        let mut depth = vec![0usize; n];
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            // An explicit stack: a spec may nest thousands of levels.
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&child) = edges[node].get(*next) {
                    *next += 1;
                    if state[child] == 0 {
                        state[child] = 1;
                        stack.push((child, 0));
                    }
                    continue;
                }
                let deepest = edges[node]
                    .iter()
                    .filter(|&&c| state[c] == 2)
                    .map(|&c| depth[c])
                    .max()
                    .unwrap_or(0);
                depth[node] = deepest + 1;
                state[node] = 2;
                stack.pop();
            }
        }
        depth.into_iter().max().unwrap_or(0)
    }

    /// The `recursion_limit` a crate of these types needs, when it is more than
    /// rustc's default: drop-check and layout queries descend about twice per
    /// level of nesting (the type and the `Option` or `Vec` around it).
    pub fn recursion_limit(&self) -> Option<usize> {
        let needed = self.nesting_depth().saturating_mul(4);
        (needed > DEFAULT_LIMIT / 2).then(|| needed.next_power_of_two().max(2 * DEFAULT_LIMIT))
    }
}

/// The named types a type holds directly.
fn contained(kind: &TypeKind) -> Vec<usize> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| named_in(&f.shape, &mut out));
            if let Additional::Typed(shape) = &s.additional {
                named_in(shape, &mut out);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| named_in(&v.shape, &mut out)),
        TypeKind::Alias(s) => named_in(s, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

fn named_in(shape: &Shape, out: &mut Vec<usize>) {
    let mut ty = &shape.ty;
    loop {
        match ty {
            Ty::Named(id) => {
                out.push(id.0);
                return;
            }
            Ty::Array(inner) | Ty::Map(inner) => ty = &inner.ty,
            _ => return,
        }
    }
}
