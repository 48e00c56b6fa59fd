//! Smithy `timestamp` values and the three wire formats of the
//! `timestampFormat` trait: `date-time`, `http-date` and `epoch-seconds`.
//!
//! Parsing is hand-written so that every error can say which part of which
//! input was wrong; the calendar arithmetic is in [`super::civil`].

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::civil::{days_from_civil, days_in_month, Civil, SECS_PER_DAY};

const NANOS_PER_SEC: u32 = 1_000_000_000;
/// Longest piece of a bad input quoted back in an error message.
const QUOTED_INPUT_LIMIT: usize = 64;

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An instant in time: whole seconds since the Unix epoch (negative before
/// 1970) plus a nanosecond fraction that always counts forwards.
///
/// `-1.5` seconds is stored as `secs = -2, subsec_nanos = 500_000_000`, so the
/// derived ordering is chronological.
///
/// ```
/// use smithy_runtime::{DateTime, DateTimeFormat};
///
/// let t = DateTime::parse(DateTimeFormat::DateTime, "2018-01-09T21:31:21.123Z").unwrap();
/// assert_eq!(t.secs(), 1_515_533_481);
/// assert_eq!(t.fmt(DateTimeFormat::EpochSeconds).unwrap(), "1515533481.123");
/// assert_eq!(t.fmt(DateTimeFormat::HttpDate).unwrap(), "Tue, 09 Jan 2018 21:31:21 GMT");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// The wire formats of Smithy's `timestampFormat` trait.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DateTimeFormat {
    /// `date-time`: RFC 3339 in UTC, e.g. `2019-12-16T23:48:18.52Z`.
    ///
    /// Formatting always writes `Z` and keeps the fraction (trailing zeros
    /// trimmed, none at all for whole seconds). Parsing also accepts a
    /// numeric offset such as `+01:00` and normalizes it to UTC, and a
    /// lowercase `t`/`z` as RFC 3339 allows.
    DateTime,
    /// `http-date`: the IMF-fixdate form of RFC 7231, e.g.
    /// `Mon, 16 Dec 2019 23:48:18 GMT`.
    ///
    /// Formatting drops any fraction (IMF-fixdate has none); parsing accepts
    /// an optional fraction (`23:48:18.123 GMT`) as the Smithy spec asks.
    HttpDate,
    /// `epoch-seconds`: seconds since the Unix epoch, integer or decimal,
    /// e.g. `1515531081` or `1515531081.123`.
    ///
    /// Parsing also accepts exponent notation (`1.515531081E9`), which some
    /// JSON encoders produce.
    EpochSeconds,
}

impl DateTimeFormat {
    /// The format's name in the Smithy `timestampFormat` trait.
    pub fn smithy_name(self) -> &'static str {
        match self {
            DateTimeFormat::DateTime => "date-time",
            DateTimeFormat::HttpDate => "http-date",
            DateTimeFormat::EpochSeconds => "epoch-seconds",
        }
    }
}

impl fmt::Display for DateTimeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.smithy_name())
    }
}

