//! AWS Signature Version 4 (SigV4) request signing.
//!
//! Two ways to sign a request:
//!
//! - [`sign_request`] / [`sign_parts`] add `X-Amz-Date`, `Authorization`
//!   and, when there is one, `X-Amz-Security-Token` headers. This is what a
//!   generated client does before sending each request (and again on each
//!   retry, with a fresh time).
//! - [`presign_request`] / [`presign_parts`] put the signature in the query
//!   string instead, giving a URL that can be used until it expires.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use smithy_runtime::auth::sigv4::{self, http, SigningParams, SigningSettings};
//!
//! let mut request = http::Request::post("https://ivsrealtime.us-east-1.amazonaws.com/CreateStage")
//!     .header("content-type", "application/json")
//!     .body(br#"{"name":"demo"}"#.to_vec())
//!     .unwrap();
//! let params = SigningParams {
//!     access_key: "AKIDEXAMPLE",
//!     secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
//!     session_token: None,
//!     region: "us-east-1",
//!     service: "ivs",
//!     time: UNIX_EPOCH + Duration::from_secs(1_440_938_160),
//!     settings: SigningSettings::default(),
//! };
//! let output = sigv4::sign_request(&mut request, &params).unwrap();
//! let authorization = request.headers()["authorization"].to_str().unwrap();
//! assert!(authorization.starts_with(
//!     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ivs/aws4_request, \
//!      SignedHeaders=content-type;host;x-amz-date, Signature="
//! ));
//! assert!(authorization.ends_with(output.signature()));
//! ```
//!
//! The messages of an input event stream are signed one by one, each
//! signature chained to the one before, with [`sign_event`].
//!
//! Nothing is cached between calls: each signature is computed from its
//! parameters alone.

mod canonical_request;
mod error;
mod event;
mod presign;
mod sign;
mod string_to_sign;

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

pub use error::SigningError;
pub use event::{sign_event, SignedEvent};
/// The `http` crate whose types these functions sign, for callers that do not
/// depend on it themselves.
#[doc(no_inline)]
pub use http;
pub use presign::{presign_parts, presign_request, MAX_PRESIGN_EXPIRY};
pub use sign::{sign_parts, sign_request};
pub(crate) use sign::sign_parts_with_key_cache;
pub(crate) use string_to_sign::SigningKeyCache;

/// Everything a signature depends on besides the request.
///
/// Its `Debug` output never shows the secret key or the session token.
#[derive(Clone)]
pub struct SigningParams<'a> {
    /// The access key ID (`AKID...`), sent in the clear.
    pub access_key: &'a str,
    /// The secret access key; only HMAC ever sees it.
    pub secret_key: &'a str,
    /// The session token of temporary credentials, sent as
    /// `X-Amz-Security-Token`.
    pub session_token: Option<&'a str>,
    /// The region signed for, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service, e.g. `ivs`.
    pub service: &'a str,
    /// When the request is signed; AWS rejects signatures more than a few
    /// minutes off its own clock.
    pub time: SystemTime,
    /// How the canonical request is built.
    pub settings: SigningSettings,
}

impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("access_key", &self.access_key)
            .field("secret_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.map(|_| "** redacted **"),
            )
            .field("region", &self.region)
            .field("service", &self.service)
            .field("time", &self.time)
            .field("settings", &self.settings)
            .finish()
    }
}

impl SigningParams<'_> {
    fn validate(&self) -> Result<(), SigningError> {
        check_scope_part("access_key", self.access_key)?;
        if self.secret_key.is_empty() {
            return Err(SigningError::InvalidParam {
                name: "secret_key",
                reason: "is empty",
            });
        }
        check_scope_part("region", self.region)?;
        check_scope_part("service", self.service)
    }
}

/// The access key, region and service go into the credential scope
/// (`AKID/date/region/service/aws4_request`) and the `Authorization` header,
/// where a `/`, `,`, space or control character would change their meaning.
fn check_scope_part(name: &'static str, value: &str) -> Result<(), SigningError> {
    if value.is_empty() {
        return Err(SigningError::InvalidParam {
            name,
            reason: "is empty",
        });
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'/' && b != b',')
    {
        return Err(SigningError::InvalidParam {
            name,
            reason: "holds a character other than visible ASCII, or a '/' or ','",
        });
    }
    Ok(())
}

