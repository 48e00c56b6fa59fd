//! The reason this project exists: what the 2024-10-02 model update changed
//! in the generated crate, as a reviewable unified diff.

use integration_tests::{crate_diff, workspace_root};
use smithy_codegen::project::{project_options, MODEL};

fn generate(path: &str) -> smithy_codegen::GeneratedCrate {
    let text = std::fs::read_to_string(workspace_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    // Same source name for both, so headers do not show up as changes.
    smithy_codegen::generate(MODEL, &text, &project_options()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn update_of_2024_10_02_adds_event_error_codes_and_tightens_video_size() {
    let before = generate("tests/models/ivs-realtime-2024-09-09.json");
    let after = generate(MODEL);
    let diff = crate_diff(&before, &after, 3);
    for added in ["+    BFramePresent,", "+    InvalidInput,", "+    InternalServerException,"] {
        assert!(diff.contains(added), "missing `{added}` in:\n{diff}");
    }
    assert!(diff.contains("-    /// **Constraints:** range 1–1920."), "{diff}");
    assert!(diff.contains("+    /// **Constraints:** range 2–1920."), "{diff}");
    insta::assert_snapshot!("ivs_realtime_2024_09_09_to_2024_10_02", diff);
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let first = generate(MODEL);
    let second = generate(MODEL);
    assert_eq!(first.files.len(), second.files.len());
    for (path, contents) in &first.files {
        assert_eq!(Some(contents), second.files.get(path), "{path} differs between two runs");
    }
}