impl DateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    /// Whole seconds since the Unix epoch.
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// Seconds since the Unix epoch plus a forward nanosecond fraction.
    ///
    /// Nanoseconds of a second or more carry into `secs` (saturating at the
    /// end of the `i64` range).
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs.saturating_add((nanos / NANOS_PER_SEC) as i64),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        DateTime {
            secs: millis.div_euclid(1000),
            nanos: (millis.rem_euclid(1000) as u32) * 1_000_000,
        }
    }

    /// Fractional seconds since the Unix epoch, as JSON numbers carry them.
    ///
    /// The fraction is rounded to the nearest microsecond: an `f64` holding a
    /// present-day epoch value is only precise to about a quarter of one, so
    /// `1515531081.123` becomes exactly `.123` rather than `.122999906`.
    /// `NaN` maps to the epoch; infinities and values beyond the `i64` range
    /// saturate. Use [`DateTime::parse`] to reject such input instead.
    pub fn from_secs_f64(value: f64) -> Self {
        if value.is_nan() {
            return DateTime::UNIX_EPOCH;
        }
        let floor = value.floor();
        // `as` saturates for out-of-range floats.
        let secs = floor as i64;
        if floor >= i64::MAX as f64 || floor < i64::MIN as f64 {
            return DateTime::from_secs(secs);
        }
        let micros = ((value - floor) * 1e6).round() as u32;
        DateTime::from_secs_and_nanos(secs, micros * 1000)
    }

    /// Whole seconds since the Unix epoch (rounded down, so negative values
    /// pair with a forward [`subsec_nanos`](Self::subsec_nanos)).
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// The nanosecond fraction, `0..1_000_000_000`, counted forwards from
    /// [`secs`](Self::secs).
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Fractional seconds since the Unix epoch.
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / f64::from(NANOS_PER_SEC)
    }

    /// Writes this instant in `format`.
    ///
    /// `DateTime` and `HttpDate` have four-digit years, so instants outside
    /// years 0000..=9999 cannot be written in them; `EpochSeconds` always
    /// succeeds.
    pub fn fmt(&self, format: DateTimeFormat) -> Result<String, DateTimeFormatError> {
        match format {
            DateTimeFormat::DateTime => {
                let parts = self.civil(format)?;
                let mut out = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second
                );
                push_fraction(&mut out, self.nanos);
                out.push('Z');
                Ok(out)
            }
            DateTimeFormat::HttpDate => {
                let parts = self.civil(format)?;
                Ok(format!(
                    "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                    DAY_NAMES[parts.weekday],
                    parts.day,
                    month_name(parts.month),
                    parts.year,
                    parts.hour,
                    parts.minute,
                    parts.second
                ))
            }
            DateTimeFormat::EpochSeconds => Ok(self.epoch_seconds_text()),
        }
    }

    /// Reads an instant written in `format`.
    pub fn parse(format: DateTimeFormat, input: &str) -> Result<DateTime, DateTimeParseError> {
        let result = match format {
            DateTimeFormat::DateTime => parse_date_time(input),
            DateTimeFormat::HttpDate => parse_http_date(input),
            DateTimeFormat::EpochSeconds => parse_epoch_seconds(input),
        };
        result.map_err(|reason| DateTimeParseError::new(format, input, reason))
    }

    /// Breaks the instant into calendar fields, for the two calendar formats.
    fn civil(&self, format: DateTimeFormat) -> Result<Civil, DateTimeFormatError> {
        Civil::from_unix_secs(self.secs).ok_or(DateTimeFormatError {
            value: *self,
            format,
        })
    }

    fn epoch_seconds_text(&self) -> String {
        if self.nanos == 0 {
            return self.secs.to_string();
        }
        let mut out = if self.secs >= 0 {
            self.secs.to_string()
        } else {
            // secs + nanos/1e9 = -((|secs| - 1) + (1e9 - nanos)/1e9)
            format!("-{}", (self.secs + 1).unsigned_abs())
        };
        let fraction = if self.secs >= 0 {
            self.nanos
        } else {
            NANOS_PER_SEC - self.nanos
        };
        push_fraction(&mut out, fraction);
        out
    }
}

/// Appends `.ddd` for a non-zero nanosecond count, trailing zeros trimmed.
fn push_fraction(out: &mut String, nanos: u32) {
    if nanos == 0 {
        return;
    }
    let digits = format!("{nanos:09}");
    out.push('.');
    out.push_str(digits.trim_end_matches('0'));
}

impl fmt::Display for DateTime {
    /// RFC 3339 (`date-time`); instants outside years 0000..=9999 are shown as
    /// epoch seconds instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match DateTime::fmt(self, DateTimeFormat::DateTime) {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(
                f,
                "{} seconds since the Unix epoch",
                self.epoch_seconds_text()
            ),
        }
    }
}

impl From<SystemTime> for DateTime {
    /// Saturates for times more than `i64::MAX` seconds from the epoch.
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime {
                secs: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                nanos: after.subsec_nanos(),
            },
            Err(before) => {
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => DateTime {
                        secs: -whole,
                        nanos: 0,
                    },
                    nanos => DateTime {
                        secs: (-whole).saturating_sub(1),
                        nanos: NANOS_PER_SEC - nanos,
                    },
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeConversionError;

    fn try_from(value: DateTime) -> Result<Self, Self::Error> {
        let nanos = Duration::from_nanos(u64::from(value.nanos));
        let whole = Duration::from_secs(value.secs.unsigned_abs());
        let time = if value.secs >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        time.and_then(|t| t.checked_add(nanos))
            .ok_or(DateTimeConversionError { value })
    }
}

/// An instant that [`DateTime::fmt`] cannot write in the requested format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeFormatError {
    value: DateTime,
    format: DateTimeFormat,
}

impl fmt::Display for DateTimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot write {} seconds since the Unix epoch as {}: the year is outside 0000..=9999",
            self.value.epoch_seconds_text(),
            self.format
        )
    }
}

