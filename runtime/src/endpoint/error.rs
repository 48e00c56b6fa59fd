//! Errors from loading a rule set and from resolving an endpoint.

use std::fmt;

use super::ParameterType;

/// One problem found while loading a rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetProblem {
    /// Where the problem is, as a path into the rule set document, such as
    /// `rules[1].rules[0].conditions[2].argv[0]`.
    pub location: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for RuleSetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// The rule set document could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleSetError {
    /// The text is not JSON, or its shape is not that of a rule set (for
    /// example a rule without `type`). Carries the JSON parser's message, or
    /// where in the document the shape is wrong and how, e.g.
    /// `rules[0].conditions[1]: missing field `fn``.
    Json(String),
    /// The document has the right shape but its content is wrong: every
    /// problem found is listed, not only the first.
    Invalid(Vec<RuleSetProblem>),
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleSetError::Json(msg) => write!(
                f,
                "endpoint rule set is not valid JSON of the expected shape: {msg}"
            ),
            RuleSetError::Invalid(problems) => {
                write!(f, "endpoint rule set has {} problem(s)", problems.len())?;
                for (i, problem) in problems.iter().enumerate() {
                    let sep = if i == 0 { ": " } else { "; " };
                    write!(f, "{sep}{problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for RuleSetError {}

/// An endpoint could not be resolved.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EndpointError {
    /// An `error` rule matched; this is its message, e.g.
    /// `Invalid Configuration: Missing Region`. `Display` prints it verbatim.
    Rule(String),
    /// A required parameter without a default was not set.
    MissingParameter(String),
    /// A parameter was set that the rule set does not declare.
    UnknownParameter(String),
    /// A parameter was set to a value of the wrong type.
    InvalidParameter {
        /// The parameter's name.
        name: String,
        /// The type the rule set declares.
        expected: ParameterType,
        /// The type of the value given.
        found: &'static str,
    },
    /// The rule set calls a function this engine does not implement.
    UnsupportedFunction(String),
    /// No rule matched: the rule set's rules, or a tree rule's sub-rules,
    /// were exhausted.
    NoMatchingRule,
    /// Evaluation went wrong: a function argument of the wrong type, a
    /// template variable that is unset or not a string, an endpoint URL that
    /// is not a string, or unusable partition data.
    Evaluation(String),
    /// The rule set itself could not be loaded.
    InvalidRuleSet(RuleSetError),
}

impl EndpointError {
    /// The message of the `error` rule that matched, if that is what happened.
    pub fn rule_message(&self) -> Option<&str> {
        match self {
            EndpointError::Rule(msg) => Some(msg),
            _ => None,
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Rule(msg) => f.write_str(msg),
            EndpointError::MissingParameter(name) => {
                write!(f, "endpoint parameter `{name}` is required but was not set")
            }
            EndpointError::UnknownParameter(name) => {
                write!(
                    f,
                    "endpoint parameter `{name}` is not declared by the rule set"
                )
            }
            EndpointError::InvalidParameter {
                name,
                expected,
                found,
            } => write!(
                f,
                "endpoint parameter `{name}` must be a {expected}, but a {found} was given"
            ),
            EndpointError::UnsupportedFunction(name) => {
                write!(f, "endpoint rule function `{name}` is not supported")
            }
            EndpointError::NoMatchingRule => f.write_str("no endpoint rule matched the parameters"),
            EndpointError::Evaluation(msg) => write!(f, "endpoint rule evaluation failed: {msg}"),
            EndpointError::InvalidRuleSet(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for EndpointError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EndpointError::InvalidRuleSet(err) => Some(err),
            _ => None,
        }
    }
}

impl From<RuleSetError> for EndpointError {
    fn from(err: RuleSetError) -> Self {
        EndpointError::InvalidRuleSet(err)
    }
}
