//! The generated crate's optional `serde` feature: every data type
//! round-trips through JSON with the model's member names, and open enums and
//! unions keep (or name) values this version does not know.
//!
//! The IVS RealTime crate covers structures, string enums, maps, lists,
//! timestamps, operation inputs/outputs and errors. IVS has no unions and no
//! intEnums, so the `unions` and `enums` feature models are generated into a
//! throwaway crate and their own round-trip test runs there with
//! `--features serde`.

use std::collections::HashMap;

use integration_tests::{as_workspace_member, generate_test_model, run_cargo_in_scratch_workspace, workspace_root};
use ivs_realtime::error::ValidationException;
use ivs_realtime::operation::create_stage::CreateStageInput;
use ivs_realtime::operation::list_stages::ListStagesOutput;
use ivs_realtime::primitives::DateTime;
use ivs_realtime::types::{
    EventErrorCode, Participant, ParticipantState, ParticipantTokenCapability, ParticipantTokenConfiguration,
    StageSummary,
};
use serde_json::{json, Value};

fn round_trip<T>(value: &T) -> Value
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_value(value).expect("serializes");
    let back: T = serde_json::from_value(json.clone()).expect("deserializes");
    assert_eq!(&back, value, "round trip through {json}");
    json
}

#[test]
fn structures_use_model_member_names_and_round_trip() {
    let participant = Participant::builder()
        .participant_id("p-1")
        .state(ParticipantState::Connected)
        .first_join_time(DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000))
        .attributes("team", "blue")
        .published(true)
        .build();
    let json = round_trip(&participant);
    assert_eq!(json["participantId"], "p-1");
    assert_eq!(json["state"], "CONNECTED");
    assert_eq!(json["firstJoinTime"], "2023-11-14T22:13:20.25Z", "timestamps are RFC 3339 strings");
    assert_eq!(json["attributes"], json!({"team": "blue"}));
    assert_eq!(json["published"], true);
    assert!(json.get("participant_id").is_none(), "Rust field names are not used: {json}");
}

#[test]
fn operation_inputs_and_outputs_with_lists_round_trip() {
    let input = CreateStageInput::builder()
        .name("stage-1")
        .participant_token_configurations(
            ParticipantTokenConfiguration::builder()
                .user_id("u")
                .capabilities(ParticipantTokenCapability::Publish)
                .build(),
        )
        .tags("env", "test")
        .build()
        .expect("no required members");
    let json = round_trip(&input);
    assert_eq!(json["participantTokenConfigurations"][0]["capabilities"], json!(["PUBLISH"]));

    let output = ListStagesOutput::builder()
        .stages(StageSummary::builder().arn("arn:1").build().expect("arn set"))
        .stages(StageSummary::builder().arn("arn:2").name("two").build().expect("arn set"))
        .next_token("t")
        .build()
        .expect("all set");
    let json = round_trip(&output);
    assert_eq!(json["stages"][1]["name"], "two");
    assert_eq!(json["nextToken"], "t");
}

#[test]
fn open_enums_round_trip_unknown_values() {
    let known: EventErrorCode = serde_json::from_value(json!("B_FRAME_PRESENT")).expect("reads");
    assert_eq!(known, EventErrorCode::BFramePresent);
    let unknown: EventErrorCode = serde_json::from_value(json!("SOMETHING_NEW")).expect("never fails on a string");
    assert!(matches!(unknown, EventErrorCode::Unknown(_)), "{unknown:?}");
    assert_eq!(round_trip(&unknown), json!("SOMETHING_NEW"));
    assert!(serde_json::from_value::<EventErrorCode>(json!(7)).is_err(), "a number is not an enum value");
}

#[test]
fn errors_round_trip_their_members_but_not_response_metadata() {
    let error = ValidationException::builder().exception_message("name too long").x_amzn_error_type("X").build();
    let json = round_trip(&error);
    assert_eq!(json["exceptionMessage"], "name too long");
    assert!(json.get("meta").is_none(), "{json}");
    assert_eq!(serde_json::from_value::<ValidationException>(json).expect("reads").message(), Some("name too long"));
}

