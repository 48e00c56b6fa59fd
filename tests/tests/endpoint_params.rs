//! Endpoint parameters reach the resolved endpoint: the `endpoint_params`
//! feature model (tests/models/endpoint_params.json) is generated into a
//! throwaway crate, and a test inside it calls a real loopback HTTP server
//! through the generated client. The model's rules put each parameter into
//! the URL path (or a header) under the configured `endpoint_url`, so the
//! path the server sees shows which parameters the rules were given:
//! a member's `contextParam` (string and boolean), an operation's
//! `staticContextParams`, `operationContextParams` paths (`Owner.Name`,
//! `Requests[*].Table`, `Requests[*].Tags[]`, `keys(Labels)`), and client context parameters set
//! with the generated typed setters (`.accelerate(true)`, `.tenant(…)`);
//! a blank value of a required `contextParam` member is refused before
//! anything is sent.

use integration_tests::{as_workspace_member, generate_test_model, run_cargo_in_scratch_workspace, workspace_root};

const LOOPBACK_TEST: &str = r#"
use std::sync::{Arc, Mutex};

use smithy_runtime::auth::credentials::Credentials;
use snapshot_endpoint_params::config::{Config, ConfigBuilder, ConfigBuilderExt};
use snapshot_endpoint_params::types::{Owner, Request};
use snapshot_endpoint_params::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    /// Header lines, lowercased.
    headers: Vec<String>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A loopback HTTP/1.1 server answering `{}` to every request (one request
/// per connection); returns its URL and the log of requests.
async fn serve() -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            let head_end = loop {
                let n = socket.read(&mut buf).await.unwrap_or(0);
                if n == 0 {
                    break None;
                }
                data.extend_from_slice(&buf[..n]);
                if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                    break Some(at);
                }
            };
            let Some(head_end) = head_end else { continue };
            let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
            let mut lines = head.lines();
            let path = lines.next().and_then(|l| l.split(' ').nth(1)).unwrap_or_default().to_string();
            let headers: Vec<String> = lines.map(str::to_lowercase).collect();
            let length: usize = headers
                .iter()
                .find_map(|h| h.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while data.len() < head_end + 4 + length {
                let n = socket.read(&mut buf).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                data.extend_from_slice(&buf[..n]);
            }
            seen.lock().expect("log").push(Seen { path, headers });
            let response = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, log)
}

fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
}

fn last(log: &Log) -> Seen {
    log.lock().expect("log").last().cloned().expect("a request was sent")
}

#[tokio::test]
async fn each_parameter_reaches_the_resolved_endpoint() {
    let (url, log) = serve().await;
    let client = Client::new(&config(&url).build());

    client.list_buckets().send().await.expect("ListBuckets");
    assert_eq!(last(&log).path, "/ListBuckets", "no operation parameters: the client's endpoint");

    // contextParam (string) on GetObject's `Bucket`.
    client.get_object().bucket("logs").key("k").send().await.expect("GetObject");
    assert_eq!(last(&log).path, "/buckets/logs/GetObject");
    client.get_object().bucket("media").key("k").send().await.expect("GetObject");
    assert_eq!(last(&log).path, "/buckets/media/GetObject", "a new bucket, a new endpoint");
    client.get_object().bucket("logs").key("k2").send().await.expect("GetObject");
    assert_eq!(last(&log).path, "/buckets/logs/GetObject", "the first bucket again");

    // contextParam (boolean) on GetObject's `UseReplica`.
    client.get_object().bucket("logs").key("k").use_replica(true).send().await.expect("GetObject");
    assert_eq!(last(&log).path, "/replicas/logs/GetObject");

    // staticContextParams (ControlPlane = true), with and without the
    // operationContextParams path `Owner.Name`.
    client.create_bucket().bucket("b").send().await.expect("CreateBucket");
    assert_eq!(last(&log).path, "/control/CreateBucket");
    let owner = Owner::builder().name("ana").build().expect("owner");
    client.create_bucket().bucket("b").owner(owner).send().await.expect("CreateBucket");
    assert_eq!(last(&log).path, "/control/ana/CreateBucket");

    // operationContextParams lists: `Requests[*].Table` and `keys(Labels)`.
    client
        .batch_get()
        .requests(Request::builder().table("orders").id("1").build())
        .requests(Request::builder().id("no table").build())
        .requests(Request::builder().table("users").build())
        .labels("team", "blue")
        .send()
        .await
        .expect("BatchGet");
    let seen = last(&log);
    assert_eq!(seen.path, "/tables/orders/BatchGet");
    assert!(seen.headers.contains(&"x-first-label: team".to_string()), "{seen:?}");
    client.batch_get().send().await.expect("BatchGet");
    assert_eq!(last(&log).path, "/BatchGet", "no requests: the paths give nothing, the parameters stay unset");

    // `Requests[*].Tags[]` flattens every request's tags into one list; the
    // rules route by its second entry, which comes from the second request.
    client
        .batch_get()
        .requests(Request::builder().table("orders").tags("a").build())
        .requests(Request::builder().tags("b").tags("c").build())
        .send()
        .await
        .expect("BatchGet");
    assert_eq!(last(&log).path, "/tagged/b/BatchGet");

    // A required `contextParam` member that is blank is refused before sending.
    let sent = log.lock().expect("log").len();
    let err = client.get_object().bucket("  ").key("k").send().await.expect_err("blank bucket");
    let text = format!("{err}: {:?}", std::error::Error::source(&err));
    assert!(text.contains("`bucket` must not be empty or only whitespace"), "{text}");
    assert_eq!(log.lock().expect("log").len(), sent, "nothing was sent");
}

