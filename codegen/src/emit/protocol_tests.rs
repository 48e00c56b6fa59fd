//! The model's `smithy.test` protocol test cases as Rust tests
//! (`src/protocol_tests.rs` of a crate generated with `protocol_tests: true`).
//!
//! One `#[test]` per case of the model's protocol that a client runs:
//!
//! - a request test builds the input from `params` with its builder, calls
//!   `into_request()` and checks method, path, query, headers, host and body
//!   (JSON bodies as JSON values);
//! - a response test builds the response, calls `<Op>Output::from_response`
//!   and compares every member with the value built from `params`;
//! - an error test (on an error shape, run for every operation that lists
//!   the error) reads the error metadata, calls `<Op>Error::parse_error`,
//!   checks the variant and compares every member.
//!
//! Members are compared one by one so a failure names the member, and so a
//! `NaN` (never equal to itself) is checked with `is_nan()`. A case whose
//! `params` do not fit the model becomes a test that fails with the reason.

mod params;
mod request;
mod response;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_comments::doc_attrs;
use crate::ir::{Model, Operation, Shape};
use crate::protocol_test_cases::{HttpRequestTestCase, HttpResponseTestCase};
use crate::symbols::{ident, Symbols};

pub use params::{structure_expr, value_expr, ParamsError};


/// What a planned test checks.
#[derive(Debug, Clone, Copy)]
pub enum Case<'m> {
    Request(&'m HttpRequestTestCase),
    Response(&'m HttpResponseTestCase),
    /// An error response (`error` lists the case) for one operation that returns `error`.
    Error { error: &'m Shape, case: &'m HttpResponseTestCase },
}

impl Case<'_> {
    /// The case id from the model.
    pub fn id(&self) -> &str {
        match self {
            Case::Request(case) => &case.id,
            Case::Response(case) | Case::Error { case, .. } => &case.id,
        }
    }

    /// `request`, `response` or `error`.
    pub fn kind(&self) -> &'static str {
        match self {
            Case::Request(_) => "request",
            Case::Response(_) => "response",
            Case::Error { .. } => "error",
        }
    }

    fn documentation(&self) -> Option<&str> {
        match self {
            Case::Request(case) => case.documentation.as_deref(),
            Case::Response(case) | Case::Error { case, .. } => case.documentation.as_deref(),
        }
    }
}

/// One generated test: its function name, its operation and its case.
#[derive(Debug, Clone)]
pub struct PlannedTest<'m> {
    /// The `#[test]` function name: the case id in snake_case, with `_2`,
    /// `_3`, … when two cases (or one error case for two operations) meet.
    pub name: String,
    pub operation: &'m Operation,
    pub case: Case<'m>,
}

/// Every test `protocol_tests_module` writes, in file order: per operation
/// (id order) its request cases, its response cases, then the cases of each
/// error it lists. Skips operations the client cannot call, other
/// protocols and server-only cases.
pub fn planned_tests(model: &Model) -> Vec<PlannedTest<'_>> {
    let mut cases = Vec::new();
    let Some(protocol) = crate::protocols::for_model(model).map(|p| p.trait_id()) else { return Vec::new() };
    for op in model.operations.iter().filter(|op| op.unsupported.is_none()) {
        for case in op.request_tests.iter().filter(|c| c.protocol == protocol && c.applies_to_client()) {
            cases.push((op, Case::Request(case)));
        }
        for case in op.response_tests.iter().filter(|c| c.protocol == protocol && c.applies_to_client()) {
            cases.push((op, Case::Response(case)));
        }
        for error in op.errors.iter().map(|id| model.shape(id)) {
            for case in error.error_tests.iter().filter(|c| c.protocol == protocol && c.applies_to_client()) {
                cases.push((op, Case::Error { error, case }));
            }
        }
    }
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    cases
        .into_iter()
        .map(|(operation, case)| {
            // `NaN` is one word in a test name (`…_nan_float_…`, not `…_na_n_…`).
            let base = crate::naming::field_name(&case.id().replace("NaN", "Nan"));
            let mut name = base.clone();
            let mut count = 1;
            while used.contains_key(crate::naming::unraw(&name)) {
                count += 1;
                name = format!("{}_{count}", crate::naming::unraw(&base));
            }
            used.insert(crate::naming::unraw(&name).to_string(), count);
            PlannedTest { name, operation, case }
        })
        .collect()
}

/// `src/protocol_tests.rs` of a crate generated with `protocol_tests: true`.
pub fn protocol_tests_module(symbols: &Symbols<'_>) -> TokenStream {
    let tests = planned_tests(symbols.model()).into_iter().map(|planned| {
        let body = match planned.case {
            Case::Request(case) => request::request_test_body(symbols, planned.operation, case),
            Case::Response(case) => response::response_test_body(symbols, planned.operation, case),
            Case::Error { error, case } => response::error_test_body(symbols, planned.operation, error, case),
        };
        let body = body.unwrap_or_else(|e| {
            let message = format!("the test case cannot be built: {e}");
            quote!(panic!(#message);)
        });
        let name = ident(&planned.name);
        let docs = test_docs(&planned);
        quote! {
            #docs
            #[test]
            fn #name() {
                #body
            }
        }
    });
    quote! {
        //! The model's restJson1 protocol tests (`smithy.test#httpRequestTests`
        //! and `smithy.test#httpResponseTests`), one test per case a client runs.

        use std::collections::HashMap;

        use ::smithy_runtime::deps::bytes::Bytes;
        use ::smithy_runtime::deps::http::{Request, Response};
        use ::smithy_runtime::deps::serde_json::{self, Value};
        use ::smithy_runtime::testing::protocol_test_checks::{check_request, response, ExpectedRequest};

        #( #tests )*
    }
}

/// `/// CaseId (kind test of Operation): documentation`.
fn test_docs(planned: &PlannedTest<'_>) -> TokenStream {
    let what = match planned.case {
        Case::Error { error, .. } => format!("error test of `{}` through `{}`", crate::ir::local_name(&error.id), planned.operation.name),
        _ => format!("{} test of `{}`", planned.case.kind(), planned.operation.name),
    };
    let mut text = format!("`{}` ({what}).", planned.case.id());
    if let Some(documentation) = planned.case.documentation().map(str::trim).filter(|d| !d.is_empty()) {
        text.push_str("\n\n");
        text.push_str(&escape_docs(documentation));
    }
    doc_attrs(&text)
}

/// Test documentation is plain text: keep rustdoc from reading brackets as
/// links or angle brackets as HTML.
fn escape_docs(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]").replace('<', "\\<").replace('>', "\\>")
}

/// `crate::operation::<op>::<Name>` for an item of an operation's module.
fn operation_item(op: &Operation, name: &str) -> TokenStream {
    let module = ident(&op.rust_module);
    let name = ident(name);
    quote!(crate::operation::#module::#name)
}

#[cfg(test)]
mod tests;
