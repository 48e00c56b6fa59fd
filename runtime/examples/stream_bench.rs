//! The streaming figure of issue 14: upload 1 GiB and download 1 GiB through
//! a loopback server, with `ClientHandle::call_streaming` and with raw hyper
//! against the same server, reporting throughput and the peak RSS of each
//! client process. Run it with `cargo xtask stream-bench` (a release build);
//! it fails when the streaming client's peak RSS is over 64 MiB.
//!
//! One binary plays three roles, so that each is measured in a process of its
//! own (peak RSS, `VmHWM`, only ever grows):
//!
//! * `stream_bench [--mib N] [--http2]` starts the server and one client
//!   process per client kind, then prints the table;
//! * `stream_bench server [--http2]` serves on a loopback port it prints,
//!   until its standard input closes, then prints its own peak RSS;
//! * `stream_bench client KIND PORT BYTES [--http2]` runs one upload and one
//!   download and prints its figures as one line.

use std::convert::Infallible;
use std::io::{BufRead, BufReader, Read, Write};
use std::pin::Pin;
use std::process::{Child, Command, ExitCode, Stdio};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// Transfers each way per client; the fastest counts, so that a moment
/// when another process had the CPU does not.
const ROUNDS: usize = 5;

/// The peak RSS a streaming client may reach.
const RSS_LIMIT_KIB: u64 = 64 * 1024;

/// Every body is made of this buffer, so no transfer allocates per chunk
/// and the bytes sent are never held anywhere but in flight.
static CHUNK: [u8; 64 * 1024] = [0x5a; 64 * 1024];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let http2 = args.iter().any(|a| a == "--http2");
    let result = match args.first().map(String::as_str) {
        Some("server") => server::run(http2),
        Some("client") => client::run(&args[1..], http2),
        _ => orchestrate(&args, http2),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("stream-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

type Error = Box<dyn std::error::Error + Send + Sync>;

/// `VmHWM` (peak resident set) or `VmRSS` of this process, in KiB.
fn status_kib(field: &str) -> u64 {
    proc_status_kib("/proc/self/status", field)
}

fn proc_status_kib(path: &str, field: &str) -> u64 {
    let status = std::fs::read_to_string(path).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// `length` bytes of [`CHUNK`]s, as an HTTP body and as a stream of `Bytes`.
struct Chunks {
    left: u64,
}

impl Chunks {
    fn new(length: u64) -> Self {
        Chunks { left: length }
    }

    fn next_chunk(&mut self) -> Option<Bytes> {
        if self.left == 0 {
            return None;
        }
        let n = self.left.min(CHUNK.len() as u64) as usize;
        self.left -= n as u64;
        Some(Bytes::from_static(&CHUNK[..n]))
    }
}

impl Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.get_mut().next_chunk().map(|chunk| Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.left)
    }
}

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().next_chunk().map(Ok))
    }
}

/// What one client process measured.
#[derive(Debug)]
struct Figures {
    upload: Duration,
    download: Duration,
    /// Resident set once the runtime was up, before any transfer.
    start_rss_kib: u64,
    peak_rss_kib: u64,
}

impl Figures {
    fn to_line(&self) -> String {
        format!(
            "figures upload_ns={} download_ns={} start_rss_kib={} peak_rss_kib={}",
            self.upload.as_nanos(),
            self.download.as_nanos(),
            self.start_rss_kib,
            self.peak_rss_kib
        )
    }

    fn from_line(line: &str) -> Option<Figures> {
        let mut fields = line.strip_prefix("figures ")?.split(' ').map(|field| {
            let (_, value) = field.split_once('=')?;
            value.parse::<u64>().ok()
        });
        let mut next = || fields.next().flatten();
        Some(Figures {
            upload: Duration::from_nanos(next()?),
            download: Duration::from_nanos(next()?),
            start_rss_kib: next()?,
            peak_rss_kib: next()?,
        })
    }
}

