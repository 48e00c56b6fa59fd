//! The text of a non-string value bound to a label, a query parameter or a
//! header: timestamps in the member's format, floats with their special values.

use crate::primitives::{DateTime, DateTimeFormat};

/// The text of a timestamp bound to a query parameter, label or header.
///
/// The caller passes the member's format (the defaults differ: `DateTime`
/// for query and label, `HttpDate` for headers). The text is not yet
/// encoded: give it to [`QueryWriter::push`](super::QueryWriter::push) or
/// [`label`](super::label). An instant outside years 0000..=9999 has no
/// calendar form and is written as epoch seconds for the service to reject.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::http::{parse_header_f32, parse_header_f64, QueryWriter};

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
}
