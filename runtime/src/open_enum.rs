//! Values of open enums that the generated crate does not know.
//!
//! A service may add enum values at any time. Generated enums keep such a
//! value in their `Unknown` variant so it round-trips unchanged, but only the
//! deserializer can create one: a caller cannot build `Unknown("ACTIVE")` and
//! have it compare unequal to the known `Active` variant.

use std::fmt;

/// A string enum value this version of the generated crate does not know.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// For generated code: wraps a value read from the wire or passed to `From<&str>`.
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        UnknownVariantValue(value.into())
    }

    /// The value exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An intEnum value this version of the generated crate does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownIntVariantValue(i32);

impl UnknownIntVariantValue {
    /// For generated code: wraps a value read from the wire or passed to `From<i32>`.
    #[doc(hidden)]
    pub fn new(value: i32) -> Self {
        UnknownIntVariantValue(value)
    }

    /// The value exactly as received.
    pub fn value(&self) -> i32 {
        self.0
    }
}

impl fmt::Display for UnknownIntVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_keep_what_was_received() {
        let v = UnknownVariantValue::new("NEW_VALUE");
        assert_eq!(v.as_str(), "NEW_VALUE");
        assert_eq!(v.to_string(), "NEW_VALUE");
        assert_eq!(UnknownIntVariantValue::new(-7).value(), -7);
    }
}
