//! Waiters: polling an operation until a resource reaches the state the
//! model's `smithy.waiters#waitable` trait describes.
//!
//! A generated crate describes each waiter with one [`Waiter`] `static`: its
//! minimum and maximum delay and its [`Acceptor`]s, each a predicate over the
//! input and one poll's result with the [`AcceptorState`] it leads to. The
//! client's `wait_until_<name>().wait(max_wait)` calls [`Waiter::wait`],
//! which
//!
//! 1. sends the request and checks the acceptors in model order; the first
//!    that matches decides: [`AcceptorState::Success`] ends the wait with the
//!    [`FinalPoll`], [`AcceptorState::Failure`] with
//!    [`WaiterError::FailureState`] naming the acceptor, and
//!    [`AcceptorState::Retry`] polls again;
//! 2. when none matches, an error ends the wait as
//!    [`WaiterError::OperationFailed`] and an output polls again;
//! 3. before polling again it sleeps [`backoff_delay`]: a random delay between
//!    the minimum and `min(max, min * 2^(attempt - 1))`, as the AWS SDKs do,
//!    cut short so the wait never runs past `max_wait`; once `max_wait` has
//!    passed, the wait ends with [`WaiterError::ExceededMaxWait`].
//!
//! The sleep, the clock that measures the wait and the random source are a
//! [`WaitClock`], so tests run a whole wait without a real timer.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::behavior::sleep::{SharedAsyncSleep, SharedTimeSource, SystemTimeSource};
use crate::client::ClientHandle;

/// What a matching acceptor means for the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The resource is in the wanted state: the wait ends successfully.
    Success,
    /// The resource will never reach the wanted state: the wait fails.
    Failure,
    /// Not yet: poll again.
    Retry,
}

/// One acceptor of a waiter: when `matches` holds for the input and a poll's
/// result, the wait goes to `state`.
pub struct Acceptor<I, O, E> {
    pub state: AcceptorState,
    /// The matcher as the model writes it, for messages (e.g.
    /// `output path Table.TableStatus stringEquals "ACTIVE"`).
    pub description: &'static str,
    pub matches: fn(&I, Result<&O, &E>) -> bool,
}

impl<I, O, E> fmt::Debug for Acceptor<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acceptor")
            .field("state", &self.state)
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

/// A waiter as the model describes it, over input `I`, output `O` and error `E`.
pub struct Waiter<I: 'static, O: 'static, E: 'static> {
    /// The waiter's name in the model, e.g. `TableExists`.
    pub name: &'static str,
    pub min_delay: Duration,
    pub max_delay: Duration,
    /// In the model's order: the first that matches decides.
    pub acceptors: &'static [Acceptor<I, O, E>],
}

impl<I: 'static, O: 'static, E: 'static> fmt::Debug for Waiter<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("name", &self.name)
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .field("acceptors", &self.acceptors)
            .finish()
    }
}

/// The sleep, clock and random source a wait uses.
#[derive(Debug, Clone)]
pub struct WaitClock {
    pub sleep: SharedAsyncSleep,
    /// Measures how long the wait has lasted.
    pub time: SharedTimeSource,
    /// A number in `[0, 1]` per delay: where between the minimum and the
    /// attempt's ceiling the delay falls.
    pub jitter: fn() -> f64,
}

impl WaitClock {
    /// The client's sleep and configured time source (else the system
    /// clock), with a uniformly random jitter.
    pub fn from_handle(handle: &ClientHandle) -> Self {
        let time: SharedTimeSource = match handle.config().time_source() {
            Some(time) => Arc::clone(time),
            None => Arc::new(SystemTimeSource),
        };
        WaitClock {
            sleep: Arc::clone(&handle.inner.sleep),
            time,
            jitter: fastrand::f64,
        }
    }
}

/// The poll that ended a wait: its result and how many polls were made.
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, E>,
    polls: u32,
}

impl<O, E> FinalPoll<O, E> {
    /// The output or error of the last poll.
    pub fn as_result(&self) -> Result<&O, &E> {
        self.result.as_ref()
    }

    /// The output or error of the last poll, owned.
    pub fn into_result(self) -> Result<O, E> {
        self.result
    }

    /// How many requests the wait sent (at least one).
    pub fn polls(&self) -> u32 {
        self.polls
    }
}

