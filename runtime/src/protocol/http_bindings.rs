//! The HTTP parts of a restJson1 request and response that are not the JSON
//! body: `@httpLabel` path segments, `@httpQuery` parameters, `@httpHeader`
//! values (scalars and lists), and assembling the request itself.

use std::borrow::Cow;

use ::http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use ::http::{HeaderMap, Method, Request, Uri};
use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{DeserializeError, SerializeError};
use crate::primitives::{base64_decode, base64_encode, Blob, DateTime, DateTimeFormat};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`
/// is percent-encoded (non-ASCII as UTF-8 bytes).
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// Writes an `@httpLabel` value as a path segment, percent-encoding all but
/// the RFC 3986 unreserved characters.
///
/// A greedy label (`{key+}`) keeps its `/` separators and encodes each
/// segment. Errors name `member`: an empty value, an empty segment in a
/// greedy value (leading, trailing or doubled `/`), and a segment that is
/// `.` or `..`, which URL normalization (including SigV4's) would remove.
///
/// ```
/// use smithy_runtime::protocol::http_bindings::label;
///
/// assert_eq!(label("arn:aws:ivs:us-east-1:1:stage/ab c", "arn", false).unwrap(),
///            "arn%3Aaws%3Aivs%3Aus-east-1%3A1%3Astage%2Fab%20c");
/// assert_eq!(label("photos/2024/ä.png", "key", true).unwrap(), "photos/2024/%C3%A4.png");
/// assert!(label("", "arn", false).is_err());
/// ```
pub fn label(value: &str, member: &str, greedy: bool) -> Result<String, SerializeError> {
    if value.is_empty() {
        return Err(SerializeError::new(format!(
            "httpLabel `{member}` must not be empty"
        )));
    }
    if !greedy {
        check_dot_segment(value, member)?;
        return Ok(percent_encode(value));
    }
    let mut out = String::with_capacity(value.len());
    for (index, segment) in value.split('/').enumerate() {
        if segment.is_empty() {
            return Err(SerializeError::new(format!(
                "greedy httpLabel `{member}` must not contain an empty path segment \
                 (a leading, trailing or doubled `/`)"
            )));
        }
        check_dot_segment(segment, member)?;
        if index > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(segment, ENCODE));
    }
    Ok(out)
}

fn check_dot_segment(segment: &str, member: &str) -> Result<(), SerializeError> {
    if segment == "." || segment == ".." {
        return Err(SerializeError::new(format!(
            "httpLabel `{member}` must not be the path segment `{segment}`, \
             which URL normalization would remove"
        )));
    }
    Ok(())
}

/// Checks a `@hostLabel` value before it goes into the endpoint host
/// (through `@endpoint(hostPrefix)`), returning it unchanged.
///
/// The value must be one DNS label: 1 to 63 ASCII letters, digits and
/// hyphens, not starting or ending with a hyphen. Anything else (a dot, a
/// slash, an `@`) could point the request at another host, so it is an
/// error naming `member`.
pub fn host_label(value: &str, member: &str) -> Result<String, SerializeError> {
    let valid = (1..=63).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(SerializeError::new(format!(
            "hostLabel `{member}` must be 1 to 63 letters, digits and hyphens, \
             not starting or ending with a hyphen; found {} bytes that are not",
            value.len()
        )))
    }
}

/// Builds the query string of a request: the literal query of the `@http`
/// URI pattern first, then `@httpQuery` parameters in the order pushed.
///
/// ```
/// use smithy_runtime::protocol::http_bindings::QueryWriter;
///
/// let mut query = QueryWriter::new("x-id=Untag");
/// query.push("tagKeys", "env").push("tagKeys", "a&b=c d");
/// assert_eq!(query.finish(), "?x-id=Untag&tagKeys=env&tagKeys=a%26b%3Dc%20d");
/// assert_eq!(QueryWriter::new("").finish(), "");
/// ```
#[derive(Clone, Debug, Default)]
pub struct QueryWriter {
    /// `k=v&k2=v2`, already encoded, without the `?`.
    query: String,
    /// The unencoded keys written so far, for [`QueryWriter::contains`].
    keys: Vec<String>,
}

impl QueryWriter {
    /// Starts with the literal query of the URI pattern (`bar` or `x=y&z`,
    /// with or without the leading `?`; a whole pattern such as `/Foo?bar`
    /// also works, as everything up to the first `?` is dropped). The
    /// literal is the model's and is kept as written.
    pub fn new(uri_pattern_query: &str) -> Self {
        let literal = uri_pattern_query
            .split_once('?')
            .map_or(uri_pattern_query, |(_, query)| query);
        let mut writer = QueryWriter::default();
        for part in literal.split('&').filter(|part| !part.is_empty()) {
            let key = part.split_once('=').map_or(part, |(key, _)| key);
            writer.keys.push(key.to_owned());
            writer.append(part);
        }
        writer
    }

    /// Adds `key=value`, both percent-encoded (all but the RFC 3986
    /// unreserved characters; a space is `%20`). A list is pushed once per
    /// item under the same key.
    pub fn push(&mut self, key: &str, value: &str) -> &mut Self {
        let pair = format!("{}={}", percent_encode(key), percent_encode(value));
        self.append(&pair);
        self.keys.push(key.to_owned());
        self
    }

    /// Whether `key` is already in the query (from the literal or a push),
    /// so `@httpQueryParams` entries can give way to `@httpQuery` members.
    pub fn contains(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// `""` if nothing was written, else `?` followed by the parameters.
    pub fn finish(&self) -> String {
        if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        }
    }

