//! Client configuration: [`Config`] and its [`ConfigBuilder`].

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use std::collections::BTreeMap;

use crate::compression::{
    check_min_size, InvalidCompressionSetting, LoadedSettings, RequestCompressionSettings,
};
use crate::config::settings::{ConfiguredEndpointUrls, InvalidSetting, SettingsSource};
use super::interceptor::{Interceptor, SharedInterceptor};
use crate::auth::credentials::{
    self, ProvideCredentials, ProvideToken, SharedCredentialsProvider, SharedTokenProvider, Token,
};
use crate::behavior::retry::{RetryConfig, RetryMode};
use crate::behavior::sleep::{AsyncSleep, SharedAsyncSleep, SharedTimeSource, TimeSource};
use crate::behavior::timeout::TimeoutConfig;
use crate::config::environment::Environment;
use crate::config::region::{Region, RegionResolver};
use crate::endpoint::{EndpointParams, Value};
use crate::http::{HttpClient, ProxyConfig, SharedHttpClient, DEFAULT_MAX_RESPONSE_BODY_SIZE};

/// Everything a generated client needs besides its service description:
/// where to send requests, how to sign them, and how to retry and time them
/// out.
///
/// Build one with [`Config::builder`], or load the usual settings from the
/// environment with [`Config::from_env`]. Cloning is cheap: the providers and
/// the HTTP client are shared.
///
/// Building a `Config` does no work: no TLS setup, no file reads, no network.
/// A client made from it resolves its endpoint on the first call and loads
/// credentials on each call (through the configured provider, which should
/// cache; the one [`Config::from_env`] sets up does).
///
/// `Debug` never shows credentials: it only says whether a provider is set.
///
/// ```
/// use smithy_runtime::client::Config;
/// use smithy_runtime::auth::credentials::Credentials;
///
/// let config = Config::builder()
///     .region("us-west-2")
///     .credentials_provider(Credentials::from_keys("AKID", "SECRET"))
///     .build();
/// assert_eq!(config.region().map(|r| r.as_str()), Some("us-west-2"));
/// assert!(!format!("{config:?}").contains("SECRET"));
/// ```
#[derive(Clone)]
pub struct Config {
    region: Option<Region>,
    /// Why [`Config::from_env`] found no region, for the error a call
    /// reports when it needs one.
    region_error: Option<Arc<str>>,
    credentials_provider: Option<SharedCredentialsProvider>,
    token_provider: Option<SharedTokenProvider>,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    /// Values of the service's client context parameters
    /// (`smithy.rules#clientContextParams`), by parameter name.
    client_context_params: EndpointParams,
    retry_config: RetryConfig,
    timeout_config: TimeoutConfig,
    http_client: Option<SharedHttpClient>,
    max_response_body_size: u64,
    sleep_impl: Option<SharedAsyncSleep>,
    time_source: Option<SharedTimeSource>,
    request_compression: RequestCompressionSettings,
    /// A `disable_request_compression` value that could not be used; the
    /// setting keeps its previous value meanwhile.
    disable_compression_error: Option<InvalidCompressionSetting>,
    /// The same for `request_min_compression_size_bytes`.
    min_compression_size_error: Option<InvalidCompressionSetting>,
    /// Endpoint URLs from the environment and profile, per service; an
    /// `endpoint_url` set in code wins over them.
    configured_endpoint_urls: Option<Arc<ConfiguredEndpointUrls>>,
    /// The application name sent in the user agent (`app/<name>`).
    app_name: Option<String>,
    /// Proxies for the default HTTP client.
    proxy: Option<ProxyConfig>,
    /// A PEM file of extra trusted certificates for the default HTTP client.
    ca_bundle: Option<PathBuf>,
    /// Other settings from the environment or a profile that could not be
    /// used, by the builder method that replaces them (`use_fips`, …).
    setting_errors: BTreeMap<&'static str, InvalidSetting>,
    /// Run at fixed points of every call, in this order.
    interceptors: Vec<SharedInterceptor>,
}

impl Config {
    /// A builder with nothing set: no region, no credentials provider, the
    /// default retry and timeout settings.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }

    /// The usual configuration from the process environment: the region from
    /// `AWS_REGION`, `AWS_DEFAULT_REGION` or the active profile's `region`
    /// (see [`RegionResolver`]), and credentials from the default chain
    /// ([`credentials::default_chain`]) behind a cache that refreshes them
    /// before they expire. The chain tries, in order:
    ///
    /// 1. the environment variables `AWS_ACCESS_KEY_ID`,
    ///    `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`;
    /// 2. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`,
    ///    through STS (feature `sts-sso-credentials`);
    /// 3. the active profile of the shared files: static keys, a
    ///    `credential_process` command, and with the feature a role
    ///    (`role_arn` with `source_profile`, `credential_source` or
    ///    `web_identity_token_file`) or SSO (`sso_session`, `sso_start_url`);
    /// 4. the ECS container credentials endpoint
    ///    (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `…_FULL_URI`);
    /// 5. the EC2 instance metadata service (IMDSv2), unless
    ///    `AWS_EC2_METADATA_DISABLED=true`.
    ///
    /// This reads the shared config files (small local files) to find the
    /// region; credentials are only loaded by the first call. If no region is
    /// found, the configuration has none and a call that needs one fails
    /// with an endpoint error that says everywhere the region was looked
    /// for. Use [`ConfigBuilder::from_environment`] to adjust the result or
    /// to read from an [`Environment`] other than the process's.
    pub async fn from_env() -> Config {
        ConfigBuilder::from_environment(&Environment::from_process()).build()
    }

