//! What the XML-protocol loopback servers ([`crate::query_server`] for
//! awsQuery, [`crate::s3_server`] for restXml) share to read requests and
//! write answers:
//!
//! - [`Form`]: an `application/x-www-form-urlencoded` body or a URL query,
//!   decoded with `percent-encoding`, with the awsQuery conventions for lists
//!   (`Name.member.1`, `Name.member.2`, …) and maps (`Name.entry.1.key`, …)
//!   read back into numbered sub-forms that must count from 1 without gaps;
//! - [`XmlWriter`]: an XML document written element by element, text escaped
//!   by `quick-xml`;
//! - [`timestamp`]: an instant in the `date-time` or `http-date` wire format.

use percent_encoding::percent_decode;
use smithy_runtime::primitives::{DateTime, DateTimeFormat};

use crate::loopback::RecordedRequest;

impl RecordedRequest {
    /// The body read as a form (an awsQuery request).
    pub fn form(&self) -> Result<Form, String> {
        Form::parse(&self.body)
    }

    /// The query of the request's path, read as a form.
    pub fn query(&self) -> Result<Form, String> {
        Form::from_query(&self.path)
    }
}

/// Name/value pairs in the order they were sent, percent-decoded, `+` read as
/// a space.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Decodes `name=value&name=value` (a pair without `=` has an empty
    /// value); a name or value that is not UTF-8 once decoded is an error.
    pub fn parse(text: &[u8]) -> Result<Form, String> {
        let mut pairs = Vec::new();
        for pair in text.split(|&b| b == b'&').filter(|pair| !pair.is_empty()) {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &pair[pair.len()..]),
            };
            pairs.push((decode(name)?, decode(value)?));
        }
        Ok(Form { pairs })
    }

    /// The query of `path` (after its `?`), or an empty form without one.
    pub fn from_query(path: &str) -> Result<Form, String> {
        path.split_once('?')
            .map_or(Ok(Form::default()), |(_, query)| {
                Form::parse(query.as_bytes())
            })
    }

    /// Every pair, in the order sent.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The value of `name`; the first one if it was sent more than once.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, or why the request is wrong without it.
    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.get(name).ok_or_else(|| format!("{name} is required"))
    }

    /// The items of the awsQuery list `name` (`name.member.N…`), each as the
    /// form of what follows `name.member.N.` (a scalar item is the one pair
    /// named `""`). No items is an empty list; numbers must run 1, 2, 3, …
    pub fn list(&self, name: &str) -> Result<Vec<Form>, String> {
        self.numbered(&format!("{name}.member."))
    }

    /// The entries of the awsQuery map `name` (`name.entry.N…`), each as the
    /// form of what follows `name.entry.N.` (with the map's key and value
    /// names, `key`/`value` unless `@xmlName` renamed them); numbered as
    /// [`Form::list`] items are.
    pub fn map_entries(&self, name: &str) -> Result<Vec<Form>, String> {
        self.numbered(&format!("{name}.entry."))
    }

    /// The items of a flattened awsQuery list or the whole of a nested
    /// structure: the form of what follows `prefix.` (`prefix` itself is the
    /// pair named `""`).
    pub fn nested(&self, prefix: &str) -> Form {
        let pairs = self
            .pairs
            .iter()
            .filter_map(|(name, value)| {
                let rest = name.strip_prefix(prefix)?;
                let rest = if rest.is_empty() {
                    rest
                } else {
                    rest.strip_prefix('.')?
                };
                Some((rest.to_owned(), value.clone()))
            })
            .collect();
        Form { pairs }
    }

    /// Sub-forms keyed `<prefix>N` or `<prefix>N.<rest>`, in order of N.
    fn numbered(&self, prefix: &str) -> Result<Vec<Form>, String> {
        let mut items: Vec<Form> = Vec::new();
        for (name, value) in &self.pairs {
            let Some(rest) = name.strip_prefix(prefix) else {
                continue;
            };
            let (number, rest) = rest.split_once('.').unwrap_or((rest, ""));
            let index = number
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .ok_or_else(|| format!("`{name}`: `{number}` is not a number from 1"))?;
            if items.len() <= index {
                items.resize_with(index + 1, Form::default);
            }
            items[index].pairs.push((rest.to_owned(), value.clone()));
        }
        match items.iter().position(|item| item.pairs.is_empty()) {
            Some(gap) => Err(format!("{prefix}{} is missing", gap + 1)),
            None => Ok(items),
        }
    }
}

fn decode(raw: &[u8]) -> Result<String, String> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_decode(&spaced)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| {
            format!(
                "`{}` is not UTF-8 once decoded",
                String::from_utf8_lossy(raw)
            )
        })
}

/// An XML document written element by element; [`XmlWriter::finish`] closes
/// whatever is still open.
#[derive(Debug)]
pub struct XmlWriter {
    out: String,
    open: Vec<String>,
}

impl XmlWriter {
    /// A document whose root is `root`, in `namespace` when given.
    pub fn new(root: &str, namespace: Option<&str>) -> XmlWriter {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        match namespace {
            Some(namespace) => out.push_str(&format!(
                "<{root} xmlns=\"{}\">",
                quick_xml::escape::escape(namespace)
            )),
            None => out.push_str(&format!("<{root}>")),
        }
        XmlWriter {
            out,
            open: vec![root.to_owned()],
        }
    }

