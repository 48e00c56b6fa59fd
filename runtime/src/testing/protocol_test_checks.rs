//! Checks the generated protocol tests share (`smithy.test#httpRequestTests`
//! and `httpResponseTests`): what a request test expects, how a serialized
//! request is compared with it, how a test response is built and how JSON
//! and XML bodies are compared. Generated `protocol_tests` modules call these, so the
//! logic is ordinary tested Rust instead of a block repeated in every crate.

use bytes::Bytes;
use http::{Request, Response};
use serde_json::Value;

use crate::protocol::xml_de::{parse_body, XmlElement};
use crate::protocol::HostPrefix;

/// What a request test expects, as the model writes it; an empty list
/// or `None` is not checked.
#[derive(Debug, Default)]
pub struct ExpectedRequest {
    /// The HTTP method.
    pub method: &'static str,
    /// The path (anything after `?` is ignored; `query_params` checks the query).
    pub uri: &'static str,
    /// The endpoint the client was given; a path in it prefixes the request path.
    pub host: Option<&'static str>,
    /// The host the request must go to (host prefix + endpoint host).
    pub resolved_host: Option<&'static str>,
    /// `key=value` pairs, as encoded on the wire, that must all be present.
    pub query_params: &'static [&'static str],
    /// Query keys that must be absent.
    pub forbid_query_params: &'static [&'static str],
    /// Query keys that must be present, with any value.
    pub require_query_params: &'static [&'static str],
    /// Headers with their exact values (several fields joined with `, `).
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers that must be absent.
    pub forbid_headers: &'static [&'static str],
    /// Headers that must be present, with any value.
    pub require_headers: &'static [&'static str],
    /// The exact body (compared as JSON or XML when the media type says so).
    pub body: Option<&'static str>,
    /// The media type of `body`.
    pub body_media_type: Option<&'static str>,
}

/// Checks a serialized request against what its test case expects.
pub fn check_request(request: &Request<Bytes>, expected: &ExpectedRequest) {
    assert_eq!(request.method().as_str(), expected.method, "method");

    let (host, base_path) = match expected.host {
        Some(host) => match host.split_once('/') {
            Some((host, path)) => (host, format!("/{}", path.trim_end_matches('/'))),
            None => (host, String::new()),
        },
        None => ("", String::new()),
    };
    let expected_path = expected.uri.split('?').next().unwrap_or(expected.uri);
    assert_eq!(format!("{base_path}{}", request.uri().path()), expected_path, "path");
    if let Some(resolved_host) = expected.resolved_host {
        let prefix = request.extensions().get::<HostPrefix>().map_or("", |prefix| prefix.0.as_str());
        assert_eq!(format!("{prefix}{host}"), resolved_host, "host (HostPrefix extension + endpoint host)");
    }

    let query = request.uri().query().unwrap_or("");
    let params: Vec<&str> = query.split('&').filter(|param| !param.is_empty()).collect();
    let key = |param: &str| param.split('=').next().unwrap_or(param).to_string();
    let mut unmatched = params.clone();
    for param in expected.query_params {
        match unmatched.iter().position(|actual| actual == param) {
            Some(index) => {
                unmatched.remove(index);
            }
            None => panic!("query parameter `{param}` is missing; the query is `{query}`"),
        }
    }
    for name in expected.forbid_query_params {
        assert!(!params.iter().any(|param| key(param) == *name), "query parameter `{name}` is forbidden; the query is `{query}`");
    }
    for name in expected.require_query_params {
        assert!(params.iter().any(|param| key(param) == *name), "query parameter `{name}` is required; the query is `{query}`");
    }

    for (name, value) in expected.headers {
        let values: Vec<String> = request
            .headers()
            .get_all(*name)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect();
        assert!(!values.is_empty(), "header `{name}` is missing; the headers are {:?}", request.headers());
        assert_eq!(values.join(", "), *value, "header `{name}`");
    }
    for name in expected.forbid_headers {
        assert!(!request.headers().contains_key(*name), "header `{name}` is forbidden");
    }
    for name in expected.require_headers {
        assert!(request.headers().contains_key(*name), "header `{name}` is required");
    }

    if let Some(body) = expected.body {
        check_body(request.body(), body, expected.body_media_type);
    }
}

