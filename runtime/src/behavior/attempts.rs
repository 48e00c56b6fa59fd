//! The attempt loop every generated operation runs: build and sign the
//! request, send it, classify the outcome, back off, try again.
//!
//! [`send_with_retries`] owns retries and timeouts
//! ([`send_with_retries_after`] also runs what must happen before the first
//! attempt, such as loading credentials, inside the operation timeout); the
//! generated client owns serialization (in the per-attempt hook) and
//! deserialization (of the [`FinalResponse`]). The hook is called again for
//! every attempt so that each attempt is signed afresh with the current time
//! and credentials.
//!
//! The same loop serves buffered calls (`Bytes` bodies, through
//! [`HttpClient::call`]) and streaming ones ([`ByteStream`] bodies, through
//! [`HttpClient::call_streaming`]); only how an attempt is sent differs.

use std::convert::Infallible;
use std::error::Error;
use std::fmt;
use std::future::{ready, Future};
use std::pin::Pin;
use std::time::Duration;

use ::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use bytes::Bytes;
use tracing::Instrument;

use crate::behavior::retry::{AdaptiveRateLimiter, RetryConfig, RetryQuota, RetryReason};
use crate::behavior::retry::classify::{classify_http_error, delay_with_hint, retry_after, ErrorPolicy};
use crate::behavior::retry::clock_skew::SkewedClock;
use crate::behavior::sleep::{AsyncSleep, TimeSource};
use crate::behavior::timeout::{timeout, TimeoutConfig};
use crate::http::body::read_whole;
use crate::http::{BoxError, HttpClient, HttpError, HttpErrorKind, ResponseTooLarge};
use crate::primitives::ByteStream;

/// Header carrying an id shared by every attempt of one call.
pub const INVOCATION_ID_HEADER: &str = "amz-sdk-invocation-id";
/// Header carrying `attempt=N; max=M`.
pub const SDK_REQUEST_HEADER: &str = "amz-sdk-request";

/// What one call needs besides its request: the transport, the timer, the
/// retry and timeout settings and the client's shared retry quota.
#[derive(Debug, Clone, Copy)]
pub struct SendContext<'a> {
    /// Operation name, recorded on each attempt's tracing span.
    pub operation: &'a str,
    /// Sends each attempt.
    pub http: &'a dyn HttpClient,
    /// Times backoff delays and the attempt and operation timeouts.
    pub sleep: &'a dyn AsyncSleep,
    /// Attempts and backoff.
    pub retry: &'a RetryConfig,
    /// Attempt and operation timeouts (the connect timeout belongs to the
    /// HTTP client).
    pub timeouts: &'a TimeoutConfig,
    /// The retry budget shared by every call of the client.
    pub quota: &'a RetryQuota,
    /// Where error responses carry their code, and which the model marks
    /// retryable.
    pub errors: ErrorPolicy<'a>,
    /// The clock requests are signed with, corrected after a clock-skew
    /// error (`None`: never corrected).
    pub clock: Option<&'a SkewedClock>,
    /// Adaptive retry mode's client-side rate limiter, shared by every call
    /// of the client (`None` in standard mode): each attempt waits for its
    /// token, and each response tells it whether the service throttled.
    pub rate_limiter: Option<&'a AdaptiveRateLimiter>,
}

/// What the per-attempt hook is told about the attempt it builds.
#[derive(Debug, Clone)]
pub struct AttemptInfo {
    attempt: u32,
    max_attempts: u32,
    /// Made into a header value once per call; its clones share the bytes.
    invocation_id: HeaderValue,
}

impl AttemptInfo {
    /// This attempt's number, starting at 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The most attempts the call may make.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The call's invocation id (a UUID v4, the same for every attempt).
    pub fn invocation_id(&self) -> &str {
        // Made from a UUID's ASCII text, so never empty.
        self.invocation_id.to_str().unwrap_or_default()
    }

