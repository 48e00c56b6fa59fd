//! `generated/` and the test clients under `tests/clients/` must be exactly
//! what `cargo xtask codegen` writes.

use integration_tests::workspace_root;
use smithy_codegen::output::{check_crate, write_crate, Staleness};
use smithy_codegen::project::{generate_file, project_options, stale_message, JOBS, MODEL};

#[test]
fn every_generated_crate_is_up_to_date() {
    let root = workspace_root();
    let stale: Vec<String> = JOBS
        .iter()
        .filter_map(|job| {
            let stale = job
                .check(&root)
                .unwrap_or_else(|e| panic!("{}: {e}", job.model));
            (!stale.is_empty()).then(|| job.stale_message(&stale))
        })
        .collect();
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

#[test]
fn an_edited_generated_file_is_reported_with_the_fix() {
    let generated = generate_file(&workspace_root().join(MODEL), &project_options())
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("temp dir");
    write_crate(dir.path(), &generated).expect("write");
    let edited = dir.path().join("src/types/stage.rs");
    let text = std::fs::read_to_string(&edited).expect("read") + "\n// hand edit\n";
    std::fs::write(&edited, text).expect("edit");
    let stale = check_crate(dir.path(), &generated).expect("check");
    assert_eq!(stale, [Staleness::Differs("src/types/stage.rs".into())]);
    let message = stale_message(&stale);
    assert!(
        message.contains("generated/src/types/stage.rs: differs"),
        "{message}"
    );
    assert!(
        message.contains("Run `cargo xtask codegen` and commit"),
        "{message}"
    );
}
