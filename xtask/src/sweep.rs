//! `cargo xtask sweep [DIR]`: generate a client for every model in a
//! directory, then check (or lint, or document) all the crates in one
//! scratch workspace sharing one target directory.
//!
//! It answers "does any model in, a lint-clean crate out hold?" for a corpus
//! of real models: one line per model (protocol, operations, generated,
//! refused or panicked, the check's verdict, what was left out, codegen
//! time), then a table per protocol. The exit status is non-zero when a
//! model panics, is refused, or its crate fails a requested check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use smithy_codegen::emit::{self, CrateOptions};
use smithy_codegen::{lower, output};

/// What to run over the generated crates.
pub struct Options {
    /// The folder of `*.json` models.
    pub dir: PathBuf,
    /// Only these model file stems (all when empty).
    pub only: Vec<String>,
    /// `cargo clippy -- -D warnings` instead of `cargo check`.
    pub clippy: bool,
    /// Also `cargo doc --no-deps` with `RUSTDOCFLAGS=-Dwarnings`.
    pub doc: bool,
}

/// A model's operations with a streaming blob or an event stream: how many
/// the client calls, and how many were left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Streaming {
    called: usize,
    left_out: usize,
}

impl Streaming {
    fn of(model: &smithy_codegen::ir::Model) -> Streaming {
        let streaming: Vec<_> = model.operations.iter().filter(|op| streams(model, op)).collect();
        let left_out = streaming.iter().filter(|op| op.unsupported.is_some()).count();
        Streaming { called: streaming.len() - left_out, left_out }
    }
}

/// Whether an operation's input or output has a `@streaming` member (event
/// streams of a left-out operation are not marked, so this reads the targets).
fn streams(model: &smithy_codegen::ir::Model, op: &smithy_codegen::ir::Operation) -> bool {
    [&op.input, &op.output].into_iter().any(|id| match &model.shape(id).kind {
        smithy_codegen::ir::ShapeKind::Structure(members) => members.iter().any(|m| model.shape(&m.target).streaming),
        _ => false,
    })
}

/// How generating one model went.
enum Generation {
    Generated { protocol: String, operations: usize, streaming: Streaming, left_out: Vec<String>, warnings: usize },
    Refused { protocol: String, problems: String },
    Panicked(String),
}

struct ModelRun {
    name: String,
    crate_name: String,
    generation: Generation,
    codegen_time: Duration,
    /// First error of each cargo step that failed for this crate, by step.
    failures: BTreeMap<&'static str, String>,
}

