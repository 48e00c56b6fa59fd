//! Typed views of the Smithy traits the generator acts on.
//!
//! Each reader checks the JSON type of the trait value and reports a
//! [`Diagnostic`] naming the shape (and member) when it is wrong. Traits the
//! generator does not use are left raw in the AST and never read.

use serde::Deserialize;
use serde_json::Value;

use crate::ast::Traits;
use crate::diagnostics::{Diagnostic, Diagnostics};

pub const DOCUMENTATION: &str = "smithy.api#documentation";
pub const REQUIRED: &str = "smithy.api#required";
pub const DEFAULT: &str = "smithy.api#default";
pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
pub const SENSITIVE: &str = "smithy.api#sensitive";
pub const ERROR: &str = "smithy.api#error";
pub const HTTP_ERROR: &str = "smithy.api#httpError";
pub const HTTP: &str = "smithy.api#http";
pub const HTTP_LABEL: &str = "smithy.api#httpLabel";
pub const HTTP_QUERY: &str = "smithy.api#httpQuery";
pub const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
pub const HTTP_HEADER: &str = "smithy.api#httpHeader";
pub const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
pub const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
pub const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
pub const JSON_NAME: &str = "smithy.api#jsonName";
pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
pub const LENGTH: &str = "smithy.api#length";
pub const RANGE: &str = "smithy.api#range";
pub const PATTERN: &str = "smithy.api#pattern";
pub const ENUM_VALUE: &str = "smithy.api#enumValue";
pub const LEGACY_ENUM: &str = "smithy.api#enum";
pub const PAGINATED: &str = "smithy.api#paginated";
pub const SPARSE: &str = "smithy.api#sparse";
pub const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
pub const DEPRECATED: &str = "smithy.api#deprecated";
pub const ENDPOINT: &str = "smithy.api#endpoint";
pub const MEDIA_TYPE: &str = "smithy.api#mediaType";
pub const HOST_LABEL: &str = "smithy.api#hostLabel";
pub const STREAMING: &str = "smithy.api#streaming";
pub const MIXIN: &str = "smithy.api#mixin";
pub const TITLE: &str = "smithy.api#title";
pub const EVENT_PAYLOAD: &str = "smithy.api#eventPayload";
pub const EVENT_HEADER: &str = "smithy.api#eventHeader";
pub const REQUIRES_LENGTH: &str = "smithy.api#requiresLength";
pub const UNSIGNED_PAYLOAD: &str = "aws.auth#unsignedPayload";
pub const AWS_SERVICE: &str = "aws.api#service";
pub const SIGV4: &str = "aws.auth#sigv4";
pub const REST_JSON1: &str = "aws.protocols#restJson1";
pub const AWS_JSON1_0: &str = "aws.protocols#awsJson1_0";
pub const AWS_JSON1_1: &str = "aws.protocols#awsJson1_1";
pub const AWS_QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
pub const AWS_QUERY_ERROR: &str = "aws.protocols#awsQueryError";
pub const REST_XML: &str = "aws.protocols#restXml";
pub const AWS_QUERY: &str = "aws.protocols#awsQuery";
pub const EC2_QUERY: &str = "aws.protocols#ec2Query";
pub const RETRYABLE: &str = "smithy.api#retryable";
pub const HTTP_CHECKSUM: &str = "aws.protocols#httpChecksum";
pub const EC2_QUERY_NAME: &str = "aws.protocols#ec2QueryName";
pub const XML_NAME: &str = "smithy.api#xmlName";
pub const XML_ATTRIBUTE: &str = "smithy.api#xmlAttribute";
pub const XML_FLATTENED: &str = "smithy.api#xmlFlattened";
pub const XML_NAMESPACE: &str = "smithy.api#xmlNamespace";
pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
pub const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";
pub const AUTH: &str = "smithy.api#auth";
pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";
pub const AUTH_DEFINITION: &str = "smithy.api#authDefinition";
pub const HTTP_BEARER_AUTH: &str = "smithy.api#httpBearerAuth";
pub const WAITABLE: &str = "smithy.waiters#waitable";
pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
pub const HTTP_CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";

