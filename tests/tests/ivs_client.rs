//! The generated `ivs-realtime` client, used as a downstream crate would use
//! it, against the loopback IVS RealTime server in
//! `integration_tests::ivs_server`: real HTTP, real SigV4 signing, the
//! runtime's retry loop, and the generated serializers and parsers.
//!
//! Nothing here waits on a real timer: backoff delays go through a sleep that
//! returns at once and records what was asked of it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use integration_tests::ivs_server::{self, TestServer};
use ivs_realtime::operation::create_participant_token::CreateParticipantTokenError;
use ivs_realtime::operation::create_stage::CreateStageError;
use ivs_realtime::operation::delete_stage::DeleteStageError;
use ivs_realtime::operation::get_stage::GetStageError;
use ivs_realtime::types::{EventErrorCode, EventName};
use ivs_realtime::{Client, Config};
use serde_json::json;
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::behavior::sleep::{AsyncSleep, Sleep};
use smithy_runtime::client::SdkError;

const ACCESS_KEY_ID: &str = "AKIDLOOPBACKTEST";
const SECRET_ACCESS_KEY: &str = "loopback/secret/key/never/sent";
const REGION: &str = "us-east-1";

/// A sleep that finishes backoff-sized delays at once and never finishes
/// longer ones (the attempt and operation timers, which must not fire while
/// the server answers), recording every duration asked of it.
#[derive(Debug, Default)]
struct InstantBackoff {
    requested: Mutex<Vec<Duration>>,
}

impl InstantBackoff {
    /// The delays that finished at once: the backoffs between attempts.
    fn backoffs(&self) -> Vec<Duration> {
        let requested = self.requested.lock().unwrap();
        requested
            .iter()
            .copied()
            .filter(|d| *d <= RetryConfig::DEFAULT_MAX_BACKOFF)
            .collect()
    }
}

impl AsyncSleep for InstantBackoff {
    fn sleep(&self, duration: Duration) -> Sleep {
        self.requested.lock().unwrap().push(duration);
        if duration <= RetryConfig::DEFAULT_MAX_BACKOFF {
            Box::pin(async {})
        } else {
            Box::pin(std::future::pending())
        }
    }
}

/// A client for `server` with fixed credentials, the standard retry policy
/// (3 attempts) and `sleep` for its backoffs and timers.
fn client(server: &TestServer, sleep: &Arc<InstantBackoff>) -> Client {
    let config = Config::builder()
        .region(REGION)
        .endpoint_url(format!("http://{}", server.addr()))
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
        )))
        .retry_config(RetryConfig::standard())
        .sleep_impl(Arc::clone(sleep))
        .build();
    Client::new(&config)
}

/// Asserts what every request must carry: a SigV4 header signature (whose
/// shape the server checks) for our key, region and `ivs`, a JSON content
/// type, and no secret anywhere.
fn assert_signed_requests(server: &TestServer) {
    let requests = server.requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert_eq!(request.method, "POST", "{request:?}");
        assert_ne!(
            request.status, 403,
            "the server rejected the signature shape of {request:?}"
        );
        let auth = ivs_server::check_sigv4_shape(&request.headers, "ivs")
            .unwrap_or_else(|why| panic!("{}: {why}", request.path));
        assert_eq!(auth.access_key_id, ACCESS_KEY_ID);
        assert_eq!(auth.region, REGION);
        assert!(
            auth.signed_headers.iter().any(|h| h == "content-type"),
            "{:?}",
            auth.signed_headers
        );
        assert_eq!(
            request.header("content-type"),
            Some("application/json"),
            "{}",
            request.path
        );
        let all_headers = format!("{:?}", request.headers);
        assert!(!all_headers.contains(SECRET_ACCESS_KEY));
    }
}