#[test]
fn unknown_members_and_missing_optionals_are_accepted() {
    let summary: StageSummary = serde_json::from_value(json!({"arn": "a", "fromTheFuture": 1})).expect("reads");
    assert_eq!(summary.arn, "a");
    assert_eq!(summary.name, None);
    assert!(serde_json::from_value::<StageSummary>(json!({"name": "no arn"})).is_err(), "arn is required");
    let tags: HashMap<String, String> = HashMap::from([("k".into(), "v".into())]);
    assert_eq!(round_trip(&StageSummary::builder().arn("a").set_tags(Some(tags)).build().expect("arn set"))["tags"]["k"], "v");
}

/// The test that runs inside the throwaway crate holding the `unions` and
/// `enums` feature models.
const FEATURE_MODEL_TEST: &str = r#"
use serde_json::json;
use snapshot_unions::types::{Circle, Figure, Group};
use snapshot_enums::types::{Color, Priority};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> serde_json::Value {
    let json = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(&back, value, "{json}");
    json
}

#[test]
fn unions() {
    let circle = Figure::Circle(Circle::builder().radius(1.5).build().unwrap());
    assert_eq!(round_trip(&circle), json!({"circle": {"radius": 1.5}}));
    assert_eq!(round_trip(&Figure::Label("x".into())), json!({"label": "x"}));
    assert_eq!(round_trip(&Figure::Points(vec![1, 2])), json!({"points": [1, 2]}));
    assert_eq!(round_trip(&Figure::Empty), json!({"empty": {}}));
    let group = Figure::Group(Box::new(Group::builder().first(Figure::Empty).rest(Figure::Label("y".into())).build()));
    assert_eq!(round_trip(&group), json!({"group": {"first": {"empty": {}}, "rest": [{"label": "y"}]}}));
    assert_eq!(round_trip(&Figure::Unknown), json!({"$unknown": {}}));
    let future: Figure = serde_json::from_value(json!({"hexagon": {"side": 2, "nested": [1, {"a": null}]}})).unwrap();
    assert_eq!(future, Figure::Unknown);
    assert!(serde_json::from_value::<Figure>(json!({"label": 5})).is_err());
}

#[test]
fn enums() {
    assert_eq!(round_trip(&Color::DarkGreen), json!("dark-green"));
    let unknown: Color = serde_json::from_value(json!("ULTRAVIOLET")).unwrap();
    assert_eq!(unknown.as_str(), "ULTRAVIOLET");
    assert_eq!(round_trip(&unknown), json!("ULTRAVIOLET"));
    assert_eq!(round_trip(&Priority::High), json!(10));
    let unknown: Priority = serde_json::from_value(json!(42)).unwrap();
    assert_eq!(unknown.as_i32(), 42);
    assert_eq!(round_trip(&unknown), json!(42));
}
"#;

#[test]
fn unions_and_int_enums_round_trip_in_the_feature_models() {
    let root = workspace_root().join("target/serde-test-crates");
    let enums = as_workspace_member(&generate_test_model("enums"));
    let mut unions = as_workspace_member(&generate_test_model("unions"));
    if let Some(manifest) = unions.files.get_mut("Cargo.toml") {
        manifest.push_str(
            "\n[dev-dependencies]\nserde = \"1\"\nserde_json = \"1\"\nsnapshot-enums = { path = \"../enums\", features = [\"serde\"] }\n",
        );
    }
    unions.files.insert("tests/serde.rs".to_string(), FEATURE_MODEL_TEST.to_string());
    let result = run_cargo_in_scratch_workspace(
        &root,
        &[("unions", &unions), ("enums", &enums)],
        &["test", "-p", "snapshot-unions", "--features", "serde", "--test", "serde"],
        // Shared with the redaction test's crate, so the runtime builds once.
        &workspace_root().join("target/throwaway-crates-target"),
        &[],
    );
    if let Err(output) = result {
        panic!("{output}");
    }
}
