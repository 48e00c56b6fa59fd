//! Responses for the fuzz loop, driven by the model: a valid output or
//! modeled error for any operation (built from the lowered IR, so every
//! member, enum value, union, map, timestamp and header of the model is
//! covered), and the ways of breaking one.

use bytes::Bytes;
use fastrand::Rng;
use http::header::{HeaderName, HeaderValue};
use serde_json::{Map, Value};
use smithy_codegen::ir::{HttpBinding, Member, Model, Role, Shape, ShapeKind, Simple};
use smithy_codegen::traits::{ErrorFault, TimestampFormat};

/// What the call must return for a response.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// A valid output: the call succeeds.
    Output,
    /// A valid modeled error: `SdkError::Service` with this variant and code.
    ModeledError(String),
    /// A broken response: any typed result, `Ok` included, but no panic.
    Anything,
}

/// One generated response and what it is.
pub struct Case {
    pub response: http::Response<Bytes>,
    pub expect: Expect,
    /// The name of the strategy that made it, for the report.
    pub strategy: &'static str,
}

/// How a response is made, with its weight out of [`WEIGHT_TOTAL`].
pub const STRATEGIES: &[(&str, u32)] = &[
    ("valid-output", 10),
    ("valid-error", 10),
    ("wrong-values", 24),
    ("byte-mutation", 18),
    ("truncated", 8),
    ("random-bytes", 8),
    ("json-noise", 6),
    ("stress", 4),
    ("weird-headers", 12),
];
const WEIGHT_TOTAL: u32 = 100;

/// The operations of the model, with what is needed to answer them.
pub struct Catalog {
    pub model: Model,
}

/// Shapes nested deeper than this stop adding optional members, so
/// recursive shapes terminate.
const MAX_DEPTH: usize = 6;

impl Catalog {
    pub fn new(model: Model) -> Self {
        Catalog { model }
    }

    /// The wire names of the operations, in the model's order.
    pub fn operation_names(&self) -> Vec<&str> {
        self.model.operations.iter().map(|op| op.name.as_str()).collect()
    }

    /// A response for operation `op` (an index into the model's operations).
    pub fn case(&self, op: usize, rng: &mut Rng) -> Case {
        let mut pick = rng.u32(0..WEIGHT_TOTAL);
        let mut strategy = STRATEGIES[0].0;
        for (name, weight) in STRATEGIES {
            if pick < *weight {
                strategy = name;
                break;
            }
            pick -= weight;
        }
        let valid_error = rng.bool();
        let (mut parts, expect) = match strategy {
            "valid-output" => (self.valid_output(op, rng), Expect::Output),
            "valid-error" => match self.valid_error(op, rng) {
                Some((parts, name)) => (parts, Expect::ModeledError(name)),
                None => (self.valid_output(op, rng), Expect::Output),
            },
            _ => {
                let base = if valid_error { self.valid_error(op, rng).map(|(p, _)| p) } else { None };
                (base.unwrap_or_else(|| self.valid_output(op, rng)), Expect::Anything)
            }
        };
        match strategy {
            "wrong-values" => {
                if let Some(mut tree) = parts.tree.take() {
                    let mut raw = Vec::new();
                    for _ in 0..rng.usize(1..4) {
                        mutate_tree(&mut tree, rng, &mut raw);
                    }
                    parts.body = splice(&tree, &raw);
                } else {
                    parts.body = wrong_type_document(rng);
                }
            }
            "byte-mutation" => mutate_bytes(&mut parts.body, rng),
            "truncated" => {
                let keep = rng.usize(0..=parts.body.len());
                parts.body.truncate(keep);
            }
            "random-bytes" => {
                let len = rng.usize(0..512);
                parts.body = (0..len).map(|_| rng.u8(..)).collect();
            }
            "json-noise" => parts.body = json_noise(rng),
            "stress" => parts.body = stress_body(rng),
            "weird-headers" => {
                weird_headers(&mut parts, rng);
                if rng.bool() {
                    mutate_bytes(&mut parts.body, rng);
                }
            }
            _ => {}
        }
        Case { response: parts.into_response(), expect, strategy }
    }

