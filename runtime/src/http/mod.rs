//! The HTTP transport: a small pluggable [`HttpClient`] trait and its default
//! implementation, [`HyperClient`].
//!
//! Ordinary operations send and receive buffered bodies
//! ([`HttpClient::call`]: `http::Request<Bytes>` in, `http::Response<Bytes>`
//! out): their bodies are small documents, and one buffer is the cheapest way
//! to move them. Operations with a `@streaming` blob or an event stream use
//! [`HttpClient::call_streaming`], whose bodies are [`ByteStream`]s read and
//! written as they go.

pub(crate) mod body;
mod http2;
mod hyper_client;
mod proxy;

pub use http2::{Http2NotEnabled, Http2Refused, HttpVersionPreference};
pub use hyper_client::{HyperClient, HyperClientBuilder};
pub use proxy::{ProxyConfig, ProxyConfigBuilder};

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;

use crate::primitives::ByteStream;

/// A boxed error, as kept in the `source` of this crate's errors.
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// The future returned by [`HttpClient::call`].
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<::http::Response<Bytes>, HttpError>> + Send + 'a>>;

/// The future returned by [`HttpClient::call_streaming`].
pub type StreamingHttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<::http::Response<ByteStream>, HttpError>> + Send + 'a>>;

/// Sends one HTTP request and returns the complete response.
///
/// Implement this to plug in another HTTP stack (a proxy-aware client, a test
/// double). The trait is object-safe; clients store it as
/// [`SharedHttpClient`]. An implementation must:
///
/// * return `Ok` for **every** response the server sent, whatever its status
///   (4xx and 5xx are classified by the retry loop, not here);
/// * return `Err` only when no complete response was received, choosing the
///   [`HttpErrorKind`] that best describes why, because that decides whether
///   the call is retried;
/// * not retry on its own, and not apply attempt or operation timeouts (the
///   retry loop does both); a connect timeout is the transport's job.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request` (which has an absolute URI) and reads the whole
    /// response body.
    fn call(&self, request: ::http::Request<Bytes>) -> HttpFuture<'_>;

    /// Sends `request`, reading its body as it is sent, and returns the
    /// response as soon as its head has arrived, its body unread.
    ///
    /// The same rules as [`call`](Self::call) apply. A request body that
    /// fails while it is sent is an [`HttpError`] of kind
    /// [`HttpErrorKind::RequestBody`] (not retried). An implementation may
    /// read the body of an error (non-2xx) response whole before returning,
    /// as the call reads it whole anyway to classify it.
    ///
    /// The default reads the request body whole, then sends it with
    /// [`call`](Self::call) and returns its buffered response, so an
    /// implementation (a test double) that only writes `call` still serves
    /// streaming operations. [`HyperClient`] streams both ways.
    fn call_streaming(&self, request: ::http::Request<ByteStream>) -> StreamingHttpFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|error| HttpError::new(HttpErrorKind::RequestBody, error))?;
            let response = self.call(::http::Request::from_parts(parts, body)).await?;
            Ok(response.map(ByteStream::from))
        })
    }

    /// Whether this client reads the [`OperationName`] extension of the
    /// requests it gets. The default says yes; a client that never looks at
    /// it (as [`HyperClient`]) says no, and the call then leaves it off,
    /// which spares every request the allocations of an extension map.
    fn reads_operation_name(&self) -> bool {
        true
    }
}

/// The default cap on a buffered response body: 64 MiB.
///
/// Responses are read whole into memory, so a body without bound could
/// exhaust it. JSON responses of AWS services are kilobytes to a few
/// megabytes (a full page of a list operation); 64 MiB is well above them
/// while keeping a misbehaving server or proxy from taking more. Raise it
/// with `ConfigBuilder::max_response_body_size` for operations returning
/// large blob payloads.
pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: u64 = 64 * 1024 * 1024;

/// A response body longer than the configured cap
/// ([`DEFAULT_MAX_RESPONSE_BODY_SIZE`] unless changed): the cause of the
/// [`HttpError`] (of kind [`HttpErrorKind::Other`], not retried) that the
/// default client returns instead of reading on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseTooLarge {
    limit: u64,
    announced: Option<u64>,
}

impl ResponseTooLarge {
    /// A body over `limit` bytes; `announced` is its `Content-Length` when
    /// that already said so.
    pub fn new(limit: u64, announced: Option<u64>) -> Self {
        ResponseTooLarge { limit, announced }
    }

