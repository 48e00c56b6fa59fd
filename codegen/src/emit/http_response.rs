//! Where a response is read: `from_response` for operation outputs and
//! modeled errors of the REST protocols (restJson1, restXml) — status
//! (`@httpResponseCode`), headers (`@httpHeader`, `@httpPrefixHeaders`; a
//! header sent as several fields is read whole, its fields joined by
//! `protocol::http::header_field`), the payload (`@httpPayload`) or the JSON
//! or XML document of the remaining members (the protocol's [`BodyCodec`]).
//! Unknown JSON keys and XML elements are ignored.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::http_values::{from_header_text, member_format, Location};
use crate::emit::json_deserializers::{de_value, finish_builder, read_json_body};
use crate::emit::xml_deserializers::read_xml_body;
use crate::ir::{local_name, HttpBinding, Member, Shape, ShapeKind, Simple};
use crate::protocols::{BodyCodec, Protocol};
use crate::symbols::{ident, Symbols};

/// `impl T { pub(crate) fn from_response(...) }` for an output or error
/// structure of a REST `protocol`.
pub fn from_response(symbols: &Symbols<'_>, shape: &Shape, protocol: &dyn Protocol) -> TokenStream {
    let codec = protocol.response_codec();
    let ShapeKind::Structure(members) = &shape.kind else { return TokenStream::new() };
    let b = quote!(::smithy_runtime::protocol::http);
    let mut statements = Vec::new();
    for member in members {
        let set = ident(&crate::naming::setter_name(member));
        match &member.http {
            HttpBinding::Header(name) if is_plain_string(symbols, member) => {
                statements.push(quote! {
                    builder = builder.#set(#b::header_string(response.headers(), #name)?);
                });
            }
            HttpBinding::Header(name) => {
                let read = header_value(symbols, member, name);
                statements.push(quote! {
                    if let ::std::option::Option::Some(field) = #b::header_field(response.headers(), #name)? {
                        let text: &str = &field;
                        builder = builder.#set(::std::option::Option::Some(#read));
                    }
                });
            }
            HttpBinding::PrefixHeaders(prefix) => {
                let ShapeKind::Map { value: map_value, .. } = &symbols.model().shape(&member.target).kind else { continue };
                let lower = prefix.to_ascii_lowercase();
                let format = member_format(symbols, map_value, &map_value.target, Location::Header);
                let parse = from_header_text(symbols, &map_value.target, quote!(text), prefix, format);
                statements.push(quote! {
                    {
                        let mut map = ::std::collections::HashMap::new();
                        for name in response.headers().keys() {
                            if let ::std::option::Option::Some(key) = name.as_str().strip_prefix(#lower) {
                                if let ::std::option::Option::Some(field) = #b::header_field(response.headers(), name.as_str())? {
                                    let text: &str = &field;
                                    map.insert(key.to_string(), #parse?);
                                }
                            }
                        }
                        // No header with the prefix reads as an empty map, not
                        // an absent one (the restXml protocol tests say so).
                        builder = builder.#set(::std::option::Option::Some(map));
                    }
                });
            }
            HttpBinding::ResponseCode => {
                statements.push(quote! {
                    builder = builder.#set(::std::option::Option::Some(i32::from(response.status().as_u16())));
                });
            }
            HttpBinding::Payload if member.stream.is_none() => statements.push(payload(symbols, member, &set, codec)),
            _ => {}
        }
    }
    statements.extend(match codec {
        BodyCodec::Json => read_json_body(symbols, members),
        BodyCodec::Xml => read_xml_body(symbols, shape, members),
    });
    from_response_impl(symbols, shape, local_name(protocol.trait_id()), &statements)
}

/// `impl T { pub(crate) fn from_response(response) }` for an output or error
/// of `protocol`: `statements` fill `builder` from `response`, then client
/// error correction and `build()`. Shared by every protocol.
pub fn from_response_impl(symbols: &Symbols<'_>, shape: &Shape, protocol: &str, statements: &[TokenStream]) -> TokenStream {
    let ty = ident(&shape.rust_name);
    let finish = finish_builder(symbols, shape);
    let is_output = matches!(shape.role, crate::ir::Role::Output(_));
    let request_id = if is_output {
        quote! { builder._request_id = ::smithy_runtime::protocol::request_id(response.headers()); }
    } else {
        quote!()
    };
    let builder_mut = if statements.is_empty() && !is_output { quote!() } else { quote!(mut) };
    let response_name = if statements.is_empty() && !is_output { quote!(_response) } else { quote!(response) };
    let docs = format!(" Reads this value from an HTTP response ({protocol}).");
    // An output with a stream takes the response whole and keeps its body
    // unread, as the stream member's value.
    let streamed = match &shape.kind {
        ShapeKind::Structure(members) => members.iter().find(|m| m.stream.is_some()),
        _ => None,
    };
    let (response_ty, take_stream) = match streamed {
        Some(member) => {
            let set = ident(&crate::naming::setter_name(member));
            let value = crate::emit::event_streams::stream_from_body(symbols, member, quote!(response.into_body()));
            (
                quote!(::smithy_runtime::deps::http::Response<crate::primitives::ByteStream>),
                quote! { builder = builder.#set(::std::option::Option::Some(#value)); },
            )
        }
        None => (quote!(&::smithy_runtime::deps::http::Response<::smithy_runtime::deps::bytes::Bytes>), quote!()),
    };
    quote! {
        impl #ty {
            #[doc = #docs]
            pub(crate) fn from_response(#response_name: #response_ty) -> ::std::result::Result<Self, ::smithy_runtime::protocol::DeserializeError> {
                let #builder_mut builder = Self::builder();
                #( #statements )*
                #request_id
                #take_stream
                #finish
            }
        }
    }
}