    /// The value of the `amz-sdk-request` header: `attempt=N; max=M`.
    pub fn sdk_request(&self) -> String {
        // Pushed piece by piece: every attempt sends it, and `format!`
        // costs more than the header's other work together.
        use crate::primitives::decimal::{decimal_len, push_decimal};
        // Exactly its length: a header value takes the buffer as it is only
        // when nothing is spare (else it shrinks it, a second allocation).
        let mut out = String::with_capacity(14 + decimal_len(self.attempt) + decimal_len(self.max_attempts));
        out.push_str("attempt=");
        push_decimal(&mut out, self.attempt);
        out.push_str("; max=");
        push_decimal(&mut out, self.max_attempts);
        out
    }

    /// Sets `amz-sdk-invocation-id` and `amz-sdk-request` on `headers`.
    ///
    /// The loop does this after the hook returns; a hook that wants these
    /// headers covered by its signature calls it before signing (the values
    /// are the same either way).
    pub fn apply_headers(&self, headers: &mut HeaderMap) {
        // Header names parsed once, at compile time.
        const INVOCATION_ID: HeaderName = HeaderName::from_static(INVOCATION_ID_HEADER);
        const SDK_REQUEST: HeaderName = HeaderName::from_static(SDK_REQUEST_HEADER);
        headers.insert(INVOCATION_ID, self.invocation_id.clone());
        // Plain ASCII, so the conversion cannot fail.
        if let Ok(value) = HeaderValue::try_from(self.sdk_request()) {
            headers.insert(SDK_REQUEST, value);
        }
    }
}

/// The response a call ended with: a success, an error the caller should
/// deserialize, or the last retryable error once retries ran out.
///
/// `Ok(FinalResponse)` means "the server answered"; check the status. `B`
/// is the body: `Bytes`, or a [`ByteStream`] for a streaming call (whose
/// error responses are then in memory).
#[derive(Debug)]
pub struct FinalResponse<B = Bytes> {
    /// The last response received.
    pub response: ::http::Response<B>,
    /// How many attempts were made, this one included.
    pub attempts: u32,
    /// Set when the response was a retryable error that was not retried
    /// although attempts remained: why (e.g. the request body is a one-shot
    /// stream).
    pub not_retried: Option<&'static str>,
}

/// What went wrong when a call got no usable response.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendErrorKind {
    /// The work before the first attempt (see [`send_with_retries_after`]),
    /// such as loading credentials, failed; no attempt was made. The source
    /// is its error.
    Prepare,
    /// The per-attempt hook failed to build or sign the request. Not retried.
    BuildRequest,
    /// The HTTP client failed: a non-retryable failure, or the last of the
    /// retryable ones. The source is the [`HttpError`].
    Http(HttpErrorKind),
    /// The last attempt ran past the attempt timeout.
    AttemptTimeout(Duration),
    /// The whole call ran past the operation timeout, while preparing (see
    /// [`SendError::phase`]) or during the attempts. The source, if any, is
    /// the failure of the last completed attempt.
    OperationTimeout(Duration),
}

/// A call that got no usable response, with the attempt count and the last
/// error as its source.
#[derive(Debug)]
pub struct SendError {
    kind: SendErrorKind,
    attempts: u32,
    source: Option<BoxError>,
    phase: Option<&'static str>,
    not_retried: Option<&'static str>,
}

impl SendError {
    fn new(kind: SendErrorKind, attempts: u32, source: Option<BoxError>) -> Self {
        SendError {
            kind,
            attempts,
            source,
            phase: None,
            not_retried: None,
        }
    }

    fn http(error: HttpError, attempts: u32) -> Self {
        Self::new(
            SendErrorKind::Http(error.kind()),
            attempts,
            Some(Box::new(error)),
        )
    }

