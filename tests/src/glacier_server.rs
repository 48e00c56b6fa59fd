//! A loopback Glacier for the two calls whose bodies are streams (restJson1):
//!
//! - `UploadArchive` (`POST /{accountId}/vaults/{vaultName}/archives`) reads
//!   the body as it arrives, refuses it without a `Content-Length` (411
//!   `MissingParameterValueException`, as the service does) or when the bytes
//!   differ from it, checks `x-amz-sha256-tree-hash` when sent and
//!   `x-amz-content-sha256` when it is a hash, and stores the archive; it
//!   answers 201 with the archive's id, location and tree hash (or 503
//!   `ServiceUnavailableException` while [`Glacier::unavailable`] counts down).
//!   Each archive also becomes a finished retrieval job, [`retrieval_job`].
//! - `GetJobOutput` (`GET /{accountId}/vaults/{vaultName}/jobs/{jobId}/output`)
//!   streams a job's output in [`PIECE`]-byte pieces, whole (200) or the
//!   `Range: bytes=first-last` asked for (206 with `Content-Range`); with a
//!   [`Glacier::gate`], the pieces after the first wait for it.
//!
//! Every request must be SigV4-signed for `glacier`; every upload is recorded
//! ([`Upload`]), with the payload hash its signature was computed with when
//! signed with [`ACCESS_KEY_ID`].

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http::request::Parts;
use http::{Method, Response, StatusCode};
use hyper::body::Incoming;
use ring::digest;
use tokio::sync::Notify;

use crate::event_signing::{check_request_signature, hex};
use crate::ivs_server::check_sigv4_shape;
use crate::stream_loopback::{
    channel_body, json_error, read_pieces, respond, Body, Shared, StreamServer, ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
};

/// The size of the pieces `GetJobOutput` writes its body in.
pub const PIECE: usize = 64 * 1024;

/// What the server saw of one upload.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The vault named in the path.
    pub vault: String,
    /// The `Content-Length` header, if sent.
    pub content_length: Option<u64>,
    /// The `x-amz-content-sha256` header, if sent.
    pub content_sha256: Option<String>,
    /// How many bytes arrived.
    pub received: u64,
    /// In how many pieces they arrived.
    pub pieces: usize,
    /// The archive id given, when the upload was accepted.
    pub archive_id: Option<String>,
    /// The payload hash the request's `Authorization` signature was computed
    /// with (the body's SHA-256, or `UNSIGNED-PAYLOAD`), as the server
    /// recomputed it for [`ACCESS_KEY_ID`]; or why it matched none.
    pub request_signature: Result<String, String>,
}

/// What the loopback Glacier keeps.
#[derive(Debug, Default)]
pub struct Glacier {
    /// Archive bytes by archive id.
    pub archives: BTreeMap<String, Bytes>,
    /// Job output by job id.
    pub jobs: BTreeMap<String, Bytes>,
    /// Every upload, accepted or not, in order.
    pub uploads: Vec<Upload>,
    /// How many of the next uploads to answer 503
    /// `ServiceUnavailableException` after reading them (for retries).
    pub unavailable: usize,
    /// When set, `GetJobOutput` sends its first piece and then waits for
    /// this before the rest.
    pub gate: Option<Arc<Notify>>,
}

/// A running loopback Glacier.
pub type GlacierServer = StreamServer<Glacier>;

/// Starts a loopback Glacier on the current tokio runtime.
pub async fn start() -> GlacierServer {
    StreamServer::start("Glacier", Glacier::default(), answer).await
}

/// The id of the retrieval job every stored archive gets.
pub fn retrieval_job(archive_id: &str) -> String {
    format!("retrieve-{archive_id}")
}

/// Glacier's SHA-256 tree hash (hex): the SHA-256 of each 1 MiB piece, then
/// of each pair of hashes, level by level, until one is left.
pub fn tree_hash(bytes: &[u8]) -> String {
    const MIB: usize = 1024 * 1024;
    let mut level: Vec<Vec<u8>> = if bytes.is_empty() {
        vec![sha256(b"")]
    } else {
        bytes.chunks(MIB).map(sha256).collect()
    };
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => sha256(&[left.as_slice(), right.as_slice()].concat()),
                [single] => single.clone(),
                _ => unreachable!("chunks(2) yields one or two"),
            })
            .collect();
    }
    hex(&level[0])
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    digest::digest(&digest::SHA256, bytes).as_ref().to_vec()
}

