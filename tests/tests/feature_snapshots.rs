//! One small model per generator feature (tests/models/*.json): the whole
//! generated crate is an insta snapshot, and every crate is compiled.
//! Review changes with `cargo insta review`.

use integration_tests::{check_crates_compile, generate_test_model, lint_and_document_crates, render};
use smithy_codegen::GeneratedCrate;

const FEATURE_MODELS: &[&str] =
    &["enums", "unions", "recursion", "nullability", "sensitive", "docs", "doc_text", "naming_obstacles", "pagination"];

fn snapshot(name: &str) {
    let generated = generate_test_model(name);
    assert!(generated.left_out.is_empty(), "{name}: {:?}", generated.left_out);
    insta::assert_snapshot!(name, render(&generated));
}

#[test]
fn enums() {
    snapshot("enums");
}

#[test]
fn unions() {
    snapshot("unions");
}

#[test]
fn recursion() {
    snapshot("recursion");
}

#[test]
fn nullability() {
    snapshot("nullability");
}

#[test]
fn sensitive() {
    snapshot("sensitive");
}

#[test]
fn docs() {
    snapshot("docs");
}

#[test]
fn doc_text() {
    snapshot("doc_text");
}

#[test]
fn naming_obstacles() {
    snapshot("naming_obstacles");
}

#[test]
fn pagination() {
    snapshot("pagination");
}

/// A cargo step over named generated crates; `Err` holds cargo's output.
type CargoStep = fn(&[(&str, &GeneratedCrate)]) -> Result<(), String>;

/// Every feature model generated, and a cargo step run on all of them at once.
fn with_feature_crates(step: CargoStep, failure: &str) {
    let crates: Vec<(String, GeneratedCrate)> =
        FEATURE_MODELS.iter().map(|name| (name.replace('_', "-"), generate_test_model(name))).collect();
    let refs: Vec<(&str, &GeneratedCrate)> = crates.iter().map(|(name, generated)| (name.as_str(), generated)).collect();
    if let Err(output) = step(&refs) {
        panic!("generated feature crates {failure}:\n{output}");
    }
}

/// What the snapshots show must also compile, without warnings.
#[test]
fn every_feature_model_compiles() {
    with_feature_crates(check_crates_compile, "do not compile");
}

/// Model text of any kind (`doc_text`), names that clash with generated
/// methods (`naming_obstacles`) and the rest must give clippy-clean code and
/// docs that rustdoc accepts with warnings denied.
#[test]
fn every_feature_model_is_clippy_and_rustdoc_clean() {
    with_feature_crates(lint_and_document_crates, "are not lint- or rustdoc-clean");
}
