//! The test servers' own reading and writing of the
//! `application/vnd.amazon.eventstream` framing, written from the format's
//! description and kept apart from the runtime's codec so that each checks
//! the other:
//!
//! ```text
//! total length: u32 | headers length: u32 | prelude CRC32: u32   (the prelude)
//! headers: { name length: u8, name, value type: u8, value }*
//! payload
//! message CRC32: u32                                           (over all of the above)
//! ```
//!
//! Every integer is big-endian; both checksums are CRC32 (IEEE), computed
//! here with `crc32fast`.

use bytes::{Buf, BufMut, Bytes, BytesMut};

/// The prelude: total length, headers length, prelude CRC.
const PRELUDE_LEN: usize = 12;
/// The message CRC at the end of every frame.
const TRAILER_LEN: usize = 4;

/// A header value, with the type byte the format gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Types 0 (true) and 1 (false).
    Bool(bool),
    /// Type 4.
    Int32(i32),
    /// Type 6: up to 65535 bytes.
    Bytes(Bytes),
    /// Type 7: UTF-8, up to 65535 bytes.
    String(String),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
}

/// One message: its headers in order, and its payload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frame {
    /// `(name, value)` in the order written or read.
    pub headers: Vec<(String, Value)>,
    /// The payload bytes.
    pub payload: Bytes,
}

impl Frame {
    /// A frame with `payload` and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Frame {
        Frame {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// The same frame with one more string header.
    pub fn with_str(mut self, name: &str, value: &str) -> Frame {
        self.headers
            .push((name.to_owned(), Value::String(value.to_owned())));
        self
    }

    /// The same frame with one more header.
    pub fn with(mut self, name: &str, value: Value) -> Frame {
        self.headers.push((name.to_owned(), value));
        self
    }

    /// An `event` message of type `event_type` with `content_type`.
    pub fn event(event_type: &str, content_type: &str, payload: impl Into<Bytes>) -> Frame {
        Frame::new(payload)
            .with_str(":message-type", "event")
            .with_str(":event-type", event_type)
            .with_str(":content-type", content_type)
    }

    /// An `exception` message for the modeled error `exception_type`, its
    /// members as a JSON payload.
    pub fn exception(exception_type: &str, json: &str) -> Frame {
        Frame::new(json.to_owned())
            .with_str(":message-type", "exception")
            .with_str(":exception-type", exception_type)
            .with_str(":content-type", "application/json")
    }

    /// An `error` message (an error the model does not describe).
    pub fn error(code: &str, message: &str) -> Frame {
        Frame::new(Bytes::new())
            .with_str(":message-type", "error")
            .with_str(":error-code", code)
            .with_str(":error-message", message)
    }

    /// The value of the first header called `name`.
    pub fn header(&self, name: &str) -> Option<&Value> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }

    /// The value of the string header `name`.
    pub fn str_header(&self, name: &str) -> Option<&str> {
        match self.header(name) {
            Some(Value::String(text)) => Some(text),
            _ => None,
        }
    }

    /// The frame's bytes on the wire.
    pub fn encode(&self) -> Bytes {
        let headers = encode_headers(&self.headers);
        let total = PRELUDE_LEN + headers.len() + self.payload.len() + TRAILER_LEN;
        let mut out = BytesMut::with_capacity(total);
        out.put_u32(total as u32);
        out.put_u32(headers.len() as u32);
        let prelude_crc = crc32fast::hash(&out);
        out.put_u32(prelude_crc);
        out.put_slice(&headers);
        out.put_slice(&self.payload);
        let message_crc = crc32fast::hash(&out);
        out.put_u32(message_crc);
        out.freeze()
    }
}

