//! Writing restJson1 bodies: generated serializers build a [`Value`] tree
//! with these helpers for the types JSON has no direct form for, then
//! [`to_bytes`] turns it into the request body.

use bytes::Bytes;
use serde_json::{Number, Value};

use crate::primitives::{base64_encode, Blob, DateTime, DateTimeFormat, Document};
use crate::primitives::big_number::{BigDecimal, BigInteger};

/// A `double`: a JSON number, or the string `"NaN"`, `"Infinity"` or
/// `"-Infinity"` for the values JSON cannot hold.
pub fn f64(value: f64) -> Value {
    if value.is_nan() {
        return Value::String("NaN".to_owned());
    }
    if value.is_infinite() {
        let text = if value > 0.0 { "Infinity" } else { "-Infinity" };
        return Value::String(text.to_owned());
    }
    // Finite, so `from_f64` succeeds.
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// A `float`, as [`f64`](fn@f64). The value is widened through its shortest
/// decimal text, so `0.1f32` is written `0.1`, not `0.10000000149011612`.
pub fn f32(value: f32) -> Value {
    let widened = value.to_string().parse::<f64>().unwrap_or(f64::from(value));
    f64(widened)
}

/// A `timestamp` in `format`: a number of seconds for `EpochSeconds`
/// (an integer when there is no fraction, `1576540098`, else a float,
/// `1576540098.5`), a string for `DateTime` and `HttpDate`.
///
/// An instant outside years 0000..=9999 cannot be written as `DateTime` or
/// `HttpDate`; it is written as epoch seconds instead, for the service to
/// reject (serializers are infallible).
pub fn timestamp(value: &DateTime, format: DateTimeFormat) -> Value {
    if format != DateTimeFormat::EpochSeconds {
        if let Ok(text) = value.fmt(format) {
            return Value::String(text);
        }
    }
    if value.subsec_nanos() == 0 {
        return Value::from(value.secs());
    }
    // Through the exact decimal text, so `.123` stays `.123`.
    let seconds = value
        .fmt(DateTimeFormat::EpochSeconds)
        .ok()
        .and_then(|text| text.parse::<f64>().ok())
        .unwrap_or_else(|| value.as_secs_f64());
    f64(seconds)
}

/// A `blob`: a base64 string.
pub fn blob(value: &Blob) -> Value {
    Value::String(base64_encode(value.as_ref()))
}

/// A `document`, as is. A NaN or infinite number in it, which JSON cannot
/// hold, becomes `null`.
pub fn document(value: &Document) -> Value {
    Value::from(value.clone())
}

/// A `bigInteger` as a JSON number.
///
/// Beyond 64 bits, the number is rounded to an `f64` (serde_json is built
/// without arbitrary precision). Text that is not a number at all (which
/// [`BigInteger::new`] does not check) is written as a string.
pub fn big_integer(value: &BigInteger) -> Value {
    number_from_text(value.as_str())
}

/// A `bigDecimal` as a JSON number, with the same caveats as
/// [`big_integer`].
pub fn big_decimal(value: &BigDecimal) -> Value {
    number_from_text(value.as_str())
}

fn number_from_text(text: &str) -> Value {
    match serde_json::from_str::<Number>(text) {
        Ok(number) => Value::Number(number),
        Err(_) => Value::String(text.to_owned()),
    }
}

/// The compact JSON text of a value, as a request body.
pub fn to_bytes(value: &Value) -> Bytes {
    // Writing a `Value` to a `Vec` cannot fail: keys are strings and
    // numbers are finite.
    serde_json::to_vec(value)
        .map(Bytes::from)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(value: &Value) -> String {
        String::from_utf8(to_bytes(value).to_vec()).unwrap()
    }

    #[test]
    fn floats_and_their_special_values() {
        assert_eq!(f64(1.5), json!(1.5));
        assert_eq!(f64(f64::NAN), json!("NaN"));
        assert_eq!(f64(f64::INFINITY), json!("Infinity"));
        assert_eq!(f64(f64::NEG_INFINITY), json!("-Infinity"));
        assert_eq!(f32(f32::NAN), json!("NaN"));
        assert_eq!(f32(f32::NEG_INFINITY), json!("-Infinity"));
        assert_eq!(text(&f32(0.1)), "0.1");
        assert_eq!(text(&f32(f32::MAX)), "3.4028235e+38");
        assert_eq!(text(&f64(-0.0)), "-0.0");
    }

    #[test]
    fn epoch_seconds_are_integers_when_whole() {
        let whole = DateTime::from_secs(1576540098);
        assert_eq!(
            text(&timestamp(&whole, DateTimeFormat::EpochSeconds)),
            "1576540098"
        );
        let half = DateTime::from_secs_and_nanos(1576540098, 500_000_000);
        assert_eq!(
            text(&timestamp(&half, DateTimeFormat::EpochSeconds)),
            "1576540098.5"
        );
        let millis = DateTime::from_secs_and_nanos(1515531081, 123_000_000);
        assert_eq!(
            text(&timestamp(&millis, DateTimeFormat::EpochSeconds)),
            "1515531081.123"
        );
        let before = DateTime::from_secs_and_nanos(-2, 500_000_000);
        assert_eq!(
            text(&timestamp(&before, DateTimeFormat::EpochSeconds)),
            "-1.5"
        );
    }

    #[test]
    fn calendar_timestamps_are_strings() {
        let t = DateTime::from_secs_and_nanos(1576540098, 520_000_000);
        assert_eq!(
            timestamp(&t, DateTimeFormat::DateTime),
            json!("2019-12-16T23:48:18.52Z")
        );
        assert_eq!(
            timestamp(&t, DateTimeFormat::HttpDate),
            json!("Mon, 16 Dec 2019 23:48:18 GMT")
        );
        // Year 10000 has no date-time form; it falls back to epoch seconds.
        let far = DateTime::from_secs(253_402_300_800);
        assert_eq!(
            timestamp(&far, DateTimeFormat::DateTime),
            json!(253_402_300_800i64)
        );
    }

    #[test]
    fn blobs_documents_and_big_numbers() {
        assert_eq!(blob(&Blob::new(b"hi".to_vec())), json!("aGk="));
        assert_eq!(blob(&Blob::default()), json!(""));
        let doc = Document::from(vec![
            Document::from(1i64),
            Document::from("x"),
            Document::Null,
        ]);
        assert_eq!(document(&doc), json!([1, "x", null]));
        assert_eq!(big_integer(&BigInteger::new("42")), json!(42));
        assert_eq!(big_integer(&BigInteger::new("-7")), json!(-7));
        assert_eq!(big_decimal(&BigDecimal::new("1.25")), json!(1.25));
        assert_eq!(big_decimal(&BigDecimal::new("oops")), json!("oops"));
        let huge = big_integer(&BigInteger::new("123456789012345678901234567890"));
        assert!(huge.is_number(), "{huge}");
    }

    #[test]
    fn to_bytes_is_compact_json() {
        let value = json!({"name": "stage \"1\"", "n": [1, 2]});
        let written = text(&value);
        assert!(
            !written.contains(": ") && !written.contains(", "),
            "{written}"
        );
        assert_eq!(serde_json::from_str::<Value>(&written).ok(), Some(value));
        assert_eq!(text(&json!({})), "{}");
        assert_eq!(text(&json!({"a": "é\n"})), "{\"a\":\"é\\n\"}");
    }
}
