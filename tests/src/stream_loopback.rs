//! What the streaming test servers share: a [`StreamServer`] hands each
//! request to its service unread (the body still arriving) and sends back a
//! body that can be written piece by piece while the request is still being
//! read ([`channel_body`]), over HTTP/1.1 or h2c on the same port (see
//! [`crate::loopback::serve`]). The head of every request (HTTP version
//! included) is recorded before the service sees it.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderMap, Response, StatusCode, Version};
use http_body::Frame;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde_json::json;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::loopback::{lock, serve};

/// The access key id whose secret the streaming servers know: clients
/// signing with [`SECRET_ACCESS_KEY`] have their request signatures (and
/// event chains) checked in full.
pub const ACCESS_KEY_ID: &str = "AKIDSTREAMINGLOOPBACK";
/// The secret access key of [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "loopback/streaming/secret+key";

/// A credentials provider for [`ACCESS_KEY_ID`] and [`SECRET_ACCESS_KEY`],
/// for the test clients' configs.
pub fn credentials() -> smithy_runtime::auth::credentials::StaticCredentialsProvider {
    use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
    StaticCredentialsProvider::new(Credentials::from_keys(ACCESS_KEY_ID, SECRET_ACCESS_KEY))
}

/// A response body: whole, or streamed through a [`BodySender`].
pub type Body = BoxBody<Bytes, io::Error>;

/// What a service answers with, given the shared state, the request's head
/// and its body (unread).
pub type Handler<S> =
    fn(Arc<Shared<S>>, Parts, Incoming) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>>;

/// The head of a request, as the server received it.
#[derive(Debug, Clone)]
pub struct RequestHead {
    /// HTTP/1.1 or HTTP/2.
    pub version: Version,
    /// `POST`, `GET`, ...
    pub method: String,
    /// The path and query.
    pub path: String,
    /// Every header, as sent.
    pub headers: HeaderMap,
}

impl RequestHead {
    /// The value of header `name` (any case), if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A service's state and the request heads, shared by the server and the
/// tasks that answer.
#[derive(Debug)]
pub struct Shared<S> {
    state: Mutex<S>,
    heads: Mutex<Vec<RequestHead>>,
}

impl<S> Shared<S> {
    /// Reads or changes the service's state.
    pub fn with<T>(&self, f: impl FnOnce(&mut S) -> T) -> T {
        f(&mut lock(&self.state))
    }
}

/// A running streaming server for a service `S`. Dropping it stops the
/// server and closes its open connections.
pub struct StreamServer<S> {
    addr: SocketAddr,
    shared: Arc<Shared<S>>,
    accept_loop: JoinHandle<()>,
}

impl<S: Send + 'static> StreamServer<S> {
    /// Binds `127.0.0.1:0` and serves `state` with `handler` on the current
    /// tokio runtime.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, which leaves nothing to test.
    pub async fn start(name: &'static str, state: S, handler: Handler<S>) -> StreamServer<S> {
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            heads: Mutex::new(Vec::new()),
        });
        let served = Arc::clone(&shared);
        let (addr, accept_loop) = serve(name, move |request: http::Request<Incoming>| {
            let shared = Arc::clone(&served);
            async move {
                let (parts, body) = request.into_parts();
                lock(&shared.heads).push(RequestHead {
                    version: parts.version,
                    method: parts.method.to_string(),
                    path: parts
                        .uri
                        .path_and_query()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_default(),
                    headers: parts.headers.clone(),
                });
                handler(shared, parts, body).await
            }
        })
        .await;
        StreamServer {
            addr,
            shared,
            accept_loop,
        }
    }
}

impl<S> StreamServer<S> {
    /// `http://127.0.0.1:<port>`, for a client's endpoint URL.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The head of every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RequestHead> {
        lock(&self.shared.heads).clone()
    }

    /// Reads or changes the service's state.
    pub fn with_state<T>(&self, f: impl FnOnce(&mut S) -> T) -> T {
        self.shared.with(f)
    }
}

impl<S> Drop for StreamServer<S> {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

impl<S> std::fmt::Debug for StreamServer<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// The writing end of a [`channel_body`].
#[derive(Debug, Clone)]
pub struct BodySender {
    sender: mpsc::Sender<Result<Bytes, io::Error>>,
}

impl BodySender {
    /// Sends the next piece of the body; `false` once the client is gone.
    pub async fn send(&self, piece: Bytes) -> bool {
        self.sender.send(Ok(piece)).await.is_ok()
    }

    /// Fails the body: the connection is cut (HTTP/1.1) or the stream reset
    /// (HTTP/2) without a proper end.
    pub async fn abort(self, why: &str) {
        let _ = self
            .sender
            .send(Err(io::Error::other(why.to_owned())))
            .await;
    }
}

/// A response body written piece by piece through the returned
/// [`BodySender`]; it ends when every sender is dropped.
pub fn channel_body() -> (BodySender, Body) {
    let (sender, receiver) = mpsc::channel(16);
    (BodySender { sender }, ChannelBody { receiver }.boxed())
}

struct ChannelBody {
    receiver: mpsc::Receiver<Result<Bytes, io::Error>>,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.receiver
            .poll_recv(cx)
            .map(|piece| piece.map(|piece| piece.map(Frame::data)))
    }
}

/// A whole body.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed()
}

/// A response with `status`, `headers` (a value that is not a valid header
/// value is left out) and `body`.
pub use crate::loopback::response_with as respond;

/// A restJson1 error: `x-amzn-errortype` and a JSON body with the code and
/// a message (and the request id, as the services send it).
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response<Body> {
    let body = json!({ "code": code, "message": message }).to_string();
    respond(
        status,
        [
            ("content-type", "application/json".to_owned()),
            ("x-amzn-errortype", code.to_owned()),
            ("x-amzn-requestid", "loopback-error".to_owned()),
        ],
        full(body),
    )
}

/// Reads a request body to its end, piece by piece, calling `piece` with
/// each; the error when the body breaks off.
pub async fn read_pieces(mut body: Incoming, mut piece: impl FnMut(Bytes)) -> Result<(), String> {
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| format!("the request body broke off: {e}"))?;
        if let Ok(data) = frame.into_data() {
            piece(data);
        }
    }
    Ok(())
}
