//! The default HTTP client through loopback proxies: plain HTTP in absolute
//! form with `Proxy-Authorization`, HTTPS through a `CONNECT` tunnel to a
//! loopback TLS server whose certificate only the test CA bundle vouches
//! for, `NO_PROXY`, and a CA bundle that cannot be read.

mod support;

use std::net::SocketAddr;

use bytes::Bytes;
use smithy_runtime::http::{HttpClient, HyperClient, ProxyConfig};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use support::error_chain;
use support::proxy::{connect_proxy, read_head};
use support::tls::{self, tls_file};

fn get(uri: &str) -> http::Request<Bytes> {
    http::Request::builder().uri(uri).body(Bytes::new()).expect("request")
}

/// Answers every request on `stream` with `200 ok`, recording each head.
async fn answer_ok(mut stream: impl AsyncRead + AsyncWrite + Unpin, heads: UnboundedSender<String>) {
    while let Some(head) = read_head(&mut stream).await {
        let _ = heads.send(head);
        let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
        if stream.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// A plain HTTP server (or proxy, for absolute-form requests) recording heads.
async fn plain_server() -> (SocketAddr, UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (heads, received) = unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(answer_ok(socket, heads.clone()));
        }
    });
    (addr, received)
}

/// A TLS server for `localhost` with the test CA's certificate.
async fn tls_server() -> (SocketAddr, UnboundedReceiver<String>) {
    let acceptor = tls::acceptor(&[]);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (heads, received) = unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, heads) = (acceptor.clone(), heads.clone());
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(socket).await {
                    answer_ok(tls, heads).await;
                }
            });
        }
    });
    (addr, received)
}

#[tokio::test]
async fn plain_http_goes_to_the_proxy_in_absolute_form_with_its_credentials() {
    let (proxy, mut heads) = plain_server().await;
    let client = HyperClient::builder()
        .proxy(ProxyConfig::builder().http(format!("http://user:pw@{proxy}")).build())
        .build();
    let response = client.call(get("http://service.example/path?q=1")).await.expect("proxied");
    assert_eq!(response.body().as_ref(), b"ok");
    let head = heads.recv().await.expect("the proxy saw the request");
    assert!(head.starts_with("GET http://service.example/path?q=1 HTTP/1.1\r\n"), "{head}");
    // base64("user:pw")
    assert!(head.to_ascii_lowercase().contains("proxy-authorization: basic dxnlcjpwdw==\r\n"), "{head}");
}

#[tokio::test]
async fn https_tunnels_through_connect_and_trusts_the_ca_bundle() {
    let (server, mut server_heads) = tls_server().await;
    let (proxy, mut proxy_heads) = connect_proxy().await;
    let uri = format!("https://localhost:{}/hello", server.port());
    let proxied = |ca_bundle: bool| {
        let builder = HyperClient::builder()
            .proxy(ProxyConfig::builder().https(format!("http://{proxy}")).build());
        if ca_bundle { builder.ca_bundle(tls_file("ca.pem")).build() } else { builder.build() }
    };

    let response = proxied(true).call(get(&uri)).await.expect("tunnelled");
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), b"ok");
    let connect = proxy_heads.recv().await.expect("CONNECT seen");
    assert!(connect.starts_with(&format!("CONNECT localhost:{} HTTP/1.1\r\n", server.port())), "{connect}");
    let head = server_heads.recv().await.expect("request seen");
    assert!(head.starts_with("GET /hello HTTP/1.1\r\n"), "origin form inside the tunnel: {head}");

    // Without the bundle the test CA is unknown and the handshake fails.
    let error = proxied(false).call(get(&uri)).await.expect_err("untrusted certificate");
    let chain = error_chain(&error);
    assert!(chain.contains("certificate"), "{chain}");
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let (direct, mut heads) = plain_server().await;
    let proxy = ProxyConfig::builder()
        .http("http://127.0.0.1:9")
        .no_proxy("127.0.0.1")
        .build();
    let client = HyperClient::builder().proxy(proxy).build();
    let response = client.call(get(&format!("http://{direct}/direct"))).await.expect("direct");
    assert_eq!(response.status(), 200);
    assert!(heads.recv().await.expect("seen").starts_with("GET /direct HTTP/1.1\r\n"));
}

#[tokio::test]
async fn a_ca_bundle_that_cannot_be_read_fails_the_connection_naming_it() {
    let (server, _heads) = tls_server().await;
    let client = HyperClient::builder().ca_bundle("/nonexistent/bundle.pem").build();
    let error = client
        .call(get(&format!("https://localhost:{}/", server.port())))
        .await
        .expect_err("no bundle");
    let text = error_chain(&error);
    assert!(text.contains("CA bundle /nonexistent/bundle.pem"), "{text}");
}

#[tokio::test]
async fn a_proxy_that_refuses_the_tunnel_is_an_error_quoting_its_answer() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let proxy = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                if read_head(&mut socket).await.is_some() {
                    let _ = socket.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n").await;
                }
            });
        }
    });
    let client = HyperClient::builder()
        .proxy(ProxyConfig::builder().https(format!("http://{proxy}")).build())
        .build();
    let error = client.call(get("https://localhost:1/")).await.expect_err("refused");
    let text = error_chain(&error);
    assert!(
        text.contains("the proxy refused the tunnel to localhost:1: HTTP/1.1 407 Proxy Authentication Required"),
        "{text}"
    );
}
