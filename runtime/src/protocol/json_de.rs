//! Reading restJson1 bodies: parse once with [`parse_body`], then pull typed
//! values out of the [`Value`] tree with one function per Smithy type.
//!
//! Every reader takes the path of the value (wire member names, such as
//! `events[2].errorCode`) so that an error says exactly where the body went
//! wrong and what was expected there. Generated code passes `""` and adds the
//! path while the error travels out, with [`DeserializeError::in_member`],
//! [`in_index`](DeserializeError::in_index) and
//! [`in_key`](DeserializeError::in_key).
//! `null` handling is the caller's: these functions reject `null` like any
//! other wrong type.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::DeserializeError;
use crate::primitives::{base64_decode, Blob, DateTime, DateTimeFormat, Document, Number};
use crate::primitives::big_number::{BigDecimal, BigInteger};

mod value;

pub(crate) use value::is_json_number;
pub use value::{Object, Value};

/// Parses a response body as JSON, in one pass, into a [`Value`] that
/// borrows from `body`.
///
/// An empty or all-whitespace body is an empty object (restJson1 services
/// may omit the body when every member is absent). Invalid UTF-8, invalid
/// JSON and nesting deeper than 128 levels are errors with the position. A
/// key written twice in an object keeps its last value.
pub fn parse_body(body: &[u8]) -> Result<Value<'_>, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Object::default()));
    }
    let text = super::body_text(body)?;
    value::parse(text)
}

/// The JSON type of a value, with an article, for "found ..." messages.
fn json_type(value: &Value<'_>) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(path: &str, expected: &str, found: &Value<'_>) -> DeserializeError {
    DeserializeError::new(
        path,
        format!("expected {expected}, found {}", json_type(found)),
    )
}

/// The members of a JSON object (a structure, union or map).
pub fn object<'v, 'a>(value: &'v Value<'a>, path: &str) -> Result<&'v Object<'a>, DeserializeError> {
    match value {
        Value::Object(members) => Ok(members),
        other => Err(wrong_type(path, "an object", other)),
    }
}

/// The one member set in a JSON union object: its key and value. `null`
/// members and `__type` are ignored; none or several set is an error.
pub fn union_member<'v, 'a>(
    value: &'v Value<'a>,
    path: &str,
) -> Result<(&'v str, &'v Value<'a>), DeserializeError> {
    let mut present = object(value, path)?
        .iter()
        .filter(|(key, item)| !item.is_null() && *key != "__type");
    let Some((key, item)) = present.next() else {
        return Err(DeserializeError::new(path, "a union must have exactly one member set, found none"));
    };
    if present.next().is_some() {
        return Err(DeserializeError::new(path, "a union must have exactly one member set, found several"));
    }
    Ok((key, item))
}

/// The items of a JSON array (a list).
pub fn array<'v, 'a>(value: &'v Value<'a>, path: &str) -> Result<&'v [Value<'a>], DeserializeError> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(wrong_type(path, "an array", other)),
    }
}

/// A `string` (also enums, which the caller wraps).
pub fn string(value: &Value<'_>, path: &str) -> Result<String, DeserializeError> {
    match value {
        Value::String(text) => Ok(text.as_ref().to_owned()),
        other => Err(wrong_type(path, "a string", other)),
    }
}

/// A `boolean`.
pub fn boolean(value: &Value<'_>, path: &str) -> Result<bool, DeserializeError> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(wrong_type(path, "a boolean", other)),
    }
}

