//! The resolved intermediate representation the emitters read.
//!
//! Built by [`crate::lower`]: every target exists, mixins are flattened,
//! `apply` is applied, only shapes in the service closure remain, every
//! operation has its own input and output structure, recursive members are
//! boxed, and every Rust name is assigned (by [`crate::naming`]). The wire name
//! sits next to the Rust name everywhere. Emitters never see raw JSON.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::traits::{Deprecated, ErrorFault, Http, Length, Paginated, Range, TimestampFormat};

/// An absolute shape id such as `com.amazonaws.ivsrealtime#Stage`.
pub type ShapeId = String;

/// The local part of a shape id (`Stage` for `ns#Stage`).
pub fn local_name(id: &str) -> &str {
    id.split_once('#').map_or(id, |(_, name)| name)
}

/// The service and everything it reaches.
#[derive(Debug, Clone)]
pub struct Model {
    pub service: Service,
    /// Data shapes in the closure (no operations, services or resources), by id.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// Operations sorted by shape id.
    pub operations: Vec<Operation>,
    /// What lowering found worth saying that does not stop generation (for
    /// example an unknown field in a known trait), sorted.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

impl Model {
    /// A shape in the closure. Lowering guarantees every target resolves, so a
    /// miss here is a generator bug.
    pub fn shape(&self, id: &str) -> &Shape {
        match self.shapes.get(id) {
            Some(shape) => shape,
            None => unreachable!("lowering resolved every target, but `{id}` is missing"),
        }
    }

    /// Whether the error `id` can come back from a call: an operation the
    /// client has a method for lists it. Errors only left-out operations
    /// list get no parser.
    pub fn error_is_returned(&self, id: &str) -> bool {
        self.operations.iter().any(|op| op.unsupported.is_none() && op.errors.iter().any(|e| e == id))
    }

    /// The member of structure `id` that streams (a blob or an event
    /// stream), if any; Smithy allows at most one.
    pub fn stream_member(&self, id: &str) -> Option<&Member> {
        match &self.shape(id).kind {
            ShapeKind::Structure(members) => members.iter().find(|m| m.stream.is_some()),
            _ => None,
        }
    }

    /// Whether a call of `op` streams its request or response body.
    pub fn streams(&self, op: &Operation) -> bool {
        self.stream_member(&op.input).is_some() || self.stream_member(&op.output).is_some()
    }

    /// The event-stream unions operations send or receive, with the
    /// direction, in id order (a union both sent and received appears twice).
    pub fn event_streams(&self) -> Vec<(&Shape, StreamKind)> {
        let mut found: Vec<(&Shape, StreamKind)> = Vec::new();
        for op in self.operations.iter().filter(|op| op.unsupported.is_none()) {
            for id in [&op.input, &op.output] {
                let stream = self.stream_member(id).and_then(|m| Some((m, m.stream?)));
                if let Some((m, kind)) = stream.filter(|(_, kind)| *kind != StreamKind::Blob) {
                    let entry = (self.shape(&m.target), kind);
                    if !found.iter().any(|(s, k)| s.id == entry.0.id && *k == entry.1) {
                        found.push(entry);
                    }
                }
            }
        }
        found.sort_by(|a, b| (&a.0.id, a.1 as u8).cmp(&(&b.0.id, b.1 as u8)));
        found
    }

    /// Whether the error `id` can arrive as an exception event of an event
    /// stream a callable operation receives.
    pub fn error_is_streamed(&self, id: &str) -> bool {
        self.event_streams().iter().any(|(union, kind)| {
            *kind == StreamKind::OutputEvents
                && matches!(&union.kind, ShapeKind::Union(members) if members.iter().any(|m| m.target == id))
        })
    }

    /// Errors (structures with `@error`) in id order.
    pub fn errors(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values().filter(|s| matches!(s.role, Role::Error(_)))
    }
}

/// The protocol the service declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    RestJson1,
    AwsJson1_0,
    AwsJson1_1,
    /// `aws.protocols#restXml`; S3 sends its errors without the
    /// `<ErrorResponse>` wrapper (`noErrorWrapping`).
    RestXml { no_error_wrapping: bool },
    AwsQuery,
    Ec2Query,
    /// A protocol the generator cannot serialize yet (trait id kept for the message).
    Unsupported(String),
    /// No protocol trait at all.
    None,
}