impl std::error::Error for DateTimeFormatError {}

/// Text that [`DateTime::parse`] rejected, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    format: DateTimeFormat,
    input: String,
    reason: String,
}

impl DateTimeParseError {
    fn new(format: DateTimeFormat, input: &str, reason: String) -> Self {
        let input = match input.char_indices().nth(QUOTED_INPUT_LIMIT) {
            Some((cut, _)) => format!("{}...", &input[..cut]),
            None => input.to_owned(),
        };
        DateTimeParseError {
            format,
            input,
            reason,
        }
    }

    /// The format the input was expected to be in.
    pub fn format(&self) -> DateTimeFormat {
        self.format
    }

    /// What was wrong with the input.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} timestamp {:?}: {}",
            self.format, self.input, self.reason
        )
    }
}

impl std::error::Error for DateTimeParseError {}

/// A [`DateTime`] that `SystemTime` cannot hold on this platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeConversionError {
    value: DateTime,
}

impl fmt::Display for DateTimeConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} seconds since the Unix epoch is outside the range of SystemTime on this platform",
            self.value.epoch_seconds_text()
        )
    }
}

impl std::error::Error for DateTimeConversionError {}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// A left-to-right reader over ASCII input whose errors name the field.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(input: &'a str) -> Self {
        Reader {
            bytes: input.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn describe_here(&self) -> String {
        match self.peek() {
            None => "the end of the input".to_owned(),
            Some(b) if b.is_ascii_graphic() => format!("{:?} at offset {}", b as char, self.pos),
            Some(b) => format!("byte 0x{b:02x} at offset {}", self.pos),
        }
    }

    /// Exactly `count` ASCII digits.
    fn digits(&mut self, count: usize, field: &str) -> Result<u32, String> {
        let mut value = 0u32;
        for _ in 0..count {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => {
                    return Err(format!(
                        "expected {count} digits of {field}, found {}",
                        self.describe_here()
                    ))
                }
            }
        }
        Ok(value)
    }

    fn literal(&mut self, expected: &str, field: &str) -> Result<(), String> {
        if self.bytes[self.pos..].starts_with(expected.as_bytes()) {
            self.pos += expected.len();
            Ok(())
        } else {
            Err(format!(
                "expected {expected:?} {field}, found {}",
                self.describe_here()
            ))
        }
    }

    fn one_of(&mut self, choices: &[u8], field: &str) -> Result<u8, String> {
        match self.peek() {
            Some(b) if choices.contains(&b) => {
                self.pos += 1;
                Ok(b)
            }
            _ => {
                let list: Vec<String> = choices
                    .iter()
                    .map(|&c| format!("{:?}", c as char))
                    .collect();
                Err(format!(
                    "expected {} {field}, found {}",
                    list.join(" or "),
                    self.describe_here()
                ))
            }
        }
    }

    /// One of `names` (case-sensitive, all of the same length); returns its index.
    fn name(&mut self, names: &[&str], field: &str) -> Result<usize, String> {
        for (index, name) in names.iter().enumerate() {
            if self.bytes[self.pos..].starts_with(name.as_bytes()) {
                self.pos += name.len();
                return Ok(index);
            }
        }
        Err(format!(
            "expected {field} ({}), found {}",
            names.join(", "),
            self.describe_here()
        ))
    }

    /// After a `.`: one or more digits, of which the first nine count.
    fn fraction(&mut self) -> Result<u32, String> {
        let start = self.pos;
        let mut nanos = 0u32;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            if self.pos - start < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            self.pos += 1;
        }
        let len = self.pos - start;
        if len == 0 {
            return Err(format!(
                "expected digits of fractional seconds after '.', found {}",
                self.describe_here()
            ));
        }
        for _ in len..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }

    fn end(&self) -> Result<(), String> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(format!(
                "unexpected trailing text starting with {}",
                self.describe_here()
            )),
        }
    }
}

/// Seconds from the epoch to midnight UTC of a calendar date, checking that
/// the date exists.
fn midnight_secs(year: u32, month: u32, day: u32) -> Result<i64, String> {
    if !(1..=12).contains(&month) {
        return Err(format!("month {month:02} is not in 01..=12"));
    }
    let year = i64::from(year);
    if day == 0 || day > days_in_month(year, month) {
        return Err(format!(
            "day {day:02} does not exist in {} {year:04}",
            month_name(month)
        ));
    }
    Ok(days_from_civil(year, month, day) * SECS_PER_DAY)
}

