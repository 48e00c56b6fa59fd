//! The DynamoDB client generated from tests/models/clients/dynamodb.json
//! (awsJson1_0) against the loopback DynamoDB in
//! `integration_tests::dynamodb_server`: real HTTP and SigV4, the recursive
//! `AttributeValue` union both ways, a key condition with placeholders, a
//! paginator whose tokens are maps (`ExclusiveStartKey` / `LastEvaluatedKey`),
//! and a modeled error read into its typed variant.

use std::collections::HashMap;

use dynamodb_test_client::operation::get_item::GetItemError;
use dynamodb_test_client::operation::put_item::PutItemError;
use dynamodb_test_client::primitives::Blob;
use dynamodb_test_client::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};
use dynamodb_test_client::{Client, Config};
use integration_tests::aws_json_server::AwsJsonServer;
use integration_tests::dynamodb_server::{self, DynamoDb, Table};
use serde_json::{json, Value};
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};

const TABLE: &str = "Music";

type Item = HashMap<String, AttributeValue>;

async fn start() -> (AwsJsonServer<DynamoDb>, Client) {
    let table = Table {
        name: TABLE.to_owned(),
        partition_key: "Artist".to_owned(),
        sort_key: Some("SongTitle".to_owned()),
    };
    let server = dynamodb_server::start(table).await;
    let config = Config::builder()
        .region("eu-west-1")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            "AKIDDYNAMOLOOPBACK",
            "loopback/dynamodb/secret",
        )))
        .build();
    let client = Client::new(&config);
    (server, client)
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn song(artist: &str, title: &str) -> Item {
    HashMap::from([
        ("Artist".to_owned(), s(artist)),
        ("SongTitle".to_owned(), s(title)),
    ])
}

/// Stores `item` on the server directly, in its wire form.
fn insert(server: &AwsJsonServer<DynamoDb>, wire: Value) {
    let Value::Object(item) = wire else {
        panic!("test items are objects")
    };
    server.with_service(|db| db.insert(item));
}

fn titles(items: &[Item]) -> Vec<&str> {
    items
        .iter()
        .map(|item| {
            item.get("SongTitle")
                .and_then(|v| v.as_s().ok())
                .map_or("?", String::as_str)
        })
        .collect()
}

#[tokio::test]
async fn put_then_get_round_trips_every_kind_of_attribute_value() {
    let (server, client) = start().await;
    let mut item = song("No One You Know", "Call Me Today");
    item.extend([
        ("Year".to_owned(), AttributeValue::N("2015".to_owned())),
        (
            "Cover".to_owned(),
            AttributeValue::B(Blob::new(b"\x00\xffpng".to_vec())),
        ),
        (
            "Tags".to_owned(),
            AttributeValue::Ss(vec!["pop".to_owned(), "live".to_owned()]),
        ),
        (
            "Charts".to_owned(),
            AttributeValue::Ns(vec!["3".to_owned(), "17.5".to_owned()]),
        ),
        (
            "Stems".to_owned(),
            AttributeValue::Bs(vec![Blob::new(b"a".to_vec()), Blob::new(b"bc".to_vec())]),
        ),
        ("Explicit".to_owned(), AttributeValue::Bool(false)),
        ("Producer".to_owned(), AttributeValue::Null(true)),
        (
            "Album".to_owned(),
            AttributeValue::M(HashMap::from([
                ("Title".to_owned(), s("Somewhat Famous")),
                (
                    "Tracks".to_owned(),
                    AttributeValue::L(vec![
                        s("Intro"),
                        AttributeValue::M(HashMap::from([
                            ("Title".to_owned(), s("Call Me Today")),
                            (
                                "Writers".to_owned(),
                                AttributeValue::L(vec![s("A"), AttributeValue::L(vec![])]),
                            ),
                        ])),
                    ]),
                ),
            ])),
        ),
    ]);

    let put = client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(item.clone()))
        .send()
        .await
        .expect("PutItem");
    assert_eq!(put.attributes, None);

    // The union went out in DynamoDB's wire form, nested maps and lists included.
    let wire = server.requests_for("PutItem")[0]
        .json()
        .expect("a JSON body");
    assert_eq!(wire["TableName"], json!(TABLE));
    assert_eq!(wire["Item"]["Cover"], json!({ "B": "AP9wbmc=" }));
    assert_eq!(wire["Item"]["Producer"], json!({ "NULL": true }));
    assert_eq!(
        wire["Item"]["Album"]["M"]["Tracks"]["L"][1]["M"]["Writers"],
        json!({ "L": [{ "S": "A" }, { "L": [] }] })
    );

    let got = client
        .get_item()
        .table_name(TABLE)
        .key("Artist", s("No One You Know"))
        .key("SongTitle", s("Call Me Today"))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem");
    assert_eq!(got.item, Some(item));

    let missing = client
        .get_item()
        .table_name(TABLE)
        .set_key(Some(song("Nobody", "Nothing")))
        .send()
        .await
        .expect("GetItem");
    assert_eq!(missing.item, None);

    for request in server.requests() {
        assert_eq!(request.status, 200, "{request:?}");
        assert_eq!(
            request.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        assert_eq!(
            request.header("x-amzn-query-mode"),
            None,
            "DynamoDB is not query-compatible"
        );
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(
            authorization.contains("/eu-west-1/dynamodb/aws4_request"),
            "{authorization}"
        );
    }
    let targets: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-amz-target").map(str::to_owned))
        .collect();
    assert_eq!(
        targets,
        [
            "DynamoDB_20120810.PutItem",
            "DynamoDB_20120810.GetItem",
            "DynamoDB_20120810.GetItem"
        ]
        .map(|t| Some(t.to_owned()))
    );
}