/// Starts the server, runs each client kind in its own process, prints the
/// table; fails when the streaming client went over [`RSS_LIMIT_KIB`].
fn orchestrate(args: &[String], http2: bool) -> Result<ExitCode, Error> {
    let mib: u64 = match args.iter().position(|a| a == "--mib") {
        Some(i) => args.get(i + 1).ok_or("--mib needs a number")?.parse()?,
        None => 1024,
    };
    let bytes = mib * 1024 * 1024;
    let exe = std::env::current_exe()?;
    let version_flag: &[&str] = if http2 { &["--http2"] } else { &[] };

    let mut server = Command::new(&exe)
        .arg("server")
        .args(version_flag)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut server_out = BufReader::new(server.stdout.take().ok_or("no server stdout")?);
    let mut line = String::new();
    server_out.read_line(&mut line)?;
    let port = line.trim().strip_prefix("listening ").ok_or_else(|| format!("server said {line:?}"))?.to_owned();

    let protocol = if http2 { "HTTP/2 (h2c)" } else { "HTTP/1.1" };
    println!(
        "stream-bench: {mib} MiB up and {mib} MiB down over loopback {protocol}, one client process each, \
         fastest of {ROUNDS} rounds"
    );
    let mut rows = Vec::new();
    for kind in client::KINDS {
        let output = Command::new(&exe)
            .args(["client", kind, &port, &bytes.to_string()])
            .args(version_flag)
            .stderr(Stdio::inherit())
            .output()?;
        let text = String::from_utf8_lossy(&output.stdout);
        let figures = text.lines().find_map(Figures::from_line);
        match (output.status.success(), figures) {
            (true, Some(figures)) => rows.push((kind, figures)),
            _ => {
                stop(server)?;
                return Err(format!("the {kind} client failed ({}): {text}", output.status).into());
            }
        }
    }
    let server_peak = stop_and_read_peak(server, server_out)?;

    let rate = |d: Duration| mib as f64 / d.as_secs_f64();
    println!(
        "{:<28} {:>12} {:>14} {:>15} {:>14}",
        "client", "upload MiB/s", "download MiB/s", "start RSS MiB", "peak RSS MiB"
    );
    for (kind, figures) in &rows {
        println!(
            "{:<28} {:>12.0} {:>14.0} {:>15.1} {:>14.1}",
            client::describe(kind),
            rate(figures.upload),
            rate(figures.download),
            figures.start_rss_kib as f64 / 1024.0,
            figures.peak_rss_kib as f64 / 1024.0
        );
    }
    println!("server process (hyper, shared by both): peak RSS {:.1} MiB", server_peak as f64 / 1024.0);

    let streaming = rows.iter().find(|(kind, _)| *kind == client::SMITHY).map(|(_, f)| f.peak_rss_kib);
    match streaming {
        Some(peak) if peak <= RSS_LIMIT_KIB => {
            println!("stream-bench: ok, the streaming client's peak RSS is within {} MiB", RSS_LIMIT_KIB / 1024);
            Ok(ExitCode::SUCCESS)
        }
        Some(peak) => {
            eprintln!(
                "stream-bench: FAILED, the streaming client's peak RSS {:.1} MiB is over {} MiB",
                peak as f64 / 1024.0,
                RSS_LIMIT_KIB / 1024
            );
            Ok(ExitCode::FAILURE)
        }
        None => Err("the streaming client was not run".into()),
    }
}

/// Closes the server's standard input (it then exits) and waits for it.
fn stop(mut server: Child) -> Result<(), Error> {
    drop(server.stdin.take());
    server.wait()?;
    Ok(())
}

/// Stops the server and reads the peak RSS it prints on the way out.
fn stop_and_read_peak(server: Child, mut out: impl Read) -> Result<u64, Error> {
    stop(server)?;
    let mut rest = String::new();
    out.read_to_string(&mut rest)?;
    rest.lines()
        .find_map(|line| line.strip_prefix("server peak_rss_kib=")?.parse().ok())
        .ok_or_else(|| format!("the server did not report its peak RSS: {rest:?}").into())
}

mod server {
    use std::net::SocketAddr;

    use http::{Request, Response};
    use http_body_util::BodyExt;
    use hyper::body::Incoming;
    use hyper::service::service_fn;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use tokio::net::TcpListener;

    use super::*;

    /// `PUT /upload` reads the body frame by frame and answers with the
    /// number of bytes in `x-received`; `GET /download/N` answers N bytes.
    /// HTTP/1.1, or HTTP/1.1 and h2c with `--http2`.
    pub fn run(http2: bool) -> Result<ExitCode, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
        runtime.block_on(async move {
            let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
            println!("listening {}", listener.local_addr()?.port());
            std::io::stdout().flush()?;
            let serving = async move {
                while let Ok((socket, _)) = listener.accept().await {
                    let _ = socket.set_nodelay(true);
                    tokio::spawn(async move {
                        let io = TokioIo::new(socket);
                        let service = service_fn(handle);
                        if http2 {
                            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                                .serve_connection(io, service)
                                .await;
                        } else {
                            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                        }
                    });
                }
            };
            // Serves until the orchestrator closes standard input.
            let stdin_closed = tokio::task::spawn_blocking(|| {
                let _ = std::io::stdin().read_to_end(&mut Vec::new());
            });
            tokio::select! {
                _ = serving => {}
                _ = stdin_closed => {}
            }
            println!("server peak_rss_kib={}", status_kib("VmHWM"));
            Ok(ExitCode::SUCCESS)
        })
    }

    async fn handle(request: Request<Incoming>) -> Result<Response<Chunks>, Infallible> {
        let path = request.uri().path().to_owned();
        if let Some(length) = path.strip_prefix("/download/").and_then(|n| n.parse().ok()) {
            return Ok(Response::new(Chunks::new(length)));
        }
        let mut body = request.into_body();
        let mut received = 0u64;
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(frame) => received += frame.data_ref().map_or(0, |d| d.len() as u64),
                Err(_) => break,
            }
        }
        let mut response = Response::new(Chunks::new(0));
        response.headers_mut().insert("x-received", received.into());
        Ok(response)
    }
}

