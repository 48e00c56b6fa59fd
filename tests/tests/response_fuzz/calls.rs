//! One call per IVS RealTime operation, with its required input members set,
//! reduced to an [`Outcome`] the fuzz loop can check.
//!
//! Every call goes through the public client, so the crate-private parsers
//! (`<Op>Output::from_response`, `<Op>Error::parse_error`) run exactly as a
//! user's program would run them.

use std::error::Error;
use std::fmt::{Debug, Display};

use ivs_realtime::types::{DestinationConfiguration, IngestProtocol, S3StorageConfiguration};
use ivs_realtime::Client;
use smithy_runtime::client::{ProvideErrorMetadata, SdkError};

/// Every operation [`call`] knows, by wire name. The fuzz test checks that
/// this is exactly the model's operation list.
pub const OPERATIONS: &[&str] = &[
    "CreateEncoderConfiguration",
    "CreateIngestConfiguration",
    "CreateParticipantToken",
    "CreateStage",
    "CreateStorageConfiguration",
    "DeleteEncoderConfiguration",
    "DeleteIngestConfiguration",
    "DeletePublicKey",
    "DeleteStage",
    "DeleteStorageConfiguration",
    "DisconnectParticipant",
    "GetComposition",
    "GetEncoderConfiguration",
    "GetIngestConfiguration",
    "GetParticipant",
    "GetPublicKey",
    "GetStage",
    "GetStageSession",
    "GetStorageConfiguration",
    "ImportPublicKey",
    "ListCompositions",
    "ListEncoderConfigurations",
    "ListIngestConfigurations",
    "ListParticipantEvents",
    "ListParticipants",
    "ListPublicKeys",
    "ListStageSessions",
    "ListStages",
    "ListStorageConfigurations",
    "ListTagsForResource",
    "StartComposition",
    "StopComposition",
    "TagResource",
    "UntagResource",
    "UpdateIngestConfiguration",
    "UpdateStage",
];

