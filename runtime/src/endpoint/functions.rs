//! The standard library's string functions: `isValidHostLabel`,
//! `substring`, `uriEncode` and `parseURL`. The engine (`eval.rs`) does the
//! argument checking; these work on plain Rust values.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::Value;

/// `isValidHostLabel`: an RFC 1123 label is 1 to 63 ASCII letters, digits
/// and hyphens, not starting with a hyphen. With `allow_subdomains`, every
/// `.`-separated part must be one.
pub(crate) fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    fn is_label(label: &str) -> bool {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }
    if allow_subdomains {
        value.split('.').all(is_label)
    } else {
        is_label(value)
    }
}

/// `substring`: the bytes `start..stop` of an ASCII string, counted from the
/// end when `reverse`. `None` for non-ASCII input, negative or empty ranges,
/// and ranges past the end.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() {
        return None;
    }
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    let len = input.len();
    if start >= stop || stop > len {
        return None;
    }
    let range = if reverse {
        len - stop..len - start
    } else {
        start..stop
    };
    input.get(range).map(str::to_owned)
}

/// Everything but RFC 3986's unreserved characters.
const URI_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `uriEncode`: percent-encodes every byte except `A-Z a-z 0-9 - _ . ~`,
/// with uppercase hex digits.
pub(crate) fn uri_encode(value: &str) -> String {
    utf8_percent_encode(value, URI_ENCODE_SET).to_string()
}

/// The parts of a URL that `parseURL` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedUrl {
    pub(crate) scheme: String,
    pub(crate) authority: String,
    pub(crate) path: String,
    pub(crate) normalized_path: String,
    pub(crate) is_ip: bool,
}

impl ParsedUrl {
    /// The `URL` structure as a rules-engine object.
    pub(crate) fn into_value(self) -> Value {
        let mut object = BTreeMap::new();
        object.insert("scheme".to_owned(), Value::String(self.scheme));
        object.insert("authority".to_owned(), Value::String(self.authority));
        object.insert("path".to_owned(), Value::String(self.path));
        object.insert(
            "normalizedPath".to_owned(),
            Value::String(self.normalized_path),
        );
        object.insert("isIp".to_owned(), Value::Bool(self.is_ip));
        Value::Object(object)
    }
}

/// `parseURL`: splits an `http` or `https` URL. `None` when the URL has a
/// query or fragment, another scheme, no host, a malformed port or IPv6
/// literal, or whitespace and other characters a host cannot hold.
///
/// `path` is the path exactly as written (empty for `https://host`);
/// `normalizedPath` always starts and ends with `/`. A userinfo part is
/// dropped from `authority`; a port, even the scheme's default, is kept as
/// written.
pub(crate) fn parse_url(input: &str) -> Option<ParsedUrl> {
    let (scheme, rest) = input.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    let authority = match authority.rfind('@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let (host, port, is_ip) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (inner, after) = bracketed.split_once(']')?;
        inner.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (inner, port, true)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let host_chars_ok = host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%'));
        if !host_chars_ok {
            return None;
        }
        (host, port, host.parse::<Ipv4Addr>().is_ok())
    };
    if host.is_empty() {
        return None;
    }
    if let Some(port) = port {
        if port.is_empty()
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u16>().is_err()
        {
            return None;
        }
    }
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(ParsedUrl {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("0abc", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b-c.d", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.", true));
        assert!(!is_valid_host_label("a.-b", true));
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true).as_deref(), Some("ef"));
        assert_eq!(substring("abcd", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abc", 0, 4, false), None, "too short");
        assert_eq!(substring("abcdef", 3, 3, false), None, "empty range");
        assert_eq!(substring("abcdef", 4, 2, false), None, "backwards range");
        assert_eq!(substring("abcdef", -1, 2, false), None, "negative start");
        assert_eq!(
            substring("ab\u{e9}cdef", 0, 2, false),
            None,
            "non-ASCII input"
        );
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("abc-_.~XYZ09"), "abc-_.~XYZ09");
        assert_eq!(uri_encode("a b/c"), "a%20b%2Fc");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
    }

    fn parsed(url: &str) -> ParsedUrl {
        parse_url(url).unwrap_or_else(|| panic!("{url} should parse"))
    }

    #[test]
    fn parses_plain_urls() {
        let u = parsed("https://example.com");
        assert_eq!(
            (
                u.scheme.as_str(),
                u.authority.as_str(),
                u.path.as_str(),
                u.normalized_path.as_str(),
                u.is_ip
            ),
            ("https", "example.com", "", "/", false)
        );
        let u = parsed("http://example.com:80/foo/bar");
        assert_eq!(
            (
                u.scheme.as_str(),
                u.authority.as_str(),
                u.path.as_str(),
                u.normalized_path.as_str()
            ),
            ("http", "example.com:80", "/foo/bar", "/foo/bar/")
        );
        let u = parsed("https://example.com/");
        assert_eq!((u.path.as_str(), u.normalized_path.as_str()), ("/", "/"));
    }

    #[test]
    fn recognises_ip_hosts() {
        let u = parsed("https://127.0.0.1");
        assert!(u.is_ip);
        assert_eq!(u.authority, "127.0.0.1");
        let u = parsed("https://[fe80::1]:8443/x");
        assert!(u.is_ip);
        assert_eq!(u.authority, "[fe80::1]:8443");
        assert!(!parsed("https://127.0.0.1.example.com").is_ip);
        assert!(!parsed("https://999.0.0.1").is_ip);
    }

    #[test]
    fn drops_userinfo() {
        assert_eq!(
            parsed("https://user:pw@example.com/p").authority,
            "example.com"
        );
    }

    #[test]
    fn rejects_what_is_not_an_endpoint_url() {
        for bad in [
            "https://example.com:8443?foo=bar&faz=baz",
            "https://example.com/path?x",
            "https://example.com#frag",
            "ftp://example.com",
            "example.com",
            "https://",
            "https:///path",
            "https://example.com:",
            "https://example.com:abc",
            "https://example.com:99999",
            "https://[not-ipv6]",
            "https://[::1",
            "https://[::1]x",
            "https://exa mple.com",
            "https://a:1:2",
        ] {
            assert_eq!(parse_url(bad), None, "{bad:?} should be rejected");
        }
    }

    #[test]
    fn url_value_has_the_spec_members() {
        let v = parsed("https://example.com/a").into_value();
        assert_eq!(v.get("normalizedPath"), Some(&Value::from("/a/")));
        assert_eq!(v.get("isIp"), Some(&Value::Bool(false)));
        assert_eq!(v.get("scheme"), Some(&Value::from("https")));
    }
}
