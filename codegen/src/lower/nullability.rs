//! Pass: decide which members are `Option` in Rust (Smithy 2.0 client rules).
//!
//! - Operation inputs: every member is optional, so a service can relax
//!   `@required` later without breaking callers; `build()` still reports a
//!   missing required member.
//! - Elsewhere: a member is a plain value when it is `@required` or has a
//!   non-null `@default`, unless it is `@clientOptional`.
//! - Union variants, list items and map values are plain values, except in
//!   `@sparse` collections.

use std::collections::BTreeMap;

use crate::ir::{Role, Shape, ShapeKind};

pub fn decide_optional_members(shapes: &mut BTreeMap<String, Shape>) {
    for shape in shapes.values_mut() {
        let is_input = matches!(shape.role, Role::Input(_));
        match &mut shape.kind {
            ShapeKind::Structure(members) => {
                for member in members {
                    let present = (member.required || member.default_value().is_some()) && !member.client_optional;
                    member.optional = is_input || !present;
                }
            }
            ShapeKind::Union(members) => members.iter_mut().for_each(|m| m.optional = false),
            ShapeKind::List { member, sparse } => member.optional = *sparse,
            ShapeKind::Map { key, value, sparse } => {
                key.optional = false;
                value.optional = *sparse;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::ShapeKind;
    use crate::lower::tests::lower_str;

    #[test]
    fn smithy_two_nullability() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}]},
                "a#Op": {"type": "operation", "input": {"target": "a#In"}, "output": {"target": "a#Out"}},
                "a#In": {"type": "structure", "members": {
                    "req": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}},
                "a#Out": {"type": "structure", "members": {
                    "req": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                    "opt": {"target": "smithy.api#String"},
                    "def": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}},
                    "nulldef": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": null}},
                    "co": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#clientOptional": {}}},
                    "l": {"target": "a#Sparse"}}},
                "a#Sparse": {"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"smithy.api#sparse": {}}}}"#,
        );
        let optional = |id: &str| -> Vec<(String, bool)> {
            match &model.shape(id).kind {
                ShapeKind::Structure(members) => members.iter().map(|m| (m.name.clone(), m.optional)).collect(),
                _ => panic!("structure"),
            }
        };
        assert_eq!(optional("a#In"), [("req".to_string(), true)]);
        let out: Vec<bool> = optional("a#Out").into_iter().map(|(_, o)| o).collect();
        assert_eq!(out, [false, true, false, true, true, true]);
        let ShapeKind::List { member, .. } = &model.shape("a#Sparse").kind else { panic!("list") };
        assert!(member.optional);
    }
}
