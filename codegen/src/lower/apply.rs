//! Pass: apply `apply` statements, adding their traits to the shape or member
//! they name.

use std::collections::BTreeMap;

use crate::ast::{Shape, Traits};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Moves every `apply` shape's traits onto its target (`ns#Shape` or
/// `ns#Shape$member`) and removes the `apply` entries. A target that does not
/// exist is reported.
pub fn apply_traits(shapes: &mut BTreeMap<String, Shape>, diagnostics: &mut Diagnostics) {
    let applies: Vec<(String, Traits)> = shapes
        .iter()
        .filter_map(|(id, shape)| match shape {
            Shape::Apply(apply) => Some((id.clone(), apply.traits.clone())),
            _ => None,
        })
        .collect();
    for (target, traits) in applies {
        shapes.remove(&target);
        let (shape_id, member) = match target.split_once('$') {
            Some((shape_id, member)) => (shape_id.to_string(), Some(member.to_string())),
            None => (target.clone(), None),
        };
        let Some(shape) = shapes.get_mut(&shape_id) else {
            diagnostics.push(Diagnostic::shape(&target, "`apply` targets a shape that is not defined"));
            continue;
        };
        match member {
            None => shape.traits_mut().extend(traits),
            Some(member) => match shape.member_defs_mut().into_iter().find(|(name, _)| *name == member) {
                Some((_, def)) => def.traits.extend(traits),
                None => diagnostics.push(Diagnostic::member(&shape_id, &member, "`apply` targets a member that is not defined")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::shapes_of;

    #[test]
    fn applies_to_shapes_and_members_and_reports_missing_targets() {
        let mut shapes = shapes_of(
            r#"{"a#S": {"type": "structure", "members": {"m": {"target": "smithy.api#String"}}},
                "a#S$m": {"type": "apply", "traits": {"smithy.api#required": {}}},
                "a#S2": {"type": "apply", "traits": {"smithy.api#sensitive": {}}},
                "a#S$nope": {"type": "apply", "traits": {"smithy.api#required": {}}}}"#,
        );
        // `a#S2` is an apply on an undefined shape
        let mut diagnostics = Diagnostics::default();
        apply_traits(&mut shapes, &mut diagnostics);
        let member_traits = &shapes["a#S"].members().expect("members").0[0].1.traits;
        assert!(member_traits.contains_key("smithy.api#required"));
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "a#S$nope: `apply` targets a member that is not defined",
                "a#S2: `apply` targets a shape that is not defined",
            ]
        );
        assert!(!shapes.contains_key("a#S$m"));
    }
}
