//! Pass: bind the endpoint parameters that do not come from the client's
//! built-ins — `smithy.rules#clientContextParams` on the service,
//! `staticContextParams` and `operationContextParams` on operations, and
//! `contextParam` on input members — into typed IR.
//!
//! Runs after naming, because a path into the input is lowered into steps
//! that carry the Rust field names the emitter writes. Every parameter is
//! checked against the rule set's declaration (it must exist and have the
//! type the source gives); an operation context parameter's path is parsed
//! from the JMESPath subset Smithy allows (`a.b`, `a[*].b`, `a.*`,
//! `keys(a)`) and walked over the input's shapes. Problems are diagnostics
//! naming the operation (or member) and the parameter. A service without
//! endpoint rules binds nothing: no rule would read the values.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ast::Shape as AstShape;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{
    ClientContextParam, EndpointParamSource, EndpointParamType, Model, OperationEndpointParam, PathLeaf, ShapeKind,
    StaticParamValue,
};
use crate::lower::paths::{parse_path, resolve_path, RawPath, Segment};
use crate::traits::{self as t, Site, TraitReader};

pub fn bind_endpoint_params(model: &mut Model, shapes: &BTreeMap<String, AstShape>, diagnostics: &mut Diagnostics) {
    let Some(declared) = declared_params(model) else { return };
    let service_id = model.service.id.clone();
    if let Some(AstShape::Service(svc)) = shapes.get(&service_id) {
        let mut r = TraitReader::new(&svc.traits, Site { shape: &service_id, member: None }, diagnostics);
        let params: BTreeMap<String, t::ClientContextParam> = r.structured(t::CLIENT_CONTEXT_PARAMS).unwrap_or_default();
        model.service.client_context_params = client_context_params(&service_id, params, &declared, diagnostics);
    }
    let mut bound = Vec::with_capacity(model.operations.len());
    for op in &model.operations {
        let Some(AstShape::Operation(ast_op)) = shapes.get(&op.id) else {
            bound.push(Vec::new());
            continue;
        };
        let mut params = Vec::new();
        let mut r = TraitReader::new(&ast_op.traits, Site { shape: &op.id, member: None }, diagnostics);
        let statics: BTreeMap<String, t::StaticContextParam> = r.structured(t::STATIC_CONTEXT_PARAMS).unwrap_or_default();
        let paths: BTreeMap<String, t::OperationContextParam> =
            r.structured(t::OPERATION_CONTEXT_PARAMS).unwrap_or_default();
        for (name, param) in statics {
            let site = Problem { shape: &op.id, member: None, trait_id: t::STATIC_CONTEXT_PARAMS, param: &name };
            let Some(value) = static_value(&param.value) else {
                diagnostics.push(site.problem("the value must be a string, a boolean or a list of strings"));
                continue;
            };
            let ty = match &value {
                StaticParamValue::String(_) => EndpointParamType::String,
                StaticParamValue::Bool(_) => EndpointParamType::Boolean,
                StaticParamValue::StringArray(_) => EndpointParamType::StringArray,
            };
            if site.check_declared(&declared, ty, diagnostics) {
                params.push(OperationEndpointParam { name, source: EndpointParamSource::Static(value), required_member: None });
            }
        }
        let input_members = ast_op.input.as_ref().and_then(|input| match shapes.get(&input.target) {
            Some(AstShape::Structure(s)) => Some((input.target.as_str(), &s.members.0)),
            _ => None,
        });
        for (input_id, (member, def)) in input_members.into_iter().flat_map(|(id, members)| members.iter().map(move |m| (id, m))) {
            let mut r = TraitReader::new(&def.traits, Site { shape: input_id, member: Some(member) }, diagnostics);
            let Some(context) = r.structured::<t::ContextParam>(t::CONTEXT_PARAM) else { continue };
            let site = Problem { shape: input_id, member: Some(member), trait_id: t::CONTEXT_PARAM, param: &context.name };
            let path = RawPath { keys: false, segments: vec![Segment::Field(member.clone())] };
            let required = match &model.shape(&op.input).kind {
                ShapeKind::Structure(members) => members.iter().find(|m| m.name == *member).filter(|m| m.required),
                _ => None,
            };
            let required_member = required.map(|m| crate::naming::unraw(&m.rust_name).to_string());
            let binding = Binding { text: member, path, site, required_member };
            bind_path(model, &op.input, binding, &declared, &mut params, diagnostics);
        }
        for (name, param) in paths {
            let site = Problem { shape: &op.id, member: None, trait_id: t::OPERATION_CONTEXT_PARAMS, param: &name };
            match parse_path(&param.path) {
                Ok(path) => {
                    let binding = Binding { text: &param.path, path, site, required_member: None };
                    bind_path(model, &op.input, binding, &declared, &mut params, diagnostics)
                }
                Err(why) => diagnostics.push(site.problem(format!("path `{}`: {why}", param.path))),
            }
        }
        bound.push(params);
    }
    for (op, params) in model.operations.iter_mut().zip(bound) {
        op.endpoint_params = params;
    }
}

