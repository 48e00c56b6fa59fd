//! placeholder until the first `cargo xtask codegen`
