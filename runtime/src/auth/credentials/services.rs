//! What the providers that call AWS services (STS, SSO, SSO-OIDC) share:
//! the configuration of the generated clients in `clients`, the region STS is
//! called in, and turning a failed call or an answer into credentials.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::clients::sts;
use super::{Credentials, CredentialsError, SharedCredentialsProvider};
use crate::client::{Config, ConfigBuilder, SdkError};
use crate::config::environment::Environment;
use crate::config::region::{Region, RegionResolver};

/// The region STS is called in when none is configured, as the SDKs fall
/// back to it.
pub(super) const DEFAULT_STS_REGION: &str = "us-east-1";

/// The configuration of a client the providers call: the settings `env`
/// gives every client (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
/// profile's `services` section, FIPS, dual-stack, retries, proxies, CA
/// bundle), in `region`, signing with `credentials` (`None`: the call goes
/// unsigned, which the SSO, SSO-OIDC and web identity operations allow).
pub(super) fn client_config(
    env: &Environment,
    region: Region,
    credentials: Option<SharedCredentialsProvider>,
) -> Config {
    ConfigBuilder::from_environment(env)
        .region(region)
        .set_credentials_provider(credentials)
        .build()
}

/// The region STS is called in: `AWS_REGION`, `AWS_DEFAULT_REGION`, the
/// `region` of `profile` (else of the active profile), else `us-east-1`.
pub(super) fn sts_region(env: &Environment, profile: Option<&str>) -> Region {
    let resolver = match profile {
        Some(name) => RegionResolver::new().with_profile_name(name),
        None => RegionResolver::new(),
    };
    match resolver.resolve(env) {
        Ok(resolved) => resolved.region,
        Err(error) => {
            tracing::debug!(%error, "STS is called in {DEFAULT_STS_REGION}");
            Region::new(DEFAULT_STS_REGION)
        }
    }
}

/// A call to `what` (e.g. "STS AssumeRole for role `arn`") that failed.
pub(super) fn call_failed<E: fmt::Display>(what: &str, error: SdkError<E>) -> CredentialsError {
    CredentialsError::provider_error(format!("{what} failed: {error}"))
}

/// The credentials of an STS answer (`AssumeRole`, `AssumeRoleWithWebIdentity`).
pub(super) fn from_sts(
    what: &str,
    credentials: Option<sts::types::Credentials>,
    provider_name: &'static str,
) -> Result<Credentials, CredentialsError> {
    let Some(credentials) = credentials else {
        return Err(CredentialsError::provider_error(format!(
            "{what} answered without credentials"
        )));
    };
    let expiry = SystemTime::try_from(credentials.expiration).map_err(|e| {
        CredentialsError::provider_error(format!("{what} answered with an unusable expiry: {e}"))
    })?;
    Ok(Credentials::new(
        credentials.access_key_id,
        credentials.secret_access_key,
        Some(credentials.session_token),
        Some(expiry),
        provider_name,
    ))
}

/// An instant given in milliseconds since the Unix epoch (SSO's
/// `expiration`), if it is one.
pub(super) fn from_epoch_millis(millis: i64) -> Option<SystemTime> {
    let millis = u64::try_from(millis).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_millis(millis))
}

/// A role session name for a call that names none: `smithy-runtime-` and
/// the time in milliseconds, as the SDKs name theirs.
pub(super) fn default_session_name() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("smithy-runtime-{millis}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sts_region_falls_back_to_us_east_1() {
        let env = Environment::empty().without_home();
        assert_eq!(sts_region(&env, None).as_str(), DEFAULT_STS_REGION);
        let env = env.with_var("AWS_REGION", "eu-west-3");
        assert_eq!(sts_region(&env, Some("other")).as_str(), "eu-west-3");
    }

    #[test]
    fn epoch_millis_and_session_names() {
        assert_eq!(
            from_epoch_millis(1_700_000_000_123),
            Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123))
        );
        assert_eq!(from_epoch_millis(-1), None);
        let name = default_session_name();
        assert!(name.starts_with("smithy-runtime-"), "{name}");
        assert!(
            name["smithy-runtime-".len()..]
                .chars()
                .all(|c| c.is_ascii_digit()),
            "{name}"
        );
    }

    #[test]
    fn an_sts_answer_without_credentials_is_a_provider_error() {
        let err = from_sts("STS AssumeRole", None, "AssumeRole").unwrap_err();
        assert_eq!(
            err.kind(),
            super::super::CredentialsErrorKind::ProviderError
        );
        assert_eq!(
            err.to_string(),
            "STS AssumeRole answered without credentials"
        );
    }
}
