//! Emitters: one per output concern, each returning tokens. [`emit_crate`]
//! puts their output into files and formats each in-process.

pub mod aggregates;
pub mod cargo_toml;
pub mod client;
pub mod doc_comments;
pub mod embedded;
pub mod endpoint_params;
pub mod enums;
pub mod error_correction;
pub mod errors;
pub mod event_streams;
pub mod examples;
pub mod fluent_builders;
pub mod format;
pub mod http_request;
pub mod http_response;
pub mod http_values;
pub mod json_deserializers;
pub mod json_serializers;
pub mod modules;
pub mod operation_errors;
pub mod operations;
pub mod paginators;
pub mod protocol_tests;
pub mod query_serializers;
pub mod readme;
pub mod structures;
pub mod unions;
pub mod waiters;
pub mod xml_deserializers;
pub mod xml_serializers;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{AuthScheme, Model, Protocol, Role, ShapeKind};
use crate::protocols::BodyCodec;
use crate::symbols::Symbols;

pub use format::{Emitter, FileReady, RustFile};

/// How the generated crate is named and versioned and where it finds the
/// runtime. [`CrateOptions::new`] fills the usual defaults.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// The package name, e.g. `ivs-realtime`.
    pub crate_name: String,
    /// The package version (`0.1.0` unless told otherwise).
    pub version: String,
    /// Path of the runtime crate as written in `Cargo.toml` (relative to the
    /// generated crate, or absolute); `None` to depend on a published
    /// runtime by version only.
    pub runtime_path: Option<String>,
    /// The runtime version required (with or without the path); `None` for
    /// a path-only dependency, which `cargo publish` refuses.
    pub runtime_version: Option<String>,
    /// `repository` in the crate's `Cargo.toml`, when known.
    pub repository: Option<String>,
    /// Add an empty `[workspace]` so the crate builds on its own, outside any workspace.
    pub standalone: bool,
    /// The model file named in every file's header line.
    pub model_source: String,
    /// The service to generate when the model has several (its shape id).
    pub service: Option<String>,
    /// Also emit `src/protocol_tests.rs`: the model's `smithy.test` cases as
    /// `#[cfg(test)]` tests (used by `cargo xtask conformance`).
    pub protocol_tests: bool,
    /// Write the client as a module tree at this path of the runtime crate
    /// (e.g. `auth::credentials::clients::sts`) instead of a crate: no
    /// `Cargo.toml`, README, examples or crate attributes, and `crate::`
    /// paths rewritten for the module (see [`embedded`]).
    pub embedded_module: Option<String>,
}

/// The runtime version generated crates ask for by default: the
/// generator's own, as the two are released together.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

impl CrateOptions {
    /// Options for crate `crate_name` from `model_source`, version 0.1.0,
    /// depending on the runtime at `runtime_path` and [`RUNTIME_VERSION`];
    /// inside a workspace, one service, no protocol tests.
    pub fn new(crate_name: impl Into<String>, runtime_path: impl Into<String>, model_source: impl Into<String>) -> Self {
        CrateOptions {
            crate_name: crate_name.into(),
            version: "0.1.0".to_string(),
            runtime_path: Some(runtime_path.into()),
            runtime_version: Some(RUNTIME_VERSION.to_string()),
            repository: None,
            standalone: false,
            model_source: model_source.into(),
            service: None,
            protocol_tests: false,
            embedded_module: None,
        }
    }
}

/// The files of a generated crate (path relative to the crate root → contents)
/// and the parts that were left out, each with the reason.
#[derive(Debug, Clone, Default)]
pub struct GeneratedCrate {
    pub files: BTreeMap<String, String>,
    pub left_out: Vec<String>,
    /// Problems in the model that did not stop generation, one line each.
    pub warnings: Vec<String>,
}

pub fn emit_crate(model: &Model, options: &CrateOptions) -> Result<GeneratedCrate, Diagnostics> {
    emit_crate_with(model, options, &|_, _| {})
}

