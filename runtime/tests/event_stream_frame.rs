//! The event-stream frame codec: every header type, frames split at every
//! byte, each malformed input a `FrameError`, and agreement with the
//! independent codec of `aws-smithy-eventstream` both ways.

mod event_stream_support;

use bytes::{BufMut, Bytes, BytesMut};
use smithy_runtime::event_stream::{
    encode, FrameError, Header, HeaderValue, Message, MessageDecoder, MAX_HEADERS_SIZE,
    MAX_MESSAGE_SIZE,
};
use smithy_runtime::DateTime;

use event_stream_support::{aws_encode, from_aws, random_message, to_aws};

fn every_type() -> Message {
    Message::new(&b"{\"a\":1}"[..])
        .add_header("true", true)
        .add_header("false", false)
        .add_header("byte", HeaderValue::Byte(-7))
        .add_header("short", HeaderValue::Int16(-300))
        .add_header("int", HeaderValue::Int32(70_000))
        .add_header("long", HeaderValue::Int64(-5_000_000_000))
        .add_header("bytes", Bytes::from_static(&[0, 1, 2, 255]))
        .add_header("string", "héllo")
        .add_header("time", DateTime::from_millis(1_700_000_000_123))
        .add_header("uuid", HeaderValue::Uuid(0x0123_4567_89ab_cdef_0011_2233_4455_6677))
}

fn decode_all(chunks: impl IntoIterator<Item = Bytes>) -> Result<Vec<Message>, FrameError> {
    let mut decoder = MessageDecoder::new();
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(message) = decoder.next_message()? {
            out.push(message);
        }
    }
    decoder.finish()?;
    Ok(out)
}

/// A frame with its prelude and message CRCs made right again after a
/// change, so the check after the CRCs is what is tested.
fn recrc(mut frame: Vec<u8>) -> Bytes {
    let prelude = crc32fast::hash(&frame[..8]);
    frame[8..12].copy_from_slice(&prelude.to_be_bytes());
    let end = frame.len() - 4;
    let crc = crc32fast::hash(&frame[..end]);
    frame[end..].copy_from_slice(&crc.to_be_bytes());
    Bytes::from(frame)
}

#[test]
fn the_empty_message_is_the_published_sixteen_bytes() {
    // The smallest frame: total length 16, no headers, and the CRC32 values
    // of those bytes (0x05c248eb for the prelude, 0x7d98c8ff for the whole).
    let frame = encode(&Message::default()).unwrap();
    assert_eq!(
        &frame[..],
        &[0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff]
    );
    assert_eq!(decode_all([frame]).unwrap(), vec![Message::default()]);
}

#[test]
fn every_header_type_round_trips_and_is_laid_out_as_the_format_says() {
    let message = every_type();
    let frame = encode(&message).unwrap();
    let total = u32::from_be_bytes(frame[..4].try_into().unwrap()) as usize;
    let headers = u32::from_be_bytes(frame[4..8].try_into().unwrap()) as usize;
    assert_eq!(total, frame.len());
    assert_eq!(total, 16 + headers + message.payload.len());
    // The first header: name length, name, type 0 (true) and no value.
    assert_eq!(&frame[12..18], b"\x04true\x00");
    // The string header: type 7, a 16-bit length, UTF-8 bytes.
    let string_at = frame.windows(7).position(|w| w == b"\x06string").unwrap();
    assert_eq!(&frame[string_at + 7..string_at + 10], &[7, 0, 6]);
    assert_eq!(decode_all([frame]).unwrap(), vec![message]);
}

#[test]
fn timestamps_are_whole_milliseconds() {
    let message = Message::new("").add_header("t", DateTime::from_secs_and_nanos(-2, 999_999_999));
    let decoded = decode_all([encode(&message).unwrap()]).unwrap();
    assert_eq!(decoded[0].header("t"), Some(&HeaderValue::Timestamp(DateTime::from_millis(-1001))));
}

