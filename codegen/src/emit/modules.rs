//! The crate root, module files and the `primitives` re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_comments::{doc_attrs, inner_doc_attrs};
use crate::docs::html_to_markdown;
use crate::ir::Model;
use crate::symbols::ident;

/// Which of `lib.rs`'s optional modules the crate has.
#[derive(Debug, Clone, Copy)]
pub struct LibModules<'a> {
    /// `client` and `config`.
    pub with_client: bool,
    /// The body codec modules (`json_ser`, `xml_de`, `query_ser`, …).
    pub body_modules: &'a [&'a str],
    pub protocol_tests: bool,
    pub waiters: bool,
}

pub fn lib_rs(model: &Model, crate_name: &str, modules: LibModules<'_>, left_out: &[String]) -> TokenStream {
    let LibModules { with_client, body_modules, protocol_tests, waiters } = modules;
    let service = &model.service;
    let title = crate::docs::escape_plain(service.title.as_deref().unwrap_or_else(|| crate::ir::local_name(&service.id)));
    let version = crate::docs::code_span(&service.version);
    let mut docs = format!("# {title}\n\nA Rust client for {title} (API version {version}), generated from its Smithy model.");
    if let Some(text) = service.docs.as_deref().map(html_to_markdown).filter(|d| !d.is_empty()) {
        docs.push_str("\n\n");
        docs.push_str(&text);
    }
    if with_client {
        if let Some(quick_start) = crate::emit::examples::quick_start(model, crate_name) {
            docs.push_str("\n\n## Quick start\n\n");
            docs.push_str(&quick_start);
        }
        docs.push_str(
            "\n## Errors\n\n\
             Each operation's `send()` returns `Result<Output, SdkError<OperationError>>`. \
             `SdkError::as_service_error()` gives the operation's error when the service answered: an enum with one \
             variant per modeled error plus `Unhandled`, each with `code()`, `message()` and `request_id()`. \
             Other failures (credentials, endpoint, network, timeouts, unreadable responses) are the other \
             `SdkError` variants.\n\n\
             ## Sensitive data\n\n\
             Members the model marks `@sensitive` (and any list, map, structure or union holding them) print as \
             `*** Sensitive Data Redacted ***` in `Debug`, and never appear in error messages.\n\n\
             ## Cargo features\n\n\
             - `serde` (off by default): `Serialize` and `Deserialize` for every structure, enum, union and \
             error, with member names as the model spells them. Enums write their wire value and read unknown \
             values into `Unknown`; a union is an externally tagged enum (`{\"memberName\": value}`), a member \
             this version does not know reads as `Unknown`, which writes as `{\"$unknown\": {}}`. Timestamps are \
             RFC 3339 strings, blobs base64 strings, documents JSON values. Serialized values include \
             `@sensitive` data: redaction applies to `Debug` only.\n\
             - `test-util`: test support without network.",
        );
    }
    if with_client {
        docs.push_str(&streaming_docs(model));
    }
    docs.push_str(
        "\n\n## Modules\n\n\
         - [`types`]: structures, enums and unions shared by operations; builders in `types::builders`.\n\
         - [`operation`]: one module per operation with its input and output.\n\
         - [`error`]: the errors the service models.\n\
         - [`primitives`]: date-times, blobs, documents and unknown enum values.\n\
         - `client` and `config` (for protocols the generator supports): the `Client` and its `Config`.",
    );
    if waiters {
        docs.push_str("\n- [`waiters`]: builders that poll an operation until a resource reaches a state.");
    }
    if !left_out.is_empty() {
        docs.push_str("\n\n## Not supported yet\n\nWhat the generator left out of this crate, or supports only in part:\n\n");
        for line in left_out {
            docs.push_str(&format!("- {line}\n"));
        }
    }
    let docs = inner_doc_attrs(&docs);
    let client = if with_client {
        quote! {
            pub mod client;
            pub mod config;

            pub use client::Client;
            pub use config::Config;
            /// The request id of the response an operation output was read from: `output.request_id()`.
            pub use ::smithy_runtime::client::RequestId;
        }
    } else {
        quote!()
    };
    let body_modules = body_modules.iter().map(|name| ident(name));
    let waiters = if waiters { quote!(pub mod waiters;) } else { quote!() };
    let protocol_tests = if protocol_tests {
        quote! {
            #[cfg(test)]
            mod protocol_tests;
        }
    } else {
        quote!()
    };
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub mod error;
        pub mod operation;
        pub mod primitives;
        pub mod types;

        #( mod #body_modules; )*

        #client

        #waiters

        #protocol_tests
    }
}

