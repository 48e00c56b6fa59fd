//! `Client` (one method per operation) and `config` (the runtime's `Config`,
//! the service description and the endpoint rules).

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::{first_sentence, html_to_markdown};
use crate::emit::doc_comments::{doc_attrs, inner_doc_attrs};
use crate::ir::{AuthScheme, Model};
use crate::symbols::{ident, Symbols};

pub fn client_rs(symbols: &Symbols<'_>) -> TokenStream {
    let model = symbols.model();
    let methods = model.operations.iter().filter(|op| op.unsupported.is_none()).map(|op| {
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
    let waiters = crate::emit::waiters::client_methods(model);
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

            #( #waiters )*
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
    if op.auth != model.service.auth || op.optional_auth {
        docs.push_str(&format!("\n Auth: {}.\n", operation_auth(op)));
    }
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
pub fn config_rs(model: &Model, protocol: &dyn crate::protocols::Protocol) -> TokenStream {
    let service = &model.service;
    let service_id = service.sdk_id.clone().unwrap_or_else(|| crate::ir::local_name(&service.id).to_string());
    let signing_name = service.sigv4_name.clone().unwrap_or_default();
    let version = &service.version;
    let protocol_runtime = protocol.runtime();
    let query_compatible = service.query_compatible;
    // Every code that selects a modeled `@retryable` error.
    let retryable = model.errors().filter(|e| model.error_is_returned(&e.id)).flat_map(|error| {
        let throttling = error.retryable.map(|r| r.throttling);
        protocol.error_codes(model, error).into_iter().filter_map(move |code| {
            let throttling = throttling?;
            Some(quote!(::smithy_runtime::behavior::retry::classify::RetryableError { code: #code, throttling: #throttling }))
        })
    });
    let retryable = quote!(&[ #( #retryable ),* ]);
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
    // What a caller needs to configure the service's auth without naming the runtime crate.
    let sigv4 = model.operations.iter().any(|op| op.auth.contains(&AuthScheme::Sigv4));
    let credential_types = if sigv4 {
        quote!(pub use ::smithy_runtime::auth::credentials::{Credentials, ProvideCredentials, StaticCredentialsProvider};)
    } else {
        quote!()
    };
    let bearer = model.operations.iter().any(|op| op.auth.contains(&AuthScheme::HttpBearer));
    let token_types = if bearer {
        quote!(pub use ::smithy_runtime::auth::credentials::{ProvideToken, Token};)
    } else {
        quote!()
    };
    let module_docs = inner_doc_attrs(&format!(
        "Client configuration: region, credentials, endpoint, retries, timeouts, HTTP client.\n\n{}",
        auth_summary(&service.auth)
    ));
    let client_context_params = crate::emit::endpoint_params::client_context_params_trait(model);
    quote! {
        #module_docs

        pub use ::smithy_runtime::client::{Config, ConfigBuilder};
        #credential_types
        #token_types
        pub use ::smithy_runtime::config::region::Region;
        pub use ::smithy_runtime::behavior::retry::RetryConfig;
        pub use ::smithy_runtime::behavior::timeout::TimeoutConfig;

        #client_context_params

        #rules_static

        /// What the runtime needs to know about this service.
        pub(crate) static SERVICE: ::smithy_runtime::client::ServiceSpec = ::smithy_runtime::client::ServiceSpec {
            service_id: #service_id,
            signing_name: #signing_name,
            endpoint_rules: #rules,
            api_version: #version,
            protocol: #protocol_runtime,
            query_compatible: #query_compatible,
            retryable_errors: #retryable,
        };
    }
}

/// How one operation authenticates, when it differs from the service.
fn operation_auth(op: &crate::ir::Operation) -> String {
    if op.auth.is_empty() {
        return "none; the request is sent unsigned and needs no credentials".to_string();
    }
    let names: Vec<String> = op.auth.iter().map(scheme_text).collect();
    let unsigned = if op.optional_auth { ", or unsigned when none can be loaded" } else { "" };
    format!("{}{unsigned}", names.join(" or "))
}

/// One sentence on how the service's operations authenticate.
fn auth_summary(schemes: &[AuthScheme]) -> String {
    let each: Vec<String> = schemes.iter().map(scheme_text).collect();
    match each.as_slice() {
        [] => "Requests are sent unsigned: the service declares no auth scheme.".to_string(),
        [one] => format!("Operations authenticate with {one}, unless the model says otherwise for one."),
        _ => format!(
            "Operations authenticate with the first of these the configuration provides, unless the model says \
             otherwise for one: {}.",
            each.join("; ")
        ),
    }
}

/// A scheme as the docs name it, with what to configure for it.
fn scheme_text(scheme: &AuthScheme) -> String {
    match scheme {
        AuthScheme::Sigv4 => "SigV4 (credentials from `ConfigBuilder::credentials_provider`)".to_string(),
        AuthScheme::HttpBearer => "a bearer token (`ConfigBuilder::bearer_token` or `ConfigBuilder::token_provider`)".to_string(),
        AuthScheme::Other(id) => format!("`{id}` (not supported by this client)"),
    }
}

/// `src/endpoint_rules.json`, pretty-printed so rule changes review well.
pub fn endpoint_rules_json(model: &Model) -> Option<String> {
    let rules = model.service.endpoint_rule_set.as_ref()?;
    serde_json::to_string_pretty(rules).ok().map(|text| text + "\n")
}
