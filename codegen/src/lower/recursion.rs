//! Pass: box recursive members. A structure or union member whose target can
//! lead back to the containing shape through structure/union members (lists
//! and maps already allocate) is boxed, so the Rust type has a finite size.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Shape, ShapeKind};

pub fn box_recursive_members(shapes: &mut BTreeMap<String, Shape>) {
    let edges: BTreeMap<String, Vec<String>> = shapes
        .iter()
        .map(|(id, shape)| {
            let targets = match &shape.kind {
                ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                    members.iter().map(|m| m.target.clone()).collect()
                }
                _ => Vec::new(),
            };
            (id.clone(), targets)
        })
        .collect();
    for (id, shape) in shapes.iter_mut() {
        if let ShapeKind::Structure(members) | ShapeKind::Union(members) = &mut shape.kind {
            for member in members {
                member.boxed = reaches(&edges, &member.target, id);
            }
        }
    }
}

/// Whether `goal` is reachable from `start` along inline (unboxed) edges.
fn reaches(edges: &BTreeMap<String, Vec<String>>, start: &str, goal: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut pending = vec![start];
    while let Some(id) = pending.pop() {
        if id == goal {
            return true;
        }
        if seen.insert(id) {
            if let Some(next) = edges.get(id) {
                pending.extend(next.iter().map(String::as_str));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::ir::ShapeKind;
    use crate::lower::tests::lower_str;

    #[test]
    fn boxes_direct_and_mutual_recursion_but_not_through_lists() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}]},
                "a#Op": {"type": "operation", "input": {"target": "a#In"}},
                "a#In": {"type": "structure", "members": {"node": {"target": "a#Node"}, "a": {"target": "a#A"}}},
                "a#Node": {"type": "structure", "members": {
                    "next": {"target": "a#Node"}, "children": {"target": "a#Nodes"}, "name": {"target": "smithy.api#String"}}},
                "a#Nodes": {"type": "list", "member": {"target": "a#Node"}},
                "a#A": {"type": "union", "members": {"b": {"target": "a#B"}}},
                "a#B": {"type": "structure", "members": {"a": {"target": "a#A"}}}}"#,
        );
        let boxed = |id: &str| -> Vec<bool> {
            match &model.shape(id).kind {
                ShapeKind::Structure(m) | ShapeKind::Union(m) => m.iter().map(|m| m.boxed).collect(),
                _ => panic!("aggregate"),
            }
        };
        assert_eq!(boxed("a#Node"), [true, false, false]);
        assert_eq!(boxed("a#A"), [true]);
        assert_eq!(boxed("a#B"), [true]);
        assert_eq!(boxed("a#In"), [false, false]);
    }
}