/// `Jan` for 1 up to `Dec` for 12 (callers have checked the range).
fn month_name(month: u32) -> &'static str {
    MONTH_NAMES[month as usize - 1]
}

fn time_of_day_secs(hour: u32, minute: u32, second: u32) -> Result<i64, String> {
    if hour > 23 {
        return Err(format!("hour {hour:02} is not in 00..=23"));
    }
    if minute > 59 {
        return Err(format!("minute {minute:02} is not in 00..=59"));
    }
    if second == 60 {
        return Err("second 60 (a leap second) is not supported".to_owned());
    }
    if second > 59 {
        return Err(format!("second {second:02} is not in 00..=59"));
    }
    Ok(i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second))
}

/// RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|-hh:mm)`.
fn parse_date_time(input: &str) -> Result<DateTime, String> {
    let mut r = Reader::new(input);
    let year = r.digits(4, "the year")?;
    r.literal("-", "after the year")?;
    let month = r.digits(2, "the month")?;
    r.literal("-", "after the month")?;
    let day = r.digits(2, "the day")?;
    r.one_of(b"Tt", "between date and time")?;
    let hour = r.digits(2, "the hour")?;
    r.literal(":", "after the hour")?;
    let minute = r.digits(2, "the minute")?;
    r.literal(":", "after the minute")?;
    let second = r.digits(2, "the second")?;
    let nanos = if r.peek() == Some(b'.') {
        r.pos += 1;
        r.fraction()?
    } else {
        0
    };
    let offset_secs = match r.one_of(b"Zz+-", "(a UTC offset)")? {
        sign @ (b'+' | b'-') => {
            let sign = if sign == b'-' { -1 } else { 1 };
            let hours = r.digits(2, "the offset hours")?;
            r.literal(":", "in the offset")?;
            let minutes = r.digits(2, "the offset minutes")?;
            if hours > 23 || minutes > 59 {
                return Err(format!("offset {hours:02}:{minutes:02} is out of range"));
            }
            sign * (i64::from(hours) * 3600 + i64::from(minutes) * 60)
        }
        _ => 0,
    };
    r.end()?;
    let secs =
        midnight_secs(year, month, day)? + time_of_day_secs(hour, minute, second)? - offset_secs;
    Ok(DateTime { secs, nanos })
}

/// RFC 7231 IMF-fixdate: `Sun, 06 Nov 1994 08:49:37[.frac] GMT`.
///
/// The day name must be a valid one but is not checked against the date,
/// which is what the instant is read from.
fn parse_http_date(input: &str) -> Result<DateTime, String> {
    let mut r = Reader::new(input);
    r.name(&DAY_NAMES, "a day name")?;
    r.literal(", ", "after the day name")?;
    let day = r.digits(2, "the day")?;
    r.literal(" ", "after the day")?;
    let month = r.name(&MONTH_NAMES, "a month name")? as u32 + 1;
    r.literal(" ", "after the month")?;
    let year = r.digits(4, "the year")?;
    r.literal(" ", "after the year")?;
    let hour = r.digits(2, "the hour")?;
    r.literal(":", "after the hour")?;
    let minute = r.digits(2, "the minute")?;
    r.literal(":", "after the minute")?;
    let second = r.digits(2, "the second")?;
    let nanos = if r.peek() == Some(b'.') {
        r.pos += 1;
        r.fraction()?
    } else {
        0
    };
    r.literal(" GMT", "(the time zone)")?;
    r.end()?;
    let secs = midnight_secs(year, month, day)? + time_of_day_secs(hour, minute, second)?;
    Ok(DateTime { secs, nanos })
}

/// `epoch-seconds`: `[-]digits[.digits]`, or a number in exponent notation.
fn parse_epoch_seconds(input: &str) -> Result<DateTime, String> {
    if input.is_empty() {
        return Err("the input is empty".to_owned());
    }
    if input.bytes().any(|b| b == b'e' || b == b'E') {
        return parse_epoch_exponent(input);
    }
    let mut r = Reader::new(input);
    let negative = match r.peek() {
        Some(b'-') => {
            r.pos += 1;
            true
        }
        Some(b'+') => {
            r.pos += 1;
            false
        }
        _ => false,
    };
    let start = r.pos;
    let mut whole: u64 = 0;
    while let Some(b @ b'0'..=b'9') = r.peek() {
        whole = whole
            .checked_mul(10)
            .and_then(|w| w.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| "the number of seconds is too large".to_owned())?;
        r.pos += 1;
    }
    if r.pos == start {
        return Err(format!(
            "expected digits of seconds, found {}",
            r.describe_here()
        ));
    }
    let nanos = if r.peek() == Some(b'.') {
        r.pos += 1;
        r.fraction()?
    } else {
        0
    };
    r.end()?;
    let (secs, nanos) = if !negative {
        (i128::from(whole), nanos)
    } else if nanos == 0 {
        (-i128::from(whole), 0)
    } else {
        (-i128::from(whole) - 1, NANOS_PER_SEC - nanos)
    };
    let secs = i64::try_from(secs).map_err(|_| "the number of seconds is too large".to_owned())?;
    Ok(DateTime { secs, nanos })
}

