//! The message of the `application/vnd.amazon.eventstream` format: typed
//! headers and an opaque payload.

use bytes::Bytes;

use crate::primitives::DateTime;
use crate::protocol::ErrorMetadata;

/// One event-stream message: headers (`:message-type`, `:event-type`,
/// `:content-type`, the members bound with `@eventHeader`, …) and a payload.
///
/// ```
/// use smithy_runtime::event_stream::{HeaderValue, Message};
///
/// let message = Message::new(&b"{\"text\":\"hi\"}"[..])
///     .add_header(":message-type", "event")
///     .add_header(":event-type", "Chunk")
///     .add_header("sequence", HeaderValue::Int32(3));
/// assert_eq!(message.header_str(":event-type"), Some("Chunk"));
/// assert_eq!(message.header(":sequence"), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// The headers, in wire order. Names may repeat; [`Message::header`]
    /// returns the first.
    pub headers: Vec<Header>,
    /// The payload bytes (a serialized event, possibly empty).
    pub payload: Bytes,
}

impl Message {
    /// A message with `payload` and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// The message with one more header, after the ones it has.
    pub fn add_header(mut self, name: impl Into<String>, value: impl Into<HeaderValue>) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    /// The value of the first header called `name` (case-sensitive, as the
    /// format defines names), if any.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|header| header.name == name)
            .map(|header| &header.value)
    }

    /// The first header called `name` when it is a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        match self.header(name) {
            Some(HeaderValue::String(value)) => Some(value),
            _ => None,
        }
    }

    /// The error metadata of an `exception` message the model does not
    /// list: its `:exception-type` as the code, and as the message the
    /// `message` (or `Message`, `errorMessage`) member of a JSON payload or
    /// the `<Message>` of an XML one.
    pub fn exception_metadata(&self) -> ErrorMetadata {
        let message = crate::protocol::error_metadata::message_from_body(&self.payload)
            .or_else(|| crate::protocol::xml_errors::root_message(&self.payload));
        ErrorMetadata::builder()
            .set_code(self.header_str(":exception-type").map(str::to_owned))
            .set_message(message)
            .build()
    }
}

/// A message header: a name of 1 to 255 bytes and a typed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The header name.
    pub name: String,
    /// The header value.
    pub value: HeaderValue,
}

impl Header {
    /// A header from its name and value.
    pub fn new(name: impl Into<String>, value: impl Into<HeaderValue>) -> Self {
        Header {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A header value, one per wire type (a boolean has two wire types, one for
/// `true` and one for `false`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderValue {
    /// Wire types 0 (`true`) and 1 (`false`): no value bytes.
    Bool(bool),
    /// Wire type 2: one signed byte.
    Byte(i8),
    /// Wire type 3: a big-endian 16-bit integer.
    Int16(i16),
    /// Wire type 4: a big-endian 32-bit integer.
    Int32(i32),
    /// Wire type 5: a big-endian 64-bit integer.
    Int64(i64),
    /// Wire type 6: up to 65,535 bytes, preceded by their 16-bit length.
    ByteArray(Bytes),
    /// Wire type 7: up to 65,535 bytes of UTF-8, preceded by their 16-bit length.
    String(String),
    /// Wire type 8: milliseconds since the Unix epoch as a 64-bit integer
    /// (a finer fraction is dropped when encoding).
    Timestamp(DateTime),
    /// Wire type 9: 16 bytes, the UUID's big-endian value.
    Uuid(u128),
}

impl HeaderValue {
    /// The wire type byte of this value.
    pub fn wire_type(&self) -> u8 {
        match self {
            HeaderValue::Bool(true) => 0,
            HeaderValue::Bool(false) => 1,
            HeaderValue::Byte(_) => 2,
            HeaderValue::Int16(_) => 3,
            HeaderValue::Int32(_) => 4,
            HeaderValue::Int64(_) => 5,
            HeaderValue::ByteArray(_) => 6,
            HeaderValue::String(_) => 7,
            HeaderValue::Timestamp(_) => 8,
            HeaderValue::Uuid(_) => 9,
        }
    }
}

impl From<&str> for HeaderValue {
    fn from(value: &str) -> Self {
        HeaderValue::String(value.to_owned())
    }
}

impl From<String> for HeaderValue {
    fn from(value: String) -> Self {
        HeaderValue::String(value)
    }
}

impl From<bool> for HeaderValue {
    fn from(value: bool) -> Self {
        HeaderValue::Bool(value)
    }
}

impl From<Bytes> for HeaderValue {
    fn from(value: Bytes) -> Self {
        HeaderValue::ByteArray(value)
    }
}

impl From<DateTime> for HeaderValue {
    fn from(value: DateTime) -> Self {
        HeaderValue::Timestamp(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unlisted_exception_keeps_its_code_and_the_payloads_message() {
        let exception = |payload: &'static str| {
            Message::new(payload)
                .add_header(":message-type", "exception")
                .add_header(":exception-type", "ThrottledException")
                .exception_metadata()
        };
        let json = exception(r#"{"Message":"slow down"}"#);
        assert_eq!((json.code(), json.message()), (Some("ThrottledException"), Some("slow down")));
        let xml = exception("<ThrottledException><Message>slow down</Message></ThrottledException>");
        assert_eq!((xml.code(), xml.message()), (Some("ThrottledException"), Some("slow down")));
        let neither = exception("not a document");
        assert_eq!((neither.code(), neither.message()), (Some("ThrottledException"), None));
        let untyped = Message::new("{}").exception_metadata();
        assert_eq!((untyped.code(), untyped.message()), (None, None));
    }
}
