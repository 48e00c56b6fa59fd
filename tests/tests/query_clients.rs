//! The awsQuery and ec2Query feature models (`tests/models/aws_query.json`,
//! `ec2_query.json`) as working clients: each crate is generated, given the
//! test below and run with `cargo test` in a throwaway workspace, where a
//! replay HTTP client records the form each call sends and answers with XML.
//! The official protocol tests (`cargo xtask conformance --only
//! awsquery,ec2query`) need the reference data; these run without it.

use integration_tests::{as_workspace_member, model_path, run_cargo_in_scratch_workspace, standalone_options, workspace_root};
use smithy_codegen::GeneratedCrate;

/// Runs inside the `mailroom-client` crate (awsQuery).
const MAILROOM_TEST: &str = r#"
use mailroom_client::operation::send_parcel::SendParcelError;
use mailroom_client::primitives::{Blob, DateTime};
use mailroom_client::types::{Box as Parcel, Speed};
use mailroom_client::{Client, Config};
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::client::SdkError;
use smithy_runtime::testing::protocol_test_checks::check_form_body;
use smithy_runtime::testing::{CannedResponse, ReplayClient};

fn client(replay: &ReplayClient) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("https://mailroom.example.com")
        .http_client(replay.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(&config)
}

#[tokio::test]
async fn a_call_sends_its_form_and_reads_the_result_element() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200).header("content-type", "text/xml").body(
        "<SendParcelResponse xmlns=\"https://mailroom.example.com/doc/2021-03-04/\">\
         <SendParcelResult><trackingId>T-1</trackingId>\
         <route><Label>north</Label><Label>east</Label></route>\
         <box><size>fast</size><sides><member>3</member><member>4</member></sides></box>\
         </SendParcelResult>\
         <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendParcelResponse>",
    ));
    let inner = Parcel::builder().size(Speed::Fast).build();
    let output = client(&replay)
        .send_parcel()
        .recipient("Ana Lima")
        .labels("x")
        .labels("y")
        .stamps("s")
        .customs("tea", 2)
        .customs("book", 1)
        .flat_customs("pen", 3)
        .r#box(Parcel::builder().size(Speed::Slow).inner(inner).build())
        .weight(1.5)
        .send_at(DateTime::from_secs(1422172800))
        .sealed_at(DateTime::from_secs(1422172800))
        .note(Blob::new(b"hi".to_vec()))
        .speed(Speed::Fast)
        .fragile(true)
        .token("tok-1")
        .send()
        .await
        .expect("the call succeeds");

    let requests = replay.requests();
    let request = &requests[0];
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri().path(), "/");
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
    check_form_body(
        request.body(),
        "Action=SendParcel&Version=2021-03-04&To=Ana%20Lima\
         &labels.Label.1=x&labels.Label.2=y&Stamp.1=s\
         &customs.entry.1.Item=book&customs.entry.1.Count=1&customs.entry.2.Item=tea&customs.entry.2.Count=2\
         &flatCustoms.1.Item=pen&flatCustoms.1.Count=3\
         &box.size=slow&box.inner.size=fast&weight=1.5\
         &sendAt=2015-01-25T08%3A00%3A00Z&sealedAt=1422172800&note=aGk%3D&speed=fast&fragile=true&token=tok-1",
    );

    assert_eq!(output.tracking_id.as_deref(), Some("T-1"));
    assert_eq!(output.route, Some(vec!["north".to_string(), "east".to_string()]));
    let parcel = output.r#box.expect("box");
    assert_eq!(parcel.size, Some(Speed::Fast));
    assert_eq!(parcel.sides, Some(vec![3, 4]));
}

#[tokio::test]
async fn an_empty_list_is_sent_as_an_empty_value() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200).body("<SendParcelResponse><SendParcelResult/></SendParcelResponse>"));
    let output = client(&replay).send_parcel().recipient("Bo").set_labels(Some(Vec::new())).token("t").send().await.expect("ok");
    check_form_body(replay.requests()[0].body(), "Action=SendParcel&Version=2021-03-04&To=Bo&labels=&token=t");
    assert_eq!(output.tracking_id, None, "an empty Result element is an output without members");
}

#[tokio::test]
async fn a_modeled_error_is_found_by_its_query_error_code() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(400).header("content-type", "text/xml").body(
        "<ErrorResponse><Error><Type>Sender</Type><Code>TooHeavy</Code>\
         <Message>the parcel is too heavy</Message><limit>20.5</limit></Error>\
         <RequestId>r-2</RequestId></ErrorResponse>",
    ));
    let error = client(&replay).send_parcel().recipient("Ana").token("t").send().await.expect_err("an error");
    let service = error.as_service_error().expect("a service error");
    assert_eq!(service.code(), Some("TooHeavy"));
    assert_eq!(service.request_id(), Some("r-2"));
    let SendParcelError::ParcelTooHeavy(heavy) = service else { panic!("not ParcelTooHeavy: {service:?}") };
    assert_eq!(heavy.limit, Some(20.5));
    assert_eq!(heavy.message(), Some("the parcel is too heavy"));
}

