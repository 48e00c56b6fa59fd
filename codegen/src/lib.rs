//! Smithy 2.0 JSON AST → validated IR → Rust client crate.
