//! The client pipeline (`ClientHandle::call`) end to end: a hand-written fake
//! operation (no generated code) against a real loopback HTTP server, through
//! the real hyper client, signer and attempt loop. Backoff never waits (fake
//! sleep) and the signing clock is fixed (manual time source).
//!
//! Tests that must see an `https://…amazonaws.com` URI use a recording
//! `HttpClient` instead of the network.

mod support;

use std::error::Error;
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use smithy_runtime::auth::credentials::{
    self, Credentials, CredentialsFuture, CredentialsResult, ProvideCredentials,
};
use smithy_runtime::auth::sigv4::{self, SigningSettings};
use smithy_runtime::behavior::attempts::SendErrorKind;
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::behavior::sleep::{AsyncSleep, ManualTimeSource, Sleep, TokioSleep};
use smithy_runtime::behavior::timeout::TimeoutConfig;
use smithy_runtime::client::{
    ClientHandle, Config, ConfigBuilder, CreateUnhandledError, OperationSpec, ProvideErrorMetadata,
    SdkError, ServiceSpec, Unhandled,
};
use smithy_runtime::config::environment::Environment;
use smithy_runtime::endpoint::LazyRuleSet;
use smithy_runtime::http::{BoxError, HttpClient, HttpFuture, OperationName};
use smithy_runtime::protocol::{
    json_de, DeserializeError, ErrorMetadata, HostPrefix, SerializeError,
};
use smithy_runtime::protocol::http::{build_request, QueryWriter};
use support::{Action, FakeSleep, ScriptedServer};

// ---------------------------------------------------------------------------
// A hand-written fake operation, shaped like what the generator emits.

/// 2024-01-02T03:04:05Z, the signing time of every test.
const NOW_SECS: u64 = 1_704_164_645;
const AMZ_DATE: &str = "20240102T030405Z";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SESSION-TOKEN-EXAMPLE";

fn ivs_rules_json() -> &'static str {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/ivs-realtime.json");
    let text = std::fs::read_to_string(&path).expect("read ../model/ivs-realtime.json");
    let model: serde_json::Value = serde_json::from_str(&text).expect("model is JSON");
    let rules = &model["shapes"]["com.amazonaws.ivsrealtime#AmazonInteractiveVideoServiceRealTime"]
        ["traits"]["smithy.rules#endpointRuleSet"];
    assert!(rules.is_object(), "the model has an endpoint rule set");
    Box::leak(rules.to_string().into_boxed_str())
}

/// The IVS RealTime service, with its real endpoint rules.
fn ivs_service() -> &'static ServiceSpec {
    let rules: &'static LazyRuleSet = Box::leak(Box::new(LazyRuleSet::new(ivs_rules_json())));
    Box::leak(Box::new(ServiceSpec {
        service_id: "IVS RealTime",
        signing_name: "ivs",
        endpoint_rules: Some(rules),
        api_version: "2020-07-14",
        protocol: smithy_runtime::protocol::Protocol::RestJson1,
        query_compatible: false,
        retryable_errors: &[],
    }))
}

/// A service whose only endpoint asks for another signing region and name.
fn service_with_auth_schemes() -> &'static ServiceSpec {
    static RULES: LazyRuleSet = LazyRuleSet::new(
        r#"{"version": "1.0", "parameters": {}, "rules": [
            {"type": "endpoint", "conditions": [], "endpoint": {
                "url": "https://custom.example.com/prefix",
                "properties": {"authSchemes": [
                    {"name": "sigv4a", "signingRegionSet": ["*"]},
                    {"name": "sigv4", "signingName": "othersvc", "signingRegion": "eu-central-1"}]},
                "headers": {"x-endpoint-extra": ["yes"]}}}]}"#,
    );
    static SERVICE: ServiceSpec = ServiceSpec {
        service_id: "Custom",
        signing_name: "ivs",
        endpoint_rules: Some(&RULES),
        api_version: "2020-07-14",
        protocol: smithy_runtime::protocol::Protocol::RestJson1,
        query_compatible: false,
        retryable_errors: &[],
    };
    &SERVICE
}

static GET_STAGE: OperationSpec = signed_operation("GetStage");

/// An operation signed with SigV4, 200 on success, sent uncompressed.
const fn signed_operation(name: &'static str) -> OperationSpec {
    support::operation(name, false, false)
}

fn ignore_output(_: &Response<Bytes>) -> Result<(), DeserializeError> {
    Ok(())
}

fn unhandled(_: &Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
    Ok(Unhandled::new(meta, None))
}

#[derive(Debug, PartialEq)]
struct GetStageOutput {
    name: String,
}

fn ser_get_stage(arn: &str, host_prefix: Option<&str>) -> Result<Request<Bytes>, SerializeError> {
    let mut query = QueryWriter::new("");
    query.push("x", "a b");
    let body = serde_json::json!({ "arn": arn }).to_string();
    let mut request = build_request(
        "POST",
        format!("/GetStage{}", query.finish()),
        HeaderMap::new(),
        Some(("application/json", Bytes::from(body))),
    )?;
    if let Some(prefix) = host_prefix {
        request
            .extensions_mut()
            .insert(HostPrefix(prefix.to_owned()));
    }
    Ok(request)
}

