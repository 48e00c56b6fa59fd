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
use crate::emit::fluent_builders::{input_wrapping_builder, WrappingBuilder};
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

/// `src/waiters.rs`: a `static` per waiter, and one builder per operation
/// with waiters, which every waiter of the operation shares.
pub fn waiters_rs(symbols: &Symbols<'_>) -> TokenStream {
    let model = symbols.model();
    let statics = generated(model).map(|(op, waiter, acceptors)| waiter_static(symbols, op, waiter, acceptors));
    let builders = model
        .operations
        .iter()
        .filter(|op| generated(model).any(|(with, _, _)| with.id == op.id))
        .map(|op| waiter_builder(symbols, op));
    quote! {
        //! Waiters: poll an operation until a resource reaches a state. Start one with the
        //! client's `wait_until_…()` method, set the operation's input, then call `wait(max_wait)`.

        #( #statics )*

        #( #builders )*
    }
}

/// The client's `wait_until_<name>()` methods.
pub fn client_methods(model: &Model) -> Vec<TokenStream> {
    generated(model)
        .map(|(op, waiter, _)| {
            let method = ident(&crate::naming::waiter_method(&waiter.name));
            let builder = ident(&crate::naming::waiter_builder_name(&op.name));
            let waiter_static = ident(&crate::naming::waiter_static_name(&waiter.name));
            let mut docs = format!("Waiter `{}`: polls `{}`", waiter.name, op.name);
            match waiter.docs.as_deref().map(html_to_markdown).filter(|d| !d.is_empty()) {
                Some(text) => docs.push_str(&format!(". {text}")),
                None => docs.push_str(" until the resource reaches the state the model describes."),
            }
            docs.push_str(&format!(
                "\n\nPolls every {} to {} seconds (doubling from the minimum, with jitter) until an acceptor ends the \
                 wait or `max_wait` passes. Set the input on the returned builder, then call `wait(max_wait)`.",
                waiter.min_delay, waiter.max_delay
            ));
            let docs = doc_attrs(&docs);
            let deprecated = waiter.deprecated.then(|| quote!(#[deprecated]));
            quote! {
                #docs
                #deprecated
                pub fn #method(&self) -> crate::waiters::#builder {
                    crate::waiters::#builder::new(self.handle.clone(), &crate::waiters::#waiter_static)
                }
            }
        })
        .collect()
}

/// The operation's input, output and error (`SdkError<OperationError>`) types.
fn operation_types(symbols: &Symbols<'_>, op: &Operation) -> (TokenStream, TokenStream, TokenStream) {
    let model = symbols.model();
    let input_ty = symbols.type_path(model.shape(&op.input));
    let output_ty = symbols.type_path(model.shape(&op.output));
    let module = ident(&op.rust_module);
    let error_ty = ident(&op.rust_error_name);
    (input_ty, output_ty, quote!(::smithy_runtime::client::SdkError<crate::operation::#module::#error_ty>))
}

fn waiter_static(symbols: &Symbols<'_>, op: &Operation, waiter: &Waiter, acceptors: &[Acceptor]) -> TokenStream {
    let (input_ty, output_ty, error_ty) = operation_types(symbols, op);
    let waiter_static = ident(&crate::naming::waiter_static_name(&waiter.name));
    let name = &waiter.name;
    let min_delay = Literal::u64_unsuffixed(waiter.min_delay);
    let max_delay = Literal::u64_unsuffixed(waiter.max_delay);
    let acceptors = acceptors.iter().map(acceptor);
    quote! {
        pub(crate) static #waiter_static: ::smithy_runtime::behavior::waiters::Waiter<#input_ty, #output_ty, #error_ty> =
            ::smithy_runtime::behavior::waiters::Waiter {
                name: #name,
                min_delay: ::std::time::Duration::from_secs(#min_delay),
                max_delay: ::std::time::Duration::from_secs(#max_delay),
                acceptors: &[#( #acceptors ),*],
            };
    }
}

fn waiter_builder(symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
    let (input_ty, output_ty, error_ty) = operation_types(symbols, op);
    let name = ident(&crate::naming::waiter_builder_name(&op.name));
    let methods: Vec<String> = generated(symbols.model())
        .filter(|(with, _, _)| with.id == op.id)
        .map(|(_, waiter, _)| format!("`{}()`", crate::naming::waiter_method(&waiter.name)))
        .collect();
    let docs = doc_attrs(&format!(
        "Waits on `{}`: what the client's {} return{}. Set the input, then call [`wait`]({name}::wait).",
        op.name,
        methods.join(", "),
        if methods.len() == 1 { "s" } else { "" },
    ));
    let result = quote! {
        ::std::result::Result<
            ::smithy_runtime::behavior::waiters::FinalPoll<#output_ty, #error_ty>,
            ::smithy_runtime::behavior::waiters::WaiterError<#output_ty, #error_ty>,
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
            self.waiter.wait(input, |input| input.send_with(handle), max_wait, clock).await
        }
    };
    let waiter_ty = quote!(&'static ::smithy_runtime::behavior::waiters::Waiter<#input_ty, #output_ty, #error_ty>);
    let input = symbols.model().shape(&op.input);
    let extra_field = Some((ident("waiter"), waiter_ty));
    input_wrapping_builder(symbols, WrappingBuilder { name, docs, input, extra_field, finish: wait })
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
