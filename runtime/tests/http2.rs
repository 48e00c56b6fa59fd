//! HTTP/2 through the default client against real loopback servers: h2
//! negotiated by ALPN over TLS (the test CA's certificate, trusted through
//! `ca_bundle`) and h2 by prior knowledge (h2c) over plain TCP; bodies larger
//! than HTTP/2's flow-control windows both ways; ordinary requests from the
//! same client staying on HTTP/1.1 connections of their own; servers that
//! refuse h2; h2 over TLS inside a proxy's `CONNECT` tunnel; bodies
//! streamed both ways over h2 through `call_streaming`, each side reading a
//! chunk before the other has sent the next; an `OperationSpec::http2`
//! operation through the whole call pipeline.
//!
//! Run with `cargo test -p smithy-runtime --features http2 --test http2`;
//! without the feature the client refuses such requests (a unit test in
//! `src/http/http2.rs` checks that error).
#![cfg(feature = "http2")]

mod support;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response, Version};
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use smithy_runtime::primitives::ByteStream;
use smithy_runtime::http::{Http2Refused, HttpClient, HttpErrorKind, HttpVersionPreference, HyperClient};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::mpsc::UnboundedSender;

use support::error_chain;
use support::tls::{self, tls_file};

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    version: Version,
    path: String,
    body_bytes: u64,
    /// The client's address: one per connection.
    peer: SocketAddr,
}

/// A loopback server speaking HTTP/1.1 and HTTP/2 (prior knowledge, or as
/// ALPN chose) on one port. `GET /download/N` answers N bytes in 64 KiB
/// frames; any other request is answered with the size of its body, read
/// frame by frame.
struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    gates: Gates,
}

/// How a test steps the server's `/gated` exchanges: the size of every
/// request chunk the server reads, and a permit to finish a response.
#[derive(Clone)]
struct Gates {
    chunks_read: Arc<Mutex<Option<UnboundedSender<usize>>>>,
    finish_response: Arc<tokio::sync::Notify>,
}

impl Server {
    /// Plain TCP: HTTP/1.1 or h2c.
    async fn plain() -> Server {
        Self::start(None).await
    }

    /// TLS with the test CA's certificate for `localhost`, offering `alpn`
    /// (empty: no ALPN at all).
    async fn tls(alpn: &[&[u8]]) -> Server {
        Self::start(Some(tls::acceptor(alpn))).await
    }

    async fn start(tls: Option<tokio_rustls::TlsAcceptor>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let gates = Gates {
            chunks_read: Arc::new(Mutex::new(None)),
            finish_response: Arc::new(tokio::sync::Notify::new()),
        };
        let record = Arc::clone(&seen);
        let server_gates = gates.clone();
        tokio::spawn(async move {
            while let Ok((socket, peer)) = listener.accept().await {
                let (tls, record, gates) = (tls.clone(), Arc::clone(&record), server_gates.clone());
                tokio::spawn(async move {
                    match tls {
                        None => serve(socket, peer, record, gates).await,
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(socket).await {
                                serve(stream, peer, record, gates).await;
                            }
                        }
                    }
                });
            }
        });
        Server { addr, seen, gates }
    }

    fn url(&self, host: &str, scheme: &str, path: &str) -> String {
        format!("{scheme}://{host}:{}{path}", self.addr.port())
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

/// A body the server sends: a pattern, or chunks from a channel.
type Reply = http_body_util::Either<Pattern, Channel>;

async fn serve<S>(stream: S, peer: SocketAddr, record: Arc<Mutex<Vec<Seen>>>, gates: Gates)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request: Request<Incoming>| {
        let (record, gates) = (Arc::clone(&record), gates.clone());
        async move {
            let version = request.version();
            let path = request.uri().path().to_owned();
            let chunks_read = gates.chunks_read.lock().expect("lock").clone();
            let mut body = request.into_body();
            let mut body_bytes = 0u64;
            while let Some(frame) = body.frame().await {
                let Ok(frame) = frame else { break };
                let length = frame.data_ref().map_or(0, |d| d.len());
                body_bytes += length as u64;
                if let Some(chunks_read) = chunks_read.as_ref().filter(|_| path == "/gated" && length > 0) {
                    let _ = chunks_read.send(length);
                }
            }
            record.lock().expect("lock").push(Seen { version, path: path.clone(), body_bytes, peer });
            let reply = if path == "/gated" {
                // One chunk now, the rest when the test says so.
                let (sender, channel) = Channel::new();
                let _ = sender.send(Bytes::from_static(b"first chunk;")).await;
                tokio::spawn(async move {
                    gates.finish_response.notified().await;
                    let _ = sender.send(Bytes::from_static(b"second chunk")).await;
                });
                Reply::Right(channel)
            } else {
                let length = path.strip_prefix("/download/").and_then(|n| n.parse().ok());
                Reply::Left(Pattern { sent: 0, left: length.unwrap_or(0) })
            };
            let status = if path.starts_with("/download/") { 200 } else { 201 };
            let response = Response::builder()
                .status(status)
                .header("x-received", body_bytes)
                .body(reply)
                .expect("response");
            Ok::<_, Infallible>(response)
        }
    });
    let _ = auto::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// A response body of `left` bytes of a known pattern, in 64 KiB frames,
