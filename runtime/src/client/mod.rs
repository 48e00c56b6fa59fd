//! What a generated client is made of: its [`Config`], a [`ClientHandle`]
//! that runs each operation through one pipeline ([`ClientHandle::call`]),
//! and the [`SdkError`] a call fails with.
//!
//! A generated crate declares one [`ServiceSpec`] and one [`OperationSpec`]
//! per operation, holds a `ClientHandle`, and implements each operation's
//! `send` as a single `call` with the operation's serializer and parsers:
//!
//! ```
//! use bytes::Bytes;
//! use smithy_runtime::client::{
//!     AuthScheme, ClientHandle, Config, OperationSpec, SdkError, ServiceSpec, Unhandled,
//! };
//! use smithy_runtime::endpoint::LazyRuleSet;
//! use smithy_runtime::protocol::{DeserializeError, ErrorMetadata};
//!
//! static RULES: LazyRuleSet = LazyRuleSet::new(
//!     r#"{"version": "1.0", "parameters": {}, "rules": [
//!         {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://example.com"}}]}"#,
//! );
//! static SERVICE: ServiceSpec = ServiceSpec {
//!     service_id: "Example",
//!     signing_name: "example",
//!     endpoint_rules: Some(&RULES),
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
//!     String::from_utf8(response.body().to_vec())
//!         .map_err(|_| DeserializeError::new("", "the body is not UTF-8"))
//! }
//!
//! fn parse_error(_: &http::Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
//!     Ok(Unhandled::new(meta, None))
//! }
//!
//! async fn ping(handle: &ClientHandle) -> Result<String, SdkError<Unhandled>> {
//!     let request = http::Request::get("/ping").body(Bytes::new()).map_err(|e| {
//!         smithy_runtime::protocol::SerializeError::new(e.to_string())
//!     });
//!     handle.call(&PING, request, parse_output, parse_error).await
//! }
//!
//! let handle = ClientHandle::new(&Config::builder().region("us-east-1").build(), &SERVICE);
//! # let _ = ping(&handle);
//! ```

mod call;
mod config;
mod endpoint;
mod error;
mod handle;
mod interceptor;
mod streamed_request;

pub use config::{load_from_env, Config, ConfigBuilder};
pub use error::{
    ConstructionError, CreateUnhandledError, DispatchError, EndpointError, ProvideErrorMetadata,
    ResponseError, SdkError, ServiceError, TimeoutError, Unhandled,
};
pub use handle::{AuthScheme, CallOverrides, ClientHandle, OperationSpec, ServiceSpec};
pub use interceptor::{CallContext, Interceptor, InterceptorError, SharedInterceptor};

/// The request id of the response a value was read from: every generated
/// operation output implements it (service errors carry theirs in their
/// `meta()`). Quote it to AWS support.
pub trait RequestId {
    /// The `x-amzn-requestid` (or `x-amz-request-id`) header of the response.
    fn request_id(&self) -> Option<&str>;
}

/// The credentials error carried by [`SdkError::Credentials`].
pub use crate::auth::credentials::CredentialsError;