    /// A success response whose body and headers hold a random valid output.
    fn valid_output(&self, op: usize, rng: &mut Rng) -> Parts {
        let op = &self.model.operations[op];
        let status = op.http.as_ref().map_or(200, |http| http.code);
        let mut parts = Parts::new(status);
        if let Some(shape) = self.model.shapes.get(&op.output) {
            self.fill_message(shape, &mut parts, rng);
        }
        parts
    }

    /// An error response for a random modeled error of `op`, with its code
    /// where a restJson1 service may put it; `None` when `op` has no errors.
    fn valid_error(&self, op: usize, rng: &mut Rng) -> Option<(Parts, String)> {
        let op = &self.model.operations[op];
        if op.errors.is_empty() {
            return None;
        }
        let id = &op.errors[rng.usize(0..op.errors.len())];
        let shape = self.model.shapes.get(id)?;
        let status = shape.http_error.unwrap_or(match shape.role {
            Role::Error(ErrorFault::Server) => 500,
            _ => 400,
        });
        let mut parts = Parts::new(status);
        self.fill_message(shape, &mut parts, rng);
        // The error code travels in this header; a member bound to it
        // (IVS models one) holds the code, not a random word.
        parts.headers.retain(|(name, _)| name != "x-amzn-errortype");
        let name = smithy_codegen::ir::local_name(id).to_owned();
        let namespaced = id.clone();
        let code = match rng.u8(0..6) {
            0 => (Some(name.clone()), None),
            1 => (Some(format!("{name}:http://internal.amazon.com/coral/{namespaced}/")), None),
            2 => (None, Some(("__type", namespaced))),
            3 => (None, Some(("__type", name.clone()))),
            4 => (None, Some(("code", name.clone()))),
            _ => (Some(name.clone()), Some(("__type", format!("aws.protocoltests#{name}")))),
        };
        if let Some(header) = code.0 {
            parts.set_header("x-amzn-errortype", header.as_bytes());
        }
        if let (Some((key, value)), Some(Value::Object(object))) = (code.1, parts.tree.as_mut()) {
            object.insert(key.to_owned(), Value::String(value));
            parts.body = serde_json::to_vec(parts.tree.as_ref()?).ok()?;
        }
        Some((parts, name))
    }

    /// Puts a random value of structure `shape` into `parts`: body members
    /// into a JSON object (or the payload), header members into headers.
    fn fill_message(&self, shape: &Shape, parts: &mut Parts, rng: &mut Rng) {
        let ShapeKind::Structure(members) = &shape.kind else { return };
        let mut object = Map::new();
        let mut payload = None;
        for member in members {
            if !member.required && rng.u8(0..4) == 0 {
                continue;
            }
            match &member.http {
                HttpBinding::Header(name) => {
                    let value = self.header_value(member, rng);
                    parts.set_header(name, value.as_bytes());
                }
                HttpBinding::ResponseCode => {}
                HttpBinding::Payload => payload = Some(self.value(member, 0, rng)),
                HttpBinding::PrefixHeaders(prefix) => {
                    parts.set_header(&format!("{prefix}fuzz"), b"value");
                }
                _ => {
                    let key = member.json_name.clone().unwrap_or_else(|| member.name.clone());
                    object.insert(key, self.value(member, 0, rng));
                }
            }
        }
        let tree = payload.unwrap_or(Value::Object(object));
        parts.body = serde_json::to_vec(&tree).unwrap_or_default();
        parts.tree = Some(tree);
    }

