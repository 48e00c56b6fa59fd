//! DynamoDB on the loopback [`AwsJsonServer`]: one table kept in memory,
//! enough of `PutItem`, `GetItem`, `Query`, `Scan` and `DescribeTable` to
//! drive the generated client (tests/clients/dynamodb) end to end.
//!
//! | operation | behaviour |
//! |---|---|
//! | `PutItem` | stores the item; `ConditionExpression` may be `attribute_exists(a)` or `attribute_not_exists(a)` (`a` or a `#name`), anything else is a `ValidationException`; a false condition is a `ConditionalCheckFailedException` carrying the stored `Item` when `ReturnValuesOnConditionCheckFailure` is `ALL_OLD`; `ReturnValues: ALL_OLD` returns the replaced item |
//! | `GetItem` | the item with exactly the table's key attributes, or no `Item` |
//! | `Query` | `KeyConditionExpression` of terms `k = :v` and `begins_with(k, :v)` joined by `AND`, values from `ExpressionAttributeValues`; items in sort key order (`ScanIndexForward: false` reverses it) |
//! | `Scan` | every item in key order |
//! | `DescribeTable` | the table's name, item count and status: the next [`TableState`] of the script set with [`DynamoDb::script_table_states`] (the last one repeats; `ACTIVE` until one is set) |
//!
//! `Query` and `Scan` page with `Limit` and `ExclusiveStartKey`; a page that
//! leaves items behind carries `LastEvaluatedKey` (the key attributes of its
//! last item), the last page none. Items are ordered by the text of their
//! key values. An unknown table is a `ResourceNotFoundException`. Errors carry
//! `__type` as DynamoDB sends it (`com.amazonaws.dynamodb.v20120810#Name`).

use std::collections::BTreeMap;

use http::StatusCode;
use serde_json::{json, Map, Value};

use crate::aws_json_server::{self, AwsJsonServer, JsonService, Reply};

/// The namespace DynamoDB puts before error names in `__type`.
const ERROR_NAMESPACE: &str = "com.amazonaws.dynamodb.v20120810#";

/// An item: attribute names to attribute values in their wire form (`{"S": "x"}`).
pub type Item = Map<String, Value>;

/// Starts a loopback DynamoDB holding one empty table.
pub async fn start(table: Table) -> AwsJsonServer<DynamoDb> {
    aws_json_server::start(DynamoDb {
        table,
        items: BTreeMap::new(),
        table_states: vec![TableState::Status("ACTIVE")],
        describe_calls: 0,
    })
    .await
}

/// The table's name and key schema.
#[derive(Debug, Clone)]
pub struct Table {
    /// The table's name.
    pub name: String,
    /// The partition key attribute.
    pub partition_key: String,
    /// The sort key attribute, if the table has one.
    pub sort_key: Option<String>,
}

/// The service's state: one table and its items, by key.
#[derive(Debug)]
pub struct DynamoDb {
    table: Table,
    items: BTreeMap<(String, String), Item>,
    /// What `DescribeTable` answers, call by call.
    table_states: Vec<TableState>,
    describe_calls: usize,
}

