//! Credentials from an external command: a profile's `credential_process`.

use std::process::{Command, Output, Stdio};

use super::json::CredentialsDocument;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// The name credentials from a command carry.
const PROVIDER_NAME: &str = "CredentialProcess";

/// The most of a failed command's standard error an error message quotes.
const STDERR_EXCERPT: usize = 300;

/// Runs a command and reads credentials from what it prints, as a profile's
/// `credential_process` setting asks.
///
/// The command line goes through the shell, as in the AWS SDKs (`sh -c` on
/// Unix, `cmd /C` on Windows), with the process's environment and no
/// standard input. It must exit with status 0 and print one JSON object:
///
/// ```json
/// {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…",
///  "SessionToken": "…", "Expiration": "2024-01-01T00:00:00Z"}
/// ```
///
/// `SessionToken` and `Expiration` (RFC 3339) are optional; credentials
/// without an expiry are cached for good by a
/// [`CachedCredentialsProvider`](super::CachedCredentialsProvider).
///
/// The command runs on tokio's blocking thread pool, so the async runtime is
/// not blocked while it works. It has no time limit of its own: a client's
/// operation timeout also covers loading credentials.
///
/// A failure is a `ProviderError` naming the command's program (not its
/// arguments, which may hold secrets) and why: it could not start, it
/// exited with a non-zero status (quoting the start of its standard error),
/// or its output is not the document above. What it printed on standard
/// output is never shown.
#[derive(Clone)]
pub struct CredentialProcessProvider {
    command: String,
    /// Where the command was configured, for error messages.
    origin: String,
}

impl CredentialProcessProvider {
    /// Runs `command` (a command line for the shell).
    pub fn new(command: impl Into<String>) -> Self {
        CredentialProcessProvider {
            command: command.into(),
            origin: "credential_process".to_owned(),
        }
    }

    /// Names where the command was configured in error messages, e.g.
    /// ``credential_process of profile `dev` (config file line 4)``.
    pub(super) fn with_origin(mut self, origin: String) -> Self {
        self.origin = origin;
        self
    }

    /// The program the command line starts with, for messages.
    fn program(&self) -> &str {
        self.command.split_whitespace().next().unwrap_or("")
    }

    fn failure(&self, why: impl std::fmt::Display) -> CredentialsError {
        CredentialsError::provider_error(format!(
            "{} (`{}`, arguments not shown) {why}",
            self.origin,
            self.program()
        ))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if self.command.trim().is_empty() {
            return Err(CredentialsError::invalid_configuration(format!(
                "{} is empty",
                self.origin
            )));
        }
        let mut command = shell_command(&self.command);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .map_err(|e| self.failure(format_args!("could not be waited for: {e}")))?
            .map_err(|e| {
                self.failure(format_args!("could not be started: {e}"))
                    .with_source(e)
            })?;
        self.parse(&output)
    }

    fn parse(&self, output: &Output) -> Result<Credentials, CredentialsError> {
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stderr = stderr.trim();
            let excerpt = match stderr.char_indices().nth(STDERR_EXCERPT) {
                Some((cut, _)) => format!("{}…", &stderr[..cut]),
                None => stderr.to_owned(),
            };
            let said = if excerpt.is_empty() {
                String::from("and printed nothing on standard error")
            } else {
                format!("with standard error: {excerpt}")
            };
            return Err(self.failure(format_args!("failed ({}) {said}", output.status)));
        }
        let document = CredentialsDocument::parse(&output.stdout)
            .map_err(|why| self.failure(format_args!("printed unusable output: {why}")))?;
        let bad = |why: String| self.failure(format_args!("printed unusable output: {why}"));
        match document.get("Version") {
            Some(version) if version.as_u64() == Some(1) => {}
            Some(_) => return Err(bad("`Version` is not 1, the only version supported".into())),
            None => return Err(bad("`Version` is missing".into())),
        }
        document
            .credentials("SessionToken", PROVIDER_NAME)
            .map_err(bad)
    }
}

#[cfg(not(windows))]
fn shell_command(line: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(line);
    command
}

#[cfg(windows)]
fn shell_command(line: &str) -> Command {
    use std::os::windows::process::CommandExt;
    let mut command = Command::new("cmd.exe");
    // Passed as written: `arg` would quote it by the C runtime's rules,
    // which are not cmd's.
    command.arg("/C").raw_arg(line);
    command
}

impl std::fmt::Debug for CredentialProcessProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialProcessProvider")
            .field("program", &self.program())
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CredentialProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(self.load())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::auth::credentials::CredentialsErrorKind;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;

    fn output(code: i32, stdout: &str, stderr: &str) -> Output {
        Output {
            status: ExitStatus::from_raw(code << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        }
    }

    fn provider() -> CredentialProcessProvider {
        CredentialProcessProvider::new("/opt/bin/get-creds --token s3cr3t-arg")
            .with_origin("`credential_process` of profile `dev`".to_owned())
    }

    #[test]
    fn version_1_document() {
        let creds = provider()
            .parse(&output(
                0,
                r#"{"Version":1,"AccessKeyId":"ASIA","SecretAccessKey":"S","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"}"#,
                "",
            ))
            .unwrap();
        assert_eq!(creds.access_key_id(), "ASIA");
        assert_eq!(creds.session_token(), Some("T"));
        assert!(creds.expiry().is_some());
        assert_eq!(creds.provider_name(), "CredentialProcess");
    }

    #[test]
    fn failures_name_profile_and_program_but_no_secret() {
        for (out, expected) in [
            (
                output(
                    2,
                    r#"{"SecretAccessKey":"s3cr3t-out"}"#,
                    "  token expired\n",
                ),
                "failed (exit status: 2) with standard error: token expired",
            ),
            (
                output(1, "", ""),
                "failed (exit status: 1) and printed nothing on standard error",
            ),
            (
                output(
                    0,
                    r#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"s3cr3t-out"}"#,
                    "",
                ),
                "printed unusable output: `Version` is not 1",
            ),
            (
                output(
                    0,
                    r#"{"AccessKeyId":"A","SecretAccessKey":"s3cr3t-out"}"#,
                    "",
                ),
                "printed unusable output: `Version` is missing",
            ),
            (
                output(0, r#"{"Version":1,"AccessKeyId":"A"}"#, ""),
                "printed unusable output: `SecretAccessKey` is missing",
            ),
            (
                output(0, "SecretAccessKey=s3cr3t-out", ""),
                "printed unusable output: it is not valid JSON",
            ),
        ] {
            let err = provider().parse(&out).unwrap_err();
            let text = err.to_string();
            assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
            assert!(
                text.starts_with(&format!(
                    "`credential_process` of profile `dev` (`/opt/bin/get-creds`, arguments not shown) {expected}"
                )),
                "{text}"
            );
            assert!(!text.contains("s3cr3t"), "{text}");
        }
    }

    #[test]
    fn long_standard_error_is_cut() {
        let err = provider()
            .parse(&output(1, "", &"x".repeat(1000)))
            .unwrap_err();
        assert!(
            err.to_string().ends_with(&format!("{}…", "x".repeat(300))),
            "{err}"
        );
    }

    #[tokio::test]
    async fn runs_through_the_shell() {
        let provider = CredentialProcessProvider::new(
            r#"printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "S"}' "$(echo AKID)""#,
        );
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert!(!format!("{provider:?}").contains("AKID"));
    }

    #[tokio::test]
    async fn an_empty_command_is_invalid_configuration() {
        let err = CredentialProcessProvider::new("  ")
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(err.to_string(), "credential_process is empty");
    }
}
