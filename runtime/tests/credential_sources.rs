//! The credential sources that need no AWS API, against stand-ins: loopback
//! servers playing the ECS container endpoint and the EC2 instance metadata
//! service, and temporary scripts for `credential_process`. Nothing here
//! reads the real environment or home, or reaches a real AWS address.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::Method;
use smithy_runtime::auth::credentials::{
    default_chain, CachedCredentialsProvider, Credentials, CredentialsError, CredentialsErrorKind,
    EcsCredentialsProvider, ImdsCredentialsProvider, ProfileCredentialsProvider,
    ProvideCredentials,
};
use smithy_runtime::behavior::sleep::ManualTimeSource;
use smithy_runtime::config::environment::Environment;
use support::{Action, ScriptedServer};

/// 2030-01-01T00:00:00Z, the fake clock's start in the cache tests.
const START: u64 = 1_893_456_000;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// A credentials document as ECS and IMDS send it, expiring at
/// 2030-01-01T01:00:00Z.
fn credentials_json(key: &str) -> String {
    format!(
        r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"{key}",
            "SecretAccessKey":"SECRET-{key}","Token":"TOKEN-{key}",
            "Expiration":"2030-01-01T01:00:00Z","RoleArn":"arn:aws:iam::123456789012:role/app"}}"#
    )
}

fn text(status: u16, body: &str, headers: Vec<(&'static str, String)>) -> Action {
    Action::Respond {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// An environment with only `vars`: no home, and IMDS turned off unless
/// `vars` says otherwise.
fn env(vars: &[(&str, &str)]) -> Environment {
    let base = Environment::from_map([("AWS_EC2_METADATA_DISABLED", "true")]);
    vars.iter()
        .fold(base, |env, (name, value)| env.with_var(*name, *value))
}

async fn load(provider: &dyn ProvideCredentials) -> Result<Credentials, CredentialsError> {
    provider.provide_credentials().await
}

/// The message `provider` fails with, once checked to be of `kind`.
async fn failure(provider: &dyn ProvideCredentials, kind: CredentialsErrorKind) -> String {
    let err = load(provider).await.expect_err("the provider should fail");
    assert_eq!(err.kind(), kind, "{err}");
    err.to_string()
}

/// A loopback address where nothing listens.
async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

// ---------------------------------------------------------------- ECS

#[tokio::test]
async fn ecs_sends_the_token_from_the_file_read_on_every_fetch() {
    let server = ScriptedServer::start(vec![
        Action::json(200, &credentials_json("ASIA1")),
        Action::json(200, &credentials_json("ASIA2")),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "first-token\n").unwrap();
    let provider = EcsCredentialsProvider::new(env(&[
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &server.url("/v1/credentials"),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ignored-when-the-file-is-set",
        ),
    ]));

    let creds = load(&provider).await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIA1");
    assert_eq!(creds.secret_access_key(), "SECRET-ASIA1");
    assert_eq!(creds.session_token(), Some("TOKEN-ASIA1"));
    assert_eq!(creds.expiry(), Some(at(START + 3_600)));
    assert_eq!(creds.provider_name(), "ECS");

    std::fs::write(&token_file, "rotated-token").unwrap();
    assert_eq!(load(&provider).await.unwrap().access_key_id(), "ASIA2");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for (request, token) in requests.iter().zip(["first-token", "rotated-token"]) {
        assert_eq!(request.method, Method::GET);
        assert_eq!(request.uri.path(), "/v1/credentials");
        assert_eq!(request.header("authorization"), token);
    }
}

#[tokio::test]
async fn ecs_token_from_the_variable_and_none_at_all() {
    let server = ScriptedServer::start(vec![
        Action::json(200, &credentials_json("ASIA1")),
        Action::json(200, &credentials_json("ASIA2")),
    ])
    .await;
    let url = server.url("/creds");
    let with_token = env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "var-token"),
    ]);
    load(&EcsCredentialsProvider::new(with_token))
        .await
        .unwrap();
    let without = env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url)]);
    load(&EcsCredentialsProvider::new(without)).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].header("authorization"), "var-token");
    assert!(!requests[1].headers.contains_key("authorization"));
}

