//! `@sensitive` values never reach `Debug` or `Display`.
//!
//! For IVS RealTime, every type the model says holds sensitive data (found
//! from the lowered model, so a new one fails the completeness test until it
//! is covered here) is filled with marker values and its `Debug` output, and
//! its builder's, is scanned. The `sensitive` feature model (sensitive
//! members, lists, maps, a union member, a sensitive structure and an error
//! member) runs the same scan in a throwaway crate.
//!
//! Errors too: an `SdkError::Service`, an `SdkError::Response` and an
//! `Unhandled` built by the IVS client from responses whose bodies and
//! headers hold markers (and a `@sensitive` participant token) must show
//! none of them in `{:?}` or `{}`.

use std::collections::BTreeSet;

use integration_tests::{as_workspace_member, generate_test_model, run_cargo_in_scratch_workspace, workspace_root};
use ivs_realtime::operation::create_ingest_configuration::CreateIngestConfigurationOutput;
use ivs_realtime::operation::create_participant_token::CreateParticipantTokenOutput;
use ivs_realtime::operation::create_stage::CreateStageOutput;
use ivs_realtime::operation::get_ingest_configuration::GetIngestConfigurationOutput;
use ivs_realtime::operation::update_ingest_configuration::UpdateIngestConfigurationOutput;
use ivs_realtime::operation::get_stage::GetStageError;
use ivs_realtime::types::{IngestConfiguration, IngestConfigurationState, IngestProtocol, ParticipantToken, Stage};
use ivs_realtime::{Client, Config};
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::client::SdkError;
use smithy_runtime::testing::{CannedResponse, ReplayClient};
use smithy_codegen::ir::{Model, ShapeKind};
use smithy_codegen::symbols::Symbols;

const TOKEN: &str = "MARKER-participant-token-7f3a";
const STREAM_KEY: &str = "rt_MARKER-stream-key-91c2";
const REDACTED: &str = "*** Sensitive Data Redacted ***";

fn assert_redacted(what: &str, shown: &str) {
    for marker in [TOKEN, STREAM_KEY] {
        assert!(!shown.contains(marker), "{what} shows a sensitive value: {shown}");
    }
    assert!(shown.contains(REDACTED), "{what} does not say what it left out: {shown}");
}

fn token() -> ParticipantToken {
    ParticipantToken::builder().participant_id("p-1").token(TOKEN).user_id("visible-user").build()
}

fn ingest_configuration() -> IngestConfiguration {
    IngestConfiguration::builder()
        .arn("arn:ingest")
        .ingest_protocol(IngestProtocol::Rtmps)
        .stream_key(STREAM_KEY)
        .stage_arn("arn:stage")
        .participant_id("p-2")
        .state(IngestConfigurationState::Active)
        .build()
        .expect("required members set")
}

