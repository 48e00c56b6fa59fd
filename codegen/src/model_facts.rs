//! API facts of a Smithy 2.0 JSON AST model, compared with a reference model.
//!
//! The project keeps its own copy of the service model: every API fact (shape
//! ids, shape types, members and their order, targets, traits and their values)
//! must equal upstream's, while the documentation must be written in the
//! project's own words. [`compare_api_facts`] checks the first half and
//! [`copied_documentation`] the second. Both work on raw [`serde_json::Value`]s
//! (with `preserve_order`, so member order is the file's order) and never panic
//! on malformed input: a part that is missing or has the wrong JSON type simply
//! compares as absent.
//!
//! Documentation is everything in the `smithy.api#documentation` trait plus the
//! `documentation` fields inside the `smithy.rules#endpointRuleSet` and
//! `smithy.rules#endpointTests` trait values.

use std::collections::HashSet;
use std::fmt;

use serde_json::{Map, Value};

/// The trait that carries a shape's or member's documentation.
pub const DOCUMENTATION_TRAIT: &str = "smithy.api#documentation";

/// Traits whose values hold `documentation` fields of their own.
pub const RULES_TRAITS: [&str; 2] = ["smithy.rules#endpointRuleSet", "smithy.rules#endpointTests"];

/// The field name used for documentation inside [`RULES_TRAITS`] values.
const RULES_DOCUMENTATION_FIELD: &str = "documentation";

/// Shape fields that name a single member (`list` and `map` shapes).
const SINGLE_MEMBERS: [&str; 3] = ["member", "key", "value"];

/// Shape fields compared by dedicated code rather than as plain properties.
const STRUCTURAL_FIELDS: [&str; 6] = ["type", "traits", "members", "member", "key", "value"];

/// Documentation strings with this many words or fewer may repeat upstream's
/// ("Stage ARN.", "The stage that is returned.") without counting as copied.
const COPY_MIN_WORDS: usize = 7;

/// Longest rendering of a JSON value in a message before it is cut short.
const MAX_VALUE_CHARS: usize = 120;

/// Trait values up to this long are shown whole when they differ; longer ones
/// are narrowed down to the first spot that differs.
const WHOLE_VALUE_CHARS: usize = 60;

/// One API fact on which two models disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct FactDifference {
    /// Absolute shape id, or `None` for a top-level field (`smithy`, `metadata`).
    pub shape: Option<String>,
    /// Member name (`member`, `key` and `value` for lists and maps), if the fact is a member's.
    pub member: Option<String>,
    /// Trait id, if the fact is a trait.
    pub trait_id: Option<String>,
    /// What differs.
    pub kind: DifferenceKind,
}

/// What differs; "ours" is the model checked, "upstream" the reference.
#[derive(Debug, Clone, PartialEq)]
pub enum DifferenceKind {
    /// The shape exists upstream but not in ours.
    MissingShape,
    /// The shape exists in ours but not upstream.
    ExtraShape,
    /// The shapes have different `type`s.
    ShapeType { ours: String, upstream: String },
    /// Both have the same members, in a different order.
    MemberOrder {
        ours: Vec<String>,
        upstream: Vec<String>,
    },
    /// The member exists upstream but not in ours.
    MissingMember,
    /// The member exists in ours but not upstream.
    ExtraMember,
    /// The member targets a different shape.
    Target { ours: String, upstream: String },
    /// The trait is applied upstream but not in ours.
    MissingTrait { upstream: Value },
    /// The trait is applied in ours but not upstream.
    ExtraTrait { ours: Value },
    /// The trait values differ; `path` is a JSON pointer to the first
    /// difference inside the value (empty when the values differ at the top).
    TraitValue {
        path: String,
        ours: Option<Value>,
        upstream: Option<Value>,
    },
    /// Any other field differs: a shape's `input`, `operations`, `version`...,
    /// or a top-level field such as `smithy` or `metadata`.
    Property {
        name: String,
        ours: Option<Value>,
        upstream: Option<Value>,
    },
}

