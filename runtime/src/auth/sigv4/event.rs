//! The SigV4 signature of one event-stream message, chained to the one
//! before it.
//!
//! A request whose body is an input event stream is signed with the payload
//! hash [`STREAMING_EVENTS_PAYLOAD`](super::STREAMING_EVENTS_PAYLOAD); its
//! signature seeds a chain. Each message
//! of the body is then sent inside a wrapper message whose payload is the
//! encoded message and whose headers are `:chunk-signature` (32 bytes) and
//! `:date` (the signing time in whole seconds). The string signed for it is
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! <signing time, YYYYMMDDTHHMMSSZ>
//! <credential scope, YYYYMMDD/region/service/aws4_request>
//! <prior signature, hex>
//! <hex SHA-256 of the encoded `:date` header>
//! <hex SHA-256 of the payload>
//! ```
//!
//! with the key derived as for a request. The body ends with a wrapper whose
//! payload is empty.

use bytes::{Bytes, BytesMut};
use ring::digest;

use super::string_to_sign::{credential_scope, signature_bytes, AmzDate};
use super::{SigningError, SigningParams};
use crate::event_stream::{Header, HeaderValue, Message};
use crate::primitives::hex::{lower_hex, push_lower_hex};
use crate::primitives::DateTime;

/// The first line of an event's string to sign.
const EVENT_ALGORITHM: &str = "AWS4-HMAC-SHA256-PAYLOAD";

/// A signed wrapper message and its signature, the prior signature of the
/// next message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedEvent {
    /// The message to send: `:date` and `:chunk-signature` headers, the
    /// signed payload.
    pub message: Message,
    /// The signature as 64 lowercase hex digits.
    pub signature: String,
}

/// Signs `payload` (an encoded message, or empty for the end of the stream)
/// after the message signed `prior_signature` (the request's signature for
/// the first one), at `params.time`, with `params`' secret key, region and
/// service.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use smithy_runtime::auth::sigv4::{sign_event, SigningParams, SigningSettings};
/// use smithy_runtime::event_stream::HeaderValue;
///
/// let params = SigningParams {
///     access_key: "AKIDEXAMPLE",
///     secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
///     session_token: None,
///     region: "us-east-1",
///     service: "transcribe",
///     time: UNIX_EPOCH + Duration::from_secs(1_440_938_160),
///     settings: SigningSettings::default(),
/// };
/// let seed = "0".repeat(64);
/// let first = sign_event(bytes::Bytes::from_static(b"frame"), &seed, &params).unwrap();
/// let end = sign_event(bytes::Bytes::new(), &first.signature, &params).unwrap();
/// assert!(end.message.payload.is_empty());
/// assert!(matches!(end.message.header(":chunk-signature"), Some(HeaderValue::ByteArray(b)) if b.len() == 32));
/// ```
pub fn sign_event(
    payload: Bytes,
    prior_signature: &str,
    params: &SigningParams<'_>,
) -> Result<SignedEvent, SigningError> {
    params.validate()?;
    if prior_signature.is_empty() || !prior_signature.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(SigningError::InvalidParam {
            name: "prior_signature",
            reason: "is not a hex signature",
        });
    }
    let date = AmzDate::new(params.time)?;
    let scope = credential_scope(&date, params.region, params.service);
    // Whole seconds, as in the string to sign, so `:date` and the scope agree.
    let time = DateTime::from_secs(DateTime::from(params.time).secs());
    let date_header = Header::new(":date", HeaderValue::Timestamp(time));
    let mut encoded_date = BytesMut::new();
    crate::event_stream::write_header(&mut encoded_date, &date_header)
        .map_err(|_| SigningError::TimeOutOfRange)?;

    let mut string_to_sign = String::with_capacity(EVENT_ALGORITHM.len() + 16 + scope.len() + 3 * 64 + 5);
    for line in [EVENT_ALGORITHM, date.as_str(), &scope, prior_signature] {
        string_to_sign.push_str(line);
        string_to_sign.push('\n');
    }
    push_lower_hex(&mut string_to_sign, digest::digest(&digest::SHA256, &encoded_date).as_ref());
    string_to_sign.push('\n');
    push_lower_hex(&mut string_to_sign, digest::digest(&digest::SHA256, &payload).as_ref());

    let signature = signature_bytes(params.secret_key, &date, params.region, params.service, &string_to_sign, None);
    let message = Message {
        headers: vec![
            Header::new(":chunk-signature", Bytes::copy_from_slice(signature.as_ref())),
            date_header,
        ],
        payload,
    };
    Ok(SignedEvent {
        message,
        signature: lower_hex(signature.as_ref()),
    })
}