pub fn run(options: &Options) -> ExitCode {
    let started = Instant::now();
    let models = match list_models(&options.dir, &options.only) {
        Ok(models) if models.is_empty() => {
            eprintln!("error: no models (*.json) in {}", options.dir.display());
            return ExitCode::FAILURE;
        }
        Ok(models) => models,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let scratch = crate::target_dir().join("sweep");
    let crates_dir = scratch.join("crates");
    if crates_dir.exists() {
        if let Err(e) = std::fs::remove_dir_all(&crates_dir) {
            eprintln!("error: cannot clear {}: {e}", crates_dir.display());
            return ExitCode::FAILURE;
        }
    }
    let runtime = crate::workspace_root().join("runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);

    let mut runs = Vec::new();
    for model in &models {
        let run = generate_one(model, &crates_dir, &runtime);
        runs.push(run);
    }
    let codegen_wall = started.elapsed();

    let members: Vec<String> = runs
        .iter()
        .filter(|r| matches!(r.generation, Generation::Generated { .. }))
        .map(|r| r.crate_name.clone())
        .collect();
    let mut steps: Vec<(&'static str, Duration)> = Vec::new();
    if !members.is_empty() {
        if let Err(e) = write_workspace(&crates_dir, &members) {
            eprintln!("error: cannot write the scratch workspace in {}: {e}", crates_dir.display());
            return ExitCode::FAILURE;
        }
        let check_step = if options.clippy { "clippy" } else { "check" };
        let mut cargo_steps = vec![check_step];
        if options.doc {
            cargo_steps.push("doc");
        }
        for step in cargo_steps {
            let step_started = Instant::now();
            eprintln!("sweep: cargo {step} over {} crate(s) in {} …", members.len(), crates_dir.display());
            match cargo_step(step, &crates_dir) {
                Ok(failures) => {
                    for run in &mut runs {
                        if let Some(message) = failures.get(&run.crate_name) {
                            run.failures.insert(step, message.clone());
                        }
                    }
                }
                Err(message) => {
                    eprintln!("error: cargo {step} could not run: {message}");
                    return ExitCode::FAILURE;
                }
            }
            steps.push((step, step_started.elapsed()));
        }
    }

    print_report(&runs, options);
    let mut timing = format!("sweep: {} model(s) in {:.1?} (codegen {:.1?}", runs.len(), started.elapsed(), codegen_wall);
    for (step, took) in &steps {
        timing.push_str(&format!(", {step} {took:.1?}"));
    }
    timing.push(')');
    println!("{timing}");
    let bad = runs
        .iter()
        .filter(|r| !matches!(r.generation, Generation::Generated { .. }) || !r.failures.is_empty())
        .count();
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        println!("sweep: {bad} model(s) failed");
        ExitCode::FAILURE
    }
}

fn list_models(dir: &Path, only: &[String]) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut models: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter(|path| only.is_empty() || only.iter().any(|name| Some(name.as_str()) == stem(path)))
        .collect();
    models.sort();
    for name in only {
        if !models.iter().any(|path| stem(path) == Some(name.as_str())) {
            return Err(format!("--only names `{name}`, but {} has no `{name}.json`", dir.display()));
        }
    }
    Ok(models)
}

fn stem(path: &Path) -> Option<&str> {
    path.file_stem().and_then(|s| s.to_str())
}

/// Lowers and emits one model into `crates_dir/<crate name>`, catching panics.
fn generate_one(model: &Path, crates_dir: &Path, runtime: &Path) -> ModelRun {
    let name = stem(model).unwrap_or("model").to_string();
    let crate_name = format!("sweep-{}", name.to_lowercase().replace(['_', '.', ' '], "-"));
    let started = Instant::now();
    let options = CrateOptions::new(crate_name.clone(), runtime.to_string_lossy(), model.display().to_string());
    let generation = match std::fs::read_to_string(model) {
        Err(e) => Generation::Refused { protocol: "?".to_string(), problems: format!("cannot read: {e}") },
        Ok(text) => {
            let source = options.model_source.clone();
            let result = std::panic::catch_unwind(|| {
                let lowered = lower::lower_service(&source, &text, None).map_err(|d| ("?".to_string(), d))?;
                let protocol = lowered.service.protocol.name().to_string();
                let operations = lowered.operations.len();
                let streaming = Streaming::of(&lowered);
                let generated = emit::emit_crate(&lowered, &options).map_err(|d| (protocol.clone(), d))?;
                Ok((protocol, operations, streaming, generated))
            });
            match result {
                Err(panic) => Generation::Panicked(panic_message(panic.as_ref())),
                Ok(Err((protocol, problems))) => Generation::Refused { protocol, problems: problems.to_string() },
                Ok(Ok((protocol, operations, streaming, generated))) => {
                    match output::write_crate(&crates_dir.join(&crate_name), &generated) {
                        Ok(_) => {
                            for warning in &generated.warnings {
                                eprintln!("warning: {name}: {warning}");
                            }
                            for item in &generated.left_out {
                                eprintln!("warning: {name}: left out: {item}");
                            }
                            Generation::Generated {
                                protocol,
                                operations,
                                streaming,
                                warnings: generated.warnings.len(),
                                left_out: generated.left_out,
                            }
                        }
                        Err(e) => Generation::Refused { protocol, problems: format!("cannot write the crate: {e}") },
                    }
                }
            }
        }
    };
    ModelRun { name, crate_name, generation, codegen_time: started.elapsed(), failures: BTreeMap::new() }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

fn write_workspace(crates_dir: &Path, members: &[String]) -> std::io::Result<()> {
    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let text = format!(
        "# Written by `cargo xtask sweep`: every generated crate of the sweep, checked together.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(crates_dir.join("Cargo.toml"), text)
}

/// Runs one cargo step over the scratch workspace; returns the first error
/// message of each crate that failed.
fn cargo_step(step: &str, crates_dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut command = Command::new(crate::cargo());
    command.current_dir(crates_dir).env("CARGO_TARGET_DIR", crate::target_dir());
    match step {
        "clippy" => {
            command.args(["clippy", "--workspace", "--keep-going", "--message-format", "json", "--", "-D", "warnings"]);
        }
        "doc" => {
            command.args(["doc", "--workspace", "--no-deps", "--keep-going", "--message-format", "json"]);
            command.env("RUSTDOCFLAGS", "-Dwarnings");
        }
        _ => {
            command.args(["check", "--workspace", "--keep-going", "--message-format", "json"]);
        }
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = command.output().map_err(|e| e.to_string())?;
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let Some(package) = message["package_id"].as_str().and_then(package_name) else { continue };
        let rendered = message["message"]["rendered"].as_str().unwrap_or("error").trim().to_string();
        let summary = rendered.lines().take(4).collect::<Vec<_>>().join(" | ");
        failures.entry(package).or_insert(summary);
    }
    if !out.status.success() && failures.is_empty() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        return Err(tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
    }
    Ok(failures)
}

/// The package name in a cargo package id (`path+file:///x/sweep-sso#0.1.0`
/// or the older `sweep-sso 0.1.0 (path+file:///x)`).
fn package_name(id: &str) -> Option<String> {
    if id.ends_with(')') {
        return id.split_whitespace().next().map(str::to_string);
    }
    let (location, fragment) = id.rsplit_once('#')?;
    match fragment.split_once('@') {
        Some((name, _)) => Some(name.to_string()),
        None => location.rsplit('/').next().map(str::to_string),
    }
}

/// The streams column: operations with streams the client calls, and
/// `+N out` when some were left out.
fn streams_cell(streaming: Streaming) -> String {
    match streaming.left_out {
        0 => streaming.called.to_string(),
        n => format!("{}+{n} out", streaming.called),
    }
}

fn print_report(runs: &[ModelRun], options: &Options) {
    let check_step = if options.clippy { "clippy" } else { "check" };
    println!(
        "{:<26} {:<11} {:>4} {:>7}  {:<10} {:<7} {:<7} {:>8}  {:>9}",
        "model", "protocol", "ops", "streams", "codegen", check_step, "doc", "left out", "gen time"
    );
    for run in runs {
        let step_verdict = |step: &str, ran: bool| match (ran, run.failures.get(step)) {
            (false, _) => "-",
            (true, Some(_)) => "FAILED",
            (true, None) => "ok",
        };
        let generated = matches!(run.generation, Generation::Generated { .. });
        let (protocol, ops, streams, verdict, left_out) = match &run.generation {
            Generation::Generated { protocol, operations, streaming, left_out, .. } => (
                protocol.as_str(),
                operations.to_string(),
                streams_cell(*streaming),
                "generated",
                left_out.len().to_string(),
            ),
            Generation::Refused { protocol, .. } => (protocol.as_str(), "-".to_string(), "-".to_string(), "REFUSED", "-".to_string()),
            Generation::Panicked(_) => ("?", "-".to_string(), "-".to_string(), "PANICKED", "-".to_string()),
        };
        println!(
            "{:<26} {:<11} {:>4} {:>7}  {:<10} {:<7} {:<7} {:>8}  {:>6} ms",
            run.name,
            protocol,
            ops,
            streams,
            verdict,
            step_verdict(check_step, generated),
            step_verdict("doc", generated && options.doc),
            left_out,
            run.codegen_time.as_millis(),
        );
        match &run.generation {
            Generation::Refused { problems, .. } => {
                for line in problems.lines().take(6) {
                    println!("    {line}");
                }
            }
            Generation::Panicked(message) => println!("    panic: {message}"),
            Generation::Generated { warnings, .. } if *warnings > 0 => {
                println!("    {warnings} warning(s) about the model (printed above)");
            }
            Generation::Generated { .. } => {}
        }
        for (step, message) in &run.failures {
            println!("    {step}: {message}");
        }
    }
    println!();
    println!("{:<11} {:>6} {:>9} {:>8} {:>9} {:>8} {:>9}", "protocol", "models", "generated", check_step, "doc", "ops", "left out");
    let mut by_protocol: BTreeMap<&str, [usize; 6]> = BTreeMap::new();
    for run in runs {
        let protocol = match &run.generation {
            Generation::Generated { protocol, .. } | Generation::Refused { protocol, .. } => protocol.as_str(),
            Generation::Panicked(_) => "?",
        };
        let row = by_protocol.entry(protocol).or_default();
        row[0] += 1;
        if let Generation::Generated { operations, left_out, .. } = &run.generation {
            row[1] += 1;
            row[2] += usize::from(!run.failures.contains_key(check_step));
            row[3] += usize::from(options.doc && !run.failures.contains_key("doc"));
            row[4] += operations;
            row[5] += left_out.len();
        }
    }
    for (protocol, [models, generated, checked, documented, ops, left_out]) in by_protocol {
        let doc = if options.doc { documented.to_string() } else { "-".to_string() };
        println!("{protocol:<11} {models:>6} {generated:>9} {checked:>8} {doc:>9} {ops:>8} {left_out:>9}");
    }
    let streaming = runs.iter().fold(Streaming::default(), |total, run| match &run.generation {
        Generation::Generated { streaming, .. } => {
            Streaming { called: total.called + streaming.called, left_out: total.left_out + streaming.left_out }
        }
        _ => total,
    });
    println!();
    println!(
        "streaming operations (a @streaming blob or event stream): {} called, {} left out",
        streaming.called, streaming.left_out
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streams_column_says_what_was_left_out() {
        assert_eq!(streams_cell(Streaming { called: 3, left_out: 0 }), "3");
        assert_eq!(streams_cell(Streaming { called: 1, left_out: 2 }), "1+2 out");
    }

    #[test]
    fn streaming_operations_are_counted_by_their_targets() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Get"}, {"target": "a#Watch"}, {"target": "a#List"}],
                      "traits": {"aws.protocols#awsQuery": {}}},
            "a#Get": {"type": "operation", "output": {"target": "a#GetOut"}},
            "a#GetOut": {"type": "structure", "members": {"body": {"target": "a#Data"}}},
            "a#Data": {"type": "blob", "traits": {"smithy.api#streaming": {}}},
            "a#Watch": {"type": "operation", "output": {"target": "a#WatchOut"}},
            "a#WatchOut": {"type": "structure", "members": {"events": {"target": "a#Events"}}},
            "a#Events": {"type": "union", "members": {"tick": {"target": "a#Tick"}}, "traits": {"smithy.api#streaming": {}}},
            "a#Tick": {"type": "structure"},
            "a#List": {"type": "operation"}}}"#;
        let model = lower::lower("m.json", text).expect("the model lowers");
        assert_eq!(Streaming::of(&model), Streaming { called: 1, left_out: 1 }, "awsQuery calls blobs, not event streams");
    }

    #[test]
    fn package_names_are_read_from_both_id_forms() {
        assert_eq!(package_name("path+file:///tmp/sweep/crates/sweep-sso#0.1.0").as_deref(), Some("sweep-sso"));
        assert_eq!(package_name("path+file:///tmp/x/sweep-s3#sweep-s3@0.1.0").as_deref(), Some("sweep-s3"));
        assert_eq!(package_name("sweep-sso 0.1.0 (path+file:///tmp/sweep/crates/sweep-sso)").as_deref(), Some("sweep-sso"));
    }
}