    /// A header value for a scalar or list member.
    fn header_value(&self, member: &Member, rng: &mut Rng) -> String {
        match self.model.shapes.get(&member.target).map(|s| &s.kind) {
            Some(ShapeKind::Simple(Simple::Timestamp)) => "Tue, 29 Apr 2014 18:30:38 GMT".to_owned(),
            Some(ShapeKind::Simple(Simple::Boolean)) => rng.bool().to_string(),
            Some(ShapeKind::Simple(Simple::Integer | Simple::Long | Simple::Short | Simple::Byte)) => {
                rng.u8(..).to_string()
            }
            _ => ascii_word(rng),
        }
    }

    /// A random valid JSON value for `member`'s target.
    fn value(&self, member: &Member, depth: usize, rng: &mut Rng) -> Value {
        let format = member.timestamp_format;
        match self.model.shapes.get(&member.target) {
            Some(shape) => self.shape_value(shape, format, depth, rng),
            None => Value::String(ascii_word(rng)),
        }
    }

    fn shape_value(&self, shape: &Shape, format: Option<TimestampFormat>, depth: usize, rng: &mut Rng) -> Value {
        match &shape.kind {
            ShapeKind::Simple(simple) => simple_value(*simple, format.or(shape.timestamp_format), rng),
            ShapeKind::Enum(values) => {
                if values.is_empty() || rng.u8(0..10) == 0 {
                    Value::String("A_VALUE_FROM_THE_FUTURE".to_owned())
                } else {
                    Value::String(values[rng.usize(0..values.len())].value.clone())
                }
            }
            ShapeKind::IntEnum(values) => match values.get(rng.usize(0..values.len().max(1))) {
                Some(value) => Value::from(value.value),
                None => Value::from(7),
            },
            ShapeKind::List { member, .. } => {
                let len = if depth >= MAX_DEPTH { 0 } else { rng.usize(0..4) };
                Value::Array((0..len).map(|_| self.value(member, depth + 1, rng)).collect())
            }
            ShapeKind::Map { key, value, .. } => {
                let len = if depth >= MAX_DEPTH { 0 } else { rng.usize(0..4) };
                let mut map = Map::new();
                for _ in 0..len {
                    let key = match self.value(key, depth + 1, rng) {
                        Value::String(key) => key,
                        other => other.to_string(),
                    };
                    map.insert(key, self.value(value, depth + 1, rng));
                }
                Value::Object(map)
            }
            ShapeKind::Structure(members) => {
                let mut map = Map::new();
                for member in members {
                    if !member.required && (depth >= MAX_DEPTH || rng.u8(0..3) == 0) {
                        continue;
                    }
                    let key = member.json_name.clone().unwrap_or_else(|| member.name.clone());
                    map.insert(key, self.value(member, depth + 1, rng));
                }
                Value::Object(map)
            }
            ShapeKind::Union(members) => {
                let mut map = Map::new();
                if let Some(member) = members.get(rng.usize(0..members.len().max(1))) {
                    let key = member.json_name.clone().unwrap_or_else(|| member.name.clone());
                    map.insert(key, self.value(member, depth + 1, rng));
                }
                Value::Object(map)
            }
        }
    }
}

