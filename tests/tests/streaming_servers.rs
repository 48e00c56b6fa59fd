//! The streaming test servers driven by the runtime's transport and
//! event-stream pieces directly (no generated client): the Transcribe server
//! over h2c with a body the runtime's `EventStreamSender` signs, and over
//! HTTP/1.1, which it refuses; the Lambda server's event stream over h2c as
//! over HTTP/1.1. The generated clients' tests
//! (`lambda_stream.rs`, `transcribe_stream.rs`, `glacier_stream.rs`) go
//! through the whole call path; these pin the servers' own behaviour.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use integration_tests::transcribe_server::{
    self, ACCESS_KEY_ID, SECRET_ACCESS_KEY, STREAMING_EVENTS,
};
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::sleep::{ManualTimeSource, SharedTimeSource};
use smithy_runtime::event_stream::{
    EventReceiver, EventSigningParams, EventStreamError, EventStreamSender, Message, SigningSlot,
    Unmarshalled,
};
use smithy_runtime::http::{HttpClient, HttpVersionPreference, HyperClient};
use smithy_runtime::primitives::ByteStream;
use smithy_runtime::protocol::{DeserializeError, SerializeError};

/// 2024-12-05T00:00:00Z.
const START: u64 = 1_733_356_800;
/// Any 64 hex digits: the server seeds its chain with whatever the
/// `Authorization` header carries.
const SEED: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

fn audio(chunk: &Bytes) -> Result<Message, SerializeError> {
    Ok(Message::new(chunk.clone())
        .add_header(":message-type", "event")
        .add_header(":event-type", "AudioEvent")
        .add_header(":content-type", "application/octet-stream"))
}

/// What the receiver yields here: the transcript text, or the exception.
fn transcript(message: &Message) -> Result<Unmarshalled<String, String>, DeserializeError> {
    let text = String::from_utf8_lossy(&message.payload).into_owned();
    match message.header_str(":message-type") {
        Some("exception") => Ok(Unmarshalled::Error(text)),
        _ => Ok(Unmarshalled::Event(text)),
    }
}

fn request(endpoint: &str, chunks: Vec<Bytes>, secret: &str) -> http::Request<ByteStream> {
    let slot = SigningSlot::new();
    slot.set(EventSigningParams {
        seed_signature: SEED.to_owned(),
        credentials: Credentials::from_keys(ACCESS_KEY_ID, secret),
        region: "us-west-2".to_owned(),
        service: "transcribe".to_owned(),
        clock: Arc::new(ManualTimeSource::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(START),
        )) as SharedTimeSource,
    });
    let frames = EventStreamSender::from(chunks).into_frames(audio, None, slot);
    let mut request = http::Request::post(format!("{endpoint}/stream-transcription"))
        .header(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={ACCESS_KEY_ID}/20241205/us-west-2/transcribe/aws4_request, \
                 SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={SEED}"
            ),
        )
        .header("x-amz-date", "20241205T000000Z")
        .header("x-amz-content-sha256", STREAMING_EVENTS)
        .header("x-amzn-transcribe-language-code", "en-US")
        .body(ByteStream::from_stream(frames))
        .expect("a valid request");
    request
        .extensions_mut()
        .insert(HttpVersionPreference::Http2);
    request
}

#[tokio::test]
async fn over_h2c_every_signed_chunk_is_verified_and_transcripts_stream_back() {
    let server = transcribe_server::start().await;
    let chunks: Vec<Bytes> = (1..=3u8)
        .map(|n| Bytes::from(vec![n; 320 * usize::from(n)]))
        .collect();
    let client = HyperClient::new();
    let response = client
        .call_streaming(request(
            &server.endpoint_url(),
            chunks.clone(),
            SECRET_ACCESS_KEY,
        ))
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["x-amzn-transcribe-language-code"],
        "en-US"
    );
    let mut events = EventReceiver::new(response.into_body(), transcript);
    let mut texts = Vec::new();
    let closing = loop {
        match events.recv().await {
            Ok(Some(text)) => texts.push(text),
            Ok(None) => panic!("the stream ended without the closing exception"),
            Err(EventStreamError::Service(exception)) => break exception,
            Err(other) => panic!("unexpected error: {other}"),
        }
    };
    assert!(
        closing.contains("the loopback session is over"),
        "{closing}"
    );
    assert_eq!(texts.len(), 4, "{texts:?}");
    assert!(
        texts[3].contains("heard 3 chunks, 1920 bytes"),
        "{}",
        texts[3]
    );

    let sessions = server.sessions();
    let [session] = sessions.as_slice() else {
        panic!("one session: {sessions:?}")
    };
    assert_eq!(session.version, Some(http::Version::HTTP_2));
    // The Authorization header here is made up (no canonical request was
    // signed), and the server's own check of it says so; the chain only
    // needs its signature as the seed.
    assert!(
        matches!(session.request_signature, Some(Err(_))),
        "{:?}",
        session.request_signature
    );
    assert_eq!(session.failures, Vec::<String>::new());
    assert_eq!(
        session.signatures_verified, 4,
        "three chunks and the end frame"
    );
    assert!(session.end_frame);
    assert_eq!(session.audio, chunks);
}

