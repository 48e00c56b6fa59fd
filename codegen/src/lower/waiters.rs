//! Pass: read `smithy.waiters#waitable` into typed [`Waiter`]s.
//!
//! Runs after naming, because path matchers are walked over the input and
//! output shapes into steps that carry Rust field names, and error-type
//! matchers name the variants of the operation's error enum. A waiter
//! whose acceptor the generator does not support (a path outside the
//! JMESPath subset of [`crate::lower::paths`], a comparator that does not
//! fit the path's type) is kept with the reason instead of its acceptors:
//! it is left out of the client and said so, while the operation's other
//! waiters still generate.

use std::collections::BTreeMap;

use crate::ast::Shape as AstShape;
use crate::diagnostics::Diagnostics;
use crate::ir::{
    local_name, Acceptor, AcceptorState, Comparator, Matcher, Model, Operation, PathLeaf, PathRoot, ShapeKind, ValuePath,
    Waiter, WaiterExpr,
};
use crate::lower::paths::{parse_expr, resolve_path, walk_path, RawExpr, RawPath, Segment};
use crate::traits::{AcceptorRecord, AcceptorStateRecord, MatcherRecord, PathMatcherRecord, Site, TraitReader, WaiterRecord};

/// The delays Smithy gives a waiter that does not set them, in seconds.
const DEFAULT_MIN_DELAY: u64 = 2;
const DEFAULT_MAX_DELAY: u64 = 120;

pub fn lower_waiters(model: &mut Model, shapes: &BTreeMap<String, AstShape>, diagnostics: &mut Diagnostics) {
    let mut lowered = Vec::with_capacity(model.operations.len());
    for op in &model.operations {
        let Some(AstShape::Operation(ast_op)) = shapes.get(&op.id) else {
            lowered.push(Vec::new());
            continue;
        };
        let records = TraitReader::new(&ast_op.traits, Site { shape: &op.id, member: None }, diagnostics).waiters();
        lowered.push(records.into_iter().map(|(name, record)| waiter(model, op, name, record)).collect());
    }
    for (op, waiters) in model.operations.iter_mut().zip(lowered) {
        op.waiters = waiters;
    }
}

fn waiter(model: &Model, op: &Operation, name: String, record: WaiterRecord) -> Waiter {
    let min_delay = record.min_delay.unwrap_or(DEFAULT_MIN_DELAY);
    let max_delay = record.max_delay.unwrap_or(DEFAULT_MAX_DELAY);
    let acceptors = if min_delay == 0 {
        Err("its minDelay is 0 (Smithy requires at least 1 second)".to_string())
    } else if min_delay > max_delay {
        Err(format!("its minDelay ({min_delay} s) is greater than its maxDelay ({max_delay} s)"))
    } else if record.acceptors.is_empty() {
        Err("it has no acceptors".to_string())
    } else if let Some(clash) = clashing_method(model, &name) {
        Err(format!("its method `{clash}` is already the client method of an operation"))
    } else {
        record
            .acceptors
            .iter()
            .enumerate()
            .map(|(index, a)| acceptor(model, op, a).map_err(|why| format!("acceptor {} ({}): {why}", index + 1, text(&a.matcher))))
            .collect()
    };
    Waiter { name, docs: record.documentation, min_delay, max_delay, deprecated: record.deprecated, acceptors }
}

fn clashing_method(model: &Model, waiter: &str) -> Option<String> {
    let method = crate::naming::waiter_method(waiter);
    model.operations.iter().any(|op| crate::naming::client_method(op) == method).then_some(method)
}

/// The matcher in the model's words, for docs and messages.
fn text(matcher: &MatcherRecord) -> String {
    match matcher {
        MatcherRecord::Success(value) => format!("success {value}"),
        MatcherRecord::ErrorType(code) => format!("errorType {code}"),
        MatcherRecord::Output(m) => format!("output path `{}` {} \"{}\"", m.path, m.comparator, m.expected),
        MatcherRecord::InputOutput(m) => format!("inputOutput path `{}` {} \"{}\"", m.path, m.comparator, m.expected),
    }
}

