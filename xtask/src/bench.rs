//! `cargo xtask bench`: builds and runs the bench crate (`bench/`, outside
//! the default workspace) in release, then adds the dependency-graph size and
//! the build cost of tiny programs, the same program written against each
//! client (ours vs the official aws-sdk-ivsrealtime): once with static
//! configuration, once loading it from the environment (the official one
//! through aws-config). Each is built cold in its own target directory under
//! the system temp dir. `BENCH_BUILD_COST=0` skips the build-cost part.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::workspace_root;

pub fn run(calls: usize) -> ExitCode {
    let root = workspace_root();
    let cargo = crate::cargo();
    if !codegen_timings(&cargo, &root) {
        return ExitCode::FAILURE;
    }
    let status = Command::new(&cargo)
        .current_dir(root.join("bench"))
        .args(["run", "--release", "--quiet"])
        .env("CARGO_TARGET_DIR", crate::target_dir().join("bench"))
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
    if std::env::var("BENCH_BUILD_COST").as_deref() == Ok("0") {
        println!("build_cost: skipped (BENCH_BUILD_COST=0)");
        return ExitCode::SUCCESS;
    }
    for pair in PROGRAM_PAIRS {
        let ours = build_cost(&cargo, &root, &pair.ours);
        let official = build_cost(&cargo, &root, &pair.official);
        if let (Some(ours), Some(official)) = (ours, official) {
            let label = pair.label;
            println!("ratio_ours_vs_official_{label}_crates: {:.2}", ours.crates as f64 / official.crates as f64);
            println!("ratio_ours_vs_official_{label}_cold_debug_build: {:.2}", ours.debug_s / official.debug_s);
            println!("ratio_ours_vs_official_{label}_cold_release_build: {:.2}", ours.release_s / official.release_s);
            println!("ratio_ours_vs_official_{label}_release_binary: {:.2}", ours.binary as f64 / official.binary as f64);
        }
    }
    ExitCode::SUCCESS
}

/// A tiny program: its name, the dependencies it adds to tokio, its main.rs.
struct Program {
    name: &'static str,
    deps: &'static str,
    main: &'static str,
}

/// The same program written against each client.
struct ProgramPair {
    label: &'static str,
    ours: Program,
    official: Program,
}

const PROGRAM_PAIRS: [ProgramPair; 2] = [
    // Static credentials and region in code: the least each client needs.
    ProgramPair {
        label: "static_config",
        ours: Program { name: "ours", deps: OURS_DEPS, main: OURS_MAIN },
        official: Program { name: "official", deps: OFFICIAL_DEPS, main: OFFICIAL_MAIN },
    },
    // What most programs do: region and credentials from the environment and
    // the shared profile files (ours: `Config::from_env`; official: aws-config,
    // as in the SDK's own getting-started guide).
    ProgramPair {
        label: "env_config",
        ours: Program { name: "ours-from-env", deps: OURS_DEPS, main: OURS_FROM_ENV_MAIN },
        official: Program { name: "official-aws-config", deps: OFFICIAL_AWS_CONFIG_DEPS, main: OFFICIAL_AWS_CONFIG_MAIN },
    },
];

/// Codegen of the full model and of the upstream models, as a maintainer
/// runs it: the release xtask binary reading the model and writing a fresh
/// crate (`xtask codegen --model M --out DIR`), median of 11 runs, process
/// start included. Prints `codegen_<name>_ms`; false if xtask cannot be built.
fn codegen_timings(cargo: &str, root: &Path) -> bool {
    let built = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .status()
        .is_ok_and(|status| status.success());
    if !built {
        eprintln!("error: cannot build xtask in release");
        return false;
    }
    // Where cargo put it: CARGO_TARGET_DIR is honoured.
    let xtask = crate::target_dir().join("release/xtask");
    let models = [
        ("ivs_realtime", root.join("model/ivs-realtime.json")),
        ("upstream_largest_ivs_realtime", root.join("../shared/models/upstream/ivs-realtime.json")),
        ("upstream_ivs", root.join("../shared/models/upstream/ivs.json")),
    ];
    for (name, model) in models {
        if !model.is_file() {
            println!("codegen_{name}_ms: skipped (no {})", model.display());
            continue;
        }
        let out = std::env::temp_dir().join(format!("smithy-bench-codegen-{name}"));
        let mut samples = Vec::new();
        for _ in 0..11 {
            let _ = std::fs::remove_dir_all(&out);
            let started = Instant::now();
            let output = Command::new(&xtask)
                .args(["codegen", "--crate-name", "bench-client", "--model"])
                .arg(&model)
                .arg("--out")
                .arg(&out)
                .output();
            match output {
                Ok(output) if output.status.success() => samples.push(started.elapsed().as_secs_f64() * 1e3),
                _ => break,
            }
        }
        let _ = std::fs::remove_dir_all(&out);
        if samples.len() < 11 {
            println!("codegen_{name}_ms: failed (xtask codegen --model {})", model.display());
            continue;
        }
        samples.sort_by(f64::total_cmp);
        println!("codegen_{name}_ms: {:.1}", samples[samples.len() / 2]);
    }
    true
}