impl FactDifference {
    /// The difference without its shape id, for reports grouped by shape:
    /// `member width: trait smithy.api#range: ours {"min":1}, upstream {"min":2}`.
    pub fn detail(&self) -> String {
        let mut out = String::new();
        if let Some(member) = &self.member {
            out.push_str(&format!("member {member}: "));
        }
        out.push_str(&self.kind_text());
        out
    }

    fn kind_text(&self) -> String {
        let trait_id = self.trait_id.as_deref().unwrap_or("(unnamed)");
        match &self.kind {
            DifferenceKind::MissingShape => "shape missing from ours".to_owned(),
            DifferenceKind::ExtraShape => "shape not in upstream".to_owned(),
            DifferenceKind::ShapeType { ours, upstream } => {
                format!("type: ours {ours}, upstream {upstream}")
            }
            DifferenceKind::MemberOrder { ours, upstream } => format!(
                "member order: ours [{}], upstream [{}]",
                ours.join(", "),
                upstream.join(", ")
            ),
            DifferenceKind::MissingMember => "member missing from ours".to_owned(),
            DifferenceKind::ExtraMember => "member not in upstream".to_owned(),
            DifferenceKind::Target { ours, upstream } => {
                format!("target: ours {ours}, upstream {upstream}")
            }
            DifferenceKind::MissingTrait { upstream } => {
                format!(
                    "trait {trait_id}: missing from ours (upstream {})",
                    show(Some(upstream))
                )
            }
            DifferenceKind::ExtraTrait { ours } => {
                format!(
                    "trait {trait_id}: not in upstream (ours {})",
                    show(Some(ours))
                )
            }
            DifferenceKind::TraitValue {
                path,
                ours,
                upstream,
            } => {
                let at = if path.is_empty() {
                    String::new()
                } else {
                    format!(" at {path}")
                };
                format!(
                    "trait {trait_id}{at}: ours {}, upstream {}",
                    show(ours.as_ref()),
                    show(upstream.as_ref())
                )
            }
            DifferenceKind::Property {
                name,
                ours,
                upstream,
            } => format!(
                "{name}: ours {}, upstream {}",
                show(ours.as_ref()),
                show(upstream.as_ref())
            ),
        }
    }
}

impl fmt::Display for FactDifference {
    /// `com.amazonaws.ivsrealtime#Width: trait smithy.api#range: ours {"min":1}, upstream {"min":2}`,
    /// with `$member` after the shape id for a member's fact.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.shape.as_deref().unwrap_or("model"))?;
        if let Some(member) = &self.member {
            write!(f, "${member}")?;
        }
        write!(f, ": {}", self.kind_text())
    }
}

/// A documentation string in our model that repeats upstream's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedDoc {
    /// Absolute id of the shape holding the documentation.
    pub shape: String,
    /// Member name, for a member's `smithy.api#documentation`.
    pub member: Option<String>,
    /// For a `documentation` field inside a rules trait: the trait id and a
    /// JSON pointer to the field within the trait value.
    pub rules_field: Option<(String, String)>,
    /// The copied text, as it appears in our model.
    pub text: String,
}

impl fmt::Display for CopiedDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shape)?;
        if let Some(member) = &self.member {
            write!(f, "${member}")?;
        }
        if let Some((trait_id, pointer)) = &self.rules_field {
            write!(f, ": trait {trait_id} at {pointer}")?;
        }
        let text = show(Some(&Value::String(normalize_text(&self.text))));
        write!(f, ": same text as upstream: {text}")
    }
}