    /// What the call was doing before its first attempt when it failed, as
    /// named to [`send_with_retries_after`] (e.g. `loading credentials`);
    /// `None` once the attempts had started.
    pub fn phase(&self) -> Option<&'static str> {
        self.phase
    }

    /// Why the call was not retried although the failure was retryable
    /// and attempts remained, e.g. because its request body is a one-shot
    /// stream that cannot be sent again.
    pub fn not_retried(&self) -> Option<&'static str> {
        self.not_retried
    }

    /// What went wrong.
    pub fn kind(&self) -> SendErrorKind {
        self.kind
    }

    /// How many attempts were started.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// True for attempt and operation timeouts and transport timeouts.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.kind,
            SendErrorKind::AttemptTimeout(_)
                | SendErrorKind::OperationTimeout(_)
                | SendErrorKind::Http(HttpErrorKind::Timeout)
        )
    }

    /// The transport error, for [`SendErrorKind::Http`].
    pub fn http_error(&self) -> Option<&HttpError> {
        match self.kind {
            SendErrorKind::Http(_) => self.source.as_deref()?.downcast_ref(),
            _ => None,
        }
    }

    /// Consumes the error, returning its source.
    pub fn into_source(self) -> Option<BoxError> {
        self.source
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.attempts;
        let plural = if n == 1 { "" } else { "s" };
        if let Some(phase) = self.phase {
            match self.kind {
                SendErrorKind::OperationTimeout(limit) => write!(
                    f,
                    "operation timed out after {limit:?} while {phase}, before the first attempt"
                )?,
                _ => write!(f, "failed while {phase}, before the first attempt")?,
            }
            return match &self.source {
                Some(source) => write!(f, ": {source}"),
                None => Ok(()),
            };
        }
        match self.kind {
            SendErrorKind::Prepare => f.write_str("failed before the first attempt")?,
            SendErrorKind::BuildRequest => {
                write!(f, "failed to build the request for attempt {n}")?
            }
            SendErrorKind::Http(_) => write!(f, "request failed after {n} attempt{plural}")?,
            SendErrorKind::AttemptTimeout(limit) => write!(
                f,
                "attempt timed out after {limit:?} ({n} attempt{plural} made)"
            )?,
            SendErrorKind::OperationTimeout(limit) => write!(
                f,
                "operation timed out after {limit:?} ({n} attempt{plural} made)"
            )?,
        }
        if let Some(why) = self.not_retried {
            write!(f, " and not retried ({why})")?;
        }
        match (&self.kind, &self.source) {
            (SendErrorKind::OperationTimeout(_), Some(last)) => write!(f, "; last failure: {last}"),
            (_, Some(source)) => write!(f, ": {source}"),
            (_, None) => Ok(()),
        }
    }
}

impl Error for SendError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn Error + 'static))
    }
}

/// Runs one call: up to `ctx.retry.max_attempts()` attempts, each built by
/// `build_request`, within the attempt and operation timeouts, spending the
/// shared retry quota on retries.
///
/// For every attempt the loop:
///
/// 1. calls `build_request` with the attempt's [`AttemptInfo`] (build and sign
///    the request here; a failure ends the call with
///    [`SendErrorKind::BuildRequest`]);
/// 2. sets `amz-sdk-invocation-id` (one UUID v4 per call) and
///    `amz-sdk-request: attempt=N; max=M`;
/// 3. sends the request, bounded by the attempt timeout (which also bounds
///    step 1);
/// 4. returns a 2xx response, or any response the retry rules do not retry;
///    otherwise, if attempts and quota remain, sleeps the full-jitter backoff
///    and starts again.
///
/// When retries run out, the last failure is returned: a response as
/// `Ok(FinalResponse)`, a transport failure or timeout as `Err`. The operation
/// timeout bounds everything, backoff included. Each attempt runs in a
/// `debug` tracing span named `attempt` with the operation name and attempt
/// number; no header is ever logged.
pub async fn send_with_retries<F, Fut, E>(
    ctx: SendContext<'_>,
    mut build_request: F,
) -> Result<FinalResponse, SendError>
where
    F: FnMut(AttemptInfo) -> Fut,
    Fut: Future<Output = Result<::http::Request<Bytes>, E>>,
    E: Into<BoxError>,
{
    let nothing = ready(Ok::<(), Infallible>(()));
    send_with_retries_after(ctx, "preparing", nothing, |_: &(), info| {
        build_request(info)
    })
    .await
}

