//! `aws.protocols#restJson1`: HTTP bindings place members in the method,
//! URI, query, headers and payload; the rest travel in a JSON document body.
//! Errors carry their code in `x-amzn-errortype` or the body's `__type` or
//! `code`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Protocol;
use crate::ir::{Operation, Shape};
use crate::symbols::Symbols;

pub struct RestJson1;

pub static REST_JSON_1: RestJson1 = RestJson1;

impl Protocol for RestJson1 {
    fn trait_id(&self) -> &'static str {
        "aws.protocols#restJson1"
    }

    fn http_bindings(&self) -> bool {
        true
    }

    fn json_name(&self) -> bool {
        true
    }

    fn runtime(&self) -> TokenStream {
        quote!(::smithy_runtime::protocol::Protocol::RestJson1)
    }

    fn request(&self, symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
        crate::emit::http_request::into_request(symbols, op, self)
    }

    fn response(&self, symbols: &Symbols<'_>, shape: &Shape) -> TokenStream {
        crate::emit::http_response::from_response(symbols, shape, self)
    }
}