#[test]
fn frames_split_at_every_byte_decode_the_same() {
    let messages = [every_type(), Message::default(), Message::new("second").add_header(":event-type", "x")];
    let mut stream = BytesMut::new();
    for message in &messages {
        stream.put(encode(message).unwrap());
    }
    let stream = stream.freeze();
    for split in 0..=stream.len() {
        let decoded = decode_all([stream.slice(..split), stream.slice(split..)]).unwrap();
        assert_eq!(decoded, messages, "split at {split}");
    }
    // One byte at a time, and chunks of three.
    let bytes = (0..stream.len()).map(|i| stream.slice(i..i + 1));
    assert_eq!(decode_all(bytes).unwrap(), messages);
    let threes = stream.chunks(3).map(Bytes::copy_from_slice);
    assert_eq!(decode_all(threes).unwrap(), messages);
}

#[test]
fn our_frames_and_the_independent_codec_agree_both_ways() {
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    for case in 0..500 {
        let message = random_message(&mut rng, 2_000);
        let ours = encode(&message).unwrap();
        let theirs = aws_encode(&message);
        assert_eq!(&ours[..], &theirs[..], "case {case}: the same bytes");
        let read_back = aws_smithy_eventstream::frame::read_message_from(ours.clone()).unwrap();
        assert_eq!(from_aws(&read_back), message, "case {case}: they read ours");
        assert_eq!(decode_all([Bytes::from(theirs)]).unwrap(), vec![message], "case {case}: we read theirs");
    }
}