/// Every API fact on which `ours` differs from `upstream`, ignoring documentation.
///
/// Upstream shapes come first, in upstream's order, then shapes only ours has;
/// top-level fields (`smithy`, `metadata`, ...) come last. Trait order does not
/// matter (traits are a map), member order does; an empty `traits` object
/// equals an absent one.
pub fn compare_api_facts(ours: &Value, upstream: &Value) -> Vec<FactDifference> {
    let mut out = Vec::new();
    let ours_shapes = shapes(ours);
    let upstream_shapes = shapes(upstream);

    for (id, upstream_shape) in upstream_shapes.into_iter().flatten() {
        match ours_shapes.and_then(|s| s.get(id)) {
            Some(our_shape) => compare_shape(id, our_shape, upstream_shape, &mut out),
            None => out.push(difference(id, None, None, DifferenceKind::MissingShape)),
        }
    }
    for id in ours_shapes.into_iter().flat_map(Map::keys) {
        if !upstream_shapes.is_some_and(|s| s.contains_key(id)) {
            out.push(difference(id, None, None, DifferenceKind::ExtraShape));
        }
    }

    let empty = Map::new();
    let ours_top = ours.as_object().unwrap_or(&empty);
    let upstream_top = upstream.as_object().unwrap_or(&empty);
    for name in union_keys(ours_top, upstream_top) {
        if name == "shapes" {
            continue;
        }
        let (a, b) = (ours_top.get(name), upstream_top.get(name));
        if a != b {
            out.push(FactDifference {
                shape: None,
                member: None,
                trait_id: None,
                kind: DifferenceKind::Property {
                    name: name.to_owned(),
                    ours: a.cloned(),
                    upstream: b.cloned(),
                },
            });
        }
    }
    out
}

/// Every documentation string in `ours` with more than six words that equals
/// (ignoring leading, trailing and repeated whitespace) a documentation string
/// anywhere in `upstream`, in the order they appear in `ours`.
pub fn copied_documentation(ours: &Value, upstream: &Value) -> Vec<CopiedDoc> {
    let upstream_texts: HashSet<String> = documentation_strings(upstream)
        .into_iter()
        .map(|doc| normalize_text(&doc.text))
        .collect();
    documentation_strings(ours)
        .into_iter()
        .filter(|doc| doc.text.split_whitespace().count() >= COPY_MIN_WORDS)
        .filter(|doc| upstream_texts.contains(&normalize_text(&doc.text)))
        .collect()
}

/// Every documentation string in a model with where it is, in file order.
/// The result reuses [`CopiedDoc`] as a "located documentation string".
fn documentation_strings(model: &Value) -> Vec<CopiedDoc> {
    let mut out = Vec::new();
    for (id, shape) in shapes(model).into_iter().flatten() {
        collect_trait_docs(id, None, shape.get("traits"), &mut out);
        for (name, member) in members_of(shape) {
            collect_trait_docs(id, Some(name), member.get("traits"), &mut out);
        }
    }
    out
}

fn collect_trait_docs(
    shape: &str,
    member: Option<&str>,
    traits: Option<&Value>,
    out: &mut Vec<CopiedDoc>,
) {
    let Some(traits) = traits.and_then(Value::as_object) else {
        return;
    };
    let located = |text: &str, rules_field: Option<(String, String)>| CopiedDoc {
        shape: shape.to_owned(),
        member: member.map(str::to_owned),
        rules_field,
        text: text.to_owned(),
    };
    if let Some(text) = traits.get(DOCUMENTATION_TRAIT).and_then(Value::as_str) {
        out.push(located(text, None));
    }
    for trait_id in RULES_TRAITS {
        let Some(value) = traits.get(trait_id) else {
            continue;
        };
        let mut fields = Vec::new();
        collect_rules_docs(value, String::new(), &mut fields);
        for (pointer, text) in fields {
            out.push(located(text, Some((trait_id.to_owned(), pointer))));
        }
    }
}

