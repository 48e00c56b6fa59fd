//! SNS on the loopback [`QueryServer`] (awsQuery, API version 2010-03-31).
//!
//! | action | behaviour |
//! |---|---|
//! | `Publish` | to a topic made with [`Sns::create_topic`] (`TopicArn`, or `TargetArn` naming one): decodes the message attributes (`MessageAttributes.entry.N.Name` and `.Value.DataType` / `.StringValue` / `.BinaryValue`, base64), records the [`Published`] message and answers its id, with a sequence number for a FIFO topic |
//!
//! An unknown topic is `NotFound` (404); a missing message, an attribute
//! without the value its data type needs, a binary value that is not base64,
//! a repeated attribute name, or a FIFO topic without `MessageGroupId` is
//! `InvalidParameter` (400).

use std::collections::{BTreeMap, BTreeSet};

use http::StatusCode;
use smithy_runtime::primitives::base64_decode;

use crate::query_server::{self, Call, QueryError, QueryServer, QueryService};
use crate::wire::{Form, XmlWriter};

/// The account every topic belongs to.
pub const ACCOUNT_ID: &str = "123456789012";

/// The service's XML namespace.
pub const NAMESPACE: &str = "http://sns.amazonaws.com/doc/2010-03-31/";

/// The message of the `NotFound` error.
pub const TOPIC_NOT_FOUND: &str = "Topic does not exist";

/// Starts a loopback SNS with no topics.
pub async fn start() -> QueryServer<Sns> {
    query_server::start(Sns::default()).await
}

/// A message attribute as the server decoded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// `String`, `String.Array`, `Number` or `Binary`, with any custom suffix.
    pub data_type: String,
    /// The value of a string or number attribute.
    pub string_value: Option<String>,
    /// The decoded value of a binary attribute.
    pub binary_value: Option<Vec<u8>>,
}

/// A message `Publish` accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The topic it went to.
    pub topic_arn: String,
    /// `Message`.
    pub message: String,
    /// `Subject`.
    pub subject: Option<String>,
    /// The attributes by name.
    pub attributes: BTreeMap<String, Attribute>,
    /// `MessageGroupId`.
    pub message_group_id: Option<String>,
    /// `MessageDeduplicationId`.
    pub message_deduplication_id: Option<String>,
    /// The id the server gave it.
    pub message_id: String,
    /// Its sequence number, on a FIFO topic.
    pub sequence_number: Option<String>,
}

/// The service's state: topics and what was published to them.
#[derive(Debug, Default)]
pub struct Sns {
    topics: BTreeSet<String>,
    published: Vec<Published>,
}

impl Sns {
    /// Creates topic `name` (a FIFO topic when it ends in `.fifo`) and returns its ARN.
    pub fn create_topic(&mut self, name: &str) -> String {
        let arn = topic_arn(name);
        self.topics.insert(arn.clone());
        arn
    }

    /// Every message published so far.
    pub fn published(&self) -> &[Published] {
        &self.published
    }

    fn publish(&mut self, form: &Form, result: &mut XmlWriter) -> Result<(), QueryError> {
        let topic_arn = form
            .get("TopicArn")
            .or_else(|| form.get("TargetArn"))
            .ok_or_else(|| invalid("TopicArn or TargetArn is required"))?;
        if !self.topics.contains(topic_arn) {
            return Err(QueryError::sender(
                StatusCode::NOT_FOUND,
                "NotFound",
                TOPIC_NOT_FOUND,
            ));
        }
        let message = form
            .get("Message")
            .filter(|m| !m.is_empty())
            .ok_or_else(|| invalid("Empty message"))?;
        let attributes = attributes(form)?;
        let fifo = topic_arn.ends_with(".fifo");
        let message_group_id = form.get("MessageGroupId").map(str::to_owned);
        if fifo && message_group_id.is_none() {
            return Err(invalid(
                "The MessageGroupId parameter is required for FIFO topics",
            ));
        }
        let n = self.published.len() + 1;
        let published = Published {
            topic_arn: topic_arn.to_owned(),
            message: message.to_owned(),
            subject: form.get("Subject").map(str::to_owned),
            attributes,
            message_group_id,
            message_deduplication_id: form.get("MessageDeduplicationId").map(str::to_owned),
            message_id: format!("9f1c2b7e-0000-4000-8000-{n:012}"),
            sequence_number: fifo
                .then(|| format!("{:020}", 10_000_000_000_000_000_000u128 + n as u128)),
        };
        result
            .leaf("MessageId", &published.message_id)
            .optional_leaf("SequenceNumber", published.sequence_number.as_deref());
        self.published.push(published);
        Ok(())
    }
}

impl QueryService for Sns {
    fn signing_name(&self) -> &'static str {
        "sns"
    }

    fn version(&self) -> &'static str {
        "2010-03-31"
    }

    fn namespace(&self) -> &'static str {
        NAMESPACE
    }

    fn knows(&self, action: &str) -> bool {
        action == "Publish"
    }

    fn call(&mut self, call: &Call<'_>, result: &mut XmlWriter) -> Result<(), QueryError> {
        self.publish(call.form, result)
    }
}