#[tokio::test]
async fn a_document_cannot_be_sent_and_fails_before_sending() {
    let replay = ReplayClient::new();
    let error = client(&replay).send_parcel().recipient("Ana").token("t").extras("notes").send().await.expect_err("no form");
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    let text = format!("{error:?}");
    assert!(text.contains("`extras` is a document, which the query protocols cannot send"), "{text}");
    assert!(replay.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_unexpected_root_element_is_a_response_error_not_a_panic() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200).body("<SomethingElse/>"));
    let error = client(&replay).send_parcel().recipient("Ana").token("t").send().await.expect_err("unreadable");
    assert!(error.as_service_error().is_none(), "{error:?}");
    let text = format!("{error:?}");
    assert!(text.contains("expected the root element `SendParcelResponse`"), "{text}");
}
"#;

/// Runs inside the `hangar-client` crate (ec2Query).
const HANGAR_TEST: &str = r#"
use hangar_client::operation::park_plane::ParkPlaneError;
use hangar_client::types::Cargo;
use hangar_client::{Client, Config};
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::testing::protocol_test_checks::check_form_body;
use smithy_runtime::testing::{CannedResponse, ReplayClient};

fn client(replay: &ReplayClient) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("https://hangar.example.com")
        .http_client(replay.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(&config)
}

#[tokio::test]
async fn keys_are_capitalized_and_lists_flattened() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200).header("content-type", "text/xml").body(
        "<ParkPlaneResponse xmlns=\"https://hangar.example.com/doc/2019-11-30/\">\
         <requestId>q-1</requestId><spot>7</spot><crewSet><item>Kim</item><item>Lee</item></crewSet>\
         </ParkPlaneResponse>",
    ));
    let output = client(&replay)
        .park_plane()
        .tail_number("N1")
        .pilot("Kim")
        .gate("g7")
        .crew("Kim")
        .crew("Lee")
        .cargo(Cargo::builder().kind("mail").tags("urgent").build())
        .set_fuel(Some(f64::INFINITY))
        .send()
        .await
        .expect("the call succeeds");
    check_form_body(
        replay.requests()[0].body(),
        "Action=ParkPlane&Version=2019-11-30&TailNumber=N1&PilotName=Kim&GateId=g7\
         &Crew.1=Kim&Crew.2=Lee&Cargo.Kind=mail&Cargo.Tag.1=urgent&Fuel=Infinity",
    );
    assert_eq!(output.spot, Some(7));
    assert_eq!(output.crew_on_board, Some(vec!["Kim".to_string(), "Lee".to_string()]));
}

#[tokio::test]
async fn an_empty_list_sends_nothing() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200).body("<ParkPlaneResponse/>"));
    client(&replay).park_plane().tail_number("N2").set_crew(Some(Vec::new())).send().await.expect("ok");
    check_form_body(replay.requests()[0].body(), "Action=ParkPlane&Version=2019-11-30&TailNumber=N2");
}

#[tokio::test]
async fn errors_are_read_from_response_errors_error() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(503).body(
        "<Response><Errors><Error><Code>HangarFull</Code><Message>no spot is free</Message></Error></Errors>\
         <RequestID>e-1</RequestID></Response>",
    ));
    let error = client(&replay).park_plane().tail_number("N3").send().await.expect_err("an error");
    let service = error.as_service_error().expect("a service error");
    assert_eq!(service.request_id(), Some("e-1"));
    assert_eq!(service.message(), Some("no spot is free"));
    assert!(matches!(service, ParkPlaneError::HangarFull(_)), "{service:?}");
}
"#;

/// `tests/models/<model>.json` as the crate `name`, with `test` as its
/// `tests/replay.rs` and the replay client and tokio as dev-dependencies.
fn crate_with_test(model: &str, name: &str, test: &str) -> GeneratedCrate {
    let path = model_path(model);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let options = standalone_options(name, "tests/tests/query_clients.rs");
    let generated = smithy_codegen::generate(&format!("{model}.json"), &text, &options).unwrap_or_else(|e| panic!("{e}"));
    let mut generated = as_workspace_member(&generated);
    generated.files.insert("tests/replay.rs".to_string(), test.to_string());
    let runtime = workspace_root().join("runtime");
    if let Some(manifest) = generated.files.get_mut("Cargo.toml") {
        manifest.push_str(&format!(
            "\n[dev-dependencies]\nsmithy-runtime = {{ path = {:?}, features = [\"test-util\"] }}\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n",
            runtime.to_string_lossy()
        ));
    }
    generated
}

#[test]
fn query_clients_send_forms_and_read_xml() {
    let mailroom = crate_with_test("aws_query", "mailroom-client", MAILROOM_TEST);
    let hangar = crate_with_test("ec2_query", "hangar-client", HANGAR_TEST);
    let result = run_cargo_in_scratch_workspace(
        &workspace_root().join("target/query-clients-test-crates"),
        &[("mailroom", &mailroom), ("hangar", &hangar)],
        &["test", "--workspace", "--test", "replay"],
        // Shared with the other throwaway crates, so the runtime builds once.
        &workspace_root().join("target/throwaway-crates-target"),
        &[],
    );
    if let Err(output) = result {
        panic!("{output}");
    }
}