/// The rule set's parameters and their types; `None` without a rule set.
/// A rule set that does not parse is the runtime's to report (it checks
/// the whole rule set on first use); its parameters are simply not known.
fn declared_params(model: &Model) -> Option<BTreeMap<String, EndpointParamType>> {
    let rules = model.service.endpoint_rule_set.as_ref()?;
    let declared = rules
        .get("parameters")
        .and_then(Value::as_object)
        .map(|params| {
            params
                .iter()
                .filter_map(|(name, p)| {
                    let ty = p.get("type").and_then(Value::as_str).and_then(EndpointParamType::from_name)?;
                    Some((name.clone(), ty))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(declared)
}

fn client_context_params(
    service_id: &str,
    params: BTreeMap<String, t::ClientContextParam>,
    declared: &BTreeMap<String, EndpointParamType>,
    diagnostics: &mut Diagnostics,
) -> Vec<ClientContextParam> {
    let mut kept = Vec::new();
    for (name, param) in params {
        let site = Problem { shape: service_id, member: None, trait_id: t::CLIENT_CONTEXT_PARAMS, param: &name };
        match EndpointParamType::from_name(&param.ty) {
            Some(ty @ (EndpointParamType::String | EndpointParamType::Boolean)) => {
                if site.check_declared(declared, ty, diagnostics) {
                    kept.push((name, ty, param.documentation));
                }
            }
            _ => diagnostics.push(site.problem(format!("type `{}` is not `string` or `boolean`", param.ty))),
        }
    }
    let setters = crate::naming::client_context_param_setters(kept.iter().map(|(name, _, _)| name.as_str()));
    kept.into_iter()
        .zip(setters)
        .map(|((name, ty, docs), (rust_setter, rust_option_setter))| ClientContextParam {
            name,
            ty,
            docs,
            rust_setter,
            rust_option_setter,
        })
        .collect()
}

/// Where a parameter is bound, for diagnostics.
#[derive(Clone, Copy)]
struct Problem<'a> {
    shape: &'a str,
    member: Option<&'a str>,
    trait_id: &'a str,
    param: &'a str,
}

impl Problem<'_> {
    fn problem(&self, why: impl std::fmt::Display) -> Diagnostic {
        let message = format!("trait `{}`: parameter `{}`: {why}", self.trait_id, self.param);
        match self.member {
            Some(member) => Diagnostic::member(self.shape, member, message),
            None => Diagnostic::shape(self.shape, message),
        }
    }

    /// Whether the rule set declares the parameter with type `ty`;
    /// reports it when not.
    fn check_declared(
        &self,
        declared: &BTreeMap<String, EndpointParamType>,
        ty: EndpointParamType,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        match declared.get(self.param) {
            None => {
                diagnostics.push(self.problem("the endpoint rules declare no parameter of that name"));
                false
            }
            Some(want) if *want != ty => {
                diagnostics.push(self.problem(format!(
                    "the endpoint rules declare it as {}, but this gives a {}",
                    want.as_str(),
                    ty.as_str()
                )));
                false
            }
            Some(_) => true,
        }
    }
}

/// A parsed path to bind to a parameter.
struct Binding<'a> {
    text: &'a str,
    path: RawPath,
    site: Problem<'a>,
    /// The member's Rust name when it is a `@required` `contextParam` member.
    required_member: Option<String>,
}

fn bind_path(
    model: &Model,
    input: &str,
    binding: Binding<'_>,
    declared: &BTreeMap<String, EndpointParamType>,
    params: &mut Vec<OperationEndpointParam>,
    diagnostics: &mut Diagnostics,
) {
    let Binding { text, path, site, required_member } = binding;
    match resolve_path(model, input, text, &path) {
        Ok(path) => {
            let ty = match (path.projected, path.leaf) {
                (true, PathLeaf::Text) => EndpointParamType::StringArray,
                (false, PathLeaf::Text) => EndpointParamType::String,
                (false, PathLeaf::Boolean) => EndpointParamType::Boolean,
                (_, PathLeaf::Collection) => {
                    diagnostics.push(site.problem(format!("path `{text}` gives a list or map, which no endpoint parameter type holds")));
                    return;
                }
                (true, PathLeaf::Boolean) => {
                    diagnostics.push(site.problem(format!(
                        "path `{text}` gives a list of booleans, which no endpoint parameter type holds"
                    )));
                    return;
                }
            };
            if site.check_declared(declared, ty, diagnostics) {
                let required_member = required_member.filter(|_| ty == EndpointParamType::String);
                params.push(OperationEndpointParam {
                    name: site.param.to_string(),
                    source: EndpointParamSource::Input(path),
                    required_member,
                });
            }
        }
        Err(why) => diagnostics.push(site.problem(format!("path `{text}`: {why}"))),
    }
}

fn static_value(value: &Value) -> Option<StaticParamValue> {
    match value {
        Value::String(s) => Some(StaticParamValue::String(s.clone())),
        Value::Bool(b) => Some(StaticParamValue::Bool(*b)),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(StaticParamValue::StringArray),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::PathStep;
    use crate::lower::tests::lower_str;

    const MODEL: &str = r#"
        "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}],
          "traits": {
            "smithy.rules#clientContextParams": {
              "Accelerate": {"type": "boolean", "documentation": "Faster."},
              "Region": {"type": "string"}},
            "smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {
              "Region": {"type": "String"}, "Accelerate": {"type": "Boolean"},
              "Bucket": {"type": "String"}, "Control": {"type": "Boolean"},
              "Tables": {"type": "stringArray"}, "Keys": {"type": "stringArray"}, "Inner": {"type": "String"},
              "Aliases": {"type": "stringArray"}},
              "rules": [{"type": "error", "conditions": [], "error": "x"}]}}},
        "a#Op": {"type": "operation", "input": {"target": "a#In"},
          "traits": {
            "smithy.rules#staticContextParams": {"Control": {"value": true}},
            "smithy.rules#operationContextParams": {
              "Tables": {"path": "Items[*].Get.Table"}, "Keys": {"path": "keys(ByName)"}, "Inner": {"path": "Nested.Table"},
              "Aliases": {"path": "Items[*].Aliases[]"}}}},
        "a#In": {"type": "structure", "members": {
          "Bucket": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.rules#contextParam": {"name": "Bucket"}}},
          "Items": {"target": "a#Items"}, "ByName": {"target": "a#ByName"}, "Nested": {"target": "a#Get"}}},
        "a#Items": {"type": "list", "member": {"target": "a#Item"}},
        "a#Item": {"type": "structure", "members": {"Get": {"target": "a#Get"}, "Aliases": {"target": "a#Names"}}},
        "a#Names": {"type": "list", "member": {"target": "smithy.api#String"}},
        "a#Get": {"type": "structure", "members": {"Table": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}},
        "a#ByName": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "a#Get"}}
    "#;

    #[test]
    fn every_kind_of_parameter_is_bound() {
        let model = lower_str(&format!("{{{MODEL}}}"));
        let client: Vec<(&str, &str, EndpointParamType)> = model
            .service
            .client_context_params
            .iter()
            .map(|p| (p.name.as_str(), p.rust_setter.as_str(), p.ty))
            .collect();
        assert_eq!(
            client,
            [("Accelerate", "accelerate", EndpointParamType::Boolean), ("Region", "region_param", EndpointParamType::String)]
        );
        assert_eq!(model.service.client_context_params[0].docs.as_deref(), Some("Faster."));
        let op = &model.operations[0];
        let names: Vec<&str> = op.endpoint_params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Control", "Bucket", "Aliases", "Inner", "Keys", "Tables"]);
        assert_eq!(op.endpoint_params[0].source, EndpointParamSource::Static(StaticParamValue::Bool(true)));
        let path = |i: usize| match &op.endpoint_params[i].source {
            EndpointParamSource::Input(path) => path.clone(),
            other => panic!("expected a path, got {other:?}"),
        };
        let field = |name: &str, rust: &str, optional: bool| PathStep::Field {
            name: name.to_string(),
            rust_name: rust.to_string(),
            optional,
        };
        assert_eq!(path(1).steps, [field("Bucket", "bucket", true)]);
        assert_eq!(op.endpoint_params[1].required_member.as_deref(), Some("bucket"), "@required contextParam");
        assert!(op.endpoint_params.iter().skip(2).all(|p| p.required_member.is_none()));
        assert!(!path(1).projected);
        let aliases = path(2);
        assert_eq!(
            aliases.steps,
            [
                field("Items", "items", true),
                PathStep::Elements { sparse: false },
                field("Aliases", "aliases", true),
                PathStep::Elements { sparse: false }
            ],
            "`[]` inside a projection flattens each list into it"
        );
        assert!(aliases.projected);
        let tables = path(5);
        assert_eq!(
            tables.steps,
            [
                field("Items", "items", true),
                PathStep::Elements { sparse: false },
                field("Get", "get", true),
                field("Table", "table", false)
            ]
        );
        assert!(tables.projected && tables.leaf == PathLeaf::Text);
        assert_eq!(path(4).steps, [field("ByName", "by_name", true), PathStep::MapKeys]);
        assert_eq!(path(3).steps, [field("Nested", "nested", true), field("Table", "table", false)]);
    }

    #[test]
    fn paths_that_do_not_fit_the_shapes_are_refused() {
        let model = lower_str(&format!("{{{MODEL}}}"));
        let input = model.operations[0].input.clone();
        for (text, why) in [
            ("Items[*].Aliases[*]", "`[*]` inside a projection gives a list of lists"),
            ("keys(Items)", "`keys` is applied to `a#Items`, which is not a map"),
            ("Bucket[*]", "`[*]` is applied to `smithy.api#String`, which is not a list"),
            ("Nested.*", "not a map (object projections over structures are not supported)"),
            ("keys(ByName.*)", "`keys` is applied to `a#Get`, which is not a map"),
            ("Items", "it ends on `a#Items`, which is not a string"),
        ] {
            let raw = parse_path(text).expect(text);
            let err = resolve_path(&model, &input, text, &raw).expect_err(text);
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn bad_bindings_are_diagnostics_naming_operation_and_parameter() {
        let broken = MODEL
            .replace(r#""Tables": {"path": "Items[*].Get.Table"}"#, r#""Tables": {"path": "Items[0].Get"}"#)
            .replace(r#""Inner": {"path": "Nested.Table"}"#, r#""Inner": {"path": "Nested.Missing"}, "Keys2": {"path": "ByName"}"#)
            .replace(r#""Control": {"value": true}"#, r#""Control": {"value": "yes"}"#)
            .replace(r#""Region": {"type": "string"}"#, r#""Region": {"type": "integer"}"#);
        let text = format!(r#"{{"smithy": "2.0", "shapes": {{{broken}}}}}"#);
        let err = crate::lower::lower("m.json", &text).expect_err("broken bindings");
        let lines: Vec<String> = err.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "a#Op: trait `smithy.rules#operationContextParams`: parameter `Inner`: path `Nested.Missing`: `a#Get` has no member `Missing`",
                "a#Op: trait `smithy.rules#operationContextParams`: parameter `Keys2`: path `ByName`: it ends on `a#ByName`, which is not a string, string enum or boolean",
                "a#Op: trait `smithy.rules#operationContextParams`: parameter `Tables`: path `Items[0].Get`: `[0]` is not supported: only the projections `[*]` and `[]` (no indexes, slices or filters)",
                "a#Op: trait `smithy.rules#staticContextParams`: parameter `Control`: the endpoint rules declare it as boolean, but this gives a string",
                "a#Svc: trait `smithy.rules#clientContextParams`: parameter `Region`: type `integer` is not `string` or `boolean`",
            ],
            "{err}"
        );
    }

    #[test]
    fn a_parameter_the_rules_do_not_declare_is_a_diagnostic() {
        let broken = MODEL.replace(r#""name": "Bucket""#, r#""name": "Bukket""#);
        let text = format!(r#"{{"smithy": "2.0", "shapes": {{{broken}}}}}"#);
        let err = crate::lower::lower("m.json", &text).expect_err("undeclared");
        assert_eq!(
            err.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["a#In$Bucket: trait `smithy.rules#contextParam`: parameter `Bukket`: the endpoint rules declare no parameter of that name"]
        );
    }

    #[test]
    fn without_endpoint_rules_nothing_is_bound() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}]},
                "a#Op": {"type": "operation", "traits": {"smithy.rules#staticContextParams": {"X": {"value": true}}}}}"#,
        );
        assert!(model.operations[0].endpoint_params.is_empty());
        assert!(model.service.client_context_params.is_empty());
    }
}