impl Protocol {
    /// The protocol's short name for reports, e.g. `restJson1`, `awsQuery`, `none`.
    pub fn name(&self) -> &str {
        match self {
            Protocol::RestJson1 => "restJson1",
            Protocol::AwsJson1_0 => "awsJson1_0",
            Protocol::AwsJson1_1 => "awsJson1_1",
            Protocol::RestXml { .. } => "restXml",
            Protocol::AwsQuery => "awsQuery",
            Protocol::Ec2Query => "ec2Query",
            Protocol::Unsupported(id) => local_name(id),
            Protocol::None => "none",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: ShapeId,
    pub version: String,
    pub title: Option<String>,
    pub docs: Option<String>,
    pub protocol: Protocol,
    /// `aws.protocols#awsQueryCompatible`: a JSON service that was an
    /// awsQuery service; its errors also carry their query error code.
    pub query_compatible: bool,
    /// The SigV4 signing name (`aws.auth#sigv4`), when the service signs.
    pub sigv4_name: Option<String>,
    /// The service's auth schemes in order of preference: its `@auth`, else
    /// every auth-scheme trait on it in shape-id order (the auth pass).
    pub auth: Vec<AuthScheme>,
    /// `aws.api#service` sdkId, when present.
    pub sdk_id: Option<String>,
    /// The raw `smithy.rules#endpointRuleSet` value, handed to the runtime.
    pub endpoint_rule_set: Option<Value>,
    /// The raw `smithy.rules#endpointTests` value.
    pub endpoint_tests: Option<Value>,
    /// Service-wide `@paginated` defaults.
    pub paginated: Option<Paginated>,
    /// `rename` of the service: shape id → the name to use instead of its
    /// local name (how a service disambiguates shapes from two namespaces).
    pub rename: BTreeMap<ShapeId, String>,
    /// The crate-level Rust name of the service (e.g. `IvsRealTime`), from the naming module.
    pub rust_name: String,
    /// `smithy.rules#clientContextParams`: endpoint parameters each client
    /// sets in its configuration (filled by the endpoint-parameters pass).
    pub client_context_params: Vec<ClientContextParam>,
    /// `@xmlNamespace` on the service: the namespace of every XML body's
    /// root element (restXml requests, awsQuery and ec2Query responses).
    pub xml_namespace: Option<XmlNamespace>,
    /// The protocol trait's `eventStreamHttp` list (else its `http` list)
    /// names `h2` first: event streams of this service need HTTP/2.
    pub event_streams_need_h2: bool,
}

pub use crate::traits::XmlNamespace;

/// The XML traits of a member (restXml, awsQuery, ec2Query); all unset in
/// a JSON protocol's model, where they mean nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlMember {
    /// `@xmlName`: the element (or attribute) name instead of the member name.
    pub name: Option<String>,
    /// `@xmlAttribute`: the member is an attribute of its structure's element.
    pub attribute: bool,
    /// `@xmlFlattened`: list items or map entries repeat in place, without a wrapper element.
    pub flattened: bool,
    /// `@xmlNamespace` on the member.
    pub namespace: Option<XmlNamespace>,
    /// `aws.protocols#ec2QueryName`: the ec2Query key instead of the capitalized name.
    pub ec2_query_name: Option<String>,
}

/// The type of an endpoint rules parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointParamType {
    String,
    Boolean,
    StringArray,
}

impl EndpointParamType {
    /// Reads a rules `type`, ignoring case (models write `String` and `string`).
    pub fn from_name(name: &str) -> Option<EndpointParamType> {
        match name.to_ascii_lowercase().as_str() {
            "string" => Some(EndpointParamType::String),
            "boolean" => Some(EndpointParamType::Boolean),
            "stringarray" => Some(EndpointParamType::StringArray),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EndpointParamType::String => "string",
            EndpointParamType::Boolean => "boolean",
            EndpointParamType::StringArray => "stringArray",
        }
    }
}

