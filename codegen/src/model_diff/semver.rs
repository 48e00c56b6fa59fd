//! What a change does to the generated crate's public Rust API, by this
//! generator's rules:
//! - structures, unions, enums and operation error enums are
//!   `#[non_exhaustive]`, so a new field, variant or error is **minor**;
//! - every member of an operation input is an `Option`, and output or shared
//!   members are plain values when required or defaulted; a change that turns
//!   `Option<T>` into `T` (or back), or changes `T`, is **major**;
//! - a removed operation, type, field or variant, or a renamed one, is **major**;
//! - a member a request must now carry (a new required input member, or
//!   `@required` added to one) is **major**: the API compiles as before, but
//!   a call that does not set it now fails in `build()`;
//! - constraints are documented, not enforced; bindings, wire names, formats,
//!   redaction and endpoint rules are behaviour behind an unchanged API:
//!   **patch**; documentation only: **patch**.

use serde::Serialize;

use super::changes::Kind;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    #[default]
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The version after `current` for a change of size `bump`. From 1.0 on,
/// as semver says (major → `x+1.0.0`, minor → `x.y+1.0`, patch → `x.y.z+1`);
/// before 1.0, as Cargo reads `0.y.z`: a breaking (major) change bumps `y`
/// (`0.y+1.0`), anything else bumps `z`. No change keeps the version.
pub fn next_version(current: &str, bump: Bump) -> Result<String, String> {
    let parts: Vec<u64> = current
        .trim()
        .split('.')
        .map(|part| part.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{current}` is not a version of the form MAJOR.MINOR.PATCH"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("`{current}` is not a version of the form MAJOR.MINOR.PATCH"));
    };
    let next = match (bump, major) {
        (Bump::None, _) => (major, minor, patch),
        (Bump::Major, 0) => (0, minor + 1, 0),
        (Bump::Minor | Bump::Patch, 0) => (0, minor, patch + 1),
        (Bump::Major, _) => (major + 1, 0, 0),
        (Bump::Minor, _) => (major, minor + 1, 0),
        (Bump::Patch, _) => (major, minor, patch + 1),
    };
    Ok(format!("{}.{}.{}", next.0, next.1, next.2))
}

/// The bump for one change that reaches a request (`in_request`): a
/// member callers must now set is major ([`bump`] otherwise).
pub fn bump_for(kind: Kind, type_changed: bool, named: bool, in_request: bool) -> Bump {
    let api = bump(kind, type_changed, named);
    match kind {
        Kind::RequiredAdded | Kind::RequiredMemberAdded if in_request => Bump::Major,
        _ => api,
    }
}

/// The bump for one change. `type_changed` says whether a Rust field type
/// changed (`Option<T>` ↔ `T`, or `T` itself); `named` whether the shape
/// has a Rust type of its own (simple shapes map to std types).
pub fn bump(kind: Kind, type_changed: bool, named: bool) -> Bump {
    use Kind::*;
    match kind {
        OperationAdded | OperationErrorAdded | PaginatedAdded => Bump::Minor,
        OperationRemoved | OperationErrorRemoved | PaginatedRemoved => Bump::Major,
        ShapeAdded if named => Bump::Minor,
        ShapeRemoved | ShapeTypeChanged if named => Bump::Major,
        ShapeAdded | ShapeRemoved => Bump::Patch,
        MemberAdded | RequiredMemberAdded | EnumValueAppended | EnumValueInserted => Bump::Minor,
        MemberRemoved | MemberRenamed | EnumValueRemoved | EnumNameChanged => Bump::Major,
        _ if type_changed => Bump::Major,
        _ => Bump::Patch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_the_verdict_with_cargos_pre_1_0_rules() {
        let next = |v: &str, b| next_version(v, b).expect("valid");
        assert_eq!(next("0.1.0", Bump::Major), "0.2.0");
        assert_eq!(next("0.1.3", Bump::Minor), "0.1.4");
        assert_eq!(next("0.1.3", Bump::Patch), "0.1.4");
        assert_eq!(next("0.1.3", Bump::None), "0.1.3");
        assert_eq!(next("1.4.2", Bump::Major), "2.0.0");
        assert_eq!(next("1.4.2", Bump::Minor), "1.5.0");
        assert_eq!(next("1.4.2", Bump::Patch), "1.4.3");
        assert!(next_version("1.4", Bump::Patch).is_err());
        assert!(next_version("1.x.0", Bump::Patch).is_err());
    }

    #[test]
    fn generator_rules() {
        assert_eq!(bump(Kind::EnumValueAppended, false, true), Bump::Minor);
        assert_eq!(bump(Kind::RequiredAdded, true, false), Bump::Major, "Option<T> became T");
        assert_eq!(bump(Kind::RequiredAdded, false, false), Bump::Patch, "inputs stay Option");
        assert_eq!(bump_for(Kind::RequiredAdded, false, false, true), Bump::Major, "callers must now set it");
        assert_eq!(bump_for(Kind::RequiredMemberAdded, false, false, true), Bump::Major);
        assert_eq!(bump_for(Kind::RequiredMemberAdded, false, false, false), Bump::Minor, "a response member");
        assert_eq!(bump(Kind::OperationRemoved, false, false), Bump::Major);
        assert_eq!(bump(Kind::RangeTightened, false, false), Bump::Patch);
        assert_eq!(bump(Kind::ShapeAdded, false, false), Bump::Patch);
    }
}
