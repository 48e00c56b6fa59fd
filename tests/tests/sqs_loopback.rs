//! The SQS client generated from tests/models/clients/sqs.json (awsJson1_0
//! with `@awsQueryCompatible`) against the loopback SQS in
//! `integration_tests::sqs_server`: every request says `x-amzn-query-mode:
//! true`, and an error's `x-amzn-query-error` code both selects the typed
//! variant and becomes the code in its metadata.

use integration_tests::aws_json_server::AwsJsonServer;
use integration_tests::sqs_server::{self, Sqs, NON_EXISTENT_QUEUE_CODE};
use serde_json::json;
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
use sqs_test_client::operation::get_queue_url::GetQueueUrlError;
use sqs_test_client::operation::send_message::SendMessageError;
use sqs_test_client::{Client, Config};

async fn start() -> (AwsJsonServer<Sqs>, Client) {
    let server = sqs_server::start().await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            "AKIDSQSLOOPBACK",
            "loopback/sqs/secret",
        )))
        .build();
    let client = Client::new(&config);
    (server, client)
}

#[tokio::test]
async fn a_missing_queue_is_the_typed_error_with_the_query_code() {
    let (server, client) = start().await;
    let error = client
        .get_queue_url()
        .queue_name("missing")
        .send()
        .await
        .expect_err("no such queue");

    let request = server
        .requests_for("GetQueueUrl")
        .pop()
        .expect("one request");
    assert_eq!(request.header("x-amzn-query-mode"), Some("true"));
    assert_eq!(
        request.header("x-amz-target"),
        Some("AmazonSQS.GetQueueUrl")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.0")
    );
    assert!(request
        .header("authorization")
        .unwrap_or_default()
        .contains("/us-east-1/sqs/aws4_request"));
    assert_eq!(request.json(), Some(json!({ "QueueName": "missing" })));
    assert_eq!(request.status, 400);

    let service_error = error.as_service_error().expect("a service error");
    // The metadata's code is the awsQuery code from the header, not `__type`'s name.
    assert_eq!(service_error.code(), Some(NON_EXISTENT_QUEUE_CODE));
    assert_eq!(service_error.meta().code(), Some(NON_EXISTENT_QUEUE_CODE));
    assert_eq!(
        service_error.message(),
        Some("The specified queue does not exist.")
    );
    assert_eq!(
        service_error.request_id(),
        Some(request.request_id.as_str())
    );
    let GetQueueUrlError::QueueDoesNotExist(missing) = service_error else {
        panic!("not QueueDoesNotExist: {service_error:?}");
    };
    assert_eq!(missing.meta().code(), Some(NON_EXISTENT_QUEUE_CODE));
    // The error type's own code is its shape name; the code the service sent is in the metadata.
    assert_eq!(missing.code(), "QueueDoesNotExist");
    assert_eq!(
        missing.message(),
        Some("The specified queue does not exist.")
    );
}

#[tokio::test]
async fn send_then_receive_a_message() {
    let (server, client) = start().await;
    server.with_service(|sqs| sqs.create_queue("orders"));

    let url = client
        .get_queue_url()
        .queue_name("orders")
        .send()
        .await
        .expect("GetQueueUrl")
        .queue_url
        .expect("a URL");
    assert_eq!(
        url,
        format!(
            "https://sqs.us-east-1.amazonaws.com/{}/orders",
            sqs_server::ACCOUNT_ID
        )
    );

    let sent = client
        .send_message()
        .queue_url(&url)
        .message_body("hello, queue")
        .delay_seconds(0)
        .send()
        .await
        .expect("SendMessage");
    assert_eq!(
        sent.md5_of_message_body,
        Some(format!("{:x}", md5::compute("hello, queue")))
    );
    assert!(sent.message_id.is_some());
    assert_eq!(
        server.with_service(|sqs| sqs.waiting("orders")),
        ["hello, queue"]
    );
    let wire = server.requests_for("SendMessage")[0]
        .json()
        .expect("a JSON body");
    assert_eq!(
        wire,
        json!({ "QueueUrl": url, "MessageBody": "hello, queue", "DelaySeconds": 0 })
    );

    let received = client
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .expect("ReceiveMessage");
    let messages = received.messages.unwrap_or_default();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].body.as_deref(), Some("hello, queue"));
    assert_eq!(messages[0].message_id, sent.message_id);
    assert!(messages[0].receipt_handle.is_some());
    assert!(server
        .requests()
        .iter()
        .all(|r| r.status == 200 && r.header("x-amzn-query-mode") == Some("true")));
}

#[tokio::test]
async fn sending_to_an_unknown_queue_url_is_queue_does_not_exist() {
    let (_server, client) = start().await;
    let error = client
        .send_message()
        .queue_url("https://sqs.us-east-1.amazonaws.com/123456789012/gone")
        .message_body("lost")
        .send()
        .await
        .expect_err("no such queue");
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        matches!(service_error, SendMessageError::QueueDoesNotExist(_)),
        "{service_error:?}"
    );
    assert_eq!(service_error.code(), Some(NON_EXISTENT_QUEUE_CODE));
}
