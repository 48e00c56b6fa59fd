//! `cargo xtask codegen`: a thin shell over `smithy_codegen::project` and
//! `smithy_codegen::output`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use smithy_codegen::model_diff::{self, crate_summary, render_markdown};
use smithy_codegen::{output, project, CrateOptions};

use crate::workspace_root;

/// Every job of `smithy_codegen::project::JOBS` (generated/ and the test
/// clients under tests/clients/) → its crate (or `--check` them all); with
/// `changelog`, the Markdown model diff from that older model is appended to
/// generated/CHANGELOG.md (a file without the generated header, so codegen
/// and `--check` leave it alone).
pub fn project(check: bool, changelog: Option<&Path>) -> ExitCode {
    let root = workspace_root();
    let mut ok = true;
    for job in &project::JOBS {
        let result = if check { check_job(&root, job) } else { write_job(&root, job) };
        match result {
            Ok(job_ok) => ok &= job_ok,
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
            }
        }
    }
    match (ok, changelog) {
        (false, _) => ExitCode::FAILURE,
        (true, Some(old)) if !check => append_changelog(&root, old),
        (true, _) => ExitCode::SUCCESS,
    }
}

/// Says whether the job's crate is up to date, naming every stale file.
fn check_job(root: &Path, job: &project::Job) -> Result<bool, project::Error> {
    let stale = job.check(root)?;
    if stale.is_empty() {
        println!("{}/ is up to date with {}", job.output, job.model);
    } else {
        eprintln!("{}", job.stale_message(&stale));
    }
    Ok(stale.is_empty())
}

/// Writes the job's stale files and says how its crate changed.
fn write_job(root: &Path, job: &project::Job) -> Result<bool, project::Error> {
    let out = root.join(job.output);
    let generated = job.generate(root)?;
    let stale = output::check_crate(&out, &generated).map_err(|e| project::Error::Write(out.clone(), e))?;
    // What the crate holds now, to say afterwards how it changed.
    let before = crate_summary::on_disk_before(&out, &stale).ok();
    let summary = output::write_stale(&out, &generated, stale).map_err(|e| project::Error::Write(out.clone(), e))?;
    report_left_out(&generated);
    println!("{}/: {summary}", job.output);
    if let Some(before) = before {
        println!("{}/: {}", job.output, crate_summary::summarize(&before, &generated));
    }
    Ok(true)
}

/// Appends the Markdown diff `old` → model/ivs-realtime.json to generated/CHANGELOG.md.
fn append_changelog(root: &Path, old: &Path) -> ExitCode {
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let texts = read(old).and_then(|old_text| read(&root.join(project::MODEL)).map(|new_text| (old_text, new_text)));
    let (old_text, new_text) = match texts {
        Ok(texts) => texts,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let report = match model_diff::diff_texts(&old.display().to_string(), &old_text, project::MODEL, &new_text) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = root.join(project::OUTPUT).join("CHANGELOG.md");
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Changelog\n\n".to_string());
    if !text.ends_with("\n\n") {
        text.push('\n');
    }
    text.push_str(&render_markdown::render(&report));
    match std::fs::write(&path, text) {
        Ok(()) => {
            println!("{}: appended {}", path.display(), render_markdown::summary_line(&report));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

/// How a crate generated with `--model` is versioned and names the runtime.
#[derive(Debug, Clone, clap::Args)]
pub struct PackageArgs {
    /// The crate's version.
    #[arg(long, default_value = "0.1.0", requires = "model")]
    pub crate_version: String,
    /// The runtime's path in Cargo.toml (default: this checkout's runtime/, absolute).
    #[arg(long, requires = "model", conflicts_with = "runtime_version_only")]
    pub runtime_path: Option<String>,
    /// The runtime version required.
    #[arg(long, default_value = smithy_codegen::emit::RUNTIME_VERSION, requires = "model")]
    pub runtime_version: String,
    /// Depend on the published runtime by version only (no path), as a crate to publish must.
    #[arg(long, requires = "model")]
    pub runtime_version_only: bool,
    /// `repository` in the crate's Cargo.toml.
    #[arg(long, requires = "model")]
    pub repository: Option<String>,
}

/// Any model → any directory; the crate points at this checkout's runtime/
/// unless `package` says otherwise.
pub fn external(
    model: &Path,
    out: &Path,
    crate_name: Option<String>,
    service: Option<String>,
    package: &PackageArgs,
    check: bool,
) -> ExitCode {
    let runtime = workspace_root().join("runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    let crate_name = crate_name.unwrap_or_else(|| {
        model.file_stem().map_or_else(|| "generated-client".to_string(), |s| s.to_string_lossy().replace(['_', '.'], "-"))
    });
    let runtime_path = package.runtime_path.clone().unwrap_or_else(|| runtime.to_string_lossy().into_owned());
    let options = CrateOptions {
        version: package.crate_version.clone(),
        runtime_path: (!package.runtime_version_only).then_some(runtime_path),
        runtime_version: Some(package.runtime_version.clone()),
        repository: package.repository.clone(),
        standalone: true,
        service,
        ..CrateOptions::new(crate_name, "", model.display().to_string())
    };
    let generated = match project::generate_file(model, &options) {
        Ok(generated) => generated,
        Err(e) => return fail(e),
    };
    report_left_out(&generated);
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

/// Model warnings, then what the crate leaves out, one line each on stderr.
fn report_left_out(generated: &smithy_codegen::GeneratedCrate) {
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    for item in &generated.left_out {
        eprintln!("warning: left out: {item}");
    }
}

fn fail(error: project::Error) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}
