//! What every loopback test server shares: a port on 127.0.0.1, an accept
//! loop that serves each connection with HTTP/1.1 or, to a client that opens
//! with the HTTP/2 preface, HTTP/2 over plain TCP (h2c), requests read whole and
//! recorded, and responses put together from a status, headers and a body;
//! [`Server`] puts these together around a service's state and a protocol's
//! answering function.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

/// Binds `127.0.0.1:0` and answers every request of every connection with
/// `serve`, on the current tokio runtime: HTTP/1.1, or HTTP/2 when the
/// client opens the connection with the HTTP/2 preface (prior knowledge, as
/// a client does for h2 over plain TCP). Aborting the returned task stops
/// the server and closes its open connections.
///
/// # Panics
///
/// If no loopback port can be bound, which leaves nothing to test.
pub async fn serve<F, Fut, B>(server: &str, serve: F) -> (SocketAddr, JoinHandle<()>)
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Response<B>> + Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| {
        panic!("cannot bind a loopback port for the {server} test server: {e}")
    });
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("bound socket has no local address: {e}"));
    let accept_loop = tokio::spawn(async move {
        // Connections live in the set, so aborting this task drops the set,
        // which aborts every open connection too.
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let serve = serve.clone();
                    connections.spawn(async move {
                        let service = service_fn(move |request| {
                            let response = serve(request);
                            async move { Ok::<_, Infallible>(response.await) }
                        });
                        // A client closing its pooled connection ends this
                        // with an error that is no concern of the tests.
                        let _ = auto::Builder::new(TokioExecutor::new())
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                // Reap finished connections so the set does not grow.
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
    });
    (addr, accept_loop)
}

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `POST`, `GET`, ...
    pub method: String,
    /// The path and query, e.g. `/CreateStage`.
    pub path: String,
    /// Every header, as sent.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// The status the server answered with.
    pub status: u16,
    /// The request id the server answered with (`x-amzn-requestid`, or
    /// S3's `x-amz-request-id`).
    pub request_id: String,
}

impl RecordedRequest {
    /// The value of header `name` (any case), if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON, or `None` if it is not JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The operation this request named: the path without its leading `/`
    /// (and without any query).
    pub fn operation(&self) -> &str {
        let path = self.path.split('?').next().unwrap_or_default();
        path.strip_prefix('/').unwrap_or(path)
    }
}

/// Reads `request` whole (a body that cannot be read is recorded as empty);
/// the status and request id are the server's to fill in.
pub async fn read_request(request: Request<Incoming>) -> RecordedRequest {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    RecordedRequest {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        headers: parts.headers,
        body,
        status: 0,
        request_id: String::new(),
    }
}

/// A response with `status`, `headers` (each appended; a value that is not
/// a valid header value is left out) and `body`.
pub fn response(
    status: StatusCode,
    headers: impl IntoIterator<Item = (&'static str, String)>,
    body: Bytes,
) -> Response<Full<Bytes>> {
    response_with(status, headers, Full::new(body))
}

/// [`response`] with any kind of body (a streamed one, say).
pub fn response_with<B>(
    status: StatusCode,
    headers: impl IntoIterator<Item = (&'static str, String)>,
    body: B,
) -> Response<B> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    for (name, value) in headers {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// What a [`Server`]'s protocol answers to one request.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: StatusCode,
    /// Every header of the answer, request id included.
    pub headers: Vec<(&'static str, String)>,
    /// The whole body.
    pub body: Bytes,
    /// The request id the answer carries, recorded with the request.
    pub request_id: String,
}

/// How a [`Server`] answers: its protocol's checks in front of the service
/// `S`, given the `n`th request the server read (counting from 1).
pub type Answering<S> = fn(&mut S, &RecordedRequest, u64) -> Answer;

struct Served<S> {
    service: S,
    requests: Vec<RecordedRequest>,
}

/// A running loopback server for a service `S`: each request is read whole,
/// answered by the protocol function it was started with, and recorded with
/// its status and request id. Dropping it stops the server and closes its
/// open connections.
pub struct Server<S> {
    addr: SocketAddr,
    state: Arc<Mutex<Served<S>>>,
    accept_loop: JoinHandle<()>,
}

impl<S: Send + 'static> Server<S> {
    /// Binds `127.0.0.1:0` and serves `service` with `answer` on the current
    /// tokio runtime.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, which leaves nothing to test.
    pub async fn start(name: &'static str, service: S, answer: Answering<S>) -> Server<S> {
        let state = Arc::new(Mutex::new(Served {
            service,
            requests: Vec::new(),
        }));
        let shared = Arc::clone(&state);
        let (addr, accept_loop) = serve(name, move |request| {
            let state = Arc::clone(&shared);
            async move {
                let mut recorded = read_request(request).await;
                let mut state = lock(&state);
                let n = state.requests.len() as u64 + 1;
                let answer = answer(&mut state.service, &recorded, n);
                recorded.status = answer.status.as_u16();
                recorded.request_id = answer.request_id;
                state.requests.push(recorded);
                drop(state);
                response(answer.status, answer.headers, answer.body)
            }
        })
        .await;
        Server {
            addr,
            state,
            accept_loop,
        }
    }
}

impl<S> Server<S> {
    /// `http://127.0.0.1:<port>`, for a client's endpoint URL.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request read so far, in arrival order (rejected ones too).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// Reads or changes the service's state.
    pub fn with_service<T>(&self, f: impl FnOnce(&mut S) -> T) -> T {
        f(&mut lock(&self.state).service)
    }
}

impl<S> Drop for Server<S> {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

impl<S> std::fmt::Debug for Server<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// What `mutex` guards, even if a panicking test thread poisoned it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
