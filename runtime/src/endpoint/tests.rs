//! Tests of the engine as a whole: loading, parameter checks, rule
//! semantics and each function as rules call it.

use serde_json::json;

use super::*;

/// A rule set with the given parameters and rules.
fn rules(parameters: serde_json::Value, rules: serde_json::Value) -> RuleSet {
    RuleSet::from_json_value(json!({"version": "1.0", "parameters": parameters, "rules": rules}))
        .unwrap_or_else(|e| panic!("rule set should load: {e}"))
}

fn load_problems(parameters: serde_json::Value, rules: serde_json::Value) -> Vec<RuleSetProblem> {
    match RuleSet::from_json_value(
        json!({"version": "1.0", "parameters": parameters, "rules": rules}),
    ) {
        Err(RuleSetError::Invalid(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

/// One parameter `X` of type string, and an endpoint rule whose single
/// condition is `condition` and whose URL is `url`, then a fallback error.
fn one_condition(condition: serde_json::Value, url: &str) -> RuleSet {
    rules(
        json!({"X": {"type": "string"}}),
        json!([
            {"type": "endpoint", "conditions": [condition], "endpoint": {"url": url}},
            {"type": "error", "conditions": [], "error": "no match"}
        ]),
    )
}

fn url_for(rule_set: &RuleSet, x: &str) -> Result<String, EndpointError> {
    rule_set
        .resolve(&EndpointParams::new().set_str("X", x.to_owned()))
        .map(|e| e.url)
}

#[test]
fn from_json_reads_text() {
    let r = RuleSet::from_json(
        r#"{"version": "1.0", "parameters": {}, "rules": [
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://a.example"}}]}"#,
    )
    .expect("loads");
    assert_eq!(r.version(), "1.0");
    assert_eq!(
        r.resolve(&EndpointParams::new()).map(|e| e.url),
        Ok("https://a.example".to_owned())
    );
}

#[test]
fn malformed_json_is_a_json_error() {
    assert!(matches!(
        RuleSet::from_json("{"),
        Err(RuleSetError::Json(_))
    ));
    assert!(matches!(
        RuleSet::from_json(r#"{"version": "1.0"}"#),
        Err(RuleSetError::Json(_))
    ));
}

#[test]
fn shape_errors_name_the_place_and_the_problem() {
    let cases = [
        (r#"{"version": "1.0"}"#, "missing field `rules`"),
        (
            r#"{"version": "1.0", "parameters": {"A": {"type": "string", "required": "yes"}}, "rules": []}"#,
            r#"parameters.A.required: invalid type: string "yes", expected a boolean"#,
        ),
        (
            r#"{"version": "1.0", "rules": [{"type": "tree", "rules": [{"type": "endpoint", "conditions": [{"argv": []}]}]}]}"#,
            "rules[0].rules[0].conditions[0]: missing field `fn`",
        ),
        (
            r#"{"version": "1.0", "rules": [{"type": "endpoint", "endpoint": {"url": "x", "headers": {"h": "v"}}}]}"#,
            r#"rules[0].endpoint.headers.h: invalid type: string "v", expected a sequence"#,
        ),
    ];
    for (json, expected) in cases {
        assert_eq!(
            RuleSet::from_json(json),
            Err(RuleSetError::Json(expected.to_owned())),
            "{json}"
        );
    }
    // Optional members may be null, as with serde.
    let r = RuleSet::from_json(
        r#"{"version": "1.0", "parameters": {"A": {"type": "string", "builtIn": null, "deprecated": {"since": null}}},
            "rules": [{"type": "error", "conditions": [], "error": "x", "endpoint": null, "rules": null}]}"#,
    )
    .expect("loads");
    let deprecated = r.parameter("A").and_then(|p| p.deprecated());
    assert_eq!(deprecated.map(|d| d.since.is_none()), Some(true));
}

#[test]
fn every_load_problem_is_reported_with_its_location() {
    let problems = load_problems(
        json!({"A": {"type": "integer"}, "B": {"type": "boolean", "required": true, "default": "yes"}}),
        json!([
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}],
             "endpoint": {"url": "https://{Missing}.example"}},
            {"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [true]}], "error": "x"},
            {"type": "tree", "conditions": [], "rules": []},
            {"type": "banana", "conditions": []},
            {"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "A"}, "a..b"]}], "error": "{"}
        ]),
    );
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let expect = [
        "parameters.A: unknown type `integer`",
        "parameters.B: default `\"yes\"` is not a boolean",
        "rules[0].conditions[0].argv[0]: `Nope` is not a parameter",
        "rules[0].endpoint.url: template variable `Missing`",
        "rules[1].conditions[0]: `booleanEquals` takes 2 argument(s), not 1",
        "rules[2]: tree rule needs one or more `rules`",
        "rules[3]: unknown rule type `banana`",
        "rules[4].conditions[0].argv[1]: path `a..b` has an empty part",
        "rules[4].error: template `{`",
    ];
    for e in expect {
        assert!(
            text.iter().any(|t| t.starts_with(e)),
            "missing problem {e:?} in {text:#?}"
        );
    }
    assert_eq!(text.len(), expect.len(), "{text:#?}");
}

#[test]
fn assigned_names_are_scoped_to_their_rule() {
    let problems = load_problems(
        json!({"X": {"type": "string"}}),
        json!([
            {"type": "tree", "conditions": [{"fn": "parseURL", "argv": [{"ref": "X"}], "assign": "u"}],
             "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "{u#scheme}://x"}}]},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "{u#scheme}://y"}},
            {"type": "error", "conditions": [{"fn": "parseURL", "argv": [{"ref": "X"}], "assign": "X"}], "error": "e"}
        ]),
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].location, "rules[1].endpoint.url");
    assert!(
        problems[1].message.contains("reuses the name"),
        "{problems:#?}"
    );
}

#[test]
fn unsupported_version_is_a_problem() {
    let err = RuleSet::from_json_value(json!({"version": "2.0", "parameters": {}, "rules": [
        {"type": "error", "conditions": [], "error": "x"}]}))
    .unwrap_err();
    assert!(
        err.to_string().contains("version `2.0` is not supported"),
        "{err}"
    );
}

#[test]
fn parameters_are_validated() {
    let r = rules(
        json!({
            "Region": {"type": "String"},
            "Flag": {"type": "Boolean", "required": true, "default": true},
            "Needed": {"type": "string", "required": true},
            "List": {"type": "stringArray"}
        }),
        json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x"}}]),
    );
    let needed = || EndpointParams::new().set_str("Needed", "n");
    assert_eq!(
        r.resolve(&EndpointParams::new()),
        Err(EndpointError::MissingParameter("Needed".into()))
    );
    assert!(r.resolve(&needed()).is_ok(), "Flag takes its default");
    assert_eq!(
        r.resolve(&needed().set_bool("Region", true)),
        Err(EndpointError::InvalidParameter {
            name: "Region".into(),
            expected: ParameterType::String,
            found: "boolean"
        })
    );
    assert_eq!(
        r.resolve(&needed().set_str("Flag", "true")),
        Err(EndpointError::InvalidParameter {
            name: "Flag".into(),
            expected: ParameterType::Boolean,
            found: "string"
        })
    );
    let mut bad_list = needed();
    bad_list.insert("List", Value::Array(vec![Value::Bool(true)]));
    assert!(matches!(
        r.resolve(&bad_list),
        Err(EndpointError::InvalidParameter { .. })
    ));
    assert!(r.resolve(&needed().set_string_array("List", ["a"])).is_ok());
    assert_eq!(
        r.resolve(&needed().set_str("Regoin", "x")),
        Err(EndpointError::UnknownParameter("Regoin".into()))
    );
    let err = r
        .resolve(&needed().set_bool("Region", true))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "endpoint parameter `Region` must be a string, but a boolean was given"
    );

    let flag = r.parameter("Flag").expect("declared");
    assert_eq!(flag.default_value(), Some(&Value::Bool(true)));
    assert!(flag.is_required());
    assert_eq!(
        r.parameters()
            .iter()
            .map(Parameter::name)
            .collect::<Vec<_>>(),
        ["Flag", "List", "Needed", "Region"]
    );
}

#[test]
fn defaults_can_be_overridden() {
    let r = rules(
        json!({"Flag": {"type": "boolean", "required": true, "default": false}}),
        json!([
            {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
             "endpoint": {"url": "https://on"}},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://off"}}
        ]),
    );
    assert_eq!(
        r.resolve(&EndpointParams::new()).map(|e| e.url).as_deref(),
        Ok("https://off")
    );
    assert_eq!(
        r.resolve(&EndpointParams::new().set_bool("Flag", true))
            .map(|e| e.url)
            .as_deref(),
        Ok("https://on")
    );
}

#[test]
fn exhausted_rules_are_an_error_and_trees_are_terminal() {
    let r = rules(
        json!({"X": {"type": "string"}}),
        json!([
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "X"}]}], "rules": [
                {"type": "endpoint", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "X"}, "a"]}],
                 "endpoint": {"url": "https://a"}}]},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://unreachable-when-x-set"}}
        ]),
    );
    assert_eq!(url_for(&r, "a").as_deref(), Ok("https://a"));
    // The tree matched (X is set) but nothing inside did: no fall-through.
    assert_eq!(url_for(&r, "b"), Err(EndpointError::NoMatchingRule));
    assert_eq!(
        r.resolve(&EndpointParams::new()).map(|e| e.url).as_deref(),
        Ok("https://unreachable-when-x-set")
    );

    let none = rules(
        json!({}),
        json!([{"type": "endpoint", "conditions": [{"fn": "not", "argv": [true]}], "endpoint": {"url": "https://x"}}]),
    );
    assert_eq!(
        none.resolve(&EndpointParams::new()),
        Err(EndpointError::NoMatchingRule)
    );
}

