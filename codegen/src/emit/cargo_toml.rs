//! The generated crate's `Cargo.toml`.

use crate::emit::format::header;
use crate::emit::CrateOptions;
use crate::ir::Model;

pub fn cargo_toml(model: &Model, options: &CrateOptions) -> String {
    let title = model.service.title.clone().unwrap_or_else(|| crate::ir::local_name(&model.service.id).to_string());
    let description = format!("Rust client for {title} (API version {}), generated from its Smithy model", model.service.version);
    let with_examples = crate::protocols::for_model(model).is_some()
        && !crate::emit::examples::example_files(model, &options.crate_name, &options.model_source).is_empty();
    let dev_dependencies = if with_examples {
        "\n[dev-dependencies]\n# For the programs in examples/ (`#[tokio::main]`).\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n"
    } else {
        ""
    };
    // Content-MD5 and gzip are optional parts of the runtime: only a model
    // with an `@httpChecksumRequired` operation pulls in its hashing crate,
    // only one with an `@requestCompression` operation that the client
    // calls (a protocol without a client gets types only) its compressor.
    let mut features = Vec::new();
    if model.operations.iter().any(|op| op.checksum_required) {
        features.push("\"content-md5\"");
    }
    let has_client = crate::protocols::for_model(model).is_some();
    if has_client && model.operations.iter().any(|op| op.unsupported.is_none() && !op.request_compression.is_empty()) {
        features.push("\"request-compression\"");
    }
    // HTTP/2 only for a service whose event streams need it.
    if has_client && model.operations.iter().any(|op| op.unsupported.is_none() && op.http2) {
        features.push("\"http2\"");
    }
    let runtime_features =
        if features.is_empty() { String::new() } else { format!(", features = [{}]", features.join(", ")) };
    let workspace = if options.standalone { "\n# Builds on its own, outside any workspace.\n[workspace]\n" } else { "" };
    let runtime = match (&options.runtime_path, &options.runtime_version) {
        (Some(path), Some(version)) => format!("version = {}, path = {}", toml_string(version), toml_string(path)),
        (Some(path), None) => format!("path = {}", toml_string(path)),
        (None, Some(version)) => format!("version = {}", toml_string(version)),
        (None, None) => format!("version = {}", toml_string(crate::emit::RUNTIME_VERSION)),
    };
    let repository = options.repository.as_deref().map_or(String::new(), |url| format!("repository = {}\n", toml_string(url)));
    format!(
        "{header}\
[package]
name = {name}
version = {version}
edition = \"2021\"
rust-version = \"1.85\"
description = {description}
license = \"Apache-2.0\"
readme = \"README.md\"
documentation = {documentation}
{repository}keywords = [\"aws\", \"sdk\", \"smithy\", \"api\"]
categories = [\"api-bindings\"]

[package.metadata.docs.rs]
all-features = true

[dependencies]
smithy-runtime = {{ {runtime}{runtime_features} }}
serde = {{ version = \"1\", features = [\"derive\"], optional = true }}

[features]
# `Serialize`/`Deserialize` for every data type, with the model's field names.
serde = [\"dep:serde\", \"smithy-runtime/serde\"]
# A replay HTTP client for tests without network.
test-util = [\"smithy-runtime/test-util\"]
# Credentials from the official SDK's providers (aws-config's SSO, IMDS, ECS, web identity):
# `smithy_runtime::auth::credentials::aws_sdk` adapts any `aws_credential_types` provider.
aws-sdk-credentials = [\"smithy-runtime/aws-sdk-credentials\"]
# Trust the platform's certificate store too (`HyperClientBuilder::native_roots`).
native-roots = [\"smithy-runtime/native-roots\"]
{dev_dependencies}{workspace}",
        header = header(&options.model_source, "#"),
        name = toml_string(&options.crate_name),
        description = toml_string(&description),
        version = toml_string(&options.version),
        documentation = toml_string(&format!("https://docs.rs/{}", options.crate_name)),
    )
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
