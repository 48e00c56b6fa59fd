//! The call pipeline: [`ClientHandle::call`].

use std::future::ready;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, HOST, USER_AGENT};
use http::{Method, Request, Response, Uri, Version};
use tracing::field::Empty;
use tracing::Instrument;

use super::endpoint::PreparedEndpoint;
use super::error::{
    ConstructionError, CreateUnhandledError, DispatchError, EndpointError, ResponseError, SdkError,
    ServiceError, TimeoutError,
};
use super::handle::{missing_region_message, AuthScheme, ClientHandle, OperationSpec};
use super::interceptor::{run_hook, CallContext, InterceptorError, SharedInterceptor};
use crate::auth::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideToken};
use crate::auth::sigv4::{self, Payload, SigningParams, SigningSettings, UriEncoding};
use crate::behavior::retry::classify::ErrorPolicy;
#[cfg(doc)]
use crate::behavior::attempts::send_with_retries_after;
use crate::behavior::attempts::{
    send_via, AttemptInfo, Buffered, Exchange, FinalResponse, SendContext, SendErrorKind, Streaming,
};
use crate::behavior::retry::clock_skew::SkewedClock;
use crate::behavior::sleep::{SharedTimeSource, TimeSource};
use crate::endpoint::EndpointParams;
use crate::event_stream::{EventSigningParams, SigningSlot};
use crate::http::{BoxError, HttpVersionPreference, OperationName};
use crate::primitives::ByteStream;
use crate::protocol::{self, DeserializeError, ErrorMetadata, HostPrefix, SerializeError};

/// The `x-amz-user-agent` header.
const X_AMZ_USER_AGENT: HeaderName = HeaderName::from_static("x-amz-user-agent");

impl ClientHandle {
    /// Runs one operation: the pipeline every generated operation's `send`
    /// calls.
    ///
    /// 1. `request` (from the operation's serializer, with a path-and-query
    ///    URI) failing is [`SdkError::Construction`]. An
    ///    [`OperationSpec::request_compression`] operation's body is then
    ///    gzipped as the configuration allows, before anything is signed.
    /// 2. The endpoint is resolved from the service's rules and the
    ///    configuration (region, FIPS, dual-stack, `endpoint_url`, client
    ///    context parameters) on the first call and kept (see
    ///    [`call_with_endpoint_params`](Self::call_with_endpoint_params) for
    ///    operations that add parameters); the request's path and query are joined onto
    ///    the endpoint URL (after any base path it has), a [`HostPrefix`]
    ///    request extension is put in front of the host, and the endpoint's
    ///    headers are added. Failure is [`SdkError::Endpoint`].
    /// 3. The operation's auth is chosen once per call (see
    ///    [`OperationSpec::auth`]), inside the operation timeout
    ///    ([`send_with_retries_after`]): the first of its schemes this
    ///    runtime supports and has an identity for (credentials for SigV4, a
    ///    token for bearer auth), loaded now. None usable is
    ///    [`SdkError::Credentials`], unless the operation has no schemes or
    ///    is `@optionalAuth`: then the request is sent unsigned. A provider
    ///    still loading when the operation timeout passes is
    ///    [`SdkError::Timeout`] whose
    ///    [`SendError::phase`](crate::behavior::attempts::SendError::phase) is
    ///    `loading credentials`.
    /// 4. [`send_with_retries_after`] sends up to the configured number of
    ///    attempts, each signed afresh with SigV4 (region and signing name
    ///    from the endpoint's `authSchemes` when present, else the configured
    ///    region and the service's signing name) or carrying the bearer
    ///    token, and each carrying `User-Agent`,
    ///    `x-amz-user-agent`, `amz-sdk-invocation-id` and `amz-sdk-request`.
    ///    No response at all is [`SdkError::Dispatch`] or
    ///    [`SdkError::Timeout`].
    /// 5. A 2xx response goes to `parse_output`; its failure is
    ///    [`SdkError::Response`] with the status and request id. Any other
    ///    response's [`ErrorMetadata`] is read
    ///    ([`protocol::error_metadata`]) and handed with the response to
    ///    `parse_error`, giving [`SdkError::Service`]; if `parse_error`
    ///    fails, the service error is `E::create_unhandled` with the metadata
    ///    and the [`DeserializeError`] as its source.
    ///
    /// The call runs in a `debug` tracing span named `call` with the fields
    /// `service`, `operation`, `attempts`, `status` and `request_id`; each
    /// attempt runs in a child span named `attempt`. No header value,
    /// credential or body is ever recorded.
    pub async fn call<O, E>(
        &self,
        op: &'static OperationSpec,
        request: Result<Request<Bytes>, SerializeError>,
        parse_output: fn(&Response<Bytes>) -> Result<O, DeserializeError>,
        parse_error: fn(&Response<Bytes>, ErrorMetadata) -> Result<E, DeserializeError>,
    ) -> Result<O, SdkError<E>>
    where
        E: CreateUnhandledError,
    {
        self.call_with_endpoint_params(op, EndpointParams::new(), request, parse_output, parse_error)
            .await
    }

    /// Runs the interceptors' `read_before_serialization` with `input`;
    /// generated `send` methods call it before serializing.
    pub fn read_before_serialization(
        &self,
        op: &'static OperationSpec,
        input: &dyn std::fmt::Debug,
    ) -> Result<(), InterceptorError> {
        let interceptors = self.inner.config.interceptor_list();
        if interceptors.is_empty() {
            return Ok(());
        }
        let ctx = self.call_context(op, 0);
        run_hook(interceptors, "read_before_serialization", |i| i.read_before_serialization(&ctx, input))
    }

