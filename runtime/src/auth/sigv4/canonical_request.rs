//! The canonical request: method, URI path, query, headers, signed header
//! names and payload hash, each written the one way SigV4 defines.

use std::borrow::Cow;

use http::{HeaderMap, Method, Uri};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{SigningError, SigningSettings, UriEncoding};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`.
const UNRESERVED_ONLY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// As [`UNRESERVED_ONLY`], but keeping `/` so a whole path encodes at once.
const PATH_KEEPS_SLASH: &AsciiSet = &UNRESERVED_ONLY.remove(b'/');

/// Headers never signed: the signature itself, and headers that proxies,
/// HTTP stacks or tracing agents add, drop or rewrite in transit (hop-by-hop
/// headers, `User-Agent`, `X-Amzn-Trace-Id`).
fn is_never_signed(name: &str) -> bool {
    matches!(
        name,
        "authorization"
            | "connection"
            | "expect"
            | "keep-alive"
            | "proxy-authorization"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "user-agent"
            | "x-amzn-trace-id"
    )
}

/// The canonical URI: the request path, normalized and percent-encoded as
/// `settings` say.
///
/// `path` is the path as sent on the wire (already percent-encoded once).
/// With [`UriEncoding::Double`] it is encoded once more, as every service but
/// S3 expects (`%3D` becomes `%253D`); with [`UriEncoding::Single`] each
/// segment is decoded and re-encoded canonically, so it is encoded exactly
/// once.
pub(crate) fn canonical_uri<'a>(path: &'a str, settings: &SigningSettings) -> Cow<'a, str> {
    let path = if path.is_empty() { "/" } else { path };
    let path = if settings.normalize_uri_path {
        normalize_path(path)
    } else {
        Cow::Borrowed(path)
    };
    match settings.uri_encoding {
        UriEncoding::Double => {
            let bare = |b: u8| b.is_ascii_alphanumeric() || b"-._~/".contains(&b);
            if path.bytes().all(bare) {
                path
            } else {
                Cow::Owned(utf8_percent_encode(&path, PATH_KEEPS_SLASH).to_string())
            }
        }
        UriEncoding::Single => {
            let mut out = String::with_capacity(path.len());
            for (i, segment) in path.split('/').enumerate() {
                if i > 0 {
                    out.push('/');
                }
                let decoded: Cow<'_, [u8]> = percent_decode_str(segment).into();
                out.extend(percent_encoding::percent_encode(&decoded, UNRESERVED_ONLY));
            }
            Cow::Owned(out)
        }
    }
}

/// Removes `.` and `..` segments (RFC 3986 section 5.2.4) and empty segments
/// (`//`), keeping a trailing slash. The result always starts with `/`.
fn normalize_path(path: &str) -> Cow<'_, str> {
    let body = path.strip_prefix('/').unwrap_or(path);
    let segments: Vec<&str> = body.split('/').collect();
    let last = segments.len() - 1;
    let is_clean = path.starts_with('/')
        && segments
            .iter()
            .enumerate()
            .all(|(i, s)| *s != "." && *s != ".." && (!s.is_empty() || i == last));
    if is_clean {
        return Cow::Borrowed(path);
    }
    let mut kept: Vec<&str> = Vec::with_capacity(segments.len());
    for segment in &segments {
        match *segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            s => kept.push(s),
        }
    }
    let trailing_slash = matches!(segments[last], "" | "." | "..");
    let mut out = String::with_capacity(path.len());
    for segment in &kept {
        out.push('/');
        out.push_str(segment);
    }
    if trailing_slash || kept.is_empty() {
        out.push('/');
    }
    Cow::Owned(out)
}

/// One query parameter, percent-encoded canonically.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct QueryParam {
    key: String,
    value: String,
}

/// Splits a raw query (as on the wire) into `(key, value)` pairs, still
/// encoded; a key without `=` has an empty value and empty pieces are skipped.
pub(crate) fn raw_query_params(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
}