/// What a call returned, with every public accessor and formatter of the
/// result already exercised (they must not panic either).
#[derive(Debug)]
pub enum Outcome {
    /// The output parsed.
    Ok,
    /// `SdkError::Service`: the error code, and whether a modeled variant
    /// (not `Unhandled`) was chosen, named by its variant.
    Service { code: Option<String>, variant: String },
    /// `SdkError::Response`: a 2xx whose body could not be read (the text
    /// of the error, shown when a valid output is refused).
    Response(#[allow(dead_code)] String),
    /// Any other failure: never expected, the transport always answers.
    Other(String),
}

const STAGE: &str = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh";

/// Calls operation `name` once. `None` for a name this module does not know.
pub async fn call(client: &Client, name: &str) -> Option<Outcome> {
    let outcome = match name {
        "CreateEncoderConfiguration" => outcome(client.create_encoder_configuration().send().await),
        "CreateIngestConfiguration" => outcome(
            client
                .create_ingest_configuration()
                .ingest_protocol(IngestProtocol::from("RTMPS"))
                .send()
                .await,
        ),
        "CreateParticipantToken" => {
            outcome(client.create_participant_token().stage_arn(STAGE).send().await)
        }
        "CreateStage" => outcome(client.create_stage().send().await),
        "CreateStorageConfiguration" => {
            let s3 = S3StorageConfiguration::builder().bucket_name("bucket").build().ok()?;
            outcome(client.create_storage_configuration().s3(s3).send().await)
        }
        "DeleteEncoderConfiguration" => {
            outcome(client.delete_encoder_configuration().arn("arn:e").send().await)
        }
        "DeleteIngestConfiguration" => {
            outcome(client.delete_ingest_configuration().arn("arn:i").send().await)
        }
        "DeletePublicKey" => outcome(client.delete_public_key().arn("arn:k").send().await),
        "DeleteStage" => outcome(client.delete_stage().arn(STAGE).send().await),
        "DeleteStorageConfiguration" => {
            outcome(client.delete_storage_configuration().arn("arn:s").send().await)
        }
        "DisconnectParticipant" => outcome(
            client
                .disconnect_participant()
                .stage_arn(STAGE)
                .participant_id("p")
                .send()
                .await,
        ),
        "GetComposition" => outcome(client.get_composition().arn("arn:c").send().await),
        "GetEncoderConfiguration" => {
            outcome(client.get_encoder_configuration().arn("arn:e").send().await)
        }
        "GetIngestConfiguration" => {
            outcome(client.get_ingest_configuration().arn("arn:i").send().await)
        }
        "GetParticipant" => outcome(
            client
                .get_participant()
                .stage_arn(STAGE)
                .session_id("s")
                .participant_id("p")
                .send()
                .await,
        ),
        "GetPublicKey" => outcome(client.get_public_key().arn("arn:k").send().await),
        "GetStage" => outcome(client.get_stage().arn(STAGE).send().await),
        "GetStageSession" => outcome(
            client.get_stage_session().stage_arn(STAGE).session_id("s").send().await,
        ),
        "GetStorageConfiguration" => {
            outcome(client.get_storage_configuration().arn("arn:s").send().await)
        }
        "ImportPublicKey" => {
            outcome(client.import_public_key().public_key_material("pem").send().await)
        }
        "ListCompositions" => outcome(client.list_compositions().send().await),
        "ListEncoderConfigurations" => outcome(client.list_encoder_configurations().send().await),
        "ListIngestConfigurations" => outcome(client.list_ingest_configurations().send().await),
        "ListParticipantEvents" => outcome(
            client
                .list_participant_events()
                .stage_arn(STAGE)
                .session_id("s")
                .participant_id("p")
                .send()
                .await,
        ),
        "ListParticipants" => outcome(
            client.list_participants().stage_arn(STAGE).session_id("s").send().await,
        ),
        "ListPublicKeys" => outcome(client.list_public_keys().send().await),
        "ListStageSessions" => {
            outcome(client.list_stage_sessions().stage_arn(STAGE).send().await)
        }
        "ListStages" => outcome(client.list_stages().send().await),
        "ListStorageConfigurations" => outcome(client.list_storage_configurations().send().await),
        "ListTagsForResource" => {
            outcome(client.list_tags_for_resource().resource_arn(STAGE).send().await)
        }
        "StartComposition" => outcome(
            client
                .start_composition()
                .stage_arn(STAGE)
                .destinations(DestinationConfiguration::builder().build())
                .send()
                .await,
        ),
        "StopComposition" => outcome(client.stop_composition().arn("arn:c").send().await),
        "TagResource" => outcome(
            client.tag_resource().resource_arn(STAGE).tags("k", "v").send().await,
        ),
        "UntagResource" => outcome(
            client.untag_resource().resource_arn(STAGE).tag_keys("k").send().await,
        ),
        "UpdateIngestConfiguration" => {
            outcome(client.update_ingest_configuration().arn("arn:i").send().await)
        }
        "UpdateStage" => outcome(client.update_stage().arn(STAGE).send().await),
        _ => return None,
    };
    Some(outcome)
}

/// Reduces a result to an [`Outcome`], formatting it every way a user
/// might (`Debug`, `Display`, the `source` chain, the metadata accessors).
fn outcome<O, E>(result: Result<O, SdkError<E>>) -> Outcome
where
    O: Debug,
    E: Debug + Display + Error + ProvideErrorMetadata + 'static,
{
    match result {
        Ok(output) => {
            std::hint::black_box(format!("{output:?}"));
            Outcome::Ok
        }
        Err(error) => {
            let text = describe(&error);
            let (code, request_id) = (error.code().map(str::to_owned), error.request_id());
            std::hint::black_box((error.message(), request_id, error.raw_status()));
            match error {
                SdkError::Service(service) => {
                    let err = service.err();
                    std::hint::black_box((err.to_string(), err.message(), err.meta()));
                    let debug = format!("{err:?}");
                    let variant = debug.split(['(', ' ', '{']).next().unwrap_or_default().to_owned();
                    Outcome::Service { code, variant }
                }
                SdkError::Response(response) => {
                    std::hint::black_box(response.deserialize_error().to_string());
                    Outcome::Response(text)
                }
                _ => Outcome::Other(text),
            }
        }
    }
}

/// `Display` of the error and of everything in its `source` chain, and its `Debug`.
fn describe(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(source) = next {
        text.push_str(": ");
        text.push_str(&source.to_string());
        next = source.source();
    }
    std::hint::black_box(format!("{error:?}"));
    text
}
