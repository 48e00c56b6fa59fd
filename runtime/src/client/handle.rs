//! [`ClientHandle`]: what a generated client holds, and the static
//! descriptions of its service and operations.

use std::fmt;
use std::sync::{Arc, OnceLock};

use http::HeaderValue;

use super::config::Config;
use super::endpoint::{ParamsCache, PreparedEndpoint, ENDPOINT_CACHE_CAPACITY};
use super::error::EndpointError;
use crate::behavior::retry::classify::RetryableError;
use crate::behavior::retry::clock_skew::SkewedClock;
use crate::behavior::retry::{RetryConfig, RetryQuota};
use crate::behavior::timeout::TimeoutConfig;
use super::interceptor::{Interceptor, SharedInterceptor};
use crate::behavior::sleep::{SharedAsyncSleep, SystemTimeSource, TokioSleep};
use crate::endpoint::{EndpointParams, LazyRuleSet};
use crate::http::{HyperClient, SharedHttpClient};

/// What a generated crate tells the runtime about its service; one `static`
/// per generated crate.
///
/// ```
/// use smithy_runtime::client::ServiceSpec;
/// use smithy_runtime::endpoint::LazyRuleSet;
///
/// static RULES: LazyRuleSet = LazyRuleSet::new(
///     r#"{"version": "1.0", "parameters": {}, "rules": [
///         {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://example.com"}}]}"#,
/// );
/// static SERVICE: ServiceSpec = ServiceSpec {
///     service_id: "IVS RealTime",
///     signing_name: "ivs",
///     endpoint_rules: Some(&RULES),
///     api_version: "2020-07-14",
///     protocol: smithy_runtime::protocol::Protocol::RestJson1,
///     query_compatible: false,
///     retryable_errors: &[],
/// };
/// # let _ = &SERVICE;
/// ```
#[derive(Debug)]
pub struct ServiceSpec {
    /// The service's SDK id (`aws.api#service` `sdkId`), e.g. `IVS RealTime`.
    pub service_id: &'static str,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`), e.g. `ivs`, used
    /// unless the endpoint's `authSchemes` names another.
    pub signing_name: &'static str,
    /// The service's endpoint rule set, parsed on the first call.
    /// `None` for a service without `smithy.rules#endpointRuleSet`: such a
    /// client needs `endpoint_url`.
    pub endpoint_rules: Option<&'static LazyRuleSet>,
    /// The service's API version, e.g. `2020-07-14`.
    pub api_version: &'static str,
    /// The wire protocol, which says how error responses are read.
    pub protocol: crate::protocol::Protocol,
    /// `@awsQueryCompatible`: errors also carry their awsQuery code in the
    /// `x-amzn-query-error` header.
    pub query_compatible: bool,
    /// The errors the model marks `@retryable`, by code.
    pub retryable_errors: &'static [RetryableError],
}

/// What a generated crate tells the runtime about one operation; one
/// `static` per operation.
#[derive(Debug)]
pub struct OperationSpec {
    /// The operation's name, e.g. `CreateStage`, used in tracing and errors.
    pub name: &'static str,
    /// The status the model says success returns (`@http(code)`, usually
    /// 200). Every 2xx status is treated as success; a different one is only
    /// noted in a debug event.
    pub http_success_code: u16,
    /// The auth schemes the operation accepts, in the model's order of
    /// preference (`@auth` on the operation, else on the service, else the
    /// service's auth traits as applied). The call uses the first one this
    /// runtime supports and has an identity for. Empty (`@auth([])`): the
    /// request is sent unsigned and needs no credentials.
    pub auth: &'static [AuthScheme],
    /// `@optionalAuth`: when no scheme can be used (no credentials or token
    /// could be loaded), the request is sent unsigned instead of failing.
    pub optional_auth: bool,
    /// `@requestCompression` with `gzip` among its encodings: the body is
    /// gzipped before signing when the configuration allows it and it is
    /// large enough (see [`crate::compression`]).
    pub request_compression: bool,
    /// `aws.auth#unsignedPayload`: SigV4 signs the payload as
    /// `UNSIGNED-PAYLOAD` instead of hashing the body.
    pub unsigned_payload: bool,
    /// The operation's streaming input blob is `@requiresLength`: a request
    /// whose body has no known length fails before anything is sent,
    /// instead of being sent chunked.
    pub requires_length: bool,
    /// The operation has an event stream and its protocol's
    /// `eventStreamHttp` list (else its `http` list) names only `h2`, or
    /// `h2` first: the transport negotiates HTTP/2 for it. Its requests
    /// carry [`HttpVersionPreference::Http2`](crate::http::HttpVersionPreference),
    /// which [`HyperClient`] sends over HTTP/2 (runtime feature `http2`;
    /// without it such a call fails before anything is sent).
    pub http2: bool,
}