/// An endpoint parameter a client sets in its configuration.
#[derive(Debug, Clone)]
pub struct ClientContextParam {
    /// The rules' parameter name, e.g. `Accelerate`.
    pub name: String,
    pub ty: EndpointParamType,
    pub docs: Option<String>,
    /// The config builder's setter, e.g. `accelerate`.
    pub rust_setter: String,
    /// Its `Option` variant, e.g. `set_accelerate`.
    pub rust_option_setter: String,
}

/// An endpoint parameter an operation sets on every call.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationEndpointParam {
    /// The rules' parameter name, e.g. `Bucket`.
    pub name: String,
    pub source: EndpointParamSource,
    /// For `contextParam` on a `@required` string member: the member's Rust
    /// name. Smithy asks that a request with a blank value is not sent.
    pub required_member: Option<String>,
}

/// Where an operation's endpoint parameter gets its value.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointParamSource {
    /// `smithy.rules#staticContextParams`: the same value on every call.
    Static(StaticParamValue),
    /// `smithy.rules#contextParam` (a path of one member) or
    /// `smithy.rules#operationContextParams`: a value read from the input.
    Input(ValuePath),
}

/// A value written in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticParamValue {
    String(String),
    Bool(bool),
    StringArray(Vec<String>),
}

/// A path into a structure, lowered from the JMESPath subset Smithy uses
/// (`a.b`, `a[*].b`, `a.*`, `keys(a)`) and checked against the shapes it
/// walks. Operation context parameters walk inputs; the same form can walk
/// outputs (waiter acceptors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuePath {
    /// The path as written in the model, for docs and messages.
    pub text: String,
    pub steps: Vec<PathStep>,
    /// What the last step yields.
    pub leaf: PathLeaf,
    /// Whether a step projects (`[*]`, `*`, `keys`), so the path yields a
    /// list of leaves rather than one.
    pub projected: bool,
}

/// One step of a [`ValuePath`], applied to each value the previous steps
/// gave (absent values drop out, as JMESPath drops nulls).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A member of a structure.
    Field { name: String, rust_name: String, optional: bool },
    /// `[*]` or `[]`: every element of a list (absent elements of a sparse
    /// list skipped); inside a projection (`a[*].b[]`), the elements of
    /// each projected list, flattened into the projection.
    Elements { sparse: bool },
    /// `*`: every value of a map.
    MapValues { sparse: bool },
    /// `keys(…)`: every key of a map.
    MapKeys,
}

/// The kind of value a path ends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathLeaf {
    /// A string or string enum (both have `as_str()`).
    Text,
    Boolean,
    /// A list or map, only counted (`length(…)` in waiters).
    Collection,
}

/// One waiter of `smithy.waiters#waitable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiter {
    /// The name in the model, e.g. `TableExists`.
    pub name: String,
    pub docs: Option<String>,
    /// Seconds; 2 when the model says nothing.
    pub min_delay: u64,
    /// Seconds; 120 when the model says nothing.
    pub max_delay: u64,
    pub deprecated: bool,
    /// The acceptors in the model's order, or why the waiter is not
    /// generated (an acceptor outside what the generator supports).
    pub acceptors: Result<Vec<Acceptor>, String>,
}

/// One acceptor of a [`Waiter`]: when `matcher` matches a poll, the wait goes to `state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
    /// The matcher in a few words, as the model writes it.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

/// What an acceptor matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// `success: true` (the call succeeded) or `false` (it failed with any error).
    Success(bool),
    /// `errorType`: a modeled error of the operation (its variant's Rust
    /// name), or any other error code.
    ErrorType { code: String, variant: Option<String> },
    /// `output` or `inputOutput`: an expression compared with the expected value.
    Path { expr: WaiterExpr, comparator: Comparator },
}

/// The comparators of path matchers, with the expected value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparator {
    /// One string (or string enum) equals the value.
    StringEquals(String),
    /// One boolean equals the value.
    BooleanEquals(bool),
    /// Every value of a non-empty projection equals the value.
    AllStringEquals(String),
    /// Some value of a projection equals the value.
    AnyStringEquals(String),
}

