//! Usage documentation that is code: the crate-level quick start and the
//! runnable programs in the generated crate's `examples/`.
//!
//! The quick start is built from the model (the simplest operation that needs
//! no input), so every generated crate gets one. The example programs are
//! written for the operations they name and emitted only when the model has
//! them; each compiles with `cargo build --examples`, and running one talks to
//! the real service with the credentials of the environment.

use crate::emit::format::header;
use crate::ir::{Model, Operation, ShapeKind};

/// The operation the quick start calls: one the client supports whose input
/// has no required member, preferring paginated ones, then the shortest name
/// (the service's most basic listing), then model order.
pub fn starter_operation(model: &Model) -> Option<&Operation> {
    model
        .operations
        .iter()
        .filter(|op| op.unsupported.is_none() && !has_required_input(model, op))
        .min_by_key(|op| (op.paginated.is_none(), op.name.len()))
}

fn has_required_input(model: &Model, op: &Operation) -> bool {
    match &model.shape(&op.input).kind {
        ShapeKind::Structure(members) => members.iter().any(|m| m.required),
        _ => false,
    }
}

fn operation<'m>(model: &'m Model, name: &str) -> Option<&'m Operation> {
    model.operations.iter().find(|op| op.name == name && op.unsupported.is_none())
}

/// The Rust name of a crate (`ivs-realtime` → `ivs_realtime`).
pub fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// Markdown for the crate docs and the README: configuration from the
/// environment, one call, a `match` on the operation error and, for a
/// paginated operation, a paginator. `None` when no operation fits.
pub fn quick_start(model: &Model, crate_name: &str) -> Option<String> {
    let op = starter_operation(model)?;
    let krate = crate_ident(crate_name);
    let module = crate::naming::unraw(&op.rust_module);
    let method = crate::naming::client_method(op);
    let method = crate::naming::unraw(&method);
    let error = &op.rust_error_name;
    let modeled_arm = op.errors.first().map_or(String::new(), |id| {
        let variant = crate::naming::error_variant_name(&model.shape(id).rust_name);
        format!(
            "        Some({error}::{variant}(e)) => {{\n            eprintln!(\"{variant}: {{}}\", e.message().unwrap_or(\"no message\"))\n        }}\n"
        )
    });
    let config = match op.auth.first() {
        Some(crate::ir::AuthScheme::HttpBearer) => {
            "// Region from the environment (AWS_REGION or a profile in ~/.aws/config); this operation
// authenticates with a bearer token, here read from a variable of your own.
let token = std::env::var(\"MY_BEARER_TOKEN\")?;
let config = Config::from_env().await.to_builder().bearer_token(token).build();
"
        }
        None => {
            "// Region from the environment (AWS_REGION or a profile in ~/.aws/config); this operation
// needs no credentials.
let config = Config::from_env().await;
"
        }
        Some(_) => {
            "// Region and credentials from the environment: AWS_REGION, AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, or the profiles in ~/.aws/config and ~/.aws/credentials.
let config = Config::from_env().await;
"
        }
    };
    let mut text = format!(
        "```no_run
use {krate}::operation::{module}::{error};
use {krate}::{{Client, Config}};

# async fn quick_start() -> Result<(), Box<dyn std::error::Error>> {{
{config}let client = Client::new(&config);

// One call: set the input on the builder, then `send()`.
let output = client.{method}().send().await?;
println!(\"{{output:?}}\");

// Errors: match on the operation's error for the cases you handle.
match client.{method}().send().await {{
    Ok(output) => println!(\"{{output:?}}\"),
    Err(err) => match err.as_service_error() {{
{modeled_arm}        Some(other) => eprintln!(\"service error: {{other}}\"),
        None => eprintln!(\"no answer from the service: {{err}}\"),
    }},
}}
# Ok(())
# }}
```
"
    );
    if op.paginated.is_some() {
        text.push_str(&format!(
            "
A paginated operation also gives a paginator, which follows the next-page token for you
(`.items()` instead of `.send()` yields the items of every page one by one):

```no_run
# async fn pages(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{
let mut pages = client.{method}().into_paginator().send();
while let Some(page) = pages.next().await {{
    println!(\"{{:?}}\", page?);
}}
# Ok(())
# }}
```
"
        ));
    }
    Some(text)
}

/// `examples/*.rs` (path → contents) for the operations the model has.
pub fn example_files(model: &Model, crate_name: &str, model_source: &str) -> Vec<(String, String)> {
    let krate = crate_ident(crate_name);
    let mut files = Vec::new();
    let mut add = |name: &str, text: String| {
        files.push((format!("examples/{name}.rs"), format!("{}{}", header(model_source, "//"), text.replace("{krate}", &krate).replace("{package}", crate_name))));
    };
    if operation(model, "ListStages").is_some_and(|op| op.paginated.is_some()) {
        add("list_stages", LIST_STAGES.to_string());
    }
    if ["CreateStage", "CreateParticipantToken", "DeleteStage"].iter().all(|name| operation(model, name).is_some()) {
        add("create_stage_and_token", CREATE_STAGE_AND_TOKEN.to_string());
    }
    if operation(model, "GetStage").is_some_and(|op| op.errors.iter().any(|e| model.shape(e).rust_name == "ResourceNotFoundException"))
    {
        add("handle_errors", HANDLE_ERRORS.to_string());
    }
    files
}

const LIST_STAGES: &str = r#"//! Lists every stage in the account and region of your environment, page by page.
//!
//! ```text
//! AWS_REGION=us-east-1 cargo run -p {package} --example list_stages
//! ```
//!
//! Region and credentials come from the environment (`Config::from_env`). The
//! paginator asks for the next page with the token of the previous one until
//! the service sends none.

use {krate}::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env().await;
    let client = Client::new(&config);
    let mut pages = client.list_stages().max_results(50).into_paginator().send();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        for stage in page?.stages {
            count += 1;
            println!("{}  {}", stage.arn, stage.name.as_deref().unwrap_or("(no name)"));
        }
    }
    println!("{count} stage(s)");
    Ok(())
}
"#;

const CREATE_STAGE_AND_TOKEN: &str = r#"//! Creates a stage, issues a participant token for it, then deletes the stage.
//!
//! ```text
//! AWS_REGION=us-east-1 cargo run -p {package} --example create_stage_and_token
//! ```
//!
//! The token is a secret: `Debug` output of the generated types prints it as
//! `*** Sensitive Data Redacted ***`, so this program prints only its length.

use {krate}::types::ParticipantTokenCapability;
use {krate}::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env().await;
    let client = Client::new(&config);

    let created = client.create_stage().name("example-stage").send().await?;
    let stage = created.stage.ok_or("CreateStage returned no stage")?;
    println!("created {}", stage.arn);

    let issued = client
        .create_participant_token()
        .stage_arn(stage.arn.clone())
        .user_id("example-user")
        .duration(60)
        .capabilities(ParticipantTokenCapability::Publish)
        .capabilities(ParticipantTokenCapability::Subscribe)
        .send()
        .await;
    // Delete the stage whether or not the token was issued.
    let deleted = client.delete_stage().arn(stage.arn.clone()).send().await;

    let token = issued?.participant_token.ok_or("CreateParticipantToken returned no token")?;
    println!("{token:?}");
    println!("token of {} characters", token.token.as_deref().map_or(0, str::len));
    deleted?;
    println!("deleted {}", stage.arn);
    Ok(())
}
"#;

const HANDLE_ERRORS: &str = r#"//! Asks for a stage that does not exist and handles each kind of failure.
//!
//! ```text
//! AWS_REGION=us-east-1 cargo run -p {package} --example handle_errors
//! ```
//!
//! `send()` fails with an `SdkError`: either the service answered with one of
//! the operation's errors (`as_service_error()`), or there was no usable
//! answer (no credentials, a network failure, a timeout). The operation's
//! error is an enum with one variant per error the model lists, plus
//! `Unhandled` for anything else; each has `code()`, `message()` and
//! `request_id()`.

use std::process::ExitCode;

use {krate}::operation::get_stage::GetStageError;
use {krate}::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = Config::from_env().await;
    let client = Client::new(&config);
    let arn = "arn:aws:ivs:us-east-1:123456789012:stage/doesNotExist";
    match client.get_stage().arn(arn).send().await {
        Ok(output) => {
            println!("found: {:?}", output.stage);
            ExitCode::SUCCESS
        }
        Err(err) => match err.as_service_error() {
            Some(GetStageError::ResourceNotFoundException(e)) => {
                println!("no such stage ({}), as expected", e.message().unwrap_or("no message"));
                ExitCode::SUCCESS
            }
            Some(GetStageError::AccessDeniedException(e)) => {
                eprintln!("not allowed: {e}; check the IAM policy of your credentials");
                ExitCode::FAILURE
            }
            Some(other) => {
                eprintln!(
                    "service error {} (request id {}): {other}",
                    other.code().unwrap_or("without a code"),
                    other.request_id().unwrap_or("unknown"),
                );
                ExitCode::FAILURE
            }
            None => {
                eprintln!("no answer from the service: {err}");
                ExitCode::FAILURE
            }
        },
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_programs_parse_as_rust() {
        for (name, text) in [("list_stages", LIST_STAGES), ("create", CREATE_STAGE_AND_TOKEN), ("errors", HANDLE_ERRORS)] {
            let text = text.replace("{krate}", "my_crate").replace("{package}", "my-crate");
            assert!(syn::parse_file(&text).is_ok(), "{name} does not parse");
            assert!(!text.contains("unwrap()"), "{name} unwraps");
        }
    }

    #[test]
    fn crate_names_become_identifiers() {
        assert_eq!(crate_ident("ivs-realtime"), "ivs_realtime");
    }
}
