//! The client-side rate limiter of the AWS SDKs' "adaptive" retry mode.
//!
//! Standard mode only retries; adaptive mode also slows the whole client
//! down once the service throttles it. Every attempt first takes a token
//! from a bucket; the bucket is off until the first throttling error, then
//! refills at a rate that follows the CUBIC congestion-control curve:
//!
//! * on a throttling error the rate drops to 70 % of what the client was
//!   sending (`BETA`), and the time at which that happened is kept;
//! * on any other response the rate grows back along the cubic
//!   `SCALE * (t - K)^3 + W_max`, where `W_max` is the rate at the last
//!   throttle and `K = cbrt(W_max * (1 - BETA) / SCALE)` is when the curve
//!   reaches it again; it never grows past twice the measured sending rate.
//!
//! The sending rate is measured in half-second buckets and smoothed
//! (`SMOOTH`). The rate never falls below half a request per second.
//!
//! The limiter holds only numbers and is driven by the time it is given,
//! so it is tested with a scripted clock; [`AdaptiveRateLimiter`] wraps it
//! in a mutex for a client's calls to share.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The lowest refill rate, in tokens (requests) per second.
const MIN_FILL_RATE: f64 = 0.5;
/// The lowest bucket capacity, in tokens.
const MIN_CAPACITY: f64 = 1.0;
/// How much of a new measurement goes into the smoothed sending rate.
const SMOOTH: f64 = 0.8;
/// The factor the rate is multiplied by on a throttling error.
const BETA: f64 = 0.7;
/// The scale of the cubic growth curve.
const SCALE: f64 = 0.4;

/// The limiter's state; times are seconds on the caller's clock.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RateState {
    /// Off until the first throttling error: attempts then go out unlimited.
    enabled: bool,
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: Option<f64>,
    measured_rate: f64,
    last_rate_bucket: Option<f64>,
    requests_in_bucket: u64,
    last_max_rate: f64,
    last_throttle: f64,
    time_window: f64,
}

impl RateState {
    pub(crate) fn new() -> Self {
        RateState {
            enabled: false,
            fill_rate: 0.0,
            max_capacity: 0.0,
            capacity: 0.0,
            last_refill: None,
            measured_rate: 0.0,
            last_rate_bucket: None,
            requests_in_bucket: 0,
            last_max_rate: 0.0,
            last_throttle: 0.0,
            time_window: 0.0,
        }
    }

    /// Takes one token at time `now`: how long the attempt must wait first
    /// (zero while the bucket is off or holds a token). The token is taken
    /// now, so concurrent attempts queue behind each other.
    pub(crate) fn acquire(&mut self, now: f64) -> Duration {
        if !self.enabled {
            return Duration::ZERO;
        }
        self.refill(now);
        self.capacity -= 1.0;
        if self.capacity >= 0.0 {
            return Duration::ZERO;
        }
        // The debt is paid back by the refill before the next attempt.
        let wait = -self.capacity / self.fill_rate;
        Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX)
    }

    /// Records the outcome of an attempt at time `now`.
    pub(crate) fn update(&mut self, now: f64, throttled: bool) {
        self.measure(now);
        let rate = if throttled {
            let sending = if self.enabled {
                self.measured_rate.min(self.fill_rate)
            } else {
                self.measured_rate
            };
            self.last_max_rate = sending;
            self.set_time_window();
            self.last_throttle = now;
            self.enabled = true;
            sending * BETA
        } else {
            self.set_time_window();
            let since = now - self.last_throttle;
            let cubic = SCALE * (since - self.time_window).powi(3) + self.last_max_rate;
            cubic.min(2.0 * self.measured_rate)
        };
        self.set_fill_rate(now, rate);
    }

    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let added = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + added).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    fn set_fill_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }

    fn set_time_window(&mut self) {
        self.time_window = (self.last_max_rate * (1.0 - BETA) / SCALE).cbrt();
    }

    /// Counts the attempt in its half-second bucket; when a bucket closes,
    /// its rate is folded into the smoothed measurement.
    fn measure(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.requests_in_bucket += 1;
        match self.last_rate_bucket {
            Some(last) if bucket > last => {
                let rate = self.requests_in_bucket as f64 / (bucket - last);
                self.measured_rate = rate * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
                self.requests_in_bucket = 0;
                self.last_rate_bucket = Some(bucket);
            }
            Some(_) => {}
            None => self.last_rate_bucket = Some(bucket),
        }
    }

    #[cfg(test)]
    fn fill_rate(&self) -> f64 {
        self.fill_rate
    }
}

