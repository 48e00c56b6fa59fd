//! S3 on a loopback [`Server`], speaking restXml with path-style addressing:
//! the bucket is the first segment of the path, the key (slashes kept) the
//! rest. Buckets are made with [`S3::create_bucket`]; objects live in memory.
//!
//! | request | behaviour |
//! |---|---|
//! | `GET /{Bucket}?list-type=2` | `ListObjectsV2`: keys in order, filtered by `prefix`, after `start-after` or the `continuation-token`, grouped by `delimiter`, at most `max-keys` (default and cap 1,000) per page; a truncated page carries an opaque `NextContinuationToken` |
//! | `PUT /{Bucket}/{Key+}` | `PutObject`: stores the body with its `Content-Type` and `x-amz-storage-class` (a name in upper case and underscores); answers the quoted hex MD5 of the body as `ETag` |
//! | `GET /{Bucket}/{Key+}` | `GetObject`: the body with `Content-Type` (`binary/octet-stream` when none was stored), `Content-Length`, `ETag`, `Last-Modified` and a non-standard storage class |
//!
//! Every answer carries `x-amz-request-id` and `x-amz-id-2`. Errors are bare
//! `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` documents (S3 does
//! not wrap them): `NoSuchBucket` and `NoSuchKey` (404), 403 `AccessDenied`
//! for an unsigned request, 400 `AuthorizationHeaderMalformed` for a
//! signature not shaped as SigV4 for `s3`, 400 `XAmzContentSHA256Mismatch`
//! when an `x-amz-content-sha256` header is sent and is not the body's
//! SHA-256 (`UNSIGNED-PAYLOAD` is accepted), and 400 `InvalidArgument` /
//! `InvalidStorageClass` / 405 `MethodNotAllowed` for the rest.

use std::collections::BTreeMap;

use bytes::Bytes;
use http::StatusCode;
use percent_encoding::percent_decode_str;
use smithy_runtime::primitives::{base64_decode, base64_encode, DateTimeFormat};

use crate::ivs_server::check_sigv4_shape;
use crate::loopback::{Answer, RecordedRequest, Server};
use crate::wire::{timestamp, Form, XmlWriter};

/// The service's XML namespace.
pub const NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// When every object written through `PutObject` was last modified, in
/// seconds since the Unix epoch: 2024-05-01T12:00:00Z.
pub const NOW: i64 = 1_714_564_800;

/// The `x-amz-id-2` of every answer.
pub const HOST_ID: &str = "bG9vcGJhY2sgUzMgaG9zdCBpZCBmb3IgdGVzdHM=";

/// The content type `GetObject` answers for an object stored without one.
pub const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";

/// The most keys one page holds.
pub const MAX_KEYS: usize = 1000;

/// A running loopback S3.
pub type S3Server = Server<S3>;

/// Starts a loopback S3 with no buckets.
pub async fn start() -> S3Server {
    Server::start("S3", S3::default(), answer).await
}

/// An object as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    /// The data.
    pub body: Vec<u8>,
    /// The `Content-Type` it was written with.
    pub content_type: Option<String>,
    /// The `x-amz-storage-class` it was written with.
    pub storage_class: Option<String>,
    /// When it was written, in seconds since the Unix epoch.
    pub last_modified: i64,
}

impl StoredObject {
    /// The quoted hex MD5 of the data.
    pub fn etag(&self) -> String {
        format!("\"{:x}\"", md5::compute(&self.body))
    }
}

/// The service's state: buckets of objects by key.
#[derive(Debug, Default)]
pub struct S3 {
    buckets: BTreeMap<String, BTreeMap<String, StoredObject>>,
}

impl S3 {
    /// Creates an empty bucket `name` (a bucket that exists is left alone).
    pub fn create_bucket(&mut self, name: &str) {
        self.buckets.entry(name.to_owned()).or_default();
    }

    /// Stores `body` under `key` in bucket `bucket` (created if needed), as
    /// written `age` seconds before [`NOW`].
    pub fn insert(&mut self, bucket: &str, key: &str, body: &[u8], age: i64) {
        self.buckets.entry(bucket.to_owned()).or_default().insert(
            key.to_owned(),
            StoredObject {
                body: body.to_vec(),
                content_type: None,
                storage_class: None,
                last_modified: NOW - age,
            },
        );
    }

    /// The object `key` of bucket `bucket`.
    pub fn object(&self, bucket: &str, key: &str) -> Option<&StoredObject> {
        self.buckets.get(bucket)?.get(key)
    }
}