/// The canonical query string: every parameter of the raw `query` plus
/// `extra` (given unencoded), each key and value decoded then encoded with
/// only the unreserved characters left bare, sorted by key and then value.
pub(crate) fn canonical_query(query: Option<&str>, extra: &[(&str, &str)]) -> String {
    let mut params: Vec<QueryParam> = query
        .map(raw_query_params)
        .into_iter()
        .flatten()
        .map(|(key, value)| QueryParam {
            key: reencode(key),
            value: reencode(value),
        })
        .collect();
    params.extend(extra.iter().map(|(key, value)| QueryParam {
        key: encode(key),
        value: encode(value),
    }));
    params.sort_unstable();
    let mut out = String::new();
    for (i, param) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&param.key);
        out.push('=');
        out.push_str(&param.value);
    }
    out
}

/// Percent-encodes everything but the unreserved characters.
pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED_ONLY).to_string()
}

/// Decodes `%XX` escapes (a `%` not followed by two hex digits stays as it
/// is; `+` is a plus, not a space) and encodes canonically.
fn reencode(text: &str) -> String {
    let decoded: Cow<'_, [u8]> = percent_decode_str(text).into();
    percent_encoding::percent_encode(&decoded, UNRESERVED_ONLY).to_string()
}

/// The canonical header block and the `;`-joined signed header names.
pub(crate) struct CanonicalHeaders {
    /// `name:value\n` for each signed header, sorted by name.
    pub(crate) block: Vec<u8>,
    /// `host;x-amz-date`, for the canonical request and `Authorization`.
    pub(crate) signed_names: String,
}

