//! The Lambda client generated from tests/models/clients/lambda_stream.json
//! (restJson1, an output event stream) against the loopback Lambda in
//! `integration_tests::lambda_server`, whose frames are written by the test
//! crate's own event-stream code: `InvokeWithResponseStream` read event by
//! event (`PayloadChunk`s with their `@eventPayload` blob, the closing
//! `InvokeComplete`), the header-bound output members, a stream read while the
//! server is still holding the rest back, and every way the stream can break
//! (a bad CRC, a frame cut short, a dropped connection, an `error` message)
//! ending as a typed error, never a panic. The same calls run over HTTP/1.1.

use std::time::Duration;

use integration_tests::lambda_server::{
    self, LambdaServer, CHUNK, CORRUPT_CRC, CUT_MID_FRAME, DEFAULT_PAYLOAD, DROPPED, ECHO,
    ERROR_CODE, ERROR_MESSAGE, FAILING, GATED, LOG_TAIL, UNKNOWN_EVENT,
};
use integration_tests::stream_loopback;
use lambda_test_client::operation::invoke_with_response_stream::{
    InvokeWithResponseStreamError, InvokeWithResponseStreamOutput,
};
use lambda_test_client::primitives::Blob;
use lambda_test_client::types::{
    InvokeWithResponseStreamCompleteEvent, InvokeWithResponseStreamResponseEvent as Event,
    InvokeWithResponseStreamResponseEventError as EventError, LogType,
};
use lambda_test_client::{Client, Config};
use smithy_runtime::event_stream::{EventReceiver, EventStreamError, FrameError};

async fn start() -> (LambdaServer, Client) {
    let server = lambda_server::start().await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(stream_loopback::credentials())
        .build();
    let client = Client::new(&config);
    (server, client)
}

