//! What a call can fail with: [`SdkError`] and the errors it wraps.
//!
//! [`SdkError`] is *transparent* over the error it holds: its `Display` and
//! [`source`](Error::source) are those of the wrapped error, and each wrapped
//! error's `Display` says what failed and includes the cause, e.g.
//! `CreateStage: could not send the request to https://ivsrealtime.us-west-2.amazonaws.com: request failed after 3 attempts: connection error: Connection refused (os error 111)`.
//! The one exception is [`SdkError::Credentials`], whose `Display` adds
//! "failed to load credentials: " in front of the provider's message and whose
//! `source` is the provider's error.
//!
//! For [`SdkError::Service`] the text is the operation error's own `Display`
//! (`CODE: message (request id: X)`); the error itself is reached with
//! [`SdkError::as_service_error`] or [`SdkError::into_service_error`].

use std::error::Error;
use std::fmt;

use bytes::Bytes;

use crate::auth::credentials::CredentialsError;
use crate::behavior::attempts::SendError;
use crate::http::BoxError;
use crate::primitives::build_error::BuildError;
use crate::protocol::{DeserializeError, ErrorMetadata, SerializeError};

/// Access to the code, message and request id of an error response.
///
/// Generated operation errors and [`Unhandled`] implement it; only
/// [`meta`](ProvideErrorMetadata::meta) needs writing.
pub trait ProvideErrorMetadata {
    /// The metadata of the error response.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, e.g. `ResourceNotFoundException`.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The human-readable message the service sent.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }

    /// The request id the service assigned (`x-amzn-requestid`).
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }
}

/// Building the "unhandled" variant of an operation error.
///
/// Generated operation errors implement it by wrapping the arguments in their
/// `Unhandled(Unhandled)` variant. [`SdkError::into_service_error`] uses it to
/// turn any failure into the operation's error type; the call pipeline uses it
/// for error responses whose body does not match the modeled error.
pub trait CreateUnhandledError {
    /// An unhandled error with `meta` (code, message, request id, status as
    /// far as known) and the underlying cause, if any.
    fn create_unhandled(meta: ErrorMetadata, source: Option<BoxError>) -> Self;
}

/// An error the model does not describe: an unknown error code, an error
/// body that could not be read, or (through
/// [`SdkError::into_service_error`]) a failure that is not a service error
/// at all.
///
/// `Display` is `CODE: message (request id: X)` when the response named a
/// code; `unhandled error response: HTTP status 500 (request id: X)` for a
/// response without one; `unhandled error: <cause>` when there was no
/// response.
#[derive(Debug)]
pub struct Unhandled {
    meta: ErrorMetadata,
    source: Option<BoxError>,
}

impl Unhandled {
    /// An unhandled error with `meta` and an optional cause.
    pub fn new(meta: ErrorMetadata, source: Option<BoxError>) -> Self {
        Unhandled { meta, source }
    }

    /// The metadata of the response (all empty when there was none).
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The error code, if the response gave one.
    pub fn code(&self) -> Option<&str> {
        self.meta.code()
    }

    /// The message, if the response gave one.
    pub fn message(&self) -> Option<&str> {
        self.meta.message()
    }