/// Auth-scheme traits the prelude and the AWS traits define (each carries
/// `@authDefinition` in its own definition, which models do not repeat). A
/// trait whose definition in the model has `@authDefinition` is one too.
pub const KNOWN_AUTH_SCHEMES: &[&str] = &[
    SIGV4,
    "aws.auth#sigv4a",
    HTTP_BEARER_AUTH,
    "smithy.api#httpBasicAuth",
    "smithy.api#httpDigestAuth",
    "smithy.api#httpApiKeyAuth",
];
pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
pub const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";
pub const CLIENT_CONTEXT_PARAMS: &str = "smithy.rules#clientContextParams";

/// Where a trait sits, so a wrong value can be reported precisely.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    pub shape: &'a str,
    pub member: Option<&'a str>,
}

impl Site<'_> {
    fn problem(&self, trait_id: &str, message: impl std::fmt::Display) -> Diagnostic {
        let message = format!("trait `{trait_id}`: {message}");
        match self.member {
            Some(member) => Diagnostic::member(self.shape, member, message),
            None => Diagnostic::shape(self.shape, message),
        }
    }
}

/// Reads traits off one shape or member, collecting every wrong value.
pub struct TraitReader<'a> {
    traits: &'a Traits,
    site: Site<'a>,
    diagnostics: &'a mut Diagnostics,
}

impl<'a> TraitReader<'a> {
    pub fn new(traits: &'a Traits, site: Site<'a>, diagnostics: &'a mut Diagnostics) -> Self {
        TraitReader { traits, site, diagnostics }
    }

    /// Whether an annotation trait (value `{}`) is present.
    pub fn flag(&mut self, trait_id: &str) -> bool {
        match self.traits.get(trait_id) {
            None => false,
            Some(Value::Object(_)) => true,
            Some(other) => {
                self.diagnostics.push(self.site.problem(trait_id, format!("expected an object, found {}", kind(other))));
                false
            }
        }
    }

    /// A trait whose value is a string.
    pub fn string(&mut self, trait_id: &str) -> Option<String> {
        match self.traits.get(trait_id)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.diagnostics.push(self.site.problem(trait_id, format!("expected a string, found {}", kind(other))));
                None
            }
        }
    }

    /// A trait whose value is a whole number.
    pub fn integer(&mut self, trait_id: &str) -> Option<i64> {
        match self.traits.get(trait_id)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            other => {
                self.diagnostics.push(self.site.problem(trait_id, format!("expected an integer, found {}", kind(other))));
                None
            }
        }
    }

    /// A trait whose value is any JSON value (e.g. `@default`).
    pub fn raw(&self, trait_id: &str) -> Option<Value> {
        self.traits.get(trait_id).cloned()
    }

    /// A trait whose value is an object with known fields ([`TraitRecord`]).
    /// A field the generator does not know is a warning naming it (Smithy
    /// rates it a warning too) and is ignored; the known fields are read
    /// strictly.
    pub fn record<T: TraitRecord>(&mut self, trait_id: &str) -> Option<T> {
        let value = self.traits.get(trait_id)?;
        let Value::Object(fields) = value else { return self.structured(trait_id) };
        let unknown: Vec<&String> = fields.keys().filter(|k| !T::FIELDS.contains(&k.as_str())).collect();
        if unknown.is_empty() {
            return self.structured(trait_id);
        }
        let mut known = fields.clone();
        for name in unknown {
            known.remove(name);
            self.diagnostics.warn(self.site.problem(
                trait_id,
                format!("unknown field `{name}` ignored (this generator reads {})", T::FIELDS.join(", ")),
            ));
        }
        match T::deserialize(&Value::Object(known)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.diagnostics.push(self.site.problem(trait_id, e));
                None
            }
        }
    }

    /// A trait with a structured value, read with serde.
    pub fn structured<T: for<'de> Deserialize<'de>>(&mut self, trait_id: &str) -> Option<T> {
        let value = self.traits.get(trait_id)?;
        match T::deserialize(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.diagnostics.push(self.site.problem(trait_id, e));
                None
            }
        }
    }

    /// `@auth`: the auth scheme shape ids, in the order written.
    pub fn auth(&mut self) -> Option<Vec<String>> {
        self.structured(AUTH)
    }

    /// `@smithy.waiters#waitable`: the waiters by name (in name order).
    pub fn waiters(&mut self) -> std::collections::BTreeMap<String, WaiterRecord> {
        self.structured(WAITABLE).unwrap_or_default()
    }

    /// `@requestCompression`: the encodings this generator supports, in the
    /// model's order of preference. An encoding it does not know is a
    /// warning and is skipped (Smithy lets a client use any it supports).
    pub fn request_compression(&mut self) -> Vec<crate::ir::CompressionEncoding> {
        let Some(record) = self.record::<RequestCompression>(REQUEST_COMPRESSION) else { return Vec::new() };
        let mut encodings = Vec::new();
        for name in &record.encodings {
            match crate::ir::CompressionEncoding::from_name(name) {
                Some(encoding) if !encodings.contains(&encoding) => encodings.push(encoding),
                Some(_) => {}
                None => self.diagnostics.warn(self.site.problem(
                    REQUEST_COMPRESSION,
                    format!("encoding `{name}` ignored (this generator compresses with gzip only)"),
                )),
            }
        }
        encodings
    }

    pub fn has(&self, trait_id: &str) -> bool {
        self.traits.contains_key(trait_id)
    }
}

