//! Assembling a request: method, path and query, headers and body; the host
//! prefix, `@idempotencyToken` values and `Content-MD5`.

use ::http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use ::http::{HeaderMap, Method, Request, Uri};
use bytes::Bytes;

use crate::primitives::ByteStream;

use crate::protocol::SerializeError;

/// A fresh `@idempotencyToken` value: a random (version 4) UUID (with the
/// `test-util` feature, the token a test fixed with
/// `testing::with_idempotency_token`, if any).
pub fn idempotency_token() -> String {
    #[cfg(feature = "test-util")]
    if let Some(token) = crate::testing::fixed_idempotency_token() {
        return token;
    }
    crate::primitives::random_uuid::v4()
}

/// Assembles a request: `method` (e.g. `"POST"`), the origin-form
/// `path_and_query` (must start with `/`; the endpoint's scheme and host are
/// added later), the headers, and an optional body with its content type.
///
/// With a body, `Content-Type` is set unless `headers` already has one (an
/// `@httpPayload` member's `@mediaType` wins). `Content-Length` is set when
/// the body is not empty, and to `0` for a `POST`, `PUT` or `PATCH` without
/// one (RFC 9110 §8.6: some front ends answer 411 Length Required without
/// it); a `GET`, `DELETE` or `HEAD` without a body has none. The client
/// sends it unsigned, as the transport's own header.
///
/// ```
/// use bytes::Bytes;
/// use smithy_runtime::protocol::http::build_request;
///
/// let request = build_request(
///     "POST",
///     "/CreateStage".to_owned(),
///     http::HeaderMap::new(),
///     Some(("application/json", Bytes::from_static(b"{}"))),
/// )
/// .unwrap();
/// assert_eq!(request.uri(), "/CreateStage");
/// assert_eq!(request.headers()["content-length"], "2");
/// ```
pub fn build_request(
    method: &str,
    path_and_query: String,
    mut headers: HeaderMap,
    body: Option<(&'static str, Bytes)>,
) -> Result<Request<Bytes>, SerializeError> {
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| SerializeError::new(format!("`{method}` is not a valid HTTP method")))?;
    if !path_and_query.starts_with('/') {
        return Err(SerializeError::new(format!(
            "the request path {path_and_query:?} must start with `/`"
        )));
    }
    if let Some(c) = path_and_query.chars().find(|c| !c.is_ascii()) {
        return Err(SerializeError::new(format!(
            "the request path {path_and_query:?} contains the non-ASCII character {c:?}, \
             which must be percent-encoded"
        )));
    }
    let uri = Uri::try_from(path_and_query.as_str()).map_err(|err| {
        SerializeError::new(format!(
            "the request path {path_and_query:?} is not a valid URI path and query: {err}"
        ))
    })?;
    let body = match body {
        Some((content_type, bytes)) => {
            if !headers.contains_key(CONTENT_TYPE) {
                // Checked first, so the static text is used as it is
                // instead of copied into a new value on every call.
                if !content_type.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)) {
                    return Err(SerializeError::new(format!(
                        "content type {content_type:?} is not a valid header value"
                    )));
                }
                headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            }
            bytes
        }
        None => Bytes::new(),
    };
    if !body.is_empty() || crate::http::expects_body(&method) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    let mut request = Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    Ok(request)
}

