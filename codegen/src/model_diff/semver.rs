//! What a change does to the generated crate's public Rust API, by this
//! generator's rules:
//! - structures, unions, enums and operation error enums are
//!   `#[non_exhaustive]`, so a new field, variant or error is **minor**;
//! - every member of an operation input is an `Option`, and output or shared
//!   members are plain values when required or defaulted; a change that turns
//!   `Option<T>` into `T` (or back), or changes `T`, is **major**;
//! - a removed operation, type, field or variant, or a renamed one, is **major**;
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
    fn generator_rules() {
        assert_eq!(bump(Kind::EnumValueAppended, false, true), Bump::Minor);
        assert_eq!(bump(Kind::RequiredAdded, true, false), Bump::Major, "Option<T> became T");
        assert_eq!(bump(Kind::RequiredAdded, false, false), Bump::Patch, "inputs stay Option");
        assert_eq!(bump(Kind::OperationRemoved, false, false), Bump::Major);
        assert_eq!(bump(Kind::RangeTightened, false, false), Bump::Patch);
        assert_eq!(bump(Kind::ShapeAdded, false, false), Bump::Patch);
    }
}
