//! Credentials from the container credentials endpoint of ECS tasks and EKS
//! Pod Identity.

use std::net::IpAddr;
use std::time::Duration;

use http::header::{HeaderValue, AUTHORIZATION};
use http::{Method, Uri};

use super::json::CredentialsDocument;
use super::metadata_client::{MetadataClient, MetadataRequest};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::environment::Environment;
use crate::http::HttpClient;

const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const AUTHORIZATION_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const AUTHORIZATION_TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// The host a relative URI is resolved against: the ECS agent.
const ECS_HOST: &str = "169.254.170.2";

/// The link-local addresses a plain-HTTP full URI may name besides loopback:
/// the ECS agent and EKS Pod Identity's agent (IPv4 and IPv6).
const CONTAINER_HOSTS: &[&str] = &["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];

const PROVIDER_NAME: &str = "ECS";

/// Loads credentials from the container credentials endpoint that ECS (and
/// EKS Pod Identity) runs for a task or pod.
///
/// * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on
///   `http://169.254.170.2`; it wins when both variables are set.
/// * `AWS_CONTAINER_CREDENTIALS_FULL_URI` is a whole URL: any `https` URL,
///   or `http` to a loopback address (`127.0.0.0/8`, `::1`, `localhost`) or
///   to the container agents' addresses `169.254.170.2`, `169.254.170.23` and
///   `[fd00:ec2::23]`. Anything else is refused as `InvalidConfiguration`,
///   so credentials are never sent in clear text off the machine.
/// * The request carries `Authorization` from the file named by
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch, since
///   the agent rotates it), else from `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// Neither URI variable set: `NotLoaded`. Once configured, any failure
/// (no answer, an error status, a body without credentials) is a
/// `ProviderError` that stops a chain. The endpoint answers with
/// `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration`, so put this
/// behind a [`CachedCredentialsProvider`](super::CachedCredentialsProvider),
/// which refreshes before the expiry.
///
/// Each request has a 2 s connect timeout and 5 s in all, and is tried up
/// to three times when it cannot connect, times out or gets a 5xx status.
#[derive(Debug, Clone)]
pub struct EcsCredentialsProvider {
    env: Environment,
    client: MetadataClient,
}

impl EcsCredentialsProvider {
    /// The default connect timeout.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
    /// The default time allowed for the response once connected.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(3);

    /// Reads its variables from `env` on every call.
    pub fn new(env: Environment) -> Self {
        EcsCredentialsProvider {
            env,
            client: MetadataClient::new(Self::DEFAULT_CONNECT_TIMEOUT, Self::DEFAULT_READ_TIMEOUT),
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

    /// The endpoint to ask, or why there is none.
    fn endpoint(&self) -> Result<Uri, CredentialsError> {
        if let Some(relative) = self.env.non_empty_var(RELATIVE_URI) {
            let separator = if relative.starts_with('/') { "" } else { "/" };
            return format!("http://{ECS_HOST}{separator}{relative}")
                .parse::<Uri>()
                .map_err(|e| {
                    CredentialsError::invalid_configuration(format!(
                        "{RELATIVE_URI} `{relative}` does not make a valid URL: {e}"
                    ))
                });
        }
        let Some(full) = self.env.non_empty_var(FULL_URI) else {
            return Err(CredentialsError::not_loaded(format!(
                "{RELATIVE_URI} and {FULL_URI} unset"
            )));
        };
        let uri = full.parse::<Uri>().map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "{FULL_URI} `{full}` is not a URL: {e}"
            ))
        })?;
        match (uri.scheme_str(), uri.host()) {
            (Some("https"), Some(_)) => Ok(uri),
            (Some("http"), Some(host)) if is_allowed_http_host(host) => Ok(uri),
            (Some("http"), Some(_)) => Err(CredentialsError::invalid_configuration(format!(
                "{FULL_URI} `{full}` uses plain http to a host that is neither loopback nor \
                 a container agent ({}); use https",
                CONTAINER_HOSTS.join(", ")
            ))),
            _ => Err(CredentialsError::invalid_configuration(format!(
                "{FULL_URI} `{full}` is not an absolute http or https URL"
            ))),
        }
    }

    /// The `Authorization` value, if one is configured.
    fn authorization(&self) -> Result<Option<HeaderValue>, CredentialsError> {
        let (token, source) = if let Some(path) = self.env.non_empty_var(AUTHORIZATION_TOKEN_FILE) {
            let token = std::fs::read_to_string(&path).map_err(|e| {
                CredentialsError::provider_error(format!(
                    "cannot read {AUTHORIZATION_TOKEN_FILE} `{path}`: {e}"
                ))
                .with_source(e)
            })?;
            (token, format!("the file {AUTHORIZATION_TOKEN_FILE} names"))
        } else if let Some(token) = self.env.var(AUTHORIZATION_TOKEN) {
            (token, AUTHORIZATION_TOKEN.to_owned())
        } else {
            return Ok(None);
        };
        let token = token.trim();
        if token.is_empty() {
            return Ok(None);
        }
        // `from_str` refuses control characters, so a token with a line
        // break cannot smuggle other headers in.
        match HeaderValue::from_str(token) {
            Ok(mut value) => {
                value.set_sensitive(true);
                Ok(Some(value))
            }
            Err(_) => Err(CredentialsError::invalid_configuration(format!(
                "the authorization token from {source} is not a valid header value"
            ))),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let uri = self.endpoint()?;
        let mut request = MetadataRequest::new(Method::GET, uri.clone());
        if let Some(authorization) = self.authorization()? {
            request.headers.insert(AUTHORIZATION, authorization);
        }
        request.headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let response = self.client.send(&request).await.map_err(|e| {
            CredentialsError::provider_error(format!(
                "no answer from the container endpoint {uri}: {e}"
            ))
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "the container endpoint {uri} answered HTTP status {status}"
            )));
        }
        CredentialsDocument::parse(response.body())
            .and_then(|document| document.credentials("Token", PROVIDER_NAME))
            .map_err(|why| {
                CredentialsError::provider_error(format!(
                    "the container endpoint {uri} answered with unusable credentials: {why}"
                ))
            })
    }
}

