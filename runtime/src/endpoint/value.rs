//! The values that flow through rule evaluation: parameters, function
//! results, assigned variables and endpoint properties.

use std::collections::BTreeMap;

/// A value seen by the rules engine.
///
/// "Not set" is not a variant: it is `Option::None` wherever a value may be
/// absent (an unset parameter, a `parseURL` that rejected its input, an
/// out-of-range `getAttr` index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer, such as a `substring` index literal.
    Integer(i64),
    /// An array, such as a `stringArray` parameter or an ARN's `resourceId`.
    Array(Vec<Value>),
    /// An object, such as the result of `parseURL` or `aws.partition`, or an
    /// `authSchemes` entry in endpoint properties.
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean inside, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer inside, if this is an integer.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The member called `key`, if this is an object that has one.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|members| members.get(key))
    }

    /// A short name of this value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Integer(_) => "integer",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Converts a JSON value. Returns `None` for `null` and for numbers that
    /// are not integers, which the rules engine has no use for; `null`
    /// members of arrays and objects make the whole conversion `None`.
    pub fn from_json(json: &serde_json::Value) -> Option<Value> {
        Some(match json {
            serde_json::Value::Null => return None,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Integer(n.as_i64()?),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from_json).collect::<Option<_>>()?)
            }
            serde_json::Value::Object(members) => {
                let mut object = BTreeMap::new();
                for (k, v) in members {
                    object.insert(k.clone(), Value::from_json(v)?);
                }
                Value::Object(object)
            }
        })
    }

    /// Converts to JSON, for comparing with test expectations or logging.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Array(items) => items.iter().map(Value::to_json).collect(),
            Value::Object(members) => {
                let mut object = serde_json::Map::new();
                for (k, v) in members {
                    object.insert(k.clone(), v.to_json());
                }
                serde_json::Value::Object(object)
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_structure() {
        let json = serde_json::json!({"a": [true, "x", 3], "b": {"c": "d"}});
        let value = Value::from_json(&json).expect("convertible");
        assert_eq!(
            value.get("b").and_then(|b| b.get("c")),
            Some(&Value::from("d"))
        );
        assert_eq!(value.to_json(), json);
    }

    #[test]
    fn json_null_and_floats_are_not_values() {
        assert_eq!(Value::from_json(&serde_json::json!(null)), None);
        assert_eq!(Value::from_json(&serde_json::json!(1.5)), None);
        assert_eq!(Value::from_json(&serde_json::json!(["a", null])), None);
    }

    #[test]
    fn accessors_reject_other_types() {
        let v = Value::Bool(true);
        assert_eq!(v.as_bool(), Some(true));
        assert_eq!(v.as_str(), None);
        assert_eq!(v.as_array(), None);
        assert_eq!(v.get("x"), None);
        assert_eq!(v.type_name(), "boolean");
    }
}
