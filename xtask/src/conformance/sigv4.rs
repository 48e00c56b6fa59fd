//! Suite "sigv4": the official SigV4 signing test suite, in
//! `conformance/sigv4/v4`, one directory per case.
//!
//! Each case gives `request.txt` and, per signing mode, the expected
//! canonical request, string to sign, signature and signed request
//! (`header-*.txt` for header signing, `query-*.txt` for presigning), with
//! the credentials and settings in `context.json`. Every file present is
//! checked; each (case, mode) is one recorded case.
//!
//! How the files are read:
//!
//! - The request target in `request.txt` is what goes on the wire, except that
//!   a few cases write a space or UTF-8 bytes raw (`get-space-unnormalized`,
//!   `get-utf8`, `get-vanilla-utf8-query`). Those octets are percent-encoded
//!   to make a valid URI, the same way for the request and for the expected
//!   signed request.
//! - The cases with a `context.json` come from the CRT suite, whose expected
//!   canonical paths encode each path segment exactly once
//!   (`/example%20space/` stays `/example%20space/`), so they run with
//!   `UriEncoding::Single`. `context.json`'s `normalize` sets path
//!   normalization, `sign_body` the `X-Amz-Content-SHA256` header and
//!   `omit_session_token` whether the token is signed.
//! - `double-url-encode` and `double-encode-path` were migrated from the old
//!   suite without a `context.json`; they exist to pin the double encoding
//!   every service but S3 uses, and run with the default settings (double
//!   encoding, normalization) and the context in [`legacy_contexts`].
//! - A line folded onto the next (`get-header-value-multiline`) is unfolded
//!   with one space, as RFC 7230 section 3.2.4 tells recipients to do.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use smithy_runtime::{DateTime, DateTimeFormat};
use smithy_runtime::auth::sigv4::{
    self, http, SigningOutput, SigningParams, SigningSettings, UriEncoding,
};

use super::{ReferenceData, SuiteOutcome};

const SUITE: &str = "sigv4";

/// The example credentials of the suite (and of the SigV4 documentation).
const SUITE_ACCESS_KEY: &str = "AKIDEXAMPLE";
const SUITE_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

pub fn run(data: &ReferenceData) -> SuiteOutcome {
    let dir = data.conformance().join("sigv4").join("v4");
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => return SuiteOutcome::missing_data(SUITE, &dir, e),
    };
    let mut cases: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    if cases.is_empty() {
        return SuiteOutcome::missing_data(SUITE, &dir, "no case directories");
    }

    let mut outcome = SuiteOutcome::new(SUITE);
    for case in &cases {
        run_case(&dir.join(case), case, &mut outcome);
    }
    outcome
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Header,
    Query,
}

impl Mode {
    fn prefix(self) -> &'static str {
        match self {
            Mode::Header => "header",
            Mode::Query => "query",
        }
    }
}

/// What one signing needs besides the request.
#[derive(Clone)]
struct Context {
    access_key: String,
    secret_key: String,
    token: Option<String>,
    region: String,
    service: String,
    time: SystemTime,
    settings: SigningSettings,
    expires_in: Duration,
}

impl Context {
    fn params(&self) -> SigningParams<'_> {
        SigningParams {
            access_key: &self.access_key,
            secret_key: &self.secret_key,
            session_token: self.token.as_deref(),
            region: &self.region,
            service: &self.service,
            time: self.time,
            settings: self.settings,
        }
    }
}

/// The contexts for checking a case's canonical request, string to sign and
/// signature, and for checking its signed request. They differ only for
/// `double-encode-path`, whose files were recorded by two different tests.
struct CaseContexts {
    signing: Context,
    signed_request: Context,
}

fn run_case(dir: &Path, case: &str, outcome: &mut SuiteOutcome) {
    let contexts = match case_contexts(dir, case) {
        Ok(contexts) => contexts,
        Err(reason) => return outcome.record(case, Err(reason)),
    };
    let request = match read(&dir.join("request.txt")).and_then(|text| parse_request(&text)) {
        Ok(request) => request,
        Err(reason) => return outcome.record(case, Err(format!("request.txt: {reason}"))),
    };
    for mode in [Mode::Header, Mode::Query] {
        let label = format!("{case} ({})", mode.prefix());
        let canonical_file = dir.join(format!("{}-canonical-request.txt", mode.prefix()));
        if !canonical_file.exists() {
            outcome.not_applicable.push(format!(
                "{label}: the suite has no {}-signing files for this case",
                mode.prefix()
            ));
            continue;
        }
        outcome.record(&label, check_mode(dir, mode, &request, &contexts));
    }
}