fn acceptor(model: &Model, op: &Operation, record: &AcceptorRecord) -> Result<Acceptor, String> {
    let state = match record.state {
        AcceptorStateRecord::Success => AcceptorState::Success,
        AcceptorStateRecord::Failure => AcceptorState::Failure,
        AcceptorStateRecord::Retry => AcceptorState::Retry,
    };
    let matcher = match &record.matcher {
        MatcherRecord::Success(value) => Matcher::Success(*value),
        MatcherRecord::ErrorType(code) => Matcher::ErrorType { code: code.clone(), variant: error_variant(model, op, code) },
        MatcherRecord::Output(m) => path_matcher(model, op, m, false)?,
        MatcherRecord::InputOutput(m) => path_matcher(model, op, m, true)?,
    };
    Ok(Acceptor { state, matcher, text: text(&record.matcher) })
}

/// The variant of the operation's error enum for the error shape `code`
/// names (by shape name or absolute id); `None` for any other code.
fn error_variant(model: &Model, op: &Operation, code: &str) -> Option<String> {
    op.errors
        .iter()
        .find(|id| id.as_str() == code || local_name(id) == code)
        .map(|id| crate::naming::error_variant_name(&model.shape(id).rust_name))
}

fn path_matcher(model: &Model, op: &Operation, record: &PathMatcherRecord, input_output: bool) -> Result<Matcher, String> {
    let raw = parse_expr(&record.path)?;
    let (root, raw) = if input_output { split_root(raw)? } else { (PathRoot::Output, raw) };
    let root_shape = match root {
        PathRoot::Input => &op.input,
        PathRoot::Output => &op.output,
    };
    let text = &record.path;
    let expr = match raw {
        RawExpr::Path(path) => WaiterExpr::Value { root, path: resolve_path(model, root_shape, text, &path)? },
        RawExpr::LengthCompare { path, op, value } => {
            let walked = walk_path(model, root_shape, &path)?;
            let end = model.shape(&walked.end);
            if !walked.projected && !matches!(end.kind, ShapeKind::List { .. } | ShapeKind::Map { .. }) {
                return Err(format!("`length` is applied to `{}`, which is not a list or map", end.id));
            }
            let path =
                ValuePath { text: text.clone(), steps: walked.steps, leaf: PathLeaf::Collection, projected: walked.projected };
            WaiterExpr::LengthCompare { root, path, op, value }
        }
    };
    let expected = record.expected.clone();
    let comparator = match record.comparator.as_str() {
        "stringEquals" => Comparator::StringEquals(expected),
        "allStringEquals" => Comparator::AllStringEquals(expected),
        "anyStringEquals" => Comparator::AnyStringEquals(expected),
        "booleanEquals" => match expected.as_str() {
            "true" => Comparator::BooleanEquals(true),
            "false" => Comparator::BooleanEquals(false),
            other => return Err(format!("booleanEquals expects `true` or `false`, not `{other}`")),
        },
        other => return Err(format!("comparator `{other}` is not one Smithy defines")),
    };
    check_comparator(&expr, &comparator)?;
    Ok(Matcher::Path { expr, comparator })
}

/// An `inputOutput` path starts with `input` or `output`.
fn split_root(raw: RawExpr) -> Result<(PathRoot, RawExpr), String> {
    let take = |path: RawPath| -> Result<(PathRoot, RawPath), String> {
        let root = match path.segments.first() {
            Some(Segment::Field(name)) if name == "input" => PathRoot::Input,
            Some(Segment::Field(name)) if name == "output" => PathRoot::Output,
            _ => return Err("an inputOutput path must start with `input.` or `output.`".to_string()),
        };
        let segments = path.segments[1..].to_vec();
        if segments.is_empty() && !path.keys {
            return Err("a path of the whole input or output is not supported".to_string());
        }
        Ok((root, RawPath { keys: path.keys, segments }))
    };
    match raw {
        RawExpr::Path(path) => take(path).map(|(root, path)| (root, RawExpr::Path(path))),
        RawExpr::LengthCompare { path, op, value } => {
            take(path).map(|(root, path)| (root, RawExpr::LengthCompare { path, op, value }))
        }
    }
}

