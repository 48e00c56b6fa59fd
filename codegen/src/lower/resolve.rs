//! Pass: resolve every target. Each member, list member, map key/value,
//! operation input/output/error and service/resource reference must name a
//! defined shape (or a prelude shape) of a kind that fits where it is used.

use std::collections::BTreeMap;

use crate::ast::{MemberDef, Shape, ShapeRef};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// What a reference may point at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Members, list members, map keys and values: any data shape.
    Data,
    Structure,
    Operation,
    Resource,
}

pub fn resolve_targets(shapes: &BTreeMap<String, Shape>, diagnostics: &mut Diagnostics) {
    for (id, shape) in shapes {
        let mut check_member = |member: &str, def: &MemberDef| {
            if let Err(message) = check(shapes, &def.target, Expect::Data) {
                diagnostics.push(Diagnostic::member(id, member, message));
            }
        };
        match shape {
            Shape::Structure(s) | Shape::Union(s) => {
                for (name, def) in &s.members.0 {
                    check_member(name, def);
                }
            }
            Shape::List(s) | Shape::Set(s) => check_member("member", &s.member),
            Shape::Map(s) => {
                check_member("key", &s.key);
                check_member("value", &s.value);
                if let Some(key) = shapes.get(&s.key.target) {
                    if !matches!(key, Shape::String(_) | Shape::Enum(_)) {
                        diagnostics.push(Diagnostic::member(
                            id,
                            "key",
                            format!("map keys must be strings, but `{}` is a {}", s.key.target, key.type_name()),
                        ));
                    }
                }
            }
            Shape::Operation(op) => {
                let refs = op.input.iter().map(|r| ("input", r, Expect::Structure))
                    .chain(op.output.iter().map(|r| ("output", r, Expect::Structure)))
                    .chain(op.errors.iter().map(|r| ("errors", r, Expect::Structure)));
                check_refs(id, shapes, refs, diagnostics);
            }
            Shape::Service(svc) => {
                let refs = svc.operations.iter().map(|r| ("operations", r, Expect::Operation))
                    .chain(svc.resources.iter().map(|r| ("resources", r, Expect::Resource)))
                    .chain(svc.errors.iter().map(|r| ("errors", r, Expect::Structure)));
                check_refs(id, shapes, refs, diagnostics);
            }
            Shape::Resource(res) => {
                let lifecycle = [&res.create, &res.put, &res.read, &res.update, &res.delete, &res.list];
                let refs = lifecycle.into_iter().flatten().map(|r| ("lifecycle", r, Expect::Operation))
                    .chain(res.operations.iter().map(|r| ("operations", r, Expect::Operation)))
                    .chain(res.collection_operations.iter().map(|r| ("collectionOperations", r, Expect::Operation)))
                    .chain(res.resources.iter().map(|r| ("resources", r, Expect::Resource)))
                    .chain(res.identifiers.values().map(|r| ("identifiers", r, Expect::Data)));
                check_refs(id, shapes, refs, diagnostics);
            }
            _ => {}
        }
    }
}

fn check_refs<'a>(
    id: &str,
    shapes: &BTreeMap<String, Shape>,
    refs: impl Iterator<Item = (&'static str, &'a ShapeRef, Expect)>,
    diagnostics: &mut Diagnostics,
) {
    for (field, reference, expect) in refs {
        if let Err(message) = check(shapes, &reference.target, expect) {
            diagnostics.push(Diagnostic::shape(id, format!("`{field}`: {message}")));
        }
    }
}

fn check(shapes: &BTreeMap<String, Shape>, target: &str, expect: Expect) -> Result<(), String> {
    let Some(shape) = shapes.get(target) else {
        return Err(format!("targets `{target}`, which is not defined"));
    };
    let fits = match expect {
        Expect::Data => !matches!(shape, Shape::Service(_) | Shape::Operation(_) | Shape::Resource(_)),
        Expect::Structure => matches!(shape, Shape::Structure(_)),
        Expect::Operation => matches!(shape, Shape::Operation(_)),
        Expect::Resource => matches!(shape, Shape::Resource(_)),
    };
    if fits {
        Ok(())
    } else {
        let wanted = match expect {
            Expect::Data => "a data shape",
            Expect::Structure => "a structure",
            Expect::Operation => "an operation",
            Expect::Resource => "a resource",
        };
        Err(format!("targets `{target}`, a {}, but {wanted} is required here", shape.type_name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::shapes_of;

    #[test]
    fn dangling_and_misplaced_targets_are_reported() {
        let shapes = shapes_of(
            r#"{"a#S": {"type": "structure", "members": {"x": {"target": "a#Missing"}, "y": {"target": "a#Op"}}},
                "a#Op": {"type": "operation", "input": {"target": "smithy.api#String"}},
                "a#M": {"type": "map", "key": {"target": "smithy.api#Integer"}, "value": {"target": "a#S"}}}"#,
        );
        let mut diagnostics = Diagnostics::default();
        resolve_targets(&shapes, &mut diagnostics);
        let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "a#M$key: map keys must be strings, but `smithy.api#Integer` is a integer",
                "a#Op: `input`: targets `smithy.api#String`, a string, but a structure is required here",
                "a#S$x: targets `a#Missing`, which is not defined",
                "a#S$y: targets `a#Op`, a operation, but a data shape is required here",
            ]
        );
    }
}
