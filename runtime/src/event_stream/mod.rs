//! Event streams: the `application/vnd.amazon.eventstream` format and the
//! typed streams generated operations expose.
//!
//! - [`Message`], [`Header`] and [`HeaderValue`] are what a frame carries;
//!   [`encode`] writes one frame and [`MessageDecoder`] reads frames from
//!   chunks split anywhere. Every malformed, truncated or oversized input is
//!   a [`FrameError`].
//! - [`EventReceiver`] reads the events of an output stream from a response
//!   body, through the unmarshal function generated for the event union.
//! - [`EventStreamSender`] holds the events of an input stream; generated
//!   code turns it into the request body with
//!   [`EventStreamSender::into_body`], which signs each frame with the SigV4
//!   event chain once the call path fills the request's [`SigningSlot`].

mod frame;
mod message;
mod receiver;
mod sender;
mod signing;

pub(crate) use frame::write_header;
pub use frame::{encode, FrameError, MessageDecoder, MAX_HEADERS_SIZE, MAX_MESSAGE_SIZE};
pub use message::{Header, HeaderValue, Message};
pub use receiver::{EventReceiver, EventStreamError, UnmarshalFn, Unmarshalled};
pub use sender::{EventStreamSender, FrameStream, MarshalFn};
pub use signing::{EventSigningParams, SigningSlot};

use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::http::BoxError;

/// A stream of results with its errors boxed. It is `Sync` whatever the
/// stream is: the stream is reached only through `&mut`, behind a lock that
/// is never taken (`Mutex::get_mut` does not lock).
struct ErrInto<S>(Mutex<Pin<Box<S>>>);

impl<S> ErrInto<S> {
    fn new(stream: S) -> Self {
        ErrInto(Mutex::new(Box::pin(stream)))
    }
}

impl<S, T, E> Stream for ErrInto<S>
where
    S: Stream<Item = Result<T, E>>,
    E: Into<BoxError>,
{
    type Item = Result<T, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let stream = self.0.get_mut().unwrap_or_else(PoisonError::into_inner);
        stream
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|result| result.map_err(Into::into)))
    }
}
