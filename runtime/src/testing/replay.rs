//! The [`ReplayClient`]: an `HttpClient` that answers with queued responses
//! and records every request (see the [`testing`](super) module for a whole test).

use std::collections::VecDeque;
use std::error::Error;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode, Uri};

use crate::http::{HttpClient, HttpError, HttpFuture, OperationName};

/// Headers never shown in a [`NoReplayError`]: they carry credentials.
const HIDDEN_HEADERS: &[&str] = &["authorization", "x-amz-security-token"];

/// The most body bytes a [`NoReplayError`] shows.
const SHOWN_BODY_BYTES: usize = 4096;

/// A response to replay: status, headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl CannedResponse {
    /// A response with this status, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        CannedResponse {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// A response with this status, `Content-Type: application/json` and
    /// `body`.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        CannedResponse::new(status)
            .header("content-type", "application/json")
            .body(body.into())
    }

    /// A restJson1 error response: `status`, `x-amzn-errortype: <code>` and
    /// a JSON body with `message`.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let body = serde_json::json!({ "message": message }).to_string();
        CannedResponse::json(status, body).header("x-amzn-errortype", code)
    }

    /// Adds a header (kept in order; a name may repeat).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response as the client receives it; a status or header the
    /// `http` crate rejects is a test mistake, reported as an error.
    fn to_response(&self) -> Result<Response<Bytes>, String> {
        let mut response = Response::new(self.body.clone());
        *response.status_mut() = StatusCode::from_u16(self.status)
            .map_err(|_| format!("canned response has an invalid status {}", self.status))?;
        for (name, value) in &self.headers {
            let name = HeaderName::try_from(name.as_str())
                .map_err(|_| format!("canned response has an invalid header name `{name}`"))?;
            let value = HeaderValue::try_from(value.as_str())
                .map_err(|_| format!("canned response header `{name}` has an invalid value"))?;
            response.headers_mut().append(name, value);
        }
        Ok(response)
    }
}

/// A request the [`ReplayClient`] was sent, as signed.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    operation: Option<&'static str>,
    request: Request<Bytes>,
}

impl RecordedRequest {
    /// The operation's wire name (e.g. `ListStages`), when the client said
    /// (generated clients always do).
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }

    /// The method.
    pub fn method(&self) -> &Method {
        self.request.method()
    }

    /// The absolute URI (endpoint, path and query).
    pub fn uri(&self) -> &Uri {
        self.request.uri()
    }

    /// Every header, including the signature.
    pub fn headers(&self) -> &HeaderMap {
        self.request.headers()
    }

    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.request.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        self.request.body()
    }

    /// The body as JSON, or `None` if it is not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(self.request.body()).ok()
    }

    /// The whole request.
    pub fn request(&self) -> &Request<Bytes> {
        &self.request
    }
}

impl fmt::Display for RecordedRequest {
    /// `METHOD URI`, then one `name: value` line per header (credentials
    /// left out), then the body as text (at most 4 KiB).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method(), self.uri())?;
        if let Some(operation) = self.operation {
            write!(f, " (operation {operation})")?;
        }
        for (name, value) in self.headers() {
            if HIDDEN_HEADERS.contains(&name.as_str()) {
                continue;
            }
            write!(f, "\n{name}: {}", String::from_utf8_lossy(value.as_bytes()))?;
        }
        let body = self.body();
        if !body.is_empty() {
            let shown = &body[..body.len().min(SHOWN_BODY_BYTES)];
            write!(f, "\n\n{}", String::from_utf8_lossy(shown))?;
            if shown.len() < body.len() {
                write!(f, "… ({} bytes in all)", body.len())?;
            }
        }
        Ok(())
    }
}

/// The error a [`ReplayClient`] gives a request no queued response fits;
/// its message shows the request.
#[derive(Debug)]
pub struct NoReplayError {
    reason: String,
    request: RecordedRequest,
}

impl NoReplayError {
    /// The request that found no response.
    pub fn request(&self) -> &RecordedRequest {
        &self.request
    }
}

impl fmt::Display for NoReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "replay client: {} for this request:\n{}", self.reason, self.request)
    }
}

impl Error for NoReplayError {}

#[derive(Debug)]
struct Queued {
    operation: Option<String>,
    response: CannedResponse,
}

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<Queued>,
    requests: Vec<RecordedRequest>,
}

/// An [`HttpClient`] that answers with queued responses and records every
/// request; see the [module docs](crate::testing). Clones share the queue and the
/// record, so keep one clone and give the other to the configuration.
#[derive(Debug, Clone, Default)]
pub struct ReplayClient {
    state: Arc<Mutex<State>>,
}

impl ReplayClient {
    /// A replay client with nothing queued.
    pub fn new() -> Self {
        ReplayClient::default()
    }

    /// Queues `response` for the next request, whatever its operation.
    pub fn push(&self, response: CannedResponse) -> &Self {
        self.lock().queue.push_back(Queued {
            operation: None,
            response,
        });
        self
    }

    /// Queues `response` for the next request of `operation` (its wire
    /// name, e.g. `ListStages`).
    pub fn push_for(&self, operation: &str, response: CannedResponse) -> &Self {
        self.lock().queue.push_back(Queued {
            operation: Some(operation.to_owned()),
            response,
        });
        self
    }