/// One way an operation authenticates, as its model names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `aws.auth#sigv4`: SigV4 signing with the configured credentials.
    Sigv4,
    /// `smithy.api#httpBearerAuth`: `Authorization: Bearer <token>` with the
    /// configured token.
    HttpBearer,
    /// A scheme this runtime does not implement, by its trait's shape id. A
    /// call that has no other scheme to use fails with a credentials error
    /// naming it.
    Unsupported(&'static str),
}

impl AuthScheme {
    /// The scheme's trait shape id, e.g. `aws.auth#sigv4`.
    pub fn id(&self) -> &'static str {
        match self {
            AuthScheme::Sigv4 => "aws.auth#sigv4",
            AuthScheme::HttpBearer => "smithy.api#httpBearerAuth",
            AuthScheme::Unsupported(id) => id,
        }
    }
}

/// A configured connection to one service: the configuration, the HTTP
/// client and its connection pool, the retry quota and the resolved
/// endpoint, shared by every call.
///
/// A generated `Client` holds one. Cloning is cheap (an `Arc`), and clones
/// share everything, the connection pool included.
#[derive(Clone)]
pub struct ClientHandle {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) service: &'static ServiceSpec,
    pub(crate) http: SharedHttpClient,
    pub(crate) sleep: SharedAsyncSleep,
    /// The configured time source, moved by the offset learned from
    /// clock-skew errors; what requests are signed with.
    pub(crate) clock: Arc<SkewedClock>,
    pub(crate) quota: RetryQuota,
    /// Resolved on the first call without operation parameters that
    /// succeeds in resolving it. Its parameters all come from the
    /// configuration, so every such call gets the same endpoint.
    endpoint: OnceLock<PreparedEndpoint>,
    /// Endpoints of calls whose operation sets endpoint parameters, by
    /// those parameters.
    operation_endpoints: ParamsCache<PreparedEndpoint>,
    pub(crate) user_agent: HeaderValue,
    /// The configuration's `endpoint_url`, else the one configured outside
    /// code for this service (`AWS_ENDPOINT_URL_<SERVICE>`, …).
    endpoint_url: Option<String>,
    /// Headers added to every request (from [`CallOverrides::header`]).
    pub(crate) extra_headers: http::HeaderMap,
    /// A header override that could not be used; calls fail with it.
    pub(crate) override_error: Option<String>,
}

impl ClientHandle {
    /// A handle for `service` with `config`.
    ///
    /// Cheap: it creates the default [`HyperClient`] when the configuration
    /// has no HTTP client (its TLS setup waits for the first `https`
    /// connection) and does nothing else; the endpoint rules are parsed and
    /// resolved on the first call.
    pub fn new(config: &Config, service: &'static ServiceSpec) -> Self {
        let http = match config.http_client() {
            Some(client) => Arc::clone(client),
            None => {
                let mut builder = HyperClient::builder()
                    .timeout_config(config.timeout_config())
                    .max_response_body_size(config.max_response_body_size());
                if let Some(proxy) = config.proxy() {
                    builder = builder.proxy(proxy.clone());
                }
                if let Some(path) = config.ca_bundle() {
                    builder = builder.ca_bundle(path);
                }
                Arc::new(builder.build())
            }
        };
        let sleep = match config.sleep_impl() {
            Some(sleep) => Arc::clone(sleep),
            None => Arc::new(TokioSleep::new()),
        };
        let time = match config.time_source() {
            Some(time) => Arc::clone(time),
            None => Arc::new(SystemTimeSource::new()),
        };
        ClientHandle {
            inner: Arc::new(Inner {
                config: config.clone(),
                service,
                http,
                sleep,
                clock: Arc::new(SkewedClock::new(time)),
                quota: RetryQuota::standard(),
                endpoint: OnceLock::new(),
                operation_endpoints: ParamsCache::new(ENDPOINT_CACHE_CAPACITY),
                user_agent: user_agent(service, config.app_name()),
                endpoint_url: endpoint_url(config, service),
                extra_headers: http::HeaderMap::new(),
                override_error: None,
            }),
        }
    }