    fn append(&mut self, pair: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(pair);
    }
}

/// The text of a timestamp bound to a query parameter, label or header.
///
/// The caller passes the member's format (the defaults differ: `DateTime`
/// for query and label, `HttpDate` for headers). The text is not yet
/// encoded: give it to [`QueryWriter::push`] or [`label`]. An instant
/// outside years 0000..=9999 has no calendar form and is written as epoch
/// seconds for the service to reject.
pub fn timestamp_text(value: &DateTime, format: DateTimeFormat) -> String {
    value
        .fmt(format)
        .or_else(|_| value.fmt(DateTimeFormat::EpochSeconds))
        .unwrap_or_default()
}

/// The text of a `float` bound to a query parameter, label or header:
/// the shortest decimal that reads back as the same value (`0.1`, `2`), or
/// `NaN`, `Infinity`, `-Infinity`.
pub fn f32_text(value: f32) -> String {
    match special_float_text(f64::from(value)) {
        Some(text) => text.to_owned(),
        None => value.to_string(),
    }
}

/// The text of a `double` bound to a query parameter, label or header, as
/// [`f32_text`].
pub fn f64_text(value: f64) -> String {
    match special_float_text(value) {
        Some(text) => text.to_owned(),
        None => value.to_string(),
    }
}

fn special_float_text(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("Infinity")
    } else if value == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

/// Joins the items of a list bound to a header: `a, b, "c,d"`.
///
/// An item is quoted (with `\` before each inner `"` and `\`) when it
/// contains a comma or a double quote, and also when it is empty or starts
/// or ends with whitespace, so that [`split_header_list`] gives back exactly
/// the items written.
pub fn header_list(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let mut out = String::new();
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        push_header_item(&mut out, item.as_ref());
    }
    out
}

fn push_header_item(out: &mut String, item: &str) {
    let needs_quotes = item.is_empty()
        || item.contains([',', '"'])
        || item.starts_with([' ', '\t'])
        || item.ends_with([' ', '\t']);
    if !needs_quotes {
        out.push_str(item);
        return;
    }
    out.push('"');
    for c in item.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// Splits a header value holding a list, the inverse of [`header_list`].
///
/// Items are separated by commas and trimmed of spaces and tabs; a quoted
/// item may contain commas, and `\` escapes the next character inside it.
/// Empty unquoted items are skipped (RFC 9110 list syntax), a quoted `""`
/// is an empty item. Never fails: an unterminated quote runs to the end, and
/// text between a closing quote and the next comma is appended to the item.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if rest.is_empty() {
            break;
        }
        if let Some(quoted) = rest.strip_prefix('"') {
            let (mut item, after) = read_quoted(quoted);
            let (extra, after) = split_at_comma(after);
            item.push_str(extra.trim_matches([' ', '\t']));
            items.push(item);
            rest = after;
        } else {
            let (item, after) = split_at_comma(rest);
            let item = item.trim_matches([' ', '\t']);
            if !item.is_empty() {
                items.push(item.to_owned());
            }
            rest = after;
        }
    }
    items
}

/// The text of a quoted string (after its opening quote) with escapes
/// removed, and what follows the closing quote.
fn read_quoted(text: &str) -> (String, &str) {
    let mut item = String::new();
    let mut chars = text.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return (item, &text[index + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    item.push(escaped);
                }
            }
            other => item.push(other),
        }
    }
    (item, "")
}

fn split_at_comma(text: &str) -> (&str, &str) {
    text.split_once(',').unwrap_or((text, ""))
}

