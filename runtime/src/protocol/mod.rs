//! The restJson1 protocol: pure helpers that generated serializers and
//! deserializers call, so the generated code stays thin.
//!
//! - [`error_metadata`] reads the code, message and request id of an error
//!   response into an [`ErrorMetadata`];
//! - [`DeserializeError`] and [`SerializeError`] say where a response or
//!   request went wrong.

mod error_metadata;
mod errors;

pub use error_metadata::{
    error_metadata, request_id, ErrorMetadata, ErrorMetadataBuilder, ALT_REQUEST_ID_HEADER,
    REQUEST_ID_HEADER,
};
pub use errors::{DeserializeError, SerializeError};
