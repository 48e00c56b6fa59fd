//! How a call authenticates (`OperationSpec::auth` and `optional_auth`),
//! end to end against a real loopback HTTP server: `@auth([])` operations go
//! unsigned with no credentials provider at all, `@optionalAuth` ones are
//! signed only when credentials load, bearer-auth ones carry the token, and
//! the first usable scheme in the model's order wins.

mod support;

use bytes::Bytes;
use http::{Request, Response};
use smithy_runtime::auth::credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
};
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::client::{
    AuthScheme, ClientHandle, Config, ConfigBuilder, OperationSpec, SdkError, ServiceSpec,
    Unhandled,
};
use smithy_runtime::protocol::{DeserializeError, ErrorMetadata, SerializeError};
use support::{Action, ScriptedServer};

/// A service without endpoint rules (so only `endpoint_url` is needed) that
/// signs as `example`.
static SERVICE: ServiceSpec = ServiceSpec {
    service_id: "Example",
    signing_name: "example",
    endpoint_rules: None,
    api_version: "2024-01-01",
    protocol: smithy_runtime::protocol::Protocol::RestJson1,
    query_compatible: false,
    retryable_errors: &[],
};

const fn operation(auth: &'static [AuthScheme], optional_auth: bool) -> OperationSpec {
    OperationSpec {
        name: "Ping",
        http_success_code: 200,
        auth,
        optional_auth,
        request_compression: false,
        unsigned_payload: false,
        requires_length: false,
        http2: false,
    }
}

static NO_AUTH: OperationSpec = operation(&[], false);
static OPTIONAL_SIGV4: OperationSpec = operation(&[AuthScheme::Sigv4], true);
static SIGV4: OperationSpec = operation(&[AuthScheme::Sigv4], false);
static BEARER: OperationSpec = operation(&[AuthScheme::HttpBearer], false);
static BEARER_THEN_SIGV4: OperationSpec =
    operation(&[AuthScheme::HttpBearer, AuthScheme::Sigv4], false);
static UNKNOWN: OperationSpec = operation(&[AuthScheme::Unsupported("example.auth#custom")], false);
static UNKNOWN_THEN_SIGV4: OperationSpec = operation(
    &[
        AuthScheme::Unsupported("example.auth#custom"),
        AuthScheme::Sigv4,
    ],
    false,
);

fn parse_output(response: &Response<Bytes>) -> Result<usize, DeserializeError> {
    Ok(response.body().len())
}

fn parse_error(_: &Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
    Ok(Unhandled::new(meta, None))
}

/// No region, no credentials, no token: only where to send requests.
fn bare(server: &ScriptedServer) -> ConfigBuilder {
    Config::builder()
        .endpoint_url(server.url(""))
        .retry_config(RetryConfig::disabled())
}

async fn call(
    config: ConfigBuilder,
    op: &'static OperationSpec,
) -> Result<usize, SdkError<Unhandled>> {
    let handle = ClientHandle::new(&config.build(), &SERVICE);
    let request = Request::post("/ping")
        .body(Bytes::from_static(b"{}"))
        .map_err(|e| SerializeError::new(e.to_string()));
    handle.call(op, request, parse_output, parse_error).await
}

fn ok() -> Action {
    Action::json(200, "{}")
}

fn credentials() -> Credentials {
    Credentials::from_keys("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
}

/// A provider that has nothing (like the default chain on a bare machine).
#[derive(Debug)]
struct Nothing;

impl ProvideCredentials for Nothing {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::ready(Err(CredentialsError::not_loaded("AWS_ACCESS_KEY_ID unset")))
    }
}

/// A provider that is configured but broken (a malformed file, a failed remote call).
#[derive(Debug)]
struct Broken;

impl ProvideCredentials for Broken {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::ready(Err(CredentialsError::provider_error(
            "the credentials process exited with 1",
        )))
    }
}

/// The credentials error of a call that must fail before anything is sent.
async fn refused(
    server: &ScriptedServer,
    config: ConfigBuilder,
    op: &'static OperationSpec,
) -> (CredentialsErrorKind, String) {
    let sent_before = server.request_count();
    let result = call(config, op).await;
    assert_eq!(server.request_count(), sent_before, "nothing is sent");
    match result {
        Err(SdkError::Credentials(e)) => (e.kind(), e.to_string()),
        other => panic!("expected a credentials error, got {other:?}"),
    }
}

#[tokio::test]
async fn no_auth_operations_go_unsigned_without_any_provider_or_region() {
    let server = ScriptedServer::start(vec![ok()]).await;
    assert!(call(bare(&server), &NO_AUTH).await.is_ok());
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].headers.contains_key("authorization"));
    assert!(!requests[0].headers.contains_key("x-amz-date"));
    // The attempt headers are still sent.
    assert_eq!(requests[0].header("amz-sdk-request"), "attempt=1; max=1");
}

#[tokio::test]
async fn optional_auth_signs_when_credentials_load() {
    let server = ScriptedServer::start(vec![ok()]).await;
    let config = bare(&server)
        .region("us-east-1")
        .credentials_provider(credentials());
    assert!(call(config, &OPTIONAL_SIGV4).await.is_ok());
    let authorization = server.requests()[0].header("authorization");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/us-east-1/example/aws4_request"),
        "{authorization}"
    );
}

