//! Caching credentials until shortly before they expire.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::{
    Credentials, CredentialsFuture, CredentialsResult, ProvideCredentials,
    SharedCredentialsProvider,
};
use crate::behavior::sleep::{SharedTimeSource, SystemTimeSource, TimeSource};

/// How long before expiry cached credentials are refreshed, by default.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);

/// Wraps a provider and reuses its credentials until they are about to expire.
///
/// * Credentials without an expiry are kept for the life of the cache.
/// * Credentials with an expiry are refreshed once `now + refresh_buffer`
///   reaches it (default [`DEFAULT_REFRESH_BUFFER`], five minutes).
/// * Only one refresh runs at a time: callers arriving during a refresh wait
///   for it and share its result rather than calling the inner provider
///   again.
/// * Errors are not cached: the next caller tries again.
pub struct CachedCredentialsProvider {
    inner: SharedCredentialsProvider,
    time: SharedTimeSource,
    buffer: Duration,
    cached: Mutex<Option<Credentials>>,
    refresh: tokio::sync::Mutex<()>,
}

impl CachedCredentialsProvider {
    /// Caches `inner` with the system clock and the default buffer.
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachedCredentialsProvider {
            inner: SharedCredentialsProvider::new(inner),
            time: Arc::new(SystemTimeSource),
            buffer: DEFAULT_REFRESH_BUFFER,
            cached: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Uses `time` (for example a [`ManualTimeSource`](crate::behavior::sleep::ManualTimeSource)
    /// in tests, or the client's shared clock) instead of the system clock.
    pub fn with_time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time = Arc::new(time);
        self
    }

    /// Refreshes this long before expiry instead of five minutes.
    pub fn with_refresh_buffer(mut self, buffer: Duration) -> Self {
        self.buffer = buffer;
        self
    }

    /// Drops the cached credentials, so the next call loads fresh ones.
    pub fn invalidate(&self) {
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Whether `credentials` can still be handed out at `now`.
    fn is_fresh(&self, credentials: &Credentials, now: SystemTime) -> bool {
        match credentials.expiry() {
            None => true,
            Some(expiry) => now
                .checked_add(self.buffer)
                .is_some_and(|refresh_at| refresh_at < expiry),
        }
    }

    fn fresh_cached(&self) -> Option<Credentials> {
        let cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        cached
            .as_ref()
            .filter(|c| self.is_fresh(c, self.time.now()))
            .cloned()
    }

    async fn load(&self) -> CredentialsResult {
        if let Some(credentials) = self.fresh_cached() {
            return Ok(credentials);
        }
        // Single flight: whoever holds this lock refreshes; the others wait
        // and then find the fresh value.
        let _refreshing = self.refresh.lock().await;
        if let Some(credentials) = self.fresh_cached() {
            return Ok(credentials);
        }
        let credentials = self.inner.provide_credentials().await?;
        if !self.is_fresh(&credentials, self.time.now()) {
            tracing::warn!(
                provider = credentials.provider_name(),
                "loaded credentials expire within the refresh buffer; they will be reloaded on the next call"
            );
        } else {
            tracing::debug!(
                provider = credentials.provider_name(),
                "cached new credentials"
            );
        }
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = Some(credentials.clone());
        Ok(credentials)
    }
}

impl fmt::Debug for CachedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedCredentialsProvider")
            .field("inner", &self.inner)
            .field("time", &self.time)
            .field("buffer", &self.buffer)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CachedCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::{CredentialsError, CredentialsErrorKind};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::UNIX_EPOCH;

    use crate::behavior::sleep::ManualTimeSource;

    /// The fake clock, set in whole seconds after the epoch.
    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// Hands out credentials "K<n>" expiring `lifetime` seconds after the
    /// fake clock's current time; fails while `fail` is set.
    #[derive(Debug)]
    struct Counting {
        calls: Arc<AtomicUsize>,
        time: ManualTimeSource,
        lifetime: Option<u64>,
        fail: Arc<Mutex<bool>>,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if *self.fail.lock().unwrap() {
                return CredentialsFuture::ready(Err(CredentialsError::provider_error("down")));
            }
            let expiry = self
                .lifetime
                .map(|l| self.time.now() + Duration::from_secs(l));
            CredentialsFuture::ready(Ok(Credentials::new(
                format!("K{n}"),
                "S",
                None,
                expiry,
                "Counting",
            )))
        }
    }

    struct Setup {
        cache: CachedCredentialsProvider,
        calls: Arc<AtomicUsize>,
        time: ManualTimeSource,
        fail: Arc<Mutex<bool>>,
    }

    fn setup(lifetime: Option<u64>) -> Setup {
        let time = ManualTimeSource::new(at(1_000));
        let calls = Arc::new(AtomicUsize::new(0));
        let fail = Arc::new(Mutex::new(false));
        let inner = Counting {
            calls: calls.clone(),
            time: time.clone(),
            lifetime,
            fail: fail.clone(),
        };
        let cache = CachedCredentialsProvider::new(inner)
            .with_time_source(time.clone())
            .with_refresh_buffer(Duration::from_secs(300));
        Setup {
            cache,
            calls,
            time,
            fail,
        }
    }

    async fn key(cache: &CachedCredentialsProvider) -> String {
        cache
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id()
            .to_owned()
    }

    #[tokio::test]
    async fn refreshes_only_once_inside_the_buffer() {
        // Loaded at t=1000, expire at t=4600; refresh due from t=4300.
        let s = setup(Some(3_600));
        assert_eq!(key(&s.cache).await, "K1");
        s.time.set(at(4_299));
        assert_eq!(key(&s.cache).await, "K1");
        assert_eq!(s.calls.load(Ordering::SeqCst), 1);
        s.time.set(at(4_300));
        assert_eq!(key(&s.cache).await, "K2");
        assert_eq!(key(&s.cache).await, "K2");
        assert_eq!(s.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn no_expiry_means_cached_forever() {
        let s = setup(None);
        assert_eq!(key(&s.cache).await, "K1");
        s.time.set(at(u32::MAX as u64));
        assert_eq!(key(&s.cache).await, "K1");
        s.cache.invalidate();
        assert_eq!(key(&s.cache).await, "K2");
    }

    #[tokio::test]
    async fn errors_are_not_cached() {
        let s = setup(Some(3_600));
        *s.fail.lock().unwrap() = true;
        let err = s.cache.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        *s.fail.lock().unwrap() = false;
        assert_eq!(key(&s.cache).await, "K2");
        assert_eq!(s.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn short_lived_credentials_are_returned_then_reloaded() {
        let s = setup(Some(60)); // shorter than the buffer
        assert_eq!(key(&s.cache).await, "K1");
        assert_eq!(key(&s.cache).await, "K2");
    }
}
