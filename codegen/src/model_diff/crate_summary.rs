//! How a regeneration changes the generated crate: files added, removed and
//! changed, and public items (lines starting with `pub`, keyed by file,
//! item kind and name) added, removed and changed. A rough but honest
//! measure for the one-line summary of `cargo xtask codegen`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::emit::GeneratedCrate;
use crate::output::Staleness;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CrateChange {
    pub files_added: usize,
    pub files_removed: usize,
    pub files_changed: usize,
    pub items_added: usize,
    pub items_removed: usize,
    pub items_changed: usize,
}

impl std::fmt::Display for CrateChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "files: {} added, {} removed, {} changed; public items: {} added, {} removed, {} changed",
            self.files_added, self.files_removed, self.files_changed, self.items_added, self.items_removed, self.items_changed
        )
    }
}

/// What the generated files on disk in `dir` are now, for every file that
/// a write will change (`stale`, from [`crate::output::check_crate`]): the old text
/// of changed and no-longer-produced files (`None` for new files).
pub fn on_disk_before(dir: &Path, stale: &[Staleness]) -> std::io::Result<BTreeMap<String, Option<String>>> {
    let mut before = BTreeMap::new();
    for item in stale {
        match item {
            Staleness::Missing(path) => {
                before.insert(path.clone(), None);
            }
            Staleness::Differs(path) | Staleness::Extra(path) => {
                let text = std::fs::read_to_string(dir.join(path))?;
                before.insert(path.clone(), Some(text));
            }
        }
    }
    Ok(before)
}

/// Compares the old text of the files that change with what `generated` holds.
pub fn summarize(before: &BTreeMap<String, Option<String>>, generated: &GeneratedCrate) -> CrateChange {
    let mut change = CrateChange::default();
    for (path, old) in before {
        let new = generated.files.get(path);
        match (old, new) {
            (None, Some(_)) => change.files_added += 1,
            (Some(_), None) => change.files_removed += 1,
            (Some(_), Some(_)) => change.files_changed += 1,
            (None, None) => {}
        }
        let old_items = public_items(old.as_deref().unwrap_or(""));
        let new_items = public_items(new.map_or("", String::as_str));
        let keys: std::collections::BTreeSet<&String> = old_items.keys().chain(new_items.keys()).collect();
        for key in keys {
            let mut old_lines = old_items.get(key).cloned().unwrap_or_default();
            let mut new_lines = new_items.get(key).cloned().unwrap_or_default();
            // Lines present on both sides are unchanged.
            old_lines.retain(|line| match new_lines.iter().position(|l| l == line) {
                Some(i) => {
                    new_lines.remove(i);
                    false
                }
                None => true,
            });
            let changed = old_lines.len().min(new_lines.len());
            change.items_changed += changed;
            change.items_removed += old_lines.len() - changed;
            change.items_added += new_lines.len() - changed;
        }
    }
    change
}

/// What two generations of a crate differ by in their public Rust API, by
/// its `pub` lines (the same measure as [`summarize`]): an item removed or
/// changed (same kind and name, another line: a field's type, a function's
/// signature) is major, an item added is minor, and identical `pub` lines
/// leave a patch at most. Item names, with their file, say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    pub bump: super::semver::Bump,
    pub reasons: Vec<String>,
}

/// Compares the public items of two generations (see [`ApiChange`]).
pub fn api_change(old: &GeneratedCrate, new: &GeneratedCrate) -> ApiChange {
    use super::semver::Bump;
    let mut bump = Bump::Patch;
    let mut reasons = Vec::new();
    let paths: std::collections::BTreeSet<&String> =
        old.files.keys().chain(new.files.keys()).filter(|p| p.ends_with(".rs")).collect();
    for path in paths {
        let old_items = public_items(old.files.get(path).map_or("", String::as_str));
        let new_items = public_items(new.files.get(path).map_or("", String::as_str));
        let keys: std::collections::BTreeSet<&String> = old_items.keys().chain(new_items.keys()).collect();
        for key in keys {
            let (before, after) = (old_items.get(key), new_items.get(key));
            let (found, what) = match (before, after) {
                (Some(_), None) => (Bump::Major, "removed"),
                (None, Some(_)) => (Bump::Minor, "added"),
                (Some(a), Some(b)) if a != b => (Bump::Major, "changed"),
                _ => continue,
            };
            if found >= Bump::Minor {
                reasons.push(format!("{what}: `{key}` in {path}"));
            }
            bump = bump.max(found);
        }
    }
    ApiChange { bump, reasons }
}

/// `pub` lines of a file by kind and name (`fn width`, `struct Video`,
/// `field width`), each with its full text.
fn public_items(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut items: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("pub ") else { continue };
        let mut words = rest.split(|c: char| c.is_whitespace() || "(<:{;=".contains(c)).filter(|w| !w.is_empty());
        let key = match words.next() {
            Some(kind @ ("fn" | "struct" | "enum" | "mod" | "type" | "const" | "static" | "trait" | "use" | "union")) => {
                format!("{kind} {}", words.next().unwrap_or(""))
            }
            Some("async") => format!("fn {}", words.nth(1).unwrap_or("")),
            Some(name) => format!("field {name}"),
            None => continue,
        };
        items.entry(key).or_default().push(line.to_string());
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_of(files: &[(&str, &str)]) -> GeneratedCrate {
        GeneratedCrate {
            files: files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect(),
            left_out: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn api_change_is_major_for_removed_or_changed_items_and_minor_for_added_ones() {
        use crate::model_diff::semver::Bump;
        let base = crate_of(&[("src/a.rs", "pub struct A;\npub width: i32,\n")]);
        let added = crate_of(&[("src/a.rs", "pub struct A;\npub width: i32,\n"), ("src/b.rs", "pub fn b() {}\n")]);
        let changed = crate_of(&[("src/a.rs", "pub struct A;\npub width: Option<i32>,\n")]);
        let removed = crate_of(&[("src/a.rs", "pub width: i32,\n")]);
        assert_eq!(api_change(&base, &base).bump, Bump::Patch);
        assert_eq!(api_change(&base, &added).bump, Bump::Minor);
        let change = api_change(&base, &changed);
        assert_eq!((change.bump, change.reasons), (Bump::Major, vec!["changed: `field width` in src/a.rs".to_string()]));
        assert_eq!(api_change(&base, &removed).bump, Bump::Major);
    }

    #[test]
    fn counts_public_items_per_file() {
        let generated = GeneratedCrate {
            files: [
                ("src/a.rs".to_string(), "pub struct A;\npub fn f(x: i32) {}\npub fn g() {}\n".to_string()),
                ("src/new.rs".to_string(), "pub enum N {}\n".to_string()),
            ]
            .into_iter()
            .collect(),
            left_out: Vec::new(),
            warnings: Vec::new(),
        };
        let before: BTreeMap<String, Option<String>> = [
            ("src/a.rs".to_string(), Some("pub struct A;\npub fn f() {}\npub fn h() {}\n".to_string())),
            ("src/new.rs".to_string(), None),
            ("src/gone.rs".to_string(), Some("pub mod gone;\n".to_string())),
        ]
        .into_iter()
        .collect();
        let change = summarize(&before, &generated);
        assert_eq!(
            change,
            CrateChange { files_added: 1, files_removed: 1, files_changed: 1, items_added: 2, items_removed: 2, items_changed: 1 }
        );
        assert_eq!(change.to_string(), "files: 1 added, 1 removed, 1 changed; public items: 2 added, 2 removed, 1 changed");
    }
}
