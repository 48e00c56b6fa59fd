//! The one place where Rust names are decided.
//!
//! [`assign_names`] runs as the last lowering pass and fills every `rust_*`
//! field of the IR; emitters read those fields (through [`crate::symbols`])
//! and never convert a wire name themselves. The rules:
//!
//! - types are UpperCamelCase (`heck`), operation inputs/outputs are
//!   `{Operation}Input` / `{Operation}Output`, operation errors `{Operation}Error`;
//! - fields and modules are snake_case; Rust keywords become raw identifiers
//!   (`r#type`), and the four that cannot be raw (`self`, `Self`, `crate`,
//!   `super`) get a trailing underscore (`self_`);
//! - enum and union variants are UpperCamelCase; `Unknown` is reserved for
//!   values the model does not know, so a model value called `UNKNOWN` becomes
//!   `UnknownValue`; `Self` becomes `SelfValue`; a leading digit gets a `Value` prefix;
//!   likewise an operation error enum's variant for a modeled error is the
//!   error's type name, and `Unhandled` (reserved) becomes `UnhandledValue`;
//! - two members that convert to the same field (`fooBar`, `foo_bar`) are
//!   told apart deterministically: the first in model order keeps the name,
//!   later ones get `_2`, `_3`, …; a member of an error structure called `meta`
//!   (the field that keeps the response's error metadata) becomes `meta_value`;
//! - an operation's `Client` method is its module name, unless `Client`
//!   already has that method ([`CLIENT_METHODS`]): `New` → `new_operation`;
//! - a member `foo` gets the builder methods `foo`, `set_foo` and `get_foo`
//!   (fluent builders the same). When one of the three would be a method a
//!   builder already has ([`BUILDER_METHODS`]: `build`, `default`, `send`,
//!   `clone`, …) or one another member already got, the member's methods get
//!   `_value` (then `_value2`, …) instead: `build` → `build_value`,
//!   `set_build_value`, `get_build_value`. Members are served in model order,
//!   except that those named like a builder method come last, after those whose
//!   name starts with `set_` or `get_`: so `foo` keeps its methods and `set_foo`
//!   gets `set_foo_value`, and a member called `build_value` keeps its name
//!   while `build` gets `build_value2`. A structure's public fields are not
//!   renamed for methods (Rust keeps fields and methods apart); a builder's
//!   private fields are named like its methods;
//! - two types that would get the same name (compared case-insensitively, as
//!   Smithy does) are a model error;
//! - names the generator makes by adding a suffix to a model shape's name
//!   never share a module with model shapes, so a model may have both `Image`
//!   and `ImageBuilder`: the builder of a shared structure is
//!   `types::builders::ImageBuilder` (of a modeled error,
//!   `error::builders::…`), while `types::ImageBuilder` is the model's shape.
//!   An operation module (`operation::create_stage`) holds only names made from
//!   the operation's name (`CreateStageInput`, `CreateStageInputBuilder`,
//!   `CreateStageFluentBuilder`, …), which cannot clash. Each type's private file
//!   module is its snake_case name; `builders` is taken, so a shape called
//!   `Builders` lives in `builders_shape.rs`.

use std::collections::BTreeMap;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{local_name, Member, Model, Role, ShapeKind};

/// Rust keywords (strict, reserved and edition-2018+ ones).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];

/// Methods that builders and fluent builders have (their own, from derived
/// traits, or from blanket impls such as `Into`) and that a member's builder
/// methods must not take over.
pub const BUILDER_METHODS: &[&str] = &[
    "as_input", "borrow", "borrow_mut", "build", "builder", "clone", "clone_from", "customize", "default", "eq",
    "fmt", "from", "hash", "into", "into_paginator", "ne", "new", "send", "to_owned", "try_from", "try_into",
    "type_id",
];

/// Methods `Client` has besides one per operation (its own, and from derived
/// traits or blanket impls).
pub const CLIENT_METHODS: &[&str] = &[
    "borrow", "borrow_mut", "clone", "clone_from", "fmt", "from", "from_conf", "handle", "into", "new", "to_owned",
    "try_from", "try_into", "type_id",
];