fn parse_get_stage(response: &Response<Bytes>) -> Result<GetStageOutput, DeserializeError> {
    let body = json_de::parse_body(response.body())?;
    let object = json_de::object(&body, "")?;
    let stage = object
        .get("stage")
        .ok_or_else(|| DeserializeError::new("stage", "missing"))?;
    let stage = json_de::object(stage, "stage")?;
    let name = stage
        .get("name")
        .ok_or_else(|| DeserializeError::new("stage.name", "missing"))?;
    Ok(GetStageOutput {
        name: json_de::string(name, "stage.name")?,
    })
}

#[derive(Debug)]
struct ResourceNotFoundException {
    meta: ErrorMetadata,
}

#[derive(Debug)]
enum GetStageError {
    ResourceNotFound(ResourceNotFoundException),
    Unhandled(Unhandled),
}

impl fmt::Display for GetStageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetStageError::ResourceNotFound(e) => e.meta.fmt(f),
            GetStageError::Unhandled(e) => e.fmt(f),
        }
    }
}

impl Error for GetStageError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            GetStageError::ResourceNotFound(_) => None,
            GetStageError::Unhandled(e) => e.source(),
        }
    }
}

impl ProvideErrorMetadata for GetStageError {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            GetStageError::ResourceNotFound(e) => &e.meta,
            GetStageError::Unhandled(e) => e.meta(),
        }
    }
}

impl CreateUnhandledError for GetStageError {
    fn create_unhandled(meta: ErrorMetadata, source: Option<BoxError>) -> Self {
        GetStageError::Unhandled(Unhandled::new(meta, source))
    }
}

fn parse_get_stage_error(
    response: &Response<Bytes>,
    meta: ErrorMetadata,
) -> Result<GetStageError, DeserializeError> {
    match meta.code() {
        Some("ResourceNotFoundException") => {
            // Modeled errors read their body; a broken one is an error.
            json_de::parse_body(response.body())?;
            Ok(GetStageError::ResourceNotFound(ResourceNotFoundException {
                meta,
            }))
        }
        _ => Ok(GetStageError::create_unhandled(meta, None)),
    }
}

async fn get_stage(handle: &ClientHandle) -> Result<GetStageOutput, SdkError<GetStageError>> {
    get_stage_with_prefix(handle, None).await
}

async fn get_stage_with_prefix(
    handle: &ClientHandle,
    host_prefix: Option<&str>,
) -> Result<GetStageOutput, SdkError<GetStageError>> {
    handle
        .call(
            &GET_STAGE,
            ser_get_stage("arn:aws:ivs:us-east-1:123456789012:stage/abc", host_prefix),
            parse_get_stage,
            parse_get_stage_error,
        )
        .await
}

// ---------------------------------------------------------------------------
// Test doubles.

/// A credentials provider that counts how often it is asked.
#[derive(Debug, Default)]
struct CountingProvider {
    calls: AtomicUsize,
}

impl ProvideCredentials for CountingProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        CredentialsFuture::ready(CredentialsResult::Ok(Credentials::new(
            "AKID",
            SECRET,
            Some(TOKEN.to_owned()),
            None,
            "Counting",
        )))
    }
}

/// An `HttpClient` that records each request and answers 200 with a stage.
#[derive(Debug, Default)]
struct RecordingClient {
    requests: Mutex<Vec<Request<Bytes>>>,
    /// Says it never reads the `OperationName` extension.
    ignores_operation_names: bool,
}

impl RecordingClient {
    fn uris(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.uri().to_string())
            .collect()
    }

    fn header(&self, index: usize, name: &str) -> String {
        self.requests.lock().unwrap()[index]
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    }
}

impl HttpClient for RecordingClient {
    fn call(&self, request: Request<Bytes>) -> HttpFuture<'_> {
        self.requests.lock().unwrap().push(request);
        Box::pin(async {
            Ok(Response::new(Bytes::from_static(
                br#"{"stage":{"name":"recorded"}}"#,
            )))
        })
    }

    fn reads_operation_name(&self) -> bool {
        !self.ignores_operation_names
    }
}

#[tokio::test]
async fn the_operation_name_goes_to_http_clients_that_read_it() {
    for ignores_operation_names in [false, true] {
        let client = Arc::new(RecordingClient { ignores_operation_names, ..RecordingClient::default() });
        let config = base_config(Arc::new(FakeSleep::new())).http_client(Arc::clone(&client)).build();
        get_stage(&ClientHandle::new(&config, ivs_service())).await.expect("recorded");
        let requests = client.requests.lock().unwrap();
        let name = requests[0].extensions().get::<OperationName>();
        match ignores_operation_names {
            false => assert_eq!(name, Some(&OperationName("GetStage"))),
            true => assert_eq!(name, None),
        }
    }
}

