//! Create and list Amazon IVS RealTime stages with the generated client.
//!
//! ```text
//! cargo run -p integration-tests --example list_stages            # loopback server, no AWS account
//! cargo run -p integration-tests --example list_stages -- --aws   # your AWS account (read-only)
//! cargo run --release -p integration-tests --example list_stages -- --bench 1000
//! ```
//!
//! By default the program starts the loopback IVS RealTime server from
//! `integration_tests::ivs_server` on 127.0.0.1, points the client at it with
//! made-up credentials, creates a stage, then lists every stage (following
//! `nextToken` from page to page) and prints them. Nothing leaves the machine.
//!
//! With `--aws` it loads the usual configuration from the environment
//! (`Config::from_env`: region from `AWS_REGION`, `AWS_DEFAULT_REGION` or the
//! active profile; credentials from the environment variables or the shared
//! profile files) and lists the stages of that account and region. It
//! creates nothing there.
//!
//! `--bench N` (loopback only) times N `ListStages` calls one after another,
//! after a warm-up, and prints the median and other percentiles.

use std::error::Error;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use integration_tests::ivs_server;
use ivs_realtime::{Client, Config};
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};

const USAGE: &str = "usage: list_stages [--aws] [--name STAGE_NAME] [--bench N]";

struct Args {
    aws: bool,
    name: String,
    bench: Option<usize>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        aws: false,
        name: "my-first-stage".to_owned(),
        bench: None,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        match word.as_str() {
            "--aws" => args.aws = true,
            "--name" => args.name = words.next().ok_or("--name needs a stage name")?,
            "--bench" => {
                let count = words.next().ok_or("--bench needs a number of calls")?;
                let count = count
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--bench needs a positive number, not `{count}`"))?;
                args.bench = Some(count);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if args.aws && args.bench.is_some() {
        return Err("--bench runs against the loopback server only; drop --aws".to_owned());
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let result = if args.aws {
        run_aws().await
    } else {
        run_loopback(&args).await
    };
    integration_tests::exit_code(result)
}

async fn run_loopback(args: &Args) -> Result<(), Box<dyn Error>> {
    let server = ivs_server::start().await;
    println!("Loopback IVS RealTime server on {}", server.endpoint_url());
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint_url())
        // The loopback server checks that requests are signed, not with
        // which key: these credentials are made up.
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            "AKIDLOOPBACKEXAMPLE",
            "not-a-real-secret-access-key",
        )))
        .build();
    let client = Client::new(&config);

    let created = client.create_stage().name(&args.name).send().await?;
    if let Some(stage) = &created.stage {
        println!(
            "Created stage {} ({})",
            stage.name.as_deref().unwrap_or("<no name>"),
            stage.arn
        );
    }
    list_all_stages(&client).await?;

    if let Some(calls) = args.bench {
        bench_list_stages(&client, calls).await?;
    }
    Ok(())
}

async fn run_aws() -> Result<(), Box<dyn Error>> {
    let config = Config::from_env().await;
    match config.region() {
        Some(region) => println!("Listing IVS RealTime stages in {}", region.as_str()),
        // The call below fails and says where the region was looked for.
        None => println!("No AWS region is configured"),
    }
    let client = Client::new(&config);
    list_all_stages(&client).await
}

/// Prints every stage, following `nextToken` until the last page.
async fn list_all_stages(client: &Client) -> Result<(), Box<dyn Error>> {
    let mut next_token = None;
    let mut count = 0;
    loop {
        let page = client
            .list_stages()
            .set_next_token(next_token)
            .send()
            .await?;
        for stage in &page.stages {
            count += 1;
            println!(
                "  {}  {}",
                stage.arn,
                stage.name.as_deref().unwrap_or("<no name>")
            );
        }
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    println!("{count} stage(s)");
    Ok(())
}

/// Times `calls` ListStages calls made one after another, after a warm-up
/// that opens the pooled connection and fills the caches.
async fn bench_list_stages(client: &Client, calls: usize) -> Result<(), Box<dyn Error>> {
    let warm_up = (calls / 10).clamp(10, 100);
    for _ in 0..warm_up {
        client.list_stages().send().await?;
    }
    let mut timings = Vec::with_capacity(calls);
    for _ in 0..calls {
        let start = Instant::now();
        client.list_stages().send().await?;
        timings.push(start.elapsed());
    }
    timings.sort();
    let at = |fraction: f64| {
        let index = ((timings.len() - 1) as f64 * fraction).round() as usize;
        timings[index]
    };
    let total: Duration = timings.iter().sum();
    println!(
        "ListStages x{calls} (after {warm_up} warm-up calls): median {:?}, p90 {:?}, p99 {:?}, min {:?}, max {:?}, mean {:?}",
        at(0.5),
        at(0.9),
        at(0.99),
        timings[0],
        timings[timings.len() - 1],
        total / u32::try_from(calls).unwrap_or(u32::MAX),
    );
    Ok(())
}
