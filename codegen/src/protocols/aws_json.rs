//! `aws.protocols#awsJson1_0` and `awsJson1_1`: every request is
//! `POST /` with `X-Amz-Target: <service name>.<operation>`, the content type
//! `application/x-amz-json-1.0` (or `-1.1`) and the whole input as a JSON
//! document (`{}` when empty); the output is the whole response body. HTTP
//! binding traits and `@jsonName` do not apply. Errors carry their code in
//! `x-amzn-errortype` or the body's `__type`, normalized as for restJson1;
//! an `@awsQueryCompatible` service also sends `x-amzn-query-error`
//! (`Code;Fault`) and is sent `x-amzn-query-mode: true`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Protocol;
use crate::emit::http_request::{host_prefix_statement, idempotency_statements};
use crate::emit::http_response::from_response_impl;
use crate::emit::json_deserializers::read_json_body;
use crate::emit::json_serializers::{json_document, write_object};
use crate::ir::{local_name, Operation, Shape, ShapeKind};
use crate::symbols::{ident, Symbols};

pub struct AwsJson {
    version: &'static str,
}

pub static AWS_JSON_1_0: AwsJson = AwsJson { version: "1.0" };
pub static AWS_JSON_1_1: AwsJson = AwsJson { version: "1.1" };

impl Protocol for AwsJson {
    fn trait_id(&self) -> &'static str {
        if self.version == "1.0" { "aws.protocols#awsJson1_0" } else { "aws.protocols#awsJson1_1" }
    }

    fn http_bindings(&self) -> bool {
        false
    }

    fn json_name(&self) -> bool {
        false
    }

    fn runtime(&self) -> TokenStream {
        if self.version == "1.0" {
            quote!(::smithy_runtime::protocol::Protocol::AwsJson1_0)
        } else {
            quote!(::smithy_runtime::protocol::Protocol::AwsJson1_1)
        }
    }

    fn request(&self, symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
        let model = symbols.model();
        let input = model.shape(&op.input);
        let ShapeKind::Structure(members) = &input.kind else { return TokenStream::new() };
        let ty = ident(&input.rust_name);
        let target = format!("{}.{}", local_name(&model.service.id), op.name);
        let content_type = format!("application/x-amz-json-{}", self.version);
        let query_mode = model.service.query_compatible;
        let (idempotency, input_binding) = idempotency_statements(members);
        let body = json_document(write_object(symbols, members, quote!(input), false));
        let unused = if members.is_empty() { quote!(let _ = &input;) } else { quote!() };
        let host_prefix = host_prefix_statement(symbols, op, members);
        // An operation with an output event stream takes the streaming call
        // path; input event streams are left out for awsJson (`unsupported`).
        let crate::emit::event_streams::RequestShape { body_ty, result, .. } = crate::emit::event_streams::request_shape(model, op);
        let request_mut = if host_prefix.is_empty() { quote!() } else { quote!(mut) };
        let protocol = local_name(self.trait_id());
        let docs = format!(" Serializes this input into an HTTP request ({protocol}).");
        quote! {
            impl #ty {
                #[doc = #docs]
                pub(crate) fn into_request(self) -> ::std::result::Result<::smithy_runtime::deps::http::Request<#body_ty>, ::smithy_runtime::protocol::SerializeError> {
                    let #input_binding = self;
                    #unused
                    #idempotency
                    let body = #body;
                    let #request_mut request = ::smithy_runtime::protocol::aws_json::request(#target, #content_type, #query_mode, body)?;
                    #host_prefix
                    ::std::result::Result::Ok(#result)
                }
            }
        }
    }

    fn response(&self, symbols: &Symbols<'_>, shape: &Shape) -> TokenStream {
        let ShapeKind::Structure(members) = &shape.kind else { return TokenStream::new() };
        // The whole output is the JSON document (HTTP bindings were lowered
        // away), or the event stream when the output has one.
        let statements: Vec<TokenStream> = if symbols.holds_stream(shape) {
            Vec::new()
        } else {
            read_json_body(symbols, members).into_iter().collect()
        };
        from_response_impl(symbols, shape, local_name(self.trait_id()), &statements)
    }
}
