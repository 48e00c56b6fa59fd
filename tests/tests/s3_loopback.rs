//! The S3 client generated from tests/models/clients/s3.json (restXml with
//! `noErrorWrapping`, path-style addressing) against the loopback S3 in
//! `integration_tests::s3_server`: a blob payload written and read back with
//! its header members, a `ListObjectsV2` paginator over
//! `NextContinuationToken` reading flattened `Contents` lists, and bare
//! `<Error>` documents read into `NoSuchBucket` / `NoSuchKey` with both
//! request ids.

use integration_tests::s3_server::{self, S3Server, HOST_ID, NOW};
use s3_test_client::operation::get_object::GetObjectError;
use s3_test_client::operation::list_objects_v2::{ListObjectsV2Error, ListObjectsV2Output};
use s3_test_client::primitives::{Blob, DateTime};
use s3_test_client::types::{ObjectStorageClass, StorageClass};
use s3_test_client::{Client, Config};
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
use smithy_runtime::testing::{CannedResponse, ReplayClient};

const BUCKET: &str = "media-archive";

async fn start() -> (S3Server, Client) {
    let server = s3_server::start().await;
    server.with_service(|s3| s3.create_bucket(BUCKET));
    let config = Config::builder()
        .region("eu-central-1")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            "AKIDS3LOOPBACK",
            "loopback/s3/secret",
        )))
        .build();
    let client = Client::new(&config);
    (server, client)
}

/// The keys of a listing page, in order.
fn keys(page: &ListObjectsV2Output) -> Vec<&str> {
    page.contents
        .iter()
        .flatten()
        .map(|object| object.key.as_deref().unwrap_or("?"))
        .collect()
}

fn etag(body: &[u8]) -> String {
    format!("\"{:x}\"", md5::compute(body))
}

#[tokio::test]
async fn put_object_stores_a_small_body_that_get_object_reads_back() {
    let (server, client) = start().await;
    let body = b"hello, bucket\n".to_vec();
    let put = client
        .put_object()
        .bucket(BUCKET)
        .key("notes/2024/hello world.txt")
        .body(Blob::new(body.clone()))
        .content_type("text/plain")
        .storage_class(StorageClass::StandardIa)
        .send()
        .await
        .expect("PutObject");
    assert_eq!(put.e_tag, Some(etag(&body)));
    assert_eq!(put.version_id, None);

    let request = server.requests().pop().expect("the PUT");
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.path,
        format!("/{BUCKET}/notes/2024/hello%20world.txt?x-id=PutObject")
    );
    assert_eq!(&request.body[..], &body[..]);
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(request.header("x-amz-storage-class"), Some("STANDARD_IA"));
    // Signed as S3 expects: the body's hash is sent (and the server checked it).
    assert!(request.header("x-amz-content-sha256").is_some());
    assert!(request
        .header("authorization")
        .unwrap_or_default()
        .contains("/eu-central-1/s3/aws4_request"));
    let stored = server
        .with_service(|s3| s3.object(BUCKET, "notes/2024/hello world.txt").cloned())
        .expect("stored under the decoded key");
    assert_eq!(stored.body, body);

    let got = client
        .get_object()
        .bucket(BUCKET)
        .key("notes/2024/hello world.txt")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(got.body, Blob::new(body.clone()));
    assert_eq!(got.content_type.as_deref(), Some("text/plain"));
    assert_eq!(got.content_length, Some(body.len() as i64));
    assert_eq!(got.e_tag, Some(etag(&body)));
    assert_eq!(got.last_modified, Some(DateTime::from_secs(NOW)));
    assert_eq!(got.storage_class, Some(StorageClass::StandardIa));
    let request = server.requests().pop().expect("the GET");
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        (
            "GET",
            "/media-archive/notes/2024/hello%20world.txt?x-id=GetObject"
        )
    );
}

