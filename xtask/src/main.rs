//! Project commands. Kept small: the real work lives in `codegen/` and `runtime/`.

mod allocator;
mod bench;
mod codegen;
mod conformance;
mod fuzz;
mod diff;
mod semver_check;
mod stream_bench;
mod sweep;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: allocator::MiMalloc = allocator::MiMalloc;

#[derive(Parser)]
#[command(name = "xtask", about = "Project commands for the IVS RealTime client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the client crate: by default model/ivs-realtime.json → generated/.
    Codegen {
        /// Regenerate in memory and fail if generated/ differs (nothing is written).
        #[arg(long)]
        check: bool,
        /// Another Smithy 2.0 JSON AST model with one service.
        #[arg(long, requires = "out")]
        model: Option<PathBuf>,
        /// Where to write the crate for --model (it builds on its own there).
        #[arg(long, requires = "model")]
        out: Option<PathBuf>,
        /// Package name for --model (default: the model file's stem).
        #[arg(long, requires = "model")]
        crate_name: Option<String>,
        /// The service shape id, for a --model with several services.
        #[arg(long, requires = "model")]
        service: Option<String>,
        /// How the --model crate names the runtime and itself, for publishing it.
        #[command(flatten)]
        package: codegen::PackageArgs,
        /// Append the Markdown model diff from this older model to generated/CHANGELOG.md.
        #[arg(long, conflicts_with_all = ["check", "model"])]
        changelog: Option<PathBuf>,
    },
    /// Report how the model changed: per operation and shape, severity and semver.
    Diff {
        /// The older model (omit with --git).
        #[arg(required_unless_present = "git", conflicts_with = "git")]
        old: Option<PathBuf>,
        /// The newer model (default: model/ivs-realtime.json).
        new: Option<PathBuf>,
        /// Compare model/ivs-realtime.json at this git revision with the working tree.
        #[arg(long)]
        git: Option<String>,
        #[arg(long, value_enum, default_value = "markdown")]
        format: diff::Format,
    },
    /// Check the model diff's semver verdict against how the generated API really changes.
    SemverCheck {
        /// The older model (omit with --git).
        #[arg(required_unless_present = "git", conflicts_with = "git")]
        old: Option<PathBuf>,
        /// The newer model (default: model/ivs-realtime.json).
        new: Option<PathBuf>,
        /// Compare model/ivs-realtime.json at this git revision with the working tree.
        #[arg(long)]
        git: Option<String>,
    },
    /// Codegen time and per-call overhead (release; builds bench/, outside the workspace).
    Bench {
        /// Sequential calls per latency figure.
        #[arg(long, default_value = "5000")]
        calls: usize,
    },
    /// Upload and download 1 GiB through a loopback server: throughput and peak RSS against raw hyper (release).
    StreamBench {
        /// MiB each way.
        #[arg(long, default_value = "1024")]
        mib: u64,
        /// Over HTTP/2 (h2c) instead of HTTP/1.1 (builds the runtime with its `http2` feature).
        #[arg(long)]
        http2: bool,
    },
    /// Fuzz every response parser of the generated client, or the event-stream frame
    /// decoder (release build, long run).
    Fuzz {
        /// What to fuzz.
        #[arg(long, value_enum, default_value = "responses")]
        target: fuzz::Target,
        /// How many responses (or streams of frames) to try.
        #[arg(long, default_value = "1000000", value_parser = fuzz::parse_number)]
        cases: u64,
        /// Seed (decimal or 0x hex) to replay a run; a fresh one by default.
        #[arg(long, value_parser = fuzz::parse_number)]
        seed: Option<u64>,
    },
    /// Generate a client for every model in DIR and check them all (one scratch workspace).
    Sweep {
        /// Folder of Smithy JSON AST models (default: ../shared/models/aws beside the checkout).
        dir: Option<PathBuf>,
        /// Only these models (file stems, comma-separated), e.g. `sso,sqs`.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// `cargo clippy -- -D warnings` instead of `cargo check`.
        #[arg(long)]
        clippy: bool,
        /// Also `cargo doc --no-deps` with warnings denied.
        #[arg(long)]
        doc: bool,
    },
    /// Run every check that needs the reference data in ../shared.
    Conformance {
        /// Folder holding `conformance/` and `models/` (default: ../shared beside the checkout).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Run only these suites (comma-separated, e.g. `restjson,sigv4`).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen { check, model, out, crate_name, service, package, changelog } => match (model, out) {
            (Some(model), Some(out)) => codegen::external(&model, &out, crate_name, service, &package, check),
            _ => codegen::project(check, changelog.as_deref()),
        },
        Command::Diff { old, new, git, format } => diff::run(old_model(&git, &old), new.as_deref(), format),
        Command::SemverCheck { old, new, git } => semver_check::run(old_model(&git, &old), new.as_deref()),
        Command::Bench { calls } => bench::run(calls),
        Command::StreamBench { mib, http2 } => stream_bench::run(mib, http2),
        Command::Fuzz { target, cases, seed } => fuzz::run(target, cases, seed),
        Command::Sweep { dir, only, clippy, doc } => {
            let dir = dir.unwrap_or_else(|| workspace_root().join("../shared/models/aws"));
            sweep::run(&sweep::Options { dir, only, clippy, doc })
        }
        Command::Conformance { data, only } => {
            let root = data.unwrap_or_else(|| workspace_root().join("../shared"));
            let ok = conformance::run(&conformance::ReferenceData { root }, &only);
            if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
    }
}

/// The older model of `diff` and `semver-check`: `--git REV` or a file.
fn old_model<'a>(git: &'a Option<String>, old: &'a Option<PathBuf>) -> diff::Old<'a> {
    match (git, old) {
        (Some(rev), _) => diff::Old::Git(rev),
        (None, Some(path)) => diff::Old::File(path),
        (None, None) => unreachable!("clap requires OLD or --git"),
    }
}

/// The cargo that runs this xtask (`CARGO`), else `cargo` from the PATH.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Where cargo builds: `CARGO_TARGET_DIR` when set, else this checkout's `target/`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target"),
    }
}

/// The checkout this xtask was built from.
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