/// made as it is sent.
struct Pattern {
    sent: u64,
    left: u64,
}

const FRAME: usize = 64 * 1024;

/// Byte `i` of every pattern body.
fn pattern_byte(i: u64) -> u8 {
    (i % 251) as u8
}

impl Body for Pattern {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(FRAME as u64);
        let frame: Vec<u8> = (self.sent..self.sent + n).map(pattern_byte).collect();
        self.sent += n;
        self.left -= n;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(frame)))))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

/// Chunks as they are put in a channel: a response body for the server,
/// a request body (through `ByteStream::from_stream`) for the client.
struct Channel(tokio::sync::mpsc::Receiver<Bytes>);

impl Channel {
    fn new() -> (tokio::sync::mpsc::Sender<Bytes>, Channel) {
        let (sender, receiver) = tokio::sync::mpsc::channel(1);
        (sender, Channel(receiver))
    }
}

impl Body for Channel {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(|chunk| Ok(Frame::data(chunk))))
    }
}

impl futures_core::Stream for Channel {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(Ok))
    }
}

fn request(method: &str, uri: &str, body: Bytes, version: Option<HttpVersionPreference>) -> Request<Bytes> {
    let mut request = Request::builder().method(method).uri(uri).body(body).expect("request");
    if let Some(version) = version {
        request.extensions_mut().insert(version);
    }
    request
}

const H2: Option<HttpVersionPreference> = Some(HttpVersionPreference::Http2);

fn refused<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a Http2Refused> {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if let Some(refused) = current.downcast_ref() {
            return Some(refused);
        }
        cause = current.source();
    }
    None
}

/// Sends, over one client, two HTTP/2 requests (a 3 MiB upload and a 3 MiB
/// download: both past h2's default flow-control windows) and two ordinary
/// ones, and checks what the server saw: h2 on one multiplexed connection,
/// HTTP/1.1 on another.
async fn h2_and_http1_side_by_side(client: &HyperClient, server: &Server, host: &str, scheme: &str) {
    const SIZE: u64 = 3 * 1024 * 1024;
    let upload: Bytes = (0..SIZE).map(pattern_byte).collect::<Vec<u8>>().into();

    let response = client
        .call(request("PUT", &server.url(host, scheme, "/upload"), upload.clone(), H2))
        .await
        .expect("h2 upload");
    assert_eq!(response.status(), 201);
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.headers()["x-received"], SIZE.to_string().as_str());

    let response = client
        .call(request("GET", &server.url(host, scheme, &format!("/download/{SIZE}")), Bytes::new(), H2))
        .await
        .expect("h2 download");
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.body().len() as u64, SIZE);
    assert!(response.body().iter().zip(0..).all(|(byte, i)| *byte == pattern_byte(i)), "the body came intact");

    for path in ["/ordinary", "/download/5"] {
        let method = if path == "/ordinary" { "POST" } else { "GET" };
        let response = client
            .call(request(method, &server.url(host, scheme, path), Bytes::from_static(b"{}"), None))
            .await
            .expect("HTTP/1.1 request");
        assert_eq!(response.version(), Version::HTTP_11, "{path}");
    }

    let seen = server.seen();
    let versions: Vec<_> = seen.iter().map(|s| (s.version, s.path.as_str(), s.body_bytes)).collect();
    assert_eq!(
        versions,
        [
            (Version::HTTP_2, "/upload", SIZE),
            (Version::HTTP_2, &*format!("/download/{SIZE}"), 0),
            (Version::HTTP_11, "/ordinary", 2),
            (Version::HTTP_11, "/download/5", 2),
        ]
    );
    assert_eq!(seen[0].peer, seen[1].peer, "both h2 requests share one connection");
    assert_eq!(seen[2].peer, seen[3].peer, "the HTTP/1.1 requests reuse their connection");
    assert_ne!(seen[0].peer, seen[2].peer, "HTTP/1.1 has a connection of its own");
}

