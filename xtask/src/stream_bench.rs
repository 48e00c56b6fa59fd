//! `cargo xtask stream-bench`: the 1 GiB streaming figure of issue 14. Builds
//! and runs the `stream_bench` example of the runtime in release; the example
//! does the measuring (see `runtime/examples/stream_bench.rs`) and fails when
//! the streaming client's peak RSS is over 64 MiB.

use std::process::{Command, ExitCode};

use crate::workspace_root;

pub fn run(mib: u64, http2: bool) -> ExitCode {
    let mut command = Command::new(crate::cargo());
    command
        .current_dir(workspace_root())
        .args(["run", "--release", "--quiet", "-p", "smithy-runtime", "--example", "stream_bench"]);
    if http2 {
        command.args(["--features", "http2"]);
    }
    command.args(["--", "--mib", &mib.to_string()]);
    if http2 {
        command.arg("--http2");
    }
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
