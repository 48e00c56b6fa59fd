//! The SigV4 date stamps, credential scope, string to sign, signing key and
//! signature.

use std::time::SystemTime;

use ring::{digest, hmac};

use super::SigningError;
use crate::primitives::DateTime;
use crate::primitives::civil::Civil;
use crate::primitives::decimal::push_padded;
use crate::primitives::hex::{lower_hex, push_lower_hex};

/// The algorithm name that starts the string to sign and the
/// `Authorization` header.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The signing time as SigV4 writes it: `20150830T123600Z`; its first eight
/// characters are the date of the credential scope.
pub(crate) struct AmzDate(String);

impl AmzDate {
    pub(crate) fn new(time: SystemTime) -> Result<Self, SigningError> {
        let secs = DateTime::from(time).secs();
        let t = Civil::from_unix_secs(secs).ok_or(SigningError::TimeOutOfRange)?;
        // Digit by digit: every request is signed, and `write!` with
        // padding costs more than the rest of this function.
        let mut out = String::with_capacity(16);
        push_padded(&mut out, t.year, 4);
        push_padded(&mut out, t.month, 2);
        push_padded(&mut out, t.day, 2);
        out.push('T');
        push_padded(&mut out, t.hour, 2);
        push_padded(&mut out, t.minute, 2);
        push_padded(&mut out, t.second, 2);
        out.push('Z');
        Ok(AmzDate(out))
    }

    /// `YYYYMMDDTHHMMSSZ`.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// `YYYYMMDD`.
    pub(crate) fn date(&self) -> &str {
        &self.0[..8]
    }
}

/// `YYYYMMDD/region/service/aws4_request`.
pub(crate) fn credential_scope(date: &AmzDate, region: &str, service: &str) -> String {
    let mut out = String::with_capacity(8 + region.len() + service.len() + 15);
    out.push_str(date.date());
    out.push('/');
    out.push_str(region);
    out.push('/');
    out.push_str(service);
    out.push_str("/aws4_request");
    out
}

/// The four lines signed: algorithm, time, scope and the canonical request's
/// SHA-256.
pub(crate) fn string_to_sign(date: &AmzDate, scope: &str, canonical_request: &[u8]) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + 16 + scope.len() + 64 + 3);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(date.as_str());
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    push_lower_hex(&mut out, digest::digest(&digest::SHA256, canonical_request).as_ref());
    out
}

/// The hex signature of `string_to_sign` with the key derived from the
/// secret, date, region and service.
pub(crate) fn signature(
    secret_key: &str,
    date: &AmzDate,
    region: &str,
    service: &str,
    string_to_sign: &str,
    cache: Option<&SigningKeyCache>,
) -> String {
    lower_hex(signature_bytes(secret_key, date, region, service, string_to_sign, cache).as_ref())
}

/// The signature of `string_to_sign` as its 32 bytes (event-stream messages
/// carry it so, in `:chunk-signature`). The key comes from `cache` when
/// given (the credentials' own), else from the thread's last derived key.
pub(crate) fn signature_bytes(
    secret_key: &str,
    date: &AmzDate,
    region: &str,
    service: &str,
    string_to_sign: &str,
    cache: Option<&SigningKeyCache>,
) -> hmac::Tag {
    let key = match cache {
        Some(cache) => cache.key(secret_key, date.date(), region, service),
        None => signing_key(secret_key, date.date(), region, service),
    };
    hmac::sign(&key, string_to_sign.as_bytes())
}

/// The last signing key derived on this thread and what it was derived from.
/// The secret is kept only inside a fingerprint, never as itself.
struct DerivedKey {
    fingerprint: [u64; 2],
    key: hmac::Key,
}

thread_local! {
    // A client signs every request of a day with the same key; deriving it
    // takes four HMACs, so each thread keeps the last one.
    static LAST_KEY: std::cell::RefCell<Option<DerivedKey>> = const { std::cell::RefCell::new(None) };
    // Two independently keyed SipHashes of the inputs: a 128-bit fingerprint
    // at a fraction of the cost of hashing them with SHA-256 on every call.
    // The keys are random per thread, so the fingerprint says nothing about
    // the secret outside this process.
    static FINGERPRINT_KEYS: [std::hash::RandomState; 2] =
        [std::hash::RandomState::new(), std::hash::RandomState::new()];
}

/// The fingerprint of the signing key's inputs (lengths first, so no two
/// different inputs hash the same bytes).
fn fingerprint(parts: [&str; 4]) -> [u64; 2] {
    use std::hash::{BuildHasher, Hasher};
    FINGERPRINT_KEYS.with(|keys| {
        keys.each_ref().map(|key| {
            let mut hasher = key.build_hasher();
            for part in parts {
                hasher.write_usize(part.len());
                hasher.write(part.as_bytes());
            }
            hasher.finish()
        })
    })
}

/// The SigV4 signing key for `secret_key` on `date` (`YYYYMMDD`) in `region`
/// for `service`: HMAC-SHA256 chained over date, region, service and
/// `aws4_request`, starting from `AWS4` + the secret.
fn signing_key(secret_key: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let fingerprint = fingerprint([secret_key, date, region, service]);
    let cached = LAST_KEY.with(|last| match &*last.borrow() {
        Some(derived) if derived.fingerprint == fingerprint => Some(derived.key.clone()),
        _ => None,
    });
    if let Some(key) = cached {
        return key;
    }
    let key = derive_signing_key(secret_key, date, region, service);
    LAST_KEY.with(|last| {
        *last.borrow_mut() = Some(DerivedKey { fingerprint, key: key.clone() });
    });
    key
}