/// An error answer: the status, `<Code>`, `<Message>` and the extra elements
/// S3 adds for the code (`<BucketName>`, `<Key>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Error {
    /// The HTTP status.
    pub status: StatusCode,
    /// `<Code>`.
    pub code: &'static str,
    /// `<Message>`.
    pub message: String,
    /// Elements between `<Message>` and `<RequestId>`.
    pub details: Vec<(&'static str, String)>,
}

impl S3Error {
    fn new(status: StatusCode, code: &'static str, message: &str) -> S3Error {
        S3Error {
            status,
            code,
            message: message.to_owned(),
            details: Vec::new(),
        }
    }

    fn no_such_bucket(bucket: &str) -> S3Error {
        let mut error = S3Error::new(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist",
        );
        error.details.push(("BucketName", bucket.to_owned()));
        error
    }

    fn no_such_key(key: &str) -> S3Error {
        let mut error = S3Error::new(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        );
        error.details.push(("Key", key.to_owned()));
        error
    }

    fn invalid_argument(message: &str) -> S3Error {
        S3Error::new(StatusCode::BAD_REQUEST, "InvalidArgument", message)
    }
}

/// A successful answer before the request id headers are added.
struct Reply {
    headers: Vec<(&'static str, String)>,
    body: Bytes,
}

impl Reply {
    fn xml(document: String) -> Reply {
        Reply {
            headers: vec![("content-type", "application/xml".to_owned())],
            body: Bytes::from(document),
        }
    }
}

fn answer(s3: &mut S3, request: &RecordedRequest, n: u64) -> Answer {
    let request_id = format!("4C2B8E0F{n:08X}");
    let (status, mut headers, body) = match serve(s3, request) {
        Ok(reply) => (StatusCode::OK, reply.headers, reply.body),
        Err(error) => (
            error.status,
            vec![("content-type", "application/xml".to_owned())],
            Bytes::from(error_body(&error, &request_id)),
        ),
    };
    headers.push(("x-amz-request-id", request_id.clone()));
    headers.push(("x-amz-id-2", HOST_ID.to_owned()));
    Answer {
        status,
        headers,
        body,
        request_id,
    }
}

/// `<Error><Code/><Message/>…<RequestId/><HostId/></Error>`, in no namespace.
pub fn error_body(error: &S3Error, request_id: &str) -> String {
    let mut xml = XmlWriter::new("Error", None);
    xml.leaf("Code", error.code).leaf("Message", &error.message);
    for (name, value) in &error.details {
        xml.leaf(name, value);
    }
    xml.leaf("RequestId", request_id).leaf("HostId", HOST_ID);
    xml.finish()
}

fn serve(s3: &mut S3, request: &RecordedRequest) -> Result<Reply, S3Error> {
    check_signature(request)?;
    let (bucket, key) = bucket_and_key(&request.path)?;
    let query = request
        .query()
        .map_err(|problem| S3Error::invalid_argument(&problem))?;
    if bucket.is_empty() {
        return Err(S3Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "listing buckets is not served here",
        ));
    }
    let objects = s3
        .buckets
        .get_mut(&bucket)
        .ok_or_else(|| S3Error::no_such_bucket(&bucket))?;
    match (request.method.as_str(), key) {
        ("GET", None) if query.get("list-type") == Some("2") => {
            list_objects_v2(&bucket, objects, &query)
        }
        ("PUT", Some(key)) => put_object(objects, key, request),
        ("GET", Some(key)) => get_object(objects, &key),
        (method, _) => Err(S3Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            &format!("{method} {} is not served here", request.path),
        )),
    }
}

/// SigV4 for `s3`, and a body hash that matches when one is sent.
fn check_signature(request: &RecordedRequest) -> Result<(), S3Error> {
    if request.header("authorization").is_none() {
        return Err(S3Error::new(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "Access Denied",
        ));
    }
    check_sigv4_shape(&request.headers, "s3").map_err(|problem| {
        S3Error::new(
            StatusCode::BAD_REQUEST,
            "AuthorizationHeaderMalformed",
            &problem,
        )
    })?;
    match request.header("x-amz-content-sha256") {
        None | Some("UNSIGNED-PAYLOAD") => Ok(()),
        Some(sent) if sent == sha256_hex(&request.body) => Ok(()),
        Some(sent) => Err(S3Error::new(
            StatusCode::BAD_REQUEST,
            "XAmzContentSHA256Mismatch",
            &format!("x-amz-content-sha256 `{sent}` is not the SHA-256 of the body"),
        )),
    }
}