/// Splits a header value holding a list of `http-date` timestamps, which
/// contain a comma themselves (`Mon, 16 Dec 2019 23:48:18 GMT`): the value
/// is split at every second comma and each item trimmed.
pub fn split_http_date_list(value: &str) -> Vec<String> {
    let pieces: Vec<&str> = value.split(',').collect();
    pieces
        .chunks(2)
        .map(|pair| pair.join(",").trim_matches([' ', '\t']).to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// Reads a `boolean` header: `true` or `false` (surrounding whitespace
/// ignored). Errors name `header`.
pub fn parse_header_bool(value: &str, header: &str) -> Result<bool, DeserializeError> {
    match value.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(DeserializeError::new(
            header,
            "expected `true` or `false`, found another value",
        )),
    }
}

macro_rules! parse_header_integer {
    ($name:ident, $t:ty, $what:literal) => {
        #[doc = concat!("Reads ", $what, " header (surrounding whitespace ignored). Errors name `header`.")]
        pub fn $name(value: &str, header: &str) -> Result<$t, DeserializeError> {
            use std::num::IntErrorKind;
            value.trim().parse::<$t>().map_err(|err| {
                let found = match err.kind() {
                    IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => format!(
                        "an integer outside {}..={}",
                        <$t>::MIN,
                        <$t>::MAX
                    ),
                    _ => "text that is not an integer".to_owned(),
                };
                DeserializeError::new(header, format!("expected {}, found {found}", $what))
            })
        }
    };
}

parse_header_integer!(parse_header_i8, i8, "an 8-bit integer (byte)");
parse_header_integer!(parse_header_i16, i16, "a 16-bit integer (short)");
parse_header_integer!(parse_header_i32, i32, "a 32-bit integer");
parse_header_integer!(parse_header_i64, i64, "a 64-bit integer (long)");

/// Reads a decimal number (`[+-]digits[.digits][e[+-]digits]`) or `NaN`,
/// `Infinity`, `-Infinity`; `None` if it is neither. Finite text too large
/// for `T` is `None` too, rather than an infinity.
fn parse_float<T>(text: &str) -> Option<T>
where
    T: std::str::FromStr + FloatConsts,
{
    match text {
        "NaN" => return Some(T::NAN),
        "Infinity" => return Some(T::INFINITY),
        "-Infinity" => return Some(T::NEG_INFINITY),
        _ => {}
    }
    let numeric = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    if !numeric {
        return None;
    }
    text.parse::<T>().ok().filter(|v| v.finite())
}

/// The special values of `f32` and `f64`, for [`parse_float`].
trait FloatConsts: Sized {
    const NAN: Self;
    const INFINITY: Self;
    const NEG_INFINITY: Self;
    fn finite(&self) -> bool;
}

impl FloatConsts for f32 {
    const NAN: Self = f32::NAN;
    const INFINITY: Self = f32::INFINITY;
    const NEG_INFINITY: Self = f32::NEG_INFINITY;
    fn finite(&self) -> bool {
        self.is_finite()
    }
}

impl FloatConsts for f64 {
    const NAN: Self = f64::NAN;
    const INFINITY: Self = f64::INFINITY;
    const NEG_INFINITY: Self = f64::NEG_INFINITY;
    fn finite(&self) -> bool {
        self.is_finite()
    }
}

/// Reads a `float` header: a decimal number or `NaN`, `Infinity`,
/// `-Infinity`. A finite number beyond the `f32` range is an error.
pub fn parse_header_f32(value: &str, header: &str) -> Result<f32, DeserializeError> {
    parse_float(value.trim()).ok_or_else(|| float_error(header, "a 32-bit float"))
}

/// Reads a `double` header: a decimal number or `NaN`, `Infinity`,
/// `-Infinity`.
pub fn parse_header_f64(value: &str, header: &str) -> Result<f64, DeserializeError> {
    parse_float(value.trim()).ok_or_else(|| float_error(header, "a 64-bit float"))
}

fn float_error(header: &str, what: &str) -> DeserializeError {
    DeserializeError::new(
        header,
        format!(
            "expected {what} (a number, `NaN`, `Infinity` or `-Infinity`) in range, \
             found another value"
        ),
    )
}

/// Reads a `timestamp` header in `format` (surrounding whitespace ignored).
/// Errors name `header` and the format expected.
pub fn parse_header_timestamp(
    value: &str,
    header: &str,
    format: DateTimeFormat,
) -> Result<DateTime, DeserializeError> {
    DateTime::parse(format, value.trim()).map_err(|_| super::bad_timestamp(header, format))
}

/// The base64 form in which a `@mediaType` string travels in a header.
pub fn base64_header(value: &str) -> String {
    base64_encode(value.as_bytes())
}

/// Reads a `@mediaType` string header: base64 of UTF-8 text.
///
/// The error has an empty path; name the header with
/// [`DeserializeError::in_member`].
pub fn parse_base64_header(value: &str) -> Result<String, DeserializeError> {
    let bytes = base64_decode(value.trim()).map_err(|_| super::bad_base64(""))?;
    String::from_utf8(bytes).map_err(|err| {
        DeserializeError::new(
            "",
            format!(
                "the base64-decoded value is not UTF-8 text (invalid byte at offset {})",
                err.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Reads a `blob` header: base64 text (surrounding whitespace ignored).
/// Errors name `header`.
pub fn parse_header_blob(value: &str, header: &str) -> Result<Blob, DeserializeError> {
    base64_decode(value.trim())
        .map(Blob::new)
        .map_err(|_| super::bad_base64(header))
}

/// The text of a response header value, for the `parse_header_*`
/// functions and [`split_header_list`]. A value that is not UTF-8 is an
/// error naming `header`.
pub fn header_text<'a>(value: &'a HeaderValue, header: &str) -> Result<&'a str, DeserializeError> {
    std::str::from_utf8(value.as_bytes()).map_err(|err| {
        DeserializeError::new(
            header,
            format!(
                "the header value is not UTF-8 text (invalid byte at offset {})",
                err.valid_up_to()
            ),
        )
    })
}

/// The text of response header `name`, every field of it: `None` when the
/// response has no such header, the field's text when it came once, and the
/// fields joined with `, ` in the order received when it came several times
/// (`X-List: a` and `X-List: b` read as `a, b`), as RFC 9110 §5.3 allows a
/// recipient to combine them.
///
/// A list-typed header so gets every item from [`split_header_list`]; a
/// scalar sent as several fields reads as the joined text, so a number sent
/// twice is an error rather than silently the first. A single field is
/// borrowed, not copied. A field that is not UTF-8 is an error naming
/// `name`.
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use smithy_runtime::protocol::http_bindings::header_field;
///
/// let mut headers = HeaderMap::new();
/// headers.append("x-list", HeaderValue::from_static("a"));
/// headers.append("x-list", HeaderValue::from_static("b, c"));
/// assert_eq!(header_field(&headers, "X-List").unwrap().as_deref(), Some("a, b, c"));
/// assert_eq!(header_field(&headers, "x-none").unwrap(), None);
/// ```
pub fn header_field<'a>(
    headers: &'a HeaderMap,
    name: &str,
) -> Result<Option<Cow<'a, str>>, DeserializeError> {
    let mut fields = headers.get_all(name).iter();
    let Some(first) = fields.next() else {
        return Ok(None);
    };
    let first = header_text(first, name)?;
    let Some(second) = fields.next() else {
        return Ok(Some(Cow::Borrowed(first)));
    };
    let mut joined = String::with_capacity(first.len() + 2 + second.len());
    joined.push_str(first);
    for field in std::iter::once(second).chain(fields) {
        joined.push_str(", ");
        joined.push_str(header_text(field, name)?);
    }
    Ok(Some(Cow::Owned(joined)))
}

/// A fresh `@idempotencyToken` value: a random (version 4) UUID (with the
/// `test-util` feature, the token a test fixed with
/// `test_util::with_idempotency_token`, if any).
pub fn idempotency_token() -> String {
    #[cfg(feature = "test-util")]
    if let Some(token) = crate::test_util::fixed_idempotency_token() {
        return token;
    }
    crate::random_uuid::v4()
}

/// Sets header `name` to `value`, replacing any earlier value.
///
/// Errors name the header: an invalid header name, or a value with control
/// characters such as a line break (which could inject headers).
pub fn insert_header(
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
) -> Result<(), SerializeError> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| SerializeError::new(format!("`{name}` is not a valid HTTP header name")))?;
    let header_value = HeaderValue::from_str(value).map_err(|_| {
        SerializeError::new(format!(
            "header `{name}` has a value that cannot be sent: it contains a control character \
             such as a line break"
        ))
    })?;
    headers.insert(header_name, header_value);
    Ok(())
}

