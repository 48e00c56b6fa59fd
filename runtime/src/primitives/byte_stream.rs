//! [`ByteStream`]: the body of a `@streaming` blob, sent or received without
//! holding all of it in memory.
//!
//! See [`ByteStream`].

use std::error::Error;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io::{self, Read};
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{ready, Context, Poll};

use bytes::{Buf, Bytes};
use futures_core::Stream;
use http_body::{Body, Frame, SizeHint};
use tokio::task::JoinHandle;

use crate::http::body::Joined;
use crate::http::BoxError;

/// How much of a file one read takes: 64 KiB.
const FILE_CHUNK: usize = 64 * 1024;

/// A body of bytes that may be too large to hold in memory: in memory, a
/// file, or a stream.
///
/// A byte stream is one of four things:
///
/// | built with | length | replayable ([`ByteStream::try_clone`]) |
/// |---|---|---|
/// | bytes in memory (`From<Bytes>`, `From<Vec<u8>>`, [`ByteStream::from_static`], …) | known | yes: the bytes are shared |
/// | a file ([`ByteStream::from_path`]) | known (when opened) | yes: the file is read again from its start |
/// | any stream of `Bytes` ([`ByteStream::from_stream`]) | unknown unless [`with_length`](ByteStream::with_length) | no |
/// | an `http_body::Body` ([`ByteStream::from_body`]), such as a response | as the body says | no |
///
/// A call retries a request whose body is replayable with a fresh copy; a
/// body that is not replayable is sent once.
///
/// Read one with [`next`](ByteStream::next), [`collect`](ByteStream::collect),
/// as a [`Stream`], or as a [`tokio::io::AsyncRead`]
/// ([`into_async_read`](ByteStream::into_async_read)).
///
/// ```
/// use smithy_runtime::primitives::ByteStream;
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let mut body = ByteStream::from_static(b"hello");
/// assert_eq!(body.content_length(), Some(5));
/// let again = body.try_clone().expect("bytes in memory replay");
/// assert_eq!(body.next().await.transpose()?.as_deref(), Some(&b"hello"[..]));
/// assert_eq!(again.collect().await?.as_ref(), b"hello");
/// # Ok(()) }
/// ```
///
/// Its `Debug` output shows what kind of body it is and its length, never
/// its content. It is `Send` and `Sync`; it is neither `Clone` (use
/// [`try_clone`](Self::try_clone), which says whether the body can be
/// replayed) nor `PartialEq`.
pub struct ByteStream {
    inner: Inner,
}

/// A stream of chunks, its error boxed.
type DynStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;
/// A body, its error boxed.
type DynBody = Pin<Box<dyn Body<Data = Bytes, Error = BoxError> + Send>>;

enum Inner {
    /// Bytes in memory; `sent` once they have been read.
    Memory { data: Bytes, sent: bool },
    File(FileBody),
    /// A stream of chunks, with the length it was declared to have.
    Stream {
        stream: Exclusive<DynStream>,
        length: Option<u64>,
        read: u64,
        done: bool,
    },
    /// An `http_body::Body`, such as a response body.
    Body(Exclusive<DynBody>),
}

impl ByteStream {
    /// An empty body.
    pub fn new() -> Self {
        ByteStream::from(Bytes::new())
    }

    /// A body of `bytes`, without copying them.
    pub fn from_static(bytes: &'static [u8]) -> Self {
        ByteStream::from(Bytes::from_static(bytes))
    }

