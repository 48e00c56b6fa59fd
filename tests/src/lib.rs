//! Shared helpers for the snapshot and integration tests.
