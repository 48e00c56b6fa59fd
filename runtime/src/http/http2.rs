//! HTTP/2 for the operations that need it.
//!
//! Most AWS operations are served over HTTP/1.1, and [`HyperClient`] sends
//! them so. A few event-stream operations (Transcribe streaming, Kinesis
//! `SubscribeToShard`, Bedrock's bidirectional streams) only work over
//! HTTP/2; the generated client marks their requests with
//! [`HttpVersionPreference::Http2`]. With the feature `http2`, [`HyperClient`]
//! sends those on a pool of their own: HTTP/2 negotiated by ALPN (`h2` is the
//! only protocol offered) for `https`, and by prior knowledge (h2c) for plain
//! `http`, as a loopback test server speaks it. Every other request stays on
//! the HTTP/1.1 pool, so a service endpoint can have connections of both
//! kinds at once.
//!
//! Without the feature, a request marked `Http2` fails before anything is
//! sent, with an error saying the client was built without it.
//!
//! [`HyperClient`]: super::HyperClient

use std::error::Error;
use std::fmt;

use super::HttpError;

/// Which HTTP version a request must be sent with: a request extension that
/// the client sets from the operation (an operation the model says needs
/// HTTP/2 gets [`Http2`](Self::Http2)) and that
/// [`HyperClient`](super::HyperClient) obeys. A request without it is sent
/// as [`Http1`](Self::Http1).
///
/// ```
/// use smithy_runtime::http::HttpVersionPreference;
///
/// let mut request = http::Request::new(bytes::Bytes::new());
/// assert_eq!(HttpVersionPreference::of(&request), HttpVersionPreference::Http1);
/// request.extensions_mut().insert(HttpVersionPreference::Http2);
/// assert_eq!(HttpVersionPreference::of(&request), HttpVersionPreference::Http2);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HttpVersionPreference {
    /// HTTP/1.1, on the client's default pool.
    #[default]
    Http1,
    /// HTTP/2 only: ALPN `h2` for `https`, prior knowledge (h2c) for
    /// `http`; a server that does not accept it is an error. Needs the
    /// runtime feature `http2`.
    Http2,
}

impl HttpVersionPreference {
    /// The preference `request` carries, [`Http1`](Self::Http1) when none.
    pub fn of<B>(request: &::http::Request<B>) -> Self {
        request.extensions().get::<Self>().copied().unwrap_or_default()
    }
}

/// A request needs HTTP/2 and this build of the runtime has no HTTP/2: the
/// cause of the (non-retryable) [`HttpError`] such a request fails with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http2NotEnabled;

impl fmt::Display for Http2NotEnabled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "this operation must be sent over HTTP/2, but the client was built without \
             smithy-runtime's `http2` feature (enable `smithy-runtime/http2`)",
        )
    }
}

impl Error for Http2NotEnabled {}

/// The server did not take HTTP/2: over TLS it selected no protocol by ALPN
/// (or answered the `h2` offer with a `no_application_protocol` alert); it
/// is the (non-retryable) [`HttpError`]'s cause.
#[derive(Debug)]
pub struct Http2Refused {
    authority: String,
    alert: Option<rustls::Error>,
}

impl Http2Refused {
    /// The `host:port` that refused.
    pub fn authority(&self) -> &str {
        &self.authority
    }
}

impl fmt::Display for Http2Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server at {} refused HTTP/2: ", self.authority)?;
        match &self.alert {
            Some(alert) => write!(f, "it answered the ALPN offer of `h2` with {alert}"),
            None => f.write_str("it did not select `h2` by ALPN"),
        }
    }
}

impl Error for Http2Refused {}

/// Fails a request marked [`HttpVersionPreference::Http2`] when the runtime
/// has no HTTP/2; `Ok` for every other request.
#[cfg(not(feature = "http2"))]
pub(super) fn check_supported<B>(request: &::http::Request<B>) -> Result<(), HttpError> {
    match HttpVersionPreference::of(request) {
        HttpVersionPreference::Http2 => Err(HttpError::other(Http2NotEnabled)),
        HttpVersionPreference::Http1 => Ok(()),
    }
}

/// With the feature there is nothing to refuse.
#[cfg(feature = "http2")]
pub(super) fn check_supported<B>(_request: &::http::Request<B>) -> Result<(), HttpError> {
    Ok(())
}

#[cfg(feature = "http2")]
pub(super) use enabled::{check_negotiated, connect_error, pool};

#[cfg(feature = "http2")]
mod enabled {
    use std::time::Duration;

    use ::http::uri::Uri;
    use hyper_util::client::legacy::connect::{Connect, Connection};
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::{TokioExecutor, TokioTimer};

    use super::Http2Refused;
    use crate::http::BoxError;