    fn call_context(&self, op: &'static OperationSpec, attempt: u32) -> CallContext<'static> {
        CallContext {
            service: self.inner.service.service_id,
            operation: op.name,
            attempt,
        }
    }

    /// [`call`](Self::call) for an operation that sets endpoint parameters
    /// (`smithy.rules#contextParam`, `staticContextParams`,
    /// `operationContextParams`): `endpoint_params` go on top of the
    /// client's built-ins and client context parameters, and the endpoint
    /// is resolved for them (once per distinct set of values, then kept)
    /// instead of taking the client's. With no parameters it is `call`.
    pub async fn call_with_endpoint_params<O, E>(
        &self,
        op: &'static OperationSpec,
        endpoint_params: EndpointParams,
        request: Result<Request<Bytes>, SerializeError>,
        parse_output: fn(&Response<Bytes>) -> Result<O, DeserializeError>,
        parse_error: fn(&Response<Bytes>, ErrorMetadata) -> Result<E, DeserializeError>,
    ) -> Result<O, SdkError<E>>
    where
        E: CreateUnhandledError,
    {
        let parse = |response: Response<Bytes>| parse_output(&response).map_err(|error| Box::new((error, response)));
        self.run(op, endpoint_params, request, parse, parse_error).await
    }

    /// Runs an operation whose input or output streams (a `@streaming` blob
    /// or an event stream): [`call_with_endpoint_params`](Self::call_with_endpoint_params)
    /// with a [`ByteStream`] body each way. Pass an empty
    /// [`EndpointParams`] when the operation sets none.
    ///
    /// The pipeline is `call`'s, with these differences:
    ///
    /// * The request body is sent as it is read, with `Content-Length` when
    ///   its length is known and chunked otherwise. An
    ///   [`OperationSpec::requires_length`] operation whose body has no
    ///   known length fails with [`SdkError::Construction`] naming the
    ///   operation, before anything is sent. Streaming bodies are not
    ///   compressed.
    /// * Each attempt sends a fresh copy of the body
    ///   ([`ByteStream::try_clone`]): bytes are shared, a file is read again
    ///   from its start. A body that cannot be replayed (a stream) is sent
    ///   once: a failure that would have been retried is returned as it is,
    ///   and a transport failure or timeout says why it was not retried
    ///   ([`SendError::not_retried`](crate::behavior::attempts::SendError::not_retried)).
    /// * SigV4 signs a body in memory by its hash, as `call` does; a file by
    ///   its hash too, read through once before the first attempt (streamed,
    ///   not buffered); any other body, and every body of an
    ///   [`OperationSpec::unsigned_payload`] operation, as `UNSIGNED-PAYLOAD`.
    ///   `x-amz-content-sha256` carries that hash where the signing settings
    ///   send it (S3).
    /// * A request with a [`SigningSlot`] extension (an input event stream)
    ///   is signed with the payload `STREAMING-AWS4-HMAC-SHA256-EVENTS`,
    ///   sent as `x-amz-content-sha256` too; the slot is then given the
    ///   request's signature, credentials, region, signing name and clock
    ///   ([`EventSigningParams`]) before the body is read, so that the body
    ///   signs each message in the chain.
    /// * The attempt and operation timeouts bound the call until the
    ///   response head arrives, which over HTTP/1.1 is after the whole
    ///   request body has been sent: an upload longer than them (30 s and
    ///   100 s by default) needs them raised, for example per call with
    ///   `CallOverrides::timeout_config`. Reading a response body is not
    ///   bounded by them.
    /// * A 2xx response is handed to `parse_output` with its body unread
    ///   (and not capped in size). Any other response's body is read whole,
    ///   within the configured response body cap, and parsed like `call`'s.
    /// * Interceptors see a body in memory as it is and a streamed body as
    ///   empty; one that sets a non-empty body replaces the stream with it.
    ///   `read_after_response` sees a 2xx response's head with an empty body.
    pub async fn call_streaming<O, E>(
        &self,
        op: &'static OperationSpec,
        endpoint_params: EndpointParams,
        request: Result<Request<ByteStream>, SerializeError>,
        parse_output: fn(Response<ByteStream>) -> Result<O, DeserializeError>,
        parse_error: fn(&Response<Bytes>, ErrorMetadata) -> Result<E, DeserializeError>,
    ) -> Result<O, SdkError<E>>
    where
        E: CreateUnhandledError,
    {
        let parse = |response: Response<ByteStream>| {
            let head = ByteStream::buffered(&response);
            parse_output(response).map_err(|error| Box::new((error, head)))
        };
        self.run(op, endpoint_params, request, parse, parse_error).await
    }

    /// The whole pipeline, in a `debug` span named `call`: steps 1 to 4
    /// ([`send`](Self::send)), then 5: the response the attempts ended
    /// with, through the `read_after_response` interceptors, to the output
    /// or the operation's error. `parse_output` gives back, on failure, the
    /// response to keep in the [`ResponseError`].
    async fn run<B, O, E>(
        &self,
        op: &'static OperationSpec,
        endpoint_params: EndpointParams,
        request: Result<Request<B>, SerializeError>,
        parse_output: impl FnOnce(Response<B>) -> Result<O, Box<(DeserializeError, Response<Bytes>)>>,
        parse_error: fn(&Response<Bytes>, ErrorMetadata) -> Result<E, DeserializeError>,
    ) -> Result<O, SdkError<E>>
    where
        B: CallBody,
        E: CreateUnhandledError,
    {
        let span = tracing::debug_span!(
            "call",
            service = self.inner.service.service_id,
            operation = op.name,
            attempts = Empty,
            status = Empty,
            request_id = Empty,
        );
        let sent = self
            .send(op, &endpoint_params, request)
            .instrument(span.clone())
            .await
            .map_err(Failure::into_sdk_error)?;
        let FinalResponse { response, attempts, not_retried } = sent;
        let status = response.status();
        let interceptors = self.inner.config.interceptor_list();
        if !interceptors.is_empty() {
            let ctx = self.call_context(op, attempts);
            let hook = B::with_buffered(&response, |response| {
                run_hook(interceptors, "read_after_response", |i| i.read_after_response(&ctx, response))
            });
            if let Err(error) = hook {
                let error = DeserializeError::new("", error.to_string());
                let response = B::into_buffered(response);
                let request_id = protocol::request_id(response.headers());
                return Err(SdkError::Response(ResponseError::new(error, request_id, response)));
            }
        }
        // The request id is read here only for a subscriber that listens:
        // the output and the errors read it themselves.
        if !span.is_disabled() {
            span.record("attempts", attempts);
            span.record("status", status.as_u16());
            span.record("request_id", protocol::request_id(response.headers()).as_deref());
        }
        let _entered = span.enter();

        if status.is_success() {
            if status.as_u16() != op.http_success_code {
                tracing::debug!(
                    expected = op.http_success_code,
                    "success status differs from the modeled one"
                );
            }
            return match parse_output(response) {
                Ok(output) => {
                    tracing::debug!("call succeeded");
                    Ok(output)
                }
                Err(failed) => {
                    let (error, response) = *failed;
                    tracing::debug!(%error, "success response could not be read");
                    let request_id = protocol::request_id(response.headers());
                    Err(SdkError::Response(ResponseError::new(
                        error, request_id, response,
                    )))
                }
            };
        }
        let response = B::into_buffered(response);
        let service = self.inner.service;
        let meta = service.protocol.error_metadata(
            service.query_compatible,
            status.as_u16(),
            response.headers(),
            response.body(),
        );
        tracing::debug!(code = meta.code(), "service returned an error");
        let err = match parse_error(&response, meta.clone()) {
            Ok(err) => err,
            Err(error) => {
                tracing::debug!(%error, "error response could not be read");
                E::create_unhandled(meta.clone(), Some(Box::new(error)))
            }
        };
        let mut error = ServiceError::new(err, meta, response);
        if let Some(why) = not_retried {
            error = error.with_not_retried(why);
        }
        Err(SdkError::Service(error))
    }

    /// Steps 1 to 4 of [`call`](Self::call), shared by every operation
    /// (generic only over the body, so compiled once for buffered calls
    /// and once for streaming ones).
    async fn send<B: CallBody>(
        &self,
        op: &'static OperationSpec,
        endpoint_params: &EndpointParams,
        request: Result<Request<B>, SerializeError>,
    ) -> Result<FinalResponse<B>, Failure> {
        let inner = &*self.inner;
        let mut request = request.map_err(|e| Failure::Construction(e.into()))?;
        if let Some(error) = &inner.override_error {
            return Err(Failure::Construction(ConstructionError::new(error.clone())));
        }
        if !inner.extra_headers.is_empty() {
            request.headers_mut().extend(inner.extra_headers.clone());
        }
        if let Some(error) = inner.config.setting_error() {
            return Err(Failure::Construction(ConstructionError::new(error.clone())));
        }
        B::prepare(self, op, &mut request)?;
        let endpoint = self.endpoint_for(endpoint_params).map_err(Failure::Endpoint)?;
        let endpoint = &*endpoint;
        let template = Template::new(op, request, endpoint, &inner.user_agent, inner.http.reads_operation_name())?;
        let exchange = B::exchange(self, &template.body);
        let payload = B::payload(op, &template.body);
        // Chosen inside the operation timeout: a provider that never
        // answers ends the call as a timeout instead of hanging it; a file
        // body is hashed there too.
        let prepare = async {
            let auth = self.resolve_auth(op, endpoint).await?;
            let payload = payload.resolve(matches!(auth, Auth::Sigv4 { .. })).await?;
            Ok::<_, Failure>(Prepared { auth, payload })
        };

        let ctx = SendContext {
            operation: op.name,
            http: &*inner.http,
            sleep: &*inner.sleep,
            retry: inner.config.retry_config(),
            timeouts: inner.config.timeout_config(),
            quota: &inner.quota,
            errors: ErrorPolicy {
                protocol: inner.service.protocol,
                query_compatible: inner.service.query_compatible,
                retryable: inner.service.retryable_errors,
            },
            clock: Some(&inner.clock),
            rate_limiter: inner.rate_limiter.as_ref(),
        };
        // Requests are signed with the client's clock, corrected after a
        // clock-skew error.
        let clock = &inner.clock;
        let hooks = Hooks {
            interceptors: inner.config.interceptor_list(),
            service: inner.service.service_id,
        };
        let outcome = send_via(ctx, &exchange, LOADING_CREDENTIALS, prepare, |prepared, attempt| {
            ready(template.authorized(&attempt, prepared, clock, &hooks))
        })
        .await;
        outcome.map_err(|error| {
            let target = endpoint.display().to_owned();
            match error.kind() {
                SendErrorKind::Prepare => prepare_failure(error),
                SendErrorKind::BuildRequest => {
                    let source = error
                        .into_source()
                        .unwrap_or_else(|| "the request could not be signed".into());
                    if source.is::<InterceptorError>() {
                        Failure::Construction(ConstructionError::new(source))
                    } else {
                        Failure::Construction(ConstructionError::signing(source))
                    }
                }
                _ if error.is_timeout() => {
                    Failure::Timeout(TimeoutError::new(op.name, target, error))
                }
                _ => Failure::Dispatch(DispatchError::new(op.name, target, error)),
            }
        })
    }

    /// Gzips the body of an `@requestCompression` operation's request as
    /// the configuration says (`compression::compress_request`),
    /// before it is signed. A compression setting that could not be used
    /// fails the call here.
    fn compress(&self, request: &mut Request<Bytes>) -> Result<(), Failure> {
        let config = &self.inner.config;
        if let Some(error) = config.request_compression_error() {
            return Err(Failure::Construction(ConstructionError::new(error.clone())));
        }
        #[cfg(feature = "request-compression")]
        crate::compression::compress_request(request, config.request_compression());
        #[cfg(not(feature = "request-compression"))]
        {
            let _ = request;
            tracing::debug!("request sent uncompressed: the runtime's `request-compression` feature is off");
        }
        Ok(())
    }

    /// How this call authenticates: the first of `op.auth` (the model's
    /// order) that this runtime supports and has an identity for. A scheme
    /// whose identity cannot be loaded is passed over for the next; when
    /// none is left, an `@optionalAuth` operation (or one with no schemes)
    /// goes unsigned, any other fails with why each scheme could not be
    /// used.
    async fn resolve_auth<'a>(
        &'a self,
        op: &OperationSpec,
        endpoint: &'a PreparedEndpoint,
    ) -> Result<Auth<'a>, Failure> {
        let mut unusable: Vec<(AuthScheme, CredentialsError)> = Vec::new();
        for &scheme in op.auth {
            let error = match scheme {
                AuthScheme::Sigv4 => match self.load_credentials().await {
                    Ok(credentials) => {
                        let scope = self.signing_scope(endpoint)?;
                        tracing::debug!(scheme = scheme.id(), "auth scheme chosen");
                        return Ok(Auth::Sigv4 { scope, credentials });
                    }
                    Err(error) => error,
                },
                AuthScheme::HttpBearer => match self.load_bearer_header().await {
                    Ok(header) => {
                        tracing::debug!(scheme = scheme.id(), "auth scheme chosen");
                        return Ok(Auth::Bearer(header));
                    }
                    Err(error) => error,
                },
                AuthScheme::Unsupported(id) => CredentialsError::unhandled(format!(
                    "operation `{}` accepts auth scheme `{id}`, which this client does not support yet",
                    op.name
                )),
            };
            tracing::debug!(scheme = scheme.id(), %error, "auth scheme passed over");
            unusable.push((scheme, error));
        }
        if op.optional_auth || op.auth.is_empty() {
            tracing::debug!("request sent unsigned");
            return Ok(Auth::Anonymous);
        }
        Err(Failure::Credentials(no_usable_scheme(op, unusable)))
    }

    async fn load_credentials(&self) -> Result<Credentials, CredentialsError> {
        match self.inner.config.credentials_provider() {
            Some(provider) => provider.provide_credentials().await,
            None => Err(no_provider_error()),
        }
    }

    /// `Bearer <token>` from the configured token provider, marked sensitive.
    async fn load_bearer_header(&self) -> Result<HeaderValue, CredentialsError> {
        let token = match self.inner.config.token_provider() {
            Some(provider) => provider.provide_token().await?,
            None => return Err(no_token_provider_error()),
        };
        let value = format!("Bearer {}", token.as_str());
        let mut header = HeaderValue::try_from(value).map_err(|_| {
            CredentialsError::invalid_configuration(
                "the bearer token cannot be sent: it holds characters no HTTP header can carry",
            )
        })?;
        header.set_sensitive(true);
        Ok(header)
    }

    /// The region and name to sign with: the endpoint's `authSchemes` when
    /// it names them, else the configured region and the service's signing
    /// name.
    fn signing_scope<'a>(&'a self, endpoint: &'a PreparedEndpoint) -> Result<Scope<'a>, Failure> {
        let overrides = endpoint.signing();
        let config = &self.inner.config;
        let region = match (&overrides.region, config.region()) {
            (Some(region), _) => region.as_str(),
            (None, Some(region)) => region.as_str(),
            (None, None) => {
                return Err(Failure::Endpoint(EndpointError::missing_region(
                    missing_region_message(
                        config,
                        &"requests are signed for a region, even to a custom endpoint_url",
                    ),
                    None,
                )))
            }
        };
        let name = overrides.name.as_deref().unwrap_or(self.inner.service.signing_name);
        let settings = signing_settings_for(name, overrides.uri_encoding());
        Ok(Scope {
            region,
            name,
            settings,
        })
    }
}