/// A trait value read into a struct whose fields are listed, so that an
/// unknown field can be reported as a warning and skipped ([`TraitReader::record`]).
pub trait TraitRecord: for<'de> Deserialize<'de> {
    /// The field names as written in the model.
    const FIELDS: &'static [&'static str];
}

macro_rules! trait_record {
    ($($ty:ty => [$($field:literal),*];)*) => {
        $(impl TraitRecord for $ty {
            const FIELDS: &'static [&'static str] = &[$($field),*];
        })*
    };
}

trait_record! {
    Http => ["method", "uri", "code"];
    Paginated => ["inputToken", "outputToken", "items", "pageSize"];
    Length => ["min", "max"];
    Range => ["min", "max"];
    Deprecated => ["message", "since"];
    Endpoint => ["hostPrefix"];
    AwsQueryError => ["code", "httpResponseCode"];
    XmlNamespace => ["uri", "prefix"];
    Retryable => ["throttling"];
    HttpChecksum => ["requestAlgorithmMember", "requestChecksumRequired", "requestValidationModeMember", "responseAlgorithms"];
    RestXml => ["noErrorWrapping", "http", "eventStreamHttp"];
    RequestCompression => ["encodings"];
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `@http`: method, URI pattern and success code of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    pub method: String,
    pub uri: String,
    #[serde(default = "default_http_code")]
    pub code: u16,
}

fn default_http_code() -> u16 {
    200
}

/// `@paginated` as written (any field may be inherited from the service).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Paginated {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub items: Option<String>,
    pub page_size: Option<String>,
}

/// `@length` on strings, blobs, lists and maps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Length {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// `@range` on numbers (decimal bounds allowed).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub min: Option<serde_json::Number>,
    pub max: Option<serde_json::Number>,
}

/// `@deprecated`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecated {
    pub message: Option<String>,
    pub since: Option<String>,
}

/// `@endpoint`: a host prefix such as `{Foo}.data.`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Endpoint {
    pub host_prefix: String,
}

/// One entry of the Smithy 1.0 `@enum` trait on a string shape.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyEnumEntry {
    pub value: String,
    pub name: Option<String>,
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
}

/// `aws.protocols#awsQueryError`: the error's code and HTTP status in the
/// awsQuery protocol.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsQueryError {
    pub code: String,
    pub http_response_code: u16,
}

/// `@retryable` on an error structure: the client retries it, as
/// throttling when `throttling` is true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Retryable {
    #[serde(default)]
    pub throttling: bool,
}

/// `aws.protocols#httpChecksum` (flexible checksums). Only whether the
/// request needs a checksum is used; the members naming algorithms are read
/// so that an unknown field is reported.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    #[serde(default)]
    pub request_algorithm_member: Option<String>,
    #[serde(default)]
    pub request_checksum_required: bool,
    #[serde(default)]
    pub request_validation_mode_member: Option<String>,
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

/// `@xmlNamespace`: the namespace URI (and optional prefix) written as an
/// `xmlns` attribute on the element of a shape, member or service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XmlNamespace {
    pub uri: String,
    #[serde(default)]
    pub prefix: Option<String>,
}

/// `aws.protocols#restXml` on a service: whether error responses lack the
/// `<ErrorResponse>` wrapper (S3). The HTTP version lists are read by the
/// REST protocols alike and ignored here.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestXml {
    #[serde(default)]
    pub no_error_wrapping: bool,
    #[serde(default)]
    pub http: Option<Vec<String>>,
    #[serde(default)]
    pub event_stream_http: Option<Vec<String>>,
}

