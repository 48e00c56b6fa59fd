//! The broken-model corpus (`tests/models/broken/`): one model per kind of
//! problem. Each must fail with exactly the diagnostics listed here (every
//! problem collected, each naming its shape and member), and the output
//! directory must be left exactly as it was: the generator writes nothing
//! for a model it refuses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use smithy_codegen::{output, project};

/// `file name` → every diagnostic, in the order reported (sorted).
const CORPUS: &[(&str, &[&str])] = &[
    ("malformed_json.json", &[
        "malformed_json.json: not a Smithy JSON AST model: EOF while parsing a value at line 3 column 0 (line 3, column 0)",
    ]),
    ("unsupported_idl_version.json", &[
        "unsupported_idl_version.json: unsupported Smithy IDL version `3.0` (expected 1.0 or 2.0)",
    ]),
    ("invalid_shape_id.json", &[
        "NoNamespace: not a valid absolute shape id (expected `namespace#Name`)",
        "example.broken#9Lives: not a valid absolute shape id (expected `namespace#Name`)",
    ]),
    ("unknown_shape_type.json", &[
        "example.broken#Blurb: unknown shape type `strang` (expected one of: blob, boolean, string, byte, short, integer, long, float, double, bigInteger, bigDecimal, timestamp, document, enum, intEnum, list, set, map, structure, union, service, operation, resource, apply)",
    ]),
    ("dangling_target.json", &[
        "example.broken#PingInput$target: targets `example.broken#NotDefinedAnywhere`, which is not defined",
    ]),
    ("wrong_trait_value_type.json", &[
        "example.broken#PingInput$token: trait `smithy.api#httpHeader`: expected a string, found a number",
    ]),
    ("no_service.json", &["the model has no service shape; a client needs exactly one"]),
    ("two_services.json", &[
        "the model has 2 services (example.broken#First, example.broken#Second); choose one to generate",
    ]),
    ("name_collision.json", &[
        "example.broken#StageInfo: Rust name collision in module `types`: example.broken#StageInfo, example.other#Stage_info all become `stageinfo` (case-insensitive); rename one in the model",
    ]),
    ("mixin_cycle.json", &[
        "example.broken#Left: mixin cycle: example.broken#Left -> example.broken#Right -> example.broken#Left",
        "example.broken#Left: mixin cycle: example.broken#PingInput -> example.broken#Left -> example.broken#Right -> example.broken#Left",
        "example.broken#Right: mixin cycle: example.broken#Right -> example.broken#Left -> example.broken#Right",
    ]),
    ("mixin_without_mixin_trait.json", &[
        "example.broken#PingInput: `example.broken#Plain` is used as a mixin but has no @mixin trait",
    ]),
    ("apply_to_missing_shape.json", &["example.broken#Ghost: `apply` targets a shape that is not defined"]),
    ("apply_to_missing_member.json", &["example.broken#PingInput$b: `apply` targets a member that is not defined"]),
    ("map_key_not_string.json", &[
        "example.broken#CountsById$key: map keys must be strings, but `smithy.api#Integer` is a integer",
    ]),
    ("http_label_not_in_uri.json", &[
        "example.broken#GetThingInput$thingId: @httpLabel member does not appear in the URI `/things` of example.broken#GetThing",
    ]),
    ("uri_label_without_member.json", &[
        "example.broken#GetThing: URI `/things/{thingId}` has label `{thingId}`, but the input has no @httpLabel member `thingId`",
    ]),
    ("label_member_not_required.json", &["example.broken#GetThingInput$thingId: @httpLabel members must be @required"]),
    ("operation_input_not_structure.json", &[
        "example.broken#Ping: `input`: targets `example.broken#PingText`, a string, but a structure is required here",
    ]),
    ("error_without_error_trait.json", &[
        "example.broken#Ping: lists `example.broken#Oops` as an error, but it has no @error trait",
    ]),
    ("int_enum_without_value.json", &["example.broken#Level$HIGH: intEnum members need an integer @enumValue"]),
    ("reserved_prelude_namespace.json", &["smithy.api#Timestamp: the smithy.api namespace is reserved for the prelude"]),
    ("union_without_members.json", &["example.broken#Choice: a union needs at least one member"]),
    ("default_does_not_fit.json", &[
        "example.broken#PingOutput$mode: trait `smithy.api#default`: \"FAST\" does not fit the target (enum shape): `FAST` is not one of the enum's values",
        "example.broken#PingOutput$retries: trait `smithy.api#default`: 1000 does not fit the target (byte shape): out of range -128..=127",
    ]),
    ("endpoint_param_bad_path.json", &[
        "example.broken#GetThings: trait `smithy.rules#operationContextParams`: parameter `Owner`: the endpoint rules declare it as string, but this gives a stringArray",
        "example.broken#GetThings: trait `smithy.rules#operationContextParams`: parameter `Things`: path `Items[*]..Name`: expected a member name at `.Name`",
    ]),
    ("many_problems.json", &[
        "example.broken#Ping: lists `example.broken#Oops` as an error, but it has no @error trait",
        "example.broken#PingInput$header: trait `smithy.api#httpHeader`: expected a string, found an array",
        "example.broken#PingInput$missing: targets `example.broken#Nowhere`, which is not defined",
        "example.broken#Weird: unknown shape type `stucture` (expected one of: blob, boolean, string, byte, short, integer, long, float, double, bigInteger, bigDecimal, timestamp, document, enum, intEnum, list, set, map, structure, union, service, operation, resource, apply)",
    ]),
];