    /// The region requests are sent to and signed for, if one is set.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// Why no region could be loaded from the environment, when the
    /// configuration came from [`Config::from_env`] and none was found.
    pub fn region_error(&self) -> Option<&str> {
        self.region_error.as_deref()
    }

    /// The credentials provider, if one is set.
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials_provider.as_ref()
    }

    /// The bearer token provider, if one is set (used by operations the
    /// model marks `smithy.api#httpBearerAuth`).
    pub fn token_provider(&self) -> Option<&SharedTokenProvider> {
        self.token_provider.as_ref()
    }

    /// The endpoint URL that replaces the one the endpoint rules would
    /// choose, if set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are asked for.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// The value set for the client context parameter `name` (a parameter
    /// of the endpoint rules that the service lets each client set, such as
    /// S3's `Accelerate`), if any.
    pub fn client_context_param(&self, name: &str) -> Option<&Value> {
        self.client_context_params.get(name)
    }

    /// Every client context parameter set, in the order first set.
    pub fn client_context_params(&self) -> &EndpointParams {
        &self.client_context_params
    }

    /// Whether dual-stack (IPv4 and IPv6) endpoints are asked for.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Attempts and backoff.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry_config
    }

    /// Connect, attempt and operation timeouts.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeout_config
    }

    /// The HTTP client, if one is set. When none is, each client handle
    /// creates a [`HyperClient`](crate::http::HyperClient) (cheap: its TLS
    /// setup waits for the first `https` connection).
    pub fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http_client.as_ref()
    }

    /// The most bytes a response body may have: 64 MiB
    /// ([`DEFAULT_MAX_RESPONSE_BODY_SIZE`]) unless set with
    /// [`ConfigBuilder::max_response_body_size`].
    pub fn max_response_body_size(&self) -> u64 {
        self.max_response_body_size
    }

    /// The sleep implementation, if one is set (the default is
    /// [`TokioSleep`](crate::behavior::sleep::TokioSleep)).
    pub fn sleep_impl(&self) -> Option<&SharedAsyncSleep> {
        self.sleep_impl.as_ref()
    }

    /// The clock used for signing, if one is set (the default is
    /// [`SystemTimeSource`](crate::behavior::sleep::SystemTimeSource)).
    pub fn time_source(&self) -> Option<&SharedTimeSource> {
        self.time_source.as_ref()
    }

    /// Whether request compression is turned off (default `false`).
    pub fn disable_request_compression(&self) -> bool {
        self.request_compression.disabled()
    }

    /// The smallest request body, in bytes, that an `@requestCompression`
    /// operation compresses (default 10240).
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_compression.min_size_bytes()
    }

    /// Both compression settings.
    pub fn request_compression(&self) -> &RequestCompressionSettings {
        &self.request_compression
    }

    /// A compression setting that could not be used: a minimum size out
    /// of range given to the builder, or a value in the environment or a
    /// profile that does not parse. Calls of `@requestCompression`
    /// operations fail with it ([`SdkError::Construction`](super::SdkError));
    /// [`ConfigBuilder::try_build`] returns it.
    pub fn request_compression_error(&self) -> Option<&InvalidCompressionSetting> {
        self.disable_compression_error
            .as_ref()
            .or(self.min_compression_size_error.as_ref())
    }

    /// A setting from the environment or a profile other than request
    /// compression that could not be used (`AWS_USE_FIPS_ENDPOINT=yes`,
    /// `AWS_MAX_ATTEMPTS=0`, …). Every call fails with it
    /// ([`SdkError::Construction`](super::SdkError)) until the builder
    /// method that sets the same thing replaces it;
    /// [`ConfigBuilder::try_build`] returns it.
    pub fn setting_error(&self) -> Option<&InvalidSetting> {
        self.setting_errors.values().next()
    }

    /// The endpoint URLs set outside code (`AWS_ENDPOINT_URL`,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, a profile's `endpoint_url` and
    /// `services` section), read by [`Config::from_env`]. A client uses the
    /// one for its service unless [`endpoint_url`](Self::endpoint_url) is set.
    pub fn configured_endpoint_urls(&self) -> Option<&ConfiguredEndpointUrls> {
        self.configured_endpoint_urls.as_deref()
    }

    /// The application name sent in the user agent as `app/<name>`
    /// (`AWS_SDK_UA_APP_ID` or a profile's `sdk_ua_app_id`).
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }

    /// The interceptors every call runs, in order (see [`Interceptor`]).
    pub fn interceptors(&self) -> impl Iterator<Item = &SharedInterceptor> {
        self.interceptors.iter()
    }

    pub(crate) fn interceptor_list(&self) -> &[SharedInterceptor] {
        &self.interceptors
    }

    /// The proxies the default HTTP client sends through (`HTTPS_PROXY`,
    /// `HTTP_PROXY`, `NO_PROXY`, … with [`Config::from_env`]).
    pub fn proxy(&self) -> Option<&ProxyConfig> {
        self.proxy.as_ref()
    }

    /// A PEM file whose certificates the default HTTP client trusts besides
    /// the bundled roots (`AWS_CA_BUNDLE` or a profile's `ca_bundle`).
    pub fn ca_bundle(&self) -> Option<&std::path::Path> {
        self.ca_bundle.as_deref()
    }

    /// Reads every setting `source` has (see [`ConfigBuilder::from_environment`]).
    fn load_settings(&mut self, source: &SettingsSource<'_>) {
        let loaded = LoadedSettings::load(source);
        match loaded.disabled {
            Some(Ok(disabled)) => self.request_compression.set_disabled(disabled),
            Some(Err(error)) => self.disable_compression_error = Some(error),
            None => {}
        }
        match loaded.min_size_bytes {
            Some(Ok(bytes)) => self.request_compression.set_min_size_bytes(bytes),
            Some(Err(error)) => self.min_compression_size_error = Some(error),
            None => {}
        }
        let errors = &mut self.setting_errors;
        /// The value, or `None` after recording why it cannot be used.
        fn keep<T>(
            errors: &mut BTreeMap<&'static str, InvalidSetting>,
            setter: &'static str,
            value: Option<Result<T, InvalidSetting>>,
        ) -> Option<T> {
            match value? {
                Ok(value) => Some(value),
                Err(error) => {
                    errors.insert(setter, error);
                    None
                }
            }
        }
        if let Some(use_fips) = keep(errors, "use_fips", source.bool(USE_FIPS_ENV, USE_FIPS_KEY)) {
            self.use_fips = use_fips;
        }
        if let Some(dual) = keep(errors, "use_dual_stack", source.bool(DUAL_STACK_ENV, DUAL_STACK_KEY)) {
            self.use_dual_stack = dual;
        }
        let attempts = source.u32(MAX_ATTEMPTS_ENV, MAX_ATTEMPTS_KEY, 1..=u32::MAX, "");
        if let Some(attempts) = keep(errors, "retry_config", attempts) {
            self.retry_config = self.retry_config.to_builder().max_attempts(attempts).build();
        }
        let mode = source.lookup(RETRY_MODE_ENV, RETRY_MODE_KEY).map(|found| {
            match found.value.to_ascii_lowercase().as_str() {
                "standard" => Ok(RetryMode::Standard),
                "adaptive" => Ok(RetryMode::Adaptive),
                _ => Err(InvalidSetting::new(format!(
                    "invalid {}: `{}` is not a retry mode (`standard` or `adaptive`)",
                    found.source, found.value
                ))),
            }
        });
        if let Some(mode) = keep(errors, "retry_config", mode) {
            self.retry_config = self.retry_config.to_builder().mode(mode).build();
        }
        if let Some(found) = source.lookup(APP_ID_ENV, APP_ID_KEY) {
            self.app_name = Some(found.value);
        }
        if let Some(found) = source.lookup(CA_BUNDLE_ENV, CA_BUNDLE_KEY) {
            self.ca_bundle = Some(PathBuf::from(found.value));
        }
        let proxy = ProxyConfig::from_environment(source.env());
        if proxy.is_enabled() {
            self.proxy = Some(proxy);
        }
        if let Some(urls) = keep(errors, "endpoint_url", Some(source.endpoint_urls())) {
            self.configured_endpoint_urls = Some(Arc::new(urls));
        }
    }
}