/// [`emit_crate`], telling `on_file` of each Rust file (its final path and
/// text) as soon as it is formatted, while the others are still being
/// formatted: a writer can overlap writing with formatting.
pub fn emit_crate_with(model: &Model, options: &CrateOptions, on_file: &FileReady<'_>) -> Result<GeneratedCrate, Diagnostics> {
    let symbols = Symbols::new(model);
    let symbols = &symbols;
    let mut generated = GeneratedCrate::default();
    let mut rust_files: Vec<RustFile<'_>> = Vec::new();
    let protocol = crate::protocols::for_model(model);
    let with_client = protocol.is_some();
    let ser_codec = protocol.and_then(|p| p.request_codec()).filter(|&codec| !aggregates::shapes_needing_ser(model, codec).is_empty());
    let query_ser = protocol.is_some_and(|p| p.form_requests()) && !query_serializers::shapes_needing_query_ser(model).is_empty();
    let de_codec = protocol.map(|p| p.response_codec()).filter(|&codec| !aggregates::shapes_needing_de(model, codec).is_empty());
    // Unions that are the event streams of callable operations: emitted
    // with their exceptions in an error enum of their own.
    let event_unions: BTreeSet<String> = model.event_streams().into_iter().map(|(union, _)| union.id.clone()).collect();
    // Only a received stream can carry exceptions: those unions get an error enum.
    let received_unions: BTreeSet<String> = model
        .event_streams()
        .into_iter()
        .filter(|(_, kind)| *kind == crate::ir::StreamKind::OutputEvents)
        .map(|(union, _)| union.id.clone())
        .collect();
    let with_event_streams = with_client && !event_unions.is_empty();
    let body_modules: Vec<&str> = ser_codec
        .map(BodyCodec::ser_module)
        .into_iter()
        .chain(query_ser.then_some("query_ser"))
        .chain(de_codec.map(BodyCodec::de_module))
        .chain(with_event_streams.then_some("event_streams"))
        .collect();
    let protocol_tests = with_client && options.protocol_tests;
    let with_waiters = with_client && waiters::generated(model).next().is_some();
    let crate_name = options.crate_name.as_str();
    let embedded = options.embedded_module.as_deref().map(embedded::module_segments);
    let is_embedded = embedded.is_some();
    generated.left_out = left_out(model);
    let left_out = generated.left_out.as_slice();
    rust_files.push(RustFile::new("src/lib.rs", move || {
        let modules = modules::LibModules {
            with_client,
            body_modules: &body_modules,
            protocol_tests,
            waiters: with_waiters,
            embedded: is_embedded,
        };
        modules::lib_rs(model, crate_name, modules, left_out)
    }));
    if let Some(protocol) = protocol {
        rust_files.push(RustFile::new("src/client.rs", move || client::client_rs(symbols)));
        rust_files.push(RustFile::new("src/config.rs", move || client::config_rs(model, protocol)));
        match ser_codec {
            Some(BodyCodec::Json) => rust_files.push(RustFile::new("src/json_ser.rs", move || json_serializers::json_ser_module(symbols))),
            Some(BodyCodec::Xml) => rust_files.push(RustFile::new("src/xml_ser.rs", move || xml_serializers::xml_ser_module(symbols))),
            None => {}
        }
        if query_ser {
            rust_files.push(RustFile::new("src/query_ser.rs", move || query_serializers::query_ser_module(symbols)));
        }
        match de_codec {
            Some(BodyCodec::Json) => rust_files.push(RustFile::new("src/json_de.rs", move || json_deserializers::json_de_module(symbols))),
            Some(BodyCodec::Xml) => rust_files.push(RustFile::new("src/xml_de.rs", move || xml_deserializers::xml_de_module(symbols))),
            None => {}
        }
        if with_event_streams {
            rust_files.push(RustFile::new("src/event_streams.rs", move || event_streams::event_streams_module(symbols)));
        }
        if with_waiters {
            rust_files.push(RustFile::new("src/waiters.rs", move || waiters::waiters_rs(symbols)));
        }
        if options.protocol_tests {
            rust_files.push(RustFile::new("src/protocol_tests.rs", move || protocol_tests::protocol_tests_module(symbols)));
        }
        if let Some(rules) = client::endpoint_rules_json(model) {
            generated.files.insert("src/endpoint_rules.json".to_string(), rules);
        }
    }
    rust_files.push(RustFile::new("src/primitives.rs", move || modules::primitives_rs(model)));

    let mut type_modules = Vec::new();
    let mut error_modules = Vec::new();
    for shape in model.shapes.values() {
        let emit: Emitter<'_> = match (&shape.role, &shape.kind) {
            (Role::Data, ShapeKind::Structure(_)) => Box::new(move || structures::structure(symbols, shape)),
            (Role::Data, ShapeKind::Union(members)) if event_unions.contains(&shape.id) => {
                let received = received_unions.contains(&shape.id);
                Box::new(move || {
                    let events = event_streams::event_members(model, members);
                    let union = unions::union(symbols, shape, &events);
                    let error = if received { event_streams::event_stream_error(symbols, shape) } else { quote::quote!() };
                    quote::quote! { #union #error }
                })
            }
            (Role::Data, ShapeKind::Union(members)) => Box::new(move || unions::union(symbols, shape, members)),
            (Role::Data, ShapeKind::Enum(values)) => Box::new(move || enums::string_enum(shape, values)),
            (Role::Data, ShapeKind::IntEnum(values)) => Box::new(move || enums::int_enum(shape, values)),
            (Role::Error(_), _) => Box::new(move || errors::error(symbols, shape)),
            _ => continue,
        };
        let module = symbols.file_module(shape);
        let file = crate::naming::unraw(&module).to_string();
        let builder = matches!(shape.kind, ShapeKind::Structure(_)).then(|| symbols.builder_name(shape));
        if received_unions.contains(&shape.id) {
            let name = crate::naming::event_stream_error_name(&shape.rust_name);
            type_modules.push(modules::Reexport { module: module.clone(), name, builder: None });
        }
        let reexport = modules::Reexport { module, name: shape.rust_name.clone(), builder };
        match shape.role {
            Role::Error(_) => {
                rust_files.push(RustFile { path: format!("src/error/{file}.rs"), emit });
                error_modules.push(reexport);
            }
            _ => {
                rust_files.push(RustFile { path: format!("src/types/{file}.rs"), emit });
                type_modules.push(reexport);
            }
        }
    }
    rust_files.push(RustFile::new("src/types/mod.rs", move || {
        modules::reexporting_mod_rs("Structures, enums and unions shared by the operations.", &type_modules, quote::quote!())
    }));
    rust_files.push(RustFile::new("src/error/mod.rs", move || {
        modules::reexporting_mod_rs(
            "The errors the service models, and the error a builder returns.",
            &error_modules,
            quote::quote! { pub use ::smithy_runtime::BuildError; },
        )
    }));
    let mut op_modules = Vec::new();
    for op in &model.operations {
        let file = crate::naming::unraw(&op.rust_module);
        rust_files.push(RustFile::new(&format!("src/operation/{file}.rs"), move || operations::operation_module(symbols, op)));
        op_modules.push(op.rust_module.clone());
    }
    rust_files.push(RustFile::new("src/operation/mod.rs", move || modules::operation_mod_rs(&op_modules)));

    let on_formatted = |path: &str, text: &str| match &embedded {
        Some(_) => {
            if let Some(path) = embedded::file_path(path) {
                on_file(&path, text);
            }
        }
        None => on_file(path, text),
    };
    if with_client {
        generated.files.extend(examples::example_files(model, &options.crate_name, &options.model_source));
    }
    generated.files.insert("Cargo.toml".to_string(), cargo_toml::cargo_toml(model, options));
    generated.files.insert("README.md".to_string(), readme::readme(model, options, with_client, &generated.left_out));
    let mut diagnostics = Diagnostics::default();
    let formatted = format::emit_all(rust_files, &generated.files, &options.model_source, embedded.as_deref(), &on_formatted);
    for (path, result) in formatted {
        match result {
            Ok(text) => {
                generated.files.insert(path, text);
            }
            Err(e) => diagnostics.push(Diagnostic::model(format!("internal error: generated {path} does not parse: {e}"))),
        }
    }
    generated.warnings = model.warnings.iter().map(ToString::to_string).collect();
    if embedded.is_some() {
        let files = std::mem::take(&mut generated.files);
        for (path, text) in files {
            if let Some(path) = embedded::file_path(&path) {
                generated.files.insert(path, text);
            }
        }
    }
    diagnostics.into_result(generated)
}

