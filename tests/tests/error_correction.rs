//! Client error correction (Smithy 2.0) through the generated client: a
//! response that leaves out members the model marks required still succeeds,
//! each missing member holding its zero value, as the AWS SDKs do. The code
//! emitted for every kind of type is checked in
//! `codegen/src/emit/error_correction.rs`; here the IVS RealTime client reads
//! responses with strings, lists, enums and structures missing.

use ivs_realtime::types::{CompositionState, LayoutConfiguration};
use ivs_realtime::{Client, Config};
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::testing::{CannedResponse, ReplayClient};

fn client(replay: &ReplayClient) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .credentials_provider(Credentials::from_keys("AKIDCORRECT", "correct/secret"))
        .http_client(replay.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(&config)
}

#[tokio::test]
async fn a_missing_required_list_is_empty() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::json(200, "{}"));
    let output = client(&replay).list_stages().send().await.expect("corrected, not an error");
    assert!(output.stages.is_empty());
    assert_eq!(output.next_token, None);
}

#[tokio::test]
async fn missing_required_strings_enums_lists_and_structures_get_zero_values() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::json(200, r#"{"composition": {"stageArn": "arn:aws:ivs:us-west-2:123456789012:stage/a"}}"#));
    let output = client(&replay).get_composition().arn("arn:c").send().await.expect("corrected, not an error");
    let composition = output.composition.expect("composition was sent");
    assert_eq!(composition.stage_arn, "arn:aws:ivs:us-west-2:123456789012:stage/a", "present members are kept");
    assert_eq!(composition.arn, "");
    assert_eq!(composition.state, CompositionState::from(""));
    assert_eq!(composition.state.as_str(), "", "an enum's zero value is its unknown, empty value");
    assert_eq!(composition.layout, LayoutConfiguration::builder().build());
    assert!(composition.destinations.is_empty());
    assert_eq!(composition.start_time, None, "optional members stay unset");
}

#[tokio::test]
async fn a_present_member_of_the_wrong_type_is_still_an_error() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::json(200, r#"{"stages": "not a list"}"#));
    let error = client(&replay).list_stages().send().await.expect_err("a wrong type is not corrected");
    let text = format!("{error:?}");
    assert!(text.contains("stages"), "{text}");
}
