//! Credentials from the shared `credentials` and `config` files.

use super::process::CredentialProcessProvider;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::environment::Environment;
use crate::config::profile::{Profile, ProfileSet};

const ACCESS_KEY_ID: &str = "aws_access_key_id";
const SECRET_ACCESS_KEY: &str = "aws_secret_access_key";
const SESSION_TOKEN: &str = "aws_session_token";
const CREDENTIAL_PROCESS: &str = "credential_process";

/// Keys that mean a profile gets its credentials from an AWS service (STS,
/// SSO), in the order the SDKs look for them, before `credential_process`
/// and static keys. Without the `sts-sso-credentials` feature none of them
/// is supported; with it, all but `login_session`.
const SERVICE_SOURCES: &[&str] = &[
    "role_arn",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "login_session",
];

/// Loads credentials from the active profile of the shared files; see
/// [`crate::config::profile`] for how the files and the profile are found.
///
/// A profile gives its credentials in one of these ways, taken in the order
/// of the AWS SDK for Rust's and for Java's profile providers (the first
/// one present wins):
///
/// 1. Through AWS services, with the `sts-sso-credentials` feature (on by
///    default in generated crates):
///    * `role_arn` with `web_identity_token_file` (and `role_session_name`):
///      STS `AssumeRoleWithWebIdentity` with the token in that file;
///    * `role_arn` with `source_profile` (followed to a profile with
///      credentials of its own, through any number of roles; a loop is an
///      error naming it) or `credential_source` (`Environment`,
///      `Ec2InstanceMetadata` or `EcsContainer`): STS `AssumeRole`, with
///      `external_id`, `role_session_name` and `duration_seconds`.
///      `mfa_serial` is refused. The active profile assumes its role even
///      when it has static keys; a source profile's static keys win over its
///      own `role_arn`, as in the SDKs;
///    * `sso_session` (with its `[sso-session]` section) or the legacy
///      `sso_start_url` and `sso_region`, with `sso_account_id` and
///      `sso_role_name`: the token `aws sso login` cached in
///      `~/.aws/sso/cache`, refreshed through SSO-OIDC when it expires
///      within five minutes (and written back), traded for the role's
///      credentials with SSO `GetRoleCredentials`.
///
///    `login_session`, and all of these without the feature, fail with
///    `InvalidConfiguration` and the chain stops, rather than moving on to
///    a container or instance role that is not the identity the profile
///    asks for.
/// 2. `credential_process`: the command is run (see
///    [`CredentialProcessProvider`]), even when the profile also has static
///    keys. (The AWS CLI, through botocore, prefers static keys that are in
///    the `credentials` file; the Rust and Java SDKs take the command first,
///    and so does this provider.)
/// 3. Static keys: `aws_access_key_id`, `aws_secret_access_key` and the
///    optional `aws_session_token`.
///
/// Errors:
///
/// * Profile absent, or present with none of the above: `NotLoaded`,
///   naming the profile and the files looked in.
/// * A file that is malformed or unreadable: `InvalidConfiguration` or
///   `ProviderError`, naming the file (and line).
/// * `aws_access_key_id` without `aws_secret_access_key`: `InvalidConfiguration`.
/// * A `credential_process` that fails: `ProviderError`, naming the profile.
///
/// The files are read (and a command run) on every call: put this behind a
/// [`CachedCredentialsProvider`](super::CachedCredentialsProvider) (as
/// [`default_provider`](super::default_provider) does).
#[derive(Debug, Clone)]
pub struct ProfileCredentialsProvider {
    env: Environment,
    profile: Option<String>,
}

/// How a profile gives its credentials.
#[derive(Debug)]
pub(super) enum Source {
    /// Run this command.
    Process(CredentialProcessProvider),
    /// Static keys.
    Keys(Credentials),
    /// Through AWS services: roles, web identity, SSO.
    #[cfg(feature = "sts-sso-credentials")]
    Chain(Box<super::profile_chain::ProfileChain>),
}

impl ProfileCredentialsProvider {
    /// Reads the files and profile named by `env`.
    pub fn new(env: Environment) -> Self {
        ProfileCredentialsProvider { env, profile: None }
    }

    /// Uses profile `name` instead of `AWS_PROFILE` / `default`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Reads the files and decides how the active profile gives its
    /// credentials.
    fn source(&self) -> Result<Source, CredentialsError> {
        let set =
            ProfileSet::load_with_profile(&self.env, self.profile.as_deref()).map_err(|e| {
                let message = e.to_string();
                let error = if e.line().is_some() {
                    CredentialsError::invalid_configuration(message)
                } else {
                    CredentialsError::provider_error(message)
                };
                error.with_source(e)
            })?;
        let name = set.selected_name();
        let Some(profile) = set.selected() else {
            return Err(CredentialsError::not_loaded(format!(
                "profile `{name}` not found in {}",
                set.describe_locations()
            )));
        };
        source_of(profile, &set)
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        match self.source()? {
            Source::Process(process) => process.provide_credentials().await,
            Source::Keys(credentials) => Ok(credentials),
            #[cfg(feature = "sts-sso-credentials")]
            Source::Chain(chain) => chain.load(&self.env).await,
        }
    }
}

fn source_of(profile: &Profile, set: &ProfileSet) -> Result<Source, CredentialsError> {
    let name = profile.name();
    #[cfg(feature = "sts-sso-credentials")]
    if super::profile_chain::needs_services(profile) {
        return super::profile_chain::resolve(set, name)
            .map(|chain| Source::Chain(Box::new(chain)));
    }
    if let Some(key) = SERVICE_SOURCES.iter().find(|k| profile.get(k).is_some()) {
        let why = if cfg!(feature = "sts-sso-credentials") {
            match *key {
                "web_identity_token_file" => "which needs `role_arn` too".to_owned(),
                _ => "which is not supported".to_owned(),
            }
        } else {
            "which needs the runtime's `sts-sso-credentials` feature (on by default in generated crates)"
                .to_owned()
        };
        return Err(CredentialsError::invalid_configuration(format!(
            "profile `{name}` gets credentials through `{key}`, {why}"
        )));
    }
    base_source(profile, set)
}

