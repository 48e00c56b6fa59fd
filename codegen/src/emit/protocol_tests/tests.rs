use serde_json::json;

use super::*;
use crate::lower::tests::lower_str;

/// One operation whose input reaches every kind of shape, with a request
/// test and a response test that share an id (as the AWS suite does).
const MODEL: &str = r#"{
    "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#PutThing"}],
              "traits": {"aws.protocols#restJson1": {}}},
    "a#PutThing": {"type": "operation", "input": {"target": "a#PutThingInput"}, "output": {"target": "a#PutThingOutput"},
        "errors": [{"target": "a#Oops"}],
        "traits": {
            "smithy.api#http": {"method": "POST", "uri": "/things"},
            "smithy.test#httpRequestTests": [
                {"id": "PutThing", "protocol": "aws.protocols#restJson1", "method": "POST", "uri": "/things",
                 "params": {"name": "x"}, "body": "{\"name\": \"x\"}", "bodyMediaType": "application/json",
                 "documentation": "Sends a [name]."},
                {"id": "OtherProtocol", "protocol": "aws.protocols#restXml", "method": "POST", "uri": "/things"},
                {"id": "ServerOnly", "protocol": "aws.protocols#restJson1", "method": "POST", "uri": "/things", "appliesTo": "server"}
            ],
            "smithy.test#httpResponseTests": [
                {"id": "PutThing", "protocol": "aws.protocols#restJson1", "code": 200, "body": "{\"ratio\": \"NaN\"}",
                 "params": {"ratio": "NaN"}}
            ]
        }},
    "a#PutThingInput": {"type": "structure", "members": {
        "name": {"target": "smithy.api#String"},
        "count": {"target": "smithy.api#Integer"},
        "small": {"target": "smithy.api#Byte"},
        "big": {"target": "smithy.api#Long"},
        "ratio": {"target": "smithy.api#Float"},
        "precise": {"target": "smithy.api#Double"},
        "on": {"target": "smithy.api#Boolean"},
        "when": {"target": "smithy.api#Timestamp"},
        "data": {"target": "smithy.api#Blob"},
        "color": {"target": "a#Color"},
        "level": {"target": "a#Level"},
        "tags": {"target": "a#Tags"},
        "sparse": {"target": "a#SparseInts"},
        "attrs": {"target": "a#Attrs"},
        "sparseMap": {"target": "a#SparseAttrs"},
        "nested": {"target": "a#Nested"},
        "choice": {"target": "a#Choice"},
        "doc": {"target": "smithy.api#Document"},
        "type": {"target": "smithy.api#String"}}},
    "a#PutThingOutput": {"type": "structure", "members": {
        "ratio": {"target": "smithy.api#Float"},
        "name": {"target": "smithy.api#String"}}},
    "a#Oops": {"type": "structure", "members": {"message": {"target": "smithy.api#String"}},
        "traits": {"smithy.api#error": "client",
            "smithy.test#httpResponseTests": [
                {"id": "Oops", "protocol": "aws.protocols#restJson1", "code": 400,
                 "headers": {"X-Amzn-Errortype": "Oops"}, "body": "{\"message\": \"hi\"}", "params": {"message": "hi"}}
            ]}},
    "a#Color": {"type": "enum", "members": {"RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}}}},
    "a#Level": {"type": "intEnum", "members": {"LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}},
    "a#Tags": {"type": "list", "member": {"target": "smithy.api#String"}},
    "a#SparseInts": {"type": "list", "member": {"target": "smithy.api#Integer"}, "traits": {"smithy.api#sparse": {}}},
    "a#Attrs": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}},
    "a#SparseAttrs": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"},
        "traits": {"smithy.api#sparse": {}}},
    "a#Nested": {"type": "structure", "members": {
        "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}},
    "a#Choice": {"type": "union", "members": {
        "text": {"target": "smithy.api#String"},
        "again": {"target": "a#Choice"},
        "nothing": {"target": "smithy.api#Unit"}}}
}"#;

/// The expression for `params` as the input of `PutThing`, without spaces.
fn input_expr(params: serde_json::Value) -> Result<String, ParamsError> {
    let model = lower_str(MODEL);
    let symbols = Symbols::new(&model);
    let input = model.shape("a#PutThingInput");
    structure_expr(&symbols, input, &params, "").map(|tokens| tokens.to_string().replace(' ', ""))
}

fn member_expr(member: &str, value: serde_json::Value) -> String {
    let expr = input_expr(json!({ member: value })).unwrap_or_else(|e| panic!("{e}"));
    let prefix = "crate::operation::put_thing::PutThingInput::builder()";
    let suffix = ".build().expect(\"`PutThingInput`buildsfromtheparams\")";
    let inner = expr.strip_prefix(prefix).and_then(|e| e.strip_suffix(suffix)).unwrap_or_else(|| panic!("{expr}"));
    inner.to_string()
}

#[test]
fn scalars() {
    assert_eq!(member_expr("name", json!("a\"b")), r#".set_name(Some(String::from("a\"b")))"#);
    assert_eq!(member_expr("count", json!(-3)), ".set_count(Some(-3i32))");
    assert_eq!(member_expr("small", json!(-128)), ".set_small(Some(-128i8))");
    assert_eq!(member_expr("big", json!(i64::MIN)), ".set_big(Some(-9223372036854775808i64))");
    assert_eq!(member_expr("on", json!(false)), ".set_on(Some(false))");
    assert_eq!(member_expr("precise", json!(-1.5)), ".set_precise(Some(-1.5f64))");
    assert_eq!(member_expr("ratio", json!(2)), ".set_ratio(Some(2f32))");
    assert_eq!(member_expr("type", json!("t")), r#".set_type(Some(String::from("t")))"#);
}

#[test]
fn special_floats_are_the_constants() {
    assert_eq!(member_expr("ratio", json!("NaN")), ".set_ratio(Some(f32::NAN))");
    assert_eq!(member_expr("precise", json!("Infinity")), ".set_precise(Some(f64::INFINITY))");
    assert_eq!(member_expr("precise", json!("-Infinity")), ".set_precise(Some(f64::NEG_INFINITY))");
}

#[test]
fn timestamps_blobs_enums_and_documents() {
    assert_eq!(
        member_expr("when", json!(1576540098.5)),
        ".set_when(Some(crate::primitives::DateTime::from_secs_f64(1576540098.5f64)))"
    );
    assert_eq!(member_expr("data", json!("ab")), r#".set_data(Some(crate::primitives::Blob::new(b"ab".to_vec())))"#);
    assert_eq!(member_expr("color", json!("red")), r#".set_color(Some(crate::types::Color::from("red")))"#);
    assert_eq!(member_expr("level", json!(1)), ".set_level(Some(crate::types::Level::from(1i32)))");
    let doc = member_expr("doc", json!({"a": [1, "x"]}));
    assert!(doc.starts_with(".set_doc(Some(crate::primitives::Document::from("), "{doc}");
    assert!(doc.contains(r##"(r#"{"a":[1,"x"]}"#)"##), "{doc}");
    let null_doc = member_expr("doc", json!(null));
    assert!(null_doc.contains(r#"("null")"#), "a null document is kept: {null_doc}");
}

#[test]
fn collections_and_sparse_nulls() {
    assert_eq!(
        member_expr("tags", json!(["a", "b"])),
        r#".set_tags(Some(Vec::from([String::from("a"),String::from("b")])))"#
    );
    assert_eq!(member_expr("tags", json!([])), ".set_tags(Some(Vec::<::std::string::String>::new()))");
    assert_eq!(member_expr("sparse", json!([null, 2])), ".set_sparse(Some(Vec::from([None,Some(2i32)])))");
    assert_eq!(
        member_expr("attrs", json!({"k": "v"})),
        r#".set_attrs(Some(HashMap::from([(String::from("k"),String::from("v"))])))"#
    );
    assert_eq!(
        member_expr("sparseMap", json!({"k": null})),
        r#".set_sparse_map(Some(HashMap::from([(String::from("k"),None)])))"#
    );
}

#[test]
fn structures_and_unions() {
    assert_eq!(
        member_expr("nested", json!({"id": "n"})),
        r#".set_nested(Some(crate::types::Nested::builder().set_id(Some(String::from("n"))).build().expect("`Nested`buildsfromtheparams")))"#
    );
    assert_eq!(
        member_expr("choice", json!({"again": {"text": "t"}})),
        r#".set_choice(Some(crate::types::Choice::Again(Box::new(crate::types::Choice::Text(String::from("t"))))))"#
    );
    assert_eq!(member_expr("choice", json!({"nothing": {}})), ".set_choice(Some(crate::types::Choice::Nothing))");
}

#[test]
fn null_members_are_left_unset() {
    assert_eq!(member_expr("name", json!(null)), "");
}

#[test]
fn params_that_do_not_fit_the_model_say_where() {
    let unknown = input_expr(json!({"nested": {"nope": 1}})).expect_err("unknown member");
    assert_eq!(unknown.to_string(), "params `nested.nope`: `a#Nested` has no member `nope`");
    let wrong = input_expr(json!({"tags": ["a", 1]})).expect_err("wrong type");
    assert_eq!(wrong.to_string(), "params `tags[1]`: expected a string, found a number");
    let range = input_expr(json!({"small": 300})).expect_err("out of range");
    assert_eq!(range.to_string(), "params `small`: 300 does not fit in a byte");
    let union = input_expr(json!({"choice": {"text": "a", "nothing": {}}})).expect_err("two members");
    assert_eq!(union.to_string(), "params `choice`: a value of union `a#Choice` must set exactly one member");
}

#[test]
fn plans_one_test_per_client_case_with_unique_names() {
    let model = lower_str(MODEL);
    let planned: Vec<(String, String, &str)> =
        planned_tests(&model).iter().map(|p| (p.name.clone(), p.case.id().to_string(), p.case.kind())).collect();
    assert_eq!(
        planned,
        [
            ("put_thing".to_string(), "PutThing".to_string(), "request"),
            ("put_thing_2".to_string(), "PutThing".to_string(), "response"),
            ("oops".to_string(), "Oops".to_string(), "error"),
        ]
    );
}

#[test]
fn the_module_formats_and_reads_like_tests() {
    let model = lower_str(MODEL);
    let symbols = Symbols::new(&model);
    let text = crate::emit::format::format_rust(protocol_tests_module(&symbols), "test").expect("the module parses");
    assert!(text.contains("/// `PutThing` (request test of `PutThing`).\n///\n/// Sends a \\[name\\].\n#[test]\nfn put_thing() {"), "{text}");
    assert!(text.contains("let request = input.into_request().expect(\"the input serializes\");"), "{text}");
    assert!(text.contains("body: Some(r#\"{\"name\": \"x\"}\"#),"), "{text}");
    assert!(text.contains("output.ratio.is_some_and(f32::is_nan), \"member `ratio`: expected NaN"), "NaN is checked with is_nan: {text}");
    assert!(text.contains("assert_eq!(output.name, expected.name, \"member `name`\");"), "{text}");
    assert!(text.contains("let response = response(200, &[], r#\"{\"ratio\": \"NaN\"}\"#);"), "{text}");
    assert!(text.contains("let crate::operation::put_thing::PutThingError::Oops(error) = error else {"), "{text}");
    assert!(text.contains("use ::smithy_runtime::testing::protocol_test_checks::{\n    check_request, response, ExpectedRequest,\n};"), "{text}");
}
