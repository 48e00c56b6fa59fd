//! Streaming calls (`ClientHandle::call_streaming`) end to end: hand-written
//! fake operations against a real loopback hyper server, through the real
//! hyper client, signer and attempt loop. Uploads of a file, a stream and
//! bytes; a download read chunk by chunk while the server is still sending;
//! retries that replay a file and refuse to replay a one-shot stream;
//! `@requiresLength`; the payload hash each body is signed with.

mod support;

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::StreamBody;
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::auth::sigv4::{Payload, SigningSettings};
use smithy_runtime::behavior::attempts::SendErrorKind;
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::behavior::sleep::{ManualTimeSource, TimeSource};
use smithy_runtime::client::{
    CallContext, Interceptor, ClientHandle, Config, OperationSpec, SdkError, ServiceSpec, Unhandled,
};
use smithy_runtime::endpoint::EndpointParams;
use smithy_runtime::event_stream::SigningSlot;
use smithy_runtime::http::HttpErrorKind;
use smithy_runtime::primitives::ByteStream;
use smithy_runtime::protocol::{DeserializeError, ErrorMetadata, SerializeError};
use support::{operation, Action, FakeSleep, RecordedRequest, ScriptedServer};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// 2024-01-02T03:04:05Z, the signing time of every test.
const NOW_SECS: u64 = 1_704_164_645;
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A service without endpoint rules (every test sets `endpoint_url`),
/// signed as `signing_name`.
fn service(signing_name: &'static str) -> &'static ServiceSpec {
    Box::leak(Box::new(ServiceSpec {
        service_id: "Streaming Test",
        signing_name,
        endpoint_rules: None,
        api_version: "2024-01-01",
        protocol: smithy_runtime::protocol::Protocol::RestJson1,
        query_compatible: false,
        retryable_errors: &[],
    }))
}

static UPLOAD: OperationSpec = operation("Upload", false, false);
static UPLOAD_UNSIGNED: OperationSpec = operation("UploadUnsigned", true, false);
static UPLOAD_WITH_LENGTH: OperationSpec = operation("UploadWithLength", false, true);
static DOWNLOAD: OperationSpec = operation("Download", false, false);

fn handle(server_url: &str, signing_name: &'static str, retries: u32) -> (ClientHandle, Arc<FakeSleep>) {
    let sleep = Arc::new(FakeSleep::new());
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", SECRET, None, None, "Test"))
        .sleep_impl(Arc::clone(&sleep))
        .time_source(ManualTimeSource::new(UNIX_EPOCH + Duration::from_secs(NOW_SECS)))
        .retry_config(RetryConfig::builder().max_attempts(retries).build())
        .endpoint_url(server_url)
        .build();
    (ClientHandle::new(&config, service(signing_name)), sleep)
}

fn put(body: ByteStream) -> Result<Request<ByteStream>, SerializeError> {
    let mut request = Request::new(body);
    *request.method_mut() = http::Method::PUT;
    *request.uri_mut() = "/object".parse().map_err(|_| SerializeError::new("bad uri"))?;
    Ok(request)
}

/// The output of the fake operations: the status and the unread body.
fn keep_body(response: Response<ByteStream>) -> Result<(u16, ByteStream), DeserializeError> {
    Ok((response.status().as_u16(), response.into_body()))
}

fn unhandled(_: &Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
    Ok(Unhandled::new(meta, None))
}

async fn upload(
    handle: &ClientHandle,
    op: &'static OperationSpec,
    request: Result<Request<ByteStream>, SerializeError>,
) -> Result<(u16, ByteStream), SdkError<Unhandled>> {
    handle
        .call_streaming(op, EndpointParams::new(), request, keep_body, unhandled)
        .await
}

/// `len` bytes that differ from one position to the next.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn file_with(content: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(content).expect("write");
    file.flush().expect("flush");
    file
}

/// A stream of the given chunks, then the end.
struct Chunks(std::vec::IntoIter<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.next())
    }
}

