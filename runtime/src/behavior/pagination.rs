//! Paginators: the streams of pages and of items that a generated client's
//! `into_paginator()` returns.
//!
//! A paginated operation (Smithy `@paginated`) takes a continuation token in
//! its input and returns the next one in its output. [`PaginationStream`]
//! sends the first request as built, then resends it with each token the
//! service returns, yielding every page. It stops after the page that has
//!
//! * no token, or an empty one, or
//! * the same token it was sent (a service that keeps returning one token
//!   would otherwise be asked forever; turn this off with
//!   [`PaginationConfig::stop_on_duplicate_token`]).
//!
//! An error ends the stream: it is yielded once, and the stream then yields
//! `None`. [`ItemStream`] flattens the pages into the items of each page.
//!
//! Both implement [`futures_core::Stream`] (re-exported as [`Stream`]) and
//! are `Unpin`, so any stream combinator library works with them; for plain
//! loops they also have inherent `next()` and `try_collect()` methods:
//!
//! ```
//! use std::future::Future;
//! use std::pin::Pin;
//! use smithy_runtime::behavior::pagination::{PaginationConfig, PaginationStream};
//!
//! #[derive(Clone)]
//! struct Input { token: Option<String> }
//! struct Output { items: Vec<u32>, next: Option<String> }
//!
//! // A pretend service with three pages: tokens "2" and "3", then none.
//! fn send(input: Input) -> Pin<Box<dyn Future<Output = Result<Output, String>> + Send>> {
//!     let page: u32 = input.token.as_deref().map_or(1, |t| t.parse().unwrap_or(1));
//!     let next = (page < 3).then(|| (page + 1).to_string());
//!     Box::pin(async move { Ok(Output { items: vec![page * 10, page * 10 + 1], next }) })
//! }
//!
//! # tokio_test_block_on(async {
//! let mut pages = PaginationStream::new(
//!     Input { token: None },
//!     send,
//!     |input| &mut input.token,
//!     |output| output.next.as_ref(),
//!     PaginationConfig::default(),
//! );
//! let mut count = 0;
//! while let Some(page) = pages.next().await {
//!     assert_eq!(page?.items.len(), 2);
//!     count += 1;
//! }
//! assert_eq!(count, 3);
//!
//! let items = PaginationStream::new(
//!     Input { token: None }, send, |i| &mut i.token, |o| o.next.as_ref(), PaginationConfig::default(),
//! )
//! .items(|output| output.items)
//! .try_collect()
//! .await?;
//! assert_eq!(items, [10, 11, 20, 21, 30, 31]);
//! # Ok::<(), String>(())
//! # }).unwrap();
//! # fn tokio_test_block_on<F: Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```
//!
//! Generated crates describe each paginated operation with one
//! [`PaginatedOperation`] `static` and call [`PaginatedOperation::pages`].

use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

use crate::client::{ClientHandle, SdkError};
use crate::primitives::build_error::BuildError;

/// The future of one page request.
pub type PageFuture<O, Err> = Pin<Box<dyn Future<Output = Result<O, Err>> + Send>>;

/// How a paginator treats the tokens the service returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaginationConfig {
    stop_on_duplicate_token: bool,
}

impl Default for PaginationConfig {
    /// Stops when the service returns the token it was sent.
    fn default() -> Self {
        PaginationConfig {
            stop_on_duplicate_token: true,
        }
    }
}

impl PaginationConfig {
    /// Whether to stop when a page's token equals the token its request
    /// carried (on by default). Some services return the same token until
    /// new data arrives (a log tail, say); turn this off to keep asking
    /// them, and stop reading the stream yourself.
    pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
        self.stop_on_duplicate_token = stop;
        self
    }

    /// Whether a repeated token ends the stream.
    pub fn stops_on_duplicate_token(&self) -> bool {
        self.stop_on_duplicate_token
    }
}

