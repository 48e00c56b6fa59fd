//! A service whose operations say whether they need HTTP/2, for the tests
//! of `OperationSpec::http2`.

use bytes::Bytes;
use http::{Request, Response};
use smithy_runtime::client::{OperationSpec, ServiceSpec, Unhandled};
use smithy_runtime::primitives::ByteStream;
use smithy_runtime::protocol::{DeserializeError, ErrorMetadata, Protocol, SerializeError};

pub static SERVICE: ServiceSpec = ServiceSpec {
    service_id: "Versions",
    signing_name: "versions",
    endpoint_rules: None,
    api_version: "2026-12-01",
    protocol: Protocol::RestJson1,
    query_compatible: false,
    retryable_errors: &[],
};

/// Unsigned, 200 on success; over HTTP/2 when `http2`.
const fn operation(name: &'static str, http2: bool) -> OperationSpec {
    OperationSpec {
        name,
        http_success_code: 200,
        auth: &[],
        optional_auth: false,
        request_compression: false,
        unsigned_payload: false,
        requires_length: false,
        http2,
    }
}

/// An operation the model says needs HTTP/2.
pub static OVER_H2: OperationSpec = operation("StartStream", true);
/// Any other operation.
pub static ORDINARY: OperationSpec = operation("Describe", false);

/// A `PUT` of `path` with a small streaming body.
pub fn request(path: &str) -> Result<Request<ByteStream>, SerializeError> {
    Ok(Request::put(path).body(ByteStream::from_static(b"stream")).expect("request"))
}

/// The output: the response body, unread.
pub fn body(response: Response<ByteStream>) -> Result<ByteStream, DeserializeError> {
    Ok(response.into_body())
}

pub fn unhandled(_: &Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
    Ok(Unhandled::new(meta, None))
}
