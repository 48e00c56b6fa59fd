//! `EventReceiver` over in-memory bodies: events split across chunks, the
//! three message types, the `initial-response`, and every way a stream can
//! break.

mod event_stream_support;

use std::error::Error as _;
use std::fmt;

use bytes::{Bytes, BytesMut};
use smithy_runtime::event_stream::{
    encode, EventReceiver, EventStreamError, FrameError, Message, Unmarshalled,
};
use smithy_runtime::primitives::ByteStream;
use smithy_runtime::protocol::DeserializeError;

use event_stream_support::ListStream;

#[derive(Debug, PartialEq)]
enum Event {
    Chunk(String),
    /// An event type this client does not know, kept by name.
    Unknown(String),
}

#[derive(Debug, PartialEq)]
struct Throttled(String);

impl fmt::Display for Throttled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Throttled: {}", self.0)
    }
}

impl std::error::Error for Throttled {}

/// What generated code does for a union with one event and one `@error`
/// member.
fn unmarshal(message: &Message) -> Result<Unmarshalled<Event, Throttled>, DeserializeError> {
    let payload = || {
        std::str::from_utf8(&message.payload)
            .map(str::to_owned)
            .map_err(|_| DeserializeError::new("", "the payload is not valid UTF-8"))
    };
    match message.header_str(":message-type") {
        Some("exception") => match message.header_str(":exception-type") {
            Some("Throttled") => Ok(Unmarshalled::Error(Throttled(payload()?))),
            _ => Err(DeserializeError::new(":exception-type", "expected a modeled exception")),
        },
        _ => match message.header_str(":event-type") {
            Some("Chunk") => Ok(Unmarshalled::Event(Event::Chunk(payload()?))),
            Some(other) => Ok(Unmarshalled::Event(Event::Unknown(other.to_owned()))),
            None => Err(DeserializeError::new(":event-type", "expected a string header, found none")),
        },
    }
}

fn event(name: &str, payload: &str) -> Bytes {
    encode(
        &Message::new(payload.to_owned())
            .add_header(":message-type", "event")
            .add_header(":event-type", name),
    )
    .unwrap()
}

fn exception(payload: &str) -> Bytes {
    encode(
        &Message::new(payload.to_owned())
            .add_header(":message-type", "exception")
            .add_header(":exception-type", "Throttled"),
    )
    .unwrap()
}

fn error(code: &str, message: &str) -> Bytes {
    encode(
        &Message::default()
            .add_header(":message-type", "error")
            .add_header(":error-code", code)
            .add_header(":error-message", message),
    )
    .unwrap()
}

fn concat(frames: &[Bytes]) -> Bytes {
    let mut out = BytesMut::new();
    for frame in frames {
        out.extend_from_slice(frame);
    }
    out.freeze()
}

/// A receiver over `body` delivered in chunks of `chunk` bytes.
fn receiver(body: Bytes, chunk: usize) -> EventReceiver<Event, Throttled> {
    let chunks: Vec<Result<Bytes, std::io::Error>> = (0..body.len())
        .step_by(chunk)
        .map(|at| Ok(body.slice(at..(at + chunk).min(body.len()))))
        .collect();
    EventReceiver::new(ByteStream::from_stream(ListStream(chunks.into_iter())), unmarshal)
}

async fn drain(mut events: EventReceiver<Event, Throttled>) -> Vec<Result<Event, String>> {
    let mut out = Vec::new();
    loop {
        match events.recv().await {
            Ok(Some(event)) => out.push(Ok(event)),
            Ok(None) => return out,
            Err(err) => out.push(Err(err.to_string())),
        }
    }
}

fn chunk(text: &str) -> Result<Event, String> {
    Ok(Event::Chunk(text.to_owned()))
}

#[tokio::test]
async fn events_split_across_chunks_arrive_whole_and_in_order() {
    let body = concat(&[event("Chunk", "hello"), event("Chunk", ""), event("Chunk", "world")]);
    for size in [1, 2, 7, 16, 33, body.len()] {
        assert_eq!(
            drain(receiver(body.clone(), size)).await,
            vec![chunk("hello"), chunk(""), chunk("world")],
            "chunks of {size}"
        );
    }
    // An empty body is an empty stream.
    assert_eq!(drain(receiver(Bytes::new(), 1)).await, vec![]);
}

#[tokio::test]
async fn an_unknown_event_type_goes_to_the_unmarshal_function() {
    let body = concat(&[event("SomethingNew", "{}"), event("Chunk", "after")]);
    assert_eq!(
        drain(receiver(body, 5)).await,
        vec![Ok(Event::Unknown("SomethingNew".into())), chunk("after")]
    );
}

