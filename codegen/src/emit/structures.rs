//! Structures and their builders (also used for operation inputs/outputs and
//! errors).
//!
//! Every structure is `#[non_exhaustive]` with public fields and a builder:
//! `Stage::builder().name("x").build()`. `build()` returns a `Result` when a
//! member can be missing (always for operation inputs, so a required member
//! added later is not a breaking change to callers' types), otherwise the value.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::doc_comments::{doc_attrs, member_docs, shape_docs};
use crate::ir::{DefaultValue, Member, Role, Shape, ShapeKind, Simple};
use crate::naming::unraw;
use crate::symbols::{ident, Symbols};

/// The struct, its builder and, when something is sensitive, a redacting `Debug`.
pub fn structure(symbols: &Symbols<'_>, shape: &Shape) -> TokenStream {
    let ShapeKind::Structure(members) = &shape.kind else { return TokenStream::new() };
    let name = ident(&shape.rust_name);
    let builder_name = ident(&symbols.builder_name(shape));
    let docs = doc_attrs(&shape_docs(shape, || fallback_docs(symbols, shape)));
    // A stream is read or sent once: a structure holding one is neither
    // cloned, compared nor serialized.
    let plain_data = !symbols.holds_stream(shape);
    let fields = members.iter().map(|m| {
        let field = ident(&m.rust_name);
        let ty = symbols.member_type(m);
        let docs = doc_attrs(&member_docs(symbols, shape, m));
        let rename = if plain_data { serde_rename(&m.name, &m.rust_name) } else { quote!() };
        quote! { #docs #rename pub #field: #ty, }
    });
    let is_error = matches!(shape.role, Role::Error(_));
    let is_output = matches!(shape.role, Role::Output(_));
    let serde_skip = if plain_data { quote!(#[cfg_attr(feature = "serde", serde(skip))]) } else { quote!() };
    let meta_field = if is_error {
        quote! {
            #serde_skip
            pub(crate) meta: ::smithy_runtime::protocol::ErrorMetadata,
        }
    } else if is_output {
        quote! {
            #serde_skip
            pub(crate) _request_id: ::std::option::Option<::std::string::String>,
        }
    } else {
        quote!()
    };
    // The request id of the response an output was read from (`RequestId`).
    let (builder_request_id, request_id_impl) = if is_output {
        (
            quote! { pub(crate) _request_id: ::std::option::Option<::std::string::String>, },
            quote! {
                impl ::smithy_runtime::client::RequestId for #name {
                    fn request_id(&self) -> ::std::option::Option<&str> {
                        self._request_id.as_deref()
                    }
                }
            },
        )
    } else {
        (quote!(), quote!())
    };
    let redacting = shape.sensitive || members.iter().any(|m| symbols.is_sensitive(m));
    let derive_debug = if redacting { quote!() } else { quote!(::std::fmt::Debug,) };
    let debug_impl =
        if redacting { redacting_debug(symbols, shape, &shape.rust_name, members, |m| &m.rust_name) } else { quote!() };
    let builder_debug_impl = if redacting {
        redacting_debug(symbols, shape, &symbols.builder_name(shape), members, crate::naming::builder_field)
    } else {
        quote!()
    };
    let builder_docs = doc_attrs(&format!("A builder for [`{}`].", shape.rust_name));
    let new_builder_docs = doc_attrs(&format!("A builder for [`{}`]; set members, then call `build()`.", shape.rust_name));
    let builder_fields = members.iter().map(|m| {
        let field = ident(crate::naming::builder_field(m));
        let value = symbols.unboxed_member_type(m);
        quote! { #field: ::std::option::Option<#value>, }
    });
    let setters = members.iter().map(|m| setters(symbols, m));
    let build_fn = build_fn(symbols, shape, members);
    let eq_derive = if plain_data { quote!(::std::clone::Clone, ::std::cmp::PartialEq,) } else { quote!() };
    let struct_derive = if plain_data || !redacting { quote!(#[derive(#eq_derive #derive_debug)]) } else { quote!() };
    let serde_derive = if plain_data { serde_derive() } else { quote!() };
    quote! {
        #docs
        #[non_exhaustive]
        #struct_derive
        #serde_derive
        pub struct #name {
            #( #fields )*
            #meta_field
        }

        impl #name {
            #new_builder_docs
            pub fn builder() -> #builder_name {
                #builder_name::default()
            }
        }

        #debug_impl

        #request_id_impl

        #builder_docs
        #[derive(#eq_derive ::std::default::Default, #derive_debug)]
        pub struct #builder_name {
            #( #builder_fields )*
            #builder_request_id
        }

        impl #builder_name {
            #( #setters )*

            #build_fn
        }

        #builder_debug_impl
    }
}