#[tokio::test]
async fn ecs_retries_5xx_and_dropped_connections() {
    let server = ScriptedServer::start(vec![
        Action::json(500, "{}"),
        Action::Close,
        Action::json(200, &credentials_json("ASIA1")),
    ])
    .await;
    let provider = EcsCredentialsProvider::new(env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        &server.url("/creds"),
    )]));
    assert_eq!(load(&provider).await.unwrap().access_key_id(), "ASIA1");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn ecs_failures_are_provider_errors_that_stop_the_chain() {
    let ecs = ScriptedServer::start(vec![Action::json(404, r#"{"message":"no task"}"#)]).await;
    let imds = ScriptedServer::start(vec![]).await;
    let url = ecs.url("/creds");
    let chain = default_chain(&env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url("")),
    ]));
    let err = failure(&chain, CredentialsErrorKind::ProviderError).await;
    assert!(
        err.ends_with(&format!(
            "; ECS: the container endpoint {url} answered HTTP status 404 Not Found"
        )),
        "{err}"
    );
    assert_eq!(imds.request_count(), 0, "IMDS is not asked once ECS failed");

    let garbage = ScriptedServer::start(vec![Action::json(200, r#"{"AccessKeyId":"A"}"#)]).await;
    let provider = EcsCredentialsProvider::new(env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        &garbage.url("/creds"),
    )]));
    let err = failure(&provider, CredentialsErrorKind::ProviderError).await;
    assert!(
        err.ends_with("answered with unusable credentials: `SecretAccessKey` is missing"),
        "{err}"
    );
}

#[tokio::test]
async fn ecs_endpoint_that_never_answers_times_out_after_three_attempts() {
    let server = ScriptedServer::start(vec![Action::Hang, Action::Hang, Action::Hang]).await;
    let provider = EcsCredentialsProvider::new(env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        &server.url("/creds"),
    )]))
    .with_timeouts(Duration::from_millis(100), Duration::from_millis(100));
    let err = failure(&provider, CredentialsErrorKind::ProviderError).await;
    assert!(
        err.ends_with("no response within 200ms (3 attempts)"),
        "{err}"
    );
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn ecs_plain_http_off_the_machine_is_refused() {
    let err = failure(
        &EcsCredentialsProvider::new(env(&[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://creds.example.com/x",
        )])),
        CredentialsErrorKind::InvalidConfiguration,
    )
    .await;
    assert!(err.contains("use https"), "{err}");
}

#[tokio::test]
async fn cache_refreshes_ecs_credentials_before_they_expire() {
    let server = ScriptedServer::start(vec![
        Action::json(200, &credentials_json("ASIA1")),
        Action::json(200, &credentials_json("ASIA2")),
    ])
    .await;
    let clock = ManualTimeSource::new(at(START));
    let cache = CachedCredentialsProvider::new(EcsCredentialsProvider::new(env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        &server.url("/creds"),
    )])))
    .with_time_source(clock.clone());
    assert_eq!(load(&cache).await.unwrap().access_key_id(), "ASIA1");
    // Six minutes before the expiry: still outside the 5-minute buffer.
    clock.set(at(START + 3_600 - 360));
    assert_eq!(load(&cache).await.unwrap().access_key_id(), "ASIA1");
    assert_eq!(server.request_count(), 1);
    // Four minutes before: refreshed.
    clock.set(at(START + 3_600 - 240));
    assert_eq!(load(&cache).await.unwrap().access_key_id(), "ASIA2");
    assert_eq!(server.request_count(), 2);
}

// ---------------------------------------------------------------- IMDS

const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

fn token_response(token: &str) -> Action {
    text(
        200,
        token,
        vec![("x-aws-ec2-metadata-token-ttl-seconds", "21600".to_owned())],
    )
}

fn imds_env(server: &ScriptedServer) -> Environment {
    env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url("/")),
    ])
}

/// What IMDS answers to one credentials fetch: a session token first when
/// `token` is given, then the role name, then credentials with `key`.
fn imds_fetch(token: Option<&str>, key: &str) -> Vec<Action> {
    let mut script: Vec<Action> = token.map(token_response).into_iter().collect();
    script.push(text(200, "app-role\n", vec![]));
    script.push(Action::json(200, &credentials_json(key)));
    script
}

/// Plays `script` as IMDS and returns the message the provider fails with,
/// checked to be of `kind`, and how many requests it sent.
async fn imds_failure(script: Vec<Action>, kind: CredentialsErrorKind) -> (String, usize) {
    let server = ScriptedServer::start(script).await;
    let err = failure(&ImdsCredentialsProvider::new(imds_env(&server)), kind).await;
    (err, server.request_count())
}

