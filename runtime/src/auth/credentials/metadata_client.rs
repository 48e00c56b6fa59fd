//! Asking a local metadata endpoint (the ECS container credentials endpoint,
//! IMDS) over HTTP: short timeouts and a few attempts, so a machine where
//! the endpoint does not exist finds out quickly.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, Uri};

use crate::http::{HttpClient, HttpErrorKind, HyperClient, SharedHttpClient};

/// How many times a request is sent before giving up.
pub(super) const MAX_ATTEMPTS: u32 = 3;

/// The pause before the second attempt; it doubles for each one after.
const FIRST_RETRY_PAUSE: Duration = Duration::from_millis(50);

/// One request, sent again as is on each attempt.
#[derive(Debug, Clone)]
pub(super) struct MetadataRequest {
    pub(super) method: Method,
    pub(super) uri: Uri,
    pub(super) headers: HeaderMap,
}

impl MetadataRequest {
    /// A request with no headers.
    pub(super) fn new(method: Method, uri: Uri) -> Self {
        MetadataRequest {
            method,
            uri,
            headers: HeaderMap::new(),
        }
    }

    fn to_http(&self) -> Request<Bytes> {
        let mut request = Request::new(Bytes::new());
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers.clone();
        request
    }
}

/// No response came back after every attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NoResponse {
    /// Why the last attempt failed.
    pub(super) reason: String,
    pub(super) attempts: u32,
}

impl fmt::Display for NoResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.attempts == 1 { "" } else { "s" };
        write!(f, "{} ({} attempt{plural})", self.reason, self.attempts)
    }
}

/// Sends requests to a metadata endpoint with a connect timeout, a timeout
/// on each whole attempt, and up to [`MAX_ATTEMPTS`] attempts.
///
/// An attempt is retried when it fails to connect, times out, loses its
/// connection, or gets a 5xx status; the last 5xx response is returned for
/// the caller to report.
#[derive(Clone)]
pub(super) struct MetadataClient {
    http: SharedHttpClient,
    connect_timeout: Duration,
    read_timeout: Duration,
    /// Whether `http` was built here from the timeouts (and so is rebuilt
    /// when they change) or given by the user.
    own_http: bool,
}

impl MetadataClient {
    /// A client over a [`HyperClient`] with these timeouts.
    pub(super) fn new(connect_timeout: Duration, read_timeout: Duration) -> Self {
        MetadataClient {
            http: hyper_client(connect_timeout),
            connect_timeout,
            read_timeout,
            own_http: true,
        }
    }

    /// Sends through `http` instead; its own connect timeout then applies.
    pub(super) fn with_http_client(mut self, http: impl HttpClient + 'static) -> Self {
        self.http = Arc::new(http);
        self.own_http = false;
        self
    }

    /// Changes the connect timeout and the time allowed for the response
    /// once connected.
    pub(super) fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        if self.own_http {
            self.http = hyper_client(connect);
        }
        self
    }

    /// Sends `request` until a response that is not 5xx arrives or the
    /// attempts run out.
    pub(super) async fn send(
        &self,
        request: &MetadataRequest,
    ) -> Result<Response<Bytes>, NoResponse> {
        let attempt_timeout = self.connect_timeout.saturating_add(self.read_timeout);
        let mut pause = FIRST_RETRY_PAUSE;
        let mut attempt = 1;
        loop {
            let failure = match tokio::time::timeout(
                attempt_timeout,
                self.http.call(request.to_http()),
            )
            .await
            {
                Ok(Ok(response)) if response.status().is_server_error() => {
                    if attempt == MAX_ATTEMPTS {
                        return Ok(response);
                    }
                    format!("HTTP status {}", response.status())
                }
                Ok(Ok(response)) => return Ok(response),
                Ok(Err(error)) => {
                    let reason = error.to_string();
                    if error.kind() == HttpErrorKind::Other {
                        return Err(NoResponse {
                            reason,
                            attempts: attempt,
                        });
                    }
                    reason
                }
                Err(_elapsed) => format!("no response within {attempt_timeout:?}"),
            };
            tracing::debug!(uri = %request.uri, attempt, reason = %failure, "metadata request failed");
            if attempt == MAX_ATTEMPTS {
                return Err(NoResponse {
                    reason: failure,
                    attempts: attempt,
                });
            }
            tokio::time::sleep(pause).await;
            pause = pause.saturating_mul(2);
            attempt += 1;
        }
    }
}

fn hyper_client(connect_timeout: Duration) -> SharedHttpClient {
    Arc::new(
        HyperClient::builder()
            .connect_timeout(Some(connect_timeout))
            .build(),
    )
}

impl fmt::Debug for MetadataClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetadataClient")
            .field("http", &self.http)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{HttpError, HttpFuture};
    use std::collections::VecDeque;
    use std::sync::Mutex;

    /// Answers each call with the next scripted outcome and counts calls.
    #[derive(Debug)]
    struct Scripted(Mutex<VecDeque<Result<u16, HttpErrorKind>>>);

    impl HttpClient for Scripted {
        fn call(&self, _request: Request<Bytes>) -> HttpFuture<'_> {
            let next = self.0.lock().unwrap().pop_front();
            Box::pin(async move {
                match next {
                    Some(Ok(status)) => Ok(Response::builder()
                        .status(status)
                        .body(Bytes::new())
                        .unwrap()),
                    Some(Err(kind)) => Err(HttpError::new(kind, "scripted")),
                    None => std::future::pending().await,
                }
            })
        }
    }

    fn client(script: Vec<Result<u16, HttpErrorKind>>) -> MetadataClient {
        MetadataClient::new(Duration::from_secs(1), Duration::from_secs(1))
            .with_http_client(Scripted(Mutex::new(script.into())))
    }

    fn request() -> MetadataRequest {
        MetadataRequest::new(Method::GET, Uri::from_static("http://169.254.169.254/x"))
    }

    #[tokio::test(start_paused = true)]
    async fn retries_transport_failures_and_5xx_then_returns_the_answer() {
        let client = client(vec![Err(HttpErrorKind::Connect), Ok(503), Ok(200)]);
        let response = client.send(&request()).await.unwrap();
        assert_eq!(response.status(), 200);
    }

    #[tokio::test(start_paused = true)]
    async fn the_last_5xx_is_returned_and_4xx_is_not_retried() {
        let last = client(vec![Ok(500), Ok(502), Ok(503), Ok(200)])
            .send(&request())
            .await
            .unwrap();
        assert_eq!(last.status(), 503);
        let not_found = client(vec![Ok(404), Ok(200)])
            .send(&request())
            .await
            .unwrap();
        assert_eq!(not_found.status(), 404);
    }

    // The script runs dry, so every attempt hangs until its timeout; the
    // paused clock jumps straight there.
    #[tokio::test(start_paused = true)]
    async fn gives_up_after_three_attempts_naming_the_last_reason() {
        let err = client(vec![Err(HttpErrorKind::Timeout), Err(HttpErrorKind::Io)])
            .send(&request())
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "no response within 2s (3 attempts)");

        let err = client(vec![Err(HttpErrorKind::Other)])
            .send(&request())
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "HTTP client error: scripted (1 attempt)");
    }
}