/// Whether the comparator fits what the expression gives.
fn check_comparator(expr: &WaiterExpr, comparator: &Comparator) -> Result<(), String> {
    let (projected, leaf) = match expr {
        WaiterExpr::Value { path, .. } => (path.projected, path.leaf),
        WaiterExpr::LengthCompare { .. } => (false, PathLeaf::Boolean),
    };
    let fits = match comparator {
        Comparator::StringEquals(_) => !projected && leaf == PathLeaf::Text,
        Comparator::BooleanEquals(_) => !projected && leaf == PathLeaf::Boolean,
        Comparator::AllStringEquals(_) | Comparator::AnyStringEquals(_) => projected && leaf == PathLeaf::Text,
    };
    if fits {
        return Ok(());
    }
    let gives = match (projected, leaf) {
        (false, PathLeaf::Text) => "one string",
        (false, PathLeaf::Boolean) => "one boolean",
        (true, PathLeaf::Text) => "a list of strings",
        (true, PathLeaf::Boolean) => "a list of booleans",
        (_, PathLeaf::Collection) => "a list or map",
    };
    let wants = match comparator {
        Comparator::StringEquals(_) => "one string",
        Comparator::BooleanEquals(_) => "one boolean",
        Comparator::AllStringEquals(_) | Comparator::AnyStringEquals(_) => "a list of strings",
    };
    Err(format!("the path gives {gives}, the comparator compares {wants}"))
}

#[cfg(test)]
mod tests {
    use crate::ir::LengthOp;
    use crate::lower::tests::lower_str;

    use super::*;

