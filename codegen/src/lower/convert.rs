//! Pass: turn the resolved AST shapes of the closure into IR shapes and
//! operations, reading every trait the generator uses into a typed value.
//! Names are left empty here; [`crate::naming`] assigns them.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{self, MemberDef, Shape as AstShape};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{
    Constraints, EnumValue, HttpBinding, IntEnumValue, Member, Operation, Protocol, Role, Service, Shape, ShapeKind,
    Simple, XmlMember,
};
use crate::traits::{self as t, ErrorFault, Site, TimestampFormat, TraitReader};

/// Protocol traits the generator knows by name but cannot serialize yet.
const OTHER_PROTOCOLS: &[&str] = &["smithy.protocols#rpcv2Cbor"];

pub fn convert_service(id: &str, shapes: &BTreeMap<String, AstShape>, diagnostics: &mut Diagnostics) -> Option<Service> {
    let Some(AstShape::Service(svc)) = shapes.get(id) else { return None };
    let mut r = TraitReader::new(&svc.traits, Site { shape: id, member: None }, diagnostics);
    let protocol = if svc.traits.contains_key(t::REST_JSON1) {
        Protocol::RestJson1
    } else if svc.traits.contains_key(t::AWS_JSON1_0) {
        Protocol::AwsJson1_0
    } else if svc.traits.contains_key(t::AWS_JSON1_1) {
        Protocol::AwsJson1_1
    } else if let Some(rest_xml) = r.record::<t::RestXml>(t::REST_XML) {
        Protocol::RestXml { no_error_wrapping: rest_xml.no_error_wrapping }
    } else if svc.traits.contains_key(t::AWS_QUERY) {
        Protocol::AwsQuery
    } else if svc.traits.contains_key(t::EC2_QUERY) {
        Protocol::Ec2Query
    } else if let Some(other) = OTHER_PROTOCOLS.iter().find(|p| svc.traits.contains_key(**p)) {
        Protocol::Unsupported((*other).to_string())
    } else {
        Protocol::None
    };
    let versions = [t::REST_JSON1, t::AWS_JSON1_0, t::AWS_JSON1_1, t::REST_XML]
        .into_iter()
        .find(|trait_id| svc.traits.contains_key(*trait_id))
        .and_then(|trait_id| r.structured::<t::ProtocolHttpVersions>(trait_id))
        .unwrap_or_default();
    Some(Service {
        id: id.to_string(),
        version: svc.version.clone(),
        title: r.string(t::TITLE),
        docs: r.string(t::DOCUMENTATION),
        protocol,
        query_compatible: r.flag(t::AWS_QUERY_COMPATIBLE),
        sigv4_name: r.structured::<t::Sigv4>(t::SIGV4).map(|s| s.name),
        auth: Vec::new(),
        sdk_id: r.structured::<t::AwsService>(t::AWS_SERVICE).map(|s| s.sdk_id),
        endpoint_rule_set: r.raw(t::ENDPOINT_RULE_SET),
        endpoint_tests: r.raw(t::ENDPOINT_TESTS),
        paginated: r.record(t::PAGINATED),
        rename: svc.rename.clone(),
        rust_name: String::new(),
        client_context_params: Vec::new(),
        xml_namespace: r.record(t::XML_NAMESPACE),
        event_streams_need_h2: versions.event_streams_need_h2(),
    })
}