/// [`send_with_retries`] after `prepare`: work the call must finish before
/// its first attempt and that may wait, such as loading credentials, whose
/// output every attempt's `build_request` is given.
///
/// The operation timeout covers `prepare` too, so a step that never finishes
/// cannot hang the call: it ends in [`SendErrorKind::OperationTimeout`] with
/// [`SendError::phase`] set to `phase` (a few words for messages, e.g.
/// `loading credentials`). `prepare` failing ends the call with
/// [`SendErrorKind::Prepare`], its error as the source, and no attempt made.
/// The attempt timeout does not apply to `prepare`.
pub async fn send_with_retries_after<T, P, PE, F, Fut, E>(
    ctx: SendContext<'_>,
    phase: &'static str,
    prepare: P,
    build_request: F,
) -> Result<FinalResponse, SendError>
where
    P: Future<Output = Result<T, PE>>,
    PE: Into<BoxError>,
    F: FnMut(&T, AttemptInfo) -> Fut,
    Fut: Future<Output = Result<::http::Request<Bytes>, E>>,
    E: Into<BoxError>,
{
    send_via(ctx, &Buffered, phase, prepare, build_request).await
}

/// The future of [`Exchange::send`].
pub(crate) type ExchangeFuture<'a, B> =
    Pin<Box<dyn Future<Output = Result<::http::Response<B>, HttpError>> + Send + 'a>>;

/// What differs between a buffered call and a streaming one: how an
/// attempt's request is sent, how an error response's body is read for
/// classifying it, and whether the request can be sent again.
pub(crate) trait Exchange {
    /// The request body.
    type Request;
    /// The response body.
    type Response;

    /// Sends one attempt's request.
    fn send<'a>(&'a self, http: &'a dyn HttpClient, request: ::http::Request<Self::Request>) -> ExchangeFuture<'a, Self::Response>;

    /// The body of an error response, as `send` left it in memory.
    fn error_body(body: &Self::Response) -> &[u8];

    /// Why the request cannot be sent again, when it cannot.
    fn not_replayable(&self) -> Option<&'static str>;
}

/// A call of buffered bodies, through [`HttpClient::call`]: always
/// replayable.
pub(crate) struct Buffered;

impl Exchange for Buffered {
    type Request = Bytes;
    type Response = Bytes;

    fn send<'a>(&'a self, http: &'a dyn HttpClient, request: ::http::Request<Bytes>) -> ExchangeFuture<'a, Bytes> {
        http.call(request)
    }

    fn error_body(body: &Bytes) -> &[u8] {
        body
    }

    fn not_replayable(&self) -> Option<&'static str> {
        None
    }
}

/// A call of [`ByteStream`] bodies, through [`HttpClient::call_streaming`].
/// An error response whose body the transport did not read is read whole
/// here, up to `error_body_limit` bytes; a 2xx body is left unread.
pub(crate) struct Streaming {
    pub(crate) error_body_limit: u64,
    /// The request body is a one-shot stream: the request is sent once.
    pub(crate) one_shot: bool,
}

/// Why a call whose body is a one-shot stream is not retried.
pub(crate) const ONE_SHOT_BODY: &str =
    "the request body is a one-shot stream, which cannot be sent again; build it from bytes or a file to allow retries";

impl Exchange for Streaming {
    type Request = ByteStream;
    type Response = ByteStream;