/// `Serialize`/`Deserialize` behind the generated crate's `serde` feature.
pub fn serde_derive() -> TokenStream {
    quote! { #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize))] }
}

/// Keeps the model's member name (`participantId`) in serde output; nothing
/// when the Rust field is already spelled that way (`width`).
pub fn serde_rename(wire_name: &str, rust_name: &str) -> TokenStream {
    if crate::naming::unraw(rust_name) == wire_name {
        return TokenStream::new();
    }
    quote! { #[cfg_attr(feature = "serde", serde(rename = #wire_name))] }
}

fn fallback_docs(symbols: &Symbols<'_>, shape: &Shape) -> String {
    let operation = |id: &str| {
        symbols.model().operations.iter().find(|o| o.id == id).map_or_else(|| id.to_string(), |o| o.name.clone())
    };
    match &shape.role {
        Role::Input(op) => format!("The input of the `{}` operation.", operation(op)),
        Role::Output(op) => format!("The output of the `{}` operation.", operation(op)),
        Role::Error(_) => format!("The `{}` error.", shape.rust_name),
        Role::Data => format!("The `{}` structure.", shape.rust_name),
    }
}

/// `name(impl Into<T>)`, `set_name(Option<T>)`, `get_name()`; lists append
/// one item and maps insert one entry, as the AWS SDKs do.
fn setters(symbols: &Symbols<'_>, member: &Member) -> TokenStream {
    let field = ident(crate::naming::builder_field(member));
    let method = ident(crate::naming::builder_method(member));
    let base = unraw(&member.rust_name);
    let set_name = crate::naming::setter_name(member);
    let set = ident(&set_name);
    let get = ident(&crate::naming::getter_name(member));
    let value = symbols.unboxed_member_type(member);
    let target = symbols.model().shape(&member.target);
    let set_docs = doc_attrs(&format!("Sets or clears `{}`.", base));
    let get_docs = doc_attrs(&format!("The value set for `{}`, if any.", base));
    let main = match &target.kind {
        ShapeKind::List { member: item, .. } => {
            let item_ty = if item.optional {
                let inner = symbols.value_type(&item.target);
                quote!(::std::option::Option<#inner>)
            } else {
                symbols.value_type(&item.target)
            };
            let docs = doc_attrs(&format!("Appends one item to `{base}`; call it once per item (see also `{set_name}`)."));
            quote! {
                #docs
                pub fn #method(mut self, item: impl ::std::convert::Into<#item_ty>) -> Self {
                    self.#field.get_or_insert_with(::std::vec::Vec::new).push(item.into());
                    self
                }
            }
        }
        ShapeKind::Map { key, value: map_value, .. } => {
            let key_ty = symbols.value_type(&key.target);
            let value_ty = if map_value.optional {
                let inner = symbols.value_type(&map_value.target);
                quote!(::std::option::Option<#inner>)
            } else {
                symbols.value_type(&map_value.target)
            };
            let docs = doc_attrs(&format!("Inserts one entry into `{base}` (see also `{set_name}`)."));
            quote! {
                #docs
                pub fn #method(mut self, key: impl ::std::convert::Into<#key_ty>, value: impl ::std::convert::Into<#value_ty>) -> Self {
                    self.#field.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value.into());
                    self
                }
            }
        }
        _ => {
            let docs = doc_attrs(&format!("Sets `{base}`."));
            quote! {
                #docs
                pub fn #method(mut self, input: impl ::std::convert::Into<#value>) -> Self {
                    self.#field = ::std::option::Option::Some(input.into());
                    self
                }
            }
        }
    };
    quote! {
        #main

        #set_docs
        pub fn #set(mut self, input: ::std::option::Option<#value>) -> Self {
            self.#field = input;
            self
        }

        #get_docs
        pub fn #get(&self) -> &::std::option::Option<#value> {
            &self.#field
        }
    }
}

