//! The JSON document tree that [`parse_body`](super::parse_body) builds in
//! one pass over the body, borrowing from it: strings without escapes and
//! every number are slices of the body, objects are vectors of members.

use std::borrow::Cow;

use crate::protocol::DeserializeError;

/// How deeply arrays and objects may nest (serde_json's limit too): deeper
/// input is an error, not a stack overflow.
pub(crate) const MAX_DEPTH: usize = 128;

/// A JSON value borrowed from the text it was parsed from.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as it was written (valid JSON number syntax), so that no
    /// digit is lost before the reader knows the type it wants.
    Number(&'a str),
    /// A string, borrowed when it had no escapes.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object.
    Object(Object<'a>),
}

impl<'a> Value<'a> {
    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }
}

/// The members of a JSON object, in the order of the text. A key written
/// more than once keeps its first place and its last value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object<'a> {
    members: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Object<'a> {
    /// The value of `key`, if the object has it.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.members
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The members, as `(key, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value<'a>)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// An object of `members`, a repeated key keeping its first place and
    /// its last value.
    fn from_members(members: Vec<(Cow<'a, str>, Value<'a>)>) -> Self {
        if !has_repeated_key(&members) {
            return Object { members };
        }
        // In linear time, however large the object: where each key first
        // stood, then one pass that keeps first places and last values.
        let first: Vec<usize> = {
            let mut seen = std::collections::HashMap::with_capacity(members.len());
            members.iter().enumerate().map(|(i, (key, _))| *seen.entry(key.as_ref()).or_insert(i)).collect()
        };
        let mut slot_of = vec![0; members.len()];
        let mut unique: Vec<(Cow<'a, str>, Value<'a>)> = Vec::with_capacity(members.len());
        for (i, (key, value)) in members.into_iter().enumerate() {
            if first[i] == i {
                slot_of[i] = unique.len();
                unique.push((key, value));
            } else {
                unique[slot_of[first[i]]].1 = value;
            }
        }
        Object { members: unique }
    }
}

impl<'o, 'a> IntoIterator for &'o Object<'a> {
    type Item = (&'o str, &'o Value<'a>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'o, (Cow<'a, str>, Value<'a>)>,
        fn(&'o (Cow<'a, str>, Value<'a>)) -> (&'o str, &'o Value<'a>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

/// Whether two members share a key: pairwise for the small objects of
/// structures, through a sorted copy of the keys for large maps.
fn has_repeated_key(members: &[(Cow<'_, str>, Value<'_>)]) -> bool {
    const PAIRWISE_UP_TO: usize = 32;
    if members.len() <= PAIRWISE_UP_TO {
        return members
            .iter()
            .enumerate()
            .any(|(i, (key, _))| members[..i].iter().any(|(k, _)| k == key));
    }
    let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_ref()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|pair| pair[0] == pair[1])
}

/// Parses `text` as one JSON value, with nothing but whitespace after it.
pub(crate) fn parse(text: &str) -> Result<Value<'_>, DeserializeError> {
    let mut parser = Parser { text, pos: 0, depth: 0 };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < text.len() {
        return Err(parser.error("trailing characters after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    /// A syntax error at the current position, as line and column (1-based,
    /// the column counted in characters).
    fn error(&self, what: &str) -> DeserializeError {
        let before = &self.text[..self.pos.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        DeserializeError::new(
            "",
            format!("the body is not valid JSON: {what} at line {line} column {column}"),
        )
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, literal: &str) -> Result<(), DeserializeError> {
        if self.bytes()[self.pos..].starts_with(literal.as_bytes()) {
            self.pos += literal.len();
            Ok(())
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self) -> Result<Value<'a>, DeserializeError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b't') => self.expect_literal("true").map(|()| Value::Bool(true)),
            Some(b'f') => self.expect_literal("false").map(|()| Value::Bool(false)),
            Some(b'n') => self.expect_literal("null").map(|()| Value::Null),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of the body")),
        }
    }

    /// Reads an array or object one level deeper.
    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<Value<'a>, DeserializeError>,
    ) -> Result<Value<'a>, DeserializeError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("nesting deeper than 128 levels"));
        }
        self.depth += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    /// At `[`.
    fn array(&mut self) -> Result<Value<'a>, DeserializeError> {
        let mut items = Vec::new();
        if self.opens_empty(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.end_of_item(b']', "expected `,` or `]`")? {
                return Ok(Value::Array(items));
            }
        }
    }

    /// At `[` or `{` (consumed): whether the closing `bracket` follows
    /// (consumed too).
    fn opens_empty(&mut self, bracket: u8) -> bool {
        self.pos += 1;
        self.skip_whitespace();
        let empty = self.peek() == Some(bracket);
        if empty {
            self.pos += 1;
        }
        empty
    }

    /// After an item or member: true at the closing `bracket` (consumed),
    /// false at a comma (consumed), else an error saying `expected`.
    fn end_of_item(&mut self, bracket: u8, expected: &str) -> Result<bool, DeserializeError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(false)
            }
            Some(b) if b == bracket => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Err(self.error(expected)),
            None => Err(self.error("unexpected end of the body")),
        }
    }

    /// At `{`.
    fn object(&mut self) -> Result<Value<'a>, DeserializeError> {
        if self.opens_empty(b'}') {
            return Ok(Value::Object(Object::default()));
        }
        // Room for a structure of a few members without growing (growing
        // from four would reallocate for the fifth).
        let mut members = Vec::with_capacity(8);
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'"') => {}
                Some(_) => return Err(self.error("expected a key (a string)")),
                None => return Err(self.error("unexpected end of the body")),
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.pos += 1;
            let value = self.value()?;
            members.push((key, value));
            if self.end_of_item(b'}', "expected `,` or `}`")? {
                return Ok(Value::Object(Object::from_members(members)));
            }
        }
    }

    /// At `"`: the string's text, borrowed unless it has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, DeserializeError> {
        let start = self.pos + 1;
        self.pos = plain_run_end(self.bytes(), start);
        if self.peek() == Some(b'"') {
            self.pos += 1;
            return Ok(Cow::Borrowed(&self.text[start..self.pos - 1]));
        }
        // The text up to the first escape is copied, then the rest decoded.
        let mut owned = String::with_capacity(self.pos - start + 16);
        owned.push_str(&self.text[start..self.pos]);
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut owned)?;
                }
                Some(_) => return Err(self.error("a control character in a string")),
                None => return Err(self.error("unexpected end of the body in a string")),
            }
            let run = self.pos;
            self.pos = plain_run_end(self.bytes(), run);
            owned.push_str(&self.text[run..self.pos]);
        }
    }

    /// After `\`: appends the escaped character.
    fn escape(&mut self, out: &mut String) -> Result<(), DeserializeError> {
        let Some(b) = self.peek() else {
            return Err(self.error("unexpected end of the body in a string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => {
                self.pos -= 1;
                return Err(self.error("an invalid escape in a string"));
            }
        };
        out.push(c);
        Ok(())
    }

    /// After `\u`: one character, from two escapes for a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, DeserializeError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes()[self.pos..].starts_with(b"\\u") {
                    return Err(self.error("a lone leading surrogate in a string"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("a lone leading surrogate in a string"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("a lone trailing surrogate in a string")),
            _ => first,
        };
        // Every value here is a scalar value: surrogates were handled above.
        char::from_u32(code).ok_or_else(|| self.error("an invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, DeserializeError> {
        let digits = self.bytes().get(self.pos..self.pos + 4);
        let value = digits.and_then(|digits| {
            digits.iter().try_fold(0u32, |acc, &d| {
                let digit = char::from(d).to_digit(16)?;
                Some(acc * 16 + digit)
            })
        });
        match value {
            Some(value) => {
                self.pos += 4;
                Ok(value)
            }
            None => Err(self.error("expected four hex digits after \\u")),
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as written.
    fn number(&mut self) -> Result<&'a str, DeserializeError> {
        let start = self.pos;
        let end = number_end(self.bytes(), start).map_err(|at| {
            self.pos = at;
            self.error("an invalid number")
        })?;
        self.pos = end;
        Ok(&self.text[start..end])
    }
}

/// The end of the run of string bytes from `start` that need no decoding:
/// the position of the first `"`, `\\` or control character (or the end).
///
/// Eight bytes are tested at a time: a word with none of those bytes is
/// skipped whole, else its bytes are looked at one by one. The word tests
/// never miss such a byte; they may flag a word that has none (after a
/// byte that borrows), which only costs the byte loop.
fn plain_run_end(bytes: &[u8], start: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `word` that is below `n` (`n` <= 0x80).
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let mut pos = start;
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        if below(quote, 1) | below(backslash, 1) | below(word, 0x20) != 0 {
            break;
        }
        pos += 8;
    }
    let rest = bytes.get(pos..).unwrap_or_default();
    let run = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
    pos + run.unwrap_or(rest.len())
}

/// The end of the JSON number starting at `start` in `bytes`, or the
/// position where its syntax breaks.
fn number_end(bytes: &[u8], start: usize) -> Result<usize, usize> {
    let mut pos = start;
    let digits = |pos: &mut usize| {
        let from = *pos;
        while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
            *pos += 1;
        }
        *pos - from
    };
    if bytes.get(pos) == Some(&b'-') {
        pos += 1;
    }
    match bytes.get(pos) {
        Some(b'0') => pos += 1,
        Some(b'1'..=b'9') => {
            digits(&mut pos);
        }
        _ => return Err(pos),
    }
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        if digits(&mut pos) == 0 {
            return Err(pos);
        }
    }
    if let Some(b'e' | b'E') = bytes.get(pos) {
        pos += 1;
        if let Some(b'+' | b'-') = bytes.get(pos) {
            pos += 1;
        }
        if digits(&mut pos) == 0 {
            return Err(pos);
        }
    }
    Ok(pos)
}