#[tokio::test]
async fn client_context_params_come_from_the_typed_config_setters() {
    let (url, log) = serve().await;
    let client = Client::new(&config(&url).accelerate(true).tenant("acme").build());
    client.get_object().bucket("logs").key("k").send().await.expect("GetObject");
    assert_eq!(last(&log).path, "/accelerated/logs/GetObject");
    client.list_buckets().send().await.expect("ListBuckets");
    let seen = last(&log);
    assert_eq!(seen.path, "/ListBuckets");
    assert!(seen.headers.contains(&"x-tenant: acme".to_string()), "{seen:?}");

    let plain = Client::new(&config(&url).accelerate(true).set_accelerate(None).build());
    plain.get_object().bucket("logs").key("k").send().await.expect("GetObject");
    assert_eq!(last(&log).path, "/buckets/logs/GetObject", "unset: the rules' default (false)");
}

#[tokio::test]
async fn without_endpoint_url_the_rules_choose_a_host_per_bucket() {
    use smithy_runtime::testing::{CannedResponse, ReplayClient};
    let replay = ReplayClient::new();
    replay.push(CannedResponse::json(200, "{}")).push(CannedResponse::json(200, "{}"));
    let client = Client::new(
        &Config::builder()
            .region("eu-west-1")
            .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
            .http_client(replay.clone())
            .build(),
    );
    client.get_object().bucket("logs").key("k").send().await.expect("GetObject");
    client.list_buckets().send().await.expect("ListBuckets");
    let uris: Vec<String> = replay.requests().iter().map(|r| r.uri().to_string()).collect();
    assert_eq!(
        uris,
        ["https://logs.storage.eu-west-1.example.com/GetObject", "https://storage.eu-west-1.example.com/ListBuckets"]
    );
}
"#;

#[test]
fn endpoint_params_reach_a_loopback_server() {
    let root = workspace_root().join("target/endpoint-params-test-crates");
    let mut generated = as_workspace_member(&generate_test_model("endpoint_params"));
    let manifest = generated.files.get_mut("Cargo.toml").expect("a manifest");
    assert!(!manifest.contains("[dev-dependencies]"), "the feature crate has no dev-dependencies to extend");
    manifest.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\", \"net\", \"io-util\"] }\n");
    generated.files.insert("tests/loopback.rs".to_string(), LOOPBACK_TEST.to_string());
    let result = run_cargo_in_scratch_workspace(
        &root,
        &[("endpoint-params", &generated)],
        &["test", "-p", "snapshot-endpoint-params", "--features", "test-util", "--test", "loopback"],
        // Shared with the redaction and serde tests' crates, so the runtime builds once.
        &workspace_root().join("target/throwaway-crates-target"),
        &[],
    );
    if let Err(output) = result {
        panic!("{output}");
    }
}
