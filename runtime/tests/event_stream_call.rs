//! Event streams through the whole call path (`ClientHandle::call_streaming`)
//! against a loopback HTTP/1.1 server: the request is signed for events, the
//! call path fills the body's `SigningSlot`, every frame the server receives
//! carries the signature the independent `aws-sigv4` signer gives for it in
//! a chain seeded by the request's own signature, the stream ends with the
//! signed empty frame; and the response's frames come back as typed events.

mod event_stream_support;
mod support;

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::sleep::ManualTimeSource;
use smithy_runtime::client::{ClientHandle, Config, ServiceSpec, Unhandled};
use smithy_runtime::endpoint::EndpointParams;
use smithy_runtime::event_stream::{
    encode, EventReceiver, EventStreamSender, HeaderValue, Message, MessageDecoder, SigningSlot, Unmarshalled,
};
use smithy_runtime::primitives::ByteStream;
use smithy_runtime::protocol::{DeserializeError, ErrorMetadata, Protocol, SerializeError};
use tokio::net::TcpListener;

use event_stream_support::ReferenceSigner;
use support::operation;

const NOW_SECS: u64 = 1_733_356_800;
const SIGNER: ReferenceSigner = ReferenceSigner {
    access_key: "AKIDSTREAM",
    secret_key: "stream/secret/KEY",
    region: "eu-west-1",
    service: "transcribe",
};

static SERVICE: ServiceSpec = ServiceSpec {
    service_id: "Event Stream Test",
    signing_name: "transcribe",
    endpoint_rules: None,
    api_version: "2024-12-05",
    protocol: Protocol::RestJson1,
    query_compatible: false,
    retryable_errors: &[],
};
static TRANSCRIBE: smithy_runtime::client::OperationSpec = operation("StartStreamTranscription", false, false);

/// The request body and headers the server received.
type Received = Arc<Mutex<Option<(http::HeaderMap, Bytes)>>>;

/// Reads one request whole, then answers 200 with `frames` as an event
/// stream.
async fn server(frames: Bytes) -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let received: Received = Arc::default();
    let record = Arc::clone(&received);
    tokio::spawn(async move {
        let Ok((stream, _)) = listener.accept().await else { return };
        let service = service_fn(move |request: Request<Incoming>| {
            let record = Arc::clone(&record);
            let frames = frames.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                *record.lock().unwrap() = Some((parts.headers, body));
                let mut response = Response::new(Full::new(frames));
                response
                    .headers_mut()
                    .insert("content-type", "application/vnd.amazon.eventstream".parse().unwrap());
                Ok::<_, Infallible>(response)
            }
        });
        let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
    });
    (url, received)
}

#[derive(Debug, Clone, PartialEq)]
enum Event {
    Audio(Bytes),
    Transcript(String),
}

fn marshal(event: &Event) -> Result<Message, SerializeError> {
    match event {
        Event::Audio(audio) => Ok(Message::new(audio.clone())
            .add_header(":message-type", "event")
            .add_header(":event-type", "AudioEvent")
            .add_header(":content-type", "application/octet-stream")),
        Event::Transcript(_) => Err(SerializeError::new("a transcript is not sent")),
    }
}

fn unmarshal(message: &Message) -> Result<Unmarshalled<Event, Unhandled>, DeserializeError> {
    let text = std::str::from_utf8(&message.payload).map_err(|_| DeserializeError::new("", "not UTF-8"))?;
    Ok(Unmarshalled::Event(Event::Transcript(text.to_owned())))
}

fn parse_output(response: Response<ByteStream>) -> Result<EventReceiver<Event, Unhandled>, DeserializeError> {
    Ok(EventReceiver::new(response.into_body(), unmarshal))
}

fn parse_error(_: &Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
    Ok(Unhandled::new(meta, None))
}

fn transcript_frames(texts: &[&str]) -> Bytes {
    let mut out = Vec::new();
    for text in texts {
        let message = Message::new(text.to_string())
            .add_header(":message-type", "event")
            .add_header(":event-type", "TranscriptEvent");
        out.extend_from_slice(&encode(&message).unwrap());
    }
    Bytes::from(out)
}

