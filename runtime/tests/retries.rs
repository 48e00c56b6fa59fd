//! Fault injection against a real loopback HTTP server, through the real
//! hyper client and the real attempt loop. Backoff never waits: the sleep is
//! fake. Only the two timeout tests use the real tokio timer, for a few
//! hundred milliseconds.

mod support;

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::Request;
use smithy_runtime::behavior::attempts::{
    send_with_retries, send_with_retries_after, FinalResponse, SendContext, SendError,
    SendErrorKind,
};
use smithy_runtime::behavior::retry::classify::{ErrorPolicy, RetryableError};
use smithy_runtime::behavior::retry::clock_skew::SkewedClock;
use smithy_runtime::behavior::retry::{AdaptiveRateLimiter, RetryConfig, RetryQuota};
use smithy_runtime::behavior::sleep::{AsyncSleep, ManualTimeSource, TimeSource, TokioSleep};
use smithy_runtime::behavior::timeout::TimeoutConfig;
use smithy_runtime::http::{HttpErrorKind, HyperClient};
use support::{Action, FakeSleep, ScriptedServer};

/// One client's worth of runtime parts.
struct Harness {
    http: HyperClient,
    sleep: Arc<dyn AsyncSleep>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    quota: RetryQuota,
}

impl Harness {
    /// Defaults everywhere, with a fake sleep.
    fn new(sleep: Arc<FakeSleep>) -> Self {
        Harness {
            http: HyperClient::new(),
            sleep,
            retry: RetryConfig::default(),
            timeouts: TimeoutConfig::default(),
            quota: RetryQuota::standard(),
        }
    }

    fn ctx(&self) -> SendContext<'_> {
        SendContext {
            operation: "CreateStage",
            http: &self.http,
            sleep: &*self.sleep,
            retry: &self.retry,
            timeouts: &self.timeouts,
            quota: &self.quota,
            errors: Default::default(),
            clock: None,
            rate_limiter: None,
        }
    }

    /// Sends `POST {url}` with a small JSON body, rebuilt for every attempt.
    async fn send(&self, url: String) -> Result<FinalResponse, SendError> {
        send_with_retries(self.ctx(), move |_attempt| {
            let request = Request::post(url.clone())
                .header("content-type", "application/json")
                .body(Bytes::from_static(br#"{"name":"stage"}"#));
            async move { request }
        })
        .await
    }
}

fn sdk_requests(max: u32, attempts: u32) -> Vec<String> {
    (1..=attempts)
        .map(|n| format!("attempt={n}; max={max}"))
        .collect()
}

fn assert_one_invocation_id(server: &ScriptedServer) -> String {
    let ids: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id"))
        .collect();
    let first = ids[0].clone();
    let parsed = uuid::Uuid::parse_str(&first).expect("invocation id is a UUID");
    assert_eq!(parsed.get_version_num(), 4);
    assert!(ids.iter().all(|id| *id == first), "{ids:?}");
    first
}

#[tokio::test]
async fn service_unavailable_then_success_takes_two_attempts() {
    let server = ScriptedServer::start(vec![
        Action::json(503, r#"{"message":"busy"}"#),
        Action::json(200, r#"{"stage":{"arn":"arn:aws:ivs:stage/abc"}}"#),
    ])
    .await;
    let sleep = Arc::new(FakeSleep::new());
    let harness = Harness::new(sleep.clone());

    let done = harness.send(server.url("/CreateStage")).await.unwrap();

    assert_eq!(done.response.status(), 200);
    assert_eq!(done.attempts, 2);
    assert_eq!(
        done.response.body().as_ref(),
        br#"{"stage":{"arn":"arn:aws:ivs:stage/abc"}}"#
    );
    assert_eq!(server.request_count(), 2);
    assert_eq!(server.sdk_request_headers(), sdk_requests(3, 2));
    assert_one_invocation_id(&server);
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.method == "POST"
        && r.uri.path() == "/CreateStage"
        && r.body.as_ref() == br#"{"name":"stage"}"#));
    // One backoff, within [0, 1 s); the operation timer once and the attempt
    // timer per attempt, all armed with their defaults.
    let backoffs = sleep.backoffs();
    assert_eq!(backoffs.len(), 1);
    assert!(backoffs[0] <= Duration::from_secs(1), "{backoffs:?}");
    assert_eq!(
        sleep.timers(),
        vec![
            Duration::from_secs(100),
            Duration::from_secs(30),
            Duration::from_secs(30)
        ]
    );
    // The retry cost 5 tokens and the success gave them back.
    assert_eq!(harness.quota.available(), 500);
}

#[tokio::test]
async fn throttling_error_code_in_header_is_retried() {
    let server = ScriptedServer::start(vec![
        Action::error(400, "ThrottlingException"),
        Action::json(200, "{}"),
    ])
    .await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));

    let done = harness.send(server.url("/")).await.unwrap();

    assert_eq!(done.response.status(), 200);
    assert_eq!(done.attempts, 2);
    assert_eq!(server.request_count(), 2);
    assert_eq!(server.sdk_request_headers(), sdk_requests(3, 2));
}

#[tokio::test]
async fn throttling_error_code_in_body_is_retried() {
    let server = ScriptedServer::start(vec![
        Action::json(
            400,
            r#"{"__type":"com.amazonaws.ivsrealtime#TooManyRequestsException","message":"slow"}"#,
        ),
        Action::json(200, "{}"),
    ])
    .await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));

    let done = harness.send(server.url("/")).await.unwrap();

    assert_eq!(done.response.status(), 200);
    assert_eq!(server.sdk_request_headers(), sdk_requests(3, 2));
}

