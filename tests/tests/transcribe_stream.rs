//! The Transcribe streaming client generated from
//! tests/models/clients/transcribe_stream.json (restJson1, an input and an
//! output event stream, `eventStreamHttp: ["h2"]`) against the loopback
//! Transcribe in `integration_tests::transcribe_server`, which refuses
//! anything but HTTP/2 and checks every audio message's `:chunk-signature`
//! with its own SigV4 event chain, seeded by a request signature it also
//! recomputes itself: audio sent as signed events and their end frame, a
//! JSON `ConfigurationEvent` in the same chain, transcripts read while audio
//! is still being sent, the exception event that ends a session as a typed
//! error, and a client with the wrong secret failing every check.

use std::time::Duration;

use bytes::Bytes;
use integration_tests::stream_loopback;
use integration_tests::transcribe_server::{
    self, TranscribeServer, SERVER_SESSION_ID, STREAMING_EVENTS,
};
use smithy_runtime::event_stream::{EventReceiver, EventStreamError, EventStreamSender};
use transcribe_streaming_test_client::operation::start_stream_transcription::StartStreamTranscriptionOutput;
use transcribe_streaming_test_client::primitives::Blob;
use transcribe_streaming_test_client::types::{
    AudioEvent, AudioStream, ChannelDefinition, ConfigurationEvent, LanguageCode, MediaEncoding,
    ParticipantRole, TranscriptResultStream, TranscriptResultStreamError,
};
use transcribe_streaming_test_client::{Client, Config};

type Transcripts = EventReceiver<TranscriptResultStream, TranscriptResultStreamError>;

async fn start() -> (TranscribeServer, Client) {
    let server = transcribe_server::start().await;
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(stream_loopback::credentials())
        .build();
    let client = Client::new(&config);
    (server, client)
}

fn audio(chunk: &Bytes) -> AudioStream {
    AudioStream::AudioEvent(
        AudioEvent::builder()
            .audio_chunk(Blob::new(chunk.to_vec()))
            .build(),
    )
}

/// Three chunks of 100 ms of 16 kHz 16-bit silence-ish audio.
fn chunks() -> Vec<Bytes> {
    (1..=3u8).map(|n| Bytes::from(vec![n; 3200])).collect()
}

async fn transcribe(
    client: &Client,
    audio_stream: EventStreamSender<AudioStream>,
) -> StartStreamTranscriptionOutput {
    client
        .start_stream_transcription()
        .language_code(LanguageCode::EnUs)
        .media_sample_rate_hertz(16_000)
        .media_encoding(MediaEncoding::Pcm)
        .audio_stream(audio_stream)
        .send()
        .await
        .expect("StartStreamTranscription")
}

/// The text of a transcript event's first result, and whether it is partial.
fn text(event: &TranscriptResultStream) -> (String, bool) {
    let TranscriptResultStream::TranscriptEvent(event) = event else {
        panic!("not a transcript: {event:?}")
    };
    let result = &event
        .transcript
        .as_ref()
        .and_then(|t| t.results.as_ref())
        .expect("results")[0];
    let alternative = &result.alternatives.as_ref().expect("alternatives")[0];
    (
        alternative.transcript.clone().unwrap_or_default(),
        result.is_partial,
    )
}

/// Every transcript until the stream ends or fails.
async fn read_all(
    transcripts: &mut Transcripts,
) -> (
    Vec<(String, bool)>,
    Option<EventStreamError<TranscriptResultStreamError>>,
) {
    let mut texts = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(20), transcripts.recv()).await {
            Err(_) => panic!("no event within 20 s after {texts:?}"),
            Ok(Ok(Some(event))) => texts.push(text(&event)),
            Ok(Ok(None)) => return (texts, None),
            Ok(Err(error)) => return (texts, Some(error)),
        }
    }
}

