//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN`.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::environment::Environment;

const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
const SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
const SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";

/// Loads credentials from environment variables.
///
/// * Neither key variable set (or both empty): `NotLoaded`, so a chain
///   moves on.
/// * `AWS_ACCESS_KEY_ID` set without `AWS_SECRET_ACCESS_KEY`, or the reverse:
///   `InvalidConfiguration`, so a chain stops rather than silently using
///   another identity.
/// * `AWS_SESSION_TOKEN` is optional. Values are trimmed; empty means unset.
#[derive(Debug, Clone)]
pub struct EnvironmentCredentialsProvider {
    env: Environment,
}

impl EnvironmentCredentialsProvider {
    /// Reads variables from `env`.
    pub fn new(env: Environment) -> Self {
        EnvironmentCredentialsProvider { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let access_key_id = self.env.non_empty_var(ACCESS_KEY_ID);
        let secret = self.env.non_empty_var(SECRET_ACCESS_KEY);
        match (access_key_id, secret) {
            (Some(access_key_id), Some(secret)) => Ok(Credentials::new(
                access_key_id,
                secret,
                self.env.non_empty_var(SESSION_TOKEN),
                None,
                "Environment",
            )),
            (None, None) => Err(CredentialsError::not_loaded(format!(
                "{ACCESS_KEY_ID} unset"
            ))),
            (Some(_), None) => Err(CredentialsError::invalid_configuration(format!(
                "{ACCESS_KEY_ID} is set but {SECRET_ACCESS_KEY} is unset or empty"
            ))),
            (None, Some(_)) => Err(CredentialsError::invalid_configuration(format!(
                "{SECRET_ACCESS_KEY} is set but {ACCESS_KEY_ID} is unset or empty"
            ))),
        }
    }
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::ready(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::CredentialsErrorKind;

    fn load(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        EnvironmentCredentialsProvider::new(Environment::from_map(vars.iter().copied())).load()
    }

    #[test]
    fn full_set() {
        let creds = load(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ])
        .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN"));
        assert_eq!(creds.expiry(), None);
        assert_eq!(creds.provider_name(), "Environment");
    }

    #[test]
    fn token_is_optional_and_empty_token_ignored() {
        let creds = load(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", ""),
        ])
        .unwrap();
        assert_eq!(creds.session_token(), None);
    }

    #[test]
    fn unset_is_not_loaded() {
        let err = load(&[]).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(err.to_string(), "AWS_ACCESS_KEY_ID unset");
        let err = load(&[("AWS_ACCESS_KEY_ID", " ")]).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    }

    #[test]
    fn half_set_is_invalid_configuration() {
        let err = load(&[("AWS_ACCESS_KEY_ID", "AKID")]).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(
            err.to_string().contains("AWS_SECRET_ACCESS_KEY is unset"),
            "{err}"
        );
        let err = load(&[("AWS_SECRET_ACCESS_KEY", "s3cr3t-value")]).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(!err.to_string().contains("s3cr3t-value"), "{err}");
    }
}