fn stream_of(chunks: &[&'static str]) -> ByteStream {
    let items: Vec<_> = chunks.iter().map(|c| Ok(Bytes::from_static(c.as_bytes()))).collect();
    ByteStream::from_stream(Chunks(items.into_iter()))
}

fn sha256_hex(data: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, data);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the signature of what the server received: signed again (its
/// signature removed) with `payload` as the payload hash, it must be the
/// same.
fn assert_signed_with(request: &RecordedRequest, service: &str, payload: Payload<'_>, settings: SigningSettings) {
    let time = UNIX_EPOCH + Duration::from_secs(NOW_SECS);
    let expected = support::resign(request, service, payload, settings, SECRET, time);
    let authorization = request.header("authorization");
    assert!(
        authorization.ends_with(&format!(", Signature={}", expected.signature())),
        "{authorization} is not signed with {payload:?}"
    );
}

#[tokio::test]
async fn a_file_is_uploaded_with_its_length_and_signed_by_its_hash() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let (handle, _) = handle(&server.url(""), "s3", 3);
    let content = pattern(300_000);
    let file = file_with(&content);
    let body = ByteStream::from_path(file.path()).await.expect("from_path");
    let (status, _) = upload(&handle, &UPLOAD, put(body)).await.expect("upload");
    assert_eq!(status, 200);
    let requests = server.requests();
    let received = &requests[0];
    assert_eq!(received.body.as_ref(), &content[..]);
    assert_eq!(received.header("content-length"), content.len().to_string());
    assert_eq!(received.header("transfer-encoding"), "");
    // S3's settings send the hash, computed by reading the file through.
    let hash = sha256_hex(&content);
    assert_eq!(received.header("x-amz-content-sha256"), hash);
    assert_signed_with(received, "s3", Payload::Precomputed(&hash), SigningSettings::s3());
}

#[tokio::test]
async fn a_stream_is_uploaded_chunked_and_signed_unsigned_payload() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}"), Action::json(200, "{}")]).await;
    let (handle, _) = handle(&server.url(""), "s3", 3);
    let (status, _) = upload(&handle, &UPLOAD, put(stream_of(&["streamed ", "in ", "chunks"])))
        .await
        .expect("upload");
    assert_eq!(status, 200);

    // Without S3's settings the hash is not sent, only signed.
    let (plain, _) = self::handle(&server.url(""), "svc", 3);
    upload(&plain, &UPLOAD, put(stream_of(&["again"]))).await.expect("upload");

    let requests = server.requests();
    let s3 = &requests[0];
    assert_eq!(s3.body.as_ref(), b"streamed in chunks");
    assert_eq!(s3.header("transfer-encoding"), "chunked");
    assert_eq!(s3.header("content-length"), "");
    assert_eq!(s3.header("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    assert_signed_with(s3, "s3", Payload::Unsigned, SigningSettings::s3());
    let svc = &requests[1];
    assert_eq!(svc.body.as_ref(), b"again");
    assert_eq!(svc.header("x-amz-content-sha256"), "");
    assert_signed_with(svc, "svc", Payload::Unsigned, SigningSettings::default());
}

#[tokio::test]
async fn bytes_are_signed_by_their_hash_unless_the_operation_is_unsigned() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}"), Action::json(200, "{}")]).await;
    let (handle, _) = handle(&server.url(""), "s3", 3);
    upload(&handle, &UPLOAD, put(ByteStream::from_static(b"in memory"))).await.expect("upload");
    upload(&handle, &UPLOAD_UNSIGNED, put(ByteStream::from_static(b"in memory"))).await.expect("upload");
    let requests = server.requests();
    assert_eq!(requests[0].header("x-amz-content-sha256"), sha256_hex(b"in memory"));
    assert_eq!(requests[0].header("content-length"), "9");
    assert_eq!(requests[1].header("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    assert_eq!(requests[1].body.as_ref(), b"in memory");
}

#[tokio::test]
async fn a_retry_sends_the_file_again_from_its_start() {
    let server = ScriptedServer::start(vec![Action::Close, Action::error(503, "ServiceUnavailable"), Action::json(200, "{}")]).await;
    let (handle, sleep) = handle(&server.url(""), "s3", 3);
    let content = pattern(150_000);
    let file = file_with(&content);
    let body = ByteStream::from_path(file.path()).await.expect("from_path");
    let (status, _) = upload(&handle, &UPLOAD, put(body)).await.expect("the third attempt succeeds");
    assert_eq!(status, 200);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.body.as_ref(), &content[..], "every attempt sends the whole file");
    }
    assert_eq!(sleep.backoffs().len(), 2);
}

