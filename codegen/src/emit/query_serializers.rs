//! Form serializers for the query protocols (`src/query_ser.rs` of the
//! generated crate): one function per structure, union, list and map
//! reachable from operation inputs, each writing its values into a
//! `smithy_runtime::protocol::query::QueryForm` under a key prefix.
//!
//! The keys follow the protocol (awsQuery or ec2Query, read from the model):
//!
//! - a structure member is `Prefix.Name`, where `Name` is the `@xmlName` or
//!   member name (awsQuery) or the `@ec2QueryName`, else the capitalized
//!   `@xmlName` or member name (ec2Query);
//! - list items are `Prefix.member.N` (`member` replaced by the list
//!   member's `@xmlName`), or `Prefix.N` when the member is `@xmlFlattened`
//!   and always in ec2Query; an empty list is sent as `Prefix=` in awsQuery
//!   and not at all in ec2Query;
//! - map entries (in both protocols) are `Prefix.entry.N.key` and
//!   `Prefix.entry.N.value` (the key and value members' `@xmlName` replace
//!   `key` and `value`), or `Prefix.N.key` when flattened, in key order so
//!   the numbering is stable;
//! - scalars are text as in a URI query: timestamps `date-time` unless the
//!   member says otherwise, blobs base64, floats with `NaN`/`Infinity`;
//!   a document has no query form, and sending one is a `SerializeError`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::http_values::{member_format, to_text, Location};
use crate::emit::aggregates::{aggregate_functions, shapes_needing_ser, with_member_item, AggregateEmitters};
use crate::emit::json_serializers::ser_fn;
use crate::ir::{Member, Model, Protocol, Shape, ShapeKind, Simple};
use crate::naming::{aws_query_key, ec2_query_key};
use crate::protocols::BodyCodec;
use crate::symbols::{ident, Symbols};

fn is_ec2(symbols: &Symbols<'_>) -> bool {
    symbols.model().service.protocol == Protocol::Ec2Query
}

