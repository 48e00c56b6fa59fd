//! The credential providers that call AWS services, against stand-ins: one
//! loopback server plays STS, SSO and SSO-OIDC from a script (real HTTP,
//! real XML and JSON answers), with temporary profile files, token files
//! and SSO token caches. Nothing here reads the real environment or home,
//! or reaches AWS. Runs with the `sts-sso-credentials` feature.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smithy_runtime::auth::credentials::{
    default_chain, AssumeRoleProvider, Credentials, CredentialsError, CredentialsErrorKind,
    ProfileCredentialsProvider, ProvideCredentials, StaticCredentialsProvider,
    WebIdentityTokenCredentialsProvider,
};
use smithy_runtime::config::environment::Environment;
use smithy_runtime::primitives::{DateTime, DateTimeFormat};
use support::{Action, RecordedRequest, ScriptedServer};

/// 2030-01-01T01:00:00Z, when every credential the stand-ins hand out expires.
const EXPIRY: u64 = 1_893_459_600;

/// A temporary home with `.aws/`, and an environment that points every
/// service and shared file at it and at `server`: no real variables, IMDS
/// off.
struct Sandbox {
    home: tempfile::TempDir,
    env: Environment,
}

impl Sandbox {
    fn new(server: &ScriptedServer, config: &str) -> Self {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aws/sso/cache")).unwrap();
        std::fs::write(home.path().join(".aws/config"), config).unwrap();
        let env = Environment::from_map([
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL_STS", &server.url("")),
            ("AWS_ENDPOINT_URL_SSO", &server.url("")),
            ("AWS_ENDPOINT_URL_SSO_OIDC", &server.url("")),
        ])
        .with_home(home.path());
        Sandbox { home, env }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.home.path().join(relative)
    }

    fn with_var(mut self, name: &str, value: &str) -> Self {
        self.env = self.env.with_var(name, value);
        self
    }

    /// Writes `token` to a file and points `AWS_WEB_IDENTITY_TOKEN_FILE` at
    /// it, with `AWS_ROLE_ARN` set to `role_arn`.
    fn with_web_identity(self, token: &str, role_arn: &str) -> Self {
        let file = self.path("token");
        std::fs::write(&file, token).unwrap();
        self.with_var("AWS_WEB_IDENTITY_TOKEN_FILE", file.to_str().unwrap())
            .with_var("AWS_ROLE_ARN", role_arn)
    }
}

fn sts_credentials_xml(action: &str, key: &str) -> Action {
    Action::Respond {
        status: 200,
        headers: vec![("content-type", "text/xml".to_owned())],
        body: format!(
            r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <Credentials>
      <AccessKeyId>{key}</AccessKeyId>
      <SecretAccessKey>SECRET-{key}</SecretAccessKey>
      <SessionToken>TOKEN-{key}</SessionToken>
      <Expiration>2030-01-01T01:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
  </{action}Result>
  <ResponseMetadata><RequestId>req-{key}</RequestId></ResponseMetadata>
</{action}Response>"#
        ),
    }
}

fn sts_error_xml(status: u16, code: &str, message: &str) -> Action {
    Action::Respond {
        status,
        headers: vec![("content-type", "text/xml".to_owned())],
        body: format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
             <Code>{code}</Code><Message>{message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>"
        ),
    }
}

fn sso_credentials_json(key: &str) -> Action {
    Action::json(
        200,
        &format!(
            r#"{{"roleCredentials":{{"accessKeyId":"{key}","secretAccessKey":"SECRET-{key}",
                "sessionToken":"TOKEN-{key}","expiration":{}}}}}"#,
            EXPIRY * 1000
        ),
    )
}

/// The form fields of an awsQuery request body, decoded.
fn form(request: &RecordedRequest) -> Vec<(String, String)> {
    let body = std::str::from_utf8(&request.body).unwrap();
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8()
        .unwrap()
        .into_owned()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The access key id a SigV4 `Authorization` header names, or "" when the
/// request is unsigned.
fn signing_key(request: &RecordedRequest) -> String {
    let header = request.header("authorization");
    header
        .split("Credential=")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned()
}

fn expiry() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(EXPIRY)
}

fn assert_keys(credentials: &Credentials, key: &str, provider: &str) {
    assert_eq!(credentials.access_key_id(), key);
    assert_eq!(credentials.secret_access_key(), format!("SECRET-{key}"));
    assert_eq!(
        credentials.session_token(),
        Some(format!("TOKEN-{key}").as_str())
    );
    assert_eq!(credentials.expiry(), Some(expiry()));
    assert_eq!(credentials.provider_name(), provider);
}