/// Where a waiter path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathRoot {
    Input,
    Output,
}

/// A waiter's path expression, typed against the shapes it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiterExpr {
    /// A value (or a projection of values) at a path.
    Value { root: PathRoot, path: ValuePath },
    /// `length(path) <op> \`n\``: how many values a list, map or projection
    /// holds, compared with a number; a boolean.
    LengthCompare { root: PathRoot, path: ValuePath, op: LengthOp, value: u64 },
}

/// A comparison of a length with a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// An auth scheme, by the trait that defines it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthScheme {
    /// `aws.auth#sigv4`.
    Sigv4,
    /// `smithy.api#httpBearerAuth`.
    HttpBearer,
    /// Any other scheme (e.g. `smithy.api#httpApiKeyAuth`), by trait shape
    /// id: the runtime cannot use it yet.
    Other(String),
}

impl AuthScheme {
    pub fn from_id(id: &str) -> AuthScheme {
        match id {
            crate::traits::SIGV4 => AuthScheme::Sigv4,
            crate::traits::HTTP_BEARER_AUTH => AuthScheme::HttpBearer,
            other => AuthScheme::Other(other.to_string()),
        }
    }

    /// The trait shape id, e.g. `aws.auth#sigv4`.
    pub fn id(&self) -> &str {
        match self {
            AuthScheme::Sigv4 => crate::traits::SIGV4,
            AuthScheme::HttpBearer => crate::traits::HTTP_BEARER_AUTH,
            AuthScheme::Other(id) => id,
        }
    }
}

/// A request body encoding of `@requestCompression` that the runtime can
/// apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompressionEncoding {
    Gzip,
}

impl CompressionEncoding {
    /// The encoding a model names; Smithy compares the names without case.
    pub fn from_name(name: &str) -> Option<Self> {
        name.eq_ignore_ascii_case("gzip").then_some(CompressionEncoding::Gzip)
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: ShapeId,
    /// Wire name, e.g. `CreateStage`.
    pub name: String,
    /// Rust module and method name, e.g. `create_stage`.
    pub rust_module: String,
    pub input: ShapeId,
    pub output: ShapeId,
    /// Operation errors followed by service errors, without duplicates.
    pub errors: Vec<ShapeId>,
    pub http: Option<Http>,
    /// `@paginated` merged with the service defaults.
    pub paginated: Option<Paginated>,
    pub idempotent: bool,
    pub readonly: bool,
    /// The auth schemes the operation accepts, in order of preference: its
    /// own `@auth` (empty for `@auth([])`: unsigned), else the service's.
    pub auth: Vec<AuthScheme>,
    /// `@optionalAuth`: sent unsigned when no identity can be loaded.
    pub optional_auth: bool,
    /// The `smithy.waiters#waitable` waiters, by name.
    pub waiters: Vec<Waiter>,
    /// `@httpChecksumRequired`, or `aws.protocols#httpChecksum` with
    /// `requestChecksumRequired`: requests carry `Content-MD5`.
    pub checksum_required: bool,
    /// `aws.protocols#httpChecksum`: the service offers flexible checksums
    /// (CRC32, SHA-256, …), which this client neither computes nor validates.
    pub flexible_checksums: bool,
    /// `aws.customizations#s3UnwrappedXmlOutput`: the response's root
    /// element is the output's one body member itself, not a wrapper around
    /// it (S3's `GetBucketLocation`).
    pub unwrapped_xml_output: bool,
    /// `@requestCompression`: the encodings the generated client may
    /// compress the request body with, in the model's order of preference
    /// (only those this generator supports; empty without the trait).
    pub request_compression: Vec<CompressionEncoding>,
    pub host_prefix: Option<String>,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecated>,
    /// Rust name of the operation error enum, e.g. `CreateStageError`.
    pub rust_error_name: String,
    /// Why the client cannot call this operation yet (e.g. event streams).
    /// Its input and output types are still generated; it gets no client
    /// method, builder, error enum or (de)serializers.
    pub unsupported: Option<String>,
    /// Endpoint parameters the operation sets (context, static and
    /// operation context parameters), filled by the endpoint-parameters pass.
    pub endpoint_params: Vec<OperationEndpointParam>,
    /// `aws.auth#unsignedPayload`: SigV4 signs the body as `UNSIGNED-PAYLOAD`.
    pub unsigned_payload: bool,
    /// The operation has an event stream and the protocol trait's
    /// `eventStreamHttp` list (else its `http` list) names `h2` first: the
    /// transport negotiates HTTP/2 for it (the streaming pass).
    pub http2: bool,
    /// `smithy.test#httpRequestTests` on the operation.
    pub request_tests: Vec<crate::protocol_test_cases::HttpRequestTestCase>,
    /// `smithy.test#httpResponseTests` on the operation.
    pub response_tests: Vec<crate::protocol_test_cases::HttpResponseTestCase>,
}

/// Why a structure exists in the generated crate, which decides its module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A shared data shape (`types` module).
    Data,
    /// The input of one operation (its `operation::<op>` module).
    Input(ShapeId),
    /// The output of one operation.
    Output(ShapeId),
    /// A modeled error (`error` module).
    Error(ErrorFault),
}