/// JSON bodies are compared as JSON values, XML bodies (`application/xml`,
/// `text/xml`) as XML ([`xml_difference`]), form bodies as their decoded
/// pairs ([`check_form_body`]); anything else byte for byte.
pub fn check_body(actual: &[u8], expected: &str, media_type: Option<&str>) {
    let is_json = media_type.is_some_and(|media_type| media_type == "application/json" || media_type.ends_with("+json"));
    let is_xml = media_type.is_some_and(|media_type| media_type == "application/xml" || media_type == "text/xml");
    if media_type == Some(FORM_MEDIA_TYPE) {
        check_form_body(actual, expected);
    } else if is_xml && !expected.is_empty() {
        let expected_root = parse_body(expected.as_bytes()).unwrap_or_else(|e| panic!("the expected body is not XML: {e}"));
        let actual_root = parse_body(actual)
            .unwrap_or_else(|e| panic!("the body is not XML ({e}): {:?}", String::from_utf8_lossy(actual)));
        if let Some(difference) = xml_difference(&actual_root, &expected_root) {
            panic!(
                "XML body differs: {difference}\n  actual:   {}\n  expected: {expected}",
                String::from_utf8_lossy(actual)
            );
        }
    } else if is_json && !expected.is_empty() {
        let expected: Value = serde_json::from_str(expected).expect("the expected body is JSON");
        let actual: Value = serde_json::from_slice(actual)
            .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {:?}", String::from_utf8_lossy(actual)));
        assert!(json_eq(&actual, &expected), "JSON body differs\n  actual:   {actual}\n  expected: {expected}");
    } else {
        assert!(
            actual == expected.as_bytes(),
            "body differs\n  actual:   {:?}\n  expected: {expected:?}",
            String::from_utf8_lossy(actual)
        );
    }
}

const FORM_MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// Compares `application/x-www-form-urlencoded` bodies as their decoded
/// `key=value` pairs, in any order: the pairs of a query request carry no
/// meaning in their order (`Action` and `Version` included), so the check
/// accepts what a service accepts, as the official Smithy harnesses do. A
/// pair repeated must be repeated as often. The message names the first
/// pair (in sorted order) that is missing or not expected.
pub fn check_form_body(actual: &[u8], expected: &str) {
    let actual_text = String::from_utf8_lossy(actual);
    let mut actual_pairs = form_pairs(&actual_text);
    let mut expected_pairs = form_pairs(expected);
    actual_pairs.sort();
    expected_pairs.sort();
    let missing = expected_pairs.iter().find(|pair| count(&expected_pairs, pair) > count(&actual_pairs, pair));
    let extra = actual_pairs.iter().find(|pair| count(&actual_pairs, pair) > count(&expected_pairs, pair));
    match (missing, extra) {
        (None, None) => {}
        (Some((key, value)), _) => panic!(
            "form body differs: `{key}={value}` (decoded) is missing\n  actual:   {actual_text:?}\n  expected: {expected:?}"
        ),
        (None, Some((key, value))) => panic!(
            "form body differs: `{key}={value}` (decoded) is not expected\n  actual:   {actual_text:?}\n  expected: {expected:?}"
        ),
    }
}

/// The decoded `(key, value)` pairs of a form body (`+` is a space).
fn form_pairs(body: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let text = text.replace('+', " ");
        percent_encoding::percent_decode_str(&text).decode_utf8_lossy().into_owned()
    };
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn count(pairs: &[(String, String)], pair: &(String, String)) -> usize {
    pairs.iter().filter(|p| *p == pair).count()
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub fn json_eq(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a == b || a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| json_eq(a, b)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, a)| b.get(key).is_some_and(|b| json_eq(a, b)))
        }
        (a, b) => a == b,
    }
}

/// The first difference between two XML trees, or `None` when they are
/// equal: the same element names (with their prefixes), the same
/// attributes as a set (namespace declarations included) and the same
/// text, where whitespace-only text counts as none.
///
/// Siblings of different names may come in any order (the protocol tests
/// do not write members in model order). Siblings of one name keep their
/// order when they hold only text (list items), and may come in any order
/// when they hold elements (map entries: a `HashMap` keeps no order).
pub fn xml_difference(actual: &XmlElement, expected: &XmlElement) -> Option<String> {
    difference_at(actual, expected, expected.qualified_name())
}