/// The ARN of topic `name`.
pub fn topic_arn(name: &str) -> String {
    format!("arn:aws:sns:us-east-1:{ACCOUNT_ID}:{name}")
}

/// `MessageAttributes.entry.N.Name` and `.Value.*`, checked against their data types.
fn attributes(form: &Form) -> Result<BTreeMap<String, Attribute>, QueryError> {
    let mut attributes = BTreeMap::new();
    for entry in form
        .map_entries("MessageAttributes")
        .map_err(|e| invalid(&e))?
    {
        let name = entry
            .get("Name")
            .ok_or_else(|| invalid("a message attribute has no Name"))?;
        let value = entry.nested("Value");
        let data_type = value
            .get("DataType")
            .ok_or_else(|| invalid(&format!("message attribute '{name}' has no DataType")))?;
        let string_value = value.get("StringValue").map(str::to_owned);
        let binary_value = value
            .get("BinaryValue")
            .map(|text| {
                base64_decode(text).map_err(|_| {
                    invalid(&format!(
                        "message attribute '{name}' has a BinaryValue that is not base64"
                    ))
                })
            })
            .transpose()?;
        let complete = if data_type.starts_with("Binary") {
            binary_value.is_some()
        } else if data_type.starts_with("String") || data_type.starts_with("Number") {
            string_value.is_some()
        } else {
            return Err(invalid(&format!(
                "message attribute '{name}' has an unknown DataType `{data_type}`"
            )));
        };
        if !complete {
            return Err(invalid(&format!(
                "message attribute '{name}' of type {data_type} has no value"
            )));
        }
        let attribute = Attribute {
            data_type: data_type.to_owned(),
            string_value,
            binary_value,
        };
        if attributes.insert(name.to_owned(), attribute).is_some() {
            return Err(invalid(&format!(
                "message attribute '{name}' is given twice"
            )));
        }
    }
    Ok(attributes)
}

fn invalid(detail: &str) -> QueryError {
    QueryError::bad_request("InvalidParameter", &format!("Invalid parameter: {detail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publish(sns: &mut Sns, body: &str) -> Result<String, QueryError> {
        let form = Form::parse(body.as_bytes()).unwrap();
        let mut xml = XmlWriter::new("R", None);
        sns.publish(&form, &mut xml).map(|()| xml.finish())
    }

    #[test]
    fn attributes_of_every_data_type_are_decoded() {
        let mut sns = Sns::default();
        let arn = sns.create_topic("orders");
        let body = format!(
            "TopicArn={arn}&Message=hi\
             &MessageAttributes.entry.1.Name=color&MessageAttributes.entry.1.Value.DataType=String\
             &MessageAttributes.entry.1.Value.StringValue=red\
             &MessageAttributes.entry.2.Name=raw&MessageAttributes.entry.2.Value.DataType=Binary\
             &MessageAttributes.entry.2.Value.BinaryValue=AP8%3D"
        );
        let xml = publish(&mut sns, &body).unwrap();
        assert!(
            xml.contains("<MessageId>9f1c2b7e-0000-4000-8000-000000000001</MessageId>"),
            "{xml}"
        );
        assert!(!xml.contains("SequenceNumber"), "{xml}");
        let attributes = &sns.published()[0].attributes;
        assert_eq!(attributes["color"].string_value.as_deref(), Some("red"));
        assert_eq!(
            attributes["raw"].binary_value.as_deref(),
            Some(&[0x00, 0xff][..])
        );
    }

    #[test]
    fn bad_attributes_unknown_topics_and_fifo_without_group_are_refused() {
        let mut sns = Sns::default();
        let arn = sns.create_topic("orders");
        let fifo = sns.create_topic("orders.fifo");
        let entry = "&MessageAttributes.entry.1.Name=n&MessageAttributes.entry.1.Value.DataType";
        let cases = [
            (format!("TopicArn={arn}x&Message=hi"), "NotFound"),
            (format!("TopicArn={arn}"), "InvalidParameter"),
            (format!("TopicArn={arn}&Message=hi{entry}=Number"), "InvalidParameter"),
            (format!("TopicArn={arn}&Message=hi{entry}=Binary&MessageAttributes.entry.1.Value.BinaryValue=%21%21"), "InvalidParameter"),
            (format!("TopicArn={arn}&Message=hi{entry}=Date&MessageAttributes.entry.1.Value.StringValue=x"), "InvalidParameter"),
            (format!("TopicArn={arn}&Message=hi&MessageAttributes.entry.2.Name=n"), "InvalidParameter"),
            (format!("TopicArn={fifo}&Message=hi"), "InvalidParameter"),
        ];
        for (body, code) in cases {
            let error = publish(&mut sns, &body).expect_err(&body);
            assert_eq!(error.code, code, "{body}: {error:?}");
        }
        assert!(sns.published().is_empty());

        let xml = publish(
            &mut sns,
            &format!("TopicArn={fifo}&Message=hi&MessageGroupId=g"),
        )
        .unwrap();
        assert!(
            xml.contains("<SequenceNumber>10000000000000000001</SequenceNumber>"),
            "{xml}"
        );
    }
}