#[derive(Debug, Clone)]
pub struct Shape {
    pub id: ShapeId,
    pub kind: ShapeKind,
    pub role: Role,
    /// The Rust type name (e.g. `Stage`, `CreateStageInput`); empty for
    /// simple shapes, which map to std or runtime types.
    pub rust_name: String,
    pub docs: Option<String>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecated>,
    pub constraints: Constraints,
    pub timestamp_format: Option<TimestampFormat>,
    pub http_error: Option<u16>,
    /// `@mediaType` (strings in headers are base64; blobs/strings as payload set Content-Type).
    pub media_type: Option<String>,
    /// `smithy.api#Unit` and synthesized empty inputs/outputs.
    pub unit: bool,
    /// `@streaming`: a blob sent or received as a stream, or a union that is
    /// an event stream. The members that carry one are marked with
    /// [`Member::stream`].
    pub streaming: bool,
    /// `@requiresLength` on a streaming blob: the request must say its
    /// length (`Content-Length`) up front.
    pub requires_length: bool,
    /// `aws.protocols#awsQueryError` on an error structure.
    pub query_error: Option<crate::traits::AwsQueryError>,
    /// `smithy.test#httpResponseTests` on an error structure.
    pub error_tests: Vec<crate::protocol_test_cases::HttpResponseTestCase>,
    /// `@xmlName` on the shape: its element name when it is a body's root
    /// (restXml `@httpPayload` structures) or a list or map member's target.
    pub xml_name: Option<String>,
    /// `@xmlNamespace` on the shape.
    pub xml_namespace: Option<XmlNamespace>,
    /// `@retryable` on an error structure.
    pub retryable: Option<crate::traits::Retryable>,
}

impl Shape {
    /// Whether values of this shape are plain strings.
    pub fn kind_is_string(&self) -> bool {
        matches!(self.kind, ShapeKind::Simple(Simple::String))
    }
}

/// `@length`, `@range` and `@pattern`: documented, never enforced client-side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub length: Option<Length>,
    pub range: Option<Range>,
    pub pattern: Option<String>,
    pub unique_items: bool,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none() && !self.unique_items
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simple {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
}

/// The IR is built once per run, so variant sizes do not matter here.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ShapeKind {
    Simple(Simple),
    Enum(Vec<EnumValue>),
    IntEnum(Vec<IntEnumValue>),
    List { member: Member, sparse: bool },
    Map { key: Member, value: Member, sparse: bool },
    Structure(Vec<Member>),
    Union(Vec<Member>),
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The member name in the model, e.g. `B_FRAME_PRESENT`.
    pub name: String,
    /// The value on the wire.
    pub value: String,
    /// The Rust variant name, e.g. `BFramePresent`.
    pub rust_name: String,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecated>,
}

