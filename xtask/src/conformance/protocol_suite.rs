//! The official Smithy AWS protocol tests
//! (`conformance/protocol-tests/smithy-aws-protocol-tests.json`), one suite
//! per protocol, run as generated Rust tests.
//!
//! Each of a suite's test services is generated with `protocol_tests: true`
//! into `target/conformance/<suite>/<n>/` (a standalone crate on this
//! checkout's runtime, built offline with the workspace `Cargo.lock`),
//! `cargo test` runs there, and each test's `ok`/`FAILED` line (with its
//! panic message) becomes one recorded case per protocol-test id. Cases
//! listed in the suite's skip file are reported as not applicable, with
//! their reason.
//!
//! The restjson suite also generates the upstream IVS and IVS Chat models
//! into a temporary workspace and checks that they compile without warnings.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use smithy_codegen::emit::protocol_tests::planned_tests;
use smithy_codegen::{output, CrateOptions};

use super::{ReferenceData, SuiteOutcome};

/// One protocol's suite: which test services it generates and which cases
/// it cannot pass yet.
pub struct ProtocolSuite {
    pub name: &'static str,
    /// The test services (shape ids) of the protocol tests model.
    pub services: &'static [&'static str],
    /// `CaseId: reason` per line; cases that cannot pass yet.
    pub skips: &'static str,
    /// Check the upstream models too (restjson only).
    pub upstream: bool,
}

pub const RESTJSON: ProtocolSuite = ProtocolSuite {
    name: "restjson",
    services: &["aws.protocoltests.restjson#RestJson"],
    skips: include_str!("restjson-skips.txt"),
    upstream: true,
};

pub const AWSJSON1_0: ProtocolSuite = ProtocolSuite {
    name: "awsjson1_0",
    services: &["aws.protocoltests.json10#JsonRpc10", "aws.protocoltests.json10#QueryCompatibleJsonRpc10"],
    skips: include_str!("awsjson1_0-skips.txt"),
    upstream: false,
};

pub const AWSJSON1_1: ProtocolSuite = ProtocolSuite {
    name: "awsjson1_1",
    services: &["aws.protocoltests.json#JsonProtocol"],
    skips: include_str!("awsjson1_1-skips.txt"),
    upstream: false,
};

pub const RESTXML: ProtocolSuite = ProtocolSuite {
    name: "restxml",
    services: &["aws.protocoltests.restxml#RestXml", "aws.protocoltests.restxml.xmlns#RestXmlWithNamespace"],
    skips: include_str!("restxml-skips.txt"),
    upstream: false,
};

pub const AWSQUERY: ProtocolSuite = ProtocolSuite {
    name: "awsquery",
    services: &["aws.protocoltests.query#AwsQuery"],
    skips: include_str!("awsquery-skips.txt"),
    upstream: false,
};

pub const EC2QUERY: ProtocolSuite = ProtocolSuite {
    name: "ec2query",
    services: &["aws.protocoltests.ec2#AwsEc2"],
    skips: include_str!("ec2query-skips.txt"),
    upstream: false,
};

/// The skip list is a short list of known gaps, not a way to hide failures.
const MAX_SKIPS: usize = 5;

/// The upstream models that must generate and compile warning-free.
const UPSTREAM_MODELS: &[&str] = &["ivs", "ivschat"];

pub fn run(suite: &ProtocolSuite, data: &ReferenceData) -> SuiteOutcome {
    let model_path = data.conformance().join("protocol-tests").join("smithy-aws-protocol-tests.json");
    let text = match fs::read_to_string(&model_path) {
        Ok(text) => text,
        Err(e) => return SuiteOutcome::missing_data(suite.name, &model_path, e),
    };
    let mut outcome = SuiteOutcome::new(suite.name);
    let target = data.project().join("target").join("conformance");
    run_protocol_tests(suite, data, &model_path, &text, &target, &mut outcome);
    if suite.upstream {
        for name in UPSTREAM_MODELS {
            let result = check_upstream(data, name, &target);
            outcome.record(&format!("upstream {name}.json compiles with -D warnings"), result);
        }
    }
    outcome
}

/// One planned case: its kind and the test functions that check it (an
/// error case listed by several operations has one test per operation).
struct PlannedCase {
    kind: &'static str,
    tests: Vec<String>,
}