/// Builds a request whose body is a stream: `build_request`'s method, path
/// and headers, and `body`'s content type unless `headers` has one.
/// `Content-Length` is set when the stream's length is known (bytes, a file,
/// a stream given a length); otherwise the transport sends the body chunked
/// (an operation whose blob is `@requiresLength` refuses that before
/// sending). An absent body is an empty one.
///
/// ```
/// use smithy_runtime::primitives::ByteStream;
/// use smithy_runtime::protocol::http::build_streaming_request;
///
/// let body = ByteStream::from(b"tar bytes".to_vec());
/// let request = build_streaming_request("PUT", "/files/a".to_owned(), http::HeaderMap::new(), Some(("application/x-tar", body)))
///     .unwrap();
/// assert_eq!(request.headers()["content-type"], "application/x-tar");
/// assert_eq!(request.headers()["content-length"], "9");
/// ```
pub fn build_streaming_request(
    method: &str,
    path_and_query: String,
    headers: HeaderMap,
    body: Option<(&'static str, ByteStream)>,
) -> Result<Request<ByteStream>, SerializeError> {
    let (content_type, body) = match body {
        Some((content_type, body)) => (Some(content_type), body),
        None => (None, ByteStream::new()),
    };
    let mut request = build_request(method, path_and_query, headers, None)?;
    let headers = request.headers_mut();
    if let Some(content_type) = content_type.filter(|_| !headers.contains_key(CONTENT_TYPE)) {
        let value = HeaderValue::from_str(content_type).map_err(|_| {
            SerializeError::new(format!("content type {content_type:?} is not a valid header value"))
        })?;
        headers.insert(CONTENT_TYPE, value);
    }
    match body.content_length() {
        Some(length) => {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        }
        None => {
            headers.remove(CONTENT_LENGTH);
        }
    }
    Ok(request.map(|_| body))
}

/// A request extension: a prefix the runtime prepends to the endpoint's host
/// (from `@endpoint(hostPrefix: "...")`, labels already filled in), e.g.
/// `data.` for `data.ivsrealtime.us-east-1.amazonaws.com`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPrefix(pub String);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::http::error;

    #[test]
    fn idempotency_tokens_are_uuid_v4() {
        let a = idempotency_token();
        let b = idempotency_token();
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(parsed.hyphenated().to_string(), a, "lowercase 8-4-4-4-12");
    }

    #[test]
    fn a_streaming_request_says_its_length_only_when_known() {
        let known = build_streaming_request("PUT", "/f".to_owned(), HeaderMap::new(), Some(("application/x-tar", ByteStream::from(vec![1, 2, 3]))))
            .unwrap();
        assert_eq!(known.headers()[CONTENT_TYPE], "application/x-tar");
        assert_eq!(known.headers()[CONTENT_LENGTH], "3");
        assert_eq!(known.body().bytes().map(|b| b.as_ref()), Some(&[1u8, 2, 3][..]));

        let chunks = OneChunk(Some(Bytes::from_static(b"ab")));
        let unknown = build_streaming_request("PUT", "/f".to_owned(), HeaderMap::new(), Some(("application/octet-stream", ByteStream::from_stream(chunks))))
            .unwrap();
        assert!(!unknown.headers().contains_key(CONTENT_LENGTH), "sent chunked");
        assert_eq!(unknown.headers()[CONTENT_TYPE], "application/octet-stream");

        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/csv"));
        let none = build_streaming_request("POST", "/f".to_owned(), headers, None).unwrap();
        assert_eq!(none.headers()[CONTENT_LENGTH], "0", "an absent body is empty");
        assert_eq!(none.headers()[CONTENT_TYPE], "text/csv", "a bound content type is kept");
    }

    /// A stream of one chunk, of no declared length.
    struct OneChunk(Option<Bytes>);

    impl futures_core::Stream for OneChunk {
        type Item = Result<Bytes, std::io::Error>;

        fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.take().map(Ok))
        }
    }

    #[test]
    fn build_request_sets_content_headers() {
        let body = Bytes::from_static(b"{\"name\":\"s\"}");
        let request = build_request(
            "POST",
            "/CreateStage?x=1".to_owned(),
            HeaderMap::new(),
            Some(("application/json", body.clone())),
        )
        .unwrap();
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri().path(), "/CreateStage");
        assert_eq!(request.uri().query(), Some("x=1"));
        assert_eq!(request.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(request.headers()[CONTENT_LENGTH], "12");
        assert_eq!(request.body(), &body);
    }

    #[test]
    fn build_request_keeps_a_given_content_type() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
        let request = build_request(
            "PUT",
            "/p".to_owned(),
            headers,
            Some(("application/octet-stream", Bytes::from_static(b"png"))),
        )
        .unwrap();
        assert_eq!(request.headers()[CONTENT_TYPE], "image/png");
        assert_eq!(request.headers()[CONTENT_LENGTH], "3");
    }

    #[test]
    fn bodiless_post_put_and_patch_announce_a_zero_length_and_the_rest_none() {
        for method in ["POST", "PUT", "PATCH"] {
            for body in [None, Some(("application/json", Bytes::new()))] {
                let request =
                    build_request(method, "/p".to_owned(), HeaderMap::new(), body).unwrap();
                assert_eq!(request.headers()[CONTENT_LENGTH], "0", "{method}");
                assert!(request.body().is_empty());
            }
        }
        for method in ["GET", "DELETE", "HEAD"] {
            let request =
                build_request(method, "/tags/arn%3Ax".to_owned(), HeaderMap::new(), None).unwrap();
            assert!(request.headers().is_empty(), "{method}");
            assert!(request.body().is_empty());
            assert_eq!(request.uri(), "/tags/arn%3Ax");
        }
        // A GET that does carry a body says how long it is.
        let request = build_request(
            "GET",
            "/q".to_owned(),
            HeaderMap::new(),
            Some(("application/json", Bytes::from_static(b"{}"))),
        )
        .unwrap();
        assert_eq!(request.headers()[CONTENT_LENGTH], "2");
    }

    #[test]
    fn build_request_rejects_bad_paths_and_methods() {
        assert_eq!(
            error(build_request(
                "GET",
                "tags".to_owned(),
                HeaderMap::new(),
                None
            )),
            "the request path \"tags\" must start with `/`"
        );
        assert!(
            error(build_request("GET", String::new(), HeaderMap::new(), None))
                .contains("must start with `/`")
        );
        assert!(error(build_request(
            "GET",
            "/a b".to_owned(),
            HeaderMap::new(),
            None
        ))
        .contains("is not a valid URI path and query"));
        assert!(error(build_request(
            "GET",
            "/ü".to_owned(),
            HeaderMap::new(),
            None
        ))
        .contains("contains the non-ASCII character 'ü', which must be percent-encoded"));
        assert!(error(build_request(
            "GET",
            "/a\nb".to_owned(),
            HeaderMap::new(),
            None
        ))
        .contains("is not a valid URI path and query"));
        for content_type in ["text/plain\n", "caf\u{e9}/x", "a\u{7f}"] {
            let body = Some((content_type, Bytes::from_static(b"x")));
            assert_eq!(
                error(build_request("PUT", "/".to_owned(), HeaderMap::new(), body)),
                format!("content type {content_type:?} is not a valid header value")
            );
        }
        // A double slash is still origin-form, never an authority.
        let request =
            build_request("GET", "//evil.example/x".to_owned(), HeaderMap::new(), None).unwrap();
        assert_eq!(request.uri().host(), None);
        assert_eq!(request.uri().path(), "//evil.example/x");
        assert_eq!(
            error(build_request("G T", "/".to_owned(), HeaderMap::new(), None)),
            "`G T` is not a valid HTTP method"
        );
        assert!(error(build_request(
            "POST",
            "/".to_owned(),
            HeaderMap::new(),
            Some(("text/plain\n", Bytes::from_static(b"x")))
        ))
        .contains("content type"));
    }

    #[test]
    fn host_prefix_is_a_plain_extension() {
        let mut request = Request::new(Bytes::new());
        request
            .extensions_mut()
            .insert(HostPrefix("data.".to_owned()));
        assert_eq!(
            request.extensions().get::<HostPrefix>(),
            Some(&HostPrefix("data.".to_owned()))
        );
    }
}