#[tokio::test]
async fn a_one_shot_stream_is_not_retried_and_the_error_says_why() {
    let server = ScriptedServer::start(vec![Action::Close, Action::json(200, "{}")]).await;
    let (handle, sleep) = handle(&server.url(""), "svc", 3);
    let err = upload(&handle, &UPLOAD, put(stream_of(&["once"]))).await.expect_err("not retried");
    let SdkError::Dispatch(dispatch) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    let send = dispatch.send_error();
    assert_eq!(send.attempts(), 1);
    assert!(matches!(send.kind(), SendErrorKind::Http(HttpErrorKind::Io)), "{send:?}");
    assert!(send.not_retried().is_some_and(|why| why.contains("one-shot stream")));
    let text = err.to_string();
    assert!(text.contains("request failed after 1 attempt and not retried (the request body is a one-shot stream"), "{text}");
    assert_eq!(server.request_count(), 1);
    assert!(sleep.backoffs().is_empty(), "no backoff: no retry");

    // A retryable error response is returned as it is.
    let server = ScriptedServer::start(vec![Action::error(503, "ServiceUnavailable"), Action::json(200, "{}")]).await;
    let (handle, _) = self::handle(&server.url(""), "svc", 3);
    let err = upload(&handle, &UPLOAD, put(stream_of(&["once"]))).await.expect_err("not retried");
    let service = err.as_service_error().expect("the service's error");
    assert_eq!(service.code(), Some("ServiceUnavailable"));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn requires_length_refuses_a_stream_of_unknown_length_before_sending() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let (handle, _) = handle(&server.url(""), "svc", 3);
    let err = upload(&handle, &UPLOAD_WITH_LENGTH, put(stream_of(&["no length"]))).await.expect_err("refused");
    assert!(matches!(err, SdkError::Construction(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("operation `UploadWithLength` requires the length of its streaming body"), "{text}");
    assert_eq!(server.request_count(), 0, "nothing was sent");

    let declared = stream_of(&["with ", "length"]).with_length(11);
    upload(&handle, &UPLOAD_WITH_LENGTH, put(declared)).await.expect("a declared length is enough");
    let requests = server.requests();
    assert_eq!(requests[0].header("content-length"), "11");
    assert_eq!(requests[0].body.as_ref(), b"with length");
}

#[tokio::test]
async fn a_failing_upload_stream_is_a_request_body_error() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let (handle, _) = handle(&server.url(""), "svc", 3);
    let items = vec![Ok(Bytes::from_static(b"start")), Err(std::io::Error::other("source lost"))];
    let body = ByteStream::from_stream(Chunks(items.into_iter()));
    let err = upload(&handle, &UPLOAD, put(body)).await.expect_err("the body fails");
    let SdkError::Dispatch(dispatch) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert_eq!(dispatch.send_error().kind(), SendErrorKind::Http(HttpErrorKind::RequestBody));
    assert!(err.to_string().ends_with("request body error: source lost"), "{err}");
}

#[tokio::test]
async fn an_event_stream_request_is_signed_for_events_and_fills_the_slot() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let (handle, _) = handle(&server.url(""), "svc", 3);
    let slot = SigningSlot::new();
    let mut request = put(stream_of(&["frames"])).expect("request");
    request.extensions_mut().insert(slot.clone());
    upload(&handle, &UPLOAD, Ok(request)).await.expect("sent");
    let requests = server.requests();
    let received = &requests[0];
    assert_eq!(received.header("x-amz-content-sha256"), "STREAMING-AWS4-HMAC-SHA256-EVENTS");
    let settings = SigningSettings {
        content_sha256_header: true,
        ..SigningSettings::default()
    };
    assert_signed_with(received, "svc", Payload::Precomputed("STREAMING-AWS4-HMAC-SHA256-EVENTS"), settings);
    let params = slot.get().expect("the call filled the slot");
    let authorization = received.header("authorization");
    assert!(authorization.ends_with(&format!(", Signature={}", params.seed_signature)), "{authorization}");
    assert_eq!(params.region, "us-east-1");
    assert_eq!(params.service, "svc");
    assert_eq!(params.credentials.access_key_id(), "AKID");
    assert_eq!(params.clock.now(), UNIX_EPOCH + Duration::from_secs(NOW_SECS));
}