/// The `Client` method of an operation: its module name (`create_stage`), or
/// `new_operation` for an operation called `New`, whose name `Client` already uses.
pub fn client_method(op: &crate::ir::Operation) -> String {
    if CLIENT_METHODS.contains(&op.rust_module.as_str()) {
        format!("{}_operation", op.rust_module)
    } else {
        op.rust_module.clone()
    }
}

/// Fields an error structure has besides its members.
const ERROR_FIELDS: &[&str] = &["meta"];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super"];

/// The reserved variant for values the model does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The variant of every operation error enum for errors the model does not describe.
pub const UNHANDLED_VARIANT: &str = "Unhandled";

/// The variant of an operation error enum for a modeled error: the error's
/// type name, except that an error called `Unhandled` becomes `UnhandledValue`.
pub fn error_variant_name(error_type: &str) -> String {
    if error_type == UNHANDLED_VARIANT {
        format!("{error_type}Value")
    } else {
        error_type.to_string()
    }
}

/// A field, method or module name for a wire name.
pub fn field_name(wire: &str) -> String {
    escape_snake(&wire.to_snake_case())
}

/// Escapes a snake_case name that happens to be a keyword.
pub fn escape_snake(name: &str) -> String {
    let name = if name.is_empty() { "value".to_string() } else { name.to_string() };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("_{name}") } else { name };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A type name for a shape's local name.
pub fn type_name(local: &str) -> String {
    let name = local.to_upper_camel_case();
    match name.as_str() {
        "Self" => "SelfValue".to_string(),
        _ if name.starts_with(|c: char| c.is_ascii_digit()) => format!("Value{name}"),
        _ => name,
    }
}

/// An enum or union variant name for a model member name.
pub fn variant_name(wire: &str) -> String {
    let name = type_name(wire);
    if name == UNKNOWN_VARIANT {
        "UnknownValue".to_string()
    } else if name.is_empty() {
        "Empty".to_string()
    } else {
        name
    }
}

/// The suffix of the crate-private JSON functions of a shape (`ser_…`, `de_…`):
/// from its Rust name when it has one (so `rename` is respected), else from
/// its local name (lists and maps).
pub fn shape_fn_suffix(shape: &crate::ir::Shape) -> String {
    let base = if shape.rust_name.is_empty() { local_name(&shape.id) } else { shape.rust_name.as_str() };
    unraw(&field_name(base)).to_string()
}

/// The ec2Query key of a structure member: its `@ec2QueryName` as written,
/// else its `@xmlName` or member name with the first letter capitalized
/// (`token` → `Token`).
pub fn ec2_query_key(member: &Member) -> String {
    ec2_query_key_of(&member.name, &member.xml)
}