#[tokio::test]
async fn persistent_server_errors_stop_after_three_attempts_with_the_last_response() {
    let server = ScriptedServer::start(vec![
        Action::error(500, "InternalServerException"),
        Action::json(500, r#"{"message":"second"}"#),
        Action::json(500, r#"{"message":"third"}"#),
        Action::json(500, r#"{"message":"fourth"}"#),
    ])
    .await;
    let sleep = Arc::new(FakeSleep::new());
    let harness = Harness::new(sleep.clone());

    let done = harness.send(server.url("/")).await.unwrap();

    assert_eq!(done.response.status(), 500);
    assert_eq!(done.attempts, 3);
    assert_eq!(done.response.body().as_ref(), br#"{"message":"third"}"#);
    assert_eq!(server.request_count(), 3);
    assert_eq!(server.sdk_request_headers(), sdk_requests(3, 3));
    let backoffs = sleep.backoffs();
    assert_eq!(backoffs.len(), 2);
    assert!(backoffs[0] <= Duration::from_secs(1), "{backoffs:?}");
    assert!(backoffs[1] <= Duration::from_secs(2), "{backoffs:?}");
    // Two retries at 5 tokens, never refunded: the call failed.
    assert_eq!(harness.quota.available(), 490);
}

#[tokio::test]
async fn connection_closed_without_answer_is_retried() {
    let server = ScriptedServer::start(vec![Action::Close, Action::json(200, "{}")]).await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));

    let done = harness.send(server.url("/")).await.unwrap();

    assert_eq!(done.response.status(), 200);
    assert_eq!(done.attempts, 2);
    assert_eq!(server.request_count(), 2);
    assert_eq!(server.sdk_request_headers(), sdk_requests(3, 2));
    assert_one_invocation_id(&server);
    // A connection failure costs 10 tokens; the success refunds them.
    assert_eq!(harness.quota.available(), 500);
}

#[tokio::test]
async fn connection_closed_every_time_reports_an_io_error() {
    let server = ScriptedServer::start(vec![Action::Close, Action::Close, Action::Close]).await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));

    let err = harness.send(server.url("/")).await.unwrap_err();

    assert_eq!(err.kind(), SendErrorKind::Http(HttpErrorKind::Io));
    assert_eq!(err.attempts(), 3);
    assert!(err.http_error().is_some_and(|e| e.is_io()));
    assert!(
        err.to_string()
            .starts_with("request failed after 3 attempts: I/O error"),
        "{err}"
    );
    assert_eq!(server.sdk_request_headers(), sdk_requests(3, 3));
    assert_eq!(harness.quota.available(), 480);
}