/// The key of a structure member (an expression of type `&str`): under
/// `prefix` (an expression of type `&str`), or the bare name at the top level.
fn member_key(symbols: &Symbols<'_>, member: &Member, prefix: Option<&TokenStream>) -> TokenStream {
    let name = if is_ec2(symbols) { ec2_query_key(member) } else { aws_query_key(member).to_string() };
    match prefix {
        Some(prefix) => quote!(&::smithy_runtime::protocol::query::key(#prefix, #name)),
        None => quote!(#name),
    }
}

/// Statements writing `value: &T` (`T` the Rust type of `member.target`) at
/// `key` (an expression of type `&str`); `member` decides flattening and
/// the names of list items and map entries.
fn write_value(symbols: &Symbols<'_>, member: &Member, key: TokenStream, value: TokenStream) -> TokenStream {
    let query = quote!(::smithy_runtime::protocol::query);
    let shape = symbols.model().shape(&member.target);
    match &shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let function = ser_fn(shape);
            quote! { crate::query_ser::#function(form, #key, #value)?; }
        }
        ShapeKind::List { member: item, .. } => {
            let function = ser_fn(shape);
            if is_ec2(symbols) {
                // ec2Query sends nothing for an empty list.
                return quote! { crate::query_ser::#function(form, #key, #value)?; };
            }
            let items = if member.xml.flattened {
                quote!(key)
            } else {
                let name = item.xml.name.as_deref().unwrap_or("member");
                quote!(&#query::key(key, #name))
            };
            // awsQuery tells an empty list from an absent one with `Prefix=`.
            quote! {
                let key = #key;
                if #value.is_empty() {
                    form.push(key, "");
                }
                crate::query_ser::#function(form, #items, #value)?;
            }
        }
        ShapeKind::Map { .. } => {
            let function = ser_fn(shape);
            let entries = if member.xml.flattened { key } else { quote!(&#query::key(#key, "entry")) };
            quote! { crate::query_ser::#function(form, #entries, #value)?; }
        }
        ShapeKind::Simple(Simple::Document) => {
            let name = &member.name;
            quote! {
                let _ = #value;
                #query::document_member(#name)?;
            }
        }
        _ => {
            let format = member_format(symbols, member, &member.target, Location::Query);
            let text = to_text(symbols, &member.target, value, format, Location::Query).as_str();
            quote! { form.push(#key, #text); }
        }
    }
}

/// Statements writing the members of the structure `value` under `prefix`
/// (an expression of type `&str`; `None` for an operation input, whose
/// members are at the top level).
pub fn write_members(symbols: &Symbols<'_>, members: &[Member], value: TokenStream, prefix: Option<TokenStream>) -> TokenStream {
    let writes = members.iter().map(|m| {
        let key = member_key(symbols, m, prefix.as_ref());
        with_member_item(m, &value, write_value(symbols, m, key, quote!(item)))
    });
    quote! { #( #writes )* }
}

/// The signature all functions of `query_ser` share.
fn signature(shape: &Shape, ty: TokenStream) -> TokenStream {
    let function = ser_fn(shape);
    quote! {
        pub(crate) fn #function(
            form: &mut ::smithy_runtime::protocol::query::QueryForm,
            prefix: &str,
            value: &#ty,
        ) -> ::std::result::Result<(), ::smithy_runtime::protocol::SerializeError>
    }
}

fn structure_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let signature = signature(shape, symbols.type_path(shape));
    let writes = write_members(symbols, members, quote!(value), Some(quote!(prefix)));
    let unused = members.is_empty().then(|| quote! { let _ = (form, prefix, value); });
    quote! {
        #signature {
            #unused
            #writes
            ::std::result::Result::Ok(())
        }
    }
}

fn union_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let signature = signature(shape, symbols.type_path(shape));
    let ty = symbols.type_path(shape);
    let arms = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let key = member_key(symbols, m, Some(&quote!(prefix)));
        if symbols.model().shape(&m.target).unit {
            // A unit variant has no value: its key alone says which it is.
            quote! { #ty::#variant => { form.push(#key, ""); } }
        } else {
            let write = write_value(symbols, m, key, quote!(item));
            quote! { #ty::#variant(item) => { #write } }
        }
    });
    let message = format!("cannot send {}::Unknown: it stands for a member this crate does not know", shape.rust_name);
    quote! {
        #signature {
            match value {
                #( #arms )*
                #ty::Unknown => return ::std::result::Result::Err(::smithy_runtime::protocol::SerializeError::new(#message)),
            }
            ::std::result::Result::Ok(())
        }
    }
}

/// Statements writing a list item or map value named `item` at `key`
/// (`None` items of sparse collections are left out).
fn write_element(symbols: &Symbols<'_>, member: &Member, key: TokenStream) -> TokenStream {
    let write = write_value(symbols, member, key, quote!(item));
    if member.optional {
        quote! {
            if let ::std::option::Option::Some(item) = item {
                #write
            }
        }
    } else {
        write
    }
}

fn list_fn(symbols: &Symbols<'_>, shape: &Shape, member: &Member) -> TokenStream {
    let item = symbols.element_type(member);
    let signature = signature(shape, quote!([#item]));
    let write = write_element(symbols, member, quote!(&key));
    quote! {
        #signature {
            for (index, item) in value.iter().enumerate() {
                let key = ::smithy_runtime::protocol::query::index_key(prefix, index);
                #write
            }
            ::std::result::Result::Ok(())
        }
    }
}

fn map_fn(symbols: &Symbols<'_>, shape: &Shape, key: &Member, value_member: &Member) -> TokenStream {
    let signature = signature(shape, symbols.value_type(&shape.id));
    let query = quote!(::smithy_runtime::protocol::query);
    let key_name = key.xml.name.as_deref().unwrap_or("key");
    let value_name = value_member.xml.name.as_deref().unwrap_or("value");
    let write = write_element(symbols, value_member, quote!(&#query::key(&entry, #value_name)));
    quote! {
        #signature {
            let mut entries: ::std::vec::Vec<_> = value.iter().collect();
            entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            for (index, (key, item)) in entries.into_iter().enumerate() {
                let entry = #query::index_key(prefix, index);
                form.push(&#query::key(&entry, #key_name), key.as_str());
                #write
            }
            ::std::result::Result::Ok(())
        }
    }
}

/// The aggregates `src/query_ser.rs` has a function for: every one an
/// input reaches. The walk is the JSON one (`BodyCodec::Json`): unlike XML
/// elements, a flattened list or map still gets its own function, which
/// writes its items under the key it is given.
pub fn shapes_needing_query_ser(model: &Model) -> BTreeSet<String> {
    shapes_needing_ser(model, BodyCodec::Json)
}

/// `src/query_ser.rs`.
pub fn query_ser_module(symbols: &Symbols<'_>) -> TokenStream {
    let emitters = AggregateEmitters { structure: structure_fn, union: union_fn, list: list_fn, map: map_fn };
    let functions = aggregate_functions(symbols, shapes_needing_query_ser(symbols.model()), &emitters);
    quote! {
        //! Form serializers for shapes sent in query requests.

        #( #functions )*
    }
}
