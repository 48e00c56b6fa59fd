//! Which failures are worth another attempt.
//!
//! An error response is retried when its error code is one the model marks
//! `@retryable` (as throttling when it says `throttling: true`), a known
//! throttling or transient code, or, failing that, when its status is 429
//! (throttling) or 500, 502, 503 or 504. A clock-skew error whose `Date`
//! corrected the client's clock is retried too ([`super::clock_skew`]).
//! A transport failure is retried when it is a connection failure, a broken
//! connection or a timeout. Everything else (for example a 400
//! `ValidationException`, or a request the client could not even send) is
//! returned to the caller after one attempt.

use std::fmt;
use std::time::Duration;

use ::http::{HeaderMap, StatusCode};

use crate::http::{HttpError, HttpErrorKind};
use crate::protocol::Protocol;

/// Error codes meaning "slow down", retried as throttling.
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes for failures that are likely to pass on their own.
pub const TRANSIENT_ERROR_CODES: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// HTTP statuses retried when the error code says nothing more specific.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// The status retried as throttling whatever its code (Too Many Requests).
pub const THROTTLING_STATUS_CODE: u16 = 429;

/// An error the model marks `@retryable`: its code, and whether it is
/// throttling (`@retryable(throttling: true)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryableError {
    /// The error code, as the protocol's error metadata reads it.
    pub code: &'static str,
    /// Retried as throttling (and so at the throttling quota cost).
    pub throttling: bool,
}

/// How the attempt loop reads a service's error responses: the protocol
/// (where the error code is) and the errors its model marks `@retryable`.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPolicy<'a> {
    /// Where an error response carries its code.
    pub protocol: Protocol,
    /// `@awsQueryCompatible`: the code may come from `x-amzn-query-error`.
    pub query_compatible: bool,
    /// The modeled retryable errors.
    pub retryable: &'a [RetryableError],
}

impl Default for ErrorPolicy<'_> {
    /// restJson1 error codes, no modeled retryable errors.
    fn default() -> Self {
        ErrorPolicy {
            protocol: Protocol::RestJson1,
            query_compatible: false,
            retryable: &[],
        }
    }
}

impl ErrorPolicy<'_> {
    /// The error code of an error response, as its protocol carries it.
    pub fn code(&self, response: &::http::Response<bytes::Bytes>) -> Option<String> {
        self.code_of(response.status(), response.headers(), response.body())
    }

    /// The error code of an error response given by its parts.
    pub fn code_of(&self, status: StatusCode, headers: &::http::HeaderMap, body: &[u8]) -> Option<String> {
        let meta = self.protocol.error_metadata(self.query_compatible, status.as_u16(), headers, body);
        meta.code().map(str::to_owned)
    }

    /// Classifies an error response: a modeled `@retryable` code first,
    /// then [`classify_response`].
    pub fn classify(&self, status: StatusCode, code: Option<&str>) -> Option<RetryReason> {
        if status.is_success() {
            return None;
        }
        let modeled = code.and_then(|code| self.retryable.iter().find(|r| r.code == code));
        match modeled {
            Some(error) if error.throttling => Some(RetryReason::Throttling),
            Some(_) => Some(RetryReason::TransientCode),
            None => classify_response(status, code),
        }
    }
}

/// The delay a throttled response asks for: `x-amz-retry-after`
/// (milliseconds), else `Retry-After` (whole seconds; an HTTP date is not
/// used).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    if let Some(ms) = text("x-amz-retry-after").and_then(|t| t.parse::<u64>().ok()) {
        return Some(Duration::from_millis(ms));
    }
    text("retry-after")
        .and_then(|t| t.parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// The backoff before the next attempt when the server asked for `hint`:
/// at least the computed `backoff`, at most 5 s more, as the AWS SDKs
/// bound it.
pub fn delay_with_hint(backoff: Duration, hint: Option<Duration>) -> Duration {
    match hint {
        Some(hint) => hint.clamp(backoff, backoff + MAX_RETRY_AFTER_EXTRA),
        None => backoff,
    }
}

/// How far past the computed backoff a server's retry hint may push it.
const MAX_RETRY_AFTER_EXTRA: Duration = Duration::from_secs(5);

/// Why a failed attempt is retried. Decides the retry quota cost.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryReason {
    /// The response carried a throttling error code.
    Throttling,
    /// The response carried a transient error code such as `RequestTimeout`.
    TransientCode,
    /// The response status was 500, 502, 503 or 504.
    ServerError,
    /// No connection could be made, or it broke before the response was
    /// complete.
    Connection,
    /// The attempt, or a transport-level operation within it, timed out.
    Timeout,
    /// The server said the request's time was off, and its `Date` corrected
    /// the client's clock; the next attempt is signed with the corrected time.
    ClockSkew,
}

