//! Credentials for a role, in exchange for a web identity token from a file
//! (EKS service accounts, GitHub Actions and other OpenID Connect issuers).

use std::path::PathBuf;

use super::clients::sts;
use super::services::{call_failed, client_config, default_session_name, from_sts, sts_region};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::environment::Environment;
use crate::config::region::Region;

const TOKEN_FILE: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";
const ROLE_ARN: &str = "AWS_ROLE_ARN";
const SESSION_NAME: &str = "AWS_ROLE_SESSION_NAME";

const PROVIDER_NAME: &str = "WebIdentityToken";

/// Where the token is, which role it is exchanged for, and where the
/// settings came from (for errors).
#[derive(Debug, Clone)]
pub(super) struct WebIdentitySettings {
    pub(super) token_file: PathBuf,
    pub(super) role_arn: String,
    pub(super) session_name: Option<String>,
    /// "AWS_WEB_IDENTITY_TOKEN_FILE" or "profile `name`".
    pub(super) origin: String,
    /// The profile whose `region` STS is called in, when the settings came
    /// from one.
    pub(super) profile: Option<String>,
}

/// Loads credentials for `AWS_ROLE_ARN` with the token in the file named by
/// `AWS_WEB_IDENTITY_TOKEN_FILE`, through STS `AssumeRoleWithWebIdentity`
/// (unsigned: the token is the proof of identity). The session is named by
/// `AWS_ROLE_SESSION_NAME`, else `smithy-runtime-<milliseconds>`.
///
/// * Neither variable set: `NotLoaded`, so a chain moves on.
/// * One without the other: `InvalidConfiguration`, which stops a chain.
/// * The file unreadable, or STS refusing: `ProviderError`, naming the file
///   or the role and STS's error code and message.
///
/// The file is read on every load, since the issuer rotates it. STS is
/// called in `AWS_REGION`, `AWS_DEFAULT_REGION` or the active profile's
/// region, else `us-east-1`, at the endpoint `AWS_ENDPOINT_URL_STS` (or the
/// other endpoint settings) names when set. The credentials expire: put the
/// provider behind a [`CachedCredentialsProvider`](super::CachedCredentialsProvider),
/// as [`default_provider`](super::default_provider) does.
///
/// The profile keys `web_identity_token_file`, `role_arn` and
/// `role_session_name` do the same through [`ProfileCredentialsProvider`](super::ProfileCredentialsProvider).
#[derive(Debug, Clone)]
pub struct WebIdentityTokenCredentialsProvider {
    env: Environment,
    settings: Option<WebIdentitySettings>,
    region: Option<Region>,
}

impl WebIdentityTokenCredentialsProvider {
    /// Reads `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
    /// `AWS_ROLE_SESSION_NAME` from `env` on each load.
    pub fn new(env: Environment) -> Self {
        WebIdentityTokenCredentialsProvider {
            env,
            settings: None,
            region: None,
        }
    }

    /// Calls STS in `region` instead of the one the environment gives.
    pub fn with_region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// A provider for settings a profile gave.
    pub(super) fn from_settings(env: Environment, settings: WebIdentitySettings) -> Self {
        WebIdentityTokenCredentialsProvider {
            env,
            settings: Some(settings),
            region: None,
        }
    }

    fn settings(&self) -> Result<WebIdentitySettings, CredentialsError> {
        if let Some(settings) = &self.settings {
            return Ok(settings.clone());
        }
        let token_file = self.env.non_empty_var(TOKEN_FILE);
        let role_arn = self.env.non_empty_var(ROLE_ARN);
        match (token_file, role_arn) {
            (Some(token_file), Some(role_arn)) => Ok(WebIdentitySettings {
                token_file: PathBuf::from(token_file),
                role_arn,
                session_name: self.env.non_empty_var(SESSION_NAME),
                origin: TOKEN_FILE.to_owned(),
                profile: None,
            }),
            (None, None) => Err(CredentialsError::not_loaded(format!(
                "{TOKEN_FILE} and {ROLE_ARN} unset"
            ))),
            (Some(_), None) => Err(CredentialsError::invalid_configuration(format!(
                "{TOKEN_FILE} is set but {ROLE_ARN} is unset or empty"
            ))),
            (None, Some(_)) => Err(CredentialsError::invalid_configuration(format!(
                "{ROLE_ARN} is set but {TOKEN_FILE} is unset or empty"
            ))),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let settings = self.settings()?;
        let token = std::fs::read_to_string(&settings.token_file).map_err(|e| {
            CredentialsError::provider_error(format!(
                "cannot read the web identity token file {} ({}): {e}",
                settings.token_file.display(),
                settings.origin
            ))
            .with_source(e)
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::provider_error(format!(
                "the web identity token file {} ({}) is empty",
                settings.token_file.display(),
                settings.origin
            )));
        }
        let region = match &self.region {
            Some(region) => region.clone(),
            None => sts_region(&self.env, settings.profile.as_deref()),
        };
        let client = sts::Client::new(&client_config(&self.env, region, None));
        let what = format!(
            "STS AssumeRoleWithWebIdentity for role `{}` ({})",
            settings.role_arn, settings.origin
        );
        let output = client
            .assume_role_with_web_identity()
            .role_arn(settings.role_arn.as_str())
            .role_session_name(settings.session_name.unwrap_or_else(default_session_name))
            .web_identity_token(token)
            .send()
            .await
            .map_err(|e| call_failed(&what, e))?;
        from_sts(&what, output.credentials, PROVIDER_NAME)
    }
}

impl ProvideCredentials for WebIdentityTokenCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::CredentialsErrorKind;

    fn settings(vars: &[(&str, &str)]) -> Result<WebIdentitySettings, CredentialsError> {
        WebIdentityTokenCredentialsProvider::new(Environment::from_map(vars.iter().copied()))
            .settings()
    }

    #[test]
    fn both_variables_or_neither() {
        let found = settings(&[
            (TOKEN_FILE, "/var/run/token"),
            (ROLE_ARN, "arn:aws:iam::1:role/r"),
        ])
        .unwrap();
        assert_eq!(found.token_file, PathBuf::from("/var/run/token"));
        assert_eq!(
            (found.role_arn.as_str(), found.session_name),
            ("arn:aws:iam::1:role/r", None)
        );
        let named =
            settings(&[(TOKEN_FILE, "/t"), (ROLE_ARN, "arn"), (SESSION_NAME, "ci")]).unwrap();
        assert_eq!(named.session_name.as_deref(), Some("ci"));

        let err = settings(&[]).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(
            err.to_string(),
            "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN unset"
        );
        let err = settings(&[(TOKEN_FILE, "/t")]).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            err.to_string(),
            "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is unset or empty"
        );
        let err = settings(&[(ROLE_ARN, "arn")]).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    }

    #[tokio::test]
    async fn an_unreadable_token_file_is_a_provider_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let env = Environment::from_map([
            (TOKEN_FILE, missing.to_str().unwrap()),
            (ROLE_ARN, "arn:aws:iam::1:role/r"),
        ]);
        let err = WebIdentityTokenCredentialsProvider::new(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert!(
            err.to_string().starts_with(&format!(
                "cannot read the web identity token file {} (AWS_WEB_IDENTITY_TOKEN_FILE): ",
                missing.display()
            )),
            "{err}"
        );
    }
}
