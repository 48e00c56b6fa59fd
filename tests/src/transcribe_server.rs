//! A loopback Transcribe streaming service for `StartStreamTranscription`
//! (`POST /stream-transcription`, restJson1, event streams both ways over
//! HTTP/2). It
//!
//! - refuses a request that did not come over HTTP/2 (400
//!   `BadRequestException` naming the version), as the service does for
//!   event streams;
//! - checks the SigV4 shape of the request (signing name `transcribe`, the
//!   payload hash `STREAMING-AWS4-HMAC-SHA256-EVENTS`) and, knowing the
//!   secret key of [`ACCESS_KEY_ID`] ([`SECRET_ACCESS_KEY`]), recomputes its
//!   signature (recorded in [`Session::request_signature`]);
//! - answers 200 at once and then reads the body as it arrives: each message
//!   must be a signed wrapper whose `:chunk-signature` is the next link of the
//!   event chain seeded by the request's signature, checked with this crate's
//!   own computation ([`crate::event_signing`]), around an `AudioEvent` (or a
//!   `ConfigurationEvent`); the empty signed message ends the stream. Every
//!   failure is recorded in the [`Session`], not hidden;
//! - sends a partial `TranscriptEvent` for each audio chunk while the audio
//!   is still coming, a final one after the end frame, and then, when
//!   [`Transcribe::closing_exception`] is set (it is by default), that
//!   exception event, which ends the session.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http::request::Parts;
use http::{Response, StatusCode, Version};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use serde_json::json;

use crate::event_frames::{decode_all, Frame, FrameReader};
use crate::event_signing::{check_request_signature, EventChain};
use crate::ivs_server::check_sigv4_shape;
use crate::stream_loopback::{
    channel_body, json_error, respond, Body, BodySender, Shared, StreamServer,
};

pub use crate::stream_loopback::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
/// The payload hash a signed event-stream request carries.
pub const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
/// The session id the server answers with when the request has none.
pub const SERVER_SESSION_ID: &str = "5f1e0c8a-0b7d-4c55-9a0e-1d2b3c4d5e6f";

/// What the server saw of one transcription session.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// The HTTP version the request came over.
    pub version: Option<Version>,
    /// The check of the request's own `Authorization` signature, the seed of
    /// the chain, computed by the server (payload hash
    /// `STREAMING-AWS4-HMAC-SHA256-EVENTS`): `None` until checked.
    pub request_signature: Option<Result<String, String>>,
    /// How many messages carried the chain's next signature.
    pub signatures_verified: usize,
    /// The audio chunks, in order (each `AudioEvent`'s payload).
    pub audio: Vec<Bytes>,
    /// The JSON payload of each `ConfigurationEvent`, in order.
    pub configurations: Vec<serde_json::Value>,
    /// Whether the signed empty message that ends the stream arrived.
    pub end_frame: bool,
    /// Everything that was wrong, in order (empty when all was well).
    pub failures: Vec<String>,
}

/// What the loopback Transcribe keeps.
#[derive(Debug)]
pub struct Transcribe {
    /// The exception event that ends each session after the final
    /// transcript: `(exception type, message)`; `None` ends the stream
    /// cleanly instead.
    pub closing_exception: Option<(String, String)>,
    /// Every session, in order.
    pub sessions: Vec<Session>,
}

impl Default for Transcribe {
    fn default() -> Transcribe {
        Transcribe {
            closing_exception: Some((
                "BadRequestException".to_owned(),
                "the loopback session is over".to_owned(),
            )),
            sessions: Vec::new(),
        }
    }
}

/// A running loopback Transcribe.
pub type TranscribeServer = StreamServer<Transcribe>;

/// Starts a loopback Transcribe on the current tokio runtime.
pub async fn start() -> TranscribeServer {
    StreamServer::start("Transcribe", Transcribe::default(), answer).await
}

impl TranscribeServer {
    /// Every session so far.
    pub fn sessions(&self) -> Vec<Session> {
        self.with_state(|transcribe| transcribe.sessions.clone())
    }
}

/// A `TranscriptEvent` with one result.
pub fn transcript_event(result_id: &str, partial: bool, text: &str) -> Frame {
    let payload = json!({
        "Transcript": {
            "Results": [{
                "ResultId": result_id,
                "IsPartial": partial,
                "StartTime": 0.0,
                "EndTime": 1.5,
                "Alternatives": [{ "Transcript": text, "Items": [] }],
            }]
        }
    });
    Frame::event("TranscriptEvent", "application/json", payload.to_string())
}

