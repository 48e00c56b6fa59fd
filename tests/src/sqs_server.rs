//! SQS on the loopback [`AwsJsonServer`], speaking awsJson1_0 the way the
//! service does for clients of its `@awsQueryCompatible` model: each error
//! carries `__type` (the error's shape id) and an `x-amzn-query-error:
//! Code;Fault` header with the code the older awsQuery protocol used.
//!
//! | operation | behaviour |
//! |---|---|
//! | `GetQueueUrl` | the URL of a queue created with [`Sqs::create_queue`]; an unknown name is `QueueDoesNotExist` with query code `AWS.SimpleQueueService.NonExistentQueue` |
//! | `SendMessage` | appends the message to the queue; answers its id and the hex MD5 of its body |
//! | `ReceiveMessage` | hands out up to `MaxNumberOfMessages` (default 1) waiting messages with a receipt handle each |
//!
//! A `QueueUrl` the server did not hand out is `QueueDoesNotExist` too.

use std::collections::{BTreeMap, VecDeque};

use http::StatusCode;
use serde_json::{json, Map, Value};

use crate::aws_json_server::{self, AwsJsonServer, JsonService, Reply};

/// The query-protocol code of `QueueDoesNotExist`.
pub const NON_EXISTENT_QUEUE_CODE: &str = "AWS.SimpleQueueService.NonExistentQueue";

/// The account id in queue URLs.
pub const ACCOUNT_ID: &str = "123456789012";

/// Starts a loopback SQS with no queues.
pub async fn start() -> AwsJsonServer<Sqs> {
    aws_json_server::start(Sqs::default()).await
}

/// A stored message.
#[derive(Debug, Clone)]
struct StoredMessage {
    id: String,
    body: String,
}

/// The service's state: queues by name.
#[derive(Debug, Default)]
pub struct Sqs {
    queues: BTreeMap<String, VecDeque<StoredMessage>>,
    next_message: u64,
}

impl Sqs {
    /// Creates an empty queue named `name` and returns its URL.
    pub fn create_queue(&mut self, name: &str) -> String {
        self.queues.entry(name.to_owned()).or_default();
        queue_url(name)
    }

    /// The bodies of the messages waiting in queue `name`.
    pub fn waiting(&self, name: &str) -> Vec<String> {
        self.queues
            .get(name)
            .map(|queue| queue.iter().map(|m| m.body.clone()).collect())
            .unwrap_or_default()
    }

    fn get_queue_url(&self, input: &Map<String, Value>) -> Result<Reply, Reply> {
        let name = required(input, "QueueName")?;
        if self.queues.contains_key(name) {
            Ok(Reply::ok(json!({ "QueueUrl": queue_url(name) })))
        } else {
            Err(queue_does_not_exist())
        }
    }

    /// The queue a `QueueUrl` member names.
    fn queue(&mut self, input: &Map<String, Value>) -> Result<&mut VecDeque<StoredMessage>, Reply> {
        let url = required(input, "QueueUrl")?;
        let prefix = queue_url("");
        url.strip_prefix(prefix.as_str())
            .and_then(|name| self.queues.get_mut(name))
            .ok_or_else(queue_does_not_exist)
    }

    fn send_message(&mut self, input: &Map<String, Value>) -> Result<Reply, Reply> {
        let body = required(input, "MessageBody")?.to_owned();
        self.next_message += 1;
        let id = format!("0b7e1c52-0000-4000-8000-{:012}", self.next_message);
        let digest = format!("{:x}", md5::compute(body.as_bytes()));
        self.queue(input)?.push_back(StoredMessage {
            id: id.clone(),
            body,
        });
        Ok(Reply::ok(
            json!({ "MessageId": id, "MD5OfMessageBody": digest }),
        ))
    }

    fn receive_message(&mut self, input: &Map<String, Value>) -> Result<Reply, Reply> {
        let max = match input.get("MaxNumberOfMessages") {
            None => 1,
            Some(max) => max
                .as_u64()
                .filter(|max| (1..=10).contains(max))
                .and_then(|max| usize::try_from(max).ok())
                .ok_or_else(|| invalid_parameter("MaxNumberOfMessages must be between 1 and 10"))?,
        };
        let queue = self.queue(input)?;
        let taken: Vec<StoredMessage> = queue.drain(..max.min(queue.len())).collect();
        let messages: Vec<Value> = taken
            .into_iter()
            .map(|m| {
                json!({
                    "MessageId": m.id,
                    "ReceiptHandle": format!("receipt-{}", m.id),
                    "MD5OfBody": format!("{:x}", md5::compute(m.body.as_bytes())),
                    "Body": m.body,
                })
            })
            .collect();
        Ok(Reply::ok(json!({ "Messages": messages })))
    }
}

impl JsonService for Sqs {
    fn target_prefix(&self) -> &'static str {
        "AmazonSQS"
    }

    fn signing_name(&self) -> &'static str {
        "sqs"
    }

    fn content_type(&self) -> &'static str {
        "application/x-amz-json-1.0"
    }

    fn call(&mut self, operation: &str, input: &Map<String, Value>) -> Reply {
        let reply = match operation {
            "GetQueueUrl" => self.get_queue_url(input),
            "SendMessage" => self.send_message(input),
            "ReceiveMessage" => self.receive_message(input),
            other => Err(Reply::error(
                StatusCode::BAD_REQUEST,
                "com.amazonaws.sqs#UnsupportedOperation",
                &format!("{other} is not served here"),
            )
            .with_header(
                "x-amzn-query-error",
                "AWS.SimpleQueueService.UnsupportedOperation;Sender",
            )),
        };
        reply.unwrap_or_else(|error| error)
    }
}

fn queue_url(name: &str) -> String {
    format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT_ID}/{name}")
}

fn queue_does_not_exist() -> Reply {
    Reply::error(
        StatusCode::BAD_REQUEST,
        "com.amazonaws.sqs#QueueDoesNotExist",
        "The specified queue does not exist.",
    )
    .with_header(
        "x-amzn-query-error",
        &format!("{NON_EXISTENT_QUEUE_CODE};Sender"),
    )
}

fn invalid_parameter(message: &str) -> Reply {
    Reply::error(
        StatusCode::BAD_REQUEST,
        "com.amazon.coral.validate#ValidationException",
        message,
    )
    .with_header("x-amzn-query-error", "InvalidParameterValue;Sender")
}

fn required<'a>(input: &'a Map<String, Value>, name: &str) -> Result<&'a str, Reply> {
    input
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid_parameter(&format!("{name} is required")))
}
