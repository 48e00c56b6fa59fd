//! Which operations carry a shape, on which side, and by which member path.
//!
//! Paths read like the boto3 change pages: members joined with `.`, a list
//! item as `[]`, a map value as `{}` and a map key as `{key}`; an error path
//! starts with the error's name. Recursive shapes are walked once per path
//! (a shape already on the current path is not entered again), and at most
//! [`MAX_PATHS`] paths are kept per shape, operation and side.

use std::collections::{BTreeMap, BTreeSet};

use super::{Reach, Side};
use crate::ir::{local_name, Model, ShapeKind};

/// Paths kept per shape, operation and side; enough to show where a shape
/// is without listing every route through a deeply shared structure.
pub const MAX_PATHS: usize = 4;

/// Shape id → every place it is carried.
#[derive(Debug, Default)]
pub struct ReachIndex {
    by_shape: BTreeMap<String, BTreeSet<Reach>>,
}

impl ReachIndex {
    pub fn build(model: &Model) -> Self {
        let mut index = ReachIndex::default();
        for op in &model.operations {
            let mut walker = Walker { model, operation: &op.name, index: &mut index, stack: Vec::new() };
            walker.walk(&op.input, Side::Request, String::new());
            walker.walk(&op.output, Side::Response, String::new());
            for error in &op.errors {
                walker.walk(error, Side::Error, local_name(error).to_string());
            }
        }
        index
    }

    /// Where the shape `id` is carried (empty when no operation reaches it).
    pub fn of_shape(&self, id: &str) -> Vec<Reach> {
        self.by_shape.get(id).map(|set| set.iter().cloned().collect()).unwrap_or_default()
    }

    /// Where member `member` of shape `id` is carried.
    pub fn of_member(&self, id: &str, member: &str) -> Vec<Reach> {
        self.of_shape(id).into_iter().map(|r| Reach { path: join(&r.path, member), ..r }).collect()
    }

    fn record(&mut self, id: &str, reach: Reach) {
        let set = self.by_shape.entry(id.to_string()).or_default();
        let same = set.iter().filter(|r| r.operation == reach.operation && r.side == reach.side).count();
        if same < MAX_PATHS {
            set.insert(reach);
        }
    }
}

/// Joins a member name onto a path (`events[]` + `errorCode`).
pub fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_string()
    } else {
        format!("{path}.{member}")
    }
}

struct Walker<'a> {
    model: &'a Model,
    operation: &'a str,
    index: &'a mut ReachIndex,
    stack: Vec<String>,
}

impl Walker<'_> {
    fn walk(&mut self, id: &str, side: Side, path: String) {
        let Some(shape) = self.model.shapes.get(id) else { return };
        self.index.record(id, Reach { operation: self.operation.to_string(), side, path: path.clone() });
        if self.stack.iter().any(|s| s == id) {
            return;
        }
        self.stack.push(id.to_string());
        match &shape.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                for member in members {
                    self.walk(&member.target, side, join(&path, &member.name));
                }
            }
            ShapeKind::List { member, .. } => self.walk(&member.target, side, format!("{path}[]")),
            ShapeKind::Map { key, value, .. } => {
                self.walk(&key.target, side, format!("{path}{{key}}"));
                self.walk(&value.target, side, format!("{path}{{}}"));
            }
            ShapeKind::Simple(_) | ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => {}
        }
        self.stack.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::lower_str;

    #[test]
    fn paths_through_lists_maps_and_errors() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#List"}]},
                "a#List": {"type": "operation", "input": {"target": "a#In"}, "output": {"target": "a#Out"}, "errors": [{"target": "a#Oops"}]},
                "a#In": {"type": "structure", "members": {"tags": {"target": "a#Tags"}}},
                "a#Out": {"type": "structure", "members": {"events": {"target": "a#Events"}}},
                "a#Events": {"type": "list", "member": {"target": "a#Event"}},
                "a#Event": {"type": "structure", "members": {"code": {"target": "a#Code"}, "next": {"target": "a#Event"}}},
                "a#Code": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit"}}},
                "a#Tags": {"type": "map", "key": {"target": "a#Code"}, "value": {"target": "smithy.api#String"}},
                "a#Oops": {"type": "structure", "members": {"code": {"target": "a#Code"}}, "traits": {"smithy.api#error": "client"}}}"#,
        );
        let index = ReachIndex::build(&model);
        let paths: Vec<String> =
            index.of_shape("a#Code").iter().map(|r| format!("{} {} {}", r.operation, r.side.as_str(), r.path)).collect();
        assert_eq!(
            paths,
            [
                "List request tags{key}",
                "List response events[].code",
                "List error Oops.code",
            ]
        );
        // The recursive `next` is recorded, then not entered again.
        let members = index.of_member("a#Event", "code");
        let member_paths: Vec<&str> = members.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(member_paths, ["events[].code", "events[].next.code"]);
    }
}