/// What one `DescribeTable` call finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableState {
    /// The table exists with this `TableStatus` (`CREATING`, `ACTIVE`, …).
    Status(&'static str),
    /// The table does not exist (yet): a `ResourceNotFoundException`.
    Missing,
    /// The call fails with this error name (HTTP 400).
    Fails(&'static str),
}

impl DynamoDb {
    /// Stores `item` as `PutItem` would, without conditions (to fill the table).
    ///
    /// # Panics
    ///
    /// If the item lacks a key attribute: a mistake in the test.
    pub fn insert(&mut self, item: Item) {
        let key = self
            .key_of(&item)
            .unwrap_or_else(|e| panic!("test item without its key: {}", e.body));
        self.items.insert(key, item);
    }

    /// What the next `DescribeTable` calls find, one state per call; the
    /// last one repeats. An empty script keeps the current one.
    pub fn script_table_states(&mut self, states: impl IntoIterator<Item = TableState>) {
        let states: Vec<TableState> = states.into_iter().collect();
        if !states.is_empty() {
            self.table_states = states;
            self.describe_calls = 0;
        }
    }

    /// The stored item with `key` (its key attributes), if any.
    pub fn item(&self, key: &Item) -> Option<&Item> {
        self.key_of(key).ok().and_then(|key| self.items.get(&key))
    }

    fn key_names(&self) -> Vec<&str> {
        std::iter::once(self.table.partition_key.as_str())
            .chain(self.table.sort_key.as_deref())
            .collect()
    }

    /// The ordering key of an item: the text of its partition and sort key values.
    fn key_of(&self, item: &Item) -> Result<(String, String), Reply> {
        let text = |name: &str| -> Result<String, Reply> {
            let value = item
                .get(name)
                .ok_or_else(|| validation(&format!("Missing the key {name} in the item")))?;
            scalar_text(value).ok_or_else(|| {
                validation(&format!("The key {name} is not a string, number or binary"))
            })
        };
        let partition = text(&self.table.partition_key)?;
        let sort = match &self.table.sort_key {
            Some(name) => text(name)?,
            None => String::new(),
        };
        Ok((partition, sort))
    }

    /// The key attributes of `item`.
    fn key_attributes(&self, item: &Item) -> Item {
        self.key_names()
            .into_iter()
            .filter_map(|name| item.get(name).map(|v| (name.to_owned(), v.clone())))
            .collect()
    }

    fn check_table(&self, input: &Map<String, Value>) -> Result<(), Reply> {
        match input.get("TableName").and_then(Value::as_str) {
            Some(name) if name == self.table.name => Ok(()),
            Some(name) => Err(error(
                StatusCode::BAD_REQUEST,
                "ResourceNotFoundException",
                &format!("Requested resource not found: Table: {name} not found"),
            )),
            None => Err(validation("TableName is required")),
        }
    }

    fn put_item(&mut self, input: &Map<String, Value>) -> Result<Reply, Reply> {
        self.check_table(input)?;
        let item = object(input, "Item")?.ok_or_else(|| validation("Item is required"))?;
        let key = self.key_of(item)?;
        let old = self.items.get(&key);
        if let Some(condition) = input.get("ConditionExpression").and_then(Value::as_str) {
            if !condition_holds(condition, old, input)? {
                let failed = error(
                    StatusCode::BAD_REQUEST,
                    "ConditionalCheckFailedException",
                    "The conditional request failed",
                );
                let wants_old = input
                    .get("ReturnValuesOnConditionCheckFailure")
                    .and_then(Value::as_str)
                    == Some("ALL_OLD");
                return Err(match old {
                    Some(old) if wants_old => {
                        failed.with_member("Item", Value::Object(old.clone()))
                    }
                    _ => failed,
                });
            }
        }
        let mut output = Map::new();
        if input.get("ReturnValues").and_then(Value::as_str) == Some("ALL_OLD") {
            if let Some(old) = old {
                output.insert("Attributes".to_owned(), Value::Object(old.clone()));
            }
        }
        self.items.insert(key, item.clone());
        Ok(Reply::ok(Value::Object(output)))
    }

    fn get_item(&self, input: &Map<String, Value>) -> Result<Reply, Reply> {
        self.check_table(input)?;
        let key = object(input, "Key")?.ok_or_else(|| validation("Key is required"))?;
        if key.len() != self.key_names().len() {
            return Err(validation(
                "The provided key element does not match the schema",
            ));
        }
        Ok(Reply::ok(match self.items.get(&self.key_of(key)?) {
            Some(item) => json!({ "Item": item }),
            None => json!({}),
        }))
    }

    fn describe_table(&mut self, input: &Map<String, Value>) -> Result<Reply, Reply> {
        self.check_table(input)?;
        let last = self.table_states.len().saturating_sub(1);
        let state = self.table_states.get(self.describe_calls.min(last)).cloned();
        self.describe_calls += 1;
        match state.unwrap_or(TableState::Status("ACTIVE")) {
            TableState::Status(status) => Ok(Reply::ok(json!({
                "Table": {
                    "TableName": self.table.name,
                    "TableStatus": status,
                    "ItemCount": self.items.len(),
                }
            }))),
            TableState::Missing => Err(error(
                StatusCode::BAD_REQUEST,
                "ResourceNotFoundException",
                &format!("Requested resource not found: Table: {} not found", self.table.name),
            )),
            TableState::Fails(name) => Err(error(StatusCode::BAD_REQUEST, name, "scripted failure")),
        }
    }

    fn query(&self, input: &Map<String, Value>) -> Result<Reply, Reply> {
        self.check_table(input)?;
        let expression = input
            .get("KeyConditionExpression")
            .and_then(Value::as_str)
            .ok_or_else(|| validation("KeyConditionExpression is required"))?;
        let terms = key_condition_terms(expression, input)?;
        let mut matching: Vec<&Item> = Vec::new();
        for item in self.items.values() {
            if terms.iter().all(|term| term.matches(item)) {
                matching.push(item);
            }
        }
        if input.get("ScanIndexForward").and_then(Value::as_bool) == Some(false) {
            matching.reverse();
        }
        self.page(matching, input)
    }

    fn scan(&self, input: &Map<String, Value>) -> Result<Reply, Reply> {
        self.check_table(input)?;
        self.page(self.items.values().collect(), input)
    }

    /// One page of `items`: after `ExclusiveStartKey`, at most `Limit` of them.
    fn page(&self, items: Vec<&Item>, input: &Map<String, Value>) -> Result<Reply, Reply> {
        let start = match object(input, "ExclusiveStartKey")? {
            Some(start) => {
                let start = self.key_of(start)?;
                items
                    .iter()
                    .position(|item| self.key_of(item).ok() == Some(start.clone()))
                    .map_or(items.len(), |at| at + 1)
            }
            None => 0,
        };
        let limit = match input.get("Limit") {
            None => usize::MAX,
            Some(limit) => limit
                .as_u64()
                .filter(|limit| *limit > 0)
                .and_then(|limit| usize::try_from(limit).ok())
                .ok_or_else(|| validation("Limit must be a positive integer"))?,
        };
        let rest = &items[start.min(items.len())..];
        let page: Vec<&Item> = rest.iter().take(limit).copied().collect();
        let mut output = json!({ "Items": page, "Count": page.len(), "ScannedCount": page.len() });
        if let (true, Some(last)) = (rest.len() > page.len(), page.last()) {
            output["LastEvaluatedKey"] = Value::Object(self.key_attributes(last));
        }
        Ok(Reply::ok(output))
    }
}

impl JsonService for DynamoDb {
    fn target_prefix(&self) -> &'static str {
        "DynamoDB_20120810"
    }

    fn signing_name(&self) -> &'static str {
        "dynamodb"
    }

    fn content_type(&self) -> &'static str {
        "application/x-amz-json-1.0"
    }

    fn call(&mut self, operation: &str, input: &Map<String, Value>) -> Reply {
        let reply = match operation {
            "PutItem" => self.put_item(input),
            "GetItem" => self.get_item(input),
            "Query" => self.query(input),
            "Scan" => self.scan(input),
            "DescribeTable" => self.describe_table(input),
            other => Err(error(
                StatusCode::BAD_REQUEST,
                "UnknownOperationException",
                &format!("{other} is not served here"),
            )),
        };
        reply.unwrap_or_else(|error| error)
    }
}

