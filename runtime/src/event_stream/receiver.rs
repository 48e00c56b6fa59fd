//! The output side: events read from a response body.

use std::fmt;

use super::frame::{FrameError, MessageDecoder};
use super::message::Message;
use crate::http::BoxError;
use crate::primitives::ByteStream;
use crate::protocol::DeserializeError;

/// What the unmarshal function of an event union made of a message: an
/// event, or one of the union's modeled (`@error`) exceptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmarshalled<T, E> {
    /// An event of the union.
    Event(T),
    /// A modeled exception the service sent in the stream.
    Error(E),
}

/// Why [`EventReceiver::recv`] gave no event.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError<E> {
    /// A modeled exception of the event union (`:message-type` `exception`).
    Service(E),
    /// An error the model does not describe (`:message-type` `error`).
    Unmodeled {
        /// The `:error-code` header (empty when missing).
        code: String,
        /// The `:error-message` header (empty when missing).
        message: String,
    },
    /// The bytes are not a valid frame; the stream cannot go on.
    Frame(FrameError),
    /// A message that does not match the model.
    Unmarshal(DeserializeError),
    /// The response body could not be read; the stream cannot go on.
    Transport(BoxError),
}

/// The message says what went wrong, the inner error's included (like
/// `SdkError`'s), so `source` skips the inner error and goes on from its
/// own source.
impl<E: fmt::Display> fmt::Display for EventStreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStreamError::Service(err) => err.fmt(f),
            EventStreamError::Unmodeled { code, message } => {
                write!(f, "the service sent an error event `{code}`")?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            EventStreamError::Frame(err) => err.fmt(f),
            EventStreamError::Unmarshal(err) => write!(f, "an event does not match the model: {err}"),
            EventStreamError::Transport(err) => write!(f, "the event stream could not be read: {err}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for EventStreamError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventStreamError::Service(err) => err.source(),
            EventStreamError::Unmodeled { .. } => None,
            EventStreamError::Frame(err) => err.source(),
            EventStreamError::Unmarshal(err) => err.source(),
            EventStreamError::Transport(err) => err.source(),
        }
    }
}

/// The function generated for an event union: a message to an event or a
/// modeled exception.
pub type UnmarshalFn<T, E> = fn(&Message) -> Result<Unmarshalled<T, E>, DeserializeError>;

/// The events of an output event stream, read one at a time from the
/// response body.
///
/// ```
/// # async fn demo(mut events: smithy_runtime::event_stream::EventReceiver<String, std::io::Error>) {
/// while let Ok(Some(event)) = events.recv().await {
///     println!("{event}");
/// }
/// # }
/// ```
pub struct EventReceiver<T, E> {
    body: ByteStream,
    decoder: MessageDecoder,
    unmarshal: UnmarshalFn<T, E>,
    /// A message read ahead by `initial_response` that is not one.
    pending: Option<Message>,
    /// Whether the first message has been read (only it can be the
    /// `initial-response`).
    started: bool,
    /// The body ended or failed: `recv` returns `Ok(None)` from now on.
    done: bool,
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("started", &self.started)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T, E> EventReceiver<T, E> {
    /// A receiver reading `body` (a response body) and turning messages
    /// into events with `unmarshal`.
    pub fn new(body: ByteStream, unmarshal: UnmarshalFn<T, E>) -> Self {
        EventReceiver {
            body,
            decoder: MessageDecoder::new(),
            unmarshal,
            pending: None,
            started: false,
            done: false,
        }
    }

    /// The next event; `Ok(None)` once the stream has ended.
    ///
    /// A message of type `event` or `exception` goes through the unmarshal
    /// function (a modeled exception comes back as
    /// [`EventStreamError::Service`]); one of type `error` is
    /// [`EventStreamError::Unmodeled`]. An `initial-response` event at the
    /// start is skipped (see [`initial_response`](Self::initial_response)).
    /// After a frame or transport error the stream is over.
    pub async fn recv(&mut self) -> Result<Option<T>, EventStreamError<E>> {
        loop {
            let message = match self.pending.take() {
                Some(message) => message,
                None => match self.next_message().await? {
                    Some(message) => message,
                    None => return Ok(None),
                },
            };
            if let Some(event) = self.dispatch(&message)? {
                return Ok(Some(event));
            }
        }
    }

    /// The `initial-response` message the service sends before the events
    /// (for protocols that carry output members in it), reading the first
    /// message if needed. `Ok(None)` when the first message is something
    /// else, which [`recv`](Self::recv) then returns, or when it was already
    /// read by `recv`.
    pub async fn initial_response(&mut self) -> Result<Option<Message>, EventStreamError<E>> {
        if self.started {
            return Ok(None);
        }
        match self.next_message().await? {
            Some(message) if is_initial_response(&message) => Ok(Some(message)),
            other => {
                self.pending = other;
                Ok(None)
            }
        }
    }

    /// The event of `message`, or `None` for a message that is skipped.
    fn dispatch(&self, message: &Message) -> Result<Option<T>, EventStreamError<E>> {
        match message.header_str(":message-type") {
            Some("event") if is_initial_response(message) => Ok(None),
            Some("event" | "exception") => match (self.unmarshal)(message) {
                Ok(Unmarshalled::Event(event)) => Ok(Some(event)),
                Ok(Unmarshalled::Error(err)) => Err(EventStreamError::Service(err)),
                Err(err) => Err(EventStreamError::Unmarshal(err)),
            },
            Some("error") => Err(EventStreamError::Unmodeled {
                code: message.header_str(":error-code").unwrap_or_default().to_owned(),
                message: message.header_str(":error-message").unwrap_or_default().to_owned(),
            }),
            Some(_) => Err(EventStreamError::Unmarshal(DeserializeError::new(
                ":message-type",
                "expected `event`, `exception` or `error`, found another message type",
            ))),
            None => Err(EventStreamError::Unmarshal(DeserializeError::new(
                ":message-type",
                "expected a string header, found none",
            ))),
        }
    }

    /// The next message of the body, `None` at its end.
    async fn next_message(&mut self) -> Result<Option<Message>, EventStreamError<E>> {
        if self.done {
            return Ok(None);
        }
        let result = self.read_message().await;
        match &result {
            Ok(Some(_)) => self.started = true,
            Ok(None) | Err(_) => self.done = true,
        }
        result
    }

    async fn read_message(&mut self) -> Result<Option<Message>, EventStreamError<E>> {
        loop {
            if let Some(message) = self.decoder.next_message().map_err(EventStreamError::Frame)? {
                return Ok(Some(message));
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.decoder.push(chunk),
                Some(Err(err)) => return Err(EventStreamError::Transport(err.into())),
                None => {
                    self.decoder.finish().map_err(EventStreamError::Frame)?;
                    return Ok(None);
                }
            }
        }
    }
}

fn is_initial_response(message: &Message) -> bool {
    message.header_str(":event-type") == Some("initial-response")
}
