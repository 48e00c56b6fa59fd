//! The test servers' own check of the SigV4 event-signing chain, written from
//! the SigV4 documentation with `ring` and kept apart from the runtime's
//! signer so that the two check each other.
//!
//! Each message of a signed input event stream is wrapped in an outer
//! message whose payload is the inner message's bytes and whose two headers
//! are `:date` (a timestamp) and `:chunk-signature` (32 bytes). The signature
//! is the HMAC-SHA256, under the day's SigV4 signing key, of
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! <:date as yyyymmddThhmmssZ>
//! <yyyymmdd>/<region>/<service>/aws4_request
//! <the previous signature, hex>
//! <SHA-256 hex of the encoded :date header>
//! <SHA-256 hex of the payload (the inner message's bytes)>
//! ```
//!
//! where the first message's "previous signature" is the signature of the
//! request's `Authorization` header, and the stream ends with a signed
//! message whose payload is empty.

use bytes::Bytes;
use ring::{digest, hmac};

use crate::event_frames::{encode_headers, Frame, Value};

/// Checks the messages of one request's input stream in order.
#[derive(Debug, Clone)]
pub struct EventChain {
    secret_access_key: String,
    region: String,
    service: String,
    prior_signature: String,
}

impl EventChain {
    /// A chain for a request signed with `secret_access_key` for `region`
    /// and `service`, whose `Authorization` signature is `seed_signature`
    /// (hex).
    pub fn new(
        secret_access_key: &str,
        region: &str,
        service: &str,
        seed_signature: &str,
    ) -> EventChain {
        EventChain {
            secret_access_key: secret_access_key.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            prior_signature: seed_signature.to_owned(),
        }
    }

    /// Checks the next signed message; on success returns its payload (the
    /// inner message's bytes, empty for the end of the stream) and moves the
    /// chain on. On failure says what was wrong and leaves the chain where
    /// it was.
    pub fn verify(&mut self, outer: &Frame) -> Result<Bytes, String> {
        let millis = match outer.header(":date") {
            Some(Value::Timestamp(millis)) => *millis,
            Some(other) => return Err(format!("`:date` is not a timestamp: {other:?}")),
            None => return Err("no `:date` header".to_owned()),
        };
        let sent = match outer.header(":chunk-signature") {
            Some(Value::Bytes(bytes)) if bytes.len() == 32 => hex(bytes),
            Some(other) => return Err(format!("`:chunk-signature` is not 32 bytes: {other:?}")),
            None => return Err("no `:chunk-signature` header".to_owned()),
        };
        if outer.headers.len() != 2 {
            return Err(format!(
                "a signed message has exactly `:date` and `:chunk-signature`, found {:?}",
                outer
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>()
            ));
        }
        let expected = self.signature(millis, &outer.payload)?;
        if sent != expected {
            return Err(format!(
                "`:chunk-signature` {sent} is not the chain's next signature {expected}"
            ));
        }
        self.prior_signature = expected;
        Ok(outer.payload.clone())
    }

    /// The signature the next message must carry for a `:date` of `millis`
    /// and `payload`.
    pub fn signature(&self, millis: i64, payload: &[u8]) -> Result<String, String> {
        let time = amz_date(millis)?;
        let day = &time[..8];
        let scope = format!("{day}/{}/{}/aws4_request", self.region, self.service);
        let date_header = encode_headers(&[(":date".to_owned(), Value::Timestamp(millis))]);
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{time}\n{scope}\n{}\n{}\n{}",
            self.prior_signature,
            sha256_hex(&date_header),
            sha256_hex(payload)
        );
        let key = signing_key(&self.secret_access_key, day, &self.region, &self.service);
        let key = hmac::Key::new(hmac::HMAC_SHA256, &key);
        Ok(hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref()))
    }

    /// Wraps `inner` (an encoded message, or empty for the end of the
    /// stream) into the next signed message, as a client does; the tests of
    /// this module use it to build chains to check.
    pub fn sign(&mut self, millis: i64, inner: Bytes) -> Result<Frame, String> {
        let signature = self.signature(millis, &inner)?;
        let raw = unhex(&signature);
        self.prior_signature = signature;
        Ok(Frame::new(inner)
            .with(":date", Value::Timestamp(millis))
            .with(":chunk-signature", Value::Bytes(Bytes::from(raw))))
    }
}

