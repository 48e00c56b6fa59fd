//! The error a generated builder's `build()` returns.

use std::fmt;

/// A value could not be built because a required member was not set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    member: &'static str,
}

impl BuildError {
    /// For generated code: `member` of `type_name` is required but was not set.
    pub fn missing_member(type_name: &'static str, member: &'static str) -> Self {
        BuildError { type_name, member }
    }

    /// For generated code: the value of required member `member` of
    /// `type_name`, or the error saying it was not set. One function for
    /// every member, where a closure per member would each be compiled
    /// separately.
    pub fn require<T>(
        value: Option<T>,
        type_name: &'static str,
        member: &'static str,
    ) -> Result<T, BuildError> {
        match value {
            Some(value) => Ok(value),
            None => Err(BuildError::missing_member(type_name, member)),
        }
    }

    /// The Rust type that could not be built, e.g. `CreateStageInput`.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The Rust name of the missing member, e.g. `name`.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build {}: required member `{}` was not set", self.type_name, self.member)
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_type_and_member() {
        let e = BuildError::missing_member("GetStageInput", "arn");
        assert_eq!(e.to_string(), "cannot build GetStageInput: required member `arn` was not set");
        assert_eq!((e.type_name(), e.member()), ("GetStageInput", "arn"));
    }

    #[test]
    fn require_gives_the_value_or_the_missing_member() {
        assert_eq!(BuildError::require(Some(7), "GetStageInput", "arn"), Ok(7));
        assert_eq!(
            BuildError::require(None::<String>, "GetStageInput", "arn"),
            Err(BuildError::missing_member("GetStageInput", "arn"))
        );
    }
}
