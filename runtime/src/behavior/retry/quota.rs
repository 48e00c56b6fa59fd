//! The retry quota: a token bucket shared by all calls of one client.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use super::RetryReason;

/// A budget of retries shared by every call made through one client.
///
/// Standard-mode rules: the bucket starts full ([`Self::DEFAULT_CAPACITY`]
/// tokens). A retry is only made if its cost can be taken:
/// [`Self::RETRY_COST`] tokens, or [`Self::TIMEOUT_RETRY_COST`] after a
/// timeout or connection failure. When a call succeeds, the cost of its last
/// retry is given back; a call that succeeds on its first attempt adds
/// [`Self::NO_RETRY_INCREMENT`]. The bucket never holds more than its
/// capacity. First attempts never need tokens.
///
/// Cloning is cheap and clones share the bucket: give each client one quota
/// and hand clones to its calls.
#[derive(Clone)]
pub struct RetryQuota {
    inner: Arc<Bucket>,
}

struct Bucket {
    available: AtomicU32,
    capacity: u32,
}

impl RetryQuota {
    /// Tokens a new quota holds: 500.
    pub const DEFAULT_CAPACITY: u32 = 500;
    /// Cost of a retry: 5 tokens.
    pub const RETRY_COST: u32 = 5;
    /// Cost of a retry after a timeout or connection failure: 10 tokens.
    pub const TIMEOUT_RETRY_COST: u32 = 10;
    /// Tokens added when a call succeeds without retrying: 1.
    pub const NO_RETRY_INCREMENT: u32 = 1;

    /// A full quota of [`Self::DEFAULT_CAPACITY`] tokens.
    pub fn standard() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }

    /// A full quota of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryQuota {
            inner: Arc::new(Bucket {
                available: AtomicU32::new(capacity),
                capacity,
            }),
        }
    }

    /// Tokens left now.
    pub fn available(&self) -> u32 {
        self.inner.available.load(Ordering::Acquire)
    }

    /// The most tokens the quota can hold.
    pub fn capacity(&self) -> u32 {
        self.inner.capacity
    }

    /// The cost of a retry for `reason`.
    pub fn cost_of(reason: RetryReason) -> u32 {
        if reason.is_timeout_like() {
            Self::TIMEOUT_RETRY_COST
        } else {
            Self::RETRY_COST
        }
    }

    /// Takes `cost` tokens if that many are left; returns whether it did.
    pub fn try_acquire(&self, cost: u32) -> bool {
        self.inner
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                available.checked_sub(cost)
            })
            .is_ok()
    }

    /// Puts `amount` tokens back, never exceeding the capacity.
    pub fn release(&self, amount: u32) {
        let capacity = self.inner.capacity;
        // The closure always returns Some, so the update cannot fail.
        let _ =
            self.inner
                .available
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                    Some(available.saturating_add(amount).min(capacity))
                });
    }
}

impl Default for RetryQuota {
    /// A full quota of 500 tokens.
    fn default() -> Self {
        Self::standard()
    }
}

impl fmt::Debug for RetryQuota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryQuota")
            .field("available", &self.available())
            .field("capacity", &self.capacity())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_quota_allows_100_plain_retries() {
        let quota = RetryQuota::standard();
        let mut retries = 0;
        while quota.try_acquire(RetryQuota::RETRY_COST) {
            retries += 1;
        }
        assert_eq!(retries, 100);
        assert_eq!(quota.available(), 0);
    }

    #[test]
    fn costs_follow_the_reason() {
        assert_eq!(RetryQuota::cost_of(RetryReason::Throttling), 5);
        assert_eq!(RetryQuota::cost_of(RetryReason::ServerError), 5);
        assert_eq!(RetryQuota::cost_of(RetryReason::TransientCode), 5);
        assert_eq!(RetryQuota::cost_of(RetryReason::Timeout), 10);
        assert_eq!(RetryQuota::cost_of(RetryReason::Connection), 10);
    }

    #[test]
    fn acquire_fails_without_taking_when_short() {
        let quota = RetryQuota::new(7);
        assert!(quota.try_acquire(5));
        assert!(!quota.try_acquire(5));
        assert_eq!(quota.available(), 2);
    }

    #[test]
    fn release_is_capped_and_shared_by_clones() {
        let quota = RetryQuota::new(20);
        let clone = quota.clone();
        assert!(clone.try_acquire(10));
        assert_eq!(quota.available(), 10);
        quota.release(4);
        assert_eq!(clone.available(), 14);
        quota.release(u32::MAX);
        assert_eq!(clone.available(), 20);
        assert_eq!(
            format!("{quota:?}"),
            "RetryQuota { available: 20, capacity: 20 }"
        );
    }
}
