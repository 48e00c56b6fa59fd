//! Suite "sigv4": the official SigV4 signing test suite.

use super::{ReferenceData, SuiteOutcome};

pub fn run(_data: &ReferenceData) -> SuiteOutcome {
    let mut outcome = SuiteOutcome::new("sigv4");
    outcome.record("sigv4", Err("not implemented yet".into()));
    outcome
}
