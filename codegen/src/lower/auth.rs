//! Pass: decide how the service and each operation authenticate.
//!
//! The service's auth schemes are its auth-scheme traits: the known ones
//! ([`KNOWN_AUTH_SCHEMES`](t::KNOWN_AUTH_SCHEMES)) and any trait whose
//! definition in the model carries `@authDefinition`. The service's `@auth`
//! puts them in order of preference (and may leave some out); without it,
//! all of them apply in shape-id order (the AST keeps traits by id, as
//! Smithy's service index orders them). An operation's own `@auth` overrides
//! the service's (`@auth([])`: no auth at all). Every scheme an `@auth` names
//! must be one of the service's. `@optionalAuth` is read by the convert pass.

use std::collections::BTreeMap;

use crate::ast::Shape as AstShape;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{AuthScheme, Operation, Service};
use crate::traits::{self as t, Site, TraitReader};

pub fn resolve_auth(
    shapes: &BTreeMap<String, AstShape>,
    service: &mut Service,
    operations: &mut [Operation],
    diagnostics: &mut Diagnostics,
) {
    let Some(AstShape::Service(svc)) = shapes.get(&service.id) else { return };
    let applied: Vec<&str> = svc.traits.keys().map(String::as_str).filter(|id| is_auth_scheme(id, shapes)).collect();
    let service_order = TraitReader::new(&svc.traits, Site { shape: &service.id, member: None }, diagnostics).auth();
    service.auth = match service_order {
        Some(ids) => checked(&service.id, &ids, &applied, diagnostics),
        None => applied.iter().map(|id| AuthScheme::from_id(id)).collect(),
    };
    for op in operations.iter_mut() {
        let Some(AstShape::Operation(shape)) = shapes.get(&op.id) else { continue };
        let own = TraitReader::new(&shape.traits, Site { shape: &op.id, member: None }, diagnostics).auth();
        op.auth = match own {
            Some(ids) => checked(&op.id, &ids, &applied, diagnostics),
            None => service.auth.clone(),
        };
    }
}

fn is_auth_scheme(trait_id: &str, shapes: &BTreeMap<String, AstShape>) -> bool {
    t::KNOWN_AUTH_SCHEMES.contains(&trait_id)
        || shapes.get(trait_id).is_some_and(|definition| definition.traits().contains_key(t::AUTH_DEFINITION))
}

/// The schemes an `@auth` on `site` names, each checked to be applied to the service.
fn checked(site: &str, ids: &[String], applied: &[&str], diagnostics: &mut Diagnostics) -> Vec<AuthScheme> {
    for id in ids.iter().filter(|id| !applied.contains(&id.as_str())) {
        diagnostics.push(Diagnostic::shape(
            site,
            format!("trait `{}`: `{id}` is not an auth scheme trait applied to the service", t::AUTH),
        ));
    }
    ids.iter().map(|id| AuthScheme::from_id(id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::lower_str;

    fn auth_of<'m>(model: &'m crate::ir::Model, name: &str) -> (&'m [AuthScheme], bool) {
        let op = model.operations.iter().find(|o| o.name == name).expect("operation");
        (&op.auth, op.optional_auth)
    }

    #[test]
    fn operation_auth_overrides_the_service_order() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1",
                  "operations": [{"target": "a#Signed"}, {"target": "a#Open"}, {"target": "a#Maybe"}, {"target": "a#Token"}],
                  "traits": {"aws.auth#sigv4": {"name": "svc"}, "smithy.api#httpBearerAuth": {}, "a#customAuth": {},
                             "smithy.api#auth": ["smithy.api#httpBearerAuth", "aws.auth#sigv4", "a#customAuth"]}},
                "a#customAuth": {"type": "structure", "traits": {"smithy.api#trait": {}, "smithy.api#authDefinition": {}}},
                "a#Signed": {"type": "operation"},
                "a#Open": {"type": "operation", "traits": {"smithy.api#auth": []}},
                "a#Maybe": {"type": "operation", "traits": {"smithy.api#auth": ["aws.auth#sigv4"], "smithy.api#optionalAuth": {}}},
                "a#Token": {"type": "operation", "traits": {"smithy.api#auth": ["smithy.api#httpBearerAuth"]}}}"#,
        );
        let custom = AuthScheme::Other("a#customAuth".to_string());
        assert_eq!(model.service.auth, [AuthScheme::HttpBearer, AuthScheme::Sigv4, custom.clone()]);
        assert_eq!(auth_of(&model, "Signed"), (&[AuthScheme::HttpBearer, AuthScheme::Sigv4, custom][..], false));
        assert_eq!(auth_of(&model, "Open"), (&[][..], false));
        assert_eq!(auth_of(&model, "Maybe"), (&[AuthScheme::Sigv4][..], true));
        assert_eq!(auth_of(&model, "Token"), (&[AuthScheme::HttpBearer][..], false));
    }

    #[test]
    fn without_service_auth_every_applied_scheme_counts_in_id_order() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}],
                  "traits": {"smithy.api#httpBearerAuth": {}, "aws.auth#sigv4": {"name": "svc"}, "smithy.api#title": "T"}},
                "a#Op": {"type": "operation"}}"#,
        );
        assert_eq!(model.service.auth, [AuthScheme::Sigv4, AuthScheme::HttpBearer]);
        assert_eq!(auth_of(&model, "Op").0, [AuthScheme::Sigv4, AuthScheme::HttpBearer]);
    }

    #[test]
    fn a_service_without_auth_traits_has_no_auth() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}]},
                "a#Op": {"type": "operation"}}"#,
        );
        assert!(model.service.auth.is_empty());
        assert!(auth_of(&model, "Op").0.is_empty());
    }

    #[test]
    fn auth_naming_a_scheme_the_service_lacks_is_an_error() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}],
                      "traits": {"aws.auth#sigv4": {"name": "svc"}}},
            "a#Op": {"type": "operation", "traits": {"smithy.api#auth": ["smithy.api#httpBearerAuth"]}}}}"#;
        let err = crate::lower::lower("m.json", text).unwrap_err().to_string();
        assert!(
            err.contains("a#Op: trait `smithy.api#auth`: `smithy.api#httpBearerAuth` is not an auth scheme trait applied to the service"),
            "{err}"
        );
    }
}
