//! The awsJson1_0 and awsJson1_1 protocols: every request is `POST /` with
//! the operation named in `X-Amz-Target` and the whole input as a JSON
//! document.

use bytes::Bytes;
use ::http::header::HeaderName;
use ::http::{HeaderMap, HeaderValue, Request};
use serde_json::{Map, Value};

use super::http::build_request;
use super::SerializeError;

/// The header naming the operation: `<service shape name>.<operation>`.
pub const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
/// Sent by clients of `@awsQueryCompatible` services.
pub const X_AMZN_QUERY_MODE: HeaderName = HeaderName::from_static("x-amzn-query-mode");

/// The request for one operation: `POST /`, `Content-Type` (e.g.
/// `application/x-amz-json-1.0`), `X-Amz-Target: target`, with
/// `x-amzn-query-mode: true` for a query-compatible service, and `body`
/// (`{}` for an input without members).
///
/// ```
/// let body = serde_json::Map::new();
/// let request = smithy_runtime::protocol::aws_json::request(
///     "DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", false, &body,
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
    body: &Map<String, Value>,
) -> Result<Request<Bytes>, SerializeError> {
    let mut headers = HeaderMap::new();
    let target = HeaderValue::from_str(target).map_err(|_| {
        SerializeError::new(format!("the operation target {target:?} is not a valid header value"))
    })?;
    headers.insert(X_AMZ_TARGET, target);
    if query_mode {
        headers.insert(X_AMZN_QUERY_MODE, HeaderValue::from_static("true"));
    }
    let bytes = serde_json::to_vec(body)
        .map_err(|e| SerializeError::new(format!("the JSON body cannot be written: {e}")))?;
    build_request("POST", "/".to_string(), headers, Some((content_type, Bytes::from(bytes))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_content_type_and_body() {
        let mut body = Map::new();
        body.insert("TableName".to_string(), Value::String("t".to_string()));
        let request = request("Svc.PutItem", "application/x-amz-json-1.1", true, &body).expect("request");
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/");
        assert_eq!(request.headers()["content-type"], "application/x-amz-json-1.1");
        assert_eq!(request.headers()["x-amz-target"], "Svc.PutItem");
        assert_eq!(request.headers()["x-amzn-query-mode"], "true");
        assert_eq!(request.body().as_ref(), br#"{"TableName":"t"}"#);
    }

    #[test]
    fn a_target_that_is_no_header_value_is_an_error() {
        let error = request("Svc.\nPut", "application/x-amz-json-1.0", false, &Map::new()).expect_err("invalid");
        assert!(error.to_string().contains("not a valid header value"), "{error}");
    }
}