/// A pagination token: a string for most operations; DynamoDB's `Query`
/// and `Scan` page with a map of key attributes. An empty token, like a
/// missing one, means there are no more pages.
pub trait PageToken: Clone + PartialEq + Send + 'static {
    /// Whether the token is empty (`""`, `{}`).
    fn is_empty_token(&self) -> bool;
}

impl PageToken for String {
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> PageToken for std::collections::HashMap<K, V>
where
    K: Eq + std::hash::Hash + Clone + Send + 'static,
    V: PartialEq + Clone + Send + 'static,
{
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

/// One paginated operation, as a generated crate describes it: how to send
/// an input, and where its input and output keep the token (of type `T`).
pub struct PaginatedOperation<I, O, E, T = String> {
    /// Sends one page request with the client's handle.
    pub send: fn(I, ClientHandle) -> PageFuture<O, SdkError<E>>,
    /// The input member that carries the token (the trait's `inputToken`).
    pub input_token: fn(&mut I) -> &mut Option<T>,
    /// The output member with the next token (the trait's `outputToken`).
    pub output_token: fn(&O) -> Option<&T>,
}

impl<I, O, E, T> fmt::Debug for PaginatedOperation<I, O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginatedOperation").finish_non_exhaustive()
    }
}

impl<I, O, E, T> PaginatedOperation<I, O, E, T>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
    T: PageToken,
{
    /// The stream of pages for `input`, sent with `handle`. An input that
    /// could not be built gives a stream with just that error.
    pub fn pages(
        &'static self,
        handle: ClientHandle,
        input: Result<I, BuildError>,
        config: PaginationConfig,
    ) -> PaginationStream<O, SdkError<E>, T> {
        match input {
            Ok(input) => PaginationStream::new(
                input,
                move |input| (self.send)(input, handle.clone()),
                self.input_token,
                self.output_token,
                config,
            ),
            Err(error) => PaginationStream::failed(SdkError::construction(error)),
        }
    }
}

/// What the stream does next.
enum State<O, Err, Token> {
    /// Send a request with this token (for the first page: the input's own).
    Send(Option<Token>),
    /// A request with token `sent` is in flight.
    Waiting {
        page: PageFuture<O, Err>,
        sent: Option<Token>,
    },
    /// Yield this error, then end.
    Fail(Err),
    Done,
}

/// A stream of pages: `Result<Output, Err>` per page; see the [module
/// docs](self) for when it ends.
#[must_use = "streams do nothing unless polled"]
pub struct PaginationStream<O, Err, Token = String> {
    send: Box<dyn FnMut(Option<Token>) -> PageFuture<O, Err> + Send>,
    output_token: fn(&O) -> Option<&Token>,
    config: PaginationConfig,
    state: State<O, Err, Token>,
}

// The stream never pins its fields: the page future is already boxed and
// pinned, and outputs and errors are only moved.
impl<O, Err, Token> Unpin for PaginationStream<O, Err, Token> {}