#[tokio::test]
async fn refused_connections_are_retried_then_reported() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let harness = Harness::new(Arc::new(FakeSleep::new()));

    let err = harness.send(format!("http://{addr}/")).await.unwrap_err();

    assert_eq!(err.kind(), SendErrorKind::Http(HttpErrorKind::Connect));
    assert_eq!(err.attempts(), 3);
    assert!(!err.is_timeout());
}

#[tokio::test]
async fn silent_server_trips_the_attempt_timeout() {
    let server = ScriptedServer::start(vec![Action::Hang, Action::Hang]).await;
    let mut harness = Harness::new(Arc::new(FakeSleep::new()));
    // The one place a real timer runs: 2 attempts x 200 ms.
    harness.sleep = Arc::new(TokioSleep::new());
    harness.retry = RetryConfig::builder()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(1))
        .build();
    harness.timeouts = TimeoutConfig::builder()
        .attempt_timeout(Duration::from_millis(200))
        .build();

    let err = harness.send(server.url("/")).await.unwrap_err();

    assert_eq!(
        err.kind(),
        SendErrorKind::AttemptTimeout(Duration::from_millis(200))
    );
    assert!(err.is_timeout());
    assert_eq!(err.attempts(), 2);
    assert_eq!(
        err.to_string(),
        "attempt timed out after 200ms (2 attempts made)"
    );
    assert_eq!(server.request_count(), 2);
    assert_eq!(server.sdk_request_headers(), sdk_requests(2, 2));
    // One timeout retry, 10 tokens, not refunded.
    assert_eq!(harness.quota.available(), 490);
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let server =
        ScriptedServer::start(vec![Action::error(503, "ServiceUnavailable"), Action::Hang]).await;
    let mut harness = Harness::new(Arc::new(FakeSleep::new()));
    // Real timer: the operation gives up after 300 ms, during attempt 2.
    harness.sleep = Arc::new(TokioSleep::new());
    harness.retry = RetryConfig::builder()
        .initial_backoff(Duration::from_millis(1))
        .build();
    harness.timeouts = TimeoutConfig::builder()
        .set_attempt_timeout(None)
        .operation_timeout(Duration::from_millis(300))
        .build();

    let err = harness.send(server.url("/")).await.unwrap_err();

    assert_eq!(
        err.kind(),
        SendErrorKind::OperationTimeout(Duration::from_millis(300))
    );
    assert!(err.is_timeout());
    assert_eq!(err.attempts(), 2);
    assert_eq!(
        err.to_string(),
        "operation timed out after 300ms (2 attempts made); \
         last failure: HTTP 503 Service Unavailable (ServiceUnavailable)"
    );
    assert_eq!(server.sdk_request_headers(), sdk_requests(3, 2));
}

#[tokio::test]
async fn validation_error_is_returned_after_one_attempt() {
    let server = ScriptedServer::start(vec![
        Action::error(400, "ValidationException"),
        Action::json(200, "{}"),
    ])
    .await;
    let sleep = Arc::new(FakeSleep::new());
    let harness = Harness::new(sleep.clone());

    let done = harness.send(server.url("/")).await.unwrap();

    assert_eq!(done.response.status(), 400);
    assert_eq!(done.attempts, 1);
    assert_eq!(
        done.response.headers()["x-amzn-errortype"],
        "ValidationException"
    );
    assert_eq!(server.request_count(), 1);
    assert_eq!(server.sdk_request_headers(), sdk_requests(3, 1));
    assert!(sleep.backoffs().is_empty());
    assert_eq!(harness.quota.available(), 500);
}

