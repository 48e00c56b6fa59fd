//! The error enum of each operation: one variant per modeled error plus
//! `Unhandled`, with code, message and request id reachable without
//! importing a trait, and the parser that picks the variant from the error
//! code of a response.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::doc_comments::{doc_attrs, model_docs};
use crate::ir::{local_name, Operation, Shape};
use crate::symbols::{ident, Symbols};

pub fn operation_error(symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
    let model = symbols.model();
    let name = ident(&op.rust_error_name);
    let docs = format!("An error `{}` can return: one variant per error the model lists, plus `Unhandled`.", op.name);
    let errors: Vec<_> = op.errors.iter().map(|id| model.shape(id)).collect();
    let variants: Vec<(Ident, &Shape)> =
        errors.iter().map(|e| (ident(&crate::naming::error_variant_name(&e.rust_name)), *e)).collect();
    let protocol = crate::protocols::for_model(model);
    let parse_arms = errors.iter().map(|e| {
        let variant = ident(&crate::naming::error_variant_name(&e.rust_name));
        let path = symbols.type_path(e);
        let codes = protocol.map_or_else(|| vec![local_name(&e.id).to_string()], |p| p.error_codes(model, e));
        quote! {
            #( ::std::option::Option::Some(#codes) )|* => {
                ::std::result::Result::Ok(#name::#variant(#path::from_error_response(response, meta)?))
            }
        }
    });
    let unhandled = quote!(::std::result::Result::Ok(#name::Unhandled(::smithy_runtime::client::Unhandled::new(meta, ::std::option::Option::None))));
    let pick = if errors.is_empty() {
        quote!(#unhandled)
    } else {
        quote! {
            match meta.code() {
                #( #parse_arms )*
                _ => #unhandled,
            }
        }
    };
    let parse_error = if op.unsupported.is_none() {
        quote! {
            /// Picks the variant from the error code of a response.
            pub(crate) fn parse_error(
                response: &::smithy_runtime::deps::http::Response<::smithy_runtime::deps::bytes::Bytes>,
                meta: ::smithy_runtime::protocol::ErrorMetadata,
            ) -> ::std::result::Result<Self, ::smithy_runtime::protocol::DeserializeError> {
                let _ = response;
                #pick
            }
        }
    } else {
        quote!()
    };
    error_enum(symbols, &name, &docs, &variants, parse_error)
}

/// An error enum `name`: one variant per modeled error (variant name and
/// error shape) plus `Unhandled`, with code, message and request id
/// reachable without importing a trait, `Display`, `Error` and the
/// runtime's error traits; `extra` goes into its `impl` block. Operation
/// errors and event-stream exceptions share it.
pub fn error_enum(symbols: &Symbols<'_>, name: &Ident, docs: &str, errors: &[(Ident, &Shape)], extra: TokenStream) -> TokenStream {
    let docs = doc_attrs(docs);
    let variants = errors.iter().map(|(variant, e)| {
        let path = symbols.type_path(e);
        let docs = doc_attrs(&model_docs(e.docs.as_deref(), || format!("The `{}` error.", e.rust_name)));
        quote! { #docs #variant(#path), }
    });
    let meta_arms = errors.iter().map(|(variant, _)| quote! { #name::#variant(error) => error.meta(), });
    let is_fns = errors.iter().map(|(variant, e)| {
        let function = ident(&crate::naming::error_is_method(&variant.to_string()));
        let docs = doc_attrs(&format!("Whether this is the `{}` error.", e.rust_name));
        quote! {
            #docs
            pub fn #function(&self) -> bool {
                ::std::matches!(self, #name::#variant(_))
            }
        }
    });
    let source_arms = errors.iter().map(|(variant, _)| quote! { #name::#variant(_) => ::std::option::Option::None, });
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(::std::fmt::Debug)]
        pub enum #name {
            #( #variants )*
            /// An error the model does not describe (or a new one); its code and message are kept.
            Unhandled(::smithy_runtime::client::Unhandled),
        }

        impl #name {
            /// Code, message and request id of the error.
            pub fn meta(&self) -> &::smithy_runtime::protocol::ErrorMetadata {
                match self {
                    #( #meta_arms )*
                    #name::Unhandled(error) => error.meta(),
                }
            }

            /// The error code, e.g. `ValidationException`.
            pub fn code(&self) -> ::std::option::Option<&str> {
                self.meta().code()
            }

            /// The message the service sent, if any.
            pub fn message(&self) -> ::std::option::Option<&str> {
                self.meta().message()
            }

            /// The request id (`x-amzn-requestid`), for AWS support.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta().request_id()
            }

            #( #is_fns )*

            #extra
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.meta(), f)
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #( #source_arms )*
                    #name::Unhandled(error) => ::std::error::Error::source(error),
                }
            }
        }

        impl ::smithy_runtime::client::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::smithy_runtime::protocol::ErrorMetadata {
                #name::meta(self)
            }
        }

        impl ::smithy_runtime::client::CreateUnhandledError for #name {
            fn create_unhandled(
                meta: ::smithy_runtime::protocol::ErrorMetadata,
                source: ::std::option::Option<::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync>>,
            ) -> Self {
                #name::Unhandled(::smithy_runtime::client::Unhandled::new(meta, source))
            }
        }
    }
}