async fn invoke(client: &Client, function: &str, payload: &[u8]) -> InvokeWithResponseStreamOutput {
    client
        .invoke_with_response_stream()
        .function_name(function)
        .payload(Blob::new(payload.to_vec()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("InvokeWithResponseStream {function}: {e}"))
}

fn events(output: InvokeWithResponseStreamOutput) -> EventReceiver<Event, EventError> {
    output
        .event_stream
        .expect("the output carries the event stream")
}

/// Every event until the stream ends or fails: the chunks' bytes in order,
/// the completion event, and the error that ended it, if any.
struct Read {
    chunks: Vec<Vec<u8>>,
    complete: Option<InvokeWithResponseStreamCompleteEvent>,
    unknown: usize,
    error: Option<EventStreamError<EventError>>,
}

async fn read_all(mut events: EventReceiver<Event, EventError>) -> Read {
    let mut read = Read {
        chunks: Vec::new(),
        complete: None,
        unknown: 0,
        error: None,
    };
    loop {
        match events.recv().await {
            Ok(Some(Event::PayloadChunk(update))) => {
                read.chunks
                    .push(update.payload.map(Blob::into_inner).unwrap_or_default());
            }
            Ok(Some(Event::InvokeComplete(done))) => read.complete = Some(done),
            Ok(Some(_)) => read.unknown += 1,
            Ok(None) => return read,
            Err(error) => {
                read.error = Some(error);
                return read;
            }
        }
    }
}

#[tokio::test]
async fn chunks_arrive_in_order_and_the_stream_ends_with_invoke_complete() {
    let (server, client) = start().await;
    let payload = br#"{"question":"what streams in the loopback lambda?"}"#;
    let output = client
        .invoke_with_response_stream()
        .function_name(ECHO)
        .qualifier("7")
        .log_type(LogType::Tail)
        .payload(Blob::new(payload.to_vec()))
        .send()
        .await
        .expect("InvokeWithResponseStream");
    // The header-bound members and the status code.
    assert_eq!(output.status_code, 200);
    assert_eq!(output.executed_version.as_deref(), Some("7"));
    assert_eq!(
        output.response_stream_content_type.as_deref(),
        Some("application/vnd.amazon.eventstream")
    );

    let read = read_all(events(output)).await;
    assert!(read.error.is_none(), "{:?}", read.error);
    let expected: Vec<Vec<u8>> = payload.chunks(CHUNK).map(<[u8]>::to_vec).collect();
    assert_eq!(
        read.chunks, expected,
        "each PayloadChunk's @eventPayload, in order"
    );
    let complete = read.complete.expect("InvokeComplete closes the stream");
    assert_eq!(complete.log_result.as_deref(), Some(LOG_TAIL));
    assert_eq!(complete.error_code, None);

    // The request: the label, the query and header bindings, and a signature
    // the server recomputed itself.
    let request = server.requests().pop().expect("one request");
    assert_eq!(
        request.path,
        format!("/2021-11-15/functions/{ECHO}/response-streaming-invocations?Qualifier=7")
    );
    assert_eq!(request.header("x-amz-log-type"), Some("Tail"));
    assert_eq!(request.version, http::Version::HTTP_11);
    server.with_state(|lambda| {
        assert_eq!(lambda.payloads, vec![bytes::Bytes::from_static(payload)]);
        assert_eq!(lambda.signatures, vec![Ok(())]);
    });
}

#[tokio::test]
async fn events_are_yielded_while_the_function_still_runs() {
    let (server, client) = start().await;
    let mut events = events(invoke(&client, GATED, DEFAULT_PAYLOAD).await);
    // The server sends one chunk and then waits: a client that buffered the
    // body would never see it.
    let first = tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("the first chunk arrives before the body ends")
        .expect("an event");
    let Some(Event::PayloadChunk(first)) = first else {
        panic!("not a chunk: {first:?}")
    };
    assert_eq!(
        first.payload.map(Blob::into_inner).as_deref(),
        Some(&DEFAULT_PAYLOAD[..CHUNK])
    );
    server.open_gate();
    let rest = read_all(events).await;
    assert!(rest.error.is_none(), "{:?}", rest.error);
    assert_eq!(rest.chunks.concat(), &DEFAULT_PAYLOAD[CHUNK..]);
    assert!(rest.complete.is_some());
}

#[tokio::test]
async fn a_failed_function_is_reported_in_invoke_complete() {
    let (_server, client) = start().await;
    let read = read_all(events(invoke(&client, FAILING, b"").await)).await;
    assert!(read.error.is_none(), "{:?}", read.error);
    assert_eq!(read.chunks.len(), 1);
    let complete = read.complete.expect("InvokeComplete");
    assert_eq!(complete.error_code.as_deref(), Some("Unhandled"));
    assert_eq!(
        complete.error_details.as_deref(),
        Some("the loopback function threw")
    );
}

#[tokio::test]
async fn a_frame_with_a_bad_crc_is_a_typed_frame_error() {
    let (_server, client) = start().await;
    let read = read_all(events(invoke(&client, CORRUPT_CRC, b"").await)).await;
    assert_eq!(
        read.chunks.len(),
        1,
        "the good frame before it is delivered"
    );
    assert!(
        read.complete.is_none(),
        "nothing after the corrupt frame is trusted"
    );
    match read.error {
        Some(EventStreamError::Frame(error)) => {
            assert!(
                matches!(error, FrameError::MessageCrcMismatch { .. }),
                "{error:?}"
            );
            assert!(error.to_string().to_lowercase().contains("crc"), "{error}");
        }
        other => panic!("expected a frame error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stream_cut_mid_frame_is_an_error_not_a_clean_end() {
    let (_server, client) = start().await;
    let read = read_all(events(invoke(&client, CUT_MID_FRAME, b"").await)).await;
    assert_eq!(read.chunks.len(), 1);
    match read.error {
        Some(EventStreamError::Frame(error)) => {
            assert!(matches!(error, FrameError::Truncated { .. }), "{error:?}");
        }
        other => panic!("expected a truncated-frame error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let (server, client) = start().await;
    let mut events = events(invoke(&client, DROPPED, b"").await);
    let first = events.recv().await.expect("the first chunk");
    assert!(matches!(first, Some(Event::PayloadChunk(_))), "{first:?}");
    server.open_gate();
    let read = read_all(events).await;
    assert!(read.chunks.is_empty() && read.complete.is_none());
    assert!(
        matches!(read.error, Some(EventStreamError::Transport(_))),
        "{:?}",
        read.error
    );
}

#[tokio::test]
async fn an_error_message_is_unmodeled_with_its_code_and_message() {
    let (_server, client) = start().await;
    let read = read_all(events(invoke(&client, ERROR_MESSAGE, b"").await)).await;
    assert_eq!(read.chunks.len(), 1);
    match read.error {
        Some(EventStreamError::Unmodeled { code, message }) => {
            assert_eq!(code, ERROR_CODE);
            assert!(message.contains("Rate exceeded"), "{message}");
        }
        other => panic!("expected an unmodeled error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_event_type_the_model_does_not_know_is_kept_as_unknown() {
    let (_server, client) = start().await;
    let read = read_all(events(invoke(&client, UNKNOWN_EVENT, b"abc").await)).await;
    assert!(read.error.is_none(), "{:?}", read.error);
    assert_eq!(read.unknown, 1);
    assert_eq!(read.chunks, vec![b"abc".to_vec()]);
    assert!(read.complete.is_some());
}

#[tokio::test]
async fn an_http_error_before_the_stream_is_the_operation_error() {
    let (_server, client) = start().await;
    let error = client
        .invoke_with_response_stream()
        .function_name("no-such-function")
        .send()
        .await
        .expect_err("404");
    let service_error = error.as_service_error().expect("a service error");
    let InvokeWithResponseStreamError::ResourceNotFoundException(missing) = service_error else {
        panic!("not ResourceNotFoundException: {service_error:?}");
    };
    assert!(missing
        .message()
        .unwrap_or_default()
        .contains("no-such-function"));
}
