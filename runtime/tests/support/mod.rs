//! Test support: a real loopback HTTP server that plays a script of
//! responses and faults, and a fake sleep that never waits.
#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use smithy_runtime::auth::sigv4::{self, Payload, SigningOutput, SigningParams, SigningSettings};
use smithy_runtime::behavior::sleep::{AsyncSleep, Sleep};
use smithy_runtime::client::{AuthScheme, OperationSpec};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub mod proxy;
pub mod tls;
pub mod versions;

/// An error and its sources, joined by ` / `.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        text.push_str(" / ");
        text.push_str(&current.to_string());
        cause = current.source();
    }
    text
}

/// What the server does with the next request it reads.
#[derive(Debug, Clone)]
pub enum Action {
    /// Answers with this status, headers and body.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Reads the request, then closes the connection without answering.
    Close,
    /// Reads the request and never answers (the connection stays open).
    Hang,
}

impl Action {
    /// A JSON response with this status and body.
    pub fn json(status: u16, body: &str) -> Self {
        Action::Respond {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.to_owned(),
        }
    }

    /// A restJson1 error response naming `code` in `x-amzn-errortype`.
    pub fn error(status: u16, code: &str) -> Self {
        Action::Respond {
            status,
            headers: vec![
                ("content-type", "application/json".to_owned()),
                ("x-amzn-errortype", code.to_owned()),
            ],
            body: format!(r#"{{"message":"scripted {code}"}}"#),
        }
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RecordedRequest {
    /// A header as a string, or "" if absent.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

/// An operation signed with SigV4, 200 on success, sent uncompressed,
/// over HTTP/1.1.
pub const fn operation(name: &'static str, unsigned_payload: bool, requires_length: bool) -> OperationSpec {
    OperationSpec {
        name,
        http_success_code: 200,
        auth: &[AuthScheme::Sigv4],
        optional_auth: false,
        request_compression: false,
        unsigned_payload,
        requires_length,
        http2: false,
    }
}

/// Signs what the server received (minus its signature) again for
/// `service` in us-east-1 with access key `AKID`, `secret` and `time`, the
/// payload hash taken from `payload`.
/// The headers the client sends but leaves out of the signature.
pub const UNSIGNED_BY_THE_CLIENT: &[&str] = &["amz-sdk-invocation-id", "amz-sdk-request", "content-length"];

pub fn resign(
    request: &RecordedRequest,
    service: &str,
    payload: Payload<'_>,
    settings: SigningSettings,
    secret: &str,
    time: std::time::SystemTime,
) -> SigningOutput {
    let mut resigned = Request::new(());
    *resigned.method_mut() = request.method.clone();
    *resigned.uri_mut() = format!("http://{}{}", request.header("host"), request.uri)
        .parse()
        .expect("absolute uri");
    *resigned.headers_mut() = request.headers.clone();
    resigned.headers_mut().remove("authorization");
    let (mut parts, ()) = resigned.into_parts();
    let params = SigningParams {
        access_key: "AKID",
        secret_key: secret,
        session_token: None,
        region: "us-east-1",
        service,
        time,
        settings: SigningSettings { unsigned_headers: UNSIGNED_BY_THE_CLIENT, ..settings },
    };
    sigv4::sign_parts(&mut parts, payload, &params).expect("re-sign")
}

/// An HTTP/1.1 server on 127.0.0.1 (random port) that handles requests, over
/// any number of connections, by taking the next [`Action`] of its script.
/// Once the script is used up it answers 418, which no retry rule retries.
pub struct ScriptedServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    accept_loop: JoinHandle<()>,
}

#[derive(Debug)]
struct CloseConnection;

impl fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("scripted close")
    }
}

impl std::error::Error for CloseConnection {}

impl ScriptedServer {
    /// Binds and starts serving `script`.
    pub async fn start(script: Vec<Action>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let script = Arc::clone(&script);
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let script = Arc::clone(&script);
                        let recorded = Arc::clone(&recorded);
                        async move { handle(request, &script, &recorded).await }
                    });
                    // A scripted close ends the connection with an error; the
                    // client sees the socket close before any response.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        ScriptedServer {
            addr,
            requests,
            accept_loop,
        }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Every request read so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests the server has read.
    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// The `amz-sdk-request` header of each request, in order.
    pub fn sdk_request_headers(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| r.header("amz-sdk-request"))
            .collect()
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

async fn handle(
    request: Request<Incoming>,
    script: &Mutex<VecDeque<Action>>,
    recorded: &Mutex<Vec<RecordedRequest>>,
) -> Result<Response<Full<Bytes>>, CloseConnection> {
    let (parts, body) = request.into_parts();
    // Read the whole body first, so a scripted close is a clean FIN.
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(CloseConnection),
    };
    recorded.lock().unwrap().push(RecordedRequest {
        method: parts.method,
        uri: parts.uri,
        headers: parts.headers,
        body,
    });
    let action = script.lock().unwrap().pop_front();
    match action {
        Some(Action::Respond {
            status,
            headers,
            body,
        }) => {
            let mut response = Response::new(Full::new(Bytes::from(body)));
            *response.status_mut() = StatusCode::from_u16(status).expect("scripted status");
            for (name, value) in headers {
                response
                    .headers_mut()
                    .insert(name, value.parse().expect("scripted header"));
            }
            Ok(response)
        }
        Some(Action::Close) => Err(CloseConnection),
        Some(Action::Hang) => std::future::pending().await,
        None => {
            let mut response = Response::new(Full::new(Bytes::from_static(b"script used up")));
            *response.status_mut() = StatusCode::IM_A_TEAPOT;
            Ok(response)
        }
    }
}

/// A sleep that never waits, recording every duration asked of it.
///
/// Sleeps up to `instant_limit` finish at once: in these tests they are the
/// backoff delays, all capped at 20 s. Longer sleeps never finish: they are
/// the attempt and operation timers the loop arms, and never firing them is
/// what "the server answered in time" means in virtual time.
#[derive(Debug)]
pub struct FakeSleep {
    instant_limit: Duration,
    requested: Mutex<Vec<Duration>>,
}

impl FakeSleep {
    /// Finishes sleeps of at most 20 s at once; longer ones never.
    pub fn new() -> Self {
        FakeSleep {
            instant_limit: Duration::from_secs(20),
            requested: Mutex::new(Vec::new()),
        }
    }

    /// Every requested duration, in order.
    pub fn requested(&self) -> Vec<Duration> {
        self.requested.lock().unwrap().clone()
    }

    /// The sleeps that finished at once (the backoff delays).
    pub fn backoffs(&self) -> Vec<Duration> {
        self.requested()
            .into_iter()
            .filter(|d| *d <= self.instant_limit)
            .collect()
    }

    /// The sleeps that never finish (the armed timeouts).
    pub fn timers(&self) -> Vec<Duration> {
        self.requested()
            .into_iter()
            .filter(|d| *d > self.instant_limit)
            .collect()
    }
}

impl AsyncSleep for FakeSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        self.requested.lock().unwrap().push(duration);
        if duration <= self.instant_limit {
            Box::pin(async {})
        } else {
            Box::pin(std::future::pending())
        }
    }
}
