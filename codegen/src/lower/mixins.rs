//! Pass: flatten mixins. A shape that uses mixins gets the mixins' members
//! (first, in mixin order) and traits (its own win); shapes marked `@mixin`
//! are then dropped, since no Rust type is generated for them.

use std::collections::BTreeMap;

use crate::ast::{MemberDef, Shape, Traits};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::traits::MIXIN;

pub fn flatten_mixins(shapes: &mut BTreeMap<String, Shape>, diagnostics: &mut Diagnostics) {
    let ids: Vec<String> = shapes.iter().filter(|(_, s)| !s.mixins().is_empty()).map(|(id, _)| id.clone()).collect();
    let mut flattened: BTreeMap<String, Shape> = BTreeMap::new();
    for id in &ids {
        let mut visiting = Vec::new();
        if let Some(shape) = flatten_one(id, shapes, &mut visiting, diagnostics) {
            flattened.insert(id.clone(), shape);
        }
    }
    shapes.extend(flattened);
    shapes.retain(|_, shape| !shape.traits().contains_key(MIXIN));
}

/// The flattened form of one shape, following mixins of mixins.
fn flatten_one(
    id: &str,
    shapes: &BTreeMap<String, Shape>,
    visiting: &mut Vec<String>,
    diagnostics: &mut Diagnostics,
) -> Option<Shape> {
    if visiting.iter().any(|v| v == id) {
        diagnostics.push(Diagnostic::shape(id, format!("mixin cycle: {} -> {id}", visiting.join(" -> "))));
        return None;
    }
    let shape = shapes.get(id)?.clone();
    if shape.mixins().is_empty() {
        return Some(shape);
    }
    visiting.push(id.to_string());
    let mut members: Vec<(String, MemberDef)> = Vec::new();
    let mut traits = Traits::new();
    for mixin in shape.mixins() {
        let Some(mixin_shape) = shapes.get(&mixin.target) else {
            diagnostics.push(Diagnostic::shape(id, format!("mixin `{}` is not defined", mixin.target)));
            continue;
        };
        if !mixin_shape.traits().contains_key(MIXIN) {
            diagnostics.push(Diagnostic::shape(id, format!("`{}` is used as a mixin but has no @mixin trait", mixin.target)));
            continue;
        }
        if mixin_shape.type_name() != shape.type_name() {
            diagnostics.push(Diagnostic::shape(
                id,
                format!("mixin `{}` is a {}, but this shape is a {}", mixin.target, mixin_shape.type_name(), shape.type_name()),
            ));
            continue;
        }
        let Some(resolved) = flatten_one(&mixin.target, shapes, visiting, diagnostics) else { continue };
        if let Some(mixin_members) = resolved.members() {
            for (name, def) in &mixin_members.0 {
                if !members.iter().any(|(existing, _)| existing == name) {
                    members.push((name.clone(), def.clone()));
                }
            }
        }
        traits.extend(resolved.traits().iter().filter(|(k, _)| k.as_str() != MIXIN).map(|(k, v)| (k.clone(), v.clone())));
    }
    visiting.pop();
    let mut result = shape;
    traits.extend(result.traits().clone());
    *result.traits_mut() = traits;
    if let Some(own) = result.members().cloned() {
        for (name, def) in own.0 {
            match members.iter_mut().find(|(existing, _)| *existing == name) {
                // A local redefinition may only add traits to the mixin's member.
                Some((_, existing)) => existing.traits.extend(def.traits),
                None => members.push((name, def)),
            }
        }
    }
    if let Shape::Enum(s) | Shape::IntEnum(s) | Shape::Structure(s) | Shape::Union(s) = &mut result {
        s.members.0 = members;
    }
    result.clear_mixins();
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::shapes_of;

    #[test]
    fn members_and_traits_come_from_mixins_first() {
        let mut shapes = shapes_of(
            r#"{"a#Base": {"type": "structure", "members": {"id": {"target": "smithy.api#String"}},
                           "traits": {"smithy.api#mixin": {}, "smithy.api#sensitive": {}}},
                "a#User": {"type": "structure", "mixins": [{"target": "a#Base"}],
                           "members": {"name": {"target": "smithy.api#String"},
                                       "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}}}"#,
        );
        let mut diagnostics = Diagnostics::default();
        flatten_mixins(&mut shapes, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics}");
        assert!(!shapes.contains_key("a#Base"), "mixins are not generated");
        let user = &shapes["a#User"];
        let names: Vec<&str> = user.members().expect("members").0.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["id", "name"]);
        assert!(user.members().expect("members").0[0].1.traits.contains_key("smithy.api#required"));
        assert!(user.traits().contains_key("smithy.api#sensitive"));
        assert!(!user.traits().contains_key(MIXIN));
    }

    #[test]
    fn cycles_and_missing_mixins_are_reported() {
        let mut shapes = shapes_of(
            r#"{"a#A": {"type": "structure", "mixins": [{"target": "a#B"}], "traits": {"smithy.api#mixin": {}}},
                "a#B": {"type": "structure", "mixins": [{"target": "a#A"}], "traits": {"smithy.api#mixin": {}}},
                "a#C": {"type": "structure", "mixins": [{"target": "a#Nope"}]}}"#,
        );
        let mut diagnostics = Diagnostics::default();
        flatten_mixins(&mut shapes, &mut diagnostics);
        let text = diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        assert!(text.contains("mixin cycle"), "{text}");
        assert!(text.contains("a#C: mixin `a#Nope` is not defined"), "{text}");
    }
}
