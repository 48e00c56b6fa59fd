//! The model's `smithy.test` protocol test cases as Rust tests (placeholder;
//! being written).

use proc_macro2::TokenStream;
use quote::quote;

use crate::symbols::Symbols;

/// `src/protocol_tests.rs` of a crate generated with `protocol_tests: true`.
pub fn protocol_tests_module(symbols: &Symbols<'_>) -> TokenStream {
    let _ = symbols;
    quote! {
        //! Protocol tests from the model.
    }
}