fn error(status: StatusCode, name: &str, message: &str) -> Reply {
    Reply::error(status, &format!("{ERROR_NAMESPACE}{name}"), message)
}

fn validation(message: &str) -> Reply {
    error(StatusCode::BAD_REQUEST, "ValidationException", message)
}

/// Member `name` of `input` as an object, if present.
fn object<'a>(input: &'a Map<String, Value>, name: &str) -> Result<Option<&'a Item>, Reply> {
    match input.get(name) {
        None => Ok(None),
        Some(Value::Object(object)) => Ok(Some(object)),
        Some(_) => Err(validation(&format!("{name} must be a map"))),
    }
}

/// The text of an `S`, `N` or `B` attribute value.
fn scalar_text(value: &Value) -> Option<String> {
    let object = value.as_object().filter(|o| o.len() == 1)?;
    let (kind, inner) = object.iter().next()?;
    matches!(kind.as_str(), "S" | "N" | "B")
        .then(|| inner.as_str().map(str::to_owned))
        .flatten()
}

/// An attribute name as written in an expression: `#name` is looked up in
/// `ExpressionAttributeNames`.
fn attribute_name(written: &str, input: &Map<String, Value>) -> Result<String, Reply> {
    let written = written.trim();
    if !written.starts_with('#') {
        return Ok(written.to_owned());
    }
    input
        .get("ExpressionAttributeNames")
        .and_then(|names| names.get(written))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| validation(&format!("An expression attribute name used in the document path is not defined; attribute name: {written}")))
}

