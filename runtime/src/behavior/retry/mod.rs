//! Retries in the AWS SDKs' "standard" mode: which failures are retried
//! ([`classify`]), how long to wait between attempts ([`RetryConfig`]), and a
//! per-client budget of retries ([`RetryQuota`]).
//!
//! In short, with the defaults:
//!
//! * at most 3 attempts per call;
//! * before attempt *n + 1* the loop sleeps `rand(0..1) * min(20 s, 1 s * 2^(n-1))`
//!   ("full jitter");
//! * errors the model marks `@retryable`, throttling and transient error
//!   codes, HTTP 429/500/502/503/504, connection failures and timeouts are
//!   retried, and a clock-skew error once the server's `Date` corrected the
//!   client's clock ([`clock_skew`]); every other error is returned as is;
//! * a server's `x-amz-retry-after` or `Retry-After` lengthens the next
//!   delay, by at most 5 s;
//! * each retry spends 5 tokens (10 after a timeout or connection failure) from
//!   a 500-token quota shared by the client; a successful call gives back what
//!   its retries spent, or 1 token if it needed none. An empty quota stops
//!   retries until calls succeed again, so a failing service is not hammered.
//!
//! [`RetryMode::Adaptive`] adds a client-side rate limiter
//! ([`AdaptiveRateLimiter`]): once the service throttles the client, every
//! attempt waits for a token from a bucket whose rate follows the service.

pub mod classify;
pub mod clock_skew;
mod quota;
mod rate_limiter;

pub use classify::RetryReason;
pub use quota::RetryQuota;
pub use rate_limiter::AdaptiveRateLimiter;

use std::time::Duration;

/// How many attempts a call may make and how long to wait between them.
///
/// | setting | default |
/// |---|---|
/// | max attempts (first attempt included) | 3 |
/// | initial backoff (base delay) | 1 s |
/// | max backoff (cap on one delay) | 20 s |
///
/// These are the AWS SDKs' standard-mode values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

/// How a client retries, as the AWS SDKs' `retry_mode` setting names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// Retries with backoff and a retry quota (the default).
    #[default]
    Standard,
    /// Standard mode plus a client-side rate limiter: after the service
    /// throttles the client, every attempt waits for a token from a bucket
    /// whose rate follows the service's capacity ([`AdaptiveRateLimiter`]).
    Adaptive,
}

impl RetryMode {
    /// The setting's value: `standard` or `adaptive`.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

impl RetryConfig {
    /// Default number of attempts, the first one included: 3.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    /// Default base of the exponential backoff: 1 s.
    pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
    /// Default cap on a single backoff delay: 20 s.
    pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);

    /// The standard-mode defaults (same as [`RetryConfig::default`]).
    pub fn standard() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            initial_backoff: Self::DEFAULT_INITIAL_BACKOFF,
            max_backoff: Self::DEFAULT_MAX_BACKOFF,
        }
    }

    /// Adaptive mode with the standard-mode attempts and backoff.
    pub fn adaptive() -> Self {
        RetryConfig {
            mode: RetryMode::Adaptive,
            ..Self::standard()
        }
    }

    /// One attempt, never retried.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// A builder starting from the defaults.
    pub fn builder() -> RetryConfigBuilder {
        RetryConfigBuilder {
            config: Self::standard(),
        }
    }

    /// A builder starting from this configuration.
    pub fn to_builder(&self) -> RetryConfigBuilder {
        RetryConfigBuilder { config: *self }
    }

    /// Standard or adaptive.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// Maximum number of attempts, the first one included (at least 1).
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Base of the exponential backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Cap on a single backoff delay.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The delay before the attempt that follows failed attempt number
    /// `failed_attempt` (1 for the first attempt), given a `jitter` drawn
    /// uniformly from `[0, 1)`:
    /// `jitter * min(max_backoff, initial_backoff * 2^(failed_attempt - 1))`.
    ///
    /// Out-of-range input cannot panic: `jitter` is clamped to `[0, 1]` (NaN
    /// counts as 0) and the delay saturates at the cap.
    pub fn backoff_delay(&self, failed_attempt: u32, jitter: f64) -> Duration {
        let mut ceiling = self.initial_backoff.min(self.max_backoff);
        if !ceiling.is_zero() {
            // Doubling reaches the cap within ~100 steps even from 1 ns, so
            // the loop is short whatever `failed_attempt` is.
            for _ in 1..failed_attempt {
                if ceiling >= self.max_backoff {
                    break;
                }
                ceiling = ceiling
                    .checked_mul(2)
                    .map_or(self.max_backoff, |doubled| doubled.min(self.max_backoff));
            }
        }
        let jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        ceiling.mul_f64(jitter)
    }
}