fn is_allowed_http_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || CONTAINER_HOSTS.iter().any(|h| h.parse() == Ok(ip)),
        Err(_) => false,
    }
}

impl ProvideCredentials for EcsCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        CredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::CredentialsErrorKind;

    fn provider(vars: &[(&str, &str)]) -> EcsCredentialsProvider {
        EcsCredentialsProvider::new(Environment::from_map(vars.iter().copied()))
    }

    #[test]
    fn relative_uri_is_on_the_ecs_agent_and_wins() {
        let p = provider(&[
            (RELATIVE_URI, "/v2/credentials/abc"),
            (FULL_URI, "http://127.0.0.1/x"),
        ]);
        assert_eq!(
            p.endpoint().unwrap(),
            "http://169.254.170.2/v2/credentials/abc"
        );
        let p = provider(&[(RELATIVE_URI, "v2/creds")]);
        assert_eq!(p.endpoint().unwrap(), "http://169.254.170.2/v2/creds");
    }

    #[test]
    fn full_uri_hosts() {
        for allowed in [
            "http://127.0.0.1:51679/creds",
            "http://127.1.2.3/creds",
            "http://localhost/creds",
            "http://[::1]:8080/creds",
            "http://169.254.170.2/v1/credentials",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://creds.example.com/x",
        ] {
            let p = provider(&[(FULL_URI, allowed)]);
            assert_eq!(p.endpoint().unwrap(), allowed);
        }
        for refused in [
            "http://creds.example.com/x",
            "http://169.254.169.254/latest",
            "http://10.0.0.1/x",
            "ftp://127.0.0.1/x",
            "/relative",
        ] {
            let err = provider(&[(FULL_URI, refused)]).endpoint().unwrap_err();
            assert_eq!(
                err.kind(),
                CredentialsErrorKind::InvalidConfiguration,
                "{refused}"
            );
            assert!(err.to_string().contains(refused), "{err}");
        }
    }

    #[test]
    fn nothing_set_is_not_loaded() {
        let err = provider(&[(FULL_URI, " ")]).endpoint().unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert_eq!(
            err.to_string(),
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI unset"
        );
    }

    #[test]
    fn token_file_wins_and_line_breaks_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let path = file.to_str().unwrap();
        let p = provider(&[
            (AUTHORIZATION_TOKEN_FILE, path),
            (AUTHORIZATION_TOKEN, "from-var"),
        ]);
        let value = p.authorization().unwrap().unwrap();
        assert_eq!(value, "from-file");
        assert!(value.is_sensitive());
        let value = provider(&[(AUTHORIZATION_TOKEN, "from-var")])
            .authorization()
            .unwrap();
        assert_eq!(value.unwrap(), "from-var");
        assert_eq!(provider(&[]).authorization().unwrap(), None);

        let err = provider(&[(AUTHORIZATION_TOKEN, "a\r\nX-Injected: s3cr3t")])
            .authorization()
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(!err.to_string().contains("s3cr3t"), "{err}");

        let missing = dir.path().join("missing");
        let err = provider(&[(AUTHORIZATION_TOKEN_FILE, missing.to_str().unwrap())])
            .authorization()
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert!(err
            .to_string()
            .starts_with("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
    }
}
