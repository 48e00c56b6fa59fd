//! The shape walking the body codecs share: which aggregates (structures,
//! unions, lists, maps) a request or response body reaches, and one
//! function per aggregate, emitted by the codec's [`AggregateEmitters`]
//! (`json_serializers`, `json_deserializers`, `xml_serializers`,
//! `xml_deserializers`).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;

use crate::ir::{HttpBinding, Member, Model, Role, Shape, ShapeKind};
use crate::protocols::BodyCodec;
use crate::symbols::Symbols;

/// Aggregate shapes (structures, unions, lists, maps) reachable from the
/// bodies of operation inputs, as `codec` writes them.
pub fn shapes_needing_ser(model: &Model, codec: BodyCodec) -> BTreeSet<String> {
    let mut roots = Vec::new();
    for op in model.operations.iter().filter(|op| op.unsupported.is_none()) {
        if let ShapeKind::Structure(members) = &model.shape(&op.input).kind {
            for m in members {
                use crate::ir::HttpBinding::*;
                match m.http {
                    _ if m.stream.is_some() => roots.extend(crate::emit::event_streams::codec_roots(model, m)),
                    Body | Payload => roots.extend(followed_targets(model, m, codec)),
                    _ => {}
                }
            }
        }
    }
    reachable_aggregates(model, roots, codec)
}

/// The shapes a walk follows from `member`: its target, except that in XML
/// an `@xmlFlattened` list or map has no function of its own (its items or
/// entries are read and written in place), so the walk goes on to its
/// member, or its key and value.
fn followed_targets(model: &Model, member: &Member, codec: BodyCodec) -> Vec<String> {
    if codec == BodyCodec::Xml && member.xml.flattened {
        match &model.shape(&member.target).kind {
            ShapeKind::List { member: item, .. } => return vec![item.target.clone()],
            ShapeKind::Map { key, value, .. } => return vec![key.target.clone(), value.target.clone()],
            _ => {}
        }
    }
    vec![member.target.clone()]
}

/// Every structure/union/list/map reachable from `roots` (including them).
pub fn reachable_aggregates(model: &Model, mut pending: Vec<String>, codec: BodyCodec) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    while let Some(id) = pending.pop() {
        let shape = model.shape(&id);
        if shape.unit {
            continue;
        }
        let children: Vec<&Member> = match &shape.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => members.iter().collect(),
            ShapeKind::List { member, .. } => vec![member],
            ShapeKind::Map { key, value, .. } => vec![key, value],
            _ => continue,
        };
        if found.insert(id.clone()) {
            pending.extend(children.into_iter().flat_map(|m| followed_targets(model, m, codec)));
        }
    }
    found
}

/// Aggregates reachable from the bodies of operation outputs and errors, as
/// `codec` reads them.
pub fn shapes_needing_de(model: &Model, codec: BodyCodec) -> BTreeSet<String> {
    let mut roots = Vec::new();
    let mut add_members = |shape: &Shape| {
        if let ShapeKind::Structure(members) = &shape.kind {
            for m in members {
                if m.stream.is_some() {
                    roots.extend(crate::emit::event_streams::codec_roots(model, m));
                } else if in_response_body(m) || m.http == HttpBinding::Payload {
                    roots.extend(followed_targets(model, m, codec));
                }
            }
        }
    };
    for op in model.operations.iter().filter(|op| op.unsupported.is_none()) {
        add_members(model.shape(&op.output));
    }
    for error in model.errors().filter(|e| model.error_is_returned(&e.id)) {
        add_members(error);
    }
    reachable_aggregates(model, roots, codec)
}

/// Whether a member of an output or error travels in the document body: request
/// bindings (`@httpQuery`, `@httpLabel`, …) mean nothing in a response.
pub fn in_response_body(member: &Member) -> bool {
    !matches!(
        member.http,
        HttpBinding::Header(_) | HttpBinding::PrefixHeaders(_) | HttpBinding::ResponseCode | HttpBinding::Payload
    )
}

/// One function emitter per aggregate kind; [`aggregate_functions`] calls
/// the one that fits each shape. Each body codec (JSON, XML) fills one in
/// for its serializers and one for its deserializers.
pub struct AggregateEmitters {
    pub structure: fn(&Symbols<'_>, &Shape, &[Member]) -> TokenStream,
    pub union: fn(&Symbols<'_>, &Shape, &[Member]) -> TokenStream,
    pub list: fn(&Symbols<'_>, &Shape, &Member) -> TokenStream,
    pub map: fn(&Symbols<'_>, &Shape, &Member, &Member) -> TokenStream,
}

/// The functions of `shapes` (operation inputs and outputs excluded:
/// their members are handled by the HTTP request/response emitters).
pub fn aggregate_functions(symbols: &Symbols<'_>, shapes: BTreeSet<String>, emit: &AggregateEmitters) -> Vec<TokenStream> {
    let model = symbols.model();
    shapes
        .into_iter()
        .filter_map(|id| {
            let shape = model.shape(&id);
            if matches!(shape.role, Role::Input(_) | Role::Output(_)) {
                return None;
            }
            Some(match &shape.kind {
                ShapeKind::Structure(members) => (emit.structure)(symbols, shape, members),
                ShapeKind::Union(members) => (emit.union)(symbols, shape, members),
                ShapeKind::List { member, .. } => (emit.list)(symbols, shape, member),
                ShapeKind::Map { key, value, .. } => (emit.map)(symbols, shape, key, value),
                _ => return None,
            })
        })
        .collect()
}


/// Runs `body` with `item` bound to `&value.<member>` (a structure field),
/// only when it is set for an optional member. Every serializer writes a
/// structure's members through this.
pub fn with_member_item(member: &Member, value: &TokenStream, body: TokenStream) -> TokenStream {
    let field = crate::symbols::ident(&member.rust_name);
    if member.optional {
        quote::quote! {
            if let ::std::option::Option::Some(item) = &#value.#field {
                #body
            }
        }
    } else {
        quote::quote! {
            {
                let item = &#value.#field;
                #body
            }
        }
    }
}
