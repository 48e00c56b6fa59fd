//! What every restJson1 error response says about itself: the error code, a
//! message, the request id and the HTTP status.

use std::fmt;

use ::http::HeaderMap;
use super::json_de::Value;

use crate::protocol::error_code::parse_error_code;

/// The response header carrying the request id.
pub const REQUEST_ID_HEADER: &str = "x-amzn-requestid";
/// The header in which a query-compatible JSON service names the awsQuery error code.
pub const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";
/// The request-id header some services (S3 style) send instead.
pub const ALT_REQUEST_ID_HEADER: &str = "x-amz-request-id";
/// Body members that may hold the error message, checked in this order.
const MESSAGE_MEMBERS: [&str; 3] = ["message", "Message", "errorMessage"];

/// The generic part of an error response: code, message, request id and
/// status, each optional because a misbehaving server or proxy may leave any
/// of them out.
///
/// Displays as `CODE: message (request id: X)`, leaving out what is missing;
/// without a code it names the HTTP status instead.
///
/// ```
/// use smithy_runtime::protocol::ErrorMetadata;
///
/// let meta = ErrorMetadata::builder()
///     .code("ValidationException")
///     .message("name is too long")
///     .request_id("abc-123")
///     .status(400)
///     .build();
/// assert_eq!(meta.code(), Some("ValidationException"));
/// assert_eq!(
///     meta.to_string(),
///     "ValidationException: name is too long (request id: abc-123)"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    extended_request_id: Option<String>,
    status: Option<u16>,
}

impl ErrorMetadata {
    /// A builder with nothing set.
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder::default()
    }

    /// The error code: the bare shape name, such as `ValidationException`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message the service sent.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id, for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The extended request id S3 and other XML services send (the
    /// `x-amz-id-2` header or the error body's `<HostId>`), for AWS support.
    /// Not part of `Display`, which stays one short line.
    pub fn extended_request_id(&self) -> Option<&str> {
        self.extended_request_id.as_deref()
    }

    /// The HTTP status code of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// A builder holding this metadata, to change some of it.
    pub fn to_builder(&self) -> ErrorMetadataBuilder {
        ErrorMetadataBuilder {
            inner: self.clone(),
        }
    }

    /// This metadata, with `message` as its message when it has none: a
    /// model may carry the message in a member of its own (IVS's
    /// `exceptionMessage`), which the metadata then keeps too. Generated
    /// error parsers call it once the modeled error is read.
    pub fn or_message(mut self, message: Option<&str>) -> ErrorMetadata {
        if self.message.is_none() {
            self.message = message.map(str::to_owned);
        }
        self
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, self.status) {
            (Some(code), _) => f.write_str(code)?,
            (None, Some(status)) => write!(f, "HTTP status {status}")?,
            (None, None) => f.write_str("unknown error")?,
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id: {request_id})")?;
        }
        Ok(())
    }
}

/// Builds an [`ErrorMetadata`]; every field is optional.
#[derive(Clone, Debug, Default)]
pub struct ErrorMetadataBuilder {
    inner: ErrorMetadata,
}

impl ErrorMetadataBuilder {
    /// Sets the error code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }

    /// Sets or clears the error code.
    pub fn set_code(mut self, code: Option<String>) -> Self {
        self.inner.code = code;
        self
    }

    /// Sets the message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    /// Sets or clears the message.
    pub fn set_message(mut self, message: Option<String>) -> Self {
        self.inner.message = message;
        self
    }

    /// Sets the request id.
    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// Sets or clears the request id.
    pub fn set_request_id(mut self, request_id: Option<String>) -> Self {
        self.inner.request_id = request_id;
        self
    }

    /// Sets the extended request id.
    pub fn extended_request_id(mut self, extended_request_id: impl Into<String>) -> Self {
        self.inner.extended_request_id = Some(extended_request_id.into());
        self
    }

    /// Sets or clears the extended request id.
    pub fn set_extended_request_id(mut self, extended_request_id: Option<String>) -> Self {
        self.inner.extended_request_id = extended_request_id;
        self
    }

    /// Sets the HTTP status.
    pub fn status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    /// Sets or clears the HTTP status.
    pub fn set_status(mut self, status: Option<u16>) -> Self {
        self.inner.status = status;
        self
    }

    /// The metadata.
    pub fn build(self) -> ErrorMetadata {
        self.inner
    }
}

/// Reads the metadata of a restJson1 error response. Never fails.
///
/// - code: [`parse_error_code`] (the `x-amzn-errortype` header, then the
///   body's `__type` or `code`);
/// - message: the first of the body members `message`, `Message`,
///   `errorMessage` that is a string (none if the body is not a JSON object);
/// - request id: [`request_id`].
pub fn error_metadata(status: u16, headers: &HeaderMap, body: &[u8]) -> ErrorMetadata {
    ErrorMetadata {
        code: parse_error_code(headers, body),
        message: message_from_body(body),
        request_id: request_id(headers),
        extended_request_id: None,
        status: Some(status),
    }
}

/// The error code an `@awsQueryCompatible` JSON service puts in the
/// `x-amzn-query-error` header (`Code;Fault`, e.g.
/// `AWS.SimpleQueueService.NonExistentQueue;Sender`): the part before `;`.
pub fn query_error_code(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(QUERY_ERROR_HEADER)?.to_str().ok()?;
    let code = value.split_once(';').map_or(value, |(code, _)| code).trim();
    (!code.is_empty()).then(|| code.to_owned())
}

/// The request id of a response: the `x-amzn-requestid` header, else
/// `x-amz-request-id`. Empty or non-UTF-8 values count as absent.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    [REQUEST_ID_HEADER, ALT_REQUEST_ID_HEADER]
        .iter()
        .find_map(|name| {
            headers
                .get(*name)
                .and_then(|value| std::str::from_utf8(value.as_bytes()).ok())
                .map(str::trim)
                .filter(|value| !value.is_empty())
        })
        .map(str::to_owned)
}

