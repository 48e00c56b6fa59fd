//! The `smithy.api` prelude shapes every model may target without defining.

use serde_json::json;

use crate::ast::{AggregateShape, Shape, SimpleShape, Traits};

/// The prelude namespace.
pub const NAMESPACE: &str = "smithy.api";

/// `smithy.api#Unit`: the empty structure used for "no input/output" and for
/// union members that carry no value.
pub const UNIT: &str = "smithy.api#Unit";

/// Every prelude shape, by id.
pub fn shapes() -> Vec<(String, Shape)> {
    let simple = |make: fn(SimpleShape) -> Shape, default: Option<serde_json::Value>| {
        let mut traits = Traits::new();
        if let Some(value) = default {
            traits.insert("smithy.api#default".to_string(), value);
        }
        make(SimpleShape { traits, mixins: Vec::new() })
    };
    let mut shapes = vec![
        ("String", simple(Shape::String, None)),
        ("Blob", simple(Shape::Blob, None)),
        ("BigInteger", simple(Shape::BigInteger, None)),
        ("BigDecimal", simple(Shape::BigDecimal, None)),
        ("Timestamp", simple(Shape::Timestamp, None)),
        ("Document", simple(Shape::Document, None)),
        ("Boolean", simple(Shape::Boolean, None)),
        ("Byte", simple(Shape::Byte, None)),
        ("Short", simple(Shape::Short, None)),
        ("Integer", simple(Shape::Integer, None)),
        ("Long", simple(Shape::Long, None)),
        ("Float", simple(Shape::Float, None)),
        ("Double", simple(Shape::Double, None)),
        ("PrimitiveBoolean", simple(Shape::Boolean, Some(json!(false)))),
        ("PrimitiveByte", simple(Shape::Byte, Some(json!(0)))),
        ("PrimitiveShort", simple(Shape::Short, Some(json!(0)))),
        ("PrimitiveInteger", simple(Shape::Integer, Some(json!(0)))),
        ("PrimitiveLong", simple(Shape::Long, Some(json!(0)))),
        ("PrimitiveFloat", simple(Shape::Float, Some(json!(0)))),
        ("PrimitiveDouble", simple(Shape::Double, Some(json!(0)))),
    ];
    let mut unit_traits = Traits::new();
    unit_traits.insert("smithy.api#unitType".to_string(), json!({}));
    shapes.push(("Unit", Shape::Structure(AggregateShape { traits: unit_traits, ..Default::default() })));
    shapes.into_iter().map(|(name, shape)| (format!("{NAMESPACE}#{name}"), shape)).collect()
}

/// Whether `id` names a prelude shape.
pub fn is_prelude(id: &str) -> bool {
    id.starts_with("smithy.api#")
}
