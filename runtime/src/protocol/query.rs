//! The awsQuery and ec2Query protocols: every request is `POST /` with an
//! `application/x-www-form-urlencoded` body, `Action=<operation>&Version=<API
//! version>` first, then the input's values under dotted keys
//! (`Tags.member.1.Key=env`). The generated `query_ser` module decides the
//! keys (they differ between the two protocols); this module encodes them.

use ::http::{HeaderMap, Request};
use bytes::Bytes;

use super::http::{build_request, QueryWriter};
use super::xml_de::{parse_body, XmlElement};
use super::{DeserializeError, SerializeError};

/// The content type of every query request.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The form body of one query request.
///
/// Keys and values are percent-encoded as in a URI query (everything but
/// `A-Z a-z 0-9 - . _ ~`; a space is `%20`), which is valid form encoding.
///
/// ```
/// use smithy_runtime::protocol::query::{key, QueryForm};
///
/// let mut form = QueryForm::new("GetCallerIdentity", "2011-06-15");
/// form.push(&key("", "RoleArn"), "arn:aws:iam::1:role/r");
/// form.push(&key("Tags.member.1", "Key"), "a b");
/// assert_eq!(
///     form.body(),
///     "Action=GetCallerIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&Tags.member.1.Key=a%20b",
/// );
/// ```
#[derive(Clone, Debug)]
pub struct QueryForm {
    pairs: QueryWriter,
}

impl QueryForm {
    /// A form naming the operation (`Action`) and the API version (`Version`).
    pub fn new(action: &str, version: &str) -> Self {
        let mut pairs = QueryWriter::new("");
        pairs.push("Action", action).push("Version", version);
        QueryForm { pairs }
    }

    /// Adds `key=value`; the text is not encoded yet.
    pub fn push(&mut self, key: &str, value: &str) -> &mut Self {
        self.pairs.push(key, value);
        self
    }

    /// The encoded body so far.
    pub fn body(&self) -> &str {
        self.pairs.pairs()
    }
}

/// The key of member `name` inside the value written at `prefix`: `name`
/// itself at the top level (`prefix` empty), else `prefix.name`.
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The key of the list item or map entry at `index` (counted from zero)
/// under `prefix`: numbering starts at 1 on the wire (`prefix.1`).
pub fn index_key(prefix: &str, index: usize) -> String {
    format!("{prefix}.{}", index + 1)
}

/// The error of a form that would hold the document member `member`: the
/// query protocols have no form for documents, so a model that sends one
/// fails the call instead of sending something the service cannot read.
///
/// ```
/// let error = smithy_runtime::protocol::query::document_member("Settings").unwrap_err();
/// assert_eq!(error.to_string(), "`Settings` is a document, which the query protocols cannot send");
/// ```
pub fn document_member(member: &str) -> Result<(), SerializeError> {
    Err(SerializeError::new(format!(
        "`{member}` is a document, which the query protocols cannot send"
    )))
}

/// The request for a form: `POST /` with the form as its body.
///
/// ```
/// use smithy_runtime::protocol::query::{request, QueryForm};
///
/// let request = request(&QueryForm::new("ListUsers", "2010-05-08")).unwrap();
/// assert_eq!(request.method(), "POST");
/// assert_eq!(request.uri(), "/");
/// assert_eq!(request.headers()["content-type"], "application/x-www-form-urlencoded");
/// assert_eq!(request.body().as_ref(), b"Action=ListUsers&Version=2010-05-08");
/// ```
pub fn request(form: &QueryForm) -> Result<Request<Bytes>, SerializeError> {
    let body = Bytes::copy_from_slice(form.body().as_bytes());
    build_request(
        "POST",
        "/".to_owned(),
        HeaderMap::new(),
        Some((CONTENT_TYPE, body)),
    )
}

/// Where a query protocol puts an operation's output members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputWrapping {
    /// awsQuery: `<OperationResponse><OperationResult>members…`.
    ResponseAndResult,
    /// ec2Query: `<OperationResponse>members…`.
    Response,
}