    /// The file at `path`, read in chunks as the body is read.
    ///
    /// Its length is taken now, from the file's metadata; the body is exactly
    /// that long (a file that has since grown is cut at that length, one that
    /// has shrunk fails with a [`ByteStreamError`] when the end comes early).
    /// The body is replayable: every [`try_clone`](Self::try_clone) opens
    /// the file again and reads it from its start.
    ///
    /// Fails when the file cannot be read or is not a regular file.
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<ByteStream> {
        let path: Arc<Path> = Arc::from(path.as_ref());
        let metadata = {
            let path = Arc::clone(&path);
            blocking(move || std::fs::metadata(&path)).await?
        };
        if !metadata.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{}` is not a regular file", path.display()),
            ));
        }
        Ok(ByteStream {
            inner: Inner::File(FileBody::new(path, metadata.len())),
        })
    }

    /// A body read from `stream`, chunk by chunk. Its length is unknown
    /// (requests send it chunked) unless given with
    /// [`with_length`](Self::with_length). It is not replayable: a request
    /// with this body is sent once, never retried.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        ByteStream {
            inner: Inner::Stream {
                stream: Exclusive::new(Box::pin(MapErr { inner: stream })),
                length: None,
                read: 0,
                done: false,
            },
        }
    }

    /// A body read from `body` (for example a response body), frame by
    /// frame; trailers are skipped by [`next`](Self::next). Its length is
    /// what the body's size hint says exactly. Not replayable.
    pub fn from_body<B>(body: B) -> Self
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        ByteStream {
            inner: Inner::Body(Exclusive::new(Box::pin(MapBodyErr { inner: body }))),
        }
    }

    /// Declares the exact length of a body built with
    /// [`from_stream`](Self::from_stream), so a request announces it in
    /// `Content-Length` instead of being sent chunked. A stream that then
    /// yields more or fewer bytes fails with a [`ByteStreamError`]. Other
    /// bodies already know their length and are returned unchanged.
    pub fn with_length(mut self, length: u64) -> Self {
        if let Inner::Stream { length: declared, .. } = &mut self.inner {
            *declared = Some(length);
        }
        self
    }

    /// The next chunk of the body, `None` at its end. Chunks are never
    /// empty.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the rest of the body into one buffer. A body in memory is
    /// returned without copying, as is a body that arrives in one chunk.
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        if let Inner::Memory { data, sent } = &self.inner {
            return Ok(if *sent { Bytes::new() } else { data.clone() });
        }
        let mut joined = Joined::default();
        while let Some(chunk) = self.next().await {
            joined.push(chunk?);
        }
        Ok(joined.finish())
    }

    /// The body as a [`tokio::io::AsyncRead`]; a failure of the body is an
    /// `io::Error` whose inner error is the [`ByteStreamError`].
    pub fn into_async_read(self) -> impl tokio::io::AsyncRead + Send + Sync + Unpin + 'static {
        Reader {
            stream: self,
            chunk: Bytes::new(),
        }
    }

    /// The exact number of bytes left to read, when known: always for
    /// bytes in memory and files, for a stream only when declared with
    /// [`with_length`](Self::with_length), for a body when its size hint is
    /// exact.
    pub fn content_length(&self) -> Option<u64> {
        self.size_hint().1.filter(|_| self.length_is_exact())
    }

    /// The least and, when known, the most bytes left to read.
    pub fn size_hint(&self) -> (u64, Option<u64>) {
        let hint = Body::size_hint(self);
        (hint.lower(), hint.upper())
    }

    fn length_is_exact(&self) -> bool {
        let (lower, upper) = self.size_hint();
        upper == Some(lower)
    }

    /// The bytes of a body held in memory (all of them, whether read yet or
    /// not); `None` for a file or a stream.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Memory { data, .. } => Some(data),
            _ => None,
        }
    }

    /// A new body that reads the same content from its start, when this one
    /// can be replayed: bytes in memory (shared, not copied) and files
    /// (opened again). `None` for streams and bodies, which can be read only
    /// once.
    pub fn try_clone(&self) -> Option<ByteStream> {
        let inner = match &self.inner {
            Inner::Memory { data, .. } => Inner::Memory {
                data: data.clone(),
                sent: false,
            },
            Inner::File(file) => Inner::File(FileBody::new(Arc::clone(&file.path), file.length)),
            Inner::Stream { .. } | Inner::Body(_) => return None,
        };
        Some(ByteStream { inner })
    }

    /// The path of a body read from a file.
    pub fn path(&self) -> Option<&Path> {
        match &self.inner {
            Inner::File(file) => Some(&file.path),
            _ => None,
        }
    }

    /// Whether this body is bytes in memory, a file, a stream or a body, for
    /// `Debug` and error messages.
    fn kind(&self) -> &'static str {
        match &self.inner {
            Inner::Memory { .. } => "bytes",
            Inner::File(_) => "file",
            Inner::Stream { .. } => "stream",
            Inner::Body(_) => "body",
        }
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::new()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ByteStream");
        debug.field("kind", &self.kind());
        if let Some(path) = self.path() {
            debug.field("path", &path);
        }
        debug.field("content_length", &self.content_length()).finish()
    }
}

impl From<Bytes> for ByteStream {
    fn from(data: Bytes) -> Self {
        ByteStream {
            inner: Inner::Memory { data, sent: false },
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::from(Bytes::from(bytes))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::from(Bytes::from(text))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        ByteStream::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        ByteStream::from_static(bytes)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            let frame = ready!(Pin::new(&mut *this).poll_frame(cx));
            match frame {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // Chunks, not bytes: at least one while bytes are left.
        (usize::from(!Body::is_end_stream(self)), None)
    }
}

impl Body for ByteStream {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ByteStreamError>>> {
        match &mut self.get_mut().inner {
            Inner::Memory { data, sent } => {
                let first = !std::mem::replace(sent, true);
                Poll::Ready((first && !data.is_empty()).then(|| Ok(Frame::data(data.clone()))))
            }
            Inner::File(file) => file.poll_chunk(cx).map(|chunk| chunk.map(|r| r.map(Frame::data))),
            Inner::Stream {
                stream,
                length,
                read,
                done,
            } => {
                if *done {
                    return Poll::Ready(None);
                }
                let next = ready!(stream.get().as_mut().poll_next(cx));
                let result = match next {
                    Some(Ok(chunk)) => {
                        *read = read.saturating_add(chunk.len() as u64);
                        match *length {
                            Some(expected) if *read > expected => Some(Err(ByteStreamError::length(expected, *read, true))),
                            _ => Some(Ok(Frame::data(chunk))),
                        }
                    }
                    Some(Err(error)) => Some(Err(ByteStreamError::new(ErrorKind::Stream, error))),
                    None => match *length {
                        Some(expected) if *read != expected => Some(Err(ByteStreamError::length(expected, *read, false))),
                        _ => None,
                    },
                };
                *done = !matches!(result, Some(Ok(_)));
                Poll::Ready(result)
            }
            Inner::Body(body) => body
                .get()
                .as_mut()
                .poll_frame(cx)
                .map_err(|error| ByteStreamError::new(ErrorKind::Body, error)),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Memory { data, sent } => *sent || data.is_empty(),
            Inner::File(file) => file.remaining == 0 || file.failed,
            Inner::Stream { done, .. } => *done,
            Inner::Body(body) => body.peek().is_some_and(|body| body.is_end_stream()),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Memory { data, sent } => SizeHint::with_exact(if *sent { 0 } else { data.len() as u64 }),
            Inner::File(file) => SizeHint::with_exact(file.remaining),
            Inner::Stream { length: Some(length), read, done: false, .. } => {
                SizeHint::with_exact(length.saturating_sub(*read))
            }
            Inner::Stream { done: true, .. } => SizeHint::with_exact(0),
            Inner::Stream { .. } => SizeHint::default(),
            Inner::Body(body) => body.peek().map(|body| body.size_hint()).unwrap_or_default(),
        }
    }
}

/// A file read chunk by chunk on tokio's blocking pool.
struct FileBody {
    path: Arc<Path>,
    /// The length the body has: the file's when it was first opened.
    length: u64,
    remaining: u64,
    state: FileState,
    failed: bool,
}

enum FileState {
    /// Not opened yet.
    Closed,
    /// Open, positioned after what has been read.
    Open(std::fs::File),
    /// A read (after an open, on the first) running on the blocking pool.
    Reading(JoinHandle<io::Result<(std::fs::File, Bytes)>>),
}

impl FileBody {
    fn new(path: Arc<Path>, length: u64) -> Self {
        FileBody {
            path,
            length,
            remaining: length,
            state: FileState::Closed,
            failed: false,
        }
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        if self.failed || (self.remaining == 0 && !matches!(self.state, FileState::Reading(_))) {
            return Poll::Ready(None);
        }
        loop {
            match std::mem::replace(&mut self.state, FileState::Closed) {
                FileState::Reading(mut task) => {
                    let joined = match Pin::new(&mut task).poll(cx) {
                        Poll::Pending => {
                            self.state = FileState::Reading(task);
                            return Poll::Pending;
                        }
                        Poll::Ready(joined) => joined,
                    };
                    let read = joined.map_err(io::Error::other).and_then(|read| read);
                    return Poll::Ready(Some(self.after_read(read)));
                }
                state => {
                    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                        self.failed = true;
                        let error = io::Error::other("a file body can only be read inside a tokio runtime");
                        return Poll::Ready(Some(Err(self.io_error(error))));
                    };
                    let want = usize::try_from(self.remaining).map_or(FILE_CHUNK, |left| left.min(FILE_CHUNK));
                    let path = Arc::clone(&self.path);
                    let file = match state {
                        FileState::Open(file) => Some(file),
                        _ => None,
                    };
                    self.state = FileState::Reading(runtime.spawn_blocking(move || {
                        let mut file = match file {
                            Some(file) => file,
                            None => std::fs::File::open(&path)?,
                        };
                        let chunk = read_chunk(&mut file, want)?;
                        Ok((file, chunk))
                    }));
                }
            }
        }
    }

    fn after_read(&mut self, read: io::Result<(std::fs::File, Bytes)>) -> Result<Bytes, ByteStreamError> {
        match read {
            Ok((_, chunk)) if chunk.is_empty() => {
                self.failed = true;
                let read = self.length - self.remaining;
                let error = io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("the file ended after {read} of its {} bytes: it shrank since it was opened", self.length),
                );
                Err(self.io_error(error))
            }
            Ok((file, chunk)) => {
                self.remaining -= chunk.len() as u64;
                self.state = FileState::Open(file);
                Ok(chunk)
            }
            Err(error) => {
                self.failed = true;
                Err(self.io_error(error))
            }
        }
    }

    fn io_error(&self, error: io::Error) -> ByteStreamError {
        ByteStreamError::new(ErrorKind::File(Arc::clone(&self.path)), error)
    }
}

/// Up to `want` bytes from `file`; fewer only at its end.
fn read_chunk(file: &mut std::fs::File, want: usize) -> io::Result<Bytes> {
    let mut buffer = vec![0; want];
    let mut filled = 0;
    while filled < want {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    buffer.truncate(filled);
    Ok(Bytes::from(buffer))
}

/// Runs `work` on tokio's blocking pool, or in place outside a runtime.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> io::Result<T> + Send + 'static) -> io::Result<T> {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => runtime.spawn_blocking(work).await.map_err(io::Error::other)?,
        Err(_) => work(),
    }
}

/// A value reached only through `&mut`, which makes it `Sync` whatever it
/// is: a lock that is never taken (`Mutex::get_mut` does not lock).
struct Exclusive<T>(Mutex<T>);

impl<T> Exclusive<T> {
    fn new(value: T) -> Self {
        Exclusive(Mutex::new(value))
    }

    fn get(&mut self) -> &mut T {
        self.0.get_mut().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value behind `&self`, when no one else holds it (never, since
    /// every other access is through `&mut`).
    fn peek(&self) -> Option<std::sync::MutexGuard<'_, T>> {
        self.0.try_lock().ok()
    }
}

pin_project_lite::pin_project! {
    /// A stream with its error boxed.
    struct MapErr<S> {
        #[pin]
        inner: S,
    }
}

impl<S, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let item = ready!(self.project().inner.poll_next(cx));
        Poll::Ready(item.map(|result| result.map_err(Into::into)))
    }
}

pin_project_lite::pin_project! {
    /// A body with its error boxed.
    struct MapBodyErr<B> {
        #[pin]
        inner: B,
    }
}

impl<B> Body for MapBodyErr<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let frame = ready!(self.project().inner.poll_frame(cx));
        Poll::Ready(frame.map(|result| result.map_err(Into::into)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Reads a [`ByteStream`] through `AsyncRead`.
struct Reader {
    stream: ByteStream,
    chunk: Bytes,
}

impl tokio::io::AsyncRead for Reader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        while this.chunk.is_empty() {
            match ready!(Pin::new(&mut this.stream).poll_next(cx)) {
                Some(Ok(chunk)) => this.chunk = chunk,
                Some(Err(error)) => return Poll::Ready(Err(io::Error::other(error))),
                None => return Poll::Ready(Ok(())),
            }
        }
        let n = buf.remaining().min(this.chunk.len());
        buf.put_slice(&this.chunk[..n]);
        this.chunk.advance(n);
        Poll::Ready(Ok(()))
    }
}

/// Why reading a [`ByteStream`] failed: the file could not be read, the
/// stream or body it was built from failed, or a stream's declared length
/// was wrong. The cause is its [`source`](Error::source).
#[derive(Debug)]
pub struct ByteStreamError {
    kind: ErrorKind,
    source: Option<BoxError>,
}

#[derive(Debug)]
enum ErrorKind {
    File(Arc<Path>),
    Stream,
    Body,
    Length { expected: u64, read: u64, over: bool },
}

impl ByteStreamError {
    fn new(kind: ErrorKind, source: impl Into<BoxError>) -> Self {
        ByteStreamError {
            kind,
            source: Some(source.into()),
        }
    }

    fn length(expected: u64, read: u64, over: bool) -> Self {
        ByteStreamError {
            kind: ErrorKind::Length { expected, read, over },
            source: None,
        }
    }

    /// The file that could not be read, for a body built with
    /// [`ByteStream::from_path`].
    pub fn path(&self) -> Option<&Path> {
        match &self.kind {
            ErrorKind::File(path) => Some(path),
            _ => None,
        }
    }

    /// True when a stream yielded more or fewer bytes than declared with
    /// [`ByteStream::with_length`].
    pub fn is_length_mismatch(&self) -> bool {
        matches!(self.kind, ErrorKind::Length { .. })
    }

    /// The I/O error behind this one, if that is what it is.
    pub fn io_error(&self) -> Option<&io::Error> {
        self.source.as_deref()?.downcast_ref()
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::File(path) => write!(f, "failed to read the file `{}`", path.display())?,
            ErrorKind::Stream => f.write_str("the byte stream failed")?,
            ErrorKind::Body => f.write_str("the body failed")?,
            ErrorKind::Length { expected, read, over: true } => {
                write!(f, "the stream yielded more than its declared length of {expected} bytes ({read} so far)")?
            }
            ErrorKind::Length { expected, read, over: false } => {
                write!(f, "the stream ended after {read} bytes, short of its declared length of {expected}")?
            }
        }
        match &self.source {
            Some(source) => write!(f, ": {source}"),
            None => Ok(()),
        }
    }
}

impl Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|source| source as &(dyn Error + 'static))
    }
}


#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::io::Write;

    use tokio::io::AsyncReadExt;

    use super::*;

    /// A stream of scripted chunks and errors.
    fn script(items: Vec<Result<&'static str, &'static str>>) -> impl Stream<Item = Result<Bytes, BoxError>> + Send {
        struct Script(VecDeque<Result<&'static str, &'static str>>);
        impl Stream for Script {
            type Item = Result<Bytes, BoxError>;
            fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                let item = self.get_mut().0.pop_front();
                Poll::Ready(item.map(|r| r.map(|text| Bytes::from_static(text.as_bytes())).map_err(Into::into)))
            }
        }
        Script(items.into())
    }

    async fn chunks(mut body: ByteStream) -> Result<Vec<Bytes>, ByteStreamError> {
        let mut chunks = Vec::new();
        while let Some(chunk) = body.next().await {
            chunks.push(chunk?);
        }
        Ok(chunks)
    }

    fn file_with(content: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(content).expect("write temp file");
        file.flush().expect("flush temp file");
        file
    }

    /// `len` bytes that differ from one position to the next.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn a_byte_stream_is_send_sync_and_unpin() {
        fn check<T: Send + Sync + Unpin + 'static>() {}
        check::<ByteStream>();
        check::<ByteStreamError>();
    }

    #[tokio::test]
    async fn bytes_in_memory_are_one_chunk_of_known_length_and_replay() {
        let data = Bytes::from_static(b"hello world");
        let mut body = ByteStream::from(data.clone());
        assert_eq!(body.content_length(), Some(11));
        assert_eq!(body.size_hint(), (11, Some(11)));
        assert_eq!(body.bytes(), Some(&data));
        let replay = body.try_clone().expect("bytes replay");
        let first = body.next().await.transpose().expect("no error").expect("one chunk");
        assert_eq!(first.as_ptr(), data.as_ptr(), "the chunk is the bytes, not a copy");
        assert!(body.next().await.is_none());
        assert_eq!(body.content_length(), Some(0), "nothing left to read");
        assert_eq!(body.bytes(), Some(&data), "bytes() still shows the content");
        let again = body.try_clone().expect("replays after being read");
        assert_eq!(again.collect().await.expect("collect"), data);
        assert_eq!(replay.collect().await.expect("collect").as_ptr(), data.as_ptr());
        assert_eq!(body.collect().await.expect("collect"), Bytes::new(), "a read body collects nothing");
    }

    #[tokio::test]
    async fn every_constructor_of_bytes_in_memory() {
        let bodies = [
            ByteStream::from_static(b"abc"),
            ByteStream::from(b"abc".to_vec()),
            ByteStream::from(String::from("abc")),
            ByteStream::from("abc"),
            ByteStream::from(&b"abc"[..]),
        ];
        for body in bodies {
            assert_eq!(body.content_length(), Some(3), "{body:?}");
            assert_eq!(body.collect().await.expect("collect").as_ref(), b"abc");
        }
        for mut empty in [ByteStream::new(), ByteStream::default()] {
            assert_eq!(empty.content_length(), Some(0));
            assert!(Body::is_end_stream(&empty));
            assert!(empty.next().await.is_none(), "an empty body has no chunk");
        }
    }

    #[test]
    fn debug_shows_the_kind_and_length_never_the_content() {
        let text = format!("{:?}", ByteStream::from("secret payload"));
        assert_eq!(text, r#"ByteStream { kind: "bytes", content_length: Some(14) }"#);
        let text = format!("{:?}", ByteStream::from_stream(script(vec![Ok("secret")])));
        assert_eq!(text, r#"ByteStream { kind: "stream", content_length: None }"#);
    }

    #[tokio::test]
    async fn a_file_is_read_in_chunks_of_its_known_length_and_replays() {
        let content = pattern(3 * FILE_CHUNK / 2 + 7);
        let file = file_with(&content);
        let body = ByteStream::from_path(file.path()).await.expect("from_path");
        assert_eq!(body.content_length(), Some(content.len() as u64));
        assert_eq!(body.path(), Some(file.path()));
        assert_eq!(body.bytes(), None);
        assert!(format!("{body:?}").contains(r#"kind: "file""#));
        let replay = body.try_clone().expect("a file replays");
        let read = chunks(body).await.expect("read");
        let sizes: Vec<usize> = read.iter().map(Bytes::len).collect();
        assert_eq!(sizes, [FILE_CHUNK, FILE_CHUNK / 2 + 7]);
        assert_eq!(read.concat(), content);
        assert_eq!(replay.collect().await.expect("replay").as_ref(), &content[..]);
    }

    #[tokio::test]
    async fn a_file_is_cut_at_its_length_and_fails_when_it_shrank() {
        let file = file_with(b"0123456789");
        let body = ByteStream::from_path(file.path()).await.expect("from_path");
        let shrinks = body.try_clone().expect("replay");
        let grows = body.try_clone().expect("replay");
        drop(body);

        file.as_file().set_len(4).expect("truncate");
        let error = shrinks.collect().await.expect_err("a shrunk file fails");
        assert_eq!(error.path(), Some(file.path()));
        assert_eq!(error.io_error().map(io::Error::kind), Some(io::ErrorKind::UnexpectedEof));
        assert!(error.to_string().contains("ended after 4 of its 10 bytes"), "{error}");

        std::fs::write(file.path(), b"0123456789 and more").expect("rewrite");
        assert_eq!(grows.collect().await.expect("read").as_ref(), b"0123456789");
    }

    #[tokio::test]
    async fn from_path_fails_for_a_missing_file_or_a_directory() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = ByteStream::from_path(dir.path().join("missing")).await.expect_err("missing");
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let directory = ByteStream::from_path(dir.path()).await.expect_err("a directory");
        assert_eq!(directory.kind(), io::ErrorKind::InvalidInput);
        assert!(directory.to_string().contains("is not a regular file"), "{directory}");
    }

    #[tokio::test]
    async fn a_file_removed_after_from_path_fails_with_its_path() {
        let file = file_with(b"data");
        let body = ByteStream::from_path(file.path()).await.expect("from_path");
        let path = file.path().to_owned();
        drop(file);
        let error = body.collect().await.expect_err("the file is gone");
        assert_eq!(error.path(), Some(path.as_path()));
        assert_eq!(error.io_error().map(io::Error::kind), Some(io::ErrorKind::NotFound));
        assert!(error.to_string().starts_with("failed to read the file `"), "{error}");
    }

