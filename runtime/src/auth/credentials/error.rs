//! Why credentials could not be loaded.

use std::error::Error;
use std::fmt;

/// The broad reason a provider failed, which decides whether a
/// [`CredentialsProviderChain`](super::CredentialsProviderChain) moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This provider has nothing to offer here (variables unset, profile
    /// absent). A chain tries the next provider.
    NotLoaded,
    /// The provider's configuration is present but wrong (a malformed file,
    /// a key id without its secret). A chain stops here.
    InvalidConfiguration,
    /// The provider was configured but failed while loading (I/O, a remote
    /// call). A chain stops here.
    ProviderError,
    /// Anything else. A chain stops here.
    Unhandled,
}

/// Credentials could not be loaded.
///
/// The `Display` text is complete on its own: it says what was missing or
/// wrong and where the provider looked, e.g.
/// ``AWS_ACCESS_KEY_ID unset; profile `default` not found in /home/u/.aws/credentials or /home/u/.aws/config``.
/// [`source`](Error::source) gives the underlying error, when there is one,
/// for programmatic inspection.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    source: Option<Box<dyn Error + Send + Sync + 'static>>,
}

impl CredentialsError {
    /// An error of `kind` with a message and no source.
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        CredentialsError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// This provider has nothing to offer; `message` says what it looked for.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotLoaded, message)
    }

    /// The provider's configuration is present but wrong.
    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, message)
    }

    /// The provider failed while loading.
    pub fn provider_error(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderError, message)
    }

    /// Any other failure.
    pub fn unhandled(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::Unhandled, message)
    }

    /// Attaches the underlying error. Its text should already be part of the
    /// message.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The broad reason for the failure.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The full explanation (the same text as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Splits the error into its kind, message and source, so a wrapper can
    /// rebuild it with more context.
    pub(crate) fn into_parts(
        self,
    ) -> (
        CredentialsErrorKind,
        String,
        Option<Box<dyn Error + Send + Sync + 'static>>,
    ) {
        (self.kind, self.message, self.source)
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for CredentialsError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_message_and_source() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let err = CredentialsError::provider_error("cannot read /x: denied").with_source(io);
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(err.to_string(), "cannot read /x: denied");
        assert_eq!(
            err.source().map(ToString::to_string).as_deref(),
            Some("denied")
        );
        assert!(CredentialsError::not_loaded("x").source().is_none());
    }
}