    fn send<'a>(&'a self, http: &'a dyn HttpClient, request: ::http::Request<ByteStream>) -> ExchangeFuture<'a, ByteStream> {
        Box::pin(async move {
            let response = http.call_streaming(request).await?;
            if response.status().is_success() || response.body().bytes().is_some() {
                return Ok(response);
            }
            let (parts, body) = response.into_parts();
            let limit = self.error_body_limit;
            let body = read_whole(body, limit).await.map_err(|error| match error {
                crate::http::body::ReadError::Body(error) => HttpError::io(error),
                crate::http::body::ReadError::TooLarge { announced } => {
                    HttpError::other(ResponseTooLarge::new(limit, announced))
                }
            })?;
            Ok(::http::Response::from_parts(parts, ByteStream::from(body)))
        })
    }

    fn error_body(body: &ByteStream) -> &[u8] {
        body.bytes().map_or(&[], |bytes| bytes)
    }

    fn not_replayable(&self) -> Option<&'static str> {
        self.one_shot.then_some(ONE_SHOT_BODY)
    }
}

/// [`send_with_retries_after`] through `exchange`.
pub(crate) async fn send_via<X, T, P, PE, F, Fut, E>(
    ctx: SendContext<'_>,
    exchange: &X,
    phase: &'static str,
    prepare: P,
    mut build_request: F,
) -> Result<FinalResponse<X::Response>, SendError>
where
    X: Exchange,
    P: Future<Output = Result<T, PE>>,
    PE: Into<BoxError>,
    F: FnMut(&T, AttemptInfo) -> Fut,
    Fut: Future<Output = Result<::http::Request<X::Request>, E>>,
    E: Into<BoxError>,
{
    // A UUID is ASCII, so the conversion cannot fail.
    let invocation_id = HeaderValue::try_from(crate::primitives::random_uuid::v4())
        .unwrap_or_else(|_| HeaderValue::from_static("unknown"));
    let mut progress = Progress {
        preparing: Some(phase),
        ..Progress::default()
    };
    let call = async {
        let prepared = prepare.await.map_err(|error| SendError {
            phase: Some(phase),
            ..SendError::new(SendErrorKind::Prepare, 0, Some(error.into()))
        })?;
        progress.preparing = None;
        let mut build = |info| build_request(&prepared, info);
        attempt_loop(&ctx, exchange, &mut build, &invocation_id, &mut progress).await
    };
    let outcome = timeout(ctx.sleep, ctx.timeouts.operation_timeout(), call).await;
    match outcome {
        Ok(result) => result,
        Err(elapsed) => {
            tracing::debug!(
                operation = ctx.operation,
                attempts = progress.attempts,
                phase = progress.preparing,
                "operation timed out"
            );
            Err(SendError {
                phase: progress.preparing,
                ..SendError::new(
                    SendErrorKind::OperationTimeout(elapsed.limit()),
                    progress.attempts,
                    progress.last_failure.take(),
                )
            })
        }
    }
}

/// What the call has done so far, kept outside it so the operation timeout
/// can report it after cancelling the call.
#[derive(Default)]
struct Progress {
    /// The phase before the first attempt, while it runs.
    preparing: Option<&'static str>,
    attempts: u32,
    last_failure: Option<BoxError>,
}

