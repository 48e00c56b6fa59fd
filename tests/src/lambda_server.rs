//! A loopback Lambda for `InvokeWithResponseStream`
//! (`POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations`,
//! restJson1): it answers with an `application/vnd.amazon.eventstream` body of
//! `PayloadChunk` events (the raw bytes as each event's payload) closed by an
//! `InvokeComplete` event (JSON), written with this crate's own frame code
//! ([`crate::event_frames`]). What the "function" does is chosen by its name,
//! so that one server also sends the broken streams a client must survive:
//!
//! | function | answer |
//! | --- | --- |
//! | [`ECHO`] | the request payload back in [`CHUNK`]-byte `PayloadChunk`s, then `InvokeComplete` |
//! | [`GATED`] | the first chunk, then nothing until [`LambdaServer::open_gate`], then the rest |
//! | [`FAILING`] | one chunk, then `InvokeComplete` with `ErrorCode`/`ErrorDetails` |
//! | [`CORRUPT_CRC`] | one chunk, then a frame with one payload byte changed after its CRC was computed |
//! | [`CUT_MID_FRAME`] | one chunk, then half of the next frame, then a clean end of body |
//! | [`DROPPED`] | one chunk, then after [`LambdaServer::open_gate`] the connection is cut (HTTP/1.1) or the stream reset (HTTP/2) |
//! | [`ERROR_MESSAGE`] | one chunk, then an `error` message (`:error-code`, `:error-message`) |
//! | [`UNKNOWN_EVENT`] | an event type the model does not know, then the echo |
//! | anything else | 404 `ResourceNotFoundException`, a plain JSON error |
//!
//! Every request must be SigV4-signed for `lambda` (the shape is checked, as
//! in [`crate::ivs_server`], and the signature recomputed and recorded, see
//! [`Lambda::signatures`]); `X-Amz-Log-Type: Tail` puts a log tail in
//! `InvokeComplete`, and `Qualifier` comes back as `X-Amz-Executed-Version`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http::request::Parts;
use http::{Response, StatusCode};
use hyper::body::Incoming;
use serde_json::json;
use tokio::sync::Notify;

use crate::event_frames::Frame;
use crate::event_signing::{check_request_signature, sha256_hex};
use crate::ivs_server::check_sigv4_shape;
use crate::stream_loopback::{
    channel_body, json_error, read_pieces, respond, Body, BodySender, Shared, StreamServer,
    SECRET_ACCESS_KEY,
};

/// Streams the request payload back, then completes.
pub const ECHO: &str = "echo";
/// Sends one chunk and waits for [`LambdaServer::open_gate`] before the rest.
pub const GATED: &str = "gated";
/// Sends one chunk, then a completion that reports a failed function.
pub const FAILING: &str = "failing";
/// Sends one chunk, then a frame whose message CRC does not match.
pub const CORRUPT_CRC: &str = "corrupt-crc";
/// Sends one chunk, then ends the body in the middle of the next frame.
pub const CUT_MID_FRAME: &str = "cut-mid-frame";
/// Sends one chunk, then breaks the connection off once the gate opens.
pub const DROPPED: &str = "dropped";
/// Sends one chunk, then an `error` message the model does not describe.
pub const ERROR_MESSAGE: &str = "error-message";
/// Sends an event of a type the model does not know before the echo.
pub const UNKNOWN_EVENT: &str = "unknown-event";

/// The size of the pieces [`ECHO`] cuts the payload into.
pub const CHUNK: usize = 16;
/// The first [`CHUNK`] bytes every function but [`ECHO`] sends, when the
/// request has no payload.
pub const DEFAULT_PAYLOAD: &[u8] = b"{\"streamed\":\"by the loopback function\"}";
/// The log tail `InvokeComplete` carries for `X-Amz-Log-Type: Tail`
/// (base64 of `START loopback\nEND loopback\n`).
pub const LOG_TAIL: &str = "U1RBUlQgbG9vcGJhY2sKRU5EIGxvb3BiYWNrCg==";
/// The error code of [`ERROR_MESSAGE`]'s `error` message.
pub const ERROR_CODE: &str = "ThrottlingException";
/// The event type [`UNKNOWN_EVENT`] sends.
pub const UNKNOWN_EVENT_TYPE: &str = "SomeFutureEvent";

/// What the loopback Lambda keeps.
#[derive(Debug, Default)]
pub struct Lambda {
    gate: Arc<Notify>,
    /// The request payloads received, in order.
    pub payloads: Vec<Bytes>,
    /// For each request, in order: whether its `Authorization` signature is
    /// the one the server computes for [`ACCESS_KEY_ID`] over the payload's
    /// SHA-256 (or why not).
    pub signatures: Vec<Result<(), String>>,
}

/// A running loopback Lambda.
pub type LambdaServer = StreamServer<Lambda>;

/// Starts a loopback Lambda on the current tokio runtime.
pub async fn start() -> LambdaServer {
    StreamServer::start("Lambda", Lambda::default(), answer).await
}

impl LambdaServer {
    /// Lets a [`GATED`] function send the rest of its output.
    pub fn open_gate(&self) {
        self.with_state(|lambda| lambda.gate.notify_one());
    }
}

