//! Fuzzing of the event-stream frame decoder.
//!
//! Each case builds a stream of random valid frames (every header type,
//! names up to 255 bytes, values up to 65,535 bytes), breaks it one way or
//! another (bit flips, truncation, inserted and deleted bytes, random bytes,
//! lengths rewritten with the prelude CRC fixed so the length checks are
//! reached, header bytes changed with both CRCs fixed so the header parser
//! is reached) and feeds it to a `MessageDecoder` in chunks of random sizes.
//! The decoder must never panic; a stream it accepts whole must be exactly
//! the frames of the messages it returned (the format has one encoding per
//! message), and an unbroken stream must give back the messages it was made
//! of.
//!
//! `cargo test` runs 5,000 cases with a fixed seed. For a long run use
//! `cargo xtask fuzz --target frames --cases N` (release build, random
//! seed). To replay one failing case: `FUZZ_SEED=<seed> FUZZ_CASE=<case>
//! cargo test -p smithy-runtime --test event_stream_fuzz`.

mod event_stream_support;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use smithy_runtime::event_stream::{encode, FrameError, Message, MessageDecoder};

use event_stream_support::{random_bytes, random_message};

const DEFAULT_CASES: u64 = 5_000;
const DEFAULT_SEED: u64 = 0x00e7_e575_7ea4;

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.replace('_', "").parse(),
    };
    Some(parsed.unwrap_or_else(|e| panic!("{name}=`{text}`: {e}")))
}

/// How a case broke its stream, for the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Damage {
    None,
    BitFlips,
    Truncated,
    InsertedOrDeleted,
    RandomBytes,
    Lengths,
    Headers,
}

struct Stream {
    bytes: Vec<u8>,
    /// Where each frame starts, and its end.
    frames: Vec<(usize, usize)>,
    messages: Vec<Message>,
}

fn valid_stream(rng: &mut fastrand::Rng) -> Stream {
    let mut stream = Stream { bytes: Vec::new(), frames: Vec::new(), messages: Vec::new() };
    for _ in 0..rng.usize(0..=4) {
        let max_payload = if rng.u8(..) < 8 { 200_000 } else { 300 };
        let message = random_message(rng, max_payload);
        let Ok(frame) = encode(&message) else {
            // Three long values can pass the 128 KiB of headers; such a
            // message is not one to send.
            continue;
        };
        let start = stream.bytes.len();
        stream.bytes.extend_from_slice(&frame);
        stream.frames.push((start, stream.bytes.len()));
        stream.messages.push(message);
    }
    stream
}

/// Puts right the prelude CRC (and the message CRC when `whole`) of the
/// frame at `start..end`.
fn fix_crcs(bytes: &mut [u8], start: usize, end: usize, whole: bool) {
    let prelude = crc32fast::hash(&bytes[start..start + 8]);
    bytes[start + 8..start + 12].copy_from_slice(&prelude.to_be_bytes());
    if whole {
        let crc = crc32fast::hash(&bytes[start..end - 4]);
        bytes[end - 4..end].copy_from_slice(&crc.to_be_bytes());
    }
}

fn damage(rng: &mut fastrand::Rng, stream: &mut Stream) -> Damage {
    let bytes = &mut stream.bytes;
    let kind = match rng.u8(0..10) {
        0 | 1 => Damage::None,
        2 => Damage::BitFlips,
        3 => Damage::Truncated,
        4 => Damage::InsertedOrDeleted,
        5 => Damage::RandomBytes,
        6 | 7 => Damage::Lengths,
        _ => Damage::Headers,
    };
    match kind {
        Damage::None => {}
        Damage::BitFlips if !bytes.is_empty() => {
            for _ in 0..rng.usize(1..=4) {
                let at = rng.usize(..bytes.len());
                bytes[at] ^= 1 << rng.u8(0..8);
            }
        }
        Damage::Truncated if !bytes.is_empty() => bytes.truncate(rng.usize(..bytes.len())),
        Damage::InsertedOrDeleted => {
            let at = rng.usize(..=bytes.len());
            if rng.bool() || at == bytes.len() {
                let count = rng.usize(1..=16);
                let extra = random_bytes(rng, count);
                bytes.splice(at..at, extra.iter().copied());
            } else {
                let end = (at + rng.usize(1..=16)).min(bytes.len());
                bytes.drain(at..end);
            }
        }
        Damage::RandomBytes => {
            let len = rng.usize(0..=512);
            *bytes = random_bytes(rng, len).to_vec();
            // Sometimes with a valid prelude CRC, so more than the CRC check
            // is reached.
            if bytes.len() >= 12 && rng.bool() {
                let len = bytes.len();
                fix_crcs(bytes, 0, len, false);
            }
        }
        Damage::Lengths if !stream.frames.is_empty() => {
            let (start, end) = stream.frames[rng.usize(..stream.frames.len())];
            let field = start + 4 * rng.usize(0..2);
            let value: u32 = match rng.u8(0..6) {
                0 => 0,
                1 => u32::MAX,
                2 => rng.u32(0..64),
                3 => 16 * 1024 * 1024 + rng.u32(0..2),
                4 => 128 * 1024 + rng.u32(0..2),
                _ => {
                    let old = u32::from_be_bytes(bytes[field..field + 4].try_into().unwrap());
                    old.wrapping_add(rng.u32(0..8)).wrapping_sub(4)
                }
            };
            bytes[field..field + 4].copy_from_slice(&value.to_be_bytes());
            fix_crcs(bytes, start, end, false);
        }
        Damage::Headers if !stream.frames.is_empty() => {
            let (start, end) = stream.frames[rng.usize(..stream.frames.len())];
            let headers = u32::from_be_bytes(bytes[start + 4..start + 8].try_into().unwrap()) as usize;
            if headers > 0 {
                for _ in 0..rng.usize(1..=3) {
                    let at = start + 12 + rng.usize(..headers);
                    bytes[at] = match rng.u8(0..4) {
                        0 => 0,
                        1 => 0xff,
                        2 => rng.u8(0..12),
                        _ => rng.u8(..),
                    };
                }
                fix_crcs(bytes, start, end, true);
            }
        }
        // The damage chosen has nothing to work on (an empty stream).
        _ => return Damage::None,
    }
    kind
}

