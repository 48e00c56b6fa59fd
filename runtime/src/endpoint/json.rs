//! Reading the rule set and partitions documents out of a parsed
//! `serde_json::Value`, by hand rather than with serde's derive, which would
//! put a proc-macro stack into every generated client's build.
//!
//! Errors say where in the document the problem is, as a path such as
//! `rules[1].conditions[0].fn`, and what is wrong, in serde's words
//! (`missing field `fn``, `invalid type: integer `3`, expected a string`).
//! As with serde's derive, members not read are ignored, and an optional
//! member may be `null`.

use serde_json::{Map, Value as J};

/// `loc` followed by the member `key`.
fn member_loc(loc: &str, key: &str) -> String {
    if loc.is_empty() {
        key.to_owned()
    } else {
        format!("{loc}.{key}")
    }
}

/// An error at `loc` (nothing before the message at the document's root).
fn error_at(loc: &str, message: impl std::fmt::Display) -> String {
    if loc.is_empty() {
        message.to_string()
    } else {
        format!("{loc}: {message}")
    }
}

/// serde_json's description of a value found where another was expected.
fn describe(value: &J) -> String {
    match value {
        J::Null => "null".to_owned(),
        J::Bool(b) => format!("boolean `{b}`"),
        J::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        J::Number(n) => format!("integer `{n}`"),
        J::String(s) => format!("string {s:?}"),
        J::Array(_) => "sequence".to_owned(),
        J::Object(_) => "map".to_owned(),
    }
}

/// A value and where it is in the document.
pub(crate) struct Field {
    pub(crate) value: J,
    pub(crate) loc: String,
}

impl Field {
    /// The document's root.
    pub(crate) fn root(value: J) -> Field {
        Field {
            value,
            loc: String::new(),
        }
    }

    fn invalid(&self, expected: &str) -> String {
        error_at(
            &self.loc,
            format!(
                "invalid type: {}, expected {expected}",
                describe(&self.value)
            ),
        )
    }

    pub(crate) fn string(self) -> Result<String, String> {
        match self.value {
            J::String(s) => Ok(s),
            _ => Err(self.invalid("a string")),
        }
    }

    pub(crate) fn boolean(self) -> Result<bool, String> {
        match self.value {
            J::Bool(b) => Ok(b),
            _ => Err(self.invalid("a boolean")),
        }
    }

    /// The elements of an array, each with its location.
    pub(crate) fn array(self) -> Result<Vec<Field>, String> {
        match self.value {
            J::Array(items) => Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, value)| Field {
                    value,
                    loc: format!("{}[{i}]", self.loc),
                })
                .collect()),
            _ => Err(self.invalid("a sequence")),
        }
    }

    /// The elements of an array, without locations.
    pub(crate) fn values(self) -> Result<Vec<J>, String> {
        match self.value {
            J::Array(items) => Ok(items),
            _ => Err(self.invalid("a sequence")),
        }
    }

    /// An object whose members are read one by one.
    pub(crate) fn object(self) -> Result<Object, String> {
        match self.value {
            J::Object(members) => Ok(Object {
                members,
                loc: self.loc,
            }),
            _ => Err(self.invalid("an object")),
        }
    }

    /// An object's members as they are.
    pub(crate) fn members(self) -> Result<Map<String, J>, String> {
        match self.value {
            J::Object(members) => Ok(members),
            _ => Err(self.invalid("a map")),
        }
    }

    /// An object used as a map: each member read by `read`, sorted by name
    /// (names in a JSON object are unique). Pairs rather than a map: the
    /// readers only walk them, and a `BTreeMap` per item type would each be
    /// compiled on its own.
    pub(crate) fn map<T>(
        self,
        mut read: impl FnMut(Field) -> Result<T, String>,
    ) -> Result<Vec<(String, T)>, String> {
        let loc = self.loc.clone();
        let mut members: Vec<(String, J)> = self.members()?.into_iter().collect();
        // Already sorted, unless serde_json keeps the document's order
        // (its `preserve_order` feature).
        members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::with_capacity(members.len());
        for (name, value) in members {
            let loc = member_loc(&loc, &name);
            let item = read(Field { value, loc })?;
            out.push((name, item));
        }
        Ok(out)
    }
}

/// An object being read.
pub(crate) struct Object {
    members: Map<String, J>,
    loc: String,
}

impl Object {
    fn take(&mut self, key: &str) -> Option<Field> {
        let value = self.members.remove(key)?;
        Some(Field {
            value,
            loc: member_loc(&self.loc, key),
        })
    }

    /// A member that must be present (it may be `null` if the caller
    /// accepts that).
    pub(crate) fn required(&mut self, key: &str) -> Result<Field, String> {
        self.take(key)
            .ok_or_else(|| error_at(&self.loc, format!("missing field `{key}`")))
    }

    /// An optional member: absent and `null` are both `None`.
    pub(crate) fn optional(&mut self, key: &str) -> Option<Field> {
        self.take(key).filter(|f| !f.value.is_null())
    }

    /// A member with a default: `None` only if absent (a `null` is read,
    /// and is an error for the usual types).
    pub(crate) fn defaulted(&mut self, key: &str) -> Option<Field> {
        self.take(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_the_place_and_the_problem() {
        let mut root = Field::root(json!({"a": {"b": [1, "x", 2.5, null]}}))
            .object()
            .expect("object");
        assert_eq!(
            root.required("nope").err().as_deref(),
            Some("missing field `nope`")
        );
        let mut a = root.required("a").and_then(Field::object).expect("a");
        assert_eq!(
            a.required("c").err().as_deref(),
            Some("a: missing field `c`")
        );
        let items = a.required("b").and_then(Field::array).expect("b");
        let errors: Vec<String> = items.into_iter().filter_map(|f| f.string().err()).collect();
        assert_eq!(
            errors,
            [
                "a.b[0]: invalid type: integer `1`, expected a string",
                "a.b[2]: invalid type: floating point `2.5`, expected a string",
                "a.b[3]: invalid type: null, expected a string",
            ]
        );
    }

    #[test]
    fn null_is_absent_only_for_optional_members() {
        let mut o = Field::root(json!({"x": null, "y": null}))
            .object()
            .expect("object");
        assert!(o.optional("x").is_none());
        let y = o.defaulted("y").expect("present");
        assert_eq!(
            y.boolean().err().as_deref(),
            Some("y: invalid type: null, expected a boolean")
        );
    }
}
