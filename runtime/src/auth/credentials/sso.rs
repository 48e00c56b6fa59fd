//! Credentials for a role through IAM Identity Center (SSO): the access
//! token `aws sso login` cached, refreshed through SSO-OIDC when it is about
//! to expire, traded for the role's credentials with SSO `GetRoleCredentials`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use super::clients::{sso, sso_oidc};
use super::services::{call_failed, client_config, from_epoch_millis};
use super::{Credentials, CredentialsError};
use crate::config::environment::Environment;
use crate::config::region::Region;
use crate::primitives::{DateTime, DateTimeFormat};

const PROVIDER_NAME: &str = "SSO";

/// A cached token this close to its expiry is refreshed first.
const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Where an SSO profile's session is and which role it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SsoSettings {
    /// The profile, for errors and the `aws sso login` hint.
    pub(super) profile: String,
    /// The `[sso-session NAME]` section, or `None` for a legacy profile
    /// (`sso_start_url` and `sso_region` in the profile itself).
    pub(super) session_name: Option<String>,
    pub(super) start_url: String,
    pub(super) region: String,
    pub(super) account_id: String,
    pub(super) role_name: String,
}

impl SsoSettings {
    /// The command that signs in again.
    fn login_hint(&self) -> String {
        match &self.session_name {
            Some(session) => format!("run `aws sso login --sso-session {session}`"),
            None => format!("run `aws sso login --profile {}`", self.profile),
        }
    }

    /// What the token cache file is named after: the session name, else
    /// the start URL.
    fn cache_key(&self) -> &str {
        self.session_name.as_deref().unwrap_or(&self.start_url)
    }

    /// `~/.aws/sso/cache/<SHA-1 of the cache key, hex>.json`.
    fn cache_file(&self, env: &Environment) -> Result<PathBuf, CredentialsError> {
        let home = env.home_dir().ok_or_else(|| {
            CredentialsError::invalid_configuration(format!(
                "profile `{}` uses SSO, but the home directory (where ~/.aws/sso/cache is) is unknown",
                self.profile
            ))
        })?;
        Ok(home
            .join(".aws/sso/cache")
            .join(format!("{}.json", sha1_hex(self.cache_key()))))
    }

    /// Loads the role's credentials: the cached token (refreshed when near
    /// expiry), then `GetRoleCredentials`.
    pub(super) async fn load(&self, env: &Environment) -> Result<Credentials, CredentialsError> {
        let path = self.cache_file(env)?;
        let token = self.access_token(env, &path, SystemTime::now()).await?;
        let client = sso::Client::new(&client_config(env, Region::new(self.region.clone()), None));
        let what = format!(
            "SSO GetRoleCredentials for role `{}` in account {} (profile `{}`)",
            self.role_name, self.account_id, self.profile
        );
        let output = client
            .get_role_credentials()
            .role_name(self.role_name.as_str())
            .account_id(self.account_id.as_str())
            .access_token(token)
            .send()
            .await
            .map_err(|e| call_failed(&what, e))?;
        let credentials = output.role_credentials.ok_or_else(|| {
            CredentialsError::provider_error(format!("{what} answered without credentials"))
        })?;
        let field = |value: Option<String>, name: &str| {
            value.filter(|v| !v.is_empty()).ok_or_else(|| {
                CredentialsError::provider_error(format!("{what} answered without `{name}`"))
            })
        };
        let expiry = from_epoch_millis(credentials.expiration).ok_or_else(|| {
            CredentialsError::provider_error(format!("{what} answered with an unusable expiry"))
        })?;
        Ok(Credentials::new(
            field(credentials.access_key_id, "accessKeyId")?,
            field(credentials.secret_access_key, "secretAccessKey")?,
            Some(field(credentials.session_token, "sessionToken")?),
            Some(expiry),
            PROVIDER_NAME,
        ))
    }

