//! Response headers read through a generated client, every field of them:
//! a crate generated from a small restJson1 model (below) whose output binds
//! a string list, an `http-date` list, an integer, a blob and prefix headers
//! is built in a throwaway workspace, and its own test answers calls with the
//! runtime's replay client, sending headers as several fields. Its requests
//! without a body (all members in the URI, or an unset blob payload) carry
//! `Content-Length: 0`.

use integration_tests::{as_workspace_member, run_cargo_in_scratch_workspace, standalone_options, workspace_root};

/// `POST /thing/{id}` with no body and an output read from headers only, and
/// `PUT /thing/{id}` with an optional blob payload.
const MODEL: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "example.headers#Things": {
      "type": "service",
      "version": "2024-01-01",
      "operations": [{"target": "example.headers#GetThing"}, {"target": "example.headers#PutThing"}],
      "traits": {
        "aws.protocols#restJson1": {},
        "aws.api#service": {"sdkId": "Things"},
        "aws.auth#sigv4": {"name": "things"}
      }
    },
    "example.headers#GetThing": {
      "type": "operation",
      "input": {"target": "example.headers#GetThingInput"},
      "output": {"target": "example.headers#GetThingOutput"},
      "errors": [{"target": "example.headers#NotFound"}],
      "traits": {"smithy.api#http": {"method": "POST", "uri": "/thing/{id}"}}
    },
    "example.headers#PutThing": {
      "type": "operation",
      "input": {"target": "example.headers#PutThingInput"},
      "output": {"target": "smithy.api#Unit"},
      "errors": [{"target": "example.headers#NotFound"}],
      "traits": {"smithy.api#http": {"method": "PUT", "uri": "/thing/{id}"}}
    },
    "example.headers#PutThingInput": {
      "type": "structure",
      "members": {
        "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}},
        "data": {"target": "smithy.api#Blob", "traits": {"smithy.api#httpPayload": {}}}
      }
    },
    "example.headers#GetThingInput": {
      "type": "structure",
      "members": {
        "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}
      }
    },
    "example.headers#GetThingOutput": {
      "type": "structure",
      "members": {
        "items": {"target": "example.headers#Strings", "traits": {"smithy.api#httpHeader": "X-Items"}},
        "dates": {"target": "example.headers#Dates", "traits": {"smithy.api#httpHeader": "X-Dates"}},
        "count": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpHeader": "X-Count"}},
        "blob": {"target": "smithy.api#Blob", "traits": {"smithy.api#httpHeader": "X-Blob"}},
        "meta": {"target": "example.headers#Meta", "traits": {"smithy.api#httpPrefixHeaders": "X-Meta-"}}
      }
    },
    "example.headers#NotFound": {
      "type": "structure",
      "members": {"message": {"target": "smithy.api#String"}},
      "traits": {"smithy.api#error": "client", "smithy.api#httpError": 404}
    },
    "example.headers#Strings": {"type": "list", "member": {"target": "smithy.api#String"}},
    "example.headers#Dates": {"type": "list", "member": {"target": "smithy.api#Timestamp"}},
    "example.headers#Meta": {
      "type": "map",
      "key": {"target": "smithy.api#String"},
      "value": {"target": "smithy.api#String"}
    }
  }
}"#;

/// Runs inside the throwaway crate.
const CRATE_TEST: &str = r#"
use headers_client::primitives::DateTime;
use headers_client::{Client, Config};
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::client::SdkError;
use smithy_runtime::testing::{CannedResponse, ReplayClient};

fn client(replay: &ReplayClient) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("https://things.example.com")
        .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
        .http_client(replay.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(&config)
}

#[tokio::test]
async fn headers_sent_as_several_fields_are_read_whole() {
    let replay = ReplayClient::new();
    replay.push(
        CannedResponse::new(200)
            .header("x-items", "a")
            .header("x-items", "\"b,c\", d")
            .header("x-dates", "Mon, 16 Dec 2019 23:48:18 GMT")
            .header("x-dates", "Tue, 17 Dec 2019 23:48:18 GMT")
            .header("x-count", "7")
            .header("x-blob", "aGk=")
            .header("x-meta-color", "red")
            .header("x-meta-color", "blue")
            .header("x-meta-size", "L"),
    );
    let output = client(&replay).get_thing().id("t1").send().await.expect("output");
    assert_eq!(output.items.as_deref(), Some(&["a".to_owned(), "b,c".to_owned(), "d".to_owned()][..]));
    assert_eq!(
        output.dates,
        Some(vec![DateTime::from_secs(1576540098), DateTime::from_secs(1576626498)])
    );
    assert_eq!(output.count, Some(7));
    assert_eq!(output.blob.map(|b| b.into_inner()), Some(b"hi".to_vec()));
    let meta = output.meta.unwrap_or_default();
    assert_eq!(meta.get("color").map(String::as_str), Some("red, blue"));
    assert_eq!(meta.get("size").map(String::as_str), Some("L"));

    // The request had no body: a POST says so with Content-Length: 0.
    let sent = replay.requests();
    assert_eq!(sent[0].method(), "POST");
    assert_eq!(sent[0].header("content-length"), Some("0"));
    assert!(sent[0].body().is_empty());
}

#[tokio::test]
async fn an_unset_payload_is_no_body_with_a_zero_length() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200)).push(CannedResponse::new(200));
    let client = client(&replay);
    client.put_thing().id("t1").send().await.expect("unset payload");
    client.put_thing().id("t1").data(b"abc".to_vec()).send().await.expect("payload");
    let sent = replay.requests();
    assert_eq!(sent[0].method(), "PUT");
    assert_eq!(sent[0].header("content-length"), Some("0"));
    assert_eq!(sent[0].header("content-type"), None);
    assert!(sent[0].body().is_empty());
    assert_eq!(sent[1].header("content-length"), Some("3"));
    assert_eq!(sent[1].header("content-type"), Some("application/octet-stream"));
    assert_eq!(&sent[1].body()[..], b"abc");
}

#[tokio::test]
async fn a_scalar_sent_twice_is_an_error_naming_the_header_not_its_values() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200).header("x-count", "7").header("x-count", "8"));
    let error = client(&replay).get_thing().id("t1").send().await.expect_err("two counts");
    assert!(matches!(error, SdkError::Response(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("at `X-Count`: expected a 32-bit integer"), "{text}");
    assert!(!text.contains("7, 8"), "{text}");
}
"#;

#[test]
fn a_generated_client_reads_every_field_of_a_header() {
    let options = standalone_options("headers-client", "tests/tests/http_headers.rs");
    let generated = smithy_codegen::generate("http_headers.json", MODEL, &options).unwrap_or_else(|e| panic!("{e}"));
    let mut generated = as_workspace_member(&generated);
    generated.files.insert("tests/headers.rs".to_string(), CRATE_TEST.to_string());
    if let Some(manifest) = generated.files.get_mut("Cargo.toml") {
        manifest.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n");
    }
    let result = run_cargo_in_scratch_workspace(
        &workspace_root().join("target/http-headers-test-crate"),
        &[("headers", &generated)],
        &["test", "--features", "test-util", "--test", "headers"],
        // Shared with the redaction and serde crates, so the runtime builds once.
        &workspace_root().join("target/throwaway-crates-target"),
        &[],
    );
    if let Err(output) = result {
        panic!("{output}");
    }
}
