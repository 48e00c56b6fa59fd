//! `cargo xtask diff`: what changed between two models, on which side of
//! which operation, how severe (smithy-diff rules) and what it does to the
//! generated crate (semver). One small model pair per kind of change, each a
//! snapshot, plus the 2024-10-02 IVS RealTime update.

use integration_tests::workspace_root;
use smithy_codegen::model_diff::changes::Kind;
use smithy_codegen::model_diff::{self, render_json, render_markdown, Bump, Report, Severity, Side};

fn read(path: &str) -> String {
    std::fs::read_to_string(workspace_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn diff_files(old: &str, new: &str) -> Report {
    model_diff::diff_texts(old, &read(old), new, &read(new)).unwrap_or_else(|e| panic!("{e}"))
}

/// `tests/models/diff/base.json` → `tests/models/diff/<case>.json`.
fn diff_case(case: &str) -> Report {
    diff_files("tests/models/diff/base.json", &format!("tests/models/diff/{case}.json"))
}

/// The only change of a small pair, checked for kind, severity and bump.
fn single(report: &Report, kind: Kind, severity: Severity, semver: Bump) -> &model_diff::Change {
    assert_eq!(report.changes.len(), 1, "{}", render_markdown::render(report));
    let change = &report.changes[0];
    assert_eq!((change.kind, change.severity, change.semver), (kind, severity, semver), "{change:#?}");
    change
}

fn places(change: &model_diff::Change) -> Vec<String> {
    change.reach.iter().map(|r| format!("{} {} {}", r.operation, r.side.as_str(), r.path)).collect()
}

#[test]
fn ivs_realtime_2024_09_09_to_2024_10_02() {
    let report = diff_files("tests/models/ivs-realtime-2024-09-09.json", "model/ivs-realtime.json");
    let added: Vec<(&str, Severity, Bump)> = report
        .changes
        .iter()
        .filter(|c| c.subject == "com.amazonaws.ivsrealtime#EventErrorCode")
        .map(|c| (c.value.as_deref().unwrap_or(""), c.severity, c.semver))
        .collect();
    assert_eq!(
        added,
        [
            ("`B_FRAME_PRESENT`", Severity::Note, Bump::Minor),
            ("`INTERNAL_SERVER_EXCEPTION`", Severity::Note, Bump::Minor),
            ("`INVALID_INPUT`", Severity::Note, Bump::Minor),
        ]
    );
    let code = report.changes.iter().find(|c| c.subject.ends_with("#EventErrorCode")).expect("enum change");
    assert_eq!(places(code), ["ListParticipantEvents response events[].errorCode"]);
    for shape in ["Width", "Height"] {
        let change = report.changes.iter().find(|c| c.subject.ends_with(&format!("#{shape}"))).expect("range change");
        assert_eq!((change.kind, change.severity, change.semver), (Kind::RangeTightened, Severity::Error, Bump::Patch));
        assert!(change.summary.contains("min raised from 1 to 2"), "{}", change.summary);
        let field = shape.to_lowercase();
        assert!(change.reach.iter().any(|r| r.operation == "CreateEncoderConfiguration"
            && r.side == Side::Request
            && r.path == format!("video.{field}")));
    }
    assert_eq!((report.summary.changes, report.summary.note, report.summary.error), (5, 3, 2));
    assert_eq!(report.summary.semver, Bump::Minor);
    let markdown = render_markdown::render(&report);
    assert!(markdown.contains("5 changes: 3 NOTE, 2 ERROR; 3 documentation-only changes; generated crate: minor"), "{markdown}");
    assert!(markdown.contains(
        "- `ListParticipantEvents` response `events[].errorCode` gains `B_FRAME_PRESENT`, `INTERNAL_SERVER_EXCEPTION`, `INVALID_INPUT` — NOTE, minor"
    ), "{markdown}");
    insta::assert_snapshot!("ivs_realtime_2024_10_02_markdown", markdown);
    insta::assert_snapshot!("ivs_realtime_2024_10_02_json", render_json::render(&report));
}

#[test]
fn enum_value_removed() {
    let report = diff_case("enum_value_removed");
    let change = single(&report, Kind::EnumValueRemoved, Severity::Error, Bump::Major);
    assert_eq!(places(change), ["GetThing response thing.color"]);
    insta::assert_snapshot!("enum_value_removed", render_markdown::render(&report));
}

#[test]
fn enum_value_inserted_in_the_middle() {
    let report = diff_case("enum_value_inserted");
    let change = single(&report, Kind::EnumValueInserted, Severity::Error, Bump::Minor);
    assert_eq!(change.value.as_deref(), Some("`YELLOW`"));
    insta::assert_snapshot!("enum_value_inserted", render_markdown::render(&report));
}

#[test]
fn member_renamed() {
    let report = diff_case("member_renamed");
    let change = single(&report, Kind::MemberRenamed, Severity::Error, Bump::Major);
    assert!(change.summary.contains("`name` renamed to `title`"), "{}", change.summary);
    insta::assert_snapshot!("member_renamed", render_markdown::render(&report));
}

#[test]
fn required_added_on_input_keeps_option_but_is_major_since_build_now_fails_without_it() {
    let report = diff_case("required_added_input");
    let change = single(&report, Kind::RequiredAdded, Severity::Error, Bump::Major);
    assert_eq!(places(change), ["GetThing request filter"]);
    assert!(change.rust.contains("stays `Option<String>`"), "{}", change.rust);
    insta::assert_snapshot!("required_added_input", render_markdown::render(&report));
}

#[test]
fn required_added_on_output_changes_option_to_value() {
    let report = diff_case("required_added_output");
    let change = single(&report, Kind::RequiredAdded, Severity::Error, Bump::Major);
    assert!(change.rust.contains("changes from `Option<i32>` to `i32`"), "{}", change.rust);
    insta::assert_snapshot!("required_added_output", render_markdown::render(&report));
}

#[test]
fn range_loosened() {
    let report = diff_case("range_loosened");
    single(&report, Kind::RangeLoosened, Severity::Note, Bump::Patch);
    insta::assert_snapshot!("range_loosened", render_markdown::render(&report));
}

#[test]
fn range_tightened() {
    let report = diff_case("range_tightened");
    let change = single(&report, Kind::RangeTightened, Severity::Error, Bump::Patch);
    assert!(change.summary.contains("max lowered from 100 to 50"), "{}", change.summary);
    insta::assert_snapshot!("range_tightened", render_markdown::render(&report));
}

#[test]
fn length_changed() {
    let report = diff_case("length_changed");
    let change = single(&report, Kind::LengthTightened, Severity::Error, Bump::Patch);
    assert!(change.summary.contains("min raised from 1 to 3, max raised from 10 to 20"), "{}", change.summary);
    insta::assert_snapshot!("length_changed", render_markdown::render(&report));
}

#[test]
fn operation_removed() {
    let report = diff_case("operation_removed");
    let change = single(&report, Kind::OperationRemoved, Severity::Error, Bump::Major);
    assert_eq!(places(change), ["DeleteThing operation "]);
    insta::assert_snapshot!("operation_removed", render_markdown::render(&report));
    insta::assert_snapshot!("operation_removed_json", render_json::render(&report));
}

#[test]
fn http_binding_moved_from_query_to_header() {
    let report = diff_case("http_query_to_header");
    let change = single(&report, Kind::HttpBindingChanged, Severity::Error, Bump::Patch);
    assert_eq!(change.summary, "HTTP binding moved from query `filter` to header `X-Filter`");
    insta::assert_snapshot!("http_query_to_header", render_markdown::render(&report));
}

#[test]
fn sensitive_added() {
    let report = diff_case("sensitive_added");
    let change = single(&report, Kind::SensitiveAdded, Severity::Note, Bump::Patch);
    assert_eq!(places(change), ["GetThing response thing.secret"]);
    insta::assert_snapshot!("sensitive_added", render_markdown::render(&report));
}

#[test]
fn documentation_only_changes_are_counted_not_listed() {
    let report = diff_case("documentation_only");
    assert!(report.changes.is_empty());
    assert_eq!((report.summary.documentation_only, report.summary.semver), (1, Bump::Patch));
    insta::assert_snapshot!("documentation_only", render_markdown::render(&report));
}

#[test]
fn identical_models_have_no_changes() {
    let report = diff_case("base");
    assert!(report.changes.is_empty());
    assert_eq!((report.summary.documentation_only, report.summary.semver), (0, Bump::None));
}

#[test]
fn bad_input_names_the_file() {
    let good = read("tests/models/diff/base.json");
    let bad = r#"{"smithy": "2.0", "shapes": {"ex#S": {"type": "service", "version": "1", "operations": [{"target": "ex#Missing"}]}}}"#;
    let err = model_diff::diff_texts("old.json", &good, "broken.json", bad).unwrap_err();
    assert_eq!(err.files.len(), 1);
    let text = err.to_string();
    assert!(text.starts_with("broken.json: 1 problem in the model:"), "{text}");
    assert!(text.contains("ex#Missing"), "{text}");
    let both = model_diff::diff_texts("a.json", "not json", "b.json", bad).unwrap_err();
    let names: Vec<&str> = both.files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["a.json", "b.json"]);
}
