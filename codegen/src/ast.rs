//! serde types that mirror the Smithy 2.0 JSON AST, one to one.
//!
//! Nothing here resolves, validates or names anything: that is the job of
//! [`crate::lower`]. Traits stay raw JSON values (`Traits`) and are read into
//! typed values by [`crate::traits`] where the generator uses them.
//!
//! Parsing happens in two steps so that every problem can be reported with the
//! shape id it belongs to: [`parse_model`] reads the document (malformed JSON
//! reports line and column) with each shape kept as a raw value, then every
//! shape is read on its own by [`Shape::from_value`].

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Trait id (e.g. `smithy.api#required`) → trait value, as written in the model.
pub type Traits = BTreeMap<String, Value>;

/// The whole JSON AST document, with each shape still raw.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    /// The IDL version, e.g. `"2.0"`.
    pub smithy: String,
    #[serde(default)]
    pub metadata: BTreeMap<String, Value>,
    /// Shape id → shape, in the order of the file (serde_json's `preserve_order`).
    #[serde(default)]
    pub shapes: serde_json::Map<String, Value>,
}

/// A reference to another shape: `{ "target": "ns#Name" }`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ShapeRef {
    pub target: String,
}

/// A member of an aggregate shape, or the member/key/value of a list or map.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MemberDef {
    pub target: String,
    #[serde(default)]
    pub traits: Traits,
}

/// Members in model order (a `Vec` of pairs keeps the order of the file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Members(pub Vec<(String, MemberDef)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = serde_json::Map::<String, Value>::deserialize(deserializer)?;
        let mut members = Vec::with_capacity(map.len());
        for (name, value) in map {
            let member = MemberDef::deserialize(value)
                .map_err(|e| serde::de::Error::custom(format!("member `{name}`: {e}")))?;
            members.push((name, member));
        }
        Ok(Members(members))
    }
}

/// A shape with no members (blob, boolean, string, numbers, timestamp, document).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SimpleShape {
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