    /// The cap, in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The `Content-Length` the response announced, when it was above the
    /// cap (the body was then not read at all).
    pub fn announced(&self) -> Option<u64> {
        self.announced
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.announced {
            Some(length) => write!(
                f,
                "the response body ({length} bytes, from Content-Length) exceeds the limit of {} bytes",
                self.limit
            )?,
            None => write!(f, "the response body exceeds the limit of {} bytes", self.limit)?,
        }
        f.write_str("; raise it with `ConfigBuilder::max_response_body_size`")
    }
}

impl Error for ResponseTooLarge {}

/// Whether a request with this method is expected to carry a body, so that
/// it announces `Content-Length: 0` when it has none (RFC 9110 §8.6): `POST`,
/// `PUT` and `PATCH`. `GET`, `DELETE`, `HEAD` and the rest send no
/// `Content-Length` without a body.
pub(crate) fn expects_body(method: &::http::Method) -> bool {
    matches!(
        *method,
        ::http::Method::POST | ::http::Method::PUT | ::http::Method::PATCH
    )
}

/// The `Host` value a client sends for `authority`: the host, plus the port
/// unless it is the scheme's default. User information is never part of it.
pub(crate) fn host_of<'a>(authority: &'a ::http::uri::Authority, scheme: Option<&str>) -> std::borrow::Cow<'a, str> {
    let default_port = match scheme {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    match authority.port_u16() {
        Some(port) if Some(port) != default_port => {
            let host = authority.host();
            let mut out = String::with_capacity(host.len() + 6);
            out.push_str(host);
            out.push(':');
            crate::primitives::decimal::push_decimal(&mut out, u32::from(port));
            std::borrow::Cow::Owned(out)
        }
        _ => std::borrow::Cow::Borrowed(authority.host()),
    }
}

/// A shared, type-erased [`HttpClient`], as a generated client stores it.
pub type SharedHttpClient = Arc<dyn HttpClient>;

/// A request extension naming the operation a request belongs to (for
/// example `ListStages`): the client sets it on every request it hands to an
/// [`HttpClient`] (unless that client says it never reads it, see
/// [`HttpClient::reads_operation_name`]), so a test double can answer per
/// operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationName(pub &'static str);

impl<T: HttpClient + ?Sized> HttpClient for Arc<T> {
    fn call(&self, request: ::http::Request<Bytes>) -> HttpFuture<'_> {
        (**self).call(request)
    }

    fn call_streaming(&self, request: ::http::Request<ByteStream>) -> StreamingHttpFuture<'_> {
        (**self).call_streaming(request)
    }

    fn reads_operation_name(&self) -> bool {
        (**self).reads_operation_name()
    }
}

impl<T: HttpClient + ?Sized> HttpClient for Box<T> {
    fn call(&self, request: ::http::Request<Bytes>) -> HttpFuture<'_> {
        (**self).call(request)
    }

    fn call_streaming(&self, request: ::http::Request<ByteStream>) -> StreamingHttpFuture<'_> {
        (**self).call_streaming(request)
    }

    fn reads_operation_name(&self) -> bool {
        (**self).reads_operation_name()
    }
}

/// What kind of failure an [`HttpError`] is; this decides retries.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpErrorKind {
    /// No connection could be made: DNS failure, connection refused, TLS
    /// handshake failure. Nothing reached the server. Retried.
    Connect,
    /// A transport-level timeout, such as the connect timeout. Retried.
    Timeout,
    /// The connection broke after it was made: reset, closed before the
    /// response was complete, broken pipe. Retried.
    Io,
    /// Anything else, such as a request the client cannot send (relative URI,
    /// unsupported scheme) or a response it cannot parse. Not retried.
    Other,
    /// The request body (a [`ByteStream`]: a file that could not be read, a
    /// stream that failed) failed while it was being sent. The cause is the
    /// [`ByteStreamError`](crate::primitives::ByteStreamError). Not retried.
    RequestBody,
}

impl HttpErrorKind {
    fn describe(self) -> &'static str {
        match self {
            HttpErrorKind::Connect => "connection error",
            HttpErrorKind::Timeout => "timeout",
            HttpErrorKind::Io => "I/O error",
            HttpErrorKind::Other => "HTTP client error",
            HttpErrorKind::RequestBody => "request body error",
        }
    }
}

/// A failure to get a complete HTTP response, with its kind and cause.
#[derive(Debug)]
pub struct HttpError {
    kind: HttpErrorKind,
    source: BoxError,
}

