//! Waiters (`smithy.waiters#waitable`): `src/waiters.rs` with one
//! `static` `smithy_runtime::behavior::waiters::Waiter` and one builder per
//! waiter the generator supports, and the client's `wait_until_<name>()`
//! methods.
//!
//! The builder has the operation input's setters (the same ones as the
//! operation's fluent builder) and `wait(max_wait)`, which runs the
//! runtime's polling loop. Each acceptor becomes a predicate over the
//! input and one poll's result: path matchers walk the typed output (or
//! input) as endpoint parameters do, error-type matchers match the
//! operation error's variant, or its code for an error the operation does
//! not model.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::docs::html_to_markdown;
use crate::emit::doc_comments::doc_attrs;
use crate::emit::endpoint_params::path_chain;
use crate::emit::fluent_builders::input_wrapping_builder;
use crate::ir::{
    Acceptor, AcceptorState, Comparator, LengthOp, Matcher, Model, Operation, PathRoot, Waiter, WaiterExpr,
};
use crate::symbols::{ident, Symbols};

/// The waiters the client gets: those of callable operations whose every
/// acceptor is supported.
pub fn generated(model: &Model) -> impl Iterator<Item = (&Operation, &Waiter, &[Acceptor])> {
    model.operations.iter().filter(|op| op.unsupported.is_none()).flat_map(|op| {
        op.waiters.iter().filter_map(move |w| w.acceptors.as_deref().ok().map(|acceptors| (op, w, acceptors)))
    })
}

/// One line per waiter of `op` that is not generated, with the reason.
pub fn left_out(op: &Operation) -> Vec<String> {
    op.waiters
        .iter()
        .filter_map(|w| w.acceptors.as_ref().err().map(|why| format!("operation `{}`: waiter `{}` is not generated: {why}", op.name, w.name)))
        .collect()
}

/// `src/waiters.rs`.
pub fn waiters_rs(symbols: &Symbols<'_>) -> TokenStream {
    let items = generated(symbols.model()).map(|(op, waiter, acceptors)| waiter_items(symbols, op, waiter, acceptors));
    quote! {
        //! Waiters: poll an operation until a resource reaches a state. Start one with the
        //! client's `wait_until_…()` method, set the operation's input, then call `wait(max_wait)`.

        #( #items )*
    }
}