    /// The request id, if the response gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// The HTTP status of the response, if there was one.
    pub fn status(&self) -> Option<u16> {
        self.meta.status()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.meta.code().is_some() {
            return fmt::Display::fmt(&self.meta, f);
        }
        if self.meta.status().is_some() {
            return write!(f, "unhandled error response: {}", self.meta);
        }
        f.write_str("unhandled error")?;
        if let Some(id) = self.meta.request_id() {
            write!(f, " (request id: {id})")?;
        }
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl Error for Unhandled {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn Error + 'static))
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl CreateUnhandledError for Unhandled {
    fn create_unhandled(meta: ErrorMetadata, source: Option<BoxError>) -> Self {
        Unhandled::new(meta, source)
    }
}

/// The request could not be built: a required input member was missing, a
/// value could not be serialized, or the request could not be signed.
#[derive(Debug)]
pub struct ConstructionError {
    what: &'static str,
    source: BoxError,
}

impl ConstructionError {
    /// A construction failure caused by `source`.
    pub fn new(source: impl Into<BoxError>) -> Self {
        ConstructionError {
            what: "failed to construct the request",
            source: source.into(),
        }
    }

    pub(crate) fn signing(source: BoxError) -> Self {
        ConstructionError {
            what: "failed to sign the request",
            source,
        }
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.what, self.source)
    }
}

impl Error for ConstructionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

impl From<BuildError> for ConstructionError {
    fn from(error: BuildError) -> Self {
        ConstructionError::new(error)
    }
}

impl From<SerializeError> for ConstructionError {
    fn from(error: SerializeError) -> Self {
        ConstructionError::new(error)
    }
}

/// No usable endpoint: no region to resolve one for, the endpoint rules
/// refused the configuration, or the resulting URL cannot be used.
///
/// The `Display` text is complete on its own; the rules' own error, when
/// there is one, is the [`source`](Error::source).
#[derive(Debug)]
pub struct EndpointError {
    message: String,
    missing_region: bool,
    source: Option<BoxError>,
}

impl EndpointError {
    /// An endpoint error with a complete message and an optional cause.
    pub fn new(message: impl Into<String>, source: Option<BoxError>) -> Self {
        EndpointError {
            message: message.into(),
            missing_region: false,
            source,
        }
    }

    pub(crate) fn missing_region(message: String, source: Option<BoxError>) -> Self {
        EndpointError {
            message,
            missing_region: true,
            source,
        }
    }

    /// True when the failure is that no region is configured.
    pub fn is_missing_region(&self) -> bool {
        self.missing_region
    }

    /// The rule set's error, when endpoint resolution itself failed.
    pub fn resolve_error(&self) -> Option<&crate::endpoint::EndpointError> {
        self.source.as_deref()?.downcast_ref()
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for EndpointError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn Error + 'static))
    }
}

/// The request could not be sent, or no complete response came back, after
/// every attempt allowed: a connection failure, a broken connection, an
/// unusable response.
#[derive(Debug)]
pub struct DispatchError {
    operation: &'static str,
    endpoint: String,
    source: SendError,
}

impl DispatchError {
    pub(crate) fn new(operation: &'static str, endpoint: String, source: SendError) -> Self {
        DispatchError {
            operation,
            endpoint,
            source,
        }
    }

    /// The failure of the last attempt, with the attempt count.
    pub fn send_error(&self) -> &SendError {
        &self.source
    }

    /// True when no connection could be made.
    pub fn is_connect(&self) -> bool {
        self.source.http_error().is_some_and(|e| e.is_connect())
    }

    /// True when the connection broke after it was made.
    pub fn is_io(&self) -> bool {
        self.source.http_error().is_some_and(|e| e.is_io())
    }

    /// True when the response body was longer than the configured cap
    /// (`ConfigBuilder::max_response_body_size`), so it was not read whole.
    pub fn is_response_too_large(&self) -> bool {
        let cause = self.source.http_error().and_then(|e| e.source());
        cause.is_some_and(|cause| cause.is::<crate::http::ResponseTooLarge>())
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not send the request to {}: {}",
            self.operation, self.endpoint, self.source
        )
    }
}

impl Error for DispatchError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.source)
    }
}

/// The call ran out of time: the attempt timeout on the last attempt, the
/// operation timeout, or the transport's connect timeout.
#[derive(Debug)]
pub struct TimeoutError {
    operation: &'static str,
    endpoint: String,
    source: SendError,
}

impl TimeoutError {
    pub(crate) fn new(operation: &'static str, endpoint: String, source: SendError) -> Self {
        TimeoutError {
            operation,
            endpoint,
            source,
        }
    }

    /// Which timeout fired, with the attempt count.
    pub fn send_error(&self) -> &SendError {
        &self.source
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: request to {} timed out: {}",
            self.operation, self.endpoint, self.source
        )
    }
}

impl Error for TimeoutError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.source)
    }
}

/// A successful (2xx) response whose body could not be read as the
/// operation's output.
///
/// `Debug` shows the status, the header names and the body's length, never
/// the body or a header value other than a request id or content type (see
/// [`SdkError`]); the response itself is [`raw`](Self::raw).
pub struct ResponseError {
    source: DeserializeError,
    request_id: Option<String>,
    raw: http::Response<Bytes>,
}