/// A random valid value of a simple type, as restJson1 writes it in a body.
fn simple_value(simple: Simple, format: Option<TimestampFormat>, rng: &mut Rng) -> Value {
    match simple {
        Simple::Blob => Value::String(base64(&(0..rng.usize(0..24)).map(|_| rng.u8(..)).collect::<Vec<_>>())),
        Simple::Boolean => Value::Bool(rng.bool()),
        Simple::String => Value::String(any_string(rng)),
        Simple::Byte => Value::from(rng.i8(..)),
        Simple::Short => Value::from(rng.i16(..)),
        Simple::Integer => Value::from(rng.i32(..)),
        Simple::Long => Value::from(rng.i64(..)),
        Simple::Float | Simple::Double => match rng.u8(0..8) {
            0 => Value::String("NaN".to_owned()),
            1 => Value::String("Infinity".to_owned()),
            2 => Value::String("-Infinity".to_owned()),
            _ => serde_json::Number::from_f64((rng.f64() - 0.5) * 1e6).map_or(Value::from(0), Value::Number),
        },
        Simple::BigInteger => Value::from(rng.i64(..)),
        Simple::BigDecimal => serde_json::Number::from_f64(rng.f64() * 1e3).map_or(Value::from(1), Value::Number),
        Simple::Timestamp => {
            let seconds = rng.i64(0..4_000_000_000);
            match format {
                Some(TimestampFormat::DateTime) => Value::String(date_time(seconds)),
                Some(TimestampFormat::HttpDate) => Value::String("Tue, 29 Apr 2014 18:30:38 GMT".to_owned()),
                _ if rng.bool() => Value::from(seconds),
                _ => serde_json::Number::from_f64(seconds as f64 + 0.125).map_or(Value::from(seconds), Value::Number),
            }
        }
        Simple::Document => match rng.u8(0..4) {
            0 => Value::Null,
            1 => serde_json::json!({"a": [1, "two", null, {"b": false}]}),
            2 => Value::from(rng.i64(..)),
            _ => Value::String(any_string(rng)),
        },
    }
}

/// `seconds` since the epoch as an RFC 3339 UTC date-time.
fn date_time(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Civil-from-days (proleptic Gregorian), days since 1970-01-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn ascii_word(rng: &mut Rng) -> String {
    (0..rng.usize(1..12)).map(|_| rng.alphanumeric()).collect()
}

/// Any valid string: ASCII, escapes, control characters, non-BMP text.
fn any_string(rng: &mut Rng) -> String {
    match rng.u8(0..5) {
        0 => String::new(),
        1 => "line\nbreak \"quoted\" \\ tab\t nul\u{0} bell\u{7}".to_owned(),
        2 => "ünïcødé 日本語 🎥 \u{feff}\u{200b}".to_owned(),
        _ => ascii_word(rng),
    }
}

/// A response under construction: status, headers, body and (when the
/// body is JSON made here) its tree, for value-level mutations.
struct Parts {
    status: u16,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Vec<u8>,
    tree: Option<Value>,
}

impl Parts {
    fn new(status: u16) -> Self {
        let mut parts = Parts { status, headers: Vec::new(), body: b"{}".to_vec(), tree: None };
        parts.set_header("content-type", b"application/json");
        parts.set_header("x-amzn-requestid", b"4d1f0f3a-0000-4000-8000-00000000fuzz");
        parts
    }

    /// Adds a header; names or values `http` refuses are skipped (a real
    /// server could not send them either).
    fn set_header(&mut self, name: &str, value: &[u8]) {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value)) {
            self.headers.retain(|(n, _)| *n != name);
            self.headers.push((name, value));
        }
    }

    fn append_header(&mut self, name: &str, value: &[u8]) {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value)) {
            self.headers.push((name, value));
        }
    }

    fn into_response(self) -> http::Response<Bytes> {
        let mut response = http::Response::new(Bytes::from(self.body));
        *response.status_mut() = http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::OK);
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}

