//! The restJson1 protocol: pure helpers that generated serializers and
//! deserializers call, so the generated code stays thin.
//!
//! - [`json_de`] reads typed values out of a parsed JSON body, with errors
//!   that give the path (`events[2].errorCode`) and the expected and found
//!   JSON types;
//! - [`json_ser`] writes the values JSON has no direct form for (special
//!   floats, timestamps, blobs, big numbers);
//! - [`http_bindings`] handles labels, query strings, headers and assembles
//!   the request;
//! - [`error_metadata`] reads the code, message and request id of an error
//!   response into an [`ErrorMetadata`].

mod error_metadata;
mod errors;
pub mod http_bindings;
pub mod json_de;
pub mod json_ser;

pub use error_metadata::{
    error_metadata, request_id, ErrorMetadata, ErrorMetadataBuilder, ALT_REQUEST_ID_HEADER,
    REQUEST_ID_HEADER,
};
pub(crate) use errors::{bad_base64, bad_timestamp};
pub use errors::{DeserializeError, SerializeError};
pub use http_bindings::HostPrefix;