/// Why a wait did not end in a success state.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// An acceptor with the `failure` state matched this poll.
    FailureState {
        /// The matching acceptor's description.
        acceptor: &'static str,
        final_poll: FinalPoll<O, E>,
    },
    /// A request failed and no acceptor matched its error (or the input
    /// could not be built).
    OperationFailed(E),
    /// `max_wait` passed before an acceptor ended the wait.
    ExceededMaxWait {
        max_wait: Duration,
        elapsed: Duration,
        polls: u32,
    },
}

impl<O, E> WaiterError<O, E> {
    /// The error of the request that ended the wait, if it was one.
    pub fn as_operation_error(&self) -> Option<&E> {
        match self {
            WaiterError::OperationFailed(error) => Some(error),
            WaiterError::FailureState { final_poll, .. } => final_poll.as_result().err(),
            WaiterError::ExceededMaxWait { .. } => None,
        }
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::FailureState { acceptor, final_poll } => write!(
                f,
                "the waiter reached a failure state after {} polls (acceptor: {acceptor})",
                final_poll.polls
            ),
            WaiterError::OperationFailed(error) => write!(f, "a request failed with an error no acceptor matches: {error}"),
            WaiterError::ExceededMaxWait { max_wait, elapsed, polls } => write!(
                f,
                "the waiter gave up after {polls} polls in {elapsed:?} (max wait {max_wait:?})"
            ),
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::OperationFailed(error) => Some(error),
            _ => None,
        }
    }
}

/// The delay before poll `attempt + 1` (`attempt` counts the polls made, from
/// 1), given `jitter` in `[0, 1]` (clamped; NaN counts as 0):
/// `min_delay + jitter * (ceiling - min_delay)` where `ceiling` is
/// `min(max_delay, min_delay * 2^(attempt - 1))`. A `max_delay` below
/// `min_delay` counts as `min_delay`.
pub fn backoff_delay(min_delay: Duration, max_delay: Duration, attempt: u32, jitter: f64) -> Duration {
    let max_delay = max_delay.max(min_delay);
    let doubling = 2u32.checked_pow(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
    let ceiling = min_delay.checked_mul(doubling).map_or(max_delay, |d| d.min(max_delay));
    let jitter = if jitter.is_nan() { 0.0 } else { jitter.clamp(0.0, 1.0) };
    min_delay + (ceiling - min_delay).mul_f64(jitter)
}

impl<I: 'static, O: 'static, E: 'static> Waiter<I, O, E> {
    /// The state of the first acceptor matching `result`, with its description.
    pub fn acceptor_for(&self, input: &I, result: Result<&O, &E>) -> Option<(AcceptorState, &'static str)> {
        self.acceptors
            .iter()
            .find(|acceptor| (acceptor.matches)(input, result))
            .map(|acceptor| (acceptor.state, acceptor.description))
    }

    /// Polls with `send` until an acceptor ends the wait or `max_wait` has
    /// passed; see the [module docs](self).
    pub async fn wait<F, Fut>(
        &self,
        input: I,
        mut send: F,
        max_wait: Duration,
        clock: WaitClock,
    ) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
    where
        I: Clone,
        F: FnMut(I) -> Fut,
        Fut: Future<Output = Result<O, E>>,
    {
        let start = clock.time.now();
        let elapsed = |now: SystemTime| now.duration_since(start).unwrap_or_default();
        let mut polls = 0u32;
        loop {
            let result = send(input.clone()).await;
            polls += 1;
            match self.acceptor_for(&input, result.as_ref()) {
                Some((AcceptorState::Success, _)) => return Ok(FinalPoll { result, polls }),
                Some((AcceptorState::Failure, acceptor)) => {
                    return Err(WaiterError::FailureState { acceptor, final_poll: FinalPoll { result, polls } })
                }
                Some((AcceptorState::Retry, _)) => {}
                None => {
                    if let Err(error) = result {
                        return Err(WaiterError::OperationFailed(error));
                    }
                }
            }
            let waited = elapsed(clock.time.now());
            let Some(remaining) = max_wait.checked_sub(waited).filter(|r| !r.is_zero()) else {
                return Err(WaiterError::ExceededMaxWait { max_wait, elapsed: waited, polls });
            };
            let delay = backoff_delay(self.min_delay, self.max_delay, polls, (clock.jitter)());
            tracing::debug!(waiter = self.name, polls, ?delay, "waiter polls again");
            clock.sleep.sleep(delay.min(remaining)).await;
        }
    }
}