/// The credentials a profile holds itself: `credential_process`, else
/// static keys.
pub(super) fn base_source(profile: &Profile, set: &ProfileSet) -> Result<Source, CredentialsError> {
    let name = profile.name();
    if let Some(property) = profile.property(CREDENTIAL_PROCESS) {
        let origin = format!(
            "`{CREDENTIAL_PROCESS}` of profile `{name}` ({} line {})",
            property.file(),
            property.line()
        );
        return Ok(Source::Process(
            CredentialProcessProvider::new(property.value().trim()).with_origin(origin),
        ));
    }
    match static_keys(profile)? {
        Some(credentials) => Ok(Source::Keys(credentials)),
        None => Err(CredentialsError::not_loaded(format!(
            "profile `{name}` has no {ACCESS_KEY_ID} or {CREDENTIAL_PROCESS} in {}",
            set.describe_locations()
        ))),
    }
}

/// The profile's static keys, if it has `aws_access_key_id`; an error if it
/// has the key id without the secret.
pub(super) fn static_keys(profile: &Profile) -> Result<Option<Credentials>, CredentialsError> {
    let value = |key| profile.get(key).map(str::trim).filter(|v| !v.is_empty());
    let Some(access_key_id) = value(ACCESS_KEY_ID) else {
        return Ok(None);
    };
    let Some(secret) = value(SECRET_ACCESS_KEY) else {
        let at = profile
            .property(ACCESS_KEY_ID)
            .map(|p| format!(" ({} line {})", p.file(), p.line()))
            .unwrap_or_default();
        return Err(CredentialsError::invalid_configuration(format!(
            "profile `{}` sets {ACCESS_KEY_ID}{at} but not {SECRET_ACCESS_KEY}",
            profile.name()
        )));
    };
    Ok(Some(Credentials::new(
        access_key_id,
        secret,
        value(SESSION_TOKEN).map(str::to_owned),
        None,
        "Profile",
    )))
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::CredentialsErrorKind;

    fn source(config: Option<&str>, credentials: Option<&str>) -> Result<Source, CredentialsError> {
        let set = ProfileSet::from_contents("default", config, credentials).unwrap();
        match set.selected() {
            Some(profile) => source_of(profile, &set),
            None => Err(CredentialsError::not_loaded("absent")),
        }
    }

    fn from(
        config: Option<&str>,
        credentials: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        match source(config, credentials)? {
            Source::Keys(credentials) => Ok(credentials),
            other => panic!("expected keys, got {other:?}"),
        }
    }

    #[test]
    fn keys_and_token() {
        let creds = from(
            None,
            Some("[default]\naws_access_key_id = AKID\naws_secret_access_key = S\naws_session_token = T\n"),
        )
        .unwrap();
        assert_eq!(
            (
                creds.access_key_id(),
                creds.secret_access_key(),
                creds.session_token()
            ),
            ("AKID", "S", Some("T"))
        );
        assert_eq!(creds.provider_name(), "Profile");
    }

    #[test]
    fn missing_secret_names_file_and_line() {
        let err = from(None, Some("[default]\n\naws_access_key_id = AKID\n")).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            err.to_string(),
            "profile `default` sets aws_access_key_id (credentials file line 3) but not aws_secret_access_key"
        );
    }

    #[test]
    fn credential_process_wins_over_static_keys() {
        let found = source(
            Some("[default]\ncredential_process = /bin/creds --json\n"),
            Some("[default]\naws_access_key_id = AKID\naws_secret_access_key = S\n"),
        )
        .unwrap();
        let Source::Process(process) = found else {
            panic!("expected the command, got {found:?}");
        };
        let debug = format!("{process:?}");
        assert!(
            debug.contains("`credential_process` of profile `default` (config file line 2)"),
            "{debug}"
        );
    }

    #[cfg(not(feature = "sts-sso-credentials"))]
    #[test]
    fn sources_needing_sts_or_sso_stop_the_chain_even_with_keys() {
        for key in SERVICE_SOURCES {
            let config = format!(
                "[default]\n{key} = x\ncredential_process = /bin/creds\n\
                 aws_access_key_id = A\naws_secret_access_key = S\n"
            );
            let err = source(Some(&config), None).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
            assert!(
                err.to_string().starts_with(&format!(
                    "profile `default` gets credentials through `{key}`, which needs the runtime's \
                     `sts-sso-credentials` feature"
                )),
                "{err}"
            );
        }
    }

    #[cfg(feature = "sts-sso-credentials")]
    #[test]
    fn login_session_and_a_token_file_without_a_role_stop_the_chain() {
        for (key, why) in [
            ("login_session", "which is not supported"),
            ("web_identity_token_file", "which needs `role_arn` too"),
        ] {
            let config =
                format!("[default]\n{key} = x\naws_access_key_id = A\naws_secret_access_key = S\n");
            let err = source(Some(&config), None).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
            assert_eq!(
                err.to_string(),
                format!("profile `default` gets credentials through `{key}`, {why}")
            );
        }
    }

    #[test]
    fn profile_without_keys_is_not_loaded() {
        let err = from(Some("[default]\nregion = us-east-1\n"), None).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert!(
            err.to_string().starts_with(
                "profile `default` has no aws_access_key_id or credential_process in "
            ),
            "{err}"
        );
    }
}