/// A sleep that finishes at once, whatever the duration: armed timeouts fire
/// immediately.
#[derive(Debug)]
struct InstantSleep;

impl AsyncSleep for InstantSleep {
    fn sleep(&self, _duration: Duration) -> Sleep {
        Box::pin(async {})
    }
}

fn clock() -> ManualTimeSource {
    ManualTimeSource::new(UNIX_EPOCH + Duration::from_secs(NOW_SECS))
}

/// Region, static credentials, fake sleep and fixed clock; the caller adds
/// the endpoint.
fn base_config(sleep: Arc<FakeSleep>) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", SECRET, None, None, "Test"))
        .sleep_impl(sleep)
        .time_source(clock())
}

/// Signs what the server received (minus its signature) again with the
/// test's key and time, for `service` in us-east-1.
fn resign(
    request: &support::RecordedRequest,
    service: &str,
    settings: SigningSettings,
) -> sigv4::SigningOutput {
    let payload = sigv4::Payload::Bytes(&request.body);
    support::resign(request, service, payload, settings, SECRET, UNIX_EPOCH + Duration::from_secs(NOW_SECS))
}

/// Checks the `Authorization` header's shape and returns its three parts.
fn authorization_parts(value: &str) -> (String, Vec<String>, String) {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 Credential=")
        .unwrap_or_else(|| panic!("not SigV4: {value}"));
    let (credential, rest) = rest.split_once(", SignedHeaders=").expect("SignedHeaders");
    let (signed, signature) = rest.split_once(", Signature=").expect("Signature");
    assert_eq!(signature.len(), 64, "{signature}");
    assert!(signature
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    (
        credential.to_owned(),
        signed.split(';').map(str::to_owned).collect(),
        signature.to_owned(),
    )
}

// ---------------------------------------------------------------------------
// Against the loopback server.

#[tokio::test]
async fn success_is_parsed_and_the_request_arrives_signed_at_the_joined_path() {
    let server = ScriptedServer::start(vec![Action::Respond {
        status: 200,
        headers: vec![
            ("content-type", "application/json".to_owned()),
            ("x-amzn-requestid", "req-ok".to_owned()),
        ],
        body: r#"{"stage":{"name":"demo","arn":"x"}}"#.to_owned(),
    }])
    .await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .endpoint_url(server.url("/base/"))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());

    let output = get_stage(&handle).await.expect("call succeeds");
    assert_eq!(
        output,
        GetStageOutput {
            name: "demo".to_owned()
        }
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, http::Method::POST);
    assert_eq!(request.uri.path(), "/base/GetStage");
    assert_eq!(request.uri.query(), Some("x=a%20b"));
    assert_eq!(request.header("x-amz-date"), AMZ_DATE);
    assert_eq!(request.header("amz-sdk-request"), "attempt=1; max=3");
    let invocation = uuid::Uuid::parse_str(&request.header("amz-sdk-invocation-id"))
        .expect("invocation id is a UUID");
    assert_eq!(invocation.get_version_num(), 4);
    let ua = format!(
        "smithy-runtime/{} api/ivs-realtime#2020-07-14",
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        request.header("user-agent").starts_with(&ua),
        "{}",
        request.header("user-agent")
    );
    assert!(request.header("x-amz-user-agent").starts_with(&ua));
    assert_eq!(request.header("content-type"), "application/json");
    assert_eq!(
        &request.body[..],
        br#"{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/abc"}"#
    );

    let authorization = request.header("authorization");
    let (credential, signed_headers, signature) = authorization_parts(&authorization);
    assert_eq!(credential, "AKID/20240102/us-east-1/ivs/aws4_request");
    // `host`, `content-type` and the `x-amz-*` headers are signed; the user
    // agent, the SDK's bookkeeping and the length are sent unsigned.
    assert_eq!(signed_headers, ["content-type", "host", "x-amz-date", "x-amz-user-agent"]);
    for name in support::UNSIGNED_BY_THE_CLIENT.iter().chain(&["user-agent"]) {
        assert!(request.headers.contains_key(*name), "{name} is sent");
    }

    // The signature verifies: re-signing what the server received (minus the
    // signature) with the same key and time gives the same value.
    let output = resign(request, "ivs", SigningSettings::default());
    assert_eq!(output.signature(), signature);
}

