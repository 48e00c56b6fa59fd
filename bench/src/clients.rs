//! One client's figures, measured in a process of its own (so its peak RSS is
//! its own): sequential latency and allocations per call for ListStages and
//! CreateStage, then throughput with 16 tasks sharing one client.

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioExecutor;

use crate::alloc;
use crate::stats::{median, percentile, us};

/// The clients compared, by the name used in their figures.
pub const CLIENTS: [&str; 3] = ["ours", "official", "raw_hyper"];

/// An HTTP client that answers every request at once with the server's
/// canned body: the generated client's own cost per call, with no socket.
#[derive(Debug)]
struct InProcess;

impl smithy_runtime::http::HttpClient for InProcess {
    fn call(&self, request: http::Request<Bytes>) -> smithy_runtime::http::HttpFuture<'_> {
        let body = crate::server::canned_body(request.uri().path());
        Box::pin(async move {
            let mut response = http::Response::new(Bytes::from_static(body.as_bytes()));
            response.headers_mut().insert("content-type", http::HeaderValue::from_static("application/json"));
            Ok(response)
        })
    }
}

/// The generated client: static credentials, region us-east-1, endpoint URL
/// pointing at the loopback server, default retry and timeout settings.
fn ours(addr: SocketAddr) -> ivs_realtime::Client {
    ivs_realtime::Client::new(&ours_config(addr).build())
}

fn ours_config(addr: SocketAddr) -> ivs_realtime::config::ConfigBuilder {
    use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
    ivs_realtime::Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys("AKIDBENCH", "bench/secret")))
}

/// The official client (aws-sdk-ivsrealtime 1.49.0, the release carrying the
/// 2024-10-02 model update) configured the same way, default HTTP client.
fn official(addr: SocketAddr) -> aws_sdk_ivsrealtime::Client {
    use aws_sdk_ivsrealtime::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_ivsrealtime::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(Credentials::new("AKIDBENCH", "bench/secret", None, None, "bench"))
        .build();
    aws_sdk_ivsrealtime::Client::from_conf(config)
}

type Raw = hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// A bare hyper request with the same body and content type, no signing, no
/// (de)serialization: the floor every client is measured against.
async fn raw_call(client: &Raw, addr: SocketAddr, path: &str, body: &'static str) {
    let request = http::Request::post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .expect("a valid request");
    let response = client.request(request).await.expect("raw call");
    let bytes = response.into_body().collect().await.expect("raw body").to_bytes();
    std::hint::black_box(bytes);
}

/// Times `calls` sequential calls of `f` after a warm-up, counting the
/// allocations they make; prints median, p99 and allocations/bytes per call.
async fn latency<F, Fut>(label: &str, calls: usize, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    for _ in 0..calls / 10 + 1 {
        f().await;
    }
    let mut samples = Vec::with_capacity(calls);
    let before = alloc::snapshot();
    for _ in 0..calls {
        let started = Instant::now();
        f().await;
        samples.push(started.elapsed());
    }
    let after = alloc::snapshot();
    let per_call = |a: u64, b: u64| (b - a) as f64 / calls.max(1) as f64;
    println!("{label}_median_us: {:.1}", us(median(samples.clone())));
    println!("{label}_p99_us: {:.1}", us(percentile(samples, 0.99)));
    println!("{label}_allocations_per_call: {:.1}", per_call(before.allocations, after.allocations));
    println!("{label}_allocated_bytes_per_call: {:.0}", per_call(before.bytes, after.bytes));
}

/// Calls per second with 16 tasks sharing one client.
async fn throughput<F, Fut>(label: &str, seconds: f64, f: F)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let f = f.clone();
            tokio::spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    f().await;
                    n += 1;
                }
                n
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap_or(0);
    }
    println!("{label}_16_tasks_calls_per_s: {:.0}", total as f64 / seconds);
}