/// A `:value` placeholder, looked up in `ExpressionAttributeValues`.
fn attribute_value<'a>(written: &str, input: &'a Map<String, Value>) -> Result<&'a Value, Reply> {
    let written = written.trim();
    input
        .get("ExpressionAttributeValues")
        .and_then(|values| values.get(written))
        .ok_or_else(|| validation(&format!("An expression attribute value used in expression is not defined; attribute value: {written}")))
}

/// `attribute_exists(a)` / `attribute_not_exists(a)` against the stored item.
fn condition_holds(
    condition: &str,
    old: Option<&Item>,
    input: &Map<String, Value>,
) -> Result<bool, Reply> {
    let call = |function: &str| {
        condition
            .trim()
            .strip_prefix(function)
            .and_then(|rest| rest.strip_prefix('(')?.strip_suffix(')'))
    };
    let (argument, wants_present) = match (call("attribute_exists"), call("attribute_not_exists")) {
        (Some(argument), _) => (argument, true),
        (_, Some(argument)) => (argument, false),
        _ => {
            return Err(validation(&format!(
                "the loopback server does not evaluate the condition `{condition}`"
            )))
        }
    };
    let name = attribute_name(argument, input)?;
    Ok(old.is_some_and(|item| item.contains_key(&name)) == wants_present)
}

/// One term of a key condition.
enum KeyTerm {
    Equals(String, Value),
    BeginsWith(String, String),
}

impl KeyTerm {
    fn matches(&self, item: &Item) -> bool {
        match self {
            KeyTerm::Equals(name, value) => item.get(name) == Some(value),
            KeyTerm::BeginsWith(name, prefix) => item
                .get(name)
                .and_then(|v| v.get("S"))
                .and_then(Value::as_str)
                .is_some_and(|s| s.starts_with(prefix.as_str())),
        }
    }
}

fn key_condition_terms(
    expression: &str,
    input: &Map<String, Value>,
) -> Result<Vec<KeyTerm>, Reply> {
    let mut terms = Vec::new();
    for term in expression.split(" AND ") {
        let term = term.trim();
        if let Some(arguments) = term
            .strip_prefix("begins_with(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            let (name, value) = arguments
                .split_once(',')
                .ok_or_else(|| validation("begins_with takes two arguments"))?;
            let prefix = attribute_value(value, input)?
                .get("S")
                .and_then(Value::as_str)
                .ok_or_else(|| validation("begins_with needs a string value"))?;
            terms.push(KeyTerm::BeginsWith(
                attribute_name(name, input)?,
                prefix.to_owned(),
            ));
        } else if let Some((name, value)) = term.split_once('=') {
            terms.push(KeyTerm::Equals(
                attribute_name(name, input)?,
                attribute_value(value, input)?.clone(),
            ));
        } else {
            return Err(validation(&format!(
                "the loopback server does not evaluate the key condition `{term}`"
            )));
        }
    }
    Ok(terms)
}