#[tokio::test]
async fn exhausted_retry_quota_stops_retries_across_calls() {
    let sleep = Arc::new(FakeSleep::new());
    let mut harness = Harness::new(sleep.clone());
    // Room for exactly one 5-token retry.
    harness.quota = RetryQuota::new(7);

    let first = ScriptedServer::start(vec![
        Action::json(503, "{}"),
        Action::json(503, "{}"),
        Action::json(200, "{}"),
    ])
    .await;
    let done = harness.send(first.url("/")).await.unwrap();
    assert_eq!(done.response.status(), 503);
    assert_eq!(done.attempts, 2);
    assert_eq!(first.request_count(), 2);
    assert_eq!(first.sdk_request_headers(), sdk_requests(3, 2));
    assert_eq!(harness.quota.available(), 2);

    // The same client's next call cannot afford a single retry.
    let second =
        ScriptedServer::start(vec![Action::json(503, "{}"), Action::json(200, "{}")]).await;
    let done = harness.send(second.url("/")).await.unwrap();
    assert_eq!(done.response.status(), 503);
    assert_eq!(done.attempts, 1);
    assert_eq!(second.request_count(), 1);
    assert_eq!(second.sdk_request_headers(), sdk_requests(3, 1));
    assert_eq!(sleep.backoffs().len(), 1);
    let first_id = assert_one_invocation_id(&first);
    let second_id = assert_one_invocation_id(&second);
    assert_ne!(first_id, second_id);
}

#[tokio::test]
async fn backoff_delays_are_full_jitter_and_capped_at_20s() {
    let server = ScriptedServer::start(vec![Action::json(503, "{}"); 7]).await;
    let sleep = Arc::new(FakeSleep::new());
    let mut harness = Harness::new(sleep.clone());
    harness.retry = RetryConfig::builder()
        .max_attempts(7)
        .initial_backoff(Duration::from_secs(4))
        .build();

    let done = harness.send(server.url("/")).await.unwrap();

    assert_eq!(done.attempts, 7);
    assert_eq!(server.sdk_request_headers(), sdk_requests(7, 7));
    let backoffs = sleep.backoffs();
    let ceilings = [4, 8, 16, 20, 20, 20].map(Duration::from_secs);
    assert_eq!(backoffs.len(), ceilings.len());
    for (delay, ceiling) in backoffs.iter().zip(ceilings) {
        assert!(*delay <= ceiling, "{delay:?} > {ceiling:?}");
    }
}

#[tokio::test]
async fn build_failure_is_not_retried_and_sends_nothing() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));
    let mut calls = 0;

    let err = send_with_retries(harness.ctx(), |attempt| {
        calls += 1;
        assert_eq!(attempt.attempt(), 1);
        async { Err::<Request<Bytes>, _>("no credentials available") }
    })
    .await
    .unwrap_err();

    assert_eq!(err.kind(), SendErrorKind::BuildRequest);
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        err.to_string(),
        "failed to build the request for attempt 1: no credentials available"
    );
    assert_eq!(calls, 1);
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn what_is_prepared_once_is_given_to_every_attempt() {
    let server =
        ScriptedServer::start(vec![Action::json(503, "{}"), Action::json(200, "{}")]).await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));
    let url = server.url("/");
    let mut prepared = 0;
    let prepare = async {
        prepared += 1;
        Ok::<_, &str>("signing key")
    };
    let done = send_with_retries_after(harness.ctx(), "loading", prepare, |key, _attempt| {
        let request = Request::post(url.clone())
            .header("x-key", *key)
            .body(Bytes::new());
        async move { request }
    })
    .await
    .expect("answered");
    assert_eq!((done.response.status().as_u16(), done.attempts), (200, 2));
    assert_eq!(prepared, 1);
    assert!(server.requests().iter().all(|r| r.header("x-key") == "signing key"));
}

