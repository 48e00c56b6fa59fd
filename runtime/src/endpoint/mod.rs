//! Endpoint resolution: an interpreter for Smithy endpoint rule sets
//! (`smithy.rules#endpointRuleSet`) with the standard library and the AWS
//! functions (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`).
//!
//! # Why interpret rather than generate
//!
//! A generated client embeds its rule set's JSON as a `&'static str` in a
//! [`LazyRuleSet`] and calls [`LazyRuleSet::resolve`]. The alternative,
//! turning every rule into Rust, multiplies generated code (and compile
//! time) by the size of the rule set, and every service pays for it again.
//! Interpreting keeps the generated code to a few lines and the logic in
//! this one tested module. Nothing happens when a client is created: the
//! rule set is parsed and checked on the first resolution, once, and the
//! partition table on the first `aws.partition` call, once. Resolving
//! walks a tree of already-parsed templates, paths and function names, so
//! per-request cost is a few small allocations.
//!
//! # Use
//!
//! ```
//! use smithy_runtime::endpoint::{EndpointParams, RuleSet};
//!
//! let rules = RuleSet::from_json(r#"{
//!   "version": "1.0",
//!   "parameters": {"Region": {"type": "string", "builtIn": "AWS::Region"}},
//!   "rules": [
//!     {"type": "tree", "conditions": [
//!         {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
//!      "rules": [{"type": "endpoint", "conditions": [],
//!                 "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}}]},
//!     {"type": "error", "conditions": [], "error": "Missing Region"}]
//! }"#).unwrap();
//! let params = EndpointParams::from_builtins(Some("cn-north-1"), false, false, None, &rules);
//! assert_eq!(rules.resolve(&params).unwrap().url, "https://svc.cn-north-1.amazonaws.com.cn");
//! let err = rules.resolve(&EndpointParams::new()).unwrap_err();
//! assert_eq!(err.to_string(), "Missing Region");
//! ```

mod attr;
mod aws;
mod error;
mod eval;
mod functions;
mod json;
mod params;
mod partition;
mod region_pattern;
mod ruleset;
mod template;
mod value;

#[cfg(test)]
mod tests;

pub use error::{EndpointError, RuleSetError, RuleSetProblem};
pub use eval::Endpoint;
pub use params::{
    BlankParameterError, EndpointParams, BUILT_IN_ENDPOINT, BUILT_IN_REGION, BUILT_IN_USE_DUAL_STACK, BUILT_IN_USE_FIPS,
};
pub use ruleset::{Deprecated, LazyRuleSet, Parameter, ParameterType, RuleSet};
pub use value::Value;