    fn model(waiters: &str) -> Model {
        lower_str(&format!(
            r#"{{
            "a#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "a#Get"}}],
                      "traits": {{"aws.protocols#awsJson1_0": {{}}}}}},
            "a#Get": {{"type": "operation", "input": {{"target": "a#In"}}, "output": {{"target": "a#Out"}},
                      "errors": [{{"target": "a#Missing"}}],
                      "traits": {{"smithy.waiters#waitable": {waiters}}}}},
            "a#In": {{"type": "structure", "members": {{"Name": {{"target": "smithy.api#String"}}}}}},
            "a#Out": {{"type": "structure", "members": {{
                "Thing": {{"target": "a#Thing"}}, "Things": {{"target": "a#Things"}}, "Ready": {{"target": "smithy.api#Boolean"}}}}}},
            "a#Thing": {{"type": "structure", "members": {{
                "Status": {{"target": "a#Status"}}, "Name": {{"target": "smithy.api#String"}}}}}},
            "a#Things": {{"type": "list", "member": {{"target": "a#Thing"}}}},
            "a#Status": {{"type": "enum", "members": {{"UP": {{"target": "smithy.api#Unit", "traits": {{"smithy.api#enumValue": "up"}}}}}}}},
            "a#Missing": {{"type": "structure", "members": {{}}, "traits": {{"smithy.api#error": "client"}}}}
            }}"#
        ))
    }

    #[test]
    fn every_matcher_kind_is_lowered() {
        let model = model(
            r#"{"Up": {"documentation": "Up.", "minDelay": 5, "deprecated": true, "acceptors": [
                {"state": "success", "matcher": {"output": {"path": "Thing.Status", "expected": "up", "comparator": "stringEquals"}}},
                {"state": "failure", "matcher": {"output": {"path": "Things[].Status", "expected": "down", "comparator": "anyStringEquals"}}},
                {"state": "retry", "matcher": {"errorType": "Missing"}},
                {"state": "retry", "matcher": {"errorType": "Throttled"}},
                {"state": "success", "matcher": {"output": {"path": "length(Things) >= `2`", "expected": "true", "comparator": "booleanEquals"}}},
                {"state": "success", "matcher": {"inputOutput": {"path": "input.Name", "expected": "x", "comparator": "stringEquals"}}},
                {"state": "failure", "matcher": {"success": false}}]}}"#,
        );
        let waiter = &model.operations[0].waiters[0];
        assert_eq!((waiter.name.as_str(), waiter.min_delay, waiter.max_delay, waiter.deprecated), ("Up", 5, 120, true));
        assert_eq!(waiter.docs.as_deref(), Some("Up."));
        let acceptors = waiter.acceptors.as_ref().expect("supported");
        let states: Vec<_> = acceptors.iter().map(|a| a.state).collect();
        use AcceptorState::*;
        assert_eq!(states, [Success, Failure, Retry, Retry, Success, Success, Failure]);
        assert!(matches!(&acceptors[0].matcher, Matcher::Path {
            expr: WaiterExpr::Value { root: PathRoot::Output, path }, comparator: Comparator::StringEquals(up)
        } if up == "up" && !path.projected && path.steps.len() == 2));
        assert!(matches!(&acceptors[1].matcher, Matcher::Path { expr: WaiterExpr::Value { path, .. }, .. } if path.projected));
        assert_eq!(acceptors[2].matcher, Matcher::ErrorType { code: "Missing".into(), variant: Some("Missing".into()) });
        assert_eq!(acceptors[3].matcher, Matcher::ErrorType { code: "Throttled".into(), variant: None });
        assert!(matches!(&acceptors[4].matcher, Matcher::Path {
            expr: WaiterExpr::LengthCompare { op: LengthOp::Ge, value: 2, .. }, comparator: Comparator::BooleanEquals(true)
        }));
        assert!(matches!(&acceptors[5].matcher, Matcher::Path { expr: WaiterExpr::Value { root: PathRoot::Input, .. }, .. }));
        assert_eq!(acceptors[6].matcher, Matcher::Success(false));
        assert_eq!(acceptors[2].text, "errorType Missing");
    }

    #[test]
    fn an_unsupported_acceptor_leaves_out_only_its_waiter_with_the_reason() {
        let model = model(
            r#"{"Filtered": {"acceptors": [
                  {"state": "success", "matcher": {"success": true}},
                  {"state": "success", "matcher": {"output": {"path": "Things[?Name == 'x'].Status", "expected": "up", "comparator": "anyStringEquals"}}}]},
                "Fine": {"acceptors": [{"state": "success", "matcher": {"success": true}}]}}"#,
        );
        let waiters = &model.operations[0].waiters;
        assert_eq!(waiters[0].name, "Filtered");
        let why = waiters[0].acceptors.as_ref().expect_err("a filter is not supported");
        assert!(why.starts_with("acceptor 2 (output path `Things[?Name == 'x'].Status` anyStringEquals \"up\"): "), "{why}");
        assert!(why.contains("`[?Name == 'x']` is not supported"), "{why}");
        assert!(waiters[1].acceptors.is_ok());
    }

    #[test]
    fn comparators_that_do_not_fit_the_path_are_refused() {
        for (matcher, why) in [
            (r#"{"output": {"path": "Things[].Status", "expected": "up", "comparator": "stringEquals"}}"#, "the path gives a list of strings, the comparator compares one string"),
            (r#"{"output": {"path": "Thing.Status", "expected": "up", "comparator": "allStringEquals"}}"#, "gives one string, the comparator compares a list of strings"),
            (r#"{"output": {"path": "Ready", "expected": "yes", "comparator": "booleanEquals"}}"#, "`true` or `false`, not `yes`"),
            (r#"{"output": {"path": "Thing", "expected": "up", "comparator": "stringEquals"}}"#, "not a string, string enum or boolean"),
            (r#"{"output": {"path": "length(Thing) > `0`", "expected": "true", "comparator": "booleanEquals"}}"#, "not a list or map"),
            (r#"{"output": {"path": "Ready", "expected": "true", "comparator": "numberEquals"}}"#, "comparator `numberEquals`"),
            (r#"{"inputOutput": {"path": "Name", "expected": "x", "comparator": "stringEquals"}}"#, "must start with `input.` or `output.`"),
        ] {
            let model = model(&format!(r#"{{"W": {{"acceptors": [{{"state": "success", "matcher": {matcher}}}]}}}}"#));
            let err = model.operations[0].waiters[0].acceptors.clone().expect_err(matcher);
            assert!(err.contains(why), "{matcher}: {err}");
        }
    }

    #[test]
    fn bad_delays_and_empty_acceptors_leave_the_waiter_out() {
        for (waiter, why) in [
            (r#"{"minDelay": 30, "maxDelay": 10, "acceptors": [{"state": "success", "matcher": {"success": true}}]}"#, "greater than its maxDelay"),
            (r#"{"minDelay": 0, "acceptors": [{"state": "success", "matcher": {"success": true}}]}"#, "minDelay is 0"),
            (r#"{"acceptors": []}"#, "no acceptors"),
        ] {
            let model = model(&format!(r#"{{"W": {waiter}}}"#));
            let err = model.operations[0].waiters[0].acceptors.clone().expect_err(waiter);
            assert!(err.contains(why), "{waiter}: {err}");
        }
    }

    #[test]
    fn a_waiter_whose_method_an_operation_already_has_is_left_out() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Get"}, {"target": "a#WaitUntilReady"}],
                          "traits": {"aws.protocols#awsJson1_0": {}}},
                "a#Get": {"type": "operation", "traits": {"smithy.waiters#waitable": {
                    "Ready": {"acceptors": [{"state": "success", "matcher": {"success": true}}]}}}},
                "a#WaitUntilReady": {"type": "operation"}}"#,
        );
        let why = model.operations[0].waiters[0].acceptors.clone().expect_err("the method is taken");
        assert_eq!(why, "its method `wait_until_ready` is already the client method of an operation");
    }
}