/// The crate docs' `## Streaming` section: what its streaming operations
/// take and return; empty for a crate without streams.
fn streaming_docs(model: &Model) -> String {
    let mut kinds: Vec<crate::ir::StreamKind> = model
        .operations
        .iter()
        .filter(|op| op.unsupported.is_none())
        .flat_map(|op| [model.stream_member(&op.input), model.stream_member(&op.output)])
        .flatten()
        .filter_map(|m| m.stream)
        .collect();
    kinds.sort_by_key(|kind| *kind as u8);
    kinds.dedup();
    if kinds.is_empty() {
        return String::new();
    }
    let mut text = "\n\n## Streaming\n".to_string();
    for kind in kinds {
        text.push_str(match kind {
            crate::ir::StreamKind::Blob => {
                "\n- A streaming blob is a [`primitives::ByteStream`]: sent from bytes, a file \
                 (`ByteStream::from_path`, its length known and replayed on retries) or any stream of `Bytes` (sent \
                 once, never retried); received unread, then read with `next()`, `collect()` or `into_async_read()`."
            }
            crate::ir::StreamKind::InputEvents => {
                "\n- An input event stream is a `primitives::event_stream::EventStreamSender` of the event union: \
                 `EventStreamSender::from_stream(stream)` or `EventStreamSender::channel(capacity)`. Each message is \
                 signed in the SigV4 event chain of the request."
            }
            crate::ir::StreamKind::OutputEvents => {
                "\n- An output event stream is a `primitives::event_stream::EventReceiver`: `recv().await` gives the next \
                 event of the union (`Ok(None)` at the end); an exception the model lists is \
                 `EventStreamError::Service` holding the union's error enum (`<Union>Error`)."
            }
        });
    }
    text
}

pub fn primitives_rs(model: &Model) -> TokenStream {
    let members = || model.shapes.values().filter_map(|s| match &s.kind {
        crate::ir::ShapeKind::Structure(members) => Some(members.iter()),
        _ => None,
    }).flatten();
    // Every streamed body is a `ByteStream`, event streams' too.
    let byte_stream = if members().any(|m| m.stream.is_some()) {
        quote! {
            /// A streaming body: built from bytes, a file or any stream of bytes; read with `next()`, `collect()` or as an `AsyncRead`.
            pub use ::smithy_runtime::primitives::ByteStream;
        }
    } else {
        quote!()
    };
    let event_stream = if members().any(|m| matches!(m.stream, Some(crate::ir::StreamKind::InputEvents | crate::ir::StreamKind::OutputEvents))) {
        quote! {
            /// Event streams: `EventStreamSender` sends an operation's input events, `EventReceiver` reads its output events.
            pub use ::smithy_runtime::event_stream;
        }
    } else {
        quote!()
    };
    quote! {
        //! Value types used by the generated types, from the runtime crate.

        pub use ::smithy_runtime::primitives::big_number::{BigDecimal, BigInteger};
        pub use ::smithy_runtime::primitives::open_enum::{UnknownIntVariantValue, UnknownVariantValue};
        pub use ::smithy_runtime::{Blob, DateTime, DateTimeFormat, Document, Number};

        #byte_stream

        #event_stream
    }
}

/// A type of `types` or `error` as its `mod.rs` re-exports it.
pub struct Reexport {
    /// The private file module, e.g. `stage`.
    pub module: String,
    /// The type, e.g. `Stage`.
    pub name: String,
    /// Its builder (structures only), e.g. `StageBuilder`.
    pub builder: Option<String>,
}

/// A `mod.rs` that declares one private file module per type and re-exports
/// each type by name, so users write `types::Stage`, not `types::stage::Stage`.
/// Builders are re-exported in a `builders` submodule, where a model shape
/// called like a builder (`StageBuilder`) cannot clash with them.
pub fn reexporting_mod_rs(docs: &str, types: &[Reexport], extra: TokenStream) -> TokenStream {
    let docs = inner_doc_attrs(docs);
    // A module may export more than one type (an event union and its error enum).
    let mut declared = std::collections::BTreeSet::new();
    let modules: Vec<_> = types.iter().filter(|t| declared.insert(&t.module)).map(|t| ident(&t.module)).collect();
    let uses = types.iter().map(|t| {
        let module = ident(&t.module);
        let name = ident(&t.name);
        quote!(pub use #module::#name;)
    });
    let builder_uses: Vec<TokenStream> = types
        .iter()
        .filter_map(|t| {
            let module = ident(&t.module);
            let builder = ident(t.builder.as_deref()?);
            Some(quote!(pub use super::#module::#builder;))
        })
        .collect();
    let example = types.iter().find_map(|t| Some((&t.name, t.builder.as_ref()?)));
    let builders = if let Some((example_type, example_builder)) = example {
        let builders = ident(crate::naming::BUILDERS_MODULE);
        let builders_docs = doc_attrs(&format!(
            "The builders of this module's structures (`{example_type}::builder()` returns a \
             `builders::{example_builder}`), apart from the types so that none can clash with a model shape's name."
        ));
        quote! {
            #builders_docs
            pub mod #builders {
                #( #builder_uses )*
            }
        }
    } else {
        quote!()
    };
    quote! {
        #docs

        #( mod #modules; )*

        #( #uses )*

        #builders

        #extra
    }
}

/// `operation/mod.rs`: one public module per operation.
pub fn operation_mod_rs(modules: &[String]) -> TokenStream {
    let modules = modules.iter().map(|m| ident(m));
    quote! {
        //! One module per operation, with its input and output types.

        #( pub mod #modules; )*
    }
}
