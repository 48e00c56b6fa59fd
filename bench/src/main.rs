//! Per-call measurements for `cargo xtask bench`. Prints `name: value`
//! lines; every figure is a median over repeated runs on this machine, in
//! this run: each client process reports medians over its calls, and the
//! clients run in turn for several rounds (`BENCH_ROUNDS`, default 5), whose
//! median is printed. (Codegen is timed by xtask itself, running the release xtask
//! binary: linking the generator here would switch on serde_json features
//! the generated client does not use and skew its figures.)
//!
//! `smithy-bench` runs one child process per client
//! (`smithy-bench client NAME ADDR CALLS`) against one loopback server in this
//! process, then the ratios between the clients' figures.
//! `smithy-bench in-process CALLS` times the generated client alone, with an
//! HTTP client that answers in memory; `smithy-bench serve` runs the server
//! alone. Both are for profiling.
//!
//! When valgrind is installed, each client also runs under callgrind
//! (`smithy-bench instructions NAME ADDR ITERATIONS`, a single-threaded
//! runtime making ListStages then CreateStage per iteration): the
//! instructions of a run with few iterations are subtracted from those of a
//! run with many, so start-up and client creation cancel out and what is
//! left is instructions per call.

mod alloc;
mod clients;
mod server;
mod stats;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::{Command, ExitCode};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [] => run_all(),
        [mode, name, addr, calls] if mode == "client" => run_client(name, addr, calls),
        [mode, calls] if mode == "in-process" => match calls.parse() {
            Ok(calls) => runtime().map(|rt| rt.block_on(clients::measure_in_process(calls))),
            Err(e) => Err(format!("calls `{calls}`: {e}")),
        },
        [mode] if mode == "serve" => serve_until_killed(),
        [mode, name, addr, iterations] if mode == "instructions" => run_instructions(name, addr, iterations),
        _ => Err("usage: smithy-bench [client NAME ADDR CALLS | instructions NAME ADDR ITERATIONS | in-process CALLS | serve]"
            .to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("tokio runtime: {e}"))
}

/// Runs the loopback server alone and prints its address, for profiling one
/// client (`smithy-bench client NAME ADDR CALLS` under a profiler).
fn serve_until_killed() -> Result<(), String> {
    runtime()?.block_on(async {
        let addr = server::serve().await.map_err(|e| format!("loopback server: {e}"))?;
        println!("{addr}");
        std::future::pending::<()>().await;
        Ok(())
    })
}

fn run_client(name: &str, addr: &str, calls: &str) -> Result<(), String> {
    let addr: SocketAddr = addr.parse().map_err(|e| format!("address `{addr}`: {e}"))?;
    let calls: usize = calls.parse().map_err(|e| format!("calls `{calls}`: {e}"))?;
    runtime()?.block_on(clients::measure(name, addr, calls))
}