/// How the canonical request is built. The default suits every AWS service
/// but S3, IVS included; [`SigningSettings::s3`] suits S3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningSettings {
    /// How the request path is percent-encoded in the canonical request.
    pub uri_encoding: UriEncoding,
    /// Whether `.`/`..` segments and repeated slashes are removed from the
    /// path before it is encoded.
    pub normalize_uri_path: bool,
    /// Whether to send (and sign) the payload hash as `X-Amz-Content-SHA256`.
    /// S3 requires it; other services ignore it. Header signing only.
    pub content_sha256_header: bool,
    /// Whether the session token is part of what is signed. When `false` it
    /// is still sent, but added after signing (some services want this).
    pub sign_session_token: bool,
    /// Headers sent but left out of the signature, besides those never
    /// signed (lowercase names). Empty by default: every other header is
    /// signed. Never name `host`, `content-type` or an `x-amz-*` header here:
    /// AWS requires those signed.
    pub unsigned_headers: &'static [&'static str],
}

impl SigningSettings {
    /// Settings for S3: single path encoding, no path normalization, and an
    /// `X-Amz-Content-SHA256` header.
    pub const fn s3() -> Self {
        SigningSettings {
            uri_encoding: UriEncoding::Single,
            normalize_uri_path: false,
            content_sha256_header: true,
            sign_session_token: true,
            unsigned_headers: &[],
        }
    }
}

impl Default for SigningSettings {
    /// Double path encoding, path normalization, no `X-Amz-Content-SHA256`,
    /// session token and every header signed.
    fn default() -> Self {
        SigningSettings {
            uri_encoding: UriEncoding::Double,
            normalize_uri_path: true,
            content_sha256_header: false,
            sign_session_token: true,
            unsigned_headers: &[],
        }
    }
}

/// How the request path is percent-encoded in the canonical request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriEncoding {
    /// The path as sent (already encoded once) is encoded again, so
    /// `%3D` is signed as `%253D`. Every AWS service but S3 expects this.
    Double,
    /// Each path segment is encoded exactly once (decoded first, then
    /// encoded canonically). S3 expects this.
    Single,
}

/// The payload whose SHA-256 is signed.
#[derive(Clone, Copy, Debug)]
pub enum Payload<'a> {
    /// The body bytes, hashed while signing.
    Bytes(&'a [u8]),
    /// `UNSIGNED-PAYLOAD`: the body is not signed (S3 presigned URLs).
    Unsigned,
    /// A hash computed elsewhere (e.g. while streaming the body), as
    /// lowercase hex or one of the `STREAMING-...` markers.
    Precomputed(&'a str),
}

impl Payload<'_> {
    fn hash(&self) -> Result<Cow<'_, str>, SigningError> {
        match self {
            Payload::Bytes(bytes) => Ok(match *bytes {
                // The bodies most requests carry: none, or an input with
                // no body members serialized as an empty JSON object.
                b"" => Cow::Borrowed(EMPTY_SHA256),
                b"{}" => Cow::Borrowed(EMPTY_OBJECT_SHA256),
                _ => Cow::Owned(string_to_sign::sha256_hex(bytes)),
            }),
            Payload::Unsigned => Ok(Cow::Borrowed(UNSIGNED_PAYLOAD)),
            Payload::Precomputed(hash) => {
                if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return Err(SigningError::InvalidPayloadHash);
                }
                Ok(Cow::Borrowed(hash))
            }
        }
    }
}

/// The SHA-256 of an empty body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The SHA-256 of `{}`.
const EMPTY_OBJECT_SHA256: &str = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

/// The payload hash of a request whose body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The payload hash of an event-stream request, whose messages are each
/// signed in a chain seeded by the request's signature.
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The SHA-256 of a streamed body as 64 lowercase hex digits, read through
/// once chunk by chunk (never held whole), for signing a body such as a file
/// that is then read again to be sent.
pub async fn sha256_hex_of_stream(
    mut body: crate::primitives::ByteStream,
) -> Result<String, crate::primitives::ByteStreamError> {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    while let Some(chunk) = body.next().await {
        context.update(&chunk?);
    }
    Ok(crate::primitives::hex::lower_hex(context.finish().as_ref()))
}

/// What was signed, and the signature.
///
/// Its `Debug` output leaves out the canonical request, which can hold the
/// session token.
#[derive(Clone)]
pub struct SigningOutput {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
}

impl SigningOutput {
    fn new(canonical_request: Vec<u8>, string_to_sign: String, signature: String) -> Self {
        // Header values may hold non-UTF-8 bytes (obs-text); the signature was
        // computed over the exact bytes, only this copy for reading is lossy.
        let canonical_request = match String::from_utf8(canonical_request) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        SigningOutput {
            canonical_request,
            string_to_sign,
            signature,
        }
    }

    /// The canonical request that was hashed into the string to sign.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string whose HMAC is the signature.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signature, as 64 lowercase hex digits.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("signature", &self.signature)
            .field("string_to_sign", &self.string_to_sign)
            .field(
                "canonical_request",
                &format_args!("<{} bytes>", self.canonical_request.len()),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests;
