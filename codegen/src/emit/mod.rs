//! Emitters: one per output concern, each returning tokens. [`emit_crate`]
//! puts their output into files and formats each in-process.

pub mod cargo_toml;
pub mod client;
pub mod doc_comments;
pub mod enums;
pub mod errors;
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
pub mod structures;
pub mod unions;

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Model, Protocol, Role, ShapeKind};
use crate::symbols::Symbols;

pub use format::{Emitter, RustFile};

/// How the generated crate is named and where it finds the runtime.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// The package name, e.g. `ivs-realtime`.
    pub crate_name: String,
    /// Path of the runtime crate as written in `Cargo.toml` (relative to the
    /// generated crate, or absolute).
    pub runtime_path: String,
    /// Add an empty `[workspace]` so the crate builds on its own, outside any workspace.
    pub standalone: bool,
    /// The model file named in every file's header line.
    pub model_source: String,
    /// The service to generate when the model has several (its shape id).
    pub service: Option<String>,
    /// Also emit `src/protocol_tests.rs`: the model's `smithy.test` cases as
    /// `#[cfg(test)]` tests (used by `cargo xtask conformance`).
    pub protocol_tests: bool,
}

/// The files of a generated crate (path relative to the crate root → contents)
/// and the parts that were left out, each with the reason.
#[derive(Debug, Clone, Default)]
pub struct GeneratedCrate {
    pub files: BTreeMap<String, String>,
    pub left_out: Vec<String>,
}

pub fn emit_crate(model: &Model, options: &CrateOptions) -> Result<GeneratedCrate, Diagnostics> {
    let symbols = Symbols::new(model);
    let symbols = &symbols;
    let mut generated = GeneratedCrate::default();
    let mut rust_files: Vec<RustFile<'_>> = Vec::new();
    let with_client = model.service.protocol == Protocol::RestJson1;
    let needs_ser = with_client && !json_serializers::shapes_needing_ser(model).is_empty();
    let needs_de = with_client && !json_deserializers::shapes_needing_de(model).is_empty();
    let protocol_tests = with_client && options.protocol_tests;
    let crate_name = options.crate_name.as_str();
    rust_files.push(RustFile::new("src/lib.rs", move || {
        modules::lib_rs(model, crate_name, with_client, needs_ser, needs_de, protocol_tests)
    }));
    if with_client {
        rust_files.push(RustFile::new("src/client.rs", move || client::client_rs(symbols)));
        rust_files.push(RustFile::new("src/config.rs", move || client::config_rs(model)));
        if needs_ser {
            rust_files.push(RustFile::new("src/json_ser.rs", move || json_serializers::json_ser_module(symbols)));
        }
        if needs_de {
            rust_files.push(RustFile::new("src/json_de.rs", move || json_deserializers::json_de_module(symbols)));
        }
        if options.protocol_tests {
            rust_files.push(RustFile::new("src/protocol_tests.rs", move || protocol_tests::protocol_tests_module(symbols)));
        }
        if let Some(rules) = client::endpoint_rules_json(model) {
            generated.files.insert("src/endpoint_rules.json".to_string(), rules);
        }
    }
    rust_files.push(RustFile::new("src/primitives.rs", modules::primitives_rs));

    let mut type_modules = Vec::new();
    let mut error_modules = Vec::new();
    for shape in model.shapes.values() {
        let emit: Emitter<'_> = match (&shape.role, &shape.kind) {
            (Role::Data, ShapeKind::Structure(_)) => Box::new(move || structures::structure(symbols, shape)),
            (Role::Data, ShapeKind::Union(members)) => Box::new(move || unions::union(symbols, shape, members)),
            (Role::Data, ShapeKind::Enum(values)) => Box::new(move || enums::string_enum(shape, values)),
            (Role::Data, ShapeKind::IntEnum(values)) => Box::new(move || enums::int_enum(shape, values)),
            (Role::Error(_), _) => Box::new(move || errors::error(symbols, shape)),
            _ => continue,
        };
        let module = symbols.file_module(shape);
        let file = crate::naming::unraw(&module).to_string();
        let builder = matches!(shape.kind, ShapeKind::Structure(_)).then(|| symbols.builder_name(shape));
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

    let mut diagnostics = Diagnostics::default();
    for (path, result) in format::emit_all(rust_files, &options.model_source) {
        match result {
            Ok(text) => {
                generated.files.insert(path, text);
            }
            Err(e) => diagnostics.push(Diagnostic::model(format!("internal error: generated {path} does not parse: {e}"))),
        }
    }
    if with_client {
        generated.files.extend(examples::example_files(model, &options.crate_name, &options.model_source));
    }
    generated.files.insert("Cargo.toml".to_string(), cargo_toml::cargo_toml(model, options));
    generated.left_out = left_out(model);
    diagnostics.into_result(generated)
}

/// What this generator does not produce for the model, said plainly.
fn left_out(model: &Model) -> Vec<String> {
    match &model.service.protocol {
        Protocol::RestJson1 => paginators::left_out(model),
        Protocol::Unsupported(name) => vec![format!(
            "protocol `{name}` is not supported yet: only the types were generated (no serializers, deserializers or client)"
        )],
        Protocol::None => vec!["the service declares no protocol trait: only the types were generated".to_string()],
    }
}