#[tokio::test]
async fn h2_by_alpn_over_tls_next_to_http1_on_the_same_client() {
    let server = Server::tls(&[b"h2", b"http/1.1"]).await;
    let client = HyperClient::builder().ca_bundle(tls_file("ca.pem")).build();
    h2_and_http1_side_by_side(&client, &server, "localhost", "https").await;
}

#[tokio::test]
async fn h2c_by_prior_knowledge_over_plain_tcp_next_to_http1() {
    let server = Server::plain().await;
    let client = HyperClient::new();
    h2_and_http1_side_by_side(&client, &server, "127.0.0.1", "http").await;
}

#[tokio::test]
async fn concurrent_h2_requests_share_one_connection() {
    let server = Server::plain().await;
    let client = HyperClient::new();
    let calls = (0..8).map(|i| {
        let uri = server.url("127.0.0.1", "http", &format!("/download/{}", 100_000 + i));
        let client = client.clone();
        async move { client.call(request("GET", &uri, Bytes::new(), H2)).await }
    });
    let mut lengths = Vec::new();
    for call in calls.map(tokio::spawn) {
        let response = call.await.expect("task").expect("response");
        lengths.push(response.body().len());
    }
    assert_eq!(lengths, (0..8).map(|i| 100_000 + i).collect::<Vec<_>>());
    let seen = server.seen();
    assert_eq!(seen.len(), 8);
    assert!(seen.iter().all(|s| s.version == Version::HTTP_2 && s.peer == seen[0].peer), "{seen:?}");
}

#[tokio::test]
async fn a_server_answering_the_h2_offer_with_an_alert_is_refused_by_name() {
    // rustls answers an ALPN offer it shares nothing with by the
    // `no_application_protocol` alert.
    let server = Server::tls(&[b"http/1.1"]).await;
    let client = HyperClient::builder().ca_bundle(tls_file("ca.pem")).build();
    let uri = server.url("localhost", "https", "/x");
    let error = client.call(request("GET", &uri, Bytes::new(), H2)).await.expect_err("no h2");
    assert_eq!(error.kind(), HttpErrorKind::Other, "not retried: {error}");
    let refused = refused(&error).unwrap_or_else(|| panic!("{}", error_chain(&error)));
    assert_eq!(refused.authority(), format!("localhost:{}", server.addr.port()));
    assert!(
        error.to_string().contains("refused HTTP/2: it answered the ALPN offer of `h2` with"),
        "{error}"
    );

    // The same client still reaches it over HTTP/1.1.
    let response = client.call(request("GET", &uri, Bytes::new(), None)).await.expect("HTTP/1.1");
    assert_eq!(response.version(), Version::HTTP_11);
}

