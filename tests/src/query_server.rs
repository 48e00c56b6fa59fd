//! A loopback server for awsQuery services: every call is `POST /` with an
//! `application/x-www-form-urlencoded` body naming the `Action` and the
//! service's API `Version`, the input's members under dotted names
//! ([`Form`]). The service behind it is a [`QueryService`]; this module does
//! what every awsQuery service does the same way:
//!
//! - answers 400 `InvalidAction` to a request that is not `POST /` or names
//!   no action the service knows, 400 `MalformedQueryString` to another
//!   content type or a body that is not a form, 400 `NoSuchVersion` to a
//!   missing or different `Version`;
//! - answers 403 `MissingAuthenticationToken` to an unsigned request and 403
//!   `IncompleteSignature` to one not SigV4-signed for the service's signing
//!   name (the shape of the signature is checked, as in [`crate::ivs_server`]);
//! - wraps a result in `<ActionResponse><ActionResult>…</ActionResult>
//!   <ResponseMetadata><RequestId>` and an error in `<ErrorResponse><Error>
//!   <Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
//!   <RequestId>`, both in the service's XML namespace, with the same id in
//!   the `x-amzn-RequestId` header; records every request.
//!
//! [`crate::sts_server`] and [`crate::sns_server`] are the two services.

use bytes::Bytes;
use http::StatusCode;

use crate::ivs_server::{check_sigv4_shape, SigV4Authorization};
use crate::loopback::{Answer, RecordedRequest, Server};
use crate::wire::{Form, XmlWriter};

/// A running awsQuery loopback server for service `S`.
pub type QueryServer<S> = Server<S>;

/// The content type of every awsQuery answer.
pub const XML_CONTENT_TYPE: &str = "text/xml";

/// One signed, well-formed call as the service sees it.
#[derive(Debug)]
pub struct Call<'a> {
    /// The `Action` parameter, e.g. `AssumeRole`.
    pub action: &'a str,
    /// Every parameter, `Action` and `Version` included.
    pub form: &'a Form,
    /// The request's SigV4 signature, read apart.
    pub auth: &'a SigV4Authorization,
    /// The `X-Amz-Security-Token` header of session credentials, if any.
    pub security_token: Option<&'a str>,
}

/// Who is at fault for an error, as the `<Type>` of an error body says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The caller (`Sender`).
    Sender,
    /// The service (`Receiver`).
    Receiver,
}

/// An error answer of an awsQuery service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The HTTP status.
    pub status: StatusCode,
    /// `<Type>`.
    pub fault: Fault,
    /// `<Code>`: the `@awsQueryError` code of a modeled error.
    pub code: String,
    /// `<Message>`.
    pub message: String,
}

impl QueryError {
    /// An error the caller caused.
    pub fn sender(status: StatusCode, code: &str, message: &str) -> QueryError {
        QueryError {
            status,
            fault: Fault::Sender,
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }

    /// 400 with `code` for a parameter the service does not accept.
    pub fn bad_request(code: &str, message: &str) -> QueryError {
        QueryError::sender(StatusCode::BAD_REQUEST, code, message)
    }
}

/// The behaviour of one awsQuery service behind the loopback server.
pub trait QueryService: Send + 'static {
    /// The SigV4 signing name, e.g. `sts`.
    fn signing_name(&self) -> &'static str;
    /// The API version every request must name, e.g. `2011-06-15`.
    fn version(&self) -> &'static str;
    /// The XML namespace of every answer.
    fn namespace(&self) -> &'static str;
    /// Whether `action` is one of the service's operations.
    fn knows(&self, action: &str) -> bool;
    /// Answers `call`, writing the members of its `<ActionResult>` element
    /// into `result`, or fails with the service's error.
    fn call(&mut self, call: &Call<'_>, result: &mut XmlWriter) -> Result<(), QueryError>;
}

/// Binds `127.0.0.1:0` and serves `service` on the current tokio runtime.
///
/// # Panics
///
/// If no loopback port can be bound, which leaves nothing to test.
pub async fn start<S: QueryService>(service: S) -> QueryServer<S> {
    Server::start("awsQuery", service, answer::<S>).await
}

impl<S: QueryService> QueryServer<S> {
    /// The requests read so far whose form names `action`.
    pub fn requests_for_action(&self, action: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.form().ok().as_ref().and_then(|f| f.get("Action")) == Some(action))
            .collect()
    }
}