/// The client's `wait_until_<name>()` methods.
pub fn client_methods(model: &Model) -> Vec<TokenStream> {
    generated(model)
        .map(|(op, waiter, _)| {
            let method = ident(&crate::naming::waiter_method(&waiter.name));
            let builder = ident(&crate::naming::waiter_builder_name(&waiter.name));
            let docs = doc_attrs(&format!(
                "Waiter `{}`: polls `{}` until the model's acceptors end the wait (see [`{builder}`](crate::waiters::{builder})); \
                 set the input, then call `wait(max_wait)`.",
                waiter.name, op.name
            ));
            let deprecated = waiter.deprecated.then(|| quote!(#[deprecated]));
            quote! {
                #docs
                #deprecated
                pub fn #method(&self) -> crate::waiters::#builder {
                    crate::waiters::#builder::new(self.handle.clone())
                }
            }
        })
        .collect()
}

fn waiter_items(symbols: &Symbols<'_>, op: &Operation, waiter: &Waiter, acceptors: &[Acceptor]) -> TokenStream {
    let model = symbols.model();
    let input = model.shape(&op.input);
    let input_ty = symbols.type_path(input);
    let output_ty = symbols.type_path(model.shape(&op.output));
    let module = ident(&op.rust_module);
    let error_ty = ident(&op.rust_error_name);
    let error_ty = quote!(crate::operation::#module::#error_ty);
    let builder = ident(&crate::naming::waiter_builder_name(&waiter.name));
    let waiter_static = ident(&crate::naming::waiter_static_name(&waiter.name));
    let name = &waiter.name;
    let (min_delay, max_delay) = (waiter.min_delay, waiter.max_delay);
    let (min_secs, max_secs) = (Literal::u64_unsuffixed(min_delay), Literal::u64_unsuffixed(max_delay));
    let acceptors = acceptors.iter().map(acceptor);
    let mut docs = format!("Waiter `{name}` on `{}`", op.name);
    match waiter.docs.as_deref().map(html_to_markdown).filter(|d| !d.is_empty()) {
        Some(text) => docs.push_str(&format!(": {text}")),
        None => docs.push('.'),
    }
    docs.push_str(&format!(
        "\n\nPolls every {min_delay} to {max_delay} seconds (doubling from the minimum, with jitter) until an acceptor \
         ends the wait or `max_wait` passes."
    ));
    let docs = doc_attrs(&docs);
    let result = quote! {
        ::std::result::Result<
            ::smithy_runtime::behavior::waiters::FinalPoll<#output_ty, ::smithy_runtime::client::SdkError<#error_ty>>,
            ::smithy_runtime::behavior::waiters::WaiterError<#output_ty, ::smithy_runtime::client::SdkError<#error_ty>>,
        >
    };
    let wait = quote! {
        /// Polls until an acceptor ends the wait: the final poll on success; the
        /// failure state, an error no acceptor matches, or `max_wait` passing otherwise.
        pub async fn wait(self, max_wait: ::std::time::Duration) -> #result {
            let input = self.inner.build().map_err(|error| {
                ::smithy_runtime::behavior::waiters::WaiterError::OperationFailed(
                    ::smithy_runtime::client::SdkError::construction(error),
                )
            })?;
            let handle = &self.handle;
            let clock = ::smithy_runtime::behavior::waiters::WaitClock::from_handle(handle);
            #waiter_static.wait(input, |input| input.send_with(handle), max_wait, clock).await
        }
    };
    let wrapper = input_wrapping_builder(symbols, &builder, docs, input, wait);
    quote! {
        static #waiter_static: ::smithy_runtime::behavior::waiters::Waiter<
            #input_ty,
            #output_ty,
            ::smithy_runtime::client::SdkError<#error_ty>,
        > = ::smithy_runtime::behavior::waiters::Waiter {
            name: #name,
            min_delay: ::std::time::Duration::from_secs(#min_secs),
            max_delay: ::std::time::Duration::from_secs(#max_secs),
            acceptors: &[#( #acceptors ),*],
        };

        #wrapper
    }
}

fn acceptor(acceptor: &Acceptor) -> TokenStream {
    let state = match acceptor.state {
        AcceptorState::Success => quote!(Success),
        AcceptorState::Failure => quote!(Failure),
        AcceptorState::Retry => quote!(Retry),
    };
    let description = &acceptor.text;
    let uses_input = matches!(&acceptor.matcher, Matcher::Path { expr, .. } if root(expr) == PathRoot::Input);
    let input = if uses_input { quote!(input) } else { quote!(_) };
    let matches = match &acceptor.matcher {
        Matcher::Success(true) => quote!(result.is_ok()),
        Matcher::Success(false) => quote!(result.is_err()),
        Matcher::ErrorType { variant: Some(variant), .. } => {
            let is_variant = ident(&crate::naming::error_is_method(variant));
            quote!(result.err().and_then(|error| error.as_service_error()).is_some_and(|error| error.#is_variant()))
        }
        Matcher::ErrorType { code, variant: None } => quote! {
            result.err().and_then(|error| error.as_service_error()).and_then(|error| error.code()) == ::std::option::Option::Some(#code)
        },
        Matcher::Path { expr, comparator } => {
            let test = path_test(expr, comparator);
            let output = if root(expr) == PathRoot::Output { quote!(output) } else { quote!(_) };
            quote!(result.ok().is_some_and(|#output| #test))
        }
    };
    quote! {
        ::smithy_runtime::behavior::waiters::Acceptor {
            state: ::smithy_runtime::behavior::waiters::AcceptorState::#state,
            description: #description,
            matches: |#input, result| #matches,
        }
    }
}

fn root(expr: &WaiterExpr) -> PathRoot {
    match expr {
        WaiterExpr::Value { root, .. } | WaiterExpr::LengthCompare { root, .. } => *root,
    }
}

/// A `bool` expression: whether the expression, read from `input` or
/// `output`, compares as the comparator says.
fn path_test(expr: &WaiterExpr, comparator: &Comparator) -> TokenStream {
    let start = match root(expr) {
        PathRoot::Input => quote!(input),
        PathRoot::Output => quote!(output),
    };
    match expr {
        WaiterExpr::Value { path, .. } => {
            let chain = path_chain(start, path);
            match comparator {
                Comparator::StringEquals(expected) => quote!(#chain.is_some_and(|value| value.as_str() == #expected)),
                Comparator::BooleanEquals(expected) => quote!(#chain.copied() == ::std::option::Option::Some(#expected)),
                Comparator::AllStringEquals(expected) => quote! {
                    ::smithy_runtime::behavior::waiters::all_equal(#chain.into_iter().flatten().map(|value| value.as_str()), #expected)
                },
                Comparator::AnyStringEquals(expected) => quote! {
                    ::smithy_runtime::behavior::waiters::any_equal(#chain.into_iter().flatten().map(|value| value.as_str()), #expected)
                },
            }
        }
        WaiterExpr::LengthCompare { path, op, value, .. } => {
            let chain = path_chain(start, path);
            let count = if path.projected { quote!(#chain.map(|values| values.count())) } else { quote!(#chain.map(|value| value.len())) };
            let op = match op {
                LengthOp::Eq => quote!(Eq),
                LengthOp::Ne => quote!(Ne),
                LengthOp::Lt => quote!(Lt),
                LengthOp::Le => quote!(Le),
                LengthOp::Gt => quote!(Gt),
                LengthOp::Ge => quote!(Ge),
            };
            let value = Literal::u64_unsuffixed(*value);
            let expected = match comparator {
                Comparator::BooleanEquals(expected) => *expected,
                _ => unreachable!("lower::waiters gives a length comparison only booleanEquals"),
            };
            quote! {
                #count.map(|count| ::smithy_runtime::behavior::waiters::LengthOp::#op.holds(count, #value))
                    == ::std::option::Option::Some(#expected)
            }
        }
    }
}