const USE_FIPS_ENV: &str = "AWS_USE_FIPS_ENDPOINT";
const USE_FIPS_KEY: &str = "use_fips_endpoint";
const DUAL_STACK_ENV: &str = "AWS_USE_DUALSTACK_ENDPOINT";
const DUAL_STACK_KEY: &str = "use_dualstack_endpoint";
const MAX_ATTEMPTS_ENV: &str = "AWS_MAX_ATTEMPTS";
const MAX_ATTEMPTS_KEY: &str = "max_attempts";
const RETRY_MODE_ENV: &str = "AWS_RETRY_MODE";
const RETRY_MODE_KEY: &str = "retry_mode";
const APP_ID_ENV: &str = "AWS_SDK_UA_APP_ID";
const APP_ID_KEY: &str = "sdk_ua_app_id";
const CA_BUNDLE_ENV: &str = "AWS_CA_BUNDLE";
const CA_BUNDLE_KEY: &str = "ca_bundle";

/// Prints every setting except secrets: the credentials provider is shown
/// only as set or unset, and user information in the endpoint URL is hidden.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region.as_ref().map(Region::as_str))
            .field("region_error", &self.region_error)
            .field(
                "credentials_provider",
                &self.credentials_provider.as_ref().map(|_| "<set>"),
            )
            .field("token_provider", &self.token_provider.as_ref().map(|_| "<set>"))
            .field(
                "endpoint_url",
                &self.endpoint_url.as_deref().map(redact_userinfo),
            )
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("client_context_params", &self.client_context_params)
            .field("retry_config", &self.retry_config)
            .field("timeout_config", &self.timeout_config)
            .field("http_client", &self.http_client)
            .field("max_response_body_size", &self.max_response_body_size)
            .field("sleep_impl", &self.sleep_impl)
            .field("time_source", &self.time_source)
            .field("request_compression", &self.request_compression)
            .field("request_compression_error", &self.request_compression_error())
            .field("configured_endpoint_urls", &self.configured_endpoint_urls)
            .field("app_name", &self.app_name)
            .field("proxy", &self.proxy)
            .field("ca_bundle", &self.ca_bundle)
            .field("setting_errors", &self.setting_errors)
            .field("interceptors", &self.interceptors)
            .finish()
    }
}

