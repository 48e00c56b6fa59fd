//! Fuzzing of every response parser of the generated `ivs-realtime` crate:
//! each operation's output deserializer and its error parser, driven through
//! the public `Client` with an in-process transport that answers with a
//! generated response.
//!
//! Responses start valid (made from the model, so every member, enum,
//! union, map, timestamp and header binding is reached) and are then broken:
//! wrong JSON types, numbers past every limit, bad timestamps and base64,
//! invalid UTF-8 and lone surrogates, deep nesting, truncation, byte flips,
//! random bytes, odd statuses and headers. Each call must return `Ok` or a
//! typed `SdkError` (`Service` or `Response`), never panic, and stay within
//! a memory bound proportional to the response (measured by a counting
//! allocator, per thread).
//!
//! Valid responses are checked harder: a valid output must parse, and a
//! valid modeled error must come back as its own variant with its code.
//!
//! `cargo test` runs 10,000 cases with a fixed seed. For a long run use
//! `cargo xtask fuzz --cases N` (release build, random seed). To replay one
//! failing case: `FUZZ_SEED=<seed> FUZZ_CASE=<case> cargo test -p
//! integration-tests --test response_fuzz`.

#[path = "response_fuzz/calls.rs"]
mod calls;
#[path = "response_fuzz/responses.rs"]
mod responses;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use ivs_realtime::{Client, Config};
use smithy_runtime::auth::credentials::{Credentials, StaticCredentialsProvider};
use smithy_runtime::behavior::retry::RetryConfig;
use smithy_runtime::behavior::timeout::TimeoutConfig;
use smithy_runtime::http::{HttpClient, HttpError, HttpFuture};

use calls::Outcome;
use responses::{Catalog, Expect};

/// Counts live heap bytes per thread and the peak since the last reset.
struct CountingAlloc;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every method forwards to `System` unchanged and only adds
// bookkeeping in thread-locals that never allocate.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = System.alloc(layout);
        if !ptr.is_null() {
            track(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = System.alloc_zeroed(layout);
        if !ptr.is_null() {
            track(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        track(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = System.realloc(ptr, layout, new_size);
        if !new.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: CountingAlloc = CountingAlloc;

/// Live bytes on this thread, after making that the new peak.
fn reset_peak() -> isize {
    let live = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(live));
    live
}

/// Extra heap a call may use: linear in the response, plus a fixed
/// allowance for the call itself (request, signing, error text). The factor
/// covers the worst cases of the parsed document: `[0,0,...]` spends two
/// bytes of text per `json_de::Value` (32 bytes each, in a `Vec` that grows
/// to up to twice what it holds), and `[{"":0},{"":0},...]` seven per
/// object, which reserves room for eight members (56 bytes each).
fn memory_budget(response_bytes: usize) -> isize {
    (128 * response_bytes + (1 << 20)) as isize
}

/// The transport: answers each request with the response queued for it.
#[derive(Debug, Default)]
struct Canned {
    next: Mutex<Option<http::Response<Bytes>>>,
}

impl HttpClient for Canned {
    fn call(&self, _request: http::Request<Bytes>) -> HttpFuture<'_> {
        let response = self.next.lock().map(|mut next| next.take()).ok().flatten();
        Box::pin(async move { response.ok_or_else(|| HttpError::other("no response queued")) })
    }
}

/// Run settings, from the environment (see the module docs).
#[derive(Debug, Clone, Copy)]
struct Settings {
    seed: u64,
    cases: u64,
    only_case: Option<u64>,
    threads: usize,
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={text} is not a number")))
}

impl Settings {
    fn from_env() -> Settings {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
        Settings {
            seed: env_number("FUZZ_SEED").unwrap_or(0x1f5_2024_1002),
            cases: env_number("FUZZ_CASES").unwrap_or(10_000),
            only_case: env_number("FUZZ_CASE"),
            threads: env_number("FUZZ_THREADS").map_or(threads, |n| n.max(1) as usize),
        }
    }
}

/// The generator seed of case `case`: each case stands alone, so it
/// replays the same whatever thread ran it.
fn case_seed(seed: u64, case: u64) -> u64 {
    let mut z = seed ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What one thread saw.
#[derive(Debug, Default)]
struct Report {
    cases: u64,
    /// (strategy, outcome kind) → count.
    outcomes: BTreeMap<(&'static str, &'static str), u64>,
    /// Operation → (valid outputs parsed, modeled errors recognized).
    verified: BTreeMap<String, (u64, u64)>,
    /// Strategy → seconds spent generating and calling.
    seconds: BTreeMap<&'static str, f64>,
    largest_response: usize,
    peak_extra_bytes: isize,
    failures: Vec<String>,
}

impl Report {
    fn merge(&mut self, other: Report) {
        self.cases += other.cases;
        for (key, count) in other.outcomes {
            *self.outcomes.entry(key).or_default() += count;
        }
        for (op, (outputs, errors)) in other.verified {
            let entry = self.verified.entry(op).or_default();
            entry.0 += outputs;
            entry.1 += errors;
        }
        for (strategy, seconds) in other.seconds {
            *self.seconds.entry(strategy).or_default() += seconds;
        }
        self.largest_response = self.largest_response.max(other.largest_response);
        self.peak_extra_bytes = self.peak_extra_bytes.max(other.peak_extra_bytes);
        self.failures.extend(other.failures);
    }
}

fn client(transport: Arc<Canned>) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://ivs.fuzz.invalid")
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys("AKIDFUZZ", "fuzz/secret")))
        .retry_config(RetryConfig::disabled())
        .timeout_config(TimeoutConfig::disabled())
        .http_client(transport)
        .build();
    Client::new(&config)
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_owned())
}

