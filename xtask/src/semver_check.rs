//! `cargo xtask semver-check`: proves the model diff's semver verdict on the
//! generated code. Both models are generated in memory as `generated/` is;
//! their public items (`pub` lines by kind and name, see
//! `crate_summary::api_change`) say how the Rust API really changed, and the
//! command fails when that is bigger than the verdict. This compares the
//! generated source, not rustdoc JSON (which needs a nightly toolchain) or
//! cargo-semver-checks (which would add a large build to CI).

use std::path::Path;
use std::process::ExitCode;

use smithy_codegen::model_diff::{self, crate_summary};
use smithy_codegen::project;

use crate::diff::{load, Named, Old};

pub fn run(old: Old<'_>, new: Option<&Path>) -> ExitCode {
    match check(old, new) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn check(old: Old<'_>, new: Option<&Path>) -> Result<bool, String> {
    let (old, new) = load(old, new)?;
    let report = model_diff::diff_texts(&old.name, &old.text, &new.name, &new.text).map_err(|e| e.to_string())?;
    let verdict = report.summary.semver;
    let api = crate_summary::api_change(&generate(&old)?, &generate(&new)?);
    println!("model diff verdict: {}", verdict.as_str());
    println!("generated API change: {}", api.bump.as_str());
    for reason in &api.reasons {
        println!("  {reason}");
    }
    if api.bump > verdict {
        eprintln!(
            "semver-check: the generated API changed by {} but the model diff says {}",
            api.bump.as_str(),
            verdict.as_str()
        );
        return Ok(false);
    }
    println!("semver-check: ok (the verdict covers the API change)");
    Ok(true)
}

fn generate(model: &Named) -> Result<smithy_codegen::GeneratedCrate, String> {
    let options = project::IVS_REALTIME.options();
    smithy_codegen::generate(&model.name, &model.text, &options).map_err(|e| format!("{}: {e}", model.name))
}
