//! Project commands. Kept small: the real work lives in `codegen/` and `runtime/`.

mod conformance;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Project commands for the IVS RealTime client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every check that needs the reference data in ../shared.
    Conformance {
        /// Folder holding `conformance/` and `models/` (default: ../shared beside the checkout).
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Conformance { data } => {
            let root = data.unwrap_or_else(|| workspace_root().join("../shared"));
            let ok = conformance::run(&conformance::ReferenceData { root });
            if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
    }
}

/// The checkout this xtask was built from.
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
