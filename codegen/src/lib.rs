//! Smithy 2.0 JSON AST → validated IR → Rust client crate.
//!
//! The pipeline, one module per step:
//! - [`ast`]: serde types mirroring the JSON AST;
//! - [`lower`]: named passes that resolve, validate and normalize into [`ir`];
//! - [`naming`]: the one place Rust names are decided; [`symbols`] maps shape ids to Rust types;
//! - [`emit`]: one emitter per output concern, each returning tokens;
//! - [`protocols`]: one module per protocol, asked by the emitters for what differs;
//! - [`output`]: formatting and writing (or checking) the crate on disk.

pub mod ast;
pub mod diagnostics;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod model_diff;
pub mod model_facts;
pub mod naming;
pub mod output;
pub mod project;
pub mod protocols;
pub mod protocol_test_cases;
pub mod symbols;
pub mod traits;

pub use emit::{CrateOptions, GeneratedCrate};

/// Lowers a model (JSON AST text) and emits the crate, all in memory.
/// `source_name` names the model in messages and in generated headers.
pub fn generate(source_name: &str, text: &str, options: &CrateOptions) -> Result<GeneratedCrate, diagnostics::Diagnostics> {
    generate_with(source_name, text, options, &|_, _| {})
}

/// [`generate`], telling `on_file` of each Rust file as soon as it is
/// formatted (see [`emit::emit_crate_with`]).
pub fn generate_with(
    source_name: &str,
    text: &str,
    options: &CrateOptions,
    on_file: &emit::FileReady<'_>,
) -> Result<GeneratedCrate, diagnostics::Diagnostics> {
    let model = lower::lower_service(source_name, text, options.service.as_deref())?;
    emit::emit_crate_with(&model, options, on_file)
}
