//! `Serialize`/`Deserialize` for the primitive types, behind the runtime's
//! `serde` feature (which a generated crate's own `serde` feature turns on).
//!
//! The forms are chosen to be readable and to round-trip exactly:
//!
//! - [`DateTime`]: an RFC 3339 string in UTC (Smithy `date-time`, e.g.
//!   `"2024-05-01T12:00:00.5Z"`), whatever `timestampFormat` the member uses
//!   on the wire. Instants outside years 0000..=9999 become an
//!   `epoch-seconds` string (`"-62167219201"`); reading accepts both.
//! - [`Blob`]: a standard, padded base64 string.
//! - [`Document`] and [`Number`]: the JSON data model (objects, arrays,
//!   numbers, strings, booleans, null). Reading a document needs a
//!   self-describing format such as JSON.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{base64_decode, base64_encode, Blob, DateTime, DateTimeFormat, Document, Number};

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self
            .fmt(DateTimeFormat::DateTime)
            .or_else(|_| self.fmt(DateTimeFormat::EpochSeconds))
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateTimeVisitor;

        impl Visitor<'_> for DateTimeVisitor {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string or an epoch-seconds string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime, E> {
                DateTime::parse(DateTimeFormat::DateTime, text)
                    .or_else(|e| DateTime::parse(DateTimeFormat::EpochSeconds, text).map_err(|_| e))
                    .map_err(E::custom)
            }
        }

        deserializer.deserialize_str(DateTimeVisitor)
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64_encode(self.as_ref()))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BlobVisitor;

        impl Visitor<'_> for BlobVisitor {
            type Value = Blob;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Blob, E> {
                base64_decode(text).map(Blob::new).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(BlobVisitor)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Number::PosInt(v) => serializer.serialize_u64(v),
            Number::NegInt(v) => serializer.serialize_i64(v),
            Number::Float(v) => serializer.serialize_f64(v),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Document::deserialize(deserializer)? {
            Document::Number(n) => Ok(n),
            _ => Err(de::Error::custom("expected a number")),
        }
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Null => serializer.serialize_unit(),
            Document::Bool(b) => serializer.serialize_bool(*b),
            Document::String(s) => serializer.serialize_str(s),
            Document::Number(n) => n.serialize(serializer),
            Document::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Document::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-like value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Document, E> {
        Ok(Document::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Document, E> {
        Ok(Document::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Document, E> {
        Ok(Document::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Document, E> {
        Ok(Document::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Document, E> {
        Ok(Document::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Document, E> {
        Ok(Document::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Document, D::Error> {
        Document::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Document::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<String, Document>()? {
            entries.insert(key, value);
        }
        Ok(Document::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T>(value: &T) -> (String, T)
    where
        T: Serialize + for<'de> Deserialize<'de>,
    {
        let text = serde_json::to_string(value).expect("serializes");
        let back = serde_json::from_str(&text).expect("deserializes");
        (text, back)
    }

    #[test]
    fn date_times_are_rfc3339_strings() {
        let t = DateTime::from_secs_and_nanos(1_515_533_481, 123_000_000);
        let (text, back) = round_trip(&t);
        assert_eq!(text, r#""2018-01-09T21:31:21.123Z""#);
        assert_eq!(back, t);
        let far = DateTime::from_secs(-62_167_219_201);
        let (text, back) = round_trip(&far);
        assert_eq!(text, r#""-62167219201""#);
        assert_eq!(back, far);
        let err = serde_json::from_str::<DateTime>(r#""yesterday""#).map(|_| ()).unwrap_err();
        assert!(err.to_string().contains("yesterday"), "{err}");
        assert!(serde_json::from_str::<DateTime>("1515533481").is_err());
    }

    #[test]
    fn blobs_are_base64() {
        let blob = Blob::new(b"foobar".to_vec());
        let (text, back) = round_trip(&blob);
        assert_eq!(text, r#""Zm9vYmFy""#);
        assert_eq!(back, blob);
        assert!(serde_json::from_str::<Blob>(r#""Zm9v!""#).is_err());
    }

    #[test]
    fn documents_are_json() {
        let json = r#"{"a":[1,-2,2.5,null,true,"x"],"b":{}}"#;
        let doc: Document = serde_json::from_str(json).expect("valid");
        assert_eq!(
            doc,
            Document::from(serde_json::from_str::<serde_json::Value>(json).expect("valid"))
        );
        let (text, back) = round_trip(&doc);
        assert_eq!(text, json);
        assert_eq!(back, doc);
        let (text, back) = round_trip(&Number::NegInt(-7));
        assert_eq!((text.as_str(), back), ("-7", Number::NegInt(-7)));
        assert!(serde_json::from_str::<Number>(r#""7""#).is_err());
    }
}
