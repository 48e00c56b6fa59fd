//! Where a request is serialized: `impl <Op>Input { fn into_request }` for
//! the REST protocols (restJson1, restXml) — method and URI from `@http`
//! (labels, greedy labels), query (`@httpQuery`, `@httpQueryParams`),
//! headers (`@httpHeader`, `@httpPrefixHeaders`), the payload
//! (`@httpPayload`) or the JSON or XML document of the remaining members
//! (the protocol's [`BodyCodec`]), idempotency tokens and `@endpoint` host
//! prefixes.
//! The encoding rules themselves live in `smithy_runtime::protocol`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::http_values::{member_format, to_text, Location};
use crate::emit::json_serializers::{json_document, write_object, write_value};
use crate::emit::xml_serializers::{namespace_statement, write_contents, write_members};
use crate::ir::{local_name, HttpBinding, Member, Operation, Shape, ShapeKind, Simple};
use crate::protocols::{BodyCodec, Protocol};
use crate::symbols::{ident, Symbols};

/// The `into_request` method of an operation's input, for a REST `protocol`.
pub fn into_request(symbols: &Symbols<'_>, op: &Operation, protocol: &dyn Protocol) -> TokenStream {
    let input = symbols.model().shape(&op.input);
    let ShapeKind::Structure(members) = &input.kind else { return TokenStream::new() };
    let Some(http) = &op.http else { return TokenStream::new() };
    let ty = ident(&input.rust_name);
    let b = quote!(::smithy_runtime::protocol::http);
    let (pattern_path, pattern_query) = http.uri.split_once('?').unwrap_or((http.uri.as_str(), ""));
    let (idempotency, input_binding) = idempotency_statements(members);
    let path = path_statements(symbols, members, pattern_path);
    let query = query_statements(symbols, members);
    let headers = header_statements(symbols, members);
    let codec = protocol.request_codec().unwrap_or(BodyCodec::Json);
    let model = symbols.model();
    let streamed = model.stream_member(&op.input);
    let body = match streamed {
        Some(member) => crate::emit::event_streams::request_body(symbols, member),
        None => {
            let body = body_expr(symbols, input, members, codec);
            quote!(let body = #body;)
        }
    };
    let docs = format!(" Serializes this input into an HTTP request ({}).", local_name(protocol.trait_id()));
    let host_prefix = host_prefix_statement(symbols, op, members);
    let method = &http.method;
    let query_literal = pattern_query;
    let uses_input = !members.is_empty();
    let unused = if uses_input { quote!() } else { quote!(let _ = &input;) };
    let query_mut = if members.iter().any(|m| matches!(m.http, HttpBinding::Query(_) | HttpBinding::QueryParams)) { quote!(mut) } else { quote!() };
    let headers_mut = if members.iter().any(|m| matches!(m.http, HttpBinding::Header(_) | HttpBinding::PrefixHeaders(_))) { quote!(mut) } else { quote!() };
    // A streamed body cannot be hashed up front (`left_out` says so).
    let checksum = if op.checksum_required && streamed.is_none() {
        quote! { #b::set_content_md5(&mut request); }
    } else {
        quote!()
    };
    let crate::emit::event_streams::RequestShape { body_ty, build, after, result } = crate::emit::event_streams::request_shape(model, op);
    let request_mut = if host_prefix.is_empty() && checksum.is_empty() && after.is_empty() { quote!() } else { quote!(mut) };
    quote! {
        impl #ty {
            #[doc = #docs]
            pub(crate) fn into_request(self) -> ::std::result::Result<::smithy_runtime::deps::http::Request<#body_ty>, ::smithy_runtime::protocol::SerializeError> {
                let #input_binding = self;
                #unused
                #idempotency
                let mut path = ::std::string::String::new();
                #path
                let #query_mut query = #b::QueryWriter::new(#query_literal);
                #query
                let #headers_mut headers = ::smithy_runtime::deps::http::HeaderMap::new();
                #headers
                #body
                let #request_mut request = #b::#build(#method, path + &query.finish(), headers, body)?;
                #host_prefix
                #checksum
                #after
                ::std::result::Result::Ok(#result)
            }
        }
    }
}

/// Statements that fill unset `@idempotencyToken` members of `input` with a
/// fresh token, and how to bind `input` (`mut input` when there are any).
pub fn idempotency_statements(members: &[Member]) -> (TokenStream, TokenStream) {
    let b = quote!(::smithy_runtime::protocol::http);
    let tokens: Vec<TokenStream> = members
        .iter()
        .filter(|m| m.idempotency_token && m.optional)
        .map(|m| {
            let field = ident(&m.rust_name);
            quote! {
                if input.#field.is_none() {
                    input.#field = ::std::option::Option::Some(#b::idempotency_token());
                }
            }
        })
        .collect();
    let binding = if tokens.is_empty() { quote!(input) } else { quote!(mut input) };
    (quote! { #( #tokens )* }, binding)
}

/// Appends a literal to the `String` named `target` (`push` for one character).
fn push_literal(target: TokenStream, literal: &str) -> TokenStream {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => quote! { #target.push(#c); },
        _ => quote! { #target.push_str(#literal); },
    }
}

/// `input.field` as `&T`, failing with a message when a required binding is unset.
fn required_ref(member: &Member, what: &str) -> TokenStream {
    let field = ident(&member.rust_name);
    if member.optional {
        let message = format!("{what} `{}` must be set", member.name);
        quote!(input.#field.as_ref().ok_or_else(|| ::smithy_runtime::protocol::SerializeError::new(#message))?)
    } else {
        quote!(&input.#field)
    }
}

fn path_statements(symbols: &Symbols<'_>, members: &[Member], pattern: &str) -> TokenStream {
    let b = quote!(::smithy_runtime::protocol::http);
    let mut statements = Vec::new();
    for segment in pattern.split('/').skip(1) {
        let label = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
        match label {
            Some(label) => {
                let greedy = label.ends_with('+');
                let name = label.trim_end_matches('+');
                let Some(member) = members.iter().find(|m| m.name == name) else { continue };
                let value = required_ref(member, "httpLabel");
                let format = member_format(symbols, member, &member.target, Location::Label);
                let text = to_text(symbols, &member.target, quote!(value), format, Location::Label).as_str();
                let wire = &member.name;
                statements.push(quote! {
                    path.push('/');
                    {
                        let value = #value;
                        path.push_str(&#b::label(#text, #wire, #greedy)?);
                    }
                });
            }
            None => {
                statements.push(push_literal(quote!(path), &format!("/{segment}")));
            }
        }
    }
    if statements.is_empty() {
        statements.push(quote! { path.push('/'); });
    }
    quote! { #( #statements )* }
}

fn list_item<'m>(symbols: &'m Symbols<'_>, target: &str) -> Option<&'m Member> {
    match &symbols.model().shape(target).kind {
        ShapeKind::List { member, .. } => Some(member),
        _ => None,
    }
}

fn query_statements(symbols: &Symbols<'_>, members: &[Member]) -> TokenStream {
    let mut statements = Vec::new();
    let explicit_keys: Vec<&str> = members
        .iter()
        .filter_map(|m| if let HttpBinding::Query(key) = &m.http { Some(key.as_str()) } else { None })
        .collect();
    for member in members {
        let field = ident(&member.rust_name);
        match &member.http {
            HttpBinding::Query(key) => {
                let push = match list_item(symbols, &member.target) {
                    Some(item) => {
                        let format = member_format(symbols, item, &item.target, Location::Query);
                        let text = to_text(symbols, &item.target, quote!(item), format, Location::Query).as_str();
                        quote! { for item in value { query.push(#key, #text); } }
                    }
                    None => {
                        let format = member_format(symbols, member, &member.target, Location::Query);
                        let text = to_text(symbols, &member.target, quote!(value), format, Location::Query).as_str();
                        quote! { query.push(#key, #text); }
                    }
                };
                statements.push(bind_value(member, &field, push));
            }
            HttpBinding::QueryParams => {
                let ShapeKind::Map { value: map_value, .. } = &symbols.model().shape(&member.target).kind else { continue };
                let push = match list_item(symbols, &map_value.target) {
                    Some(item) => {
                        let format = member_format(symbols, item, &item.target, Location::Query);
                        let text = to_text(symbols, &item.target, quote!(item), format, Location::Query).as_str();
                        quote! { for item in items { query.push(key, #text); } }
                    }
                    None => {
                        let format = member_format(symbols, map_value, &map_value.target, Location::Query);
                        let text = to_text(symbols, &map_value.target, quote!(item), format, Location::Query).as_str();
                        quote! { let item = items; query.push(key, #text); }
                    }
                };
                let skip = quote! { [#( #explicit_keys ),*].contains(&key.as_str()) };
                let body = quote! {
                    let mut entries: ::std::vec::Vec<_> = value.iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                    for (key, items) in entries {
                        if #skip {
                            continue;
                        }
                        #push
                    }
                };
                statements.push(bind_value(member, &field, body));
            }
            _ => {}
        }
    }
    quote! { #( #statements )* }
}

/// Runs `body` with `value` bound to the member's value when it is set.
fn bind_value(member: &Member, field: &proc_macro2::Ident, body: TokenStream) -> TokenStream {
    if member.optional {
        quote! {
            if let ::std::option::Option::Some(value) = &input.#field {
                #body
            }
        }
    } else {
        quote! {
            {
                let value = &input.#field;
                #body
            }
        }
    }
}

fn header_statements(symbols: &Symbols<'_>, members: &[Member]) -> TokenStream {
    let b = quote!(::smithy_runtime::protocol::http);
    let mut statements = Vec::new();
    for member in members {
        let field = ident(&member.rust_name);
        match &member.http {
            HttpBinding::Header(name) => {
                let text = match list_item(symbols, &member.target) {
                    Some(item) => {
                        let format = member_format(symbols, item, &item.target, Location::Header);
                        let each = to_text(symbols, &item.target, quote!(item), format, Location::Header).value();
                        let is_timestamp = matches!(symbols.model().shape(&item.target).kind, ShapeKind::Simple(Simple::Timestamp));
                        if is_timestamp {
                            quote!(&value.iter().map(|item| #each).collect::<::std::vec::Vec<_>>().join(", "))
                        } else {
                            quote!(&#b::header_list(value.iter().map(|item| #each)))
                        }
                    }
                    None => {
                        let format = member_format(symbols, member, &member.target, Location::Header);
                        to_text(symbols, &member.target, quote!(value), format, Location::Header).as_str()
                    }
                };
                statements.push(bind_value(member, &field, quote! {
                    #b::insert_header(&mut headers, #name, #text)?;
                }));
            }
            HttpBinding::PrefixHeaders(prefix) => {
                let ShapeKind::Map { value: map_value, .. } = &symbols.model().shape(&member.target).kind else { continue };
                let format = member_format(symbols, map_value, &map_value.target, Location::Header);
                let text = to_text(symbols, &map_value.target, quote!(item), format, Location::Header).as_str();
                statements.push(bind_value(member, &field, quote! {
                    for (key, item) in value {
                        #b::insert_header(&mut headers, &::std::format!("{}{}", #prefix, key), #text)?;
                    }
                }));
            }
            _ => {}
        }
    }
    quote! { #( #statements )* }
}

fn body_expr(symbols: &Symbols<'_>, input: &Shape, members: &[Member], codec: BodyCodec) -> TokenStream {
    if let Some(member) = members.iter().find(|m| m.http == HttpBinding::Payload) {
        let field = ident(&member.rust_name);
        let target: &Shape = symbols.model().shape(&member.target);
        let (content_type, bytes) = match &target.kind {
            ShapeKind::Simple(Simple::Blob) => (
                target.media_type.clone().unwrap_or_else(|| "application/octet-stream".to_string()),
                quote!(::smithy_runtime::deps::bytes::Bytes::from(value.as_ref().to_vec())),
            ),
            ShapeKind::Simple(Simple::String) => (
                target.media_type.clone().unwrap_or_else(|| "text/plain".to_string()),
                quote!(::smithy_runtime::deps::bytes::Bytes::from(::std::clone::Clone::clone(value))),
            ),
            ShapeKind::Enum(_) => (
                "text/plain".to_string(),
                quote!(::smithy_runtime::deps::bytes::Bytes::from(value.as_str().to_string())),
            ),
            _ => match codec {
                BodyCodec::Json => {
                    let write = write_value(symbols, &member.target, quote!(value), member.timestamp_format);
                    ("application/json".to_string(), json_document(write))
                }
                BodyCodec::Xml => {
                    // The payload is the root element: named after the member's
                    // `@xmlName`, else the target's; its namespace likewise.
                    let name = member.xml.name.as_deref().or(target.xml_name.as_deref()).unwrap_or(local_name(&target.id));
                    let namespace = member.xml.namespace.as_ref().or(target.xml_namespace.as_ref());
                    let contents = write_contents(symbols, &member.target, quote!(value), member.timestamp_format);
                    ("application/xml".to_string(), xml_document(name, namespace_statement(namespace), contents))
                }
            },
        };
        // An unset structure payload is sent as `{}` in JSON; an unset union,
        // document, blob or string payload, or any unset XML payload, as no
        // body at all.
        let is_structure = matches!(target.kind, ShapeKind::Structure(_));
        let when_unset = if is_structure && codec == BodyCodec::Json {
            quote!(::std::option::Option::Some((#content_type, ::smithy_runtime::deps::bytes::Bytes::from_static(b"{}"))))
        } else {
            quote!(::std::option::Option::None)
        };
        // Blobs, strings and enums convert without `?`, so `Option::map` fits.
        let converts_infallibly = matches!(target.kind, ShapeKind::Simple(Simple::Blob | Simple::String) | ShapeKind::Enum(_));
        if member.optional && converts_infallibly {
            quote! { input.#field.as_ref().map(|value| (#content_type, #bytes)) }
        } else if member.optional {
            quote! {
                match &input.#field {
                    ::std::option::Option::Some(value) => ::std::option::Option::Some((#content_type, #bytes)),
                    ::std::option::Option::None => #when_unset,
                }
            }
        } else {
            quote! { { let value = &input.#field; ::std::option::Option::Some((#content_type, #bytes)) } }
        }
    } else if members.iter().any(|m| m.http == HttpBinding::Body) {
        match codec {
            BodyCodec::Json => {
                let document = json_document(write_object(symbols, members, quote!(input), true));
                quote!(::std::option::Option::Some(("application/json", #document)))
            }
            BodyCodec::Xml => {
                // The document's root is named after the input structure
                // (its `@xmlName`, or the original name the lowering kept);
                // its namespace is the structure's or the service's.
                let name = input.xml_name.as_deref().unwrap_or(local_name(&input.id));
                let namespace = input.xml_namespace.as_ref().or(symbols.model().service.xml_namespace.as_ref());
                let writes = write_members(symbols, members, quote!(input), true);
                let document = xml_document(name, namespace_statement(namespace), writes);
                quote!(::std::option::Option::Some(("application/xml", #document)))
            }
        }
    } else {
        quote!(::std::option::Option::None)
    }
}

/// A block building an XML document whose root element is `name`, with a
/// namespace declaration and `contents` written by a local `writer`; its
/// value is the document's `Bytes`.
fn xml_document(name: &str, namespace: TokenStream, contents: TokenStream) -> TokenStream {
    quote! {
        {
            let mut xml = ::smithy_runtime::protocol::xml_ser::XmlWriter::new();
            let writer = &mut xml;
            writer.start(#name);
            #namespace
            #contents
            writer.end();
            xml.finish()
        }
    }
}

/// Statements that put the operation's `@endpoint` host prefix (labels filled
/// from `@hostLabel` members) on `request`; empty without a host prefix.
pub fn host_prefix_statement(symbols: &Symbols<'_>, op: &Operation, members: &[Member]) -> TokenStream {
    let Some(prefix) = &op.host_prefix else { return TokenStream::new() };
    let b = quote!(::smithy_runtime::protocol::http);
    let mut pieces = Vec::new();
    let mut rest = prefix.as_str();
    while let Some(start) = rest.find('{') {
        let literal = &rest[..start];
        if !literal.is_empty() {
            pieces.push(push_literal(quote!(prefix), literal));
        }
        let Some(end) = rest[start..].find('}') else { break };
        let name = &rest[start + 1..start + end];
        if let Some(member) = members.iter().find(|m| m.name == name) {
            let value = required_ref(member, "hostLabel");
            let text = to_text(symbols, &member.target, quote!(value), crate::traits::TimestampFormat::DateTime, Location::Label).as_str();
            let wire = &member.name;
            pieces.push(quote! {
                {
                    let value = #value;
                    prefix.push_str(&#b::host_label(#text, #wire)?);
                }
            });
        }
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(push_literal(quote!(prefix), rest));
    }
    quote! {
        let mut prefix = ::std::string::String::new();
        #( #pieces )*
        request.extensions_mut().insert(#b::HostPrefix(prefix));
    }
}
