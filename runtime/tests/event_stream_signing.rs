//! The SigV4 event-signing chain: `sigv4::sign_event` against the
//! independent implementation of the `aws-sigv4` crate (dev-only), and the
//! frames an `EventStreamSender` sends, signed and unsigned.

mod event_stream_support;

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures_core::Stream;
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::auth::sigv4::{sign_event, SigningError, SigningParams, SigningSettings, STREAMING_EVENTS_PAYLOAD};
use smithy_runtime::behavior::sleep::{ManualTimeSource, SharedTimeSource, TimeSource};
use smithy_runtime::event_stream::{
    encode, EventSigningParams, EventStreamSender, HeaderValue, Message, MessageDecoder, SigningSlot,
};
use smithy_runtime::http::BoxError;
use smithy_runtime::protocol::SerializeError;
use smithy_runtime::DateTime;

use event_stream_support::{random_message, ListStream, ReferenceSigner};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SEED: &str = "3d2a6fcf8e2ba3c1ed9e5d1c9fd1a0c6f1d2e3b4a5968778695a4b3c2d1e0f0a";

fn params(time: SystemTime) -> SigningParams<'static> {
    SigningParams {
        access_key: ACCESS_KEY,
        secret_key: SECRET_KEY,
        session_token: None,
        region: "us-west-2",
        service: "transcribe",
        time,
        settings: SigningSettings::default(),
    }
}

/// The signed frame and signature `aws-sigv4` gives for the same inputs.
fn reference(message: Option<&Message>, prior: &str, time: SystemTime) -> (Vec<u8>, String) {
    let signer = ReferenceSigner { access_key: ACCESS_KEY, secret_key: SECRET_KEY, region: "us-west-2", service: "transcribe" };
    signer.sign(message, prior, time)
}

#[test]
fn a_chain_of_signatures_matches_the_independent_signer() {
    let mut rng = fastrand::Rng::with_seed(14);
    // A time with a fraction of a second: both drop it.
    let mut time = UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
    let mut prior = SEED.to_owned();
    for case in 0..20 {
        let message = random_message(&mut rng, 500);
        let ours = sign_event(encode(&message).unwrap(), &prior, &params(time)).unwrap();
        let (their_frame, their_signature) = reference(Some(&message), &prior, time);
        assert_eq!(ours.signature, their_signature, "case {case}");
        assert_eq!(&encode(&ours.message).unwrap()[..], &their_frame[..], "case {case}");
        prior = ours.signature;
        time += Duration::from_millis(1_700);
    }
    let end = sign_event(Bytes::new(), &prior, &params(time)).unwrap();
    let (their_frame, their_signature) = reference(None, &prior, time);
    assert_eq!(end.signature, their_signature);
    assert_eq!(&encode(&end.message).unwrap()[..], &their_frame[..]);
    assert!(end.message.payload.is_empty());
}

#[test]
fn a_signed_message_carries_its_date_and_signature() {
    let time = UNIX_EPOCH + Duration::new(1_440_938_160, 999_000_000);
    let signed = sign_event(Bytes::from_static(b"inner"), SEED, &params(time)).unwrap();
    assert_eq!(&signed.message.payload[..], b"inner");
    assert_eq!(
        signed.message.header(":date"),
        Some(&HeaderValue::Timestamp(DateTime::from_secs(1_440_938_160)))
    );
    let Some(HeaderValue::ByteArray(signature)) = signed.message.header(":chunk-signature") else {
        panic!("no :chunk-signature: {:?}", signed.message);
    };
    let hex: String = signature.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, signed.signature);
    assert_eq!(signed.signature.len(), 64);
    // A different prior signature gives a different signature.
    let other = sign_event(Bytes::from_static(b"inner"), &"0".repeat(64), &params(time)).unwrap();
    assert_ne!(other.signature, signed.signature);
    assert_eq!(STREAMING_EVENTS_PAYLOAD, "STREAMING-AWS4-HMAC-SHA256-EVENTS");
}