#[derive(Debug, Clone)]
pub struct IntEnumValue {
    pub name: String,
    pub value: i64,
    pub rust_name: String,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecated>,
}

/// Where a member travels in an HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpBinding {
    /// In the JSON document body (the default).
    Body,
    Label,
    Query(String),
    QueryParams,
    Header(String),
    PrefixHeaders(String),
    Payload,
    ResponseCode,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// Wire (model) name, e.g. `participantId`.
    pub name: String,
    /// Rust field name, e.g. `participant_id` (raw identifiers spelled `r#type`).
    pub rust_name: String,
    /// What a builder's methods for this member are named after: `foo` gives
    /// `foo`, `set_foo` and `get_foo`. The field name unless that would clash
    /// with a builder's own method (`build` → `build_value`; see [`crate::naming`]).
    pub rust_method: String,
    pub target: ShapeId,
    pub docs: Option<String>,
    pub required: bool,
    pub client_optional: bool,
    /// `@default`, checked against the target (`@default(null)`, a removed default, is `None`).
    pub default: Option<DefaultValue>,
    pub http: HttpBinding,
    pub json_name: Option<String>,
    /// XML names, attributes, flattening and namespaces (XML protocols only).
    pub xml: XmlMember,
    pub timestamp_format: Option<TimestampFormat>,
    pub idempotency_token: bool,
    /// `@hostLabel`: the value fills a label of the operation's `@endpoint` host prefix.
    pub host_label: bool,
    pub sensitive: bool,
    pub deprecated: Option<Deprecated>,
    pub constraints: Constraints,
    /// Whether the Rust field is an `Option` (decided by the nullability pass).
    pub optional: bool,
    /// Whether the value is boxed to break a recursive type (recursion pass).
    pub boxed: bool,
    /// How an operation input's or output's member streams (the streaming
    /// pass); `None` for every other member.
    pub stream: Option<StreamKind>,
    /// `@eventHeader`: a member of an event structure sent as a message header.
    pub event_header: bool,
    /// `@eventPayload`: the member of an event structure that is the whole
    /// message payload.
    pub event_payload: bool,
}

/// How a member of an operation's input or output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// A `@streaming` blob: a `ByteStream` body.
    Blob,
    /// An event stream (`@streaming` union) the client sends.
    InputEvents,
    /// An event stream the client receives.
    OutputEvents,
}

impl Member {
    /// The `@default` value, if any.
    pub fn default_value(&self) -> Option<&DefaultValue> {
        self.default.as_ref()
    }
}

/// A member's `@default`, typed by its target (lowered in `lower::defaults`).
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    String(String),
    /// byte, short, integer or long (the range was checked against the target).
    Integer(i64),
    /// float or double.
    Float(f64),
    /// bigInteger or bigDecimal, as written.
    BigNumber(String),
    /// Seconds since the epoch.
    Timestamp(f64),
    Blob(Vec<u8>),
    Document(Value),
    /// The wire value of an enum member.
    Enum(String),
    IntEnum(i32),
    EmptyList,
    EmptyMap,
}

impl std::fmt::Display for DefaultValue {
    /// The value as the model writes it (JSON), for documentation.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DefaultValue::Bool(b) => write!(f, "{b}"),
            DefaultValue::String(s) | DefaultValue::Enum(s) => write!(f, "{}", Value::String(s.clone())),
            DefaultValue::Integer(n) => write!(f, "{n}"),
            DefaultValue::IntEnum(n) => write!(f, "{n}"),
            DefaultValue::Float(n) | DefaultValue::Timestamp(n) => match serde_json::Number::from_f64(*n) {
                Some(number) => write!(f, "{number}"),
                None => write!(f, "{n}"),
            },
            DefaultValue::BigNumber(text) => f.write_str(text),
            DefaultValue::Blob(bytes) => {
                use base64::Engine as _;
                write!(f, "{}", Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)))
            }
            DefaultValue::Document(value) => write!(f, "{value}"),
            DefaultValue::EmptyList => f.write_str("[]"),
            DefaultValue::EmptyMap => f.write_str("{}"),
        }
    }
}