/// The SigV4 signature (hex) of an HTTP request, computed here from the
/// documented canonical request so that the servers can check the seed of an
/// event chain (and a streamed body's payload hash) without the runtime's
/// signer:
///
/// ```text
/// <method>\n<path, each byte but unreserved ones and / percent-encoded>\n<query, sorted>\n
/// <name:value\n for each signed header>\n<signed headers>\n<payload hash>
/// ```
///
/// signed as `AWS4-HMAC-SHA256\n<x-amz-date>\n<scope>\n<SHA-256 hex of that>`.
/// `host` is the request's `Host` header, or its URI's authority (HTTP/2).
pub fn request_signature(
    parts: &http::request::Parts,
    auth: &crate::ivs_server::SigV4Authorization,
    secret_access_key: &str,
    payload_hash: &str,
) -> Result<String, String> {
    let header = |name: &str| -> Result<String, String> {
        let value = match parts.headers.get(name) {
            Some(value) => value
                .to_str()
                .map_err(|_| format!("header `{name}` is not text"))?
                .to_owned(),
            None if name == "host" => parts
                .uri
                .authority()
                .map(|a| a.as_str().to_owned())
                .ok_or("no host header and no authority")?,
            None => return Err(format!("signed header `{name}` was not sent")),
        };
        Ok(value.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let mut canonical_headers = String::new();
    for name in &auth.signed_headers {
        canonical_headers.push_str(&format!("{name}:{}\n", header(name)?));
    }
    let mut query: Vec<&str> = parts
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .collect();
    query.sort_unstable();
    let path: String = parts
        .uri
        .path()
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    let canonical_request = format!(
        "{}\n{path}\n{}\n{canonical_headers}\n{}\n{payload_hash}",
        parts.method,
        query.join("&"),
        auth.signed_headers.join(";"),
    );
    let amz_date = header("x-amz-date")?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let key = signing_key(secret_access_key, &auth.date, &auth.region, &auth.service);
    let key = hmac::Key::new(hmac::HMAC_SHA256, &key);
    Ok(hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref()))
}

/// Checks the request's `Authorization` signature against each payload hash
/// the client may have signed with, in order; returns the one that matches.
pub fn check_request_signature<'a>(
    parts: &http::request::Parts,
    auth: &crate::ivs_server::SigV4Authorization,
    secret_access_key: &str,
    payload_hashes: &[&'a str],
) -> Result<&'a str, String> {
    for hash in payload_hashes {
        if request_signature(parts, auth, secret_access_key, hash)? == auth.signature {
            return Ok(hash);
        }
    }
    Err(format!(
        "the Authorization signature matches none of the payload hashes {payload_hashes:?}"
    ))
}

/// The SigV4 signing key of `day` (`yyyymmdd`), `region` and `service`.
fn signing_key(secret_access_key: &str, day: &str, region: &str, service: &str) -> Vec<u8> {
    let mut key = format!("AWS4{secret_access_key}").into_bytes();
    for part in [day, region, service, "aws4_request"] {
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), part.as_bytes());
        key = tag.as_ref().to_vec();
    }
    key
}

/// Lowercase hex of the SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// `yyyymmddThhmmssZ` (UTC) of a time in milliseconds since the Unix epoch.
pub fn amz_date(millis: i64) -> Result<String, String> {
    let seconds = millis.div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_date(days);
    if !(1970..=9999).contains(&year) {
        return Err(format!(
            "`:date` {millis} ms is outside the years 1970 to 9999"
        ));
    }
    Ok(format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    ))
}

