//! XML serializers for shapes sent in restXml request bodies
//! (`src/xml_ser.rs` of the generated crate): one function per structure,
//! union, list and map, writing the *contents* of an element its caller
//! has opened (attributes first, then child elements) with
//! `smithy_runtime::protocol::xml_ser::XmlWriter`. The caller names the
//! element, since the name belongs to the member (`@xmlName`) and so does
//! its `@xmlNamespace`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::aggregates::{aggregate_functions, shapes_needing_ser, with_member_item, AggregateEmitters};
use crate::emit::json_serializers::timestamp_format_tokens;
use crate::emit::xml_deserializers::{list_item_name, map_entry_names, xml_name, xml_timestamp_format};
use crate::ir::{HttpBinding, Member, Shape, ShapeKind, Simple, XmlNamespace};
use crate::protocols::BodyCodec;
use crate::symbols::{ident, Symbols};
use crate::traits::TimestampFormat;

/// The serializer function of an aggregate shape, e.g. `ser_stage`.
pub fn ser_fn(shape: &Shape) -> proc_macro2::Ident {
    format_ident!("ser_{}", crate::naming::shape_fn_suffix(shape))
}

/// An expression of type `&str`: the XML text of a scalar `value: &T` of
/// `target`.
fn ser_text(symbols: &Symbols<'_>, target: &str, value: TokenStream, format: Option<TimestampFormat>) -> TokenStream {
    let shape = symbols.model().shape(target);
    let http = quote!(::smithy_runtime::protocol::http);
    let xml_ser = quote!(::smithy_runtime::protocol::xml_ser);
    match &shape.kind {
        ShapeKind::Simple(simple) => match simple {
            Simple::String | Simple::BigInteger | Simple::BigDecimal => quote!(#value.as_str()),
            Simple::Boolean | Simple::Byte | Simple::Short | Simple::Integer | Simple::Long => quote!(&#value.to_string()),
            Simple::Float => quote!(&#http::f32_text(*#value)),
            Simple::Double => quote!(&#http::f64_text(*#value)),
            Simple::Timestamp => {
                let format = timestamp_format_tokens(xml_timestamp_format(shape, format));
                quote!(&#http::timestamp_text(#value, #format))
            }
            Simple::Blob => quote!(&#xml_ser::blob(#value)),
            Simple::Document => quote!(&#xml_ser::document(#value)?),
        },
        ShapeKind::Enum(_) => quote!(#value.as_str()),
        ShapeKind::IntEnum(_) => quote!(&#value.as_i32().to_string()),
        // An `@xmlAttribute` on an aggregate: the model is wrong, the write fails.
        _ => quote!(&#xml_ser::not_text()?),
    }
}

/// `writer.namespace(…)` for an `@xmlNamespace`, or nothing.
pub fn namespace_statement(namespace: Option<&XmlNamespace>) -> TokenStream {
    match namespace {
        Some(XmlNamespace { uri, prefix: Some(prefix) }) => {
            quote! { writer.namespace(::std::option::Option::Some(#prefix), #uri); }
        }
        Some(XmlNamespace { uri, prefix: None }) => quote! { writer.namespace(::std::option::Option::None, #uri); },
        None => quote!(),
    }
}

/// Statements writing the contents of the open element for `value: &T` of
/// `target`: its text, or its serializer's attributes and children.
pub fn write_contents(symbols: &Symbols<'_>, target: &str, value: TokenStream, format: Option<TimestampFormat>) -> TokenStream {
    let shape = symbols.model().shape(target);
    match &shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List { .. } | ShapeKind::Map { .. } => {
            let function = ser_fn(shape);
            quote! { crate::xml_ser::#function(#value, writer)?; }
        }
        _ => {
            let text = ser_text(symbols, target, value, format);
            quote! { writer.text(#text); }
        }
    }
}

/// `<name ns>contents</name>` for `value: &T` of `target`.
fn write_element(
    symbols: &Symbols<'_>,
    member: &Member,
    name: &str,
    namespace: Option<&XmlNamespace>,
    value: TokenStream,
) -> TokenStream {
    let namespace = namespace_statement(namespace);
    let contents = write_contents(symbols, &member.target, value, member.timestamp_format);
    quote! {
        writer.start(#name);
        #namespace
        #contents
        writer.end();
    }
}

/// Each item of the list `value` as `<name>` (sparse lists skip `None`).
fn write_items(symbols: &Symbols<'_>, item: &Member, name: &str, namespace: Option<&XmlNamespace>) -> TokenStream {
    let element = write_element(symbols, item, name, namespace, quote!(item));
    if item.optional {
        quote! { for item in value.iter().flatten() { #element } }
    } else {
        quote! { for item in value { #element } }
    }
}

/// Each entry of the map `value` as `<name><key>…</key><value>…</value></name>`.
fn write_entries(symbols: &Symbols<'_>, key: &Member, value_member: &Member, name: &str, namespace: Option<&XmlNamespace>) -> TokenStream {
    let (key_name, value_name) = map_entry_names(key, value_member);
    let entry_namespace = namespace_statement(namespace);
    let key_element = write_element(symbols, key, key_name, key.xml.namespace.as_ref(), quote!(key));
    let value_element = write_element(symbols, value_member, value_name, value_member.xml.namespace.as_ref(), quote!(item));
    let pattern = if value_member.optional { quote!((key, ::std::option::Option::Some(item))) } else { quote!((key, item)) };
    quote! {
        for #pattern in value {
            writer.start(#name);
            #entry_namespace
            #key_element
            #value_element
            writer.end();
        }
    }
}

/// Statements writing members of a structure (`value` names it) into the
/// open element: attributes first, then child elements; with `only_body`
/// (operation inputs) only the members bound to the body.
pub fn write_members(symbols: &Symbols<'_>, members: &[Member], value: TokenStream, only_body: bool) -> TokenStream {
    let members: Vec<&Member> = members.iter().filter(|m| !only_body || m.http == HttpBinding::Body).collect();
    let attributes = members.iter().filter(|m| m.xml.attribute);
    let elements = members.iter().filter(|m| !m.xml.attribute);
    let writes = attributes.chain(elements).map(|m| {
        let name = xml_name(m);
        let write = if m.xml.attribute {
            let text = ser_text(symbols, &m.target, quote!(item), m.timestamp_format);
            quote! { writer.attribute(#name, #text); }
        } else {
            match &symbols.model().shape(&m.target).kind {
                ShapeKind::List { member: item, .. } if m.xml.flattened => {
                    let items = write_items(symbols, item, name, m.xml.namespace.as_ref());
                    quote! { let value = item; #items }
                }
                ShapeKind::Map { key, value: map_value, .. } if m.xml.flattened => {
                    let entries = write_entries(symbols, key, map_value, name, m.xml.namespace.as_ref());
                    quote! { let value = item; #entries }
                }
                _ => write_element(symbols, m, name, m.xml.namespace.as_ref(), quote!(item)),
            }
        };
        with_member_item(m, &value, write)
    });
    quote! { #( #writes )* }
}

fn function(shape: &Shape, ty: TokenStream, body: TokenStream) -> TokenStream {
    let function = ser_fn(shape);
    quote! {
        pub(crate) fn #function(value: &#ty, writer: &mut ::smithy_runtime::protocol::xml_ser::XmlWriter) -> ::std::result::Result<(), ::smithy_runtime::protocol::SerializeError> {
            #body
            ::std::result::Result::Ok(())
        }
    }
}

fn structure_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let writes = write_members(symbols, members, quote!(value), false);
    let unused = if members.is_empty() { quote!(let _ = (value, writer);) } else { quote!() };
    function(shape, symbols.type_path(shape), quote! { #unused #writes })
}

fn union_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let ty = symbols.type_path(shape);
    let type_name = &shape.rust_name;
    let arms = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let name = xml_name(m);
        let namespace = namespace_statement(m.xml.namespace.as_ref());
        if symbols.model().shape(&m.target).unit {
            quote! { #ty::#variant => { writer.start(#name); #namespace writer.end(); } }
        } else {
            let element = write_element(symbols, m, name, m.xml.namespace.as_ref(), quote!(item));
            quote! { #ty::#variant(item) => { #element } }
        }
    });
    let message = format!("cannot send {type_name}::Unknown: it stands for a member this crate does not know");
    let body = quote! {
        match value {
            #( #arms )*
            #ty::Unknown => return ::std::result::Result::Err(::smithy_runtime::protocol::SerializeError::new(#message)),
        }
    };
    function(shape, ty, body)
}

fn list_fn(symbols: &Symbols<'_>, shape: &Shape, member: &Member) -> TokenStream {
    let items = write_items(symbols, member, list_item_name(member), member.xml.namespace.as_ref());
    function(shape, symbols.value_type(&shape.id), items)
}

fn map_fn(symbols: &Symbols<'_>, shape: &Shape, key: &Member, value: &Member) -> TokenStream {
    let entries = write_entries(symbols, key, value, "entry", None);
    function(shape, symbols.value_type(&shape.id), entries)
}

/// `src/xml_ser.rs`.
pub fn xml_ser_module(symbols: &Symbols<'_>) -> TokenStream {
    let emitters = AggregateEmitters { structure: structure_fn, union: union_fn, list: list_fn, map: map_fn };
    let functions = aggregate_functions(symbols, shapes_needing_ser(symbols.model(), BodyCodec::Xml), &emitters);
    quote! {
        //! XML serializers for shapes sent in request bodies.

        #( #functions )*
    }
}