#[tokio::test]
async fn a_failed_preparation_names_its_phase_and_sends_nothing() {
    let server = ScriptedServer::start(vec![Action::json(200, "{}")]).await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));
    let prepare = async { Err::<(), _>("the provider said no") };
    let err = send_with_retries_after(harness.ctx(), "loading credentials", prepare, |_, _| async {
        Err::<Request<Bytes>, _>("never built")
    })
    .await
    .unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Prepare);
    assert_eq!(err.phase(), Some("loading credentials"));
    assert_eq!(err.attempts(), 0);
    assert_eq!(
        err.to_string(),
        "failed while loading credentials, before the first attempt: the provider said no"
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn hook_sees_each_attempt_and_can_sign_the_sdk_headers() {
    let server =
        ScriptedServer::start(vec![Action::json(502, "{}"), Action::json(200, "{}")]).await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));
    let url = server.url("/");
    let mut seen = Vec::new();

    let done = send_with_retries(harness.ctx(), |attempt| {
        seen.push((attempt.attempt(), attempt.max_attempts()));
        let mut request = Request::get(url.clone()).body(Bytes::new());
        if let Ok(request) = &mut request {
            // What a signer does: set the SDK headers, then sign them.
            attempt.apply_headers(request.headers_mut());
            let signed = format!("signed {}", attempt.sdk_request());
            request
                .headers_mut()
                .insert("x-test-signature", signed.parse().unwrap());
        }
        async move { request }
    })
    .await
    .unwrap();

    assert_eq!(done.attempts, 2);
    assert_eq!(seen, vec![(1, 3), (2, 3)]);
    let signatures: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("x-test-signature"))
        .collect();
    assert_eq!(
        signatures,
        vec!["signed attempt=1; max=3", "signed attempt=2; max=3"]
    );
    assert_one_invocation_id(&server);
}

#[test]
fn the_call_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let harness = Harness::new(Arc::new(FakeSleep::new()));
    let future = harness.send("http://127.0.0.1:9/".to_owned());
    assert_send(&future);
}

/// `POST {url}` with an empty JSON body, rebuilt for every attempt, through `ctx`.
async fn send_with(ctx: SendContext<'_>, url: String) -> Result<FinalResponse, SendError> {
    send_with_retries(ctx, move |_attempt| {
        let request = Request::post(url.clone()).body(Bytes::from_static(b"{}"));
        async move { request }
    })
    .await
}

#[tokio::test]
async fn modeled_retryable_errors_and_429s_are_retried_and_a_retry_hint_sets_the_delay() {
    let server = ScriptedServer::start(vec![
        Action::error(409, "StageBusy"),
        Action::Respond {
            status: 429,
            headers: vec![("x-amz-retry-after", "3000".to_owned())],
            body: String::new(),
        },
        Action::json(200, "{}"),
    ])
    .await;
    let sleep = Arc::new(FakeSleep::new());
    let harness = Harness::new(sleep.clone());
    let retryable = [RetryableError { code: "StageBusy", throttling: false }];
    let ctx = SendContext {
        errors: ErrorPolicy { retryable: &retryable, ..ErrorPolicy::default() },
        ..harness.ctx()
    };

    let done = send_with(ctx, server.url("/")).await.expect("third attempt succeeds");
    assert_eq!(done.attempts, 3);
    let backoffs = sleep.backoffs();
    assert_eq!(backoffs.len(), 2);
    assert!(backoffs[0] <= Duration::from_secs(1), "plain backoff first: {backoffs:?}");
    // The computed backoff before attempt 3 is below 2 s; the server asked for 3 s.
    assert_eq!(backoffs[1], Duration::from_secs(3), "{backoffs:?}");

    // Without the model's word, StageBusy is an ordinary client error.
    let server = ScriptedServer::start(vec![Action::error(409, "StageBusy")]).await;
    let done = send_with(harness.ctx(), server.url("/")).await.expect("answered");
    assert_eq!((done.attempts, done.response.status().as_u16()), (1, 409));
}

