//! `@requestCompression` through a generated client, against a real
//! loopback HTTP server: a crate generated from a small restJson1 model
//! (below) sends large bodies of its `PutLog` operation gzipped, with
//! `Content-Encoding: gzip` after any encoding the input sets, and the
//! server decompresses what it receives. Small bodies, a client with
//! compression disabled and an operation without the trait send plain JSON;
//! the minimum size is configurable and an out-of-range one fails the call
//! before anything is sent. The crate is generated, given the test below
//! and run with `cargo test` in a throwaway workspace.

use integration_tests::{as_workspace_member, run_cargo_in_scratch_workspace, standalone_options, workspace_root};

/// `PutLog` compresses (its model prefers `br`, which this generator does
/// not know, then `gzip`); `PutNote` does not.
const MODEL: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "example.logs#Logs": {
      "type": "service",
      "version": "2024-01-01",
      "operations": [{"target": "example.logs#PutLog"}, {"target": "example.logs#PutNote"}],
      "traits": {
        "aws.protocols#restJson1": {},
        "aws.api#service": {"sdkId": "Logs"},
        "aws.auth#sigv4": {"name": "logs"}
      }
    },
    "example.logs#PutLog": {
      "type": "operation",
      "input": {"target": "example.logs#PutInput"},
      "output": {"target": "smithy.api#Unit"},
      "traits": {
        "smithy.api#http": {"method": "POST", "uri": "/log"},
        "smithy.api#requestCompression": {"encodings": ["br", "gzip"]}
      }
    },
    "example.logs#PutNote": {
      "type": "operation",
      "input": {"target": "example.logs#PutInput"},
      "output": {"target": "smithy.api#Unit"},
      "traits": {"smithy.api#http": {"method": "POST", "uri": "/note"}}
    },
    "example.logs#PutInput": {
      "type": "structure",
      "members": {
        "encoding": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "Content-Encoding"}},
        "text": {"target": "smithy.api#String"}
      }
    }
  }
}"#;

/// Runs inside the throwaway crate.
const LOOPBACK_TEST: &str = r#"
use std::io::Read;

use logs_client::{Client, Config};
use smithy_runtime::client::SdkError;
use smithy_runtime::auth::credentials::Credentials;
use smithy_runtime::behavior::retry::RetryConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as the server received it: its head (lowercased) and its
/// body, gunzipped when it says `gzip`.
struct Received {
    head: String,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}: ");
        self.head.lines().find_map(|line| line.strip_prefix(prefix.as_str()))
    }
}

/// Serves `count` requests on 127.0.0.1, one per connection, each answered
/// `200 {}`; returns the endpoint URL and what was received.
async fn serve(count: usize) -> (String, tokio::task::JoinHandle<Vec<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let received = tokio::spawn(async move {
        let mut received = Vec::new();
        for _ in 0..count {
            let (mut socket, _) = listener.accept().await.expect("accept");
            let mut read = Vec::new();
            let mut buffer = [0u8; 8192];
            let head_len = loop {
                if let Some(at) = read.windows(4).position(|w| w == b"\r\n\r\n") {
                    break at + 4;
                }
                let n = socket.read(&mut buffer).await.expect("read");
                assert!(n > 0, "the client closed before sending a whole head");
                read.extend_from_slice(&buffer[..n]);
            };
            let head = String::from_utf8_lossy(&read[..head_len]).to_lowercase();
            let body_len: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length: "))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0);
            while read.len() < head_len + body_len {
                let n = socket.read(&mut buffer).await.expect("read");
                assert!(n > 0, "the client closed before sending the whole body");
                read.extend_from_slice(&buffer[..n]);
            }
            let raw = &read[head_len..head_len + body_len];
            let mut body = String::new();
            if head.lines().any(|line| line.starts_with("content-encoding:") && line.ends_with("gzip")) {
                flate2::read::GzDecoder::new(raw).read_to_string(&mut body).expect("a gzip body");
            } else {
                body = String::from_utf8_lossy(raw).into_owned();
            }
            received.push(Received { head, body });
            let response = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
            socket.write_all(response.as_bytes()).await.expect("write");
        }
        received
    });
    (url, received)
}

fn config(url: &str) -> Config {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials_provider(Credentials::from_keys("AKIDEXAMPLE", "SECRET"))
        .retry_config(RetryConfig::disabled())
        .build()
}