#[tokio::test]
async fn a_bodiless_post_sends_a_zero_content_length_and_a_get_sends_none() {
    static START: OperationSpec = signed_operation("StartStage");
    static LIST: OperationSpec = signed_operation("ListTags");
    let server =
        ScriptedServer::start(vec![Action::json(200, "{}"), Action::json(200, "{}")]).await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .endpoint_url(server.url("/"))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    // Every member bound to the URI: no body at all.
    let post = build_request("POST", "/stages/abc/start".to_owned(), HeaderMap::new(), None);
    handle
        .call(&START, post, ignore_output, unhandled)
        .await
        .expect("POST succeeds");
    let get = build_request("GET", "/tags/abc".to_owned(), HeaderMap::new(), None);
    handle
        .call(&LIST, get, ignore_output, unhandled)
        .await
        .expect("GET succeeds");

    let requests = server.requests();
    let (post, get) = (&requests[0], &requests[1]);
    assert_eq!(post.method, http::Method::POST);
    assert_eq!(post.header("content-length"), "0");
    assert!(post.body.is_empty());
    let (_, signed_headers, signature) = authorization_parts(&post.header("authorization"));
    assert!(!signed_headers.iter().any(|h| h == "content-length"), "{signed_headers:?}");
    assert_eq!(resign(post, "ivs", SigningSettings::default()).signature(), signature);
    assert_eq!(get.method, http::Method::GET);
    assert!(!get.headers.contains_key("content-length"), "{:?}", get.headers);
}

#[tokio::test]
async fn s3_requests_carry_the_signed_payload_hash_and_keep_their_path_as_sent() {
    static S3: ServiceSpec = ServiceSpec {
        service_id: "S3",
        signing_name: "s3",
        endpoint_rules: None,
        api_version: "2006-03-01",
        protocol: smithy_runtime::protocol::Protocol::RestXml,
        query_compatible: false,
        retryable_errors: &[],
    };
    static PUT: OperationSpec = signed_operation("PutObject");
    let server = ScriptedServer::start(vec![Action::json(200, "")]).await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .endpoint_url(server.url("/"))
        .build();
    let handle = ClientHandle::new(&config, &S3);
    let body = Some(("text/plain", Bytes::from_static(b"hello")));
    let put = build_request("PUT", "/bucket/a/./b%3D".to_owned(), HeaderMap::new(), body);
    handle
        .call(&PUT, put, ignore_output, unhandled)
        .await
        .expect("PUT succeeds");

    let request = &server.requests()[0];
    // SHA-256 of `hello`.
    let hash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    assert_eq!(request.header("x-amz-content-sha256"), hash);
    let (credential, signed_headers, signature) =
        authorization_parts(&request.header("authorization"));
    assert!(credential.ends_with("/us-east-1/s3/aws4_request"), "{credential}");
    assert!(
        signed_headers.iter().any(|h| h == "x-amz-content-sha256"),
        "{signed_headers:?}"
    );
    // Re-signed with S3's settings (no `.` removal, single encoding), the
    // request as received gives the same signature.
    let output = resign(request, "s3", SigningSettings::s3());
    assert_eq!(output.signature(), signature);
    assert!(
        output.canonical_request().contains("\n/bucket/a/./b%3D\n"),
        "{}",
        output.canonical_request()
    );
}

