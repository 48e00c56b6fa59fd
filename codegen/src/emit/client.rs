//! `Client` (one method per operation) and `config` (the runtime's `Config`,
//! the service description and the endpoint rules).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs::{first_sentence, html_to_markdown};
use crate::ir::Model;
use crate::symbols::{ident, Symbols};

pub fn client_rs(symbols: &Symbols<'_>) -> TokenStream {
    let model = symbols.model();
    let methods = model.operations.iter().map(|op| {
        let method = ident(&op.rust_module);
        let module = ident(&op.rust_module);
        let builder = format_ident!("{}FluentBuilder", crate::naming::type_name(&op.name));
        let summary = op.docs.as_deref().map(html_to_markdown).map(|d| first_sentence(&d)).unwrap_or_default();
        let errors: Vec<String> = op.errors.iter().map(|e| format!("`{}`", model.shape(e).rust_name)).collect();
        let docs = format!(
            " Calls `{}`. {summary}\n\n Returns [`{}`](crate::operation::{}::{}); errors: {}.",
            op.name,
            model.shape(&op.output).rust_name,
            crate::naming::unraw(&op.rust_module),
            op.rust_error_name,
            if errors.is_empty() { "none modeled".to_string() } else { errors.join(", ") },
        );
        let lines = docs.lines().map(|l| l.to_string());
        quote! {
            #( #[doc = #lines] )*
            pub fn #method(&self) -> crate::operation::#module::#builder {
                crate::operation::#module::#builder::new(self.handle.clone())
            }
        }
    });
    let service = model.service.title.clone().unwrap_or_else(|| model.service.rust_name.clone());
    let client_docs = format!(" A client for {service}. Cheap to clone: clones share configuration and the connection pool.");
    quote! {
        //! The client: one method per operation.

        use crate::config::Config;

        #[doc = #client_docs]
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
