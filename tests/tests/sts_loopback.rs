//! The STS client generated from tests/models/clients/sts.json (awsQuery)
//! against the loopback STS in `integration_tests::sts_server`: inputs go out
//! as form fields (lists of structures as `Tags.member.N.Key`), results are
//! read from `<AssumeRoleResponse><AssumeRoleResult>` (a timestamp in
//! `date-time` form included), credentials the server hands out sign the next
//! call with their session token, and `<ErrorResponse>` errors become the
//! typed variants their `@awsQueryError` codes select.

use integration_tests::query_server::QueryServer;
use integration_tests::sts_server::{self, Sts, ACCOUNT_ID, EXPIRED_TOKEN_MESSAGE, NOW, USER_ID};
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
use smithy_runtime::testing::{CannedResponse, ReplayClient};
use sts_test_client::operation::assume_role::AssumeRoleError;
use sts_test_client::operation::get_caller_identity::GetCallerIdentityError;
use sts_test_client::primitives::DateTime;
use sts_test_client::types::{PolicyDescriptorType, Tag};
use sts_test_client::{Client, Config};

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/deployer";

fn sts_client(server: &QueryServer<Sts>, region: &'static str, credentials: Credentials) -> Client {
    let config = Config::builder()
        .region(region)
        .endpoint_url(server.endpoint_url())
        .credentials_provider(StaticCredentialsProvider::new(credentials))
        .build();
    Client::new(&config)
}

async fn start() -> (QueryServer<Sts>, Client) {
    let server = sts_server::start().await;
    let credentials = Credentials::from_keys("AKIDSTSLOOPBACK", "loopback/sts/secret");
    let client = sts_client(&server, "us-east-1", credentials);
    (server, client)
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("a tag with key and value")
}

#[tokio::test]
async fn assume_role_sends_its_lists_as_members_and_reads_the_credentials() {
    let (server, client) = start().await;
    let policy = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let output = client
        .assume_role()
        .role_arn(ROLE_ARN)
        .role_session_name("build-42")
        .duration_seconds(900)
        .policy(policy)
        .tags(tag("team", "media & video"))
        .tags(tag("cost-center", "42"))
        .policy_arns(
            PolicyDescriptorType::builder()
                .arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .build(),
        )
        .send()
        .await
        .expect("AssumeRole");

    let request = server
        .requests_for_action("AssumeRole")
        .pop()
        .expect("one request");
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/")
    );
    assert!(request
        .header("content-type")
        .unwrap_or_default()
        .starts_with("application/x-www-form-urlencoded"));
    assert!(request
        .header("authorization")
        .unwrap_or_default()
        .contains("/us-east-1/sts/aws4_request"));
    let form = request.form().expect("a form body");
    for (name, value) in [
        ("Action", "AssumeRole"),
        ("Version", "2011-06-15"),
        ("RoleArn", ROLE_ARN),
        ("RoleSessionName", "build-42"),
        ("DurationSeconds", "900"),
        ("Policy", policy),
        ("Tags.member.1.Key", "team"),
        ("Tags.member.1.Value", "media & video"),
        ("Tags.member.2.Key", "cost-center"),
        ("Tags.member.2.Value", "42"),
        (
            "PolicyArns.member.1.arn",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ),
    ] {
        assert_eq!(form.get(name), Some(value), "{name} in {form:?}");
    }
    assert_eq!(form.pairs().len(), 11, "nothing else was sent: {form:?}");

    let session = server.with_service(|sts| sts.sessions()[0].clone());
    let credentials = output.credentials.expect("credentials");
    assert_eq!(credentials.access_key_id, session.access_key_id);
    assert_eq!(credentials.secret_access_key, session.secret_access_key);
    assert_eq!(credentials.session_token, session.session_token);
    assert_eq!(credentials.expiration, DateTime::from_secs(NOW + 900));
    let user = output.assumed_role_user.expect("the assumed role user");
    assert_eq!(
        user.arn,
        format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/deployer/build-42")
    );
    assert_eq!(user.assumed_role_id, session.assumed_role_id());
    // 39 bytes of policy and 30 of tags, of 2048: 4 percent, rounded up.
    assert_eq!(output.packed_policy_size, Some(4));
    assert_eq!(output.source_identity, None);
}

#[tokio::test]
async fn the_caller_is_the_user_then_the_role_whose_credentials_sign() {
    let (server, client) = start().await;
    let me = client
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    assert_eq!(me.account.as_deref(), Some(ACCOUNT_ID));
    assert_eq!(me.user_id.as_deref(), Some(USER_ID));
    assert_eq!(
        me.arn,
        Some(format!("arn:aws:iam::{ACCOUNT_ID}:user/loopback"))
    );

    let assumed = client
        .assume_role()
        .role_arn(ROLE_ARN)
        .role_session_name("as-role")
        .send()
        .await
        .expect("AssumeRole")
        .credentials
        .expect("credentials");
    let as_role = sts_client(
        &server,
        "us-east-1",
        Credentials::new(
            assumed.access_key_id.clone(),
            assumed.secret_access_key.clone(),
            Some(assumed.session_token.clone()),
            None,
            "AssumeRole",
        ),
    );
    let role = as_role
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity as the role");
    assert_eq!(
        role.arn,
        Some(format!(
            "arn:aws:sts::{ACCOUNT_ID}:assumed-role/deployer/as-role"
        ))
    );

    let requests = server.requests_for_action("GetCallerIdentity");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("x-amz-security-token"), None);
    assert_eq!(
        requests[1].header("x-amz-security-token"),
        Some(assumed.session_token.as_str())
    );
    let form = requests[1].form().expect("a form body");
    assert_eq!(
        form.pairs(),
        [
            ("Action".to_owned(), "GetCallerIdentity".to_owned()),
            ("Version".to_owned(), "2011-06-15".to_owned())
        ]
    );
    // Default duration: one hour.
    assert_eq!(assumed.expiration, DateTime::from_secs(NOW + 3600));
}

