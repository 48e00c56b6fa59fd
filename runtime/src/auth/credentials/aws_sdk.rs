//! Using providers from the official AWS SDK (feature `aws-sdk-credentials`).
//!
//! [`AwsSdkCredentialsProvider`] adapts anything implementing
//! `aws_credential_types::provider::ProvideCredentials` into this crate's
//! [`ProvideCredentials`], so a client can use `aws-config`'s default chain
//! (SSO, IMDS, ECS, web identity, `credential_process`, role assumption):
//!
//! ```ignore
//! let sdk_config = aws_config::load_from_env().await;
//! let provider = AwsSdkCredentialsProvider::new(sdk_config.credentials_provider().unwrap());
//! ```
//!
//! The SDK providers cache on their own; the adapter adds no cache.

use std::error::Error;
use std::fmt::Write as _;

use aws_credential_types::provider::error::CredentialsError as SdkError;
use aws_credential_types::provider::ProvideCredentials as SdkProvideCredentials;

use super::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
};

/// Wraps an `aws-credential-types` provider as a [`ProvideCredentials`].
#[derive(Debug, Clone)]
pub struct AwsSdkCredentialsProvider<P> {
    inner: P,
}

impl<P: SdkProvideCredentials> AwsSdkCredentialsProvider<P> {
    /// Adapts `inner`.
    pub fn new(inner: P) -> Self {
        AwsSdkCredentialsProvider { inner }
    }

    /// The wrapped provider.
    pub fn into_inner(self) -> P {
        self.inner
    }
}

impl<P: SdkProvideCredentials> ProvideCredentials for AwsSdkCredentialsProvider<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let future = self.inner.provide_credentials();
        CredentialsFuture::new(async move {
            future
                .await
                .map(|c| from_sdk_credentials(&c))
                .map_err(from_sdk_error)
        })
    }
}

/// Converts SDK credentials into ours. The SDK does not expose its provider
/// name, so ours is `"AwsSdk"`.
pub fn from_sdk_credentials(credentials: &aws_credential_types::Credentials) -> Credentials {
    Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        credentials.expiry(),
        "AwsSdk",
    )
}

/// Converts an SDK credentials error, keeping its kind and its whole chain of
/// causes in the message.
pub fn from_sdk_error(error: SdkError) -> CredentialsError {
    let kind = match &error {
        SdkError::CredentialsNotLoaded(_) => CredentialsErrorKind::NotLoaded,
        SdkError::InvalidConfiguration(_) => CredentialsErrorKind::InvalidConfiguration,
        SdkError::ProviderError(_) | SdkError::ProviderTimedOut(_) => {
            CredentialsErrorKind::ProviderError
        }
        _ => CredentialsErrorKind::Unhandled,
    };
    let mut message = format!("AWS SDK provider: {error}");
    let mut cause = error.source();
    while let Some(e) = cause {
        let _ = write!(message, ": {e}");
        cause = e.source();
    }
    CredentialsError::new(kind, message).with_source(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[tokio::test]
    async fn adapts_static_sdk_credentials() {
        let expiry = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let sdk = aws_credential_types::Credentials::new(
            "AKIDSDK",
            "sdk-secret",
            Some("sdk-token".to_owned()),
            Some(expiry),
            "test",
        );
        let ours = AwsSdkCredentialsProvider::new(sdk)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(ours.access_key_id(), "AKIDSDK");
        assert_eq!(ours.secret_access_key(), "sdk-secret");
        assert_eq!(ours.session_token(), Some("sdk-token"));
        assert_eq!(ours.expiry(), Some(expiry));
        assert_eq!(ours.provider_name(), "AwsSdk");
    }

    #[derive(Debug)]
    struct Failing;

    impl SdkProvideCredentials for Failing {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            aws_credential_types::provider::future::ProvideCredentials::ready(Err(
                SdkError::invalid_configuration("bad sso_start_url"),
            ))
        }
    }

    #[tokio::test]
    async fn maps_error_kind_and_message() {
        let err = AwsSdkCredentialsProvider::new(Failing)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.to_string().contains("bad sso_start_url"), "{err}");
        assert!(err.source().is_some());
    }

    #[test]
    fn not_loaded_maps_to_not_loaded() {
        let err = from_sdk_error(SdkError::not_loaded("no IMDS"));
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    }
}