/// Sets `Content-MD5` (the base64 of the body's MD5 digest), as
/// `@httpChecksumRequired` operations need (feature `content-md5`).
#[cfg(feature = "content-md5")]
pub fn set_content_md5(request: &mut Request<Bytes>) {
    let digest = md5::compute(request.body());
    let encoded = crate::primitives::base64_encode(&digest.0);
    if let Ok(value) = HeaderValue::from_str(&encoded) {
        request.headers_mut().insert("content-md5", value);
    }
}

#[cfg(all(test, feature = "content-md5"))]
mod content_md5_tests {
    use super::*;

    #[test]
    fn content_md5_is_the_base64_md5_of_the_body() {
        let mut request = build_request(
            "POST",
            "/".into(),
            HeaderMap::new(),
            Some(("text/plain", Bytes::from_static(b"abc"))),
        )
        .expect("request");
        set_content_md5(&mut request);
        // MD5("abc") = 900150983cd24fb0d6963f7d28e17f72
        assert_eq!(request.headers()["content-md5"], "kAFQmDzST7DWlj99KOF/cg==");

        let mut empty = Request::new(Bytes::new());
        set_content_md5(&mut empty);
        // MD5("") = d41d8cd98f00b204e9800998ecf8427e
        assert_eq!(empty.headers()["content-md5"], "1B2M2Y8AsgTpgAmY7PhCfg==");
    }
}