impl ResponseError {
    pub(crate) fn new(
        source: DeserializeError,
        request_id: Option<String>,
        raw: http::Response<Bytes>,
    ) -> Self {
        ResponseError {
            source,
            request_id,
            raw,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.raw.status().as_u16()
    }

    /// The request id the service assigned, if the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// What could not be read, and where.
    pub fn deserialize_error(&self) -> &DeserializeError {
        &self.source
    }

    /// The response as received.
    pub fn raw(&self) -> &http::Response<Bytes> {
        &self.raw
    }
}

impl fmt::Debug for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseError")
            .field("source", &self.source)
            .field("request_id", &self.request_id)
            .field("raw", &ResponseSummary(&self.raw))
            .finish()
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to read the HTTP {} response", self.status())?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        write!(f, ": {}", self.source)
    }
}

impl Error for ResponseError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.source)
    }
}

/// An error response from the service: the operation's error `E`, plus the
/// response's metadata (status, code, message, request id) and the raw
/// response.
///
/// `Debug` shows the operation error (whose own `Debug` hides `@sensitive`
/// members), the code, status and request id, and the response's header
/// names and body length; never the body, the message outside the error
/// (it may be a sensitive member) or other header values (see [`SdkError`]).
pub struct ServiceError<E> {
    err: E,
    meta: ErrorMetadata,
    raw: http::Response<Bytes>,
    not_retried: Option<&'static str>,
}

impl<E> ServiceError<E> {
    /// Wraps `err`, parsed from `raw`, whose metadata is `meta`.
    pub fn new(err: E, meta: ErrorMetadata, raw: http::Response<Bytes>) -> Self {
        ServiceError { err, meta, raw, not_retried: None }
    }

    /// Records why this retryable error was not retried although attempts
    /// remained (e.g. the request body is a one-shot stream); `Display`
    /// then says so after the error.
    pub fn with_not_retried(mut self, why: &'static str) -> Self {
        self.not_retried = Some(why);
        self
    }

    /// Why this retryable error was not retried although attempts remained,
    /// when that is the case.
    pub fn not_retried(&self) -> Option<&'static str> {
        self.not_retried
    }

    /// The operation error.
    pub fn err(&self) -> &E {
        &self.err
    }

    /// Consumes this, returning the operation error.
    pub fn into_err(self) -> E {
        self.err
    }

    /// The response's metadata, as read from its status, headers and body.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.raw.status().as_u16()
    }

    /// The request id the service assigned, if the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// The response as received.
    pub fn raw(&self) -> &http::Response<Bytes> {
        &self.raw
    }
}

impl<E: fmt::Debug> fmt::Debug for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("err", &self.err)
            .field("code", &self.meta.code())
            .field("status", &self.meta.status())
            .field("request_id", &self.meta.request_id())
            .field("raw", &ResponseSummary(&self.raw))
            .finish()
    }
}

impl<E: fmt::Display> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.err, f)?;
        match self.not_retried {
            Some(why) => write!(f, " (not retried: {why})"),
            None => Ok(()),
        }
    }
}

impl<E: Error + 'static> Error for ServiceError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.err.source()
    }
}

/// Why a call failed.
///
/// Match on the variant to tell the kinds of failure apart, or use the
/// shortcuts: [`as_service_error`](Self::as_service_error) for the
/// operation's modeled error, [`code`](Self::code),
/// [`message`](Self::message), [`request_id`](Self::request_id) and
/// [`raw_status`](Self::raw_status) for what the response said.
///
/// `SdkError` is *transparent*: its `Display` and
/// [`source`](Error::source) are those of the error it holds, and each of
/// those says what failed and includes the cause, e.g.
/// `CreateStage: could not send the request to https://ivsrealtime.us-west-2.amazonaws.com: request failed after 3 attempts: connection error: Connection refused (os error 111)`.
/// The one exception is [`SdkError::Credentials`], whose `Display` puts
/// "failed to load credentials: " in front of the provider's message and
/// whose `source` is the provider's error. For [`SdkError::Service`] the
/// text is the operation error's own `Display`
/// (`CODE: message (request id: X)`).
///
/// Neither `Display` nor `Debug` ever shows a response body, a header value
/// other than a request id, content type, content length, date or error
/// type, or a `@sensitive` value: a response appears as its status, header
/// names and body length (the whole response stays available through
/// [`raw_response`](Self::raw_response)). Parse errors name where a value
/// was wrong, never the value ([`DeserializeError`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built, serialized or signed.
    Construction(ConstructionError),
    /// No credentials could be loaded.
    Credentials(CredentialsError),
    /// No endpoint could be determined.
    Endpoint(EndpointError),
    /// The request could not be sent or no response was received.
    Dispatch(DispatchError),
    /// The call ran out of time.
    Timeout(TimeoutError),
    /// A success response whose body could not be read.
    Response(ResponseError),
    /// The service answered with an error.
    Service(ServiceError<E>),
}

