//! Suite "model facts": model/ivs-realtime.json against the upstream model.

use super::{ReferenceData, SuiteOutcome};

pub fn run(_data: &ReferenceData) -> SuiteOutcome {
    let mut outcome = SuiteOutcome::new("model-facts");
    outcome.record("model facts", Err("not implemented yet".into()));
    outcome
}