/// The planned tests grouped into cases, keyed by case id. A request case
/// and a response case may share an id (`RestJsonHttpPayloadTraitsWithNoBlobBody`);
/// such ids are told apart as `Id (request)` and `Id (response)`.
fn group_cases(model: &smithy_codegen::ir::Model) -> BTreeMap<String, PlannedCase> {
    let direction = |kind: &str| if kind == "request" { "request" } else { "response" };
    let mut by_key: BTreeMap<(String, &'static str), PlannedCase> = BTreeMap::new();
    for planned in planned_tests(model) {
        let kind = planned.case.kind();
        let entry = by_key
            .entry((planned.case.id().to_string(), direction(kind)))
            .or_insert_with(|| PlannedCase { kind, tests: Vec::new() });
        entry.tests.push(planned.name.clone());
    }
    let mut directions: BTreeMap<String, usize> = BTreeMap::new();
    for (id, _) in by_key.keys() {
        *directions.entry(id.clone()).or_default() += 1;
    }
    by_key
        .into_iter()
        .map(|((id, direction), case)| {
            let label = if directions[&id] > 1 { format!("{id} ({direction})") } else { id };
            (label, case)
        })
        .collect()
}

fn run_protocol_tests(
    suite: &ProtocolSuite,
    data: &ReferenceData,
    model_path: &Path,
    text: &str,
    target: &Path,
    outcome: &mut SuiteOutcome,
) {
    let skips = match parse_skips(suite.skips) {
        Ok(skips) => skips,
        Err(e) => {
            outcome.record(&format!("{}-skips.txt", suite.name), Err(e));
            BTreeMap::new()
        }
    };
    let source = model_path.display().to_string();
    let mut all_cases = std::collections::BTreeSet::new();
    for (index, service) in suite.services.iter().enumerate() {
        let model = match smithy_codegen::lower::lower_service(&source, text, Some(service)) {
            Ok(model) => model,
            Err(e) => {
                outcome.record(&format!("generate {service}"), Err(format!("the model does not lower: {}", first_lines(&e.to_string(), 5))));
                continue;
            }
        };
        let cases = group_cases(&model);
        all_cases.extend(cases.keys().cloned());
        let count = |kind: &str| cases.values().filter(|c| c.kind == kind).count();
        let (requests, responses, errors) = (count("request"), count("response"), count("error"));
        println!(
            "{}: {service}: {} cases generated: {requests} request + {} response ({responses} output, {errors} error)",
            suite.name,
            cases.len(),
            responses + errors
        );
        let out = target.join(suite.name).join(index.to_string());
        let crate_name = format!("{}-protocol-tests-{index}", suite.name);
        let results = generate_and_test(data, &source, text, service, &crate_name, &out, &target.join("target"));
        let results = match results {
            Ok(results) => results,
            Err(reason) => {
                outcome.record(&format!("{service} protocol tests"), Err(reason));
                continue;
            }
        };
        for (id, case) in cases {
            if let Some(reason) = skips.get(&id) {
                outcome.not_applicable.push(format!("{id}: {reason}"));
                continue;
            }
            let result = case.tests.iter().try_for_each(|test| match results.get(test) {
                Some(TestResult::Ok) => Ok(()),
                Some(TestResult::Failed(reason)) => Err(reason.clone()),
                None => Err(format!("test `{test}` has no result in the cargo test output")),
            });
            outcome.record(&id, result);
        }
    }
    for id in skips.keys().filter(|id| !all_cases.contains(*id)) {
        outcome.record(id, Err(format!("listed in {}-skips.txt but no such client case is generated", suite.name)));
    }
}

/// Writes the crate, copies the lock file in and runs its protocol tests.
fn generate_and_test(
    data: &ReferenceData,
    source: &str,
    text: &str,
    service: &str,
    crate_name: &str,
    out: &Path,
    target_dir: &Path,
) -> Result<BTreeMap<String, TestResult>, String> {
    let options = CrateOptions {
        crate_name: crate_name.to_string(),
        runtime_path: runtime_path(data),
        standalone: true,
        model_source: source.to_string(),
        service: Some(service.to_string()),
        protocol_tests: true,
    };
    let generated = smithy_codegen::generate(source, text, &options)
        .map_err(|e| format!("generation failed: {}", first_lines(&e.to_string(), 5)))?;
    output::write_crate(out, &generated).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    copy_lock_file(data, out)?;
    let run = Command::new(crate::cargo())
        .args(["test", "--offline", "--lib", "--features", "test-util", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .args(["--", "protocol_tests::"])
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let results = parse_test_output(&stdout);
    if results.is_empty() {
        return Err(format!("the generated crate does not build: {}", compiler_errors(&stderr)));
    }
    Ok(results)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TestResult {
    Ok,
    /// The panic message, on one line.
    Failed(String),
}

/// Reads `test protocol_tests::<name> ... ok|FAILED` lines and, for each
/// failure, the panic message printed in its `---- … stdout ----` section.
fn parse_test_output(stdout: &str) -> BTreeMap<String, TestResult> {
    let mut results = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test protocol_tests::") else { continue };
        let Some((name, verdict)) = rest.split_once(" ... ") else { continue };
        let result = match verdict.trim() {
            "ok" => TestResult::Ok,
            "FAILED" => TestResult::Failed("failed (no panic message found)".to_string()),
            _ => continue,
        };
        results.insert(name.to_string(), result);
    }
    let mut lines = stdout.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(name) = line.strip_prefix("---- protocol_tests::").and_then(|l| l.strip_suffix(" stdout ----")) else {
            continue;
        };
        let mut message = Vec::new();
        let mut in_panic = false;
        while let Some(next) = lines.peek() {
            if next.starts_with("---- ") || next.starts_with("failures:") || next.starts_with("stack backtrace:") {
                break;
            }
            let next = lines.next().unwrap_or_default();
            if next.starts_with("thread '") && next.contains("panicked at") {
                in_panic = true;
            } else if next.starts_with("note: ") || next.trim().is_empty() && !message.is_empty() {
                in_panic = false;
            } else if in_panic {
                message.push(next.trim().to_string());
            }
        }
        if let Some(result) = results.get_mut(name) {
            if !message.is_empty() {
                let mut text = message.join(" | ");
                truncate(&mut text, 400);
                *result = TestResult::Failed(text);
            }
        }
    }
    results
}

/// The first compiler errors in cargo's output (each with a few lines of context).
fn compiler_errors(stderr: &str) -> String {
    let mut picked = Vec::new();
    let mut errors = 0;
    let mut lines = stderr.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("error") {
            errors += 1;
            if errors > 3 {
                break;
            }
            picked.push(line.to_string());
            picked.extend(lines.by_ref().take(4).map(|l| l.trim_end().to_string()));
        }
    }
    if picked.is_empty() {
        return first_lines(stderr, 10);
    }
    picked.join("\n        ")
}

fn parse_skips(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut skips = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(':') {
            Some((id, reason)) if !id.trim().is_empty() && !reason.trim().is_empty() => {
                skips.insert(id.trim().to_string(), reason.trim().to_string());
            }
            _ => return Err(format!("line {}: expected `CaseId: reason`, found `{line}`", number + 1)),
        }
    }
    if skips.len() > MAX_SKIPS {
        return Err(format!("{} cases are skipped; at most {MAX_SKIPS} may be", skips.len()));
    }
    Ok(skips)
}

