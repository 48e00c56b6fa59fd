//! Credentials from the shared `credentials` and `config` files.

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::environment::Environment;
use crate::config::profile::{Profile, ProfileSet};

const ACCESS_KEY_ID: &str = "aws_access_key_id";
const SECRET_ACCESS_KEY: &str = "aws_secret_access_key";
const SESSION_TOKEN: &str = "aws_session_token";

/// Keys that mean a profile gets its credentials some other way, which this
/// provider does not implement.
const UNSUPPORTED_SOURCES: &[&str] = &[
    "role_arn",
    "sso_session",
    "sso_start_url",
    "credential_process",
    "web_identity_token_file",
    "login_session",
];

/// Loads static keys (`aws_access_key_id`, `aws_secret_access_key`, optional
/// `aws_session_token`) from the active profile of the shared files; see
/// [`crate::config::profile`] for how the files and the profile are found.
///
/// * Profile absent, or present without keys: `NotLoaded`, naming the
///   profile and the files looked in.
/// * A file that is malformed or unreadable: `InvalidConfiguration` or
///   `ProviderError`, naming the file (and line).
/// * `aws_access_key_id` without `aws_secret_access_key`: `InvalidConfiguration`.
///
/// Role assumption, SSO, `credential_process` and web identity profiles are
/// not supported here; the `aws-sdk-credentials` feature can plug in
/// `aws-config`'s provider for those.
///
/// The files are read on every call: put this behind a
/// [`CachedCredentialsProvider`](super::CachedCredentialsProvider) (as
/// [`default_provider`](super::default_provider) does).
#[derive(Debug, Clone)]
pub struct ProfileCredentialsProvider {
    env: Environment,
    profile: Option<String>,
}

impl ProfileCredentialsProvider {
    /// Reads the files and profile named by `env`.
    pub fn new(env: Environment) -> Self {
        ProfileCredentialsProvider { env, profile: None }
    }

    /// Uses profile `name` instead of `AWS_PROFILE` / `default`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let set =
            ProfileSet::load_with_profile(&self.env, self.profile.as_deref()).map_err(|e| {
                let message = e.to_string();
                let error = if e.line().is_some() {
                    CredentialsError::invalid_configuration(message)
                } else {
                    CredentialsError::provider_error(message)
                };
                error.with_source(e)
            })?;
        let name = set.selected_name();
        let Some(profile) = set.selected() else {
            return Err(CredentialsError::not_loaded(format!(
                "profile `{name}` not found in {}",
                set.describe_locations()
            )));
        };
        credentials_from(profile, &set)
    }
}

fn credentials_from(profile: &Profile, set: &ProfileSet) -> Result<Credentials, CredentialsError> {
    let name = profile.name();
    let value = |key| profile.get(key).map(str::trim).filter(|v| !v.is_empty());
    let Some(access_key_id) = value(ACCESS_KEY_ID) else {
        if let Some(other) = UNSUPPORTED_SOURCES
            .iter()
            .find(|k| profile.get(k).is_some())
        {
            return Err(CredentialsError::not_loaded(format!(
                "profile `{name}` gets credentials through `{other}`, which is not supported \
                 (enable the `aws-sdk-credentials` feature to use aws-config's providers)"
            )));
        }
        return Err(CredentialsError::not_loaded(format!(
            "profile `{name}` has no {ACCESS_KEY_ID} in {}",
            set.describe_locations()
        )));
    };
    let Some(secret) = value(SECRET_ACCESS_KEY) else {
        let at = profile
            .property(ACCESS_KEY_ID)
            .map(|p| format!(" ({} line {})", p.file(), p.line()))
            .unwrap_or_default();
        return Err(CredentialsError::invalid_configuration(format!(
            "profile `{name}` sets {ACCESS_KEY_ID}{at} but not {SECRET_ACCESS_KEY}"
        )));
    };
    Ok(Credentials::new(
        access_key_id,
        secret,
        value(SESSION_TOKEN).map(str::to_owned),
        None,
        "Profile",
    ))
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::ready(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::CredentialsErrorKind;

    fn from(
        config: Option<&str>,
        credentials: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        let set = ProfileSet::from_contents("default", config, credentials).unwrap();
        match set.selected() {
            Some(profile) => credentials_from(profile, &set),
            None => Err(CredentialsError::not_loaded("absent")),
        }
    }

    #[test]
    fn keys_and_token() {
        let creds = from(
            None,
            Some("[default]\naws_access_key_id = AKID\naws_secret_access_key = S\naws_session_token = T\n"),
        )
        .unwrap();
        assert_eq!(
            (
                creds.access_key_id(),
                creds.secret_access_key(),
                creds.session_token()
            ),
            ("AKID", "S", Some("T"))
        );
        assert_eq!(creds.provider_name(), "Profile");
    }

    #[test]
    fn missing_secret_names_file_and_line() {
        let err = from(None, Some("[default]\n\naws_access_key_id = AKID\n")).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            err.to_string(),
            "profile `default` sets aws_access_key_id (credentials file line 3) but not aws_secret_access_key"
        );
    }

    #[test]
    fn unsupported_source_is_explained() {
        let err = from(Some("[default]\nrole_arn = arn:aws:iam::1:role/x\n"), None).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert!(err.to_string().contains("`role_arn`"), "{err}");
    }

    #[test]
    fn profile_without_keys_is_not_loaded() {
        let err = from(Some("[default]\nregion = us-east-1\n"), None).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert!(
            err.to_string()
                .starts_with("profile `default` has no aws_access_key_id in "),
            "{err}"
        );
    }
}