/// The headers' bytes, as they sit between the prelude and the payload (the
/// event-signing chain hashes them too).
pub fn encode_headers(headers: &[(String, Value)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in headers {
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        match value {
            Value::Bool(true) => out.push(0),
            Value::Bool(false) => out.push(1),
            Value::Int32(n) => {
                out.push(4);
                out.extend_from_slice(&n.to_be_bytes());
            }
            Value::Bytes(bytes) => {
                out.push(6);
                out.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
                out.extend_from_slice(bytes);
            }
            Value::String(text) => {
                out.push(7);
                out.extend_from_slice(&(text.len() as u16).to_be_bytes());
                out.extend_from_slice(text.as_bytes());
            }
            Value::Timestamp(millis) => {
                out.push(8);
                out.extend_from_slice(&millis.to_be_bytes());
            }
        }
    }
    out
}

/// Reads whole frames from bytes that arrive in pieces: [`FrameReader::push`]
/// the pieces, [`FrameReader::next_frame`] until it has nothing, and
/// [`FrameReader::finish`] at the end of the body.
#[derive(Debug, Default)]
pub struct FrameReader {
    buffer: BytesMut,
}

impl FrameReader {
    /// An empty reader.
    pub fn new() -> FrameReader {
        FrameReader::default()
    }

    /// Adds the next piece of the body.
    pub fn push(&mut self, piece: &[u8]) {
        self.buffer.extend_from_slice(piece);
    }

    /// The next whole frame, `Ok(None)` when more bytes are needed, or why
    /// the bytes are not a frame.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, String> {
        if self.buffer.len() < PRELUDE_LEN {
            return Ok(None);
        }
        let mut prelude = &self.buffer[..PRELUDE_LEN];
        let total = prelude.get_u32() as usize;
        let headers_len = prelude.get_u32() as usize;
        let prelude_crc = prelude.get_u32();
        let computed = crc32fast::hash(&self.buffer[..8]);
        if computed != prelude_crc {
            return Err(format!(
                "prelude CRC {prelude_crc:#010x} does not match the prelude ({computed:#010x})"
            ));
        }
        if total < PRELUDE_LEN + headers_len + TRAILER_LEN {
            return Err(format!(
                "total length {total} cannot hold {headers_len} bytes of headers"
            ));
        }
        if self.buffer.len() < total {
            return Ok(None);
        }
        let frame = self.buffer.split_to(total).freeze();
        let message_crc = (&frame[total - TRAILER_LEN..]).get_u32();
        let computed = crc32fast::hash(&frame[..total - TRAILER_LEN]);
        if computed != message_crc {
            return Err(format!(
                "message CRC {message_crc:#010x} does not match the message ({computed:#010x})"
            ));
        }
        let headers = decode_headers(frame.slice(PRELUDE_LEN..PRELUDE_LEN + headers_len))?;
        let payload = frame.slice(PRELUDE_LEN + headers_len..total - TRAILER_LEN);
        Ok(Some(Frame { headers, payload }))
    }

    /// At the end of the body: an error when a frame was cut short.
    pub fn finish(&self) -> Result<(), String> {
        if self.buffer.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the body ended inside a frame ({} bytes left over)",
                self.buffer.len()
            ))
        }
    }
}

/// Every frame of a whole body.
pub fn decode_all(body: &[u8]) -> Result<Vec<Frame>, String> {
    let mut reader = FrameReader::new();
    reader.push(body);
    let mut frames = Vec::new();
    while let Some(frame) = reader.next_frame()? {
        frames.push(frame);
    }
    reader.finish()?;
    Ok(frames)
}