#[test]
fn bad_signing_inputs_are_errors() {
    let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for prior in ["", "abc\ndef", "sig nature"] {
        assert_eq!(
            sign_event(Bytes::new(), prior, &params(time)).unwrap_err(),
            SigningError::InvalidParam { name: "prior_signature", reason: "is not a hex signature" }
        );
    }
    let mut bad_region = params(time);
    bad_region.region = "us/west";
    assert!(matches!(
        sign_event(Bytes::new(), SEED, &bad_region).unwrap_err(),
        SigningError::InvalidParam { name: "region", .. }
    ));
    let far = params(UNIX_EPOCH + Duration::from_secs(400_000_000_000));
    assert_eq!(sign_event(Bytes::new(), SEED, &far).unwrap_err(), SigningError::TimeOutOfRange);
}

#[derive(Debug, Clone, PartialEq)]
enum Event {
    Audio(Vec<u8>),
    /// Marshals to an error.
    Broken,
}

fn marshal(event: &Event) -> Result<Message, SerializeError> {
    match event {
        Event::Audio(bytes) => Ok(Message::new(bytes.clone())
            .add_header(":message-type", "event")
            .add_header(":event-type", "AudioEvent")),
        Event::Broken => Err(SerializeError::new("event `Broken` cannot be written")),
    }
}

async fn collect(mut frames: impl Stream<Item = Result<Bytes, BoxError>> + Unpin) -> Vec<Result<Bytes, BoxError>> {
    let mut out = Vec::new();
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut frames).poll_next(cx)).await {
        out.push(frame);
    }
    out
}

fn decode(frame: &Bytes) -> Message {
    let mut decoder = MessageDecoder::new();
    decoder.push(frame.clone());
    let message = decoder.next_message().unwrap().expect("one whole frame");
    decoder.finish().unwrap();
    message
}

fn signing_params(clock: &ManualTimeSource) -> EventSigningParams {
    let clock: SharedTimeSource = Arc::new(clock.clone());
    EventSigningParams {
        seed_signature: SEED.to_owned(),
        credentials: Credentials::new(ACCESS_KEY, SECRET_KEY, Some("secret-session-token".into()), None, "test"),
        region: "us-west-2".into(),
        service: "transcribe".into(),
        clock,
    }
}

#[tokio::test]
async fn unsigned_frames_are_the_messages_as_they_are() {
    let events = vec![Event::Audio(b"one".to_vec()), Event::Audio(b"two".to_vec())];
    let initial = Message::new("{}").add_header(":event-type", "initial-request");
    let frames = EventStreamSender::from(events.clone()).into_frames(marshal, Some(initial.clone()), SigningSlot::new());
    let frames: Vec<Bytes> = collect(frames).await.into_iter().map(Result::unwrap).collect();
    // The initial-request, then each event; no end frame without signing.
    assert_eq!(frames.len(), 3);
    assert_eq!(decode(&frames[0]), initial);
    for (frame, event) in frames[1..].iter().zip(&events) {
        assert_eq!(decode(frame), marshal(event).unwrap());
    }
}

