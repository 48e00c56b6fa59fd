//! A loopback `CONNECT` proxy.

use std::net::SocketAddr;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// Reads up to the end of one request head and returns it as text.
pub async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// A proxy that serves `CONNECT host:port` by tunnelling to 127.0.0.1:port,
/// recording each CONNECT head.
pub async fn connect_proxy() -> (SocketAddr, UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (heads, received) = unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let heads = heads.clone();
            tokio::spawn(async move {
                let Some(head) = read_head(&mut client).await else { return };
                let port = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|target| target.rsplit_once(':'))
                    .and_then(|(_, port)| port.parse::<u16>().ok());
                let _ = heads.send(head);
                let Some(port) = port else { return };
                let Ok(mut target) = TcpStream::connect(("127.0.0.1", port)).await else { return };
                if client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await.is_ok() {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut target).await;
                }
            });
        }
    });
    (addr, received)
}
