//! Pass: protocol-level checks that need typed traits: HTTP bindings fit the
//! `@http` URI pattern, and error shapes are structures.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{HttpBinding, Operation, Role, Service, Shape, ShapeKind};

pub fn validate(
    _service: &Service,
    operations: &[Operation],
    shapes: &BTreeMap<String, Shape>,
    diagnostics: &mut Diagnostics,
) {
    for op in operations {
        for error in &op.errors {
            if let Some(shape) = shapes.get(error) {
                if !matches!(shape.role, Role::Error(_)) {
                    diagnostics.push(Diagnostic::shape(&op.id, format!("lists `{error}` as an error, but it has no @error trait")));
                }
            }
        }
        let Some(http) = &op.http else { continue };
        let labels = uri_labels(&http.uri);
        let members = match shapes.get(&op.input).map(|s| &s.kind) {
            Some(ShapeKind::Structure(members)) => members.as_slice(),
            _ => &[],
        };
        for label in &labels {
            match members.iter().find(|m| &m.name == label) {
                Some(m) if m.http == HttpBinding::Label => {}
                _ => diagnostics.push(Diagnostic::shape(
                    &op.id,
                    format!("URI `{}` has label `{{{label}}}`, but the input has no @httpLabel member `{label}`", http.uri),
                )),
            }
        }
        for m in members.iter().filter(|m| m.http == HttpBinding::Label) {
            if !m.required {
                diagnostics.push(Diagnostic::member(&op.input, &m.name, "@httpLabel members must be @required"));
            }
            if !labels.contains(&m.name) {
                diagnostics.push(Diagnostic::member(
                    &op.input,
                    &m.name,
                    format!("@httpLabel member does not appear in the URI `{}` of {}", http.uri, op.id),
                ));
            }
        }
    }
}

/// Label names in a URI pattern (`/a/{b}/{c+}` → `b`, `c`).
pub fn uri_labels(uri: &str) -> Vec<String> {
    uri.split(['/', '?'])
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|s| s.trim_end_matches('+').to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_read_from_uri_patterns() {
        assert_eq!(uri_labels("/tags/{resourceArn}"), ["resourceArn"]);
        assert_eq!(uri_labels("/a/{b}/c/{d+}?x=y"), ["b", "d"]);
        assert!(uri_labels("/CreateStage").is_empty());
    }

    #[test]
    fn label_mismatches_are_reported() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}]},
            "a#Op": {"type": "operation", "input": {"target": "a#In"},
                     "traits": {"smithy.api#http": {"method": "GET", "uri": "/x/{id}"}}},
            "a#In": {"type": "structure", "members": {
                "other": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}}}}}}}"#;
        let err = crate::lower::lower("m.json", text).unwrap_err().to_string();
        assert!(err.contains("a#Op: URI `/x/{id}` has label `{id}`, but the input has no @httpLabel member `id`"), "{err}");
        assert!(err.contains("a#In$other: @httpLabel members must be @required"), "{err}");
        assert!(err.contains("a#In$other: @httpLabel member does not appear in the URI"), "{err}");
    }
}
