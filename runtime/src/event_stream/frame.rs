//! The frame codec of `application/vnd.amazon.eventstream`.
//!
//! A frame is one message:
//!
//! ```text
//! total length (u32) | headers length (u32) | prelude CRC32 (u32)
//! headers (headers length bytes) | payload | message CRC32 (u32)
//! ```
//!
//! All integers are big-endian. The prelude CRC covers the first eight
//! bytes; the message CRC covers everything before it. Each header is a name
//! length (u8, at least 1), the name, a wire type (u8) and the value (see
//! [`HeaderValue`]).

use std::fmt;

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::message::{Header, HeaderValue, Message};
use crate::primitives::DateTime;

/// The largest frame accepted or written: 16 MiB, the limit of the format.
pub const MAX_MESSAGE_SIZE: u32 = 16 * 1024 * 1024;

/// The largest headers section accepted or written: 128 KiB, the limit of
/// the format.
pub const MAX_HEADERS_SIZE: u32 = 128 * 1024;

/// Total length, headers length and prelude CRC.
const PRELUDE_SIZE: usize = 12;
/// The prelude and the message CRC: a frame with no headers and no payload.
const MIN_MESSAGE_SIZE: usize = PRELUDE_SIZE + 4;

/// A frame that cannot be read or a message that cannot be written.
///
/// Messages name lengths, offsets and header names, never header values or
/// payload bytes (they may be sensitive).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The CRC32 of the first eight bytes is not the one the prelude carries:
    /// the lengths cannot be trusted.
    PreludeCrcMismatch {
        /// The CRC the frame carries.
        expected: u32,
        /// The CRC of the bytes received.
        computed: u32,
    },
    /// The CRC32 of the frame is not the one its last four bytes carry.
    MessageCrcMismatch {
        /// The CRC the frame carries.
        expected: u32,
        /// The CRC of the bytes received.
        computed: u32,
    },
    /// The total length is below the 16 bytes of an empty frame.
    MessageTooShort {
        /// The total length the prelude gives.
        total_length: u32,
    },
    /// The total length is above [`MAX_MESSAGE_SIZE`].
    MessageTooLong {
        /// The total length given or needed.
        total_length: u64,
    },
    /// The headers section is above [`MAX_HEADERS_SIZE`].
    HeadersTooLong {
        /// The headers length given or needed.
        headers_length: u64,
    },
    /// The headers length leaves no room for the prelude and the CRC within
    /// the total length.
    HeadersExceedMessage {
        /// The headers length the prelude gives.
        headers_length: u32,
        /// The total length the prelude gives.
        total_length: u32,
    },
    /// A header that cannot be read; `offset` counts from the start of the
    /// headers section.
    InvalidHeader {
        /// Where the header (or the part of it at fault) starts.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A header wire type above 9.
    UnknownHeaderType {
        /// Where the type byte is, from the start of the headers section.
        offset: usize,
        /// The type byte.
        wire_type: u8,
    },
    /// The stream ended inside a frame.
    Truncated {
        /// The bytes of the unfinished frame that were received.
        buffered: usize,
        /// The frame's total length, when its prelude was received.
        expected: Option<u32>,
    },
    /// A header name to write is empty or longer than 255 bytes.
    InvalidHeaderName {
        /// The name's length in bytes.
        length: usize,
    },
    /// A string or byte-array header value to write is longer than 65,535
    /// bytes.
    HeaderValueTooLong {
        /// The header's name.
        name: String,
        /// The value's length in bytes.
        length: usize,
    },
    /// A timestamp header value whose milliseconds do not fit in an `i64`.
    TimestampOutOfRange {
        /// The header's name.
        name: String,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::PreludeCrcMismatch { expected, computed } => write!(
                f,
                "event stream frame: the prelude CRC is {computed:#010x}, the frame says {expected:#010x}"
            ),
            FrameError::MessageCrcMismatch { expected, computed } => write!(
                f,
                "event stream frame: the message CRC is {computed:#010x}, the frame says {expected:#010x}"
            ),
            FrameError::MessageTooShort { total_length } => write!(
                f,
                "event stream frame: a total length of {total_length} bytes is below the minimum of {MIN_MESSAGE_SIZE}"
            ),
            FrameError::MessageTooLong { total_length } => write!(
                f,
                "event stream frame: a total length of {total_length} bytes is above the limit of {MAX_MESSAGE_SIZE}"
            ),
            FrameError::HeadersTooLong { headers_length } => write!(
                f,
                "event stream frame: {headers_length} bytes of headers is above the limit of {MAX_HEADERS_SIZE}"
            ),
            FrameError::HeadersExceedMessage { headers_length, total_length } => write!(
                f,
                "event stream frame: {headers_length} bytes of headers do not fit in a frame of {total_length} bytes"
            ),
            FrameError::InvalidHeader { offset, reason } => write!(
                f,
                "event stream frame: invalid header at offset {offset} of the headers: {reason}"
            ),
            FrameError::UnknownHeaderType { offset, wire_type } => write!(
                f,
                "event stream frame: unknown header value type {wire_type} at offset {offset} of the headers"
            ),
            FrameError::Truncated { buffered, expected: Some(total) } => write!(
                f,
                "event stream ended inside a frame: {buffered} of its {total} bytes were received"
            ),
            FrameError::Truncated { buffered, expected: None } => write!(
                f,
                "event stream ended inside a frame's prelude: {buffered} of its {PRELUDE_SIZE} bytes were received"
            ),
            FrameError::InvalidHeaderName { length } => write!(
                f,
                "event stream header name of {length} bytes: names are 1 to 255 bytes long"
            ),
            FrameError::HeaderValueTooLong { name, length } => write!(
                f,
                "event stream header `{name}`: a value of {length} bytes is above the limit of 65535"
            ),
            FrameError::TimestampOutOfRange { name } => write!(
                f,
                "event stream header `{name}`: the timestamp is out of the range of milliseconds an i64 holds"
            ),
        }
    }
}