/// `scheme://user:password@host/...` → `scheme://***@host/...`; any other
/// text unchanged.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(at) => url.split_at(at + 3),
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

/// Builds a [`Config`]. Every setting has a value setter and a `set_`
/// variant taking an `Option` (`None` restores the default).
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    config: Config,
}

impl Default for Config {
    /// Same as `Config::builder().build()`: nothing set, default retries and
    /// timeouts.
    fn default() -> Self {
        Config {
            region: None,
            region_error: None,
            credentials_provider: None,
            token_provider: None,
            endpoint_url: None,
            use_fips: false,
            use_dual_stack: false,
            client_context_params: EndpointParams::new(),
            retry_config: RetryConfig::default(),
            timeout_config: TimeoutConfig::default(),
            http_client: None,
            max_response_body_size: DEFAULT_MAX_RESPONSE_BODY_SIZE,
            sleep_impl: None,
            time_source: None,
            request_compression: RequestCompressionSettings::default(),
            disable_compression_error: None,
            min_compression_size_error: None,
            configured_endpoint_urls: None,
            app_name: None,
            proxy: None,
            ca_bundle: None,
            setting_errors: BTreeMap::new(),
            interceptors: Vec::new(),
        }
    }
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConfigBuilder").field(&self.config).finish()
    }
}

impl ConfigBuilder {
    /// A builder filled from `env` as [`Config::from_env`] does: the region
    /// from the [`RegionResolver`] (environment variables, then the active
    /// profile, which reads the shared config files now), the cached
    /// default credentials chain (environment, web identity, profile, ECS,
    /// IMDS; see
    /// [`credentials::default_chain`]; it reads nothing until the first call),
    /// and these settings, each from its environment variable, else from the
    /// active profile's key:
    ///
    /// | setting | variable | profile key |
    /// | --- | --- | --- |
    /// | endpoint URL | `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL` | the `services` section's `<service> = endpoint_url = …`, `endpoint_url` |
    /// | ignore those URLs | `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` | `ignore_configured_endpoint_urls` |
    /// | FIPS endpoint | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` |
    /// | dual-stack endpoint | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` |
    /// | attempts | `AWS_MAX_ATTEMPTS` | `max_attempts` |
    /// | retry mode (`standard`) | `AWS_RETRY_MODE` | `retry_mode` |
    /// | app name in the user agent | `AWS_SDK_UA_APP_ID` | `sdk_ua_app_id` |
    /// | extra trusted certificates (PEM) | `AWS_CA_BUNDLE` | `ca_bundle` |
    /// | proxies | `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY` (or lower case) | — |
    /// | request compression | `AWS_DISABLE_REQUEST_COMPRESSION`, `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` | `disable_request_compression`, `request_min_compression_size_bytes` |
    ///
    /// `<SERVICE>` is the service's SDK id in upper case with spaces and
    /// dashes as underscores (`AWS_ENDPOINT_URL_IVS_REALTIME`); the
    /// `services` section names it in lower case (`ivs_realtime`). A value
    /// that does not parse is kept as [`Config::request_compression_error`]
    /// or [`Config::setting_error`]; the builder method that sets the same
    /// thing replaces it. Anything set on the builder afterwards wins.
    pub fn from_environment(env: &Environment) -> ConfigBuilder {
        let mut builder =
            ConfigBuilder::default().credentials_provider(credentials::default_provider(env));
        match RegionResolver::new().resolve(env) {
            Ok(resolved) => builder.config.region = Some(resolved.region),
            Err(error) => {
                tracing::debug!(%error, "no region in the environment");
                builder.config.region_error = Some(error.to_string().into());
            }
        }
        builder.config.load_settings(&SettingsSource::load(env));
        builder
    }

    /// Sets the region requests are sent to and signed for, e.g.
    /// `us-west-2`.
    pub fn region(self, region: impl Into<Region>) -> Self {
        self.set_region(Some(region.into()))
    }

    /// Sets or, with `None`, clears the region.
    pub fn set_region(mut self, region: Option<Region>) -> Self {
        self.config.region = region;
        self.config.region_error = None;
        self
    }

    /// Sets where credentials come from. Any [`ProvideCredentials`] works,
    /// including fixed [`Credentials`](crate::auth::credentials::Credentials).
    /// Providers that load slowly should be wrapped in a
    /// [`CachedCredentialsProvider`](crate::auth::credentials::CachedCredentialsProvider):
    /// the client asks once per call.
    pub fn credentials_provider(self, provider: impl ProvideCredentials + 'static) -> Self {
        self.set_credentials_provider(Some(SharedCredentialsProvider::new(provider)))
    }

    /// Sets or, with `None`, clears the credentials provider. A call made
    /// without one fails with a credentials error.
    pub fn set_credentials_provider(mut self, provider: Option<SharedCredentialsProvider>) -> Self {
        self.config.credentials_provider = provider;
        self
    }

