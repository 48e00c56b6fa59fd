//! Pass: find the one service and walk everything it reaches (operations,
//! resources and their operations, inputs, outputs, errors, member targets).

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{ResourceShape, Shape};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The service to generate: `wanted` when given (it must exist), otherwise the
/// model's only service.
pub fn find_service(shapes: &BTreeMap<String, Shape>, wanted: Option<&str>, diagnostics: &mut Diagnostics) -> Option<String> {
    if let Some(wanted) = wanted {
        return match shapes.get(wanted) {
            Some(Shape::Service(_)) => Some(wanted.to_string()),
            Some(other) => {
                diagnostics.push(Diagnostic::shape(wanted, format!("is a {}, not a service", other.type_name())));
                None
            }
            None => {
                diagnostics.push(Diagnostic::model(format!("the model has no service `{wanted}`")));
                None
            }
        };
    }
    let services: Vec<&String> = shapes.iter().filter(|(_, s)| matches!(s, Shape::Service(_))).map(|(id, _)| id).collect();
    match services.as_slice() {
        [one] => Some((*one).clone()),
        [] => {
            diagnostics.push(Diagnostic::model("the model has no service shape; a client needs exactly one"));
            None
        }
        many => {
            let names: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
            diagnostics.push(Diagnostic::model(format!(
                "the model has {} services ({}); choose one to generate",
                many.len(),
                names.join(", ")
            )));
            None
        }
    }
}

/// Every shape id reachable from the service, and the operations in id order.
pub struct Closure {
    pub shapes: BTreeSet<String>,
    pub operations: Vec<String>,
}

pub fn walk_closure(service: &str, shapes: &BTreeMap<String, Shape>) -> Closure {
    let mut operations = BTreeSet::new();
    let mut data = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    let Some(Shape::Service(svc)) = shapes.get(service) else {
        return Closure { shapes: data, operations: Vec::new() };
    };
    operations.extend(svc.operations.iter().map(|r| r.target.clone()));
    pending.extend(svc.errors.iter().map(|r| r.target.clone()));
    let mut resources: Vec<String> = svc.resources.iter().map(|r| r.target.clone()).collect();
    let mut seen_resources = BTreeSet::new();
    while let Some(resource) = resources.pop() {
        if !seen_resources.insert(resource.clone()) {
            continue;
        }
        if let Some(Shape::Resource(res)) = shapes.get(&resource) {
            operations.extend(resource_operations(res));
            resources.extend(res.resources.iter().map(|r| r.target.clone()));
            pending.extend(res.identifiers.values().map(|r| r.target.clone()));
        }
    }
    for op in &operations {
        if let Some(Shape::Operation(o)) = shapes.get(op) {
            pending.extend(o.input.iter().chain(o.output.iter()).chain(o.errors.iter()).map(|r| r.target.clone()));
        }
    }
    while let Some(id) = pending.pop() {
        if !data.insert(id.clone()) {
            continue;
        }
        match shapes.get(&id) {
            Some(Shape::Structure(s) | Shape::Union(s)) => pending.extend(s.members.0.iter().map(|(_, m)| m.target.clone())),
            Some(Shape::List(s) | Shape::Set(s)) => pending.push(s.member.target.clone()),
            Some(Shape::Map(s)) => {
                pending.push(s.key.target.clone());
                pending.push(s.value.target.clone());
            }
            _ => {}
        }
    }
    Closure { shapes: data, operations: operations.into_iter().collect() }
}

fn resource_operations(res: &ResourceShape) -> Vec<String> {
    let lifecycle = [&res.create, &res.put, &res.read, &res.update, &res.delete, &res.list];
    lifecycle
        .into_iter()
        .flatten()
        .chain(res.operations.iter())
        .chain(res.collection_operations.iter())
        .map(|r| r.target.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::shapes_of;

    #[test]
    fn walks_operations_resources_errors_and_members() {
        let shapes = shapes_of(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}],
                          "resources": [{"target": "a#R"}], "errors": [{"target": "a#SvcErr"}]},
                "a#R": {"type": "resource", "read": {"target": "a#Get"}},
                "a#Op": {"type": "operation", "input": {"target": "a#In"}},
                "a#Get": {"type": "operation", "output": {"target": "a#Out"}},
                "a#In": {"type": "structure", "members": {"l": {"target": "a#L"}}},
                "a#L": {"type": "list", "member": {"target": "a#Item"}},
                "a#Item": {"type": "structure"},
                "a#Out": {"type": "structure"},
                "a#SvcErr": {"type": "structure", "traits": {"smithy.api#error": "client"}},
                "a#Unused": {"type": "structure"}}"#,
        );
        let mut diagnostics = Diagnostics::default();
        let service = find_service(&shapes, None, &mut diagnostics).expect("one service");
        let closure = walk_closure(&service, &shapes);
        assert_eq!(closure.operations, ["a#Get", "a#Op"]);
        let data: Vec<&str> = closure.shapes.iter().map(String::as_str).collect();
        assert_eq!(data, ["a#In", "a#Item", "a#L", "a#Out", "a#SvcErr"]);
    }

    #[test]
    fn zero_or_two_services_is_an_error() {
        let mut diagnostics = Diagnostics::default();
        assert!(find_service(&shapes_of(r#"{"a#S": {"type": "string"}}"#), None, &mut diagnostics).is_none());
        let two = shapes_of(r#"{"a#A": {"type": "service"}, "a#B": {"type": "service"}}"#);
        assert!(find_service(&two, None, &mut diagnostics).is_none());
        let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert!(text[0].contains("no service shape"), "{text:?}");
        assert!(text[1].contains("2 services (a#A, a#B)"), "{text:?}");
        assert_eq!(find_service(&two, Some("a#B"), &mut diagnostics).as_deref(), Some("a#B"));
    }
}
