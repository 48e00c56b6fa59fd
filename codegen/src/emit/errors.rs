//! Modeled errors: a structure (with builder) that is also a
//! `std::error::Error`, with `code()` and `message()` as inherent methods.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_comments::doc_attrs;
use crate::emit::structures::structure;
use crate::ir::{Shape, ShapeKind};
use crate::symbols::{ident, Symbols};

/// Member names that carry an error's message, in order of preference.
const MESSAGE_MEMBERS: &[&str] = &["message", "exceptionmessage", "errormessage"];

/// Body members the runtime's `error_metadata` reads a message from.
const RUNTIME_MESSAGE_MEMBERS: &[&str] = &["message", "Message", "errorMessage"];

pub fn error(symbols: &Symbols<'_>, shape: &Shape) -> TokenStream {
    let ShapeKind::Structure(members) = &shape.kind else { return TokenStream::new() };
    let name = ident(&shape.rust_name);
    let code = crate::ir::local_name(&shape.id);
    let code_docs = doc_attrs(&format!("The error code the service sends for this error: `{code}`."));
    let message_member = MESSAGE_MEMBERS
        .iter()
        .find_map(|wanted| members.iter().find(|m| m.name.to_lowercase() == *wanted && !symbols.is_sensitive(m)));
    let member_message = match message_member {
        Some(m) if symbols.model().shape(&m.target).kind_is_string() => {
            let field = ident(&m.rust_name);
            if m.optional {
                quote!(self.#field.as_deref())
            } else {
                quote!(::std::option::Option::Some(self.#field.as_str()))
            }
        }
        _ => quote!(::std::option::Option::None),
    };
    let body = structure(symbols, shape);
    // Only errors a call can return are read from responses; one that only
    // left-out operations list would leave its parser unused.
    let model = symbols.model();
    let protocol = crate::protocols::for_model(model).filter(|_| model.error_is_returned(&shape.id));
    // The metadata is set by a response's parser or an event stream's.
    let with_client = protocol.is_some() || model.error_is_streamed(&shape.id);
    let parser = protocol.map_or_else(TokenStream::new, |p| p.response(symbols, shape));
    // The runtime reads a message from the body members `message`, `Message`
    // and `errorMessage`; when the model marks such a member sensitive, the
    // metadata must not keep a copy that `Debug` and `Display` would show.
    let sensitive_message = members
        .iter()
        .any(|m| RUNTIME_MESSAGE_MEMBERS.contains(&m.json_name.as_deref().unwrap_or(&m.name)) && symbols.is_sensitive(m));
    let keep_meta = if sensitive_message {
        quote!(meta.to_builder().set_message(::std::option::Option::None).build())
    } else {
        quote!(meta)
    };
    // A message the body member did not carry (awsQuery's `<Message>` for a
    // member modeled as `message`) fills the member from the metadata.
    let fill_message = match message_member {
        Some(m) if m.optional && symbols.model().shape(&m.target).kind_is_string() => {
            let field = ident(&m.rust_name);
            quote! {
                if self.#field.is_none() {
                    self.#field = meta.message().map(::std::borrow::ToOwned::to_owned);
                }
            }
        }
        _ => quote!(),
    };
    let set_meta = if with_client {
        quote! {
            pub(crate) fn set_meta(&mut self, meta: ::smithy_runtime::protocol::ErrorMetadata) {
                #fill_message
                self.meta = #keep_meta;
            }
        }
    } else {
        quote!()
    };
    // One reader per error shape, which every operation's `parse_error`
    // calls, rather than the same statements in each operation's arms.
    let from_error_response = if protocol.is_some() {
        quote! {
            /// Reads this error from an error response whose metadata the runtime
            /// already read; the model's own message member, when the body had
            /// one, fills a message the metadata lacks.
            pub(crate) fn from_error_response(
                response: &::smithy_runtime::deps::http::Response<::smithy_runtime::deps::bytes::Bytes>,
                meta: ::smithy_runtime::protocol::ErrorMetadata,
            ) -> ::std::result::Result<Self, ::smithy_runtime::protocol::DeserializeError> {
                let mut error = Self::from_response(response)?;
                let meta = meta.or_message(error.message());
                error.set_meta(meta);
                ::std::result::Result::Ok(error)
            }
        }
    } else {
        quote!()
    };
    quote! {
        #body

        impl #name {
            #code_docs
            pub const CODE: &'static str = #code;

            /// The error code, e.g. for logging or matching on unhandled errors.
            pub fn code(&self) -> &'static str {
                Self::CODE
            }

            /// The human-readable message the service sent, if any.
            pub fn message(&self) -> ::std::option::Option<&str> {
                #member_message.or(self.meta.message())
            }

            /// The request id of the response that carried this error.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta.request_id()
            }

            /// Code, message and request id as the runtime read them from the response.
            pub fn meta(&self) -> &::smithy_runtime::protocol::ErrorMetadata {
                &self.meta
            }

            #set_meta

            #from_error_response
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(Self::CODE)?;
                if let ::std::option::Option::Some(message) = self.message() {
                    ::std::write!(f, ": {message}")?;
                }
                if let ::std::option::Option::Some(request_id) = self.request_id() {
                    ::std::write!(f, " (request id: {request_id})")?;
                }
                ::std::result::Result::Ok(())
            }
        }

        impl ::std::error::Error for #name {}

        #parser
    }
}