    /// Sets a fixed bearer token, sent as `Authorization: Bearer <token>` by
    /// operations the model marks `smithy.api#httpBearerAuth`.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(Token::new(token))
    }

    /// Sets where bearer tokens come from. Any [`ProvideToken`] works,
    /// including a fixed [`Token`].
    pub fn token_provider(self, provider: impl ProvideToken + 'static) -> Self {
        self.set_token_provider(Some(SharedTokenProvider::new(provider)))
    }

    /// Sets or, with `None`, clears the bearer token provider. A
    /// bearer-auth call made without one fails with a credentials error.
    pub fn set_token_provider(mut self, provider: Option<SharedTokenProvider>) -> Self {
        self.config.token_provider = provider;
        self
    }

    /// Sends requests to `url` (e.g. `http://localhost:4566` or
    /// `https://proxy.example.com/ivs`) instead of the endpoint the rules
    /// would choose. A path in the URL is kept in front of each request's
    /// path.
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        self.set_endpoint_url(Some(url.into()))
    }

    /// Sets or, with `None`, clears the endpoint URL.
    pub fn set_endpoint_url(mut self, url: Option<String>) -> Self {
        self.config.endpoint_url = url;
        self.config.setting_errors.remove("endpoint_url");
        self
    }

    /// Asks for a FIPS endpoint (default `false`).
    pub fn use_fips(self, use_fips: bool) -> Self {
        self.set_use_fips(Some(use_fips))
    }

    /// Sets or, with `None`, resets to `false` the FIPS setting.
    pub fn set_use_fips(mut self, use_fips: Option<bool>) -> Self {
        self.config.use_fips = use_fips.unwrap_or(false);
        self.config.setting_errors.remove("use_fips");
        self
    }

    /// Asks for a dual-stack (IPv4 and IPv6) endpoint (default `false`).
    pub fn use_dual_stack(self, use_dual_stack: bool) -> Self {
        self.set_use_dual_stack(Some(use_dual_stack))
    }

    /// Sets or, with `None`, resets to `false` the dual-stack setting.
    pub fn set_use_dual_stack(mut self, use_dual_stack: Option<bool>) -> Self {
        self.config.use_dual_stack = use_dual_stack.unwrap_or(false);
        self.config.setting_errors.remove("use_dual_stack");
        self
    }

    /// Sets attempts and backoff (default [`RetryConfig::standard`]).
    pub fn retry_config(self, retry_config: RetryConfig) -> Self {
        self.set_retry_config(Some(retry_config))
    }

    /// Sets or, with `None`, resets to the default the retry settings.
    pub fn set_retry_config(mut self, retry_config: Option<RetryConfig>) -> Self {
        self.config.retry_config = retry_config.unwrap_or_default();
        self.config.setting_errors.remove("retry_config");
        self
    }

    /// Adds an interceptor, run after those added before it (see
    /// [`Interceptor`] for its hooks).
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.config.interceptors.push(std::sync::Arc::new(interceptor));
        self
    }

    /// Removes every interceptor.
    pub fn clear_interceptors(mut self) -> Self {
        self.config.interceptors.clear();
        self
    }

    /// Sends requests of the default HTTP client through `proxy` (ignored
    /// when an [`http_client`](Self::http_client) is set).
    pub fn proxy(self, proxy: ProxyConfig) -> Self {
        self.set_proxy(Some(proxy))
    }

    /// Sets or, with `None`, removes the proxy configuration.
    pub fn set_proxy(mut self, proxy: Option<ProxyConfig>) -> Self {
        self.config.proxy = proxy;
        self
    }

    /// Makes the default HTTP client trust the certificates of the PEM file
    /// at `path` too, as `AWS_CA_BUNDLE` does (ignored when an
    /// [`http_client`](Self::http_client) is set).
    pub fn ca_bundle(self, path: impl Into<PathBuf>) -> Self {
        self.set_ca_bundle(Some(path.into()))
    }

    /// Sets or, with `None`, removes the extra certificates.
    pub fn set_ca_bundle(mut self, path: Option<PathBuf>) -> Self {
        self.config.ca_bundle = path;
        self
    }

    /// Names the application in the user agent (`app/<name>`), as
    /// `AWS_SDK_UA_APP_ID` does.
    pub fn app_name(self, name: impl Into<String>) -> Self {
        self.set_app_name(Some(name.into()))
    }

    /// Sets or, with `None`, clears the application name.
    pub fn set_app_name(mut self, name: Option<String>) -> Self {
        self.config.app_name = name;
        self
    }

    /// Sets the connect, attempt and operation timeouts (default
    /// [`TimeoutConfig::default`]). The connect timeout applies to the
    /// default HTTP client only; a custom one brings its own.
    pub fn timeout_config(self, timeout_config: TimeoutConfig) -> Self {
        self.set_timeout_config(Some(timeout_config))
    }

    /// Sets or, with `None`, resets to the default the timeouts.
    pub fn set_timeout_config(mut self, timeout_config: Option<TimeoutConfig>) -> Self {
        self.config.timeout_config = timeout_config.unwrap_or_default();
        self
    }

    /// Caps a response body at `bytes` (default 64 MiB,
    /// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`]: well above the JSON responses of
    /// AWS services, which are kilobytes to a few megabytes, while bounding
    /// the memory a misbehaving server can take, since bodies are read
    /// whole).
    ///
    /// A response whose `Content-Length` is above the cap fails before its
    /// body is read, and any other stops being read as soon as it passes
    /// the cap; the call fails with [`SdkError::Dispatch`](super::SdkError)
    /// saying the body exceeded the limit (not retried;
    /// [`DispatchError::is_response_too_large`](super::DispatchError::is_response_too_large)).
    /// The default HTTP client applies it; a custom one
    /// ([`http_client`](Self::http_client)) should read it from
    /// [`Config::max_response_body_size`] (a [`HyperClient`](crate::http::HyperClient)
    /// takes it from its own builder).
    pub fn max_response_body_size(mut self, bytes: u64) -> Self {
        self.config.max_response_body_size = bytes;
        self
    }

    /// Sets or, with `None`, resets to the default (64 MiB) the response
    /// body cap.
    pub fn set_max_response_body_size(self, bytes: Option<u64>) -> Self {
        self.max_response_body_size(bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BODY_SIZE))
    }

    /// Sends requests with `client` instead of a default
    /// [`HyperClient`](crate::http::HyperClient).
    pub fn http_client(self, client: impl HttpClient + 'static) -> Self {
        self.set_http_client(Some(Arc::new(client)))
    }

    /// Sets or, with `None`, clears the HTTP client.
    pub fn set_http_client(mut self, client: Option<SharedHttpClient>) -> Self {
        self.config.http_client = client;
        self
    }

    /// Times backoff and timeouts with `sleep` instead of the tokio timer.
    pub fn sleep_impl(self, sleep: impl AsyncSleep + 'static) -> Self {
        self.set_sleep_impl(Some(Arc::new(sleep)))
    }

    /// Sets or, with `None`, clears the sleep implementation.
    pub fn set_sleep_impl(mut self, sleep: Option<SharedAsyncSleep>) -> Self {
        self.config.sleep_impl = sleep;
        self
    }

    /// Signs requests with the time from `time_source` instead of the system
    /// clock.
    pub fn time_source(self, time_source: impl TimeSource + 'static) -> Self {
        self.set_time_source(Some(Arc::new(time_source)))
    }

    /// Sets or, with `None`, clears the clock.
    pub fn set_time_source(mut self, time_source: Option<SharedTimeSource>) -> Self {
        self.config.time_source = time_source;
        self
    }

    /// Sets or, with `None`, unsets the client context parameter `name` of
    /// the endpoint rules. A generated crate wraps this in one typed setter
    /// per parameter its service declares (e.g. `.accelerate(true)`); a
    /// name the rules do not declare is ignored when resolving.
    pub fn set_client_context_param(
        mut self,
        name: &'static str,
        value: Option<Value>,
    ) -> Self {
        match value {
            Some(value) => self.config.client_context_params.insert(name, value),
            None => {
                self.config.client_context_params.remove(name);
            }
        }
        self
    }

    /// Turns request compression off (`true`) or on (`false`, the
    /// default) for operations the model marks `@requestCompression`.
    pub fn disable_request_compression(self, disable: bool) -> Self {
        self.set_disable_request_compression(Some(disable))
    }

    /// Sets or, with `None`, resets to `false` the compression switch.
    pub fn set_disable_request_compression(mut self, disable: Option<bool>) -> Self {
        self.config.request_compression.set_disabled(disable.unwrap_or(false));
        self.config.disable_compression_error = None;
        self
    }

    /// Sets the smallest request body, in bytes, that an
    /// `@requestCompression` operation compresses (default 10240). The
    /// value must be in `0..=10485760`
    /// ([`MAX_MIN_COMPRESSION_SIZE_BYTES`](crate::compression::MAX_MIN_COMPRESSION_SIZE_BYTES)):
    /// [`try_build`](Self::try_build) refuses any other, and with
    /// [`build`](Self::build) calls of such operations fail with an error
    /// saying so.
    pub fn request_min_compression_size_bytes(self, bytes: u32) -> Self {
        self.set_request_min_compression_size_bytes(Some(bytes))
    }

    /// Sets or, with `None`, resets to the default (10240) the minimum
    /// compressed body size.
    pub fn set_request_min_compression_size_bytes(mut self, bytes: Option<u32>) -> Self {
        let bytes = bytes.unwrap_or(crate::compression::DEFAULT_MIN_COMPRESSION_SIZE_BYTES);
        match check_min_size(bytes, "request_min_compression_size_bytes") {
            Ok(bytes) => {
                self.config.request_compression.set_min_size_bytes(bytes);
                self.config.min_compression_size_error = None;
            }
            Err(error) => self.config.min_compression_size_error = Some(error),
        }
        self
    }

    /// Finishes the configuration. Cheap: nothing is loaded, connected or
    /// checked here (a setting that could not be used is kept as
    /// [`Config::request_compression_error`]; see
    /// [`try_build`](Self::try_build)).
    pub fn build(self) -> Config {
        self.config
    }

    /// Finishes the configuration, or says which setting cannot be used:
    /// a request compression setting out of range, or one from the
    /// environment or a profile that does not parse.
    pub fn try_build(self) -> Result<Config, InvalidSetting> {
        match self.config.request_compression_error().or(self.config.setting_error()) {
            Some(error) => Err(error.clone()),
            None => Ok(self.config),
        }
    }
}

