//! Value types that generated shapes are built from: [`DateTime`] for Smithy
//! `timestamp`, [`Blob`] for `blob`, [`Document`] for `document`, and the
//! base64 helpers that `blob` members use on the wire.
//!
//! With the `serde` feature each type also implements `Serialize` and
//! `Deserialize`: a [`DateTime`] as an RFC 3339 string, a [`Blob`] as base64
//! text, a [`Document`] as the JSON data model.

mod blob;
pub(crate) mod civil;
mod date_time;
mod document;
#[cfg(feature = "serde")]
mod serde_impls;

pub use blob::{base64_decode, base64_encode, Base64Error, Blob};
pub use date_time::{
    DateTime, DateTimeConversionError, DateTimeFormat, DateTimeFormatError, DateTimeParseError,
};
pub use document::{Document, Number};
