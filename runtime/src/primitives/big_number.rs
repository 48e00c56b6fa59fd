//! Arbitrary-precision numbers (`bigInteger`, `bigDecimal`), kept as their
//! decimal text so no precision is lost; convert with a big-number crate of
//! your choice.

use std::fmt;

macro_rules! decimal_text_type {
    ($name:ident, $what:literal) => {
        #[doc = concat!("An arbitrary-precision ", $what, ", kept as its decimal text.")]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Wraps the decimal text of a ", $what, ".")]
            pub fn new(text: impl Into<String>) -> Self {
                $name(text.into())
            }

            /// The decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// With the `serde` feature: serialized as its decimal text (a string).
        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

decimal_text_type!(BigInteger, "integer");
decimal_text_type!(BigDecimal, "decimal");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_kept_exactly() {
        let n = BigInteger::new("123456789012345678901234567890");
        assert_eq!(n.as_str(), "123456789012345678901234567890");
        assert_eq!(BigDecimal::new("1.50").to_string(), "1.50");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_keeps_the_text() {
        let n = BigDecimal::new("1.50");
        let text = serde_json::to_string(&n).expect("serializes");
        assert_eq!(text, r#""1.50""#);
        assert_eq!(serde_json::from_str::<BigDecimal>(&text).expect("deserializes"), n);
    }
}