    /// A handle for one call with `overrides` on top of this one's
    /// configuration. It shares the HTTP client (and its connections), the
    /// retry quota and the clock with this handle; its endpoint is resolved
    /// afresh. A header override that is not a valid header makes the call
    /// fail before anything is sent.
    pub fn with_overrides(&self, overrides: &CallOverrides) -> ClientHandle {
        let inner = &*self.inner;
        let mut builder = inner.config.to_builder();
        if let Some(retry) = &overrides.retry_config {
            builder = builder.retry_config(*retry);
        }
        if let Some(timeouts) = &overrides.timeout_config {
            builder = builder.timeout_config(*timeouts);
        }
        for interceptor in &overrides.interceptors {
            builder = builder.interceptor(Arc::clone(interceptor));
        }
        let config = builder.build();
        let mut extra_headers = inner.extra_headers.clone();
        extra_headers.extend(overrides.headers.clone());
        ClientHandle {
            inner: Arc::new(Inner {
                service: inner.service,
                http: Arc::clone(&inner.http),
                sleep: Arc::clone(&inner.sleep),
                clock: Arc::clone(&inner.clock),
                quota: inner.quota.clone(),
                endpoint: OnceLock::new(),
                operation_endpoints: ParamsCache::new(ENDPOINT_CACHE_CAPACITY),
                user_agent: inner.user_agent.clone(),
                endpoint_url: overrides.endpoint_url.clone().or_else(|| inner.endpoint_url.clone()),
                extra_headers,
                override_error: overrides.error.clone().or_else(|| inner.override_error.clone()),
                config,
            }),
        }
    }

    /// The configuration the handle was made with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service the handle calls.
    pub fn service(&self) -> &'static ServiceSpec {
        self.inner.service
    }

    /// The endpoint for this handle's configuration, resolved with the
    /// service's rules on first use and kept.
    pub(crate) fn endpoint(&self) -> Result<&PreparedEndpoint, EndpointError> {
        if let Some(endpoint) = self.inner.endpoint.get() {
            return Ok(endpoint);
        }
        let prepared = self.resolve_endpoint(&EndpointParams::new())?;
        Ok(self.inner.endpoint.get_or_init(|| prepared))
    }

    /// The endpoint for one call whose operation set `operation_params`
    /// (from its input and its static context parameters). With none, or
    /// without endpoint rules, it is the client's [`endpoint`](Self::endpoint);
    /// otherwise the operation's parameters go on top of the client's and
    /// the result is kept by those parameters, so calls with the same ones
    /// (the same bucket, the same table) resolve once.
    pub(crate) fn endpoint_for(
        &self,
        operation_params: &EndpointParams,
    ) -> Result<CallEndpoint<'_>, EndpointError> {
        if operation_params.is_empty() || self.inner.service.endpoint_rules.is_none() {
            return self.endpoint().map(CallEndpoint::Client);
        }
        let cache = &self.inner.operation_endpoints;
        if let Some(endpoint) = cache.get(operation_params) {
            return Ok(CallEndpoint::Operation(endpoint));
        }
        let endpoint = Arc::new(self.resolve_endpoint(operation_params)?);
        cache.insert(operation_params.clone(), Arc::clone(&endpoint));
        Ok(CallEndpoint::Operation(endpoint))
    }

    /// Resolves with the built-ins and client context parameters of the
    /// configuration, then `operation_params` on top.
    fn resolve_endpoint(
        &self,
        operation_params: &EndpointParams,
    ) -> Result<PreparedEndpoint, EndpointError> {
        let config = &self.inner.config;
        let service = self.inner.service;
        let Some(rules) = service.endpoint_rules else {
            let Some(url) = self.inner.endpoint_url.as_deref() else {
                return Err(EndpointError::new(
                    format!("{} has no endpoint rules, so `endpoint_url` must be set", service.service_id),
                    None,
                ));
            };
            let endpoint = crate::endpoint::Endpoint {
                url: url.to_string(),
                headers: Default::default(),
                properties: Default::default(),
            };
            return PreparedEndpoint::new(&endpoint);
        };
        let rules = rules.get().map_err(|e| {
            EndpointError::new(
                format!(
                    "the endpoint rules of {} cannot be loaded: {e}",
                    service.service_id
                ),
                Some(Box::new(e)),
            )
        })?;
        let mut params = EndpointParams::from_builtins(
            config.region().map(|region| region.as_str()),
            config.use_fips(),
            config.use_dual_stack(),
            self.inner.endpoint_url.as_deref(),
            rules,
        );
        params.extend_declared(config.client_context_params(), rules);
        params.extend(operation_params);
        let endpoint = rules.resolve(&params).map_err(|e| {
            if config.region().is_none() && self.inner.endpoint_url.is_none() {
                EndpointError::missing_region(missing_region_message(config, &e), Some(Box::new(e)))
            } else {
                EndpointError::new(
                    format!("cannot resolve the {} endpoint: {e}", service.service_id),
                    Some(Box::new(e)),
                )
            }
        })?;
        tracing::debug!(
            service = service.service_id,
            url = %super::config::redact_userinfo(&endpoint.url),
            "resolved endpoint"
        );
        PreparedEndpoint::new(&endpoint)
    }
}

