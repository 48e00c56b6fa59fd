//! `@httpLabel` path segments and `@hostLabel` host labels.

use super::{percent_encode, ENCODE};
use crate::protocol::SerializeError;
use percent_encoding::utf8_percent_encode;

/// Writes an `@httpLabel` value as a path segment, percent-encoding all but
/// the RFC 3986 unreserved characters.
///
/// A greedy label (`{key+}`) keeps its `/` separators and encodes each
/// segment. Errors name `member`: an empty value, an empty segment in a
/// greedy value (leading, trailing or doubled `/`), and a segment that is
/// `.` or `..`, which URL normalization (including SigV4's) would remove.
///
/// ```
/// use smithy_runtime::protocol::http::label;
///
/// assert_eq!(label("arn:aws:ivs:us-east-1:1:stage/ab c", "arn", false).unwrap(),
///            "arn%3Aaws%3Aivs%3Aus-east-1%3A1%3Astage%2Fab%20c");
/// assert_eq!(label("photos/2024/ä.png", "key", true).unwrap(), "photos/2024/%C3%A4.png");
/// assert!(label("", "arn", false).is_err());
/// ```
pub fn label(value: &str, member: &str, greedy: bool) -> Result<String, SerializeError> {
    if value.is_empty() {
        return Err(SerializeError::new(format!(
            "httpLabel `{member}` must not be empty"
        )));
    }
    if !greedy {
        check_dot_segment(value, member)?;
        return Ok(percent_encode(value));
    }
    let mut out = String::with_capacity(value.len());
    for (index, segment) in value.split('/').enumerate() {
        if segment.is_empty() {
            return Err(SerializeError::new(format!(
                "greedy httpLabel `{member}` must not contain an empty path segment \
                 (a leading, trailing or doubled `/`)"
            )));
        }
        check_dot_segment(segment, member)?;
        if index > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(segment, ENCODE));
    }
    Ok(out)
}

fn check_dot_segment(segment: &str, member: &str) -> Result<(), SerializeError> {
    if segment == "." || segment == ".." {
        return Err(SerializeError::new(format!(
            "httpLabel `{member}` must not be the path segment `{segment}`, \
             which URL normalization would remove"
        )));
    }
    Ok(())
}

/// Checks a `@hostLabel` value before it goes into the endpoint host
/// (through `@endpoint(hostPrefix)`), returning it unchanged.
///
/// The value must be one DNS label: 1 to 63 ASCII letters, digits and
/// hyphens, not starting or ending with a hyphen. Anything else (a dot, a
/// slash, an `@`) could point the request at another host, so it is an
/// error naming `member`.
pub fn host_label(value: &str, member: &str) -> Result<String, SerializeError> {
    let valid = (1..=63).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(SerializeError::new(format!(
            "hostLabel `{member}` must be 1 to 63 letters, digits and hyphens, \
             not starting or ending with a hyphen; found {} bytes that are not",
            value.len()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::http::error;

    #[test]
    fn labels_encode_all_but_unreserved() {
        assert_eq!(label("AZaz09-._~", "m", false).unwrap(), "AZaz09-._~");
        assert_eq!(
            label("a b/c%d+e:f?g#h&i=j'k", "m", false).unwrap(),
            "a%20b%2Fc%25d%2Be%3Af%3Fg%23h%26i%3Dj%27k"
        );
        assert_eq!(
            label("ünï 🎥", "m", false).unwrap(),
            "%C3%BCn%C3%AF%20%F0%9F%8E%A5"
        );
        assert_eq!(label("%2F", "m", false).unwrap(), "%252F");
        assert_eq!(
            label(
                "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCDefgh",
                "resourceArn",
                false
            )
            .unwrap(),
            "arn%3Aaws%3Aivs%3Aus-west-2%3A123456789012%3Astage%2FabcdABCDefgh"
        );
    }

    #[test]
    fn greedy_labels_keep_slashes() {
        assert_eq!(label("a/b c/d", "key", true).unwrap(), "a/b%20c/d");
        assert_eq!(label("x", "key", true).unwrap(), "x");
        assert_eq!(label("a/%/ü", "key", true).unwrap(), "a/%25/%C3%BC");
        for bad in ["/a", "a/", "a//b", "/"] {
            assert_eq!(
                error(label(bad, "key", true)),
                "greedy httpLabel `key` must not contain an empty path segment \
                 (a leading, trailing or doubled `/`)",
                "{bad}"
            );
        }
    }

    #[test]
    fn empty_and_dot_labels_are_errors() {
        assert_eq!(
            error(label("", "arn", false)),
            "httpLabel `arn` must not be empty"
        );
        assert_eq!(
            error(label("", "key", true)),
            "httpLabel `key` must not be empty"
        );
        assert!(error(label("..", "id", false)).contains("`..`"));
        assert!(error(label("a/./b", "key", true)).contains("`.`"));
        assert_eq!(label("...", "id", false).unwrap(), "...");
        assert_eq!(label("a/..b", "key", true).unwrap(), "a/..b");
    }

    #[test]
    fn host_labels_must_be_one_dns_label() {
        assert_eq!(
            host_label("abc-123", "accountId").ok().as_deref(),
            Some("abc-123")
        );
        assert!(host_label(&"a".repeat(63), "m").is_ok());
        assert!(host_label(&"a".repeat(64), "m").is_err());
        for bad in ["", "-a", "a-", "a.b", "evil.com/x", "a@b", "ü", "a b"] {
            assert!(host_label(bad, "accountId").is_err(), "{bad}");
        }
        assert_eq!(
            error(host_label("a.b", "accountId")),
            "hostLabel `accountId` must be 1 to 63 letters, digits and hyphens, \
             not starting or ending with a hyphen; found 3 bytes that are not"
        );
        let host = host_label("MARKER.s3cr3t", "m").expect_err("not a DNS label");
        assert!(!host.to_string().contains("MARKER"), "{host}");
    }
}
