//! This project's own generation jobs: model/ivs-realtime.json → generated/,
//! and the test clients under tests/clients/ (DynamoDB and SQS over awsJson,
//! STS and SNS over awsQuery, S3 over restXml; Glacier, Lambda and Transcribe
//! streaming over restJson1 with streamed bodies and event streams), from the
//! project's trimmed models in tests/models/clients/; and the STS, SSO and
//! SSO-OIDC clients the runtime's credential providers call, generated from
//! model/internal/ as modules inside the runtime (see [`crate::emit::embedded`]).
//! `cargo xtask codegen [--check]` and the freshness test both call here.

use std::path::{Path, PathBuf};

use crate::emit::{CrateOptions, FileReady, GeneratedCrate};
use crate::output::{self, Staleness};

/// The model, relative to the workspace root.
pub const MODEL: &str = "model/ivs-realtime.json";
/// The generated crate, relative to the workspace root.
pub const OUTPUT: &str = "generated";
/// The generated crate's package name.
pub const CRATE_NAME: &str = "ivs-realtime";

/// One model → one checked-in crate of this workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// The model, relative to the workspace root.
    pub model: &'static str,
    /// The generated crate, relative to the workspace root.
    pub output: &'static str,
    /// The generated crate's package name.
    pub crate_name: &'static str,
    /// For a client embedded in the runtime: its module path there
    /// (`output` is then that module's directory).
    pub module: Option<&'static str>,
}

/// The IVS RealTime crate users depend on.
pub const IVS_REALTIME: Job = Job {
    model: MODEL,
    output: OUTPUT,
    crate_name: CRATE_NAME,
    module: None,
};

/// The DynamoDB client the loopback tests use (awsJson1_0, map page tokens).
pub const DYNAMODB_TEST_CLIENT: Job = Job {
    model: "tests/models/clients/dynamodb.json",
    output: "tests/clients/dynamodb",
    crate_name: "dynamodb-test-client",
    module: None,
};

/// The SQS client the loopback tests use (awsJson1_0 with awsQuery-compatible errors).
pub const SQS_TEST_CLIENT: Job = Job {
    model: "tests/models/clients/sqs.json",
    output: "tests/clients/sqs",
    crate_name: "sqs-test-client",
    module: None,
};

/// The STS client the loopback tests use (awsQuery).
pub const STS_TEST_CLIENT: Job = Job {
    model: "tests/models/clients/sts.json",
    output: "tests/clients/sts",
    crate_name: "sts-test-client",
    module: None,
};

/// The SNS client the loopback tests use (awsQuery, a map with `@xmlName`d keys and values).
pub const SNS_TEST_CLIENT: Job = Job {
    model: "tests/models/clients/sns.json",
    output: "tests/clients/sns",
    crate_name: "sns-test-client",
    module: None,
};

/// The S3 client the loopback tests use (restXml without error wrapping, path-style addressing).
pub const S3_TEST_CLIENT: Job = Job {
    model: "tests/models/clients/s3.json",
    output: "tests/clients/s3",
    crate_name: "s3-test-client",
    module: None,
};

/// The STS client of the runtime's web identity and assume-role providers.
pub const RUNTIME_STS: Job = Job {
    model: "model/internal/sts.json",
    output: "runtime/src/auth/credentials/clients/sts",
    crate_name: "sts",
    module: Some("auth::credentials::clients::sts"),
};

/// The SSO client of the runtime's SSO provider.
pub const RUNTIME_SSO: Job = Job {
    model: "model/internal/sso.json",
    output: "runtime/src/auth/credentials/clients/sso",
    crate_name: "sso",
    module: Some("auth::credentials::clients::sso"),
};

/// The SSO-OIDC client that refreshes cached SSO tokens.
pub const RUNTIME_SSO_OIDC: Job = Job {
    model: "model/internal/sso-oidc.json",
    output: "runtime/src/auth/credentials/clients/sso_oidc",
    crate_name: "sso-oidc",
    module: Some("auth::credentials::clients::sso_oidc"),
};

/// The Glacier client the streaming tests use (restJson1, streamed blobs both
/// ways, `@requiresLength` on the upload).
pub const GLACIER_TEST_CLIENT: Job = Job {
    model: "tests/models/clients/glacier_stream.json",
    output: "tests/clients/glacier",
    crate_name: "glacier-test-client",
    module: None,
};

/// The Lambda client the streaming tests use (restJson1, an output event
/// stream: InvokeWithResponseStream).
pub const LAMBDA_TEST_CLIENT: Job = Job {
    model: "tests/models/clients/lambda_stream.json",
    output: "tests/clients/lambda",
    crate_name: "lambda-test-client",
    module: None,
};

/// The Transcribe streaming client the streaming tests use (restJson1, input
/// and output event streams over HTTP/2: StartStreamTranscription).
pub const TRANSCRIBE_STREAMING_TEST_CLIENT: Job = Job {
    model: "tests/models/clients/transcribe_stream.json",
    output: "tests/clients/transcribe-streaming",
    crate_name: "transcribe-streaming-test-client",
    module: None,
};