/// The endpoint one call uses: the client's, or one resolved for the
/// operation's parameters.
#[derive(Debug)]
pub(crate) enum CallEndpoint<'a> {
    Client(&'a PreparedEndpoint),
    Operation(Arc<PreparedEndpoint>),
}

impl std::ops::Deref for CallEndpoint<'_> {
    type Target = PreparedEndpoint;

    fn deref(&self) -> &PreparedEndpoint {
        match self {
            CallEndpoint::Client(endpoint) => endpoint,
            CallEndpoint::Operation(endpoint) => endpoint,
        }
    }
}

/// The message for a call that needs a region and has none.
pub(crate) fn missing_region_message(config: &Config, cause: &dyn fmt::Display) -> String {
    let mut message = String::from(
        "no region is configured, so no endpoint can be chosen: set one with \
         `ConfigBuilder::region`, the AWS_REGION environment variable or a profile's \
         `region` (loaded by `Config::from_env`), or set `endpoint_url`",
    );
    if let Some(why) = config.region_error() {
        message.push_str(" (");
        message.push_str(why);
        message.push(')');
    }
    message.push_str("; the endpoint rules said: ");
    message.push_str(&cause.to_string());
    message
}

impl fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientHandle")
            .field("service", &self.inner.service.service_id)
            .field("config", &self.inner.config)
            .field("http", &self.inner.http)
            .field(
                "endpoint",
                &self.inner.endpoint.get().map(PreparedEndpoint::display),
            )
            .finish_non_exhaustive()
    }
}

/// `smithy-runtime/0.1.0 api/ivs-realtime#2020-07-14 os/linux lang/rust`,
/// sent as both `User-Agent` and `x-amz-user-agent`.
/// Settings for one call only, given to a fluent builder's `customize`:
/// retries, timeouts, the endpoint URL, extra headers and interceptors.
/// Everything not set keeps the client's value.
///
/// ```
/// use smithy_runtime::behavior::retry::RetryConfig;
/// use smithy_runtime::client::CallOverrides;
///
/// let overrides = CallOverrides::new()
///     .retry_config(RetryConfig::disabled())
///     .endpoint_url("http://localhost:4566")
///     .header("x-debug-trace", "1");
/// # let _ = overrides;
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOverrides {
    retry_config: Option<RetryConfig>,
    timeout_config: Option<TimeoutConfig>,
    endpoint_url: Option<String>,
    headers: http::HeaderMap,
    interceptors: Vec<SharedInterceptor>,
    error: Option<String>,
}

impl CallOverrides {
    /// Nothing overridden.
    pub fn new() -> Self {
        Self::default()
    }

    /// Attempts and backoff for this call.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry_config = Some(retry);
        self
    }

    /// Attempt and operation timeouts for this call (the connect timeout
    /// belongs to the shared HTTP client and stays).
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeout_config = Some(timeouts);
        self
    }

    /// The endpoint URL for this call.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// A header added to the request (and signed). An invalid name or value
    /// makes the call fail with a construction error naming it.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (http::HeaderName::try_from(name), http::HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            _ => {
                self.error
                    .get_or_insert_with(|| format!("the header override `{name}: {value}` is not a valid header"));
            }
        }
        self
    }

    /// An interceptor for this call, after the client's.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }
}

