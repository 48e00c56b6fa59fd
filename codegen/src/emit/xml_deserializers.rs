//! XML deserializers for shapes received in response and error bodies
//! (`src/xml_de.rs` of the generated crate, for restXml, awsQuery and
//! ec2Query): one function per structure, union, list and map, reading an
//! element of the tree `smithy_runtime::protocol::xml_de::parse_body`
//! builds. Members are found by their `@xmlName` (or member name), as child
//! elements or, with `@xmlAttribute`, attributes; lists are wrapped
//! (`<member>` items, or the list member's `@xmlName`) or, with
//! `@xmlFlattened`, repeated in place; maps are `<entry><key>…<value>…`
//! entries, wrapped or flattened. Unknown elements are skipped, and a union
//! whose one child is unknown becomes `Unknown`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::aggregates::{aggregate_functions, in_response_body, shapes_needing_de, AggregateEmitters};
use crate::emit::json_deserializers::{finish_builder, union_deserializer};
use crate::emit::json_serializers::timestamp_format_tokens;
use crate::ir::{Member, Role, Shape, ShapeKind, Simple};
use crate::protocols::BodyCodec;
use crate::symbols::{ident, Symbols};
use crate::traits::TimestampFormat;

/// The deserializer function of an aggregate shape, e.g. `de_stage`.
pub fn de_fn(shape: &Shape) -> proc_macro2::Ident {
    format_ident!("de_{}", crate::naming::shape_fn_suffix(shape))
}

/// A member's element or attribute name as the model writes it: its
/// `@xmlName` (which may carry a prefix, `xsi:type`) or the member name.
pub fn xml_name(member: &Member) -> &str {
    member.xml.name.as_deref().unwrap_or(&member.name)
}

/// The local name of a member's element (`xml_name` without its prefix).
pub fn element_name(member: &Member) -> &str {
    local_part(xml_name(member))
}

/// The local part of an XML name (`type` for `xsi:type`): what the parsed
/// tree's element names are.
pub fn local_part(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// The element name of a wrapped list's items: the list member's
/// `@xmlName`, else `member`.
pub fn list_item_name(item: &Member) -> &str {
    item.xml.name.as_deref().unwrap_or("member")
}

/// The element names of a map entry's key and value: their `@xmlName`, else
/// `key` and `value`.
pub fn map_entry_names<'m>(key: &'m Member, value: &'m Member) -> (&'m str, &'m str) {
    (key.xml.name.as_deref().unwrap_or("key"), value.xml.name.as_deref().unwrap_or("value"))
}

/// A timestamp member's format in an XML body: the member's or target's
/// `@timestampFormat`, else date-time.
pub fn xml_timestamp_format(shape: &Shape, member_format: Option<TimestampFormat>) -> TimestampFormat {
    member_format.or(shape.timestamp_format).unwrap_or(TimestampFormat::DateTime)
}