/// An integer of type `T` (whose range is `range`), described as `what` in
/// errors. Rejects numbers written with a fraction or exponent and numbers
/// outside the range.
fn integer<T>(
    value: &Value<'_>,
    path: &str,
    what: &str,
    range: RangeInclusive<i64>,
) -> Result<T, DeserializeError>
where
    T: TryFrom<i64> + TryFrom<u64>,
{
    let Value::Number(number) = value else {
        return Err(wrong_type(path, what, value));
    };
    let out_of_range = || {
        DeserializeError::new(
            path,
            format!(
                "expected {what}, found an integer outside {}..={}",
                range.start(),
                range.end()
            ),
        )
    };
    if is_integer_text(number) {
        if let Ok(n) = number.parse::<i64>() {
            return T::try_from(n).map_err(|_| out_of_range());
        }
        if let Ok(n) = number.parse::<u64>() {
            return T::try_from(n).map_err(|_| out_of_range());
        }
        // Digits beyond 64 bits.
        return Err(out_of_range());
    }
    // Written with a fraction or an exponent: a zero (`0.0`, `0e5`) is
    // read as 0, a whole number beyond 64 bits (`1e30`) is out of range.
    match number.parse::<f64>() {
        Ok(0.0) => T::try_from(0i64).map_err(|_| out_of_range()),
        Ok(f) if f.fract() == 0.0 && f.abs() >= TWO_POW_63 => Err(out_of_range()),
        _ => Err(DeserializeError::new(
            path,
            format!("expected {what}, found a number that is not an integer"),
        )),
    }
}

/// 2^63, the magnitude beyond which no `f64` fits an `i64`.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// A `byte`: an integer in `-128..=127`.
pub fn i8(value: &Value<'_>, path: &str) -> Result<i8, DeserializeError> {
    let range = i64::from(i8::MIN)..=i64::from(i8::MAX);
    integer(value, path, "an 8-bit integer (byte)", range)
}

/// A `short`: an integer in `-32768..=32767`.
pub fn i16(value: &Value<'_>, path: &str) -> Result<i16, DeserializeError> {
    let range = i64::from(i16::MIN)..=i64::from(i16::MAX);
    integer(value, path, "a 16-bit integer (short)", range)
}

/// An `integer`: a 32-bit signed integer.
pub fn i32(value: &Value<'_>, path: &str) -> Result<i32, DeserializeError> {
    let range = i64::from(i32::MIN)..=i64::from(i32::MAX);
    integer(value, path, "a 32-bit integer", range)
}

/// A `long`: a 64-bit signed integer.
pub fn i64(value: &Value<'_>, path: &str) -> Result<i64, DeserializeError> {
    integer(value, path, "a 64-bit integer (long)", i64::MIN..=i64::MAX)
}

/// The three non-finite values restJson1 writes as strings.
fn non_finite(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

const FLOAT_STRINGS: &str = "\"NaN\", \"Infinity\" or \"-Infinity\"";

/// A `double`: any JSON number (integers included), or one of the strings
/// `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn f64(value: &Value<'_>, path: &str) -> Result<f64, DeserializeError> {
    match value {
        Value::Number(number) => number_f64(number).ok_or_else(|| {
            DeserializeError::new(
                path,
                "found a number outside the range of a 64-bit float",
            )
        }),
        Value::String(text) => non_finite(text).ok_or_else(|| {
            DeserializeError::new(
                path,
                format!("expected a number or one of {FLOAT_STRINGS}, found another string"),
            )
        }),
        other => Err(wrong_type(
            path,
            &format!("a number or one of {FLOAT_STRINGS}"),
            other,
        )),
    }
}

/// A `float`: as [`f64`](fn@f64), then narrowed; a finite number beyond the
/// `f32` range is an error rather than an infinity.
pub fn f32(value: &Value<'_>, path: &str) -> Result<f32, DeserializeError> {
    let wide = f64(value, path)?;
    let narrow = wide as f32;
    if wide.is_finite() && !narrow.is_finite() {
        return Err(DeserializeError::new(
            path,
            "found a number outside the range of a 32-bit float",
        ));
    }
    Ok(narrow)
}

/// A `timestamp` in `format`: a JSON number of seconds (fraction allowed)
/// for `EpochSeconds`, a string for `DateTime` and `HttpDate`.
pub fn timestamp(
    value: &Value<'_>,
    path: &str,
    format: DateTimeFormat,
) -> Result<DateTime, DeserializeError> {
    let text = match (format, value) {
        // The number as written, so `1515531081.123` reads as exactly .123
        // seconds.
        (DateTimeFormat::EpochSeconds, Value::Number(number)) => number,
        (DateTimeFormat::EpochSeconds, other) => {
            return Err(wrong_type(
                path,
                "a number (an epoch-seconds timestamp)",
                other,
            ))
        }
        (_, Value::String(text)) => text.as_ref(),
        (_, other) => {
            return Err(wrong_type(
                path,
                &format!("a string (a {format} timestamp)"),
                other,
            ))
        }
    };
    DateTime::parse(format, text).map_err(|_| super::bad_timestamp(path, format))
}

