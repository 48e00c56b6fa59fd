//! Model evolution for reviewers: what changed between two models, on which
//! side of which operation, how severe it is, and what it does to the
//! generated Rust API.
//!
//! Both models are lowered first (the same validation as codegen), so the
//! comparison works on the resolved [`crate::ir::Model`], never on raw JSON:
//! - [`changes`] pairs operations, shapes, members and enum values and lists
//!   every difference as a [`Change`];
//! - [`reach`] finds, for each shape, the operations whose request, response
//!   or errors carry it and by which path (`events[].errorCode`);
//! - [`severity`] grades each kind of change after the published smithy-diff
//!   rules; [`semver`] says what it does to the generated crate;
//! - [`render_markdown`] and [`render_json`] print the [`Report`];
//! - [`crate_summary`] counts the public items of a generated crate before
//!   and after regeneration (the one-line summary of `cargo xtask codegen`).

pub mod changes;
pub mod crate_summary;
pub mod reach;
pub mod render_json;
pub mod render_markdown;
pub mod semver;
pub mod severity;

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::ir::Model;

pub use semver::Bump;
pub use severity::Severity;

/// Which part of an operation's exchange carries a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The operation itself (its traits, its error list).
    Operation,
    Request,
    Response,
    Error,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Operation => "operation",
            Side::Request => "request",
            Side::Response => "response",
            Side::Error => "error",
        }
    }
}

/// One operation that carries a changed shape, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Reach {
    /// The operation's wire name, e.g. `ListParticipantEvents`.
    pub operation: String,
    pub side: Side,
    /// Member path from the request/response root (`events[].errorCode`);
    /// for errors it starts with the error's name; empty for the root itself.
    pub path: String,
}

/// One difference between the two models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What kind of change, e.g. `EnumValueAppended` (see [`changes::Kind`]).
    pub kind: changes::Kind,
    pub severity: Severity,
    /// The semver bump the generated crate needs for this change alone.
    pub semver: Bump,
    /// The shape id (or `shape$member`) the change is on.
    pub subject: String,
    /// The value the change is about (an enum value, an error name), when
    /// several changes of one kind on one subject read best as one list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A verb phrase for the per-operation lines, e.g. "`@range` min raised from 1 to 2";
    /// with a `value`, the values follow it, or replace its `{}`.
    pub summary: String,
    /// What it does to the generated Rust API.
    pub rust: String,
    /// Every operation that carries the subject, in either model.
    pub reach: Vec<Reach>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub changes: usize,
    pub note: usize,
    pub warning: usize,
    pub danger: usize,
    pub error: usize,
    /// Documentation-only differences (not counted in `changes`).
    pub documentation_only: usize,
    /// The bump the generated crate needs overall.
    pub semver: Bump,
}

/// Everything `cargo xtask diff` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub old: String,
    pub new: String,
    pub summary: Summary,
    /// Sorted by subject, then kind, then value.
    pub changes: Vec<Change>,
}

/// `summary` with the listed values after it, or in place of its `{}`.
pub fn phrase(summary: &str, values: &[&str]) -> String {
    let list = values.join(", ");
    if values.is_empty() {
        summary.to_string()
    } else if summary.contains("{}") {
        summary.replace("{}", &list)
    } else {
        format!("{summary} {list}")
    }
}

/// Compares two lowered models.
pub fn diff(old_name: &str, old: &Model, new_name: &str, new: &Model) -> Report {
    let found = changes::compare(old, new);
    let mut summary = Summary { changes: found.changes.len(), documentation_only: found.documentation_only, ..Summary::default() };
    for change in &found.changes {
        match change.severity {
            Severity::Note => summary.note += 1,
            Severity::Warning => summary.warning += 1,
            Severity::Danger => summary.danger += 1,
            Severity::Error => summary.error += 1,
        }
        summary.semver = summary.semver.max(change.semver);
    }
    if summary.documentation_only > 0 {
        summary.semver = summary.semver.max(Bump::Patch);
    }
    Report { old: old_name.to_string(), new: new_name.to_string(), summary, changes: found.changes }
}

/// Why two model texts could not be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError {
    /// Each file that has problems, with every problem it has.
    pub files: Vec<(String, Diagnostics)>,
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (file, diagnostics) in &self.files {
            write!(f, "{file}: {diagnostics}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DiffError {}

/// Lowers both model texts (validated as codegen validates them) and
/// compares them. Problems in either file are all reported, each under the
/// name of its file.
pub fn diff_texts(old_name: &str, old_text: &str, new_name: &str, new_text: &str) -> Result<Report, DiffError> {
    let old = crate::lower::lower(old_name, old_text);
    let new = crate::lower::lower(new_name, new_text);
    match (old, new) {
        (Ok(old), Ok(new)) => Ok(diff(old_name, &old, new_name, &new)),
        (old, new) => {
            let mut files = Vec::new();
            if let Err(e) = old {
                files.push((old_name.to_string(), e));
            }
            if let Err(e) = new {
                files.push((new_name.to_string(), e));
            }
            Err(DiffError { files })
        }
    }
}
