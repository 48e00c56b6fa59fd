//! Pairs the two lowered models and lists every difference.
//!
//! Operations are paired by shape id, and each operation's input and output
//! structures with each other (their ids may differ after lowering gave an
//! operation its own input); shared shapes and errors are paired by id,
//! members by name, enum values by wire value (intEnum values by name).
//!
//! **Renamed member heuristic:** a member that disappears and a member that
//! appears in the same structure count as one rename when they have the same
//! target and the same position (index in the member list); anything else is
//! a removal and an addition.
//!
//! Documentation differences (service, operations, shapes, members, enum
//! values) are only counted.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::reach::ReachIndex;
use super::semver::bump_for;
use super::severity::{grade, Context};
use super::{Change, Reach, Side};
use crate::ir::{local_name, Constraints, EnumValue, HttpBinding, IntEnumValue, Member, Model, Operation, Role, Shape, ShapeKind};
use crate::symbols::Symbols;

/// Every kind of change reported; the name is the change's id in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    OperationErrorAdded,
    OperationErrorRemoved,
    OperationHttpChanged,
    OperationHostPrefixChanged,
    PaginatedAdded,
    PaginatedRemoved,
    PaginatedChanged,
    ShapeAdded,
    ShapeRemoved,
    ShapeTypeChanged,
    MemberAdded,
    RequiredMemberAdded,
    MemberRemoved,
    MemberRenamed,
    MemberTargetChanged,
    MemberOrderChanged,
    EnumValueAppended,
    EnumValueInserted,
    EnumValueRemoved,
    EnumNameChanged,
    EnumValueChanged,
    RequiredAdded,
    RequiredRemoved,
    DefaultAdded,
    DefaultRemoved,
    DefaultChanged,
    ClientOptionalAdded,
    ClientOptionalRemoved,
    RangeTightened,
    RangeLoosened,
    RangeAdded,
    RangeRemoved,
    LengthTightened,
    LengthLoosened,
    LengthAdded,
    LengthRemoved,
    PatternAdded,
    PatternRemoved,
    PatternChanged,
    SensitiveAdded,
    SensitiveRemoved,
    HttpBindingChanged,
    JsonNameChanged,
    TimestampFormatChanged,
    IdempotencyTokenAdded,
    IdempotencyTokenRemoved,
    HostLabelChanged,
    ErrorTraitChanged,
    HttpErrorChanged,
    StreamingChanged,
    SparseChanged,
    EndpointRulesChanged,
}

/// The differences found, before counting.
#[derive(Debug, Default)]
pub struct Found {
    pub changes: Vec<Change>,
    pub documentation_only: usize,
}

pub fn compare(old: &Model, new: &Model) -> Found {
    let mut c = Comparer {
        old,
        new,
        old_reach: ReachIndex::build(old),
        new_reach: ReachIndex::build(new),
        old_symbols: Symbols::new(old),
        new_symbols: Symbols::new(new),
        found: Found::default(),
    };
    c.service();
    c.operations();
    c.shapes();
    let mut found = c.found;
    found.changes.sort_by(|a, b| (&a.subject, a.kind, &a.value).cmp(&(&b.subject, b.kind, &b.value)));
    found
}

/// A change being put together.
struct Draft {
    kind: Kind,
    subject: String,
    value: Option<String>,
    summary: String,
    rust: String,
    reach: Vec<Reach>,
    context: Context,
    type_changed: bool,
    named: bool,
}

impl Draft {
    fn new(kind: Kind, subject: &str, reach: &[Reach], summary: impl Into<String>, rust: impl Into<String>) -> Self {
        Draft {
            kind,
            subject: subject.to_string(),
            value: None,
            summary: summary.into(),
            rust: rust.into(),
            reach: reach.to_vec(),
            context: Context::default(),
            type_changed: false,
            named: false,
        }
    }

    fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

struct Comparer<'m> {
    old: &'m Model,
    new: &'m Model,
    old_reach: ReachIndex,
    new_reach: ReachIndex,
    old_symbols: Symbols<'m>,
    new_symbols: Symbols<'m>,
    found: Found,
}

