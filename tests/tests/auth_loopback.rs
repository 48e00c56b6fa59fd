//! The client generated from `tests/models/auth.json`, against a real
//! loopback HTTP server: each operation authenticates as its model says
//! (`@auth([])` unsigned with no credentials provider, `@optionalAuth` signed
//! only with credentials, bearer auth with the configured token, the
//! service's order otherwise). The crate is generated, given the test below
//! and run with `cargo test` in a throwaway workspace.

use integration_tests::{as_workspace_member, generate_test_model, run_cargo_in_scratch_workspace, workspace_root};

#[test]
fn generated_operations_authenticate_as_their_model_says() {
    let root = workspace_root().join("target/auth-test-crates");
    let mut generated = as_workspace_member(&generate_test_model("auth"));
    if let Some(manifest) = generated.files.get_mut("Cargo.toml") {
        manifest.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"rt\", \"macros\", \"net\", \"io-util\"] }\n");
    }
    generated.files.insert("tests/loopback.rs".to_string(), LOOPBACK_TEST.to_string());
    let result = run_cargo_in_scratch_workspace(
        &root,
        &[("auth", &generated)],
        &["test", "-p", "snapshot-auth", "--test", "loopback"],
        // Shared with the serde round-trip and redaction crates, so the runtime builds once.
        &workspace_root().join("target/throwaway-crates-target"),
        &[],
    );
    if let Err(output) = result {
        panic!("{output}");
    }
}

const LOOPBACK_TEST: &str = r#"
use smithy_runtime::auth::credentials::Credentials;
use snapshot_auth::{Client, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves `count` requests on 127.0.0.1, one per connection, each answered
/// `200 {}`; returns the endpoint URL and the request heads, lowercased.
async fn serve(count: usize) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let heads = tokio::spawn(async move {
        let mut heads = Vec::new();
        for _ in 0..count {
            let (mut socket, _) = listener.accept().await.expect("accept");
            let mut read = Vec::new();
            let mut buffer = [0u8; 4096];
            while !read.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = socket.read(&mut buffer).await.expect("read");
                assert!(n > 0, "the client closed before sending a whole head");
                read.extend_from_slice(&buffer[..n]);
            }
            let head = String::from_utf8_lossy(&read).to_lowercase();
            // Read the body too, so closing the socket never resets the connection.
            let head_len = head.find("\r\n\r\n").map_or(0, |at| at + 4);
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
            heads.push(head);
            let response = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
            socket.write_all(response.as_bytes()).await.expect("write");
        }
        heads
    });
    (url, heads)
}

fn authorization(head: &str) -> Option<&str> {
    head.lines().find_map(|line| line.strip_prefix("authorization: "))
}

#[tokio::test]
async fn unsigned_optional_bearer_and_service_order() {
    let (url, heads) = serve(6).await;
    // No region, no credentials provider, no token.
    let bare = Config::builder().endpoint_url(url.as_str()).build();
    let client = Client::new(&bare);
    client.ping().send().await.expect("@auth([]) needs nothing");
    client.get_profile().send().await.expect("@optionalAuth goes unsigned without credentials");
    let missing = client.list_projects().send().await.expect_err("bearer auth needs a token");
    assert!(missing.to_string().contains("bearer token"), "{missing}");

    let full = bare
        .to_builder()
        .region("us-east-1")
        .credentials_provider(Credentials::from_keys("AKIDEXAMPLE", "SECRET"))
        .bearer_token("tok-123")
        .build();
    let client = Client::new(&full);
    client.ping().send().await.expect("still unsigned");
    client.get_profile().send().await.expect("signed");
    client.list_projects().send().await.expect("bearer");
    client.put_note().text("hi").send().await.expect("SigV4 first in the service's order");

    let heads = heads.await.expect("server");
    let auth: Vec<Option<&str>> = heads.iter().map(|h| authorization(h)).collect();
    assert_eq!(auth[0], None, "{}", heads[0]);
    assert_eq!(auth[1], None, "{}", heads[1]);
    assert_eq!(auth[2], None, "{}", heads[2]);
    assert!(auth[3].is_some_and(|a| a.starts_with("aws4-hmac-sha256 credential=akidexample/")), "{}", heads[3]);
    assert!(auth[3].is_some_and(|a| a.contains("/us-east-1/accounts/aws4_request")), "{}", heads[3]);
    assert_eq!(auth[4], Some("bearer tok-123"), "{}", heads[4]);
    assert!(auth[5].is_some_and(|a| a.starts_with("aws4-hmac-sha256 ")), "{}", heads[5]);
}
"#;
