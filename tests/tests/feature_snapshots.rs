//! One small model per generator feature (tests/models/*.json): the whole
//! generated crate is an insta snapshot, and every crate is compiled.
//! Review changes with `cargo insta review`.

use integration_tests::{check_crates_compile, generate_test_model, lint_and_document_crates, render};
use smithy_codegen::GeneratedCrate;

const FEATURE_MODELS: &[&str] =
    &["enums", "unions", "recursion", "nullability", "sensitive", "docs", "doc_text", "naming_obstacles", "pagination", "aws_json", "rest_xml", "aws_query", "ec2_query", "auth", "left_out", "endpoint_params", "waiters", "streaming_blobs", "streaming_events", "streaming_aws_json", "streaming_rest_xml"];

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

#[test]
fn endpoint_params() {
    snapshot("endpoint_params");
}

#[test]
fn aws_json() {
    snapshot("aws_json");
}

#[test]
fn rest_xml() {
    snapshot("rest_xml");
}

#[test]
fn aws_query() {
    snapshot("aws_query");
}

#[test]
fn ec2_query() {
    snapshot("ec2_query");
}

#[test]
fn auth() {
    snapshot("auth");
}

#[test]
fn waiters() {
    snapshot("waiters");
}

#[test]
fn streaming_blobs() {
    snapshot("streaming_blobs");
}

#[test]
fn streaming_events() {
    snapshot("streaming_events");
}

#[test]
fn streaming_aws_json() {
    snapshot("streaming_aws_json");
}

#[test]
fn streaming_rest_xml() {
    snapshot("streaming_rest_xml");
}

/// What the generator leaves out is listed (on stderr by `cargo xtask
/// codegen`, and on the crate's front page), and the compile test below
/// shows it leaves no dead code behind (`-D warnings`).
#[test]
fn left_out() {
    let generated = generate_test_model("left_out");
    assert_eq!(
        generated.left_out,
        [
            "operation `GetThing`: waiter `ThingNamed` is not generated: acceptor 2 (output path `contains(name, 'thing')` \
             booleanEquals \"true\"): function `contains` is not supported (only `length(…)` compared with a number, and \
             `keys(…)`)",
            "operation `UploadThing`: its request checksum (`Content-MD5`) is not sent: the streaming body is not read up \
             front",
            "auth scheme `example.leftout#tokenAuth` is not supported: calls to `LegacyThing` fail with a credentials \
             error unless another of their schemes can be used",
        ]
    );
    let lib = generated.files.get("src/lib.rs").map(String::as_str).unwrap_or_default();
    assert!(lib.contains("//! ## Not supported yet"), "{lib}");
    for line in &generated.left_out {
        assert!(lib.contains(&format!("//! - {line}")), "{line} missing from\n{lib}");
    }
    insta::assert_snapshot!("left_out", render(&generated));
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

/// What the snapshots show must also compile, without warnings; and model
/// text of any kind (`doc_text`), names that clash with generated methods
/// (`naming_obstacles`) and the rest must give clippy-clean code and docs that
/// rustdoc accepts with warnings denied. One test, because both steps share
/// one scratch workspace.
#[test]
fn every_feature_model_compiles_and_is_clippy_and_rustdoc_clean() {
    with_feature_crates(check_crates_compile, "do not compile");
    with_feature_crates(lint_and_document_crates, "are not lint- or rustdoc-clean");
}