#[test]
fn error_rules_carry_their_templated_message() {
    let r = rules(
        json!({"X": {"type": "string", "required": true}}),
        json!([{"type": "error", "conditions": [], "error": "bad value: {X}"}]),
    );
    let err = r
        .resolve(&EndpointParams::new().set_str("X", "zz"))
        .unwrap_err();
    assert_eq!(err.rule_message(), Some("bad value: zz"));
    assert_eq!(err.to_string(), "bad value: zz");
}

#[test]
fn endpoints_carry_headers_and_templated_properties() {
    let r = rules(
        json!({"Region": {"type": "string", "required": true}}),
        json!([{"type": "tree", "conditions": [
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
            "rules": [{"type": "endpoint", "conditions": [], "endpoint": {
                "url": {"ref": "Region"},
                "headers": {"x-a": ["1", "{Region}"], "x-b": [{"fn": "uriEncode", "argv": ["a b"]}]},
                "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}",
                                                "signingName": "svc", "disableDoubleEncoding": true}],
                               "partition": "{P#name}"}}}]}]),
    );
    let e = r
        .resolve(&EndpointParams::new().set_str("Region", "us-gov-west-1"))
        .expect("resolves");
    assert_eq!(e.url, "us-gov-west-1");
    assert_eq!(e.headers["x-a"], ["1", "us-gov-west-1"]);
    assert_eq!(e.headers["x-b"], ["a%20b"]);
    assert_eq!(
        e.properties["authSchemes"].to_json(),
        json!([{"name": "sigv4", "signingRegion": "us-gov-west-1", "signingName": "svc", "disableDoubleEncoding": true}])
    );
    assert_eq!(e.properties["partition"], Value::from("aws-us-gov"));
}

