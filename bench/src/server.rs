//! The loopback server every client talks to: answers each POST with a canned
//! IVS RealTime response (ListStages or CreateStage by path).

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

const LIST_STAGES: &str = r#"{"stages":[{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","name":"alpha","activeSessionId":"st-1","tags":{"team":"video"}},{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/ijklIJKLmnop","name":"beta","tags":{}}],"nextToken":"AAAA"}"#;
const CREATE_STAGE: &str = r#"{"stage":{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","name":"alpha","tags":{},"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"","mediaTypes":["AUDIO_VIDEO"]},"endpoints":{"events":"wss://e","whip":"https://w","rtmp":"rtmp://r","rtmps":"rtmps://r"}},"participantTokens":[]}"#;

/// The response body for a request to `path`.
pub fn canned_body(path: &str) -> &'static str {
    if path == "/ListStages" {
        LIST_STAGES
    } else {
        CREATE_STAGE
    }
}

pub async fn serve() -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(|request: http::Request<hyper::body::Incoming>| async move {
                    let body = canned_body(request.uri().path());
                    let _ = request.into_body().collect().await;
                    let mut response = http::Response::new(Full::new(Bytes::from_static(body.as_bytes())));
                    let headers = response.headers_mut();
                    headers.insert("content-type", http::HeaderValue::from_static("application/json"));
                    headers.insert("x-amzn-requestid", http::HeaderValue::from_static("bench"));
                    Ok::<_, Infallible>(response)
                });
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    Ok(addr)
}
