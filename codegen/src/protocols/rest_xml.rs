//! `aws.protocols#restXml`: HTTP bindings place members in the method, URI,
//! query, headers and payload as for restJson1; the rest travel in an XML
//! document whose root element is named after the input or output shape
//! (`@xmlName` and `@xmlNamespace` apply), and an `@httpPayload` structure
//! is the root element itself. Errors are `<ErrorResponse><Error>…` or, for
//! a service with `noErrorWrapping` (S3), a bare `<Error>…`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{BodyCodec, Protocol};
use crate::ir::{Operation, Shape};
use crate::symbols::Symbols;

pub struct RestXml;

pub static REST_XML: RestXml = RestXml;

impl Protocol for RestXml {
    fn trait_id(&self) -> &'static str {
        crate::traits::REST_XML
    }

    fn http_bindings(&self) -> bool {
        true
    }

    fn json_name(&self) -> bool {
        false
    }

    fn request_codec(&self) -> Option<BodyCodec> {
        Some(BodyCodec::Xml)
    }

    fn response_codec(&self) -> BodyCodec {
        BodyCodec::Xml
    }

    fn runtime(&self) -> TokenStream {
        quote!(::smithy_runtime::protocol::Protocol::RestXml)
    }

    fn request(&self, symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
        crate::emit::http_request::into_request(symbols, op, self)
    }

    fn response(&self, symbols: &Symbols<'_>, shape: &Shape) -> TokenStream {
        crate::emit::http_response::from_response(symbols, shape, self)
    }
}
