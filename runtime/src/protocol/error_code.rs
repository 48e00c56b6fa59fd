//! Finding the error code of a restJson1 error response.
//!
//! The Smithy restJson1 protocol puts the error's shape name in one of three
//! places, checked in this order:
//!
//! 1. the `x-amzn-errortype` response header;
//! 2. the `__type` member of the JSON body;
//! 3. the `code` member of the JSON body.
//!
//! Any of them may carry a namespace (`com.amazonaws.ivsrealtime#ValidationException`)
//! or a trailing `:`-separated suffix
//! (`ValidationException:http://internal.amazon.com/...`); both are removed,
//! leaving the bare shape name the generated client matches on.

use ::http::HeaderMap;
use super::json_de::Value;

/// The response header that names the error shape.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// Returns the error code of a restJson1 error response, or `None` when
/// neither the `x-amzn-errortype` header nor the body's `__type` or `code`
/// member gives a non-empty one.
///
/// Never fails: a body that is not JSON, not an object, or whose members are
/// not strings simply yields no code from the body.
pub fn parse_error_code(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(code) = headers
        .get(ERROR_TYPE_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(sanitize_error_code)
    {
        return Some(code.to_owned());
    }
    code_from_body(body)
}

/// Strips a `namespace#` prefix and a `:suffix` from a raw error code and
/// trims whitespace; `None` if nothing is left.
///
/// The suffix goes first, since it may be a URL containing `#`.
pub fn sanitize_error_code(raw: &str) -> Option<&str> {
    let without_suffix = raw.split(':').next().unwrap_or(raw);
    let name = without_suffix
        .rsplit('#')
        .next()
        .unwrap_or(without_suffix)
        .trim();
    (!name.is_empty()).then_some(name)
}

fn code_from_body(body: &[u8]) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let value = super::json_de::parse_body(body).ok()?;
    let object = value.as_object()?;
    ["__type", "code"].iter().find_map(|key| {
        object
            .get(key)
            .and_then(Value::as_str)
            .and_then(sanitize_error_code)
            .map(str::to_owned)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::http::HeaderValue;

    fn headers(errortype: Option<&'static str>) -> HeaderMap {
        let mut map = HeaderMap::new();
        if let Some(value) = errortype {
            map.insert(ERROR_TYPE_HEADER, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn header_wins_over_body() {
        let code = parse_error_code(
            &headers(Some("ThrottlingException")),
            br#"{"__type":"ValidationException","code":"Other"}"#,
        );
        assert_eq!(code.as_deref(), Some("ThrottlingException"));
    }

    #[test]
    fn header_is_sanitized() {
        let code = parse_error_code(
            &headers(Some(
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            )),
            b"",
        );
        assert_eq!(code.as_deref(), Some("FooError"));
        let code = parse_error_code(&headers(Some("  FooError  ")), b"");
        assert_eq!(code.as_deref(), Some("FooError"));
    }

    #[test]
    fn type_member_comes_before_code_member() {
        let body = br#"{"code":"SecondChoice","__type":"com.amazonaws.ivsrealtime#ResourceNotFoundException"}"#;
        let code = parse_error_code(&headers(None), body);
        assert_eq!(code.as_deref(), Some("ResourceNotFoundException"));
    }

    #[test]
    fn code_member_is_the_last_resort() {
        let body = br#"{"message":"slow down","code":"SlowDown:extra"}"#;
        assert_eq!(
            parse_error_code(&headers(None), body).as_deref(),
            Some("SlowDown")
        );
    }

    #[test]
    fn non_string_type_falls_back_to_code() {
        let body = br#"{"__type":42,"code":"ConflictException"}"#;
        assert_eq!(
            parse_error_code(&headers(None), body).as_deref(),
            Some("ConflictException")
        );
    }

    #[test]
    fn empty_header_falls_back_to_body() {
        let body = br#"{"__type":"AccessDeniedException"}"#;
        assert_eq!(
            parse_error_code(&headers(Some("")), body).as_deref(),
            Some("AccessDeniedException")
        );
    }

    #[test]
    fn non_utf8_header_falls_back_to_body() {
        let mut map = HeaderMap::new();
        map.insert(
            ERROR_TYPE_HEADER,
            HeaderValue::from_bytes(&[0xff, 0xfe]).unwrap(),
        );
        let body = br#"{"__type":"InternalServerException"}"#;
        assert_eq!(
            parse_error_code(&map, body).as_deref(),
            Some("InternalServerException")
        );
    }

    #[test]
    fn bad_bodies_give_no_code() {
        for body in [
            &b""[..],
            b"   \n",
            b"<html>502 Bad Gateway</html>",
            b"[\"__type\"]",
            b"\"ThrottlingException\"",
            b"{\"__type\":",
            b"{\"__type\":\"\"}",
            b"{\"__type\":\"ns#\"}",
            b"{\"message\":\"no code here\"}",
        ] {
            assert_eq!(parse_error_code(&headers(None), body), None, "{body:?}");
        }
    }

    #[test]
    fn sanitize_handles_edge_cases() {
        assert_eq!(sanitize_error_code("Foo"), Some("Foo"));
        assert_eq!(sanitize_error_code("a.b#Foo"), Some("Foo"));
        assert_eq!(sanitize_error_code("Foo:http://x/#frag"), Some("Foo"));
        assert_eq!(sanitize_error_code("a#b#Foo"), Some("Foo"));
        assert_eq!(sanitize_error_code(":Foo"), None);
        assert_eq!(sanitize_error_code("#"), None);
        assert_eq!(sanitize_error_code(""), None);
    }
}
