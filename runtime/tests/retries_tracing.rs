//! The attempt loop's tracing: one span per attempt naming the operation and
//! the attempt, and never a header value. A test binary of its own, with one
//! test, so no other test's tracing can interleave with the recorder.
//!
//! It also shows a custom [`HttpClient`] plugged into the loop.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use smithy_runtime::behavior::attempts::{send_with_retries, SendContext};
use smithy_runtime::behavior::retry::{RetryConfig, RetryQuota};
use smithy_runtime::behavior::sleep::{AsyncSleep, Sleep};
use smithy_runtime::behavior::timeout::TimeoutConfig;
use smithy_runtime::http::{HttpClient, HttpFuture};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const SECRET: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/secret-signature";

/// Answers 503 once, then 200; checks the secret header arrived.
#[derive(Debug, Default)]
struct FlakyService {
    calls: AtomicU64,
}

impl HttpClient for FlakyService {
    fn call(&self, request: Request<Bytes>) -> HttpFuture<'_> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        assert_eq!(request.headers()["authorization"], SECRET);
        Box::pin(async move {
            let status = if call == 0 { 503 } else { 200 };
            Ok(Response::builder()
                .status(status)
                .body(Bytes::from_static(b"{}"))
                .expect("static response"))
        })
    }
}

#[derive(Debug)]
struct NoWait;

impl AsyncSleep for NoWait {
    fn sleep(&self, duration: Duration) -> Sleep {
        if duration <= Duration::from_secs(20) {
            Box::pin(async {})
        } else {
            Box::pin(std::future::pending())
        }
    }
}

/// Records every span and event as text.
#[derive(Default)]
struct Recorder {
    spans: Mutex<Vec<String>>,
    events: Mutex<Vec<String>>,
    next_id: AtomicU64,
}

struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = Text(span.metadata().name().to_owned());
        span.record(&mut text);
        self.spans.lock().unwrap().push(text.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut text = Text("record".to_owned());
        values.record(&mut text);
        self.events.lock().unwrap().push(text.0);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = Text("event".to_owned());
        event.record(&mut text);
        self.events.lock().unwrap().push(text.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn one_span_per_attempt_and_no_header_values() {
    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Arc::clone(&recorder));
    let http = FlakyService::default();
    let ctx = SendContext {
        operation: "GetStage",
        http: &http,
        sleep: &NoWait,
        retry: &RetryConfig::default(),
        timeouts: &TimeoutConfig::default(),
        quota: &RetryQuota::standard(),
        errors: Default::default(),
        clock: None,
        rate_limiter: None,
    };

    let done = send_with_retries(ctx, |_attempt| async {
        Request::get("https://ivsrealtime.us-east-1.amazonaws.com/GetStage")
            .header("authorization", SECRET)
            .body(Bytes::new())
    })
    .await
    .unwrap();

    assert_eq!(done.attempts, 2);
    let spans = recorder.spans.lock().unwrap().clone();
    assert_eq!(
        spans,
        vec![
            r#"attempt operation="GetStage" attempt=1 max_attempts=3"#,
            r#"attempt operation="GetStage" attempt=2 max_attempts=3"#,
        ]
    );
    let events = recorder.events.lock().unwrap().clone();
    assert!(events.iter().any(|e| e.contains("retrying")), "{events:?}");
    for line in spans.iter().chain(&events) {
        assert!(!line.contains("secret"), "leaked: {line}");
        assert!(!line.contains("AKID"), "leaked: {line}");
    }
}
