//! Lowering: JSON AST text → validated [`crate::ir::Model`], in small named passes.
//!
//! Every pass collects its problems into one [`Diagnostics`]; lowering stops
//! before naming when any were found, so a model with three problems reports
//! all three and nothing is generated.

pub mod apply;
pub mod auth;
pub mod closure;
pub mod convert;
pub mod defaults;
pub mod endpoint_params;
pub mod mixins;
pub mod nullability;
pub mod operation_io;
pub mod paths;
pub mod prelude;
pub mod protocol_bindings;
pub mod recursion;
pub mod resolve;
pub mod s3_bucket_path;
pub mod streaming;
pub mod unsupported;
pub mod validate;
pub mod waiters;

use std::collections::BTreeMap;

use crate::ast::{self, Shape};
use crate::diagnostics::Diagnostics;
use crate::ir::Model;
use crate::naming;

/// Reads, resolves, validates and names a model with exactly one service.
pub fn lower(source_name: &str, text: &str) -> Result<Model, Diagnostics> {
    lower_service(source_name, text, None)
}

/// Like [`lower`], for the service `service` of a model that may hold several.
pub fn lower_service(source_name: &str, text: &str, service: Option<&str>) -> Result<Model, Diagnostics> {
    let parsed = ast::parse_model(source_name, text)?;
    let mut diagnostics = parsed.diagnostics;
    let mut shapes: BTreeMap<String, Shape> = prelude::shapes().into_iter().collect();
    for (id, shape) in parsed.shapes {
        if prelude::is_prelude(&id) {
            diagnostics.push(crate::diagnostics::Diagnostic::shape(&id, "the smithy.api namespace is reserved for the prelude"));
            continue;
        }
        shapes.insert(id, shape);
    }
    apply::apply_traits(&mut shapes, &mut diagnostics);
    mixins::flatten_mixins(&mut shapes, &mut diagnostics);
    resolve::resolve_targets(&shapes, &mut diagnostics);
    let service_id = closure::find_service(&shapes, service, &mut diagnostics);
    let Some(service_id) = service_id else { return Err(stop(diagnostics)) };
    let closure = closure::walk_closure(&service_id, &shapes);
    let Some(mut service) = convert::convert_service(&service_id, &shapes, &mut diagnostics) else {
        return Err(stop(diagnostics));
    };
    let service_errors: Vec<String> = match shapes.get(&service_id) {
        Some(Shape::Service(svc)) => svc.errors.iter().map(|e| e.target.clone()).collect(),
        _ => Vec::new(),
    };
    let mut operations: Vec<_> = closure
        .operations
        .iter()
        .filter_map(|id| convert::convert_operation(id, &shapes, &service, &service_errors, &mut diagnostics))
        .collect();
    auth::resolve_auth(&shapes, &mut service, &mut operations, &mut diagnostics);
    let mut ir_shapes = convert::convert_shapes(&closure.shapes, &shapes, &mut diagnostics);
    validate::validate(&service, &operations, &ir_shapes, &mut diagnostics);
    protocol_bindings::drop_ignored_traits(&service, &mut operations, &mut ir_shapes);
    let mut warnings = diagnostics.take_warnings();
    std::mem::take(&mut diagnostics).into_result(())?;
    unsupported::mark_unsupported_operations(&service.protocol, &mut operations, &ir_shapes);
    operation_io::give_operations_own_io(&mut operations, &mut ir_shapes);
    streaming::mark_stream_members(&service, &mut operations, &mut ir_shapes);
    nullability::decide_optional_members(&mut ir_shapes);
    recursion::box_recursive_members(&mut ir_shapes);
    let mut model = Model { service, shapes: ir_shapes, operations, warnings: Vec::new() };
    naming::assign_names(&mut model, &mut diagnostics);
    endpoint_params::bind_endpoint_params(&mut model, &shapes, &mut diagnostics);
    s3_bucket_path::drop_bucket_from_s3_paths(&mut model);
    waiters::lower_waiters(&mut model, &shapes, &mut diagnostics);
    warnings.extend(diagnostics.take_warnings());
    warnings.sort();
    warnings.dedup();
    model.warnings = warnings;
    diagnostics.into_result(model)
}

