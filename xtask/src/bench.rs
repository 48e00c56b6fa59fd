//! `cargo xtask bench`: builds and runs the bench crate (`bench/`, outside
//! the default workspace) in release, then adds the dependency-graph size.

use std::collections::BTreeSet;
use std::process::{Command, ExitCode};

use crate::workspace_root;

pub fn run(calls: usize) -> ExitCode {
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(&cargo)
        .current_dir(root.join("bench"))
        .args(["run", "--release", "--quiet"])
        .env("CARGO_TARGET_DIR", root.join("target/bench"))
        .env("BENCH_CALLS", calls.to_string())
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(_) => return ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            return ExitCode::FAILURE;
        }
    }
    // Crates a user of the generated client compiles (normal and build edges).
    let tree = Command::new(&cargo)
        .current_dir(&root)
        .args(["tree", "--quiet", "-p", "ivs-realtime", "--prefix", "none", "--edges", "normal,build"])
        .output();
    match tree {
        Ok(output) if output.status.success() => {
            let text = String::from_utf8_lossy(&output.stdout);
            let crates: BTreeSet<&str> = text.lines().filter_map(|line| line.split_whitespace().next()).collect();
            println!("crates_in_graph_ivs_realtime: {}", crates.len());
        }
        _ => println!("crates_in_graph_ivs_realtime: unknown (cargo tree failed)"),
    }
    println!("official_aws_sdk_ivsrealtime: not measured by this command yet (see README)");
    ExitCode::SUCCESS
}
