//! What an XML error response (restXml, awsQuery, ec2Query) says about
//! itself. The `<Error>` element holding `<Code>` and `<Message>` sits in
//! one of three layouts:
//!
//! - `<ErrorResponse><Error>…</Error><RequestId>…</RequestId></ErrorResponse>`
//!   (restXml and awsQuery);
//! - a bare `<Error>…<RequestId>…</RequestId><HostId>…</HostId></Error>`
//!   (restXml with `noErrorWrapping`, S3);
//! - `<Response><Errors><Error>…</Error></Errors><RequestID>…</RequestID></Response>`
//!   (ec2Query).

use ::http::HeaderMap;

use super::error_metadata::{request_id, ErrorMetadata};
use super::xml_de::{parse_body, XmlElement};

/// The header S3 sends its extended request id in.
pub const EXTENDED_REQUEST_ID_HEADER: &str = "x-amz-id-2";

/// The `<Error>` element of an error response in any of the three layouts,
/// or `None` when the root is none of them. Generated error deserializers
/// read the modeled members from it.
pub fn error_element(root: &XmlElement) -> Option<&XmlElement> {
    match root.name() {
        "Error" => Some(root),
        "ErrorResponse" => root.child("Error"),
        "Response" => root.child("Errors")?.child("Error"),
        _ => None,
    }
}

/// The trimmed, non-empty text of the first child `name` of any of `elements`.
fn child_text(elements: &[Option<&XmlElement>], names: &[&str]) -> Option<String> {
    elements.iter().flatten().find_map(|element| {
        names.iter().find_map(|name| {
            let text = element.child(name)?.text().trim();
            (!text.is_empty()).then(|| text.to_owned())
        })
    })
}

/// The `<Message>` (or `<message>`) of an XML document whose root is the
/// error structure itself, as an event stream's exception payload is.
pub(crate) fn root_message(body: &[u8]) -> Option<String> {
    let root = parse_body(body).ok()?;
    child_text(&[Some(&root)], &["Message", "message"])
}

/// Reads the metadata of an XML error response. Never fails: an empty or
/// unparseable body gives the status and the header values only.
///
/// - code and message: `<Code>` and `<Message>` of the [`error_element`];
/// - request id: `<RequestId>` or `<RequestID>` in the error element or the
///   root, else the `x-amzn-requestid` / `x-amz-request-id` header;
/// - extended request id: the `x-amz-id-2` header, else `<HostId>`.
pub fn xml_error_metadata(status: u16, headers: &HeaderMap, body: &[u8]) -> ErrorMetadata {
    let root = parse_body(body).ok();
    let error = root.as_ref().and_then(error_element);
    let places = [error, root.as_ref()];
    let header_extended_id = headers
        .get(EXTENDED_REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned);
    ErrorMetadata::builder()
        .status(status)
        .set_code(child_text(&[error], &["Code"]))
        .set_message(child_text(&[error], &["Message", "message"]))
        .set_request_id(child_text(&places, &["RequestId", "RequestID"]).or_else(|| request_id(headers)))
        .set_extended_request_id(header_extended_id.or_else(|| child_text(&places, &["HostId"])))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_headers as headers;

    #[test]
    fn wrapped_errors_as_restxml_and_awsquery_send_them() {
        let body = br#"<ErrorResponse>
               <Error>
                  <Type>Sender</Type>
                  <Code>InvalidGreeting</Code>
                  <Message>Hi &amp; bye</Message>
               </Error>
               <RequestId>foo-id</RequestId>
            </ErrorResponse>"#;
        let meta = xml_error_metadata(400, &HeaderMap::new(), body);
        assert_eq!(
            meta,
            ErrorMetadata::builder()
                .code("InvalidGreeting")
                .message("Hi & bye")
                .request_id("foo-id")
                .status(400)
                .build()
        );
    }

    #[test]
    fn bare_errors_as_s3_sends_them() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The key does not exist.</Message>
            <RequestId>4442587FB7D0A2F9</RequestId><HostId>host/id=</HostId></Error>"#;
        let meta = xml_error_metadata(404, &HeaderMap::new(), body);
        assert_eq!(meta.code(), Some("NoSuchKey"));
        assert_eq!(meta.message(), Some("The key does not exist."));
        assert_eq!(meta.request_id(), Some("4442587FB7D0A2F9"));
        assert_eq!(meta.extended_request_id(), Some("host/id="));
        let from_headers = xml_error_metadata(
            404,
            &headers(&[("x-amz-request-id", "hdr-id"), ("x-amz-id-2", "hdr-ext")]),
            b"<Error><Code>NoSuchBucket</Code></Error>",
        );
        assert_eq!(from_headers.request_id(), Some("hdr-id"));
        assert_eq!(from_headers.extended_request_id(), Some("hdr-ext"));
        assert_eq!(from_headers.message(), None);
    }

    #[test]
    fn ec2_errors_are_under_errors_with_request_id_capitalized() {
        let body = br#"<Response><Errors><Error><Code>InvalidGreeting</Code>
            <Message>Hi</Message></Error></Errors><RequestID>ec2-id</RequestID></Response>"#;
        let meta = xml_error_metadata(400, &HeaderMap::new(), body);
        assert_eq!(meta.code(), Some("InvalidGreeting"));
        assert_eq!(meta.message(), Some("Hi"));
        assert_eq!(meta.request_id(), Some("ec2-id"));
        let root = parse_body(body).expect("parses");
        assert_eq!(error_element(&root).map(XmlElement::name), Some("Error"));
    }

    #[test]
    fn bad_bodies_give_status_and_headers_only() {
        for body in [
            &b""[..],
            b"   ",
            b"<html>502 Bad Gateway</html>",
            b"{\"message\": \"json\"}",
            b"<ErrorResponse><Error><Code>Unclosed",
            b"<Other><Error><Code>X</Code></Error></Other>",
            b"<Response><Error><Code>X</Code></Error></Response>",
            b"<Error>\xff</Error>",
        ] {
            let meta = xml_error_metadata(502, &headers(&[("x-amzn-requestid", "r")]), body);
            assert_eq!(meta.code(), None, "{body:?}");
            assert_eq!(meta.message(), None, "{body:?}");
            assert_eq!(meta.request_id(), Some("r"), "{body:?}");
            assert_eq!(meta.status(), Some(502));
        }
        // Every truncation and every single-byte change of a valid body is
        // read without a panic, keeping the status.
        let valid: &[u8] = b"<?xml version=\"1.0\"?><ErrorResponse><Error a=\"&amp;\"><Code>C</Code>\
            <Message><![CDATA[m]]> &#x41;</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        for end in 0..valid.len() {
            assert_eq!(xml_error_metadata(400, &HeaderMap::new(), &valid[..end]).status(), Some(400));
            for byte in [b'<', b'>', b'&', b'/', b'"', 0xff, 0] {
                let mut changed = valid.to_vec();
                changed[end] = byte;
                assert_eq!(xml_error_metadata(400, &HeaderMap::new(), &changed).status(), Some(400));
            }
        }
        let empty_code = xml_error_metadata(500, &HeaderMap::new(), b"<Error><Code> </Code></Error>");
        assert_eq!(empty_code.code(), None);
        assert_eq!(empty_code.to_string(), "HTTP status 500");
    }
}