    /// The cached access token, refreshed first when it expires within
    /// [`REFRESH_WINDOW`] and the cache holds what a refresh needs.
    async fn access_token(
        &self,
        env: &Environment,
        path: &Path,
        now: SystemTime,
    ) -> Result<String, CredentialsError> {
        let mut cached = CachedToken::read(path).map_err(|why| {
            CredentialsError::provider_error(format!(
                "profile `{}` uses SSO, but its cached token {}: {why}; {}",
                self.profile,
                path.display(),
                self.login_hint()
            ))
        })?;
        let fresh = cached.expires_at > now + REFRESH_WINDOW;
        if fresh {
            return Ok(cached.access_token);
        }
        let expired = cached.expires_at <= now;
        let refreshed = match (&self.session_name, cached.refresh_request()) {
            (Some(_), Some(request)) => Some(self.refresh(env, request, now).await),
            _ => None,
        };
        match refreshed {
            Some(Ok(update)) => {
                cached.apply(update);
                if let Err(error) = cached.write(path) {
                    tracing::warn!(path = %path.display(), %error, "cannot write the refreshed SSO token back");
                }
                Ok(cached.access_token)
            }
            Some(Err(error)) if expired => Err(CredentialsError::provider_error(format!(
                "the SSO token of profile `{}` expired at {} and could not be refreshed ({error}); {}",
                self.profile,
                format_time(cached.expires_at),
                self.login_hint()
            ))),
            Some(Err(error)) => {
                tracing::warn!(%error, "SSO token refresh failed; using the cached token until it expires");
                Ok(cached.access_token)
            }
            None if expired => Err(CredentialsError::provider_error(format!(
                "the SSO token of profile `{}` expired at {} and cannot be refreshed \
                 (the cache has no refresh token); {}",
                self.profile,
                format_time(cached.expires_at),
                self.login_hint()
            ))),
            None => Ok(cached.access_token),
        }
    }

    /// Asks SSO-OIDC `CreateToken` for a new access token.
    async fn refresh(
        &self,
        env: &Environment,
        request: RefreshRequest,
        now: SystemTime,
    ) -> Result<TokenUpdate, CredentialsError> {
        let client =
            sso_oidc::Client::new(&client_config(env, Region::new(self.region.clone()), None));
        let what = format!(
            "SSO-OIDC CreateToken (refresh) for profile `{}`",
            self.profile
        );
        let output = client
            .create_token()
            .client_id(request.client_id)
            .client_secret(request.client_secret)
            .grant_type("refresh_token")
            .refresh_token(request.refresh_token)
            .send()
            .await
            .map_err(|e| call_failed(&what, e))?;
        let access_token = output
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                CredentialsError::provider_error(format!("{what} answered without `accessToken`"))
            })?;
        let lifetime = u64::try_from(output.expires_in).unwrap_or(0);
        Ok(TokenUpdate {
            access_token,
            expires_at: now + Duration::from_secs(lifetime),
            refresh_token: output.refresh_token.filter(|t| !t.is_empty()),
        })
    }
}

/// A token cache file as `aws sso login` writes it; the fields this
/// provider does not use are kept, so writing it back loses nothing.
#[derive(Debug)]
struct CachedToken {
    fields: Map<String, Value>,
    access_token: String,
    expires_at: SystemTime,
}

/// What `CreateToken` needs, from the cache.
struct RefreshRequest {
    client_id: String,
    client_secret: String,
    refresh_token: String,
}

/// What a refresh changes in the cache.
struct TokenUpdate {
    access_token: String,
    expires_at: SystemTime,
    refresh_token: Option<String>,
}

impl CachedToken {
    /// Reads and checks the file; the error says what is wrong, never a value.
    fn read(path: &Path) -> Result<CachedToken, String> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "is missing".to_owned(),
            _ => format!("cannot be read ({e})"),
        })?;
        let fields = match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(fields)) => fields,
            Ok(_) => return Err("is JSON but not an object".to_owned()),
            Err(e) => return Err(format!("is not valid JSON ({e})")),
        };
        let text = |key: &str| {
            fields
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
        };
        let access_token = text("accessToken")
            .ok_or("has no `accessToken`")?
            .to_owned();
        let expires_at = text("expiresAt").ok_or("has no `expiresAt`")?;
        let expires_at = DateTime::parse(DateTimeFormat::DateTime, expires_at)
            .ok()
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or_else(|| {
                format!("has an `expiresAt` that is not an RFC 3339 time (`{expires_at}`)")
            })?;
        Ok(CachedToken {
            fields,
            access_token,
            expires_at,
        })
    }

    /// The refresh token and client registration, when the cache has all
    /// three.
    fn refresh_request(&self) -> Option<RefreshRequest> {
        let text = |key: &str| {
            self.fields
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Some(RefreshRequest {
            client_id: text("clientId")?,
            client_secret: text("clientSecret")?,
            refresh_token: text("refreshToken")?,
        })
    }

    fn apply(&mut self, update: TokenUpdate) {
        self.fields.insert(
            "accessToken".to_owned(),
            Value::String(update.access_token.clone()),
        );
        self.fields.insert(
            "expiresAt".to_owned(),
            Value::String(format_time(update.expires_at)),
        );
        if let Some(refresh_token) = update.refresh_token {
            self.fields
                .insert("refreshToken".to_owned(), Value::String(refresh_token));
        }
        self.access_token = update.access_token;
        self.expires_at = update.expires_at;
    }

    /// Writes the cache back through a temporary file and a rename.
    fn write(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(&Value::Object(self.fields.clone()))
            .map_err(std::io::Error::other)?;
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, path)
    }
}

