//! Pass: drop the traits the service's protocol ignores, so emitters never
//! have to know which protocol honours which trait. The RPC protocols
//! (awsJson1_0, awsJson1_1) place every member in the body whatever its HTTP
//! binding trait says, under its member name whatever its `@jsonName`, and
//! send every operation as `POST /` whatever its `@http` says.

use std::collections::BTreeMap;

use crate::ir::{HttpBinding, Operation, Service, Shape, ShapeKind};

pub fn drop_ignored_traits(service: &Service, operations: &mut [Operation], shapes: &mut BTreeMap<String, Shape>) {
    let Some(protocol) = crate::protocols::for_protocol(&service.protocol) else { return };
    if !protocol.http_bindings() {
        for op in operations.iter_mut() {
            op.http = None;
        }
    }
    for shape in shapes.values_mut() {
        let members = match &mut shape.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => members,
            _ => continue,
        };
        for member in members {
            if !protocol.http_bindings() {
                member.http = HttpBinding::Body;
            }
            if !protocol.json_name() {
                member.json_name = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{HttpBinding, ShapeKind};
    use crate::lower::tests::lower_str;

    fn model(protocol: &str) -> crate::ir::Model {
        lower_str(&format!(
            r#"{{"a#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "a#Get"}}],
                    "traits": {{"{protocol}": {{}}}}}},
                "a#Get": {{"type": "operation", "input": {{"target": "a#In"}},
                    "traits": {{"smithy.api#http": {{"method": "GET", "uri": "/things/{{id}}"}}}}}},
                "a#In": {{"type": "structure", "members": {{
                    "id": {{"target": "smithy.api#String", "traits": {{"smithy.api#httpLabel": {{}}, "smithy.api#required": {{}}}}}},
                    "tag": {{"target": "smithy.api#String", "traits": {{"smithy.api#jsonName": "Tag"}}}}}}}}}}"#
        ))
    }

    fn bindings(model: &crate::ir::Model) -> Vec<(HttpBinding, Option<String>)> {
        let ShapeKind::Structure(members) = &model.shape(&model.operations[0].input).kind else { panic!("structure") };
        members.iter().map(|m| (m.http.clone(), m.json_name.clone())).collect()
    }

    #[test]
    fn aws_json_ignores_http_bindings_and_json_names() {
        let model = model("aws.protocols#awsJson1_1");
        assert_eq!(bindings(&model), [(HttpBinding::Body, None), (HttpBinding::Body, None)]);
        assert_eq!(model.operations[0].http, None);
    }

    #[test]
    fn rest_json_keeps_them() {
        let model = model("aws.protocols#restJson1");
        assert_eq!(bindings(&model), [(HttpBinding::Label, None), (HttpBinding::Body, Some("Tag".to_string()))]);
        assert!(model.operations[0].http.is_some());
    }
}