/// Generates `models/upstream/<name>.json` (its only service) into a
/// workspace under `target/conformance/upstream/` and runs
/// `cargo check` on it with `RUSTFLAGS=-Dwarnings`.
fn check_upstream(data: &ReferenceData, name: &str, target: &Path) -> Result<(), String> {
    let model = data.models().join("upstream").join(format!("{name}.json"));
    let text = fs::read_to_string(&model).map_err(|e| format!("cannot read {}: {e}", model.display()))?;
    let workspace = target.join("upstream");
    let source = format!("models/upstream/{name}.json");
    let options = CrateOptions {
        crate_name: name.to_string(),
        runtime_path: runtime_path(data),
        standalone: false,
        model_source: source.clone(),
        service: None,
        protocol_tests: false,
    };
    let generated =
        smithy_codegen::generate(&source, &text, &options).map_err(|e| format!("generation failed: {}", first_lines(&e.to_string(), 5)))?;
    let out = workspace.join(name);
    output::write_crate(&out, &generated).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let members: Vec<String> = UPSTREAM_MODELS.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = format!(
        "# Written by `cargo xtask conformance`: the upstream models, checked with -D warnings.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    fs::write(workspace.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the workspace manifest: {e}"))?;
    copy_lock_file(data, &workspace)?;
    // Members not generated yet (the first run) would break the workspace.
    for member in UPSTREAM_MODELS {
        let dir = workspace.join(member);
        if !dir.join("Cargo.toml").exists() {
            placeholder_crate(&dir, member)?;
        }
    }
    let run = Command::new(crate::cargo())
        .args(["check", "--offline", "--all-targets", "-p", name, "--manifest-path"])
        .arg(workspace.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target.join("check-target"))
        .env("RUSTFLAGS", "-Dwarnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if run.status.success() {
        Ok(())
    } else {
        Err(compiler_errors(&String::from_utf8_lossy(&run.stderr)))
    }
}