#[test]
fn unknown_functions_are_explicit_errors() {
    let r = one_condition(
        json!({"fn": "aws.someFutureFunction", "argv": [{"ref": "X"}]}),
        "https://x",
    );
    assert_eq!(r.unsupported_functions(), ["aws.someFutureFunction"]);
    let err = url_for(&r, "x").unwrap_err();
    assert_eq!(
        err,
        EndpointError::UnsupportedFunction("aws.someFutureFunction".into())
    );
    assert_eq!(
        err.to_string(),
        "endpoint rule function `aws.someFutureFunction` is not supported"
    );
    // Nested inside another call, too.
    let r = one_condition(
        json!({"fn": "not", "argv": [{"fn": "custom.thing", "argv": []}]}),
        "https://x",
    );
    assert_eq!(
        url_for(&r, "x"),
        Err(EndpointError::UnsupportedFunction("custom.thing".into()))
    );
    // Rule sets using only known functions have none.
    assert!(
        one_condition(json!({"fn": "isSet", "argv": [{"ref": "X"}]}), "https://x")
            .unsupported_functions()
            .is_empty()
    );
}

#[test]
fn aws_functions_are_supported() {
    // Both optional AWS functions are implemented, so neither is reported.
    let r = one_condition(
        json!({"fn": "aws.parseArn", "argv": [{"ref": "X"}], "assign": "arn"}),
        "https://{arn#service}.{arn#resourceId[1]}",
    );
    assert!(r.unsupported_functions().is_empty());
    assert_eq!(
        url_for(&r, "arn:aws:s3:us-west-2:123:accesspoint/ap").as_deref(),
        Ok("https://s3.ap")
    );
    assert_eq!(
        url_for(&r, "not-an-arn"),
        Err(EndpointError::Rule("no match".into()))
    );

    let r = one_condition(
        json!({"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "X"}, false]}),
        "https://{X}.s3",
    );
    assert_eq!(
        url_for(&r, "my-bucket").as_deref(),
        Ok("https://my-bucket.s3")
    );
    assert_eq!(
        url_for(&r, "My_Bucket"),
        Err(EndpointError::Rule("no match".into()))
    );
}

#[test]
fn is_set_not_and_equality() {
    let r = rules(
        json!({"X": {"type": "string"}, "B": {"type": "boolean"}}),
        json!([
            {"type": "endpoint", "conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "X"}]}]}],
             "endpoint": {"url": "https://unset"}},
            {"type": "endpoint", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "X"}, "a"]},
                                                {"fn": "booleanEquals", "argv": [{"ref": "B"}, false]}],
             "endpoint": {"url": "https://a-false"}},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://other"}}
        ]),
    );
    let url = |p: EndpointParams| r.resolve(&p).map(|e| e.url);
    assert_eq!(url(EndpointParams::new()).as_deref(), Ok("https://unset"));
    assert_eq!(
        url(EndpointParams::new().set_str("X", "a").set_bool("B", false)).as_deref(),
        Ok("https://a-false")
    );
    assert_eq!(
        url(EndpointParams::new().set_str("X", "a").set_bool("B", true)).as_deref(),
        Ok("https://other")
    );
    // B unset: booleanEquals sees an unset argument, so the condition does not match.
    assert_eq!(
        url(EndpointParams::new().set_str("X", "a")).as_deref(),
        Ok("https://other")
    );
}