/// The endpoint URL a client of `service` uses when it has no endpoint
/// rules to choose one or overrides them: the one set in code, else the one
/// configured for the service outside code.
fn endpoint_url(config: &Config, service: &ServiceSpec) -> Option<String> {
    if let Some(url) = config.endpoint_url() {
        return Some(url.to_owned());
    }
    let (url, source) = config.configured_endpoint_urls()?.for_service(service.service_id)?;
    tracing::debug!(service = service.service_id, %source, "endpoint URL configured outside code");
    Some(url)
}

fn user_agent(service: &ServiceSpec, app_name: Option<&str>) -> HeaderValue {
    let mut text = format!(
        "{}/{} api/{}#{} os/{} lang/rust",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        ua_token(service.service_id),
        ua_token(service.api_version),
        ua_token(std::env::consts::OS),
    );
    if let Some(name) = app_name {
        text.push_str(" app/");
        // An HTTP token, case kept; anything else becomes `-`.
        text.extend(name.chars().map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => c,
            '!' | '#' | '$' | '%' | '&' | '\'' | '*' | '+' | '-' | '.' | '^' | '_' | '`' | '|' | '~' => c,
            _ => '-',
        }));
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| {
        HeaderValue::from_static(concat!(
            env!("CARGO_PKG_NAME"),
            "/",
            env!("CARGO_PKG_VERSION")
        ))
    })
}

