//! `cargo xtask codegen`: a thin shell over `smithy_codegen::project` and
//! `smithy_codegen::output`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use smithy_codegen::{output, project, CrateOptions};

use crate::workspace_root;

/// This project's model → generated/ (or `--check` it).
pub fn project(check: bool) -> ExitCode {
    let root = workspace_root();
    if check {
        return match project::check_generated(&root) {
            Ok(stale) if stale.is_empty() => {
                println!("{}/ is up to date with {}", project::OUTPUT, project::MODEL);
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                eprintln!("{}", project::stale_message(&stale));
                ExitCode::FAILURE
            }
            Err(e) => fail(e),
        };
    }
    match project::write_generated(&root) {
        Ok((generated, summary)) => {
            report_left_out(&generated.left_out);
            println!("{}/: {summary}", project::OUTPUT);
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// Any model → any directory; the crate points at this checkout's runtime/.
pub fn external(model: &Path, out: &Path, crate_name: Option<String>, service: Option<String>, check: bool) -> ExitCode {
    let runtime = workspace_root().join("runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    let crate_name = crate_name.unwrap_or_else(|| {
        model.file_stem().map_or_else(|| "generated-client".to_string(), |s| s.to_string_lossy().replace(['_', '.'], "-"))
    });
    let options = CrateOptions {
        crate_name,
        runtime_path: runtime.to_string_lossy().into_owned(),
        standalone: true,
        model_source: model.display().to_string(),
        service,
        protocol_tests: false,
    };
    let generated = match project::generate_file(model, &options) {
        Ok(generated) => generated,
        Err(e) => return fail(e),
    };
    report_left_out(&generated.left_out);
    let result = if check {
        output::check_crate(out, &generated).map(|stale| {
            for item in &stale {
                eprintln!("{}/{item}", out.display());
            }
            stale.is_empty()
        })
    } else {
        output::write_crate(out, &generated).map(|summary| {
            println!("{}: {summary}", out.display());
            true
        })
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => fail(project::Error::Write(PathBuf::from(out), e)),
    }
}

fn report_left_out(left_out: &[String]) {
    for item in left_out {
        eprintln!("warning: left out: {item}");
    }
}

fn fail(error: project::Error) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}