impl<E> SdkError<E> {
    /// A construction failure caused by `source` (for generated code: a
    /// builder's [`BuildError`] or a [`SerializeError`]).
    pub fn construction(source: impl Into<BoxError>) -> Self {
        SdkError::Construction(ConstructionError::new(source))
    }

    /// The operation error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(service) => Some(service.err()),
            _ => None,
        }
    }

    /// The operation error. Failures that are not service errors become the
    /// operation error's unhandled variant, keeping the failure as its
    /// source (and, for an unreadable response, its status and request id).
    pub fn into_service_error(self) -> E
    where
        E: CreateUnhandledError,
    {
        let unhandled =
            |meta: ErrorMetadata, source: BoxError| E::create_unhandled(meta, Some(source));
        match self {
            SdkError::Service(service) => service.into_err(),
            SdkError::Response(error) => {
                let mut meta = ErrorMetadata::builder().status(error.status());
                if let Some(id) = error.request_id() {
                    meta = meta.request_id(id);
                }
                unhandled(meta.build(), Box::new(error))
            }
            SdkError::Construction(error) => unhandled(ErrorMetadata::default(), Box::new(error)),
            SdkError::Credentials(error) => unhandled(ErrorMetadata::default(), Box::new(error)),
            SdkError::Endpoint(error) => unhandled(ErrorMetadata::default(), Box::new(error)),
            SdkError::Dispatch(error) => unhandled(ErrorMetadata::default(), Box::new(error)),
            SdkError::Timeout(error) => unhandled(ErrorMetadata::default(), Box::new(error)),
        }
    }

    /// The request id of the response, for service errors and unreadable
    /// responses.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(service) => service.request_id(),
            SdkError::Response(error) => error.request_id(),
            _ => None,
        }
    }

    /// The HTTP status of the response, for service errors and unreadable
    /// responses.
    pub fn raw_status(&self) -> Option<u16> {
        match self {
            SdkError::Service(service) => Some(service.status()),
            SdkError::Response(error) => Some(error.status()),
            _ => None,
        }
    }

    /// The response as received, for service errors and unreadable
    /// responses.
    pub fn raw_response(&self) -> Option<&http::Response<Bytes>> {
        match self {
            SdkError::Service(service) => Some(service.raw()),
            SdkError::Response(error) => Some(error.raw()),
            _ => None,
        }
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The error code of a service error, e.g. `ValidationException`.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error()?.code()
    }

    /// The message of a service error.
    pub fn message(&self) -> Option<&str> {
        self.as_service_error()?.message()
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(error) => error.fmt(f),
            SdkError::Credentials(error) => write!(f, "failed to load credentials: {error}"),
            SdkError::Endpoint(error) => error.fmt(f),
            SdkError::Dispatch(error) => error.fmt(f),
            SdkError::Timeout(error) => error.fmt(f),
            SdkError::Response(error) => error.fmt(f),
            SdkError::Service(error) => error.fmt(f),
        }
    }
}

impl<E: Error + 'static> Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::Construction(error) => error.source(),
            SdkError::Credentials(error) => Some(error),
            SdkError::Endpoint(error) => error.source(),
            SdkError::Dispatch(error) => error.source(),
            SdkError::Timeout(error) => error.source(),
            SdkError::Response(error) => error.source(),
            SdkError::Service(error) => error.source(),
        }
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(error: BuildError) -> Self {
        SdkError::Construction(error.into())
    }
}

impl<E> From<SerializeError> for SdkError<E> {
    fn from(error: SerializeError) -> Self {
        SdkError::Construction(error.into())
    }
}

impl<E> From<ConstructionError> for SdkError<E> {
    fn from(error: ConstructionError) -> Self {
        SdkError::Construction(error)
    }
}

impl<E> From<CredentialsError> for SdkError<E> {
    fn from(error: CredentialsError) -> Self {
        SdkError::Credentials(error)
    }
}

impl<E> From<EndpointError> for SdkError<E> {
    fn from(error: EndpointError) -> Self {
        SdkError::Endpoint(error)
    }
}

