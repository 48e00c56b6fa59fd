//! The body jobs of the default client, done on the `http-body` traits
//! directly: a request body sent in one piece or streamed, and a response
//! body read whole.

use std::convert::Infallible;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};

use crate::primitives::{ByteStream, ByteStreamError};

/// A request body that is one buffer, sent as a single data frame (none at
/// all when empty) with its exact length announced.
#[derive(Debug)]
pub(crate) struct WholeBody(Option<Bytes>);

impl WholeBody {
    pub(crate) fn new(bytes: Bytes) -> Self {
        WholeBody(Some(bytes).filter(|b| !b.is_empty()))
    }
}

impl Body for WholeBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.get_mut().0.take().map(|bytes| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.as_ref().map_or(0, |bytes| bytes.len() as u64))
    }
}

/// The request body of the default client: one buffer (every ordinary
/// operation), or a [`ByteStream`] read as it is sent.
#[derive(Debug)]
pub(crate) enum RequestBody {
    Whole(WholeBody),
    Stream(ByteStream),
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ByteStreamError>>> {
        match self.get_mut() {
            RequestBody::Whole(body) => match Pin::new(body).poll_frame(cx) {
                Poll::Ready(frame) => Poll::Ready(frame.map(|r| r.map_err(|never| match never {}))),
                Poll::Pending => Poll::Pending,
            },
            RequestBody::Stream(body) => Pin::new(body).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            RequestBody::Whole(body) => body.is_end_stream(),
            RequestBody::Stream(body) => Body::is_end_stream(body),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            RequestBody::Whole(body) => body.size_hint(),
            RequestBody::Stream(body) => Body::size_hint(body),
        }
    }
}

/// Why [`read_whole`] stopped without the whole body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ReadError<E> {
    /// The body itself failed.
    Body(E),
    /// The body is longer than the limit: it said so up front (its length,
    /// from `Content-Length`, is given) or grew past it while being read.
    TooLarge { announced: Option<u64> },
}

/// Reads every data frame of `body` into one buffer of at most `limit`
/// bytes; trailers are dropped. A body of a single frame is returned without
/// copying.
///
/// A body whose size hint (its `Content-Length`) is already above `limit`
/// fails before anything is read; any other stops as soon as what it has
/// sent passes `limit`, without polling it again.
pub(crate) async fn read_whole<B>(mut body: B, limit: u64) -> Result<Bytes, ReadError<B::Error>>
where
    B: Body<Data = Bytes> + Unpin,
{
    let announced = body.size_hint().lower();
    if announced > limit {
        return Err(ReadError::TooLarge {
            announced: Some(announced),
        });
    }
    let mut joined = Joined::default();
    let mut total: u64 = 0;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(data) = frame.map_err(ReadError::Body)?.into_data() else {
            continue;
        };
        total = total.saturating_add(data.len() as u64);
        if total > limit {
            return Err(ReadError::TooLarge { announced: None });
        }
        joined.push(data);
    }
    Ok(joined.finish())
}

/// Chunks joined into one buffer: the first non-empty chunk is kept as it
/// is, and copied only when a second one follows.
#[derive(Debug, Default)]
pub(crate) struct Joined {
    first: Bytes,
    rest: Option<BytesMut>,
}

impl Joined {
    /// Appends `data` (an empty chunk changes nothing).
    pub(crate) fn push(&mut self, data: Bytes) {
        if data.is_empty() {
            return;
        }
        match &mut self.rest {
            Some(buffer) => buffer.extend_from_slice(&data),
            None if self.first.is_empty() => self.first = data,
            None => {
                let mut buffer = BytesMut::with_capacity(self.first.len() + data.len());
                buffer.extend_from_slice(&self.first);
                buffer.extend_from_slice(&data);
                self.rest = Some(buffer);
            }
        }
    }

    /// Everything pushed, as one buffer.
    pub(crate) fn finish(self) -> Bytes {
        self.rest.map_or(self.first, BytesMut::freeze)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;

    /// A body that yields a scripted list of frames and errors.
    struct Script(VecDeque<Result<Frame<Bytes>, &'static str>>);

    impl Body for Script {
        type Data = Bytes;
        type Error = &'static str;

        fn poll_frame(
            self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, &'static str>>> {
            Poll::Ready(self.get_mut().0.pop_front())
        }
    }

    fn data(text: &'static str) -> Result<Frame<Bytes>, &'static str> {
        Ok(Frame::data(Bytes::from_static(text.as_bytes())))
    }

    #[tokio::test]
    async fn a_whole_body_is_one_frame_of_known_length() {
        let mut body = WholeBody::new(Bytes::from_static(b"{}"));
        assert!(!body.is_end_stream());
        assert_eq!(body.size_hint().exact(), Some(2));
        let frame = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await;
        let frame = frame.and_then(Result::ok).and_then(|f| f.into_data().ok());
        assert_eq!(frame.as_deref(), Some(&b"{}"[..]));
        assert!(body.is_end_stream());
        assert_eq!(body.size_hint().exact(), Some(0));
        assert!(poll_fn(|cx| Pin::new(&mut body).poll_frame(cx))
            .await
            .is_none());

        let empty = WholeBody::new(Bytes::new());
        assert!(empty.is_end_stream());
        assert_eq!(empty.size_hint().exact(), Some(0));
        assert_eq!(read_whole(empty, 0).await, Ok(Bytes::new()));
    }

    #[tokio::test]
    async fn frames_are_joined_and_trailers_dropped() {
        let trailers = Frame::trailers(http::HeaderMap::new());
        let body = Script(VecDeque::from([
            data("ab"),
            data(""),
            data("c"),
            Ok(trailers),
            data("de"),
        ]));
        assert_eq!(read_whole(body, 5).await, Ok(Bytes::from_static(b"abcde")));

        let single = Bytes::from_static(b"only");
        let pointer = single.as_ptr();
        let body = Script(VecDeque::from([Ok(Frame::data(single))]));
        let read = read_whole(body, u64::MAX).await.expect("no error");
        assert_eq!(read.as_ptr(), pointer, "one frame is not copied");

        let body = Script(VecDeque::new());
        assert_eq!(read_whole(body, u64::MAX).await, Ok(Bytes::new()));
    }

    #[tokio::test]
    async fn an_error_frame_ends_the_read() {
        let body = Script(VecDeque::from([data("ab"), Err("reset"), data("c")]));
        assert_eq!(read_whole(body, 100).await, Err(ReadError::Body("reset")));
    }

    #[tokio::test]
    async fn reading_stops_as_soon_as_the_limit_is_passed() {
        // The error after the second frame is never polled.
        let body = Script(VecDeque::from([
            data("0123456789"),
            data("0123456789"),
            Err("polled past the limit"),
        ]));
        assert_eq!(
            read_whole(body, 15).await,
            Err(ReadError::TooLarge { announced: None })
        );
        let body = Script(VecDeque::from([data("0123456789"), data("01234")]));
        assert_eq!(read_whole(body, 15).await.map(|b| b.len()), Ok(15));
    }

    #[tokio::test]
    async fn a_length_announced_above_the_limit_fails_before_reading() {
        let body = WholeBody::new(Bytes::from_static(b"0123456789"));
        assert_eq!(
            read_whole(body, 9).await,
            Err(ReadError::TooLarge { announced: Some(10) })
        );
    }
}