/// The diagnostics of a pass that could not produce its result. The passes
/// always say why; the fallback message only guards that promise.
fn stop(diagnostics: Diagnostics) -> Diagnostics {
    match diagnostics.into_result(()) {
        Err(found) => found,
        Ok(()) => Diagnostics::from(crate::diagnostics::Diagnostic::model("internal error: lowering stopped without a reason")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Parses `{"id": shape, ...}` into an AST shape table with the prelude.
    pub fn shapes_of(json: &str) -> BTreeMap<String, Shape> {
        let text = format!(r#"{{"smithy": "2.0", "shapes": {json}}}"#);
        let parsed = ast::parse_model("test", &text).expect("test model parses");
        assert!(parsed.diagnostics.is_empty(), "{}", parsed.diagnostics);
        let mut shapes: BTreeMap<String, Shape> = prelude::shapes().into_iter().collect();
        shapes.extend(parsed.shapes);
        shapes
    }

    /// Lowers `{"id": shape, ...}`, failing the test on any diagnostic.
    pub fn lower_str(json: &str) -> Model {
        let text = format!(r#"{{"smithy": "2.0", "shapes": {json}}}"#);
        match lower("test", &text) {
            Ok(model) => model,
            Err(e) => panic!("test model should lower: {e}"),
        }
    }

    #[test]
    fn a_required_flexible_checksum_is_sent_as_content_md5() {
        let with = |traits: &str| {
            let model = lower_str(&format!(
                r#"{{"s#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "s#Put"}}],
                              "traits": {{"aws.protocols#restXml": {{}}}}}},
                    "s#Put": {{"type": "operation", "traits": {{{traits} "smithy.api#http": {{"method": "PUT", "uri": "/"}}}}}}}}"#
            ));
            model.operations[0].checksum_required
        };
        assert!(with(r#""aws.protocols#httpChecksum": {"requestChecksumRequired": true, "requestAlgorithmMember": "Algo"},"#));
        assert!(with(r#""smithy.api#httpChecksumRequired": {},"#));
        assert!(!with(r#""aws.protocols#httpChecksum": {"requestChecksumRequired": false},"#));
        assert!(!with(r#""aws.protocols#httpChecksum": {"requestValidationModeMember": "Mode"},"#));
        assert!(!with(""));
    }

    #[test]
    fn three_problems_are_all_reported() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}]},
            "a#Op": {"type": "operation", "input": {"target": "a#In"}},
            "a#In": {"type": "structure", "members": {
                "x": {"target": "a#Missing"},
                "y": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": 7}}}},
            "a#Bad": {"type": "strang"}}}"#;
        let err = lower("m.json", text).unwrap_err();
        let lines: Vec<String> = err.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 3, "{err}");
        assert!(lines.iter().any(|l| l == "a#Bad: unknown shape type `strang` (expected one of: blob, boolean, string, byte, short, integer, long, float, double, bigInteger, bigDecimal, timestamp, document, enum, intEnum, list, set, map, structure, union, service, operation, resource, apply)"), "{err}");
        assert!(lines.iter().any(|l| l == "a#In$x: targets `a#Missing`, which is not defined"), "{err}");
        assert!(lines.iter().any(|l| l == "a#In$y: trait `smithy.api#httpHeader`: expected a string, found a number"), "{err}");
    }

    #[test]
    fn a_model_without_a_service_is_an_error() {
        let err = lower("m.json", r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "string"}}}"#).unwrap_err();
        assert!(err.to_string().contains("no service shape"), "{err}");
    }

    #[test]
    fn types_that_collide_after_case_conversion_are_an_error() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}]},
            "a#Op": {"type": "operation", "input": {"target": "a#In"}},
            "a#In": {"type": "structure", "members": {"x": {"target": "a#FooBar"}, "y": {"target": "b#Foo_bar"}}},
            "a#FooBar": {"type": "structure"},
            "b#Foo_bar": {"type": "structure"}}}"#;
        let err = lower("m.json", text).unwrap_err().to_string();
        assert!(err.contains("Rust name collision in module `types`: a#FooBar, b#Foo_bar all become `foobar`"), "{err}");
    }

}