#[tokio::test]
async fn a_wrong_secret_fails_every_signature_and_the_server_says_so() {
    let server = transcribe_server::start().await;
    let client = HyperClient::new();
    let response = client
        .call_streaming(request(
            &server.endpoint_url(),
            vec![Bytes::from_static(b"pcm")],
            "not the secret",
        ))
        .await
        .expect("the server answers");
    let mut events = EventReceiver::new(response.into_body(), transcript);
    while let Ok(Some(_)) = events.recv().await {}
    let session = &server.sessions()[0];
    assert_eq!(session.signatures_verified, 0);
    assert!(!session.end_frame);
    assert_eq!(session.failures.len(), 2, "{:?}", session.failures);
    assert!(
        session.failures[0].contains("not the chain's next signature"),
        "{:?}",
        session.failures
    );
}

#[tokio::test]
async fn over_http1_the_request_is_refused_naming_the_version() {
    let server = transcribe_server::start().await;
    let mut request = request(
        &server.endpoint_url(),
        vec![Bytes::from_static(b"pcm")],
        SECRET_ACCESS_KEY,
    );
    request
        .extensions_mut()
        .insert(HttpVersionPreference::Http1);
    let response = HyperClient::new()
        .call_streaming(request)
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "BadRequestException"
    );
    let body = response.into_body().collect().await.expect("an error body");
    assert!(String::from_utf8_lossy(&body).contains("need HTTP/2"));
    assert_eq!(server.sessions()[0].version, Some(http::Version::HTTP_11));
}

#[test]
fn transcript_events_are_json_results() {
    let frame = transcribe_server::transcript_event("r1", true, "hello");
    let json: serde_json::Value = serde_json::from_slice(&frame.payload).expect("JSON");
    assert_eq!(
        json["Transcript"]["Results"][0]["Alternatives"][0]["Transcript"],
        "hello"
    );
    assert_eq!(frame.str_header(":event-type"), Some("TranscriptEvent"));
}

/// Lambda's chunks as the payloads of the `PayloadChunk` events, then the
/// `:event-type` of anything else.
fn lambda_event(message: &Message) -> Result<Unmarshalled<Bytes, String>, DeserializeError> {
    Ok(Unmarshalled::Event(
        match message.header_str(":event-type") {
            Some("PayloadChunk") => message.payload.clone(),
            other => Bytes::from(other.unwrap_or_default().to_owned()),
        },
    ))
}

#[tokio::test]
async fn the_lambda_server_streams_the_same_events_over_h2c_and_http1() {
    use integration_tests::lambda_server::{self, CHUNK, ECHO};
    let server = lambda_server::start().await;
    let payload = Bytes::from_static(b"{\"over\":\"either version of HTTP\"}");
    let client = HyperClient::new();
    for version in [HttpVersionPreference::Http2, HttpVersionPreference::Http1] {
        let mut request = http::Request::post(format!(
            "{}/2021-11-15/functions/{ECHO}/response-streaming-invocations",
            server.endpoint_url()
        ))
        .header(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={ACCESS_KEY_ID}/20241205/us-east-1/lambda/aws4_request, \
                 SignedHeaders=host;x-amz-date, Signature={SEED}"
            ),
        )
        .header("x-amz-date", "20241205T000000Z")
        .body(ByteStream::from(payload.clone()))
        .expect("a valid request");
        request.extensions_mut().insert(version);
        let response = client
            .call_streaming(request)
            .await
            .expect("the server answers");
        assert_eq!(response.status(), 200);
        let mut events = EventReceiver::new(response.into_body(), lambda_event);
        let mut read = Vec::new();
        while let Some(event) = events.recv().await.expect("well-formed events") {
            read.push(event);
        }
        let expected: Vec<Bytes> = payload
            .chunks(CHUNK)
            .map(Bytes::copy_from_slice)
            .chain([Bytes::from_static(b"InvokeComplete")])
            .collect();
        assert_eq!(read, expected, "{version:?}");
    }
    let versions: Vec<http::Version> = server.requests().iter().map(|r| r.version).collect();
    assert_eq!(
        versions,
        vec![http::Version::HTTP_2, http::Version::HTTP_11]
    );
}
