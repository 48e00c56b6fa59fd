//! `@httpHeader` and `@httpPrefixHeaders` values: lists written and split,
//! scalars, timestamps, blobs and `@mediaType` strings read from response
//! headers, and header fields set on a request.

use std::borrow::Cow;

use ::http::header::{HeaderName, HeaderValue};
use ::http::HeaderMap;

use crate::primitives::{base64_decode, base64_encode, Blob, DateTime, DateTimeFormat};
use crate::protocol::{bad_base64, bad_timestamp, DeserializeError, SerializeError};

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
    DateTime::parse(format, value.trim()).map_err(|_| bad_timestamp(header, format))
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
    let bytes = base64_decode(value.trim()).map_err(|_| bad_base64(""))?;
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
        .map_err(|_| bad_base64(header))
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
/// use smithy_runtime::protocol::http::header_field;
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

/// [`header_field`] as an owned `String`: what a string member bound to
/// header `name` reads as. Generated parsers call it for such members
/// rather than each writing the conversion.
pub fn header_string(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<String>, DeserializeError> {
    Ok(header_field(headers, name)?.map(Cow::into_owned))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::http::error;

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
            error(parse_header_timestamp(
                "2019-12-16",
                "x-t",
                DateTimeFormat::DateTime
            )),
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
        headers.append(
            "x-dates",
            HeaderValue::from_static("Mon, 16 Dec 2019 23:48:18 GMT"),
        );
        headers.append(
            "x-dates",
            HeaderValue::from_static("Tue, 17 Dec 2019 23:48:18 GMT"),
        );
        let dates = header_field(&headers, "x-dates").unwrap();
        assert_eq!(
            split_http_date_list(dates.as_deref().unwrap_or_default()),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[test]
    fn header_string_is_the_whole_field_owned() {
        let mut headers = HeaderMap::new();
        headers.append("x-one", HeaderValue::from_static("only"));
        headers.append("x-two", HeaderValue::from_static("a"));
        headers.append("x-two", HeaderValue::from_static("b"));
        headers.append("x-bad", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        assert_eq!(header_string(&headers, "X-One").unwrap().as_deref(), Some("only"));
        assert_eq!(header_string(&headers, "x-two").unwrap().as_deref(), Some("a, b"));
        assert_eq!(header_string(&headers, "x-missing").unwrap(), None);
        assert_eq!(
            error(header_string(&headers, "x-bad")),
            "at `x-bad`: the header value is not UTF-8 text (invalid byte at offset 3)"
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
}