fn answer(
    shared: Arc<Shared<Transcribe>>,
    parts: Parts,
    body: Incoming,
) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> {
    Box::pin(async move {
        if parts.uri.path() != "/stream-transcription" || parts.method != http::Method::POST {
            return json_error(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                parts.uri.path(),
            );
        }
        let index = shared.with(|transcribe| {
            transcribe.sessions.push(Session {
                version: Some(parts.version),
                ..Session::default()
            });
            transcribe.sessions.len() - 1
        });
        let fail = |why: String| {
            shared.with(|transcribe| transcribe.sessions[index].failures.push(why.clone()));
            why
        };
        if parts.version != Version::HTTP_2 {
            let why = fail(format!(
                "event streams need HTTP/2, the request came over {:?}",
                parts.version
            ));
            return json_error(StatusCode::BAD_REQUEST, "BadRequestException", &why);
        }
        let auth = match check_sigv4_shape(&parts.headers, "transcribe") {
            Ok(auth) => auth,
            Err(why) => {
                let why = fail(why);
                return json_error(StatusCode::FORBIDDEN, "InvalidSignatureException", &why);
            }
        };
        if auth.access_key_id != ACCESS_KEY_ID {
            let why = fail(format!("unknown access key id {}", auth.access_key_id));
            return json_error(StatusCode::FORBIDDEN, "UnrecognizedClientException", &why);
        }
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        if header("x-amz-content-sha256") != Some(STREAMING_EVENTS) {
            fail(format!(
                "x-amz-content-sha256 is {:?}, expected {STREAMING_EVENTS}",
                header("x-amz-content-sha256")
            ));
        }
        let seed = check_request_signature(&parts, &auth, SECRET_ACCESS_KEY, &[STREAMING_EVENTS])
            .map(str::to_owned);
        shared.with(|transcribe| transcribe.sessions[index].request_signature = Some(seed));
        let chain = EventChain::new(
            SECRET_ACCESS_KEY,
            &auth.region,
            "transcribe",
            &auth.signature,
        );
        let echoed = [
            (
                "x-amzn-transcribe-language-code",
                header("x-amzn-transcribe-language-code"),
            ),
            (
                "x-amzn-transcribe-sample-rate",
                header("x-amzn-transcribe-sample-rate"),
            ),
            (
                "x-amzn-transcribe-media-encoding",
                header("x-amzn-transcribe-media-encoding"),
            ),
        ];
        let mut headers: Vec<(&'static str, String)> = echoed
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name, v.to_owned())))
            .collect();
        headers.push((
            "x-amzn-transcribe-session-id",
            header("x-amzn-transcribe-session-id")
                .unwrap_or(SERVER_SESSION_ID)
                .to_owned(),
        ));
        headers.push(("x-amzn-request-id", "loopback-transcribe-1".to_owned()));
        headers.push((
            "content-type",
            "application/vnd.amazon.eventstream".to_owned(),
        ));
        let (sender, response_body) = channel_body();
        tokio::spawn(session(shared, index, chain, body, sender));
        respond(StatusCode::OK, headers, response_body)
    })
}

/// Reads the audio stream, checking each message, and answers it.
async fn session(
    shared: Arc<Shared<Transcribe>>,
    index: usize,
    mut chain: EventChain,
    mut body: Incoming,
    out: BodySender,
) {
    let record = |f: &dyn Fn(&mut Session)| shared.with(|t| f(&mut t.sessions[index]));
    let mut reader = FrameReader::new();
    let mut chunks = 0usize;
    let mut bytes = 0usize;
    'body: while let Some(piece) = body.frame().await {
        let piece = match piece {
            Ok(frame) => frame.into_data().unwrap_or_default(),
            Err(e) => {
                record(&|s| s.failures.push(format!("the request body broke off: {e}")));
                return;
            }
        };
        reader.push(&piece);
        loop {
            let outer = match reader.next_frame() {
                Ok(Some(outer)) => outer,
                Ok(None) => break,
                Err(why) => {
                    record(&|s| s.failures.push(format!("unreadable message: {why}")));
                    return;
                }
            };
            let inner = match chain.verify(&outer) {
                Ok(inner) => inner,
                Err(why) => {
                    record(&|s| {
                        s.failures
                            .push(format!("message {}: {why}", s.signatures_verified + 1))
                    });
                    continue;
                }
            };
            record(&|s| s.signatures_verified += 1);
            if inner.is_empty() {
                record(&|s| s.end_frame = true);
                break 'body;
            }
            match read_audio(&inner) {
                Ok(Audio::Chunk(audio)) => {
                    chunks += 1;
                    bytes += audio.len();
                    let text = format!("chunk {chunks}: {} bytes", audio.len());
                    record(&|s| s.audio.push(audio.clone()));
                    out.send(transcript_event(&format!("result-{chunks}"), true, &text).encode())
                        .await;
                }
                Ok(Audio::Configuration(json)) => record(&|s| s.configurations.push(json.clone())),
                Err(why) => record(&|s| s.failures.push(why.clone())),
            }
        }
    }
    if let Err(why) = reader.finish() {
        record(&|s| s.failures.push(why.clone()));
    }
    let final_text = format!("heard {chunks} chunks, {bytes} bytes");
    out.send(transcript_event("result-final", false, &final_text).encode())
        .await;
    let closing = shared.with(|t| t.closing_exception.clone());
    if let Some((exception, message)) = closing {
        let payload = json!({ "Message": message }).to_string();
        out.send(Frame::exception(&exception, &payload).encode())
            .await;
    }
}

enum Audio {
    Chunk(Bytes),
    Configuration(serde_json::Value),
}

/// The event inside a signed message.
fn read_audio(inner: &[u8]) -> Result<Audio, String> {
    let frames =
        decode_all(inner).map_err(|why| format!("the signed payload is not a message: {why}"))?;
    let [event] = frames.as_slice() else {
        return Err(format!(
            "a signed payload holds {} messages, not one",
            frames.len()
        ));
    };
    if event.str_header(":message-type") != Some("event") {
        return Err(format!(
            "`:message-type` is {:?}",
            event.str_header(":message-type")
        ));
    }
    match (
        event.str_header(":event-type"),
        event.str_header(":content-type"),
    ) {
        (Some("AudioEvent"), Some("application/octet-stream")) => {
            Ok(Audio::Chunk(event.payload.clone()))
        }
        (Some("ConfigurationEvent"), Some("application/json")) => {
            serde_json::from_slice(&event.payload)
                .map(Audio::Configuration)
                .map_err(|e| format!("a ConfigurationEvent that is not JSON: {e}"))
        }
        (event_type, content_type) => Err(format!(
            "unexpected event {event_type:?} with content type {content_type:?}"
        )),
    }
}