// The tiny programs: the same ListStages call against a loopback endpoint.
const OURS_DEPS: &str = r#"ivs-realtime = { path = "ROOT/generated" }
smithy-runtime = { path = "ROOT/runtime" }
"#;
const OURS_MAIN: &str = r#"use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = ivs_realtime::Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys("AKID", "secret")))
        .build();
    let client = ivs_realtime::Client::new(&config);
    println!("{:?}", client.list_stages().send().await.map(|out| out.stages.len()));
}
"#;
const OFFICIAL_DEPS: &str = "aws-sdk-ivsrealtime = \"=1.49.0\"\n";
const OFFICIAL_MAIN: &str = r#"use aws_sdk_ivsrealtime::config::{BehaviorVersion, Credentials, Region};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_sdk_ivsrealtime::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "static"))
        .build();
    let client = aws_sdk_ivsrealtime::Client::from_conf(config);
    println!("{:?}", client.list_stages().send().await.map(|out| out.stages().len()));
}
"#;
const OURS_FROM_ENV_MAIN: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = ivs_realtime::Config::from_env().await.to_builder().endpoint_url("http://127.0.0.1:9").build();
    let client = ivs_realtime::Client::new(&config);
    println!("{:?}", client.list_stages().send().await.map(|out| out.stages.len()));
}
"#;
// Resolved against bench/Cargo.lock: aws-config gets the newest release
// compatible with the official 1.49.0 crate's runtime (printed by the run).
const OFFICIAL_AWS_CONFIG_DEPS: &str = "aws-sdk-ivsrealtime = \"=1.49.0\"\naws-config = \"1\"\n";
const OFFICIAL_AWS_CONFIG_MAIN: &str = r#"use aws_sdk_ivsrealtime::config::BehaviorVersion;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_config::defaults(BehaviorVersion::latest()).endpoint_url("http://127.0.0.1:9").load().await;
    let client = aws_sdk_ivsrealtime::Client::new(&config);
    println!("{:?}", client.list_stages().send().await.map(|out| out.stages().len()));
}
"#;

struct BuildCost {
    crates: usize,
    debug_s: f64,
    release_s: f64,
    binary: u64,
}

/// Writes the program under the temp dir (bench/Cargo.lock as its lockfile,
/// so versions match the latency run), then: crates in its normal graph
/// (unique name + version, the program itself left out), a cold debug build
/// and a cold stripped release build, each in a fresh target directory.
fn build_cost(cargo: &str, root: &Path, program: &Program) -> Option<BuildCost> {
    let Program { name, deps, main } = *program;
    let dir = std::env::temp_dir().join(format!("smithy-bench-build-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let root_text = root.canonicalize().unwrap_or_else(|_| root.to_path_buf()).display().to_string();
    let manifest = format!(
        "[package]\nname = \"tiny-{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n\
         [dependencies]\n{}tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
        deps.replace("ROOT", &root_text)
    );
    let written = std::fs::create_dir_all(dir.join("src"))
        .and_then(|_| std::fs::write(dir.join("Cargo.toml"), manifest))
        .and_then(|_| std::fs::write(dir.join("src/main.rs"), main))
        .and_then(|_| std::fs::copy(root.join("bench/Cargo.lock"), dir.join("Cargo.lock")).map(|_| ()));
    if let Err(e) = written {
        println!("build_{name}: skipped (cannot write {}: {e})", dir.display());
        return None;
    }
    let tree = Command::new(cargo)
        .current_dir(&dir)
        .args(["tree", "--quiet", "-e", "normal", "--prefix", "none"])
        .output()
        .ok()
        .filter(|output| output.status.success())?;
    let text = String::from_utf8_lossy(&tree.stdout);
    let unique: BTreeSet<String> =
        text.lines().skip(1).map(|line| line.split_whitespace().take(2).collect::<Vec<_>>().join(" ")).collect();
    let crates = unique.iter().filter(|c| !c.starts_with(&format!("tiny-{name} "))).count();
    println!("build_{name}_crates_in_graph: {crates}");
    for client in unique.iter().filter(|c| c.starts_with("aws-config ") || c.starts_with("aws-sdk-ivsrealtime ")) {
        println!("build_{name}_uses: {client}");
    }

    let build = |profile: &[&str], target: PathBuf| -> Option<f64> {
        let _ = std::fs::remove_dir_all(&target);
        let started = Instant::now();
        let status = Command::new(cargo)
            .current_dir(&dir)
            .args(["build", "--quiet"])
            .args(profile)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_PROFILE_RELEASE_STRIP", "symbols")
            .status()
            .ok()?;
        status.success().then(|| started.elapsed().as_secs_f64())
    };
    let Some(debug_s) = build(&[], dir.join("target-debug")) else {
        println!("build_{name}: cold debug build failed");
        return None;
    };
    println!("build_{name}_cold_debug_s: {debug_s:.1}");
    let Some(release_s) = build(&["--release"], dir.join("target-release")) else {
        println!("build_{name}: cold release build failed");
        return None;
    };
    println!("build_{name}_cold_release_s: {release_s:.1}");
    let binary = std::fs::metadata(dir.join(format!("target-release/release/tiny-{name}"))).ok()?.len();
    println!("build_{name}_release_binary_stripped_kib: {}", binary / 1024);
    let _ = std::fs::remove_dir_all(dir.join("target-debug"));
    let _ = std::fs::remove_dir_all(dir.join("target-release"));
    Some(BuildCost { crates, debug_s, release_s, binary })
}