/// What this generator does not produce for the model, or does only in
/// part, said plainly: one line each, printed by `cargo xtask codegen` and
/// listed on the crate's front page.
pub fn left_out(model: &Model) -> Vec<String> {
    let with_client = crate::protocols::for_model(model).is_some();
    let mut lines = Vec::new();
    if !with_client {
        lines.push(match &model.service.protocol {
            Protocol::None => "the service declares no protocol trait: only the types were generated".to_string(),
            other => format!(
                "protocol `{}` is not supported yet: only the types were generated (no serializers, deserializers or client)",
                other.name()
            ),
        });
    }
    for op in &model.operations {
        if let Some(reason) = &op.unsupported {
            lines.push(format!("{reason}: the client has no method for it, only its input and output types"));
            continue;
        }
        if with_client {
            lines.extend(stream_limits(model, op).map(|what| format!("operation `{}`: {what}", op.name)));
        }
        if !with_client && !op.waiters.is_empty() {
            lines.push(format!(
                "operation `{}`: its waiters ({}) are not generated (`smithy.waiters#waitable`)",
                op.name,
                op.waiters.iter().map(|w| format!("`{}`", w.name)).collect::<Vec<_>>().join(", ")
            ));
        }
        if with_client {
            lines.extend(waiters::left_out(op));
        }
    }
    if with_client {
        lines.extend(unsupported_auth_schemes(model));
        lines.extend(unsupported_endpoint_auth_schemes(model));
        lines.extend(flexible_checksums(model));
        lines.extend(s3_chunked_signing(model));
        lines.extend(paginators::left_out(model));
    }
    lines
}