/// Every crate `cargo xtask codegen` writes, in the order it writes them.
pub const JOBS: [Job; 12] = [
    IVS_REALTIME,
    DYNAMODB_TEST_CLIENT,
    SQS_TEST_CLIENT,
    STS_TEST_CLIENT,
    SNS_TEST_CLIENT,
    S3_TEST_CLIENT,
    GLACIER_TEST_CLIENT,
    LAMBDA_TEST_CLIENT,
    TRANSCRIBE_STREAMING_TEST_CLIENT,
    RUNTIME_STS,
    RUNTIME_SSO,
    RUNTIME_SSO_OIDC,
];

impl Job {
    /// The options this job generates with: a workspace member whose
    /// runtime dependency is a relative path to runtime/, or a module
    /// embedded in the runtime.
    pub fn options(&self) -> CrateOptions {
        let depth = Path::new(self.output).components().count();
        let options = CrateOptions::new(self.crate_name, format!("{}runtime", "../".repeat(depth)), self.model);
        CrateOptions { embedded_module: self.module.map(str::to_string), ..options }
    }

    /// Where the crate's version is kept: beside the model, `.version`
    /// for `.json` (`model/ivs-realtime.version`); without that file the
    /// version is 0.1.0.
    pub fn version_file(&self) -> String {
        format!("{}.version", self.model.trim_end_matches(".json"))
    }

    /// The crate's version, from its version file.
    pub fn version(&self, workspace: &Path) -> Result<String, Error> {
        let path = workspace.join(self.version_file());
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(text.trim().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(self.options().version),
            Err(e) => Err(Error::Read(path, e)),
        }
    }

    /// Reads and generates this job's model in memory.
    pub fn generate(&self, workspace: &Path) -> Result<GeneratedCrate, Error> {
        let options = CrateOptions { version: self.version(workspace)?, ..self.options() };
        generate_file(&workspace.join(self.model), &options)
    }

    /// Regenerates in memory and lists every file of the output that is stale.
    pub fn check(&self, workspace: &Path) -> Result<Vec<Staleness>, Error> {
        let generated = self.generate(workspace)?;
        let out = workspace.join(self.output);
        output::check_crate(&out, &generated).map_err(|e| Error::Write(out, e))
    }

    /// The message `--check` and the freshness test print for stale output.
    pub fn stale_message(&self, stale: &[Staleness]) -> String {
        let output = self.output;
        let mut text = format!("{output}/ is stale ({} file(s)):\n", stale.len());
        for item in stale {
            text.push_str(&format!("  {output}/{item}\n"));
        }
        text.push_str("Run `cargo xtask codegen` and commit the result.");
        text
    }
}

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
    generate_file_with(model, options, &|_, _| {})
}

/// [`generate_file`], telling `on_file` of each Rust file as soon as it is
/// formatted (see [`crate::generate_with`]).
pub fn generate_file_with(model: &Path, options: &CrateOptions, on_file: &FileReady<'_>) -> Result<GeneratedCrate, Error> {
    let text = std::fs::read_to_string(model).map_err(|e| Error::Read(model.to_path_buf(), e))?;
    crate::generate_with(&options.model_source, &text, options, on_file).map_err(Error::Model)
}

/// The options for this project's own crate (generated/).
pub fn project_options() -> CrateOptions {
    IVS_REALTIME.options()
}

/// Regenerates generated/ in memory and lists every file that is stale.
pub fn check_generated(workspace: &Path) -> Result<Vec<Staleness>, Error> {
    IVS_REALTIME.check(workspace)
}

/// The message `--check` and the freshness test print for a stale generated/.
pub fn stale_message(stale: &[Staleness]) -> String {
    IVS_REALTIME.stale_message(stale)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_version_lives_beside_the_model_and_defaults_to_0_1_0() {
        assert_eq!(IVS_REALTIME.version_file(), "model/ivs-realtime.version");
        let dir = std::env::temp_dir().join(format!("smithy-version-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("model")).expect("temp workspace");
        assert_eq!(IVS_REALTIME.version(&dir).ok().as_deref(), Some("0.1.0"));
        std::fs::write(dir.join("model/ivs-realtime.version"), "0.3.1\n").expect("version file");
        assert_eq!(IVS_REALTIME.version(&dir).ok().as_deref(), Some("0.3.1"));
        std::fs::remove_dir_all(&dir).ok();
    }

    use super::*;

    #[test]
    fn each_job_points_its_crate_at_the_workspace_runtime() {
        let crates: Vec<&Job> = JOBS.iter().filter(|job| job.module.is_none()).collect();
        let paths: Vec<String> = crates.iter().map(|job| job.options().runtime_path.unwrap_or_default()).collect();
        assert_eq!(paths[0], "../runtime");
        assert!(paths[1..].iter().all(|path| path == "../../../runtime"), "{paths:?}");
        assert!(JOBS.iter().all(|job| !job.options().standalone));
    }

    #[test]
    fn embedded_jobs_write_their_module_directory_inside_the_runtime() {
        for job in JOBS.iter().filter(|job| job.module.is_some()) {
            let module = job.options().embedded_module.unwrap_or_default();
            assert_eq!(format!("runtime/src/{}", module.replace("::", "/")), job.output);
        }
    }

    #[test]
    fn a_stale_message_names_the_job_output() {
        let message = SQS_TEST_CLIENT.stale_message(&[Staleness::Missing("src/lib.rs".into())]);
        assert!(message.starts_with("tests/clients/sqs/ is stale (1 file(s)):\n  tests/clients/sqs/src/lib.rs: missing\n"), "{message}");
    }
}