/// Assembles a request: `method` (e.g. `"POST"`), the origin-form
/// `path_and_query` (must start with `/`; the endpoint's scheme and host are
/// added later), the headers, and an optional body with its content type.
///
/// With a body, `Content-Type` is set unless `headers` already has one (an
/// `@httpPayload` member's `@mediaType` wins). `Content-Length` is set when
/// the body is not empty, and to `0` for a `POST`, `PUT` or `PATCH` without
/// one (RFC 9110 §8.6: some front ends answer 411 Length Required without
/// it); a `GET`, `DELETE` or `HEAD` without a body has none. It is set here,
/// before signing, so the signature covers it.
///
/// ```
/// use bytes::Bytes;
/// use smithy_runtime::protocol::http_bindings::build_request;
///
/// let request = build_request(
///     "POST",
///     "/CreateStage".to_owned(),
///     http::HeaderMap::new(),
///     Some(("application/json", Bytes::from_static(b"{}"))),
/// )
/// .unwrap();
/// assert_eq!(request.uri(), "/CreateStage");
/// assert_eq!(request.headers()["content-length"], "2");
/// ```
pub fn build_request(
    method: &str,
    path_and_query: String,
    mut headers: HeaderMap,
    body: Option<(&'static str, Bytes)>,
) -> Result<Request<Bytes>, SerializeError> {
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| SerializeError::new(format!("`{method}` is not a valid HTTP method")))?;
    if !path_and_query.starts_with('/') {
        return Err(SerializeError::new(format!(
            "the request path {path_and_query:?} must start with `/`"
        )));
    }
    if let Some(c) = path_and_query.chars().find(|c| !c.is_ascii()) {
        return Err(SerializeError::new(format!(
            "the request path {path_and_query:?} contains the non-ASCII character {c:?}, \
             which must be percent-encoded"
        )));
    }
    let uri = Uri::try_from(path_and_query.as_str()).map_err(|err| {
        SerializeError::new(format!(
            "the request path {path_and_query:?} is not a valid URI path and query: {err}"
        ))
    })?;
    let body = match body {
        Some((content_type, bytes)) => {
            if !headers.contains_key(CONTENT_TYPE) {
                let value = HeaderValue::from_str(content_type).map_err(|_| {
                    SerializeError::new(format!(
                        "content type {content_type:?} is not a valid header value"
                    ))
                })?;
                headers.insert(CONTENT_TYPE, value);
            }
            bytes
        }
        None => Bytes::new(),
    };
    if !body.is_empty() || crate::http::expects_body(&method) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    let mut request = Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    Ok(request)
}

