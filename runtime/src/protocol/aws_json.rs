//! The awsJson1_0 and awsJson1_1 protocols: every request is `POST /` with
//! the operation named in `X-Amz-Target` and the whole input as a JSON
//! document.

use bytes::Bytes;
use ::http::header::HeaderName;
use ::http::{HeaderMap, HeaderValue, Request};

use super::http::build_request;
use super::SerializeError;

/// The header naming the operation: `<service shape name>.<operation>`.
pub const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
/// Sent by clients of `@awsQueryCompatible` services.
pub const X_AMZN_QUERY_MODE: HeaderName = HeaderName::from_static("x-amzn-query-mode");

/// The request for one operation: `POST /`, `Content-Type` (e.g.
/// `application/x-amz-json-1.0`), `X-Amz-Target: target`, with
/// `x-amzn-query-mode: true` for a query-compatible service, and `body`,
/// the JSON text of the input (`{}` for an input without members).
///
/// ```
/// use smithy_runtime::protocol::json_ser::JsonWriter;
///
/// let mut body = JsonWriter::new();
/// body.begin_object();
/// body.end_object();
/// let request = smithy_runtime::protocol::aws_json::request(
///     "DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", false, body.finish(),
/// ).unwrap();
/// assert_eq!(request.method(), "POST");
/// assert_eq!(request.uri(), "/");
/// assert_eq!(request.headers()["x-amz-target"], "DynamoDB_20120810.ListTables");
/// assert_eq!(request.body().as_ref(), b"{}");
/// ```
pub fn request(
    target: &str,
    content_type: &'static str,
    query_mode: bool,
    body: Bytes,
) -> Result<Request<Bytes>, SerializeError> {
    let mut headers = HeaderMap::new();
    let target = HeaderValue::from_str(target).map_err(|_| {
        SerializeError::new(format!("the operation target {target:?} is not a valid header value"))
    })?;
    headers.insert(X_AMZ_TARGET, target);
    if query_mode {
        headers.insert(X_AMZN_QUERY_MODE, HeaderValue::from_static("true"));
    }
    build_request("POST", "/".to_string(), headers, Some((content_type, body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_content_type_and_body() {
        let body = Bytes::from_static(br#"{"TableName":"t"}"#);
        let request = request("Svc.PutItem", "application/x-amz-json-1.1", true, body).expect("request");
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/");
        assert_eq!(request.headers()["content-type"], "application/x-amz-json-1.1");
        assert_eq!(request.headers()["x-amz-target"], "Svc.PutItem");
        assert_eq!(request.headers()["x-amzn-query-mode"], "true");
        assert_eq!(request.body().as_ref(), br#"{"TableName":"t"}"#);
    }

    #[test]
    fn a_target_that_is_no_header_value_is_an_error() {
        let error = request("Svc.\nPut", "application/x-amz-json-1.0", false, Bytes::from_static(b"{}")).expect_err("invalid");
        assert!(error.to_string().contains("not a valid header value"), "{error}");
    }
}