/// Runs the cases `first, first + step, ...` below `settings.cases` (or
/// only `settings.only_case`) on this thread.
fn run_cases(catalog: &Catalog, settings: Settings, first: u64, step: u64) -> Report {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread tokio runtime");
    let transport = Arc::new(Canned::default());
    let client = client(Arc::clone(&transport));
    let names = catalog.operation_names();
    let mut report = Report::default();
    let cases: Box<dyn Iterator<Item = u64>> = match settings.only_case {
        Some(case) => Box::new(std::iter::once(case).filter(move |_| first == 0)),
        None => Box::new((first..settings.cases).step_by(step as usize)),
    };
    for case in cases {
        let started = Instant::now();
        let mut rng = fastrand::Rng::with_seed(case_seed(settings.seed, case));
        let op = (case % names.len() as u64) as usize;
        let name = names[op];
        let generated = catalog.case(op, &mut rng);
        let response_bytes = generated.response.body().len()
            + generated.response.headers().iter().map(|(k, v)| k.as_str().len() + v.len()).sum::<usize>();
        let replay = format!(
            "FUZZ_SEED={:#x} FUZZ_CASE={case} ({name}, {}, status {}, {response_bytes} bytes)",
            settings.seed,
            generated.strategy,
            generated.response.status().as_u16()
        );
        if settings.only_case.is_some() {
            let body = String::from_utf8_lossy(generated.response.body());
            println!("fuzz: replaying {replay}\n{:?}\n{:.2000}", generated.response.headers(), body);
        }
        *transport.next.lock().expect("transport lock") = Some(generated.response);

        let base = reset_peak();
        let result = catch_unwind(AssertUnwindSafe(|| runtime.block_on(calls::call(&client, name))));
        let extra = PEAK.with(Cell::get) - base;

        report.cases += 1;
        *report.seconds.entry(generated.strategy).or_default() += started.elapsed().as_secs_f64();
        report.largest_response = report.largest_response.max(response_bytes);
        report.peak_extra_bytes = report.peak_extra_bytes.max(extra);
        if extra > memory_budget(response_bytes) {
            report.failures.push(format!("{replay}: used {extra} bytes of heap"));
        }
        let outcome = match result {
            Ok(Some(outcome)) => outcome,
            Ok(None) => {
                report.failures.push(format!("{replay}: no call written for this operation"));
                continue;
            }
            Err(payload) => {
                report.failures.push(format!("{replay}: PANIC: {}", panic_text(&*payload)));
                break;
            }
        };
        let kind = match &outcome {
            Outcome::Ok => "ok",
            Outcome::Service { variant, .. } if variant == "Unhandled" => "service-unhandled",
            Outcome::Service { .. } => "service-modeled",
            Outcome::Response(_) => "response-error",
            Outcome::Other(_) => "other",
        };
        *report.outcomes.entry((generated.strategy, kind)).or_default() += 1;
        let verified = report.verified.entry(name.to_owned()).or_default();
        match (&generated.expect, &outcome) {
            (_, Outcome::Other(text)) => report.failures.push(format!("{replay}: unexpected failure: {text}")),
            (Expect::Output, Outcome::Ok) => verified.0 += 1,
            (Expect::Output, other) => report.failures.push(format!("{replay}: a valid output was refused: {other:?}")),
            (Expect::ModeledError(expected), Outcome::Service { code, variant })
                if variant == expected && code.as_deref() == Some(expected.as_str()) =>
            {
                verified.1 += 1
            }
            (Expect::ModeledError(expected), other) => {
                report.failures.push(format!("{replay}: expected the modeled error {expected}, got {other:?}"))
            }
            (Expect::Anything, _) => {}
        }
        if report.failures.len() >= 20 {
            break;
        }
    }
    report
}

