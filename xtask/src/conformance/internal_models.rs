//! Suite "internal-models": the trimmed STS, SSO and SSO-OIDC models in
//! `model/internal/` (the clients generated into the runtime for its
//! credential providers) state upstream's facts for every shape they keep,
//! in documentation of their own.
//!
//! Cases, per model: one per kept shape (type, members, targets, traits,
//! endpoint rules), one for the model header, and one for the documentation
//! being our own. What trimming changes is accepted and nothing else: the
//! service lists only the operations kept; `smithy.api#examples` and
//! `smithy.rules#endpointTests` (sample data) are dropped, as is `metadata`
//! (validator suppressions); and `AssumeRoleWithWebIdentity` carries
//! `@optionalAuth`, which the SDKs apply by customization (it is sent
//! unsigned, the token being the proof of identity).

use serde_json::{Map, Value};
use smithy_codegen::model_facts::{compare_api_facts, copied_documentation, DifferenceKind, FactDifference};

use super::model_facts::{load, verdict};
use super::{ReferenceData, SuiteOutcome};

const NAME: &str = "internal-models";

/// Our model, relative to the workspace, and upstream's file name.
const MODELS: [(&str, &str); 3] = [
    ("model/internal/sts.json", "sts.json"),
    ("model/internal/sso.json", "sso.json"),
    ("model/internal/sso-oidc.json", "sso-oidc.json"),
];

/// Traits the trimmed models leave out: examples and endpoint tests.
const DROPPED_TRAITS: [&str; 2] = ["smithy.api#examples", "smithy.rules#endpointTests"];

/// The one trait added, and where.
const ADDED: (&str, &str) = ("com.amazonaws.sts#AssumeRoleWithWebIdentity", "smithy.api#optionalAuth");

pub fn run(data: &ReferenceData) -> SuiteOutcome {
    let mut outcome = SuiteOutcome::new(NAME);
    for (ours_relative, upstream_name) in MODELS {
        let ours_path = data.project().join(ours_relative);
        let upstream_path = data.models().join("aws").join(upstream_name);
        let (ours, upstream) = match (load(&ours_path), load(&upstream_path)) {
            (Ok(ours), Ok(upstream)) => (ours, upstream),
            (Err(error), _) => {
                outcome.record(ours_relative, Err(format!("cannot read {}: {error}", ours_path.display())));
                continue;
            }
            (_, Err(error)) => {
                outcome.record(ours_relative, Err(format!("cannot read {}: {error}", upstream_path.display())));
                continue;
            }
        };
        check_model(ours_relative, &ours, &upstream, &mut outcome);
    }
    outcome
}

fn check_model(name: &str, ours: &Value, upstream: &Value, outcome: &mut SuiteOutcome) {
    let kept = kept_shapes(ours, upstream);
    let differences: Vec<FactDifference> =
        compare_api_facts(ours, &kept).into_iter().filter(|d| !accepted(d)).collect();
    for id in shape_ids(&kept) {
        let found: Vec<String> =
            differences.iter().filter(|d| d.shape.as_deref() == Some(id)).map(FactDifference::detail).collect();
        outcome.record(&format!("{name} {id}"), verdict(found));
    }
    let other: Vec<String> = differences
        .iter()
        .filter(|d| d.shape.is_none() || d.kind == DifferenceKind::ExtraShape)
        .map(|d| format!("{}{}", d.shape.as_deref().map(|s| format!("{s}: ")).unwrap_or_default(), d.detail()))
        .collect();
    outcome.record(&format!("{name}: model header and shape set"), verdict(other));
    let copied = copied_documentation(ours, upstream);
    let own = if copied.is_empty() {
        Ok(())
    } else {
        Err(format!("{} documentation strings repeat upstream's text", copied.len()))
    };
    outcome.record(&format!("{name}: documentation is our own"), own);
}

/// Upstream with only the shapes ours keeps, and without `metadata`.
fn kept_shapes(ours: &Value, upstream: &Value) -> Value {
    let mut kept = Map::new();
    if let Some(shapes) = upstream.get("shapes").and_then(Value::as_object) {
        for id in shape_ids(ours) {
            if let Some(shape) = shapes.get(id) {
                kept.insert(id.to_owned(), shape.clone());
            }
        }
    }
    let mut model = Map::new();
    if let Some(version) = upstream.get("smithy") {
        model.insert("smithy".to_owned(), version.clone());
    }
    model.insert("shapes".to_owned(), Value::Object(kept));
    Value::Object(model)
}

fn shape_ids(model: &Value) -> Vec<&str> {
    model.get("shapes").and_then(Value::as_object).into_iter().flatten().map(|(id, _)| id.as_str()).collect()
}

/// Whether a difference is one trimming makes.
fn accepted(difference: &FactDifference) -> bool {
    let trait_id = difference.trait_id.as_deref();
    match &difference.kind {
        DifferenceKind::MissingTrait { .. } => trait_id.is_some_and(|t| DROPPED_TRAITS.contains(&t)),
        DifferenceKind::ExtraTrait { .. } => {
            difference.shape.as_deref() == Some(ADDED.0) && trait_id == Some(ADDED.1) && difference.member.is_none()
        }
        DifferenceKind::Property { name, .. } => name == "operations",
        _ => false,
    }
}
