//! What the client pipeline records with `tracing`: the `call` span's fields
//! and the per-attempt spans, and never a credential, a signature or a
//! response header's value.
//!
//! A binary of its own: the subscriber is a thread-local default, and
//! `tracing` caches per-callsite interest globally, so other tests hitting
//! the same callsites on other threads at the same time could hide spans
//! from it.

mod support;

use bytes::Bytes;
use http::{Request, Response};
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::client::{AuthScheme, ClientHandle, Config, OperationSpec, ServiceSpec, Unhandled};
use smithy_runtime::endpoint::LazyRuleSet;
use smithy_runtime::protocol::{DeserializeError, ErrorMetadata};
use smithy_runtime::protocol::http::{header_field, parse_header_i32};
use support::{Action, FakeSleep, ScriptedServer};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SESSION-TOKEN-EXAMPLE";

static RULES: LazyRuleSet = LazyRuleSet::new(
    r#"{"version": "1.0",
        "parameters": {"Endpoint": {"type": "string", "builtIn": "SDK::Endpoint"}},
        "rules": [{"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                   "endpoint": {"url": {"ref": "Endpoint"}}},
                  {"type": "error", "conditions": [], "error": "no endpoint"}]}"#,
);

static SERVICE: ServiceSpec = ServiceSpec {
    service_id: "IVS RealTime",
    signing_name: "ivs",
    endpoint_rules: Some(&RULES),
    api_version: "2020-07-14",
    protocol: smithy_runtime::protocol::Protocol::RestJson1,
    query_compatible: false,
    retryable_errors: &[],
};

static GET_STAGE: OperationSpec = OperationSpec {
    name: "GetStage",
    http_success_code: 200,
    auth: &[AuthScheme::Sigv4],
    optional_auth: false,
    request_compression: false,
    unsigned_payload: false,
    requires_length: false,
    http2: false,
};

fn parse_output(response: &Response<Bytes>) -> Result<usize, DeserializeError> {
    Ok(response.body().len())
}

fn parse_error(_: &Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
    Ok(Unhandled::new(meta, None))
}

/// A value only a response header holds, which must not reach tracing.
const HEADER_MARKER: &str = "MARKER-header-value-41c7";

/// Reads an integer header, as generated code does: the marker is no
/// integer, so this fails.
fn parse_count_header(response: &Response<Bytes>) -> Result<usize, DeserializeError> {
    let field = header_field(response.headers(), "x-count")?;
    let count = parse_header_i32(field.as_deref().unwrap_or_default(), "x-count")?;
    Ok(usize::try_from(count).unwrap_or_default())
}

async fn call_with(
    handle: &ClientHandle,
    parse_output: fn(&Response<Bytes>) -> Result<usize, DeserializeError>,
) -> Result<usize, smithy_runtime::client::SdkError<Unhandled>> {
    let request = Request::post("/GetStage")
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{}"))
        .map_err(|e| smithy_runtime::protocol::SerializeError::new(e.to_string()));
    handle
        .call(&GET_STAGE, request, parse_output, parse_error)
        .await
}

mod capture {
    use std::fmt;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Records every span name and every field value, as text.
    #[derive(Default, Clone)]
    pub struct Capture {
        pub lines: Arc<Mutex<Vec<String>>>,
        next_id: Arc<AtomicU64>,
        names: Arc<Mutex<Vec<(u64, &'static str)>>>,
    }

    struct Fields<'a>(&'a mut String);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
            self.0.push_str(&format!(" {}={:?}", field.name(), value));
        }
    }

    impl Capture {
        fn name_of(&self, id: &Id) -> &'static str {
            self.names
                .lock()
                .unwrap()
                .iter()
                .find(|(n, _)| *n == id.into_u64())
                .map(|(_, name)| *name)
                .unwrap_or("?")
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
            self.names
                .lock()
                .unwrap()
                .push((id, span.metadata().name()));
            let mut line = format!("span {}:", span.metadata().name());
            span.record(&mut Fields(&mut line));
            self.lines.lock().unwrap().push(line);
            Id::from_u64(id)
        }
        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut line = format!("record {}:", self.name_of(span));
            values.record(&mut Fields(&mut line));
            self.lines.lock().unwrap().push(line);
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut line = String::from("event:");
            event.record(&mut Fields(&mut line));
            self.lines.lock().unwrap().push(line);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn the_call_span_records_operation_attempts_and_request_id_and_no_secret() {
    let capture = capture::Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = ScriptedServer::start(vec![
        Action::error(503, "ServiceUnavailableException"),
        Action::Respond {
            status: 200,
            headers: vec![("x-amzn-requestid", "req-traced".to_owned())],
            body: r#"{"stage":{"name":"t"}}"#.to_owned(),
        },
        Action::Respond {
            status: 200,
            headers: vec![("x-count", HEADER_MARKER.to_owned())],
            body: HEADER_MARKER.to_owned(),
        },
    ])
    .await;
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new(
            "AKID",
            SECRET,
            Some(TOKEN.to_owned()),
            None,
            "T",
        ))
        .sleep_impl(FakeSleep::new())
        .endpoint_url(server.url(""))
        .build();
    let handle = ClientHandle::new(&config, &SERVICE);
    call_with(&handle, parse_output)
        .await
        .expect("second attempt succeeds");
    // A header that does not parse: the failure is traced, its value not.
    let error = call_with(&handle, parse_count_header)
        .await
        .expect_err("the header is no integer");
    assert!(error.to_string().contains("at `x-count`"), "{error}");

    let lines = capture.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    assert!(
        lines.iter().any(|l| l.starts_with("span call:")
            && l.contains("operation=\"GetStage\"")
            && l.contains("service=\"IVS RealTime\"")),
        "{all}"
    );
    for field in ["attempts=2", "status=200", "request_id=\"req-traced\""] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("record call:") && l.contains(field)),
            "{field} not recorded on the call span:\n{all}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("span attempt:") && l.contains("attempt=2")),
        "{all}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("success response could not be read") && l.contains("x-count")),
        "{all}"
    );
    for secret in [SECRET, TOKEN, "AWS4-HMAC-SHA256", "Signature=", HEADER_MARKER] {
        assert!(
            !all.contains(secret),
            "{secret} leaked into tracing:\n{all}"
        );
    }
}
