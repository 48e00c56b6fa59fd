//! Testing code that uses the `ivs-realtime` client without a network: the
//! replay HTTP client of the `test-util` feature, as a downstream crate uses
//! it (this crate depends on `ivs-realtime` with `features = ["test-util"]`).
//!
//! The pattern: queue canned responses, run the code under test against a
//! `Client` whose configuration uses the replay client, then check what the
//! code did with the responses and which requests it sent.

use ivs_realtime::operation::get_stage::GetStageError;
use ivs_realtime::{Client, Config};
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::testing::{CannedResponse, ReplayClient};

/// The code under test: the names of every stage, across pages.
async fn stage_names(client: &Client) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut names = Vec::new();
    let mut stages = client.list_stages().into_paginator().page_size(2).items().send();
    while let Some(stage) = stages.next().await {
        names.push(stage?.name.unwrap_or_default());
    }
    Ok(names)
}

/// A client that sends through `replay`, with fixed credentials and region.
fn client(replay: &ReplayClient) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .credentials_provider(Credentials::from_keys("AKIDREPLAY", "replay/secret"))
        .http_client(replay.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(&config)
}

#[tokio::test]
async fn canned_pages_are_read_and_the_requests_can_be_checked() {
    let replay = ReplayClient::new();
    replay
        .push_for(
            "ListStages",
            CannedResponse::json(
                200,
                r#"{"stages": [{"arn": "arn:aws:ivs:us-west-2:123456789012:stage/a", "name": "alpha"},
                               {"arn": "arn:aws:ivs:us-west-2:123456789012:stage/b", "name": "beta"}],
                    "nextToken": "t2"}"#,
            )
            .header("x-amzn-requestid", "req-1"),
        )
        .push_for(
            "ListStages",
            CannedResponse::json(200, r#"{"stages": [{"arn": "arn:aws:ivs:us-west-2:123456789012:stage/c", "name": "gamma"}]}"#),
        );

    let names = stage_names(&client(&replay)).await.expect("stage names");
    assert_eq!(names, ["alpha", "beta", "gamma"]);
    assert!(replay.is_empty(), "both pages were requested");

    let requests = replay.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.operation(), Some("ListStages"));
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri().to_string(), "https://ivsrealtime.us-west-2.amazonaws.com/ListStages");
        assert_eq!(request.header("content-type"), Some("application/json"));
        let authorization = request.header("authorization").expect("signed");
        assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDREPLAY/"), "{authorization}");
        assert!(authorization.contains("/us-west-2/ivs/aws4_request"), "{authorization}");
    }
    assert_eq!(requests[0].json().unwrap(), serde_json::json!({ "maxResults": 2 }));
    assert_eq!(requests[1].json().unwrap(), serde_json::json!({ "maxResults": 2, "nextToken": "t2" }));
}

#[tokio::test]
async fn canned_errors_become_typed_errors() {
    let replay = ReplayClient::new();
    replay.push(
        CannedResponse::error(404, "ResourceNotFoundException", "no such stage").header("x-amzn-requestid", "req-404"),
    );
    let error = client(&replay)
        .get_stage()
        .arn("arn:aws:ivs:us-west-2:123456789012:stage/missing")
        .send()
        .await
        .unwrap_err();
    match error.into_service_error() {
        GetStageError::ResourceNotFoundException(not_found) => {
            assert_eq!(not_found.message(), Some("no such stage"));
            assert_eq!(not_found.request_id(), Some("req-404"));
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    let body = replay.requests()[0].json().unwrap();
    assert_eq!(body["arn"], "arn:aws:ivs:us-west-2:123456789012:stage/missing");
}

#[tokio::test]
async fn a_request_nothing_answers_fails_showing_the_request() {
    let replay = ReplayClient::new();
    // Queued for another operation: does not answer DeleteStage.
    replay.push_for("CreateStage", CannedResponse::json(200, "{}"));

    let error = client(&replay)
        .delete_stage()
        .arn("arn:aws:ivs:us-west-2:123456789012:stage/gone")
        .send()
        .await
        .unwrap_err();
    let shown = format!("{error}");
    assert!(shown.contains("no queued response fits (the 1 queued are for CreateStage)"), "{shown}");
    assert!(
        shown.contains("POST https://ivsrealtime.us-west-2.amazonaws.com/DeleteStage (operation DeleteStage)"),
        "{shown}"
    );
    assert!(shown.contains("content-type: application/json"), "{shown}");
    assert!(shown.contains(r#"{"arn":"arn:aws:ivs:us-west-2:123456789012:stage/gone"}"#), "{shown}");
    assert!(!shown.contains("authorization") && !shown.contains("Signature="), "{shown}");

    assert_eq!(replay.requests_for("DeleteStage").len(), 1, "unanswered requests are recorded");
    assert_eq!(replay.remaining(), 1, "the CreateStage response is still queued");
}

#[tokio::test]
async fn an_output_carries_the_request_id_of_its_response() {
    use ivs_realtime::RequestId;
    let replay = ReplayClient::new();
    replay
        .push(CannedResponse::json(200, r#"{"stages": []}"#).header("x-amzn-requestid", "req-42"))
        .push(CannedResponse::json(200, r#"{"stages": []}"#));
    let client = client(&replay);
    let output = client.list_stages().send().await.expect("first page");
    assert_eq!(output.request_id(), Some("req-42"));
    let output = client.list_stages().send().await.expect("second call");
    assert_eq!(output.request_id(), None, "a response without the header has none");
}