/// An expression of type `Result<T, DeserializeError>` reading a scalar
/// (simple type or enum) of `target` from `text: &str`, the text of an
/// element or an attribute.
pub fn de_text(symbols: &Symbols<'_>, target: &str, text: TokenStream, format: Option<TimestampFormat>) -> TokenStream {
    let shape = symbols.model().shape(target);
    let xml_de = quote!(::smithy_runtime::protocol::xml_de);
    let value_ty = symbols.value_type(target);
    match &shape.kind {
        ShapeKind::Simple(simple) => match simple {
            Simple::String => quote!(#xml_de::string(#text, "")),
            Simple::Boolean => quote!(#xml_de::boolean(#text, "")),
            Simple::Byte => quote!(#xml_de::i8(#text, "")),
            Simple::Short => quote!(#xml_de::i16(#text, "")),
            Simple::Integer => quote!(#xml_de::i32(#text, "")),
            Simple::Long => quote!(#xml_de::i64(#text, "")),
            Simple::Float => quote!(#xml_de::f32(#text, "")),
            Simple::Double => quote!(#xml_de::f64(#text, "")),
            Simple::Timestamp => {
                let format = timestamp_format_tokens(xml_timestamp_format(shape, format));
                quote!(#xml_de::timestamp(#text, "", #format))
            }
            Simple::Blob => quote!(#xml_de::blob(#text, "")),
            Simple::BigInteger => quote!(#xml_de::big_integer(#text, "")),
            Simple::BigDecimal => quote!(#xml_de::big_decimal(#text, "")),
            Simple::Document => quote!(#xml_de::document(#text, "")),
        },
        ShapeKind::Enum(_) => {
            let ty = symbols.value_type(target);
            quote!(#xml_de::string(#text, "").map(|text| #ty::from(text.as_str())))
        }
        ShapeKind::IntEnum(_) => {
            let ty = symbols.value_type(target);
            quote!(#xml_de::i32(#text, "").map(#ty::from))
        }
        // An `@xmlAttribute` on an aggregate: the model is wrong, the read fails.
        _ => quote!(::std::result::Result::<#value_ty, _>::Err(::smithy_runtime::protocol::DeserializeError::new("", "an XML attribute cannot hold a structure, union, list or map"))),
    }
}

/// An expression of type `Result<T, DeserializeError>` reading a value of
/// `target` from `element: &XmlElement`; an error's path is relative to it.
pub fn de_value(symbols: &Symbols<'_>, target: &str, element: TokenStream, format: Option<TimestampFormat>) -> TokenStream {
    let shape = symbols.model().shape(target);
    match &shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List { .. } | ShapeKind::Map { .. } => {
            let function = de_fn(shape);
            quote!(crate::xml_de::#function(#element))
        }
        _ => de_text(symbols, target, quote!(#element.text()), format),
    }
}

/// A function reading a list item or map value from its element: the
/// item's deserializer itself, or a closure (scalars, and the `Some(…)`
/// items of sparse collections).
fn item_reader(symbols: &Symbols<'_>, member: &Member) -> TokenStream {
    let shape = symbols.model().shape(&member.target);
    let aggregate = matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List { .. } | ShapeKind::Map { .. });
    if aggregate && !member.optional {
        let function = de_fn(shape);
        return quote!(crate::xml_de::#function);
    }
    let expr = de_value(symbols, &member.target, quote!(item), member.timestamp_format);
    if member.optional {
        quote!(|item| #expr.map(::std::option::Option::Some))
    } else {
        quote!(|item| #expr)
    }
}

/// `xml_de::list(items, …)` reading every element of `items` (an iterator
/// of `&XmlElement`) as a list item.
fn read_list(symbols: &Symbols<'_>, item: &Member, items: TokenStream) -> TokenStream {
    let read = item_reader(symbols, item);
    quote!(::smithy_runtime::protocol::xml_de::list(#items, #read))
}

/// `xml_de::map(entries, …)` reading every element of `entries` as a map entry.
fn read_map(symbols: &Symbols<'_>, key: &Member, value: &Member, entries: TokenStream) -> TokenStream {
    let (key_name, value_name) = map_entry_names(key, value);
    let read = item_reader(symbols, value);
    quote!(::smithy_runtime::protocol::xml_de::map(#entries, #key_name, #value_name, #read))
}

/// Statements that read `members` of a structure from the children and
/// attributes of a local `element: &XmlElement` into `builder`: only the
/// body-bound ones for an operation output or error (`only_body`), all of
/// them for nested shapes. Absent members are left unset.
pub fn read_xml_members(symbols: &Symbols<'_>, members: &[Member], only_body: bool) -> TokenStream {
    let xml_de = quote!(::smithy_runtime::protocol::xml_de);
    let reads = members.iter().filter(|m| !only_body || in_response_body(m)).map(|m| {
        let set = ident(&crate::naming::setter_name(m));
        let written = xml_name(m);
        let name = local_part(written);
        let some = |expr: TokenStream| {
            quote!(builder = builder.#set(::std::option::Option::Some(#expr.map_err(|e| e.in_member(#name))?));)
        };
        if m.xml.attribute {
            let assign = some(de_text(symbols, &m.target, quote!(text), m.timestamp_format));
            return quote! {
                if let ::std::option::Option::Some(text) = element.attribute(#written) {
                    #assign
                }
            };
        }
        let flattened = match &symbols.model().shape(&m.target).kind {
            ShapeKind::List { member: item, .. } if m.xml.flattened => {
                Some(read_list(symbols, item, quote!(#xml_de::children(element, #name))))
            }
            ShapeKind::Map { key, value, .. } if m.xml.flattened => {
                Some(read_map(symbols, key, value, quote!(#xml_de::children(element, #name))))
            }
            _ => None,
        };
        match flattened {
            Some(read) => {
                let assign = some(read);
                quote! {
                    if element.child(#name).is_some() {
                        #assign
                    }
                }
            }
            None => {
                let assign = some(de_value(symbols, &m.target, quote!(item), m.timestamp_format));
                quote! {
                    if let ::std::option::Option::Some(item) = element.child(#name) {
                        #assign
                    }
                }
            }
        }
    });
    quote! { #( #reads )* }
}

/// Statements that read the members travelling in an XML response body
/// into `builder`: from the root element of an output, from the `<Error>`
/// element (`xml_errors::error_element`) of an error. `None` when no
/// member travels in the body (it is then not parsed at all); an empty body
/// leaves every member unset.
pub fn read_xml_body(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> Option<TokenStream> {
    if !members.iter().any(in_response_body) {
        return None;
    }
    let protocol = quote!(::smithy_runtime::protocol);
    if let Some(reads) = read_unwrapped(symbols, shape, members) {
        return Some(quote! {
            if let ::std::option::Option::Some(root) = #protocol::xml_de::parse_optional_body(response.body())? {
                #reads
            }
        });
    }
    let reads = read_xml_members(symbols, members, true);
    let element = if matches!(shape.role, Role::Error(_)) {
        quote!(#protocol::xml_errors::error_element(&root))
    } else {
        quote!(::std::option::Option::Some(&root))
    };
    Some(quote! {
        if let ::std::option::Option::Some(root) = #protocol::xml_de::parse_optional_body(response.body())? {
            if let ::std::option::Option::Some(element) = #element {
                #reads
            }
        }
    })
}

/// For the output of an `s3UnwrappedXmlOutput` operation with one body
/// member: statements reading that member from `root` itself.
fn read_unwrapped(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> Option<TokenStream> {
    let Role::Output(op_id) = &shape.role else { return None };
    let op = symbols.model().operations.iter().find(|op| &op.id == op_id)?;
    let mut body = members.iter().filter(|m| in_response_body(m));
    let (Some(member), None) = (body.next(), body.next()) else { return None };
    if !op.unwrapped_xml_output {
        return None;
    }
    let set = ident(&crate::naming::setter_name(member));
    let name = element_name(member);
    let read = de_value(symbols, &member.target, quote!(item), member.timestamp_format);
    Some(quote! {
        let item = &root;
        builder = builder.#set(::std::option::Option::Some(#read.map_err(|e| e.in_member(#name))?));
    })
}

fn structure_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let function = de_fn(shape);
    let ty = symbols.type_path(shape);
    let reads = read_xml_members(symbols, members, false);
    let finish = finish_builder(symbols, shape);
    let builder_mut = if members.is_empty() { quote!() } else { quote!(mut) };
    let element = if members.is_empty() { quote!(_element) } else { quote!(element) };
    quote! {
        pub(crate) fn #function(#element: &::smithy_runtime::protocol::xml_de::XmlElement) -> ::std::result::Result<#ty, ::smithy_runtime::protocol::DeserializeError> {
            let #builder_mut builder = #ty::builder();
            #reads
            #finish
        }
    }
}

fn union_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let read = |m: &Member| de_value(symbols, &m.target, quote!(item), m.timestamp_format);
    let input = quote!(&::smithy_runtime::protocol::xml_de::XmlElement);
    union_deserializer(symbols, shape, members, input, quote!(::smithy_runtime::protocol::xml_de), element_name, &read)
}

fn list_fn(symbols: &Symbols<'_>, shape: &Shape, member: &Member) -> TokenStream {
    let function = de_fn(shape);
    let ty = symbols.value_type(&shape.id);
    let item_name = local_part(list_item_name(member));
    let read = read_list(symbols, member, quote!(::smithy_runtime::protocol::xml_de::children(element, #item_name)));
    quote! {
        pub(crate) fn #function(element: &::smithy_runtime::protocol::xml_de::XmlElement) -> ::std::result::Result<#ty, ::smithy_runtime::protocol::DeserializeError> {
            #read
        }
    }
}

fn map_fn(symbols: &Symbols<'_>, shape: &Shape, key: &Member, value: &Member) -> TokenStream {
    let function = de_fn(shape);
    let ty = symbols.value_type(&shape.id);
    let read = read_map(symbols, key, value, quote!(::smithy_runtime::protocol::xml_de::children(element, "entry")));
    quote! {
        pub(crate) fn #function(element: &::smithy_runtime::protocol::xml_de::XmlElement) -> ::std::result::Result<#ty, ::smithy_runtime::protocol::DeserializeError> {
            #read
        }
    }
}

/// `src/xml_de.rs`.
pub fn xml_de_module(symbols: &Symbols<'_>) -> TokenStream {
    let emitters = AggregateEmitters { structure: structure_fn, union: union_fn, list: list_fn, map: map_fn };
    let functions = aggregate_functions(symbols, shapes_needing_de(symbols.model(), BodyCodec::Xml), &emitters);
    quote! {
        //! XML deserializers for shapes received in response and error bodies.

        #( #functions )*
    }
}

#[cfg(test)]
mod tests {
    use super::read_xml_body;
    use crate::ir::ShapeKind;
    use crate::lower::tests::lower_str;
    use crate::symbols::Symbols;

    fn body_reader(unwrapped: bool) -> String {
        let traits = if unwrapped { r#""aws.customizations#s3UnwrappedXmlOutput": {},"# } else { "" };
        let model = lower_str(&format!(
            r#"{{"s#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "s#Where"}}],
                          "traits": {{"aws.protocols#restXml": {{}}}}}},
                "s#Where": {{"type": "operation", "output": {{"target": "s#WhereOut"}},
                            "traits": {{{traits} "smithy.api#http": {{"method": "GET", "uri": "/?location"}}}}}},
                "s#WhereOut": {{"type": "structure", "members": {{"Place": {{"target": "smithy.api#String", "traits": {{"smithy.api#xmlName": "LocationConstraint"}}}}}}}}}}"#
        ));
        let symbols = Symbols::new(&model);
        let output = model.shape(&model.operations[0].output);
        let ShapeKind::Structure(members) = &output.kind else { panic!("a structure") };
        read_xml_body(&symbols, output, members).map(|tokens| tokens.to_string()).unwrap_or_default()
    }

    #[test]
    fn an_unwrapped_output_reads_its_member_from_the_root() {
        let unwrapped = body_reader(true);
        assert!(unwrapped.contains("let item = & root ;"), "{unwrapped}");
        assert!(unwrapped.contains("string (item . text ()"), "{unwrapped}");
        assert!(!unwrapped.contains("child"), "{unwrapped}");
        let wrapped = body_reader(false);
        assert!(wrapped.contains("element . child (\"LocationConstraint\")"), "{wrapped}");
    }
}