/// S3 signs large uploads chunk by chunk (`aws-chunked`); this client
/// sends a streaming body as it is, hashed up front when it can be read
/// twice (bytes, files) and `UNSIGNED-PAYLOAD` otherwise.
fn s3_chunked_signing(model: &Model) -> Option<String> {
    let s3 = model.service.sigv4_name.as_deref() == Some("s3");
    let uploads = model.operations.iter().any(|op| {
        op.unsupported.is_none() && model.stream_member(&op.input).is_some_and(|m| m.stream == Some(crate::ir::StreamKind::Blob))
    });
    (s3 && uploads).then(|| {
        "S3's chunked upload signing (`aws-chunked`, `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) is not used: a streaming \
         request body is signed with its hash when it is in memory or a file, else as `UNSIGNED-PAYLOAD`"
            .to_string()
    })
}

/// Operations offering flexible checksums, which the client neither
/// computes nor validates (those that require a request checksum get
/// `Content-MD5` instead).
fn flexible_checksums(model: &Model) -> Option<String> {
    let ops: Vec<String> = model
        .operations
        .iter()
        .filter(|op| op.unsupported.is_none() && op.flexible_checksums)
        .map(|op| format!("`{}`", op.name))
        .collect();
    (!ops.is_empty()).then(|| {
        format!(
            "flexible checksums (`aws.protocols#httpChecksum`) are neither sent nor validated; operations that \
             require a request checksum send `Content-MD5` instead: {}",
            ops.join(", ")
        )
    })
}