fn answer<S: QueryService>(service: &mut S, request: &RecordedRequest, n: u64) -> Answer {
    let request_id = format!("7c4e9a1f-0000-4000-8000-{n:012}");
    let (status, body) = match serve(service, request, &request_id) {
        Ok(body) => (StatusCode::OK, body),
        Err(error) => (
            error.status,
            error_body(service.namespace(), &error, &request_id),
        ),
    };
    Answer {
        status,
        headers: vec![
            ("content-type", XML_CONTENT_TYPE.to_owned()),
            ("x-amzn-RequestId", request_id.clone()),
        ],
        body: Bytes::from(body),
        request_id,
    }
}

/// The `<ActionResponse>` document, or the error to answer.
fn serve<S: QueryService>(
    service: &mut S,
    request: &RecordedRequest,
    request_id: &str,
) -> Result<String, QueryError> {
    let bad = QueryError::bad_request;
    if request.method != "POST" || request.path != "/" {
        return Err(bad(
            "InvalidAction",
            &format!(
                "awsQuery calls are POST /, not {} {}",
                request.method, request.path
            ),
        ));
    }
    let content_type = request.header("content-type").unwrap_or_default();
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(bad(
            "MalformedQueryString",
            &format!("Content-Type `{content_type}` is not application/x-www-form-urlencoded"),
        ));
    }
    if request.header("authorization").is_none() {
        return Err(QueryError::sender(
            StatusCode::FORBIDDEN,
            "MissingAuthenticationToken",
            "the request is not signed",
        ));
    }
    let auth = check_sigv4_shape(&request.headers, service.signing_name()).map_err(|problem| {
        QueryError::sender(StatusCode::FORBIDDEN, "IncompleteSignature", &problem)
    })?;
    let form = request
        .form()
        .map_err(|problem| bad("MalformedQueryString", &problem))?;
    let action = form.get("Action").unwrap_or_default();
    if !service.knows(action) {
        return Err(bad(
            "InvalidAction",
            &format!("`{action}` is not an action of this service"),
        ));
    }
    if form.get("Version") != Some(service.version()) {
        return Err(bad(
            "NoSuchVersion",
            &format!(
                "Version {:?} is not {}",
                form.get("Version"),
                service.version()
            ),
        ));
    }
    let call = Call {
        action,
        form: &form,
        auth: &auth,
        security_token: request.header("x-amz-security-token"),
    };
    let mut xml = XmlWriter::new(&format!("{action}Response"), Some(service.namespace()));
    xml.start(&format!("{action}Result"));
    service.call(&call, &mut xml)?;
    xml.end()
        .start("ResponseMetadata")
        .leaf("RequestId", request_id);
    Ok(xml.finish())
}

/// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
pub fn error_body(namespace: &str, error: &QueryError, request_id: &str) -> String {
    let fault = match error.fault {
        Fault::Sender => "Sender",
        Fault::Receiver => "Receiver",
    };
    let mut xml = XmlWriter::new("ErrorResponse", Some(namespace));
    xml.start("Error")
        .leaf("Type", fault)
        .leaf("Code", &error.code)
        .leaf("Message", &error.message)
        .end()
        .leaf("RequestId", request_id);
    xml.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    /// Answers `Echo` with its `Text` parameter; `Fail` with an error.
    struct Echo;

    impl QueryService for Echo {
        fn signing_name(&self) -> &'static str {
            "echo"
        }
        fn version(&self) -> &'static str {
            "2020-01-01"
        }
        fn namespace(&self) -> &'static str {
            "https://echo.example.com/doc/2020-01-01/"
        }
        fn knows(&self, action: &str) -> bool {
            matches!(action, "Echo" | "Fail")
        }
        fn call(&mut self, call: &Call<'_>, result: &mut XmlWriter) -> Result<(), QueryError> {
            if call.action == "Fail" {
                return Err(QueryError::bad_request("Broken", "it <broke>"));
            }
            result.leaf(
                "Text",
                call.form
                    .required("Text")
                    .map_err(|e| QueryError::bad_request("Missing", &e))?,
            );
            result.leaf("Region", &call.auth.region);
            Ok(())
        }
    }

    const AUTH: &str =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/eu-west-1/echo/aws4_request, \
        SignedHeaders=content-type;host;x-amz-date, \
        Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn request(
        method: &str,
        path: &str,
        content_type: &str,
        auth: Option<&str>,
        body: &str,
    ) -> RecordedRequest {
        let mut headers = HeaderMap::new();
        headers.insert("host", "127.0.0.1".parse().unwrap());
        headers.insert("x-amz-date", "20240501T120000Z".parse().unwrap());
        headers.insert("content-type", content_type.parse().unwrap());
        if let Some(auth) = auth {
            headers.insert("authorization", auth.parse().unwrap());
        }
        RecordedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body: Bytes::from(body.to_owned()),
            status: 0,
            request_id: String::new(),
        }
    }

    fn form_request(body: &str) -> RecordedRequest {
        request(
            "POST",
            "/",
            "application/x-www-form-urlencoded; charset=utf-8",
            Some(AUTH),
            body,
        )
    }

    fn text(answer: &Answer) -> &str {
        std::str::from_utf8(&answer.body).unwrap()
    }

    #[test]
    fn a_result_is_wrapped_with_the_request_id_in_the_namespace() {
        let answer = answer(
            &mut Echo,
            &form_request("Action=Echo&Version=2020-01-01&Text=a%26b"),
            3,
        );
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.request_id, "7c4e9a1f-0000-4000-8000-000000000003");
        assert_eq!(
            text(&answer),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <EchoResponse xmlns=\"https://echo.example.com/doc/2020-01-01/\">\
             <EchoResult><Text>a&amp;b</Text><Region>eu-west-1</Region></EchoResult>\
             <ResponseMetadata><RequestId>7c4e9a1f-0000-4000-8000-000000000003</RequestId></ResponseMetadata>\
             </EchoResponse>"
        );
        assert!(answer
            .headers
            .contains(&("x-amzn-RequestId", answer.request_id.clone())));
    }

    #[test]
    fn a_service_error_is_an_error_response() {
        let answer = answer(
            &mut Echo,
            &form_request("Action=Fail&Version=2020-01-01"),
            1,
        );
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            text(&answer),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <ErrorResponse xmlns=\"https://echo.example.com/doc/2020-01-01/\">\
             <Error><Type>Sender</Type><Code>Broken</Code><Message>it &lt;broke&gt;</Message></Error>\
             <RequestId>7c4e9a1f-0000-4000-8000-000000000001</RequestId></ErrorResponse>"
        );
    }

    #[test]
    fn requests_that_are_not_awsquery_calls_are_refused_with_their_codes() {
        let form = "application/x-www-form-urlencoded";
        let body = "Action=Echo&Version=2020-01-01&Text=x";
        let cases = [
            (
                request("GET", "/?Action=Echo", form, Some(AUTH), ""),
                400,
                "InvalidAction",
            ),
            (
                request("POST", "/", "application/json", Some(AUTH), body),
                400,
                "MalformedQueryString",
            ),
            (
                request("POST", "/", form, None, body),
                403,
                "MissingAuthenticationToken",
            ),
            (
                request("POST", "/", form, Some("AWS4-HMAC-SHA256 nonsense"), body),
                403,
                "IncompleteSignature",
            ),
            (
                request(
                    "POST",
                    "/",
                    form,
                    Some(&AUTH.replace("/echo/", "/sts/")),
                    body,
                ),
                403,
                "IncompleteSignature",
            ),
            (
                form_request("Action=Dance&Version=2020-01-01"),
                400,
                "InvalidAction",
            ),
            (
                form_request("Action=Echo&Version=2019-01-01&Text=x"),
                400,
                "NoSuchVersion",
            ),
            (form_request("Action=Echo&Text=x"), 400, "NoSuchVersion"),
        ];
        for (request, status, code) in cases {
            let answer = answer(&mut Echo, &request, 1);
            assert_eq!(answer.status.as_u16(), status, "{request:?}");
            assert!(
                text(&answer).contains(&format!("<Code>{code}</Code>")),
                "{request:?}: {}",
                text(&answer)
            );
        }
    }
}
