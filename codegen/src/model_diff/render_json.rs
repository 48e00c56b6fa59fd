//! The report as JSON: the same data as the Markdown, fields in a fixed order
//! (the order of the Rust structs), changes sorted by subject, kind and value.

use super::Report;

pub fn render(report: &Report) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // The report holds only strings, numbers and enums, which always serialize.
        Err(e) => unreachable!("a diff report always serializes: {e}"),
    }
}