mod client {
    use smithy_runtime::auth::credentials::Credentials;
    use smithy_runtime::client::{AuthScheme, ClientHandle, Config, OperationSpec, ServiceSpec, Unhandled};
    use smithy_runtime::endpoint::EndpointParams;
    use smithy_runtime::primitives::ByteStream;
    use smithy_runtime::protocol::{DeserializeError, ErrorMetadata, Protocol, SerializeError};

    use super::*;

    /// The streaming client under test.
    pub const SMITHY: &str = "smithy";
    /// The runtime's transport alone, without the call pipeline.
    pub const TRANSPORT: &str = "transport";
    /// hyper-util's legacy client with the same bodies, as the baseline.
    pub const HYPER: &str = "hyper";
    pub const KINDS: [&str; 3] = [HYPER, TRANSPORT, SMITHY];

    pub fn describe(kind: &str) -> &'static str {
        match kind {
            SMITHY => "ClientHandle::call_streaming",
            TRANSPORT => "HyperClient::call_streaming",
            _ => "raw hyper-util client",
        }
    }

    /// `KIND PORT BYTES`: [`ROUNDS`] times an upload and a download (each
    /// checked, each round with a new client), then the figures line with
    /// the fastest of each.
    pub fn run(args: &[String], http2: bool) -> Result<ExitCode, Error> {
        let [kind, port, bytes, ..] = args else {
            return Err("usage: stream_bench client KIND PORT BYTES [--http2]".into());
        };
        let bytes: u64 = bytes.parse()?;
        let base = format!("http://127.0.0.1:{port}");
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
        let figures = runtime.block_on(async {
            let start_rss_kib = status_kib("VmRSS");
            let (mut upload, mut download) = (Duration::MAX, Duration::MAX);
            for _ in 0..ROUNDS {
                let (up, down) = match kind.as_str() {
                    HYPER => raw_hyper(&base, bytes, http2).await?,
                    SMITHY => smithy(&base, bytes, http2).await?,
                    TRANSPORT => transport(&base, bytes, http2).await?,
                    other => return Err(format!("unknown client kind `{other}`").into()),
                };
                upload = upload.min(up);
                download = download.min(down);
            }
            Ok::<_, Error>(Figures { upload, download, start_rss_kib, peak_rss_kib: status_kib("VmHWM") })
        })?;
        println!("{}", figures.to_line());
        Ok(ExitCode::SUCCESS)
    }

    fn check_length(what: &str, got: u64, expected: u64) -> Result<(), Error> {
        if got == expected {
            Ok(())
        } else {
            Err(format!("{what}: {got} bytes instead of {expected}").into())
        }
    }

    /// Reads `body` chunk by chunk, keeping none; its length.
    async fn read_all(mut body: ByteStream) -> Result<u64, Error> {
        let mut got = 0u64;
        while let Some(chunk) = body.next().await {
            got += chunk?.len() as u64;
        }
        Ok(got)
    }

    fn received(response: &http::Response<impl Sized>) -> u64 {
        response
            .headers()
            .get("x-received")
            .and_then(|v| v.to_str().ok()?.parse().ok())
            .unwrap_or(0)
    }

    static SERVICE: ServiceSpec = ServiceSpec {
        service_id: "Stream Bench",
        signing_name: "streambench",
        endpoint_rules: None,
        api_version: "2026-12-01",
        protocol: Protocol::RestJson1,
        query_compatible: false,
        retryable_errors: &[],
    };

    /// A SigV4-signed operation; its streamed body is signed as
    /// `UNSIGNED-PAYLOAD`, as an S3 `PutObject` of a stream is.
    const fn operation(name: &'static str, http2: bool) -> OperationSpec {
        OperationSpec {
            name,
            http_success_code: 200,
            auth: &[AuthScheme::Sigv4],
            optional_auth: false,
            request_compression: false,
            unsigned_payload: false,
            requires_length: false,
            http2,
        }
    }

    static UPLOAD: [OperationSpec; 2] = [operation("Upload", false), operation("Upload", true)];
    static DOWNLOAD: [OperationSpec; 2] = [operation("Download", false), operation("Download", true)];

    fn request(method: &str, path: String, body: ByteStream) -> Result<http::Request<ByteStream>, SerializeError> {
        http::Request::builder()
            .method(method)
            .uri(path)
            .body(body)
            .map_err(|e| SerializeError::new(e.to_string()))
    }

    fn bytes_received(response: http::Response<ByteStream>) -> Result<u64, DeserializeError> {
        Ok(received(&response))
    }

    fn body(response: http::Response<ByteStream>) -> Result<ByteStream, DeserializeError> {
        Ok(response.into_body())
    }

    fn unhandled(_: &http::Response<Bytes>, meta: ErrorMetadata) -> Result<Unhandled, DeserializeError> {
        Ok(Unhandled::new(meta, None))
    }

    /// The upload is a stream of unknown hash (declared length), the
    /// download read chunk by chunk with `ByteStream::next`.
    async fn smithy(base: &str, bytes: u64, http2: bool) -> Result<(Duration, Duration), Error> {
        let config = Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::from_keys("AKIDSTREAMBENCH", "stream-bench-secret"))
            .endpoint_url(base)
            .build();
        let handle = ClientHandle::new(&config, &SERVICE);
        let version = usize::from(http2);

        let started = Instant::now();
        let upload = ByteStream::from_stream(Chunks::new(bytes)).with_length(bytes);
        let got = handle
            .call_streaming(
                &UPLOAD[version],
                EndpointParams::new(),
                request("PUT", "/upload".to_owned(), upload),
                bytes_received,
                unhandled,
            )
            .await?;
        check_length("upload", got, bytes)?;
        let upload = started.elapsed();

        let started = Instant::now();
        let body = handle
            .call_streaming(
                &DOWNLOAD[version],
                EndpointParams::new(),
                request("GET", format!("/download/{bytes}"), ByteStream::new()),
                body,
                unhandled,
            )
            .await?;
        check_length("download", read_all(body).await?, bytes)?;
        Ok((upload, started.elapsed()))
    }

    /// The same transfers through the runtime's `HttpClient::call_streaming`,
    /// without signing, retries or endpoint resolution.
    async fn transport(base: &str, bytes: u64, http2: bool) -> Result<(Duration, Duration), Error> {
        use smithy_runtime::http::{HttpClient, HttpVersionPreference, HyperClient};

        let client = HyperClient::new();
        let version = if http2 { HttpVersionPreference::Http2 } else { HttpVersionPreference::Http1 };
        let started = Instant::now();
        let upload = ByteStream::from_stream(Chunks::new(bytes)).with_length(bytes);
        let mut put = request("PUT", format!("{base}/upload"), upload)?;
        put.extensions_mut().insert(version);
        let response = client.call_streaming(put).await?;
        check_length("upload", received(&response), bytes)?;
        let upload = started.elapsed();

        let started = Instant::now();
        let mut get = request("GET", format!("{base}/download/{bytes}"), ByteStream::new())?;
        get.extensions_mut().insert(version);
        let body = client.call_streaming(get).await?.into_body();
        check_length("download", read_all(body).await?, bytes)?;
        Ok((upload, started.elapsed()))
    }

    async fn raw_hyper(base: &str, bytes: u64, http2: bool) -> Result<(Duration, Duration), Error> {
        use http_body_util::BodyExt;
        use hyper_util::client::legacy::Client;
        use hyper_util::rt::TokioExecutor;

        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_nodelay(true);
        let client: Client<_, Chunks> =
            Client::builder(TokioExecutor::new()).http2_only(http2).build(connector);

        let started = Instant::now();
        let request = http::Request::put(format!("{base}/upload")).body(Chunks::new(bytes))?;
        let response = client.request(request).await?;
        check_length("upload", received(&response), bytes)?;
        let upload = started.elapsed();

        let started = Instant::now();
        let response = client
            .request(http::Request::get(format!("{base}/download/{bytes}")).body(Chunks::new(0))?)
            .await?;
        let mut body = response.into_body();
        let mut got = 0u64;
        while let Some(frame) = body.frame().await {
            got += frame?.data_ref().map_or(0, |d| d.len() as u64);
        }
        check_length("download", got, bytes)?;
        Ok((upload, started.elapsed()))
    }
}
