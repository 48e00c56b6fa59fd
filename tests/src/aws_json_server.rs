//! A loopback server for awsJson services (`awsJson1_0`, `awsJson1_1`): every
//! call is `POST /` with the operation in `X-Amz-Target` and the whole input
//! as the JSON body. The service behind it is a [`JsonService`]; this module
//! does what every awsJson service does the same way:
//!
//! - answers 400 `UnknownOperationException` to a request that is not
//!   `POST /` or whose `X-Amz-Target` is not `<target prefix>.<Operation>`;
//! - answers 400 `SerializationException` to a `Content-Type` other than
//!   the protocol's (`application/x-amz-json-1.0` or `-1.1`) or a body that
//!   is not a JSON object;
//! - answers 403 `IncompleteSignatureException` when the request is not
//!   SigV4-signed for the service's signing name (the shape of the
//!   signature is checked, as in [`crate::ivs_server`]);
//! - gives every response an `x-amzn-requestid` and records every request.
//!
//! [`crate::dynamodb_server`] and [`crate::sqs_server`] are the two services.

use bytes::Bytes;
use http::StatusCode;
use serde_json::{json, Map, Value};

use crate::ivs_server::check_sigv4_shape;
pub use crate::ivs_server::RecordedRequest;
use crate::loopback::{Answer, Server};

/// What a service answers to one call.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body.
    pub body: Value,
    /// Headers besides the content type and the request id.
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A 200 answer with `body`.
    pub fn ok(body: Value) -> Reply {
        Reply {
            status: StatusCode::OK,
            body,
            headers: Vec::new(),
        }
    }

    /// An error answer: `__type` is `type_name` (services send a shape id,
    /// `namespace#Name`, or the bare name), with a `message`.
    pub fn error(status: StatusCode, type_name: &str, message: &str) -> Reply {
        Reply {
            status,
            body: json!({ "__type": type_name, "message": message }),
            headers: Vec::new(),
        }
    }

    /// The same answer with one more header.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// The same answer with one more member in its (object) body.
    pub fn with_member(mut self, name: &str, value: Value) -> Reply {
        if let Value::Object(body) = &mut self.body {
            body.insert(name.to_owned(), value);
        }
        self
    }
}

/// The behaviour of one awsJson service behind the loopback server.
pub trait JsonService: Send + 'static {
    /// The `X-Amz-Target` prefix, e.g. `DynamoDB_20120810`.
    fn target_prefix(&self) -> &'static str;
    /// The SigV4 signing name, e.g. `dynamodb`.
    fn signing_name(&self) -> &'static str;
    /// `application/x-amz-json-1.0` or `application/x-amz-json-1.1`.
    fn content_type(&self) -> &'static str;
    /// Answers `operation` (the part of the target after the prefix) for an
    /// input that is a JSON object.
    fn call(&mut self, operation: &str, input: &Map<String, Value>) -> Reply;
}

/// A running awsJson loopback server for service `S`.
pub type AwsJsonServer<S> = Server<S>;

/// Binds `127.0.0.1:0` and serves `service` on the current tokio runtime.
///
/// # Panics
///
/// If no loopback port can be bound, which leaves nothing to test.
pub async fn start<S: JsonService>(service: S) -> AwsJsonServer<S> {
    Server::start("awsJson", service, answer::<S>).await
}

impl<S: JsonService> AwsJsonServer<S> {
    /// The requests read so far whose `X-Amz-Target` names `operation`.
    pub fn requests_for(&self, operation: &str) -> Vec<RecordedRequest> {
        let target =
            self.with_service(|service| format!("{}.{operation}", service.target_prefix()));
        self.requests()
            .into_iter()
            .filter(|r| r.header("x-amz-target") == Some(target.as_str()))
            .collect()
    }
}

fn answer<S: JsonService>(service: &mut S, request: &RecordedRequest, n: u64) -> Answer {
    let request_id = format!("5a1d7c3e-0000-4000-8000-{n:012}");
    let reply = match check_request(request, service) {
        Ok((operation, input)) => service.call(&operation, &input),
        Err(reply) => reply,
    };
    let fixed = [
        ("content-type", service.content_type().to_owned()),
        ("x-amzn-requestid", request_id.clone()),
    ];
    Answer {
        status: reply.status,
        headers: reply.headers.into_iter().chain(fixed).collect(),
        body: Bytes::from(reply.body.to_string()),
        request_id,
    }
}

/// The operation and input of a well-formed, signed awsJson request, or the
/// error the service answers.
fn check_request<S: JsonService>(
    request: &RecordedRequest,
    service: &S,
) -> Result<(String, Map<String, Value>), Reply> {
    let unknown =
        |what: &str| Reply::error(StatusCode::BAD_REQUEST, "UnknownOperationException", what);
    if request.method != "POST" || request.path != "/" {
        return Err(unknown(&format!(
            "awsJson calls are POST /, not {} {}",
            request.method, request.path
        )));
    }
    let target = request.header("x-amz-target").unwrap_or_default();
    let operation = target
        .strip_prefix(service.target_prefix())
        .and_then(|rest| rest.strip_prefix('.'))
        .filter(|operation| !operation.is_empty())
        .ok_or_else(|| {
            unknown(&format!(
                "X-Amz-Target `{target}` names no operation of this service"
            ))
        })?;
    let content_type = request.header("content-type").unwrap_or_default();
    if content_type != service.content_type() {
        return Err(Reply::error(
            StatusCode::BAD_REQUEST,
            "SerializationException",
            &format!(
                "Content-Type `{content_type}` is not {}",
                service.content_type()
            ),
        ));
    }
    if let Err(problem) = check_sigv4_shape(&request.headers, service.signing_name()) {
        return Err(Reply::error(
            StatusCode::FORBIDDEN,
            "IncompleteSignatureException",
            &problem,
        ));
    }
    match request.json() {
        Some(Value::Object(input)) => Ok((operation.to_owned(), input)),
        _ => Err(Reply::error(
            StatusCode::BAD_REQUEST,
            "SerializationException",
            "the body is not a JSON object",
        )),
    }
}