fn run_instructions(name: &str, addr: &str, iterations: &str) -> Result<(), String> {
    let addr: SocketAddr = addr.parse().map_err(|e| format!("address `{addr}`: {e}"))?;
    let iterations: usize = iterations.parse().map_err(|e| format!("iterations `{iterations}`: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    runtime.block_on(clients::call_loop(name, addr, iterations))
}

/// Iterations of the callgrind runs: the figure is the difference between
/// the two, divided by the calls that make it.
const FEW_ITERATIONS: usize = 20;
const MANY_ITERATIONS: usize = 220;

/// Instructions per call of each client, under callgrind; `None` when
/// valgrind is not installed.
fn instructions_per_call(exe: &std::path::Path, addr: SocketAddr) -> Result<Option<BTreeMap<String, f64>>, String> {
    if Command::new("valgrind").arg("--version").output().map_or(true, |o| !o.status.success()) {
        return Ok(None);
    }
    let collected = |name: &str, iterations: usize| -> Result<f64, String> {
        let output = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(exe)
            .args(["instructions", name, &addr.to_string(), &iterations.to_string()])
            .output()
            .map_err(|e| format!("running the {name} client under valgrind: {e}"))?;
        if !output.status.success() {
            return Err(format!("the {name} client failed under valgrind: {}", String::from_utf8_lossy(&output.stderr)));
        }
        // callgrind's summary line: `==PID== Collected : 123456789`.
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .find_map(|line| line.split_once("Collected :").and_then(|(_, n)| n.trim().parse::<f64>().ok()))
            .ok_or_else(|| format!("no `Collected :` line in callgrind's output for {name}"))
    };
    let mut figures = BTreeMap::new();
    for name in clients::CLIENTS {
        let few = collected(name, FEW_ITERATIONS)?;
        let many = collected(name, MANY_ITERATIONS)?;
        let calls = (2 * (MANY_ITERATIONS - FEW_ITERATIONS)) as f64;
        figures.insert(format!("{name}_instructions_per_call"), (many - few) / calls);
    }
    Ok(Some(figures))
}

fn run_all() -> Result<(), String> {
    let calls: usize = std::env::var("BENCH_CALLS").ok().and_then(|n| n.parse().ok()).unwrap_or(5_000);

    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(5).max(1);
    let server = runtime()?;
    let addr = server.block_on(server::serve()).map_err(|e| format!("loopback server: {e}"))?;
    let exe = std::env::current_exe().map_err(|e| format!("own executable: {e}"))?;
    // Each round runs every client once, one after the other, so a slow
    // spell of the machine touches all of them; each figure is the median
    // over the rounds.
    let mut samples: Vec<(String, Vec<f64>)> = Vec::new();
    for _ in 0..rounds {
        for name in clients::CLIENTS {
            let output = Command::new(&exe)
                .args(["client", name, &addr.to_string(), &calls.to_string()])
                .output()
                .map_err(|e| format!("running the {name} client: {e}"))?;
            if !output.status.success() {
                return Err(format!("the {name} client failed: {}", String::from_utf8_lossy(&output.stderr)));
            }
            for line in String::from_utf8_lossy(&output.stdout).lines() {
                let Some((key, value)) = line.split_once(": ") else { continue };
                let Ok(value) = value.parse::<f64>() else { continue };
                match samples.iter_mut().find(|(k, _)| k == key) {
                    Some((_, values)) => values.push(value),
                    None => samples.push((key.to_string(), vec![value])),
                }
            }
        }
    }
    println!("rounds: {rounds}");
    let mut figures = BTreeMap::new();
    for (key, mut values) in samples {
        values.sort_by(f64::total_cmp);
        let median = values[values.len() / 2];
        let decimals = if median.fract() == 0.0 && median >= 100.0 { 0 } else { 1 };
        println!("{key}: {median:.decimals$}");
        figures.insert(key, median);
    }
    match instructions_per_call(&exe, addr)? {
        Some(instructions) => {
            for (key, value) in instructions {
                println!("{key}: {value:.0}");
                figures.insert(key, value);
            }
        }
        None => println!("instructions_per_call: unknown (valgrind is not installed)"),
    }
    print_ratios(&figures);
    Ok(())
}

/// Ours against the official client and both against raw hyper, from the
/// children's figures; a figure that is missing prints as `unknown`.
fn print_ratios(figures: &BTreeMap<String, f64>) {
    let get = |key: String| figures.get(&key).copied();
    let ratio = |label: String, a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => println!("{label}: {:.2}", a / b),
        _ => println!("{label}: unknown"),
    };
    for op in ["list_stages", "create_stage"] {
        let median = |client: &str| get(format!("{client}_{op}_median_us"));
        ratio(format!("ratio_ours_vs_official_{op}"), median("ours"), median("official"));
        ratio(format!("ratio_ours_vs_raw_hyper_{op}"), median("ours"), median("raw_hyper"));
        ratio(format!("ratio_official_vs_raw_hyper_{op}"), median("official"), median("raw_hyper"));
        // Overhead: the time a client adds to the same round trip made by raw hyper.
        let overhead = |client: &str| Some(median(client)? - median("raw_hyper")?);
        if let (Some(ours), Some(official)) = (overhead("ours"), overhead("official")) {
            println!("overhead_over_raw_hyper_us_ours_{op}: {ours:.1}");
            println!("overhead_over_raw_hyper_us_official_{op}: {official:.1}");
        }
        ratio(format!("ratio_ours_vs_official_overhead_{op}"), overhead("ours"), overhead("official"));
        let allocations = |client: &str| get(format!("{client}_{op}_allocations_per_call"));
        ratio(format!("ratio_ours_vs_official_allocations_{op}"), allocations("ours"), allocations("official"));
    }
    let throughput = |client: &str| get(format!("{client}_list_stages_16_tasks_calls_per_s"));
    ratio("ratio_ours_vs_official_throughput_list_stages".to_string(), throughput("ours"), throughput("official"));
    ratio("ratio_ours_vs_raw_hyper_throughput_list_stages".to_string(), throughput("ours"), throughput("raw_hyper"));
    let instructions = |client: &str| get(format!("{client}_instructions_per_call"));
    ratio("ratio_ours_vs_official_instructions".to_string(), instructions("ours"), instructions("official"));
    ratio("ratio_ours_vs_raw_hyper_instructions".to_string(), instructions("ours"), instructions("raw_hyper"));
    let rss = |client: &str| get(format!("{client}_peak_rss_kib"));
    ratio("ratio_ours_vs_official_peak_rss".to_string(), rss("ours"), rss("official"));
}
