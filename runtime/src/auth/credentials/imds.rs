//! Credentials of an EC2 instance's role, from the instance metadata service
//! (IMDSv2).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::HeaderValue;
use http::{Method, Response, StatusCode, Uri};

use super::json::CredentialsDocument;
use super::metadata_client::{MetadataClient, MetadataRequest};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::behavior::sleep::{SharedTimeSource, SystemTimeSource, TimeSource};
use crate::config::environment::Environment;
use crate::config::settings::SettingsSource;
use crate::http::HttpClient;

const DISABLED: &str = "AWS_EC2_METADATA_DISABLED";
const ENDPOINT_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const ENDPOINT_KEY: &str = "ec2_metadata_service_endpoint";
const MODE_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
const MODE_KEY: &str = "ec2_metadata_service_endpoint_mode";

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";

const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";

/// The session token lifetime asked for: six hours, the most IMDS allows.
const TOKEN_TTL: Duration = Duration::from_secs(6 * 60 * 60);
/// A session token is replaced this long before IMDS would stop taking it.
const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(2 * 60);

const PROVIDER_NAME: &str = "IMDS";

/// Loads the credentials of the role attached to the EC2 instance, from the
/// instance metadata service, IMDSv2 only (no fallback to IMDSv1):
///
/// 1. `PUT /latest/api/token` with `x-aws-ec2-metadata-token-ttl-seconds`
///    gets a session token, kept until two minutes before its lifetime (six
///    hours) ends and sent as `x-aws-ec2-metadata-token` on the other
///    requests;
/// 2. `GET /latest/meta-data/iam/security-credentials/` names the role;
/// 3. `GET /latest/meta-data/iam/security-credentials/<role>` returns its
///    credentials (`Code`, `AccessKeyId`, `SecretAccessKey`, `Token`,
///    `Expiration`).
///
/// A `401` to either `GET` (the token expired early) gets a new token and
/// one more try.
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else the active
/// profile's `ec2_metadata_service_endpoint`, else chosen by
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (or the profile's
/// `ec2_metadata_service_endpoint_mode`): `IPv4` (the default) is
/// `http://169.254.169.254`, `IPv6` is `http://[fd00:ec2::254]`.
/// `AWS_EC2_METADATA_DISABLED=true` turns the provider off (`NotLoaded`).
///
/// Off EC2 the provider must not hold a chain up: each request has a 1 s
/// connect timeout and 2 s in all, and three attempts; when the token
/// request gets no answer (or a refusal, as from an instance with the
/// metadata service turned off) the result is `NotLoaded`, as it is for an
/// instance without a role. Other failures are `ProviderError`.
///
/// Put this behind a [`CachedCredentialsProvider`](super::CachedCredentialsProvider),
/// which refreshes the credentials before their expiry.
pub struct ImdsCredentialsProvider {
    env: Environment,
    client: MetadataClient,
    time: SharedTimeSource,
    token: Mutex<Option<SessionToken>>,
}

/// A session token and where and until when it can be used.
#[derive(Clone)]
struct SessionToken {
    endpoint: String,
    value: HeaderValue,
    refresh_at: SystemTime,
}

impl ImdsCredentialsProvider {
    /// The default connect timeout.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
    /// The default time allowed for the response once connected.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(1);

    /// Reads its settings from `env` (and the shared files it names) on
    /// every call.
    pub fn new(env: Environment) -> Self {
        ImdsCredentialsProvider {
            env,
            client: MetadataClient::new(Self::DEFAULT_CONNECT_TIMEOUT, Self::DEFAULT_READ_TIMEOUT),
            time: Arc::new(SystemTimeSource),
            token: Mutex::new(None),
        }
    }

    /// Changes the connect timeout and the time allowed for the response
    /// once connected.
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.client = self.client.with_timeouts(connect, read);
        self
    }

    /// Sends requests through `http` instead of a [`HyperClient`](crate::http::HyperClient)
    /// of its own.
    pub fn with_http_client(mut self, http: impl HttpClient + 'static) -> Self {
        self.client = self.client.with_http_client(http);
        self
    }

    /// Uses `time` to decide when the session token needs replacing.
    pub fn with_time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time = Arc::new(time);
        self
    }

    /// The endpoint, without a trailing `/`.
    fn endpoint(&self) -> Result<String, CredentialsError> {
        let settings = SettingsSource::load(&self.env);
        if let Some(found) = settings.lookup(ENDPOINT_VAR, ENDPOINT_KEY) {
            let endpoint = found.value.trim_end_matches('/');
            let valid = endpoint.parse::<Uri>().is_ok_and(|uri| {
                matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some()
            });
            if !valid {
                return Err(CredentialsError::invalid_configuration(format!(
                    "invalid {}: `{}` is not an http or https URL",
                    found.source, found.value
                )));
            }
            return Ok(endpoint.to_owned());
        }
        match settings.lookup(MODE_VAR, MODE_KEY) {
            None => Ok(IPV4_ENDPOINT.to_owned()),
            Some(found) if found.value.eq_ignore_ascii_case("IPv4") => Ok(IPV4_ENDPOINT.to_owned()),
            Some(found) if found.value.eq_ignore_ascii_case("IPv6") => Ok(IPV6_ENDPOINT.to_owned()),
            Some(found) => Err(CredentialsError::invalid_configuration(format!(
                "invalid {}: `{}` is not `IPv4` or `IPv6`",
                found.source, found.value
            ))),
        }
    }

    fn request(
        endpoint: &str,
        method: Method,
        path: &str,
    ) -> Result<MetadataRequest, CredentialsError> {
        let uri = format!("{endpoint}{path}").parse::<Uri>().map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "the instance metadata URL `{endpoint}{path}` is not valid: {e}"
            ))
        })?;
        Ok(MetadataRequest::new(method, uri))
    }

    /// A session token for `endpoint`: the cached one unless it is due for
    /// replacement or `renew` is set.
    async fn session_token(
        &self,
        endpoint: &str,
        renew: bool,
    ) -> Result<HeaderValue, CredentialsError> {
        let now = self.time.now();
        if !renew {
            let cached = self
                .token
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if let Some(token) = cached.filter(|t| t.endpoint == endpoint && now < t.refresh_at) {
                return Ok(token.value);
            }
        }
        let mut request = Self::request(endpoint, Method::PUT, TOKEN_PATH)?;
        request
            .headers
            .insert(TOKEN_TTL_HEADER, HeaderValue::from(TOKEN_TTL.as_secs()));
        let not_there = |why: String| {
            CredentialsError::not_loaded(format!(
                "no instance metadata service at {endpoint} ({why})"
            ))
        };
        let response = self
            .client
            .send(&request)
            .await
            .map_err(|e| not_there(e.to_string()))?;
        let status = response.status();
        if status != StatusCode::OK {
            return Err(not_there(format!(
                "a session token was refused with HTTP status {status}"
            )));
        }
        let value = std::str::from_utf8(response.body())
            .ok()
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .and_then(|token| HeaderValue::from_str(token).ok());
        let Some(mut value) = value else {
            return Err(CredentialsError::provider_error(format!(
                "the instance metadata service at {endpoint} sent an unusable session token"
            )));
        };
        value.set_sensitive(true);
        let ttl = response
            .headers()
            .get(TOKEN_TTL_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(TOKEN_TTL, Duration::from_secs);
        let refresh_at = now
            .checked_add(ttl.saturating_sub(TOKEN_REFRESH_MARGIN))
            .unwrap_or(now);
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) = Some(SessionToken {
            endpoint: endpoint.to_owned(),
            value: value.clone(),
            refresh_at,
        });
        Ok(value)
    }

    /// `GET path` with a session token; a `401` renews the token once.
    async fn get(&self, endpoint: &str, path: &str) -> Result<Response<Bytes>, CredentialsError> {
        let mut renew = false;
        loop {
            let mut request = Self::request(endpoint, Method::GET, path)?;
            let token = self.session_token(endpoint, renew).await?;
            request.headers.insert(TOKEN_HEADER, token);
            let response = self.client.send(&request).await.map_err(|e| {
                CredentialsError::provider_error(format!(
                    "no answer from the instance metadata service at {endpoint}{path}: {e}"
                ))
            })?;
            if response.status() == StatusCode::UNAUTHORIZED && !renew {
                tracing::debug!(path, "IMDS refused the session token; getting a new one");
                renew = true;
                continue;
            }
            return Ok(response);
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if self
            .env
            .non_empty_var(DISABLED)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Err(CredentialsError::not_loaded(format!(
                "{DISABLED} is `true`"
            )));
        }
        let endpoint = self.endpoint()?;
        let listing = self.get(&endpoint, ROLE_PATH).await?;
        let role = match listing.status() {
            StatusCode::OK => std::str::from_utf8(listing.body())
                .ok()
                .and_then(|text| text.lines().map(str::trim).find(|line| !line.is_empty()))
                .map(str::to_owned),
            StatusCode::NOT_FOUND => None,
            status => return Err(self.bad_status(&endpoint, ROLE_PATH, status)),
        };
        let Some(role) = role else {
            return Err(CredentialsError::not_loaded(format!(
                "the EC2 instance (metadata service at {endpoint}) has no IAM role"
            )));
        };
        let path = format!("{ROLE_PATH}{role}");
        let response = self.get(&endpoint, &path).await?;
        if response.status() != StatusCode::OK {
            return Err(self.bad_status(&endpoint, &path, response.status()));
        }
        let unusable = |why: String| {
            CredentialsError::provider_error(format!(
                "the instance metadata service at {endpoint}{path} sent unusable credentials: {why}"
            ))
        };
        let document = CredentialsDocument::parse(response.body()).map_err(unusable)?;
        match document.optional_str("Code").map_err(unusable)? {
            None | Some("Success") => {}
            Some(code) => return Err(unusable(format!("`Code` is `{code}`, not `Success`"))),
        }
        document
            .credentials("Token", PROVIDER_NAME)
            .map_err(unusable)
    }

    fn bad_status(&self, endpoint: &str, path: &str, status: StatusCode) -> CredentialsError {
        CredentialsError::provider_error(format!(
            "the instance metadata service at {endpoint}{path} answered HTTP status {status}"
        ))
    }
}