fn difference_at(actual: &XmlElement, expected: &XmlElement, path: &str) -> Option<String> {
    if actual.qualified_name() != expected.qualified_name() {
        return Some(format!(
            "at `{path}`: element `{}` where `{}` was expected",
            actual.qualified_name(),
            expected.qualified_name()
        ));
    }
    let mut actual_attributes = actual.attributes().to_vec();
    let mut expected_attributes = expected.attributes().to_vec();
    actual_attributes.sort();
    expected_attributes.sort();
    if actual_attributes != expected_attributes {
        return Some(format!("at `{path}`: attributes {actual_attributes:?} where {expected_attributes:?} were expected"));
    }
    let significant = |text: &str| if text.trim().is_empty() { String::new() } else { text.to_owned() };
    if significant(actual.text()) != significant(expected.text()) {
        return Some(format!("at `{path}`: text {:?} where {:?} was expected", actual.text(), expected.text()));
    }
    let names = |element: &XmlElement| {
        let mut names: Vec<String> = element.children().iter().map(|c| c.qualified_name().to_owned()).collect();
        names.sort();
        names
    };
    if names(actual) != names(expected) {
        return Some(format!("at `{path}`: children {:?} where {:?} were expected", names(actual), names(expected)));
    }
    let mut seen: Vec<&str> = Vec::new();
    for child in expected.children() {
        let name = child.qualified_name();
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let (actual_run, expected_run) = (same_name(actual, name), same_name(expected, name));
        let child_path = |index: usize| format!("{path}/{name}[{index}]");
        if expected_run.iter().any(|e| !e.children().is_empty()) {
            // Map entries (and structures) may come in any order.
            let mut unused: Vec<&XmlElement> = actual_run.clone();
            for (index, e) in expected_run.iter().enumerate() {
                match unused.iter().position(|a| difference_at(a, e, "").is_none()) {
                    Some(found) => {
                        unused.remove(found);
                    }
                    None => {
                        let closest = unused.first().copied().unwrap_or(actual_run[index]);
                        let why = difference_at(closest, e, &child_path(index)).unwrap_or_default();
                        return Some(format!("no element matches the expected `{}`: {why}", child_path(index)));
                    }
                }
            }
        } else if let Some(difference) =
            actual_run.iter().zip(&expected_run).enumerate().find_map(|(index, (a, e))| difference_at(a, e, &child_path(index)))
        {
            return Some(difference);
        }
    }
    None
}

/// The children of `element` named `name`, in order.
fn same_name<'a>(element: &'a XmlElement, name: &str) -> Vec<&'a XmlElement> {
    element.children().iter().filter(|c| c.qualified_name() == name).collect()
}