impl HttpError {
    /// An error of the given kind caused by `source`.
    pub fn new(kind: HttpErrorKind, source: impl Into<BoxError>) -> Self {
        HttpError {
            kind,
            source: source.into(),
        }
    }

    /// No connection could be made.
    pub fn connect(source: impl Into<BoxError>) -> Self {
        Self::new(HttpErrorKind::Connect, source)
    }

    /// A transport-level timeout.
    pub fn timeout(source: impl Into<BoxError>) -> Self {
        Self::new(HttpErrorKind::Timeout, source)
    }

    /// The connection broke after it was made.
    pub fn io(source: impl Into<BoxError>) -> Self {
        Self::new(HttpErrorKind::Io, source)
    }

    /// Any other failure; not retried.
    pub fn other(source: impl Into<BoxError>) -> Self {
        Self::new(HttpErrorKind::Other, source)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// True for [`HttpErrorKind::Connect`].
    pub fn is_connect(&self) -> bool {
        self.kind == HttpErrorKind::Connect
    }

    /// True for [`HttpErrorKind::Timeout`].
    pub fn is_timeout(&self) -> bool {
        self.kind == HttpErrorKind::Timeout
    }

    /// True for [`HttpErrorKind::Io`].
    pub fn is_io(&self) -> bool {
        self.kind == HttpErrorKind::Io
    }

    /// Consumes the error, returning its cause.
    pub fn into_source(self) -> BoxError {
        self.source
    }
}

impl fmt::Display for HttpError {
    /// The kind followed by the innermost cause, e.g.
    /// `connection error: Connection refused (os error 111)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut innermost: &(dyn Error + 'static) = &*self.source;
        while let Some(next) = innermost.source() {
            innermost = next;
        }
        write!(f, "{}: {}", self.kind.describe(), innermost)
    }
}

impl Error for HttpError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn display_names_kind_and_innermost_cause() {
        #[derive(Debug)]
        struct Outer(io::Error);
        impl fmt::Display for Outer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("outer wrapper")
            }
        }
        impl Error for Outer {
            fn source(&self) -> Option<&(dyn Error + 'static)> {
                Some(&self.0)
            }
        }
        let err = HttpError::io(Outer(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection reset by peer",
        )));
        assert!(err.is_io());
        assert_eq!(err.to_string(), "I/O error: connection reset by peer");
        assert_eq!(err.source().unwrap().to_string(), "outer wrapper");
    }

    /// A client that only writes `call`, answering with the request body.
    #[derive(Debug)]
    struct Echo;

    impl HttpClient for Echo {
        fn call(&self, request: ::http::Request<Bytes>) -> HttpFuture<'_> {
            Box::pin(async move { Ok(::http::Response::new(request.into_body())) })
        }
    }

    /// A stream of one chunk, then an error.
    struct FailsAfterOne(u8);

    impl futures_core::Stream for FailsAfterOne {
        type Item = Result<Bytes, io::Error>;

        fn poll_next(
            self: Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            let this = self.get_mut();
            this.0 += 1;
            std::task::Poll::Ready(Some(match this.0 {
                1 => Ok(Bytes::from_static(b"one")),
                _ => Err(io::Error::other("broken source")),
            }))
        }
    }

    #[tokio::test]
    async fn the_default_call_streaming_buffers_through_call() {
        let body = ByteStream::from_static(b"whole");
        let response = Echo.call_streaming(::http::Request::new(body)).await.unwrap();
        let body = response.into_body();
        assert_eq!(body.bytes().map(|b| b.as_ref()), Some(&b"whole"[..]), "the response is in memory");

        let failing = ByteStream::from_stream(FailsAfterOne(0));
        let err = Echo.call_streaming(::http::Request::new(failing)).await.unwrap_err();
        assert_eq!(err.kind(), HttpErrorKind::RequestBody);
        assert_eq!(err.to_string(), "request body error: broken source");
        let shared: SharedHttpClient = Arc::new(Echo);
        let response = shared.call_streaming(::http::Request::new(ByteStream::from("via Arc"))).await.unwrap();
        assert_eq!(response.into_body().collect().await.unwrap().as_ref(), b"via Arc");
    }

    #[test]
    fn constructors_set_kinds() {
        assert_eq!(HttpError::connect("x").kind(), HttpErrorKind::Connect);
        assert!(HttpError::timeout("x").is_timeout());
        assert!(HttpError::connect("x").is_connect());
        assert_eq!(HttpError::other("x").kind(), HttpErrorKind::Other);
        assert_eq!(HttpError::other("why").into_source().to_string(), "why");
    }
}