/// Replaces one random node of `tree` with a wrong, extreme or malformed
/// value. Values JSON cannot hold as a `Value` (huge numbers, lone
/// surrogates, raw invalid UTF-8, deep nesting) go in as a placeholder
/// string that [`splice`] swaps for raw bytes.
fn mutate_tree(tree: &mut Value, rng: &mut Rng, raw: &mut Vec<Vec<u8>>) {
    let count = count_nodes(tree);
    let target = rng.usize(0..count);
    let replacement = bad_value(rng, raw);
    let mut seen = 0;
    replace_nth(tree, target, &mut seen, replacement, rng);
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn replace_nth(value: &mut Value, target: usize, seen: &mut usize, replacement: Value, rng: &mut Rng) -> Option<Value> {
    if *seen == target {
        // Inside an object, sometimes add a member or drop one instead.
        if let (Value::Object(map), 0) = (&mut *value, rng.u8(0..4)) {
            if rng.bool() && !map.is_empty() {
                let key = map.keys().nth(rng.usize(0..map.len())).cloned().unwrap_or_default();
                map.remove(&key);
            } else {
                map.insert(ascii_word(rng), replacement);
            }
            return None;
        }
        *value = replacement;
        return None;
    }
    *seen += 1;
    let mut replacement = Some(replacement);
    match value {
        Value::Array(items) => {
            for item in items {
                replacement = replace_nth(item, target, seen, replacement?, rng);
            }
        }
        Value::Object(map) => {
            for (_, item) in map.iter_mut() {
                replacement = replace_nth(item, target, seen, replacement?, rng);
            }
        }
        _ => {}
    }
    replacement
}

const RAW_MARK: &str = "\u{1}raw:";

/// A value of the wrong type, out of range, or malformed for its format.
fn bad_value(rng: &mut Rng, raw: &mut Vec<Vec<u8>>) -> Value {
    let mut raw_value = |bytes: Vec<u8>| {
        raw.push(bytes);
        Value::String(format!("{RAW_MARK}{}", raw.len() - 1))
    };
    match rng.u8(0..12) {
        // Wrong JSON types.
        0 => [Value::Null, Value::Bool(true), Value::from(0), Value::from(-1), Value::String(String::new()),
            serde_json::json!([]), serde_json::json!({}), serde_json::json!([1, "a", null]),
            serde_json::json!({"a": {"b": [true]}})][rng.usize(0..9)]
        .clone(),
        // Numbers at and past every limit.
        1 | 2 => raw_value(
            [
                "1e400", "-1e400", "1e-400", "18446744073709551616", "-9223372036854775809", "9223372036854775808",
                "2147483648", "-2147483649", "32768", "128", "-0", "-0.0", "1.5", "0.1e1", "1E+2", "4e9",
                "123456789012345678901234567890123456789012345678901234567890", "1.7976931348623157e308",
                "5e-324", "00", "01", "-", "1.", ".5", "+1", "0x10", "NaN", "Infinity",
            ][rng.usize(0..28)]
                .as_bytes()
                .to_vec(),
        ),
        // Bad timestamps.
        3 => [
            "2024-13-45T99:99:99Z", "2024-02-30T00:00:00Z", "1970-01-01T00:00:00", "+275760-09-13T00:00:00Z",
            "9999-12-31T23:59:60Z", "2024-01-01T00:00:00.1234567891234Z", "2024-01-01T00:00:00+25:00", "",
            "Tue, 29 Apr 2014 18:30:38 GMT", "NaN", "-Infinity", "1e20", "T", "2024-01-01",
        ]
        .get(rng.usize(0..14))
        .map_or(Value::Null, |s| Value::String((*s).to_owned())),
        4 => raw_value(["1e20", "-1e20", "253402300800", "-62135596801", "1e308", "1.0000000001e15"][rng.usize(0..6)].as_bytes().to_vec()),
        // Bad base64 and unknown enum values.
        5 => Value::String(["====", "a", "ab=c", "YQ", "YWJj\n", "!!!!", "ÿÿ", "Zm9v====", "A===", " "][rng.usize(0..10)].to_owned()),
        6 => Value::String(["A_VALUE_FROM_THE_FUTURE", "", "rtmps", "ÿ", "\u{0}"][rng.usize(0..5)].to_owned()),
        // Strings JSON allows in text but UTF-8 does not hold.
        7 => raw_value(
            [&b"\"\\ud800\""[..], b"\"\\udc00\\ud800\"", b"\"\\u12\"", b"\"\\x41\"", b"\"\xff\xfe\"", b"\"\xc0\xaf\"",
                b"\"\xed\xa0\x80\"", b"\"\xf4\x90\x80\x80\"", b"\"\x80\"", b"\"\\uDBFF\\uDFFF\"", b"\"a\x00b\""]
                [rng.usize(0..11)]
            .to_vec(),
        ),
        // Deep nesting, just over and far over serde_json's limit.
        8 => {
            let depth = [127, 128, 129, 1000, size(rng, 2_000, 20_000)][rng.usize(0..5)];
            let mut text = Vec::new();
            let object = rng.bool();
            for _ in 0..depth {
                text.extend_from_slice(if object { b"{\"a\":" } else { b"[" });
            }
            text.extend_from_slice(b"1");
            for _ in 0..depth {
                text.push(if object { b'}' } else { b']' });
            }
            raw_value(text)
        }
        // Duplicate keys.
        9 => raw_value(b"{\"a\":1,\"a\":\"x\",\"__type\":1,\"__type\":\"Y\"}".to_vec()),
        // Big arrays of small items and long strings (bounded: a few hundred KB).
        10 => {
            let len = size(rng, 2_000, 20_000);
            let mut text = b"[".to_vec();
            for i in 0..len {
                if i > 0 {
                    text.push(b',');
                }
                text.extend_from_slice(if rng.bool() { b"0" } else { b"{}" });
            }
            text.push(b']');
            raw_value(text)
        }
        _ => Value::String("\u{1f3a5}".repeat(size(rng, 1_000, 10_000))),
    }
}

/// A length up to `usual`, and one time in twenty up to `rare` (large
/// inputs are slow to build in debug, and a few suffice).
fn size(rng: &mut Rng, usual: usize, rare: usize) -> usize {
    if rng.u8(0..20) == 0 {
        rng.usize(1..rare)
    } else {
        rng.usize(1..usual)
    }
}

/// Serializes `tree`, swapping each placeholder for its raw bytes.
fn splice(tree: &Value, raw: &[Vec<u8>]) -> Vec<u8> {
    let mut text = serde_json::to_vec(tree).unwrap_or_default();
    let encoded_mark = serde_json::to_string(RAW_MARK).unwrap_or_default();
    let prefix = encoded_mark.trim_end_matches('"').as_bytes().to_vec();
    for (index, bytes) in raw.iter().enumerate() {
        let needle = [&prefix[..], index.to_string().as_bytes(), b"\""].concat();
        if let Some(at) = find(&text, &needle) {
            text.splice(at..at + needle.len(), bytes.iter().copied());
        }
    }
    text
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A document of the wrong top-level type.
fn wrong_type_document(rng: &mut Rng) -> Vec<u8> {
    [&b"[]"[..], b"null", b"1", b"\"{}\"", b"true", b"", b" ", b"{}", b"[{}]", b"{\"\":{}}"][rng.usize(0..10)].to_vec()
}

/// Byte-level damage: flips, invalid UTF-8, deletions, duplications, insertions.
fn mutate_bytes(body: &mut Vec<u8>, rng: &mut Rng) {
    for _ in 0..rng.usize(1..5) {
        let at = rng.usize(0..=body.len());
        match rng.u8(0..6) {
            0 if !body.is_empty() => {
                let i = rng.usize(0..body.len());
                body[i] ^= 1 << rng.u8(0..8);
            }
            1 => {
                let bad: &[u8] = [&b"\xff"[..], b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80\x80", b"\x00"]
                    [rng.usize(0..7)];
                body.splice(at..at, bad.iter().copied());
            }
            2 => {
                let end = rng.usize(at..=body.len().min(at + 16));
                body.drain(at..end);
            }
            3 => {
                let end = rng.usize(at..=body.len().min(at + 32));
                let copy = body[at..end].to_vec();
                body.splice(at..at, copy);
            }
            _ => {
                let token: &[u8] = [&b"{"[..], b"}", b"[", b"]", b"\"", b",", b":", b"null", b"-", b"1e999", b"\\"]
                    [rng.usize(0..11)];
                body.splice(at..at, token.iter().copied());
            }
        }
    }
}

/// Text made of JSON's own characters in random order.
fn json_noise(rng: &mut Rng) -> Vec<u8> {
    const ALPHABET: &[u8] = b"{}[]\",:0123456789.eE+-tfnalrsu\\ \n";
    (0..rng.usize(0..256)).map(|_| ALPHABET[rng.usize(0..ALPHABET.len())]).collect()
}

/// Large or deep documents that stress the parser's limits.
fn stress_body(rng: &mut Rng) -> Vec<u8> {
    match rng.u8(0..4) {
        0 => {
            let depth = size(rng, 10_000, 100_000);
            let mut body = vec![b'['; depth];
            body.extend(std::iter::repeat_n(b']', rng.usize(0..=depth)));
            body
        }
        1 => {
            let mut body = b"{\"stages\":".to_vec();
            body.extend(std::iter::repeat_n(b'{', size(rng, 10_000, 100_000)));
            body
        }
        2 => format!("{{\"n\":{}}}", "9".repeat(size(rng, 2_000, 100_000))).into_bytes(),
        _ => {
            let mut body = b"{\"k\":\"".to_vec();
            body.extend(std::iter::repeat_n(b"\\u0000".as_slice(), size(rng, 2_000, 20_000)).flatten());
            body.extend_from_slice(b"\"}");
            body
        }
    }
}

/// Odd statuses, error codes and header values a broken server or proxy
/// might send.
fn weird_headers(parts: &mut Parts, rng: &mut Rng) {
    if rng.bool() {
        parts.status = [100, 101, 199, 200, 201, 202, 204, 206, 299, 300, 304, 399, 400, 401, 403, 404, 409, 413, 429, 499,
            500, 502, 503, 504, 599, 600, 999][rng.usize(0..27)];
    }
    let code: &[u8] = [&b""[..], b":", b"#", b"a#b#c", b":http://x", b"ValidationException:", b"Foo:Bar:Baz",
        b"com.amazonaws.ivsrealtime#ResourceNotFoundException", b"ValidationException\xff", b"\xc3\xa9", b" ", b"\t"]
        [rng.usize(0..12)];
    match rng.u8(0..8) {
        0 => parts.set_header("x-amzn-errortype", code),
        1 => {
            parts.append_header("x-amzn-errortype", code);
            parts.append_header("x-amzn-errortype", b"ConflictException");
        }
        2 => parts.set_header("x-amzn-requestid", b"\xff\xfe request \x80 id"),
        3 => parts.set_header("x-amzn-requestid", "r".repeat(16_384).as_bytes()),
        4 => parts.set_header("content-type", [&b""[..], b"text/html", b"application/json; charset=latin1", b"\xff"][rng.usize(0..4)]),
        5 => parts.set_header("content-length", [&b"-1"[..], b"abc", b"99999999999999999999", b"0"][rng.usize(0..4)]),
        6 => {
            for name in ["Cache-Control", "x-amzn-ErrorType", "X-Frame-Options", "Access-Control-Allow-Origin"] {
                parts.set_header(name, b"\x80\xff obs-text");
            }
        }
        _ => {
            parts.headers.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_dates_match_known_values() {
        assert_eq!(base64(b"fuzz!"), "ZnV6eiE=");
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(date_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(date_time(1_727_827_200), "2024-10-02T00:00:00Z");
    }

    #[test]
    fn splice_swaps_placeholders_for_raw_bytes() {
        let mut raw = Vec::new();
        let mut rng = Rng::with_seed(1);
        let mut tree = serde_json::json!({"a": 1});
        while raw.is_empty() {
            tree = serde_json::json!({"a": bad_value(&mut rng, &mut raw)});
        }
        let text = splice(&tree, &raw);
        assert!(find(&text, RAW_MARK.as_bytes()).is_none());
        assert!(find(&text, &raw[0]).is_some());
    }
}
