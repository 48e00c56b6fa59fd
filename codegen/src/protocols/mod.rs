//! Where each protocol lives: one module per protocol, behind [`Protocol`],
//! the one interface the emitters ask about what differs between protocols.
//!
//! Every protocol gives the generated crate the same three functions, so the
//! client, fluent builders and paginators are the same for all of them:
//! `<Input>::into_request` (how a request is built), `<Output or
//! Error>::from_response` (how a success body or an error body is read) and,
//! through [`Protocol::error_codes`], the codes each operation's
//! `parse_error` recognises. What protocols share is written once elsewhere:
//! the HTTP bindings of the REST protocols (`emit/http_request.rs`,
//! `emit/http_response.rs`, which take the protocol's [`BodyCodec`]), the
//! JSON codec (`emit/json_serializers.rs`, `emit/json_deserializers.rs`),
//! the XML codec (`emit/xml_serializers.rs`, `emit/xml_deserializers.rs`),
//! the shape walking both codecs share (`emit/aggregates.rs`), client error
//! correction and, in the runtime, error-code normalization and error
//! metadata.
//!
//! Which traits matter is decided here too: the RPC protocols ignore HTTP
//! binding traits and `@jsonName`, and [`crate::lower::protocol_bindings`]
//! lowers them away for those protocols before anything is emitted.

pub mod aws_json;
pub mod aws_query;
pub mod rest_json;
pub mod rest_xml;

use proc_macro2::TokenStream;

use crate::ir::{self, Model, Operation, Shape};
use crate::symbols::Symbols;

/// How document bodies are encoded: which serializer and deserializer
/// modules the generated crate gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyCodec {
    /// `src/json_ser.rs` and `src/json_de.rs`.
    Json,
    /// `src/xml_ser.rs` and `src/xml_de.rs`.
    Xml,
}

impl BodyCodec {
    /// The generated crate's serializer module.
    pub fn ser_module(self) -> &'static str {
        match self {
            BodyCodec::Json => "json_ser",
            BodyCodec::Xml => "xml_ser",
        }
    }

    /// The generated crate's deserializer module.
    pub fn de_module(self) -> &'static str {
        match self {
            BodyCodec::Json => "json_de",
            BodyCodec::Xml => "xml_de",
        }
    }
}

/// What an emitter asks a protocol.
pub trait Protocol: Sync {
    /// The protocol trait's shape id, e.g. `aws.protocols#restJson1`; the
    /// `protocol` of the model's `smithy.test` cases for it.
    fn trait_id(&self) -> &'static str;

    /// Whether HTTP binding traits (`@http`, `@httpLabel`, `@httpHeader`,
    /// `@httpPayload`, …) place members in the request and response.
    fn http_bindings(&self) -> bool;

    /// Whether `@jsonName` renames members in JSON bodies.
    fn json_name(&self) -> bool;

    /// The codec of request bodies, or `None` when the protocol has no
    /// serializer module.
    fn request_codec(&self) -> Option<BodyCodec> {
        Some(BodyCodec::Json)
    }

    /// Whether requests are forms of query keys, written by the generated
    /// crate's `src/query_ser.rs` (the query protocols, whose
    /// [`request_codec`](Protocol::request_codec) is `None`).
    fn form_requests(&self) -> bool {
        false
    }

    /// The codec of response and error bodies.
    fn response_codec(&self) -> BodyCodec {
        BodyCodec::Json
    }

    /// The runtime's description of the protocol, for the service's
    /// `ServiceSpec` (an expression of type `smithy_runtime::protocol::Protocol`).
    fn runtime(&self) -> TokenStream;

    /// `impl <Input> { pub(crate) fn into_request(self) -> Result<http::Request<Bytes>, SerializeError> }`.
    fn request(&self, symbols: &Symbols<'_>, op: &Operation) -> TokenStream;

    /// `impl <T> { pub(crate) fn from_response(&http::Response<Bytes>) -> Result<Self, DeserializeError> }`
    /// for an operation output or a modeled error.
    fn response(&self, symbols: &Symbols<'_>, shape: &Shape) -> TokenStream;

    /// The error codes (after the runtime's normalization) that select the
    /// modeled error `shape`: its shape name, and for query-compatible JSON
    /// services also its `@awsQueryError` code.
    fn error_codes(&self, model: &Model, shape: &Shape) -> Vec<String> {
        let mut codes = vec![ir::local_name(&shape.id).to_string()];
        if model.service.query_compatible {
            if let Some(query) = &shape.query_error {
                if !codes.contains(&query.code) {
                    codes.push(query.code.clone());
                }
            }
        }
        codes
    }
}

/// The protocol a client is generated for, or `None` when the generator
/// cannot speak the model's protocol yet (only the types are generated).
pub fn for_protocol(protocol: &ir::Protocol) -> Option<&'static dyn Protocol> {
    match protocol {
        ir::Protocol::RestJson1 => Some(&rest_json::REST_JSON_1),
        ir::Protocol::AwsJson1_0 => Some(&aws_json::AWS_JSON_1_0),
        ir::Protocol::AwsJson1_1 => Some(&aws_json::AWS_JSON_1_1),
        ir::Protocol::RestXml { .. } => Some(&rest_xml::REST_XML),
        ir::Protocol::AwsQuery => Some(&aws_query::AWS_QUERY),
        ir::Protocol::Ec2Query => Some(&aws_query::EC2_QUERY),
        ir::Protocol::Unsupported(_) | ir::Protocol::None => None,
    }
}

/// The model's protocol; see [`for_protocol`].
pub fn for_model(model: &Model) -> Option<&'static dyn Protocol> {
    for_protocol(&model.service.protocol)
}
