//! Pass: mark operations the client cannot call yet, instead of failing the
//! whole model. Today that is an operation with an event stream (a
//! `@streaming` union) the protocol's client does not carry: output event
//! streams work for restJson1, awsJson1_0/1_1 and restXml; input event
//! streams for restJson1 only (awsJson would also need the
//! `initial-request` message, restXml an XML event writer). Their input
//! and output types are still generated, but the client has no method for
//! them (and nothing is emitted that only such a method would use).
//! Streaming blobs are always supported.

use std::collections::BTreeMap;

use crate::ir::{Member, Operation, Protocol, Shape, ShapeKind};

pub fn mark_unsupported_operations(protocol: &Protocol, operations: &mut [Operation], shapes: &BTreeMap<String, Shape>) {
    let receives = matches!(protocol, Protocol::RestJson1 | Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestXml { .. });
    let sends = matches!(protocol, Protocol::RestJson1);
    for op in operations {
        let input = event_streams(shapes, &op.input);
        let output = event_streams(shapes, &op.output);
        let left_out: Vec<&str> = input
            .iter()
            .filter(|_| !sends)
            .chain(output.iter().filter(|_| !receives))
            .map(|m| m.name.as_str())
            .collect();
        if !left_out.is_empty() {
            // When the protocol receives events, only sent ones were left out.
            let direction = if receives { "input event streams" } else { "event streams" };
            op.unsupported = Some(format!(
                "operation `{}` uses an event stream (member{} `{}`), and {} are not supported yet for protocol `{}`",
                op.name,
                if left_out.len() == 1 { "" } else { "s" },
                left_out.join("`, `"),
                direction,
                protocol.name()
            ));
        }
    }
}

/// The members of structure `id` that are event streams.
fn event_streams<'s>(shapes: &'s BTreeMap<String, Shape>, id: &str) -> Vec<&'s Member> {
    let Some(Shape { kind: ShapeKind::Structure(members), .. }) = shapes.get(id) else { return Vec::new() };
    members
        .iter()
        .filter(|m| shapes.get(&m.target).is_some_and(|t| t.streaming && matches!(t.kind, ShapeKind::Union(_))))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lower::tests::lower_str;

    fn model(protocol: &str) -> crate::ir::Model {
        lower_str(&format!(
            r#"{{"a#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "a#Watch"}}, {{"target": "a#Get"}}, {{"target": "a#Chat"}}],
                          "traits": {{"{protocol}": {{}}}}}},
                "a#Watch": {{"type": "operation", "output": {{"target": "a#WatchOut"}}, "traits": {{"smithy.api#http": {{"method": "GET", "uri": "/w"}}}}}},
                "a#WatchOut": {{"type": "structure", "members": {{"events": {{"target": "a#Events", "traits": {{"smithy.api#httpPayload": {{}}}}}}}}}},
                "a#Events": {{"type": "union", "members": {{"tick": {{"target": "a#Tick"}}}}, "traits": {{"smithy.api#streaming": {{}}}}}},
                "a#Tick": {{"type": "structure"}},
                "a#Chat": {{"type": "operation", "input": {{"target": "a#ChatIn"}}, "output": {{"target": "a#WatchOut"}},
                           "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/c"}}}}}},
                "a#ChatIn": {{"type": "structure", "members": {{"says": {{"target": "a#Events", "traits": {{"smithy.api#httpPayload": {{}}}}}}}}}},
                "a#Get": {{"type": "operation", "output": {{"target": "a#GetOut"}}, "traits": {{"smithy.api#http": {{"method": "GET", "uri": "/g"}}}}}},
                "a#GetOut": {{"type": "structure", "members": {{"data": {{"target": "a#Data", "traits": {{"smithy.api#httpPayload": {{}}}}}}}}}},
                "a#Data": {{"type": "blob", "traits": {{"smithy.api#streaming": {{}}}}}}}}"#
        ))
    }

    fn unsupported<'m>(model: &'m crate::ir::Model, name: &str) -> Option<&'m str> {
        model.operations.iter().find(|o| o.name == name).and_then(|o| o.unsupported.as_deref())
    }

    #[test]
    fn rest_json_calls_every_stream() {
        let model = model("aws.protocols#restJson1");
        assert_eq!([unsupported(&model, "Get"), unsupported(&model, "Watch"), unsupported(&model, "Chat")], [None, None, None]);
    }

    #[test]
    fn aws_json_receives_events_but_does_not_send_them() {
        let model = model("aws.protocols#awsJson1_1");
        assert_eq!(unsupported(&model, "Watch"), None);
        assert_eq!(
            unsupported(&model, "Chat"),
            Some("operation `Chat` uses an event stream (member `says`), and input event streams are not supported yet for protocol `awsJson1_1`")
        );
    }

    #[test]
    fn query_protocols_leave_event_streams_out_but_not_blobs() {
        let model = model("aws.protocols#awsQuery");
        assert_eq!(unsupported(&model, "Get"), None, "streaming blobs are supported");
        assert_eq!(
            unsupported(&model, "Watch"),
            Some("operation `Watch` uses an event stream (member `events`), and event streams are not supported yet for protocol `awsQuery`")
        );
        assert_eq!(
            unsupported(&model, "Chat"),
            Some("operation `Chat` uses an event stream (members `says`, `events`), and event streams are not supported yet for protocol `awsQuery`")
        );
    }
}