/// The HTTP versions a protocol trait (`restJson1`, `awsJson1_0`,
/// `awsJson1_1`, `restXml`) says the service accepts, in order of
/// preference; other fields of the trait are read elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolHttpVersions {
    #[serde(default)]
    pub http: Option<Vec<String>>,
    #[serde(default)]
    pub event_stream_http: Option<Vec<String>>,
}

impl ProtocolHttpVersions {
    /// Whether event streams go over HTTP/2: the `eventStreamHttp` list
    /// (else `http`) names `h2` first.
    pub fn event_streams_need_h2(&self) -> bool {
        let list = self.event_stream_http.as_ref().or(self.http.as_ref());
        list.and_then(|versions| versions.first()).is_some_and(|first| first == "h2")
    }
}

/// `smithy.rules#contextParam` on an input member: the member's value is
/// the endpoint parameter `name`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextParam {
    pub name: String,
}

/// One entry of `smithy.rules#staticContextParams` on an operation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticContextParam {
    pub value: Value,
}

/// One entry of `smithy.rules#operationContextParams` on an operation: a
/// JMESPath-subset `path` into the input.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationContextParam {
    pub path: String,
}

/// One entry of `smithy.rules#clientContextParams` on a service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientContextParam {
    #[serde(rename = "type")]
    pub ty: String,
    pub documentation: Option<String>,
}

/// `@requestCompression`: the encodings a client may compress a request
/// body with, in order of preference.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestCompression {
    pub encodings: Vec<String>,
}

/// `aws.auth#sigv4`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Sigv4 {
    pub name: String,
}

/// `aws.api#service` (only the fields the generator uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsService {
    pub sdk_id: String,
    pub endpoint_prefix: Option<String>,
}

/// `@timestampFormat` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimestampFormat {
    DateTime,
    HttpDate,
    EpochSeconds,
}

impl TimestampFormat {
    pub fn read(reader: &mut TraitReader<'_>) -> Option<TimestampFormat> {
        let value = reader.string(TIMESTAMP_FORMAT)?;
        match value.as_str() {
            "date-time" => Some(TimestampFormat::DateTime),
            "http-date" => Some(TimestampFormat::HttpDate),
            "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
            other => {
                reader.diagnostics.push(reader.site.problem(
                    TIMESTAMP_FORMAT,
                    format!("unknown format `{other}` (expected date-time, http-date or epoch-seconds)"),
                ));
                None
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TimestampFormat::DateTime => "date-time",
            TimestampFormat::HttpDate => "http-date",
            TimestampFormat::EpochSeconds => "epoch-seconds",
        }
    }
}

/// `@error`: who is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFault {
    Client,
    Server,
}

impl ErrorFault {
    pub fn read(reader: &mut TraitReader<'_>) -> Option<ErrorFault> {
        let value = reader.string(ERROR)?;
        match value.as_str() {
            "client" => Some(ErrorFault::Client),
            "server" => Some(ErrorFault::Server),
            other => {
                reader
                    .diagnostics
                    .push(reader.site.problem(ERROR, format!("expected \"client\" or \"server\", found `{other}`")));
                None
            }
        }
    }
}

/// One waiter of `smithy.waiters#waitable`, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiterRecord {
    pub documentation: Option<String>,
    pub acceptors: Vec<AcceptorRecord>,
    pub min_delay: Option<u64>,
    pub max_delay: Option<u64>,
    #[serde(default)]
    pub deprecated: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AcceptorRecord {
    pub state: AcceptorStateRecord,
    pub matcher: MatcherRecord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AcceptorStateRecord {
    Success,
    Failure,
    Retry,
}

/// A matcher: exactly one of its kinds.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MatcherRecord {
    Output(PathMatcherRecord),
    InputOutput(PathMatcherRecord),
    Success(bool),
    ErrorType(String),
}

#[derive(Debug, Clone, Deserialize)]
pub struct PathMatcherRecord {
    pub path: String,
    pub expected: String,
    pub comparator: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traits(json: &str) -> Traits {
        serde_json::from_str(json).expect("test traits")
    }