/// The phase before the first attempt, as timeout messages name it.
const LOADING_CREDENTIALS: &str = "loading credentials";

/// The provider's error back from a [`SendErrorKind::Prepare`] failure
/// (loading credentials is the only preparation, so it is always one).
/// The failure of choosing the call's auth ([`ClientHandle::resolve_auth`]),
/// handed back through the retry loop's preparation step.
fn prepare_failure(error: crate::behavior::attempts::SendError) -> Failure {
    match error.into_source().map(|source| source.downcast::<Failure>()) {
        Some(Ok(failure)) => *failure,
        Some(Err(other)) => Failure::Credentials(CredentialsError::unhandled(other.to_string())),
        None => Failure::Credentials(CredentialsError::unhandled("credentials could not be loaded")),
    }
}

fn no_provider_error() -> CredentialsError {
    CredentialsError::not_loaded(
        "no credentials provider is configured: set one with \
         `ConfigBuilder::credentials_provider`, or load the configuration with \
         `Config::from_env()` to use the default chain (environment variables, the \
         shared profile files, the ECS container endpoint, then EC2 instance metadata)",
    )
}

fn no_token_provider_error() -> CredentialsError {
    CredentialsError::not_loaded(
        "no bearer token is configured: set one with `ConfigBuilder::bearer_token`, \
         or a provider with `ConfigBuilder::token_provider`",
    )
}

