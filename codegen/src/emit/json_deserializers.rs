//! JSON deserializers for shapes received in response and error bodies
//! (`src/json_de.rs` of the generated crate): one function per structure,
//! union, list and map. Unknown keys are ignored, `null` means absent (except
//! in sparse collections), unknown union members become `Unknown`. Errors
//! carry the path of the bad value, built only when something fails.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::aggregates::{aggregate_functions, in_response_body, shapes_needing_de, AggregateEmitters};
use crate::emit::json_serializers::{json_key, timestamp_format_tokens};
use crate::emit::structures::build_is_fallible;
use crate::ir::{Member, Shape, ShapeKind, Simple};
use crate::protocols::BodyCodec;
use crate::symbols::{ident, Symbols};
use crate::traits::TimestampFormat;

/// The deserializer function of an aggregate shape, e.g. `de_stage`.
pub fn de_fn(shape: &Shape) -> proc_macro2::Ident {
    format_ident!("de_{}", crate::naming::shape_fn_suffix(shape))
}

/// An expression of type `Result<T, DeserializeError>` reading `value`, a
/// `&json_de::Value`;
/// an error's path is relative to `value`.
pub fn de_value(symbols: &Symbols<'_>, target: &str, value: TokenStream, format: Option<TimestampFormat>) -> TokenStream {
    let shape = symbols.model().shape(target);
    let json_de = quote!(::smithy_runtime::protocol::json_de);
    match &shape.kind {
        ShapeKind::Simple(simple) => match simple {
            Simple::String => quote!(#json_de::string(#value, "")),
            Simple::Boolean => quote!(#json_de::boolean(#value, "")),
            Simple::Byte => quote!(#json_de::i8(#value, "")),
            Simple::Short => quote!(#json_de::i16(#value, "")),
            Simple::Integer => quote!(#json_de::i32(#value, "")),
            Simple::Long => quote!(#json_de::i64(#value, "")),
            Simple::Float => quote!(#json_de::f32(#value, "")),
            Simple::Double => quote!(#json_de::f64(#value, "")),
            Simple::Timestamp => {
                let format = timestamp_format_tokens(format.or(shape.timestamp_format).unwrap_or(TimestampFormat::EpochSeconds));
                quote!(#json_de::timestamp(#value, "", #format))
            }
            Simple::Blob => quote!(#json_de::blob(#value, "")),
            Simple::Document => quote!(::std::result::Result::<_, ::smithy_runtime::protocol::DeserializeError>::Ok(#json_de::document(#value))),
            Simple::BigInteger => quote!(#json_de::big_integer(#value, "")),
            Simple::BigDecimal => quote!(#json_de::big_decimal(#value, "")),
        },
        ShapeKind::Enum(_) => {
            let ty = symbols.value_type(target);
            quote!(#json_de::string(#value, "").map(|text| #ty::from(text.as_str())))
        }
        ShapeKind::IntEnum(_) => {
            let ty = symbols.value_type(target);
            quote!(#json_de::i32(#value, "").map(#ty::from))
        }
        _ => {
            let function = de_fn(shape);
            quote!(crate::json_de::#function(#value))
        }
    }
}

/// Statements that read members of a structure from `object` (a
/// `&json_de::Object`) into `builder`: only the body-bound ones for an
/// operation output or error (`only_body`), all of them for nested shapes.
pub fn read_members(symbols: &Symbols<'_>, members: &[Member], only_body: bool) -> TokenStream {
    let reads = members.iter().filter(|m| !only_body || in_response_body(m)).map(|m| {
        let set = ident(&crate::naming::setter_name(m));
        let key = json_key(m);
        let expr = de_value(symbols, &m.target, quote!(item), m.timestamp_format);
        quote! {
            if let ::std::option::Option::Some(item) = object.get(#key).filter(|item| !item.is_null()) {
                builder = builder.#set(::std::option::Option::Some(#expr.map_err(|e| e.in_member(#key))?));
            }
        }
    });
    quote! { #( #reads )* }
}

/// Statements that read the members travelling in the response's JSON
/// document body into `builder`; `None` when no member does (the body is
/// then not parsed at all).
pub fn read_json_body(symbols: &Symbols<'_>, members: &[Member]) -> Option<TokenStream> {
    if !members.iter().any(in_response_body) {
        return None;
    }
    let json_de = quote!(::smithy_runtime::protocol::json_de);
    let reads = read_members(symbols, members, true);
    Some(quote! {
        let document = #json_de::parse_body(response.body())?;
        let object = #json_de::object(&document, "")?;
        #reads
    })
}

/// `builder.build()` as a `Result<T, DeserializeError>`, after client error
/// correction filled in the required members the response left out.
pub fn finish_builder(symbols: &Symbols<'_>, shape: &Shape) -> TokenStream {
    if build_is_fallible(shape) {
        let corrections = crate::emit::error_correction::correct_missing(symbols, shape);
        quote! {
            #corrections
            builder.build().map_err(|e| ::smithy_runtime::protocol::DeserializeError::new(e.member(), "required member is missing"))
        }
    } else {
        quote!(::std::result::Result::Ok(builder.build()))
    }
}

fn structure_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let function = de_fn(shape);
    let ty = symbols.type_path(shape);
    let reads = read_members(symbols, members, false);
    let finish = finish_builder(symbols, shape);
    let builder_mut = if members.is_empty() { quote!() } else { quote!(mut) };
    let object_binding = if members.is_empty() { quote!(_object) } else { quote!(object) };
    quote! {
        pub(crate) fn #function(value: &::smithy_runtime::protocol::json_de::Value<'_>) -> ::std::result::Result<#ty, ::smithy_runtime::protocol::DeserializeError> {
            let #object_binding = ::smithy_runtime::protocol::json_de::object(value, "")?;
            let #builder_mut builder = #ty::builder();
            #reads
            #finish
        }
    }
}

/// A union deserializer: `union_member(value, "")` of the codec's runtime
/// module (`module`: `json_de` or `xml_de`) gives the one member's key and value,
/// matched against each member's `key`; an unknown key is `Unknown`.
/// `read` is the expression reading the value `item` of a member.
pub fn union_deserializer(
    symbols: &Symbols<'_>,
    shape: &Shape,
    members: &[Member],
    input: TokenStream,
    module: TokenStream,
    key: fn(&Member) -> &str,
    read: &dyn Fn(&Member) -> TokenStream,
) -> TokenStream {
    let ty = symbols.type_path(shape);
    let function = format_ident!("de_{}", crate::naming::shape_fn_suffix(shape));
    let arms = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let key = key(m);
        if symbols.model().shape(&m.target).unit {
            quote! { #key => #ty::#variant, }
        } else {
            let expr = read(m);
            let wrap = if m.boxed { quote!(::std::boxed::Box::new(read)) } else { quote!(read) };
            quote! {
                #key => {
                    let read = #expr.map_err(|e| e.in_member(#key))?;
                    #ty::#variant(#wrap)
                }
            }
        }
    });
    quote! {
        pub(crate) fn #function(value: #input) -> ::std::result::Result<#ty, ::smithy_runtime::protocol::DeserializeError> {
            let (key, item) = #module::union_member(value, "")?;
            let _ = item;
            ::std::result::Result::Ok(match key {
                #( #arms )*
                _ => #ty::Unknown,
            })
        }
    }
}

fn union_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let read = |m: &Member| de_value(symbols, &m.target, quote!(item), m.timestamp_format);
    let input = quote!(&::smithy_runtime::protocol::json_de::Value<'_>);
    union_deserializer(symbols, shape, members, input, quote!(::smithy_runtime::protocol::json_de), json_key, &read)
}

fn list_fn(symbols: &Symbols<'_>, shape: &Shape, member: &Member) -> TokenStream {
    let function = de_fn(shape);
    let ty = symbols.value_type(&shape.id);
    let expr = de_value(symbols, &member.target, quote!(item), member.timestamp_format);
    let push = if member.optional {
        quote! {
            if item.is_null() {
                items.push(::std::option::Option::None);
            } else {
                items.push(::std::option::Option::Some(#expr.map_err(|e| e.in_index(index))?));
            }
        }
    } else {
        quote! {
            if !item.is_null() {
                items.push(#expr.map_err(|e| e.in_index(index))?);
            }
        }
    };
    quote! {
        pub(crate) fn #function(value: &::smithy_runtime::protocol::json_de::Value<'_>) -> ::std::result::Result<#ty, ::smithy_runtime::protocol::DeserializeError> {
            let array = ::smithy_runtime::protocol::json_de::array(value, "")?;
            let mut items = ::std::vec::Vec::with_capacity(array.len());
            for (index, item) in array.iter().enumerate() {
                #push
            }
            ::std::result::Result::Ok(items)
        }
    }
}

fn map_fn(symbols: &Symbols<'_>, shape: &Shape, key: &Member, value_member: &Member) -> TokenStream {
    let function = de_fn(shape);
    let ty = symbols.value_type(&shape.id);
    let key_expr = match &symbols.model().shape(&key.target).kind {
        ShapeKind::Enum(_) => {
            let key_ty = symbols.value_type(&key.target);
            quote!(#key_ty::from(key))
        }
        _ => quote!(::std::string::String::from(key)),
    };
    let expr = de_value(symbols, &value_member.target, quote!(item), value_member.timestamp_format);
    let insert = if value_member.optional {
        quote! {
            let read = if item.is_null() { ::std::option::Option::None } else { ::std::option::Option::Some(#expr.map_err(|e| e.in_key(key))?) };
            map.insert(#key_expr, read);
        }
    } else {
        quote! {
            if !item.is_null() {
                map.insert(#key_expr, #expr.map_err(|e| e.in_key(key))?);
            }
        }
    };
    quote! {
        pub(crate) fn #function(value: &::smithy_runtime::protocol::json_de::Value<'_>) -> ::std::result::Result<#ty, ::smithy_runtime::protocol::DeserializeError> {
            let object = ::smithy_runtime::protocol::json_de::object(value, "")?;
            let mut map = ::std::collections::HashMap::with_capacity(object.len());
            for (key, item) in object {
                #insert
            }
            ::std::result::Result::Ok(map)
        }
    }
}

/// `src/json_de.rs`.
pub fn json_de_module(symbols: &Symbols<'_>) -> TokenStream {
    let emitters = AggregateEmitters { structure: structure_fn, union: union_fn, list: list_fn, map: map_fn };
    let functions = aggregate_functions(symbols, shapes_needing_de(symbols.model(), BodyCodec::Json), &emitters);
    quote! {
        //! JSON deserializers for shapes received in response and error bodies.

        #( #functions )*
    }
}