impl Default for RetryConfig {
    /// 3 attempts, 1 s initial backoff, 20 s max backoff.
    fn default() -> Self {
        Self::standard()
    }
}

/// Builds a [`RetryConfig`]; unset values keep their defaults.
#[derive(Debug, Clone)]
pub struct RetryConfigBuilder {
    config: RetryConfig,
}

impl RetryConfigBuilder {
    /// Sets the retry mode (default standard).
    pub fn mode(mut self, mode: RetryMode) -> Self {
        self.config.mode = mode;
        self
    }

    /// Sets the maximum number of attempts, the first one included
    /// (default 3). `0` is treated as `1`: a call always makes one attempt.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.config.max_attempts = attempts.max(1);
        self
    }

    /// Sets the base of the exponential backoff (default 1 s).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.config.initial_backoff = backoff;
        self
    }

    /// Sets the cap on a single backoff delay (default 20 s).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.config.max_backoff = backoff;
        self
    }

    /// Finishes the configuration.
    pub fn build(self) -> RetryConfig {
        self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_standard_mode() {
        let config = RetryConfig::default();
        assert_eq!(config.max_attempts(), 3);
        assert_eq!(config.initial_backoff(), Duration::from_secs(1));
        assert_eq!(config.max_backoff(), Duration::from_secs(20));
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
    }

    #[test]
    fn zero_attempts_means_one() {
        assert_eq!(
            RetryConfig::builder()
                .max_attempts(0)
                .build()
                .max_attempts(),
            1
        );
    }

    #[test]
    fn backoff_doubles_then_caps() {
        let config = RetryConfig::default();
        let ceilings: Vec<Duration> = (1..=8).map(|n| config.backoff_delay(n, 1.0)).collect();
        let secs = |s| Duration::from_secs(s);
        assert_eq!(
            ceilings,
            vec![
                secs(1),
                secs(2),
                secs(4),
                secs(8),
                secs(16),
                secs(20),
                secs(20),
                secs(20)
            ]
        );
    }

    #[test]
    fn backoff_is_full_jitter() {
        let config = RetryConfig::default();
        assert_eq!(config.backoff_delay(1, 0.0), Duration::ZERO);
        assert_eq!(config.backoff_delay(2, 0.5), Duration::from_secs(1));
        assert_eq!(config.backoff_delay(3, 0.25), Duration::from_secs(1));
        assert!(config.backoff_delay(1, 0.999_999) < Duration::from_secs(1));
    }

    #[test]
    fn backoff_survives_extreme_input() {
        let config = RetryConfig::builder()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::from_secs(20))
            .build();
        assert_eq!(config.backoff_delay(u32::MAX, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff_delay(0, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff_delay(5, f64::NAN), Duration::ZERO);
        assert_eq!(config.backoff_delay(5, -3.0), Duration::ZERO);
        assert_eq!(config.backoff_delay(5, 7.0), Duration::from_secs(20));
        let tiny = RetryConfig::builder()
            .initial_backoff(Duration::from_nanos(1))
            .build();
        assert_eq!(tiny.backoff_delay(u32::MAX, 1.0), Duration::from_secs(20));
        assert_eq!(tiny.backoff_delay(11, 1.0), Duration::from_nanos(1024));
        let zero = RetryConfig::builder()
            .initial_backoff(Duration::ZERO)
            .build();
        assert_eq!(zero.backoff_delay(u32::MAX, 1.0), Duration::ZERO);
        assert_eq!(
            RetryConfig::default().backoff_delay(200, 0.5),
            Duration::from_secs(10)
        );
    }
}