fn answer(
    shared: Arc<Shared<Lambda>>,
    parts: Parts,
    body: Incoming,
) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> {
    Box::pin(async move {
        let path = parts.uri.path();
        let function = path
            .strip_prefix("/2021-11-15/functions/")
            .and_then(|rest| rest.strip_suffix("/response-streaming-invocations"));
        let (Some(function), true) = (function, parts.method == http::Method::POST) else {
            return json_error(StatusCode::NOT_FOUND, "UnknownOperationException", path);
        };
        if let Err(why) = check_sigv4_shape(&parts.headers, "lambda") {
            return json_error(StatusCode::FORBIDDEN, "InvalidSignatureException", &why);
        }
        let mut payload = Vec::new();
        if let Err(why) = read_pieces(body, |piece| payload.extend_from_slice(&piece)).await {
            return json_error(
                StatusCode::BAD_REQUEST,
                "InvalidRequestContentException",
                &why,
            );
        }
        let payload = Bytes::from(payload);
        let signature = check_sigv4_shape(&parts.headers, "lambda").and_then(|auth| {
            check_request_signature(&parts, &auth, SECRET_ACCESS_KEY, &[&sha256_hex(&payload)])
                .map(drop)
        });
        let gate = shared.with(|lambda| {
            lambda.payloads.push(payload.clone());
            lambda.signatures.push(signature);
            Arc::clone(&lambda.gate)
        });
        let function = function.to_owned();
        if ![
            ECHO,
            GATED,
            FAILING,
            CORRUPT_CRC,
            CUT_MID_FRAME,
            DROPPED,
            ERROR_MESSAGE,
            UNKNOWN_EVENT,
        ]
        .contains(&function.as_str())
        {
            return json_error(
                StatusCode::NOT_FOUND,
                "ResourceNotFoundException",
                &format!("Function not found: {function}"),
            );
        }
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let log_tail = header("x-amz-log-type") == Some("Tail");
        let query = parts.uri.query().unwrap_or_default();
        let version = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("Qualifier="))
            .unwrap_or("$LATEST")
            .to_owned();
        let (sender, response_body) = channel_body();
        tokio::spawn(run(function, payload, log_tail, gate, sender));
        respond(
            StatusCode::OK,
            [
                (
                    "content-type",
                    "application/vnd.amazon.eventstream".to_owned(),
                ),
                ("x-amz-executed-version", version),
                ("x-amzn-requestid", "loopback-lambda-1".to_owned()),
            ],
            response_body,
        )
    })
}

/// A `PayloadChunk` event carrying `bytes`.
pub fn payload_chunk(bytes: &[u8]) -> Frame {
    Frame::event(
        "PayloadChunk",
        "application/octet-stream",
        Bytes::copy_from_slice(bytes),
    )
}

/// An `InvokeComplete` event with these members (JSON).
pub fn invoke_complete(members: serde_json::Value) -> Frame {
    Frame::event("InvokeComplete", "application/json", members.to_string())
}

/// Writes what `function` streams for `payload`.
async fn run(function: String, payload: Bytes, log_tail: bool, gate: Arc<Notify>, out: BodySender) {
    let payload = if payload.is_empty() {
        Bytes::from_static(DEFAULT_PAYLOAD)
    } else {
        payload
    };
    let chunks: Vec<&[u8]> = payload.chunks(CHUNK).collect();
    let complete = if log_tail {
        invoke_complete(json!({ "LogResult": LOG_TAIL }))
    } else {
        invoke_complete(json!({}))
    };
    let first = payload_chunk(chunks[0]).encode();
    let second = payload_chunk(chunks.get(1).copied().unwrap_or(b"!")).encode();
    match function.as_str() {
        UNKNOWN_EVENT | ECHO | GATED => {
            if function == UNKNOWN_EVENT {
                let unknown = Frame::event(UNKNOWN_EVENT_TYPE, "application/json", "{}");
                out.send(unknown.encode()).await;
            }
            for (i, chunk) in chunks.iter().enumerate() {
                if i == 1 && function == GATED {
                    gate.notified().await;
                }
                if !out.send(payload_chunk(chunk).encode()).await {
                    return;
                }
            }
            out.send(complete.encode()).await;
        }
        FAILING => {
            out.send(first).await;
            let failed = invoke_complete(json!({
                "ErrorCode": "Unhandled",
                "ErrorDetails": "the loopback function threw",
            }));
            out.send(failed.encode()).await;
        }
        CORRUPT_CRC => {
            out.send(first).await;
            let mut corrupt = second.to_vec();
            // The last payload byte, just before the message CRC.
            let at = corrupt.len() - 5;
            corrupt[at] ^= 0x20;
            out.send(Bytes::from(corrupt)).await;
            out.send(complete.encode()).await;
        }
        CUT_MID_FRAME => {
            out.send(first).await;
            out.send(second.slice(..second.len() / 2)).await;
        }
        DROPPED => {
            out.send(first).await;
            // Once the client has read the chunk (hyper drops what it has not
            // flushed when a body fails).
            gate.notified().await;
            out.abort("the loopback function's stream broke off").await;
        }
        _ => {
            out.send(first).await;
            let error = Frame::error(ERROR_CODE, "Rate exceeded for the loopback function");
            out.send(error.encode()).await;
        }
    }
}