#[tokio::test]
async fn query_selects_with_a_key_condition_and_placeholders() {
    let (server, client) = start().await;
    for (artist, title) in [
        ("Acme Band", "Happy Day"),
        ("Acme Band", "Hard Rain"),
        ("Acme Band", "Blue"),
        ("Other", "Happy Hour"),
    ] {
        insert(
            &server,
            json!({ "Artist": { "S": artist }, "SongTitle": { "S": title } }),
        );
    }

    let output = client
        .query()
        .table_name(TABLE)
        .key_condition_expression("#artist = :artist AND begins_with(SongTitle, :prefix)")
        .expression_attribute_names("#artist", "Artist")
        .expression_attribute_values(":artist", s("Acme Band"))
        .expression_attribute_values(":prefix", s("Ha"))
        .scan_index_forward(false)
        .send()
        .await
        .expect("Query");
    assert_eq!(
        titles(output.items.as_deref().unwrap_or_default()),
        ["Hard Rain", "Happy Day"]
    );
    assert_eq!(output.count, 2);
    assert_eq!(output.last_evaluated_key, None);

    let wire = server.requests_for("Query")[0].json().expect("a JSON body");
    assert_eq!(
        wire["ExpressionAttributeValues"],
        json!({ ":artist": { "S": "Acme Band" }, ":prefix": { "S": "Ha" } })
    );
    assert_eq!(
        wire["ExpressionAttributeNames"],
        json!({ "#artist": "Artist" })
    );
    assert_eq!(wire["ScanIndexForward"], json!(false));
}