fn parse_epoch_exponent(input: &str) -> Result<DateTime, String> {
    let value: f64 = input
        .parse()
        .map_err(|_| "not a decimal number".to_owned())?;
    if !value.is_finite() {
        return Err("the number is not finite".to_owned());
    }
    // 2^63 is the first value whose floor no longer fits an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(-LIMIT..LIMIT).contains(&value) {
        return Err("the number of seconds is too large".to_owned());
    }
    Ok(DateTime::from_secs_f64(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(format: DateTimeFormat, input: &str) -> DateTime {
        match DateTime::parse(format, input) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn parse_err(format: DateTimeFormat, input: &str) -> String {
        match DateTime::parse(format, input) {
            Ok(t) => panic!("{input:?} parsed as {t:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn fmt(t: DateTime, format: DateTimeFormat) -> String {
        t.fmt(format).expect("in range")
    }

    use DateTimeFormat::{DateTime as Rfc3339, EpochSeconds, HttpDate};

    #[test]
    fn constructors_normalize() {
        assert_eq!(
            DateTime::from_millis(-1500),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
        assert_eq!(
            DateTime::from_millis(1_515_531_081_123).subsec_nanos(),
            123_000_000
        );
        assert_eq!(
            DateTime::from_secs_and_nanos(1, 2_500_000_000),
            DateTime::from_secs_and_nanos(3, 500_000_000)
        );
        assert_eq!(
            DateTime::from_secs_f64(1515531081.123),
            DateTime::from_secs_and_nanos(1515531081, 123_000_000)
        );
        assert_eq!(
            DateTime::from_secs_f64(-1.5),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
        assert_eq!(DateTime::from_secs_f64(0.9999999), DateTime::from_secs(1));
        assert_eq!(DateTime::from_secs_f64(f64::NAN), DateTime::UNIX_EPOCH);
        assert_eq!(DateTime::from_secs_f64(f64::INFINITY).secs(), i64::MAX);
        assert_eq!(DateTime::from_secs_f64(-1e300).secs(), i64::MIN);
        assert_eq!(
            DateTime::from_secs_and_nanos(-2, 500_000_000).as_secs_f64(),
            -1.5
        );
    }

    #[test]
    fn ordering_is_chronological() {
        let earlier = DateTime::from_secs_f64(-1.5);
        let later = DateTime::from_secs_f64(-1.25);
        assert!(earlier < later);
        assert!(later < DateTime::UNIX_EPOCH);
    }

    #[test]
    fn date_time_round_trips() {
        let cases = [
            ("1970-01-01T00:00:00Z", 0, 0),
            ("2019-12-16T23:48:18Z", 1_576_540_098, 0),
            ("2019-12-16T23:48:18.52Z", 1_576_540_098, 520_000_000),
            ("2019-12-16T23:48:18.000000001Z", 1_576_540_098, 1),
            ("1969-12-31T23:59:59.5Z", -1, 500_000_000),
            ("1900-01-01T00:00:00Z", -2_208_988_800, 0),
            ("2024-02-29T12:00:00Z", 1_709_208_000, 0),
            ("0001-01-01T00:00:00Z", -62_135_596_800, 0),
            ("9999-12-31T23:59:59.999Z", 253_402_300_799, 999_000_000),
        ];
        for (text, secs, nanos) in cases {
            let t = parse(Rfc3339, text);
            assert_eq!((t.secs(), t.subsec_nanos()), (secs, nanos), "{text}");
            assert_eq!(fmt(t, Rfc3339), text);
            assert_eq!(t.to_string(), text);
        }
    }

    #[test]
    fn date_time_accepts_offsets_and_lowercase() {
        let utc = parse(Rfc3339, "2019-12-16T23:48:18Z");
        assert_eq!(parse(Rfc3339, "2019-12-17T00:48:18+01:00"), utc);
        assert_eq!(parse(Rfc3339, "2019-12-16T18:18:18-05:30"), utc);
        assert_eq!(parse(Rfc3339, "2019-12-16t23:48:18z"), utc);
        assert_eq!(parse(Rfc3339, "2019-12-16T23:48:18+00:00"), utc);
        // Beyond nanoseconds, extra digits are read and dropped.
        assert_eq!(
            parse(Rfc3339, "2019-12-16T23:48:18.1234567891Z").subsec_nanos(),
            123_456_789
        );
    }

    #[test]
    fn date_time_rejects_bad_input_with_reasons() {
        let cases = [
            (
                "",
                "expected 4 digits of the year, found the end of the input",
            ),
            (
                "2019-12-16",
                "between date and time, found the end of the input",
            ),
            (
                "2019-12-16 23:48:18Z",
                "between date and time, found byte 0x20 at offset 10",
            ),
            ("2019-13-16T23:48:18Z", "month 13 is not in 01..=12"),
            ("2023-02-29T00:00:00Z", "day 29 does not exist in Feb 2023"),
            ("2019-12-16T24:00:00Z", "hour 24 is not in 00..=23"),
            ("2019-12-16T23:60:00Z", "minute 60 is not in 00..=59"),
            ("2016-12-31T23:59:60Z", "leap second"),
            (
                "2019-12-16T23:48:18",
                "(a UTC offset), found the end of the input",
            ),
            (
                "2019-12-16T23:48:18.Z",
                "expected digits of fractional seconds after '.'",
            ),
            (
                "2019-12-16T23:48:18Zjunk",
                "unexpected trailing text starting with 'j' at offset 20",
            ),
            (
                "2019-12-16T23:48:18+1:00",
                "expected 2 digits of the offset hours",
            ),
            ("2019-12-16T23:48:18+24:00", "offset 24:00 is out of range"),
        ];
        for (input, reason) in cases {
            let message = parse_err(Rfc3339, input);
            assert!(message.contains(reason), "{input:?}: {message}");
            assert!(
                message.starts_with(&format!("invalid date-time timestamp {input:?}")),
                "{message}"
            );
        }
    }

    #[test]
    fn http_date_round_trips_and_drops_fraction() {
        let t = parse(HttpDate, "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(t.secs(), 784_111_777);
        assert_eq!(fmt(t, HttpDate), "Sun, 06 Nov 1994 08:49:37 GMT");
        let with_ms = parse(HttpDate, "Tue, 29 Apr 2014 18:30:38.123 GMT");
        assert_eq!(with_ms, DateTime::from_millis(1_398_796_238_123));
        assert_eq!(fmt(with_ms, HttpDate), "Tue, 29 Apr 2014 18:30:38 GMT");
        let before_epoch = DateTime::from_secs(-86_400);
        assert_eq!(fmt(before_epoch, HttpDate), "Wed, 31 Dec 1969 00:00:00 GMT");
        assert_eq!(
            parse(HttpDate, "Wed, 31 Dec 1969 00:00:00 GMT"),
            before_epoch
        );
        assert_eq!(
            fmt(parse(HttpDate, "Thu, 29 Feb 2024 00:00:00 GMT"), Rfc3339),
            "2024-02-29T00:00:00Z"
        );
    }

    #[test]
    fn http_date_rejects_bad_input_with_reasons() {
        let cases = [
            (
                "Sunday, 06 Nov 1994 08:49:37 GMT",
                "expected \", \" after the day name",
            ),
            (
                "Sun, 6 Nov 1994 08:49:37 GMT",
                "expected 2 digits of the day",
            ),
            ("Sun, 06 nov 1994 08:49:37 GMT", "expected a month name"),
            ("Sun, 06 Nov 1994 08:49:37 UTC", "(the time zone)"),
            (
                "Sun, 06 Nov 1994 08:49:37",
                "(the time zone), found the end of the input",
            ),
            (
                "Fri, 29 Feb 2019 00:00:00 GMT",
                "day 29 does not exist in Feb 2019",
            ),
            ("Sun Nov  6 08:49:37 1994", "after the day name"),
        ];
        for (input, reason) in cases {
            let message = parse_err(HttpDate, input);
            assert!(message.contains(reason), "{input:?}: {message}");
        }
    }

    #[test]
    fn epoch_seconds_round_trips() {
        let cases = [
            ("0", 0, 0),
            ("1515531081", 1_515_531_081, 0),
            ("1515531081.123", 1_515_531_081, 123_000_000),
            ("1515531081.000000001", 1_515_531_081, 1),
            ("-1", -1, 0),
            ("-1.5", -2, 500_000_000),
            ("-0.001", -1, 999_000_000),
            ("-9223372036854775808", i64::MIN, 0),
            ("9223372036854775807", i64::MAX, 0),
        ];
        for (text, secs, nanos) in cases {
            let t = parse(EpochSeconds, text);
            assert_eq!((t.secs(), t.subsec_nanos()), (secs, nanos), "{text}");
            assert_eq!(fmt(t, EpochSeconds), text);
        }
        assert_eq!(
            parse(EpochSeconds, "1515531081.120").subsec_nanos(),
            120_000_000
        );
        assert_eq!(parse(EpochSeconds, "+5"), DateTime::from_secs(5));
        assert_eq!(
            parse(EpochSeconds, "1.515531081123E9"),
            DateTime::from_millis(1_515_531_081_123)
        );
    }

    #[test]
    fn epoch_seconds_rejects_bad_input_with_reasons() {
        let cases = [
            ("", "the input is empty"),
            ("abc", "expected digits of seconds, found 'a' at offset 0"),
            ("12.", "expected digits of fractional seconds"),
            ("12.5s", "unexpected trailing text starting with 's'"),
            ("1 2", "unexpected trailing text starting with byte 0x20"),
            ("99999999999999999999", "too large"),
            ("9223372036854775808", "too large"),
            ("1e400", "not finite"),
            ("1e19", "too large"),
            ("1e", "not a decimal number"),
        ];
        for (input, reason) in cases {
            let message = parse_err(EpochSeconds, input);
            assert!(message.contains(reason), "{input:?}: {message}");
        }
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        for text in [
            "2000-02-29T00:00:00Z",
            "1600-02-29T00:00:00Z",
            "0000-02-29T00:00:00Z",
        ] {
            assert_eq!(fmt(parse(Rfc3339, text), Rfc3339), text);
        }
        for (input, reason) in [
            ("1900-02-29T00:00:00Z", "day 29 does not exist in Feb 1900"),
            ("2100-02-29T00:00:00Z", "day 29 does not exist in Feb 2100"),
            ("2024-02-30T00:00:00Z", "day 30 does not exist in Feb 2024"),
            ("2024-04-31T00:00:00Z", "day 31 does not exist in Apr 2024"),
            ("2024-01-00T00:00:00Z", "day 00 does not exist in Jan 2024"),
            ("2024-00-10T00:00:00Z", "month 00 is not in 01..=12"),
        ] {
            let message = parse_err(Rfc3339, input);
            assert!(message.contains(reason), "{input:?}: {message}");
        }
        let message = parse_err(HttpDate, "Tue, 29 Feb 2100 00:00:00 GMT");
        assert!(
            message.contains("day 29 does not exist in Feb 2100"),
            "{message}"
        );
        // The last day of a leap year and the first of the next.
        assert_eq!(
            parse(Rfc3339, "2024-12-31T23:59:59Z").secs() + 1,
            parse(Rfc3339, "2025-01-01T00:00:00Z").secs()
        );
        assert_eq!(
            parse(Rfc3339, "2024-03-01T00:00:00Z").secs()
                - parse(Rfc3339, "2024-02-28T00:00:00Z").secs(),
            2 * 86_400
        );
    }

    #[test]
    fn years_0000_and_9999_are_the_calendar_bounds() {
        let first = parse(Rfc3339, "0000-01-01T00:00:00Z");
        assert_eq!(first.secs(), -62_167_219_200);
        assert_eq!(fmt(first, HttpDate), "Sat, 01 Jan 0000 00:00:00 GMT");
        assert_eq!(parse(HttpDate, "Sat, 01 Jan 0000 00:00:00 GMT"), first);
        let last = parse(HttpDate, "Fri, 31 Dec 9999 23:59:59.999999999 GMT");
        assert_eq!(
            (last.secs(), last.subsec_nanos()),
            (253_402_300_799, 999_999_999)
        );
        assert_eq!(fmt(last, Rfc3339), "9999-12-31T23:59:59.999999999Z");
        assert_eq!(fmt(last, HttpDate), "Fri, 31 Dec 9999 23:59:59 GMT");

        // One second beyond either end reads (through an offset) but cannot
        // be written in a calendar format.
        let before = parse(Rfc3339, "0000-01-01T00:00:00+00:01");
        assert_eq!(before.secs(), first.secs() - 60);
        assert!(before.fmt(Rfc3339).is_err() && before.fmt(HttpDate).is_err());
        assert_eq!(
            before.to_string(),
            "-62167219260 seconds since the Unix epoch"
        );
        let after = parse(Rfc3339, "9999-12-31T23:59:59-00:01");
        assert_eq!(after.secs(), last.secs() + 60);
        assert!(after.fmt(Rfc3339).is_err() && after.fmt(HttpDate).is_err());
        assert_eq!(
            DateTime::from_secs(first.secs() - 1).fmt(Rfc3339),
            Err(DateTimeFormatError {
                value: DateTime::from_secs(first.secs() - 1),
                format: Rfc3339
            })
        );
    }

    #[test]
    fn fractions_keep_their_digits() {
        for (fraction, nanos) in [
            ("1", 100_000_000),
            ("01", 10_000_000),
            ("000000001", 1),
            ("999999999", 999_999_999),
            ("000000000", 0),
            ("0000000009", 0),
        ] {
            let text = format!("2019-12-16T23:48:18.{fraction}Z");
            assert_eq!(parse(Rfc3339, &text).subsec_nanos(), nanos, "{text}");
            let text = format!("Mon, 16 Dec 2019 23:48:18.{fraction} GMT");
            assert_eq!(parse(HttpDate, &text).subsec_nanos(), nanos, "{text}");
        }
        // Formatting trims trailing zeros and writes no "." for whole seconds.
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 100_000_000);
        assert_eq!(fmt(t, Rfc3339), "2019-12-16T23:48:18.1Z");
        assert_eq!(fmt(t, EpochSeconds), "1576540098.1");
    }

    #[test]
    fn weekdays_in_http_dates() {
        let cases = [
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
            (946_684_799, "Fri, 31 Dec 1999 23:59:59 GMT"),
            (-2_208_988_800, "Mon, 01 Jan 1900 00:00:00 GMT"),
            (1_735_516_800, "Mon, 30 Dec 2024 00:00:00 GMT"),
        ];
        for (secs, text) in cases {
            assert_eq!(fmt(DateTime::from_secs(secs), HttpDate), text);
            assert_eq!(parse(HttpDate, text), DateTime::from_secs(secs));
        }
    }

    #[test]
    fn odd_bytes_are_errors_not_panics() {
        let inputs = [
            "2019-12-16T23:48:18\u{e9}",
            "\u{e9}019-12-16T23:48:18Z",
            "2019-12-16T23:48:18.\u{1f600}Z",
            "2019-12-16T23:48:18+\u{e9}",
            "Mon, 16 D\u{e9}c 2019 23:48:18 GMT",
            "Mo",
            "-",
            "\u{0}",
            "-\u{e9}",
            "1.\u{e9}",
        ];
        for input in inputs {
            for format in [Rfc3339, HttpDate, EpochSeconds] {
                assert!(
                    DateTime::parse(format, input).is_err(),
                    "{format} {input:?}"
                );
            }
        }
        let message = parse_err(Rfc3339, "2019-12-16T23:48:18\u{e9}");
        assert!(message.contains("byte 0xc3 at offset 19"), "{message}");
    }

    #[test]
    fn calendar_formats_refuse_years_past_9999() {
        let far = DateTime::from_secs(253_402_300_800); // 10000-01-01
        let err = far.fmt(Rfc3339).expect_err("year 10000");
        assert!(err.to_string().contains("outside 0000..=9999"), "{err}");
        assert!(far.fmt(HttpDate).is_err());
        assert!(DateTime::from_secs(i64::MIN).fmt(Rfc3339).is_err());
        assert_eq!(fmt(far, EpochSeconds), "253402300800");
        assert_eq!(far.to_string(), "253402300800 seconds since the Unix epoch");
    }

    #[test]
    fn long_bad_input_is_shortened_in_errors() {
        let input = "x".repeat(500);
        let message = parse_err(Rfc3339, &input);
        assert!(message.len() < 200, "{message}");
    }

    #[test]
    fn system_time_conversions() {
        let after = UNIX_EPOCH + Duration::new(1_515_531_081, 123_000_000);
        assert_eq!(
            DateTime::from(after),
            DateTime::from_millis(1_515_531_081_123)
        );
        let before = UNIX_EPOCH - Duration::new(1, 500_000_000);
        let t = DateTime::from(before);
        assert_eq!(t, DateTime::from_secs_and_nanos(-2, 500_000_000));
        assert_eq!(SystemTime::try_from(t), Ok(before));
        assert_eq!(
            SystemTime::try_from(DateTime::from_millis(1_515_531_081_123)),
            Ok(after)
        );
    }
}