impl<O, Err, Token> PaginationStream<O, Err, Token>
where
    O: Send + 'static,
    Err: Send + 'static,
    Token: PageToken,
{
    /// Pages of `input`: the first request is `input` as it is, each later
    /// one a copy with `input_token` set to the previous page's
    /// `output_token`; `send` sends one request.
    pub fn new<I, S>(
        input: I,
        mut send: S,
        input_token: fn(&mut I) -> &mut Option<Token>,
        output_token: fn(&O) -> Option<&Token>,
        config: PaginationConfig,
    ) -> Self
    where
        I: Clone + Send + 'static,
        S: FnMut(I) -> PageFuture<O, Err> + Send + 'static,
    {
        let mut input = input;
        let first = input_token(&mut input).clone();
        PaginationStream {
            send: Box::new(move |token| {
                let mut request = input.clone();
                *input_token(&mut request) = token;
                send(request)
            }),
            output_token,
            config,
            state: State::Send(first),
        }
    }

    /// A stream that yields `error` once and ends (for an input that could
    /// not be built).
    pub fn failed(error: Err) -> Self {
        PaginationStream {
            send: Box::new(|_| unreachable!("a failed pagination stream sends nothing")),
            output_token: |_| None,
            config: PaginationConfig::default(),
            state: State::Fail(error),
        }
    }

    /// The next page, or `None` after the last page or an error.
    pub async fn next(&mut self) -> Option<Result<O, Err>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O>, Err> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// A stream of the items of every page, taken from each page with
    /// `items`.
    pub fn items<T: Send + 'static>(self, items: fn(O) -> Vec<T>) -> ItemStream<T, Err> {
        ItemStream {
            pages: Box::new(PageItems { pages: self, items }),
            current: Vec::new().into_iter(),
            done: false,
        }
    }

    /// The state after a page with `next` as its token, sent with `sent`.
    fn after_page(&self, sent: Option<Token>, next: Option<&Token>) -> State<O, Err, Token> {
        match next {
            None => State::Done,
            Some(next) if next.is_empty_token() => State::Done,
            Some(next) if self.config.stop_on_duplicate_token && sent.as_ref() == Some(next) => {
                State::Done
            }
            Some(next) => State::Send(Some(next.clone())),
        }
    }
}

impl<O, Err, Token> Stream for PaginationStream<O, Err, Token>
where
    O: Send + 'static,
    Err: Send + 'static,
    Token: PageToken,
{
    type Item = Result<O, Err>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Fail(error) => return Poll::Ready(Some(Err(error))),
                State::Send(token) => {
                    let page = (this.send)(token.clone());
                    this.state = State::Waiting { page, sent: token };
                }
                State::Waiting { mut page, sent } => match page.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Waiting { page, sent };
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready(Ok(output)) => {
                        this.state = this.after_page(sent, (this.output_token)(&output));
                        return Poll::Ready(Some(Ok(output)));
                    }
                },
            }
        }
    }
}

impl<O, Err, Token> fmt::Debug for PaginationStream<O, Err, Token> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Send(_) => "ready to send",
            State::Waiting { .. } => "waiting for a page",
            State::Fail(_) => "failed",
            State::Done => "done",
        };
        f.debug_struct("PaginationStream")
            .field("state", &state)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Pages as lists of items.
struct PageItems<O, T, Err, Token> {
    pages: PaginationStream<O, Err, Token>,
    items: fn(O) -> Vec<T>,
}

/// What [`ItemStream`] reads pages from.
type ItemPages<T, Err> = Box<dyn Stream<Item = Result<Vec<T>, Err>> + Send + Unpin>;

impl<O, T, Err, Token> Stream for PageItems<O, T, Err, Token>
where
    O: Send + 'static,
    Err: Send + 'static,
    Token: PageToken,
{
    type Item = Result<Vec<T>, Err>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let items = this.items;
        Pin::new(&mut this.pages)
            .poll_next(cx)
            .map(|page| page.map(|page| page.map(items)))
    }
}

impl<O, T, Err, Token> Unpin for PageItems<O, T, Err, Token> {}

/// A stream of the items of every page (`Result<Item, Err>`): made by
/// [`PaginationStream::items`]. Ends like the pages do; an error is yielded
/// after the items of the pages before it.
#[must_use = "streams do nothing unless polled"]
pub struct ItemStream<T, Err> {
    pages: ItemPages<T, Err>,
    current: std::vec::IntoIter<T>,
    done: bool,
}

impl<T, Err> Unpin for ItemStream<T, Err> {}

impl<T, Err> ItemStream<T, Err> {
    /// The next item, or `None` after the last one or an error.
    pub async fn next(&mut self) -> Option<Result<T, Err>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Err> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T, Err> Stream for ItemStream<T, Err> {
    type Item = Result<T, Err>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.done = true,
                Poll::Ready(Some(Err(error))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(Some(Ok(items))) => this.current = items.into_iter(),
            }
        }
    }
}

