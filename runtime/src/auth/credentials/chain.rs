//! Trying providers in order.

use super::{
    CredentialsError, CredentialsErrorKind, CredentialsFuture, CredentialsResult,
    ProvideCredentials, SharedCredentialsProvider,
};

/// Tries providers in order and returns the first credentials found.
///
/// A provider failing with [`CredentialsErrorKind::NotLoaded`] passes to the
/// next. Any other failure stops the chain. Either way the error lists every
/// provider tried, by name, with its reason, e.g.
/// ``no credentials: Environment: AWS_ACCESS_KEY_ID unset; Profile: profile `default` not found in …``.
#[derive(Debug, Clone)]
pub struct CredentialsProviderChain {
    providers: Vec<(&'static str, SharedCredentialsProvider)>,
}

impl CredentialsProviderChain {
    /// A chain starting with `provider`, called `name` in logs.
    pub fn first_try(name: &'static str, provider: impl ProvideCredentials + 'static) -> Self {
        CredentialsProviderChain {
            providers: vec![(name, SharedCredentialsProvider::new(provider))],
        }
    }

    /// Adds `provider` to the end of the chain.
    pub fn or_else(
        mut self,
        name: &'static str,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.providers
            .push((name, SharedCredentialsProvider::new(provider)));
        self
    }

    /// The provider names, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.providers.iter().map(|(name, _)| *name)
    }

    async fn load(&self) -> CredentialsResult {
        let mut reasons: Vec<String> = Vec::new();
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(provider = name, "loaded credentials");
                    return Ok(credentials);
                }
                Err(error) if error.kind() == CredentialsErrorKind::NotLoaded => {
                    tracing::debug!(provider = name, reason = %error, "provider had no credentials");
                    reasons.push(format!("{name}: {error}"));
                }
                Err(error) => {
                    tracing::debug!(provider = name, reason = %error, "provider failed; chain stops");
                    let (kind, message, source) = error.into_parts();
                    reasons.push(format!("{name}: {message}"));
                    let error = CredentialsError::new(
                        kind,
                        format!("no credentials: {}", reasons.join("; ")),
                    );
                    return Err(match source {
                        Some(source) => error.with_source(source),
                        None => error,
                    });
                }
            }
        }
        if reasons.is_empty() {
            reasons.push("no providers configured".to_owned());
        }
        Err(CredentialsError::not_loaded(format!(
            "no credentials: {}",
            reasons.join("; ")
        )))
    }
}

impl ProvideCredentials for CredentialsProviderChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::Credentials;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[derive(Debug)]
    struct Fails(CredentialsErrorKind, &'static str, Arc<AtomicUsize>);

    impl ProvideCredentials for Fails {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            self.2.fetch_add(1, Ordering::SeqCst);
            CredentialsFuture::ready(Err(CredentialsError::new(self.0, self.1)))
        }
    }

    #[tokio::test]
    async fn first_success_wins_in_order() {
        let chain = CredentialsProviderChain::first_try("a", Credentials::from_keys("A", "1"))
            .or_else("b", Credentials::from_keys("B", "2"));
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id(),
            "A"
        );
        assert_eq!(chain.names().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[tokio::test]
    async fn not_loaded_falls_through_and_reasons_are_listed() {
        let calls = Arc::new(AtomicUsize::new(0));
        let chain = CredentialsProviderChain::first_try(
            "a",
            Fails(CredentialsErrorKind::NotLoaded, "A unset", calls.clone()),
        )
        .or_else(
            "b",
            Fails(CredentialsErrorKind::NotLoaded, "B missing", calls.clone()),
        );
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(err.to_string(), "no credentials: a: A unset; b: B missing");
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let chain = chain.or_else("c", Credentials::from_keys("C", "3"));
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id(),
            "C"
        );
    }

    #[tokio::test]
    async fn hard_failure_stops_the_chain() {
        let calls = Arc::new(AtomicUsize::new(0));
        let chain = CredentialsProviderChain::first_try(
            "a",
            Fails(CredentialsErrorKind::NotLoaded, "A unset", calls.clone()),
        )
        .or_else(
            "b",
            Fails(
                CredentialsErrorKind::InvalidConfiguration,
                "B broken",
                calls.clone(),
            ),
        )
        .or_else(
            "c",
            Fails(
                CredentialsErrorKind::NotLoaded,
                "never asked",
                calls.clone(),
            ),
        );
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(err.to_string(), "no credentials: a: A unset; b: B broken");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