    #[test]
    fn a_file_read_outside_a_tokio_runtime_is_an_error() {
        let file = file_with(b"data");
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let mut body = runtime.block_on(ByteStream::from_path(file.path())).expect("from_path");
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let polled = Pin::new(&mut body).poll_next(&mut cx);
        let Poll::Ready(Some(Err(error))) = polled else {
            panic!("expected an error, got {polled:?}");
        };
        assert!(error.to_string().contains("inside a tokio runtime"), "{error}");
        assert!(matches!(Pin::new(&mut body).poll_next(&mut cx), Poll::Ready(None)));
    }

    #[tokio::test]
    async fn a_stream_is_passed_through_once_and_cannot_be_replayed() {
        let body = ByteStream::from_stream(script(vec![Ok("ab"), Ok(""), Ok("cd")]));
        assert_eq!(body.content_length(), None);
        assert_eq!(body.size_hint(), (0, None));
        assert!(body.try_clone().is_none(), "a stream is one-shot");
        assert_eq!(chunks(body).await.expect("read"), ["ab", "cd"], "empty chunks are skipped");
    }

    #[tokio::test]
    async fn a_failing_stream_ends_with_its_error() {
        let mut body = ByteStream::from_stream(script(vec![Ok("ab"), Err("disk on fire"), Ok("never")]));
        assert_eq!(body.next().await.transpose().expect("first chunk").as_deref(), Some(&b"ab"[..]));
        let error = body.next().await.and_then(Result::err).expect("the error");
        assert_eq!(error.to_string(), "the byte stream failed: disk on fire");
        assert_eq!(error.source().map(ToString::to_string).as_deref(), Some("disk on fire"));
        assert!(body.next().await.is_none(), "nothing after the error");
    }

