//! Step of the conversion pass: read a member's `@default` into a typed
//! [`DefaultValue`] checked against the member's target. A value that does not
//! fit its target is a diagnostic naming the member, never a silent change of
//! the member to required. `@default(null)` (a removed default) is no default.

use base64::Engine as _;
use serde_json::Value;

use crate::ast::Shape as AstShape;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::DefaultValue;

/// The typed default of member `member` of `shape`, whose target is `target`.
pub fn lower_default(
    shape: &str,
    member: &str,
    value: &Value,
    target: &AstShape,
    diagnostics: &mut Diagnostics,
) -> Option<DefaultValue> {
    if value.is_null() {
        return None;
    }
    match typed(value, target) {
        Ok(typed) => Some(typed),
        Err(reason) => {
            diagnostics.push(Diagnostic::member(
                shape,
                member,
                format!("trait `smithy.api#default`: {value} does not fit the target ({} shape): {reason}", target.type_name()),
            ));
            None
        }
    }
}

fn typed(value: &Value, target: &AstShape) -> Result<DefaultValue, String> {
    let integer = |min: i64, max: i64| match value.as_i64() {
        Some(n) if (min..=max).contains(&n) => Ok(DefaultValue::Integer(n)),
        Some(_) => Err(format!("out of range {min}..={max}")),
        None => Err("expected a whole number".to_string()),
    };
    match target {
        AstShape::Boolean(_) => value.as_bool().map(DefaultValue::Bool).ok_or_else(|| "expected true or false".to_string()),
        AstShape::String(s) => {
            let text = value.as_str().ok_or_else(|| "expected a string".to_string())?;
            match s.traits.get(crate::traits::LEGACY_ENUM).and_then(Value::as_array) {
                Some(entries) => {
                    let known = entries.iter().any(|e| e.get("value").and_then(Value::as_str) == Some(text));
                    if known { Ok(DefaultValue::Enum(text.to_string())) } else { Err(format!("`{text}` is not one of the enum's values")) }
                }
                None => Ok(DefaultValue::String(text.to_string())),
            }
        }
        AstShape::Byte(_) => integer(i8::MIN.into(), i8::MAX.into()),
        AstShape::Short(_) => integer(i16::MIN.into(), i16::MAX.into()),
        AstShape::Integer(_) => integer(i32::MIN.into(), i32::MAX.into()),
        AstShape::Long(_) => integer(i64::MIN, i64::MAX),
        AstShape::Float(_) | AstShape::Double(_) => value.as_f64().map(DefaultValue::Float).ok_or_else(|| "expected a number".to_string()),
        AstShape::BigInteger(_) | AstShape::BigDecimal(_) => match value {
            Value::Number(n) => Ok(DefaultValue::BigNumber(n.to_string())),
            _ => Err("expected a number".to_string()),
        },
        AstShape::Timestamp(_) => value
            .as_f64()
            .map(DefaultValue::Timestamp)
            .ok_or_else(|| "expected a number of seconds since the epoch".to_string()),
        AstShape::Blob(_) => {
            let text = value.as_str().ok_or_else(|| "expected a base64 string".to_string())?;
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map(DefaultValue::Blob)
                .map_err(|e| format!("not valid base64: {e}"))
        }
        AstShape::Document(_) => Ok(DefaultValue::Document(value.clone())),
        AstShape::Enum(s) => {
            let text = value.as_str().ok_or_else(|| "expected a string".to_string())?;
            let known = s.members.0.iter().any(|(name, def)| {
                def.traits.get(crate::traits::ENUM_VALUE).and_then(Value::as_str).unwrap_or(name) == text
            });
            if known { Ok(DefaultValue::Enum(text.to_string())) } else { Err(format!("`{text}` is not one of the enum's values")) }
        }
        AstShape::IntEnum(s) => {
            let n = value.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(|| "expected a 32-bit whole number".to_string())?;
            let known = s.members.0.iter().any(|(_, def)| def.traits.get(crate::traits::ENUM_VALUE).and_then(Value::as_i64) == Some(n.into()));
            if known { Ok(DefaultValue::IntEnum(n)) } else { Err(format!("{n} is not one of the intEnum's values")) }
        }
        AstShape::List(_) | AstShape::Set(_) => match value {
            Value::Array(items) if items.is_empty() => Ok(DefaultValue::EmptyList),
            _ => Err("a list's default can only be []".to_string()),
        },
        AstShape::Map(_) => match value {
            Value::Object(entries) if entries.is_empty() => Ok(DefaultValue::EmptyMap),
            _ => Err("a map's default can only be {}".to_string()),
        },
        AstShape::Structure(_) | AstShape::Union(_) => Err("structures and unions cannot have a default".to_string()),
        AstShape::Service(_) | AstShape::Operation(_) | AstShape::Resource(_) | AstShape::Apply(_) => {
            Err("the target is not a data shape".to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::shapes_of;

    fn lower_one(value: &str, target: &str) -> (Option<DefaultValue>, Vec<String>) {
        let shapes = shapes_of(target);
        let target = shapes.get("a#T").expect("target a#T");
        let mut diagnostics = Diagnostics::default();
        let value: Value = serde_json::from_str(value).expect("test value");
        let typed = lower_default("a#S", "m", &value, target, &mut diagnostics);
        (typed, diagnostics.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn values_that_fit_become_typed() {
        assert_eq!(lower_one("3", r#"{"a#T": {"type": "byte"}}"#).0, Some(DefaultValue::Integer(3)));
        assert_eq!(lower_one("1.5", r#"{"a#T": {"type": "double"}}"#).0, Some(DefaultValue::Float(1.5)));
        assert_eq!(lower_one(r#""aGk=""#, r#"{"a#T": {"type": "blob"}}"#).0, Some(DefaultValue::Blob(b"hi".to_vec())));
        assert_eq!(lower_one("[]", r#"{"a#T": {"type": "list", "member": {"target": "smithy.api#String"}}}"#).0, Some(DefaultValue::EmptyList));
        assert_eq!(lower_one("12345678901234567890", r#"{"a#T": {"type": "bigInteger"}}"#).0, Some(DefaultValue::BigNumber("12345678901234567890".into())));
        let enum_target = r#"{"a#T": {"type": "enum", "members": {"ON": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "on"}}}}}"#;
        assert_eq!(lower_one(r#""on""#, enum_target).0, Some(DefaultValue::Enum("on".into())));
        assert_eq!(lower_one("null", r#"{"a#T": {"type": "integer"}}"#), (None, vec![]));
    }

    #[test]
    fn values_that_do_not_fit_are_diagnostics_naming_the_member() {
        let (typed, problems) = lower_one("300", r#"{"a#T": {"type": "byte"}}"#);
        assert_eq!(typed, None);
        assert_eq!(problems, ["a#S$m: trait `smithy.api#default`: 300 does not fit the target (byte shape): out of range -128..=127"]);
        let enum_target = r#"{"a#T": {"type": "enum", "members": {"ON": {"target": "smithy.api#Unit"}}}}"#;
        let (_, problems) = lower_one(r#""OFF""#, enum_target);
        assert_eq!(problems, ["a#S$m: trait `smithy.api#default`: \"OFF\" does not fit the target (enum shape): `OFF` is not one of the enum's values"]);
        assert_eq!(lower_one("[1]", r#"{"a#T": {"type": "list", "member": {"target": "smithy.api#String"}}}"#).1.len(), 1);
        assert_eq!(lower_one(r#""%%""#, r#"{"a#T": {"type": "blob"}}"#).1.len(), 1);
        assert_eq!(lower_one("true", r#"{"a#T": {"type": "string"}}"#).1.len(), 1);
    }
}