#[test]
fn a_bad_prelude_crc_is_an_error_and_the_decoder_stays_failed() {
    let mut frame = encode(&every_type()).unwrap().to_vec();
    frame[9] ^= 0x40;
    let mut decoder = MessageDecoder::new();
    decoder.push(Bytes::from(frame));
    let err = decoder.next_message().unwrap_err();
    assert!(matches!(err, FrameError::PreludeCrcMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("prelude CRC"), "{err}");
    // Nothing more comes out of it, even a valid frame.
    decoder.push(encode(&Message::default()).unwrap());
    assert_eq!(decoder.next_message().unwrap_err(), err);
    assert_eq!(decoder.finish().unwrap_err(), err);
}

#[test]
fn a_bad_message_crc_is_an_error() {
    let mut frame = encode(&every_type()).unwrap().to_vec();
    let last = frame.len() - 6;
    frame[last] ^= 1;
    let err = decode_all([Bytes::from(frame)]).unwrap_err();
    assert!(matches!(err, FrameError::MessageCrcMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("message CRC"), "{err}");
}

#[test]
fn lengths_out_of_bounds_are_errors_before_any_payload_is_read() {
    let prelude = |total: u32, headers: u32| {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&total.to_be_bytes());
        bytes.extend_from_slice(&headers.to_be_bytes());
        bytes.extend_from_slice(&crc32fast::hash(&bytes).to_be_bytes());
        Bytes::from(bytes)
    };
    let cases = [
        (prelude(15, 0), "below the minimum"),
        (prelude(MAX_MESSAGE_SIZE + 1, 0), "above the limit of 16777216"),
        (prelude(u32::MAX, 0), "above the limit"),
        (prelude(1000, MAX_HEADERS_SIZE + 1), "bytes of headers is above the limit"),
        (prelude(100, 85), "do not fit in a frame of 100 bytes"),
    ];
    for (bytes, expected) in cases {
        // The prelude alone is enough to fail: the decoder does not wait for
        // (or allocate) the 4 GiB a bad length announces.
        let mut decoder = MessageDecoder::new();
        decoder.push(bytes);
        let err = decoder.next_message().unwrap_err();
        assert!(err.to_string().contains(expected), "{err} should say {expected}");
    }
    // The largest frame allowed is read.
    let big = Message::new(vec![7u8; MAX_MESSAGE_SIZE as usize - 16]);
    assert_eq!(decode_all([encode(&big).unwrap()]).unwrap(), vec![big]);
}

#[test]
fn a_stream_ending_inside_a_frame_is_truncated() {
    let frame = encode(&every_type()).unwrap();
    for cut in [1, 11, 12, 40, frame.len() - 1] {
        let err = decode_all([frame.slice(..cut)]).unwrap_err();
        let expected = (cut >= 12).then_some(frame.len() as u32);
        assert_eq!(err, FrameError::Truncated { buffered: cut, expected }, "cut at {cut}");
        assert!(err.to_string().contains("ended inside a frame"), "{err}");
    }
}

#[test]
fn malformed_headers_are_errors_naming_the_offset() {
    // Each: headers section bytes, and what the error says.
    let cases: [(&[u8], &str); 8] = [
        (b"\x00", "the name is empty"),
        (b"\x05ab", "the name runs past the headers"),
        (b"\x02\xff\xfe\x00", "the name is not valid UTF-8"),
        (b"\x01a", "the value type is missing"),
        (b"\x01a\x04\x00\x00", "the value runs past the headers"),
        (b"\x01a\x07\x00", "the value length is missing"),
        (b"\x01a\x07\x00\x05abc", "the value runs past the headers"),
        (b"\x01a\x07\x00\x01\xc0", "the string value is not valid UTF-8"),
    ];
    for (headers, expected) in cases {
        let mut frame = vec![0; 12];
        frame.extend_from_slice(headers);
        frame.extend_from_slice(&[0; 4]);
        let total = frame.len() as u32;
        frame[..4].copy_from_slice(&total.to_be_bytes());
        frame[4..8].copy_from_slice(&(headers.len() as u32).to_be_bytes());
        let err = decode_all([recrc(frame)]).unwrap_err();
        assert!(matches!(err, FrameError::InvalidHeader { .. }), "{err:?}");
        assert!(err.to_string().contains(expected), "{err} should say {expected}");
    }
    let mut frame = vec![0; 12];
    frame.extend_from_slice(b"\x01a\x00\x01b\x0a");
    frame.extend_from_slice(&[0; 4]);
    frame[..4].copy_from_slice(&22u32.to_be_bytes());
    frame[4..8].copy_from_slice(&6u32.to_be_bytes());
    assert_eq!(
        decode_all([recrc(frame)]).unwrap_err(),
        FrameError::UnknownHeaderType { offset: 5, wire_type: 10 }
    );
}

#[test]
fn messages_that_cannot_be_written_are_errors() {
    let long_name = "n".repeat(256);
    assert_eq!(
        encode(&Message::default().add_header(long_name, true)).unwrap_err(),
        FrameError::InvalidHeaderName { length: 256 }
    );
    assert_eq!(
        encode(&Message::default().add_header("", true)).unwrap_err(),
        FrameError::InvalidHeaderName { length: 0 }
    );
    let err = encode(&Message::default().add_header("big", "x".repeat(65_536))).unwrap_err();
    assert_eq!(err, FrameError::HeaderValueTooLong { name: "big".into(), length: 65_536 });
    assert!(err.to_string().contains("`big`"), "{err}");
    let err = encode(&Message::default().add_header("big", Bytes::from(vec![0; 70_000]))).unwrap_err();
    assert!(matches!(err, FrameError::HeaderValueTooLong { length: 70_000, .. }), "{err:?}");
    assert_eq!(
        encode(&Message::default().add_header("t", DateTime::from_secs(i64::MAX))).unwrap_err(),
        FrameError::TimestampOutOfRange { name: "t".into() }
    );
    // 65,535 bytes is the largest value; three of them pass the 128 KiB of headers.
    let max = "v".repeat(65_535);
    assert!(encode(&Message::default().add_header("a", max.as_str())).is_ok());
    let err = encode(
        &Message::default()
            .add_header("a", max.as_str())
            .add_header("b", max.as_str())
            .add_header("c", max.as_str()),
    )
    .unwrap_err();
    assert!(matches!(err, FrameError::HeadersTooLong { .. }), "{err:?}");
    let err = encode(&Message::new(vec![0; MAX_MESSAGE_SIZE as usize - 15])).unwrap_err();
    assert_eq!(err, FrameError::MessageTooLong { total_length: u64::from(MAX_MESSAGE_SIZE) + 1 });
}

#[test]
fn header_lookup_takes_the_first_and_checks_the_type() {
    let message = Message::new("")
        .add_header(":event-type", "first")
        .add_header(":event-type", "second")
        .add_header("n", HeaderValue::Int32(1));
    assert_eq!(message.header_str(":event-type"), Some("first"));
    assert_eq!(message.header_str("n"), None);
    assert_eq!(message.header("n"), Some(&HeaderValue::Int32(1)));
    assert_eq!(Header::new("x", true).value.wire_type(), 0);
    assert_eq!(to_aws(&message).headers().len(), 3);
}