    #[tokio::test]
    async fn a_declared_length_is_announced_and_enforced() {
        let body = ByteStream::from_stream(script(vec![Ok("ab"), Ok("cd")])).with_length(4);
        assert_eq!(body.content_length(), Some(4));
        assert_eq!(body.collect().await.expect("exact").as_ref(), b"abcd");

        let long = ByteStream::from_stream(script(vec![Ok("ab"), Ok("cd")])).with_length(3);
        let error = long.collect().await.expect_err("too long");
        assert!(error.is_length_mismatch());
        assert_eq!(
            error.to_string(),
            "the stream yielded more than its declared length of 3 bytes (4 so far)"
        );

        let short = ByteStream::from_stream(script(vec![Ok("ab")])).with_length(3);
        let error = short.collect().await.expect_err("too short");
        assert_eq!(error.to_string(), "the stream ended after 2 bytes, short of its declared length of 3");

        let file = ByteStream::from_static(b"xy").with_length(10);
        assert_eq!(file.content_length(), Some(2), "only streams take a declared length");
    }

    #[tokio::test]
    async fn a_body_is_read_frame_by_frame_without_its_trailers() {
        struct Frames(VecDeque<Result<Frame<Bytes>, io::Error>>, u64);
        impl Body for Frames {
            type Data = Bytes;
            type Error = io::Error;
            fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
                Poll::Ready(self.get_mut().0.pop_front())
            }
            fn size_hint(&self) -> SizeHint {
                SizeHint::with_exact(self.1)
            }
        }
        let frames = VecDeque::from([
            Ok(Frame::data(Bytes::from_static(b"he"))),
            Ok(Frame::trailers(http::HeaderMap::new())),
            Ok(Frame::data(Bytes::from_static(b"llo"))),
        ]);
        let body = ByteStream::from_body(Frames(frames, 5));
        assert_eq!(body.content_length(), Some(5));
        assert!(body.try_clone().is_none());
        assert_eq!(chunks(body).await.expect("read"), ["he", "llo"]);