/// structure, union, enum and intEnum.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AggregateShape {
    #[serde(default)]
    pub members: Members,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ListShape {
    pub member: MemberDef,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MapShape {
    pub key: MemberDef,
    pub value: MemberDef,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceShape {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub operations: Vec<ShapeRef>,
    #[serde(default)]
    pub resources: Vec<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OperationShape {
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceShape {
    #[serde(default)]
    pub identifiers: BTreeMap<String, ShapeRef>,
    #[serde(default)]
    pub properties: BTreeMap<String, ShapeRef>,
    pub create: Option<ShapeRef>,
    pub put: Option<ShapeRef>,
    pub read: Option<ShapeRef>,
    pub update: Option<ShapeRef>,
    pub delete: Option<ShapeRef>,
    pub list: Option<ShapeRef>,
    #[serde(default)]
    pub operations: Vec<ShapeRef>,
    #[serde(default)]
    pub collection_operations: Vec<ShapeRef>,
    #[serde(default)]
    pub resources: Vec<ShapeRef>,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
}

/// `apply` adds traits to a shape or member defined elsewhere.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ApplyShape {
    #[serde(default)]
    pub traits: Traits,
}

/// Every Smithy 2.0 shape type, tagged by its `"type"` field.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Shape {
    Blob(SimpleShape),
    Boolean(SimpleShape),
    String(SimpleShape),
    Byte(SimpleShape),
    Short(SimpleShape),
    Integer(SimpleShape),
    Long(SimpleShape),
    Float(SimpleShape),
    Double(SimpleShape),
    BigInteger(SimpleShape),
    BigDecimal(SimpleShape),
    Timestamp(SimpleShape),
    Document(SimpleShape),
    Enum(AggregateShape),
    IntEnum(AggregateShape),
    List(ListShape),
    /// Smithy 1.0's `set`, read as a list with unique items.
    Set(ListShape),
    Map(MapShape),
    Structure(AggregateShape),
    Union(AggregateShape),
    Service(ServiceShape),
    Operation(OperationShape),
    Resource(ResourceShape),
    Apply(ApplyShape),
}

/// Evaluates `$body` with `$s` bound to the inner value of any shape but
/// `apply` (every inner type has `traits` and `mixins` fields), `$apply` for
/// an `apply` shape.
macro_rules! on_every_shape {
    ($shape:expr, $s:ident => $body:expr, apply => $apply:expr) => {
        match $shape {
            Shape::Blob($s) | Shape::Boolean($s) | Shape::String($s) | Shape::Byte($s) | Shape::Short($s)
            | Shape::Integer($s) | Shape::Long($s) | Shape::Float($s) | Shape::Double($s)
            | Shape::BigInteger($s) | Shape::BigDecimal($s) | Shape::Timestamp($s) | Shape::Document($s) => $body,
            Shape::Enum($s) | Shape::IntEnum($s) | Shape::Structure($s) | Shape::Union($s) => $body,
            Shape::List($s) | Shape::Set($s) => $body,
            Shape::Map($s) => $body,
            Shape::Service($s) => $body,
            Shape::Operation($s) => $body,
            Shape::Resource($s) => $body,
            #[allow(unused_variables)]
            Shape::Apply($s) => $apply,
        }
    };
}

/// The shape types Smithy 2.0 defines, for error messages.
pub const SHAPE_TYPES: &[&str] = &[
    "blob", "boolean", "string", "byte", "short", "integer", "long", "float", "double",
    "bigInteger", "bigDecimal", "timestamp", "document", "enum", "intEnum", "list", "set",
    "map", "structure", "union", "service", "operation", "resource", "apply",
];

impl Shape {
    /// Reads one shape, reporting a problem against its shape id.
    pub fn from_value(id: &str, value: &Value) -> Result<Shape, Diagnostic> {
        if let Some(kind) = value.get("type").and_then(Value::as_str) {
            if !SHAPE_TYPES.contains(&kind) {
                return Err(Diagnostic::shape(
                    id,
                    format!("unknown shape type `{kind}` (expected one of: {})", SHAPE_TYPES.join(", ")),
                ));
            }
        } else {
            return Err(Diagnostic::shape(id, "shape has no string `type` field"));
        }
        Shape::deserialize(value).map_err(|e| Diagnostic::shape(id, format!("invalid shape: {e}")))
    }

    /// The shape type as written in the model.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::Blob(_) => "blob",
            Shape::Boolean(_) => "boolean",
            Shape::String(_) => "string",
            Shape::Byte(_) => "byte",
            Shape::Short(_) => "short",
            Shape::Integer(_) => "integer",
            Shape::Long(_) => "long",
            Shape::Float(_) => "float",
            Shape::Double(_) => "double",
            Shape::BigInteger(_) => "bigInteger",
            Shape::BigDecimal(_) => "bigDecimal",
            Shape::Timestamp(_) => "timestamp",
            Shape::Document(_) => "document",
            Shape::Enum(_) => "enum",
            Shape::IntEnum(_) => "intEnum",
            Shape::List(_) => "list",
            Shape::Set(_) => "set",
            Shape::Map(_) => "map",
            Shape::Structure(_) => "structure",
            Shape::Union(_) => "union",
            Shape::Service(_) => "service",
            Shape::Operation(_) => "operation",
            Shape::Resource(_) => "resource",
            Shape::Apply(_) => "apply",
        }
    }

    /// The shape's own traits.
    pub fn traits(&self) -> &Traits {
        on_every_shape!(self, s => &s.traits, apply => &s.traits)
    }

    /// Mutable access to the shape's own traits (for `apply` and mixins).
    pub fn traits_mut(&mut self) -> &mut Traits {
        on_every_shape!(self, s => &mut s.traits, apply => &mut s.traits)
    }

    /// The mixins this shape uses.
    pub fn mixins(&self) -> &[ShapeRef] {
        on_every_shape!(self, s => &s.mixins, apply => &[])
    }

    /// Forgets the shape's mixins once they have been flattened into it.
    pub fn clear_mixins(&mut self) {
        on_every_shape!(self, s => s.mixins.clear(), apply => {})
    }

    /// Named members of aggregate shapes (structure, union, enum, intEnum).
    pub fn members(&self) -> Option<&Members> {
        match self {
            Shape::Enum(s) | Shape::IntEnum(s) | Shape::Structure(s) | Shape::Union(s) => Some(&s.members),
            _ => None,
        }
    }

    /// Every member-like definition with its name: aggregate members, a list's
    /// `member`, a map's `key` and `value`.
    pub fn member_defs_mut(&mut self) -> Vec<(String, &mut MemberDef)> {
        match self {
            Shape::Enum(s) | Shape::IntEnum(s) | Shape::Structure(s) | Shape::Union(s) => {
                s.members.0.iter_mut().map(|(n, m)| (n.clone(), m)).collect()
            }
            Shape::List(s) | Shape::Set(s) => vec![("member".to_string(), &mut s.member)],
            Shape::Map(s) => vec![("key".to_string(), &mut s.key), ("value".to_string(), &mut s.value)],
            _ => Vec::new(),
        }
    }
}

/// A read document: the shapes that could be read, and a problem for each one
/// that could not (so later passes can still find problems in the rest).
pub struct ParsedModel {
    pub raw: RawModel,
    pub shapes: Vec<(String, Shape)>,
    pub diagnostics: Diagnostics,
}