/// Structures (by Rust name) that hold a sensitive value, directly or through
/// members, lists, maps and unions.
fn types_with_sensitive_data(model: &Model) -> BTreeSet<String> {
    let symbols = Symbols::new(model);
    let mut found = BTreeSet::new();
    loop {
        let before = found.len();
        for shape in model.shapes.values() {
            let members = match &shape.kind {
                ShapeKind::Structure(members) | ShapeKind::Union(members) => members,
                _ => continue,
            };
            let holds = shape.sensitive
                || members.iter().any(|m| symbols.is_sensitive(m) || reaches(model, &m.target, &found));
            if holds {
                found.insert(shape.rust_name.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

fn reaches(model: &Model, target: &str, found: &BTreeSet<String>) -> bool {
    let shape = model.shape(target);
    match &shape.kind {
        ShapeKind::List { member, .. } => reaches(model, &member.target, found),
        ShapeKind::Map { value, .. } => reaches(model, &value.target, found),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => found.contains(&shape.rust_name),
        _ => false,
    }
}

#[test]
fn every_ivs_type_with_sensitive_data_is_covered_here() {
    let path = workspace_root().join("model/ivs-realtime.json");
    let text = std::fs::read_to_string(&path).expect("reads the IVS model");
    let model = smithy_codegen::lower::lower_service("model/ivs-realtime.json", &text, None).expect("lowers");
    let found = types_with_sensitive_data(&model);
    let covered: BTreeSet<String> = [
        "ParticipantToken",
        "IngestConfiguration",
        "CreateParticipantTokenOutput",
        "CreateStageOutput",
        "CreateIngestConfigurationOutput",
        "GetIngestConfigurationOutput",
        "UpdateIngestConfigurationOutput",
    ]
    .map(String::from)
    .into();
    assert_eq!(found, covered, "add the new types to ivs_types_redact_markers");
}

#[test]
fn ivs_types_redact_markers() {
    let shown = [
        ("ParticipantToken", format!("{:?}", token())),
        ("ParticipantTokenBuilder", format!("{:?}", ParticipantToken::builder().token(TOKEN))),
        ("IngestConfiguration", format!("{:?}", ingest_configuration())),
        ("IngestConfigurationBuilder", format!("{:?}", IngestConfiguration::builder().stream_key(STREAM_KEY))),
        (
            "CreateParticipantTokenOutput",
            format!("{:?}", CreateParticipantTokenOutput::builder().participant_token(token()).build()),
        ),
        (
            "CreateParticipantTokenOutputBuilder",
            format!("{:?}", CreateParticipantTokenOutput::builder().participant_token(token())),
        ),
        (
            "CreateStageOutput",
            format!(
                "{:?}",
                CreateStageOutput::builder()
                    .stage(Stage::builder().arn("arn:stage").build().expect("arn set"))
                    .participant_tokens(token())
                    .participant_tokens(token())
                    .build()
            ),
        ),
        (
            "CreateIngestConfigurationOutput",
            format!("{:?}", CreateIngestConfigurationOutput::builder().ingest_configuration(ingest_configuration()).build()),
        ),
        (
            "GetIngestConfigurationOutput",
            format!("{:?}", GetIngestConfigurationOutput::builder().ingest_configuration(ingest_configuration()).build()),
        ),
        (
            "UpdateIngestConfigurationOutput",
            format!("{:?}", UpdateIngestConfigurationOutput::builder().ingest_configuration(ingest_configuration()).build()),
        ),
    ];
    for (what, text) in &shown {
        assert_redacted(what, text);
    }
    // What is not sensitive stays visible, so the output is still useful.
    assert!(shown[0].1.contains("visible-user"), "{}", shown[0].1);
    assert!(shown[2].1.contains("arn:stage"), "{}", shown[2].1);
}

/// A value only a body or a header no one may print holds.
const RESPONSE_MARKER: &str = "MARKER-response-secret-3b8d";

/// A client answering from `replay`, without retries.
fn replay_client(replay: &ReplayClient) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .credentials_provider(Credentials::from_keys("AKIDREDACT", "redact/secret"))
        .http_client(replay.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(&config)
}

/// `response` with the marker in headers that are not modeled.
fn with_secret_headers(response: CannedResponse) -> CannedResponse {
    response
        .header("x-amzn-requestid", "req-redact")
        .header("set-cookie", RESPONSE_MARKER)
        .header("x-internal-secret", RESPONSE_MARKER)
}

fn assert_no_marker(what: &str, shown: &str) {
    for marker in [RESPONSE_MARKER, TOKEN] {
        assert!(!shown.contains(marker), "{what} shows a secret: {shown}");
    }
}

fn assert_error_hides_markers<E: std::fmt::Debug + std::fmt::Display>(what: &str, error: &E) {
    assert_no_marker(&format!("Debug of {what}"), &format!("{error:?}"));
    assert_no_marker(&format!("Display of {what}"), &error.to_string());
}

#[tokio::test]
async fn errors_holding_a_response_show_no_body_header_value_or_sensitive_value() {
    let replay = ReplayClient::new();
    let client = replay_client(&replay);

    // A modeled error whose body also carries a member the model does not know.
    replay.push(with_secret_headers(CannedResponse::json(
        404,
        format!(r#"{{"exceptionMessage": "no such stage", "internal": "{RESPONSE_MARKER}"}}"#),
    ))
    .header("x-amzn-errortype", "ResourceNotFoundException"));
    let error = client.get_stage().arn("arn:stage").send().await.expect_err("404");
    assert!(matches!(error, SdkError::Service(_)), "{error:?}");
    assert_error_hides_markers("SdkError::Service", &error);
    assert!(format!("{error:?}").contains("req-redact"), "the request id is shown: {error:?}");

    // An error the model does not know: the operation error's Unhandled.
    replay.push(with_secret_headers(CannedResponse::json(
        500,
        format!(r#"{{"__type": "SomethingNew", "message": "later", "detail": "{RESPONSE_MARKER}"}}"#),
    )));
    let error = client.get_stage().arn("arn:stage").send().await.expect_err("500");
    assert_error_hides_markers("SdkError::Service (unhandled)", &error);
    match error.into_service_error() {
        GetStageError::Unhandled(unhandled) => assert_error_hides_markers("Unhandled", &unhandled),
        other => panic!("expected Unhandled, got {other:?}"),
    }

    // A success body that holds a sensitive token and then breaks the model.
    replay.push(with_secret_headers(CannedResponse::json(
        200,
        format!(
            r#"{{"participantToken": {{"token": "{TOKEN}", "userId": "{RESPONSE_MARKER}",
                 "duration": "not a number"}}}}"#
        ),
    )));
    let error = client
        .create_participant_token()
        .stage_arn("arn:stage")
        .send()
        .await
        .expect_err("unreadable output");
    assert!(matches!(error, SdkError::Response(_)), "{error:?}");
    assert_error_hides_markers("SdkError::Response", &error);
    let unhandled = error.into_service_error();
    assert_error_hides_markers("Unhandled from SdkError::Response", &unhandled);
}

/// Runs inside the throwaway crate generated from `tests/models/sensitive.json`.
const SENSITIVE_MODEL_TEST: &str = r#"
use snapshot_sensitive::error::Locked;
use snapshot_sensitive::operation::open::{OpenError, OpenInput, OpenOutput};
use snapshot_sensitive::types::{Either, Token};

const MARKER: &str = "MARKER-secret-5d1e";

fn check(what: &str, shown: String) {
    assert!(!shown.contains(MARKER), "{what} shows a sensitive value: {shown}");
    assert!(shown.contains("*** Sensitive Data Redacted ***"), "{what}: {shown}");
}

#[test]
fn sensitive_values_are_redacted_everywhere() {
    let input = OpenInput::builder().password(MARKER).pin(MARKER).user("visible-user");
    check("OpenInputBuilder", format!("{input:?}"));
    let input = input.build().unwrap();
    check("OpenInput", format!("{input:?}"));
    assert!(format!("{input:?}").contains("visible-user"));

    let token = Token::builder().value(MARKER).build();
    check("Token", format!("{token:?}"));
    let output = OpenOutput::builder()
        .token(token)
        .keys(MARKER)
        .by_name("name", MARKER)
        .choice(Either::Hidden(MARKER.to_string()))
        .opened(true)
        .build();
    check("OpenOutput", format!("{output:?}"));
    check("Either::Hidden", format!("{:?}", Either::Hidden(MARKER.to_string())));
    assert!(format!("{:?}", Either::Plain("shown".into())).contains("shown"));

    let locked = Locked::builder().message("try later").hint(MARKER).build();
    check("Locked", format!("{locked:?}"));
    let shown = locked.to_string();
    assert!(!shown.contains(MARKER), "Display of Locked: {shown}");
    assert!(shown.contains("try later"), "{shown}");
    let error = OpenError::Locked(locked);
    check("OpenError", format!("{error:?}"));
    assert!(!error.to_string().contains(MARKER));
}
"#;

#[test]
fn sensitive_feature_model_redacts_lists_maps_unions_and_errors() {
    let root = workspace_root().join("target/redaction-test-crates");
    let mut generated = as_workspace_member(&generate_test_model("sensitive"));
    generated.files.insert("tests/redaction.rs".to_string(), SENSITIVE_MODEL_TEST.to_string());
    let result = run_cargo_in_scratch_workspace(
        &root,
        &[("sensitive", &generated)],
        &["test", "--test", "redaction"],
        // Shared with the serde round-trip crates, so the runtime builds once.
        &workspace_root().join("target/throwaway-crates-target"),
        &[],
    );
    if let Err(output) = result {
        panic!("{output}");
    }
}