#[tokio::test]
async fn a_malformed_policy_is_the_typed_error_with_its_query_code() {
    let (server, client) = start().await;
    let error = client
        .assume_role()
        .role_arn(ROLE_ARN)
        .role_session_name("bad-policy")
        .policy("Allow everything, please")
        .send()
        .await
        .expect_err("the policy is not JSON");
    let request = server.requests().pop().expect("the request");
    assert_eq!(request.status, 400);

    let service_error = error.as_service_error().expect("a service error");
    assert_eq!(service_error.code(), Some("MalformedPolicyDocument"));
    assert_eq!(
        service_error.message(),
        Some("The session policy is not a JSON object.")
    );
    assert_eq!(
        service_error.request_id(),
        Some(request.request_id.as_str())
    );
    assert_eq!(service_error.meta().status(), Some(400));
    let AssumeRoleError::MalformedPolicyDocumentException(malformed) = service_error else {
        panic!("not MalformedPolicyDocumentException: {service_error:?}");
    };
    assert_eq!(malformed.meta().code(), Some("MalformedPolicyDocument"));
    assert_eq!(
        malformed.message(),
        Some("The session policy is not a JSON object.")
    );
    let shown = error.to_string();
    assert!(shown.contains("MalformedPolicyDocument"), "{shown}");
    assert!(server.with_service(|sts| sts.sessions().is_empty()));
}

#[tokio::test]
async fn an_expired_session_token_is_expired_token_exception_or_unhandled() {
    let (server, _client) = start().await;
    server.with_service(|sts| sts.expire_token("stale-token"));
    let stale = sts_client(
        &server,
        "us-east-1",
        Credentials::new(
            "ASIASTALE0000001",
            "stale/secret",
            Some("stale-token".to_owned()),
            None,
            "test",
        ),
    );

    let error = stale
        .assume_role()
        .role_arn(ROLE_ARN)
        .role_session_name("late")
        .send()
        .await
        .expect_err("the token has expired");
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        matches!(service_error, AssumeRoleError::ExpiredTokenException(_)),
        "{service_error:?}"
    );
    assert_eq!(service_error.code(), Some("ExpiredTokenException"));
    assert_eq!(service_error.message(), Some(EXPIRED_TOKEN_MESSAGE));

    // GetCallerIdentity models no errors: the same answer is Unhandled, its code kept.
    let error = stale
        .get_caller_identity()
        .send()
        .await
        .expect_err("the token has expired");
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        matches!(service_error, GetCallerIdentityError::Unhandled(_)),
        "{service_error:?}"
    );
    assert_eq!(service_error.code(), Some("ExpiredTokenException"));
    assert_eq!(service_error.message(), Some(EXPIRED_TOKEN_MESSAGE));
}

#[tokio::test]
async fn a_disabled_region_is_region_disabled_exception_with_status_403() {
    let server = sts_server::start().await;
    server.with_service(|sts| sts.disable_region("ap-east-1"));
    let client = sts_client(
        &server,
        "ap-east-1",
        Credentials::from_keys("AKIDSTSLOOPBACK", "loopback/sts/secret"),
    );
    let error = client
        .assume_role()
        .role_arn(ROLE_ARN)
        .role_session_name("far-away")
        .send()
        .await
        .expect_err("the region is off");
    let request = server.requests().pop().expect("the request");
    assert!(request
        .header("authorization")
        .unwrap_or_default()
        .contains("/ap-east-1/sts/aws4_request"));
    let service_error = error.as_service_error().expect("a service error");
    let AssumeRoleError::RegionDisabledException(disabled) = service_error else {
        panic!("not RegionDisabledException: {service_error:?}");
    };
    assert_eq!(disabled.meta().status(), Some(403));
    assert_eq!(
        disabled.meta().request_id(),
        Some(request.request_id.as_str())
    );
    assert!(disabled.message().unwrap_or_default().contains("ap-east-1"));
}

#[tokio::test]
async fn without_an_endpoint_url_the_rules_pick_the_regional_host() {
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200).body(format!(
        "<GetCallerIdentityResponse xmlns=\"{}\"><GetCallerIdentityResult>\
         <Account>{ACCOUNT_ID}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
        sts_server::NAMESPACE
    )));
    let config = Config::builder()
        .region("eu-west-3")
        .credentials_provider(Credentials::from_keys("AKIDREPLAY", "replay/secret"))
        .http_client(replay.clone())
        .build();
    let me = Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    assert_eq!(me.account.as_deref(), Some(ACCOUNT_ID));
    let requests = replay.requests();
    assert_eq!(
        requests[0].uri().to_string(),
        "https://sts.eu-west-3.amazonaws.com/"
    );
}