/// Canonicalizes the request's headers (except those in `replaced`, which
/// the signer sets itself, those in `unsigned` and those never signed)
/// together with `extra`
/// and, if the request has no `Host` header, the host of `uri`.
///
/// Names are lowercase (as `http` stores them); each value is trimmed with
/// inner runs of whitespace collapsed to one space, and the values of a
/// repeated header are joined with `,` in the order they appear.
pub(crate) fn canonical_headers(
    headers: &HeaderMap,
    uri: &Uri,
    replaced: &[http::HeaderName],
    unsigned: &[&str],
    extra: &[(&'static str, &[u8])],
) -> Result<CanonicalHeaders, SigningError> {
    /// Where a signed header's value comes from.
    enum Source<'a> {
        /// Every value of this header in the request, joined with `,`.
        Request(&'a http::HeaderName),
        Given(&'a [u8]),
    }
    let host = match headers.contains_key(http::header::HOST) {
        true => None,
        false => {
            let authority = uri.authority().ok_or(SigningError::MissingHost)?;
            Some(crate::http::host_of(authority, uri.scheme_str()))
        }
    };
    let mut entries: Vec<(&str, Source<'_>)> = Vec::with_capacity(headers.keys_len() + extra.len() + 1);
    // `keys` yields each name once, however many values it has.
    for name in headers.keys() {
        let name_str = name.as_str();
        if !is_never_signed(name_str) && !replaced.contains(name) && !unsigned.contains(&name_str) {
            entries.push((name_str, Source::Request(name)));
        }
    }
    if let Some(host) = &host {
        entries.push(("host", Source::Given(host.as_bytes())));
    }
    for (name, value) in extra {
        entries.push((name, Source::Given(value)));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));

    // The values are written straight into the block, in name order.
    let mut block = Vec::with_capacity(256);
    let mut signed_names = String::with_capacity(entries.iter().map(|(n, _)| n.len() + 1).sum());
    for (i, (name, source)) in entries.iter().enumerate() {
        block.extend_from_slice(name.as_bytes());
        block.push(b':');
        match source {
            Source::Request(name) => {
                for (j, value) in headers.get_all(*name).iter().enumerate() {
                    if j > 0 {
                        block.push(b',');
                    }
                    push_canonical_value(&mut block, value.as_bytes());
                }
            }
            Source::Given(value) => push_canonical_value(&mut block, value),
        }
        block.push(b'\n');
        if i > 0 {
            signed_names.push(';');
        }
        signed_names.push_str(name);
    }
    Ok(CanonicalHeaders {
        block,
        signed_names,
    })
}

/// Appends `value` trimmed, with each inner run of whitespace (including the
/// line breaks of an obsolete folded value) written as one space.
fn push_canonical_value(out: &mut Vec<u8>, value: &[u8]) {
    // Most values need nothing done: no whitespace at either end, and only
    // single spaces inside. One pass over the bytes tells.
    let mut previous_space = true;
    let mut untouched = true;
    for &byte in value {
        let space = byte == b' ';
        if (space && previous_space) || matches!(byte, b'\t' | b'\r' | b'\n') {
            untouched = false;
            break;
        }
        previous_space = space;
    }
    if (untouched && !previous_space) || value.is_empty() {
        out.extend_from_slice(value);
        return;
    }
    let mut pending_space = false;
    let mut started = false;
    for &byte in value {
        if matches!(byte, b' ' | b'\t' | b'\r' | b'\n') {
            pending_space = started;
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(byte);
            started = true;
        }
    }
}

/// Joins the six parts of the canonical request.
pub(crate) fn canonical_request(
    method: &Method,
    canonical_uri: &str,
    canonical_query: &str,
    headers: &CanonicalHeaders,
    payload_hash: &str,
) -> Vec<u8> {
    let method = method.as_str();
    let mut out = Vec::with_capacity(
        method.len()
            + canonical_uri.len()
            + canonical_query.len()
            + headers.block.len()
            + headers.signed_names.len()
            + payload_hash.len()
            + 5,
    );
    for part in [
        method.as_bytes(),
        canonical_uri.as_bytes(),
        canonical_query.as_bytes(),
    ] {
        out.extend_from_slice(part);
        out.push(b'\n');
    }
    out.extend_from_slice(&headers.block);
    out.push(b'\n');
    out.extend_from_slice(headers.signed_names.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(payload_hash.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(uri_encoding: UriEncoding, normalize_uri_path: bool) -> SigningSettings {
        SigningSettings {
            uri_encoding,
            normalize_uri_path,
            ..SigningSettings::default()
        }
    }

    #[test]
    fn normalization_removes_dot_and_empty_segments() {
        let cases = [
            ("/", "/"),
            ("/example", "/example"),
            ("/example/", "/example/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/./", "/"),
            ("/./example", "/example"),
            ("//", "/"),
            ("//example//", "/example/"),
            ("/a/b/..", "/a/"),
            ("/a/./b/../c", "/a/c"),
            ("/../a", "/a"),
            ("/a/%2E%2E/b", "/a/%2E%2E/b"),
            ("a/b", "/a/b"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_path(input), expected, "{input}");
        }
        assert!(matches!(normalize_path("/clean/path/"), Cow::Borrowed(_)));
    }

    #[test]
    fn double_encoding_encodes_the_wire_path_again() {
        let s = settings(UriEncoding::Double, true);
        assert_eq!(
            canonical_uri("/test/@connections/JBDvjfGEIAMCERw%3D", &s),
            "/test/%40connections/JBDvjfGEIAMCERw%253D"
        );
        assert_eq!(
            canonical_uri("/example%20space/", &s),
            "/example%2520space/"
        );
        assert_eq!(canonical_uri("/-._~AZaz09", &s), "/-._~AZaz09");
        assert_eq!(canonical_uri("", &s), "/");
        assert!(matches!(
            canonical_uri("/CreateStage", &s),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn single_encoding_encodes_each_segment_exactly_once() {
        let s = settings(UriEncoding::Single, false);
        assert_eq!(canonical_uri("/example%20space/", &s), "/example%20space/");
        assert_eq!(canonical_uri("/%e1%88%b4", &s), "/%E1%88%B4");
        assert_eq!(canonical_uri("/a@b:c", &s), "/a%40b%3Ac");
        // An encoded slash stays inside its segment.
        assert_eq!(canonical_uri("/a%2Fb//c", &s), "/a%2Fb//c");
    }

    #[test]
    fn query_is_decoded_reencoded_and_sorted() {
        let q = canonical_query(Some("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"), &[]);
        assert_eq!(q, "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
        assert_eq!(canonical_query(Some("b=2&a&&a=1"), &[]), "a=&a=1&b=2");
        assert_eq!(
            canonical_query(Some("k=a+b%20c%7e%zz"), &[]),
            "k=a%2Bb%20c~%25zz"
        );
        assert_eq!(canonical_query(None, &[]), "");
        assert_eq!(
            canonical_query(
                Some("x=1"),
                &[(
                    "X-Amz-Credential",
                    "AKID/20150830/us-east-1/ivs/aws4_request"
                )]
            ),
            "X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fivs%2Faws4_request&x=1"
        );
    }

    #[test]
    fn every_short_value_is_trimmed_and_collapsed() {
        // Every value of up to five bytes over `a`, space, tab and newline,
        // against the definition: the runs of non-whitespace joined by one
        // space.
        let alphabet = [b'a', b' ', b'\t', b'\n'];
        let mut values: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last_length: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..5 {
            last_length = last_length
                .iter()
                .flat_map(|value| alphabet.iter().map(move |&byte| [value.as_slice(), &[byte]].concat()))
                .collect();
            values.extend(last_length.iter().cloned());
        }
        assert_eq!(values.len(), 1 + 4 + 16 + 64 + 256 + 1024);
        for value in &values {
            let expected = value
                .split(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                .filter(|run| !run.is_empty())
                .collect::<Vec<_>>()
                .join(&b' ');
            let mut out = Vec::new();
            push_canonical_value(&mut out, value);
            assert_eq!(out, expected, "{:?}", String::from_utf8_lossy(value));
        }
    }

    #[test]
    fn header_values_are_trimmed_collapsed_and_joined() {
        let mut headers = HeaderMap::new();
        headers.append("my-header1", http::HeaderValue::from_static("  value2 "));
        headers.append("my-header1", http::HeaderValue::from_static("value1\t\t x"));
        headers.append(
            "my-header2",
            http::HeaderValue::from_static("\"a   b   c\""),
        );
        // A value added after another header still joins its own header's.
        headers.append("my-header1", http::HeaderValue::from_static("third"));
        headers.append("user-agent", http::HeaderValue::from_static("not signed"));
        headers.append("amz-sdk-request", http::HeaderValue::from_static("left out by the caller"));
        headers.append("x-amz-date", http::HeaderValue::from_static("stale"));
        let uri: Uri = "https://example.amazonaws.com:443/".parse().expect("valid");
        let out = canonical_headers(
            &headers,
            &uri,
            &[http::HeaderName::from_static("x-amz-date")],
            &["amz-sdk-request"],
            &[("x-amz-date", b"20150830T123600Z")],
        )
        .expect("has a host");
        assert_eq!(
            String::from_utf8_lossy(&out.block),
            "host:example.amazonaws.com\nmy-header1:value2,value1 x,third\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n"
        );
        assert_eq!(out.signed_names, "host;my-header1;my-header2;x-amz-date");
    }

    #[test]
    fn host_comes_from_the_uri_with_non_default_ports() {
        let headers = HeaderMap::new();
        let host = |uri: &str| {
            let uri: Uri = uri.parse().expect("valid");
            let out = canonical_headers(&headers, &uri, &[], &[], &[]).expect("has a host");
            String::from_utf8_lossy(&out.block).into_owned()
        };
        assert_eq!(
            host("https://ivs.us-east-1.amazonaws.com/x"),
            "host:ivs.us-east-1.amazonaws.com\n"
        );
        assert_eq!(host("http://localhost:80/"), "host:localhost\n");
        assert_eq!(host("http://localhost:8080/"), "host:localhost:8080\n");
        assert_eq!(host("https://user:pw@[::1]:8443/"), "host:[::1]:8443\n");
        let relative: Uri = "/only/a/path".parse().expect("valid");
        assert!(matches!(
            canonical_headers(&headers, &relative, &[], &[], &[]),
            Err(SigningError::MissingHost)
        ));
    }
}