/// A `blob`: a base64 string.
pub fn blob(value: &Value<'_>, path: &str) -> Result<Blob, DeserializeError> {
    match value {
        Value::String(text) => base64_decode(text)
            .map(Blob::new)
            .map_err(|_| super::bad_base64(path)),
        other => Err(wrong_type(path, "a base64 string (a blob)", other)),
    }
}

/// A `document`: any JSON value, converted as is. Numbers become
/// [`Number::PosInt`] or [`Number::NegInt`] when they are integers that fit
/// 64 bits, else [`Number::Float`] (`-0` too).
pub fn document(value: &Value<'_>) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(text) => Document::Number(document_number(text)),
        Value::String(text) => Document::String(text.as_ref().to_owned()),
        Value::Array(items) => Document::Array(items.iter().map(document).collect()),
        Value::Object(members) => {
            let mut object = BTreeMap::new();
            for (key, item) in members {
                object.insert(key.to_owned(), document(item));
            }
            Document::Object(object)
        }
    }
}

fn document_number(text: &str) -> Number {
    if is_integer_text(text) {
        if let Ok(n) = text.parse::<u64>() {
            return Number::PosInt(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            if n < 0 {
                return Number::NegInt(n);
            }
        }
    }
    Number::Float(number_f64(text).unwrap_or(f64::NAN))
}

/// A number's text as an `f64`, `None` when it is finite text beyond the
/// `f64` range (`1e400`).
fn number_f64(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A `bigInteger`: a JSON integer or a string of decimal digits, kept as text.
///
/// A JSON integer keeps every digit, however long; one written with a
/// fraction or exponent must be whole (`1e3` reads as `1000`).
pub fn big_integer(value: &Value<'_>, path: &str) -> Result<BigInteger, DeserializeError> {
    let what = "an integer or a string of digits (a bigInteger)";
    match value {
        Value::Number(number) => integer_text(number).map(BigInteger::new).ok_or_else(|| {
            DeserializeError::new(
                path,
                format!("expected {what}, found a number that is not an integer"),
            )
        }),
        Value::String(text) if is_integer_text(text) => Ok(BigInteger::new(text.as_ref())),
        Value::String(_) => Err(DeserializeError::new(
            path,
            format!("expected {what}, found a string that is not an integer"),
        )),
        other => Err(wrong_type(path, what, other)),
    }
}

/// A `bigDecimal`: a JSON number or a string holding a decimal number, kept
/// as text: a JSON number as it was written.
pub fn big_decimal(value: &Value<'_>, path: &str) -> Result<BigDecimal, DeserializeError> {
    let what = "a number or a numeric string (a bigDecimal)";
    match value {
        Value::Number(number) => Ok(BigDecimal::new(*number)),
        Value::String(text) if is_decimal_text(text) => Ok(BigDecimal::new(text.as_ref())),
        Value::String(_) => Err(DeserializeError::new(
            path,
            format!("expected {what}, found a string that is not a decimal number"),
        )),
        other => Err(wrong_type(path, what, other)),
    }
}

/// The digits of an integral JSON number, or `None` if it has a fraction.
fn integer_text(number: &str) -> Option<String> {
    if is_integer_text(number) {
        return Some(number.to_owned());
    }
    let f = number_f64(number)?;
    (f.fract() == 0.0).then(|| format!("{f:.0}"))
}

/// `[+-]digits`.
pub(crate) fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`, also `.5` and `5.`.
pub(crate) fn is_decimal_text(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        !(whole.is_empty() && fraction.is_empty()) && all_digits(whole) && all_digits(fraction);
    let exponent_ok = exponent.is_none_or(is_integer_text);
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value parsed from JSON text.
    fn json(text: &str) -> Value<'_> {
        match parse_body(text.as_bytes()) {
            Ok(value) => value,
            Err(err) => panic!("{text:?}: {err}"),
        }
    }

    fn message(result: Result<impl std::fmt::Debug, DeserializeError>) -> String {
        match result {
            Ok(value) => panic!("expected an error, got {value:?}"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn empty_and_whitespace_bodies_are_empty_objects() {
        assert_eq!(parse_body(b"").ok(), Some(json("{}")));
        assert_eq!(parse_body(b" \r\n\t").ok(), Some(json("{}")));
        assert_eq!(parse_body(br#"{"a":[1]}"#).ok(), Some(json(r#"{"a": [1]}"#)));
    }

    #[test]
    fn invalid_json_says_where() {
        let err = message(parse_body(b"{\"a\": 1,\n \"b\": }"));
        assert!(err.starts_with("the body is not valid JSON: "), "{err}");
        assert!(err.contains("line 2 column"), "{err}");
        let err = message(parse_body(b"{\"a\": 1} trailing"));
        assert!(err.contains("trailing characters"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_an_error_with_the_offset() {
        let err = message(parse_body(b"{\"a\": \"caf\xc3\"}"));
        assert_eq!(
            err,
            "the body is not valid UTF-8 (invalid byte at offset 10)"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut body = "[".repeat(100_000);
        body.push_str(&"]".repeat(100_000));
        let err = message(parse_body(body.as_bytes()));
        assert!(err.contains("nesting deeper than 128 levels"), "{err}");

        let mut objects = r#"{"a":"#.repeat(50_000);
        objects.push('1');
        objects.push_str(&"}".repeat(50_000));
        assert!(parse_body(objects.as_bytes()).is_err());

        // Moderate nesting is fine.
        let mut ok = "[".repeat(100);
        ok.push_str(&"]".repeat(100));
        assert!(parse_body(ok.as_bytes()).is_ok());
    }

    #[test]
    fn paths_use_wire_names() {
        let body = json(r#"{"events": [{}, {}, {"errorCode": 5}]}"#);
        let events = object(&body, "").unwrap().get("events").unwrap();
        let events = array(events, "events").unwrap();
        let code = object(&events[2], "").unwrap().get("errorCode").unwrap();
        assert_eq!(
            message(string(code, "events[2].errorCode")),
            "at `events[2].errorCode`: expected a string, found a number"
        );
        // As generated code does it: relative paths, prefixed on the way out.
        let err =
            string(code, "").map_err(|e| e.in_member("errorCode").in_index(2).in_member("events"));
        assert_eq!(
            message(err),
            "at `events[2].errorCode`: expected a string, found a number"
        );
        assert_eq!(
            message(string(code, "")),
            "expected a string, found a number"
        );
    }

    #[test]
    fn wrong_types_say_expected_and_found() {
        assert_eq!(
            message(object(&json("[1]"), "stage")),
            "at `stage`: expected an object, found an array"
        );
        assert_eq!(
            message(array(&json("{}"), "list")),
            "at `list`: expected an array, found an object"
        );
        assert_eq!(
            message(boolean(&json(r#""true""#), "flag")),
            "at `flag`: expected a boolean, found a string"
        );
        assert_eq!(
            message(string(&Value::Null, "name")),
            "at `name`: expected a string, found null"
        );
        assert_eq!(
            message(i32(&json("true"), "n")),
            "at `n`: expected a 32-bit integer, found a boolean"
        );
        assert_eq!(string(&json(r#""héllo""#), "s").ok().as_deref(), Some("héllo"));
        assert_eq!(boolean(&json("false"), "b").ok(), Some(false));
    }

    #[test]
    fn integers_are_range_checked() {
        assert_eq!(i8(&json("-128"), "b").ok(), Some(-128));
        assert_eq!(
            message(i8(&json("128"), "b")),
            "at `b`: expected an 8-bit integer (byte), found an integer outside -128..=127"
        );
        assert_eq!(i16(&json("-32768"), "s").ok(), Some(-32768));
        assert!(i16(&json("40000"), "s").is_err());
        assert_eq!(i32(&json("2147483647"), "i").ok(), Some(i32::MAX));
        assert!(i32(&json("-2147483649"), "i").is_err());
        assert_eq!(i64(&json("-9223372036854775808"), "l").ok(), Some(i64::MIN));
        assert_eq!(
            message(i64(&json("18446744073709551615"), "l")),
            "at `l`: expected a 64-bit integer (long), found an integer \
             outside -9223372036854775808..=9223372036854775807"
        );
        let huge = parse_body(b"123456789012345678901234567890").unwrap();
        let err = message(i64(&huge, "l"));
        assert!(err.contains("found an integer outside"), "{err}");
        assert!(!err.contains("123456"), "the value is not quoted: {err}");
    }

    #[test]
    fn integers_reject_fractions() {
        assert_eq!(
            message(i32(&json("1.5"), "n")),
            "at `n`: expected a 32-bit integer, found a number that is not an integer"
        );
        let one_point_oh = parse_body(b"1.0").unwrap();
        assert!(i32(&one_point_oh, "n").is_err());
        let exponent = parse_body(b"1e3").unwrap();
        assert!(i64(&exponent, "n").is_err());
        let minus_zero = parse_body(b"-0").unwrap();
        assert_eq!(i32(&minus_zero, "n").ok(), Some(0));
        assert_eq!(i32(&json("0.0"), "n").ok(), Some(0));
        assert!(message(i64(&json("1e30"), "n")).contains("found an integer outside"));
    }

    #[test]
    fn floats_accept_integers_and_special_strings() {
        assert_eq!(f64(&json("3"), "d").ok(), Some(3.0));
        assert_eq!(f64(&json("-0.25"), "d").ok(), Some(-0.25));
        assert_eq!(f64(&json("18446744073709551615"), "d").ok(), Some(u64::MAX as f64));
        assert!(f64(&json(r#""NaN""#), "d").is_ok_and(f64::is_nan));
        assert_eq!(f64(&json(r#""Infinity""#), "d").ok(), Some(f64::INFINITY));
        assert_eq!(f64(&json(r#""-Infinity""#), "d").ok(), Some(f64::NEG_INFINITY));
        assert_eq!(
            message(f64(&json(r#""nan""#), "d")),
            "at `d`: expected a number or one of \"NaN\", \"Infinity\" or \"-Infinity\", \
             found another string"
        );
        assert_eq!(
            message(f64(&json("[]"), "d")),
            "at `d`: expected a number or one of \"NaN\", \"Infinity\" or \"-Infinity\", \
             found an array"
        );
        assert_eq!(f32(&json("1.5"), "f").ok(), Some(1.5f32));
        assert_eq!(f32(&json("7"), "f").ok(), Some(7.0f32));
        assert_eq!(f32(&json(r#""-Infinity""#), "f").ok(), Some(f32::NEG_INFINITY));
        assert_eq!(
            message(f32(&json("1e300"), "f")),
            "at `f`: found a number outside the range of a 32-bit float"
        );
        assert_eq!(
            message(f64(&json("-1e400"), "d")),
            "at `d`: found a number outside the range of a 64-bit float"
        );
        assert_eq!(f64(&json("2.5e-3"), "d").ok(), Some(0.0025));
    }

    #[test]
    fn epoch_seconds_timestamps() {
        let t = timestamp(&json("1576540098"), "t", DateTimeFormat::EpochSeconds).unwrap();
        assert_eq!(t, DateTime::from_secs(1576540098));
        let t = timestamp(&json("1515531081.123"), "t", DateTimeFormat::EpochSeconds).unwrap();
        assert_eq!(t, DateTime::from_secs_and_nanos(1515531081, 123_000_000));
        let t = timestamp(&json("-1.5"), "t", DateTimeFormat::EpochSeconds).unwrap();
        assert_eq!(t, DateTime::from_secs_and_nanos(-2, 500_000_000));
        let exponent = parse_body(b"1.5e9").unwrap();
        let t = timestamp(&exponent, "t", DateTimeFormat::EpochSeconds).unwrap();
        assert_eq!(t, DateTime::from_secs(1_500_000_000));
        assert_eq!(
            message(timestamp(
                &json(r#""1576540098""#),
                "t",
                DateTimeFormat::EpochSeconds
            )),
            "at `t`: expected a number (an epoch-seconds timestamp), found a string"
        );
        assert!(timestamp(&json("18446744073709551615"), "t", DateTimeFormat::EpochSeconds).is_err());
        assert!(timestamp(&json("1e300"), "t", DateTimeFormat::EpochSeconds).is_err());
    }

    #[test]
    fn string_timestamps() {
        let t = timestamp(
            &json(r#""2019-12-16T23:48:18.52Z""#),
            "createdAt",
            DateTimeFormat::DateTime,
        )
        .unwrap();
        assert_eq!(t, DateTime::from_secs_and_nanos(1576540098, 520_000_000));
        let t = timestamp(
            &json(r#""Mon, 16 Dec 2019 23:48:18 GMT""#),
            "t",
            DateTimeFormat::HttpDate,
        )
        .unwrap();
        assert_eq!(t, DateTime::from_secs(1576540098));
        assert_eq!(
            message(timestamp(&json(r#""yesterday""#), "createdAt", DateTimeFormat::DateTime)),
            "at `createdAt`: expected a date-time timestamp, found text that is not one"
        );
        assert_eq!(
            message(timestamp(&json("1576540098"), "t", DateTimeFormat::DateTime)),
            "at `t`: expected a string (a date-time timestamp), found a number"
        );
    }

    #[test]
    fn blobs_are_base64() {
        assert_eq!(
            blob(&json(r#""aGk=""#), "b").ok(),
            Some(Blob::new(b"hi".to_vec()))
        );
        assert_eq!(blob(&json(r#""""#), "b").ok(), Some(Blob::new(Vec::new())));
        assert_eq!(
            message(blob(&json(r#""a$==""#), "data")),
            "at `data`: expected base64 text, found text that is not valid base64"
        );
        assert_eq!(
            message(blob(&json("12"), "data")),
            "at `data`: expected a base64 string (a blob), found a number"
        );
    }

    #[test]
    fn documents_convert_as_is() {
        let doc = document(&json(r#"{"a": [1, "x", null, true, 2.5]}"#));
        assert_eq!(
            serde_json::Value::from(doc),
            serde_json::json!({"a": [1, "x", null, true, 2.5]})
        );
        let numbers = document(&json("[7, -7, -0, 18446744073709551616, 1e2, \"\\u00e9\"]"));
        assert_eq!(
            numbers,
            Document::Array(vec![
                Document::Number(Number::PosInt(7)),
                Document::Number(Number::NegInt(-7)),
                Document::Number(Number::Float(-0.0)),
                Document::Number(Number::Float(18446744073709551616.0)),
                Document::Number(Number::Float(100.0)),
                Document::String("é".to_owned()),
            ])
        );
    }

    #[test]
    fn big_numbers_keep_their_text() {
        assert_eq!(
            big_integer(&json(r#""-123456789012345678901234567890""#), "n")
                .unwrap()
                .as_str(),
            "-123456789012345678901234567890"
        );
        assert_eq!(big_integer(&json("42"), "n").unwrap().as_str(), "42");
        assert_eq!(
            big_integer(&json("18446744073709551615"), "n").unwrap().as_str(),
            "18446744073709551615"
        );
        // Every digit is kept, beyond 64 bits too.
        let long = json("-123456789012345678901234567890");
        assert_eq!(big_integer(&long, "n").unwrap().as_str(), "-123456789012345678901234567890");
        assert_eq!(big_integer(&json("1e3"), "n").unwrap().as_str(), "1000");
        assert_eq!(big_integer(&json("-0"), "n").unwrap().as_str(), "-0");
        assert!(big_integer(&json("1.5"), "n").is_err());
        assert!(big_integer(&json(r#""12a""#), "n").is_err());
        assert!(big_integer(&json(r#""""#), "n").is_err());
        assert!(big_integer(&json("null"), "n").is_err());

        assert_eq!(big_decimal(&json(r#""1.50""#), "d").unwrap().as_str(), "1.50");
        assert_eq!(
            big_decimal(&json(r#""-.5e-3""#), "d").unwrap().as_str(),
            "-.5e-3"
        );
        assert_eq!(big_decimal(&json("2.25"), "d").unwrap().as_str(), "2.25");
        let precise = "3.14159265358979323846264338327950288";
        assert_eq!(big_decimal(&json(precise), "d").unwrap().as_str(), precise);
        assert_eq!(big_decimal(&json("-1.5E+400"), "d").unwrap().as_str(), "-1.5E+400");
        for bad in ["", ".", "1.2.3", "1e", "e5", "NaN", "1,5"] {
            assert!(big_decimal(&Value::String(bad.into()), "d").is_err(), "{bad}");
        }
    }
}

#[cfg(test)]
mod agreement_with_serde_json {
    use super::*;

    /// A random JSON value `depth` levels deep at most: strings with
    /// quotes, backslashes, control and non-ASCII characters; integers
    /// across the 64-bit ranges; floats with short exact decimals.
    fn random_value(rng: &mut fastrand::Rng, depth: u32) -> serde_json::Value {
        const CHARS: &[char] = &['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u{0}', '\u{1f}', '\u{7f}', 'é', '€', '😀'];
        let text = |rng: &mut fastrand::Rng| -> String {
            (0..rng.usize(0..8)).map(|_| CHARS[rng.usize(..CHARS.len())]).collect()
        };
        let pick = if depth == 0 { rng.u32(0..6) } else { rng.u32(0..8) };
        match pick {
            0 => serde_json::Value::Null,
            1 => serde_json::Value::Bool(rng.bool()),
            2 => serde_json::Value::from(rng.i64(..)),
            3 => serde_json::Value::from(rng.u64(..)),
            4 => serde_json::Value::from(f64::from(rng.i32(..)) / 64.0),
            5 => serde_json::Value::String(text(rng)),
            6 => (0..rng.usize(0..5)).map(|_| random_value(rng, depth - 1)).collect(),
            _ => {
                let mut object = serde_json::Map::new();
                for _ in 0..rng.usize(0..5) {
                    object.insert(text(rng), random_value(rng, depth - 1));
                }
                serde_json::Value::Object(object)
            }
        }
    }

    #[test]
    fn random_documents_read_the_same() {
        let mut rng = fastrand::Rng::with_seed(16);
        for case in 0..2_000 {
            let expected = random_value(&mut rng, 4);
            let text = if case % 2 == 0 {
                serde_json::to_string(&expected)
            } else {
                serde_json::to_string_pretty(&expected)
            }
            .expect("serializes");
            let parsed = parse_body(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(document(&parsed), Document::from(expected), "{text}");
        }
    }
}

#[cfg(test)]
mod union_member_tests {
    use super::*;

    /// A value parsed from JSON text.
    fn json(text: &str) -> Value<'_> {
        match parse_body(text.as_bytes()) {
            Ok(value) => value,
            Err(err) => panic!("{text:?}: {err}"),
        }
    }

    #[test]
    fn exactly_one_member_ignoring_nulls_and_type() {
        let value = json(r#"{"a": null, "__type": "x", "b": 1}"#);
        assert_eq!(union_member(&value, "u").expect("one member"), ("b", &json("1")));
        let none = union_member(&json(r#"{"a": null}"#), "u").expect_err("none set");
        assert!(none.to_string().contains("found none"), "{none}");
        let several = union_member(&json(r#"{"a": 1, "b": 2}"#), "u").expect_err("two set");
        assert!(several.to_string().contains("found several"), "{several}");
        assert!(union_member(&json("[1]"), "u").is_err());
        // A key written twice is one member, with its last value.
        let twice = json(r#"{"a": 1, "a": 2}"#);
        assert_eq!(union_member(&twice, "u").expect("one member"), ("a", &json("2")));
    }
}