/// Every `documentation` string inside a rules trait value, with its JSON pointer.
fn collect_rules_docs<'a>(value: &'a Value, pointer: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = format!("{pointer}/{}", escape_pointer(key));
                match (key.as_str(), child) {
                    (RULES_DOCUMENTATION_FIELD, Value::String(text)) => {
                        out.push((child_pointer, text))
                    }
                    _ => collect_rules_docs(child, child_pointer, out),
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_rules_docs(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn compare_shape(id: &str, ours: &Value, upstream: &Value, out: &mut Vec<FactDifference>) {
    let our_type = shape_type(ours);
    let upstream_type = shape_type(upstream);
    if our_type != upstream_type {
        out.push(difference(
            id,
            None,
            None,
            DifferenceKind::ShapeType {
                ours: our_type.to_owned(),
                upstream: upstream_type.to_owned(),
            },
        ));
    }

    compare_traits(id, None, ours.get("traits"), upstream.get("traits"), out);

    for name in SINGLE_MEMBERS {
        compare_member_slot(id, name, ours.get(name), upstream.get(name), out);
    }
    compare_members(id, ours.get("members"), upstream.get("members"), out);

    let empty = Map::new();
    let ours_fields = ours.as_object().unwrap_or(&empty);
    let upstream_fields = upstream.as_object().unwrap_or(&empty);
    for name in union_keys(ours_fields, upstream_fields) {
        if STRUCTURAL_FIELDS.contains(&name) {
            continue;
        }
        let (a, b) = (ours_fields.get(name), upstream_fields.get(name));
        if a != b {
            out.push(difference(
                id,
                None,
                None,
                DifferenceKind::Property {
                    name: name.to_owned(),
                    ours: a.cloned(),
                    upstream: b.cloned(),
                },
            ));
        }
    }
}

/// Compares the `members` maps of two shapes: names, their order, then each member.
fn compare_members(
    id: &str,
    ours: Option<&Value>,
    upstream: Option<&Value>,
    out: &mut Vec<FactDifference>,
) {
    let empty = Map::new();
    let ours = ours.and_then(Value::as_object).unwrap_or(&empty);
    let upstream = upstream.and_then(Value::as_object).unwrap_or(&empty);

    for name in upstream.keys().filter(|name| !ours.contains_key(*name)) {
        out.push(difference(
            id,
            Some(name),
            None,
            DifferenceKind::MissingMember,
        ));
    }
    for name in ours.keys().filter(|name| !upstream.contains_key(*name)) {
        out.push(difference(
            id,
            Some(name),
            None,
            DifferenceKind::ExtraMember,
        ));
    }

    // Order is judged on the members both sides have, so that one missing
    // member is reported once rather than also as an order change.
    let shared_in = |map: &Map<String, Value>, other: &Map<String, Value>| -> Vec<String> {
        map.keys()
            .filter(|name| other.contains_key(*name))
            .cloned()
            .collect()
    };
    let ours_order = shared_in(ours, upstream);
    let upstream_order = shared_in(upstream, ours);
    if ours_order != upstream_order {
        out.push(difference(
            id,
            None,
            None,
            DifferenceKind::MemberOrder {
                ours: ours_order,
                upstream: upstream_order.clone(),
            },
        ));
    }

    for name in &upstream_order {
        if let (Some(a), Some(b)) = (ours.get(name), upstream.get(name)) {
            compare_member(id, name, a, b, out);
        }
    }
}

/// Compares a `member`, `key` or `value` slot of a list or map shape.
fn compare_member_slot(
    id: &str,
    name: &str,
    ours: Option<&Value>,
    upstream: Option<&Value>,
    out: &mut Vec<FactDifference>,
) {
    match (ours, upstream) {
        (None, None) => {}
        (Some(_), None) => out.push(difference(
            id,
            Some(name),
            None,
            DifferenceKind::ExtraMember,
        )),
        (None, Some(_)) => out.push(difference(
            id,
            Some(name),
            None,
            DifferenceKind::MissingMember,
        )),
        (Some(a), Some(b)) => compare_member(id, name, a, b, out),
    }
}

fn compare_member(
    id: &str,
    name: &str,
    ours: &Value,
    upstream: &Value,
    out: &mut Vec<FactDifference>,
) {
    let our_target = target(ours);
    let upstream_target = target(upstream);
    if our_target != upstream_target {
        out.push(difference(
            id,
            Some(name),
            None,
            DifferenceKind::Target {
                ours: our_target.to_owned(),
                upstream: upstream_target.to_owned(),
            },
        ));
    }
    compare_traits(
        id,
        Some(name),
        ours.get("traits"),
        upstream.get("traits"),
        out,
    );

    let empty = Map::new();
    let ours_fields = ours.as_object().unwrap_or(&empty);
    let upstream_fields = upstream.as_object().unwrap_or(&empty);
    for field in union_keys(ours_fields, upstream_fields) {
        if field == "target" || field == "traits" {
            continue;
        }
        let (a, b) = (ours_fields.get(field), upstream_fields.get(field));
        if a != b {
            out.push(difference(
                id,
                Some(name),
                None,
                DifferenceKind::Property {
                    name: field.to_owned(),
                    ours: a.cloned(),
                    upstream: b.cloned(),
                },
            ));
        }
    }
}

fn compare_traits(
    id: &str,
    member: Option<&str>,
    ours: Option<&Value>,
    upstream: Option<&Value>,
    out: &mut Vec<FactDifference>,
) {
    let ours = api_traits(ours);
    let upstream = api_traits(upstream);
    for (trait_id, upstream_value) in &upstream {
        let kind = match ours.get(trait_id) {
            None => DifferenceKind::MissingTrait {
                upstream: upstream_value.clone(),
            },
            Some(our_value) if our_value == upstream_value => continue,
            // Small values are shown whole; in a large one (endpoint rules)
            // the first differing spot is named instead.
            Some(our_value) if fits(our_value) && fits(upstream_value) => {
                DifferenceKind::TraitValue {
                    path: String::new(),
                    ours: Some(our_value.clone()),
                    upstream: Some(upstream_value.clone()),
                }
            }
            Some(our_value) => match first_difference(our_value, upstream_value, String::new()) {
                None => continue,
                Some((path, a, b)) => DifferenceKind::TraitValue {
                    path,
                    ours: a.cloned(),
                    upstream: b.cloned(),
                },
            },
        };
        out.push(difference(id, member, Some(trait_id), kind));
    }
    for (trait_id, our_value) in &ours {
        if !upstream.contains_key(trait_id) {
            out.push(difference(
                id,
                member,
                Some(trait_id),
                DifferenceKind::ExtraTrait {
                    ours: our_value.clone(),
                },
            ));
        }
    }
}

/// A copy of a `traits` object without documentation: no
/// `smithy.api#documentation`, and no `documentation` fields in rules traits.
fn api_traits(traits: Option<&Value>) -> Map<String, Value> {
    let mut map = traits
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    map.shift_remove(DOCUMENTATION_TRAIT);
    for trait_id in RULES_TRAITS {
        if let Some(value) = map.get_mut(trait_id) {
            remove_rules_documentation(value);
        }
    }
    map
}

fn remove_rules_documentation(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map
                .get(RULES_DOCUMENTATION_FIELD)
                .is_some_and(Value::is_string)
            {
                map.shift_remove(RULES_DOCUMENTATION_FIELD);
            }
            map.values_mut().for_each(remove_rules_documentation);
        }
        Value::Array(items) => items.iter_mut().for_each(remove_rules_documentation),
        _ => {}
    }
}

