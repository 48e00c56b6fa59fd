//! The two error types of the protocol helpers: [`DeserializeError`] for a
//! response that does not match the model, [`SerializeError`] for a request
//! that cannot be put on the wire.

use std::fmt;

use crate::primitives::DateTimeFormat;

/// A response (body or header) that does not have the shape the model says.
///
/// `path` names where the problem is, using the wire names of members:
/// `events[2].errorCode` inside a JSON body, or a header name such as
/// `x-amz-meta-size`. It is empty for the body as a whole.
///
/// **The message never quotes the value.** It says what was expected and
/// what kind of value was found (`a string`, `an integer outside
/// -128..=127`, `text that is not valid base64`), never the value itself:
/// any header or body value may be `@sensitive` or a secret, and these
/// messages reach `Display`, `Debug` and tracing. Every helper in this
/// module follows the rule; code building a `DeserializeError` must too.
///
/// ```
/// use smithy_runtime::protocol::DeserializeError;
///
/// let err = DeserializeError::new("events[2].errorCode", "expected a string, found a number");
/// assert_eq!(err.to_string(), "at `events[2].errorCode`: expected a string, found a number");
/// assert_eq!(err.path(), "events[2].errorCode");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeserializeError {
    path: String,
    message: String,
}

impl DeserializeError {
    /// An error at `path` (wire names, empty for the whole body) saying what
    /// was expected and what was found.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        DeserializeError {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Where the problem is: a JSON path of wire names, a header name, or
    /// `""` for the body as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error seen from the enclosing structure: its path is put
    /// under member `member` (a wire name), so `code` becomes
    /// `error.code`, `[2]` becomes `events[2]` and `""` becomes `member`.
    ///
    /// Generated deserializers read each value with an empty path and add
    /// the path on the way out of an error, so nothing is built on success.
    ///
    /// ```
    /// use smithy_runtime::protocol::DeserializeError;
    ///
    /// let err = DeserializeError::new("", "expected a string, found a number")
    ///     .in_member("errorCode")
    ///     .in_index(2)
    ///     .in_member("events");
    /// assert_eq!(err.path(), "events[2].errorCode");
    /// ```
    pub fn in_member(self, member: &str) -> Self {
        self.under(member.to_owned())
    }

    /// The same error seen from the enclosing list: its path is put under
    /// item `index`, so `name` becomes `[3].name`.
    pub fn in_index(self, index: usize) -> Self {
        self.under(format!("[{index}]"))
    }

    /// The same error seen from the enclosing map: its path is put under the
    /// entry `key`, quoted since keys may hold dots or brackets, so `name`
    /// becomes `["my.key"].name`.
    pub fn in_key(self, key: &str) -> Self {
        self.under(format!("[{key:?}]"))
    }

    fn under(mut self, mut prefix: String) -> Self {
        if !self.path.is_empty() {
            if !self.path.starts_with('[') {
                prefix.push('.');
            }
            prefix.push_str(&self.path);
        }
        self.path = prefix;
        self
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DeserializeError {}

/// A response body as UTF-8 text, or an error giving the offset of the
/// first invalid byte.
pub(crate) fn body_text(body: &[u8]) -> Result<&str, DeserializeError> {
    std::str::from_utf8(body).map_err(|err| {
        DeserializeError::new(
            "",
            format!(
                "the body is not valid UTF-8 (invalid byte at offset {})",
                err.valid_up_to()
            ),
        )
    })
}

/// A timestamp at `path` that does not parse in `format` (the text is not
/// quoted).
pub(crate) fn bad_timestamp(path: &str, format: DateTimeFormat) -> DeserializeError {
    DeserializeError::new(
        path,
        format!("expected a {format} timestamp, found text that is not one"),
    )
}

/// Base64 text at `path` that does not decode (the text is not quoted).
pub(crate) fn bad_base64(path: &str) -> DeserializeError {
    DeserializeError::new(
        path,
        "expected base64 text, found text that is not valid base64",
    )
}

/// A request input that cannot be written as an HTTP request, e.g. an empty
/// `httpLabel` or a header value with a line break in it.
///
/// The message names the member or header and says why; like
/// [`DeserializeError`], it never quotes an input value.
///
/// ```
/// use smithy_runtime::protocol::SerializeError;
///
/// let err = SerializeError::new("httpLabel `arn` must not be empty");
/// assert_eq!(err.to_string(), "httpLabel `arn` must not be empty");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerializeError {
    message: String,
}

impl SerializeError {
    /// An error with a message naming the member or header and the reason.
    pub fn new(message: impl Into<String>) -> Self {
        SerializeError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SerializeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialize_error_display_names_the_path() {
        let err = DeserializeError::new("stage.name", "expected a string, found null");
        assert_eq!(
            err.to_string(),
            "at `stage.name`: expected a string, found null"
        );
        assert_eq!(err.message(), "expected a string, found null");
    }

    #[test]
    fn deserialize_error_without_path_is_just_the_message() {
        let err = DeserializeError::new("", "the body is not valid JSON");
        assert_eq!(err.to_string(), "the body is not valid JSON");
        assert_eq!(err.path(), "");
    }

    #[test]
    fn paths_grow_from_the_inside_out() {
        let leaf = DeserializeError::new("", "expected a string, found a number");
        let err = leaf
            .clone()
            .in_member("errorCode")
            .in_index(2)
            .in_member("events");
        assert_eq!(err.path(), "events[2].errorCode");
        assert_eq!(
            err.to_string(),
            "at `events[2].errorCode`: expected a string, found a number"
        );
        let err = leaf.clone().in_index(0).in_index(1).in_member("matrix");
        assert_eq!(err.path(), "matrix[1][0]");
        let err = leaf.in_member("value").in_key("a.b\"c").in_member("tags");
        assert_eq!(err.path(), r#"tags["a.b\"c"].value"#);
        let err = DeserializeError::new("x-count", "bad").in_member("outer");
        assert_eq!(err.path(), "outer.x-count");
    }

    #[test]
    fn serialize_error_is_its_message() {
        let err = SerializeError::new(String::from("header `x-a` is bad"));
        assert_eq!(err.message(), "header `x-a` is bad");
        assert_eq!(err.to_string(), "header `x-a` is bad");
        let boxed: Box<dyn std::error::Error> = Box::new(err);
        assert!(boxed.source().is_none());
    }
}