#[tokio::test]
async fn every_audio_chunk_is_signed_in_the_chain_and_verified_by_the_server() {
    let (server, client) = start().await;
    let chunks = chunks();
    let sender = EventStreamSender::from(chunks.iter().map(audio).collect::<Vec<_>>());
    let output = transcribe(&client, sender).await;
    assert_eq!(output.session_id.as_deref(), Some(SERVER_SESSION_ID));
    assert_eq!(output.language_code, Some(LanguageCode::EnUs));
    assert_eq!(output.media_sample_rate_hertz, Some(16_000));
    assert_eq!(output.media_encoding, Some(MediaEncoding::Pcm));
    assert_eq!(output.request_id.as_deref(), Some("loopback-transcribe-1"));
    let mut transcripts = output
        .transcript_result_stream
        .expect("the transcript stream");
    let (texts, closing) = read_all(&mut transcripts).await;

    let sessions = server.sessions();
    let [session] = sessions.as_slice() else {
        panic!("one session: {sessions:?}")
    };
    // The server refuses anything but HTTP/2, and says which version it got.
    assert_eq!(session.version, Some(http::Version::HTTP_2));
    assert_eq!(
        session.request_signature,
        Some(Ok(STREAMING_EVENTS.to_owned()))
    );
    assert_eq!(session.failures, Vec::<String>::new(), "nothing was wrong");
    assert_eq!(
        session.signatures_verified, 4,
        "three audio events and the end frame"
    );
    assert!(session.end_frame, "the signed empty frame ended the audio");
    assert_eq!(
        session.audio, chunks,
        "each AudioEvent's @eventPayload, in order"
    );

    assert_eq!(
        texts,
        vec![
            ("chunk 1: 3200 bytes".to_owned(), true),
            ("chunk 2: 3200 bytes".to_owned(), true),
            ("chunk 3: 3200 bytes".to_owned(), true),
            ("heard 3 chunks, 9600 bytes".to_owned(), false),
        ]
    );
    // The modeled exception event that ends the session, typed.
    match closing {
        Some(EventStreamError::Service(TranscriptResultStreamError::BadRequestException(
            error,
        ))) => {
            assert_eq!(
                error.message.as_deref(),
                Some("the loopback session is over")
            );
        }
        other => panic!("expected BadRequestException, got {other:?}"),
    }
    let request = &server.requests()[0];
    assert_eq!(
        request.header("x-amzn-transcribe-sample-rate"),
        Some("16000")
    );
    assert_eq!(
        request.header("x-amzn-transcribe-media-encoding"),
        Some("pcm")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/vnd.amazon.eventstream")
    );
}

#[tokio::test]
async fn transcripts_arrive_while_audio_is_still_being_sent() {
    let (server, client) = start().await;
    let (audio_in, sender) = EventStreamSender::channel(4);
    let output = transcribe(&client, sender).await;
    let mut transcripts = output
        .transcript_result_stream
        .expect("the transcript stream");
    // One chunk at a time: its transcript comes back before the next goes.
    for (n, chunk) in chunks().iter().enumerate() {
        audio_in
            .send(audio(chunk))
            .await
            .expect("the sender is open");
        let event = tokio::time::timeout(Duration::from_secs(20), transcripts.recv())
            .await
            .expect("a transcript for each chunk, while the stream is open")
            .expect("an event")
            .expect("not the end");
        assert_eq!(text(&event), (format!("chunk {}: 3200 bytes", n + 1), true));
    }
    drop(audio_in);
    let (texts, closing) = read_all(&mut transcripts).await;
    assert_eq!(
        texts,
        vec![("heard 3 chunks, 9600 bytes".to_owned(), false)]
    );
    assert!(matches!(
        closing,
        Some(EventStreamError::Service(
            TranscriptResultStreamError::BadRequestException(_)
        ))
    ));
    let session = &server.sessions()[0];
    assert_eq!(session.failures, Vec::<String>::new());
    assert_eq!(session.signatures_verified, 4);
    assert!(session.end_frame);
}

