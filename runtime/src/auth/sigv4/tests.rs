//! Hand-made cases. Expected signatures were computed with an independent
//! implementation (Python's `hmac`/`hashlib`) or are the published
//! `get-vanilla` example; the full suite runs in `cargo xtask conformance`.

use std::time::{Duration, UNIX_EPOCH};

use super::*;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2015-08-30T12:36:00Z
const SUITE_TIME: u64 = 1_440_938_160;
/// 2024-02-29T12:00:00Z
const LEAP_DAY_NOON: u64 = 1_709_208_000;

fn params<'a>(service: &'a str, time: u64, token: Option<&'a str>) -> SigningParams<'a> {
    SigningParams {
        access_key: AKID,
        secret_key: SECRET,
        session_token: token,
        region: "us-east-1",
        service,
        time: UNIX_EPOCH + Duration::from_secs(time),
        settings: SigningSettings::default(),
    }
}

fn header<B>(request: &http::Request<B>, name: &str) -> String {
    let values: Vec<&str> = request
        .headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ASCII header"))
        .collect();
    values.join(" | ")
}

fn create_stage() -> http::Request<Vec<u8>> {
    http::Request::post("https://ivsrealtime.us-east-1.amazonaws.com/CreateStage")
        .header("content-type", "application/json")
        .body(br#"{"name":"demo"}"#.to_vec())
        .expect("valid request")
}

#[test]
fn vanilla_get_matches_the_published_example() {
    let mut request = http::Request::get("https://example.amazonaws.com/")
        .body(Vec::new())
        .expect("valid request");
    let output = sign_request(&mut request, &params("service", SUITE_TIME, None)).expect("signs");
    assert_eq!(
        output.canonical_request(),
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        output.signature(),
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
    assert_eq!(header(&request, "x-amz-date"), "20150830T123600Z");
    assert_eq!(
        header(&request, "authorization"),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
         SignedHeaders=host;x-amz-date, \
         Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
    // The host is signed from the URI; the HTTP client adds the header.
    assert!(request.headers().get("host").is_none());
}

#[test]
fn ivs_post_with_session_token() {
    let mut request = create_stage();
    let output = sign_request(
        &mut request,
        &params("ivs", LEAP_DAY_NOON, Some("session-token-example")),
    )
    .expect("signs");
    assert_eq!(
        output.canonical_request(),
        "POST\n/CreateStage\n\n\
         content-type:application/json\n\
         host:ivsrealtime.us-east-1.amazonaws.com\n\
         x-amz-date:20240229T120000Z\n\
         x-amz-security-token:session-token-example\n\n\
         content-type;host;x-amz-date;x-amz-security-token\n\
         d7d234f759ec34fd6298b7e32318614760070aaef9f4e92ced928324b49a0602"
    );
    assert_eq!(
        output.string_to_sign().lines().take(3).collect::<Vec<_>>(),
        [
            "AWS4-HMAC-SHA256",
            "20240229T120000Z",
            "20240229/us-east-1/ivs/aws4_request"
        ]
    );
    assert_eq!(
        output.signature(),
        "417fc693b189e1e0a3a45c03d95e7b64a144019fbf7e20cd385074215d85058f"
    );
    assert_eq!(
        header(&request, "x-amz-security-token"),
        "session-token-example"
    );
    assert!(request.headers()["authorization"].is_sensitive());
    assert!(request.headers()["x-amz-security-token"].is_sensitive());
    // No X-Amz-Content-SHA256 unless asked for.
    assert!(request.headers().get("x-amz-content-sha256").is_none());
}

#[test]
fn signing_again_replaces_the_earlier_signature() {
    let mut request = create_stage();
    sign_request(&mut request, &params("ivs", SUITE_TIME, Some("old-token"))).expect("signs");
    let first = header(&request, "authorization");
    let output =
        sign_request(&mut request, &params("ivs", LEAP_DAY_NOON, None)).expect("signs again");
    assert_ne!(header(&request, "authorization"), first);
    assert!(header(&request, "authorization").ends_with(output.signature()));
    assert_eq!(header(&request, "x-amz-date"), "20240229T120000Z");
    assert!(request.headers().get("x-amz-security-token").is_none());
    assert!(!output.canonical_request().contains("20150830"));
    assert_eq!(request.headers().len(), 3);
}

#[test]
fn content_sha256_header_and_unsigned_session_token() {
    let mut request = create_stage();
    let mut p = params("ivs", LEAP_DAY_NOON, Some("session-token-example"));
    p.settings.content_sha256_header = true;
    p.settings.sign_session_token = false;
    let output = sign_request(&mut request, &p).expect("signs");
    let body_hash = "d7d234f759ec34fd6298b7e32318614760070aaef9f4e92ced928324b49a0602";
    assert_eq!(header(&request, "x-amz-content-sha256"), body_hash);
    assert!(output
        .canonical_request()
        .contains(&format!("x-amz-content-sha256:{body_hash}\n")));
    assert!(output
        .canonical_request()
        .contains("\ncontent-type;host;x-amz-content-sha256;x-amz-date\n"));
    // Sent, but not signed.
    assert_eq!(
        header(&request, "x-amz-security-token"),
        "session-token-example"
    );
    assert!(!output.canonical_request().contains("session-token-example"));
}

#[test]
fn sign_parts_with_unsigned_and_precomputed_payloads() {
    let (mut parts, _body) = create_stage().into_parts();
    let p = params("ivs", LEAP_DAY_NOON, None);
    let output = sign_parts(&mut parts, Payload::Unsigned, &p).expect("signs");
    assert!(output.canonical_request().ends_with("\nUNSIGNED-PAYLOAD"));
    let hash = "d7d234f759ec34fd6298b7e32318614760070aaef9f4e92ced928324b49a0602";
    let precomputed = sign_parts(&mut parts, Payload::Precomputed(hash), &p).expect("signs");
    let (mut whole_parts, body) = create_stage().into_parts();
    let hashed = sign_parts(&mut whole_parts, Payload::Bytes(&body), &p).expect("signs");
    assert_eq!(precomputed.signature(), hashed.signature());
    assert_eq!(
        sign_parts(&mut parts, Payload::Precomputed("abc\n"), &p).map(|o| o.signature().to_owned()),
        Err(SigningError::InvalidPayloadHash)
    );
}

#[test]
fn presign_appends_the_signature_to_the_query() {
    let mut request =
        http::Request::get("https://ivsrealtime.us-east-1.amazonaws.com/path%20x/?b=2&a=1")
            .body(Vec::new())
            .expect("valid request");
    let p = params("ivs", LEAP_DAY_NOON, Some("tok/en+="));
    let output = presign_request(&mut request, &p, Duration::from_secs(900)).expect("presigns");
    assert_eq!(
        output.canonical_request(),
        "GET\n/path%2520x/\n\
         X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240229%2Fus-east-1%2Fivs%2Faws4_request\
         &X-Amz-Date=20240229T120000Z&X-Amz-Expires=900&X-Amz-Security-Token=tok%2Fen%2B%3D\
         &X-Amz-SignedHeaders=host&a=1&b=2\n\
         host:ivsrealtime.us-east-1.amazonaws.com\n\nhost\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let signature = "236b53bab6818685c993ea40604a81960188a062b9bf7899ed58eba2afd91954";
    assert_eq!(output.signature(), signature);
    assert_eq!(
        request.uri().to_string(),
        format!(
            "https://ivsrealtime.us-east-1.amazonaws.com/path%20x/?b=2&a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIDEXAMPLE%2F20240229%2Fus-east-1%2Fivs%2Faws4_request&X-Amz-Date=20240229T120000Z\
             &X-Amz-SignedHeaders=host&X-Amz-Expires=900&X-Amz-Security-Token=tok%2Fen%2B%3D\
             &X-Amz-Signature={signature}"
        )
    );
    assert!(request.headers().is_empty());

    // Presigning the result again is refused rather than signing twice.
    let again = presign_request(&mut request, &p, Duration::from_secs(900));
    assert_eq!(
        again.map(|o| o.signature().to_owned()),
        Err(SigningError::AlreadySigned {
            param: "X-Amz-Algorithm".to_owned()
        })
    );
}

#[test]
fn presign_checks_the_expiry() {
    let mut request = create_stage();
    let p = params("ivs", LEAP_DAY_NOON, None);
    for (expiry, secs) in [
        (Duration::ZERO, 0),
        (Duration::from_millis(999), 0),
        (MAX_PRESIGN_EXPIRY + Duration::from_secs(1), 604_801),
    ] {
        let result = presign_request(&mut request, &p, expiry);
        assert_eq!(
            result.map(|o| o.signature().to_owned()),
            Err(SigningError::InvalidExpiry { secs })
        );
    }
    assert!(presign_request(&mut request, &p, MAX_PRESIGN_EXPIRY).is_ok());
}

#[test]
fn bad_input_is_an_error_and_leaves_the_request_alone() {
    let untouched = create_stage();
    let cases: Vec<(SigningParams<'_>, SigningError)> = vec![
        (
            SigningParams {
                access_key: "",
                ..params("ivs", LEAP_DAY_NOON, None)
            },
            SigningError::InvalidParam {
                name: "access_key",
                reason: "is empty",
            },
        ),
        (
            SigningParams {
                secret_key: "",
                ..params("ivs", LEAP_DAY_NOON, None)
            },
            SigningError::InvalidParam {
                name: "secret_key",
                reason: "is empty",
            },
        ),
        (
            SigningParams {
                region: "us-east-1/x",
                ..params("ivs", LEAP_DAY_NOON, None)
            },
            SigningError::InvalidParam {
                name: "region",
                reason: "holds a character other than visible ASCII, or a '/' or ','",
            },
        ),
        (
            params("i vs", LEAP_DAY_NOON, None),
            SigningError::InvalidParam {
                name: "service",
                reason: "holds a character other than visible ASCII, or a '/' or ','",
            },
        ),
        (
            params("ivs", LEAP_DAY_NOON, Some("bad\ntoken")),
            SigningError::InvalidHeaderValue {
                header: "x-amz-security-token",
            },
        ),
        (
            params("ivs", 253_402_300_800, None),
            SigningError::TimeOutOfRange,
        ),
    ];
    for (p, expected) in cases {
        let mut request = create_stage();
        let result = sign_request(&mut request, &p);
        assert_eq!(
            result.map(|o| o.signature().to_owned()),
            Err(expected.clone())
        );
        assert_eq!(request.headers(), untouched.headers(), "{expected}");
    }
    let mut relative = http::Request::get("/no/host")
        .body(Vec::new())
        .expect("valid request");
    let result = sign_request(&mut relative, &params("ivs", LEAP_DAY_NOON, None));
    assert_eq!(
        result.map(|o| o.signature().to_owned()),
        Err(SigningError::MissingHost)
    );
    assert!(relative.headers().is_empty());
}

#[test]
fn errors_explain_themselves() {
    let message = SigningError::InvalidParam {
        name: "region",
        reason: "is empty",
    }
    .to_string();
    assert_eq!(message, "cannot sign: the region is empty");
    assert!(SigningError::InvalidExpiry { secs: 0 }
        .to_string()
        .contains("outside 1..=604800"));
}

#[test]
fn debug_output_hides_secrets() {
    let p = params("ivs", LEAP_DAY_NOON, Some("session-token-example"));
    let shown = format!("{p:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains("session-token-example"), "{shown}");
    assert!(
        shown.contains("AKIDEXAMPLE") && shown.contains("redacted"),
        "{shown}"
    );

    let mut request = create_stage();
    let output = sign_request(&mut request, &p).expect("signs");
    let shown = format!("{output:?}");
    assert!(!shown.contains("session-token-example"), "{shown}");
    assert!(shown.contains(output.signature()), "{shown}");
}

#[test]
fn settings_presets() {
    let s3 = SigningSettings::s3();
    assert_eq!(s3.uri_encoding, UriEncoding::Single);
    assert!(!s3.normalize_uri_path && s3.content_sha256_header);
    let default = SigningSettings::default();
    assert_eq!(default.uri_encoding, UriEncoding::Double);
    assert!(
        default.normalize_uri_path && !default.content_sha256_header && default.sign_session_token
    );
}

#[test]
fn signing_time_before_1970_still_formats() {
    let mut request = create_stage();
    let p = SigningParams {
        time: UNIX_EPOCH - Duration::from_secs(1),
        ..params("ivs", 0, None)
    };
    let output = sign_request(&mut request, &p).expect("signs");
    assert!(output.string_to_sign().contains("\n19691231T235959Z\n"));
}

#[tokio::test]
async fn a_streamed_body_hashes_as_its_bytes_would() {
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    std::io::Write::write_all(&mut file, &content).expect("write");
    let body = crate::primitives::ByteStream::from_path(file.path()).await.expect("from_path");
    let streamed = sha256_hex_of_stream(body).await.expect("hash");
    assert_eq!(streamed, string_to_sign::sha256_hex(&content));
    let empty = sha256_hex_of_stream(crate::primitives::ByteStream::new()).await.expect("hash");
    assert_eq!(empty, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

#[test]
fn the_payload_hashes_known_in_advance_are_those_of_their_bodies() {
    for body in [&b""[..], b"{}", b"{ }", b"[]"] {
        let payload = Payload::Bytes(body);
        let hash = payload.hash().expect("a body hashes");
        assert_eq!(hash, string_to_sign::sha256_hex(body), "{:?}", String::from_utf8_lossy(body));
    }
}