/// Auth schemes named by the endpoint rules (`authSchemes` of an
/// endpoint's properties) that the runtime cannot sign with, such as S3
/// Express One Zone's `sigv4-s3express` or `sigv4a`.
fn unsupported_endpoint_auth_schemes(model: &Model) -> Vec<String> {
    fn collect<'v>(value: &'v serde_json::Value, names: &mut BTreeSet<&'v str>) {
        match value {
            serde_json::Value::Object(fields) => {
                if let Some(serde_json::Value::Array(schemes)) = fields.get("authSchemes") {
                    names.extend(schemes.iter().filter_map(|s| s.get("name")?.as_str()));
                }
                fields.values().for_each(|v| collect(v, names));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
            _ => {}
        }
    }
    let mut names = BTreeSet::new();
    if let Some(rules) = &model.service.endpoint_rule_set {
        collect(rules, &mut names);
    }
    names
        .into_iter()
        .filter(|name| *name != "sigv4")
        .map(|name| {
            format!(
                "endpoint auth scheme `{name}` is not supported: a call whose endpoint the rules resolve with only \
                 that scheme fails with an endpoint error"
            )
        })
        .collect()
}

/// What a callable operation's streams lack, one sentence each; for the
/// left-out list and the operation's module docs.
pub fn stream_limits<'m>(model: &'m Model, op: &'m crate::ir::Operation) -> impl Iterator<Item = String> + 'm {
    let input = model.stream_member(&op.input);
    let output = model.stream_member(&op.output);
    let unhashed = (op.checksum_required && input.is_some())
        .then(|| "its request checksum (`Content-MD5`) is not sent: the streaming body is not read up front".to_string());
    let awsjson_outputs = match (&model.service.protocol, &model.shape(&op.output).kind) {
        (crate::ir::Protocol::AwsJson1_0 | crate::ir::Protocol::AwsJson1_1, ShapeKind::Structure(members))
            if output.is_some() && members.len() > 1 =>
        {
            Some("the output members besides the event stream (sent in its `initial-response` message) are not read".to_string())
        }
        _ => None,
    };
    unhashed.into_iter().chain(awsjson_outputs)
}