/// A client's adaptive-mode rate limiter, shared by its calls (clones share
/// the state). Attempts call [`acquire`](Self::acquire) before they are
/// sent and [`update`](Self::update) with how they ended.
#[derive(Debug, Clone)]
pub struct AdaptiveRateLimiter {
    state: Arc<Mutex<RateState>>,
}

impl AdaptiveRateLimiter {
    /// A limiter that lets everything through until the first throttling
    /// error.
    pub fn new() -> Self {
        AdaptiveRateLimiter {
            state: Arc::new(Mutex::new(RateState::new())),
        }
    }

    /// Takes a token for an attempt at `now` (seconds on any monotonic
    /// clock): how long to wait before sending it.
    pub fn acquire(&self, now: f64) -> Duration {
        self.with_state(|state| state.acquire(now))
    }

    /// Records an attempt that ended at `now`, throttled or not.
    pub fn update(&self, now: f64, throttled: bool) {
        self.with_state(|state| state.update(now, throttled));
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut RateState) -> T) -> T {
        // The state is plain numbers: one left half-updated by a panic
        // elsewhere is still usable.
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut state)
    }
}

impl Default for AdaptiveRateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn nothing_waits_before_the_first_throttle() {
        let mut state = RateState::new();
        for step in 0..100 {
            let now = f64::from(step) * 0.01;
            assert_eq!(state.acquire(now), Duration::ZERO);
            state.update(now, false);
        }
        assert!(!state.enabled);
    }

    #[test]
    fn a_throttle_cuts_the_rate_to_beta_times_what_was_sent() {
        let mut state = RateState::new();
        // Ten requests a second for two seconds: the measured rate
        // converges towards 10.
        for step in 0..20 {
            let now = f64::from(step) * 0.1;
            state.update(now, false);
        }
        let measured = state.measured_rate;
        assert!(measured > 5.0 && measured <= 10.0, "measured {measured}");
        state.update(2.0, true);
        assert!(state.enabled);
        let expected = (state.measured_rate * BETA).max(MIN_FILL_RATE);
        assert!(close(state.fill_rate(), expected), "{} vs {expected}", state.fill_rate());
        assert!(close(state.last_max_rate, state.measured_rate));
    }

    #[test]
    fn once_enabled_attempts_wait_for_tokens() {
        let mut state = RateState::new();
        state.update(0.0, true);
        // Nothing measured yet: the rate is the floor, half a request a second.
        assert!(close(state.fill_rate(), MIN_FILL_RATE));
        assert_eq!(state.acquire(0.0), Duration::from_secs(2));
        // The next one queues behind it.
        assert_eq!(state.acquire(0.0), Duration::from_secs(4));
        // After the wait the debt is repaid and the bucket refills to at
        // most its capacity.
        assert_eq!(state.acquire(10.0), Duration::ZERO);
    }

    #[test]
    fn the_rate_grows_back_along_the_cubic_after_a_throttle() {
        // Throttled at t = 0 while sending 10 requests a second; the
        // measured rate stays high (same half-second bucket, many
        // requests), so the cap of twice the measured rate does not bind.
        let mut throttled = RateState::new();
        throttled.enabled = true;
        throttled.last_max_rate = 10.0;
        throttled.last_throttle = 0.0;
        throttled.measured_rate = 100.0;
        throttled.set_time_window();
        let k = throttled.time_window;
        let at_from = |from: &RateState, t: f64| {
            let mut state = from.clone();
            state.last_rate_bucket = Some((t * 2.0).floor() / 2.0);
            state.update(t, false);
            state.fill_rate()
        };
        let at = |t: f64| at_from(&throttled, t);
        assert!(close(at(k), 10.0), "back at W_max at t = K: {}", at(k));
        assert!(close(at(k / 2.0), SCALE * (-k / 2.0).powi(3) + 10.0));
        assert!(at(k / 2.0) < 10.0 && at(2.0 * k) > 10.0);
        // The measured rate caps the growth.
        let slow = RateState { measured_rate: 3.0, ..throttled.clone() };
        assert!(close(at_from(&slow, 2.0 * k), 6.0));
    }

    #[test]
    fn the_time_window_is_the_cube_root_formula() {
        let mut state = RateState::new();
        state.last_max_rate = 10.0;
        state.set_time_window();
        assert!(close(state.time_window, (10.0_f64 * 0.3 / 0.4).cbrt()));
    }

    #[test]
    fn the_shared_limiter_is_shared_by_clones() {
        let limiter = AdaptiveRateLimiter::new();
        let clone = limiter.clone();
        clone.update(0.0, true);
        assert_eq!(limiter.acquire(0.0), Duration::from_secs(2));
    }
}