impl<T, Err> fmt::Debug for ItemStream<T, Err> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("buffered", &self.current.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Debug, Default)]
    struct Input {
        token: Option<String>,
    }

    #[derive(Debug, PartialEq)]
    struct Output {
        items: Vec<u32>,
        next: Option<String>,
    }

    /// A scripted service: answers from `replies` in order and records the
    /// token of every request.
    #[derive(Clone, Default)]
    struct Script {
        replies: Arc<Mutex<VecDeque<Result<Output, String>>>>,
        sent: Arc<Mutex<Vec<Option<String>>>>,
    }

    /// A scripted reply: a page's items and next token, or an error.
    type Reply<'a> = Result<(Vec<u32>, Option<&'a str>), &'a str>;

    impl Script {
        fn new(replies: Vec<Reply<'_>>) -> Script {
            let replies = replies
                .into_iter()
                .map(|r| {
                    r.map(|(items, next)| Output {
                        items,
                        next: next.map(str::to_owned),
                    })
                    .map_err(str::to_owned)
                })
                .collect();
            Script {
                replies: Arc::new(Mutex::new(replies)),
                sent: Arc::default(),
            }
        }

        fn stream(&self, input: Input, config: PaginationConfig) -> PaginationStream<Output, String> {
            let script = self.clone();
            PaginationStream::new(
                input,
                move |input: Input| {
                    script.sent.lock().unwrap().push(input.token);
                    let reply = script
                        .replies
                        .lock()
                        .unwrap()
                        .pop_front()
                        .unwrap_or_else(|| Err("no more replies scripted".to_owned()));
                    Box::pin(async move { reply })
                },
                |input| &mut input.token,
                |output| output.next.as_ref(),
                config,
            )
        }

        fn sent(&self) -> Vec<Option<String>> {
            self.sent.lock().unwrap().clone()
        }
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    fn some(token: &str) -> Option<String> {
        Some(token.to_owned())
    }

    #[test]
    fn follows_tokens_until_none() {
        let script = Script::new(vec![
            Ok((vec![1, 2], Some("a"))),
            Ok((vec![3], Some("b"))),
            Ok((vec![4], None)),
        ]);
        let pages = block_on(script.stream(Input::default(), PaginationConfig::default()).try_collect()).unwrap();
        assert_eq!(pages.iter().map(|p| p.items.clone()).collect::<Vec<_>>(), [vec![1, 2], vec![3], vec![4]]);
        assert_eq!(script.sent(), [None, some("a"), some("b")]);
    }

    #[test]
    fn empty_token_ends_the_stream() {
        let script = Script::new(vec![Ok((vec![1], Some("a"))), Ok((vec![], Some("")))]);
        let pages = block_on(script.stream(Input::default(), PaginationConfig::default()).try_collect()).unwrap();
        assert_eq!(pages.len(), 2);
        assert!(pages[1].items.is_empty());
        assert_eq!(script.sent(), [None, some("a")]);
    }

    #[test]
    fn map_tokens_are_followed_and_an_empty_map_ends_the_stream() {
        use std::collections::HashMap;
        #[derive(Clone, Default)]
        struct MapInput {
            start: Option<HashMap<String, String>>,
        }
        struct MapOutput {
            last: Option<HashMap<String, String>>,
        }
        let key = |k: &str| HashMap::from([("pk".to_owned(), k.to_owned())]);
        let replies = Arc::new(Mutex::new(VecDeque::from([Some(key("a")), Some(key("b")), Some(HashMap::new())])));
        let sent = Arc::new(Mutex::new(Vec::new()));
        let (replies_in, sent_in) = (Arc::clone(&replies), Arc::clone(&sent));
        let stream = PaginationStream::new(
            MapInput::default(),
            move |input: MapInput| {
                sent_in.lock().unwrap().push(input.start);
                let last = replies_in.lock().unwrap().pop_front().flatten();
                Box::pin(async move { Ok::<_, String>(MapOutput { last }) })
            },
            |input| &mut input.start,
            |output| output.last.as_ref(),
            PaginationConfig::default(),
        );
        let pages = block_on(stream.try_collect()).unwrap();
        assert_eq!(pages.len(), 3, "the page with the empty key ends the stream");
        assert_eq!(*sent.lock().unwrap(), [None, Some(key("a")), Some(key("b"))]);
    }

    #[test]
    fn starts_from_the_inputs_own_token() {
        let script = Script::new(vec![Ok((vec![5], None))]);
        let input = Input { token: some("start") };
        let pages = block_on(script.stream(input, PaginationConfig::default()).try_collect()).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(script.sent(), [some("start")]);
    }

    #[test]
    fn a_repeated_token_ends_the_stream_unless_turned_off() {
        let replies = || {
            vec![
                Ok((vec![1], Some("a"))),
                Ok((vec![2], Some("a"))),
                Ok((vec![3], Some("a"))),
                Ok((vec![4], None)),
            ]
        };
        let script = Script::new(replies());
        let pages = block_on(script.stream(Input::default(), PaginationConfig::default()).try_collect()).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(script.sent(), [None, some("a")]);

        // The first page counts too: its request's token is the input's.
        let script = Script::new(vec![Ok((vec![1], Some("x"))), Ok((vec![2], None))]);
        let pages = block_on(script.stream(Input { token: some("x") }, PaginationConfig::default()).try_collect()).unwrap();
        assert_eq!(pages.len(), 1);

        let script = Script::new(replies());
        let config = PaginationConfig::default().stop_on_duplicate_token(false);
        assert!(!config.stops_on_duplicate_token());
        let pages = block_on(script.stream(Input::default(), config).try_collect()).unwrap();
        assert_eq!(pages.len(), 4);
        assert_eq!(script.sent(), [None, some("a"), some("a"), some("a")]);
    }

    #[test]
    fn an_error_is_yielded_once_and_ends_the_stream() {
        let script = Script::new(vec![Ok((vec![1], Some("a"))), Err("boom"), Ok((vec![2], None))]);
        let mut stream = script.stream(Input::default(), PaginationConfig::default());
        block_on(async {
            assert_eq!(stream.next().await.unwrap().unwrap().items, [1]);
            assert_eq!(stream.next().await.unwrap().unwrap_err(), "boom");
            assert!(stream.next().await.is_none());
            assert!(stream.next().await.is_none());
        });
        assert_eq!(script.sent(), [None, some("a")]);
        assert!(format!("{stream:?}").contains("done"));
    }

    #[test]
    fn items_flatten_pages_and_end_after_an_error() {
        let script = Script::new(vec![
            Ok((vec![1, 2], Some("a"))),
            Ok((vec![], Some("b"))),
            Ok((vec![3], Some("c"))),
            Err("page four failed"),
        ]);
        let mut items = script.stream(Input::default(), PaginationConfig::default()).items(|o| o.items);
        let mut seen = Vec::new();
        block_on(async {
            while let Some(item) = items.next().await {
                seen.push(item);
            }
        });
        assert_eq!(seen, [Ok(1), Ok(2), Ok(3), Err("page four failed".to_owned())]);
        assert_eq!(script.sent(), [None, some("a"), some("b"), some("c")]);
    }

    #[test]
    fn a_failed_stream_yields_its_error_once() {
        let mut stream: PaginationStream<Output, String> = PaginationStream::failed("bad input".to_owned());
        block_on(async {
            assert_eq!(stream.next().await.unwrap().unwrap_err(), "bad input");
            assert!(stream.next().await.is_none());
        });
    }

    #[test]
    fn streams_are_send_and_unpin() {
        fn check<S: Stream + Send + Unpin + 'static>(_: &S) {}
        let script = Script::new(vec![]);
        let pages = script.stream(Input::default(), PaginationConfig::default());
        check(&pages);
        check(&pages.items(|o| o.items));
    }
}
