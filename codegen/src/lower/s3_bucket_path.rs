//! Pass: S3's endpoint rules put the bucket in the URL they resolve (the
//! virtual host `bucket.s3.…`, or the path of a path-style URL), from the
//! `Bucket` endpoint parameter. The model's URIs begin with `/{Bucket}` as
//! well, so a request built from both would name the bucket twice; as the
//! AWS SDKs do, that first segment is dropped and the rules alone place the
//! bucket. Only for the S3 service (`sdkId` `S3`) and operations whose
//! `Bucket` endpoint parameter is set from the input.

use crate::ir::Model;

/// The segment the S3 model's URIs begin with.
const BUCKET_SEGMENT: &str = "/{Bucket}";

pub fn drop_bucket_from_s3_paths(model: &mut Model) {
    if model.service.sdk_id.as_deref() != Some("S3") {
        return;
    }
    for op in &mut model.operations {
        if !op.endpoint_params.iter().any(|param| param.name == "Bucket") {
            continue;
        }
        let Some(http) = &mut op.http else { continue };
        let Some(rest) = http.uri.strip_prefix(BUCKET_SEGMENT) else { continue };
        if rest.is_empty() || rest.starts_with('?') {
            http.uri = format!("/{rest}");
        } else if rest.starts_with('/') {
            http.uri = rest.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lower::tests::lower_str;

    const MODEL: &str = r#"{"s#Storage": {"type": "service", "version": "1",
            "operations": [{"target": "s#GetThing"}, {"target": "s#ListThings"}, {"target": "s#Tag"}, {"target": "s#Other"}],
            "traits": {"aws.protocols#restXml": {"noErrorWrapping": true}, "aws.api#service": {"sdkId": "SDK_ID"},
                       "smithy.rules#endpointRuleSet": {"version": "1.0",
                           "parameters": {"Bucket": {"type": "String", "required": false}},
                           "rules": [{"type": "error", "conditions": [], "error": "none"}]}}},
        "s#GetThing": {"type": "operation", "input": {"target": "s#GetThingIn"},
            "traits": {"smithy.api#http": {"method": "GET", "uri": "/{Bucket}/{Key+}?x-id=GetThing"}}},
        "s#GetThingIn": {"type": "structure", "members": {
            "Bucket": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}, "smithy.rules#contextParam": {"name": "Bucket"}}},
            "Key": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}}},
        "s#ListThings": {"type": "operation", "input": {"target": "s#BucketIn"},
            "traits": {"smithy.api#http": {"method": "GET", "uri": "/{Bucket}"}}},
        "s#Tag": {"type": "operation", "input": {"target": "s#TagIn"},
            "traits": {"smithy.api#http": {"method": "PUT", "uri": "/{Bucket}?tagging"}}},
        "s#TagIn": {"type": "structure", "members": {
            "Bucket": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}, "smithy.rules#contextParam": {"name": "Bucket"}}}}},
        "s#BucketIn": {"type": "structure", "members": {
            "Bucket": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}, "smithy.rules#contextParam": {"name": "Bucket"}}}}},
        "s#Other": {"type": "operation", "input": {"target": "s#OtherIn"},
            "traits": {"smithy.api#http": {"method": "GET", "uri": "/{Bucket}/x"}}},
        "s#OtherIn": {"type": "structure", "members": {
            "Bucket": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}}}}"#;

    fn uris(sdk_id: &str) -> Vec<String> {
        let model = lower_str(&MODEL.replace("SDK_ID", sdk_id));
        model.operations.iter().map(|op| op.http.as_ref().map(|h| h.uri.clone()).unwrap_or_default()).collect()
    }

    #[test]
    fn s3_uris_lose_the_bucket_segment_the_endpoint_rules_place() {
        // Operations are sorted by name: GetThing, ListThings, Other, Tag.
        assert_eq!(uris("S3"), ["/{Key+}?x-id=GetThing", "/", "/{Bucket}/x", "/?tagging"]);
        assert_eq!(uris("Not S3"), ["/{Bucket}/{Key+}?x-id=GetThing", "/{Bucket}", "/{Bucket}/x", "/{Bucket}?tagging"]);
    }
}