pub fn convert_operation(
    id: &str,
    shapes: &BTreeMap<String, AstShape>,
    service: &Service,
    service_errors: &[String],
    diagnostics: &mut Diagnostics,
) -> Option<Operation> {
    let Some(AstShape::Operation(op)) = shapes.get(id) else { return None };
    let mut r = TraitReader::new(&op.traits, Site { shape: id, member: None }, diagnostics);
    let paginated = r.record::<t::Paginated>(t::PAGINATED).map(|own| {
        let inherited = service.paginated.clone().unwrap_or_default();
        t::Paginated {
            input_token: own.input_token.or(inherited.input_token),
            output_token: own.output_token.or(inherited.output_token),
            items: own.items.or(inherited.items),
            page_size: own.page_size.or(inherited.page_size),
        }
    });
    let flexible_checksums = r.record::<t::HttpChecksum>(t::HTTP_CHECKSUM);
    let mut errors: Vec<String> = op.errors.iter().map(|e| e.target.clone()).collect();
    for e in service_errors {
        if !errors.contains(e) {
            errors.push(e.clone());
        }
    }
    let operation = Operation {
        id: id.to_string(),
        name: crate::ir::local_name(id).to_string(),
        rust_module: String::new(),
        input: op.input.as_ref().map_or_else(|| crate::lower::prelude::UNIT.to_string(), |r| r.target.clone()),
        output: op.output.as_ref().map_or_else(|| crate::lower::prelude::UNIT.to_string(), |r| r.target.clone()),
        errors,
        http: r.record(t::HTTP),
        paginated,
        idempotent: r.has("smithy.api#idempotent"),
        readonly: r.has("smithy.api#readonly"),
        auth: Vec::new(),
        optional_auth: r.flag(t::OPTIONAL_AUTH),
        waiters: Vec::new(),
        checksum_required: r.has(t::HTTP_CHECKSUM_REQUIRED)
            || flexible_checksums.as_ref().is_some_and(|c| c.request_checksum_required),
        flexible_checksums: flexible_checksums.is_some(),
        unwrapped_xml_output: r.has("aws.customizations#s3UnwrappedXmlOutput"),
        request_compression: r.request_compression(),
        host_prefix: r.record::<t::Endpoint>(t::ENDPOINT).map(|e| e.host_prefix),
        docs: r.string(t::DOCUMENTATION),
        deprecated: r.record(t::DEPRECATED),
        rust_error_name: String::new(),
        unsupported: None,
        endpoint_params: Vec::new(),
        unsigned_payload: r.has(t::UNSIGNED_PAYLOAD),
        http2: false,
        request_tests: r.structured(crate::protocol_test_cases::HTTP_REQUEST_TESTS).unwrap_or_default(),
        response_tests: r.structured(crate::protocol_test_cases::HTTP_RESPONSE_TESTS).unwrap_or_default(),
    };
    Some(operation)
}

