//! Timeouts: configuration and a small timer-agnostic `timeout` helper.
//!
//! Timeouts are **on by default**. The official AWS SDK for Rust sets only a
//! connect timeout by default (3.1 s) and leaves attempt and operation
//! timeouts off, so a server that accepts a request and never answers can hang
//! a call forever. We arm all three by default so that no call hangs without
//! bound; each can be changed or switched off with [`TimeoutConfigBuilder`],
//! and [`TimeoutConfig::disabled`] switches all of them off.

use std::error::Error;
use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use crate::behavior::sleep::AsyncSleep;

/// How long each part of a call may take.
///
/// | timeout | default | covers |
/// |---|---|---|
/// | connect | 3.1 s | TCP connect plus TLS handshake of one new connection |
/// | attempt | 30 s | one attempt: building and signing the request, sending it, reading the whole response |
/// | operation | 100 s | the whole call: loading credentials, every attempt and every backoff between them |
///
/// The connect default is the one the AWS SDKs use. The official SDK has no
/// default attempt or operation timeout; ours exist so that no call hangs
/// forever. The operation default is longer than three full attempts plus
/// their backoff at the default [`RetryConfig`](crate::behavior::retry::RetryConfig)
/// (3 × 30 s + at most 1 s + 2 s), so with default settings it only fires when
/// something has gone very wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl TimeoutConfig {
    /// Default connect timeout: 3.1 s, as in the AWS SDKs.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
    /// Default per-attempt timeout: 30 s (the official SDK has none).
    pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default whole-operation timeout: 100 s (the official SDK has none).
    pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(100);

    /// A builder starting from the defaults.
    pub fn builder() -> TimeoutConfigBuilder {
        TimeoutConfigBuilder {
            config: TimeoutConfig::default(),
        }
    }

    /// No timeouts at all: calls may wait forever on a silent server.
    pub fn disabled() -> Self {
        TimeoutConfig {
            connect: None,
            attempt: None,
            operation: None,
        }
    }

    /// Limit on establishing one connection (TCP and TLS), if any.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// Limit on one attempt, if any.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// Limit on the whole operation including retries, if any.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }

    /// A builder starting from this configuration.
    pub fn to_builder(&self) -> TimeoutConfigBuilder {
        TimeoutConfigBuilder { config: *self }
    }
}

impl Default for TimeoutConfig {
    /// Connect 3.1 s, attempt 30 s, operation 100 s.
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(Self::DEFAULT_CONNECT_TIMEOUT),
            attempt: Some(Self::DEFAULT_ATTEMPT_TIMEOUT),
            operation: Some(Self::DEFAULT_OPERATION_TIMEOUT),
        }
    }
}

/// Builds a [`TimeoutConfig`]; unset values keep their defaults.
#[derive(Debug, Clone)]
pub struct TimeoutConfigBuilder {
    config: TimeoutConfig,
}

impl TimeoutConfigBuilder {
    /// Sets the connect timeout (default 3.1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect = Some(timeout);
        self
    }

    /// Sets or, with `None`, removes the connect timeout.
    pub fn set_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.connect = timeout;
        self
    }

    /// Sets the per-attempt timeout (default 30 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.attempt = Some(timeout);
        self
    }

    /// Sets or, with `None`, removes the per-attempt timeout.
    pub fn set_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.attempt = timeout;
        self
    }

    /// Sets the whole-operation timeout (default 100 s).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.config.operation = Some(timeout);
        self
    }

    /// Sets or, with `None`, removes the whole-operation timeout.
    pub fn set_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.operation = timeout;
        self
    }

    /// Finishes the configuration.
    pub fn build(self) -> TimeoutConfig {
        self.config
    }
}

/// The error of [`timeout`]: the limit passed before the future finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed {
    limit: Duration,
}

impl Elapsed {
    /// The limit that passed.
    pub fn limit(&self) -> Duration {
        self.limit
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timed out after {:?}", self.limit)
    }
}

impl Error for Elapsed {}

/// Runs `future` to completion unless `limit` passes first, timing with
/// `sleep`. With `limit` `None` the future simply runs.
///
/// The future is polled before the timer, so a future that is ready when the
/// timer fires still wins. On timeout the future is dropped (cancelled).
pub async fn timeout<F: Future>(
    sleep: &dyn AsyncSleep,
    limit: Option<Duration>,
    future: F,
) -> Result<F::Output, Elapsed> {
    let Some(limit) = limit else {
        return Ok(future.await);
    };
    let mut future = pin!(future);
    let mut timer = sleep.sleep(limit);
    poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed { limit })),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behavior::sleep::Sleep;
    use std::sync::{Arc, Mutex};

    /// Sleeps that finish at once and remember what was asked.
    #[derive(Debug, Default)]
    struct InstantSleep(Mutex<Vec<Duration>>);

    impl AsyncSleep for InstantSleep {
        fn sleep(&self, duration: Duration) -> Sleep {
            self.0.lock().unwrap().push(duration);
            Box::pin(async {})
        }
    }

    #[test]
    fn defaults_are_documented_values() {
        let config = TimeoutConfig::default();
        assert_eq!(config.connect_timeout(), Some(Duration::from_millis(3100)));
        assert_eq!(config.attempt_timeout(), Some(Duration::from_secs(30)));
        assert_eq!(config.operation_timeout(), Some(Duration::from_secs(100)));
    }

    #[test]
    fn builder_overrides_and_disables() {
        let config = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .set_attempt_timeout(None)
            .build();
        assert_eq!(config.connect_timeout(), Some(Duration::from_secs(1)));
        assert_eq!(config.attempt_timeout(), None);
        assert_eq!(config.operation_timeout(), Some(Duration::from_secs(100)));
        let disabled = TimeoutConfig::disabled();
        assert_eq!(disabled.connect_timeout(), None);
        assert_eq!(disabled.attempt_timeout(), None);
        assert_eq!(disabled.operation_timeout(), None);
        assert_eq!(
            disabled
                .to_builder()
                .operation_timeout(Duration::from_secs(5))
                .build()
                .operation_timeout(),
            Some(Duration::from_secs(5))
        );
    }

    #[tokio::test]
    async fn ready_future_wins_over_an_expired_timer() {
        let sleep = InstantSleep::default();
        let out = timeout(&sleep, Some(Duration::from_secs(1)), async { 7 }).await;
        assert_eq!(out, Ok(7));
    }

    #[tokio::test]
    async fn pending_future_times_out_with_the_limit() {
        let sleep = Arc::new(InstantSleep::default());
        let limit = Duration::from_millis(250);
        let out = timeout(&*sleep, Some(limit), std::future::pending::<()>()).await;
        let err = out.unwrap_err();
        assert_eq!(err.limit(), limit);
        assert_eq!(err.to_string(), "timed out after 250ms");
        assert_eq!(*sleep.0.lock().unwrap(), vec![limit]);
    }

    #[tokio::test]
    async fn no_limit_arms_no_timer() {
        let sleep = InstantSleep::default();
        let out = timeout(&sleep, None, async { "done" }).await;
        assert_eq!(out, Ok("done"));
        assert!(sleep.0.lock().unwrap().is_empty());
    }
}