/// Lowercase letters, digits, `.` and `-`; anything else becomes `-`.
fn ua_token(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '-' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    static RULES: LazyRuleSet = LazyRuleSet::new(
        r#"{"version": "1.0",
            "parameters": {"Region": {"type": "string", "builtIn": "AWS::Region"}},
            "rules": [{"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                       "endpoint": {"url": "https://svc.{Region}.example.com"}},
                      {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}]}"#,
    );
    static SERVICE: ServiceSpec = ServiceSpec {
        service_id: "Test Service",
        signing_name: "test",
        endpoint_rules: Some(&RULES),
        api_version: "2024-01-01",
        protocol: crate::protocol::Protocol::RestJson1,
        query_compatible: false,
        retryable_errors: &[],
    };

    #[test]
    fn user_agent_names_crate_service_and_version() {
        let ua = user_agent(&SERVICE, None);
        let text = ua.to_str().unwrap_or_default();
        assert!(
            text.starts_with(&format!(
                "smithy-runtime/{} api/test-service#2024-01-01 os/",
                env!("CARGO_PKG_VERSION")
            )),
            "{text}"
        );
        assert_eq!(ua_token("IVS RealTime"), "ivs-realtime");
        let with_app = user_agent(&SERVICE, Some("My App_1.0"));
        assert!(
            with_app.to_str().unwrap_or_default().ends_with(" lang/rust app/My-App_1.0"),
            "{with_app:?}"
        );
    }

    #[test]
    fn endpoint_is_resolved_once_and_kept() {
        let handle = ClientHandle::new(&Config::builder().region("eu-west-1").build(), &SERVICE);
        assert!(
            handle.inner.endpoint.get().is_none(),
            "nothing resolved at creation"
        );
        let url = handle.endpoint().map(|e| e.display().to_owned());
        assert_eq!(
            url.ok().as_deref(),
            Some("https://svc.eu-west-1.example.com")
        );
        let clone = handle.clone();
        assert!(
            clone.inner.endpoint.get().is_some(),
            "clones share the endpoint"
        );
    }

    static BUCKET_RULES: LazyRuleSet = LazyRuleSet::new(
        r#"{"version": "1.0",
            "parameters": {
              "Region": {"type": "string", "builtIn": "AWS::Region", "required": true},
              "Bucket": {"type": "string"},
              "Accelerate": {"type": "boolean", "required": true, "default": false}},
            "rules": [
              {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                                                  {"fn": "booleanEquals", "argv": [{"ref": "Accelerate"}, true]}],
               "endpoint": {"url": "https://{Bucket}.fast.example.com"}},
              {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]}],
               "endpoint": {"url": "https://{Bucket}.{Region}.example.com"}},
              {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region}.example.com"}}]}"#,
    );
    static BUCKET_SERVICE: ServiceSpec = ServiceSpec {
        service_id: "Bucket Service",
        signing_name: "test",
        endpoint_rules: Some(&BUCKET_RULES),
        api_version: "2024-01-01",
        protocol: crate::protocol::Protocol::RestJson1,
        query_compatible: false,
        retryable_errors: &[],
    };

    fn url_for(handle: &ClientHandle, params: &EndpointParams) -> String {
        match handle.endpoint_for(params) {
            Ok(endpoint) => endpoint.display().to_owned(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn operation_params_resolve_per_call_and_are_cached_by_value() {
        let handle = ClientHandle::new(
            &Config::builder().region("eu-west-1").build(),
            &BUCKET_SERVICE,
        );
        let bucket = |name: &str| EndpointParams::new().set_str("Bucket", name);
        assert_eq!(url_for(&handle, &EndpointParams::new()), "https://eu-west-1.example.com");
        assert!(handle.inner.endpoint.get().is_some(), "no operation parameters: the client's endpoint");
        assert_eq!(handle.inner.operation_endpoints.len(), 0);
        assert_eq!(url_for(&handle, &bucket("logs")), "https://logs.eu-west-1.example.com");
        assert_eq!(url_for(&handle, &bucket("media")), "https://media.eu-west-1.example.com");
        assert_eq!(handle.inner.operation_endpoints.len(), 2);
        let first = handle.endpoint_for(&bucket("logs")).ok();
        let again = handle.endpoint_for(&bucket("logs")).ok();
        match (first, again) {
            (Some(CallEndpoint::Operation(a)), Some(CallEndpoint::Operation(b))) => {
                assert!(Arc::ptr_eq(&a, &b), "the second call reuses the cached endpoint")
            }
            other => panic!("expected cached operation endpoints, got {other:?}"),
        }
        assert_eq!(handle.inner.operation_endpoints.len(), 2);
        assert_eq!(
            url_for(&handle, &EndpointParams::new()),
            "https://eu-west-1.example.com",
            "the client's endpoint is untouched by operation parameters"
        );
    }

    #[test]
    fn client_context_params_reach_every_resolution() {
        let config = Config::builder()
            .region("eu-west-1")
            .set_client_context_param("Accelerate", Some(crate::endpoint::Value::Bool(true)))
            .set_client_context_param("NotDeclared", Some(crate::endpoint::Value::Bool(true)))
            .build();
        let handle = ClientHandle::new(&config, &BUCKET_SERVICE);
        let params = EndpointParams::new().set_str("Bucket", "logs");
        assert_eq!(url_for(&handle, &params), "https://logs.fast.example.com");
        assert_eq!(url_for(&handle, &EndpointParams::new()), "https://eu-west-1.example.com");
    }

    #[test]
    fn a_failed_operation_resolution_is_not_cached() {
        let handle = ClientHandle::new(&Config::builder().build(), &BUCKET_SERVICE);
        let params = EndpointParams::new().set_str("Bucket", "logs");
        let text = url_for(&handle, &params);
        assert!(text.starts_with("error: no region is configured"), "{text}");
        assert_eq!(handle.inner.operation_endpoints.len(), 0);
        let wrong = EndpointParams::new().set_bool("Bucket", true);
        let text = url_for(&ClientHandle::new(&Config::builder().region("eu-west-1").build(), &BUCKET_SERVICE), &wrong);
        assert!(text.contains("Bucket"), "{text}");
    }

    #[test]
    fn missing_region_says_so_and_where_it_looked() {
        let config = super::super::config::ConfigBuilder::from_environment(
            &crate::config::environment::Environment::empty(),
        )
        .build();
        let handle = ClientHandle::new(&config, &SERVICE);
        let err = handle
            .endpoint()
            .err()
            .map(|e| (e.is_missing_region(), e.to_string()));
        let (missing, text) = err.unwrap_or_default();
        assert!(missing);
        assert!(text.starts_with("no region is configured"), "{text}");
        assert!(text.contains("AWS_DEFAULT_REGION unset"), "{text}");
        assert!(
            text.ends_with("the endpoint rules said: Invalid Configuration: Missing Region"),
            "{text}"
        );
    }
}
