//! This project's own generation job: model/ivs-realtime.json → generated/.
//! `cargo xtask codegen [--check]` and the freshness test both call here.

use std::path::{Path, PathBuf};

use crate::emit::{CrateOptions, GeneratedCrate};
use crate::output::{self, Staleness};

/// The model, relative to the workspace root.
pub const MODEL: &str = "model/ivs-realtime.json";
/// The generated crate, relative to the workspace root.
pub const OUTPUT: &str = "generated";
/// The generated crate's package name.
pub const CRATE_NAME: &str = "ivs-realtime";

/// Why a generation job failed.
#[derive(Debug)]
pub enum Error {
    /// The model could not be read.
    Read(PathBuf, std::io::Error),
    /// The model has problems; every one is listed.
    Model(crate::diagnostics::Diagnostics),
    /// The output directory could not be read or written.
    Write(PathBuf, std::io::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Read(path, e) => write!(f, "cannot read the model {}: {e}", path.display()),
            Error::Model(diagnostics) => write!(f, "{diagnostics}"),
            Error::Write(path, e) => write!(f, "cannot update {}: {e}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

/// Reads and generates a model entirely in memory.
pub fn generate_file(model: &Path, options: &CrateOptions) -> Result<GeneratedCrate, Error> {
    let text = std::fs::read_to_string(model).map_err(|e| Error::Read(model.to_path_buf(), e))?;
    crate::generate(&options.model_source, &text, options).map_err(Error::Model)
}

/// The options for this project's own crate.
pub fn project_options() -> CrateOptions {
    CrateOptions {
        crate_name: CRATE_NAME.to_string(),
        runtime_path: "../runtime".to_string(),
        standalone: false,
        model_source: MODEL.to_string(),
        service: None,
        protocol_tests: false,
    }
}

/// Regenerates in memory and lists every file of `generated/` that is stale.
pub fn check_generated(workspace: &Path) -> Result<Vec<Staleness>, Error> {
    let generated = generate_file(&workspace.join(MODEL), &project_options())?;
    let out = workspace.join(OUTPUT);
    output::check_crate(&out, &generated).map_err(|e| Error::Write(out, e))
}

/// The message `--check` and the freshness test print for stale output.
pub fn stale_message(stale: &[Staleness]) -> String {
    let mut text = format!("{OUTPUT}/ is stale ({} file(s)):\n", stale.len());
    for item in stale {
        text.push_str(&format!("  {OUTPUT}/{item}\n"));
    }
    text.push_str("Run `cargo xtask codegen` and commit the result.");
    text
}
