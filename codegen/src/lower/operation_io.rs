//! Pass: give every operation an input and an output structure of its own.
//!
//! A missing input/output (or `smithy.api#Unit`) becomes an empty synthesized
//! structure; one shared with another operation or used as a member target is
//! copied, so each operation's input and output can be named after it
//! (`CreateStageInput`) and live in its module.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Constraints, Operation, Role, Shape, ShapeKind};
use crate::lower::prelude::UNIT;

/// Namespace of the structures this pass creates.
pub const SYNTHETIC_NAMESPACE: &str = "smithy.synthetic";

pub fn give_operations_own_io(operations: &mut [Operation], shapes: &mut BTreeMap<String, Shape>) {
    let mut member_targets: BTreeSet<String> = BTreeSet::new();
    for shape in shapes.values() {
        match &shape.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                member_targets.extend(members.iter().map(|m| m.target.clone()))
            }
            ShapeKind::List { member, .. } => {
                member_targets.insert(member.target.clone());
            }
            ShapeKind::Map { value, .. } => {
                member_targets.insert(value.target.clone());
            }
            _ => {}
        }
    }
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for op in operations.iter() {
        *uses.entry(op.input.clone()).or_default() += 1;
        *uses.entry(op.output.clone()).or_default() += 1;
    }
    for op in operations.iter_mut() {
        for is_input in [true, false] {
            let current = if is_input { &op.input } else { &op.output };
            let dedicated = current != UNIT
                && uses.get(current) == Some(&1)
                && !member_targets.contains(current)
                && shapes.get(current).is_some_and(|s| s.role == Role::Data);
            let role = if is_input { Role::Input(op.id.clone()) } else { Role::Output(op.id.clone()) };
            let new_id = if dedicated {
                current.clone()
            } else {
                let suffix = if is_input { "Input" } else { "Output" };
                let id = format!("{SYNTHETIC_NAMESPACE}#{}{suffix}", op.name);
                let shape = match shapes.get(current) {
                    // The copy keeps the original's name on the wire: restXml
                    // names a body's root element after it.
                    Some(original) if current != UNIT => Shape {
                        id: id.clone(),
                        xml_name: original.xml_name.clone().or_else(|| Some(crate::ir::local_name(current).to_string())),
                        ..original.clone()
                    },
                    _ => empty_structure(&id),
                };
                shapes.insert(id.clone(), shape);
                id
            };
            if let Some(shape) = shapes.get_mut(&new_id) {
                shape.role = role;
            }
            if is_input {
                op.input = new_id;
            } else {
                op.output = new_id;
            }
        }
    }
    // Unit itself is never generated: unions use it for value-less variants,
    // which need no type.
    if !member_targets.contains(UNIT) {
        shapes.remove(UNIT);
    }
}

fn empty_structure(id: &str) -> Shape {
    Shape {
        id: id.to_string(),
        kind: ShapeKind::Structure(Vec::new()),
        role: Role::Data,
        rust_name: String::new(),
        docs: None,
        sensitive: false,
        deprecated: None,
        constraints: Constraints::default(),
        timestamp_format: None,
        http_error: None,
        media_type: None,
        unit: true,
        streaming: false,
        requires_length: false,
        query_error: None,
        error_tests: Vec::new(),
        xml_name: None,
        xml_namespace: None,
        retryable: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::lower_str;

    #[test]
    fn every_operation_gets_its_own_input_and_output() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1",
                          "operations": [{"target": "a#One"}, {"target": "a#Two"}]},
                "a#One": {"type": "operation", "input": {"target": "a#Shared"}, "output": {"target": "a#OneOut"}},
                "a#Two": {"type": "operation", "input": {"target": "a#Shared"}},
                "a#Shared": {"type": "structure", "members": {"x": {"target": "smithy.api#String"}}},
                "a#OneOut": {"type": "structure"}}"#,
        );
        let one = &model.operations[0];
        let two = &model.operations[1];
        assert_eq!(one.input, "smithy.synthetic#OneInput");
        assert_eq!(two.input, "smithy.synthetic#TwoInput");
        assert_eq!(one.output, "a#OneOut", "a dedicated output is kept");
        assert_eq!(two.output, "smithy.synthetic#TwoOutput");
        assert!(model.shape(&two.output).unit);
        assert_eq!(model.shape(&one.input).role, Role::Input("a#One".into()));
        let ShapeKind::Structure(members) = &model.shape(&two.input).kind else { panic!("structure") };
        assert_eq!(members[0].name, "x", "a copy keeps the members");
        assert_eq!(model.shape(&one.input).xml_name.as_deref(), Some("Shared"), "a copy keeps its wire name");
        assert_eq!(model.shape(&one.output).xml_name, None, "a dedicated shape has its own name");
        assert!(!model.shapes.contains_key(UNIT));
    }
}
