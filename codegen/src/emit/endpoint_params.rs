//! Endpoint parameters beyond the built-ins: per operation, a method on the
//! input that lists the parameters the operation sets (static values and
//! values read from the input), and per service, the typed config setters of
//! its client context parameters.
//!
//! A path into the input becomes a chain of `Option`/iterator adapters over
//! the typed fields (`Some(self).and_then(|v| v.items.as_ref()).map(|v|
//! v.iter())…`), so reading a parameter costs what reading the fields costs
//! and the compiler checks every step; the runtime only sees the resulting
//! `smithy_runtime::endpoint::EndpointParams`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_comments::{doc_attrs, model_docs};
use crate::ir::{EndpointParamSource, EndpointParamType, Model, Operation, PathLeaf, PathStep, StaticParamValue, ValuePath};
use crate::naming::{CLIENT_CONTEXT_PARAMS_TRAIT, ENDPOINT_PARAMS_METHOD};
use crate::symbols::{ident, Symbols};

/// `impl XInput { pub(crate) fn endpoint_params(&self) -> EndpointParams }`,
/// or nothing when the operation sets no endpoint parameter.
pub fn input_endpoint_params(symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
    if op.endpoint_params.is_empty() {
        return quote!();
    }
    let input = ident(&symbols.model().shape(&op.input).rust_name);
    let method = ident(ENDPOINT_PARAMS_METHOD);
    let sets = op.endpoint_params.iter().map(|param| {
        let name = &param.name;
        match &param.source {
            EndpointParamSource::Static(value) => {
                let value = static_value(value);
                quote!(params.insert(#name, #value);)
            }
            EndpointParamSource::Input(path) => {
                let chain = path_chain(quote!(self), path);
                if let Some(member) = &param.required_member {
                    return quote! {
                        if let ::std::option::Option::Some(value) = #chain {
                            params.insert_required_str(#name, #member, value.as_str())?;
                        }
                    };
                }
                let value = match (path.projected, path.leaf) {
                    (false, PathLeaf::Text) => quote!(::smithy_runtime::endpoint::Value::from(value.as_str())),
                    (false, PathLeaf::Boolean) => quote!(::smithy_runtime::endpoint::Value::Bool(*value)),
                    (false, PathLeaf::Collection) => {
                        unreachable!("lower::paths::resolve_path ends endpoint parameter paths on strings and booleans")
                    }
                    (true, _) => quote! {
                        ::smithy_runtime::endpoint::Value::Array(
                            value.map(|item| ::smithy_runtime::endpoint::Value::from(item.as_str())).collect(),
                        )
                    },
                };
                quote! {
                    if let ::std::option::Option::Some(value) = #chain {
                        params.insert(#name, #value);
                    }
                }
            }
        }
    });
    let docs = doc_attrs(&endpoint_params_docs(op));
    quote! {
        impl #input {
            #docs
            pub(crate) fn #method(&self) -> ::std::result::Result<
                ::smithy_runtime::endpoint::EndpointParams,
                ::smithy_runtime::endpoint::BlankParameterError,
            > {
                let mut params = ::smithy_runtime::endpoint::EndpointParams::new();
                #( #sets )*
                ::std::result::Result::Ok(params)
            }
        }
    }
}

fn endpoint_params_docs(op: &Operation) -> String {
    let mut docs = format!("The endpoint parameters `{}` sets:", op.name);
    for param in &op.endpoint_params {
        let source = match &param.source {
            EndpointParamSource::Static(StaticParamValue::String(s)) => format!("always `{s:?}`"),
            EndpointParamSource::Static(StaticParamValue::Bool(b)) => format!("always `{b}`"),
            EndpointParamSource::Static(StaticParamValue::StringArray(items)) => format!("always `{items:?}`"),
            EndpointParamSource::Input(path) if param.required_member.is_some() => {
                format!("the input's `{}` (an error when empty or only whitespace)", path.text)
            }
            EndpointParamSource::Input(path) => format!("the input's `{}`, when set", path.text),
        };
        docs.push_str(&format!("\n- `{}`: {source}", param.name));
    }
    docs
}

fn static_value(value: &StaticParamValue) -> TokenStream {
    match value {
        StaticParamValue::String(s) => quote!(::smithy_runtime::endpoint::Value::from(#s)),
        StaticParamValue::Bool(b) => quote!(::smithy_runtime::endpoint::Value::Bool(#b)),
        StaticParamValue::StringArray(items) => quote! {
            ::smithy_runtime::endpoint::Value::Array(::std::vec![
                #( ::smithy_runtime::endpoint::Value::from(#items) ),*
            ])
        },
    }
}

/// An expression of type `Option<&Leaf>` (one value) or `Option<impl
/// Iterator<Item = &Leaf>>` (after a projection) that walks `path` from
/// `root`, an expression of a reference to the structure the path starts
/// at (`self`; a waiter's `output`).
pub fn path_chain(root: TokenStream, path: &ValuePath) -> TokenStream {
    let (mut chain, rest) = match path.steps.split_first() {
        Some((PathStep::Field { rust_name, optional: true, .. }, rest)) => {
            let field = ident(rust_name);
            (quote!(#root.#field.as_ref()), rest)
        }
        Some((PathStep::Field { rust_name, optional: false, .. }, rest)) => {
            let field = ident(rust_name);
            (quote!(::std::option::Option::Some(&#root.#field)), rest)
        }
        _ => (quote!(::std::option::Option::Some(#root)), path.steps.as_slice()),
    };
    let mut projected = false;
    for step in rest {
        chain = match (step, projected) {
            (PathStep::Field { rust_name, optional: true, .. }, false) => {
                let field = ident(rust_name);
                quote!(#chain.and_then(|v| v.#field.as_ref()))
            }
            (PathStep::Field { rust_name, optional: false, .. }, false) => {
                let field = ident(rust_name);
                quote!(#chain.map(|v| &v.#field))
            }
            (PathStep::Field { rust_name, optional: true, .. }, true) => {
                let field = ident(rust_name);
                quote!(#chain.map(|items| items.filter_map(|v| v.#field.as_ref())))
            }
            (PathStep::Field { rust_name, optional: false, .. }, true) => {
                let field = ident(rust_name);
                quote!(#chain.map(|items| items.map(|v| &v.#field)))
            }
            (PathStep::Elements { sparse: false }, false) => quote!(#chain.map(|v| v.iter())),
            (PathStep::Elements { sparse: true }, false) => quote!(#chain.map(|v| v.iter().flatten())),
            (PathStep::Elements { sparse: false }, true) => quote!(#chain.map(|items| items.flat_map(|v| v.iter()))),
            (PathStep::Elements { sparse: true }, true) => {
                quote!(#chain.map(|items| items.flat_map(|v| v.iter().flatten())))
            }
            (PathStep::MapValues { sparse: false }, _) => quote!(#chain.map(|v| v.values())),
            (PathStep::MapValues { sparse: true }, _) => quote!(#chain.map(|v| v.values().flatten())),
            (PathStep::MapKeys, _) => quote!(#chain.map(|v| v.keys())),
        };
        projected |= matches!(step, PathStep::Elements { .. } | PathStep::MapValues { .. } | PathStep::MapKeys);
    }
    chain
}

/// The `ConfigBuilderExt` trait of `src/config.rs`: one typed setter pair
/// per client context parameter, implemented on the runtime's
/// `ConfigBuilder`; nothing when the service declares none.
pub fn client_context_params_trait(model: &Model) -> TokenStream {
    let params = &model.service.client_context_params;
    if params.is_empty() {
        return quote!();
    }
    let trait_name = ident(CLIENT_CONTEXT_PARAMS_TRAIT);
    let service = model.service.title.clone().unwrap_or_else(|| model.service.rust_name.clone());
    let trait_docs = doc_attrs(&format!(
        "Endpoint settings of {service} (its client context parameters) as typed setters on \
         [`ConfigBuilder`]; bring the trait into scope (`use` this module's \
         `{CLIENT_CONTEXT_PARAMS_TRAIT}`) to call them. Unset, a parameter takes the endpoint \
         rules' default."
    ));
    let methods = params.iter().map(|p| {
        let setter = ident(&p.rust_setter);
        let option_setter = ident(&p.rust_option_setter);
        let ty = match p.ty {
            EndpointParamType::Boolean => quote!(bool),
            _ => quote!(::std::string::String),
        };
        let docs = doc_attrs(&format!(
            "{}\n\nSets the endpoint parameter `{}`.",
            model_docs(p.docs.as_deref(), || format!("The `{}` endpoint parameter.", p.name)),
            p.name
        ));
        let option_docs = doc_attrs(&format!("Sets or, with `None`, unsets the endpoint parameter `{}`.", p.name));
        (
            quote! {
                #docs
                fn #setter(self, value: impl ::std::convert::Into<#ty>) -> Self;

                #option_docs
                fn #option_setter(self, value: ::std::option::Option<#ty>) -> Self;
            },
            {
                let name = &p.name;
                quote! {
                    fn #setter(self, value: impl ::std::convert::Into<#ty>) -> Self {
                        self.#option_setter(::std::option::Option::Some(value.into()))
                    }

                    fn #option_setter(self, value: ::std::option::Option<#ty>) -> Self {
                        self.set_client_context_param(#name, value.map(::smithy_runtime::endpoint::Value::from))
                    }
                }
            },
        )
    });
    let (declarations, definitions): (Vec<_>, Vec<_>) = methods.unzip();
    quote! {
        #trait_docs
        pub trait #trait_name {
            #( #declarations )*
        }

        impl #trait_name for ConfigBuilder {
            #( #definitions )*
        }
    }
}