impl std::error::Error for FrameError {}

/// `message` as one frame.
///
/// Fails when a header name is empty or longer than 255 bytes, a string or
/// byte-array value is longer than 65,535 bytes, a timestamp's milliseconds
/// overflow an `i64`, or the headers or the whole frame are above the
/// format's limits.
pub fn encode(message: &Message) -> Result<Bytes, FrameError> {
    let mut headers = BytesMut::new();
    for header in &message.headers {
        write_header(&mut headers, header)?;
    }
    if headers.len() as u64 > u64::from(MAX_HEADERS_SIZE) {
        return Err(FrameError::HeadersTooLong {
            headers_length: headers.len() as u64,
        });
    }
    let total = (MIN_MESSAGE_SIZE + headers.len()) as u64 + message.payload.len() as u64;
    if total > u64::from(MAX_MESSAGE_SIZE) {
        return Err(FrameError::MessageTooLong { total_length: total });
    }
    // Both checked against limits below u32::MAX above.
    let (total, headers_length) = (total as u32, headers.len() as u32);
    let mut out = BytesMut::with_capacity(total as usize);
    out.put_u32(total);
    out.put_u32(headers_length);
    out.put_u32(crc32fast::hash(&out[..8]));
    out.put_slice(&headers);
    out.put_slice(&message.payload);
    out.put_u32(crc32fast::hash(&out));
    Ok(out.freeze())
}

/// The bytes of one header, as [`encode`] writes them.
pub(crate) fn write_header(out: &mut BytesMut, header: &Header) -> Result<(), FrameError> {
    let name = header.name.as_bytes();
    if name.is_empty() || name.len() > usize::from(u8::MAX) {
        return Err(FrameError::InvalidHeaderName { length: name.len() });
    }
    out.put_u8(name.len() as u8);
    out.put_slice(name);
    out.put_u8(header.value.wire_type());
    match &header.value {
        HeaderValue::Bool(_) => {}
        HeaderValue::Byte(value) => out.put_i8(*value),
        HeaderValue::Int16(value) => out.put_i16(*value),
        HeaderValue::Int32(value) => out.put_i32(*value),
        HeaderValue::Int64(value) => out.put_i64(*value),
        HeaderValue::ByteArray(value) => put_short_bytes(out, &header.name, value)?,
        HeaderValue::String(value) => put_short_bytes(out, &header.name, value.as_bytes())?,
        HeaderValue::Timestamp(value) => {
            let millis = timestamp_millis(value).ok_or_else(|| FrameError::TimestampOutOfRange {
                name: header.name.clone(),
            })?;
            out.put_i64(millis);
        }
        HeaderValue::Uuid(value) => out.put_u128(*value),
    }
    Ok(())
}

