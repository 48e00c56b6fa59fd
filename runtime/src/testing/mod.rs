//! Test support, behind the `test-util` feature: a replay HTTP client for
//! tests of code that uses a generated client, fixed idempotency tokens, and
//! the checks the generated protocol tests call.
//!
//! - `replay.rs`: [`ReplayClient`], [`CannedResponse`], [`RecordedRequest`];
//! - `idempotency.rs`: [`with_idempotency_token`] fixes the
//!   `@idempotencyToken` values a client fills in, so a test can assert the
//!   exact request;
//! - [`protocol_test_checks`]: the checks that generated
//!   `smithy.test#httpRequestTests` and `httpResponseTests` share.
//!
//! # Replaying responses
//!
//! Testing code that uses a generated client, without a network: a
//! [`ReplayClient`] answers requests with responses a test queued, and
//! records every request it was sent.
//!
//! Plug it in with [`ConfigBuilder::http_client`](crate::client::ConfigBuilder::http_client);
//! the client still resolves its endpoint and signs every request as it would
//! for the real service, so the recorded requests are what would have gone
//! over the wire.
//!
//! * [`ReplayClient::push`] queues a response for the next request, whatever
//!   its operation; [`ReplayClient::push_for`] one for the next request of
//!   one operation (its wire name, e.g. `ListStages`). A request takes the
//!   first queued response that fits it; responses queued for the same
//!   operation are used in order.
//! * A request nothing fits fails with an error that shows the request
//!   (method, URI, headers other than `Authorization` and
//!   `x-amz-security-token`, body), so the test output says what the code
//!   sent. It is a transport error that is not retried.
//! * [`ReplayClient::requests`] gives every request sent, answered or not.
//! * Responses go through the whole client pipeline: a 5xx or throttling
//!   response is retried like a real one (queue one per attempt, or use
//!   [`RetryConfig::disabled`](crate::behavior::retry::RetryConfig::disabled)).
//!
//! A complete test, as a crate depending on a generated client (here
//! `ivs_realtime`, with `features = ["test-util"]` in its
//! `[dev-dependencies]`) writes it:
//!
//! ```ignore
//! use ivs_realtime::{Client, Config};
//! use smithy_runtime::credentials::Credentials;
//! use smithy_runtime::test_util::{CannedResponse, ReplayClient};
//!
//! #[tokio::test]
//! async fn lists_stage_names() {
//!     let replay = ReplayClient::new();
//!     replay.push_for(
//!         "ListStages",
//!         CannedResponse::json(200, r#"{"stages": [{"arn": "arn:aws:ivs:us-east-1:123456789012:stage/abc"}]}"#),
//!     );
//!     let config = Config::builder()
//!         .region("us-east-1")
//!         .credentials_provider(Credentials::from_keys("AKIDTEST", "secret"))
//!         .http_client(replay.clone())
//!         .build();
//!     let client = Client::new(&config);
//!
//!     let output = client.list_stages().max_results(10).send().await.unwrap();
//!     assert_eq!(output.stages.len(), 1);
//!
//!     let requests = replay.requests();
//!     assert_eq!(requests.len(), 1);
//!     assert_eq!(requests[0].operation(), Some("ListStages"));
//!     assert_eq!(requests[0].uri().path(), "/ListStages");
//!     assert_eq!(requests[0].json().unwrap()["maxResults"], 10);
//!     assert!(replay.is_empty(), "every queued response was used");
//! }
//! ```
//!
//! The same, runnable against the runtime alone (a hand-written operation in
//! place of a generated one):
//!
//! ```
//! use bytes::Bytes;
//! use smithy_runtime::client::{
//!     AuthScheme, ClientHandle, Config, OperationSpec, SdkError, ServiceSpec, Unhandled,
//! };
//! use smithy_runtime::credentials::Credentials;
//! use smithy_runtime::protocol::{DeserializeError, ErrorMetadata, SerializeError};
//! use smithy_runtime::test_util::{CannedResponse, ReplayClient};
//!
//! static SERVICE: ServiceSpec = ServiceSpec {
//!     service_id: "Example",
//!     signing_name: "example",
//!     endpoint_rules: None,
//!     api_version: "2024-01-01",
//!     protocol: smithy_runtime::protocol::Protocol::RestJson1,
//!     query_compatible: false,
//!     retryable_errors: &[],
//! };
//! static PING: OperationSpec = OperationSpec {
//!     name: "Ping",
//!     http_success_code: 200,
//!     auth: &[AuthScheme::Sigv4],
//!     optional_auth: false,
//!     request_compression: false,
//!     unsigned_payload: false,
//!     requires_length: false,
//!     http2: false,
//! };
//!
//! fn parse_output(response: &http::Response<Bytes>) -> Result<String, DeserializeError> {
//!     Ok(String::from_utf8_lossy(response.body()).into_owned())
//! }
//! fn parse_error(_: &http::Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
//!     Ok(Unhandled::new(meta, None))
//! }
//! async fn ping(handle: &ClientHandle) -> Result<String, SdkError<Unhandled>> {
//!     let request = http::Request::post("/ping").body(Bytes::from_static(b"{}"))
//!         .map_err(|e| SerializeError::new(e.to_string()));
//!     handle.call(&PING, request, parse_output, parse_error).await
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let replay = ReplayClient::new();
//! replay.push_for("Ping", CannedResponse::new(200).body("pong"));
//! let config = Config::builder()
//!     .region("us-east-1")
//!     .endpoint_url("https://example.com")
//!     .credentials_provider(Credentials::from_keys("AKIDTEST", "secret"))
//!     .http_client(replay.clone())
//!     .build();
//! let handle = ClientHandle::new(&config, &SERVICE);
//!
//! assert_eq!(ping(&handle).await.unwrap(), "pong");
//! assert_eq!(replay.requests()[0].uri().to_string(), "https://example.com/ping");
//!
//! // Nothing queued: the error shows the request, without its signature.
//! let error = ping(&handle).await.unwrap_err().to_string();
//! assert!(error.contains("POST https://example.com/ping"), "{error}");
//! assert!(!error.contains("Signature="), "{error}");
//! # });
//! ```

mod idempotency;
pub mod protocol_test_checks;
mod replay;

pub(crate) use idempotency::fixed_idempotency_token;
pub use idempotency::with_idempotency_token;
pub use replay::{CannedResponse, NoReplayError, RecordedRequest, ReplayClient};