/// The error of a call none of whose auth schemes could be used: the one
/// reason when there was one scheme, else every scheme with its reason.
fn no_usable_scheme(
    op: &OperationSpec,
    mut unusable: Vec<(AuthScheme, CredentialsError)>,
) -> CredentialsError {
    if unusable.len() == 1 {
        if let Some((_, error)) = unusable.pop() {
            return error;
        }
    }
    let kind = unusable.first().map_or(
        crate::auth::credentials::CredentialsErrorKind::Unhandled,
        |(_, e)| e.kind(),
    );
    let reasons: Vec<String> = unusable
        .iter()
        .map(|(scheme, error)| format!("`{}`: {error}", scheme.id()))
        .collect();
    CredentialsError::new(
        kind,
        format!(
            "no auth scheme of operation `{}` can be used: {}",
            op.name,
            reasons.join("; ")
        ),
    )
}

/// How every attempt of one call authenticates.
enum Auth<'a> {
    /// `@auth([])`, or `@optionalAuth` with no identity: sent unsigned.
    Anonymous,
    Sigv4 {
        scope: Scope<'a>,
        credentials: Credentials,
    },
    /// The whole `Authorization` header value.
    Bearer(HeaderValue),
}

/// What every attempt is signed for, borrowed from the endpoint and the
/// client's configuration for the length of the call.
struct Scope<'a> {
    region: &'a str,
    name: &'a str,
    settings: SigningSettings,
}