/// An empty library standing in for a member until it is generated.
fn placeholder_crate(dir: &Path, name: &str) -> Result<(), String> {
    let write = |path: PathBuf, text: String| fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()));
    fs::create_dir_all(dir.join("src")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write(dir.join("Cargo.toml"), format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n"))?;
    write(dir.join("src/lib.rs"), String::new())
}

/// This checkout's `runtime/`, absolute, as a generated manifest writes it.
fn runtime_path(data: &ReferenceData) -> String {
    let runtime = data.project().join("runtime");
    runtime.canonicalize().unwrap_or(runtime).to_string_lossy().into_owned()
}

/// The workspace lock file pins the same dependency versions offline.
fn copy_lock_file(data: &ReferenceData, dir: &Path) -> Result<(), String> {
    let lock = data.project().join("Cargo.lock");
    fs::copy(&lock, dir.join("Cargo.lock")).map(|_| ()).map_err(|e| format!("cannot copy {}: {e}", lock.display()))
}

fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join(" | ")
}

fn truncate(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_verdicts_and_panic_messages() {
        let stdout = "\
running 3 tests
test protocol_tests::a_case ... ok
test protocol_tests::b_case ... FAILED
test protocol_tests::c_case ... FAILED

failures:

---- protocol_tests::b_case stdout ----

thread 'protocol_tests::b_case' panicked at src/protocol_tests.rs:10:5:
assertion `left == right` failed: path
  left: \"/a\"
 right: \"/b\"
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- protocol_tests::c_case stdout ----
thread 'protocol_tests::c_case' panicked at src/protocol_tests.rs:20:5:
the response parses: DeserializeError

failures:
    protocol_tests::b_case
";
        let results = parse_test_output(stdout);
        assert_eq!(results["a_case"], TestResult::Ok);
        assert_eq!(
            results["b_case"],
            TestResult::Failed("assertion `left == right` failed: path | left: \"/a\" | right: \"/b\"".to_string())
        );
        assert_eq!(results["c_case"], TestResult::Failed("the response parses: DeserializeError".to_string()));
    }

    #[test]
    fn build_failures_show_the_first_compiler_errors() {
        let stderr = "   Compiling x v0.1.0\nerror[E0308]: mismatched types\n  --> src/a.rs:1:1\n   |\n1  | x\n   | ^ expected\n\nwarning: unused\nerror: could not compile `x`\n";
        let text = compiler_errors(stderr);
        assert!(text.starts_with("error[E0308]: mismatched types\n          --> src/a.rs:1:1"), "{text}");
        assert!(text.contains("error: could not compile `x`"), "{text}");
        assert!(!text.contains("Compiling"), "{text}");
    }

    #[test]
    fn the_skip_list_is_short_and_gives_reasons() {
        let skips = parse_skips("# comment\n\nA: why\nB: because: reasons\n").expect("parses");
        assert_eq!(skips["B"], "because: reasons");
        assert!(parse_skips("A\n").is_err());
        assert!(parse_skips("A: 1\nB: 2\nC: 3\nD: 4\nE: 5\nF: 6\n").is_err());
        for suite in [RESTJSON, AWSJSON1_0, AWSJSON1_1, RESTXML, AWSQUERY, EC2QUERY] {
            assert!(parse_skips(suite.skips).is_ok(), "the checked-in skip list of {} is valid", suite.name);
        }
    }
}