async fn attempt_loop<X, F, Fut, E>(
    ctx: &SendContext<'_>,
    exchange: &X,
    build_request: &mut F,
    invocation_id: &HeaderValue,
    progress: &mut Progress,
) -> Result<FinalResponse<X::Response>, SendError>
where
    X: Exchange,
    F: FnMut(AttemptInfo) -> Fut,
    Fut: Future<Output = Result<::http::Request<X::Request>, E>>,
    E: Into<BoxError>,
{
    let max_attempts = ctx.retry.max_attempts();
    let mut last_retry_cost = None;
    loop {
        progress.attempts += 1;
        let attempt = progress.attempts;
        let span =
            tracing::debug_span!("attempt", operation = ctx.operation, attempt, max_attempts);
        let info = AttemptInfo {
            attempt,
            max_attempts,
            invocation_id: invocation_id.clone(),
        };
        if let Some(limiter) = ctx.rate_limiter {
            let wait = limiter.acquire(limiter_time(ctx));
            if !wait.is_zero() {
                tracing::debug!(parent: &span, ?wait, "waiting for the adaptive rate limiter");
                ctx.sleep.sleep(wait).await;
            }
        }
        let outcome = run_attempt(ctx, exchange, build_request, info)
            .instrument(span.clone())
            .await;

        let (reason, failure) = match outcome {
            Outcome::Response(response) => {
                let status = response.status();
                if status.is_success() {
                    if let Some(limiter) = ctx.rate_limiter {
                        limiter.update(limiter_time(ctx), false);
                    }
                    ctx.quota
                        .release(last_retry_cost.unwrap_or(RetryQuota::NO_RETRY_INCREMENT));
                    tracing::debug!(parent: &span, status = status.as_u16(), "success");
                    return Ok(FinalResponse {
                        response,
                        attempts: attempt,
                        not_retried: None,
                    });
                }
                let code = ctx.errors.code_of(status, response.headers(), X::error_body(response.body()));
                tracing::debug!(
                    parent: &span,
                    status = status.as_u16(),
                    error_code = code.as_deref(),
                    "error response"
                );
                let skew_corrected = ctx
                    .clock
                    .is_some_and(|clock| clock.correct(code.as_deref(), response.headers()));
                let reason = if skew_corrected {
                    Some(RetryReason::ClockSkew)
                } else {
                    ctx.errors.classify(status, code.as_deref())
                };
                if let Some(limiter) = ctx.rate_limiter {
                    limiter.update(limiter_time(ctx), reason == Some(RetryReason::Throttling));
                }
                match reason {
                    Some(reason) => (reason, Failure::Response { response, code }),
                    None => {
                        return Ok(FinalResponse {
                            response,
                            attempts: attempt,
                            not_retried: None,
                        })
                    }
                }
            }
            Outcome::BuildFailed(source) => {
                tracing::debug!(parent: &span, "building the request failed");
                return Err(SendError::new(
                    SendErrorKind::BuildRequest,
                    attempt,
                    Some(source),
                ));
            }
            Outcome::Http(error) => {
                tracing::debug!(parent: &span, error = %error, "transport error");
                match classify_http_error(&error) {
                    Some(reason) => (reason, Failure::Http(error)),
                    None => return Err(SendError::http(error, attempt)),
                }
            }
            Outcome::TimedOut(limit) => {
                tracing::debug!(parent: &span, ?limit, "attempt timed out");
                (RetryReason::Timeout, Failure::AttemptTimeout(limit))
            }
        };

        if attempt >= max_attempts {
            tracing::debug!(parent: &span, %reason, "not retrying: no attempts left");
            return failure.finish(attempt);
        }
        if let Some(why) = exchange.not_replayable() {
            tracing::debug!(parent: &span, %reason, why, "not retrying");
            return match failure.finish(attempt) {
                Ok(last) => Ok(FinalResponse { not_retried: Some(why), ..last }),
                Err(error) => Err(SendError { not_retried: Some(why), ..error }),
            };
        }
        let cost = RetryQuota::cost_of(reason);
        if !ctx.quota.try_acquire(cost) {
            tracing::debug!(
                parent: &span,
                %reason,
                cost,
                available = ctx.quota.available(),
                "not retrying: retry quota exhausted"
            );
            return failure.finish(attempt);
        }
        last_retry_cost = Some(cost);
        let hint = match &failure {
            Failure::Response { response, .. } => retry_after(response.headers()),
            _ => None,
        };
        let delay = delay_with_hint(ctx.retry.backoff_delay(attempt, fastrand::f64()), hint);
        tracing::debug!(parent: &span, %reason, ?delay, "retrying");
        progress.last_failure = Some(failure.into_error());
        ctx.sleep.sleep(delay).await;
    }
}

