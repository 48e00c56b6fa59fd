//! Typed `smithy.test#httpRequestTests` / `smithy.test#httpResponseTests`
//! cases, read during lowering and kept on operations and error shapes so a
//! test generator never reads raw JSON.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

pub const HTTP_REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
pub const HTTP_RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";

/// One request test: given `params`, the client must send this request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequestTestCase {
    pub id: String,
    pub protocol: String,
    pub method: String,
    pub uri: String,
    pub host: Option<String>,
    pub resolved_host: Option<String>,
    pub auth_scheme: Option<String>,
    #[serde(default)]
    pub query_params: Vec<String>,
    #[serde(default)]
    pub forbid_query_params: Vec<String>,
    #[serde(default)]
    pub require_query_params: Vec<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub forbid_headers: Vec<String>,
    #[serde(default)]
    pub require_headers: Vec<String>,
    pub body: Option<String>,
    pub body_media_type: Option<String>,
    #[serde(default)]
    pub params: Value,
    #[serde(default)]
    pub vendor_params: Value,
    pub vendor_params_shape: Option<String>,
    pub documentation: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub applies_to: Option<String>,
}

/// One response test: given this response, the client must produce `params`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpResponseTestCase {
    pub id: String,
    pub protocol: String,
    pub code: u16,
    pub auth_scheme: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub forbid_headers: Vec<String>,
    #[serde(default)]
    pub require_headers: Vec<String>,
    pub body: Option<String>,
    pub body_media_type: Option<String>,
    #[serde(default)]
    pub params: Value,
    #[serde(default)]
    pub vendor_params: Value,
    pub vendor_params_shape: Option<String>,
    pub documentation: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub applies_to: Option<String>,
}

impl HttpRequestTestCase {
    /// Whether a client generator should run this case.
    pub fn applies_to_client(&self) -> bool {
        self.applies_to.as_deref() != Some("server")
    }
}

impl HttpResponseTestCase {
    /// Whether a client generator should run this case.
    pub fn applies_to_client(&self) -> bool {
        self.applies_to.as_deref() != Some("server")
    }
}