#[tokio::test]
async fn imds_gets_a_token_then_the_role_then_its_credentials() {
    let server = ScriptedServer::start(imds_fetch(Some("session-1"), "ASIA1")).await;
    let provider = ImdsCredentialsProvider::new(imds_env(&server));
    let creds = load(&provider).await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIA1");
    assert_eq!(creds.session_token(), Some("TOKEN-ASIA1"));
    assert_eq!(creds.expiry(), Some(at(START + 3_600)));
    assert_eq!(creds.provider_name(), "IMDS");

    let requests = server.requests();
    let seen: Vec<_> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.uri.path()))
        .collect();
    assert_eq!(
        seen,
        [
            ("PUT", "/latest/api/token"),
            ("GET", ROLE_PATH),
            ("GET", "/latest/meta-data/iam/security-credentials/app-role"),
        ]
    );
    assert_eq!(
        requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        "21600"
    );
    assert!(!requests[0].headers.contains_key("x-aws-ec2-metadata-token"));
    assert_eq!(requests[1].header("x-aws-ec2-metadata-token"), "session-1");
    assert_eq!(requests[2].header("x-aws-ec2-metadata-token"), "session-1");
}

#[tokio::test]
async fn imds_keeps_its_token_until_shortly_before_the_ttl() {
    // The second fetch uses the same token; the third, 6 hours later, gets
    // a new one first.
    let script = [
        imds_fetch(Some("session-1"), "ASIA1"),
        imds_fetch(None, "ASIA2"),
        imds_fetch(Some("session-2"), "ASIA3"),
    ];
    let server = ScriptedServer::start(script.concat()).await;
    let clock = ManualTimeSource::new(at(START));
    let provider = ImdsCredentialsProvider::new(imds_env(&server)).with_time_source(clock.clone());
    assert_eq!(load(&provider).await.unwrap().access_key_id(), "ASIA1");
    clock.set(at(START + 21_600 - 121));
    assert_eq!(load(&provider).await.unwrap().access_key_id(), "ASIA2");
    clock.set(at(START + 21_600 - 120));
    assert_eq!(load(&provider).await.unwrap().access_key_id(), "ASIA3");

    let tokens: Vec<_> = server
        .requests()
        .iter()
        .map(|r| {
            if r.method == Method::PUT {
                "PUT".to_owned()
            } else {
                r.header("x-aws-ec2-metadata-token")
            }
        })
        .collect();
    assert_eq!(
        tokens,
        [
            "PUT",
            "session-1",
            "session-1",
            "session-1",
            "session-1",
            "PUT",
            "session-2",
            "session-2"
        ]
    );
}

#[tokio::test]
async fn imds_401_gets_a_new_token_once() {
    let script = [
        vec![token_response("stale"), text(401, "", vec![])],
        imds_fetch(Some("fresh"), "ASIA1"),
    ];
    let server = ScriptedServer::start(script.concat()).await;
    let provider = ImdsCredentialsProvider::new(imds_env(&server));
    assert_eq!(load(&provider).await.unwrap().access_key_id(), "ASIA1");
    let requests = server.requests();
    assert_eq!(requests[1].header("x-aws-ec2-metadata-token"), "stale");
    assert_eq!(requests[2].method, Method::PUT);
    assert_eq!(requests[3].header("x-aws-ec2-metadata-token"), "fresh");
    assert_eq!(requests[4].header("x-aws-ec2-metadata-token"), "fresh");

    // A second 401 in a row is an error, not a loop.
    let script = vec![
        token_response("a"),
        text(401, "", vec![]),
        token_response("b"),
        text(401, "", vec![]),
    ];
    let (err, requests) = imds_failure(script, CredentialsErrorKind::ProviderError).await;
    assert!(
        err.ends_with("answered HTTP status 401 Unauthorized"),
        "{err}"
    );
    assert_eq!(requests, 4);
}

#[tokio::test]
async fn imds_without_a_role_or_refusing_tokens_is_not_loaded() {
    let script = vec![token_response("t"), text(404, "", vec![])];
    let (err, _) = imds_failure(script, CredentialsErrorKind::NotLoaded).await;
    assert!(err.ends_with("has no IAM role"), "{err}");

    let script = vec![text(403, "", vec![])];
    let (err, _) = imds_failure(script, CredentialsErrorKind::NotLoaded).await;
    assert!(
        err.ends_with("(a session token was refused with HTTP status 403 Forbidden)"),
        "{err}"
    );
}