#[tokio::test]
async fn large_bodies_arrive_gzipped_and_decompress() {
    let (url, received) = serve(6).await;
    let large = "log line\n".repeat(2_000);
    let client = Client::new(&config(&url));
    client.put_log().text(large.as_str()).send().await.expect("compressed");
    client.put_log().text(large.as_str()).encoding("custom").send().await.expect("appended");
    client.put_log().text("short").send().await.expect("below the minimum");
    client.put_note().text(large.as_str()).send().await.expect("no trait");
    let off = Client::new(&config(&url).to_builder().disable_request_compression(true).build());
    off.put_log().text(large.as_str()).send().await.expect("disabled");
    let eager = Client::new(&config(&url).to_builder().request_min_compression_size_bytes(0).build());
    eager.put_log().text("short").send().await.expect("minimum 0");

    let received = received.await.expect("server");
    let expected_large = serde_json::json!({ "text": large });
    let body = |r: &Received| serde_json::from_str::<serde_json::Value>(&r.body).expect("JSON");

    assert_eq!(received[0].header("content-encoding"), Some("gzip"));
    let wire_len: usize = received[0].header("content-length").and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(wire_len < large.len() / 10, "{wire_len} bytes on the wire");
    assert!(received[0].header("authorization").is_some(), "signed after compressing");
    assert_eq!(body(&received[0]), expected_large);

    assert_eq!(received[1].header("content-encoding"), Some("custom, gzip"));
    assert_eq!(body(&received[1]), expected_large);

    assert_eq!(received[2].header("content-encoding"), None);
    assert_eq!(body(&received[2]), serde_json::json!({ "text": "short" }));

    for plain in [&received[3], &received[4]] {
        assert_eq!(plain.header("content-encoding"), None, "{}", plain.head);
        assert_eq!(body(plain), expected_large);
    }

    assert_eq!(received[5].header("content-encoding"), Some("gzip"));
    assert_eq!(body(&received[5]), serde_json::json!({ "text": "short" }));
}

#[tokio::test]
async fn an_out_of_range_minimum_fails_the_call_before_sending() {
    // Nothing listens: the call must fail before any connection.
    let bad = config("http://127.0.0.1:9").to_builder().request_min_compression_size_bytes(10_485_761).build();
    let error = Client::new(&bad).put_log().text("x").send().await.expect_err("invalid setting");
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(error.to_string().contains("request_min_compression_size_bytes: 10485761 is out of range"), "{error}");
}
"#;

#[test]
fn a_generated_client_gzips_large_bodies_a_server_can_read() {
    let options = standalone_options("logs-client", "tests/tests/request_compression.rs");
    let generated = smithy_codegen::generate("request_compression.json", MODEL, &options).unwrap_or_else(|e| panic!("{e}"));
    let mut generated = as_workspace_member(&generated);
    let manifest = generated.files.get("Cargo.toml").cloned().unwrap_or_default();
    assert!(manifest.contains("features = [\"request-compression\"]"), "the runtime feature is on:\n{manifest}");
    generated.files.insert("tests/loopback.rs".to_string(), LOOPBACK_TEST.to_string());
    if let Some(manifest) = generated.files.get_mut("Cargo.toml") {
        manifest.push_str(
            "\n[dev-dependencies]\nflate2 = \"1\"\nserde_json = \"1\"\n\
             tokio = { version = \"1\", features = [\"rt\", \"macros\", \"net\", \"io-util\"] }\n",
        );
    }
    let result = run_cargo_in_scratch_workspace(
        &workspace_root().join("target/request-compression-test-crate"),
        &[("logs", &generated)],
        &["test", "--test", "loopback"],
        // Shared with the other throwaway crates, so the runtime builds once.
        &workspace_root().join("target/throwaway-crates-target"),
        &[],
    );
    if let Err(output) = result {
        panic!("{output}");
    }
}

#[test]
fn crates_without_a_compressing_client_do_not_build_the_compressor() {
    let without_trait =
        MODEL.replace(r#""smithy.api#requestCompression": {"encodings": ["br", "gzip"]}"#, r#""smithy.api#readonly": {}"#);
    // A protocol without a client yet: only the types are generated.
    let types_only = MODEL.replace("aws.protocols#restJson1", "smithy.protocols#rpcv2Cbor");
    for model in [without_trait, types_only] {
        let options = standalone_options("logs-client", "tests/tests/request_compression.rs");
        let generated = smithy_codegen::generate("request_compression.json", &model, &options).unwrap_or_else(|e| panic!("{e}"));
        let manifest = generated.files.get("Cargo.toml").cloned().unwrap_or_default();
        let runtime = manifest.lines().find(|line| line.starts_with("smithy-runtime = ")).unwrap_or_default();
        assert!(runtime.ends_with("/runtime\" }"), "no runtime feature: {runtime}");
    }
}