    #[test]
    fn wrong_trait_value_types_are_reported_with_site() {
        let t = traits(r#"{"smithy.api#httpHeader": 5, "smithy.api#required": true, "smithy.api#http": {"method": "GET"}}"#);
        let mut diagnostics = Diagnostics::default();
        let mut reader = TraitReader::new(&t, Site { shape: "a#S", member: Some("m") }, &mut diagnostics);
        assert_eq!(reader.string(HTTP_HEADER), None);
        assert!(!reader.flag(REQUIRED));
        assert_eq!(reader.structured::<Http>(HTTP), None);
        let messages: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3);
        assert_eq!(messages[0], "a#S$m: trait `smithy.api#httpHeader`: expected a string, found a number");
        assert_eq!(messages[1], "a#S$m: trait `smithy.api#required`: expected an object, found a boolean");
        assert!(messages[2].starts_with("a#S$m: trait `smithy.api#http`: missing field `uri`"), "{}", messages[2]);
    }

    #[test]
    fn unknown_fields_of_known_traits_are_warnings() {
        let t = traits(r#"{"smithy.api#paginated": {"inputToken": "next", "maxResults": "limit"}}"#);
        let mut diagnostics = Diagnostics::default();
        let mut reader = TraitReader::new(&t, Site { shape: "a#List", member: None }, &mut diagnostics);
        let paginated: Paginated = reader.record(PAGINATED).expect("read despite the unknown field");
        assert_eq!(paginated.input_token.as_deref(), Some("next"));
        assert!(diagnostics.is_empty(), "no error: {diagnostics}");
        let warnings: Vec<String> = diagnostics.take_warnings().iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["a#List: trait `smithy.api#paginated`: unknown field `maxResults` ignored (this generator reads inputToken, outputToken, items, pageSize)"]
        );
    }

    #[test]
    fn known_fields_are_still_read_strictly() {
        let t = traits(r#"{"smithy.api#length": {"min": "one", "extra": 1}}"#);
        let mut diagnostics = Diagnostics::default();
        let mut reader = TraitReader::new(&t, Site { shape: "a#S", member: None }, &mut diagnostics);
        assert_eq!(reader.record::<Length>(LENGTH), None);
        assert_eq!(diagnostics.len(), 1, "{diagnostics}");
        assert_eq!(diagnostics.take_warnings().len(), 1);
    }

    #[test]
    fn request_compression_keeps_known_encodings_and_warns_about_others() {
        let t = traits(r#"{"smithy.api#requestCompression": {"encodings": ["br", "gzip", "GZIP"]}}"#);
        let mut diagnostics = Diagnostics::default();
        let mut reader = TraitReader::new(&t, Site { shape: "a#Put", member: None }, &mut diagnostics);
        assert_eq!(reader.request_compression(), [crate::ir::CompressionEncoding::Gzip]);
        assert!(diagnostics.is_empty(), "no error: {diagnostics}");
        let warnings: Vec<String> = diagnostics.take_warnings().iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["a#Put: trait `smithy.api#requestCompression`: encoding `br` ignored (this generator compresses with gzip only)"]
        );

        let none = traits(r#"{"smithy.api#requestCompression": {"encodings": ["zstd"]}}"#);
        let mut reader = TraitReader::new(&none, Site { shape: "a#Put", member: None }, &mut diagnostics);
        assert_eq!(reader.request_compression(), []);
        let wrong = traits(r#"{"smithy.api#requestCompression": {"encodings": "gzip"}}"#);
        let mut reader = TraitReader::new(&wrong, Site { shape: "a#Put", member: None }, &mut diagnostics);
        assert_eq!(reader.request_compression(), []);
        assert_eq!(diagnostics.len(), 1, "a wrong value type is an error: {diagnostics}");
    }

    #[test]
    fn typed_values_are_read() {
        let t = traits(
            r#"{"smithy.api#http": {"method": "POST", "uri": "/CreateStage"},
                "smithy.api#timestampFormat": "http-date", "smithy.api#range": {"min": 2, "max": 1920}}"#,
        );
        let mut diagnostics = Diagnostics::default();
        let mut reader = TraitReader::new(&t, Site { shape: "a#S", member: None }, &mut diagnostics);
        assert_eq!(reader.structured::<Http>(HTTP).map(|h| h.code), Some(200));
        assert_eq!(TimestampFormat::read(&mut reader), Some(TimestampFormat::HttpDate));
        let range: Range = reader.structured(RANGE).expect("range");
        assert_eq!(range.min.map(|n| n.to_string()).as_deref(), Some("2"));
        assert!(diagnostics.is_empty());
    }
}
