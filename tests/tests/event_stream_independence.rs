//! The runtime's event-stream code checked against the test servers' own,
//! written separately from the format's and SigV4's documentation
//! (`integration_tests::event_frames`, `integration_tests::event_signing`):
//! if both were wrong in the same way the loopback tests could not tell, so
//! here each side reads what the other wrote.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use integration_tests::event_frames::{decode_all, Frame, Value};
use integration_tests::event_signing::EventChain;
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::sleep::{ManualTimeSource, SharedTimeSource};
use smithy_runtime::event_stream::{
    encode, EventSigningParams, EventStreamSender, HeaderValue, Message, MessageDecoder,
    SigningSlot,
};
use smithy_runtime::primitives::DateTime;

const SECRET: &str = "independent/secret/key";
const SEED: &str = "3f1c0a9d2b7e4c6a8f0e1d2c3b4a59687766554433221100ffeeddccbbaa9988";

#[test]
fn frames_the_runtime_writes_read_back_here() {
    let message = Message::new(Bytes::from_static(b"\x00\x01audio"))
        .add_header(":message-type", "event")
        .add_header(":event-type", "AudioEvent")
        .add_header("flag", true)
        .add_header("raw", Bytes::from_static(&[9, 8, 7]))
        .add_header(":date", DateTime::from_secs(1_700_000_000));
    let wire = encode(&message).expect("encodes");
    let frames = decode_all(&wire).expect("our reader accepts the runtime's frame");
    assert_eq!(
        frames,
        vec![Frame::new(Bytes::from_static(b"\x00\x01audio"))
            .with_str(":message-type", "event")
            .with_str(":event-type", "AudioEvent")
            .with("flag", Value::Bool(true))
            .with("raw", Value::Bytes(Bytes::from_static(&[9, 8, 7])))
            .with(":date", Value::Timestamp(1_700_000_000_000))]
    );
}

#[test]
fn frames_written_here_read_back_in_the_runtime() {
    let frame = Frame::event("PayloadChunk", "application/octet-stream", &b"chunk"[..])
        .with("count", Value::Int32(-3))
        .with(":date", Value::Timestamp(1_700_000_000_250));
    let mut decoder = MessageDecoder::new();
    decoder.push(frame.encode());
    let message = decoder
        .next_message()
        .expect("the runtime accepts our frame")
        .expect("one whole message");
    decoder.finish().expect("nothing left over");
    assert_eq!(message.payload, Bytes::from_static(b"chunk"));
    assert_eq!(message.header_str(":event-type"), Some("PayloadChunk"));
    assert_eq!(message.header("count"), Some(&HeaderValue::Int32(-3)));
    assert_eq!(
        message.header(":date"),
        Some(&HeaderValue::Timestamp(DateTime::from_millis(
            1_700_000_000_250
        )))
    );
}

fn audio(bytes: &'static [u8]) -> Result<Message, smithy_runtime::protocol::SerializeError> {
    Ok(Message::new(Bytes::from_static(bytes))
        .add_header(":message-type", "event")
        .add_header(":event-type", "AudioEvent")
        .add_header(":content-type", "application/octet-stream"))
}

fn marshal(event: &&'static [u8]) -> Result<Message, smithy_runtime::protocol::SerializeError> {
    audio(event)
}

/// The runtime's sender, signing with a clock that moves one second per
/// message, checked message by message with our own chain.
#[tokio::test]
async fn every_signature_the_runtime_chains_verifies_independently() {
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_733_356_800);
    let clock = ManualTimeSource::new(start);
    let slot = SigningSlot::new();
    slot.set(EventSigningParams {
        seed_signature: SEED.to_owned(),
        credentials: Credentials::from_keys("AKIDINDEPENDENT", SECRET),
        region: "eu-west-1".to_owned(),
        service: "transcribe".to_owned(),
        clock: Arc::new(clock.clone()) as SharedTimeSource,
    });
    let chunks: Vec<&'static [u8]> =
        vec![b"first chunk", b"", b"third chunk, longer than the others"];
    let sender = EventStreamSender::from(chunks.clone());
    let mut frames = sender.into_frames(marshal, None, slot);

    let mut chain = EventChain::new(SECRET, "eu-west-1", "transcribe", SEED);
    let mut audio_seen = Vec::new();
    let mut end_frames = 0;
    while let Some(bytes) = futures_next(&mut frames).await {
        let bytes = bytes.expect("a frame");
        clock.advance(Duration::from_secs(1));
        let outer = decode_all(&bytes).expect("a readable signed frame");
        let [outer] = outer.as_slice() else {
            panic!("one frame per item, got {}", outer.len())
        };
        let inner = chain
            .verify(outer)
            .unwrap_or_else(|why| panic!("message {}: {why}", audio_seen.len() + 1));
        if inner.is_empty() {
            end_frames += 1;
            continue;
        }
        let inner = decode_all(&inner).expect("the signed payload is a message");
        audio_seen.push(inner[0].payload.clone());
    }
    assert_eq!(end_frames, 1, "one signed empty frame ends the stream");
    let expected: Vec<Bytes> = chunks.into_iter().map(Bytes::from_static).collect();
    assert_eq!(audio_seen, expected);
}

#[tokio::test]
async fn a_stream_signed_with_another_secret_fails_the_check() {
    let slot = SigningSlot::new();
    slot.set(EventSigningParams {
        seed_signature: SEED.to_owned(),
        credentials: Credentials::from_keys("AKIDINDEPENDENT", "some other secret"),
        region: "eu-west-1".to_owned(),
        service: "transcribe".to_owned(),
        clock: Arc::new(ManualTimeSource::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_733_356_800),
        )) as SharedTimeSource,
    });
    let chunks: Vec<&'static [u8]> = vec![b"chunk"];
    let mut frames = EventStreamSender::from(chunks).into_frames(marshal, None, slot);
    let first = futures_next(&mut frames)
        .await
        .expect("a frame")
        .expect("signed");
    let outer = decode_all(&first).expect("readable");
    let mut chain = EventChain::new(SECRET, "eu-west-1", "transcribe", SEED);
    let why = chain
        .verify(&outer[0])
        .expect_err("the wrong key cannot match");
    assert!(why.contains("not the chain's next signature"), "{why}");
}

/// The next item of a stream, without pulling in a futures crate.
async fn futures_next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}
