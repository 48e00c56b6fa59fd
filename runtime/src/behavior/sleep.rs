//! Sleeping and reading the clock, behind traits so tests can inject fakes.
//!
//! The retry loop never calls `tokio::time` directly: backoff delays and the
//! attempt and operation timeouts all go through an [`AsyncSleep`], and
//! anything that needs the wall-clock time (request signing, credential
//! expiry) asks a [`TimeSource`]. Production code uses [`TokioSleep`] and
//! [`SystemTimeSource`]; tests plug in fakes that record what was asked for and
//! return at once, so no test has to wait for a real timer.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// The future returned by [`AsyncSleep::sleep`]: completes once the duration
/// has passed.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Something that can wait for a duration without blocking a thread.
///
/// Implementations must be cheap to call; the retry loop asks for one sleep
/// per backoff and one per armed timeout.
pub trait AsyncSleep: Send + Sync + fmt::Debug {
    /// Returns a future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// A shared, type-erased [`AsyncSleep`], as a client stores it.
pub type SharedAsyncSleep = Arc<dyn AsyncSleep>;

impl<T: AsyncSleep + ?Sized> AsyncSleep for Arc<T> {
    fn sleep(&self, duration: Duration) -> Sleep {
        (**self).sleep(duration)
    }
}

impl<T: AsyncSleep + ?Sized> AsyncSleep for Box<T> {
    fn sleep(&self, duration: Duration) -> Sleep {
        (**self).sleep(duration)
    }
}

/// [`AsyncSleep`] on the tokio timer.
///
/// The returned future must be polled inside a tokio runtime with the time
/// driver enabled (`#[tokio::main]` and `Runtime::new()` enable it; a
/// hand-built runtime needs `enable_time()` or `enable_all()`).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl TokioSleep {
    /// Creates the tokio-backed sleep.
    pub fn new() -> Self {
        TokioSleep
    }
}

impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A source of the current wall-clock time.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// A shared, type-erased [`TimeSource`], as a client stores it.
pub type SharedTimeSource = Arc<dyn TimeSource>;

impl<T: TimeSource + ?Sized> TimeSource for Arc<T> {
    fn now(&self) -> SystemTime {
        (**self).now()
    }
}

/// [`TimeSource`] reading the system clock ([`SystemTime::now`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemTimeSource;

impl SystemTimeSource {
    /// Creates the system clock source.
    pub fn new() -> Self {
        SystemTimeSource
    }
}

impl TimeSource for SystemTimeSource {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A [`TimeSource`] that only moves when told to, for tests.
///
/// Clones share the same time, so a test can keep one handle and give another
/// to the code under test.
#[derive(Debug, Clone)]
pub struct ManualTimeSource {
    now: Arc<Mutex<SystemTime>>,
}

impl ManualTimeSource {
    /// Creates a clock that reads `start` until changed.
    pub fn new(start: SystemTime) -> Self {
        ManualTimeSource {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Sets the time every clone reads.
    pub fn set(&self, time: SystemTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = time;
    }

    /// Moves the time forward by `by`. A move past the end of what
    /// [`SystemTime`] can represent leaves the time unchanged.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(later) = now.checked_add(by) {
            *now = later;
        }
    }
}

impl TimeSource for ManualTimeSource {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_time_source_is_shared_between_clones() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let clock = ManualTimeSource::new(start);
        let shared: SharedTimeSource = Arc::new(clock.clone());
        assert_eq!(shared.now(), start);
        clock.advance(Duration::from_secs(90));
        assert_eq!(shared.now(), start + Duration::from_secs(90));
        clock.set(SystemTime::UNIX_EPOCH);
        assert_eq!(shared.now(), SystemTime::UNIX_EPOCH);
    }

    #[test]
    fn manual_time_source_ignores_an_overflowing_advance() {
        let clock = ManualTimeSource::new(SystemTime::UNIX_EPOCH);
        clock.advance(Duration::MAX);
        assert_eq!(clock.now(), SystemTime::UNIX_EPOCH);
    }

    #[tokio::test]
    async fn tokio_sleep_completes_a_zero_sleep() {
        let sleep: SharedAsyncSleep = Arc::new(TokioSleep::new());
        sleep.sleep(Duration::ZERO).await;
    }
}