#[tokio::test]
async fn a_server_selecting_no_protocol_is_refused_before_h2_is_spoken() {
    let server = Server::tls(&[]).await;
    let client = HyperClient::builder().ca_bundle(tls_file("ca.pem")).build();
    let uri = server.url("localhost", "https", "/x");
    let error = client.call(request("GET", &uri, Bytes::new(), H2)).await.expect_err("no h2");
    assert_eq!(error.kind(), HttpErrorKind::Other, "{error}");
    assert!(refused(&error).is_some(), "{}", error_chain(&error));
    assert_eq!(
        error.to_string(),
        format!(
            "HTTP client error: the server at localhost:{} refused HTTP/2: it did not select `h2` by ALPN",
            server.addr.port()
        )
    );
    assert!(server.seen().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn h2c_does_not_go_through_an_http_proxy() {
    let proxy = smithy_runtime::http::ProxyConfig::builder().http("http://127.0.0.1:9").build();
    let client = HyperClient::builder().proxy(proxy).build();
    let error = client
        .call(request("GET", "http://service.example/", Bytes::new(), H2))
        .await
        .expect_err("refused");
    assert_eq!(error.kind(), HttpErrorKind::Other, "{error}");
    assert!(
        error_chain(&error).contains("over HTTP/2 through an HTTP proxy"),
        "{}",
        error_chain(&error)
    );
}

/// Both bodies stream over h2: the server reads the first request chunk
/// before the client has made the second, and the client reads the first
/// response chunk before the server may send the second.
async fn bodies_stream_both_ways(client: &HyperClient, server: &Server, host: &str, scheme: &str) {
    let (chunks_read, mut server_read) = tokio::sync::mpsc::unbounded_channel();
    *server.gates.chunks_read.lock().expect("lock") = Some(chunks_read);
    let (upload, body) = Channel::new();
    let mut request = Request::put(server.url(host, scheme, "/gated"))
        .body(ByteStream::from_stream(body))
        .expect("request");
    request.extensions_mut().insert(HttpVersionPreference::Http2);
    let call = {
        let client = client.clone();
        tokio::spawn(async move { client.call_streaming(request).await })
    };

    // h2 cuts the chunk into DATA frames of at most 16 KiB.
    upload.send(Bytes::from(vec![1u8; 100_000])).await.expect("first chunk taken");
    let mut read = 0;
    while read < 100_000 {
        read += server_read.recv().await.expect("the server reads the first chunk");
    }
    assert_eq!(read, 100_000, "the server has the first chunk, no more");
    upload.send(Bytes::from(vec![2u8; 5])).await.expect("second chunk taken");
    drop(upload);
    assert_eq!(server_read.recv().await, Some(5));

    let response = call.await.expect("task").expect("response");
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.headers()["x-received"], "100005");
    let mut body = response.into_body();
    let first = body.next().await.expect("a chunk").expect("read");
    assert_eq!(first.as_ref(), b"first chunk;");
    server.gates.finish_response.notify_one();
    let rest = body.collect().await.expect("the rest");
    assert_eq!(rest.as_ref(), b"second chunk");
    assert_eq!(server.seen().last().map(|s| s.version), Some(Version::HTTP_2));
}

#[tokio::test]
async fn streamed_bodies_over_h2c() {
    let server = Server::plain().await;
    bodies_stream_both_ways(&HyperClient::new(), &server, "127.0.0.1", "http").await;
}

#[tokio::test]
async fn streamed_bodies_over_h2_with_tls() {
    let server = Server::tls(&[b"h2"]).await;
    let client = HyperClient::builder().ca_bundle(tls_file("ca.pem")).build();
    bodies_stream_both_ways(&client, &server, "localhost", "https").await;
}

/// An operation whose model asks for h2, through the whole call pipeline.
#[tokio::test]
async fn an_http2_operation_goes_over_h2_and_the_rest_over_http1() {
    use smithy_runtime::client::{ClientHandle, Config};
    use smithy_runtime::endpoint::EndpointParams;
    use support::versions::{body, request, unhandled, ORDINARY, OVER_H2, SERVICE};

    let server = Server::plain().await;
    let config = Config::builder().endpoint_url(server.url("127.0.0.1", "http", "")).build();
    let handle = ClientHandle::new(&config, &SERVICE);
    for (op, path) in [(&OVER_H2, "/download/70000"), (&ORDINARY, "/download/5")] {
        let body = handle
            .call_streaming(op, EndpointParams::new(), request(path), body, unhandled)
            .await
            .expect("call");
        let bytes = body.collect().await.expect("body");
        assert!(bytes.iter().zip(0..).all(|(byte, i)| *byte == pattern_byte(i)), "{path}");
    }
    let seen: Vec<_> = server.seen().into_iter().map(|s| (s.version, s.path, s.body_bytes)).collect();
    assert_eq!(
        seen,
        [
            (Version::HTTP_2, "/download/70000".to_owned(), 6),
            (Version::HTTP_11, "/download/5".to_owned(), 6),
        ]
    );
}

#[tokio::test]
async fn h2_over_tls_goes_through_a_connect_tunnel() {
    let server = Server::tls(&[b"h2", b"http/1.1"]).await;
    let (proxy, mut proxy_heads) = support::proxy::connect_proxy().await;
    let client = HyperClient::builder()
        .ca_bundle(tls_file("ca.pem"))
        .proxy(smithy_runtime::http::ProxyConfig::builder().https(format!("http://{proxy}")).build())
        .build();
    let response = client
        .call(request("GET", &server.url("localhost", "https", "/download/20000"), Bytes::new(), H2))
        .await
        .expect("tunnelled h2");
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.body().len(), 20_000);
    let connect = proxy_heads.recv().await.expect("CONNECT seen");
    assert!(connect.starts_with(&format!("CONNECT localhost:{} HTTP/1.1\r\n", server.addr.port())), "{connect}");
    assert_eq!(server.seen().first().map(|s| s.version), Some(Version::HTTP_2));
}
