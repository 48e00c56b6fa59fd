//! Writing JSON bodies: generated serializers drive a [`JsonWriter`] value
//! by value, straight into the body's bytes, with no tree in between.
//! Strings, integers and floats are printed by serde_json (same escapes,
//! same shortest float text as `serde_json::to_vec`).

use bytes::Bytes;
use serde::Serialize;

use super::json_de::is_json_number;
use crate::primitives::big_number::{BigDecimal, BigInteger};
use crate::primitives::{base64_encode, Blob, DateTime, DateTimeFormat, Document, Number};

/// Writes one compact JSON document. Commas between members and items are
/// the writer's business; the caller opens and closes objects and arrays,
/// and writes a [`key`](JsonWriter::key) before each member's value.
///
/// ```
/// use smithy_runtime::protocol::json_ser::JsonWriter;
///
/// let mut json = JsonWriter::new();
/// json.begin_object();
/// json.key("name");
/// json.string("stage \"1\"");
/// json.key("tags");
/// json.begin_array();
/// json.integer(1);
/// json.f64(f64::NAN);
/// json.end_array();
/// json.end_object();
/// assert_eq!(&json.finish()[..], br#"{"name":"stage \"1\"","tags":[1,"NaN"]}"#);
/// ```
pub struct JsonWriter {
    out: Vec<u8>,
    /// Whether the next key or value follows a sibling (and needs a comma).
    after_value: bool,
}

impl Default for JsonWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonWriter {
    /// A writer with nothing written, with room for a small body.
    pub fn new() -> Self {
        JsonWriter { out: Vec::with_capacity(256), after_value: false }
    }

    /// The JSON text written.
    pub fn finish(self) -> Bytes {
        Bytes::from(self.out)
    }

    /// Starts a value: a comma if a sibling came before it.
    fn separate(&mut self) {
        if self.after_value {
            self.out.push(b',');
        }
        self.after_value = true;
    }

