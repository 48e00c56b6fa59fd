//! One small model per generator feature (tests/models/*.json): the whole
//! generated crate is an insta snapshot, and every crate is compiled.
//! Review changes with `cargo insta review`.

use integration_tests::{check_crates_compile, generate_test_model, render};

const FEATURE_MODELS: &[&str] =
    &["enums", "unions", "recursion", "nullability", "sensitive", "docs", "naming_obstacles", "pagination", "aws_json", "auth", "left_out", "endpoint_params"];

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

#[test]
fn aws_json() {
    snapshot("aws_json");
}

#[test]
fn auth() {
    snapshot("auth");
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
            "operation `GetThing`: its waiters (`ThingExists`) are not generated (`smithy.waiters#waitable`)",
            "operation `UploadThing`: the streaming blob `body` (input) is buffered whole in memory, not streamed",
            "operation `WatchThings` uses an event stream (member `events`), which this client does not support yet: \
             the client has no method for it, only its input and output types",
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