impl RetryReason {
    /// True for failures that cost more of the retry quota: timeouts and
    /// connection failures, as in the AWS SDK for Rust (the attempt may have
    /// been held up for long, so retrying is more expensive).
    pub fn is_timeout_like(self) -> bool {
        matches!(self, RetryReason::Timeout | RetryReason::Connection)
    }
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RetryReason::Throttling => "throttling error",
            RetryReason::TransientCode => "transient error",
            RetryReason::ServerError => "server error",
            RetryReason::Connection => "connection error",
            RetryReason::Timeout => "timeout",
            RetryReason::ClockSkew => "clock skew",
        })
    }
}

/// True if `code` (already stripped of namespace and suffix) is a throttling
/// error code.
pub fn is_throttling_code(code: &str) -> bool {
    THROTTLING_ERROR_CODES.contains(&code)
}

/// True if `code` is a transient (non-throttling) error code.
pub fn is_transient_code(code: &str) -> bool {
    TRANSIENT_ERROR_CODES.contains(&code)
}

/// Classifies an HTTP response: `Some(reason)` if it should be retried.
///
/// Successful (2xx) responses are never retried. For others the error code
/// (from [`parse_error_code`](crate::protocol::error_code::parse_error_code)) is
/// checked first, then the status.
pub fn classify_response(status: StatusCode, error_code: Option<&str>) -> Option<RetryReason> {
    if status.is_success() {
        return None;
    }
    match error_code {
        Some(code) if is_throttling_code(code) => Some(RetryReason::Throttling),
        Some(code) if is_transient_code(code) => Some(RetryReason::TransientCode),
        _ if status.as_u16() == THROTTLING_STATUS_CODE => Some(RetryReason::Throttling),
        _ if TRANSIENT_STATUS_CODES.contains(&status.as_u16()) => Some(RetryReason::ServerError),
        _ => None,
    }
}