/// The generated client's ListStages with [`InProcess`] as its HTTP client:
/// signing, (de)serialization, retries and tracing without the network.
/// Alone (`smithy-bench in-process CALLS`) it is the thing to profile.
pub async fn measure_in_process(calls: usize) {
    let loopback = SocketAddr::from(([127, 0, 0, 1], 9));
    let client = ivs_realtime::Client::new(&ours_config(loopback).http_client(InProcess).build());
    latency("ours_in_process_list_stages", calls, || {
        let client = client.clone();
        async move { std::hint::black_box(client.list_stages().send().await.expect("ListStages")); }
    })
    .await;
}

/// `iterations` of ListStages then CreateStage with one client, nothing
/// measured: what callgrind counts (see `instructions_per_call` in main.rs).
pub async fn call_loop(name: &str, addr: SocketAddr, iterations: usize) -> Result<(), String> {
    match name {
        "ours" => {
            let client = ours(addr);
            for _ in 0..iterations {
                std::hint::black_box(client.list_stages().send().await.map_err(|e| e.to_string())?);
                std::hint::black_box(client.create_stage().name("alpha").send().await.map_err(|e| e.to_string())?);
            }
        }
        "official" => {
            let client = official(addr);
            for _ in 0..iterations {
                std::hint::black_box(client.list_stages().send().await.map_err(|e| e.to_string())?);
                std::hint::black_box(client.create_stage().name("alpha").send().await.map_err(|e| e.to_string())?);
            }
        }
        "raw_hyper" => {
            let client: Raw = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http();
            for _ in 0..iterations {
                raw_call(&client, addr, "/ListStages", "{}").await;
                raw_call(&client, addr, "/CreateStage", r#"{"name":"alpha"}"#).await;
            }
        }
        other => return Err(format!("unknown client `{other}` (expected one of {CLIENTS:?})")),
    }
    Ok(())
}

/// Measures one client against the server at `addr` and prints its figures,
/// the process's peak RSS last.
pub async fn measure(name: &str, addr: SocketAddr, calls: usize) -> Result<(), String> {
    let seconds = 2.0;
    match name {
        "ours" => {
            let client = ours(addr);
            measure_in_process(calls).await;
            latency("ours_list_stages", calls, || {
                let client = client.clone();
                async move { std::hint::black_box(client.list_stages().send().await.expect("ListStages")); }
            })
            .await;
            latency("ours_create_stage", calls, || {
                let client = client.clone();
                async move { std::hint::black_box(client.create_stage().name("alpha").send().await.expect("CreateStage")); }
            })
            .await;
            throughput("ours_list_stages", seconds, move || {
                let client = client.clone();
                async move { std::hint::black_box(client.list_stages().send().await.expect("ListStages")); }
            })
            .await;
        }
        "official" => {
            let client = official(addr);
            latency("official_list_stages", calls, || {
                let client = client.clone();
                async move { std::hint::black_box(client.list_stages().send().await.expect("official ListStages")); }
            })
            .await;
            latency("official_create_stage", calls, || {
                let client = client.clone();
                async move {
                    std::hint::black_box(client.create_stage().name("alpha").send().await.expect("official CreateStage"));
                }
            })
            .await;
            throughput("official_list_stages", seconds, move || {
                let client = client.clone();
                async move { std::hint::black_box(client.list_stages().send().await.expect("official ListStages")); }
            })
            .await;
        }
        "raw_hyper" => {
            let client: Raw = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http();
            latency("raw_hyper_list_stages", calls, || raw_call(&client, addr, "/ListStages", "{}")).await;
            latency("raw_hyper_create_stage", calls, || raw_call(&client, addr, "/CreateStage", r#"{"name":"alpha"}"#))
                .await;
            throughput("raw_hyper_list_stages", seconds, move || {
                let client = client.clone();
                async move { raw_call(&client, addr, "/ListStages", "{}").await }
            })
            .await;
        }
        other => return Err(format!("unknown client `{other}` (expected one of {CLIENTS:?})")),
    }
    match alloc::peak_rss_kib() {
        Some(kib) => println!("{name}_peak_rss_kib: {kib}"),
        None => println!("{name}_peak_rss_kib: unknown (no /proc/self/status)"),
    }
    Ok(())
}