/// Runs the configured cases on `settings.threads` threads.
fn fuzz(settings: Settings) -> (Report, f64) {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/ivs-realtime.json"))
        .expect("read model/ivs-realtime.json");
    let model = smithy_codegen::lower::lower("model/ivs-realtime.json", &text).expect("the project model lowers");
    let catalog = Arc::new(Catalog::new(model));

    let mut ops: Vec<&str> = catalog.operation_names();
    ops.sort_unstable();
    let mut known = calls::OPERATIONS.to_vec();
    known.sort_unstable();
    assert_eq!(ops, known, "calls::OPERATIONS must be exactly the model's operations");

    let started = Instant::now();
    let threads: Vec<_> = (0..settings.threads as u64)
        .map(|first| {
            let catalog = Arc::clone(&catalog);
            std::thread::spawn(move || run_cases(&catalog, settings, first, settings.threads as u64))
        })
        .collect();
    let mut report = Report::default();
    for thread in threads {
        match thread.join() {
            Ok(part) => report.merge(part),
            Err(payload) => report.failures.push(format!("a fuzz thread panicked: {}", panic_text(&*payload))),
        }
    }
    (report, started.elapsed().as_secs_f64())
}

#[test]
fn every_response_parser_survives_fuzzed_responses() {
    let settings = Settings::from_env();
    let (report, seconds) = fuzz(settings);

    println!(
        "fuzz: {} cases, seed {:#x}, {:.2} s, {} threads, largest response {} bytes, peak extra heap {} bytes",
        report.cases, settings.seed, seconds, settings.threads, report.largest_response, report.peak_extra_bytes
    );
    for ((strategy, kind), count) in &report.outcomes {
        println!("fuzz:   {strategy:<14} {kind:<18} {count}");
    }
    for (strategy, seconds) in &report.seconds {
        println!("fuzz:   {strategy:<14} {seconds:.3} s (all threads)");
    }
    assert!(
        report.failures.is_empty(),
        "{} failing case(s); replay one with FUZZ_SEED and FUZZ_CASE:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
    if settings.only_case.is_none() {
        assert_eq!(report.cases, settings.cases);
    }
    // With enough cases every operation has had valid outputs and valid
    // modeled errors recognized, so the checks above were not vacuous.
    if settings.only_case.is_none() && settings.cases >= 5_000 {
        assert_eq!(report.verified.len(), calls::OPERATIONS.len(), "{:?}", report.verified);
        for (op, (outputs, errors)) in &report.verified {
            assert!(*outputs > 0 && *errors > 0, "{op}: {outputs} valid outputs, {errors} modeled errors checked");
        }
        for strategy in responses::STRATEGIES.iter().map(|(name, _)| *name) {
            assert!(
                report.outcomes.keys().any(|(s, _)| *s == strategy),
                "strategy {strategy} never ran"
            );
        }
    }
}