/// The request as every attempt sends it before signing: final URI,
/// endpoint headers and user agent in place; the body as the attempts take
/// it ([`CallBody::Stored`]).
struct Template<B: CallBody> {
    operation: &'static str,
    /// Whether each attempt carries the [`OperationName`] extension (the
    /// HTTP client reads it).
    name_extension: bool,
    /// HTTP/2 for an [`OperationSpec::http2`] operation; a request extension.
    http_version: HttpVersionPreference,
    method: Method,
    uri: Uri,
    version: Version,
    headers: http::HeaderMap,
    body: B::Stored,
}

impl<B: CallBody> Template<B> {
    fn new(
        op: &'static OperationSpec,
        request: Request<B>,
        endpoint: &PreparedEndpoint,
        user_agent: &http::HeaderValue,
        name_extension: bool,
    ) -> Result<Self, Failure> {
        let (mut parts, body) = request.into_parts();
        let host_prefix = parts.extensions.remove::<HostPrefix>();
        let uri = endpoint
            .request_uri(&parts.uri, host_prefix.as_ref().map(|p| p.0.as_str()))
            .map_err(Failure::Endpoint)?;
        let mut headers = parts.headers;
        for (name, value) in endpoint.headers() {
            headers.append(name.clone(), value.clone());
        }
        headers.insert(USER_AGENT, user_agent.clone());
        headers.insert(X_AMZ_USER_AGENT, user_agent.clone());
        Ok(Template {
            operation: op.name,
            name_extension,
            http_version: match op.http2 {
                true => HttpVersionPreference::Http2,
                false => HttpVersionPreference::Http1,
            },
            method: parts.method,
            uri,
            version: parts.version,
            headers,
            body: B::store(body, &mut parts.extensions),
        })
    }