impl Comparer<'_> {
    fn push(&mut self, d: Draft) {
        self.found.changes.push(Change {
            kind: d.kind,
            severity: grade(d.kind, d.context),
            semver: bump_for(d.kind, d.type_changed, d.named, d.reach.iter().any(|r| r.side == super::Side::Request)),
            subject: d.subject,
            value: d.value,
            summary: d.summary,
            rust: d.rust,
            reach: d.reach,
        });
    }

    fn docs(&mut self, old: &Option<String>, new: &Option<String>) {
        if old != new {
            self.found.documentation_only += 1;
        }
    }

    fn service(&mut self) {
        let (o, n) = (&self.old.service, &self.new.service);
        self.docs(&o.docs, &n.docs);
        if o.endpoint_rule_set != n.endpoint_rule_set {
            self.push(Draft::new(
                Kind::EndpointRulesChanged,
                &n.id,
                &[],
                "endpoint rules changed",
                "the embedded rule set changes; the API does not",
            ));
        }
    }

    fn operations(&mut self) {
        let old_ops: BTreeMap<&str, &Operation> = self.old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
        let new_ops: BTreeMap<&str, &Operation> = self.new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
        for (id, op) in &old_ops {
            if !new_ops.contains_key(id) {
                let reach = [Reach { operation: op.name.clone(), side: Side::Operation, path: String::new() }];
                let rust = format!("`Client::{}` and module `operation::{}` removed", crate::naming::client_method(op), op.rust_module);
                self.push(Draft::new(Kind::OperationRemoved, id, &reach, "removed", rust));
            }
        }
        for (id, op) in &new_ops {
            let reach = [Reach { operation: op.name.clone(), side: Side::Operation, path: String::new() }];
            match old_ops.get(id) {
                None => {
                    let rust = format!("new method `Client::{}` and module `operation::{}`", crate::naming::client_method(op), op.rust_module);
                    self.push(Draft::new(Kind::OperationAdded, id, &reach, "added", rust));
                }
                Some(old) => self.operation(old, op, &reach),
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation, reach: &[Reach]) {
        self.docs(&o.docs, &n.docs);
        let old_errors: BTreeSet<&String> = o.errors.iter().collect();
        let new_errors: BTreeSet<&String> = n.errors.iter().collect();
        for error in old_errors.difference(&new_errors) {
            let rust = format!("variant `{}::{}` removed", o.rust_error_name, self.old.shape(error).rust_name);
            self.push(Draft::new(Kind::OperationErrorRemoved, &n.id, reach, "no longer returns", rust).value(local_name(error)));
        }
        for error in new_errors.difference(&old_errors) {
            let rust = format!("new variant `{}::{}` (the enum is `#[non_exhaustive]`)", n.rust_error_name, self.new.shape(error).rust_name);
            self.push(Draft::new(Kind::OperationErrorAdded, &n.id, reach, "can return", rust).value(local_name(error)));
        }
        if o.http != n.http {
            let show = |h: &Option<crate::traits::Http>| {
                h.as_ref().map_or_else(|| "none".to_string(), |h| format!("{} {} ({})", h.method, h.uri, h.code))
            };
            let summary = format!("`@http` changed from `{}` to `{}`", show(&o.http), show(&n.http));
            self.push(Draft::new(Kind::OperationHttpChanged, &n.id, reach, summary, "request building changes; the API does not"));
        }
        if o.host_prefix != n.host_prefix {
            let summary = format!("`@endpoint` host prefix changed from {:?} to {:?}", o.host_prefix, n.host_prefix);
            self.push(Draft::new(Kind::OperationHostPrefixChanged, &n.id, reach, summary, "endpoint resolution changes; the API does not"));
        }
        match (&o.paginated, &n.paginated) {
            (None, Some(_)) => {
                self.push(Draft::new(Kind::PaginatedAdded, &n.id, reach, "becomes `@paginated`", "new paginator"));
            }
            (Some(_), None) => {
                self.push(Draft::new(Kind::PaginatedRemoved, &n.id, reach, "is no longer `@paginated`", "paginator removed"));
            }
            (Some(a), Some(b)) if a != b => {
                let summary = format!("`@paginated` changed from {a:?} to {b:?}");
                self.push(Draft::new(Kind::PaginatedChanged, &n.id, reach, summary, "paginator behaviour changes"));
            }
            _ => {}
        }
        self.shape_pair(self.old.shape(&o.input), self.new.shape(&n.input));
        self.shape_pair(self.old.shape(&o.output), self.new.shape(&n.output));
    }

    fn shapes(&mut self) {
        let shared = |s: &Shape| matches!(s.role, Role::Data | Role::Error(_));
        let ids: BTreeSet<&String> =
            self.old.shapes.iter().chain(self.new.shapes.iter()).filter(|(_, s)| shared(s)).map(|(id, _)| id).collect();
        for id in ids {
            match (self.old.shapes.get(id).filter(|s| shared(s)), self.new.shapes.get(id).filter(|s| shared(s))) {
                (Some(o), Some(n)) => self.shape_pair(o, n),
                (Some(o), None) => {
                    let named = !o.rust_name.is_empty();
                    let rust = if named { format!("type `{}` removed", self.type_name(o, false)) } else { "no Rust item of its own".into() };
                    let reach = self.old_reach.of_shape(id);
                    let d = Draft { named, ..Draft::new(Kind::ShapeRemoved, id, &reach, "removed", rust) };
                    self.push(d);
                }
                (None, Some(n)) => {
                    let named = !n.rust_name.is_empty();
                    let rust = if named { format!("new type `{}`", self.type_name(n, true)) } else { "no Rust item of its own".into() };
                    let reach = self.new_reach.of_shape(id);
                    let d = Draft { named, ..Draft::new(Kind::ShapeAdded, id, &reach, "added", rust) };
                    self.push(d);
                }
                (None, None) => {}
            }
        }
    }

    /// `types::Stage`, `error::ValidationException`, `operation::create_stage::CreateStageInput`.
    fn type_name(&self, shape: &Shape, in_new: bool) -> String {
        let symbols = if in_new { &self.new_symbols } else { &self.old_symbols };
        short_type(&symbols.type_path(shape).to_string())
    }

    fn shape_reach(&self, o: &Shape, n: &Shape) -> Vec<Reach> {
        merge(self.new_reach.of_shape(&n.id), self.old_reach.of_shape(&o.id))
    }

    fn shape_pair(&mut self, o: &Shape, n: &Shape) {
        self.docs(&o.docs, &n.docs);
        let reach = self.shape_reach(o, n);
        let subject = n.id.as_str();
        if kind_name(&o.kind) != kind_name(&n.kind) {
            let summary = format!("type changed from {} to {}", kind_name(&o.kind), kind_name(&n.kind));
            let d = Draft { named: true, ..Draft::new(Kind::ShapeTypeChanged, subject, &reach, summary, "the Rust type changes") };
            self.push(d);
            return;
        }
        let fault = |s: &Shape| match s.role {
            Role::Error(fault) => Some(fault),
            _ => None,
        };
        if fault(o) != fault(n) {
            let summary = format!("`@error` changed from {:?} to {:?}", fault(o), fault(n));
            self.push(Draft::new(Kind::ErrorTraitChanged, subject, &reach, summary, "error classification changes"));
        }
        if o.http_error != n.http_error {
            let summary = format!("`@httpError` changed from {:?} to {:?}", o.http_error, n.http_error);
            self.push(Draft::new(Kind::HttpErrorChanged, subject, &reach, summary, "error parsing changes; the API does not"));
        }
        if o.streaming != n.streaming {
            let summary = format!("`@streaming` {}", if n.streaming { "added" } else { "removed" });
            self.push(Draft::new(Kind::StreamingChanged, subject, &reach, summary, "how the value is sent or read changes"));
        }
        self.sensitive(subject, &reach, o.sensitive, n.sensitive);
        self.timestamp_format(subject, &reach, o.timestamp_format, n.timestamp_format);
        self.constraints(subject, &reach, &o.constraints, &n.constraints);
        match (&o.kind, &n.kind) {
            (ShapeKind::Structure(om), ShapeKind::Structure(nm)) | (ShapeKind::Union(om), ShapeKind::Union(nm)) => {
                self.members(o, n, om, nm);
            }
            (ShapeKind::Enum(ov), ShapeKind::Enum(nv)) => self.enum_values(n, &reach, ov, nv),
            (ShapeKind::IntEnum(ov), ShapeKind::IntEnum(nv)) => self.int_enum_values(n, &reach, ov, nv),
            (ShapeKind::List { member: om, sparse: os }, ShapeKind::List { member: nm, sparse: ns }) => {
                self.sparse(subject, &reach, *os, *ns);
                self.member_pair(o, n, om, nm);
            }
            (ShapeKind::Map { key: ok, value: ov, sparse: os }, ShapeKind::Map { key: nk, value: nv, sparse: ns }) => {
                self.sparse(subject, &reach, *os, *ns);
                self.member_pair(o, n, ok, nk);
                self.member_pair(o, n, ov, nv);
            }
            _ => {}
        }
    }

    fn sparse(&mut self, subject: &str, reach: &[Reach], old: bool, new: bool) {
        if old != new {
            let summary = format!("`@sparse` {}", if new { "added" } else { "removed" });
            self.push(Draft::new(Kind::SparseChanged, subject, reach, summary, "element type changes between `T` and `Option<T>`"));
        }
    }

    fn sensitive(&mut self, subject: &str, reach: &[Reach], old: bool, new: bool) {
        match (old, new) {
            (false, true) => {
                self.push(Draft::new(Kind::SensitiveAdded, subject, reach, "`@sensitive` added", "`Debug` now redacts the value"));
            }
            (true, false) => {
                self.push(Draft::new(Kind::SensitiveRemoved, subject, reach, "`@sensitive` removed", "`Debug` now prints the value"));
            }
            _ => {}
        }
    }

    fn timestamp_format(
        &mut self,
        subject: &str,
        reach: &[Reach],
        old: Option<crate::traits::TimestampFormat>,
        new: Option<crate::traits::TimestampFormat>,
    ) {
        if old != new {
            let show = |f: Option<crate::traits::TimestampFormat>| f.map_or("the protocol default", |f| f.as_str());
            let summary = format!("`@timestampFormat` changed from {} to {}", show(old), show(new));
            self.push(Draft::new(Kind::TimestampFormatChanged, subject, reach, summary, "wire format changes; the API does not"));
        }
    }

    fn constraints(&mut self, subject: &str, reach: &[Reach], o: &Constraints, n: &Constraints) {
        const DOC_ONLY: &str = "documented constraint changes; not enforced client-side";
        match (&o.range, &n.range) {
            (None, Some(r)) => {
                let summary = format!("`@range` added ({})", bounds(num(&r.min), num(&r.max)));
                self.push(Draft::new(Kind::RangeAdded, subject, reach, summary, DOC_ONLY));
            }
            (Some(r), None) => {
                let summary = format!("`@range` removed (was {})", bounds(num(&r.min), num(&r.max)));
                self.push(Draft::new(Kind::RangeRemoved, subject, reach, summary, DOC_ONLY));
            }
            (Some(a), Some(b)) if a != b => {
                let (summary, tighter) = bound_change("@range", (num(&a.min), num(&a.max)), (num(&b.min), num(&b.max)));
                let kind = if tighter { Kind::RangeTightened } else { Kind::RangeLoosened };
                self.push(Draft::new(kind, subject, reach, summary, DOC_ONLY));
            }
            _ => {}
        }
        let len = |v: Option<u64>| v.map(|v| v as f64);
        match (&o.length, &n.length) {
            (None, Some(l)) => {
                let summary = format!("`@length` added ({})", bounds(len(l.min), len(l.max)));
                self.push(Draft::new(Kind::LengthAdded, subject, reach, summary, DOC_ONLY));
            }
            (Some(l), None) => {
                let summary = format!("`@length` removed (was {})", bounds(len(l.min), len(l.max)));
                self.push(Draft::new(Kind::LengthRemoved, subject, reach, summary, DOC_ONLY));
            }
            (Some(a), Some(b)) if a != b => {
                let (summary, tighter) = bound_change("@length", (len(a.min), len(a.max)), (len(b.min), len(b.max)));
                let kind = if tighter { Kind::LengthTightened } else { Kind::LengthLoosened };
                self.push(Draft::new(kind, subject, reach, summary, DOC_ONLY));
            }
            _ => {}
        }
        match (&o.pattern, &n.pattern) {
            (None, Some(p)) => self.push(Draft::new(Kind::PatternAdded, subject, reach, format!("`@pattern` added: `{p}`"), DOC_ONLY)),
            (Some(p), None) => {
                self.push(Draft::new(Kind::PatternRemoved, subject, reach, format!("`@pattern` removed (was `{p}`)"), DOC_ONLY))
            }
            (Some(a), Some(b)) if a != b => {
                let summary = format!("`@pattern` changed from `{a}` to `{b}`");
                self.push(Draft::new(Kind::PatternChanged, subject, reach, summary, DOC_ONLY));
            }
            _ => {}
        }
    }

    fn members(&mut self, o: &Shape, n: &Shape, old: &[Member], new: &[Member]) {
        let union = matches!(n.kind, ShapeKind::Union(_));
        let what = if union { "variant" } else { "field" };
        let old_names: BTreeSet<&str> = old.iter().map(|m| m.name.as_str()).collect();
        let new_names: BTreeSet<&str> = new.iter().map(|m| m.name.as_str()).collect();
        let mut removed: Vec<(usize, &Member)> =
            old.iter().enumerate().filter(|(_, m)| !new_names.contains(m.name.as_str())).collect();
        let mut added: Vec<(usize, &Member)> =
            new.iter().enumerate().filter(|(_, m)| !old_names.contains(m.name.as_str())).collect();
        // Renamed: same position, same target.
        let mut renamed = Vec::new();
        removed.retain(|(i, om)| match added.iter().position(|(j, nm)| i == j && om.target == nm.target) {
            Some(k) => {
                renamed.push((*om, added.remove(k).1));
                false
            }
            None => true,
        });
        let type_name = self.type_name(n, true);
        for (om, nm) in renamed {
            // Placed where the old name was, which is what callers wrote.
            let reach = self.old_reach.of_member(&o.id, &om.name);
            let summary = format!("member `{}` renamed to `{}` (same target and position)", om.name, nm.name);
            let rust = format!("{what} `{type_name}::{}` renamed to `{}`", om.rust_name, nm.rust_name);
            self.push(Draft::new(Kind::MemberRenamed, &n.id, &reach, summary, rust));
        }
        for (_, om) in removed {
            let reach = self.old_reach.of_member(&o.id, &om.name);
            let rust = format!("{what} `{type_name}::{}` removed", om.rust_name);
            self.push(Draft::new(Kind::MemberRemoved, &n.id, &reach, "loses member", rust).value(format!("`{}`", om.name)));
        }
        for (_, nm) in added {
            let reach = self.new_reach.of_member(&n.id, &nm.name);
            let required = nm.required && nm.default_value().is_none() && !union;
            let (kind, verb) =
                if required { (Kind::RequiredMemberAdded, "gains required member") } else { (Kind::MemberAdded, "gains member") };
            let ty = short_type(&self.new_symbols.member_type(nm).to_string());
            let rust = format!("new {what} `{type_name}::{}: {ty}` (the type is `#[non_exhaustive]`)", nm.rust_name);
            self.push(Draft::new(kind, &n.id, &reach, verb, rust).value(format!("`{}`", nm.name)));
        }
        for nm in new {
            if let Some(om) = old.iter().find(|m| m.name == nm.name) {
                self.member_pair(o, n, om, nm);
            }
        }
        let common_old: Vec<&str> = old.iter().map(|m| m.name.as_str()).filter(|m| new_names.contains(m)).collect();
        let common_new: Vec<&str> = new.iter().map(|m| m.name.as_str()).filter(|m| old_names.contains(m)).collect();
        if common_old != common_new {
            let reach = self.shape_reach(o, n);
            self.push(Draft::new(Kind::MemberOrderChanged, &n.id, &reach, "member order changed", format!("{what} order of `{type_name}` changes")));
        }
    }

    fn member_pair(&mut self, o: &Shape, n: &Shape, om: &Member, nm: &Member) {
        self.docs(&om.docs, &nm.docs);
        let subject = format!("{}${}", n.id, nm.name);
        let reach = merge(self.new_reach.of_member(&n.id, &nm.name), self.old_reach.of_member(&o.id, &om.name));
        let old_ty = short_type(&self.old_symbols.member_type(om).to_string());
        let new_ty = short_type(&self.new_symbols.member_type(nm).to_string());
        let type_changed = old_ty != new_ty;
        let field = if n.rust_name.is_empty() || matches!(n.kind, ShapeKind::List { .. } | ShapeKind::Map { .. }) {
            format!("elements of `{}`", local_name(&n.id))
        } else {
            format!("`{}::{}`", self.type_name(n, true), nm.rust_name)
        };
        let type_effect =
            if type_changed { format!("{field} changes from `{old_ty}` to `{new_ty}`") } else { format!("{field} stays `{new_ty}`") };
        let context = Context {
            required: om.required || nm.required,
            targets_aggregate: matches!(self.new.shape(&nm.target).kind, ShapeKind::Structure(_) | ShapeKind::Union(_)),
            required_removed: om.required && !nm.required,
        };
        let emit = |c: &mut Self, kind: Kind, summary: String, rust: String| {
            c.push(Draft { context, type_changed, ..Draft::new(kind, &subject, &reach, summary, rust) });
        };
        if om.target != nm.target {
            let summary = format!("target changed from `{}` to `{}`", om.target, nm.target);
            emit(self, Kind::MemberTargetChanged, summary, type_effect.clone());
        }
        let nullability_effect = |extra: &str| {
            if type_changed {
                type_effect.clone()
            } else {
                format!("{type_effect}{extra}")
            }
        };
        match (om.required, nm.required) {
            (false, true) => emit(self, Kind::RequiredAdded, "`@required` added".into(), nullability_effect("; `build()` now reports it missing")),
            (true, false) => emit(self, Kind::RequiredRemoved, "`@required` removed".into(), nullability_effect("")),
            _ => {}
        }
        match (om.default_value(), nm.default_value()) {
            (None, Some(v)) => emit(self, Kind::DefaultAdded, format!("`@default` added: `{v}`"), nullability_effect("")),
            (Some(v), None) => emit(self, Kind::DefaultRemoved, format!("`@default` removed (was `{v}`)"), nullability_effect("")),
            (Some(a), Some(b)) if a != b => {
                emit(self, Kind::DefaultChanged, format!("`@default` changed from `{a}` to `{b}`"), nullability_effect("; its default value changes"))
            }
            _ => {}
        }
        match (om.client_optional, nm.client_optional) {
            (false, true) => emit(self, Kind::ClientOptionalAdded, "`@clientOptional` added".into(), nullability_effect("")),
            (true, false) => emit(self, Kind::ClientOptionalRemoved, "`@clientOptional` removed".into(), nullability_effect("")),
            _ => {}
        }
        if om.http != nm.http {
            let summary = format!("HTTP binding moved from {} to {}", binding(&om.http), binding(&nm.http));
            emit(self, Kind::HttpBindingChanged, summary, "serialization changes; the API does not".into());
        }
        if om.json_name != nm.json_name {
            let summary = format!("`@jsonName` changed from {:?} to {:?}", om.json_name, nm.json_name);
            emit(self, Kind::JsonNameChanged, summary, "JSON key changes; the API does not".into());
        }
        match (om.idempotency_token, nm.idempotency_token) {
            (false, true) => emit(self, Kind::IdempotencyTokenAdded, "`@idempotencyToken` added".into(), "filled automatically when unset".into()),
            (true, false) => emit(self, Kind::IdempotencyTokenRemoved, "`@idempotencyToken` removed".into(), "no longer filled automatically".into()),
            _ => {}
        }
        if om.host_label != nm.host_label {
            let summary = format!("`@hostLabel` {}", if nm.host_label { "added" } else { "removed" });
            emit(self, Kind::HostLabelChanged, summary, "endpoint host changes; the API does not".into());
        }
        self.sensitive(&subject, &reach, om.sensitive, nm.sensitive);
        self.timestamp_format(&subject, &reach, om.timestamp_format, nm.timestamp_format);
        self.constraints(&subject, &reach, &om.constraints, &nm.constraints);
    }

    fn enum_values(&mut self, n: &Shape, reach: &[Reach], old: &[EnumValue], new: &[EnumValue]) {
        let type_name = self.type_name(n, true);
        let mut old_end = old.len() as isize - 1;
        for ov in old {
            match new.iter().find(|v| v.value == ov.value) {
                None => {
                    old_end -= 1;
                    let rust = format!("variant `{type_name}::{}` removed", ov.rust_name);
                    self.push(Draft::new(Kind::EnumValueRemoved, &n.id, reach, "loses", rust).value(format!("`{}`", ov.value)));
                }
                Some(nv) => {
                    self.docs(&ov.docs, &nv.docs);
                    if nv.name != ov.name {
                        let summary = format!("value `{}` renamed from `{}` to `{}`", ov.value, ov.name, nv.name);
                        let rust = format!("variant `{type_name}::{}` renamed to `{}`", ov.rust_name, nv.rust_name);
                        self.push(Draft::new(Kind::EnumNameChanged, &n.id, reach, summary, rust));
                    }
                }
            }
        }
        for (position, nv) in new.iter().enumerate() {
            if old.iter().any(|v| v.value == nv.value) {
                continue;
            }
            let rust = format!("new variant `{type_name}::{}` (the enum is `#[non_exhaustive]`)", nv.rust_name);
            let (kind, verb) = if position as isize <= old_end {
                (Kind::EnumValueInserted, "gains {} before the end of the existing values")
            } else {
                (Kind::EnumValueAppended, "gains")
            };
            self.push(Draft::new(kind, &n.id, reach, verb, rust).value(format!("`{}`", nv.value)));
        }
    }

    fn int_enum_values(&mut self, n: &Shape, reach: &[Reach], old: &[IntEnumValue], new: &[IntEnumValue]) {
        let type_name = self.type_name(n, true);
        let mut old_end = old.len() as isize - 1;
        for ov in old {
            match new.iter().find(|v| v.name == ov.name) {
                None => {
                    old_end -= 1;
                    let rust = format!("variant `{type_name}::{}` removed", ov.rust_name);
                    self.push(Draft::new(Kind::EnumValueRemoved, &n.id, reach, "loses", rust).value(format!("`{}` ({})", ov.name, ov.value)));
                }
                Some(nv) => {
                    self.docs(&ov.docs, &nv.docs);
                    if nv.value != ov.value {
                        let summary = format!("value of `{}` changed from {} to {}", ov.name, ov.value, nv.value);
                        self.push(Draft::new(Kind::EnumValueChanged, &n.id, reach, summary, "the variant's wire value changes"));
                    }
                }
            }
        }
        for (position, nv) in new.iter().enumerate() {
            if old.iter().any(|v| v.name == nv.name) {
                continue;
            }
            let rust = format!("new variant `{type_name}::{}` (the enum is `#[non_exhaustive]`)", nv.rust_name);
            let (kind, verb) = if position as isize <= old_end {
                (Kind::EnumValueInserted, "gains {} before the end of the existing values")
            } else {
                (Kind::EnumValueAppended, "gains")
            };
            self.push(Draft::new(kind, &n.id, reach, verb, rust).value(format!("`{}` ({})", nv.name, nv.value)));
        }
    }
}

/// Both lists of places, sorted, without duplicates.
fn merge(mut a: Vec<Reach>, b: Vec<Reach>) -> Vec<Reach> {
    a.extend(b);
    a.sort();
    a.dedup();
    a
}

fn kind_name(kind: &ShapeKind) -> String {
    match kind {
        ShapeKind::Simple(simple) => format!("{simple:?}").to_lowercase(),
        ShapeKind::Enum(_) => "enum".into(),
        ShapeKind::IntEnum(_) => "intEnum".into(),
        ShapeKind::List { .. } => "list".into(),
        ShapeKind::Map { .. } => "map".into(),
        ShapeKind::Structure(_) => "structure".into(),
        ShapeKind::Union(_) => "union".into(),
    }
}

fn binding(http: &HttpBinding) -> String {
    match http {
        HttpBinding::Body => "the body".into(),
        HttpBinding::Label => "a URI label".into(),
        HttpBinding::Query(name) => format!("query `{name}`"),
        HttpBinding::QueryParams => "the query parameters map".into(),
        HttpBinding::Header(name) => format!("header `{name}`"),
        HttpBinding::PrefixHeaders(prefix) => format!("headers prefixed `{prefix}`"),
        HttpBinding::Payload => "the payload".into(),
        HttpBinding::ResponseCode => "the status code".into(),
    }
}

fn num(n: &Option<serde_json::Number>) -> Option<f64> {
    n.as_ref().and_then(serde_json::Number::as_f64)
}

fn show_num(n: f64) -> String {
    // Bounds in models are small; whole numbers print without a fraction.
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// `1–1920`, `≥ 1`, `≤ 5`.
fn bounds(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{}–{}", show_num(a), show_num(b)),
        (Some(a), None) => format!("≥ {}", show_num(a)),
        (None, Some(b)) => format!("≤ {}", show_num(b)),
        (None, None) => "unbounded".into(),
    }
}

/// Describes a changed min/max pair; `true` when either bound got stricter
/// (a raised or new `min`, a lowered or new `max`).
fn bound_change(name: &str, old: (Option<f64>, Option<f64>), new: (Option<f64>, Option<f64>)) -> (String, bool) {
    let mut parts = Vec::new();
    let mut tighter = false;
    let show = |v: Option<f64>| v.map_or_else(|| "none".to_string(), show_num);
    if old.0 != new.0 {
        let raised = match (old.0, new.0) {
            (Some(a), Some(b)) => b > a,
            (None, Some(_)) => true,
            _ => false,
        };
        tighter |= raised;
        parts.push(format!("min {} from {} to {}", if raised { "raised" } else { "lowered" }, show(old.0), show(new.0)));
    }
    if old.1 != new.1 {
        let lowered = match (old.1, new.1) {
            (Some(a), Some(b)) => b < a,
            (None, Some(_)) => true,
            _ => false,
        };
        tighter |= lowered;
        parts.push(format!("max {} from {} to {}", if lowered { "lowered" } else { "raised" }, show(old.1), show(new.1)));
    }
    (format!("`{name}` {} (now {})", parts.join(", "), bounds(new.0, new.1)), tighter)
}

/// A Rust type as tokens, shortened for reading: no spaces, no `::std::…`
/// or `crate::` prefixes (`Option<String>`, `types::Video`).
pub fn short_type(tokens: &str) -> String {
    let mut text: String = tokens.chars().filter(|c| !c.is_whitespace()).collect();
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::boxed::",
        "::std::collections::",
        "crate::primitives::",
        "crate::",
    ] {
        text = text.replace(prefix, "");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_read_naturally() {
        let (text, tighter) = bound_change("@range", (Some(1.0), Some(1920.0)), (Some(2.0), Some(1920.0)));
        assert_eq!(text, "`@range` min raised from 1 to 2 (now 2–1920)");
        assert!(tighter);
        let (text, tighter) = bound_change("@length", (Some(1.0), Some(10.0)), (Some(1.0), None));
        assert_eq!(text, "`@length` max raised from 10 to none (now ≥ 1)");
        assert!(!tighter);
        assert_eq!(short_type(":: std :: option :: Option < crate :: types :: Video >"), "Option<types::Video>");
    }
}