/// Converts every data shape of the closure.
pub fn convert_shapes(
    closure: &BTreeSet<String>,
    shapes: &BTreeMap<String, AstShape>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Shape> {
    let mut out = BTreeMap::new();
    for id in closure {
        let Some(shape) = shapes.get(id) else { continue };
        if let Some(converted) = convert_shape(id, shape, shapes, diagnostics) {
            out.insert(id.clone(), converted);
        }
    }
    out
}

fn convert_shape(
    id: &str,
    shape: &AstShape,
    shapes: &BTreeMap<String, AstShape>,
    diagnostics: &mut Diagnostics,
) -> Option<Shape> {
    let traits = shape.traits();
    let mut r = TraitReader::new(traits, Site { shape: id, member: None }, diagnostics);
    let docs = r.string(t::DOCUMENTATION);
    let sensitive = r.flag(t::SENSITIVE);
    let deprecated = r.record(t::DEPRECATED);
    let constraints = read_constraints(&mut r);
    let timestamp_format = TimestampFormat::read(&mut r);
    let http_error = r.integer(t::HTTP_ERROR).and_then(|code| u16::try_from(code).ok());
    let media_type = r.string(t::MEDIA_TYPE);
    let fault = if r.has(t::ERROR) { ErrorFault::read(&mut r) } else { None };
    let legacy_enum: Option<Vec<t::LegacyEnumEntry>> = r.structured(t::LEGACY_ENUM);
    let streaming = r.has(t::STREAMING);
    let requires_length = r.has(t::REQUIRES_LENGTH);
    let unit = r.has("smithy.api#unitType");
    let query_error = r.record(t::AWS_QUERY_ERROR);
    let error_tests = r.structured(crate::protocol_test_cases::HTTP_RESPONSE_TESTS).unwrap_or_default();
    let xml_name = r.string(t::XML_NAME);
    let xml_namespace = r.record(t::XML_NAMESPACE);
    let retryable = r.record(t::RETRYABLE);
    let kind = match shape {
        AstShape::Blob(_) => ShapeKind::Simple(Simple::Blob),
        AstShape::Boolean(_) => ShapeKind::Simple(Simple::Boolean),
        AstShape::String(_) => match legacy_enum {
            Some(entries) => ShapeKind::Enum(
                entries
                    .into_iter()
                    .map(|e| EnumValue {
                        name: e.name.unwrap_or_else(|| e.value.clone()),
                        value: e.value,
                        rust_name: String::new(),
                        docs: e.documentation,
                        deprecated: e.deprecated.then(Default::default),
                    })
                    .collect(),
            ),
            None => ShapeKind::Simple(Simple::String),
        },
        AstShape::Byte(_) => ShapeKind::Simple(Simple::Byte),
        AstShape::Short(_) => ShapeKind::Simple(Simple::Short),
        AstShape::Integer(_) => ShapeKind::Simple(Simple::Integer),
        AstShape::Long(_) => ShapeKind::Simple(Simple::Long),
        AstShape::Float(_) => ShapeKind::Simple(Simple::Float),
        AstShape::Double(_) => ShapeKind::Simple(Simple::Double),
        AstShape::BigInteger(_) => ShapeKind::Simple(Simple::BigInteger),
        AstShape::BigDecimal(_) => ShapeKind::Simple(Simple::BigDecimal),
        AstShape::Timestamp(_) => ShapeKind::Simple(Simple::Timestamp),
        AstShape::Document(_) => ShapeKind::Simple(Simple::Document),
        AstShape::Enum(s) => ShapeKind::Enum(convert_enum_values(id, &s.members, diagnostics)),
        AstShape::IntEnum(s) => ShapeKind::IntEnum(convert_int_enum_values(id, &s.members, diagnostics)),
        AstShape::List(s) | AstShape::Set(s) => ShapeKind::List {
            member: convert_member(id, "member", &s.member, shapes, diagnostics),
            sparse: s.traits.contains_key(t::SPARSE),
        },
        AstShape::Map(s) => ShapeKind::Map {
            key: convert_member(id, "key", &s.key, shapes, diagnostics),
            value: convert_member(id, "value", &s.value, shapes, diagnostics),
            sparse: s.traits.contains_key(t::SPARSE),
        },
        AstShape::Structure(s) => ShapeKind::Structure(convert_members(id, &s.members, shapes, diagnostics)),
        AstShape::Union(s) => {
            if s.members.0.is_empty() {
                diagnostics.push(Diagnostic::shape(id, "a union needs at least one member"));
            }
            ShapeKind::Union(convert_members(id, &s.members, shapes, diagnostics))
        }
        AstShape::Service(_) | AstShape::Operation(_) | AstShape::Resource(_) | AstShape::Apply(_) => return None,
    };
    let constraints = Constraints { unique_items: constraints.unique_items || matches!(shape, AstShape::Set(_)), ..constraints };
    Some(Shape {
        id: id.to_string(),
        kind,
        role: match fault {
            Some(fault) => Role::Error(fault),
            None => Role::Data,
        },
        rust_name: String::new(),
        docs,
        sensitive,
        deprecated,
        constraints,
        timestamp_format,
        http_error,
        media_type,
        unit,
        streaming,
        requires_length,
        query_error,
        error_tests,
        xml_name,
        xml_namespace,
        retryable,
    })
}

fn read_constraints(r: &mut TraitReader<'_>) -> Constraints {
    Constraints {
        length: r.record(t::LENGTH),
        range: r.record(t::RANGE),
        pattern: r.string(t::PATTERN),
        unique_items: r.flag(t::UNIQUE_ITEMS),
    }
}

fn convert_members(
    id: &str,
    members: &ast::Members,
    shapes: &BTreeMap<String, AstShape>,
    diagnostics: &mut Diagnostics,
) -> Vec<Member> {
    members.0.iter().map(|(name, def)| convert_member(id, name, def, shapes, diagnostics)).collect()
}

fn convert_member(
    id: &str,
    name: &str,
    def: &MemberDef,
    shapes: &BTreeMap<String, AstShape>,
    diagnostics: &mut Diagnostics,
) -> Member {
    let default = match (def.traits.get(t::DEFAULT), shapes.get(&def.target)) {
        (Some(value), Some(target)) => super::defaults::lower_default(id, name, value, target, diagnostics),
        _ => None,
    };
    let mut r = TraitReader::new(&def.traits, Site { shape: id, member: Some(name) }, diagnostics);
    let http = if let Some(header) = r.string(t::HTTP_HEADER) {
        HttpBinding::Header(header)
    } else if let Some(query) = r.string(t::HTTP_QUERY) {
        HttpBinding::Query(query)
    } else if let Some(prefix) = r.string(t::HTTP_PREFIX_HEADERS) {
        HttpBinding::PrefixHeaders(prefix)
    } else if r.flag(t::HTTP_LABEL) {
        HttpBinding::Label
    } else if r.flag(t::HTTP_QUERY_PARAMS) {
        HttpBinding::QueryParams
    } else if r.flag(t::HTTP_PAYLOAD) {
        HttpBinding::Payload
    } else if r.flag(t::HTTP_RESPONSE_CODE) {
        HttpBinding::ResponseCode
    } else {
        HttpBinding::Body
    };
    Member {
        name: name.to_string(),
        rust_name: String::new(),
        rust_method: String::new(),
        target: def.target.clone(),
        docs: r.string(t::DOCUMENTATION),
        required: r.flag(t::REQUIRED),
        client_optional: r.flag(t::CLIENT_OPTIONAL),
        default,
        http,
        json_name: r.string(t::JSON_NAME),
        xml: XmlMember {
            name: r.string(t::XML_NAME),
            attribute: r.flag(t::XML_ATTRIBUTE),
            flattened: r.flag(t::XML_FLATTENED),
            namespace: r.record(t::XML_NAMESPACE),
            ec2_query_name: r.string(t::EC2_QUERY_NAME),
        },
        timestamp_format: TimestampFormat::read(&mut r),
        idempotency_token: r.flag(t::IDEMPOTENCY_TOKEN),
        host_label: r.flag(t::HOST_LABEL),
        sensitive: r.flag(t::SENSITIVE),
        deprecated: r.record(t::DEPRECATED),
        constraints: read_constraints(&mut r),
        optional: true,
        boxed: false,
        stream: None,
        event_header: r.flag(t::EVENT_HEADER),
        event_payload: r.flag(t::EVENT_PAYLOAD),
    }
}

fn convert_enum_values(id: &str, members: &ast::Members, diagnostics: &mut Diagnostics) -> Vec<EnumValue> {
    let mut values = Vec::new();
    for (name, def) in &members.0 {
        let mut r = TraitReader::new(&def.traits, Site { shape: id, member: Some(name) }, diagnostics);
        values.push(EnumValue {
            name: name.clone(),
            value: r.string(t::ENUM_VALUE).unwrap_or_else(|| name.clone()),
            rust_name: String::new(),
            docs: r.string(t::DOCUMENTATION),
            deprecated: r.record(t::DEPRECATED),
        });
    }
    values
}

fn convert_int_enum_values(id: &str, members: &ast::Members, diagnostics: &mut Diagnostics) -> Vec<IntEnumValue> {
    let mut values = Vec::new();
    for (name, def) in &members.0 {
        let mut r = TraitReader::new(&def.traits, Site { shape: id, member: Some(name) }, diagnostics);
        let Some(value) = r.integer(t::ENUM_VALUE) else {
            if !r.has(t::ENUM_VALUE) {
                diagnostics.push(Diagnostic::member(id, name, "intEnum members need an integer @enumValue"));
            }
            continue;
        };
        values.push(IntEnumValue {
            name: name.clone(),
            value,
            rust_name: String::new(),
            docs: r.string(t::DOCUMENTATION),
            deprecated: r.record(t::DEPRECATED),
        });
    }
    values
}
