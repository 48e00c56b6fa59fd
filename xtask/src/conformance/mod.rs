//! `cargo xtask conformance`: every check that needs the reference data in
//! `../shared` (upstream models, the SigV4 suite, the Smithy protocol tests).
//!
//! Each suite is one module with a `run` function returning a [`SuiteOutcome`].
//! Missing data is a failure, never a silent skip.

mod internal_models;
mod model_facts;
mod protocol_suite;
mod sigv4;

use std::path::{Path, PathBuf};

/// Where the reference data lives: `<root>/conformance` and `<root>/models`.
pub struct ReferenceData {
    pub root: PathBuf,
}

impl ReferenceData {
    pub fn conformance(&self) -> PathBuf {
        self.root.join("conformance")
    }
    pub fn models(&self) -> PathBuf {
        self.root.join("models")
    }
    /// The project checkout (the workspace root), for suites that compare
    /// project files such as `model/ivs-realtime.json` with reference data.
    pub fn project(&self) -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."))
    }
}

/// What one suite found: counts plus one line per failed case.
#[derive(Debug, Default)]
pub struct SuiteOutcome {
    pub name: &'static str,
    pub passed: usize,
    pub failed: usize,
    /// One line per failed case, naming the case and what differs.
    pub failures: Vec<String>,
    /// Cases that cannot apply, each with its reason (counted in neither total).
    pub not_applicable: Vec<String>,
}

impl SuiteOutcome {
    pub fn new(name: &'static str) -> Self {
        SuiteOutcome { name, ..Default::default() }
    }

    /// Records a case: `Ok(())` passes, `Err(reason)` fails with `case: reason`.
    pub fn record(&mut self, case: &str, result: Result<(), String>) {
        match result {
            Ok(()) => self.passed += 1,
            Err(reason) => {
                self.failed += 1;
                self.failures.push(format!("{case}: {reason}"));
            }
        }
    }

    /// A suite whose data could not be read fails as a whole.
    pub fn missing_data(name: &'static str, path: &Path, error: impl std::fmt::Display) -> Self {
        let mut outcome = SuiteOutcome::new(name);
        outcome.record("reference data", Err(format!("cannot read {}: {error}", path.display())));
        outcome
    }
}

type Suite = (&'static str, &'static dyn Fn(&ReferenceData) -> SuiteOutcome);

/// Every suite, by the name it reports under.
const SUITES: &[Suite] = &[
    ("model-facts", &model_facts::run),
    ("internal-models", &internal_models::run),
    ("sigv4", &sigv4::run),
    ("restjson", &|data| protocol_suite::run(&protocol_suite::RESTJSON, data)),
    ("awsjson1_0", &|data| protocol_suite::run(&protocol_suite::AWSJSON1_0, data)),
    ("awsjson1_1", &|data| protocol_suite::run(&protocol_suite::AWSJSON1_1, data)),
    ("restxml", &|data| protocol_suite::run(&protocol_suite::RESTXML, data)),
    ("awsquery", &|data| protocol_suite::run(&protocol_suite::AWSQUERY, data)),
    ("ec2query", &|data| protocol_suite::run(&protocol_suite::EC2QUERY, data)),
];

/// The names `--only` accepts.
pub fn suite_names() -> Vec<&'static str> {
    SUITES.iter().map(|(name, _)| *name).collect()
}

/// Runs every suite (or those named in `only`), prints one line per suite
/// (plus its failures) and the closing `N passed, N failed` line. Returns
/// whether everything passed; an unknown name in `only` is a failure.
pub fn run(data: &ReferenceData, only: &[String]) -> bool {
    if let Some(unknown) = only.iter().find(|name| !SUITES.iter().any(|(n, _)| n == name)) {
        eprintln!("no conformance suite `{unknown}` (suites: {})", suite_names().join(", "));
        return false;
    }
    let (mut passed, mut failed) = (0, 0);
    for (name, suite) in SUITES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let outcome = suite(data);
        let verdict = if outcome.failed == 0 { "ok" } else { "FAILED" };
        println!(
            "suite {:<12} {verdict}: {} passed, {} failed",
            outcome.name, outcome.passed, outcome.failed
        );
        for line in &outcome.failures {
            println!("    failed: {line}");
        }
        for line in &outcome.not_applicable {
            println!("    not applicable: {line}");
        }
        passed += outcome.passed;
        failed += outcome.failed;
    }
    println!("{passed} passed, {failed} failed");
    failed == 0 && passed > 0
}