#[tokio::test]
async fn signed_frames_wrap_each_message_in_the_chain_and_end_with_an_empty_one() {
    let clock = ManualTimeSource::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let slot = SigningSlot::new();
    let (sender, events) = EventStreamSender::channel(4);
    let mut frames = events.into_frames(marshal, None, slot.clone());
    // The call path fills the slot after signing the request, before the
    // body is first polled.
    slot.set(signing_params(&clock));
    // A second value (a later attempt) does not replace the first.
    let mut later = signing_params(&clock);
    later.seed_signature = "f".repeat(64);
    slot.set(later);
    assert_eq!(slot.get().unwrap().seed_signature, SEED);

    let sent = [b"first".to_vec(), b"second".to_vec(), Vec::new()];
    let mut received = Vec::new();
    for audio in &sent {
        sender.send(Event::Audio(audio.clone())).await.unwrap();
        let frame = poll_fn(|cx| Pin::new(&mut frames).poll_next(cx)).await.unwrap().unwrap();
        received.push((frame, clock.now()));
        clock.advance(Duration::from_millis(2_500));
    }
    drop(sender);
    let rest = collect(&mut frames).await;
    assert_eq!(rest.len(), 1, "the end frame, then nothing");
    let end = rest.into_iter().next().unwrap().unwrap();
    received.push((end, clock.now()));

    let mut prior = SEED.to_owned();
    for (i, (frame, time)) in received.iter().enumerate() {
        let wrapper = decode(frame);
        let inner = sent.get(i).map(|audio| marshal(&Event::Audio(audio.clone())).unwrap());
        match &inner {
            Some(inner) => assert_eq!(decode(&wrapper.payload), *inner, "frame {i}"),
            None => assert!(wrapper.payload.is_empty(), "the end frame is empty"),
        }
        let (their_frame, their_signature) = reference(inner.as_ref(), &prior, *time);
        assert_eq!(&frame[..], &their_frame[..], "frame {i}");
        prior = their_signature;
    }
}

#[tokio::test]
async fn a_marshal_error_ends_the_body_with_it() {
    let events = vec![Event::Audio(b"ok".to_vec()), Event::Broken, Event::Audio(b"never".to_vec())];
    let frames = collect(EventStreamSender::from(events).into_frames(marshal, None, SigningSlot::new())).await;
    assert_eq!(frames.len(), 2);
    assert!(frames[0].is_ok());
    let err = frames[1].as_ref().unwrap_err();
    assert_eq!(err.to_string(), "event `Broken` cannot be written");
}

#[tokio::test]
async fn an_error_of_the_event_stream_ends_the_body_with_it() {
    let clock = ManualTimeSource::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let slot = SigningSlot::new();
    slot.set(signing_params(&clock));
    let source = vec![
        Ok(Event::Audio(b"ok".to_vec())),
        Err(std::io::Error::other("microphone unplugged")),
    ];
    let sender = EventStreamSender::from_stream(ListStream(source.into_iter()));
    let frames = collect(sender.into_frames(marshal, None, slot)).await;
    // The signed event, then the error; no end frame after an error.
    assert_eq!(frames.len(), 2);
    assert!(!decode(frames[0].as_ref().unwrap()).payload.is_empty());
    assert_eq!(frames[1].as_ref().unwrap_err().to_string(), "microphone unplugged");
}

#[tokio::test]
async fn into_body_is_a_one_shot_byte_stream_of_the_frames() {
    fn is_send_sync<T: Send + Sync>(_: &T) {}
    let (sender, events) = EventStreamSender::channel(1);
    is_send_sync(&events);
    let writer = tokio::spawn(async move {
        for audio in [b"a".to_vec(), b"bc".to_vec()] {
            sender.send(Event::Audio(audio)).await.unwrap();
        }
    });
    let body = events.into_body(marshal, None, SigningSlot::new());
    assert_eq!(body.content_length(), None);
    assert!(body.try_clone().is_none(), "an event stream is not replayable");
    let bytes = body.collect().await.unwrap();
    writer.await.unwrap();
    let mut expected = Vec::new();
    for audio in [b"a".to_vec(), b"bc".to_vec()] {
        expected.extend_from_slice(&encode(&marshal(&Event::Audio(audio)).unwrap()).unwrap());
    }
    assert_eq!(&bytes[..], &expected[..]);
}

#[test]
fn signing_params_hide_the_secret_in_debug() {
    let clock = ManualTimeSource::new(UNIX_EPOCH);
    let shown = format!("{:?}", signing_params(&clock));
    assert!(shown.contains(ACCESS_KEY), "{shown}");
    assert!(!shown.contains(SECRET_KEY), "{shown}");
    assert!(!shown.contains("secret-session-token"), "{shown}");
}