/// Seconds since the Unix epoch on the client's clock (the system clock
/// when the call has none), for the adaptive rate limiter.
fn limiter_time(ctx: &SendContext<'_>) -> f64 {
    let now = match ctx.clock {
        Some(clock) => clock.now(),
        None => std::time::SystemTime::now(),
    };
    now.duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// How one attempt ended.
enum Outcome<B> {
    Response(::http::Response<B>),
    BuildFailed(BoxError),
    Http(HttpError),
    TimedOut(Duration),
}

async fn run_attempt<X, F, Fut, E>(
    ctx: &SendContext<'_>,
    exchange: &X,
    build_request: &mut F,
    info: AttemptInfo,
) -> Outcome<X::Response>
where
    X: Exchange,
    F: FnMut(AttemptInfo) -> Fut,
    Fut: Future<Output = Result<::http::Request<X::Request>, E>>,
    E: Into<BoxError>,
{
    let work = async {
        let mut request = match build_request(info.clone()).await {
            Ok(request) => request,
            Err(error) => return Outcome::BuildFailed(error.into()),
        };
        info.apply_headers(request.headers_mut());
        match exchange.send(ctx.http, request).await {
            Ok(response) => Outcome::Response(response),
            Err(error) => Outcome::Http(error),
        }
    };
    match timeout(ctx.sleep, ctx.timeouts.attempt_timeout(), work).await {
        Ok(outcome) => outcome,
        Err(elapsed) => Outcome::TimedOut(elapsed.limit()),
    }
}

/// A retryable failure, kept until the loop knows whether it is the last.
enum Failure<B> {
    Response {
        response: ::http::Response<B>,
        code: Option<String>,
    },
    Http(HttpError),
    AttemptTimeout(Duration),
}

impl<B> Failure<B> {
    /// The call's result when this failure is the last.
    fn finish(self, attempts: u32) -> Result<FinalResponse<B>, SendError> {
        match self {
            Failure::Response { response, .. } => Ok(FinalResponse { response, attempts, not_retried: None }),
            Failure::Http(error) => Err(SendError::http(error, attempts)),
            Failure::AttemptTimeout(limit) => Err(SendError::new(
                SendErrorKind::AttemptTimeout(limit),
                attempts,
                None,
            )),
        }
    }

    /// A description of this failure, for an operation timeout that follows.
    fn into_error(self) -> BoxError {
        match self {
            Failure::Response { response, code } => Box::new(RetryableResponse {
                status: response.status(),
                code,
            }),
            Failure::Http(error) => Box::new(error),
            Failure::AttemptTimeout(limit) => Box::new(AttemptTimedOut(limit)),
        }
    }
}

/// A retryable error response, as the last failure of a timed-out operation.
#[derive(Debug)]
struct RetryableResponse {
    status: StatusCode,
    code: Option<String>,
}

impl fmt::Display for RetryableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

impl Error for RetryableResponse {}

/// An attempt timeout, as the last failure of a timed-out operation.
#[derive(Debug)]
struct AttemptTimedOut(Duration);

impl fmt::Display for AttemptTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attempt timed out after {:?}", self.0)
    }
}

impl Error for AttemptTimedOut {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempt_headers_carry_the_attempt_the_limit_and_the_call_id() {
        for (attempt, max_attempts, expected) in [
            (1, 3, "attempt=1; max=3"),
            (10, 10, "attempt=10; max=10"),
            (0, u32::MAX, "attempt=0; max=4294967295"),
        ] {
            let info = AttemptInfo {
                attempt,
                max_attempts,
                invocation_id: HeaderValue::from_static("9f1c2b7e-03d4-4a6f-9e21-5c8d7b0a4f13"),
            };
            assert_eq!(info.sdk_request(), expected);
            let mut headers = HeaderMap::new();
            info.apply_headers(&mut headers);
            assert_eq!(headers[SDK_REQUEST_HEADER], expected);
            assert_eq!(headers[INVOCATION_ID_HEADER], "9f1c2b7e-03d4-4a6f-9e21-5c8d7b0a4f13");
            assert_eq!(info.invocation_id(), "9f1c2b7e-03d4-4a6f-9e21-5c8d7b0a4f13");
        }
    }
}
