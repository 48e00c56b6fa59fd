//! `cargo xtask fuzz`: a fuzz test for a long run, in release, with a fresh
//! seed unless one is given: the response fuzz test
//! (`tests/tests/response_fuzz.rs`) or the event-stream frame decoder's
//! (`runtime/tests/event_stream_fuzz.rs`).

use std::process::{Command, ExitCode};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::workspace_root;

/// Which fuzz test to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Every response parser of the generated IVS RealTime client.
    Responses,
    /// The event-stream frame decoder of the runtime.
    Frames,
}

impl Target {
    /// The package, test binary and test function.
    fn test(self) -> [&'static str; 3] {
        match self {
            Target::Responses => ["integration-tests", "response_fuzz", "every_response_parser_survives_fuzzed_responses"],
            Target::Frames => ["smithy-runtime", "event_stream_fuzz", "the_frame_decoder_survives_fuzzed_streams"],
        }
    }
}

pub fn run(target: Target, cases: u64, seed: Option<u64>) -> ExitCode {
    let seed = seed.unwrap_or_else(|| {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    });
    let name = clap::ValueEnum::to_possible_value(&target).map_or_else(String::new, |v| v.get_name().to_owned());
    println!("fuzz {name}: {cases} cases, seed {seed:#x} (replay: cargo xtask fuzz --target {name} --cases {cases} --seed {seed:#x})");
    let [package, test, function] = target.test();
    let cargo = crate::cargo();
    let started = Instant::now();
    let status = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["test", "--release", "--quiet", "-p", package, "--test", test, "--"])
        .args(["--exact", function, "--nocapture"])
        .env("FUZZ_CASES", cases.to_string())
        .env("FUZZ_SEED", format!("{seed:#x}"))
        .status();
    match status {
        Ok(status) if status.success() => {
            println!("fuzz: passed in {:.1} s including the release build", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Ok(_) => {
            eprintln!("fuzz: FAILED (seed {seed:#x}); each failing case above names FUZZ_SEED and FUZZ_CASE to replay it");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `123` or `0x7b`.
pub fn parse_number(text: &str) -> Result<u64, String> {
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.replace('_', "").parse(),
    };
    parsed.map_err(|e| format!("`{text}`: {e}"))
}
