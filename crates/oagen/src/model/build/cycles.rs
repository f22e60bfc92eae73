//! Types that contain themselves: alias loops broken, fields closing a cycle boxed (Tarjan).

use super::Builder;
use crate::model::{Api, Shape, Ty, TypeKind};

impl<'a> Builder<'a> {
    /// An alias that resolves to itself without ever reaching a type (`S: {oneOf:
    /// [{$ref: S}]}`) admits any value that S admits, which is vacuous: it becomes
    /// any JSON value, with a warning.
    pub(super) fn break_alias_loops(&mut self, api: &mut Api) {
        for start in 0..api.types.len() {
            let mut cur = start;
            let mut steps = 0;
            let looped = loop {
                match &api.types[cur].kind {
                    TypeKind::Alias(Shape {
                        ty: Ty::Named(next),
                        ..
                    }) => {
                        cur = next.0;
                        steps += 1;
                        if cur == start {
                            break true;
                        }
                        if steps > api.types.len() {
                            break false;
                        }
                    }
                    _ => break false,
                }
            };
            if looped {
                let t = &mut api.types[start];
                self.diags.warn(
                    t.pointer.clone(),
                    format!(
                        "`{}` is defined only in terms of itself; it accepts any JSON value",
                        t.name
                    ),
                );
                t.kind = TypeKind::Alias(Shape::plain(Ty::Any));
            }
        }
    }
}

/// Marks the fields and variants that must be boxed: those whose type contains
/// the owner by value (through fields, variants and aliases, not through Vec or map).
pub(super) fn mark_boxes(api: &mut Api) {
    let n = api.types.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, t) in api.types.iter().enumerate() {
        let mut add = |s: &Shape| {
            if let Ty::Named(id) = s.ty {
                edges[i].push(id.0);
            }
        };
        match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| add(&f.shape)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| add(&v.shape)),
            TypeKind::Alias(s) => add(s),
            TypeKind::Enum(_) => {}
        }
    }
    let scc = tarjan(&edges);
    for i in 0..n {
        let comp = scc[i];
        let same = |s: &Shape| matches!(s.ty, Ty::Named(id) if scc[id.0] == comp);
        match &mut api.types[i].kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = same(&f.shape);
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = same(&v.shape);
                }
            }
            _ => {}
        }
    }
}

/// Strongly connected components (iterative Tarjan); returns each node's component,
/// and gives a node that is alone and has no self-edge a component of its own.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let members: Vec<usize> = {
                        let mut m = Vec::new();
                        while let Some(w) = stack.pop() {
                            on_stack[w] = false;
                            m.push(w);
                            if w == v {
                                break;
                            }
                        }
                        m
                    };
                    let cyclic = members.len() > 1 || edges[v].contains(&v);
                    for w in members {
                        comp[w] = if cyclic { next_comp } else { usize::MAX - w };
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}