#[tokio::test]
async fn list_objects_v2_pages_through_continuation_tokens() {
    let (server, client) = start().await;
    let stored = ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"];
    server.with_service(|s3| {
        for (age, key) in stored.iter().enumerate() {
            s3.insert(BUCKET, key, key.repeat(age + 1).as_bytes(), 60 * age as i64);
        }
    });

    let pages = client
        .list_objects_v2()
        .bucket(BUCKET)
        .into_paginator()
        .page_size(3)
        .send()
        .try_collect()
        .await
        .expect("pages");
    let page_keys: Vec<Vec<&str>> = pages.iter().map(keys).collect();
    assert_eq!(
        page_keys,
        [vec!["a.jpg", "b.jpg", "c.jpg"], vec!["d.jpg", "e.jpg"]]
    );
    assert_eq!(pages[0].is_truncated, Some(true));
    assert_eq!(pages[0].key_count, Some(3));
    assert_eq!(pages[0].max_keys, Some(3));
    assert_eq!(pages[0].name.as_deref(), Some(BUCKET));
    assert!(pages[0].next_continuation_token.is_some());
    assert_eq!(pages[1].is_truncated, Some(false));
    assert_eq!(pages[1].next_continuation_token, None);
    assert_eq!(
        pages[1].continuation_token,
        pages[0].next_continuation_token
    );

    let second = &pages[0].contents.as_deref().unwrap_or_default()[1];
    assert_eq!(second.size, Some(2 * "b.jpg".len() as i64));
    assert_eq!(second.e_tag, Some(etag("b.jpgb.jpg".as_bytes())));
    assert_eq!(second.last_modified, Some(DateTime::from_secs(NOW - 60)));
    assert_eq!(second.storage_class, Some(ObjectStorageClass::Standard));

    // The second request carried the first page's token, both the page size.
    let queries: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.query().expect("a query"))
        .collect();
    assert_eq!(queries.len(), 2);
    for query in &queries {
        assert_eq!(query.get("list-type"), Some("2"));
        assert_eq!(query.get("max-keys"), Some("3"));
    }
    assert_eq!(queries[0].get("continuation-token"), None);
    assert_eq!(
        queries[1].get("continuation-token"),
        pages[0].next_continuation_token.as_deref()
    );
    assert!(server
        .requests()
        .iter()
        .all(|r| r.method == "GET" && r.path.starts_with(&format!("/{BUCKET}?"))));

    // The same listing object by object.
    let mut objects = client
        .list_objects_v2()
        .bucket(BUCKET)
        .into_paginator()
        .page_size(3)
        .items()
        .send();
    let mut listed = Vec::new();
    while let Some(object) = objects.next().await {
        listed.push(object.expect("an object").key.unwrap_or_default());
    }
    assert_eq!(listed, stored);
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_delimiter_groups_keys_into_common_prefixes() {
    let (server, client) = start().await;
    server.with_service(|s3| {
        for key in ["index.html", "logs/1.txt", "logs/2.txt", "photos/cat.jpg"] {
            s3.insert(BUCKET, key, b"x", 0);
        }
    });
    let output = client
        .list_objects_v2()
        .bucket(BUCKET)
        .delimiter("/")
        .send()
        .await
        .expect("ListObjectsV2");
    assert_eq!(keys(&output), ["index.html"]);
    let prefixes: Vec<_> = output
        .common_prefixes
        .iter()
        .flatten()
        .filter_map(|p| p.prefix.as_deref())
        .collect();
    assert_eq!(prefixes, ["logs/", "photos/"]);
    assert_eq!(output.key_count, Some(3));
    assert_eq!(output.delimiter.as_deref(), Some("/"));
}

#[tokio::test]
async fn a_missing_bucket_is_no_such_bucket_with_both_request_ids() {
    let (server, client) = start().await;
    let error = client
        .list_objects_v2()
        .bucket("no-such-bucket")
        .send()
        .await
        .expect_err("no such bucket");
    let request = server.requests().pop().expect("the request");
    assert_eq!(request.status, 404);
    assert_eq!(request.path, "/no-such-bucket?list-type=2");

    let service_error = error.as_service_error().expect("a service error");
    assert_eq!(service_error.code(), Some("NoSuchBucket"));
    assert_eq!(
        service_error.message(),
        Some("The specified bucket does not exist")
    );
    assert_eq!(
        service_error.request_id(),
        Some(request.request_id.as_str())
    );
    assert_eq!(service_error.meta().extended_request_id(), Some(HOST_ID));
    assert_eq!(service_error.meta().status(), Some(404));
    assert!(
        matches!(service_error, ListObjectsV2Error::NoSuchBucket(_)),
        "{service_error:?}"
    );
    let shown = error.to_string();
    assert!(shown.contains("NoSuchBucket"), "{shown}");
}

