//! Write an item to DynamoDB and read it back with the generated test client
//! (`dynamodb-test-client`, from tests/models/clients/dynamodb.json).
//!
//! ```text
//! cargo run -p integration-tests --example dynamodb_put_get                           # loopback server, no AWS account
//! cargo run -p integration-tests --example dynamodb_put_get -- --aws --table my-table # your AWS account
//! ```
//!
//! By default the program starts the loopback DynamoDB from
//! `integration_tests::dynamodb_server` on 127.0.0.1 with one empty table,
//! points the client at it with made-up credentials, writes an item whose
//! attributes nest maps and lists, reads it back, then tries to write it
//! again under `attribute_not_exists` and prints the
//! `ConditionalCheckFailedException` that comes back. Nothing leaves the
//! machine.
//!
//! With `--aws` it does the same against real DynamoDB, in an existing table
//! whose partition key is a string attribute (`--key`, `pk` unless given)
//! and which has no sort key: it **writes one item** (`--id`, by default
//! `dynamodb-put-get-example`) there and leaves it. The region and
//! credentials come from the environment or the shared profile files
//! (`Config::from_env`). The test model carries no endpoint rules, so the
//! endpoint is `https://dynamodb.<region>.amazonaws.com`.

use std::collections::HashMap;
use std::error::Error;
use std::process::ExitCode;

use dynamodb_test_client::operation::put_item::PutItemError;
use dynamodb_test_client::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};
use dynamodb_test_client::{Client, Config};
use integration_tests::dynamodb_server::{self, Table};
use dynamodb_test_client::config::{Credentials, StaticCredentialsProvider};

const USAGE: &str =
    "usage: dynamodb_put_get [--aws --table TABLE [--key PARTITION_KEY]] [--id ITEM_ID]";

struct Args {
    aws: bool,
    table: Option<String>,
    key: String,
    id: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        aws: false,
        table: None,
        key: "pk".to_owned(),
        id: "dynamodb-put-get-example".to_owned(),
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        match word.as_str() {
            "--aws" => args.aws = true,
            "--table" => args.table = Some(words.next().ok_or("--table needs a table name")?),
            "--key" => args.key = words.next().ok_or("--key needs an attribute name")?,
            "--id" => args.id = words.next().ok_or("--id needs an item id")?,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if args.aws && args.table.is_none() {
        return Err(format!(
            "--aws needs --table: an existing table to write one item to\n{USAGE}"
        ));
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let result = if args.aws {
        run_aws(&args).await
    } else {
        run_loopback(&args).await
    };
    integration_tests::exit_code(result)
}

async fn run_loopback(args: &Args) -> Result<(), Box<dyn Error>> {
    let table = Table {
        name: "example-items".to_owned(),
        partition_key: args.key.clone(),
        sort_key: None,
    };
    let server = dynamodb_server::start(table.clone()).await;
    println!(
        "Loopback DynamoDB on {} with table {}",
        server.endpoint_url(),
        table.name
    );
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint_url())
        // The loopback server checks that requests are signed, not with
        // which key: these credentials are made up.
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            "AKIDLOOPBACKEXAMPLE",
            "not-a-real-secret-access-key",
        )))
        .build();
    put_and_get(&Client::new(&config), &table.name, args).await
}

async fn run_aws(args: &Args) -> Result<(), Box<dyn Error>> {
    let config = Config::from_env().await;
    let Some(region) = config.region().map(|r| r.as_str().to_owned()) else {
        return Err(
            "no AWS region is configured (AWS_REGION, AWS_DEFAULT_REGION or the profile's region)"
                .into(),
        );
    };
    let endpoint = format!("https://dynamodb.{region}.amazonaws.com");
    println!("DynamoDB at {endpoint}");
    let config = config.to_builder().endpoint_url(endpoint).build();
    let table = args.table.as_deref().unwrap_or_default();
    put_and_get(&Client::new(&config), table, args).await
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

/// Writes the example item, reads it back, and shows a failed conditional write.
async fn put_and_get(client: &Client, table: &str, args: &Args) -> Result<(), Box<dyn Error>> {
    let item = HashMap::from([
        (args.key.clone(), s(&args.id)),
        ("title".to_owned(), s("A generated client")),
        (
            "tags".to_owned(),
            AttributeValue::Ss(vec!["rust".to_owned(), "smithy".to_owned()]),
        ),
        (
            "details".to_owned(),
            AttributeValue::M(HashMap::from([
                ("stars".to_owned(), AttributeValue::N("5".to_owned())),
                ("reviewed".to_owned(), AttributeValue::Bool(true)),
                (
                    "history".to_owned(),
                    AttributeValue::L(vec![
                        s("drafted"),
                        s("generated"),
                        AttributeValue::Null(true),
                    ]),
                ),
            ])),
        ),
    ]);
    client
        .put_item()
        .table_name(table)
        .set_item(Some(item.clone()))
        .send()
        .await?;
    println!("Wrote item {} to {table}", args.id);

    let read = client
        .get_item()
        .table_name(table)
        .key(args.key.clone(), s(&args.id))
        .consistent_read(true)
        .send()
        .await?;
    let Some(read) = read.item else {
        return Err(format!("item {} is not in {table} right after writing it", args.id).into());
    };
    let mut names: Vec<&String> = read.keys().collect();
    names.sort();
    for name in names {
        println!("  {name}: {:?}", read[name]);
    }
    println!(
        "The item read back is {} the item written",
        if read == item { "exactly" } else { "NOT" }
    );

    let result = client
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(#key)")
        .expression_attribute_names("#key", args.key.clone())
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await;
    match result {
        Err(error) => match error.as_service_error() {
            Some(PutItemError::ConditionalCheckFailedException(failed)) => println!(
                "Writing it again under attribute_not_exists failed as expected: {failed} (the error carries the stored item: {})",
                failed.item.is_some()
            ),
            _ => return Err(error.into()),
        },
        Ok(_) => return Err("the conditional write succeeded although the item exists".into()),
    }
    Ok(())
}