fn check_mode(
    dir: &Path,
    mode: Mode,
    request: &TestRequest,
    contexts: &CaseContexts,
) -> Result<(), String> {
    let expected = |what: &str| -> Result<Option<String>, String> {
        let path = dir.join(format!("{}-{what}.txt", mode.prefix()));
        if path.exists() {
            read(&path).map(Some)
        } else {
            Ok(None)
        }
    };
    let mut problems = Vec::new();

    let (_, output) = sign(request, mode, &contexts.signing)?;
    if let Some(text) = expected("canonical-request")? {
        compare(
            "canonical request",
            &text,
            output.canonical_request(),
            &mut problems,
        );
    }
    if let Some(text) = expected("string-to-sign")? {
        compare(
            "string to sign",
            &text,
            output.string_to_sign(),
            &mut problems,
        );
    }
    if let Some(text) = expected("signature")? {
        compare("signature", &text, output.signature(), &mut problems);
    }
    if let Some(text) = expected("signed-request")? {
        let (signed, _) = sign(request, mode, &contexts.signed_request)?;
        let wanted = parse_request(&text).map_err(|e| format!("signed-request file: {e}"))?;
        compare_requests(&wanted, &signed, &mut problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Signs a fresh copy of `request` in `mode`.
fn sign(
    request: &TestRequest,
    mode: Mode,
    context: &Context,
) -> Result<(TestRequest, SigningOutput), String> {
    let mut http_request = request.to_http()?;
    let params = context.params();
    let output = match mode {
        Mode::Header => sigv4::sign_request(&mut http_request, &params),
        Mode::Query => sigv4::presign_request(&mut http_request, &params, context.expires_in),
    }
    .map_err(|e| e.to_string())?;
    Ok((TestRequest::from_http(&http_request), output))
}

fn compare(what: &str, expected: &str, actual: &str, problems: &mut Vec<String>) {
    let expected = expected.trim_end_matches(['\n', '\r']);
    if expected != actual {
        problems.push(format!(
            "{what} differs: {}",
            first_difference(expected, actual)
        ));
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.lines();
    let mut actual_lines = actual.lines();
    for line in 1.. {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => continue,
            (e, a) => {
                return format!(
                    "line {line}: expected {:?}, got {:?}",
                    e.unwrap_or("<end>"),
                    a.unwrap_or("<end>")
                )
            }
        }
    }
    unreachable!("`1..` does not end")
}

fn compare_requests(expected: &TestRequest, actual: &TestRequest, problems: &mut Vec<String>) {
    if expected.method != actual.method || expected.target != actual.target {
        problems.push(format!(
            "signed request line differs: expected {} {}, got {} {}",
            expected.method, expected.target, actual.method, actual.target
        ));
    }
    let (want, got) = (expected.sorted_headers(), actual.sorted_headers());
    if want != got {
        let missing: Vec<_> = want.iter().filter(|h| !got.contains(h)).collect();
        let extra: Vec<_> = got.iter().filter(|h| !want.contains(h)).collect();
        problems.push(format!(
            "signed headers differ: missing {missing:?}, unexpected {extra:?}"
        ));
    }
    if expected.body != actual.body {
        problems.push("signed request body differs".to_owned());
    }
}

// ---------------------------------------------------------------------------
// Contexts
// ---------------------------------------------------------------------------

fn case_contexts(dir: &Path, case: &str) -> Result<CaseContexts, String> {
    let path = dir.join("context.json");
    if path.exists() {
        let context = parse_context(&read(&path)?).map_err(|e| format!("context.json: {e}"))?;
        return Ok(CaseContexts {
            signing: context.clone(),
            signed_request: context,
        });
    }
    legacy_contexts(case).ok_or_else(|| {
        "no context.json, and not one of the two cases migrated from the old suite".to_owned()
    })
}

/// The two cases without a `context.json`, with what their files show: the
/// credential scope and `X-Amz-Date` of the expected output, and the
/// credentials they were signed with (the suite's example key, or
/// `ANOTREAL`, the test key of the AWS SDK for Rust).
fn legacy_contexts(case: &str) -> Option<CaseContexts> {
    let context = |access_key: &str, secret_key: &str, region: &str, service: &str, time: &str| {
        Some(Context {
            access_key: access_key.to_owned(),
            secret_key: secret_key.to_owned(),
            token: None,
            region: region.to_owned(),
            service: service.to_owned(),
            time: parse_time(time).ok()?,
            settings: SigningSettings::default(),
            expires_in: Duration::from_secs(3600),
        })
    };
    match case {
        "double-url-encode" => {
            let c = context(
                SUITE_ACCESS_KEY,
                SUITE_SECRET_KEY,
                "us-east-2",
                "lambda",
                "2021-05-11T15:40:45Z",
            )?;
            Some(CaseContexts {
                signing: c.clone(),
                signed_request: c,
            })
        }
        // Its canonical request was recorded at 2021-05-11T15:40:45Z (the
        // signer replaces the request's own X-Amz-Date), its signed request
        // at 2015-08-30T12:36:00Z with the ANOTREAL key.
        "double-encode-path" => Some(CaseContexts {
            signing: context(
                SUITE_ACCESS_KEY,
                SUITE_SECRET_KEY,
                "us-east-1",
                "service",
                "2021-05-11T15:40:45Z",
            )?,
            signed_request: context(
                "ANOTREAL",
                "notrealrnrELgWzOk3IfjzDKtFBhDby",
                "us-east-1",
                "service",
                "2015-08-30T12:36:00Z",
            )?,
        }),
        _ => None,
    }
}

fn parse_context(text: &str) -> Result<Context, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let string = |value: &serde_json::Value, key: &str| -> Result<String, String> {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("missing string {key:?}"))
    };
    let flag = |key: &str, default: bool| -> Result<bool, String> {
        match json.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_bool()
                .ok_or_else(|| format!("{key:?} is not a boolean")),
        }
    };
    let credentials = json.get("credentials").ok_or("missing \"credentials\"")?;
    let token = match credentials.get("token") {
        None => None,
        Some(_) => Some(string(credentials, "token")?),
    };
    let expires = json
        .get("expiration_in_seconds")
        .and_then(serde_json::Value::as_u64)
        .ok_or("missing integer \"expiration_in_seconds\"")?;
    Ok(Context {
        access_key: string(credentials, "access_key_id")?,
        secret_key: string(credentials, "secret_access_key")?,
        token,
        region: string(&json, "region")?,
        service: string(&json, "service")?,
        time: parse_time(&string(&json, "timestamp")?)?,
        settings: SigningSettings {
            uri_encoding: UriEncoding::Single,
            normalize_uri_path: flag("normalize", true)?,
            content_sha256_header: flag("sign_body", false)?,
            sign_session_token: !flag("omit_session_token", false)?,
            unsigned_headers: &[],
        },
        expires_in: Duration::from_secs(expires),
    })
}