    /// A copy for one attempt, with the attempt headers set and then
    /// signed or given the bearer token, as `auth` says.
    fn authorized(
        &self,
        attempt: &AttemptInfo,
        prepared: &Prepared<'_>,
        clock: &Arc<SkewedClock>,
        hooks: &Hooks<'_>,
    ) -> Result<Request<B>, BoxError> {
        let body = B::for_attempt(&self.body).ok_or(
            "the request body is a one-shot stream and was already sent",
        )?;
        let mut request = Request::new(body);
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.version_mut() = self.version;
        *request.headers_mut() = self.headers.clone();
        if self.name_extension {
            request.extensions_mut().insert(OperationName(self.operation));
        }
        // No mark means HTTP/1.1, so most requests box nothing for it.
        if self.http_version != HttpVersionPreference::Http1 {
            request.extensions_mut().insert(self.http_version);
        } else if !request.headers().contains_key(HOST) {
            // Set here once, for the signature and the wire alike (the
            // transport and the signer would each work it out again);
            // HTTP/2 carries it as `:authority` instead.
            if let Some(authority) = self.uri.authority() {
                if let Ok(host) = HeaderValue::from_str(&crate::http::host_of(authority, self.uri.scheme_str())) {
                    request.headers_mut().insert(HOST, host);
                }
            }
        }
        // `amz-sdk-invocation-id` and `amz-sdk-request` are set by the
        // attempt loop once this request is built (after the hooks; the
        // signature leaves them out: `CLIENT_UNSIGNED_HEADERS`).
        let ctx = CallContext {
            service: hooks.service,
            operation: self.operation,
            attempt: attempt.attempt(),
        };
        if !hooks.interceptors.is_empty() {
            request = B::with_hook(request, |request| {
                run_hook(hooks.interceptors, "modify_before_signing", |i| i.modify_before_signing(&ctx, request))
            })?;
        }
        match &prepared.auth {
            Auth::Anonymous => {}
            Auth::Bearer(header) => {
                request.headers_mut().insert(AUTHORIZATION, header.clone());
            }
            Auth::Sigv4 { scope, credentials } => {
                let mut params = SigningParams {
                    access_key: credentials.access_key_id(),
                    secret_key: credentials.secret_access_key(),
                    session_token: credentials.session_token(),
                    region: scope.region,
                    service: scope.name,
                    time: clock.now(),
                    settings: scope.settings,
                };
                let (mut parts, body) = request.into_parts();
                let payload = match &prepared.payload {
                    PayloadHash::OfBody => B::signed_bytes(&body).map_or(Payload::Unsigned, Payload::Bytes),
                    PayloadHash::Unsigned => Payload::Unsigned,
                    PayloadHash::Precomputed(hash) => Payload::Precomputed(hash),
                    PayloadHash::Events(_) => {
                        // Sent whatever the settings say: the service reads
                        // the body's framing from it.
                        params.settings.content_sha256_header = true;
                        Payload::Precomputed(sigv4::STREAMING_EVENTS_PAYLOAD)
                    }
                };
                let signed =
                    sigv4::sign_parts_with_key_cache(&mut parts, payload, &params, credentials.signing_key_cache())?;
                if let PayloadHash::Events(slot) = &prepared.payload {
                    // Before the body is polled: its first frame waits for it.
                    slot.set(EventSigningParams {
                        seed_signature: signed.signature().to_owned(),
                        credentials: credentials.clone(),
                        region: scope.region.to_owned(),
                        service: scope.name.to_owned(),
                        clock: Arc::clone(clock) as SharedTimeSource,
                    });
                }
                request = Request::from_parts(parts, body);
            }
        }
        if !hooks.interceptors.is_empty() {
            request = B::with_hook(request, |request| {
                run_hook(hooks.interceptors, "modify_before_transmit", |i| i.modify_before_transmit(&ctx, request))
            })?;
        }
        Ok(request)
    }
}

/// What every attempt is authorized with, settled before the first one.
struct Prepared<'a> {
    auth: Auth<'a>,
    payload: PayloadHash,
}

/// The payload hash SigV4 signs.
enum PayloadHash {
    /// The body's own hash, computed while signing (a body in memory).
    OfBody,
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// Computed before the first attempt (a file read through once).
    Precomputed(String),
    /// `STREAMING-AWS4-HMAC-SHA256-EVENTS`, also sent as
    /// `x-amz-content-sha256`: an event stream whose messages are signed in
    /// a chain seeded by the request's signature, given to the body through
    /// this slot.
    Events(SigningSlot),
}

/// How the payload hash will be had, known before the call's auth is.
enum PayloadPlan {
    Ready(PayloadHash),
    /// Hash this copy of the body, if the call is signed with SigV4.
    HashStream(ByteStream),
}

impl PayloadPlan {
    async fn resolve(self, signed: bool) -> Result<PayloadHash, Failure> {
        match self {
            PayloadPlan::Ready(hash) => Ok(hash),
            PayloadPlan::HashStream(_) if !signed => Ok(PayloadHash::Unsigned),
            PayloadPlan::HashStream(body) => match sigv4::sha256_hex_of_stream(body).await {
                Ok(hash) => Ok(PayloadHash::Precomputed(hash)),
                Err(error) => Err(Failure::Construction(ConstructionError::new(error))),
            },
        }
    }
}

