//! The SNS client generated from tests/models/clients/sns.json (awsQuery)
//! against the loopback SNS in `integration_tests::sns_server`: a map of
//! structures goes out as `MessageAttributes.entry.N.Name` /
//! `.Value.DataType` (the map's `@xmlName`s), a blob member as base64, and
//! `NotFound` / `InvalidParameter` come back as the typed errors.

use integration_tests::query_server::QueryServer;
use integration_tests::sns_server::{self, Attribute, Sns, TOPIC_NOT_FOUND};
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
use sns_test_client::operation::publish::PublishError;
use sns_test_client::primitives::Blob;
use sns_test_client::types::MessageAttributeValue;
use sns_test_client::{Client, Config};

async fn start() -> (QueryServer<Sns>, Client) {
    let server = sns_server::start().await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            "AKIDSNSLOOPBACK",
            "loopback/sns/secret",
        )))
        .build();
    let client = Client::new(&config);
    (server, client)
}

fn attribute(data_type: &str, value: &str) -> MessageAttributeValue {
    MessageAttributeValue::builder()
        .data_type(data_type)
        .string_value(value)
        .build()
        .expect("a data type")
}

#[tokio::test]
async fn publish_sends_message_attributes_under_their_xml_names() {
    let (server, client) = start().await;
    let topic = server.with_service(|sns| sns.create_topic("orders"));
    // Base64 `+//+AA==`: a `+` the form must percent-encode, or it reads as a space.
    let thumbnail = MessageAttributeValue::builder()
        .data_type("Binary")
        .binary_value(Blob::new(vec![0xfb, 0xff, 0xfe, 0x00]))
        .build()
        .expect("a data type");
    let output = client
        .publish()
        .topic_arn(&topic)
        .message("order 1042 shipped ✓\n3 items & a note = 100%")
        .subject("Shipping")
        .message_attributes("color", attribute("String", "deep red"))
        .message_attributes("count", attribute("Number", "3"))
        .message_attributes("tags", attribute("String.Array", r#"["a","b"]"#))
        .message_attributes("thumbnail", thumbnail)
        .send()
        .await
        .expect("Publish");

    let published = server.with_service(|sns| sns.published().to_vec());
    assert_eq!(published.len(), 1);
    let message = &published[0];
    assert_eq!(
        output.message_id.as_deref(),
        Some(message.message_id.as_str())
    );
    assert_eq!(output.sequence_number, None);
    assert_eq!(message.topic_arn, topic);
    assert_eq!(message.message, "order 1042 shipped ✓\n3 items & a note = 100%");
    assert_eq!(message.subject.as_deref(), Some("Shipping"));
    let string = |data_type: &str, value: &str| Attribute {
        data_type: data_type.to_owned(),
        string_value: Some(value.to_owned()),
        binary_value: None,
    };
    assert_eq!(message.attributes["color"], string("String", "deep red"));
    assert_eq!(message.attributes["count"], string("Number", "3"));
    assert_eq!(
        message.attributes["tags"],
        string("String.Array", r#"["a","b"]"#)
    );
    assert_eq!(
        message.attributes["thumbnail"],
        Attribute {
            data_type: "Binary".to_owned(),
            string_value: None,
            binary_value: Some(vec![0xfb, 0xff, 0xfe, 0x00]),
        }
    );

    // Every attribute pair is named after the map's @xmlName'd key and value.
    let request = server
        .requests_for_action("Publish")
        .pop()
        .expect("one request");
    let form = request.form().expect("a form body");
    let attribute_names: Vec<&str> = form
        .pairs()
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| name.starts_with("MessageAttributes."))
        .collect();
    assert_eq!(attribute_names.len(), 4 * 3, "{attribute_names:?}");
    for name in attribute_names {
        let rest = name
            .strip_prefix("MessageAttributes.entry.")
            .and_then(|rest| rest.split_once('.'))
            .map(|(_, rest)| rest);
        assert!(
            matches!(
                rest,
                Some("Name" | "Value.DataType" | "Value.StringValue" | "Value.BinaryValue")
            ),
            "{name}"
        );
    }
    assert_eq!(form.get("Action"), Some("Publish"));
    assert_eq!(form.get("Version"), Some("2010-03-31"));
    assert!(request
        .header("authorization")
        .unwrap_or_default()
        .contains("/us-east-1/sns/aws4_request"));
}

#[tokio::test]
async fn a_fifo_topic_answers_a_sequence_number() {
    let (server, client) = start().await;
    let topic = server.with_service(|sns| sns.create_topic("orders.fifo"));
    let output = client
        .publish()
        .topic_arn(&topic)
        .message("first")
        .message_group_id("customer-7")
        .message_deduplication_id("order-1042")
        .send()
        .await
        .expect("Publish");
    let published = server.with_service(|sns| sns.published()[0].clone());
    assert_eq!(output.sequence_number, published.sequence_number);
    assert!(output.sequence_number.is_some());
    assert_eq!(published.message_group_id.as_deref(), Some("customer-7"));
    assert_eq!(
        published.message_deduplication_id.as_deref(),
        Some("order-1042")
    );
}

#[tokio::test]
async fn an_unknown_topic_is_not_found_with_status_404() {
    let (server, client) = start().await;
    let error = client
        .publish()
        .topic_arn(sns_server::topic_arn("missing"))
        .message("hello?")
        .send()
        .await
        .expect_err("no such topic");
    let request = server.requests().pop().expect("the request");
    assert_eq!(request.status, 404);

    let service_error = error.as_service_error().expect("a service error");
    assert_eq!(service_error.code(), Some("NotFound"));
    assert_eq!(service_error.message(), Some(TOPIC_NOT_FOUND));
    assert_eq!(
        service_error.request_id(),
        Some(request.request_id.as_str())
    );
    let PublishError::NotFoundException(not_found) = service_error else {
        panic!("not NotFoundException: {service_error:?}");
    };
    assert_eq!(not_found.meta().status(), Some(404));
    assert_eq!(not_found.message(), Some(TOPIC_NOT_FOUND));
    // The member `message` is `<Message>` on the wire; the field is filled too.
    assert_eq!(not_found.message.as_deref(), Some(TOPIC_NOT_FOUND));
}

#[tokio::test]
async fn an_attribute_without_its_value_is_invalid_parameter() {
    let (server, client) = start().await;
    let topic = server.with_service(|sns| sns.create_topic("orders"));
    let without_value = MessageAttributeValue::builder()
        .data_type("Number")
        .build()
        .expect("a data type");
    let error = client
        .publish()
        .topic_arn(&topic)
        .message("count me")
        .message_attributes("count", without_value)
        .send()
        .await
        .expect_err("a number needs a value");
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        matches!(service_error, PublishError::InvalidParameterException(_)),
        "{service_error:?}"
    );
    assert_eq!(service_error.code(), Some("InvalidParameter"));
    assert!(service_error
        .message()
        .unwrap_or_default()
        .contains("'count'"));
    assert!(server.with_service(|sns| sns.published().is_empty()));
}