    /// A scalar printed by serde_json.
    fn print<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.separate();
        // The sink is a `Vec<u8>`, and every value given here (strings,
        // integers, finite floats) serializes: this cannot fail.
        let _ = serde_json::to_writer(&mut self.out, value);
    }

    fn open(&mut self, bracket: u8) {
        self.separate();
        self.out.push(bracket);
        self.after_value = false;
    }

    fn close(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.after_value = true;
    }

    /// `{`.
    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    /// `}`.
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    /// `[`.
    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    /// `]`.
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// A member's key (and the colon): its value comes next.
    pub fn key(&mut self, key: &str) {
        self.print(key);
        self.out.push(b':');
        self.after_value = false;
    }

    /// `null`.
    pub fn null(&mut self) {
        self.separate();
        self.out.extend_from_slice(b"null");
    }

    /// A `boolean`.
    pub fn boolean(&mut self, value: bool) {
        self.separate();
        self.out.extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// A `string` (or an enum's value), escaped.
    pub fn string(&mut self, value: &str) {
        self.print(value);
    }

    /// A `byte`, `short`, `integer`, `long` or `intEnum`.
    pub fn integer(&mut self, value: i64) {
        self.print(&value);
    }

    /// A `double`: a JSON number, or the string `"NaN"`, `"Infinity"` or
    /// `"-Infinity"` for the values JSON cannot hold.
    pub fn f64(&mut self, value: f64) {
        if value.is_nan() {
            self.string("NaN");
        } else if value.is_infinite() {
            self.string(if value > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            self.print(&value);
        }
    }

    /// A `float`, as [`f64`](JsonWriter::f64). The value is widened through
    /// its shortest decimal text, so `0.1f32` is written `0.1`, not
    /// `0.10000000149011612`.
    pub fn f32(&mut self, value: f32) {
        self.f64(widen(value));
    }

    /// A `timestamp` in `format`: a number of seconds for `EpochSeconds`
    /// (an integer when there is no fraction, `1576540098`, else a float,
    /// `1576540098.5`), a string for `DateTime` and `HttpDate`.
    ///
    /// An instant outside years 0000..=9999 cannot be written as `DateTime`
    /// or `HttpDate`; it is written as epoch seconds instead, for the service
    /// to reject (serializers are infallible).
    pub fn timestamp(&mut self, value: &DateTime, format: DateTimeFormat) {
        if format != DateTimeFormat::EpochSeconds {
            if let Ok(text) = value.fmt(format) {
                return self.string(&text);
            }
        }
        if value.subsec_nanos() == 0 {
            return self.integer(value.secs());
        }
        // Through the exact decimal text, so `.123` stays `.123`.
        let seconds = value
            .fmt(DateTimeFormat::EpochSeconds)
            .ok()
            .and_then(|text| text.parse::<f64>().ok())
            .unwrap_or_else(|| value.as_secs_f64());
        self.f64(seconds);
    }

    /// A `blob`: a base64 string.
    pub fn blob(&mut self, value: &Blob) {
        self.string(&base64_encode(value.as_ref()));
    }

    /// A `document`, as is. A NaN or infinite number in it, which JSON
    /// cannot hold, becomes `null`.
    pub fn document(&mut self, value: &Document) {
        match value {
            Document::Null => self.null(),
            Document::Bool(b) => self.boolean(*b),
            Document::String(text) => self.string(text),
            Document::Number(Number::PosInt(n)) => self.print(n),
            Document::Number(Number::NegInt(n)) => self.integer(*n),
            Document::Number(Number::Float(f)) if f.is_finite() => self.print(f),
            Document::Number(Number::Float(_)) => self.null(),
            Document::Array(items) => {
                self.begin_array();
                for item in items {
                    self.document(item);
                }
                self.end_array();
            }
            Document::Object(members) => {
                self.begin_object();
                for (key, item) in members {
                    self.key(key);
                    self.document(item);
                }
                self.end_object();
            }
        }
    }

    /// A `bigInteger` as a JSON number, every digit kept. Text that is not a
    /// number at all (which [`BigInteger::new`] does not check) is written
    /// as a string.
    pub fn big_integer(&mut self, value: &BigInteger) {
        self.number_text(value.as_str());
    }

    /// A `bigDecimal` as a JSON number, as [`big_integer`](JsonWriter::big_integer).
    pub fn big_decimal(&mut self, value: &BigDecimal) {
        self.number_text(value.as_str());
    }

    fn number_text(&mut self, text: &str) {
        if is_json_number(text) {
            self.separate();
            self.out.extend_from_slice(text.as_bytes());
        } else {
            self.string(text);
        }
    }
}

/// `value` as the `f64` of its shortest decimal text.
fn widen(value: f32) -> f64 {
    use std::io::Write;
    // The shortest text of an `f32`, written without an exponent, is at most
    // 48 bytes (`-0.000…00014` for the smallest subnormal).
    let mut buffer = [0u8; 64];
    let mut cursor = std::io::Cursor::new(&mut buffer[..]);
    if value.is_finite() && write!(cursor, "{value}").is_ok() {
        let len = cursor.position() as usize;
        if let Some(widened) = std::str::from_utf8(&buffer[..len]).ok().and_then(|t| t.parse().ok()) {
            return widened;
        }
    }
    f64::from(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The text `write` writes.
    fn written(write: impl FnOnce(&mut JsonWriter)) -> String {
        let mut json = JsonWriter::new();
        write(&mut json);
        String::from_utf8(json.finish().to_vec()).expect("UTF-8")
    }

    /// The text of a single value, checked against serde_json's for the same value.
    fn same_as_serde_json(write: impl FnOnce(&mut JsonWriter), expected: serde_json::Value) -> String {
        let text = written(write);
        assert_eq!(text, serde_json::to_string(&expected).expect("serializes"));
        text
    }

    #[test]
    fn commas_between_members_and_items() {
        assert_eq!(written(|j| { j.begin_object(); j.end_object(); }), "{}");
        assert_eq!(written(|j| { j.begin_array(); j.end_array(); }), "[]");
        let text = written(|j| {
            j.begin_object();
            j.key("a");
            j.begin_array();
            j.integer(1);
            j.begin_object();
            j.end_object();
            j.begin_array();
            j.null();
            j.boolean(true);
            j.end_array();
            j.boolean(false);
            j.end_array();
            j.key("b");
            j.begin_object();
            j.key("c");
            j.string("d");
            j.end_object();
            j.key("e");
            j.null();
            j.end_object();
        });
        assert_eq!(text, r#"{"a":[1,{},[null,true],false],"b":{"c":"d"},"e":null}"#);
    }

    #[test]
    fn strings_and_keys_are_escaped_as_serde_json_does() {
        let nasty = "q\"b\\s/\u{0}\u{8}\u{c}\n\r\t\u{1f}\u{7f}é€😀";
        same_as_serde_json(|j| j.string(nasty), json!(nasty));
        let text = same_as_serde_json(
            |j| {
                j.begin_object();
                j.key(nasty);
                j.integer(-1);
                j.end_object();
            },
            json!({ nasty: -1 }),
        );
        assert!(text.contains("\\u0000") && text.contains("é€😀"), "{text}");
    }

    #[test]
    fn integers() {
        same_as_serde_json(|j| j.integer(i64::MIN), json!(i64::MIN));
        same_as_serde_json(|j| j.integer(0), json!(0));
        same_as_serde_json(|j| j.integer(i64::MAX), json!(i64::MAX));
    }

    #[test]
    fn floats_and_their_special_values() {
        assert_eq!(written(|j| j.f64(1.5)), "1.5");
        assert_eq!(written(|j| j.f64(f64::NAN)), r#""NaN""#);
        assert_eq!(written(|j| j.f64(f64::INFINITY)), r#""Infinity""#);
        assert_eq!(written(|j| j.f64(f64::NEG_INFINITY)), r#""-Infinity""#);
        assert_eq!(written(|j| j.f32(f32::NAN)), r#""NaN""#);
        assert_eq!(written(|j| j.f32(f32::NEG_INFINITY)), r#""-Infinity""#);
        assert_eq!(written(|j| j.f32(0.1)), "0.1");
        assert_eq!(written(|j| j.f32(f32::MAX)), "3.4028235e+38");
        assert_eq!(written(|j| j.f32(f32::MIN_POSITIVE)), "1.1754944e-38");
        assert_eq!(written(|j| j.f32(-1e-45)), "-1e-45");
        assert_eq!(written(|j| j.f64(-0.0)), "-0.0");
        for value in [0.1, 1e300, -2.5e-300, 123456789.125, f64::MAX, f64::MIN_POSITIVE] {
            same_as_serde_json(|j| j.f64(value), json!(value));
        }
    }

    #[test]
    fn epoch_seconds_are_integers_when_whole() {
        let text = |t: DateTime| written(|j| j.timestamp(&t, DateTimeFormat::EpochSeconds));
        assert_eq!(text(DateTime::from_secs(1576540098)), "1576540098");
        assert_eq!(text(DateTime::from_secs_and_nanos(1576540098, 500_000_000)), "1576540098.5");
        assert_eq!(text(DateTime::from_secs_and_nanos(1515531081, 123_000_000)), "1515531081.123");
        assert_eq!(text(DateTime::from_secs_and_nanos(-2, 500_000_000)), "-1.5");
    }

    #[test]
    fn calendar_timestamps_are_strings() {
        let t = DateTime::from_secs_and_nanos(1576540098, 520_000_000);
        assert_eq!(
            written(|j| j.timestamp(&t, DateTimeFormat::DateTime)),
            r#""2019-12-16T23:48:18.52Z""#
        );
        assert_eq!(
            written(|j| j.timestamp(&t, DateTimeFormat::HttpDate)),
            r#""Mon, 16 Dec 2019 23:48:18 GMT""#
        );
        // Year 10000 has no date-time form; it falls back to epoch seconds.
        let far = DateTime::from_secs(253_402_300_800);
        assert_eq!(written(|j| j.timestamp(&far, DateTimeFormat::DateTime)), "253402300800");
    }

    #[test]
    fn blobs_documents_and_big_numbers() {
        assert_eq!(written(|j| j.blob(&Blob::new(b"hi".to_vec()))), r#""aGk=""#);
        assert_eq!(written(|j| j.blob(&Blob::default())), r#""""#);
        let doc = Document::from(vec![
            Document::from(1i64),
            Document::from(-3i64),
            Document::from("x"),
            Document::Null,
            Document::from(2.5),
            Document::from(f64::NAN),
            Document::Object([("b".to_owned(), Document::from(true)), ("a".to_owned(), Document::Array(Vec::new()))].into()),
        ]);
        let expected = serde_json::Value::from(doc.clone());
        assert_eq!(written(|j| j.document(&doc)), r#"[1,-3,"x",null,2.5,null,{"a":[],"b":true}]"#);
        same_as_serde_json(|j| j.document(&doc), expected);

        assert_eq!(written(|j| j.big_integer(&BigInteger::new("42"))), "42");
        assert_eq!(written(|j| j.big_integer(&BigInteger::new("-7"))), "-7");
        let huge = "123456789012345678901234567890";
        assert_eq!(written(|j| j.big_integer(&BigInteger::new(huge))), huge);
        assert_eq!(written(|j| j.big_decimal(&BigDecimal::new("1.25"))), "1.25");
        assert_eq!(written(|j| j.big_decimal(&BigDecimal::new("-1.5e-300"))), "-1.5e-300");
        assert_eq!(written(|j| j.big_decimal(&BigDecimal::new("oops"))), r#""oops""#);
        assert_eq!(written(|j| j.big_decimal(&BigDecimal::new("+1"))), r#""+1""#);
    }

    #[test]
    fn a_body_reads_back_as_the_same_document() {
        let text = written(|j| {
            j.begin_object();
            j.key("name");
            j.string("stage \"1\"");
            j.key("n");
            j.begin_array();
            j.integer(1);
            j.integer(2);
            j.end_array();
            j.end_object();
        });
        assert!(!text.contains(": ") && !text.contains(", "), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).ok(),
            Some(json!({"name": "stage \"1\"", "n": [1, 2]}))
        );
    }
}