/// The same as [`Config::from_env`].
pub async fn load_from_env() -> Config {
    Config::from_env().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::Credentials;

    #[test]
    fn debug_hides_secrets() {
        let config = Config::builder()
            .region("eu-west-1")
            .credentials_provider(Credentials::new(
                "AKID",
                "SECRETKEY",
                Some("SESSIONTOKEN".to_owned()),
                None,
                "Test",
            ))
            .endpoint_url("https://user:hunter2@localhost:8443/base")
            .bearer_token("BEARERTOKEN")
            .build();
        for text in [format!("{config:?}"), format!("{:?}", config.to_builder())] {
            assert!(!text.contains("SECRETKEY"), "{text}");
            assert!(!text.contains("SESSIONTOKEN"), "{text}");
            assert!(!text.contains("BEARERTOKEN"), "{text}");
            assert!(text.contains("token_provider: Some(\"<set>\")"), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("https://***@localhost:8443/base"), "{text}");
            assert!(text.contains("eu-west-1"), "{text}");
            assert!(
                text.contains("credentials_provider: Some(\"<set>\")"),
                "{text}"
            );
        }
    }

    #[test]
    fn fips_dual_stack_attempts_and_retry_mode_come_from_the_environment() {
        let env = Environment::from_map([
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "TRUE"),
            ("AWS_MAX_ATTEMPTS", "5"),
            ("AWS_RETRY_MODE", "standard"),
            ("AWS_SDK_UA_APP_ID", "billing"),
        ]);
        let config = ConfigBuilder::from_environment(&env).try_build().expect("all valid");
        assert!(config.use_fips() && config.use_dual_stack());
        assert_eq!(config.retry_config().max_attempts(), 5);
        assert_eq!(config.app_name(), Some("billing"));
        assert_eq!(config.retry_config().mode(), RetryMode::Standard);
        let adaptive = Environment::from_map([("AWS_RETRY_MODE", "Adaptive"), ("AWS_MAX_ATTEMPTS", "4")]);
        let config = ConfigBuilder::from_environment(&adaptive).try_build().expect("adaptive is a mode");
        assert_eq!(config.retry_config().mode(), RetryMode::Adaptive);
        assert_eq!(config.retry_config().max_attempts(), 4);
        let unknown = Environment::from_map([("AWS_RETRY_MODE", "legacy")]);
        let error = ConfigBuilder::from_environment(&unknown).try_build().map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            error,
            Err("invalid AWS_RETRY_MODE: `legacy` is not a retry mode (`standard` or `adaptive`)".to_owned())
        );
        let replaced = ConfigBuilder::from_environment(&unknown).retry_config(RetryConfig::standard()).try_build();
        assert!(replaced.is_ok(), "setting retries in code replaces the unusable mode");
    }

    #[test]
    fn proxies_and_the_ca_bundle_come_from_the_environment() {
        let env = Environment::from_map([
            ("HTTPS_PROXY", "http://proxy.internal:3128"),
            ("AWS_CA_BUNDLE", "/etc/pki/corp.pem"),
        ]);
        let config = ConfigBuilder::from_environment(&env).build();
        let target: ::http::Uri = "https://sts.amazonaws.com/".parse().expect("uri");
        assert_eq!(
            config.proxy().and_then(|p| p.proxy_for(&target)).as_deref(),
            Some("http://proxy.internal:3128/")
        );
        assert_eq!(config.ca_bundle(), Some(std::path::Path::new("/etc/pki/corp.pem")));
        let none = ConfigBuilder::from_environment(&Environment::empty()).build();
        assert!(none.proxy().is_none() && none.ca_bundle().is_none());
    }

    #[test]
    fn redact_userinfo_only_touches_the_authority() {
        assert_eq!(redact_userinfo("http://a:b@h/p"), "http://***@h/p");
        assert_eq!(redact_userinfo("http://h/p@q"), "http://h/p@q");
        assert_eq!(redact_userinfo("http://h:80"), "http://h:80");
        assert_eq!(redact_userinfo("u@h"), "***@h");
    }

    #[test]
    fn setters_and_resets() {
        let config = Config::builder()
            .region("us-east-1")
            .use_fips(true)
            .use_dual_stack(true)
            .retry_config(RetryConfig::disabled())
            .timeout_config(TimeoutConfig::disabled())
            .endpoint_url("http://localhost")
            .bearer_token("token")
            .set_client_context_param("Accelerate", Some(Value::Bool(true)))
            .set_client_context_param("Stage", Some(Value::from("beta")))
            .build();
        assert_eq!(config.region().map(Region::as_str), Some("us-east-1"));
        assert!(config.token_provider().is_some());
        assert_eq!(config.client_context_param("Accelerate"), Some(&Value::Bool(true)));
        assert_eq!(config.client_context_params().len(), 2);
        assert!(config.use_fips() && config.use_dual_stack());
        assert_eq!(config.retry_config().max_attempts(), 1);
        assert_eq!(config.timeout_config(), &TimeoutConfig::disabled());
        assert_eq!(config.endpoint_url(), Some("http://localhost"));
        let reset = config
            .to_builder()
            .set_region(None)
            .set_use_fips(None)
            .set_use_dual_stack(None)
            .set_retry_config(None)
            .set_timeout_config(None)
            .set_endpoint_url(None)
            .set_token_provider(None)
            .set_client_context_param("Accelerate", None)
            .build();
        assert_eq!(reset.region(), None);
        assert_eq!(reset.client_context_param("Accelerate"), None);
        assert_eq!(reset.client_context_param("Stage"), Some(&Value::from("beta")));
        assert!(!reset.use_fips() && !reset.use_dual_stack());
        assert_eq!(reset.retry_config(), &RetryConfig::default());
        assert_eq!(reset.timeout_config(), &TimeoutConfig::default());
        assert_eq!(reset.endpoint_url(), None);
        assert!(reset.credentials_provider().is_none());
        assert!(reset.token_provider().is_none());
    }

    #[test]
    fn from_environment_reads_region_and_sets_the_default_chain() {
        let env = Environment::from_map([("AWS_REGION", "ap-southeast-2")]);
        let config = ConfigBuilder::from_environment(&env).build();
        assert_eq!(config.region().map(Region::as_str), Some("ap-southeast-2"));
        assert!(config.credentials_provider().is_some());
        assert_eq!(config.region_error(), None);
    }

    #[test]
    fn compression_settings_default_set_and_reset() {
        let config = Config::builder().build();
        assert!(!config.disable_request_compression());
        assert_eq!(config.request_min_compression_size_bytes(), 10_240);
        let config = config
            .to_builder()
            .disable_request_compression(true)
            .request_min_compression_size_bytes(0)
            .try_build()
            .map(|c| (c.disable_request_compression(), c.request_min_compression_size_bytes()));
        assert_eq!(config.ok(), Some((true, 0)));
        let reset = Config::builder()
            .disable_request_compression(true)
            .request_min_compression_size_bytes(5)
            .set_disable_request_compression(None)
            .set_request_min_compression_size_bytes(None)
            .build();
        assert_eq!(reset.request_compression(), &RequestCompressionSettings::default());
    }

    #[test]
    fn an_out_of_range_minimum_is_an_error_at_build() {
        let builder = Config::builder().request_min_compression_size_bytes(10_485_761);
        let message = builder.clone().try_build().err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("invalid request_min_compression_size_bytes: 10485761 is out of range (0..=10485760 bytes)")
        );
        let kept = builder.clone().build();
        assert_eq!(kept.request_min_compression_size_bytes(), 10_240, "the bad value is not used");
        assert!(kept.request_compression_error().is_some());
        let fixed = builder.request_min_compression_size_bytes(10_485_760).try_build();
        assert_eq!(fixed.map(|c| c.request_min_compression_size_bytes()).ok(), Some(10_485_760));
    }

    #[test]
    fn compression_settings_builder_beats_environment_beats_profile() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("config");
        let profile = "[default]\ndisable_request_compression = true\nrequest_min_compression_size_bytes = 100\n";
        std::fs::write(&path, profile).expect("the config file is written");
        let env = Environment::empty().with_var("AWS_CONFIG_FILE", path.to_string_lossy());
        let from_profile = ConfigBuilder::from_environment(&env).build();
        assert!(from_profile.disable_request_compression());
        assert_eq!(from_profile.request_min_compression_size_bytes(), 100);

        let env = env
            .with_var("AWS_DISABLE_REQUEST_COMPRESSION", "false")
            .with_var("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "200");
        let from_env = ConfigBuilder::from_environment(&env).build();
        assert!(!from_env.disable_request_compression());
        assert_eq!(from_env.request_min_compression_size_bytes(), 200);

        let explicit = ConfigBuilder::from_environment(&env)
            .disable_request_compression(true)
            .request_min_compression_size_bytes(300)
            .build();
        assert!(explicit.disable_request_compression());
        assert_eq!(explicit.request_min_compression_size_bytes(), 300);
    }

    #[test]
    fn a_bad_environment_value_is_an_error_until_set_in_code() {
        let env = Environment::from_map([
            ("AWS_DISABLE_REQUEST_COMPRESSION", "maybe"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "20000000"),
        ]);
        let message = ConfigBuilder::from_environment(&env).try_build().err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("invalid AWS_DISABLE_REQUEST_COMPRESSION: `maybe` is not `true` or `false`")
        );
        let half = ConfigBuilder::from_environment(&env).disable_request_compression(false);
        let message = half.clone().try_build().err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("invalid AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: 20000000 is out of range (0..=10485760 bytes)")
        );
        assert!(half.request_min_compression_size_bytes(1).try_build().is_ok());
    }

    #[test]
    fn from_environment_without_region_keeps_the_reason() {
        let config = ConfigBuilder::from_environment(&Environment::empty()).build();
        assert_eq!(config.region(), None);
        let reason = config.region_error().unwrap_or_default();
        assert!(reason.contains("AWS_REGION unset"), "{reason}");
        // Setting a region explicitly makes the reason moot.
        let fixed = config.to_builder().region("us-east-1").build();
        assert_eq!(fixed.region_error(), None);
    }
}
