//! Operations that stream only their request body (an upload whose output
//! is headers or a small document): the call goes the streaming way, then
//! the success body is read whole and parsed like a buffered call's.

use bytes::Bytes;

use super::error::{CreateUnhandledError, ResponseError, SdkError};
use super::handle::{ClientHandle, OperationSpec};
use crate::endpoint::EndpointParams;
use crate::http::body::{read_whole, ReadError};
use crate::http::ResponseTooLarge;
use crate::primitives::ByteStream;
use crate::protocol::{DeserializeError, ErrorMetadata, SerializeError};

impl ClientHandle {
    /// Like [`ClientHandle::call_streaming`] for an operation whose request
    /// body streams but whose output is read whole: the success body is
    /// collected (under the configuration's `max_response_body_size`, as a
    /// buffered call's), then `parse_output` reads the buffered response. A
    /// body that fails mid-way or is too large, or an output that does not
    /// parse, is [`SdkError::Response`].
    pub async fn call_streaming_request<O, E>(
        &self,
        op: &'static OperationSpec,
        endpoint_params: EndpointParams,
        request: Result<http::Request<ByteStream>, SerializeError>,
        parse_output: fn(&http::Response<Bytes>) -> Result<O, DeserializeError>,
        parse_error: fn(&http::Response<Bytes>, ErrorMetadata) -> Result<E, DeserializeError>,
    ) -> Result<O, SdkError<E>>
    where
        E: CreateUnhandledError,
    {
        let response = self.call_streaming(op, endpoint_params, request, Ok, parse_error).await?;
        let (parts, body) = response.into_parts();
        let request_id = crate::protocol::request_id(&parts.headers);
        // Read under the same cap as a buffered call's response body.
        let limit = self.inner.config.max_response_body_size();
        let (body, failure) = match read_whole(body, limit).await {
            Ok(bytes) => (bytes, None),
            Err(ReadError::Body(err)) => {
                (Bytes::new(), Some(DeserializeError::new("", format!("the response body could not be read: {err}"))))
            }
            Err(ReadError::TooLarge { announced }) => {
                (Bytes::new(), Some(DeserializeError::new("", ResponseTooLarge::new(limit, announced).to_string())))
            }
        };
        let response = http::Response::from_parts(parts, body);
        let parsed = match failure {
            Some(err) => Err(err),
            None => parse_output(&response),
        };
        parsed.map_err(|err| SdkError::Response(ResponseError::new(err, request_id, response)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::client::{AuthScheme, Config, ServiceSpec, Unhandled};
    use crate::http::{HttpClient, HttpFuture};

    static SERVICE: ServiceSpec = ServiceSpec {
        service_id: "Files",
        signing_name: "files",
        endpoint_rules: None,
        api_version: "2024-01-01",
        protocol: crate::protocol::Protocol::RestJson1,
        query_compatible: false,
        retryable_errors: &[],
    };

    static PUT: OperationSpec = OperationSpec {
        name: "PutFile",
        http_success_code: 200,
        auth: &[] as &[AuthScheme],
        optional_auth: false,
        request_compression: false,
        unsigned_payload: false,
        requires_length: false,
        http2: false,
    };

    /// Answers every request with `status` and `body`, keeping the bodies it was sent.
    #[derive(Debug)]
    struct Answer {
        status: u16,
        body: &'static str,
        sent: Arc<Mutex<Vec<Bytes>>>,
    }

    impl HttpClient for Answer {
        fn call(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
            self.sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(request.body().clone());
            let response = http::Response::builder()
                .status(self.status)
                .header("x-amzn-requestid", "req-1")
                .body(Bytes::from_static(self.body.as_bytes()))
                .expect("a valid response");
            Box::pin(async move { Ok(response) })
        }
    }

    #[derive(Debug)]
    struct Failed(#[allow(dead_code, reason = "only its Debug is read")] Unhandled);

    impl CreateUnhandledError for Failed {
        fn create_unhandled(meta: ErrorMetadata, source: Option<crate::http::BoxError>) -> Self {
            Failed(Unhandled::new(meta, source))
        }
    }

    fn handle(status: u16, body: &'static str) -> (ClientHandle, Arc<Mutex<Vec<Bytes>>>) {
        handle_capped(status, body, crate::http::DEFAULT_MAX_RESPONSE_BODY_SIZE)
    }

    fn handle_capped(status: u16, body: &'static str, cap: u64) -> (ClientHandle, Arc<Mutex<Vec<Bytes>>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url("https://files.example.com")
            .http_client(Answer { status, body, sent: Arc::clone(&sent) })
            .max_response_body_size(cap)
            .build();
        (ClientHandle::new(&config, &SERVICE), sent)
    }

    fn upload() -> Result<http::Request<ByteStream>, SerializeError> {
        crate::protocol::http::build_streaming_request(
            "PUT",
            "/files/a".to_owned(),
            http::HeaderMap::new(),
            Some(("application/octet-stream", ByteStream::from(b"file bytes".to_vec()))),
        )
    }

    fn etag(response: &http::Response<Bytes>) -> Result<String, DeserializeError> {
        std::str::from_utf8(response.body())
            .map(str::to_owned)
            .map_err(|_| DeserializeError::new("", "not UTF-8"))
    }

    fn failed(_: &http::Response<Bytes>, meta: ErrorMetadata) -> Result<Failed, DeserializeError> {
        Ok(Failed(Unhandled::new(meta, None)))
    }

    #[tokio::test]
    async fn the_stream_is_sent_and_the_success_body_read_whole() {
        let (handle, sent) = handle(200, "\"etag-1\"");
        let output = handle.call_streaming_request(&PUT, EndpointParams::new(), upload(), etag, failed).await;
        assert_eq!(output.ok().as_deref(), Some("\"etag-1\""));
        let sent = sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        assert_eq!(sent, [Bytes::from_static(b"file bytes")]);
    }

    #[tokio::test]
    async fn an_output_that_does_not_parse_is_a_response_error_with_the_body() {
        let (handle, _) = handle(200, "\u{0}");
        let bad = |_: &http::Response<Bytes>| -> Result<String, DeserializeError> { Err(DeserializeError::new("ETag", "missing")) };
        match handle.call_streaming_request(&PUT, EndpointParams::new(), upload(), bad, failed).await {
            Err(SdkError::Response(error)) => {
                assert_eq!(error.raw().body().as_ref(), b"\0");
                assert_eq!(error.request_id(), Some("req-1"));
            }
            other => panic!("expected a response error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_error_status_is_the_operation_error() {
        let (handle, _) = handle(400, "{}");
        let result = handle.call_streaming_request(&PUT, EndpointParams::new(), upload(), etag, failed).await;
        assert!(matches!(result, Err(SdkError::Service(_))), "{result:?}");
    }

    #[tokio::test]
    async fn a_success_body_over_the_cap_is_a_response_error() {
        let (handle, _) = handle_capped(200, "\"etag-1\"", 4);
        match handle.call_streaming_request(&PUT, EndpointParams::new(), upload(), etag, failed).await {
            Err(SdkError::Response(error)) => {
                let text = error.to_string();
                assert!(text.contains("exceeds the limit of 4 bytes"), "{text}");
            }
            other => panic!("expected a response error, got {other:?}"),
        }
    }
}