fn decode_headers(mut bytes: Bytes) -> Result<Vec<(String, Value)>, String> {
    let mut headers = Vec::new();
    while bytes.has_remaining() {
        let name_len = usize::from(bytes.get_u8());
        let name = take(&mut bytes, name_len, "header name")?;
        let name = String::from_utf8(name.to_vec()).map_err(|_| "header name is not UTF-8")?;
        if !bytes.has_remaining() {
            return Err(format!("header `{name}` has no value type"));
        }
        let value = match bytes.get_u8() {
            0 => Value::Bool(true),
            1 => Value::Bool(false),
            4 => Value::Int32(i32::from_be_bytes(array(&mut bytes, &name)?)),
            6 => {
                let len = usize::from(u16::from_be_bytes(array(&mut bytes, &name)?));
                Value::Bytes(take(&mut bytes, len, &name)?)
            }
            7 => {
                let len = usize::from(u16::from_be_bytes(array(&mut bytes, &name)?));
                let text = take(&mut bytes, len, &name)?;
                Value::String(
                    String::from_utf8(text.to_vec())
                        .map_err(|_| format!("header `{name}` is not UTF-8"))?,
                )
            }
            8 => Value::Timestamp(i64::from_be_bytes(array(&mut bytes, &name)?)),
            other => {
                return Err(format!(
                    "header `{name}` has value type {other}, which these servers do not read"
                ))
            }
        };
        headers.push((name, value));
    }
    Ok(headers)
}

fn take(bytes: &mut Bytes, len: usize, what: &str) -> Result<Bytes, String> {
    if bytes.remaining() < len {
        return Err(format!(
            "{what}: {len} bytes expected, {} left",
            bytes.remaining()
        ));
    }
    Ok(bytes.split_to(len))
}

fn array<const N: usize>(bytes: &mut Bytes, what: &str) -> Result<[u8; N], String> {
    let taken = take(bytes, N, what)?;
    let mut out = [0; N];
    out.copy_from_slice(&taken);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Frame {
        Frame::event("PayloadChunk", "application/octet-stream", &b"hello"[..])
            .with(":date", Value::Timestamp(1_700_000_000_123))
            .with("flag", Value::Bool(false))
            .with("count", Value::Int32(-7))
            .with("raw", Value::Bytes(Bytes::from_static(&[0, 1, 2])))
    }

    #[test]
    fn a_frame_reads_back_as_written() {
        let frame = sample();
        assert_eq!(decode_all(&frame.encode()).unwrap(), vec![frame]);
    }

    #[test]
    fn the_lengths_and_checksums_follow_the_format() {
        let wire = Frame::new(Bytes::new()).encode();
        // An empty message is the prelude and the trailer only.
        assert_eq!(wire.len(), 16);
        assert_eq!(&wire[..8], &[0, 0, 0, 16, 0, 0, 0, 0]);
        assert_eq!(&wire[8..12], &crc32fast::hash(&wire[..8]).to_be_bytes());
        assert_eq!(&wire[12..], &crc32fast::hash(&wire[..12]).to_be_bytes());
    }

    #[test]
    fn frames_split_anywhere_are_read_whole() {
        let wire: Vec<u8> = [sample().encode(), Frame::new("x").encode()].concat();
        for cut in 0..wire.len() {
            let mut reader = FrameReader::new();
            let mut frames = Vec::new();
            for piece in [&wire[..cut], &wire[cut..]] {
                reader.push(piece);
                while let Some(frame) = reader.next_frame().unwrap() {
                    frames.push(frame);
                }
            }
            reader.finish().unwrap();
            assert_eq!(frames.len(), 2, "cut at {cut}");
        }
    }

    #[test]
    fn a_flipped_byte_or_a_short_body_is_an_error() {
        let wire = sample().encode();
        let mut payload_flipped = wire.to_vec();
        let at = wire.len() - 6;
        payload_flipped[at] ^= 0x40;
        assert!(decode_all(&payload_flipped)
            .unwrap_err()
            .contains("message CRC"));
        let mut prelude_flipped = wire.to_vec();
        prelude_flipped[3] ^= 1;
        assert!(decode_all(&prelude_flipped)
            .unwrap_err()
            .contains("prelude CRC"));
        let error = decode_all(&wire[..wire.len() - 1]).unwrap_err();
        assert!(error.contains("ended inside a frame"), "{error}");
    }
}
