//! Smithy `document` values: untyped, JSON-like data.

use std::collections::BTreeMap;

/// An untyped value of the JSON data model (a Smithy `document`).
///
/// Objects keep their keys sorted, so a document prints and serializes the
/// same way every time.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Document {
    /// A map from string keys to documents.
    Object(BTreeMap<String, Document>),
    /// An ordered list of documents.
    Array(Vec<Document>),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// No value.
    #[default]
    Null,
}

/// A document number, keeping integers exact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer (always below zero; zero and up are `PosInt`).
    NegInt(i64),
    /// A floating-point number.
    Float(f64),
}

impl Number {
    /// The value as an `f64` (large integers lose precision).
    pub fn to_f64_lossy(self) -> f64 {
        match self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }

    /// The value as an `i64`, if it is an integer that fits.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::PosInt(v) => i64::try_from(v).ok(),
            Number::NegInt(v) => Some(v),
            Number::Float(_) => None,
        }
    }

    /// The value as a `u64`, if it is a non-negative integer.
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::PosInt(v) => Some(v),
            Number::NegInt(_) | Number::Float(_) => None,
        }
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Number::PosInt(value)
    }
}

impl From<u32> for Number {
    fn from(value: u32) -> Self {
        Number::PosInt(u64::from(value))
    }
}

impl From<i64> for Number {
    /// Zero and up become [`Number::PosInt`], so equal values compare equal.
    fn from(value: i64) -> Self {
        match u64::try_from(value) {
            Ok(positive) => Number::PosInt(positive),
            Err(_) => Number::NegInt(value),
        }
    }
}

impl From<i32> for Number {
    fn from(value: i32) -> Self {
        Number::from(i64::from(value))
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Self {
        Number::Float(value)
    }
}

impl From<f32> for Number {
    fn from(value: f32) -> Self {
        Number::Float(f64::from(value))
    }
}

impl From<Number> for Document {
    fn from(value: Number) -> Self {
        Document::Number(value)
    }
}

macro_rules! document_from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Document {
            fn from(value: $t) -> Self {
                Document::Number(Number::from(value))
            }
        }
    )*};
}
document_from_number!(u64, u32, i64, i32, f64, f32);

impl From<bool> for Document {
    fn from(value: bool) -> Self {
        Document::Bool(value)
    }
}

impl From<String> for Document {
    fn from(value: String) -> Self {
        Document::String(value)
    }
}

impl From<&str> for Document {
    fn from(value: &str) -> Self {
        Document::String(value.to_owned())
    }
}

impl From<Vec<Document>> for Document {
    fn from(value: Vec<Document>) -> Self {
        Document::Array(value)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    fn from(value: BTreeMap<String, Document>) -> Self {
        Document::Object(value)
    }
}

impl<T: Into<Document>> From<Option<T>> for Document {
    /// `None` becomes [`Document::Null`].
    fn from(value: Option<T>) -> Self {
        value.map_or(Document::Null, Into::into)
    }
}

impl From<serde_json::Value> for Document {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Document::Null,
            serde_json::Value::Bool(b) => Document::Bool(b),
            serde_json::Value::Number(n) => Document::Number(Number::from(n)),
            serde_json::Value::String(s) => Document::String(s),
            serde_json::Value::Array(items) => {
                Document::Array(items.into_iter().map(Document::from).collect())
            }
            serde_json::Value::Object(map) => {
                let mut object = BTreeMap::new();
                for (k, v) in map {
                    object.insert(k, Document::from(v));
                }
                Document::Object(object)
            }
        }
    }
}

impl From<serde_json::Number> for Number {
    fn from(n: serde_json::Number) -> Self {
        if let Some(v) = n.as_u64() {
            Number::PosInt(v)
        } else if let Some(v) = n.as_i64() {
            Number::NegInt(v)
        } else {
            // Without serde_json's `arbitrary_precision`, every number is
            // one of the three.
            Number::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }
}

impl From<Document> for serde_json::Value {
    /// A `NaN` or infinite [`Number::Float`], which JSON cannot hold, becomes
    /// `null`.
    fn from(document: Document) -> Self {
        match document {
            Document::Null => serde_json::Value::Null,
            Document::Bool(b) => serde_json::Value::Bool(b),
            Document::String(s) => serde_json::Value::String(s),
            Document::Number(Number::PosInt(v)) => serde_json::Value::from(v),
            Document::Number(Number::NegInt(v)) => serde_json::Value::from(v),
            Document::Number(Number::Float(v)) => serde_json::Number::from_f64(v)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Document::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(serde_json::Value::from).collect())
            }
            Document::Object(map) => {
                let mut object = serde_json::Map::new();
                for (k, v) in map {
                    object.insert(k, serde_json::Value::from(v));
                }
                serde_json::Value::Object(object)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_integers_exact() {
        assert_eq!(Number::from(5i64), Number::PosInt(5));
        assert_eq!(Number::from(0i32), Number::PosInt(0));
        assert_eq!(Number::from(-5i64), Number::NegInt(-5));
        assert_eq!(Number::from(u64::MAX).as_i64(), None);
        assert_eq!(Number::from(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Number::NegInt(-3).as_u64(), None);
        assert_eq!(Number::Float(1.5).as_i64(), None);
        assert_eq!(Number::NegInt(-3).to_f64_lossy(), -3.0);
    }

    #[test]
    fn json_round_trip() {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"b":[1,-2,2.5,18446744073709551615,-9223372036854775808],"a":{"s":"x","t":true,"n":null}}"#,
        )
        .expect("valid JSON");
        let doc = Document::from(json.clone());
        let mut inner = BTreeMap::new();
        inner.insert("s".to_owned(), Document::from("x"));
        inner.insert("t".to_owned(), Document::from(true));
        inner.insert("n".to_owned(), Document::Null);
        let mut expected = BTreeMap::new();
        expected.insert("a".to_owned(), Document::Object(inner));
        expected.insert(
            "b".to_owned(),
            Document::from(vec![
                Document::from(1u64),
                Document::from(-2i64),
                Document::from(2.5),
                Document::from(u64::MAX),
                Document::from(i64::MIN),
            ]),
        );
        assert_eq!(doc, Document::Object(expected));
        assert_eq!(serde_json::Value::from(doc), json);
    }

    #[test]
    fn non_finite_floats_become_null() {
        assert_eq!(
            serde_json::Value::from(Document::from(f64::NAN)),
            serde_json::Value::Null
        );
        assert_eq!(
            serde_json::Value::from(Document::from(f64::INFINITY)),
            serde_json::Value::Null
        );
    }

    #[test]
    fn options_and_defaults() {
        assert_eq!(Document::from(None::<String>), Document::Null);
        assert_eq!(Document::from(Some("x")), Document::String("x".to_owned()));
        assert_eq!(Document::default(), Document::Null);
    }
}
