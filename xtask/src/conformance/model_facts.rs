//! Suite "model-facts": `model/ivs-realtime.json` states the same API facts as
//! the upstream model, in documentation of its own.
//!
//! Cases: one per upstream shape (its type, members, targets and traits), one
//! for the shape set (shapes only ours has), one for the model header
//! (`smithy` version, `metadata`), and one for the documentation being our own.
//! The comparison itself lives in `smithy_codegen::model_facts`.

use std::path::Path;

use serde_json::Value;
use smithy_codegen::model_facts::{compare_api_facts, copied_documentation, DifferenceKind};

use super::{ReferenceData, SuiteOutcome};

const NAME: &str = "model-facts";

pub fn run(data: &ReferenceData) -> SuiteOutcome {
    let ours_path = data.project().join("model/ivs-realtime.json");
    let upstream_path = data.models().join("upstream/ivs-realtime.json");
    let ours = match load(&ours_path) {
        Ok(model) => model,
        Err(error) => return SuiteOutcome::missing_data(NAME, &ours_path, error),
    };
    let upstream = match load(&upstream_path) {
        Ok(model) => model,
        Err(error) => return SuiteOutcome::missing_data(NAME, &upstream_path, error),
    };

    let mut outcome = SuiteOutcome::new(NAME);
    let differences = compare_api_facts(&ours, &upstream);

    let upstream_ids = upstream
        .get("shapes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(id, _)| id);
    for id in upstream_ids {
        let found: Vec<String> = differences
            .iter()
            .filter(|d| d.shape.as_deref() == Some(id.as_str()))
            .map(|d| d.detail())
            .collect();
        outcome.record(id, verdict(found));
    }

    let extra: Vec<&str> = differences
        .iter()
        .filter(|d| d.kind == DifferenceKind::ExtraShape)
        .filter_map(|d| d.shape.as_deref())
        .collect();
    let shape_set = if extra.is_empty() {
        Ok(())
    } else {
        Err(format!("shapes not in upstream: {}", extra.join(", ")))
    };
    outcome.record("shape set", shape_set);

    let header: Vec<String> = differences
        .iter()
        .filter(|d| d.shape.is_none())
        .map(|d| d.detail())
        .collect();
    outcome.record("model header", verdict(header));

    let copied = copied_documentation(&ours, &upstream);
    let own_docs = if copied.is_empty() {
        Ok(())
    } else {
        let list: String = copied
            .iter()
            .map(|doc| format!("\n        {doc}"))
            .collect();
        Err(format!(
            "{} documentation strings repeat upstream's text:{list}",
            copied.len()
        ))
    };
    outcome.record("documentation is our own", own_docs);
    outcome
}

/// Reads and parses a model file.
pub(super) fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))
}

/// A case passes when nothing differs; else its differences, joined.
pub(super) fn verdict(found: Vec<String>) -> Result<(), String> {
    if found.is_empty() {
        Ok(())
    } else {
        Err(found.join("; "))
    }
}
