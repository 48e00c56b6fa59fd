//! Endpoint parameters: the values a client hands to the rule set.

use std::borrow::Cow;
use std::fmt;

use super::{RuleSet, Value};

/// The built-in for the configured region (`Region` in AWS rule sets).
pub const BUILT_IN_REGION: &str = "AWS::Region";
/// The built-in for `use_fips` (`UseFIPS`).
pub const BUILT_IN_USE_FIPS: &str = "AWS::UseFIPS";
/// The built-in for `use_dual_stack` (`UseDualStack`).
pub const BUILT_IN_USE_DUAL_STACK: &str = "AWS::UseDualStack";
/// The built-in for a custom endpoint URL (`Endpoint`).
pub const BUILT_IN_ENDPOINT: &str = "SDK::Endpoint";

/// Parameter values by name. A handful of entries, so a vector searched
/// in order; setting a name again replaces its value. Names given as
/// `&'static str` are not copied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndpointParams {
    values: Vec<(Cow<'static, str>, Value)>,
}

impl EndpointParams {
    /// No parameters set.
    pub fn new() -> EndpointParams {
        EndpointParams::default()
    }

    /// Sets a string parameter.
    pub fn set_str(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> EndpointParams {
        self.insert(name, Value::String(value.into()));
        self
    }

    /// Sets a boolean parameter.
    pub fn set_bool(mut self, name: impl Into<Cow<'static, str>>, value: bool) -> EndpointParams {
        self.insert(name, Value::Bool(value));
        self
    }

    /// Sets a `stringArray` parameter.
    pub fn set_string_array<I, S>(
        mut self,
        name: impl Into<Cow<'static, str>>,
        values: I,
    ) -> EndpointParams
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.insert(
            name,
            Value::Array(
                values
                    .into_iter()
                    .map(|s| Value::String(s.into()))
                    .collect(),
            ),
        );
        self
    }

    /// Sets a parameter to any value, replacing an earlier one.
    pub fn insert(&mut self, name: impl Into<Cow<'static, str>>, value: Value) {
        let name = name.into();
        match self.values.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.values.push((name, value)),
        }
    }

    /// Unsets a parameter, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let at = self.values.iter().position(|(n, _)| n == name)?;
        Some(self.values.remove(at).1)
    }

    /// The value of a parameter, if set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The parameters set, in the order first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(n, v)| (n.as_ref(), v))
    }

    /// How many parameters are set.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// For generated code: sets the string parameter `name` from `member`,
    /// a required input member bound to it with `@contextParam`. Smithy
    /// asks clients not to send such a request when the value is empty or
    /// only whitespace, so that servers can rely on it: that is an error
    /// here, before anything is sent.
    pub fn insert_required_str(
        &mut self,
        name: &'static str,
        member: &'static str,
        value: &str,
    ) -> Result<(), BlankParameterError> {
        if value.trim().is_empty() {
            return Err(BlankParameterError { parameter: name, member });
        }
        self.insert(name, Value::from(value));
        Ok(())
    }

    /// Sets every value of `other`, replacing values set under the same
    /// names: how an operation's parameters go on top of the client's.
    pub fn extend(&mut self, other: &EndpointParams) {
        for (name, value) in &other.values {
            self.insert(name.clone(), value.clone());
        }
    }

    /// Sets each value of `other` whose name `rules` declares and leaves
    /// the others out: how a client's context parameters (set by name on
    /// its configuration) join the built-ins.
    pub fn extend_declared(&mut self, other: &EndpointParams, rules: &RuleSet) {
        for (name, value) in &other.values {
            if rules.parameter(name).is_some() {
                self.insert(name.clone(), value.clone());
            }
        }
    }

    /// Parameters from client configuration: each parameter of `rules`
    /// whose `builtIn` is [`BUILT_IN_REGION`], [`BUILT_IN_USE_FIPS`],
    /// [`BUILT_IN_USE_DUAL_STACK`] or [`BUILT_IN_ENDPOINT`] gets the matching
    /// value, under whatever name the rule set gives it. `None` leaves a
    /// parameter unset; other built-ins are left alone, so they take the
    /// rule set's default or stay unset: among them
    /// `AWS::Auth::AccountId` and `AWS::Auth::AccountIdEndpointMode`
    /// (DynamoDB's rules then choose the regional endpoint, not an
    /// account-based one).
    pub fn from_builtins(
        region: Option<&str>,
        use_fips: bool,
        use_dual_stack: bool,
        endpoint_url: Option<&str>,
        rules: &RuleSet,
    ) -> EndpointParams {
        let mut params = EndpointParams::new();
        for p in rules.parameters() {
            let value = match p.built_in() {
                Some(BUILT_IN_REGION) => region.map(Value::from),
                Some(BUILT_IN_USE_FIPS) => Some(Value::Bool(use_fips)),
                Some(BUILT_IN_USE_DUAL_STACK) => Some(Value::Bool(use_dual_stack)),
                Some(BUILT_IN_ENDPOINT) => endpoint_url.map(Value::from),
                _ => None,
            };
            if let Some(value) = value {
                params.values.push((Cow::Owned(p.name().to_owned()), value));
            }
        }
        params
    }
}