#[tokio::test]
async fn a_clock_skew_error_corrects_the_clock_and_is_retried_once() {
    let skewed = |status| Action::Respond {
        status,
        headers: vec![
            ("x-amzn-errortype", "InvalidSignatureException".to_owned()),
            // One hour after the local clock below.
            ("date", "Tue, 02 Jan 2024 04:04:05 GMT".to_owned()),
        ],
        body: "{}".to_owned(),
    };
    let local = ManualTimeSource::new(UNIX_EPOCH + Duration::from_secs(1_704_164_645));
    let clock = SkewedClock::new(Arc::new(local));
    let server = ScriptedServer::start(vec![skewed(403), Action::json(200, "{}")]).await;
    let harness = Harness::new(Arc::new(FakeSleep::new()));
    let ctx = SendContext { clock: Some(&clock), ..harness.ctx() };
    let done = send_with(ctx, server.url("/")).await.expect("retried after the correction");
    assert_eq!(done.attempts, 2);
    assert_eq!(clock.offset_ms(), 3_600_000);
    assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(1_704_164_645 + 3600));

    // Once corrected, the same answer is not retried again.
    let server = ScriptedServer::start(vec![skewed(403), skewed(403)]).await;
    let ctx = SendContext { clock: Some(&clock), ..harness.ctx() };
    let done = send_with(ctx, server.url("/")).await.expect("answered");
    assert_eq!((done.attempts, done.response.status().as_u16()), (1, 403));
}

#[tokio::test]
async fn adaptive_mode_slows_the_client_down_after_a_throttle() {
    let server = ScriptedServer::start(vec![
        Action::json(200, "{}"),
        Action::error(400, "ThrottlingException"),
        Action::json(200, "{}"),
    ])
    .await;
    // A clock that does not move: the bucket never refills on its own, so
    // the wait is exactly one token at the floor rate (0.5 per second).
    let local = ManualTimeSource::new(UNIX_EPOCH + Duration::from_secs(1_704_164_645));
    let clock = SkewedClock::new(Arc::new(local));
    let limiter = AdaptiveRateLimiter::new();
    let sleep = Arc::new(FakeSleep::new());
    let harness = Harness::new(sleep.clone());
    let ctx = SendContext { clock: Some(&clock), rate_limiter: Some(&limiter), ..harness.ctx() };

    // Before any throttle the limiter lets attempts through at once.
    let done = send_with(ctx, server.url("/")).await.expect("answered");
    assert_eq!(done.attempts, 1);
    assert!(sleep.backoffs().is_empty(), "{:?}", sleep.backoffs());

    let done = send_with(ctx, server.url("/")).await.expect("second attempt succeeds");
    assert_eq!(done.attempts, 2);
    let backoffs = sleep.backoffs();
    assert_eq!(backoffs.len(), 2, "the retry's backoff, then the limiter's wait: {backoffs:?}");
    assert!(backoffs[0] <= Duration::from_secs(1), "{backoffs:?}");
    assert_eq!(backoffs[1], Duration::from_secs(2), "{backoffs:?}");

    // Standard mode (no limiter) never waits for tokens.
    let server = ScriptedServer::start(vec![Action::error(400, "ThrottlingException"), Action::json(200, "{}")]).await;
    let sleep = Arc::new(FakeSleep::new());
    let harness = Harness::new(sleep.clone());
    let ctx = SendContext { clock: Some(&clock), ..harness.ctx() };
    send_with(ctx, server.url("/")).await.expect("second attempt succeeds");
    assert_eq!(sleep.backoffs().len(), 1, "{:?}", sleep.backoffs());
}