fn parse_time(text: &str) -> Result<SystemTime, String> {
    let time = DateTime::parse(DateTimeFormat::DateTime, text).map_err(|e| e.to_string())?;
    SystemTime::try_from(time).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------
// request.txt
// ---------------------------------------------------------------------------

/// A request as the suite's files write it, with the target made wire-safe.
#[derive(Debug)]
struct TestRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path)
        .map(|text| text.replace("\r\n", "\n"))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// `METHOD target [HTTP/1.1]`, header lines (continuation lines unfolded),
/// an empty line, then the body.
fn parse_request(text: &str) -> Result<TestRequest, String> {
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) => (head, body),
        None => (text.trim_end_matches('\n'), ""),
    };
    let mut lines = head.lines();
    let request_line = lines.next().ok_or("the file is empty")?;
    let (method, rest) = request_line.split_once(' ').ok_or("no request target")?;
    let target = match rest.rsplit_once(" HTTP/") {
        Some((target, _version)) => target,
        None => rest,
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let (_, value) = headers
                .last_mut()
                .ok_or("a continuation line before any header")?;
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("header line without ':': {line:?}"))?;
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok(TestRequest {
        method: method.to_owned(),
        target: wire_safe(target),
        headers,
        body: body.as_bytes().to_vec(),
    })
}

/// Percent-encodes the octets a request target cannot hold (controls, space,
/// non-ASCII and the characters RFC 3986 excludes); everything else, `%`
/// escapes included, stays as written.
fn wire_safe(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    for byte in target.bytes() {
        if byte.is_ascii_graphic() && !b"\"<>\\^`{|}#".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl TestRequest {
    fn to_http(&self) -> Result<http::Request<Vec<u8>>, String> {
        let host = self
            .headers
            .iter()
            .find(|(name, _)| name == "host")
            .map(|(_, value)| value.as_str())
            .ok_or("request.txt has no Host header")?;
        let mut builder = http::Request::builder()
            .method(self.method.as_str())
            .uri(format!("https://{host}{}", self.target));
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder
            .body(self.body.clone())
            .map_err(|e| format!("cannot build the request: {e}"))
    }

    fn from_http(request: &http::Request<Vec<u8>>) -> Self {
        let target = request
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |pq| pq.to_string());
        TestRequest {
            method: request.method().to_string(),
            target,
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: request.body().clone(),
        }
    }

    /// Headers sorted by name; repeated headers keep their order.
    fn sorted_headers(&self) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        headers.sort_by(|a, b| a.0.cmp(&b.0));
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_folded_headers_raw_targets_and_bodies() {
        let text = "POST /example space/?ሴ=1 HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\n  value2\nX: a \n\nbody";
        let request = parse_request(text).expect("parses");
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/example%20space/?%E1%88%B4=1");
        assert_eq!(
            request.headers,
            [
                ("host".to_owned(), "example.amazonaws.com".to_owned()),
                ("my-header1".to_owned(), "value1 value2".to_owned()),
                ("x".to_owned(), "a".to_owned()),
            ]
        );
        assert_eq!(request.body, b"body");
    }

    #[test]
    fn reads_a_crt_context() {
        let context = parse_context(
            r#"{"credentials":{"access_key_id":"AKID","secret_access_key":"S","token":"T"},
                "expiration_in_seconds":60,"normalize":false,"region":"r","service":"s",
                "sign_body":true,"timestamp":"2015-08-30T12:36:00Z","omit_session_token":true}"#,
        )
        .expect("parses");
        assert_eq!(context.token.as_deref(), Some("T"));
        assert_eq!(context.expires_in, Duration::from_secs(60));
        assert!(!context.settings.normalize_uri_path);
        assert!(context.settings.content_sha256_header);
        assert!(!context.settings.sign_session_token);
        assert_eq!(DateTime::from(context.time).secs(), 1_440_938_160);
    }
}
