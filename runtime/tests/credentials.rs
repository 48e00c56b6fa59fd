//! Credentials providers against real files in temporary home directories and
//! explicit environment maps. Nothing here reads the real environment or home.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smithy_runtime::auth::credentials::{
    default_chain, default_provider, CachedCredentialsProvider, Credentials, CredentialsError,
    CredentialsErrorKind, CredentialsFuture, EnvironmentCredentialsProvider,
    ProfileCredentialsProvider, ProvideCredentials, SharedCredentialsProvider,
};
use smithy_runtime::behavior::sleep::{ManualTimeSource, TimeSource};
use smithy_runtime::config::environment::Environment;
use tempfile::TempDir;

/// A temporary home directory with optional `.aws/credentials` and `.aws/config`.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Self {
        Home {
            dir: tempfile::tempdir().expect("create temp dir"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(&path, text).expect("write file");
        path
    }

    fn credentials(self, text: &str) -> Self {
        self.write(".aws/credentials", text);
        self
    }

    fn config(self, text: &str) -> Self {
        self.write(".aws/config", text);
        self
    }

    /// `vars` with this home directory. IMDS is always turned off: no test
    /// may reach the real instance metadata address.
    fn env(&self, vars: &[(&str, &str)]) -> Environment {
        no_imds(vars).with_home(self.path())
    }
}

/// `vars` plus `AWS_EC2_METADATA_DISABLED=true`, with no home directory.
fn no_imds(vars: &[(&str, &str)]) -> Environment {
    Environment::from_map(vars.iter().copied()).with_var("AWS_EC2_METADATA_DISABLED", "true")
}

async fn load(provider: &dyn ProvideCredentials) -> Result<Credentials, CredentialsError> {
    provider.provide_credentials().await
}

const CREDS_DEFAULT: &str = "\
# my keys
[default]
aws_access_key_id = AKID_DEFAULT
aws_secret_access_key = SECRET_DEFAULT

[work]
aws_access_key_id=AKID_WORK
aws_secret_access_key=SECRET_WORK
aws_session_token=TOKEN_WORK
";

