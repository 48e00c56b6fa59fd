//! Clock skew: a client whose clock is off by more than a few minutes signs
//! requests the service rejects (`RequestTimeTooSkewed`,
//! `InvalidSignatureException`, …). As the AWS SDKs do, the client then
//! learns the offset from the response's `Date` header, signs every later
//! request with its clock moved by that offset, and retries once.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use ::http::HeaderMap;

use crate::behavior::sleep::{SharedTimeSource, TimeSource};
use crate::primitives::{DateTime, DateTimeFormat};

/// Error codes a service answers a request signed at the wrong time with.
pub const CLOCK_SKEW_ERROR_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// A difference from the server's clock below this is not corrected.
pub const CLOCK_SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// A [`TimeSource`] that reads another one moved by the offset learned from
/// the server; shared by every call of a client.
#[derive(Debug)]
pub struct SkewedClock {
    source: SharedTimeSource,
    /// Server time minus local time, in milliseconds.
    offset_ms: AtomicI64,
}

impl SkewedClock {
    /// `source` with no offset yet.
    pub fn new(source: SharedTimeSource) -> Self {
        SkewedClock {
            source,
            offset_ms: AtomicI64::new(0),
        }
    }

    /// The offset now applied, in milliseconds (server minus local).
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// After an error response with `code`: when the code is a clock-skew
    /// code and the response's `Date` is more than [`CLOCK_SKEW_THRESHOLD`]
    /// away from this clock, adopts the server's time and returns `true`
    /// (the request is worth signing again). Otherwise changes nothing.
    pub fn correct(&self, code: Option<&str>, headers: &HeaderMap) -> bool {
        if !code.is_some_and(|code| CLOCK_SKEW_ERROR_CODES.contains(&code)) {
            return false;
        }
        let Some(server) = server_time(headers) else { return false };
        let local = self.source.now();
        let ours = shift(local, self.offset_ms());
        let off_by = match server.duration_since(ours) {
            Ok(ahead) => ahead,
            Err(behind) => behind.duration(),
        };
        if off_by <= CLOCK_SKEW_THRESHOLD {
            return false;
        }
        let offset = match server.duration_since(local) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
            Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX),
        };
        tracing::debug!(offset_ms = offset, "clock skew corrected from the server's Date");
        self.offset_ms.store(offset, Ordering::Relaxed);
        true
    }
}

impl TimeSource for SkewedClock {
    fn now(&self) -> SystemTime {
        shift(self.source.now(), self.offset_ms())
    }
}

fn shift(time: SystemTime, offset_ms: i64) -> SystemTime {
    let by = Duration::from_millis(offset_ms.unsigned_abs());
    let shifted = if offset_ms >= 0 { time.checked_add(by) } else { time.checked_sub(by) };
    shifted.unwrap_or(time)
}

/// The response's `Date` header (an HTTP date), if it has a valid one.
fn server_time(headers: &HeaderMap) -> Option<SystemTime> {
    let text = headers.get(::http::header::DATE)?.to_str().ok()?;
    let date = DateTime::parse(DateTimeFormat::HttpDate, text.trim()).ok()?;
    let secs = date.as_secs_f64();
    if secs >= 0.0 {
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs_f64(secs))
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs_f64(-secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behavior::sleep::ManualTimeSource;
    use std::sync::Arc;

    /// 2024-01-02T03:04:05Z.
    const LOCAL: u64 = 1_704_164_645;

    fn date(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(::http::header::DATE, ::http::HeaderValue::from_static(value));
        headers
    }

    fn clock() -> SkewedClock {
        let local = ManualTimeSource::new(SystemTime::UNIX_EPOCH + Duration::from_secs(LOCAL));
        SkewedClock::new(Arc::new(local))
    }

    #[test]
    fn a_skew_error_with_a_distant_date_moves_the_clock_once() {
        let clock = clock();
        // One hour ahead of the local clock.
        let server = date("Tue, 02 Jan 2024 04:04:05 GMT");
        assert!(clock.correct(Some("RequestTimeTooSkewed"), &server));
        assert_eq!(clock.offset_ms(), 3_600_000);
        assert_eq!(clock.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(LOCAL + 3600));
        assert!(!clock.correct(Some("RequestTimeTooSkewed"), &server), "already corrected: no second retry");
        // Behind works too.
        assert!(clock.correct(Some("InvalidSignatureException"), &date("Tue, 02 Jan 2024 02:04:05 GMT")));
        assert_eq!(clock.offset_ms(), -3_600_000);
    }

    #[test]
    fn other_codes_small_differences_and_missing_dates_change_nothing() {
        let clock = clock();
        let far = date("Tue, 02 Jan 2024 05:00:00 GMT");
        assert!(!clock.correct(Some("ValidationException"), &far));
        assert!(!clock.correct(None, &far));
        assert!(!clock.correct(Some("RequestTimeTooSkewed"), &date("Tue, 02 Jan 2024 03:06:05 GMT")), "two minutes");
        assert!(!clock.correct(Some("RequestTimeTooSkewed"), &HeaderMap::new()));
        assert!(!clock.correct(Some("RequestTimeTooSkewed"), &date("yesterday")));
        assert_eq!(clock.offset_ms(), 0);
    }
}