#[tokio::test]
async fn events_sent_are_signed_in_a_chain_from_the_request_signature_and_events_received_are_typed() {
    let (url, received) = server(transcript_frames(&["hello", "hello world"])).await;
    let time = UNIX_EPOCH + Duration::from_secs(NOW_SECS);
    let config = Config::builder()
        .region(SIGNER.region)
        .credentials_provider(Credentials::new(SIGNER.access_key, SIGNER.secret_key, None, None, "Test"))
        .time_source(ManualTimeSource::new(time))
        .endpoint_url(&url)
        .build();
    let handle = ClientHandle::new(&config, &SERVICE);

    let audio = [Bytes::from_static(b"\x00\x01pcm"), Bytes::from(vec![7u8; 10_000])];
    let (sender, events) = EventStreamSender::channel(1);
    let initial = Message::new("{}")
        .add_header(":message-type", "event")
        .add_header(":event-type", "initial-request");
    let slot = SigningSlot::new();
    let mut request = Request::new(events.into_body(marshal, Some(initial.clone()), slot.clone()));
    *request.method_mut() = http::Method::POST;
    *request.uri_mut() = "/stream-transcription".parse().unwrap();
    request.extensions_mut().insert(slot);
    let feeder = {
        let audio = audio.clone();
        tokio::spawn(async move {
            for chunk in audio {
                sender.send(Event::Audio(chunk)).await.expect("the body is read");
            }
        })
    };
    let mut transcripts = handle
        .call_streaming(&TRANSCRIBE, EndpointParams::new(), Ok(request), parse_output, parse_error)
        .await
        .expect("the call succeeds");
    feeder.await.unwrap();

    // The response's events, typed.
    assert_eq!(transcripts.recv().await.unwrap(), Some(Event::Transcript("hello".into())));
    assert_eq!(transcripts.recv().await.unwrap(), Some(Event::Transcript("hello world".into())));
    assert!(transcripts.recv().await.unwrap().is_none());

    // The request: signed for events, its signature the seed of the chain.
    let (headers, body) = received.lock().unwrap().take().expect("the server read the request");
    assert_eq!(headers["x-amz-content-sha256"], "STREAMING-AWS4-HMAC-SHA256-EVENTS");
    let authorization = headers["authorization"].to_str().unwrap();
    let seed = authorization.rsplit("Signature=").next().unwrap();
    assert_eq!(seed.len(), 64, "{authorization}");

    let mut decoder = MessageDecoder::new();
    decoder.push(body);
    let mut frames = Vec::new();
    while let Some(frame) = decoder.next_message().expect("valid frames") {
        frames.push(frame);
    }
    decoder.finish().expect("the body ends between frames");
    let inner: Vec<Option<Message>> = std::iter::once(Some(initial))
        .chain(audio.iter().map(|chunk| Some(marshal(&Event::Audio(chunk.clone())).unwrap())))
        .chain([None])
        .collect();
    assert_eq!(frames.len(), inner.len(), "initial-request, two events, the end frame");
    let mut prior = seed.to_owned();
    for (i, (frame, inner)) in frames.iter().zip(&inner).enumerate() {
        assert_eq!(
            frame.header(":date"),
            Some(&HeaderValue::Timestamp(smithy_runtime::DateTime::from_secs(NOW_SECS as i64)))
        );
        match inner {
            Some(inner) => {
                let mut wrapped = MessageDecoder::new();
                wrapped.push(frame.payload.clone());
                assert_eq!(wrapped.next_message().unwrap().as_ref(), Some(inner), "frame {i}");
            }
            None => assert!(frame.payload.is_empty(), "the end frame is empty"),
        }
        let (expected, signature) = SIGNER.sign(inner.as_ref(), &prior, time);
        assert_eq!(&encode(frame).unwrap()[..], &expected[..], "frame {i} is signed as aws-sigv4 signs it");
        prior = signature;
    }
}
