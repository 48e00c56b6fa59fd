//! `ClientHandle` marks the requests of an `OperationSpec::http2` operation
//! with `HttpVersionPreference::Http2` (and no other), whatever the
//! transport; without the runtime feature `http2` the default client refuses
//! them, naming the feature. The HTTP/2 transfers themselves are in
//! `tests/http2.rs`.

mod support;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response};
use smithy_runtime::client::{ClientHandle, Config};
use smithy_runtime::endpoint::EndpointParams;
use smithy_runtime::http::{HttpClient, HttpFuture, HttpVersionPreference};
use smithy_runtime::protocol::DeserializeError;
use support::versions::{body, request, unhandled, ORDINARY, OVER_H2, SERVICE};

/// Answers 200 to everything, recording the version each request asked for.
#[derive(Debug, Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(String, HttpVersionPreference)>>>);

impl HttpClient for Recorder {
    fn call(&self, request: Request<Bytes>) -> HttpFuture<'_> {
        let path = request.uri().path().to_owned();
        self.0.lock().expect("lock").push((path, HttpVersionPreference::of(&request)));
        Box::pin(async { Ok(Response::new(Bytes::new())) })
    }
}

fn ignore_buffered(_: &Response<Bytes>) -> Result<(), DeserializeError> {
    Ok(())
}

#[tokio::test]
async fn only_http2_operations_ask_the_transport_for_http2() {
    let recorder = Recorder::default();
    let config = Config::builder()
        .endpoint_url("http://versions.example")
        .http_client(recorder.clone())
        .build();
    let handle = ClientHandle::new(&config, &SERVICE);
    handle
        .call_streaming(&OVER_H2, EndpointParams::new(), request("/h2"), body, unhandled)
        .await
        .expect("h2 call");
    handle
        .call_streaming(&ORDINARY, EndpointParams::new(), request("/streaming"), body, unhandled)
        .await
        .expect("streaming call");
    let buffered = Request::post("/buffered").body(Bytes::from_static(b"{}")).expect("request");
    handle
        .call(&ORDINARY, Ok(buffered), ignore_buffered, unhandled)
        .await
        .expect("buffered call");
    let seen = recorder.0.lock().expect("lock").clone();
    assert_eq!(
        seen,
        [
            ("/h2".to_owned(), HttpVersionPreference::Http2),
            ("/streaming".to_owned(), HttpVersionPreference::Http1),
            ("/buffered".to_owned(), HttpVersionPreference::Http1),
        ]
    );
}

#[cfg(not(feature = "http2"))]
#[tokio::test]
async fn without_the_feature_an_http2_operation_fails_naming_it() {
    // Nothing listens there: the call must fail before connecting.
    let config = Config::builder().endpoint_url("http://127.0.0.1:9").build();
    let handle = ClientHandle::new(&config, &SERVICE);
    let error = handle
        .call_streaming(&OVER_H2, EndpointParams::new(), request("/h2"), body, unhandled)
        .await
        .expect_err("no HTTP/2 in this build");
    assert!(matches!(error, smithy_runtime::client::SdkError::Dispatch(_)), "{error:?}");
    let chain = support::error_chain(&error);
    assert!(
        chain.contains("the client was built without smithy-runtime's `http2` feature"),
        "{chain}"
    );
}