#[tokio::test]
async fn optional_auth_goes_unsigned_when_credentials_cannot_be_loaded() {
    let server = ScriptedServer::start(vec![ok(), ok(), ok()]).await;
    // No provider at all, a provider that has nothing, and (as the AWS SDKs
    // do: anonymous whenever credentials cannot be loaded) a broken one: all
    // unsigned.
    assert!(call(bare(&server), &OPTIONAL_SIGV4).await.is_ok());
    assert!(
        call(bare(&server).credentials_provider(Nothing), &OPTIONAL_SIGV4)
            .await
            .is_ok()
    );
    assert!(
        call(bare(&server).credentials_provider(Broken), &OPTIONAL_SIGV4)
            .await
            .is_ok()
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests
        .iter()
        .all(|r| !r.headers.contains_key("authorization")));
}

#[tokio::test]
async fn required_sigv4_without_credentials_fails_before_sending() {
    let server = ScriptedServer::start(vec![ok()]).await;
    let (kind, message) = refused(&server, bare(&server).region("us-east-1"), &SIGV4).await;
    assert_eq!(kind, CredentialsErrorKind::NotLoaded);
    assert!(
        message.starts_with("no credentials provider is configured"),
        "{message}"
    );
}

#[tokio::test]
async fn required_sigv4_with_a_broken_provider_fails_with_its_error() {
    let server = ScriptedServer::start(vec![ok()]).await;
    let config = bare(&server)
        .region("us-east-1")
        .credentials_provider(Broken);
    let (kind, message) = refused(&server, config, &SIGV4).await;
    assert_eq!(kind, CredentialsErrorKind::ProviderError);
    assert_eq!(message, "the credentials process exited with 1");
}

#[tokio::test]
async fn bearer_auth_sends_the_configured_token() {
    let server = ScriptedServer::start(vec![ok()]).await;
    assert!(call(bare(&server).bearer_token("tok-123"), &BEARER)
        .await
        .is_ok());
    let request = &server.requests()[0];
    assert_eq!(request.header("authorization"), "Bearer tok-123");
    assert!(
        !request.headers.contains_key("x-amz-date"),
        "not signed as well"
    );
}

#[tokio::test]
async fn bearer_auth_without_a_token_says_what_to_set() {
    let server = ScriptedServer::start(vec![ok()]).await;
    let config = bare(&server).credentials_provider(credentials());
    let (kind, message) = refused(&server, config, &BEARER).await;
    assert_eq!(kind, CredentialsErrorKind::NotLoaded);
    assert!(
        message.contains("no bearer token is configured"),
        "{message}"
    );
    assert!(
        message.contains("`ConfigBuilder::bearer_token`"),
        "{message}"
    );
}

#[tokio::test]
async fn a_token_with_a_line_break_is_refused_without_showing_it() {
    let server = ScriptedServer::start(vec![ok()]).await;
    let (kind, message) = refused(&server, bare(&server).bearer_token("secret\nX"), &BEARER).await;
    assert_eq!(kind, CredentialsErrorKind::InvalidConfiguration);
    assert!(!message.contains("secret"), "{message}");
}

#[tokio::test]
async fn the_first_scheme_with_an_identity_wins_in_the_models_order() {
    let server = ScriptedServer::start(vec![ok(), ok()]).await;
    let with_credentials = bare(&server)
        .region("us-east-1")
        .credentials_provider(credentials());
    // Bearer comes first but has no token: SigV4 is used.
    assert!(call(with_credentials.clone(), &BEARER_THEN_SIGV4)
        .await
        .is_ok());
    // With a token too, bearer wins.
    assert!(
        call(with_credentials.bearer_token("tok"), &BEARER_THEN_SIGV4)
            .await
            .is_ok()
    );
    let requests = server.requests();
    assert!(requests[0]
        .header("authorization")
        .starts_with("AWS4-HMAC-SHA256 "));
    assert_eq!(requests[1].header("authorization"), "Bearer tok");
}

#[tokio::test]
async fn every_unusable_scheme_is_named_when_none_can_be_used() {
    let server = ScriptedServer::start(vec![]).await;
    let (_, message) = refused(&server, bare(&server), &BEARER_THEN_SIGV4).await;
    assert!(message.starts_with("no auth scheme of operation `Ping` can be used: `smithy.api#httpBearerAuth`: no bearer token"), "{message}");
    assert!(
        message.contains("; `aws.auth#sigv4`: no credentials provider is configured"),
        "{message}"
    );
}

#[tokio::test]
async fn an_unsupported_scheme_fails_clearly_unless_another_can_be_used() {
    let server = ScriptedServer::start(vec![ok()]).await;
    let (kind, message) = refused(
        &server,
        bare(&server).credentials_provider(credentials()),
        &UNKNOWN,
    )
    .await;
    assert_eq!(kind, CredentialsErrorKind::Unhandled);
    assert_eq!(
        message,
        "operation `Ping` accepts auth scheme `example.auth#custom`, which this client does not support yet"
    );
    let config = bare(&server)
        .region("us-east-1")
        .credentials_provider(credentials());
    assert!(call(config, &UNKNOWN_THEN_SIGV4).await.is_ok());
    assert!(server.requests()[0]
        .header("authorization")
        .starts_with("AWS4-HMAC-SHA256 "));
}
