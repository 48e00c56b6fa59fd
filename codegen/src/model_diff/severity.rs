//! Severities after the published smithy-diff rules.
//!
//! smithy-diff grades each difference NOTE, WARNING, DANGER or ERROR. The
//! rules followed here, by kind (see [`Kind`]):
//! - a new operation, shape or optional member is a NOTE; removing one is an
//!   ERROR (a removed operation error is a WARNING, as is a new one);
//! - enum values: appended NOTE; inserted before the end of the existing
//!   values, removed, or renamed ERROR;
//! - `@range`/`@length`: a raised `min` or lowered `max` is an ERROR; a
//!   looser bound is reported as a NOTE; adding the trait is a NOTE and
//!   removing it a WARNING (the defaults for traits without diff rules);
//! - nullability: `@required` added (unless `@clientOptional`), `@default`
//!   added (unless `@required` was removed at the same time) or removed,
//!   `@clientOptional` added to a required member: ERROR; `@required`
//!   removed without a default: ERROR, or WARNING when the member targets a
//!   structure or union; a changed default value: DANGER;
//! - traits smithy-diff treats as constant (`@jsonName`, `@timestampFormat`,
//!   every `@http*` member binding, `@hostLabel`, `@error`, `@httpError`,
//!   `@streaming`, `@sparse`, `@endpoint`): any change is an ERROR;
//!   `@idempotencyToken` and `@paginated` removed: ERROR; a paginated token
//!   or items member changed: ERROR;
//! - traits without diff rules (`@sensitive`, `@pattern`, endpoint rules):
//!   added or changed NOTE, removed WARNING;
//! - member order changed: DANGER; member or shape type changed: ERROR.
//!
//! A renamed member is, for smithy-diff, a removed member and an added one;
//! it is graded as the removal (ERROR).

use serde::Serialize;

use super::changes::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    Note,
    Warning,
    Danger,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "NOTE",
            Severity::Warning => "WARNING",
            Severity::Danger => "DANGER",
            Severity::Error => "ERROR",
        }
    }
}

/// Facts about the changed member that some rules look at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// The member is `@required` (in the new model, or the old one for removals).
    pub required: bool,
    /// The member targets a structure or union.
    pub targets_aggregate: bool,
    /// `@required` was removed in the same change (for `@default` added).
    pub required_removed: bool,
}

pub fn grade(kind: Kind, ctx: Context) -> Severity {
    use Kind::*;
    use Severity::*;
    match kind {
        OperationAdded | ShapeAdded | MemberAdded | EnumValueAppended => Note,
        OperationRemoved | ShapeRemoved | MemberRemoved | MemberRenamed => Error,
        OperationErrorAdded | OperationErrorRemoved => Warning,
        ShapeTypeChanged | MemberTargetChanged => Error,
        MemberOrderChanged => Danger,
        RequiredMemberAdded => Error,
        EnumValueInserted | EnumValueRemoved | EnumNameChanged | EnumValueChanged => Error,
        RangeTightened | LengthTightened => Error,
        RangeLoosened | LengthLoosened | RangeAdded | LengthAdded => Note,
        RangeRemoved | LengthRemoved => Warning,
        RequiredAdded => Error,
        RequiredRemoved if ctx.targets_aggregate => Warning,
        RequiredRemoved => Error,
        DefaultAdded if ctx.required_removed => Note,
        DefaultAdded | DefaultRemoved => Error,
        DefaultChanged => Danger,
        ClientOptionalAdded | ClientOptionalRemoved if ctx.required => Error,
        ClientOptionalAdded | ClientOptionalRemoved => Note,
        HttpBindingChanged | JsonNameChanged | TimestampFormatChanged | HostLabelChanged => Error,
        ErrorTraitChanged | HttpErrorChanged | StreamingChanged | SparseChanged => Error,
        OperationHttpChanged | OperationHostPrefixChanged => Error,
        IdempotencyTokenRemoved | PaginatedRemoved | PaginatedChanged => Error,
        IdempotencyTokenAdded | PaginatedAdded => Note,
        PatternAdded | PatternChanged | SensitiveAdded | EndpointRulesChanged => Note,
        PatternRemoved | SensitiveRemoved => Warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_that_depend_on_the_member() {
        let aggregate = Context { targets_aggregate: true, ..Context::default() };
        assert_eq!(grade(Kind::RequiredRemoved, aggregate), Severity::Warning);
        assert_eq!(grade(Kind::RequiredRemoved, Context::default()), Severity::Error);
        let swap = Context { required_removed: true, ..Context::default() };
        assert_eq!(grade(Kind::DefaultAdded, swap), Severity::Note);
        assert_eq!(grade(Kind::DefaultAdded, Context::default()), Severity::Error);
        assert_eq!(grade(Kind::ClientOptionalAdded, Context { required: true, ..Context::default() }), Severity::Error);
        assert!(Severity::Error > Severity::Danger && Severity::Danger > Severity::Warning);
    }
}
