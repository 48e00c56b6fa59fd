//! Compares the API facts of two Smithy JSON AST models (placeholder; being written).