/// HMAC-SHA256 chained over date, region, service and `aws4_request`,
/// starting from `AWS4` + the secret: four HMACs.
fn derive_signing_key(secret_key: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let mut secret = Vec::with_capacity(4 + secret_key.len());
    secret.extend_from_slice(b"AWS4");
    secret.extend_from_slice(secret_key.as_bytes());
    let k_date = hmac_sha256(&secret, date.as_bytes());
    let k_region = hmac_sha256(k_date.as_ref(), region.as_bytes());
    let k_service = hmac_sha256(k_region.as_ref(), service.as_bytes());
    let k_signing = hmac_sha256(k_service.as_ref(), b"aws4_request");
    hmac::Key::new(hmac::HMAC_SHA256, k_signing.as_ref())
}

/// The signing key last derived from one set of credentials, kept with
/// them (in [`Credentials`](crate::auth::credentials::Credentials)), so a
/// client's calls find it by comparing the date, region and service: no
/// hashing of the secret on every call.
#[derive(Default)]
pub(crate) struct SigningKeyCache(std::sync::Mutex<Option<CachedKey>>);

struct CachedKey {
    date: String,
    region: String,
    service: String,
    key: hmac::Key,
}

impl SigningKeyCache {
    /// The key for `secret_key` (the secret of the credentials this cache
    /// belongs to) on `date` in `region` for `service`.
    pub(crate) fn key(&self, secret_key: &str, date: &str, region: &str, service: &str) -> hmac::Key {
        // A poisoned lock only means another thread panicked mid-update of
        // a value that is replaced whole: derive afresh.
        if let Ok(cached) = self.0.lock() {
            if let Some(cached) = &*cached {
                if cached.date == date && cached.region == region && cached.service == service {
                    return cached.key.clone();
                }
            }
        }
        let key = derive_signing_key(secret_key, date, region, service);
        if let Ok(mut cached) = self.0.lock() {
            *cached = Some(CachedKey {
                date: date.to_owned(),
                region: region.to_owned(),
                service: service.to_owned(),
                key: key.clone(),
            });
        }
        key
    }
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

/// The SHA-256 of `data` as 64 lowercase hex digits (payload hashes and the
/// hash of the canonical request).
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    lower_hex(digest::digest(&digest::SHA256, data).as_ref())
}

/// HMAC-SHA256 accepts keys of any length, so this cannot fail.
fn hmac_sha256(key: &[u8], data: &[u8]) -> hmac::Tag {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn amz_date_and_scope() {
        let date = AmzDate::new(UNIX_EPOCH + Duration::from_secs(1_440_938_160)).expect("in range");
        assert_eq!(date.as_str(), "20150830T123600Z");
        assert_eq!(date.date(), "20150830");
        assert_eq!(
            credential_scope(&date, "us-east-1", "ivs"),
            "20150830/us-east-1/ivs/aws4_request"
        );
        let early = AmzDate::new(UNIX_EPOCH - Duration::from_secs(1)).expect("in range");
        assert_eq!(early.as_str(), "19691231T235959Z");
    }

    #[test]
    fn signing_key_matches_the_published_derivation_example() {
        // The key-derivation example of the SigV4 documentation: secret
        // wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
        let mut secret = b"AWS4".to_vec();
        secret.extend_from_slice(b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let key = [
            b"20120215".as_slice(),
            b"us-east-1",
            b"iam",
            b"aws4_request",
        ]
        .iter()
        .fold(secret, |key, part| {
            hmac_sha256(&key, part).as_ref().to_vec()
        });
        assert_eq!(
            lower_hex(&key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
        // The (cached) derivation the signer uses gives the same key.
        let expected = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), b"data");
        for _ in 0..2 {
            let derived = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
            assert_eq!(hmac::sign(&derived, b"data").as_ref(), expected.as_ref());
        }
    }

    #[test]
    fn cached_signing_key_is_reused_only_for_the_same_inputs() {
        let tag = |secret: &str, date: &str, region: &str, service: &str| {
            lower_hex(hmac::sign(&signing_key(secret, date, region, service), b"data").as_ref())
        };
        let first = tag("secret", "20120215", "us-east-1", "iam");
        // The second call is served from the cache and must agree.
        assert_eq!(tag("secret", "20120215", "us-east-1", "iam"), first);
        // Any input changing gives another key, even right after a cached one.
        for other in [
            tag("secreT", "20120215", "us-east-1", "iam"),
            tag("secret", "20120216", "us-east-1", "iam"),
            tag("secret", "20120215", "us-east-2", "iam"),
            tag("secret", "20120215", "us-east-1", "ivs"),
            // The same bytes split differently between the inputs.
            tag("secret2", "0120215", "us-east-1", "iam"),
        ] {
            assert_ne!(other, first);
        }
        assert_eq!(tag("secret", "20120215", "us-east-1", "iam"), first);
    }

    #[test]
    fn the_credentials_cache_gives_the_derived_key_for_its_inputs_only() {
        let cache = SigningKeyCache::default();
        let tag = |date: &str, region: &str, service: &str| {
            lower_hex(hmac::sign(&cache.key("secret", date, region, service), b"data").as_ref())
        };
        let derived = |date: &str, region: &str, service: &str| {
            lower_hex(hmac::sign(&derive_signing_key("secret", date, region, service), b"data").as_ref())
        };
        let first = tag("20120215", "us-east-1", "iam");
        assert_eq!(first, derived("20120215", "us-east-1", "iam"));
        assert_eq!(tag("20120215", "us-east-1", "iam"), first, "served from the cache");
        for (date, region, service) in
            [("20120216", "us-east-1", "iam"), ("20120215", "us-east-2", "iam"), ("20120215", "us-east-1", "ivs")]
        {
            assert_eq!(tag(date, region, service), derived(date, region, service));
        }
    }

    #[test]
    fn sha256_of_nothing() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
