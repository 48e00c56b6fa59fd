//! Smithy 2.0 JSON AST → validated IR → Rust client crate.

pub mod model_facts;