/// Classifies a transport failure: `Some(reason)` if it should be retried.
pub fn classify_http_error(error: &HttpError) -> Option<RetryReason> {
    match error.kind() {
        HttpErrorKind::Connect | HttpErrorKind::Io => Some(RetryReason::Connection),
        HttpErrorKind::Timeout => Some(RetryReason::Timeout),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> StatusCode {
        StatusCode::from_u16(code).unwrap()
    }

    #[test]
    fn every_throttling_code_is_retried_as_throttling() {
        assert_eq!(THROTTLING_ERROR_CODES.len(), 14);
        for code in THROTTLING_ERROR_CODES {
            assert_eq!(
                classify_response(status(400), Some(code)),
                Some(RetryReason::Throttling),
                "{code}"
            );
        }
    }

    #[test]
    fn transient_codes_are_retried() {
        for code in TRANSIENT_ERROR_CODES {
            assert_eq!(
                classify_response(status(400), Some(code)),
                Some(RetryReason::TransientCode),
                "{code}"
            );
        }
    }

    #[test]
    fn transient_statuses_are_retried_whatever_the_code() {
        for code in [500, 502, 503, 504] {
            assert_eq!(
                classify_response(status(code), None),
                Some(RetryReason::ServerError)
            );
            assert_eq!(
                classify_response(status(code), Some("InternalServerException")),
                Some(RetryReason::ServerError)
            );
        }
    }

    #[test]
    fn modeled_client_errors_and_other_statuses_are_not_retried() {
        assert_eq!(
            classify_response(status(400), Some("ValidationException")),
            None
        );
        assert_eq!(
            classify_response(status(404), Some("ResourceNotFoundException")),
            None
        );
        assert_eq!(classify_response(status(403), None), None);
        assert_eq!(classify_response(status(501), None), None);
        // Codes are matched exactly, as the SDKs do.
        assert_eq!(
            classify_response(status(400), Some("throttlingexception")),
            None
        );
    }

    #[test]
    fn a_429_is_throttling_whatever_its_code() {
        assert_eq!(classify_response(status(429), None), Some(RetryReason::Throttling));
        assert_eq!(classify_response(status(429), Some("SomethingNew")), Some(RetryReason::Throttling));
    }

    #[test]
    fn modeled_retryable_errors_come_first() {
        let retryable = [
            RetryableError { code: "StageBusy", throttling: false },
            RetryableError { code: "SlowDownPlease", throttling: true },
        ];
        let policy = ErrorPolicy { retryable: &retryable, ..ErrorPolicy::default() };
        assert_eq!(policy.classify(status(409), Some("StageBusy")), Some(RetryReason::TransientCode));
        assert_eq!(policy.classify(status(400), Some("SlowDownPlease")), Some(RetryReason::Throttling));
        assert_eq!(policy.classify(status(400), Some("ValidationException")), None);
        assert_eq!(policy.classify(status(503), None), Some(RetryReason::ServerError));
    }

    #[test]
    fn the_error_code_is_read_as_the_protocol_carries_it() {
        let response = ::http::Response::builder()
            .status(400)
            .header("x-amzn-query-error", "Throttling;Sender")
            .body(bytes::Bytes::from_static(br#"{"__type":"com.example#LedgerBusy"}"#))
            .expect("response");
        let compatible = ErrorPolicy { protocol: Protocol::AwsJson1_0, query_compatible: true, retryable: &[] };
        assert_eq!(compatible.code(&response).as_deref(), Some("Throttling"));
        assert_eq!(ErrorPolicy::default().code(&response).as_deref(), Some("LedgerBusy"));
        let xml = ::http::Response::builder()
            .status(400)
            .body(bytes::Bytes::from_static(
                b"<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>",
            ))
            .expect("response");
        let query = ErrorPolicy { protocol: Protocol::AwsQuery, ..ErrorPolicy::default() };
        assert_eq!(query.code(&xml).as_deref(), Some("Throttling"));
        assert_eq!(ErrorPolicy::default().code(&xml), None, "not JSON");
    }

    #[test]
    fn retry_hints_bound_the_backoff() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", ::http::HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert("x-amz-retry-after", ::http::HeaderValue::from_static("1500"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(1500)), "x-amz-retry-after first");
        let second = Duration::from_secs(1);
        assert_eq!(delay_with_hint(second, Some(Duration::from_millis(1500))), Duration::from_millis(1500));
        assert_eq!(delay_with_hint(second, Some(Duration::from_millis(10))), second, "never below the backoff");
        assert_eq!(delay_with_hint(second, Some(Duration::from_secs(60))), Duration::from_secs(6), "at most 5 s more");
        assert_eq!(delay_with_hint(second, None), second);
        headers.insert("x-amz-retry-after", ::http::HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)), "a bad hint is skipped");
    }

    #[test]
    fn success_is_never_retried() {
        assert_eq!(
            classify_response(status(200), Some("ThrottlingException")),
            None
        );
    }

    #[test]
    fn transport_failures() {
        assert_eq!(
            classify_http_error(&HttpError::connect("refused")),
            Some(RetryReason::Connection)
        );
        assert_eq!(
            classify_http_error(&HttpError::io("reset")),
            Some(RetryReason::Connection)
        );
        assert_eq!(
            classify_http_error(&HttpError::timeout("slow")),
            Some(RetryReason::Timeout)
        );
        assert_eq!(classify_http_error(&HttpError::other("bad uri")), None);
        assert!(RetryReason::Timeout.is_timeout_like());
        assert!(!RetryReason::Throttling.is_timeout_like());
    }
}
