//! Smithy 2.0 JSON AST → validated IR → Rust client crate.
//!
//! The pipeline, one module per step:
//! - [`ast`]: serde types mirroring the JSON AST;
//! - [`lower`]: named passes that resolve, validate and normalize into [`ir`];
//! - [`naming`]: the one place Rust names are decided; [`symbols`] maps shape ids to Rust types;
//! - [`emit`]: one emitter per output concern, each returning tokens;
//! - [`output`]: formatting and writing (or checking) the crate on disk.

pub mod ast;
pub mod diagnostics;
pub mod ir;
pub mod lower;
pub mod model_facts;
pub mod naming;
pub mod traits;
