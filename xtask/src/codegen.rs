//! `cargo xtask codegen`: a thin shell over `smithy_codegen::project` and
//! `smithy_codegen::output`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use smithy_codegen::model_diff::{self, crate_summary, render_markdown};
use smithy_codegen::{output, project, CrateOptions};

use crate::workspace_root;

/// Every job of `smithy_codegen::project::JOBS` (generated/ and the test
/// clients under tests/clients/) → its crate (or `--check` them all).
///
/// With `changelog` (an older model), the model diff from it decides the
/// version of generated/ first: its semver verdict bumps the version in
/// `model/ivs-realtime.version` (see `model_diff::semver::next_version`),
/// the crates are generated with it, and the Markdown diff is appended to
/// generated/CHANGELOG.md under the new version (a file without the
/// generated header, so codegen and `--check` leave it alone).
pub fn project(check: bool, changelog: Option<&Path>) -> ExitCode {
    let root = workspace_root();
    let release = match changelog.filter(|_| !check).map(|old| bump_version(&root, old)).transpose() {
        Ok(release) => release,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
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
    match (ok, release) {
        (false, _) => ExitCode::FAILURE,
        (true, Some(release)) => append_changelog(&root, &release),
        (true, None) => ExitCode::SUCCESS,
    }
}

/// A model change and the version it gives generated/.
struct Release {
    report: model_diff::Report,
    version: String,
}

/// Diffs `old` against model/ivs-realtime.json and writes the version its
/// verdict calls for to the IVS job's version file.
fn bump_version(root: &Path, old: &Path) -> Result<Release, String> {
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let (old_text, new_text) = (read(old)?, read(&root.join(project::MODEL))?);
    let report = model_diff::diff_texts(&old.display().to_string(), &old_text, project::MODEL, &new_text)
        .map_err(|e| e.to_string())?;
    let job = &project::IVS_REALTIME;
    let current = job.version(root).map_err(|e| e.to_string())?;
    let version = model_diff::semver::next_version(&current, report.summary.semver)?;
    let file = root.join(job.version_file());
    std::fs::write(&file, format!("{version}\n")).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    println!(
        "{}: {current} → {version} ({} change by the model diff)",
        job.version_file(),
        report.summary.semver.as_str()
    );
    Ok(Release { report, version })
}

/// Appends the release's Markdown diff to generated/CHANGELOG.md under its version.
fn append_changelog(root: &Path, release: &Release) -> ExitCode {
    let path = root.join(project::OUTPUT).join("CHANGELOG.md");
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Changelog\n\n".to_string());
    if !text.ends_with("\n\n") {
        text.push('\n');
    }
    text.push_str(&format!("## {}\n\n", release.version));
    text.push_str(&render_markdown::render(&release.report));
    match std::fs::write(&path, text) {
        Ok(()) => {
            println!("{}: appended {}", path.display(), render_markdown::summary_line(&release.report));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
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
    // Into a new directory, each file is written as soon as it is formatted.
    let new_dir = if check { None } else { output::NewDirWriter::new(out) };
    let generated = match &new_dir {
        Some(writer) => project::generate_file_with(model, &options, &|path, text| writer.write(path, text)),
        None => project::generate_file(model, &options),
    };
    let generated = match generated {
        Ok(generated) => generated,
        Err(e) => {
            if let Some(Err(cleanup)) = new_dir.map(output::NewDirWriter::abandon) {
                eprintln!("error: cannot remove {}: {cleanup}", out.display());
            }
            return fail(e);
        }
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
        let written = match new_dir {
            Some(writer) => writer.finish(&generated),
            None => output::write_crate(out, &generated),
        };
        written.map(|summary| {
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
