//! Helpers shared by the snapshot and integration tests: locating the
//! workspace, generating the small feature models, rendering a generated
//! crate as one reviewable text, unified diffs, and compiling generated
//! crates with cargo.

pub mod ivs_server;

use std::path::{Path, PathBuf};
use std::process::Command;

use smithy_codegen::{CrateOptions, GeneratedCrate};

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `tests/models/<name>.json`.
pub fn model_path(name: &str) -> PathBuf {
    workspace_root().join("tests/models").join(format!("{name}.json"))
}

/// Options for a test crate that builds on its own and uses this checkout's runtime.
pub fn standalone_options(crate_name: &str, model_source: &str) -> CrateOptions {
    CrateOptions {
        crate_name: crate_name.to_string(),
        runtime_path: workspace_root().join("runtime").to_string_lossy().into_owned(),
        standalone: true,
        model_source: model_source.to_string(),
        service: None,
        protocol_tests: false,
    }
}

/// Generates `tests/models/<name>.json` in memory, panicking with every
/// diagnostic if the model has problems (test models must be valid).
pub fn generate_test_model(name: &str) -> GeneratedCrate {
    let path = model_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let source = format!("tests/models/{name}.json");
    let options = standalone_options(&format!("snapshot-{}", name.replace('_', "-")), &source);
    smithy_codegen::generate(&source, &text, &options).unwrap_or_else(|e| panic!("{source}: {e}"))
}

/// Every file of a generated crate, each under a `=== path ===` heading, with
/// the machine-specific runtime path replaced so snapshots are portable.
pub fn render(generated: &GeneratedCrate) -> String {
    let runtime = workspace_root().join("runtime").to_string_lossy().into_owned();
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

/// Writes each crate into `<root>/<name>/` inside one throwaway cargo
/// workspace and runs `cargo check` on all of them at once, returning
/// cargo's output on failure. The target directory is kept under the
/// workspace's `target/` so reruns are incremental.
pub fn check_crates_compile(crates: &[(&str, &GeneratedCrate)]) -> Result<(), String> {
    let root = workspace_root().join("target/generated-test-crates");
    std::fs::create_dir_all(&root).map_err(|e| e.to_string())?;
    let mut members = Vec::new();
    for (name, generated) in crates {
        let dir = root.join(name);
        let mut generated = (*generated).clone();
        // Members of the throwaway workspace, not standalone crates.
        if let Some(manifest) = generated.files.get_mut("Cargo.toml") {
            *manifest = manifest.replace("\n# Builds on its own, outside any workspace.\n[workspace]\n", "");
        }
        smithy_codegen::output::write_crate(&dir, &generated).map_err(|e| format!("{}: {e}", dir.display()))?;
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(root.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // Same dependency versions as the project, without touching the network.
    let lock = workspace_root().join("Cargo.lock");
    if !root.join("Cargo.lock").exists() {
        std::fs::copy(&lock, root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["check", "--workspace", "--offline", "--quiet", "--message-format=short"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("RUSTFLAGS", "-Dwarnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)))
    }
}