#[tokio::test]
async fn a_404_with_an_error_type_is_a_service_error_with_code_message_and_request_id() {
    let server = ScriptedServer::start(vec![Action::Respond {
        status: 404,
        headers: vec![
            ("content-type", "application/json".to_owned()),
            (
                "x-amzn-errortype",
                "ResourceNotFoundException:http://internal/".to_owned(),
            ),
            ("x-amzn-requestid", "req-404".to_owned()),
        ],
        body: r#"{"message":"Stage abc not found"}"#.to_owned(),
    }])
    .await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .endpoint_url(server.url(""))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());

    let err = get_stage(&handle).await.expect_err("404");
    assert_eq!(server.request_count(), 1, "a 404 is not retried");
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert!(matches!(
        err.as_service_error(),
        Some(GetStageError::ResourceNotFound(_))
    ));
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.message(), Some("Stage abc not found"));
    assert_eq!(err.request_id(), Some("req-404"));
    assert_eq!(err.raw_status(), Some(404));
    let text = err.to_string();
    assert_eq!(
        text,
        "ResourceNotFoundException: Stage abc not found (request id: req-404)"
    );
    let service = err.into_service_error();
    assert_eq!(service.code(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn a_500_with_a_non_json_body_is_retried_then_is_an_unhandled_service_error() {
    let html = |id: &str| Action::Respond {
        status: 500,
        headers: vec![
            ("content-type", "text/html".to_owned()),
            ("x-amzn-requestid", id.to_owned()),
        ],
        body: "<html><body>Internal Server Error</body></html>".to_owned(),
    };
    let server = ScriptedServer::start(vec![html("r1"), html("r2"), html("r3")]).await;
    let sleep = Arc::new(FakeSleep::new());
    let provider = Arc::new(CountingProvider::default());
    let config = base_config(Arc::clone(&sleep))
        .credentials_provider(Arc::clone(&provider))
        .endpoint_url(server.url(""))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());

    let err = get_stage(&handle).await.expect_err("500s");
    assert_eq!(server.request_count(), 3);
    assert_eq!(
        server.sdk_request_headers(),
        ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
    );
    assert_eq!(
        sleep.backoffs().len(),
        2,
        "two backoffs between three attempts"
    );
    assert_eq!(
        provider.calls.load(Ordering::SeqCst),
        1,
        "credentials once per call"
    );

    // Every attempt is signed; the SDK's per-attempt headers are sent but
    // not signed.
    let requests = server.requests();
    for request in &requests {
        let (_, signed, _) = authorization_parts(&request.header("authorization"));
        assert_eq!(signed, ["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-user-agent"]);
    }
    assert!(requests
        .iter()
        .all(|r| r.header("x-amz-security-token") == TOKEN));
    let ids: Vec<String> = requests
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id"))
        .collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one invocation id per call"
    );

    assert_eq!(err.raw_status(), Some(500));
    assert_eq!(err.request_id(), Some("r3"));
    assert_eq!(err.code(), None);
    match err.as_service_error() {
        Some(GetStageError::Unhandled(unhandled)) => assert_eq!(unhandled.status(), Some(500)),
        other => panic!("expected an unhandled service error, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "unhandled error response: HTTP status 500 (request id: r3)"
    );
}

#[tokio::test]
async fn a_malformed_success_body_is_a_response_error_with_the_status() {
    let server = ScriptedServer::start(vec![Action::Respond {
        status: 200,
        headers: vec![("x-amzn-requestid", "req-bad".to_owned())],
        body: r#"{"stage":{"name":42}}"#.to_owned(),
    }])
    .await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .endpoint_url(server.url(""))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());

    let err = get_stage(&handle).await.expect_err("bad body");
    let SdkError::Response(response) = &err else {
        panic!("expected SdkError::Response, got {err:?}");
    };
    assert_eq!(response.status(), 200);
    assert_eq!(response.deserialize_error().path(), "stage.name");
    assert_eq!(err.raw_status(), Some(200));
    assert_eq!(err.request_id(), Some("req-bad"));
    let text = err.to_string();
    assert!(
        text.starts_with(
            "failed to read the HTTP 200 response (request id: req-bad): at `stage.name`:"
        ),
        "{text}"
    );
    let source = err.source().expect("source");
    assert!(source.downcast_ref::<DeserializeError>().is_some());
    // As a service error, it keeps the status and request id.
    match err.into_service_error() {
        GetStageError::Unhandled(unhandled) => {
            assert_eq!(unhandled.status(), Some(200));
            assert_eq!(unhandled.request_id(), Some("req-bad"));
        }
        other => panic!("expected unhandled, got {other:?}"),
    }
}

#[tokio::test]
async fn a_broken_modeled_error_body_keeps_the_metadata_as_unhandled() {
    let server = ScriptedServer::start(vec![Action::Respond {
        status: 404,
        headers: vec![
            ("x-amzn-errortype", "ResourceNotFoundException".to_owned()),
            ("x-amzn-requestid", "req-x".to_owned()),
        ],
        body: "{not json".to_owned(),
    }])
    .await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .endpoint_url(server.url(""))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    let err = get_stage(&handle).await.expect_err("404");
    assert!(matches!(
        err.as_service_error(),
        Some(GetStageError::Unhandled(_))
    ));
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.request_id(), Some("req-x"));
    let cause = err.source().expect("the parse failure is the source");
    assert!(cause.to_string().contains("not valid JSON"), "{cause}");
}