    /// Every request sent so far, in order (unanswered ones too).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// The requests of `operation` sent so far, in order.
    pub fn requests_for(&self, operation: &str) -> Vec<RecordedRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.operation == Some(operation))
            .cloned()
            .collect()
    }

    /// How many queued responses are still unused.
    pub fn remaining(&self) -> usize {
        self.lock().queue.len()
    }

    /// Whether every queued response was used.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The state, even after a panicking test thread poisoned the lock
    /// (every change is a single push or removal, so it stays consistent).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let operation = request.extensions().get::<OperationName>().map(|o| o.0);
        let recorded = RecordedRequest { operation, request };
        let mut state = self.lock();
        state.requests.push(recorded.clone());
        let fits = |queued: &Queued| match &queued.operation {
            None => true,
            Some(wanted) => Some(wanted.as_str()) == operation,
        };
        let Some(index) = state.queue.iter().position(fits) else {
            let reason = if state.queue.is_empty() {
                "no response is queued".to_owned()
            } else {
                let queued: Vec<&str> = state
                    .queue
                    .iter()
                    .filter_map(|q| q.operation.as_deref())
                    .collect();
                format!(
                    "no queued response fits (the {} queued are for {})",
                    state.queue.len(),
                    queued.join(", ")
                )
            };
            return Err(HttpError::other(NoReplayError {
                reason,
                request: recorded,
            }));
        };
        let queued = state.queue.remove(index);
        drop(state);
        match queued.map(|q| q.response.to_response()) {
            Some(Ok(response)) => Ok(response),
            Some(Err(reason)) => Err(HttpError::other(NoReplayError {
                reason,
                request: recorded,
            })),
            None => unreachable!("`position` found this index in the queue"),
        }
    }
}

impl HttpClient for ReplayClient {
    fn call(&self, request: Request<Bytes>) -> HttpFuture<'_> {
        let answer = self.answer(request);
        Box::pin(async move { answer })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(operation: Option<&'static str>, body: &'static str) -> Request<Bytes> {
        let mut request = Request::post("https://example.com/Op?x=1")
            .header("authorization", "AWS4-HMAC-SHA256 Credential=AKID/…, Signature=abc")
            .header("x-amz-security-token", "session-secret")
            .header("content-type", "application/json")
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap();
        if let Some(operation) = operation {
            request.extensions_mut().insert(OperationName(operation));
        }
        request
    }

    fn call(client: &ReplayClient, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(client.call(request))
    }

    #[test]
    fn answers_in_order_and_per_operation() {
        let replay = ReplayClient::new();
        replay
            .push_for("B", CannedResponse::new(200).body("b1"))
            .push(CannedResponse::json(201, "{}").header("x-extra", "1"))
            .push_for("B", CannedResponse::new(200).body("b2"));

        // "A" skips the response queued for "B" and takes the open one.
        let a = call(&replay, request(Some("A"), "")).unwrap();
        assert_eq!(a.status(), 201);
        assert_eq!(a.headers()["content-type"], "application/json");
        assert_eq!(a.headers()["x-extra"], "1");
        assert_eq!(call(&replay, request(Some("B"), "")).unwrap().body(), "b1");
        assert_eq!(call(&replay, request(Some("B"), "")).unwrap().body(), "b2");
        assert!(replay.is_empty());

        let requests = replay.requests();
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[0].operation(), Some("A"));
        assert_eq!(replay.requests_for("B").len(), 2);
        assert_eq!(requests[0].uri().path(), "/Op");
        assert_eq!(requests[0].header("content-type"), Some("application/json"));
    }

    #[test]
    fn an_unmatched_request_is_shown_without_credentials() {
        let replay = ReplayClient::new();
        let error = call(&replay, request(Some("A"), r#"{"maxResults":2}"#)).unwrap_err();
        assert_eq!(error.kind(), crate::http::HttpErrorKind::Other);
        let text = error.to_string();
        assert!(text.contains("no response is queued"), "{text}");
        assert!(text.contains("POST https://example.com/Op?x=1 (operation A)"), "{text}");
        assert!(text.contains("content-type: application/json"), "{text}");
        assert!(text.contains(r#"{"maxResults":2}"#), "{text}");
        assert!(!text.contains("Signature") && !text.contains("session-secret"), "{text}");
        assert_eq!(replay.requests().len(), 1, "unanswered requests are recorded too");

        replay.push_for("B", CannedResponse::new(200));
        let text = call(&replay, request(Some("A"), "")).unwrap_err().to_string();
        assert!(text.contains("the 1 queued are for B"), "{text}");
        assert_eq!(replay.remaining(), 1);
    }

    #[test]
    fn bad_canned_responses_and_long_bodies_are_reported() {
        let replay = ReplayClient::new();
        replay.push(CannedResponse::new(200).header("bad name", "x"));
        let text = call(&replay, request(None, "")).unwrap_err().to_string();
        assert!(text.contains("invalid header name `bad name`"), "{text}");

        let long = "x".repeat(SHOWN_BODY_BYTES + 10);
        let long: &'static str = Box::leak(long.into_boxed_str());
        let text = call(&replay, request(None, long)).unwrap_err().to_string();
        assert!(text.ends_with(&format!("… ({} bytes in all)", SHOWN_BODY_BYTES + 10)), "{text}");
    }

    #[test]
    fn error_responses_carry_the_code() {
        let response = CannedResponse::error(404, "ResourceNotFoundException", "gone").to_response().unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(response.headers()["x-amzn-errortype"], "ResourceNotFoundException");
        assert_eq!(response.body(), r#"{"message":"gone"}"#);
    }
}