/// A server that answers every request with 200 and a body of the chunks
/// it is sent through the returned channel, ending when the channel closes.
async fn chunk_server() -> (SocketAddr, mpsc::UnboundedSender<Bytes>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (chunks, mut receiver) = mpsc::unbounded_channel::<Bytes>();
    tokio::spawn(async move {
        let Ok((stream, _)) = listener.accept().await else { return };
        let (frames, frames_in) = mpsc::unbounded_channel::<Result<Frame<Bytes>, Infallible>>();
        tokio::spawn(async move {
            while let Some(chunk) = receiver.recv().await {
                if frames.send(Ok(Frame::data(chunk))).is_err() {
                    return;
                }
            }
        });
        let frames_in = std::sync::Mutex::new(Some(frames_in));
        let service = service_fn(move |_request: Request<Incoming>| {
            let frames = frames_in.lock().expect("lock").take();
            async move {
                let frames = frames.expect("one request per server");
                let body = StreamBody::new(Receiver(frames));
                Ok::<_, Infallible>(Response::new(body))
            }
        });
        let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
    });
    (addr, chunks)
}

/// An unbounded receiver as a stream.
struct Receiver<T>(mpsc::UnboundedReceiver<T>);

impl<T> futures_core::Stream for Receiver<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.get_mut().0.poll_recv(cx)
    }
}

#[tokio::test]
async fn a_download_is_read_chunk_by_chunk_while_the_server_is_still_sending() {
    let (addr, chunks) = chunk_server().await;
    let (handle, _) = handle(&format!("http://{addr}"), "svc", 3);
    chunks.send(Bytes::from_static(b"first chunk")).expect("send");
    let mut get = Request::new(ByteStream::new());
    *get.uri_mut() = "/object".parse().expect("uri");
    // Spawned: the call's future is Send.
    let call = tokio::spawn(async move {
        handle.call_streaming(&DOWNLOAD, EndpointParams::new(), Ok(get), keep_body, unhandled).await
    });
    let (status, mut body) = call.await.expect("join").expect("the head arrived");
    assert_eq!(status, 200);
    assert_eq!(body.content_length(), None, "chunked: no length");
    // The call returned with only the first chunk sent: nothing was buffered.
    assert_eq!(body.next().await.transpose().expect("read").as_deref(), Some(&b"first chunk"[..]));
    let big = Bytes::from(pattern(1 << 20));
    chunks.send(big.clone()).expect("send");
    let mut received = 0;
    while received < big.len() {
        let chunk = body.next().await.expect("more").expect("read");
        assert_eq!(chunk, big.slice(received..received + chunk.len()));
        received += chunk.len();
    }
    chunks.send(Bytes::from_static(b"last")).expect("send");
    drop(chunks);
    let rest = body.collect().await.expect("the rest");
    assert_eq!(rest.as_ref(), b"last");
}

