//! Credentials for a role, assumed through STS `AssumeRole` with other
//! credentials.

use std::sync::Arc;

use super::clients::sts;
use super::services::{call_failed, client_config, default_session_name, from_sts, sts_region};
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials,
    SharedCredentialsProvider, StaticCredentialsProvider,
};
use crate::config::environment::Environment;
use crate::config::region::Region;

const PROVIDER_NAME: &str = "AssumeRole";

/// What a role assumption asks STS for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RoleRequest {
    pub(super) role_arn: String,
    pub(super) session_name: Option<String>,
    pub(super) external_id: Option<String>,
    pub(super) duration_seconds: Option<i32>,
    /// Where the request was configured, e.g. "profile `dev`".
    pub(super) origin: String,
}

impl RoleRequest {
    /// Assumes the role with `source`'s credentials, calling STS in `region`.
    pub(super) async fn assume(
        &self,
        env: &Environment,
        region: Region,
        source: Credentials,
    ) -> Result<Credentials, CredentialsError> {
        let signer = SharedCredentialsProvider::new(StaticCredentialsProvider::new(source));
        let client = sts::Client::new(&client_config(env, region, Some(signer)));
        let what = format!(
            "STS AssumeRole for role `{}` ({})",
            self.role_arn, self.origin
        );
        let output = client
            .assume_role()
            .role_arn(self.role_arn.as_str())
            .role_session_name(
                self.session_name
                    .clone()
                    .unwrap_or_else(default_session_name),
            )
            .set_external_id(self.external_id.clone())
            .set_duration_seconds(self.duration_seconds)
            .send()
            .await
            .map_err(|e| call_failed(&what, e))?;
        from_sts(&what, output.credentials, PROVIDER_NAME)
    }
}

/// Assumes a role with the credentials of another provider, through STS
/// `AssumeRole` signed with them.
///
/// ```no_run
/// use smithy_runtime::auth::credentials::{AssumeRoleProvider, EnvironmentCredentialsProvider};
/// use smithy_runtime::config::environment::Environment;
///
/// let env = Environment::from_process();
/// let provider = AssumeRoleProvider::new(
///     env.clone(),
///     "arn:aws:iam::123456789012:role/deploy",
///     EnvironmentCredentialsProvider::new(env),
/// )
/// .with_session_name("deploy")
/// .with_external_id("c0ffee");
/// ```
///
/// The session is named `smithy-runtime-<milliseconds>` unless told
/// otherwise. STS is called in `AWS_REGION`, `AWS_DEFAULT_REGION` or the
/// active profile's region, else `us-east-1`, at the endpoint
/// `AWS_ENDPOINT_URL_STS` (or the other endpoint settings) names when set.
/// The source failing, or STS refusing, is a `ProviderError` naming the role.
/// The credentials expire: put the provider behind a
/// [`CachedCredentialsProvider`](super::CachedCredentialsProvider).
///
/// Profiles with `role_arn` do the same through [`ProfileCredentialsProvider`](super::ProfileCredentialsProvider).
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    env: Environment,
    request: RoleRequest,
    source: Arc<dyn ProvideCredentials>,
    region: Option<Region>,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` with the credentials of `source`, reading the
    /// STS settings from `env`.
    pub fn new(
        env: Environment,
        role_arn: impl Into<String>,
        source: impl ProvideCredentials + 'static,
    ) -> Self {
        AssumeRoleProvider {
            env,
            request: RoleRequest {
                role_arn: role_arn.into(),
                session_name: None,
                external_id: None,
                duration_seconds: None,
                origin: "AssumeRoleProvider".to_owned(),
            },
            source: Arc::new(source),
            region: None,
        }
    }

    /// Names the role session (`RoleSessionName`).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.request.session_name = Some(name.into());
        self
    }

    /// Sends the external id the role's trust policy asks for.
    pub fn with_external_id(mut self, id: impl Into<String>) -> Self {
        self.request.external_id = Some(id.into());
        self
    }

    /// Asks for credentials that last this many seconds (STS allows 900 up
    /// to the role's maximum; its default is 3600).
    pub fn with_duration_seconds(mut self, seconds: i32) -> Self {
        self.request.duration_seconds = Some(seconds);
        self
    }

    /// Calls STS in `region` instead of the one the environment gives.
    pub fn with_region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await.map_err(|e| {
            CredentialsError::provider_error(format!(
                "cannot assume role `{}`: its source credentials failed: {e}",
                self.request.role_arn
            ))
        })?;
        let region = self
            .region
            .clone()
            .unwrap_or_else(|| sts_region(&self.env, None));
        self.request.assume(&self.env, region, source).await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(self.load())
    }
}