/// Whether `text` is exactly one JSON number.
pub(crate) fn is_json_number(text: &str) -> bool {
    number_end(text.as_bytes(), 0) == Ok(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Value<'_> {
        match parse(text) {
            Ok(value) => value,
            Err(err) => panic!("{text:?}: {err}"),
        }
    }

    fn parse_err(text: &str) -> String {
        match parse(text) {
            Ok(value) => panic!("{text:?} parsed as {value:?}"),
            Err(err) => err.to_string(),
        }
    }

    fn string_of(value: Value<'_>) -> Cow<'_, str> {
        match value {
            Value::String(text) => text,
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(parse_ok("null"), Value::Null);
        assert_eq!(parse_ok(" true "), Value::Bool(true));
        assert_eq!(parse_ok("false"), Value::Bool(false));
        assert_eq!(parse_ok("\"x\""), Value::String(Cow::Borrowed("x")));
        assert_eq!(parse_ok("[]"), Value::Array(Vec::new()));
        assert_eq!(parse_ok("{ }"), Value::Object(Object::default()));
        for bad in ["nul", "tru", "True", "'a'", "+1", "", "  ", "undefined"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn numbers_keep_their_text() {
        for text in ["0", "-0", "12", "-12", "1.5", "-0.25", "1e3", "1E+3", "2.5e-7",
            "123456789012345678901234567890", "-1.0e400"] {
            assert_eq!(parse_ok(text), Value::Number(text), "{text}");
        }
        for bad in ["01", "-", "1.", ".5", "1e", "1e+", "--1", "0x10", "1.e3", "-a", "Infinity", "NaN"] {
            let err = parse_err(bad);
            assert!(err.starts_with("the body is not valid JSON: "), "{bad}: {err}");
        }
        assert!(is_json_number("-1.5e+10"));
        assert!(!is_json_number("1.5 "));
        assert!(!is_json_number("oops"));
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let plain = string_of(parse_ok(r#""stage-1 é""#));
        assert!(matches!(plain, Cow::Borrowed("stage-1 é")));
        let escaped = string_of(parse_ok(r#""a\"b\\c\/d\b\f\n\r\te""#));
        assert!(matches!(escaped, Cow::Owned(_)));
        assert_eq!(escaped, "a\"b\\c/d\u{8}\u{c}\n\r\te");
        assert_eq!(string_of(parse_ok(r#""\u00e9\u0041""#)), "éA");
        // A surrogate pair is one character.
        assert_eq!(string_of(parse_ok(r#""x\ud83d\ude00y""#)), "x\u{1F600}y");
        assert_eq!(string_of(parse_ok(r#""\uD834\uDD1E""#)), "\u{1D11E}");
    }

    #[test]
    fn every_byte_that_ends_a_plain_run_is_found_wherever_it_stands() {
        for special in [b'"', b'\\', 0x00, 0x1f] {
            for len in 0..40 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    // Bytes just above the limits, and non-ASCII, are plain.
                    for (i, b) in bytes.iter_mut().enumerate() {
                        *b = [b'a', b' ', b'#', b']', 0x7f, 0xc3, 0xa9][i % 7];
                    }
                    bytes[at] = special;
                    assert_eq!(plain_run_end(&bytes, 0), at, "{special:#x} at {at} of {len}");
                    assert_eq!(plain_run_end(&bytes, at), at);
                    if at > 0 {
                        assert_eq!(plain_run_end(&bytes, 1), at);
                    }
                }
                let plain = vec![b'x'; len];
                assert_eq!(plain_run_end(&plain, 0), len);
            }
        }
        assert_eq!(plain_run_end(b"abc", 3), 3);
        assert_eq!(plain_run_end(b"abc", 9), 9);
    }

    #[test]
    fn long_strings_with_escapes_far_in() {
        let long = format!("\"{}\\n{}\u{e9}\"", "a".repeat(37), "b".repeat(21));
        assert_eq!(string_of(parse_ok(&long)), format!("{}\n{}\u{e9}", "a".repeat(37), "b".repeat(21)));
        let control = format!("\"{}\u{1}\"", "a".repeat(29));
        assert!(parse_err(&control).contains("control character"));
    }

    #[test]
    fn bad_strings_are_errors() {
        for (bad, what) in [
            (r#""\ud83d""#, "lone leading surrogate"),
            (r#""\ud83dx""#, "lone leading surrogate"),
            (r#""\ud83d\u0041""#, "lone leading surrogate"),
            (r#""\ude00""#, "lone trailing surrogate"),
            (r#""\u12""#, "four hex digits"),
            (r#""\u12g4""#, "four hex digits"),
            (r#""\x""#, "invalid escape"),
            ("\"a\nb\"", "control character"),
            ("\"a\\n\tb\"", "control character"),
            ("\"abc", "end of the body"),
            ("\"abc\\", "end of the body"),
        ] {
            let err = parse_err(bad);
            assert!(err.contains(what), "{bad:?}: {err}");
        }
    }

    #[test]
    fn errors_give_line_and_column() {
        assert_eq!(
            parse_err("{\"a\": 1,\n \"b\": }"),
            "the body is not valid JSON: expected a value at line 2 column 7"
        );
        assert_eq!(
            parse_err("{\"é\": 1 x"),
            "the body is not valid JSON: expected `,` or `}` at line 1 column 9"
        );
        assert!(parse_err("[1] 2").contains("trailing characters"));
        assert!(parse_err("[1 2]").contains("expected `,` or `]`"));
        assert!(parse_err("{1: 2}").contains("expected a key"));
        assert!(parse_err("{\"a\" 2}").contains("expected `:`"));
        assert!(parse_err("{\"a\": 2").contains("unexpected end"));
        assert!(parse_err("[1,").contains("unexpected end"));
        assert!(parse_err("[1,]").contains("expected a value"));
    }

    #[test]
    fn nesting_is_limited() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert!(parse_err(&nested(MAX_DEPTH + 1)).contains("nesting deeper than 128 levels"));
        assert!(parse(&nested(100_000)).is_err());
        let objects = format!("{}1{}", r#"{"a":"#.repeat(50_000), "}".repeat(50_000));
        assert!(parse(&objects).is_err());
    }

    #[test]
    fn objects_find_members_and_keep_order() {
        let Value::Object(object) = parse_ok(r#"{"b": 1, "a": [true, null], "c": {}}"#) else {
            panic!("not an object");
        };
        assert_eq!(object.len(), 3);
        assert_eq!(object.get("b"), Some(&Value::Number("1")));
        assert_eq!(object.get("a"), Some(&Value::Array(vec![Value::Bool(true), Value::Null])));
        assert_eq!(object.get("d"), None);
        assert_eq!(object.get("c").and_then(Value::as_object), Some(&Object::default()));
        assert_eq!(object.get("b").and_then(Value::as_object), None);
        assert_eq!(parse_ok(r#""\u0041b""#).as_str(), Some("Ab"));
        assert_eq!(object.get("b").and_then(Value::as_str), None);
        let keys: Vec<&str> = object.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        let escaped_key = parse_ok(r#"{"a\u0062": 2}"#);
        let Value::Object(object) = escaped_key else { panic!("not an object") };
        assert_eq!(object.get("ab"), Some(&Value::Number("2")));
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        let Value::Object(object) = parse_ok(r#"{"a": 1, "b": 2, "a": 3}"#) else {
            panic!("not an object");
        };
        let members: Vec<(&str, &Value<'_>)> = object.iter().collect();
        assert_eq!(members, [("a", &Value::Number("3")), ("b", &Value::Number("2"))]);

        // A large object (a map) takes the sorted path.
        let mut text = String::from("{");
        for i in 0..100 {
            text.push_str(&format!("\"k{i}\": {i},"));
        }
        text.push_str("\"k7\": null}");
        let Value::Object(object) = parse_ok(&text) else { panic!("not an object") };
        assert_eq!(object.len(), 100);
        assert_eq!(object.get("k7"), Some(&Value::Null));
        assert_eq!(object.get("k99"), Some(&Value::Number("99")));
        let keys: Vec<&str> = object.iter().map(|(k, _)| k).take(9).collect();
        assert_eq!(keys, ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"]);

        // Every key twice in a large map (20,000 members, which a pairwise
        // search would compare 50 million times): still the first places
        // and the last values.
        let mut text = String::from("{");
        for round in 0..2 {
            for i in 0..10_000 {
                text.push_str(&format!("\"k{i}\": {},", i + round));
            }
        }
        text.pop();
        text.push('}');
        let Value::Object(object) = parse_ok(&text) else { panic!("not an object") };
        assert_eq!(object.len(), 10_000);
        let members: Vec<(&str, &Value<'_>)> = object.iter().take(2).collect();
        assert_eq!(members, [("k0", &Value::Number("1")), ("k1", &Value::Number("2"))]);
    }
}
