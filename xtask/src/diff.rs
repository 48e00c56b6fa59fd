//! `cargo xtask diff`: a thin shell over `smithy_codegen::model_diff`.

use std::path::Path;
use std::process::{Command, ExitCode};

use smithy_codegen::model_diff::{self, render_json, render_markdown, Report};
use smithy_codegen::project;

use crate::workspace_root;

/// Output format of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

/// Where the old model comes from.
pub enum Old<'a> {
    File(&'a Path),
    /// `model/ivs-realtime.json` at a git revision.
    Git(&'a str),
}

/// A model's name for reports and its text.
pub struct Named {
    pub name: String,
    pub text: String,
}

/// The old model (a file or `model/ivs-realtime.json` at a revision) and
/// the new one (a file, default `model/ivs-realtime.json`).
pub fn load(old: Old<'_>, new: Option<&Path>) -> Result<(Named, Named), String> {
    let root = workspace_root();
    let old = match old {
        Old::File(path) => Named { name: path.display().to_string(), text: read(path)? },
        Old::Git(rev) => Named { name: format!("{rev}:{}", project::MODEL), text: git_show(&root, rev, project::MODEL)? },
    };
    let new_path = new.map_or_else(|| root.join(project::MODEL), Path::to_path_buf);
    let new = Named {
        name: new.map_or_else(|| project::MODEL.to_string(), |p| p.display().to_string()),
        text: read(&new_path)?,
    };
    Ok((old, new))
}

pub fn run(old: Old<'_>, new: Option<&Path>, format: Format) -> ExitCode {
    let (old, new) = match load(old, new) {
        Ok(models) => models,
        Err(message) => return fail(&message),
    };
    match model_diff::diff_texts(&old.name, &old.text, &new.name, &new.text) {
        Ok(report) => {
            print!("{}", render(&report, format));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Markdown => render_markdown::render(report),
        Format::Json => render_json::render(report),
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// `git show REV:PATH` in the checkout.
fn git_show(root: &Path, rev: &str, path: &str) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!("git show {rev}:{path} failed: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("{rev}:{path} is not UTF-8"))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
