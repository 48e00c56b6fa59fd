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

    /// Errors (structures with `@error`) in id order.
    pub fn errors(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values().filter(|s| matches!(s.role, Role::Error(_)))
    }
}

/// The protocol the service declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    RestJson1,
    /// A protocol the generator cannot serialize yet (trait id kept for the message).
    Unsupported(String),
    /// No protocol trait at all.
    None,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: ShapeId,
    pub version: String,
    pub title: Option<String>,
    pub docs: Option<String>,
    pub protocol: Protocol,
    /// The SigV4 signing name (`aws.auth#sigv4`), when the service signs.
    pub sigv4_name: Option<String>,
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
    /// `@httpChecksumRequired`: requests carry `Content-MD5`.
    pub checksum_required: bool,
    pub host_prefix: Option<String>,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecated>,
    /// Rust name of the operation error enum, e.g. `CreateStageError`.
    pub rust_error_name: String,
    /// Why the client cannot call this operation yet (e.g. event streams);
    /// its types are still generated and `send()` returns this reason as an error.
    pub unsupported: Option<String>,
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
    /// `@streaming`: a blob sent or received as a stream (buffered by this
    /// client), or a union that is an event stream (not supported yet).
    pub streaming: bool,
    /// `smithy.test#httpResponseTests` on an error structure.
    pub error_tests: Vec<crate::protocol_test_cases::HttpResponseTestCase>,
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
    /// `@default` value; `Some(Value::Null)` when a default was explicitly removed.
    pub default: Option<Value>,
    pub http: HttpBinding,
    pub json_name: Option<String>,
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
}

impl Member {
    /// The non-null `@default` value, if any.
    pub fn default_value(&self) -> Option<&Value> {
        self.default.as_ref().filter(|v| !v.is_null())
    }
}