fn put_short_bytes(out: &mut BytesMut, name: &str, value: &[u8]) -> Result<(), FrameError> {
    let length = u16::try_from(value.len()).map_err(|_| FrameError::HeaderValueTooLong {
        name: name.to_owned(),
        length: value.len(),
    })?;
    out.put_u16(length);
    out.put_slice(value);
    Ok(())
}

/// Whole milliseconds since the epoch, rounded down.
fn timestamp_millis(value: &DateTime) -> Option<i64> {
    value
        .secs()
        .checked_mul(1000)?
        .checked_add(i64::from(value.subsec_nanos() / 1_000_000))
}

/// Reads frames from chunks of a byte stream, however the chunks split them.
///
/// Feed each chunk with [`push`](Self::push), take whole messages with
/// [`next_message`](Self::next_message) until it returns `Ok(None)`, and
/// call [`finish`](Self::finish) when the stream ends to learn whether it
/// ended inside a frame. After an error the decoder returns that error
/// again: a stream cannot be resynchronized once a frame is bad.
///
/// ```
/// use smithy_runtime::event_stream::{encode, Message, MessageDecoder};
///
/// let frame = encode(&Message::new("hello").add_header(":message-type", "event")).unwrap();
/// let mut decoder = MessageDecoder::new();
/// decoder.push(frame.slice(..5));
/// assert_eq!(decoder.next_message(), Ok(None));
/// decoder.push(frame.slice(5..));
/// let message = decoder.next_message().unwrap().unwrap();
/// assert_eq!(&message.payload[..], b"hello");
/// assert_eq!(decoder.finish(), Ok(()));
/// ```
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: BytesMut,
    failed: Option<FrameError>,
}

impl MessageDecoder {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        MessageDecoder::default()
    }

    /// Appends the next chunk of the stream.
    pub fn push(&mut self, chunk: Bytes) {
        if self.failed.is_none() {
            self.buffer.extend_from_slice(&chunk);
        }
    }

    /// The next whole message, `Ok(None)` when more bytes are needed.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        match self.take_frame() {
            Ok(Some(frame)) => match decode_frame(frame) {
                Ok(message) => Ok(Some(message)),
                Err(err) => Err(self.fail(err)),
            },
            Ok(None) => Ok(None),
            Err(err) => Err(self.fail(err)),
        }
    }

    /// Checks that the stream ended between frames.
    pub fn finish(&self) -> Result<(), FrameError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        if self.buffer.is_empty() {
            return Ok(());
        }
        let expected = (self.buffer.len() >= PRELUDE_SIZE)
            .then(|| u32::from_be_bytes([self.buffer[0], self.buffer[1], self.buffer[2], self.buffer[3]]));
        Err(FrameError::Truncated {
            buffered: self.buffer.len(),
            expected,
        })
    }

    fn fail(&mut self, err: FrameError) -> FrameError {
        self.buffer = BytesMut::new();
        self.failed = Some(err.clone());
        err
    }

    /// Splits the next whole frame off the buffer once its prelude is
    /// checked and all its bytes are there.
    fn take_frame(&mut self) -> Result<Option<Bytes>, FrameError> {
        if self.buffer.len() < PRELUDE_SIZE {
            return Ok(None);
        }
        let total = check_prelude(&self.buffer[..PRELUDE_SIZE])?;
        if self.buffer.len() < total {
            // Room for the rest of the frame, so the chunks to come are
            // appended without reallocating again and again.
            self.buffer.reserve(total - self.buffer.len());
            return Ok(None);
        }
        Ok(Some(self.buffer.split_to(total).freeze()))
    }
}

/// The total length of the frame starting with `prelude` (12 bytes), once its
/// CRC and lengths are checked.
fn check_prelude(prelude: &[u8]) -> Result<usize, FrameError> {
    let mut fields = prelude;
    let total_length = fields.get_u32();
    let headers_length = fields.get_u32();
    let expected = fields.get_u32();
    let computed = crc32fast::hash(&prelude[..8]);
    if computed != expected {
        return Err(FrameError::PreludeCrcMismatch { expected, computed });
    }
    if (total_length as usize) < MIN_MESSAGE_SIZE {
        return Err(FrameError::MessageTooShort { total_length });
    }
    if total_length > MAX_MESSAGE_SIZE {
        return Err(FrameError::MessageTooLong {
            total_length: u64::from(total_length),
        });
    }
    if headers_length > MAX_HEADERS_SIZE {
        return Err(FrameError::HeadersTooLong {
            headers_length: u64::from(headers_length),
        });
    }
    if headers_length as usize > total_length as usize - MIN_MESSAGE_SIZE {
        return Err(FrameError::HeadersExceedMessage {
            headers_length,
            total_length,
        });
    }
    Ok(total_length as usize)
}

