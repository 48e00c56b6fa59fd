//! Unions: one variant per member plus `Unknown` for members the model does
//! not know (the value is dropped; the variant says something new arrived).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::doc_comments::{doc_attrs, member_docs, shape_docs};
use crate::ir::{Member, Shape};
use crate::symbols::{ident, Symbols};

pub fn union(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let type_name = &shape.rust_name;
    let docs = doc_attrs(&shape_docs(shape, || format!("The `{type_name}` union: exactly one of its variants is set.")));
    let is_unit = |m: &Member| symbols.model().shape(&m.target).unit;
    let variants = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let docs = doc_attrs(&member_docs(symbols, shape, m));
        if is_unit(m) {
            quote! { #docs #variant, }
        } else {
            let ty = symbols.member_value_type(m);
            quote! { #docs #variant(#ty), }
        }
    });
    let accessors = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let snake = crate::naming::variant_method_suffix(&m.rust_name);
        let is_fn = format_ident!("is_{}", snake);
        let is_docs = doc_attrs(&format!("Whether this is the `{}` variant.", m.rust_name));
        if is_unit(m) {
            quote! {
                #is_docs
                pub fn #is_fn(&self) -> bool {
                    ::std::matches!(self, #name::#variant)
                }
            }
        } else {
            let as_fn = format_ident!("as_{}", snake);
            let ty = symbols.member_value_type(m);
            let as_docs = doc_attrs(&format!("The `{}` value, or `Err(self)` for another variant.", m.rust_name));
            quote! {
                #as_docs
                pub fn #as_fn(&self) -> ::std::result::Result<&#ty, &Self> {
                    if let #name::#variant(value) = self { ::std::result::Result::Ok(value) } else { ::std::result::Result::Err(self) }
                }

                #is_docs
                pub fn #is_fn(&self) -> bool {
                    self.#as_fn().is_ok()
                }
            }
        }
    });
    let redacting = shape.sensitive || members.iter().any(|m| symbols.is_sensitive(m));
    let derive_debug = if redacting { quote!() } else { quote!(::std::fmt::Debug,) };
    let debug_impl = if redacting {
        let arms = members.iter().map(|m| {
            let variant = ident(&m.rust_name);
            let label = &m.rust_name;
            if is_unit(m) {
                quote! { #name::#variant => f.write_str(#label), }
            } else if shape.sensitive || symbols.is_sensitive(m) {
                quote! { #name::#variant(_) => f.debug_tuple(#label).field(&::smithy_runtime::primitives::redact::Redacted(&())).finish(), }
            } else {
                quote! { #name::#variant(value) => f.debug_tuple(#label).field(value).finish(), }
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #( #arms )*
                        #name::Unknown => f.write_str("Unknown"),
                    }
                }
            }
        }
    } else {
        quote!()
    };
    let serde_impls = serde_impls(symbols, shape, members);
    quote! {
        #docs
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant, reason = "variants hold the model's members as they are; boxing the large ones would change how every caller builds and matches them")]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, #derive_debug)]
        pub enum #name {
            #( #variants )*
            /// A member this version of the crate does not know; its value is not kept.
            Unknown,
        }

        impl #name {
            #( #accessors )*

            /// Whether the service sent a member this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, #name::Unknown)
            }
        }

        #debug_impl

        #serde_impls
    }
}

/// `Serialize`/`Deserialize` behind the `serde` feature, through the
/// runtime's `union_serde`: an externally tagged enum keyed by the model's
/// member names; unknown members read as `Unknown`, which writes as
/// `$unknown` and reads back as `Unknown`.
fn serde_impls(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let type_name = &shape.rust_name;
    let support = quote!(::smithy_runtime::primitives::open_enum::union_serde);
    let is_unit = |m: &Member| symbols.model().shape(&m.target).unit;
    let unknown_index = u32::try_from(members.len()).unwrap_or(u32::MAX);
    let ser_arms = members.iter().enumerate().map(|(index, m)| {
        let variant = ident(&m.rust_name);
        let wire = &m.name;
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        if is_unit(m) {
            quote! { #name::#variant => serializer.serialize_newtype_variant(#type_name, #index, #wire, &#support::UnitValue), }
        } else {
            quote! { #name::#variant(value) => serializer.serialize_newtype_variant(#type_name, #index, #wire, value), }
        }
    });
    let de_arms = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let wire = &m.name;
        if is_unit(m) {
            quote! { #wire => ::serde::de::VariantAccess::newtype_variant::<#support::UnitValue>(access).map(|_| #name::#variant), }
        } else {
            quote! { #wire => ::serde::de::VariantAccess::newtype_variant(access).map(#name::#variant), }
        }
    });
    let wire_names = members.iter().map(|m| &m.name);
    quote! {
        /// With the `serde` feature: one entry named after the member as the model spells it;
        /// `Unknown` is written as `{"$unknown": {}}`.
        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #ser_arms )*
                    #name::Unknown => serializer.serialize_newtype_variant(#type_name, #unknown_index, #support::UNKNOWN_MEMBER, &#support::UnitValue),
                }
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> #support::UnionMembers<'de> for #name {
            const NAME: &'static str = #type_name;
            const MEMBERS: &'static [&'static str] = &[ #( #wire_names ),* ];

            fn read_member<A: ::serde::de::VariantAccess<'de>>(name: &str, access: A) -> ::std::result::Result<Self, A::Error> {
                match name {
                    #( #de_arms )*
                    _ => #support::skip_value(access).map(|()| #name::Unknown),
                }
            }
        }

        /// With the `serde` feature: a member this version does not know reads as `Unknown`.
        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #support::deserialize_union(deserializer)
            }
        }
    }
}