/// The first place where two JSON values differ, as a JSON pointer (relative
/// to `pointer`) with the value found on each side there.
fn first_difference<'a>(
    ours: &'a Value,
    upstream: &'a Value,
    pointer: String,
) -> Option<(String, Option<&'a Value>, Option<&'a Value>)> {
    if ours == upstream {
        return None;
    }
    match (ours, upstream) {
        (Value::Object(a), Value::Object(b)) => {
            for key in union_keys(a, b) {
                let child = format!("{pointer}/{}", escape_pointer(key));
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(found) = first_difference(x, y, child) {
                            return Some(found);
                        }
                    }
                    (x, y) => return Some((child, x, y)),
                }
            }
            // Every entry compared equal: the maps differ only in entry order,
            // which does not count (`==` ignores it too).
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                if let Some(found) = first_difference(x, y, format!("{pointer}/{index}")) {
                    return Some(found);
                }
            }
            let index = a.len().min(b.len());
            Some((format!("{pointer}/{index}"), a.get(index), b.get(index)))
        }
        _ => Some((pointer, Some(ours), Some(upstream))),
    }
}

fn difference(
    shape: &str,
    member: Option<&str>,
    trait_id: Option<&str>,
    kind: DifferenceKind,
) -> FactDifference {
    FactDifference {
        shape: Some(shape.to_owned()),
        member: member.map(str::to_owned),
        trait_id: trait_id.map(str::to_owned),
        kind,
    }
}