#[tokio::test]
async fn a_paginated_scan_follows_last_evaluated_key_maps() {
    let (server, client) = start().await;
    for n in 1..=7 {
        insert(
            &server,
            json!({ "Artist": { "S": "Band" }, "SongTitle": { "S": format!("Track {n}") }, "Plays": { "N": n.to_string() } }),
        );
    }

    let pages = client
        .scan()
        .table_name(TABLE)
        .into_paginator()
        .page_size(3)
        .send()
        .try_collect()
        .await
        .expect("pages");
    let page_titles: Vec<Vec<&str>> = pages
        .iter()
        .map(|page| titles(page.items.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(
        page_titles,
        [
            vec!["Track 1", "Track 2", "Track 3"],
            vec!["Track 4", "Track 5", "Track 6"],
            vec!["Track 7"]
        ]
    );
    assert_eq!(pages[0].last_evaluated_key, Some(song("Band", "Track 3")));
    assert_eq!(pages[2].last_evaluated_key, None);

    // Each request carried the previous page's key as its ExclusiveStartKey map.
    let starts: Vec<Value> = server
        .requests_for("Scan")
        .iter()
        .map(|r| r.json().unwrap_or_default()["ExclusiveStartKey"].clone())
        .collect();
    assert_eq!(
        starts,
        [
            Value::Null,
            json!({ "Artist": { "S": "Band" }, "SongTitle": { "S": "Track 3" } }),
            json!({ "Artist": { "S": "Band" }, "SongTitle": { "S": "Track 6" } }),
        ]
    );
    assert!(server
        .requests_for("Scan")
        .iter()
        .all(|r| r.json().unwrap_or_default()["Limit"] == json!(3)));

    // The same scan item by item, read with the inherent `next()`.
    let mut items = client
        .scan()
        .table_name(TABLE)
        .into_paginator()
        .page_size(3)
        .items()
        .send();
    let mut plays = Vec::new();
    while let Some(item) = items.next().await {
        let item = item.expect("an item");
        plays.push(
            item.get("Plays")
                .and_then(|v| v.as_n().ok())
                .cloned()
                .unwrap_or_default(),
        );
    }
    assert_eq!(plays, ["1", "2", "3", "4", "5", "6", "7"]);
    assert_eq!(server.requests_for("Scan").len(), 6);
}

#[tokio::test]
async fn a_failed_condition_is_the_typed_error_with_the_stored_item() {
    let (server, client) = start().await;
    let mut stored = song("Acme Band", "Blue");
    stored.insert("Plays".to_owned(), AttributeValue::N("12".to_owned()));
    client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(stored.clone()))
        .send()
        .await
        .expect("first PutItem");

    let error = client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(song("Acme Band", "Blue")))
        .condition_expression("attribute_not_exists(#a)")
        .expression_attribute_names("#a", "Artist")
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await
        .expect_err("the item exists");
    let request = server.requests().pop().expect("the conditional request");
    assert_eq!(request.status, 400);

    let service_error = error.as_service_error().expect("a service error");
    assert_eq!(
        service_error.code(),
        Some("ConditionalCheckFailedException")
    );
    let PutItemError::ConditionalCheckFailedException(failed) = service_error else {
        panic!("not ConditionalCheckFailedException: {service_error:?}");
    };
    assert_eq!(failed.code(), "ConditionalCheckFailedException");
    assert_eq!(failed.message(), Some("The conditional request failed"));
    assert_eq!(failed.request_id(), Some(request.request_id.as_str()));
    assert_eq!(failed.item, Some(stored.clone()));
    let shown = error.to_string();
    assert!(shown.contains("ConditionalCheckFailedException"), "{shown}");

    // Nothing was written; without the condition the write goes through.
    let key = json!({ "Artist": { "S": "Acme Band" }, "SongTitle": { "S": "Blue" } });
    let Value::Object(key) = key else {
        unreachable!()
    };
    assert_eq!(
        server.with_service(|db| db.item(&key).map(|item| item.contains_key("Plays"))),
        Some(true)
    );
    let replaced = client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(song("Acme Band", "Blue")))
        .return_values(dynamodb_test_client::types::ReturnValue::AllOld)
        .send()
        .await
        .expect("unconditional PutItem");
    assert_eq!(replaced.attributes, Some(stored));
}

#[tokio::test]
async fn an_unknown_table_is_resource_not_found() {
    let (_server, client) = start().await;
    let error = client
        .get_item()
        .table_name("Nope")
        .set_key(Some(song("a", "b")))
        .send()
        .await
        .expect_err("no such table");
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        matches!(service_error, GetItemError::ResourceNotFoundException(_)),
        "{service_error:?}"
    );
    assert_eq!(
        service_error.message(),
        Some("Requested resource not found: Table: Nope not found")
    );
}

/// Sends one raw HTTP/1.1 request and returns the status line and body.
async fn raw_request(
    server: &AwsJsonServer<DynamoDb>,
    headers: &[(&str, &str)],
    body: &str,
) -> (String, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = server.endpoint_url().replace("http://", "");
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let mut request = format!(
        "POST / HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, serde_json::from_str(body).unwrap_or_default())
}

#[tokio::test]
async fn the_server_refuses_unsigned_mistyped_or_untargeted_requests() {
    let (server, _client) = start().await;
    let target = ("x-amz-target", "DynamoDB_20120810.Scan");
    let json_type = ("content-type", "application/x-amz-json-1.0");

    let (status, body) =
        raw_request(&server, &[target, json_type], r#"{"TableName":"Music"}"#).await;
    assert_eq!(status, "HTTP/1.1 403 Forbidden");
    assert_eq!(body["__type"], json!("IncompleteSignatureException"));

    let (status, body) = raw_request(
        &server,
        &[target, ("content-type", "application/json")],
        "{}",
    )
    .await;
    assert_eq!(status, "HTTP/1.1 400 Bad Request");
    assert_eq!(body["__type"], json!("SerializationException"));

    let (status, body) = raw_request(
        &server,
        &[("x-amz-target", "AmazonSQS.SendMessage"), json_type],
        "{}",
    )
    .await;
    assert_eq!(status, "HTTP/1.1 400 Bad Request");
    assert_eq!(body["__type"], json!("UnknownOperationException"));
    assert_eq!(server.requests().len(), 3);
}
