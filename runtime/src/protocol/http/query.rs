//! The query string: the URI pattern's literal query, then `@httpQuery`
//! and `@httpQueryParams` members.

use super::percent_encode;

/// Builds the query string of a request: the literal query of the `@http`
/// URI pattern first, then `@httpQuery` parameters in the order pushed.
///
/// ```
/// use smithy_runtime::protocol::http::QueryWriter;
///
/// let mut query = QueryWriter::new("x-id=Untag");
/// query.push("tagKeys", "env").push("tagKeys", "a&b=c d");
/// assert_eq!(query.finish(), "?x-id=Untag&tagKeys=env&tagKeys=a%26b%3Dc%20d");
/// assert_eq!(QueryWriter::new("").finish(), "");
/// ```
#[derive(Clone, Debug, Default)]
pub struct QueryWriter {
    /// `k=v&k2=v2`, already encoded, without the `?`.
    query: String,
    /// The unencoded keys written so far, for [`QueryWriter::contains`].
    keys: Vec<String>,
}

impl QueryWriter {
    /// Starts with the literal query of the URI pattern (`bar` or `x=y&z`,
    /// with or without the leading `?`; a whole pattern such as `/Foo?bar`
    /// also works, as everything up to the first `?` is dropped). The
    /// literal is the model's and is kept as written.
    pub fn new(uri_pattern_query: &str) -> Self {
        let literal = uri_pattern_query
            .split_once('?')
            .map_or(uri_pattern_query, |(_, query)| query);
        let mut writer = QueryWriter::default();
        for part in literal.split('&').filter(|part| !part.is_empty()) {
            let key = part.split_once('=').map_or(part, |(key, _)| key);
            writer.keys.push(key.to_owned());
            writer.append(part);
        }
        writer
    }

    /// Adds `key=value`, both percent-encoded (all but the RFC 3986
    /// unreserved characters; a space is `%20`). A list is pushed once per
    /// item under the same key.
    pub fn push(&mut self, key: &str, value: &str) -> &mut Self {
        let pair = format!("{}={}", percent_encode(key), percent_encode(value));
        self.append(&pair);
        self.keys.push(key.to_owned());
        self
    }

    /// Whether `key` is already in the query (from the literal or a push),
    /// so `@httpQueryParams` entries can give way to `@httpQuery` members.
    pub fn contains(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// `""` if nothing was written, else `?` followed by the parameters.
    pub fn finish(&self) -> String {
        if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        }
    }

    /// The encoded `k=v&k2=v2` pairs without the `?`, e.g. as a form body.
    pub fn pairs(&self) -> &str {
        &self.query
    }

    fn append(&mut self, pair: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(pair);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_writer_keeps_the_literal_first() {
        let mut q = QueryWriter::new("?x=y");
        q.push("a", "1");
        assert_eq!(q.finish(), "?x=y&a=1");
        assert_eq!(QueryWriter::new("/Foo?bar").finish(), "?bar");
        assert_eq!(QueryWriter::new("bar&&baz=").finish(), "?bar&baz=");
        assert_eq!(QueryWriter::new("?").finish(), "");
        assert_eq!(QueryWriter::new("").finish(), "");
        let q = QueryWriter::new("x-id=Get&flag");
        assert!(q.contains("x-id") && q.contains("flag") && !q.contains("x"));
    }

    #[test]
    fn query_writer_encodes_keys_and_values() {
        let mut q = QueryWriter::new("");
        q.push("tag keys", "a b")
            .push("k", "")
            .push("p", "100%/x+y&z=ü")
            .push("k", "~._-");
        assert_eq!(
            q.finish(),
            "?tag%20keys=a%20b&k=&p=100%25%2Fx%2By%26z%3D%C3%BC&k=~._-"
        );
        assert!(q.contains("tag keys") && q.contains("k") && !q.contains("tag%20keys"));
    }
}
