//! Measurements for `cargo xtask bench`. Prints `name: value` lines; every
//! figure is a median over repeated runs on this machine, in this run.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Codegen of one model (parse, lower, emit, format, write), median of `runs`.
fn codegen(name: &str, model: &Path, runs: usize) {
    let text = match std::fs::read_to_string(model) {
        Ok(text) => text,
        Err(e) => return println!("codegen_{name}: skipped ({}: {e})", model.display()),
    };
    let out = std::env::temp_dir().join(format!("smithy-bench-{name}-{}", std::process::id()));
    let options = smithy_codegen::CrateOptions {
        crate_name: "bench-client".to_string(),
        runtime_path: "../runtime".to_string(),
        standalone: true,
        model_source: model.display().to_string(),
        service: None,
        protocol_tests: false,
    };
    let mut samples = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&out);
        let started = Instant::now();
        let generated = match smithy_codegen::generate(&options.model_source, &text, &options) {
            Ok(generated) => generated,
            Err(e) => return println!("codegen_{name}: failed: {e}"),
        };
        if let Err(e) = smithy_codegen::output::write_crate(&out, &generated) {
            return println!("codegen_{name}: write failed: {e}");
        }
        samples.push(started.elapsed());
    }
    let _ = std::fs::remove_dir_all(&out);
    println!("codegen_{name}_ms: {:.1}", median(samples).as_secs_f64() * 1e3);
}

const LIST_STAGES: &str = r#"{"stages":[{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","name":"alpha","activeSessionId":"st-1","tags":{"team":"video"}},{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/ijklIJKLmnop","name":"beta","tags":{}}],"nextToken":"AAAA"}"#;
const CREATE_STAGE: &str = r#"{"stage":{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh","name":"alpha","tags":{},"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"","mediaTypes":["AUDIO_VIDEO"]},"endpoints":{"events":"wss://e","whip":"https://w","rtmp":"rtmp://r","rtmps":"rtmps://r"}},"participantTokens":[]}"#;

/// A loopback server answering every POST with a canned IVS response.
async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            tokio::spawn(async move {
                let service = service_fn(|request: http::Request<hyper::body::Incoming>| async move {
                    let body = if request.uri().path() == "/ListStages" { LIST_STAGES } else { CREATE_STAGE };
                    let _ = request.into_body().collect().await;
                    Ok::<_, Infallible>(
                        http::Response::builder()
                            .header("content-type", "application/json")
                            .header("x-amzn-requestid", "bench")
                            .body(Full::new(Bytes::from_static(body.as_bytes())))
                            .expect("response"),
                    )
                });
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    addr
}

fn ours(addr: SocketAddr) -> ivs_realtime::Client {
    use smithy_runtime::credentials::{Credentials, StaticCredentialsProvider};
    let config = ivs_realtime::Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys("AKIDBENCH", "bench/secret")))
        .build();
    ivs_realtime::Client::new(&config)
}

/// The official client (aws-sdk-ivsrealtime 1.49.0, the release carrying the
/// 2024-10-02 model update) against the same server: static credentials,
/// region us-east-1, default HTTP client and retry settings.
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

async fn raw_call(client: &Raw, addr: SocketAddr, path: &str, body: &'static str) {
    let request = http::Request::post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .expect("request");
    let response = client.request(request).await.expect("raw call");
    let bytes = response.into_body().collect().await.expect("raw body").to_bytes();
    std::hint::black_box(bytes);
}

/// Times `calls` sequential calls of `f` after a warm-up; prints median and p99.
async fn latency<F, Fut>(label: &str, calls: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..calls / 10 {
        f().await;
    }
    let mut samples = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        f().await;
        samples.push(started.elapsed());
    }
    let median = median(samples.clone());
    println!("{label}_median_us: {:.1}", us(median));
    println!("{label}_p99_us: {:.1}", us(percentile(samples, 0.99)));
    median
}

/// Calls per second with 16 tasks sharing one client.
async fn throughput<F, Fut>(label: &str, seconds: f64, f: F)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
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

#[tokio::main]
async fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let calls: usize = std::env::var("BENCH_CALLS").ok().and_then(|n| n.parse().ok()).unwrap_or(5_000);

    codegen("ivs_realtime", &root.join("model/ivs-realtime.json"), 11);
    codegen("upstream_largest_ivs_realtime", &root.join("../shared/models/upstream/ivs-realtime.json"), 11);
    codegen("upstream_ivs", &root.join("../shared/models/upstream/ivs.json"), 11);

    let addr = serve().await;
    let client = ours(addr);
    let aws = official(addr);
    let raw: Raw = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http();

    let ours_list = latency("ours_list_stages", calls, || {
        let client = client.clone();
        async move {
            std::hint::black_box(client.list_stages().send().await.expect("ListStages"));
        }
    })
    .await;
    let official_list = latency("official_list_stages", calls, || {
        let aws = aws.clone();
        async move {
            std::hint::black_box(aws.list_stages().send().await.expect("official ListStages"));
        }
    })
    .await;
    let raw_list = latency("raw_hyper_list_stages", calls, || raw_call(&raw, addr, "/ListStages", "{}")).await;
    let ours_create = latency("ours_create_stage", calls, || {
        let client = client.clone();
        async move {
            std::hint::black_box(client.create_stage().name("alpha").send().await.expect("CreateStage"));
        }
    })
    .await;
    let official_create = latency("official_create_stage", calls, || {
        let aws = aws.clone();
        async move {
            std::hint::black_box(aws.create_stage().name("alpha").send().await.expect("official CreateStage"));
        }
    })
    .await;
    let raw_create =
        latency("raw_hyper_create_stage", calls, || raw_call(&raw, addr, "/CreateStage", r#"{"name":"alpha"}"#)).await;
    println!("ratio_ours_vs_official_list_stages: {:.2}", ours_list.as_secs_f64() / official_list.as_secs_f64());
    println!("ratio_ours_vs_official_create_stage: {:.2}", ours_create.as_secs_f64() / official_create.as_secs_f64());
    println!("ratio_official_vs_raw_list_stages: {:.2}", official_list.as_secs_f64() / raw_list.as_secs_f64());
    println!("ratio_ours_vs_raw_list_stages: {:.2}", ours_list.as_secs_f64() / raw_list.as_secs_f64());
    println!("ratio_ours_vs_raw_create_stage: {:.2}", ours_create.as_secs_f64() / raw_create.as_secs_f64());
    println!("ratio_official_vs_raw_create_stage: {:.2}", official_create.as_secs_f64() / raw_create.as_secs_f64());

    let seconds = 2.0;
    let c = client.clone();
    throughput("ours_list_stages", seconds, move || {
        let c = c.clone();
        async move {
            std::hint::black_box(c.list_stages().send().await.expect("ListStages"));
        }
    })
    .await;
    let a = aws.clone();
    throughput("official_list_stages", seconds, move || {
        let a = a.clone();
        async move {
            std::hint::black_box(a.list_stages().send().await.expect("official ListStages"));
        }
    })
    .await;
    let r = raw.clone();
    throughput("raw_hyper_list_stages", seconds, move || {
        let r = r.clone();
        async move { raw_call(&r, addr, "/ListStages", "{}").await }
    })
    .await;
}