    /// Opens element `name` inside the current one.
    pub fn start(&mut self, name: &str) -> &mut XmlWriter {
        self.out.push_str(&format!("<{name}>"));
        self.open.push(name.to_owned());
        self
    }

    /// Closes the innermost open element.
    pub fn end(&mut self) -> &mut XmlWriter {
        if let Some(name) = self.open.pop() {
            self.out.push_str(&format!("</{name}>"));
        }
        self
    }

    /// `<name>text</name>`, the text escaped.
    pub fn leaf(&mut self, name: &str, text: &str) -> &mut XmlWriter {
        self.out.push_str(&format!(
            "<{name}>{}</{name}>",
            quick_xml::escape::escape(text)
        ));
        self
    }

    /// [`XmlWriter::leaf`] when `text` is present.
    pub fn optional_leaf(&mut self, name: &str, text: Option<&str>) -> &mut XmlWriter {
        if let Some(text) = text {
            self.leaf(name, text);
        }
        self
    }

    /// The document, every open element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }
}

/// The instant `secs` seconds after the Unix epoch in `format`.
///
/// # Panics
///
/// If the instant cannot be written in that format (the servers only write
/// instants of this century).
pub fn timestamp(secs: i64, format: DateTimeFormat) -> String {
    DateTime::from_secs(secs)
        .fmt(format)
        .unwrap_or_else(|e| panic!("{secs} cannot be written as {format:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(form: &Form) -> Vec<(&str, &str)> {
        form.pairs()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn a_form_is_percent_decoded_with_plus_as_space_and_keeps_its_order() {
        let form = Form::parse(b"Action=Publish&Message=hello+there%21&Subject=a%2Bb&Empty=&Flag")
            .unwrap();
        assert_eq!(
            pairs(&form),
            [
                ("Action", "Publish"),
                ("Message", "hello there!"),
                ("Subject", "a+b"),
                ("Empty", ""),
                ("Flag", "")
            ]
        );
        assert_eq!(form.get("Subject"), Some("a+b"));
        assert_eq!(form.required("Nope").unwrap_err(), "Nope is required");
        assert!(Form::parse(b"Bad=%FF").unwrap_err().contains("not UTF-8"));
    }

    #[test]
    fn the_query_of_a_path_is_a_form() {
        let form = Form::from_query("/bucket?list-type=2&prefix=photos%2F2024").unwrap();
        assert_eq!(
            pairs(&form),
            [("list-type", "2"), ("prefix", "photos/2024")]
        );
        assert_eq!(Form::from_query("/bucket").unwrap(), Form::default());
    }

    #[test]
    fn list_members_and_map_entries_come_back_numbered_from_one() {
        let form = Form::parse(
            b"Tags.member.2.Key=b&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Value=2\
              &Arns.member.1=x\
              &Attrs.entry.1.Name=color&Attrs.entry.1.Value.DataType=String&Attrs.entry.1.Value.StringValue=red",
        )
        .unwrap();
        let tags = form.list("Tags").unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!(
            (tags[0].get("Key"), tags[0].get("Value")),
            (Some("a"), Some("1"))
        );
        assert_eq!(
            (tags[1].get("Key"), tags[1].get("Value")),
            (Some("b"), Some("2"))
        );
        assert_eq!(pairs(&form.list("Arns").unwrap()[0]), [("", "x")]);
        let attrs = form.map_entries("Attrs").unwrap();
        assert_eq!(attrs[0].get("Name"), Some("color"));
        assert_eq!(
            pairs(&attrs[0].nested("Value")),
            [("DataType", "String"), ("StringValue", "red")]
        );
        assert_eq!(form.list("Missing").unwrap(), Vec::<Form>::new());
    }

    #[test]
    fn a_gap_or_a_zero_in_the_numbering_is_an_error() {
        let gap = Form::parse(b"Tags.member.1.Key=a&Tags.member.3.Key=c").unwrap();
        assert_eq!(gap.list("Tags").unwrap_err(), "Tags.member.2 is missing");
        let zero = Form::parse(b"Tags.member.0.Key=a").unwrap();
        assert!(zero
            .list("Tags")
            .unwrap_err()
            .contains("not a number from 1"));
    }

    #[test]
    fn the_xml_writer_escapes_text_and_closes_what_is_open() {
        let mut xml = XmlWriter::new("Root", Some("https://example.com/doc/"));
        xml.start("Outer")
            .leaf("Text", "a < b & \"c\"")
            .optional_leaf("None", None);
        xml.end().start("Unclosed").leaf("Inner", "x");
        assert_eq!(
            xml.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Root xmlns=\"https://example.com/doc/\">\
             <Outer><Text>a &lt; b &amp; &quot;c&quot;</Text></Outer><Unclosed><Inner>x</Inner></Unclosed></Root>"
        );
    }

    #[test]
    fn timestamps_in_both_wire_formats() {
        assert_eq!(
            timestamp(1_714_564_800, DateTimeFormat::DateTime),
            "2024-05-01T12:00:00Z"
        );
        assert_eq!(
            timestamp(1_714_564_800, DateTimeFormat::HttpDate),
            "Wed, 01 May 2024 12:00:00 GMT"
        );
    }
}