#[tokio::test]
async fn a_download_larger_than_the_response_cap_is_not_capped() {
    let (addr, chunks) = chunk_server().await;
    let sleep = Arc::new(FakeSleep::new());
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", SECRET, None, None, "Test"))
        .sleep_impl(sleep)
        .endpoint_url(format!("http://{addr}"))
        .max_response_body_size(16)
        .build();
    let handle = ClientHandle::new(&config, service("svc"));
    for _ in 0..4 {
        chunks.send(Bytes::from_static(b"0123456789")).expect("send");
    }
    drop(chunks);
    let mut get = Request::new(ByteStream::new());
    *get.uri_mut() = "/object".parse().expect("uri");
    let (_, body) = handle
        .call_streaming(&DOWNLOAD, EndpointParams::new(), Ok(get), keep_body, unhandled)
        .await
        .expect("streamed");
    assert_eq!(body.collect().await.expect("read").len(), 40);
}

#[tokio::test]
async fn an_error_response_of_a_streaming_call_is_read_and_parsed() {
    let server = ScriptedServer::start(vec![Action::error(404, "NoSuchKey")]).await;
    let (handle, _) = handle(&server.url(""), "svc", 1);
    let mut get = Request::new(ByteStream::new());
    *get.uri_mut() = "/missing".parse().expect("uri");
    let err = handle
        .call_streaming(&DOWNLOAD, EndpointParams::new(), Ok(get), keep_body, unhandled)
        .await
        .expect_err("404");
    let service = err.as_service_error().expect("service error");
    assert_eq!(service.code(), Some("NoSuchKey"));
    assert_eq!(service.message(), Some("scripted NoSuchKey"));
}

/// Records the body each hook of a streaming call sees, adds a signed
/// header, and replaces an empty-looking body when told to.
#[derive(Debug, Default)]
struct BodyWatcher {
    seen: std::sync::Mutex<Vec<(&'static str, Bytes)>>,
    replace_with: Option<&'static str>,
}

impl Interceptor for BodyWatcher {
    fn modify_before_signing(&self, _: &CallContext<'_>, request: &mut Request<Bytes>) -> Result<(), smithy_runtime::http::BoxError> {
        self.seen.lock().expect("lock").push(("signing", request.body().clone()));
        request.headers_mut().insert("x-watched", http::HeaderValue::from_static("yes"));
        if let Some(text) = self.replace_with {
            *request.body_mut() = Bytes::from_static(text.as_bytes());
        }
        Ok(())
    }

    fn read_after_response(&self, _: &CallContext<'_>, response: &Response<Bytes>) -> Result<(), smithy_runtime::http::BoxError> {
        self.seen.lock().expect("lock").push(("response", response.body().clone()));
        Ok(())
    }
}

#[tokio::test]
async fn interceptors_see_bytes_as_they_are_and_a_stream_as_empty() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}"), Action::json(200, "{}"), Action::json(200, "{}")]).await;
    let watcher = Arc::new(BodyWatcher::default());
    let (plain, _) = handle(&server.url(""), "svc", 1);
    let config = plain.config().to_builder().interceptor(Arc::clone(&watcher)).build();
    let watched = ClientHandle::new(&config, plain.service());
    upload(&watched, &UPLOAD, put(ByteStream::from_static(b"bytes"))).await.expect("bytes");
    upload(&watched, &UPLOAD, put(stream_of(&["stream"]))).await.expect("stream");
    let seen = watcher.seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        [
            ("signing", Bytes::from_static(b"bytes")),
            ("response", Bytes::new()),
            ("signing", Bytes::new()),
            ("response", Bytes::new()),
        ],
        "a 2xx response's body is streamed, so the hook sees it empty"
    );
    let replacing = Arc::new(BodyWatcher { replace_with: Some("replaced"), ..BodyWatcher::default() });
    let config = plain.config().to_builder().interceptor(replacing).build();
    let replaced = ClientHandle::new(&config, plain.service());
    upload(&replaced, &UPLOAD, put(stream_of(&["stream"]))).await.expect("replaced");
    let requests = server.requests();
    assert_eq!(requests[0].body.as_ref(), b"bytes");
    assert_eq!(requests[1].body.as_ref(), b"stream", "the stream was sent, not the empty view");
    assert_eq!(requests[2].body.as_ref(), b"replaced", "a body set by the hook replaces the stream");
    for request in &requests {
        assert_eq!(request.header("x-watched"), "yes");
        assert!(request.header("authorization").contains("x-watched"), "the header was signed");
    }
}

