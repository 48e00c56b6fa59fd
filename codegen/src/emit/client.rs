//! `Client` (one method per operation) and `config` (the runtime's `Config`,
//! the service description and the endpoint rules).

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{first_sentence, html_to_markdown};
use crate::emit::doc_comments::doc_attrs;
use crate::ir::Model;
use crate::symbols::{ident, Symbols};

pub fn client_rs(symbols: &Symbols<'_>) -> TokenStream {
    let model = symbols.model();
    let methods = model.operations.iter().map(|op| {
        let method = ident(&crate::naming::client_method(op));
        let module = ident(&op.rust_module);
        let builder = ident(&crate::naming::fluent_builder_name(&op.name));
        let summary = op.docs.as_deref().map(html_to_markdown).map(|d| first_sentence(&d)).unwrap_or_default();
        let docs = operation_docs(model, op, &summary);
        let lines = docs.lines().map(|l| l.to_string());
        quote! {
            #( #[doc = #lines] )*
            pub fn #method(&self) -> crate::operation::#module::#builder {
                crate::operation::#module::#builder::new(self.handle.clone())
            }
        }
    });
    let service = crate::docs::escape_plain(model.service.title.as_deref().unwrap_or(&model.service.rust_name));
    let client_docs = doc_attrs(&format!("A client for {service}. Cheap to clone: clones share configuration and the connection pool."));
    quote! {
        //! The client: one method per operation.

        use crate::config::Config;

        #client_docs
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            handle: ::smithy_runtime::client::ClientHandle,
        }

        impl Client {
            /// Creates a client. Nothing is read or connected until the first call.
            pub fn new(config: &Config) -> Self {
                Client { handle: ::smithy_runtime::client::ClientHandle::new(config, &crate::config::SERVICE) }
            }

            /// Creates a client that takes ownership of `config`.
            pub fn from_conf(config: Config) -> Self {
                Client::new(&config)
            }

            pub(crate) fn handle(&self) -> &::smithy_runtime::client::ClientHandle {
                &self.handle
            }

            #( #methods )*
        }
    }
}

/// An operation method's docs: what it does, its inputs (required ones
/// marked), its output members and its errors.
fn operation_docs(model: &Model, op: &crate::ir::Operation, summary: &str) -> String {
    let module = crate::naming::unraw(&op.rust_module);
    let members = |id: &str| match &model.shape(id).kind {
        crate::ir::ShapeKind::Structure(members) => members.clone(),
        _ => Vec::new(),
    };
    let mut docs = format!(" Calls `{}`. {summary}\n", op.name);
    let inputs = members(&op.input);
    if inputs.is_empty() {
        docs.push_str("\n Input: none; call `send()` on the returned builder.\n");
    } else {
        docs.push_str("\n Input (set on the returned builder, then call `send()`):\n");
        for m in &inputs {
            let required = if m.required { " — **required**" } else { "" };
            docs.push_str(&format!(" - `{}`{required}\n", crate::naming::unraw(crate::naming::builder_method(m))));
        }
    }
    let output = model.shape(&op.output);
    let output_members = members(&op.output);
    let fields = if output_members.is_empty() {
        "no members".to_string()
    } else {
        output_members.iter().map(|m| format!("`{}`", crate::naming::unraw(&m.rust_name))).collect::<Vec<_>>().join(", ")
    };
    docs.push_str(&format!(
        "\n Output: [`{name}`](crate::operation::{module}::{name}) ({fields}).\n",
        name = output.rust_name
    ));
    let errors: Vec<String> = op.errors.iter().map(|e| format!("`{}`", model.shape(e).rust_name)).collect();
    docs.push_str(&format!(
        "\n Errors: [`SdkError`](smithy_runtime::client::SdkError) wrapping [`{error}`](crate::operation::{module}::{error}), \
         whose variants are {}, plus `Unhandled`.",
        if errors.is_empty() { "none modeled".to_string() } else { errors.join(", ") },
        error = op.rust_error_name,
    ));
    docs
}

/// `src/config.rs`: the runtime's configuration types and this service's description.
pub fn config_rs(model: &Model) -> TokenStream {
    let service = &model.service;
    let service_id = service.sdk_id.clone().unwrap_or_else(|| crate::ir::local_name(&service.id).to_string());
    let signing_name = service.sigv4_name.clone().unwrap_or_default();
    let version = &service.version;
    let rules = if service.endpoint_rule_set.is_some() {
        quote! {
            ::std::option::Option::Some(&ENDPOINT_RULES)
        }
    } else {
        quote!(::std::option::Option::None)
    };
    let rules_static = if service.endpoint_rule_set.is_some() {
        quote! {
            /// The service's endpoint rules (`smithy.rules#endpointRuleSet`), parsed on first use.
            static ENDPOINT_RULES: ::smithy_runtime::endpoint::LazyRuleSet =
                ::smithy_runtime::endpoint::LazyRuleSet::new(include_str!("endpoint_rules.json"));
        }
    } else {
        quote!()
    };
    quote! {
        //! Client configuration: region, credentials, endpoint, retries, timeouts, HTTP client.

        pub use ::smithy_runtime::client::{Config, ConfigBuilder};
        pub use ::smithy_runtime::region::Region;
        pub use ::smithy_runtime::retry::RetryConfig;
        pub use ::smithy_runtime::timeout::TimeoutConfig;

        #rules_static

        /// What the runtime needs to know about this service.
        pub(crate) static SERVICE: ::smithy_runtime::client::ServiceSpec = ::smithy_runtime::client::ServiceSpec {
            service_id: #service_id,
            signing_name: #signing_name,
            endpoint_rules: #rules,
            api_version: #version,
        };
    }
}

/// `src/endpoint_rules.json`, pretty-printed so rule changes review well.
pub fn endpoint_rules_json(model: &Model) -> Option<String> {
    let rules = model.service.endpoint_rule_set.as_ref()?;
    serde_json::to_string_pretty(rules).ok().map(|text| text + "\n")
}