#[tokio::test]
async fn stage_lifecycle_with_two_pages_and_a_typed_not_found() {
    let server = ivs_server::start().await;
    let sleep = Arc::new(InstantBackoff::default());
    let client = client(&server, &sleep);

    // CreateStage: three stages, one with tags.
    let mut arns = Vec::new();
    for name in ["alpha", "beta"] {
        let created = client
            .create_stage()
            .name(name)
            .send()
            .await
            .expect("create stage");
        let stage = created.stage.expect("CreateStage returns the stage");
        assert_eq!(stage.name.as_deref(), Some(name));
        assert!(
            stage
                .arn
                .starts_with("arn:aws:ivs:us-east-1:123456789012:stage/"),
            "{}",
            stage.arn
        );
        let endpoints = stage.endpoints.expect("stage endpoints");
        assert!(endpoints
            .whip
            .is_some_and(|url| url.starts_with("https://")));
        arns.push(stage.arn);
    }
    let gamma = client
        .create_stage()
        .name("gamma")
        .tags("team", "video")
        .send()
        .await
        .expect("create stage with tags")
        .stage
        .expect("stage");
    assert_eq!(
        gamma
            .tags
            .as_ref()
            .and_then(|t| t.get("team"))
            .map(String::as_str),
        Some("video")
    );
    arns.push(gamma.arn.clone());
    assert_eq!(server.stage_count(), 3);

    // The bodies are the JSON the model describes, and nothing else.
    let create_bodies: Vec<_> = server
        .requests_for("CreateStage")
        .iter()
        .map(|r| r.json())
        .collect();
    assert_eq!(
        create_bodies,
        [
            Some(json!({"name": "alpha"})),
            Some(json!({"name": "beta"})),
            Some(json!({"name": "gamma", "tags": {"team": "video"}})),
        ]
    );

    // GetStage.
    let got = client
        .get_stage()
        .arn(&arns[1])
        .send()
        .await
        .expect("get stage");
    let stage = got.stage.expect("GetStage returns the stage");
    assert_eq!(stage.arn, arns[1]);
    assert_eq!(stage.name.as_deref(), Some("beta"));
    assert_eq!(
        server.requests_for("GetStage")[0].json(),
        Some(json!({"arn": arns[1]}))
    );

    // ListStages: a page of two, then the last page of one.
    let first = client
        .list_stages()
        .max_results(2)
        .send()
        .await
        .expect("first page");
    let first_arns: Vec<&str> = first.stages.iter().map(|s| s.arn.as_str()).collect();
    assert_eq!(first_arns, [arns[0].as_str(), arns[1].as_str()]);
    let token = first.next_token.clone().expect("a second page");
    let second = client
        .list_stages()
        .max_results(2)
        .next_token(token.clone())
        .send()
        .await
        .expect("second page");
    assert_eq!(second.stages.len(), 1);
    assert_eq!(second.stages[0].arn, arns[2]);
    assert_eq!(second.stages[0].name.as_deref(), Some("gamma"));
    assert_eq!(second.next_token, None);
    let list_bodies: Vec<_> = server
        .requests_for("ListStages")
        .iter()
        .map(|r| r.json())
        .collect();
    assert_eq!(
        list_bodies,
        [
            Some(json!({"maxResults": 2})),
            Some(json!({"maxResults": 2, "nextToken": token}))
        ]
    );

    // DeleteStage, then GetStage of the deleted stage is a typed 404.
    client
        .delete_stage()
        .arn(&arns[1])
        .send()
        .await
        .expect("delete stage");
    assert_eq!(server.stage_count(), 2);
    assert_eq!(
        server.requests_for("DeleteStage")[0].json(),
        Some(json!({"arn": arns[1]}))
    );

    let error = client
        .get_stage()
        .arn(&arns[1])
        .send()
        .await
        .expect_err("the stage is gone");
    let answered = server.requests().last().cloned().expect("recorded");
    assert_eq!(answered.status, 404);
    let expected_message = format!("Stage {} does not exist", arns[1]);

    assert!(matches!(error, SdkError::Service(_)), "{error:?}");
    assert_eq!(error.raw_status(), Some(404));
    assert_eq!(error.code(), Some("ResourceNotFoundException"));
    assert_eq!(error.request_id(), Some(answered.request_id.as_str()));
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        service_error.is_resource_not_found_exception(),
        "{service_error:?}"
    );
    assert_eq!(service_error.code(), Some("ResourceNotFoundException"));
    assert_eq!(service_error.message(), Some(expected_message.as_str()));
    assert_eq!(
        service_error.request_id(),
        Some(answered.request_id.as_str())
    );
    let shown = error.to_string();
    for part in [
        "ResourceNotFoundException",
        expected_message.as_str(),
        answered.request_id.as_str(),
    ] {
        assert!(
            shown.contains(part),
            "SdkError Display {shown:?} lacks {part:?}"
        );
    }

    match error.into_service_error() {
        GetStageError::ResourceNotFoundException(not_found) => {
            assert_eq!(not_found.code(), "ResourceNotFoundException");
            assert_eq!(not_found.message(), Some(expected_message.as_str()));
            assert_eq!(not_found.request_id(), Some(answered.request_id.as_str()));
            assert_eq!(
                not_found.exception_message.as_deref(),
                Some(expected_message.as_str())
            );
            // The headers the model binds to the error's members.
            // Cache-Control came as two fields; both are read, joined.
            assert_eq!(not_found.cache_control.as_deref(), Some("no-store, no-cache"));
            assert_eq!(not_found.x_frame_options.as_deref(), Some("DENY"));
            let shown = not_found.to_string();
            for part in [
                "ResourceNotFoundException",
                expected_message.as_str(),
                answered.request_id.as_str(),
            ] {
                assert!(
                    shown.contains(part),
                    "error Display {shown:?} lacks {part:?}"
                );
            }
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    // Deleting it again is the same typed error on another operation.
    let error = client
        .delete_stage()
        .arn(&arns[1])
        .send()
        .await
        .expect_err("already deleted");
    assert!(
        matches!(
            error.as_service_error(),
            Some(DeleteStageError::ResourceNotFoundException(_))
        ),
        "{error:?}"
    );

    assert_signed_requests(&server);
    assert!(
        sleep.backoffs().is_empty(),
        "no call was retried: {:?}",
        sleep.backoffs()
    );
}

#[tokio::test]
async fn participant_token_is_returned_but_never_debug_printed() {
    let server = ivs_server::start().await;
    let sleep = Arc::new(InstantBackoff::default());
    let client = client(&server, &sleep);
    let stage = client
        .create_stage()
        .name("tokens")
        .send()
        .await
        .unwrap()
        .stage
        .unwrap();

    let output = client
        .create_participant_token()
        .stage_arn(&stage.arn)
        .user_id("viewer-7")
        .duration(60)
        .attributes("seat", "12B")
        .send()
        .await
        .expect("create participant token");
    let secret = ivs_server::participant_token_secret(1);
    let token = output
        .participant_token
        .as_ref()
        .expect("a participant token");
    assert_eq!(token.token.as_deref(), Some(secret.as_str()));
    assert_eq!(token.user_id.as_deref(), Some("viewer-7"));
    assert_eq!(token.duration, Some(60));
    assert!(token.expiration_time.is_some());

    let debug = format!("{output:?}");
    assert!(
        !debug.contains(&secret),
        "the token leaks through Debug: {debug}"
    );
    assert!(!format!("{output:#?}").contains(&secret));
    assert!(
        debug.contains("viewer-7"),
        "non-sensitive members stay visible: {debug}"
    );

    assert_eq!(
        server.requests_for("CreateParticipantToken")[0].json(),
        Some(json!({
            "stageArn": stage.arn,
            "userId": "viewer-7",
            "duration": 60,
            "attributes": {"seat": "12B"},
        }))
    );

    // A token for a stage that does not exist is a typed 404.
    let missing = "arn:aws:ivs:us-east-1:123456789012:stage/doesnotexist";
    let error = client
        .create_participant_token()
        .stage_arn(missing)
        .send()
        .await
        .expect_err("unknown stage");
    assert!(
        matches!(
            error.as_service_error(),
            Some(CreateParticipantTokenError::ResourceNotFoundException(_))
        ),
        "{error:?}"
    );
    assert_signed_requests(&server);
}

#[tokio::test]
async fn participant_events_keep_known_and_unknown_error_codes() {
    let server = ivs_server::start().await;
    let sleep = Arc::new(InstantBackoff::default());
    let client = client(&server, &sleep);
    let stage_arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234";

    let output = client
        .list_participant_events()
        .stage_arn(stage_arn)
        .session_id("st-session-1")
        .participant_id("pt-42")
        .send()
        .await
        .expect("list participant events");

    let names: Vec<Option<EventName>> = output.events.iter().map(|e| e.name.clone()).collect();
    assert_eq!(
        names,
        [
            Some(EventName::Joined),
            Some(EventName::PublishError),
            Some(EventName::PublishError),
            Some(EventName::PublishError),
            Some(EventName::Left),
        ]
    );
    let codes: Vec<Option<&EventErrorCode>> = output
        .events
        .iter()
        .map(|e| e.error_code.as_ref())
        .collect();
    assert_eq!(codes[0], None);
    assert_eq!(codes[1], Some(&EventErrorCode::BFramePresent));
    assert_eq!(codes[2], Some(&EventErrorCode::InvalidInput));
    let future = codes[3].expect("the unknown code is kept");
    assert!(matches!(future, EventErrorCode::Unknown(_)), "{future:?}");
    assert_eq!(future.as_str(), ivs_server::FUTURE_ERROR_CODE);
    assert_eq!(
        codes[1].map(EventErrorCode::as_str),
        Some("B_FRAME_PRESENT")
    );
    assert!(output
        .events
        .iter()
        .all(|e| e.participant_id.as_deref() == Some("pt-42")));
    assert!(output.events.iter().all(|e| e.event_time.is_some()));

    assert_eq!(
        server.requests_for("ListParticipantEvents")[0].json(),
        Some(json!({"stageArn": stage_arn, "sessionId": "st-session-1", "participantId": "pt-42"}))
    );
    assert_signed_requests(&server);
}

#[tokio::test]
async fn validation_exception_is_typed_with_its_members() {
    let server = ivs_server::start().await;
    let sleep = Arc::new(InstantBackoff::default());
    let client = client(&server, &sleep);

    let error = client
        .create_stage()
        .name("no spaces allowed")
        .send()
        .await
        .expect_err("bad name");
    let answered = server.requests().last().cloned().expect("recorded");
    assert_eq!(answered.status, 400);
    assert_eq!(answered.json(), Some(json!({"name": "no spaces allowed"})));
    assert_eq!(error.raw_status(), Some(400));

    match error.into_service_error() {
        CreateStageError::ValidationException(invalid) => {
            let message = invalid
                .exception_message
                .as_deref()
                .expect("exceptionMessage");
            assert!(
                message.starts_with("name: `no spaces allowed`"),
                "{message}"
            );
            assert_eq!(invalid.message(), Some(message));
            assert_eq!(invalid.code(), "ValidationException");
            assert_eq!(invalid.request_id(), Some(answered.request_id.as_str()));
            // Header-bound members: the raw x-amzn-ErrorType keeps its
            // namespace suffix, while code() is the bare shape name.
            let error_type = invalid
                .x_amzn_error_type
                .as_deref()
                .expect("x-amzn-ErrorType");
            assert!(
                error_type.starts_with("ValidationException:"),
                "{error_type}"
            );
            assert_eq!(invalid.cache_control.as_deref(), Some("no-store, no-cache"));
            assert_eq!(invalid.x_content_type_options.as_deref(), Some("nosniff"));
            assert_eq!(
                invalid.strict_transport_security.as_deref(),
                Some("max-age=47304000; includeSubDomains")
            );
            assert_eq!(invalid.access_control_allow_origin, None);
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
    assert_eq!(server.stage_count(), 0);
    assert!(sleep.backoffs().is_empty(), "a 400 is not retried");
    assert_signed_requests(&server);
}

#[tokio::test]
async fn a_500_with_an_html_body_is_retried_then_surfaces_typed() {
    let server = ivs_server::start().await;
    let sleep = Arc::new(InstantBackoff::default());
    let client = client(&server, &sleep);

    let error = client
        .create_stage()
        .name(ivs_server::EXPLODING_STAGE_NAME)
        .send()
        .await
        .expect_err("the server always fails this stage");

    let attempts = server.requests_for("CreateStage");
    assert_eq!(attempts.len(), 3, "the standard policy makes 3 attempts");
    assert!(attempts.iter().all(|r| r.status == 500));
    assert!(attempts
        .iter()
        .all(|r| r.json() == Some(json!({"name": ivs_server::EXPLODING_STAGE_NAME}))));
    // Every attempt is signed afresh and carries the same invocation id.
    assert_eq!(
        attempts
            .iter()
            .map(|r| r.header("amz-sdk-request"))
            .collect::<Vec<_>>(),
        [
            Some("attempt=1; max=3"),
            Some("attempt=2; max=3"),
            Some("attempt=3; max=3")
        ]
    );
    let invocation = attempts[0].header("amz-sdk-invocation-id");
    assert!(invocation.is_some());
    assert!(attempts
        .iter()
        .all(|r| r.header("amz-sdk-invocation-id") == invocation));
    assert_eq!(
        sleep.backoffs().len(),
        2,
        "one backoff between each pair of attempts"
    );

    let last = attempts.last().expect("three attempts");
    assert_eq!(error.raw_status(), Some(500));
    assert_eq!(error.code(), Some("InternalServerException"));
    assert_eq!(error.request_id(), Some(last.request_id.as_str()));
    let shown = error.to_string();
    assert!(shown.contains("InternalServerException"), "{shown}");
    assert!(shown.contains(&last.request_id), "{shown}");

    // CreateStage does not model InternalServerException: it is Unhandled,
    // with the status and the code from x-amzn-errortype, and no message
    // (the body is HTML).
    match error.into_service_error() {
        CreateStageError::Unhandled(unhandled) => {
            assert_eq!(unhandled.status(), Some(500));
            assert_eq!(unhandled.code(), Some("InternalServerException"));
            assert_eq!(unhandled.message(), None);
            assert_eq!(unhandled.request_id(), Some(last.request_id.as_str()));
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
    assert_eq!(server.stage_count(), 0);
    assert_signed_requests(&server);
}

/// The README's quick start (`Config::from_env`, `Client::new`, one call and
/// the paginator), configured only through shared profile files and
/// `AWS_ENDPOINT_URL_IVS_REALTIME`, as a user pointing it at a local stand-in
/// would. `ConfigBuilder::from_environment` is what `Config::from_env` runs,
/// here with an explicit environment instead of the process's.
#[tokio::test]
async fn the_quick_start_runs_configured_by_a_profile_and_the_service_endpoint_variable() {
    let server = ivs_server::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config_file = dir.path().join("config");
    let credentials_file = dir.path().join("credentials");
    std::fs::write(&config_file, "[profile media]\nregion = us-east-1\n").expect("config written");
    std::fs::write(
        &credentials_file,
        format!("[media]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = {SECRET_ACCESS_KEY}\n"),
    )
    .expect("credentials written");
    let env = smithy_runtime::config::environment::Environment::empty()
        .with_var("AWS_CONFIG_FILE", config_file.to_string_lossy())
        .with_var("AWS_SHARED_CREDENTIALS_FILE", credentials_file.to_string_lossy())
        .with_var("AWS_PROFILE", "media")
        .with_var("AWS_ENDPOINT_URL_IVS_REALTIME", server.endpoint_url());
    let config = ivs_realtime::config::ConfigBuilder::from_environment(&env).build();
    let client = Client::new(&config);

    client.create_stage().name("from-profile").send().await.expect("create");
    let output = client.list_stages().send().await.expect("one call");
    assert_eq!(output.stages.len(), 1);
    let mut pages = client.list_stages().into_paginator().send();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        names.extend(page.expect("page").stages.into_iter().filter_map(|s| s.name));
    }
    assert_eq!(names, ["from-profile"]);
    let request = &server.requests()[0];
    let authorization = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(authorization.contains("Credential=AKIDPROFILE/"), "{authorization}");
    assert!(authorization.contains("/us-east-1/ivs/aws4_request"), "{authorization}");
}
