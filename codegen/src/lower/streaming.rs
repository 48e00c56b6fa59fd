//! Pass: mark the members of operation inputs and outputs that stream — a
//! `@streaming` blob (a `ByteStream` body) or an event stream (a
//! `@streaming` union, sent or received) — in [`Member::stream`], and the
//! operations whose event streams need HTTP/2 ([`Operation::http2`]).
//! Runs after every operation has its own input and output. The event
//! streams of an operation the client cannot call stay unmarked: its types
//! hold the union itself.

use std::collections::BTreeMap;

use crate::ir::{Member, Operation, Service, Shape, ShapeKind, Simple, StreamKind};

pub fn mark_stream_members(service: &Service, operations: &mut [Operation], shapes: &mut BTreeMap<String, Shape>) {
    for op in operations {
        let mut events = false;
        for (id, sends) in [(&op.input, true), (&op.output, false)] {
            let kinds: Vec<Option<StreamKind>> = match shapes.get(id).map(|s| &s.kind) {
                Some(ShapeKind::Structure(members)) => members
                    .iter()
                    .map(|m| stream_kind(shapes, m, sends))
                    .map(|kind| kind.filter(|k| *k == StreamKind::Blob || op.unsupported.is_none()))
                    .collect(),
                _ => continue,
            };
            if let Some(Shape { kind: ShapeKind::Structure(members), .. }) = shapes.get_mut(id) {
                for (member, kind) in members.iter_mut().zip(kinds) {
                    events |= matches!(kind, Some(StreamKind::InputEvents | StreamKind::OutputEvents));
                    member.stream = kind;
                }
            }
        }
        op.http2 = events && service.event_streams_need_h2;
    }
}

fn stream_kind(shapes: &BTreeMap<String, Shape>, member: &Member, sends: bool) -> Option<StreamKind> {
    let target = shapes.get(&member.target).filter(|t| t.streaming)?;
    match target.kind {
        ShapeKind::Simple(Simple::Blob) => Some(StreamKind::Blob),
        ShapeKind::Union(_) if sends => Some(StreamKind::InputEvents),
        ShapeKind::Union(_) => Some(StreamKind::OutputEvents),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::StreamKind;
    use crate::lower::tests::lower_str;

    fn streams(model: &crate::ir::Model, id: &str) -> Vec<(String, Option<StreamKind>)> {
        let crate::ir::ShapeKind::Structure(members) = &model.shape(id).kind else { panic!("structure") };
        members.iter().map(|m| (m.name.clone(), m.stream)).collect()
    }

    #[test]
    fn blobs_and_event_streams_are_marked_on_their_side_and_h2_follows_the_protocol_trait() {
        let model = |protocol: &str| {
            lower_str(&format!(
                r#"{{"a#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "a#Talk"}}, {{"target": "a#Put"}}],
                              "traits": {{"aws.protocols#restJson1": {protocol}}}}},
                    "a#Talk": {{"type": "operation", "input": {{"target": "a#TalkIn"}}, "output": {{"target": "a#TalkOut"}},
                               "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/t"}}}}}},
                    "a#TalkIn": {{"type": "structure", "members": {{
                        "lang": {{"target": "smithy.api#String", "traits": {{"smithy.api#httpHeader": "x-lang"}}}},
                        "audio": {{"target": "a#Audio", "traits": {{"smithy.api#httpPayload": {{}}}}}}}}}},
                    "a#TalkOut": {{"type": "structure", "members": {{
                        "words": {{"target": "a#Audio", "traits": {{"smithy.api#httpPayload": {{}}}}}}}}}},
                    "a#Audio": {{"type": "union", "members": {{"chunk": {{"target": "a#Chunk"}}}}, "traits": {{"smithy.api#streaming": {{}}}}}},
                    "a#Chunk": {{"type": "structure", "members": {{"bytes": {{"target": "smithy.api#Blob", "traits": {{"smithy.api#eventPayload": {{}}}}}}}}}},
                    "a#Put": {{"type": "operation", "input": {{"target": "a#PutIn"}},
                              "traits": {{"smithy.api#http": {{"method": "PUT", "uri": "/p"}}, "aws.auth#unsignedPayload": {{}}}}}},
                    "a#PutIn": {{"type": "structure", "members": {{
                        "body": {{"target": "a#Bytes", "traits": {{"smithy.api#httpPayload": {{}}}}}}}}}},
                    "a#Bytes": {{"type": "blob", "traits": {{"smithy.api#streaming": {{}}, "smithy.api#requiresLength": {{}}}}}}}}"#
            ))
        };
        let h2 = model(r#"{"http": ["http/1.1", "h2"], "eventStreamHttp": ["h2"]}"#);
        let talk = h2.operations.iter().find(|o| o.name == "Talk").expect("Talk");
        let put = h2.operations.iter().find(|o| o.name == "Put").expect("Put");
        assert_eq!(streams(&h2, &talk.input), [("lang".to_string(), None), ("audio".to_string(), Some(StreamKind::InputEvents))]);
        assert_eq!(streams(&h2, &talk.output), [("words".to_string(), Some(StreamKind::OutputEvents))]);
        assert_eq!(streams(&h2, &put.input), [("body".to_string(), Some(StreamKind::Blob))]);
        assert!(talk.http2, "eventStreamHttp names h2 first");
        assert!(!put.http2, "no event stream, no HTTP/2");
        assert!(put.unsigned_payload);
        assert!(h2.shape("a#Bytes").requires_length);
        assert!(h2.shapes.values().any(|s| matches!(&s.kind, crate::ir::ShapeKind::Structure(ms) if ms.iter().any(|m| m.event_payload))));
        let http1 = model(r#"{"http": ["http/1.1", "h2"]}"#);
        assert!(!http1.operations.iter().any(|o| o.http2), "http/1.1 comes first");
        let h2_only = model(r#"{"http": ["h2"]}"#);
        assert!(h2_only.operations.iter().find(|o| o.name == "Talk").is_some_and(|o| o.http2), "the http list when eventStreamHttp is absent");
    }
}