#[test]
fn wrong_argument_types_are_evaluation_errors() {
    let r = one_condition(
        json!({"fn": "booleanEquals", "argv": [{"ref": "X"}, true]}),
        "https://x",
    );
    let err = url_for(&r, "text").unwrap_err();
    assert_eq!(
        err,
        EndpointError::Evaluation(
            "argument 1 of `booleanEquals` must be a boolean, not a string".into()
        )
    );
}

#[test]
fn get_attr_paths_through_rules() {
    let r = one_condition(
        json!({"fn": "stringEquals", "argv": [
            {"fn": "getAttr", "argv": [{"fn": "aws.parseArn", "argv": [{"ref": "X"}]}, "resourceId[2]"]}, "c"]}),
        "https://ok",
    );
    assert_eq!(
        url_for(&r, "arn:aws:s3:::a/b/c").as_deref(),
        Ok("https://ok")
    );
    // Index past the end: unset, so the comparison does not match.
    assert_eq!(
        url_for(&r, "arn:aws:s3:::a/b"),
        Err(EndpointError::Rule("no match".into()))
    );

    let r = one_condition(
        json!({"fn": "getAttr", "argv": [{"fn": "parseURL", "argv": [{"ref": "X"}]}, "isIp"]}),
        "https://ip",
    );
    assert_eq!(url_for(&r, "https://10.0.0.1").as_deref(), Ok("https://ip"));
    assert_eq!(
        url_for(&r, "https://example.com"),
        Err(EndpointError::Rule("no match".into()))
    );

    let r = one_condition(
        json!({"fn": "getAttr", "argv": [{"ref": "X"}, "a"]}),
        "https://x",
    );
    assert!(
        matches!(url_for(&r, "s"), Err(EndpointError::Evaluation(m)) if m.contains("attribute `a` of a string"))
    );
}

#[test]
fn parse_url_and_assigned_variables() {
    let r = one_condition(
        json!({"fn": "parseURL", "argv": [{"ref": "X"}], "assign": "url"}),
        "{url#scheme}://{url#authority}{url#normalizedPath}svc",
    );
    assert_eq!(
        url_for(&r, "http://localhost:8000/base").as_deref(),
        Ok("http://localhost:8000/base/svc")
    );
    assert_eq!(
        url_for(&r, "https://h?q=1"),
        Err(EndpointError::Rule("no match".into()))
    );
}