#[tokio::test]
async fn a_modeled_exception_is_a_service_error() {
    let mut events = receiver(concat(&[event("Chunk", "one"), exception("slow down")]), 9);
    assert_eq!(events.recv().await.unwrap(), Some(Event::Chunk("one".into())));
    let err = events.recv().await.unwrap_err();
    let EventStreamError::Service(ref throttled) = err else {
        panic!("expected Service, got {err:?}");
    };
    assert_eq!(throttled, &Throttled("slow down".into()));
    assert_eq!(err.to_string(), "Throttled: slow down");
    assert!(err.source().is_none());
    assert!(events.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn an_error_message_is_unmodeled_with_its_code_and_message() {
    let mut events = receiver(error("InternalFailure", "try again later"), 4);
    let err = events.recv().await.unwrap_err();
    match &err {
        EventStreamError::Unmodeled { code, message } => {
            assert_eq!((code.as_str(), message.as_str()), ("InternalFailure", "try again later"));
        }
        other => panic!("expected Unmodeled, got {other:?}"),
    }
    assert_eq!(err.to_string(), "the service sent an error event `InternalFailure`: try again later");
    assert!(err.source().is_none());
    // Without the headers, both are empty.
    let bare = encode(&Message::default().add_header(":message-type", "error")).unwrap();
    let err = receiver(bare, 100).recv().await.unwrap_err();
    assert!(
        matches!(&err, EventStreamError::Unmodeled { code, message } if code.is_empty() && message.is_empty()),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_corrupt_crc_ends_the_stream_with_a_frame_error() {
    let good = event("Chunk", "fine");
    let mut bad = event("Chunk", "broken").to_vec();
    let at = bad.len() - 5;
    bad[at] ^= 0x20;
    let body = concat(&[good, Bytes::from(bad), event("Chunk", "never read")]);
    let mut events = receiver(body, 6);
    assert_eq!(events.recv().await.unwrap(), Some(Event::Chunk("fine".into())));
    let err = events.recv().await.unwrap_err();
    assert!(matches!(err, EventStreamError::Frame(FrameError::MessageCrcMismatch { .. })), "{err:?}");
    assert!(err.to_string().starts_with("event stream frame: the message CRC is"), "{err}");
    assert!(err.source().is_none());
    // Nothing after a bad frame can be trusted.
    assert!(events.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn a_body_ending_inside_a_frame_is_truncated() {
    let frame = event("Chunk", "cut short");
    let body = concat(&[event("Chunk", "whole"), frame.slice(..frame.len() - 3)]);
    assert_eq!(
        drain(receiver(body, 8)).await,
        vec![
            chunk("whole"),
            Err("event stream ended inside a frame: 64 of its 67 bytes were received".into()),
        ]
    );
    let mut events = receiver(frame.slice(..20), 8);
    let err = events.recv().await.unwrap_err();
    assert!(
        matches!(err, EventStreamError::Frame(FrameError::Truncated { buffered: 20, expected: Some(_) })),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_transport_error_ends_the_stream() {
    let body: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(event("Chunk", "before")),
        Err(std::io::Error::other("connection reset")),
        Ok(event("Chunk", "after")),
    ];
    let mut events = EventReceiver::new(ByteStream::from_stream(ListStream(body.into_iter())), unmarshal);
    assert_eq!(events.recv().await.unwrap(), Some(Event::Chunk("before".into())));
    let err = events.recv().await.unwrap_err();
    assert!(matches!(err, EventStreamError::Transport(_)), "{err:?}");
    assert!(err.to_string().starts_with("the event stream could not be read: "), "{err}");
    // The transport's own error is the source's source.
    let cause = err.source().unwrap().to_string();
    assert_eq!(cause, "connection reset");
    assert!(events.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn messages_that_do_not_match_are_unmarshal_errors_and_the_stream_goes_on() {
    let no_type = encode(&Message::new("x").add_header(":event-type", "Chunk")).unwrap();
    let odd_type = encode(&Message::new("x").add_header(":message-type", "gossip")).unwrap();
    let bad_utf8 = encode(
        &Message::new(vec![0xff, 0xfe])
            .add_header(":message-type", "event")
            .add_header(":event-type", "Chunk"),
    )
    .unwrap();
    let body = concat(&[no_type, odd_type, bad_utf8, event("Chunk", "still here")]);
    let mut events = receiver(body, 11);
    for path in [":message-type", ":message-type", ""] {
        match events.recv().await {
            Err(EventStreamError::Unmarshal(err)) => assert_eq!(err.path(), path, "{err}"),
            other => panic!("expected Unmarshal at `{path}`, got {other:?}"),
        }
    }
    assert_eq!(events.recv().await.unwrap(), Some(Event::Chunk("still here".into())));
    assert!(events.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn the_initial_response_is_skipped_or_read_first() {
    let initial = event("initial-response", "{\"SessionId\":\"abc\"}");
    let body = concat(&[initial.clone(), event("Chunk", "one")]);
    // recv skips it.
    assert_eq!(drain(receiver(body.clone(), 3)).await, vec![chunk("one")]);
    // initial_response reads it, once.
    let mut events = receiver(body, 3);
    let message = events.initial_response().await.unwrap().expect("the initial response");
    assert_eq!(&message.payload[..], b"{\"SessionId\":\"abc\"}");
    assert!(events.initial_response().await.unwrap().is_none());
    assert_eq!(events.recv().await.unwrap(), Some(Event::Chunk("one".into())));
    // Without one, the first event is kept for recv.
    let mut events = receiver(concat(&[event("Chunk", "first"), event("Chunk", "second")]), 64);
    assert!(events.initial_response().await.unwrap().is_none());
    assert_eq!(drain(events).await, vec![chunk("first"), chunk("second")]);
    // On an empty body there is none, and no events.
    let mut events = receiver(Bytes::new(), 1);
    assert!(events.initial_response().await.unwrap().is_none());
    assert!(events.recv().await.unwrap().is_none());
}

#[test]
fn the_receiver_is_send_and_sync_and_its_debug_shows_no_content() {
    fn is_send_sync<T: Send + Sync>(_: &T) {}
    let events = receiver(event("Chunk", "secret payload"), 4);
    is_send_sync(&events);
    let shown = format!("{events:?}");
    assert!(shown.starts_with("EventReceiver"), "{shown}");
    assert!(!shown.contains("secret"), "{shown}");
}