pub(crate) fn message_from_body(body: &[u8]) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let value = super::json_de::parse_body(body).ok()?;
    let object = value.as_object()?;
    MESSAGE_MEMBERS
        .iter()
        .find_map(|key| object.get(key).and_then(Value::as_str))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::http::HeaderValue;
    use crate::protocol::test_headers as headers;

    #[test]
    fn the_query_error_header_gives_the_code_before_the_fault() {
        let h = headers(&[("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")]);
        assert_eq!(query_error_code(&h).as_deref(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(query_error_code(&headers(&[("x-amzn-query-error", "Customized")])).as_deref(), Some("Customized"));
        assert_eq!(query_error_code(&headers(&[("x-amzn-query-error", ";Sender")])), None);
        assert_eq!(query_error_code(&headers(&[])), None);
    }

    #[test]
    fn or_message_fills_only_a_missing_message() {
        let bare = ErrorMetadata::builder().code("ValidationException").build();
        let filled = bare.clone().or_message(Some("from the member"));
        assert_eq!(filled.message(), Some("from the member"));
        assert_eq!(filled.code(), Some("ValidationException"));
        assert_eq!(bare.clone().or_message(None), bare);
        let kept = ErrorMetadata::builder().message("from the body").build().or_message(Some("other"));
        assert_eq!(kept.message(), Some("from the body"));
    }

    #[test]
    fn reads_code_message_and_request_id() {
        let meta = error_metadata(
            400,
            &headers(&[
                ("x-amzn-errortype", "ValidationException:http://internal/"),
                ("x-amzn-requestid", "req-1"),
            ]),
            br#"{"message":"bad name","exceptionMessage":"x"}"#,
        );
        assert_eq!(
            meta,
            ErrorMetadata::builder()
                .code("ValidationException")
                .message("bad name")
                .request_id("req-1")
                .status(400)
                .build()
        );
        assert_eq!(
            meta.to_string(),
            "ValidationException: bad name (request id: req-1)"
        );
    }

    #[test]
    fn message_members_in_order_and_only_strings() {
        let body = br#"{"__type":"ns#Conflict","Message":"capital","errorMessage":"third"}"#;
        let meta = error_metadata(409, &HeaderMap::new(), body);
        assert_eq!(meta.code(), Some("Conflict"));
        assert_eq!(meta.message(), Some("capital"));

        // A non-string `message` is skipped, not stringified.
        let body = br#"{"message":null,"errorMessage":"third"}"#;
        let meta = error_metadata(500, &HeaderMap::new(), body);
        assert_eq!(meta.message(), Some("third"));
        assert_eq!(meta.code(), None);
    }

    #[test]
    fn bad_bodies_never_fail() {
        for body in [
            &b""[..],
            b"   ",
            b"<html>502 Bad Gateway</html>",
            b"[1,2]",
            b"\"message\"",
            b"{\"message\": \"\xff\"}",
            b"{\"message\": ",
        ] {
            let meta = error_metadata(502, &HeaderMap::new(), body);
            assert_eq!(meta.message(), None, "{body:?}");
            assert_eq!(meta.status(), Some(502));
            assert_eq!(meta.to_string(), "HTTP status 502");
        }
    }

    #[test]
    fn request_id_falls_back_to_the_s3_header() {
        assert_eq!(
            request_id(&headers(&[("x-amz-request-id", "s3-id")])).as_deref(),
            Some("s3-id")
        );
        assert_eq!(
            request_id(&headers(&[
                ("x-amzn-requestid", "main"),
                ("x-amz-request-id", "s3-id")
            ]))
            .as_deref(),
            Some("main")
        );
        assert_eq!(
            request_id(&headers(&[
                ("x-amzn-requestid", "  "),
                ("x-amz-request-id", "s3-id")
            ]))
            .as_deref(),
            Some("s3-id")
        );
        assert_eq!(request_id(&HeaderMap::new()), None);

        let mut non_utf8 = HeaderMap::new();
        non_utf8.insert(
            REQUEST_ID_HEADER,
            HeaderValue::from_bytes(b"\xff\xfe").expect("obs-text is a valid header value"),
        );
        assert_eq!(request_id(&non_utf8), None);
    }

    #[test]
    fn display_leaves_out_missing_parts() {
        assert_eq!(ErrorMetadata::default().to_string(), "unknown error");
        let meta = ErrorMetadata::builder().code("Throttling").build();
        assert_eq!(meta.to_string(), "Throttling");
        let meta = ErrorMetadata::builder()
            .status(503)
            .message("slow down")
            .request_id("r")
            .build();
        assert_eq!(
            meta.to_string(),
            "HTTP status 503: slow down (request id: r)"
        );
    }

    #[test]
    fn builder_setters_and_to_builder() {
        let meta = ErrorMetadata::builder()
            .code("A")
            .set_code(None)
            .set_message(Some("m".into()))
            .set_request_id(Some("r".into()))
            .set_extended_request_id(Some("x".into()))
            .set_status(Some(418))
            .build();
        assert_eq!(meta.extended_request_id(), Some("x"));
        assert_eq!(meta.to_builder().extended_request_id("y").build().extended_request_id(), Some("y"));
        assert_eq!(meta.code(), None);
        assert_eq!(meta.message(), Some("m"));
        assert_eq!(meta.request_id(), Some("r"));
        assert_eq!(meta.status(), Some(418));
        let changed = meta.to_builder().code("B").build();
        assert_eq!(changed.code(), Some("B"));
        assert_eq!(changed.message(), Some("m"));
    }
}
