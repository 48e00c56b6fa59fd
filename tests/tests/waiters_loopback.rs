//! Waiters of the DynamoDB test client (tests/clients/dynamodb, waiters
//! `TableExists` and `TableNotExists` of `DescribeTable`) against the
//! loopback DynamoDB, whose table goes through scripted states. The client's
//! sleep is a fake that returns at once and moves a manual clock, so a wait
//! of minutes takes no time and the delays it asked for can be checked.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use dynamodb_test_client::operation::describe_table::{DescribeTableError, DescribeTableInput, DescribeTableOutput};
use dynamodb_test_client::types::TableStatus;
use dynamodb_test_client::{Client, Config};
use integration_tests::aws_json_server::AwsJsonServer;
use integration_tests::dynamodb_server::{self, DynamoDb, Table, TableState};
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
use smithy_runtime::behavior::sleep::{AsyncSleep, ManualTimeSource, Sleep};
use smithy_runtime::behavior::timeout::TimeoutConfig;
use smithy_runtime::behavior::waiters::{Acceptor, AcceptorState, WaitClock, Waiter, WaiterError};
use smithy_runtime::client::SdkError;

const TABLE: &str = "Orders";

/// Returns at once, moving the shared clock by what was asked, and records it.
#[derive(Debug, Clone)]
struct FakeSleep {
    clock: ManualTimeSource,
    slept: Arc<Mutex<Vec<Duration>>>,
}

impl FakeSleep {
    fn new() -> Self {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
        FakeSleep { clock: ManualTimeSource::new(start), slept: Arc::default() }
    }

    fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl AsyncSleep for FakeSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        self.clock.advance(duration);
        self.slept.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// A loopback DynamoDB whose table goes through `states`, and a client whose
/// sleep and clock are `sleep` (no attempt or operation timeouts: their
/// timers would run on the fake sleep too).
async fn start(states: Vec<TableState>, sleep: &FakeSleep) -> (AwsJsonServer<DynamoDb>, Client) {
    let table = Table { name: TABLE.to_owned(), partition_key: "Id".to_owned(), sort_key: None };
    let server = dynamodb_server::start(table).await;
    server.with_service(|db| db.script_table_states(states));
    let config = Config::builder()
        .region("eu-west-1")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            "AKIDWAITERLOOPBACK",
            "loopback/waiters/secret",
        )))
        .timeout_config(TimeoutConfig::disabled())
        .sleep_impl(sleep.clone())
        .time_source(sleep.clock.clone())
        .build();
    (server, Client::new(&config))
}

fn status(output: &DescribeTableOutput) -> Option<&TableStatus> {
    output.table.as_ref().and_then(|table| table.table_status.as_ref())
}

#[tokio::test]
async fn table_exists_after_three_polls() {
    let sleep = FakeSleep::new();
    let states = vec![TableState::Status("CREATING"), TableState::Status("CREATING"), TableState::Status("ACTIVE")];
    let (server, client) = start(states, &sleep).await;

    let final_poll = client
        .wait_until_table_exists()
        .table_name(TABLE)
        .wait(Duration::from_secs(600))
        .await
        .expect("the table becomes ACTIVE");

    assert_eq!(final_poll.polls(), 3);
    let output = final_poll.into_result().expect("the last poll succeeded");
    assert_eq!(status(&output), Some(&TableStatus::Active));
    assert_eq!(server.requests_for("DescribeTable").len(), 3);
    // minDelay 20 s: the first delay is exactly 20 s, the second between
    // 20 s and 40 s (doubled ceiling, with jitter).
    let slept = sleep.slept();
    assert_eq!(slept.len(), 2, "{slept:?}");
    assert_eq!(slept[0], Duration::from_secs(20));
    assert!((Duration::from_secs(20)..=Duration::from_secs(40)).contains(&slept[1]), "{slept:?}");
}

#[tokio::test]
async fn a_table_not_found_yet_is_polled_again() {
    let sleep = FakeSleep::new();
    let (server, client) = start(vec![TableState::Missing, TableState::Status("ACTIVE")], &sleep).await;

    let final_poll =
        client.wait_until_table_exists().table_name(TABLE).wait(Duration::from_secs(600)).await.expect("retry, then ACTIVE");

    assert_eq!(final_poll.polls(), 2);
    assert_eq!(server.requests_for("DescribeTable").len(), 2);
}

#[tokio::test]
async fn table_not_exists_succeeds_with_the_modeled_error() {
    let sleep = FakeSleep::new();
    let (_server, client) = start(vec![TableState::Status("DELETING"), TableState::Missing], &sleep).await;

    let final_poll =
        client.wait_until_table_not_exists().table_name(TABLE).wait(Duration::from_secs(600)).await.expect("the table goes");

    assert_eq!(final_poll.polls(), 2);
    let error = final_poll.as_result().expect_err("success on the error");
    assert!(matches!(error.as_service_error(), Some(DescribeTableError::ResourceNotFoundException(_))), "{error:?}");
}