#[tokio::test]
async fn imds_credentials_with_a_failure_code_are_a_provider_error() {
    let denied = r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"denied"}"#;
    let mut script = imds_fetch(Some("t"), "unused");
    script[2] = Action::json(200, denied);
    let (err, _) = imds_failure(script, CredentialsErrorKind::ProviderError).await;
    assert!(
        err.ends_with(
            "sent unusable credentials: `Code` is `AssumeRoleUnauthorizedAccess`, not `Success`"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn imds_where_nothing_listens_is_not_loaded() {
    let url = closed_port_url().await;
    let provider = ImdsCredentialsProvider::new(env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
    ]));
    let err = failure(&provider, CredentialsErrorKind::NotLoaded).await;
    let text = err;
    assert!(
        text.starts_with(&format!(
            "no instance metadata service at {url} (connection error: "
        )),
        "{text}"
    );
    assert!(text.ends_with(" (3 attempts))"), "{text}");
}

#[tokio::test]
async fn imds_that_never_answers_is_not_loaded_after_three_attempts() {
    let server = ScriptedServer::start(vec![Action::Hang, Action::Hang, Action::Hang]).await;
    let provider = ImdsCredentialsProvider::new(imds_env(&server))
        .with_timeouts(Duration::from_millis(100), Duration::from_millis(100));
    let err = failure(&provider, CredentialsErrorKind::NotLoaded).await;
    assert!(
        err.ends_with("(no response within 200ms (3 attempts))"),
        "{err}"
    );
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn imds_endpoint_from_the_profile() {
    let server = ScriptedServer::start(imds_fetch(Some("t"), "ASIA1")).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile ec2]\nec2_metadata_service_endpoint = {}\n",
            server.url("")
        ),
    )
    .unwrap();
    let provider = ImdsCredentialsProvider::new(env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ("AWS_PROFILE", "ec2"),
    ]));
    assert_eq!(load(&provider).await.unwrap().access_key_id(), "ASIA1");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn cache_refreshes_imds_credentials_before_they_expire() {
    let script = [imds_fetch(Some("t"), "ASIA1"), imds_fetch(None, "ASIA2")];
    let server = ScriptedServer::start(script.concat()).await;
    let clock = ManualTimeSource::new(at(START));
    let imds = ImdsCredentialsProvider::new(imds_env(&server)).with_time_source(clock.clone());
    let cache = CachedCredentialsProvider::new(imds).with_time_source(clock.clone());
    assert_eq!(load(&cache).await.unwrap().access_key_id(), "ASIA1");
    clock.set(at(START + 3_600 - 301));
    assert_eq!(load(&cache).await.unwrap().access_key_id(), "ASIA1");
    assert_eq!(server.request_count(), 3);
    clock.set(at(START + 3_600 - 300));
    assert_eq!(load(&cache).await.unwrap().access_key_id(), "ASIA2");
    assert_eq!(server.request_count(), 5);
}

// ---------------------------------------------------------------- the chain

#[tokio::test]
async fn chain_error_lists_every_provider_tried() {
    let url = closed_port_url().await;
    let dir = tempfile::tempdir().unwrap();
    let vars = [
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.as_str()),
    ];
    let chain = default_chain(&env(&vars).with_home(dir.path()));
    let err = failure(&chain, CredentialsErrorKind::NotLoaded).await;
    let text = err;
    let h = dir.path().display();
    // The web identity provider is in the chain with the feature that
    // brings the STS client.
    let web_identity = if cfg!(feature = "sts-sso-credentials") {
        "WebIdentity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN unset; "
    } else {
        ""
    };
    let expected_start = format!(
        "no credentials: Environment: AWS_ACCESS_KEY_ID unset; {web_identity}Profile: profile `default` not \
         found in {h}/.aws/credentials (missing) or {h}/.aws/config (missing); ECS: \
         AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI unset; \
         IMDS: no instance metadata service at {url} (connection error: "
    );
    assert!(text.starts_with(&expected_start), "{text}");
}

#[tokio::test]
async fn chain_takes_ecs_before_imds() {
    let ecs = ScriptedServer::start(vec![Action::json(200, &credentials_json("FROM-ECS"))]).await;
    let imds = ScriptedServer::start(vec![]).await;
    let chain = default_chain(&env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &ecs.url("/creds")),
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url("")),
    ]));
    assert_eq!(load(&chain).await.unwrap().access_key_id(), "FROM-ECS");
    assert_eq!(imds.request_count(), 0);
}

