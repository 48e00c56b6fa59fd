//! The Glacier client generated from tests/models/clients/glacier_stream.json
//! (restJson1, `@streaming` blobs both ways, `@requiresLength` on the upload)
//! against the loopback Glacier in `integration_tests::glacier_server`: an
//! archive uploaded from a file (its length sent, its SHA-256 signed after
//! reading it through), a stream of unknown length refused before anything
//! is sent, the same stream accepted once its length is declared (signed
//! `UNSIGNED-PAYLOAD`), a failed upload retried by reading the file again but
//! a one-shot stream not resent, and a job's output read piece by piece (the
//! first before the server has sent the rest), as a range, and through
//! `AsyncRead`.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use glacier_test_client::config::RetryConfig;
use glacier_test_client::operation::get_job_output::GetJobOutputError;
use glacier_test_client::operation::upload_archive::{UploadArchiveError, UploadArchiveOutput};
use glacier_test_client::primitives::ByteStream;
use glacier_test_client::{Client, Config};
use integration_tests::glacier_server::{self, retrieval_job, tree_hash, GlacierServer, PIECE};
use integration_tests::stream_loopback;
use smithy_runtime::client::SdkError;

const VAULT: &str = "examples";

async fn start() -> (GlacierServer, Client) {
    let server = glacier_server::start().await;
    let config = Config::builder()
        .region("eu-west-1")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(stream_loopback::credentials())
        .retry_config(
            RetryConfig::builder()
                .initial_backoff(Duration::from_millis(1))
                .build(),
        )
        .build();
    let client = Client::new(&config);
    (server, client)
}

/// Bytes that are not all alike, so that a misplaced piece shows.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// A one-shot stream of pieces, with no length known up front.
struct Pieces(VecDeque<Bytes>);

impl futures_core::Stream for Pieces {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.pop_front().map(Ok))
    }
}

fn pieces(bytes: &[u8]) -> Pieces {
    Pieces(bytes.chunks(1000).map(Bytes::copy_from_slice).collect())
}

#[tokio::test]
async fn a_file_uploads_streamed_with_its_length_and_signed_hash() {
    let (server, client) = start().await;
    let bytes = content(3 * 1024 * 1024 + 17);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("archive.bin");
    std::fs::write(&path, &bytes).expect("the archive file");

    let body = ByteStream::from_path(&path).await.expect("the file opens");
    assert_eq!(body.content_length(), Some(bytes.len() as u64));
    let uploaded = client
        .upload_archive()
        .account_id("-")
        .vault_name(VAULT)
        .archive_description("three MiB and a bit")
        .checksum(tree_hash(&bytes))
        .body(body)
        .send()
        .await
        .expect("UploadArchive");
    let id = uploaded.archive_id.expect("an archive id");
    assert_eq!(uploaded.checksum, Some(tree_hash(&bytes)));
    assert_eq!(
        uploaded.location,
        Some(format!("/-/vaults/{VAULT}/archives/{id}"))
    );

    let uploads = server.with_state(|glacier| glacier.uploads.clone());
    let [upload] = uploads.as_slice() else {
        panic!("one upload: {uploads:?}")
    };
    assert_eq!(
        upload.content_length,
        Some(bytes.len() as u64),
        "Content-Length sent"
    );
    assert_eq!(upload.received, bytes.len() as u64);
    // The runtime read the file through once to hash it, and signed that
    // hash: the server recomputed the signature over the body's SHA-256.
    assert_eq!(
        upload.request_signature.as_deref(),
        Ok("the body's SHA-256")
    );
    let request = server.requests().pop().expect("the upload");
    assert_eq!(request.path, format!("/-/vaults/{VAULT}/archives"));
    assert_eq!(
        request.header("x-amz-archive-description"),
        Some("three MiB and a bit")
    );
    let stored = server.with_state(|glacier| glacier.archives[&id].clone());
    assert!(stored == bytes, "the archive stored is the file");
}