fn answer(
    shared: Arc<Shared<Glacier>>,
    parts: Parts,
    body: Incoming,
) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> {
    Box::pin(async move {
        if let Err(why) = check_sigv4_shape(&parts.headers, "glacier") {
            return json_error(StatusCode::FORBIDDEN, "InvalidSignatureException", &why);
        }
        let segments: Vec<&str> = parts.uri.path().split('/').skip(1).collect();
        match (&parts.method, segments.as_slice()) {
            (&Method::POST, [_account, "vaults", vault, "archives"]) => {
                upload(&shared, &parts, vault, body).await
            }
            (&Method::GET, [_account, "vaults", _vault, "jobs", job, "output"]) => {
                job_output(&shared, &parts, job)
            }
            _ => json_error(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                parts.uri.path(),
            ),
        }
    })
}

async fn upload(
    shared: &Shared<Glacier>,
    parts: &Parts,
    vault: &str,
    body: Incoming,
) -> Response<Body> {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let mut record = Upload {
        vault: vault.to_owned(),
        content_length: header("content-length").and_then(|n| n.parse().ok()),
        content_sha256: header("x-amz-content-sha256").map(str::to_owned),
        received: 0,
        pieces: 0,
        archive_id: None,
        request_signature: Err("not checked".to_owned()),
    };
    let mut bytes = Vec::new();
    let read = read_pieces(body, |piece| {
        record.pieces += 1;
        bytes.extend_from_slice(&piece);
    })
    .await;
    record.received = bytes.len() as u64;
    record.request_signature = signed_with(parts, &bytes);
    let unavailable = shared.with(|glacier| {
        let refuse = glacier.unavailable > 0;
        glacier.unavailable = glacier.unavailable.saturating_sub(1);
        refuse
    });
    let verdict = if unavailable {
        Err((
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailableException",
            "the loopback vault is busy".to_owned(),
        ))
    } else {
        check_upload(&record, &bytes, header("x-amz-sha256-tree-hash"), read)
    };
    let response = match verdict {
        Err((status, code, why)) => json_error(status, code, &why),
        Ok(tree) => shared.with(|glacier| {
            let id = format!("archive-{}", glacier.archives.len() + 1);
            let bytes = Bytes::from(bytes);
            glacier.archives.insert(id.clone(), bytes.clone());
            glacier.jobs.insert(retrieval_job(&id), bytes);
            record.archive_id = Some(id.clone());
            respond(
                StatusCode::CREATED,
                [
                    ("location", format!("/-/vaults/{vault}/archives/{id}")),
                    ("x-amz-archive-id", id),
                    ("x-amz-sha256-tree-hash", tree),
                    ("x-amzn-requestid", "loopback-glacier-upload".to_owned()),
                ],
                crate::stream_loopback::full(Bytes::new()),
            )
        }),
    };
    shared.with(|glacier| glacier.uploads.push(record));
    response
}

/// The payload hash the request was signed with, of those a client may use
/// for `body`: its `x-amz-content-sha256`, the body's SHA-256, or
/// `UNSIGNED-PAYLOAD`.
fn signed_with(parts: &Parts, body: &[u8]) -> Result<String, String> {
    let auth = check_sigv4_shape(&parts.headers, "glacier")?;
    if auth.access_key_id != ACCESS_KEY_ID {
        return Err(format!("unknown access key id {}", auth.access_key_id));
    }
    let sent = parts
        .headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok());
    let sha = hex(&sha256(body));
    let candidates: Vec<&str> = sent
        .into_iter()
        .chain([sha.as_str(), "UNSIGNED-PAYLOAD"])
        .collect();
    check_request_signature(parts, &auth, SECRET_ACCESS_KEY, &candidates).map(|hash| {
        if hash == sha {
            "the body's SHA-256".to_owned()
        } else {
            hash.to_owned()
        }
    })
}

