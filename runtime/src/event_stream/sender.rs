//! The input side: events written to a request body.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::frame::encode;
use super::message::Message;
use super::signing::{EventSigningParams, SigningSlot};
use super::ErrInto;
use crate::auth::sigv4::{sign_event, SigningParams, SigningSettings};
use crate::behavior::sleep::TimeSource;
use crate::http::BoxError;
use crate::primitives::ByteStream;
use crate::protocol::SerializeError;

type EventStream<T> = Pin<Box<dyn Stream<Item = Result<T, BoxError>> + Send + Sync>>;

/// The events of an input event stream, to be sent as the request body.
///
/// Build one from any stream of events with
/// [`from_stream`](Self::from_stream), from a channel with
/// [`channel`](Self::channel), or from a list with `From<Vec<T>>`. The
/// stream ending ends the request body; a stream error ends it with that
/// error.
///
/// ```
/// use smithy_runtime::event_stream::{EventStreamSender, Message, MessageDecoder, SigningSlot};
/// use smithy_runtime::protocol::SerializeError;
///
/// fn marshal(text: &String) -> Result<Message, SerializeError> {
///     Ok(Message::new(text.clone()).add_header(":message-type", "event"))
/// }
///
/// # tokio_test_main(async {
/// let (sender, events) = EventStreamSender::channel(8);
/// sender.send("hello".to_owned()).await.unwrap();
/// drop(sender); // the body ends when every sender is gone
/// // Nobody fills the slot here, so the frames go unsigned.
/// let body = events.into_body(marshal, None, SigningSlot::new()).collect().await.unwrap();
/// let mut decoder = MessageDecoder::new();
/// decoder.push(body);
/// assert_eq!(&decoder.next_message().unwrap().unwrap().payload[..], b"hello");
/// # });
/// # fn tokio_test_main(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
pub struct EventStreamSender<T> {
    pub(super) events: EventStream<T>,
}

impl<T> fmt::Debug for EventStreamSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamSender").finish_non_exhaustive()
    }
}

impl<T: Send + 'static> EventStreamSender<T> {
    /// Sends the events of `stream`, in order.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        EventStreamSender {
            events: Box::pin(ErrInto::new(stream)),
        }
    }

    /// A sender fed through a channel holding up to `capacity` events (at
    /// least 1): the request body ends when every `Sender` is dropped.
    pub fn channel(capacity: usize) -> (tokio::sync::mpsc::Sender<T>, Self) {
        let (sender, receiver) = tokio::sync::mpsc::channel(capacity.max(1));
        let events = ChannelEvents(receiver);
        (
            sender,
            EventStreamSender {
                events: Box::pin(events),
            },
        )
    }
}

impl<T: 'static> EventStreamSender<T> {
    /// The request body: [`into_frames`](Self::into_frames) as a
    /// [`ByteStream`] of unknown length, sent once (never replayed).
    pub fn into_body(self, marshal: MarshalFn<T>, initial: Option<Message>, slot: SigningSlot) -> ByteStream {
        ByteStream::from_stream(self.into_frames(marshal, initial, slot))
    }
}

impl<T> EventStreamSender<T> {
    /// The frames of the request body: `initial` (the `initial-request`
    /// message) first when given, then each event through `marshal`.
    ///
    /// The first time the stream is polled it looks at `slot`: when the call
    /// path has set it (the request was SigV4-signed), each frame is wrapped
    /// and signed in a chain seeded by the request's signature, and a signed
    /// empty frame ends the body; when it is unset, the frames go as they
    /// are and the body ends after the last event. A marshal, encoding or
    /// signing error ends the body with that error.
    pub fn into_frames(
        self,
        marshal: MarshalFn<T>,
        initial: Option<Message>,
        slot: SigningSlot,
    ) -> FrameStream<T> {
        FrameStream {
            events: self.events,
            marshal,
            initial,
            slot,
            signing: Signing::Undecided,
            state: State::Events,
        }
    }
}

/// The function generated for an event union: an event to its message.
pub type MarshalFn<T> = fn(&T) -> Result<Message, SerializeError>;

/// The encoded frames of an [`EventStreamSender`], from
/// [`EventStreamSender::into_frames`].
pub struct FrameStream<T> {
    events: EventStream<T>,
    marshal: MarshalFn<T>,
    initial: Option<Message>,
    slot: SigningSlot,
    signing: Signing,
    state: State,
}

impl<T> fmt::Debug for FrameStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameStream")
            .field("signed", &matches!(self.signing, Signing::Signed { .. }))
            .finish_non_exhaustive()
    }
}

enum Signing {
    /// Not polled yet: whether the slot is set is not known.
    Undecided,
    Unsigned,
    Signed {
        params: EventSigningParams,
        prior_signature: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Events,
    Done,
}

impl<T> FrameStream<T> {
    /// `message` as the bytes to send: its frame, wrapped and signed when
    /// signing.
    fn frame(&mut self, message: &Message) -> Result<Bytes, BoxError> {
        let frame = encode(message)?;
        self.sign(frame)
    }

    fn sign(&mut self, payload: Bytes) -> Result<Bytes, BoxError> {
        let Signing::Signed {
            params,
            prior_signature,
        } = &mut self.signing
        else {
            return Ok(payload);
        };
        let signed = sign_event(
            payload,
            prior_signature,
            &SigningParams {
                access_key: params.credentials.access_key_id(),
                secret_key: params.credentials.secret_access_key(),
                session_token: params.credentials.session_token(),
                region: &params.region,
                service: &params.service,
                time: params.clock.now(),
                settings: SigningSettings::default(),
            },
        )?;
        *prior_signature = signed.signature;
        Ok(encode(&signed.message)?)
    }

    fn next_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, BoxError>>> {
        if let Some(initial) = self.initial.take() {
            return Poll::Ready(Some(self.frame(&initial)));
        }
        match self.events.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(event))) => {
                let frame = (self.marshal)(&event)
                    .map_err(BoxError::from)
                    .and_then(|message| self.frame(&message));
                Poll::Ready(Some(frame))
            }
            Poll::Ready(Some(Err(err))) => Poll::Ready(Some(Err(err))),
            Poll::Ready(None) => {
                self.state = State::Done;
                match self.signing {
                    Signing::Signed { .. } => Poll::Ready(Some(self.sign(Bytes::new()))),
                    _ => Poll::Ready(None),
                }
            }
        }
    }
}

impl<T> Stream for FrameStream<T> {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.state == State::Done {
            return Poll::Ready(None);
        }
        if let Signing::Undecided = this.signing {
            this.signing = match this.slot.get() {
                Some(params) => Signing::Signed {
                    prior_signature: params.seed_signature.clone(),
                    params: params.clone(),
                },
                None => Signing::Unsigned,
            };
        }
        let next = this.next_frame(cx);
        if let Poll::Ready(Some(Err(_))) = next {
            this.state = State::Done;
        }
        next
    }
}

impl<T: Send + 'static> From<Vec<T>> for EventStreamSender<T> {
    fn from(events: Vec<T>) -> Self {
        EventStreamSender::from_stream(ListEvents(events.into_iter()))
    }
}

struct ChannelEvents<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> Stream for ChannelEvents<T> {
    type Item = Result<T, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|event| event.map(Ok))
    }
}

struct ListEvents<T>(std::vec::IntoIter<T>);

impl<T> Unpin for ListEvents<T> {}

impl<T> Stream for ListEvents<T> {
    type Item = Result<T, std::convert::Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.next().map(Ok))
    }
}