/// The message of one whole frame whose prelude is checked.
fn decode_frame(frame: Bytes) -> Result<Message, FrameError> {
    let crc_at = frame.len() - 4;
    let expected = (&frame[crc_at..]).get_u32();
    let computed = crc32fast::hash(&frame[..crc_at]);
    if computed != expected {
        return Err(FrameError::MessageCrcMismatch { expected, computed });
    }
    let headers_end = PRELUDE_SIZE + (&frame[4..8]).get_u32() as usize;
    let headers = read_headers(&frame.slice(PRELUDE_SIZE..headers_end))?;
    Ok(Message {
        headers,
        payload: frame.slice(headers_end..crc_at),
    })
}

/// The headers of a headers section (byte-array values share its bytes).
fn read_headers(section: &Bytes) -> Result<Vec<Header>, FrameError> {
    let mut reader = HeaderReader { section, offset: 0 };
    let mut headers = Vec::new();
    while reader.offset < section.len() {
        headers.push(reader.header()?);
    }
    Ok(headers)
}

struct HeaderReader<'a> {
    section: &'a Bytes,
    offset: usize,
}

impl<'a> HeaderReader<'a> {
    fn header(&mut self) -> Result<Header, FrameError> {
        let start = self.offset;
        let name_length = self.take(1, start, "the name length is missing")?[0];
        if name_length == 0 {
            return Err(invalid(start, "the name is empty"));
        }
        let name = self.take(usize::from(name_length), start, "the name runs past the headers")?;
        let name = std::str::from_utf8(name)
            .map_err(|_| invalid(start, "the name is not valid UTF-8"))?
            .to_owned();
        let type_at = self.offset;
        let wire_type = self.take(1, start, "the value type is missing")?[0];
        let value = self.value(wire_type, type_at)?;
        Ok(Header { name, value })
    }

    fn value(&mut self, wire_type: u8, type_at: usize) -> Result<HeaderValue, FrameError> {
        const SHORT: &str = "the value runs past the headers";
        Ok(match wire_type {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(self.take(1, type_at, SHORT)?.get_i8()),
            3 => HeaderValue::Int16(self.take(2, type_at, SHORT)?.get_i16()),
            4 => HeaderValue::Int32(self.take(4, type_at, SHORT)?.get_i32()),
            5 => HeaderValue::Int64(self.take(8, type_at, SHORT)?.get_i64()),
            6 => {
                let value = self.short_bytes(type_at)?;
                HeaderValue::ByteArray(self.section.slice_ref(value))
            }
            7 => {
                let text = std::str::from_utf8(self.short_bytes(type_at)?)
                    .map_err(|_| invalid(type_at, "the string value is not valid UTF-8"))?;
                HeaderValue::String(text.to_owned())
            }
            8 => HeaderValue::Timestamp(DateTime::from_millis(self.take(8, type_at, SHORT)?.get_i64())),
            9 => HeaderValue::Uuid(self.take(16, type_at, SHORT)?.get_u128()),
            _ => {
                return Err(FrameError::UnknownHeaderType {
                    offset: type_at,
                    wire_type,
                })
            }
        })
    }

    /// A 16-bit length and that many bytes.
    fn short_bytes(&mut self, type_at: usize) -> Result<&'a [u8], FrameError> {
        let length = self.take(2, type_at, "the value length is missing")?.get_u16();
        self.take(usize::from(length), type_at, "the value runs past the headers")
    }

    fn take(&mut self, count: usize, at: usize, reason: &'static str) -> Result<&'a [u8], FrameError> {
        let rest = &self.section[self.offset..];
        if rest.len() < count {
            return Err(invalid(at, reason));
        }
        self.offset += count;
        Ok(&rest[..count])
    }
}

fn invalid(offset: usize, reason: &'static str) -> FrameError {
    FrameError::InvalidHeader { offset, reason }
}
