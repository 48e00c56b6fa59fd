//! AWS credentials and the providers that load them.
//!
//! A generated client holds a [`SharedCredentialsProvider`] and calls
//! [`ProvideCredentials::provide_credentials`] before signing each request.
//! [`default_provider`] builds the usual one, the chain of the AWS SDKs:
//! environment variables, web identity, the shared profile files (static
//! keys, `credential_process`, role assumption, SSO), the ECS container
//! endpoint, then the EC2 instance metadata service, behind a cache that
//! refreshes shortly before expiry.
//!
//! The providers that call AWS services (web identity, role assumption,
//! SSO) need the `sts-sso-credentials` feature, which generated crates turn
//! on by default; their STS, SSO and SSO-OIDC clients are generated into
//! `clients`. Without it, a profile that asks for them fails with an
//! error that names the feature.
//!
//! Users can supply their own provider by implementing [`ProvideCredentials`].
//! With the `aws-sdk-credentials` feature, any provider from the official
//! `aws-credential-types` crate can be adapted with
//! `aws_sdk::AwsSdkCredentialsProvider`.
//!
//! No secret ever appears in `Debug`, `Display` or tracing output.

#[cfg(feature = "sts-sso-credentials")]
mod assume_role;
#[cfg(feature = "aws-sdk-credentials")]
pub mod aws_sdk;
mod cache;
mod chain;
#[cfg(feature = "sts-sso-credentials")]
pub mod clients;
mod ecs;
mod env;
mod error;
mod imds;
mod json;
mod metadata_client;
mod process;
mod profile;
#[cfg(feature = "sts-sso-credentials")]
mod profile_chain;
#[cfg(feature = "sts-sso-credentials")]
mod services;
#[cfg(feature = "sts-sso-credentials")]
mod sso;
mod token;
#[cfg(feature = "sts-sso-credentials")]
mod web_identity;

#[cfg(feature = "sts-sso-credentials")]
pub use assume_role::AssumeRoleProvider;
#[cfg(feature = "sts-sso-credentials")]
pub use web_identity::WebIdentityTokenCredentialsProvider;

pub use cache::{CachedCredentialsProvider, DEFAULT_REFRESH_BUFFER};
pub use chain::CredentialsProviderChain;
pub use ecs::EcsCredentialsProvider;
pub use env::EnvironmentCredentialsProvider;
pub use error::{CredentialsError, CredentialsErrorKind};
pub use imds::ImdsCredentialsProvider;
pub use process::CredentialProcessProvider;
pub use profile::ProfileCredentialsProvider;
pub use token::{ProvideToken, SharedTokenProvider, Token, TokenFuture};

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::auth::sigv4::SigningKeyCache;
use crate::config::environment::Environment;
use crate::primitives::{DateTime, DateTimeFormat};

/// Access key, secret key, and optionally a session token and an expiry.
///
/// Cloning is cheap (the values are shared). `Debug` and `Display` show the
/// access key id, the expiry and the provider name; the secret access key and
/// the session token are always redacted.
#[derive(Clone)]
pub struct Credentials(Arc<Inner>);

struct Inner {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    provider_name: &'static str,
    /// The SigV4 signing key last derived from this secret: a client's
    /// calls reuse it until the date, region or service changes.
    signing_key: SigningKeyCache,
}

impl PartialEq for Inner {
    /// The credentials themselves; the key cache is not part of them.
    fn eq(&self, other: &Self) -> bool {
        self.access_key_id == other.access_key_id
            && self.secret_access_key == other.secret_access_key
            && self.session_token == other.session_token
            && self.expiry == other.expiry
            && self.provider_name == other.provider_name
    }
}

impl Eq for Inner {}

impl Credentials {
    /// Credentials from their parts. `provider_name` says where they came
    /// from, for logs and errors (e.g. `"Environment"`).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
        provider_name: &'static str,
    ) -> Self {
        Credentials(Arc::new(Inner {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry,
            provider_name,
            signing_key: SigningKeyCache::default(),
        }))
    }

    /// Long-term credentials with no session token and no expiry, named
    /// `"Static"`.
    pub fn from_keys(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        Self::new(access_key_id, secret_access_key, None, None, "Static")
    }

    /// The access key id (`AKIA...` or `ASIA...`).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The secret access key. Never log this.
    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }

    /// The session token of temporary credentials. Never log this.
    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref()
    }

    /// When the credentials stop working, if they expire.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.0.expiry
    }

    /// Which provider produced the credentials.
    pub fn provider_name(&self) -> &'static str {
        self.0.provider_name
    }

    /// The cache of the SigV4 signing key derived from the secret.
    pub(crate) fn signing_key_cache(&self) -> &SigningKeyCache {
        &self.0.signing_key
    }
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Eq for Credentials {}

