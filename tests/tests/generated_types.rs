//! The checked-in IVS RealTime crate behaves as its docs promise: open enums,
//! builders that name missing members, Smithy 2.0 nullability, redaction.

use ivs_realtime::operation::create_stage::CreateStageInput;
use ivs_realtime::operation::get_stage::GetStageInput;
use ivs_realtime::types::{EventErrorCode, ParticipantToken, ParticipantTokenCapability, Stage};

#[test]
fn enum_values_from_the_2024_10_02_update_are_known() {
    assert_eq!(EventErrorCode::from("B_FRAME_PRESENT"), EventErrorCode::BFramePresent);
    assert_eq!(EventErrorCode::from("INVALID_INPUT"), EventErrorCode::InvalidInput);
    assert_eq!(EventErrorCode::from("INTERNAL_SERVER_EXCEPTION"), EventErrorCode::InternalServerException);
    assert!(EventErrorCode::values().contains(&"B_FRAME_PRESENT"));
    assert_eq!(EventErrorCode::values().len(), 14);
}

#[test]
fn unknown_enum_values_round_trip_unchanged() {
    let value: EventErrorCode = "SOMETHING_NEW".parse().expect("never fails");
    assert!(matches!(value, EventErrorCode::Unknown(_)));
    assert_eq!(value.as_str(), "SOMETHING_NEW");
    assert_eq!(value.to_string(), "SOMETHING_NEW");
    assert_ne!(value, EventErrorCode::from("B_FRAME_PRESENT"));
    let legacy = ParticipantTokenCapability::from("PUBLISH");
    assert_eq!(legacy, ParticipantTokenCapability::Publish, "Smithy 1.0 @enum strings are enums too");
}

#[test]
fn input_builders_name_the_missing_required_member() {
    let error = GetStageInput::builder().build().expect_err("arn is required");
    assert_eq!(error.to_string(), "cannot build GetStageInput: required member `arn` was not set");
    let input = GetStageInput::builder().arn("arn:aws:ivs:us-east-1:123456789012:stage/abcd").build().expect("complete");
    assert_eq!(input.arn.as_deref(), Some("arn:aws:ivs:us-east-1:123456789012:stage/abcd"));
    let create = CreateStageInput::builder().name("x").tags("team", "video").build().expect("nothing required");
    assert_eq!(create.tags.as_ref().and_then(|t| t.get("team")).map(String::as_str), Some("video"));
}

#[test]
fn required_output_members_are_plain_values() {
    let stage: Stage = Stage::builder().arn("arn:stage").name("demo").build().expect("arn set");
    let arn: &String = &stage.arn;
    assert_eq!(arn, "arn:stage");
    let missing = Stage::builder().name("demo").build().expect_err("arn missing");
    assert_eq!(missing.member(), "arn");
}

#[test]
fn sensitive_tokens_never_appear_in_debug_output() {
    let token = ParticipantToken::builder().participant_id("p-1").token("SECRET-TOKEN-MARKER").build();
    let shown = format!("{token:?}");
    assert!(!shown.contains("SECRET-TOKEN-MARKER"), "{shown}");
    assert!(shown.contains("*** Sensitive Data Redacted ***"), "{shown}");
    assert!(shown.contains("p-1"), "non-sensitive members still print: {shown}");
    let builder = format!("{:?}", ParticipantToken::builder().token("SECRET-TOKEN-MARKER"));
    assert!(!builder.contains("SECRET-TOKEN-MARKER"), "{builder}");
}