fn shapes(model: &Value) -> Option<&Map<String, Value>> {
    model.get("shapes").and_then(Value::as_object)
}

fn shape_type(shape: &Value) -> &str {
    shape
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("(none)")
}

fn target(member: &Value) -> &str {
    member
        .get("target")
        .and_then(Value::as_str)
        .unwrap_or("(none)")
}

/// Members of a shape in file order: `member`/`key`/`value`, then `members`.
fn members_of(shape: &Value) -> impl Iterator<Item = (&str, &Value)> {
    let singles = SINGLE_MEMBERS
        .into_iter()
        .filter_map(move |name| shape.get(name).map(|m| (name, m)));
    let named = shape
        .get("members")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, member)| (name.as_str(), member));
    singles.chain(named)
}

/// Keys of `upstream` in its order, then keys only `ours` has, in ours' order.
fn union_keys<'a>(ours: &'a Map<String, Value>, upstream: &'a Map<String, Value>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = upstream.keys().map(String::as_str).collect();
    keys.extend(
        ours.keys()
            .map(String::as_str)
            .filter(|key| !upstream.contains_key(*key)),
    );
    keys
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn normalize_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a differing trait value is short enough to be shown whole.
fn fits(value: &Value) -> bool {
    value.to_string().chars().count() <= WHOLE_VALUE_CHARS
}

