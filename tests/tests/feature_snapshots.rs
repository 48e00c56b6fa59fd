//! One small model per generator feature (tests/models/*.json): the whole
//! generated crate is an insta snapshot, and every crate is compiled.
//! Review changes with `cargo insta review`.

use integration_tests::{check_crates_compile, generate_test_model, render};

const FEATURE_MODELS: &[&str] =
    &["enums", "unions", "recursion", "nullability", "sensitive", "docs", "naming_obstacles", "pagination", "endpoint_params"];

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
fn naming_obstacles() {
    snapshot("naming_obstacles");
}

#[test]
fn pagination() {
    snapshot("pagination");
}

#[test]
fn endpoint_params() {
    snapshot("endpoint_params");
}

/// What the snapshots show must also compile, without warnings.
#[test]
fn every_feature_model_compiles() {
    let crates: Vec<(String, _)> =
        FEATURE_MODELS.iter().map(|name| (name.replace('_', "-"), generate_test_model(name))).collect();
    let refs: Vec<(&str, _)> = crates.iter().map(|(name, generated)| (name.as_str(), generated)).collect();
    if let Err(output) = check_crates_compile(&refs) {
        panic!("generated feature crates do not compile:\n{output}");
    }
}