fn corpus_dir() -> PathBuf {
    // This test's own manifest dir (tests/), not the library's, so the
    // corpus is found in the checkout being tested.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/broken")
}

/// What `cargo xtask codegen --model <model> --out <out>` does: generate in
/// memory, and write only a crate that generated.
fn codegen_into(model: &Path, out: &Path) -> Result<(), project::Error> {
    let source = model.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let options = integration_tests::standalone_options("broken-model", &source);
    let generated = project::generate_file(model, &options)?;
    output::write_crate(out, &generated).map_err(|e| project::Error::Write(out.to_path_buf(), e))?;
    Ok(())
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).expect("read output dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read output file");
                files.insert(path.strip_prefix(dir).expect("under dir").to_path_buf(), bytes);
            }
        }
    }
    files
}

/// An output directory holding an older crate, as a user's would.
fn prepared_output() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(out.path().join("src")).expect("mkdir src");
    std::fs::write(out.path().join("Cargo.toml"), "[package]\nname = \"older\"\n").expect("write");
    std::fs::write(out.path().join("src/lib.rs"), "// the previous generation, kept\n").expect("write");
    std::fs::write(out.path().join("NOTES.md"), "not the generator's file\n").expect("write");
    out
}

#[test]
fn each_broken_model_reports_exactly_its_problems_and_writes_nothing() {
    let mut failures = Vec::new();
    for (file, expected) in CORPUS {
        let out = prepared_output();
        let before = snapshot(out.path());
        let result = codegen_into(&corpus_dir().join(file), out.path());
        match result {
            Err(project::Error::Model(diagnostics)) => {
                let found: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                if found != *expected {
                    failures.push(format!("{file}:\n  expected {expected:#?}\n  found {found:#?}"));
                }
            }
            Err(other) => failures.push(format!("{file}: failed for another reason: {other}")),
            Ok(()) => failures.push(format!("{file}: generated a crate")),
        }
        if snapshot(out.path()) != before {
            failures.push(format!("{file}: the output directory changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_corpus_covers_every_file_and_enough_kinds_of_problem() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("read tests/models/broken")
        .map(|entry| entry.expect("dir entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CORPUS.iter().map(|(file, _)| (*file).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every broken model needs its expected diagnostics here");
    // One file holds several problems at once; the others one kind each.
    let kinds = CORPUS.len() - 1;
    assert!(kinds >= 15, "{kinds} kinds");
    let (_, many) = CORPUS.iter().find(|(file, _)| *file == "many_problems.json").expect("many_problems.json");
    assert!(many.len() >= 4, "all problems of one model are collected");
}

/// The harness itself: a sound model in the same form does write a crate,
/// so an unchanged directory above means the generator refused to write.
#[test]
fn a_sound_model_in_the_same_form_is_written() {
    let model = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(
        model.path(),
        r#"{"smithy": "2.0", "shapes": {
            "example.broken#Svc": {"type": "service", "version": "2024-01-01", "operations": [{"target": "example.broken#Ping"}]},
            "example.broken#Ping": {"type": "operation", "input": {"target": "example.broken#PingInput"}},
            "example.broken#PingInput": {"type": "structure", "members": {"a": {"target": "smithy.api#String"}}}
        }}"#,
    )
    .expect("write model");
    let out = prepared_output();
    let before = snapshot(out.path());
    codegen_into(model.path(), out.path()).unwrap_or_else(|e| panic!("{e}"));
    let after = snapshot(out.path());
    assert_ne!(after, before);
    assert!(after.keys().any(|p| p.ends_with("lib.rs")), "{:?}", after.keys().collect::<Vec<_>>());
}