/// A comparison of a length with a number, as in `length(Items) > \`0\``.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl LengthOp {
    /// Whether `length <op> value` holds.
    pub fn holds(self, length: usize, value: u64) -> bool {
        let length = u64::try_from(length).unwrap_or(u64::MAX);
        match self {
            LengthOp::Eq => length == value,
            LengthOp::Ne => length != value,
            LengthOp::Lt => length < value,
            LengthOp::Le => length <= value,
            LengthOp::Gt => length > value,
            LengthOp::Ge => length >= value,
        }
    }
}

/// Whether `values` is not empty and every value is `expected` (the
/// `allStringEquals` comparator).
pub fn all_equal<'a>(values: impl IntoIterator<Item = &'a str>, expected: &str) -> bool {
    let mut any = false;
    for value in values {
        if value != expected {
            return false;
        }
        any = true;
    }
    any
}

/// Whether some value is `expected` (the `anyStringEquals` comparator).
pub fn any_equal<'a>(values: impl IntoIterator<Item = &'a str>, expected: &str) -> bool {
    values.into_iter().any(|value| value == expected)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::behavior::sleep::{AsyncSleep, ManualTimeSource, Sleep};

    /// Returns at once, moving the shared clock by the duration asked for
    /// and recording it.
    #[derive(Debug, Clone)]
    struct FakeSleep {
        clock: ManualTimeSource,
        slept: Arc<Mutex<Vec<Duration>>>,
    }

    impl AsyncSleep for FakeSleep {
        fn sleep(&self, duration: Duration) -> Sleep {
            self.clock.advance(duration);
            self.slept.lock().unwrap().push(duration);
            Box::pin(std::future::ready(()))
        }
    }

    fn fake_clock(jitter: fn() -> f64) -> (WaitClock, Arc<Mutex<Vec<Duration>>>) {
        let time = ManualTimeSource::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let slept = Arc::new(Mutex::new(Vec::new()));
        let sleep = FakeSleep { clock: time.clone(), slept: Arc::clone(&slept) };
        (WaitClock { sleep: Arc::new(sleep), time: Arc::new(time), jitter }, slept)
    }

    /// Success on "ready", failure on "broken", retry on the error "missing";
    /// any other output or error matches nothing.
    static READY: Waiter<&'static str, &'static str, &'static str> = Waiter {
        name: "Ready",
        min_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(20),
        acceptors: &[
            Acceptor { state: AcceptorState::Success, description: "output is ready", matches: |_, r| r == Ok(&"ready") },
            Acceptor { state: AcceptorState::Failure, description: "output is broken", matches: |_, r| r == Ok(&"broken") },
            Acceptor { state: AcceptorState::Retry, description: "error missing", matches: |_, r| r == Err(&"missing") },
        ],
    };

    /// Runs READY over the scripted results (the last one repeats).
    async fn run(
        script: &[Result<&'static str, &'static str>],
        max_wait: Duration,
        jitter: fn() -> f64,
    ) -> (Result<FinalPoll<&'static str, &'static str>, WaiterError<&'static str, &'static str>>, Vec<Duration>) {
        let (clock, slept) = fake_clock(jitter);
        let mut polls = 0usize;
        let result = READY
            .wait(
                "input",
                |_| {
                    let result = script[polls.min(script.len() - 1)];
                    polls += 1;
                    std::future::ready(result)
                },
                max_wait,
                clock,
            )
            .await;
        let slept = slept.lock().unwrap().clone();
        (result, slept)
    }

    #[test]
    fn the_delay_doubles_from_the_minimum_up_to_the_maximum() {
        let (min, max) = (Duration::from_secs(2), Duration::from_secs(20));
        let ceilings: Vec<u64> = (1..=6).map(|attempt| backoff_delay(min, max, attempt, 1.0).as_secs()).collect();
        assert_eq!(ceilings, [2, 4, 8, 16, 20, 20]);
        for attempt in 1..=6 {
            assert_eq!(backoff_delay(min, max, attempt, 0.0), min);
        }
        assert_eq!(backoff_delay(min, max, 3, 0.5), Duration::from_secs(5));
    }

    #[test]
    fn odd_delay_inputs_do_not_panic() {
        let (min, max) = (Duration::from_secs(20), Duration::from_secs(120));
        assert_eq!(backoff_delay(min, max, u32::MAX, 1.0), max);
        assert_eq!(backoff_delay(min, max, 0, 1.0), min);
        assert_eq!(backoff_delay(min, max, 2, f64::NAN), min);
        assert_eq!(backoff_delay(min, max, 2, 7.0), Duration::from_secs(40));
        assert_eq!(backoff_delay(min, Duration::from_secs(1), 4, 1.0), min);
    }

    #[tokio::test]
    async fn success_after_retries_returns_the_output_and_sleeps_the_schedule() {
        let script = [Err("missing"), Ok("pending"), Ok("pending"), Ok("ready")];
        let (result, slept) = run(&script, Duration::from_secs(300), || 1.0).await;
        let final_poll = result.expect("success");
        assert_eq!(final_poll.polls(), 4);
        assert_eq!(final_poll.into_result(), Ok("ready"));
        assert_eq!(slept, [2, 4, 8].map(Duration::from_secs));
    }

    #[tokio::test]
    async fn a_failure_acceptor_names_itself_and_keeps_the_poll() {
        let (result, slept) = run(&[Ok("pending"), Ok("broken")], Duration::from_secs(300), || 0.0).await;
        match result {
            Err(WaiterError::FailureState { acceptor, final_poll }) => {
                assert_eq!(acceptor, "output is broken");
                assert_eq!(final_poll.polls(), 2);
                assert_eq!(final_poll.as_result(), Ok(&"broken"));
            }
            other => panic!("expected a failure state, got {other:?}"),
        }
        assert_eq!(slept, [Duration::from_secs(2)]);
    }

    #[tokio::test]
    async fn an_error_no_acceptor_matches_ends_the_wait() {
        let (result, slept) = run(&[Ok("pending"), Err("denied")], Duration::from_secs(300), || 0.0).await;
        match result {
            Err(error @ WaiterError::OperationFailed(_)) => {
                assert_eq!(error.as_operation_error(), Some(&"denied"));
                assert!(error.to_string().contains("denied"), "{error}");
            }
            other => panic!("expected the operation's error, got {other:?}"),
        }
        assert_eq!(slept.len(), 1);
    }

    #[tokio::test]
    async fn the_wait_never_runs_past_max_wait() {
        // Ceilings 2, 4, 8, 16: after 2 + 4 + 8 = 14 s only 6 s remain of 20.
        let (result, slept) = run(&[Ok("pending")], Duration::from_secs(20), || 1.0).await;
        match result {
            Err(WaiterError::ExceededMaxWait { max_wait, elapsed, polls }) => {
                assert_eq!(max_wait, Duration::from_secs(20));
                assert_eq!(elapsed, Duration::from_secs(20));
                assert_eq!(polls, 5);
            }
            other => panic!("expected the max wait to pass, got {other:?}"),
        }
        assert_eq!(slept, [2, 4, 8, 6].map(Duration::from_secs));
    }

    #[tokio::test]
    async fn a_zero_max_wait_polls_once() {
        let (result, slept) = run(&[Ok("pending")], Duration::ZERO, || 1.0).await;
        assert!(matches!(result, Err(WaiterError::ExceededMaxWait { polls: 1, .. })), "{result:?}");
        assert!(slept.is_empty());
        let (result, _) = run(&[Ok("ready")], Duration::ZERO, || 1.0).await;
        assert_eq!(result.expect("success").polls(), 1);
    }

    #[test]
    fn length_comparisons() {
        assert!(LengthOp::Gt.holds(1, 0));
        assert!(!LengthOp::Gt.holds(0, 0));
        assert!(LengthOp::Ge.holds(0, 0) && LengthOp::Le.holds(0, 0) && LengthOp::Eq.holds(3, 3));
        assert!(LengthOp::Lt.holds(2, 3) && !LengthOp::Lt.holds(3, 3));
        assert!(LengthOp::Ne.holds(2, 3) && !LengthOp::Ne.holds(3, 3));
    }

    #[test]
    fn string_comparators_over_lists() {
        assert!(all_equal(["A", "A"], "A"));
        assert!(!all_equal(["A", "B"], "A"));
        assert!(!all_equal([], "A"), "an empty list is not all-equal");
        assert!(any_equal(["B", "A"], "A"));
        assert!(!any_equal([], "A"));
    }
}