// ---------------------------------------------------------------- credential_process

#[cfg(unix)]
mod credential_process {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::path::{Path, PathBuf};

    /// Writes an executable shell script into `dir`.
    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// A profile provider for `[default]` with this `config` file.
    fn profile(dir: &Path, config: &str) -> ProfileCredentialsProvider {
        let path = dir.join("config");
        std::fs::write(&path, config).unwrap();
        ProfileCredentialsProvider::new(env(&[
            ("AWS_CONFIG_FILE", path.to_str().unwrap()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.join("credentials").to_str().unwrap(),
            ),
        ]))
    }

    #[tokio::test]
    async fn runs_the_command_with_its_arguments_and_reads_its_json() {
        let dir = tempfile::tempdir().unwrap();
        let command = script(
            dir.path(),
            "creds.sh",
            r#"printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2030-01-01T01:00:00Z"}' "$1""#,
        );
        let provider = profile(
            dir.path(),
            &format!(
                "[default]\ncredential_process = {} FROM-SCRIPT\n",
                command.display()
            ),
        );
        let creds = load(&provider).await.unwrap();
        assert_eq!(creds.access_key_id(), "FROM-SCRIPT");
        assert_eq!(creds.session_token(), Some("T"));
        assert_eq!(creds.expiry(), Some(at(START + 3_600)));
        assert_eq!(creds.provider_name(), "CredentialProcess");
    }

    #[tokio::test]
    async fn the_command_wins_over_static_keys_in_the_same_profile() {
        let dir = tempfile::tempdir().unwrap();
        let command = script(
            dir.path(),
            "creds.sh",
            r#"echo '{"Version": 1, "AccessKeyId": "FROM-PROCESS", "SecretAccessKey": "S"}'"#,
        );
        std::fs::write(
            dir.path().join("credentials"),
            "[default]\naws_access_key_id = STATIC\naws_secret_access_key = S\n",
        )
        .unwrap();
        let provider = profile(
            dir.path(),
            &format!("[default]\ncredential_process = {}\n", command.display()),
        );
        assert_eq!(
            load(&provider).await.unwrap().access_key_id(),
            "FROM-PROCESS"
        );
    }

    #[tokio::test]
    async fn failures_name_the_profile_and_the_program_never_the_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let failing = script(
            dir.path(),
            "fail.sh",
            "echo '{\"SecretAccessKey\": \"s3cr3t-out\"}'\necho 'session expired, run login' >&2\nexit 3",
        );
        let garbage = script(
            dir.path(),
            "garbage.sh",
            "echo 'SecretAccessKey=s3cr3t-out'",
        );
        let missing = dir.path().join("not-there.sh");
        for (command, expected) in [
            (
                &failing,
                "failed (exit status: 3) with standard error: session expired, run login",
            ),
            (&garbage, "printed unusable output: it is not valid JSON"),
            (&missing, "failed (exit status: 127) with standard error: "),
        ] {
            let provider = profile(
                dir.path(),
                &format!(
                    "[default]\ncredential_process = {} --secret-arg\n",
                    command.display()
                ),
            );
            let err = failure(&provider, CredentialsErrorKind::ProviderError).await;
            let text = err;
            let prefix = format!(
                "`credential_process` of profile `default` (config file line 2) (`{}`, arguments not shown) {expected}",
                command.display()
            );
            assert!(text.starts_with(&prefix), "{text}");
            assert!(!text.contains("s3cr3t"), "{text}");
            assert!(!text.contains("--secret-arg"), "{text}");
        }
    }

    #[tokio::test]
    async fn a_failing_command_stops_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let failing = script(dir.path(), "fail.sh", "exit 1");
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            format!("[default]\ncredential_process = {}\n", failing.display()),
        )
        .unwrap();
        let ecs = ScriptedServer::start(vec![]).await;
        let chain = default_chain(&env(&[
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &ecs.url("/creds")),
        ]));
        let err = failure(&chain, CredentialsErrorKind::ProviderError).await;
        assert!(
            err.contains("; Profile: `credential_process` of profile `default`"),
            "{err}"
        );
        assert_eq!(ecs.request_count(), 0);
    }
}