/// The proleptic Gregorian (year, month, day) of a count of days since
/// 1970-01-01: days are counted in 400-year eras of 146097 days, each era
/// starting on a 1 March so that leap days fall at the end of a year.
fn civil_date(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const SEED: &str = "7b2b2bd1a6a7b7fd1c5b3e2ec1e0d1a7ae2d25b1b4a5f0c9a4bf0ed8a1b2c3d4";

    #[test]
    fn dates_are_formatted_in_utc() {
        assert_eq!(amz_date(0).unwrap(), "19700101T000000Z");
        assert_eq!(amz_date(951_782_400_000).unwrap(), "20000229T000000Z");
        assert_eq!(amz_date(1_709_251_199_999).unwrap(), "20240229T235959Z");
        assert_eq!(amz_date(1_735_689_600_000).unwrap(), "20250101T000000Z");
        assert!(amz_date(-1).is_err());
    }

    #[test]
    fn the_signing_key_is_the_documented_derivation() {
        // The SigV4 documentation's example key derivation (secret
        // wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam).
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20120215",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex(&key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn a_request_signature_matches_the_suites_get_vanilla_example() {
        // The SigV4 test suite's `get-vanilla` request and its signature.
        let request = http::Request::get("/")
            .header("host", "example.amazonaws.com")
            .header("x-amz-date", "20150830T123600Z")
            .body(())
            .unwrap();
        let (parts, ()) = request.into_parts();
        let auth = crate::ivs_server::SigV4Authorization {
            access_key_id: "AKIDEXAMPLE".into(),
            date: "20150830".into(),
            region: "us-east-1".into(),
            service: "service".into(),
            signed_headers: vec!["host".into(), "x-amz-date".into()],
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31".into(),
        };
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let empty = sha256_hex(b"");
        assert_eq!(
            request_signature(&parts, &auth, secret, &empty).unwrap(),
            auth.signature
        );
        assert_eq!(
            check_request_signature(&parts, &auth, secret, &["UNSIGNED-PAYLOAD", &empty]),
            Ok(empty.as_str())
        );
        assert!(check_request_signature(&parts, &auth, secret, &["UNSIGNED-PAYLOAD"]).is_err());
    }

    #[test]
    fn a_signed_chain_verifies_message_by_message() {
        let mut client = EventChain::new(SECRET, "us-east-1", "transcribe", SEED);
        let mut server = client.clone();
        let inner = Frame::event("AudioEvent", "application/octet-stream", &b"pcm"[..]).encode();
        for (i, payload) in [inner.clone(), inner, Bytes::new()].into_iter().enumerate() {
            let outer = client
                .sign(1_700_000_000_000 + i as i64, payload.clone())
                .unwrap();
            assert_eq!(server.verify(&outer).unwrap(), payload);
        }
    }

    #[test]
    fn a_changed_payload_date_order_or_seed_fails() {
        let inner = Frame::event("AudioEvent", "application/octet-stream", &b"pcm"[..]).encode();
        let mut client = EventChain::new(SECRET, "us-east-1", "transcribe", SEED);
        let first = client.sign(1_700_000_000_000, inner.clone()).unwrap();
        let second = client.sign(1_700_000_000_001, inner.clone()).unwrap();

        let mut tampered = first.clone();
        tampered.payload =
            Frame::event("AudioEvent", "application/octet-stream", &b"pcM"[..]).encode();
        let mut server = EventChain::new(SECRET, "us-east-1", "transcribe", SEED);
        assert!(server
            .verify(&tampered)
            .unwrap_err()
            .contains("not the chain's next signature"));

        let mut redated = first.clone();
        redated.headers[0].1 = Value::Timestamp(1_700_000_000_999);
        assert!(server.verify(&redated).is_err());

        // Out of order: the second message cannot come first.
        assert!(server.verify(&second).is_err());
        let mut other_seed =
            EventChain::new(SECRET, "us-east-1", "transcribe", &SEED.replace('7', "8"));
        assert!(other_seed.verify(&first).is_err());

        // The failures left the chain where it was.
        server.verify(&first).unwrap();
        server.verify(&second).unwrap();
    }

    #[test]
    fn an_unsigned_message_is_refused() {
        let plain = Frame::event("AudioEvent", "application/octet-stream", &b"pcm"[..]);
        let mut server = EventChain::new(SECRET, "us-east-1", "transcribe", SEED);
        assert_eq!(server.verify(&plain).unwrap_err(), "no `:date` header");
    }
}
