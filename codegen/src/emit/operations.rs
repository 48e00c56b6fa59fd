//! One module per operation: its input and output structures (the client,
//! serializers and error enum join them in later emitters).

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_comments::inner_doc_attrs;
use crate::emit::structures::structure;
use crate::docs::html_to_markdown;
use crate::ir::Operation;
use crate::symbols::Symbols;

pub fn operation_module(symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
    let model = symbols.model();
    let mut docs = format!("Types of the `{}` operation.", op.name);
    if let Some(text) = op.docs.as_deref().map(html_to_markdown).filter(|d| !d.is_empty()) {
        docs.push_str("\n\n");
        docs.push_str(&text);
    }
    if let Some(http) = &op.http {
        docs.push_str(&format!("\n\nHTTP: `{} {}`.", http.method, http.uri));
    }
    for what in crate::emit::stream_limits(model, op) {
        docs.push_str(&format!("\n\n**Not supported yet**: {what}."));
    }
    if let Some(reason) = &op.unsupported {
        docs.push_str(&format!(
            "\n\n**Not supported yet**: {reason}. The client has no method for it; only its input and output \
             types are generated."
        ));
    }
    let inner_docs = inner_doc_attrs(&docs);
    let input = structure(symbols, model.shape(&op.input));
    let output = structure(symbols, model.shape(&op.output));
    // A left-out operation gets no error enum, builder or (de)serializers:
    // nothing could call them.
    let protocol = crate::protocols::for_model(model).filter(|_| op.unsupported.is_none());
    let client_parts = if let Some(protocol) = protocol {
        let into_request = protocol.request(symbols, op);
        let from_response = protocol.response(symbols, model.shape(&op.output));
        let error = crate::emit::operation_errors::operation_error(symbols, op);
        let fluent = crate::emit::fluent_builders::fluent_builder(symbols, op);
        let paginator = crate::emit::paginators::paginator(symbols, op);
        let endpoint_params =
            crate::emit::endpoint_params::input_endpoint_params(symbols, op);
        quote! {
            #error

            #fluent

            #paginator

            #into_request

            #endpoint_params

            #from_response
        }
    } else {
        quote!()
    };
    quote! {
        #inner_docs

        #input

        #output

        #client_parts
    }
}
