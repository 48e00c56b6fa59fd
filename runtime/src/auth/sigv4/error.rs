//! Why a request could not be signed.

use std::fmt;

/// A request that could not be signed, and why. The request is left
/// unchanged when signing fails.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// A signing parameter cannot be used.
    InvalidParam {
        /// Which parameter (`access_key`, `secret_key`, `region`, `service`).
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The request has no `Host` header and its URI has no authority, so
    /// there is no host to sign.
    MissingHost,
    /// The signing time cannot be written as a SigV4 date (it must fall in
    /// years 0000..=9999).
    TimeOutOfRange,
    /// A value the signer adds cannot be put in a header.
    InvalidHeaderValue {
        /// The header that could not be written.
        header: &'static str,
    },
    /// A presigned request's expiry is outside one second to seven days.
    InvalidExpiry {
        /// The requested expiry, in whole seconds.
        secs: u64,
    },
    /// The request's query already holds a SigV4 parameter, so it was signed
    /// before or would be ambiguous.
    AlreadySigned {
        /// The parameter found, as written in the query.
        param: String,
    },
    /// A precomputed payload hash holds characters no hash has.
    InvalidPayloadHash,
    /// The presigned URI could not be assembled.
    InvalidUri {
        /// What the `http` crate reported.
        reason: String,
    },
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::InvalidParam { name, reason } => {
                write!(f, "cannot sign: the {name} {reason}")
            }
            SigningError::MissingHost => f.write_str(
                "cannot sign: the request has no Host header and its URI has no authority",
            ),
            SigningError::TimeOutOfRange => {
                f.write_str("cannot sign: the signing time is outside years 0000..=9999")
            }
            SigningError::InvalidHeaderValue { header } => {
                write!(f, "cannot sign: the value for the {header} header holds bytes not allowed in HTTP headers")
            }
            SigningError::InvalidExpiry { secs } => write!(
                f,
                "cannot presign: an expiry of {secs} seconds is outside 1..=604800 (seven days)"
            ),
            SigningError::AlreadySigned { param } => write!(
                f,
                "cannot presign: the query already holds the SigV4 parameter {param:?}"
            ),
            SigningError::InvalidPayloadHash => f.write_str(
                "cannot sign: the precomputed payload hash may hold only ASCII letters, digits and '-'",
            ),
            SigningError::InvalidUri { reason } => {
                write!(f, "cannot presign: the signed URI is invalid: {reason}")
            }
        }
    }
}

impl std::error::Error for SigningError {}