#[tokio::test]
async fn a_buffered_call_of_an_unsigned_payload_operation_signs_unsigned_payload() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let (handle, _) = handle(&server.url(""), "svc", 1);
    let mut request = Request::new(Bytes::from_static(b"{}"));
    *request.method_mut() = http::Method::POST;
    *request.uri_mut() = "/op".parse().expect("uri");
    // As the generated serializer sets it, so that it is signed.
    request.headers_mut().insert("content-length", http::HeaderValue::from_static("2"));
    let ignore = |_: &Response<Bytes>| Ok::<(), DeserializeError>(());
    handle.call(&UPLOAD_UNSIGNED, Ok(request), ignore, unhandled).await.expect("sent");
    let requests = server.requests();
    assert_eq!(requests[0].body.as_ref(), b"{}");
    assert_eq!(requests[0].header("x-amz-content-sha256"), "", "not sent without S3's settings");
    assert_signed_with(&requests[0], "svc", Payload::Unsigned, SigningSettings::default());
}

/// A transport whose streaming responses come from a script, their bodies
/// streamed (unread), as a transport other than `HyperClient` may return
/// them.
#[derive(Debug)]
struct StreamedResponses(std::sync::Mutex<Vec<(u16, &'static str)>>);

impl smithy_runtime::http::HttpClient for StreamedResponses {
    fn call(&self, _: Request<Bytes>) -> smithy_runtime::http::HttpFuture<'_> {
        Box::pin(async { Err(smithy_runtime::http::HttpError::other("only call_streaming is scripted")) })
    }

    fn call_streaming(&self, _: Request<ByteStream>) -> smithy_runtime::http::StreamingHttpFuture<'_> {
        let (status, body) = self.0.lock().expect("lock").remove(0);
        Box::pin(async move {
            let mut response = Response::new(stream_of(&[body]));
            *response.status_mut() = http::StatusCode::from_u16(status).expect("status");
            Ok(response)
        })
    }
}

#[tokio::test]
async fn a_streamed_error_body_is_read_whole_to_classify_it_and_capped() {
    let throttled = r#"{"__type":"ThrottlingException","message":"slow down"}"#;
    let script = vec![(400, throttled), (200, "done")];
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", SECRET, None, None, "Test"))
        .sleep_impl(Arc::new(FakeSleep::new()))
        .endpoint_url("http://127.0.0.1:1")
        .http_client(StreamedResponses(std::sync::Mutex::new(script)))
        .build();
    let handle = ClientHandle::new(&config, service("svc"));
    let (status, body) = upload(&handle, &UPLOAD, put(ByteStream::from_static(b"x"))).await.expect("retried once");
    assert_eq!(status, 200, "a 400 is retried only for the throttling code its streamed body carries");
    assert_eq!(body.collect().await.expect("read").as_ref(), b"done");

    let config = config
        .to_builder()
        .http_client(StreamedResponses(std::sync::Mutex::new(vec![(500, throttled)])))
        .max_response_body_size(10)
        .build();
    let handle = ClientHandle::new(&config, service("svc"));
    let err = upload(&handle, &UPLOAD, put(ByteStream::from_static(b"x"))).await.expect_err("too large");
    let SdkError::Dispatch(dispatch) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert!(dispatch.is_response_too_large(), "{err}");
}