/// Auth schemes the runtime cannot use, each with the operations that accept it.
fn unsupported_auth_schemes(model: &Model) -> Vec<String> {
    let mut users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for op in model.operations.iter().filter(|op| op.unsupported.is_none()) {
        for scheme in &op.auth {
            if let AuthScheme::Other(id) = scheme {
                users.entry(id).or_default().push(&op.name);
            }
        }
    }
    users
        .into_iter()
        .map(|(id, ops)| {
            format!(
                "auth scheme `{id}` is not supported: calls to {} fail with a credentials error unless another of \
                 their schemes can be used",
                ops.iter().map(|op| format!("`{op}`")).collect::<Vec<_>>().join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::left_out;
    use crate::lower::tests::lower_str;

    #[test]
    fn generated_crates_ask_for_the_runtime_version_of_this_checkout() {
        let manifest = include_str!("../../../runtime/Cargo.toml");
        let version = manifest
            .lines()
            .find_map(|line| line.strip_prefix("version = "))
            .map(|v| v.trim_matches('"'));
        assert_eq!(version, Some(super::RUNTIME_VERSION), "runtime and generator are released together");
    }

    #[test]
    fn an_unsupported_protocol_is_the_one_line_besides_waiters() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Get"}],
                          "traits": {"smithy.protocols#rpcv2Cbor": {}, "a#keyAuth": {}}},
                "a#keyAuth": {"type": "structure", "traits": {"smithy.api#trait": {}, "smithy.api#authDefinition": {}}},
                "a#Get": {"type": "operation", "traits": {"smithy.waiters#waitable": {"Ready": {"acceptors": []}}}}}"#,
        );
        assert_eq!(
            left_out(&model),
            [
                "protocol `rpcv2Cbor` is not supported yet: only the types were generated (no serializers, deserializers or client)",
                "operation `Get`: its waiters (`Ready`) are not generated (`smithy.waiters#waitable`)",
            ],
            "no client, so nothing about auth schemes or paginators"
        );
    }

    #[test]
    fn an_embedded_client_is_a_module_tree_with_its_paths_rewritten() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Get"}],
                          "traits": {"aws.protocols#restJson1": {}, "aws.auth#sigv4": {"name": "svc"}}},
                "a#Get": {"type": "operation", "output": {"target": "a#GetOut"},
                          "traits": {"smithy.api#http": {"method": "GET", "uri": "/g"}}},
                "a#GetOut": {"type": "structure", "members": {"tag": {"target": "a#Tag"}}},
                "a#Tag": {"type": "structure", "members": {"key": {"target": "smithy.api#String"}}}}"#,
        );
        let options = super::CrateOptions {
            embedded_module: Some("auth::credentials::clients::svc".to_string()),
            ..super::CrateOptions::new("svc", "../runtime", "m.json")
        };
        let generated = super::emit_crate(&model, &options).expect("generates");
        assert!(generated.files.keys().all(|path| !path.starts_with("src/") && !path.starts_with("examples/")));
        assert!(!generated.files.contains_key("Cargo.toml") && !generated.files.contains_key("README.md"));
        let root = &generated.files["mod.rs"];
        assert!(!root.contains("#![") && !root.contains("## Quick start") && !root.contains("```"), "{root}");
        assert!(root.contains("pub mod operation;"), "{root}");
        let with_crate_paths: Vec<&String> =
            generated.files.iter().filter(|(_, text)| text.contains("crate::")).map(|(path, _)| path).collect();
        assert!(!with_crate_paths.is_empty());
        for (path, text) in &generated.files {
            let stray = text.match_indices("crate::").any(|(at, _)| !text[at..].starts_with("crate::auth::credentials::clients::svc::"));
            assert!(!stray, "{path} names a crate:: path outside the module:\n{text}");
            assert!(!text.contains("feature = \"serde\""), "{path} keeps a serde attribute");
        }
    }

    #[test]
    fn s3_uploads_say_they_are_signed_whole() {
        let model = |signing_name: &str| {
            lower_str(&format!(
                r#"{{"a#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "a#Put"}}],
                              "traits": {{"aws.protocols#restXml": {{}}, "aws.auth#sigv4": {{"name": "{signing_name}"}}}}}},
                    "a#Put": {{"type": "operation", "input": {{"target": "a#PutIn"}},
                               "traits": {{"smithy.api#http": {{"method": "PUT", "uri": "/p"}}}}}},
                    "a#PutIn": {{"type": "structure", "members": {{
                        "body": {{"target": "a#Bytes", "traits": {{"smithy.api#httpPayload": {{}}}}}}}}}},
                    "a#Bytes": {{"type": "blob", "traits": {{"smithy.api#streaming": {{}}}}}}}}"#
            ))
        };
        let chunked = |name: &str| left_out(&model(name)).iter().any(|line| line.contains("aws-chunked"));
        assert!(chunked("s3"));
        assert!(!chunked("glacier"), "only S3 signs uploads in chunks");
    }

    #[test]
    fn flexible_checksums_and_endpoint_auth_schemes_are_said_and_a_required_checksum_becomes_content_md5() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Put"}, {"target": "a#Get"}],
                          "traits": {"aws.protocols#restJson1": {}, "aws.auth#sigv4": {"name": "svc"},
                                     "smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {}, "rules": [
                                         {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://a.example",
                                          "properties": {"authSchemes": [{"name": "sigv4-s3express"}, {"name": "sigv4"}]}}}]}}},
                "a#Put": {"type": "operation", "traits": {"smithy.api#http": {"method": "PUT", "uri": "/p"},
                          "aws.protocols#httpChecksum": {"requestChecksumRequired": true, "requestAlgorithmMember": "algo"}}},
                "a#Get": {"type": "operation", "traits": {"smithy.api#http": {"method": "GET", "uri": "/g"},
                          "aws.protocols#httpChecksum": {"responseAlgorithms": ["CRC32"]}}}}"#,
        );
        assert_eq!(
            left_out(&model),
            [
                "endpoint auth scheme `sigv4-s3express` is not supported: a call whose endpoint the rules resolve \
                 with only that scheme fails with an endpoint error",
                "flexible checksums (`aws.protocols#httpChecksum`) are neither sent nor validated; operations that \
                 require a request checksum send `Content-MD5` instead: `Get`, `Put`",
            ]
        );
        let required: Vec<bool> = model.operations.iter().map(|op| op.checksum_required).collect();
        assert_eq!(required, [false, true], "Put requires a request checksum, Get does not");
    }

    #[test]
    fn streams_are_called_and_a_callable_operation_says_what_it_lacks() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Watch"}, {"target": "a#Put"}],
                          "traits": {"aws.protocols#restJson1": {}, "a#keyAuth": {}}},
                "a#keyAuth": {"type": "structure", "traits": {"smithy.api#trait": {}, "smithy.api#authDefinition": {}}},
                "a#Watch": {"type": "operation", "input": {"target": "a#WatchIn"}, "output": {"target": "a#Data"},
                            "traits": {"smithy.api#http": {"method": "POST", "uri": "/w"},
                                       "smithy.waiters#waitable": {"Done": {"acceptors": []}}}},
                "a#WatchIn": {"type": "structure", "members": {
                    "events": {"target": "a#Events", "traits": {"smithy.api#httpPayload": {}}}}},
                "a#Events": {"type": "union", "members": {"tick": {"target": "a#Data"}}, "traits": {"smithy.api#streaming": {}}},
                "a#Put": {"type": "operation", "input": {"target": "a#PutIn"}, "output": {"target": "a#PutOut"},
                          "traits": {"smithy.api#http": {"method": "PUT", "uri": "/p"}, "smithy.api#httpChecksumRequired": {}}},
                "a#PutIn": {"type": "structure", "members": {"body": {"target": "a#Bytes", "traits": {"smithy.api#httpPayload": {}}}}},
                "a#PutOut": {"type": "structure", "members": {"body": {"target": "a#Bytes", "traits": {"smithy.api#httpPayload": {}}}}},
                "a#Bytes": {"type": "blob", "traits": {"smithy.api#streaming": {}}},
                "a#Data": {"type": "structure"}}"#,
        );
        assert_eq!(
            left_out(&model),
            [
                "operation `Put`: its request checksum (`Content-MD5`) is not sent: the streaming body is not read up front",
                "operation `Watch`: waiter `Done` is not generated: it has no acceptors",
                "auth scheme `a#keyAuth` is not supported: calls to `Put`, `Watch` fail with a credentials error unless \
                 another of their schemes can be used",
            ],
            "streaming blobs and event streams are called, not left out"
        );
        let awsquery = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Watch"}], "traits": {"aws.protocols#awsQuery": {}}},
                "a#Watch": {"type": "operation", "output": {"target": "a#WatchOut"}},
                "a#WatchOut": {"type": "structure", "members": {"events": {"target": "a#Events"}}},
                "a#Events": {"type": "union", "members": {"tick": {"target": "a#Data"}}, "traits": {"smithy.api#streaming": {}}},
                "a#Data": {"type": "structure"}}"#,
        );
        assert_eq!(
            left_out(&awsquery),
            [
                "operation `Watch` uses an event stream (member `events`), and event streams are not supported yet for \
                 protocol `awsQuery`: the client has no method for it, only its input and output types"
            ]
        );
    }
}
