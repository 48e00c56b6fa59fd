//! The generated IVS RealTime client configured only through the shared
//! profile files and endpoint variables, as a user would on a laptop, with a
//! profile that assumes a role: the runtime's generated STS client calls the
//! loopback STS (which checks the awsQuery form and the shape of the SigV4
//! signature), and the IVS call is signed with the session STS handed out.

use integration_tests::{ivs_server, sts_server};
use ivs_realtime::Client;
use smithy_runtime::config::environment::Environment;

#[tokio::test]
async fn a_profile_that_assumes_a_role_signs_calls_with_the_session() {
    let ivs = ivs_server::start().await;
    let sts = sts_server::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config_file = dir.path().join("config");
    std::fs::write(
        &config_file,
        format!(
            "[profile media]\nregion = us-east-1\nrole_arn = arn:aws:iam::{}:role/media-admin\n\
             source_profile = keys\nrole_session_name = laptop\nexternal_id = media-ext\n\
             [profile keys]\naws_access_key_id = AKIDLONGTERM\naws_secret_access_key = long/term/secret\n",
            sts_server::ACCOUNT_ID
        ),
    )
    .expect("config written");
    let env = Environment::empty()
        .without_home()
        .with_var("AWS_CONFIG_FILE", config_file.to_string_lossy())
        .with_var("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none").to_string_lossy())
        .with_var("AWS_PROFILE", "media")
        .with_var("AWS_EC2_METADATA_DISABLED", "true")
        .with_var("AWS_ENDPOINT_URL_STS", sts.endpoint_url())
        .with_var("AWS_ENDPOINT_URL_IVS_REALTIME", ivs.endpoint_url());
    let client = Client::new(&ivs_realtime::config::ConfigBuilder::from_environment(&env).build());

    client.list_stages().send().await.expect("listed with the role's session");

    let session = sts.with_service(|sts| sts.sessions().to_vec());
    assert_eq!(session.len(), 1);
    let session = &session[0];
    assert_eq!(session.role_arn, format!("arn:aws:iam::{}:role/media-admin", sts_server::ACCOUNT_ID));
    assert_eq!(session.session_name, "laptop");
    assert_eq!(session.external_id.as_deref(), Some("media-ext"));
    let assume = &sts.requests_for_action("AssumeRole")[0];
    let signed_by = assume.header("authorization").unwrap_or_default();
    assert!(signed_by.contains("Credential=AKIDLONGTERM/"), "{signed_by}");
    assert!(signed_by.contains("/us-east-1/sts/aws4_request"), "{signed_by}");

    for request in ivs.requests() {
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(authorization.contains(&format!("Credential={}/", session.access_key_id)), "{authorization}");
        assert_eq!(request.header("x-amz-security-token"), Some(session.session_token.as_str()));
    }
}