fn ec2_query_key_of(name: &str, xml: &crate::ir::XmlMember) -> String {
    if let Some(name) = &xml.ec2_query_name {
        return name.clone();
    }
    let name = xml.name.as_deref().unwrap_or(name);
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The awsQuery key of a structure member: its `@xmlName`, else its name.
pub fn aws_query_key(member: &Member) -> &str {
    member.xml.name.as_deref().unwrap_or(&member.name)
}

/// The suffix of a union's `as_…`/`is_…` methods for a variant name.
pub fn variant_method_suffix(variant: &str) -> String {
    unraw(&field_name(variant)).to_string()
}

/// The `is_…` method of an operation error enum for one of its variants,
/// e.g. `is_resource_not_found_exception`.
pub fn error_is_method(variant: &str) -> String {
    format!("is_{}", variant_method_suffix(variant))
}

/// The module of `types` and `error` that holds the builders of their structures.
pub const BUILDERS_MODULE: &str = "builders";

/// The private file module of a `types`/`error` type, e.g. `stage_summary`
/// (`builders_shape` for a type called `Builders`: see [`BUILDERS_MODULE`]).
pub fn file_module_name(type_name: &str) -> String {
    let name = field_name(type_name);
    if name == BUILDERS_MODULE {
        format!("{name}_shape")
    } else {
        name
    }
}

/// The error enum of an event-stream union's modeled exception events,
/// e.g. `TranscriptResultStreamError` (in `types`, next to the union).
pub fn event_stream_error_name(union_type: &str) -> String {
    format!("{union_type}Error")
}

/// The generated function that reads one message of an event-stream union
/// (`unmarshal_transcript_result_stream`) or writes one (`marshal_…`).
pub fn event_stream_fn_name(direction: &str, union_type: &str) -> String {
    format!("{direction}_{}", union_type.to_snake_case())
}

/// The builder of a structure type, e.g. `StageBuilder`.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The fluent builder a client method returns, e.g. `CreateStageFluentBuilder`.
pub fn fluent_builder_name(operation: &str) -> String {
    format!("{}FluentBuilder", type_name(operation))
}

/// The client method that starts a waiter, e.g. `wait_until_table_exists`.
pub fn waiter_method(waiter: &str) -> String {
    format!("wait_until_{}", waiter.to_snake_case())
}

/// The builder the waiter methods of an operation return, e.g.
/// `DescribeTableWaiter` (in the crate's `waiters` module, which holds only
/// waiters).
pub fn waiter_builder_name(operation: &str) -> String {
    format!("{}Waiter", type_name(operation))
}

/// The `static` describing a waiter to the runtime, e.g. `TABLE_EXISTS`.
pub fn waiter_static_name(waiter: &str) -> String {
    waiter.to_shouty_snake_case()
}

/// The paginator of an operation and its item stream, e.g. `ListStagesPaginator`.
pub fn paginator_names(operation: &str) -> (String, String) {
    let base = type_name(operation);
    (format!("{base}Paginator"), format!("{base}PaginatorItems"))
}

/// A builder's method that sets a member, e.g. `r#type`, `build_value` for a member `build`.
pub fn builder_method(member: &Member) -> &str {
    &member.rust_method
}

/// The method of an operation's input that lists the endpoint parameters
/// the operation sets.
pub const ENDPOINT_PARAMS_METHOD: &str = "endpoint_params";

/// The trait of a generated `config` module that adds the service's client
/// context parameters to the runtime's `ConfigBuilder`.
pub const CLIENT_CONTEXT_PARAMS_TRAIT: &str = "ConfigBuilderExt";

/// Methods the runtime's `ConfigBuilder` already has, which a client
/// context parameter's setter must not shadow.
const CONFIG_BUILDER_METHODS: &[&str] = &[
    "build", "clone", "credentials_provider", "default", "endpoint_url", "fmt", "from_environment",
    "http_client", "region", "retry_config", "sleep_impl", "time_source", "timeout_config", "use_dual_stack",
    "use_fips", "client_context_param",
];

/// The setters of client context parameters (`Accelerate` → `accelerate`
/// and `set_accelerate`), in the order given. A name that is already a
/// `ConfigBuilder` method gets `_param` (`Region` → `region_param`), and
/// names that meet after case conversion are told apart as members are
/// (`_2`, `_3`).
pub fn client_context_param_setters<'a>(params: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut names: Vec<String> = params
        .map(|name| {
            let field = field_name(name);
            if CONFIG_BUILDER_METHODS.contains(&unraw(&field)) {
                format!("{}_param", unraw(&field))
            } else {
                field
            }
        })
        .collect();
    disambiguate(&mut names, "_");
    names.into_iter().map(|name| {
        let set = format!("set_{}", unraw(&name));
        (name, set)
    }).collect()
}

/// A builder's private field for a member: named like its methods, so that
/// `get_foo` returns the field `foo` even when another member is called
/// `get_foo` (clippy's `misnamed_getters` reads it that way).
pub fn builder_field(member: &Member) -> &str {
    &member.rust_method
}

/// A builder's `set_…` method for a member, e.g. `set_type` for `r#type`.
pub fn setter_name(member: &Member) -> String {
    format!("set_{}", unraw(&member.rust_method))
}

/// A builder's `get_…` method for a member.
pub fn getter_name(member: &Member) -> String {
    format!("get_{}", unraw(&member.rust_method))
}