/// A request extension: a prefix the runtime prepends to the endpoint's host
/// (from `@endpoint(hostPrefix: "...")`, labels already filled in), e.g.
/// `data.` for `data.ivsrealtime.us-east-1.amazonaws.com`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPrefix(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    fn error<T: std::fmt::Debug, E: std::fmt::Display>(result: Result<T, E>) -> String {
        match result {
            Ok(value) => panic!("expected an error, got {value:?}"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn labels_encode_all_but_unreserved() {
        assert_eq!(label("AZaz09-._~", "m", false).unwrap(), "AZaz09-._~");
        assert_eq!(
            label("a b/c%d+e:f?g#h&i=j'k", "m", false).unwrap(),
            "a%20b%2Fc%25d%2Be%3Af%3Fg%23h%26i%3Dj%27k"
        );
        assert_eq!(
            label("ünï 🎥", "m", false).unwrap(),
            "%C3%BCn%C3%AF%20%F0%9F%8E%A5"
        );
        assert_eq!(label("%2F", "m", false).unwrap(), "%252F");
        assert_eq!(
            label(
                "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCDefgh",
                "resourceArn",
                false
            )
            .unwrap(),
            "arn%3Aaws%3Aivs%3Aus-west-2%3A123456789012%3Astage%2FabcdABCDefgh"
        );
    }

    #[test]
    fn greedy_labels_keep_slashes() {
        assert_eq!(label("a/b c/d", "key", true).unwrap(), "a/b%20c/d");
        assert_eq!(label("x", "key", true).unwrap(), "x");
        assert_eq!(label("a/%/ü", "key", true).unwrap(), "a/%25/%C3%BC");
        for bad in ["/a", "a/", "a//b", "/"] {
            assert_eq!(
                error(label(bad, "key", true)),
                "greedy httpLabel `key` must not contain an empty path segment \
                 (a leading, trailing or doubled `/`)",
                "{bad}"
            );
        }
    }

    #[test]
    fn empty_and_dot_labels_are_errors() {
        assert_eq!(
            error(label("", "arn", false)),
            "httpLabel `arn` must not be empty"
        );
        assert_eq!(
            error(label("", "key", true)),
            "httpLabel `key` must not be empty"
        );
        assert!(error(label("..", "id", false)).contains("`..`"));
        assert!(error(label("a/./b", "key", true)).contains("`.`"));
        assert_eq!(label("...", "id", false).unwrap(), "...");
        assert_eq!(label("a/..b", "key", true).unwrap(), "a/..b");
    }

    #[test]
    fn host_labels_must_be_one_dns_label() {
        assert_eq!(
            host_label("abc-123", "accountId").ok().as_deref(),
            Some("abc-123")
        );
        assert!(host_label(&"a".repeat(63), "m").is_ok());
        assert!(host_label(&"a".repeat(64), "m").is_err());
        for bad in ["", "-a", "a-", "a.b", "evil.com/x", "a@b", "ü", "a b"] {
            assert!(host_label(bad, "accountId").is_err(), "{bad}");
        }
        assert_eq!(
            error(host_label("a.b", "accountId")),
            "hostLabel `accountId` must be 1 to 63 letters, digits and hyphens, \
             not starting or ending with a hyphen; found 3 bytes that are not"
        );
    }

    #[test]
    fn float_texts() {
        assert_eq!(f32_text(0.1), "0.1");
        assert_eq!(f32_text(2.0), "2");
        assert_eq!(f32_text(f32::NAN), "NaN");
        assert_eq!(f32_text(f32::NEG_INFINITY), "-Infinity");
        assert_eq!(f64_text(-1.5), "-1.5");
        assert_eq!(f64_text(f64::INFINITY), "Infinity");
        assert_eq!(f64_text(1e-7), "0.0000001");
        for v in [0.1, 1e300, -2.5e-300, 123456.789] {
            assert_eq!(parse_header_f64(&f64_text(v), "x").ok(), Some(v));
        }
        assert_eq!(
            parse_header_f32(&f32_text(f32::MAX), "x").ok(),
            Some(f32::MAX)
        );
    }

    #[test]
    fn query_writer_keeps_the_literal_first() {
        let mut q = QueryWriter::new("?x=y");
        q.push("a", "1");
        assert_eq!(q.finish(), "?x=y&a=1");
        assert_eq!(QueryWriter::new("/Foo?bar").finish(), "?bar");
        assert_eq!(QueryWriter::new("bar&&baz=").finish(), "?bar&baz=");
        assert_eq!(QueryWriter::new("?").finish(), "");
        assert_eq!(QueryWriter::new("").finish(), "");
        let q = QueryWriter::new("x-id=Get&flag");
        assert!(q.contains("x-id") && q.contains("flag") && !q.contains("x"));
    }

    #[test]
    fn query_writer_encodes_keys_and_values() {
        let mut q = QueryWriter::new("");
        q.push("tag keys", "a b")
            .push("k", "")
            .push("p", "100%/x+y&z=ü")
            .push("k", "~._-");
        assert_eq!(
            q.finish(),
            "?tag%20keys=a%20b&k=&p=100%25%2Fx%2By%26z%3D%C3%BC&k=~._-"
        );
        assert!(q.contains("tag keys") && q.contains("k") && !q.contains("tag%20keys"));
    }

    #[test]
    fn timestamp_text_uses_the_given_format() {
        let t = DateTime::from_secs_and_nanos(1576540098, 520_000_000);
        assert_eq!(
            timestamp_text(&t, DateTimeFormat::DateTime),
            "2019-12-16T23:48:18.52Z"
        );
        assert_eq!(
            timestamp_text(&t, DateTimeFormat::HttpDate),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        assert_eq!(
            timestamp_text(&t, DateTimeFormat::EpochSeconds),
            "1576540098.52"
        );
        // One second before year 0000 has no calendar form.
        let far = DateTime::from_secs(-62_167_219_201);
        assert_eq!(
            timestamp_text(&far, DateTimeFormat::DateTime),
            "-62167219201"
        );
        let mut q = QueryWriter::new("");
        q.push("since", &timestamp_text(&t, DateTimeFormat::DateTime));
        assert_eq!(q.finish(), "?since=2019-12-16T23%3A48%3A18.52Z");
    }

    #[test]
    fn header_lists_quote_when_needed() {
        assert_eq!(header_list(["a", "b"]), "a, b");
        assert_eq!(header_list(Vec::<String>::new()), "");
        assert_eq!(
            header_list(["a", "b,c", "\"def\""]),
            r#"a, "b,c", "\"def\"""#
        );
        assert_eq!(
            header_list(["", " x", "back\\slash"]),
            r#""", " x", back\slash"#
        );
        assert_eq!(header_list(["q\"\\"]), r#""q\"\\""#);
    }

    #[test]
    fn split_header_list_reverses_header_list() {
        let cases: [&[&str]; 6] = [
            &["a", "b"],
            &["a", "b,c", "\"def\""],
            &["", " padded ", "back\\slash", "q\"\\"],
            &["ünïcödé", "tab\there"],
            &["one"],
            &[],
        ];
        for items in cases {
            let joined = header_list(items.iter());
            assert_eq!(split_header_list(&joined), items, "{joined}");
        }
    }

    #[test]
    fn split_header_list_is_lenient() {
        assert_eq!(split_header_list("  a ,b,,  c  ,"), ["a", "b", "c"]);
        assert_eq!(split_header_list(""), Vec::<String>::new());
        assert_eq!(split_header_list(" , "), Vec::<String>::new());
        assert_eq!(
            split_header_list(r#""unterminated, x"#),
            ["unterminated, x"]
        );
        assert_eq!(split_header_list(r#""a"junk , b"#), ["ajunk", "b"]);
        assert_eq!(split_header_list(r#""trailing\"#), ["trailing"]);
        assert_eq!(split_header_list(r#"a"b, c"#), ["a\"b", "c"]);
    }

    #[test]
    fn http_date_lists_split_on_every_second_comma() {
        let value = "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT";
        assert_eq!(
            split_http_date_list(value),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
        assert_eq!(
            split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT"),
            ["Mon, 16 Dec 2019 23:48:18 GMT"]
        );
        assert_eq!(split_http_date_list(""), Vec::<String>::new());
        assert_eq!(split_http_date_list("garbage"), ["garbage"]);
        for item in split_http_date_list(value) {
            assert!(parse_header_timestamp(&item, "x-dates", DateTimeFormat::HttpDate).is_ok());
        }
    }

    #[test]
    fn header_scalars() {
        assert_eq!(parse_header_bool(" true ", "x-b").ok(), Some(true));
        assert_eq!(parse_header_bool("false", "x-b").ok(), Some(false));
        assert_eq!(
            error(parse_header_bool("TRUE", "x-b")),
            "at `x-b`: expected `true` or `false`, found another value"
        );
        assert_eq!(parse_header_i8("-128", "x-i").ok(), Some(-128));
        assert_eq!(
            error(parse_header_i8("128", "x-i")),
            "at `x-i`: expected an 8-bit integer (byte), found an integer outside -128..=127"
        );
        assert_eq!(parse_header_i16(" 123 ", "x-i").ok(), Some(123));
        assert_eq!(parse_header_i32("+7", "x-i").ok(), Some(7));
        assert_eq!(
            error(parse_header_i32("1.5", "x-i")),
            "at `x-i`: expected a 32-bit integer, found text that is not an integer"
        );
        assert!(parse_header_i32("", "x-i").is_err());
        assert_eq!(
            parse_header_i64("-9223372036854775808", "x-l").ok(),
            Some(i64::MIN)
        );
        assert!(parse_header_i64("99999999999999999999999", "x-l").is_err());
        let long = "9".repeat(200);
        let message = error(parse_header_i64(&long, "x-l"));
        assert!(message.len() < 200, "{message}");
    }

    #[test]
    fn header_parse_errors_never_quote_the_value() {
        let secret = "MARKER-s3cr3t";
        let errors = [
            parse_header_bool(secret, "x-h").err(),
            parse_header_i8(secret, "x-h").err(),
            parse_header_i64(secret, "x-h").err(),
            parse_header_f32(secret, "x-h").err(),
            parse_header_f64(secret, "x-h").err(),
            parse_header_timestamp(secret, "x-h", DateTimeFormat::HttpDate).err(),
            parse_header_timestamp(secret, "x-h", DateTimeFormat::EpochSeconds).err(),
            parse_base64_header(secret).err(),
            parse_header_blob(secret, "x-h").err(),
        ];
        for error in errors {
            let error = error.expect("the marker is no valid value");
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(!shown.contains("MARKER"), "{shown}");
            }
        }
        let host = host_label("MARKER.s3cr3t", "m").expect_err("not a DNS label");
        assert!(!host.to_string().contains("MARKER"), "{host}");
    }

    #[test]
    fn header_floats() {
        assert_eq!(parse_header_f64("1.5", "x-f").ok(), Some(1.5));
        assert_eq!(parse_header_f64("-2e3", "x-f").ok(), Some(-2000.0));
        assert_eq!(parse_header_f64("7", "x-f").ok(), Some(7.0));
        assert!(parse_header_f64("NaN", "x-f").is_ok_and(f64::is_nan));
        assert_eq!(
            parse_header_f64("Infinity", "x-f").ok(),
            Some(f64::INFINITY)
        );
        assert_eq!(
            parse_header_f32("-Infinity", "x-f").ok(),
            Some(f32::NEG_INFINITY)
        );
        for bad in ["inf", "nan", "", "1,5", "0x10", "1e999"] {
            assert!(parse_header_f64(bad, "x-f").is_err(), "{bad}");
        }
        assert_eq!(parse_header_f32("0.1", "x-f").ok(), Some(0.1f32));
        assert_eq!(
            error(parse_header_f32("1e300", "x-f")),
            "at `x-f`: expected a 32-bit float (a number, `NaN`, `Infinity` or `-Infinity`) \
             in range, found another value"
        );
    }

    #[test]
    fn header_timestamps() {
        let t = parse_header_timestamp(
            "Mon, 16 Dec 2019 23:48:18 GMT",
            "x-t",
            DateTimeFormat::HttpDate,
        );
        assert_eq!(t.ok(), Some(DateTime::from_secs(1576540098)));
        let t = parse_header_timestamp("1576540098.5", "x-t", DateTimeFormat::EpochSeconds);
        assert_eq!(
            t.ok(),
            Some(DateTime::from_secs_and_nanos(1576540098, 500_000_000))
        );
        assert_eq!(
            error(parse_header_timestamp("2019-12-16", "x-t", DateTimeFormat::DateTime)),
            "at `x-t`: expected a date-time timestamp, found text that is not one"
        );
    }

    #[test]
    fn base64_headers() {
        assert_eq!(base64_header("{\"a\":1}"), "eyJhIjoxfQ==");
        assert_eq!(base64_header(""), "");
        assert_eq!(
            parse_base64_header("eyJhIjoxfQ==").ok().as_deref(),
            Some("{\"a\":1}")
        );
        assert_eq!(parse_base64_header(" aGk= ").ok().as_deref(), Some("hi"));
        assert_eq!(parse_base64_header("").ok().as_deref(), Some(""));
        let err = parse_base64_header("not base64!").map_err(|e| e.in_member("x-j"));
        assert_eq!(
            error(err),
            "at `x-j`: expected base64 text, found text that is not valid base64"
        );
        assert_eq!(
            parse_header_blob(" aGk= ", "x-b").ok(),
            Some(Blob::new(b"hi".to_vec()))
        );
        assert_eq!(
            error(parse_header_blob("a$==", "x-b")),
            "at `x-b`: expected base64 text, found text that is not valid base64"
        );
        assert_eq!(
            error(parse_base64_header(&base64_encode(b"ok\xff"))),
            "the base64-decoded value is not UTF-8 text (invalid byte at offset 2)"
        );
    }

    #[test]
    fn header_text_requires_utf8() {
        let value = HeaderValue::from_static("a, \"b,c\"");
        let text = header_text(&value, "x-list").unwrap();
        assert_eq!(split_header_list(text), ["a", "b,c"]);
        let value = HeaderValue::from_bytes("café".as_bytes()).unwrap();
        assert_eq!(header_text(&value, "x-b").ok(), Some("café"));
        let value = HeaderValue::from_bytes(b"caf\xe9").unwrap();
        assert_eq!(
            error(header_text(&value, "x-c")),
            "at `x-c`: the header value is not UTF-8 text (invalid byte at offset 3)"
        );
    }

    #[test]
    fn header_fields_are_read_whole() {
        let mut headers = HeaderMap::new();
        headers.append("x-one", HeaderValue::from_static("only"));
        headers.append("x-list", HeaderValue::from_static("a"));
        headers.append("x-other", HeaderValue::from_static("between"));
        headers.append("x-list", HeaderValue::from_static("\"b,c\", d"));
        headers.append("x-list", HeaderValue::from_static("e"));

        let one = header_field(&headers, "x-one").unwrap();
        assert!(
            matches!(one, Some(Cow::Borrowed("only"))),
            "one field is borrowed: {one:?}"
        );
        let list = header_field(&headers, "X-List").unwrap();
        assert_eq!(list.as_deref(), Some("a, \"b,c\", d, e"));
        assert_eq!(
            split_header_list(list.as_deref().unwrap_or_default()),
            ["a", "b,c", "d", "e"]
        );
        assert_eq!(header_field(&headers, "x-missing").unwrap(), None);
        assert_eq!(header_field(&headers, "not a header name").unwrap(), None);

        // A scalar sent twice is the joined text, so it does not parse as one.
        headers.append("x-count", HeaderValue::from_static("1"));
        headers.append("x-count", HeaderValue::from_static("2"));
        let count = header_field(&headers, "x-count").unwrap();
        assert_eq!(count.as_deref(), Some("1, 2"));
        assert!(parse_header_i32(count.as_deref().unwrap_or_default(), "x-count").is_err());

        // http-date lists split at every second comma, across fields too.
        headers.append("x-dates", HeaderValue::from_static("Mon, 16 Dec 2019 23:48:18 GMT"));
        headers.append("x-dates", HeaderValue::from_static("Tue, 17 Dec 2019 23:48:18 GMT"));
        let dates = header_field(&headers, "x-dates").unwrap();
        assert_eq!(
            split_http_date_list(dates.as_deref().unwrap_or_default()),
            ["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"]
        );
    }

    #[test]
    fn a_header_field_that_is_not_utf8_is_an_error_naming_the_header() {
        let mut headers = HeaderMap::new();
        headers.append("x-list", HeaderValue::from_static("a"));
        headers.append("x-list", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        assert_eq!(
            error(header_field(&headers, "x-list")),
            "at `x-list`: the header value is not UTF-8 text (invalid byte at offset 3)"
        );
    }

    #[test]
    fn idempotency_tokens_are_uuid_v4() {
        let a = idempotency_token();
        let b = idempotency_token();
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(parsed.hyphenated().to_string(), a, "lowercase 8-4-4-4-12");
    }

    #[test]
    fn insert_header_checks_name_and_value() {
        let mut headers = HeaderMap::new();
        insert_header(&mut headers, "X-Amz-Target", "a").unwrap();
        insert_header(&mut headers, "x-amz-target", "b").unwrap();
        assert_eq!(headers.get_all("x-amz-target").iter().count(), 1);
        assert_eq!(headers["x-amz-target"], "b");
        assert_eq!(
            error(insert_header(&mut headers, "x-evil", "a\r\nx-injected: 1")),
            "header `x-evil` has a value that cannot be sent: it contains a control character \
             such as a line break"
        );
        assert_eq!(
            error(insert_header(&mut headers, "bad name", "v")),
            "`bad name` is not a valid HTTP header name"
        );
        assert!(
            error(insert_header(&mut headers, "", "v")).contains("not a valid HTTP header name")
        );
        assert!(!headers.contains_key("x-evil"));
    }

    #[test]
    fn build_request_sets_content_headers() {
        let body = Bytes::from_static(b"{\"name\":\"s\"}");
        let request = build_request(
            "POST",
            "/CreateStage?x=1".to_owned(),
            HeaderMap::new(),
            Some(("application/json", body.clone())),
        )
        .unwrap();
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri().path(), "/CreateStage");
        assert_eq!(request.uri().query(), Some("x=1"));
        assert_eq!(request.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(request.headers()[CONTENT_LENGTH], "12");
        assert_eq!(request.body(), &body);
    }

    #[test]
    fn build_request_keeps_a_given_content_type() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
        let request = build_request(
            "PUT",
            "/p".to_owned(),
            headers,
            Some(("application/octet-stream", Bytes::from_static(b"png"))),
        )
        .unwrap();
        assert_eq!(request.headers()[CONTENT_TYPE], "image/png");
        assert_eq!(request.headers()[CONTENT_LENGTH], "3");
    }

    #[test]
    fn bodiless_post_put_and_patch_announce_a_zero_length_and_the_rest_none() {
        for method in ["POST", "PUT", "PATCH"] {
            for body in [None, Some(("application/json", Bytes::new()))] {
                let request =
                    build_request(method, "/p".to_owned(), HeaderMap::new(), body).unwrap();
                assert_eq!(request.headers()[CONTENT_LENGTH], "0", "{method}");
                assert!(request.body().is_empty());
            }
        }
        for method in ["GET", "DELETE", "HEAD"] {
            let request =
                build_request(method, "/tags/arn%3Ax".to_owned(), HeaderMap::new(), None).unwrap();
            assert!(request.headers().is_empty(), "{method}");
            assert!(request.body().is_empty());
            assert_eq!(request.uri(), "/tags/arn%3Ax");
        }
        // A GET that does carry a body says how long it is.
        let request = build_request(
            "GET",
            "/q".to_owned(),
            HeaderMap::new(),
            Some(("application/json", Bytes::from_static(b"{}"))),
        )
        .unwrap();
        assert_eq!(request.headers()[CONTENT_LENGTH], "2");
    }

    #[test]
    fn build_request_rejects_bad_paths_and_methods() {
        assert_eq!(
            error(build_request(
                "GET",
                "tags".to_owned(),
                HeaderMap::new(),
                None
            )),
            "the request path \"tags\" must start with `/`"
        );
        assert!(
            error(build_request("GET", String::new(), HeaderMap::new(), None))
                .contains("must start with `/`")
        );
        assert!(error(build_request(
            "GET",
            "/a b".to_owned(),
            HeaderMap::new(),
            None
        ))
        .contains("is not a valid URI path and query"));
        assert!(error(build_request(
            "GET",
            "/ü".to_owned(),
            HeaderMap::new(),
            None
        ))
        .contains("contains the non-ASCII character 'ü', which must be percent-encoded"));
        assert!(error(build_request(
            "GET",
            "/a\nb".to_owned(),
            HeaderMap::new(),
            None
        ))
        .contains("is not a valid URI path and query"));
        // A double slash is still origin-form, never an authority.
        let request =
            build_request("GET", "//evil.example/x".to_owned(), HeaderMap::new(), None).unwrap();
        assert_eq!(request.uri().host(), None);
        assert_eq!(request.uri().path(), "//evil.example/x");
        assert_eq!(
            error(build_request("G T", "/".to_owned(), HeaderMap::new(), None)),
            "`G T` is not a valid HTTP method"
        );
        assert!(error(build_request(
            "POST",
            "/".to_owned(),
            HeaderMap::new(),
            Some(("text/plain\n", Bytes::from_static(b"x")))
        ))
        .contains("content type"));
    }

    #[test]
    fn host_prefix_is_a_plain_extension() {
        let mut request = Request::new(Bytes::new());
        request
            .extensions_mut()
            .insert(HostPrefix("data.".to_owned()));
        assert_eq!(
            request.extensions().get::<HostPrefix>(),
            Some(&HostPrefix("data.".to_owned()))
        );
    }
}

/// Sets `Content-MD5` (the base64 of the body's MD5 digest), as
/// `@httpChecksumRequired` operations need (feature `content-md5`).
#[cfg(feature = "content-md5")]
pub fn set_content_md5(request: &mut Request<Bytes>) {
    let digest = md5::compute(request.body());
    let encoded = crate::primitives::base64_encode(&digest.0);
    if let Ok(value) = HeaderValue::from_str(&encoded) {
        request.headers_mut().insert("content-md5", value);
    }
}

#[cfg(all(test, feature = "content-md5"))]
mod content_md5_tests {
    use super::*;

    #[test]
    fn content_md5_is_the_base64_md5_of_the_body() {
        let mut request = build_request(
            "POST",
            "/".into(),
            HeaderMap::new(),
            Some(("text/plain", Bytes::from_static(b"abc"))),
        )
        .expect("request");
        set_content_md5(&mut request);
        // MD5("abc") = 900150983cd24fb0d6963f7d28e17f72
        assert_eq!(request.headers()["content-md5"], "kAFQmDzST7DWlj99KOF/cg==");

        let mut empty = Request::new(Bytes::new());
        set_content_md5(&mut empty);
        // MD5("") = d41d8cd98f00b204e9800998ecf8427e
        assert_eq!(empty.headers()["content-md5"], "1B2M2Y8AsgTpgAmY7PhCfg==");
    }
}