/// What the call pipeline does differently for a buffered body (`Bytes`)
/// and a streaming one ([`ByteStream`]); the buffered implementations do
/// exactly what the pipeline did before streaming existed.
trait CallBody: Sized + Send + 'static {
    /// The body as the template keeps it between attempts.
    type Stored: Send + Sync;
    /// How the attempts are sent.
    type Exchange: Exchange<Request = Self, Response = Self> + Send + Sync;

    /// Changes to the request before the endpoint is applied, or a failure.
    fn prepare(handle: &ClientHandle, op: &'static OperationSpec, request: &mut Request<Self>) -> Result<(), Failure>;

    /// Keeps the body, with what it needs of the request's extensions.
    fn store(self, extensions: &mut http::Extensions) -> Self::Stored;

    fn exchange(handle: &ClientHandle, stored: &Self::Stored) -> Self::Exchange;

    /// How SigV4 will hash the payload.
    fn payload(op: &OperationSpec, stored: &Self::Stored) -> PayloadPlan;

    /// The body for one attempt; `None` once a one-shot body has been sent.
    fn for_attempt(stored: &Self::Stored) -> Option<Self>;

    /// The bytes SigV4 hashes for [`PayloadHash::OfBody`].
    fn signed_bytes(body: &Self) -> Option<&[u8]>;

    /// Runs an interceptor hook, which sees a `Request<Bytes>`.
    fn with_hook(
        request: Request<Self>,
        hook: impl FnOnce(&mut Request<Bytes>) -> Result<(), InterceptorError>,
    ) -> Result<Request<Self>, InterceptorError>;

    /// Calls `f` with the response as a `Response<Bytes>`.
    fn with_buffered<R>(response: &Response<Self>, f: impl FnOnce(&Response<Bytes>) -> R) -> R;

    /// The response with its body in memory (an error response's is).
    fn into_buffered(response: Response<Self>) -> Response<Bytes>;
}

impl CallBody for Bytes {
    type Stored = Bytes;
    type Exchange = Buffered;

    fn prepare(handle: &ClientHandle, op: &'static OperationSpec, request: &mut Request<Bytes>) -> Result<(), Failure> {
        if op.request_compression {
            handle.compress(request)?;
        }
        Ok(())
    }

    fn store(self, _: &mut http::Extensions) -> Bytes {
        self
    }

    fn exchange(_: &ClientHandle, _: &Bytes) -> Buffered {
        Buffered
    }

    fn payload(op: &OperationSpec, _: &Bytes) -> PayloadPlan {
        PayloadPlan::Ready(if op.unsigned_payload { PayloadHash::Unsigned } else { PayloadHash::OfBody })
    }

    fn for_attempt(stored: &Bytes) -> Option<Bytes> {
        Some(stored.clone())
    }

    fn signed_bytes(body: &Bytes) -> Option<&[u8]> {
        Some(body)
    }

    fn with_hook(
        mut request: Request<Bytes>,
        hook: impl FnOnce(&mut Request<Bytes>) -> Result<(), InterceptorError>,
    ) -> Result<Request<Bytes>, InterceptorError> {
        hook(&mut request)?;
        Ok(request)
    }

    fn with_buffered<R>(response: &Response<Bytes>, f: impl FnOnce(&Response<Bytes>) -> R) -> R {
        f(response)
    }

    fn into_buffered(response: Response<Bytes>) -> Response<Bytes> {
        response
    }
}

/// A streaming body as the template keeps it: one to copy for each
/// attempt, or a one-shot stream for the first; and, for an input event
/// stream, the slot its signing parameters go through.
struct StoredStream {
    body: StoredBody,
    slot: Option<SigningSlot>,
}

enum StoredBody {
    Replayable(ByteStream),
    OneShot(std::sync::Mutex<Option<ByteStream>>),
}

impl CallBody for ByteStream {
    type Stored = StoredStream;
    type Exchange = Streaming;

    fn prepare(_: &ClientHandle, op: &'static OperationSpec, request: &mut Request<ByteStream>) -> Result<(), Failure> {
        let length = request.body().content_length();
        if op.requires_length && length.is_none() {
            return Err(Failure::Construction(ConstructionError::new(format!(
                "operation `{}` requires the length of its streaming body, and this body's is unknown \
                 (a stream): build it from bytes or a file, or declare its length with `ByteStream::with_length`",
                op.name
            ))));
        }
        if let Some(length) = length {
            request.headers_mut().entry(http::header::CONTENT_LENGTH).or_insert_with(|| length.into());
        }
        if op.request_compression {
            tracing::debug!("streaming request body sent uncompressed");
        }
        Ok(())
    }

    fn store(self, extensions: &mut http::Extensions) -> StoredStream {
        let body = if self.try_clone().is_some() {
            StoredBody::Replayable(self)
        } else {
            StoredBody::OneShot(std::sync::Mutex::new(Some(self)))
        };
        StoredStream {
            body,
            slot: extensions.remove::<SigningSlot>(),
        }
    }

    fn exchange(handle: &ClientHandle, stored: &StoredStream) -> Streaming {
        Streaming {
            error_body_limit: handle.inner.config.max_response_body_size(),
            one_shot: matches!(stored.body, StoredBody::OneShot(_)),
        }
    }

    fn payload(op: &OperationSpec, stored: &StoredStream) -> PayloadPlan {
        if let Some(slot) = &stored.slot {
            return PayloadPlan::Ready(PayloadHash::Events(slot.clone()));
        }
        let hash = match &stored.body {
            _ if op.unsigned_payload => PayloadHash::Unsigned,
            StoredBody::Replayable(body) if body.bytes().is_some() => PayloadHash::OfBody,
            StoredBody::Replayable(body) => match body.try_clone() {
                Some(copy) => return PayloadPlan::HashStream(copy),
                None => PayloadHash::Unsigned,
            },
            StoredBody::OneShot(_) => PayloadHash::Unsigned,
        };
        PayloadPlan::Ready(hash)
    }

    fn for_attempt(stored: &StoredStream) -> Option<ByteStream> {
        match &stored.body {
            StoredBody::Replayable(body) => body.try_clone(),
            StoredBody::OneShot(body) => body.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take(),
        }
    }