/// The field name without a raw-identifier prefix, for builder method names
/// like `set_type` that are built from it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Makes every name in `names` unique: the first keeps its name, later
/// duplicates get `_2`, `_3`, … (`2`, `3` for UpperCamel names).
fn disambiguate(names: &mut [String], separator: &str) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let originals: Vec<String> = names.to_vec();
    for (index, name) in names.iter_mut().enumerate() {
        let count = seen.entry(unraw(&originals[index]).to_string()).or_default();
        *count += 1;
        if *count > 1 {
            let base = unraw(name).trim_end_matches('_').to_string();
            let mut candidate = format!("{base}{separator}{count}");
            while originals.iter().any(|o| unraw(o) == candidate) {
                *count += 1;
                candidate = format!("{base}{separator}{count}");
            }
            *name = candidate;
        }
    }
}

/// Fields (unique, none of `reserved`) and then builder method names.
fn member_names(members: &mut [Member], reserved: &[&str]) {
    let mut names: Vec<String> = members
        .iter()
        .map(|m| field_name(&m.name))
        .map(|name| if reserved.contains(&name.as_str()) { format!("{name}_value") } else { name })
        .collect();
    disambiguate(&mut names, "_");
    for (member, name) in members.iter_mut().zip(names) {
        member.rust_name = name;
    }
    method_names(members);
}

/// The builder method names of the members (see the module docs).
fn method_names(members: &mut [Member]) {
    let mut taken: std::collections::BTreeSet<String> = BUILDER_METHODS.iter().map(|m| m.to_string()).collect();
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&i| {
        let field = unraw(&members[i].rust_name);
        (BUILDER_METHODS.contains(&field), field.starts_with("set_") || field.starts_with("get_"))
    });
    for i in order {
        let field = members[i].rust_name.clone();
        let base = unraw(&field).to_string();
        let mut candidate = field;
        let mut attempt = 1;
        loop {
            let bare = unraw(&candidate);
            let names = [bare.to_string(), format!("set_{bare}"), format!("get_{bare}")];
            if names.iter().all(|name| !taken.contains(name)) {
                taken.extend(names);
                break;
            }
            candidate = if attempt == 1 { format!("{base}_value") } else { format!("{base}_value{attempt}") };
            attempt += 1;
        }
        members[i].rust_method = candidate;
    }
}

fn variant_names<'a>(wire: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = wire.map(variant_name).collect();
    disambiguate(&mut names, "");
    names
}

/// Fills every Rust name in the model; reports types whose names collide.
pub fn assign_names(model: &mut Model, diagnostics: &mut Diagnostics) {
    model.service.rust_name = type_name(model.service.sdk_id.as_deref().unwrap_or(local_name(&model.service.id)));
    let mut op_names: BTreeMap<String, (String, String)> = BTreeMap::new();
    for op in &mut model.operations {
        op.rust_module = field_name(&op.name);
        let prefix = type_name(&op.name);
        op.rust_error_name = format!("{prefix}Error");
        op_names.insert(op.id.clone(), (prefix, op.rust_module.clone()));
    }
    for shape in model.shapes.values_mut() {
        shape.rust_name = match (&shape.role, &shape.kind) {
            (Role::Input(op), _) => format!("{}Input", op_names.get(op).map_or("", |(p, _)| p.as_str())),
            (Role::Output(op), _) => format!("{}Output", op_names.get(op).map_or("", |(p, _)| p.as_str())),
            (_, ShapeKind::Simple(_) | ShapeKind::List { .. } | ShapeKind::Map { .. }) => String::new(),
            _ => type_name(model.service.rename.get(&shape.id).map_or_else(|| local_name(&shape.id), String::as_str)),
        };
        match &mut shape.kind {
            ShapeKind::Structure(members) => {
                let reserved = if matches!(shape.role, Role::Error(_)) { ERROR_FIELDS } else { &[] };
                member_names(members, reserved)
            }
            ShapeKind::Union(members) => {
                let names = variant_names(members.iter().map(|m| m.name.as_str()));
                for (member, name) in members.iter_mut().zip(names) {
                    member.rust_name = name;
                }
            }
            ShapeKind::Enum(values) => {
                let names = variant_names(values.iter().map(|v| v.name.as_str()));
                for (value, name) in values.iter_mut().zip(names) {
                    value.rust_name = name;
                }
            }
            ShapeKind::IntEnum(values) => {
                let names = variant_names(values.iter().map(|v| v.name.as_str()));
                for (value, name) in values.iter_mut().zip(names) {
                    value.rust_name = name;
                }
            }
            ShapeKind::List { member, .. } => member.rust_name = "member".to_string(),
            ShapeKind::Map { key, value, .. } => {
                key.rust_name = "key".to_string();
                value.rust_name = "value".to_string();
            }
            ShapeKind::Simple(_) => {}
        }
    }
    report_type_collisions(model, diagnostics);
}