/// Decodes `bytes` fed in chunks of random sizes.
fn decode(rng: &mut fastrand::Rng, bytes: &[u8]) -> (Vec<Message>, Result<(), FrameError>) {
    let bytes = Bytes::copy_from_slice(bytes);
    let mut decoder = MessageDecoder::new();
    let mut messages = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let size = match rng.u8(0..4) {
            0 => 1,
            1 => rng.usize(1..=16),
            2 => rng.usize(1..=4096),
            _ => bytes.len() - at,
        };
        let end = (at + size).min(bytes.len());
        decoder.push(bytes.slice(at..end));
        at = end;
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => messages.push(message),
                Ok(None) => break,
                Err(err) => return (messages, Err(err)),
            }
        }
    }
    let end = decoder.finish();
    (messages, end)
}

#[derive(Default)]
struct Tally {
    messages: u64,
    accepted: BTreeMap<Damage, u64>,
    rejected: BTreeMap<String, u64>,
}

fn run_case(rng: &mut fastrand::Rng, tally: &mut Tally) {
    let mut stream = valid_stream(rng);
    let kind = damage(rng, &mut stream);
    let (messages, result) = decode(rng, &stream.bytes);
    tally.messages += messages.len() as u64;
    match result {
        Ok(()) => {
            let mut again = BytesMut::new();
            for message in &messages {
                again.extend_from_slice(&encode(message).expect("a decoded message encodes"));
            }
            assert_eq!(&again[..], &stream.bytes[..], "an accepted stream is the frames of its messages");
            if kind == Damage::None {
                assert_eq!(messages, stream.messages, "an unbroken stream gives back its messages");
            }
            *tally.accepted.entry(kind).or_default() += 1;
        }
        Err(err) => {
            assert_ne!(kind, Damage::None, "an unbroken stream was rejected: {err}");
            assert!(!err.to_string().is_empty());
            let name = format!("{err:?}");
            let name = name.split([' ', '{', '(']).next().unwrap_or_default().to_owned();
            *tally.rejected.entry(name).or_default() += 1;
        }
    }
}

#[test]
fn the_frame_decoder_survives_fuzzed_streams() {
    let cases = env_number("FUZZ_CASES").unwrap_or(DEFAULT_CASES);
    let seed = env_number("FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let only = env_number("FUZZ_CASE");
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut run = 0u64;
    for case in 0..cases {
        if only.is_some_and(|only| only != case) {
            continue;
        }
        let mut rng = fastrand::Rng::with_seed(seed ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let outcome = catch_unwind(AssertUnwindSafe(|| run_case(&mut rng, &mut tally)));
        if outcome.is_err() {
            panic!("case failed; replay with FUZZ_SEED={seed:#x} FUZZ_CASE={case}");
        }
        run += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "frame fuzz: {run} cases in {secs:.2} s ({:.0} cases/s), seed {seed:#x}; {} messages decoded; \
         accepted by damage {:?}; rejected by error {:?}",
        run as f64 / secs.max(1e-9),
        tally.messages,
        tally.accepted,
        tally.rejected
    );
    assert!(run == cases || only.is_some());
    if only.is_none() && cases >= 1000 {
        // Every kind of bad frame is reached, not only the CRC checks.
        for error in ["PreludeCrcMismatch", "MessageCrcMismatch", "Truncated", "InvalidHeader", "MessageTooLong"] {
            assert!(tally.rejected.contains_key(error), "no case was rejected with {error}: {:?}", tally.rejected);
        }
    }
}