#[tokio::test]
async fn a_missing_key_is_no_such_key() {
    let (server, client) = start().await;
    let error = client
        .get_object()
        .bucket(BUCKET)
        .key("never/written.bin")
        .send()
        .await
        .expect_err("no such key");
    let service_error = error.as_service_error().expect("a service error");
    let GetObjectError::NoSuchKey(missing) = service_error else {
        panic!("not NoSuchKey: {service_error:?}");
    };
    assert_eq!(missing.meta().code(), Some("NoSuchKey"));
    assert_eq!(
        missing.meta().message(),
        Some("The specified key does not exist.")
    );
    let request = server.requests().pop().expect("the request");
    assert_eq!(
        missing.meta().request_id(),
        Some(request.request_id.as_str())
    );
}

#[tokio::test]
async fn without_an_endpoint_url_the_rules_pick_the_regional_host_and_the_bucket_stays_in_the_path()
{
    let replay = ReplayClient::new();
    replay.push(CannedResponse::new(200).body("stored"));
    let config = Config::builder()
        .region("ap-southeast-2")
        .credentials_provider(Credentials::from_keys("AKIDREPLAY", "replay/secret"))
        .http_client(replay.clone())
        .build();
    let got = Client::new(&config)
        .get_object()
        .bucket(BUCKET)
        .key("a/b.txt")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(got.body, Blob::new(b"stored".to_vec()));
    assert_eq!(
        replay.requests()[0].uri().to_string(),
        format!("https://s3.ap-southeast-2.amazonaws.com/{BUCKET}/a/b.txt?x-id=GetObject")
    );
}

#[tokio::test]
async fn keys_with_reserved_characters_round_trip_through_path_and_query() {
    let (server, client) = start().await;
    let key = "reports/2024 q1/a+b&c=d~é.csv";
    client
        .put_object()
        .bucket(BUCKET)
        .key(key)
        .body(Blob::new(b"1,2\n".to_vec()))
        .send()
        .await
        .expect("PutObject");
    let stored = server.with_service(|s3| s3.object(BUCKET, key).map(|o| o.body.clone()));
    assert_eq!(
        stored.as_deref(),
        Some(&b"1,2\n"[..]),
        "stored under the exact key"
    );
    let put = server.requests().pop().expect("the PUT");
    assert!(
        !put.path.contains(' ') && !put.path.contains('é'),
        "{}",
        put.path
    );

    let listed = client
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix("reports/2024 q1/a+b")
        .send()
        .await
        .expect("ListObjectsV2");
    assert_eq!(keys(&listed), [key]);
    assert_eq!(listed.prefix.as_deref(), Some("reports/2024 q1/a+b"));
    let query = server
        .requests()
        .pop()
        .expect("the GET")
        .query()
        .expect("a query");
    assert_eq!(query.get("prefix"), Some("reports/2024 q1/a+b"));

    let got = client
        .get_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .expect("GetObject");
    assert_eq!(got.body, Blob::new(b"1,2\n".to_vec()));
}

#[tokio::test]
async fn an_error_the_model_does_not_list_is_unhandled_with_its_code() {
    let (_server, client) = start().await;
    let error = client
        .list_objects_v2()
        .bucket(BUCKET)
        .continuation_token("not-a-token-this-server-gave")
        .send()
        .await
        .expect_err("a token the server never gave");
    let service_error = error.as_service_error().expect("a service error");
    assert!(
        matches!(service_error, ListObjectsV2Error::Unhandled(_)),
        "{service_error:?}"
    );
    assert_eq!(service_error.code(), Some("InvalidArgument"));
    assert_eq!(
        service_error.message(),
        Some("The continuation token provided is incorrect")
    );
    assert_eq!(service_error.meta().status(), Some(400));
    assert_eq!(service_error.meta().extended_request_id(), Some(HOST_ID));
}