/// Header values `Debug` may show: ids and framing, nothing a caller or
/// service could put a secret in.
const SHOWN_HEADER_VALUES: [&str; 7] = [
    "content-length",
    "content-type",
    "date",
    "x-amz-id-2",
    "x-amz-request-id",
    "x-amzn-errortype",
    "x-amzn-requestid",
];

/// A response as `Debug` shows it: the status, each header's name (with
/// its value only for [`SHOWN_HEADER_VALUES`]) and the body's length.
struct ResponseSummary<'a>(&'a http::Response<Bytes>);

impl fmt::Debug for ResponseSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.0.status().as_u16())
            .field("headers", &HeadersSummary(self.0.headers()))
            .field("body_len", &self.0.body().len())
            .finish()
    }
}

/// Header names, with the values of [`SHOWN_HEADER_VALUES`] only.
struct HeadersSummary<'a>(&'a http::HeaderMap);

impl fmt::Debug for HeadersSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.0.iter().map(|(name, value)| {
            let shown = SHOWN_HEADER_VALUES.contains(&name.as_str());
            let text = value.to_str().ok().filter(|_| shown);
            (name.as_str(), HiddenUnless(text))
        });
        f.debug_map().entries(entries).finish()
    }
}

/// A header value's text, or `<hidden>`.
struct HiddenUnless<'a>(Option<&'a str>);

impl fmt::Debug for HiddenUnless<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(text) => fmt::Debug::fmt(text, f),
            None => f.write_str("<hidden>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKER: &str = "MARKER-9f2e";

    /// A response carrying the marker in its body and in a header no one
    /// may print, with a request id that may be printed.
    fn response(status: u16) -> http::Response<Bytes> {
        let body = format!(r#"{{"message":"shown","secret":"{MARKER}"}}"#);
        let mut response = http::Response::new(Bytes::from(body));
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
        let headers = response.headers_mut();
        headers.insert("x-amzn-requestid", http::HeaderValue::from_static("req-7"));
        headers.insert("x-secret", http::HeaderValue::from_static(MARKER));
        headers.insert("set-cookie", http::HeaderValue::from_static(MARKER));
        response
    }

    fn meta() -> ErrorMetadata {
        ErrorMetadata::builder()
            .code("Boom")
            .message("shown")
            .request_id("req-7")
            .status(500)
            .build()
    }

    fn assert_hidden(what: &str, shown: &str) {
        assert!(!shown.contains(MARKER), "{what} shows the marker: {shown}");
    }

    #[test]
    fn debug_of_a_response_error_shows_status_header_names_and_length_only() {
        let raw = response(200);
        let body_len = raw.body().len();
        let error = ResponseError::new(
            DeserializeError::new("stage", "expected an object, found a string"),
            Some("req-7".to_owned()),
            raw,
        );
        let sdk: SdkError<Unhandled> = SdkError::Response(error);
        let debug = format!("{sdk:?}");
        assert_hidden("Debug of SdkError::Response", &debug);
        assert_hidden("Display of SdkError::Response", &sdk.to_string());
        for part in [
            "status: 200",
            "\"x-amzn-requestid\": \"req-7\"",
            "\"x-secret\": <hidden>",
            "\"set-cookie\": <hidden>",
            &format!("body_len: {body_len}"),
        ] {
            assert!(debug.contains(part), "{part} not in {debug}");
        }
        // The response itself is still there for whoever needs it.
        assert!(sdk.raw_response().is_some_and(|r| r.body().len() == body_len));

        let unhandled = sdk.into_service_error();
        assert_hidden("Debug of Unhandled", &format!("{unhandled:?}"));
        assert_hidden("Display of Unhandled", &unhandled.to_string());
    }

    #[test]
    fn debug_of_a_service_error_shows_the_error_and_metadata_not_the_response() {
        let error = ServiceError::new(Unhandled::new(meta(), None), meta(), response(500));
        let sdk = SdkError::Service(error);
        let debug = format!("{sdk:?}");
        assert_hidden("Debug of SdkError::Service", &debug);
        assert_hidden("Display of SdkError::Service", &sdk.to_string());
        for part in ["code: Some(\"Boom\")", "status: Some(500)", "\"x-secret\": <hidden>"] {
            assert!(debug.contains(part), "{part} not in {debug}");
        }
        assert_eq!(sdk.to_string(), "Boom: shown (request id: req-7)");
    }
}
