//! The report as Markdown, to paste into a pull request or a changelog:
//! a summary line, one section per operation (request, response and error
//! changes, boto3-changelog style paths), then the details per shape.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Bump, Change, Reach, Report, Severity, Side};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Model changes: `{}` → `{}`\n", report.old, report.new);
    let _ = writeln!(out, "{}\n", summary_line(report));
    if report.changes.is_empty() {
        return out;
    }
    out.push_str("### By operation\n\n");
    for (operation, lines) in operation_lines(&report.changes) {
        let _ = writeln!(out, "#### {operation}\n");
        for line in lines {
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
    out.push_str("### By shape\n\n");
    let mut by_subject: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in &report.changes {
        by_subject.entry(&change.subject).or_default().push(change);
    }
    for (subject, changes) in by_subject {
        let _ = writeln!(out, "#### `{subject}`\n");
        for change in &changes {
            let values: Vec<&str> = change.value.as_deref().into_iter().collect();
            let what = super::phrase(&change.summary, &values);
            let _ = writeln!(
                out,
                "- **{}** {what}. Rust: {} ({}).",
                change.severity.as_str(),
                change.rust,
                change.semver.as_str()
            );
        }
        let mut reach: Vec<&Reach> = changes.iter().flat_map(|c| c.reach.iter()).collect();
        reach.sort();
        reach.dedup();
        if reach.is_empty() {
            out.push_str("\nNo operation reaches it.\n\n");
        } else {
            let places: Vec<String> = reach.iter().map(|r| place(r)).collect();
            let _ = writeln!(out, "\nReached from: {}.\n", places.join("; "));
        }
    }
    out
}

/// "5 changes: 3 NOTE, 2 ERROR; 3 documentation-only changes; generated crate: minor".
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let mut text = format!("{} change{}", s.changes, if s.changes == 1 { "" } else { "s" });
    let counts: Vec<String> = [(s.note, Severity::Note), (s.warning, Severity::Warning), (s.danger, Severity::Danger), (s.error, Severity::Error)]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, sev)| format!("{n} {}", sev.as_str()))
        .collect();
    if !counts.is_empty() {
        text.push_str(": ");
        text.push_str(&counts.join(", "));
    }
    if s.documentation_only > 0 {
        let plural = if s.documentation_only == 1 { "" } else { "s" };
        let _ = write!(text, "; {} documentation-only change{plural}", s.documentation_only);
    }
    let _ = write!(text, "; generated crate: {}", s.semver.as_str());
    text
}

/// `` `ListParticipantEvents` response `events[].errorCode` ``.
fn place(reach: &Reach) -> String {
    let mut text = format!("`{}`", reach.operation);
    if reach.side != Side::Operation {
        let _ = write!(text, " {}", reach.side.as_str());
    }
    if !reach.path.is_empty() {
        let _ = write!(text, " `{}`", reach.path);
    }
    text
}

/// Lines per operation; changes of one kind at one place whose values form
/// a list ("gains `A`, `B`") share a line.
fn operation_lines(changes: &[Change]) -> BTreeMap<String, Vec<String>> {
    type Key<'a> = (Side, &'a str, super::changes::Kind, &'a str);
    type Line<'a> = (Vec<&'a str>, Severity, Bump);
    let mut grouped: BTreeMap<&str, BTreeMap<Key<'_>, Line<'_>>> = BTreeMap::new();
    for change in changes {
        for reach in &change.reach {
            let key = (reach.side, reach.path.as_str(), change.kind, change.summary.as_str());
            let entry = grouped.entry(reach.operation.as_str()).or_default().entry(key).or_insert((Vec::new(), change.severity, change.semver));
            if let Some(value) = &change.value {
                entry.0.push(value);
            }
            entry.1 = entry.1.max(change.severity);
            entry.2 = entry.2.max(change.semver);
        }
    }
    grouped
        .into_iter()
        .map(|(operation, entries)| {
            let lines = entries
                .into_iter()
                .map(|((side, path, _, summary), (mut values, severity, semver))| {
                    let at = place(&Reach { operation: operation.to_string(), side, path: path.to_string() });
                    values.sort();
                    values.dedup();
                    let what = if values.is_empty() { format!(": {summary}") } else { format!(" {}", super::phrase(summary, &values)) };
                    format!("{at}{what} — {}, {}", severity.as_str(), semver.as_str())
                })
                .collect();
            (operation.to_string(), lines)
        })
        .collect()
}