#[tokio::test]
async fn missing_credentials_name_where_the_chain_looked_and_send_nothing() {
    let server = ScriptedServer::start(vec![]).await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .credentials_provider(credentials::default_provider(
            // Never the real instance metadata address.
            &Environment::empty().with_var("AWS_EC2_METADATA_DISABLED", "true"),
        ))
        .endpoint_url(server.url(""))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    let err = get_stage(&handle).await.expect_err("no credentials");
    assert!(matches!(err, SdkError::Credentials(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("failed to load credentials: no credentials:"),
        "{text}"
    );
    assert!(text.contains("AWS_ACCESS_KEY_ID"), "{text}");
    assert!(text.contains("profile `default`"), "{text}");
    assert!(err.source().is_some());
    assert_eq!(server.request_count(), 0);

    // No provider at all says how to configure one.
    let config = config.to_builder().set_credentials_provider(None).build();
    let err = get_stage(&ClientHandle::new(&config, ivs_service()))
        .await
        .expect_err("no provider");
    let text = err.to_string();
    assert!(
        text.contains("no credentials provider is configured"),
        "{text}"
    );
    assert!(text.contains("Config::from_env()"), "{text}");
}

#[tokio::test]
async fn a_missing_region_without_endpoint_url_is_an_endpoint_error_saying_so() {
    let config = ConfigBuilder::from_environment(&Environment::empty())
        .credentials_provider(Credentials::from_keys("AKID", SECRET))
        .http_client(RecordingClient::default())
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    let err = get_stage(&handle).await.expect_err("no region");
    let SdkError::Endpoint(endpoint) = &err else {
        panic!("expected SdkError::Endpoint, got {err:?}");
    };
    assert!(endpoint.is_missing_region());
    let text = err.to_string();
    assert!(text.starts_with("no region is configured"), "{text}");
    assert!(text.contains("AWS_REGION unset"), "where it looked: {text}");
    assert!(
        text.ends_with("Invalid Configuration: Missing Region"),
        "{text}"
    );
    let rules_error = endpoint.resolve_error().expect("the rules' error");
    assert_eq!(
        rules_error.rule_message(),
        Some("Invalid Configuration: Missing Region")
    );

    // With an endpoint URL but no region there is still nothing to sign for.
    let config = config
        .to_builder()
        .endpoint_url("http://127.0.0.1:1")
        .build();
    let err = get_stage(&ClientHandle::new(&config, ivs_service()))
        .await
        .expect_err("no signing region");
    assert!(
        matches!(&err, SdkError::Endpoint(e) if e.is_missing_region()),
        "{err:?}"
    );
    assert!(err.to_string().contains("signed for a region"), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_a_dispatch_error_naming_operation_and_endpoint() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let sleep = Arc::new(FakeSleep::new());
    let url = format!("http://127.0.0.1:{port}");
    let config = base_config(Arc::clone(&sleep))
        .endpoint_url(url.clone())
        .build();
    let err = get_stage(&ClientHandle::new(&config, ivs_service()))
        .await
        .expect_err("refused");
    let SdkError::Dispatch(dispatch) = &err else {
        panic!("expected SdkError::Dispatch, got {err:?}");
    };
    assert!(dispatch.is_connect());
    assert_eq!(
        dispatch.send_error().attempts(),
        3,
        "connection failures are retried"
    );
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("GetStage: could not send the request to {url}: request failed after 3 attempts: connection error:")),
        "{text}"
    );
    // source() walks down to the transport error.
    let mut chain = Vec::new();
    let mut next = err.source();
    while let Some(e) = next {
        chain.push(e.to_string());
        next = e.source();
    }
    assert!(chain.len() >= 2, "{chain:?}");
    assert!(
        chain[0].starts_with("request failed after 3 attempts"),
        "{chain:?}"
    );
}

#[tokio::test]
async fn an_attempt_timeout_is_a_timeout_error() {
    let server = ScriptedServer::start(vec![Action::Hang]).await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .sleep_impl(InstantSleep)
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .attempt_timeout(Duration::from_secs(2))
                .set_operation_timeout(None)
                .build(),
        )
        .endpoint_url(server.url(""))
        .build();
    let err = get_stage(&ClientHandle::new(&config, ivs_service()))
        .await
        .expect_err("timeout");
    assert!(matches!(err, SdkError::Timeout(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("GetStage: request to http://127.0.0.1:"),
        "{text}"
    );
    assert!(
        text.contains("timed out: attempt timed out after 2s"),
        "{text}"
    );
}

#[tokio::test]
async fn a_body_over_the_configured_cap_is_a_dispatch_error_saying_how_to_raise_it() {
    let body = r#"{"stage":{"name":"a name longer than the cap","arn":"x"}}"#;
    let server = ScriptedServer::start(vec![Action::json(200, body)]).await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .max_response_body_size(16)
        .endpoint_url(server.url(""))
        .build();
    assert_eq!(config.max_response_body_size(), 16);
    let err = get_stage(&ClientHandle::new(&config, ivs_service()))
        .await
        .expect_err("too large");
    let SdkError::Dispatch(dispatch) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert!(dispatch.is_response_too_large());
    assert_eq!(dispatch.send_error().attempts(), 1, "not retried");
    let text = err.to_string();
    assert!(
        text.ends_with(&format!(
            "request failed after 1 attempt: HTTP client error: the response body ({} bytes, \
             from Content-Length) exceeds the limit of 16 bytes; raise it with \
             `ConfigBuilder::max_response_body_size`",
            body.len()
        )),
        "{text}"
    );
    assert_eq!(
        Config::builder().build().max_response_body_size(),
        64 * 1024 * 1024
    );
}

/// A credentials provider that never answers.
#[derive(Debug)]
struct SilentProvider;

impl ProvideCredentials for SilentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(std::future::pending())
    }
}

