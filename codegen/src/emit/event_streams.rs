//! Streams: how a streaming blob or an event stream becomes a request body
//! and how a response body becomes one, and the generated crate's
//! `src/event_streams.rs` — one `unmarshal_<union>` function per event
//! union the client receives (a message to an event or a modeled
//! exception), one `marshal_<union>` per union it sends (an event to a
//! message). Event structures travel in the protocol's codec (the JSON or
//! XML (de)serializers of the other shapes), `@eventHeader` members as
//! message headers and an `@eventPayload` member as the raw payload. The
//! framing, signing and reading loop live in `smithy_runtime::event_stream`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::doc_comments::doc_attrs;
use crate::ir::{Member, Model, Operation, Role, Shape, ShapeKind, Simple, StreamKind};
use crate::protocols::BodyCodec;
use crate::symbols::{ident, Symbols};

/// The function `marshal_<union>` or `unmarshal_<union>` of `crate::event_streams`.
pub fn codec_fn(direction: &str, union: &Shape) -> Ident {
    ident(&crate::naming::event_stream_fn_name(direction, &union.rust_name))
}

/// The value a stream member gets from a response body `body` (a `ByteStream`).
pub fn stream_from_body(symbols: &Symbols<'_>, member: &Member, body: TokenStream) -> TokenStream {
    match member.stream {
        Some(StreamKind::OutputEvents) => {
            let unmarshal = codec_fn("unmarshal", symbols.model().shape(&member.target));
            quote!(crate::primitives::event_stream::EventReceiver::new(#body, crate::event_streams::#unmarshal))
        }
        _ => body,
    }
}

/// What `into_request` builds for `op`: the body type, the runtime function
/// that builds the request, statements after it (the event signing slot)
/// and the request returned.
pub struct RequestShape {
    pub body_ty: TokenStream,
    pub build: Ident,
    pub after: TokenStream,
    pub result: TokenStream,
}

/// How `into_request` of `op` builds its request: `Bytes` bodies for
/// operations without streams; a `ByteStream` (`build_streaming_request`)
/// for a streaming input; the buffered request turned into a `ByteStream`
/// one when only the output streams (the call path is the streaming one).
pub fn request_shape(model: &Model, op: &Operation) -> RequestShape {
    let bytes = quote!(::smithy_runtime::deps::bytes::Bytes);
    let stream = quote!(crate::primitives::ByteStream);
    let input_stream = model.stream_member(&op.input).and_then(|m| m.stream);
    match input_stream {
        Some(kind) => RequestShape {
            body_ty: stream,
            build: ident("build_streaming_request"),
            after: if kind == StreamKind::InputEvents {
                quote! { request.extensions_mut().insert(slot); }
            } else {
                quote!()
            },
            result: quote!(request),
        },
        None if model.streams(op) => RequestShape {
            body_ty: stream.clone(),
            build: ident("build_request"),
            after: quote!(),
            result: quote!(request.map(#stream::from)),
        },
        None => RequestShape { body_ty: bytes, build: ident("build_request"), after: quote!(), result: quote!(request) },
    }
}

/// Statements binding `body` (an `Option<(&'static str, ByteStream)>`) from
/// the input's stream member, and for an event stream the `slot` the call
/// path fills with the request's signature (`EventStreamSender::into_body`:
/// the frames, signed once the slot is set, then the end frame).
pub fn request_body(symbols: &Symbols<'_>, member: &Member) -> TokenStream {
    let field = ident(&member.rust_name);
    let target = symbols.model().shape(&member.target);
    match member.stream {
        Some(StreamKind::InputEvents) => {
            let marshal = codec_fn("marshal", target);
            let es = quote!(crate::primitives::event_stream);
            let sender = if member.optional {
                let message = format!("the event stream `{}` must be set", member.name);
                quote!(input.#field.ok_or_else(|| ::smithy_runtime::protocol::SerializeError::new(#message))?)
            } else {
                quote!(input.#field)
            };
            quote! {
                let slot = #es::SigningSlot::new();
                let events = #sender.into_body(crate::event_streams::#marshal, ::std::option::Option::None, ::std::clone::Clone::clone(&slot));
                let body = ::std::option::Option::Some(("application/vnd.amazon.eventstream", events));
            }
        }
        _ => {
            let content_type = target.media_type.clone().unwrap_or_else(|| "application/octet-stream".to_string());
            if member.optional {
                quote! { let body = input.#field.map(|value| (#content_type, value)); }
            } else {
                quote! { let body = ::std::option::Option::Some((#content_type, input.#field)); }
            }
        }
    }
}

/// Whether a union member is one of the stream's modeled exceptions
/// (targets an `@error` structure), not an event.
pub fn is_exception(model: &Model, member: &Member) -> bool {
    matches!(model.shape(&member.target).role, Role::Error(_))
}

/// The members of a structure bound to message headers, and the one bound
/// to the payload.
fn event_bindings(shape: &Shape) -> (Vec<&Member>, Option<&Member>) {
    match &shape.kind {
        ShapeKind::Structure(members) => {
            (members.iter().filter(|m| m.event_header).collect(), members.iter().find(|m| m.event_payload))
        }
        _ => (Vec::new(), None),
    }
}

/// The shapes an event structure sends or receives through the body codec:
/// its `@eventPayload` member's target, or the structure itself when no
/// member is the payload; the exceptions too for a received stream. For the
/// codecs' reachability walks.
pub fn codec_roots(model: &Model, member: &Member) -> Vec<String> {
    let ShapeKind::Union(members) = &model.shape(&member.target).kind else { return Vec::new() };
    let receives = member.stream == Some(StreamKind::OutputEvents);
    members
        .iter()
        .filter(|m| !model.shape(&m.target).unit && (receives || !is_exception(model, m)))
        .flat_map(|m| {
            let event = model.shape(&m.target);
            match event_bindings(event) {
                (_, Some(payload)) => vec![payload.target.clone()],
                // A sent event's document leaves its header members out, so
                // it is written member by member.
                (headers, None) if !receives && !headers.is_empty() => match &event.kind {
                    ShapeKind::Structure(members) => members.iter().filter(|m| !m.event_header).map(|m| m.target.clone()).collect(),
                    _ => Vec::new(),
                },
                (_, None) => vec![event.id.clone()],
            }
        })
        .collect()
}

/// The union's event members (its `@error` members are the error enum's).
pub fn event_members(model: &Model, members: &[Member]) -> Vec<Member> {
    members.iter().filter(|m| !is_exception(model, m)).cloned().collect()
}

/// The error enum of an event union: one variant per `@error` member plus
/// `Unhandled`, like an operation's error enum.
pub fn event_stream_error(symbols: &Symbols<'_>, union: &Shape) -> TokenStream {
    let model = symbols.model();
    let ShapeKind::Union(members) = &union.kind else { return TokenStream::new() };
    let name = ident(&crate::naming::event_stream_error_name(&union.rust_name));
    let variants: Vec<(Ident, &Shape)> = members
        .iter()
        .filter(|m| is_exception(model, m))
        .map(|m| (ident(&m.rust_name), model.shape(&m.target)))
        .collect();
    let docs = format!(
        "An exception the `{}` event stream can send: one variant per exception the model lists, plus `Unhandled`.",
        union.rust_name
    );
    crate::emit::operation_errors::error_enum(symbols, &name, &docs, &variants, quote!())
}

/// `src/event_streams.rs`: the marshal and unmarshal functions of every
/// event union the client sends or receives.
pub fn event_streams_module(symbols: &Symbols<'_>) -> TokenStream {
    let model = symbols.model();
    let codec = crate::protocols::for_model(model).map_or(BodyCodec::Json, |p| p.response_codec());
    let functions = model.event_streams().into_iter().map(|(union, kind)| match kind {
        StreamKind::InputEvents => marshal_fn(symbols, union),
        _ => unmarshal_fn(symbols, union, codec),
    });
    quote! {
        //! Event-stream messages to and from the event unions: the functions
        //! the runtime's `EventReceiver` and `EventStreamSender` call.

        #( #functions )*
    }
}

fn unmarshal_fn(symbols: &Symbols<'_>, union: &Shape, codec: BodyCodec) -> TokenStream {
    let model = symbols.model();
    let ShapeKind::Union(members) = &union.kind else { return TokenStream::new() };
    let function = codec_fn("unmarshal", union);
    let ty = symbols.type_path(union);
    let error_ty = symbols.event_stream_error_path(union);
    let es = quote!(crate::primitives::event_stream);
    let de_error = quote!(::smithy_runtime::protocol::DeserializeError);
    let event_arms = members.iter().filter(|m| !is_exception(model, m)).map(|m| {
        let wire = &m.name;
        let variant = ident(&m.rust_name);
        if model.shape(&m.target).unit {
            return quote! { ::std::option::Option::Some(#wire) => #ty::#variant, };
        }
        let read = read_event(symbols, model.shape(&m.target), codec);
        quote! { ::std::option::Option::Some(#wire) => #ty::#variant(#read), }
    });
    let error_arms: Vec<TokenStream> = members.iter().filter(|m| is_exception(model, m)).map(|m| {
        let wire = &m.name;
        let variant = ident(&m.rust_name);
        let read = read_event(symbols, model.shape(&m.target), codec);
        quote! {
            ::std::option::Option::Some(#wire) => {
                let mut error = #read;
                let meta = ::smithy_runtime::protocol::ErrorMetadata::builder()
                    .code(#wire)
                    .set_message(error.message().map(::std::borrow::ToOwned::to_owned))
                    .build();
                error.set_meta(meta);
                #error_ty::#variant(error)
            }
        }
    }).collect();
    let unhandled = quote! {
        #error_ty::Unhandled(::smithy_runtime::client::Unhandled::new(message.exception_metadata(), ::std::option::Option::None))
    };
    let exception = if error_arms.is_empty() {
        unhandled
    } else {
        quote! {
            match message.header_str(":exception-type") {
                #( #error_arms )*
                _ => #unhandled,
            }
        }
    };
    let docs = doc_attrs(&format!("Reads one message of the `{}` event stream.", union.rust_name));
    quote! {
        #docs
        pub(crate) fn #function(message: &#es::Message) -> ::std::result::Result<#es::Unmarshalled<#ty, #error_ty>, #de_error> {
            match message.header_str(":message-type") {
                ::std::option::Option::Some("event") => ::std::result::Result::Ok(#es::Unmarshalled::Event(match message.header_str(":event-type") {
                    #( #event_arms )*
                    _ => #ty::Unknown,
                })),
                ::std::option::Option::Some("exception") => ::std::result::Result::Ok(#es::Unmarshalled::Error(#exception)),
                other => ::std::result::Result::Err(#de_error::new(":message-type", ::std::format!("unexpected message type {other:?}"))),
            }
        }
    }
}

/// An expression (with `?`) reading the event structure `event` from
/// `message`: its payload member from the raw payload, or the whole
/// structure from the payload document; header members from the headers.
fn read_event(symbols: &Symbols<'_>, event: &Shape, codec: BodyCodec) -> TokenStream {
    let (headers, payload) = event_bindings(event);
    let ty = symbols.type_path(event);
    let header_reads = headers.iter().map(|m| {
        let field = ident(&m.rust_name);
        let wire = &m.name;
        let read = header_value(symbols, m);
        let value = if m.optional { quote!(::std::option::Option::Some(#read)) } else { read };
        quote! {
            if let ::std::option::Option::Some(header) = message.header(#wire) {
                value.#field = #value;
            }
        }
    });
    let header_reads: Vec<TokenStream> = header_reads.collect();
    let base = match payload {
        Some(member) => {
            let set = ident(&crate::naming::setter_name(member));
            let read = raw_payload(symbols, member, codec);
            let build = built(symbols, event, quote!(#ty::builder().#set(#read)));
            quote!({ #build })
        }
        None => document(symbols, &event.id, codec),
    };
    if header_reads.is_empty() {
        base
    } else {
        quote! {
            {
                let mut value = #base;
                #( #header_reads )*
                value
            }
        }
    }
}

/// An `Option<T>` expression (with `?`) reading member `member` from the
/// whole payload: bytes, text, or a structure in the codec's document.
fn raw_payload(symbols: &Symbols<'_>, member: &Member, codec: BodyCodec) -> TokenStream {
    let target = symbols.model().shape(&member.target);
    let wire = &member.name;
    match &target.kind {
        ShapeKind::Simple(Simple::Blob) => {
            quote!(::std::option::Option::Some(crate::primitives::Blob::new(message.payload.to_vec())))
        }
        ShapeKind::Simple(Simple::String) => quote! {
            ::std::option::Option::Some(::std::string::String::from(::std::str::from_utf8(&message.payload)
                .map_err(|_| ::smithy_runtime::protocol::DeserializeError::new(#wire, "payload is not valid UTF-8"))?))
        },
        _ => {
            let read = document(symbols, &member.target, codec);
            quote!(::std::option::Option::Some(#read))
        }
    }
}

/// An expression (with `?`) reading a structure or union from the payload
/// as the codec's document (an empty payload reads as an empty structure).
fn document(symbols: &Symbols<'_>, id: &str, codec: BodyCodec) -> TokenStream {
    match codec {
        BodyCodec::Json => {
            let read = crate::emit::json_deserializers::de_value(symbols, id, quote!(&document), None);
            quote! {
                {
                    // `parse_body` reads an empty payload as an empty object.
                    let document = ::smithy_runtime::protocol::json_de::parse_body(&message.payload)?;
                    #read?
                }
            }
        }
        BodyCodec::Xml => {
            let read = crate::emit::xml_deserializers::de_value(symbols, id, quote!(&root), None);
            let ty = symbols.value_type(id);
            let empty = match &symbols.model().shape(id).kind {
                ShapeKind::Structure(_) => {
                    let build = built(symbols, symbols.model().shape(id), quote!(#ty::builder()));
                    quote!({ #build })
                }
                _ => quote!(#ty::Unknown),
            };
            quote! {
                match ::smithy_runtime::protocol::xml_de::parse_optional_body(&message.payload)? {
                    ::std::option::Option::Some(root) => #read?,
                    ::std::option::Option::None => #empty,
                }
            }
        }
    }
}

/// Statements ending in the built structure `shape` (with `?`) from the
/// builder expression `builder`, after client error correction.
fn built(symbols: &Symbols<'_>, shape: &Shape, builder: TokenStream) -> TokenStream {
    if !crate::emit::structures::build_is_fallible(shape) {
        return quote!(#builder.build());
    }
    let corrections = crate::emit::error_correction::correct_missing(symbols, shape);
    let binding = if corrections.is_empty() { quote!(let builder) } else { quote!(let mut builder) };
    quote! {
        #binding = #builder;
        #corrections
        builder.build().map_err(|e| ::smithy_runtime::protocol::DeserializeError::new(e.member(), "required member is missing"))?
    }
}

/// The header kinds of event headers, by target: the `HeaderValue`
/// variant and how a field value converts to and from it.
fn header_kind(symbols: &Symbols<'_>, member: &Member) -> Option<(TokenStream, TokenStream, TokenStream)> {
    let es = quote!(crate::primitives::event_stream);
    let target = symbols.model().shape(&member.target);
    Some(match &target.kind {
        ShapeKind::Simple(Simple::String) => (quote!(#es::HeaderValue::String), quote!(value.clone()), quote!(::std::clone::Clone::clone(item))),
        ShapeKind::Enum(_) => {
            let ty = symbols.value_type(&member.target);
            (quote!(#es::HeaderValue::String), quote!(#ty::from(value.as_str())), quote!(item.as_str().to_string()))
        }
        ShapeKind::Simple(Simple::Boolean) => (quote!(#es::HeaderValue::Bool), quote!(*value), quote!(*item)),
        ShapeKind::Simple(Simple::Byte) => (quote!(#es::HeaderValue::Byte), quote!(*value), quote!(*item)),
        ShapeKind::Simple(Simple::Short) => (quote!(#es::HeaderValue::Int16), quote!(*value), quote!(*item)),
        ShapeKind::Simple(Simple::Integer) => (quote!(#es::HeaderValue::Int32), quote!(*value), quote!(*item)),
        ShapeKind::Simple(Simple::Long) => (quote!(#es::HeaderValue::Int64), quote!(*value), quote!(*item)),
        ShapeKind::Simple(Simple::Blob) => (
            quote!(#es::HeaderValue::ByteArray),
            quote!(crate::primitives::Blob::new(value.to_vec())),
            quote!(::smithy_runtime::deps::bytes::Bytes::copy_from_slice(item.as_ref())),
        ),
        ShapeKind::Simple(Simple::Timestamp) => (quote!(#es::HeaderValue::Timestamp), quote!(*value), quote!(*item)),
        _ => return None,
    })
}

/// An expression (with `?`) converting `header: &HeaderValue` into the
/// member's value.
fn header_value(symbols: &Symbols<'_>, member: &Member) -> TokenStream {
    let wire = &member.name;
    match header_kind(symbols, member) {
        Some((variant, convert, _)) => quote! {
            match header {
                #variant(value) => #convert,
                _ => return ::std::result::Result::Err(::smithy_runtime::protocol::DeserializeError::new(#wire, "event header has another type than the model's")),
            }
        },
        None => quote!(return ::std::result::Result::Err(::smithy_runtime::protocol::DeserializeError::new(#wire, "event header of a type headers cannot carry"))),
    }
}

fn marshal_fn(symbols: &Symbols<'_>, union: &Shape) -> TokenStream {
    let model = symbols.model();
    let ShapeKind::Union(members) = &union.kind else { return TokenStream::new() };
    let function = codec_fn("marshal", union);
    let ty = symbols.type_path(union);
    let es = quote!(crate::primitives::event_stream);
    let arms = members.iter().filter(|m| !is_exception(model, m)).map(|m| {
        let wire = &m.name;
        let variant = ident(&m.rust_name);
        if model.shape(&m.target).unit {
            return quote! { #ty::#variant => (#wire, #es::Message::new(::smithy_runtime::deps::bytes::Bytes::new())), };
        }
        let write = write_event(symbols, model.shape(&m.target));
        quote! { #ty::#variant(value) => (#wire, #write), }
    });
    let unknown = format!("the `Unknown` variant of `{}` cannot be sent", union.rust_name);
    let docs = doc_attrs(&format!("Writes one event of the `{}` event stream as a message.", union.rust_name));
    quote! {
        #docs
        pub(crate) fn #function(event: &#ty) -> ::std::result::Result<#es::Message, ::smithy_runtime::protocol::SerializeError> {
            let (event_type, message) = match event {
                #( #arms )*
                #ty::Unknown => return ::std::result::Result::Err(::smithy_runtime::protocol::SerializeError::new(#unknown)),
            };
            ::std::result::Result::Ok(message.add_header(":message-type", "event").add_header(":event-type", event_type))
        }
    }
}

/// A `Message` expression (with `?`) for the event structure `value`.
fn write_event(symbols: &Symbols<'_>, event: &Shape) -> TokenStream {
    let (headers, payload) = event_bindings(event);
    let es = quote!(crate::primitives::event_stream);
    let bytes = quote!(::smithy_runtime::deps::bytes::Bytes);
    let (content_type, body) = match payload {
        Some(member) => {
            let field = ident(&member.rust_name);
            let target = symbols.model().shape(&member.target);
            let item = if member.optional { quote!(value.#field.as_ref()) } else { quote!(::std::option::Option::Some(&value.#field)) };
            match &target.kind {
                ShapeKind::Simple(Simple::Blob) => (
                    target.media_type.clone().unwrap_or_else(|| "application/octet-stream".to_string()),
                    quote!(#item.map_or_else(#bytes::new, |item| #bytes::copy_from_slice(item.as_ref()))),
                ),
                ShapeKind::Simple(Simple::String) => (
                    target.media_type.clone().unwrap_or_else(|| "text/plain".to_string()),
                    quote!(#item.map_or_else(#bytes::new, |item| #bytes::from(::std::clone::Clone::clone(item)))),
                ),
                _ => {
                    let write = crate::emit::json_serializers::write_value(symbols, &member.target, quote!(item), None);
                    let document = crate::emit::json_serializers::json_document(write);
                    (
                        "application/json".to_string(),
                        quote! {
                            match #item {
                                ::std::option::Option::Some(item) => #document,
                                ::std::option::Option::None => #bytes::new(),
                            }
                        },
                    )
                }
            }
        }
        None if headers.is_empty() => {
            let write = crate::emit::json_serializers::write_value(symbols, &event.id, quote!(value), None);
            ("application/json".to_string(), crate::emit::json_serializers::json_document(write))
        }
        None => {
            // The document holds the members that are not headers.
            let body: Vec<Member> = match &event.kind {
                ShapeKind::Structure(members) => members.iter().filter(|m| !m.event_header).cloned().collect(),
                _ => Vec::new(),
            };
            let writes = crate::emit::json_serializers::write_object(symbols, &body, quote!(value), false);
            ("application/json".to_string(), crate::emit::json_serializers::json_document(writes))
        }
    };
    let header_writes = headers.iter().filter_map(|m| {
        let (variant, _, convert) = header_kind(symbols, m)?;
        let wire = &m.name;
        let field = ident(&m.rust_name);
        Some(if m.optional {
            quote! {
                if let ::std::option::Option::Some(item) = &value.#field {
                    message = message.add_header(#wire, #variant(#convert));
                }
            }
        } else {
            quote! {
                {
                    let item = &value.#field;
                    message = message.add_header(#wire, #variant(#convert));
                }
            }
        })
    });
    let header_writes: Vec<TokenStream> = header_writes.collect();
    let message = quote!(#es::Message::new(#body).add_header(":content-type", #content_type));
    if header_writes.is_empty() {
        return message;
    }
    quote! {
        {
            let mut message = #message;
            #( #header_writes )*
            message
        }
    }
}