impl fmt::Debug for ImdsCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let has_token = self
            .token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        f.debug_struct("ImdsCredentialsProvider")
            .field("env", &self.env)
            .field("client", &self.client)
            .field("time", &self.time)
            .field("has_session_token", &has_token)
            .finish()
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::CredentialsErrorKind;

    fn endpoint(vars: &[(&str, &str)], config: Option<&str>) -> Result<String, CredentialsError> {
        let dir = tempfile::tempdir().unwrap();
        let mut env = Environment::from_map(vars.iter().copied()).with_home(dir.path());
        if let Some(config) = config {
            let path = dir.path().join("config");
            std::fs::write(&path, config).unwrap();
            env = env.with_var("AWS_CONFIG_FILE", path.to_str().unwrap());
        }
        ImdsCredentialsProvider::new(env).endpoint()
    }

    #[test]
    fn endpoint_from_variable_profile_or_mode() {
        assert_eq!(endpoint(&[], None).unwrap(), "http://169.254.169.254");
        assert_eq!(
            endpoint(&[(MODE_VAR, "ipv6")], None).unwrap(),
            "http://[fd00:ec2::254]"
        );
        assert_eq!(
            endpoint(
                &[(ENDPOINT_VAR, "http://127.0.0.1:1234/"), (MODE_VAR, "IPv6")],
                None
            )
            .unwrap(),
            "http://127.0.0.1:1234"
        );
        let config = "[default]\nec2_metadata_service_endpoint_mode = IPv6\n";
        assert_eq!(
            endpoint(&[], Some(config)).unwrap(),
            "http://[fd00:ec2::254]"
        );
        assert_eq!(
            endpoint(&[(MODE_VAR, "IPv4")], Some(config)).unwrap(),
            "http://169.254.169.254",
            "the variable wins over the profile"
        );
        let config = "[default]\nec2_metadata_service_endpoint = http://[::1]:9/\n";
        assert_eq!(endpoint(&[], Some(config)).unwrap(), "http://[::1]:9");
    }

    #[test]
    fn bad_endpoint_settings_name_where_they_were_set() {
        let err = endpoint(&[(MODE_VAR, "IPv5")], None).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            err.to_string(),
            "invalid AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: `IPv5` is not `IPv4` or `IPv6`"
        );
        let config = "[default]\nec2_metadata_service_endpoint = 169.254.169.254\n";
        let err = endpoint(&[], Some(config)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid `ec2_metadata_service_endpoint` of profile `default` (config file line 2): \
             `169.254.169.254` is not an http or https URL"
        );
    }

    #[tokio::test]
    async fn disabled_is_not_loaded_without_any_request() {
        let provider = ImdsCredentialsProvider::new(Environment::from_map([
            (DISABLED, "TRUE"),
            (MODE_VAR, "bogus"),
        ]));
        let err = provider.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(err.to_string(), "AWS_EC2_METADATA_DISABLED is `true`");
    }
}