/// A required input member bound to an endpoint parameter was empty or
/// only whitespace (see [`EndpointParams::insert_required_str`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlankParameterError {
    parameter: &'static str,
    member: &'static str,
}

impl BlankParameterError {
    /// The endpoint parameter, e.g. `Bucket`.
    pub fn parameter(&self) -> &'static str {
        self.parameter
    }

    /// The input member, e.g. `bucket`.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BlankParameterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` must not be empty or only whitespace: it chooses the endpoint (endpoint parameter `{}`)",
            self.member, self.parameter
        )
    }
}

impl std::error::Error for BlankParameterError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_replace_and_keep_order() {
        let mut p = EndpointParams::new()
            .set_str("Region", "us-east-1")
            .set_bool("UseFIPS", true);
        p.insert("Region", Value::from("eu-west-1"));
        assert_eq!(p.len(), 2);
        assert_eq!(p.get("Region"), Some(&Value::from("eu-west-1")));
        assert_eq!(
            p.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            ["Region", "UseFIPS"]
        );
        assert_eq!(p.remove("UseFIPS"), Some(Value::Bool(true)));
        assert_eq!(p.get("UseFIPS"), None);
        let p = EndpointParams::new().set_string_array("Names", ["a", "b"]);
        assert_eq!(
            p.get("Names"),
            Some(&Value::Array(vec![Value::from("a"), Value::from("b")]))
        );
    }

    #[test]
    fn extend_replaces_and_extend_declared_keeps_only_declared_names() {
        let rules = RuleSet::from_json(
            r#"{"version": "1.0",
                "parameters": {"Accelerate": {"type": "boolean"}, "Bucket": {"type": "string"}},
                "rules": [{"type": "error", "conditions": [], "error": "x"}]}"#,
        )
        .expect("valid");
        let client = EndpointParams::new()
            .set_bool("Accelerate", true)
            .set_bool("NotInTheRules", true);
        let mut params = EndpointParams::new().set_str("Bucket", "a");
        params.extend_declared(&client, &rules);
        assert_eq!(params.get("Accelerate"), Some(&Value::Bool(true)));
        assert_eq!(params.get("NotInTheRules"), None);
        params.extend(&EndpointParams::new().set_str("Bucket", "b").set_bool("Other", false));
        assert_eq!(params.get("Bucket"), Some(&Value::from("b")));
        assert_eq!(params.get("Other"), Some(&Value::Bool(false)));
        assert_eq!(params.len(), 3);
    }

    #[test]
    fn required_strings_must_not_be_blank() {
        let mut params = EndpointParams::new();
        assert_eq!(params.insert_required_str("Bucket", "bucket", "logs"), Ok(()));
        assert_eq!(params.get("Bucket"), Some(&Value::from("logs")));
        for blank in ["", "  ", "\t\n"] {
            let err = params
                .insert_required_str("Bucket", "bucket", blank)
                .expect_err("blank");
            assert_eq!((err.parameter(), err.member()), ("Bucket", "bucket"));
            assert_eq!(
                err.to_string(),
                "`bucket` must not be empty or only whitespace: it chooses the endpoint (endpoint parameter `Bucket`)"
            );
        }
        assert_eq!(params.get("Bucket"), Some(&Value::from("logs")), "unchanged by the refused values");
    }

    #[test]
    fn built_ins_map_to_the_rule_sets_names() {
        let rules = RuleSet::from_json(
            r#"{"version": "1.0",
                "parameters": {
                  "Where": {"type": "string", "builtIn": "AWS::Region"},
                  "Fips": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
                  "Dual": {"type": "boolean", "builtIn": "AWS::UseDualStack", "required": true, "default": false},
                  "Url": {"type": "string", "builtIn": "SDK::Endpoint"},
                  "Acct": {"type": "string", "builtIn": "AWS::Auth::AccountId"},
                  "Plain": {"type": "string"}},
                "rules": [{"type": "error", "conditions": [], "error": "x"}]}"#,
        )
        .expect("valid");
        let p = EndpointParams::from_builtins(Some("us-west-2"), true, false, None, &rules);
        assert_eq!(p.get("Where"), Some(&Value::from("us-west-2")));
        assert_eq!(p.get("Fips"), Some(&Value::Bool(true)));
        assert_eq!(p.get("Dual"), Some(&Value::Bool(false)));
        assert_eq!(p.get("Url"), None, "no endpoint_url: left unset");
        assert_eq!(p.get("Acct"), None, "other built-ins untouched");
        assert_eq!(p.get("Plain"), None);
        let p = EndpointParams::from_builtins(
            None,
            false,
            true,
            Some("https://localhost:8080"),
            &rules,
        );
        assert_eq!(p.get("Where"), None);
        assert_eq!(p.get("Url"), Some(&Value::from("https://localhost:8080")));
        assert_eq!(p.get("Dual"), Some(&Value::Bool(true)));
    }
}