/// Types in the same module must differ (case-insensitively, like Smithy's
/// own rule), and so must the file modules of `types` and `error`. Builders
/// are not compared: they live in their own `builders` module (see the module docs).
fn report_type_collisions(model: &Model, diagnostics: &mut Diagnostics) {
    let mut types: BTreeMap<(&str, String), Vec<&str>> = BTreeMap::new();
    let mut files: BTreeMap<(&str, String), Vec<&str>> = BTreeMap::new();
    // An event stream's exceptions are an enum next to its union in `types`.
    let event_errors: Vec<(String, String)> = model
        .shapes
        .values()
        .filter(|s| s.streaming && matches!(s.kind, ShapeKind::Union(_)) && !s.rust_name.is_empty())
        .map(|s| (event_stream_error_name(&s.rust_name).to_lowercase(), format!("the error enum of event stream {}", s.id)))
        .collect();
    for shape in model.shapes.values() {
        if shape.rust_name.is_empty() {
            continue;
        }
        let module = match shape.role {
            Role::Data => "types",
            Role::Error(_) => "error",
            Role::Input(_) | Role::Output(_) => "operation",
        };
        types.entry((module, shape.rust_name.to_lowercase())).or_default().push(&shape.id);
        if module != "operation" {
            let file = format!("{module}/{}.rs", unraw(&file_module_name(&shape.rust_name)));
            files.entry((module, file)).or_default().push(&shape.id);
        }
    }
    for (name, label) in &event_errors {
        types.entry(("types", name.clone())).or_default().push(label);
    }
    // `error` also re-exports the runtime's `BuildError`.
    if let Some(ids) = types.get_mut(&("error", "builderror".to_string())) {
        ids.push("the runtime's `BuildError` (re-exported)");
    }
    let mut reported: Vec<&str> = Vec::new();
    for ((module, name), ids) in types.into_iter().chain(files) {
        if ids.len() > 1 && !ids.iter().all(|id| reported.contains(id)) {
            diagnostics.push(Diagnostic::shape(
                ids[0],
                format!(
                    "Rust name collision in module `{module}`: {} all become `{name}` (case-insensitive); rename one in the model",
                    ids.join(", ")
                ),
            ));
            reported.extend(&ids);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_context_param_setters_avoid_config_builder_methods() {
        let names = client_context_param_setters(
            ["Accelerate", "ForcePathStyle", "Region", "UseFIPS", "type", "force_path_style"].into_iter(),
        );
        let setters: Vec<&str> = names.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            setters,
            ["accelerate", "force_path_style", "region_param", "use_fips_param", "r#type", "force_path_style_2"]
        );
        assert_eq!(names[4].1, "set_type");
        assert_eq!(names[2].1, "set_region_param");
    }

    #[test]
    fn ec2_query_keys_prefer_the_query_name_then_capitalize() {
        use crate::ir::XmlMember;
        let xml = |name: Option<&str>, query: Option<&str>| XmlMember {
            name: name.map(str::to_string),
            ec2_query_name: query.map(str::to_string),
            ..XmlMember::default()
        };
        assert_eq!(ec2_query_key_of("token", &xml(None, None)), "Token");
        assert_eq!(ec2_query_key_of("token", &xml(Some("usesXmlName"), None)), "UsesXmlName");
        assert_eq!(ec2_query_key_of("token", &xml(Some("x"), Some("queryName"))), "queryName");
        assert_eq!(ec2_query_key_of("élan", &xml(None, None)), "Élan");
        assert_eq!(ec2_query_key_of("", &xml(None, None)), "");
    }

    #[test]
    fn fields_are_snake_case_with_keywords_escaped() {
        assert_eq!(field_name("participantId"), "participant_id");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("match"), "r#match");
        assert_eq!(field_name("async"), "r#async");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(field_name("super"), "super_");
        assert_eq!(field_name("1st"), "_1st");
        assert_eq!(field_name("ARN"), "arn");
        assert_eq!(field_name("Option"), "option");
    }

    #[test]
    fn types_and_variants_are_upper_camel_case() {
        assert_eq!(type_name("ParticipantTokenConfiguration"), "ParticipantTokenConfiguration");
        assert_eq!(type_name("Self"), "SelfValue");
        assert_eq!(type_name("Option"), "Option");
        assert_eq!(type_name("1080p"), "Value1080p");
        assert_eq!(variant_name("B_FRAME_PRESENT"), "BFramePresent");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("Self"), "SelfValue");
        assert_eq!(variant_name("AUDIO_VIDEO"), "AudioVideo");
    }

    #[test]
    fn colliding_names_are_resolved_in_model_order() {
        let mut names = vec!["foo_bar".to_string(), "foo_bar".to_string(), "foo_bar_2".to_string(), "x".into()];
        disambiguate(&mut names, "_");
        assert_eq!(names, ["foo_bar", "foo_bar_3", "foo_bar_2", "x"]);
        assert_eq!(variant_names(["A_B", "AB", "Ab"].into_iter()), ["AB", "Ab", "Ab2"]);
        let mut raw = vec!["r#type".to_string(), "r#type".to_string()];
        disambiguate(&mut raw, "_");
        assert_eq!(raw, ["r#type", "type_2"]);
        let mut escaped = vec![field_name("self"), field_name("Self")];
        disambiguate(&mut escaped, "_");
        assert_eq!(escaped, ["self_", "self_2"]);
    }

    #[test]
    fn a_shape_named_like_a_builder_is_not_a_collision() {
        let model = crate::lower::tests::lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Get"}]},
                "a#Get": {"type": "operation", "output": {"target": "a#Out"}},
                "a#Out": {"type": "structure", "members": {
                    "image": {"target": "a#Image"}, "builder": {"target": "a#ImageBuilder"}, "b": {"target": "a#Builders"}}},
                "a#Image": {"type": "structure", "members": {}},
                "a#ImageBuilder": {"type": "structure", "members": {}},
                "a#Builders": {"type": "structure", "members": {}}}"#,
        );
        let names: Vec<(&str, String, String)> = ["a#Image", "a#ImageBuilder", "a#Builders"]
            .into_iter()
            .map(|id| {
                let shape = model.shape(id);
                (shape.rust_name.as_str(), builder_name(&shape.rust_name), file_module_name(&shape.rust_name))
            })
            .collect();
        assert_eq!(
            names,
            [
                ("Image", "ImageBuilder".to_string(), "image".to_string()),
                ("ImageBuilder", "ImageBuilderBuilder".to_string(), "image_builder".to_string()),
                ("Builders", "BuildersBuilder".to_string(), "builders_shape".to_string()),
            ]
        );
    }

    #[test]
    fn a_type_named_like_an_event_stream_error_enum_is_a_collision() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Watch"}], "traits": {"aws.protocols#restJson1": {}}},
            "a#Watch": {"type": "operation", "input": {"target": "a#In"}, "output": {"target": "a#Out"}, "traits": {"smithy.api#http": {"method": "GET", "uri": "/"}}},
            "a#In": {"type": "structure", "members": {"other": {"target": "a#EventsError"}}},
            "a#EventsError": {"type": "structure"},
            "a#Out": {"type": "structure", "members": {"events": {"target": "a#Events", "traits": {"smithy.api#httpPayload": {}}}}},
            "a#Events": {"type": "union", "members": {"tick": {"target": "a#Tick"}}, "traits": {"smithy.api#streaming": {}}},
            "a#Tick": {"type": "structure"}}}"#;
        let Err(diagnostics) = crate::lower::lower("test", text) else { panic!("the collision must be reported") };
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            ["a#EventsError: Rust name collision in module `types`: a#EventsError, the error enum of event stream a#Events \
              all become `eventserror` (case-insensitive); rename one in the model"]
        );
    }

    #[test]
    fn real_type_collisions_stay_errors() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Get"}]},
            "a#Get": {"type": "operation", "output": {"target": "a#Out"}, "errors": [{"target": "a#BuildError"}]},
            "a#Out": {"type": "structure", "members": {"x": {"target": "a#Thing"}, "y": {"target": "b#THING"}}},
            "a#Thing": {"type": "structure", "members": {}},
            "b#THING": {"type": "structure", "members": {}},
            "a#BuildError": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}}}}"#;
        let Err(diagnostics) = crate::lower::lower("test", text) else { panic!("collisions must be reported") };
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "a#BuildError: Rust name collision in module `error`: a#BuildError, the runtime's `BuildError` (re-exported) all become `builderror` (case-insensitive); rename one in the model",
                "a#Thing: Rust name collision in module `types`: a#Thing, b#THING all become `thing` (case-insensitive); rename one in the model",
            ]
        );
    }

    #[test]
    fn builder_methods_keep_clear_of_builder_methods_and_each_other() {
        let model = crate::lower::tests::lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Get"}]},
                "a#Get": {"type": "operation", "output": {"target": "a#Out"}, "errors": [{"target": "a#Oops"}]},
                "a#Out": {"type": "structure", "members": {
                    "set_foo": {"target": "smithy.api#String"}, "foo": {"target": "smithy.api#String"},
                    "build": {"target": "smithy.api#String"}, "Default": {"target": "smithy.api#String"},
                    "set_default": {"target": "smithy.api#String"}, "send": {"target": "smithy.api#String"},
                    "type": {"target": "smithy.api#String"}, "build_value": {"target": "smithy.api#String"}}},
                "a#Oops": {"type": "structure", "members": {"meta": {"target": "smithy.api#String"}},
                    "traits": {"smithy.api#error": "client"}}}"#,
        );
        let methods = |id: &str| -> Vec<(String, String, String, String)> {
            let ShapeKind::Structure(members) = &model.shape(id).kind else { panic!("structure") };
            members
                .iter()
                .map(|m| (m.rust_name.clone(), builder_method(m).to_string(), setter_name(m), getter_name(m)))
                .collect()
        };
        let row = |a: &str, b: &str, c: &str, d: &str| (a.to_string(), b.to_string(), c.to_string(), d.to_string());
        assert_eq!(
            methods("a#Out"),
            [
                row("set_foo", "set_foo_value", "set_set_foo_value", "get_set_foo_value"),
                row("foo", "foo", "set_foo", "get_foo"),
                row("build", "build_value2", "set_build_value2", "get_build_value2"),
                row("default", "default_value", "set_default_value", "get_default_value"),
                row("set_default", "set_default", "set_set_default", "get_set_default"),
                row("send", "send_value", "set_send_value", "get_send_value"),
                row("r#type", "r#type", "set_type", "get_type"),
                row("build_value", "build_value", "set_build_value", "get_build_value"),
            ]
        );
        assert_eq!(methods("a#Oops"), [row("meta_value", "meta_value", "set_meta_value", "get_meta_value")]);
    }

    #[test]
    fn operation_methods_keep_clear_of_client_methods() {
        let model = crate::lower::tests::lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#New"}, {"target": "a#GetThing"}]},
                "a#New": {"type": "operation"}, "a#GetThing": {"type": "operation"}}"#,
        );
        let methods: Vec<(String, String)> =
            model.operations.iter().map(|op| (op.rust_module.clone(), client_method(op))).collect();
        assert_eq!(
            methods,
            [("get_thing".to_string(), "get_thing".to_string()), ("new".to_string(), "new_operation".to_string())]
        );
    }
}
