//! The fluent builder each client method returns: the input's setters plus
//! `send()`, which runs the call through the runtime's pipeline. Only for
//! operations the client can call (`Operation::unsupported` is `None`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::doc_comments::{doc_attrs, member_docs};
use crate::ir::{AuthScheme, Operation, Shape, ShapeKind};
use crate::naming::unraw;
use crate::symbols::{ident, Symbols};

pub fn fluent_builder(symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
    let model = symbols.model();
    let input = model.shape(&op.input);
    let output = model.shape(&op.output);
    let input_ty = ident(&input.rust_name);
    let output_ty = ident(&output.rust_name);
    let error_ty = ident(&op.rust_error_name);
    let name = ident(&crate::naming::fluent_builder_name(&op.name));
    let operation_name = &op.name;
    let success = op.http.as_ref().map_or(200, |h| h.code);
    let auth = op.auth.iter().map(|scheme| match scheme {
        AuthScheme::Sigv4 => quote!(::smithy_runtime::client::AuthScheme::Sigv4),
        AuthScheme::HttpBearer => quote!(::smithy_runtime::client::AuthScheme::HttpBearer),
        AuthScheme::Other(id) => quote!(::smithy_runtime::client::AuthScheme::Unsupported(#id)),
    });
    let optional_auth = op.optional_auth;
    let unsigned_payload = op.unsigned_payload;
    let requires_length = model.stream_member(&op.input).is_some_and(|m| model.shape(&m.target).requires_length);
    let http2 = op.http2;
    let request_compression = op.request_compression.contains(&crate::ir::CompressionEncoding::Gzip);
    let docs = doc_attrs(&format!("Builds and sends a `{}` request; set the input's members, then call [`send`]({}::send).", op.name, name));
    let endpoint_params = ident(crate::naming::ENDPOINT_PARAMS_METHOD);
    let call = if model.streams(op) {
        let params = if op.endpoint_params.is_empty() {
            quote!(::smithy_runtime::endpoint::EndpointParams::new())
        } else {
            quote!(self.#endpoint_params().map_err(::smithy_runtime::client::SdkError::construction)?)
        };
        // An output without a stream is read whole, after the streamed request.
        let call = if symbols.holds_stream(output) { quote!(call_streaming) } else { quote!(call_streaming_request) };
        quote! {
            let endpoint_params = #params;
            handle.#call(&OPERATION, endpoint_params, self.into_request(), #output_ty::from_response, #error_ty::parse_error).await
        }
    } else if op.endpoint_params.is_empty() {
        quote! {
            handle.call(&OPERATION, self.into_request(), #output_ty::from_response, #error_ty::parse_error).await
        }
    } else {
        quote! {
            let endpoint_params = self.#endpoint_params().map_err(::smithy_runtime::client::SdkError::construction)?;
            handle.call_with_endpoint_params(&OPERATION, endpoint_params, self.into_request(), #output_ty::from_response, #error_ty::parse_error).await
        }
    };
    let send_docs = doc_attrs(&format!("Sends the request: returns the `{}` or an error with the `{}` service errors.", output.rust_name, op.rust_error_name));
    let send = quote! {
        #send_docs
        pub async fn send(self) -> ::std::result::Result<#output_ty, ::smithy_runtime::client::SdkError<#error_ty>> {
            let input = self.inner.build().map_err(::smithy_runtime::client::SdkError::construction)?;
            input.send_with(&self.handle).await
        }
    };
    let builder = input_wrapping_builder(symbols, WrappingBuilder { name: name.clone(), docs, input, extra_field: None, finish: send });
    quote! {
        pub(crate) static OPERATION: ::smithy_runtime::client::OperationSpec = ::smithy_runtime::client::OperationSpec {
            name: #operation_name,
            http_success_code: #success,
            auth: &[#( #auth ),*],
            optional_auth: #optional_auth,
            request_compression: #request_compression,
            unsigned_payload: #unsigned_payload,
            requires_length: #requires_length,
            http2: #http2,
        };

        #builder

        impl #input_ty {
            /// Sends this prebuilt input with a client's configuration.
            pub async fn send(self, client: &crate::Client) -> ::std::result::Result<#output_ty, ::smithy_runtime::client::SdkError<#error_ty>> {
                self.send_with(client.handle()).await
            }

            pub(crate) async fn send_with(self, handle: &::smithy_runtime::client::ClientHandle) -> ::std::result::Result<#output_ty, ::smithy_runtime::client::SdkError<#error_ty>> {
                handle.read_before_serialization(&OPERATION, &self).map_err(::smithy_runtime::client::SdkError::construction)?;
                #call
            }
        }
    }
}

/// What [`input_wrapping_builder`] emits.
pub struct WrappingBuilder<'a> {
    pub name: Ident,
    pub docs: TokenStream,
    pub input: &'a Shape,
    /// One more field (name, type), also an argument of `new`.
    pub extra_field: Option<(Ident, TokenStream)>,
    /// The methods that use the input.
    pub finish: TokenStream,
}

/// A builder that wraps the input's builder (an operation's fluent builder,
/// a waiter's builder): the struct with the client's handle, `new`,
/// `as_input`, the input's setters, `customize`, and `finish` (the methods
/// that use the input: `send`, `wait`).
pub fn input_wrapping_builder(symbols: &Symbols<'_>, builder: WrappingBuilder) -> TokenStream {
    let WrappingBuilder { name, docs, input, extra_field, finish } = builder;
    let input_builder = symbols.builder_path(input);
    let setters = input_setters(symbols, input);
    // A builder holding a stream cannot be cloned.
    let clone = if symbols.holds_stream(input) { quote!() } else { quote!(::std::clone::Clone,) };
    let (field, param, init) = match extra_field {
        Some((field, ty)) => (quote!(#field: #ty,), quote!(, #field: #ty), quote!(, #field)),
        None => (quote!(), quote!(), quote!()),
    };
    quote! {
        #docs
        #[derive(#clone ::std::fmt::Debug)]
        pub struct #name {
            handle: ::smithy_runtime::client::ClientHandle,
            inner: #input_builder,
            #field
        }

        impl #name {
            pub(crate) fn new(handle: ::smithy_runtime::client::ClientHandle #param) -> Self {
                #name { handle, inner: ::std::default::Default::default() #init }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #( #setters )*

            /// Changes settings for this call only (retries, timeouts, the
            /// endpoint URL, extra headers, interceptors); the client keeps its own.
            pub fn customize(mut self, overrides: ::smithy_runtime::client::CallOverrides) -> Self {
                self.handle = self.handle.with_overrides(&overrides);
                self
            }

            #finish
        }
    }
}

/// The setters of a builder that wraps the input's builder in a field
/// `inner` (an operation's fluent builder, a waiter's builder): for each
/// input member, its setter, `set_` and getter, forwarded to `inner`.
fn input_setters(symbols: &Symbols<'_>, input: &Shape) -> Vec<TokenStream> {
    let model = symbols.model();
    let members = match &input.kind {
        ShapeKind::Structure(members) => members.as_slice(),
        _ => &[],
    };
    members.iter().map(|m| {
        let method = ident(crate::naming::builder_method(m));
        let set = ident(&crate::naming::setter_name(m));
        let get = ident(&crate::naming::getter_name(m));
        let value = symbols.unboxed_member_type(m);
        let docs = doc_attrs(&member_docs(symbols, input, m));
        let (params, args) = match &model.shape(&m.target).kind {
            ShapeKind::List { member: item, .. } => {
                let item_ty = symbols.value_type(&item.target);
                let item_ty = if item.optional { quote!(::std::option::Option<#item_ty>) } else { item_ty };
                (quote!(item: impl ::std::convert::Into<#item_ty>), quote!(item))
            }
            ShapeKind::Map { key, value: v, .. } => {
                let key_ty = symbols.value_type(&key.target);
                let value_ty = symbols.value_type(&v.target);
                let value_ty = if v.optional { quote!(::std::option::Option<#value_ty>) } else { value_ty };
                (quote!(key: impl ::std::convert::Into<#key_ty>, value: impl ::std::convert::Into<#value_ty>), quote!(key, value))
            }
            _ => (quote!(input: impl ::std::convert::Into<#value>), quote!(input)),
        };
        let set_docs = doc_attrs(&format!("Sets or clears `{}`.", unraw(&m.rust_name)));
        let get_docs = doc_attrs(&format!("The value set for `{}`, if any.", unraw(&m.rust_name)));
        quote! {
            #docs
            pub fn #method(mut self, #params) -> Self {
                self.inner = self.inner.#method(#args);
                self
            }

            #set_docs
            pub fn #set(mut self, input: ::std::option::Option<#value>) -> Self {
                self.inner = self.inner.#set(input);
                self
            }

            #get_docs
            pub fn #get(&self) -> &::std::option::Option<#value> {
                self.inner.#get()
            }
        }
    }).collect()
}