fn sha256_hex(body: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The bucket (first path segment) and the key (the rest, if any), both
/// percent-decoded.
fn bucket_and_key(path: &str) -> Result<(String, Option<String>), S3Error> {
    let path = path.split('?').next().unwrap_or_default();
    let path = path.strip_prefix('/').unwrap_or(path);
    let decode = |text: &str| {
        percent_decode_str(text)
            .decode_utf8()
            .map(|text| text.into_owned())
            .map_err(|_| S3Error::invalid_argument("the path is not UTF-8 once decoded"))
    };
    match path.split_once('/') {
        Some((bucket, key)) if !key.is_empty() => Ok((decode(bucket)?, Some(decode(key)?))),
        Some((bucket, _)) => Ok((decode(bucket)?, None)),
        None => Ok((decode(path)?, None)),
    }
}

/// The page of `objects` a `ListObjectsV2` query selects.
fn list_objects_v2(
    bucket: &str,
    objects: &BTreeMap<String, StoredObject>,
    query: &Form,
) -> Result<Reply, S3Error> {
    let prefix = query.get("prefix").unwrap_or_default();
    let delimiter = query.get("delimiter").filter(|d| !d.is_empty());
    let max_keys = match query.get("max-keys") {
        None => MAX_KEYS,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| S3Error::invalid_argument("max-keys is not a non-negative integer"))?
            .min(MAX_KEYS),
    };
    let continuation = query.get("continuation-token");
    let after = match continuation {
        Some(token) => Some(read_token(token)?),
        None => query.get("start-after").map(str::to_owned),
    };

    let mut contents: Vec<(&String, &StoredObject)> = Vec::new();
    let mut common_prefixes: Vec<String> = Vec::new();
    let mut last_key: Option<&String> = None;
    let mut truncated = false;
    let candidates = objects
        .iter()
        .filter(|(key, _)| key.starts_with(prefix))
        .filter(|(key, _)| {
            after
                .as_ref()
                .is_none_or(|after| key.as_str() > after.as_str())
        });
    for (key, object) in candidates {
        let group = delimiter.and_then(|d| {
            key[prefix.len()..]
                .find(d)
                .map(|at| key[..prefix.len() + at + d.len()].to_owned())
        });
        if let Some(group) = &group {
            if common_prefixes.last() == Some(group) {
                last_key = Some(key);
                continue;
            }
        }
        if contents.len() + common_prefixes.len() == max_keys {
            truncated = true;
            break;
        }
        match group {
            Some(group) => common_prefixes.push(group),
            None => contents.push((key, object)),
        }
        last_key = Some(key);
    }

    let mut xml = XmlWriter::new("ListBucketResult", Some(NAMESPACE));
    xml.leaf("IsTruncated", if truncated { "true" } else { "false" });
    for (key, object) in &contents {
        xml.start("Contents")
            .leaf("Key", key)
            .leaf("LastModified", &s3_timestamp(object.last_modified))
            .leaf("ETag", &object.etag())
            .leaf("Size", &object.body.len().to_string())
            .leaf(
                "StorageClass",
                object.storage_class.as_deref().unwrap_or("STANDARD"),
            )
            .end();
    }
    xml.leaf("Name", bucket)
        .leaf("Prefix", prefix)
        .optional_leaf("Delimiter", delimiter)
        .leaf("MaxKeys", &max_keys.to_string());
    for group in &common_prefixes {
        xml.start("CommonPrefixes").leaf("Prefix", group).end();
    }
    xml.leaf(
        "KeyCount",
        &(contents.len() + common_prefixes.len()).to_string(),
    )
    .optional_leaf("ContinuationToken", continuation);
    if truncated {
        if let Some(last) = last_key {
            xml.leaf("NextContinuationToken", &write_token(last));
        }
    }
    xml.optional_leaf("StartAfter", query.get("start-after"));
    Ok(Reply::xml(xml.finish()))
}

/// A `LastModified` as S3 writes it in listings: milliseconds always shown.
fn s3_timestamp(secs: i64) -> String {
    let text = timestamp(secs, DateTimeFormat::DateTime);
    match text.strip_suffix('Z') {
        Some(whole) if !whole.contains('.') => format!("{whole}.000Z"),
        _ => text,
    }
}

/// The opaque continuation token that resumes after `key`.
fn write_token(key: &str) -> String {
    base64_encode(format!("loopback-after:{key}").as_bytes())
}

/// The key a continuation token resumes after.
fn read_token(token: &str) -> Result<String, S3Error> {
    base64_decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("loopback-after:").map(str::to_owned))
        .ok_or_else(|| S3Error::invalid_argument("The continuation token provided is incorrect"))
}