#[test]
fn substring_uri_encode_and_host_labels_through_rules() {
    let r = one_condition(
        json!({"fn": "substring", "argv": [{"ref": "X"}, 0, 3, false], "assign": "head"}),
        "https://{head}",
    );
    assert_eq!(url_for(&r, "abcdef").as_deref(), Ok("https://abc"));
    assert_eq!(
        url_for(&r, "ab"),
        Err(EndpointError::Rule("no match".into()))
    );

    let r = one_condition(
        json!({"fn": "uriEncode", "argv": [{"ref": "X"}], "assign": "enc"}),
        "https://h/{enc}",
    );
    assert_eq!(url_for(&r, "a/b c").as_deref(), Ok("https://h/a%2Fb%20c"));

    let r = one_condition(
        json!({"fn": "isValidHostLabel", "argv": [{"ref": "X"}, true]}),
        "https://{X}.h",
    );
    assert_eq!(url_for(&r, "a.b").as_deref(), Ok("https://a.b.h"));
    assert_eq!(
        url_for(&r, "a..b"),
        Err(EndpointError::Rule("no match".into()))
    );
}

#[test]
fn coalesce_returns_the_first_set_argument() {
    let r = rules(
        json!({"A": {"type": "string"}, "B": {"type": "string"}}),
        json!([
            {"type": "endpoint", "conditions": [
                {"fn": "coalesce", "argv": [{"ref": "A"}, {"ref": "B"}, "fallback"], "assign": "v"}],
             "endpoint": {"url": "https://{v}"}}
        ]),
    );
    let url = |p: EndpointParams| r.resolve(&p).map(|e| e.url);
    assert_eq!(
        url(EndpointParams::new().set_str("A", "a").set_str("B", "b")).as_deref(),
        Ok("https://a")
    );
    assert_eq!(
        url(EndpointParams::new().set_str("B", "b")).as_deref(),
        Ok("https://b")
    );
    assert_eq!(
        url(EndpointParams::new()).as_deref(),
        Ok("https://fallback")
    );
}

#[test]
fn partition_hostnames_for_fips_and_dual_stack() {
    let r = rules(
        json!({"Region": {"type": "string", "required": true}}),
        json!([{"type": "tree", "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
          "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url":
            "https://svc-fips.{Region}.{P#dualStackDnsSuffix}|{P#dnsSuffix}"}}]}]),
    );
    let url = |region: &str| {
        r.resolve(&EndpointParams::new().set_str("Region", region.to_owned()))
            .map(|e| e.url)
    };
    assert_eq!(
        url("us-east-1").as_deref(),
        Ok("https://svc-fips.us-east-1.api.aws|amazonaws.com")
    );
    assert_eq!(
        url("cn-north-1").as_deref(),
        Ok("https://svc-fips.cn-north-1.api.amazonwebservices.com.cn|amazonaws.com.cn")
    );
    assert_eq!(
        url("us-isob-east-1").as_deref(),
        Ok("https://svc-fips.us-isob-east-1.sc2s.sgov.gov|sc2s.sgov.gov")
    );
    // Unknown region: the aws partition.
    assert_eq!(
        url("moon-base-1").as_deref(),
        Ok("https://svc-fips.moon-base-1.api.aws|amazonaws.com")
    );
}

#[test]
fn lazy_rule_sets_load_once_and_keep_errors() {
    static GOOD: LazyRuleSet = LazyRuleSet::new(
        r#"{"version": "1.0", "parameters": {}, "rules": [
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://lazy"}}]}"#,
    );
    static BAD: LazyRuleSet =
        LazyRuleSet::new(r#"{"version": "1.0", "parameters": {}, "rules": []}"#);
    let first = GOOD.get().expect("loads") as *const RuleSet;
    let second = GOOD.get().expect("loads") as *const RuleSet;
    assert_eq!(first, second, "parsed once");
    assert_eq!(
        GOOD.resolve(&EndpointParams::new())
            .map(|e| e.url)
            .as_deref(),
        Ok("https://lazy")
    );
    assert!(matches!(
        BAD.resolve(&EndpointParams::new()),
        Err(EndpointError::InvalidRuleSet(_))
    ));
    assert!(BAD.get().is_err());
}
