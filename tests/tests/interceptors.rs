//! Interceptors and per-call overrides on the generated IVS RealTime client,
//! through the replay HTTP client: each hook sees what it should, can change
//! the request where it may, and ends the call when it fails; `customize`
//! changes one call only.

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use ivs_realtime::{Client, Config};
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::client::{CallContext, CallOverrides, Interceptor, SdkError};
use smithy_runtime::http::BoxError;
use smithy_runtime::testing::{CannedResponse, ReplayClient};

const STAGE: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdEFGH1234";

/// Records every hook it runs in; fails the hook named in `fail`.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<String>>,
    fail: Option<&'static str>,
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Recorder")
    }
}

impl Recorder {
    fn failing(hook: &'static str) -> Arc<Self> {
        Arc::new(Recorder { fail: Some(hook), ..Recorder::default() })
    }

    fn note(&self, hook: &'static str, ctx: &CallContext<'_>, detail: String) -> Result<(), BoxError> {
        let line = format!("{hook} {} {}#{} {detail}", ctx.service(), ctx.operation(), ctx.attempt());
        self.seen.lock().expect("lock").push(line);
        if self.fail == Some(hook) {
            return Err(format!("{hook} says no").into());
        }
        Ok(())
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("lock").clone()
    }
}

impl Interceptor for Recorder {
    fn read_before_serialization(&self, ctx: &CallContext<'_>, input: &dyn fmt::Debug) -> Result<(), BoxError> {
        let input = format!("{input:?}");
        self.note("read_before_serialization", ctx, input.contains(STAGE).to_string())
    }

    fn modify_before_signing(&self, ctx: &CallContext<'_>, request: &mut http::Request<Bytes>) -> Result<(), BoxError> {
        request.headers_mut().insert("x-signed-extra", http::HeaderValue::from_static("1"));
        self.note("modify_before_signing", ctx, request.headers().contains_key("authorization").to_string())
    }

    fn modify_before_transmit(&self, ctx: &CallContext<'_>, request: &mut http::Request<Bytes>) -> Result<(), BoxError> {
        request.headers_mut().insert("x-unsigned-extra", http::HeaderValue::from_static("1"));
        self.note("modify_before_transmit", ctx, request.headers().contains_key("authorization").to_string())
    }

    fn read_after_response(&self, ctx: &CallContext<'_>, response: &http::Response<Bytes>) -> Result<(), BoxError> {
        self.note("read_after_response", ctx, response.status().as_u16().to_string())
    }
}

fn client(replay: &ReplayClient, recorder: &Arc<Recorder>) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .credentials_provider(Credentials::from_keys("AKIDHOOKS", "hooks/secret"))
        .http_client(replay.clone())
        .retry_config(RetryConfig::disabled())
        .interceptor(Arc::clone(recorder))
        .build();
    Client::new(&config)
}

fn stage_response() -> CannedResponse {
    CannedResponse::json(200, format!(r#"{{"stage": {{"arn": "{STAGE}", "name": "demo"}}}}"#))
}

#[tokio::test]
async fn every_hook_runs_in_order_and_the_request_changes_land_before_and_after_signing() {
    let replay = ReplayClient::new();
    replay.push(stage_response());
    let recorder = Arc::new(Recorder::default());
    client(&replay, &recorder).get_stage().arn(STAGE).send().await.expect("stage");

    assert_eq!(
        recorder.seen(),
        [
            "read_before_serialization IVS RealTime GetStage#0 true",
            "modify_before_signing IVS RealTime GetStage#1 false",
            "modify_before_transmit IVS RealTime GetStage#1 true",
            "read_after_response IVS RealTime GetStage#1 200",
        ]
    );
    let request = &replay.requests()[0];
    assert_eq!(request.header("x-signed-extra"), Some("1"));
    assert_eq!(request.header("x-unsigned-extra"), Some("1"));
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(authorization.contains("x-signed-extra"), "signed: {authorization}");
    assert!(!authorization.contains("x-unsigned-extra"), "added after signing: {authorization}");
}

#[tokio::test]
async fn a_failing_hook_before_the_response_ends_the_call_unsent() {
    for hook in ["read_before_serialization", "modify_before_signing", "modify_before_transmit"] {
        let replay = ReplayClient::new();
        replay.push(stage_response());
        let recorder = Recorder::failing(hook);
        let error = client(&replay, &recorder).get_stage().arn(STAGE).send().await.expect_err("hook fails");
        assert!(matches!(error, SdkError::Construction(_)), "{hook}: {error:?}");
        let text = format!("{error}");
        assert!(text.contains(&format!("`{hook}`: {hook} says no")), "{text}");
        assert!(replay.requests().is_empty(), "{hook}: nothing sent");
    }
}

#[tokio::test]
async fn a_failing_hook_after_the_response_is_a_response_error() {
    let replay = ReplayClient::new();
    replay.push(stage_response().header("x-amzn-requestid", "req-hook"));
    let recorder = Recorder::failing("read_after_response");
    let error = client(&replay, &recorder).get_stage().arn(STAGE).send().await.expect_err("hook fails");
    let SdkError::Response(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.request_id(), Some("req-hook"));
    assert!(format!("{error}").contains("read_after_response says no"), "{error}");
}

#[tokio::test]
async fn customize_changes_one_call_only() {
    let replay = ReplayClient::new();
    replay.push(stage_response()).push(stage_response());
    let recorder = Arc::new(Recorder::default());
    let client = client(&replay, &recorder);
    let extra = Arc::new(Recorder::default());
    client
        .get_stage()
        .arn(STAGE)
        .customize(
            CallOverrides::new()
                .endpoint_url("https://ivs.local.test:8443")
                .header("x-debug", "yes")
                .interceptor(Arc::clone(&extra)),
        )
        .send()
        .await
        .expect("customized call");
    client.get_stage().arn(STAGE).send().await.expect("plain call");

    let requests = replay.requests();
    assert_eq!(requests[0].uri().host(), Some("ivs.local.test"));
    assert_eq!(requests[0].header("x-debug"), Some("yes"));
    assert_eq!(requests[1].uri().host(), Some("ivsrealtime.us-west-2.amazonaws.com"));
    assert_eq!(requests[1].header("x-debug"), None);
    assert_eq!(extra.seen().len(), 4, "the call's own interceptor ran for that call only");
    assert_eq!(recorder.seen().len(), 8, "the client's interceptor ran for both");

    let error = client
        .get_stage()
        .arn(STAGE)
        .customize(CallOverrides::new().header("bad header", "x"))
        .send()
        .await
        .expect_err("invalid header");
    assert!(format!("{error}").contains("`bad header: x` is not a valid header"), "{error}");
}