#[tokio::test]
async fn an_error_no_acceptor_matches_ends_the_wait_with_that_error() {
    let sleep = FakeSleep::new();
    let states = vec![TableState::Status("CREATING"), TableState::Fails("AccessDeniedException")];
    let (server, client) = start(states, &sleep).await;

    let error = client.wait_until_table_exists().table_name(TABLE).wait(Duration::from_secs(600)).await.expect_err("denied");

    match &error {
        WaiterError::OperationFailed(SdkError::Service(service)) => {
            assert_eq!(service.err().code(), Some("AccessDeniedException"));
        }
        other => panic!("expected the service error, got {other:?}"),
    }
    assert_eq!(server.requests_for("DescribeTable").len(), 2);
}

#[tokio::test]
async fn the_wait_gives_up_at_the_max_wait_time() {
    let sleep = FakeSleep::new();
    let (server, client) = start(vec![TableState::Status("CREATING")], &sleep).await;

    let error = client.wait_until_table_exists().table_name(TABLE).wait(Duration::from_secs(90)).await.expect_err("too slow");

    let WaiterError::ExceededMaxWait { max_wait, elapsed, polls } = error else {
        panic!("expected the max wait to pass, got {error:?}");
    };
    assert_eq!((max_wait, elapsed), (Duration::from_secs(90), Duration::from_secs(90)));
    // Delays of at least 20 s (the first exactly 20 s, the second at most
    // 40 s), the last one cut to what is left of 90 s: four to six polls.
    assert!((4..=6).contains(&polls), "{polls}");
    assert_eq!(server.requests_for("DescribeTable").len(), polls as usize);
    assert_eq!(sleep.slept().iter().sum::<Duration>(), Duration::from_secs(90), "never past the max wait");
}

#[tokio::test]
async fn an_input_that_does_not_build_sends_nothing() {
    let sleep = FakeSleep::new();
    let (server, client) = start(vec![TableState::Status("ACTIVE")], &sleep).await;

    let error = client.wait_until_table_exists().wait(Duration::from_secs(60)).await.expect_err("no table name");

    assert!(matches!(error, WaiterError::OperationFailed(SdkError::Construction(_))), "{error:?}");
    assert!(server.requests().is_empty());
}

/// The DynamoDB model has no failure acceptor; this waiter, written against
/// the generated types, stops on a table being deleted.
static TABLE_ACTIVE_UNLESS_DELETED: Waiter<DescribeTableInput, DescribeTableOutput, SdkError<DescribeTableError>> =
    Waiter {
        name: "TableActiveUnlessDeleted",
        min_delay: Duration::from_secs(5),
        max_delay: Duration::from_secs(60),
        acceptors: &[
            Acceptor {
                state: AcceptorState::Success,
                description: "Table.TableStatus is ACTIVE",
                matches: |_, result| result.ok().and_then(status) == Some(&TableStatus::Active),
            },
            Acceptor {
                state: AcceptorState::Failure,
                description: "Table.TableStatus is DELETING",
                matches: |_, result| result.ok().and_then(status) == Some(&TableStatus::Deleting),
            },
        ],
    };

#[tokio::test]
async fn a_failure_acceptor_ends_the_wait_naming_itself() {
    let sleep = FakeSleep::new();
    let states = vec![TableState::Status("CREATING"), TableState::Status("DELETING"), TableState::Status("ACTIVE")];
    let (server, client) = start(states, &sleep).await;
    let input = DescribeTableInput::builder().table_name(TABLE).build().expect("input");
    let clock = WaitClock { sleep: Arc::new(sleep.clone()), time: Arc::new(sleep.clock.clone()), jitter: || 0.5 };

    let error = TABLE_ACTIVE_UNLESS_DELETED
        .wait(input, |input| input.send(&client), Duration::from_secs(600), clock)
        .await
        .expect_err("DELETING is a failure state");

    let WaiterError::FailureState { acceptor, final_poll } = error else {
        panic!("expected the failure state, got {error:?}");
    };
    assert_eq!(acceptor, "Table.TableStatus is DELETING");
    assert_eq!(final_poll.polls(), 2);
    assert_eq!(final_poll.as_result().ok().and_then(status), Some(&TableStatus::Deleting));
    assert_eq!(server.requests_for("DescribeTable").len(), 2, "no poll after the failure state");
    assert_eq!(sleep.slept(), [Duration::from_secs(5)]);
}
