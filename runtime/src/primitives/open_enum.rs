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

#[cfg(feature = "serde")]
impl serde::Serialize for UnknownVariantValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for UnknownVariantValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(UnknownVariantValue)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for UnknownIntVariantValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for UnknownIntVariantValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i32::deserialize(deserializer).map(UnknownIntVariantValue)
    }
}

/// `serde` support for generated unions (with the `serde` feature).
///
/// A union is written as serde's externally tagged enum: one entry named
/// after the member as the model spells it, e.g. `{"plain": "text"}` in JSON.
/// A member whose target is `smithy.api#Unit` carries an empty struct
/// (`{"flag": {}}`). Reading a member this version does not know gives the
/// union's `Unknown` variant (its value is skipped, as when reading a
/// response); `Unknown` itself is written as [`UNKNOWN_MEMBER`](union_serde::UNKNOWN_MEMBER) with an empty
/// struct and reads back as `Unknown`.
#[cfg(feature = "serde")]
pub mod union_serde {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, VariantAccess, Visitor};
    use serde::ser::{Serialize, SerializeStruct, Serializer};

    /// The member name `Unknown` is written under.
    pub const UNKNOWN_MEMBER: &str = "$unknown";

    /// The value of a member that has none (`smithy.api#Unit`), and of `Unknown`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct UnitValue;

    impl Serialize for UnitValue {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_struct("Unit", 0)?.end()
        }
    }

    impl<'de> serde::Deserialize<'de> for UnitValue {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct UnitVisitor;

            impl<'de> Visitor<'de> for UnitVisitor {
                type Value = UnitValue;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an empty struct")
                }

                fn visit_unit<E: de::Error>(self) -> Result<UnitValue, E> {
                    Ok(UnitValue)
                }

                fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<UnitValue, A::Error> {
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    Ok(UnitValue)
                }

                fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<UnitValue, A::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(UnitValue)
                }
            }

            deserializer.deserialize_struct("Unit", &[], UnitVisitor)
        }
    }

    /// What a generated union tells [`deserialize_union`] about itself.
    pub trait UnionMembers<'de>: Sized {
        /// The union's name in the model.
        const NAME: &'static str;
        /// The known members' names as the model spells them, in model order.
        const MEMBERS: &'static [&'static str];

        /// Reads the value of member `name`; any name not in
        /// [`MEMBERS`](Self::MEMBERS) gives `Unknown` after [`skip_value`].
        fn read_member<A: VariantAccess<'de>>(name: &str, access: A) -> Result<Self, A::Error>;
    }

    /// Reads a union written as an externally tagged enum.
    pub fn deserialize_union<'de, D, U>(deserializer: D) -> Result<U, D::Error>
    where
        D: Deserializer<'de>,
        U: UnionMembers<'de>,
    {
        deserializer.deserialize_enum(U::NAME, U::MEMBERS, UnionVisitor(PhantomData))
    }

    /// Skips the value of a member this version does not know.
    pub fn skip_value<'de, A: VariantAccess<'de>>(access: A) -> Result<(), A::Error> {
        access.newtype_variant::<IgnoredAny>().map(|_| ())
    }

    struct UnionVisitor<U>(PhantomData<U>);

    impl<'de, U: UnionMembers<'de>> Visitor<'de> for UnionVisitor<U> {
        type Value = U;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "the union {} with one member set", U::NAME)
        }

        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<U, A::Error> {
            let (name, access) = data.variant_seed(MemberName { members: U::MEMBERS })?;
            U::read_member(&name, access)
        }
    }

    /// A member name, given as text or (in compact formats) as its index.
    struct MemberName {
        members: &'static [&'static str],
    }

    impl<'de> DeserializeSeed<'de> for MemberName {
        type Value = String;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
            deserializer.deserialize_identifier(self)
        }
    }

    impl Visitor<'_> for MemberName {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a union member name")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }

        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<String, E> {
            Ok(String::from_utf8_lossy(v).into_owned())
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            let known = usize::try_from(v).ok().and_then(|i| self.members.get(i));
            Ok(known.map_or(UNKNOWN_MEMBER, |name| *name).to_owned())
        }
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

    #[cfg(feature = "serde")]
    #[test]
    fn unknown_values_serialize_as_themselves() {
        let v = UnknownVariantValue::new("NEW_VALUE");
        assert_eq!(serde_json::to_string(&v).ok().as_deref(), Some(r#""NEW_VALUE""#));
        assert_eq!(serde_json::from_str::<UnknownVariantValue>(r#""NEW_VALUE""#).ok(), Some(v));
        let n = UnknownIntVariantValue::new(-7);
        assert_eq!(serde_json::to_string(&n).ok().as_deref(), Some("-7"));
        assert_eq!(serde_json::from_str::<UnknownIntVariantValue>("-7").ok(), Some(n));
    }
}
