//! Pass: mark operations the client cannot call yet, instead of failing the
//! whole model. Today that is any operation whose input or output has an
//! event stream (a `@streaming` union). Their input and output types are
//! still generated, but the client has no method for them (and nothing is
//! emitted that only such a method would use). Streaming blobs are
//! supported, buffered in memory.

use std::collections::BTreeMap;

use crate::ir::{Operation, Shape, ShapeKind};

pub fn mark_unsupported_operations(operations: &mut [Operation], shapes: &BTreeMap<String, Shape>) {
    for op in operations {
        let streams: Vec<&str> = [&op.input, &op.output]
            .into_iter()
            .filter_map(|id| shapes.get(id))
            .flat_map(|shape| match &shape.kind {
                ShapeKind::Structure(members) => members.iter().collect(),
                _ => Vec::new(),
            })
            .filter(|m| shapes.get(&m.target).is_some_and(|t| t.streaming && matches!(t.kind, ShapeKind::Union(_))))
            .map(|m| m.name.as_str())
            .collect();
        if !streams.is_empty() {
            op.unsupported = Some(format!(
                "operation `{}` uses an event stream (member{} `{}`), which this client does not support yet",
                op.name,
                if streams.len() == 1 { "" } else { "s" },
                streams.join("`, `")
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lower::tests::lower_str;

    #[test]
    fn event_streams_make_only_their_operation_unsupported() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Watch"}, {"target": "a#Get"}, {"target": "a#Chat"}]},
                "a#Watch": {"type": "operation", "output": {"target": "a#WatchOut"}},
                "a#WatchOut": {"type": "structure", "members": {"events": {"target": "a#Events", "traits": {"smithy.api#httpPayload": {}}}}},
                "a#Events": {"type": "union", "members": {"tick": {"target": "a#Tick"}}, "traits": {"smithy.api#streaming": {}}},
                "a#Tick": {"type": "structure"},
                "a#Chat": {"type": "operation", "input": {"target": "a#ChatIn"}, "output": {"target": "a#WatchOut"}},
                "a#ChatIn": {"type": "structure", "members": {"says": {"target": "a#Events", "traits": {"smithy.api#httpPayload": {}}}}},
                "a#Get": {"type": "operation", "output": {"target": "a#GetOut"}},
                "a#GetOut": {"type": "structure", "members": {"data": {"target": "a#Data", "traits": {"smithy.api#httpPayload": {}}}}},
                "a#Data": {"type": "blob", "traits": {"smithy.api#streaming": {}}}}"#,
        );
        let get = model.operations.iter().find(|o| o.name == "Get").expect("Get");
        let watch = model.operations.iter().find(|o| o.name == "Watch").expect("Watch");
        let chat = model.operations.iter().find(|o| o.name == "Chat").expect("Chat");
        assert_eq!(get.unsupported, None, "streaming blobs are buffered");
        assert_eq!(
            watch.unsupported.as_deref(),
            Some("operation `Watch` uses an event stream (member `events`), which this client does not support yet")
        );
        assert_eq!(
            chat.unsupported.as_deref(),
            Some("operation `Chat` uses an event stream (members `says`, `events`), which this client does not support yet")
        );
    }
}