        let failing = VecDeque::from([Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset"))]);
        let error = ByteStream::from_body(Frames(failing, 1)).collect().await.expect_err("reset");
        assert_eq!(error.to_string(), "the body failed: reset");
        assert_eq!(error.io_error().map(io::Error::kind), Some(io::ErrorKind::ConnectionReset));
    }

    #[tokio::test]
    async fn into_async_read_reads_across_chunks_and_reports_errors() {
        let body = ByteStream::from_stream(script(vec![Ok("hello "), Ok("async "), Ok("world")]));
        let mut reader = body.into_async_read();
        let mut small = [0u8; 4];
        reader.read_exact(&mut small).await.expect("read_exact");
        assert_eq!(&small, b"hell");
        let mut rest = String::new();
        reader.read_to_string(&mut rest).await.expect("read_to_string");
        assert_eq!(rest, "o async world");

        let content = pattern(FILE_CHUNK + 10);
        let file = file_with(&content);
        let mut reader = ByteStream::from_path(file.path()).await.expect("from_path").into_async_read();
        let mut read = Vec::new();
        reader.read_to_end(&mut read).await.expect("read_to_end");
        assert_eq!(read, content);

        let failing = ByteStream::from_stream(script(vec![Ok("ab"), Err("gone")]));
        let mut read = Vec::new();
        let error = failing.into_async_read().read_to_end(&mut read).await.expect_err("fails");
        assert_eq!(read, b"ab");
        let inner = error.get_ref().and_then(|e| e.downcast_ref::<ByteStreamError>());
        assert_eq!(inner.map(ToString::to_string).as_deref(), Some("the byte stream failed: gone"));
    }

    #[tokio::test]
    async fn as_a_request_body_it_reports_its_remaining_length() {
        let mut body = ByteStream::from_static(b"abc");
        assert_eq!(Body::size_hint(&body).exact(), Some(3));
        assert!(!Body::is_end_stream(&body));
        let frame = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await;
        assert!(frame.is_some_and(|f| f.is_ok()));
        assert!(Body::is_end_stream(&body));
        assert_eq!(Body::size_hint(&body).exact(), Some(0));
    }
}