// tokio's clock is paused: with nothing else to do, it jumps to the
// operation deadline, so the test does not wait for it.
#[tokio::test(start_paused = true)]
async fn a_credentials_provider_that_never_answers_ends_in_the_operation_timeout() {
    let server = ScriptedServer::start(vec![]).await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .sleep_impl(TokioSleep::new())
        .credentials_provider(SilentProvider)
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(5))
                .build(),
        )
        .endpoint_url(server.url(""))
        .build();
    let err = get_stage(&ClientHandle::new(&config, ivs_service()))
        .await
        .expect_err("timeout");
    let SdkError::Timeout(timeout) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    let send = timeout.send_error();
    assert_eq!(
        send.kind(),
        SendErrorKind::OperationTimeout(Duration::from_secs(5))
    );
    assert_eq!(send.phase(), Some("loading credentials"));
    assert_eq!(send.attempts(), 0);
    let text = err.to_string();
    assert!(
        text.ends_with(
            "timed out: operation timed out after 5s while loading credentials, \
             before the first attempt"
        ),
        "{text}"
    );
    assert_eq!(server.request_count(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_serialization_failure_is_a_construction_error_and_sends_nothing() {
    let client = Arc::new(RecordingClient::default());
    let config = base_config(Arc::new(FakeSleep::new()))
        .http_client(Arc::clone(&client))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    let err = handle
        .call(
            &GET_STAGE,
            Err(SerializeError::new("httpLabel `arn` must not be empty")),
            parse_get_stage,
            parse_get_stage_error,
        )
        .await
        .expect_err("construction");
    assert!(matches!(err, SdkError::Construction(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "failed to construct the request: httpLabel `arn` must not be empty"
    );
    assert!(client.uris().is_empty());
}

#[tokio::test]
async fn endpoint_url_attempts_and_app_name_come_from_the_profile_and_environment() {
    let html = |id: &str| Action::Respond {
        status: 500,
        headers: vec![("x-amzn-requestid", id.to_owned())],
        body: "<html>busy</html>".to_owned(),
    };
    let server = ScriptedServer::start(vec![html("r1"), html("r2")]).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config_file = dir.path().join("config");
    std::fs::write(
        &config_file,
        format!(
            "[profile dev]\nregion = eu-west-1\nmax_attempts = 2\nsdk_ua_app_id = billing\n\
             endpoint_url = http://127.0.0.1:9/not-this-one\nservices = local\n\
             [services local]\nivs_realtime =\n  endpoint_url = {}\n",
            server.url("/from-profile")
        ),
    )
    .expect("config written");
    let env = Environment::empty()
        .with_var("AWS_CONFIG_FILE", config_file.to_string_lossy())
        .with_var("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none").to_string_lossy())
        .with_var("AWS_PROFILE", "dev")
        .with_var("AWS_ACCESS_KEY_ID", "AKID")
        .with_var("AWS_SECRET_ACCESS_KEY", SECRET);
    let config = ConfigBuilder::from_environment(&env)
        .sleep_impl(Arc::new(FakeSleep::new()))
        .time_source(clock())
        .try_build()
        .expect("every setting is valid");
    assert_eq!(config.retry_config().max_attempts(), 2);
    let handle = ClientHandle::new(&config, ivs_service());

    get_stage(&handle).await.expect_err("two 500s");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "max_attempts = 2 from the profile");
    assert_eq!(requests[0].uri.path(), "/from-profile/GetStage");
    assert!(requests[0].header("user-agent").ends_with(" app/billing"), "{}", requests[0].header("user-agent"));
    let (credential, _, _) = authorization_parts(&requests[0].header("authorization"));
    assert_eq!(credential, "AKID/20240102/eu-west-1/ivs/aws4_request");

    // The service's variable wins over the profile; code wins over both.
    let env = env.with_var("AWS_ENDPOINT_URL_IVS_REALTIME", server.url("/from-env"));
    let config = ConfigBuilder::from_environment(&env).build();
    let found = config
        .configured_endpoint_urls()
        .and_then(|urls| urls.for_service("IVS RealTime"));
    assert_eq!(found, Some((server.url("/from-env"), "AWS_ENDPOINT_URL_IVS_REALTIME".to_owned())));
}

#[tokio::test]
async fn after_a_clock_skew_error_requests_are_signed_with_the_servers_time() {
    let skewed = Action::Respond {
        status: 403,
        headers: vec![
            ("x-amzn-errortype", "InvalidSignatureException".to_owned()),
            // Two hours after the test clock (2024-01-02T03:04:05Z).
            ("date", "Tue, 02 Jan 2024 05:04:05 GMT".to_owned()),
        ],
        body: "{}".to_owned(),
    };
    let ok = Action::json(200, r#"{"stage":{"name":"demo"}}"#);
    let server = ScriptedServer::start(vec![skewed, ok.clone(), ok]).await;
    let config = base_config(Arc::new(FakeSleep::new()))
        .endpoint_url(server.url("/"))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    get_stage(&handle).await.expect("retried with the corrected clock");
    get_stage(&handle).await.expect("later calls keep the offset");
    let dates: Vec<String> = server.requests().iter().map(|r| r.header("x-amz-date")).collect();
    assert_eq!(dates, [AMZ_DATE, "20240102T050405Z", "20240102T050405Z"]);
}

#[tokio::test]
async fn a_setting_that_does_not_parse_fails_every_call_until_code_replaces_it() {
    let env = Environment::empty()
        .with_var("AWS_USE_FIPS_ENDPOINT", "maybe")
        .with_var("AWS_REGION", "us-east-1");
    let error = ConfigBuilder::from_environment(&env)
        .try_build()
        .expect_err("FIPS setting does not parse");
    assert_eq!(
        error.to_string(),
        "invalid AWS_USE_FIPS_ENDPOINT: `maybe` is not `true` or `false`"
    );

    let client = Arc::new(RecordingClient::default());
    let config = ConfigBuilder::from_environment(&env)
        .credentials_provider(Credentials::new("AKID", SECRET, None, None, "Test"))
        .http_client(Arc::clone(&client))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    let err = get_stage(&handle).await.expect_err("unusable setting");
    assert!(matches!(err, SdkError::Construction(_)), "{err:?}");
    assert!(err.to_string().contains("AWS_USE_FIPS_ENDPOINT"), "{err}");
    assert!(client.uris().is_empty(), "nothing sent");

    let config = config.to_builder().use_fips(false).try_build().expect("replaced in code");
    assert!(config.setting_error().is_none());
}

// ---------------------------------------------------------------------------
// Endpoint resolution with the real IVS rules, through a recording client.

#[tokio::test]
async fn the_ivs_rules_resolve_us_west_2_and_the_request_is_signed_for_it() {
    let client = Arc::new(RecordingClient::default());
    let config = base_config(Arc::new(FakeSleep::new()))
        .region("us-west-2")
        .http_client(Arc::clone(&client))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    let output = get_stage(&handle).await.expect("recorded call");
    assert_eq!(output.name, "recorded");
    // A second call through a clone reuses the endpoint and the client.
    get_stage(&handle.clone()).await.expect("second call");
    assert_eq!(
        client.uris(),
        [
            "https://ivsrealtime.us-west-2.amazonaws.com/GetStage?x=a%20b",
            "https://ivsrealtime.us-west-2.amazonaws.com/GetStage?x=a%20b"
        ]
    );
    let (credential, _, _) = authorization_parts(&client.header(0, "authorization"));
    assert_eq!(credential, "AKID/20240102/us-west-2/ivs/aws4_request");

    let fips = config.to_builder().use_fips(true).build();
    let client_fips = Arc::new(RecordingClient::default());
    let fips = fips
        .to_builder()
        .http_client(Arc::clone(&client_fips))
        .build();
    get_stage(&ClientHandle::new(&fips, ivs_service()))
        .await
        .expect("fips");
    assert_eq!(
        client_fips.uris(),
        ["https://ivsrealtime-fips.us-west-2.amazonaws.com/GetStage?x=a%20b"]
    );
}

#[tokio::test]
async fn the_host_prefix_goes_in_front_of_the_resolved_host() {
    let client = Arc::new(RecordingClient::default());
    let config = base_config(Arc::new(FakeSleep::new()))
        .region("us-west-2")
        .http_client(Arc::clone(&client))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    get_stage_with_prefix(&handle, Some("data."))
        .await
        .expect("prefixed call");
    assert_eq!(
        client.uris(),
        ["https://data.ivsrealtime.us-west-2.amazonaws.com/GetStage?x=a%20b"]
    );
    let err = get_stage_with_prefix(&handle, Some("no spaces."))
        .await
        .expect_err("bad prefix");
    assert!(matches!(err, SdkError::Endpoint(_)), "{err:?}");
    assert!(
        err.to_string().contains("host prefix `no spaces.`"),
        "{err}"
    );
}

#[tokio::test]
async fn auth_schemes_choose_the_signing_region_and_name() {
    let client = Arc::new(RecordingClient::default());
    let config = base_config(Arc::new(FakeSleep::new()))
        .http_client(Arc::clone(&client))
        .build();
    let handle = ClientHandle::new(&config, service_with_auth_schemes());
    get_stage(&handle).await.expect("call");
    assert_eq!(
        client.uris(),
        ["https://custom.example.com/prefix/GetStage?x=a%20b"]
    );
    let (credential, signed, _) = authorization_parts(&client.header(0, "authorization"));
    assert_eq!(
        credential,
        "AKID/20240102/eu-central-1/othersvc/aws4_request"
    );
    assert_eq!(client.header(0, "x-endpoint-extra"), "yes");
    assert!(signed.iter().any(|h| h == "x-endpoint-extra"));
}

#[test]
fn handle_creation_does_no_io_and_debug_shows_no_secret() {
    // No runtime here: creating a handle must not need one, nor touch the
    // network or files.
    let config = Config::builder()
        .region("us-west-2")
        .credentials_provider(Credentials::new(
            "AKID",
            SECRET,
            Some(TOKEN.to_owned()),
            None,
            "T",
        ))
        .build();
    let handle = ClientHandle::new(&config, ivs_service());
    let text = format!("{handle:?}");
    assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
    assert!(text.contains("tls_initialized: false"), "{text}");
}

#[test]
fn the_call_future_and_its_error_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_error<T: Error + Send + Sync + 'static>() {}
    let handle = ClientHandle::new(&Config::builder().build(), ivs_service());
    let future = get_stage(&handle);
    assert_send(&future);
    assert_error::<SdkError<GetStageError>>();
    assert_error::<SdkError<Unhandled>>();
}