/// Parses a successful response body of `operation` and returns the element
/// holding the output's members, or `None` for an output sent without them
/// (an empty body, or an awsQuery response without its `Result` element).
///
/// The root must be `<OperationResponse>`; any other root is an error.
/// The `@xmlName` of the output shape does not rename either element.
///
/// ```
/// use smithy_runtime::protocol::query::{output_element, OutputWrapping};
///
/// let body = b"<GetUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
///     <GetUserResult><User><UserName>ana</UserName></User></GetUserResult>\
///     <ResponseMetadata><RequestId>7a62c49f</RequestId></ResponseMetadata>\
///     </GetUserResponse>";
/// let root = output_element(body, "GetUser", OutputWrapping::ResponseAndResult).unwrap().unwrap();
/// assert_eq!(root.name(), "GetUserResult");
/// assert_eq!(root.child("User").unwrap().child("UserName").unwrap().text(), "ana");
/// ```
pub fn output_element(
    body: &[u8],
    operation: &str,
    wrapping: OutputWrapping,
) -> Result<Option<XmlElement>, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let root = parse_body(body)?;
    let response = format!("{operation}Response");
    if root.name() != response {
        return Err(DeserializeError::new(
            "",
            format!(
                "expected the root element `{response}`, found `{}`",
                root.name()
            ),
        ));
    }
    match wrapping {
        OutputWrapping::Response => Ok(Some(root)),
        OutputWrapping::ResponseAndResult => {
            let result = format!("{operation}Result");
            Ok(root.into_child(&result))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_and_version_come_first_and_values_are_encoded() {
        let mut form = QueryForm::new("Put Item", "2020-01-08");
        form.push("ListArg", "")
            .push(&key(&index_key("Map.entry", 0), "key"), "x")
            .push(&key(&index_key("Items.member", 1), "Value"), "a=b&c+d/é");
        assert_eq!(
            form.body(),
            "Action=Put%20Item&Version=2020-01-08&ListArg=&Map.entry.1.key=x&Items.member.2.Value=a%3Db%26c%2Bd%2F%C3%A9"
        );
    }

    #[test]
    fn keys_nest_under_their_prefix() {
        assert_eq!(key("", "Name"), "Name");
        assert_eq!(key("Outer", "Name"), "Outer.Name");
        assert_eq!(index_key("List.member", 0), "List.member.1");
        assert_eq!(index_key("Flat", 9), "Flat.10");
    }

    #[test]
    fn the_request_is_a_form_post_to_the_root() {
        let mut form = QueryForm::new("SendMessage", "2012-11-05");
        form.push("QueueUrl", "https://q/1");
        let request = request(&form).expect("request");
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/");
        assert_eq!(request.headers()["content-type"], CONTENT_TYPE);
        let body = "Action=SendMessage&Version=2012-11-05&QueueUrl=https%3A%2F%2Fq%2F1";
        assert_eq!(
            request.headers()["content-length"],
            body.len().to_string().as_str()
        );
        assert_eq!(request.body().as_ref(), body.as_bytes());
    }

    #[test]
    fn aws_query_outputs_are_inside_the_result_element() {
        let body = b"<OpResponse><OpResult><a>1</a></OpResult><ResponseMetadata/></OpResponse>";
        let element = output_element(body, "Op", OutputWrapping::ResponseAndResult)
            .expect("reads")
            .expect("has members");
        assert_eq!(element.name(), "OpResult");
        assert_eq!(element.child("a").map(XmlElement::text), Some("1"));
        let without_result = b"<OpResponse><ResponseMetadata/></OpResponse>";
        assert_eq!(
            output_element(without_result, "Op", OutputWrapping::ResponseAndResult),
            Ok(None)
        );
    }

    #[test]
    fn ec2_query_outputs_are_the_response_element() {
        let body = b"<OpResponse xmlns=\"https://example.com/\"><a>1</a><requestId>r</requestId></OpResponse>";
        let element = output_element(body, "Op", OutputWrapping::Response)
            .expect("reads")
            .expect("has members");
        assert_eq!(element.name(), "OpResponse");
        assert_eq!(element.child("a").map(XmlElement::text), Some("1"));
    }

    #[test]
    fn empty_bodies_have_no_members_and_other_roots_are_errors() {
        for wrapping in [OutputWrapping::Response, OutputWrapping::ResponseAndResult] {
            assert_eq!(output_element(b"", "Op", wrapping), Ok(None));
            assert_eq!(output_element(b" \n", "Op", wrapping), Ok(None));
            let error =
                output_element(b"<OtherResponse/>", "Op", wrapping).expect_err("wrong root");
            assert_eq!(
                error.to_string(),
                "expected the root element `OpResponse`, found `OtherResponse`"
            );
            assert!(output_element(b"<OpResponse>", "Op", wrapping).is_err());
        }
    }
}