/// The response a response test describes.
pub fn response(status: u16, headers: &[(&str, &str)], body: &'static str) -> Response<Bytes> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::from_static(body.as_bytes())).expect("the test response is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_checked_field_by_field() {
        let request = crate::protocol::http::build_request(
            "POST",
            "/things?a=1&b=2".into(),
            http::HeaderMap::new(),
            Some(("application/json", Bytes::from_static(br#"{"x": 1.0}"#))),
        )
        .expect("request");
        check_request(
            &request,
            &ExpectedRequest {
                method: "POST",
                uri: "/things",
                query_params: &["a=1"],
                forbid_query_params: &["c"],
                require_query_params: &["b"],
                headers: &[("content-type", "application/json")],
                body: Some(r#"{"x": 1}"#),
                body_media_type: Some("application/json"),
                ..Default::default()
            },
        );
        let wrong = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_request(&request, &ExpectedRequest { method: "GET", uri: "/things", ..Default::default() })
        }));
        assert!(wrong.is_err(), "a different method must fail the check");
    }

    #[test]
    fn form_bodies_compare_as_decoded_pairs_in_any_order() {
        let form = "application/x-www-form-urlencoded";
        check_body(b"Version=1&Action=A&T=2015-01-25T08%3A00%3A00Z&E=", "Action=A&Version=1&T=2015-01-25T08:00:00Z&E=", Some(form));
        check_body(b"K=a+b&K=c", "K=c&K=a%20b", Some(form));
        let message = |actual: &'static [u8], expected: &'static str| {
            let failure = std::panic::catch_unwind(|| check_body(actual, expected, Some(form))).expect_err("the bodies differ");
            failure.downcast_ref::<String>().cloned().unwrap_or_default()
        };
        assert!(message(b"Action=A", "Action=A&X=1").contains("`X=1` (decoded) is missing"));
        assert!(message(b"Action=A&X=1&X=1", "Action=A&X=1").contains("`X=1` (decoded) is not expected"));
        assert!(message(b"Action=A&X=2", "Action=A&X=1").contains("`X=1` (decoded) is missing"));
    }

    #[test]
    fn xml_bodies_compare_as_xml() {
        let xml = |text: &str| parse_body(text.as_bytes()).expect("test XML parses");
        let expected = xml("<a:Root xmlns:a=\"urn:a\" x=\"1\" y=\"2\">\n  <B>text</B>\n  <C/>\n</a:Root>");
        let same = xml("<a:Root y=\"2\" x=\"1\" xmlns:a=\"urn:a\"><B>text</B><C></C></a:Root>");
        assert_eq!(xml_difference(&same, &expected), None);
        let reordered = xml("<a:Root xmlns:a=\"urn:a\" x=\"1\" y=\"2\"><C/><B>text</B></a:Root>");
        assert_eq!(xml_difference(&reordered, &expected), None, "members in another order");
        let entries = xml("<m><entry><k>a</k></entry><entry><k>b</k></entry></m>");
        let swapped = xml("<m><entry><k>b</k></entry><entry><k>a</k></entry></m>");
        assert_eq!(xml_difference(&swapped, &entries), None, "map entries in another order");
        let other = xml("<m><entry><k>b</k></entry><entry><k>c</k></entry></m>");
        let difference = xml_difference(&other, &entries).unwrap_or_default();
        assert!(difference.starts_with("no element matches the expected `m/entry[0]`"), "{difference}");
        let items = xml("<l><member>1</member><member>2</member></l>");
        let items_swapped = xml("<l><member>2</member><member>1</member></l>");
        let difference = xml_difference(&items_swapped, &items).unwrap_or_default();
        assert!(difference.starts_with("at `l/member[0]`: text \"2\""), "list items keep their order: {difference}");
        let cases = [
            ("<a:Root xmlns:a=\"urn:a\" x=\"1\" y=\"2\"><B>text </B><C/></a:Root>", "at `a:Root/B[0]`: text \"text \" where \"text\" was expected"),
            ("<a:Root xmlns:a=\"urn:a\" x=\"1\"><B>text</B><C/></a:Root>", "at `a:Root`: attributes"),
            ("<a:Root xmlns:a=\"urn:a\" x=\"1\" y=\"2\"><B>text</B></a:Root>", "at `a:Root`: children [\"B\"] where [\"B\", \"C\"] were expected"),
            ("<Root xmlns:a=\"urn:a\" x=\"1\" y=\"2\"><B>text</B><C/></Root>", "at `a:Root`: element `Root` where `a:Root` was expected"),
        ];
        for (actual, message) in cases {
            let difference = xml_difference(&xml(actual), &expected).unwrap_or_default();
            assert!(difference.starts_with(message), "{actual}: {difference}");
        }
        check_body(b"<A><B>1</B></A>", "<A>\n <B>1</B>\n</A>", Some("application/xml"));
        let differs = std::panic::catch_unwind(|| check_body(b"<A><B>2</B></A>", "<A><B>1</B></A>", Some("text/xml")));
        assert!(differs.is_err(), "different text must fail the check");
    }

    #[test]
    fn json_numbers_compare_by_value_and_responses_are_built() {
        assert!(json_eq(&serde_json::json!({"a": [1]}), &serde_json::json!({"a": [1.0]})));
        assert!(!json_eq(&serde_json::json!({"a": 1}), &serde_json::json!({"a": 1, "b": 2})));
        let built = response(404, &[("x-amzn-errortype", "NotFound")], "{}");
        assert_eq!(built.status(), 404);
        assert_eq!(built.headers()["x-amzn-errortype"], "NotFound");
        assert_eq!(built.body().as_ref(), b"{}");
    }
}
