//! Runs every `smithy.rules#endpointTests` case of the project's model
//! against its `smithy.rules#endpointRuleSet`, through the interpreter the
//! generated client uses.

use std::path::Path;

use serde_json::Value as Json;
use smithy_runtime::endpoint::{EndpointError, EndpointParams, RuleSet, Value};

const SERVICE: &str = "com.amazonaws.ivsrealtime#AmazonInteractiveVideoServiceRealTime";
const EXPECTED_CASES: usize = 25;

fn service_traits() -> Json {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/ivs-realtime.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let model: Json =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    model["shapes"][SERVICE]["traits"].clone()
}

/// Turns a test case's `params` into endpoint parameters.
fn params_of(case: &Json) -> Result<EndpointParams, String> {
    let mut params = EndpointParams::new();
    if let Some(members) = case.get("params").and_then(Json::as_object) {
        for (name, value) in members {
            let value = Value::from_json(value)
                .ok_or_else(|| format!("param {name}: unusable value {value}"))?;
            params.insert(name.clone(), value);
        }
    }
    Ok(params)
}

/// Checks one case, describing the mismatch if any.
fn check(rules: &RuleSet, case: &Json) -> Result<(), String> {
    let params = params_of(case)?;
    let outcome = rules.resolve(&params);
    let expect = &case["expect"];
    if let Some(expected_error) = expect.get("error").and_then(Json::as_str) {
        return match outcome {
            Err(EndpointError::Rule(message)) if message == expected_error => Ok(()),
            Err(other) => Err(format!(
                "expected error {expected_error:?}, got error {other:?}"
            )),
            Ok(endpoint) => Err(format!(
                "expected error {expected_error:?}, got endpoint {endpoint:?}"
            )),
        };
    }
    let expected = expect
        .get("endpoint")
        .ok_or("case expects neither `error` nor `endpoint`")?;
    let endpoint = outcome.map_err(|e| format!("expected an endpoint, got error: {e}"))?;
    if let Some(url) = expected.get("url").and_then(Json::as_str) {
        if endpoint.url != url {
            return Err(format!("url: expected {url:?}, got {:?}", endpoint.url));
        }
    }
    let headers = serde_json::to_value(&endpoint.headers).map_err(|e| e.to_string())?;
    let expected_headers = expected
        .get("headers")
        .cloned()
        .unwrap_or_else(|| Json::Object(Default::default()));
    if headers != expected_headers {
        return Err(format!(
            "headers: expected {expected_headers}, got {headers}"
        ));
    }
    let properties: serde_json::Map<String, Json> = endpoint
        .properties
        .iter()
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    let expected_properties = expected
        .get("properties")
        .cloned()
        .unwrap_or_else(|| Json::Object(Default::default()));
    if Json::Object(properties.clone()) != expected_properties {
        return Err(format!(
            "properties: expected {expected_properties}, got {}",
            Json::Object(properties)
        ));
    }
    Ok(())
}

#[test]
fn every_endpoint_test_in_the_model_passes() {
    let traits = service_traits();
    let rules = RuleSet::from_json_value(traits["smithy.rules#endpointRuleSet"].clone())
        .unwrap_or_else(|e| panic!("the model's rule set should load: {e}"));
    assert!(
        rules.unsupported_functions().is_empty(),
        "{:?}",
        rules.unsupported_functions()
    );
    let cases = traits["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        cases.len(),
        EXPECTED_CASES,
        "number of endpoint test cases in the model"
    );

    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        if let Err(why) = check(&rules, case) {
            failures.push(format!(
                "case {i}: {}\n  params: {}\n  {why}",
                case["documentation"]
                    .as_str()
                    .unwrap_or("(no documentation)"),
                case.get("params").unwrap_or(&Json::Null)
            ));
        }
    }
    let passed = cases.len() - failures.len();
    println!("endpoint tests: {passed}/{} passed", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} endpoint tests failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn builtins_drive_the_models_rules() {
    let traits = service_traits();
    let rules =
        RuleSet::from_json_value(traits["smithy.rules#endpointRuleSet"].clone()).expect("loads");
    let resolve = |region: Option<&str>, fips: bool, dual: bool, url: Option<&str>| {
        rules
            .resolve(&EndpointParams::from_builtins(
                region, fips, dual, url, &rules,
            ))
            .map(|e| e.url)
    };
    assert_eq!(
        resolve(Some("eu-west-1"), false, false, None).as_deref(),
        Ok("https://ivsrealtime.eu-west-1.amazonaws.com")
    );
    assert_eq!(
        resolve(Some("eu-west-1"), true, true, None).as_deref(),
        Ok("https://ivsrealtime-fips.eu-west-1.api.aws")
    );
    assert_eq!(
        resolve(
            Some("us-east-1"),
            false,
            false,
            Some("http://127.0.0.1:9000")
        )
        .as_deref(),
        Ok("http://127.0.0.1:9000")
    );
    assert_eq!(
        resolve(None, false, false, None),
        Err(EndpointError::Rule(
            "Invalid Configuration: Missing Region".into()
        ))
    );
}

#[test]
fn the_checker_reports_mismatches() {
    let traits = service_traits();
    let rules =
        RuleSet::from_json_value(traits["smithy.rules#endpointRuleSet"].clone()).expect("loads");
    let params =
        serde_json::json!({"Region": "us-east-1", "UseFIPS": false, "UseDualStack": false});
    let case = |expect: Json| serde_json::json!({"params": params, "expect": expect});
    let good = case(
        serde_json::json!({"endpoint": {"url": "https://ivsrealtime.us-east-1.amazonaws.com"}}),
    );
    assert_eq!(check(&rules, &good), Ok(()));
    let wrong_url = case(serde_json::json!({"endpoint": {"url": "https://elsewhere"}}));
    assert!(check(&rules, &wrong_url).is_err_and(|e| e.starts_with("url:")));
    let wrong_headers = case(serde_json::json!({"endpoint": {
        "url": "https://ivsrealtime.us-east-1.amazonaws.com", "headers": {"x": ["y"]}}}));
    assert!(check(&rules, &wrong_headers).is_err_and(|e| e.starts_with("headers:")));
    let wrong_properties = case(serde_json::json!({"endpoint": {
        "url": "https://ivsrealtime.us-east-1.amazonaws.com", "properties": {"authSchemes": []}}}));
    assert!(check(&rules, &wrong_properties).is_err_and(|e| e.starts_with("properties:")));
    let wrong_error = case(serde_json::json!({"error": "Invalid Configuration: Missing Region"}));
    assert!(check(&rules, &wrong_error).is_err_and(|e| e.contains("got endpoint")));
    let unknown_param =
        serde_json::json!({"params": {"Regoin": "x"}, "expect": {"error": "anything"}});
    assert!(check(&rules, &unknown_param).is_err_and(|e| e.contains("UnknownParameter")));
}
