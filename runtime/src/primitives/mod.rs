//! Value types that generated shapes are built from: [`DateTime`] for Smithy
//! `timestamp`, [`Blob`] for `blob`, [`Document`] for `document`, and the
//! base64 helpers that `blob` members use on the wire.

mod blob;
mod date_time;
mod document;

pub use blob::{base64_decode, base64_encode, Base64Error, Blob};
pub use date_time::{
    DateTime, DateTimeConversionError, DateTimeFormat, DateTimeFormatError, DateTimeParseError,
};
pub use document::{Document, Number};
