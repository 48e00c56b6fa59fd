//! Helpers shared by the snapshot and integration tests: the loopback
//! servers (IVS RealTime; DynamoDB and SQS over awsJson; STS and SNS over
//! awsQuery; S3 over restXml; streamed bodies and event streams for Lambda,
//! Glacier and Transcribe streaming, over HTTP/1.1 and h2c, with their own
//! event-stream framing and SigV4 event-chain check), locating the workspace, generating the small
//! feature models, rendering a generated crate as one reviewable text,
//! unified diffs, and compiling generated crates with cargo.

pub mod aws_json_server;
pub mod dynamodb_server;
pub mod event_frames;
pub mod event_signing;
pub mod glacier_server;
pub mod ivs_server;
pub mod lambda_server;
pub mod loopback;
pub mod query_server;
pub mod s3_server;
pub mod sns_server;
pub mod sqs_server;
pub mod stream_loopback;
pub mod sts_server;
pub mod transcribe_server;
pub mod wire;

use std::path::{Path, PathBuf};
use std::process::Command;

use smithy_codegen::{CrateOptions, GeneratedCrate};

/// What an example program's `main` returns for `result`: success, or
/// failure with the error and each of its causes printed on stderr.
pub fn exit_code(result: Result<(), Box<dyn std::error::Error>>) -> std::process::ExitCode {
    let Err(error) = result else {
        return std::process::ExitCode::SUCCESS;
    };
    eprintln!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    std::process::ExitCode::FAILURE
}

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `tests/models/<name>.json`.
pub fn model_path(name: &str) -> PathBuf {
    workspace_root()
        .join("tests/models")
        .join(format!("{name}.json"))
}

/// Options for a test crate that builds on its own and uses this checkout's runtime.
pub fn standalone_options(crate_name: &str, model_source: &str) -> CrateOptions {
    CrateOptions {
        standalone: true,
        ..CrateOptions::new(crate_name, workspace_root().join("runtime").to_string_lossy(), model_source)
    }
}

/// Generates `tests/models/<name>.json` in memory, panicking with every
/// diagnostic if the model has problems (test models must be valid).
pub fn generate_test_model(name: &str) -> GeneratedCrate {
    let path = model_path(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let source = format!("tests/models/{name}.json");
    let options = standalone_options(&format!("snapshot-{}", name.replace('_', "-")), &source);
    smithy_codegen::generate(&source, &text, &options).unwrap_or_else(|e| panic!("{source}: {e}"))
}

/// Every file of a generated crate, each under a `=== path ===` heading, with
/// the machine-specific runtime path replaced so snapshots are portable.
pub fn render(generated: &GeneratedCrate) -> String {
    let runtime = workspace_root()
        .join("runtime")
        .to_string_lossy()
        .into_owned();
    let mut text = String::new();
    for (path, contents) in &generated.files {
        text.push_str(&format!("=== {path} ===\n"));
        text.push_str(&contents.replace(&runtime, "<checkout>/runtime"));
        text.push('\n');
    }
    text
}

/// A unified diff between two generated crates, file by file, with
/// `--- old/path` / `+++ new/path` headers and `context` lines of context.
pub fn crate_diff(old: &GeneratedCrate, new: &GeneratedCrate, context: usize) -> String {
    let mut paths: Vec<&String> = old.files.keys().chain(new.files.keys()).collect();
    paths.sort();
    paths.dedup();
    let mut out = String::new();
    for path in paths {
        let before = old.files.get(path).map_or("", String::as_str);
        let after = new.files.get(path).map_or("", String::as_str);
        if before == after {
            continue;
        }
        let diff = similar::TextDiff::from_lines(before, after);
        let text = diff
            .unified_diff()
            .context_radius(context)
            .header(&format!("old/{path}"), &format!("new/{path}"))
            .to_string();
        out.push_str(&text);
    }
    out
}

/// A generated crate turned into a member of a throwaway workspace (its
/// standalone `[workspace]` table removed).
pub fn as_workspace_member(generated: &GeneratedCrate) -> GeneratedCrate {
    let mut generated = generated.clone();
    if let Some(manifest) = generated.files.get_mut("Cargo.toml") {
        *manifest = manifest.replace(
            "\n# Builds on its own, outside any workspace.\n[workspace]\n",
            "",
        );
    }
    generated
}

/// Writes `crates` as members of a throwaway cargo workspace in `root` (with
/// this project's `Cargo.lock`, so no network is needed) and runs
/// `cargo <args> --offline --quiet` there with `target` as the target
/// directory and `env` set; returns cargo's output when it fails.
pub fn run_cargo_in_scratch_workspace(
    root: &Path,
    crates: &[(&str, &GeneratedCrate)],
    args: &[&str],
    target: &Path,
    env: &[(&str, &str)],
) -> Result<(), String> {
    std::fs::create_dir_all(root).map_err(|e| e.to_string())?;
    let mut members = Vec::new();
    for (name, generated) in crates {
        let dir = root.join(name);
        smithy_codegen::output::write_crate(&dir, generated)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        members.push(format!("{name:?}"));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(root.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    if !root.join("Cargo.lock").exists() {
        std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock"))
            .map_err(|e| e.to_string())?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    // `--offline --quiet` right after the subcommand, before any `--` that hands the rest to a tool.
    let (subcommand, rest) = args
        .split_first()
        .map_or((None, args), |(first, rest)| (Some(*first), rest));
    command
        .args(subcommand)
        .args(["--offline", "--quiet"])
        .args(rest)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs clippy (every warning denied) and
/// rustdoc (`RUSTDOCFLAGS=-Dwarnings`) on generated crates, in the same
/// throwaway workspace as [`check_crates_compile`].
pub fn lint_and_document_crates(crates: &[(&str, &GeneratedCrate)]) -> Result<(), String> {
    let root = workspace_root().join("target/generated-test-crates");
    let members: Vec<(&str, GeneratedCrate)> = crates
        .iter()
        .map(|(name, g)| (*name, as_workspace_member(g)))
        .collect();
    let refs: Vec<(&str, &GeneratedCrate)> = members.iter().map(|(name, g)| (*name, g)).collect();
    let clippy = [
        "clippy",
        "--workspace",
        "--message-format=short",
        "--",
        "-D",
        "warnings",
    ];
    let target = root.join("target");
    run_cargo_in_scratch_workspace(
        &root,
        &refs,
        &clippy,
        &target,
        &[("RUSTFLAGS", "-Dwarnings")],
    )?;
    run_cargo_in_scratch_workspace(
        &root,
        &refs,
        &["doc", "--workspace", "--no-deps"],
        &target,
        &[("RUSTFLAGS", "-Dwarnings"), ("RUSTDOCFLAGS", "-Dwarnings")],
    )
}

/// Checks that generated crates compile without warnings, all in one
/// throwaway workspace whose target directory is kept under `target/` so
/// reruns are incremental.
pub fn check_crates_compile(crates: &[(&str, &GeneratedCrate)]) -> Result<(), String> {
    let root = workspace_root().join("target/generated-test-crates");
    let members: Vec<(&str, GeneratedCrate)> = crates
        .iter()
        .map(|(name, g)| (*name, as_workspace_member(g)))
        .collect();
    let refs: Vec<(&str, &GeneratedCrate)> = members.iter().map(|(name, g)| (*name, g)).collect();
    run_cargo_in_scratch_workspace(
        &root,
        &refs,
        &["check", "--workspace", "--message-format=short"],
        &root.join("target"),
        &[("RUSTFLAGS", "-Dwarnings")],
    )
}