    /// The HTTP/2 pool: every connection speaks h2 from its first byte
    /// (after TLS, whose ALPN the connector has already checked).
    ///
    /// Flow control keeps hyper's fixed windows (2 MiB per stream, 5 MiB
    /// per connection), which bound what a slow reader leaves buffered. An
    /// adaptive window with 256 KiB frames doubled loopback download
    /// throughput in `cargo xtask stream-bench --http2` but tripled the
    /// client's peak RSS, and the operations sent over h2 are event streams,
    /// not bulk transfers.
    pub(in crate::http) fn pool<C, B>(
        connector: C,
        idle_timeout: Option<Duration>,
        max_idle_per_host: usize,
    ) -> Client<C, B>
    where
        C: Connect + Clone + Send + Sync + 'static,
        B: http_body::Body + Send + 'static + Unpin,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(idle_timeout)
            .pool_max_idle_per_host(max_idle_per_host)
            .http2_only(true)
            .build(connector)
    }

    /// Passes a new `https` connection of the HTTP/2 pool only when ALPN
    /// chose `h2`.
    pub(in crate::http) fn check_negotiated<T: Connection>(
        uri: &Uri,
        connection: T,
    ) -> Result<T, BoxError> {
        if uri.scheme_str() != Some("https") || connection.connected().is_negotiated_h2() {
            return Ok(connection);
        }
        Err(Http2Refused {
            authority: authority(uri),
            alert: None,
        }
        .into())
    }

    /// A failed connect of the HTTP/2 pool: a TLS handshake the server
    /// ended with `no_application_protocol` (it does not speak `h2`) becomes
    /// [`Http2Refused`]; any other error is returned as it is.
    pub(in crate::http) fn connect_error(uri: &Uri, error: BoxError) -> BoxError {
        let refused = |e: &rustls::Error| {
            matches!(
                e,
                rustls::Error::AlertReceived(rustls::AlertDescription::NoApplicationProtocol)
            )
        };
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&*error);
        while let Some(current) = cause {
            if let Some(alert) = current.downcast_ref::<rustls::Error>().filter(|e| refused(e)) {
                return Http2Refused {
                    authority: authority(uri),
                    alert: Some(alert.clone()),
                }
                .into();
            }
            // An `io::Error`'s `source` is its payload's source, skipping
            // the payload itself (here the TLS error, wrapped twice).
            cause = match current.downcast_ref::<std::io::Error>().and_then(|e| e.get_ref()) {
                Some(payload) => Some(payload),
                None => current.source(),
            };
        }
        error
    }

    fn authority(uri: &Uri) -> String {
        let host = uri.host().unwrap_or_default();
        match uri.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => format!("{host}:443"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_without_the_extension_prefers_http1() {
        let request = ::http::Request::new(());
        assert_eq!(HttpVersionPreference::of(&request), HttpVersionPreference::Http1);
    }

    #[cfg(not(feature = "http2"))]
    #[test]
    fn without_the_feature_an_http2_request_is_refused_with_a_clear_error() {
        let mut request = ::http::Request::new(());
        assert!(check_supported(&request).is_ok());
        request.extensions_mut().insert(HttpVersionPreference::Http2);
        let error = check_supported(&request).expect_err("refused");
        assert_eq!(error.kind(), super::super::HttpErrorKind::Other);
        assert!(error.source().is_some_and(|e| e.is::<Http2NotEnabled>()));
        assert_eq!(
            error.to_string(),
            "HTTP client error: this operation must be sent over HTTP/2, but the client was \
             built without smithy-runtime's `http2` feature (enable `smithy-runtime/http2`)"
        );
    }

    #[cfg(feature = "http2")]
    #[test]
    fn a_no_application_protocol_alert_becomes_http2_refused() {
        let uri: ::http::Uri = "https://localhost:8443/".parse().expect("uri");
        let alert = rustls::Error::AlertReceived(rustls::AlertDescription::NoApplicationProtocol);
        // As hyper-rustls returns it: tokio-rustls's `io::Error` in another.
        let wrapped: crate::http::BoxError = Box::new(std::io::Error::other(
            std::io::Error::new(std::io::ErrorKind::InvalidData, alert),
        ));
        let error = connect_error(&uri, wrapped);
        let refused = error.downcast_ref::<Http2Refused>().expect("refused");
        assert_eq!(refused.authority(), "localhost:8443");
        assert_eq!(
            error.to_string(),
            "the server at localhost:8443 refused HTTP/2: it answered the ALPN offer of `h2` \
             with received fatal alert: NoApplicationProtocol"
        );
        let other = connect_error(&uri, "connection refused".into());
        assert_eq!(other.to_string(), "connection refused");
    }
}