#[tokio::test]
async fn a_body_of_unknown_length_is_refused_before_anything_is_sent() {
    let (server, client) = start().await;
    let error = upload(&client, ByteStream::from_stream(pieces(&content(5000))))
        .await
        .expect_err("@requiresLength");
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    let text = format!("{error}: {:?}", std::error::Error::source(&error));
    assert!(
        text.contains("UploadArchive"),
        "the error names the operation: {text}"
    );
    assert!(
        text.to_lowercase().contains("length"),
        "and says why: {text}"
    );
    assert!(server.requests().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn a_stream_with_its_length_declared_uploads_unsigned() {
    let (server, client) = start().await;
    let bytes = content(5000);
    let uploaded = upload(
        &client,
        ByteStream::from_stream(pieces(&bytes)).with_length(bytes.len() as u64),
    )
    .await
    .expect("UploadArchive");
    let id = uploaded.archive_id.expect("an archive id");
    let upload = server.with_state(|glacier| glacier.uploads[0].clone());
    assert_eq!(upload.content_length, Some(5000));
    // A stream cannot be hashed before it is sent.
    assert_eq!(upload.request_signature.as_deref(), Ok("UNSIGNED-PAYLOAD"));
    let stored = server.with_state(|glacier| glacier.archives[&id].clone());
    assert!(stored == bytes);
}

/// `UploadArchive` of `body` to [`VAULT`], with no other member.
async fn upload(
    client: &Client,
    body: ByteStream,
) -> Result<UploadArchiveOutput, SdkError<UploadArchiveError>> {
    client
        .upload_archive()
        .account_id("-")
        .vault_name(VAULT)
        .body(body)
        .send()
        .await
}

/// Stores `bytes` as the output of job `job`.
fn job(server: &GlacierServer, job: &str, bytes: &[u8]) {
    server.with_state(|glacier| {
        glacier
            .jobs
            .insert(job.to_owned(), Bytes::copy_from_slice(bytes))
    });
}

#[tokio::test]
async fn job_output_is_read_piece_by_piece() {
    let (server, client) = start().await;
    let bytes = content(4 * PIECE + 123);
    job(&server, "inventory-1", &bytes);
    let mut output = client
        .get_job_output()
        .account_id("-")
        .vault_name(VAULT)
        .job_id("inventory-1")
        .send()
        .await
        .expect("GetJobOutput");
    assert_eq!(output.status, 200);
    assert_eq!(
        output.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(output.accept_ranges.as_deref(), Some("bytes"));
    assert_eq!(output.checksum, Some(tree_hash(&bytes)));
    assert_eq!(output.body.content_length(), Some(bytes.len() as u64));
    let mut read = Vec::new();
    let mut pieces = 0;
    while let Some(piece) = output.body.next().await {
        read.extend_from_slice(&piece.expect("a piece"));
        pieces += 1;
    }
    assert!(
        pieces > 1,
        "the body came in pieces, not one buffer ({pieces})"
    );
    assert!(read == bytes, "the pieces make up the output");
}

#[tokio::test]
async fn a_range_of_the_output_is_partial_content() {
    let (server, client) = start().await;
    let bytes = content(10_000);
    job(&server, "retrieval-2", &bytes);
    let output = client
        .get_job_output()
        .account_id("-")
        .vault_name(VAULT)
        .job_id("retrieval-2")
        .range("bytes=100-1099")
        .send()
        .await
        .expect("GetJobOutput");
    assert_eq!(output.status, 206);
    assert_eq!(
        output.content_range.as_deref(),
        Some("bytes 100-1099/10000")
    );
    let read = output.body.collect().await.expect("the range");
    assert_eq!(&read[..], &bytes[100..1100]);
}

#[tokio::test]
async fn an_uploaded_archive_reads_back_through_async_read() {
    let (_server, client) = start().await;
    let bytes = content(PIECE * 2 + 5);
    let uploaded = upload(&client, ByteStream::from(bytes.clone()))
        .await
        .expect("UploadArchive");
    let id = uploaded.archive_id.expect("an archive id");
    let output = client
        .get_job_output()
        .account_id("-")
        .vault_name(VAULT)
        .job_id(retrieval_job(&id))
        .send()
        .await
        .expect("GetJobOutput");
    let mut reader = output.body.into_async_read();
    let mut read = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut read)
        .await
        .expect("read to the end");
    assert!(read == bytes);
}

#[tokio::test]
async fn a_missing_job_is_a_typed_error() {
    let (_server, client) = start().await;
    let error = client
        .get_job_output()
        .account_id("-")
        .vault_name(VAULT)
        .job_id("no-such-job")
        .send()
        .await
        .expect_err("404");
    let service_error = error.as_service_error().expect("a service error");
    let GetJobOutputError::ResourceNotFoundException(missing) = service_error else {
        panic!("not ResourceNotFoundException: {service_error:?}");
    };
    assert!(missing
        .message()
        .unwrap_or_default()
        .contains("no-such-job"));
}

#[tokio::test]
async fn a_failed_upload_is_retried_with_the_file_read_again() {
    let (server, client) = start().await;
    server.with_state(|glacier| glacier.unavailable = 1);
    let bytes = content(200_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("retried.bin");
    std::fs::write(&path, &bytes).expect("the archive file");
    let uploaded = upload(
        &client,
        ByteStream::from_path(&path).await.expect("the file opens"),
    )
    .await
    .expect("the second attempt succeeds");
    let uploads = server.with_state(|glacier| glacier.uploads.clone());
    assert_eq!(uploads.len(), 2, "one 503, one retry");
    for upload in &uploads {
        assert_eq!(
            upload.received,
            bytes.len() as u64,
            "each attempt sent the whole file"
        );
        assert_eq!(
            upload.request_signature.as_deref(),
            Ok("the body's SHA-256")
        );
    }
    let id = uploaded.archive_id.expect("an archive id");
    assert!(server.with_state(|glacier| glacier.archives[&id].clone()) == bytes);
}

#[tokio::test]
async fn a_one_shot_stream_is_not_resent_after_a_failure() {
    let (server, client) = start().await;
    server.with_state(|glacier| glacier.unavailable = 1);
    let bytes = content(5000);
    let error = upload(
        &client,
        ByteStream::from_stream(pieces(&bytes)).with_length(bytes.len() as u64),
    )
    .await
    .expect_err("a stream cannot be sent twice");
    let service_error = error.as_service_error().expect("the 503 itself");
    assert_eq!(service_error.code(), Some("ServiceUnavailableException"));
    assert_eq!(
        server.with_state(|glacier| glacier.uploads.len()),
        1,
        "sent once"
    );
}

#[tokio::test]
async fn the_output_is_readable_before_the_server_has_sent_it_all() {
    let (server, client) = start().await;
    let bytes = content(3 * PIECE);
    job(&server, "held-back", &bytes);
    let gate = std::sync::Arc::new(tokio::sync::Notify::new());
    server.with_state(|glacier| glacier.gate = Some(gate.clone()));
    let mut output = client
        .get_job_output()
        .account_id("-")
        .vault_name(VAULT)
        .job_id("held-back")
        .send()
        .await
        .expect("the response head arrives with the first piece");
    // The server holds the rest back: a client that buffered the body would
    // wait here for ever.
    let first = tokio::time::timeout(Duration::from_secs(10), output.body.next())
        .await
        .expect("the first piece, before the rest is sent")
        .expect("a piece")
        .expect("no error");
    assert!(!first.is_empty() && first.len() <= PIECE);
    assert_eq!(&first[..], &bytes[..first.len()]);
    let mut read = first.to_vec();
    while read.len() < bytes.len() {
        gate.notify_one();
        let piece = output.body.next().await.expect("more").expect("a piece");
        read.extend_from_slice(&piece);
    }
    assert!(output.body.next().await.is_none());
    assert!(read == bytes);
}