const REDACTED: &str = "** redacted **";

/// Formats a `SystemTime` as RFC 3339 when it is in range, else as seconds.
struct DisplayTime(SystemTime);

impl fmt::Display for DisplayTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let formatted = self
            .0
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok())
            .and_then(|secs| DateTime::from_secs(secs).fmt(DateTimeFormat::DateTime).ok());
        match formatted {
            Some(text) => f.write_str(&text),
            None => write!(f, "{:?}", self.0),
        }
    }
}

impl fmt::Debug for DisplayTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("provider_name", &self.0.provider_name)
            .field("access_key_id", &self.0.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field(
                "session_token",
                &self.0.session_token.as_ref().map(|_| REDACTED),
            )
            .field("expiry", &self.0.expiry.map(DisplayTime))
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "credentials from {} (access key id {}",
            self.0.provider_name, self.0.access_key_id
        )?;
        if self.0.session_token.is_some() {
            f.write_str(", with session token")?;
        }
        match self.0.expiry {
            Some(expiry) => write!(f, ", expires {})", DisplayTime(expiry)),
            None => f.write_str(", no expiry)"),
        }
    }
}

/// The result of loading credentials.
pub type CredentialsResult = Result<Credentials, CredentialsError>;

/// The future returned by [`ProvideCredentials::provide_credentials`].
pub type CredentialsFuture<'a> = IdentityFuture<'a, Credentials>;

/// The future an identity provider returns: [`CredentialsFuture`] for
/// credentials, [`TokenFuture`] for bearer tokens.
///
/// Either an already-known result (no allocation) or a boxed future.
pub struct IdentityFuture<'a, T>(FutureState<'a, T>);

type BoxedIdentityFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, CredentialsError>> + Send + 'a>>;

enum FutureState<'a, T> {
    Ready(Option<Result<T, CredentialsError>>),
    Pending(BoxedIdentityFuture<'a, T>),
}

impl<'a, T> IdentityFuture<'a, T> {
    /// Wraps an async computation.
    pub fn new(future: impl Future<Output = Result<T, CredentialsError>> + Send + 'a) -> Self {
        IdentityFuture(FutureState::Pending(Box::pin(future)))
    }

    /// A future that completes at once with `result`.
    pub fn ready(result: Result<T, CredentialsError>) -> Self {
        IdentityFuture(FutureState::Ready(Some(result)))
    }
}

// Never pinned structurally: the pending future is boxed.
impl<T> Unpin for IdentityFuture<'_, T> {}

impl<T> Future for IdentityFuture<'_, T> {
    type Output = Result<T, CredentialsError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.0 {
            FutureState::Ready(result) => Poll::Ready(result.take().unwrap_or_else(|| {
                Err(CredentialsError::unhandled(
                    "identity future polled after it completed",
                ))
            })),
            FutureState::Pending(future) => future.as_mut().poll(cx),
        }
    }
}

impl<T> fmt::Debug for IdentityFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            FutureState::Ready(_) => "IdentityFuture(ready)",
            FutureState::Pending(_) => "IdentityFuture(pending)",
        })
    }
}

/// Something that can load [`Credentials`].
///
/// The trait is object safe (clients store `Arc<dyn ProvideCredentials>`)
/// without needing the `async-trait` crate: implementations return a
/// [`CredentialsFuture`], built with [`CredentialsFuture::ready`] for values
/// already at hand or [`CredentialsFuture::new`] around an `async` block.
///
/// ```
/// use smithy_runtime::auth::credentials::{
///     Credentials, CredentialsError, CredentialsFuture, ProvideCredentials,
/// };
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> CredentialsFuture<'_> {
///         CredentialsFuture::new(async move {
///             // ...fetch from somewhere...
///             Ok(Credentials::new("AKID", "SECRET", None, None, "Vault"))
///         })
///     }
/// }
/// ```
///
/// Providers are called often: wrap slow ones in a
/// [`CachedCredentialsProvider`].
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Loads credentials, or explains why none could be loaded.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Fixed credentials are their own provider.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::ready(Ok(self.clone()))
    }
}

/// A provider that always returns the same credentials.
#[derive(Debug, Clone)]
pub struct StaticCredentialsProvider {
    credentials: Credentials,
}

impl StaticCredentialsProvider {
    /// Always provides `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        StaticCredentialsProvider { credentials }
    }
}

impl ProvideCredentials for StaticCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::ready(Ok(self.credentials.clone()))
    }
}

/// A cheaply cloned, type-erased credentials provider, as held by clients.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Erases the type of `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        SharedCredentialsProvider(Arc::new(provider))
    }
}