/// Reads a JSON AST document. Malformed JSON is fatal and reports line and
/// column; every shape that cannot be read is reported, not only the first.
pub fn parse_model(source_name: &str, text: &str) -> Result<ParsedModel, Diagnostics> {
    let raw: RawModel = serde_json::from_str(text).map_err(|e| {
        Diagnostics::from(Diagnostic::model(format!(
            "{source_name}: not a Smithy JSON AST model: {e} (line {}, column {})",
            e.line(),
            e.column()
        )))
    })?;
    let mut diagnostics = Diagnostics::default();
    if !raw.smithy.starts_with('2') && !raw.smithy.starts_with('1') {
        diagnostics.push(Diagnostic::model(format!(
            "{source_name}: unsupported Smithy IDL version `{}` (expected 1.0 or 2.0)",
            raw.smithy
        )));
    }
    let mut shapes = Vec::with_capacity(raw.shapes.len());
    for (id, value) in &raw.shapes {
        if !is_valid_shape_id(id) {
            diagnostics.push(Diagnostic::shape(id, "not a valid absolute shape id (expected `namespace#Name`)"));
            continue;
        }
        match Shape::from_value(id, value) {
            Ok(shape) => shapes.push((id.clone(), shape)),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok(ParsedModel { raw, shapes, diagnostics })
}

/// `namespace#Name` (optionally `$member`), as the Smithy spec defines it.
pub fn is_valid_shape_id(id: &str) -> bool {
    let Some((namespace, rest)) = id.split_once('#') else { return false };
    let name = rest.split_once('$').map_or(rest, |(name, _)| name);
    let identifier = |s: &str| {
        let mut chars = s.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    !namespace.is_empty() && namespace.split('.').all(identifier) && identifier(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_shape_type() {
        let text = r##"{"smithy":"2.0","shapes":{
            "a#B":{"type":"blob"},"a#Bo":{"type":"boolean"},"a#S":{"type":"string"},
            "a#By":{"type":"byte"},"a#Sh":{"type":"short"},"a#I":{"type":"integer"},
            "a#L":{"type":"long"},"a#F":{"type":"float"},"a#D":{"type":"double"},
            "a#BI":{"type":"bigInteger"},"a#BD":{"type":"bigDecimal"},"a#T":{"type":"timestamp"},
            "a#Doc":{"type":"document"},
            "a#E":{"type":"enum","members":{"X":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"x"}}}},
            "a#IE":{"type":"intEnum","members":{"X":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":1}}}},
            "a#Li":{"type":"list","member":{"target":"a#S"}},
            "a#M":{"type":"map","key":{"target":"a#S"},"value":{"target":"a#S"}},
            "a#St":{"type":"structure","members":{"b":{"target":"a#S"}}},
            "a#U":{"type":"union","members":{"b":{"target":"a#S"}}},
            "a#Svc":{"type":"service","version":"1","operations":[{"target":"a#Op"}]},
            "a#Op":{"type":"operation","input":{"target":"a#St"}},
            "a#R":{"type":"resource","identifiers":{"id":{"target":"a#S"}}},
            "a#S2":{"type":"apply","traits":{"smithy.api#sensitive":{}}}
        }}"##;
        let parsed = parse_model("test", text).expect("valid model");
        assert!(parsed.diagnostics.is_empty());
        let shapes = parsed.shapes;
        let types: Vec<&str> = shapes.iter().map(|(_, s)| s.type_name()).collect();
        assert_eq!(
            types,
            [
                "blob", "boolean", "string", "byte", "short", "integer", "long", "float", "double",
                "bigInteger", "bigDecimal", "timestamp", "document", "enum", "intEnum", "list", "map",
                "structure", "union", "service", "operation", "resource", "apply"
            ]
        );
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let Err(err) = parse_model("m.json", "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {,}\n}") else {
            panic!("malformed JSON must fail")
        };
        let text = err.to_string();
        assert!(text.contains("line 3"), "{text}");
        assert!(text.contains("column"), "{text}");
    }

    #[test]
    fn every_bad_shape_is_reported_with_its_id() {
        let text = r#"{"smithy":"2.0","shapes":{
            "a#One":{"type":"strang"},
            "a#Two":{"type":"structure","members":{"x":{"tar":"a#S"}}},
            "a#Three":{"members":{}}
        }}"#;
        let err = parse_model("m.json", text).expect("valid JSON").diagnostics;
        assert_eq!(err.len(), 3, "{err}");
        let text = err.to_string();
        assert!(text.contains("a#One: unknown shape type `strang`"), "{text}");
        assert!(text.contains("a#Two: invalid shape: member `x`"), "{text}");
        assert!(text.contains("a#Three: shape has no string `type` field"), "{text}");
    }

    #[test]
    fn shape_ids_are_checked() {
        assert!(is_valid_shape_id("com.amazonaws.ivsrealtime#Stage"));
        assert!(is_valid_shape_id("a#B$c"));
        assert!(!is_valid_shape_id("Stage"));
        assert!(!is_valid_shape_id("a#1B"));
        assert!(!is_valid_shape_id("#B"));
    }
}