    fn signed_bytes(body: &ByteStream) -> Option<&[u8]> {
        body.bytes().map(|bytes| &bytes[..])
    }

    fn with_hook(
        request: Request<ByteStream>,
        hook: impl FnOnce(&mut Request<Bytes>) -> Result<(), InterceptorError>,
    ) -> Result<Request<ByteStream>, InterceptorError> {
        let (parts, body) = request.into_parts();
        let shown = body.bytes().cloned().unwrap_or_default();
        let mut view = Request::from_parts(parts, shown);
        hook(&mut view)?;
        let (parts, shown) = view.into_parts();
        let body = match body.bytes() {
            Some(_) => ByteStream::from(shown),
            None if shown.is_empty() => body,
            None => ByteStream::from(shown),
        };
        Ok(Request::from_parts(parts, body))
    }

    fn with_buffered<R>(response: &Response<ByteStream>, f: impl FnOnce(&Response<Bytes>) -> R) -> R {
        f(&ByteStream::buffered(response))
    }

    fn into_buffered(response: Response<ByteStream>) -> Response<Bytes> {
        response.map(|body| body.bytes().cloned().unwrap_or_default())
    }
}

impl ByteStream {
    /// A copy of `response` with its body in memory, or empty when it is
    /// streamed.
    fn buffered(response: &Response<ByteStream>) -> Response<Bytes> {
        let mut copy = Response::new(response.body().bytes().cloned().unwrap_or_default());
        *copy.status_mut() = response.status();
        *copy.version_mut() = response.version();
        *copy.headers_mut() = response.headers().clone();
        copy
    }
}

/// The interceptors an attempt runs, and the service they are told about.
struct Hooks<'a> {
    interceptors: &'a [SharedInterceptor],
    service: &'static str,
}

/// A failure before any response, not yet tied to an operation error type.
#[derive(Debug)]
enum Failure {
    Construction(ConstructionError),
    Credentials(CredentialsError),
    Endpoint(EndpointError),
    Dispatch(DispatchError),
    Timeout(TimeoutError),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Construction(e) => e.fmt(f),
            Failure::Credentials(e) => e.fmt(f),
            Failure::Endpoint(e) => e.fmt(f),
            Failure::Dispatch(e) => e.fmt(f),
            Failure::Timeout(e) => e.fmt(f),
        }
    }
}

/// So that it can pass through the retry loop's preparation step.
impl std::error::Error for Failure {}

impl Failure {
    fn into_sdk_error<E>(self) -> SdkError<E> {
        match self {
            Failure::Construction(e) => SdkError::Construction(e),
            Failure::Credentials(e) => SdkError::Credentials(e),
            Failure::Endpoint(e) => SdkError::Endpoint(e),
            Failure::Dispatch(e) => SdkError::Dispatch(e),
            Failure::Timeout(e) => SdkError::Timeout(e),
        }
    }
}

/// The signing settings of a service by its signing name: S3's (`s3`,
/// `s3-outposts`, `s3express`: single path encoding whatever the endpoint
/// says, no path normalization and the `X-Amz-Content-SHA256` header S3
/// requires) or everyone else's, with the path encoding the endpoint asks for.
///
/// Either way the client leaves [`CLIENT_UNSIGNED_HEADERS`] out of the
/// signature.
fn signing_settings_for(name: &str, uri_encoding: UriEncoding) -> SigningSettings {
    let settings = if name == "s3" || name == "s3express" || name.starts_with("s3-") {
        SigningSettings::s3()
    } else {
        SigningSettings {
            uri_encoding,
            ..SigningSettings::default()
        }
    };
    SigningSettings {
        unsigned_headers: CLIENT_UNSIGNED_HEADERS,
        ..settings
    }
}

/// Headers the client sends but does not sign: the SDK's bookkeeping (the
/// invocation id and `attempt=N; max=M`, which no service checks) and
/// `Content-Length`, which the transport owns. AWS requires `host`,
/// `content-type` and every `x-amz-*` header signed, and those stay signed.
/// Each header left out makes the canonical request shorter: these three
/// are about 160 bytes, three SHA-256 blocks of every call's signature.
const CLIENT_UNSIGNED_HEADERS: &[&str] = &["amz-sdk-invocation-id", "amz-sdk-request", "content-length"];


#[cfg(test)]
mod tests {
    use super::signing_settings_for;
    use crate::auth::sigv4::{SigningSettings, UriEncoding};

    #[test]
    fn s3_signs_with_its_own_settings() {
        for name in ["s3", "s3-outposts", "s3express"] {
            let settings = signing_settings_for(name, UriEncoding::Double);
            assert!(settings.content_sha256_header, "{name}");
            assert_eq!(settings.uri_encoding, UriEncoding::Single, "{name}");
            assert!(!settings.normalize_uri_path, "{name}");
        }
        for name in ["ivs", "dynamodb", "s3x", "sqs"] {
            let settings = signing_settings_for(name, UriEncoding::Double);
            assert_eq!(settings.content_sha256_header, SigningSettings::default().content_sha256_header, "{name}");
            assert!(settings.normalize_uri_path, "{name}");
        }
        for name in ["s3", "ivs"] {
            let settings = signing_settings_for(name, UriEncoding::Double);
            assert_eq!(settings.unsigned_headers, ["amz-sdk-invocation-id", "amz-sdk-request", "content-length"]);
        }
    }
}