/// `2024-05-01T12:00:00Z` (whole seconds).
fn format_time(time: SystemTime) -> String {
    let whole = DateTime::from_secs(DateTime::from(time).secs());
    whole
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_else(|_| format!("{time:?}"))
}

/// The SHA-1 of `text` in lower-case hex, which names the token cache file.
fn sha1_hex(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, text.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_file_is_named_by_the_sha1_of_the_session_or_start_url() {
        assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        let mut settings = SsoSettings {
            profile: "dev".to_owned(),
            session_name: Some("my-sso".to_owned()),
            start_url: "https://d-123.awsapps.com/start".to_owned(),
            region: "us-east-1".to_owned(),
            account_id: "123456789012".to_owned(),
            role_name: "Admin".to_owned(),
        };
        let env = Environment::empty().with_home("/home/u");
        let file = settings.cache_file(&env).unwrap();
        assert_eq!(
            file,
            Path::new("/home/u/.aws/sso/cache").join(format!("{}.json", sha1_hex("my-sso")))
        );
        assert_eq!(
            settings.login_hint(),
            "run `aws sso login --sso-session my-sso`"
        );
        settings.session_name = None;
        let file = settings.cache_file(&env).unwrap();
        assert!(file.ends_with(format!(
            "{}.json",
            sha1_hex("https://d-123.awsapps.com/start")
        )));
        assert_eq!(settings.login_hint(), "run `aws sso login --profile dev`");
    }

    #[test]
    fn a_cache_file_is_checked_without_quoting_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        std::fs::write(&path, r#"{"accessToken":"SECRET","expiresAt":"tomorrow"}"#).unwrap();
        let err = CachedToken::read(&path).unwrap_err();
        assert_eq!(
            err,
            "has an `expiresAt` that is not an RFC 3339 time (`tomorrow`)"
        );
        std::fs::write(&path, r#"{"expiresAt":"2030-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(
            CachedToken::read(&path).unwrap_err(),
            "has no `accessToken`"
        );
        assert_eq!(
            CachedToken::read(&dir.path().join("none.json")).unwrap_err(),
            "is missing"
        );
    }

    #[test]
    fn a_refresh_updates_the_token_and_keeps_other_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        std::fs::write(
            &path,
            r#"{"accessToken":"old","expiresAt":"2024-05-01T12:00:00Z","refreshToken":"r1",
                "clientId":"c","clientSecret":"s","region":"us-east-1","startUrl":"https://x"}"#,
        )
        .unwrap();
        let mut cached = CachedToken::read(&path).unwrap();
        assert!(cached.refresh_request().is_some());
        let expires_at = SystemTime::try_from(DateTime::from_secs(1_714_568_400)).unwrap();
        cached.apply(TokenUpdate {
            access_token: "new".to_owned(),
            expires_at,
            refresh_token: None,
        });
        cached.write(&path).unwrap();
        let again = CachedToken::read(&path).unwrap();
        assert_eq!(again.access_token, "new");
        assert_eq!(again.fields["expiresAt"], "2024-05-01T13:00:00Z");
        assert_eq!(again.fields["refreshToken"], "r1");
        assert_eq!(again.fields["startUrl"], "https://x");
        assert!(!dir.path().join("t.json.tmp").exists());
    }
}