#[tokio::test]
async fn env_provider_reads_the_three_variables() {
    let env = Environment::from_map([
        ("AWS_ACCESS_KEY_ID", "AKID_ENV"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET_ENV"),
        ("AWS_SESSION_TOKEN", "TOKEN_ENV"),
    ]);
    let creds = load(&EnvironmentCredentialsProvider::new(env))
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKID_ENV");
    assert_eq!(creds.secret_access_key(), "SECRET_ENV");
    assert_eq!(creds.session_token(), Some("TOKEN_ENV"));
    assert_eq!(creds.provider_name(), "Environment");
}

#[tokio::test]
async fn profile_default_from_credentials_file() {
    let home = Home::new().credentials(CREDS_DEFAULT);
    let creds = load(&ProfileCredentialsProvider::new(home.env(&[])))
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKID_DEFAULT");
    assert_eq!(creds.secret_access_key(), "SECRET_DEFAULT");
    assert_eq!(creds.session_token(), None);
}

#[tokio::test]
async fn named_profile_from_aws_profile() {
    let home = Home::new().credentials(CREDS_DEFAULT);
    let creds = load(&ProfileCredentialsProvider::new(
        home.env(&[("AWS_PROFILE", "work")]),
    ))
    .await
    .unwrap();
    assert_eq!(creds.access_key_id(), "AKID_WORK");
    assert_eq!(creds.session_token(), Some("TOKEN_WORK"));

    // An explicit name beats AWS_PROFILE.
    let provider = ProfileCredentialsProvider::new(home.env(&[("AWS_PROFILE", "work")]))
        .with_profile_name("default");
    assert_eq!(
        load(&provider).await.unwrap().access_key_id(),
        "AKID_DEFAULT"
    );
}

#[tokio::test]
async fn config_file_uses_profile_prefix() {
    let home = Home::new().config(
        "[profile dev]\n\
         aws_access_key_id = AKID_CONFIG_DEV\n\
         aws_secret_access_key = SECRET_CONFIG_DEV\n\
         [dev]\n\
         aws_access_key_id = IGNORED_WITHOUT_PREFIX\n",
    );
    let creds = load(&ProfileCredentialsProvider::new(
        home.env(&[("AWS_PROFILE", "dev")]),
    ))
    .await
    .unwrap();
    assert_eq!(creds.access_key_id(), "AKID_CONFIG_DEV");
}

#[tokio::test]
async fn credentials_file_wins_over_config_for_the_same_key() {
    let home = Home::new()
        .config(
            "[default]\n\
             aws_access_key_id = AKID_FROM_CONFIG\n\
             aws_secret_access_key = SECRET_FROM_CONFIG\n\
             aws_session_token = TOKEN_FROM_CONFIG\n",
        )
        .credentials("[default]\naws_access_key_id = AKID_FROM_CREDS\naws_secret_access_key = SECRET_FROM_CREDS\n");
    let creds = load(&ProfileCredentialsProvider::new(home.env(&[])))
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKID_FROM_CREDS");
    assert_eq!(creds.secret_access_key(), "SECRET_FROM_CREDS");
    // Keys only the config file sets still come through.
    assert_eq!(creds.session_token(), Some("TOKEN_FROM_CONFIG"));
}

#[tokio::test]
async fn file_locations_can_be_overridden() {
    let home = Home::new()
        .credentials("[default]\naws_access_key_id = WRONG_FILE\naws_secret_access_key = x\n");
    home.write(
        "elsewhere/creds",
        "[default]\naws_access_key_id = AKID_OVERRIDE\naws_secret_access_key = s\n",
    );
    let env = home.env(&[("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds")]);
    let creds = load(&ProfileCredentialsProvider::new(env)).await.unwrap();
    assert_eq!(creds.access_key_id(), "AKID_OVERRIDE");

    let config = home.write(
        "cfg/config",
        "[profile p]\naws_access_key_id = AKID_CFG_OVERRIDE\naws_secret_access_key = s\n",
    );
    let env = home.env(&[
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/creds"),
        ("AWS_PROFILE", "p"),
    ]);
    let creds = load(&ProfileCredentialsProvider::new(env)).await.unwrap();
    assert_eq!(creds.access_key_id(), "AKID_CFG_OVERRIDE");
}

#[tokio::test]
async fn comments_whitespace_and_continuations() {
    let home = Home::new().credentials(
        "\n\
         ; semicolon comment\n\
         \t[  default  ]   # comment after header\n\
         aws_access_key_id   =   AKID_SPACED   # trailing comment\n\
         \n\
         # comment between properties\n\
         aws_secret_access_key = SECRET_SPACED\n\
         note = first\n\
         \x20 second line\n",
    );
    let provider = ProfileCredentialsProvider::new(home.env(&[]));
    let creds = load(&provider).await.unwrap();
    assert_eq!(creds.access_key_id(), "AKID_SPACED");
    assert_eq!(creds.secret_access_key(), "SECRET_SPACED");

    let set = smithy_runtime::config::profile::ProfileSet::load(&home.env(&[])).unwrap();
    assert_eq!(
        set.selected().unwrap().get("note"),
        Some("first\nsecond line")
    );
}

#[tokio::test]
async fn missing_files_error_names_profile_and_paths() {
    let home = Home::new();
    let err = load(&ProfileCredentialsProvider::new(home.env(&[])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    let h = home.path().display();
    assert_eq!(
        err.to_string(),
        format!(
            "profile `default` not found in {h}/.aws/credentials (missing) or {h}/.aws/config (missing)"
        )
    );
}

#[tokio::test]
async fn malformed_line_reports_file_and_line() {
    let home = Home::new().credentials(
        "[default]\naws_access_key_id = AKID\nthis line has no equals sign SECRETISH\n",
    );
    let err = load(&ProfileCredentialsProvider::new(home.env(&[])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    let path = home.path().join(".aws/credentials");
    assert_eq!(
        err.to_string(),
        format!(
            "{} line 3: expected `name = value` but found no `=`",
            path.display()
        )
    );
    assert!(!err.to_string().contains("SECRETISH"));
}

#[tokio::test]
async fn unreadable_file_is_a_provider_error() {
    // A directory where the credentials file should be.
    let home = Home::new();
    std::fs::create_dir_all(home.path().join(".aws/credentials")).unwrap();
    let err = load(&ProfileCredentialsProvider::new(home.env(&[])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(err.to_string().starts_with("cannot read "), "{err}");
    assert!(err.to_string().contains(".aws/credentials"), "{err}");
}

#[tokio::test]
async fn default_chain_prefers_environment_over_profile() {
    let home = Home::new().credentials(CREDS_DEFAULT);
    let env = home.env(&[
        ("AWS_ACCESS_KEY_ID", "AKID_ENV"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET_ENV"),
    ]);
    let chain = default_chain(&env);
    // Web identity needs the STS client of the `sts-sso-credentials` feature.
    let expected: &[&str] = if cfg!(feature = "sts-sso-credentials") {
        &["Environment", "WebIdentity", "Profile", "ECS", "IMDS"]
    } else {
        &["Environment", "Profile", "ECS", "IMDS"]
    };
    assert_eq!(chain.names().collect::<Vec<_>>(), expected);
    let creds = load(&chain).await.unwrap();
    assert_eq!(creds.access_key_id(), "AKID_ENV");

    // Without the variables, the profile is used.
    let creds = load(&default_chain(&home.env(&[]))).await.unwrap();
    assert_eq!(creds.access_key_id(), "AKID_DEFAULT");
    assert_eq!(creds.provider_name(), "Profile");
}

#[tokio::test]
async fn default_chain_error_lists_every_reason() {
    let home = Home::new();
    let err = load(&default_chain(&home.env(&[]))).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    let h = home.path().display();
    let web_identity = if cfg!(feature = "sts-sso-credentials") {
        "WebIdentity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN unset; "
    } else {
        ""
    };
    assert_eq!(
        err.to_string(),
        format!(
            "no credentials: Environment: AWS_ACCESS_KEY_ID unset; {web_identity}Profile: profile `default` \
             not found in {h}/.aws/credentials (missing) or {h}/.aws/config (missing); \
             ECS: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI \
             unset; IMDS: AWS_EC2_METADATA_DISABLED is `true`"
        )
    );

    // No home directory at all.
    let err = load(&default_chain(&no_imds(&[]))).await.unwrap_err();
    assert!(
        err.to_string().contains(
            "~/.aws/credentials (home directory unknown and AWS_SHARED_CREDENTIALS_FILE unset)"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn half_set_environment_stops_the_chain() {
    let home = Home::new().credentials(CREDS_DEFAULT);
    let err = load(&default_chain(
        &home.env(&[("AWS_ACCESS_KEY_ID", "AKID_ENV")]),
    ))
    .await
    .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(
        err.to_string(),
        "no credentials: Environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is unset or empty"
    );
}

#[tokio::test]
async fn default_provider_is_cached_and_shareable() {
    let home = Home::new().credentials(CREDS_DEFAULT);
    let provider: SharedCredentialsProvider = default_provider(&home.env(&[]));
    let first = provider.provide_credentials().await.unwrap();
    // The file changes, but static profile keys have no expiry: still cached.
    home.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = CHANGED\naws_secret_access_key = x\n",
    );
    let clone = provider.clone();
    assert_eq!(clone.provide_credentials().await.unwrap(), first);
}

#[tokio::test]
async fn nothing_secret_in_debug_output() {
    let home = Home::new().credentials(CREDS_DEFAULT);
    let env = home.env(&[("AWS_SECRET_ACCESS_KEY", "SECRET_IN_ENV")]);
    let provider = default_provider(&env);
    let creds = load(&ProfileCredentialsProvider::new(env.clone()))
        .await
        .unwrap();
    for text in [
        format!("{provider:?}"),
        format!("{env:?}"),
        format!("{creds:?}"),
        format!("{creds}"),
    ] {
        for secret in ["SECRET_IN_ENV", "SECRET_DEFAULT"] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
}

// ---- cache ----

/// The fake clock: the runtime's shared manual time source, advanced in
/// whole seconds.
#[derive(Debug, Clone)]
struct FakeClock(ManualTimeSource);

impl FakeClock {
    fn at(secs: u64) -> Self {
        FakeClock(ManualTimeSource::new(
            UNIX_EPOCH + Duration::from_secs(secs),
        ))
    }
    fn advance(&self, secs: u64) {
        self.0.advance(Duration::from_secs(secs));
    }
    fn now(&self) -> SystemTime {
        self.0.now()
    }
}

/// Issues "KEY<n>" valid for one hour from the fake clock's current time.
/// Each call waits for a permit on `gate` (when given) so a test can hold a
/// refresh open while other callers pile up.
#[derive(Debug)]
struct HourlyProvider {
    clock: FakeClock,
    calls: Arc<AtomicUsize>,
    gate: Option<Arc<tokio::sync::Semaphore>>,
    started: Arc<tokio::sync::Notify>,
}

impl HourlyProvider {
    fn new(clock: &FakeClock, gated: bool) -> Self {
        HourlyProvider {
            clock: clock.clone(),
            calls: Arc::new(AtomicUsize::new(0)),
            gate: gated.then(|| Arc::new(tokio::sync::Semaphore::new(0))),
            started: Arc::new(tokio::sync::Notify::new()),
        }
    }
}

impl ProvideCredentials for HourlyProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            self.started.notify_one();
            if let Some(gate) = &self.gate {
                let permit = gate
                    .acquire()
                    .await
                    .map_err(|_| CredentialsError::provider_error("gate closed"))?;
                permit.forget();
            }
            let expiry = self.clock.now() + Duration::from_secs(3_600);
            Ok(Credentials::new(
                format!("KEY{n}"),
                "SECRET",
                Some("TOKEN".to_owned()),
                Some(expiry),
                "Hourly",
            ))
        })
    }
}

#[tokio::test]
async fn cache_refreshes_before_expiry_with_configurable_buffer() {
    let clock = FakeClock::at(1_000_000);
    let inner = HourlyProvider::new(&clock, false);
    let calls = inner.calls.clone();
    let cache = CachedCredentialsProvider::new(inner)
        .with_time_source(clock.0.clone())
        .with_refresh_buffer(Duration::from_secs(10 * 60));

    let key = |c: Credentials| c.access_key_id().to_owned();
    assert_eq!(key(load(&cache).await.unwrap()), "KEY1");
    // 49 minutes 59 seconds later: 10m01s left, outside the 10-minute buffer.
    clock.advance(49 * 60 + 59);
    assert_eq!(key(load(&cache).await.unwrap()), "KEY1");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // One more second: inside the buffer, so refreshed before expiry.
    clock.advance(1);
    assert_eq!(key(load(&cache).await.unwrap()), "KEY2");
    assert_eq!(key(load(&cache).await.unwrap()), "KEY2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn cache_default_buffer_is_five_minutes() {
    let clock = FakeClock::at(0);
    let inner = HourlyProvider::new(&clock, false);
    let calls = inner.calls.clone();
    let cache = CachedCredentialsProvider::new(inner).with_time_source(clock.0.clone());
    load(&cache).await.unwrap();
    clock.advance(54 * 60 + 59);
    load(&cache).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    clock.advance(1);
    load(&cache).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// Starts `n` concurrent callers, waits until the inner provider has been
/// entered and every caller is waiting, then releases the refresh.
/// Asserts that the inner provider was called exactly `expected_calls` times
/// by then, while all callers overlap the refresh.
async fn concurrent_round(
    cache: &Arc<CachedCredentialsProvider>,
    inner: &Probe,
    n: usize,
    expected_calls: usize,
) -> Vec<Credentials> {
    let entered = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let cache = cache.clone();
        let entered = entered.clone();
        tasks.spawn(async move {
            entered.fetch_add(1, Ordering::SeqCst);
            cache.provide_credentials().await
        });
    }
    inner.started.notified().await;
    // Let every task reach the cache. Bounded, and no timers involved.
    for _ in 0..10_000 {
        if entered.load(Ordering::SeqCst) == n {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(
        entered.load(Ordering::SeqCst),
        n,
        "callers did not all start"
    );
    // Checked before releasing: a cache without single flight would have
    // called the provider once per caller by now.
    assert_eq!(inner.calls.load(Ordering::SeqCst), expected_calls);
    // Enough permits that even a broken cache could not hang the test.
    inner.gate.add_permits(n);
    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        results.push(joined.expect("task").expect("credentials"));
    }
    inner.gate.forget_permits(n);
    results
}

/// Handles a test keeps on a gated [`HourlyProvider`].
struct Probe {
    calls: Arc<AtomicUsize>,
    gate: Arc<tokio::sync::Semaphore>,
    started: Arc<tokio::sync::Notify>,
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() {
    let clock = FakeClock::at(5_000);
    let inner = HourlyProvider::new(&clock, true);
    let probe = Probe {
        calls: inner.calls.clone(),
        gate: inner.gate.clone().expect("gated"),
        started: inner.started.clone(),
    };
    let cache = Arc::new(CachedCredentialsProvider::new(inner).with_time_source(clock.0.clone()));

    let first = concurrent_round(&cache, &probe, 16, 1).await;
    assert_eq!(first.len(), 16);
    assert!(first.iter().all(|c| c.access_key_id() == "KEY1"));
    assert_eq!(probe.calls.load(Ordering::SeqCst), 1);

    // Into the refresh window: again exactly one refresh for all callers.
    clock.advance(56 * 60);
    let second = concurrent_round(&cache, &probe, 16, 2).await;
    assert!(second.iter().all(|c| c.access_key_id() == "KEY2"));
    assert_eq!(probe.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn user_providers_are_object_safe_and_send() {
    fn assert_send<T: Send>(_: &T) {}
    let provider: Arc<dyn ProvideCredentials> = Arc::new(Credentials::from_keys("A", "B"));
    let future = provider.provide_credentials();
    assert_send(&future);
    assert_eq!(future.await.unwrap().access_key_id(), "A");
}
