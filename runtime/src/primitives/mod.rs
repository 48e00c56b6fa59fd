//! Value types that generated shapes are built from: [`DateTime`] for Smithy
//! `timestamp`, [`Blob`] for `blob`, [`Document`] for `document`, and the
//! base64 helpers that `blob` members use on the wire; [`big_number`] for
//! `bigInteger` and `bigDecimal`; [`ByteStream`] for `@streaming` blobs; [`open_enum`] for enum values and union
//! members a generated crate does not know; the [`BuildError`] a builder's
//! `build()` returns; and [`redact`], what `Debug` prints for `@sensitive`
//! values. Crate-private: lowercase hex and random (v4) UUIDs.
//!
//! With the `serde` feature each type also implements `Serialize` and
//! `Deserialize`: a [`DateTime`] as an RFC 3339 string, a [`Blob`] as base64
//! text, a [`Document`] as the JSON data model.

pub mod big_number;
mod blob;
mod byte_stream;
pub mod build_error;
pub(crate) mod civil;
mod date_time;
mod document;
pub(crate) mod decimal;
pub(crate) mod hex;
pub mod open_enum;
pub(crate) mod random_uuid;
pub mod redact;
#[cfg(feature = "serde")]
mod serde_impls;

pub use blob::{base64_decode, base64_encode, Base64Error, Blob};
pub use build_error::BuildError;
pub use byte_stream::{ByteStream, ByteStreamError};
pub use date_time::{
    DateTime, DateTimeConversionError, DateTimeFormat, DateTimeFormatError, DateTimeParseError,
};
pub use document::{Document, Number};