impl From<Arc<dyn ProvideCredentials>> for SharedCredentialsProvider {
    fn from(provider: Arc<dyn ProvideCredentials>) -> Self {
        SharedCredentialsProvider(provider)
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.0.provide_credentials()
    }
}

/// The default chain, uncached, in the AWS SDKs' order:
///
/// 1. `Environment`: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
///    `AWS_SESSION_TOKEN` ([`EnvironmentCredentialsProvider`]);
/// 2. `WebIdentity` (with the `sts-sso-credentials` feature):
///    `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (and
///    `AWS_ROLE_SESSION_NAME`), through STS `AssumeRoleWithWebIdentity`
///    (`WebIdentityTokenCredentialsProvider`);
/// 3. `Profile`: the active profile of the shared files: static keys,
///    `credential_process`, and with the feature `role_arn` (through
///    `source_profile` or `credential_source`, or with
///    `web_identity_token_file`) and SSO ([`ProfileCredentialsProvider`]);
/// 4. `ECS`: the container credentials endpoint named by
///    `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `…_FULL_URI`
///    ([`EcsCredentialsProvider`]);
/// 5. `IMDS`: the EC2 instance's role from the instance metadata service,
///    unless `AWS_EC2_METADATA_DISABLED=true` ([`ImdsCredentialsProvider`]).
///
/// A provider with nothing to offer passes to the next; one that is
/// configured but fails stops the chain. Either way the error names each
/// provider tried and why it gave nothing.
///
/// Off EC2 and outside a container, the `IMDS` step costs up to three
/// connect timeouts of 1 s when nothing answers at its address; set
/// `AWS_EC2_METADATA_DISABLED=true` to skip it.
pub fn default_chain(env: &Environment) -> CredentialsProviderChain {
    let chain = CredentialsProviderChain::first_try(
        "Environment",
        EnvironmentCredentialsProvider::new(env.clone()),
    );
    #[cfg(feature = "sts-sso-credentials")]
    let chain = chain.or_else(
        "WebIdentity",
        WebIdentityTokenCredentialsProvider::new(env.clone()),
    );
    chain
        .or_else("Profile", ProfileCredentialsProvider::new(env.clone()))
        .or_else("ECS", EcsCredentialsProvider::new(env.clone()))
        .or_else("IMDS", ImdsCredentialsProvider::new(env.clone()))
}

/// The provider a client uses when none is configured: [`default_chain`]
/// behind a [`CachedCredentialsProvider`] with the default refresh buffer.
///
/// Pass [`Environment::from_process`] in production.
pub fn default_provider(env: &Environment) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(CachedCredentialsProvider::new(default_chain(env)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

    fn sample() -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            SECRET,
            Some(TOKEN.to_owned()),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            "Test",
        )
    }

    #[test]
    fn debug_and_display_redact_secrets() {
        let creds = sample();
        for text in [
            format!("{creds:?}"),
            format!("{creds:#?}"),
            format!("{creds}"),
        ] {
            assert!(!text.contains(SECRET), "secret leaked: {text}");
            assert!(!text.contains(TOKEN), "token leaked: {text}");
            assert!(text.contains("AKIDEXAMPLE"), "{text}");
        }
        assert_eq!(
            creds.to_string(),
            "credentials from Test (access key id AKIDEXAMPLE, with session token, expires 2023-11-14T22:13:20Z)"
        );
        assert!(format!("{creds:?}").contains("redacted"));
    }

    #[test]
    fn accessors() {
        let creds = sample();
        assert_eq!(creds.access_key_id(), "AKIDEXAMPLE");
        assert_eq!(creds.secret_access_key(), SECRET);
        assert_eq!(creds.session_token(), Some(TOKEN));
        assert_eq!(creds.provider_name(), "Test");
        let plain = Credentials::from_keys("A", "B");
        assert_eq!((plain.session_token(), plain.expiry()), (None, None));
        assert_eq!(
            plain.to_string(),
            "credentials from Static (access key id A, no expiry)"
        );
    }

    #[tokio::test]
    async fn static_and_shared_providers() {
        let creds = sample();
        let shared = SharedCredentialsProvider::new(StaticCredentialsProvider::new(creds.clone()));
        assert_eq!(shared.provide_credentials().await.unwrap(), creds);
        let direct: Arc<dyn ProvideCredentials> = Arc::new(creds.clone());
        assert_eq!(direct.provide_credentials().await.unwrap(), creds);
    }

    #[tokio::test]
    async fn ready_future_polled_twice_errors_instead_of_panicking() {
        let mut fut = CredentialsFuture::ready(Ok(sample()));
        assert!((&mut fut).await.is_ok());
        let again = fut.await.unwrap_err();
        assert_eq!(again.kind(), CredentialsErrorKind::Unhandled);
    }
}
