//! Which failures are worth another attempt.
//!
//! An error response is retried when its error code is a known throttling or
//! transient code, or, failing that, when its status is 500, 502, 503 or 504.
//! A transport failure is retried when it is a connection failure, a broken
//! connection or a timeout. Everything else (for example a 400
//! `ValidationException`, or a request the client could not even send) is
//! returned to the caller after one attempt.

use std::fmt;

use ::http::StatusCode;

use crate::http::{HttpError, HttpErrorKind};

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
        assert_eq!(classify_response(status(429), None), None);
        // Codes are matched exactly, as the SDKs do.
        assert_eq!(
            classify_response(status(400), Some("throttlingexception")),
            None
        );
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