#[tokio::test]
async fn without_a_closing_exception_the_stream_ends_cleanly() {
    let (server, client) = start().await;
    server.with_state(|transcribe| transcribe.closing_exception = None);
    let sender = EventStreamSender::from(vec![audio(&Bytes::from_static(b"pcm"))]);
    let output = transcribe(&client, sender).await;
    let (texts, end) = read_all(&mut output.transcript_result_stream.expect("the stream")).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(
        texts.last(),
        Some(&("heard 1 chunks, 3 bytes".to_owned(), false))
    );
}

#[tokio::test]
async fn an_exception_the_model_does_not_list_is_unhandled_with_its_code_and_message() {
    let (server, client) = start().await;
    server.with_state(|transcribe| {
        transcribe.closing_exception = Some((
            "SomeFutureException".to_owned(),
            "from a later model".to_owned(),
        ));
    });
    let sender = EventStreamSender::from(vec![audio(&Bytes::from_static(b"pcm"))]);
    let output = transcribe(&client, sender).await;
    let (_, closing) = read_all(&mut output.transcript_result_stream.expect("the stream")).await;
    match closing {
        Some(EventStreamError::Service(error @ TranscriptResultStreamError::Unhandled(_))) => {
            assert_eq!(error.code(), Some("SomeFutureException"));
            assert_eq!(error.message(), Some("from a later model"));
        }
        other => panic!("expected an unhandled exception, got {other:?}"),
    }
}

#[tokio::test]
async fn a_configuration_event_goes_first_as_json_in_the_same_signed_chain() {
    let (server, client) = start().await;
    let channel = |id, role| {
        ChannelDefinition::builder()
            .channel_id(id)
            .participant_role(role)
            .build()
            .expect("both members set")
    };
    let configuration = ConfigurationEvent::builder()
        .channel_definitions(channel(0, ParticipantRole::Agent))
        .channel_definitions(channel(1, ParticipantRole::Customer))
        .build();
    let sender = EventStreamSender::from(vec![
        AudioStream::ConfigurationEvent(configuration),
        audio(&Bytes::from_static(b"pcm")),
    ]);
    let output = transcribe(&client, sender).await;
    let _ = read_all(&mut output.transcript_result_stream.expect("the stream")).await;
    let session = &server.sessions()[0];
    assert_eq!(session.failures, Vec::<String>::new());
    assert_eq!(
        session.signatures_verified, 3,
        "configuration, audio, end frame"
    );
    assert_eq!(
        session.configurations,
        vec![serde_json::json!({
            "ChannelDefinitions": [
                { "ChannelId": 0, "ParticipantRole": "AGENT" },
                { "ChannelId": 1, "ParticipantRole": "CUSTOMER" },
            ]
        })]
    );
}

#[tokio::test]
async fn signed_with_another_secret_the_server_rejects_every_message() {
    let server = transcribe_server::start().await;
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(
            smithy_runtime::auth::credentials::StaticCredentialsProvider::new(
                smithy_runtime::auth::credentials::Credentials::from_keys(
                    stream_loopback::ACCESS_KEY_ID,
                    "not the secret the server knows",
                ),
            ),
        )
        .build();
    let client = Client::new(&config);
    let sender = EventStreamSender::from(chunks().iter().map(audio).collect::<Vec<_>>());
    let output = transcribe(&client, sender).await;
    let _ = read_all(&mut output.transcript_result_stream.expect("the stream")).await;
    let session = &server.sessions()[0];
    // The checks are real: neither the request's signature nor any link of
    // the chain matches what the server computes with its secret.
    assert!(
        matches!(session.request_signature, Some(Err(_))),
        "{:?}",
        session.request_signature
    );
    assert_eq!(session.signatures_verified, 0);
    assert_eq!(session.failures.len(), 4, "{:?}", session.failures);
    assert!(session.audio.is_empty() && !session.end_frame);
}
