//! Request compression for operations the model marks
//! `@requestCompression` (`smithy.api#requestCompression`).
//!
//! `compress_request` (feature `request-compression`) gzips a serialized
//! request body before it is signed, as the AWS SDKs do: only when
//! compression is not disabled and the body has at least the minimum size,
//! and it names `gzip` last in `Content-Encoding` (after any encoding the
//! request already carries). The call pipeline runs it for such
//! operations, and generated protocol tests run the same function.
//!
//! The settings ([`RequestCompressionSettings`]) are on
//! [`ConfigBuilder`](crate::client::ConfigBuilder), and
//! [`Config::from_env`](crate::client::Config::from_env) reads them from
//! `AWS_DISABLE_REQUEST_COMPRESSION` and
//! `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, else from the active profile's
//! `disable_request_compression` and `request_min_compression_size_bytes`.
//!
//! Compressing needs the `request-compression` feature (which the generator
//! turns on for a model with such an operation); the settings do not.

#[cfg(feature = "request-compression")]
mod gzip;

use crate::config::settings::{check_range, InvalidSetting, SettingsSource};

/// Bodies smaller than this many bytes are sent as they are, unless
/// configured otherwise (the AWS SDKs' default).
pub const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;

/// The largest minimum size that can be configured (10 MiB), as in the AWS
/// SDKs.
pub const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;

const DISABLE_ENV: &str = "AWS_DISABLE_REQUEST_COMPRESSION";
const MIN_SIZE_ENV: &str = "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES";
const DISABLE_PROFILE_KEY: &str = "disable_request_compression";
const MIN_SIZE_PROFILE_KEY: &str = "request_min_compression_size_bytes";

/// Whether and from what size request bodies are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestCompressionSettings {
    disabled: bool,
    min_size_bytes: u32,
}

impl Default for RequestCompressionSettings {
    /// Enabled, from [`DEFAULT_MIN_COMPRESSION_SIZE_BYTES`].
    fn default() -> Self {
        RequestCompressionSettings {
            disabled: false,
            min_size_bytes: DEFAULT_MIN_COMPRESSION_SIZE_BYTES,
        }
    }
}

impl RequestCompressionSettings {
    /// Settings with compression `disabled` or not, from `min_size_bytes`;
    /// a minimum above [`MAX_MIN_COMPRESSION_SIZE_BYTES`] is an error.
    pub fn new(disabled: bool, min_size_bytes: u32) -> Result<Self, InvalidCompressionSetting> {
        check_min_size(min_size_bytes, "request_min_compression_size_bytes")?;
        Ok(RequestCompressionSettings {
            disabled,
            min_size_bytes,
        })
    }

    /// Whether request compression is turned off.
    pub fn disabled(&self) -> bool {
        self.disabled
    }

    /// The smallest body, in bytes, that is compressed.
    pub fn min_size_bytes(&self) -> u32 {
        self.min_size_bytes
    }

    pub(crate) fn set_disabled(&mut self, disabled: bool) {
        self.disabled = disabled;
    }

    /// Sets the minimum, unchecked: callers check it with [`check_min_size`].
    pub(crate) fn set_min_size_bytes(&mut self, bytes: u32) {
        self.min_size_bytes = bytes;
    }
}

/// A compression setting that cannot be used: a minimum size out of
/// range, or a value in the environment or a profile that does not parse.
pub type InvalidCompressionSetting = InvalidSetting;

/// `bytes` as a minimum size, or why not; `source` names where it was set.
pub(crate) fn check_min_size(bytes: u32, source: &str) -> Result<u32, InvalidCompressionSetting> {
    check_range(u64::from(bytes), MIN_SIZE_RANGE, "bytes", source)
}

const MIN_SIZE_RANGE: std::ops::RangeInclusive<u32> = 0..=MAX_MIN_COMPRESSION_SIZE_BYTES;

/// The compression settings found in `env`, each `None` when unset there.
/// Each setting comes from its environment variable, else from the active
/// profile; a value that does not parse (or is out of range) is an error
/// naming where it was found.
#[derive(Debug, Default)]
pub(crate) struct LoadedSettings {
    pub(crate) disabled: Option<Result<bool, InvalidCompressionSetting>>,
    pub(crate) min_size_bytes: Option<Result<u32, InvalidCompressionSetting>>,
}

impl LoadedSettings {
    pub(crate) fn load(source: &SettingsSource<'_>) -> Self {
        LoadedSettings {
            disabled: source.bool(DISABLE_ENV, DISABLE_PROFILE_KEY),
            min_size_bytes: source.u32(MIN_SIZE_ENV, MIN_SIZE_PROFILE_KEY, MIN_SIZE_RANGE, "bytes"),
        }
    }
}

/// Gzips the body of `request` when `settings` allow it and the body has
/// at least their minimum size, and says whether it did.
///
/// A compressed request carries `Content-Encoding: gzip`, or `gzip`
/// appended to the encodings it already names (`custom` → `custom, gzip`),
/// and a `Content-Length` that matches, if it had one. Run it before
/// signing, so the signature covers the compressed body.
///
/// ```
/// use smithy_runtime::compression::{compress_request, RequestCompressionSettings};
///
/// let body = bytes::Bytes::from(vec![b'a'; 20_000]);
/// let mut request = http::Request::new(body);
/// request.headers_mut().insert("content-encoding", http::HeaderValue::from_static("custom"));
/// assert!(compress_request(&mut request, &RequestCompressionSettings::default()));
/// assert_eq!(request.headers()["content-encoding"], "custom, gzip");
/// assert!(request.body().len() < 1_000);
/// ```
#[cfg(feature = "request-compression")]
pub fn compress_request(
    request: &mut http::Request<bytes::Bytes>,
    settings: &RequestCompressionSettings,
) -> bool {
    use http::header::{HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH};

    let size = request.body().len();
    if settings.disabled || (size as u64) < u64::from(settings.min_size_bytes) {
        return false;
    }
    // Every encoding already named, in order, then gzip (RFC 9110 §8.4:
    // encodings are listed in the order they were applied).
    let mut encodings: Vec<&[u8]> = request
        .headers()
        .get_all(CONTENT_ENCODING)
        .iter()
        .map(HeaderValue::as_bytes)
        .filter(|value| !value.is_empty())
        .collect();
    encodings.push(b"gzip");
    let Ok(encoding) = HeaderValue::from_bytes(&encodings.join(&b", "[..])) else {
        // Only reachable if a header value were invalid, which `http`
        // forbids; the request then goes out uncompressed.
        return false;
    };
    let compressed = bytes::Bytes::from(gzip::compress(request.body()));
    tracing::debug!(from = size, to = compressed.len(), "request body gzipped");
    let headers = request.headers_mut();
    headers.insert(CONTENT_ENCODING, encoding);
    if headers.contains_key(CONTENT_LENGTH) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(compressed.len()));
    }
    *request.body_mut() = compressed;
    true
}

#[cfg(test)]
mod tests;