/// Whether `member` is a string read from a header as it is (no
/// `@mediaType`, so no base64): the runtime's `header_string` reads it.
fn is_plain_string(symbols: &Symbols<'_>, member: &Member) -> bool {
    let target = symbols.model().shape(&member.target);
    matches!(target.kind, ShapeKind::Simple(Simple::String)) && target.media_type.is_none()
}

fn header_value(symbols: &Symbols<'_>, member: &Member, name: &str) -> TokenStream {
    let b = quote!(::smithy_runtime::protocol::http);
    let target = symbols.model().shape(&member.target);
    match &target.kind {
        ShapeKind::List { member: item, .. } => {
            let format = member_format(symbols, item, &item.target, Location::Header);
            let parse = from_header_text(symbols, &item.target, quote!(part.as_str()), name, format);
            let is_http_date = matches!(symbols.model().shape(&item.target).kind, ShapeKind::Simple(Simple::Timestamp))
                && format == crate::traits::TimestampFormat::HttpDate;
            let split = if is_http_date { quote!(#b::split_http_date_list(text)) } else { quote!(#b::split_header_list(text)) };
            if item.optional {
                quote!(#split.iter().map(|part| #parse.map(::std::option::Option::Some)).collect::<::std::result::Result<::std::vec::Vec<_>, _>>()?)
            } else {
                quote!(#split.iter().map(|part| #parse).collect::<::std::result::Result<::std::vec::Vec<_>, _>>()?)
            }
        }
        _ => {
            let format = member_format(symbols, member, &member.target, Location::Header);
            let parse = from_header_text(symbols, &member.target, quote!(text), name, format);
            quote!(#parse?)
        }
    }
}

fn payload(symbols: &Symbols<'_>, member: &Member, set: &proc_macro2::Ident, codec: BodyCodec) -> TokenStream {
    let json_de = quote!(::smithy_runtime::protocol::json_de);
    let xml_de = quote!(::smithy_runtime::protocol::xml_de);
    let target = symbols.model().shape(&member.target);
    let wire = &member.name;
    match &target.kind {
        ShapeKind::Simple(Simple::Blob) => quote! {
            if !response.body().is_empty() {
                builder = builder.#set(::std::option::Option::Some(::smithy_runtime::Blob::new(response.body().to_vec())));
            }
        },
        ShapeKind::Simple(Simple::String) | ShapeKind::Enum(_) => {
            let convert = if matches!(target.kind, ShapeKind::Enum(_)) {
                let ty = symbols.value_type(&member.target);
                quote!(#ty::from(text))
            } else {
                quote!(text.to_string())
            };
            quote! {
                if !response.body().is_empty() {
                    let text = ::std::str::from_utf8(response.body())
                        .map_err(|_| ::smithy_runtime::protocol::DeserializeError::new(#wire, "payload is not valid UTF-8"))?;
                    builder = builder.#set(::std::option::Option::Some(#convert));
                }
            }
        }
        _ if codec == BodyCodec::Xml => {
            let expr = crate::emit::xml_deserializers::de_value(symbols, &member.target, quote!(&root), member.timestamp_format);
            quote! {
                if let ::std::option::Option::Some(root) = #xml_de::parse_optional_body(response.body())? {
                    builder = builder.#set(::std::option::Option::Some(#expr.map_err(|e| e.in_member(#wire))?));
                }
            }
        }
        _ => {
            let expr = de_value(symbols, &member.target, quote!(&document), member.timestamp_format);
            quote! {
                if !response.body().iter().all(u8::is_ascii_whitespace) {
                    let document = #json_de::parse_body(response.body())?;
                    builder = builder.#set(::std::option::Option::Some(#expr.map_err(|e| e.in_member(#wire))?));
                }
            }
        }
    }
}