/// Whether the builder's `build()` returns a `Result` (an operation input, or a
/// member that must be set and has no usable default).
pub fn build_is_fallible(shape: &Shape) -> bool {
    let ShapeKind::Structure(members) = &shape.kind else { return false };
    matches!(shape.role, Role::Input(_))
        || members.iter().any(|m| !m.optional && m.default_value().is_none())
}

/// `build()`: returns a `Result` when a member can be missing.
fn build_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let type_name = &shape.rust_name;
    let is_input = matches!(shape.role, Role::Input(_));
    let fallible = build_is_fallible(shape);
    let fields: Vec<TokenStream> = members
        .iter()
        .map(|m| {
            let field = ident(&m.rust_name);
            let value = ident(crate::naming::builder_field(m));
            let boxed = if m.boxed { quote!(.map(::std::boxed::Box::new)) } else { quote!() };
            if m.optional {
                return quote! { #field: self.#value #boxed, };
            }
            let present = match m.default_value().map(|d| default_expr(symbols, m, d)) {
                Some(default) => match &symbols.model().shape(&m.target).kind {
                    ShapeKind::List { .. } | ShapeKind::Map { .. } => quote! { self.#value.unwrap_or_default() },
                    ShapeKind::Simple(Simple::Blob) if symbols.model().shape(&m.target).streaming => quote! { self.#value.unwrap_or_default() },
                    ShapeKind::Simple(Simple::String | Simple::Timestamp | Simple::Document | Simple::Blob)
                    | ShapeKind::Enum(_)
                    | ShapeKind::IntEnum(_) => quote! { self.#value.unwrap_or_else(|| #default) },
                    _ => quote! { self.#value.unwrap_or(#default) },
                },
                None => {
                    let member_name = unraw(&m.rust_name);
                    quote! {
                        ::smithy_runtime::BuildError::require(self.#value, #type_name, #member_name)?
                    }
                }
            };
            if m.boxed {
                quote! { #field: ::std::boxed::Box::new(#present), }
            } else {
                quote! { #field: #present, }
            }
        })
        .collect();
    let meta = match shape.role {
        Role::Error(_) => quote! { meta: ::std::default::Default::default(), },
        Role::Output(_) => quote! { _request_id: self._request_id, },
        _ => quote!(),
    };
    let required_checks: Vec<TokenStream> = if is_input {
        members
            .iter()
            .filter(|m| m.required && m.optional)
            .map(|m| {
                let value = ident(crate::naming::builder_field(m));
                let member_name = unraw(&m.rust_name);
                quote! {
                    if self.#value.is_none() {
                        return ::std::result::Result::Err(::smithy_runtime::BuildError::missing_member(#type_name, #member_name));
                    }
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    if fallible {
        let docs = doc_attrs(&format!("Builds the [`{type_name}`]; fails when a required member was not set."));
        quote! {
            #docs
            pub fn build(self) -> ::std::result::Result<#name, ::smithy_runtime::BuildError> {
                #( #required_checks )*
                ::std::result::Result::Ok(#name { #( #fields )* #meta })
            }
        }
    } else {
        let docs = doc_attrs(&format!("Builds the [`{type_name}`]."));
        quote! {
            #docs
            pub fn build(self) -> #name {
                #name { #( #fields )* #meta }
            }
        }
    }
}

/// A Rust expression for a member's `@default` value (typed and checked by
/// `lower::defaults`).
pub fn default_expr(symbols: &Symbols<'_>, member: &Member, value: &DefaultValue) -> TokenStream {
    let target = symbols.model().shape(&member.target);
    match value {
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::String(s) => quote!(::std::string::String::from(#s)),
        DefaultValue::Integer(n) => {
            // `lower::defaults` checked the value against the target's range.
            let literal = match target.kind {
                ShapeKind::Simple(Simple::Byte) => Literal::i8_suffixed(*n as i8),
                ShapeKind::Simple(Simple::Short) => Literal::i16_suffixed(*n as i16),
                ShapeKind::Simple(Simple::Integer) => Literal::i32_suffixed(*n as i32),
                _ => Literal::i64_suffixed(*n),
            };
            quote!(#literal)
        }
        DefaultValue::Float(n) => {
            let literal = if matches!(target.kind, ShapeKind::Simple(Simple::Float)) {
                Literal::f32_suffixed(*n as f32)
            } else {
                Literal::f64_suffixed(*n)
            };
            quote!(#literal)
        }
        DefaultValue::BigNumber(text) => {
            let ty = symbols.value_type(&member.target);
            quote!(#ty::new(#text))
        }
        DefaultValue::Timestamp(secs) => {
            let n = Literal::f64_suffixed(*secs);
            quote!(crate::primitives::DateTime::from_secs_f64(#n))
        }
        DefaultValue::Enum(s) => {
            let ty = symbols.value_type(&member.target);
            quote!(#ty::from(#s))
        }
        DefaultValue::IntEnum(n) => {
            let ty = symbols.value_type(&member.target);
            quote!(#ty::from(#n))
        }
        DefaultValue::EmptyList => quote!(::std::vec::Vec::new()),
        DefaultValue::EmptyMap => quote!(::std::collections::HashMap::new()),
        DefaultValue::Document(value) => document_literal(value),
        // A streaming blob's default can only be empty (Smithy allows `""`).
        DefaultValue::Blob(_) if target.streaming => quote!(crate::primitives::ByteStream::new()),
        DefaultValue::Blob(bytes) => quote!(crate::primitives::Blob::new(::std::vec![#( #bytes ),*])),
    }
}

/// A `Document` expression for a JSON value.
fn document_literal(value: &Value) -> TokenStream {
    let document = quote!(crate::primitives::Document);
    match value {
        Value::Null => quote!(#document::Null),
        Value::Bool(b) => quote!(#document::Bool(#b)),
        Value::String(s) => quote!(#document::String(::std::string::String::from(#s))),
        Value::Number(n) => {
            let number = quote!(crate::primitives::Number);
            if let Some(u) = n.as_u64() {
                quote!(#document::Number(#number::PosInt(#u)))
            } else if let Some(i) = n.as_i64() {
                quote!(#document::Number(#number::NegInt(#i)))
            } else {
                let f = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                quote!(#document::Number(#number::Float(#f)))
            }
        }
        Value::Array(items) => {
            let items = items.iter().map(document_literal);
            quote!(#document::Array(::std::vec![#( #items ),*]))
        }
        Value::Object(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = document_literal(v);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(#document::Object(::std::collections::BTreeMap::from([#( #entries ),*])))
        }
    }
}

/// A `Debug` impl that prints sensitive members as redacted (or the whole
/// value, for a `@sensitive` structure).
/// `field` names a member's field in the type (`rust_name` in a structure,
/// [`crate::naming::builder_field`] in a builder).
pub fn redacting_debug(
    symbols: &Symbols<'_>,
    shape: &Shape,
    type_name: &str,
    members: &[Member],
    field: fn(&Member) -> &str,
) -> TokenStream {
    let name = ident(type_name);
    if shape.sensitive {
        return quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(::smithy_runtime::primitives::redact::REDACTED)
                }
            }
        };
    }
    let fields = members.iter().map(|m| {
        let label = unraw(field(m));
        let field = ident(field(m));
        if symbols.is_sensitive(m) {
            quote! { .field(#label, &::smithy_runtime::primitives::redact::Redacted(&self.#field)) }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #( #fields )* .finish()
            }
        }
    }
}
