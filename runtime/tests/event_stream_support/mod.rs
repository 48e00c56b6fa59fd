//! What the event-stream tests share: random messages, and conversion to and
//! from the types of `aws-smithy-types`, whose codec (`aws-smithy-eventstream`)
//! is the independent implementation ours is checked against.

#![allow(dead_code)]

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::SystemTime;

use aws_smithy_types::event_stream as aws;
use bytes::Bytes;
use futures_core::Stream;
use smithy_runtime::event_stream::{Header, HeaderValue, Message};
use smithy_runtime::DateTime;

/// A random message: up to 8 headers of every type (names of 1 to 255
/// bytes, some multi-byte UTF-8), a payload of up to `max_payload` bytes.
pub fn random_message(rng: &mut fastrand::Rng, max_payload: usize) -> Message {
    let len = rng.usize(0..=max_payload);
    let mut message = Message::new(random_bytes(rng, len));
    for _ in 0..rng.usize(0..=8) {
        message.headers.push(Header::new(random_name(rng), random_value(rng)));
    }
    message
}

pub fn random_bytes(rng: &mut fastrand::Rng, len: usize) -> Bytes {
    let mut bytes = vec![0; len];
    rng.fill(&mut bytes);
    Bytes::from(bytes)
}

fn random_text(rng: &mut fastrand::Rng, max_bytes: usize) -> String {
    let mut text = String::new();
    let chars = ['a', 'Z', '-', ':', 'é', '€', '😀', ' '];
    loop {
        let c = chars[rng.usize(..chars.len())];
        if text.len() + c.len_utf8() > max_bytes {
            return text;
        }
        text.push(c);
        if rng.u8(..) < 8 {
            return text;
        }
    }
}

fn random_name(rng: &mut fastrand::Rng) -> String {
    let max = if rng.bool() { 255 } else { 20 };
    let name = random_text(rng, max);
    if name.is_empty() {
        ":event-type".to_owned()
    } else {
        name
    }
}

pub fn random_value(rng: &mut fastrand::Rng) -> HeaderValue {
    match rng.u8(0..9) {
        0 => HeaderValue::Bool(rng.bool()),
        1 => HeaderValue::Byte(rng.i8(..)),
        2 => HeaderValue::Int16(rng.i16(..)),
        3 => HeaderValue::Int32(rng.i32(..)),
        4 => HeaderValue::Int64(rng.i64(..)),
        5 => {
            let len = if rng.u8(..) < 4 { 65_535 } else { rng.usize(0..64) };
            HeaderValue::ByteArray(random_bytes(rng, len))
        }
        6 => HeaderValue::String(random_text(rng, 300)),
        // Millisecond timestamps across the whole i64 range of millis.
        7 => HeaderValue::Timestamp(DateTime::from_millis(rng.i64(..))),
        _ => HeaderValue::Uuid(rng.u128(..)),
    }
}

pub fn to_aws(message: &Message) -> aws::Message {
    let headers = message
        .headers
        .iter()
        .map(|header| {
            let value = match &header.value {
                HeaderValue::Bool(v) => aws::HeaderValue::Bool(*v),
                HeaderValue::Byte(v) => aws::HeaderValue::Byte(*v),
                HeaderValue::Int16(v) => aws::HeaderValue::Int16(*v),
                HeaderValue::Int32(v) => aws::HeaderValue::Int32(*v),
                HeaderValue::Int64(v) => aws::HeaderValue::Int64(*v),
                HeaderValue::ByteArray(v) => aws::HeaderValue::ByteArray(v.clone()),
                HeaderValue::String(v) => aws::HeaderValue::String(v.clone().into()),
                HeaderValue::Timestamp(v) => aws::HeaderValue::Timestamp(
                    aws_smithy_types::DateTime::from_secs_and_nanos(v.secs(), v.subsec_nanos()),
                ),
                HeaderValue::Uuid(v) => aws::HeaderValue::Uuid(*v),
            };
            aws::Header::new(header.name.clone(), value)
        })
        .collect();
    aws::Message::new_from_parts(headers, message.payload.clone())
}

pub fn from_aws(message: &aws::Message) -> Message {
    let mut out = Message::new(message.payload().clone());
    for header in message.headers() {
        let value = match header.value() {
            aws::HeaderValue::Bool(v) => HeaderValue::Bool(*v),
            aws::HeaderValue::Byte(v) => HeaderValue::Byte(*v),
            aws::HeaderValue::Int16(v) => HeaderValue::Int16(*v),
            aws::HeaderValue::Int32(v) => HeaderValue::Int32(*v),
            aws::HeaderValue::Int64(v) => HeaderValue::Int64(*v),
            aws::HeaderValue::ByteArray(v) => HeaderValue::ByteArray(v.clone()),
            aws::HeaderValue::String(v) => HeaderValue::String(v.as_str().to_owned()),
            aws::HeaderValue::Timestamp(v) => {
                HeaderValue::Timestamp(DateTime::from_millis(v.to_millis().expect("millis fit")))
            }
            aws::HeaderValue::Uuid(v) => HeaderValue::Uuid(*v),
            other => panic!("a header value the test does not know: {other:?}"),
        };
        out.headers.push(Header::new(header.name().as_str(), value));
    }
    out
}

/// The frame of `message` as `aws-smithy-eventstream` writes it.
pub fn aws_encode(message: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&to_aws(message), &mut out).expect("aws encodes");
    out
}

/// A stream of the items of an iterator, each ready at once.
pub struct ListStream<I>(pub I);

impl<I: Iterator + Unpin> Stream for ListStream<I> {
    type Item = I::Item;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.0.next())
    }
}

/// The independent event signer of the `aws-sigv4` crate, for checking ours.
pub struct ReferenceSigner {
    pub access_key: &'static str,
    pub secret_key: &'static str,
    pub region: &'static str,
    pub service: &'static str,
}

impl ReferenceSigner {
    /// The signed frame and signature `aws-sigv4` gives for `message` (the
    /// end of the stream when `None`) after `prior` at `time`.
    pub fn sign(&self, message: Option<&Message>, prior: &str, time: SystemTime) -> (Vec<u8>, String) {
        let identity =
            aws_credential_types::Credentials::new(self.access_key, self.secret_key, None, None, "test").into();
        let params = aws_sigv4::event_stream::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(time)
            .settings(())
            .build()
            .expect("reference signing params");
        let output = match message {
            Some(message) => aws_sigv4::event_stream::sign_message(&to_aws(message), prior, &params),
            None => aws_sigv4::event_stream::sign_empty_message(prior, &params),
        }
        .expect("the reference signs");
        let (signed, signature) = output.into_parts();
        let mut frame = Vec::new();
        aws_smithy_eventstream::frame::write_message_to(&signed, &mut frame).expect("aws encodes");
        (frame, signature)
    }
}