type Refusal = (StatusCode, &'static str, String);

/// The tree hash of an acceptable upload, or why it is refused.
fn check_upload(
    record: &Upload,
    bytes: &[u8],
    tree_hash_sent: Option<&str>,
    read: Result<(), String>,
) -> Result<String, Refusal> {
    let refuse = |status, code, why: String| Err((status, code, why));
    if let Err(why) = read {
        return refuse(StatusCode::REQUEST_TIMEOUT, "RequestTimeoutException", why);
    }
    let Some(length) = record.content_length else {
        return refuse(
            StatusCode::LENGTH_REQUIRED,
            "MissingParameterValueException",
            "Content-Length is required".to_owned(),
        );
    };
    if length != record.received {
        return refuse(
            StatusCode::BAD_REQUEST,
            "InvalidParameterValueException",
            format!(
                "Content-Length is {length}, {} bytes arrived",
                record.received
            ),
        );
    }
    let sha = hex(&sha256(bytes));
    if let Some(sent) = &record.content_sha256 {
        let is_hash = sent.len() == 64 && sent.bytes().all(|b| b.is_ascii_hexdigit());
        if is_hash && *sent != sha {
            return refuse(
                StatusCode::BAD_REQUEST,
                "InvalidSignatureException",
                format!("x-amz-content-sha256 {sent} is not the body's SHA-256 {sha}"),
            );
        }
    }
    let tree = tree_hash(bytes);
    if let Some(sent) = tree_hash_sent {
        if sent != tree {
            return refuse(
                StatusCode::BAD_REQUEST,
                "InvalidParameterValueException",
                format!("x-amz-sha256-tree-hash {sent} is not the archive's tree hash {tree}"),
            );
        }
    }
    Ok(tree)
}

fn job_output(shared: &Shared<Glacier>, parts: &Parts, job: &str) -> Response<Body> {
    let Some(output) = shared.with(|glacier| glacier.jobs.get(job).cloned()) else {
        return json_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFoundException",
            &format!("The job ID was not found: {job}"),
        );
    };
    let range = parts.headers.get("range").and_then(|v| v.to_str().ok());
    let (status, bytes, content_range) = match range.map(|r| parse_range(r, output.len())) {
        None => (StatusCode::OK, output.clone(), None),
        Some(Some((first, last))) => (
            StatusCode::PARTIAL_CONTENT,
            output.slice(first..=last),
            Some(format!("bytes {first}-{last}/{}", output.len())),
        ),
        Some(None) => {
            return json_error(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "InvalidParameterValueException",
                &format!(
                    "the range {range:?} is not within the {} bytes",
                    output.len()
                ),
            )
        }
    };
    let mut headers = vec![
        ("content-type", "application/octet-stream".to_owned()),
        ("content-length", bytes.len().to_string()),
        ("accept-ranges", "bytes".to_owned()),
        ("x-amz-sha256-tree-hash", tree_hash(&bytes)),
        ("x-amzn-requestid", "loopback-glacier-output".to_owned()),
    ];
    headers.extend(content_range.map(|range| ("content-range", range)));
    let (sender, body) = channel_body();
    let gate = shared.with(|glacier| glacier.gate.clone());
    tokio::spawn(async move {
        let mut at = 0;
        while at < bytes.len() {
            if let (true, Some(gate)) = (at > 0, &gate) {
                gate.notified().await;
            }
            let end = (at + PIECE).min(bytes.len());
            if !sender.send(bytes.slice(at..end)).await {
                return;
            }
            at = end;
        }
    });
    respond(status, headers, body)
}

/// `bytes=first-last` within `len` bytes, as inclusive offsets.
fn parse_range(range: &str, len: usize) -> Option<(usize, usize)> {
    let (first, last) = range.strip_prefix("bytes=")?.split_once('-')?;
    let first: usize = first.parse().ok()?;
    let last: usize = last.parse().ok()?;
    (first <= last && last < len).then_some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_hash_of_one_piece_is_its_sha256_and_pieces_pair_up() {
        assert_eq!(tree_hash(b"abc"), hex(&sha256(b"abc")));
        let three_mib = vec![7u8; 3 * 1024 * 1024];
        let piece = sha256(&three_mib[..1024 * 1024]);
        let pair = sha256(&[piece.as_slice(), piece.as_slice()].concat());
        let top = sha256(&[pair.as_slice(), piece.as_slice()].concat());
        assert_eq!(tree_hash(&three_mib), hex(&top));
    }

    #[test]
    fn ranges_are_inclusive_and_inside_the_output() {
        assert_eq!(parse_range("bytes=0-9", 10), Some((0, 9)));
        assert_eq!(parse_range("bytes=5-10", 10), None);
        assert_eq!(parse_range("bytes=3-2", 10), None);
        assert_eq!(parse_range("items=0-1", 10), None);
    }
}
