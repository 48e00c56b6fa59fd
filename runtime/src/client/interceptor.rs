//! Interceptors: code of the caller's that runs at fixed points of every
//! call a client makes, configured with
//! [`ConfigBuilder::interceptor`](super::ConfigBuilder::interceptor).
//!
//! | hook | when | may |
//! | --- | --- | --- |
//! | [`read_before_serialization`](Interceptor::read_before_serialization) | once, before the input is serialized | read the input (its `Debug` form: `@sensitive` values redacted) |
//! | [`modify_before_signing`](Interceptor::modify_before_signing) | every attempt, before signing | change the request (what it changes is signed) |
//! | [`modify_before_transmit`](Interceptor::modify_before_transmit) | every attempt, after signing | change the request (headers added here are not signed) |
//! | [`read_after_response`](Interceptor::read_after_response) | once, on the response the call ends with | read it, before it is parsed |
//!
//! A hook that returns an error ends the call: before the response as a
//! construction error (nothing more is sent), after it as a response error.
//! Interceptors run in the order they were added.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};

use crate::http::BoxError;

/// Hooks into every call of a client; every hook does nothing by default.
///
/// ```
/// use smithy_runtime::client::{CallContext, Interceptor};
/// use smithy_runtime::http::BoxError;
///
/// /// Adds a trace header to every request, signed with it.
/// #[derive(Debug)]
/// struct TraceId(&'static str);
///
/// impl Interceptor for TraceId {
///     fn modify_before_signing(
///         &self,
///         _ctx: &CallContext<'_>,
///         request: &mut http::Request<bytes::Bytes>,
///     ) -> Result<(), BoxError> {
///         request.headers_mut().insert("x-trace-id", http::HeaderValue::from_static(self.0));
///         Ok(())
///     }
/// }
///
/// let config = smithy_runtime::client::Config::builder()
///     .interceptor(TraceId("abc"))
///     .build();
/// assert_eq!(config.interceptors().count(), 1);
/// ```
pub trait Interceptor: Send + Sync + fmt::Debug {
    /// Before the input is serialized, once per call.
    fn read_before_serialization(
        &self,
        ctx: &CallContext<'_>,
        input: &dyn fmt::Debug,
    ) -> Result<(), BoxError> {
        let _ = (ctx, input);
        Ok(())
    }

    /// Before the request of an attempt is signed.
    fn modify_before_signing(
        &self,
        ctx: &CallContext<'_>,
        request: &mut Request<Bytes>,
    ) -> Result<(), BoxError> {
        let _ = (ctx, request);
        Ok(())
    }

    /// After the request of an attempt is signed, before it is sent.
    fn modify_before_transmit(
        &self,
        ctx: &CallContext<'_>,
        request: &mut Request<Bytes>,
    ) -> Result<(), BoxError> {
        let _ = (ctx, request);
        Ok(())
    }

    /// On the response the call ends with (after any retries), before it is
    /// parsed.
    fn read_after_response(
        &self,
        ctx: &CallContext<'_>,
        response: &Response<Bytes>,
    ) -> Result<(), BoxError> {
        let _ = (ctx, response);
        Ok(())
    }
}

/// A shared, type-erased [`Interceptor`], as a configuration stores it.
pub type SharedInterceptor = Arc<dyn Interceptor>;

impl<T: Interceptor + ?Sized> Interceptor for Arc<T> {
    fn read_before_serialization(&self, ctx: &CallContext<'_>, input: &dyn fmt::Debug) -> Result<(), BoxError> {
        (**self).read_before_serialization(ctx, input)
    }

    fn modify_before_signing(&self, ctx: &CallContext<'_>, request: &mut Request<Bytes>) -> Result<(), BoxError> {
        (**self).modify_before_signing(ctx, request)
    }

    fn modify_before_transmit(&self, ctx: &CallContext<'_>, request: &mut Request<Bytes>) -> Result<(), BoxError> {
        (**self).modify_before_transmit(ctx, request)
    }

    fn read_after_response(&self, ctx: &CallContext<'_>, response: &Response<Bytes>) -> Result<(), BoxError> {
        (**self).read_after_response(ctx, response)
    }
}

/// What a hook is told about the call it runs in.
#[derive(Debug, Clone, Copy)]
pub struct CallContext<'a> {
    pub(crate) service: &'a str,
    pub(crate) operation: &'a str,
    pub(crate) attempt: u32,
}

impl CallContext<'_> {
    /// The service's SDK id, e.g. `IVS RealTime`.
    pub fn service(&self) -> &str {
        self.service
    }

    /// The operation, e.g. `CreateStage`.
    pub fn operation(&self) -> &str {
        self.operation
    }

    /// The attempt (from 1) for the per-attempt hooks; the number of
    /// attempts made in `read_after_response`; 0 before serialization.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

/// A hook failed; the call ends with it.
#[derive(Debug)]
pub struct InterceptorError {
    hook: &'static str,
    interceptor: String,
    source: BoxError,
}

impl InterceptorError {
    /// The hook that failed, e.g. `modify_before_signing`.
    pub fn hook(&self) -> &'static str {
        self.hook
    }
}

impl fmt::Display for InterceptorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "interceptor {} failed in `{}`: {}", self.interceptor, self.hook, self.source)
    }
}

impl std::error::Error for InterceptorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// Runs `hook` of every interceptor in order, stopping at the first error.
pub(crate) fn run_hook(
    interceptors: &[SharedInterceptor],
    hook: &'static str,
    mut call: impl FnMut(&dyn Interceptor) -> Result<(), BoxError>,
) -> Result<(), InterceptorError> {
    for interceptor in interceptors {
        call(&**interceptor).map_err(|source| InterceptorError {
            hook,
            interceptor: format!("{interceptor:?}"),
            source,
        })?;
    }
    Ok(())
}