async fn failure(provider: &dyn ProvideCredentials, kind: CredentialsErrorKind) -> String {
    let err: CredentialsError = provider
        .provide_credentials()
        .await
        .expect_err("should fail");
    assert_eq!(err.kind(), kind, "{err}");
    err.to_string()
}

// ------------------------------------------------------------ web identity

#[tokio::test]
async fn web_identity_from_the_environment_is_exchanged_unsigned() {
    let server = ScriptedServer::start(vec![sts_credentials_xml(
        "AssumeRoleWithWebIdentity",
        "ASIAWEB",
    )])
    .await;
    let sandbox = Sandbox::new(&server, "")
        .with_web_identity("eyJ.web.token\n", "arn:aws:iam::123456789012:role/pod")
        .with_var("AWS_ROLE_SESSION_NAME", "pod-session");
    let credentials = WebIdentityTokenCredentialsProvider::new(sandbox.env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_keys(&credentials, "ASIAWEB", "WebIdentityToken");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let fields = form(&requests[0]);
    assert_eq!(field(&fields, "Action"), Some("AssumeRoleWithWebIdentity"));
    assert_eq!(
        field(&fields, "RoleArn"),
        Some("arn:aws:iam::123456789012:role/pod")
    );
    assert_eq!(field(&fields, "RoleSessionName"), Some("pod-session"));
    assert_eq!(field(&fields, "WebIdentityToken"), Some("eyJ.web.token"));
    assert_eq!(requests[0].header("authorization"), "", "sent unsigned");
}

#[tokio::test]
async fn web_identity_sts_refusal_names_the_role_code_and_message() {
    let server = ScriptedServer::start(vec![sts_error_xml(
        400,
        "InvalidIdentityToken",
        "Token expired",
    )])
    .await;
    let sandbox = Sandbox::new(&server, "").with_web_identity("tok", "arn:aws:iam::1:role/pod");
    let message = failure(
        &WebIdentityTokenCredentialsProvider::new(sandbox.env.clone()),
        CredentialsErrorKind::ProviderError,
    )
    .await;
    assert!(
        message.starts_with("STS AssumeRoleWithWebIdentity for role `arn:aws:iam::1:role/pod` (AWS_WEB_IDENTITY_TOKEN_FILE) failed: "),
        "{message}"
    );
    assert!(
        message.contains("InvalidIdentityToken") && message.contains("Token expired"),
        "{message}"
    );
}

#[tokio::test]
async fn web_identity_from_a_profile() {
    let server = ScriptedServer::start(vec![sts_credentials_xml(
        "AssumeRoleWithWebIdentity",
        "ASIAPWEB",
    )])
    .await;
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("token");
    std::fs::write(&token, "profile-token").unwrap();
    let config = format!(
        "[default]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = {}\nrole_session_name = ci\n",
        token.display()
    );
    let sandbox = Sandbox::new(&server, &config);
    let credentials = ProfileCredentialsProvider::new(sandbox.env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_keys(&credentials, "ASIAPWEB", "WebIdentityToken");
    let fields = form(&server.requests()[0]);
    assert_eq!(field(&fields, "WebIdentityToken"), Some("profile-token"));
    assert_eq!(field(&fields, "RoleSessionName"), Some("ci"));
}

// ------------------------------------------------------------ assume role

#[tokio::test]
async fn chained_roles_are_assumed_innermost_first_each_signed_by_the_last() {
    let server = ScriptedServer::start(vec![
        sts_credentials_xml("AssumeRole", "ASIAMIDDLE"),
        sts_credentials_xml("AssumeRole", "ASIAOUTER"),
    ])
    .await;
    let sandbox = Sandbox::new(
        &server,
        "[default]\nrole_arn = arn:aws:iam::1:role/outer\nsource_profile = middle\nexternal_id = ext-1\n\
         role_session_name = outer-session\nduration_seconds = 1800\n\
         [profile middle]\nrole_arn = arn:aws:iam::1:role/middle\nsource_profile = base\n\
         [profile base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n",
    );
    let credentials = ProfileCredentialsProvider::new(sandbox.env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_keys(&credentials, "ASIAOUTER", "AssumeRole");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let (first, second) = (form(&requests[0]), form(&requests[1]));
    assert_eq!(field(&first, "Action"), Some("AssumeRole"));
    assert_eq!(field(&first, "RoleArn"), Some("arn:aws:iam::1:role/middle"));
    assert!(field(&first, "RoleSessionName").is_some_and(|n| n.starts_with("smithy-runtime-")));
    assert_eq!(field(&first, "ExternalId"), None);
    assert_eq!(signing_key(&requests[0]), "AKIABASE");
    assert!(requests[0]
        .header("authorization")
        .contains("/eu-west-1/sts/aws4_request"));
    assert_eq!(field(&second, "RoleArn"), Some("arn:aws:iam::1:role/outer"));
    assert_eq!(field(&second, "ExternalId"), Some("ext-1"));
    assert_eq!(field(&second, "RoleSessionName"), Some("outer-session"));
    assert_eq!(field(&second, "DurationSeconds"), Some("1800"));
    assert_eq!(signing_key(&requests[1]), "ASIAMIDDLE");
    assert_eq!(
        requests[1].header("x-amz-security-token"),
        "TOKEN-ASIAMIDDLE"
    );
}

#[tokio::test]
async fn a_profile_with_role_arn_assumes_it_even_with_static_keys() {
    let server = ScriptedServer::start(vec![sts_credentials_xml("AssumeRole", "ASIAROLE")]).await;
    let sandbox = Sandbox::new(
        &server,
        "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n\
         aws_access_key_id = AKIAOWN\naws_secret_access_key = own-secret\n",
    );
    let credentials = ProfileCredentialsProvider::new(sandbox.env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_keys(&credentials, "ASIAROLE", "AssumeRole");
    assert_eq!(signing_key(&server.requests()[0]), "AKIAOWN");
}

#[tokio::test]
async fn credential_source_environment_signs_with_the_environment_keys() {
    let server =
        ScriptedServer::start(vec![sts_credentials_xml("AssumeRole", "ASIAENVROLE")]).await;
    let sandbox = Sandbox::new(
        &server,
        "[profile ops]\nrole_arn = arn:aws:iam::1:role/ops\ncredential_source = Environment\n",
    )
    .with_var("AWS_PROFILE", "ops")
    .with_var("AWS_ACCESS_KEY_ID", "AKIAENV")
    .with_var("AWS_SECRET_ACCESS_KEY", "env-secret");
    let credentials = ProfileCredentialsProvider::new(sandbox.env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_keys(&credentials, "ASIAENVROLE", "AssumeRole");
    assert_eq!(signing_key(&server.requests()[0]), "AKIAENV");

    let without = Sandbox::new(
        &server,
        "[default]\nrole_arn = arn:aws:iam::1:role/ops\ncredential_source = Environment\n",
    );
    let message = failure(
        &ProfileCredentialsProvider::new(without.env.clone()),
        CredentialsErrorKind::ProviderError,
    )
    .await;
    assert_eq!(
        message,
        "credential_source `Environment` of profile chain `default` gave no credentials: AWS_ACCESS_KEY_ID unset"
    );
    assert_eq!(
        server.request_count(),
        1,
        "no call without source credentials"
    );
}

#[tokio::test]
async fn assume_role_refused_by_sts_and_a_loop_in_the_profiles() {
    let server = ScriptedServer::start(vec![sts_error_xml(
        403,
        "AccessDenied",
        "not allowed to assume",
    )])
    .await;
    let sandbox = Sandbox::new(
        &server,
        "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n\
         [profile keys]\naws_access_key_id = AKIA\naws_secret_access_key = s\n\
         [profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = a\n",
    );
    let message = failure(
        &ProfileCredentialsProvider::new(sandbox.env.clone()),
        CredentialsErrorKind::ProviderError,
    )
    .await;
    assert!(
        message.starts_with(
            "STS AssumeRole for role `arn:aws:iam::1:role/r` (profile `default`) failed: "
        ),
        "{message}"
    );
    assert!(
        message.contains("AccessDenied") && message.contains("not allowed to assume"),
        "{message}"
    );

    let looping = ProfileCredentialsProvider::new(sandbox.env.clone()).with_profile_name("a");
    let message = failure(&looping, CredentialsErrorKind::InvalidConfiguration).await;
    assert_eq!(
        message,
        "the source_profile links of profile `a` form a loop: a -> b -> a"
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn assume_role_provider_from_code() {
    let server = ScriptedServer::start(vec![sts_credentials_xml("AssumeRole", "ASIACODE")]).await;
    let sandbox = Sandbox::new(&server, "");
    let provider = AssumeRoleProvider::new(
        sandbox.env.clone(),
        "arn:aws:iam::1:role/code",
        StaticCredentialsProvider::new(Credentials::from_keys("AKIACODE", "s")),
    )
    .with_session_name("from-code")
    .with_external_id("x")
    .with_duration_seconds(900)
    .with_region("ap-south-1");
    assert_keys(
        &provider.provide_credentials().await.unwrap(),
        "ASIACODE",
        "AssumeRole",
    );
    let request = &server.requests()[0];
    let fields = form(request);
    assert_eq!(field(&fields, "RoleSessionName"), Some("from-code"));
    assert_eq!(field(&fields, "DurationSeconds"), Some("900"));
    assert!(request
        .header("authorization")
        .contains("/ap-south-1/sts/aws4_request"));
}

// ------------------------------------------------------------ SSO

fn sso_session_config() -> &'static str {
    "[default]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\n\
     [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-2\n"
}

fn sha1_hex(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, text.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn rfc3339(time: SystemTime) -> String {
    DateTime::from_secs(DateTime::from(time).secs())
        .fmt(DateTimeFormat::DateTime)
        .unwrap()
}

fn write_token(path: &Path, expires_at: SystemTime, refresh: bool) {
    let refresh = if refresh {
        r#","refreshToken":"refresh-1","clientId":"client-1","clientSecret":"client-secret-1""#
    } else {
        ""
    };
    std::fs::write(
        path,
        format!(
            r#"{{"accessToken":"cached-token","expiresAt":"{}","region":"us-east-2","startUrl":"https://corp.awsapps.com/start"{refresh}}}"#,
            rfc3339(expires_at)
        ),
    )
    .unwrap();
}

#[tokio::test]
async fn sso_session_with_a_fresh_cached_token() {
    let server = ScriptedServer::start(vec![sso_credentials_json("ASIASSO")]).await;
    let sandbox = Sandbox::new(&server, sso_session_config());
    let cache = sandbox.path(&format!(".aws/sso/cache/{}.json", sha1_hex("corp")));
    write_token(&cache, SystemTime::now() + Duration::from_secs(3600), true);
    let credentials = ProfileCredentialsProvider::new(sandbox.env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_keys(&credentials, "ASIASSO", "SSO");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "no refresh for a fresh token");
    let request = &requests[0];
    assert_eq!(request.method, http::Method::GET);
    assert_eq!(request.uri.path(), "/federation/credentials");
    let query = request.uri.query().unwrap_or_default();
    assert!(
        query.contains("account_id=111122223333") && query.contains("role_name=Developer"),
        "{query}"
    );
    assert_eq!(request.header("x-amz-sso_bearer_token"), "cached-token");
    assert_eq!(request.header("authorization"), "");
}

#[tokio::test]
async fn sso_token_near_expiry_is_refreshed_and_written_back() {
    let server = ScriptedServer::start(vec![
        Action::json(200, r#"{"accessToken":"new-token","tokenType":"Bearer","expiresIn":28800,"refreshToken":"refresh-2"}"#),
        sso_credentials_json("ASIASSO2"),
    ])
    .await;
    let sandbox = Sandbox::new(&server, sso_session_config());
    let cache = sandbox.path(&format!(".aws/sso/cache/{}.json", sha1_hex("corp")));
    write_token(&cache, SystemTime::now() + Duration::from_secs(60), true);
    let credentials = ProfileCredentialsProvider::new(sandbox.env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_keys(&credentials, "ASIASSO2", "SSO");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].uri.path()),
        ("POST", "/token")
    );
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["grantType"], "refresh_token");
    assert_eq!(body["refreshToken"], "refresh-1");
    assert_eq!(
        (body["clientId"].as_str(), body["clientSecret"].as_str()),
        (Some("client-1"), Some("client-secret-1"))
    );
    assert_eq!(requests[1].header("x-amz-sso_bearer_token"), "new-token");

    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    assert_eq!(written["accessToken"], "new-token");
    assert_eq!(written["refreshToken"], "refresh-2");
    assert_eq!(
        written["startUrl"], "https://corp.awsapps.com/start",
        "other fields kept"
    );
    let expires = DateTime::parse(
        DateTimeFormat::DateTime,
        written["expiresAt"].as_str().unwrap(),
    )
    .unwrap();
    let lifetime = SystemTime::try_from(expires)
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(lifetime > Duration::from_secs(28_000), "{lifetime:?}");
}

#[tokio::test]
async fn an_expired_sso_token_without_refresh_asks_for_aws_sso_login() {
    let server = ScriptedServer::start(vec![]).await;
    let legacy =
        "[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n\
                  sso_account_id = 1\nsso_role_name = R\n";
    let sandbox = Sandbox::new(&server, legacy).with_var("AWS_PROFILE", "old");
    let cache = sandbox.path(&format!(
        ".aws/sso/cache/{}.json",
        sha1_hex("https://old.awsapps.com/start")
    ));
    write_token(&cache, SystemTime::now() - Duration::from_secs(60), false);
    let message = failure(
        &ProfileCredentialsProvider::new(sandbox.env.clone()),
        CredentialsErrorKind::ProviderError,
    )
    .await;
    assert!(
        message.starts_with("the SSO token of profile `old` expired at "),
        "{message}"
    );
    assert!(
        message.ends_with("and cannot be refreshed (the cache has no refresh token); run `aws sso login --profile old`"),
        "{message}"
    );
    std::fs::remove_file(&cache).unwrap();
    let message = failure(
        &ProfileCredentialsProvider::new(sandbox.env.clone()),
        CredentialsErrorKind::ProviderError,
    )
    .await;
    assert!(
        message.starts_with("profile `old` uses SSO, but its cached token "),
        "{message}"
    );
    assert!(
        message.ends_with(" is missing; run `aws sso login --profile old`"),
        "{message}"
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn an_expired_token_whose_refresh_fails_says_why_and_asks_for_login() {
    let server = ScriptedServer::start(vec![Action::error(400, "InvalidGrantException")]).await;
    let sandbox = Sandbox::new(&server, sso_session_config());
    let cache = sandbox.path(&format!(".aws/sso/cache/{}.json", sha1_hex("corp")));
    write_token(&cache, SystemTime::now() - Duration::from_secs(10), true);
    let message = failure(
        &ProfileCredentialsProvider::new(sandbox.env.clone()),
        CredentialsErrorKind::ProviderError,
    )
    .await;
    assert!(
        message.contains(
            "could not be refreshed (SSO-OIDC CreateToken (refresh) for profile `default` failed: "
        ),
        "{message}"
    );
    assert!(message.contains("InvalidGrantException"), "{message}");
    assert!(
        message.ends_with("run `aws sso login --sso-session corp`"),
        "{message}"
    );
}

// ------------------------------------------------------------ the chain

#[tokio::test]
async fn the_chain_takes_web_identity_after_the_environment_and_before_profiles() {
    let server = ScriptedServer::start(vec![sts_credentials_xml(
        "AssumeRoleWithWebIdentity",
        "ASIACHAIN",
    )])
    .await;
    let sandbox = Sandbox::new(
        &server,
        "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s\n",
    )
    .with_web_identity("tok", "arn:aws:iam::1:role/pod");
    let credentials = default_chain(&sandbox.env)
        .provide_credentials()
        .await
        .unwrap();
    assert_keys(&credentials, "ASIACHAIN", "WebIdentityToken");

    let with_env = sandbox
        .env
        .clone()
        .with_var("AWS_ACCESS_KEY_ID", "AKIAENV")
        .with_var("AWS_SECRET_ACCESS_KEY", "s");
    let credentials = default_chain(&with_env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIAENV");
    assert_eq!(
        server.request_count(),
        1,
        "the environment's keys need no call"
    );
}

#[tokio::test]
async fn with_nothing_configured_the_error_lists_every_provider_and_why() {
    let server = ScriptedServer::start(vec![]).await;
    let sandbox = Sandbox::new(&server, "[default]\nregion = eu-west-1\n");
    let err = default_chain(&sandbox.env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    let message = err.to_string();
    let names: Vec<&str> = message
        .trim_start_matches("no credentials: ")
        .split("; ")
        .filter_map(|part| part.split_once(": ").map(|(name, _)| name))
        .collect();
    assert_eq!(
        names,
        ["Environment", "WebIdentity", "Profile", "ECS", "IMDS"],
        "{message}"
    );
    assert!(
        message.contains("WebIdentity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN unset"),
        "{message}"
    );
    assert!(
        message
            .contains("Profile: profile `default` has no aws_access_key_id or credential_process"),
        "{message}"
    );
}