fn put_object(
    objects: &mut BTreeMap<String, StoredObject>,
    key: String,
    request: &RecordedRequest,
) -> Result<Reply, S3Error> {
    let storage_class = request.header("x-amz-storage-class").map(str::to_owned);
    if let Some(class) = &storage_class {
        // The names are upper case with underscores (STANDARD, GLACIER_IR, ...).
        if class.is_empty() || !class.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            return Err(S3Error::new(
                StatusCode::BAD_REQUEST,
                "InvalidStorageClass",
                "The storage class you specified is not valid",
            ));
        }
    }
    let object = StoredObject {
        body: request.body.to_vec(),
        content_type: request.header("content-type").map(str::to_owned),
        storage_class,
        last_modified: NOW,
    };
    let etag = object.etag();
    objects.insert(key, object);
    Ok(Reply {
        headers: vec![("etag", etag)],
        body: Bytes::new(),
    })
}

fn get_object(objects: &BTreeMap<String, StoredObject>, key: &str) -> Result<Reply, S3Error> {
    let object = objects.get(key).ok_or_else(|| S3Error::no_such_key(key))?;
    let mut headers = vec![
        (
            "content-type",
            object
                .content_type
                .clone()
                .unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_owned()),
        ),
        ("etag", object.etag()),
        (
            "last-modified",
            timestamp(object.last_modified, DateTimeFormat::HttpDate),
        ),
    ];
    if let Some(class) = object.storage_class.as_ref().filter(|c| *c != "STANDARD") {
        headers.push(("x-amz-storage-class", class.clone()));
    }
    Ok(Reply {
        headers,
        body: Bytes::from(object.body.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    const AUTH: &str =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/s3/aws4_request, \
        SignedHeaders=host;x-amz-date, \
        Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> RecordedRequest {
        let mut map = HeaderMap::new();
        map.insert("host", "127.0.0.1".parse().unwrap());
        map.insert("x-amz-date", "20240501T120000Z".parse().unwrap());
        map.insert("authorization", AUTH.parse().unwrap());
        for (name, value) in headers {
            map.insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        RecordedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            headers: map,
            body: Bytes::copy_from_slice(body),
            status: 0,
            request_id: String::new(),
        }
    }

    fn text(answer: &Answer) -> &str {
        std::str::from_utf8(&answer.body).unwrap()
    }

    fn keys(xml: &str, element: &str) -> Vec<String> {
        let open = format!("<{element}>");
        xml.split(&open)
            .skip(1)
            .map(|rest| rest.split('<').next().unwrap_or_default().to_owned())
            .collect()
    }

    fn store() -> S3 {
        let mut s3 = S3::default();
        for key in ["a.txt", "logs/1", "logs/2", "photos/x.jpg", "z.txt"] {
            s3.insert("bucket", key, key.as_bytes(), 60);
        }
        s3
    }

    #[test]
    fn a_listing_pages_with_tokens_and_groups_by_delimiter() {
        let mut s3 = store();
        let first = answer(
            &mut s3,
            &request("GET", "/bucket?list-type=2&max-keys=2", &[], b""),
            1,
        );
        assert_eq!(first.status, StatusCode::OK, "{}", text(&first));
        assert_eq!(keys(text(&first), "Key"), ["a.txt", "logs/1"]);
        assert!(text(&first).contains("<IsTruncated>true</IsTruncated>"));
        assert!(text(&first).contains("<LastModified>2024-05-01T11:59:00.000Z</LastModified>"));
        assert!(text(&first).contains("<ETag>&quot;"));
        let token = keys(text(&first), "NextContinuationToken").remove(0);

        let path = format!(
            "/bucket?list-type=2&max-keys=2&continuation-token={}",
            token.replace('=', "%3D")
        );
        let second = answer(&mut s3, &request("GET", &path, &[], b""), 2);
        assert_eq!(keys(text(&second), "Key"), ["logs/2", "photos/x.jpg"]);
        assert_eq!(keys(text(&second), "ContinuationToken"), [token]);

        let grouped = answer(
            &mut s3,
            &request("GET", "/bucket?list-type=2&delimiter=%2F", &[], b""),
            3,
        );
        assert_eq!(keys(text(&grouped), "Key"), ["a.txt", "z.txt"]);
        assert_eq!(keys(text(&grouped), "Prefix"), ["", "logs/", "photos/"]);
        assert!(text(&grouped).contains("<KeyCount>4</KeyCount>"));
        assert!(text(&grouped).contains("<IsTruncated>false</IsTruncated>"));

        let prefixed = answer(
            &mut s3,
            &request(
                "GET",
                "/bucket?list-type=2&prefix=logs%2F&start-after=logs%2F1",
                &[],
                b"",
            ),
            4,
        );
        assert_eq!(keys(text(&prefixed), "Key"), ["logs/2"]);
    }

    #[test]
    fn put_then_get_keeps_the_body_type_and_slashes_of_the_key() {
        let mut s3 = store();
        let put = request(
            "PUT",
            "/bucket/notes/2024/hello%20world.txt?x-id=PutObject",
            &[
                ("content-type", "text/plain"),
                ("x-amz-storage-class", "STANDARD_IA"),
            ],
            b"hello",
        );
        let answer_put = answer(&mut s3, &put, 1);
        assert_eq!(answer_put.status, StatusCode::OK);
        let etag = format!("\"{:x}\"", md5::compute(b"hello"));
        assert!(answer_put.headers.contains(&("etag", etag.clone())));
        assert!(answer_put
            .headers
            .contains(&("x-amz-request-id", "4C2B8E0F00000001".to_owned())));

        let got = answer(
            &mut s3,
            &request(
                "GET",
                "/bucket/notes/2024/hello%20world.txt?x-id=GetObject",
                &[],
                b"",
            ),
            2,
        );
        assert_eq!(&got.body[..], b"hello");
        assert!(got
            .headers
            .contains(&("content-type", "text/plain".to_owned())));
        assert!(got
            .headers
            .contains(&("x-amz-storage-class", "STANDARD_IA".to_owned())));
        assert!(got
            .headers
            .contains(&("last-modified", "Wed, 01 May 2024 12:00:00 GMT".to_owned())));
        assert!(got.headers.contains(&("etag", etag)));
    }

    #[test]
    fn errors_are_bare_error_documents_with_their_codes() {
        let mut s3 = store();
        let missing_bucket = answer(&mut s3, &request("GET", "/nope?list-type=2", &[], b""), 7);
        assert_eq!(missing_bucket.status, StatusCode::NOT_FOUND);
        assert_eq!(
            text(&missing_bucket),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code>\
                 <Message>The specified bucket does not exist</Message><BucketName>nope</BucketName>\
                 <RequestId>4C2B8E0F00000007</RequestId><HostId>{HOST_ID}</HostId></Error>"
            )
        );
        assert!(missing_bucket
            .headers
            .contains(&("x-amz-id-2", HOST_ID.to_owned())));

        let cases = [
            (
                request("GET", "/bucket/missing", &[], b""),
                404,
                "NoSuchKey",
            ),
            (
                request(
                    "GET",
                    "/bucket?list-type=2&continuation-token=bogus",
                    &[],
                    b"",
                ),
                400,
                "InvalidArgument",
            ),
            (
                request("GET", "/bucket?list-type=2&max-keys=-1", &[], b""),
                400,
                "InvalidArgument",
            ),
            (
                request("PUT", "/bucket/k", &[("x-amz-storage-class", "cold")], b"x"),
                400,
                "InvalidStorageClass",
            ),
            (
                request(
                    "PUT",
                    "/bucket/k",
                    &[("x-amz-content-sha256", &sha256_hex(b"y"))],
                    b"x",
                ),
                400,
                "XAmzContentSHA256Mismatch",
            ),
            (
                request("DELETE", "/bucket/k", &[], b""),
                405,
                "MethodNotAllowed",
            ),
            (
                request("GET", "/bucket/k", &[("authorization", "Basic x")], b""),
                400,
                "AuthorizationHeaderMalformed",
            ),
        ];
        for (request, status, code) in cases {
            let refused = answer(&mut s3, &request, 1);
            assert_eq!(
                refused.status.as_u16(),
                status,
                "{request:?}: {}",
                text(&refused)
            );
            assert!(
                text(&refused).contains(&format!("<Code>{code}</Code>")),
                "{}",
                text(&refused)
            );
        }
        let mut unsigned = request("GET", "/bucket?list-type=2", &[], b"");
        unsigned.headers.remove("authorization");
        let refused = answer(&mut s3, &unsigned, 1);
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(text(&refused).contains("<Code>AccessDenied</Code>"));

        let hashed = request(
            "PUT",
            "/bucket/k",
            &[("x-amz-content-sha256", &sha256_hex(b"x"))],
            b"x",
        );
        assert_eq!(answer(&mut s3, &hashed, 1).status, StatusCode::OK);
    }
}