/// A JSON value in compact form, cut short if long; `(absent)` for `None`.
fn show(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "(absent)".to_owned();
    };
    let text = value.to_string();
    if text.chars().count() <= MAX_VALUE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_VALUE_CHARS).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small model with a structure, a list, a constrained integer, an
    /// operation and a service carrying endpoint rules.
    fn base() -> Value {
        json!({
            "smithy": "2.0",
            "metadata": { "suppressions": [] },
            "shapes": {
                "ex#Width": {
                    "type": "integer",
                    "traits": {
                        "smithy.api#range": { "min": 2 },
                        "smithy.api#documentation": "Width in pixels."
                    }
                },
                "ex#Video": {
                    "type": "structure",
                    "members": {
                        "width": {
                            "target": "ex#Width",
                            "traits": { "smithy.api#documentation": "Upstream words about the width of a frame." }
                        },
                        "height": { "target": "ex#Width", "traits": { "smithy.api#required": {} } }
                    },
                    "traits": { "smithy.api#documentation": "Upstream describes the video settings of an encoder here." }
                },
                "ex#VideoList": { "type": "list", "member": { "target": "ex#Video" } },
                "ex#GetVideo": {
                    "type": "operation",
                    "input": { "target": "ex#Video" },
                    "traits": { "smithy.api#readonly": {} }
                },
                "ex#Service": {
                    "type": "service",
                    "version": "2020-07-14",
                    "operations": [{ "target": "ex#GetVideo" }],
                    "traits": {
                        "smithy.rules#endpointRuleSet": {
                            "version": "1.0",
                            "parameters": {
                                "Region": {
                                    "builtIn": "AWS::Region",
                                    "required": false,
                                    "documentation": "The AWS region used to dispatch the request."
                                }
                            },
                            "rules": []
                        },
                        "smithy.rules#endpointTests": {
                            "testCases": [
                                { "documentation": "For region us-east-1 with FIPS disabled", "params": {} }
                            ],
                            "version": "1.0"
                        }
                    }
                }
            }
        })
    }

    /// `base()` with every documentation string replaced by our own words.
    fn rewritten() -> Value {
        let mut model = base();
        let shapes = &mut model["shapes"];
        shapes["ex#Width"]["traits"]["smithy.api#documentation"] = json!("Frame width (pixels).");
        shapes["ex#Video"]["traits"]["smithy.api#documentation"] =
            json!("Our own words for the video settings here.");
        shapes["ex#Video"]["members"]["width"]["traits"]["smithy.api#documentation"] =
            json!("How wide each frame is, given in pixels by the caller.");
        let rules = &mut shapes["ex#Service"]["traits"];
        rules["smithy.rules#endpointRuleSet"]["parameters"]["Region"]["documentation"] =
            json!("Region whose endpoint receives the request.");
        rules["smithy.rules#endpointTests"]["testCases"][0]["documentation"] =
            json!("us-east-1, no FIPS");
        model
    }

    fn lines(differences: &[FactDifference]) -> Vec<String> {
        differences.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn identical_facts_with_different_docs_pass() {
        assert_eq!(compare_api_facts(&rewritten(), &base()), vec![]);
        assert_eq!(copied_documentation(&rewritten(), &base()), vec![]);
    }

    #[test]
    fn missing_documentation_and_empty_traits_are_not_differences() {
        let mut ours = base();
        ours["shapes"]["ex#Video"]["traits"] = json!({});
        ours["shapes"]["ex#Width"]["traits"]
            .as_object_mut()
            .unwrap()
            .shift_remove(DOCUMENTATION_TRAIT);
        assert_eq!(compare_api_facts(&ours, &base()), vec![]);
    }

    #[test]
    fn trait_order_does_not_matter() {
        let mut ours = base();
        ours["shapes"]["ex#Width"]["traits"] =
            json!({ "smithy.api#documentation": "Ours.", "smithy.api#range": { "min": 2 } });
        assert_eq!(compare_api_facts(&ours, &base()), vec![]);
    }

    #[test]
    fn member_order_change_is_named() {
        let mut ours = rewritten();
        let members = ours["shapes"]["ex#Video"]["members"]
            .as_object_mut()
            .unwrap();
        let width = members.shift_remove("width").unwrap();
        members.insert("width".to_owned(), width);
        let differences = compare_api_facts(&ours, &base());
        assert_eq!(
            lines(&differences),
            ["ex#Video: member order: ours [height, width], upstream [width, height]"]
        );
        assert_eq!(differences[0].shape.as_deref(), Some("ex#Video"));
    }

    #[test]
    fn target_change_is_named() {
        let mut ours = rewritten();
        ours["shapes"]["ex#VideoList"]["member"]["target"] = json!("ex#Width");
        let differences = compare_api_facts(&ours, &base());
        assert_eq!(
            lines(&differences),
            ["ex#VideoList$member: target: ours ex#Width, upstream ex#Video"]
        );
        assert_eq!(differences[0].member.as_deref(), Some("member"));
    }

    #[test]
    fn trait_value_change_is_named() {
        let mut ours = rewritten();
        ours["shapes"]["ex#Width"]["traits"]["smithy.api#range"] = json!({ "min": 1 });
        let differences = compare_api_facts(&ours, &base());
        assert_eq!(
            lines(&differences),
            ["ex#Width: trait smithy.api#range: ours {\"min\":1}, upstream {\"min\":2}"]
        );
        assert_eq!(differences[0].trait_id.as_deref(), Some("smithy.api#range"));
    }

    #[test]
    fn change_deep_in_a_large_trait_is_located() {
        let mut ours = rewritten();
        ours["shapes"]["ex#Service"]["traits"]["smithy.rules#endpointRuleSet"]["parameters"]
            ["Region"]["required"] = json!(true);
        assert_eq!(
            lines(&compare_api_facts(&ours, &base())),
            ["ex#Service: trait smithy.rules#endpointRuleSet at /parameters/Region/required: ours true, upstream false"]
        );
    }

    #[test]
    fn missing_and_extra_shapes_are_named() {
        let mut ours = rewritten();
        let shapes = ours["shapes"].as_object_mut().unwrap();
        shapes.shift_remove("ex#VideoList");
        shapes.insert("ex#Height".to_owned(), json!({ "type": "integer" }));
        let differences = compare_api_facts(&ours, &base());
        assert_eq!(
            lines(&differences),
            [
                "ex#VideoList: shape missing from ours",
                "ex#Height: shape not in upstream"
            ]
        );
        assert_eq!(differences[0].kind, DifferenceKind::MissingShape);
        assert_eq!(differences[1].kind, DifferenceKind::ExtraShape);
    }

    #[test]
    fn extra_and_missing_traits_are_named() {
        let mut ours = rewritten();
        ours["shapes"]["ex#Video"]["members"]["width"]["traits"]["smithy.api#required"] = json!({});
        ours["shapes"]["ex#GetVideo"]["traits"] = json!({});
        assert_eq!(
            lines(&compare_api_facts(&ours, &base())),
            [
                "ex#Video$width: trait smithy.api#required: not in upstream (ours {})",
                "ex#GetVideo: trait smithy.api#readonly: missing from ours (upstream {})",
            ]
        );
    }

    #[test]
    fn members_type_properties_and_header_are_compared() {
        let mut ours = rewritten();
        ours["smithy"] = json!("1.0");
        let shapes = &mut ours["shapes"];
        shapes["ex#Width"]["type"] = json!("long");
        shapes["ex#Video"]["members"]
            .as_object_mut()
            .unwrap()
            .shift_remove("height");
        shapes["ex#Video"]["members"]["depth"] = json!({ "target": "ex#Width" });
        shapes["ex#GetVideo"]["input"] = json!({ "target": "ex#VideoList" });
        assert_eq!(
            lines(&compare_api_facts(&ours, &base())),
            [
                "ex#Width: type: ours long, upstream integer",
                "ex#Video$height: member missing from ours",
                "ex#Video$depth: member not in upstream",
                "ex#GetVideo: input: ours {\"target\":\"ex#VideoList\"}, upstream {\"target\":\"ex#Video\"}",
                "model: smithy: ours \"1.0\", upstream \"2.0\"",
            ]
        );
    }

    #[test]
    fn copied_docs_are_named() {
        let mut ours = rewritten();
        // Long enough and equal once whitespace is trimmed: copied.
        ours["shapes"]["ex#Video"]["members"]["width"]["traits"]["smithy.api#documentation"] =
            json!("  Upstream words about the width\n of a frame. ");
        ours["shapes"]["ex#Service"]["traits"]["smithy.rules#endpointRuleSet"]["parameters"]
            ["Region"]["documentation"] = json!("The AWS region used to dispatch the request.");
        // Six words or fewer may match upstream.
        ours["shapes"]["ex#Width"]["traits"]["smithy.api#documentation"] =
            json!("Width in pixels.");
        let copied = copied_documentation(&ours, &base());
        assert_eq!(
            copied.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "ex#Video$width: same text as upstream: \"Upstream words about the width of a frame.\"",
                "ex#Service: trait smithy.rules#endpointRuleSet at /parameters/Region/documentation: \
                 same text as upstream: \"The AWS region used to dispatch the request.\"",
            ]
        );
        assert_eq!(copied[0].member.as_deref(), Some("width"));
        assert_eq!(
            copied[1].rules_field,
            Some((
                "smithy.rules#endpointRuleSet".to_owned(),
                "/parameters/Region/documentation".to_owned()
            ))
        );
        // Rules documentation is still not an API fact.
        assert_eq!(compare_api_facts(&ours, &base()), vec![]);
    }

    #[test]
    fn malformed_models_do_not_panic() {
        let differences = compare_api_facts(&json!([]), &base());
        assert_eq!(differences.len(), 7, "{differences:#?}");
        assert!(compare_api_facts(
            &json!({ "shapes": { "ex#A": 3 } }),
            &json!({ "shapes": { "ex#A": {} } })
        )
        .is_empty());
        assert!(copied_documentation(&json!(null), &json!("x")).is_empty());
    }
}
