//! Open enums (enum, intEnum and Smithy 1.0 `@enum` strings).
//!
//! A value the model does not know is kept in `Unknown` and round-trips
//! through `as_str()`/`as_i32()`; conversion from the wire value never fails.
//! Enums are `#[non_exhaustive]`, so new values are not a breaking change.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_comments::{doc_attrs, model_docs, shape_docs};
use crate::ir::{EnumValue, IntEnumValue, Shape};
use crate::symbols::ident;

fn match_example(type_name: &str, first_variant: Option<&str>, accessor: &str) -> String {
    let arm = first_variant.map_or(String::new(), |v| format!("    {type_name}::{v} => {{ /* … */ }}\n"));
    format!(
        "\n\nThe service may return values this version does not know yet; they arrive as `Unknown` and keep \
         their text. Match with a wildcard arm so new values do not break your code:\n\n\
         ```ignore\nmatch value {{\n{arm}    other => println!(\"not handled: {{}}\", other.{accessor}()),\n}}\n```"
    )
}

pub fn string_enum(shape: &Shape, values: &[EnumValue]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let type_name = &shape.rust_name;
    let mut docs = shape_docs(shape, || format!("The `{type_name}` enum."));
    docs.push_str(&match_example(type_name, values.first().map(|v| v.rust_name.as_str()), "as_str"));
    let docs = doc_attrs(&docs);
    let variants = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.value;
        let docs = doc_attrs(&model_docs(v.docs.as_deref(), || format!("The value {}.", crate::docs::code_span(wire))));
        quote! { #docs #variant, }
    });
    let to_str = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.value;
        quote! { #name::#variant => #wire, }
    });
    let from_str = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.value;
        quote! { #wire => #name::#variant, }
    });
    let wire_values = values.iter().map(|v| &v.value);
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq,
                 ::std::cmp::PartialOrd, ::std::cmp::Ord, ::std::hash::Hash)]
        pub enum #name {
            #( #variants )*
            /// A value this version of the crate does not know; `as_str()` returns it unchanged.
            Unknown(crate::primitives::UnknownVariantValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #to_str )*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the crate knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[ #( #wire_values ),* ]
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #from_str )*
                    other => #name::Unknown(crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(#name::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// With the `serde` feature: the value as sent on the wire, `Unknown` included.
        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// With the `serde` feature: any string; values this version does not know become `Unknown`.
        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(#name::from(value.as_str()))
            }
        }
    }
}

pub fn int_enum(shape: &Shape, values: &[IntEnumValue]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let type_name = &shape.rust_name;
    let mut docs = shape_docs(shape, || format!("The `{type_name}` integer enum."));
    docs.push_str(&match_example(type_name, values.first().map(|v| v.rust_name.as_str()), "as_i32"));
    let docs = doc_attrs(&docs);
    let variants = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = v.value;
        let docs = doc_attrs(&model_docs(v.docs.as_deref(), || format!("The value `{value}`.")));
        quote! { #docs #variant, }
    });
    let numbers: Vec<i32> = values.iter().map(|v| v.value as i32).collect();
    let to_int = values.iter().zip(&numbers).map(|(v, n)| {
        let variant = ident(&v.rust_name);
        quote! { #name::#variant => #n, }
    });
    let from_int = values.iter().zip(&numbers).map(|(v, n)| {
        let variant = ident(&v.rust_name);
        quote! { #n => #name::#variant, }
    });
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq,
                 ::std::cmp::PartialOrd, ::std::cmp::Ord, ::std::hash::Hash)]
        pub enum #name {
            #( #variants )*
            /// A value this version of the crate does not know; `as_i32()` returns it unchanged.
            Unknown(crate::primitives::UnknownIntVariantValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #( #to_int )*
                    #name::Unknown(value) => value.value(),
                }
            }

            /// Every value this version of the crate knows, in model order.
            pub const fn values() -> &'static [i32] {
                &[ #( #numbers ),* ]
            }
        }

        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #( #from_int )*
                    other => #name::Unknown(crate::primitives::UnknownIntVariantValue::new(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.as_i32())
            }
        }

        /// With the `serde` feature: the number as sent on the wire, `Unknown` included.
        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.as_i32())
            }
        }

        /// With the `serde` feature: any `i32`; values this version does not know become `Unknown`.
        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i32 as ::serde::Deserialize>::deserialize(deserializer).map(#name::from)
            }
        }
    }
}
