//! JSON serializers for shapes sent in request bodies (`src/json_ser.rs` of
//! the generated crate): one function per structure, union, list and map,
//! each returning a `serde_json::Value`. Scalars use the runtime's
//! `protocol::json_ser` helpers.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::aggregates::{aggregate_functions, shapes_needing_ser, with_member_item, AggregateEmitters};
use crate::ir::{Member, Shape, ShapeKind, Simple};
use crate::protocols::BodyCodec;
use crate::symbols::{ident, Symbols};
use crate::traits::TimestampFormat;

/// The name of the serializer function of an aggregate shape, e.g. `ser_stage`.
pub fn ser_fn(shape: &Shape) -> proc_macro2::Ident {
    format_ident!("ser_{}", crate::naming::shape_fn_suffix(shape))
}

/// An expression of type `Value` for `value: &T` where `T` is the Rust type
/// of `target`. Aggregates call their serializer with `?`, so the expression
/// belongs in a function returning `Result<_, SerializeError>`.
pub fn ser_value(symbols: &Symbols<'_>, target: &str, value: TokenStream, format: Option<TimestampFormat>) -> TokenStream {
    let shape = symbols.model().shape(target);
    let json_ser = quote!(::smithy_runtime::protocol::json_ser);
    match &shape.kind {
        ShapeKind::Simple(simple) => match simple {
            Simple::String => quote!(::smithy_runtime::deps::serde_json::Value::String(::std::clone::Clone::clone(#value))),
            Simple::Boolean => quote!(::smithy_runtime::deps::serde_json::Value::Bool(*#value)),
            Simple::Byte | Simple::Short | Simple::Integer | Simple::Long => {
                quote!(::smithy_runtime::deps::serde_json::Value::from(*#value))
            }
            Simple::Float => quote!(#json_ser::f32(*#value)),
            Simple::Double => quote!(#json_ser::f64(*#value)),
            Simple::Timestamp => {
                let format = timestamp_format_tokens(format.or(shape.timestamp_format).unwrap_or(TimestampFormat::EpochSeconds));
                quote!(#json_ser::timestamp(#value, #format))
            }
            Simple::Blob => quote!(#json_ser::blob(#value)),
            Simple::Document => quote!(#json_ser::document(#value)),
            Simple::BigInteger => quote!(#json_ser::big_integer(#value)),
            Simple::BigDecimal => quote!(#json_ser::big_decimal(#value)),
        },
        ShapeKind::Enum(_) => quote!(::smithy_runtime::deps::serde_json::Value::String(#value.as_str().to_string())),
        ShapeKind::IntEnum(_) => quote!(::smithy_runtime::deps::serde_json::Value::from(#value.as_i32())),
        _ => {
            let function = ser_fn(shape);
            quote!(crate::json_ser::#function(#value)?)
        }
    }
}

pub fn timestamp_format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(::smithy_runtime::DateTimeFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::smithy_runtime::DateTimeFormat::HttpDate),
        TimestampFormat::EpochSeconds => quote!(::smithy_runtime::DateTimeFormat::EpochSeconds),
    }
}

/// The JSON key of a member (`@jsonName` or the member name).
pub fn json_key(member: &Member) -> &str {
    member.json_name.as_deref().unwrap_or(&member.name)
}

/// Statements that insert members of a structure into `object`. `value` names
/// the structure value; with `only_body` (operation inputs) members bound to
/// HTTP headers, labels, query or payload are skipped.
pub fn insert_members(symbols: &Symbols<'_>, members: &[Member], value: TokenStream, only_body: bool) -> TokenStream {
    let inserts = members.iter().filter(|m| !only_body || m.http == crate::ir::HttpBinding::Body).map(|m| {
        let key = json_key(m);
        // A boxed (recursive) member's `&Box<T>` derefs to the `&T` its serializer takes.
        let expr = ser_value(symbols, &m.target, quote!(item), m.timestamp_format);
        with_member_item(m, &value, quote! { object.insert(#key.to_string(), #expr); })
    });
    quote! { #( #inserts )* }
}

fn structure_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let function = ser_fn(shape);
    let ty = symbols.type_path(shape);
    let inserts = insert_members(symbols, members, quote!(value), false);
    let object_mut = if members.is_empty() { quote!() } else { quote!(mut) };
    let unused = if members.is_empty() { quote!(let _ = value;) } else { quote!() };
    quote! {
        pub(crate) fn #function(value: &#ty) -> ::std::result::Result<::smithy_runtime::deps::serde_json::Value, ::smithy_runtime::protocol::SerializeError> {
            #unused
            let #object_mut object = ::smithy_runtime::deps::serde_json::Map::new();
            #inserts
            ::std::result::Result::Ok(::smithy_runtime::deps::serde_json::Value::Object(object))
        }
    }
}

fn union_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let function = ser_fn(shape);
    let ty = symbols.type_path(shape);
    let type_name = &shape.rust_name;
    let arms = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let key = json_key(m);
        if symbols.model().shape(&m.target).unit {
            quote! { #ty::#variant => { object.insert(#key.to_string(), ::smithy_runtime::deps::serde_json::Value::Object(::smithy_runtime::deps::serde_json::Map::new())); } }
        } else {
            let expr = ser_value(symbols, &m.target, quote!(item), m.timestamp_format);
            quote! { #ty::#variant(item) => { object.insert(#key.to_string(), #expr); } }
        }
    });
    let message = format!("cannot send {type_name}::Unknown: it stands for a member this crate does not know");
    quote! {
        pub(crate) fn #function(value: &#ty) -> ::std::result::Result<::smithy_runtime::deps::serde_json::Value, ::smithy_runtime::protocol::SerializeError> {
            let mut object = ::smithy_runtime::deps::serde_json::Map::new();
            match value {
                #( #arms )*
                #ty::Unknown => return ::std::result::Result::Err(::smithy_runtime::protocol::SerializeError::new(#message)),
            }
            ::std::result::Result::Ok(::smithy_runtime::deps::serde_json::Value::Object(object))
        }
    }
}

/// A list item or map value named `item`; `null` for `None` in sparse collections.
fn ser_element(symbols: &Symbols<'_>, member: &Member) -> TokenStream {
    let expr = ser_value(symbols, &member.target, quote!(item), member.timestamp_format);
    if member.optional {
        quote! {
            match item {
                ::std::option::Option::Some(item) => #expr,
                ::std::option::Option::None => ::smithy_runtime::deps::serde_json::Value::Null,
            }
        }
    } else {
        expr
    }
}

fn list_fn(symbols: &Symbols<'_>, shape: &Shape, member: &Member) -> TokenStream {
    let function = ser_fn(shape);
    let ty = symbols.value_type(&shape.id);
    let each = ser_element(symbols, member);
    quote! {
        pub(crate) fn #function(value: &#ty) -> ::std::result::Result<::smithy_runtime::deps::serde_json::Value, ::smithy_runtime::protocol::SerializeError> {
            let mut items = ::std::vec::Vec::with_capacity(value.len());
            for item in value {
                items.push(#each);
            }
            ::std::result::Result::Ok(::smithy_runtime::deps::serde_json::Value::Array(items))
        }
    }
}

fn map_fn(symbols: &Symbols<'_>, shape: &Shape, key: &Member, value_member: &Member) -> TokenStream {
    let function = ser_fn(shape);
    let ty = symbols.value_type(&shape.id);
    let key_text = match &symbols.model().shape(&key.target).kind {
        ShapeKind::Enum(_) => quote!(key.as_str().to_string()),
        _ => quote!(::std::clone::Clone::clone(key)),
    };
    let each = ser_element(symbols, value_member);
    quote! {
        pub(crate) fn #function(value: &#ty) -> ::std::result::Result<::smithy_runtime::deps::serde_json::Value, ::smithy_runtime::protocol::SerializeError> {
            let mut object = ::smithy_runtime::deps::serde_json::Map::new();
            for (key, item) in value {
                object.insert(#key_text, #each);
            }
            ::std::result::Result::Ok(::smithy_runtime::deps::serde_json::Value::Object(object))
        }
    }
}

/// `src/json_ser.rs`.
pub fn json_ser_module(symbols: &Symbols<'_>) -> TokenStream {
    let emitters = AggregateEmitters { structure: structure_fn, union: union_fn, list: list_fn, map: map_fn };
    let functions = aggregate_functions(symbols, shapes_needing_ser(symbols.model(), BodyCodec::Json), &emitters);
    quote! {
        //! JSON serializers for shapes sent in request bodies.

        #( #functions )*
    }
}
